//! Event objects: `WSACreateEvent`, `CreateEventA/W`, `SetEvent`, `ResetEvent`.
//!
//! An event is a signalled flag plus the list of threads currently waiting on it. Waiting
//! threads sleep on their own eventfd ([`Waker`]); setting an event wakes the threads in its
//! list. Setting an event nobody waits on costs no syscall, an event costs no file
//! descriptor, and one thread waiting on 64 events sleeps on one fd.

use super::thread::Waker;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

pub struct Event {
    manual: bool,
    state: AtomicBool,
    waiters: Mutex<Vec<Arc<Waker>>>,
    /// `waiters.len()`, readable without the lock: setting an event nobody watches (a
    /// socket's own signal on every completion) takes no lock.
    watching: AtomicUsize,
}

impl Event {
    pub fn new(manual: bool, initial: bool) -> Event {
        Event {
            manual,
            state: AtomicBool::new(initial),
            waiters: Mutex::new(Vec::new()),
            watching: AtomicUsize::new(0),
        }
    }

    /// Signal; wakes the threads waiting on the event when it was not signalled.
    pub fn set(&self) {
        // SeqCst on the state and on `watching`, here and in `watch`: either this sees the
        // watcher counted, or the watcher, checking the state after `watch`, sees it set.
        if !self.state.swap(true, Ordering::SeqCst) && self.watching.load(Ordering::SeqCst) > 0 {
            for w in self.waiters.lock().iter() {
                w.wake();
            }
        }
    }

    pub fn reset(&self) {
        self.state.store(false, Ordering::SeqCst);
    }

    pub fn is_set(&self) -> bool {
        self.state.load(Ordering::SeqCst)
    }

    pub fn is_manual(&self) -> bool {
        self.manual
    }

    /// Satisfy one wait: a manual-reset event stays signalled, an auto-reset one is consumed
    /// by exactly one waiter.
    pub fn try_acquire(&self) -> bool {
        if self.manual {
            self.is_set()
        } else {
            self.state
                .compare_exchange(true, false, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        }
    }

    /// Register a waiting thread; it must check the state after this.
    pub fn watch(&self, w: &Arc<Waker>) {
        let mut v = self.waiters.lock();
        self.watching.fetch_add(1, Ordering::SeqCst);
        v.push(w.clone());
    }

    pub fn unwatch(&self, w: &Arc<Waker>) {
        let mut v = self.waiters.lock();
        if let Some(i) = v.iter().position(|x| Arc::ptr_eq(x, w)) {
            v.swap_remove(i);
            self.watching.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The event a handle names; `ERROR_INVALID_HANDLE` otherwise.
pub fn get(h: usize) -> WsResult<Arc<Event>> {
    match table().get(h) {
        Some(Object::Event(e)) => Ok(e),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

fn create(manual: bool, initial: bool) -> WsResult<usize> {
    table()
        .insert(Object::Event(Arc::new(Event::new(manual, initial))))
        .ok_or(WsaError::ERROR_NOT_ENOUGH_MEMORY)
}

/// Close an event handle (`WSACloseEvent`, `CloseHandle`). Threads already waiting keep
/// the object alive until their wait ends, as on Windows.
pub fn close(h: usize) -> WsResult<()> {
    match table().get(h) {
        Some(Object::Event(_)) => table()
            .remove(h)
            .map(|_| ())
            .ok_or(WsaError::ERROR_INVALID_HANDLE),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// `WSAEVENT WSACreateEvent(void)`: manual reset, not signalled. `WSA_INVALID_EVENT` (NULL)
/// on failure.
#[no_mangle]
pub extern "C" fn WSACreateEvent() -> usize {
    ffi::win(0, || create(true, false))
}

/// `HANDLE CreateEventA(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState, LPCSTR)`.
/// Named events are process-local here: every call creates a new unnamed event.
#[no_mangle]
pub extern "C" fn CreateEventA(_sa: usize, manual: i32, initial: i32, _name: usize) -> usize {
    ffi::win(0, || create(manual != 0, initial != 0))
}

/// `HANDLE CreateEventW(...)`, as [`CreateEventA`].
#[no_mangle]
pub extern "C" fn CreateEventW(_sa: usize, manual: i32, initial: i32, _name: usize) -> usize {
    ffi::win(0, || create(manual != 0, initial != 0))
}

fn with_event(h: usize, f: impl FnOnce(&Event)) -> i32 {
    ffi::win(0, || {
        f(&*get(h)?);
        Ok(1)
    })
}

/// `BOOL SetEvent(HANDLE)`
#[no_mangle]
pub extern "C" fn SetEvent(h: usize) -> i32 {
    with_event(h, Event::set)
}

/// `BOOL ResetEvent(HANDLE)`
#[no_mangle]
pub extern "C" fn ResetEvent(h: usize) -> i32 {
    with_event(h, Event::reset)
}

/// `BOOL WSASetEvent(WSAEVENT)`
#[no_mangle]
pub extern "C" fn WSASetEvent(h: usize) -> i32 {
    with_event(h, Event::set)
}

/// `BOOL WSAResetEvent(WSAEVENT)`
#[no_mangle]
pub extern "C" fn WSAResetEvent(h: usize) -> i32 {
    with_event(h, Event::reset)
}

/// `BOOL WSACloseEvent(WSAEVENT)`
#[no_mangle]
pub extern "C" fn WSACloseEvent(h: usize) -> i32 {
    ffi::win(0, || close(h).map(|_| 1))
}
