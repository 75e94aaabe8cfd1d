//! The local machine as Windows name resolution sees it: its host name and the addresses a
//! lookup of that name (or of `""`) returns. Windows answers these from its own interface
//! table instead of DNS or a hosts file, so this module does the same with `getifaddrs`.

use crate::error::WsaError;
use crate::ffi::WsResult;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// The machine's host name (`gethostname`).
pub fn hostname() -> WsResult<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its full length.
    if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) } != 0 {
        return Err(WsaError::last_os());
    }
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

/// Whether `name` names this machine for Windows resolution: its host name (case does not
/// matter) or the reserved `..localmachine`.
pub fn is_own_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("..localmachine")
        || hostname().is_ok_and(|h| !h.is_empty() && h.eq_ignore_ascii_case(name))
}

/// Interfaces that carry the IPv4 default route (from `/proc/net/route`), so their
/// addresses can be listed first as Windows lists them.
fn default_route_interfaces() -> Vec<String> {
    let Ok(table) = std::fs::read_to_string("/proc/net/route") else {
        return Vec::new();
    };
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split_whitespace();
            let iface = cols.next()?;
            let dest = cols.next()?;
            (dest == "00000000").then(|| iface.to_string())
        })
        .collect()
}

/// Unicast addresses of the interfaces that are up, loopback excluded, IPv6 link-local
/// addresses with their scope id; addresses on default-route interfaces first. When the
/// machine has no such address, the loopback addresses (`::1`, `127.0.0.1`).
pub fn addresses() -> Vec<SocketAddr> {
    let mut found: Vec<(bool, SocketAddr)> = Vec::new();
    let defaults = default_route_interfaces();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: `list` receives a list that is freed below.
    if unsafe { libc::getifaddrs(&mut list) } == 0 {
        let mut cur = list;
        while !cur.is_null() {
            // SAFETY: `cur` is a node of the list getifaddrs returned.
            let ifa = unsafe { &*cur };
            cur = ifa.ifa_next;
            let flags = ifa.ifa_flags as i32;
            if ifa.ifa_addr.is_null()
                || flags & libc::IFF_UP == 0
                || flags & libc::IFF_LOOPBACK != 0
            {
                continue;
            }
            // SAFETY: ifa_name is a NUL-terminated interface name.
            let name = unsafe { std::ffi::CStr::from_ptr(ifa.ifa_name) }
                .to_string_lossy()
                .into_owned();
            // SAFETY: ifa_addr points to a socket address whose family field is valid.
            let family = i32::from(unsafe { (*ifa.ifa_addr).sa_family });
            let addr = match family {
                libc::AF_INET => {
                    // SAFETY: an AF_INET address is a sockaddr_in.
                    let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                    SocketAddr::V4(SocketAddrV4::new(
                        Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes()),
                        0,
                    ))
                }
                libc::AF_INET6 => {
                    // SAFETY: an AF_INET6 address is a sockaddr_in6.
                    let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                    let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
                    let scope = if ip.segments()[0] & 0xffc0 == 0xfe80 {
                        sin6.sin6_scope_id
                    } else {
                        0
                    };
                    SocketAddr::V6(SocketAddrV6::new(ip, 0, 0, scope))
                }
                _ => continue,
            };
            if !found.iter().any(|(_, a)| *a == addr) {
                found.push((defaults.contains(&name), addr));
            }
        }
        // SAFETY: the list came from getifaddrs and is freed once.
        unsafe { libc::freeifaddrs(list) };
    }
    // Stable: default-route interfaces first, otherwise the kernel's order.
    found.sort_by_key(|(default, _)| !*default);
    let mut out: Vec<SocketAddr> = found.into_iter().map(|(_, a)| a).collect();
    if out.is_empty() {
        out = loopback();
    }
    out
}

/// The loopback addresses, IPv6 first as Windows returns them for `localhost`.
pub fn loopback() -> Vec<SocketAddr> {
    vec![
        SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 0),
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
    ]
}

/// Whether `ip` is a loopback address or one of this machine's own addresses (Windows
/// resolves those back to the machine's name without asking DNS).
pub fn is_local_ip(ip: &IpAddr) -> bool {
    ip.is_loopback() || addresses().iter().any(|a| a.ip() == *ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_name_and_addresses() {
        let h = hostname().unwrap();
        assert!(!h.is_empty());
        assert!(is_own_name(&h));
        assert!(is_own_name(&h.to_ascii_uppercase()));
        assert!(!is_own_name("not-this-host.invalid"));
        let a = addresses();
        assert!(!a.is_empty());
        assert!(is_local_ip(&"127.0.0.1".parse().unwrap()));
        assert!(is_local_ip(&a[0].ip()));
    }
}
