//! `getsockopt` / `setsockopt`: Windows levels and option names translated to Linux, or
//! answered from the socket's own state where Windows semantics differ (timeouts in DWORD
//! milliseconds, `SO_ERROR` as a WSA code, `SO_LINGER` with `u_short` fields, ...).

use super::calls::refresh_connect;
use super::{get, os_error, Conn, Socket};
use crate::abi::{self, SOCKET, SOCKET_ERROR};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use std::time::Instant;

pub const SOL_SOCKET: i32 = 0xffff;
pub const SO_DEBUG: i32 = 0x0001;
pub const SO_ACCEPTCONN: i32 = 0x0002;
pub const SO_REUSEADDR: i32 = 0x0004;
pub const SO_KEEPALIVE: i32 = 0x0008;
pub const SO_DONTROUTE: i32 = 0x0010;
pub const SO_BROADCAST: i32 = 0x0020;
pub const SO_LINGER: i32 = 0x0080;
pub const SO_OOBINLINE: i32 = 0x0100;
pub const SO_DONTLINGER: i32 = !SO_LINGER;
pub const SO_EXCLUSIVEADDRUSE: i32 = !SO_REUSEADDR;
pub const SO_SNDBUF: i32 = 0x1001;
pub const SO_RCVBUF: i32 = 0x1002;
pub const SO_SNDTIMEO: i32 = 0x1005;
pub const SO_RCVTIMEO: i32 = 0x1006;
pub const SO_ERROR: i32 = 0x1007;
pub const SO_TYPE: i32 = 0x1008;
pub const SO_GROUP_ID: i32 = 0x2001;
pub const SO_GROUP_PRIORITY: i32 = 0x2002;
pub const SO_MAX_MSG_SIZE: i32 = 0x2003;
pub const SO_PROTOCOL_INFOA: i32 = 0x2004;
pub const SO_PROTOCOL_INFOW: i32 = 0x2005;
pub const SO_CONDITIONAL_ACCEPT: i32 = 0x3002;
pub const SO_CONNECT_TIME: i32 = 0x700C;

const TCP_NODELAY: i32 = 1;
const TCP_KEEPALIVE: i32 = 3;
const TCP_MAXSEG: i32 = 4;
const TCP_KEEPCNT: i32 = 16;
const TCP_KEEPINTVL: i32 = 17;

const IP_OPTIONS: i32 = 1;
const IP_HDRINCL: i32 = 2;
const IP_TOS: i32 = 3;
const IP_TTL: i32 = 4;
const IP_MULTICAST_IF: i32 = 9;
const IP_MULTICAST_TTL: i32 = 10;
const IP_MULTICAST_LOOP: i32 = 11;
const IP_ADD_MEMBERSHIP: i32 = 12;
const IP_DROP_MEMBERSHIP: i32 = 13;
const IP_DONTFRAGMENT: i32 = 14;
const IP_ADD_SOURCE_MEMBERSHIP: i32 = 15;
const IP_DROP_SOURCE_MEMBERSHIP: i32 = 16;
const IP_BLOCK_SOURCE: i32 = 17;
const IP_UNBLOCK_SOURCE: i32 = 18;
const IP_PKTINFO: i32 = 19;
const IP_RECVTTL: i32 = 21;
const IP_RECVTOS: i32 = 40;

const IPV6_UNICAST_HOPS: i32 = 4;
const IPV6_MULTICAST_IF: i32 = 9;
const IPV6_MULTICAST_HOPS: i32 = 10;
const IPV6_MULTICAST_LOOP: i32 = 11;
const IPV6_ADD_MEMBERSHIP: i32 = 12;
const IPV6_DROP_MEMBERSHIP: i32 = 13;
const IPV6_DONTFRAG: i32 = 14;
const IPV6_PKTINFO: i32 = 19;
const IPV6_HOPLIMIT: i32 = 21;
const IPV6_V6ONLY: i32 = 27;
const IPV6_RECVTCLASS: i32 = 40;

