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
//! **Incremental consumption** (`IOU_PBUF_RING_INC`, Linux 6.12): a receive takes only
//! the bytes it needs from the buffer at the head, and the next receive (of any
//! connection) goes on where it stopped; the buffer comes back to us only once it is
//! used up. So the buffers can be large (one 64 KiB receive for a bulk stream, as the
//! epoll engines read) while thousands of one-byte messages touch a few pages instead
//! of every buffer. A completion that leaves part of its buffer to the kernel says so
//! (`IORING_CQE_F_BUF_MORE`). Older kernels refuse the flag; the ring then works the
//! classic way, one buffer per receive.
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
    /// Registered with `IOU_PBUF_RING_INC`: receives share buffers.
    incremental: bool,
    /// Incremental: bytes of each buffer already handed to us.
    used: Vec<u32>,
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
            incremental: false,
            used: vec![0; count as usize],
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

    /// Record how the ring was registered.
    pub fn set_incremental(&mut self, on: bool) {
        self.incremental = on;
    }

    /// The `len` bytes a receive completion delivered in buffer `bid` (incremental:
    /// after the bytes earlier completions took from it). The borrow ends before
    /// [`consumed`](Self::consumed) can give the buffer back (it takes `&mut self`).
    pub fn filled(&self, bid: u16, len: usize) -> &[u8] {
        let at = self.used.get(bid as usize).copied().unwrap_or(0) as usize;
        assert!(
            bid < self.count && at + len <= self.size,
            "buffer id out of range"
        );
        // SAFETY: `at + len` bytes from buffer `bid`'s start lie inside `buffers`
        // (checked above). A completion naming `bid` means the kernel has written these
        // `len` bytes at `at` and will not write them again: incremental, it only ever
        // moves on past them; classic, it took the whole buffer off the ring. Only
        // `consumed` may hand the buffer back, which the `&self` borrow of the returned
        // slice rules out while it is alive.
        unsafe {
            std::slice::from_raw_parts(
                self.buffers.ptr.as_ptr().add(bid as usize * self.size + at),
                len,
            )
        }
    }

    /// The bytes of a completion were handled: `more` (`IORING_CQE_F_BUF_MORE`) says the
    /// kernel keeps filling the rest of the buffer; otherwise it is ours again and goes
    /// back on the ring.
    pub fn consumed(&mut self, bid: u16, len: usize, more: bool) {
        if self.incremental && more {
            self.used[bid as usize] += len as u32;
        } else {
            self.used[bid as usize] = 0;
            self.push(bid);
            self.publish();
        }
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
        r.consumed(3, 10, false);
        assert_eq!(r.tail, 9);
        // Slot 0 now names buffer 3 again (the ring wrapped).
        // SAFETY: slot 0 of a ring of 8, read back in a test after `push` wrote it.
        let e = unsafe { &*r.entries.ptr.as_ptr().cast::<BufRingEntry>() };
        assert_eq!((e.bid(), e.len()), (3, 1024));
    }

    #[test]
    fn incremental_receives_move_on_within_a_buffer() {
        let mut r = BufRing::new(8, 1024, 0).unwrap();
        r.set_incremental(true);
        let base = r.buffers.ptr.as_ptr();
        // SAFETY: the first 30 bytes of buffer 0, written here as the kernel would.
        unsafe {
            std::ptr::copy_nonoverlapping(b"abcdefghijklmnopqrstuvwxyz0123".as_ptr(), base, 30)
        };
        assert_eq!(r.filled(0, 10), b"abcdefghij");
        r.consumed(0, 10, true);
        assert_eq!(r.tail, 8, "a buffer the kernel still fills is not recycled");
        assert_eq!(r.filled(0, 20), b"klmnopqrstuvwxyz0123");
        r.consumed(0, 20, false);
        assert_eq!((r.tail, r.used[0]), (9, 0));
    }
}
