//! Console control and output: `SetConsoleCtrlHandler`, `GenerateConsoleCtrlEvent`,
//! `GetStdHandle`, `WriteConsoleA`/`WriteConsoleW`, `GetConsoleMode`, `SetConsoleMode`.
//!
//! Control events: once a program registers a handler (or asks to ignore Ctrl-C), SIGINT is
//! delivered as `CTRL_C_EVENT` and SIGTERM and SIGHUP as `CTRL_CLOSE_EVENT`. The signal
//! handler only writes the event to a pipe (async-signal-safe); a dispatcher thread reads it
//! and, as Windows does, runs the handlers on a new thread created for the event, last
//! registered first, until one returns TRUE. When none does, the default action ends the
//! process with `STATUS_CONTROL_C_EXIT`; after a close event the process ends in any case.
//!
//! Standard handles are `STD_HANDLE_BASE + 16 * fd`: above 2^31, so never a handle-table value.
//! `ReadFile` and `WriteFile` (src/file.rs) and `CloseHandle` (src/win32.rs) accept them.

use crate::error::WsaError;
use crate::ffi;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};

const CTRL_C_EVENT: u32 = 0;
const CTRL_BREAK_EVENT: u32 = 1;
const CTRL_CLOSE_EVENT: u32 = 2;
const STATUS_CONTROL_C_EXIT: u32 = 0xC000_013A;

const STD_INPUT_HANDLE: u32 = -10i32 as u32;
const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
const STD_ERROR_HANDLE: u32 = -12i32 as u32;
const STD_HANDLE_BASE: usize = 0x7e40_0000_0000;
const INVALID_HANDLE_VALUE: usize = usize::MAX;

const ENABLE_PROCESSED_INPUT: u32 = 0x1;
const ENABLE_LINE_INPUT: u32 = 0x2;
const ENABLE_ECHO_INPUT: u32 = 0x4;
const ENABLE_WINDOW_INPUT: u32 = 0x8;
const ENABLE_MOUSE_INPUT: u32 = 0x10;
const ENABLE_INSERT_MODE: u32 = 0x20;
const ENABLE_QUICK_EDIT_MODE: u32 = 0x40;
const ENABLE_EXTENDED_FLAGS: u32 = 0x80;
const ENABLE_AUTO_POSITION: u32 = 0x100;
const ENABLE_VIRTUAL_TERMINAL_INPUT: u32 = 0x200;
const ENABLE_PROCESSED_OUTPUT: u32 = 0x1;
const ENABLE_WRAP_AT_EOL_OUTPUT: u32 = 0x2;
/// Every documented output mode (processed, wrap, VT processing, no auto return, LVB grid).
const OUTPUT_MODES: u32 = 0x1f;
/// Input modes with no terminal setting behind them: kept and reported back.
const INPUT_KEPT: u32 = ENABLE_WINDOW_INPUT | ENABLE_MOUSE_INPUT | ENABLE_VIRTUAL_TERMINAL_INPUT;
/// The console's private (extended) input modes.
const INPUT_PRIVATE: u32 =
    ENABLE_INSERT_MODE | ENABLE_QUICK_EDIT_MODE | ENABLE_AUTO_POSITION | ENABLE_EXTENDED_FLAGS;
const INPUT_MODES: u32 =
    ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | INPUT_KEPT | INPUT_PRIVATE;

/// The input modes `SetConsoleMode` last set that the terminal does not hold (`INPUT_KEPT`,
/// and the private ones with `ENABLE_EXTENDED_FLAGS` when any was given).
static INPUT_EXTRA: AtomicU32 = AtomicU32::new(0);
/// The output mode: one for the terminal behind the output handles, as Windows keeps one per
/// screen buffer. Processed output with wrapping until a program sets another.
static OUTPUT_MODE: AtomicU32 = AtomicU32::new(ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT);

/// `BOOL WINAPI HandlerRoutine(DWORD dwCtrlType)`
type HandlerRoutine = extern "C" fn(u32) -> i32;

