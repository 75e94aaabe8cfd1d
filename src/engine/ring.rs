//! One io_uring instance: who submits, who reaps, and the reaping token.
//!
//! Any thread submits (the SQ is guarded by a mutex, the kernel serialises `io_uring_enter`).
//! Reaping is done by whoever holds the reaping token: a thread sleeping in one of our waits
//! takes it when it is free and polls the ring fd beside its own eventfd, so completions of a
//! thread that waits for them are reaped by that thread with no hop. When no thread has
//! waited for a while (one grace period without a wait starting), the ring's completion
//! thread takes the token and reaps, so completions still arrive for programs that poll
//! `HasOverlappedIoCompleted` or never wait at all.

use super::io;
use crate::wait::thread::Waker;
use io_uring::{opcode, squeue, IoUring, Probe};
use parking_lot::Mutex;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

/// The token is free.
const FREE: u8 = 0;
/// A waiting thread holds the token.
const WAITER: u8 = 1;
/// The completion thread holds the token.
const REAPER: u8 = 2;

/// How long the completion thread leaves reaping to waiting threads before it checks again.
const GRACE_MS: i32 = 1;
/// While waits keep starting, the checks back off to this period: a busy server's waiting
/// threads reap everything, and the completion thread then costs few wake-ups. A program
/// whose threads all stop waiting gets its completions reaped after at most this long.
const GRACE_MAX_MS: i32 = 16;
/// Grace periods with nothing in flight before the completion thread sleeps without a timeout.
const IDLE_AFTER: u32 = 50;

/// `user_data` of SQEs whose completions carry no operation (cancel requests).
pub const TAG_INTERNAL: u64 = u64::MAX;

pub struct Ring {
    uring: IoUring,
    fd: RawFd,
    /// Guards pushes into the SQ ring memory.
    sq: Mutex<()>,
    /// Guards the CQ: one reaper at a time.
    reap: Mutex<()>,
    token: AtomicU8,
    /// Moves every time a thread starts a wait that could reap.
    epoch: AtomicU64,
    /// Waiting threads that found the token taken; one is woken when it is released.
    parked: Mutex<Vec<Arc<Waker>>>,
    /// Wakes the completion thread.
    ctl: RawFd,
    /// The completion thread sleeps without a timeout (nothing in flight).
    idle: AtomicBool,
    /// Operations submitted whose completion has not been reaped.
    in_flight: AtomicUsize,
    /// SQEs pushed and not yet handed to the kernel.
    unsubmitted: AtomicBool,
}

fn eventfd() -> std::io::Result<RawFd> {
    // SAFETY: plain syscall; the result is checked.
    let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
    if fd < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(fd)
    }
}

fn drain_fd(fd: RawFd) {
    let mut v: u64 = 0;
    // SAFETY: reads 8 bytes into a live u64 from a non-blocking eventfd.
    unsafe { libc::read(fd, &mut v as *mut u64 as *mut libc::c_void, 8) };
}

