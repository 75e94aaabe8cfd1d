//! The classic database lookups with Windows layouts and rules: `gethostbyname`,
//! `gethostbyaddr`, `gethostname`/`GetHostNameW`, `getservbyname`/`getservbyport`,
//! `getprotobyname`/`getprotobynumber`.
//!
//! Results live in per-thread storage, one slot per kind (host, service, protocol), valid
//! until the next call of the same kind on the same thread, as Windows documents. The
//! `hostent` is laid out the way Windows lays it out (alias array right after the
//! structure, then the address array, then the addresses), which programs have come to rely on.

use super::blob::Blob;
use super::local;
use crate::abi::{AF_INET, AF_INET6};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::startup;
use libc::{c_char, c_int, c_void, size_t};
use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Win64 `struct hostent`.
#[repr(C)]
pub struct HOSTENT {
    pub h_name: *mut c_char,
    pub h_aliases: *mut *mut c_char,
    pub h_addrtype: i16,
    pub h_length: i16,
    pub h_addr_list: *mut *mut c_char,
}

/// Win64 `struct servent` (on 64-bit Windows `s_proto` comes before `s_port`).
#[repr(C)]
pub struct SERVENT {
    pub s_name: *mut c_char,
    pub s_aliases: *mut *mut c_char,
    pub s_proto: *mut c_char,
    pub s_port: i16,
}

/// Win64 `struct protoent`.
#[repr(C)]
pub struct PROTOENT {
    pub p_name: *mut c_char,
    pub p_aliases: *mut *mut c_char,
    pub p_proto: i16,
}

const _: () = assert!(std::mem::size_of::<HOSTENT>() == 32);
const _: () = assert!(std::mem::size_of::<SERVENT>() == 32);
const _: () = assert!(std::mem::size_of::<PROTOENT>() == 24);

thread_local! {
    static HOST_SLOT: RefCell<Vec<u64>> = RefCell::new(Vec::with_capacity(128));
    static SERV_SLOT: RefCell<Vec<u64>> = RefCell::new(Vec::with_capacity(64));
    static PROTO_SLOT: RefCell<Vec<u64>> = RefCell::new(Vec::with_capacity(16));
}