/// Registered handlers, in registration order (called from the end).
static HANDLERS: Mutex<Vec<HandlerRoutine>> = Mutex::new(Vec::new());
/// `SetConsoleCtrlHandler(NULL, TRUE)`: Ctrl-C is ignored.
static IGNORE_CTRL_C: AtomicBool = AtomicBool::new(false);
/// Write end of the event pipe (read by the dispatcher thread); -1 before setup.
static EVENT_PIPE: AtomicI32 = AtomicI32::new(-1);
/// The process that set up the pipe and dispatcher, and the pipe's read end: a forked child
/// sets up its own (threads do not survive fork, and the pipe would reach the parent).
static SETUP: Mutex<(i32, i32)> = Mutex::new((0, -1));

extern "C" fn on_signal(sig: libc::c_int) {
    let ev: u8 = if sig == libc::SIGINT {
        CTRL_C_EVENT as u8
    } else {
        CTRL_CLOSE_EVENT as u8
    };
    let fd = EVENT_PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: write(2) on a pipe is async-signal-safe; errno is saved and restored.
        unsafe {
            let saved = *libc::__errno_location();
            libc::write(fd, &ev as *const u8 as *const libc::c_void, 1);
            *libc::__errno_location() = saved;
        }
    }
}

/// Create the event pipe, the dispatcher thread and the signal handlers (once per process).
fn setup() -> ffi::WsResult<()> {
    // SAFETY: getpid has no preconditions.
    let me = unsafe { libc::getpid() };
    let mut g = SETUP.lock();
    if g.0 == me {
        return Ok(());
    }
    if g.0 != 0 {
        // A forked child: drop the parent's pipe (its dispatcher is the parent's).
        let old_w = EVENT_PIPE.swap(-1, Ordering::AcqRel);
        // SAFETY: both descriptors are this process's copies of the parent's pipe.
        unsafe {
            libc::close(old_w);
            libc::close(g.1);
        }
    }
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
    }
    // The writer must never block in a signal handler.
    // SAFETY: fcntl on a descriptor we own.
    unsafe { libc::fcntl(fds[1], libc::F_SETFL, libc::O_NONBLOCK) };
    let rd = fds[0];
    if std::thread::Builder::new()
        .name("console-ctrl".into())
        .spawn(move || dispatcher(rd))
        .is_err()
    {
        // SAFETY: our own fresh descriptors.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
        return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
    }
    EVENT_PIPE.store(fds[1], Ordering::Release);
    *g = (me, rd);
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a zeroed sigaction with a handler address and an empty mask is valid;
        // the handler only does async-signal-safe work.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
    Ok(())
}

fn dispatcher(rd: i32) {
    loop {
        let mut ev = 0u8;
        // SAFETY: reads one byte into a local from our own pipe.
        let r = unsafe { libc::read(rd, &mut ev as *mut u8 as *mut libc::c_void, 1) };
        if r == 1 {
            let ev = ev as u32;
            // Each event runs on its own new thread, as Windows creates one per event.
            let _ = std::thread::Builder::new()
                .name("console-ctrl-event".into())
                .spawn(move || run_handlers(ev));
        } else if r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return;
        }
    }
}

fn run_handlers(ev: u32) {
    if ev == CTRL_C_EVENT && IGNORE_CTRL_C.load(Ordering::Acquire) {
        return;
    }
    let list: Vec<HandlerRoutine> = HANDLERS.lock().clone();
    let handled = list.iter().rev().any(|h| h(ev) != 0);
    if !handled || ev == CTRL_CLOSE_EVENT {
        // Windows' default handler (and the end of a close event) ends the process.
        // SAFETY: _exit has no preconditions.
        unsafe { libc::_exit(STATUS_CONTROL_C_EXIT as i32) };
    }
}

