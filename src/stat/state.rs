//! The TCP state machine's states (RFC 793's diagram, numbered as in the kernel's
//! `include/net/tcp_states.h`) and sets of them, as `ss state …` filters take them.
//!
//! A connection is opened by a three-way handshake (SYN-SENT / SYN-RECV), lives in
//! ESTABLISHED, and is closed by a four-way exchange of FINs: the side that closes first
//! walks FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT (2·MSL, one minute on Linux), the other
//! CLOSE-WAIT → LAST-ACK. UDP and Unix sockets borrow the numbers: 7 (TCP_CLOSE) is an
//! unconnected socket there (`UNCONN`), 1 a connected one.

use colored::Color;

/// A socket state, by the kernel's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Closed = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
}

pub const ALL_STATES: [State; 11] = [
    State::Established,
    State::SynSent,
    State::SynRecv,
    State::FinWait1,
    State::FinWait2,
    State::TimeWait,
    State::Closed,
    State::CloseWait,
    State::LastAck,
    State::Listen,
    State::Closing,
];

impl State {
    /// From the kernel's number; 12 (TCP_NEW_SYN_RECV, a request socket) is a SYN-RECV.
    pub fn from_kernel(n: u8) -> Option<State> {
        match n {
            12 => Some(State::SynRecv),
            1..=11 => Some(ALL_STATES[n as usize - 1]),
            _ => None,
        }
    }

    /// The name from the TCP state diagram; unconnected UDP/Unix sockets are `UNCONN`.
    pub fn name(self, tcp: bool) -> &'static str {
        match self {
            State::Established => "ESTABLISHED",
            State::SynSent => "SYN-SENT",
            State::SynRecv => "SYN-RECV",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::TimeWait => "TIME-WAIT",
            State::Closed if tcp => "CLOSED",
            State::Closed => "UNCONN",
            State::CloseWait => "CLOSE-WAIT",
            State::LastAck => "LAST-ACK",
            State::Listen => "LISTEN",
            State::Closing => "CLOSING",
        }
    }

    /// The colour of the connection's phase: opening, open, closing, gone.
    pub fn phase_color(self) -> Color {
        match self {
            State::Listen => Color::Cyan,
            State::SynSent | State::SynRecv => Color::Yellow,
            State::Established => Color::Green,
            State::FinWait1
            | State::FinWait2
            | State::CloseWait
            | State::LastAck
            | State::Closing => Color::Magenta,
            State::TimeWait | State::Closed => Color::BrightBlack,
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A set of states: the kernel's `idiag_states` bit mask (bit N = state N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateSet(pub u32);

impl Default for StateSet {
    /// What `ss` shows without `-a`/`-l`: every state but LISTEN, UNCONN, TIME-WAIT and
    /// SYN-RECV.
    fn default() -> Self {
        StateSet::all().without(&[
            State::Listen,
            State::Closed,
            State::TimeWait,
            State::SynRecv,
        ])
    }
}

impl StateSet {
    pub fn all() -> StateSet {
        StateSet(ALL_STATES.iter().fold(0, |m, s| m | s.bit()))
    }

    pub fn none() -> StateSet {
        StateSet(0)
    }

    /// `-l`: listening TCP and unconnected UDP sockets.
    pub fn listening() -> StateSet {
        StateSet::of(&[State::Listen, State::Closed])
    }

    pub fn of(states: &[State]) -> StateSet {
        StateSet(states.iter().fold(0, |m, s| m | s.bit()))
    }

    pub fn without(self, states: &[State]) -> StateSet {
        StateSet(self.0 & !StateSet::of(states).0)
    }

    pub fn union(self, other: StateSet) -> StateSet {
        StateSet(self.0 | other.0)
    }

    pub fn contains(self, s: State) -> bool {
        self.0 & s.bit() != 0
    }

    /// The mask to send to the kernel: asking for SYN-RECV also asks for request
    /// sockets (TCP_NEW_SYN_RECV, 12), as ss does.
    pub fn kernel_mask(self) -> u32 {
        if self.contains(State::SynRecv) {
            self.0 | 1 << 12
        } else {
            self.0
        }
    }

    /// Parse a state name or one of ss's groups (`all`, `connected`, `synchronized`,
    /// `bucket`, `big`); case and `-`/`_` do not matter.
    pub fn parse(name: &str) -> Result<StateSet, String> {
        let key = name.trim().to_ascii_lowercase().replace('_', "-");
        let one = |s| Ok(StateSet::of(&[s]));
        match key.as_str() {
            "established" | "estab" => one(State::Established),
            "syn-sent" => one(State::SynSent),
            "syn-recv" | "syn-received" => one(State::SynRecv),
            "fin-wait-1" | "fin-wait1" => one(State::FinWait1),
            "fin-wait-2" | "fin-wait2" => one(State::FinWait2),
            "time-wait" => one(State::TimeWait),
            "closed" | "close" | "unconn" | "unconnected" => one(State::Closed),
            "close-wait" => one(State::CloseWait),
            "last-ack" => one(State::LastAck),
            "listen" | "listening" => one(State::Listen),
            "closing" => one(State::Closing),
            "all" => Ok(StateSet::all()),
            "connected" => Ok(StateSet::all().without(&[State::Listen, State::Closed])),
            "synchronized" => {
                Ok(StateSet::all().without(&[State::Listen, State::Closed, State::SynSent]))
            }
            "bucket" => Ok(StateSet::of(&[State::SynRecv, State::TimeWait])),
            "big" => Ok(StateSet::all().without(&[State::SynRecv, State::TimeWait])),
            _ => Err(format!(
                "unknown state {name:?}; try ESTABLISHED, SYN-SENT, SYN-RECV, FIN-WAIT-1, \
                 FIN-WAIT-2, TIME-WAIT, CLOSED, CLOSE-WAIT, LAST-ACK, LISTEN, CLOSING, or a \
                 group: all, connected, synchronized, bucket, big"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_numbers_round_trip() {
        for s in ALL_STATES {
            assert_eq!(State::from_kernel(s as u8), Some(s));
        }
        assert_eq!(State::from_kernel(12), Some(State::SynRecv));
        assert_eq!(State::from_kernel(0), None);
        assert_eq!(State::from_kernel(13), None);
    }

    #[test]
    fn default_set_is_ss_connected_without_buckets() {
        let d = StateSet::default();
        assert!(d.contains(State::Established) && d.contains(State::FinWait2));
        assert!(!d.contains(State::Listen) && !d.contains(State::TimeWait));
        assert!(!d.contains(State::SynRecv) && !d.contains(State::Closed));
    }

    #[test]
    fn names_and_groups_parse() {
        assert_eq!(
            StateSet::parse("TIME_WAIT").unwrap(),
            StateSet::of(&[State::TimeWait])
        );
        assert_eq!(
            StateSet::parse("fin-wait-1").unwrap(),
            StateSet::of(&[State::FinWait1])
        );
        assert!(
            !StateSet::parse("connected")
                .unwrap()
                .contains(State::Listen)
        );
        assert!(
            !StateSet::parse("synchronized")
                .unwrap()
                .contains(State::SynSent)
        );
        assert!(
            StateSet::parse("nonsense")
                .unwrap_err()
                .contains("unknown state")
        );
        assert_ne!(StateSet::of(&[State::SynRecv]).kernel_mask() & (1 << 12), 0);
    }

    #[test]
    fn unconnected_is_named_per_protocol() {
        assert_eq!(State::Closed.name(true), "CLOSED");
        assert_eq!(State::Closed.name(false), "UNCONN");
    }
}
