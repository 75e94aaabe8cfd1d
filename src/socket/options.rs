//! `getsockopt` / `setsockopt`: every Windows option is described once in [`lookup`] by its
//! value shape (how many bytes Windows reads and writes, and which lengths it accepts) and
//! its target (a Linux option, or state the socket keeps itself because Windows semantics
//! differ: timeouts in DWORD milliseconds, `SO_ERROR` as a sticky WSA code, `SO_LINGER`
//! with `u_short` fields kept as set, buffer sizes reported as set, ...).

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
pub const SO_UPDATE_ACCEPT_CONTEXT: i32 = 0x700B;
pub const SO_UPDATE_CONNECT_CONTEXT: i32 = 0x7010;

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

/// How Windows reads and writes an option's value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// SOL_SOCKET BOOL: set takes any length (0 and -1 too); get writes 1, 2 or 4 bytes and
    /// reports 1 for buffers shorter than 4.
    SolBool,
    /// SOL_SOCKET 4-byte value whose short get zero-fills the buffer before failing.
    SolInt,
    /// 4-byte value: shorter buffers are `WSAEFAULT` and left untouched.
    Int,
    /// One byte both ways (TCP_NODELAY, SO_KEEPALIVE, IPV6_V6ONLY).
    Byte,
    /// IP-level BOOL: 1 byte for buffers shorter than 4, else 4.
    IpBool,
    /// IP-level byte-sized integer (TTL, hop limits): like `IpBool` but values over 255
    /// are `WSAEINVAL`.
    IpByte,
    /// A structure of this many bytes (membership requests, addresses).
    Raw(usize),
    /// Set only (membership requests): get is `WSAENOPROTOOPT`.
    SetOnly(usize),
}

/// Where an option's value lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    Linux(i32, i32),
    Own(i32),
    /// A source-specific membership: Windows orders `ip_mreq_source` (group, source,
    /// interface), Linux (group, interface, source).
    SourceMembership(i32),
    DontFragment,
    /// IPV6_V6ONLY asked of an IPv4 socket: kept, as Windows does, until it is bound.
    V6OnlyOnV4,
}

