//! `WSARecvMsg` and `WSASendMsg`: datagrams with control data, which Windows lays out as
//! `WSACMSGHDR`s (the same header shape as Linux's `cmsghdr` on 64-bit, data at offset 16,
//! 8-byte alignment) but with its own option numbers and packet-info structures. Control data
//! is translated at the boundary: Linux's cmsgs are received into the operation record and
//! rewritten into the caller's buffer at completion; the caller's are rewritten into Linux's
//! before the send.

use crate::abi::sockaddr::{self, SockAddr};
use crate::error::WsaError;
use crate::ffi::{self, WsResult};
use crate::socket::calls::{self, WsaBuf};
use crate::socket::overlapped::{issue_with, Routine};
use crate::socket::{get, Socket};
use crate::wait::thread;
use std::sync::Arc;

const SOCKET_ERROR: i32 = -1;
/// Windows `MSG_*` output flags of `WSARecvMsg`.
const MSG_TRUNC_WIN: u32 = 0x0100;
pub const MSG_CTRUNC_WIN: u32 = 0x0200;
const MSG_BCAST_WIN: u32 = 0x0400;
const MSG_MCAST_WIN: u32 = 0x0800;
const MSG_PEEK_WIN: u32 = 0x2;

/// Windows option numbers in control messages.
const WIN_IP_TOS: i32 = 3;
const WIN_IP_TTL: i32 = 4;
const WIN_IP_PKTINFO: i32 = 19;
const WIN_IPV6_PKTINFO: i32 = 19;
const WIN_IPV6_HOPLIMIT: i32 = 21;
const WIN_IPV6_TCLASS: i32 = 39;
const IPPROTO_IP: i32 = 0;
const IPPROTO_IPV6: i32 = 41;

/// Largest control area the library receives into on the caller's behalf.
pub const CTRL_MAX: usize = 4096;

/// `WSAMSG` (Win64): name 0, namelen 8, lpBuffers 16, dwBufferCount 24, Control 32, dwFlags 48.
#[repr(C)]
pub struct WsaMsg {
    pub name: *mut u8,
    pub namelen: i32,
    pub buffers: *const WsaBuf,
    pub count: u32,
    pub control: WsaBuf,
    pub flags: u32,
}

const HDR: usize = 16;

fn align(n: usize) -> usize {
    (n + 7) & !7
}

/// One control message in Windows form: level, type, data.
fn win_cmsg(level: i32, ty: i32, data: &[u8]) -> Option<(i32, i32, Vec<u8>)> {
    let v = match (level, ty) {
        (libc::IPPROTO_IP, libc::IP_PKTINFO) if data.len() >= 12 => {
            // Linux in_pktinfo {ifindex, spec_dst, addr} -> IN_PKTINFO {addr, ifindex}.
            let mut w = Vec::with_capacity(8);
            w.extend_from_slice(&data[8..12]);
            w.extend_from_slice(&data[0..4]);
            (IPPROTO_IP, WIN_IP_PKTINFO, w)
        }
        (libc::IPPROTO_IP, libc::IP_TTL) if data.len() >= 4 => {
            (IPPROTO_IP, WIN_IP_TTL, data[..4].to_vec())
        }
        (libc::IPPROTO_IP, libc::IP_TOS) if !data.is_empty() => (
            IPPROTO_IP,
            WIN_IP_TOS,
            (data[0] as i32).to_ne_bytes().to_vec(),
        ),
        // in6_pktinfo and IN6_PKTINFO share their layout {addr, ifindex}.
        (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO) if data.len() >= 20 => {
            (IPPROTO_IPV6, WIN_IPV6_PKTINFO, data[..20].to_vec())
        }
        (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT) if data.len() >= 4 => {
            (IPPROTO_IPV6, WIN_IPV6_HOPLIMIT, data[..4].to_vec())
        }
        (libc::IPPROTO_IPV6, libc::IPV6_TCLASS) if data.len() >= 4 => {
            (IPPROTO_IPV6, WIN_IPV6_TCLASS, data[..4].to_vec())
        }
        _ => return None,
    };
    Some(v)
}

