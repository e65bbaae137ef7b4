//! The send side every datagram command shares: where the datagrams come from (the
//! MESSAGE arguments, stdin line by line, stdin in `--raw` chunks, or probes), how many
//! and how fast (`-n`, `--interval`), and for `udp send -w` the replies.
//!
//! Without `--interval` datagrams leave in batches of up to 64 per `sendmmsg(2)`. Every
//! payload is checked against the UDP limit first: a datagram that cannot exist is an
//! error, not a silently cut or fragmented surprise.

use std::io::{self, BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use socket2::Socket;

use super::batch::{RecvBatch, send_many};
use super::probe::{Probe, new_run_id};
use super::recv::{Printer, wait_readable};
use super::socket::check_payload;
use crate::error::Interrupted;
use crate::net::signals::Shutdown;
use crate::output::Output;

const BATCH: usize = 64;

/// Where the datagrams come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The MESSAGE arguments, each one datagram, exactly as given; repeated `-n` times.
    Messages(Vec<Vec<u8>>),
    /// stdin, one datagram per line (the newline included, as read).
    Lines,
    /// stdin in chunks of up to this many bytes (`--raw --size N`).
    Chunks(usize),
    /// Probe datagrams of this size (at least the probe header).
    Probes(usize),
}

/// A send job.
#[derive(Debug, Clone)]
pub struct SendJob {
    pub source: Source,
    /// Messages: repetitions (default 1). stdin: at most this many datagrams.
    /// Probes: how many (default 10).
    pub count: Option<u64>,
    pub interval: Option<Duration>,
    /// `udp send -w`: after sending, wait this long for more replies, printing them.
    pub replies: Option<Duration>,
}

/// What a send did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendStats {
    pub datagrams: u64,
    pub bytes: u64,
    pub replies: u64,
    /// Sends refused because the peer's port is closed (ICMP port unreachable).
    pub refused: u64,
}

/// Produces the datagrams of a job one at a time.
struct Feed {
    source: Source,
    stdin: Option<BufReader<io::Stdin>>,
    limit: Option<u64>,
    made: u64,
    index: usize,
    run: u32,
}

impl Feed {
    fn new(job: &SendJob) -> Feed {
        let stdin = matches!(job.source, Source::Lines | Source::Chunks(_))
            .then(|| BufReader::with_capacity(1 << 20, io::stdin()));
        let limit = match (&job.source, job.count) {
            (Source::Messages(m), n) => Some(m.len() as u64 * n.unwrap_or(1)),
            (Source::Probes(_), n) => Some(n.unwrap_or(10)),
            (_, n) => n,
        };
        Feed {
            source: job.source.clone(),
            stdin,
            limit,
            made: 0,
            index: 0,
            run: new_run_id(),
        }
    }

    /// The next datagram into `buf`; `false` when there are no more.
    fn next(&mut self, buf: &mut Vec<u8>) -> anyhow::Result<bool> {
        if self.limit.is_some_and(|l| self.made >= l) {
            return Ok(false);
        }
        buf.clear();
        let more = match &self.source {
            Source::Messages(m) => {
                buf.extend_from_slice(&m[self.index % m.len()]);
                self.index += 1;
                true
            }
            Source::Probes(size) => {
                Probe::encode_now(self.run, self.made, self.limit.unwrap_or(0), *size, buf);
                true
            }
            Source::Lines => {
                let r = self.stdin.as_mut().expect("stdin feed");
                r.read_until(b'\n', buf).context("read stdin")? > 0
            }
            Source::Chunks(size) => {
                let r = self.stdin.as_mut().expect("stdin feed");
                buf.resize(*size, 0);
                let mut got = 0;
                while got < *size {
                    match r.read(&mut buf[got..]) {
                        Ok(0) => break,
                        Ok(n) => got += n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(anyhow!(e).context("read stdin")),
                    }
                }
                buf.truncate(got);
                got > 0
            }
        };
        if more {
            self.made += 1;
        }
        Ok(more)
    }
}

