//! `getaddrinfo`/`GetAddrInfoW`, `freeaddrinfo`/`FreeAddrInfoW`, `getnameinfo`/`GetNameInfoW`
//! and `gai_strerrorA/W`, with Windows layouts, flag values and results.
//!
//! What Windows does and this module keeps:
//! - `ADDRINFOA`/`ADDRINFOW` have `ai_canonname` before `ai_addr`; families are Windows'
//!   (`AF_INET6` = 23); errors are returned as `WSA*` codes and also set as the last error.
//! - One entry per address: `ai_socktype` and `ai_protocol` echo the hints (0 without
//!   hints), `ai_flags` is 0, the canonical name only on the first entry.
//! - `""`, the machine's own name and `..localmachine` give the machine's addresses;
//!   `localhost` gives `::1` and `127.0.0.1`; a NULL node gives the loopback addresses, or
//!   the wildcard ones with `AI_PASSIVE`; `[v6addr]` (and `[v6addr]:anything`) is accepted
//!   when IPv6 is allowed.
//!
//! Other names and reverse lookups go through glibc.

use super::blob::{self, Blob};
use super::netdb;
use super::{local, parse};
use crate::abi::{AF_INET, AF_INET6, AF_UNSPEC, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::startup;
use libc::c_char;
use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};

pub const AI_PASSIVE: i32 = 0x01;
pub const AI_CANONNAME: i32 = 0x02;
pub const AI_NUMERICHOST: i32 = 0x04;
pub const AI_NUMERICSERV: i32 = 0x08;
pub const AI_ALL: i32 = 0x0100;
pub const AI_ADDRCONFIG: i32 = 0x0400;
pub const AI_V4MAPPED: i32 = 0x0800;
pub const AI_FQDN: i32 = 0x0002_0000;
pub const AI_DISABLE_IDN_ENCODING: i32 = 0x0008_0000;

pub const NI_NOFQDN: i32 = 0x01;
pub const NI_NUMERICHOST: i32 = 0x02;
pub const NI_NAMEREQD: i32 = 0x04;
pub const NI_NUMERICSERV: i32 = 0x08;
pub const NI_DGRAM: i32 = 0x10;

/// glibc's values for the flags and codes this module passes or reads.
mod gnu {
    pub const AI_CANONNAME: i32 = 0x02;
    pub const AI_NUMERICHOST: i32 = 0x04;
    pub const AI_V4MAPPED: i32 = 0x08;
    pub const AI_ALL: i32 = 0x10;
    pub const AI_ADDRCONFIG: i32 = 0x20;
    pub const AI_IDN: i32 = 0x40;
    pub const NI_NOFQDN: i32 = 4;
    pub const NI_NAMEREQD: i32 = 8;
    pub const EAI_ADDRFAMILY: i32 = -9;
    pub const EAI_NODATA: i32 = -5;
    pub const EAI_OVERFLOW: i32 = -12;
}

/// Win64 `ADDRINFOA`.
#[repr(C)]
pub struct ADDRINFOA {
    pub ai_flags: i32,
    pub ai_family: i32,
    pub ai_socktype: i32,
    pub ai_protocol: i32,
    pub ai_addrlen: usize,
    pub ai_canonname: *mut c_char,
    pub ai_addr: *mut u8,
    pub ai_next: *mut ADDRINFOA,
}

/// Win64 `ADDRINFOW`.
#[repr(C)]
pub struct ADDRINFOW {
    pub ai_flags: i32,
    pub ai_family: i32,
    pub ai_socktype: i32,
    pub ai_protocol: i32,
    pub ai_addrlen: usize,
    pub ai_canonname: *mut u16,
    pub ai_addr: *mut u8,
    pub ai_next: *mut ADDRINFOW,
}

const _: () = assert!(std::mem::size_of::<ADDRINFOA>() == 48);
const _: () = assert!(std::mem::size_of::<ADDRINFOW>() == 48);

/// The hint fields that matter (all zero for NULL hints, as Windows treats them).
#[derive(Clone, Copy, Default, Debug)]
pub struct Hints {
    pub flags: i32,
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
}

/// A resolved list: addresses in order (ports not yet set) and the canonical name.
#[derive(Debug, Default)]
pub struct Resolved {
    pub addrs: Vec<SocketAddr>,
    pub canon: Option<String>,
}

