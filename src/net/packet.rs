//! AF_PACKET (packet(7)): a socket that receives a copy of every packet an interface
//! sends or receives, below TCP and UDP — what tcpdump reads. Opening one needs
//! CAP_NET_RAW.
//!
//! nettool opens it as `SOCK_DGRAM` ("cooked"): the kernel strips the link header, so
//! every packet starts at its IP header on any kind of interface, and says in a
//! `sockaddr_ll` where the packet was seen (`sll_ifindex`), how (`sll_pkttype`:
//! `PACKET_HOST` arriving, `PACKET_OUTGOING` leaving) and on what kind of link
//! (`sll_hatype`, `ARPHRD_LOOPBACK` for `lo`).
//!
//! The order of setup matters. A packet socket made with protocol 0 receives nothing;
//! the classic BPF filter ([`crate::net::bpf`]) is attached next, and only then does
//! `bind(2)` with `ETH_P_ALL` and an interface index start the flow — so not one
//! unfiltered packet is queued. The queue is the socket's receive buffer (`SO_RCVBUF`):
//! bounded, and when it is full the kernel drops the packet and counts it in
//! `tp_drops` (`PACKET_STATISTICS`), which [`PacketSocket::stats`] reads. Each packet
//! carries the kernel's receive time (`SO_TIMESTAMPNS`, an `SCM_TIMESTAMPNS` control
//! message), so gaps between segments are the wire's, not our scheduler's.

use std::io::{self, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::{Duration, SystemTime};

use nix::sys::socket::{
    ControlMessageOwned, MsgFlags, SockaddrLike, SockaddrStorage, recvmsg, setsockopt, sockopt,
};
use socket2::{Domain, SockAddr, Socket, Type};

use crate::net::bpf::Insn;
use crate::net::socket::{set_bool_opt, set_int_opt};
use crate::net::trace;

/// Where and how one packet was seen, and its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Captured {
    /// Bytes copied into the buffer (at most the filter's snap length).
    pub len: usize,
    pub ifindex: u32,
    /// `PACKET_HOST`, `PACKET_OUTGOING`, … (linux/if_packet.h).
    pub pkttype: u8,
    /// `ARPHRD_*` (linux/if_arp.h).
    pub hatype: u16,
    /// The EtherType, host order (0x0800 IPv4, 0x86dd IPv6).
    pub protocol: u16,
    /// When the kernel saw it.
    pub time: SystemTime,
}

impl Captured {
    /// A copy of a packet leaving through a loopback device, which the kernel also
    /// delivers as arriving: the duplicate a capture skips.
    pub fn loopback_outgoing(&self) -> bool {
        self.pkttype == libc::PACKET_OUTGOING && self.hatype == libc::ARPHRD_LOOPBACK
    }
}

/// The kernel's counters (`struct tpacket_stats`), summed since the socket opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Packets that passed the filter.
    pub packets: u64,
    /// Of those, packets dropped because the receive buffer was full.
    pub drops: u64,
}

/// An AF_PACKET `SOCK_DGRAM` socket.
pub struct PacketSocket {
    sock: Socket,
    stats: Stats,
}

impl AsFd for PacketSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl PacketSocket {
    /// `socket(AF_PACKET, SOCK_DGRAM, 0)`: no packets until [`bind`](Self::bind).
    /// Without CAP_NET_RAW this fails with `EPERM`.
    pub fn open() -> io::Result<PacketSocket> {
        let sock = trace::call(
            "socket",
            || {
                vec![
                    "AF_PACKET".into(),
                    "SOCK_DGRAM|SOCK_CLOEXEC".into(),
                    "0".into(),
                ]
            },
            || Socket::new(Domain::PACKET, Type::DGRAM.cloexec(), None),
        )?;
        Ok(PacketSocket {
            sock,
            stats: Stats::default(),
        })
    }

    /// `SO_ATTACH_FILTER` (socket(7)): replace the classic BPF program. Packets already
    /// queued under the old program stay queued.
    pub fn set_filter(&self, prog: &[Insn]) -> io::Result<()> {
        let filters: Vec<socket2::SockFilter> = prog.iter().map(|i| i.to_sock_filter()).collect();
        trace::call(
            "setsockopt",
            || {
                vec![
                    trace::fd(&self.sock),
                    "SOL_SOCKET".into(),
                    "SO_ATTACH_FILTER".into(),
                    format!("{{len={}, filter=…}}", prog.len()),
                ]
            },
            || self.sock.attach_filter(&filters),
        )
    }

