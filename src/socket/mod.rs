//! Sockets: the object behind a `SOCKET` handle, the synchronous Winsock calls, options,
//! `select` and `WSAPoll`.
//!
//! The Linux fd of every socket is non-blocking; Windows blocking mode is emulated here
//! by waiting in `poll` on the fd and on the calling thread's wake eventfd. `closesocket`
//! wakes every thread waiting on the socket through that eventfd, so a blocking call ends
//! with `WSAEINTR` when another thread closes its socket. The fd itself is closed when the
//! last reference to the [`Socket`] goes, so no thread can ever operate on a reused fd.

pub(crate) mod calls;
mod ioctl;
pub(crate) mod netevents;
pub(crate) mod options;
pub(crate) mod overlapped;
pub(crate) mod ports;
mod protocol_info;
mod select;

use crate::abi;
use crate::error::WsaError;
use crate::ffi::WsResult;
use crate::handle::{table, Object};
use crate::startup;
use parking_lot::Mutex;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Connection state as Windows reports it through `select`, `SO_CONNECT_TIME` and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Conn {
    /// Never connected (or a datagram socket).
    #[default]
    Fresh,
    /// A non-blocking `connect` is in progress.
    Connecting,
    /// Connected (stream) or has a default peer (datagram).
    Connected,
    Listening,
    /// A non-blocking `connect` failed; the error is kept for `SO_ERROR` and the socket is
    /// reported in `select`'s `exceptfds` until it connects again or is closed.
    Failed,
}

/// A connection taken from the kernel's queue but deferred by a `WSAAccept` condition
/// function (`CF_DEFER`); the next `WSAAccept` offers it again.
pub struct Deferred {
    pub fd: RawFd,
}

impl Drop for Deferred {
    fn drop(&mut self) {
        // SAFETY: the fd is owned by this value and closed once.
        unsafe { libc::close(self.fd) };
    }
}

/// Mutable per-socket state, kept under one lock.
#[derive(Default)]
pub struct State {
    pub nonblocking: bool,
    /// `SO_RCVTIMEO` / `SO_SNDTIMEO` in milliseconds, 0 = wait forever.
    pub rcvtimeo: u32,
    pub sndtimeo: u32,
    pub conn: Conn,
    /// Linux errno of a failed non-blocking connect (`Conn::Failed`).
    pub connect_error: i32,
    pub connected_at: Option<Instant>,
    pub shut_rd: bool,
    /// The connection was reset: every later receive fails with `WSAECONNRESET`, as Windows
    /// completes all pending receives of a reset connection with the reset (Linux reports
    /// it to one receive, then end of stream).
    pub reset: bool,
    pub shut_wr: bool,
    pub exclusive_addr: bool,
    pub reuse_addr: bool,
    pub deferred: Option<Deferred>,
    /// `SO_ERROR` as a WSA code: sticky until set again, as on Windows.
    pub so_error: u32,
    /// `SO_LINGER` as the program set it (`l_onoff`, `l_linger`), kept verbatim.
    pub linger: Option<(u16, u16)>,
    /// `SO_RCVBUF` / `SO_SNDBUF` as set (Linux rounds and doubles them).
    pub rcvbuf: Option<u32>,
    pub sndbuf: Option<u32>,
    /// `IPV6_V6ONLY` set on an IPv4 socket before bind (Windows keeps and reports it).
    pub v6only_on_v4: bool,
    pub conditional_accept: bool,
    pub group_priority: u32,
    /// The peer as it was when the connection was made: Windows still reports it after
    /// both directions are shut down, when Linux may not.
    pub peer: Option<crate::abi::sockaddr::SockAddr>,
    /// The socket has a local address (cached once seen).
    pub bound: bool,
    /// `SIO_UDP_CONNRESET` / `SIO_UDP_NETRESET` as the program set them (`None`: never set,
    /// Windows' default of reporting).
    pub udp_connreset: Option<bool>,
    pub udp_netreset: Option<bool>,
    /// An `AcceptEx` on this listener (and OVERLAPPED) is accepting into this socket.
    pub accept_on: Option<(std::sync::Weak<Socket>, usize)>,
    /// `DisconnectEx`/`TransmitFile` with `TF_REUSE_SOCKET` made this socket reusable: it can
    /// be the accept socket of `AcceptEx` although it is bound.
    pub reused: bool,
}

