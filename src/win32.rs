//! Win32 handle functions that apply to every object in the handle table.

use crate::error::WsaError;
use crate::ffi;
use crate::handle::{table, Object};

/// `BOOL CloseHandle(HANDLE)`: closes any object in the handle table; a socket is closed
/// as by `closesocket`; a standard handle as `console::close_std` describes.
#[no_mangle]
pub extern "C" fn CloseHandle(h: usize) -> i32 {
    let _t = crate::trace_call!("CloseHandle", h);
    ffi::win(0, || {
        if let Some(r) = crate::console::close_std(h) {
            return r.map(|_| 1);
        }
        close_object(h)
    })
}

fn close_object(h: usize) -> ffi::WsResult<i32> {
    match table().get(h) {
        Some(Object::Socket(_)) => crate::socket::close(h).map(|_| 1).map_err(|e| {
            if e == WsaError::WSAENOTSOCK {
                WsaError::ERROR_INVALID_HANDLE
            } else {
                e
            }
        }),
        Some(Object::Event(_)) => crate::wait::event::close(h).map(|_| 1),
        Some(Object::Port(_)) => crate::iocp::close(h).map(|_| 1),
        Some(Object::File(_)) => crate::file::close(h).map(|_| 1),
        Some(Object::Thread(_)) => crate::wait::threads::close(h).map(|_| 1),
        None => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}
