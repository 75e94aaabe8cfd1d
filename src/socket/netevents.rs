//! Network events: `WSAEventSelect` and `WSAEnumNetworkEvents`.
//!
//! Each socket keeps a network-event record ([`NetEvents`], in `Socket::netev`): the
//! selection (mask and event object), the recorded events with their error codes
//! (`pending`), and the events that were recorded and not re-enabled since (`held`).
//! Windows records events whether or not they are selected at the moment; the selection only
//! decides which recorded events set the event object and which `WSAEnumNetworkEvents`
//! returns (and clears). A new `WSAEventSelect` keeps what was recorded.
//!
//! Conditions are found by [`evaluate`], which reads the socket's state and the kernel's
//! readiness and records what Windows would have recorded by now:
//! - `FD_READ`: data queued, when not held, or when more data arrived since the last look
//!   (Windows records every arrival); re-enabled by a receive.
//! - `FD_OOB`: urgent data waiting (not inline), when not held; re-enabled by a `MSG_OOB`
//!   receive.
//! - `FD_ACCEPT`: a connection waiting, when not held or when the queue grew; re-enabled by
//!   `accept` / `WSAAccept`.
//! - `FD_WRITE`: once connected (or bound, for datagrams), then again after a send failed with
//!   `WSAEWOULDBLOCK` and room came back.
//! - `FD_CONNECT`: once when a `connect` completed, with its error.
//! - `FD_CLOSE`: once when the peer's FIN arrived (`0`) or the connection was reset
//!   (`WSAECONNABORTED`, what Windows reports for a peer's abortive close).
//!
//! `evaluate` runs when a selection is made, after every re-enabling call, and from the
//! monitor thread, which holds an edge-triggered epoll registration for every socket with a
//! non-zero selection: each kernel wake-up of the socket (data, FIN, reset, connect done,
//! room) wakes the monitor, which evaluates the socket. A socket waiting for room after
//! `WSAEWOULDBLOCK` is also looked at every few milliseconds, because the send-buffer limit
//! Windows programs see is enforced here (see `calls::make_room`), below the point where
//! Linux would wake anyone.

use super::calls::{self, refresh_connect};
use super::{get, Conn, Socket};
use crate::abi::SOCKET_ERROR;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::wait::event::{self, Event};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

pub const FD_READ: u32 = 0x01;
pub const FD_WRITE: u32 = 0x02;
pub const FD_OOB: u32 = 0x04;
pub const FD_ACCEPT: u32 = 0x08;
pub const FD_CONNECT: u32 = 0x10;
pub const FD_CLOSE: u32 = 0x20;
const FD_MAX_EVENTS: usize = 10;

/// Linux TCP states (`tcpi_state`) in which the peer's FIN has arrived.
const TCP_TIME_WAIT: u8 = 6;
const TCP_CLOSE: u8 = 7;
const TCP_CLOSE_WAIT: u8 = 8;
const TCP_LAST_ACK: u8 = 9;
const TCP_CLOSING: u8 = 11;

/// The network-event record of one socket.
#[derive(Default)]
pub struct NetEvents {
    /// The socket was given to `WSAEventSelect` at least once: recording is on.
    tracked: bool,
    mask: u32,
    event: Option<Arc<Event>>,
    pending: u32,
    errors: [i32; FD_MAX_EVENTS],
    held: u32,
    /// The socket came from `accept`: it never reports `FD_CONNECT`.
    accepted: bool,
    /// Bytes queued at the last look (stream `FD_READ` arrivals).
    seen_avail: usize,
    /// Connections queued at the last look (`FD_ACCEPT` arrivals).
    seen_queue: u32,
    /// Monitor registration key; 0 when not registered.
    key: u64,
}

impl NetEvents {
    fn post(&mut self, bit: u32, err: i32) {
        self.pending |= bit;
        self.held |= bit;
        self.errors[bit.trailing_zeros() as usize] = err;
    }

    fn wake(&self) {
        if self.pending & self.mask != 0 {
            if let Some(e) = &self.event {
                e.set();
            }
        }
    }
}

// ---------------------------------------------------------------- the monitor

struct Monitor {
    epfd: RawFd,
    /// Wakes the monitor when a socket starts waiting for room (key 0 in the epoll set).
    wake_fd: RawFd,
    socks: Mutex<HashMap<u64, Weak<Socket>>>,
    /// Sockets waiting for room after `WSAEWOULDBLOCK`, looked at on a short timer.
    room: Mutex<HashMap<u64, Weak<Socket>>>,
    next: AtomicU64,
}

