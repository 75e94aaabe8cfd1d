//! The synchronous socket calls: creation, naming, connection, data transfer, shutdown,
//! close and `ioctlsocket`. Each export is a shim over a safe function below it.

use super::{errno, get, os_error, register, Conn, Deferred, Socket};
use crate::abi::sockaddr::{self, SockAddr};
use crate::abi::{self, af_to_linux, SOCKET, SOCKET_ERROR};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::startup;
use std::ffi::c_char;
use std::os::fd::RawFd;
use std::sync::Arc;
use std::time::Instant;

pub const WSA_FLAG_OVERLAPPED: u32 = 0x01;
const WSA_FLAG_VALID: u32 = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80 | 0x100;
const FROM_PROTOCOL_INFO: i32 = -1;

// Windows message flags.
pub const MSG_OOB: i32 = 0x1;
pub const MSG_PEEK: i32 = 0x2;
pub const MSG_DONTROUTE: i32 = 0x4;
pub const MSG_WAITALL: i32 = 0x8;
pub const MSG_PUSH_IMMEDIATE: i32 = 0x20;

// ioctlsocket commands.
pub const FIONBIO: i32 = 0x8004667eu32 as i32;
pub const FIONREAD: i32 = 0x4004667f;
pub const SIOCATMARK: i32 = 0x40047307;

const SOMAXCONN: i32 = 0x7fffffff;

/// Resolve Windows (af, type, protocol) the way Windows does, giving the Linux triple and the
/// Windows values the socket reports.
fn resolve_triple(af: i32, ty: i32, proto: i32) -> WsResult<(i32, i32, i32)> {
    use abi::*;
    let ty_known = matches!(
        ty,
        0 | SOCK_STREAM | SOCK_DGRAM | SOCK_RAW | SOCK_RDM | SOCK_SEQPACKET
    );
    if !ty_known {
        if af == AF_UNSPEC && proto == 0 {
            return Err(WsaError::WSAEINVAL);
        }
        return Err(WsaError::WSAESOCKTNOSUPPORT);
    }
    if !matches!(af, AF_UNSPEC | AF_INET | AF_INET6 | AF_UNIX) {
        return Err(WsaError::WSAEAFNOSUPPORT);
    }
    if af == AF_UNSPEC && proto == 0 {
        return Err(WsaError::WSAEINVAL);
    }
    if af == AF_UNIX {
        return match (ty, proto) {
            (0 | SOCK_STREAM, 0) => Ok((AF_UNIX, SOCK_STREAM, 0)),
            (SOCK_STREAM, _) => Err(WsaError::WSAEPROTONOSUPPORT),
            _ => Err(WsaError::WSAESOCKTNOSUPPORT),
        };
    }
    let af = if af == AF_UNSPEC { AF_INET } else { af };
    match (ty, proto) {
        (0 | SOCK_STREAM, 0 | IPPROTO_TCP) => Ok((af, SOCK_STREAM, IPPROTO_TCP)),
        (0 | SOCK_DGRAM, IPPROTO_UDP) | (SOCK_DGRAM, 0) => Ok((af, SOCK_DGRAM, IPPROTO_UDP)),
        (SOCK_RAW, p) if (0..=255).contains(&p) => Ok((af, SOCK_RAW, p)),
        (0, IPPROTO_ICMP | IPPROTO_ICMPV6 | IPPROTO_RAW) => Ok((af, SOCK_RAW, proto)),
        (SOCK_RDM | SOCK_SEQPACKET, _) => Err(WsaError::WSAESOCKTNOSUPPORT),
        _ => Err(WsaError::WSAEPROTONOSUPPORT),
    }
}

/// Create a socket: the Linux fd is always non-blocking and close-on-exec (so
/// `WSA_FLAG_NO_HANDLE_INHERIT` holds for every socket).
pub fn create(af: i32, ty: i32, proto: i32, flags: u32) -> WsResult<SOCKET> {
    startup::require()?;
    if flags & !WSA_FLAG_VALID != 0 {
        return Err(WsaError::WSAEINVAL);
    }
    let (af, ty, proto) = resolve_triple(af, ty, proto)?;
    let lfam = af_to_linux(af).ok_or(WsaError::WSAEAFNOSUPPORT)?;
    let lproto = if af == abi::AF_UNIX { 0 } else { proto };
    // SAFETY: plain syscall; the result is checked.
    let fd = unsafe { libc::socket(lfam, ty | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC, lproto) };
    if fd < 0 {
        return Err(match errno() {
            libc::EPERM | libc::EACCES => WsaError::WSAEACCES,
            e => crate::error::from_errno(e),
        });
    }
    if af == abi::AF_INET6 {
        // Windows creates IPv6 sockets dual-stack off (IPV6_V6ONLY on).
        set_int(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1);
    }
    match register(fd, af, ty, proto, flags) {
        Ok((h, _)) => Ok(h),
        Err(e) => Err(e),
    }
}

pub fn set_int(fd: RawFd, level: i32, name: i32, v: i32) -> i32 {
    // SAFETY: passes a live i32 and its size.
    unsafe { libc::setsockopt(fd, level, name, &v as *const i32 as *const libc::c_void, 4) }
}

/// Read the (af, type, protocol) overrides from a `WSAPROTOCOL_INFO` (A and W share the
/// prefix up to `iProtocol`).
///
/// # Safety
/// `info` must be NULL or point to a `WSAPROTOCOL_INFOA`/`W`.
unsafe fn from_protocol_info(
    info: *const u8,
    af: i32,
    ty: i32,
    proto: i32,
) -> WsResult<(i32, i32, i32)> {
    if info.is_null() {
        return Ok((af, ty, proto));
    }
    // SAFETY: offsets 76, 88 and 92 are iAddressFamily, iSocketType and iProtocol.
    let field = |off: usize| unsafe { (info.add(off) as *const i32).read_unaligned() };
    let pick = |v: i32, off: usize| {
        if v == FROM_PROTOCOL_INFO {
            field(off)
        } else {
            v
        }
    };
    Ok((pick(af, 76), pick(ty, 88), pick(proto, 92)))
}

