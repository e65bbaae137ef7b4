//! `tcp-echo bench --idle`: open many connections, prove each one is served (one byte
//! echoed), hold them all open for a while, then prove again that every one still
//! echoes. This is how the benchmark scripts measure what 10,000 (or as many as the
//! descriptor limit allows) idle connections cost a server (its RSS is read from /proc
//! while they are held).
//!
//! One client address can hold at most one connection per ephemeral port
//! (`net.ipv4.ip_local_port_range`, about 28,000) to one server address, so against a
//! loopback server the connections are spread over source addresses: the first
//! [`PER_SOURCE`] from the default one, the next from 127.0.0.2, then 127.0.0.3, …
//! (all of 127.0.0.0/8 is loopback; each source has its own port range).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use socket2::Socket;

use crate::error::Interrupted;
use crate::net::signals::Shutdown;
use crate::net::socket::tcp_connect_from;
use crate::net::trace::Closing;
use crate::net::wait::{Woke, sleep_until};

/// Descriptors the load generator keeps for itself (standard streams, signal pipe,
/// libraries) beside the connections.
pub const RESERVED_FDS: u64 = 32;

/// Connections per source address (well inside one address's ephemeral port range,
/// with room for earlier runs' TIME-WAIT).
pub const PER_SOURCE: usize = 16_000;

/// The source address of connection `i` to `target`: the default one for the first
/// [`PER_SOURCE`], then 127.0.0.2, 127.0.0.3, … for an IPv4 loopback target (other
/// targets cannot be reached from other addresses; they keep the default).
pub fn source_for(i: usize, target: &SocketAddr) -> Option<IpAddr> {
    let n = i / PER_SOURCE;
    match target.ip() {
        IpAddr::V4(v4) if n > 0 && v4.is_loopback() && n < 250 => {
            Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1 + n as u8)))
        }
        _ => None,
    }
}

/// What holding the connections showed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdleReport {
    pub requested: usize,
    /// Source addresses the connections came from.
    pub sources: usize,
    /// Connections that opened and echoed one byte.
    pub connected: usize,
    /// Of those, the ones that still echoed after the hold.
    pub still_served: usize,
}

/// One byte out, the same byte back, within `timeout`.
fn ping(sock: &Socket, byte: u8, timeout: Duration) -> bool {
    let mut got = [0u8; 1];
    sock.set_read_timeout(Some(timeout)).is_ok()
        && (&*sock).write_all(&[byte]).is_ok()
        && (&*sock).read_exact(&mut got).is_ok()
        && got[0] == byte
}

/// Raise the descriptor limit and check that `count` connections (one descriptor
/// each here, beside [`RESERVED_FDS`]) fit under it; the error names the limit and
/// what stopped it from going higher.
pub fn fd_budget(count: usize, what: &str) -> anyhow::Result<()> {
    let limit = crate::net::limits::raise_nofile();
    let need = count as u64 + RESERVED_FDS;
    if need > limit.soft {
        anyhow::bail!(
            "{what}: {count} connections need {need} descriptors, but RLIMIT_NOFILE is {} \
             (stopped by {}); at most {} fit",
            limit.soft,
            limit.stopped_by,
            limit.soft.saturating_sub(RESERVED_FDS)
        );
    }
    Ok(())
}

/// Open connections number `range` to `addrs` (spread over source addresses, see
/// [`source_for`]), each proven served by one echoed byte. Returns the ones that were;
/// SIGINT/SIGTERM end it early (`Err(Interrupted)`).
pub fn open_idle(
    addrs: &[SocketAddr],
    range: std::ops::Range<usize>,
    timeout: Duration,
    shutdown: &Shutdown,
) -> anyhow::Result<Vec<Closing<Socket>>> {
    let mut open = Vec::with_capacity(range.len());
    for i in range {
        shutdown.check()?;
        let from = addrs
            .first()
            .and_then(|a| source_for(i, a))
            .map(|ip| SocketAddr::new(ip, 0));
        match tcp_connect_from(addrs, from, Some(timeout)) {
            Ok(sock) => {
                let sock = Closing::new(sock);
                if ping(&sock, i as u8, timeout) {
                    open.push(sock);
                }
            }
            Err(e) => log::debug!("idle connection {i}: {}", crate::error::render(&e)),
        }
    }
    Ok(open)
}

