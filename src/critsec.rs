//! Critical sections, built inside the caller's 40-byte Win64 `CRITICAL_SECTION`:
//!
//! | offset | field            | use here                                              |
//! |--------|------------------|-------------------------------------------------------|
//! | 0      | `DebugInfo`      | NULL                                                  |
//! | 8      | `LockCount`      | futex word: -1 free, 0 owned, 1 owned with waiters    |
//! | 12     | `RecursionCount` | entries by the owner not yet left                     |
//! | 16     | `OwningThread`   | the owner's thread id (as Windows keeps it), 0 if free |
//! | 24     | `LockSemaphore`  | NULL                                                  |
//! | 32     | `SpinCount`      | spins before sleeping (the low 24 bits of the request) |
//!
//! `LockCount` -1 for a free section is the value Windows shows too. Blocking is a plain
//! futex wait: entering a critical section is never alertable and runs no APCs. Nothing is
//! allocated, so a section needs no cleanup beyond `DeleteCriticalSection` resetting it.

use crate::ffi;
use std::cell::Cell;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

const FREE: i32 = -1;
const OWNED: i32 = 0;
const CONTENDED: i32 = 1;
/// The flag bits of a spin count (`RTL_CRITICAL_SECTION_ALL_FLAG_BITS`).
const FLAG_BITS: u32 = 0xff00_0000;
/// Spins are capped so a large request cannot busy-wait for long on two cores.
const MAX_SPIN: usize = 1 << 16;

/// The Win64 `RTL_CRITICAL_SECTION`, seen through atomics.
#[repr(C)]
pub struct CriticalSection {
    debug_info: AtomicUsize,
    lock_count: AtomicI32,
    recursion: AtomicI32,
    owner: AtomicUsize,
    semaphore: AtomicUsize,
    spin: AtomicUsize,
}

const _: () = assert!(std::mem::size_of::<CriticalSection>() == 40);
const _: () = assert!(std::mem::align_of::<CriticalSection>() == 8);

thread_local! {
    /// The calling thread's id, the same value `GetCurrentThreadId` returns.
    static TID: Cell<u32> = const { Cell::new(0) };
}

pub(crate) fn tid() -> usize {
    let cached = TID.try_with(|t| t.get()).unwrap_or(0);
    if cached != 0 {
        return cached as usize;
    }
    // SAFETY: gettid has no preconditions.
    let t = unsafe { libc::gettid() } as u32;
    let _ = TID.try_with(|c| c.set(t));
    t as usize
}

fn futex_wait(word: &AtomicI32, expected: i32) {
    let _blocked = crate::iocp::blocking(-1);
    // SAFETY: FUTEX_WAIT on a live, aligned 32-bit word; a spurious return is re-checked.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        )
    };
}

fn futex_wake_one(word: &AtomicI32) {
    // SAFETY: FUTEX_WAKE on a live, aligned 32-bit word.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            1,
        )
    };
}

impl CriticalSection {
    pub fn init(&self, spin: u32) {
        self.debug_info.store(0, Ordering::Relaxed);
        self.recursion.store(0, Ordering::Relaxed);
        self.owner.store(0, Ordering::Relaxed);
        self.semaphore.store(0, Ordering::Relaxed);
        self.spin
            .store((spin & !FLAG_BITS) as usize, Ordering::Relaxed);
        self.lock_count.store(FREE, Ordering::Release);
    }

    fn owned_by(&self, me: usize) -> bool {
        // Only the owner itself ever stores its own id here, so a match is never stale.
        self.owner.load(Ordering::Relaxed) == me
    }

    fn take(&self, me: usize) {
        self.owner.store(me, Ordering::Relaxed);
        self.recursion.store(1, Ordering::Relaxed);
    }

