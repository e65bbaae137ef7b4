//! The send side every datagram command shares: where the datagrams come from (the
//! MESSAGE arguments, stdin line by line, stdin in `--raw` chunks, or probes), how many
//! and how fast (`-n`, `--interval`), and for `udp send -w` the replies.
//!
//! Without `--interval` datagrams leave in batches of up to 64 per `sendmmsg(2)`. Every
//! payload is checked against the UDP limit first: a datagram that cannot exist is an
//! error, not a silently cut or fragmented surprise.

use std::io::{self, BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use socket2::Socket;

use super::probe::{Probe, new_run_id};
use super::recv::{Printer, wait_readable};
use super::tap::DgramTap;
use crate::error::Interrupted;
use crate::net::dgram::batch::{RecvBatch, send_many};
use crate::net::dgram::socket::check_payload;
use crate::net::signals::Shutdown;
use crate::net::wait::{Watch, Woke, wait};
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

    /// Whether the next datagram can be produced without blocking on stdin: stdin
    /// datagrams join a `sendmmsg` batch only when already buffered, so a line typed
    /// at a terminal leaves at once instead of waiting for 63 more.
    fn ready(&self) -> bool {
        match (&self.source, &self.stdin) {
            (Source::Lines, Some(r)) => r.buffer().contains(&b'\n'),
            (Source::Chunks(size), Some(r)) => r.buffer().len() >= *size,
            _ => true,
        }
    }

    /// Whether reading the next datagram may block (stdin with nothing buffered).
    fn may_block(&self) -> bool {
        self.stdin.as_ref().is_some_and(|r| r.buffer().is_empty())
    }
}

/// Send a job on `sock` to `to` (`connected`: the socket was `connect`ed to it).
///
/// `printer` receives replies (connected `udp send` only); they are printed while
/// sending, while waiting for stdin, and — when `job.replies` is set — for that long
/// after the last datagram or reply. A refused port (`ECONNREFUSED`, from ICMP port
/// unreachable on a connected socket) is an error when replies are awaited, and
/// otherwise one warning: the queued error is consumed by the call that reports it,
/// so nothing spins on it.
pub fn run_sender(
    sock: &Socket,
    to: SocketAddr,
    connected: bool,
    job: &SendJob,
    shutdown: &Shutdown,
    printer: Option<&mut Printer>,
    tap: &DgramTap,
) -> anyhow::Result<SendStats> {
    let out = tap.out();
    crate::net::trace::checkpoint("sendmmsg", || vec![crate::net::trace::fd(sock)])?;
    // Room for replies only where they are read (a connected `udp send`).
    let replies = match printer {
        Some(_) => RecvBatch::new(BATCH, 65_536),
        None => RecvBatch::new(1, 1),
    };
    let mut s = Sender {
        sock,
        to,
        job,
        out,
        shutdown,
        printer,
        tap,
        // Room for replies only where they are read (a connected `udp send`).
        replies,
        stats: SendStats::default(),
    };
    s.run(connected)?;
    Ok(s.stats)
}

struct Sender<'a> {
    sock: &'a Socket,
    to: SocketAddr,
    job: &'a SendJob,
    out: &'a Output,
    shutdown: &'a Shutdown,
    printer: Option<&'a mut Printer>,
    tap: &'a DgramTap,
    replies: RecvBatch,
    stats: SendStats,
}