/// How an option's value is shaped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A 4-byte int or BOOL passed straight through.
    Int,
    /// A BOOL Windows normalises to 0/1 on read.
    Bool,
    /// Raw bytes of a fixed size passed straight through (ip_mreq, ipv6_mreq, in_addr).
    Raw(usize),
}

/// A Windows option that maps to one Linux option.
struct Mapped {
    level: i32,
    name: i32,
    kind: Kind,
}

fn mapped(sock: &Socket, level: i32, name: i32) -> WsResult<Option<Mapped>> {
    let m = |level, name, kind| Ok(Some(Mapped { level, name, kind }));
    match level {
        SOL_SOCKET => match name {
            SO_DEBUG => m(libc::SOL_SOCKET, libc::SO_DEBUG, Kind::Bool),
            SO_KEEPALIVE => m(libc::SOL_SOCKET, libc::SO_KEEPALIVE, Kind::Bool),
            SO_DONTROUTE => m(libc::SOL_SOCKET, libc::SO_DONTROUTE, Kind::Bool),
            SO_BROADCAST => m(libc::SOL_SOCKET, libc::SO_BROADCAST, Kind::Bool),
            SO_OOBINLINE => m(libc::SOL_SOCKET, libc::SO_OOBINLINE, Kind::Bool),
            _ => Ok(None),
        },
        abi::IPPROTO_TCP => {
            if !sock.is_stream() {
                return Err(WsaError::WSAENOPROTOOPT);
            }
            match name {
                TCP_NODELAY => m(libc::IPPROTO_TCP, libc::TCP_NODELAY, Kind::Bool),
                TCP_KEEPALIVE => m(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, Kind::Int),
                TCP_MAXSEG => m(libc::IPPROTO_TCP, libc::TCP_MAXSEG, Kind::Int),
                TCP_KEEPCNT => m(libc::IPPROTO_TCP, libc::TCP_KEEPCNT, Kind::Int),
                TCP_KEEPINTVL => m(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, Kind::Int),
                _ => Err(WsaError::WSAENOPROTOOPT),
            }
        }
        abi::IPPROTO_IP => {
            if sock.family != abi::AF_INET {
                return Err(WsaError::WSAEINVAL);
            }
            match name {
                IP_OPTIONS => m(libc::IPPROTO_IP, libc::IP_OPTIONS, Kind::Raw(0)),
                IP_HDRINCL => m(libc::IPPROTO_IP, libc::IP_HDRINCL, Kind::Bool),
                IP_TOS => m(libc::IPPROTO_IP, libc::IP_TOS, Kind::Int),
                IP_TTL => m(libc::IPPROTO_IP, libc::IP_TTL, Kind::Int),
                IP_MULTICAST_IF => m(libc::IPPROTO_IP, libc::IP_MULTICAST_IF, Kind::Raw(4)),
                IP_MULTICAST_TTL => m(libc::IPPROTO_IP, libc::IP_MULTICAST_TTL, Kind::Int),
                IP_MULTICAST_LOOP => m(libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP, Kind::Bool),
                IP_ADD_MEMBERSHIP => m(libc::IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, Kind::Raw(8)),
                IP_DROP_MEMBERSHIP => m(libc::IPPROTO_IP, libc::IP_DROP_MEMBERSHIP, Kind::Raw(8)),
                IP_PKTINFO => m(libc::IPPROTO_IP, libc::IP_PKTINFO, Kind::Bool),
                IP_RECVTTL => m(libc::IPPROTO_IP, libc::IP_RECVTTL, Kind::Bool),
                IP_RECVTOS => m(libc::IPPROTO_IP, libc::IP_RECVTOS, Kind::Bool),
                IP_DONTFRAGMENT | IP_ADD_SOURCE_MEMBERSHIP | IP_DROP_SOURCE_MEMBERSHIP
                | IP_BLOCK_SOURCE | IP_UNBLOCK_SOURCE => Ok(None),
                _ => Err(WsaError::WSAENOPROTOOPT),
            }
        }
        abi::IPPROTO_IPV6 => {
            if sock.family != abi::AF_INET6 {
                return Err(WsaError::WSAEINVAL);
            }
            match name {
                IPV6_UNICAST_HOPS => m(libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, Kind::Int),
                IPV6_MULTICAST_IF => m(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_IF, Kind::Int),
                IPV6_MULTICAST_HOPS => m(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS, Kind::Int),
                IPV6_MULTICAST_LOOP => m(libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP, Kind::Bool),
                IPV6_ADD_MEMBERSHIP => m(libc::IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, Kind::Raw(20)),
                IPV6_DROP_MEMBERSHIP => m(libc::IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP, Kind::Raw(20)),
                IPV6_DONTFRAG => m(libc::IPPROTO_IPV6, libc::IPV6_DONTFRAG, Kind::Bool),
                IPV6_PKTINFO => m(libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, Kind::Bool),
                IPV6_HOPLIMIT => m(libc::IPPROTO_IPV6, libc::IPV6_RECVHOPLIMIT, Kind::Bool),
                IPV6_V6ONLY => m(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, Kind::Bool),
                IPV6_RECVTCLASS => m(libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS, Kind::Bool),
                _ => Err(WsaError::WSAENOPROTOOPT),
            }
        }
        abi::IPPROTO_UDP => Err(WsaError::WSAENOPROTOOPT),
        _ => Err(WsaError::WSAEINVAL),
    }
}

