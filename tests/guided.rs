//! Guided mode in headless Chromium: a prediction is asked before an experiment, kept in local
//! storage, answered with its reason once the experiment has been seen, and the progress page
//! lists it and makes a summary link that opens the same table for the teacher.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use scalelab::guided::progress::Progress;
use scalelab::guided::questions::QUESTIONS;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LABS: [&str; 8] = [
    "scaling",
    "batch-stream",
    "partitioning",
    "mapreduce",
    "queues",
    "caching",
    "performance",
    "drills",
];

#[wasm_bindgen_test]
fn every_guided_experiment_has_a_well_formed_prediction() {
    for lab in LABS {
        let n = QUESTIONS.iter().filter(|q| q.lab == lab).count();
        assert!((3..=5).contains(&n), "{lab} has {n} predictions");
    }
    for q in QUESTIONS {
        assert!(
            (3..=4).contains(&q.choices.len()),
            "{}/{}: {} choices",
            q.lab,
            q.id,
            q.choices.len()
        );
        assert!(
            q.answer < q.choices.len(),
            "{}/{}: answer out of range",
            q.lab,
            q.id
        );
        assert!(!q.why.is_empty() && !q.question.is_empty());
    }
}

#[wasm_bindgen_test]
async fn each_lab_asks_before_and_answers_after() {
    // The MapReduce lab needs its texts; the test runner serves no data folder.
    scalelab::data::preload(
        scalelab::data::shipped_files()
            .into_iter()
            .map(|(n, _)| (n, "some words to count\n".repeat(50)))
            .collect(),
    );
    for lab in LABS {
        Progress::clear();
        let root = mount(&format!("#/{lab}")).await;
        wait_for(20_000, "the experiments", || {
            find(&root, ".experiments").is_some()
        })
        .await;
        // Every experiment on the page has its prediction (ids match the table).
        for q in QUESTIONS.iter().filter(|q| q.lab == lab) {
            assert!(
                find(&root, &format!("[data-testid=exp-{}]", q.id)).is_some(),
                "{lab}: the page has no experiment `{}`",
                q.id
            );
        }
        let q = QUESTIONS.iter().find(|q| q.lab == lab).unwrap();
        let wrong = (q.answer + 1) % q.choices.len();
        click(&root, &format!("[data-testid=choice-{}-{wrong}]", q.id));
        wait_for(3000, "the prediction to be kept", || {
            find(&root, &format!("[data-testid=predicted-{}]", q.id)).is_some()
        })
        .await;
        assert_eq!(Progress::load().entry(lab, q.id).predicted, Some(wrong));
        root.remove();
    }
    // Once the engine has shown it (here: remembered from an earlier visit), the answer and
    // its reason appear, and the wrong prediction is called wrong.
    let q = &QUESTIONS[0];
    let mut p = Progress::default();
    p.predict(q.lab, q.id, (q.answer + 1) % q.choices.len());
    p.mark_seen(q.lab, q.id);
    p.save();
    let root = mount(&format!("#/{}", q.lab)).await;
    wait_for(20_000, "the verdict", || {
        find(&root, &format!("[data-testid=verdict-{}]", q.id)).is_some()
    })
    .await;
    let verdict = text(&root, &format!("[data-testid=verdict-{}]", q.id));
    assert!(verdict.starts_with("✖"), "{verdict}");
    assert!(verdict.contains(q.choices[q.answer]) && verdict.contains(q.why));
    root.remove();
    Progress::clear();
}