extern "C" {
    fn gethostbyname2_r(
        name: *const c_char,
        af: c_int,
        ret: *mut libc::hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    fn gethostbyaddr_r(
        addr: *const c_void,
        len: libc::socklen_t,
        family: c_int,
        ret: *mut libc::hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    fn getservbyname_r(
        name: *const c_char,
        proto: *const c_char,
        ret: *mut libc::servent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
    fn getservbyport_r(
        port: c_int,
        proto: *const c_char,
        ret: *mut libc::servent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
}

/// A host entry before it is laid out.
pub struct Host {
    pub name: Vec<u8>,
    pub aliases: Vec<Vec<u8>>,
    /// Windows address family.
    pub family: i32,
    pub addrs: Vec<Vec<u8>>,
}

/// A service entry before it is laid out; `port` in network order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serv {
    pub name: Vec<u8>,
    pub aliases: Vec<Vec<u8>>,
    pub port: u16,
    pub proto: Vec<u8>,
}

/// Windows `hostent` layout: structure, alias pointers, address pointers, addresses, alias
/// strings, name.
fn hostent_blob(h: &Host) -> Blob {
    let mut b = Blob::new();
    let head = b.reserve(std::mem::size_of::<HOSTENT>(), 8);
    let aliases = b.reserve((h.aliases.len() + 1) * 8, 8);
    let addr_list = b.reserve((h.addrs.len() + 1) * 8, 8);
    for (k, a) in h.addrs.iter().enumerate() {
        let at = b.push(a, 1);
        b.put_ptr(addr_list + 8 * k, Some(at));
    }
    for (k, a) in h.aliases.iter().enumerate() {
        let at = b.cstr(a);
        b.put_ptr(aliases + 8 * k, Some(at));
    }
    let name = b.cstr(&h.name);
    b.put_ptr(head, Some(name));
    b.put_ptr(head + 8, Some(aliases));
    b.put_i16(head + 16, h.family as i16);
    b.put_i16(head + 18, if h.family == AF_INET6 { 16 } else { 4 });
    b.put_ptr(head + 24, Some(addr_list));
    b
}

fn servent_blob(s: &Serv) -> Blob {
    let mut b = Blob::new();
    let head = b.reserve(std::mem::size_of::<SERVENT>(), 8);
    let name = b.cstr(&s.name);
    let proto = b.cstr(&s.proto);
    let strings: Vec<usize> = s.aliases.iter().map(|a| b.cstr(a)).collect();
    let aliases = b.ptr_array(&strings);
    b.put_ptr(head, Some(name));
    b.put_ptr(head + 8, Some(aliases));
    b.put_ptr(head + 16, Some(proto));
    b.put(head + 24, &s.port.to_ne_bytes());
    b
}

fn protoent_blob(name: &str, aliases: &[&str], number: i16) -> Blob {
    let mut b = Blob::new();
    let head = b.reserve(std::mem::size_of::<PROTOENT>(), 8);
    let n = b.cstr(name.as_bytes());
    let strings: Vec<usize> = aliases.iter().map(|a| b.cstr(a.as_bytes())).collect();
    let list = b.ptr_array(&strings);
    b.put_ptr(head, Some(n));
    b.put_ptr(head + 8, Some(list));
    b.put_i16(head + 16, number);
    b
}

/// Winsock code for a resolver `h_errno`.
fn from_h_errno(e: c_int) -> WsaError {
    match e {
        1 => WsaError::WSAHOST_NOT_FOUND,
        2 => WsaError::WSATRY_AGAIN,
        3 => WsaError::WSANO_RECOVERY,
        4 => WsaError::WSANO_DATA,
        _ => WsaError::WSANO_RECOVERY,
    }
}

/// An optional C string's bytes (`None` for NULL).
///
/// # Safety
/// `p` must be NULL or a NUL-terminated string that outlives `'a`.
unsafe fn opt_cstr<'a>(p: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: non-NULL strings are NUL-terminated by the caller's contract.
    (!p.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes())
}

/// NULL-terminated list of C strings.
///
/// # Safety
/// `list` must be NULL or a NULL-terminated array of NUL-terminated strings.
unsafe fn c_list(list: *mut *mut c_char) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if list.is_null() {
        return out;
    }
    let mut k = 0;
    loop {
        // SAFETY: the array is NULL-terminated, so every index up to the NULL is readable.
        let p = unsafe { *list.add(k) };
        if p.is_null() {
            return out;
        }
        // SAFETY: each entry is a NUL-terminated string.
        out.push(unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().to_vec());
        k += 1;
    }
}

/// Run a glibc `*_r` host lookup with a growing buffer and copy its answer out.
fn glibc_host(
    lookup: impl Fn(
        *mut libc::hostent,
        *mut c_char,
        size_t,
        *mut *mut libc::hostent,
        *mut c_int,
    ) -> c_int,
) -> WsResult<Host> {
    let mut size = 1024;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: hostent is plain data; all-zero is a valid value to be overwritten.
        let mut ent: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = std::ptr::null_mut();
        let mut herr: c_int = 0;
        let rc = lookup(
            &mut ent,
            buf.as_mut_ptr() as *mut c_char,
            size,
            &mut result,
            &mut herr,
        );
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 2;
            continue;
        }
        if result.is_null() {
            return Err(from_h_errno(herr));
        }
        // SAFETY: on success `result` points to `ent`, whose fields point into `buf`.
        let e = unsafe { &*result };
        let len = e.h_length.max(0) as usize;
        let family = if e.h_addrtype == libc::AF_INET6 {
            AF_INET6
        } else {
            AF_INET
        };
        let mut addrs = Vec::new();
        if !e.h_addr_list.is_null() {
            let mut k = 0;
            loop {
                // SAFETY: h_addr_list is NULL-terminated.
                let p = unsafe { *e.h_addr_list.add(k) };
                if p.is_null() {
                    break;
                }
                // SAFETY: each address is h_length bytes.
                addrs.push(unsafe { std::slice::from_raw_parts(p as *const u8, len) }.to_vec());
                k += 1;
            }
        }
        // SAFETY: h_name is a NUL-terminated string; h_aliases a NULL-terminated list.
        let name = unsafe { std::ffi::CStr::from_ptr(e.h_name) }
            .to_bytes()
            .to_vec();
        // SAFETY: as above.
        let aliases = unsafe { c_list(e.h_aliases) };
        return Ok(Host {
            name,
            aliases,
            family,
            addrs,
        });
    }
}

