//! Win32 heaps: `HeapCreate`/`HeapAlloc`/... and the `Local*`/`Global*` functions on the
//! process heap.
//!
//! Blocks come from the C allocator (16-byte aligned on x86-64, as Windows' heap). Each heap
//! keeps a map of its live blocks (requested size, moveable flag, lock count), so `HeapSize`
//! returns the size asked for, `HeapFree` rejects a pointer the heap did not hand out and
//! `HeapDestroy` frees every block. A heap handle is `HEAP_BASE + 16 * id`: far above 2^31,
//! so it can never equal a handle-table value (those stay below 2^31).

use crate::error::WsaError;
use crate::ffi;
use parking_lot::Mutex;
use std::collections::HashMap;

const HEAP_ZERO_MEMORY: u32 = 0x8;
const HEAP_REALLOC_IN_PLACE_ONLY: u32 = 0x10;

const LMEM_MOVEABLE: u32 = 0x2;
const LMEM_ZEROINIT: u32 = 0x40;
const LMEM_MODIFY: u32 = 0x80;

const HEAP_BASE: usize = 0x7e00_0000_0000;
const PROCESS_HEAP_ID: usize = 0;

/// Largest request any heap accepts (Windows refuses sizes near the address-space limit).
const MAX_REQUEST: usize = 0x7fff_ffff_0000;
/// Largest single block a fixed-size (non-growable) heap gives out, as Windows documents
/// ("slightly less than 512 KB" for a heap with a maximum size).
const FIXED_HEAP_MAX_BLOCK: usize = 0x7fff8;

struct Block {
    size: usize,
    /// Lock count of a moveable block.
    locks: u32,
}

struct Heap {
    /// Maximum total of requested sizes, 0 for a growable heap.
    max: usize,
    used: usize,
    blocks: HashMap<usize, Block>,
}

struct Heaps {
    next: usize,
    heaps: HashMap<usize, Heap>,
    /// Moveable `LocalAlloc`/`GlobalAlloc` handles and the block each one designates.
    moveable: HashMap<usize, usize>,
    next_moveable: usize,
}

static HEAPS: Mutex<Option<Heaps>> = Mutex::new(None);

fn with_heaps<R>(f: impl FnOnce(&mut Heaps) -> R) -> R {
    let mut g = HEAPS.lock();
    let h = g.get_or_insert_with(|| {
        let mut heaps = HashMap::new();
        heaps.insert(
            PROCESS_HEAP_ID,
            Heap {
                max: 0,
                used: 0,
                blocks: HashMap::new(),
            },
        );
        Heaps {
            next: 1,
            heaps,
            moveable: HashMap::new(),
            next_moveable: 0,
        }
    });
    f(h)
}

fn heap_id(h: usize) -> Option<usize> {
    if h < HEAP_BASE || !(h - HEAP_BASE).is_multiple_of(16) {
        return None;
    }
    Some((h - HEAP_BASE) / 16)
}

fn heap_handle(id: usize) -> usize {
    HEAP_BASE + id * 16
}

/// Allocate `size` bytes (zeroed when asked) in heap `id`.
fn alloc(id: usize, flags: u32, size: usize) -> ffi::WsResult<usize> {
    with_heaps(|hs| {
        let heap = hs
            .heaps
            .get_mut(&id)
            .ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        if size > MAX_REQUEST
            || (heap.max != 0 && (size > FIXED_HEAP_MAX_BLOCK || heap.used + size > heap.max))
        {
            return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
        }
        // SAFETY: plain C allocation; a non-zero size avoids implementation-defined malloc(0).
        let p = unsafe {
            if flags & HEAP_ZERO_MEMORY != 0 {
                libc::calloc(1, size.max(1))
            } else {
                libc::malloc(size.max(1))
            }
        } as usize;
        if p == 0 {
            return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
        }
        heap.used += size;
        heap.blocks.insert(p, Block { size, locks: 0 });
        Ok(p)
    })
}

