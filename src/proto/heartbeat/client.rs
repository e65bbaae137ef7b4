//! `heartbeat connect`: send a beat every interval, report each pong (seq, RTT, the
//! responder's data), declare the peer dead after `misses` consecutive misses, then
//! exit 1 or reconnect with back-off. With `--tcp-keepalive` no beats are sent: the
//! kernel probes (SO_KEEPALIVE) and we report when it drops the connection.
//!
//! One thread, one wait ([`crate::net::wait`]) on the socket and the shutdown
//! self-pipe; the deadline is the sooner of "next beat due" and "next reply
//! deadline" from the [`Detector`].

use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use serde_json::{Value, json};

use super::detector::{Backoff, Detector, Jitter, ReplyKind, Verdict};
pub use super::stats::Stats;
pub use super::transport::Transport;
use super::transport::{self, Conn};
use super::wire::{self, Frame, Ping, Pong};
use crate::error::Interrupted;
use crate::net::signals::Shutdown;
use crate::net::wait::{Watch, Woke, sleep_until, wait};
use crate::output::{Level, Output};

#[derive(Debug, Clone)]
pub struct ClientOpts {
    pub addrs: Vec<SocketAddr>,
    pub label: String,
    pub transport: Transport,
    pub interval: Duration,
    pub misses: u32,
    pub connect_timeout: Duration,
    pub reconnect: bool,
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    pub count: Option<u64>,
    /// `-x`: dump every byte sent and received.
    pub hexdump: Option<std::sync::Arc<crate::net::hexdump::Hexdump>>,
    /// `-s`: the local address to connect (or send) from.
    pub source: Option<SocketAddr>,
    /// `--tls`: beats over TLS (TCP only), the certificate verified for `host`.
    pub tls: Option<crate::tls::config::ClientTls>,
    /// The host as given (the name TLS verifies).
    pub host: String,
}

/// How a session on one connection ended.
enum End {
    Done,
    Interrupted(Interrupted),
    Dead(String),
}

pub struct Client<'a> {
    opts: ClientOpts,
    out: &'a Output,
    shutdown: &'a Shutdown,
    stats: Stats,
    seq: u64,
    /// A write of a beat line to stdout failed with a broken pipe.
    stdout_failed: std::cell::Cell<bool>,
}

impl<'a> Client<'a> {
    pub fn new(opts: ClientOpts, out: &'a Output, shutdown: &'a Shutdown) -> Self {
        Client {
            opts,
            out,
            shutdown,
            stats: Stats::default(),
            seq: 0,
            stdout_failed: std::cell::Cell::new(false),
        }
    }

    /// An event: JSON on stdout with `--json`, else a human line on stdout (the beat
    /// lines are this command's data, as ping's are).
    fn report(&self, level: Level, name: &str, fields: Value, human: impl FnOnce() -> String) {
        if self.out.json() {
            self.out.event(level, name, fields, human);
            return;
        }
        let shown = match level {
            Level::Info => !self.out.quiet(),
            Level::Detail => self.out.verbose(),
        };
        if shown {
            let mut o = io::stdout().lock();
            if let Err(e) = writeln!(o, "{}", human()).and_then(|_| o.flush()) {
                // Nobody reads the beats any more (`| head`): the loops stop at their
                // next turn ([`Client::check_stdout`]).
                self.stdout_failed
                    .set(e.kind() == io::ErrorKind::BrokenPipe);
            }
        }
    }

    /// `Err(StdoutClosed)` once a beat line could not be written: a quiet end.
    fn check_stdout(&self) -> anyhow::Result<()> {
        if self.stdout_failed.get() {
            return Err(crate::error::StdoutClosed.into());
        }
        Ok(())
    }