/// This machine as a host entry: its name and IPv4 addresses (default route first).
fn own_host() -> WsResult<Host> {
    let name = local::hostname()?.into_bytes();
    let mut addrs: Vec<Vec<u8>> = local::addresses()
        .iter()
        .filter_map(|a| match a.ip() {
            IpAddr::V4(v4) => Some(v4.octets().to_vec()),
            IpAddr::V6(_) => None,
        })
        .collect();
    if addrs.is_empty() {
        addrs.push(Ipv4Addr::LOCALHOST.octets().to_vec());
    }
    Ok(Host {
        name,
        aliases: Vec::new(),
        family: AF_INET,
        addrs,
    })
}

/// `gethostbyname`: NULL or `""` is this machine; the machine's name gives its IPv4
/// addresses; `localhost` is 127.0.0.1; anything else goes to the system resolver (IPv4).
pub fn host_by_name(name: Option<&[u8]>) -> WsResult<Host> {
    startup::require()?;
    let name = match name {
        None | Some(b"") => return own_host(),
        Some(n) => n,
    };
    let text = String::from_utf8_lossy(name);
    if local::is_own_name(&text) {
        return own_host();
    }
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(Host {
            name: b"localhost".to_vec(),
            aliases: Vec::new(),
            family: AF_INET,
            addrs: vec![Ipv4Addr::LOCALHOST.octets().to_vec()],
        });
    }
    let cname = std::ffi::CString::new(name).map_err(|_| WsaError::WSAHOST_NOT_FOUND)?;
    glibc_host(|ent, buf, len, res, herr| {
        // SAFETY: every pointer is valid for the call; buf holds len bytes.
        unsafe { gethostbyname2_r(cname.as_ptr(), libc::AF_INET, ent, buf, len, res, herr) }
    })
}

/// `gethostbyaddr`: this machine's own and loopback addresses resolve to its name (as on
/// Windows, without asking DNS); others go to the system resolver.
pub fn host_by_addr(addr: &[u8], family: i32) -> WsResult<Host> {
    let ip = match family {
        AF_INET => IpAddr::V4(Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3])),
        _ => {
            let mut o = [0u8; 16];
            o.copy_from_slice(&addr[..16]);
            IpAddr::V6(Ipv6Addr::from(o))
        }
    };
    if local::is_local_ip(&ip) {
        return Ok(Host {
            name: local::hostname()?.into_bytes(),
            aliases: Vec::new(),
            family,
            addrs: vec![addr.to_vec()],
        });
    }
    let linux_family = if family == AF_INET6 {
        libc::AF_INET6
    } else {
        libc::AF_INET
    };
    glibc_host(|ent, buf, len, res, herr| {
        // SAFETY: `addr` holds the address bytes; the other pointers are valid for the call.
        unsafe {
            gethostbyaddr_r(
                addr.as_ptr() as *const c_void,
                addr.len() as libc::socklen_t,
                linux_family,
                ent,
                buf,
                len,
                res,
                herr,
            )
        }
    })
}

/// `struct hostent *gethostbyname(const char *name)`
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn ws2_gethostbyname(name: *const c_char) -> *mut HOSTENT {
    let _t = crate::trace_call!("gethostbyname", name);
    ffi::ws(std::ptr::null_mut(), || {
        // SAFETY: NULL or NUL-terminated by the caller's contract.
        let name = unsafe { opt_cstr(name) };
        let host = host_by_name(name)?;
        Ok(hostent_blob(&host).into_thread_slot(&HOST_SLOT) as *mut HOSTENT)
    })
}

