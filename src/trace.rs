//! Call tracing: `WS2_TRACE=1` writes one line per call into the library, in the spirit of
//! Wine's `+winsock` channel, to stderr or to the file named by `WS2_TRACE_FILE`:
//!
//! ```text
//! 0001a2b3:trace:ws2 WSARecv(s=0x1c, bufs=0x7ffd1c2e3a40, n=1, ...) -> -1 WSA_IO_PENDING(997) [ring: RECVMSG fd=7 ud=0x100000005]
//! 0001a2b3:trace:ws2 ring: CQE ud=0x100000005 res=64
//! ```
//!
//! The prefix is the Linux thread id in hex. A call line holds the function, its arguments
//! (pointers and handles in hex), what it returned, the last error the caller sees (name and
//! number; `ok` when none was set by a failing call), and the io_uring submissions the calling
//! thread made during the call. Completions get their own `ring: CQE` lines from whichever
//! thread reaps them, so an operation can be followed by its `ud`. Only the outermost export
//! on a thread logs: an export used inside another one adds nothing to the line.
//!
//! Off (the default), a call costs one load of a static flag and a predictable branch: no
//! thread-local access, no allocation, no syscall. The environment is read once, when the
//! library is loaded.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

static ON: AtomicBool = AtomicBool::new(false);
static FD: AtomicI32 = AtomicI32::new(2);

/// Is tracing on? The one branch every export pays.
#[inline(always)]
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}

extern "C" fn init() {
    let want = std::env::var_os("WS2_TRACE").is_some_and(|v| !v.is_empty() && v != "0");
    if !want {
        return;
    }
    if let Some(path) = std::env::var_os("WS2_TRACE_FILE") {
        use std::os::unix::ffi::OsStrExt;
        let mut p = path.as_bytes().to_vec();
        p.push(0);
        // SAFETY: `p` is a NUL-terminated path that lives across the call.
        let fd = unsafe {
            libc::open(
                p.as_ptr().cast(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC,
                0o644,
            )
        };
        if fd >= 0 {
            FD.store(fd, Ordering::Relaxed);
        }
    }
    ON.store(true, Ordering::Relaxed);
}

/// Read the environment when the library is loaded, before any export can run.
#[used]
#[link_section = ".init_array"]
static INIT: extern "C" fn() = init;

/// Write one whole line with a single `write`, so lines of different threads never interleave
/// (appends of up to a page are atomic on files and pipes).
fn emit(line: &str) {
    let fd = FD.load(Ordering::Relaxed);
    let mut b = line.as_bytes();
    while !b.is_empty() {
        // SAFETY: writes from a live byte slice to a descriptor the library owns or stderr.
        let n = unsafe { libc::write(fd, b.as_ptr().cast(), b.len()) };
        if n <= 0 {
            return;
        }
        b = &b[n as usize..];
    }
}

fn prefix(s: &mut String) {
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::gettid() };
    let _ = write!(s, "{tid:08x}:trace:ws2 ");
}

/// An argument as the trace shows it: handles and pointers in hex, numbers in decimal.
pub trait Arg {
    fn show(&self, out: &mut String);
}