    fn connect(&mut self) -> anyhow::Result<Conn> {
        let (conn, keepalive) = transport::open(&self.opts, self.shutdown, self.out)?;
        if let Some(s) = keepalive {
            self.report(
                Level::Info,
                "keepalive",
                json!({"idle_s": s.idle.as_secs(), "interval_s": s.interval.as_secs(),
                       "count": s.count, "user_timeout_ms": s.user_timeout.as_millis() as u64}),
                || {
                    format!(
                        "kernel keepalive on {}: idle {}, probe every {}, {}, TCP_USER_TIMEOUT {}",
                        self.opts.label,
                        crate::text::duration(s.idle),
                        crate::text::duration(s.interval),
                        crate::text::plural(u64::from(s.count), "probe"),
                        crate::text::duration(s.user_timeout)
                    )
                },
            );
        }
        Ok(conn)
    }

    /// UDP has no handshake: "reconnected" means a probe beat was answered in time.
    fn udp_probe(&mut self, conn: &mut Conn) -> anyhow::Result<bool> {
        let seq = self.seq;
        self.seq += 1;
        conn.send(
            &Frame::Ping(Ping {
                seq,
                sent_us: wire::now_us(),
            }),
            self.opts.hexdump.as_deref(),
        )?;
        let deadline = Instant::now() + self.opts.interval;
        loop {
            if Instant::now() >= deadline {
                return Ok(false);
            }
            if !self.wait(conn, Some(deadline))? {
                continue;
            }
            let mut pongs = Vec::new();
            let _ = conn.read(&mut pongs, self.opts.hexdump.as_deref());
            if pongs.iter().any(|p| p.seq == seq) {
                return Ok(true);
            }
        }
    }

    /// Wait for the connection (or signals) until `deadline`; `Err(Interrupted)` on
    /// SIGINT/SIGTERM. Returns whether the connection has something to report.
    fn wait(&self, conn: &Conn, deadline: Option<Instant>) -> anyhow::Result<bool> {
        let mut watch = [Watch::new(conn.fd(), true, conn.wants_write())];
        match wait(&mut watch, self.shutdown, deadline).context("wait")? {
            Woke::Stop(signal) => Err(Interrupted { signal }.into()),
            Woke::Timeout => Ok(false),
            Woke::Ready => Ok(watch[0].ready()),
        }
    }

    /// Sleep `d` unless SIGINT/SIGTERM arrives (`Err(Interrupted)`).
    fn sleep(&self, d: Duration) -> anyhow::Result<()> {
        let until = Instant::now() + d;
        loop {
            match sleep_until(self.shutdown, until).context("wait")? {
                Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
                Woke::Timeout => return Ok(()),
                // SIGUSR1: nothing to report here; sleep on.
                Woke::Ready => {}
            }
        }
    }

    fn count_reached(&self) -> bool {
        self.opts.count.is_some_and(|n| self.stats.sent >= n)
    }

    /// Beat on one connection until it dies, the count is done or a signal arrives.
    /// Why a UDP peer does not answer, when ICMP said so: "ICMP port unreachable:
    /// nothing listens on UDP port 9" (worded by [`crate::os_error`]).
    fn refusal(&self, conn: &Conn) -> Option<String> {
        if conn.refused() == 0 {
            return None;
        }
        crate::os_error::hint(
            nix::errno::Errno::ECONNREFUSED,
            crate::os_error::Op::Send,
            crate::os_error::Target::Inet(self.opts.addrs[0]),
        )
    }

