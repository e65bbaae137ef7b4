//! The TCP state diagram (RFC 9293 §3.3.2), driven by the segments on the wire.
//!
//! The kernel moves a socket along the diagram when it sends or receives a segment:
//! the client's SYN puts it in SYN-SENT, the server's SYN-ACK comes from SYN-RECV, the
//! SYN-ACK puts the client in ESTABLISHED and the ACK of it the server. Whoever sends
//! the first FIN goes FIN-WAIT-1, FIN-WAIT-2 once it is acknowledged, TIME-WAIT when
//! the peer's FIN comes (CLOSING if the FINs cross); the other side goes CLOSE-WAIT on
//! that FIN and LAST-ACK when it sends its own, CLOSED when that is acknowledged. A RST
//! closes at once. A FIN counts as received when its receiver acknowledges it.
//!
//! On loopback the kernel does all of a handshake in one go, far quicker than anyone
//! can ask it (sock_diag) in between, so a look at the socket table sees ESTABLISHED
//! and then TIME-WAIT, not the states between. This model places each step at the
//! segment that caused it; [`super::kernel`] checks it against what the kernel says.

use super::parse::Segment;
use crate::stat::State;

/// One move along the diagram of one end of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Index into [`Conn::ends`].
    pub end: usize,
    /// `None`: the socket did not exist before (shown as CLOSED, or LISTEN for the
    /// server's new connection).
    pub from: Option<State>,
    pub to: State,
}

/// Where each end of a connection is on the diagram, as far as the segments say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Model {
    pub states: [Option<State>; 2],
}

/// How far along the diagram a state is, to tell an older look at a socket from a
/// newer one: the kernel's answer can lag behind the segments already read.
pub fn rank(s: State) -> u8 {
    match s {
        State::Listen => 0,
        State::SynSent | State::SynRecv => 1,
        State::Established => 2,
        State::FinWait1 | State::CloseWait => 3,
        State::FinWait2 | State::Closing | State::LastAck => 4,
        State::TimeWait => 5,
        State::Closed => 6,
    }
}

