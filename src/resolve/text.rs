//! Address text exports: `inet_addr`, `inet_ntoa`, `inet_pton`/`InetPtonW`,
//! `inet_ntop`/`InetNtopW`, `WSAStringToAddressA/W`, `WSAAddressToStringA/W`.
//!
//! Error conventions differ per function, as on Windows: `inet_addr` and `inet_pton` leave
//! the last error alone for text that is not an address (`InetPtonW` sets `WSAEINVAL`),
//! `inet_ntop` reports a bad buffer as `STATUS_INVALID_PARAMETER`, the `WSA` functions clear
//! the last error on success.

use super::parse::{self, V6};
use crate::abi::{AF_INET, AF_INET6};
use crate::error::{set_last_error, WsaError};
use crate::ffi::{self, WsResult};
use libc::{c_char, c_void};
use std::cell::RefCell;

/// What Windows' `inet_ntop` leaves in the last error for a NULL, empty or short buffer.
const STATUS_INVALID_PARAMETER: WsaError = WsaError(0xC000_000D);
const INADDR_NONE: u32 = 0xffff_ffff;

/// `struct in_addr` passed by value.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct InAddr {
    pub s_addr: u32,
}

impl crate::trace::Arg for InAddr {
    fn show(&self, out: &mut String) {
        out.push_str(&std::net::Ipv4Addr::from(u32::from_be(self.s_addr)).to_string());
    }
}

thread_local! {
    static NTOA: RefCell<[u8; 16]> = const { RefCell::new([0; 16]) };
}

/// A NUL-terminated UTF-16 string as bytes for the address parsers: ASCII is kept, any
/// other character becomes `?` (which no address contains).
///
/// # Safety
/// `p` must be NULL or a NUL-terminated array of `u16`.
unsafe fn narrow(p: *const u16) -> WsResult<Vec<u8>> {
    // SAFETY: forwarded contract.
    let s = unsafe { ffi::wstr(p) }?;
    Ok(s.chars()
        .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
        .collect())
}

/// `unsigned long inet_addr(const char *cp)`
///
/// # Safety
/// `cp` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn ws2_inet_addr(cp: *const c_char) -> u32 {
    let _t = crate::trace_call!("inet_addr", cp);
    ffi::win(INADDR_NONE, || {
        // SAFETY: NUL-terminated by the caller's contract; NULL is WSAEFAULT.
        let s = unsafe { ffi::cstr(cp) }?;
        Ok(parse::inet_addr(s).map_or(INADDR_NONE, u32::from_ne_bytes))
    })
}

/// `char *inet_ntoa(struct in_addr in)`: the text lives in per-thread storage until the
/// next call on the same thread.
#[no_mangle]
pub extern "C" fn ws2_inet_ntoa(addr: InAddr) -> *mut c_char {
    let _t = crate::trace_call!("inet_ntoa", addr);
    ffi::win(std::ptr::null_mut(), || {
        let text = parse::ipv4_text(addr.s_addr.to_ne_bytes());
        Ok(NTOA.with(|cell| {
            let mut buf = cell.borrow_mut();
            buf.fill(0);
            buf[..text.len()].copy_from_slice(text.as_bytes());
            cell.as_ptr() as *mut c_char
        }))
    })
}

/// Parse `s` into the caller's buffer `dst`: 1 when the whole string is an address of
/// `family`, 0 when not (the buffer may still have been written, as on Windows).
///
/// # Safety
/// `dst` must be valid for 4 (`AF_INET`) or 16 (`AF_INET6`) bytes.
unsafe fn pton(family: i32, s: &[u8], dst: *mut u8) -> WsResult<i32> {
    match family {
        AF_INET => {
            let (addr, end) = parse::ipv4(s, true);
            if let Some(a) = addr {
                // SAFETY: `dst` holds an in_addr.
                unsafe { std::ptr::copy_nonoverlapping(a.as_ptr(), dst, 4) };
            }
            Ok(i32::from(addr.is_some() && end == s.len()))
        }
        AF_INET6 => {
            // The parser writes as it goes; start from the caller's bytes so untouched
            // bytes stay as they were.
            // SAFETY: `dst` holds an in6_addr.
            let mut buf: [u8; 16] = unsafe { (dst as *const [u8; 16]).read_unaligned() };
            let r = parse::ipv6(s, &mut buf, false);
            // SAFETY: as above.
            unsafe { (dst as *mut [u8; 16]).write_unaligned(buf) };
            Ok(i32::from(matches!(r, V6::Ok { end, .. } if end == s.len())))
        }
        _ => Err(WsaError::WSAEAFNOSUPPORT),
    }
}

