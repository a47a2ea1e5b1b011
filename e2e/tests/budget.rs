//! The performance budget, as a benchmark (run by `scripts/bench-browser.sh`, not by the test
//! suite, because its numbers depend on the machine): every lab at its largest setting plays at
//! top speed in headless Chromium while the player records each frame's work (engine step plus
//! redraw); the first render (the page's title and summary) and the lab's readiness (its world
//! built and drawn once) are timed from navigation start; the shipped wasm + js is gzipped.
//! Prints a table; fails only if a page breaks, never on a number.

mod support;

use std::time::Duration;
use support::*;
use thirtyfour::prelude::*;

/// Each lab at the top of its sliders (the heaviest a learner can make it), and the playback
/// speed measured: 100×, except where the whole run would be over in a few frames.
const LARGEST: [(&str, &str, &str); 10] = [
    ("scaling", "rate=2000&machines=32&big=s-192&dur=600", "100"),
    ("batch-stream", "rate=1000", "100"),
    (
        "partitioning",
        "records=2000000&partitions=128&workers=32&keys=100000",
        "1",
    ),
    ("mapreduce", "workers=32&reducers=32", "1"),
    (
        "queues",
        "partitions=64&producers=16&rate=500&consumers=32&dur=600",
        "100",
    ),
    (
        "caching",
        "reads=5000&writes=500&keys=100000&capacity=10000&dur=600",
        "100",
    ),
    (
        "performance",
        "executors=64&cores=16&partitions=1000&files=50000&days=365",
        "100",
    ),
    ("drills", "rate=1000&workers=32&dur=900", "100"),
    ("tools", "days=60&slots=32&runs=16", "100"),
    ("sandbox", "rate=50&dur=600", "100"),
];

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run scripts/bench-browser.sh"]
async fn frame_budget_per_lab() {
    let server = StaticServer::start(dist_dir());
    let chromedriver = ChromeDriver::start();
    let wd = browser(&chromedriver, 1280, 800).await;
    let outcome = measure(&wd, &server.origin()).await;
    let _ = wd.quit().await;
    outcome.unwrap();
}

async fn measure(wd: &WebDriver, origin: &str) -> TestResult {
    println!("| lab | setting | speed | frames | work p50 ms | work p95 ms | work max ms | engine p95 ms | interval p95 ms | style+layout ms/frame | first render ms | lab ready ms |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    wd.cdp()
        .send_raw("Performance.enable", serde_json::json!({}))
        .await
        .map_err(|e| e.to_string())?;
    for (lab, q, speed) in LARGEST {
        open(wd, &format!("{origin}/#/{lab}?{q}")).await?;
        wait_for(wd, "[data-testid=play]", 30).await?;
        let first = wd
            .execute(
                "const m = performance.getEntriesByName('scalelab-first-render')[0]; \
                 const l = performance.getEntriesByName('scalelab-lab-ready')[0]; \
                 return [m ? m.startTime : -1, l ? l.startTime : -1];",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?
            .json()
            .clone();
        let (first, ready): (f64, f64) = serde_json::from_value(first).unwrap_or((-1.0, -1.0));
        // Let data load (MapReduce fetches eight books), then play at 100×.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        wd.execute(
            &format!(
                "const s = document.querySelector('[data-testid=speed]'); s.value = '{speed}'; \
             s.dispatchEvent(new Event('change', {{ bubbles: true }})); \
             window.__scalelabFrameMs = []; window.__intervals = []; let last = 0; \
             const tick = (ts) => {{ if (last) window.__intervals.push(ts - last); last = ts; \
               if (window.__intervals.length < 400) requestAnimationFrame(tick); }}; \
             requestAnimationFrame(tick);"
            ),
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
        let before = browser_metrics(wd).await?;
        click(wd, "[data-testid=play]").await?;
        tokio::time::sleep(Duration::from_millis(4000)).await;
        let after = browser_metrics(wd).await?;
        let got = wd
            .execute(
                "return [window.__scalelabFrameMs || [], window.__intervals || []];",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        let (frames, mut gaps): (Vec<(f64, f64)>, Vec<f64>) =
            serde_json::from_value(got.json().clone()).map_err(|e| e.to_string())?;
        let mut work: Vec<f64> = frames.iter().map(|f| f.0).collect();
        let mut engine: Vec<f64> = frames.iter().map(|f| f.1).collect();
        work.sort_by(f64::total_cmp);
        engine.sort_by(f64::total_cmp);
        gaps.sort_by(f64::total_cmp);
        // Chromium's own counters over the same window: time spent recalculating style and
        // laying out, per frame the player drew (the part of a frame our code does not time).
        let style_layout = (after.0 - before.0) * 1000.0 / work.len().max(1) as f64;
        println!(
            "| {lab} | `{q}` | {speed}× | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {:.2} | {:.0} | {:.0} |",
            work.len(),
            pct(&work, 0.5),
            pct(&work, 0.95),
            work.last().copied().unwrap_or(f64::NAN),
            pct(&engine, 0.95),
            pct(&gaps, 0.95),
            style_layout,
            first,
            ready
        );
    }
    Ok(())
}

/// Chromium's cumulative (style recalculation + layout) seconds for the page, from the
/// DevTools `Performance` domain.
async fn browser_metrics(wd: &WebDriver) -> TestResult<(f64,)> {
    let got = wd
        .cdp()
        .send_raw("Performance.getMetrics", serde_json::json!({}))
        .await
        .map_err(|e| e.to_string())?;
    let metric = |name: &str| {
        got["metrics"]
            .as_array()
            .and_then(|m| m.iter().find(|x| x["name"] == name))
            .and_then(|x| x["value"].as_f64())
            .unwrap_or(0.0)
    };
    Ok((metric("RecalcStyleDuration") + metric("LayoutDuration"),))
}
