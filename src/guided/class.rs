//! `#/class`: a teacher pastes the summary links a class sent (from a chat, an e-mail, a
//! spreadsheet column) and sees the whole class at once: who did which lab's experiments, and
//! which predictions most of the class got wrong, the ones worth talking about. Nothing leaves
//! the teacher's browser: the links carry the progress, and the pasted text is kept in local
//! storage so a reload does not lose it.

use super::progress::{Progress, CSV_HEADER};
use super::questions::{Predict, QUESTIONS};
use crate::catalog::LABS;
use crate::widgets::export::download;
use scalelab_engine::sim::params::Params;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

const KEY: &str = "scalelab.class.v1";

/// Most links one paste reads: a lecture hall, with room to spare, and a bound on the work a
/// stray paste of a whole document can cause.
pub const MAX_STUDENTS: usize = 500;

/// One student's progress as their link gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Student {
    /// The name in the link, or "line N" when the student left it empty.
    pub name: String,
    /// Where in the pasted text the link was (1-based), so a problem can be found.
    pub line: usize,
    pub progress: Progress,
}

/// What a paste gave: the students, and every link or line that could not be used, each
/// message naming its line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Class {
    pub students: Vec<Student>,
    pub problems: Vec<String>,
}

/// Characters a chat or a sentence may leave stuck to the end of a pasted link.
const TRAILING: &[char] = &['.', ',', ';', ':', ')', ']', '>', '"', '\'', '!', '?'];

/// Reads every summary link (`…#/progress?name=…&p=…`) in `text`. Lines without a link are
/// skipped (a chat has names and greetings between links); a link without a name takes the
/// words before it on its line ("Ada: https://…"); a link that cannot be read is
/// reported with its line and what is wrong; a second link with the same name replaces the
/// first (a student who sent an update).
pub fn read_class(text: &str, labs: &[&str]) -> Class {
    let mut class = Class::default();
    let mut skipped = Vec::new();
    let mut capped = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        // Each link with the words just before it ("Ada Lovelace: https://…"), which name
        // the student when the link does not.
        let mut links: Vec<(String, &str)> = Vec::new();
        let mut before: Vec<&str> = Vec::new();
        for w in line.split_whitespace() {
            match w.split_once("progress?") {
                Some((_, q)) => links.push((std::mem::take(&mut before).join(" "), q)),
                None => before.push(w),
            }
        }
        if links.is_empty() {
            if !line.trim().is_empty() {
                skipped.push(n);
            }
            continue;
        }
        for (said, query) in links {
            if class.students.len() >= MAX_STUDENTS {
                capped = true;
                break;
            }
            let params = Params::parse(query.trim_end_matches(TRAILING));
            let Some(code) = params.get("p") else {
                class.problems.push(format!(
                    "line {n}: the link has no `p=` part; a summary link ends in `&p=` and {} characters",
                    labs.len() * 3
                ));
                continue;
            };
            match Progress::decode(code, labs) {
                Ok(mut progress) => {
                    let in_link = params.get("name").unwrap_or("").trim();
                    let in_chat = said.trim_end_matches([':', '-', '–', '—', ' ']);
                    let name: String = if in_link.is_empty() { in_chat } else { in_link }
                        .chars()
                        .take(60)
                        .collect();
                    progress.name = name.clone();
                    let name = if name.is_empty() {
                        format!("line {n}")
                    } else {
                        name
                    };
                    if let Some(old) = class.students.iter_mut().find(|s| s.name == name) {
                        class.problems.push(format!(
                            "line {n}: {name} sent a link before (line {}); the later one counts",
                            old.line
                        ));
                        *old = Student {
                            name,
                            line: n,
                            progress,
                        };
                    } else {
                        class.students.push(Student {
                            name,
                            line: n,
                            progress,
                        });
                    }
                }
                Err(e) => class.problems.push(format!("line {n}: {e}")),
            }
        }
    }
    if capped {
        class.problems.push(format!(
            "only the first {MAX_STUDENTS} links are read; paste the rest separately"
        ));
    }
    if !skipped.is_empty() {
        class.problems.push(format!(
            "{} with no summary link skipped ({})",
            plural(skipped.len(), "line"),
            list(&skipped)
        ));
    }
    class
}

/// How the class did on one experiment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub seen: usize,
    pub right: usize,
    pub wrong: usize,
}

pub fn tally(students: &[Student], q: &Predict) -> Tally {
    let mut t = Tally::default();
    for s in students {
        let e = s.progress.entry(q.lab, q.id);
        t.seen += usize::from(e.seen);
        match e.predicted {
            Some(c) if c == q.answer => t.right += 1,
            Some(_) => t.wrong += 1,
            None => {}
        }
    }
    t
}

