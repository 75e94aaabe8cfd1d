//! I/O completion ports: `CreateIoCompletionPort`, `GetQueuedCompletionStatus(Ex)`,
//! `PostQueuedCompletionStatus`, `SetFileCompletionNotificationModes`, and `CloseHandle` on a
//! port.
//!
//! A port is a packet queue plus the threads sleeping in it. A socket associated with a port
//! hands every operation's completion to it (`engine::io::deliver` posts the packet after the
//! OVERLAPPED is final). A packet goes straight to a sleeping thread when one may be released
//! (fewer active threads than the port's concurrency value): the poster moves it into that
//! thread's slot under the port lock, so a packet is never woken for and then taken by
//! another thread, and the newest sleeper is released first, as Windows does. When the
//! thread that reaps the ring is itself asleep in the port, it is the one released, so the
//! completion reaches a waiting thread with no other thread in between.
//!
//! A thread is active on a port from the moment a packet is given to it until it calls
//! `GetQueuedCompletionStatus(Ex)` on that port again (or on another port, or exits). While
//! it blocks in one of the library's waits it does not count (`blocking`), as Windows stops
//! counting a thread that enters a wait, so the port may release another thread meanwhile.

use crate::engine;
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use crate::status;
use crate::wait::{self, thread::Waker};
use parking_lot::Mutex;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

pub const FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: u8 = 0x1;
pub const FILE_SKIP_SET_EVENT_ON_HANDLE: u8 = 0x2;
const INVALID_HANDLE_VALUE: usize = usize::MAX;

/// One completion packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    pub key: usize,
    pub ov: usize,
    /// NTSTATUS of the operation (`STATUS_SUCCESS` for posted packets).
    pub status: u32,
    pub bytes: u32,
}

/// What a sleeping thread was given.
enum Grant {
    Nothing,
    Packet(Packet),
    /// The port was closed while the thread slept.
    Closed,
}

/// A sleeping thread: its waker and the slot a poster fills.
struct Sleeper {
    w: Arc<Waker>,
    slot: Arc<Mutex<Grant>>,
}

struct State {
    packets: VecDeque<Packet>,
    /// Threads asleep in the port with nothing given yet, oldest first.
    sleepers: Vec<Sleeper>,
    /// Threads released by the port that have not come back to it.
    active: u32,
    closed: bool,
}

pub struct Port {
    st: Mutex<State>,
    concurrency: u32,
}

impl Port {
    pub fn new(concurrency: u32) -> Port {
        Port {
            st: Mutex::new(State {
                packets: VecDeque::new(),
                sleepers: Vec::new(),
                active: 0,
                closed: false,
            }),
            concurrency: concurrency.max(1),
        }
    }

    /// Queue a packet, or give it to a sleeping thread that may be released. Packets for a
    /// closed port are dropped.
    pub fn post(&self, p: Packet) {
        let mut st = self.st.lock();
        if st.closed {
            return;
        }
        if st.active < self.concurrency && !st.sleepers.is_empty() {
            // The reaping thread itself when it sleeps here (no wake-up needed), else the
            // newest sleeper.
            let i = st
                .sleepers
                .iter()
                .rposition(|s| s.w.is_current())
                .unwrap_or(st.sleepers.len() - 1);
            let s = st.sleepers.remove(i);
            st.active += 1;
            *s.slot.lock() = Grant::Packet(p);
            drop(st);
            s.w.wake();
            return;
        }
        st.packets.push_back(p);
    }

    /// A thread stopped being active on this port: release a sleeper for a queued packet.
    fn leave(&self) {
        let mut st = self.st.lock();
        st.active = st.active.saturating_sub(1);
        self.hand_over(st);
    }

    /// Give queued packets to sleepers while the concurrency value allows.
    fn hand_over(&self, mut st: parking_lot::MutexGuard<'_, State>) {
        let mut wake = Vec::new();
        while st.active < self.concurrency && !st.sleepers.is_empty() {
            let Some(p) = st.packets.pop_front() else {
                break;
            };
            let s = st.sleepers.pop().expect("checked non-empty");
            st.active += 1;
            *s.slot.lock() = Grant::Packet(p);
            wake.push(s.w);
        }
        drop(st);
        for w in wake {
            w.wake();
        }
    }

