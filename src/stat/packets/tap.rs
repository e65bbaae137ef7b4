//! `--packets` on a client: the packet view of this process's own connection, on
//! stderr beside the data (under `--json`, records on stdout with the others).
//!
//! The SYN leaves inside `connect(2)`, before the client knows its own port, so the
//! capture is opened first, filtered on the destination only. When `connect` returns,
//! [`Tap::connected`] tightens the filter to the exact four-tuple, in the kernel and
//! for the packets already queued; until then nothing is printed. A client that
//! connects more than once (`heartbeat connect --reconnect`) keeps the destination
//! filter and shows each connection whose local socket is its own (asked of
//! sock_diag and `/proc/self/fd`; one that was refused at once has no socket left to
//! ask about and shows too).
//!
//! The view runs on a thread of its own; dropping the [`Tap`] lets it print the last
//! segments (the close) and the states they lead to before the command exits.

use std::collections::HashMap;
use std::io::{BufWriter, Read, Write};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::capture::{BUFFER, Capture, SNAPLEN};
use super::kernel::LocalAddrs;
use super::print::Printer;
use super::session::{LOOK_EVERY, Scope, Session};
use super::tracker::Tracker;
use crate::net::Family;
use crate::net::bpf::{CaptureFilter, Conversation, EndPattern};
use crate::net::iface::{index_of_addr, loopback_index};
use crate::net::wait::{Watch, wait_unsignalled};
use crate::output::{Output, StdoutLines, paint_stderr};

/// How long the end of a connection may take to show after the command is done.
const GRACE: Duration = Duration::from_millis(300);
/// How often to look for it meanwhile.
const FINISH_POLL: Duration = Duration::from_millis(20);

enum Cmd {
    /// This connection is ours: show it only.
    Connected { local: SocketAddr, peer: SocketAddr },
    /// Print what is left and stop.
    Finish,
}

/// A running client packet view.
pub struct Tap {
    tx: Sender<Cmd>,
    wake: UnixStream,
    thread: Option<JoinHandle<()>>,
}

impl Tap {
    /// Open the capture for connections to `dests` (before connecting: the SYN must be
    /// caught). `udp` shows datagrams instead of TCP. With `hold`, nothing shows until
    /// [`connected`](Self::connected) names the connection (or the tap is dropped
    /// without knowing it: a failed connect). Fails at once, before any traffic, without CAP_NET_RAW.
    pub fn open(dests: &[SocketAddr], udp: bool, hold: bool, out: &Output) -> anyhow::Result<Tap> {
        let filter = CaptureFilter {
            tcp: !udp,
            udp,
            family: Family::Any,
            conversations: dests
                .iter()
                .map(|d| Conversation {
                    a: EndPattern::addr(*d),
                    b: None,
                })
                .collect(),
            snaplen: SNAPLEN,
        };
        let local = LocalAddrs::read();
        let cap = Capture::open(filter, route_iface(dests, &local), BUFFER)?;
        let to: Box<dyn Write + Send> = if out.json() {
            Box::new(StdoutLines::default())
        } else {
            Box::new(std::io::stderr())
        };
        let w = BufWriter::with_capacity(16 * 1024, to);
        let printer = Printer::new(out.json(), true, paint_stderr);
        let mut session = Session::new(cap, Tracker::new(local, false), printer, w, Family::Any);
        session.scope = Scope::Mine(HashMap::new());
        session.prime()?;
        let (tx, rx) = channel();
        let (wake, wake_rx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        let out = out.clone();
        let thread = std::thread::Builder::new()
            .name("packets".into())
            .spawn(move || {
                if let Err(e) = view(session, rx, wake_rx, hold, &out) {
                    out.warn(&format!("packet view: {}", crate::error::render(&e)));
                }
            })?;
        Ok(Tap {
            tx,
            wake,
            thread: Some(thread),
        })
    }

    /// `connect` returned: `local` ↔ `peer` is the connection to show.
    pub fn connected(&self, local: SocketAddr, peer: SocketAddr) {
        self.send(Cmd::Connected { local, peer });
    }

    /// [`connected`](Self::connected) with the addresses of a connected socket.
    pub fn connected_socket(&self, sock: &socket2::Socket) {
        let addr = |a: std::io::Result<socket2::SockAddr>| a.ok().and_then(|a| a.as_socket());
        if let (Some(local), Some(peer)) = (addr(sock.local_addr()), addr(sock.peer_addr())) {
            self.connected(local, peer);
        }
    }

    fn send(&self, cmd: Cmd) {
        let _ = self.tx.send(cmd);
        let _ = (&self.wake).write(&[0]);
    }
}

/// Dropping the tap lets the view print the end of the connection (drop it after
/// the socket, so the close is on the wire), then stops it.
impl Drop for Tap {
    fn drop(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = self.tx.send(Cmd::Finish);
            let _ = (&self.wake).write(&[0]);
            let _ = t.join();
        }
    }
}

