//! Per-socket operation queues and the life of one operation: first try, submission,
//! completion, delivery and cancellation.
//!
//! Each socket has two FIFO queues (receives, sends) with at most one operation of each in
//! the kernel: io_uring may run several SQEs on one socket out of order, Windows fills
//! receive buffers and sends data in the order posted. When a queue is empty a new
//! operation is first tried with a non-blocking syscall; if that finishes it the operation
//! completes at once (the call returns 0 and still signals). Otherwise it goes to the
//! kernel; a stream send (or `MSG_WAITALL` receive) that moves part of its bytes is
//! resubmitted for the rest before the next operation starts, so a short send never
//! reorders or drops bytes.

use super::op::{self, Kind, Notify, Op};
use super::ring::{Ring, TAG_INTERNAL};
use crate::abi::sockaddr;
use crate::error::WsaError;
use crate::socket::Socket;
use crate::status::{self, STATUS_CANCELLED, STATUS_SUCCESS};

use crate::wait::thread::Apc;
use io_uring::{opcode, squeue, types};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A socket's queues. Guarded by `Socket::io`.
#[derive(Default)]
pub struct Io {
    q: [VecDeque<u32>; 2],
    busy: [bool; 2],
    /// The last receive started on an idle queue had to wait for data: the next one goes
    /// straight to the kernel instead of a direct try (see `issue`).
    recv_waited: bool,
    /// The fork generation the queues belong to (see `engine::forked`).
    gen: u64,
}

/// The caller's `OVERLAPPED`: Internal 0, InternalHigh 8, Offset 16, OffsetHigh 20, hEvent 24.
#[repr(C)]
pub struct Overlapped {
    pub internal: usize,
    pub internal_high: usize,
    pub offset: u32,
    pub offset_high: u32,
    pub h_event: usize,
}

/// Read a caller's OVERLAPPED status with acquire ordering, pairing with [`deliver`].
///
/// # Safety
/// `ov` must point to a live OVERLAPPED.
pub unsafe fn status_of(ov: *const Overlapped) -> u32 {
    // SAFETY: Internal is a naturally aligned usize in the caller's live OVERLAPPED.
    unsafe { AtomicUsize::from_ptr(ov as *mut usize) }.load(Ordering::Acquire) as u32
}

/// Mark a caller's OVERLAPPED as in progress, as Windows does when an operation starts
/// (`InternalHigh` is left as it was until the operation completes).
///
/// # Safety
/// `ov` must point to a live OVERLAPPED.
pub unsafe fn mark_pending(ov: *mut Overlapped) {
    // SAFETY: the caller's live OVERLAPPED.
    unsafe { AtomicUsize::from_ptr(ov as *mut usize) }
        .store(status::STATUS_PENDING as usize, Ordering::Release);
}

/// Where one attempt at an operation left it.
pub enum Step {
    /// Finished: final status (success or a completion-carrying status such as
    /// `STATUS_BUFFER_OVERFLOW`), bytes and Windows flags.
    Done {
        status: u32,
        bytes: usize,
        flags: u32,
    },
    /// Failed before anything completed.
    Error(WsaError),
    /// Not finished: wait for the socket.
    Again,
    /// An `AcceptEx` took its connection and continues as a receive on the accepted socket
    /// (`op.sock`, already switched): the record leaves the listener's queue.
    Handoff,
}

const MSG_OOB_WIN: u32 = 0x1;
/// `IORING_RECVSEND_POLL_FIRST`: an operation is only submitted after a direct try found the
/// socket not ready, so the kernel arms its poll at once instead of trying again.
const POLL_FIRST: u16 = 1;