/// `struct hostent *gethostbyaddr(const char *addr, int len, int type)`
///
/// # Safety
/// `addr` must be NULL or valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn ws2_gethostbyaddr(
    addr: *const c_char,
    len: i32,
    family: i32,
) -> *mut HOSTENT {
    let _t = crate::trace_call!("gethostbyaddr", addr, len, family);
    ffi::ws(std::ptr::null_mut(), || {
        startup::require()?;
        let need = match family {
            AF_INET => 4,
            AF_INET6 => 16,
            _ => return Err(WsaError::WSAEAFNOSUPPORT),
        };
        if len < need {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: NULL is rejected; otherwise valid for `len` >= `need` bytes.
        let bytes = unsafe { ffi::bytes(addr as *const u8, need) }?;
        let host = host_by_addr(bytes, family)?;
        Ok(hostent_blob(&host).into_thread_slot(&HOST_SLOT) as *mut HOSTENT)
    })
}

/// The host name for `gethostname`/`GetHostNameW`, checked against a buffer of `cap` units
/// that must also hold the terminating NUL.
fn host_name_for(cap: i32, units: impl Fn(&str) -> usize) -> WsResult<String> {
    startup::require()?;
    let name = local::hostname()?;
    if cap < 0 || (cap as usize) <= units(&name) {
        return Err(WsaError::WSAEFAULT);
    }
    Ok(name)
}

/// `int gethostname(char *name, int namelen)`
///
/// # Safety
/// `name` must be NULL or valid for `namelen` bytes.
#[no_mangle]
pub unsafe extern "C" fn ws2_gethostname(name: *mut c_char, namelen: i32) -> i32 {
    let _t = crate::trace_call!("gethostname", name, namelen);
    ffi::ws(-1, || {
        if name.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        let host = host_name_for(namelen, str::len)?;
        // SAFETY: the buffer holds `namelen` > host.len() bytes.
        let out = unsafe { ffi::bytes_mut(name as *mut u8, namelen) }?;
        out[..host.len()].copy_from_slice(host.as_bytes());
        out[host.len()] = 0;
        Ok(0)
    })
}

/// `int GetHostNameW(PWSTR name, int namelen)` (`namelen` in characters)
///
/// # Safety
/// `name` must be NULL or valid for `namelen` UTF-16 units.
#[no_mangle]
pub unsafe extern "C" fn GetHostNameW(name: *mut u16, namelen: i32) -> i32 {
    let _t = crate::trace_call!("GetHostNameW", name, namelen);
    ffi::ws(-1, || {
        if name.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        let host = host_name_for(namelen, |h| h.encode_utf16().count())?;
        let wide = ffi::to_wide(&host);
        // SAFETY: the buffer holds `namelen` > host length units, enough for `wide`.
        unsafe { std::ptr::copy_nonoverlapping(wide.as_ptr(), name, wide.len()) };
        Ok(0)
    })
}

/// Run a glibc `getserv*_r` lookup with a growing buffer.
fn glibc_serv(
    lookup: impl Fn(*mut libc::servent, *mut c_char, size_t, *mut *mut libc::servent) -> c_int,
) -> Option<Serv> {
    let mut size = 1024;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: servent is plain data; all-zero is a valid value to be overwritten.
        let mut ent: libc::servent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::servent = std::ptr::null_mut();
        let rc = lookup(&mut ent, buf.as_mut_ptr() as *mut c_char, size, &mut result);
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 2;
            continue;
        }
        if result.is_null() {
            return None;
        }
        // SAFETY: on success `result` points to `ent`, whose strings live in `buf`.
        let e = unsafe { &*result };
        return Some(Serv {
            // SAFETY: s_name and s_proto are NUL-terminated strings.
            name: unsafe { std::ffi::CStr::from_ptr(e.s_name) }
                .to_bytes()
                .to_vec(),
            // SAFETY: s_aliases is a NULL-terminated list.
            aliases: unsafe { c_list(e.s_aliases) },
            port: e.s_port as u16,
            // SAFETY: as for s_name.
            proto: unsafe { std::ffi::CStr::from_ptr(e.s_proto) }
                .to_bytes()
                .to_vec(),
        });
    }
}

