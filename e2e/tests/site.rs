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
        text(
            wd,
            "[data-testid=metric-throughput], [data-testid=panel-throughput]",
        )
        .await?;
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
    open(wd, &format!("{origin}/#/sandbox?seed=7&dur=30")).await?;
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

    queues(wd, &origin).await?;

    // Caching: kill the cache mid-run and catch the store melting.
    open(wd, &format!("{origin}/#/caching?dur=60")).await?;
    wait_for(wd, "[data-testid=kill-cache]", 20).await?;
    click(wd, "[data-testid=play]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    click(wd, "[data-testid=kill-cache]").await?;
    wait_for(wd, "[data-testid=restart-cache]", 10).await?;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    screenshot(wd, "17-caching-outage.png").await?;
    assert_clean(wd, &origin, "caching outage").await?;
    click(wd, "[data-testid=run-staging]").await?;
    wait_for(wd, "[data-testid=staging-results]", 20).await?;
    click(wd, "[data-testid=inspect-loading]").await?;
    screenshot(wd, "18-staging-inspector.png").await?;
    assert_clean(wd, &origin, "staging").await?;

    performance(wd, &origin).await?;
    drills(wd, &origin).await?;

    // The tools page: the DAG backfill through the default source outage, then a shipped
    // Spark 4 log (zstd) fetched, decompressed and drawn.
    open(wd, &format!("{origin}/#/tools")).await?;
    wait_for(wd, "[data-testid=tools-map]", 20).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(wd, "[data-testid=run-status]", 30, "the backfill", |t| {
        t == "finished"
    })
    .await?;
    scroll_to(wd, "[data-testid=dag]").await?;
    screenshot(wd, "28-tools-dag-backfill.png").await?;
    click(wd, "[data-testid=sample-1]").await?;
    wait_text(
        wd,
        "[data-testid=spark-summary]",
        30,
        "the Spark log summary",
        |t| t.contains("skewed key"),
    )
    .await?;
    scroll_to(wd, "[data-testid=spark-log]").await?;
    screenshot(wd, "27-tools-spark-log.png").await?;
    assert_clean(wd, &origin, "tools spark log").await?;

    // Batch vs streaming: a finished run with late events and a spike.
    open(
        wd,
        &format!("{origin}/#/batch-stream?late=0.2&late_max_s=30&faults=spike*5@180s%2B60s"),
    )
    .await?;
    wait_for(wd, "[data-testid=detect-hist]", 20).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        30,
        "the pipelines to finish",
        |t| t == "finished",
    )
    .await?;
    screenshot(wd, "16-batch-stream.png").await?;
    assert_clean(wd, &origin, "batch-stream").await?;

    // Partitioning: a hot key's straggler on the timeline, finished and verified.
    open(
        wd,
        &format!("{origin}/#/partitioning?dist=hot&hot=0.4&workers=8&partitions=16"),
    )
    .await?;
    wait_for(wd, "[data-testid=gantt]", 20).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        30,
        "the partitioned job to finish",
        |t| t == "finished",
    )
    .await?;
    let verified = text(wd, "[data-testid=verified]").await?;
    if !verified.starts_with('✔') {
        return Err(format!("partitioning result: {verified}"));
    }
    click(wd, "[data-testid=measure-speedup]").await?;
    wait_for(wd, "[data-testid=speedup]", 20).await?;
    screenshot(wd, "15-partitioning-straggler.png").await?;
    assert_clean(wd, &origin, "partitioning").await?;

    share_links(wd, &origin).await?;

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

