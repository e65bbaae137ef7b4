//! One turn of the packet view, shared by `stat --packets` and the clients' `--packets`:
//! read every queued packet and print it with the state steps it causes, then ask the
//! kernel (sock_diag) how the sockets stand and read again what arrived meanwhile —
//! so every state the kernel reports is explained by the segments already read, or
//! printed as the kernel's own word — and print the differences.
//!
//! Looks at the kernel cost a netlink dump, so they are taken only after a segment
//! that can change a state (SYN, FIN, RST, a new connection), and every
//! [`LOOK_EVERY`] while a socket is still on its way (TIME-WAIT counting down).

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

use super::capture::{Capture, Frame};
use super::flow::norm;
use super::kernel::Snapshot;
use super::parse::Body;
use super::print::Printer;
use super::tracker::Tracker;
use crate::net::Family;
use crate::stat::netlink;

/// How often to look at the kernel while a socket is unsettled and no segment comes.
pub const LOOK_EVERY: Duration = Duration::from_millis(200);
/// The most packets one read of the queue takes before the loop checks for signals
/// and deadlines again.
pub const BATCH: usize = 1024;

/// Which connections the view shows.
pub enum Scope {
    /// Whatever the filter keeps (`stat --packets`).
    All,
    /// This process's own connections to the filter's destinations (a client's
    /// `--packets`): a connection is shown unless the kernel lists its local socket
    /// as another process's. Decided once per connection, at its first segment.
    Mine(HashMap<(SocketAddr, SocketAddr), bool>),
}

pub struct Session<W: Write> {
    pub cap: Capture,
    pub tracker: Tracker,
    pub printer: Printer,
    pub w: W,
    pub family: Family,
    /// Stop after this many packets.
    pub limit: Option<u64>,
    /// Packets printed so far.
    pub shown: u64,
    pub scope: Scope,
    last_look: Option<Instant>,
    /// Whether sock_diag answers (it may be refused where packet sockets are not).
    kernel: bool,
    drops: u64,
}

impl<W: Write> Session<W> {
    pub fn new(cap: Capture, tracker: Tracker, printer: Printer, w: W, family: Family) -> Self {
        Session {
            cap,
            tracker,
            printer,
            w,
            family,
            limit: None,
            shown: 0,
            scope: Scope::All,
            last_look: None,
            kernel: true,
            drops: 0,
        }
    }

    pub fn limit_reached(&self) -> bool {
        self.limit.is_some_and(|n| self.shown >= n)
    }

    fn tcp(&self) -> bool {
        self.cap.filter().tcp
    }

    /// Look at the kernel now, and remember what it said (listeners) without printing.
    pub fn prime(&mut self) -> anyhow::Result<()> {
        if let Some(snap) = self.look()? {
            let _ = self.tracker.reconcile(snap);
        }
        Ok(())
    }

    /// A look at the kernel, if it lets us: where sock_diag is refused the view goes
    /// on with the states the segments give (said once, with `-v`).
    fn look(&mut self) -> anyhow::Result<Option<Snapshot>> {
        if !self.tcp() || !self.kernel {
            return Ok(None);
        }
        match Snapshot::take(self.family) {
            Ok(snap) => {
                self.last_look = Some(Instant::now());
                Ok(Some(snap))
            }
            Err(e) if netlink::unavailable(&e) => {
                log::info!(
                    "netlink sock_diag unavailable ({}): states from the segments only",
                    crate::os_error::describe(&e)
                );
                self.kernel = false;
                Ok(None)
            }
            Err(e) => Err(anyhow::Error::new(e).context("netlink sock_diag")),
        }
    }