/// `SOCKET socket(int af, int type, int protocol)`
#[no_mangle]
pub extern "C" fn ws2_socket(af: i32, ty: i32, proto: i32) -> SOCKET {
    let _t = crate::trace_call!("socket", af, ty, proto);
    ffi::ws(abi::INVALID_SOCKET, || {
        create(af, ty, proto, WSA_FLAG_OVERLAPPED)
    })
}

/// `SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA, GROUP, DWORD)`
#[no_mangle]
pub unsafe extern "C" fn WSASocketA(
    af: i32,
    ty: i32,
    proto: i32,
    info: *const u8,
    g: u32,
    flags: u32,
) -> SOCKET {
    let _t = crate::trace_call!("WSASocketA", af, ty, proto, info, g, flags);
    // SAFETY: the caller passes NULL or a WSAPROTOCOL_INFOA.
    ffi::ws(abi::INVALID_SOCKET, || {
        wsa_socket(af, ty, proto, info, g, flags)
    })
}

/// `SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW, GROUP, DWORD)`
#[no_mangle]
pub unsafe extern "C" fn WSASocketW(
    af: i32,
    ty: i32,
    proto: i32,
    info: *const u8,
    g: u32,
    flags: u32,
) -> SOCKET {
    let _t = crate::trace_call!("WSASocketW", af, ty, proto, info, g, flags);
    // SAFETY: the caller passes NULL or a WSAPROTOCOL_INFOW.
    ffi::ws(abi::INVALID_SOCKET, || {
        wsa_socket(af, ty, proto, info, g, flags)
    })
}

fn wsa_socket(
    af: i32,
    ty: i32,
    proto: i32,
    info: *const u8,
    g: u32,
    flags: u32,
) -> WsResult<SOCKET> {
    startup::require()?;
    // SAFETY: forwarded from the export's contract.
    let (af, ty, proto) = unsafe { from_protocol_info(info, af, ty, proto) }?;
    if g != 0 {
        return Err(WsaError::WSAEINVAL);
    }
    create(af, ty, proto, flags)
}

/// `int closesocket(SOCKET)`
#[no_mangle]
pub extern "C" fn closesocket(s: SOCKET) -> i32 {
    let _t = crate::trace_call!("closesocket", s);
    ffi::ws(SOCKET_ERROR, || super::close(s).map(|_| 0))
}

/// Read a caller's address for `sock`, checking its family against the socket's.
///
/// # Safety
/// `name` must be NULL or valid for `len` bytes.
pub(crate) unsafe fn addr_for(sock: &Socket, name: *const u8, len: i32) -> WsResult<SockAddr> {
    // SAFETY: forwarded contract.
    let a = unsafe { sockaddr::from_win(name, len) }?;
    if a.win_family() != sock.family {
        return Err(WsaError::WSAEAFNOSUPPORT);
    }
    Ok(a)
}

/// `int bind(SOCKET, const struct sockaddr*, int)`
#[no_mangle]
pub unsafe extern "C" fn ws2_bind(s: SOCKET, name: *const u8, len: i32) -> i32 {
    let _t = crate::trace_call!("bind", s, name, len);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer holds `len` bytes.
        let a = unsafe { addr_for(&sock, name, len) }?;
        bind(&sock, &a).map(|_| 0)
    })
}

pub fn bind(sock: &Socket, a: &SockAddr) -> WsResult<()> {
    if sock.family != abi::AF_UNIX && local_addr(sock).is_ok() {
        return Err(WsaError::WSAEINVAL);
    }
    let v6only = sock.family == abi::AF_INET6 && v6only(sock);
    super::ports::check(sock, a, v6only)?;
    super::options::before_bind(sock)?;
    // SAFETY: `a` holds a valid Linux address of `a.len` bytes.
    if unsafe { libc::bind(sock.fd, a.as_ptr(), a.len) } != 0 {
        return Err(os_error());
    }
    if let Ok(bound) = local_addr(sock) {
        super::ports::record(sock, &bound, v6only);
    }
    Ok(())
}

fn v6only(sock: &Socket) -> bool {
    sock.linux_int(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY) != 0
}

/// Whether the socket has a local address (cached once true).
pub(crate) fn is_bound(sock: &Socket) -> bool {
    if sock.st.lock().bound {
        return true;
    }
    let bound = local_addr(sock).is_ok();
    sock.st.lock().bound = bound;
    bound
}

/// The socket's local address; `WSAEINVAL` when it is not bound yet.
pub fn local_addr(sock: &Socket) -> WsResult<SockAddr> {
    let mut a = SockAddr::default();
    // SAFETY: `a` provides sockaddr_storage-sized room and its length.
    if unsafe { libc::getsockname(sock.fd, a.as_mut_ptr(), &mut a.len) } != 0 {
        return Err(os_error());
    }
    if matches!(a.family(), libc::AF_INET | libc::AF_INET6) && a.port() == 0 {
        return Err(WsaError::WSAEINVAL);
    }
    Ok(a)
}

/// The connected peer: `WSAENOTCONN` unless the socket is connected.
pub fn peer_addr(sock: &Socket) -> WsResult<SockAddr> {
    refresh_connect(sock);
    let st = sock.st.lock();
    match (st.conn, st.peer) {
        (Conn::Connected, Some(p)) => Ok(p),
        (Conn::Connected, None) => {
            drop(st);
            linux_peer(sock)
        }
        _ => Err(WsaError::WSAENOTCONN),
    }
}

fn linux_peer(sock: &Socket) -> WsResult<SockAddr> {
    let mut a = SockAddr::default();
    // SAFETY: `a` provides sockaddr_storage-sized room and its length.
    if unsafe { libc::getpeername(sock.fd, a.as_mut_ptr(), &mut a.len) } != 0 {
        return Err(os_error());
    }
    Ok(a)
}

