//! The module's allocator: power-of-two size classes, one free list each, carved from memory
//! the module grows. Freed blocks are reused for the same class and never merged.
//!
//! Chosen for size: about 1.5 KB (gzip) smaller than `talc`, which merges neighbours. The
//! module's allocations are short-lived and few (payloads stay in JS), so rounding up to a
//! power of two costs little memory and reuse by class covers the repeated calls. The logic is
//! pure over a [`Memory`], so native tests check it; [`WasmHeap`] puts it on linear memory.

/// Page size of WebAssembly linear memory.
pub const PAGE: usize = 65536;
/// The smallest block: room for the free-list link, and 8-byte alignment for everything.
const MIN_CLASS: u32 = 3;
/// Blocks are carved aligned to their size up to this; larger alignments are checked.
const CARVE_ALIGN: usize = 16;

/// What the heap runs on: memory that grows by pages, and a word stored in a free block.
pub trait Memory {
    /// Grows by `pages`; returns the size before, in pages, or `None` if out of memory.
    fn grow(&mut self, pages: usize) -> Option<usize>;
    /// Reads the free-list link stored at `addr`.
    fn read(&self, addr: usize) -> usize;
    /// Stores a free-list link at `addr`.
    fn write(&mut self, addr: usize, link: usize);
}

/// The allocator's state over some [`Memory`].
pub struct Heap<M> {
    memory: M,
    /// The first free block of each class (0: none; no block starts at 0).
    free: [usize; usize::BITS as usize],
    /// Where the next block is carved, and the end of the memory carved from.
    top: usize,
    end: usize,
}

/// The size class of a request: the exponent of the power of two that holds it.
fn class(size: usize, align: usize) -> Option<u32> {
    let need = size.max(align).max(1 << MIN_CLASS);
    let class = usize::BITS - (need - 1).leading_zeros();
    (class < usize::BITS).then_some(class)
}

fn round_up(n: usize, align: usize) -> Option<usize> {
    Some(n.checked_add(align - 1)? & !(align - 1))
}

impl<M: Memory> Heap<M> {
    /// An empty heap; it takes memory only as blocks are needed.
    pub const fn new(memory: M) -> Self {
        Heap {
            memory,
            free: [0; usize::BITS as usize],
            top: 0,
            end: 0,
        }
    }

    /// A block of at least `size` bytes aligned to `align` (a power of two), or `None`.
    pub fn alloc(&mut self, size: usize, align: usize) -> Option<usize> {
        let class = class(size, align)?;
        let head = self.free[class as usize];
        if head != 0 && head % align == 0 {
            self.free[class as usize] = self.memory.read(head);
            return Some(head);
        }
        self.carve(1 << class, align.max(CARVE_ALIGN.min(1 << class)))
    }

    /// Gives back a block `alloc` returned for the same `size` and `align`.
    pub fn dealloc(&mut self, addr: usize, size: usize, align: usize) {
        if let Some(class) = class(size, align) {
            self.memory.write(addr, self.free[class as usize]);
            self.free[class as usize] = addr;
        }
    }

    /// Whether a block of `old` bytes also holds `new` bytes, so a reallocation can stay put.
    pub fn fits(old: usize, new: usize, align: usize) -> bool {
        class(old, align) == class(new, align)
    }

    fn carve(&mut self, block: usize, align: usize) -> Option<usize> {
        loop {
            let start = round_up(self.top, align)?;
            let stop = start.checked_add(block)?;
            if stop <= self.end {
                self.top = stop;
                return Some(start);
            }
            let pages = (stop - self.end).div_ceil(PAGE);
            let base = self.memory.grow(pages)?.checked_mul(PAGE)?;
            // Someone else grew the memory since: carve from the new pages on.
            if base != self.end {
                self.top = base;
            }
            self.end = base.checked_add(pages * PAGE)?;
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use wasm::WasmHeap;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::{Heap, Memory};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    #[cfg(target_feature = "atomics")]
    compile_error!("`WasmHeap` assumes a single-threaded wasm instance (no atomics)");

    /// Linear memory 0.
    pub(crate) struct Linear;

    impl Memory for Linear {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let before = core::arch::wasm32::memory_grow(0, pages);
            (before != usize::MAX).then_some(before)
        }
        fn read(&self, addr: usize) -> usize {
            // SAFETY: `addr` is a free block of at least 8 bytes, aligned, owned by the heap.
            unsafe { *(addr as *const usize) }
        }
        fn write(&mut self, addr: usize, link: usize) {
            // SAFETY: as in `read`.
            unsafe { *(addr as *mut usize) = link }
        }
    }

    /// [`Heap`] as the global allocator.
    pub(crate) struct WasmHeap(UnsafeCell<Heap<Linear>>);

    // SAFETY: a wasm instance without atomics has one thread (checked above).
    unsafe impl Sync for WasmHeap {}

    impl WasmHeap {
        /// The heap, empty until the first allocation.
        pub(crate) const fn new() -> Self {
            WasmHeap(UnsafeCell::new(Heap::new(Linear)))
        }

        #[allow(clippy::mut_from_ref)]
        fn heap(&self) -> &mut Heap<Linear> {
            // SAFETY: one thread, and no method below calls back into the allocator while it
            // holds this reference.
            unsafe { &mut *self.0.get() }
        }
    }

    unsafe impl GlobalAlloc for WasmHeap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            match self.heap().alloc(layout.size(), layout.align()) {
                Some(addr) => addr as *mut u8,
                None => core::ptr::null_mut(),
            }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            self.heap()
                .dealloc(ptr as usize, layout.size(), layout.align());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if Heap::<Linear>::fits(layout.size(), new_size, layout.align()) {
                return ptr;
            }
            let new = self.heap().alloc(new_size, layout.align());
            let Some(new) = new else {
                return core::ptr::null_mut();
            };
            let new = new as *mut u8;
            // SAFETY: both blocks are live and distinct; the copy fits in both.
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Memory as a vector that starts one page in, so address 0 is never handed out.
    struct Fake {
        bytes: Vec<u8>,
        /// Pages someone else grows before each of our growths (0: none).
        stranger: usize,
        limit: usize,
    }

    impl Memory for Fake {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            let theirs = self.bytes.len() + self.stranger * PAGE;
            self.bytes.resize(theirs, 0);
            let before = theirs / PAGE;
            if before + pages > self.limit {
                return None;
            }
            self.bytes.resize((before + pages) * PAGE, 0);
            Some(before)
        }
        fn read(&self, addr: usize) -> usize {
            usize::from_le_bytes(self.bytes[addr..addr + 8].try_into().unwrap())
        }
        fn write(&mut self, addr: usize, link: usize) {
            self.bytes[addr..addr + 8].copy_from_slice(&link.to_le_bytes());
        }
    }

