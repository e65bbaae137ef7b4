//! Port scanning (netcat's `-z`): which ports of one host answer, many probes in
//! flight at once, each bounded by its own timeout.
//!
//! TCP is a connect scan: a non-blocking `connect(2)` per port, then `poll(2)` for
//! writability and `SO_ERROR` says how it ended — a completed handshake is **open**,
//! a RST (`ECONNREFUSED`) **closed**, silence until the timeout or an ICMP
//! unreachable **filtered**. UDP has no handshake: an empty datagram goes out on a
//! connected socket; a reply means **open**, an ICMP port unreachable comes back as
//! `ECONNREFUSED` (**closed**), and silence is **open|filtered** — the port may
//! listen and not answer, or a firewall may drop the probe (nmap's words).
//!
//! Results are handed out in port order, whatever order the probes finish in, so the
//! output of a scan is the same on every run.

use std::io;
use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::Context;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use crate::error::Interrupted;
use crate::net::dgram::socket::{DgramOpts, udp_socket};
use crate::net::signals::Shutdown;
use crate::net::socket::{bind_source, connect_error, new_socket, set_nonblocking};
use crate::net::trace::Closing;
use crate::net::wait::{Watch, Woke, wait};
use crate::net::{addr, trace};
use crate::os_error::Target;

/// What a probe learnt about one port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortState {
    Open,
    Closed,
    Filtered,
    /// UDP silence: listening without answering, or dropped on the way.
    OpenFiltered,
}

impl PortState {
    /// The word printed and put in `--json` records (nmap's).
    pub fn name(self) -> &'static str {
        match self {
            PortState::Open => "open",
            PortState::Closed => "closed",
            PortState::Filtered => "filtered",
            PortState::OpenFiltered => "open|filtered",
        }
    }
}

/// Which probe to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanProto {
    Tcp,
    Udp,
}

/// How a scan runs.
#[derive(Debug, Clone)]
pub struct ScanOpts {
    pub proto: ScanProto,
    /// Probes in flight at once (`--parallel`).
    pub parallel: usize,
    /// How long each probe waits for its answer (`-w`).
    pub timeout: Duration,
    /// Bind every probe here first (`-s`).
    pub source: Option<SocketAddr>,
}

/// How many ports ended in each state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanCounts {
    pub open: u64,
    pub closed: u64,
    pub filtered: u64,
    /// UDP ports that stayed silent.
    pub open_filtered: u64,
}

/// A probe on its way.
struct Probe {
    index: usize,
    /// Closed (and shown closed) once the probe has its answer.
    sock: Closing<Socket>,
    deadline: Instant,
}

enum Started {
    Done(PortState),
    Waiting(Closing<Socket>),
}

/// Probe `ports` of `base`'s host, calling `report` once per port, in port order.
/// SIGINT/SIGTERM end the scan with [`Interrupted`].
pub fn scan(
    base: SocketAddr,
    ports: &[u16],
    opts: &ScanOpts,
    shutdown: &Shutdown,
    report: &mut dyn FnMut(SocketAddr, PortState),
) -> anyhow::Result<ScanCounts> {
    let at = |i: usize| {
        let mut a = base;
        a.set_port(ports[i]);
        a
    };
    let mut results: Vec<Option<PortState>> = vec![None; ports.len()];
    let mut reported = 0usize;
    let mut counts = ScanCounts::default();
    let mut flight: Vec<Probe> = Vec::with_capacity(opts.parallel);
    let mut next = 0usize;
    let mut buf = [0u8; 512];
    while reported < ports.len() {
        while flight.len() < opts.parallel.max(1) && next < ports.len() {
            match start(at(next), opts)? {
                Started::Done(state) => results[next] = Some(state),
                Started::Waiting(sock) => flight.push(Probe {
                    index: next,
                    sock,
                    deadline: Instant::now() + opts.timeout,
                }),
            }
            next += 1;
        }
        if !flight.is_empty() {
            let soonest = flight.iter().map(|p| p.deadline).min();
            let mut watches: Vec<Watch<'_>> = flight
                .iter()
                .map(|p| {
                    Watch::new(
                        p.sock.as_fd(),
                        opts.proto == ScanProto::Udp,
                        opts.proto == ScanProto::Tcp,
                    )
                })
                .collect();
            let woke = wait(&mut watches, shutdown, soonest).context("wait for the probes")?;
            if let Woke::Stop(signal) = woke {
                return Err(Interrupted { signal }.into());
            }
            let ready: Vec<bool> = watches.iter().map(Watch::ready).collect();
            drop(watches);
            let now = Instant::now();
            let mut waiting = Vec::with_capacity(flight.len());
            for (p, was_ready) in flight.drain(..).zip(ready) {
                let answered = if was_ready {
                    answer(&p.sock, opts.proto, &mut buf)
                } else {
                    None
                };
                let silent = match opts.proto {
                    ScanProto::Tcp => PortState::Filtered,
                    ScanProto::Udp => PortState::OpenFiltered,
                };
                match answered.or_else(|| (now >= p.deadline).then_some(silent)) {
                    Some(state) => results[p.index] = Some(state),
                    None => waiting.push(p),
                }
            }
            flight = waiting;
        }
        while reported < ports.len() {
            let Some(state) = results[reported] else {
                break;
            };
            match state {
                PortState::Open => counts.open += 1,
                PortState::Closed => counts.closed += 1,
                PortState::Filtered => counts.filtered += 1,
                PortState::OpenFiltered => counts.open_filtered += 1,
            }
            report(at(reported), state);
            reported += 1;
        }
    }
    Ok(counts)
}