#[wasm_bindgen_test]
async fn the_progress_page_and_its_summary_link() {
    Progress::clear();
    let mut p = Progress {
        name: "Ada L".into(),
        ..Default::default()
    };
    let (a, b) = (&QUESTIONS[0], &QUESTIONS[QUESTIONS.len() - 1]);
    p.mark_seen(a.lab, a.id);
    p.predict(a.lab, a.id, a.answer);
    p.mark_seen(b.lab, b.id);
    let c = &QUESTIONS[1];
    p.predict(c.lab, c.id, (c.answer + 1) % c.choices.len());
    p.save();
    let root = mount("#/progress").await;
    wait_for(3000, "the progress page", || {
        find(&root, "[data-testid=progress-page]").is_some()
    })
    .await;
    let total = text(&root, "[data-testid=progress-total]");
    assert!(
        total.starts_with(&format!(
            "Done: 2 of {} experiments · predictions right: 1",
            QUESTIONS.len()
        )),
        "{total}"
    );
    let row = find(&root, &format!("[data-testid=row-{}-{}]", a.lab, a.id)).unwrap();
    assert_eq!(row.get_attribute("data-done").as_deref(), Some("true"));
    let link = text(&root, "[data-testid=progress-link]");
    let hash = link.split_once('#').unwrap().1.to_string();
    root.remove();

    // The teacher opens the link in another browser: the same table, read-only.
    Progress::clear();
    let root = mount(&format!("#{hash}")).await;
    wait_for(3000, "the shared summary", || {
        find(&root, "[data-testid=shared-banner]").is_some()
    })
    .await;
    assert_eq!(text(&root, "h1"), "Ada L's progress");
    assert!(text(&root, "[data-testid=progress-total]").starts_with("Done: 2 of"));
    // A wrong prediction reads back as wrong, not as no prediction.
    let wrong = text(&root, &format!("[data-testid=row-{}-{}]", c.lab, c.id));
    assert!(wrong.contains("not right"), "{wrong}");
    root.remove();

    // A mangled link says what is wrong instead of failing.
    let root = mount("#/progress?p=zz!").await;
    wait_for(3000, "the error", || {
        find(&root, "[data-testid=url-error]").is_some()
    })
    .await;
    assert!(text(&root, "[data-testid=url-error]").contains("p: expected"));
    root.remove();
}

/// The teacher pastes a chat's worth of summary links on the class page: one row per student,
/// a tally per experiment, and the bad link named by its line.
#[wasm_bindgen_test]
async fn the_class_page_merges_pasted_summary_links() {
    use wasm_bindgen::JsCast;
    let labs = scalelab::guided::page::labs();
    let q = &QUESTIONS[0];
    let mut ada = Progress::default();
    ada.mark_seen(q.lab, q.id);
    ada.predict(q.lab, q.id, q.answer);
    let mut bo = Progress::default();
    bo.mark_seen(q.lab, q.id);
    bo.predict(q.lab, q.id, (q.answer + 1) % q.choices.len());
    let paste = format!(
        "Ada: http://h/#/progress?name=Ada&p={}\nhttp://h/#/progress?name=Bo&p={}\nCy: http://h/#/progress?name=Cy&p=zz\n",
        ada.encode(&labs),
        bo.encode(&labs)
    );
    if let Some(s) = web_sys::window().unwrap().local_storage().unwrap() {
        s.remove_item("scalelab.class.v1").unwrap();
    }
    let root = mount("#/class").await;
    wait_for(3000, "the class page", || {
        find(&root, "[data-testid=class-page]").is_some()
    })
    .await;
    assert_eq!(text(&root, "[data-testid=class-count]"), "No students yet.");
    let area: web_sys::HtmlTextAreaElement = find(&root, "[data-testid=class-links]")
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value(&paste);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    wait_for(3000, "two students", || {
        text(&root, "[data-testid=class-count]") == "2 students"
    })
    .await;
    let rows = root
        .query_selector_all("[data-testid=class-student]")
        .unwrap();
    assert_eq!(rows.length(), 2);
    assert_eq!(
        text(&root, "[data-testid=class-done]"),
        format!("1/{}", QUESTIONS.len())
    );
    let row = text(
        &root,
        &format!("[data-testid=class-row-{}-{}]", q.lab, q.id),
    );
    assert!(row.contains("2 of 2"), "{row}");
    let problems = text(&root, "[data-testid=class-problems]");
    assert!(problems.contains("line 3: p: expected"), "{problems}");
    root.remove();

    // The paste is kept: a reload shows the same class.
    let root = mount("#/class").await;
    wait_for(3000, "the kept class", || {
        text(&root, "[data-testid=class-count]") == "2 students"
    })
    .await;
    click(&root, "[data-testid=class-clear]");
    wait_for(3000, "an empty class", || {
        text(&root, "[data-testid=class-count]") == "No students yet."
    })
    .await;
    root.remove();
}
