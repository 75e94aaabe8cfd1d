//! The Microsoft extension functions (`mswsock.h`): `AcceptEx`, `GetAcceptExSockaddrs`,
//! `ConnectEx`, `DisconnectEx`, which programs obtain through
//! `WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)` with one of the `WSAID_*` GUIDs (or call by
//! name, as `mswsock.dll` exports `AcceptEx` and `GetAcceptExSockaddrs`).
//!
//! They run on the engine as any overlapped operation does (`engine::io`): `AcceptEx` is a
//! record on the listener's receive queue that takes a connection (`accept4`, else
//! `IORING_OP_ACCEPT`), moves it into the caller's accept socket (`dup3` onto that socket's
//! fd, so the handle and fd stay the ones the program has), writes the two addresses, and,
//! with a receive buffer, continues as a receive on the accepted socket. `ConnectEx` starts a
//! non-blocking connect and waits for it with `POLL_ADD`, then sends the optional data on the
//! same record.

use crate::abi::sockaddr::{self, SockAddr};
use crate::engine::io::{Issued, Overlapped, Step};
use crate::engine::op::{Kind, Op};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::socket::calls;
use crate::socket::overlapped::issue_op;
use crate::socket::{get, Conn, Socket};
use crate::status::STATUS_SUCCESS;
use std::os::fd::RawFd;
use std::sync::Arc;

/// A GUID as Windows lays it out in memory (`Data1`..`Data4`, little-endian fields).
pub type Guid = [u8; 16];

pub mod msg;
pub mod transmit;

const fn guid(d1: u32, d2: u16, d3: u16, d4: [u8; 8]) -> Guid {
    let a = d1.to_le_bytes();
    let b = d2.to_le_bytes();
    let c = d3.to_le_bytes();
    [
        a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d4[0], d4[1], d4[2], d4[3], d4[4], d4[5],
        d4[6], d4[7],
    ]
}

pub const WSAID_ACCEPTEX: Guid = guid(
    0xb5367df1,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
);
pub const WSAID_GETACCEPTEXSOCKADDRS: Guid = guid(
    0xb5367df2,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
);
pub const WSAID_CONNECTEX: Guid = guid(
    0x25a207b9,
    0xddf3,
    0x4660,
    [0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e],
);
pub const WSAID_WSARECVMSG: Guid = guid(
    0xf689d7c8,
    0x6f1f,
    0x436b,
    [0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22],
);
pub const WSAID_WSASENDMSG: Guid = guid(
    0xa441e712,
    0x754f,
    0x43ca,
    [0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d],
);
pub const WSAID_TRANSMITFILE: Guid = guid(
    0xb5367df0,
    0xcbac,
    0x11cf,
    [0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92],
);
pub const WSAID_TRANSMITPACKETS: Guid = guid(
    0xd9689da0,
    0x1f90,
    0x11d3,
    [0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76],
);
pub const WSAID_DISCONNECTEX: Guid = guid(
    0x7fda2e11,
    0x8630,
    0x436f,
    [0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57],
);

/// The function a `WSAID_*` GUID names, as a pointer for the caller's output buffer; `None`
/// for a GUID this library does not provide (`WSAIoctl` then fails with `WSAEINVAL`, as
/// Windows does for an unknown GUID).
pub fn lookup(guid: &Guid) -> Option<usize> {
    let f = match *guid {
        WSAID_ACCEPTEX => AcceptEx as *const () as usize,
        WSAID_GETACCEPTEXSOCKADDRS => GetAcceptExSockaddrs as *const () as usize,
        WSAID_CONNECTEX => connect_ex as *const () as usize,
        WSAID_DISCONNECTEX => disconnect_ex as *const () as usize,
        WSAID_TRANSMITFILE => transmit::TransmitFile as *const () as usize,
        WSAID_TRANSMITPACKETS => transmit::transmit_packets as *const () as usize,
        WSAID_WSARECVMSG => msg::wsa_recv_msg as *const () as usize,
        WSAID_WSASENDMSG => msg::WSASendMsg as *const () as usize,
        _ => return None,
    };
    Some(f)
}

const TF_DISCONNECT: u32 = 0x1;
const TF_REUSE_SOCKET: u32 = 0x2;