/// `INT inet_pton(INT Family, PCSTR pszAddrString, PVOID pAddrBuf)`
///
/// # Safety
/// `src` must be NULL or NUL-terminated; `dst` NULL or valid for the family's address.
#[no_mangle]
pub unsafe extern "C" fn ws2_inet_pton(family: i32, src: *const c_char, dst: *mut c_void) -> i32 {
    let _t = crate::trace_call!("inet_pton", family, src, dst);
    ffi::win(-1, || {
        // SAFETY: NUL-terminated by the caller's contract; NULL is WSAEFAULT.
        let s = unsafe { ffi::cstr(src) }?;
        if dst.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: `dst` is valid for the family's address by the caller's contract.
        unsafe { pton(family, s, dst as *mut u8) }
    })
}

/// `INT InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf)`
///
/// # Safety
/// As [`ws2_inet_pton`], with a UTF-16 string.
#[no_mangle]
pub unsafe extern "C" fn InetPtonW(family: i32, src: *const u16, dst: *mut c_void) -> i32 {
    let _t = crate::trace_call!("InetPtonW", family, src, dst);
    ffi::win(-1, || {
        // SAFETY: NUL-terminated by the caller's contract; NULL is WSAEFAULT.
        let s = unsafe { narrow(src) }?;
        if dst.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: `dst` is valid for the family's address by the caller's contract.
        let r = unsafe { pton(family, &s, dst as *mut u8) }?;
        if r == 0 {
            set_last_error(WsaError::WSAEINVAL.0);
        }
        Ok(r)
    })
}

/// Text of the address at `src` for `inet_ntop`.
///
/// # Safety
/// `src` must be NULL or valid for the family's address.
unsafe fn ntop_text(family: i32, src: *const u8) -> WsResult<String> {
    let size = match family {
        AF_INET => 4,
        AF_INET6 => 16,
        _ => return Err(WsaError::WSAEAFNOSUPPORT),
    };
    if src.is_null() {
        return Err(STATUS_INVALID_PARAMETER);
    }
    let mut a = [0u8; 16];
    // SAFETY: `src` holds `size` bytes by the caller's contract.
    unsafe { std::ptr::copy_nonoverlapping(src, a.as_mut_ptr(), size) };
    Ok(if family == AF_INET {
        parse::ipv4_text([a[0], a[1], a[2], a[3]])
    } else {
        parse::ipv6_text(&a, 0, 0)
    })
}

/// Shared body of `inet_ntop` / `InetNtopW`: the text, as bytes or UTF-16, into a buffer of
/// `size` units; a buffer that is NULL or too small is `STATUS_INVALID_PARAMETER`.
///
/// # Safety
/// `src` must be NULL or valid for the family's address; `dst` NULL or valid for `size` units.
unsafe fn ntop_into<C: ffi::TextUnit>(
    family: i32,
    src: *const c_void,
    dst: *mut C,
    size: usize,
) -> WsResult<*const C> {
    if dst.is_null() {
        return Err(STATUS_INVALID_PARAMETER);
    }
    // SAFETY: `src` is valid for the family's address by the caller's contract.
    let text = unsafe { ntop_text(family, src as *const u8) }?;
    // SAFETY: `dst` is valid for `size` units by the caller's contract.
    if !unsafe { ffi::put_text(dst, size, &text) } {
        return Err(STATUS_INVALID_PARAMETER);
    }
    Ok(dst as *const C)
}

