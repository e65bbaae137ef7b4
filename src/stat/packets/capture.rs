//! Opening the capture: a packet socket ([`crate::net::packet`]) with the filter
//! compiled to classic BPF ([`crate::net::bpf`]) attached before it is bound, a
//! bounded queue, kernel timestamps — then reading it one packet at a time, skipping
//! what the filter's Rust rule rejects (packets queued under an older, wider filter)
//! and what is not a TCP segment or UDP datagram nettool can read.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::SystemTime;

use anyhow::{Context, anyhow};

use super::parse::{self, Body, Packet};
use crate::net::bpf::{CaptureFilter, PacketMeta};
use crate::net::packet::{PacketSocket, Stats};

/// Bytes of each packet copied to us: IPv6 (40) and a TCP header with every option
/// (60) fit with room for IPv6 extension headers.
pub const SNAPLEN: u32 = 256;
/// The default receive buffer that bounds the queue. Each queued packet costs its whole
/// kernel buffer (on `lo`, up to 64 KiB), so this holds a few hundred bulk segments.
pub const BUFFER: usize = 4 << 20;

/// Capturing without the capability: say how to get it, exit 1.
#[derive(Debug, thiserror::Error)]
#[error(
    "capturing packets needs CAP_NET_RAW: run it with sudo, or let this binary capture: \
     sudo setcap cap_net_raw+ep $(command -v nettool)"
)]
pub struct NeedsCapNetRaw;

/// One packet read off the capture.
#[derive(Debug, Clone)]
pub struct Frame {
    pub time: SystemTime,
    pub ifindex: u32,
    pub packet: Packet,
}

pub struct Capture {
    sock: PacketSocket,
    filter: CaptureFilter,
    buf: Vec<u8>,
    names: HashMap<u32, String>,
}

impl AsFd for Capture {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl AsRawFd for Capture {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_fd().as_raw_fd()
    }
}

impl Capture {
    /// Open a capture on interface `ifindex` (0: every interface) keeping what
    /// `filter` keeps, queueing at most `buffer` bytes in the kernel. Fails with [`NeedsCapNetRaw`] before anything is captured when
    /// the process may not.
    pub fn open(filter: CaptureFilter, ifindex: u32, buffer: usize) -> anyhow::Result<Capture> {
        let prog = filter
            .compile()
            .map_err(|bad| anyhow!("packet filter: {bad}"))?;
        let sock = PacketSocket::open().map_err(|e| match e.raw_os_error() {
            Some(libc::EPERM | libc::EACCES) => anyhow::Error::new(NeedsCapNetRaw),
            _ => anyhow::Error::new(e).context("open a packet socket"),
        })?;
        sock.set_filter(&prog).context("attach the packet filter")?;
        sock.set_buffer(buffer).context("size the capture buffer")?;
        sock.timestamps().context("ask for packet timestamps")?;
        sock.bind(ifindex).context("bind the packet socket")?;
        sock.set_nonblocking(true)?;
        let names = nix::net::if_::if_nameindex()
            .map(|list| {
                list.iter()
                    .map(|i| (i.index(), i.name().to_string_lossy().into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Capture {
            sock,
            filter,
            buf: vec![0; SNAPLEN as usize],
            names,
        })
    }

    /// Replace the filter (in the kernel and here). Packets already queued are
    /// checked against the new rule as they are read.
    pub fn narrow(&mut self, filter: CaptureFilter) -> anyhow::Result<()> {
        let prog = filter
            .compile()
            .map_err(|bad| anyhow!("packet filter: {bad}"))?;
        self.sock
            .set_filter(&prog)
            .context("replace the packet filter")?;
        self.filter = filter;
        Ok(())
    }

    pub fn filter(&self) -> &CaptureFilter {
        &self.filter
    }

    /// The next packet the filter keeps, or `None` when the queue is empty.
    pub fn read(&mut self) -> io::Result<Option<Frame>> {
        loop {
            let c = match self.sock.recv(&mut self.buf) {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let packet = match parse::parse(&self.buf[..c.len.min(self.buf.len())]) {
                Ok(p) => p,
                Err(bad) => {
                    log::debug!("skipping a packet: {bad}");
                    continue;
                }
            };
            let meta = PacketMeta {
                loopback_outgoing: c.loopback_outgoing(),
                tcp: matches!(packet.body, Body::Tcp(_)),
                src: (packet.src.ip(), packet.src.port()),
                dst: (packet.dst.ip(), packet.dst.port()),
            };
            if !self.filter.matches(&meta) {
                continue;
            }
            return Ok(Some(Frame {
                time: c.time,
                ifindex: c.ifindex,
                packet,
            }));
        }
    }

    /// The interface's name (`lo`, `eth0`), or its number if it has gone.
    pub fn iface(&self, index: u32) -> String {
        self.names
            .get(&index)
            .cloned()
            .unwrap_or_else(|| format!("if{index}"))
    }

    /// The kernel's counters: packets kept and those dropped for a full queue.
    pub fn stats(&mut self) -> io::Result<Stats> {
        self.sock.stats()
    }
}
