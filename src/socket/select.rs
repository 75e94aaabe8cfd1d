//! `select` over the Windows `fd_set` (a count and an array of SOCKET handles) and
//! `WSAPoll`, both on Linux `poll` plus the thread's wake eventfd (so `closesocket` from
//! another thread ends the wait), with readiness translated to what Windows reports.

use super::calls::refresh_connect;
use super::{errno, get, os_error, poll_timeout, Conn, Socket, Watch};
use crate::abi::{SOCKET, SOCKET_ERROR};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::startup;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Windows `struct timeval` (32-bit `long` fields).
#[repr(C)]
#[derive(Clone, Copy)]
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
unsafe fn read_set(set: *const FdSet) -> Vec<SOCKET> {
    // SAFETY: the array follows the header and holds fd_count entries by contract.
    unsafe { std::slice::from_raw_parts((*set).fd_array.as_ptr(), (*set).fd_count as usize) }
        .to_vec()
}

/// # Safety
/// `set` must point to an fd_set with room for at least `list.len()` entries.
unsafe fn write_set(set: *mut FdSet, list: &[SOCKET]) {
    // SAFETY: the caller's array had at least this many entries when it was read.
    unsafe {
        let arr = (*set).fd_array.as_mut_ptr();
        for (i, &h) in list.iter().enumerate() {
            *arr.add(i) = h;
        }
        (*set).fd_count = list.len() as u32;
    }
}

const READ: usize = 0;
const WRITE: usize = 1;
const EXCEPT: usize = 2;

/// What Windows reports for a socket in one of the three `select` sets, given Linux revents.
fn select_ready(sock: &Socket, which: usize, rev: i16) -> bool {
    let conn = sock.st.lock().conn;
    let err = rev & (libc::POLLERR | libc::POLLHUP) != 0;
    let urgent = rev & libc::POLLPRI != 0;
    match which {
        READ => match conn {
            Conn::Listening => rev & libc::POLLIN != 0,
            Conn::Connected => {
                rev & (libc::POLLIN | libc::POLLHUP | libc::POLLERR | libc::POLLRDHUP) != 0
                    || (urgent && sock.oob_inline())
            }
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
            Conn::Connected => urgent && !sock.oob_inline(),
            _ => false,
        },
        _ => false,
    }
}

