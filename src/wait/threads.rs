//! Thread objects: `CreateThread`, `ExitThread`, `GetExitCodeThread`, `ResumeThread`,
//! `SuspendThread`, `GetThreadId`.
//!
//! A thread is a detached pthread whose handle names a [`Thread`] in the handle table. The
//! object owns a manual-reset [`Event`] that is set when the thread has exited, so every wait
//! (`WaitForSingleObject`, wait-any and wait-all mixed with events) treats a thread handle as
//! it treats an event. The new thread publishes its id and its waker before `CreateThread`
//! returns, so the id handed back is the one `GetCurrentThreadId` gives inside the thread and
//! `QueueUserAPC` can reach the thread's APC queue at once.
//!
//! The exit is signalled by a thread-local destructor registered before any other of the
//! library's thread-locals, so it runs after them (glibc runs them last-registered first): by
//! the time a waiter sees the thread object signalled, the thread's overlapped I/O has been
//! cancelled (`engine::io`'s exit hook) and its waker dropped.
//!
//! `ExitThread` ends the thread with `pthread_exit`, a forced unwind that crosses the
//! program's frames and this module's start routine. Those frames use the `"C-unwind"` ABI and
//! hold no values with destructors at the calls the unwind crosses, so the unwind is defined
//! and runs nothing of ours; the thread-local destructors run afterwards as on a return.

use super::event::Event;
use super::thread::{self as wthread, Waker};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use parking_lot::{Condvar, Mutex};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// `STILL_ACTIVE`: the exit code of a thread that has not exited.
pub const STILL_ACTIVE: u32 = 259;
/// `CREATE_SUSPENDED`
pub const CREATE_SUSPENDED: u32 = 0x4;
/// `MAXIMUM_SUSPEND_COUNT`: `SuspendThread` beyond this fails.
const MAXIMUM_SUSPEND_COUNT: u32 = 127;

/// `DWORD WINAPI ThreadProc(LPVOID)`. `"C-unwind"`: `ExitThread` unwinds through it.
pub type ThreadProc = unsafe extern "C-unwind" fn(usize) -> u32;

/// How far the thread has come; guarded by [`Thread::start`].
struct Start {
    /// Published by the new thread before `CreateThread` returns.
    tid: u32,
    /// Set once `tid` and `waker` are published (the waker leaves again at the exit).
    published: bool,
    waker: Option<Arc<Waker>>,
    /// Suspend count while the thread is held before its start routine.
    suspend: u32,
    /// The thread is still held before its start routine (created suspended, not resumed).
    held: bool,
}

pub struct Thread {
    /// Manual reset; set once the thread has exited.
    pub exited: Arc<Event>,
    exit_code: AtomicU32,
    start: Mutex<Start>,
    cv: Condvar,
}

impl Thread {
    fn new(suspended: bool) -> Thread {
        Thread {
            exited: Arc::new(Event::new(true, false)),
            exit_code: AtomicU32::new(STILL_ACTIVE),
            start: Mutex::new(Start {
                tid: 0,
                published: false,
                waker: None,
                suspend: suspended as u32,
                held: true,
            }),
            cv: Condvar::new(),
        }
    }

    pub fn tid(&self) -> u32 {
        self.start.lock().tid
    }

    /// The thread's waker (its APC queue), from its start until its exit.
    pub fn waker(&self) -> Option<Arc<Waker>> {
        self.start.lock().waker.clone()
    }

    pub fn has_exited(&self) -> bool {
        self.exited.is_set()
    }

    pub fn exit_code(&self) -> u32 {
        self.exit_code.load(Ordering::Acquire)
    }

    /// `ResumeThread`: the previous suspend count; the thread starts when it reaches 0.
    /// A thread that already runs was never suspended here: 0, as Windows gives for it.
    fn resume(&self) -> u32 {
        let mut s = self.start.lock();
        if !s.held {
            return 0;
        }
        let prev = s.suspend;
        if prev > 0 {
            s.suspend -= 1;
            if s.suspend == 0 {
                self.cv.notify_all();
            }
        }
        prev
    }

