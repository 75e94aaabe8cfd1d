//! `WSAPROTOCOL_INFOA`/`W` for a socket, as `SO_PROTOCOL_INFO` reports it: the MSAFD TCP/IP
//! provider entries Windows lists for TCP and UDP over IPv4 and IPv6.

use super::Socket;
use crate::abi;

/// Size of `WSAPROTOCOL_INFOA` (szProtocol is 256 CHARs) and `WSAPROTOCOL_INFOW` (256 WCHARs).
pub const INFOA_LEN: usize = 372;
pub const INFOW_LEN: usize = 628;

const XP1_CONNECTIONLESS: u32 = 0x1;
const XP1_GUARANTEED_DELIVERY: u32 = 0x2;
const XP1_GUARANTEED_ORDER: u32 = 0x4;
const XP1_MESSAGE_ORIENTED: u32 = 0x8;
const XP1_GRACEFUL_CLOSE: u32 = 0x20;
const XP1_EXPEDITED_DATA: u32 = 0x40;
const XP1_SUPPORT_BROADCAST: u32 = 0x200;
const XP1_SUPPORT_MULTIPOINT: u32 = 0x400;
const XP1_IFS_HANDLES: u32 = 0x20000;
const PFL_MATCHES_PROTOCOL_ZERO: u32 = 0x8;
/// The MSAFD Tcpip provider, {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}.
const PROVIDER: [u8; 16] = [
    0xa0, 0x1a, 0x0f, 0xe7, 0x8b, 0xab, 0xcf, 0x11, 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92,
];

/// The structure's bytes for `sock` (`wide`: the W form).
pub fn for_socket(sock: &Socket, wide: bool) -> Vec<u8> {
    let mut b = vec![0u8; if wide { INFOW_LEN } else { INFOA_LEN }];
    let put =
        |b: &mut Vec<u8>, off: usize, v: u32| b[off..off + 4].copy_from_slice(&v.to_ne_bytes());
    let v6 = sock.family == abi::AF_INET6;
    let (flags, name, catalog, msg) = if sock.is_stream() {
        (
            XP1_GUARANTEED_DELIVERY
                | XP1_GUARANTEED_ORDER
                | XP1_GRACEFUL_CLOSE
                | XP1_EXPEDITED_DATA
                | XP1_IFS_HANDLES,
            if v6 {
                "MSAFD Tcpip [TCP/IPv6]"
            } else {
                "MSAFD Tcpip [TCP/IP]"
            },
            if v6 { 1004 } else { 1001 },
            0u32,
        )
    } else {
        (
            XP1_CONNECTIONLESS
                | XP1_MESSAGE_ORIENTED
                | XP1_SUPPORT_BROADCAST
                | XP1_SUPPORT_MULTIPOINT
                | XP1_IFS_HANDLES,
            if v6 {
                "MSAFD Tcpip [UDP/IPv6]"
            } else {
                "MSAFD Tcpip [UDP/IP]"
            },
            if v6 { 1005 } else { 1002 },
            // The message size Windows' MSAFD entries list for UDP (also WSADATA's iMaxUdpDg).
            65467,
        )
    };
    let addr_len = if v6 { 28 } else { 16 };
    put(&mut b, 0, flags); // dwServiceFlags1
    put(&mut b, 16, PFL_MATCHES_PROTOCOL_ZERO); // dwProviderFlags
    b[20..36].copy_from_slice(&PROVIDER); // ProviderId
    put(&mut b, 36, catalog); // dwCatalogEntryId
    put(&mut b, 40, 1); // ProtocolChain.ChainLen = BASE_PROTOCOL
    put(&mut b, 72, 2); // iVersion
    put(&mut b, 76, sock.family as u32); // iAddressFamily
    put(&mut b, 80, addr_len); // iMaxSockAddr
    put(&mut b, 84, addr_len); // iMinSockAddr
    put(&mut b, 88, sock.sock_type as u32); // iSocketType
    put(&mut b, 92, sock.protocol as u32); // iProtocol
    put(&mut b, 96, 0); // iProtocolMaxOffset
    put(&mut b, 100, 0); // iNetworkByteOrder = BIGENDIAN
    put(&mut b, 104, 0); // iSecurityScheme = SECURITY_PROTOCOL_NONE
    put(&mut b, 108, msg); // dwMessageSize
    if wide {
        for (i, u) in name.encode_utf16().enumerate() {
            b[116 + 2 * i..118 + 2 * i].copy_from_slice(&u.to_ne_bytes());
        }
    } else {
        b[116..116 + name.len()].copy_from_slice(name.as_bytes());
    }
    b
}
