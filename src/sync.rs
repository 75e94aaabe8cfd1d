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
//! * `INIT_ONCE`: 0 not done, 1 running (3 with blocked threads), or the context with bit 1
//!   set once done. A callback that fails puts the word back to 0 and wakes the blocked
//!   threads, one of which runs the callback again.

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

const ONCE_RUNNING: usize = 1;
const ONCE_PARKED: usize = 3;
const ONCE_DONE: usize = 2;

/// `BOOL CALLBACK InitOnceCallback(PINIT_ONCE, PVOID Parameter, PVOID *Context)`
pub type InitOnceFn = unsafe extern "C" fn(*mut usize, usize, *mut usize) -> i32;

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

/// `BOOL InitOnceExecuteOnce(PINIT_ONCE, PINIT_ONCE_FN, PVOID Parameter, LPVOID *Context)`
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
                unsafe { ctx.write(v & !3) };
            }
            1
        };
        loop {
            let v = word.load(Ordering::Acquire);
            if v & 3 == ONCE_DONE {
                return done(v);
            }
            if v == 0 {
                if word
                    .compare_exchange(0, ONCE_RUNNING, Ordering::Acquire, Ordering::Relaxed)
                    .is_err()
                {
                    continue;
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
                let new = if ok { c | ONCE_DONE } else { 0 };
                if word.swap(new, Ordering::Release) == ONCE_PARKED {
                    futex_wake(low32, i32::MAX);
                }
                return if ok { done(new) } else { 0 };
            }
            if v == ONCE_RUNNING
                && word
                    .compare_exchange(v, ONCE_PARKED, Ordering::Relaxed, Ordering::Relaxed)
                    .is_err()
            {
                continue;
            }
            futex_wait(low32, ONCE_PARKED as u32, None);
        }
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