    /// `CloseHandle` on the port: sleepers wake with `ERROR_ABANDONED_WAIT_0`, queued packets
    /// are dropped, later posts are ignored.
    fn close(&self) {
        let mut st = self.st.lock();
        st.closed = true;
        st.packets.clear();
        let sleepers = std::mem::take(&mut st.sleepers);
        drop(st);
        for s in sleepers {
            *s.slot.lock() = Grant::Closed;
            s.w.wake();
        }
    }
}

/// The port a thread is active on (see the module comment), and whether the thread is
/// blocked in a wait and so not counted by it; leaving the port at thread exit lets a queued
/// packet go to another thread.
struct Active(RefCell<Option<Arc<Port>>>, Cell<bool>);

impl Drop for Active {
    fn drop(&mut self) {
        if let Some(p) = self.0.borrow_mut().take() {
            if !self.1.get() {
                p.leave();
            }
        }
    }
}

thread_local! {
    /// Packets this thread may still take before it reaps the ring again (see `dequeue`).
    static PASS_LEFT: Cell<usize> = const { Cell::new(0) };
    static ACTIVE: Active = const { Active(RefCell::new(None), Cell::new(false)) };
    static SLOT: Arc<Mutex<Grant>> = Arc::new(Mutex::new(Grant::Nothing));
}

/// The calling thread comes back to a port: it is no longer active on the port it was
/// released by. Leaving another port hands its packets over; leaving `port` itself needs no
/// hand-over (the caller takes packets next), and is returned for the caller to count down
/// under the lock it takes anyway. A thread blocked in a wait (a port wait inside an APC)
/// was counted out already.
fn come_back(port: &Arc<Port>) -> Option<Arc<Port>> {
    let (prev, blocked) = ACTIVE
        .try_with(|a| (a.0.borrow_mut().take(), a.1.replace(false)))
        .ok()?;
    let prev = prev?;
    if blocked {
        return None;
    }
    if Arc::ptr_eq(&prev, port) {
        return Some(prev);
    }
    prev.leave();
    None
}

/// A thread active on a port blocks in a wait: until the returned guard is dropped it does
/// not count against the port's concurrency value, so a queued packet may go to a sleeping
/// thread meanwhile (Windows: a thread released by a port that enters a wait stops counting;
/// when it wakes it counts again, even above the limit). A no-op for other threads, for a
/// wait inside one that already blocks, and for a `timeout_ms` of 0 (a poll is no wait).
pub fn blocking(timeout_ms: i32) -> Blocked {
    if timeout_ms == 0 {
        return Blocked(None);
    }
    let port = ACTIVE
        .try_with(|a| {
            if a.1.get() {
                return None;
            }
            let p = a.0.borrow().clone()?;
            a.1.set(true);
            Some(p)
        })
        .ok()
        .flatten();
    if let Some(p) = &port {
        p.leave();
    }
    Blocked(port)
}

/// See [`blocking`].
pub struct Blocked(Option<Arc<Port>>);

impl Drop for Blocked {
    fn drop(&mut self) {
        let Some(p) = self.0.take() else { return };
        // The guard ends right after the sleeping syscall, whose errno the caller reads next.
        // SAFETY: the calling thread's errno slot.
        let errno = unsafe { *libc::__errno_location() };
        // Counted again only if the thread is still the port's and still blocked (a port
        // wait in between made it come back already).
        let still = ACTIVE
            .try_with(|a| {
                let same = a.0.borrow().as_ref().is_some_and(|q| Arc::ptr_eq(q, &p));
                same && a.1.replace(false)
            })
            .unwrap_or(false);
        if still {
            p.st.lock().active += 1;
        }
        // SAFETY: as above.
        unsafe { *libc::__errno_location() = errno };
    }
}

/// The thread is active on `port` (`held`: a reference to it the caller already has).
fn mark_active(port: &Arc<Port>, held: Option<Arc<Port>>) {
    let p = held.unwrap_or_else(|| port.clone());
    let _ = ACTIVE.try_with(|a| *a.0.borrow_mut() = Some(p));
}

/// How a wait on a port ended.
enum Dequeued {
    Packets(usize),
    Timeout,
    Apc,
    Closed,
}