/// Free block `p` of heap `id`.
fn free(id: usize, p: usize) -> ffi::WsResult<()> {
    with_heaps(|hs| {
        let heap = hs
            .heaps
            .get_mut(&id)
            .ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        let b = heap
            .blocks
            .remove(&p)
            .ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
        heap.used -= b.size;
        // SAFETY: `p` came from malloc/calloc/realloc and was just removed from the live set.
        unsafe { libc::free(p as *mut libc::c_void) };
        Ok(())
    })
}

/// Resize block `p` of heap `id`; `in_place` forbids moving it.
fn realloc(id: usize, flags: u32, p: usize, size: usize, in_place: bool) -> ffi::WsResult<usize> {
    with_heaps(|hs| {
        let heap = hs
            .heaps
            .get_mut(&id)
            .ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        let old = heap
            .blocks
            .get(&p)
            .map(|b| b.size)
            .ok_or(WsaError::ERROR_INVALID_PARAMETER)?;
        if size > MAX_REQUEST
            || (heap.max != 0 && (size > FIXED_HEAP_MAX_BLOCK || heap.used - old + size > heap.max))
        {
            return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
        }
        let np = if in_place {
            // SAFETY: `p` is a live block of this heap.
            let cap = unsafe { libc::malloc_usable_size(p as *mut libc::c_void) };
            if size > cap {
                return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
            }
            p
        } else {
            // SAFETY: `p` is a live block from the C allocator; on failure it stays valid.
            let np = unsafe { libc::realloc(p as *mut libc::c_void, size.max(1)) } as usize;
            if np == 0 {
                return Err(WsaError::ERROR_NOT_ENOUGH_MEMORY);
            }
            np
        };
        if flags & HEAP_ZERO_MEMORY != 0 && size > old {
            // SAFETY: the block at `np` now holds at least `size` bytes.
            unsafe { std::ptr::write_bytes((np + old) as *mut u8, 0, size - old) };
        }
        let mut b = heap.blocks.remove(&p).expect("block checked above");
        b.size = size;
        heap.used = heap.used - old + size;
        heap.blocks.insert(np, b);
        Ok(np)
    })
}

fn block_info<R>(id: usize, p: usize, f: impl FnOnce(&mut Block) -> R) -> ffi::WsResult<R> {
    with_heaps(|hs| {
        let heap = hs
            .heaps
            .get_mut(&id)
            .ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        heap.blocks
            .get_mut(&p)
            .map(f)
            .ok_or(WsaError::ERROR_INVALID_HANDLE)
    })
}

/// `HANDLE GetProcessHeap(void)`
#[no_mangle]
pub extern "C" fn GetProcessHeap() -> usize {
    let _t = crate::trace_call!("GetProcessHeap");
    ffi::win(0, || Ok(heap_handle(PROCESS_HEAP_ID)))
}

/// `HANDLE HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize)`: a
/// maximum of 0 makes a growable heap, otherwise the heap's total is bounded by the maximum
/// (rounded up to a page, and at least the initial size).
#[no_mangle]
pub extern "C" fn HeapCreate(options: u32, initial: usize, maximum: usize) -> usize {
    let _t = crate::trace_call!("HeapCreate", options, initial, maximum);
    ffi::win(0, || {
        // Options (HEAP_NO_SERIALIZE, HEAP_GENERATE_EXCEPTIONS, ...) change nothing here;
        // unknown bits are ignored, as Windows does.
        let _ = options;
        // A maximum below the initial size is raised to it.
        let max = if maximum == 0 {
            0
        } else {
            maximum.max(initial).div_ceil(4096) * 4096
        };
        Ok(with_heaps(|hs| {
            let id = hs.next;
            hs.next += 1;
            hs.heaps.insert(
                id,
                Heap {
                    max,
                    used: 0,
                    blocks: HashMap::new(),
                },
            );
            heap_handle(id)
        }))
    })
}

