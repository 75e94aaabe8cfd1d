//! `select` over the Windows `fd_set` (a count and an array of SOCKET handles) and
//! `WSAPoll`, both on Linux `poll` with readiness translated to what Windows reports.

use super::calls::refresh_connect;
use super::{errno, get, os_error, poll_timeout, Conn, Socket};
use crate::abi::{SOCKET, SOCKET_ERROR};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::startup;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Windows `struct timeval` (32-bit `long` fields).
#[repr(C)]
pub struct Timeval {
    pub tv_sec: i32,
    pub tv_usec: i32,
}

/// Windows `fd_set` header; `fd_array` follows at offset 8 with `fd_count` entries.
#[repr(C)]
pub struct FdSet {
    pub fd_count: u32,
    pub fd_array: [SOCKET; 0],
}

/// # Safety
/// `set` must point to an fd_set whose array holds `fd_count` entries.
unsafe fn entries<'a>(set: *mut FdSet) -> &'a mut [SOCKET] {
    // SAFETY: the array follows the header and holds fd_count entries by contract.
    unsafe { std::slice::from_raw_parts_mut((*set).fd_array.as_mut_ptr(), (*set).fd_count as usize) }
}

const READ: usize = 0;
const WRITE: usize = 1;
const EXCEPT: usize = 2;

/// What Windows reports for a socket in one of the three sets, given Linux revents.
fn ready(sock: &Socket, which: usize, rev: i16) -> bool {
    let conn = sock.st.lock().conn;
    let err = rev & (libc::POLLERR | libc::POLLHUP) != 0;
    match which {
        READ => match conn {
            Conn::Listening => rev & libc::POLLIN != 0,
            Conn::Connected => rev & (libc::POLLIN | libc::POLLHUP | libc::POLLERR | libc::POLLRDHUP) != 0,
            Conn::Fresh if !sock.is_stream() => rev & (libc::POLLIN | libc::POLLERR) != 0,
            _ => false,
        },
        WRITE => match conn {
            Conn::Connected => rev & libc::POLLOUT != 0,
            Conn::Connecting => rev & libc::POLLOUT != 0 && !err,
            Conn::Fresh if !sock.is_stream() => rev & libc::POLLOUT != 0,
            _ => false,
        },
        EXCEPT => match conn {
            Conn::Connecting => err,
            Conn::Failed => true,
            Conn::Connected => rev & libc::POLLPRI != 0,
            _ => false,
        },
        _ => false,
    }
}

fn events_for(which: usize) -> i16 {
    match which {
        READ => libc::POLLIN | libc::POLLRDHUP,
        WRITE => libc::POLLOUT,
        _ => libc::POLLPRI,
    }
}

/// `int select(int nfds, fd_set*, fd_set*, fd_set*, const struct timeval*)`
#[no_mangle]
pub unsafe extern "C" fn ws2_select(
    _nfds: i32,
    r: *mut FdSet,
    w: *mut FdSet,
    e: *mut FdSet,
    tv: *const Timeval,
) -> i32 {
    ffi::ws(SOCKET_ERROR, || {
        startup::require()?;
        let sets = [r, w, e];
        // SAFETY: each set is NULL or a caller's fd_set.
        let lists: Vec<Vec<SOCKET>> =
            sets.iter().map(|&p| if p.is_null() { Vec::new() } else { unsafe { entries(p) }.to_vec() }).collect();
        if lists.iter().all(|l| l.is_empty()) {
            return Err(WsaError::WSAEINVAL);
        }
        // SAFETY: NULL or a caller's timeval.
        let deadline = unsafe { tv.as_ref() }.map(|t| {
            let us = (t.tv_sec.max(0) as u64) * 1_000_000 + t.tv_usec.max(0) as u64;
            Instant::now() + Duration::from_micros(us)
        });
        let ready_lists = select(&lists, deadline)?;
        let mut count = 0;
        for (i, &p) in sets.iter().enumerate() {
            if p.is_null() {
                continue;
            }
            // SAFETY: a caller's fd_set with room for its original count, which only shrinks.
            unsafe {
                let dst = entries(p);
                dst[..ready_lists[i].len()].copy_from_slice(&ready_lists[i]);
                (*p).fd_count = ready_lists[i].len() as u32;
            }
            count += ready_lists[i].len() as i32;
        }
        Ok(count)
    })
}