/// Connections checked at once after the hold: a batch's bytes are all written before
/// any answer is read, so the server answers a batch in a few turns. One at a time,
/// each check cost poll and select a scan of every descriptor: 10,000 took minutes.
const CHECK_BATCH: usize = 500;

/// How many of `open` still echo a byte.
pub fn still_served(open: &[Closing<Socket>], timeout: Duration) -> usize {
    let byte = |i: usize| (i as u8).wrapping_add(1);
    let mut served = 0;
    for (b, batch) in open.chunks(CHECK_BATCH).enumerate() {
        let first = b * CHECK_BATCH;
        let sent: Vec<bool> = batch
            .iter()
            .enumerate()
            .map(|(j, s)| {
                s.set_read_timeout(Some(timeout)).is_ok()
                    && (&**s).write_all(&[byte(first + j)]).is_ok()
            })
            .collect();
        for (j, (s, sent)) in batch.iter().zip(sent).enumerate() {
            let mut got = [0u8; 1];
            if sent && (&**s).read_exact(&mut got).is_ok() && got[0] == byte(first + j) {
                served += 1;
            }
        }
    }
    served
}

/// Open `count` connections to `addrs`, call `holding` with how many are open and
/// served, wait `hold`, then check them all again. SIGINT/SIGTERM end it early
/// (`Err(Interrupted)`).
pub fn hold_idle(
    addrs: &[SocketAddr],
    count: usize,
    hold: Duration,
    timeout: Duration,
    shutdown: &Shutdown,
    holding: impl FnOnce(usize),
) -> anyhow::Result<IdleReport> {
    fd_budget(count, "bench --idle")?;
    let open = open_idle(addrs, 0..count, timeout, shutdown)?;
    // The last connection's source is the highest one used.
    let last = addrs.first().zip(count.checked_sub(1));
    let sources = match last.and_then(|(a, i)| source_for(i, a)) {
        Some(_) => 1 + (count - 1) / PER_SOURCE,
        None => 1,
    };
    let connected = open.len();
    holding(connected);
    let until = Instant::now() + hold;
    loop {
        match sleep_until(shutdown, until)? {
            Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
            Woke::Timeout => break,
            Woke::Ready => {}
        }
    }
    Ok(IdleReport {
        requested: count,
        sources,
        connected,
        still_served: still_served(&open, timeout),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_the_hold_only_connections_that_echo_count() {
        // More than one batch; every third connection closed by the server.
        let n = CHECK_BATCH + 10;
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let mut kept: Vec<_> = (0..n)
                .map(|_| l.accept().unwrap().0)
                .enumerate()
                .filter(|(i, _)| i % 3 != 0)
                .map(|(_, s)| s)
                .collect();
            for s in kept.iter_mut() {
                let mut b = [0u8; 1];
                s.read_exact(&mut b).unwrap();
                s.write_all(&b).unwrap();
            }
            kept
        });
        let open: Vec<Closing<Socket>> = (0..n)
            .map(|_| Closing::new(std::net::TcpStream::connect(addr).unwrap().into()))
            .collect();
        let served = still_served(&open, Duration::from_secs(10));
        let kept = server.join().unwrap();
        assert_eq!((served, kept.len()), (n - n.div_ceil(3), n - n.div_ceil(3)));
    }

    #[test]
    fn loopback_connections_spread_over_source_addresses() {
        let lo: SocketAddr = "127.0.0.1:7".parse().unwrap();
        assert_eq!(source_for(0, &lo), None);
        assert_eq!(source_for(PER_SOURCE - 1, &lo), None);
        assert_eq!(
            source_for(PER_SOURCE, &lo),
            Some("127.0.0.2".parse().unwrap())
        );
        assert_eq!(
            source_for(6 * PER_SOURCE + 5, &lo),
            Some("127.0.0.7".parse().unwrap())
        );
        // Not loopback, or IPv6 (one loopback address): the default source only.
        assert_eq!(
            source_for(PER_SOURCE, &"192.0.2.1:7".parse().unwrap()),
            None
        );
        assert_eq!(source_for(PER_SOURCE, &"[::1]:7".parse().unwrap()), None);
    }
}
