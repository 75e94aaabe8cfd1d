//! Socket addresses between the Windows layout (`AF_INET6` = 23) and Linux (10).
//! `sockaddr_in`, `sockaddr_in6` and `sockaddr_un` have the same byte layout on both
//! systems; only the family value and the length rules differ.

use super::{af_from_linux, AF_INET, AF_INET6, AF_UNIX};
use crate::error::WsaError;
use crate::ffi::WsResult;
use std::mem::size_of;

pub const SOCKADDR_IN_LEN: usize = 16;
pub const SOCKADDR_IN6_LEN: usize = 28;
pub const SOCKADDR_STORAGE_LEN: usize = 128;

/// A Linux socket address ready for a syscall.
#[derive(Clone, Copy)]
pub struct SockAddr {
    pub storage: libc::sockaddr_storage,
    pub len: libc::socklen_t,
}

impl Default for SockAddr {
    fn default() -> Self {
        SockAddr {
            // SAFETY: sockaddr_storage is plain bytes; all-zero is a valid (unspecified) address.
            storage: unsafe { std::mem::zeroed() },
            len: size_of::<libc::sockaddr_storage>() as libc::socklen_t,
        }
    }
}

impl SockAddr {
    pub fn as_ptr(&self) -> *const libc::sockaddr {
        &self.storage as *const _ as *const libc::sockaddr
    }
    pub fn as_mut_ptr(&mut self) -> *mut libc::sockaddr {
        &mut self.storage as *mut _ as *mut libc::sockaddr
    }
    /// Linux family of this address.
    pub fn family(&self) -> i32 {
        self.storage.ss_family as i32
    }
    /// Windows family of this address.
    pub fn win_family(&self) -> i32 {
        af_from_linux(self.family())
    }
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: storage is 128 initialised bytes; len never exceeds it.
        unsafe { std::slice::from_raw_parts(self.as_ptr() as *const u8, self.len as usize) }
    }
    /// The Windows size of this address (what `getsockname` reports).
    pub fn win_len(&self) -> usize {
        match self.family() {
            libc::AF_INET => SOCKADDR_IN_LEN,
            libc::AF_INET6 => SOCKADDR_IN6_LEN,
            _ => self.len as usize,
        }
    }
    pub fn port(&self) -> u16 {
        let b = self.bytes();
        if b.len() >= 4 && matches!(self.family(), libc::AF_INET | libc::AF_INET6) {
            u16::from_be_bytes([b[2], b[3]])
        } else {
            0
        }
    }

    /// Set the port of an IPv4 or IPv6 address.
    pub fn set_port(&mut self, port: u16) {
        if matches!(self.family(), libc::AF_INET | libc::AF_INET6) {
            let b = port.to_be_bytes();
            // SAFETY: sin_port and sin6_port are bytes 2..4 of the storage in both families.
            unsafe {
                let p = (&mut self.storage as *mut libc::sockaddr_storage as *mut u8).add(2);
                p.write(b[0]);
                p.add(1).write(b[1]);
            }
        }
    }

    pub fn from_std(addr: &std::net::SocketAddr) -> SockAddr {
        let mut a = SockAddr::default();
        match addr {
            std::net::SocketAddr::V4(v4) => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: v4.port().to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_ne_bytes(v4.ip().octets()),
                    },
                    sin_zero: [0; 8],
                };
                // SAFETY: sockaddr_in fits in sockaddr_storage.
                unsafe { std::ptr::write(a.as_mut_ptr() as *mut libc::sockaddr_in, sin) };
                a.len = SOCKADDR_IN_LEN as libc::socklen_t;
            }
            std::net::SocketAddr::V6(v6) => {
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: v6.port().to_be(),
                    sin6_flowinfo: v6.flowinfo().to_be(),
                    sin6_addr: libc::in6_addr {
                        s6_addr: v6.ip().octets(),
                    },
                    sin6_scope_id: v6.scope_id(),
                };
                // SAFETY: sockaddr_in6 fits in sockaddr_storage.
                unsafe { std::ptr::write(a.as_mut_ptr() as *mut libc::sockaddr_in6, sin6) };
                a.len = SOCKADDR_IN6_LEN as libc::socklen_t;
            }
        }
        a
    }

    pub fn to_std(&self) -> Option<std::net::SocketAddr> {
        let b = self.bytes();
        match self.family() {
            libc::AF_INET if b.len() >= SOCKADDR_IN_LEN => {
                let ip = std::net::Ipv4Addr::new(b[4], b[5], b[6], b[7]);
                Some(std::net::SocketAddr::from((ip, self.port())))
            }
            libc::AF_INET6 if b.len() >= 24 => {
                let mut o = [0u8; 16];
                o.copy_from_slice(&b[8..24]);
                let flow = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
                let scope = if b.len() >= SOCKADDR_IN6_LEN {
                    u32::from_ne_bytes([b[24], b[25], b[26], b[27]])
                } else {
                    0
                };
                Some(std::net::SocketAddr::V6(std::net::SocketAddrV6::new(
                    o.into(),
                    self.port(),
                    flow,
                    scope,
                )))
            }
            _ => None,
        }
    }
}