/// `PCSTR inet_ntop(INT Family, const VOID *pAddr, PSTR pStringBuf, size_t StringBufSize)`
///
/// # Safety
/// `src` must be NULL or valid for the family's address; `dst` NULL or valid for `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn ws2_inet_ntop(
    family: i32,
    src: *const c_void,
    dst: *mut c_char,
    size: usize,
) -> *const c_char {
    let _t = crate::trace_call!("inet_ntop", family, src, dst, size);
    // SAFETY: forwarded contract.
    ffi::win(std::ptr::null(), || {
        unsafe { ntop_into(family, src, dst as *mut u8, size) }.map(|p| p as *const c_char)
    })
}

/// `PCWSTR InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize)`
/// (`StringBufSize` in characters)
///
/// # Safety
/// `src` must be NULL or valid for the family's address; `dst` NULL or valid for `size` units.
#[no_mangle]
pub unsafe extern "C" fn InetNtopW(
    family: i32,
    src: *const c_void,
    dst: *mut u16,
    size: usize,
) -> *const u16 {
    let _t = crate::trace_call!("InetNtopW", family, src, dst, size);
    // SAFETY: forwarded contract.
    ffi::win(std::ptr::null(), || unsafe {
        ntop_into(family, src, dst, size)
    })
}

/// Shared body of `WSAStringToAddressA/W`: the caller's sockaddr is zeroed, then filled as
/// Windows fills it (a partly parsed address stays behind on failure, with family 0).
///
/// # Safety
/// `addr` must be valid for `*lenp` bytes; `lenp` valid for read and write.
unsafe fn string_to_address(s: &[u8], family: i32, addr: *mut u8, lenp: *mut i32) -> WsResult<i32> {
    // SAFETY: both checked non-NULL by the callers; valid by contract.
    let cap = unsafe { *lenp };
    let need: usize = match family {
        AF_INET => 16,
        AF_INET6 => 28,
        _ => return Err(WsaError::WSAEINVAL),
    };
    if cap < 0 || (cap as usize) < need {
        // SAFETY: as above.
        unsafe { *lenp = need as i32 };
        return Err(WsaError::WSAEFAULT);
    }
    let mut sa = [0u8; 28];
    let ok = if family == AF_INET {
        let (a, port) = parse::ipv4_with_port(s);
        if let Some(a) = a {
            sa[4..8].copy_from_slice(&a);
        }
        port.map(|p| {
            sa[0..2].copy_from_slice(&(AF_INET as u16).to_ne_bytes());
            sa[2..4].copy_from_slice(&p.to_be_bytes());
        })
    } else {
        let mut a = [0u8; 16];
        let r = parse::ipv6(s, &mut a, true);
        sa[8..24].copy_from_slice(&a);
        match r {
            V6::Ok { scope, port, .. } => {
                sa[0..2].copy_from_slice(&(AF_INET6 as u16).to_ne_bytes());
                sa[2..4].copy_from_slice(&port.to_be_bytes());
                sa[24..28].copy_from_slice(&scope.to_ne_bytes());
                Some(())
            }
            V6::Bad { .. } => None,
        }
    };
    // SAFETY: `addr` holds `cap` >= `need` bytes.
    unsafe { std::ptr::copy_nonoverlapping(sa.as_ptr(), addr, need) };
    ok.ok_or(WsaError::WSAEINVAL)?;
    // SAFETY: as above.
    unsafe { *lenp = need as i32 };
    Ok(0)
}

/// Argument order of `WSAStringToAddressA/W`: the output pointers first (`WSAEFAULT`), then
/// the string (`WSAEINVAL`).
fn string_args(text_is_null: bool, addr: *mut u8, lenp: *mut i32) -> WsResult<()> {
    if addr.is_null() || lenp.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    if text_is_null {
        return Err(WsaError::WSAEINVAL);
    }
    Ok(())
}

