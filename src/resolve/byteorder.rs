//! Byte order: `htons`/`htonl`/`ntohs`/`ntohl` (exported with the `ws2_` prefix, glibc has
//! its own) and the socket-bound `WSAHtons`/`WSAHtonl`/`WSANtohs`/`WSANtohl`, which check
//! the socket and the output pointer as Windows does.

use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{self, Object};
use crate::startup;

/// `u_short htons(u_short hostshort)`
#[no_mangle]
pub extern "C" fn ws2_htons(v: u16) -> u16 {
    let _t = crate::trace_call!("htons", v);
    crate::trace::ret(|| v.to_be())
}

/// `u_long htonl(u_long hostlong)`
#[no_mangle]
pub extern "C" fn ws2_htonl(v: u32) -> u32 {
    let _t = crate::trace_call!("htonl", v);
    crate::trace::ret(|| v.to_be())
}

/// `u_short ntohs(u_short netshort)`
#[no_mangle]
pub extern "C" fn ws2_ntohs(v: u16) -> u16 {
    let _t = crate::trace_call!("ntohs", v);
    crate::trace::ret(|| u16::from_be(v))
}

/// `u_long ntohl(u_long netlong)`
#[no_mangle]
pub extern "C" fn ws2_ntohl(v: u32) -> u32 {
    let _t = crate::trace_call!("ntohl", v);
    crate::trace::ret(|| u32::from_be(v))
}

/// The checks the `WSA` byte-order calls make before converting: Winsock started, `s` a
/// socket, the output pointer not NULL.
fn check(s: usize, out_is_null: bool) -> WsResult<()> {
    startup::require()?;
    if !matches!(handle::table().get(s), Some(Object::Socket(_))) {
        return Err(WsaError::WSAENOTSOCK);
    }
    if out_is_null {
        return Err(WsaError::WSAEFAULT);
    }
    Ok(())
}

/// `int WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort)`
///
/// # Safety
/// `out` must be NULL or valid for a write of `u16`.
#[no_mangle]
pub unsafe extern "C" fn WSAHtons(s: usize, v: u16, out: *mut u16) -> i32 {
    let _t = crate::trace_call!("WSAHtons", s, v, out);
    ffi::ws(-1, || {
        check(s, out.is_null())?;
        // SAFETY: non-NULL (checked) and writable by the caller's contract.
        *unsafe { ffi::out(out) }? = v.to_be();
        Ok(0)
    })
}

/// `int WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong)`
///
/// # Safety
/// `out` must be NULL or valid for a write of `u32`.
#[no_mangle]
pub unsafe extern "C" fn WSAHtonl(s: usize, v: u32, out: *mut u32) -> i32 {
    let _t = crate::trace_call!("WSAHtonl", s, v, out);
    ffi::ws(-1, || {
        check(s, out.is_null())?;
        // SAFETY: non-NULL (checked) and writable by the caller's contract.
        *unsafe { ffi::out(out) }? = v.to_be();
        Ok(0)
    })
}

/// `int WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort)`
///
/// # Safety
/// `out` must be NULL or valid for a write of `u16`.
#[no_mangle]
pub unsafe extern "C" fn WSANtohs(s: usize, v: u16, out: *mut u16) -> i32 {
    let _t = crate::trace_call!("WSANtohs", s, v, out);
    ffi::ws(-1, || {
        check(s, out.is_null())?;
        // SAFETY: non-NULL (checked) and writable by the caller's contract.
        *unsafe { ffi::out(out) }? = u16::from_be(v);
        Ok(0)
    })
}

/// `int WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong)`
///
/// # Safety
/// `out` must be NULL or valid for a write of `u32`.
#[no_mangle]
pub unsafe extern "C" fn WSANtohl(s: usize, v: u32, out: *mut u32) -> i32 {
    let _t = crate::trace_call!("WSANtohl", s, v, out);
    ffi::ws(-1, || {
        check(s, out.is_null())?;
        // SAFETY: non-NULL (checked) and writable by the caller's contract.
        *unsafe { ffi::out(out) }? = u32::from_be(v);
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps() {
        assert_eq!(ws2_htons(0x1234), 0x3412);
        assert_eq!(ws2_ntohs(0x3412), 0x1234);
        assert_eq!(ws2_htonl(0x01020304), 0x04030201);
        assert_eq!(ws2_ntohl(0x04030201), 0x01020304);
    }
}