/// Walk Linux control messages: (level, type, data).
fn linux_cmsgs(ctrl: &[u8]) -> impl Iterator<Item = (i32, i32, &[u8])> {
    let mut off = 0usize;
    std::iter::from_fn(move || {
        if off + HDR > ctrl.len() {
            return None;
        }
        let len = usize::from_ne_bytes(ctrl[off..off + 8].try_into().ok()?);
        let level = i32::from_ne_bytes(ctrl[off + 8..off + 12].try_into().ok()?);
        let ty = i32::from_ne_bytes(ctrl[off + 12..off + 16].try_into().ok()?);
        if len < HDR || off + len > ctrl.len() {
            return None;
        }
        let data = &ctrl[off + HDR..off + len];
        off += align(len);
        Some((level, ty, data))
    })
}

/// Linux control data -> the caller's Windows control buffer. Returns the bytes written and
/// whether something did not fit (`MSG_CTRUNC`).
pub fn to_win(linux: &[u8], out: &mut [u8]) -> (usize, bool) {
    let mut at = 0usize;
    let mut end = 0usize;
    let mut truncated = false;
    for (level, ty, data) in linux_cmsgs(linux) {
        let Some((wl, wt, wd)) = win_cmsg(level, ty, data) else {
            continue;
        };
        let len = HDR + wd.len();
        if at + len > out.len() {
            truncated = true;
            break;
        }
        out[at..at + 8].copy_from_slice(&len.to_ne_bytes());
        out[at + 8..at + 12].copy_from_slice(&wl.to_ne_bytes());
        out[at + 12..at + 16].copy_from_slice(&wt.to_ne_bytes());
        out[at + HDR..at + len].copy_from_slice(&wd);
        at += align(len);
        end = at.min(out.len());
    }
    (end, truncated)
}

/// The caller's Windows control data -> Linux control data for `sendmsg`. Unknown messages
/// are `WSAEINVAL`.
pub fn from_win(win: &[u8], out: &mut Vec<u8>) -> WsResult<()> {
    out.clear();
    let mut off = 0usize;
    while off + HDR <= win.len() {
        let len = usize::from_ne_bytes(win[off..off + 8].try_into().expect("8 bytes"));
        let level = i32::from_ne_bytes(win[off + 8..off + 12].try_into().expect("4 bytes"));
        let ty = i32::from_ne_bytes(win[off + 12..off + 16].try_into().expect("4 bytes"));
        if len < HDR || off + len > win.len() {
            return Err(WsaError::WSAEINVAL);
        }
        let data = &win[off + HDR..off + len];
        let (ll, lt, ld): (i32, i32, Vec<u8>) = match (level, ty) {
            (IPPROTO_IP, WIN_IP_PKTINFO) if data.len() >= 8 => {
                // IN_PKTINFO {addr, ifindex} -> in_pktinfo {ifindex, spec_dst = addr, addr 0}.
                let mut l = Vec::with_capacity(12);
                l.extend_from_slice(&data[4..8]);
                l.extend_from_slice(&data[0..4]);
                l.extend_from_slice(&[0; 4]);
                (libc::IPPROTO_IP, libc::IP_PKTINFO, l)
            }
            (IPPROTO_IPV6, WIN_IPV6_PKTINFO) if data.len() >= 20 => {
                (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, data[..20].to_vec())
            }
            (IPPROTO_IP, WIN_IP_TTL) if data.len() >= 4 => {
                (libc::IPPROTO_IP, libc::IP_TTL, data[..4].to_vec())
            }
            (IPPROTO_IPV6, WIN_IPV6_HOPLIMIT) if data.len() >= 4 => {
                (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT, data[..4].to_vec())
            }
            _ => return Err(WsaError::WSAEINVAL),
        };
        let start = out.len();
        let llen = HDR + ld.len();
        out.resize(start + align(llen), 0);
        out[start..start + 8].copy_from_slice(&llen.to_ne_bytes());
        out[start + 8..start + 12].copy_from_slice(&ll.to_ne_bytes());
        out[start + 12..start + 16].copy_from_slice(&lt.to_ne_bytes());
        out[start + HDR..start + llen].copy_from_slice(&ld);
        off += align(len);
    }
    Ok(())
}

/// Windows output flags of a finished `recvmsg` (`msg_flags`), besides truncation of data
/// and control that the caller adds.
pub fn win_flags(linux_flags: i32, stream: bool) -> u32 {
    let mut f = 0;
    if linux_flags & libc::MSG_TRUNC != 0 && !stream {
        f |= MSG_TRUNC_WIN;
    }
    if linux_flags & libc::MSG_CTRUNC != 0 {
        f |= MSG_CTRUNC_WIN;
    }
    let _ = (MSG_BCAST_WIN, MSG_MCAST_WIN);
    f
}