/// The option's value as bytes to hand back, for options answered from our own state.
fn get_own(sock: &Socket, name: i32) -> WsResult<Option<Vec<u8>>> {
    let int = |v: i32| Ok(Some(v.to_ne_bytes().to_vec()));
    let st = || sock.st.lock();
    match name {
        SO_ACCEPTCONN => int((st().conn == Conn::Listening) as i32),
        SO_REUSEADDR => int(st().reuse_addr as i32),
        SO_EXCLUSIVEADDRUSE => int(st().exclusive_addr as i32),
        SO_RCVTIMEO => int(st().rcvtimeo as i32),
        SO_SNDTIMEO => int(st().sndtimeo as i32),
        SO_TYPE => int(sock.sock_type),
        SO_GROUP_ID | SO_GROUP_PRIORITY => int(0),
        SO_CONDITIONAL_ACCEPT => int(0),
        SO_ERROR => {
            let mut e = super::calls::so_error(sock.fd);
            if e == 0 {
                let st = st();
                if st.conn == Conn::Failed {
                    e = st.connect_error;
                }
            }
            int(if e == 0 { 0 } else { crate::error::from_errno(e).0 as i32 })
        }
        SO_MAX_MSG_SIZE => {
            if sock.is_stream() {
                return Err(WsaError::WSAENOPROTOOPT);
            }
            int(if sock.family == abi::AF_INET6 { 65527 } else { 65507 })
        }
        SO_CONNECT_TIME => {
            if !sock.is_stream() {
                return Err(WsaError::WSAENOPROTOOPT);
            }
            refresh_connect(sock);
            let st = st();
            let secs = match (st.conn, st.connected_at) {
                (Conn::Connected, Some(t)) => Instant::now().duration_since(t).as_secs() as i32,
                _ => -1,
            };
            int(secs)
        }
        SO_LINGER | SO_DONTLINGER => {
            if !sock.is_stream() {
                return Err(WsaError::WSAENOPROTOOPT);
            }
            let mut lg = libc::linger { l_onoff: 0, l_linger: 0 };
            let mut len = std::mem::size_of::<libc::linger>() as libc::socklen_t;
            // SAFETY: a live linger struct and its length.
            if unsafe {
                libc::getsockopt(sock.fd, libc::SOL_SOCKET, libc::SO_LINGER, &mut lg as *mut _ as *mut libc::c_void, &mut len)
            } != 0
            {
                return Err(os_error());
            }
            if name == SO_DONTLINGER {
                return int((lg.l_onoff == 0) as i32);
            }
            let mut v = Vec::with_capacity(4);
            v.extend_from_slice(&(lg.l_onoff as u16).to_ne_bytes());
            v.extend_from_slice(&(lg.l_linger.clamp(0, 65535) as u16).to_ne_bytes());
            Ok(Some(v))
        }
        SO_SNDBUF | SO_RCVBUF => {
            let lname = if name == SO_SNDBUF { libc::SO_SNDBUF } else { libc::SO_RCVBUF };
            let v = linux_get_int(sock, libc::SOL_SOCKET, lname)?;
            // Linux reports twice the size asked for (bookkeeping overhead); Windows reports
            // the size set.
            int(v / 2)
        }
        _ => Ok(None),
    }
}