/// `BOOL HeapDestroy(HANDLE hHeap)`: frees every block of the heap. The process heap cannot
/// be destroyed.
#[no_mangle]
pub extern "C" fn HeapDestroy(heap: usize) -> i32 {
    let _t = crate::trace_call!("HeapDestroy", heap);
    ffi::win(0, || {
        let id = heap_id(heap).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        if id == PROCESS_HEAP_ID {
            return Err(WsaError::ERROR_INVALID_PARAMETER);
        }
        let h = with_heaps(|hs| hs.heaps.remove(&id)).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        for p in h.blocks.keys() {
            // SAFETY: every key is a live block from the C allocator owned by this heap.
            unsafe { libc::free(*p as *mut libc::c_void) };
        }
        Ok(1)
    })
}

/// `LPVOID HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)`
#[no_mangle]
pub extern "C" fn HeapAlloc(heap: usize, flags: u32, bytes: usize) -> *mut libc::c_void {
    let _t = crate::trace_call!("HeapAlloc", heap, flags, bytes);
    ffi::win(std::ptr::null_mut(), || {
        let id = heap_id(heap).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        alloc(id, flags, bytes).map(|p| p as *mut libc::c_void)
    })
}

/// `LPVOID HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)`
#[no_mangle]
pub extern "C" fn HeapReAlloc(
    heap: usize,
    flags: u32,
    mem: *mut libc::c_void,
    bytes: usize,
) -> *mut libc::c_void {
    let _t = crate::trace_call!("HeapReAlloc", heap, flags, mem, bytes);
    ffi::win(std::ptr::null_mut(), || {
        let id = heap_id(heap).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        if mem.is_null() {
            return Err(WsaError::ERROR_NOACCESS);
        }
        let in_place = flags & HEAP_REALLOC_IN_PLACE_ONLY != 0;
        realloc(id, flags, mem as usize, bytes, in_place).map(|p| p as *mut libc::c_void)
    })
}

/// `BOOL HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)`: NULL is accepted (TRUE).
#[no_mangle]
pub extern "C" fn HeapFree(heap: usize, _flags: u32, mem: *mut libc::c_void) -> i32 {
    let _t = crate::trace_call!("HeapFree", heap, _flags, mem);
    ffi::win(0, || {
        let id = heap_id(heap).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        if mem.is_null() {
            return Ok(1);
        }
        free(id, mem as usize).map(|_| 1)
    })
}

/// `SIZE_T HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)`: the size requested, or
/// `(SIZE_T)-1` for a pointer the heap did not hand out.
#[no_mangle]
pub extern "C" fn HeapSize(heap: usize, _flags: u32, mem: *const libc::c_void) -> usize {
    let _t = crate::trace_call!("HeapSize", heap, _flags, mem);
    ffi::win(usize::MAX, || {
        let id = heap_id(heap).ok_or(WsaError::ERROR_INVALID_HANDLE)?;
        block_info(id, mem as usize, |b| b.size).map_err(|_| WsaError::ERROR_INVALID_PARAMETER)
    })
}

// ---- Local* / Global*: the process heap, LMEM_* and GMEM_* share their values.
//
// A fixed block's handle is its address. A moveable block's handle is a value of its own
// (`MOVEABLE_BASE + 16 * n + 8`, outside the handle table's range, like Windows' handles
// that are never 16-byte aligned) that stays the same when a reallocation moves the block;
// `Lock` gives the block's address and counts, `Unlock` counts down.

const MOVEABLE_BASE: usize = 0x7e80_0000_0000;

/// The block behind a handle: (address, moveable).
fn resolve(h: usize) -> ffi::WsResult<(usize, bool)> {
    match with_heaps(|hs| hs.moveable.get(&h).copied()) {
        Some(p) => Ok((p, true)),
        None => {
            block_info(PROCESS_HEAP_ID, h, |_| ())?;
            Ok((h, false))
        }
    }
}

fn lmem_alloc(flags: u32, bytes: usize) -> ffi::WsResult<usize> {
    // Unknown flag bits are ignored, as Windows does.
    let hf = if flags & LMEM_ZEROINIT != 0 {
        HEAP_ZERO_MEMORY
    } else {
        0
    };
    let moveable = flags & LMEM_MOVEABLE != 0;
    let p = alloc(PROCESS_HEAP_ID, hf, bytes)?;
    if !moveable {
        return Ok(p);
    }
    Ok(with_heaps(|hs| {
        let h = MOVEABLE_BASE + 16 * hs.next_moveable + 8;
        hs.next_moveable += 1;
        hs.moveable.insert(h, p);
        h
    }))
}