fn view<W: Write>(
    mut s: Session<W>,
    rx: Receiver<Cmd>,
    wake: UnixStream,
    mut hold: bool,
    out: &Output,
) -> anyhow::Result<()> {
    let mut finishing: Option<Instant> = None;
    loop {
        let mut buf = [0u8; 64];
        while matches!((&wake).read(&mut buf), Ok(n) if n > 0) {}
        for cmd in rx.try_iter() {
            match cmd {
                Cmd::Connected { local, peer } => {
                    let mut f = s.cap.filter().clone();
                    f.conversations = vec![Conversation {
                        a: EndPattern::addr(local),
                        b: Some(EndPattern::addr(peer)),
                    }];
                    s.cap.narrow(f)?;
                    // The filter now names the connection itself.
                    s.scope = Scope::All;
                    hold = false;
                }
                Cmd::Finish => {
                    hold = false;
                    finishing.get_or_insert_with(Instant::now);
                }
            }
        }
        if !hold {
            s.turn(finishing.is_some())?;
            if let Some(total) = s.new_drops()? {
                out.warn(&format!(
                    "packet view: the kernel dropped {}",
                    crate::text::plural(total, "packet")
                ));
            }
        }
        if let Some(since) = finishing {
            let ended = s.tracker.flows.iter().all(|c| c.finished());
            if ended || since.elapsed() >= GRACE {
                s.turn(true)?;
                return Ok(());
            }
        }
        // Finishing: look often for the last segments; a socket on its way: as often
        // as the kernel is worth asking; otherwise only packets or commands wake us.
        let wait = match (finishing.is_some(), !hold && s.tracker.unsettled()) {
            (true, _) => Some(FINISH_POLL),
            (false, true) => Some(LOOK_EVERY),
            _ => None,
        };
        let mut watches = vec![Watch::read(wake.as_fd())];
        if !hold {
            watches.push(Watch::read(s.cap.as_fd()));
        }
        let until = wait.map(|d| Instant::now() + d);
        wait_unsignalled(&mut watches, until).map_err(|e| anyhow::Error::new(e).context("wait"))?;
    }
}

/// The interface traffic to `dests` leaves by: `lo` for this host's own addresses,
/// else the one holding the source address the kernel would pick (a UDP `connect`
/// asks the routing table and sends nothing); 0, every interface, when they differ.
fn route_iface(dests: &[SocketAddr], local: &LocalAddrs) -> u32 {
    let mut found = None;
    for d in dests {
        let idx = if local.contains(d.ip()) {
            loopback_index()
        } else {
            source_iface(d)
        };
        match (found, idx) {
            (_, None) => return 0,
            (None, Some(i)) => found = Some(i),
            (Some(f), Some(i)) if f != i => return 0,
            _ => {}
        }
    }
    found.unwrap_or(0)
}

fn source_iface(dest: &SocketAddr) -> Option<u32> {
    let any: SocketAddr = if dest.is_ipv4() {
        "0.0.0.0:0".parse().ok()?
    } else {
        "[::]:0".parse().ok()?
    };
    let probe = UdpSocket::bind(any).ok()?;
    probe.connect(dest).ok()?;
    let src: IpAddr = probe.local_addr().ok()?.ip();
    index_of_addr(src)
}