/// The object behind a `SOCKET` handle.
pub struct Socket {
    pub fd: RawFd,
    /// Windows address family, type and protocol, as `SO_PROTOCOL_INFO` reports them.
    pub family: i32,
    pub sock_type: i32,
    pub protocol: i32,
    /// `WSA_FLAG_*` given at creation.
    pub flags: u32,
    pub st: Mutex<State>,
    closing: AtomicBool,
    waiters: Mutex<Vec<Arc<Waker>>>,
    /// Overlapped operations queued on the socket (see `engine::io`).
    pub io: Mutex<crate::engine::io::Io>,
    /// Set whenever an overlapped operation on the socket completes: what a wait on the
    /// socket handle itself waits for, as Windows signals a file handle.
    pub signal: Arc<crate::wait::event::Event>,
    /// The completion port the socket is associated with, and its key.
    pub port: once_cell::sync::OnceCell<(Arc<crate::iocp::Port>, usize)>,
    /// `SetFileCompletionNotificationModes` flags.
    pub notify_modes: std::sync::atomic::AtomicU8,
    /// `WSAEventSelect` selection and network-event record (see `netevents`).
    pub netev: Mutex<netevents::NetEvents>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        ports::release(self);
        if self.fd >= 0 {
            // SAFETY: the fd is owned by this socket and nobody else holds a reference.
            unsafe { libc::close(self.fd) };
        }
    }
}

pub use crate::wait::thread::Waker;

/// The calling thread's waker.
pub fn thread_waker() -> Arc<Waker> {
    crate::wait::thread::current()
}

/// Milliseconds left until `deadline`, for `poll`; -1 means no deadline.
pub fn poll_timeout(deadline: Option<Instant>) -> i32 {
    match deadline {
        None => -1,
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            // Round up so a wait never ends early.
            let ms = left.as_micros().div_ceil(1000);
            ms.min(i32::MAX as u128) as i32
        }
    }
}

/// The Winsock error for a failed receive or send on `sock` (`lflags`: the Linux flags used).
pub fn io_error(sock: &Socket, sending: bool, lflags: i32, e: i32) -> WsaError {
    match e {
        libc::EINVAL if !sending && lflags & libc::MSG_OOB != 0 => WsaError::WSAEINVAL,
        libc::ECONNREFUSED if !sock.is_stream() => WsaError::WSAECONNRESET,
        libc::EPIPE if sending => {
            if sock.st.lock().shut_wr {
                WsaError::WSAESHUTDOWN
            } else {
                WsaError::WSAECONNRESET
            }
        }
        e => crate::error::from_errno(e),
    }
}

/// Translate the errno of the last failed call on this socket.
pub fn os_error() -> WsaError {
    WsaError::last_os()
}

/// The last errno on this thread.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

impl Socket {
    fn new(fd: RawFd, family: i32, sock_type: i32, protocol: i32, flags: u32) -> Socket {
        Socket {
            fd,
            family,
            sock_type,
            protocol,
            flags,
            st: Mutex::new(State::default()),
            closing: AtomicBool::new(false),
            waiters: Mutex::new(Vec::new()),
            io: Mutex::new(Default::default()),
            signal: Arc::new(crate::wait::event::Event::new(true, false)),
            port: once_cell::sync::OnceCell::new(),
            notify_modes: std::sync::atomic::AtomicU8::new(0),
            netev: Mutex::new(Default::default()),
        }
    }

    #[cfg(test)]
    pub fn for_tests() -> Socket {
        Socket::new(-1, abi::AF_INET, abi::SOCK_STREAM, abi::IPPROTO_TCP, 0)
    }

    pub fn is_stream(&self) -> bool {
        self.sock_type == abi::SOCK_STREAM
    }

    /// An integer socket option as Linux holds it (0 if Linux refuses the query).
    pub fn linux_int(&self, level: i32, name: i32) -> i32 {
        let mut v: i32 = 0;
        let mut len = 4 as libc::socklen_t;
        // SAFETY: a live i32 and its length.
        unsafe {
            libc::getsockopt(
                self.fd,
                level,
                name,
                &mut v as *mut i32 as *mut libc::c_void,
                &mut len,
            )
        };
        v
    }

    /// Linux `SO_OOBINLINE`: urgent data arrives in the normal stream.
    pub fn oob_inline(&self) -> bool {
        self.linux_int(libc::SOL_SOCKET, libc::SO_OOBINLINE) != 0
    }

    /// Drop a connection or default peer: Linux's AF_UNSPEC connect.
    pub fn dissolve(&self) {
        let mut un = crate::abi::sockaddr::SockAddr::default();
        un.storage.ss_family = libc::AF_UNSPEC as libc::sa_family_t;
        un.len = std::mem::size_of::<libc::sa_family_t>() as libc::socklen_t;
        // SAFETY: a valid AF_UNSPEC address of the stated length.
        unsafe { libc::connect(self.fd, un.as_ptr(), un.len) };
    }

    /// `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS` / `FILE_SKIP_SET_EVENT_ON_HANDLE` are set.
    pub fn skips(&self, flag: u8) -> bool {
        self.notify_modes.load(Ordering::Acquire) & flag != 0
    }

    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    /// Block until the fd reports one of `events`, the deadline passes (`WSAETIMEDOUT`) or
    /// the socket is closed by another thread (`WSAEINTR`). Returns the revents.
    pub fn wait(self: &Arc<Self>, events: i16, deadline: Option<Instant>) -> WsResult<i16> {
        let watch = Watch::new(std::slice::from_ref(self));
        self.wait_registered(&watch.waker, events, deadline)
    }