fn lmem_free(h: usize) -> ffi::WsResult<()> {
    if h == 0 {
        return Ok(());
    }
    let (p, moveable) = resolve(h).map_err(|_| WsaError::ERROR_INVALID_HANDLE)?;
    free(PROCESS_HEAP_ID, p).map_err(|_| WsaError::ERROR_INVALID_HANDLE)?;
    if moveable {
        with_heaps(|hs| hs.moveable.remove(&h));
    }
    Ok(())
}

fn lmem_size(h: usize) -> ffi::WsResult<usize> {
    let (p, _) = resolve(h).map_err(|_| WsaError::ERROR_INVALID_HANDLE)?;
    block_info(PROCESS_HEAP_ID, p, |b| b.size)
}

fn lmem_realloc(h: usize, bytes: usize, flags: u32) -> ffi::WsResult<usize> {
    let (p, moveable) = resolve(h).map_err(|_| WsaError::ERROR_INVALID_HANDLE)?;
    if flags & LMEM_MODIFY != 0 {
        // Only the moveable/discardable attributes would change; nothing moves.
        return Ok(h);
    }
    let hf = if flags & LMEM_ZEROINIT != 0 {
        HEAP_ZERO_MEMORY
    } else {
        0
    };
    if moveable {
        // A moveable block may move (unless locked); its handle stays.
        let locked = block_info(PROCESS_HEAP_ID, p, |b| b.locks > 0)?;
        let np = realloc(PROCESS_HEAP_ID, hf, p, bytes, locked)?;
        with_heaps(|hs| hs.moveable.insert(h, np));
        return Ok(h);
    }
    // A fixed block moves only when LMEM_MOVEABLE allows it.
    realloc(PROCESS_HEAP_ID, hf, p, bytes, flags & LMEM_MOVEABLE == 0)
}

fn lmem_lock(h: usize) -> ffi::WsResult<usize> {
    let (p, moveable) = resolve(h).map_err(|_| WsaError::ERROR_INVALID_HANDLE)?;
    if moveable {
        block_info(PROCESS_HEAP_ID, p, |b| {
            if b.locks < 0xff {
                b.locks += 1;
            }
        })?;
    }
    Ok(p)
}

/// TRUE while still locked; FALSE with NO_ERROR when the count reached zero, FALSE with
/// ERROR_NOT_LOCKED for a moveable block that was not locked. A fixed block is never locked:
/// `LocalUnlock` fails with ERROR_NOT_LOCKED, `GlobalUnlock` returns TRUE, as on Windows.
fn lmem_unlock(h: usize, global: bool) -> ffi::WsResult<i32> {
    let (p, moveable) = resolve(h).map_err(|_| WsaError::ERROR_INVALID_HANDLE)?;
    if !moveable {
        return if global { Ok(1) } else { Err(WsaError(158)) };
    }
    let r = block_info(PROCESS_HEAP_ID, p, |b| {
        if b.locks == 0 {
            None
        } else {
            b.locks -= 1;
            Some(b.locks)
        }
    })?;
    match r {
        Some(0) => {
            crate::error::set_last_error(0);
            Ok(0)
        }
        Some(_) => Ok(1),
        None => Err(WsaError(158)), // ERROR_NOT_LOCKED
    }
}

/// `HLOCAL LocalAlloc(UINT uFlags, SIZE_T uBytes)`
#[no_mangle]
pub extern "C" fn LocalAlloc(flags: u32, bytes: usize) -> usize {
    let _t = crate::trace_call!("LocalAlloc", flags, bytes);
    ffi::win(0, || lmem_alloc(flags, bytes))
}

/// `HLOCAL LocalFree(HLOCAL hMem)`: NULL on success, the handle on failure.
#[no_mangle]
pub extern "C" fn LocalFree(h: usize) -> usize {
    let _t = crate::trace_call!("LocalFree", h);
    ffi::win(h, || lmem_free(h).map(|_| 0))
}

