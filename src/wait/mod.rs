//! Waiting: event objects, the per-thread wake-up fd and APC queue, and the one wait loop
//! behind `WSAWaitForMultipleEvents`, `WaitForSingleObject(Ex)`, `WaitForMultipleObjects(Ex)`,
//! `Sleep` and `SleepEx`.
//!
//! A waiting thread registers its [`thread::Waker`] on every object it waits for, then sleeps
//! in `poll` on its own eventfd and, when it holds the engine's reaping token, on the
//! io_uring fd as well: a thread waiting for its own completions reaps them itself, with no
//! other thread in between (see `engine::Participant`).

pub mod event;
pub mod objects;
pub mod thread;
pub mod threads;

use crate::engine;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use event::{Acquire, Event};
use parking_lot::Mutex;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const INFINITE: u32 = u32::MAX;
pub const WAIT_OBJECT_0: u32 = 0;
pub const WAIT_ABANDONED_0: u32 = 0x80;
pub const WAIT_IO_COMPLETION: u32 = 0xC0;
pub const WAIT_TIMEOUT: u32 = 258;
pub const WAIT_FAILED: u32 = u32::MAX;
pub const MAXIMUM_WAIT_OBJECTS: u32 = 64;

/// How a wait ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The object at this index satisfied the wait (wait-all: 0).
    Object(usize),
    Timeout,
    /// Queued calls ran in an alertable wait.
    Apc,
    /// The wait took a mutex abandoned by its previous owner, at this index (wait-all: 0).
    Abandoned(usize),
}

impl Outcome {
    fn code(&self) -> u32 {
        match self {
            Outcome::Object(i) => WAIT_OBJECT_0 + *i as u32,
            Outcome::Timeout => WAIT_TIMEOUT,
            Outcome::Apc => WAIT_IO_COMPLETION,
            Outcome::Abandoned(i) => WAIT_ABANDONED_0 + *i as u32,
        }
    }
}

/// Wait-all takes every object in one step under this lock, so two wait-all callers never
/// each take half of a set of auto-reset events.
static WAIT_ALL: Mutex<()> = Mutex::new(());

fn check(objs: &[Arc<Event>], all: bool) -> Option<Outcome> {
    if !all {
        for (i, o) in objs.iter().enumerate() {
            match o.try_acquire() {
                Acquire::No => {}
                Acquire::Yes => return Some(Outcome::Object(i)),
                Acquire::Abandoned => return Some(Outcome::Abandoned(i)),
            }
        }
        return None;
    }
    let _g = WAIT_ALL.lock();
    if !objs.iter().all(|o| o.is_set()) {
        return None;
    }
    // At most MAXIMUM_WAIT_OBJECTS objects: what each take gave, to give it back exactly.
    let mut taken = [Acquire::No; MAXIMUM_WAIT_OBJECTS as usize];
    for (i, o) in objs.iter().enumerate() {
        taken[i] = o.try_acquire();
        if taken[i] == Acquire::No {
            // Another thread took an object in between: give back what was taken (an
            // abandoned mutex stays abandoned for the wait that really takes it).
            for (p, t) in objs[..i].iter().zip(taken) {
                p.undo_acquire(t == Acquire::Abandoned);
            }
            return None;
        }
    }
    // A satisfied wait-all reports WAIT_ABANDONED_0 (index 0) when it took any abandoned
    // mutex, as Windows' kernel reports STATUS_ABANDONED for the whole wait.
    if taken[..objs.len()].contains(&Acquire::Abandoned) {
        Some(Outcome::Abandoned(0))
    } else {
        Some(Outcome::Object(0))
    }
}

/// The deadline for a Windows timeout in milliseconds (`INFINITE` has none).
pub fn deadline(ms: u32) -> Option<Instant> {
    (ms != INFINITE).then(|| Instant::now() + Duration::from_millis(ms as u64))
}

/// Wait for one (or all) of `objs`, up to `deadline`; an alertable wait also ends by running
/// the thread's queued calls. The thread reaps io_uring completions while it sleeps whenever
/// it holds the reaping token.
pub fn wait(objs: &[Arc<Event>], all: bool, deadline: Option<Instant>, alertable: bool) -> Outcome {
    // Collect the ring's finished operations first (without sleeping, unless another thread
    // is reaping): a wait satisfied by an already signalled object or a queued routine would
    // otherwise leave them waiting as long as such waits keep being satisfied.
    engine::reap_now();
    // Fast path: already satisfied, no registration needed. It still counts as a wait, so
    // the completion thread leaves reaping to this thread.
    if let Some(o) = check(objs, all) {
        engine::note_wait();
        return o;
    }
    thread::with_current(|w| {
        for o in objs {
            o.watch(w);
        }
        struct Unwatch<'a>(&'a [Arc<Event>], &'a Arc<thread::Waker>);
        impl Drop for Unwatch<'_> {
            fn drop(&mut self) {
                for o in self.0 {
                    o.unwatch(self.1);
                }
            }
        }
        let _unwatch = Unwatch(objs, w);
        let mut part = engine::Participant::new(w);
        let mut reaped = false;
        loop {
            if let Some(o) = check(objs, all) {
                return o;
            }
            if alertable && w.has_apcs() {
                drop(part);
                w.run_apcs();
                return Outcome::Apc;
            }
            let timeout = crate::socket::poll_timeout(deadline);
            if timeout == 0 {
                // A wait that does not sleep still reaps once: a thread polling with zero
                // timeouts must see its completions, and it keeps the completion thread
                // from taking over reaping, since it counts as a waiting thread.
                if !reaped {
                    reaped = true;
                    if part.reap_once() {
                        continue;
                    }
                }
                return Outcome::Timeout;
            }
            part.sleep(timeout);
        }
    })
}