/// Well-known services from Windows' own services file, used when the system has no
/// services database (minimal containers): name, port, protocol, aliases.
const SERVICES: &[(&str, u16, &str, &[&str])] = &[
    ("echo", 7, "tcp", &[]),
    ("echo", 7, "udp", &[]),
    ("discard", 9, "tcp", &["sink", "null"]),
    ("discard", 9, "udp", &["sink", "null"]),
    ("daytime", 13, "tcp", &[]),
    ("daytime", 13, "udp", &[]),
    ("qotd", 17, "tcp", &["quote"]),
    ("qotd", 17, "udp", &["quote"]),
    ("chargen", 19, "tcp", &["ttytst", "source"]),
    ("chargen", 19, "udp", &["ttytst", "source"]),
    ("ftp-data", 20, "tcp", &[]),
    ("ftp", 21, "tcp", &[]),
    ("ssh", 22, "tcp", &[]),
    ("telnet", 23, "tcp", &[]),
    ("smtp", 25, "tcp", &["mail"]),
    ("time", 37, "tcp", &["timserver"]),
    ("time", 37, "udp", &["timserver"]),
    ("domain", 53, "tcp", &[]),
    ("domain", 53, "udp", &[]),
    ("bootps", 67, "udp", &["dhcps"]),
    ("bootpc", 68, "udp", &["dhcpc"]),
    ("tftp", 69, "udp", &[]),
    ("finger", 79, "tcp", &[]),
    ("http", 80, "tcp", &["www", "www-http"]),
    ("kerberos", 88, "tcp", &["krb5", "kerberos-sec"]),
    ("kerberos", 88, "udp", &["krb5", "kerberos-sec"]),
    ("pop3", 110, "tcp", &[]),
    ("sunrpc", 111, "tcp", &["rpcbind", "portmap"]),
    ("sunrpc", 111, "udp", &["rpcbind", "portmap"]),
    ("nntp", 119, "tcp", &["usenet"]),
    ("ntp", 123, "udp", &[]),
    ("epmap", 135, "tcp", &["loc-srv"]),
    ("epmap", 135, "udp", &["loc-srv"]),
    ("netbios-ns", 137, "tcp", &["nbname"]),
    ("netbios-ns", 137, "udp", &["nbname"]),
    ("netbios-dgm", 138, "udp", &["nbdatagram"]),
    ("netbios-ssn", 139, "tcp", &["nbsession"]),
    ("imap", 143, "tcp", &["imap4"]),
    ("snmp", 161, "udp", &[]),
    ("snmptrap", 162, "udp", &["snmp-trap"]),
    ("ldap", 389, "tcp", &[]),
    ("https", 443, "tcp", &["MCom"]),
    ("https", 443, "udp", &["MCom"]),
    ("microsoft-ds", 445, "tcp", &[]),
    ("microsoft-ds", 445, "udp", &[]),
    ("kpasswd", 464, "tcp", &[]),
    ("kpasswd", 464, "udp", &[]),
    ("isakmp", 500, "udp", &["ike"]),
    ("syslog", 514, "udp", &[]),
    ("imaps", 993, "tcp", &[]),
    ("pop3s", 995, "tcp", &[]),
];

fn table_serv(matches: impl Fn(&(&str, u16, &str, &[&str])) -> bool) -> Option<Serv> {
    SERVICES
        .iter()
        .find(|e| matches(e))
        .map(|&(name, port, proto, aliases)| Serv {
            name: name.as_bytes().to_vec(),
            aliases: aliases.iter().map(|a| a.as_bytes().to_vec()).collect(),
            port: port.to_be(),
            proto: proto.as_bytes().to_vec(),
        })
}

