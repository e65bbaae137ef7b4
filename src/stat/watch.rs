//! `--watch`: take a snapshot every interval and say what changed since the last one —
//! sockets that appeared, sockets that are gone, and state transitions. Watching a
//! connection close shows the four-way handshake move through the diagram
//! (ESTABLISHED → FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT on the closing side, CLOSE-WAIT →
//! LAST-ACK on the other) and TIME-WAIT expire a minute later.
//!
//! A socket is identified across snapshots by protocol and both addresses (its inode
//! changes when a TCP socket becomes a TIME-WAIT mini-socket); Unix sockets, listeners
//! and UDP sockets, which can share addresses, also by inode.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::view::{self, Names, ViewOpts, numeric_endpoint};
use super::{Proto, Query, Socket, State};
use crate::error::Interrupted;
use crate::net::signals::Shutdown;
use crate::net::wait::{Woke, sleep_until};
use crate::output::now_rfc3339;

/// What identifies a socket from one snapshot to the next.
pub type Key = (Proto, String, String, u64);

pub fn key(s: &Socket) -> Key {
    let inode = if s.proto == Proto::Tcp && s.state != State::Listen {
        0
    } else {
        s.inode
    };
    let dual = s.v6 && !s.v6only;
    (
        s.proto,
        numeric_endpoint(&s.local, dual),
        numeric_endpoint(&s.peer, dual),
        inode,
    )
}

/// One difference between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    New(Socket),
    Closed(Socket),
    State { from: State, socket: Socket },
}

/// The changes from `prev` to `now`: new and changed sockets in `now`'s order, then the
/// closed ones in `prev`'s order.
pub fn diff(prev: &[Socket], now: &[Socket]) -> Vec<Change> {
    let before: HashMap<Key, &Socket> = prev.iter().map(|s| (key(s), s)).collect();
    let after: HashMap<Key, &Socket> = now.iter().map(|s| (key(s), s)).collect();
    let mut changes = Vec::new();
    for s in now {
        match before.get(&key(s)) {
            None => changes.push(Change::New(s.clone())),
            Some(old) if old.state != s.state => changes.push(Change::State {
                from: old.state,
                socket: s.clone(),
            }),
            Some(_) => {}
        }
    }
    for s in prev {
        if !after.contains_key(&key(s)) {
            changes.push(Change::Closed(s.clone()));
        }
    }
    changes
}

/// A change as one JSON line: the socket's fields plus `event` (`new`, `closed`,
/// `state`), `time`, and for transitions `from` and `to`.
pub fn change_json(c: &Change, o: &ViewOpts) -> Value {
    let (event, s, from) = match c {
        Change::New(s) => ("new", s, None),
        Change::Closed(s) => ("closed", s, None),
        Change::State { from, socket } => ("state", socket, Some(*from)),
    };
    let mut v = crate::output::record(event, Value::Null);
    let obj = v.as_object_mut().expect("object");
    if let Some(from) = from {
        let tcp = s.proto == Proto::Tcp;
        obj.insert("from".into(), from.name(tcp).into());
        obj.insert("to".into(), s.state.name(tcp).into());
    }
    if let Value::Object(fields) = view::socket_json(s, o) {
        obj.extend(fields);
    }
    v
}

/// How the watch runs.
pub struct WatchOpts {
    pub interval: Duration,
    /// Stop after this many snapshots (the first included).
    pub count: Option<u64>,
    pub json: bool,
}

/// Refresh until `count` snapshots (Ok) or SIGINT/SIGTERM (`Err(Interrupted)`); write
/// frames (or JSON events) to `w`. `snapshot` gathers one set of rows.
pub fn run(
    w: &mut impl Write,
    q: &Query,
    view: &ViewOpts,
    opts: &WatchOpts,
    shutdown: &Shutdown,
    mut snapshot: impl FnMut(&Query) -> anyhow::Result<Vec<Socket>>,
) -> anyhow::Result<()> {
    let tty = std::io::stdout().is_terminal();
    let mut names = Names::new(*view);
    let mut prev: Option<Vec<Socket>> = None;
    let mut taken = 0u64;
    loop {
        let now = snapshot(q)?;
        taken += 1;
        match &prev {
            None if opts.json => {
                for s in &now {
                    let v = crate::output::record("socket", view::socket_json(s, view));
                    writeln!(w, "{v}")?;
                }
            }
            None => frame(w, &now, &[], view, &mut names, tty)?,
            Some(old) => {
                let changes = diff(old, &now);
                if opts.json {
                    for c in &changes {
                        writeln!(w, "{}", change_json(c, view))?;
                    }
                } else {
                    frame(w, &now, &changes, view, &mut names, tty)?;
                }
            }
        }
        w.flush()?;
        prev = Some(now);
        if opts.count.is_some_and(|n| taken >= n) {
            return Ok(());
        }
        let next = Instant::now() + opts.interval;
        loop {
            match sleep_until(shutdown, next)? {
                Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
                Woke::Timeout => break,
                // SIGUSR1: nothing to report beyond the frames; sleep on.
                Woke::Ready => {}
            }
        }
    }
}

