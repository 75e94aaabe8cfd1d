//! `WSAIoctl`: the socket I/O control codes ported programs use.
//!
//! Every supported code completes at once. With an OVERLAPPED the call still returns 0 and
//! the completion is reported as Windows does ("deferred completion"): the OVERLAPPED gets
//! the status with a byte count of 0, then its event is set or the completion routine
//! queued (`overlapped::complete_now`), while `*lpcbBytesReturned` gets the real count.
//! Codes Windows hands to the transport, which refuses them (unknown codes, an overlapped
//! `SIO_BASE_HANDLE`), fail with `WSAEOPNOTSUPP`, or, overlapped, return `WSA_IO_PENDING` and
//! complete with `STATUS_NOT_SUPPORTED`. The per-code rules for short buffers and for what
//! `*lpcbBytesReturned` receives on failure follow Windows as Wine's tests record it.

use super::calls::{self, FIONBIO, FIONREAD, SIOCATMARK};
use super::overlapped::complete_now;
use super::{get, os_error, Socket};
use crate::abi::sockaddr::{self, SockAddr, SOCKADDR_IN6_LEN, SOCKADDR_IN_LEN};
use crate::abi::{self, SOCKET, SOCKET_ERROR};
use crate::engine::io::Overlapped;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::status;
use crate::wait::thread;
use std::sync::Arc;

// Control code fields (ws2def.h).
const IOC_VOID: u32 = 0x2000_0000;
const IOC_OUT: u32 = 0x4000_0000;
const IOC_IN: u32 = 0x8000_0000;
const IOC_INOUT: u32 = IOC_IN | IOC_OUT;
const IOC_WS2: u32 = 0x0800_0000;
const IOC_VENDOR: u32 = 0x1800_0000;

pub const SIO_GET_EXTENSION_FUNCTION_POINTER: u32 = IOC_INOUT | IOC_WS2 | 6;
pub const SIO_ROUTING_INTERFACE_QUERY: u32 = IOC_INOUT | IOC_WS2 | 20;
pub const SIO_ROUTING_INTERFACE_CHANGE: u32 = IOC_IN | IOC_WS2 | 21;
pub const SIO_ADDRESS_LIST_QUERY: u32 = IOC_OUT | IOC_WS2 | 22;
pub const SIO_ADDRESS_LIST_CHANGE: u32 = IOC_VOID | IOC_WS2 | 23;
pub const SIO_BSP_HANDLE: u32 = IOC_OUT | IOC_WS2 | 27;
pub const SIO_BSP_HANDLE_SELECT: u32 = IOC_OUT | IOC_WS2 | 28;
pub const SIO_BSP_HANDLE_POLL: u32 = IOC_OUT | IOC_WS2 | 29;
pub const SIO_BASE_HANDLE: u32 = IOC_OUT | IOC_WS2 | 34;
pub const SIO_KEEPALIVE_VALS: u32 = IOC_IN | IOC_VENDOR | 4;
pub const SIO_UDP_CONNRESET: u32 = IOC_IN | IOC_VENDOR | 12;
pub const SIO_UDP_NETRESET: u32 = IOC_IN | IOC_VENDOR | 15;
pub const SIO_LOOPBACK_FAST_PATH: u32 = IOC_IN | IOC_VENDOR | 16;
/// `_IOR('t', 127, u_long)`
pub const SIO_GET_INTERFACE_LIST: u32 = IOC_OUT | (4 << 16) | ((b't' as u32) << 8) | 127;

/// `STATUS_NOT_SUPPORTED`: how the transport refuses a code it does not know.
const STATUS_NOT_SUPPORTED: u32 = 0xC000_00BB;

// Windows IFF_* (ws2ipdef.h).
const W_IFF_UP: u32 = 0x01;
const W_IFF_BROADCAST: u32 = 0x02;
const W_IFF_LOOPBACK: u32 = 0x04;
const W_IFF_POINTTOPOINT: u32 = 0x08;
const W_IFF_MULTICAST: u32 = 0x10;