/// Send one probe; some end at once (a refused loopback connect, an unreachable net).
fn start(to: SocketAddr, opts: &ScanOpts) -> anyhow::Result<Started> {
    let sock = Closing::new(match opts.proto {
        ScanProto::Tcp => {
            let domain = if to.is_ipv4() {
                Domain::IPV4
            } else {
                Domain::IPV6
            };
            new_socket(domain, Type::STREAM, Some(Protocol::TCP))
                .with_context(|| format!("create a TCP socket for {to}"))?
        }
        ScanProto::Udp => udp_socket(to.is_ipv6(), &DgramOpts::default())?,
    });
    if let Some(src) = opts.source {
        bind_source(&sock, src)?;
    }
    set_nonblocking(&sock, true)?;
    let target: SockAddr = to.into();
    let shown = || vec![trace::fd(&sock), addr::display(&to)];
    let res = match opts.proto {
        ScanProto::Tcp => trace::action("connect", shown, || sock.connect(&target)),
        ScanProto::Udp => trace::call("connect", shown, || sock.connect(&target)).and_then(|()| {
            trace::action(
                "send",
                || vec![trace::fd(&sock), "\"\"".into(), "0".into()],
                || sock.send(&[]).map(drop),
            )
        }),
    };
    match res {
        Ok(()) if opts.proto == ScanProto::Tcp => Ok(Started::Done(PortState::Open)),
        Ok(()) => Ok(Started::Waiting(sock)),
        Err(e) if trace::is_stop(&e) => Err(e.into()),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok(Started::Waiting(sock)),
        Err(e) => match refusal(&e) {
            Some(state) => Ok(Started::Done(state)),
            None => Err(connect_error(
                &addr::display(&to),
                Target::Inet(to),
                e,
                None,
            )),
        },
    }
}

/// What a ready probe says, or `None` if it has nothing to say yet.
fn answer(sock: &Socket, proto: ScanProto, buf: &mut [u8]) -> Option<PortState> {
    match proto {
        ScanProto::Tcp => match sock.take_error() {
            Ok(None) => Some(PortState::Open),
            Ok(Some(e)) | Err(e) => Some(refusal(&e).unwrap_or(PortState::Filtered)),
        },
        ScanProto::Udp => match io::Read::read(&mut &*sock, buf) {
            Ok(_) => Some(PortState::Open),
            Err(e) if crate::net::io::would_block(&e) => None,
            Err(e) => Some(refusal(&e).unwrap_or(PortState::Filtered)),
        },
    }
}

/// An error that answers the probe: refused is closed; unreachable (an ICMP error,
/// or a route or firewall rule that refuses locally) is filtered.
fn refusal(e: &io::Error) -> Option<PortState> {
    match e.raw_os_error()? {
        libc::ECONNREFUSED => Some(PortState::Closed),
        libc::EHOSTUNREACH | libc::ENETUNREACH | libc::EACCES | libc::EPERM | libc::ETIMEDOUT => {
            Some(PortState::Filtered)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn open_and_closed_ports_in_order() {
        let shutdown = Shutdown::install().unwrap();
        let open = TcpListener::bind("127.0.0.1:0").unwrap();
        let open_port = open.local_addr().unwrap().port();
        let closed_port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut ports = vec![open_port, closed_port];
        ports.sort();
        let opts = ScanOpts {
            proto: ScanProto::Tcp,
            parallel: 1,
            timeout: Duration::from_secs(2),
            source: None,
        };
        let mut seen = Vec::new();
        let counts = scan(
            "127.0.0.1:0".parse().unwrap(),
            &ports,
            &opts,
            &shutdown,
            &mut |a, s| seen.push((a.port(), s)),
        )
        .unwrap();
        assert_eq!(
            counts,
            ScanCounts {
                open: 1,
                closed: 1,
                ..Default::default()
            }
        );
        let want: Vec<_> = ports
            .iter()
            .map(|&p| {
                (
                    p,
                    if p == open_port {
                        PortState::Open
                    } else {
                        PortState::Closed
                    },
                )
            })
            .collect();
        assert_eq!(seen, want);
    }
}
