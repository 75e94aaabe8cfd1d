//! Shared helpers for the engine's integration tests: the Winsock exports the tests call
//! (declared with their Windows types; the library exports them unmangled), loopback TCP
//! pairs, a small random generator and process statistics (open fds, heap in use).
//!
//! Each test file is its own process, so the library's one io_uring ring is created at that
//! process's first `WSAStartup`.
#![allow(dead_code, non_snake_case, clippy::upper_case_acronyms)]

// Links the library (its exports are what the `extern "C"` block below names).
extern crate ws2_32;

pub type SOCKET = usize;
pub type DWORD = u32;
pub type HANDLE = usize;

pub const INVALID_SOCKET: SOCKET = usize::MAX;
pub const SOCKET_ERROR: i32 = -1;
pub const AF_INET: i32 = 2;
pub const SOCK_STREAM: i32 = 1;
pub const IPPROTO_TCP: i32 = 6;
pub const SOL_SOCKET: i32 = 0xffff;
pub const SO_RCVBUF: i32 = 0x1002;
pub const SO_SNDBUF: i32 = 0x1001;

pub const WSA_IO_PENDING: i32 = 997;
pub const WSA_IO_INCOMPLETE: i32 = 996;
pub const WSA_OPERATION_ABORTED: i32 = 995;
pub const WSASYSNOTREADY: i32 = 10091;
pub const ERROR_NOT_FOUND: u32 = 1168;
pub const STATUS_PENDING: usize = 0x103;
pub const STATUS_CANCELLED: usize = 0xC000_0120;

pub const WSA_WAIT_EVENT_0: u32 = 0;
pub const WSA_WAIT_TIMEOUT: u32 = 258;
pub const WSA_WAIT_IO_COMPLETION: u32 = 0xC0;
pub const WSA_WAIT_FAILED: u32 = u32::MAX;
pub const WSA_INFINITE: u32 = u32::MAX;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct WSABUF {
    pub len: u32,
    pub buf: *mut u8,
}

