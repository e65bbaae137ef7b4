//! `nettool stat --packets`: TCP on the wire beside the socket states — the lesson of
//! the three-way handshake, sequence numbers, windows and the four-way close, seen.
//!
//! A packet socket ([`capture`]) copies the headers of every matching packet, with the
//! filter run in the kernel as classic BPF; [`parse`] reads them; [`flow`] follows
//! each connection's numbers (ISNs, window scale, retransmissions, zero windows,
//! probes); [`model`] walks the TCP state diagram with the segments, and [`kernel`]
//! asks sock_diag what the kernel says, which [`tracker`] reconciles with the model;
//! [`print`] writes lines or JSON and [`session`] runs the turns. [`tap`] is the same
//! view of one client's own connection, for `tcp-echo connect --packets` and
//! `heartbeat connect --packets`.
//!
//! On `lo`, a capture sees every packet twice, leaving and arriving; the copy leaving
//! (`PACKET_OUTGOING` on a loopback device) is dropped by the filter, so each segment
//! shows once. On other interfaces both directions are different packets and both show.

pub mod capture;
pub mod flow;
pub mod kernel;
pub mod model;
pub mod parse;
pub mod print;
pub mod session;
pub mod tap;
pub mod tracker;

use std::io::{BufWriter, Write};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::json;

use self::capture::{BUFFER, Capture, SNAPLEN};
use self::kernel::LocalAddrs;
use self::print::Printer;
use self::session::{LOOK_EVERY, Session};
use self::tracker::Tracker;
use crate::error::Interrupted;
use crate::net::Family;
use crate::net::bpf::{CaptureFilter, Conversation, EndPattern};
use crate::net::signals::Shutdown;
use crate::net::trace;
use crate::net::wait::{Watch, Woke, wait};
use crate::output::{Output, paint_stdout};

/// What `stat --packets` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub tcp: bool,
    pub udp: bool,
    pub family: Family,
    /// `--sport` / `--dport`: a port on either end; both given, the two ends.
    pub sport: Option<u16>,
    pub dport: Option<u16>,
    /// `--iface`: one interface; none = every interface.
    pub iface: Option<String>,
    /// Stop after this many packets.
    pub count: Option<u64>,
    /// Stop after this long.
    pub timeout: Option<Duration>,
    /// Raw sequence numbers instead of relative ones.
    pub absolute: bool,
    /// The kernel's queue for captured packets, bytes (0: the default).
    pub buffer: usize,
}

impl Options {
    pub fn filter(&self) -> CaptureFilter {
        let ports: Vec<u16> = self.sport.into_iter().chain(self.dport).collect();
        let conversations = match ports[..] {
            [] => Vec::new(),
            [p] => vec![Conversation {
                a: EndPattern::port(p),
                b: None,
            }],
            [a, b, ..] => vec![Conversation {
                a: EndPattern::port(a),
                b: Some(EndPattern::port(b)),
            }],
        };
        CaptureFilter {
            tcp: self.tcp,
            udp: self.udp,
            family: self.family,
            conversations,
            snaplen: SNAPLEN,
        }
    }

    /// `lo (tcp and udp, port 7007)`: what the ready line says is being captured.
    fn describe(&self) -> String {
        let on = self.iface.as_deref().unwrap_or("every interface");
        let protos = match (self.tcp, self.udp) {
            (true, true) => "tcp and udp",
            (true, false) => "tcp",
            _ => "udp",
        };
        let family = match self.family {
            Family::V4 => " over IPv4",
            Family::V6 => " over IPv6",
            Family::Any => "",
        };
        let ports = match (self.sport, self.dport) {
            (Some(a), Some(b)) => format!(", between ports {a} and {b}"),
            (Some(p), None) | (None, Some(p)) => format!(", port {p}"),
            (None, None) => String::new(),
        };
        format!("{on} ({protos}{family}{ports})")
    }
}

/// Capture until the count, the timeout or a signal (`Interrupted`, after the
/// summary); exit 1 when `-w` ends a capture that saw nothing.
pub fn run(o: &Options, out: &Output, shutdown: &Shutdown) -> anyhow::Result<()> {
    let ifindex = match &o.iface {
        Some(name) => crate::net::iface::Iface::by_name(name)?.index,
        None => 0,
    };
    let buffer = if o.buffer == 0 { BUFFER } else { o.buffer };
    let cap = Capture::open(o.filter(), ifindex, buffer).context("stat --packets")?;
    let stdout = std::io::stdout();
    let w = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let printer = Printer::new(out.json(), !o.absolute, paint_stdout);
    let tracker = Tracker::new(LocalAddrs::read(), o.absolute);
    // Every family in the looks at the kernel: an IPv6 socket may carry IPv4 (-4).
    let mut s = Session::new(cap, tracker, printer, w, Family::Any);
    s.limit = o.count;
    s.prime()?;

    let what = o.describe();
    eprintln!("capturing on {what}");
    if out.json() {
        let rec = json!({"event": "capturing", "time": crate::output::now_rfc3339(),
                         "iface": o.iface, "filter": what});
        writeln!(s.w, "{rec}")?;
        s.w.flush()?;
    }
    trace::checkpoint("recvmsg", || vec![trace::fd(&s.cap), "MSG_DONTWAIT".into()])?;

    let deadline = o.timeout.map(|t| Instant::now() + t);
    let mut warned: Option<Instant> = None;
    let mut stopped_by = None;
    loop {
        // Look at the kernel's table again soon while a connection is unsettled.
        let look = s.tracker.unsettled().then(|| Instant::now() + LOOK_EVERY);
        let until = match (look, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let woke = wait(&mut [Watch::read(s.cap.as_fd())], shutdown, until).context("wait")?;
        if let Woke::Stop(signal) = woke {
            stopped_by = Some(signal);
            break;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let done = s.turn(false)?;
        // At most one warning a second while the queue overflows.
        if warned.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            if let Some(total) = s.new_drops()? {
                warned = Some(Instant::now());
                out.warn(&format!(
                    "the kernel dropped {} so far: the capture queue (--buffer) was full",
                    crate::text::plural(total, "packet")
                ));
            }
        }
        if done {
            break;
        }
    }
    s.w.flush()?;
    let drops = s.cap.stats().map(|st| st.drops).unwrap_or(s.drops());
    if out.json() {
        let rec = json!({"event": "summary", "time": crate::output::now_rfc3339(),
                         "packets": s.shown, "dropped": drops});
        writeln!(s.w, "{rec}")?;
        s.w.flush()?;
    } else if !out.quiet() {
        eprintln!(
            "{} shown, {drops} dropped by the kernel",
            crate::text::plural(s.shown, "packet")
        );
    }
    if let Some(signal) = stopped_by {
        return Err(Interrupted { signal }.into());
    }
    if s.shown == 0 {
        if let Some(t) = o.timeout {
            anyhow::bail!(
                "stat --packets: no packets within {}",
                crate::text::duration(t)
            );
        }
    }
    Ok(())
}
