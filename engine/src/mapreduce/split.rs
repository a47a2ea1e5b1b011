//! Cutting inputs into map tasks. A split ends at a line break near the target size (so grep
//! and log lines stay whole), or, in a text without line breaks, at the first word boundary
//! after it; never inside a UTF-8 character or a word.

use super::job::Input;

/// One map task's share of an input: bytes `start..end` of document `doc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub doc: u32,
    pub start: usize,
    pub end: usize,
    /// 1-based number of the split's first line within its document.
    pub first_line: u64,
}

impl Split {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// How far past the target a split may reach to end on a line break.
const LINE_SLACK: usize = 4096;

fn is_letter_at(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(char::is_alphabetic)
}

fn is_letter_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic)
}

fn boundary_after(text: &str, target: usize) -> usize {
    let bytes = text.as_bytes();
    if target >= bytes.len() {
        return bytes.len();
    }
    let window_end = (target + LINE_SLACK).min(bytes.len());
    if let Some(nl) = bytes[target..window_end].iter().position(|b| *b == b'\n') {
        return target + nl + 1;
    }
    let mut i = target;
    while !text.is_char_boundary(i) {
        i += 1;
    }
    while i < bytes.len() && is_letter_before(text, i) && is_letter_at(text, i) {
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    i
}

/// Splits every input into pieces of about `split_bytes` (at least 1).
pub fn make_splits(inputs: &[Input], split_bytes: usize) -> Vec<Split> {
    let split_bytes = split_bytes.max(1);
    let mut out = Vec::new();
    for (doc, input) in inputs.iter().enumerate() {
        let text: &str = &input.text;
        let mut start = 0;
        let mut line = 1u64;
        while start < text.len() {
            let end = boundary_after(text, start + split_bytes);
            out.push(Split {
                doc: doc as u32,
                start,
                end,
                first_line: line,
            });
            line += text.as_bytes()[start..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            start = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapreduce::job::words;
    use proptest::prelude::*;

    #[test]
    fn prefers_line_breaks() {
        let inputs = vec![Input::new("a", "one two\nthree four\nfive\n")];
        let s = make_splits(&inputs, 5);
        assert_eq!(s[0].end, 8);
        assert_eq!(s[1].first_line, 2);
        let joined: String = s.iter().map(|x| &inputs[0].text[x.start..x.end]).collect();
        assert_eq!(joined, *inputs[0].text);
    }

    proptest! {
        #[test]
        fn splits_cover_the_input_and_never_cut_a_word(
            text in "[a-zé漢 \\n.,]{0,400}",
            size in 1usize..50,
        ) {
            let inputs = vec![Input::new("t", text.clone())];
            let splits = make_splits(&inputs, size);
            let mut pos = 0;
            let mut pieces: Vec<&str> = Vec::new();
            for s in &splits {
                prop_assert_eq!(s.start, pos);
                prop_assert!(s.end > s.start);
                prop_assert!(text.is_char_boundary(s.end));
                pieces.push(&text[s.start..s.end]);
                pos = s.end;
            }
            prop_assert_eq!(pos, text.len());
            let whole: Vec<&str> = words(&text).collect();
            let split_words: Vec<&str> = pieces.iter().flat_map(|p| words(p)).collect();
            prop_assert_eq!(whole, split_words);
        }
    }
}