/// Interpret a syscall or CQE result (`res` bytes, or `-errno`) for `op`.
fn outcome(sock: &Socket, op: &mut Op, res: i32) -> Step {
    if op.forced || (op.cancel && (res == -libc::ECANCELED || res == -libc::EINTR)) {
        if op.kind == Kind::Accept && res >= 0 {
            // SAFETY: the connection the cancelled accept took; nobody else has the fd.
            unsafe { libc::close(res) };
        }
        return Step::Done {
            status: op.cancel_status,
            bytes: 0,
            flags: 0,
        };
    }
    if res < 0 {
        let e = -res;
        // ECANCELED that no cancel of ours asked for: the thread that submitted the request
        // (any thread may start a queued operation, see `start_next`) exited before the
        // request's task work ran, and the kernel fails such requests from its fallback
        // worker. Nothing moved in that submission (partial progress would be reported as a
        // count), so it is submitted again, now by a live thread.
        if e == libc::EAGAIN || e == libc::EINTR || e == libc::ECANCELED {
            return Step::Again;
        }
        if op.kind == Kind::Accept {
            // A connection reset while queued is skipped, as Windows' accept skips it.
            if e == libc::ECONNABORTED {
                return Step::Again;
            }
            return Step::Error(crate::error::from_errno(e));
        }
        if e == libc::ECONNRESET && op.kind != Kind::Send && sock.is_stream() {
            sock.st.lock().reset = true;
        }
        return Step::Error(crate::socket::io_error(
            sock,
            op.kind == Kind::Send,
            op.lflags,
            e,
        ));
    }
    if res == 0 && op.kind == Kind::Recv && sock.is_stream() && sock.st.lock().reset {
        return Step::Error(WsaError::WSAECONNRESET);
    }
    match op.kind {
        Kind::Accept => crate::ext::accepted(sock, op, res),
        Kind::Transmit => {
            if res as i16 & (libc::POLLERR | libc::POLLHUP) != 0 {
                let e = crate::socket::calls::so_error(sock);
                let e = if e == 0 { libc::EPIPE } else { e };
                return Step::Error(crate::socket::io_error(sock, true, 0, e));
            }
            crate::ext::transmit::step(sock, op)
        }
        Kind::Connect => {
            match crate::ext::connected(sock, res as i16) {
                Err(e) => Step::Error(e),
                Ok(true) if op.total > 0 => {
                    // Connected: the optional data goes out on the same record.
                    op.kind = Kind::Send;
                    attempt(sock, op)
                }
                Ok(_) => Step::Done {
                    status: STATUS_SUCCESS,
                    bytes: 0,
                    flags: 0,
                },
            }
        }
        Kind::PollIn => {
            if res as i16 & libc::POLLERR != 0 {
                let e = sock.linux_int(libc::SOL_SOCKET, libc::SO_ERROR);
                if e != 0 {
                    return Step::Error(crate::error::from_errno(e));
                }
            }
            Step::Done {
                status: STATUS_SUCCESS,
                bytes: 0,
                flags: 0,
            }
        }
        Kind::Recv => {
            let n = res as usize;
            op.advance(n);
            if op.whole && n > 0 && op.done < op.total {
                return Step::Again;
            }
            let mut flags = 0;
            let mut st = STATUS_SUCCESS;
            if op.msg.msg_flags & libc::MSG_OOB != 0 {
                flags |= MSG_OOB_WIN;
            }
            // A datagram larger than the buffers: the buffers hold its start and the
            // operation ends with STATUS_BUFFER_OVERFLOW (WSAEMSGSIZE). Windows reports no
            // MSG_PARTIAL for datagram sockets.
            if !sock.is_stream() && op.msg.msg_flags & libc::MSG_TRUNC != 0 {
                st = status::STATUS_BUFFER_OVERFLOW;
            }
            if op.wsamsg != 0 {
                let n = op.msg.msg_controllen.min(op.ctrl.len());
                // SAFETY: the caller's WSAMSG, valid until the operation completes.
                let f = unsafe {
                    crate::ext::msg::recv_flags(
                        op.wsamsg as *const _,
                        &op.ctrl[..n],
                        op.msg.msg_flags,
                        sock.is_stream(),
                    )
                };
                if f & crate::ext::msg::MSG_CTRUNC_WIN != 0 {
                    st = status::STATUS_BUFFER_OVERFLOW;
                }
                flags |= f;
            }
            op.addr.len = op.msg.msg_namelen;
            Step::Done {
                status: st,
                bytes: op.done,
                flags,
            }
        }
        Kind::Send => {
            let n = res as usize;
            op.advance(n);
            if op.whole && n > 0 && op.done < op.total {
                return Step::Again;
            }
            Step::Done {
                status: STATUS_SUCCESS,
                bytes: op.done,
                flags: 0,
            }
        }
    }
}