    /// One turn (see the module doc); `look` forces a look at the kernel. Returns
    /// whether the packet limit is reached.
    pub fn turn(&mut self, look: bool) -> anyhow::Result<bool> {
        let mut eventful = self.drain()?;
        if self.limit_reached() {
            // A final look only if nothing unread could put the kernel ahead.
            if self.cap.read()?.is_some() {
                self.w.flush()?;
                return Ok(true);
            }
            eventful = true;
        }
        let due =
            self.tracker.unsettled() && self.last_look.is_none_or(|t| t.elapsed() >= LOOK_EVERY);
        if eventful || look || due {
            let Some(snap) = self.look()? else {
                self.w.flush()?;
                return Ok(self.limit_reached());
            };
            self.drain()?;
            let now = SystemTime::now();
            for tr in self.tracker.reconcile(snap) {
                self.printer.state(&mut self.w, now, &tr)?;
            }
        }
        self.w.flush()?;
        Ok(self.limit_reached())
    }

    /// Print the queued packets (up to the limit, and at most [`BATCH`], so a flood
    /// cannot keep a turn from ending); true if one could change a state.
    fn drain(&mut self) -> anyhow::Result<bool> {
        let mut eventful = false;
        for _ in 0..BATCH {
            if self.limit_reached() {
                break;
            }
            let Some(frame) = self.cap.read()? else { break };
            let iface = self.cap.iface(frame.ifindex);
            let Frame { time, packet, .. } = &frame;
            match &packet.body {
                Body::Tcp(seg) => {
                    let new = self.tracker.flows.get(packet.src, packet.dst).is_none();
                    if !self.in_scope(packet.src, packet.dst, new)? {
                        continue;
                    }
                    eventful |= new || seg.flags.syn() || seg.flags.fin() || seg.flags.rst();
                    let shown = self.tracker.segment(packet.src, packet.dst, seg);
                    self.printer
                        .segment(&mut self.w, *time, &iface, packet, seg, &shown)?;
                }
                Body::Udp { len } => {
                    self.printer.datagram(
                        &mut self.w,
                        *time,
                        &iface,
                        packet.src,
                        packet.dst,
                        *len,
                    )?;
                }
            }
            self.shown += 1;
        }
        Ok(eventful)
    }

    fn in_scope(&mut self, a: SocketAddr, b: SocketAddr, new: bool) -> anyhow::Result<bool> {
        let Scope::Mine(decided) = &self.scope else {
            return Ok(true);
        };
        let (a, b) = (norm(a), norm(b));
        let key = if a <= b { (a, b) } else { (b, a) };
        if let Some(&mine) = decided.get(&key) {
            if !new || !mine {
                return Ok(mine);
            }
        }
        // Our end is the one that is not the destination the filter names; only its
        // socket can say whose the connection is (the server's, when it is local
        // too, belongs to someone else by design).
        let is_dest = |x: SocketAddr| {
            let f = self.cap.filter();
            f.conversations
                .iter()
                .any(|c| c.a.matches(x.ip(), x.port()))
        };
        let (ours, theirs) = if is_dest(b) { (a, b) } else { (b, a) };
        // Our descriptors are read before the kernel's table and again after it: a
        // socket of ours that closes in between, or opens, is still recognised.
        let own = || crate::stat::proc::inodes_of(std::process::id() as i32);
        let before = own()?;
        let snap = self.look()?.unwrap_or_default();
        let mine = match snap.socket(ours, theirs) {
            Some((_, inode)) if inode != 0 => before.contains(&inode) || own()?.contains(&inode),
            // Gone already (refused, or TIME-WAIT with no inode): nobody else's.
            _ => true,
        };
        if let Scope::Mine(decided) = &mut self.scope {
            decided.insert(key, mine);
        }
        Ok(mine)
    }

    /// The kernel's drop count, when it has grown since the last call.
    pub fn new_drops(&mut self) -> anyhow::Result<Option<u64>> {
        let s = self.cap.stats()?;
        if s.drops > self.drops {
            self.drops = s.drops;
            return Ok(Some(s.drops));
        }
        Ok(None)
    }

    pub fn drops(&self) -> u64 {
        self.drops
    }
}