/// Read hints from the caller's structure. Windows requires the output-only fields to be
/// zero/NULL and fails with `WSANO_RECOVERY` otherwise.
///
/// # Safety
/// `p` must be NULL or point to an `ADDRINFOA`/`ADDRINFOW` (same layout for these fields).
unsafe fn read_hints(p: *const ADDRINFOA) -> WsResult<Hints> {
    // SAFETY: NULL or valid by the caller's contract.
    let Some(h) = (unsafe { p.as_ref() }) else {
        return Ok(Hints::default());
    };
    if h.ai_addrlen != 0
        || !h.ai_canonname.is_null()
        || !h.ai_addr.is_null()
        || !h.ai_next.is_null()
    {
        return Err(WsaError::WSANO_RECOVERY);
    }
    Ok(Hints {
        flags: h.ai_flags,
        family: h.ai_family,
        socktype: h.ai_socktype,
        protocol: h.ai_protocol,
    })
}

/// Winsock code for a glibc `getaddrinfo`/`getnameinfo` result.
fn from_gai(rc: i32) -> WsaError {
    match rc {
        libc::EAI_BADFLAGS => WsaError::WSAEINVAL,
        libc::EAI_NONAME | gnu::EAI_ADDRFAMILY => WsaError::WSAHOST_NOT_FOUND,
        libc::EAI_AGAIN => WsaError::WSATRY_AGAIN,
        libc::EAI_FAIL => WsaError::WSANO_RECOVERY,
        gnu::EAI_NODATA => WsaError::WSANO_DATA,
        libc::EAI_FAMILY => WsaError::WSAEAFNOSUPPORT,
        libc::EAI_SOCKTYPE => WsaError::WSAESOCKTNOSUPPORT,
        libc::EAI_SERVICE => WsaError::WSATYPE_NOT_FOUND,
        libc::EAI_MEMORY => WsaError::WSA_NOT_ENOUGH_MEMORY,
        gnu::EAI_OVERFLOW => WsaError::WSAEFAULT,
        libc::EAI_SYSTEM => match WsaError::last_os() {
            WsaError::ERROR_SUCCESS => WsaError::WSAHOST_NOT_FOUND,
            e => e,
        },
        _ => WsaError::WSANO_RECOVERY,
    }
}

/// Port (host order) for `service`: empty or absent is 0, decimal digits are a port number,
/// anything else a service name looked up for the hinted protocol.
fn service_port(service: Option<&str>, h: &Hints) -> WsResult<u16> {
    let Some(s) = service.filter(|s| !s.is_empty()) else {
        return Ok(0);
    };
    if s.bytes().all(|c| c.is_ascii_digit()) {
        return s.parse::<u16>().map_err(|_| WsaError::WSATYPE_NOT_FOUND);
    }
    if h.flags & AI_NUMERICSERV != 0 {
        return Err(WsaError::WSAHOST_NOT_FOUND);
    }
    let protos: &[&[u8]] = if h.socktype == SOCK_DGRAM || h.protocol == IPPROTO_UDP {
        &[b"udp"]
    } else if h.socktype == SOCK_STREAM || h.protocol == IPPROTO_TCP {
        &[b"tcp"]
    } else {
        &[b"tcp", b"udp"]
    };
    protos
        .iter()
        .find_map(|p| netdb::serv_by_name(s.as_bytes(), Some(p)))
        .map(|e| u16::from_be(e.port))
        .ok_or(WsaError::WSATYPE_NOT_FOUND)
}