/// Read a Windows `sockaddr` of `len` bytes into a Linux address.
/// Too short for its family: `WSAEFAULT`; an unknown family: `WSAEAFNOSUPPORT`.
///
/// # Safety
/// `p` must be NULL or valid for `len` bytes.
pub unsafe fn from_win(p: *const u8, len: i32) -> WsResult<SockAddr> {
    if p.is_null() || len < 2 {
        return Err(WsaError::WSAEFAULT);
    }
    let len = len as usize;
    // SAFETY: at least 2 readable bytes by the caller's contract.
    let fam = unsafe { (p as *const u16).read_unaligned() } as i32;
    let (linux_fam, min, max) = match fam {
        AF_INET => (libc::AF_INET, SOCKADDR_IN_LEN, SOCKADDR_IN_LEN),
        AF_INET6 => (libc::AF_INET6, SOCKADDR_IN6_LEN, SOCKADDR_IN6_LEN),
        AF_UNIX => (libc::AF_UNIX, 2, size_of::<libc::sockaddr_un>()),
        _ => {
            if len < SOCKADDR_IN_LEN {
                return Err(WsaError::WSAEFAULT);
            }
            return Err(WsaError::WSAEAFNOSUPPORT);
        }
    };
    if len < min {
        return Err(WsaError::WSAEFAULT);
    }
    let n = len.min(max);
    let mut a = SockAddr::default();
    // SAFETY: `n` bytes are readable from `p` and fit in the 128-byte storage.
    unsafe { std::ptr::copy_nonoverlapping(p, a.as_mut_ptr() as *mut u8, n) };
    a.storage.ss_family = linux_fam as libc::sa_family_t;
    a.len = if linux_fam == libc::AF_INET6 {
        SOCKADDR_IN6_LEN
    } else {
        n
    } as libc::socklen_t;
    Ok(a)
}

/// Write a Linux address into a caller's Windows `sockaddr` buffer. `*lenp` in is the
/// buffer size, out the address size; a buffer too small is `WSAEFAULT`, as on Windows.
///
/// # Safety
/// `p` must be valid for `*lenp` bytes, `lenp` valid for read and write, when non-NULL.
pub unsafe fn to_win(a: &SockAddr, p: *mut u8, lenp: *mut i32) -> WsResult<()> {
    if p.is_null() || lenp.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    // SAFETY: non-NULL, valid by the caller's contract.
    let cap = unsafe { *lenp };
    let need = a.win_len();
    if cap < 0 || (cap as usize) < need {
        return Err(WsaError::WSAEFAULT);
    }
    write_win(a, p, need);
    // SAFETY: as above.
    unsafe { *lenp = need as i32 };
    Ok(())
}

/// Copy `need` bytes of `a` to `p` with the family rewritten to the Windows value.
fn write_win(a: &SockAddr, p: *mut u8, need: usize) {
    let mut tmp = [0u8; SOCKADDR_STORAGE_LEN];
    let src = a.bytes();
    let n = src.len().min(need);
    tmp[..n].copy_from_slice(&src[..n]);
    tmp[..2].copy_from_slice(&(a.win_family() as u16).to_ne_bytes());
    // SAFETY: the caller checked that `p` holds at least `need` bytes; `need` <= 128.
    unsafe { std::ptr::copy_nonoverlapping(tmp.as_ptr(), p, need) };
}

/// Like [`to_win`] but for optional out-parameters (`accept`, `recvfrom`): both NULL means
/// the caller does not want the address.
///
/// # Safety
/// As [`to_win`].
pub unsafe fn to_win_opt(a: &SockAddr, p: *mut u8, lenp: *mut i32) -> WsResult<()> {
    if p.is_null() && lenp.is_null() {
        return Ok(());
    }
    // SAFETY: forwarded contract.
    unsafe { to_win(a, p, lenp) }
}

// SAFETY (whole test module): every pointer passed is a local array with the stated length.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_family_is_rewritten_both_ways() {
        let mut win = [0u8; 28];
        win[..2].copy_from_slice(&23u16.to_ne_bytes());
        win[2..4].copy_from_slice(&8080u16.to_be_bytes());
        win[23] = 1; // ::1
        let a = unsafe { from_win(win.as_ptr(), 28) }.unwrap();
        assert_eq!(a.family(), libc::AF_INET6);
        assert_eq!(a.port(), 8080);
        assert_eq!(a.to_std().unwrap().to_string(), "[::1]:8080");
        let mut out = [0xffu8; 28];
        let mut len = 28i32;
        unsafe { to_win(&a, out.as_mut_ptr(), &mut len) }.unwrap();
        assert_eq!(len, 28);
        assert_eq!(out, win);
    }

    #[test]
    fn length_rules() {
        let mut win = [0u8; 16];
        win[0] = 2;
        assert_eq!(
            unsafe { from_win(win.as_ptr(), 15) }.err(),
            Some(WsaError::WSAEFAULT)
        );
        assert!(unsafe { from_win(win.as_ptr(), 16) }.is_ok());
        win[0] = 99;
        assert_eq!(
            unsafe { from_win(win.as_ptr(), 16) }.err(),
            Some(WsaError::WSAEAFNOSUPPORT)
        );
        let a = SockAddr::from_std(&"127.0.0.1:1".parse().unwrap());
        let mut out = [0u8; 16];
        let mut len = 15;
        assert_eq!(
            unsafe { to_win(&a, out.as_mut_ptr(), &mut len) }.err(),
            Some(WsaError::WSAEFAULT)
        );
    }
}