    fn try_lock(&self) -> bool {
        self.lock_count
            .compare_exchange(FREE, OWNED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    pub fn enter(&self) {
        let me = tid();
        if self.owned_by(me) {
            self.recursion.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if !self.try_lock() {
            self.lock_slow();
        }
        self.take(me);
    }

    fn lock_slow(&self) {
        let spins = self.spin.load(Ordering::Relaxed).min(MAX_SPIN);
        for _ in 0..spins {
            if self.lock_count.load(Ordering::Relaxed) == FREE && self.try_lock() {
                return;
            }
            std::hint::spin_loop();
        }
        // Take it marked contended, so the leave that follows wakes the next waiter.
        while self.lock_count.swap(CONTENDED, Ordering::Acquire) != FREE {
            futex_wait(&self.lock_count, CONTENDED);
        }
    }

    pub fn try_enter(&self) -> bool {
        let me = tid();
        if self.owned_by(me) {
            self.recursion.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        if self.try_lock() {
            self.take(me);
            return true;
        }
        false
    }

    /// Leave once; the last matching leave frees the section. A leave by a thread that does
    /// not own the section changes nothing.
    pub fn leave(&self) {
        if !self.owned_by(tid()) {
            return;
        }
        if self.recursion.fetch_sub(1, Ordering::Relaxed) > 1 {
            return;
        }
        self.owner.store(0, Ordering::Relaxed);
        if self.lock_count.swap(FREE, Ordering::Release) == CONTENDED {
            futex_wake_one(&self.lock_count);
        }
    }

    /// Leave every level the caller holds (for a condition-variable sleep); the number of
    /// levels, 0 when the caller does not own the section.
    pub fn leave_all(&self) -> i32 {
        if !self.owned_by(tid()) {
            return 0;
        }
        let n = self.recursion.load(Ordering::Relaxed);
        self.recursion.store(1, Ordering::Relaxed);
        self.leave();
        n
    }

    /// Enter again with the recursion count [`CriticalSection::leave_all`] gave.
    pub fn enter_levels(&self, n: i32) {
        self.enter();
        if n > 1 {
            self.recursion.store(n, Ordering::Relaxed);
        }
    }

    fn set_spin(&self, spin: u32) -> u32 {
        self.spin
            .swap((spin & !FLAG_BITS) as usize, Ordering::Relaxed) as u32
    }
}

/// The section behind a caller's pointer; NULL is refused.
///
/// # Safety
/// `p` must be NULL or point to a live, 8-byte aligned `CRITICAL_SECTION`.
unsafe fn section<'a>(p: *mut CriticalSection) -> ffi::WsResult<&'a CriticalSection> {
    // SAFETY: the caller's CRITICAL_SECTION is valid memory shared between threads; every
    // field is accessed through atomics only.
    unsafe { p.as_ref() }.ok_or(crate::error::WsaError::ERROR_NOACCESS)
}

fn with(p: *mut CriticalSection, f: impl FnOnce(&CriticalSection)) {
    ffi::win((), || {
        // SAFETY: forwarded caller contract of the export.
        f(unsafe { section(p) }?);
        Ok(())
    })
}

/// `VOID InitializeCriticalSection(LPCRITICAL_SECTION)`
///
/// # Safety
/// `cs` must point to a writable, aligned `CRITICAL_SECTION` no thread is using.
#[no_mangle]
pub unsafe extern "C" fn InitializeCriticalSection(cs: *mut CriticalSection) {
    let _t = crate::trace_call!("InitializeCriticalSection", cs);
    crate::trace::ret(|| with(cs, |c| c.init(0)))
}

/// `BOOL InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION, DWORD)`: TRUE.
///
/// # Safety
/// As [`InitializeCriticalSection`].
#[no_mangle]
pub unsafe extern "C" fn InitializeCriticalSectionAndSpinCount(
    cs: *mut CriticalSection,
    spin: u32,
) -> i32 {
    let _t = crate::trace_call!("InitializeCriticalSectionAndSpinCount", cs, spin);
    ffi::win(0, || {
        // SAFETY: forwarded caller contract.
        unsafe { section(cs) }?.init(spin);
        Ok(1)
    })
}

/// `BOOL InitializeCriticalSectionEx(LPCRITICAL_SECTION, DWORD dwSpinCount, DWORD Flags)`:
/// TRUE; the flags (debug-info choices) change nothing here.
///
/// # Safety
/// As [`InitializeCriticalSection`].
#[no_mangle]
pub unsafe extern "C" fn InitializeCriticalSectionEx(
    cs: *mut CriticalSection,
    spin: u32,
    _flags: u32,
) -> i32 {
    let _t = crate::trace_call!("InitializeCriticalSectionEx", cs, spin, _flags);
    ffi::win(0, || {
        // SAFETY: forwarded caller contract.
        unsafe { section(cs) }?.init(spin);
        Ok(1)
    })
}

/// `DWORD SetCriticalSectionSpinCount(LPCRITICAL_SECTION, DWORD)`: the previous spin count.
///
/// # Safety
/// `cs` must point to an initialised `CRITICAL_SECTION`.
#[no_mangle]
pub unsafe extern "C" fn SetCriticalSectionSpinCount(cs: *mut CriticalSection, spin: u32) -> u32 {
    let _t = crate::trace_call!("SetCriticalSectionSpinCount", cs, spin);
    ffi::win(0, || {
        // SAFETY: forwarded caller contract.
        Ok(unsafe { section(cs) }?.set_spin(spin))
    })
}

/// `VOID EnterCriticalSection(LPCRITICAL_SECTION)`: recursive; blocks without alerting.
///
/// # Safety
/// `cs` must point to an initialised `CRITICAL_SECTION`.
#[no_mangle]
pub unsafe extern "C" fn EnterCriticalSection(cs: *mut CriticalSection) {
    let _t = crate::trace_call!("EnterCriticalSection", cs);
    crate::trace::ret(|| with(cs, CriticalSection::enter))
}

/// `BOOL TryEnterCriticalSection(LPCRITICAL_SECTION)`: TRUE when entered (or re-entered).
///
/// # Safety
/// `cs` must point to an initialised `CRITICAL_SECTION`.
#[no_mangle]
pub unsafe extern "C" fn TryEnterCriticalSection(cs: *mut CriticalSection) -> i32 {
    let _t = crate::trace_call!("TryEnterCriticalSection", cs);
    ffi::win(0, || {
        // SAFETY: forwarded caller contract.
        Ok(unsafe { section(cs) }?.try_enter() as i32)
    })
}

/// `VOID LeaveCriticalSection(LPCRITICAL_SECTION)`
///
/// # Safety
/// `cs` must point to an initialised `CRITICAL_SECTION`.
#[no_mangle]
pub unsafe extern "C" fn LeaveCriticalSection(cs: *mut CriticalSection) {
    let _t = crate::trace_call!("LeaveCriticalSection", cs);
    crate::trace::ret(|| with(cs, CriticalSection::leave))
}

/// `VOID DeleteCriticalSection(LPCRITICAL_SECTION)`: resets the fields; nothing to free.
///
/// # Safety
/// `cs` must point to an initialised `CRITICAL_SECTION` no thread owns or waits on.
#[no_mangle]
pub unsafe extern "C" fn DeleteCriticalSection(cs: *mut CriticalSection) {
    let _t = crate::trace_call!("DeleteCriticalSection", cs);
    crate::trace::ret(|| {
        with(cs, |c| {
            c.init(0);
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn new() -> Box<CriticalSection> {
        // SAFETY: all-zero bytes are a valid value for a struct of atomics.
        let c: Box<CriticalSection> = Box::new(unsafe { std::mem::zeroed() });
        c.init(4000);
        c
    }

    #[test]
    fn recursive_and_try() {
        let c = new();
        c.enter();
        c.enter();
        assert!(c.try_enter());
        assert_eq!(c.recursion.load(Ordering::Relaxed), 3);
        assert_eq!(c.owner.load(Ordering::Relaxed), tid());
        let c2: &'static CriticalSection = Box::leak(c);
        let other = std::thread::spawn(move || c2.try_enter()).join().unwrap();
        assert!(!other);
        c2.leave();
        c2.leave();
        c2.leave();
        assert_eq!(c2.lock_count.load(Ordering::Relaxed), FREE);
        assert!(std::thread::spawn(move || {
            let r = c2.try_enter();
            c2.leave();
            r
        })
        .join()
        .unwrap());
    }

    #[test]
    fn mutual_exclusion() {
        struct Shared(CriticalSection, std::cell::UnsafeCell<u64>);
        // SAFETY: the counter is only touched inside the critical section.
        unsafe impl Sync for Shared {}
        // SAFETY: all-zero bytes are valid for the atomics and the counter.
        let s: Arc<Shared> = Arc::new(unsafe { std::mem::zeroed() });
        s.0.init(0);
        let ts: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                std::thread::spawn(move || {
                    for _ in 0..20000 {
                        s.0.enter();
                        // SAFETY: inside the critical section.
                        unsafe { *s.1.get() += 1 };
                        s.0.leave();
                    }
                })
            })
            .collect();
        for t in ts {
            t.join().unwrap();
        }
        // SAFETY: every thread has finished.
        assert_eq!(unsafe { *s.1.get() }, 80000);
    }
}
