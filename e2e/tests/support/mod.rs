//! What the end-to-end suite needs around the browser: a static file server for `dist/` on
//! loopback, a ChromeDriver child process, and a configured headless Chromium session.

// Each test binary (site, classroom) uses its own part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use thirtyfour::common::capabilities::chromium::ChromiumLikeCapabilities;
use thirtyfour::prelude::*;

pub type TestResult<T = ()> = Result<T, String>;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The release build under test: `SCALELAB_DIST` or `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("SCALELAB_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "dist/ not built ({}): run `trunk build --release` (scripts/test.sh does it)",
        dir.display()
    );
    dir
}

pub fn screenshot_dir() -> PathBuf {
    let dir = workspace().join("target").join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("create target/e2e-screenshots");
    dir
}

/// Serves `root` on 127.0.0.1 (a thread per connection) and records every requested path.
pub struct StaticServer {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<String>>>,
    /// While set, connections are dropped unanswered: the network is gone.
    pub offline: Arc<AtomicBool>,
    /// Connections dropped while offline.
    pub refused: Arc<Mutex<u64>>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let offline = Arc::new(AtomicBool::new(false));
        let refused = Arc::new(Mutex::new(0u64));
        let (off, refs) = (offline.clone(), refused.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if off.load(Ordering::SeqCst) {
                    *refs.lock().unwrap() += 1;
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let root = root.clone();
                let log = log.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &root, &log);
                });
            }
        });
        StaticServer {
            port,
            requests,
            offline,
            refused,
        }
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "txt" | "log" | "md" | "csv" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn serve(mut stream: TcpStream, root: &Path, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Drain the headers.
    let mut h = String::new();
    while reader.read_line(&mut h)? > 2 {
        h.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    log.lock().unwrap().push(path.clone());
    let clean = path.split(['?', '#']).next().unwrap_or("/");
    let rel = if clean == "/" {
        "index.html"
    } else {
        clean.trim_start_matches('/')
    };
    let file = root.join(rel);
    let inside = file
        .canonicalize()
        .ok()
        .zip(root.canonicalize().ok())
        .is_some_and(|(f, r)| f.starts_with(r));
    match std::fs::read(&file) {
        Ok(body) if inside => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            )?;
            stream.write_all(&body)?;
        }
        _ => {
            let body = b"not found";
            write!(
                stream,
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            stream.write_all(body)?;
        }
    }
    stream.flush()
}

/// A ChromeDriver child process, killed on drop (also when a test panics).
pub struct ChromeDriver {
    child: Child,
    pub port: u16,
}

impl ChromeDriver {
    pub fn start() -> ChromeDriver {
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {bin}: {e} (scripts/setup.sh --browser installs it)")
            });
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        ChromeDriver { child, port }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Records console errors, uncaught exceptions and rejected promises of every page, before any
/// of the page's own scripts run.
const ERROR_TRAP: &str = r#"
window.__e2eErrors = [];
(function () {
  const orig = console.error.bind(console);
  console.error = function (...args) {
    window.__e2eErrors.push('console.error: ' + args.map(String).join(' '));
    orig(...args);
  };
  window.addEventListener('error', e => window.__e2eErrors.push('error: ' + (e.message || e.type)));
  window.addEventListener('unhandledrejection', e => window.__e2eErrors.push('unhandled rejection: ' + e.reason));
})();
"#;

/// A headless Chromium session with the error trap installed.
pub async fn browser(driver: &ChromeDriver, width: u32, height: u32) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    caps.set_binary(&chromium).unwrap();
    // A fresh profile per session: tests may run in parallel, and a service worker installed
    // by one must not serve another.
    static SESSIONS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
    let profile = std::env::temp_dir().join(format!("scalelab-e2e-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        &format!("--window-size={width},{height}"),
        &format!("--user-data-dir={}", profile.display()),
    ] {
        caps.add_arg(arg).unwrap();
    }
    let wd = WebDriver::new(format!("http://127.0.0.1:{}", driver.port), caps)
        .await
        .expect("start a Chromium session");
    wd.cdp()
        .send_raw(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": ERROR_TRAP }),
        )
        .await
        .expect("install the console-error trap");
    wd
}

/// Loads `url` as a fresh document (via about:blank, so a hash-only change still reloads).
pub async fn open(wd: &WebDriver, url: &str) -> TestResult {
    wd.goto("about:blank").await.map_err(|e| e.to_string())?;
    wd.goto(url).await.map_err(|e| format!("open {url}: {e}"))
}

/// Polls for an element matching `css` for up to `secs`.
pub async fn wait_for(wd: &WebDriver, css: &str, secs: u64) -> TestResult<WebElement> {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Ok(el) = wd.find(By::Css(css)).await {
            return Ok(el);
        }
        if Instant::now() > until {
            return Err(format!("timed out after {secs} s waiting for `{css}`"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn text(wd: &WebDriver, css: &str) -> TestResult<String> {
    wait_for(wd, css, 10)
        .await?
        .text()
        .await
        .map_err(|e| format!("text of `{css}`: {e}"))
}

/// Polls until the text of `css` satisfies `ok`.
pub async fn wait_text(
    wd: &WebDriver,
    css: &str,
    secs: u64,
    what: &str,
    ok: impl Fn(&str) -> bool,
) -> TestResult<String> {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        let t = text(wd, css).await.unwrap_or_default();
        if ok(&t) {
            return Ok(t);
        }
        if Instant::now() > until {
            return Err(format!(
                "timed out after {secs} s waiting for {what} (`{css}` reads `{t}`)"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn click(wd: &WebDriver, css: &str) -> TestResult {
    wait_for(wd, css, 10)
        .await?
        .click()
        .await
        .map_err(|e| format!("click `{css}`: {e}"))
}

/// Fails on any console error, uncaught exception, or request to another origin.
pub async fn assert_clean(wd: &WebDriver, origin: &str, step: &str) -> TestResult {
    let errors = wd
        .execute(
            "return window.__e2eErrors || ['error trap missing'];",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let errors: Vec<String> = errors.convert().map_err(|e| e.to_string())?;
    if !errors.is_empty() {
        return Err(format!("{step}: console errors: {errors:?}"));
    }
    let urls = wd
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    let urls: Vec<String> = urls.convert().map_err(|e| e.to_string())?;
    let foreign: Vec<_> = urls.iter().filter(|u| !u.starts_with(origin)).collect();
    if !foreign.is_empty() {
        return Err(format!("{step}: requests outside {origin}: {foreign:?}"));
    }
    Ok(())
}

pub async fn screenshot(wd: &WebDriver, name: &str) -> TestResult<PathBuf> {
    let path = screenshot_dir().join(name);
    wd.screenshot(&path)
        .await
        .map_err(|e| format!("screenshot {name}: {e}"))?;
    println!("screenshot: {}", path.display());
    Ok(path)
}
