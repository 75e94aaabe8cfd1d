//! Flat result blocks. A `hostent`, a `servent` or an `addrinfo` list is laid out in one
//! block with pointers between its parts; the block is built at offsets, then copied to its
//! final place (per-thread storage, or a heap block `freeaddrinfo` releases) and its internal
//! pointers relocated.

use parking_lot::Mutex;
use std::alloc::Layout;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::thread::LocalKey;

/// A block under construction: bytes plus the offsets of pointer fields, which hold an
/// offset into the block until the block is placed.
#[derive(Default)]
pub struct Blob {
    bytes: Vec<u8>,
    relocs: Vec<usize>,
}

impl Blob {
    pub fn new() -> Blob {
        Blob::default()
    }

    /// A zeroed region of `size` bytes aligned to `align` (at most 8); returns its offset.
    pub fn reserve(&mut self, size: usize, align: usize) -> usize {
        let at = self.bytes.len().next_multiple_of(align);
        self.bytes.resize(at + size, 0);
        at
    }

    /// Copy `data` in, aligned to `align`; returns its offset.
    pub fn push(&mut self, data: &[u8], align: usize) -> usize {
        let at = self.reserve(data.len(), align);
        self.bytes[at..at + data.len()].copy_from_slice(data);
        at
    }

    /// A NUL-terminated narrow string; returns its offset.
    pub fn cstr(&mut self, s: &[u8]) -> usize {
        let at = self.push(s, 1);
        self.bytes.push(0);
        at
    }

    /// A NUL-terminated UTF-16 string; returns its offset.
    pub fn wstr(&mut self, s: &str) -> usize {
        let units: Vec<u8> = s
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_ne_bytes)
            .collect();
        self.push(&units, 2)
    }

    pub fn put(&mut self, at: usize, data: &[u8]) {
        self.bytes[at..at + data.len()].copy_from_slice(data);
    }

    pub fn put_i16(&mut self, at: usize, v: i16) {
        self.put(at, &v.to_ne_bytes());
    }

    pub fn put_i32(&mut self, at: usize, v: i32) {
        self.put(at, &v.to_ne_bytes());
    }

    pub fn put_usize(&mut self, at: usize, v: usize) {
        self.put(at, &v.to_ne_bytes());
    }

    /// A pointer field at `at` that points to offset `target` of this block (NULL for `None`).
    pub fn put_ptr(&mut self, at: usize, target: Option<usize>) {
        match target {
            Some(t) => {
                self.put_usize(at, t);
                self.relocs.push(at);
            }
            None => self.put_usize(at, 0),
        }
    }

    /// A NULL-terminated array of pointers to `targets`; returns its offset.
    pub fn ptr_array(&mut self, targets: &[usize]) -> usize {
        let at = self.reserve((targets.len() + 1) * 8, 8);
        for (k, &t) in targets.iter().enumerate() {
            self.put_ptr(at + 8 * k, Some(t));
        }
        at
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Copy the block to `dst` and turn its pointer fields into addresses.
    ///
    /// # Safety
    /// `dst` must be valid for `self.len()` bytes and 8-aligned.
    unsafe fn place(&self, dst: *mut u8) {
        // SAFETY: the caller guarantees room for every byte.
        unsafe { std::ptr::copy_nonoverlapping(self.bytes.as_ptr(), dst, self.bytes.len()) };
        for &at in &self.relocs {
            let target = usize::from_ne_bytes(self.bytes[at..at + 8].try_into().unwrap_or([0; 8]));
            // SAFETY: `at + 8 <= len`, so the field lies inside the block just copied.
            unsafe { (dst.add(at) as *mut usize).write_unaligned(dst as usize + target) };
        }
    }

    /// Place the block in per-thread storage `slot`, replacing what the previous call of
    /// the same kind left there (as Windows documents). The storage keeps its address while
    /// the new block fits, so repeated lookups return the same pointer.
    pub fn into_thread_slot(self, slot: &'static LocalKey<RefCell<Vec<u64>>>) -> *mut u8 {
        slot.with(|cell| {
            let mut words = cell.borrow_mut();
            words.clear();
            words.resize(self.len().div_ceil(8), 0);
            let dst = words.as_mut_ptr() as *mut u8;
            // SAFETY: the vector holds at least `len` bytes and u64 storage is 8-aligned.
            unsafe { self.place(dst) };
            dst
        })
    }

    /// Place the block in a fresh heap allocation that [`release`] frees.
    pub fn into_heap(self) -> Option<*mut u8> {
        let layout = Layout::from_size_align(self.len().max(8), 8).ok()?;
        // SAFETY: the layout has a non-zero size.
        let dst = unsafe { std::alloc::alloc(layout) };
        if dst.is_null() {
            return None;
        }
        // SAFETY: `dst` holds at least `len` bytes and is 8-aligned.
        unsafe { self.place(dst) };
        LIVE.lock().insert(dst as usize, layout);
        Some(dst)
    }
}

/// Heap blocks handed out by [`Blob::into_heap`] and not yet released.
static LIVE: Mutex<BTreeMap<usize, Layout>> = Mutex::new(BTreeMap::new());

/// Free the block at address `addr` if [`Blob::into_heap`] made it. Anything else (NULL, an
/// address inside a block, a block already freed, memory of another allocator) is left
/// alone; returns whether a block was freed.
pub fn release(addr: usize) -> bool {
    let Some(layout) = LIVE.lock().remove(&addr) else {
        return false;
    };
    // SAFETY: `addr` came from `alloc` with this layout and was still registered, so it is
    // freed exactly once.
    unsafe { std::alloc::dealloc(addr as *mut u8, layout) };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_relocated_and_heap_blocks_freed_once() {
        let mut b = Blob::new();
        let head = b.reserve(16, 8);
        let s = b.cstr(b"abc");
        b.put_ptr(head, Some(s));
        b.put_ptr(head + 8, None);
        let p = b.into_heap().unwrap();
        // SAFETY: test reads back the block it just built.
        unsafe {
            let first = *(p as *const *const u8);
            assert_eq!(
                std::ffi::CStr::from_ptr(first as *const _).to_bytes(),
                b"abc"
            );
            assert!((*(p.add(8) as *const *const u8)).is_null());
        }
        assert!(!release(p as usize + 8));
        assert!(release(p as usize));
        assert!(!release(p as usize));
        assert!(!release(0));
    }

    thread_local! {
        static SLOT: RefCell<Vec<u64>> = RefCell::new(Vec::with_capacity(128));
    }

    #[test]
    fn thread_slot_keeps_its_address() {
        let mut a = Blob::new();
        a.reserve(40, 8);
        let p1 = a.into_thread_slot(&SLOT);
        let mut b = Blob::new();
        b.reserve(64, 8);
        let p2 = b.into_thread_slot(&SLOT);
        assert_eq!(p1, p2);
    }
}
