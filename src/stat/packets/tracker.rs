//! Segments and socket states side by side: each captured TCP segment goes through the
//! connection's accounting ([`super::flow`]) and the state diagram ([`super::model`]),
//! and each look at the kernel's socket table ([`super::kernel`]) is checked against
//! the diagram — where the kernel is further along than the segments explain, its
//! word wins and the step is printed as the kernel's; where it lags behind (segments
//! read after the look), it is ignored; where a socket it listed is gone (TIME-WAIT
//! over), that is the step to CLOSED.

use std::net::SocketAddr;

use super::flow::{Flows, Role, View};
use super::kernel::{LocalAddrs, Snapshot};
use super::model::{Step, rank};
use super::parse::Segment;
use crate::stat::State;

/// Who said a socket changed state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The segment just shown moved it (by the diagram).
    Segments,
    /// sock_diag listed it in a state the segments had not (yet) led to.
    Kernel,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Segments => "segments",
            Source::Kernel => "kernel",
        }
    }
}

/// One socket moving along the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub role: Role,
    pub local: SocketAddr,
    pub peer: SocketAddr,
    /// `None`: the socket is new (CLOSED before, or LISTEN for a server's connection).
    pub from: Option<State>,
    pub to: State,
    pub source: Source,
}

impl Transition {
    /// The state before, by name: a new server connection comes out of LISTEN.
    pub fn from_name(&self) -> &'static str {
        match (self.from, self.role) {
            (Some(s), _) => s.name(true),
            (None, Role::Server) => State::Listen.name(true),
            (None, _) => State::Closed.name(true),
        }
    }
}

/// What one TCP segment means, for the printer.
#[derive(Debug, Clone)]
pub struct Shown {
    pub view: View,
    pub transitions: Vec<Transition>,
}

pub struct Tracker {
    pub flows: Flows,
    local: LocalAddrs,
    absolute: bool,
    /// The last look at the kernel (for listeners, when a SYN arrives).
    last: Snapshot,
}

impl Tracker {
    pub fn new(local: LocalAddrs, absolute: bool) -> Tracker {
        Tracker {
            flows: Flows::default(),
            local,
            absolute,
            last: Snapshot::default(),
        }
    }

    /// Account for a segment from `src` to `dst`.
    pub fn segment(&mut self, src: SocketAddr, dst: SocketAddr, seg: &Segment) -> Shown {
        let view = self.flows.segment(src, dst, seg, self.absolute);
        let listening = self.last.listening(dst);
        let conn = self.flows.get_mut(src, dst).expect("just accounted");
        let steps = conn
            .model
            .segment(view.from, seg, view.acked_fin, listening);
        let conn = self.flows.get(src, dst).expect("just accounted");
        let transitions = steps
            .into_iter()
            .filter(|s| self.local.contains(conn.ends[s.end].addr.ip()))
            .map(|s| transition(conn, s, Source::Segments))
            .collect();
        Shown { view, transitions }
    }

    /// Check every connection's local ends against a look at the kernel.
    pub fn reconcile(&mut self, snap: Snapshot) -> Vec<Transition> {
        let mut out = Vec::new();
        for conn in self.flows.iter_mut() {
            if conn.ends.iter().all(|e| e.role == Role::Unknown) {
                for i in 0..2 {
                    if snap.listening(conn.ends[i].addr) {
                        conn.ends[i].role = Role::Server;
                        conn.ends[1 - i].role = Role::Client;
                    }
                }
            }
            for i in 0..2 {
                let (me, peer) = (conn.ends[i].addr, conn.ends[1 - i].addr);
                if !self.local.contains(me.ip()) {
                    continue;
                }
                let model = conn.model.states[i];
                let next = match snap.socket(me, peer) {
                    Some((kernel, _)) => {
                        conn.seen_by_kernel[i] = true;
                        match model {
                            None => {
                                // First heard of from the kernel: take its word quietly.
                                conn.model.states[i] = Some(kernel);
                                None
                            }
                            Some(m) if m == kernel => None,
                            Some(m) if rank(kernel) >= rank(m) => Some(kernel),
                            Some(_) => None, // the look is older than the segments
                        }
                    }
                    None if conn.seen_by_kernel[i] && model != Some(State::Closed) => {
                        Some(State::Closed)
                    }
                    None => None,
                };
                if let Some(to) = next {
                    conn.model.states[i] = Some(to);
                    out.push(transition(
                        conn,
                        Step {
                            end: i,
                            from: model,
                            to,
                        },
                        Source::Kernel,
                    ));
                }
            }
        }
        self.last = snap;
        // Forget connections that are over on both ends (their last step is shown).
        let local = &self.local;
        self.flows.retain(|c| {
            !(c.finished()
                && (0..2).all(|i| {
                    !local.contains(c.ends[i].addr.ip())
                        || c.model.states[i].is_none_or(|s| s == State::Closed)
                }))
        });
        out
    }

