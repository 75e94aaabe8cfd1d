//! Win32 files, as far as socket programs use them: `CreateFileA/W`, `ReadFile`,
//! `WriteFile`, `GetFileSize(Ex)`, `SetFilePointer(Ex)`, `DeleteFileA/W`, `CloseHandle`. A
//! file is a Linux fd behind a handle; its handle is what `TransmitFile` and
//! `TransmitPackets` send from. Reads and writes are synchronous; with an `OVERLAPPED` they
//! use its offset and report through it (status, count, event), as Windows does for a file
//! opened without `FILE_FLAG_OVERLAPPED`.
//!
//! `ReadFile` and `WriteFile` also take the standard handles of `GetStdHandle`: synchronous,
//! as Windows treats a console or pipe handle not opened for overlapped I/O (an OVERLAPPED
//! reports the result; its offset is used only when the descriptor is a regular file). The
//! end of a pipe's input is `ERROR_BROKEN_PIPE`, writing to a pipe without reader
//! `ERROR_NO_DATA` (and no SIGPIPE); the end of a file, terminal or device is TRUE with
//! 0 bytes.

use crate::engine::io::Overlapped;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use crate::status;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const GENERIC_READ: u32 = 0x8000_0000;
const GENERIC_WRITE: u32 = 0x4000_0000;
const GENERIC_ALL: u32 = 0x1000_0000;
const FILE_APPEND_DATA: u32 = 0x4;
const CREATE_NEW: u32 = 1;
const CREATE_ALWAYS: u32 = 2;
const OPEN_EXISTING: u32 = 3;
const OPEN_ALWAYS: u32 = 4;
const TRUNCATE_EXISTING: u32 = 5;
const INVALID_HANDLE_VALUE: usize = usize::MAX;
const INVALID_SET_FILE_POINTER: u32 = u32::MAX;
const INVALID_FILE_SIZE: u32 = u32::MAX;
/// "The pipe is being closed": a write to a pipe whose reader is gone.
const ERROR_NO_DATA: WsaError = WsaError(232);
const STATUS_END_OF_FILE: u32 = 0xC000_0011;

/// An open file.
pub struct File {
    pub fd: RawFd,
}

impl Drop for File {
    fn drop(&mut self) {
        // SAFETY: the fd is owned by this file and closed once.
        unsafe { libc::close(self.fd) };
    }
}

