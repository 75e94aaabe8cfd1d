//! Windows (Win64, LLP64) values and layouts as the C program sees them, and their
//! translation to and from Linux at the boundary. The headers in `include/` carry the same
//! values; `c-tests/test_layout.c` proves both equal mingw-w64's.

pub mod sockaddr;

#[allow(non_camel_case_types)]
pub type SOCKET = usize;
pub const INVALID_SOCKET: SOCKET = !0;
pub const SOCKET_ERROR: i32 = -1;

// Address families (Windows values).
pub const AF_UNSPEC: i32 = 0;
pub const AF_UNIX: i32 = 1;
pub const AF_INET: i32 = 2;
pub const AF_INET6: i32 = 23;

// Socket types are numerically the same on both systems.
pub const SOCK_STREAM: i32 = 1;
pub const SOCK_DGRAM: i32 = 2;
pub const SOCK_RAW: i32 = 3;
pub const SOCK_RDM: i32 = 4;
pub const SOCK_SEQPACKET: i32 = 5;

pub const IPPROTO_IP: i32 = 0;
pub const IPPROTO_ICMP: i32 = 1;
pub const IPPROTO_TCP: i32 = 6;
pub const IPPROTO_UDP: i32 = 17;
pub const IPPROTO_IPV6: i32 = 41;
pub const IPPROTO_ICMPV6: i32 = 58;
pub const IPPROTO_RAW: i32 = 255;

/// Windows address family -> Linux, `None` when Linux has no such family here.
pub fn af_to_linux(af: i32) -> Option<i32> {
    match af {
        AF_UNSPEC => Some(libc::AF_UNSPEC),
        AF_UNIX => Some(libc::AF_UNIX),
        AF_INET => Some(libc::AF_INET),
        AF_INET6 => Some(libc::AF_INET6),
        _ => None,
    }
}

/// Linux address family -> Windows.
pub fn af_from_linux(af: i32) -> i32 {
    match af {
        libc::AF_UNIX => AF_UNIX,
        libc::AF_INET => AF_INET,
        libc::AF_INET6 => AF_INET6,
        _ => AF_UNSPEC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_round_trip() {
        for af in [AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6] {
            assert_eq!(af_from_linux(af_to_linux(af).unwrap()), af);
        }
        assert_eq!(af_to_linux(AF_INET6), Some(10));
        assert_eq!(
            af_to_linux(10),
            None,
            "Linux's AF_INET6 value is not a Windows family"
        );
    }
}