/// `BOOL SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add)`
#[no_mangle]
pub extern "C" fn SetConsoleCtrlHandler(handler: Option<HandlerRoutine>, add: i32) -> i32 {
    let _t = crate::trace_call!("SetConsoleCtrlHandler", handler, add);
    ffi::win(0, || {
        setup()?;
        match handler {
            None => IGNORE_CTRL_C.store(add != 0, Ordering::Release),
            Some(h) => {
                let mut list = HANDLERS.lock();
                if add != 0 {
                    list.push(h);
                } else {
                    let pos = list
                        .iter()
                        .rposition(|x| *x as usize == h as usize)
                        .ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
                    list.remove(pos);
                }
            }
        }
        Ok(1)
    })
}

/// `BOOL GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId)`: group 0 (all
/// processes of the console) or this process's id deliver the event to this process; a
/// Ctrl-C for another group succeeds without reaching it, as Windows documents; Ctrl-Break
/// for another group is sent to that process group as SIGINT.
#[no_mangle]
pub extern "C" fn GenerateConsoleCtrlEvent(event: u32, group: u32) -> i32 {
    let _t = crate::trace_call!("GenerateConsoleCtrlEvent", event, group);
    ffi::win(0, || {
        if event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        // SAFETY: getpid has no preconditions.
        let me = unsafe { libc::getpid() } as u32;
        if group == 0 || group == me {
            setup()?;
            let ev = event as u8;
            let fd = EVENT_PIPE.load(Ordering::Acquire);
            // SAFETY: one byte from a local to our own pipe.
            if unsafe { libc::write(fd, &ev as *const u8 as *const libc::c_void, 1) } != 1 {
                return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
            }
            return Ok(1);
        }
        if event == CTRL_C_EVENT {
            return Ok(1);
        }
        // SAFETY: kill has no memory preconditions.
        if unsafe { libc::kill(-(group as i32), libc::SIGINT) } != 0 {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        Ok(1)
    })
}

/// Standard handles closed by `CloseHandle`, by descriptor (0, 1, 2).
static CLOSED: [AtomicBool; 3] = [
    AtomicBool::new(false),
    AtomicBool::new(false),
    AtomicBool::new(false),
];

/// The descriptor behind a standard handle; `None` for any other value and for a standard
/// handle that `CloseHandle` has closed.
pub(crate) fn std_fd(h: usize) -> Option<i32> {
    if h < STD_HANDLE_BASE || !(h - STD_HANDLE_BASE).is_multiple_of(16) {
        return None;
    }
    let fd = (h - STD_HANDLE_BASE) / 16;
    (fd <= 2 && !CLOSED[fd].load(Ordering::Acquire)).then_some(fd as i32)
}

/// `CloseHandle` on a standard handle: `None` when `h` is no open standard handle. The
/// descriptor is not freed (a later `open` would get its number and `GetStdHandle` would
/// name an unrelated file): `/dev/null` is put in its place with `dup2`, which releases
/// what was behind it (a pipe's reader sees the end of its input), and the handle is
/// marked closed, so that every later use of it fails with `ERROR_INVALID_HANDLE`.
pub(crate) fn close_std(h: usize) -> Option<ffi::WsResult<()>> {
    let fd = std_fd(h)?;
    if CLOSED[fd as usize]
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return Some(Err(WsaError::ERROR_INVALID_HANDLE));
    }
    // SAFETY: a NUL-terminated path literal.
    let null = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
    if null >= 0 {
        // SAFETY: dup2 onto one of the standard descriptors, then close our own temporary
        // descriptor; dup2 clears O_CLOEXEC on the copy, as for an inherited descriptor.
        unsafe {
            libc::dup2(null, fd);
            libc::close(null);
        }
    }
    Some(Ok(()))
}

