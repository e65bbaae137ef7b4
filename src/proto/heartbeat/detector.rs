//! Dead-peer detection and reconnect back-off, as pure code (time is an argument), so
//! the rules are unit-tested without sockets or sleeps.
//!
//! **Detector.** Beat *k* is sent at `s_k`; its reply must arrive before the next beat
//! is due (`s_k + interval`), otherwise the beat is *missed*. A late reply is reported
//! but does not count as a sign of life: a peer whose answers always arrive two
//! intervals late is as good as dead for a heartbeat. After `misses` consecutive missed
//! beats the peer is declared dead. If the last reply answered beat *k* (so it arrived
//! after `s_k`), beats *k+1 … k+misses* are missed by `s_k + (misses+1)·interval` —
//! hence the guarantee: dead within `interval × (misses + 1)` of the last reply.
//!
//! **Back-off.** Reconnect attempts wait `min · 2^attempt`, capped at `max`, with
//! "equal jitter" (half fixed, half random): many clients that lost the same server
//! spread their retries out instead of arriving as one SYN storm, yet each still waits
//! at least half the nominal delay.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// What a reply turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// In time: the peer is alive; the RTT is given.
    OnTime(Duration),
    /// After its beat was already counted missed (RTT given); not a sign of life.
    Late(Duration),
    /// A sequence number we never sent (or long forgotten): ignored.
    Unknown,
}

/// What the passage of time revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Beat `seq` got no reply in time; `consecutive` misses in a row so far.
    Missed { seq: u64, consecutive: u32 },
    /// `consecutive` reached the limit: the peer is dead.
    Dead { consecutive: u32 },
}

/// The per-connection failure detector.
#[derive(Debug, Clone)]
pub struct Detector {
    interval: Duration,
    misses: u32,
    consecutive: u32,
    /// Beats awaiting a reply: seq → send time.
    outstanding: BTreeMap<u64, Instant>,
    /// Recently missed beats (seq, send time), to recognise late replies.
    missed: VecDeque<(u64, Instant)>,
    dead: bool,
}

const MISSED_MEMORY: usize = 1024;

impl Detector {
    pub fn new(interval: Duration, misses: u32) -> Detector {
        Detector {
            interval,
            misses: misses.max(1),
            consecutive: 0,
            outstanding: BTreeMap::new(),
            missed: VecDeque::new(),
            dead: false,
        }
    }

    /// A beat went out at `now`.
    pub fn sent(&mut self, seq: u64, now: Instant) {
        self.outstanding.insert(seq, now);
    }

    /// A reply for `seq` arrived at `now`.
    pub fn reply(&mut self, seq: u64, now: Instant) -> ReplyKind {
        if let Some(sent) = self.outstanding.remove(&seq) {
            if now.duration_since(sent) <= self.interval {
                self.consecutive = 0;
                return ReplyKind::OnTime(now.duration_since(sent));
            }
            // Due, but `poll` has not run yet: it is a miss all the same (and answered,
            // so not remembered among the missed: a repeat of it is unknown).
            self.consecutive += 1;
            return ReplyKind::Late(now.duration_since(sent));
        }
        match self.missed.iter().position(|(s, _)| *s == seq) {
            Some(i) => {
                let (_, sent) = self.missed.remove(i).expect("index in range");
                ReplyKind::Late(now.duration_since(sent))
            }
            None => ReplyKind::Unknown,
        }
    }

    fn note_missed(&mut self, seq: u64, sent: Instant) {
        if self.missed.len() == MISSED_MEMORY {
            self.missed.pop_front();
        }
        self.missed.push_back((seq, sent));
    }

    /// Count the beats whose reply time has passed; the last verdict is `Dead` once
    /// the limit is reached (reported once).
    pub fn poll(&mut self, now: Instant) -> Vec<Verdict> {
        let mut v = Vec::new();
        let due: Vec<(u64, Instant)> = self
            .outstanding
            .iter()
            .filter(|(_, sent)| now.duration_since(**sent) > self.interval)
            .map(|(s, t)| (*s, *t))
            .collect();
        for (seq, sent) in due {
            self.outstanding.remove(&seq);
            self.note_missed(seq, sent);
            self.consecutive += 1;
            v.push(Verdict::Missed {
                seq,
                consecutive: self.consecutive,
            });
        }
        if !self.dead && self.consecutive >= self.misses {
            self.dead = true;
            v.push(Verdict::Dead {
                consecutive: self.consecutive,
            });
        }
        v
    }

    /// When `poll` next has something to say (the oldest outstanding beat's deadline).
    pub fn next_deadline(&self) -> Option<Instant> {
        self.outstanding
            .values()
            .min()
            .map(|t| *t + self.interval + Duration::from_micros(1))
    }

    pub fn is_dead(&self) -> bool {
        self.dead
    }

    pub fn consecutive_misses(&self) -> u32 {
        self.consecutive
    }
}

/// Exponential back-off with equal jitter between `min` and `max`.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub min: Duration,
    pub max: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(min: Duration, max: Duration) -> Backoff {
        Backoff {
            min,
            max: max.max(min),
            attempt: 0,
        }
    }

    /// The nominal (un-jittered) delay of attempt `n`: `min · 2^n`, at most `max`.
    pub fn nominal(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.min(31)).unwrap_or(u32::MAX);
        self.min.saturating_mul(factor).min(self.max)
    }

    /// The delay before the next attempt, given `r` uniform in [0, 1); advances.
    pub fn next_delay(&mut self, r: f64) -> Duration {
        let base = self.nominal(self.attempt);
        self.attempt = self.attempt.saturating_add(1);
        let half = base / 2;
        half + half.mul_f64(r.clamp(0.0, 1.0))
    }

    /// A connection succeeded: start again from `min`.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    pub fn attempts(&self) -> u32 {
        self.attempt
    }
}

