//! `WSARecv`, `WSARecvFrom`, `WSASend`, `WSASendTo` (overlapped and not),
//! `WSAGetOverlappedResult`, `GetOverlappedResult`, `CancelIo`, `CancelIoEx`.
//!
//! With an `OVERLAPPED` on a socket created overlapped, a call fills an operation record and
//! hands it to the engine (`engine::io::issue`): it returns 0 when the operation completed
//! at once (and was delivered), or `SOCKET_ERROR` with `WSA_IO_PENDING`. Without one, or on
//! a socket created without `WSA_FLAG_OVERLAPPED`, the same call runs synchronously through
//! the blocking paths of `calls.rs`.

use super::calls::{self, SendPlan, WsaBuf, MSG_WAITALL, WSA_FLAG_OVERLAPPED};
use super::{get, Socket};
use crate::abi::sockaddr::{self, SockAddr};
use crate::engine::{self, io::Issued, io::Overlapped, io::Which, op};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::handle::{table, Object};
use crate::status;
use crate::wait::{self, event, thread};
use std::sync::Arc;

const SOCKET_ERROR: i32 = -1;
const MSG_PARTIAL: u32 = 0x8000;

/// `VOID CALLBACK (DWORD, DWORD, LPWSAOVERLAPPED, DWORD)`
pub type Routine = Option<thread::WsaRoutine>;

/// The caller's WSABUF array as iovecs, appended to `out`.
///
/// # Safety
/// `bufs` must be NULL or point to `count` WSABUFs.
pub(crate) unsafe fn gather(
    bufs: *const WsaBuf,
    count: u32,
    out: &mut Vec<libc::iovec>,
) -> WsResult<usize> {
    if count == 0 {
        return Err(WsaError::WSAEINVAL);
    }
    if bufs.is_null() {
        return Err(WsaError::WSAEFAULT);
    }
    // SAFETY: `count` WSABUFs by the caller's contract.
    let bufs = unsafe { std::slice::from_raw_parts(bufs, count as usize) };
    let mut total = 0usize;
    for b in bufs {
        if b.buf.is_null() && b.len != 0 {
            return Err(WsaError::WSAEFAULT);
        }
        out.push(libc::iovec {
            iov_base: b.buf as *mut libc::c_void,
            iov_len: b.len as usize,
        });
        total += b.len as usize;
    }
    Ok(total)
}

/// What the call asked for, common to the four functions.
struct Request {
    sock: Arc<Socket>,
    ov: *mut Overlapped,
    routine: Routine,
}

impl Request {
    /// Overlapped when an OVERLAPPED is given and the socket was created overlapped.
    fn overlapped(&self) -> bool {
        !self.ov.is_null() && self.sock.flags & WSA_FLAG_OVERLAPPED != 0
    }

    /// An OVERLAPPED given on a socket created without `WSA_FLAG_OVERLAPPED`: Windows runs
    /// the operation to completion before returning (whatever the socket's blocking mode)
    /// and still reports it through the OVERLAPPED and its event; no routine is queued.
    fn synchronous_overlapped(&self) -> bool {
        !self.ov.is_null() && self.sock.flags & WSA_FLAG_OVERLAPPED == 0
    }

    /// Issue, and for a non-overlapped socket wait until the operation is over.
    fn run(&self, fill: impl FnOnce(&mut op::Op) -> WsResult<()>) -> WsResult<Issued> {
        let r = self.issue(fill)?;
        if !self.synchronous_overlapped() {
            return Ok(r);
        }
        if let Issued::Pending = r {
            // SAFETY: the caller's OVERLAPPED, live for the call.
            let st = unsafe { wait_done(self.ov, &self.sock.signal) };
            if st != status::STATUS_SUCCESS {
                return Err(status::to_wsa(st));
            }
            // SAFETY: as above.
            let ov = unsafe { &*self.ov };
            return Ok(Issued::Now {
                bytes: ov.internal_high,
                flags: ov.offset,
            });
        }
        Ok(r)
    }

    /// Who hears of the completion: the routine (hEvent is then the program's own), else the
    /// event (the low bit of hEvent is a flag for completion ports, not part of the handle).
    fn notify(&self) -> WsResult<op::Notify> {
        if let Some(f) = self.routine.filter(|_| self.overlapped()) {
            if self.sock.port.get().is_some() {
                // A socket bound to a completion port reports there, never to a routine.
                return Err(WsaError::WSAEINVAL);
            }
            return Ok(op::Notify::Routine(thread::current(), f));
        }
        // SAFETY: the caller's OVERLAPPED.
        let h = unsafe { (*self.ov).h_event } & !1;
        if h == 0 {
            return Ok(op::Notify::None);
        }
        event::get(h)
            .map(op::Notify::Event)
            .map_err(|_| WsaError::WSA_INVALID_HANDLE)
    }