/// A stream operation on one remaining buffer with no address and no control data.
fn plain_stream(sock: &Socket, op: &Op) -> bool {
    sock.is_stream() && op.iov.len() == op.first + 1 && op.ctrl.is_empty() && op.wsamsg == 0
}

/// One non-blocking try at `op` with a direct syscall.
fn attempt(sock: &Socket, op: &mut Op) -> Step {
    let res = match op.kind {
        Kind::Accept => {
            // SAFETY: plain syscall on the listener; the new fd is owned by the record's step.
            let fd = unsafe {
                libc::accept4(
                    sock.fd,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                )
            };
            if fd < 0 {
                -crate::socket::errno()
            } else {
                fd
            }
        }
        Kind::Transmit => return crate::ext::transmit::step(sock, op),
        Kind::PollIn | Kind::Connect => {
            let events = if op.kind == Kind::Connect {
                libc::POLLOUT
            } else {
                libc::POLLIN
            };
            let mut p = libc::pollfd {
                fd: sock.fd,
                events,
                revents: 0,
            };
            // SAFETY: one live pollfd.
            match unsafe { libc::poll(&mut p, 1, 0) } {
                0 => return Step::Again,
                r if r < 0 => -crate::socket::errno(),
                _ => p.revents as i32,
            }
        }
        Kind::Recv if plain_stream(sock, op) && op.lflags == 0 => {
            if sock.st.lock().reset {
                return Step::Error(WsaError::WSAECONNRESET);
            }
            // One buffer on a stream: recv, which costs the kernel less than recvmsg.
            let b = op.iov[op.first];
            op.msg.msg_flags = 0;
            op.msg.msg_namelen = 0;
            // SAFETY: the caller's buffer, valid until the operation completes.
            let n = unsafe { libc::recv(sock.fd, b.iov_base, b.iov_len, libc::MSG_DONTWAIT) };
            if n < 0 {
                -crate::socket::errno()
            } else {
                n as i32
            }
        }
        Kind::Recv => {
            if sock.is_stream() && sock.st.lock().reset {
                return Step::Error(WsaError::WSAECONNRESET);
            }
            op.prepare_msg();
            // SAFETY: `msg` points at the op's iovecs and address storage, all live.
            let n = unsafe { libc::recvmsg(sock.fd, &mut op.msg, op.lflags | libc::MSG_DONTWAIT) };
            if n < 0 {
                -crate::socket::errno()
            } else {
                n as i32
            }
        }
        Kind::Send if op.iov.is_empty() => {
            // A datagram Windows accepts and delivers nowhere (port 0): nothing to move.
            return Step::Done {
                status: STATUS_SUCCESS,
                bytes: op.done,
                flags: 0,
            };
        }
        Kind::Send if plain_stream(sock, op) => {
            // One buffer on a stream: send, which costs the kernel less than sendmsg.
            let b = op.iov[op.first];
            let fl = op.lflags | libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
            // SAFETY: the caller's buffer, valid until the operation completes.
            let n = unsafe { libc::send(sock.fd, b.iov_base, b.iov_len, fl) };
            if n < 0 {
                -crate::socket::errno()
            } else {
                n as i32
            }
        }
        Kind::Send => {
            op.prepare_msg();
            let fl = op.lflags | libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
            // SAFETY: `msg` points at the op's iovecs and destination, all live.
            let n = unsafe { libc::sendmsg(sock.fd, &op.msg, fl) };
            if n < 0 {
                -crate::socket::errno()
            } else {
                n as i32
            }
        }
    };
    outcome(sock, op, res)
}

/// Hand the head operation of a queue to the kernel.
fn submit(ring: &Ring, sock: &Socket, io: &mut Io, idx: u32) {
    submit_as(ring, sock, io, idx, true)
}

