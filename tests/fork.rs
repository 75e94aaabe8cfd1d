//! fork: a child that calls `WSAStartup` after `fork` gets a ring of its own and working
//! overlapped sockets; the parent's sockets, including an operation it had in the kernel
//! across the fork, keep working.

mod common;

use common::*;

const LEN: usize = 100_000;

/// One overlapped transfer of `LEN` bytes from `c` to `s`: receives posted first (pending in
/// the kernel), then one send; waits on the events and checks the bytes.
fn transfer(c: SOCKET, s: SOCKET, seed: u32) -> Result<(), String> {
    let mut out = vec![0u8; LEN];
    fill_pattern(seed, 0, &mut out);
    let mut inb = vec![0u8; LEN];
    // SAFETY: plain calls.
    let (rev, sev) = unsafe { (WSACreateEvent(), WSACreateEvent()) };
    if rev == 0 || sev == 0 {
        return Err("WSACreateEvent failed".into());
    }
    let mut got = 0usize;
    let mut sov = Box::new(OVERLAPPED {
        hEvent: sev,
        ..Default::default()
    });
    let sb = WSABUF {
        len: LEN as u32,
        buf: out.as_mut_ptr(),
    };
    let mut n = 0u32;
    let mut sending = false;
    while got < LEN {
        let mut rov = Box::new(OVERLAPPED {
            hEvent: rev,
            ..Default::default()
        });
        let rb = WSABUF {
            len: (LEN - got) as u32,
            // SAFETY: inside `inb`.
            buf: unsafe { inb.as_mut_ptr().add(got) },
        };
        let mut flags = 0u32;
        // SAFETY: the buffers and OVERLAPPEDs outlive the operations (waited for below).
        unsafe {
            let r = WSARecv(s, &rb, 1, &mut n, &mut flags, &mut *rov, None);
            if r != 0 && last_error() != WSA_IO_PENDING {
                return Err(format!("WSARecv: {}", last_error()));
            }
            if !sending {
                sending = true;
                let r = WSASend(c, &sb, 1, &mut n, 0, &mut *sov, None);
                if r != 0 && last_error() != WSA_IO_PENDING {
                    return Err(format!("WSASend: {}", last_error()));
                }
            }
            let w = WSAWaitForMultipleEvents(1, &rev, 0, 5000, 0);
            if w != WSA_WAIT_EVENT_0 {
                return Err(format!("receive wait: {w:#x}"));
            }
            if internal(&*rov) == STATUS_PENDING {
                return Err("event set while Internal is still STATUS_PENDING".into());
            }
            let mut fl = 0u32;
            if WSAGetOverlappedResult(s, &mut *rov, &mut n, 0, &mut fl) != 1 {
                return Err(format!("receive result: {}", last_error()));
            }
        }
        if n == 0 {
            return Err(format!("connection closed after {got} bytes"));
        }
        got += n as usize;
    }
    // SAFETY: as above.
    unsafe {
        let w = WSAWaitForMultipleEvents(1, &sev, 0, 5000, 0);
        if w != WSA_WAIT_EVENT_0 {
            return Err(format!("send wait: {w:#x}"));
        }
        let mut fl = 0u32;
        if WSAGetOverlappedResult(c, &mut *sov, &mut n, 0, &mut fl) != 1 || n as usize != LEN {
            return Err(format!("send result: {} ({n} bytes)", last_error()));
        }
        WSACloseEvent(rev);
        WSACloseEvent(sev);
    }
    if let Some(at) = check_pattern(seed, 0, &inb) {
        return Err(format!("data differs at offset {at}"));
    }
    Ok(())
}

fn say(msg: &str) {
    let line = format!("fork child: {msg}\n");
    // SAFETY: writes a live buffer to stderr.
    unsafe { libc::write(2, line.as_ptr() as *const libc::c_void, line.len()) };
}

