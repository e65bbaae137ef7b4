//! The provided buffer ring (`IORING_REGISTER_PBUF_RING`, io_uring_register_buf_ring(3)):
//! the memory every connection's multishot receive lands in.
//!
//! A readiness engine reads into one scratch buffer because it chooses when to read.
//! A completion engine asks the kernel to receive *later*, so it must say into what
//! memory — and a buffer per connection would make 10,000 idle connections cost
//! 10,000 buffers. Instead the engine lends the kernel a ring of `count` buffers; each
//! completion names the buffer it filled (its buffer id), the engine hands the bytes
//! to the service and gives the buffer back at once. An idle connection costs no
//! buffer at all, and the whole receive memory is `count × size`, whatever the number
//! of connections.
//!
//! ```text
//!   ring entries  [addr,len,bid] [addr,len,bid] …   tail (ours) ──► kernel takes from head
//!   buffers       [ buffer 0 ][ buffer 1 ] …         bid → &buffers[bid * size ..]
//! ```
//!
//! Memory: both regions are page-aligned heap allocations made once. The kernel holds
//! on to their addresses until the ring is unregistered or closed, so [`BufRing`] must
//! outlive the [`Ring`](super::ring::Ring) it is registered with (the engine keeps them
//! in one struct and drops the ring first).

use std::alloc::{Layout, alloc, alloc_zeroed, dealloc};
use std::io;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU16, Ordering};

use io_uring::types::BufRingEntry;

const PAGE: usize = 4096;

/// A page-aligned allocation that is freed on drop.
struct Region {
    ptr: NonNull<u8>,
    layout: Layout,
}

impl Region {
    /// `zeroed`: the ring entries must start zeroed; the buffers need not (the kernel
    /// writes a buffer before we read it), and not zeroing them leaves their pages
    /// untouched — not resident — until a receive first lands in them.
    fn new(len: usize, zeroed: bool) -> io::Result<Region> {
        let layout = Layout::from_size_align(len.max(PAGE), PAGE)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: the layout has a non-zero size (at least one page).
        let raw = unsafe {
            if zeroed {
                alloc_zeroed(layout)
            } else {
                alloc(layout)
            }
        };
        let ptr = NonNull::new(raw).ok_or_else(|| io::Error::from(io::ErrorKind::OutOfMemory))?;
        Ok(Region { ptr, layout })
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `alloc_zeroed` with this very layout, and is freed once.
        unsafe { dealloc(self.ptr.as_ptr(), self.layout) }
    }
}

/// `count` receive buffers of `size` bytes lent to the kernel as buffer group `bgid`.
pub struct BufRing {
    entries: Region,
    buffers: Region,
    count: u16,
    size: usize,
    /// Our copy of the ring's tail: how many buffers were ever handed to the kernel.
    tail: u16,
    pub bgid: u16,
}

// SAFETY: the regions are plain memory owned by this value; nothing in it is tied to
// the thread that made it (an engine instance is prepared on one thread and run on
// another under `--workers`).
unsafe impl Send for BufRing {}

impl BufRing {
    /// Allocate the ring and the buffers and hand every buffer to the kernel's side
    /// of the ring (the kernel sees them once the ring is registered).
    pub fn new(count: u16, size: usize, bgid: u16) -> io::Result<BufRing> {
        assert!(
            count.is_power_of_two(),
            "buffer ring size must be a power of two"
        );
        let entries = Region::new(count as usize * std::mem::size_of::<BufRingEntry>(), true)?;
        let buffers = Region::new(count as usize * size, false)?;
        let mut ring = BufRing {
            entries,
            buffers,
            count,
            size,
            tail: 0,
            bgid,
        };
        for bid in 0..count {
            ring.push(bid);
        }
        ring.publish();
        Ok(ring)
    }

    /// The ring's address and length, for `IORING_REGISTER_PBUF_RING`.
    pub fn ring_addr(&self) -> u64 {
        self.entries.ptr.as_ptr() as u64
    }

    pub fn count(&self) -> u16 {
        self.count
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// The `len` bytes the kernel received into buffer `bid`. The borrow ends before
    /// [`recycle`](Self::recycle) can give the buffer back (it takes `&mut self`).
    pub fn filled(&self, bid: u16, len: usize) -> &[u8] {
        assert!(
            bid < self.count && len <= self.size,
            "buffer id out of range"
        );
        // SAFETY: buffer `bid` lies inside `buffers` (checked above). A completion that
        // names `bid` means the kernel has written `len` bytes there and took the buffer
        // off the ring: it will not write it again until `recycle` puts it back, which
        // the `&self` borrow of the returned slice rules out while it is alive.
        unsafe {
            std::slice::from_raw_parts(self.buffers.ptr.as_ptr().add(bid as usize * self.size), len)
        }
    }

    /// Give buffer `bid` back to the kernel.
    pub fn recycle(&mut self, bid: u16) {
        self.push(bid);
        self.publish();
    }

    fn push(&mut self, bid: u16) {
        let slot = (self.tail & (self.count - 1)) as usize;
        // SAFETY: `slot < count`, so the entry lies inside `entries`. The kernel only
        // reads entries between its head and our published tail; this slot is past the
        // tail (its previous buffer was consumed: the completion handing it to us came
        // first), so nobody reads it while we write it.
        let entry = unsafe { &mut *self.entries.ptr.as_ptr().cast::<BufRingEntry>().add(slot) };
        // SAFETY: as above for `bid < count`: the buffer lies inside `buffers`.
        let addr = unsafe { self.buffers.ptr.as_ptr().add(bid as usize * self.size) };
        entry.set_addr(addr as u64);
        entry.set_len(self.size as u32);
        entry.set_bid(bid);
        self.tail = self.tail.wrapping_add(1);
    }

    /// Make pushed entries visible to the kernel (a release store of the tail).
    fn publish(&self) {
        let base = self.entries.ptr.as_ptr().cast::<BufRingEntry>();
        // SAFETY: `base` is the ring's first entry, initialised (zeroed, then written by
        // `push`); its `resv` field is the shared tail the kernel reads with acquire
        // ordering. It is 2-byte aligned and lives as long as `self`.
        let tail = unsafe { AtomicU16::from_ptr(BufRingEntry::tail(base).cast_mut()) };
        tail.store(self.tail, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_buffer_starts_on_the_ring_and_comes_back() {
        let mut r = BufRing::new(8, 1024, 0).unwrap();
        assert_eq!(
            r.ring_addr() % PAGE as u64,
            0,
            "the kernel wants a page-aligned ring"
        );
        assert_eq!(r.tail, 8);
        r.recycle(3);
        assert_eq!(r.tail, 9);
        // Slot 0 now names buffer 3 again (the ring wrapped).
        // SAFETY: slot 0 of a ring of 8, read back in a test after `push` wrote it.
        let e = unsafe { &*r.entries.ptr.as_ptr().cast::<BufRingEntry>() };
        assert_eq!((e.bid(), e.len()), (3, 1024));
    }
}