    fn session(&mut self, conn: &mut Conn) -> anyhow::Result<End> {
        let keepalive = matches!(conn, Conn::Keepalive(_));
        let mut det = Detector::new(self.opts.interval, self.opts.misses);
        let mut next_beat = Instant::now();
        loop {
            self.check_stdout()?;
            let now = Instant::now();
            if !keepalive && now >= next_beat && !self.count_reached() {
                let seq = self.seq;
                self.seq += 1;
                if let Err(e) = conn.send(
                    &Frame::Ping(Ping {
                        seq,
                        sent_us: wire::now_us(),
                    }),
                    self.opts.hexdump.as_deref(),
                ) {
                    return Ok(End::Dead(format!(
                        "send failed: {}",
                        crate::os_error::describe(&e)
                    )));
                }
                det.sent(seq, now);
                self.stats.sent += 1;
                next_beat += self.opts.interval;
                if next_beat < now {
                    next_beat = now + self.opts.interval;
                }
            }
            for v in det.poll(Instant::now()) {
                match v {
                    Verdict::Missed { seq, consecutive } => {
                        let icmp = self.refusal(conn);
                        self.report(
                            Level::Info,
                            "missed",
                            json!({"seq": seq, "consecutive": consecutive, "icmp_refused": conn.refused()}),
                            || {
                                let why = icmp.map_or(String::new(), |h| format!("; {h}"));
                                format!("no reply to beat {seq} ({consecutive} in a row{why})")
                            },
                        );
                    }
                    Verdict::Dead { consecutive } => {
                        let why = self
                            .refusal(conn)
                            .map_or(String::new(), |h| format!("; {h}"));
                        return Ok(End::Dead(format!(
                            "{consecutive} consecutive beats unanswered{why}"
                        )));
                    }
                }
            }
            if self.count_reached() && det.next_deadline().is_none() {
                return Ok(End::Done);
            }
            let mut until = det.next_deadline();
            if !keepalive && !self.count_reached() {
                until = Some(until.map_or(next_beat, |d| d.min(next_beat)));
            }
            match self.wait(conn, until) {
                Ok(_) => {}
                Err(e) => match e.downcast::<Interrupted>() {
                    Ok(stop) => return Ok(End::Interrupted(stop)),
                    Err(e) => return Err(e),
                },
            }
            if let Err(e) = conn.flush(self.opts.hexdump.as_deref()) {
                return Ok(End::Dead(format!(
                    "send failed: {}",
                    crate::os_error::describe(&e)
                )));
            }
            let mut pongs = Vec::new();
            let read = conn.read(&mut pongs, self.opts.hexdump.as_deref());
            let now = Instant::now();
            for p in pongs {
                match det.reply(p.seq, now) {
                    ReplyKind::OnTime(rtt) => self.beat(&p, rtt),
                    ReplyKind::Late(rtt) => {
                        self.stats.late += 1;
                        let ms = rtt.as_secs_f64() * 1e3;
                        self.report(
                            Level::Info,
                            "late",
                            json!({"seq": p.seq, "rtt_ms": ms}),
                            || {
                                format!(
                                    "late reply to beat {} after {} (counted missed)",
                                    p.seq,
                                    crate::text::duration(rtt)
                                )
                            },
                        );
                    }
                    ReplyKind::Unknown => {}
                }
            }
            if let Err(why) = read {
                return Ok(End::Dead(why));
            }
        }
    }

    fn beat(&mut self, p: &Pong, rtt: Duration) {
        let ms = rtt.as_secs_f64() * 1e3;
        self.stats.rtt(ms);
        let offset_ms = (p.responder_us as f64 - p.sent_us as f64) / 1e3 - ms / 2.0;
        self.report(
            Level::Info,
            "beat",
            json!({"seq": p.seq, "rtt_ms": ms, "peer_time_us": p.responder_us,
                   "peer_uptime_ms": p.uptime_ms, "peer_connections": p.connections,
                   "clock_offset_ms": offset_ms}),
            || {
                format!(
                    "pong from {}: seq={} rtt={} peer uptime={} connections={}",
                    self.opts.label,
                    p.seq,
                    crate::text::duration(rtt),
                    crate::text::duration(Duration::from_millis(p.uptime_ms)),
                    p.connections
                )
            },
        );
    }