/// `sizeof(INTERFACE_INFO)`: ULONG flags and three 24-byte `sockaddr_gen`.
const INTERFACE_INFO_LEN: usize = 76;
const SOCKADDR_GEN_LEN: usize = 24;
/// `FIELD_OFFSET(SOCKET_ADDRESS_LIST, Address)` and `sizeof(SOCKET_ADDRESS)` on Win64.
const ADDRESS_LIST_HEADER: usize = 8;
const SOCKET_ADDRESS_LEN: usize = 16;

/// The Linux limit for `TCP_KEEPIDLE` / `TCP_KEEPINTVL` (seconds).
const MAX_KEEPALIVE_SECS: u32 = 32767;

/// One `WSAIoctl` call as the code handlers see it.
struct Call<'a> {
    sock: &'a Arc<Socket>,
    inb: *const u8,
    inlen: u32,
    outb: *mut u8,
    outlen: u32,
    /// An OVERLAPPED was given.
    ov: bool,
    /// What `*lpcbBytesReturned` receives, success or failure (`None`: left alone).
    count: Option<u32>,
}

/// How a code ended when it did not fail at once.
enum Outcome {
    Done,
    /// Windows passes the code to the transport, which refuses it.
    NotSupported,
}

impl Call<'_> {
    /// The input buffer when it holds at least `n` bytes, else `WSAEFAULT`.
    fn input(&self, n: usize) -> WsResult<Vec<u8>> {
        if self.inb.is_null() || (self.inlen as usize) < n {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        unsafe { ffi::probe_read_bytes(self.inb, n) }
    }

    /// A BOOL/DWORD input value.
    fn input_u32(&self) -> WsResult<u32> {
        let b = self.input(4)?;
        Ok(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Whether the output buffer holds `n` bytes.
    fn fits(&self, n: usize) -> bool {
        !self.outb.is_null() && self.outlen as usize >= n
    }

    /// Write `data` to the output buffer (which must have been checked with [`fits`]) and
    /// report its length.
    fn output(&mut self, data: &[u8]) -> WsResult<Outcome> {
        if !self.fits(data.len()) {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
        unsafe { ffi::probe_write_bytes(self.outb, data) }?;
        self.count = Some(data.len() as u32);
        Ok(Outcome::Done)
    }
}

/// `int WSAIoctl(SOCKET, DWORD, LPVOID lpvInBuffer, DWORD, LPVOID lpvOutBuffer, DWORD,
/// LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub unsafe extern "C" fn WSAIoctl(
    s: SOCKET,
    code: u32,
    inb: *const u8,
    inlen: u32,
    outb: *mut u8,
    outlen: u32,
    returned: *mut u32,
    ov: *mut Overlapped,
    routine: Option<thread::WsaRoutine>,
) -> i32 {
    let _t =
        crate::trace_call!("WSAIoctl", s, code, inb, inlen, outb, outlen, returned, ov, routine);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        // Windows requires the count pointer even for an overlapped call.
        if returned.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        let mut call = Call {
            sock: &sock,
            inb,
            inlen,
            outb,
            outlen,
            ov: !ov.is_null(),
            count: None,
        };
        let r = dispatch(&mut call, s, code);
        let r = match r {
            Ok(Outcome::NotSupported) if !ov.is_null() => {
                complete_now(&sock, ov, routine, STATUS_NOT_SUPPORTED, 0)?;
                Err(WsaError::WSA_IO_PENDING)
            }
            Ok(Outcome::NotSupported) => {
                call.count = Some(0);
                Err(WsaError::WSAEOPNOTSUPP)
            }
            other => other,
        };
        if let Some(n) = call.count {
            // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
            unsafe { ffi::probe_write(returned, n) }?;
        }
        if let Outcome::Done = r? {
            if !ov.is_null() {
                // The count of the completion itself is 0, as on Windows.
                complete_now(&sock, ov, routine, status::STATUS_SUCCESS, 0)?;
            }
        }
        Ok(0)
    })
}

