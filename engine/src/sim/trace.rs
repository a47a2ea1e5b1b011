//! The trace hash: every processed event is folded into one running 64-bit value, so "same
//! scenario + seed ⇒ same run" can be checked by comparing 16 hex digits, natively, in the
//! browser, and between the two.
//!
//! The fold is documented so other tools can reproduce it: each event contributes a sequence of
//! 64-bit words (its time in µs, then a kind tag, then its fields), and each word is mixed in as
//! `h = (rotl(h, 5) ^ word) * 0x517cc1b727220a95` (the FxHash step, wrapping). `finish` applies the
//! SplitMix64 finaliser so nearby states print very differently.

use crate::sim::SimTime;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// A running hash of everything that happened in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHash {
    state: u64,
    events: u64,
}

impl Default for TraceHash {
    fn default() -> Self {
        Self::new()
    }
}

impl TraceHash {
    pub fn new() -> Self {
        TraceHash {
            state: 0x243f_6a88_85a3_08d3,
            events: 0,
        }
    }

    #[inline]
    pub fn word(&mut self, w: u64) {
        self.state = (self.state.rotate_left(5) ^ w).wrapping_mul(K);
    }

    /// Folds bytes (names, keys) as little-endian 8-byte words, then their length.
    pub fn bytes(&mut self, b: &[u8]) {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(buf));
        }
        self.word(b.len() as u64);
    }

    /// Folds one event: its time, then its own words.
    #[inline]
    pub fn event<T: Traceable + ?Sized>(&mut self, time: SimTime, ev: &T) {
        self.events += 1;
        self.word(time.as_micros());
        ev.trace(self);
    }

    pub fn events(&self) -> u64 {
        self.events
    }

    pub fn finish(&self) -> u64 {
        let mut z = self.state ^ self.events;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The form shown on the page and printed by the CLI: 16 lowercase hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.finish())
    }
}

/// Anything that can be folded into the trace hash.
pub trait Traceable {
    fn trace(&self, h: &mut TraceHash);
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ev(u64, u64);
    impl Traceable for Ev {
        fn trace(&self, h: &mut TraceHash) {
            h.word(self.0);
            h.word(self.1);
        }
    }

    #[test]
    fn order_and_content_matter() {
        let mut a = TraceHash::new();
        a.event(SimTime(1), &Ev(1, 2));
        a.event(SimTime(2), &Ev(3, 4));
        let mut b = TraceHash::new();
        b.event(SimTime(2), &Ev(3, 4));
        b.event(SimTime(1), &Ev(1, 2));
        let mut c = TraceHash::new();
        c.event(SimTime(1), &Ev(1, 2));
        c.event(SimTime(2), &Ev(3, 4));
        assert_ne!(a.finish(), b.finish());
        assert_eq!(a.finish(), c.finish());
        assert_eq!(a.hex().len(), 16);
    }

    #[test]
    fn bytes_length_is_part_of_the_hash() {
        let mut a = TraceHash::new();
        a.bytes(b"ab");
        a.bytes(b"c");
        let mut b = TraceHash::new();
        b.bytes(b"a");
        b.bytes(b"bc");
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn known_value_is_stable() {
        // Pins the documented fold: changing it silently would change every shared link's hash.
        // The expected value was computed by an independent Python implementation of the fold
        // described in the module docs.
        let mut h = TraceHash::new();
        h.event(SimTime(1_000), &Ev(7, 9));
        assert_eq!(h.hex(), "4319f242340d39ed");
    }
}
