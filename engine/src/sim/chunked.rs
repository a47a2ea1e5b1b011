//! A growable array and a first-in-first-out line, stored in fixed-size chunks that copies of
//! them share.
//!
//! Time travel keeps copies of a running world, and the queue lab's world holds every message
//! it ever produced: millions of entries at its largest setting, so a plain `Vec` made each copy
//! a 50–150 ms memcpy (a visible stutter) and each doubling of the `Vec` another one. Here a
//! copy clones one pointer per chunk, and a chunk is copied only when a world that shares it
//! writes to it, which for a message log is the few recent chunks with messages still in
//! flight. Growing never moves old entries. The caching lab's store, overloaded, has the
//! same problem with its waiting line (millions of requests), hence [`ChunkedDeque`].

use std::collections::VecDeque;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

/// Entries per chunk: big enough that the pointer list stays short (1,000 pointers for 4M
/// entries), small enough that copying a chunk on write is cheap (a few hundred KB at most).
const CHUNK: usize = 4096;

#[derive(Clone, Debug, Default)]
pub struct ChunkedVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T: Clone> ChunkedVec<T> {
    pub fn new() -> Self {
        ChunkedVec {
            chunks: Vec::new(),
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        if let Some(last) = self.chunks.last_mut() {
            Arc::make_mut(last).push(value);
            self.len += 1;
        }
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// Copies the entry's chunk first if another copy of the array still shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        Arc::make_mut(&mut self.chunks[i / CHUNK]).get_mut(i % CHUNK)
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

impl<T: Clone> Index<usize> for ChunkedVec<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(v) => v,
            None => panic!("index {i} out of range for a ChunkedVec of {}", self.len),
        }
    }
}

impl<T: Clone> IndexMut<usize> for ChunkedVec<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len;
        match self.get_mut(i) {
            Some(v) => v,
            None => panic!("index {i} out of range for a ChunkedVec of {len}"),
        }
    }
}

/// A first-in-first-out line in shared chunks: pushing at the back writes only the last chunk,
/// taking from the front only reads (the entry is cloned out), and a chunk is dropped once
/// everything in it has left.
#[derive(Clone, Debug, Default)]
pub struct ChunkedDeque<T> {
    chunks: VecDeque<Arc<Vec<T>>>,
    /// Entries of the front chunk already taken.
    head: usize,
    len: usize,
}

impl<T: Clone> ChunkedDeque<T> {
    pub fn new() -> Self {
        ChunkedDeque {
            chunks: VecDeque::new(),
            head: 0,
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push_back(&mut self, value: T) {
        if self.chunks.back().is_none_or(|c| c.len() == CHUNK) {
            self.chunks.push_back(Arc::new(Vec::with_capacity(CHUNK)));
        }
        if let Some(last) = self.chunks.back_mut() {
            Arc::make_mut(last).push(value);
            self.len += 1;
        }
    }

    pub fn pop_front(&mut self) -> Option<T> {
        let front = self.chunks.front()?;
        let value = front.get(self.head)?.clone();
        self.head += 1;
        self.len -= 1;
        // A front chunk that is not full is also the back one, so once it is read to its end
        // the line is empty; either way the chunk is done with.
        if self.head == front.len() {
            self.chunks.pop_front();
            self.head = 0;
        }
        Some(value)
    }

    /// Takes everything, oldest first (a crash empties the line).
    pub fn drain_all(&mut self) -> Vec<T> {
        let out = self.iter().cloned().collect();
        *self = ChunkedDeque::<T>::new();
        out
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        let head = self.head;
        self.chunks
            .iter()
            .enumerate()
            .flat_map(move |(i, c)| c[if i == 0 { head } else { 0 }..].iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_vec_across_chunk_edges() {
        let mut c = ChunkedVec::new();
        let mut v = Vec::new();
        for i in 0..(3 * CHUNK + 17) as u64 {
            c.push(i * 3);
            v.push(i * 3);
        }
        assert_eq!(c.len(), v.len());
        for i in [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK + 5, v.len() - 1] {
            assert_eq!(c[i], v[i]);
        }
        assert_eq!(c.get(v.len()), None);
        assert!(c.iter().copied().eq(v.iter().copied()));
        c[CHUNK] = 7;
        assert_eq!(c[CHUNK], 7);
    }

    #[test]
    fn a_copy_shares_chunks_until_one_side_writes() {
        let mut a = ChunkedVec::new();
        for i in 0..(2 * CHUNK) as u32 {
            a.push(i);
        }
        let snapshot = a.clone();
        assert!(Arc::ptr_eq(&a.chunks[0], &snapshot.chunks[0]));
        a[5] = 99;
        a.push(1);
        // The written chunk was copied; the other full chunk is still shared.
        assert!(!Arc::ptr_eq(&a.chunks[0], &snapshot.chunks[0]));
        assert!(Arc::ptr_eq(&a.chunks[1], &snapshot.chunks[1]));
        assert_eq!((a[5], snapshot[5]), (99, 5));
        assert_eq!((a.len(), snapshot.len()), (2 * CHUNK + 1, 2 * CHUNK));
    }

    #[test]
    fn a_line_is_first_in_first_out_across_chunks_and_copies_cheaply() {
        let mut d = ChunkedDeque::new();
        let mut v = VecDeque::new();
        let mut next = 0u32;
        // Uneven bursts in and out, so the front and back cross chunk edges at different times.
        for round in 0..40usize {
            for _ in 0..(round * 397) % 1500 {
                d.push_back(next);
                v.push_back(next);
                next += 1;
            }
            let copy = d.clone();
            let before: Vec<u32> = v.iter().copied().collect();
            for _ in 0..(round * 211) % 1300 {
                assert_eq!(d.pop_front(), v.pop_front());
            }
            assert_eq!(d.len(), v.len());
            assert!(d.iter().eq(v.iter()));
            // The copy still holds the line as it was.
            assert!(copy.iter().copied().eq(before));
        }
        assert!(
            d.chunks.len() <= d.len() / CHUNK + 2,
            "read chunks are dropped"
        );
        let rest = d.drain_all();
        assert!(rest.iter().eq(v.iter()));
        assert!(d.is_empty() && d.pop_front().is_none());
        d.push_back(1);
        assert_eq!(d.pop_front(), Some(1));
    }
}
