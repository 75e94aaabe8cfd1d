//! No heap allocation per operation on the hot path: after a warm-up, 10000 overlapped round
//! trips on one connection (a receive posted first so it goes to the kernel, then a send,
//! then a wait on the receive's event and `WSAGetOverlappedResult` for both) must allocate
//! (in any thread of the process) far less than once per operation.
//!
//! `WS2_ALLOC_BT=N` prints a backtrace of the first N counted allocations, to find them.

mod common;

use common::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static COUNT: AtomicUsize = AtomicUsize::new(0);
static BACKTRACES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    if !COUNTING.load(Ordering::Relaxed) {
        return;
    }
    let reentered = INSIDE.with(|f| f.replace(true));
    if reentered {
        return;
    }
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    if n < BACKTRACES.load(Ordering::Relaxed) {
        let bt = std::backtrace::Backtrace::force_capture();
        eprintln!(
            "allocation #{n} in {:?}:\n{bt}",
            std::thread::current().name()
        );
    }
    INSIDE.with(|f| f.set(false));
}

// SAFETY: forwards to System; the counting touches only atomics and a const thread-local.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded.
        unsafe { System.alloc(l) }
    }
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded.
        unsafe { System.alloc_zeroed(l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        note();
        // SAFETY: forwarded.
        unsafe { System.realloc(p, l, n) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: forwarded.
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MSG: usize = 64;

/// Allocations counted per call kind: send, receive, wait, results.
#[derive(Default, Debug)]
struct PerCall {
    /// Receives that went pending (through the ring), not counted as allocations.
    pending_recvs: usize,
    send: usize,
    recv: usize,
    wait: usize,
    result: usize,
}

fn counted<R>(slot: &mut usize, f: impl FnOnce() -> R) -> R {
    let before = COUNT.load(Ordering::SeqCst);
    let r = f();
    *slot += COUNT.load(Ordering::SeqCst) - before;
    r
}

struct Conn {
    c: SOCKET,
    s: SOCKET,
    rev: HANDLE,
    sev: HANDLE,
    rov: Box<OVERLAPPED>,
    sov: Box<OVERLAPPED>,
    out: Box<[u8; MSG]>,
    inb: Box<[u8; MSG]>,
}

fn round_trip(k: &mut Conn, i: u64, pc: &mut PerCall) {
    fill_pattern(7, i * MSG as u64, &mut k.out[..]);
    k.rov.hEvent = k.rev;
    k.sov.hEvent = k.sev;
    let rb = WSABUF {
        len: MSG as u32,
        buf: k.inb.as_mut_ptr(),
    };
    let sb = WSABUF {
        len: MSG as u32,
        buf: k.out.as_mut_ptr(),
    };
    let mut n: u32 = 0;
    let mut flags: u32 = 0;
    // SAFETY: the buffers and OVERLAPPEDs are boxed and outlive the operations, which all
    // complete before this function returns.
    unsafe {
        let r = counted(&mut pc.recv, || {
            WSARecv(k.s, &rb, 1, &mut n, &mut flags, &mut *k.rov, None)
        });
        assert!(
            r == 0 || last_error() == WSA_IO_PENDING,
            "WSARecv: {}",
            last_error()
        );
        if r != 0 {
            pc.pending_recvs += 1;
        }
        let r = counted(&mut pc.send, || {
            WSASend(k.c, &sb, 1, &mut n, 0, &mut *k.sov, None)
        });
        assert!(
            r == 0 || last_error() == WSA_IO_PENDING,
            "WSASend: {}",
            last_error()
        );
        let evs = [k.rev, k.sev];
        let w = counted(&mut pc.wait, || {
            WSAWaitForMultipleEvents(2, evs.as_ptr(), 1, 5000, 0)
        });
        assert_eq!(w, WSA_WAIT_EVENT_0, "wait: {w:#x} {}", last_error());
        let mut fl: u32 = 0;
        let ok = counted(&mut pc.result, || {
            WSAGetOverlappedResult(k.s, &mut *k.rov, &mut n, 0, &mut fl)
        });
        assert_eq!(ok, 1, "recv result: {}", last_error());
        assert_eq!(n as usize, MSG, "a 64-byte loopback message arrives whole");
        let ok = counted(&mut pc.result, || {
            WSAGetOverlappedResult(k.c, &mut *k.sov, &mut n, 0, &mut fl)
        });
        assert_eq!(ok, 1, "send result: {}", last_error());
        assert_eq!(n as usize, MSG);
    }
    assert_eq!(
        check_pattern(7, i * MSG as u64, &k.inb[..]),
        None,
        "data of round trip {i}"
    );
}

static ROUTINE_CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn on_done(err: u32, bytes: u32, _ov: *mut OVERLAPPED, _flags: u32) {
    assert_eq!((err, bytes as usize), (0, MSG));
    ROUTINE_CALLS.fetch_add(1, Ordering::Relaxed);
}

/// The same round trip with completion routines and an alertable `SleepEx`.
fn routine_round_trip(k: &mut Conn, i: u64, pc: &mut PerCall) {
    fill_pattern(8, i * MSG as u64, &mut k.out[..]);
    let rb = WSABUF {
        len: MSG as u32,
        buf: k.inb.as_mut_ptr(),
    };
    let sb = WSABUF {
        len: MSG as u32,
        buf: k.out.as_mut_ptr(),
    };
    let mut n: u32 = 0;
    let mut flags: u32 = 0;
    let before = ROUTINE_CALLS.load(Ordering::Relaxed);
    // SAFETY: as in `round_trip`; both routines run before this returns.
    unsafe {
        let r = counted(&mut pc.recv, || {
            WSARecv(k.s, &rb, 1, &mut n, &mut flags, &mut *k.rov, Some(on_done))
        });
        assert!(
            r == 0 || last_error() == WSA_IO_PENDING,
            "WSARecv: {}",
            last_error()
        );
        if r != 0 {
            pc.pending_recvs += 1;
        }
        let r = counted(&mut pc.send, || {
            WSASend(k.c, &sb, 1, &mut n, 0, &mut *k.sov, Some(on_done))
        });
        assert!(
            r == 0 || last_error() == WSA_IO_PENDING,
            "WSASend: {}",
            last_error()
        );
        while ROUTINE_CALLS.load(Ordering::Relaxed) < before + 2 {
            let w = counted(&mut pc.wait, || SleepEx(5000, 1));
            assert_eq!(w, WSA_WAIT_IO_COMPLETION, "SleepEx: {w:#x}");
        }
    }
    assert_eq!(
        check_pattern(8, i * MSG as u64, &k.inb[..]),
        None,
        "data of round trip {i}"
    );
}

#[test]
fn no_allocation_per_operation() {
    let bt = std::env::var("WS2_ALLOC_BT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    BACKTRACES.store(bt, Ordering::Relaxed);
    startup();
    let (c, s) = tcp_pair();
    // SAFETY: plain calls.
    let (rev, sev) = unsafe { (WSACreateEvent(), WSACreateEvent()) };
    assert!(rev != 0 && sev != 0);
    let mut k = Conn {
        c,
        s,
        rev,
        sev,
        rov: Box::default(),
        sov: Box::default(),
        out: Box::new([0; MSG]),
        inb: Box::new([0; MSG]),
    };
    let mut pc = PerCall::default();
    for i in 0..1000 {
        round_trip(&mut k, i, &mut pc);
    }
    let mut pc = PerCall::default();
    COUNT.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    const ROUNDS: u64 = 10_000;
    for i in 1000..1000 + ROUNDS {
        round_trip(&mut k, i, &mut pc);
    }
    COUNTING.store(false, Ordering::SeqCst);
    let total = COUNT.load(Ordering::SeqCst);

    // The same with completion routines and alertable sleeps.
    let mut rpc = PerCall::default();
    for i in 0..1000 {
        routine_round_trip(&mut k, i, &mut rpc);
    }
    let mut rpc = PerCall::default();
    COUNT.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    for i in 1000..1000 + ROUNDS {
        routine_round_trip(&mut k, i, &mut rpc);
    }
    COUNTING.store(false, Ordering::SeqCst);
    let rtotal = COUNT.load(Ordering::SeqCst);
    // SAFETY: plain calls.
    unsafe {
        assert_eq!(closesocket(c), 0);
        assert_eq!(closesocket(s), 0);
        WSACloseEvent(rev);
        WSACloseEvent(sev);
    }
    cleanup();
    assert_eq!(
        pc.pending_recvs, ROUNDS as usize,
        "every receive must go through the ring (posted before its data)"
    );
    assert_eq!(rpc.pending_recvs, ROUNDS as usize);
    let why = "by call, counted in the calling thread's window (other threads' allocations \
               land in whichever window they happen in)";
    assert!(
        total < 100 && rtotal < 100,
        "heap allocations over {ROUNDS} round trips (2 overlapped operations, a wait and 2 \
         results each): {total} with events, {rtotal} with routines and SleepEx; {why}: \
         events {pc:?}, routines {rpc:?}"
    );
}