fn dispatch(c: &mut Call, s: SOCKET, code: u32) -> WsResult<Outcome> {
    match code {
        FIONBIO_U => {
            let arg = c.input_u32()?;
            calls::ioctl(c.sock, FIONBIO, arg)?;
            c.count = Some(0);
            Ok(Outcome::Done)
        }
        FIONREAD_U | SIOCATMARK_U => {
            if !c.fits(4) {
                return Err(WsaError::WSAEFAULT);
            }
            let v = calls::ioctl(c.sock, code as i32, 0)?;
            c.output(&v.to_ne_bytes())
        }
        SIO_KEEPALIVE_VALS => keepalive(c),
        SIO_BASE_HANDLE if c.ov => Ok(Outcome::NotSupported),
        SIO_BASE_HANDLE | SIO_BSP_HANDLE | SIO_BSP_HANDLE_SELECT | SIO_BSP_HANDLE_POLL => {
            // One provider, no layered ones: every handle is the socket itself.
            c.output(&(s as u64).to_ne_bytes())
        }
        SIO_GET_EXTENSION_FUNCTION_POINTER => {
            let b = c.input(16)?;
            let mut guid = [0u8; 16];
            guid.copy_from_slice(&b);
            let f = crate::ext::lookup(&guid).ok_or(WsaError::WSAEINVAL)?;
            c.output(&(f as u64).to_ne_bytes())
        }
        SIO_UDP_CONNRESET | SIO_UDP_NETRESET => {
            if c.sock.is_stream() {
                return Err(WsaError::WSAEINVAL);
            }
            let on = c.input_u32()? != 0;
            let mut st = c.sock.st.lock();
            if code == SIO_UDP_CONNRESET {
                st.udp_connreset = Some(on);
            } else {
                st.udp_netreset = Some(on);
            }
            drop(st);
            c.count = Some(0);
            Ok(Outcome::Done)
        }
        SIO_LOOPBACK_FAST_PATH => {
            if !c.sock.is_stream() || c.sock.family == abi::AF_UNIX {
                return Ok(Outcome::NotSupported);
            }
            // Accepted without effect: Linux loopback needs no fast path.
            c.input_u32()?;
            c.count = Some(0);
            Ok(Outcome::Done)
        }
        SIO_ROUTING_INTERFACE_QUERY => routing_query(c),
        SIO_ADDRESS_LIST_QUERY => address_list(c),
        SIO_GET_INTERFACE_LIST => interface_list(c),
        SIO_ADDRESS_LIST_CHANGE | SIO_ROUTING_INTERFACE_CHANGE => {
            // Change notifications are not provided: refused at once, even overlapped, so
            // no completion reports a change that never happened.
            c.count = Some(0);
            Err(WsaError::WSAEOPNOTSUPP)
        }
        _ => Ok(Outcome::NotSupported),
    }
}

const FIONBIO_U: u32 = FIONBIO as u32;
const FIONREAD_U: u32 = FIONREAD as u32;
const SIOCATMARK_U: u32 = SIOCATMARK as u32;

/// Milliseconds to whole seconds for Linux: rounded up, at least 1.
fn keepalive_secs(ms: u32) -> i32 {
    ms.div_ceil(1000).clamp(1, MAX_KEEPALIVE_SECS) as i32
}

fn set_int(sock: &Socket, level: i32, name: i32, v: i32) -> WsResult<()> {
    // SAFETY: a live i32 and its length.
    let r = unsafe {
        libc::setsockopt(
            sock.fd,
            level,
            name,
            &v as *const i32 as *const libc::c_void,
            4,
        )
    };
    if r != 0 {
        return Err(os_error());
    }
    Ok(())
}