static MONITOR: OnceLock<Option<Monitor>> = OnceLock::new();

/// Milliseconds between looks at sockets waiting for room.
const ROOM_POLL_MS: i32 = 5;

fn monitor() -> Option<&'static Monitor> {
    MONITOR
        .get_or_init(|| {
            // SAFETY: plain syscalls; results are checked.
            let epfd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
            if epfd < 0 {
                return None;
            }
            // SAFETY: plain syscall; the result is checked.
            let wake_fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
            if wake_fd < 0 {
                // SAFETY: the fd was just created here.
                unsafe { libc::close(epfd) };
                return None;
            }
            let mut ev = libc::epoll_event {
                events: libc::EPOLLIN as u32,
                u64: 0,
            };
            // SAFETY: both fds are live; `ev` is a valid epoll_event.
            unsafe { libc::epoll_ctl(epfd, libc::EPOLL_CTL_ADD, wake_fd, &mut ev) };
            let m = Monitor {
                epfd,
                wake_fd,
                socks: Mutex::new(HashMap::new()),
                room: Mutex::new(HashMap::new()),
                next: AtomicU64::new(1),
            };
            let spawned = std::thread::Builder::new()
                .name("ws2-netevents".into())
                .spawn(run_monitor);
            spawned.is_ok().then_some(m)
        })
        .as_ref()
}

fn run_monitor() {
    // The monitor is set before this thread looks at it (`get_or_init` returns first).
    let m = loop {
        if let Some(Some(m)) = MONITOR.get() {
            break m;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 64];
    loop {
        let timeout = if m.room.lock().is_empty() {
            -1
        } else {
            ROOM_POLL_MS
        };
        // SAFETY: `evs` is a live array of 64 epoll_events.
        let n = unsafe { libc::epoll_wait(m.epfd, evs.as_mut_ptr(), 64, timeout) };
        for ev in evs.iter().take(n.max(0) as usize) {
            let key = ev.u64;
            if key == 0 {
                let mut v = 0u64;
                // SAFETY: reads 8 bytes into a local from the monitor's eventfd.
                unsafe { libc::read(m.wake_fd, &mut v as *mut u64 as *mut libc::c_void, 8) };
                continue;
            }
            let sock = m.socks.lock().get(&key).and_then(Weak::upgrade);
            if let Some(sock) = sock {
                if !sock.is_closing() {
                    evaluate(&sock, true);
                }
            }
        }
        let waiting: Vec<Arc<Socket>> = {
            let mut room = m.room.lock();
            let v = room.values().filter_map(Weak::upgrade).collect();
            room.clear();
            v
        };
        for sock in waiting {
            if !sock.is_closing() {
                evaluate(&sock, false);
            }
        }
    }
}

fn register(m: &Monitor, sock: &Arc<Socket>, ne: &mut NetEvents) {
    if ne.key != 0 {
        return;
    }
    let key = m.next.fetch_add(1, Ordering::Relaxed);
    m.socks.lock().insert(key, Arc::downgrade(sock));
    let mut ev = libc::epoll_event {
        events: (libc::EPOLLIN | libc::EPOLLPRI | libc::EPOLLOUT | libc::EPOLLRDHUP | libc::EPOLLET)
            as u32,
        u64: key,
    };
    // SAFETY: the socket's fd is open while `sock` is alive; `ev` is a valid epoll_event.
    if unsafe { libc::epoll_ctl(m.epfd, libc::EPOLL_CTL_ADD, sock.fd, &mut ev) } == 0 {
        ne.key = key;
    } else {
        m.socks.lock().remove(&key);
    }
}

fn unregister(sock: &Socket, ne: &mut NetEvents) {
    if ne.key == 0 {
        return;
    }
    if let Some(m) = monitor() {
        // SAFETY: the fd is still open (the caller holds the socket); a NULL event is
        // accepted by EPOLL_CTL_DEL.
        unsafe { libc::epoll_ctl(m.epfd, libc::EPOLL_CTL_DEL, sock.fd, std::ptr::null_mut()) };
        m.socks.lock().remove(&ne.key);
        m.room.lock().remove(&ne.key);
    }
    ne.key = 0;
}

fn watch_room(sock: &Arc<Socket>, key: u64) {
    if let Some(m) = monitor() {
        let first = {
            let mut room = m.room.lock();
            let first = room.is_empty();
            room.insert(key, Arc::downgrade(sock));
            first
        };
        if first {
            let one = 1u64;
            // SAFETY: writes 8 bytes from a local to the monitor's eventfd.
            unsafe { libc::write(m.wake_fd, &one as *const u64 as *const libc::c_void, 8) };
        }
    }
}

// ---------------------------------------------------------------- what the kernel says

fn readiness(fd: RawFd) -> i16 {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN | libc::POLLPRI | libc::POLLOUT | libc::POLLRDHUP,
        revents: 0,
    };
    // SAFETY: one live pollfd, zero timeout.
    if unsafe { libc::poll(&mut p, 1, 0) } == 1 {
        p.revents
    } else {
        0
    }
}