/// [`submit`], choosing whether the kernel arms its poll first (`poll_first`: a direct try just
/// found the socket not ready) or tries the operation inline while submitting.
fn submit_as(ring: &Ring, sock: &Socket, io: &mut Io, idx: u32, poll_first: bool) {
    let prio = if poll_first { POLL_FIRST } else { 0 };
    // SAFETY: the op is at the head of a queue of `sock`, whose io lock the caller holds.
    let op = unsafe { op::get(idx) };
    let fd = types::Fd(sock.fd);
    let (e, what): (squeue::Entry, &str) = match op.kind {
        Kind::PollIn => (
            opcode::PollAdd::new(fd, libc::POLLIN as u32).build(),
            "POLL_ADD(IN)",
        ),
        Kind::Connect | Kind::Transmit => (
            opcode::PollAdd::new(fd, libc::POLLOUT as u32).build(),
            "POLL_ADD(OUT)",
        ),
        Kind::Accept => (
            opcode::Accept::new(fd, std::ptr::null_mut(), std::ptr::null_mut())
                .flags(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC)
                .build(),
            "ACCEPT",
        ),
        Kind::Recv
            if plain_stream(sock, op)
                && op.lflags == 0
                && !op.whole
                && op.iov[op.first].iov_len <= u32::MAX as usize =>
        {
            // One buffer on a stream, as the direct try: RECV, which spares the kernel the
            // msghdr import of RECVMSG. No flags or address come back from it.
            let b = op.iov[op.first];
            op.msg.msg_flags = 0;
            op.msg.msg_namelen = 0;
            let e = opcode::Recv::new(fd, b.iov_base as *mut u8, b.iov_len as u32)
                .ioprio(prio)
                .build();
            (e, "RECV")
        }
        Kind::Recv => {
            op.prepare_msg();
            let mut fl = op.lflags;
            if op.whole {
                fl |= libc::MSG_WAITALL;
            }
            let e = opcode::RecvMsg::new(fd, &mut op.msg)
                .flags(fl as u32)
                .ioprio(prio)
                .build();
            (e, "RECVMSG")
        }
        Kind::Send if plain_stream(sock, op) && op.iov[op.first].iov_len <= u32::MAX as usize => {
            // One buffer on a stream: SEND, as the direct try uses send.
            let b = op.iov[op.first];
            let mut fl = op.lflags | libc::MSG_NOSIGNAL;
            if op.whole {
                fl |= libc::MSG_WAITALL;
            }
            let e = opcode::Send::new(fd, b.iov_base as *const u8, b.iov_len as u32)
                .flags(fl)
                .ioprio(prio)
                .build();
            (e, "SEND")
        }
        Kind::Send => {
            op.prepare_msg();
            let mut fl = op.lflags | libc::MSG_NOSIGNAL;
            if op.whole {
                fl |= libc::MSG_WAITALL;
            }
            let e = opcode::SendMsg::new(fd, &op.msg)
                .flags(fl as u32)
                .ioprio(prio)
                .build();
            (e, "SENDMSG")
        }
    };
    op.in_kernel = true;
    io.busy[op.kind.dir()] = true;
    let ud = op::user_data(idx, op.gen);
    if crate::trace::on() {
        crate::trace::op(format_args!("{what} fd={} ud={ud:#x}", sock.fd));
    }
    ring.push(&e.user_data(ud), true);
}

