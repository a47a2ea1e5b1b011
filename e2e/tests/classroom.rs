//! The classroom promises, checked in a real headless Chromium against the release build:
//! the site keeps working with the network gone, and every page passes an axe-core
//! accessibility audit with no serious or critical violation (also in presenter mode).

mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use support::*;
use thirtyfour::prelude::*;

/// Every page a learner or teacher can open.
const PAGES: [&str; 13] = [
    "",
    "scaling",
    "batch-stream",
    "partitioning",
    "mapreduce",
    "queues",
    "caching",
    "performance",
    "drills",
    "tools",
    "sandbox",
    "progress",
    "class",
];

async fn js(wd: &WebDriver, script: &str) -> TestResult<serde_json::Value> {
    wd.execute(script, vec![])
        .await
        .map(|v| v.json().clone())
        .map_err(|e| format!("{script}: {e}"))
}

async fn js_async(wd: &WebDriver, script: &str) -> TestResult<serde_json::Value> {
    wd.execute_async(script, vec![])
        .await
        .map(|v| v.json().clone())
        .map_err(|e| format!("{script}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_works_offline_once_loaded() {
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 800).await;
    let outcome = offline(&wd, &server).await;
    let _ = wd.quit().await;
    if let Err(e) = outcome {
        let reqs = server.requests.lock().unwrap().clone();
        panic!("{e}\nrequests served: {reqs:?}");
    }
}

async fn offline(wd: &WebDriver, server: &StaticServer) -> TestResult {
    let origin = server.origin();
    open(wd, &format!("{origin}/#/")).await?;
    wait_for(wd, "[data-testid=home]", 20).await?;
    // The service worker installs (caching the app and every data file), then takes over.
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = js_async(
            wd,
            "const done = arguments[arguments.length - 1]; \
             (async () => { \
               const c = !!(navigator.serviceWorker && navigator.serviceWorker.controller); \
               const d = await caches.match('data/corpus/pg-grimm.txt'); \
               done(c && !!d); })().catch(() => done(false));",
        )
        .await?;
        if ready == serde_json::Value::Bool(true) {
            break;
        }
        if Instant::now() > until {
            return Err("the service worker never took control with the data cached".into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let manifest = js(
        wd,
        "return document.querySelector('link[rel=manifest]').href;",
    )
    .await?;
    if !manifest
        .as_str()
        .unwrap_or("")
        .ends_with("manifest.webmanifest")
    {
        return Err(format!("no web manifest linked: {manifest}"));
    }

    // The network goes away. A reload and a lab that loads real data (eight books) still work.
    server.offline.store(true, Ordering::SeqCst);
    let served_before = server.requests.lock().unwrap().len();
    open(wd, &format!("{origin}/#/mapreduce?seed=3")).await?;
    wait_for(wd, "[data-testid=gantt]", 30).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        60,
        "the word count to finish offline",
        |t| t == "finished",
    )
    .await?;
    text(wd, "[data-testid=verified]").await?;
    screenshot(wd, "30-offline-mapreduce.png").await?;
    assert_clean(wd, &origin, "offline MapReduce").await?;
    let served_after = server.requests.lock().unwrap().len();
    let refused = *server.refused.lock().unwrap();
    if served_after != served_before {
        return Err(format!(
            "{} requests were served while offline",
            served_after - served_before
        ));
    }
    println!("offline: reload + MapReduce over the shipped books finished with the network gone ({refused} connection attempts refused)");
    server.offline.store(false, Ordering::SeqCst);
    Ok(())
}

/// axe-core's script, installed by `scripts/setup.sh --browser` (npm `axe-core`).
fn axe_source() -> String {
    let path = std::env::var("AXE_JS").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        let tools = std::env::var("SCALELAB_TOOLS")
            .unwrap_or_else(|_| format!("{home}/.cache/scalelab-tools"));
        format!("{tools}/axe/node_modules/axe-core/axe.min.js")
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core not found at {path} ({e}): run `source scripts/setup.sh --browser`")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_an_accessibility_audit() {
    let axe = axe_source();
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 800).await;
    let outcome = audit(&wd, &server.origin(), &axe).await;
    let _ = wd.quit().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

async fn audit(wd: &WebDriver, origin: &str, axe: &str) -> TestResult {
    let mut failures = Vec::new();
    let mut checked = 0;
    for presenter in [false, true] {
        for page in PAGES {
            let q = if presenter { "?presenter=1" } else { "" };
            let url = format!("{origin}/#/{page}{q}");
            open(wd, &url).await?;
            wait_for(wd, "main h1", 20).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let found = serious_violations(wd, axe).await?;
            checked += 1;
            assert_clean(wd, origin, &url).await?;
            for f in found {
                failures.push(format!("#/{page}{q}: {f}"));
            }
        }
    }
    if failures.is_empty() {
        println!("accessibility: axe-core found no serious or critical violation on {checked} pages (normal and presenter mode)");
        Ok(())
    } else {
        Err(format!(
            "{} serious/critical accessibility violations:\n{}",
            failures.len(),
            failures.join("\n")
        ))
    }
}

/// axe-core's serious and critical findings on the page as it is now, one line each.
async fn serious_violations(wd: &WebDriver, axe: &str) -> TestResult<Vec<String>> {
    wd.execute(axe, vec![])
        .await
        .map_err(|e| format!("inject axe-core: {e}"))?;
    let found = js_async(
        wd,
        "const done = arguments[arguments.length - 1]; \
         axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations \
           .filter(v => v.impact === 'serious' || v.impact === 'critical') \
           .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4) \
             .map(n => n.target.join(' ')).join(' | ')))) \
         .catch(e => done(['axe failed: ' + e]));",
    )
    .await?;
    serde_json::from_value(found).map_err(|e| e.to_string())
}

/// A lecture-hall projector is often 1280×720: in presenter mode every lab must fit its width
/// (no sideways scrolling), hide the explanation prose, and use large type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presenter_mode_fits_a_720p_projector() {
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 720).await;
    let outcome = projector(&wd, &server.origin()).await;
    let _ = wd.quit().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

async fn projector(wd: &WebDriver, origin: &str) -> TestResult {
    let mut fitted = 0;
    for (i, page) in PAGES.iter().enumerate().skip(1) {
        open(wd, &format!("{origin}/#/{page}?presenter=1")).await?;
        wait_for(wd, "main h1", 20).await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let m = js(
            wd,
            "const d = document.documentElement; \
             const ex = document.querySelector('.explanation'); \
             return [d.scrollWidth, window.innerWidth, \
               parseFloat(getComputedStyle(document.querySelector('.app')).fontSize), \
               ex ? getComputedStyle(ex).display : 'none'];",
        )
        .await?;
        let (scroll_w, inner_w, font, explanation): (f64, f64, f64, String) =
            serde_json::from_value(m).map_err(|e| e.to_string())?;
        if scroll_w > inner_w + 1.0 {
            let wide = js(
                wd,
                "return [...document.querySelectorAll('main *')] \
                   .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1) \
                   .slice(0, 2).map(e => e.tagName + '.' + e.className + ' ' + \
                     getComputedStyle(e).maxWidth + ' ' + getComputedStyle(e).display + ' parent ' + \
                     e.parentElement.className + ' ' + Math.round(e.parentElement.getBoundingClientRect().right) + ' ' + \
                     Math.round(e.getBoundingClientRect().left) + '-' + \
                     Math.round(e.getBoundingClientRect().right));",
            )
            .await?;
            return Err(format!(
                "#/{page} presenter at 1280×720 scrolls sideways ({scroll_w} > {inner_w}): {wide}"
            ));
        }
        if font < 18.0 {
            return Err(format!("#/{page} presenter type is only {font}px"));
        }
        if explanation != "none" {
            return Err(format!("#/{page} presenter still shows the explanation"));
        }
        if matches!(*page, "scaling" | "mapreduce" | "queues" | "drills") {
            screenshot(wd, &format!("3{i}-presenter-720p-{page}.png")).await?;
        }
        assert_clean(wd, origin, &format!("presenter 720p {page}")).await?;
        fitted += 1;
    }
    println!("presenter: {fitted} pages fit 1280×720 with large type and no explanation panel");
    Ok(())
}

/// Guided mode as a learner meets it: a prediction asked on the queues lab, the engine showing
/// the experiment (stop the consumers, restart them), the verdict, and the progress page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guided_mode_asks_then_answers() {
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 800).await;
    let outcome = guided(&wd, &server.origin()).await;
    let _ = wd.quit().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

