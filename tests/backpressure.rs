//! A full submission queue is back-pressure, never an error or a loss: with a 2-entry SQ
//! (`WS2_URING_SQ_ENTRIES=2`), 64 connections each get 4 pending 64 KiB receives and two
//! 256 KiB sends posted at once, the sends reposted until 2 MiB have gone (the SQ is full
//! nearly all the time). Every operation is
//! delivered exactly once, each stream arrives intact and in order, every send completes
//! whole, and when the sender closes, the receives still pending complete with 0 bytes.

mod common;

use common::*;
use std::time::{Duration, Instant};

const PAIRS: usize = 64;
const RECVS: usize = 4;
const RECV_LEN: usize = 64 * 1024;
/// Send records per connection (pending at once), and sends per connection in all (each
/// completed send record is refilled and posted again).
const SEND_RECS: usize = 2;
const SENDS: usize = 8;
const SEND_LEN: usize = 256 * 1024;
const TOTAL: u64 = (SENDS * SEND_LEN) as u64;

struct Conn {
    c: SOCKET,
    s: SOCKET,
    seed: u32,
    sends: Vec<*mut OpRec>,
    recvs: Vec<*mut OpRec>,
    /// Receive records in posting order.
    posted: std::collections::VecDeque<usize>,
    received: u64,
    sends_done: usize,
    sends_posted: usize,
    /// Receives that completed with 0 bytes after the sender closed.
    eofs: usize,
    closed_c: bool,
    closed_s: bool,
}

/// The ring's SQ size, read from its fdinfo (`SqMask` is entries - 1).
fn sq_entries() -> Option<u32> {
    for e in std::fs::read_dir("/proc/self/fd").ok()? {
        let e = e.ok()?;
        let target = std::fs::read_link(e.path()).ok()?;
        if !target.to_string_lossy().contains("io_uring") {
            continue;
        }
        let info = std::fs::read_to_string(format!(
            "/proc/self/fdinfo/{}",
            e.file_name().to_string_lossy()
        ))
        .ok()?;
        for line in info.lines() {
            if let Some(v) = line.strip_prefix("SqMask:") {
                let v = v.trim().trim_start_matches("0x");
                return u32::from_str_radix(v, 16).ok().map(|m| m + 1);
            }
        }
    }
    None
}

/// Fill send record `r` with the connection's next 256 KiB of stream and post it.
///
/// # Safety
/// `r` is one of the connection's idle send records.
unsafe fn post_send(cn: &mut Conn, r: *mut OpRec, tr: &mut Tracker) -> Result<(), String> {
    let n = cn.sends_posted;
    // SAFETY: by the contract.
    unsafe {
        fill_pattern(cn.seed, (n * SEND_LEN) as u64, &mut (&mut (*r).buf)[..]);
        set_bufs(r, SEND_LEN, 1 + n % 3);
        match issue(cn.c, r, true, (n + cn.seed as usize).is_multiple_of(2)) {
            Issue::Ok => tr.add(r),
            Issue::Failed(e) => return Err(format!("WSASend failed at once: {e}")),
        }
    }
    cn.sends_posted += 1;
    Ok(())
}

