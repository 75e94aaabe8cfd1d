//! Operation records: one per overlapped operation, from a pool that never frees, so no
//! heap allocation happens per operation once the pool is warm, and the memory the kernel
//! writes into (`msghdr`, source address, iovec array) stays at one address until the CQE.
//!
//! A record is owned by its socket's queue from submission to completion; every access is
//! made holding that socket's `io` lock (see `io.rs`). `user_data` carries the index and the
//! record's generation, which moves on every reuse.

use crate::abi::sockaddr::SockAddr;
use crate::socket::Socket;
use crate::wait::event::Event;
use crate::wait::thread::{Waker, WsaRoutine};
use once_cell::sync::OnceCell;
use parking_lot::Mutex;
use std::cell::UnsafeCell;
use std::sync::Arc;

/// Who hears of a completion.
#[derive(Default)]
pub enum Notify {
    #[default]
    None,
    Event(Arc<Event>),
    /// A completion routine, run by the issuing thread in an alertable wait.
    Routine(Arc<Waker>, WsaRoutine),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Kind {
    #[default]
    Recv,
    Send,
    /// A zero-length receive: wait for readability, consume nothing.
    PollIn,
    /// `AcceptEx`: take a connection from the listener into `peer`, then (with a receive
    /// buffer) continue as a receive on `peer`.
    Accept,
    /// `ConnectEx`: wait for a non-blocking connect to finish, then send the optional data.
    Connect,
    /// `TransmitFile` / `TransmitPackets`: send `segs` in order (memory with `sendmsg`, file
    /// ranges with `sendfile`), waiting for room with `POLL_ADD`.
    Transmit,
}

/// One piece of a `TransmitFile` / `TransmitPackets` operation; consumed from the front.
#[derive(Clone, Copy, Debug)]
pub enum Seg {
    Mem {
        ptr: usize,
        len: usize,
    },
    /// `len` None: to the end of the file.
    File {
        fd: i32,
        off: i64,
        len: Option<u64>,
    },
}

impl Kind {
    /// The socket queue the operation goes in: 0 receives, 1 sends.
    pub fn dir(self) -> usize {
        match self {
            Kind::Send | Kind::Connect | Kind::Transmit => 1,
            _ => 0,
        }
    }
}

pub struct Op {
    pub gen: u32,
    pub kind: Kind,
    pub sock: Option<Arc<Socket>>,
    /// The caller's OVERLAPPED.
    pub ov: usize,
    pub notify: Notify,
    /// The completion port that gets a packet, and its key.
    pub port: Option<(Arc<crate::iocp::Port>, usize)>,
    /// Thread that issued the operation (`CancelIo`).
    pub tid: u32,
    /// The caller's buffers; consumed from the front as a send or `MSG_WAITALL` receive
    /// makes partial progress. Capacity is kept across reuse.
    pub iov: Vec<libc::iovec>,
    pub first: usize,
    pub msg: libc::msghdr,
    /// Datagram source (receive) or destination (send), in Linux form.
    pub addr: SockAddr,
    pub has_dest: bool,
    /// The caller's `lpFrom` / `lpFromlen` for `WSARecvFrom`, written at completion.
    pub from: usize,
    pub fromlen: usize,
    /// `AcceptEx`: the socket that takes the connection.
    pub peer: Option<Arc<Socket>>,
    /// `AcceptEx`: the output buffer and its receive, local and remote address lengths.
    pub ext_buf: usize,
    pub ext_lens: [u32; 3],
    /// `WSARecvMsg` / `WSASendMsg`: the caller's `WSAMSG` (receives) and the Linux control
    /// data received or to send (capacity kept across reuse).
    pub wsamsg: usize,
    pub ctrl: Vec<u8>,
    /// `TransmitFile` / `TransmitPackets`: what to send, the next piece, the files it reads
    /// (kept open until the operation ends) and the `TF_*` flags.
    pub segs: Vec<Seg>,
    pub seg_at: usize,
    pub files: Vec<Arc<crate::file::File>>,
    pub tf_flags: u32,
    /// Linux `MSG_*` flags for the syscall.
    pub lflags: i32,
    /// Bytes to move in total, and moved so far.
    pub total: usize,
    pub done: usize,
    /// Keep going until `total` (stream sends, `MSG_WAITALL` receives).
    pub whole: bool,
    /// The SQE is with the kernel.
    pub in_kernel: bool,
    /// A cancel request was sent for the SQE.
    pub cancel: bool,
    /// The status a cancelled operation completes with.
    pub cancel_status: u32,
    /// Complete with `cancel_status` whatever the kernel reports (`closesocket`: every
    /// operation pending at the close ends with the close's error).
    pub forced: bool,
}

impl Default for Op {
    fn default() -> Op {
        Op {
            gen: 0,
            kind: Kind::Recv,
            sock: None,
            ov: 0,
            notify: Notify::None,
            port: None,
            tid: 0,
            iov: Vec::new(),
            first: 0,
            // SAFETY: msghdr is plain data; zero is a valid empty header.
            msg: unsafe { std::mem::zeroed() },
            addr: SockAddr::default(),
            has_dest: false,
            from: 0,
            fromlen: 0,
            peer: None,
            ext_buf: 0,
            ext_lens: [0; 3],
            wsamsg: 0,
            ctrl: Vec::new(),
            segs: Vec::new(),
            seg_at: 0,
            files: Vec::new(),
            tf_flags: 0,
            lflags: 0,
            total: 0,
            done: 0,
            whole: false,
            in_kernel: false,
            cancel: false,
            cancel_status: 0,
            forced: false,
        }
    }
}

impl Op {
    /// Point `msg` at the buffers still to fill or send, and at `addr` where it applies.
    pub fn prepare_msg(&mut self) {
        // SAFETY: msghdr is plain data; zero is a valid empty header.
        self.msg = unsafe { std::mem::zeroed() };
        let rest = &mut self.iov[self.first..];
        self.msg.msg_iov = rest.as_mut_ptr();
        self.msg.msg_iovlen = rest.len();
        if !self.ctrl.is_empty() && self.done == 0 {
            self.msg.msg_control = self.ctrl.as_mut_ptr() as *mut libc::c_void;
            self.msg.msg_controllen = self.ctrl.len();
        }
        match self.kind {
            Kind::Recv => {
                self.addr = SockAddr::default();
                self.msg.msg_name = self.addr.as_mut_ptr() as *mut libc::c_void;
                self.msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as u32;
            }
            Kind::Send if self.has_dest => {
                self.msg.msg_name = self.addr.as_ptr() as *mut libc::c_void;
                self.msg.msg_namelen = self.addr.len;
            }
            _ => {}
        }
    }

