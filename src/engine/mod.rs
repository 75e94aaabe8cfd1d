//! The io_uring engine: rings, operation records, per-socket queues, completion delivery.
//!
//! The process has one ring, created by the first `WSAStartup` (which fails with
//! `WSASYSNOTREADY` when the kernel cannot provide it). Every overlapped socket operation is
//! submitted to it; its completions are reaped by whichever thread holds the ring's reaping
//! token (a thread waiting in one of our waits, or the ring's completion thread when no
//! thread has waited for a grace period). See `docs/architecture.md`.

pub mod io;
pub mod op;
pub mod ring;

use crate::error::WsaError;
use crate::ffi::WsResult;
use crate::wait::thread::Waker;
use parking_lot::Mutex;
use ring::Ring;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::Arc;

static RING: AtomicPtr<Ring> = AtomicPtr::new(std::ptr::null_mut());
static START: Mutex<()> = Mutex::new(());
/// Moves in a forked child, so socket queues inherited from the parent are reset.
static FORK_GEN: AtomicU64 = AtomicU64::new(0);
static REPORTED: std::sync::Once = std::sync::Once::new();

extern "C" fn forked_child() {
    FORK_GEN.fetch_add(1, Ordering::AcqRel);
    let old = RING.swap(std::ptr::null_mut(), Ordering::AcqRel);
    if !old.is_null() {
        // SAFETY: rings are leaked, never freed; the child only closes its copies of the fds
        // and leaves the parent's ring (shared with the parent through the fd) alone.
        ring::abandon_in_child(unsafe { &*old });
    }
}

/// The process ring, if `WSAStartup` has set it up.
pub fn ring() -> Option<&'static Ring> {
    let p = RING.load(Ordering::Acquire);
    // SAFETY: rings are leaked boxes, valid for the life of the process.
    (!p.is_null()).then(|| unsafe { &*p })
}

/// The ring, created on first use (a forked child gets its own here).
pub fn ring_or_start() -> WsResult<&'static Ring> {
    match ring() {
        Some(r) => Ok(r),
        None => start(),
    }
}

/// Set up the process ring and its completion thread, once. Without io_uring this fails with
/// `WSASYSNOTREADY` and says why on stderr, once per process.
pub fn start() -> WsResult<&'static Ring> {
    let _g = START.lock();
    if let Some(r) = ring() {
        return Ok(r);
    }
    let ring = match Ring::new() {
        Ok(r) => r,
        Err(why) => {
            REPORTED.call_once(|| {
                eprintln!(
                    "ws2_32: io_uring is unavailable ({why}); WSAStartup fails with WSASYSNOTREADY"
                );
            });
            return Err(WsaError::WSASYSNOTREADY);
        }
    };
    let ring: &'static Ring = Box::leak(Box::new(ring));
    static ATFORK: std::sync::Once = std::sync::Once::new();
    ATFORK.call_once(|| {
        // SAFETY: registers a child handler that only touches atomics and closes fds.
        unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
    });
    std::thread::Builder::new()
        .name("ws2-uring-reap".into())
        .spawn(move || ring.run_reaper())
        .map_err(|_| WsaError::WSASYSNOTREADY)?;
    RING.store(ring as *const Ring as *mut Ring, Ordering::Release);
    Ok(ring)
}

/// Bring a socket's queues into this process after a fork.
fn refresh(io: &mut io::Io) {
    let g = FORK_GEN.load(Ordering::Acquire);
    if io.gen() != g {
        io.reset_after_fork(g);
    }
}

/// A thread waited (even without sleeping): it is active and will reap when it sleeps.
pub fn note_wait() {
    if let Some(r) = ring() {
        r.begin_wait();
    }
}

/// Reap what is ready now, if no other thread is reaping.
pub fn reap_now() {
    if let Some(r) = ring() {
        r.reap();
    }
}

/// A thread inside one of our waits: it reaps the ring while it sleeps when it holds the
/// reaping token, and otherwise waits to be handed the token.
pub struct Participant<'a> {
    ring: Option<&'static Ring>,
    w: &'a Arc<Waker>,
    leading: bool,
    parked: bool,
}

impl<'a> Participant<'a> {
    pub fn new(w: &'a Arc<Waker>) -> Participant<'a> {
        let ring = ring();
        if let Some(r) = ring {
            r.begin_wait();
        }
        Participant {
            ring,
            w,
            leading: false,
            parked: false,
        }
    }

    fn lead(&mut self, r: &Ring) {
        if self.leading {
            return;
        }
        if r.try_lead() {
            self.leading = true;
        } else if !self.parked {
            r.park(self.w);
            self.parked = true;
            self.leading = r.try_lead();
        }
        if self.leading && self.parked {
            r.unpark(self.w);
            self.parked = false;
        }
    }

    /// Reap what is ready without sleeping, if the token can be had. True when anything was
    /// reaped.
    pub fn reap_once(&mut self) -> bool {
        match self.ring {
            Some(r) => {
                self.lead(r);
                self.leading && r.reap() > 0
            }
            None => false,
        }
    }

    /// Sleep until woken, the timeout (ms, -1 = none) passes, or completions were reaped.
    pub fn sleep(&mut self, timeout: i32) {
        let mut ring_fd = -1;
        if let Some(r) = self.ring {
            self.lead(r);
            if self.leading {
                if r.reap() > 0 {
                    return;
                }
                ring_fd = r.fd();
            }
        }
        let mut fds = [
            libc::pollfd {
                fd: self.w.fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: ring_fd,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let n = if ring_fd < 0 { 1 } else { 2 };
        let blocked = crate::iocp::blocking(timeout);
        // SAFETY: `fds` is a live array of at least `n` pollfds.
        let r = unsafe { libc::poll(fds.as_mut_ptr(), n, timeout) };
        drop(blocked);
        if r > 0 {
            if fds[0].revents != 0 {
                self.w.drain();
            }
            if fds[1].revents != 0 {
                if let Some(ring) = self.ring {
                    ring.reap();
                }
            }
        }
    }
}

impl Drop for Participant<'_> {
    fn drop(&mut self) {
        if let Some(r) = self.ring {
            if self.leading {
                r.release();
            }
            if self.parked {
                r.unpark(self.w);
            }
        }
    }
}