/// `SIZE_T LocalSize(HLOCAL hMem)`: 0 on failure.
#[no_mangle]
pub extern "C" fn LocalSize(h: usize) -> usize {
    let _t = crate::trace_call!("LocalSize", h);
    ffi::win(0, || lmem_size(h))
}

/// `HLOCAL LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags)`
#[no_mangle]
pub extern "C" fn LocalReAlloc(h: usize, bytes: usize, flags: u32) -> usize {
    let _t = crate::trace_call!("LocalReAlloc", h, bytes, flags);
    ffi::win(0, || lmem_realloc(h, bytes, flags))
}

/// `LPVOID LocalLock(HLOCAL hMem)`
#[no_mangle]
pub extern "C" fn LocalLock(h: usize) -> *mut libc::c_void {
    let _t = crate::trace_call!("LocalLock", h);
    ffi::win(std::ptr::null_mut(), || {
        lmem_lock(h).map(|p| p as *mut libc::c_void)
    })
}

/// `BOOL LocalUnlock(HLOCAL hMem)`
#[no_mangle]
pub extern "C" fn LocalUnlock(h: usize) -> i32 {
    let _t = crate::trace_call!("LocalUnlock", h);
    ffi::win(0, || lmem_unlock(h, false))
}

/// `HGLOBAL GlobalAlloc(UINT uFlags, SIZE_T dwBytes)`
#[no_mangle]
pub extern "C" fn GlobalAlloc(flags: u32, bytes: usize) -> usize {
    let _t = crate::trace_call!("GlobalAlloc", flags, bytes);
    ffi::win(0, || lmem_alloc(flags, bytes))
}

/// `HGLOBAL GlobalFree(HGLOBAL hMem)`: NULL on success, the handle on failure.
#[no_mangle]
pub extern "C" fn GlobalFree(h: usize) -> usize {
    let _t = crate::trace_call!("GlobalFree", h);
    ffi::win(h, || lmem_free(h).map(|_| 0))
}

/// `SIZE_T GlobalSize(HGLOBAL hMem)`: 0 on failure.
#[no_mangle]
pub extern "C" fn GlobalSize(h: usize) -> usize {
    let _t = crate::trace_call!("GlobalSize", h);
    ffi::win(0, || lmem_size(h))
}

/// `HGLOBAL GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags)`
#[no_mangle]
pub extern "C" fn GlobalReAlloc(h: usize, bytes: usize, flags: u32) -> usize {
    let _t = crate::trace_call!("GlobalReAlloc", h, bytes, flags);
    ffi::win(0, || lmem_realloc(h, bytes, flags))
}

/// `LPVOID GlobalLock(HGLOBAL hMem)`
#[no_mangle]
pub extern "C" fn GlobalLock(h: usize) -> *mut libc::c_void {
    let _t = crate::trace_call!("GlobalLock", h);
    ffi::win(std::ptr::null_mut(), || {
        lmem_lock(h).map(|p| p as *mut libc::c_void)
    })
}

/// `BOOL GlobalUnlock(HGLOBAL hMem)`
#[no_mangle]
pub extern "C" fn GlobalUnlock(h: usize) -> i32 {
    let _t = crate::trace_call!("GlobalUnlock", h);
    ffi::win(0, || lmem_unlock(h, true))
}

/// A buffer for `FORMAT_MESSAGE_ALLOCATE_BUFFER`: `len` bytes from `LocalAlloc`.
pub(crate) fn local_alloc_bytes(len: usize) -> ffi::WsResult<*mut u8> {
    lmem_alloc(0, len).map(|p| p as *mut u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_size_free() {
        let h = GetProcessHeap();
        let p = HeapAlloc(h, HEAP_ZERO_MEMORY, 100);
        assert!(!p.is_null());
        assert_eq!(HeapSize(h, 0, p), 100);
        let q = HeapReAlloc(h, HEAP_ZERO_MEMORY, p, 5000);
        assert_eq!(HeapSize(h, 0, q), 5000);
        assert_eq!(HeapFree(h, 0, q), 1);
        assert_eq!(HeapFree(h, 0, q), 0);
    }
}