/// `HANDLE GetStdHandle(DWORD nStdHandle)`
#[no_mangle]
pub extern "C" fn GetStdHandle(which: u32) -> usize {
    let _t = crate::trace_call!("GetStdHandle", which);
    ffi::win(INVALID_HANDLE_VALUE, || {
        let fd = match which {
            STD_INPUT_HANDLE => 0,
            STD_OUTPUT_HANDLE => 1,
            STD_ERROR_HANDLE => 2,
            _ => return Err(WsaError::ERROR_INVALID_HANDLE),
        };
        Ok(STD_HANDLE_BASE + 16 * fd)
    })
}

/// The terminal behind a console handle; `ERROR_INVALID_HANDLE` when the handle is not a
/// standard handle or its descriptor is not a terminal (a redirected handle is no console).
fn console_fd(h: usize) -> ffi::WsResult<i32> {
    let fd = std_fd(h).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
    // SAFETY: isatty has no memory preconditions.
    if unsafe { libc::isatty(fd) } != 1 {
        return Err(WsaError::ERROR_INVALID_HANDLE);
    }
    Ok(fd)
}

fn write_all(fd: i32, mut data: &[u8]) -> ffi::WsResult<()> {
    while !data.is_empty() {
        // SAFETY: `data` is a valid slice.
        let r = unsafe { libc::write(fd, data.as_ptr() as *const libc::c_void, data.len()) };
        if r < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(WsaError::ERROR_INVALID_HANDLE);
        }
        data = &data[r as usize..];
    }
    Ok(())
}

/// `BOOL WriteConsoleA(HANDLE, const VOID *lpBuffer, DWORD nNumberOfCharsToWrite,
/// LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved)`
#[no_mangle]
pub unsafe extern "C" fn WriteConsoleA(
    h: usize,
    buf: *const u8,
    n: u32,
    written: *mut u32,
    _reserved: *mut libc::c_void,
) -> i32 {
    let _t = crate::trace_call!("WriteConsoleA", h, buf, n, written, _reserved);
    ffi::win(0, || {
        let fd = console_fd(h)?;
        if buf.is_null() && n != 0 {
            return Err(WsaError::ERROR_NOACCESS);
        }
        let data = if n == 0 {
            &[][..]
        } else {
            // SAFETY: the caller's buffer holds `n` chars.
            unsafe { std::slice::from_raw_parts(buf, n as usize) }
        };
        write_all(fd, data)?;
        if !written.is_null() {
            // SAFETY: non-NULL caller out-parameter.
            unsafe { *written = n };
        }
        Ok(1)
    })
}

/// `BOOL WriteConsoleW(...)`: the UTF-16 text is written as UTF-8; the count is in WCHARs.
#[no_mangle]
pub unsafe extern "C" fn WriteConsoleW(
    h: usize,
    buf: *const u16,
    n: u32,
    written: *mut u32,
    _reserved: *mut libc::c_void,
) -> i32 {
    let _t = crate::trace_call!("WriteConsoleW", h, buf, n, written, _reserved);
    ffi::win(0, || {
        let fd = console_fd(h)?;
        if buf.is_null() && n != 0 {
            return Err(WsaError::ERROR_NOACCESS);
        }
        let units = if n == 0 {
            &[][..]
        } else {
            // SAFETY: the caller's buffer holds `n` WCHARs.
            unsafe { std::slice::from_raw_parts(buf, n as usize) }
        };
        write_all(fd, String::from_utf16_lossy(units).as_bytes())?;
        if !written.is_null() {
            // SAFETY: non-NULL caller out-parameter.
            unsafe { *written = n };
        }
        Ok(1)
    })
}

/// The terminal settings of a console input descriptor.
fn termios_of(fd: i32) -> ffi::WsResult<libc::termios> {
    // SAFETY: a zeroed termios is a valid out-parameter for tcgetattr.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is valid for writes.
    if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
        return Err(WsaError::ERROR_INVALID_HANDLE);
    }
    Ok(t)
}

