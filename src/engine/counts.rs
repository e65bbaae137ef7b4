//! What an engine's loop did, counted always: the numbers that make level- vs
//! edge-triggered readiness and the reactor visible (the course's select → poll →
//! epoll lesson, as counts rather than prose).
//!
//! * **waits** — calls that sleep until something is ready: `select(2)`, `poll(2)`,
//!   `epoll_wait(2)`, the blocking engines' `poll` on the listener (and, iterative,
//!   on the one connection). busy-poll never waits: that is its lesson.
//! * **events** — readiness reports those waits returned.
//! * **reads** — `read(2)`/`recv(2)` calls on connections, and how many of them
//!   returned `EAGAIN` (nothing there: a level-triggered loop never sees one, an
//!   edge-triggered one ends each drain with one, busy-poll lives on them).
//! * **re-arms** — registrations changed after a connection's interest changed
//!   (`EPOLL_CTL_MOD` on epoll, a new bit in the next fd_set / pollfd on select and
//!   poll; the reactor re-arms its handler record the same way).
//! * **requeues** — edge-triggered drains cut short by the read budget and finished
//!   after the next wait, so one flooding client cannot starve the rest.
//!
//! Counting is one relaxed atomic add per call, beside the byte counts already taken
//! for every read, so it is never turned off.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

/// The live counters (shared by a server's threads, inside [`super::Counters`]).
#[derive(Debug, Default)]
pub struct IoCounts {
    waits: AtomicU64,
    events: AtomicU64,
    reads: AtomicU64,
    eagain: AtomicU64,
    rearms: AtomicU64,
    requeues: AtomicU64,
}

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

impl IoCounts {
    /// One call of the readiness wait.
    pub fn wait(&self) {
        bump(&self.waits, 1);
    }

    /// `n` readiness reports returned by a wait.
    pub fn events(&self, n: usize) {
        bump(&self.events, n as u64);
    }

    /// One read on a connection with its result (`EAGAIN` counted apart).
    pub fn read<T>(&self, r: &io::Result<T>) {
        bump(&self.reads, 1);
        if matches!(r, Err(e) if e.kind() == io::ErrorKind::WouldBlock) {
            bump(&self.eagain, 1);
        }
    }

    /// A registration changed (`EPOLL_CTL_MOD`).
    pub fn rearm(&self) {
        bump(&self.rearms, 1);
    }

    /// An unfinished edge-triggered drain put back for the next turn.
    pub fn requeue(&self) {
        bump(&self.requeues, 1);
    }

    /// Add a finished child's counts (the fork engine's report pipe).
    pub fn add(&self, s: &IoSnapshot) {
        bump(&self.waits, s.waits);
        bump(&self.events, s.events);
        bump(&self.reads, s.reads);
        bump(&self.eagain, s.eagain);
        bump(&self.rearms, s.rearms);
        bump(&self.requeues, s.requeues);
    }

    pub fn snapshot(&self) -> IoSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        IoSnapshot {
            waits: get(&self.waits),
            events: get(&self.events),
            reads: get(&self.reads),
            eagain: get(&self.eagain),
            rearms: get(&self.rearms),
            requeues: get(&self.requeues),
        }
    }
}

/// The counters at one moment, for a summary or a SIGUSR1 report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoSnapshot {
    pub waits: u64,
    pub events: u64,
    pub reads: u64,
    pub eagain: u64,
    pub rearms: u64,
    pub requeues: u64,
}

impl IoSnapshot {
    /// Reads per wake-up: how much work one wait bought (none when nothing waited).
    pub fn reads_per_wake(&self) -> Option<f64> {
        (self.waits > 0).then(|| self.reads as f64 / self.waits as f64)
    }

    /// The `engine_counts` object of the JSON summary and stats records.
    pub fn json(&self) -> Value {
        json!({
            "waits": self.waits,
            "events": self.events,
            "reads": self.reads,
            "reads_per_wake": self.reads_per_wake().map(|r| (r * 100.0).round() / 100.0),
            "eagain": self.eagain,
            "rearms": self.rearms,
            "requeues": self.requeues,
        })
    }

    /// One human line: `engine epoll-et: 12 waits, 30 events, …`.
    pub fn line(&self, engine: &str) -> String {
        use crate::text::plural;
        let per_wake = match self.reads_per_wake() {
            Some(r) => format!("{r:.1} per wake-up"),
            None => "never waited".into(),
        };
        let rearm = if engine.starts_with("epoll") || engine == "reactor" {
            "re-arms (EPOLL_CTL_MOD)"
        } else {
            "re-arms"
        };
        format!(
            "engine {engine}: {}, {}, {} ({per_wake}), {} EAGAIN, {} {rearm}, {} requeued",
            plural(self.waits, "wait"),
            plural(self.events, "event"),
            plural(self.reads, "read"),
            self.eagain,
            self.rearms,
            self.requeues,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eagain_is_a_read_too() {
        let c = IoCounts::default();
        c.wait();
        c.events(2);
        c.read(&Ok::<usize, io::Error>(5));
        c.read::<usize>(&Err(io::ErrorKind::WouldBlock.into()));
        c.rearm();
        let s = c.snapshot();
        assert_eq!(
            (s.waits, s.events, s.reads, s.eagain, s.rearms),
            (1, 2, 2, 1, 1)
        );
        assert_eq!(s.reads_per_wake(), Some(2.0));
        assert_eq!(
            s.line("epoll-et"),
            "engine epoll-et: 1 wait, 2 events, 2 reads (2.0 per wake-up), 1 EAGAIN, \
             1 re-arms (EPOLL_CTL_MOD), 0 requeued"
        );
    }

    #[test]
    fn a_loop_that_never_waits_says_so() {
        let s = IoSnapshot {
            reads: 10,
            eagain: 9,
            ..IoSnapshot::default()
        };
        assert!(
            s.line("busy-poll")
                .contains("10 reads (never waited), 9 EAGAIN")
        );
        assert_eq!(s.json()["reads_per_wake"], Value::Null);
    }

    #[test]
    fn children_add_up() {
        let c = IoCounts::default();
        let child = IoSnapshot {
            reads: 3,
            waits: 1,
            ..IoSnapshot::default()
        };
        c.add(&child);
        c.add(&child);
        assert_eq!(c.snapshot().reads, 6);
    }
}