/// `INT WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
/// LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSOCKADDR lpAddress, LPINT lpAddressLength)`
///
/// # Safety
/// `s` NULL or NUL-terminated; `addr` valid for `*lenp` bytes; `lenp` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn WSAStringToAddressA(
    s: *const c_char,
    family: i32,
    _protocol_info: *const c_void,
    addr: *mut u8,
    lenp: *mut i32,
) -> i32 {
    let _t = crate::trace_call!("WSAStringToAddressA", s, family, _protocol_info, addr, lenp);
    ffi::ws(-1, || {
        string_args(s.is_null(), addr, lenp)?;
        // SAFETY: non-NULL and NUL-terminated by the caller's contract.
        let text = unsafe { ffi::cstr(s) }?;
        // SAFETY: pointers checked above, sizes by the caller's contract.
        unsafe { string_to_address(text, family, addr, lenp) }
    })
}

/// `INT WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily,
/// LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress, LPINT lpAddressLength)`
///
/// # Safety
/// As [`WSAStringToAddressA`], with a UTF-16 string.
#[no_mangle]
pub unsafe extern "C" fn WSAStringToAddressW(
    s: *const u16,
    family: i32,
    _protocol_info: *const c_void,
    addr: *mut u8,
    lenp: *mut i32,
) -> i32 {
    let _t = crate::trace_call!("WSAStringToAddressW", s, family, _protocol_info, addr, lenp);
    ffi::ws(-1, || {
        string_args(s.is_null(), addr, lenp)?;
        // SAFETY: non-NULL and NUL-terminated by the caller's contract.
        let text = unsafe { narrow(s) }?;
        // SAFETY: pointers checked above, sizes by the caller's contract.
        unsafe { string_to_address(&text, family, addr, lenp) }
    })
}

/// Text of a Windows sockaddr as `WSAAddressToString` writes it: `a.b.c.d[:port]`,
/// `addr[%scope]` or `[addr[%scope]]:port`.
///
/// # Safety
/// `addr` must be NULL or valid for `len` bytes.
unsafe fn address_text(addr: *const u8, len: u32) -> WsResult<String> {
    let len = i32::try_from(len).unwrap_or(i32::MAX);
    if len < 2 {
        return Err(WsaError::WSAEFAULT);
    }
    // SAFETY: valid for `len` bytes by the caller's contract (NULL is WSAEFAULT).
    let b = unsafe { ffi::bytes(addr, len.min(28)) }?;
    let family = i32::from(u16::from_ne_bytes([b[0], b[1]]));
    let port = u16::from_be_bytes([
        b.get(2).copied().unwrap_or(0),
        b.get(3).copied().unwrap_or(0),
    ]);
    match family {
        AF_INET if b.len() >= 16 => {
            let ip = parse::ipv4_text([b[4], b[5], b[6], b[7]]);
            Ok(if port != 0 {
                format!("{ip}:{port}")
            } else {
                ip
            })
        }
        AF_INET6 if b.len() >= 24 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(&b[8..24]);
            let scope = if b.len() >= 28 {
                u32::from_ne_bytes([b[24], b[25], b[26], b[27]])
            } else {
                0
            };
            Ok(parse::ipv6_text(&a, scope, port))
        }
        AF_INET | AF_INET6 => Err(WsaError::WSAEFAULT),
        _ => Err(WsaError::WSAEINVAL),
    }
}