/// A tiny xorshift64* generator for jitter (not for anything secret).
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// Seeded from the clock and the pid, so clients started together still differ.
    pub fn from_entropy() -> Jitter {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        Jitter((t ^ ((std::process::id() as u64) << 32)) | 1)
    }

    pub fn with_seed(seed: u64) -> Jitter {
        Jitter(seed | 1)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: Duration = Duration::from_millis(100);

    #[test]
    fn on_time_replies_keep_the_peer_alive() {
        let t0 = Instant::now();
        let mut d = Detector::new(I, 3);
        for k in 0..10u64 {
            let s = t0 + I * k as u32;
            d.sent(k, s);
            assert_eq!(d.reply(k, s + I * 8 / 10), ReplyKind::OnTime(I * 8 / 10));
            assert!(d.poll(s + I * 9 / 10).is_empty());
        }
        assert!(!d.is_dead());
    }

    #[test]
    fn dead_after_misses_within_the_bound() {
        let t0 = Instant::now();
        let mut d = Detector::new(I, 3);
        d.sent(0, t0);
        let last_reply = t0 + Duration::from_millis(5);
        assert!(matches!(d.reply(0, last_reply), ReplyKind::OnTime(_)));
        let mut dead_at = None;
        let mut k = 1u64;
        let mut now = t0;
        while dead_at.is_none() {
            now += Duration::from_millis(1);
            if now >= t0 + I * k as u32 {
                d.sent(k, now);
                k += 1;
            }
            if d.poll(now)
                .iter()
                .any(|v| matches!(v, Verdict::Dead { .. }))
            {
                dead_at = Some(now);
            }
        }
        let bound = I * 4; // interval × (misses + 1)
        assert!(dead_at.unwrap() - last_reply <= bound);
        assert_eq!(d.consecutive_misses(), 3);
        // Reported once.
        assert!(
            d.poll(now + I * 10)
                .iter()
                .all(|v| !matches!(v, Verdict::Dead { .. }))
        );
    }

    #[test]
    fn late_replies_are_not_signs_of_life() {
        let t0 = Instant::now();
        let mut d = Detector::new(I, 3);
        let mut verdicts = Vec::new();
        // Every reply arrives two intervals after its beat.
        for k in 0..6u64 {
            let s = t0 + I * k as u32;
            d.sent(k, s);
            if k >= 2 {
                assert!(matches!(d.reply(k - 2, s), ReplyKind::Late(_)));
            }
            verdicts.extend(d.poll(s + I / 2));
        }
        assert!(d.is_dead(), "{verdicts:?}");
    }

    #[test]
    fn a_reply_resets_the_count() {
        let t0 = Instant::now();
        let mut d = Detector::new(I, 3);
        d.sent(0, t0);
        d.sent(1, t0 + I);
        assert_eq!(d.poll(t0 + I * 2 + I / 2).len(), 2);
        d.sent(2, t0 + I * 2);
        assert!(matches!(
            d.reply(2, t0 + I * 2 + I / 2),
            ReplyKind::OnTime(_)
        ));
        assert_eq!(d.consecutive_misses(), 0);
        assert_eq!(d.reply(99, t0), ReplyKind::Unknown);
    }

    /// Found by fuzz/src/bin/heartbeat_detector.rs: a reply that arrived late but
    /// before `poll` counted its beat missed was remembered as missed, so a repeat of
    /// it was reported late a second time.
    #[test]
    fn a_repeated_late_reply_is_unknown() {
        let t0 = Instant::now();
        let mut d = Detector::new(I, 3);
        d.sent(0, t0);
        assert_eq!(d.reply(0, t0 + I * 2), ReplyKind::Late(I * 2));
        assert_eq!(d.reply(0, t0 + I * 3), ReplyKind::Unknown);
        assert_eq!(d.consecutive_misses(), 1);
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        let ms = Duration::from_millis;
        let mut b = Backoff::new(ms(500), Duration::from_secs(30));
        assert_eq!(b.nominal(0), ms(500));
        assert_eq!(b.nominal(3), ms(4000));
        assert_eq!(b.nominal(40), Duration::from_secs(30));
        assert_eq!(b.next_delay(0.0), ms(250));
        assert_eq!(
            b.next_delay(0.999_999),
            ms(1000) - Duration::from_nanos(500)
        );
        b.reset();
        assert_eq!(b.attempts(), 0);
        // Ten clients with different seeds spread their first retries out.
        let firsts: Vec<Duration> = (1..=10)
            .map(|seed| {
                let mut j = Jitter::with_seed(seed * 7919);
                Backoff::new(ms(1000), ms(1000)).next_delay(j.next_f64())
            })
            .collect();
        let distinct: std::collections::BTreeSet<_> = firsts.iter().collect();
        assert!(distinct.len() >= 8, "{firsts:?}");
        assert!(firsts.iter().all(|d| *d >= ms(500) && *d < ms(1000)));
    }

    #[test]
    fn jitter_is_uniform_enough() {
        let mut j = Jitter::with_seed(42);
        let xs: Vec<f64> = (0..10_000).map(|_| j.next_f64()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
    }
}
