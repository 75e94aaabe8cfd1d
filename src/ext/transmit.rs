//! `TransmitFile` and `TransmitPackets`: memory and file ranges sent in order on a connected
//! stream socket, as one operation on the socket's send queue. Memory goes out with
//! `sendmsg`, file ranges with `sendfile` (the kernel copies from the page cache to the
//! socket; nothing is read into user space); when the socket has no room the record waits
//! for it with `POLL_ADD` and goes on from where it stopped.

use crate::engine::io::{Issued, Overlapped, Step};
use crate::engine::op::{Kind, Op, Seg};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::socket::overlapped::{issue_op, wait_done};
use crate::socket::{get, Conn, Socket};
use crate::status::{self, STATUS_SUCCESS};
use std::sync::Arc;

const TF_DISCONNECT: u32 = 0x01;
const TF_REUSE_SOCKET: u32 = 0x02;
const TF_KNOWN: u32 = 0x01 | 0x02 | 0x04 | 0x10 | 0x20;
const TP_ELEMENT_MEMORY: u32 = 1;
const TP_ELEMENT_FILE: u32 = 2;
const TP_ELEMENT_EOP: u32 = 4;
/// Largest `sendfile` of one step.
const FILE_CHUNK: usize = 1 << 20;

/// Send what the socket takes now. `Again` when it is full, `Done` when everything went.
pub fn step(sock: &Socket, op: &mut Op) -> Step {
    while op.seg_at < op.segs.len() {
        let last = op.seg_at + 1 == op.segs.len();
        match &mut op.segs[op.seg_at] {
            Seg::Mem { len: 0, .. } | Seg::File { len: Some(0), .. } => {
                op.seg_at += 1;
            }
            Seg::Mem { ptr, len } => {
                let mut iov = libc::iovec {
                    iov_base: *ptr as *mut libc::c_void,
                    iov_len: *len,
                };
                // SAFETY: msghdr is plain data; zero is a valid empty header.
                let mut mh: libc::msghdr = unsafe { std::mem::zeroed() };
                mh.msg_iov = &mut iov;
                mh.msg_iovlen = 1;
                let mut fl = libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
                if !last {
                    fl |= libc::MSG_MORE;
                }
                // SAFETY: one iovec over the caller's buffer, valid until completion.
                let n = unsafe { libc::sendmsg(sock.fd, &mh, fl) };
                if n < 0 {
                    return failed(sock);
                }
                *ptr += n as usize;
                *len -= n as usize;
                op.done += n as usize;
            }
            Seg::File { fd, off, len } => {
                let want = len.map_or(FILE_CHUNK, |l| (l as usize).min(FILE_CHUNK));
                // SAFETY: plain syscall between two live fds; `off` is updated by the kernel.
                let n = unsafe { libc::sendfile(sock.fd, *fd, off, want) };
                if n < 0 {
                    return failed(sock);
                }
                if n == 0 {
                    // End of the file: a range past it sends what there is.
                    *len = Some(0);
                    continue;
                }
                if let Some(l) = len {
                    *l -= n as u64;
                }
                op.done += n as usize;
            }
        }
    }
    finish_flags(sock, op.tf_flags);
    Step::Done {
        status: STATUS_SUCCESS,
        bytes: op.done,
        flags: 0,
    }
}

fn failed(sock: &Socket) -> Step {
    match crate::socket::errno() {
        libc::EAGAIN | libc::EINTR => Step::Again,
        e => Step::Error(crate::socket::io_error(sock, true, 0, e)),
    }
}

/// `TF_DISCONNECT` / `TF_REUSE_SOCKET` once everything was sent.
fn finish_flags(sock: &Socket, flags: u32) {
    if flags & TF_DISCONNECT == 0 {
        return;
    }
    // SAFETY: plain syscall on the socket's fd.
    unsafe { libc::shutdown(sock.fd, libc::SHUT_WR) };
    if flags & TF_REUSE_SOCKET != 0 {
        let _ = super::renew(sock);
    } else {
        sock.st.lock().shut_wr = true;
    }
}

/// The checks both functions make, and the run: overlapped, or waited for without an
/// OVERLAPPED. Returns the count sent when done at once.
fn run(
    sock: &Arc<Socket>,
    ov: *mut Overlapped,
    flags: u32,
    fill: impl FnOnce(&mut Op) -> WsResult<()>,
) -> WsResult<Option<usize>> {
    if flags & !TF_KNOWN != 0 || (flags & TF_REUSE_SOCKET != 0 && flags & TF_DISCONNECT == 0) {
        return Err(WsaError::WSAEINVAL);
    }
    if !sock.is_stream() {
        return Err(WsaError::WSAENOTCONN);
    }
    crate::socket::calls::refresh_connect(sock);
    if sock.st.lock().conn != Conn::Connected {
        return Err(WsaError::WSAENOTCONN);
    }
    if sock.st.lock().shut_wr {
        return Err(WsaError::WSAESHUTDOWN);
    }
    let mut local = Overlapped {
        internal: 0,
        internal_high: 0,
        offset: 0,
        offset_high: 0,
        h_event: 0,
    };
    let sync = ov.is_null();
    let ovp = if sync {
        &mut local as *mut Overlapped
    } else {
        ov
    };
    let r = issue_op(sock, ovp, |op| {
        op.kind = Kind::Transmit;
        op.tf_flags = flags;
        op.whole = true;
        fill(op)
    })?;
    match r {
        Issued::Now { bytes, .. } => Ok(Some(bytes)),
        Issued::Pending if sync => {
            // SAFETY: the local OVERLAPPED lives until the operation is over.
            let st = unsafe { wait_done(ovp, &sock.signal) };
            if st != STATUS_SUCCESS {
                return Err(status::to_wsa(st));
            }
            Ok(Some(local.internal_high))
        }
        Issued::Pending => Ok(None),
    }
}