/// `SIO_KEEPALIVE_VALS`: `struct tcp_keepalive { onoff, keepalivetime, keepaliveinterval }`.
fn keepalive(c: &mut Call) -> WsResult<Outcome> {
    // Windows reports 0 bytes when the call is not overlapped, even when it fails, and
    // leaves the count alone when it is.
    if !c.ov {
        c.count = Some(0);
    }
    let b = c.input(12)?;
    if !c.sock.is_stream() {
        return Err(WsaError::WSAEINVAL);
    }
    let word = |i: usize| u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let (on, time, interval) = (word(0), word(4), word(8));
    let sock = c.sock;
    set_int(sock, libc::SOL_SOCKET, libc::SO_KEEPALIVE, (on != 0) as i32)?;
    if on != 0 {
        set_int(
            sock,
            libc::IPPROTO_TCP,
            libc::TCP_KEEPIDLE,
            keepalive_secs(time),
        )?;
        set_int(
            sock,
            libc::IPPROTO_TCP,
            libc::TCP_KEEPINTVL,
            keepalive_secs(interval),
        )?;
    }
    Ok(Outcome::Done)
}

/// A Linux address in the Windows layout (Windows family value, Windows length).
fn win_bytes(a: &SockAddr) -> Vec<u8> {
    let mut buf = vec![0u8; a.win_len()];
    let mut len = buf.len() as i32;
    // SAFETY: `buf` holds `len` bytes; `len` is a live i32.
    let _ = unsafe { sockaddr::to_win(a, buf.as_mut_ptr(), &mut len) };
    buf
}

/// `SIO_ROUTING_INTERFACE_QUERY`: the local address the kernel would send from to reach the
/// destination, found by connecting a scratch UDP socket and asking for its name.
fn routing_query(c: &mut Call) -> WsResult<Outcome> {
    if c.inb.is_null() || (c.inlen as usize) < SOCKADDR_IN_LEN {
        return Err(WsaError::WSAEINVAL);
    }
    let n = (c.inlen as usize).min(SOCKADDR_IN6_LEN);
    // SAFETY: a caller pointer; the probe turns a bad address into WSAEFAULT.
    let raw = unsafe { ffi::probe_read_bytes(c.inb, n) }?;
    let fam = u16::from_ne_bytes([raw[0], raw[1]]) as i32;
    let lfam = match fam {
        abi::AF_INET => libc::AF_INET,
        abi::AF_INET6 if raw.len() >= SOCKADDR_IN6_LEN => libc::AF_INET6,
        abi::AF_INET6 => return Err(WsaError::WSAEINVAL),
        _ => return Err(WsaError::WSAEAFNOSUPPORT),
    };
    // SAFETY: `raw` holds `raw.len()` bytes.
    let mut dest = unsafe { sockaddr::from_win(raw.as_ptr(), raw.len() as i32) }?;
    let unspecified = match dest.to_std() {
        Some(a) => a.ip().is_unspecified(),
        None => true,
    };
    if unspecified {
        return Err(WsaError::WSAEINVAL);
    }
    if dest.port() == 0 {
        // The route does not depend on the port; connect wants one.
        let b = dest.as_mut_ptr() as *mut u8;
        // SAFETY: the port is bytes 2..4 of both sockaddr_in and sockaddr_in6.
        unsafe { std::ptr::copy_nonoverlapping(9u16.to_be_bytes().as_ptr(), b.add(2), 2) };
    }
    let local = local_route(lfam, &dest)?;
    let mut data = win_bytes(&local);
    data[2..4].fill(0);
    if !c.fits(data.len()) {
        if !c.outb.is_null() {
            c.count = Some(data.len() as u32);
        }
        return Err(WsaError::WSAEFAULT);
    }
    c.output(&data)
}