fn lookup(sock: &Socket, level: i32, name: i32) -> WsResult<(Shape, Target)> {
    use Shape::*;
    use Target::*;
    let stream = sock.is_stream();
    let r = match level {
        SOL_SOCKET => match name {
            SO_DEBUG => (SolBool, Linux(libc::SOL_SOCKET, libc::SO_DEBUG)),
            SO_BROADCAST => (SolBool, Linux(libc::SOL_SOCKET, libc::SO_BROADCAST)),
            SO_OOBINLINE => (SolBool, Linux(libc::SOL_SOCKET, libc::SO_OOBINLINE)),
            SO_KEEPALIVE => (Byte, Linux(libc::SOL_SOCKET, libc::SO_KEEPALIVE)),
            SO_DONTROUTE => (Byte, Linux(libc::SOL_SOCKET, libc::SO_DONTROUTE)),
            SO_ACCEPTCONN | SO_REUSEADDR | SO_EXCLUSIVEADDRUSE | SO_CONDITIONAL_ACCEPT => {
                (SolBool, Own(name))
            }
            SO_DONTLINGER | SO_LINGER if !stream => return Err(WsaError::WSAENOPROTOOPT),
            SO_DONTLINGER => (SolBool, Own(name)),
            SO_LINGER | SO_SNDBUF | SO_RCVBUF => (SolInt, Own(name)),
            SO_CONNECT_TIME if !stream => return Err(WsaError::WSAENOPROTOOPT),
            SO_MAX_MSG_SIZE if stream => return Err(WsaError::WSAENOPROTOOPT),
            SO_SNDTIMEO | SO_RCVTIMEO | SO_ERROR | SO_TYPE | SO_GROUP_ID | SO_GROUP_PRIORITY
            | SO_MAX_MSG_SIZE | SO_CONNECT_TIME => (Int, Own(name)),
            _ => return Err(WsaError::WSAENOPROTOOPT),
        },
        abi::IPPROTO_TCP => {
            if !stream {
                return Err(WsaError::WSAENOPROTOOPT);
            }
            match name {
                TCP_NODELAY => (Byte, Linux(libc::IPPROTO_TCP, libc::TCP_NODELAY)),
                TCP_KEEPALIVE => (Int, Linux(libc::IPPROTO_TCP, libc::TCP_KEEPIDLE)),
                TCP_MAXSEG => (Int, Linux(libc::IPPROTO_TCP, libc::TCP_MAXSEG)),
                TCP_KEEPCNT => (Int, Linux(libc::IPPROTO_TCP, libc::TCP_KEEPCNT)),
                TCP_KEEPINTVL => (Int, Linux(libc::IPPROTO_TCP, libc::TCP_KEEPINTVL)),
                _ => return Err(WsaError::WSAENOPROTOOPT),
            }
        }
        abi::IPPROTO_IP => {
            if !matches!(sock.family, abi::AF_INET | abi::AF_INET6) {
                return Err(WsaError::WSAEINVAL);
            }
            let multicast = matches!(name, IP_MULTICAST_IF | IP_MULTICAST_TTL | IP_MULTICAST_LOOP);
            if multicast && stream {
                return Err(WsaError::WSAEINVAL);
            }
            let ip = |n| Linux(libc::IPPROTO_IP, n);
            match name {
                IP_OPTIONS => (Raw(0), ip(libc::IP_OPTIONS)),
                IP_HDRINCL => (IpBool, ip(libc::IP_HDRINCL)),
                IP_TOS => (IpByte, ip(libc::IP_TOS)),
                IP_TTL => (IpByte, ip(libc::IP_TTL)),
                IP_MULTICAST_IF => (Raw(4), ip(libc::IP_MULTICAST_IF)),
                IP_MULTICAST_TTL => (IpByte, ip(libc::IP_MULTICAST_TTL)),
                IP_MULTICAST_LOOP => (IpBool, ip(libc::IP_MULTICAST_LOOP)),
                IP_ADD_MEMBERSHIP => (SetOnly(8), ip(libc::IP_ADD_MEMBERSHIP)),
                IP_DROP_MEMBERSHIP => (SetOnly(8), ip(libc::IP_DROP_MEMBERSHIP)),
                IP_ADD_SOURCE_MEMBERSHIP => (
                    SetOnly(12),
                    SourceMembership(libc::IP_ADD_SOURCE_MEMBERSHIP),
                ),
                IP_DROP_SOURCE_MEMBERSHIP => (
                    SetOnly(12),
                    SourceMembership(libc::IP_DROP_SOURCE_MEMBERSHIP),
                ),
                IP_BLOCK_SOURCE => (SetOnly(12), SourceMembership(libc::IP_BLOCK_SOURCE)),
                IP_UNBLOCK_SOURCE => (SetOnly(12), SourceMembership(libc::IP_UNBLOCK_SOURCE)),
                IP_DONTFRAGMENT => (IpBool, DontFragment),
                IP_PKTINFO => (IpBool, ip(libc::IP_PKTINFO)),
                IP_RECVTTL => (IpBool, ip(libc::IP_RECVTTL)),
                IP_RECVTOS => (IpBool, ip(libc::IP_RECVTOS)),
                _ => return Err(WsaError::WSAENOPROTOOPT),
            }
        }
        abi::IPPROTO_IPV6 => {
            if sock.family == abi::AF_INET && name == IPV6_V6ONLY {
                return Ok((Byte, V6OnlyOnV4));
            }
            if sock.family != abi::AF_INET6 {
                return Err(WsaError::WSAEINVAL);
            }
            let multicast = matches!(
                name,
                IPV6_MULTICAST_IF | IPV6_MULTICAST_HOPS | IPV6_MULTICAST_LOOP
            );
            if multicast && stream {
                return Err(WsaError::WSAEINVAL);
            }
            let ip6 = |n| Linux(libc::IPPROTO_IPV6, n);
            match name {
                IPV6_UNICAST_HOPS => (IpByte, ip6(libc::IPV6_UNICAST_HOPS)),
                IPV6_MULTICAST_IF => (Int, ip6(libc::IPV6_MULTICAST_IF)),
                IPV6_MULTICAST_HOPS => (IpByte, ip6(libc::IPV6_MULTICAST_HOPS)),
                IPV6_MULTICAST_LOOP => (IpBool, ip6(libc::IPV6_MULTICAST_LOOP)),
                IPV6_ADD_MEMBERSHIP => (SetOnly(20), ip6(libc::IPV6_ADD_MEMBERSHIP)),
                IPV6_DROP_MEMBERSHIP => (SetOnly(20), ip6(libc::IPV6_DROP_MEMBERSHIP)),
                IPV6_DONTFRAG => (IpBool, ip6(libc::IPV6_DONTFRAG)),
                IPV6_PKTINFO => (IpBool, ip6(libc::IPV6_RECVPKTINFO)),
                IPV6_HOPLIMIT => (IpBool, ip6(libc::IPV6_RECVHOPLIMIT)),
                IPV6_V6ONLY => (Byte, ip6(libc::IPV6_V6ONLY)),
                IPV6_RECVTCLASS => (IpBool, ip6(libc::IPV6_RECVTCLASS)),
                _ => return Err(WsaError::WSAENOPROTOOPT),
            }
        }
        abi::IPPROTO_UDP => return Err(WsaError::WSAENOPROTOOPT),
        _ => return Err(WsaError::WSAEINVAL),
    };
    Ok(r)
}