/// Bytes the Windows form of `linux` control data takes.
fn win_len(linux: &[u8]) -> usize {
    linux_cmsgs(linux)
        .filter_map(|(l, t, d)| win_cmsg(l, t, d))
        .map(|(_, _, d)| align(HDR + d.len()))
        .sum()
}

/// The Windows output flags of a finished `WSARecvMsg`: data truncation, and control
/// truncation when Linux truncated it or the caller's control buffer cannot hold it (Windows
/// then fails the call with `WSAEMSGSIZE`).
///
/// # Safety
/// `msg` must be the caller's live `WSAMSG`.
pub unsafe fn recv_flags(
    msg: *const WsaMsg,
    linux_ctrl: &[u8],
    linux_flags: i32,
    stream: bool,
) -> u32 {
    let mut f = win_flags(linux_flags, stream);
    // SAFETY: the caller's live WSAMSG.
    let cap = unsafe { (*msg).control.len } as usize;
    let need = win_len(linux_ctrl);
    if need > 0 && need > cap {
        f |= MSG_CTRUNC_WIN;
    }
    f
}

/// Write a finished receive's control data and flags into the caller's `WSAMSG`.
///
/// # Safety
/// `msg` must be the caller's live `WSAMSG` whose control buffer stays valid.
pub unsafe fn deliver(msg: *mut WsaMsg, linux_ctrl: &[u8], flags: u32) -> u32 {
    // SAFETY: the caller's WSAMSG and its control buffer (Windows' contract).
    unsafe {
        let m = &mut *msg;
        let mut flags = flags;
        if !m.control.buf.is_null() && m.control.len > 0 {
            let out =
                std::slice::from_raw_parts_mut(m.control.buf as *mut u8, m.control.len as usize);
            let (n, trunc) = to_win(linux_ctrl, out);
            m.control.len = n as u32;
            if trunc {
                flags |= MSG_CTRUNC_WIN;
            }
        } else {
            if linux_cmsgs(linux_ctrl).any(|(l, t, d)| win_cmsg(l, t, d).is_some()) {
                flags |= MSG_CTRUNC_WIN;
            }
            m.control.len = 0;
        }
        m.flags = flags;
        flags
    }
}

/// The room the library receives Linux control data into for a caller's control buffer of
/// `win` bytes (Linux's packet-info message is larger than Windows').
pub fn ctrl_room(win: u32) -> usize {
    if win == 0 {
        0
    } else {
        (win as usize * 2 + 64).min(CTRL_MAX)
    }
}

/// Gather the caller's buffers (`WSAEINVAL` for none, `WSAEFAULT` for bad pointers).
///
/// # Safety
/// `m.buffers` must be NULL or point to `m.count` WSABUFs.
unsafe fn buffers(m: &WsaMsg, out: &mut Vec<libc::iovec>) -> WsResult<usize> {
    // SAFETY: forwarded caller contract.
    unsafe { crate::socket::overlapped::gather(m.buffers, m.count, out) }
}

/// Synchronous `WSARecvMsg`: blocking per the socket's mode and `SO_RCVTIMEO`.
fn recv_sync(sock: &Arc<Socket>, m: &mut WsaMsg, lflags: i32) -> WsResult<u32> {
    let mut iov = Vec::new();
    // SAFETY: the caller's buffers as WSAMSG describes them.
    unsafe { buffers(m, &mut iov) }?;
    let mut ctrl = vec![0u8; ctrl_room(m.control.len)];
    let mut from = SockAddr::default();
    let (nonblocking, deadline) = {
        let st = sock.st.lock();
        (st.nonblocking, Socket::deadline(st.rcvtimeo))
    };
    loop {
        // SAFETY: msghdr is plain data; zero is a valid empty header.
        let mut mh: libc::msghdr = unsafe { std::mem::zeroed() };
        mh.msg_name = from.as_mut_ptr() as *mut libc::c_void;
        mh.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as u32;
        mh.msg_iov = iov.as_mut_ptr();
        mh.msg_iovlen = iov.len();
        if !ctrl.is_empty() {
            mh.msg_control = ctrl.as_mut_ptr() as *mut libc::c_void;
            mh.msg_controllen = ctrl.len();
        }
        // SAFETY: the header points at live buffers of the stated sizes.
        let n = unsafe { libc::recvmsg(sock.fd, &mut mh, lflags | libc::MSG_DONTWAIT) };
        if n >= 0 {
            from.len = mh.msg_namelen;
            if !m.name.is_null() && from.family() != libc::AF_UNSPEC {
                // SAFETY: the caller's name buffer and its length field in WSAMSG.
                unsafe { sockaddr::to_win(&from, m.name, &mut m.namelen) }?;
            }
            let got = &ctrl[..mh.msg_controllen.min(ctrl.len())];
            // SAFETY: `m` is the caller's live WSAMSG.
            let flags = unsafe { recv_flags(m, got, mh.msg_flags, sock.is_stream()) };
            // SAFETY: `m` is the caller's live WSAMSG.
            let flags = unsafe { deliver(m, got, flags) };
            if flags & (MSG_TRUNC_WIN | MSG_CTRUNC_WIN) != 0 {
                return Err(WsaError::WSAEMSGSIZE);
            }
            return Ok(n as u32);
        }
        match crate::socket::errno() {
            libc::EAGAIN => {
                if nonblocking {
                    return Err(WsaError::WSAEWOULDBLOCK);
                }
                sock.wait(libc::POLLIN, deadline)?;
            }
            libc::EINTR => {}
            e => return Err(crate::socket::io_error(sock, false, lflags, e)),
        }
    }
}

