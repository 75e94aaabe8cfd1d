//! The C boundary: every export runs its body through [`ws`] or [`win`], which catch panics,
//! turn `Result<T, WsaError>` into the Windows return convention and set the last error.
//! Pointer helpers here map NULL to `WSAEFAULT` so shims stay one line of plumbing.

use crate::error::{set_last_error, WsaError};
use crate::trace::{self, Arg};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Result type used inside the library.
pub type WsResult<T> = Result<T, WsaError>;

fn boundary<T: Arg>(fail: T, clear_on_success: bool, f: impl FnOnce() -> WsResult<T>) -> T {
    let (v, err) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => {
            if clear_on_success {
                set_last_error(0);
            }
            (v, None)
        }
        Ok(Err(e)) => {
            set_last_error(e.0);
            (fail, Some(e.0))
        }
        Err(_) => {
            set_last_error(WsaError::WSASYSCALLFAILURE.0);
            (fail, Some(WsaError::WSASYSCALLFAILURE.0))
        }
    };
    if trace::on() {
        trace::result(&v, err);
    }
    v
}

/// Winsock convention: on success the last error is cleared (Windows does this for the
/// socket functions), on failure it is set and `fail` (`SOCKET_ERROR`, `INVALID_SOCKET`,
/// NULL) is returned.
pub fn ws<T: Arg>(fail: T, f: impl FnOnce() -> WsResult<T>) -> T {
    boundary(fail, true, f)
}

/// Win32 convention: the last error is left alone on success.
pub fn win<T: Arg>(fail: T, f: impl FnOnce() -> WsResult<T>) -> T {
    boundary(fail, false, f)
}

/// Functions that return their error code instead of setting it (`WSAStartup`,
/// `getaddrinfo`): the code is returned, and also stored when `store` is set.
pub fn code(store: bool, f: impl FnOnce() -> WsResult<()>) -> i32 {
    let r = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => e.0,
        Err(_) => WsaError::WSASYSCALLFAILURE.0,
    };
    if store {
        set_last_error(r);
    }
    if trace::on() {
        trace::result(&(r as i32), (r != 0).then_some(r));
    }
    r as i32
}

/// A writable reference from a caller's pointer, `WSAEFAULT` when NULL.
///
/// # Safety
/// `p` must be NULL or valid for writes of `T` for the returned lifetime.
pub unsafe fn out<'a, T>(p: *mut T) -> WsResult<&'a mut T> {
    // SAFETY: non-NULL pointers are valid by the caller's contract.
    unsafe { p.as_mut() }.ok_or(WsaError::WSAEFAULT)
}

/// A readable reference from a caller's pointer, `WSAEFAULT` when NULL.
///
/// # Safety
/// `p` must be NULL or valid for reads of `T` for the returned lifetime.
pub unsafe fn inp<'a, T>(p: *const T) -> WsResult<&'a T> {
    // SAFETY: non-NULL pointers are valid by the caller's contract.
    unsafe { p.as_ref() }.ok_or(WsaError::WSAEFAULT)
}

/// A byte slice from a caller's buffer; NULL with a non-zero length is `WSAEFAULT`,
/// a negative length `WSAEINVAL`-free `WSAEFAULT` as Windows reports it.
///
/// # Safety
/// `p` must be valid for `len` bytes when non-NULL.
pub unsafe fn bytes<'a>(p: *const u8, len: i32) -> WsResult<&'a [u8]> {
    if len < 0 || (p.is_null() && len != 0) {
        return Err(WsaError::WSAEFAULT);
    }
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: non-NULL with a caller-guaranteed length.
    Ok(unsafe { std::slice::from_raw_parts(p, len as usize) })
}

/// A mutable byte slice from a caller's buffer, with the rules of [`bytes`].
///
/// # Safety
/// `p` must be valid for writes of `len` bytes when non-NULL.
pub unsafe fn bytes_mut<'a>(p: *mut u8, len: i32) -> WsResult<&'a mut [u8]> {
    if len < 0 || (p.is_null() && len != 0) {
        return Err(WsaError::WSAEFAULT);
    }
    if len == 0 {
        return Ok(&mut []);
    }
    // SAFETY: non-NULL with a caller-guaranteed length.
    Ok(unsafe { std::slice::from_raw_parts_mut(p, len as usize) })
}

/// A NUL-terminated C string as bytes (without the NUL); NULL is `WSAEFAULT`.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string.
pub unsafe fn cstr<'a>(p: *const std::ffi::c_char) -> WsResult<&'a [u8]> {
    if p.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    // SAFETY: non-NULL, NUL-terminated by the caller's contract.
    Ok(unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes())
}

/// A NUL-terminated 16-bit `WCHAR` string, decoded from UTF-16 (lossy); NULL is `WSAEFAULT`.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated array of `u16`.
pub unsafe fn wstr(p: *const u16) -> WsResult<String> {
    if p.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    let mut n = 0usize;
    // SAFETY: the string is NUL-terminated, so every index up to the NUL is readable.
    while unsafe { *p.add(n) } != 0 {
        n += 1;
    }
    // SAFETY: `n` elements were just read.
    let s = unsafe { std::slice::from_raw_parts(p, n) };
    Ok(String::from_utf16_lossy(s))
}

