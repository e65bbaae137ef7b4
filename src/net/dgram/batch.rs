//! Many datagrams per system call: `recvmmsg(2)` and `sendmmsg(2)`, and how a receiver
//! learns that a datagram did not fit its buffer.
//!
//! A datagram is read whole or not at all: when it is larger than the buffer, the
//! kernel copies what fits and *discards the rest*. Two things make that visible:
//! the `MSG_TRUNC` bit in the returned `msg_flags`, and — when `MSG_TRUNC` is also
//! passed as a *flag* to the call (Linux, udp(7)) — a returned length that is the
//! datagram's real size rather than the bytes copied. [`RecvBatch`] does both, so every
//! [`Datagram`] knows its real `len` and how much of it was `kept`.
//!
//! With `SO_RXQ_OVFL` set on the socket each datagram also carries the kernel's count
//! of datagrams dropped so far for a full receive queue.

use std::io::{self, IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::AsRawFd;

use nix::sys::socket::{
    ControlMessageOwned, MsgFlags, MultiHeaders, SockaddrStorage, recvmmsg, sendmmsg,
};
use socket2::Socket;

use crate::net::trace;

/// Who hears of every datagram a batch call moves: the datagram commands' counters
/// and `-x` dump, or — `()` — nobody (the datagram engine counts per peer itself).
/// Keeps this syscall layer free of any reporting.
pub trait Observer {
    fn received(&self, from: Option<SocketAddr>, len: usize, kept: &[u8]);
    fn sent(&self, to: Option<SocketAddr>, payload: &[u8]);
}

impl Observer for () {
    fn received(&self, _: Option<SocketAddr>, _: usize, _: &[u8]) {}
    fn sent(&self, _: Option<SocketAddr>, _: &[u8]) {}
}

/// One received datagram's metadata; its bytes are [`RecvBatch::payload`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datagram {
    /// The sender (`None` only for exotic families).
    pub from: Option<SocketAddr>,
    /// The datagram's real size on the wire.
    pub len: usize,
    /// How many bytes of it fit in the buffer (`kept < len` means truncated).
    pub kept: usize,
}

impl Datagram {
    pub fn truncated(&self) -> bool {
        self.kept < self.len
    }
}

/// Convert nix's socket address to std's.
pub fn to_std(addr: &SockaddrStorage) -> Option<SocketAddr> {
    if let Some(v4) = addr.as_sockaddr_in() {
        return Some(SocketAddr::V4((*v4).into()));
    }
    addr.as_sockaddr_in6()
        .map(|v6| SocketAddr::V6((*v6).into()))
}

/// Preallocated buffers and headers for `recvmmsg(2)`.
pub struct RecvBatch {
    bufs: Vec<u8>,
    size: usize,
    headers: MultiHeaders<SockaddrStorage>,
    got: Vec<Datagram>,
    /// The latest `SO_RXQ_OVFL` counter seen: datagrams the kernel dropped so far.
    pub kernel_drops: u32,
}

impl RecvBatch {
    /// Room for `batch` datagrams of up to `size` bytes each.
    pub fn new(batch: usize, size: usize) -> Self {
        let batch = batch.max(1);
        RecvBatch {
            bufs: vec![0; batch * size.max(1)],
            size: size.max(1),
            headers: MultiHeaders::preallocate(batch, Some(nix::cmsg_space!(u32))),
            got: Vec::with_capacity(batch),
            kernel_drops: 0,
        }
    }

    /// The most datagrams one call can return.
    pub fn capacity(&self) -> usize {
        self.bufs.len() / self.size
    }