/// `int WSARecvMsg(SOCKET, LPWSAMSG, LPDWORD, LPWSAOVERLAPPED,
/// LPWSAOVERLAPPED_COMPLETION_ROUTINE)`: reached through `WSAID_WSARECVMSG`, as on Windows.
pub unsafe extern "C" fn wsa_recv_msg(
    s: usize,
    msg: *mut WsaMsg,
    received: *mut u32,
    ov: *mut crate::engine::io::Overlapped,
    routine: Routine,
) -> i32 {
    let _t = crate::trace_call!("wsa_recv_msg", s, msg, received, ov, routine);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if msg.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        if sock.is_stream() {
            return Err(WsaError::WSAEOPNOTSUPP);
        }
        // SAFETY: non-NULL caller WSAMSG.
        let m = unsafe { &mut *msg };
        let wflags = (m.flags & MSG_PEEK_WIN) as i32;
        let lflags = calls::recv_check(&sock, wflags, !ov.is_null())?;
        if ov.is_null() {
            if received.is_null() {
                return Err(WsaError::WSAEFAULT);
            }
            let n = recv_sync(&sock, m, lflags)?;
            // SAFETY: checked non-NULL above.
            unsafe { *received = n };
            return Ok(0);
        }
        let r = issue_with(&sock, ov, routine, |op| {
            // SAFETY: the caller's buffers as WSAMSG describes them.
            let total = unsafe { buffers(m, &mut op.iov) }?;
            op.kind = crate::engine::op::Kind::Recv;
            op.lflags = lflags;
            op.total = total;
            op.whole = false;
            op.from = m.name as usize;
            op.fromlen = &mut m.namelen as *mut i32 as usize;
            op.wsamsg = msg as usize;
            op.ctrl.clear();
            op.ctrl.resize(ctrl_room(m.control.len), 0);
            Ok(())
        })?;
        // SAFETY: NULL or writable by the caller's contract.
        unsafe { crate::socket::overlapped::report(r, received, std::ptr::null_mut()) }
    })
}