#[repr(C)]
#[derive(Default)]
pub struct OVERLAPPED {
    pub Internal: usize,
    pub InternalHigh: usize,
    pub Offset: u32,
    pub OffsetHigh: u32,
    pub hEvent: usize,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct SOCKADDR_IN {
    pub family: u16,
    pub port: u16,
    pub addr: [u8; 4],
    pub zero: [u8; 8],
}

#[repr(C)]
pub struct WSADATA {
    pub bytes: [u8; 408],
}

pub type Routine = unsafe extern "C" fn(DWORD, DWORD, *mut OVERLAPPED, DWORD);

extern "C" {
    pub fn WSAStartup(version: u16, data: *mut WSADATA) -> i32;
    pub fn WSACleanup() -> i32;
    pub fn WSAGetLastError() -> i32;
    pub fn GetLastError() -> u32;
    pub fn ws2_socket(af: i32, ty: i32, proto: i32) -> SOCKET;
    pub fn ws2_bind(s: SOCKET, name: *const SOCKADDR_IN, len: i32) -> i32;
    pub fn ws2_listen(s: SOCKET, backlog: i32) -> i32;
    pub fn ws2_accept(s: SOCKET, name: *mut SOCKADDR_IN, len: *mut i32) -> SOCKET;
    pub fn ws2_connect(s: SOCKET, name: *const SOCKADDR_IN, len: i32) -> i32;
    pub fn ws2_getsockname(s: SOCKET, name: *mut SOCKADDR_IN, len: *mut i32) -> i32;
    pub fn ws2_setsockopt(s: SOCKET, level: i32, name: i32, val: *const u8, len: i32) -> i32;
    pub fn closesocket(s: SOCKET) -> i32;
    pub fn WSARecv(
        s: SOCKET,
        bufs: *const WSABUF,
        count: DWORD,
        received: *mut DWORD,
        flags: *mut DWORD,
        ov: *mut OVERLAPPED,
        routine: Option<Routine>,
    ) -> i32;
    pub fn WSASend(
        s: SOCKET,
        bufs: *const WSABUF,
        count: DWORD,
        sent: *mut DWORD,
        flags: DWORD,
        ov: *mut OVERLAPPED,
        routine: Option<Routine>,
    ) -> i32;
    pub fn WSAGetOverlappedResult(
        s: SOCKET,
        ov: *mut OVERLAPPED,
        transferred: *mut DWORD,
        wait: i32,
        flags: *mut DWORD,
    ) -> i32;
    pub fn WSACreateEvent() -> HANDLE;
    pub fn WSACloseEvent(h: HANDLE) -> i32;
    pub fn WSASetEvent(h: HANDLE) -> i32;
    pub fn WSAResetEvent(h: HANDLE) -> i32;
    pub fn WSAWaitForMultipleEvents(
        n: DWORD,
        events: *const HANDLE,
        all: i32,
        ms: DWORD,
        alertable: i32,
    ) -> DWORD;
    pub fn CancelIo(h: HANDLE) -> i32;
    pub fn CancelIoEx(h: HANDLE, ov: *mut OVERLAPPED) -> i32;
    pub fn SleepEx(ms: DWORD, alertable: i32) -> DWORD;
}

/// `WSAStartup(2.2)`, asserting success.
pub fn startup() {
    let mut d = WSADATA { bytes: [0; 408] };
    // SAFETY: a writable WSADATA.
    let r = unsafe { WSAStartup(0x0202, &mut d) };
    assert_eq!(r, 0, "WSAStartup failed: {r}");
}

pub fn cleanup() {
    // SAFETY: plain call.
    let r = unsafe { WSACleanup() };
    assert_eq!(r, 0, "WSACleanup failed: {}", last_error());
}

pub fn last_error() -> i32 {
    // SAFETY: plain call.
    unsafe { WSAGetLastError() }
}

pub fn loopback(port: u16) -> SOCKADDR_IN {
    SOCKADDR_IN {
        family: AF_INET as u16,
        port: port.to_be(),
        addr: [127, 0, 0, 1],
        zero: [0; 8],
    }
}

/// A connected loopback TCP pair (client, server), both overlapped sockets.
pub fn tcp_pair() -> (SOCKET, SOCKET) {
    const LEN: i32 = std::mem::size_of::<SOCKADDR_IN>() as i32;
    // SAFETY: plain calls with live local buffers.
    unsafe {
        let l = ws2_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_ne!(l, INVALID_SOCKET, "socket: {}", last_error());
        let mut a = loopback(0);
        assert_eq!(ws2_bind(l, &a, LEN), 0, "bind: {}", last_error());
        assert_eq!(ws2_listen(l, 1), 0, "listen: {}", last_error());
        let mut len = LEN;
        assert_eq!(
            ws2_getsockname(l, &mut a, &mut len),
            0,
            "getsockname: {}",
            last_error()
        );
        let c = ws2_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        assert_ne!(c, INVALID_SOCKET, "socket: {}", last_error());
        assert_eq!(ws2_connect(c, &a, LEN), 0, "connect: {}", last_error());
        let s = ws2_accept(l, std::ptr::null_mut(), std::ptr::null_mut());
        assert_ne!(s, INVALID_SOCKET, "accept: {}", last_error());
        assert_eq!(closesocket(l), 0);
        (c, s)
    }
}

/// Read an OVERLAPPED's `Internal` with acquire ordering (the library publishes it with
/// release ordering before it signals).
///
/// # Safety
/// `ov` must point to a live OVERLAPPED.
pub unsafe fn internal(ov: *const OVERLAPPED) -> usize {
    // SAFETY: Internal is an aligned usize in a live OVERLAPPED.
    unsafe { std::sync::atomic::AtomicUsize::from_ptr(ov as *mut usize) }
        .load(std::sync::atomic::Ordering::Acquire)
}

/// Is the event signalled (a zero-timeout wait on it)?
pub fn event_is_set(h: HANDLE) -> bool {
    // SAFETY: one live handle.
    let r = unsafe { WSAWaitForMultipleEvents(1, &h, 0, 0, 0) };
    assert!(
        r == WSA_WAIT_EVENT_0 || r == WSA_WAIT_TIMEOUT,
        "wait: {r:#x} {}",
        last_error()
    );
    r == WSA_WAIT_EVENT_0
}

/// The byte at offset `i` of a test stream with seed `seed`: a position-dependent pattern, so
/// a gap, a duplicate or a reordering shows up as a mismatch.
pub fn pattern(seed: u32, i: u64) -> u8 {
    let x =
        i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (seed as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
    ((x >> 56) as u8) ^ (i as u8)
}

/// Fill `buf` with the stream bytes starting at `off`.
pub fn fill_pattern(seed: u32, off: u64, buf: &mut [u8]) {
    for (k, b) in buf.iter_mut().enumerate() {
        *b = pattern(seed, off + k as u64);
    }
}

/// The first offset where `buf` differs from the stream starting at `off`.
pub fn check_pattern(seed: u32, off: u64, buf: &[u8]) -> Option<u64> {
    buf.iter()
        .enumerate()
        .find(|(k, &b)| b != pattern(seed, off + *k as u64))
        .map(|(k, _)| off + k as u64)
}

/// xorshift64*: a small deterministic generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability 1/n.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

/// Open file descriptors of this process.
pub fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

/// The list of this process's open fds with what they point at (for failure messages).
pub fn fd_list() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir("/proc/self/fd")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| {
                    let t = std::fs::read_link(e.path())
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    format!("{}->{}", e.file_name().to_string_lossy(), t)
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Heap bytes in use (glibc, all arenas).
pub fn heap_in_use() -> usize {
    // SAFETY: plain call.
    unsafe { libc::mallinfo2() }.uordblks
}

// ---------------------------------------------------------------------------------------
// Operation records and the harvest loop shared by the stress and back-pressure tests.
// ---------------------------------------------------------------------------------------

/// Counters of contract violations seen by completion routines (any thread).
pub static ROUTINE_STRAY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
pub static ROUTINE_EARLY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
pub static ROUTINE_WRONG_THREAD: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);
pub static ROUTINE_MISMATCH: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// One overlapped operation slot. The OVERLAPPED comes first, so a completion routine finds
/// the record from the OVERLAPPED pointer it is given. Records live in boxes turned into raw
/// pointers (the library and routines write them asynchronously) and are reused.
#[repr(C)]
pub struct OpRec {
    pub ov: OVERLAPPED,
    /// This record's event, used when `routine` is false.
    pub ev: HANDLE,
    pub routine: bool,
    /// Issued (returned 0 or WSA_IO_PENDING) and not yet harvested.
    pub pending: bool,
    /// The issuing thread (routines must run there).
    pub tid: i32,
    /// Routine calls since the last issue.
    pub calls: u32,
    pub r_err: u32,
    pub r_bytes: u32,
    /// The issue call returned 0 with this byte count.
    pub immediate: Option<u32>,
    /// Harvested result: the OVERLAPPED's Internal and InternalHigh.
    pub status: usize,
    pub bytes: usize,
    /// Owner's bookkeeping (which connection, direction, ...).
    pub tag: usize,
    /// The owner asked for this operation to be cancelled (reset on issue).
    pub cancel_asked: bool,
    /// Bytes this operation moves (send) or may receive (receive).
    pub len: usize,
    pub buf: Vec<u8>,
    pub bufs: [WSABUF; 3],
    pub nbufs: u32,
}

/// The value put in hEvent when a routine is used: not a handle; Windows leaves it alone.
pub const ROUTINE_TAG: usize = 0x5EED_0000;

impl OpRec {
    /// A new record with a buffer of `cap` bytes and an event of its own.
    pub fn create(cap: usize) -> *mut OpRec {
        // SAFETY: plain call.
        let ev = unsafe { WSACreateEvent() };
        assert_ne!(ev, 0, "WSACreateEvent: {}", last_error());
        Box::into_raw(Box::new(OpRec {
            ov: OVERLAPPED::default(),
            ev,
            routine: false,
            pending: false,
            tid: 0,
            calls: 0,
            r_err: 0,
            r_bytes: 0,
            immediate: None,
            status: 0,
            bytes: 0,
            tag: 0,
            cancel_asked: false,
            len: 0,
            buf: vec![0; cap],
            bufs: [WSABUF {
                len: 0,
                buf: std::ptr::null_mut(),
            }; 3],
            nbufs: 0,
        }))
    }

    /// Free a record made by [`OpRec::create`] (not pending).
    ///
    /// # Safety
    /// `r` came from `create`, is not pending and is not used afterwards.
    pub unsafe fn destroy(r: *mut OpRec) {
        // SAFETY: by the contract.
        unsafe {
            assert!(!(*r).pending);
            WSACloseEvent((*r).ev);
            drop(Box::from_raw(r));
        }
    }
}

/// The completion routine every routine-mode record uses: count the call on the record and
/// check the contract (status written before the routine runs, issuing thread, arguments
/// agree with the OVERLAPPED).
///
/// # Safety
/// Called by the library with the OVERLAPPED of a live [`OpRec`].
pub unsafe extern "C" fn on_complete(err: DWORD, bytes: DWORD, ov: *mut OVERLAPPED, _flags: DWORD) {
    use std::sync::atomic::Ordering::Relaxed;
    let r = ov as *mut OpRec;
    // SAFETY: the OVERLAPPED is the first field of a live OpRec owned by this thread.
    unsafe {
        if !(*r).pending || (*r).calls > 0 {
            ROUTINE_STRAY.fetch_add(1, Relaxed);
        }
        if internal(ov) == STATUS_PENDING {
            ROUTINE_EARLY.fetch_add(1, Relaxed);
        }
        if (*r).tid != libc::gettid() {
            ROUTINE_WRONG_THREAD.fetch_add(1, Relaxed);
        }
        if (*ov).InternalHigh != bytes as usize || (*ov).hEvent != ROUTINE_TAG {
            ROUTINE_MISMATCH.fetch_add(1, Relaxed);
        }
        (*r).calls += 1;
        (*r).r_err = err;
        (*r).r_bytes = bytes;
    }
}

/// How an issue went.
pub enum Issue {
    /// Returned 0 or WSA_IO_PENDING: exactly one completion follows.
    Ok,
    /// Failed at once with this error: no completion.
    Failed(i32),
}

/// Split `rec.buf[..len]` into 1..=3 consecutive WSABUFs.
///
/// # Safety
/// `r` is a live record, not pending.
pub unsafe fn set_bufs(r: *mut OpRec, len: usize, pieces: usize) {
    // SAFETY: by the contract.
    unsafe {
        let pieces = pieces.clamp(1, 3).min(len.max(1));
        let base = (*r).buf.as_mut_ptr();
        let mut at = 0;
        for k in 0..pieces {
            let n = if k + 1 == pieces {
                len - at
            } else {
                len / pieces
            };
            (*r).bufs[k] = WSABUF {
                len: n as u32,
                buf: base.add(at),
            };
            at += n;
        }
        (*r).nbufs = pieces as u32;
        (*r).len = len;
    }
}

/// Issue a receive (`send == false`) or send on `s` with record `r` (buffers already set).
///
/// # Safety
/// `r` is a live record, not pending; it must stay alive until harvested.
pub unsafe fn issue(s: SOCKET, r: *mut OpRec, send: bool, routine: bool) -> Issue {
    // SAFETY: by the contract.
    unsafe {
        assert!(!(*r).pending);
        if !(*r).routine {
            // A second delivery of the previous operation would show here.
            assert!(
                !event_is_set((*r).ev),
                "an idle record's event is set: a completion was delivered twice"
            );
        }
        (*r).ov = OVERLAPPED::default();
        (*r).routine = routine;
        (*r).ov.hEvent = if routine { ROUTINE_TAG } else { (*r).ev };
        (*r).tid = libc::gettid();
        (*r).calls = 0;
        (*r).immediate = None;
        (*r).cancel_asked = false;
        let f: Option<Routine> = if routine { Some(on_complete) } else { None };
        let mut n: u32 = 0;
        let res = if send {
            WSASend(
                s,
                (*r).bufs.as_ptr(),
                (*r).nbufs,
                &mut n,
                0,
                &mut (*r).ov,
                f,
            )
        } else {
            let mut flags: u32 = 0;
            WSARecv(
                s,
                (*r).bufs.as_ptr(),
                (*r).nbufs,
                &mut n,
                &mut flags,
                &mut (*r).ov,
                f,
            )
        };
        if res == 0 {
            (*r).immediate = Some(n);
        } else {
            let e = last_error();
            if e != WSA_IO_PENDING {
                return Issue::Failed(e);
            }
        }
        (*r).pending = true;
        Issue::Ok
    }
}

/// The records of one thread that are pending, and the loop that notices their completions.
#[derive(Default)]
pub struct Tracker {
    pub pending: Vec<*mut OpRec>,
    rot: usize,
    /// Deliveries noticed, and operations issued (0 or WSA_IO_PENDING).
    pub delivered: usize,
    pub issued: usize,
    /// Event deliveries seen while Internal still read STATUS_PENDING.
    pub early: usize,
    /// Immediate completions whose byte count disagrees with InternalHigh.
    pub mismatch: usize,
    /// Records whose routine ran more than once.
    pub dup: usize,
}

impl Tracker {
    pub fn add(&mut self, r: *mut OpRec) {
        self.issued += 1;
        self.pending.push(r);
    }

    /// Wait up to `ms` (alertably, on a rotating window of up to 64 pending events), then
    /// collect every pending record whose completion has been delivered: an event-mode
    /// record whose event is set, a routine-mode record whose routine ran.
    pub fn harvest(&mut self, ms: u32, out: &mut Vec<*mut OpRec>) {
        let mut win: Vec<HANDLE> = Vec::with_capacity(64);
        let n = self.pending.len();
        if n > 0 {
            let start = self.rot % n;
            for k in 0..n {
                let r = self.pending[(start + k) % n];
                // SAFETY: pending records are live.
                unsafe {
                    if !(*r).routine {
                        win.push((*r).ev);
                        if win.len() == 64 {
                            break;
                        }
                    }
                }
            }
            self.rot = self.rot.wrapping_add(61);
        }
        // SAFETY: live handles; alertable so this thread's routines run here.
        let w = unsafe {
            if win.is_empty() {
                SleepEx(ms, 1)
            } else {
                WSAWaitForMultipleEvents(win.len() as u32, win.as_ptr(), 0, ms, 1)
            }
        };
        assert!(
            w == 0 || w < win.len() as u32 || w == WSA_WAIT_TIMEOUT || w == WSA_WAIT_IO_COMPLETION,
            "alertable wait returned {w:#x} ({})",
            last_error()
        );
        let mut k = 0;
        while k < self.pending.len() {
            let r = self.pending[k];
            // SAFETY: pending records are live.
            let done = unsafe {
                if (*r).routine {
                    if (*r).calls > 1 {
                        self.dup += 1;
                    }
                    (*r).calls > 0
                } else if internal(&(*r).ov) != STATUS_PENDING && event_is_set((*r).ev) {
                    true
                } else if internal(&(*r).ov) == STATUS_PENDING && event_is_set((*r).ev) {
                    // Re-read: the status must already be there when the event is set.
                    if internal(&(*r).ov) == STATUS_PENDING {
                        self.early += 1;
                    }
                    false
                } else {
                    false
                }
            };
            if !done {
                k += 1;
                continue;
            }
            self.pending.swap_remove(k);
            // SAFETY: as above; the operation is over, the record is ours again.
            unsafe {
                (*r).pending = false;
                (*r).status = internal(&(*r).ov);
                (*r).bytes = (*r).ov.InternalHigh;
                if let Some(b) = (*r).immediate {
                    if b as usize != (*r).bytes {
                        self.mismatch += 1;
                    }
                }
                if !(*r).routine {
                    WSAResetEvent((*r).ev);
                }
            }
            self.delivered += 1;
            out.push(r);
        }
    }
}
