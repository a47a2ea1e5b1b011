//! End to end: a real headless Chromium, driven through ChromeDriver, against the release
//! build served on loopback. Every route renders and runs, nothing errors in the console,
//! nothing leaves the site's origin, and the page's trace hash equals the CLI's.

mod support;

use support::*;
use thirtyfour::prelude::*;

const ROUTES: [&str; 9] = [
    "scaling",
    "batch-stream",
    "partitioning",
    "mapreduce",
    "queues",
    "caching",
    "performance",
    "drills",
    "tools",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_works_in_a_real_browser() {
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 800).await;
    let outcome = walk(&wd, &server).await;
    let _ = wd.quit().await;
    if let Err(e) = outcome {
        let reqs = server.requests.lock().unwrap().clone();
        panic!("{e}\nrequests served: {reqs:?}");
    }
}

async fn walk(wd: &WebDriver, server: &StaticServer) -> TestResult {
    let origin = server.origin();

    // Home: nine labs.
    open(wd, &format!("{origin}/#/")).await?;
    wait_for(wd, "[data-testid=home]", 20).await?;
    let links = wd
        .find_all(By::Css("a[data-testid^=lab-link-]"))
        .await
        .map_err(|e| e.to_string())?;
    if links.len() != 9 {
        return Err(format!("home: expected 9 lab links, found {}", links.len()));
    }
    for (link, route) in links.iter().zip(ROUTES) {
        let href = link
            .attr("href")
            .await
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        if !href.ends_with(&format!("#/{route}")) {
            return Err(format!("home: link `{href}` should point to #/{route}"));
        }
    }
    screenshot(wd, "00-home.png").await?;
    assert_clean(wd, &origin, "home").await?;

    // The harness can fail: a console error on the page is caught.
    wd.execute("console.error('e2e self-check');", vec![])
        .await
        .map_err(|e| e.to_string())?;
    if assert_clean(wd, &origin, "self-check").await.is_ok() {
        return Err("the console-error trap missed a console.error".into());
    }
    wd.execute("window.__e2eErrors = [];", vec![])
        .await
        .map_err(|e| e.to_string())?;

    // Every lab renders, plays, and moves its clock.
    for (i, route) in ROUTES.iter().enumerate() {
        open(wd, &format!("{origin}/#/{route}")).await?;
        wait_for(wd, "h1", 20).await?;
        let summary = text(wd, "[data-testid=lab-summary]").await?;
        if summary.trim().is_empty() {
            return Err(format!("{route}: empty summary"));
        }
        let t0 = text(wd, "[data-testid=sim-time]").await?;
        click(wd, "[data-testid=play]").await?;
        wait_text(
            wd,
            "[data-testid=sim-time]",
            5,
            &format!("{route}: clock to move"),
            |t| t != t0,
        )
        .await?;
        text(wd, "[data-testid=metric-throughput]").await?;
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        screenshot(wd, &format!("{:02}-{route}.png", i + 1)).await?;
        assert_clean(wd, &origin, route).await?;
    }

    // MapReduce mid-job: a real word count with crashes, caught while it runs.
    open(
        wd,
        &format!("{origin}/#/mapreduce?workers=4&reducers=4&crash=0.15&seed=3"),
    )
    .await?;
    wait_for(wd, "[data-testid=gantt]", 20).await?;
    wd.execute(
        "const s = document.querySelector('[data-testid=speed]'); s.value = '2'; s.dispatchEvent(new Event('change'));",
        vec![],
    )
    .await
    .map_err(|e| e.to_string())?;
    click(wd, "[data-testid=play]").await?;
    wait_text(
        wd,
        "[data-testid=attempt-summary]",
        15,
        "map attempts to finish",
        |t| {
            t.split(", ")
                .nth(1)
                .and_then(|d| d.split(' ').next())
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n >= 6)
        },
    )
    .await?;
    screenshot(wd, "12-mapreduce-mid-job.png").await?;
    assert_clean(wd, &origin, "mapreduce mid-job").await?;

    // How long the page takes to show a finished word count of all eight books at top speed
    // (a number for the benchmark notes; asserted only to finish).
    open(
        wd,
        &format!("{origin}/#/mapreduce?workers=4&reducers=4&combiner=1"),
    )
    .await?;
    wait_for(wd, "[data-testid=gantt]", 20).await?;
    let started = std::time::Instant::now();
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        60,
        "the word count to finish",
        |t| t == "finished",
    )
    .await?;
    println!(
        "bench: 8-book word count, click to finished result on the page: {} ms",
        started.elapsed().as_millis()
    );
    text(wd, "[data-testid=verified]").await?;
    assert_clean(wd, &origin, "mapreduce to end").await?;

    // The page and the CLI agree on the trace hash of the same scenario.
    open(wd, &format!("{origin}/#/caching?seed=7&dur=30")).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        30,
        "the run to finish",
        |t| t == "finished",
    )
    .await?;
    let page_hash = text(wd, "[data-testid=trace-hash]").await?;
    let cli = scalelab_cli::run_to_string([
        "scalelab",
        "demo",
        "--seed",
        "7",
        "--until-s",
        "30",
        "--json",
    ])
    .map_err(|e| e.message)?;
    let cli: serde_json::Value = serde_json::from_str(&cli).map_err(|e| e.to_string())?;
    if cli["trace_hash"].as_str() != Some(page_hash.as_str()) {
        return Err(format!(
            "trace hash differs: page {page_hash}, CLI {}",
            cli["trace_hash"]
        ));
    }
    println!("trace hash agrees: {page_hash}");
    assert_clean(wd, &origin, "trace hash").await?;

    // Invalid URL state: a message naming the fields, defaults in force, still runnable.
    open(wd, &format!("{origin}/#/scaling?rate=-5&seed=abc")).await?;
    let msg = text(wd, "[data-testid=url-error]").await?;
    if !(msg.contains("rate") && msg.contains("seed")) {
        return Err(format!("url error should name rate and seed: {msg}"));
    }
    click(wd, "[data-testid=play]").await?;
    screenshot(wd, "10-invalid-url.png").await?;
    assert_clean(wd, &origin, "invalid url").await?;

    // Projector size, presenter mode.
    wd.set_window_rect(0, 0, 1920, 1080)
        .await
        .map_err(|e| e.to_string())?;
    open(wd, &format!("{origin}/#/scaling?presenter=1&rate=9.5")).await?;
    click(wd, "[data-testid=speed]").await?;
    click(wd, "[data-testid=play]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    screenshot(wd, "11-presenter-1920.png").await?;
    assert_clean(wd, &origin, "presenter").await?;
    Ok(())
}