/// What a wait on `GetCurrentThread()` waits for: never signalled.
static NEVER: once_cell::sync::Lazy<Arc<Event>> =
    once_cell::sync::Lazy::new(|| Arc::new(Event::new(true, false)));

/// The event a waitable handle stands for: an event itself, or a socket's completion signal
/// (set when an overlapped operation on it completes, as Windows signals a file handle), or a
/// thread's exit signal.
pub fn waitable(h: usize) -> WsResult<Arc<Event>> {
    match table().get(h) {
        Some(Object::Event(e)) => Ok(e),
        Some(Object::Socket(s)) => Ok(s.signal.clone()),
        Some(Object::Thread(t)) => Ok(t.exited.clone()),
        // The calling thread's pseudo-handle: a thread never sees itself exit.
        None if h == thread::CURRENT_THREAD => Ok(NEVER.clone()),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// Resolve a caller's handle array (1..=64 entries) into `out`.
///
/// # Safety
/// `handles` must be NULL or point to `n` handles.
unsafe fn resolve(n: u32, handles: *const usize, out: &mut Vec<Arc<Event>>) -> WsResult<()> {
    if n == 0 || n > MAXIMUM_WAIT_OBJECTS {
        return Err(WsaError::ERROR_INVALID_PARAMETER);
    }
    if handles.is_null() {
        return Err(WsaError::ERROR_NOACCESS);
    }
    // SAFETY: `n` handles by the caller's contract.
    let hs = unsafe { std::slice::from_raw_parts(handles, n as usize) };
    for &h in hs {
        out.push(waitable(h)?);
    }
    Ok(())
}

thread_local! {
    /// The object list of the thread's current wait, kept between waits so a wait allocates
    /// nothing once warm (a wait nested in an APC gets a fresh list).
    static OBJS: std::cell::Cell<Vec<Arc<Event>>> = const { std::cell::Cell::new(Vec::new()) };
}

unsafe fn wait_many(n: u32, handles: *const usize, all: i32, ms: u32, alertable: i32) -> u32 {
    ffi::win(WAIT_FAILED, || {
        let mut objs = OBJS.with(|c| c.take());
        // SAFETY: forwarded caller contract.
        let r = unsafe { resolve(n, handles, &mut objs) }
            .map(|_| wait(&objs, all != 0, deadline(ms), alertable != 0).code());
        objs.clear();
        OBJS.with(|c| c.set(objs));
        r
    })
}

/// `DWORD WSAWaitForMultipleEvents(DWORD, const WSAEVENT*, BOOL fWaitAll, DWORD, BOOL)`
#[no_mangle]
pub unsafe extern "C" fn WSAWaitForMultipleEvents(
    n: u32,
    events: *const usize,
    all: i32,
    ms: u32,
    alertable: i32,
) -> u32 {
    let _t = crate::trace_call!("WSAWaitForMultipleEvents", n, events, all, ms, alertable);
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { wait_many(n, events, all, ms, alertable) }
    })
}

/// `DWORD WaitForMultipleObjects(DWORD, const HANDLE*, BOOL bWaitAll, DWORD)`
#[no_mangle]
pub unsafe extern "C" fn WaitForMultipleObjects(
    n: u32,
    handles: *const usize,
    all: i32,
    ms: u32,
) -> u32 {
    let _t = crate::trace_call!("WaitForMultipleObjects", n, handles, all, ms);
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { wait_many(n, handles, all, ms, 0) }
    })
}

/// `DWORD WaitForMultipleObjectsEx(DWORD, const HANDLE*, BOOL, DWORD, BOOL bAlertable)`
#[no_mangle]
pub unsafe extern "C" fn WaitForMultipleObjectsEx(
    n: u32,
    handles: *const usize,
    all: i32,
    ms: u32,
    alertable: i32,
) -> u32 {
    let _t = crate::trace_call!("WaitForMultipleObjectsEx", n, handles, all, ms, alertable);
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { wait_many(n, handles, all, ms, alertable) }
    })
}

/// `DWORD WaitForSingleObject(HANDLE, DWORD)`
#[no_mangle]
pub extern "C" fn WaitForSingleObject(h: usize, ms: u32) -> u32 {
    let _t = crate::trace_call!("WaitForSingleObject", h, ms);
    crate::trace::ret(|| {
        // SAFETY: one handle read from a live local.
        unsafe { wait_many(1, &h, 0, ms, 0) }
    })
}

/// `DWORD WaitForSingleObjectEx(HANDLE, DWORD, BOOL bAlertable)`
#[no_mangle]
pub extern "C" fn WaitForSingleObjectEx(h: usize, ms: u32, alertable: i32) -> u32 {
    let _t = crate::trace_call!("WaitForSingleObjectEx", h, ms, alertable);
    crate::trace::ret(|| {
        // SAFETY: one handle read from a live local.
        unsafe { wait_many(1, &h, 0, ms, alertable) }
    })
}

/// `DWORD SleepEx(DWORD, BOOL bAlertable)`: 0, or `WAIT_IO_COMPLETION` when queued calls ran.
#[no_mangle]
pub extern "C" fn SleepEx(ms: u32, alertable: i32) -> u32 {
    let _t = crate::trace_call!("SleepEx", ms, alertable);
    ffi::win(0, || {
        Ok(match wait(&[], false, deadline(ms), alertable != 0) {
            Outcome::Apc => WAIT_IO_COMPLETION,
            _ => 0,
        })
    })
}

/// `VOID Sleep(DWORD)`
#[no_mangle]
pub extern "C" fn Sleep(ms: u32) {
    let _t = crate::trace_call!("Sleep", ms);
    ffi::win((), || {
        wait(&[], false, deadline(ms), false);
        Ok(())
    })
}