    fn heap(stranger: usize) -> Heap<Fake> {
        Heap::new(Fake {
            bytes: vec![0; PAGE],
            stranger,
            limit: 4096,
        })
    }

    #[test]
    fn classes_are_powers_of_two_from_eight() {
        assert_eq!(class(0, 1), Some(3));
        assert_eq!(class(8, 8), Some(3));
        assert_eq!(class(9, 1), Some(4));
        assert_eq!(class(1, 64), Some(6));
        assert_eq!(class(PAGE + 1, 8), Some(17));
        assert_eq!(class(usize::MAX, 1), None);
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused_by_class() {
        let mut h = heap(0);
        let mut live: Vec<(usize, usize, usize)> = Vec::new();
        // A deterministic mix of sizes, alignments, frees and reallocations.
        let mut seed = 0x2545_f491_u64;
        for step in 0..5000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if seed % 3 == 0 && !live.is_empty() {
                let (addr, size, align) = live.swap_remove((seed as usize / 3) % live.len());
                h.dealloc(addr, size, align);
                continue;
            }
            let size = [0, 1, 7, 8, 24, 100, 4096, 70_000][(seed >> 8) as usize % 8];
            let align = [1, 4, 8, 16, 64][(seed >> 16) as usize % 5];
            let addr = h.alloc(size, align).expect("memory");
            assert_ne!(addr, 0, "step {step}");
            assert_eq!(
                addr % align,
                0,
                "step {step}: {addr} not aligned to {align}"
            );
            let end = addr + size.max(1);
            assert!(end <= h.memory.bytes.len(), "step {step}: past the memory");
            for &(a, s, _) in &live {
                assert!(end <= a || a + s.max(1) <= addr, "step {step}: overlap");
            }
            live.push((addr, size, align));
        }
        assert!(!live.is_empty());
    }

    #[test]
    fn a_freed_block_comes_back_for_its_class() {
        let mut h = heap(0);
        let a = h.alloc(100, 8).unwrap();
        let b = h.alloc(100, 8).unwrap();
        h.dealloc(a, 100, 8);
        assert_eq!(h.alloc(120, 8), Some(a), "same class (128)");
        assert_ne!(h.alloc(100, 8), Some(b));
        h.dealloc(b, 100, 8);
        assert_ne!(h.alloc(300, 8), Some(b), "another class");
    }

    #[test]
    fn a_misaligned_free_block_is_not_handed_out() {
        let mut h = heap(0);
        let _pad = h.alloc(16, 16).unwrap();
        let a = h.alloc(64, 16).unwrap();
        assert_eq!(a % 16, 0);
        h.dealloc(a, 64, 16);
        let b = h.alloc(1, 64).unwrap();
        assert_eq!(b % 64, 0);
        if a % 64 != 0 {
            assert_ne!(a, b);
        }
    }

    #[test]
    fn grows_by_pages_and_skips_memory_grown_by_others() {
        let mut h = heap(3);
        let a = h.alloc(10, 8).unwrap();
        // The memory was one page; a stranger's 3 pages come first, ours after.
        assert_eq!(a, 4 * PAGE);
        let big = h.alloc(3 * PAGE, 8).unwrap();
        assert_eq!(
            big % PAGE,
            0,
            "a large block is page-aligned in fresh memory"
        );
        assert!(big >= a + 10);
    }

    #[test]
    fn out_of_memory_is_none() {
        let mut h = heap(0);
        assert_eq!(h.alloc(1 << 30, 8), None);
        assert!(
            h.alloc(64, 8).is_some(),
            "still usable after a failed request"
        );
    }

    #[test]
    fn fits_is_same_class() {
        assert!(Heap::<Fake>::fits(20, 32, 8));
        assert!(!Heap::<Fake>::fits(20, 33, 8));
        assert!(Heap::<Fake>::fits(1, 8, 1));
    }
}