/// Room Windows requires for each address in an `AcceptEx` buffer: the largest address of
/// the family plus 16 bytes.
fn addr_room(sock: &Socket) -> u32 {
    let sa = if sock.family == crate::abi::AF_INET6 {
        28
    } else {
        16
    };
    sa + 16
}

/// Write one address area of an `AcceptEx` buffer: its length as an `int`, then the Windows
/// `sockaddr`.
///
/// # Safety
/// `area` must point to `room` writable bytes of the caller's output buffer.
unsafe fn put_addr(area: *mut u8, room: u32, a: &SockAddr) {
    let lenp = area as *mut i32;
    // SAFETY: the area holds at least an int and the address (checked by `AcceptEx`); the
    // buffer may be unaligned, so the length is written unaligned.
    unsafe {
        lenp.write_unaligned(room as i32 - 4);
        let mut len: i32 = room as i32 - 4;
        let _ = sockaddr::to_win(a, area.add(4), &mut len);
        lenp.write_unaligned(len);
    }
}

/// An `AcceptEx` record's accept finished with `res` (the new fd): move the connection into
/// the accept socket, write the addresses, and finish or continue as a receive.
pub fn accepted(listener: &Socket, op: &mut Op, fd: RawFd) -> Step {
    let Some(target) = op.peer.clone() else {
        // SAFETY: the fd was just accepted and is owned here.
        unsafe { libc::close(fd) };
        return Step::Error(WsaError::WSAENOTSOCK);
    };
    let [recv_len, local_len, remote_len] = op.ext_lens;
    let room = addr_room(&target);
    if local_len < room || remote_len < room {
        // Windows takes the connection and fails the call: the addresses do not fit.
        // SAFETY: the fd was just accepted and is owned here.
        unsafe { libc::close(fd) };
        return Step::Error(WsaError::ERROR_INSUFFICIENT_BUFFER);
    }
    // SAFETY: `fd` is ours; `target.fd` is the accept socket's own fd, replaced atomically.
    let r = unsafe { libc::dup3(fd, target.fd, libc::O_CLOEXEC) };
    let e = crate::socket::errno();
    // SAFETY: the fd was just accepted and is owned here; dup3 made its own copy.
    unsafe { libc::close(fd) };
    if r < 0 {
        return Step::Error(crate::error::from_errno(e));
    }
    calls::mark_connected(&target);
    crate::socket::netevents::adopted(listener, &target);
    let base = op.ext_buf as *mut u8;
    let local = calls::local_addr(&target).unwrap_or_default();
    let remote = target.st.lock().peer.unwrap_or_default();
    // SAFETY: the caller's output buffer holds recv_len + local_len + remote_len bytes and
    // stays valid until the operation completes (Windows' contract).
    unsafe {
        put_addr(base.add(recv_len as usize), local_len, &local);
        put_addr(
            base.add(recv_len as usize + local_len as usize),
            remote_len,
            &remote,
        );
    }
    if recv_len == 0 {
        return Step::Done {
            status: STATUS_SUCCESS,
            bytes: 0,
            flags: 0,
        };
    }
    op.kind = Kind::Recv;
    op.iov.clear();
    op.iov.push(libc::iovec {
        iov_base: base as *mut libc::c_void,
        iov_len: recv_len as usize,
    });
    op.first = 0;
    op.total = recv_len as usize;
    op.done = 0;
    op.whole = false;
    op.lflags = 0;
    op.sock = Some(target);
    Step::Handoff
}

/// A `ConnectEx` record's socket became writable or failed (`revents`): `Ok(true)` when it
/// is connected now, the connect's error otherwise.
pub fn connected(sock: &Socket, revents: i16) -> WsResult<bool> {
    if revents & (libc::POLLERR | libc::POLLHUP) != 0 {
        let e = calls::so_error(sock);
        let e = if e == 0 { libc::ECONNREFUSED } else { e };
        calls::fail_connect(&mut sock.st.lock(), e, true);
        return Err(crate::error::from_errno(e));
    }
    calls::mark_connected(sock);
    Ok(true)
}