impl Sender<'_> {
    fn run(&mut self, connected: bool) -> anyhow::Result<()> {
        let dest = (!connected).then_some(self.to);
        let mut feed = Feed::new(self.job);
        let per_call = if self.job.interval.is_some() {
            1
        } else {
            BATCH
        };
        let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); per_call];
        let mut first = true;
        loop {
            self.check_signal()?;
            if let (Some(d), false) = (self.job.interval, first) {
                // Between datagrams: sleep, but keep printing replies and heed signals.
                self.pause(d)?;
            }
            if feed.may_block() {
                self.wait_stdin()?;
            }
            let mut n = 0;
            while n < per_call && (n == 0 || feed.ready()) && feed.next(&mut bufs[n])? {
                check_payload(bufs[n].len(), &self.to)?;
                n += 1;
            }
            if n == 0 {
                break;
            }
            first = false;
            let payloads: Vec<&[u8]> = bufs[..n].iter().map(|b| b.as_slice()).collect();
            let mut sent = 0;
            while sent < n {
                match send_many(
                    self.sock,
                    &payloads[sent..n],
                    &vec![dest; n - sent],
                    self.tap,
                ) {
                    Ok(k) => {
                        for p in &payloads[sent..sent + k] {
                            self.stats.bytes += p.len() as u64;
                        }
                        self.stats.datagrams += k as u64;
                        sent += k;
                    }
                    // The datagram that met the queued error was not sent; retry it.
                    Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => self.refused()?,
                    Err(e) => return Err(send_error(self.to, e)),
                }
            }
            self.drain_replies()?;
        }
        if let Some(wait) = self.job.replies {
            let mut last = Instant::now();
            loop {
                match wait_readable(self.sock, self.shutdown, Some(last + wait), self.tap)? {
                    Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
                    Woke::Timeout => return Ok(()),
                    Woke::Ready => {
                        if self.drain_replies()? > 0 {
                            last = Instant::now();
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn check_signal(&self) -> anyhow::Result<()> {
        Ok(self.shutdown.check()?)
    }

    /// Sleep for `d`, printing replies that arrive meanwhile, waking for signals.
    /// Waits round up to whole milliseconds, so the wait covers all but the last
    /// millisecond and a plain nanosleep the rest: `--interval 1ms` stays 1 ms.
    fn pause(&mut self, d: Duration) -> anyhow::Result<()> {
        let until = Instant::now() + d;
        let fine = Duration::from_millis(1);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            self.check_signal()?;
            if left <= fine {
                std::thread::sleep(left);
                return Ok(());
            }
            let sock = self.printer.is_some().then_some(self.sock);
            if poll_for(sock, None, self.shutdown, Some(until - fine), self.tap)?.0 {
                self.drain_replies()?;
            }
        }
    }

    /// Block until stdin has input (or EOF), printing replies meanwhile.
    fn wait_stdin(&mut self) -> anyhow::Result<()> {
        let stdin = io::stdin();
        loop {
            self.check_signal()?;
            let sock = self.printer.is_some().then_some(self.sock);
            let (sock_ready, stdin_ready) =
                poll_for(sock, Some(stdin.as_fd()), self.shutdown, None, self.tap)?;
            if sock_ready {
                self.drain_replies()?;
            }
            if stdin_ready {
                return Ok(());
            }
        }
    }

    /// Print whatever replies are queued; returns how many.
    fn drain_replies(&mut self) -> anyhow::Result<u64> {
        if self.printer.is_none() {
            return Ok(0);
        }
        let mut total = 0;
        loop {
            match self.replies.recv(self.sock, BATCH, self.tap) {
                Ok(0) => return Ok(total),
                Ok(n) => {
                    if let Some(p) = self.printer.as_deref_mut() {
                        p.print_batch(&self.replies, n)?;
                    }
                    self.stats.replies += n as u64;
                    total += n as u64;
                }
                Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => self.refused()?,
                Err(e) => return Err(anyhow!(e).context("receive a reply")),
            }
        }
    }

    fn refused(&mut self) -> anyhow::Result<()> {
        self.stats.refused += 1;
        let to = self.to;
        if self.job.replies.is_some() {
            let refused = std::io::Error::from_raw_os_error(libc::ECONNREFUSED);
            return Err(send_error(to, refused));
        }
        if self.stats.refused == 1 {
            self.out.warn(&format!(
                "{to}: port unreachable (ICMP): nothing listens there; datagrams are being discarded"
            ));
        }
        Ok(())
    }
}

/// A failed send (or the ICMP error it provoked), with the likely fix: a route for a
/// multicast group, the interface of a link-local address, a listener on the port.
fn send_error(to: SocketAddr, err: std::io::Error) -> anyhow::Error {
    use crate::os_error::{Op, Target, error};
    error(
        format!("send to {}", crate::net::addr::display(&to)),
        Op::Send,
        Target::Inet(to),
        err,
    )
}

/// Wait for the socket (if given), stdin (if given) and signals until `deadline`;
/// returns (socket readable, stdin readable or closed). SIGUSR1 prints the counts.
fn poll_for(
    sock: Option<&Socket>,
    stdin: Option<BorrowedFd<'_>>,
    shutdown: &Shutdown,
    deadline: Option<Instant>,
    tap: &DgramTap,
) -> anyhow::Result<(bool, bool)> {
    let mut watches: Vec<Watch<'_>> = sock.map(|s| Watch::read(s.as_fd())).into_iter().collect();
    let sock_slot = sock.map(|_| 0);
    let stdin_slot = stdin.map(|fd| {
        watches.push(Watch::read(fd));
        watches.len() - 1
    });
    match wait(&mut watches, shutdown, deadline).context("wait")? {
        Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
        Woke::Timeout => return Ok((false, false)),
        Woke::Ready => tap.on_wake(shutdown),
    }
    let ready = |slot: Option<usize>| slot.is_some_and(|i| watches[i].ready());
    Ok((ready(sock_slot), ready(stdin_slot)))
}