/// Write the result into the caller's OVERLAPPED, then tell whoever listens: the status is
/// visible before the event is set, the routine queued or the port's packet posted.
fn deliver(sock: &Socket, op: &mut Op, status: u32, bytes: usize, flags: u32) {
    let ov = op.ov as *mut Overlapped;
    if op.from != 0 && op.addr.len > 0 && op.addr.family() != libc::AF_UNSPEC {
        // SAFETY: the caller's lpFrom / lpFromlen, which Windows requires to stay valid
        // until the operation completes; `to_win` checks the length it is given.
        let _ = unsafe { sockaddr::to_win(&op.addr, op.from as *mut u8, op.fromlen as *mut i32) };
    }
    if let Some(p) = op.peer.as_ref() {
        // The AcceptEx is over: its accept socket is free again.
        p.st.lock().accept_on = None;
    }
    let mut flags = flags;
    if op.wsamsg != 0 && op.kind == Kind::Recv {
        let n = op.msg.msg_controllen.min(op.ctrl.len());
        // SAFETY: the caller's WSAMSG, valid until the operation completes (Windows' contract).
        flags = unsafe { crate::ext::msg::deliver(op.wsamsg as *mut _, &op.ctrl[..n], flags) };
    }
    // SAFETY: the caller's OVERLAPPED stays valid until completion (Windows' contract).
    unsafe {
        (*ov).internal_high = bytes;
        if op.kind != Kind::Send {
            (*ov).offset = flags;
        }
        AtomicUsize::from_ptr(ov as *mut usize).store(status as usize, Ordering::Release);
    }
    match std::mem::take(&mut op.notify) {
        Notify::None => {}
        Notify::Event(e) => e.set(),
        Notify::Routine(w, f) => w.queue(Apc::Routine {
            f,
            err: status::to_wsa(status).0,
            bytes: bytes as u32,
            ov: op.ov,
            flags,
        }),
    }
    if let Some((port, key)) = op.port.take() {
        port.post(crate::iocp::Packet {
            key,
            ov: op.ov,
            status,
            bytes: bytes as u32,
        });
    }
    if !sock.skips(crate::iocp::FILE_SKIP_SET_EVENT_ON_HANDLE) {
        sock.signal.set();
    }
}

/// `FILE_SKIP_COMPLETION_PORT_ON_SUCCESS`: an operation that succeeds at once posts no packet.
fn skip_port_if_now(sock: &Socket, op: &mut Op, status: u32) {
    if status == STATUS_SUCCESS && sock.skips(crate::iocp::FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) {
        op.port = None;
    }
}

/// Complete and free a record the caller owns. The caller holds its own reference to the
/// socket, so dropping the record's never drops the socket under its lock.
fn finish(sock: &Socket, idx: u32, status: u32, bytes: usize, flags: u32) {
    // SAFETY: owned by the caller (see above).
    let op = unsafe { op::get(idx) };
    deliver(sock, op, status, bytes, flags);
    // SAFETY: the kernel is done with it.
    unsafe { op::free(idx) };
}

/// Complete a filled-in record that never goes to the kernel, at once: for operations whose
/// result is known when they are issued. It is delivered as a completion from the ring is.
pub fn complete_at_once(sock: &Socket, idx: u32, status: u32, bytes: usize) {
    // SAFETY: allocated by the caller and never queued.
    skip_port_if_now(sock, unsafe { op::get(idx) }, status);
    finish(sock, idx, status, bytes, 0);
}

/// Start queued operations in `dir` until one has to wait in the kernel.
fn start_next(ring: &Ring, sock: &Socket, io: &mut Io, dir: usize) {
    while !io.busy[dir] {
        let Some(&idx) = io.q[dir].front() else {
            return;
        };
        // SAFETY: queued on `sock`, whose io lock the caller holds.
        let op = unsafe { op::get(idx) };
        match attempt(sock, op) {
            Step::Again => submit(ring, sock, io, idx),
            Step::Done {
                status,
                bytes,
                flags,
            } => {
                io.q[dir].pop_front();
                finish(sock, idx, status, bytes, flags);
            }
            Step::Error(e) => {
                io.q[dir].pop_front();
                finish(sock, idx, status::from_error(e), 0, 0);
            }
            Step::Handoff => {
                io.q[dir].pop_front();
                resume(ring, idx);
            }
        }
    }
}

/// Continue an `AcceptEx` record as a receive on its accepted socket (`op.sock`). Called
/// with the listener's io lock held or not; the accepted socket's lock is taken inside (a
/// listener is never its own accepted socket, so the order listener -> accepted is fixed).
fn resume(ring: &Ring, idx: u32) {
    // SAFETY: the record left the listener's queue; this thread owns it until it is queued.
    let op = unsafe { op::get(idx) };
    let Some(target) = op.sock.clone() else {
        return;
    };
    let mut io = target.io.lock();
    super::refresh(&mut io);
    if target.is_closing() {
        drop(io);
        finish(&target, idx, STATUS_CANCELLED, 0, 0);
        return;
    }
    let idle = io.q[0].is_empty() && !io.busy[0];
    io.q[0].push_back(idx);
    if idle {
        start_next(ring, &target, &mut io, 0);
    }
    drop(io);
    ring.enter();
}