/// Turn an issue result into the BOOL convention of the extension functions: TRUE with the
/// count written when the operation completed at once, FALSE with `ERROR_IO_PENDING`.
///
/// # Safety
/// `count` must be NULL or writable.
unsafe fn report(r: Issued, count: *mut u32) -> WsResult<i32> {
    match r {
        Issued::Pending => Err(WsaError::ERROR_IO_PENDING),
        Issued::Now { bytes, .. } => {
            // SAFETY: NULL or writable by the caller's contract.
            if let Some(c) = unsafe { count.as_mut() } {
                *c = bytes as u32;
            }
            Ok(1)
        }
    }
}

/// `BOOL AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer, DWORD
/// dwReceiveDataLength, DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength, LPDWORD
/// lpdwBytesReceived, LPOVERLAPPED lpOverlapped)`
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub unsafe extern "C" fn AcceptEx(
    listen: usize,
    accept: usize,
    buf: *mut u8,
    recv_len: u32,
    local_len: u32,
    remote_len: u32,
    received: *mut u32,
    ov: *mut Overlapped,
) -> i32 {
    let _t = crate::trace_call!(
        "AcceptEx", listen, accept, buf, recv_len, local_len, remote_len, received, ov
    );
    ffi::ws(0, || {
        let listener = get(listen)?;
        let target = get(accept)?;
        if ov.is_null() {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        if !listener.is_stream() || Arc::ptr_eq(&listener, &target) {
            return Err(WsaError::WSAEINVAL);
        }
        if listener.st.lock().conn != Conn::Listening {
            return Err(WsaError::WSAEINVAL);
        }
        if buf.is_null() || local_len == 0 || remote_len == 0 {
            return Err(WsaError::WSAEFAULT);
        }
        if target.family != listener.family || !target.is_stream() {
            return Err(WsaError::WSAEINVAL);
        }
        {
            let st = target.st.lock();
            if st.conn != Conn::Fresh || st.accept_on.is_some() {
                return Err(WsaError::WSAEINVAL);
            }
            let reused = st.reused;
            drop(st);
            if !reused && calls::is_bound(&target) {
                return Err(WsaError::WSAEINVAL);
            }
        }
        target.st.lock().accept_on = Some((Arc::downgrade(&listener), ov as usize));
        let r = issue_op(&listener, ov, |op| {
            op.kind = Kind::Accept;
            op.peer = Some(target.clone());
            op.ext_buf = buf as usize;
            op.ext_lens = [recv_len, local_len, remote_len];
            Ok(())
        });
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                target.st.lock().accept_on = None;
                return Err(e);
            }
        };
        // SAFETY: NULL or writable by the caller's contract.
        unsafe { report(r, received) }
    })
}

/// Read one address area written by `AcceptEx`.
///
/// # Safety
/// `area` must point to an address area of an `AcceptEx` output buffer.
unsafe fn get_addr(area: *mut u8, sa: *mut *mut u8, len: *mut i32) {
    // SAFETY: the caller's output pointers (NULL is skipped) and the area written by AcceptEx.
    unsafe {
        if let Some(l) = len.as_mut() {
            *l = (area as *const i32).read_unaligned();
        }
        if let Some(s) = sa.as_mut() {
            *s = area.add(4);
        }
    }
}

/// `VOID GetAcceptExSockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD
/// dwLocalAddressLength, DWORD dwRemoteAddressLength, sockaddr **LocalSockaddr, LPINT
/// LocalSockaddrLength, sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength)`
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub unsafe extern "C" fn GetAcceptExSockaddrs(
    buf: *mut u8,
    recv_len: u32,
    local_len: u32,
    _remote_len: u32,
    local: *mut *mut u8,
    local_sz: *mut i32,
    remote: *mut *mut u8,
    remote_sz: *mut i32,
) {
    let _t = crate::trace_call!(
        "GetAcceptExSockaddrs",
        buf,
        recv_len,
        local_len,
        _remote_len,
        local,
        local_sz,
        remote,
        remote_sz
    );
    ffi::win((), || {
        if buf.is_null() {
            return Ok(());
        }
        // SAFETY: an output buffer AcceptEx filled with these lengths (the caller's contract).
        unsafe {
            let base = buf.add(recv_len as usize);
            get_addr(base, local, local_sz);
            get_addr(base.add(local_len as usize), remote, remote_sz);
        }
        Ok(())
    })
}