    /// `SuspendThread`: the previous suspend count. Only a thread still held before its
    /// start routine can be suspended; a running one would need to be stopped asynchronously.
    fn suspend(&self) -> WsResult<u32> {
        if self.has_exited() {
            return Err(WsaError::ERROR_ACCESS_DENIED);
        }
        let mut s = self.start.lock();
        if !s.held {
            return Err(WsaError::ERROR_NOT_SUPPORTED);
        }
        if s.suspend >= MAXIMUM_SUSPEND_COUNT {
            return Err(WsaError::ERROR_SIGNAL_REFUSED);
        }
        s.suspend += 1;
        Ok(s.suspend - 1)
    }
}

/// The thread object a handle names; `ERROR_INVALID_HANDLE` for anything else.
pub fn get(h: usize) -> WsResult<Arc<Thread>> {
    match table().get(h) {
        Some(Object::Thread(t)) => Ok(t),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// Close a thread handle; the thread itself runs on.
pub fn close(h: usize) -> WsResult<()> {
    match table().get(h) {
        Some(Object::Thread(_)) => table()
            .remove(h)
            .map(|_| ())
            .ok_or(WsaError::ERROR_INVALID_HANDLE),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// The calling thread's object (threads made by `CreateThread`) and its exit code so far.
struct Exit {
    thread: RefCell<Option<Arc<Thread>>>,
    code: std::cell::Cell<u32>,
}

impl Drop for Exit {
    fn drop(&mut self) {
        if let Some(t) = self.thread.borrow_mut().take() {
            // The waker goes with the thread (its eventfd closes now, not at CloseHandle);
            // QueueUserAPC on the handle then reports the thread as gone.
            let waker = t.start.lock().waker.take();
            drop(waker);
            t.exit_code.store(self.code.get(), Ordering::Release);
            t.exited.set();
        }
    }
}

thread_local! {
    static EXIT: Exit = const {
        Exit {
            thread: RefCell::new(None),
            code: std::cell::Cell::new(0),
        }
    };
}

/// What `CreateThread` hands to the new thread.
struct Launch {
    thread: Arc<Thread>,
    proc_: ThreadProc,
    param: usize,
}

/// First steps on the new thread: register the exit hook, publish the id and waker, wait
/// while suspended, run APCs queued before the start. Returns the start routine and its
/// parameter as plain values.
fn begin(launch: Launch) -> (ThreadProc, usize) {
    let Launch {
        thread,
        proc_,
        param,
    } = launch;
    // First thread-local touched on this thread: its destructor runs after all others.
    EXIT.with(|e| *e.thread.borrow_mut() = Some(thread.clone()));
    let waker = wthread::current();
    {
        let mut s = thread.start.lock();
        s.tid = waker.tid();
        s.waker = Some(waker.clone());
        s.published = true;
        thread.cv.notify_all();
        while s.suspend > 0 {
            thread.cv.wait(&mut s);
        }
        s.held = false;
    }
    // "If an application queues an APC before the thread begins running, the thread begins
    // by calling the APC function" (QueueUserAPC).
    if waker.has_apcs() {
        waker.run_apcs();
    }
    (proc_, param)
}

/// Record the exit code; the exit hook publishes it when the thread-locals are torn down.
fn note_exit(code: u32) {
    let _ = EXIT.try_with(|e| e.code.set(code));
}

/// The pthread start routine. `"C-unwind"` and free of pending destructors around the call
/// of the program's routine, so `ExitThread`'s forced unwind may cross it.
extern "C-unwind" fn thread_main(p: *mut libc::c_void) -> *mut libc::c_void {
    // SAFETY: `p` is the `Box<Launch>` CreateThread leaked for this thread alone.
    let launch = unsafe { Box::from_raw(p as *mut Launch) };
    let Ok((proc_, param)) =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || begin(*launch)))
    else {
        return std::ptr::null_mut();
    };
    // SAFETY: the program's start routine, called with the parameter it gave CreateThread.
    let code = unsafe { proc_(param) };
    note_exit(code);
    std::ptr::null_mut()
}

extern "C-unwind" {
    /// glibc's `pthread_exit`, declared as unwinding: it ends the thread by a forced unwind.
    fn pthread_exit(retval: *mut libc::c_void) -> !;
}

/// Spawn a detached pthread running `launch`, with at least `stack` bytes of stack.
fn spawn(launch: Box<Launch>, stack: usize) -> WsResult<()> {
    // SAFETY: zeroed storage for the attribute object that pthread_attr_init initialises.
    let mut attr: libc::pthread_attr_t = unsafe { std::mem::zeroed() };
    // SAFETY: `attr` is live local storage; init/set/get/destroy are used in order on it.
    unsafe {
        if libc::pthread_attr_init(&mut attr) != 0 {
            return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
        }
        libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_DETACHED);
        let mut default = 0usize;
        libc::pthread_attr_getstacksize(&attr, &mut default);
        if stack > default {
            let page = 4096usize;
            let size = stack.div_ceil(page).saturating_mul(page);
            if libc::pthread_attr_setstacksize(&mut attr, size) != 0 {
                libc::pthread_attr_destroy(&mut attr);
                return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
            }
        }
    }
    let p = Box::into_raw(launch);
    // SAFETY: pthread_create is declared with a "C" start routine; `thread_main` has the same
    // signature and calling convention, its "C-unwind" ABI only allowing unwinds through it.
    let start: extern "C" fn(*mut libc::c_void) -> *mut libc::c_void = unsafe {
        std::mem::transmute::<
            extern "C-unwind" fn(*mut libc::c_void) -> *mut libc::c_void,
            extern "C" fn(*mut libc::c_void) -> *mut libc::c_void,
        >(thread_main)
    };
    let mut tid: libc::pthread_t = 0;
    // SAFETY: `attr` is initialised; `p` stays valid until the new thread takes it.
    let r = unsafe { libc::pthread_create(&mut tid, &attr, start, p as *mut libc::c_void) };
    // SAFETY: `attr` was initialised above.
    unsafe { libc::pthread_attr_destroy(&mut attr) };
    if r != 0 {
        // SAFETY: no thread was created, so `p` is still ours.
        drop(unsafe { Box::from_raw(p) });
        return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
    }
    Ok(())
}

/// `CreateThread` in safe terms: the new handle and the thread id.
pub fn create(proc_: ThreadProc, param: usize, stack: usize, flags: u32) -> WsResult<(usize, u32)> {
    let thread = Arc::new(Thread::new(flags & CREATE_SUSPENDED != 0));
    let h = table()
        .insert(Object::Thread(thread.clone()))
        .ok_or(WsaError::ERROR_NOT_ENOUGH_MEMORY)?;
    let launch = Box::new(Launch {
        thread: thread.clone(),
        proc_,
        param,
    });
    if let Err(e) = spawn(launch, stack) {
        table().remove(h);
        return Err(e);
    }
    let mut s = thread.start.lock();
    while !s.published {
        thread.cv.wait(&mut s);
    }
    Ok((h, s.tid))
}

/// `HANDLE CreateThread(LPSECURITY_ATTRIBUTES, SIZE_T dwStackSize, LPTHREAD_START_ROUTINE,
/// LPVOID, DWORD dwCreationFlags, LPDWORD lpThreadId)`. The security attributes are
/// ignored; a stack size above the default is honoured; `CREATE_SUSPENDED` holds the thread
/// until `ResumeThread`. NULL on failure.
///
/// # Safety
/// `tid_out` must be NULL or point to a writable DWORD.
#[no_mangle]
pub unsafe extern "C" fn CreateThread(
    _sa: usize,
    stack: usize,
    start: Option<ThreadProc>,
    param: usize,
    flags: u32,
    tid_out: *mut u32,
) -> usize {
    let _t = crate::trace_call!("CreateThread", _sa, stack, start, param, flags, tid_out);
    ffi::win(0, || {
        let start = start.ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
        let (h, tid) = create(start, param, stack, flags)?;
        // SAFETY: NULL or a writable DWORD by the caller's contract.
        if let Some(out) = unsafe { tid_out.as_mut() } {
            *out = tid;
        }
        Ok(h)
    })
}

/// `VOID ExitThread(DWORD dwExitCode)`: ends the calling thread; its thread-local cleanup
/// runs, then its handle is signalled with `dwExitCode` as the exit code.
#[no_mangle]
pub extern "C-unwind" fn ExitThread(code: u32) {
    {
        // The trace line is written here: nothing with a destructor may be live below.
        let _t = crate::trace_call!("ExitThread", code);
        ffi::win((), || {
            note_exit(code);
            Ok(())
        });
    }
    // SAFETY: ends the calling thread. Every frame between here and the thread's start is
    // the program's or a "C-unwind" frame of ours with no pending destructors.
    unsafe { pthread_exit(std::ptr::null_mut()) }
}

/// `BOOL GetExitCodeThread(HANDLE, LPDWORD)`: `STILL_ACTIVE` while the thread runs.
///
/// # Safety
/// `code` must be NULL or point to a writable DWORD.
#[no_mangle]
pub unsafe extern "C" fn GetExitCodeThread(h: usize, code: *mut u32) -> i32 {
    let _t = crate::trace_call!("GetExitCodeThread", h, code);
    ffi::win(0, || {
        let v = if h == wthread::CURRENT_THREAD {
            STILL_ACTIVE
        } else {
            get(h)?.exit_code()
        };
        // SAFETY: NULL or a writable DWORD by the caller's contract.
        let out = unsafe { code.as_mut() }.ok_or(WsaError::ERROR_NOACCESS)?;
        *out = v;
        Ok(1)
    })
}

/// `DWORD ResumeThread(HANDLE)`: the previous suspend count, `(DWORD)-1` on failure.
#[no_mangle]
pub extern "C" fn ResumeThread(h: usize) -> u32 {
    let _t = crate::trace_call!("ResumeThread", h);
    ffi::win(u32::MAX, || Ok(get(h)?.resume()))
}

/// `DWORD SuspendThread(HANDLE)`: the previous suspend count, `(DWORD)-1` on failure.
/// Partial: only a thread created suspended and not yet started can be suspended again.
#[no_mangle]
pub extern "C" fn SuspendThread(h: usize) -> u32 {
    let _t = crate::trace_call!("SuspendThread", h);
    ffi::win(u32::MAX, || {
        if h == wthread::CURRENT_THREAD {
            return Err(WsaError::ERROR_NOT_SUPPORTED);
        }
        get(h)?.suspend()
    })
}

/// `DWORD GetThreadId(HANDLE)`: the id of the thread a handle names; 0 on failure.
#[no_mangle]
pub extern "C" fn GetThreadId(h: usize) -> u32 {
    let _t = crate::trace_call!("GetThreadId", h);
    ffi::win(0, || {
        if h == wthread::CURRENT_THREAD {
            return Ok(wthread::with_current(|w| w.tid()));
        }
        Ok(get(h)?.tid())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static SEEN: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C-unwind" fn add(p: usize) -> u32 {
        SEEN.fetch_add(p, Ordering::SeqCst);
        (p * 2) as u32
    }

    unsafe extern "C-unwind" fn exits(p: usize) -> u32 {
        ExitThread(p as u32 + 1);
        0
    }

    fn join(h: usize) {
        assert_eq!(super::super::WaitForSingleObject(h, 5000), 0);
    }

    #[test]
    fn runs_and_reports_exit_code() {
        let (h, tid) = create(add, 21, 0, 0).unwrap();
        assert_ne!(tid, 0);
        join(h);
        let t = get(h).unwrap();
        assert_eq!(t.exit_code(), 42);
        assert_eq!(t.tid(), tid);
        close(h).unwrap();
        assert!(get(h).is_err());
    }

    #[test]
    fn suspended_until_resumed() {
        let (h, _) = create(add, 1000, 1 << 20, CREATE_SUSPENDED).unwrap();
        let t = get(h).unwrap();
        assert_eq!(t.suspend().unwrap(), 1);
        assert_eq!(t.resume(), 2);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(t.exit_code(), STILL_ACTIVE);
        assert_eq!(t.resume(), 1);
        join(h);
        assert_eq!(t.exit_code(), 2000);
        assert_eq!(t.resume(), 0);
        assert_eq!(t.suspend(), Err(WsaError::ERROR_ACCESS_DENIED));
        close(h).unwrap();
    }

    #[test]
    fn exit_thread_sets_the_code() {
        let (h, _) = create(exits, 6, 0, 0).unwrap();
        join(h);
        assert_eq!(get(h).unwrap().exit_code(), 7);
        close(h).unwrap();
    }
}
