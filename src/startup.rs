//! `WSAStartup` / `WSACleanup`: version negotiation, the `WSADATA` Windows fills in, and the
//! process-wide reference count every other call checks.

use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// Win64 `WSADATA`: the pointer comes before the strings on 64-bit Windows.
#[repr(C)]
pub struct WSADATA {
    pub w_version: u16,
    pub w_high_version: u16,
    pub i_max_sockets: u16,
    pub i_max_udp_dg: u16,
    pub lp_vendor_info: *mut std::ffi::c_char,
    pub sz_description: [u8; 257],
    pub sz_system_status: [u8; 129],
}

const _: () = assert!(std::mem::size_of::<WSADATA>() == 408);

static REFS: AtomicU32 = AtomicU32::new(0);
/// Serialises startup and cleanup against each other.
static LOCK: Mutex<()> = Mutex::new(());

/// `WSANOTINITIALISED` unless `WSAStartup` has succeeded more often than `WSACleanup`.
pub fn require() -> WsResult<()> {
    if REFS.load(Ordering::Acquire) == 0 {
        Err(WsaError::WSANOTINITIALISED)
    } else {
        Ok(())
    }
}

/// The version Windows grants for a request, or `None` when it refuses it.
fn negotiate(requested: u16) -> (u16, bool) {
    let (major, minor) = (requested & 0xff, requested >> 8);
    match major {
        0 => (0x0202, false),
        1 => (if minor == 0 { 0x0001 } else { 0x0101 }, true),
        2 => (if minor >= 2 { 0x0202 } else { requested }, true),
        _ => (0x0202, true),
    }
}

fn fill(data: &mut WSADATA, version: u16) {
    data.w_version = version;
    data.w_high_version = 0x0202;
    let old = version & 0xff < 2;
    data.i_max_sockets = if old { 32767 } else { 0 };
    data.i_max_udp_dg = if old { 65467 } else { 0 };
    // Windows leaves lpVendorInfo as the caller had it.
    data.sz_description = [0; 257];
    data.sz_system_status = [0; 129];
    let d = b"WinSock 2.0";
    data.sz_description[..d.len()].copy_from_slice(d);
    let s = b"Running";
    data.sz_system_status[..s.len()].copy_from_slice(s);
}

/// `int WSAStartup(WORD, LPWSADATA)`: returns the error code, does not set the last error.
///
/// # Safety
/// `data` must be NULL or point to a writable `WSADATA`.
#[no_mangle]
pub unsafe extern "C" fn WSAStartup(requested: u16, data: *mut WSADATA) -> i32 {
    let _t = crate::trace_call!("WSAStartup", requested, data);
    ffi::code(false, || {
        let (version, supported) = negotiate(requested);
        // SAFETY: NULL or a writable WSADATA by the caller's contract.
        let mut data = unsafe { data.as_mut() };
        if let Some(d) = data.as_deref_mut() {
            fill(d, version);
        }
        if !supported {
            return Err(WsaError::WSAVERNOTSUPPORTED);
        }
        if data.is_none() {
            return Err(WsaError::WSAEFAULT);
        }
        let _g = LOCK.lock();
        // Overlapped I/O runs on io_uring: without it Winsock is not ready.
        crate::engine::start()?;
        REFS.fetch_add(1, Ordering::AcqRel);
        Ok(())
    })
}

/// `int WSACleanup(void)`: the last matching call closes every socket still open.
#[no_mangle]
pub extern "C" fn WSACleanup() -> i32 {
    let _t = crate::trace_call!("WSACleanup");
    ffi::ws(-1, || {
        let _g = LOCK.lock();
        let n = REFS.load(Ordering::Acquire);
        if n == 0 {
            return Err(WsaError::WSANOTINITIALISED);
        }
        if n == 1 {
            crate::socket::close_all();
        }
        REFS.store(n - 1, Ordering::Release);
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_table() {
        assert_eq!(negotiate(0x0000), (0x0202, false));
        assert_eq!(negotiate(0x0100), (0x0202, false));
        assert_eq!(negotiate(0x0001), (0x0001, true));
        assert_eq!(negotiate(0x0101), (0x0101, true));
        assert_eq!(negotiate(0x0201), (0x0101, true));
        assert_eq!(negotiate(0xff01), (0x0101, true));
        assert_eq!(negotiate(0x0002), (0x0002, true));
        assert_eq!(negotiate(0x0102), (0x0102, true));
        assert_eq!(negotiate(0x0202), (0x0202, true));
        assert_eq!(negotiate(0x0302), (0x0202, true));
        assert_eq!(negotiate(0x0003), (0x0202, true));
        assert_eq!(negotiate(0x00ff), (0x0202, true));
    }
}