/// The source address for `dest`: connect a UDP socket of `lfam` (Linux family) and read
/// its name. Nothing is sent.
fn local_route(lfam: i32, dest: &SockAddr) -> WsResult<SockAddr> {
    // SAFETY: plain syscall.
    let fd = unsafe { libc::socket(lfam, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(os_error());
    }
    let mut local = SockAddr::default();
    // SAFETY: `dest` is a valid address of its stated length; `local` has room for any.
    let r = unsafe {
        if libc::connect(fd, dest.as_ptr(), dest.len) != 0
            || libc::getsockname(fd, local.as_mut_ptr(), &mut local.len) != 0
        {
            Err(os_error())
        } else {
            Ok(local)
        }
    };
    // SAFETY: our own fd, closed once.
    unsafe { libc::close(fd) };
    r
}

/// One interface address from `getifaddrs`.
struct IfAddr {
    flags: u32,
    addr: SockAddr,
    netmask: Option<SockAddr>,
    broadcast: Option<SockAddr>,
}

/// A copy of a `sockaddr` that `getifaddrs` gave for family `lfam`.
///
/// # Safety
/// `p` must be NULL or point to a sockaddr of family `lfam`.
unsafe fn copy_addr(p: *const libc::sockaddr, lfam: i32) -> Option<SockAddr> {
    if p.is_null() {
        return None;
    }
    let len = match lfam {
        libc::AF_INET => SOCKADDR_IN_LEN,
        _ => SOCKADDR_IN6_LEN,
    };
    let mut a = SockAddr::default();
    // SAFETY: a sockaddr of `lfam` holds at least `len` bytes.
    unsafe { std::ptr::copy_nonoverlapping(p as *const u8, a.as_mut_ptr() as *mut u8, len) };
    a.len = len as libc::socklen_t;
    a.storage.ss_family = lfam as libc::sa_family_t;
    Some(a)
}

/// The host's addresses of one Linux family, in `getifaddrs` order.
fn interface_addrs(lfam: i32) -> WsResult<Vec<IfAddr>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: `head` receives a list we free below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return Err(os_error());
    }
    let mut out = Vec::new();
    let mut p = head;
    while !p.is_null() {
        // SAFETY: a node of the list getifaddrs returned, live until freeifaddrs.
        let ifa = unsafe { &*p };
        p = ifa.ifa_next;
        // SAFETY: ifa_addr is NULL or a valid sockaddr.
        if ifa.ifa_addr.is_null() || i32::from(unsafe { (*ifa.ifa_addr).sa_family }) != lfam {
            continue;
        }
        let lf = ifa.ifa_flags;
        let mut flags = 0;
        for (l, w) in [
            (libc::IFF_UP, W_IFF_UP),
            (libc::IFF_BROADCAST, W_IFF_BROADCAST),
            (libc::IFF_LOOPBACK, W_IFF_LOOPBACK),
            (libc::IFF_POINTOPOINT, W_IFF_POINTTOPOINT),
            (libc::IFF_MULTICAST, W_IFF_MULTICAST),
        ] {
            if lf & l as u32 != 0 {
                flags |= w;
            }
        }
        // SAFETY: the three pointers are NULL or sockaddrs of the entry's family.
        let (addr, netmask, broadcast) = unsafe {
            (
                copy_addr(ifa.ifa_addr, lfam),
                copy_addr(ifa.ifa_netmask, lfam),
                if lf & libc::IFF_BROADCAST as u32 != 0 {
                    copy_addr(ifa.ifa_ifu, lfam)
                } else {
                    None
                },
            )
        };
        if let Some(addr) = addr {
            out.push(IfAddr {
                flags,
                addr,
                netmask,
                broadcast,
            });
        }
    }
    // SAFETY: the list from getifaddrs, freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(out)
}

/// The Linux family of a socket for the address queries.
fn linux_family(sock: &Socket) -> Option<i32> {
    match sock.family {
        abi::AF_INET => Some(libc::AF_INET),
        abi::AF_INET6 => Some(libc::AF_INET6),
        _ => None,
    }
}