fn poll2(a: RawFd, b: RawFd, timeout: i32) -> (bool, bool) {
    let mut fds = [
        libc::pollfd {
            fd: a,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: b,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let n = if b < 0 { 1 } else { 2 };
    // SAFETY: `fds` is a live array of at least `n` pollfds.
    let r = unsafe { libc::poll(fds.as_mut_ptr(), n, timeout) };
    if r <= 0 {
        return (false, false);
    }
    (fds[0].revents != 0, fds[1].revents != 0)
}

/// The opcodes every overlapped operation needs.
const NEEDED: &[(u8, &str)] = &[
    (opcode::RecvMsg::CODE, "RECVMSG"),
    (opcode::SendMsg::CODE, "SENDMSG"),
    (opcode::Recv::CODE, "RECV"),
    (opcode::Send::CODE, "SEND"),
    (opcode::PollAdd::CODE, "POLL_ADD"),
    (opcode::AsyncCancel::CODE, "ASYNC_CANCEL"),
    (opcode::Accept::CODE, "ACCEPT"),
];

impl Ring {
    /// Set up a ring and check the kernel supports every opcode the engine uses.
    pub fn new() -> Result<Ring, String> {
        let entries = std::env::var("WS2_URING_SQ_ENTRIES")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|&n| n >= 1)
            .unwrap_or(1024);
        let uring = IoUring::builder()
            .setup_cqsize(32768)
            .setup_clamp()
            .setup_submit_all()
            .setup_coop_taskrun()
            .setup_taskrun_flag()
            .build(entries)
            .map_err(|e| format!("io_uring_setup failed: {e}"))?;
        let mut probe = Probe::new();
        uring
            .submitter()
            .register_probe(&mut probe)
            .map_err(|e| format!("io_uring probe failed: {e}"))?;
        for (code, name) in NEEDED {
            if !probe.is_supported(*code) {
                return Err(format!("the kernel's io_uring lacks IORING_OP_{name}"));
            }
        }
        if !uring.params().is_feature_nodrop() {
            return Err("the kernel's io_uring lacks IORING_FEAT_NODROP".into());
        }
        let ctl = eventfd().map_err(|e| format!("eventfd failed: {e}"))?;
        let fd = uring.as_raw_fd();
        Ok(Ring {
            uring,
            fd,
            sq: Mutex::new(()),
            reap: Mutex::new(()),
            token: AtomicU8::new(FREE),
            epoch: AtomicU64::new(0),
            parked: Mutex::new(Vec::new()),
            ctl,
            idle: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            unsubmitted: AtomicBool::new(false),
        })
    }

    pub fn fd(&self) -> RawFd {
        self.fd
    }

    /// Queue one SQE. A full SQ is flushed to the kernel and the push retried: a full queue
    /// is back-pressure, never an error.
    pub fn push(&self, e: &squeue::Entry, counts_as_op: bool) {
        if counts_as_op {
            self.in_flight.fetch_add(1, Ordering::SeqCst);
        }
        {
            let _g = self.sq.lock();
            // SAFETY: the SQ is only touched under `self.sq`.
            let mut sq = unsafe { self.uring.submission_shared() };
            loop {
                // SAFETY: every pointer in the entry stays valid until its CQE (op records are
                // pooled and never freed before then).
                if unsafe { sq.push(e) }.is_ok() {
                    break;
                }
                sq.sync();
                // Flush without reaping: a reap could complete operations that push again
                // and take this lock.
                self.submit_raw();
                sq.sync();
            }
            sq.sync();
            self.unsubmitted.store(true, Ordering::Release);
        }
        if counts_as_op && self.idle.swap(false, Ordering::SeqCst) {
            self.kick();
        }
    }

    /// Hand the SQ to the kernel once; `false` when the kernel asks to retry later.
    fn submit_raw(&self) -> bool {
        loop {
            match self.uring.submitter().submit() {
                Ok(_) => return true,
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
                Err(e) => match e.raw_os_error() {
                    Some(libc::EAGAIN) | Some(libc::EBUSY) => {
                        std::thread::yield_now();
                        return false;
                    }
                    _ => return true,
                },
            }
        }
    }

    /// Hand queued SQEs to the kernel (no syscall when nothing was pushed).
    pub fn enter(&self) {
        // A load first: the common case (nothing queued) then writes no shared cache line.
        if !self.unsubmitted.load(Ordering::Acquire)
            || !self.unsubmitted.swap(false, Ordering::AcqRel)
        {
            return;
        }
        // The kernel short of memory or with an overflowed CQ asks to retry: reap (when no
        // one else is) and try again.
        while !self.submit_raw() {
            self.reap();
        }
    }

    /// Queue one SQE and submit it.
    pub fn submit(&self, e: &squeue::Entry, counts_as_op: bool) {
        self.push(e, counts_as_op);
        self.enter();
    }

    fn kick(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live u64 to our eventfd.
        unsafe { libc::write(self.ctl, &one as *const u64 as *const libc::c_void, 8) };
    }

    /// Reap every completion available, unless another thread is reaping. Returns how many.
    pub fn reap(&self) -> usize {
        match self.reap.try_lock() {
            Some(_g) => self.drain_cq(),
            None => 0,
        }
    }

    /// Reap every completion available, after the pass of any thread reaping now.
    pub fn reap_wait(&self) -> usize {
        let _g = self.reap.lock();
        self.drain_cq()
    }

    /// Dispatch the CQ's completions; the caller holds `self.reap`.
    fn drain_cq(&self) -> usize {
        let mut n = 0;
        loop {
            // SAFETY: the CQ is only touched under `self.reap`.
            let mut cq = unsafe { self.uring.completion_shared() };
            let Some(cqe) = cq.next() else { return n };
            // Release the CQE slot before dispatching, so a long dispatch never holds it.
            cq.sync();
            drop(cq);
            n += 1;
            let ud = cqe.user_data();
            if ud == TAG_INTERNAL {
                continue;
            }
            self.in_flight.fetch_sub(1, Ordering::AcqRel);
            if crate::trace::on() {
                crate::trace::cqe(ud, cqe.result());
            }
            io::complete(self, ud, cqe.result());
        }
    }

    /// A thread begins a wait that may reap.
    pub fn begin_wait(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Take the token for a waiting thread.
    pub fn try_lead(&self) -> bool {
        self.token
            .compare_exchange(FREE, WAITER, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Give the token back and wake one thread that waits for it.
    pub fn release(&self) {
        self.token.store(FREE, Ordering::Release);
        if let Some(w) = self.parked.lock().first() {
            w.wake();
        }
    }

    pub fn park(&self, w: &Arc<Waker>) {
        self.parked.lock().push(w.clone());
    }

    pub fn unpark(&self, w: &Arc<Waker>) {
        let mut p = self.parked.lock();
        if let Some(i) = p.iter().position(|x| Arc::ptr_eq(x, w)) {
            p.remove(i);
        }
    }

    /// The completion thread: reaps whenever no waiting thread has for a grace period.
    pub fn run_reaper(&self) {
        // Grace periods in a row with nothing in flight; after IDLE_AFTER of them the thread
        // sleeps until an operation is pushed (a busy server never pays for that wake-up).
        let mut quiet = 0u32;
        let mut grace = GRACE_MS;
        loop {
            let seen = self.epoch.load(Ordering::Acquire);
            if self.in_flight.load(Ordering::Acquire) > 0 {
                quiet = 0;
            } else {
                quiet = quiet.saturating_add(1);
            }
            let timeout = if quiet < IDLE_AFTER {
                grace
            } else {
                // Store then load on two variables: SeqCst on both sides (here and in
                // `push`) so either the pusher sees `idle` or this sees the operation.
                self.idle.store(true, Ordering::SeqCst);
                if self.in_flight.load(Ordering::SeqCst) > 0 {
                    self.idle.store(false, Ordering::Release);
                    GRACE_MS
                } else {
                    -1
                }
            };
            let (woken, _) = poll2(self.ctl, -1, timeout);
            if woken {
                drain_fd(self.ctl);
            }
            self.idle.store(false, Ordering::Release);
            if timeout == -1 {
                // Woken by a push: give waiting threads a grace period to reap it first.
                quiet = 0;
                grace = GRACE_MS;
                continue;
            }
            if self.epoch.load(Ordering::Acquire) != seen {
                // Threads are waiting (and reaping): look again later.
                grace = (grace * 2).min(GRACE_MAX_MS);
                continue;
            }
            grace = GRACE_MS;
            if self.in_flight.load(Ordering::Acquire) == 0 {
                continue;
            }
            if self
                .token
                .compare_exchange(FREE, REAPER, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                continue;
            }
            let taken = self.epoch.load(Ordering::Acquire);
            loop {
                self.reap();
                if self.epoch.load(Ordering::Acquire) != taken
                    || self.in_flight.load(Ordering::Acquire) == 0
                {
                    break;
                }
                let (_, woken) = poll2(self.fd, self.ctl, GRACE_MS);
                if woken {
                    drain_fd(self.ctl);
                }
            }
            self.reap();
            self.release();
        }
    }
}

/// Close a ring inherited by a forked child without touching the parent's ring: the child's
/// copies of the fds go, the shared mappings are left alone.
pub fn abandon_in_child(ring: &Ring) {
    // SAFETY: closing our copies of two fds; nothing in the child uses them afterwards.
    unsafe {
        libc::close(ring.fd);
        libc::close(ring.ctl);
    }
}