/// How an issued operation went.
pub enum Issued {
    /// Completed at once with success (and already delivered).
    Now {
        bytes: usize,
        flags: u32,
    },
    Pending,
}

/// Issue a filled-in record on its socket. On `Err` nothing will complete and the record is
/// back in the pool.
pub fn issue(ring: &Ring, sock: &Arc<Socket>, idx: u32) -> Result<Issued, WsaError> {
    // SAFETY: allocated by the caller and not yet queued.
    let op = unsafe { op::get(idx) };
    let dir = op.kind.dir();
    let mut io = sock.io.lock();
    super::refresh(&mut io);
    if sock.is_closing() {
        drop(io);
        // SAFETY: never queued or submitted.
        unsafe { op::free(idx) };
        return Err(WsaError::WSAENOTSOCK);
    }
    if io.q[dir].is_empty()
        && !io.busy[dir]
        && op.kind == Kind::Recv
        && io.recv_waited
        && !(op.port.is_some() && sock.skips(crate::iocp::FILE_SKIP_COMPLETION_PORT_ON_SUCCESS))
    {
        // The socket's last receive had to wait: this one goes straight to the kernel, which
        // tries it inline while submitting (one syscall instead of a direct try that would
        // likely find nothing, plus a submission). An inline completion is in the CQ when
        // `enter` returns: reaping it here (after any concurrent reaper's pass) makes a
        // receive that found data report completion at once, as a direct try would. A socket
        // whose receives find data goes back to direct tries, which cost less then.
        if sock.is_stream() && sock.st.lock().reset {
            drop(io);
            // SAFETY: never queued or submitted.
            unsafe { op::free(idx) };
            return Err(WsaError::WSAECONNRESET);
        }
        let ov = op.ov as *const Overlapped;
        io.q[dir].push_back(idx);
        submit_as(ring, sock, &mut io, idx, false);
        drop(io);
        ring.enter();
        ring.reap_wait();
        // SAFETY: the caller's OVERLAPPED, valid until completion and after.
        let now = unsafe { status_of(ov) } == STATUS_SUCCESS;
        if now {
            sock.io.lock().recv_waited = false;
            // SAFETY: as above; written before the status.
            return Ok(unsafe {
                Issued::Now {
                    bytes: (*ov).internal_high,
                    flags: (*ov).offset,
                }
            });
        }
        return Ok(Issued::Pending);
    }
    if io.q[dir].is_empty() && !io.busy[dir] {
        match attempt(sock, op) {
            Step::Again => {}
            Step::Done {
                status,
                bytes,
                flags,
            } => {
                drop(io);
                skip_port_if_now(sock, op, status);
                finish(sock, idx, status, bytes, flags);
                // An operation that completed with a warning (a truncated datagram) reports
                // pending, as Windows does; its completion is already delivered.
                if status != STATUS_SUCCESS {
                    return Ok(Issued::Pending);
                }
                return Ok(Issued::Now { bytes, flags });
            }
            Step::Error(e) if matches!(op.kind, Kind::Accept | Kind::Connect) => {
                // A connection that could not be made (or taken) is a completion of the
                // operation, as Windows reports it, not a failure of the call.
                drop(io);
                finish(sock, idx, status::from_error(e), 0, 0);
                return Ok(Issued::Pending);
            }
            Step::Error(e) => {
                drop(io);
                // SAFETY: never queued or submitted.
                unsafe { op::free(idx) };
                return Err(e);
            }
            Step::Handoff => {
                drop(io);
                let ov = op.ov as *const Overlapped;
                resume(ring, idx);
                // SAFETY: the caller's OVERLAPPED, valid until completion and after.
                return Ok(unsafe {
                    if status_of(ov) == STATUS_SUCCESS {
                        Issued::Now {
                            bytes: (*ov).internal_high,
                            flags: 0,
                        }
                    } else {
                        Issued::Pending
                    }
                });
            }
        }
        if op.kind == Kind::Recv {
            io.recv_waited = true;
        }
        io.q[dir].push_back(idx);
        submit(ring, sock, &mut io, idx);
        drop(io);
        ring.enter();
    } else {
        io.q[dir].push_back(idx);
    }
    Ok(Issued::Pending)
}