    /// Account for `n` bytes moved: drop the buffers that are done, trim the next one.
    pub fn advance(&mut self, n: usize) {
        self.done += n;
        let mut left = n;
        while left > 0 && self.first < self.iov.len() {
            let b = &mut self.iov[self.first];
            if left >= b.iov_len {
                left -= b.iov_len;
                self.first += 1;
            } else {
                // SAFETY: `left` < iov_len, so the new base stays inside the caller's buffer.
                b.iov_base = unsafe { (b.iov_base as *mut u8).add(left) } as *mut libc::c_void;
                b.iov_len -= left;
                left = 0;
            }
        }
    }

    fn clear(&mut self) {
        self.sock = None;
        self.notify = Notify::None;
        self.port = None;
        self.peer = None;
        self.wsamsg = 0;
        self.ctrl.clear();
        self.segs.clear();
        self.seg_at = 0;
        self.files.clear();
        self.tf_flags = 0;
        self.iov.clear();
        self.first = 0;
        self.from = 0;
        self.fromlen = 0;
        self.has_dest = false;
        self.done = 0;
        self.total = 0;
        self.whole = false;
        self.in_kernel = false;
        self.cancel = false;
        self.forced = false;
    }
}

struct Slot(UnsafeCell<Op>);
// SAFETY: a slot is only accessed by the holder of its socket's io lock, or by the one
// thread that allocated it before it is queued (see the module comment).
unsafe impl Sync for Slot {}
// SAFETY: the raw pointers inside point at the caller's buffers and at the record itself;
// they are only dereferenced by the kernel and under the ownership rule above.
unsafe impl Send for Slot {}

const CHUNK_BITS: u32 = 10;
const CHUNK: usize = 1 << CHUNK_BITS;
const CHUNKS: usize = 4096;

pub struct Pool {
    chunks: [OnceCell<Box<[Slot]>>; CHUNKS],
    free: Mutex<(Vec<u32>, u32)>,
}

static POOL: Pool = Pool {
    chunks: [const { OnceCell::new() }; CHUNKS],
    free: Mutex::new((Vec::new(), 0)),
};

fn slot(idx: u32) -> &'static Slot {
    let c = POOL.chunks[(idx >> CHUNK_BITS) as usize].get_or_init(|| {
        (0..CHUNK)
            .map(|_| Slot(UnsafeCell::new(Op::default())))
            .collect()
    });
    &c[idx as usize & (CHUNK - 1)]
}