    /// Fill a record, mark the OVERLAPPED in progress and issue it.
    fn issue(&self, fill: impl FnOnce(&mut op::Op) -> WsResult<()>) -> WsResult<Issued> {
        let ring = engine::ring_or_start()?;
        let idx = self.prepare(fill)?;
        engine::io::issue(ring, &self.sock, idx)
    }

    /// Take a record, fill it, give it its notification and mark the OVERLAPPED in progress.
    /// The record is the caller's to issue or complete.
    fn prepare(&self, fill: impl FnOnce(&mut op::Op) -> WsResult<()>) -> WsResult<u32> {
        let notify = self.notify()?;
        let idx = op::alloc().ok_or(WsaError::WSAENOBUFS)?;
        // SAFETY: just allocated; this thread is its only user.
        let op = unsafe { op::get(idx) };
        if let Err(e) = fill(op) {
            // SAFETY: never queued.
            unsafe { op::free(idx) };
            return Err(e);
        }
        op.sock = Some(self.sock.clone());
        op.ov = self.ov as usize;
        op.tid = thread::with_current(|w| w.tid());
        engine::io::note_issuer(op.tid);
        if let op::Notify::Event(e) = &notify {
            // Windows resets the event when the operation starts.
            e.reset();
        }
        op.notify = notify;
        // SAFETY: the caller's OVERLAPPED.
        let low_bit = unsafe { (*self.ov).h_event } & 1 != 0;
        if !low_bit {
            // The low bit of hEvent keeps the completion off the socket's port.
            op.port = self.sock.port.get().cloned();
        }
        // SAFETY: the caller's OVERLAPPED, valid until the operation completes.
        unsafe { engine::io::mark_pending(self.ov) };
        self.sock.signal.reset();
        Ok(idx)
    }
}

/// Issue an operation of the extension functions (`AcceptEx`, `ConnectEx`) on `sock`: the
/// record is filled by `fill` and completes through the event and the port as any overlapped
/// operation does (these functions take no completion routine).
pub(crate) fn issue_op(
    sock: &Arc<Socket>,
    ov: *mut Overlapped,
    fill: impl FnOnce(&mut op::Op) -> WsResult<()>,
) -> WsResult<Issued> {
    issue_with(sock, ov, None, fill)
}

/// [`issue_op`] with a completion routine (`WSARecvMsg`, `WSASendMsg`); on a socket created
/// without `WSA_FLAG_OVERLAPPED` the call waits for the operation, as the others do.
pub(crate) fn issue_with(
    sock: &Arc<Socket>,
    ov: *mut Overlapped,
    routine: Routine,
    fill: impl FnOnce(&mut op::Op) -> WsResult<()>,
) -> WsResult<Issued> {
    Request {
        sock: sock.clone(),
        ov,
        routine,
    }
    .run(fill)
}

/// Report an overlapped operation whose result is known when it is issued (Windows'
/// "deferred completion" of `WSAIoctl`): the OVERLAPPED gets the status and count, then the
/// event is set or the routine queued, exactly as for a completion from the ring. `ov` must
/// be non-NULL and the caller's live OVERLAPPED.
pub(crate) fn complete_now(
    sock: &Arc<Socket>,
    ov: *mut Overlapped,
    routine: Routine,
    status: u32,
    bytes: usize,
) -> WsResult<()> {
    let req = Request {
        sock: sock.clone(),
        ov,
        routine,
    };
    let idx = req.prepare(|op| {
        op.kind = op::Kind::Send;
        Ok(())
    })?;
    engine::io::complete_at_once(sock, idx, status, bytes);
    Ok(())
}

/// Turn an issue result into the Winsock return: 0 with the count (and flags) written when
/// it completed at once, `WSA_IO_PENDING` otherwise.
///
/// # Safety
/// `count` and `flags` must be NULL or writable.
pub(crate) unsafe fn report(r: Issued, count: *mut u32, flags: *mut u32) -> WsResult<i32> {
    match r {
        Issued::Pending => Err(WsaError::WSA_IO_PENDING),
        Issued::Now { bytes, flags: f } => {
            // SAFETY: NULL or writable by the caller's contract.
            unsafe {
                if let Some(c) = count.as_mut() {
                    *c = bytes as u32;
                }
                if let Some(fl) = flags.as_mut() {
                    *fl = f;
                }
            }
            Ok(0)
        }
    }
}