/// A CQE for an operation arrived.
pub fn complete(ring: &Ring, ud: u64, res: i32) {
    let (idx, gen) = op::split(ud);
    // SAFETY: the record is in the kernel until this CQE; nobody else changes `sock` or
    // `kind` while it is, so reading them before taking the lock is sound.
    let op = unsafe { op::get(idx) };
    debug_assert_eq!(op.gen, gen, "CQE for a reused operation record");
    let Some(sock) = op.sock.clone() else { return };
    let mut io = sock.io.lock();
    let dir = op.kind.dir();
    op.in_kernel = false;
    io.busy[dir] = false;
    match outcome(&sock, op, res) {
        Step::Again if op.cancel || sock.is_closing() => {
            io.q[dir].pop_front();
            let st = if op.cancel {
                op.cancel_status
            } else {
                STATUS_CANCELLED
            };
            finish(&sock, idx, st, 0, 0);
        }
        Step::Again => {
            submit(ring, &sock, &mut io, idx);
            drop(io);
            ring.enter();
            return;
        }
        Step::Done {
            status,
            bytes,
            flags,
        } => {
            io.q[dir].pop_front();
            finish(&sock, idx, status, bytes, flags);
        }
        Step::Error(e) => {
            io.q[dir].pop_front();
            finish(&sock, idx, status::from_error(e), 0, 0);
        }
        Step::Handoff => {
            io.q[dir].pop_front();
            resume(ring, idx);
        }
    }
    if !sock.is_closing() {
        start_next(ring, &sock, &mut io, dir);
    }
    drop(io);
    ring.enter();
}

/// Which operations a cancel request names.
#[derive(Clone, Copy)]
pub enum Which {
    All,
    /// Those issued by this thread (`CancelIo`).
    Thread(u32),
    /// The one with this OVERLAPPED (`CancelIoEx`).
    Overlapped(usize),
}

/// Cancel operations on `sock`: queued ones complete at once with `status`, ones in the kernel
/// get a cancel request and complete with `status` when their CQE arrives (whatever the CQE
/// says when `forced`, else only if the kernel did cancel them). Returns how many operations
/// were named.
pub fn cancel(ring: &Ring, sock: &Arc<Socket>, which: Which, status: u32, forced: bool) -> usize {
    let named = |op: &Op| match which {
        Which::All => true,
        Which::Thread(t) => op.tid == t,
        Which::Overlapped(ov) => op.ov == ov,
    };
    let mut n = cancel_where(ring, sock, &named, status, forced);
    if sock.st.lock().conn == crate::socket::Conn::Listening {
        n += cancel_handed(ring, sock, &named, status, forced);
    }
    n
}

/// `AcceptEx` records of `listener` that have their connection and wait for the first data
/// sit on their accept socket's receive queue, but are still the listener's operations, as on
/// Windows: cancel those `named` there. The accept sockets are found through their
/// `accept_on`, which stays set until the record completes.
fn cancel_handed(
    ring: &Ring,
    listener: &Arc<Socket>,
    named: &dyn Fn(&Op) -> bool,
    status: u32,
    forced: bool,
) -> usize {
    let mut n = 0;
    for (_, obj) in crate::handle::table().snapshot() {
        let crate::handle::Object::Socket(target) = obj else {
            continue;
        };
        let ov = match &target.st.lock().accept_on {
            Some((l, ov)) if std::ptr::eq(l.as_ptr(), Arc::as_ptr(listener)) => *ov,
            _ => continue,
        };
        n += cancel_where(
            ring,
            &target,
            &|op| op.ov == ov && named(op),
            status,
            forced,
        );
    }
    n
}