async fn guided(wd: &WebDriver, origin: &str) -> TestResult {
    open(wd, &format!("{origin}/#/mapreduce?seed=2&workers=4")).await?;
    wait_for(wd, "[data-testid=predict-crash-map]", 30).await?;
    let choice = wd
        .find(By::Css("[data-testid=choice-crash-map-0]"))
        .await
        .map_err(|e| e.to_string())?;
    choice.scroll_into_view().await.map_err(|e| e.to_string())?;
    screenshot(wd, "40-guided-predict.png").await?;
    choice.click().await.map_err(|e| e.to_string())?;
    wait_for(wd, "[data-testid=predicted-crash-map]", 5).await?;
    // Make it happen: crash a worker while maps run.
    click(wd, "[data-testid=play]").await?;
    // Once every worker has finished a map or two, its disk holds output the job still needs.
    wait_text(wd, "[data-testid=splits]", 1, "the splits", |_| true).await?;
    let until = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let h = js(
            wd,
            "return [...document.querySelectorAll('h2')].map(h => h.textContent)                .find(t => t.startsWith('Tasks')) || '';",
        )
        .await?;
        let done: u32 = h
            .as_str()
            .and_then(|t| t.split("map ").nth(1))
            .and_then(|t| t.split('/').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if done >= 8 {
            break;
        }
        if std::time::Instant::now() > until {
            return Err(format!("maps never got done: {h}"));
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    click(wd, "[data-testid=play]").await?;
    click(wd, "[data-testid=fault-crash]").await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        60,
        "the job to finish",
        |t| t == "finished",
    )
    .await?;
    let verdict = text(wd, "[data-testid=verdict-crash-map]").await?;
    if !verdict.contains("Answer:") {
        return Err(format!("no verdict after the crash: {verdict}"));
    }
    wd.find(By::Css("[data-testid=verdict-crash-map]"))
        .await
        .map_err(|e| e.to_string())?
        .scroll_into_view()
        .await
        .map_err(|e| e.to_string())?;
    screenshot(wd, "41-guided-verdict.png").await?;
    open(wd, &format!("{origin}/#/progress")).await?;
    let total = text(wd, "[data-testid=progress-total]").await?;
    if !total.starts_with("Done: 1 of") && !total.starts_with("Done: 2 of") {
        return Err(format!("progress page: {total}"));
    }
    screenshot(wd, "42-progress.png").await?;
    let link = text(wd, "[data-testid=progress-link]").await?;
    let code = link
        .split("p=")
        .nth(1)
        .ok_or_else(|| format!("no p= in the summary link {link}"))?
        .to_string();

    // The teacher pastes a chat of links on the class page: this student's, a classmate's
    // (the same progress under another name) and a broken one.
    open(wd, &format!("{origin}/#/class")).await?;
    let paste = format!(
        "Ada: {link}\n{origin}/#/progress?name=Bo%20Li&p={code}\nCy: {origin}/#/progress?name=Cy&p=zz\n"
    );
    wait_for(wd, "[data-testid=class-links]", 10)
        .await?
        .send_keys(&paste)
        .await
        .map_err(|e| e.to_string())?;
    wait_text(wd, "[data-testid=class-count]", 10, "two students", |t| {
        t == "2 students"
    })
    .await?;
    let problems = text(wd, "[data-testid=class-problems]").await?;
    if !problems.contains("line 3: p: expected") {
        return Err(format!("class page problems: {problems}"));
    }
    let row = text(wd, "[data-testid=class-row-mapreduce-crash-map]").await?;
    if !row.contains(" of 2") {
        return Err(format!("class page row: {row}"));
    }
    screenshot(wd, "43-class.png").await?;
    let table = wait_for(wd, "[data-testid=class-students]", 5).await?;
    let names = table.text().await.map_err(|e| e.to_string())?;
    // The learner never typed a name: the words before the link in the chat name them.
    if !names.contains("Ada") || !names.contains("Bo Li") {
        return Err(format!("class table: {names}"));
    }
    table.scroll_into_view().await.map_err(|e| e.to_string())?;
    screenshot(wd, "44-class-tables.png").await?;
    // Discussed in a lecture: the same tables in presenter mode must not scroll sideways.
    click(wd, "[data-testid=presenter-toggle]").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let wide = js(
        wd,
        "return document.documentElement.scrollWidth > window.innerWidth + 1;",
    )
    .await?;
    if wide != serde_json::json!(false) {
        return Err("the class page in presenter mode scrolls sideways".into());
    }
    screenshot(wd, "45-class-presenter.png").await?;
    let axe = axe_source();
    let found = serious_violations(wd, &axe).await?;
    if !found.is_empty() {
        return Err(format!("class page with students: {}", found.join("\n")));
    }
    assert_clean(wd, origin, "guided mode").await?;
    println!("guided: predicted, crashed a worker, got the verdict; progress page says `{total}`; the class page reads 2 students from a pasted chat; row `{row}`");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_page_downloads_only_its_own_bundle() {
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 800).await;
    let outcome = bundles(&wd, &server.origin()).await;
    let _ = wd.quit().await;
    outcome.unwrap();
}

/// The wasm files the page has fetched so far.
async fn wasm_fetched(wd: &WebDriver) -> TestResult<Vec<String>> {
    let got = js(
        wd,
        "return performance.getEntriesByType('resource').map(e => e.name) \
           .filter(n => n.endsWith('.wasm')).map(n => n.split('/').pop());",
    )
    .await?;
    serde_json::from_value(got).map_err(|e| e.to_string())
}

/// A release build splits the labs into bundles (scripts/split-bundles.sh): the home page
/// loads one, following a link to a lab in another bundle loads that one instead, and no page
/// ever fetches the single all-labs bundle.
async fn bundles(wd: &WebDriver, origin: &str) -> TestResult {
    let map: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist_dir().join("bundles.json"))
            .map_err(|e| format!("dist/bundles.json (a release build writes it): {e}"))?,
    )
    .map_err(|e| e.to_string())?;
    let wasm_of = |bundle: &str| {
        map["files"][bundle]["wasm"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let default = wasm_of(map["default"].as_str().unwrap_or(""));
    open(wd, &format!("{origin}/#/")).await?;
    wait_for(wd, "[data-testid=home]", 20).await?;
    let home = wasm_fetched(wd).await?;
    if home != [default.clone()] {
        return Err(format!("home fetched {home:?}, expected only {default}"));
    }
    // A lab in another bundle than the home page's.
    let (slug, bundle) = map["labs"]
        .as_object()
        .and_then(|labs| {
            labs.iter()
                .find(|(_, b)| wasm_of(b.as_str().unwrap_or("")) != default)
        })
        .map(|(s, b)| (s.clone(), b.as_str().unwrap_or("").to_string()))
        .ok_or("every lab is in the home page's bundle")?;
    click(wd, &format!("[data-testid=lab-link-{slug}]")).await?;
    wait_for(wd, "[data-testid=play]", 30).await?;
    let lab = wasm_fetched(wd).await?;
    if lab != [wasm_of(&bundle)] {
        return Err(format!(
            "#/{slug} fetched {lab:?}, expected only bundle {bundle}"
        ));
    }
    assert_clean(wd, origin, "lab in another bundle").await?;
    // Back home without a reload: every bundle has the home page.
    wd.execute("location.hash = '#/';", vec![])
        .await
        .map_err(|e| e.to_string())?;
    wait_for(wd, "[data-testid=home]", 20).await?;
    if wasm_fetched(wd).await? != [wasm_of(&bundle)] {
        return Err("going home reloaded the page".into());
    }
    println!(
        "bundles: home loaded {default}; #/{slug} loaded {} only",
        wasm_of(&bundle)
    );
    Ok(())
}
