//! The dead-peer detector and reconnect back-off (`proto::heartbeat::detector`),
//! driven by any sequence of beats sent, replies (on time, late, repeated, for beats
//! never sent) and polls, with time moving forward by any steps.
//!
//! Invariants, against a plain model of the module doc's rules: a reply within one
//! interval of its beat is on time (with the exact RTT) and resets the count; a later
//! one is late and counts as a miss; a second reply, or one for a beat never sent, is
//! unknown; a poll reports as missed exactly the beats overdue, in order, with a
//! running count, and `Dead` once, when the count first reaches the limit; the next
//! deadline is the oldest outstanding beat's. Back-off delays lie in
//! [nominal / 2, nominal], nominal doubling up to the cap; jitter is in [0, 1).
//!
//! Input: interval and misses bytes, then three-byte operations (kind, argument,
//! time step); then back-off bounds from the same bytes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use nettool::proto::heartbeat::detector::{Backoff, Detector, Jitter, ReplyKind, Verdict};
use nettool_fuzz::input::Input;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Beat {
    Outstanding(Instant),
    Missed(Instant),
    Done,
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let interval = Duration::from_millis(u64::from(input.byte()) + 1);
    let misses = u32::from(input.byte() % 8) + 1;
    let mut d = Detector::new(interval, misses);
    let start = Instant::now();
    let mut now = start;
    let mut beats: BTreeMap<u64, Beat> = BTreeMap::new();
    let (mut next, mut consecutive, mut dead) = (0u64, 0u32, false);

    for _ in 0..512 {
        if input.is_empty() {
            break;
        }
        let (kind, arg, step) = (input.byte(), input.byte(), input.byte());
        now += Duration::from_micros(u64::from(step) * u64::from(arg % 4 + 1) * 250);
        match kind % 4 {
            0 => {
                d.sent(next, now);
                beats.insert(next, Beat::Outstanding(now));
                next += 1;
            }
            1 | 2 => {
                let seq = if kind % 4 == 2 {
                    next + u64::from(arg) // never sent
                } else {
                    next.saturating_sub(1 + u64::from(arg % 16))
                };
                let got = d.reply(seq, now);
                let want = match beats.get(&seq).copied() {
                    Some(Beat::Outstanding(sent)) if now - sent <= interval => {
                        consecutive = 0;
                        beats.insert(seq, Beat::Done);
                        ReplyKind::OnTime(now - sent)
                    }
                    Some(Beat::Outstanding(sent)) => {
                        consecutive += 1;
                        beats.insert(seq, Beat::Done);
                        ReplyKind::Late(now - sent)
                    }
                    Some(Beat::Missed(sent)) => {
                        beats.insert(seq, Beat::Done);
                        ReplyKind::Late(now - sent)
                    }
                    _ => ReplyKind::Unknown,
                };
                assert_eq!(got, want, "reply to {seq} at {:?}", now - start);
            }
            _ => {
                let got = d.poll(now);
                let mut want = Vec::new();
                for (seq, b) in beats.iter_mut() {
                    if let Beat::Outstanding(sent) = *b
                        && now - sent > interval
                    {
                        *b = Beat::Missed(sent);
                        consecutive += 1;
                        want.push(Verdict::Missed {
                            seq: *seq,
                            consecutive,
                        });
                    }
                }
                if !dead && consecutive >= misses {
                    dead = true;
                    want.push(Verdict::Dead { consecutive });
                }
                assert_eq!(got, want, "poll at {:?}", now - start);
            }
        }
        assert_eq!(d.consecutive_misses(), consecutive);
        assert_eq!(d.is_dead(), dead);
        let oldest = beats
            .values()
            .filter_map(|b| match b {
                Beat::Outstanding(t) => Some(*t),
                _ => None,
            })
            .min();
        assert_eq!(
            d.next_deadline(),
            oldest.map(|t| t + interval + Duration::from_micros(1))
        );
    }

    let min = Duration::from_micros(input.u64() % 10_000_000_000);
    let max = Duration::from_micros(input.u64() % 100_000_000_000);
    let mut b = Backoff::new(min, max);
    let mut j = Jitter::with_seed(input.u64());
    let mut last = Duration::ZERO;
    for n in 0..40 {
        let nominal = b.nominal(n);
        assert!(
            nominal >= last && nominal <= max.max(min),
            "nominal({n}) = {nominal:?}"
        );
        last = nominal;
        let r = j.next_f64();
        assert!((0.0..1.0).contains(&r), "{r}");
        let delay = b.next_delay(r);
        assert!(
            delay >= nominal / 2 && delay <= nominal,
            "{delay:?} of {nominal:?}"
        );
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