fn bytes_queued(fd: RawFd) -> usize {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int.
    unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    n.max(0) as usize
}

/// `tcpi_state` and `tcpi_unacked` (a listener's accept queue length) from `TCP_INFO`.
fn tcp_info(fd: RawFd) -> Option<(u8, u32)> {
    let mut buf = [0u8; 104];
    let mut len = buf.len() as libc::socklen_t;
    // SAFETY: a live buffer and its length.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            buf.as_mut_ptr() as *mut libc::c_void,
            &mut len,
        )
    };
    if r != 0 || len < 28 {
        return None;
    }
    Some((
        buf[0],
        u32::from_ne_bytes([buf[24], buf[25], buf[26], buf[27]]),
    ))
}

/// A non-blocking send would be taken now (the limit `calls::make_room` enforces).
fn has_room(sock: &Socket) -> bool {
    let mut queued: libc::c_int = 0;
    // SAFETY: SIOCOUTQ writes one int.
    unsafe { libc::ioctl(sock.fd, libc::TIOCOUTQ, &mut queued) };
    let limit = match sock.st.lock().sndbuf {
        Some(v) => v as usize,
        None => (sock.linux_int(libc::SOL_SOCKET, libc::SO_SNDBUF) / 2).max(0) as usize,
    };
    (queued.max(0) as usize) < limit.max(1)
}

// ---------------------------------------------------------------- recording

/// Record what has become true on `sock` and set its event if a selected event is recorded.
/// `arrival`: the monitor saw a kernel wake-up of the socket.
pub fn evaluate(sock: &Arc<Socket>, arrival: bool) {
    if !sock.netev.lock().tracked {
        return;
    }
    refresh_connect(sock);
    let (conn, connect_error, reset, bound, shut_wr) = {
        let st = sock.st.lock();
        (st.conn, st.connect_error, st.reset, st.bound, st.shut_wr)
    };
    let rev = readiness(sock.fd);
    let stream = sock.is_stream();
    let inet = sock.family != crate::abi::AF_UNIX;
    // Facts from the kernel, gathered before the record is locked.
    let mut avail = 0usize;
    let mut queue = 0u32;
    let mut tcp_state = 0u8;
    let mut room = false;
    let mut oob_inline = false;
    if stream {
        match conn {
            Conn::Listening if rev & libc::POLLIN != 0 => {
                queue = if inet {
                    tcp_info(sock.fd).map_or(1, |(_, q)| q.max(1))
                } else {
                    1
                };
            }
            Conn::Connected => {
                avail = bytes_queued(sock.fd);
                if inet {
                    tcp_state = tcp_info(sock.fd).map_or(0, |(s, _)| s);
                }
                room = rev & libc::POLLOUT != 0 && has_room(sock);
                oob_inline = rev & libc::POLLPRI != 0 && sock.oob_inline();
            }
            _ => {}
        }
    }
    let mut ne = sock.netev.lock();
    if !ne.tracked {
        return;
    }
    let held = ne.held;
    let free = |bit: u32| held & bit == 0;
    if stream {
        match conn {
            Conn::Listening => {
                if queue > 0 && (free(FD_ACCEPT) || queue > ne.seen_queue) {
                    ne.post(FD_ACCEPT, 0);
                }
                ne.seen_queue = queue;
            }
            Conn::Connected => {
                if !ne.accepted && free(FD_CONNECT) {
                    ne.post(FD_CONNECT, 0);
                }
                if avail > 0 && (free(FD_READ) || avail > ne.seen_avail) {
                    ne.post(FD_READ, 0);
                }
                ne.seen_avail = avail;
                if rev & libc::POLLPRI != 0 && !oob_inline && free(FD_OOB) {
                    ne.post(FD_OOB, 0);
                }
                if free(FD_WRITE) {
                    if room {
                        ne.post(FD_WRITE, 0);
                    } else if ne.key != 0 && rev & libc::POLLERR == 0 {
                        watch_room(sock, ne.key);
                    }
                }
                let fin = if inet {
                    matches!(
                        tcp_state,
                        TCP_TIME_WAIT | TCP_CLOSE | TCP_CLOSE_WAIT | TCP_LAST_ACK | TCP_CLOSING
                    )
                } else {
                    rev & (libc::POLLRDHUP | libc::POLLHUP) != 0
                };
                let aborted = reset
                    || rev & libc::POLLERR != 0
                    || (inet && tcp_state == TCP_CLOSE && !shut_wr);
                if (fin || aborted) && free(FD_CLOSE) {
                    let err = if aborted {
                        WsaError::WSAECONNABORTED.0 as i32
                    } else {
                        0
                    };
                    ne.post(FD_CLOSE, err);
                }
            }
            Conn::Failed => {
                if free(FD_CONNECT) {
                    let e = crate::error::from_errno(connect_error).0 as i32;
                    ne.post(FD_CONNECT, e);
                }
            }
            Conn::Fresh | Conn::Connecting => {}
        }
    } else {
        if rev & libc::POLLIN != 0 && (free(FD_READ) || arrival) {
            ne.post(FD_READ, 0);
        }
        if conn == Conn::Connected && free(FD_CONNECT) {
            ne.post(FD_CONNECT, 0);
        }
        if (conn == Conn::Connected || bound) && rev & libc::POLLOUT != 0 && free(FD_WRITE) {
            ne.post(FD_WRITE, 0);
        }
    }
    ne.wake();
}