/// Wait until a socket in `lists` (read, write, except) is ready as Windows defines it.
fn select(lists: &[Vec<SOCKET>], deadline: Option<Instant>) -> WsResult<Vec<Vec<SOCKET>>> {
    // Unique sockets with the union of what is asked of each.
    let mut socks: Vec<(SOCKET, Arc<Socket>)> = Vec::new();
    let mut fds: Vec<libc::pollfd> = Vec::new();
    for (which, list) in lists.iter().enumerate() {
        for &h in list {
            let i = match socks.iter().position(|(s, _)| *s == h) {
                Some(i) => i,
                None => {
                    let sock = get(h)?;
                    fds.push(libc::pollfd { fd: sock.fd, events: 0, revents: 0 });
                    socks.push((h, sock));
                    socks.len() - 1
                }
            };
            fds[i].events |= events_for(which);
        }
    }
    loop {
        for (i, (_, sock)) in socks.iter().enumerate() {
            refresh_connect(sock);
            // A never-connected stream socket can report nothing Windows would show, and
            // a failed connect is reported without asking the kernel.
            let st = sock.st.lock();
            if sock.is_stream() && matches!(st.conn, Conn::Fresh | Conn::Failed) {
                fds[i].fd = -1;
            }
        }
        let failed = socks
            .iter()
            .any(|(h, s)| lists[EXCEPT].contains(h) && s.st.lock().conn == Conn::Failed);
        let timeout = if failed { 0 } else { poll_timeout(deadline) };
        // SAFETY: `fds` is a live array of pollfds.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if n < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return Err(os_error());
        }
        let mut out = vec![Vec::new(), Vec::new(), Vec::new()];
        let mut any = false;
        for (which, list) in lists.iter().enumerate() {
            for &h in list {
                let i = socks.iter().position(|(s, _)| *s == h).unwrap_or(0);
                let failed = socks[i].1.st.lock().conn == Conn::Failed;
                if (fds[i].fd >= 0 || failed) && ready(&socks[i].1, which, fds[i].revents) {
                    if !out[which].contains(&h) {
                        out[which].push(h);
                    }
                    any = true;
                }
            }
        }
        if any || n == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(out);
        }
        // Events Windows does not report (e.g. a hang-up on a socket asked only for
        // writing) would make poll return at once again: stop watching those fds.
        for (i, f) in fds.iter_mut().enumerate() {
            let reported = lists.iter().enumerate().any(|(w, l)| l.contains(&socks[i].0) && ready(&socks[i].1, w, f.revents));
            if f.revents != 0 && !reported {
                f.fd = -1;
            }
            f.revents = 0;
        }
    }
}

/// `int __WSAFDIsSet(SOCKET, fd_set*)`
#[no_mangle]
pub unsafe extern "C" fn __WSAFDIsSet(s: SOCKET, set: *mut FdSet) -> i32 {
    if set.is_null() {
        return 0;
    }
    // SAFETY: a caller's fd_set.
    unsafe { entries(set) }.contains(&s) as i32
}

/// Windows `WSAPOLLFD`.
#[repr(C)]
pub struct WsaPollFd {
    pub fd: SOCKET,
    pub events: i16,
    pub revents: i16,
}

pub const POLLRDNORM: i16 = 0x0100;
pub const POLLRDBAND: i16 = 0x0200;
pub const POLLPRI: i16 = 0x0400;
pub const POLLWRNORM: i16 = 0x0010;
pub const POLLWRBAND: i16 = 0x0020;
pub const POLLERR: i16 = 0x0001;
pub const POLLHUP: i16 = 0x0002;
pub const POLLNVAL: i16 = 0x0004;
const POLL_VALID_EVENTS: i16 = POLLRDNORM | POLLRDBAND | POLLPRI | POLLWRNORM | POLLWRBAND;