/// The value a `setsockopt` call carries, read as Windows reads it for `shape`.
/// `len` -1 is accepted by the wider SOL_SOCKET options (read as 4 bytes).
fn read_value(shape: Shape, val: &[u8], len: i32) -> WsResult<u32> {
    let int_of = |b: &[u8]| -> u32 {
        match b.len() {
            0 => 0,
            1 => b[0] as u32,
            2 | 3 => u16::from_ne_bytes([b[0], b[1]]) as u32,
            _ => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        }
    };
    match shape {
        Shape::SolBool => Ok((int_of(val) != 0) as u32),
        Shape::SolInt | Shape::Int => {
            if val.len() < 4 {
                return Err(WsaError::WSAEFAULT);
            }
            Ok(int_of(val))
        }
        Shape::Byte => {
            if len == -1 {
                return Err(WsaError::WSAENOBUFS);
            }
            val.first().map(|&b| b as u32).ok_or(WsaError::WSAEFAULT)
        }
        Shape::IpBool | Shape::IpByte => {
            if len == -1 {
                return Err(WsaError::WSAENOBUFS);
            }
            if val.is_empty() {
                return Err(WsaError::WSAEFAULT);
            }
            let v = int_of(val);
            if shape == Shape::IpByte && v > 255 {
                return Err(WsaError::WSAEINVAL);
            }
            Ok(if shape == Shape::IpBool {
                (v != 0) as u32
            } else {
                v
            })
        }
        Shape::Raw(_) | Shape::SetOnly(_) => Ok(0),
    }
}

/// Write `v` into a caller buffer of `cap` bytes as Windows does for `shape`; returns the
/// bytes written and the optlen reported back (they differ for a 2-byte SOL_SOCKET BOOL).
fn write_value(shape: Shape, v: u32, out: &mut [u8]) -> WsResult<(usize, usize)> {
    let cap = out.len();
    let b = v.to_ne_bytes();
    let n = match shape {
        Shape::SolBool => match cap {
            0 => return Err(WsaError::WSAEFAULT),
            1 => {
                out[0] = b[0];
                return Ok((1, 1));
            }
            2 | 3 => {
                out[..2].copy_from_slice(&(v as u16).to_ne_bytes());
                return Ok((2, 1));
            }
            _ => 4,
        },
        Shape::SolInt => {
            if cap < 4 {
                out.fill(0);
                return Err(WsaError::WSAEFAULT);
            }
            4
        }
        Shape::Int => {
            if cap < 4 {
                return Err(WsaError::WSAEFAULT);
            }
            4
        }
        Shape::Byte => {
            if cap == 0 {
                return Err(WsaError::WSAEFAULT);
            }
            1
        }
        Shape::IpBool | Shape::IpByte => match cap {
            0 => return Err(WsaError::WSAEFAULT),
            1..=3 => 1,
            _ => 4,
        },
        Shape::Raw(_) | Shape::SetOnly(_) => return Err(WsaError::WSAEFAULT),
    };
    out[..n].copy_from_slice(&b[..n]);
    Ok((n, n))
}

fn linux_get_int(sock: &Socket, level: i32, name: i32) -> WsResult<i32> {
    let mut v: i32 = 0;
    let mut len = 4 as libc::socklen_t;
    // SAFETY: a live i32 and its length.
    if unsafe {
        libc::getsockopt(
            sock.fd,
            level,
            name,
            &mut v as *mut i32 as *mut libc::c_void,
            &mut len,
        )
    } != 0
    {
        return Err(os_error());
    }
    Ok(v)
}