/// One row per student and experiment, the same columns as a learner's own CSV.
pub fn class_csv(students: &[Student]) -> String {
    let mut csv = CSV_HEADER.to_string();
    for s in students {
        s.progress.csv_rows(&s.name, &mut csv);
    }
    csv
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "3, 5, 9" with at most ten numbers, then "and N more".
fn list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(|n| n.to_string()).collect();
    let mut s = shown.join(", ");
    if lines.len() > 10 {
        s.push_str(&format!(" and {} more", lines.len() - 10));
    }
    s
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

#[component]
pub fn ClassPage() -> Html {
    let text = use_state(|| {
        storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .unwrap_or_default()
    });
    let labs = super::page::labs();
    let class = use_memo((*text).clone(), |t| read_class(t, &super::page::labs()));
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let t: HtmlTextAreaElement = e.target_unchecked_into();
            let v = t.value();
            if let Some(s) = storage() {
                // A full or disabled storage only means the paste is not remembered.
                let _ = s.set_item(KEY, &v);
            }
            text.set(v);
        })
    };
    let on_clear = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = storage() {
                let _ = s.remove_item(KEY);
            }
            text.set(String::new());
        })
    };
    let on_csv = {
        let class = class.clone();
        Callback::from(move |_: MouseEvent| {
            download(
                "scalelab-class.csv",
                "text/csv",
                &class_csv(&class.students),
            )
        })
    };
    let students = &class.students;
    let n = students.len();
    let per_lab: Vec<(&str, Vec<&Predict>)> = labs
        .iter()
        .map(|l| (*l, QUESTIONS.iter().filter(|q| q.lab == *l).collect()))
        .collect();

    html! {
        <section class="progress-page class-page" data-testid="class-page">
            <h1>{ "Class summary" }</h1>
            <p class="lead">{ "Paste the summary links your students sent you (from the chat, an e-mail or a spreadsheet; \
                other text between them is ignored). The table shows who did which experiments and which predictions \
                the class got wrong. The links carry everything: nothing is sent anywhere, and the paste stays in this browser." }</p>
            <label class="field class-paste">
                <span>{ "Summary links, one or more per line" }</span>
                <textarea data-testid="class-links" rows="6" value={(*text).clone()} oninput={on_input}
                    placeholder="Ada: https://…/#/progress?name=Ada&p=…"
                    aria-describedby="class-count" spellcheck="false" />
            </label>
            <div class="progress-actions">
                <button class="btn" data-testid="class-csv" onclick={on_csv} disabled={n == 0}>{ "Download the class as CSV" }</button>
                <button class="btn" data-testid="class-clear" onclick={on_clear} disabled={text.is_empty()}>{ "Clear" }</button>
                <a class="btn" href="#/progress">{ "My own progress" }</a>
            </div>
            <p class="progress-total" id="class-count" data-testid="class-count" aria-live="polite">
                { match n {
                    0 => "No students yet.".to_string(),
                    1 => "1 student".to_string(),
                    n => format!("{n} students"),
                } }
            </p>
            if !class.problems.is_empty() {
                <div class="banner error" role="status" data-testid="class-problems">
                    { "Not everything pasted could be used:" }
                    <ul>{ for class.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                </div>
            }
            if n > 0 {
                <section class="panel">
                    <h2>{ "Students" }</h2>
                    <p class="small muted">{ "Per lab: experiments done of those it has, and (✔) predictions right." }</p>
                    <div class="scroll-x" tabindex="0" role="region" aria-label="Students by lab (scrolls sideways)">
                        <table class="results class-table" data-testid="class-students">
                            <thead><tr>
                                <th scope="col">{ "Student" }</th>
                                { for per_lab.iter().map(|(slug, _)| {
                                    let info = LABS.iter().find(|l| l.slug == *slug);
                                    let (num, title) = info.map(|l| (l.number, l.title)).unwrap_or((0, "")) ;
                                    html! { <th scope="col" title={title}>{ format!("Lab {num}") }</th> }
                                }) }
                                <th scope="col">{ "Done" }</th>
                                <th scope="col">{ "Right" }</th>
                            </tr></thead>
                            <tbody>
                                { for students.iter().map(|s| {
                                    let mut done = 0;
                                    let mut right = 0;
                                    let cells: Html = per_lab.iter().map(|(_, qs)| {
                                        let d = qs.iter().filter(|q| s.progress.entry(q.lab, q.id).seen).count();
                                        let r = qs.iter().filter(|q| s.progress.entry(q.lab, q.id).predicted == Some(q.answer)).count();
                                        done += d;
                                        right += r;
                                        let mark = if d == qs.len() { "● " } else if d > 0 { "◐ " } else { "○ " };
                                        html! { <td>{ format!("{mark}{d}/{} ✔{r}", qs.len()) }</td> }
                                    }).collect();
                                    html! {
                                        <tr data-testid="class-student">
                                            <th scope="row">{ &s.name }</th>
                                            { cells }
                                            <td data-testid="class-done">{ format!("{done}/{}", QUESTIONS.len()) }</td>
                                            <td data-testid="class-right">{ right }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class="panel">
                    <h2>{ "Experiments" }</h2>
                    <p class="small muted">{ "How many students saw each experiment happen, and how their predictions went. \
                        A prediction most got wrong is a good one to discuss." }</p>
                    <table class="results class-table" data-testid="class-experiments">
                        <thead><tr>
                            <th scope="col">{ "Lab" }</th><th scope="col">{ "Experiment" }</th>
                            <th scope="col">{ "Done" }</th><th scope="col">{ "Right" }</th><th scope="col">{ "Not right" }</th>
                        </tr></thead>
                        <tbody>
                            { for QUESTIONS.iter().map(|q| {
                                let t = tally(students, q);
                                let num = LABS.iter().find(|l| l.slug == q.lab).map(|l| l.number).unwrap_or(0);
                                let discuss = t.wrong > t.right && t.wrong > 0;
                                html! {
                                    <tr data-testid={format!("class-row-{}-{}", q.lab, q.id)}>
                                        <td>{ num }</td>
                                        <td>{ q.title }</td>
                                        <td>{ format!("{} of {n}", t.seen) }</td>
                                        <td>{ t.right }</td>
                                        <td>{ t.wrong }{ if discuss { " ⚑ discuss" } else { "" } }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </section>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::guided::page::labs;

    fn link(name: &str, p: &Progress, labs: &[&str]) -> String {
        let mut q = Params::new();
        q.set("name", name);
        q.set("p", p.encode(labs));
        format!("http://localhost:8080/#/progress?{}", q.encode())
    }

    #[test]
    fn a_chat_of_links_reads_as_a_class() {
        let labs = labs();
        let q = &QUESTIONS[0];
        let mut ada = Progress::default();
        ada.mark_seen(q.lab, q.id);
        ada.predict(q.lab, q.id, q.answer);
        let mut bo = Progress::default();
        bo.predict(q.lab, q.id, (q.answer + 1) % q.choices.len());
        let text = format!(
            "Hi all, here are mine\nAda: {}.\n\n{} (Bo Li)\nthanks!",
            link("Ada", &ada, &labs),
            link("Bo Li", &bo, &labs)
        );
        let class = read_class(&text, &labs);
        let names: Vec<_> = class.students.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ada", "Bo Li"]);
        assert_eq!(class.students[0].line, 2);
        let t = tally(&class.students, q);
        assert_eq!(
            t,
            Tally {
                seen: 1,
                right: 1,
                wrong: 1
            }
        );
        assert_eq!(
            class.problems,
            ["2 lines with no summary link skipped (1, 5)"]
        );
        let csv = class_csv(&class.students);
        assert_eq!(csv.lines().count(), 1 + 2 * QUESTIONS.len());
        assert!(csv.contains(&format!("\"Ada\",{},", q.lab)), "{csv}");
    }

    #[test]
    fn bad_links_name_their_line_and_a_resend_replaces_the_first() {
        let labs = labs();
        let q = &QUESTIONS[1];
        let mut later = Progress::default();
        later.mark_seen(q.lab, q.id);
        let code = Progress::default().encode(&labs);
        let text = format!(
            "{}\nhttp://x/#/progress?name=Cy&p=zz\nhttp://x/#/progress?name=Di\n{}\nhttp://x/#/progress?p={code}\n\
             Eve Ng: http://x/#/progress?p={code} Fay - http://x/#/progress?p={code}",
            link("Ada", &Progress::default(), &labs),
            link("Ada", &later, &labs),
        );
        let class = read_class(&text, &labs);
        let names: Vec<_> = class.students.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ada", "line 5", "Eve Ng", "Fay"]);
        assert_eq!(class.students[0].name, "Ada");
        assert_eq!(class.students[0].line, 4);
        assert!(class.students[0].progress.entry(q.lab, q.id).seen);
        assert_eq!(class.students[1].name, "line 5");
        assert_eq!(class.problems.len(), 3, "{:?}", class.problems);
        assert!(class.problems[0].starts_with("line 2: p: expected"));
        assert!(class.problems[1].starts_with("line 3: the link has no `p=`"));
        assert!(class.problems[2].starts_with("line 4: Ada sent a link before (line 1)"));
    }

    #[test]
    fn a_huge_paste_is_capped() {
        let labs = labs();
        let one = format!(
            "http://x/#/progress?p={}\n",
            Progress::default().encode(&labs)
        );
        let class = read_class(&one.repeat(MAX_STUDENTS + 3), &labs);
        assert_eq!(class.students.len(), MAX_STUDENTS);
        assert_eq!(class.problems.len(), 1);
        assert!(class.problems[0].starts_with("only the first"));
    }
}