#[allow(clippy::too_many_arguments)]
unsafe fn recv_common(
    s: usize,
    bufs: *const WsaBuf,
    count: u32,
    received: *mut u32,
    flags: *mut u32,
    from: *mut u8,
    fromlen: *mut i32,
    ov: *mut Overlapped,
    routine: Routine,
) -> i32 {
    ffi::ws(SOCKET_ERROR, || {
        let req = Request {
            sock: get(s)?,
            ov,
            routine,
        };
        let sock = &req.sock;
        // SAFETY: the caller's flags word.
        let wflags = *unsafe { ffi::out(flags) }? as i32;
        if !from.is_null() {
            // SAFETY: the caller's out-pointers.
            unsafe { calls::check_addr_out(sock, from, fromlen) }?;
        }
        if req.ov.is_null() {
            let mut iov = Vec::with_capacity(count as usize);
            // SAFETY: forwarded caller contract.
            unsafe { gather(bufs, count, &mut iov) }?;
            if received.is_null() {
                return Err(WsaError::WSAEFAULT);
            }
            let r = calls::recv(sock, &mut iov, wflags)?;
            if !from.is_null() && r.from.len > 0 && r.from.family() != libc::AF_UNSPEC {
                // SAFETY: checked above to hold the address.
                unsafe { sockaddr::to_win(&r.from, from, fromlen) }?;
            }
            // SAFETY: checked non-NULL above / the caller's flags word.
            unsafe {
                *received = r.bytes as u32;
                *flags = if r.truncated { MSG_PARTIAL } else { 0 };
            }
            return if r.truncated {
                Err(WsaError::WSAEMSGSIZE)
            } else {
                Ok(0)
            };
        }
        let lflags = calls::recv_check(sock, wflags, true)?;
        let r = req.run(|op| {
            // SAFETY: forwarded caller contract.
            let total = unsafe { gather(bufs, count, &mut op.iov) }?;
            op.kind = if total == 0 && sock.is_stream() {
                op::Kind::PollIn
            } else {
                op::Kind::Recv
            };
            op.lflags = lflags;
            op.total = total;
            op.whole = wflags & MSG_WAITALL != 0;
            op.from = from as usize;
            op.fromlen = fromlen as usize;
            Ok(())
        });
        super::netevents::after_recv(sock, wflags);
        let r = r?;
        // SAFETY: NULL or writable by the caller's contract.
        unsafe { report(r, received, flags) }
    })
}

#[allow(clippy::too_many_arguments)]
unsafe fn send_common(
    s: usize,
    bufs: *const WsaBuf,
    count: u32,
    sent: *mut u32,
    flags: u32,
    to: Option<(*const u8, i32)>,
    ov: *mut Overlapped,
    routine: Routine,
) -> i32 {
    ffi::ws(SOCKET_ERROR, || {
        let req = Request {
            sock: get(s)?,
            ov,
            routine,
        };
        let sock = &req.sock;
        let dest: Option<SockAddr> = match to {
            Some((p, len)) if !p.is_null() && !sock.is_stream() => {
                // SAFETY: the caller's address of `len` bytes.
                Some(unsafe { calls::addr_for(sock, p, len) }?)
            }
            _ => None,
        };
        if req.ov.is_null() {
            let mut iov = Vec::with_capacity(count as usize);
            // SAFETY: forwarded caller contract.
            unsafe { gather(bufs, count, &mut iov) }?;
            if sent.is_null() {
                return Err(WsaError::WSAEFAULT);
            }
            let n = calls::send(sock, &iov, flags as i32, dest.as_ref())?;
            // SAFETY: checked non-NULL above.
            unsafe { *sent = n as u32 };
            return Ok(0);
        }
        let plan = calls::send_check(sock, flags as i32, dest.as_ref())?;
        let r = req.run(|op| {
            // SAFETY: forwarded caller contract.
            let total = unsafe { gather(bufs, count, &mut op.iov) }?;
            op.kind = op::Kind::Send;
            op.total = total;
            op.whole = sock.is_stream();
            match plan {
                SendPlan::Go(lflags, to) => {
                    // Sent without MSG_DONTWAIT in the kernel; the first try adds it.
                    op.lflags = lflags & !libc::MSG_DONTWAIT;
                    if let Some(a) = to {
                        op.addr = a;
                        op.has_dest = true;
                    }
                }
                SendPlan::Discard => {
                    // Delivered nowhere, as Windows does with port 0: nothing to move.
                    op.iov.clear();
                    op.done = total;
                    op.lflags = 0;
                }
            }
            Ok(())
        })?;
        // SAFETY: NULL or writable by the caller's contract.
        unsafe { report(r, sent, std::ptr::null_mut()) }
    })
}