fn linux_set(sock: &Socket, level: i32, name: i32, val: &[u8]) -> WsResult<()> {
    // SAFETY: a live buffer and its length.
    if unsafe {
        libc::setsockopt(
            sock.fd,
            level,
            name,
            val.as_ptr() as *const libc::c_void,
            val.len() as u32,
        )
    } != 0
    {
        return Err(os_error());
    }
    Ok(())
}

fn linux_set_int(sock: &Socket, level: i32, name: i32, v: i32) -> WsResult<()> {
    linux_set(sock, level, name, &v.to_ne_bytes())
}

/// The Linux linger setting as Windows reports it.
fn linux_linger(sock: &Socket) -> WsResult<(u16, u16)> {
    let mut lg = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    let mut len = std::mem::size_of::<libc::linger>() as libc::socklen_t;
    // SAFETY: a live linger struct and its length.
    if unsafe {
        libc::getsockopt(
            sock.fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &mut lg as *mut _ as *mut libc::c_void,
            &mut len,
        )
    } != 0
    {
        return Err(os_error());
    }
    Ok(((lg.l_onoff != 0) as u16, lg.l_linger.clamp(0, 65535) as u16))
}

fn set_linger(sock: &Socket, onoff: u16, secs: u16) -> WsResult<()> {
    let lg = libc::linger {
        l_onoff: (onoff != 0) as i32,
        l_linger: secs as i32,
    };
    // SAFETY: reads the live linger struct's bytes.
    let bytes = unsafe {
        std::slice::from_raw_parts(
            &lg as *const libc::linger as *const u8,
            std::mem::size_of::<libc::linger>(),
        )
    };
    linux_set(sock, libc::SOL_SOCKET, libc::SO_LINGER, bytes)?;
    sock.st.lock().linger = Some((onoff, secs));
    Ok(())
}

/// The current linger pair: as the program set it, else as Linux has it.
fn linger(sock: &Socket) -> WsResult<(u16, u16)> {
    let kept = sock.st.lock().linger;
    match kept {
        Some(l) => Ok(l),
        None => linux_linger(sock),
    }
}

/// `SO_ERROR`: the last error the socket saw, as a WSA code; reading does not clear it.
fn so_error(sock: &Socket) -> u32 {
    let e = super::calls::so_error(sock);
    let mut st = sock.st.lock();
    if e != 0 {
        st.so_error = crate::error::from_errno(e).0;
    }
    st.so_error
}

fn get_own(sock: &Socket, name: i32) -> WsResult<u32> {
    let st = || sock.st.lock();
    Ok(match name {
        SO_ACCEPTCONN => (st().conn == Conn::Listening) as u32,
        SO_REUSEADDR => st().reuse_addr as u32,
        SO_EXCLUSIVEADDRUSE => st().exclusive_addr as u32,
        SO_CONDITIONAL_ACCEPT => st().conditional_accept as u32,
        SO_RCVTIMEO => st().rcvtimeo,
        SO_SNDTIMEO => st().sndtimeo,
        SO_TYPE => sock.sock_type as u32,
        SO_GROUP_ID => 0,
        SO_GROUP_PRIORITY => st().group_priority,
        SO_ERROR => so_error(sock),
        SO_MAX_MSG_SIZE => {
            if sock.family == abi::AF_INET6 {
                65527
            } else {
                65507
            }
        }
        SO_CONNECT_TIME => {
            refresh_connect(sock);
            let st = st();
            match (st.conn, st.connected_at) {
                (Conn::Connected, Some(t)) => Instant::now().duration_since(t).as_secs() as u32,
                _ => u32::MAX,
            }
        }
        SO_LINGER => {
            let (on, secs) = linger(sock)?;
            on as u32 | (secs as u32) << 16
        }
        SO_DONTLINGER => (linger(sock)?.0 == 0) as u32,
        SO_SNDBUF | SO_RCVBUF => {
            let kept = if name == SO_SNDBUF {
                st().sndbuf
            } else {
                st().rcvbuf
            };
            match kept {
                Some(v) => v,
                None => {
                    let lname = if name == SO_SNDBUF {
                        libc::SO_SNDBUF
                    } else {
                        libc::SO_RCVBUF
                    };
                    // Linux reports twice the size asked for (bookkeeping overhead).
                    (linux_get_int(sock, libc::SOL_SOCKET, lname)? / 2) as u32
                }
            }
        }
        _ => return Err(WsaError::WSAENOPROTOOPT),
    })
}

