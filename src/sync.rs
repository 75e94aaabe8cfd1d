//! Slim reader/writer locks, condition variables and one-time initialisation, each kept
//! entirely in the caller's pointer-sized word (zero is the initial state): no allocation, no
//! registration, nothing to delete. Threads block with a futex on the low 32 bits of the word
//! (the first four bytes on this little-endian ABI).
//!
//! * `SRWLOCK`: bit 31 held exclusively, bit 30 threads are blocked, bits 0-29 shared
//!   holders. A blocked exclusive request makes new shared requests wait too, so writers are
//!   not starved; a release that sees blocked threads wakes them all to compete again.
//! * `CONDITION_VARIABLE`: a wake sequence number. A sleeper reads it before releasing its
//!   lock and sleeps only while it is unchanged, so no wake between the two is lost.
//! * `INIT_ONCE`: 0 not done, 1 running synchronously (5 with blocked threads), 3 running
//!   asynchronously (no thread blocks), or the context with bit 1 set once done. A failed
//!   synchronous initialisation puts the word back to 0 and wakes the blocked threads, one of
//!   which initialises again. `InitOnceExecuteOnce` and `InitOnceBeginInitialize`/`Complete`
//!   share this word, so the two styles work on one INIT_ONCE.

use crate::critsec::CriticalSection;
use crate::error::{set_last_error, WsaError};
use crate::ffi;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::Instant;

/// Sleep while the 32-bit word at `word` holds `expected`, up to `deadline`. `false` once
/// the deadline has passed.
fn futex_wait(word: &AtomicU32, expected: u32, deadline: Option<Instant>) -> bool {
    let ts = match deadline {
        None => None,
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            Some(libc::timespec {
                tv_sec: left.as_secs() as libc::time_t,
                tv_nsec: left.subsec_nanos() as libc::c_long,
            })
        }
    };
    let tsp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    let _blocked = crate::iocp::blocking(-1);
    // SAFETY: FUTEX_WAIT on a live, aligned 32-bit word with a valid or NULL timeout; every
    // return is re-checked by the caller.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            tsp,
        )
    };
    !(r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ETIMEDOUT))
}

fn futex_wake(word: &AtomicU32, n: i32) {
    // SAFETY: FUTEX_WAKE on a live, aligned 32-bit word.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            n,
        )
    };
}

/// The low 32 bits of a caller's pointer-sized lock word.
///
/// # Safety
/// `p` must point to a live, 8-byte aligned pointer-sized word used only through these
/// functions while they run.
unsafe fn low<'a>(p: *mut usize) -> &'a AtomicU32 {
    // SAFETY: the word is live and aligned by the caller's contract; its first 4 bytes are
    // its low 32 bits on little-endian x86-64/aarch64, and all access is atomic.
    unsafe { AtomicU32::from_ptr(p as *mut u32) }
}

// ---------------------------------------------------------------------------- SRWLOCK

const EXCL: u32 = 1 << 31;
const PARKED: u32 = 1 << 30;
const READERS: u32 = PARKED - 1;

fn srw_try_excl(w: &AtomicU32) -> bool {
    let s = w.load(Ordering::Relaxed);
    s & !PARKED == 0
        && w.compare_exchange(s, s | EXCL, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
}

fn srw_try_shared(w: &AtomicU32, polite: bool) -> bool {
    let s = w.load(Ordering::Relaxed);
    s & EXCL == 0
        && !(polite && s & PARKED != 0)
        && s & READERS != READERS
        && w.compare_exchange(s, s + 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
}

/// Block until the word changes from a state in which the lock cannot be taken.
fn srw_park(w: &AtomicU32, can_take: impl Fn(u32) -> bool) {
    let s = w.load(Ordering::Relaxed);
    if can_take(s) {
        return;
    }
    if s & PARKED == 0
        && w.compare_exchange(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return;
    }
    futex_wait(w, s | PARKED, None);
}

fn srw_acquire_excl(w: &AtomicU32) {
    while !srw_try_excl(w) {
        srw_park(w, |s| s & !PARKED == 0);
    }
}

fn srw_acquire_shared(w: &AtomicU32) {
    while !srw_try_shared(w, true) {
        srw_park(w, |s| s & EXCL == 0 && s & PARKED == 0);
    }
}

fn srw_release_excl(w: &AtomicU32) {
    if w.swap(0, Ordering::Release) & PARKED != 0 {
        futex_wake(w, i32::MAX);
    }
}

fn srw_release_shared(w: &AtomicU32) {
    let prev = w.fetch_sub(1, Ordering::Release);
    if prev & READERS == 1
        && prev & PARKED != 0
        && w.compare_exchange(PARKED, 0, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        futex_wake(w, i32::MAX);
    }
}

/// `VOID InitializeSRWLock(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn InitializeSRWLock(l: *mut usize) {
    let _t = crate::trace_call!("InitializeSRWLock", l);
    crate::trace::ret(|| {
        if !l.is_null() {
            // SAFETY: a non-NULL SRWLOCK is a writable pointer-sized word.
            unsafe { l.write(0) };
        }
    })
}

/// `VOID AcquireSRWLockExclusive(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn AcquireSRWLockExclusive(l: *mut usize) {
    let _t = crate::trace_call!("AcquireSRWLockExclusive", l);
    crate::trace::ret(|| {
        // SAFETY: the caller's SRWLOCK by its contract.
        srw_acquire_excl(unsafe { low(l) })
    })
}

