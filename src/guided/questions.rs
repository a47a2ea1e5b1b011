//! The "predict" questions of guided mode: one per guided experiment, asked before the learner
//! runs it and explained after the engine has shown it. Wording is ScaleLab's own.

/// A multiple-choice prediction tied to one guided experiment of one lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Predict {
    /// The lab's route slug (`scaling`, `mapreduce`, ...).
    pub lab: &'static str,
    /// The experiment's id in that lab (the `exp-<id>` test id on the page).
    pub id: &'static str,
    /// The experiment's title, as the lab shows it (the class summary page lists these).
    pub title: &'static str,
    pub question: &'static str,
    /// Three or four answers; exactly one is right.
    pub choices: &'static [&'static str],
    /// Index of the right answer in `choices`.
    pub answer: usize,
    /// Why the right answer is right, in terms of what the learner just saw on the page.
    pub why: &'static str,
}

/// Every prediction, grouped by lab in curriculum order.
pub const QUESTIONS: &[Predict] = &[
    // (to be written)
];