/// Re-enable `bits`: what was recorded of them is dropped, and they are recorded again at
/// once if their condition still holds.
fn reenable(sock: &Arc<Socket>, bits: u32) {
    {
        let mut ne = sock.netev.lock();
        if !ne.tracked {
            return;
        }
        ne.held &= !bits;
        ne.pending &= !bits;
    }
    evaluate(sock, false);
}

// ---------------------------------------------------------------- hooks for the calls

/// After a receive (successful or not): `FD_READ`, or `FD_OOB` for a `MSG_OOB` receive.
pub fn after_recv(sock: &Arc<Socket>, flags: i32) {
    let bit = if flags & calls::MSG_OOB != 0 {
        FD_OOB
    } else {
        FD_READ
    };
    reenable(sock, bit);
}

/// After a send failed with `WSAEWOULDBLOCK`: `FD_WRITE` comes when room does.
pub fn after_send_blocked(sock: &Arc<Socket>) {
    reenable(sock, FD_WRITE);
}

/// After `accept` / `WSAAccept` (except a deferred `WSATRY_AGAIN`).
pub fn after_accept(sock: &Arc<Socket>) {
    reenable(sock, FD_ACCEPT);
}

/// A `connect` starts: its completion is reported again.
pub fn connecting(sock: &Arc<Socket>) {
    let mut ne = sock.netev.lock();
    ne.held &= !FD_CONNECT;
    ne.pending &= !FD_CONNECT;
}

/// A socket accepted from `listener` takes its selection (as Windows does) and never
/// reports `FD_CONNECT`.
pub fn adopted(listener: &Socket, sock: &Arc<Socket>) {
    let (mask, event) = {
        let l = listener.netev.lock();
        if !l.tracked || l.mask == 0 {
            (0, None)
        } else {
            (l.mask, l.event.clone())
        }
    };
    {
        let mut ne = sock.netev.lock();
        ne.accepted = true;
        if mask == 0 {
            return;
        }
        ne.tracked = true;
        ne.mask = mask;
        ne.event = event;
        if let Some(m) = monitor() {
            register(m, sock, &mut ne);
        }
    }
    sock.st.lock().nonblocking = true;
    evaluate(sock, false);
}

/// The socket has a non-zero selection: it cannot be made blocking.
pub fn selected(sock: &Socket) -> bool {
    sock.netev.lock().mask != 0
}