/// Windows revents for a socket given Linux revents and what was asked.
fn poll_revents(sock: &Socket, asked: i16, rev: i16) -> i16 {
    let conn = sock.st.lock().conn;
    let mut out = 0;
    if rev & libc::POLLIN != 0 {
        out |= POLLRDNORM;
    }
    if rev & libc::POLLPRI != 0 {
        out |= POLLRDBAND | POLLPRI;
    }
    if rev & libc::POLLOUT != 0 && conn != Conn::Fresh {
        out |= POLLWRNORM | POLLWRBAND;
    }
    if rev & libc::POLLERR != 0 {
        out |= POLLERR;
    }
    if sock.is_stream() && conn != Conn::Fresh && rev & (libc::POLLHUP | libc::POLLRDHUP) != 0 {
        out |= POLLHUP;
    }
    if conn == Conn::Failed {
        out |= POLLERR | POLLHUP;
    }
    out & (asked | POLLERR | POLLHUP)
}

/// `int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)`
#[no_mangle]
pub unsafe extern "C" fn WSAPoll(arr: *mut WsaPollFd, n: u32, timeout: i32) -> i32 {
    ffi::ws(SOCKET_ERROR, || {
        startup::require()?;
        if n == 0 {
            return Err(WsaError::WSAEINVAL);
        }
        if arr.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: the caller's array of `n` entries.
        let entries = unsafe { std::slice::from_raw_parts_mut(arr, n as usize) };
        wsapoll(entries, timeout)
    })
}

fn wsapoll(entries: &mut [WsaPollFd], timeout: i32) -> WsResult<i32> {
    if entries.iter().any(|e| e.events & !POLL_VALID_EVENTS != 0) {
        return Err(WsaError::WSAEINVAL);
    }
    let deadline = (timeout >= 0).then(|| Instant::now() + Duration::from_millis(timeout as u64));
    let mut socks: Vec<Option<Arc<Socket>>> = Vec::with_capacity(entries.len());
    let mut fds: Vec<libc::pollfd> = Vec::with_capacity(entries.len());
    let mut invalid = 0;
    for e in entries.iter_mut() {
        e.revents = 0;
        let sock = if (e.fd as i64) < 0 {
            None
        } else {
            match get(e.fd) {
                Ok(s) => Some(s),
                Err(_) => {
                    e.revents = POLLNVAL;
                    invalid += 1;
                    None
                }
            }
        };
        let mut ev = libc::POLLRDHUP;
        if e.events & POLLRDNORM != 0 {
            ev |= libc::POLLIN;
        }
        if e.events & (POLLRDBAND | POLLPRI) != 0 {
            ev |= libc::POLLPRI;
        }
        if e.events & (POLLWRNORM | POLLWRBAND) != 0 {
            ev |= libc::POLLOUT;
        }
        fds.push(libc::pollfd { fd: sock.as_ref().map_or(-1, |s| s.fd), events: ev, revents: 0 });
        socks.push(sock);
    }
    loop {
        for (i, s) in socks.iter().enumerate() {
            if let Some(s) = s {
                refresh_connect(s);
                if s.is_stream() && matches!(s.st.lock().conn, Conn::Fresh | Conn::Failed) {
                    fds[i].fd = -1;
                }
            }
        }
        let failed = socks.iter().flatten().any(|s| s.st.lock().conn == Conn::Failed);
        let t = if invalid > 0 || failed { 0 } else { poll_timeout(deadline) };
        // SAFETY: `fds` is a live array of pollfds.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, t) };
        if r < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return Err(os_error());
        }
        let mut count = invalid;
        for (i, e) in entries.iter_mut().enumerate() {
            if let Some(s) = &socks[i] {
                e.revents = poll_revents(s, e.events, fds[i].revents);
                if e.revents != 0 {
                    count += 1;
                }
            }
        }
        if count > 0 || r == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(count);
        }
        for f in fds.iter_mut() {
            if f.revents != 0 {
                f.fd = -1;
            }
            f.revents = 0;
        }
    }
}
