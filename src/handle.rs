//! One handle table for every waitable object a program can name: sockets now, events,
//! ports and threads as they arrive.
//!
//! A handle value is `((generation << 20) | (index + 1)) << 2`: a multiple of 4 like a
//! Windows handle, never 0, never `INVALID_SOCKET`/`INVALID_HANDLE_VALUE`, and below 2^31 so
//! programs that keep a `SOCKET` in an `int` still work. Each slot keeps a 9-bit generation
//! that moves on every close, and freed slots are reused oldest first, so a stale handle is
//! rejected until its slot has been reused 512 times. Lookup is O(1): slots live in chunks
//! that are allocated once and never move.

use crate::socket::Socket;
use once_cell::sync::OnceCell;
use parking_lot::{Mutex, RwLock};
use std::collections::VecDeque;
use std::sync::Arc;

const INDEX_BITS: u32 = 20;
const GEN_BITS: u32 = 9;
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;
const MAX_SLOTS: usize = (1 << INDEX_BITS) - 1;
const CHUNKS: usize = (MAX_SLOTS + CHUNK) / CHUNK;
const GEN_MASK: u32 = (1 << GEN_BITS) - 1;

/// Everything a handle can name.
#[derive(Clone)]
pub enum Object {
    Socket(Arc<Socket>),
    Event(Arc<crate::wait::event::Event>),
    Port(Arc<crate::iocp::Port>),
    File(Arc<crate::file::File>),
    Thread(Arc<crate::wait::threads::Thread>),
}

#[derive(Default)]
struct Slot {
    /// (generation, object); the generation is only read or written under this lock.
    inner: RwLock<(u32, Option<Object>)>,
}

pub struct Table {
    chunks: [OnceCell<Box<[Slot]>>; CHUNKS],
    alloc: Mutex<Alloc>,
}

struct Alloc {
    /// Slots that have never been used.
    next_fresh: usize,
    /// Freed slots, reused oldest first.
    free: VecDeque<usize>,
    live: usize,
}

fn encode(index: usize, gen: u32) -> usize {
    ((((gen & GEN_MASK) as usize) << INDEX_BITS) | (index + 1)) << 2
}

fn decode(h: usize) -> Option<(usize, u32)> {
    // The low two bits of a handle are tag bits Windows ignores.
    let h = h & !3;
    if h >> (2 + INDEX_BITS + GEN_BITS) != 0 {
        return None;
    }
    let v = h >> 2;
    let idx1 = v & ((1 << INDEX_BITS) - 1);
    if idx1 == 0 {
        return None;
    }
    Some((idx1 - 1, (v >> INDEX_BITS) as u32))
}

impl Table {
    const fn new() -> Table {
        Table {
            chunks: [const { OnceCell::new() }; CHUNKS],
            alloc: Mutex::new(Alloc {
                next_fresh: 0,
                free: VecDeque::new(),
                live: 0,
            }),
        }
    }

    fn slot(&self, index: usize) -> Option<&Slot> {
        self.chunks
            .get(index >> CHUNK_BITS)?
            .get()
            .map(|c| &c[index & (CHUNK - 1)])
    }

    /// Store `obj` and return its new handle value, or `None` when the table is full.
    pub fn insert(&self, obj: Object) -> Option<usize> {
        let index = {
            let mut a = self.alloc.lock();
            // Keep a reserve of never-used slots before recycling, so a freed slot waits
            // behind many others before its generation moves again.
            let index = if a.free.len() > 1024 || a.next_fresh >= MAX_SLOTS {
                a.free.pop_front()?
            } else {
                let i = a.next_fresh;
                a.next_fresh += 1;
                i
            };
            a.live += 1;
            index
        };
        let chunk = self.chunks[index >> CHUNK_BITS]
            .get_or_init(|| (0..CHUNK).map(|_| Slot::default()).collect());
        let mut g = chunk[index & (CHUNK - 1)].inner.write();
        g.1 = Some(obj);
        Some(encode(index, g.0))
    }

    /// The object a handle names, if the handle is live.
    pub fn get(&self, h: usize) -> Option<Object> {
        let (index, gen) = decode(h)?;
        let g = self.slot(index)?.inner.read();
        if g.0 == gen {
            g.1.clone()
        } else {
            None
        }
    }

    /// Take the object out of the table; the handle is dead from here on.
    pub fn remove(&self, h: usize) -> Option<Object> {
        let (index, gen) = decode(h)?;
        let obj = {
            let mut g = self.slot(index)?.inner.write();
            if g.0 != gen || g.1.is_none() {
                return None;
            }
            g.0 = (g.0 + 1) & GEN_MASK;
            g.1.take()
        };
        let mut a = self.alloc.lock();
        a.free.push_back(index);
        a.live -= 1;
        obj
    }

    /// Every live handle with its object (used by `WSACleanup`).
    pub fn snapshot(&self) -> Vec<(usize, Object)> {
        let mut out = Vec::new();
        for (ci, c) in self.chunks.iter().enumerate() {
            let Some(c) = c.get() else { break };
            for (si, s) in c.iter().enumerate() {
                let g = s.inner.read();
                if let Some(o) = &g.1 {
                    out.push((encode((ci << CHUNK_BITS) | si, g.0), o.clone()));
                }
            }
        }
        out
    }

    pub fn live(&self) -> usize {
        self.alloc.lock().live
    }
}

static TABLE: Table = Table::new();

pub fn table() -> &'static Table {
    &TABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dummy() -> Object {
        Object::Socket(Arc::new(Socket::for_tests()))
    }

    #[test]
    fn values_are_windows_shaped() {
        let t = Table::new();
        for _ in 0..100 {
            let h = t.insert(dummy()).unwrap();
            assert_ne!(h, 0);
            assert_ne!(h, usize::MAX);
            assert_eq!(h & 3, 0);
            assert!(h < (1 << 31));
        }
        assert!(t.get(0).is_none());
        assert!(t.get(usize::MAX).is_none());
        assert!(t.get(1).is_none());
    }

    #[test]
    fn stale_handles_are_rejected_after_reuse() {
        let t = Table::new();
        let h = t.insert(dummy()).unwrap();
        assert!(t.remove(h).is_some());
        assert!(t.get(h).is_none());
        assert!(t.remove(h).is_none());
        // Churn until the same slot is handed out again: the value differs.
        let mut seen_same_slot = false;
        for _ in 0..3000 {
            let h2 = t.insert(dummy()).unwrap();
            if decode(h2).unwrap().0 == decode(h).unwrap().0 {
                assert_ne!(h2, h);
                seen_same_slot = true;
                assert!(t.get(h).is_none());
            }
            t.remove(h2);
        }
        assert!(seen_same_slot);
    }

    #[test]
    fn generation_wraps_only_after_many_reuses() {
        let (i, g) = decode(encode(5, 511)).unwrap();
        assert_eq!((i, g), (5, 511));
        assert_eq!(decode(encode(MAX_SLOTS - 1, 0)).unwrap().0, MAX_SLOTS - 1);
    }

    #[test]
    fn concurrent_insert_remove() {
        static T: Table = Table::new();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    for _ in 0..2000 {
                        let h = T.insert(dummy()).unwrap();
                        assert!(T.get(h).is_some());
                        assert!(T.remove(h).is_some());
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(T.live(), 0);
    }
}