/// `closesocket`: the selection ends and the monitor forgets the socket.
pub fn forget(sock: &Socket) {
    let mut ne = sock.netev.lock();
    unregister(sock, &mut ne);
    ne.mask = 0;
    ne.event = None;
    ne.tracked = false;
}

// ---------------------------------------------------------------- the exports

/// `int WSAEventSelect(SOCKET s, WSAEVENT hEventObject, long lNetworkEvents)`
#[no_mangle]
pub extern "C" fn WSAEventSelect(s: usize, h: usize, events: i32) -> i32 {
    let _t = crate::trace_call!("WSAEventSelect", s, h, events);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        event_select(&sock, h, events as u32).map(|_| 0)
    })
}

fn event_select(sock: &Arc<Socket>, h: usize, mask: u32) -> WsResult<()> {
    let event = if mask != 0 {
        Some(event::get(h).map_err(|_| WsaError::WSAEINVAL)?)
    } else {
        None
    };
    let m = if mask != 0 {
        Some(monitor().ok_or(WsaError::WSAENOBUFS)?)
    } else {
        None
    };
    // The socket becomes non-blocking whatever the mask, and stays so.
    sock.st.lock().nonblocking = true;
    {
        let mut ne = sock.netev.lock();
        ne.tracked = true;
        ne.mask = mask;
        ne.event = event;
        match m {
            Some(m) => register(m, sock, &mut ne),
            None => unregister(sock, &mut ne),
        }
    }
    evaluate(sock, false);
    Ok(())
}

/// Windows `WSANETWORKEVENTS`: a `long` and ten `int` error codes.
#[repr(C)]
pub struct WsaNetworkEvents {
    pub network_events: i32,
    pub error_code: [i32; FD_MAX_EVENTS],
}

/// `int WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject, LPWSANETWORKEVENTS)`
#[no_mangle]
pub unsafe extern "C" fn WSAEnumNetworkEvents(
    s: usize,
    h: usize,
    out: *mut WsaNetworkEvents,
) -> i32 {
    let _t = crate::trace_call!("WSAEnumNetworkEvents", s, h, out);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: NULL or the caller's WSANETWORKEVENTS.
        let out = unsafe { ffi::out(out) }?;
        // A handle that is not an event is not reset and not an error (as Wine's ws2_32).
        let event = if h != 0 { event::get(h).ok() } else { None };
        let (bits, errors) = take(&sock, event.as_deref());
        out.network_events = bits as i32;
        out.error_code = errors;
        Ok(0)
    })
}

/// Take the recorded events the selection covers (the others stay recorded), resetting
/// `event` under the same lock so a later recording sets it again.
fn take(sock: &Socket, event: Option<&Event>) -> (u32, [i32; FD_MAX_EVENTS]) {
    let mut ne = sock.netev.lock();
    if let Some(e) = event {
        e.reset();
    }
    let bits = ne.pending & ne.mask;
    ne.pending &= !bits;
    let mut errors = [0i32; FD_MAX_EVENTS];
    for (i, e) in errors.iter_mut().enumerate() {
        if bits & (1 << i) != 0 {
            *e = ne.errors[i];
        }
    }
    (bits, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_holds_and_wakes_only_selected() {
        let mut ne = NetEvents {
            tracked: true,
            event: Some(Arc::new(Event::new(true, false))),
            ..Default::default()
        };
        ne.post(FD_CLOSE, 10053);
        ne.wake();
        assert!(!ne.event.as_ref().unwrap().is_set());
        assert_eq!(ne.held, FD_CLOSE);
        assert_eq!(ne.errors[5], 10053);
        ne.mask = FD_CLOSE | FD_READ;
        ne.wake();
        assert!(ne.event.as_ref().unwrap().is_set());
    }

    #[test]
    fn take_clears_only_selected() {
        let sock = Socket::for_tests();
        {
            let mut ne = sock.netev.lock();
            ne.tracked = true;
            ne.mask = FD_READ;
            ne.post(FD_READ, 0);
            ne.post(FD_CONNECT, 10061);
        }
        let e = Event::new(true, true);
        let (bits, errors) = take(&sock, Some(&e));
        assert_eq!(bits, FD_READ);
        assert_eq!(errors, [0; FD_MAX_EVENTS]);
        assert!(!e.is_set());
        sock.netev.lock().mask = FD_CONNECT;
        let (bits, errors) = take(&sock, None);
        assert_eq!(bits, FD_CONNECT);
        assert_eq!(errors[4], 10061);
    }
}