/// `int getsockname(SOCKET, struct sockaddr*, int*)`
#[no_mangle]
pub unsafe extern "C" fn ws2_getsockname(s: SOCKET, name: *mut u8, len: *mut i32) -> i32 {
    let _t = crate::trace_call!("getsockname", s, name, len);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if name.is_null() || len.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        let a = local_addr(&sock)?;
        // SAFETY: the caller's buffer holds `*len` bytes.
        unsafe { sockaddr::to_win(&a, name, len) }.map(|_| 0)
    })
}

/// `int getpeername(SOCKET, struct sockaddr*, int*)`
#[no_mangle]
pub unsafe extern "C" fn ws2_getpeername(s: SOCKET, name: *mut u8, len: *mut i32) -> i32 {
    let _t = crate::trace_call!("getpeername", s, name, len);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        let a = peer_addr(&sock)?;
        if name.is_null() || len.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: the caller's buffer holds `*len` bytes.
        unsafe { sockaddr::to_win(&a, name, len) }.map(|_| 0)
    })
}

/// `int listen(SOCKET, int backlog)`
#[no_mangle]
pub extern "C" fn ws2_listen(s: SOCKET, backlog: i32) -> i32 {
    let _t = crate::trace_call!("listen", s, backlog);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        listen(&sock, backlog).map(|_| 0)
    })
}

fn listen(sock: &Socket, backlog: i32) -> WsResult<()> {
    if !sock.is_stream() {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    refresh_connect(sock);
    match sock.st.lock().conn {
        Conn::Connected | Conn::Connecting => return Err(WsaError::WSAEISCONN),
        _ => {}
    }
    local_addr(sock)?;
    let n = if backlog == SOMAXCONN {
        libc::SOMAXCONN
    } else if backlog < 0 {
        // SOMAXCONN_HINT(n) is -n: Windows clamps the hint to 200..65535.
        backlog.unsigned_abs().clamp(200, 65535) as i32
    } else {
        backlog
    };
    // SAFETY: plain syscall.
    if unsafe { libc::listen(sock.fd, n) } != 0 {
        return Err(os_error());
    }
    sock.st.lock().conn = Conn::Listening;
    Ok(())
}

/// A connecting socket whose `connect` finished becomes connected (or fails) here; the
/// error of a failed attempt stays in `SO_ERROR`.
pub fn refresh_connect(sock: &Socket) {
    let mut st = sock.st.lock();
    if st.conn != Conn::Connecting {
        return;
    }
    let mut p = libc::pollfd {
        fd: sock.fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: one live pollfd, zero timeout.
    if unsafe { libc::poll(&mut p, 1, 0) } == 1 {
        if p.revents & (libc::POLLERR | libc::POLLHUP) != 0 {
            fail_connect(&mut st, so_error(sock), true);
        } else if p.revents & libc::POLLOUT != 0 {
            set_connected(&mut st, linux_peer(sock).ok());
        }
    }
}

/// Record a failed connect: the socket reports it in `exceptfds` and `SO_ERROR`.
/// A synchronous failure (reported by `connect` itself) leaves `SO_ERROR` at 0, as Windows.
pub(crate) fn fail_connect(st: &mut super::State, errno: i32, sticky: bool) {
    let e = if errno == 0 {
        libc::ECONNREFUSED
    } else {
        errno
    };
    st.conn = Conn::Failed;
    st.connect_error = e;
    if sticky {
        st.so_error = crate::error::from_errno(e).0;
    }
}

/// `int connect(SOCKET, const struct sockaddr*, int)`
#[no_mangle]
pub unsafe extern "C" fn ws2_connect(s: SOCKET, name: *const u8, len: i32) -> i32 {
    let _t = crate::trace_call!("connect", s, name, len);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer holds `len` bytes.
        if !sock.is_stream() && len >= 2 && unsafe { ffi::probe_read(name as *const u16) } == Ok(0)
        {
            // AF_UNSPEC: a datagram socket drops its default peer.
            disconnect_datagram(&sock);
            return Ok(0);
        }
        // SAFETY: the caller's buffer holds `len` bytes.
        let a = unsafe { addr_for(&sock, name, len) }?;
        connect(&sock, &a).map(|_| 0)
    })
}

fn disconnect_datagram(sock: &Socket) {
    sock.dissolve();
    let mut st = sock.st.lock();
    st.conn = Conn::Fresh;
    st.peer = None;
}

/// `int WSAConnect(SOCKET, const struct sockaddr*, int, LPWSABUF, LPWSABUF, LPQOS, LPQOS)`:
/// TCP/IP carries no connect data, so the callee data comes back empty; QOS is ignored.
#[no_mangle]
pub unsafe extern "C" fn WSAConnect(
    s: SOCKET,
    name: *const u8,
    len: i32,
    _caller_data: *const WsaBuf,
    callee_data: *mut WsaBuf,
    _sqos: *const u8,
    _gqos: *const u8,
) -> i32 {
    let _t = crate::trace_call!(
        "WSAConnect",
        s,
        name,
        len,
        _caller_data,
        callee_data,
        _sqos,
        _gqos
    );
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer holds `len` bytes.
        let a = unsafe { addr_for(&sock, name, len) }?;
        connect(&sock, &a)?;
        // SAFETY: NULL or a caller's WSABUF.
        if let Some(cd) = unsafe { callee_data.as_mut() } {
            cd.len = 0;
        }
        Ok(0)
    })
}

fn is_unspecified(a: &SockAddr) -> bool {
    a.to_std().is_some_and(|s| s.ip().is_unspecified())
}

pub fn connect(sock: &Arc<Socket>, a: &SockAddr) -> WsResult<()> {
    super::netevents::connecting(sock);
    let r = connect_inner(sock, a);
    super::netevents::evaluate(sock, false);
    r
}