fn select_events(which: usize) -> i16 {
    match which {
        READ => libc::POLLIN | libc::POLLRDHUP | libc::POLLPRI,
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
    let _t = crate::trace_call!("select", _nfds, r, w, e, tv);
    ffi::ws(SOCKET_ERROR, || {
        startup::require()?;
        let sets = [r, w, e];
        let lists: Vec<Vec<SOCKET>> = sets
            .iter()
            .map(|&p| {
                if p.is_null() {
                    Vec::new()
                } else {
                    // SAFETY: a non-NULL set is a caller's fd_set.
                    unsafe { read_set(p) }
                }
            })
            .collect();
        if lists.iter().all(|l| l.is_empty()) {
            return Err(WsaError::WSAEINVAL);
        }
        // SAFETY: NULL or a caller's timeval.
        let deadline = unsafe { tv.as_ref() }.map(|t| {
            let us = (t.tv_sec.max(0) as u64) * 1_000_000 + t.tv_usec.max(0) as u64;
            Instant::now() + Duration::from_micros(us)
        });
        let ready = select(&lists, deadline)?;
        let failed = ready.is_none();
        let ready = ready.unwrap_or_else(|| vec![Vec::new(), Vec::new(), Vec::new()]);
        let mut count = 0;
        // Sets are written in order (read, write, except), so one fd_set passed twice ends
        // up holding the last set's result, as on Windows.
        for (i, &p) in sets.iter().enumerate() {
            if !p.is_null() {
                // SAFETY: a caller's fd_set with room for its original count.
                unsafe { write_set(p, &ready[i]) };
                count += ready[i].len() as i32;
            }
        }
        if failed {
            // A socket asked only for exceptions was closed during the wait: the sets come
            // back empty with the error.
            return Err(WsaError::WSAENOTSOCK);
        }
        Ok(count)
    })
}

/// Wait until a socket in `lists` (read, write, except) is ready as Windows defines it.
/// `None`: a socket asked only for exceptions was closed by another thread meanwhile.
fn select(lists: &[Vec<SOCKET>], deadline: Option<Instant>) -> WsResult<Option<Vec<Vec<SOCKET>>>> {
    let mut socks: Vec<(SOCKET, Arc<Socket>)> = Vec::new();
    let mut events: Vec<i16> = Vec::new();
    for (which, list) in lists.iter().enumerate() {
        for &h in list {
            let i = match socks.iter().position(|(s, _)| *s == h) {
                Some(i) => i,
                None => {
                    socks.push((h, get(h)?));
                    events.push(0);
                    socks.len() - 1
                }
            };
            events[i] |= select_events(which);
        }
    }
    let arcs: Vec<Arc<Socket>> = socks.iter().map(|(_, s)| s.clone()).collect();
    let watch = Watch::new(&arcs);
    let index = |h: SOCKET| socks.iter().position(|(s, _)| *s == h).unwrap_or(0);
    let mut muted = vec![false; socks.len()];
    loop {
        let mut fds: Vec<libc::pollfd> = Vec::with_capacity(socks.len() + 1);
        let mut immediate = false;
        for (i, (h, sock)) in socks.iter().enumerate() {
            refresh_connect(sock);
            let conn = sock.st.lock().conn;
            // A never-connected stream socket can report nothing Windows would show, and a
            // failed connect is reported without asking the kernel.
            let idle = sock.is_stream() && matches!(conn, Conn::Fresh | Conn::Failed);
            if conn == Conn::Failed && lists[EXCEPT].contains(h) {
                immediate = true;
            }
            let fd = if idle || muted[i] { -1 } else { sock.fd };
            fds.push(libc::pollfd {
                fd,
                events: events[i],
                revents: 0,
            });
        }
        fds.push(libc::pollfd {
            fd: watch.waker.fd(),
            events: libc::POLLIN,
            revents: 0,
        });
        let timeout = if immediate { 0 } else { poll_timeout(deadline) };
        let blocked = crate::iocp::blocking(timeout);
        // SAFETY: `fds` is a live array of pollfds.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        drop(blocked);
        if n < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return Err(os_error());
        }
        if fds[socks.len()].revents != 0 {
            watch.waker.drain();
        }
        // A socket closed by another thread reads as ready (its recv would fail); asked only
        // for exceptions it is an error.
        let closed: Vec<SOCKET> = socks
            .iter()
            .filter(|(_, s)| s.is_closing())
            .map(|(h, _)| *h)
            .collect();
        let mut out = vec![Vec::new(), Vec::new(), Vec::new()];
        for &h in &closed {
            if lists[READ].contains(&h) {
                out[READ].push(h);
            } else if lists[WRITE].contains(&h) {
                out[WRITE].push(h);
            } else {
                return Ok(None);
            }
        }
        for (which, list) in lists.iter().enumerate() {
            for &h in list {
                let i = index(h);
                if closed.contains(&h) || out[which].contains(&h) {
                    continue;
                }
                let failed = socks[i].1.st.lock().conn == Conn::Failed;
                if (fds[i].fd >= 0 || failed) && select_ready(&socks[i].1, which, fds[i].revents) {
                    out[which].push(h);
                }
            }
        }
        if out.iter().any(|l| !l.is_empty())
            || n == 0
            || deadline.is_some_and(|d| Instant::now() >= d)
        {
            return Ok(Some(out));
        }
        // Events Windows does not report (e.g. a hang-up on a socket asked only for
        // writing) would make poll return at once again: stop watching those sockets.
        for (i, f) in fds.iter().take(socks.len()).enumerate() {
            if f.revents != 0 {
                muted[i] = true;
            }
        }
    }
}