macro_rules! decimal {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn show(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
decimal!(i8, u8, i16, u16, i32, u32, i64, u64, isize, bool);

impl Arg for usize {
    fn show(&self, out: &mut String) {
        let _ = write!(out, "{self:#x}");
    }
}

impl<T: ?Sized> Arg for *const T {
    fn show(&self, out: &mut String) {
        if self.is_null() {
            out.push_str("NULL");
        } else {
            let _ = write!(out, "{:p}", *self);
        }
    }
}

impl<T: ?Sized> Arg for *mut T {
    fn show(&self, out: &mut String) {
        (*self as *const T).show(out)
    }
}

impl<T> Arg for Option<T> {
    /// Function pointers (completion routines, thread procedures, handlers): set or NULL.
    fn show(&self, out: &mut String) {
        match self {
            Some(f) if std::mem::size_of::<T>() == std::mem::size_of::<usize>() => {
                // SAFETY: `T` is pointer-sized (a function pointer): its bits are the address.
                let v: usize = unsafe { std::mem::transmute_copy(f) };
                let _ = write!(out, "{v:#x}");
            }
            Some(_) => out.push_str("set"),
            None => out.push_str("NULL"),
        }
    }
}

impl Arg for () {
    fn show(&self, out: &mut String) {
        out.push_str("void");
    }
}

struct Call {
    line: String,
    /// The submissions made during the call, appended after the result.
    ops: String,
    /// The boundary recorded a result.
    done: bool,
}

thread_local! {
    /// Nesting depth of exports on this thread, and the outermost call's line.
    static CALL: RefCell<(u32, Option<Call>)> = const { RefCell::new((0, None)) };
}

/// Ends the call when the export returns (whatever way it returns).
pub struct Guard(());

impl Drop for Guard {
    fn drop(&mut self) {
        let line = CALL
            .try_with(|c| {
                let mut c = c.borrow_mut();
                c.0 -= 1;
                if c.0 == 0 {
                    c.1.take()
                } else {
                    None
                }
            })
            .ok()
            .flatten();
        if let Some(mut call) = line {
            if !call.done {
                call.line.push_str(" -> (no return)");
            }
            call.line.push_str(&call.ops);
            call.line.push('\n');
            emit(&call.line);
        }
    }
}

/// Start a call line: `name(a=.., b=..)`. Called only when tracing is on.
#[cold]
pub fn begin(name: &str, args: &[(&str, &dyn Arg)]) -> Guard {
    let _ = CALL.try_with(|c| {
        let mut c = c.borrow_mut();
        c.0 += 1;
        if c.0 == 1 {
            let mut line = String::with_capacity(160);
            prefix(&mut line);
            line.push_str(name);
            line.push('(');
            for (i, (n, a)) in args.iter().enumerate() {
                if i > 0 {
                    line.push_str(", ");
                }
                line.push_str(n);
                line.push('=');
                a.show(&mut line);
            }
            line.push(')');
            c.1 = Some(Call {
                line,
                ops: String::new(),
                done: false,
            });
        }
    });
    Guard(())
}

/// The boundary's result: what the export returns and the error it leaves (`None`: none set).
#[cold]
pub fn result(ret: &dyn Arg, err: Option<u32>) {
    let _ = CALL.try_with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != 1 {
            return;
        }
        if let Some(call) = c.1.as_mut() {
            if call.done {
                return;
            }
            call.done = true;
            call.line.push_str(" -> ");
            ret.show(&mut call.line);
            match err {
                Some(e) => {
                    let name = crate::error::WsaError::name(e).unwrap_or("?");
                    let _ = write!(call.line, " {name}({e})");
                }
                None => call.line.push_str(" ok"),
            }
        }
    });
}

/// The value an export returns without going through the boundary (`ffi::ws`/`win`/`code`,
/// which record it with the error); shown when the boundary did not record one.
#[inline(always)]
pub fn ret<T: Arg>(body: impl FnOnce() -> T) -> T {
    let v = body();
    if on() {
        record_value(&v);
    }
    v
}

#[inline(never)]
#[cold]
fn record_value(v: &dyn Arg) {
    let _ = CALL.try_with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != 1 {
            return;
        }
        if let Some(call) = c.1.as_mut().filter(|call| !call.done) {
            call.done = true;
            call.line.push_str(" -> ");
            v.show(&mut call.line);
        }
    });
}

/// An io_uring submission made by the calling thread: appended to its call's line, or a line of
/// its own when no call is active (a completion that submits the next queued operation).
pub fn op(what: fmt::Arguments) {
    let own = CALL
        .try_with(|c| {
            let mut c = c.borrow_mut();
            match c.1.as_mut() {
                Some(call) => {
                    let _ = write!(call.ops, " [ring: {what}]");
                    false
                }
                None => true,
            }
        })
        .unwrap_or(true);
    if own {
        let mut line = String::with_capacity(96);
        prefix(&mut line);
        let _ = writeln!(line, "ring: SQE {what}");
        emit(&line);
    }
}

/// A completion reaped from the ring.
pub fn cqe(ud: u64, res: i32) {
    let mut line = String::with_capacity(80);
    prefix(&mut line);
    let _ = writeln!(line, "ring: CQE ud={ud:#x} res={res}");
    emit(&line);
}

/// Trace an export's call. Expands to one branch on the static flag when tracing is off.
/// `trace_call!("send", s, buf, len, flags)`; keep the returned guard alive for the call.
#[macro_export]
macro_rules! trace_call {
    ($name:expr $(, $arg:ident)* $(,)?) => {
        if $crate::trace::on() {
            Some($crate::trace::begin($name, &[$((stringify!($arg), &$arg as &dyn $crate::trace::Arg)),*]))
        } else {
            None
        }
    };
}