fn connect_inner(sock: &Arc<Socket>, a: &SockAddr) -> WsResult<()> {
    if sock.is_stream() {
        refresh_connect(sock);
        match sock.st.lock().conn {
            Conn::Connected => return Err(WsaError::WSAEISCONN),
            Conn::Connecting => return Err(WsaError::WSAEALREADY),
            Conn::Listening => return Err(WsaError::WSAEINVAL),
            Conn::Fresh | Conn::Failed => {}
        }
        if sock.st.lock().accept_on.is_some() {
            // An AcceptEx is accepting into this socket.
            return Err(WsaError::WSAEINVAL);
        }
        if is_unspecified(a) || a.port() == 0 {
            return Err(WsaError::WSAEADDRNOTAVAIL);
        }
    } else if is_unspecified(a) && a.port() == 0 {
        // A datagram socket connected to the zero address drops its default peer.
        disconnect_datagram(sock);
        return Ok(());
    }
    if sock.st.lock().conn == Conn::Failed {
        // Linux keeps a failed TCP socket in a state that refuses a new connect; an
        // AF_UNSPEC connect returns it to the unconnected state, as Windows' socket is.
        sock.dissolve();
        sock.st.lock().conn = Conn::Fresh;
    }
    // SAFETY: `a` is a valid Linux address.
    let r = unsafe { libc::connect(sock.fd, a.as_ptr(), a.len) };
    if r == 0 {
        mark_connected(sock);
        return Ok(());
    }
    let e = errno();
    if e != libc::EINPROGRESS {
        return Err(match e {
            libc::EAGAIN => WsaError::WSAEWOULDBLOCK,
            _ => crate::error::from_errno(e),
        });
    }
    if sock.st.lock().nonblocking {
        sock.st.lock().conn = Conn::Connecting;
        return Err(WsaError::WSAEWOULDBLOCK);
    }
    sock.st.lock().conn = Conn::Connecting;
    let r = sock.wait(libc::POLLOUT, None);
    let err = so_error(sock);
    if let Err(e) = r {
        sock.st.lock().conn = Conn::Fresh;
        return Err(e);
    }
    if err != 0 {
        fail_connect(&mut sock.st.lock(), err, false);
        return Err(crate::error::from_errno(err));
    }
    mark_connected(sock);
    Ok(())
}

pub(crate) fn mark_connected(sock: &Socket) {
    let peer = linux_peer(sock).ok();
    let mut st = sock.st.lock();
    set_connected(&mut st, peer);
}

fn set_connected(st: &mut super::State, peer: Option<SockAddr>) {
    st.conn = Conn::Connected;
    st.so_error = 0;
    st.connected_at = Some(Instant::now());
    st.peer = peer;
    st.bound = true;
}

/// Linux `SO_ERROR` (reading it clears it).
pub fn so_error(sock: &Socket) -> i32 {
    sock.linux_int(libc::SOL_SOCKET, libc::SO_ERROR)
}

/// Windows `WSABUF` (Win64: a 32-bit length, then the pointer).
#[repr(C)]
pub struct WsaBuf {
    pub len: u32,
    pub buf: *mut c_char,
}

/// Room the caller must provide for an address of this socket's family.
fn addr_room(sock: &Socket) -> usize {
    match sock.family {
        abi::AF_INET => sockaddr::SOCKADDR_IN_LEN,
        abi::AF_INET6 => sockaddr::SOCKADDR_IN6_LEN,
        _ => 2,
    }
}

/// Check an optional (addr, addrlen) out-pair before a call consumes anything.
///
/// # Safety
/// `lenp` must be NULL or readable.
pub(super) unsafe fn check_addr_out(sock: &Socket, addr: *mut u8, lenp: *mut i32) -> WsResult<()> {
    // An address buffer without a length is ignored, as Windows does.
    if addr.is_null() || lenp.is_null() {
        return Ok(());
    }
    // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
    match unsafe { ffi::probe_read(lenp) } {
        Ok(n) if n >= 0 && n as usize >= addr_room(sock) => Ok(()),
        _ => Err(WsaError::WSAEFAULT),
    }
}