/// Take up to `out.len()` packets, waiting until `deadline` for the first. The thread reaps
/// the ring while it sleeps whenever it holds the reaping token.
fn dequeue(
    port: &Arc<Port>,
    out: &mut [Packet],
    deadline: Option<Instant>,
    alertable: bool,
) -> Dequeued {
    let back = come_back(port);
    // Collect the ring's finished operations once per pass over the queue, as an epoll loop
    // polls once per batch of ready sockets: packets of operations that completed at once
    // keep a busy port's queue from running dry, and without this the operations that went
    // to the kernel would wait in the ring until it did. Once per pass (not per call) keeps
    // the batches a long queue gives (see docs/architecture.md for the measurements). The
    // reap does not sleep and is skipped while another thread reaps.
    let reap = PASS_LEFT.with(|t| t.get()) == 0;
    if reap {
        engine::reap_now();
    }
    let take_more = |st: &mut State, out: &mut [Packet], mut n: usize| {
        while n < out.len() {
            match st.packets.pop_front() {
                Some(p) => {
                    out[n] = p;
                    n += 1;
                }
                None => break,
            }
        }
        n
    };
    {
        let mut st = port.st.lock();
        if reap {
            let n = st.packets.len();
            PASS_LEFT.with(|t| t.set(n));
        }
        if back.is_some() {
            st.active = st.active.saturating_sub(1);
        }
        if st.active < port.concurrency && !st.packets.is_empty() {
            st.active += 1;
            let n = take_more(&mut st, out, 0);
            drop(st);
            PASS_LEFT.with(|t| t.set(t.get().saturating_sub(n)));
            // It counts as a wait: the thread reaps when the queue runs dry, so the
            // completion thread leaves the ring to it instead of competing for the CPU.
            engine::note_wait();
            mark_active(port, back);
            return Dequeued::Packets(n);
        }
        if st.closed {
            return Dequeued::Closed;
        }
    }
    wait::thread::with_current(|w| {
        if alertable && w.has_apcs() {
            w.run_apcs();
            return Dequeued::Apc;
        }
        let slot = SLOT.with(|s| s.clone());
        *slot.lock() = Grant::Nothing;
        port.st.lock().sleepers.push(Sleeper {
            w: w.clone(),
            slot: slot.clone(),
        });
        let mut part = engine::Participant::new(w);
        let mut reaped = false;
        loop {
            let granted = std::mem::replace(&mut *slot.lock(), Grant::Nothing);
            match granted {
                Grant::Packet(p) => {
                    out[0] = p;
                    let n = take_more(&mut port.st.lock(), out, 1);
                    drop(part);
                    mark_active(port, None);
                    return Dequeued::Packets(n);
                }
                Grant::Closed => return Dequeued::Closed,
                Grant::Nothing => {}
            }
            let timeout = crate::socket::poll_timeout(deadline);
            let apc = alertable && w.has_apcs();
            if apc || timeout == 0 {
                if !apc && !reaped {
                    // A wait that does not sleep still reaps once (as the other waits do).
                    reaped = true;
                    if part.reap_once() {
                        continue;
                    }
                }
                // Leave the sleepers; a packet given in between is taken after all.
                let mut st = port.st.lock();
                if let Some(i) = st.sleepers.iter().position(|s| Arc::ptr_eq(&s.slot, &slot)) {
                    st.sleepers.remove(i);
                    drop(st);
                    if apc {
                        drop(part);
                        w.run_apcs();
                        return Dequeued::Apc;
                    }
                    return Dequeued::Timeout;
                }
                drop(st);
                continue;
            }
            part.sleep(timeout);
        }
    })
}

