//! A child's `--json` events, parsed by a thread as they arrive and kept, so a test
//! waits for the event it needs (readiness by event, not by sleeping) and can still
//! look at everything seen so far.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct JsonEvents {
    events: Receiver<Value>,
    /// Every event taken from the queue so far, in order.
    pub seen: Vec<Value>,
}

impl JsonEvents {
    /// Read JSON lines from `from` (a child's stdout); each must be an event record.
    pub fn read(from: impl Read + Send + 'static) -> JsonEvents {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(from).lines() {
                let Ok(line) = line else { break };
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                assert!(v["event"].is_string() && v["time"].is_string(), "{v}");
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        JsonEvents {
            events: rx,
            seen: Vec::new(),
        }
    }

    /// Wait up to `timeout` for the next event named `name` for which `pred` holds.
    pub fn wait_for_where(
        &mut self,
        name: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(v) => {
                    self.seen.push(v.clone());
                    if v["event"] == name && pred(&v) {
                        return Some(v);
                    }
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// Wait up to `timeout` for the next event named `name`.
    pub fn wait_for(&mut self, name: &str, timeout: Duration) -> Option<Value> {
        self.wait_for_where(name, timeout, |_| true)
    }

    /// Take what arrives until the queue has been quiet for `quiet` (the writer exited).
    pub fn drain_for(&mut self, quiet: Duration) {
        while let Ok(v) = self.events.recv_timeout(quiet) {
            self.seen.push(v);
        }
    }

    /// Take every event that has arrived so far.
    pub fn drain(&mut self) {
        while let Ok(v) = self.events.try_recv() {
            self.seen.push(v);
        }
    }

    pub fn count(&self, name: &str) -> usize {
        self.seen.iter().filter(|v| v["event"] == name).count()
    }

    pub fn last(&self, name: &str) -> Option<&Value> {
        self.seen.iter().rev().find(|v| v["event"] == name)
    }
}