/// Take one connection from the listener (a deferred one first).
fn accept_fd(sock: &Arc<Socket>) -> WsResult<(RawFd, SockAddr)> {
    if !sock.is_stream() {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    if sock.st.lock().conn != Conn::Listening {
        return Err(WsaError::WSAEINVAL);
    }
    if let Some(d) = sock.st.lock().deferred.take() {
        let fd = d.fd;
        std::mem::forget(d);
        let mut a = SockAddr::default();
        // SAFETY: room and length from `a`.
        unsafe { libc::getpeername(fd, a.as_mut_ptr(), &mut a.len) };
        return Ok((fd, a));
    }
    loop {
        let mut a = SockAddr::default();
        // SAFETY: room and length from `a`.
        let fd = unsafe {
            libc::accept4(
                sock.fd,
                a.as_mut_ptr(),
                &mut a.len,
                libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            )
        };
        if fd >= 0 {
            return Ok((fd, a));
        }
        match errno() {
            libc::EAGAIN => {
                if sock.st.lock().nonblocking {
                    return Err(WsaError::WSAEWOULDBLOCK);
                }
                sock.wait(libc::POLLIN, None)?;
            }
            libc::ECONNABORTED | libc::EINTR => continue,
            e => return Err(crate::error::from_errno(e)),
        }
    }
}

/// Give an accepted fd its handle; it inherits the listener's properties.
fn adopt(listener: &Socket, fd: RawFd) -> WsResult<SOCKET> {
    let (h, sock) = match register(
        fd,
        listener.family,
        listener.sock_type,
        listener.protocol,
        listener.flags,
    ) {
        Ok(v) => v,
        Err(e) => {
            // SAFETY: the fd was never handed out.
            unsafe { libc::close(fd) };
            return Err(e);
        }
    };
    super::options::inherit(listener, &sock);
    mark_connected(&sock);
    super::netevents::adopted(listener, &sock);
    Ok(h)
}

/// `SOCKET accept(SOCKET, struct sockaddr*, int*)`
#[no_mangle]
pub unsafe extern "C" fn ws2_accept(s: SOCKET, addr: *mut u8, len: *mut i32) -> SOCKET {
    let _t = crate::trace_call!("accept", s, addr, len);
    ffi::ws(abi::INVALID_SOCKET, || {
        let sock = get(s)?;
        // SAFETY: the caller's out-pointers.
        unsafe { check_addr_out(&sock, addr, len) }?;
        let got = accept_fd(&sock);
        super::netevents::after_accept(&sock);
        let (fd, a) = got?;
        let h = adopt(&sock, fd)?;
        // SAFETY: checked above to hold the address.
        if !addr.is_null() && !len.is_null() {
            // SAFETY: checked above to hold the address.
            unsafe { sockaddr::to_win(&a, addr, len) }?;
        }
        Ok(h)
    })
}

/// `int CALLBACK ConditionFunc(LPWSABUF, LPWSABUF, LPQOS, LPQOS, LPWSABUF, LPWSABUF, GROUP*, DWORD_PTR)`
pub type ConditionProc = unsafe extern "C" fn(
    *mut WsaBuf,
    *mut WsaBuf,
    *mut u8,
    *mut u8,
    *mut WsaBuf,
    *mut WsaBuf,
    *mut u32,
    usize,
) -> i32;

const CF_ACCEPT: i32 = 0;
const CF_REJECT: i32 = 1;
const CF_DEFER: i32 = 2;

/// `SOCKET WSAAccept(SOCKET, struct sockaddr*, LPINT, LPCONDITIONPROC, DWORD_PTR)`
#[no_mangle]
pub unsafe extern "C" fn WSAAccept(
    s: SOCKET,
    addr: *mut u8,
    len: *mut i32,
    cond: Option<ConditionProc>,
    data: usize,
) -> SOCKET {
    let _t = crate::trace_call!("WSAAccept", s, addr, len, cond, data);
    ffi::ws(abi::INVALID_SOCKET, || {
        let sock = get(s)?;
        // SAFETY: the caller's out-pointers.
        unsafe { check_addr_out(&sock, addr, len) }?;
        let got = accept_fd(&sock);
        if got.is_err() {
            super::netevents::after_accept(&sock);
        }
        let (fd, peer) = got?;
        if let Some(cond) = cond {
            let mut local = SockAddr::default();
            // SAFETY: room and length from `local`.
            unsafe { libc::getsockname(fd, local.as_mut_ptr(), &mut local.len) };
            let mut peer_w = [0u8; 128];
            let mut local_w = [0u8; 128];
            let mut pl = 128i32;
            let mut ll = 128i32;
            // SAFETY: 128-byte buffers with their lengths.
            unsafe {
                sockaddr::to_win(&peer, peer_w.as_mut_ptr(), &mut pl)?;
                sockaddr::to_win(&local, local_w.as_mut_ptr(), &mut ll)?;
            }
            let mut caller = WsaBuf {
                len: pl as u32,
                buf: peer_w.as_mut_ptr() as *mut c_char,
            };
            let mut callee = WsaBuf {
                len: ll as u32,
                buf: local_w.as_mut_ptr() as *mut c_char,
            };
            let mut group: u32 = 0;
            // SAFETY: the program's condition function, called with live arguments.
            let verdict = unsafe {
                cond(
                    &mut caller,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    &mut callee,
                    std::ptr::null_mut(),
                    &mut group,
                    data,
                )
            };
            match verdict {
                CF_ACCEPT => {}
                CF_DEFER => {
                    // A deferred connection does not re-enable FD_ACCEPT.
                    sock.st.lock().deferred = Some(Deferred { fd });
                    return Err(WsaError::WSATRY_AGAIN);
                }
                CF_REJECT => {
                    reject(fd);
                    super::netevents::after_accept(&sock);
                    return Err(WsaError::WSAECONNREFUSED);
                }
                _ => {
                    reject(fd);
                    super::netevents::after_accept(&sock);
                    return Err(WsaError::WSAEINVAL);
                }
            }
        }
        let h = adopt(&sock, fd);
        super::netevents::after_accept(&sock);
        let h = h?;
        // SAFETY: checked above to hold the address.
        if !addr.is_null() && !len.is_null() {
            // SAFETY: checked above to hold the address.
            unsafe { sockaddr::to_win(&peer, addr, len) }?;
        }
        Ok(h)
    })
}

/// Refuse a connection with a reset.
fn reject(fd: RawFd) {
    let lg = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a live linger struct; then the fd (owned here) is closed once.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &lg as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as u32,
        );
        libc::close(fd);
    }
}