/// A C string unit: `char` (bytes) for the A functions, `WCHAR` (UTF-16) for the W ones.
pub trait TextUnit: Copy {
    /// `s` in this unit, with the terminating NUL.
    fn encode(s: &str) -> Vec<Self>;
}

impl TextUnit for u8 {
    fn encode(s: &str) -> Vec<u8> {
        s.bytes().chain(std::iter::once(0)).collect()
    }
}

impl TextUnit for u16 {
    fn encode(s: &str) -> Vec<u16> {
        to_wide(s)
    }
}

/// Copy `text` and its terminator into a caller buffer of `cap` units; `false` (nothing
/// written) when it does not fit.
///
/// # Safety
/// `dst` must be valid for `cap` units.
pub unsafe fn put_text<C: TextUnit>(dst: *mut C, cap: usize, text: &str) -> bool {
    let t = C::encode(text);
    if cap < t.len() {
        return false;
    }
    // SAFETY: `dst` holds `cap` >= t.len() units by the caller's contract.
    unsafe { std::ptr::copy_nonoverlapping(t.as_ptr(), dst, t.len()) };
    true
}

/// Encode `s` as UTF-16 with a terminating NUL.
pub fn to_wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Copy `n` bytes from a caller pointer that may be invalid: a bad address gives
/// `WSAEFAULT` instead of a crash, as Windows reports it. The kernel does the copy
/// (`process_vm_readv` on this process), so an unmapped page is an error, not a signal.
///
/// # Safety
/// Where the kernel refuses `process_vm_readv` (seccomp), `p` is read directly and must be
/// valid for `n` bytes.
pub unsafe fn probe_read_bytes(p: *const u8, n: usize) -> WsResult<Vec<u8>> {
    let mut out = vec![0u8; n];
    if n == 0 {
        return Ok(out);
    }
    if p.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    let local = libc::iovec {
        iov_base: out.as_mut_ptr() as *mut libc::c_void,
        iov_len: n,
    };
    let remote = libc::iovec {
        iov_base: p as *mut libc::c_void,
        iov_len: n,
    };
    // SAFETY: the kernel validates `remote`; `local` is our own buffer of `n` bytes.
    let r = unsafe { libc::process_vm_readv(libc::getpid(), &local, 1, &remote, 1, 0) };
    if r == n as isize {
        return Ok(out);
    }
    if r < 0
        && matches!(
            std::io::Error::last_os_error().raw_os_error(),
            Some(libc::ENOSYS | libc::EPERM)
        )
    {
        // No process_vm_readv here (seccomp): trust the pointer as C would.
        // SAFETY: non-NULL caller pointer valid for `n` bytes by the caller's contract.
        unsafe { std::ptr::copy_nonoverlapping(p, out.as_mut_ptr(), n) };
        return Ok(out);
    }
    Err(WsaError::WSAEFAULT)
}

/// Write `data` to a caller pointer that may be invalid (`WSAEFAULT` instead of a crash).
///
/// # Safety
/// Where the kernel refuses `process_vm_writev`, `p` is written directly and must be valid.
pub unsafe fn probe_write_bytes(p: *mut u8, data: &[u8]) -> WsResult<()> {
    if data.is_empty() {
        return Ok(());
    }
    if p.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    let local = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    let remote = libc::iovec {
        iov_base: p as *mut libc::c_void,
        iov_len: data.len(),
    };
    // SAFETY: the kernel validates `remote`; `local` is our own buffer.
    let r = unsafe { libc::process_vm_writev(libc::getpid(), &local, 1, &remote, 1, 0) };
    if r == data.len() as isize {
        return Ok(());
    }
    if r < 0
        && matches!(
            std::io::Error::last_os_error().raw_os_error(),
            Some(libc::ENOSYS | libc::EPERM)
        )
    {
        // SAFETY: non-NULL caller pointer valid for the length by the caller's contract.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len()) };
        return Ok(());
    }
    Err(WsaError::WSAEFAULT)
}

/// Read a plain value through [`probe_read_bytes`].
///
/// # Safety
/// As [`probe_read_bytes`].
pub unsafe fn probe_read<T: Copy>(p: *const T) -> WsResult<T> {
    // SAFETY: forwarded contract.
    let b = unsafe { probe_read_bytes(p as *const u8, std::mem::size_of::<T>()) }?;
    // SAFETY: `b` holds size_of::<T>() bytes copied from a T; T is plain data (Copy).
    Ok(unsafe { (b.as_ptr() as *const T).read_unaligned() })
}

/// Write a plain value through [`probe_write_bytes`].
///
/// # Safety
/// As [`probe_write_bytes`].
pub unsafe fn probe_write<T: Copy>(p: *mut T, v: T) -> WsResult<()> {
    // SAFETY: views the bytes of a live Copy value.
    let b = unsafe {
        std::slice::from_raw_parts(&v as *const T as *const u8, std::mem::size_of::<T>())
    };
    // SAFETY: forwarded contract.
    unsafe { probe_write_bytes(p as *mut u8, b) }
}