/// The child's work; its exit status is the test's verdict on the child side.
fn child(inherited: SOCKET) -> i32 {
    let r = std::panic::catch_unwind(|| -> Result<(), String> {
        let mut d = WSADATA { bytes: [0; 408] };
        // SAFETY: a writable WSADATA.
        let r = unsafe { WSAStartup(0x0202, &mut d) };
        if r != 0 {
            return Err(format!("WSAStartup: {r}"));
        }
        let (c, s) = tcp_pair();
        transfer(c, s, 11)?;
        transfer(s, c, 12)?;
        // SAFETY: plain calls.
        unsafe {
            if closesocket(c) != 0 || closesocket(s) != 0 {
                return Err(format!("closesocket: {}", last_error()));
            }
            // The child's copy of a socket the parent has an operation pending on: closing
            // it here must not disturb the parent's operation.
            if closesocket(inherited) != 0 {
                return Err(format!("closesocket(inherited): {}", last_error()));
            }
            WSACleanup();
        }
        Ok(())
    });
    match r {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            say(&e);
            1
        }
        Err(_) => {
            say("panicked");
            2
        }
    }
}

#[test]
fn child_after_fork_gets_working_sockets() {
    startup();
    let (c, s) = tcp_pair();
    // A receive in the parent's kernel ring across the fork.
    // SAFETY: plain call.
    let ev = unsafe { WSACreateEvent() };
    let mut buf = vec![0u8; 16];
    let mut ov = Box::new(OVERLAPPED {
        hEvent: ev,
        ..Default::default()
    });
    let rb = WSABUF {
        len: 16,
        buf: buf.as_mut_ptr(),
    };
    let (mut n, mut flags) = (0u32, 0u32);
    // SAFETY: buffer and OVERLAPPED outlive the operation (waited for below).
    let r = unsafe { WSARecv(s, &rb, 1, &mut n, &mut flags, &mut *ov, None) };
    assert_eq!(r, SOCKET_ERROR);
    assert_eq!(last_error(), WSA_IO_PENDING);

    // SAFETY: the child only runs `child` and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = child(s);
        // SAFETY: leave the child without running the parent's exit handlers.
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: waits for our own child.
    let w = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(w, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed (status {status:#x}); see its stderr line"
    );

    // The parent's receive, pending since before the fork, still completes.
    // SAFETY: as above.
    unsafe {
        assert_eq!(
            internal(&*ov),
            STATUS_PENDING,
            "the child's activity completed it"
        );
        let mut msg = *b"after fork 12345";
        let sb = WSABUF {
            len: 16,
            buf: msg.as_mut_ptr(),
        };
        let r = ws2_32_send(c, &sb);
        assert_eq!(r, 16);
        let w = WSAWaitForMultipleEvents(1, &ev, 0, 5000, 0);
        assert_eq!(
            w, WSA_WAIT_EVENT_0,
            "pending receive did not complete after fork"
        );
        let mut fl = 0u32;
        assert_eq!(WSAGetOverlappedResult(s, &mut *ov, &mut n, 0, &mut fl), 1);
        assert_eq!(n, 16);
        assert_eq!(&buf[..], b"after fork 12345");
        WSACloseEvent(ev);
    }
    // And new overlapped work in the parent.
    transfer(c, s, 21).unwrap();
    transfer(s, c, 22).unwrap();
    let (c2, s2) = tcp_pair();
    transfer(c2, s2, 23).unwrap();
    // SAFETY: plain calls.
    unsafe {
        assert_eq!(closesocket(c), 0);
        assert_eq!(closesocket(s), 0);
        assert_eq!(closesocket(c2), 0);
        assert_eq!(closesocket(s2), 0);
    }
    cleanup();
}

/// A synchronous (non-overlapped) WSASend of one buffer; returns bytes sent.
///
/// # Safety
/// `b` must describe a live buffer.
unsafe fn ws2_32_send(s: SOCKET, b: &WSABUF) -> u32 {
    let mut n = 0u32;
    // SAFETY: forwarded; no OVERLAPPED, so the call is synchronous.
    let r = unsafe { WSASend(s, b, 1, &mut n, 0, std::ptr::null_mut(), None) };
    assert_eq!(r, 0, "WSASend: {}", last_error());
    n
}