/// The file a handle names.
pub fn get(h: usize) -> WsResult<Arc<File>> {
    match table().get(h) {
        Some(Object::File(f)) => Ok(f),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// `CloseHandle` on a file.
pub fn close(h: usize) -> WsResult<()> {
    match table().remove(h) {
        Some(Object::File(_)) => Ok(()),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// A failed file syscall's errno as the Win32 error.
fn file_error(e: i32) -> WsaError {
    match e {
        libc::ENOENT => WsaError::ERROR_FILE_NOT_FOUND,
        libc::ENOTDIR => WsaError::ERROR_PATH_NOT_FOUND,
        libc::EACCES | libc::EPERM | libc::EROFS | libc::EISDIR => WsaError::ERROR_ACCESS_DENIED,
        libc::EEXIST => WsaError::ERROR_FILE_EXISTS,
        libc::EMFILE | libc::ENFILE => WsaError::ERROR_TOO_MANY_OPEN_FILES,
        libc::ENOSPC => WsaError::ERROR_DISK_FULL,
        libc::ENAMETOOLONG => WsaError::ERROR_INVALID_NAME,
        libc::EINVAL => WsaError::ERROR_INVALID_PARAMETER,
        libc::EBADF => WsaError::ERROR_INVALID_HANDLE,
        _ => WsaError::ERROR_ACCESS_DENIED,
    }
}

fn errno() -> i32 {
    crate::socket::errno()
}

fn open(path: &[u8], access: u32, disposition: u32) -> WsResult<usize> {
    let read = access & (GENERIC_READ | GENERIC_ALL) != 0;
    let write = access & (GENERIC_WRITE | GENERIC_ALL | FILE_APPEND_DATA) != 0;
    let mut flags = libc::O_CLOEXEC
        | match (read, write) {
            (_, false) => libc::O_RDONLY,
            (false, true) => libc::O_WRONLY,
            (true, true) => libc::O_RDWR,
        };
    flags |= match disposition {
        CREATE_NEW => libc::O_CREAT | libc::O_EXCL,
        CREATE_ALWAYS => libc::O_CREAT | libc::O_TRUNC,
        OPEN_EXISTING => 0,
        OPEN_ALWAYS => libc::O_CREAT,
        TRUNCATE_EXISTING => {
            if !write {
                return Err(WsaError::ERROR_INVALID_PARAMETER);
            }
            libc::O_TRUNC
        }
        _ => return Err(WsaError::ERROR_INVALID_PARAMETER),
    };
    let cpath = std::ffi::CString::new(path).map_err(|_| WsaError::ERROR_INVALID_NAME)?;
    // Did the file exist before? CREATE_ALWAYS and OPEN_ALWAYS report it.
    // SAFETY: a NUL-terminated path; `access` only reads it.
    let existed = unsafe { libc::access(cpath.as_ptr(), libc::F_OK) } == 0;
    // SAFETY: a NUL-terminated path; the mode applies only to a new file.
    let fd = unsafe { libc::open(cpath.as_ptr(), flags, 0o666 as libc::c_uint) };
    if fd < 0 {
        return Err(file_error(errno()));
    }
    let h = match table().insert(Object::File(Arc::new(File { fd }))) {
        Some(h) => h,
        None => return Err(WsaError::ERROR_TOO_MANY_OPEN_FILES),
    };
    // Windows sets ERROR_ALREADY_EXISTS on success for these, and clears the error otherwise.
    let last = if existed && matches!(disposition, CREATE_ALWAYS | OPEN_ALWAYS) {
        WsaError::ERROR_ALREADY_EXISTS
    } else {
        WsaError::ERROR_SUCCESS
    };
    crate::error::set_last_error(last.0);
    Ok(h)
}

/// A file name from the A functions; NULL is `ERROR_PATH_NOT_FOUND`.
///
/// # Safety
/// `p` must be NULL or a NUL-terminated string.
unsafe fn name_a(p: *const std::ffi::c_char) -> WsResult<Vec<u8>> {
    if p.is_null() {
        return Err(WsaError::ERROR_PATH_NOT_FOUND);
    }
    // SAFETY: non-NULL, NUL-terminated by the caller's contract.
    Ok(unsafe { ffi::cstr(p) }?.to_vec())
}

/// A file name from the W functions (UTF-16, as UTF-8 for Linux); NULL is
/// `ERROR_PATH_NOT_FOUND`.
///
/// # Safety
/// `p` must be NULL or a NUL-terminated UTF-16 string.
unsafe fn name_w(p: *const u16) -> WsResult<Vec<u8>> {
    if p.is_null() {
        return Err(WsaError::ERROR_PATH_NOT_FOUND);
    }
    // SAFETY: non-NULL, NUL-terminated by the caller's contract.
    Ok(unsafe { ffi::wstr(p) }?.into_bytes())
}

/// `HANDLE CreateFileA(LPCSTR, DWORD dwDesiredAccess, DWORD dwShareMode,
/// LPSECURITY_ATTRIBUTES, DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE)`
#[no_mangle]
pub unsafe extern "C" fn CreateFileA(
    name: *const std::ffi::c_char,
    access: u32,
    _share: u32,
    _sa: *const u8,
    disposition: u32,
    _flags: u32,
    _template: usize,
) -> usize {
    let _t = crate::trace_call!(
        "CreateFileA",
        name,
        access,
        _share,
        _sa,
        disposition,
        _flags,
        _template
    );
    // SAFETY: NULL or the caller's NUL-terminated string.
    ffi::win(INVALID_HANDLE_VALUE, || {
        open(&unsafe { name_a(name) }?, access, disposition)
    })
}

/// `HANDLE CreateFileW(LPCWSTR, ...)`: as `CreateFileA`, the name in UTF-16.
#[no_mangle]
pub unsafe extern "C" fn CreateFileW(
    name: *const u16,
    access: u32,
    _share: u32,
    _sa: *const u8,
    disposition: u32,
    _flags: u32,
    _template: usize,
) -> usize {
    let _t = crate::trace_call!(
        "CreateFileW",
        name,
        access,
        _share,
        _sa,
        disposition,
        _flags,
        _template
    );
    // SAFETY: NULL or the caller's NUL-terminated UTF-16 string.
    ffi::win(INVALID_HANDLE_VALUE, || {
        open(&unsafe { name_w(name) }?, access, disposition)
    })
}

/// Complete a file transfer through the caller's OVERLAPPED (status, count, event).
///
/// # Safety
/// `ov` must be the caller's live OVERLAPPED.
unsafe fn report_ov(ov: *mut Overlapped, st: u32, n: usize) {
    // SAFETY: the caller's live OVERLAPPED.
    unsafe {
        (*ov).internal_high = n;
        AtomicUsize::from_ptr(ov as *mut usize).store(st as usize, Ordering::Release);
        let ev = (*ov).h_event & !1;
        if ev != 0 {
            if let Ok(e) = crate::wait::event::get(ev) {
                e.set();
            }
        }
    }
}

/// The offset an OVERLAPPED names.
///
/// # Safety
/// `ov` must be the caller's live OVERLAPPED.
unsafe fn ov_offset(ov: *const Overlapped) -> i64 {
    // SAFETY: the caller's live OVERLAPPED.
    unsafe { ((*ov).offset_high as i64) << 32 | (*ov).offset as i64 }
}

fn check_args(buf: *mut u8, n: u32, done: *mut u32, ov: *mut Overlapped) -> WsResult<()> {
    if done.is_null() && ov.is_null() {
        return Err(WsaError::ERROR_INVALID_USER_BUFFER);
    }
    if buf.is_null() && n > 0 {
        return Err(WsaError::ERROR_NOACCESS);
    }
    Ok(())
}

/// `write(2)` with SIGPIPE held back: a write to a pipe without reader fails with EPIPE
/// instead of ending the process. A SIGPIPE this write raises is taken off the thread's
/// pending set; one that was already pending stays.
fn write_no_sigpipe(fd: RawFd, data: &[u8]) -> isize {
    // SAFETY: sigset_t is plain data, initialised by sigemptyset before use; the mask calls
    // apply to this thread only and the old mask is restored before returning.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        let mut pending: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
        libc::sigemptyset(&mut pending);
        libc::sigpending(&mut pending);
        let was_pending = libc::sigismember(&pending, libc::SIGPIPE) == 1;
        let r = libc::write(fd, data.as_ptr() as *const libc::c_void, data.len());
        let e = errno();
        if r < 0 && e == libc::EPIPE && !was_pending {
            let zero = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            libc::sigtimedwait(&set, std::ptr::null_mut(), &zero);
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        *libc::__errno_location() = e;
        r
    }
}

/// `ReadFile`/`WriteFile` on a standard handle (descriptor `fd`).
///
/// # Safety
/// `buf` must hold `n` bytes; `done` and `ov` must be NULL or the caller's.
unsafe fn std_transfer(
    fd: RawFd,
    buf: *mut u8,
    n: u32,
    done: *mut u32,
    ov: *mut Overlapped,
    write: bool,
) -> WsResult<i32> {
    // SAFETY: stat is plain data; fstat fills it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a live stat buffer; a closed descriptor gives EBADF.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(file_error(errno()));
    }
    let kind = st.st_mode & libc::S_IFMT;
    let pipe = kind == libc::S_IFIFO || kind == libc::S_IFSOCK;
    // Only a seeking device uses the OVERLAPPED's offset.
    // SAFETY: `ov` is NULL or the caller's live OVERLAPPED.
    let at = (!ov.is_null() && kind == libc::S_IFREG).then(|| unsafe { ov_offset(ov) });
    let mut total = 0usize;
    let mut fail = None;
    loop {
        // SAFETY: `buf` holds `n` bytes by the caller's contract; `total <= n`.
        let r = unsafe {
            let p = buf.add(total);
            let left = n as usize - total;
            match (write, at) {
                (false, None) => libc::read(fd, p as *mut libc::c_void, left),
                (false, Some(o)) => libc::pread(fd, p as *mut libc::c_void, left, o),
                (true, None) => write_no_sigpipe(fd, std::slice::from_raw_parts(p, left)),
                (true, Some(o)) => {
                    libc::pwrite(fd, p as *const libc::c_void, left, o + total as i64)
                }
            }
        };
        if r < 0 {
            match errno() {
                libc::EINTR => continue,
                e => {
                    fail = Some(e);
                    break;
                }
            }
        }
        total += r as usize;
        // A read returns what is there; a write (as a synchronous Windows write) all of it.
        if !write || total == n as usize || r == 0 {
            break;
        }
    }
    // A write that made progress before failing reports what it wrote.
    let err = match fail {
        Some(_) if write && total > 0 => None,
        Some(libc::EPIPE | libc::EAGAIN) => Some(ERROR_NO_DATA),
        Some(e) => Some(file_error(e)),
        None if !write && total == 0 && n > 0 && pipe => Some(WsaError::ERROR_BROKEN_PIPE),
        None if !write && total == 0 && n > 0 && at.is_some() => Some(WsaError::ERROR_HANDLE_EOF),
        None => None,
    };
    // SAFETY: NULL or the caller's count; `ov` NULL or the caller's live OVERLAPPED.
    unsafe {
        if let Some(d) = done.as_mut() {
            *d = total as u32;
        }
        if !ov.is_null() {
            // A failure's status is the one `GetOverlappedResult` reads back as the error.
            match err {
                Some(e) => report_ov(ov, status::from_error(e), 0),
                None => report_ov(ov, status::STATUS_SUCCESS, total),
            }
        }
    }
    err.map_or(Ok(1), Err)
}

/// `ReadFile`/`WriteFile`: one synchronous transfer, at the OVERLAPPED's offset if given.
///
/// # Safety
/// `buf` must hold `n` bytes; `done` and `ov` must be NULL or the caller's.
unsafe fn transfer(
    h: usize,
    buf: *mut u8,
    n: u32,
    done: *mut u32,
    ov: *mut Overlapped,
    write: bool,
) -> WsResult<i32> {
    if let Some(fd) = crate::console::std_fd(h) {
        check_args(buf, n, done, ov)?;
        // SAFETY: forwarded caller contract.
        return unsafe { std_transfer(fd, buf, n, done, ov, write) };
    }
    let f = get(h)?;
    check_args(buf, n, done, ov)?;
    // SAFETY: `buf` holds `n` bytes by the caller's contract; `ov` is NULL or the caller's.
    let r = unsafe {
        match (write, ov.is_null()) {
            (false, true) => libc::read(f.fd, buf as *mut libc::c_void, n as usize),
            (true, true) => libc::write(f.fd, buf as *const libc::c_void, n as usize),
            (false, false) => {
                libc::pread(f.fd, buf as *mut libc::c_void, n as usize, ov_offset(ov))
            }
            (true, false) => {
                libc::pwrite(f.fd, buf as *const libc::c_void, n as usize, ov_offset(ov))
            }
        }
    };
    if r < 0 {
        return Err(file_error(errno()));
    }
    // SAFETY: NULL or the caller's count; `ov` the caller's live OVERLAPPED.
    unsafe {
        if let Some(d) = done.as_mut() {
            *d = r as u32;
        }
        if !ov.is_null() {
            if !write && r == 0 && n > 0 {
                report_ov(ov, STATUS_END_OF_FILE, 0);
                return Err(WsaError::ERROR_HANDLE_EOF);
            }
            report_ov(ov, status::STATUS_SUCCESS, r as usize);
        }
    }
    Ok(1)
}

/// `BOOL ReadFile(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED)`
#[no_mangle]
pub unsafe extern "C" fn ReadFile(
    h: usize,
    buf: *mut u8,
    n: u32,
    read: *mut u32,
    ov: *mut Overlapped,
) -> i32 {
    let _t = crate::trace_call!("ReadFile", h, buf, n, read, ov);
    // SAFETY: forwarded caller contract.
    ffi::win(0, || unsafe { transfer(h, buf, n, read, ov, false) })
}

/// `BOOL WriteFile(HANDLE, LPCVOID, DWORD, LPDWORD, LPOVERLAPPED)`
#[no_mangle]
pub unsafe extern "C" fn WriteFile(
    h: usize,
    buf: *const u8,
    n: u32,
    written: *mut u32,
    ov: *mut Overlapped,
) -> i32 {
    let _t = crate::trace_call!("WriteFile", h, buf, n, written, ov);
    // SAFETY: forwarded caller contract.
    ffi::win(0, || unsafe {
        transfer(h, buf as *mut u8, n, written, ov, true)
    })
}

fn size(f: &File) -> WsResult<u64> {
    // SAFETY: stat is plain data; fstat fills it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a live fd and a live stat buffer.
    if unsafe { libc::fstat(f.fd, &mut st) } != 0 {
        return Err(file_error(errno()));
    }
    Ok(st.st_size as u64)
}

/// The size of the file behind a handle (for `TransmitFile`).
pub fn file_size(f: &File) -> WsResult<u64> {
    size(f)
}

/// The current position of a file (where `TransmitFile` starts without an OVERLAPPED).
pub fn position(f: &File) -> WsResult<u64> {
    // SAFETY: plain syscall on a live fd.
    let p = unsafe { libc::lseek(f.fd, 0, libc::SEEK_CUR) };
    if p < 0 {
        return Err(file_error(errno()));
    }
    Ok(p as u64)
}

/// `DWORD GetFileSize(HANDLE, LPDWORD lpFileSizeHigh)`
#[no_mangle]
pub unsafe extern "C" fn GetFileSize(h: usize, high: *mut u32) -> u32 {
    let _t = crate::trace_call!("GetFileSize", h, high);
    ffi::win(INVALID_FILE_SIZE, || {
        let n = size(&*get(h)?)?;
        // SAFETY: NULL or the caller's DWORD.
        if let Some(hp) = unsafe { high.as_mut() } {
            *hp = (n >> 32) as u32;
        }
        if n as u32 == INVALID_FILE_SIZE {
            crate::error::set_last_error(0);
        }
        Ok(n as u32)
    })
}

/// `BOOL GetFileSizeEx(HANDLE, PLARGE_INTEGER)`
#[no_mangle]
pub unsafe extern "C" fn GetFileSizeEx(h: usize, out: *mut i64) -> i32 {
    let _t = crate::trace_call!("GetFileSizeEx", h, out);
    ffi::win(0, || {
        let n = size(&*get(h)?)?;
        // SAFETY: the caller's LARGE_INTEGER.
        *unsafe { ffi::out(out) }? = n as i64;
        Ok(1)
    })
}

fn seek(h: usize, dist: i64, method: u32) -> WsResult<u64> {
    let f = get(h)?;
    let whence = match method {
        0 => libc::SEEK_SET,
        1 => libc::SEEK_CUR,
        2 => libc::SEEK_END,
        _ => return Err(WsaError::ERROR_INVALID_PARAMETER),
    };
    // SAFETY: plain syscall on a live fd.
    let p = unsafe { libc::lseek(f.fd, dist, whence) };
    if p < 0 {
        return Err(match errno() {
            libc::EINVAL => WsaError::ERROR_NEGATIVE_SEEK,
            e => file_error(e),
        });
    }
    Ok(p as u64)
}

/// `DWORD SetFilePointer(HANDLE, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh, DWORD
/// dwMoveMethod)`
#[no_mangle]
pub unsafe extern "C" fn SetFilePointer(h: usize, low: i32, high: *mut i32, method: u32) -> u32 {
    let _t = crate::trace_call!("SetFilePointer", h, low, high, method);
    ffi::win(INVALID_SET_FILE_POINTER, || {
        // SAFETY: NULL or the caller's LONG.
        let hp = unsafe { high.as_mut() };
        let dist = match &hp {
            Some(hi) => ((**hi as i64) << 32) | (low as u32 as i64),
            None => low as i64,
        };
        let p = seek(h, dist, method)?;
        if let Some(hi) = hp {
            *hi = (p >> 32) as i32;
        }
        crate::error::set_last_error(0);
        Ok(p as u32)
    })
}

/// `BOOL SetFilePointerEx(HANDLE, LARGE_INTEGER, PLARGE_INTEGER, DWORD)`
#[no_mangle]
pub unsafe extern "C" fn SetFilePointerEx(h: usize, dist: i64, newp: *mut i64, method: u32) -> i32 {
    let _t = crate::trace_call!("SetFilePointerEx", h, dist, newp, method);
    ffi::win(0, || {
        let p = seek(h, dist, method)?;
        // SAFETY: NULL or the caller's LARGE_INTEGER.
        if let Some(n) = unsafe { newp.as_mut() } {
            *n = p as i64;
        }
        Ok(1)
    })
}

fn unlink(path: &[u8]) -> WsResult<i32> {
    let c = std::ffi::CString::new(path).map_err(|_| WsaError::ERROR_INVALID_NAME)?;
    // SAFETY: a NUL-terminated path.
    if unsafe { libc::unlink(c.as_ptr()) } != 0 {
        return Err(file_error(errno()));
    }
    Ok(1)
}

/// `BOOL DeleteFileA(LPCSTR)`
#[no_mangle]
pub unsafe extern "C" fn DeleteFileA(name: *const std::ffi::c_char) -> i32 {
    let _t = crate::trace_call!("DeleteFileA", name);
    // SAFETY: NULL or the caller's NUL-terminated string.
    ffi::win(0, || unlink(&unsafe { name_a(name) }?))
}

/// `BOOL DeleteFileW(LPCWSTR)`
#[no_mangle]
pub unsafe extern "C" fn DeleteFileW(name: *const u16) -> i32 {
    let _t = crate::trace_call!("DeleteFileW", name);
    // SAFETY: NULL or the caller's NUL-terminated UTF-16 string.
    ffi::win(0, || unlink(&unsafe { name_w(name) }?))
}

/// The temporary directory: `TMP`, `TEMP` or `TMPDIR` if set, else `/tmp`, ending in `/`.
fn temp_dir() -> String {
    let mut d = ["TMP", "TEMP", "TMPDIR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "/tmp".into());
    if !d.ends_with('/') {
        d.push('/');
    }
    d
}

/// `DWORD GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer)`: the length written (without the
/// NUL), or the size needed (with it) when the buffer is too small.
#[no_mangle]
pub unsafe extern "C" fn GetTempPathA(cap: u32, buf: *mut u8) -> u32 {
    let _t = crate::trace_call!("GetTempPathA", cap, buf);
    ffi::win(0, || {
        let d = temp_dir();
        if buf.is_null() || (cap as usize) < d.len() + 1 {
            return Ok(d.len() as u32 + 1);
        }
        // SAFETY: the caller's buffer of `cap` bytes, which holds the path and its NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(d.as_ptr(), buf, d.len());
            *buf.add(d.len()) = 0;
        }
        Ok(d.len() as u32)
    })
}

/// `UINT GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique, LPSTR
/// lpTempFileName)`: `<path><first 3 prefix chars><hex>.TMP`; with `uUnique` 0 a number not
/// in use is chosen and the file is created empty, as Windows does.
#[no_mangle]
pub unsafe extern "C" fn GetTempFileNameA(
    path: *const std::ffi::c_char,
    prefix: *const std::ffi::c_char,
    unique: u32,
    out: *mut u8,
) -> u32 {
    let _t = crate::trace_call!("GetTempFileNameA", path, prefix, unique, out);
    ffi::win(0, || {
        if out.is_null() {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        // SAFETY: the caller's NUL-terminated strings (a NULL prefix is empty).
        let (dir, pre) = unsafe {
            let dir = String::from_utf8_lossy(ffi::cstr(path)?).into_owned();
            let pre = if prefix.is_null() {
                String::new()
            } else {
                String::from_utf8_lossy(ffi::cstr(prefix)?)
                    .chars()
                    .take(3)
                    .collect()
            };
            (dir, pre)
        };
        let sep = if dir.ends_with('/') || dir.ends_with('\\') {
            ""
        } else {
            "/"
        };
        let name = |n: u32| format!("{dir}{sep}{pre}{:X}.TMP", n & 0xffff);
        let write = |s: &str| {
            // SAFETY: the caller's buffer, which Windows requires to hold MAX_PATH (260) chars.
            unsafe {
                let n = s.len().min(259);
                std::ptr::copy_nonoverlapping(s.as_ptr(), out, n);
                *out.add(n) = 0;
            }
        };
        if unique != 0 {
            write(&name(unique));
            return Ok(unique & 0xffff);
        }
        let start = (std::process::id()
            ^ (std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)))
            & 0xffff;
        for i in 0..0x10000u32 {
            let n = ((start + i) & 0xffff).max(1);
            let s = name(n);
            match open(s.as_bytes(), GENERIC_WRITE, CREATE_NEW) {
                Ok(h) => {
                    let _ = close(h);
                    write(&s);
                    return Ok(n);
                }
                Err(WsaError::ERROR_FILE_EXISTS) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(WsaError::ERROR_FILE_EXISTS)
    })
}
