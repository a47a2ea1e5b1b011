//! Checks a learner's own file before it becomes a MapReduce input: text only, of a kind the
//! jobs understand, small enough to run comfortably in a browser tab.

use crate::sim::FieldError;

/// Largest accepted upload: 8 MiB (the eight shipped books together are 3.2 MiB).
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
pub const EXTENSIONS: [&str; 3] = ["txt", "csv", "log"];

/// Returns the text, or an error naming the problem.
pub fn validate_upload(name: &str, bytes: &[u8]) -> Result<String, FieldError> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !EXTENSIONS.contains(&ext.as_str()) {
        return Err(FieldError::new(
            "upload",
            format!("`{name}`: only .txt, .csv and .log files can be used as input"),
        ));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(FieldError::new(
            "upload",
            format!(
                "`{name}` is {:.1} MiB; the limit is 8 MiB",
                bytes.len() as f64 / 1048576.0
            ),
        ));
    }
    if bytes.contains(&0) {
        return Err(FieldError::new(
            "upload",
            format!("`{name}` looks like a binary file (it contains NUL bytes)"),
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        FieldError::new(
            "upload",
            format!(
                "`{name}` is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_text_and_rejects_the_rest() {
        assert_eq!(
            validate_upload("a.TXT", "héllo".as_bytes()).unwrap(),
            "héllo"
        );
        assert!(validate_upload("a.exe", b"x")
            .unwrap_err()
            .message
            .contains(".txt"));
        assert!(validate_upload("a.txt", b"x\0y")
            .unwrap_err()
            .message
            .contains("binary"));
        assert!(validate_upload("a.log", &[0xff, 0xfe])
            .unwrap_err()
            .message
            .contains("UTF-8"));
        let big = vec![b'a'; MAX_UPLOAD_BYTES + 1];
        assert!(validate_upload("a.csv", &big)
            .unwrap_err()
            .message
            .contains("8 MiB"));
    }
}
