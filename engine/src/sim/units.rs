//! Numbers in the unit a learner reads at a glance. Used by the page and by the engine's own
//! sentences (the Spark log summary), so a byte count reads the same everywhere.

/// Decimal units: B, kB, MB, GB, TB.
pub fn bytes(b: f64) -> String {
    if b >= 1e12 {
        format!("{:.2} TB", b / 1e12)
    } else if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{b:.0} B")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_unit() {
        use super::bytes;
        assert_eq!(bytes(999.0), "999 B");
        assert_eq!(bytes(1_500.0), "1.5 kB");
        assert_eq!(bytes(2_000_000.0), "2.0 MB");
        assert_eq!(bytes(215.1e9), "215.1 GB");
        assert_eq!(bytes(1.234e12), "1.23 TB");
    }
}
