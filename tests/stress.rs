//! The engine's stress test: 200 loopback TCP connections, 100000 overlapped operations
//! (WSARecv/WSASend, several pending per socket and direction, with events and with
//! completion routines) on four threads, with random `CancelIoEx` of single operations and
//! random `closesocket` of connections while operations are in flight (closed connections are
//! replaced by new ones).
//!
//! Checked: every operation that returned 0 or `WSA_IO_PENDING` is delivered exactly once
//! (an event set with `Internal` already final, or one routine call on the issuing thread),
//! nothing is lost (all delivered within a bound after the end), the byte streams of
//! connections that saw no cancelled send arrive in order without gaps or duplicates (a
//! cancelled receive takes no bytes) and every send completes whole; afterwards (`WSACleanup`) no fd growth and no heap growth proportional to
//! the number of operations.

mod common;

use common::*;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const THREADS: usize = 4;
const PAIRS_PER_THREAD: usize = 50;
/// Operations pending per socket and direction.
const DEPTH: usize = 3;
const MAX_LEN: usize = 32768;
/// Per issued operation: one chance in this of cancelling a random pending operation, and of
/// closing a random connection.
const CANCEL_ONE_IN: u64 = 150;
const CLOSE_ONE_IN: u64 = 400;
/// Bound for everything to complete after the end, and for a peer's operations to finish
/// after the other end of its connection was closed.
const DRAIN: Duration = Duration::from_secs(10);

/// One direction of one socket: its records and the order they were posted in.
#[derive(Default)]
struct Dir {
    recs: Vec<*mut OpRec>,
    /// Indices into `recs`, in posting order.
    posted: VecDeque<usize>,
    free: Vec<usize>,
    /// Next stream offset to send, or next offset expected to arrive.
    off: u64,
}

#[derive(Default)]
struct End {
    sock: SOCKET,
    open: bool,
    /// Stream seeds: what this end sends, what it receives.
    seed_out: u32,
    seed_in: u32,
    dirs: [Dir; 2], // 0: receives, 1: sends
    /// Receives reached end of stream or the connection failed: post no more.
    dead: bool,
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum State {
    Live,
    /// Being closed; no new operations.
    Closing(Instant),
    /// Both ends closed and every operation delivered: waiting to be replaced.
    Done,
}

struct Pair {
    ends: [End; 2],
    state: State,
    /// A CancelIoEx named one of its operations: its streams are no longer checked.
    tainted: bool,
}

/// Packs (pair, end, dir, record index) into a record's tag.
fn tag(p: usize, e: usize, d: usize, i: usize) -> usize {
    (p << 16) | (e << 12) | (d << 8) | i
}

fn untag(t: usize) -> (usize, usize, usize, usize) {
    (t >> 16, (t >> 12) & 0xf, (t >> 8) & 0xf, t & 0xff)
}

#[derive(Default, Debug, Clone)]
struct Stats {
    issued: usize,
    delivered: usize,
    issue_failures: usize,
    early: usize,
    dup: usize,
    mismatch: usize,
    cancels: usize,
    cancels_found: usize,
    closes: usize,
    pairs_opened: usize,
    checked_bytes: u64,
    /// Operations that completed at once (the call returned 0).
    immediate: usize,
    /// Operations that ended with STATUS_CANCELLED, and with another error.
    ended_cancelled: usize,
    ended_error: usize,
    /// Receives cancelled by CancelIoEx on connections whose streams stay checked.
    recv_cancelled: usize,
    errors: Vec<String>,
    /// Final statuses (direction, status, moved bytes?) of operations on ends this test had
    /// closed, and on ends whose peer it had closed.
    on_closed: std::collections::BTreeMap<(usize, usize, bool), usize>,
    on_peer_closed: std::collections::BTreeMap<(usize, usize, bool), usize>,
    leftover: usize,
}

struct Worker {
    id: usize,
    rng: Rng,
    pairs: Vec<Pair>,
    tracker: Tracker,
    /// The share of routine-mode operations, in percent.
    routine_pct: u64,
    stats: Stats,
    seeds: u32,
    budget: Arc<AtomicUsize>,
    limit: usize,
}

impl Worker {
    fn fail(&mut self, msg: String) {
        if self.stats.errors.len() < 20 {
            self.stats.errors.push(format!("thread {}: {msg}", self.id));
        }
    }