    /// Whether a local socket is still on its way somewhere (worth another look at
    /// the kernel without new segments): open, closing, or in TIME-WAIT.
    pub fn unsettled(&self) -> bool {
        self.flows.iter().any(|c| {
            (0..2).any(|i| {
                self.local.contains(c.ends[i].addr.ip())
                    && c.model.states[i].is_some_and(|s| s != State::Closed && s != State::Listen)
            })
        })
    }

    /// The last look at the kernel.
    pub fn last_snapshot(&self) -> &Snapshot {
        &self.last
    }
}

fn transition(conn: &super::flow::Conn, s: Step, source: Source) -> Transition {
    Transition {
        role: conn.ends[s.end].role,
        local: conn.ends[s.end].addr,
        peer: conn.ends[1 - s.end].addr,
        from: s.from,
        to: s.to,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::Flags;
    use super::*;

    const C: &str = "127.0.0.1:51234";
    const S: &str = "127.0.0.1:7007";

    fn seg(seq: u32, ack: u32, flags: u8) -> Segment {
        Segment::bare(seq, ack, flags)
    }

    fn names(ts: &[Transition]) -> Vec<String> {
        ts.iter()
            .map(|t| {
                format!(
                    "{} {}>{} {}",
                    t.role.name(),
                    t.from_name(),
                    t.to.name(true),
                    t.source.name()
                )
            })
            .collect()
    }

    #[test]
    fn the_kernel_confirms_corrects_and_closes() {
        let (c, s) = (C.parse().unwrap(), S.parse().unwrap());
        let mut t = Tracker::new(LocalAddrs::default(), false);
        t.reconcile(Snapshot::with(&[], &[S]));
        let syn = t.segment(c, s, &seg(100, 0, Flags::SYN));
        assert_eq!(
            names(&syn.transitions),
            [
                "client CLOSED>SYN-SENT segments",
                "server LISTEN>SYN-RECV segments"
            ]
        );
        t.segment(s, c, &seg(500, 101, Flags::SYN | Flags::ACK));
        t.segment(c, s, &seg(101, 501, Flags::ACK));
        // The kernel agrees: nothing to say.
        let est = Snapshot::with(
            &[(C, S, State::Established), (S, C, State::Established)],
            &[S],
        );
        assert!(t.reconcile(est.clone()).is_empty());
        // A look older than the segments (SYN-SENT) is ignored.
        let old = Snapshot::with(&[(C, S, State::SynSent), (S, C, State::SynRecv)], &[S]);
        assert!(t.reconcile(old).is_empty());
        // The client closed and the FIN is not captured yet: the kernel says so first.
        let closing = Snapshot::with(&[(C, S, State::FinWait1), (S, C, State::Established)], &[S]);
        assert_eq!(
            names(&t.reconcile(closing)),
            ["client ESTABLISHED>FIN-WAIT-1 kernel"]
        );
        let fin = t.segment(c, s, &seg(101, 501, Flags::FIN | Flags::ACK));
        assert!(fin.transitions.is_empty(), "a FIN counts once acknowledged");
        let fin_ack = t.segment(s, c, &seg(501, 102, Flags::FIN | Flags::ACK));
        assert_eq!(
            names(&fin_ack.transitions),
            [
                "server ESTABLISHED>CLOSE-WAIT segments",
                "server CLOSE-WAIT>LAST-ACK segments",
                "client FIN-WAIT-1>FIN-WAIT-2 segments"
            ]
        );
        let last = t.segment(c, s, &seg(102, 502, Flags::ACK));
        assert_eq!(
            names(&last.transitions),
            [
                "client FIN-WAIT-2>TIME-WAIT segments",
                "server LAST-ACK>CLOSED segments"
            ]
        );
        assert!(t.unsettled(), "TIME-WAIT is still a socket");
        let tw = Snapshot::with(&[(C, S, State::TimeWait)], &[S]);
        assert!(t.reconcile(tw).is_empty());
        // TIME-WAIT over: the socket is gone.
        assert_eq!(
            names(&t.reconcile(Snapshot::with(&[], &[S]))),
            ["client TIME-WAIT>CLOSED kernel"]
        );
        assert!(!t.unsettled());
    }

    #[test]
    fn remote_ends_get_no_state_lines() {
        let (c, r) = (C.parse().unwrap(), "192.0.2.1:80".parse().unwrap());
        let mut t = Tracker::new(LocalAddrs::default(), false);
        let syn = t.segment(c, r, &seg(1, 0, Flags::SYN));
        let sa = t.segment(r, c, &seg(9, 2, Flags::SYN | Flags::ACK));
        assert_eq!(names(&syn.transitions), ["client CLOSED>SYN-SENT segments"]);
        assert_eq!(
            names(&sa.transitions),
            ["client SYN-SENT>ESTABLISHED segments"]
        );
    }
}