    /// Run until the count is done (Ok), a signal (Interrupted) or death without
    /// `--reconnect` (an error, exit 1). The summary is printed in every case.
    pub fn run(mut self) -> anyhow::Result<Stats> {
        let mut jitter = Jitter::from_entropy();
        let mut backoff = Backoff::new(self.opts.backoff_min, self.opts.backoff_max);
        let mut conn = match self.connect() {
            Ok(c) => Some(c),
            Err(e) if !self.opts.reconnect => return Err(e),
            Err(e) => {
                self.report(
                    Level::Info,
                    "connect_failed",
                    json!({ "error": crate::error::render(&e) }),
                    || crate::error::render(&e),
                );
                None
            }
        };
        // `--dry-run`: the socket is set up; the first beat would be traffic.
        crate::net::trace::checkpoint("send", || vec!["first beat".into()])?;
        let mut dead_since: Option<Instant> = conn.is_none().then(Instant::now);
        let result = loop {
            if let Err(e) = self.check_stdout() {
                break Err(e);
            }
            let Some(c) = conn.as_mut() else {
                // Down: wait, retry, grow the delay.
                let delay = backoff.next_delay(jitter.next_f64());
                self.report(
                    Level::Detail,
                    "retry",
                    json!({"attempt": backoff.attempts(), "delay_ms": delay.as_millis() as u64}),
                    || {
                        format!(
                            "reconnecting in {} (attempt {})",
                            crate::text::duration(delay),
                            backoff.attempts()
                        )
                    },
                );
                if let Err(e) = self.sleep(delay) {
                    break Err(e);
                }
                match self.connect() {
                    Ok(mut c) => {
                        if matches!(c, Conn::Udp { .. }) {
                            match self.udp_probe(&mut c) {
                                Ok(true) => {}
                                Ok(false) => continue,
                                Err(e) if e.downcast_ref::<Interrupted>().is_some() => {
                                    break Err(e);
                                }
                                Err(_) => continue,
                            }
                        }
                        let down = dead_since.take().map(|t| t.elapsed()).unwrap_or_default();
                        self.stats.dead_total += down;
                        self.report(
                            Level::Info,
                            "reconnected",
                            json!({"peer": self.opts.label, "attempts": backoff.attempts(), "down_ms": down.as_millis() as u64}),
                            || format!("reconnected to {} after {} ({})", self.opts.label,
                                       crate::text::duration(down),
                                       crate::text::plural(u64::from(backoff.attempts()), "attempt")),
                        );
                        backoff.reset();
                        conn = Some(c);
                    }
                    Err(e) => self.report(
                        Level::Detail,
                        "connect_failed",
                        json!({ "error": crate::error::render(&e) }),
                        || crate::error::render(&e),
                    ),
                }
                continue;
            };
            match self.session(c)? {
                End::Done => break Ok(()),
                End::Interrupted(stop) => break Err(stop.into()),
                End::Dead(why) => {
                    conn = None;
                    self.stats.dead_periods += 1;
                    dead_since = Some(Instant::now());
                    self.report(
                        Level::Info,
                        "dead",
                        json!({"peer": self.opts.label, "reason": why}),
                        || format!("peer {} is dead: {why}", self.opts.label),
                    );
                    if !self.opts.reconnect {
                        break Err(anyhow!("peer {} is dead: {why}", self.opts.label));
                    }
                }
            }
        };
        if let Some(t) = dead_since {
            self.stats.dead_total += t.elapsed();
        }
        self.summary();
        result.map(|()| self.stats)
    }

    fn summary(&self) {
        let s = &self.stats;
        let rtt = s.rtt_summary();
        let keepalive = self.opts.transport == Transport::TcpKeepalive;
        self.report(
            Level::Info,
            "summary",
            json!({"peer": self.opts.label, "sent": s.sent, "received": s.received, "late": s.late,
                   "lost_pct": s.lost_pct(), "rtt_min_ms": rtt.map(|r| r.0), "rtt_avg_ms": rtt.map(|r| r.1),
                   "rtt_max_ms": rtt.map(|r| r.2), "rtt_mdev_ms": rtt.map(|r| r.3),
                   "dead_periods": s.dead_periods, "dead_ms": s.dead_total.as_millis() as u64}),
            || s.summary_text(&self.opts.label, keepalive),
        );
    }
}

/// Check the option combination before any socket exists.
pub fn validate(opts: &ClientOpts) -> anyhow::Result<()> {
    if opts.interval.is_zero() {
        bail!(crate::error::UsageError::invalid(
            "--interval must be above zero"
        ));
    }
    if opts.misses == 0 {
        bail!(crate::error::UsageError::invalid(
            "--misses must be at least 1"
        ));
    }
    Ok(())
}
