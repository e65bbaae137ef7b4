//! `tcp-echo bench --idle`: open many connections, prove each one is served (one byte
//! echoed), hold them all open for a while, then prove again that every one still
//! echoes. This is how the benchmark script measures what 10,000 idle connections cost
//! a server (its RSS is read from /proc while they are held).

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use socket2::Socket;

use crate::error::Interrupted;
use crate::net::signals::Shutdown;
use crate::net::socket::tcp_connect;
use crate::net::wait::{Woke, sleep_until};

/// What holding the connections showed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdleReport {
    pub requested: usize,
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
    crate::net::limits::raise_nofile();
    let mut open = Vec::with_capacity(count);
    for i in 0..count {
        shutdown.check()?;
        match tcp_connect(addrs, Some(timeout)) {
            Ok(sock) if ping(&sock, i as u8, timeout) => open.push(sock),
            Ok(_) => {}
            Err(e) => log::debug!("idle connection {i}: {}", crate::error::render(&e)),
        }
    }
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
    let still_served = open
        .iter()
        .enumerate()
        .filter(|(i, s)| ping(s, (*i as u8).wrapping_add(1), timeout))
        .count();
    Ok(IdleReport {
        requested: count,
        connected,
        still_served,
    })
}