fn linux_get_int(sock: &Socket, level: i32, name: i32) -> WsResult<i32> {
    let mut v: i32 = 0;
    let mut len = 4 as libc::socklen_t;
    // SAFETY: a live i32 and its length.
    if unsafe { libc::getsockopt(sock.fd, level, name, &mut v as *mut i32 as *mut libc::c_void, &mut len) } != 0 {
        return Err(os_error());
    }
    Ok(v)
}

fn getsockopt(sock: &Socket, level: i32, name: i32) -> WsResult<Vec<u8>> {
    if level == SOL_SOCKET {
        if let Some(v) = get_own(sock, name)? {
            return Ok(v);
        }
    }
    let m = mapped(sock, level, name)?.ok_or(WsaError::WSAENOPROTOOPT)?;
    match m.kind {
        Kind::Int | Kind::Bool => {
            let mut v = linux_get_int(sock, m.level, m.name)?;
            if m.kind == Kind::Bool {
                v = (v != 0) as i32;
            }
            Ok(v.to_ne_bytes().to_vec())
        }
        Kind::Raw(n) => {
            let mut buf = vec![0u8; n.max(40)];
            let mut len = buf.len() as libc::socklen_t;
            // SAFETY: a live buffer and its length.
            if unsafe { libc::getsockopt(sock.fd, m.level, m.name, buf.as_mut_ptr() as *mut libc::c_void, &mut len) } != 0 {
                return Err(os_error());
            }
            buf.truncate(len as usize);
            Ok(buf)
        }
    }
}

fn read_int(val: &[u8]) -> WsResult<i32> {
    match val.len() {
        0 => Err(WsaError::WSAEFAULT),
        1 => Ok(val[0] as i32),
        2 | 3 => Ok(u16::from_ne_bytes([val[0], val[1]]) as i32),
        _ => Ok(i32::from_ne_bytes([val[0], val[1], val[2], val[3]])),
    }
}

fn linux_set(sock: &Socket, level: i32, name: i32, val: &[u8]) -> WsResult<()> {
    // SAFETY: a live buffer and its length.
    if unsafe { libc::setsockopt(sock.fd, level, name, val.as_ptr() as *const libc::c_void, val.len() as u32) } != 0 {
        return Err(os_error());
    }
    Ok(())
}