/// Windows receive flags -> Linux.
fn recv_flags(sock: &Socket, flags: i32, overlapped: bool) -> WsResult<i32> {
    if flags & !(MSG_OOB | MSG_PEEK | MSG_WAITALL | MSG_PUSH_IMMEDIATE) != 0 {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    // An overlapped receive never blocks, so the socket's mode does not matter to it.
    let waitall_refused = !sock.is_stream()
        || flags & (MSG_PEEK | MSG_OOB) != 0
        || (!overlapped && sock.st.lock().nonblocking);
    if flags & MSG_WAITALL != 0 && waitall_refused {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    if flags & MSG_OOB != 0 && !sock.is_stream() {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    let mut l = 0;
    if flags & MSG_OOB != 0 {
        l |= libc::MSG_OOB;
    }
    if flags & MSG_PEEK != 0 {
        l |= libc::MSG_PEEK;
    }
    Ok(l)
}

/// Windows send flags -> Linux.
fn send_flags(sock: &Socket, flags: i32) -> WsResult<i32> {
    if flags & !(MSG_OOB | MSG_DONTROUTE | MSG_PUSH_IMMEDIATE) != 0 {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    if flags & MSG_OOB != 0 && !sock.is_stream() {
        return Err(WsaError::WSAEOPNOTSUPP);
    }
    let mut l = libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT;
    if flags & MSG_OOB != 0 {
        l |= libc::MSG_OOB;
    }
    if flags & MSG_DONTROUTE != 0 {
        l |= libc::MSG_DONTROUTE;
    }
    Ok(l)
}

/// Outcome of one receive.
pub struct Received {
    pub bytes: usize,
    pub from: SockAddr,
    /// A datagram was larger than the buffers (Windows: `WSAEMSGSIZE` / `MSG_PARTIAL`).
    pub truncated: bool,
}

/// Receive into `bufs` with Windows semantics (blocking per the socket's mode, timeouts,
/// `MSG_WAITALL`, shutdown and connection checks).
pub fn recv(sock: &Arc<Socket>, bufs: &mut [libc::iovec], flags: i32) -> WsResult<Received> {
    let r = recv_inner(sock, bufs, flags);
    super::netevents::after_recv(sock, flags);
    r
}

fn recv_inner(sock: &Arc<Socket>, bufs: &mut [libc::iovec], flags: i32) -> WsResult<Received> {
    let lflags = recv_check(sock, flags, false)?;
    let (nonblocking, deadline) = {
        let st = sock.st.lock();
        (st.nonblocking, Socket::deadline(st.rcvtimeo))
    };
    let total: usize = bufs.iter().map(|b| b.iov_len).sum();
    let waitall = flags & MSG_WAITALL != 0;
    let mut got = 0usize;
    let mut from = SockAddr::default();
    loop {
        let (n, trunc) = recv_once(sock, bufs, got, lflags, &mut from)?;
        match n {
            Some(n) => {
                got += n;
                if !waitall || n == 0 || got >= total {
                    return Ok(Received {
                        bytes: got,
                        from,
                        truncated: trunc,
                    });
                }
            }
            None => {
                if nonblocking {
                    if got > 0 {
                        return Ok(Received {
                            bytes: got,
                            from,
                            truncated: false,
                        });
                    }
                    return Err(WsaError::WSAEWOULDBLOCK);
                }
                let ev = if lflags & libc::MSG_OOB != 0 {
                    libc::POLLPRI
                } else {
                    libc::POLLIN
                };
                sock.wait(ev, deadline)?;
            }
        }
    }
}

/// The checks a receive passes before any data moves (flags, shutdown, connection, bound
/// datagram socket). Returns the Linux flags.
pub fn recv_check(sock: &Socket, flags: i32, overlapped: bool) -> WsResult<i32> {
    let lflags = recv_flags(sock, flags, overlapped)?;
    let (shut, conn) = {
        let st = sock.st.lock();
        (st.shut_rd, st.conn)
    };
    if shut {
        return Err(WsaError::WSAESHUTDOWN);
    }
    if sock.is_stream() {
        connected_or(sock, conn)?;
    } else if !is_bound(sock) {
        return Err(WsaError::WSAEINVAL);
    }
    Ok(lflags)
}

/// A stream socket's data calls need a connection: `conn` as last seen, brought up to date
/// when a `connect` may have finished since; `WSAENOTCONN` without one.
fn connected_or(sock: &Socket, conn: Conn) -> WsResult<()> {
    if conn == Conn::Connected {
        return Ok(());
    }
    refresh_connect(sock);
    if sock.st.lock().conn != Conn::Connected {
        return Err(WsaError::WSAENOTCONN);
    }
    Ok(())
}

/// Where a send goes once it passed its checks.
pub enum SendPlan {
    /// Send with these Linux flags, to this datagram destination if any.
    Go(i32, Option<SockAddr>),
    /// A datagram to port 0: Windows accepts it and delivers it nowhere.
    Discard,
}

/// The checks a send passes before any data moves (flags, shutdown, connection,
/// destination). Datagram sockets are bound implicitly, as by a real send.
pub fn send_check(sock: &Socket, flags: i32, to: Option<&SockAddr>) -> WsResult<SendPlan> {
    let lflags = send_flags(sock, flags)?;
    let (shut, conn) = {
        let st = sock.st.lock();
        (st.shut_wr, st.conn)
    };
    if shut {
        return Err(WsaError::WSAESHUTDOWN);
    }
    if sock.is_stream() {
        connected_or(sock, conn)?;
        return Ok(SendPlan::Go(lflags, None));
    }
    match to {
        Some(a) if is_unspecified(a) => Err(WsaError::WSAEADDRNOTAVAIL),
        Some(a) if a.port() == 0 => {
            // Windows sends to port 0 and the datagram is never delivered; Linux refuses
            // the send. The socket is bound as by a real send, and the datagram dropped.
            if !is_bound(sock) {
                implicit_bind(sock)?;
            }
            Ok(SendPlan::Discard)
        }
        None if sock.st.lock().conn != Conn::Connected => Err(WsaError::WSAENOTCONN),
        _ => Ok(SendPlan::Go(lflags, to.cloned())),
    }
}

/// Bind to the wildcard address and an ephemeral port, as a first send does.
fn implicit_bind(sock: &Socket) -> WsResult<()> {
    let any: std::net::SocketAddr = if sock.family == abi::AF_INET6 {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    };
    bind(sock, &SockAddr::from_std(&any))
}

/// One non-blocking `recvmsg` into `bufs` starting `skip` bytes in. `None` means no data yet.
fn recv_once(
    sock: &Socket,
    bufs: &mut [libc::iovec],
    skip: usize,
    lflags: i32,
    from: &mut SockAddr,
) -> WsResult<(Option<usize>, bool)> {
    let mut iov = iov_from(bufs, skip);
    // SAFETY: msghdr is plain data; zero is a valid empty header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = from.as_mut_ptr() as *mut libc::c_void;
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as u32;
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len();
    // SAFETY: every pointer in `msg` refers to live memory of the stated size.
    let n = unsafe { libc::recvmsg(sock.fd, &mut msg, lflags | libc::MSG_DONTWAIT) };
    if n >= 0 {
        from.len = msg.msg_namelen;
        let trunc = !sock.is_stream() && msg.msg_flags & libc::MSG_TRUNC != 0;
        return Ok((Some(n as usize), trunc));
    }
    match errno() {
        libc::EAGAIN | libc::EINTR => Ok((None, false)),
        e => Err(super::io_error(sock, false, lflags, e)),
    }
}

/// Send `bufs` with Windows semantics: a blocking stream send returns only when everything
/// is queued; a non-blocking one may queue part.
pub fn send(
    sock: &Arc<Socket>,
    bufs: &[libc::iovec],
    flags: i32,
    to: Option<&SockAddr>,
) -> WsResult<usize> {
    send_with(sock, bufs, flags, to, &[])
}

/// [`send`] with Linux control data, which goes with the first `sendmsg` (`WSASendMsg`).
pub fn send_with(
    sock: &Arc<Socket>,
    bufs: &[libc::iovec],
    flags: i32,
    to: Option<&SockAddr>,
    ctrl: &[u8],
) -> WsResult<usize> {
    let r = send_inner(sock, bufs, flags, to, ctrl);
    if r == Err(WsaError::WSAEWOULDBLOCK) {
        super::netevents::after_send_blocked(sock);
    }
    r
}

fn send_inner(
    sock: &Arc<Socket>,
    bufs: &[libc::iovec],
    flags: i32,
    to: Option<&SockAddr>,
    ctrl: &[u8],
) -> WsResult<usize> {
    let total: usize = bufs.iter().map(|b| b.iov_len).sum();
    let (lflags, to) = match send_check(sock, flags, to)? {
        SendPlan::Go(l, to) => (l, to),
        SendPlan::Discard => return Ok(total),
    };
    let to = to.as_ref();
    let (nonblocking, deadline) = {
        let st = sock.st.lock();
        (st.nonblocking, Socket::deadline(st.sndtimeo))
    };
    if nonblocking && sock.is_stream() && total > 0 {
        make_room(sock, total)?;
    }
    let mut sent = 0usize;
    loop {
        let c = if sent == 0 { ctrl } else { &[] };
        match send_once(sock, bufs, sent, lflags, to, c)? {
            Some(n) => {
                sent += n;
                if nonblocking || !sock.is_stream() || sent >= total {
                    return Ok(sent);
                }
            }
            None => {
                if nonblocking {
                    if sent > 0 {
                        return Ok(sent);
                    }
                    return Err(WsaError::WSAEWOULDBLOCK);
                }
                sock.wait(libc::POLLOUT, deadline)?;
            }
        }
    }
}

/// Windows takes a non-blocking stream send whole while its send buffer is not full (fewer
/// bytes queued than `SO_SNDBUF`), and refuses it with `WSAEWOULDBLOCK` once it is; Linux
/// would take part of it. The Linux buffer is grown to fit the send, so it goes whole.
fn make_room(sock: &Socket, len: usize) -> WsResult<()> {
    let mut queued: libc::c_int = 0;
    // SAFETY: SIOCOUTQ writes one int.
    unsafe { libc::ioctl(sock.fd, libc::TIOCOUTQ, &mut queued) };
    let queued = queued.max(0) as usize;
    let linux_room = (sock.linux_int(libc::SOL_SOCKET, libc::SO_SNDBUF) / 2).max(0) as usize;
    let limit = {
        let mut st = sock.st.lock();
        // Keep reporting the size the program saw before the buffer was grown.
        *st.sndbuf.get_or_insert(linux_room as u32) as usize
    };
    if queued >= limit.max(1) {
        return Err(WsaError::WSAEWOULDBLOCK);
    }
    if queued + len > linux_room {
        let want = (queued + len + 65536).min(64 << 20) as i32;
        let v = want.to_ne_bytes();
        // SAFETY: a live i32 and its length; SO_SNDBUFFORCE needs privileges, SO_SNDBUF is
        // the fallback (bounded by net.core.wmem_max).
        unsafe {
            let p = v.as_ptr() as *const libc::c_void;
            if libc::setsockopt(sock.fd, libc::SOL_SOCKET, libc::SO_SNDBUFFORCE, p, 4) != 0 {
                libc::setsockopt(sock.fd, libc::SOL_SOCKET, libc::SO_SNDBUF, p, 4);
            }
        }
    }
    Ok(())
}

fn send_once(
    sock: &Socket,
    bufs: &[libc::iovec],
    skip: usize,
    lflags: i32,
    to: Option<&SockAddr>,
    ctrl: &[u8],
) -> WsResult<Option<usize>> {
    let mut iov = iov_from(bufs, skip);
    // SAFETY: msghdr is plain data; zero is a valid empty header.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    if let Some(a) = to {
        msg.msg_name = a.as_ptr() as *mut libc::c_void;
        msg.msg_namelen = a.len;
    }
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len();
    if !ctrl.is_empty() {
        msg.msg_control = ctrl.as_ptr() as *mut libc::c_void;
        msg.msg_controllen = ctrl.len();
    }
    // SAFETY: every pointer in `msg` refers to live memory of the stated size.
    let n = unsafe { libc::sendmsg(sock.fd, &msg, lflags) };
    if n >= 0 {
        return Ok(Some(n as usize));
    }
    match errno() {
        libc::EAGAIN | libc::EINTR => Ok(None),
        e => Err(super::io_error(sock, true, lflags, e)),
    }
}

/// The part of `bufs` after the first `skip` bytes.
fn iov_from(bufs: &[libc::iovec], skip: usize) -> Vec<libc::iovec> {
    let mut iov: Vec<libc::iovec> = Vec::with_capacity(bufs.len());
    let mut left = skip;
    for b in bufs {
        if left >= b.iov_len {
            left -= b.iov_len;
            continue;
        }
        iov.push(libc::iovec {
            // SAFETY: `left` < iov_len, so the offset stays inside the caller's buffer.
            iov_base: unsafe { (b.iov_base as *mut u8).add(left) } as *mut libc::c_void,
            iov_len: b.iov_len - left,
        });
        left = 0;
    }
    iov
}

fn one_buf(p: *mut u8, len: usize) -> [libc::iovec; 1] {
    [libc::iovec {
        iov_base: p as *mut libc::c_void,
        iov_len: len,
    }]
}

/// `int recv(SOCKET, char*, int, int)`
#[no_mangle]
pub unsafe extern "C" fn ws2_recv(s: SOCKET, buf: *mut u8, len: i32, flags: i32) -> i32 {
    let _t = crate::trace_call!("recv", s, buf, len, flags);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer of `len` bytes.
        let b = unsafe { ffi::bytes_mut(buf, len) }?;
        let mut iov = one_buf(b.as_mut_ptr(), b.len());
        let r = recv(&sock, &mut iov, flags)?;
        if r.truncated {
            return Err(WsaError::WSAEMSGSIZE);
        }
        Ok(r.bytes as i32)
    })
}

/// `int recvfrom(SOCKET, char*, int, int, struct sockaddr*, int*)`
#[no_mangle]
pub unsafe extern "C" fn ws2_recvfrom(
    s: SOCKET,
    buf: *mut u8,
    len: i32,
    flags: i32,
    from: *mut u8,
    fromlen: *mut i32,
) -> i32 {
    let _t = crate::trace_call!("recvfrom", s, buf, len, flags, from, fromlen);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer of `len` bytes.
        let b = unsafe { ffi::bytes_mut(buf, len) }?;
        // SAFETY: the caller's out-pointers.
        unsafe { check_addr_out(&sock, from, fromlen) }?;
        let mut iov = one_buf(b.as_mut_ptr(), b.len());
        let r = recv(&sock, &mut iov, flags)?;
        if !from.is_null() && r.from.len > 0 && r.from.family() != libc::AF_UNSPEC {
            // SAFETY: checked above to hold the address.
            unsafe { sockaddr::to_win(&r.from, from, fromlen) }?;
        }
        if r.truncated {
            return Err(WsaError::WSAEMSGSIZE);
        }
        Ok(r.bytes as i32)
    })
}