fn set_own(sock: &Socket, name: i32, v: u32) -> WsResult<()> {
    match name {
        SO_RCVTIMEO => sock.st.lock().rcvtimeo = v,
        SO_SNDTIMEO => sock.st.lock().sndtimeo = v,
        SO_ERROR => sock.st.lock().so_error = v,
        SO_REUSEADDR => {
            if v != 0 && sock.st.lock().exclusive_addr {
                return Err(WsaError::WSAEINVAL);
            }
            sock.st.lock().reuse_addr = v != 0;
        }
        SO_EXCLUSIVEADDRUSE => {
            if v != 0 && sock.st.lock().reuse_addr {
                return Err(WsaError::WSAEINVAL);
            }
            sock.st.lock().exclusive_addr = v != 0;
        }
        SO_CONDITIONAL_ACCEPT => sock.st.lock().conditional_accept = v != 0,
        SO_GROUP_PRIORITY => sock.st.lock().group_priority = v,
        SO_LINGER => set_linger(sock, v as u16, (v >> 16) as u16)?,
        SO_DONTLINGER => {
            let (_, secs) = linger(sock)?;
            set_linger(sock, (v == 0) as u16, secs)?
        }
        SO_SNDBUF | SO_RCVBUF => {
            let lname = if name == SO_SNDBUF {
                libc::SO_SNDBUF
            } else {
                libc::SO_RCVBUF
            };
            linux_set_int(sock, libc::SOL_SOCKET, lname, v.min(i32::MAX as u32) as i32)?;
            let mut st = sock.st.lock();
            if name == SO_SNDBUF {
                st.sndbuf = Some(v);
            } else {
                st.rcvbuf = Some(v);
            }
        }
        _ => return Err(WsaError::WSAENOPROTOOPT),
    }
    Ok(())
}

fn is_bound(sock: &Socket) -> bool {
    super::calls::local_addr(sock).is_ok()
}

/// Membership errors as Windows reports them.
fn membership_error(e: WsaError, linux_name: i32) -> WsaError {
    let drop = matches!(
        linux_name,
        libc::IP_DROP_MEMBERSHIP | libc::IPV6_DROP_MEMBERSHIP
    );
    match e {
        WsaError::WSAEADDRNOTAVAIL if drop => WsaError::WSAEINVAL,
        WsaError::WSAEADDRINUSE => WsaError::WSAEADDRNOTAVAIL,
        e => e,
    }
}

fn get_option(sock: &Socket, level: i32, name: i32, out: &mut [u8]) -> WsResult<(usize, usize)> {
    if level == SOL_SOCKET && (name == SO_PROTOCOL_INFOA || name == SO_PROTOCOL_INFOW) {
        let info = super::protocol_info::for_socket(sock, name == SO_PROTOCOL_INFOW);
        if out.len() < info.len() {
            return Err(WsaError::WSAEFAULT);
        }
        out[..info.len()].copy_from_slice(&info);
        return Ok((info.len(), out.len()));
    }
    let (shape, target) = lookup(sock, level, name)?;
    if let Shape::SetOnly(_) = shape {
        return Err(WsaError::WSAENOPROTOOPT);
    }
    let v = match target {
        Target::Own(n) => get_own(sock, n)?,
        Target::V6OnlyOnV4 => sock.st.lock().v6only_on_v4 as u32,
        Target::DontFragment => {
            (linux_get_int(sock, libc::IPPROTO_IP, libc::IP_MTU_DISCOVER)? == libc::IP_PMTUDISC_DO)
                as u32
        }
        Target::SourceMembership(_) => return Err(WsaError::WSAENOPROTOOPT),
        Target::Linux(l, n) => {
            if let Shape::Raw(size) = shape {
                let mut buf = vec![0u8; size.max(40)];
                let mut len = buf.len() as libc::socklen_t;
                // SAFETY: a live buffer and its length.
                if unsafe {
                    libc::getsockopt(
                        sock.fd,
                        l,
                        n,
                        buf.as_mut_ptr() as *mut libc::c_void,
                        &mut len,
                    )
                } != 0
                {
                    return Err(os_error());
                }
                let len = len as usize;
                if out.len() < len {
                    return Err(WsaError::WSAEFAULT);
                }
                out[..len].copy_from_slice(&buf[..len]);
                return Ok((len, len));
            }
            let v = linux_get_int(sock, l, n)? as u32;
            if matches!(shape, Shape::Byte | Shape::IpBool | Shape::SolBool) {
                (v != 0) as u32
            } else {
                v
            }
        }
    };
    write_value(shape, v, out)
}