fn report(r: Option<usize>) -> WsResult<i32> {
    match r {
        Some(_) => Ok(1),
        None => Err(WsaError::ERROR_IO_PENDING),
    }
}

/// `TRANSMIT_FILE_BUFFERS`
#[repr(C)]
pub struct TransmitFileBuffers {
    head: *mut u8,
    head_len: u32,
    tail: *mut u8,
    tail_len: u32,
}

/// `BOOL TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite, DWORD
/// nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped, LPTRANSMIT_FILE_BUFFERS
/// lpTransmitBuffers, DWORD dwReserved)`: the head buffer, then the file from the
/// OVERLAPPED's offset (or the file's position) for the given count (0: to its end), then
/// the tail buffer.
#[no_mangle]
pub unsafe extern "C" fn TransmitFile(
    s: usize,
    file: usize,
    count: u32,
    _per_send: u32,
    ov: *mut Overlapped,
    bufs: *const TransmitFileBuffers,
    flags: u32,
) -> i32 {
    let _t = crate::trace_call!("TransmitFile", s, file, count, _per_send, ov, bufs, flags);
    ffi::ws(0, || {
        let sock = get(s)?;
        let f = if file == 0 {
            None
        } else {
            Some(crate::file::get(file).map_err(|_| WsaError::WSAEINVAL)?)
        };
        // SAFETY: NULL or the caller's TRANSMIT_FILE_BUFFERS.
        let b = unsafe { bufs.as_ref() };
        let start = match (&f, ov.is_null()) {
            // SAFETY: the caller's live OVERLAPPED.
            (Some(_), false) => unsafe { ((*ov).offset_high as u64) << 32 | (*ov).offset as u64 },
            (Some(f), true) => crate::file::position(f)?,
            (None, _) => 0,
        };
        let r = run(&sock, ov, flags, |op| {
            if let Some(b) = b {
                if b.head_len > 0 && b.head.is_null() || b.tail_len > 0 && b.tail.is_null() {
                    return Err(WsaError::WSAEFAULT);
                }
                op.segs.push(Seg::Mem {
                    ptr: b.head as usize,
                    len: b.head_len as usize,
                });
            }
            if let Some(f) = &f {
                op.segs.push(Seg::File {
                    fd: f.fd,
                    off: start as i64,
                    len: (count != 0).then_some(count as u64),
                });
                op.files.push(f.clone());
            }
            if let Some(b) = b {
                op.segs.push(Seg::Mem {
                    ptr: b.tail as usize,
                    len: b.tail_len as usize,
                });
            }
            Ok(())
        })?;
        if let (Some(f), true, Some(n)) = (&f, ov.is_null(), r) {
            // Without an OVERLAPPED the file position moves past what was sent.
            let head = b.map_or(0, |b| b.head_len as usize + b.tail_len as usize);
            let moved = n.saturating_sub(head) as i64;
            // SAFETY: plain syscall on the file's live fd.
            unsafe { libc::lseek(f.fd, start as i64 + moved, libc::SEEK_SET) };
        }
        report(r)
    })
}

/// `TRANSMIT_PACKETS_ELEMENT` (24 bytes): flags, length, then a file offset and handle or a
/// buffer pointer.
#[repr(C)]
pub struct PacketElement {
    flags: u32,
    len: u32,
    offset_or_buf: u64,
    file: usize,
}

/// `BOOL TransmitPackets(SOCKET hSocket, LPTRANSMIT_PACKETS_ELEMENT lpPacketArray, DWORD
/// nElementCount, DWORD nSendSize, LPOVERLAPPED lpOverlapped, DWORD dwFlags)`: reached
/// through `WSAID_TRANSMITPACKETS`, as on Windows.
pub unsafe extern "C" fn transmit_packets(
    s: usize,
    elems: *const PacketElement,
    n: u32,
    _send_size: u32,
    ov: *mut Overlapped,
    flags: u32,
) -> i32 {
    let _t = crate::trace_call!("transmit_packets", s, elems, n, _send_size, ov, flags);
    ffi::ws(0, || {
        let sock = get(s)?;
        if elems.is_null() && n > 0 {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: `n` elements by the caller's contract.
        let list = unsafe { std::slice::from_raw_parts(elems, n as usize) };
        let r = run(&sock, ov, flags, |op| {
            for e in list {
                match e.flags & !TP_ELEMENT_EOP {
                    TP_ELEMENT_MEMORY => {
                        if e.offset_or_buf == 0 && e.len > 0 {
                            return Err(WsaError::WSAEFAULT);
                        }
                        op.segs.push(Seg::Mem {
                            ptr: e.offset_or_buf as usize,
                            len: e.len as usize,
                        });
                    }
                    TP_ELEMENT_FILE => {
                        let f = crate::file::get(e.file).map_err(|_| WsaError::WSAEINVAL)?;
                        let off = e.offset_or_buf as i64;
                        let off = if off == -1 {
                            crate::file::position(&f)? as i64
                        } else {
                            off
                        };
                        op.segs.push(Seg::File {
                            fd: f.fd,
                            off,
                            len: (e.len != 0).then_some(e.len as u64),
                        });
                        op.files.push(f);
                    }
                    _ => return Err(WsaError::WSAEINVAL),
                }
            }
            Ok(())
        })?;
        report(r)
    })
}
