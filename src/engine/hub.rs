//! The hub: what the connections of one netcat listener serving several clients at
//! once (`listen -k`, ncat's) share — our stdin, our stdout, and each other.
//!
//! Services stay sans-IO: a connection's service hands what it read to the hub
//! ([`Hub::to_stdout`], or [`Hub::to_others`] for ncat's `--broker`), and the event
//! loop that owns the hub's descriptors ([`super::hub_io`]) writes stdout, reads
//! stdin, and delivers the posts to every other connection's service as a
//! [`HubMsg`] ([`super::service::Service::on_message`]) at the end of each turn.
//!
//! Back-pressure keeps memory bounded without a private buffer per pair: a source
//! (stdin, or a client under `--broker`) is not read while any connection it feeds
//! holds more than [`OUTBOX_HIGH_WATER`] unsent ("congested"), and clients are not
//! read while stdout holds that much. A client that stops reading therefore holds the
//! others back once its buffer is full — ncat blocks the whole broker on it — until
//! `-w` closes it for moving nothing.
//!
//! The state sits behind a mutex only because services must be `Send`; the loop that
//! uses it is single-threaded, so it is never contended.

use std::sync::{Mutex, MutexGuard};

use super::service::{OUTBOX_HIGH_WATER, Outbox};

/// What a connection of a hub is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HubMsg<'a> {
    /// Bytes for this connection: from our stdin, or (`--broker`) from another client.
    Data(&'a [u8]),
    /// Our stdin ended: nothing more comes from it (a listener half-closes now).
    InputEnded,
}

/// Bytes one connection (or stdin: `from` is `None`) posted for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub from: Option<u64>,
    pub data: Vec<u8>,
}

/// How the hub uses stdin.
#[derive(Debug, Clone, Copy, Default)]
pub struct HubOpts {
    /// Read stdin and send it to every connection (not with `-d`/`--recv-only`).
    pub read_stdin: bool,
    /// `-C`: stdin's bare LFs go out as CR LF.
    pub crlf: bool,
}

/// The shared state of one listener's connections (see the module docs).
#[derive(Debug)]
pub struct Hub {
    opts: HubOpts,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    posts: Vec<Post>,
    stdout: Outbox,
    stdin_ended: bool,
    congested: bool,
    stdout_error: Option<std::io::Error>,
}

impl Hub {
    pub fn new(opts: HubOpts) -> Hub {
        let state = State {
            // Not ours to read: as if it had ended (a listener half-closes at once).
            stdin_ended: !opts.read_stdin,
            ..State::default()
        };
        Hub {
            opts,
            state: Mutex::new(state),
        }
    }

    pub fn opts(&self) -> HubOpts {
        self.opts
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the queues half-updated: each call is one step.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queue bytes for our stdout.
    pub fn to_stdout(&self, bytes: &[u8]) {
        self.state().stdout.push_bytes(bytes);
    }

    /// Print one whole record line on stdout now (`--json`): the way every other
    /// record is written, so that lines never interleave — a queued line written in
    /// pieces could be cut by a record printed in between. A failure stops the
    /// listener at the end of the turn ([`take_stdout_error`](Self::take_stdout_error)).
    pub fn print_line(&self, line: &str) {
        use std::io::Write;
        let mut s = self.state();
        if s.stdout_error.is_some() {
            return;
        }
        let mut out = std::io::stdout().lock();
        if let Err(e) = writeln!(out, "{line}").and_then(|_| out.flush()) {
            s.stdout_error = Some(e);
        }
    }

    /// Why printing a record failed, once.
    pub fn take_stdout_error(&self) -> Option<std::io::Error> {
        self.state().stdout_error.take()
    }

    /// Queue bytes for every connection but `from` (`None`: from stdin, for all).
    pub fn to_others(&self, from: Option<u64>, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.state().posts.push(Post {
                from,
                data: bytes.to_vec(),
            });
        }
    }

    /// The posts to deliver, oldest first.
    pub fn take_posts(&self) -> Vec<Post> {
        std::mem::take(&mut self.state().posts)
    }

    /// Whether stdout holds so much that clients must wait before more is read.
    pub fn stdout_full(&self) -> bool {
        self.state().stdout.queued_bytes() >= OUTBOX_HIGH_WATER
    }

    /// Whether some connection holds so much unsent that sources must wait.
    pub fn congested(&self) -> bool {
        self.state().congested
    }

    /// Record whether a connection is above the mark (the loop notices a change
    /// beside stdout's: `hub_io`'s pauses).
    pub fn set_congested(&self, congested: bool) {
        self.state().congested = congested;
    }

    /// Whether stdin has ended (or is not read at all).
    pub fn stdin_ended(&self) -> bool {
        self.state().stdin_ended
    }

    /// Stdin ended: returns false if it already had (the connections are told once).
    pub fn end_stdin(&self) -> bool {
        !std::mem::replace(&mut self.state().stdin_ended, true)
    }

    /// Whether output waits for stdout.
    pub fn stdout_pending(&self) -> bool {
        !self.state().stdout.is_empty()
    }

    /// Hand stdout's queue to `write` (the loop's I/O), which consumes what it sent.
    pub fn with_stdout<R>(&self, write: impl FnOnce(&mut Outbox) -> R) -> R {
        write(&mut self.state().stdout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_keep_their_order_and_sender() {
        let hub = Hub::new(HubOpts {
            read_stdin: true,
            crlf: false,
        });
        hub.to_others(Some(3), b"a");
        hub.to_others(None, b"");
        hub.to_others(None, b"b");
        let posts = hub.take_posts();
        assert_eq!(
            posts,
            vec![
                Post {
                    from: Some(3),
                    data: b"a".to_vec()
                },
                Post {
                    from: None,
                    data: b"b".to_vec()
                }
            ]
        );
        assert!(hub.take_posts().is_empty());
    }

    #[test]
    fn stdout_fills_to_the_high_water_mark() {
        let hub = Hub::new(HubOpts::default());
        assert!(hub.stdin_ended(), "stdin not read is ended from the start");
        assert!(!hub.end_stdin(), "already ended: nobody is told again");
        hub.to_stdout(&vec![0; OUTBOX_HIGH_WATER as usize - 1]);
        assert!(!hub.stdout_full() && hub.stdout_pending());
        hub.to_stdout(b"x");
        assert!(hub.stdout_full());
        hub.with_stdout(|o| o.consume(OUTBOX_HIGH_WATER));
        assert!(!hub.stdout_pending());
    }
}
