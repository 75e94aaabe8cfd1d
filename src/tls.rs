//! Thread-local storage slots: `TlsAlloc`, `TlsGetValue`, `TlsSetValue`, `TlsFree`.
//!
//! There are `TLS_MINIMUM_AVAILABLE` (64) + 1024 = 1088 indexes per process, as on Windows.
//! Each index has a generation that moves on every `TlsAlloc`; a thread's value is kept with
//! the generation it was stored under, so a newly allocated index reads as 0 in every thread
//! without visiting the threads.

use crate::error::{set_last_error, WsaError};
use crate::ffi;
use parking_lot::Mutex;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};

/// Every index Windows provides: `TLS_MINIMUM_AVAILABLE` plus the 1024 expansion slots.
pub const TLS_SLOTS: usize = 64 + 1024;
/// `TLS_OUT_OF_INDEXES`
pub const TLS_OUT_OF_INDEXES: u32 = 0xFFFF_FFFF;

/// Per index: its generation; odd while allocated.
static GEN: [AtomicU32; TLS_SLOTS] = [const { AtomicU32::new(0) }; TLS_SLOTS];
/// Serialises allocation and freeing.
static ALLOC: Mutex<()> = Mutex::new(());

thread_local! {
    /// (generation, value) per index, grown on the first store.
    static VALUES: RefCell<Vec<(u32, usize)>> = const { RefCell::new(Vec::new()) };
}

fn allocated(i: u32) -> Option<(usize, u32)> {
    let i = i as usize;
    let g = GEN.get(i)?.load(Ordering::Acquire);
    (g & 1 == 1).then_some((i, g))
}

/// `DWORD TlsAlloc(void)`: the lowest free index, `TLS_OUT_OF_INDEXES` with
/// `ERROR_NO_MORE_ITEMS` when all are taken. Its value is 0 in every thread.
#[no_mangle]
pub extern "C" fn TlsAlloc() -> u32 {
    let _t = crate::trace_call!("TlsAlloc");
    ffi::win(TLS_OUT_OF_INDEXES, || {
        let _g = ALLOC.lock();
        let i = GEN
            .iter()
            .position(|g| g.load(Ordering::Relaxed) & 1 == 0)
            .ok_or(WsaError::ERROR_NO_MORE_ITEMS)?;
        GEN[i].fetch_add(1, Ordering::Release);
        Ok(i as u32)
    })
}

/// `BOOL TlsFree(DWORD)`: `ERROR_INVALID_PARAMETER` for an index that is not allocated.
#[no_mangle]
pub extern "C" fn TlsFree(i: u32) -> i32 {
    let _t = crate::trace_call!("TlsFree", i);
    ffi::win(0, || {
        let _g = ALLOC.lock();
        let (i, _) = allocated(i).ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
        GEN[i].fetch_add(1, Ordering::Release);
        Ok(1)
    })
}

/// `LPVOID TlsGetValue(DWORD)`: the calling thread's value; the last error is set to
/// `ERROR_SUCCESS` on success (so a stored 0 can be told from a failure), to
/// `ERROR_INVALID_PARAMETER` for an index out of range.
#[no_mangle]
pub extern "C" fn TlsGetValue(i: u32) -> usize {
    let _t = crate::trace_call!("TlsGetValue", i);
    crate::trace::ret(|| {
        if i as usize >= TLS_SLOTS {
            set_last_error(WsaError::ERROR_INVALID_PARAMETER.0);
            return 0;
        }
        let g = GEN[i as usize].load(Ordering::Acquire);
        let v = VALUES
            .try_with(|v| match v.borrow().get(i as usize) {
                Some(&(sg, val)) if sg == g => val,
                _ => 0,
            })
            .unwrap_or(0);
        set_last_error(0);
        v
    })
}

/// `BOOL TlsSetValue(DWORD, LPVOID)`: `ERROR_INVALID_PARAMETER` for an index out of range.
#[no_mangle]
pub extern "C" fn TlsSetValue(i: u32, value: usize) -> i32 {
    let _t = crate::trace_call!("TlsSetValue", i, value);
    ffi::win(0, || {
        if i as usize >= TLS_SLOTS {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        let g = GEN[i as usize].load(Ordering::Acquire);
        VALUES
            .try_with(|v| {
                let mut v = v.borrow_mut();
                if v.len() <= i as usize {
                    v.resize(i as usize + 1, (0, 0));
                }
                v[i as usize] = (g, value);
            })
            .map_err(|_| WsaError::ERROR_NOT_ENOUGH_MEMORY)?;
        Ok(1)
    })
}