    /// Receive up to `max` datagrams without blocking. `Ok(0)` means none was waiting.
    /// An error queued on the socket (e.g. `ECONNREFUSED` after an ICMP port
    /// unreachable on a connected socket) is returned once and thereby cleared.
    pub fn recv(&mut self, sock: &Socket, max: usize, tap: &impl Observer) -> io::Result<usize> {
        self.got.clear();
        let n = max.clamp(1, self.capacity());
        let size = self.size;
        let mut iovs: Vec<[IoSliceMut<'_>; 1]> = self
            .bufs
            .chunks_mut(size)
            .take(n)
            .map(|c| [IoSliceMut::new(c)])
            .collect();
        let flags = MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_TRUNC;
        let fd = sock.as_raw_fd();
        let (got, drops) = (&mut self.got, &mut self.kernel_drops);
        let res = recvmmsg(fd, &mut self.headers, iovs.iter_mut(), flags, None).map(|results| {
            for msg in results {
                if let Ok(cmsgs) = msg.cmsgs() {
                    for c in cmsgs {
                        if let ControlMessageOwned::RxqOvfl(d) = c {
                            *drops = d;
                        }
                    }
                }
                // With MSG_TRUNC passed in, `bytes` is the real size even when cut.
                let len = msg.bytes;
                got.push(Datagram {
                    from: msg.address.as_ref().and_then(to_std),
                    len,
                    kept: len.min(size),
                });
            }
            got.len()
        });
        if trace::io_on() {
            let msgs: Vec<trace::batch::Msg> = self
                .got
                .iter()
                .map(|d| trace::batch::Msg {
                    len: d.len,
                    kept: d.kept,
                })
                .collect();
            let r = res.map_err(io::Error::from);
            trace::batch::recvmmsg(fd, n, "MSG_TRUNC|MSG_DONTWAIT", &r, &msgs);
        }
        match res {
            Ok(_) => {}
            // Non-blocking, so EINTR is as good as "nothing yet": the caller polls again.
            Err(nix::errno::Errno::EAGAIN | nix::errno::Errno::EINTR) => return Ok(0),
            Err(e) => return Err(e.into()),
        }
        for (i, d) in self.got.iter().enumerate() {
            let start = i * self.size;
            tap.received(d.from, d.len, &self.bufs[start..start + d.kept]);
        }
        Ok(self.got.len())
    }

    /// The datagrams of the last [`recv`](Self::recv).
    pub fn datagrams(&self) -> &[Datagram] {
        &self.got
    }

    /// The kept bytes of datagram `i` of the last receive.
    pub fn payload(&self, i: usize) -> &[u8] {
        let start = i * self.size;
        &self.bufs[start..start + self.got[i].kept]
    }
}

/// Send each payload as one datagram with as few `sendmmsg(2)` calls as it takes.
/// `to` gives one destination per payload (`None` for a connected socket). Returns
/// how many were sent before an error; an error after none were sent is returned.
pub fn send_many(
    sock: &Socket,
    payloads: &[&[u8]],
    to: &[Option<SocketAddr>],
    tap: &impl Observer,
) -> io::Result<usize> {
    debug_assert_eq!(payloads.len(), to.len());
    if payloads.is_empty() {
        return Ok(0);
    }
    let addrs: Vec<Option<SockaddrStorage>> =
        to.iter().map(|a| a.map(SockaddrStorage::from)).collect();
    let mut done = 0;
    let mut headers: MultiHeaders<SockaddrStorage> =
        MultiHeaders::preallocate(payloads.len(), None);
    while done < payloads.len() {
        let slices: Vec<[IoSlice<'_>; 1]> =
            payloads[done..].iter().map(|p| [IoSlice::new(p)]).collect();
        let fd = sock.as_raw_fd();
        let flags = MsgFlags::empty();
        let res =
            sendmmsg(fd, &mut headers, slices.iter(), &addrs[done..], [], flags).map(|r| r.count());
        if trace::io_on() {
            let lens: Vec<usize> = payloads[done..].iter().map(|p| p.len()).collect();
            trace::batch::sendmmsg(fd, &lens, &res.map_err(io::Error::from));
        }
        match res {
            Ok(n) => {
                if n == 0 {
                    break;
                }
                for i in done..done + n {
                    tap.sent(to[i], payloads[i]);
                }
                done += n;
            }
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) if done == 0 => return Err(e.into()),
            Err(_) => break,
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::dgram::socket::{DgramOpts, udp_bind};

    fn pair() -> (Socket, Socket, SocketAddr) {
        let a = udp_bind("127.0.0.1:0".parse().unwrap(), &DgramOpts::default()).unwrap();
        let b = udp_bind("127.0.0.1:0".parse().unwrap(), &DgramOpts::default()).unwrap();
        let b_addr = b.local_addr().unwrap().as_socket().unwrap();
        (a, b, b_addr)
    }

    #[test]
    fn batch_round_trip_keeps_boundaries_and_senders() {
        let (a, b, b_addr) = pair();
        let a_addr = a.local_addr().unwrap().as_socket().unwrap();
        let msgs: Vec<&[u8]> = vec![b"one", b"", b"three"];
        assert_eq!(send_many(&a, &msgs, &[Some(b_addr); 3], &()).unwrap(), 3);
        let mut batch = RecvBatch::new(8, 64);
        let mut seen = Vec::new();
        while seen.len() < 3 {
            let n = batch.recv(&b, 8, &()).unwrap();
            for i in 0..n {
                assert_eq!(batch.datagrams()[i].from, Some(a_addr));
                seen.push(batch.payload(i).to_vec());
            }
        }
        assert_eq!(seen, vec![b"one".to_vec(), vec![], b"three".to_vec()]);
    }

    #[test]
    fn oversized_datagram_reports_real_length() {
        let (a, b, b_addr) = pair();
        let big = vec![7u8; 1000];
        send_many(&a, &[&big], &[Some(b_addr)], &()).unwrap();
        let mut batch = RecvBatch::new(4, 100);
        let mut n = 0;
        while n == 0 {
            n = batch.recv(&b, 4, &()).unwrap();
        }
        let d = batch.datagrams()[0];
        assert_eq!((d.len, d.kept, d.truncated()), (1000, 100, true));
        assert_eq!(batch.payload(0).len(), 100);
    }

    #[test]
    fn empty_queue_is_zero_not_an_error() {
        let (_a, b, _) = pair();
        let mut batch = RecvBatch::new(4, 100);
        assert_eq!(batch.recv(&b, 4, &()).unwrap(), 0);
    }
}