/// `BOOL ConnectEx(SOCKET s, const sockaddr *name, int namelen, PVOID lpSendBuffer, DWORD
/// dwSendDataLength, LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped)`. Reached only
/// through its `WSAID_CONNECTEX` pointer, as on Windows (no export by name).
pub unsafe extern "C" fn connect_ex(
    s: usize,
    name: *const u8,
    namelen: i32,
    data: *mut u8,
    data_len: u32,
    sent: *mut u32,
    ov: *mut Overlapped,
) -> i32 {
    let _t = crate::trace_call!("connect_ex", s, name, namelen, data, data_len, sent, ov);
    ffi::ws(0, || {
        let sock = get(s)?;
        if ov.is_null() {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        if !sock.is_stream() {
            return Err(WsaError::WSAEINVAL);
        }
        calls::refresh_connect(&sock);
        match sock.st.lock().conn {
            Conn::Connected => return Err(WsaError::WSAEISCONN),
            // A connect request pending on the endpoint: AFD refuses another one.
            Conn::Connecting | Conn::Listening => return Err(WsaError::WSAEINVAL),
            Conn::Fresh | Conn::Failed => {}
        }
        if sock.st.lock().accept_on.is_some() {
            return Err(WsaError::WSAEINVAL);
        }
        if !calls::is_bound(&sock) {
            return Err(WsaError::WSAEINVAL);
        }
        // SAFETY: the caller's address of `namelen` bytes (a bad pointer is caught by the probe).
        let a = unsafe { calls::addr_for(&sock, name, namelen) }?;
        if a.port() == 0 || a.to_std().is_some_and(|s| s.ip().is_unspecified()) {
            return Err(WsaError::WSAEADDRNOTAVAIL);
        }
        if data.is_null() && data_len != 0 {
            return Err(WsaError::WSAEFAULT);
        }
        if sock.st.lock().conn == Conn::Failed {
            sock.dissolve();
            sock.st.lock().conn = Conn::Fresh;
        }
        // SAFETY: `a` is a valid Linux address.
        let r = unsafe { libc::connect(sock.fd, a.as_ptr(), a.len) };
        if r != 0 {
            let e = crate::socket::errno();
            if e != libc::EINPROGRESS {
                let err = crate::error::from_errno(e);
                if !matches!(
                    err,
                    WsaError::WSAECONNREFUSED
                        | WsaError::WSAENETUNREACH
                        | WsaError::WSAEHOSTUNREACH
                        | WsaError::WSAETIMEDOUT
                ) {
                    return Err(err);
                }
                // A connection that failed at once still completes through the OVERLAPPED,
                // as Windows reports every ConnectEx connection failure.
                calls::fail_connect(&mut sock.st.lock(), e, true);
                crate::socket::overlapped::complete_now(
                    &sock,
                    ov,
                    None,
                    crate::status::from_error(err),
                    0,
                )?;
                return Err(WsaError::ERROR_IO_PENDING);
            }
            sock.st.lock().conn = Conn::Connecting;
        } else {
            calls::mark_connected(&sock);
        }
        let r = issue_op(&sock, ov, |op| {
            op.kind = if r == 0 { Kind::Send } else { Kind::Connect };
            if data_len > 0 {
                op.iov.push(libc::iovec {
                    iov_base: data as *mut libc::c_void,
                    iov_len: data_len as usize,
                });
            }
            op.total = data_len as usize;
            op.whole = true;
            op.lflags = 0;
            Ok(())
        })?;
        // SAFETY: NULL or writable by the caller's contract.
        unsafe { report(r, sent) }
    })
}

/// Give a disconnected socket a fresh, unbound fd under the same handle
/// (`TF_REUSE_SOCKET`): it can then be the accept socket of `AcceptEx` or connect again.
pub(crate) fn renew(sock: &Socket) -> WsResult<()> {
    let lfam = if sock.family == crate::abi::AF_INET6 {
        libc::AF_INET6
    } else {
        libc::AF_INET
    };
    // SAFETY: plain syscall; the result is checked.
    let fd = unsafe {
        libc::socket(
            lfam,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            sock.protocol,
        )
    };
    if fd < 0 {
        return Err(crate::socket::os_error());
    }
    if lfam == libc::AF_INET6 {
        calls::set_int(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1);
    }
    // A socket that was bound stays bound to its address (a new port), so ConnectEx takes
    // it again without a bind.
    if let Ok(mut local) = calls::local_addr(sock) {
        local.set_port(0);
        calls::set_int(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
        // SAFETY: a valid Linux address of its stated length.
        unsafe { libc::bind(fd, local.as_ptr(), local.len) };
    }
    // SAFETY: `fd` is ours; the socket's fd is replaced atomically, closing the old
    // connection (operations still in the kernel hold their own reference to it).
    let r = unsafe { libc::dup3(fd, sock.fd, libc::O_CLOEXEC) };
    let e = crate::socket::errno();
    // SAFETY: our copy of the new socket; dup3 made its own.
    unsafe { libc::close(fd) };
    if r < 0 {
        return Err(crate::error::from_errno(e));
    }
    crate::socket::ports::release(sock);
    let mut st = sock.st.lock();
    let nonblocking = st.nonblocking;
    *st = Default::default();
    st.nonblocking = nonblocking;
    st.reused = true;
    Ok(())
}

/// `BOOL DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags, DWORD dwReserved)`:
/// a graceful disconnect (the send direction is shut down and the connection closed); with
/// `TF_REUSE_SOCKET` the handle can take a new connection afterwards. Reached only through
/// its `WSAID_DISCONNECTEX` pointer, as on Windows.
pub unsafe extern "C" fn disconnect_ex(
    s: usize,
    ov: *mut Overlapped,
    flags: u32,
    reserved: u32,
) -> i32 {
    let _t = crate::trace_call!("disconnect_ex", s, ov, flags, reserved);
    ffi::ws(0, || {
        let sock = get(s)?;
        if reserved != 0 || flags & !(TF_DISCONNECT | TF_REUSE_SOCKET) != 0 {
            return Err(WsaError::WSAEINVAL);
        }
        if !sock.is_stream() {
            return Err(WsaError::WSAEOPNOTSUPP);
        }
        calls::refresh_connect(&sock);
        if sock.st.lock().conn != Conn::Connected {
            return Err(WsaError::WSAENOTCONN);
        }
        // SAFETY: plain syscall on the socket's fd.
        unsafe { libc::shutdown(sock.fd, libc::SHUT_WR) };
        if flags & TF_REUSE_SOCKET != 0 {
            crate::engine::io::cancel_for_close(&sock);
            renew(&sock)?;
        } else {
            sock.st.lock().shut_wr = true;
        }
        if !ov.is_null() {
            // Reported through the OVERLAPPED, as the pending operation Windows makes of it.
            crate::socket::overlapped::complete_now(&sock, ov, None, STATUS_SUCCESS, 0)?;
            return Err(WsaError::ERROR_IO_PENDING);
        }
        Ok(1)
    })
}

/// `setsockopt(SO_UPDATE_ACCEPT_CONTEXT)`: the socket accepted by `AcceptEx` takes the
/// listener's properties. `val` holds the listening `SOCKET`.
pub fn update_accept_context(sock: &Socket, val: &[u8]) -> WsResult<()> {
    if val.len() < std::mem::size_of::<usize>() {
        return Err(WsaError::WSAEFAULT);
    }
    let listen = usize::from_ne_bytes(val[..8].try_into().expect("8 bytes"));
    let listener = get(listen)?;
    if listener.st.lock().conn != Conn::Listening {
        return Err(WsaError::WSAEINVAL);
    }
    crate::socket::options::inherit(&listener, sock);
    Ok(())
}

/// `setsockopt(SO_UPDATE_CONNECT_CONTEXT)`: accepted on a socket connected by `ConnectEx`.
pub fn update_connect_context(sock: &Socket) -> WsResult<()> {
    calls::refresh_connect(sock);
    if sock.st.lock().conn != Conn::Connected {
        return Err(WsaError::WSAENOTCONN);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_have_windows_layout() {
        assert_eq!(
            WSAID_ACCEPTEX,
            [
                0xf1, 0x7d, 0x36, 0xb5, 0xac, 0xcb, 0xcf, 0x11, 0x95, 0xca, 0x00, 0x80, 0x5f, 0x48,
                0xa1, 0x92
            ]
        );
        assert!(lookup(&WSAID_CONNECTEX).is_some());
        assert!(lookup(&[0; 16]).is_none());
    }
}