/// `int __WSAFDIsSet(SOCKET, fd_set*)`
#[no_mangle]
pub unsafe extern "C" fn __WSAFDIsSet(s: SOCKET, set: *mut FdSet) -> i32 {
    let _t = crate::trace_call!("__WSAFDIsSet", s, set);
    crate::trace::ret(|| {
        if set.is_null() {
            return 0;
        }
        // SAFETY: a caller's fd_set.
        unsafe { read_set(set) }.contains(&s) as i32
    })
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
pub const POLLWRNORM: i16 = 0x0010;
pub const POLLERR: i16 = 0x0001;
pub const POLLHUP: i16 = 0x0002;
pub const POLLNVAL: i16 = 0x0004;
/// The only flags a program may ask for.
const POLL_VALID_EVENTS: i16 = POLLRDNORM | POLLRDBAND | POLLWRNORM;

/// Bytes waiting to be read.
fn pending_bytes(sock: &Socket) -> i32 {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int.
    unsafe { libc::ioctl(sock.fd, libc::FIONREAD, &mut n) };
    n
}

/// Windows revents for a socket given Linux revents and what was asked.
fn poll_revents(sock: &Socket, asked: i16, rev: i16) -> i16 {
    let (conn, shut_rd) = {
        let st = sock.st.lock();
        (st.conn, st.shut_rd)
    };
    let mut out = 0;
    if !sock.is_stream() {
        if rev & libc::POLLIN != 0 {
            out |= POLLRDNORM;
        }
        if rev & libc::POLLOUT != 0 {
            out |= POLLWRNORM;
        }
        if rev & libc::POLLERR != 0 {
            out |= POLLERR;
        }
        return out & (asked | POLLERR | POLLHUP);
    }
    match conn {
        Conn::Listening if rev & libc::POLLIN != 0 => out |= POLLRDNORM,
        Conn::Failed => out |= POLLERR | POLLHUP | POLLWRNORM,
        Conn::Connected => {
            // Linux reports a hang-up once both directions are shut, also by this side's own
            // shutdown calls; Windows reports only the peer's or a reset.
            let own_shutdown = shut_rd && sock.st.lock().shut_wr;
            let reset = rev & libc::POLLERR != 0 || (rev & libc::POLLHUP != 0 && !own_shutdown);
            let fin = rev & libc::POLLRDHUP != 0 && !shut_rd;
            if reset {
                out |= POLLHUP;
                if rev & libc::POLLERR != 0 {
                    out |= POLLERR;
                }
            }
            if fin {
                out |= POLLHUP;
            }
            let readable =
                rev & libc::POLLIN != 0 && !shut_rd && !reset && (!fin || pending_bytes(sock) > 0);
            if readable {
                out |= POLLRDNORM;
            }
            if rev & libc::POLLPRI != 0 && !shut_rd {
                out |= if sock.oob_inline() {
                    POLLRDNORM
                } else {
                    POLLRDBAND
                };
            }
            if rev & libc::POLLOUT != 0 {
                out |= POLLWRNORM;
            }
        }
        _ => {}
    }
    out & (asked | POLLERR | POLLHUP)
}

/// `int WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)`
#[no_mangle]
pub unsafe extern "C" fn WSAPoll(arr: *mut WsaPollFd, n: u32, timeout: i32) -> i32 {
    let _t = crate::trace_call!("WSAPoll", arr, n, timeout);
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
    let deadline = (timeout >= 0).then(|| Instant::now() + Duration::from_millis(timeout as u64));
    let mut socks: Vec<Option<Arc<Socket>>> = Vec::with_capacity(entries.len());
    for e in entries.iter_mut() {
        e.revents = 0;
        let sock = if (e.fd as i64) < 0 {
            None
        } else {
            get(e.fd).ok()
        };
        if sock.is_none() {
            e.revents = POLLNVAL;
        }
        socks.push(sock);
    }
    if socks.iter().all(|s| s.is_none()) {
        return Err(WsaError::WSAENOTSOCK);
    }
    if entries
        .iter()
        .any(|e| (e.fd as i64) >= 0 && e.events & !POLL_VALID_EVENTS != 0)
    {
        for e in entries.iter_mut() {
            e.revents = 0;
        }
        return Err(WsaError::WSAEINVAL);
    }
    let live: Vec<Arc<Socket>> = socks.iter().flatten().cloned().collect();
    let watch = Watch::new(&live);
    let mut muted = vec![false; entries.len()];
    loop {
        let mut fds: Vec<libc::pollfd> = Vec::with_capacity(entries.len() + 1);
        let mut immediate = false;
        for (i, e) in entries.iter().enumerate() {
            let mut pfd = libc::pollfd {
                fd: -1,
                events: 0,
                revents: 0,
            };
            if let Some(s) = &socks[i] {
                refresh_connect(s);
                let conn = s.st.lock().conn;
                immediate |= conn == Conn::Failed;
                let idle = s.is_stream() && matches!(conn, Conn::Fresh | Conn::Failed);
                if !idle && !muted[i] {
                    let mut ev = libc::POLLRDHUP;
                    if e.events & POLLRDNORM != 0 {
                        ev |= libc::POLLIN;
                    }
                    if e.events & (POLLRDBAND | POLLRDNORM) != 0 {
                        ev |= libc::POLLPRI;
                    }
                    if e.events & POLLWRNORM != 0 {
                        ev |= libc::POLLOUT;
                    }
                    pfd = libc::pollfd {
                        fd: s.fd,
                        events: ev,
                        revents: 0,
                    };
                }
            }
            fds.push(pfd);
        }
        fds.push(libc::pollfd {
            fd: watch.waker.fd(),
            events: libc::POLLIN,
            revents: 0,
        });
        let t = if immediate { 0 } else { poll_timeout(deadline) };
        let blocked = crate::iocp::blocking(t);
        // SAFETY: `fds` is a live array of pollfds.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, t) };
        drop(blocked);
        if r < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return Err(os_error());
        }
        if fds[entries.len()].revents != 0 {
            watch.waker.drain();
        }
        let mut count = 0;
        for (i, e) in entries.iter_mut().enumerate() {
            let Some(s) = &socks[i] else { continue };
            e.revents = if s.is_closing() {
                POLLNVAL
            } else if s.st.lock().conn == Conn::Failed || fds[i].fd >= 0 {
                poll_revents(s, e.events, fds[i].revents)
            } else {
                0
            };
            if e.revents != 0 {
                count += 1;
            }
        }
        if count > 0 || r == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(count);
        }
        for (i, f) in fds.iter().take(entries.len()).enumerate() {
            if f.revents != 0 {
                muted[i] = true;
            }
        }
    }
}