    fn new_pair(&mut self, p: usize) -> Pair {
        let (c, s) = tcp_pair();
        self.stats.pairs_opened += 1;
        if self.rng.one_in(2) {
            // Small socket buffers: sends wait in the kernel and move in parts.
            let v: i32 = 16384;
            for sock in [c, s] {
                for opt in [SO_SNDBUF, SO_RCVBUF] {
                    // SAFETY: a live int.
                    let r = unsafe {
                        ws2_setsockopt(sock, SOL_SOCKET, opt, &v as *const i32 as *const u8, 4)
                    };
                    assert_eq!(r, 0, "setsockopt: {}", last_error());
                }
            }
        }
        let a = self.seeds;
        self.seeds += 2;
        let seed_base = (self.id as u32) << 24;
        let mk = |sock, out: u32, inn: u32| {
            let mut e = End {
                sock,
                open: true,
                seed_out: seed_base | out,
                seed_in: seed_base | inn,
                ..Default::default()
            };
            for d in 0..2 {
                e.dirs[d].free = (0..DEPTH).rev().collect();
            }
            e
        };
        let mut pair = Pair {
            ends: [mk(c, a, a + 1), mk(s, a + 1, a)],
            state: State::Live,
            tainted: false,
        };
        // Records are made once per pair slot and kept across replacements.
        if let Some(old) = self.pairs.get_mut(p) {
            for e in 0..2 {
                for d in 0..2 {
                    pair.ends[e].dirs[d].recs = std::mem::take(&mut old.ends[e].dirs[d].recs);
                }
            }
        }
        for e in 0..2 {
            for d in 0..2 {
                let dir = &mut pair.ends[e].dirs[d];
                while dir.recs.len() < DEPTH {
                    let r = OpRec::create(MAX_LEN);
                    // SAFETY: a fresh record.
                    unsafe { (*r).tag = tag(p, e, d, dir.recs.len()) };
                    dir.recs.push(r);
                }
            }
        }
        pair
    }

    fn take_budget(&mut self) -> bool {
        self.budget.fetch_add(1, Ordering::Relaxed) < self.limit
    }