#[test]
fn full_submission_queue_is_backpressure() {
    // Before the process's first WSAStartup, which creates the ring.
    std::env::set_var("WS2_URING_SQ_ENTRIES", "2");
    startup();
    let sq = sq_entries();
    eprintln!("backpressure: the ring's SQ has {sq:?} entries");
    if let Some(n) = sq {
        assert_eq!(n, 2, "the ring's SQ has {n} entries, not the 2 asked for");
    }
    let mut conns: Vec<Conn> = (0..PAIRS)
        .map(|k| {
            let (c, s) = tcp_pair();
            if k.is_multiple_of(2) {
                // Small buffers on half the connections: sends move in many parts, each a
                // new submission.
                let v: i32 = 32768;
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
            Conn {
                c,
                s,
                seed: 1000 + k as u32,
                sends: (0..SEND_RECS).map(|_| OpRec::create(SEND_LEN)).collect(),
                recvs: (0..RECVS).map(|_| OpRec::create(RECV_LEN)).collect(),
                posted: Default::default(),
                received: 0,
                sends_done: 0,
                sends_posted: 0,
                eofs: 0,
                closed_c: false,
                closed_s: false,
            }
        })
        .collect();
    let mut tr = Tracker::default();
    // Tag: connection << 8 | send? << 4 | record index.
    // Post everything at once: receives first (pending in the kernel or queued), then sends.
    for (k, cn) in conns.iter_mut().enumerate() {
        for (i, &r) in cn.recvs.iter().enumerate() {
            // SAFETY: a fresh record; it lives until the end of the test.
            unsafe {
                (*r).tag = k << 8 | i;
                set_bufs(r, RECV_LEN, 1 + i % 3);
                match issue(cn.s, r, false, k % 2 == 1) {
                    Issue::Ok => tr.add(r),
                    Issue::Failed(e) => panic!("WSARecv failed at once: {e}"),
                }
            }
            cn.posted.push_back(i);
        }
    }
    for (k, cn) in conns.iter_mut().enumerate() {
        for (i, r) in cn.sends.clone().into_iter().enumerate() {
            // SAFETY: as above.
            unsafe {
                (*r).tag = k << 8 | 0x10 | i;
                post_send(cn, r, &mut tr).unwrap();
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut done = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut close_time = Duration::ZERO;
    let t0 = Instant::now();
    while !tr.pending.is_empty() {
        assert!(
            Instant::now() < deadline,
            "{} operations still pending after 30 s",
            tr.pending.len()
        );
        done.clear();
        tr.harvest(1, &mut done);
        for &r in &done {
            // SAFETY: a harvested record.
            let (t, status, bytes) = unsafe { ((*r).tag, (*r).status, (*r).bytes) };
            let (k, send, i) = (t >> 8, t & 0x10 != 0, t & 0xf);
            let cn = &mut conns[k];
            if send {
                if status != 0 || bytes != SEND_LEN {
                    errors.push(format!(
                        "conn {k} send {i}: status {status:#x}, {bytes} bytes"
                    ));
                }
                cn.sends_done += 1;
                if cn.sends_posted < SENDS {
                    // SAFETY: harvested, ours again.
                    if let Err(e) = unsafe { post_send(cn, r, &mut tr) } {
                        errors.push(format!("conn {k}: {e}"));
                    }
                }
                continue;
            }
            // Receives are checked in posting order.
            while let Some(&head) = cn.posted.front() {
                let hr = cn.recvs[head];
                // SAFETY: records of this connection.
                if unsafe { (*hr).pending } {
                    break;
                }
                cn.posted.pop_front();
                // SAFETY: harvested.
                let (status, bytes) = unsafe { ((*hr).status, (*hr).bytes) };
                if status != 0 {
                    errors.push(format!("conn {k} receive: status {status:#x}"));
                    continue;
                }
                if bytes == 0 {
                    if !cn.closed_c || cn.received != TOTAL {
                        errors.push(format!("conn {k}: end of stream after {}", cn.received));
                    }
                    cn.eofs += 1;
                    continue;
                }
                // SAFETY: harvested.
                let data = unsafe { &(&(*hr).buf)[..bytes] };
                if let Some(at) = check_pattern(cn.seed, cn.received, data) {
                    errors.push(format!("conn {k}: data wrong at offset {at}"));
                }
                cn.received += bytes as u64;
                if cn.received > TOTAL {
                    errors.push(format!("conn {k}: received {} > {TOTAL}", cn.received));
                }
                if cn.received < TOTAL {
                    // Repost at the back of the order.
                    // SAFETY: harvested, ours again.
                    unsafe {
                        match issue(cn.s, hr, false, k % 2 == 1) {
                            Issue::Ok => tr.add(hr),
                            Issue::Failed(e) => errors.push(format!("conn {k}: WSARecv: {e}")),
                        }
                    }
                    cn.posted.push_back(head);
                }
            }
        }
        // A connection whose stream is all there: the sender closes, and the receives still
        // pending must end with 0 bytes; then the receiver closes.
        for cn in conns.iter_mut() {
            if !cn.closed_c && cn.received == TOTAL && cn.sends_done == SENDS {
                cn.closed_c = true;
                let t = Instant::now();
                // SAFETY: our socket.
                assert_eq!(unsafe { closesocket(cn.c) }, 0);
                close_time += t.elapsed();
            }
            if cn.closed_c && !cn.closed_s && cn.posted.is_empty() {
                cn.closed_s = true;
                let t = Instant::now();
                // SAFETY: our socket.
                assert_eq!(unsafe { closesocket(cn.s) }, 0);
                close_time += t.elapsed();
            }
        }
        assert!(errors.len() < 50, "{errors:#?}");
    }
    eprintln!(
        "backpressure: {:?} in all, {close_time:?} of it in closesocket",
        t0.elapsed()
    );
    assert!(errors.is_empty(), "{errors:#?}");
    let stray = ROUTINE_STRAY.load(std::sync::atomic::Ordering::Relaxed);
    let early = ROUTINE_EARLY.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(tr.issued, tr.delivered, "lost completions");
    assert_eq!(tr.dup + stray, 0, "duplicated completions");
    assert_eq!(tr.early + early, 0, "signalled before Internal was written");
    assert_eq!(
        tr.mismatch, 0,
        "immediate byte counts disagree with InternalHigh"
    );
    for (k, cn) in conns.iter().enumerate() {
        assert_eq!(cn.received, TOTAL, "conn {k}");
        // The receive that took the last bytes is not reposted; the other three were pending.
        assert_eq!(
            cn.eofs,
            RECVS - 1,
            "conn {k}: pending receives ending with 0 bytes"
        );
        assert!(cn.closed_s);
        for &r in cn.sends.iter().chain(cn.recvs.iter()) {
            // SAFETY: nothing pending.
            unsafe { OpRec::destroy(r) };
        }
    }
    cleanup();
}
