//! The global allocator: a small size-class allocator in place of dlmalloc (which is about
//! 4 KB of the binary), counting live bytes so that leak tests and the benchmark can read what
//! Rust holds (`__stats`).
//!
//! Every request is rounded up to a power of two (at least 8 bytes) and served from that
//! size's free list, or else from fresh memory at the end of the heap, grown with
//! `memory.grow`. Freed blocks go back to their list and are reused for the same size; blocks
//! are never split or merged. That wastes at most half of each block and keeps each size's
//! memory at its peak, which suits mpsocket: a handful of sizes (commands, queue rings,
//! `errMsg` strings) whose peaks are bounded by the queue limits. wasm32 here is
//! single-threaded, so the state needs no lock.
#![allow(unsafe_code)]

use core::arch::wasm32;
use core::cell::UnsafeCell;
use std::alloc::{GlobalAlloc, Layout};

const PAGE: usize = 65536;
/// Size classes 2^0 .. 2^31; the first three are never used (the minimum block is 8 bytes).
const CLASSES: usize = 32;

struct State {
    /// Head of each class's free list (0: empty). A free block's first word links the next.
    free: [usize; CLASSES],
    /// Next unused byte of the heap, and the end of the memory grown so far.
    bump: usize,
    end: usize,
    /// Bytes currently allocated, as requested.
    live: usize,
}

struct Heap(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread; nothing is
// shared across threads.
unsafe impl Sync for Heap {}

#[global_allocator]
static HEAP: Heap = Heap(UnsafeCell::new(State { free: [0; CLASSES], bump: 0, end: 0, live: 0 }));

/// The class of a request: log2 of its block size, or `None` beyond 2 GiB.
fn class(layout: &Layout) -> Option<usize> {
    let n = layout.size().max(layout.align()).max(8).checked_next_power_of_two()?;
    let k = n.trailing_zeros() as usize;
    (k < CLASSES).then_some(k)
}

impl State {
    fn fresh(&mut self, k: usize) -> *mut u8 {
        if self.end == 0 {
            // Start past everything the module was given (data, stack, its own heap base).
            self.bump = wasm32::memory_size(0) * PAGE;
            self.end = self.bump;
        }
        let size = 1usize << k;
        // A block is aligned to its size, up to a page (no layout here asks for more).
        let align = size.min(PAGE);
        let start = match self.bump.checked_add(align - 1) {
            Some(v) => v & !(align - 1),
            None => return core::ptr::null_mut(),
        };
        let Some(stop) = start.checked_add(size) else {
            return core::ptr::null_mut();
        };
        if stop > self.end {
            let pages = (stop - self.end).div_ceil(PAGE);
            if wasm32::memory_grow(0, pages) == usize::MAX {
                return core::ptr::null_mut();
            }
            self.end += pages * PAGE;
        }
        self.bump = stop;
        start as *mut u8
    }
}

// SAFETY: blocks handed out are disjoint (each comes from the bump region once, or from a
// free list it was returned to), sized and aligned for the layout's class; a freed block is
// only relinked, never touched again until handed out anew.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(k) = class(&layout) else {
            return core::ptr::null_mut();
        };
        let s = unsafe { &mut *self.0.get() };
        let head = s.free[k];
        let p = if head != 0 {
            s.free[k] = unsafe { *(head as *const usize) };
            head as *mut u8
        } else {
            s.fresh(k)
        };
        if !p.is_null() {
            s.live += layout.size();
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(k) = class(&layout) else { return };
        let s = unsafe { &mut *self.0.get() };
        unsafe { *(ptr as *mut usize) = s.free[k] };
        s.free[k] = ptr as usize;
        s.live -= layout.size();
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        if class(&layout) == class(&new) {
            let s = unsafe { &mut *self.0.get() };
            s.live = s.live - layout.size() + new_size;
            return ptr;
        }
        let p = unsafe { self.alloc(new) };
        if !p.is_null() {
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        p
    }
}

/// Bytes currently allocated by Rust.
pub fn live_bytes() -> usize {
    // SAFETY: single-threaded; a plain read of a counter.
    unsafe { (*HEAP.0.get()).live }
}