/// One human frame: a title line, then the table with a mark per row (`+` new, `~ FROM→`
/// for a transition) and the closed sockets at the end (`-`).
fn frame(
    w: &mut impl Write,
    now: &[Socket],
    changes: &[Change],
    view: &ViewOpts,
    names: &mut Names,
    tty: bool,
) -> std::io::Result<()> {
    let mut marks: HashMap<Key, String> = HashMap::new();
    let mut rows: Vec<Socket> = now.to_vec();
    let (mut new, mut closed, mut moved) = (0, 0, 0);
    for c in changes {
        match c {
            Change::New(s) => {
                new += 1;
                marks.insert(key(s), "+".into());
            }
            Change::State { from, socket } => {
                moved += 1;
                let tcp = socket.proto == Proto::Tcp;
                marks.insert(key(socket), format!("~ {}→", from.name(tcp)));
            }
            Change::Closed(s) => {
                closed += 1;
                marks.insert(key(s), "-".into());
                rows.push(s.clone());
            }
        }
    }
    let marks: Vec<String> = rows
        .iter()
        .map(|s| marks.get(&key(s)).cloned().unwrap_or_default())
        .collect();
    if tty {
        w.write_all(b"\x1b[H\x1b[2J")?;
    }
    writeln!(
        w,
        "--- {}  {}  +{new} new  -{closed} closed  ~{moved} changed",
        now_rfc3339(),
        crate::text::plural(now.len() as u64, "socket")
    )?;
    view::write_table(w, &rows, Some(&marks), view, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(local: &str, peer: &str, state: State, inode: u64) -> Socket {
        Socket {
            inode,
            ..Socket::tcp_for_test(state, local, peer)
        }
    }

    #[test]
    fn diff_finds_new_closed_and_transitions() {
        let a = tcp("127.0.0.1:1", "127.0.0.1:2", State::Established, 10);
        let b = tcp("127.0.0.1:3", "127.0.0.1:4", State::Established, 11);
        let c = tcp("127.0.0.1:5", "127.0.0.1:6", State::SynSent, 12);
        // a moves to TIME-WAIT (and loses its inode), b closes, c is new.
        let a2 = tcp("127.0.0.1:1", "127.0.0.1:2", State::TimeWait, 0);
        let changes = diff(&[a.clone(), b.clone()], &[a2.clone(), c.clone()]);
        assert_eq!(
            changes,
            vec![
                Change::State {
                    from: State::Established,
                    socket: a2
                },
                Change::New(c),
                Change::Closed(b),
            ]
        );
    }

    #[test]
    fn frames_mark_new_closed_and_changed_rows() {
        let kept = tcp("127.0.0.1:1", "127.0.0.1:2", State::Established, 1);
        let gone = tcp("127.0.0.1:3", "127.0.0.1:4", State::Established, 2);
        let moved = tcp("127.0.0.1:5", "127.0.0.1:6", State::Established, 3);
        let moved2 = tcp("127.0.0.1:5", "127.0.0.1:6", State::CloseWait, 3);
        let born = tcp("127.0.0.1:7", "127.0.0.1:8", State::SynSent, 4);
        let now = vec![kept.clone(), moved2, born];
        let changes = diff(&[kept, gone, moved], &now);
        let o = ViewOpts {
            numeric: true,
            ..ViewOpts::default()
        };
        let mut out = Vec::new();
        frame(&mut out, &now, &changes, &o, &mut Names::new(o), false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let line = |port: &str| text.lines().find(|l| l.contains(port)).unwrap().to_string();
        assert!(text.starts_with("--- ") && text.contains("+1 new  -1 closed  ~1 changed"));
        assert!(line("127.0.0.1:1 ").starts_with("  "), "{text}");
        assert!(line("127.0.0.1:3 ").starts_with("-"), "{text}");
        assert!(line("127.0.0.1:5 ").starts_with("~ ESTABLISHED→"), "{text}");
        assert!(line("127.0.0.1:5 ").contains("CLOSE-WAIT"), "{text}");
        assert!(line("127.0.0.1:7 ").starts_with("+"), "{text}");
    }

    #[test]
    fn transitions_serialise_with_from_and_to() {
        let s = tcp("127.0.0.1:1", "127.0.0.1:2", State::FinWait2, 1);
        let v = change_json(
            &Change::State {
                from: State::FinWait1,
                socket: s,
            },
            &ViewOpts::default(),
        );
        assert_eq!(
            (v["event"].as_str(), v["from"].as_str()),
            (Some("state"), Some("FIN-WAIT-1"))
        );
        assert_eq!(v["to"], "FIN-WAIT-2");
        assert_eq!(v["local"], "127.0.0.1:1");
    }
}