    fn wait_registered(
        &self,
        waker: &Waker,
        events: i16,
        deadline: Option<Instant>,
    ) -> WsResult<i16> {
        loop {
            if self.is_closing() {
                return Err(WsaError::WSAEINTR);
            }
            // A blocking Winsock call waits alertably: queued completion routines and APCs
            // run while it waits, and the call goes on waiting.
            if waker.has_apcs() {
                waker.run_apcs();
            }
            let mut fds = [
                libc::pollfd {
                    fd: self.fd,
                    events,
                    revents: 0,
                },
                libc::pollfd {
                    fd: waker.fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            let timeout = poll_timeout(deadline);
            let blocked = crate::iocp::blocking(timeout);
            // SAFETY: `fds` is a live array of two pollfds.
            let r = unsafe { libc::poll(fds.as_mut_ptr(), 2, timeout) };
            drop(blocked);
            if r < 0 {
                if errno() == libc::EINTR {
                    continue;
                }
                return Err(os_error());
            }
            if fds[1].revents != 0 {
                waker.drain();
            }
            if self.is_closing() {
                return Err(WsaError::WSAEINTR);
            }
            if fds[0].revents != 0 {
                return Ok(fds[0].revents);
            }
            if r == 0 || deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(WsaError::WSAETIMEDOUT);
            }
        }
    }

    /// Deadline for a blocking receive or send given a timeout option in milliseconds.
    pub fn deadline(ms: u32) -> Option<Instant> {
        (ms != 0).then(|| Instant::now() + Duration::from_millis(ms as u64))
    }

    /// Mark the socket closed and wake every thread blocked on it.
    fn begin_close(&self) {
        self.closing.store(true, Ordering::Release);
        for w in self.waiters.lock().iter() {
            w.wake();
        }
    }
}

/// The calling thread's waker registered on a set of sockets for the life of a wait, so
/// `closesocket` on any of them wakes the thread (`select`, `WSAPoll`, blocking calls).
pub struct Watch {
    pub waker: Arc<Waker>,
    socks: Vec<Arc<Socket>>,
}

impl Watch {
    pub fn new(socks: &[Arc<Socket>]) -> Watch {
        let waker = thread_waker();
        for s in socks {
            s.waiters.lock().push(waker.clone());
        }
        Watch {
            waker,
            socks: socks.to_vec(),
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        for s in &self.socks {
            let mut w = s.waiters.lock();
            if let Some(i) = w.iter().position(|w| Arc::ptr_eq(w, &self.waker)) {
                w.swap_remove(i);
            }
        }
    }
}

/// The socket a handle names. Before `WSAStartup` every call fails with
/// `WSANOTINITIALISED`; a handle that is not a live socket gives `WSAENOTSOCK`.
pub fn get(s: usize) -> WsResult<Arc<Socket>> {
    startup::require()?;
    match table().get(s) {
        Some(Object::Socket(sock)) => Ok(sock),
        _ => Err(WsaError::WSAENOTSOCK),
    }
}

/// Wrap a new Linux fd in a socket object and give it a handle.
pub fn register(
    fd: RawFd,
    family: i32,
    sock_type: i32,
    protocol: i32,
    flags: u32,
) -> WsResult<(usize, Arc<Socket>)> {
    let sock = Arc::new(Socket::new(fd, family, sock_type, protocol, flags));
    match table().insert(Object::Socket(sock.clone())) {
        Some(h) => Ok((h, sock)),
        None => Err(WsaError::WSAEMFILE),
    }
}

/// Close a socket handle: the handle dies at once, threads blocked on the socket are woken
/// with `WSAEINTR`, and the fd is closed as soon as the last of them has let go.
pub fn close(s: usize) -> WsResult<()> {
    startup::require()?;
    let sock = match table().get(s) {
        Some(Object::Socket(_)) => match table().remove(s) {
            Some(Object::Socket(sock)) => sock,
            _ => return Err(WsaError::WSAENOTSOCK),
        },
        _ => return Err(WsaError::WSAENOTSOCK),
    };
    sock.begin_close();
    netevents::forget(&sock);
    // Every pending overlapped operation ends with an error completion.
    crate::engine::io::cancel_for_close(&sock);
    // Give woken threads and cancelled operations a moment to drop their references, so
    // the fd (and the port it holds) is released before closesocket returns whenever that
    // is possible.
    let start = Instant::now();
    while Arc::strong_count(&sock) > 1 && start.elapsed() < Duration::from_millis(200) {
        crate::engine::reap_now();
        if Arc::strong_count(&sock) == 1 {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
        for w in sock.waiters.lock().iter() {
            w.wake();
        }
    }
    Ok(())
}

/// Close every socket (the last `WSACleanup`).
pub fn close_all() {
    for (h, obj) in table().snapshot() {
        // Only sockets close here; other objects (events, ports) outlive WSACleanup.
        if let Object::Socket(sock) = obj {
            if table().remove(h).is_some() {
                sock.begin_close();
                netevents::forget(&sock);
                crate::engine::io::cancel_for_close(&sock);
            }
        }
    }
}