/// `BOOL GetConsoleMode(HANDLE, LPDWORD)`: input modes from the terminal's settings
/// (ISIG, ICANON, ECHO) plus the window, mouse, VT-input and extended modes last set;
/// output handles report the output mode last set (processed output with wrapping at first).
#[no_mangle]
pub unsafe extern "C" fn GetConsoleMode(h: usize, mode: *mut u32) -> i32 {
    let _t = crate::trace_call!("GetConsoleMode", h, mode);
    ffi::win(0, || {
        let fd = console_fd(h)?;
        if mode.is_null() {
            return Err(WsaError::ERROR_NOACCESS);
        }
        let m = if fd == 0 {
            let t = termios_of(fd)?;
            let mut m = INPUT_EXTRA.load(Ordering::Acquire);
            if t.c_lflag & libc::ISIG != 0 {
                m |= ENABLE_PROCESSED_INPUT;
            }
            if t.c_lflag & libc::ICANON != 0 {
                m |= ENABLE_LINE_INPUT;
            }
            if t.c_lflag & libc::ECHO != 0 {
                m |= ENABLE_ECHO_INPUT;
            }
            m
        } else {
            OUTPUT_MODE.load(Ordering::Acquire)
        };
        // SAFETY: non-NULL caller out-parameter.
        unsafe { *mode = m };
        Ok(1)
    })
}

/// `BOOL SetConsoleMode(HANDLE, DWORD)`. Input: `ENABLE_PROCESSED_INPUT` is the terminal's
/// ISIG (Ctrl-C raises the signal that becomes `CTRL_C_EVENT`), `ENABLE_LINE_INPUT` its
/// ICANON (off: a read returns as soon as one byte is there), `ENABLE_ECHO_INPUT` its ECHO;
/// the other documented input modes are kept and reported back. As the Windows console host
/// does, the mode is applied even when it is refused: unknown bits, or echo without line
/// input, fail with `ERROR_INVALID_PARAMETER` after it is set. Output: the documented modes
/// are kept and reported back (the terminal processes control characters and VT sequences
/// whatever they say); unknown bits fail with `ERROR_INVALID_PARAMETER` and change nothing.
/// A handle that is no terminal fails with `ERROR_INVALID_HANDLE`.
#[no_mangle]
pub extern "C" fn SetConsoleMode(h: usize, mode: u32) -> i32 {
    let _t = crate::trace_call!("SetConsoleMode", h, mode);
    ffi::win(0, || {
        let fd = console_fd(h)?;
        if fd != 0 {
            if mode & !OUTPUT_MODES != 0 {
                return Err(WsaError::ERROR_INVALID_PARAMETER);
            }
            OUTPUT_MODE.store(mode, Ordering::Release);
            return Ok(1);
        }
        let mut t = termios_of(fd)?;
        let before = t;
        for (flag, bit) in [
            (ENABLE_PROCESSED_INPUT, libc::ISIG),
            (ENABLE_LINE_INPUT, libc::ICANON),
            (ENABLE_ECHO_INPUT, libc::ECHO),
        ] {
            if mode & flag != 0 {
                t.c_lflag |= bit;
            } else {
                t.c_lflag &= !bit;
            }
        }
        if t.c_lflag & libc::ICANON == 0 && before.c_lflag & libc::ICANON != 0 {
            // Character input: a read waits for one byte, with no timer.
            t.c_cc[libc::VMIN] = 1;
            t.c_cc[libc::VTIME] = 0;
        }
        if t.c_lflag != before.c_lflag {
            // SAFETY: `t` is a complete termios read from this terminal and then edited.
            if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) } != 0 {
                return Err(WsaError::ERROR_INVALID_HANDLE);
            }
        }
        let mut extra = mode & INPUT_KEPT;
        if mode & INPUT_PRIVATE != 0 {
            extra |= mode & INPUT_PRIVATE | ENABLE_EXTENDED_FLAGS;
        }
        INPUT_EXTRA.store(extra, Ordering::Release);
        if mode & !INPUT_MODES != 0
            || (mode & ENABLE_ECHO_INPUT != 0 && mode & ENABLE_LINE_INPUT == 0)
        {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        Ok(1)
    })
}