/// `int send(SOCKET, const char*, int, int)`
#[no_mangle]
pub unsafe extern "C" fn ws2_send(s: SOCKET, buf: *const u8, len: i32, flags: i32) -> i32 {
    let _t = crate::trace_call!("send", s, buf, len, flags);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer of `len` bytes.
        let b = unsafe { ffi::bytes(buf, len) }?;
        let iov = one_buf(b.as_ptr() as *mut u8, b.len());
        send(&sock, &iov, flags, None).map(|n| n as i32)
    })
}

/// `int sendto(SOCKET, const char*, int, int, const struct sockaddr*, int)`
#[no_mangle]
pub unsafe extern "C" fn ws2_sendto(
    s: SOCKET,
    buf: *const u8,
    len: i32,
    flags: i32,
    to: *const u8,
    tolen: i32,
) -> i32 {
    let _t = crate::trace_call!("sendto", s, buf, len, flags, to, tolen);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // SAFETY: the caller's buffer of `len` bytes.
        let b = unsafe { ffi::bytes(buf, len) }?;
        let dest = if sock.is_stream() {
            None
        } else if to.is_null() {
            if sock.st.lock().conn != Conn::Connected {
                return Err(WsaError::WSAEDESTADDRREQ);
            }
            None
        } else {
            // SAFETY: the caller's address of `tolen` bytes.
            Some(unsafe { addr_for(&sock, to, tolen) }?)
        };
        let iov = one_buf(b.as_ptr() as *mut u8, b.len());
        send(&sock, &iov, flags, dest.as_ref()).map(|n| n as i32)
    })
}