/// The performance lab: the baseline job (its trace hash against `scalelab pipeline`), its
/// bottleneck, then every optimisation stacked and measured one by one, then presenter size.
async fn performance(wd: &WebDriver, origin: &str) -> TestResult {
    open(wd, &format!("{origin}/#/performance")).await?;
    wait_for(wd, "[data-testid=monitor]", 20).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        60,
        "the baseline job",
        |t| t == "finished",
    )
    .await?;
    let page_hash = text(wd, "[data-testid=trace-hash]").await?;
    let cli =
        scalelab_cli::run_to_string(["scalelab", "pipeline", "--json"]).map_err(|e| e.message)?;
    let cli: serde_json::Value = serde_json::from_str(&cli).map_err(|e| e.to_string())?;
    if cli["trace_hash"].as_str() != Some(page_hash.as_str()) {
        return Err(format!(
            "performance trace hash differs: page {page_hash}, CLI {}",
            cli["trace_hash"]
        ));
    }
    let hint = text(wd, "[data-testid=bottleneck]").await?;
    let stage = cli["bottleneck"]["stage"].as_str().unwrap_or("?");
    if !hint.contains(stage) {
        return Err(format!("the hint `{hint}` should name `{stage}`"));
    }
    screenshot(wd, "19-performance-baseline.png").await?;
    scroll_to(wd, "[data-testid=stages]").await?;
    screenshot(wd, "19b-performance-stages.png").await?;
    assert_clean(wd, origin, "performance baseline").await?;
    click(wd, "[data-testid=opts-all]").await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        60,
        "the optimised job",
        |t| t == "finished",
    )
    .await?;
    click(wd, "[data-testid=measure-compare]").await?;
    wait_for(wd, "[data-testid=compare]", 60).await?;
    let verified = text(wd, "[data-testid=verified]").await?;
    if !verified.starts_with('✓') {
        return Err(format!("optimised report: {verified}"));
    }
    screenshot(wd, "20-performance-optimised.png").await?;
    scroll_to(wd, "[data-testid=runs]").await?;
    screenshot(wd, "20b-performance-runs.png").await?;
    assert_clean(wd, origin, "performance optimised").await?;
    wd.set_window_rect(0, 0, 1920, 1080)
        .await
        .map_err(|e| e.to_string())?;
    open(
        wd,
        &format!("{origin}/#/performance?presenter=1&opts=pruning,columnar"),
    )
    .await?;
    wait_for(wd, "[data-testid=monitor]", 20).await?;
    click(wd, "[data-testid=play]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    screenshot(wd, "21-performance-presenter-1920.png").await?;
    assert_clean(wd, origin, "performance presenter").await?;
    wd.set_window_rect(0, 0, 1280, 800)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The reliability lab: the cascading drill fails unprotected and passes with retries, buffer
/// and quarantine; the page's trace hash and scorecard match `scalelab drill`; the stress ramp.
async fn drills(wd: &WebDriver, origin: &str) -> TestResult {
    open(wd, &format!("{origin}/#/drills?drill=cascading")).await?;
    wait_for(wd, "[data-testid=pipeline]", 20).await?;
    click(wd, "[data-testid=play]").await?;
    wait_text(
        wd,
        "[data-testid=bin-lost]",
        30,
        "records to be lost",
        |t| t != "lost 0",
    )
    .await?;
    scroll_to(wd, "[data-testid=timeline]").await?;
    screenshot(wd, "22-drills-cascading-live.png").await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(wd, "[data-testid=run-status]", 60, "the drill", |t| {
        t == "finished"
    })
    .await?;
    scroll_to(wd, "[data-testid=scorecard]").await?;
    screenshot(wd, "23-drills-scorecard-fail.png").await?;
    click(wd, "[data-testid=mit-safe]").await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        60,
        "the protected drill",
        |t| t == "finished",
    )
    .await?;
    let page_hash = text(wd, "[data-testid=trace-hash]").await?;
    let cli = scalelab_cli::run_to_string([
        "scalelab",
        "drill",
        "--name",
        "cascading",
        "--mitigations",
        "retries,buffer,quarantine",
        "--json",
    ])
    .map_err(|e| e.message)?;
    let cli: serde_json::Value = serde_json::from_str(&cli).map_err(|e| e.to_string())?;
    if cli["trace_hash"].as_str() != Some(page_hash.as_str()) {
        return Err(format!(
            "drill trace hash differs: page {page_hash}, CLI {}",
            cli["trace_hash"]
        ));
    }
    let lost = text(wd, "[data-testid=sc-lost]").await?;
    if lost != "0" || cli["lost"] != 0 {
        return Err(format!(
            "protected drill lost records: page {lost}, CLI {}",
            cli["lost"]
        ));
    }
    let records_in = text(wd, "[data-testid=sc-in]").await?;
    if cli["records_in"].as_u64().map(|n| n.to_string()) != Some(records_in.clone()) {
        return Err(format!(
            "records in: page {records_in}, CLI {}",
            cli["records_in"]
        ));
    }
    scroll_to(wd, "[data-testid=scorecard]").await?;
    screenshot(wd, "24-drills-scorecard-pass.png").await?;
    click(wd, "[data-testid=run-ramp]").await?;
    wait_for(wd, "[data-testid=ramp-verdict]", 60).await?;
    scroll_to(wd, "[data-testid=ramp]").await?;
    screenshot(wd, "25-drills-stress-ramp.png").await?;
    assert_clean(wd, origin, "drills").await?;
    wd.set_window_rect(0, 0, 1920, 1080)
        .await
        .map_err(|e| e.to_string())?;
    open(
        wd,
        &format!("{origin}/#/drills?presenter=1&drill=holiday-rush"),
    )
    .await?;
    wait_for(wd, "[data-testid=pipeline]", 20).await?;
    click(wd, "[data-testid=play]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    screenshot(wd, "26-drills-presenter-1920.png").await?;
    assert_clean(wd, origin, "drills presenter").await?;
    wd.set_window_rect(0, 0, 1280, 800)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Every lab: the page, opened from a share link and run to the end, shows the trace hash that
/// `scalelab run --link` prints for the same link.
async fn share_links(wd: &WebDriver, origin: &str) -> TestResult {
    const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/data");
    for link in [
        "#/scaling?seed=5",
        "#/batch-stream?seed=5",
        "#/partitioning?seed=5",
        "#/mapreduce?seed=5&workers=3",
        "#/queues?seed=5",
        "#/caching?seed=5",
        "#/performance?seed=5&days=30",
        "#/drills?seed=5&drill=bad-batch&dur=60",
        "#/tools?seed=5&days=5",
        "#/sandbox?seed=5",
    ] {
        open(wd, &format!("{origin}/{link}")).await?;
        wait_for(wd, "[data-testid=run-to-end]", 20).await?;
        click(wd, "[data-testid=run-to-end]").await?;
        wait_text(wd, "[data-testid=run-status]", 90, link, |t| {
            t == "finished"
        })
        .await?;
        let page = text(wd, "[data-testid=trace-hash]").await?;
        let cli = scalelab_cli::run_to_string([
            "scalelab", "run", "--link", link, "--data", DATA, "--json",
        ])
        .map_err(|e| e.message)?;
        let cli: serde_json::Value = serde_json::from_str(&cli).map_err(|e| e.to_string())?;
        if cli["trace_hash"].as_str() != Some(page.as_str()) {
            return Err(format!(
                "{link}: page {page}, scalelab run --link {}",
                cli["trace_hash"]
            ));
        }
        println!("share link {link}: page and CLI agree on {page}");
    }
    assert_clean(wd, origin, "share links").await?;
    Ok(())
}

async fn scroll_to(wd: &WebDriver, sel: &str) -> TestResult {
    wd.execute(
        &format!("document.querySelector('{sel}').scrollIntoView();"),
        vec![],
    )
    .await
    .map_err(|e| e.to_string())?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    Ok(())
}

/// The queue lab: a crash caught mid-run, the page's trace hash against `scalelab queue`,
/// messages per second through the broker in the page, and frame times with 10,000 messages
/// in flight over 64 partitions.
async fn queues(wd: &WebDriver, origin: &str) -> TestResult {
    let set_speed = |v: &str| {
        format!("const s = document.querySelector('[data-testid=speed]'); s.value = '{v}'; s.dispatchEvent(new Event('change'));")
    };
    open(wd, &format!("{origin}/#/queues?dur=60&partitions=4&consumers=3&poison=0.02&commit_ms=3000&service_ms=60")).await?;
    wait_for(wd, "[data-testid=partition-bars]", 20).await?;
    wd.execute(set_speed("2"), vec![])
        .await
        .map_err(|e| e.to_string())?;
    click(wd, "[data-testid=play]").await?;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    click(wd, "[data-testid=crash-consumer-2]").await?;
    wait_for(wd, "[data-testid=restart-consumer-2]", 10).await?;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    screenshot(wd, "13-queues-crash.png").await?;
    let strip = text(wd, "[data-testid=reconcile]").await?;
    if !strip.contains("Nothing lost") {
        return Err(format!("queue reconciliation: {strip}"));
    }
    assert_clean(wd, origin, "queues crash").await?;

    // Same scenario in the page and the CLI: same trace hash.
    open(
        wd,
        &format!("{origin}/#/queues?seed=11&dur=20&poison=0.02&faults=crash:consumer-2@5s%2B6s"),
    )
    .await?;
    wait_for(wd, "[data-testid=partition-bars]", 20).await?;
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(
        wd,
        "[data-testid=run-status]",
        30,
        "the queue run to finish",
        |t| t == "finished",
    )
    .await?;
    let page_hash = text(wd, "[data-testid=trace-hash]").await?;
    let cli = scalelab_cli::run_to_string([
        "scalelab",
        "queue",
        "--seed",
        "11",
        "--duration-s",
        "20",
        "--poison-rate",
        "0.02",
        "--faults",
        "crash:consumer-2@5s+6s",
        "--json",
    ])
    .map_err(|e| e.message)?;
    let cli: serde_json::Value = serde_json::from_str(&cli).map_err(|e| e.to_string())?;
    if cli["trace_hash"].as_str() != Some(page_hash.as_str()) {
        return Err(format!(
            "queue trace hash differs: page {page_hash}, CLI {}",
            cli["trace_hash"]
        ));
    }
    println!("queue trace hash agrees: {page_hash}");

    // Messages per second through the broker in the page (100,000 messages, to the end).
    open(
        wd,
        &format!(
            "{origin}/#/queues?producers=4&rate=250&partitions=16&consumers=8&service_ms=5&dur=100"
        ),
    )
    .await?;
    wait_for(wd, "[data-testid=partition-bars]", 20).await?;
    let started = std::time::Instant::now();
    click(wd, "[data-testid=run-to-end]").await?;
    wait_text(wd, "[data-testid=run-status]", 120, "100k messages", |t| {
        t == "finished"
    })
    .await?;
    let ms = started.elapsed().as_millis().max(1);
    let strip = text(wd, "[data-testid=reconcile]").await?;
    let produced: u64 = strip
        .split("produced ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no produced count in `{strip}`"))?;
    println!(
        "bench: queue page, {produced} messages to the end in {ms} ms = {:.0} messages/s",
        produced as f64 * 1000.0 / ms as f64
    );

    // Frame times with 10,000+ messages in flight across 64 partitions, playing at 1×.
    open(wd, &format!("{origin}/#/queues?partitions=64&producers=16&rate=100&consumers=32&service_ms=100&dur=120")).await?;
    wait_for(wd, "[data-testid=partition-bars]", 20).await?;
    let idle = frame_times(wd).await?;
    println!(
        "bench: this headless Chromium's frame interval on the paused page: median {:.1} ms, p95 {:.1} ms",
        idle[idle.len() / 2],
        idle[(idle.len() as f64 * 0.95) as usize - 1]
    );
    click(wd, "[data-testid=play]").await?;
    wait_text(
        wd,
        "[data-testid=metric-backlog]",
        60,
        "10,000 messages in flight",
        |t| t.trim().parse::<u64>().is_ok_and(|n| n >= 10_000),
    )
    .await?;
    let dt = frame_times(wd).await?;
    if dt.len() < 60 {
        return Err(format!(
            "only {} frames in 4 s with 10k messages in flight",
            dt.len()
        ));
    }
    let p95 = dt[(dt.len() as f64 * 0.95) as usize - 1];
    let backlog = text(wd, "[data-testid=metric-backlog]").await?;
    println!(
        "bench: queue page, 64 partitions, {backlog} in flight: {} frames, median {:.1} ms, p95 {:.1} ms",
        dt.len(),
        dt[dt.len() / 2],
        p95
    );
    screenshot(wd, "14-queues-64-partitions.png").await?;
    assert_clean(wd, origin, "queues 64 partitions").await?;
    Ok(())
}

/// Intervals between animation frames over about three seconds, sorted.
async fn frame_times(wd: &WebDriver) -> TestResult<Vec<f64>> {
    wd.execute(
        "window.__frames = []; let last = performance.now(); \
         const tick = (ts) => { window.__frames.push(ts - last); last = ts; \
           if (window.__frames.length < 181) requestAnimationFrame(tick); }; \
         requestAnimationFrame(tick);",
        vec![],
    )
    .await
    .map_err(|e| e.to_string())?;
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let frames = wd
        .execute("return window.__frames.slice(1);", vec![])
        .await
        .map_err(|e| e.to_string())?;
    let mut dt: Vec<f64> =
        serde_json::from_value(frames.json().clone()).map_err(|e| e.to_string())?;
    if dt.is_empty() {
        return Err("no animation frames".into());
    }
    dt.sort_by(f64::total_cmp);
    Ok(dt)
}