/// `int WSARecv(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD lpFlags, LPWSAOVERLAPPED,
/// LPWSAOVERLAPPED_COMPLETION_ROUTINE)`
#[no_mangle]
pub unsafe extern "C" fn WSARecv(
    s: usize,
    bufs: *const WsaBuf,
    count: u32,
    received: *mut u32,
    flags: *mut u32,
    ov: *mut Overlapped,
    routine: Option<thread::WsaRoutine>,
) -> i32 {
    let _t = crate::trace_call!("WSARecv", s, bufs, count, received, flags, ov, routine);
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe {
            recv_common(
                s,
                bufs,
                count,
                received,
                flags,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                ov,
                routine,
            )
        }
    })
}

/// `int WSARecvFrom(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, struct sockaddr*, LPINT,
/// LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`
#[no_mangle]
pub unsafe extern "C" fn WSARecvFrom(
    s: usize,
    bufs: *const WsaBuf,
    count: u32,
    received: *mut u32,
    flags: *mut u32,
    from: *mut u8,
    fromlen: *mut i32,
    ov: *mut Overlapped,
    routine: Option<thread::WsaRoutine>,
) -> i32 {
    let _t = crate::trace_call!(
        "WSARecvFrom",
        s,
        bufs,
        count,
        received,
        flags,
        from,
        fromlen,
        ov,
        routine
    );
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { recv_common(s, bufs, count, received, flags, from, fromlen, ov, routine) }
    })
}

/// `int WSASend(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD dwFlags, LPWSAOVERLAPPED,
/// LPWSAOVERLAPPED_COMPLETION_ROUTINE)`
#[no_mangle]
pub unsafe extern "C" fn WSASend(
    s: usize,
    bufs: *const WsaBuf,
    count: u32,
    sent: *mut u32,
    flags: u32,
    ov: *mut Overlapped,
    routine: Option<thread::WsaRoutine>,
) -> i32 {
    let _t = crate::trace_call!("WSASend", s, bufs, count, sent, flags, ov, routine);
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { send_common(s, bufs, count, sent, flags, None, ov, routine) }
    })
}

/// `int WSASendTo(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const struct sockaddr*, int,
/// LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)`
#[no_mangle]
pub unsafe extern "C" fn WSASendTo(
    s: usize,
    bufs: *const WsaBuf,
    count: u32,
    sent: *mut u32,
    flags: u32,
    to: *const u8,
    tolen: i32,
    ov: *mut Overlapped,
    routine: Option<thread::WsaRoutine>,
) -> i32 {
    let _t = crate::trace_call!(
        "WSASendTo",
        s,
        bufs,
        count,
        sent,
        flags,
        to,
        tolen,
        ov,
        routine
    );
    crate::trace::ret(|| {
        // SAFETY: forwarded caller contract.
        unsafe { send_common(s, bufs, count, sent, flags, Some((to, tolen)), ov, routine) }
    })
}

/// Wait until the operation behind `ov` is no longer pending, sleeping on `signal` (set on
/// every completion on the socket). Returns the final status.
///
/// # Safety
/// `ov` must point to a live OVERLAPPED.
pub(crate) unsafe fn wait_done(ov: *const Overlapped, signal: &Arc<event::Event>) -> u32 {
    loop {
        // SAFETY: the caller's live OVERLAPPED.
        let st = unsafe { engine::io::status_of(ov) };
        if st != status::STATUS_PENDING {
            return st;
        }
        signal.reset();
        // SAFETY: as above.
        if unsafe { engine::io::status_of(ov) } != status::STATUS_PENDING {
            continue;
        }
        wait::wait(std::slice::from_ref(signal), false, None, false);
    }
}

/// The final status of an operation, waiting first when asked: on `hEvent` when the
/// OVERLAPPED has one, else on the handle (a socket signals every completion on it). As on
/// Windows, a wait that ends with the status still pending (an event set by someone else)
/// counts as success.
///
/// # Safety
/// `ov` must point to a live OVERLAPPED.
unsafe fn settle(h: usize, ov: *mut Overlapped, wait_for_it: bool) -> WsResult<u32> {
    // SAFETY: the caller's live OVERLAPPED.
    let mut st = unsafe { engine::io::status_of(ov) };
    if st == status::STATUS_PENDING && !wait_for_it {
        // A program polling for the result: collect what the ring has finished (if no other
        // thread is reaping), so polling sees a completion as soon as a wait would.
        engine::reap_now();
        // SAFETY: as above.
        st = unsafe { engine::io::status_of(ov) };
    }
    if st != status::STATUS_PENDING || !wait_for_it {
        return Ok(st);
    }
    // SAFETY: as above.
    let ev = unsafe { (*ov).h_event } & !1;
    let st = if ev != 0 {
        let e = wait::waitable(ev)?;
        wait::wait(&[e], false, None, false);
        // SAFETY: as above.
        unsafe { engine::io::status_of(ov) }
    } else {
        // SAFETY: as above.
        unsafe { wait_done(ov, &wait::waitable(h)?) }
    };
    Ok(if st == status::STATUS_PENDING {
        status::STATUS_SUCCESS
    } else {
        st
    })
}