fn set_option(sock: &Socket, level: i32, name: i32, val: &[u8], len: i32) -> WsResult<()> {
    match (level, name) {
        (SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT) => {
            return crate::ext::update_accept_context(sock, val)
        }
        (SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT) => return crate::ext::update_connect_context(sock),
        _ => {}
    }
    if level == SOL_SOCKET && (name == SO_PROTOCOL_INFOA || name == SO_PROTOCOL_INFOW) {
        return Err(WsaError::WSAENOPROTOOPT);
    }
    let (shape, target) = lookup(sock, level, name)?;
    if level == SOL_SOCKET
        && matches!(
            name,
            SO_ACCEPTCONN | SO_TYPE | SO_CONNECT_TIME | SO_MAX_MSG_SIZE | SO_GROUP_ID
        )
    {
        return Err(WsaError::WSAENOPROTOOPT);
    }
    match (shape, target) {
        (Shape::Raw(n) | Shape::SetOnly(n), Target::Linux(l, o)) => {
            if len == -1 {
                return Err(WsaError::WSAENOBUFS);
            }
            if val.len() < n || val.is_empty() {
                return Err(WsaError::WSAEFAULT);
            }
            let take = if n == 0 { val.len() } else { n };
            linux_set(sock, l, o, &val[..take]).map_err(|e| membership_error(e, o))
        }
        (Shape::SetOnly(n), Target::SourceMembership(o)) => {
            if val.len() < n {
                return Err(WsaError::WSAEFAULT);
            }
            let mut linux = [0u8; 12];
            linux[..4].copy_from_slice(&val[..4]);
            linux[4..8].copy_from_slice(&val[8..12]);
            linux[8..12].copy_from_slice(&val[4..8]);
            linux_set(sock, libc::IPPROTO_IP, o, &linux)
        }
        (_, target) => {
            let v = read_value(shape, val, len)?;
            match target {
                Target::Own(n) => set_own(sock, n, v),
                Target::V6OnlyOnV4 => {
                    if is_bound(sock) {
                        return Err(WsaError::WSAEINVAL);
                    }
                    sock.st.lock().v6only_on_v4 = v != 0;
                    Ok(())
                }
                Target::DontFragment => {
                    let mode = if v != 0 {
                        libc::IP_PMTUDISC_DO
                    } else {
                        libc::IP_PMTUDISC_DONT
                    };
                    linux_set_int(sock, libc::IPPROTO_IP, libc::IP_MTU_DISCOVER, mode)
                }
                Target::Linux(l, o) => linux_set_int(sock, l, o, v as i32),
                Target::SourceMembership(_) => Err(WsaError::WSAENOPROTOOPT),
            }
        }
    }
}

/// `int getsockopt(SOCKET, int level, int optname, char* optval, int* optlen)`
#[no_mangle]
pub unsafe extern "C" fn ws2_getsockopt(
    s: SOCKET,
    level: i32,
    name: i32,
    val: *mut u8,
    len: *mut i32,
) -> i32 {
    let _t = crate::trace_call!("getsockopt", s, level, name, val, len);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if val.is_null() || len.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: checked non-NULL; a bad pointer is caught by the probe.
        let cap = unsafe { ffi::probe_read::<i32>(len) }?;
        if cap <= 0 {
            return Err(WsaError::WSAEFAULT);
        }
        let mut buf = vec![0u8; cap as usize];
        let r = get_option(&sock, level, name, &mut buf);
        let (written, reported) = match r {
            Ok(n) => n,
            Err(WsaError::WSAEFAULT)
                if level == SOL_SOCKET
                    && (name == SO_PROTOCOL_INFOA || name == SO_PROTOCOL_INFOW) =>
            {
                let need =
                    super::protocol_info::for_socket(&sock, name == SO_PROTOCOL_INFOW).len() as i32;
                // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
                unsafe { ffi::probe_write(len, need) }?;
                return Err(WsaError::WSAEFAULT);
            }
            Err(WsaError::WSAEFAULT) => {
                // Shapes that zero-fill a short buffer did so in `buf`.
                if buf.iter().all(|&b| b == 0)
                    && lookup(&sock, level, name).map(|s| s.0) == Ok(Shape::SolInt)
                {
                    // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
                    unsafe { ffi::probe_write_bytes(val, &buf) }?;
                }
                return Err(WsaError::WSAEFAULT);
            }
            Err(e) => return Err(e),
        };
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        unsafe { ffi::probe_write_bytes(val, &buf[..written]) }?;
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        unsafe { ffi::probe_write(len, reported as i32) }?;
        Ok(0)
    })
}