/// `SIO_ADDRESS_LIST_QUERY`: `SOCKET_ADDRESS_LIST` of the host's addresses of the socket's
/// family (up interfaces, loopback excluded), the sockaddrs after the array in the same
/// buffer.
fn address_list(c: &mut Call) -> WsResult<Outcome> {
    let Some(lfam) = linux_family(c.sock) else {
        return Ok(Outcome::NotSupported);
    };
    let addrs: Vec<Vec<u8>> = interface_addrs(lfam)?
        .iter()
        .filter(|i| i.flags & W_IFF_UP != 0 && i.flags & W_IFF_LOOPBACK == 0)
        .map(|i| win_bytes(&i.addr))
        .collect();
    let table = ADDRESS_LIST_HEADER + addrs.len() * SOCKET_ADDRESS_LEN;
    let need = table + addrs.iter().map(|a| a.len()).sum::<usize>();
    if !c.outb.is_null() && c.outlen > 0 && (c.outlen as usize) < ADDRESS_LIST_HEADER {
        c.count = Some(0);
        return Err(WsaError::WSAEINVAL);
    }
    if !c.fits(need) {
        c.count = Some(need as u32);
        return Err(WsaError::WSAEFAULT);
    }
    let base = c.outb as usize;
    let mut data = vec![0u8; need];
    data[..4].copy_from_slice(&(addrs.len() as i32).to_ne_bytes());
    let mut at = table;
    for (k, a) in addrs.iter().enumerate() {
        let e = ADDRESS_LIST_HEADER + k * SOCKET_ADDRESS_LEN;
        data[e..e + 8].copy_from_slice(&((base + at) as u64).to_ne_bytes());
        data[e + 8..e + 12].copy_from_slice(&(a.len() as i32).to_ne_bytes());
        data[at..at + a.len()].copy_from_slice(a);
        at += a.len();
    }
    c.output(&data)
}

/// `SIO_GET_INTERFACE_LIST`: an `INTERFACE_INFO` array of the host's IPv4 interfaces.
fn interface_list(c: &mut Call) -> WsResult<Outcome> {
    let list = interface_addrs(libc::AF_INET)?;
    let need = list.len() * INTERFACE_INFO_LEN;
    if !c.fits(need) {
        c.count = Some(0);
        return Err(WsaError::WSAEFAULT);
    }
    let mut data = vec![0u8; need];
    for (k, i) in list.iter().enumerate() {
        let e = &mut data[k * INTERFACE_INFO_LEN..(k + 1) * INTERFACE_INFO_LEN];
        e[..4].copy_from_slice(&i.flags.to_ne_bytes());
        let slots = [Some(&i.addr), i.broadcast.as_ref(), i.netmask.as_ref()];
        for (n, a) in slots.iter().enumerate() {
            if let Some(a) = a {
                let b = win_bytes(a);
                let off = 4 + n * SOCKADDR_GEN_LEN;
                e[off..off + b.len()].copy_from_slice(&b);
            }
        }
    }
    c.output(&data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_windows_values() {
        assert_eq!(SIO_GET_EXTENSION_FUNCTION_POINTER, 0xC800_0006);
        assert_eq!(SIO_KEEPALIVE_VALS, 0x9800_0004);
        assert_eq!(SIO_UDP_CONNRESET, 0x9800_000C);
        assert_eq!(SIO_BASE_HANDLE, 0x4800_0022);
        assert_eq!(SIO_GET_INTERFACE_LIST, 0x4004_747F);
        assert_eq!(SIO_ADDRESS_LIST_QUERY, 0x4800_0016);
        assert_eq!(SIO_ROUTING_INTERFACE_QUERY, 0xC800_0014);
    }

    #[test]
    fn keepalive_rounds_up_to_seconds() {
        assert_eq!(keepalive_secs(0), 1);
        assert_eq!(keepalive_secs(1), 1);
        assert_eq!(keepalive_secs(1000), 1);
        assert_eq!(keepalive_secs(1001), 2);
        assert_eq!(keepalive_secs(u32::MAX), MAX_KEEPALIVE_SECS as i32);
    }

    #[test]
    fn loopback_is_listed_with_windows_flags() {
        let l = interface_addrs(libc::AF_INET).unwrap();
        let lo = l.iter().find(|i| i.flags & W_IFF_LOOPBACK != 0).unwrap();
        assert_ne!(lo.flags & W_IFF_UP, 0);
        assert_eq!(
            win_bytes(&lo.addr)[..2],
            (abi::AF_INET as u16).to_ne_bytes()
        );
    }
}