/// `VOID AcquireSRWLockShared(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn AcquireSRWLockShared(l: *mut usize) {
    let _t = crate::trace_call!("AcquireSRWLockShared", l);
    crate::trace::ret(|| {
        // SAFETY: the caller's SRWLOCK by its contract.
        srw_acquire_shared(unsafe { low(l) })
    })
}

/// `VOID ReleaseSRWLockExclusive(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn ReleaseSRWLockExclusive(l: *mut usize) {
    let _t = crate::trace_call!("ReleaseSRWLockExclusive", l);
    crate::trace::ret(|| {
        // SAFETY: the caller's SRWLOCK by its contract.
        srw_release_excl(unsafe { low(l) })
    })
}

/// `VOID ReleaseSRWLockShared(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn ReleaseSRWLockShared(l: *mut usize) {
    let _t = crate::trace_call!("ReleaseSRWLockShared", l);
    crate::trace::ret(|| {
        // SAFETY: the caller's SRWLOCK by its contract.
        srw_release_shared(unsafe { low(l) })
    })
}

/// `BOOLEAN TryAcquireSRWLockExclusive(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn TryAcquireSRWLockExclusive(l: *mut usize) -> u8 {
    let _t = crate::trace_call!("TryAcquireSRWLockExclusive", l);
    crate::trace::ret(|| {
        // SAFETY: the caller's SRWLOCK by its contract.
        srw_try_excl(unsafe { low(l) }) as u8
    })
}

/// `BOOLEAN TryAcquireSRWLockShared(PSRWLOCK)`
#[no_mangle]
pub unsafe extern "C" fn TryAcquireSRWLockShared(l: *mut usize) -> u8 {
    let _t = crate::trace_call!("TryAcquireSRWLockShared", l);
    crate::trace::ret(|| {
        // SAFETY: the caller's SRWLOCK by its contract.
        srw_try_shared(unsafe { low(l) }, false) as u8
    })
}

// ------------------------------------------------------------------ CONDITION_VARIABLE

/// `CONDITION_VARIABLE_LOCKMODE_SHARED`
const LOCKMODE_SHARED: u32 = 0x1;

/// `VOID InitializeConditionVariable(PCONDITION_VARIABLE)`
#[no_mangle]
pub unsafe extern "C" fn InitializeConditionVariable(cv: *mut usize) {
    let _t = crate::trace_call!("InitializeConditionVariable", cv);
    crate::trace::ret(|| {
        if !cv.is_null() {
            // SAFETY: a non-NULL CONDITION_VARIABLE is a writable pointer-sized word.
            unsafe { cv.write(0) };
        }
    })
}

/// `VOID WakeConditionVariable(PCONDITION_VARIABLE)`
#[no_mangle]
pub unsafe extern "C" fn WakeConditionVariable(cv: *mut usize) {
    let _t = crate::trace_call!("WakeConditionVariable", cv);
    crate::trace::ret(|| {
        // SAFETY: the caller's CONDITION_VARIABLE by its contract.
        let w = unsafe { low(cv) };
        w.fetch_add(1, Ordering::Release);
        futex_wake(w, 1);
    })
}

/// `VOID WakeAllConditionVariable(PCONDITION_VARIABLE)`
#[no_mangle]
pub unsafe extern "C" fn WakeAllConditionVariable(cv: *mut usize) {
    let _t = crate::trace_call!("WakeAllConditionVariable", cv);
    crate::trace::ret(|| {
        // SAFETY: the caller's CONDITION_VARIABLE by its contract.
        let w = unsafe { low(cv) };
        w.fetch_add(1, Ordering::Release);
        futex_wake(w, i32::MAX);
    })
}