/// Service by name (case-insensitive) and optional protocol (`None` or empty: any).
pub fn serv_by_name(name: &[u8], proto: Option<&[u8]>) -> Option<Serv> {
    let name = name.to_ascii_lowercase();
    let proto = proto
        .filter(|p| !p.is_empty())
        .map(<[u8]>::to_ascii_lowercase);
    let cname = std::ffi::CString::new(name.clone()).ok()?;
    let cproto = match &proto {
        Some(p) => Some(std::ffi::CString::new(p.clone()).ok()?),
        None => None,
    };
    let pproto = cproto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    glibc_serv(|ent, buf, len, res| {
        // SAFETY: the strings are NUL-terminated (or proto NULL); buf holds len bytes.
        unsafe { getservbyname_r(cname.as_ptr(), pproto, ent, buf, len, res) }
    })
    .or_else(|| {
        table_serv(|&(n, _, p, aliases)| {
            (n.as_bytes() == name.as_slice()
                || aliases
                    .iter()
                    .any(|a| a.as_bytes().eq_ignore_ascii_case(&name)))
                && proto.as_deref().is_none_or(|want| want == p.as_bytes())
        })
    })
}

/// Service by port (network order) and optional protocol.
pub fn serv_by_port(port: u16, proto: Option<&[u8]>) -> Option<Serv> {
    let proto = proto
        .filter(|p| !p.is_empty())
        .map(<[u8]>::to_ascii_lowercase);
    let cproto = match &proto {
        Some(p) => Some(std::ffi::CString::new(p.clone()).ok()?),
        None => None,
    };
    let pproto = cproto.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    glibc_serv(|ent, buf, len, res| {
        // SAFETY: proto is NUL-terminated or NULL; buf holds len bytes.
        unsafe { getservbyport_r(c_int::from(port), pproto, ent, buf, len, res) }
    })
    .or_else(|| {
        table_serv(|&(_, p, pr, _)| {
            p.to_be() == port && proto.as_deref().is_none_or(|want| want == pr.as_bytes())
        })
    })
}

/// `struct servent *getservbyname(const char *name, const char *proto)`
///
/// # Safety
/// `name` and `proto` must be NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn ws2_getservbyname(
    name: *const c_char,
    proto: *const c_char,
) -> *mut SERVENT {
    let _t = crate::trace_call!("getservbyname", name, proto);
    ffi::ws(std::ptr::null_mut(), || {
        startup::require()?;
        // SAFETY: NUL-terminated by the caller's contract; NULL is WSAEFAULT.
        let name = unsafe { ffi::cstr(name) }?;
        // SAFETY: as above; NULL means any protocol.
        let proto = unsafe { opt_cstr(proto) };
        let serv = serv_by_name(name, proto).ok_or(WsaError::WSANO_DATA)?;
        Ok(servent_blob(&serv).into_thread_slot(&SERV_SLOT) as *mut SERVENT)
    })
}

/// `struct servent *getservbyport(int port, const char *proto)` (`port` in network order)
///
/// # Safety
/// `proto` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn ws2_getservbyport(port: i32, proto: *const c_char) -> *mut SERVENT {
    let _t = crate::trace_call!("getservbyport", port, proto);
    ffi::ws(std::ptr::null_mut(), || {
        startup::require()?;
        // SAFETY: NULL means any protocol; otherwise NUL-terminated by contract.
        let proto = unsafe { opt_cstr(proto) };
        let serv = serv_by_port(port as u16, proto).ok_or(WsaError::WSANO_DATA)?;
        Ok(servent_blob(&serv).into_thread_slot(&SERV_SLOT) as *mut SERVENT)
    })
}