impl Model {
    /// Move the ends for `seg`, sent by end `from`. `acked_fin`: the segment is the
    /// first to acknowledge the receiver's FIN. `listening`: the receiver of a SYN has
    /// a listener (from the kernel); without one its SYN-RECV waits for its SYN-ACK.
    ///
    /// A FIN moves its receiver only once the receiver acknowledges it: a FIN that
    /// arrives after a gap (a lost segment) waits in the out-of-order queue, and the
    /// receiver stays where it was until the gap is filled.
    pub fn segment(
        &mut self,
        from: usize,
        seg: &Segment,
        acked_fin: bool,
        listening: bool,
    ) -> Vec<Step> {
        let to = 1 - from;
        let f = seg.flags;
        let mut steps = Vec::new();
        let mut go = |model: &mut Model, end: usize, next: State| {
            let from = model.states[end];
            if from != Some(next) {
                model.states[end] = Some(next);
                steps.push(Step {
                    end,
                    from,
                    to: next,
                });
            }
        };
        let is = |model: &Model, end: usize, s: State| model.states[end] == Some(s);

        // The sender first. Acknowledging the peer's FIN shows it was received.
        if acked_fin && !f.rst() {
            match self.states[from] {
                Some(State::Established) => go(self, from, State::CloseWait),
                Some(State::FinWait1) => go(self, from, State::Closing),
                Some(State::FinWait2) => go(self, from, State::TimeWait),
                _ => {}
            }
        }
        let mine = self.states[from];
        if f.rst() {
            if mine.is_some_and(|s| s != State::Closed && s != State::Listen) {
                go(self, from, State::Closed);
            }
        } else if f.syn() && !f.ack() {
            if mine.is_none_or(|s| s == State::Closed) {
                go(self, from, State::SynSent);
            }
        } else if f.syn() {
            if mine.is_none_or(|s| s == State::Listen) {
                go(self, from, State::SynRecv);
            }
        } else if f.fin() {
            match mine {
                Some(State::Established | State::SynRecv) => go(self, from, State::FinWait1),
                Some(State::CloseWait) => go(self, from, State::LastAck),
                _ => {}
            }
        }

        // Then the receiver, as the segment arrives.
        let theirs = self.states[to];
        if f.rst() {
            if theirs.is_some_and(|s| s != State::Closed && s != State::Listen) {
                go(self, to, State::Closed);
            }
        } else if f.syn() && !f.ack() {
            if listening && theirs.is_none_or(|s| s == State::Listen || s == State::Closed) {
                go(self, to, State::SynRecv);
            }
        } else if f.syn() {
            if is(self, to, State::SynSent) {
                go(self, to, State::Established);
            }
        } else if f.ack() {
            if is(self, to, State::SynRecv) {
                go(self, to, State::Established);
            }
            if acked_fin {
                match self.states[to] {
                    Some(State::FinWait1) => go(self, to, State::FinWait2),
                    Some(State::Closing) => go(self, to, State::TimeWait),
                    Some(State::LastAck) => go(self, to, State::Closed),
                    _ => {}
                }
            }
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::super::flow::Flows;
    use super::super::parse::Flags;
    use super::*;

    const C: &str = "127.0.0.1:51234";
    const S: &str = "127.0.0.1:7007";

    /// Feed segments (from client?, seq, ack, flags) and collect the steps as text.
    fn run(segs: &[(bool, u32, u32, u8)], listening: bool) -> Vec<String> {
        let (c, s) = (C.parse().unwrap(), S.parse().unwrap());
        let mut flows = Flows::default();
        let mut model = Model::default();
        let mut out = Vec::new();
        for &(client, seq, ack, flags) in segs {
            let seg = Segment::bare(seq, ack, flags);
            let (src, dst) = if client { (c, s) } else { (s, c) };
            let view = flows.segment(src, dst, &seg, true);
            let conn = flows.get(c, s).unwrap();
            for st in model.segment(view.from, &seg, view.acked_fin, listening) {
                let who = conn.ends[st.end].role.name();
                let from = st.from.map_or("-", |s| s.name(true));
                out.push(format!("{who} {from}>{}", st.to.name(true)));
            }
        }
        out
    }

    const SYN: u8 = Flags::SYN;
    const ACK: u8 = Flags::ACK;
    const FIN: u8 = Flags::FIN | Flags::ACK;

    #[test]
    fn handshake_and_four_way_close_walk_the_diagram() {
        let steps = run(
            &[
                (true, 100, 0, SYN),
                (false, 500, 101, SYN | ACK),
                (true, 101, 501, ACK),
                (true, 101, 501, FIN),
                (false, 501, 102, ACK),
                (false, 501, 102, FIN),
                (true, 102, 502, ACK),
            ],
            true,
        );
        assert_eq!(
            steps,
            [
                "client ->SYN-SENT",
                "server ->SYN-RECV",
                "client SYN-SENT>ESTABLISHED",
                "server SYN-RECV>ESTABLISHED",
                "client ESTABLISHED>FIN-WAIT-1",
                "server ESTABLISHED>CLOSE-WAIT",
                "client FIN-WAIT-1>FIN-WAIT-2",
                "server CLOSE-WAIT>LAST-ACK",
                "client FIN-WAIT-2>TIME-WAIT",
                "server LAST-ACK>CLOSED",
            ]
        );
    }

    #[test]
    fn crossing_fins_pass_through_closing() {
        let steps = run(
            &[
                (true, 100, 0, SYN),
                (false, 500, 101, SYN | ACK),
                (true, 101, 501, ACK),
                (true, 101, 501, FIN),
                (false, 501, 101, FIN), // sent before the client's FIN arrived
                (true, 102, 502, ACK),
                (false, 502, 102, ACK),
            ],
            true,
        );
        assert!(
            steps.contains(&"client FIN-WAIT-1>CLOSING".to_string()),
            "{steps:?}"
        );
        assert!(
            steps.contains(&"client CLOSING>TIME-WAIT".to_string()),
            "{steps:?}"
        );
    }

    #[test]
    fn a_refused_connect_is_syn_then_rst() {
        // Nothing listens, so the refusing end never is a socket: only the client moves.
        let steps = run(
            &[(true, 100, 0, SYN), (false, 0, 101, Flags::RST | ACK)],
            false,
        );
        assert_eq!(steps, ["client ->SYN-SENT", "client SYN-SENT>CLOSED"]);
    }
}