/// Sleep on `cv` between `unlock` and `relock`; FALSE with `ERROR_TIMEOUT` when `ms`
/// passed. The lock is held again on return either way.
fn cv_sleep(w: &AtomicU32, ms: u32, unlock: impl FnOnce(), relock: impl FnOnce()) -> i32 {
    let deadline = crate::wait::deadline(ms);
    let seq = w.load(Ordering::Acquire);
    unlock();
    let woken = futex_wait(w, seq, deadline);
    relock();
    if woken {
        1
    } else {
        set_last_error(WsaError::ERROR_TIMEOUT.0);
        0
    }
}

/// `BOOL SleepConditionVariableCS(PCONDITION_VARIABLE, PCRITICAL_SECTION, DWORD)`: the
/// section is left at every recursion level and entered again at the same depth.
#[no_mangle]
pub unsafe extern "C" fn SleepConditionVariableCS(
    cv: *mut usize,
    cs: *mut CriticalSection,
    ms: u32,
) -> i32 {
    let _t = crate::trace_call!("SleepConditionVariableCS", cv, cs, ms);
    crate::trace::ret(|| {
        // SAFETY: the caller's CONDITION_VARIABLE by its contract.
        let w = unsafe { low(cv) };
        // SAFETY: the caller's CRITICAL_SECTION, owned by it, by its contract.
        let Some(cs) = (unsafe { cs.as_ref() }) else {
            set_last_error(WsaError::ERROR_INVALID_PARAMETER.0);
            return 0;
        };
        let levels = std::cell::Cell::new(0);
        cv_sleep(
            w,
            ms,
            || levels.set(cs.leave_all()),
            || cs.enter_levels(levels.get()),
        )
    })
}

/// `BOOL SleepConditionVariableSRW(PCONDITION_VARIABLE, PSRWLOCK, DWORD, ULONG Flags)`:
/// the lock is held shared with `CONDITION_VARIABLE_LOCKMODE_SHARED`, else exclusively.
#[no_mangle]
pub unsafe extern "C" fn SleepConditionVariableSRW(
    cv: *mut usize,
    l: *mut usize,
    ms: u32,
    flags: u32,
) -> i32 {
    let _t = crate::trace_call!("SleepConditionVariableSRW", cv, l, ms, flags);
    crate::trace::ret(|| {
        if flags & !LOCKMODE_SHARED != 0 {
            set_last_error(WsaError::ERROR_INVALID_PARAMETER.0);
            return 0;
        }
        // SAFETY: the caller's CONDITION_VARIABLE and SRWLOCK by its contract.
        let (w, l) = unsafe { (low(cv), low(l)) };
        if flags & LOCKMODE_SHARED != 0 {
            cv_sleep(w, ms, || srw_release_shared(l), || srw_acquire_shared(l))
        } else {
            cv_sleep(w, ms, || srw_release_excl(l), || srw_acquire_excl(l))
        }
    })
}

// ------------------------------------------------------------------------- INIT_ONCE

/// Synchronous initialisation under way (`InitOnceBeginInitialize` without
/// `INIT_ONCE_ASYNC`, or `InitOnceExecuteOnce` running its callback).
const ONCE_RUNNING: usize = 1;
/// As `ONCE_RUNNING`, with threads blocked on the word.
const ONCE_PARKED: usize = 5;
/// Asynchronous initialisation under way: any number of `INIT_ONCE_ASYNC` callers pending.
const ONCE_ASYNC: usize = 3;
/// The low two bits of a completed word (the context is the rest).
const ONCE_DONE: usize = 2;

const INIT_ONCE_CHECK_ONLY: u32 = 0x1;
const INIT_ONCE_ASYNC: u32 = 0x2;
const INIT_ONCE_INIT_FAILED: u32 = 0x4;

/// `BOOL CALLBACK InitOnceCallback(PINIT_ONCE, PVOID Parameter, PVOID *Context)`
pub type InitOnceFn = unsafe extern "C" fn(*mut usize, usize, *mut usize) -> i32;

/// Where a begun initialisation stands.
enum OnceBegin {
    /// The caller is (one of) the initialiser(s) and must complete it.
    Pending,
    /// Done, with this context.
    Done(usize),
}

