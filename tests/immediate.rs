//! A receive posted when data is already there completes at once (returns 0, count and
//! flags written, event set), whatever the socket's earlier receives did: after one that had
//! to wait the engine submits the next straight to the kernel, and must still report an
//! inline completion as immediate.

mod common;

use common::*;

fn post(s: SOCKET, buf: &mut [u8], ov: &mut OVERLAPPED) -> (i32, u32) {
    let rb = WSABUF {
        len: buf.len() as u32,
        buf: buf.as_mut_ptr(),
    };
    let (mut n, mut fl) = (0xdead_u32, 0u32);
    // SAFETY: buffer and OVERLAPPED outlive the operation (it completes before they go).
    let r = unsafe { WSARecv(s, &rb, 1, &mut n, &mut fl, ov, None) };
    (r, n)
}

fn send_all(s: SOCKET, data: &[u8]) {
    let wb = WSABUF {
        len: data.len() as u32,
        buf: data.as_ptr() as *mut u8,
    };
    let mut n = 0u32;
    // SAFETY: a live buffer of the stated length; a synchronous send.
    let r = unsafe { WSASend(s, &wb, 1, &mut n, 0, std::ptr::null_mut(), None) };
    assert_eq!((r, n), (0, data.len() as u32));
}

#[test]
fn data_present_completes_at_once_after_a_waiting_receive() {
    startup();
    let (c, s) = tcp_pair();
    // SAFETY: plain call.
    let ev = unsafe { WSACreateEvent() };
    for round in 0..50u8 {
        // A receive that has to wait.
        let mut buf = [0u8; 32];
        let mut ov = OVERLAPPED {
            hEvent: ev,
            ..Default::default()
        };
        let (r, _) = post(s, &mut buf, &mut ov);
        assert_eq!(
            (r, last_error()),
            (SOCKET_ERROR, WSA_IO_PENDING),
            "round {round}"
        );
        send_all(c, &[round; 8]);
        // SAFETY: one live handle.
        assert_eq!(
            unsafe { WSAWaitForMultipleEvents(1, &ev, 1, 5000, 0) },
            WSA_WAIT_EVENT_0
        );
        assert_eq!(ov.InternalHigh, 8);

        // Data already queued: the next receive completes at once and still signals.
        send_all(c, &[round ^ 0xff; 5]);
        std::thread::sleep(std::time::Duration::from_millis(2));
        let mut ov2 = OVERLAPPED {
            hEvent: ev,
            ..Default::default()
        };
        let (r, n) = post(s, &mut buf, &mut ov2);
        assert_eq!((r, n), (0, 5), "round {round}: error {}", last_error());
        assert_eq!(ov2.Internal, 0);
        assert_eq!(ov2.InternalHigh, 5);
        assert!(event_is_set(ev), "round {round}: event not set");
        assert_eq!(&buf[..5], &[round ^ 0xff; 5]);
    }
}