/// Cancel the operations queued on `sock` that `named` picks (see `cancel`).
fn cancel_where(
    ring: &Ring,
    sock: &Arc<Socket>,
    named: &dyn Fn(&Op) -> bool,
    status: u32,
    forced: bool,
) -> usize {
    let mut n = 0;
    let mut io = sock.io.lock();
    super::refresh(&mut io);
    for dir in 0..2 {
        let mut i = 0;
        while i < io.q[dir].len() {
            let idx = io.q[dir][i];
            // SAFETY: queued on `sock`, whose io lock we hold.
            let op = unsafe { op::get(idx) };
            if !named(op) {
                i += 1;
                continue;
            }
            n += 1;
            if op.in_kernel {
                op.forced |= forced;
                if !op.cancel {
                    op.cancel = true;
                    op.cancel_status = status;
                    let ud = op::user_data(idx, op.gen);
                    let e = opcode::AsyncCancel::new(ud)
                        .build()
                        .user_data(TAG_INTERNAL)
                        .flags(squeue::Flags::SKIP_SUCCESS);
                    if crate::trace::on() {
                        crate::trace::op(format_args!("ASYNC_CANCEL target={ud:#x}"));
                    }
                    ring.push(&e, false);
                }
                i += 1;
            } else {
                io.q[dir].remove(i);
                finish(sock, idx, status, 0, 0);
            }
        }
    }
    drop(io);
    ring.enter();
    n
}

/// Operations of `sock` still in the kernel or queued.
pub fn pending(sock: &Socket) -> usize {
    let io = sock.io.lock();
    io.q[0].len() + io.q[1].len()
}

impl Io {
    pub(super) fn reset_after_fork(&mut self, gen: u64) {
        // Records queued in the parent belong to the parent's ring; the child forgets them.
        self.q[0].clear();
        self.q[1].clear();
        self.busy = [false; 2];
        self.gen = gen;
    }

    pub(super) fn gen(&self) -> u64 {
        self.gen
    }
}

/// What `closesocket` completes pending operations with: a connected stream socket's
/// connection is aborted (`STATUS_CONNECTION_ABORTED`), anything else is cancelled.
pub fn close_status(sock: &Socket) -> u32 {
    if sock.is_stream() && sock.st.lock().conn == crate::socket::Conn::Connected {
        status::STATUS_CONNECTION_ABORTED
    } else {
        STATUS_CANCELLED
    }
}

/// End every operation pending on a socket being closed.
pub fn cancel_for_close(sock: &Arc<Socket>) {
    if let Some(ring) = super::ring() {
        let st = close_status(sock);
        cancel(ring, sock, Which::All, st, true);
        // An AcceptEx accepting into this socket ends too (it waits on its listener's queue).
        let accepting = sock.st.lock().accept_on.take();
        if let Some((listener, ov)) = accepting {
            if let Some(l) = listener.upgrade() {
                cancel(ring, &l, Which::Overlapped(ov), STATUS_CANCELLED, false);
            }
        }
    }
}

/// A thread that issued overlapped operations cancels them when it exits, as Windows cancels
/// a thread's pending I/O at its exit; other threads' operations go on, and so do operations
/// on a socket associated with a completion port (Windows stopped cancelling those at thread
/// exit with Vista: a worker pool may post I/O from threads that come and go).
struct ExitCancel {
    tid: std::cell::Cell<u32>,
}

impl Drop for ExitCancel {
    fn drop(&mut self) {
        let tid = self.tid.get();
        if tid == 0 {
            return;
        }
        let Some(ring) = super::ring() else { return };
        for (_, obj) in crate::handle::table().snapshot() {
            if let crate::handle::Object::Socket(sock) = obj {
                if sock.port.get().is_none() {
                    cancel(ring, &sock, Which::Thread(tid), STATUS_CANCELLED, false);
                }
            }
        }
    }
}

thread_local! {
    static EXIT_CANCEL: ExitCancel = const { ExitCancel { tid: std::cell::Cell::new(0) } };
}

/// Remember that the calling thread (`tid`) has issued operations.
pub fn note_issuer(tid: u32) {
    let _ = EXIT_CANCEL.try_with(|e| e.tid.set(tid));
}
