//! A thread that polls an event with zero-timeout waits (`WSAWaitForMultipleEvents(..., 0,
//! ...)` in a loop, a common Windows pattern) must see an overlapped receive complete promptly
//! once data arrives: on Windows the completion needs nobody's help. Here a zero-timeout wait
//! never sleeps (so never reaps the ring), yet every wait marks "a thread is waiting", which
//! the ring's completion thread takes as a reason to leave reaping to that thread.

mod common;

use common::*;
use std::time::{Duration, Instant};

const TRIALS: usize = 20;
const BOUND: Duration = Duration::from_millis(10);

fn zero_wait(ev: HANDLE) -> bool {
    // SAFETY: one live handle.
    let r = unsafe { WSAWaitForMultipleEvents(1, &ev, 0, 0, 0) };
    assert!(
        r == WSA_WAIT_EVENT_0 || r == WSA_WAIT_TIMEOUT,
        "wait: {r:#x}"
    );
    r == WSA_WAIT_EVENT_0
}

#[test]
fn zero_timeout_polling_sees_completions_promptly() {
    startup();
    let (c, s) = tcp_pair();
    // SAFETY: plain call.
    let ev = unsafe { WSACreateEvent() };
    let mut lat = Vec::new();
    for t in 0..TRIALS {
        let mut buf = [0u8; 16];
        let mut ov = Box::new(OVERLAPPED {
            hEvent: ev,
            ..Default::default()
        });
        let rb = WSABUF {
            len: 16,
            buf: buf.as_mut_ptr(),
        };
        let (mut n, mut fl) = (0u32, 0u32);
        // SAFETY: buffer and OVERLAPPED outlive the operation (completed below).
        let r = unsafe { WSARecv(s, &rb, 1, &mut n, &mut fl, &mut *ov, None) };
        assert_eq!((r, last_error()), (SOCKET_ERROR, WSA_IO_PENDING));
        // Poll for a while with nothing to see (the receive is in the kernel).
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_millis(5) {
            assert!(!zero_wait(ev));
        }
        let mut m = [t as u8; 16];
        let sb = WSABUF {
            len: 16,
            buf: m.as_mut_ptr(),
        };
        // SAFETY: a synchronous send of a live buffer.
        assert_eq!(
            unsafe { WSASend(c, &sb, 1, &mut n, 0, std::ptr::null_mut(), None) },
            0
        );
        let t1 = Instant::now();
        while !zero_wait(ev) {
            assert!(
                t1.elapsed() < Duration::from_secs(5),
                "trial {t}: never completed"
            );
        }
        lat.push(t1.elapsed());
        assert_eq!(buf, [t as u8; 16]);
    }
    // SAFETY: plain calls.
    unsafe {
        WSACloseEvent(ev);
        closesocket(c);
        closesocket(s);
    }
    cleanup();
    lat.sort();
    let slow = lat.iter().filter(|d| **d > BOUND).count();
    assert_eq!(
        slow, 0,
        "{slow} of {TRIALS} completions took over {BOUND:?} to reach a zero-timeout poller \
         (sorted latencies: {lat:?})"
    );
}