/// `INT WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
/// LPWSAPROTOCOL_INFOA lpProtocolInfo, LPSTR lpszAddressString, LPDWORD lpdwAddressStringLength)`
///
/// A buffer too small (or NULL) fails with `WSAEFAULT` and the length needed, NUL included.
///
/// # Safety
/// `addr` valid for `len` bytes; `out` NULL or valid for `*lenp` bytes; `lenp` NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn WSAAddressToStringA(
    addr: *const u8,
    len: u32,
    _protocol_info: *const c_void,
    out: *mut c_char,
    lenp: *mut u32,
) -> i32 {
    let _t = crate::trace_call!("WSAAddressToStringA", addr, len, _protocol_info, out, lenp);
    ffi::ws(-1, || {
        // SAFETY: NULL is WSAEFAULT; otherwise valid by the caller's contract.
        let lenp = unsafe { ffi::out(lenp) }?;
        // SAFETY: valid for `len` bytes by the caller's contract.
        let text = unsafe { address_text(addr, len) }?;
        let need = text.len() + 1;
        if (*lenp as usize) < need || out.is_null() {
            *lenp = need as u32;
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: `out` holds `*lenp` >= need bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), out as *mut u8, text.len());
            *out.add(text.len()) = 0;
        }
        *lenp = need as u32;
        Ok(0)
    })
}

/// `INT WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
/// LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength)`
/// (lengths in characters)
///
/// # Safety
/// As [`WSAAddressToStringA`], with a UTF-16 buffer.
#[no_mangle]
pub unsafe extern "C" fn WSAAddressToStringW(
    addr: *const u8,
    len: u32,
    _protocol_info: *const c_void,
    out: *mut u16,
    lenp: *mut u32,
) -> i32 {
    let _t = crate::trace_call!("WSAAddressToStringW", addr, len, _protocol_info, out, lenp);
    ffi::ws(-1, || {
        // SAFETY: NULL is WSAEFAULT; otherwise valid by the caller's contract.
        let lenp = unsafe { ffi::out(lenp) }?;
        // SAFETY: valid for `len` bytes by the caller's contract.
        let text = unsafe { address_text(addr, len) }?;
        let wide = ffi::to_wide(&text);
        if (*lenp as usize) < wide.len() || out.is_null() {
            *lenp = wide.len() as u32;
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: `out` holds `*lenp` >= wide.len() units.
        unsafe { std::ptr::copy_nonoverlapping(wide.as_ptr(), out, wide.len()) };
        *lenp = wide.len() as u32;
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_text_forms() {
        let mut v4 = [0u8; 16];
        v4[0] = 2;
        v4[2..4].copy_from_slice(&80u16.to_be_bytes());
        v4[4..8].copy_from_slice(&[1, 2, 3, 4]);
        // SAFETY: the buffers are the sizes passed.
        unsafe {
            assert_eq!(address_text(v4.as_ptr(), 16).unwrap(), "1.2.3.4:80");
            assert_eq!(address_text(v4.as_ptr(), 15), Err(WsaError::WSAEFAULT));
        }
        let mut v6 = [0u8; 28];
        v6[0] = 23;
        v6[23] = 1;
        v6[24] = 7;
        // SAFETY: as above.
        unsafe {
            assert_eq!(address_text(v6.as_ptr(), 28).unwrap(), "::1%7");
        }
        v6[0] = 99;
        // SAFETY: as above.
        unsafe {
            assert_eq!(address_text(v6.as_ptr(), 28), Err(WsaError::WSAEINVAL));
        }
    }

    #[test]
    fn string_to_address_reports_needed_length() {
        let mut sa = [0xabu8; 28];
        let mut len = 8;
        // SAFETY: `sa` holds 28 bytes; `len` is a valid pointer.
        unsafe {
            assert_eq!(
                string_to_address(b"1.2.3.4", AF_INET, sa.as_mut_ptr(), &mut len),
                Err(WsaError::WSAEFAULT)
            );
            assert_eq!(len, 16);
            assert_eq!(
                string_to_address(b"1.2.3.4:5", AF_INET, sa.as_mut_ptr(), &mut len),
                Ok(0)
            );
            assert_eq!(&sa[..8], &[2, 0, 0, 5, 1, 2, 3, 4]);
            len = 28;
            assert_eq!(
                string_to_address(b"[::1]:5", AF_INET6, sa.as_mut_ptr(), &mut len),
                Ok(0)
            );
            assert_eq!((sa[0], sa[3], sa[23], len), (23, 5, 1, 28));
        }
    }
}
