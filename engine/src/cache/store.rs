//! The cache's slots with a replacement policy. One ordered set ranks every entry, so LRU, LFU
//! and FIFO are the same code with a different rank: evict = take the lowest rank.

use crate::sim::fxhash::FxHashMap;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Least recently used goes first.
    Lru,
    /// Least frequently used goes first (ties: least recently used).
    Lfu,
    /// Oldest insertion goes first, whatever its use.
    Fifo,
}

/// One cached key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The store's version of the value when it was cached.
    pub version: u64,
    /// Expiry in µs of virtual time (`u64::MAX`: never).
    pub expires: u64,
    pub hits: u64,
    rank: (u64, u64),
}

#[derive(Clone, Debug)]
pub struct Slots {
    pub policy: Policy,
    pub capacity: usize,
    entries: FxHashMap<u32, Entry>,
    order: BTreeSet<(u64, u64, u32)>,
    clock: u64,
    pub evictions: u64,
}

impl Slots {
    pub fn new(policy: Policy, capacity: usize) -> Self {
        Slots {
            policy,
            capacity,
            entries: FxHashMap::default(),
            order: BTreeSet::new(),
            clock: 0,
            evictions: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: u32) -> Option<&Entry> {
        self.entries.get(&key)
    }

    fn rerank(&mut self, key: u32, rank: (u64, u64)) {
        if let Some(e) = self.entries.get_mut(&key) {
            self.order.remove(&(e.rank.0, e.rank.1, key));
            e.rank = rank;
            self.order.insert((rank.0, rank.1, key));
        }
    }

    /// Records a hit on `key` (moves it up under LRU and LFU).
    pub fn touch(&mut self, key: u32) {
        self.clock += 1;
        let clock = self.clock;
        let Some(e) = self.entries.get_mut(&key) else {
            return;
        };
        e.hits += 1;
        let rank = match self.policy {
            Policy::Lru => (clock, 0),
            Policy::Lfu => (e.hits + 1, clock),
            Policy::Fifo => e.rank,
        };
        self.rerank(key, rank);
    }

    /// Inserts or replaces `key`; returns the key evicted to make room, if any.
    pub fn put(&mut self, key: u32, version: u64, expires: u64) -> Option<u32> {
        if self.capacity == 0 {
            return None;
        }
        self.clock += 1;
        let clock = self.clock;
        if let Some(e) = self.entries.get_mut(&key) {
            e.version = version;
            e.expires = expires;
            return None;
        }
        let mut evicted = None;
        if self.entries.len() >= self.capacity {
            if let Some(&(a, b, victim)) = self.order.iter().next() {
                self.order.remove(&(a, b, victim));
                self.entries.remove(&victim);
                self.evictions += 1;
                evicted = Some(victim);
            }
        }
        let rank = match self.policy {
            Policy::Lru | Policy::Fifo => (clock, 0),
            Policy::Lfu => (1, clock),
        };
        self.entries.insert(
            key,
            Entry {
                version,
                expires,
                hits: 0,
                rank,
            },
        );
        self.order.insert((rank.0, rank.1, key));
        evicted
    }

    pub fn remove(&mut self, key: u32) -> bool {
        match self.entries.remove(&key) {
            Some(e) => {
                self.order.remove(&(e.rank.0, e.rank.1, key));
                true
            }
            None => false,
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
    }

    /// Keys from first to be evicted to last (for drawing the slots).
    pub fn eviction_order(&self) -> impl Iterator<Item = u32> + '_ {
        self.order.iter().map(|(_, _, k)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_evicts_the_least_recently_used() {
        let mut s = Slots::new(Policy::Lru, 2);
        s.put(1, 0, u64::MAX);
        s.put(2, 0, u64::MAX);
        s.touch(1);
        assert_eq!(s.put(3, 0, u64::MAX), Some(2));
        assert!(s.get(1).is_some() && s.get(3).is_some());
    }

    #[test]
    fn lfu_keeps_the_popular_and_fifo_ignores_use() {
        let mut s = Slots::new(Policy::Lfu, 2);
        s.put(1, 0, u64::MAX);
        s.put(2, 0, u64::MAX);
        s.touch(1);
        s.touch(1);
        s.touch(2);
        assert_eq!(s.put(3, 0, u64::MAX), Some(2));
        let mut f = Slots::new(Policy::Fifo, 2);
        f.put(1, 0, u64::MAX);
        f.put(2, 0, u64::MAX);
        f.touch(1);
        assert_eq!(f.put(3, 0, u64::MAX), Some(1));
    }
}