/// The port a handle names.
fn get(h: usize) -> WsResult<Arc<Port>> {
    match table().get(h) {
        Some(Object::Port(p)) => Ok(p),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// `CloseHandle` on a port.
pub fn close(h: usize) -> WsResult<()> {
    match table().remove(h) {
        Some(Object::Port(p)) => {
            p.close();
            Ok(())
        }
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

fn processors() -> u32 {
    std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1)
}

/// `HANDLE CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
/// ULONG_PTR CompletionKey, DWORD NumberOfConcurrentThreads)`
#[no_mangle]
pub extern "C" fn CreateIoCompletionPort(
    file: usize,
    existing: usize,
    key: usize,
    concurrency: u32,
) -> usize {
    let _t = crate::trace_call!("CreateIoCompletionPort", file, existing, key, concurrency);
    ffi::win(0, || {
        if file == INVALID_HANDLE_VALUE {
            if existing != 0 {
                return Err(WsaError::ERROR_INVALID_PARAMETER);
            }
            return new_port(concurrency).map(|(h, _)| h);
        }
        let sock = match table().get(file) {
            Some(Object::Socket(s)) => s,
            _ => return Err(WsaError::ERROR_INVALID_HANDLE),
        };
        let (h, port) = if existing == 0 {
            new_port(concurrency)?
        } else {
            (existing, get(existing)?)
        };
        if sock.port.set((port, key)).is_err() {
            if existing == 0 {
                let _ = close(h);
            }
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        Ok(h)
    })
}

fn new_port(concurrency: u32) -> WsResult<(usize, Arc<Port>)> {
    let n = if concurrency == 0 {
        processors()
    } else {
        concurrency
    };
    let port = Arc::new(Port::new(n));
    let h = table()
        .insert(Object::Port(port.clone()))
        .ok_or(WsaError::ERROR_NO_SYSTEM_RESOURCES)?;
    Ok((h, port))
}

/// `BOOL PostQueuedCompletionStatus(HANDLE, DWORD, ULONG_PTR, LPOVERLAPPED)`
#[no_mangle]
pub extern "C" fn PostQueuedCompletionStatus(
    port: usize,
    bytes: u32,
    key: usize,
    ov: usize,
) -> i32 {
    let _t = crate::trace_call!("PostQueuedCompletionStatus", port, bytes, key, ov);
    ffi::win(0, || {
        get(port)?.post(Packet {
            key,
            ov,
            status: status::STATUS_SUCCESS,
            bytes,
        });
        Ok(1)
    })
}

/// `BOOL GetQueuedCompletionStatus(HANDLE, LPDWORD lpNumberOfBytesTransferred, PULONG_PTR
/// lpCompletionKey, LPOVERLAPPED *lpOverlapped, DWORD dwMilliseconds)`: TRUE for a packet of
/// a successful operation; FALSE with the `OVERLAPPED*` set and the operation's error for a
/// failed one; FALSE with a NULL `OVERLAPPED*` and `WAIT_TIMEOUT` (or
/// `ERROR_ABANDONED_WAIT_0` when the port is closed) when no packet came.
#[no_mangle]
pub unsafe extern "C" fn GetQueuedCompletionStatus(
    port: usize,
    bytes: *mut u32,
    key: *mut usize,
    ov: *mut usize,
    ms: u32,
) -> i32 {
    let _t = crate::trace_call!("GetQueuedCompletionStatus", port, bytes, key, ov, ms);
    ffi::win(0, || {
        let p = get(port)?;
        if bytes.is_null() || key.is_null() || ov.is_null() {
            return Err(WsaError::ERROR_NOACCESS);
        }
        let mut got = [Packet {
            key: 0,
            ov: 0,
            status: 0,
            bytes: 0,
        }];
        let r = dequeue(&p, &mut got, wait::deadline(ms), false);
        // SAFETY: three non-NULL caller pointers, writable by the caller's contract.
        unsafe {
            match r {
                Dequeued::Packets(_) => {
                    let g = got[0];
                    *bytes = g.bytes;
                    *key = g.key;
                    *ov = g.ov;
                    match status::to_win32(g.status) {
                        WsaError(0) => Ok(1),
                        e => Err(e),
                    }
                }
                Dequeued::Timeout | Dequeued::Apc => {
                    *ov = 0;
                    Err(WsaError::WAIT_TIMEOUT)
                }
                Dequeued::Closed => {
                    *ov = 0;
                    Err(WsaError::ERROR_ABANDONED_WAIT_0)
                }
            }
        }
    })
}

/// `OVERLAPPED_ENTRY`: key, `OVERLAPPED*`, `Internal` (the NTSTATUS), bytes.
#[repr(C)]
pub struct OverlappedEntry {
    pub key: usize,
    pub ov: usize,
    pub internal: usize,
    pub bytes: u32,
}

thread_local! {
    static BATCH: std::cell::Cell<Vec<Packet>> = const { std::cell::Cell::new(Vec::new()) };
}

/// `BOOL GetQueuedCompletionStatusEx(HANDLE, LPOVERLAPPED_ENTRY, ULONG ulCount, PULONG
/// ulNumEntriesRemoved, DWORD dwMilliseconds, BOOL fAlertable)`: up to `ulCount` packets in
/// one call; FALSE with `WAIT_TIMEOUT`, or `WAIT_IO_COMPLETION` when an alertable wait ran
/// queued calls.
#[no_mangle]
pub unsafe extern "C" fn GetQueuedCompletionStatusEx(
    port: usize,
    entries: *mut OverlappedEntry,
    count: u32,
    removed: *mut u32,
    ms: u32,
    alertable: i32,
) -> i32 {
    let _t = crate::trace_call!(
        "GetQueuedCompletionStatusEx",
        port,
        entries,
        count,
        removed,
        ms,
        alertable
    );
    ffi::win(0, || {
        let p = get(port)?;
        if count == 0 {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        if entries.is_null() || removed.is_null() {
            return Err(WsaError::ERROR_NOACCESS);
        }
        let mut got = BATCH.with(|c| c.take());
        got.clear();
        got.resize(
            count.min(4096) as usize,
            Packet {
                key: 0,
                ov: 0,
                status: 0,
                bytes: 0,
            },
        );
        let r = dequeue(&p, &mut got, wait::deadline(ms), alertable != 0);
        // SAFETY: `removed` is non-NULL and writable, `entries` holds `count` entries.
        let res = unsafe {
            *removed = 0;
            match r {
                Dequeued::Packets(n) => {
                    let out = std::slice::from_raw_parts_mut(entries, n);
                    for (e, g) in out.iter_mut().zip(&got[..n]) {
                        e.key = g.key;
                        e.ov = g.ov;
                        e.internal = g.status as usize;
                        e.bytes = g.bytes;
                    }
                    *removed = n as u32;
                    Ok(1)
                }
                Dequeued::Timeout => Err(WsaError::WAIT_TIMEOUT),
                Dequeued::Apc => Err(WsaError(wait::WAIT_IO_COMPLETION)),
                Dequeued::Closed => Err(WsaError::ERROR_ABANDONED_WAIT_0),
            }
        };
        BATCH.with(|c| c.set(got));
        res
    })
}

/// `BOOL SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)`
#[no_mangle]
pub extern "C" fn SetFileCompletionNotificationModes(h: usize, flags: u8) -> i32 {
    let _t = crate::trace_call!("SetFileCompletionNotificationModes", h, flags);
    ffi::win(0, || {
        if flags & !(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE) != 0 {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        match table().get(h) {
            Some(Object::Socket(s)) => {
                s.notify_modes
                    .fetch_or(flags, std::sync::atomic::Ordering::AcqRel);
                Ok(1)
            }
            _ => Err(WsaError::ERROR_INVALID_HANDLE),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pk(key: usize) -> Packet {
        Packet {
            key,
            ov: 0,
            status: 0,
            bytes: 0,
        }
    }

    #[test]
    fn packets_come_back_in_order() {
        let p = Arc::new(Port::new(2));
        for k in 1..=3 {
            p.post(pk(k));
        }
        let mut out = [pk(0); 2];
        assert!(matches!(
            dequeue(&p, &mut out, Some(Instant::now()), false),
            Dequeued::Packets(2)
        ));
        assert_eq!((out[0].key, out[1].key), (1, 2));
        assert!(matches!(
            dequeue(&p, &mut out[..1], Some(Instant::now()), false),
            Dequeued::Packets(1)
        ));
        assert_eq!(out[0].key, 3);
        assert!(matches!(
            dequeue(&p, &mut out[..1], Some(Instant::now()), false),
            Dequeued::Timeout
        ));
    }

    #[test]
    fn concurrency_limits_released_threads() {
        let p = Arc::new(Port::new(1));
        p.post(pk(1));
        p.post(pk(2));
        let mut out = [pk(0)];
        assert!(matches!(
            dequeue(&p, &mut out, Some(Instant::now()), false),
            Dequeued::Packets(1)
        ));
        // This thread is active: another thread is not released for the second packet.
        let p2 = p.clone();
        let other = std::thread::spawn(move || {
            let mut o = [pk(0)];
            let d = std::time::Duration::from_millis(100);
            matches!(
                dequeue(&p2, &mut o, Some(Instant::now() + d), false),
                Dequeued::Timeout
            )
        });
        assert!(
            other.join().unwrap(),
            "a second thread was released beyond the concurrency value"
        );
        // Coming back releases this thread's slot: it takes the second packet itself.
        assert!(matches!(
            dequeue(&p, &mut out, Some(Instant::now()), false),
            Dequeued::Packets(1)
        ));
        assert_eq!(out[0].key, 2);
    }
}