/// Send a job on `sock` to `to` (`None` when the socket is connected).
///
/// `printer` receives replies (connected `udp send` only); when `job.replies` is set,
/// the send waits that long after the last datagram or reply before it returns. A
/// refused port (`ECONNREFUSED`, from ICMP port unreachable on a connected socket) is
/// an error when replies are awaited, and otherwise one warning: the queued error is
/// consumed by the call that reports it, so nothing spins on it.
pub fn run_sender(
    sock: &Socket,
    to: SocketAddr,
    connected: bool,
    job: &SendJob,
    out: &Output,
    shutdown: &Shutdown,
    mut printer: Option<&mut Printer>,
) -> anyhow::Result<SendStats> {
    let dest = (!connected).then_some(to);
    let mut feed = Feed::new(job);
    let mut stats = SendStats::default();
    let mut replies = RecvBatch::new(BATCH, 65_536);
    let per_call = if job.interval.is_some() { 1 } else { BATCH };
    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); per_call];
    let mut first = true;
    loop {
        if shutdown.requested().is_some() {
            return Err(Interrupted.into());
        }
        let mut n = 0;
        while n < per_call && feed.next(&mut bufs[n])? {
            check_payload(bufs[n].len(), &to)?;
            n += 1;
        }
        if n == 0 {
            break;
        }
        if let (Some(d), false) = (job.interval, first) {
            // Between datagrams: sleep, but keep printing replies and heed signals.
            pause(
                sock,
                d,
                shutdown,
                &mut replies,
                &mut printer,
                &mut stats,
                job,
                out,
                &to,
            )?;
        }
        first = false;
        let payloads: Vec<&[u8]> = bufs[..n].iter().map(|b| b.as_slice()).collect();
        let mut sent = 0;
        while sent < n {
            match send_many(sock, &payloads[sent..n], &vec![dest; n - sent]) {
                Ok(k) => {
                    for p in &payloads[sent..sent + k] {
                        stats.bytes += p.len() as u64;
                    }
                    stats.datagrams += k as u64;
                    sent += k;
                }
                Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
                    refused(&mut stats, job, out, &to)?;
                    // The datagram that met the queued error was not sent; retry it.
                }
                Err(e) => return Err(anyhow!(e).context(format!("send to {to}"))),
            }
        }
        drain_replies(sock, &mut replies, &mut printer, &mut stats, job, out, &to)?;
    }
    if let Some(wait) = job.replies {
        let mut last = Instant::now();
        loop {
            let left = wait.saturating_sub(last.elapsed());
            if left.is_zero() {
                break;
            }
            if shutdown.requested().is_some() {
                return Err(Interrupted.into());
            }
            if wait_readable(sock, shutdown, Some(left + Duration::from_millis(1)))?
                && drain_replies(sock, &mut replies, &mut printer, &mut stats, job, out, &to)? > 0
            {
                last = Instant::now();
            }
        }
    }
    Ok(stats)
}

#[allow(clippy::too_many_arguments)]
fn pause(
    sock: &Socket,
    d: Duration,
    shutdown: &Shutdown,
    replies: &mut RecvBatch,
    printer: &mut Option<&mut Printer>,
    stats: &mut SendStats,
    job: &SendJob,
    out: &Output,
    to: &SocketAddr,
) -> anyhow::Result<()> {
    let until = Instant::now() + d;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        if shutdown.requested().is_some() {
            return Err(Interrupted.into());
        }
        if printer.is_some() {
            if wait_readable(sock, shutdown, Some(left))? {
                drain_replies(sock, replies, printer, stats, job, out, to)?;
            }
        } else {
            sleep_or_signal(shutdown, left)?;
        }
    }
}

/// Sleep for `d`, waking early for SIGINT/SIGTERM (the self-pipe turns readable).
fn sleep_or_signal(shutdown: &Shutdown, d: Duration) -> anyhow::Result<()> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    if d < Duration::from_millis(1) {
        // poll(2) counts whole milliseconds; a shorter pause is a plain nanosleep.
        std::thread::sleep(d);
        return Ok(());
    }
    let ms = d.as_millis().min(i32::MAX as u128) as i32;
    let mut fds = [PollFd::new(shutdown.as_fd(), PollFlags::POLLIN)];
    match poll(
        &mut fds,
        PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
    ) {
        Ok(_) | Err(nix::errno::Errno::EINTR) => Ok(()),
        Err(e) => Err(anyhow!(e).context("poll")),
    }
}

/// Print whatever replies are queued; returns how many.
fn drain_replies(
    sock: &Socket,
    batch: &mut RecvBatch,
    printer: &mut Option<&mut Printer>,
    stats: &mut SendStats,
    job: &SendJob,
    out: &Output,
    to: &SocketAddr,
) -> anyhow::Result<u64> {
    let Some(p) = printer.as_deref_mut() else {
        return Ok(0);
    };
    let mut total = 0;
    loop {
        match batch.recv(sock, BATCH) {
            Ok(0) => return Ok(total),
            Ok(n) => {
                p.print_batch(batch, n)?;
                stats.replies += n as u64;
                total += n as u64;
            }
            Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
                refused(stats, job, out, to)?;
            }
            Err(e) => return Err(anyhow!(e).context("receive a reply")),
        }
    }
}

fn refused(
    stats: &mut SendStats,
    job: &SendJob,
    out: &Output,
    to: &SocketAddr,
) -> anyhow::Result<()> {
    stats.refused += 1;
    if job.replies.is_some() {
        return Err(anyhow!(
            "{to}: connection refused (ICMP port unreachable: nothing listens on that UDP port)"
        ));
    }
    if stats.refused == 1 {
        out.warn(&format!(
            "{to}: port unreachable (ICMP): nothing listens there; datagrams are being discarded"
        ));
    }
    Ok(())
}