fn set_own(sock: &Socket, name: i32, val: &[u8]) -> WsResult<bool> {
    match name {
        SO_RCVTIMEO | SO_SNDTIMEO => {
            if val.len() < 4 {
                return Err(WsaError::WSAEFAULT);
            }
            let ms = read_int(val)? as u32;
            let mut st = sock.st.lock();
            if name == SO_RCVTIMEO {
                st.rcvtimeo = ms;
            } else {
                st.sndtimeo = ms;
            }
        }
        SO_REUSEADDR => {
            let on = read_int(val)? != 0;
            if on && sock.st.lock().exclusive_addr {
                return Err(WsaError::WSAEINVAL);
            }
            linux_set(sock, libc::SOL_SOCKET, libc::SO_REUSEADDR, &(on as i32).to_ne_bytes())?;
            sock.st.lock().reuse_addr = on;
        }
        SO_EXCLUSIVEADDRUSE => {
            let on = read_int(val)? != 0;
            if on && sock.st.lock().reuse_addr {
                return Err(WsaError::WSAEINVAL);
            }
            sock.st.lock().exclusive_addr = on;
        }
        SO_LINGER | SO_DONTLINGER => {
            if !sock.is_stream() {
                return Err(WsaError::WSAENOPROTOOPT);
            }
            let lg = if name == SO_DONTLINGER {
                let cur = getsockopt(sock, SOL_SOCKET, SO_LINGER)?;
                let secs = u16::from_ne_bytes([cur[2], cur[3]]) as i32;
                libc::linger { l_onoff: (read_int(val)? == 0) as i32, l_linger: secs }
            } else {
                if val.len() < 4 {
                    return Err(WsaError::WSAEFAULT);
                }
                libc::linger {
                    l_onoff: (u16::from_ne_bytes([val[0], val[1]]) != 0) as i32,
                    l_linger: u16::from_ne_bytes([val[2], val[3]]) as i32,
                }
            };
            // SAFETY: reads the live linger struct's bytes.
            let bytes = unsafe {
                std::slice::from_raw_parts(&lg as *const libc::linger as *const u8, std::mem::size_of::<libc::linger>())
            };
            linux_set(sock, libc::SOL_SOCKET, libc::SO_LINGER, bytes)?;
        }
        SO_SNDBUF | SO_RCVBUF => {
            let lname = if name == SO_SNDBUF { libc::SO_SNDBUF } else { libc::SO_RCVBUF };
            let v = read_int(val)?.max(0);
            linux_set(sock, libc::SOL_SOCKET, lname, &v.to_ne_bytes())?;
        }
        SO_CONDITIONAL_ACCEPT | SO_GROUP_PRIORITY => {}
        SO_ERROR | SO_TYPE | SO_ACCEPTCONN | SO_CONNECT_TIME | SO_MAX_MSG_SIZE | SO_GROUP_ID
        | SO_PROTOCOL_INFOA | SO_PROTOCOL_INFOW => return Err(WsaError::WSAENOPROTOOPT),
        _ => return Ok(false),
    }
    Ok(true)
}

fn setsockopt(sock: &Socket, level: i32, name: i32, val: &[u8]) -> WsResult<()> {
    if level == SOL_SOCKET && set_own(sock, name, val)? {
        return Ok(());
    }
    let m = mapped(sock, level, name)?.ok_or(WsaError::WSAENOPROTOOPT)?;
    match m.kind {
        Kind::Int | Kind::Bool => {
            let mut v = read_int(val)?;
            if m.kind == Kind::Bool {
                v = (v != 0) as i32;
            }
            linux_set(sock, m.level, m.name, &v.to_ne_bytes())
        }
        Kind::Raw(n) => {
            if val.len() < n {
                return Err(WsaError::WSAEFAULT);
            }
            linux_set(sock, m.level, m.name, &val[..if n == 0 { val.len() } else { n }])
        }
    }
}

/// Called before `bind`: `SO_EXCLUSIVEADDRUSE` means no other socket may share the port,
/// which is Linux's behaviour without `SO_REUSEADDR`.
pub fn before_bind(sock: &Socket) -> WsResult<()> {
    if sock.st.lock().exclusive_addr {
        linux_set(sock, libc::SOL_SOCKET, libc::SO_REUSEADDR, &0i32.to_ne_bytes())?;
    }
    Ok(())
}

/// `int getsockopt(SOCKET, int level, int optname, char* optval, int* optlen)`
#[no_mangle]
pub unsafe extern "C" fn ws2_getsockopt(s: SOCKET, level: i32, name: i32, val: *mut u8, len: *mut i32) -> i32 {
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if val.is_null() || len.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: non-NULL caller pointer.
        let cap = unsafe { *len };
        let v = getsockopt(&sock, level, name)?;
        if cap < 0 || (cap as usize) < v.len() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: the caller's buffer holds `cap` >= v.len() bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(v.as_ptr(), val, v.len());
            *len = v.len() as i32;
        }
        Ok(0)
    })
}

/// `int setsockopt(SOCKET, int level, int optname, const char* optval, int optlen)`
#[no_mangle]
pub unsafe extern "C" fn ws2_setsockopt(s: SOCKET, level: i32, name: i32, val: *const u8, len: i32) -> i32 {
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if val.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: the caller's buffer of `len` bytes.
        let v = unsafe { ffi::bytes(val, len) }?;
        if v.is_empty() {
            return Err(WsaError::WSAEFAULT);
        }
        setsockopt(&sock, level, name, v).map(|_| 0)
    })
}
