//! Event objects: `WSACreateEvent`, `CreateEventA/W`, `SetEvent`, `ResetEvent`.
//!
//! An event is a signalled flag plus the list of threads currently waiting on it. Waiting
//! threads sleep on their own eventfd ([`Waker`]); setting an event wakes the threads in its
//! list. Setting an event nobody waits on costs no syscall, an event costs no file
//! descriptor, and one thread waiting on 64 events sleeps on one fd.
//!
//! Mutexes and semaphores are the same waitable object with another [`Kind`]: the wait loop
//! asks every object whether it can be taken ([`Event::is_set`]) and takes it
//! ([`Event::try_acquire`]), and releasing one wakes its watchers as `SetEvent` does.

use super::thread::Waker;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// What a waitable object is, and the state that is not the event flag.
pub enum Kind {
    Event,
    /// Owner thread id (0: free), recursion count, abandoned by an owner that exited.
    Mutex(Mutex<MutexState>),
    /// Current count (in `Event::count`) and this maximum.
    Semaphore {
        max: i32,
    },
}

#[derive(Default)]
pub struct MutexState {
    pub owner: u32,
    pub count: u32,
    pub abandoned: bool,
}

/// The result of taking an object for a wait.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Acquire {
    No,
    Yes,
    /// A mutex whose previous owner exited without releasing it (now owned by the caller).
    Abandoned,
}

pub struct Event {
    kind: Kind,
    manual: bool,
    /// A semaphore's count.
    count: std::sync::atomic::AtomicI32,
    state: AtomicBool,
    waiters: Mutex<Vec<Arc<Waker>>>,
    /// `waiters.len()`, readable without the lock: setting an event nobody watches (a
    /// socket's own signal on every completion) takes no lock.
    watching: AtomicUsize,
}

impl Event {
    pub fn new(manual: bool, initial: bool) -> Event {
        Event {
            kind: Kind::Event,
            manual,
            count: std::sync::atomic::AtomicI32::new(0),
            state: AtomicBool::new(initial),
            waiters: Mutex::new(Vec::new()),
            watching: AtomicUsize::new(0),
        }
    }

    /// A mutex, owned by the calling thread when `owned`.
    pub fn new_mutex(owned: bool) -> Arc<Event> {
        let e = Arc::new(Event {
            kind: Kind::Mutex(Mutex::new(MutexState::default())),
            ..Event::new(false, false)
        });
        if owned {
            e.try_acquire();
        }
        e
    }

    /// A semaphore; the caller has checked `0 <= initial <= max`, `max > 0`.
    pub fn new_semaphore(initial: i32, max: i32) -> Arc<Event> {
        Arc::new(Event {
            kind: Kind::Semaphore { max },
            count: std::sync::atomic::AtomicI32::new(initial),
            ..Event::new(false, false)
        })
    }

    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// Signal; wakes the threads waiting on the event when it was not signalled.
    pub fn set(&self) {
        // SeqCst on the state and on `watching`, here and in `watch`: either this sees the
        // watcher counted, or the watcher, checking the state after `watch`, sees it set.
        if !self.state.swap(true, Ordering::SeqCst) {
            self.notify();
        }
    }

    /// Wake every thread watching the object (it may have become available).
    pub fn notify(&self) {
        if self.watching.load(Ordering::SeqCst) > 0 {
            for w in self.waiters.lock().iter() {
                w.wake();
            }
        }
    }

    /// `ReleaseSemaphore`: the previous count; the count never passes the maximum.
    pub fn release_semaphore(&self, n: i32) -> WsResult<i32> {
        let Kind::Semaphore { max } = self.kind else {
            return Err(WsaError::ERROR_INVALID_HANDLE);
        };
        if n <= 0 {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        let prev = self
            .count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| {
                c.checked_add(n).filter(|&v| v <= max)
            })
            .map_err(|_| WsaError::ERROR_TOO_MANY_POSTS)?;
        self.notify();
        Ok(prev)
    }

    /// `ReleaseMutex`: one release by the owner; the last one frees the mutex.
    pub fn release_mutex(self: &Arc<Self>) -> WsResult<()> {
        let Kind::Mutex(m) = &self.kind else {
            return Err(WsaError::ERROR_INVALID_HANDLE);
        };
        let freed = {
            let mut st = m.lock();
            if st.owner == 0 || st.owner as usize != crate::critsec::tid() {
                return Err(WsaError::ERROR_NOT_OWNER);
            }
            st.count -= 1;
            if st.count == 0 {
                st.owner = 0;
                true
            } else {
                false
            }
        };
        if freed {
            owned_forget(self);
            self.notify();
        }
        Ok(())
    }

    pub fn reset(&self) {
        self.state.store(false, Ordering::SeqCst);
    }

    /// The object can be taken by the calling thread now.
    pub fn is_set(&self) -> bool {
        match &self.kind {
            Kind::Event => self.state.load(Ordering::SeqCst),
            Kind::Semaphore { .. } => self.count.load(Ordering::SeqCst) > 0,
            Kind::Mutex(m) => {
                let st = m.lock();
                st.owner == 0 || st.owner as usize == crate::critsec::tid()
            }
        }
    }

