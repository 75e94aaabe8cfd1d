//! Per-thread state: the wake-up eventfd every wait of the thread sleeps on, and the queue of
//! asynchronous procedure calls (completion routines and `QueueUserAPC` calls) that only this
//! thread runs, inside its alertable waits.

use crate::ffi;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// `VOID CALLBACK routine(DWORD dwError, DWORD cbTransferred, LPWSAOVERLAPPED, DWORD dwFlags)`
pub type WsaRoutine = unsafe extern "C" fn(u32, u32, usize, u32);
/// `VOID APIENTRY apc(ULONG_PTR dwParam)`
pub type ApcFn = unsafe extern "C" fn(usize);

/// One queued call.
pub enum Apc {
    User {
        f: ApcFn,
        data: usize,
    },
    Routine {
        f: WsaRoutine,
        err: u32,
        bytes: u32,
        ov: usize,
        flags: u32,
    },
}

/// A thread's wake-up eventfd plus its APC queue. Whoever must interrupt the thread's wait
/// (a completion for it, an event it waits on, `closesocket` of a socket it blocks on) calls
/// [`Waker::wake`].
pub struct Waker {
    fd: RawFd,
    awake: AtomicBool,
    tid: u32,
    apcs: Mutex<VecDeque<Apc>>,
    has_apcs: AtomicBool,
}

impl Waker {
    fn new() -> Waker {
        // SAFETY: plain syscall; a failure leaves fd -1 and every poll on it reports POLLNVAL.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        Waker {
            fd,
            awake: AtomicBool::new(false),
            // SAFETY: gettid has no preconditions.
            tid: unsafe { libc::gettid() } as u32,
            apcs: Mutex::new(VecDeque::new()),
            has_apcs: AtomicBool::new(false),
        }
    }

    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// The Linux thread id, which is also the thread's Windows thread id.
    pub fn tid(&self) -> u32 {
        self.tid
    }

    /// Wake the owning thread; repeated wakes before it drains cost no syscall, and a thread
    /// never needs to wake itself (it re-checks its wait after every step of its own).
    pub fn wake(&self) {
        if self.is_current() {
            return;
        }
        if !self.awake.swap(true, Ordering::AcqRel) {
            let one: u64 = 1;
            // SAFETY: writes 8 bytes from a live u64 to our eventfd.
            unsafe { libc::write(self.fd, &one as *const u64 as *const libc::c_void, 8) };
        }
    }

    /// Consume pending wakes (called by the owning thread).
    /// The fd is read before the flag is cleared, so the flag is never left set over an empty
    /// fd (which would swallow every later wake). A wake that lands between the two skips its
    /// write, which is harmless: every caller re-checks what it waits for after a drain.
    pub fn drain(&self) {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into a live u64 from our non-blocking eventfd.
        unsafe { libc::read(self.fd, &mut v as *mut u64 as *mut libc::c_void, 8) };
        self.awake.store(false, Ordering::SeqCst);
    }

    /// This is the calling thread's waker. Never creates one: a thread that has none (the
    /// completion thread setting an event) owns none.
    pub fn is_current(&self) -> bool {
        CURRENT_PTR
            .try_with(|p| p.get() == self as *const Waker as usize)
            .unwrap_or(false)
    }

    /// Queue a call for the owning thread's next alertable wait.
    pub fn queue(&self, apc: Apc) {
        self.apcs.lock().push_back(apc);
        self.has_apcs.store(true, Ordering::Release);
        self.wake();
    }

    pub fn has_apcs(&self) -> bool {
        self.has_apcs.load(Ordering::Acquire)
    }

    /// Run every queued call, oldest first, including calls queued by the calls themselves.
    /// Only the owning thread calls this. Returns how many ran.
    pub fn run_apcs(&self) -> usize {
        let mut ran = 0;
        loop {
            let next = {
                let mut q = self.apcs.lock();
                let a = q.pop_front();
                if q.is_empty() {
                    self.has_apcs.store(false, Ordering::Release);
                }
                a
            };
            let Some(apc) = next else { return ran };
            ran += 1;
            match apc {
                // SAFETY: the program gave these function pointers with these signatures.
                Apc::User { f, data } => unsafe { f(data) },
                // SAFETY: as above; `ov` is the program's OVERLAPPED, still owned by it.
                Apc::Routine {
                    f,
                    err,
                    bytes,
                    ov,
                    flags,
                } => unsafe { f(err, bytes, ov, flags) },
            }
        }
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        if self.fd >= 0 {
            // SAFETY: the eventfd is owned by this waker.
            unsafe { libc::close(self.fd) };
        }
    }
}

thread_local! {
    static CURRENT: Arc<Waker> = {
        let w = Arc::new(Waker::new());
        CURRENT_PTR.with(|p| p.set(Arc::as_ptr(&w) as usize));
        w
    };
    /// The address of the thread's waker once it has one (0 before). `is_current` reads this
    /// instead of `CURRENT`, which would create a waker (and an eventfd) in a thread that
    /// only sets events, such as the completion thread.
    static CURRENT_PTR: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The calling thread's waker.
pub fn current() -> Arc<Waker> {
    CURRENT.with(|w| w.clone())
}

/// Run `f` with the calling thread's waker without touching its reference count.
pub fn with_current<R>(f: impl FnOnce(&Arc<Waker>) -> R) -> R {
    CURRENT.with(f)
}

/// The pseudo-handle `GetCurrentThread` returns.
pub const CURRENT_THREAD: usize = usize::MAX - 1;

/// `HANDLE GetCurrentThread(void)`: the pseudo-handle (-2) that names the calling thread.
#[no_mangle]
pub extern "C" fn GetCurrentThread() -> usize {
    let _t = crate::trace_call!("GetCurrentThread");
    crate::trace::ret(|| CURRENT_THREAD)
}

/// `DWORD GetCurrentThreadId(void)`
#[no_mangle]
pub extern "C" fn GetCurrentThreadId() -> u32 {
    let _t = crate::trace_call!("GetCurrentThreadId");
    crate::trace::ret(|| with_current(|w| w.tid()))
}

/// `DWORD QueueUserAPC(PAPCFUNC, HANDLE hThread, ULONG_PTR)`: queue a call to the next
/// alertable wait of the thread `hThread` names: the calling thread's pseudo-handle, or a
/// handle from `CreateThread`. A thread that has exited takes no more calls.
#[no_mangle]
pub extern "C" fn QueueUserAPC(f: Option<ApcFn>, thread: usize, data: usize) -> u32 {
    let _t = crate::trace_call!("QueueUserAPC", f, thread, data);
    use crate::error::WsaError;
    ffi::win(0, || {
        let f = f.ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
        if thread == CURRENT_THREAD {
            with_current(|w| w.queue(Apc::User { f, data }));
            return Ok(1);
        }
        let t = super::threads::get(thread)?;
        match t.waker() {
            Some(w) if !t.has_exited() => {
                w.queue(Apc::User { f, data });
                Ok(1)
            }
            _ => Err(WsaError::ERROR_GEN_FAILURE),
        }
    })
}