/// A glibc socket address as a `SocketAddr`.
///
/// # Safety
/// `sa` must be NULL or point to a socket address of its family's size.
unsafe fn from_linux(sa: *const libc::sockaddr) -> Option<SocketAddr> {
    // SAFETY: NULL or valid by the caller's contract.
    let family = i32::from(unsafe { sa.as_ref() }?.sa_family);
    match family {
        libc::AF_INET => {
            // SAFETY: an AF_INET address is a sockaddr_in.
            let sin = unsafe { &*(sa as *const libc::sockaddr_in) };
            Some(SocketAddr::new(
                IpAddr::V4(Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes())),
                0,
            ))
        }
        libc::AF_INET6 => {
            // SAFETY: an AF_INET6 address is a sockaddr_in6.
            let sin6 = unsafe { &*(sa as *const libc::sockaddr_in6) };
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            Some(SocketAddr::V6(SocketAddrV6::new(
                ip,
                0,
                u32::from_be(sin6.sin6_flowinfo),
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// Ask glibc for the addresses of `node` (one entry per address).
fn glibc_lookup(node: &str, h: &Hints) -> WsResult<Resolved> {
    let mut flags = 0;
    for (win, gnu) in [
        (AI_CANONNAME | AI_FQDN, gnu::AI_CANONNAME),
        (AI_NUMERICHOST, gnu::AI_NUMERICHOST),
        (AI_V4MAPPED, gnu::AI_V4MAPPED),
        (AI_ALL, gnu::AI_ALL),
        (AI_ADDRCONFIG, gnu::AI_ADDRCONFIG),
    ] {
        if h.flags & win != 0 {
            flags |= gnu;
        }
    }
    if !node.is_ascii() {
        if h.flags & AI_DISABLE_IDN_ENCODING != 0 {
            return Err(WsaError::WSAHOST_NOT_FOUND);
        }
        flags |= gnu::AI_IDN;
    }
    let cnode = CString::new(node).map_err(|_| WsaError::WSAHOST_NOT_FOUND)?;
    // SAFETY: addrinfo is plain data; all-zero is the documented "no hints" value.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_flags = flags;
    hints.ai_family = crate::abi::af_to_linux(h.family).ok_or(WsaError::WSAEAFNOSUPPORT)?;
    hints.ai_socktype = libc::SOCK_STREAM;
    let mut list: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid strings and hints; `list` receives a list freed below.
    let rc = unsafe { libc::getaddrinfo(cnode.as_ptr(), std::ptr::null(), &hints, &mut list) };
    if rc != 0 {
        return Err(from_gai(rc));
    }
    let mut out = Resolved::default();
    let mut cur = list;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getaddrinfo returned.
        let ai = unsafe { &*cur };
        cur = ai.ai_next;
        if out.canon.is_none() && !ai.ai_canonname.is_null() {
            // SAFETY: a NUL-terminated name owned by the list.
            let name = unsafe { CStr::from_ptr(ai.ai_canonname) };
            out.canon = Some(name.to_string_lossy().into_owned());
        }
        // SAFETY: ai_addr points to an address of ai_addrlen bytes.
        if let Some(a) = unsafe { from_linux(ai.ai_addr) } {
            if !out.addrs.contains(&a) {
                out.addrs.push(a);
            }
        }
    }
    // SAFETY: the list came from getaddrinfo and is freed once.
    unsafe { libc::freeaddrinfo(list) };
    Ok(out)
}

/// Keep the addresses `family` allows; for `AF_INET6` with `AI_V4MAPPED`, IPv4 addresses
/// become mapped ones when there is no IPv6 address, or always with `AI_ALL`.
fn filter_family(addrs: Vec<SocketAddr>, h: &Hints) -> Vec<SocketAddr> {
    match h.family {
        AF_INET => addrs.into_iter().filter(SocketAddr::is_ipv4).collect(),
        AF_INET6 => {
            let has_v6 = addrs.iter().any(SocketAddr::is_ipv6);
            let map = h.flags & AI_V4MAPPED != 0 && (!has_v6 || h.flags & AI_ALL != 0);
            addrs
                .into_iter()
                .filter_map(|a| match a.ip() {
                    IpAddr::V6(_) => Some(a),
                    IpAddr::V4(v4) if map => {
                        Some(SocketAddr::new(IpAddr::V6(v4.to_ipv6_mapped()), 0))
                    }
                    IpAddr::V4(_) => None,
                })
                .collect()
        }
        _ => addrs,
    }
}

/// Resolve `node`/`service` with Windows rules; returns the addresses with ports set.
pub fn resolve(node: Option<&str>, service: Option<&str>, h: &Hints) -> WsResult<Resolved> {
    startup::require()?;
    if node.is_none() && service.is_none() {
        return Err(WsaError::WSAHOST_NOT_FOUND);
    }
    if !matches!(h.family, AF_UNSPEC | AF_INET | AF_INET6) {
        return Err(WsaError::WSAEAFNOSUPPORT);
    }
    if !(0..=5).contains(&h.socktype) {
        return Err(WsaError::WSAESOCKTNOSUPPORT);
    }
    if h.flags & AI_CANONNAME != 0 && h.flags & AI_FQDN != 0 {
        return Err(WsaError::WSAEINVAL);
    }
    if h.flags & (AI_CANONNAME | AI_FQDN) != 0 && node.is_none() {
        return Err(WsaError::WSANO_RECOVERY);
    }
    let port = service_port(service, h)?;
    let numeric_only = h.flags & AI_NUMERICHOST != 0;
    let mut r = match node {
        None => {
            let (v6, v4) = if h.flags & AI_PASSIVE != 0 {
                (Ipv6Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED)
            } else {
                (Ipv6Addr::LOCALHOST, Ipv4Addr::LOCALHOST)
            };
            let addrs = vec![
                SocketAddr::new(IpAddr::V6(v6), 0),
                SocketAddr::new(IpAddr::V4(v4), 0),
            ];
            Resolved {
                addrs: filter_family(addrs, h),
                canon: None,
            }
        }
        Some(n) if !numeric_only && (n.is_empty() || local::is_own_name(n)) => Resolved {
            addrs: filter_family(local::addresses(), h),
            canon: Some(local::hostname()?),
        },
        Some(n) if !numeric_only && n.eq_ignore_ascii_case("localhost") => Resolved {
            addrs: filter_family(local::loopback(), h),
            canon: Some(n.to_string()),
        },
        Some(n) => {
            let bracketed = n
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .map(|(inner, _)| inner);
            let n = match bracketed {
                Some(inner) if h.family != AF_INET => inner,
                _ => n,
            };
            glibc_lookup(n, h)?
        }
    };
    if r.addrs.is_empty() {
        return Err(WsaError::WSAHOST_NOT_FOUND);
    }
    for a in &mut r.addrs {
        a.set_port(port);
    }
    if h.flags & (AI_CANONNAME | AI_FQDN) == 0 {
        r.canon = None;
    }
    Ok(r)
}

/// A Windows socket address for `a` (16 or 28 bytes, Windows family value).
pub fn win_sockaddr(a: &SocketAddr) -> Vec<u8> {
    match a {
        SocketAddr::V4(v4) => {
            let mut b = vec![0u8; 16];
            b[0..2].copy_from_slice(&(AF_INET as u16).to_ne_bytes());
            b[2..4].copy_from_slice(&v4.port().to_be_bytes());
            b[4..8].copy_from_slice(&v4.ip().octets());
            b
        }
        SocketAddr::V6(v6) => {
            let mut b = vec![0u8; 28];
            b[0..2].copy_from_slice(&(AF_INET6 as u16).to_ne_bytes());
            b[2..4].copy_from_slice(&v6.port().to_be_bytes());
            b[4..8].copy_from_slice(&v6.flowinfo().to_be_bytes());
            b[8..24].copy_from_slice(&v6.ip().octets());
            b[24..28].copy_from_slice(&v6.scope_id().to_ne_bytes());
            b
        }
    }
}

/// Lay out an `ADDRINFOA` (or, `wide`, `ADDRINFOW`) list in one block.
fn list_blob(r: &Resolved, h: &Hints, wide: bool) -> Blob {
    let mut b = Blob::new();
    let nodes: Vec<usize> = r
        .addrs
        .iter()
        .map(|_| b.reserve(std::mem::size_of::<ADDRINFOA>(), 8))
        .collect();
    for (k, (a, &at)) in r.addrs.iter().zip(&nodes).enumerate() {
        let sa = win_sockaddr(a);
        let sa_at = b.push(&sa, 8);
        let canon = match (&r.canon, k) {
            (Some(c), 0) if wide => Some(b.wstr(c)),
            (Some(c), 0) => Some(b.cstr(c.as_bytes())),
            _ => None,
        };
        b.put_i32(at, 0);
        b.put_i32(at + 4, if a.is_ipv4() { AF_INET } else { AF_INET6 });
        b.put_i32(at + 8, h.socktype);
        b.put_i32(at + 12, h.protocol);
        b.put_usize(at + 16, sa.len());
        b.put_ptr(at + 24, canon);
        b.put_ptr(at + 32, Some(sa_at));
        b.put_ptr(at + 40, nodes.get(k + 1).copied());
    }
    b
}

/// An optional C string as text.
///
/// # Safety
/// `p` must be NULL or NUL-terminated.
unsafe fn opt_str(p: *const c_char) -> Option<String> {
    // SAFETY: NULL is None; otherwise NUL-terminated by the caller's contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// An optional UTF-16 string as text.
///
/// # Safety
/// `p` must be NULL or NUL-terminated.
unsafe fn opt_wstr(p: *const u16) -> WsResult<Option<String>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    unsafe { ffi::wstr(p) }.map(Some)
}

/// `INT getaddrinfo(PCSTR pNodeName, PCSTR pServiceName, const ADDRINFOA *pHints,
/// PADDRINFOA *ppResult)`: returns the `WSA*` code, also set as the last error.
///
/// # Safety
/// Strings NULL or NUL-terminated; `hints` NULL or an `ADDRINFOA`; `res` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ws2_getaddrinfo(
    node: *const c_char,
    service: *const c_char,
    hints: *const ADDRINFOA,
    res: *mut *mut ADDRINFOA,
) -> i32 {
    let _t = crate::trace_call!("getaddrinfo", node, service, hints, res);
    ffi::code(true, || {
        // SAFETY: NULL is WSAEFAULT; otherwise writable by the caller's contract.
        let res = unsafe { ffi::out(res) }?;
        *res = std::ptr::null_mut();
        // SAFETY: NULL or NUL-terminated by the caller's contract.
        let (node, service) = unsafe { (opt_str(node), opt_str(service)) };
        // SAFETY: NULL or an ADDRINFOA by the caller's contract.
        let h = unsafe { read_hints(hints) }?;
        let r = resolve(node.as_deref(), service.as_deref(), &h)?;
        let list = list_blob(&r, &h, false)
            .into_heap()
            .ok_or(WsaError::WSA_NOT_ENOUGH_MEMORY)?;
        *res = list as *mut ADDRINFOA;
        Ok(())
    })
}

/// `INT GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints,
/// PADDRINFOW *ppResult)`
///
/// # Safety
/// As [`ws2_getaddrinfo`], with UTF-16 strings and `ADDRINFOW`.
#[no_mangle]
pub unsafe extern "C" fn GetAddrInfoW(
    node: *const u16,
    service: *const u16,
    hints: *const ADDRINFOW,
    res: *mut *mut ADDRINFOW,
) -> i32 {
    let _t = crate::trace_call!("GetAddrInfoW", node, service, hints, res);
    ffi::code(true, || {
        // SAFETY: NULL is WSAEFAULT; otherwise writable by the caller's contract.
        let res = unsafe { ffi::out(res) }?;
        *res = std::ptr::null_mut();
        // SAFETY: NULL or NUL-terminated by the caller's contract.
        let (node, service) = unsafe { (opt_wstr(node)?, opt_wstr(service)?) };
        // SAFETY: ADDRINFOW has ADDRINFOA's layout for every field read.
        let h = unsafe { read_hints(hints as *const ADDRINFOA) }?;
        let r = resolve(node.as_deref(), service.as_deref(), &h)?;
        let list = list_blob(&r, &h, true)
            .into_heap()
            .ok_or(WsaError::WSA_NOT_ENOUGH_MEMORY)?;
        *res = list as *mut ADDRINFOW;
        Ok(())
    })
}

/// `VOID freeaddrinfo(PADDRINFOA pAddrInfo)`: frees a list `getaddrinfo` returned;
/// NULL and anything else are ignored.
#[no_mangle]
pub extern "C" fn ws2_freeaddrinfo(ai: *mut ADDRINFOA) {
    let _t = crate::trace_call!("freeaddrinfo", ai);
    ffi::win((), || {
        blob::release(ai as usize);
        Ok(())
    })
}

/// `VOID FreeAddrInfoW(PADDRINFOW pAddrInfo)`
#[no_mangle]
pub extern "C" fn FreeAddrInfoW(ai: *mut ADDRINFOW) {
    let _t = crate::trace_call!("FreeAddrInfoW", ai);
    ffi::win((), || {
        blob::release(ai as usize);
        Ok(())
    })
}

/// Host and service text for `getnameinfo`; `None` where the caller did not ask.
pub fn name_info(
    sa: &[u8],
    want_host: bool,
    want_serv: bool,
    flags: i32,
) -> WsResult<(Option<String>, Option<String>)> {
    let family = i32::from(u16::from_ne_bytes([sa[0], sa[1]]));
    let port = u16::from_be_bytes([sa[2], sa[3]]);
    let (ip, scope) = match family {
        AF_INET => (IpAddr::V4(Ipv4Addr::new(sa[4], sa[5], sa[6], sa[7])), 0),
        _ => {
            let mut o = [0u8; 16];
            o.copy_from_slice(&sa[8..24]);
            (
                IpAddr::V6(Ipv6Addr::from(o)),
                u32::from_ne_bytes([sa[24], sa[25], sa[26], sa[27]]),
            )
        }
    };
    let numeric = || match ip {
        IpAddr::V4(v4) => parse::ipv4_text(v4.octets()),
        IpAddr::V6(v6) => parse::ipv6_text(&v6.octets(), scope, 0),
    };
    let host = if !want_host {
        None
    } else if flags & NI_NUMERICHOST != 0 {
        Some(numeric())
    } else if local::is_local_ip(&ip) {
        Some(local::hostname()?)
    } else {
        match reverse_lookup(&ip, scope, flags) {
            Some(name) => Some(name),
            None if flags & NI_NAMEREQD != 0 => return Err(WsaError::WSAHOST_NOT_FOUND),
            None => Some(numeric()),
        }
    };
    let serv = want_serv.then(|| {
        let name = if flags & NI_NUMERICSERV != 0 {
            None
        } else {
            let proto: &[u8] = if flags & NI_DGRAM != 0 {
                b"udp"
            } else {
                b"tcp"
            };
            netdb::serv_by_port(port.to_be(), Some(proto))
        };
        name.map_or_else(
            || port.to_string(),
            |s| String::from_utf8_lossy(&s.name).into_owned(),
        )
    });
    Ok((host, serv))
}

/// glibc reverse lookup of `ip`; `None` when it has no name.
fn reverse_lookup(ip: &IpAddr, scope: u32, flags: i32) -> Option<String> {
    let sa = crate::abi::sockaddr::SockAddr::from_std(&match ip {
        IpAddr::V4(v4) => SocketAddr::new(IpAddr::V4(*v4), 0),
        IpAddr::V6(v6) => SocketAddr::V6(SocketAddrV6::new(*v6, 0, 0, scope)),
    });
    let mut host = [0u8; 1025];
    let mut gflags = gnu::NI_NAMEREQD;
    if flags & NI_NOFQDN != 0 {
        gflags |= gnu::NI_NOFQDN;
    }
    // SAFETY: `sa` is a valid Linux address of `len` bytes; `host` is writable.
    let rc = unsafe {
        libc::getnameinfo(
            sa.as_ptr(),
            sa.len,
            host.as_mut_ptr() as *mut c_char,
            host.len() as u32,
            std::ptr::null_mut(),
            0,
            gflags,
        )
    };
    if rc != 0 {
        return None;
    }
    let n = host.iter().position(|&c| c == 0).unwrap_or(0);
    Some(String::from_utf8_lossy(&host[..n]).into_owned())
}

/// Validate `getnameinfo`'s address and buffers, then look the names up.
///
/// # Safety
/// `sa` must be NULL or valid for `salen` bytes.
unsafe fn name_info_checked(
    sa: *const u8,
    salen: i32,
    host: (bool, u32),
    serv: (bool, u32),
    flags: i32,
) -> WsResult<(Option<String>, Option<String>)> {
    startup::require()?;
    if sa.is_null() || salen < 2 {
        return Err(WsaError::WSAEFAULT);
    }
    // SAFETY: at least 2 bytes are readable.
    let family = i32::from(unsafe { (sa as *const u16).read_unaligned() });
    let need = match family {
        AF_INET => 16,
        AF_INET6 => 28,
        _ => return Err(WsaError::WSAEAFNOSUPPORT),
    };
    if salen < need {
        return Err(WsaError::WSAEFAULT);
    }
    if !host.0 && !serv.0 {
        return Err(WsaError::WSAHOST_NOT_FOUND);
    }
    if (host.0 && host.1 == 0) || (serv.0 && serv.1 == 0) {
        return Err(WsaError::WSAEINVAL);
    }
    let mut buf = [0u8; 28];
    // SAFETY: `salen` >= `need` bytes are readable.
    unsafe { std::ptr::copy_nonoverlapping(sa, buf.as_mut_ptr(), need as usize) };
    name_info(&buf[..need as usize], host.0, serv.0, flags)
}

/// Shared body of `getnameinfo` / `GetNameInfoW`: the names, written as bytes or UTF-16.
///
/// # Safety
/// `sa` NULL or valid for `salen` bytes; each buffer NULL or valid for its size in units.
unsafe fn name_info_into<C: ffi::TextUnit>(
    sa: *const u8,
    salen: i32,
    host: *mut C,
    hostlen: u32,
    serv: *mut C,
    servlen: u32,
    flags: i32,
) -> WsResult<()> {
    // SAFETY: forwarded contract for `sa`.
    let (h, s) = unsafe {
        name_info_checked(
            sa,
            salen,
            (!host.is_null(), hostlen),
            (!serv.is_null(), servlen),
            flags,
        )
    }?;
    for (text, dst, cap) in [(h, host, hostlen), (s, serv, servlen)] {
        // SAFETY: a name is only produced for a non-NULL buffer, valid for `cap` units.
        if let Some(t) = text {
            if !unsafe { ffi::put_text(dst, cap as usize, &t) } {
                return Err(WsaError::WSAEFAULT);
            }
        }
    }
    Ok(())
}

/// `INT getnameinfo(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PCHAR pNodeBuffer,
/// DWORD NodeBufferSize, PCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags)`
///
/// # Safety
/// `sa` NULL or valid for `salen` bytes; each buffer NULL or valid for its size.
#[no_mangle]
pub unsafe extern "C" fn ws2_getnameinfo(
    sa: *const u8,
    salen: i32,
    host: *mut c_char,
    hostlen: u32,
    serv: *mut c_char,
    servlen: u32,
    flags: i32,
) -> i32 {
    let _t = crate::trace_call!(
        "getnameinfo",
        sa,
        salen,
        host,
        hostlen,
        serv,
        servlen,
        flags
    );
    // SAFETY: forwarded contract.
    ffi::code(true, || unsafe {
        name_info_into(
            sa,
            salen,
            host as *mut u8,
            hostlen,
            serv as *mut u8,
            servlen,
            flags,
        )
    })
}

/// `INT GetNameInfoW(const SOCKADDR *pSockaddr, socklen_t SockaddrLength, PWCHAR pNodeBuffer,
/// DWORD NodeBufferSize, PWCHAR pServiceBuffer, DWORD ServiceBufferSize, INT Flags)`
/// (buffer sizes in characters)
///
/// # Safety
/// As [`ws2_getnameinfo`], with UTF-16 buffers.
#[no_mangle]
pub unsafe extern "C" fn GetNameInfoW(
    sa: *const u8,
    salen: i32,
    host: *mut u16,
    hostlen: u32,
    serv: *mut u16,
    servlen: u32,
    flags: i32,
) -> i32 {
    let _t = crate::trace_call!(
        "GetNameInfoW",
        sa,
        salen,
        host,
        hostlen,
        serv,
        servlen,
        flags
    );
    // SAFETY: forwarded contract.
    ffi::code(true, || unsafe {
        name_info_into(sa, salen, host, hostlen, serv, servlen, flags)
    })
}

/// Windows' message for a `getaddrinfo`/`getnameinfo` result code, as `gai_strerror`
/// returns it (system message text, line break turned into a space).
pub fn gai_message(code: i32) -> &'static str {
    match code {
        0 => "The operation completed successfully. ",
        8 => "Not enough memory resources are available to process this command. ",
        10014 => "The system detected an invalid pointer address in attempting to use a pointer argument in a call. ",
        10022 => "An invalid argument was supplied. ",
        10044 => "The support for the specified socket type does not exist in this address family. ",
        10047 => "An address incompatible with the requested protocol was used. ",
        10055 => "An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full. ",
        10093 => "Either the application has not called WSAStartup, or WSAStartup failed. ",
        10109 => "The specified class was not found. ",
        11001 => "No such host is known. ",
        11002 => "This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server. ",
        11003 => "A non-recoverable error occurred during a database lookup. ",
        11004 => "The requested name is valid, but no data of the requested type was found. ",
        _ => "Unknown error. ",
    }
}

thread_local! {
    static GAI_A: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static GAI_W: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// `char *gai_strerrorA(int ecode)`: per-thread text, valid until the next call.
#[no_mangle]
pub extern "C" fn gai_strerrorA(code: i32) -> *mut c_char {
    let _t = crate::trace_call!("gai_strerrorA", code);
    ffi::win(std::ptr::null_mut(), || {
        Ok(GAI_A.with(|cell| {
            let mut buf = cell.borrow_mut();
            buf.clear();
            buf.extend_from_slice(gai_message(code).as_bytes());
            buf.push(0);
            buf.as_mut_ptr() as *mut c_char
        }))
    })
}

/// `WCHAR *gai_strerrorW(int ecode)`
#[no_mangle]
pub extern "C" fn gai_strerrorW(code: i32) -> *mut u16 {
    let _t = crate::trace_call!("gai_strerrorW", code);
    ffi::win(std::ptr::null_mut(), || {
        Ok(GAI_W.with(|cell| {
            let mut buf = cell.borrow_mut();
            *buf = ffi::to_wide(gai_message(code));
            buf.as_mut_ptr()
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_ports() {
        let tcp = Hints {
            socktype: SOCK_STREAM,
            ..Hints::default()
        };
        assert_eq!(service_port(None, &tcp), Ok(0));
        assert_eq!(service_port(Some(""), &tcp), Ok(0));
        assert_eq!(service_port(Some("8080"), &tcp), Ok(8080));
        assert_eq!(
            service_port(Some("65536"), &tcp),
            Err(WsaError::WSATYPE_NOT_FOUND)
        );
        assert_eq!(service_port(Some("http"), &tcp), Ok(80));
        assert_eq!(service_port(Some("domain"), &Hints::default()), Ok(53));
        assert_eq!(
            service_port(Some("nonexistentservice"), &tcp),
            Err(WsaError::WSATYPE_NOT_FOUND)
        );
        let numeric = Hints {
            flags: AI_NUMERICSERV,
            ..Hints::default()
        };
        assert_eq!(
            service_port(Some("http"), &numeric),
            Err(WsaError::WSAHOST_NOT_FOUND)
        );
    }

    #[test]
    fn error_mapping() {
        assert_eq!(from_gai(libc::EAI_NONAME), WsaError::WSAHOST_NOT_FOUND);
        assert_eq!(from_gai(libc::EAI_SERVICE), WsaError::WSATYPE_NOT_FOUND);
        assert_eq!(from_gai(libc::EAI_FAMILY), WsaError::WSAEAFNOSUPPORT);
        assert_eq!(from_gai(libc::EAI_SOCKTYPE), WsaError::WSAESOCKTNOSUPPORT);
        assert_eq!(from_gai(libc::EAI_AGAIN), WsaError::WSATRY_AGAIN);
        assert_eq!(from_gai(libc::EAI_FAIL), WsaError::WSANO_RECOVERY);
        assert_eq!(from_gai(libc::EAI_MEMORY), WsaError::WSA_NOT_ENOUGH_MEMORY);
        assert_eq!(from_gai(libc::EAI_BADFLAGS), WsaError::WSAEINVAL);
    }

    #[test]
    fn family_filter_and_mapping() {
        let v4: SocketAddr = "1.2.3.4:0".parse().unwrap();
        let v6: SocketAddr = "[::1]:0".parse().unwrap();
        let h = Hints {
            family: AF_INET6,
            flags: AI_V4MAPPED,
            ..Hints::default()
        };
        assert_eq!(
            filter_family(vec![v4], &h),
            vec!["[::ffff:1.2.3.4]:0".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(filter_family(vec![v6, v4], &h), vec![v6]);
        let all = Hints {
            flags: AI_V4MAPPED | AI_ALL,
            ..h
        };
        assert_eq!(filter_family(vec![v6, v4], &all).len(), 2);
        let h4 = Hints {
            family: AF_INET,
            ..Hints::default()
        };
        assert_eq!(filter_family(vec![v6, v4], &h4), vec![v4]);
    }

    #[test]
    fn list_layout() {
        let r = Resolved {
            addrs: vec!["[::1]:80".parse().unwrap(), "127.0.0.1:80".parse().unwrap()],
            canon: Some("localhost".into()),
        };
        let h = Hints {
            socktype: SOCK_STREAM,
            protocol: IPPROTO_TCP,
            ..Hints::default()
        };
        let p = list_blob(&r, &h, false).into_heap().unwrap() as *mut ADDRINFOA;
        // SAFETY: the test walks the list it just built, then frees it.
        unsafe {
            let a = &*p;
            assert_eq!(
                (
                    a.ai_flags,
                    a.ai_family,
                    a.ai_socktype,
                    a.ai_protocol,
                    a.ai_addrlen
                ),
                (0, 23, 1, 6, 28)
            );
            assert_eq!(CStr::from_ptr(a.ai_canonname).to_bytes(), b"localhost");
            assert_eq!(*a.ai_addr, 23);
            let b = &*a.ai_next;
            assert_eq!((b.ai_family, b.ai_addrlen), (2, 16));
            assert!(b.ai_canonname.is_null() && b.ai_next.is_null());
            assert_eq!(
                std::slice::from_raw_parts(b.ai_addr, 8),
                &[2, 0, 0, 80, 127, 0, 0, 1]
            );
        }
        assert!(blob::release(p as usize));
    }
}
