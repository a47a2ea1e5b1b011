//! The sample data that ships with the site (`data/` next to index.html): fetched from the
//! site's own origin once, then kept for the rest of the visit.

use scalelab_engine::mapreduce::CORPUS;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// A named text file (`pg-grimm.txt`, `sample-app.log`).
pub type Texts = Rc<Vec<(String, Arc<str>)>>;

thread_local! {
    static CACHE: RefCell<Option<Texts>> = const { RefCell::new(None) };
}

/// Every file the MapReduce lab can use: the eight books and the sample log.
pub fn shipped_files() -> Vec<(String, String)> {
    CORPUS
        .iter()
        .map(|n| (format!("{n}.txt"), format!("data/corpus/{n}.txt")))
        .chain(std::iter::once((
            "sample-app.log".to_string(),
            "data/logs/sample-app.log".to_string(),
        )))
        .collect()
}

/// A successful response for `url` from the site's own origin.
async fn fetch_ok(url: &str) -> Result<web_sys::Response, String> {
    let window = gloo::utils::window();
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| format!("could not fetch {url}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    Ok(resp)
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = fetch_ok(url).await?;
    let text = JsFuture::from(resp.text().map_err(|_| format!("{url}: no body"))?)
        .await
        .map_err(|_| format!("{url}: could not read the body"))?;
    text.as_string()
        .ok_or_else(|| format!("{url}: body is not text"))
}

/// The shipped texts: `None` while loading, then the files or the reason they failed.
#[hook]
pub fn use_texts() -> Option<Result<Texts, String>> {
    let state = use_state(|| CACHE.with(|c| c.borrow().clone()).map(Ok));
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if state.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let mut files = Vec::new();
                    for (name, url) in shipped_files() {
                        match fetch_text(&url).await {
                            Ok(t) => files.push((name, Arc::<str>::from(t))),
                            Err(e) => {
                                state.set(Some(Err(e)));
                                return;
                            }
                        }
                    }
                    let texts: Texts = Rc::new(files);
                    CACHE.with(|c| *c.borrow_mut() = Some(texts.clone()));
                    state.set(Some(Ok(texts)));
                });
            }
        });
    }
    (*state).clone()
}

/// Puts texts in the cache as if they had been fetched (for tests, which have no `data/`).
pub fn preload(files: Vec<(String, String)>) {
    let texts: Texts = Rc::new(
        files
            .into_iter()
            .map(|(n, t)| (n, Arc::<str>::from(t)))
            .collect(),
    );
    CACHE.with(|c| *c.borrow_mut() = Some(texts));
}

thread_local! {
    static UPLOADS: RefCell<Vec<(String, Arc<str>)>> = const { RefCell::new(Vec::new()) };
}

/// Keeps a learner's own file (already validated) for the rest of the visit. Uploads are not
/// part of share links: they never leave the learner's browser.
pub fn add_upload(name: String, text: String) {
    UPLOADS.with(|u| {
        let mut u = u.borrow_mut();
        u.retain(|(n, _)| *n != name);
        u.push((name, Arc::from(text)));
    });
}

pub fn upload(name: &str) -> Option<Arc<str>> {
    UPLOADS.with(|u| {
        u.borrow()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    })
}

/// Reads a file the learner picked and checks it like the CLI does (text, known extension,
/// size limit); returns its name and text, or a message naming the problem.
pub async fn read_upload(file: web_sys::File) -> Result<(String, String), String> {
    let name = file.name();
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("could not read `{name}`"))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    scalelab_engine::mapreduce::upload::validate_upload(&name, &bytes)
        .map(|text| (name, text))
        .map_err(|e| e.to_string())
}

/// Fetches a shipped binary file (e.g. a zstd Spark log) from the site's own origin.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = fetch_ok(url).await?;
    let buf = JsFuture::from(resp.array_buffer().map_err(|_| format!("{url}: no body"))?)
        .await
        .map_err(|_| format!("{url}: could not read the body"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Reads any file the learner picked as bytes (the caller decides what it may be).
pub async fn read_bytes(file: web_sys::File, max: f64) -> Result<(String, Vec<u8>), String> {
    let name = file.name();
    if file.size() > max {
        return Err(format!(
            "`{name}` is {:.0} MB; files up to {:.0} MB are accepted",
            file.size() / 1e6,
            max / 1e6
        ));
    }
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("could not read `{name}`"))?;
    Ok((name, js_sys::Uint8Array::new(&buf).to_vec()))
}