    /// Bound the queue at `bytes` of receive buffer: `SO_RCVBUFFORCE` (which may pass
    /// `net.core.rmem_max`, with CAP_NET_ADMIN), else `SO_RCVBUF` (capped by it).
    /// Returns the size the kernel settled on (it doubles the value, see socket(7)).
    pub fn set_buffer(&self, bytes: usize) -> io::Result<usize> {
        let forced = set_int_opt(&self.sock, "SOL_SOCKET", "SO_RCVBUFFORCE", bytes, |s, v| {
            setsockopt(s, sockopt::RcvBufForce, &v).map_err(io::Error::from)
        });
        if forced.is_err() {
            crate::net::socket::set_buffer_sizes(&self.sock, Some(bytes), None)?;
        }
        self.sock.recv_buffer_size()
    }

    /// `SO_TIMESTAMPNS` (socket(7)): a receive time with every packet.
    pub fn timestamps(&self) -> io::Result<()> {
        set_bool_opt(&self.sock, "SOL_SOCKET", "SO_TIMESTAMPNS", true, |s, v| {
            setsockopt(s, sockopt::ReceiveTimestampns, &v).map_err(io::Error::from)
        })
    }

    /// `bind(2)` to `{AF_PACKET, ETH_P_ALL, ifindex}`: start receiving every protocol
    /// on that interface, or on all of them with index 0.
    pub fn bind(&self, ifindex: u32) -> io::Result<()> {
        // SAFETY: sockaddr_ll is a plain C struct for which all-zero bytes are valid.
        let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        sll.sll_family = libc::AF_PACKET as u16;
        sll.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
        sll.sll_ifindex = ifindex as i32;
        let len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        // SAFETY: the closure writes a fully initialised sockaddr_ll, whose size `len`
        // is within sockaddr_storage, and reports that length; nothing is read uninit.
        let ((), addr) = unsafe {
            SockAddr::try_init(|storage, out_len| {
                std::ptr::write(storage.cast::<libc::sockaddr_ll>(), sll);
                *out_len = len;
                Ok(())
            })
        }?;
        trace::call(
            "bind",
            || {
                vec![
                    trace::fd(&self.sock),
                    format!(
                        "{{sll_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex={ifindex} ({})}}",
                        crate::net::iface::index_name(ifindex)
                    ),
                ]
            },
            || self.sock.bind(&addr),
        )
    }

    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        crate::net::socket::set_nonblocking(&self.sock, on)
    }

    /// `recvmsg(2)` one packet into `buf`, with where it was seen and when.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<Captured> {
        let mut iov = [IoSliceMut::new(buf)];
        let mut cmsg = nix::cmsg_space!(nix::sys::time::TimeSpec);
        let msg = recvmsg::<SockaddrStorage>(
            self.sock.as_raw_fd(),
            &mut iov,
            Some(&mut cmsg),
            MsgFlags::MSG_DONTWAIT,
        )
        .map_err(io::Error::from)?;
        let mut time = SystemTime::now();
        for c in msg.cmsgs().map_err(io::Error::from)? {
            if let ControlMessageOwned::ScmTimestampns(ts) = c {
                time = SystemTime::UNIX_EPOCH
                    + Duration::new(ts.tv_sec().max(0) as u64, ts.tv_nsec().max(0) as u32);
            }
        }
        let link = msg
            .address
            .as_ref()
            .filter(|a| a.family() == Some(nix::sys::socket::AddressFamily::Packet))
            .and_then(|a| a.as_link_addr())
            .ok_or_else(|| io::Error::other("a packet without its sockaddr_ll"))?;
        Ok(Captured {
            len: msg.bytes,
            ifindex: link.ifindex() as u32,
            pkttype: link.pkttype(),
            hatype: link.hatype(),
            protocol: u16::from_be(link.protocol()),
            time,
        })
    }

    /// `getsockopt(PACKET_STATISTICS)`: the kernel's counters. Each read resets them,
    /// so this adds them up and returns the totals.
    pub fn stats(&mut self) -> io::Result<Stats> {
        let mut s = libc::tpacket_stats {
            tp_packets: 0,
            tp_drops: 0,
        };
        let mut len = std::mem::size_of::<libc::tpacket_stats>() as libc::socklen_t;
        // SAFETY: the pointer and length describe `s`, a tpacket_stats the kernel fills
        // (and `len` tells it how much room there is).
        let rc = unsafe {
            libc::getsockopt(
                self.sock.as_raw_fd(),
                libc::SOL_PACKET,
                libc::PACKET_STATISTICS,
                (&mut s as *mut libc::tpacket_stats).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        self.stats.packets += u64::from(s.tp_packets);
        self.stats.drops += u64::from(s.tp_drops);
        Ok(self.stats)
    }
}