/// `int setsockopt(SOCKET, int level, int optname, const char* optval, int optlen)`
#[no_mangle]
pub unsafe extern "C" fn ws2_setsockopt(
    s: SOCKET,
    level: i32,
    name: i32,
    val: *const u8,
    len: i32,
) -> i32 {
    let _t = crate::trace_call!("setsockopt", s, level, name, val, len);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if level == SOL_SOCKET && name == SO_UPDATE_CONNECT_CONTEXT {
            // Takes no value.
            return crate::ext::update_connect_context(&sock).map(|_| 0);
        }
        if val.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        let n = if len == -1 { 4 } else { len };
        if n < 0 {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        let v = unsafe { ffi::probe_read_bytes(val, n.min(4096) as usize) }?;
        set_option(&sock, level, name, &v, len).map(|_| 0)
    })
}

/// Called before `bind`: `SO_EXCLUSIVEADDRUSE` and `SO_REUSEADDR` are enforced by the
/// process's port table (see `ports`), so Linux is told to let every bind through that the
/// table allows.
pub fn before_bind(sock: &Socket) -> WsResult<()> {
    linux_set_int(sock, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
    linux_set_int(sock, libc::SOL_SOCKET, libc::SO_REUSEPORT, 1)
}

/// Copy the options an accepted socket inherits from its listener.
pub fn inherit(from: &Socket, to: &Socket) {
    let l = from.st.lock();
    let mut st = to.st.lock();
    st.nonblocking = l.nonblocking;
    st.rcvtimeo = l.rcvtimeo;
    st.sndtimeo = l.sndtimeo;
    st.reuse_addr = l.reuse_addr;
    st.exclusive_addr = l.exclusive_addr;
    st.rcvbuf = l.rcvbuf;
    st.sndbuf = l.sndbuf;
    st.linger = l.linger;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sol_bool_shapes() {
        let mut b = [0xeeu8; 4];
        assert_eq!(write_value(Shape::SolBool, 1, &mut b[..1]), Ok((1, 1)));
        assert_eq!(b, [1, 0xee, 0xee, 0xee]);
        let mut b = [0xeeu8; 4];
        assert_eq!(write_value(Shape::SolBool, 1, &mut b[..2]), Ok((2, 1)));
        assert_eq!(b, [1, 0, 0xee, 0xee]);
        assert_eq!(write_value(Shape::SolBool, 1, &mut [0u8; 8]), Ok((4, 4)));
        assert_eq!(read_value(Shape::SolBool, &[], 0), Ok(0));
        assert_eq!(
            read_value(Shape::SolBool, &0x100u32.to_ne_bytes(), 4),
            Ok(1)
        );
    }

    #[test]
    fn byte_and_ip_shapes() {
        assert_eq!(read_value(Shape::Byte, &0x100u32.to_ne_bytes(), 4), Ok(0));
        assert_eq!(read_value(Shape::Byte, &[1], -1), Err(WsaError::WSAENOBUFS));
        assert_eq!(
            read_value(Shape::IpByte, &0x100u32.to_ne_bytes(), 4),
            Err(WsaError::WSAEINVAL)
        );
        assert_eq!(read_value(Shape::IpBool, &0x100u32.to_ne_bytes(), 4), Ok(1));
        assert_eq!(write_value(Shape::IpByte, 5, &mut [0u8; 2]), Ok((1, 1)));
        let mut b = [0xeeu8; 2];
        assert_eq!(
            write_value(Shape::SolInt, 5, &mut b),
            Err(WsaError::WSAEFAULT)
        );
        assert_eq!(b, [0, 0]);
        assert_eq!(read_value(Shape::Int, &[1, 2], 2), Err(WsaError::WSAEFAULT));
    }
}