    /// Post operations on a live pair up to the depth.
    fn top_up(&mut self, p: usize) -> bool {
        for e in 0..2 {
            for d in 0..2 {
                loop {
                    let pair = &self.pairs[p];
                    if pair.state != State::Live || pair.ends[e].dead {
                        break;
                    }
                    if pair.ends[e].dirs[d].free.is_empty() {
                        break;
                    }
                    if !self.take_budget() {
                        return false;
                    }
                    let len = 1 + self.rng.below(MAX_LEN as u64) as usize;
                    let pieces = 1 + self.rng.below(3) as usize;
                    let routine = self.rng.below(100) < self.routine_pct;
                    let end = &mut self.pairs[p].ends[e];
                    let sock = end.sock;
                    let seed_out = end.seed_out;
                    let dir = &mut end.dirs[d];
                    let i = dir.free.pop().unwrap();
                    let r = dir.recs[i];
                    // SAFETY: an idle record of this pair.
                    unsafe {
                        if d == 1 {
                            fill_pattern(seed_out, dir.off, &mut (&mut (*r).buf)[..len]);
                        }
                        set_bufs(r, len, pieces);
                        match issue(sock, r, d == 1, routine) {
                            Issue::Ok => {
                                if (*r).immediate.is_some() {
                                    self.stats.immediate += 1;
                                }
                                dir.posted.push_back(i);
                                if d == 1 {
                                    dir.off += len as u64;
                                }
                                self.tracker.add(r);
                            }
                            Issue::Failed(err) => {
                                dir.free.push(i);
                                self.stats.issue_failures += 1;
                                let tainted = self.pairs[p].tainted;
                                self.pairs[p].ends[e].dead = true;
                                if !tainted {
                                    self.fail(format!(
                                        "{} on an untouched connection failed at once: {err}",
                                        if d == 1 { "WSASend" } else { "WSARecv" }
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
        true
    }

    /// A delivered record: check it against its connection, in posting order.
    fn settle(&mut self, r: *mut OpRec) {
        // SAFETY: a harvested record (no longer pending).
        let (p, e, d, _) = untag(unsafe { (*r).tag });
        let checked = !self.pairs[p].tainted && self.pairs[p].state == State::Live;
        let closing = matches!(self.pairs[p].state, State::Closing(_));
        let tainted = self.pairs[p].tainted;
        // Process completed records at the head of the posting order.
        loop {
            let dir = &self.pairs[p].ends[e].dirs[d];
            let Some(&head) = dir.posted.front() else {
                break;
            };
            let hr = dir.recs[head];
            // SAFETY: records of this pair; a pending one is only read through `pending`.
            if unsafe { (*hr).pending } {
                break;
            }
            self.pairs[p].ends[e].dirs[d].posted.pop_front();
            self.pairs[p].ends[e].dirs[d].free.push(head);
            // SAFETY: harvested, ours.
            let (status, bytes, len) = unsafe { ((*hr).status, (*hr).bytes, (*hr).len) };
            let ok = status == 0;
            if !self.pairs[p].ends[e].open {
                *self
                    .stats
                    .on_closed
                    .entry((d, status, bytes > 0))
                    .or_default() += 1;
            } else if !self.pairs[p].ends[1 - e].open {
                *self
                    .stats
                    .on_peer_closed
                    .entry((d, status, bytes > 0))
                    .or_default() += 1;
            }
            if status == STATUS_CANCELLED {
                self.stats.ended_cancelled += 1;
            } else if !ok {
                self.stats.ended_error += 1;
            }
            if d == 1 {
                if ok && bytes != len {
                    self.fail(format!("send of {len} bytes completed with {bytes}"));
                }
                if !ok {
                    self.pairs[p].ends[e].dead = true;
                    if checked {
                        self.fail(format!(
                            "send on an untouched connection failed: {status:#x}"
                        ));
                    }
                }
                continue;
            }
            // SAFETY: harvested, ours.
            let asked = unsafe { (*hr).cancel_asked };
            if status == STATUS_CANCELLED && asked && self.pairs[p].state == State::Live {
                // A receive this test cancelled: nothing may have been taken from the stream.
                self.stats.recv_cancelled += 1;
                if bytes != 0 {
                    self.fail(format!("a cancelled receive reports {bytes} bytes"));
                }
                continue;
            }
            if !ok || bytes == 0 {
                self.pairs[p].ends[e].dead = true;
                if checked {
                    self.fail(format!(
                        "receive on an untouched connection ended: status {status:#x}, {bytes} bytes"
                    ));
                }
                continue;
            }
            if bytes > len {
                self.fail(format!("receive of {len} bytes reported {bytes}"));
                continue;
            }
            let end = &self.pairs[p].ends[e];
            let (seed, off) = (end.seed_in, end.dirs[0].off);
            if !tainted {
                // SAFETY: harvested, ours.
                let data = unsafe { &(&(*hr).buf)[..bytes] };
                if let Some(at) = check_pattern(seed, off, data) {
                    self.fail(format!(
                        "stream data wrong at offset {at} (receive of {bytes} at {off}{})",
                        if closing { ", connection closing" } else { "" }
                    ));
                }
                self.stats.checked_bytes += bytes as u64;
            }
            self.pairs[p].ends[e].dirs[0].off += bytes as u64;
        }
    }

    fn pending_on(&self, p: usize, e: usize) -> usize {
        let end = &self.pairs[p].ends[e];
        end.dirs[0].posted.len() + end.dirs[1].posted.len()
    }

    fn close_end(&mut self, p: usize, e: usize) {
        let end = &mut self.pairs[p].ends[e];
        if end.open {
            end.open = false;
            // SAFETY: our socket.
            let r = unsafe { closesocket(end.sock) };
            if r != 0 {
                let err = last_error();
                self.fail(format!("closesocket: {err}"));
            }
        }
    }

    /// Begin closing a pair: one end now, the other now or once its operations are over.
    fn close_pair(&mut self, p: usize, both: bool) {
        if self.pairs[p].state != State::Live {
            return;
        }
        self.stats.closes += 1;
        self.pairs[p].state = State::Closing(Instant::now());
        let first = self.rng.below(2) as usize;
        self.close_end(p, first);
        if both {
            self.close_end(p, 1 - first);
        }
    }

    /// Move closing pairs along; replace finished ones while running.
    fn progress_closing(&mut self, running: bool) {
        for p in 0..self.pairs.len() {
            let State::Closing(since) = self.pairs[p].state else {
                continue;
            };
            for e in 0..2 {
                if self.pairs[p].ends[e].open && !self.pairs[p].ends[1 - e].open {
                    if self.pending_on(p, e) == 0 {
                        self.close_end(p, e);
                    } else if since.elapsed() > DRAIN {
                        let n = self.pending_on(p, e);
                        self.fail(format!(
                            "{n} operations still pending {DRAIN:?} after the peer closed"
                        ));
                        self.close_end(p, e);
                    }
                }
            }
            let closed = !self.pairs[p].ends[0].open && !self.pairs[p].ends[1].open;
            if closed && self.pending_on(p, 0) == 0 && self.pending_on(p, 1) == 0 {
                self.pairs[p].state = State::Done;
                if running {
                    let fresh = self.new_pair(p);
                    self.pairs[p] = fresh;
                }
            }
        }
    }

    /// Cancel one random pending operation of a random live pair.
    fn random_cancel(&mut self) {
        let p = self.rng.below(self.pairs.len() as u64) as usize;
        if self.pairs[p].state != State::Live {
            return;
        }
        let e = self.rng.below(2) as usize;
        let d = self.rng.below(2) as usize;
        let dir = &self.pairs[p].ends[e].dirs[d];
        if dir.posted.is_empty() {
            return;
        }
        let k = self.rng.below(dir.posted.len() as u64) as usize;
        let r = dir.recs[dir.posted[k]];
        let sock = self.pairs[p].ends[e].sock;
        self.stats.cancels += 1;
        // A cancelled send may have moved part of its bytes: that connection's streams are
        // unchecked from now on. A cancelled receive loses nothing (it completes with its
        // data, or cancelled with none), so those streams stay checked.
        if d == 1 {
            self.pairs[p].tainted = true;
        }
        // SAFETY: a live record; its OVERLAPPED stays valid until harvested.
        let res = unsafe {
            (*r).cancel_asked = true;
            CancelIoEx(sock, &mut (*r).ov)
        };
        if res != 0 {
            self.stats.cancels_found += 1;
        } else {
            // SAFETY: plain call.
            let err = unsafe { GetLastError() };
            if err != ERROR_NOT_FOUND {
                self.fail(format!("CancelIoEx failed with {err}"));
            }
        }
        // A connection with a cancelled send is closed at once, half the time (one with a
        // cancelled receive goes on, checked).
        if d == 1 && self.rng.one_in(2) {
            let both = self.rng.one_in(2);
            self.close_pair(p, both);
        }
    }

    fn run(mut self) -> Stats {
        self.pairs = Vec::new();
        for p in 0..PAIRS_PER_THREAD {
            let pair = self.new_pair(p);
            self.pairs.push(pair);
        }
        let mut done = Vec::new();
        let mut running = true;
        while running {
            for p in 0..self.pairs.len() {
                if self.pairs[p].state == State::Live && !self.top_up(p) {
                    running = false;
                    break;
                }
            }
            done.clear();
            self.tracker.harvest(1, &mut done);
            for &r in &done {
                self.settle(r);
            }
            let n = done.len() as u64;
            for _ in 0..n.max(1) {
                if self.rng.one_in(CANCEL_ONE_IN) {
                    self.random_cancel();
                }
                if self.rng.one_in(CLOSE_ONE_IN) {
                    let p = self.rng.below(self.pairs.len() as u64) as usize;
                    let both = self.rng.one_in(2);
                    self.close_pair(p, both);
                }
            }
            self.progress_closing(running);
        }
        // The end: close every connection with its operations in flight, then everything
        // issued must be delivered within the bound.
        for p in 0..self.pairs.len() {
            if self.pairs[p].state == State::Live {
                self.close_pair(p, true);
            }
            for e in 0..2 {
                self.close_end(p, e);
            }
        }
        let deadline = Instant::now() + DRAIN;
        while !self.tracker.pending.is_empty() && Instant::now() < deadline {
            done.clear();
            self.tracker.harvest(5, &mut done);
            for &r in &done {
                self.settle(r);
            }
        }
        self.stats.leftover = self.tracker.pending.len();
        self.stats.issued = self.tracker.issued;
        self.stats.delivered = self.tracker.delivered;
        self.stats.early = self.tracker.early;
        self.stats.dup = self.tracker.dup;
        self.stats.mismatch = self.tracker.mismatch;
        if self.stats.leftover == 0 {
            for pair in &self.pairs {
                for e in &pair.ends {
                    for d in &e.dirs {
                        for &r in &d.recs {
                            // SAFETY: nothing pending; never used again.
                            unsafe { OpRec::destroy(r) };
                        }
                    }
                }
            }
        }
        self.stats
    }
}

/// One round on `THREADS` threads with `ops` operations in total.
fn round(ops: usize, seed: u64) -> Stats {
    startup();
    let budget = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..THREADS)
        .map(|id| {
            let budget = budget.clone();
            let results = results.clone();
            std::thread::Builder::new()
                .name(format!("stress-{id}"))
                .spawn(move || {
                    let w = Worker {
                        id,
                        rng: Rng::new(seed * 31 + id as u64),
                        pairs: Vec::new(),
                        tracker: Tracker::default(),
                        routine_pct: [0, 100, 50, 50][id % 4],
                        stats: Stats::default(),
                        seeds: 0,
                        budget,
                        limit: ops,
                    };
                    let s = w.run();
                    results.lock().unwrap().push(s);
                })
                .unwrap()
        })
        .collect();
    for h in handles {
        h.join().expect("stress thread panicked");
    }
    cleanup();
    let all = std::mem::take(&mut *results.lock().unwrap());
    let mut t = Stats::default();
    for s in all {
        t.issued += s.issued;
        t.delivered += s.delivered;
        t.issue_failures += s.issue_failures;
        t.early += s.early;
        t.dup += s.dup;
        t.mismatch += s.mismatch;
        t.cancels += s.cancels;
        t.cancels_found += s.cancels_found;
        t.closes += s.closes;
        t.pairs_opened += s.pairs_opened;
        t.checked_bytes += s.checked_bytes;
        t.immediate += s.immediate;
        t.ended_cancelled += s.ended_cancelled;
        t.ended_error += s.ended_error;
        t.recv_cancelled += s.recv_cancelled;
        t.leftover += s.leftover;
        for (k, v) in s.on_closed {
            *t.on_closed.entry(k).or_default() += v;
        }
        for (k, v) in s.on_peer_closed {
            *t.on_peer_closed.entry(k).or_default() += v;
        }
        t.errors.extend(s.errors);
    }
    t
}

fn check(t: &Stats, what: &str) {
    let stray = ROUTINE_STRAY.load(Ordering::Relaxed);
    let early = ROUTINE_EARLY.load(Ordering::Relaxed);
    let wrong = ROUTINE_WRONG_THREAD.load(Ordering::Relaxed);
    let mism = ROUTINE_MISMATCH.load(Ordering::Relaxed);
    assert!(t.errors.is_empty(), "{what}: {:#?}\n{t:?}", t.errors);
    assert_eq!(t.leftover, 0, "{what}: operations never completed: {t:?}");
    assert_eq!(t.issued, t.delivered, "{what}: lost completions: {t:?}");
    assert_eq!(
        t.dup + stray,
        0,
        "{what}: duplicated completions (routines {stray}): {t:?}"
    );
    assert_eq!(
        t.early + early,
        0,
        "{what}: signalled before Internal was written: {t:?}"
    );
    assert_eq!(wrong, 0, "{what}: routines ran on another thread");
    assert_eq!(
        t.mismatch + mism,
        0,
        "{what}: byte counts disagree with InternalHigh: {t:?}"
    );
}

/// Wait (briefly) for fds closed by the last records to go, and return the count.
fn settled_fds(limit: usize) -> usize {
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        let n = fd_count();
        if n <= limit || Instant::now() > until {
            return n;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn stress_200_connections_100k_operations() {
    let t0 = Instant::now();
    let fd0 = fd_count();
    let fds0 = fd_list();
    // Warm-up round: the ring, the operation pool at full concurrency, thread state.
    let warm = round(20_000, 1);
    check(&warm, "warm-up");
    let fd1 = settled_fds(fd0 + 4);
    let fds1 = fd_list();
    let mem1 = heap_in_use();
    let warm_time = t0.elapsed();

    let main = round(100_000, 2);
    check(&main, "main round");
    let fd2 = settled_fds(fd1);
    let mem2 = heap_in_use();
    eprintln!(
        "stress: warm-up {warm_time:?}, total {:?}; main round {main:?}; fds {fd0} -> {fd1} -> \
         {fd2}; heap {mem1} -> {mem2}",
        t0.elapsed()
    );
    assert!(
        main.issued >= 95_000,
        "the main round issued only {} operations",
        main.issued
    );
    assert!(
        main.cancels_found > 0 && main.closes > 0,
        "no chaos happened: {main:?}"
    );
    assert!(main.checked_bytes > 0);
    assert!(
        fd1 <= fd0 + 4,
        "fds after the first round: {fd0} -> {fd1} (more than the ring's few)\nbefore: \
         {fds0:?}\nafter: {fds1:?}"
    );
    assert!(
        fd2 <= fd1,
        "fd growth over the main round: {fd1} -> {fd2}: {:?}",
        fd_list()
    );
    let growth = mem2.saturating_sub(mem1);
    assert!(
        growth < 512 * 1024,
        "heap grew by {growth} bytes over a round of {} operations ({mem1} -> {mem2})",
        main.issued
    );
}