/// `int WSASendMsg(SOCKET, LPWSAMSG, DWORD dwFlags, LPDWORD, LPWSAOVERLAPPED,
/// LPWSAOVERLAPPED_COMPLETION_ROUTINE)`
#[no_mangle]
pub unsafe extern "C" fn WSASendMsg(
    s: usize,
    msg: *mut WsaMsg,
    flags: u32,
    sent: *mut u32,
    ov: *mut crate::engine::io::Overlapped,
    routine: Option<thread::WsaRoutine>,
) -> i32 {
    let _t = crate::trace_call!("WSASendMsg", s, msg, flags, sent, ov, routine);
    ffi::ws(SOCKET_ERROR, || {
        let sock = get(s)?;
        if msg.is_null() {
            return Err(WsaError::WSAEFAULT);
        }
        // SAFETY: non-NULL caller WSAMSG.
        let m = unsafe { &*msg };
        let mut ctrl = Vec::new();
        if !m.control.buf.is_null() && m.control.len > 0 {
            // SAFETY: the caller's control buffer of the stated length.
            let win = unsafe {
                std::slice::from_raw_parts(m.control.buf as *const u8, m.control.len as usize)
            };
            from_win(win, &mut ctrl)?;
        }
        let dest = if !m.name.is_null() && !sock.is_stream() {
            // SAFETY: the caller's address of `namelen` bytes.
            Some(unsafe { calls::addr_for(&sock, m.name, m.namelen) }?)
        } else {
            None
        };
        if ov.is_null() {
            if sent.is_null() {
                return Err(WsaError::WSAEFAULT);
            }
            let mut iov = Vec::new();
            // SAFETY: the caller's buffers as WSAMSG describes them.
            unsafe { buffers(m, &mut iov) }?;
            let n = calls::send_with(&sock, &iov, flags as i32, dest.as_ref(), &ctrl)?;
            // SAFETY: checked non-NULL above.
            unsafe { *sent = n as u32 };
            return Ok(0);
        }
        let (lflags, to) = match calls::send_check(&sock, flags as i32, dest.as_ref())? {
            calls::SendPlan::Go(l, to) => (l & !libc::MSG_DONTWAIT, to),
            calls::SendPlan::Discard => {
                // A datagram to port 0: Windows accepts it and delivers it nowhere.
                let mut iov = Vec::new();
                // SAFETY: the caller's buffers as WSAMSG describes them.
                let n = unsafe { buffers(m, &mut iov) }?;
                crate::socket::overlapped::complete_now(&sock, ov, routine, 0, n)?;
                return Ok(0);
            }
        };
        let r = issue_with(&sock, ov, routine, |op| {
            // SAFETY: the caller's buffers as WSAMSG describes them.
            let total = unsafe { buffers(m, &mut op.iov) }?;
            op.kind = crate::engine::op::Kind::Send;
            op.total = total;
            op.whole = sock.is_stream();
            op.lflags = lflags;
            if let Some(a) = to {
                op.addr = a;
                op.has_dest = true;
            }
            op.ctrl.clear();
            op.ctrl.extend_from_slice(&ctrl);
            Ok(())
        })?;
        // SAFETY: NULL or writable by the caller's contract.
        unsafe { crate::socket::overlapped::report(r, sent, std::ptr::null_mut()) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linux_msg(level: i32, ty: i32, data: &[u8]) -> Vec<u8> {
        let len = HDR + data.len();
        let mut v = vec![0u8; align(len)];
        v[..8].copy_from_slice(&len.to_ne_bytes());
        v[8..12].copy_from_slice(&level.to_ne_bytes());
        v[12..16].copy_from_slice(&ty.to_ne_bytes());
        v[HDR..len].copy_from_slice(data);
        v
    }

    #[test]
    fn pktinfo_v4_becomes_windows_layout() {
        // ifindex 1, spec_dst 127.0.0.1, addr 127.0.0.2
        let l = linux_msg(
            libc::IPPROTO_IP,
            libc::IP_PKTINFO,
            &[1, 0, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2],
        );
        let mut out = [0u8; 64];
        let (n, trunc) = to_win(&l, &mut out);
        assert!(!trunc);
        assert_eq!(n, 24);
        assert_eq!(usize::from_ne_bytes(out[..8].try_into().unwrap()), 24);
        assert_eq!(
            i32::from_ne_bytes(out[12..16].try_into().unwrap()),
            WIN_IP_PKTINFO
        );
        assert_eq!(&out[16..24], &[127, 0, 0, 2, 1, 0, 0, 0]);
        let mut small = [0u8; 20];
        assert_eq!(to_win(&l, &mut small), (0, true));
    }

    #[test]
    fn send_side_round_trip() {
        let mut win = vec![0u8; 24];
        win[..8].copy_from_slice(&24usize.to_ne_bytes());
        win[12..16].copy_from_slice(&WIN_IP_PKTINFO.to_ne_bytes());
        win[16..24].copy_from_slice(&[127, 0, 0, 1, 3, 0, 0, 0]);
        let mut l = Vec::new();
        from_win(&win, &mut l).unwrap();
        let (lv, ty, d) = linux_cmsgs(&l).next().unwrap();
        assert_eq!((lv, ty), (libc::IPPROTO_IP, libc::IP_PKTINFO));
        assert_eq!(d, &[3, 0, 0, 0, 127, 0, 0, 1, 0, 0, 0, 0]);
        win[12..16].copy_from_slice(&77i32.to_ne_bytes());
        assert_eq!(from_win(&win, &mut l), Err(WsaError::WSAEINVAL));
    }
}