    pub fn is_manual(&self) -> bool {
        self.manual
    }

    /// Satisfy one wait: a manual-reset event stays signalled, an auto-reset one is consumed
    /// by exactly one waiter, a semaphore's count drops by one, a mutex becomes (or stays,
    /// one level deeper) the caller's.
    pub fn try_acquire(self: &Arc<Self>) -> Acquire {
        match &self.kind {
            Kind::Event => {
                if self.take_event() {
                    Acquire::Yes
                } else {
                    Acquire::No
                }
            }
            Kind::Semaphore { .. } => {
                let ok = self
                    .count
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |c| {
                        (c > 0).then_some(c - 1)
                    })
                    .is_ok();
                if ok {
                    Acquire::Yes
                } else {
                    Acquire::No
                }
            }
            Kind::Mutex(m) => {
                let me = crate::critsec::tid() as u32;
                let mut st = m.lock();
                if st.owner == me {
                    st.count += 1;
                    return Acquire::Yes;
                }
                if st.owner != 0 {
                    return Acquire::No;
                }
                st.owner = me;
                st.count = 1;
                let abandoned = std::mem::take(&mut st.abandoned);
                drop(st);
                owned_note(self);
                if abandoned {
                    Acquire::Abandoned
                } else {
                    Acquire::Yes
                }
            }
        }
    }

    /// Give back what [`Event::try_acquire`] took (a wait-all that could not take every
    /// object).
    pub fn undo_acquire(self: &Arc<Self>, abandoned: bool) {
        match &self.kind {
            Kind::Event => {
                if !self.manual {
                    self.set();
                }
            }
            Kind::Semaphore { .. } => {
                self.count.fetch_add(1, Ordering::SeqCst);
                self.notify();
            }
            Kind::Mutex(m) => {
                let _ = self.release_mutex();
                if abandoned {
                    let mut st = m.lock();
                    if st.owner == 0 {
                        st.abandoned = true;
                    }
                }
            }
        }
    }

    fn take_event(&self) -> bool {
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

thread_local! {
    /// The mutexes the thread owns; the ones still owned when it exits are abandoned.
    static OWNED: Owned = const { Owned(std::cell::RefCell::new(Vec::new())) };
}

struct Owned(std::cell::RefCell<Vec<Arc<Event>>>);

impl Drop for Owned {
    fn drop(&mut self) {
        let me = crate::critsec::tid() as u32;
        for e in self.0.take() {
            if let Kind::Mutex(m) = &e.kind {
                let mut st = m.lock();
                if st.owner != me {
                    continue;
                }
                *st = MutexState {
                    owner: 0,
                    count: 0,
                    abandoned: true,
                };
            }
            e.notify();
        }
    }
}

fn owned_note(e: &Arc<Event>) {
    let _ = OWNED.try_with(|o| o.0.borrow_mut().push(e.clone()));
}

fn owned_forget(e: &Arc<Event>) {
    let _ = OWNED.try_with(|o| {
        let mut v = o.0.borrow_mut();
        if let Some(i) = v.iter().position(|x| Arc::ptr_eq(x, e)) {
            v.swap_remove(i);
        }
    });
}

/// The object a handle names, whatever its kind; `ERROR_INVALID_HANDLE` for other handles.
pub fn get_object(h: usize) -> WsResult<Arc<Event>> {
    match table().get(h) {
        Some(Object::Event(e)) => Ok(e),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// The event a handle names; `ERROR_INVALID_HANDLE` otherwise (also for a mutex or a
/// semaphore).
pub fn get(h: usize) -> WsResult<Arc<Event>> {
    match table().get(h) {
        Some(Object::Event(e)) if matches!(e.kind, Kind::Event) => Ok(e),
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
    let _t = crate::trace_call!("WSACreateEvent");
    ffi::win(0, || create(true, false))
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
    let _t = crate::trace_call!("SetEvent", h);
    crate::trace::ret(|| with_event(h, Event::set))
}

/// `BOOL ResetEvent(HANDLE)`
#[no_mangle]
pub extern "C" fn ResetEvent(h: usize) -> i32 {
    let _t = crate::trace_call!("ResetEvent", h);
    crate::trace::ret(|| with_event(h, Event::reset))
}

/// `BOOL WSASetEvent(WSAEVENT)`
#[no_mangle]
pub extern "C" fn WSASetEvent(h: usize) -> i32 {
    let _t = crate::trace_call!("WSASetEvent", h);
    crate::trace::ret(|| with_event(h, Event::set))
}

/// `BOOL WSAResetEvent(WSAEVENT)`
#[no_mangle]
pub extern "C" fn WSAResetEvent(h: usize) -> i32 {
    let _t = crate::trace_call!("WSAResetEvent", h);
    crate::trace::ret(|| with_event(h, Event::reset))
}

/// `BOOL WSACloseEvent(WSAEVENT)`
#[no_mangle]
pub extern "C" fn WSACloseEvent(h: usize) -> i32 {
    let _t = crate::trace_call!("WSACloseEvent", h);
    ffi::win(0, || close(h).map(|_| 1))
}