/// `int shutdown(SOCKET, int how)`
#[no_mangle]
pub extern "C" fn ws2_shutdown(s: SOCKET, how: i32) -> i32 {
    let _t = crate::trace_call!("shutdown", s, how);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if !(0..=2).contains(&how) {
            return Err(WsaError::WSAEINVAL);
        }
        if sock.is_stream() {
            refresh_connect(&sock);
            if sock.st.lock().conn != Conn::Connected {
                return Err(WsaError::WSAENOTCONN);
            }
        }
        // SAFETY: plain syscall; SD_* equal SHUT_* numerically.
        if unsafe { libc::shutdown(sock.fd, how) } != 0 && errno() != libc::ENOTCONN {
            return Err(os_error());
        }
        let mut st = sock.st.lock();
        st.shut_rd |= how != 1;
        st.shut_wr |= how != 0;
        Ok(0)
    })
}

/// `int ioctlsocket(SOCKET, long cmd, u_long* argp)`
#[no_mangle]
pub unsafe extern "C" fn ioctlsocket(s: SOCKET, cmd: i32, argp: *mut u32) -> i32 {
    let _t = crate::trace_call!("ioctlsocket", s, cmd, argp);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if !matches!(cmd, FIONBIO | FIONREAD | SIOCATMARK) {
            return Err(WsaError::WSAEOPNOTSUPP);
        }
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        let arg = unsafe { ffi::probe_read(argp) }?;
        let v = ioctl(&sock, cmd, arg)?;
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        unsafe { ffi::probe_write(argp, v) }?;
        Ok(0)
    })
}

/// `ioctlsocket`'s commands; returns the value written back to `*argp`.
pub fn ioctl(sock: &Arc<Socket>, cmd: i32, arg: u32) -> WsResult<u32> {
    match cmd {
        FIONBIO => {
            if arg == 0 && super::netevents::selected(sock) {
                // A socket with a WSAEventSelect selection stays non-blocking.
                return Err(WsaError::WSAEINVAL);
            }
            sock.st.lock().nonblocking = arg != 0;
            Ok(arg)
        }
        FIONREAD => {
            let mut n: libc::c_int = 0;
            // SAFETY: FIONREAD writes one int.
            if unsafe { libc::ioctl(sock.fd, libc::FIONREAD, &mut n) } != 0 {
                return Err(os_error());
            }
            Ok(n.max(0) as u32)
        }
        SIOCATMARK if sock.oob_inline() => {
            // Inline: urgent data is pending while the read position is at the mark.
            let mut at: libc::c_int = 0;
            // SAFETY: SIOCATMARK writes one int.
            if unsafe {
                libc::ioctl(sock.fd, 0x8905 /* SIOCATMARK */, &mut at)
            } != 0
            {
                return Err(os_error());
            }
            Ok((at == 0) as u32)
        }
        SIOCATMARK => {
            // Windows answers TRUE when no urgent data is waiting to be read.
            let mut b = 0u8;
            // SAFETY: peeks at most one byte into a local.
            let r = unsafe {
                libc::recv(
                    sock.fd,
                    &mut b as *mut u8 as *mut libc::c_void,
                    1,
                    libc::MSG_OOB | libc::MSG_PEEK | libc::MSG_DONTWAIT,
                )
            };
            Ok(if r > 0 { 0 } else { 1 })
        }
        _ => Err(WsaError::WSAEOPNOTSUPP),
    }
}