/// Windows' protocol database: number, name, alias.
const PROTOCOLS: &[(i16, &str, &str)] = &[
    (0, "ip", "IP"),
    (1, "icmp", "ICMP"),
    (3, "ggp", "GGP"),
    (6, "tcp", "TCP"),
    (8, "egp", "EGP"),
    (12, "pup", "PUP"),
    (17, "udp", "UDP"),
    (20, "hmp", "HMP"),
    (22, "xns-idp", "XNS-IDP"),
    (27, "rdp", "RDP"),
    (41, "ipv6", "IPv6"),
    (43, "ipv6-route", "IPv6-Route"),
    (44, "ipv6-frag", "IPv6-Frag"),
    (50, "esp", "ESP"),
    (51, "ah", "AH"),
    (58, "ipv6-icmp", "IPv6-ICMP"),
    (59, "ipv6-nonxt", "IPv6-NoNxt"),
    (60, "ipv6-opts", "IPv6-Opts"),
    (66, "rvd", "RVD"),
];

fn protoent(entry: Option<&(i16, &str, &str)>) -> WsResult<*mut PROTOENT> {
    let &(number, name, alias) = entry.ok_or(WsaError::WSANO_DATA)?;
    Ok(protoent_blob(name, &[alias], number).into_thread_slot(&PROTO_SLOT) as *mut PROTOENT)
}

/// `struct protoent *getprotobyname(const char *name)` (case-insensitive, Windows' table)
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn ws2_getprotobyname(name: *const c_char) -> *mut PROTOENT {
    let _t = crate::trace_call!("getprotobyname", name);
    ffi::ws(std::ptr::null_mut(), || {
        startup::require()?;
        // SAFETY: NUL-terminated by the caller's contract; NULL is WSAEFAULT.
        let name = unsafe { ffi::cstr(name) }?;
        protoent(
            PROTOCOLS
                .iter()
                .find(|p| p.1.as_bytes().eq_ignore_ascii_case(name)),
        )
    })
}

/// `struct protoent *getprotobynumber(int number)`
#[no_mangle]
pub extern "C" fn ws2_getprotobynumber(number: i32) -> *mut PROTOENT {
    let _t = crate::trace_call!("getprotobynumber", number);
    ffi::ws(std::ptr::null_mut(), || {
        startup::require()?;
        protoent(PROTOCOLS.iter().find(|p| i32::from(p.0) == number))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostent_layout_matches_windows() {
        let h = Host {
            name: b"h".to_vec(),
            aliases: vec![b"a1".to_vec(), b"a2".to_vec()],
            family: AF_INET,
            addrs: vec![vec![1, 2, 3, 4], vec![5, 6, 7, 8]],
        };
        let p = hostent_blob(&h).into_thread_slot(&HOST_SLOT) as *mut HOSTENT;
        // SAFETY: the test reads back the structure just laid out.
        unsafe {
            let e = &*p;
            assert_eq!(e.h_aliases as usize, p as usize + 32);
            assert_eq!(e.h_addr_list as usize, p as usize + 32 + 3 * 8);
            assert_eq!(*e.h_addr_list as usize, p as usize + 32 + 6 * 8);
            assert_eq!(
                std::slice::from_raw_parts(*e.h_addr_list.add(1) as *const u8, 4),
                &[5, 6, 7, 8]
            );
            assert!((*e.h_addr_list.add(2)).is_null());
            assert_eq!(
                std::ffi::CStr::from_ptr(*e.h_aliases.add(1)).to_bytes(),
                b"a2"
            );
            assert_eq!(std::ffi::CStr::from_ptr(e.h_name).to_bytes(), b"h");
            assert_eq!((e.h_addrtype, e.h_length), (2, 4));
        }
    }

    #[test]
    fn services_resolve() {
        let http = serv_by_name(b"HTTP", Some(b"TCP")).unwrap();
        assert_eq!(
            (
                http.name.as_slice(),
                u16::from_be(http.port),
                http.proto.as_slice()
            ),
            (&b"http"[..], 80, &b"tcp"[..])
        );
        assert_eq!(
            serv_by_port(53u16.to_be(), Some(b"udp")).unwrap().name,
            b"domain"
        );
        assert!(serv_by_name(b"no-such-service-here", None).is_none());
        let t = table_serv(|e| e.0 == "telnet").unwrap();
        assert_eq!(u16::from_be(t.port), 23);
    }
}