/// Free records kept by one thread, so the common case (a thread issues operations and
/// completes them) takes no lock. Returned to the pool when it grows past `LOCAL_MAX` and
/// when the thread exits.
struct LocalFree(Vec<u32>);

const LOCAL_MAX: usize = 64;

impl Drop for LocalFree {
    fn drop(&mut self) {
        POOL.free.lock().0.append(&mut self.0);
    }
}

thread_local! {
    static LOCAL: std::cell::RefCell<LocalFree> = const { std::cell::RefCell::new(LocalFree(Vec::new())) };
}

/// Take a record; most recently freed first, so warm records (with iovec capacity) are reused.
pub fn alloc() -> Option<u32> {
    let local = LOCAL
        .try_with(|l| l.try_borrow_mut().ok().and_then(|mut l| l.0.pop()))
        .ok()
        .flatten();
    let idx = match local {
        Some(i) => i,
        None => {
            let mut f = POOL.free.lock();
            match f.0.pop() {
                Some(i) => i,
                None => {
                    if f.1 as usize >= CHUNK * CHUNKS {
                        return None;
                    }
                    f.1 += 1;
                    f.1 - 1
                }
            }
        }
    };
    // SAFETY: the record was free; this thread is its only user until it is queued.
    let op = unsafe { get(idx) };
    op.gen = op.gen.wrapping_add(1);
    Some(idx)
}

/// The record at `idx`.
///
/// # Safety
/// The caller must own the record: allocated it and not yet queued it, or hold the io lock
/// of the socket whose queue holds it.
#[allow(clippy::mut_from_ref)]
pub unsafe fn get(idx: u32) -> &'static mut Op {
    // SAFETY: exclusive by the caller's contract.
    unsafe { &mut *slot(idx).0.get() }
}

/// Return a record to the pool, dropping the references it held.
///
/// # Safety
/// As for [`get`]; the kernel must be done with the record (its CQE reaped, or never
/// submitted).
pub unsafe fn free(idx: u32) {
    // SAFETY: exclusive by the caller's contract.
    unsafe { get(idx) }.clear();
    let kept = LOCAL
        .try_with(|l| match l.try_borrow_mut() {
            Ok(mut l) => {
                if l.0.len() >= LOCAL_MAX {
                    // Give half back in one go, keeping the most recently freed.
                    POOL.free.lock().0.extend(l.0.drain(..LOCAL_MAX / 2));
                }
                l.0.push(idx);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false);
    if !kept {
        POOL.free.lock().0.push(idx);
    }
}

pub fn user_data(idx: u32, gen: u32) -> u64 {
    ((gen as u64) << 32) | idx as u64
}

pub fn split(ud: u64) -> (u32, u32) {
    (ud as u32, (ud >> 32) as u32)
}