/// `BOOL WSAGetOverlappedResult(SOCKET, LPWSAOVERLAPPED, LPDWORD lpcbTransfer, BOOL fWait,
/// LPDWORD lpdwFlags)`
#[no_mangle]
pub unsafe extern "C" fn WSAGetOverlappedResult(
    s: usize,
    ov: *mut Overlapped,
    transferred: *mut u32,
    wait_for_it: i32,
    flags: *mut u32,
) -> i32 {
    let _t = crate::trace_call!(
        "WSAGetOverlappedResult",
        s,
        ov,
        transferred,
        wait_for_it,
        flags
    );
    ffi::win(0, || {
        get(s)?;
        if ov.is_null() || transferred.is_null() || flags.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: non-NULL caller pointers, valid by contract.
        unsafe {
            let st = settle(s, ov, wait_for_it != 0)?;
            if st == status::STATUS_PENDING {
                return Err(WsaError::WSA_IO_INCOMPLETE);
            }
            *transferred = (*ov).internal_high as u32;
            *flags = (*ov).offset;
            match status::to_wsa(st) {
                WsaError(0) => Ok(1),
                e => Err(e),
            }
        }
    })
}

/// `BOOL GetOverlappedResult(HANDLE, LPOVERLAPPED, LPDWORD, BOOL bWait)`: the Win32 reading.
#[no_mangle]
pub unsafe extern "C" fn GetOverlappedResult(
    h: usize,
    ov: *mut Overlapped,
    transferred: *mut u32,
    wait_for_it: i32,
) -> i32 {
    let _t = crate::trace_call!("GetOverlappedResult", h, ov, transferred, wait_for_it);
    ffi::win(0, || {
        if ov.is_null() || transferred.is_null() {
            return Err(WsaError::ERROR_NOACCESS);
        }
        // SAFETY: non-NULL caller pointers, valid by contract.
        unsafe {
            let st = settle(h, ov, wait_for_it != 0)?;
            if st == status::STATUS_PENDING {
                return Err(WsaError::ERROR_IO_INCOMPLETE);
            }
            *transferred = (*ov).internal_high as u32;
            match status::to_win32(st) {
                WsaError(0) => Ok(1),
                e => Err(e),
            }
        }
    })
}

/// The socket a Win32 handle names, for the cancel functions.
fn handle_socket(h: usize) -> WsResult<Arc<Socket>> {
    match table().get(h) {
        Some(Object::Socket(s)) => Ok(s),
        _ => Err(WsaError::ERROR_INVALID_HANDLE),
    }
}

/// `BOOL CancelIo(HANDLE)`: cancel the calling thread's operations on the handle.
#[no_mangle]
pub extern "C" fn CancelIo(h: usize) -> i32 {
    let _t = crate::trace_call!("CancelIo", h);
    ffi::win(0, || {
        let sock = handle_socket(h)?;
        if let Some(ring) = engine::ring() {
            let tid = thread::with_current(|w| w.tid());
            engine::io::cancel(
                ring,
                &sock,
                Which::Thread(tid),
                status::STATUS_CANCELLED,
                false,
            );
        }
        Ok(1)
    })
}

/// `BOOL CancelIoEx(HANDLE, LPOVERLAPPED)`: cancel one operation, or all of the handle's with
/// NULL; `ERROR_NOT_FOUND` when none is pending.
#[no_mangle]
pub extern "C" fn CancelIoEx(h: usize, ov: *mut Overlapped) -> i32 {
    let _t = crate::trace_call!("CancelIoEx", h, ov);
    ffi::win(0, || {
        let sock = handle_socket(h)?;
        let which = if ov.is_null() {
            Which::All
        } else {
            Which::Overlapped(ov as usize)
        };
        let n = match engine::ring() {
            Some(ring) => engine::io::cancel(ring, &sock, which, status::STATUS_CANCELLED, false),
            None => 0,
        };
        if n == 0 {
            Err(WsaError::ERROR_NOT_FOUND)
        } else {
            Ok(1)
        }
    })
}