/// Begin (or wait for) initialisation. Synchronous: the first caller gets `Pending`, later
/// ones block until it completes (or fails, when one of them becomes the initialiser).
/// Asynchronous: every caller gets `Pending` until one completes. Mixing the two modes while
/// initialisation is under way is `ERROR_INVALID_PARAMETER`.
fn once_begin(
    word: &AtomicUsize,
    low32: &AtomicU32,
    asynchronous: bool,
) -> ffi::WsResult<OnceBegin> {
    loop {
        let v = word.load(Ordering::Acquire);
        if v & 3 == ONCE_DONE {
            return Ok(OnceBegin::Done(v & !3));
        }
        match v {
            0 => {
                let new = if asynchronous {
                    ONCE_ASYNC
                } else {
                    ONCE_RUNNING
                };
                if word
                    .compare_exchange(0, new, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
                {
                    return Ok(OnceBegin::Pending);
                }
            }
            ONCE_ASYNC if asynchronous => return Ok(OnceBegin::Pending),
            ONCE_ASYNC => return Err(WsaError::ERROR_INVALID_PARAMETER),
            _ if asynchronous => return Err(WsaError::ERROR_INVALID_PARAMETER),
            _ => {
                if v == ONCE_RUNNING
                    && word
                        .compare_exchange(v, ONCE_PARKED, Ordering::Relaxed, Ordering::Relaxed)
                        .is_err()
                {
                    continue;
                }
                futex_wait(low32, ONCE_PARKED as u32, None);
            }
        }
    }
}

/// Complete a begun initialisation: `failed` puts the word back to 0 (synchronous only),
/// else the context is stored. Blocked threads are woken either way. A word with no
/// initialisation under way in the caller's mode fails: `ERROR_GEN_FAILURE` when none is
/// under way (never begun, or already completed), `ERROR_INVALID_PARAMETER` for the other mode.
fn once_complete(
    word: &AtomicUsize,
    low32: &AtomicU32,
    asynchronous: bool,
    failed: bool,
    ctx: usize,
) -> ffi::WsResult<()> {
    let new = if failed { 0 } else { ctx | ONCE_DONE };
    loop {
        let v = word.load(Ordering::Acquire);
        match v {
            ONCE_RUNNING | ONCE_PARKED if !asynchronous => {
                if word
                    .compare_exchange(v, new, Ordering::Release, Ordering::Relaxed)
                    .is_err()
                {
                    continue;
                }
                if v == ONCE_PARKED {
                    futex_wake(low32, i32::MAX);
                }
                return Ok(());
            }
            ONCE_ASYNC if asynchronous => {
                if word
                    .compare_exchange(v, new, Ordering::Release, Ordering::Relaxed)
                    .is_ok()
                {
                    return Ok(());
                }
            }
            ONCE_RUNNING | ONCE_PARKED | ONCE_ASYNC => {
                return Err(WsaError::ERROR_INVALID_PARAMETER)
            }
            _ => return Err(WsaError::ERROR_GEN_FAILURE),
        }
    }
}

/// `VOID InitOnceInitialize(PINIT_ONCE)`
#[no_mangle]
pub unsafe extern "C" fn InitOnceInitialize(once: *mut usize) {
    let _t = crate::trace_call!("InitOnceInitialize", once);
    crate::trace::ret(|| {
        if !once.is_null() {
            // SAFETY: a non-NULL INIT_ONCE is a writable pointer-sized word.
            unsafe { once.write(0) };
        }
    })
}

/// `BOOL InitOnceExecuteOnce(PINIT_ONCE, PINIT_ONCE_FN, PVOID Parameter, LPVOID *Context)`:
/// a synchronous `InitOnceBeginInitialize`, the callback, and `InitOnceComplete`, so it
/// shares its INIT_ONCE with those; FALSE (`ERROR_INVALID_PARAMETER`) while an
/// asynchronous initialisation of it is under way.
#[no_mangle]
pub unsafe extern "C" fn InitOnceExecuteOnce(
    once: *mut usize,
    f: Option<InitOnceFn>,
    param: usize,
    ctx: *mut usize,
) -> i32 {
    let _t = crate::trace_call!("InitOnceExecuteOnce", once, f, param, ctx);
    crate::trace::ret(|| {
        // SAFETY: the caller's INIT_ONCE is a live, aligned pointer-sized word, atomic access only.
        let word = unsafe { AtomicUsize::from_ptr(once) };
        // SAFETY: as above, its low half.
        let low32 = unsafe { low(once) };
        let done = |v: usize| {
            if !ctx.is_null() {
                // SAFETY: a non-NULL lpContext is a writable pointer by the caller's contract.
                unsafe { ctx.write(v) };
            }
            1
        };
        match once_begin(word, low32, false) {
            Ok(OnceBegin::Done(c)) => return done(c),
            Ok(OnceBegin::Pending) => {}
            Err(e) => {
                set_last_error(e.0);
                return 0;
            }
        }
        let mut c: usize = 0;
        let ok = match f {
            // SAFETY: the program's callback with the documented signature.
            Some(f) => (unsafe { f(once, param, &mut c) }) != 0,
            None => false,
        };
        if ok && c & 3 != 0 {
            // The low bits of a context are reserved (INIT_ONCE_CTX_RESERVED_BITS).
            set_last_error(WsaError::ERROR_INVALID_PARAMETER.0);
        }
        let ok = ok && c & 3 == 0;
        // This thread began the synchronous initialisation, so completing it cannot fail.
        let _ = once_complete(word, low32, false, !ok, c);
        if ok {
            done(c)
        } else {
            0
        }
    })
}

/// `BOOL InitOnceBeginInitialize(LPINIT_ONCE, DWORD dwFlags, PBOOL fPending, LPVOID *lpContext)`:
/// TRUE with `*fPending` TRUE makes the caller the initialiser (it must call
/// `InitOnceComplete`); TRUE with `*fPending` FALSE gives the context of a completed
/// initialisation. Without `INIT_ONCE_ASYNC` a caller blocks while another thread initialises.
/// `INIT_ONCE_CHECK_ONLY` never begins or blocks: FALSE with `ERROR_GEN_FAILURE` until done.
#[no_mangle]
pub unsafe extern "C" fn InitOnceBeginInitialize(
    once: *mut usize,
    flags: u32,
    pending: *mut i32,
    ctx: *mut usize,
) -> i32 {
    let _t = crate::trace_call!("InitOnceBeginInitialize", once, flags, pending, ctx);
    ffi::win(0, || {
        if once.is_null()
            || pending.is_null()
            || flags & !(INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC) != 0
            || flags == INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC
        {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        // SAFETY: the caller's INIT_ONCE is a live, aligned pointer-sized word, atomic access only.
        let word = unsafe { AtomicUsize::from_ptr(once) };
        // SAFETY: as above, its low half.
        let low32 = unsafe { low(once) };
        let state = if flags & INIT_ONCE_CHECK_ONLY != 0 {
            let v = word.load(Ordering::Acquire);
            if v & 3 != ONCE_DONE {
                return Err(WsaError::ERROR_GEN_FAILURE);
            }
            OnceBegin::Done(v & !3)
        } else {
            once_begin(word, low32, flags & INIT_ONCE_ASYNC != 0)?
        };
        let is_pending = match state {
            OnceBegin::Pending => 1,
            OnceBegin::Done(c) => {
                if !ctx.is_null() {
                    // SAFETY: a non-NULL lpContext is a writable pointer by the caller's contract.
                    unsafe { ctx.write(c) };
                }
                0
            }
        };
        // SAFETY: fPending is a non-NULL writable BOOL by the caller's contract.
        unsafe { pending.write(is_pending) };
        Ok(1)
    })
}

/// `BOOL InitOnceComplete(LPINIT_ONCE, DWORD dwFlags, LPVOID lpContext)`: store the context
/// (low `INIT_ONCE_CTX_RESERVED_BITS` clear) and release the blocked threads, or with
/// `INIT_ONCE_INIT_FAILED` (synchronous only, NULL context) let one of them initialise instead.
/// With `INIT_ONCE_ASYNC` the first completion wins; later ones fail with `ERROR_GEN_FAILURE`.
#[no_mangle]
pub unsafe extern "C" fn InitOnceComplete(once: *mut usize, flags: u32, ctx: usize) -> i32 {
    let _t = crate::trace_call!("InitOnceComplete", once, flags, ctx);
    ffi::win(0, || {
        let failed = flags & INIT_ONCE_INIT_FAILED != 0;
        let asynchronous = flags & INIT_ONCE_ASYNC != 0;
        if once.is_null()
            || flags & !(INIT_ONCE_ASYNC | INIT_ONCE_INIT_FAILED) != 0
            || ctx & 3 != 0
            || (failed && (asynchronous || ctx != 0))
        {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        // SAFETY: the caller's INIT_ONCE is a live, aligned pointer-sized word, atomic access only.
        let word = unsafe { AtomicUsize::from_ptr(once) };
        // SAFETY: as above, its low half.
        let low32 = unsafe { low(once) };
        once_complete(word, low32, asynchronous, failed, ctx)?;
        Ok(1)
    })
}

/// `BOOL SwitchToThread(void)`: yield the processor; TRUE (the scheduler gives no way to
/// tell whether another thread ran).
#[no_mangle]
pub extern "C" fn SwitchToThread() -> i32 {
    let _t = crate::trace_call!("SwitchToThread");
    ffi::win(0, || {
        // SAFETY: sched_yield has no preconditions.
        unsafe { libc::sched_yield() };
        Ok(1)
    })
}
