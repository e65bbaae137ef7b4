//! The relay (port forwarding, socat's `TCP-LISTEN:…,fork TCP:…`): every accepted
//! connection gets an upstream connection of its own to one of the targets, and the
//! bytes pass through unchanged both ways. The engine does the work (connecting,
//! half-close in each direction, back-pressure across — see `engine::core`); this
//! service only chooses the target order (`--balance`) and logs what became of it.

use serde_json::json;

use crate::engine::service::{
    ConnInfo, Outbox, Service, ServiceFactory, Upstream, UpstreamEvent, Verdict,
};
use crate::net::upstream::Endpoint;
use crate::os_error::{self, Op, Target};
use crate::output::{Level, Output};

/// How a connection's target is chosen among several (`--to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Balance {
    /// Each connection starts at the next target in turn.
    RoundRobin,
    /// Every connection starts at the first target; the others are fallbacks.
    First,
}

/// Makes one [`Relay`] per connection.
pub struct RelayFactory {
    pub targets: Vec<Endpoint>,
    pub balance: Balance,
    /// `-w`: the bound on each connect attempt.
    pub connect_timeout: Option<std::time::Duration>,
    pub out: Output,
}

impl RelayFactory {
    /// The order connection `id` tries the targets in: with round robin it starts at
    /// target `id mod n` (connection ids are the server's, counted in the one process
    /// that accepts, so this rotates under fork too); either way a target that fails
    /// gives way to the ones after it.
    fn order(&self, id: u64) -> Vec<Endpoint> {
        let n = self.targets.len();
        let start = match self.balance {
            Balance::RoundRobin if n > 0 => (id.saturating_sub(1) % n as u64) as usize,
            _ => 0,
        };
        let mut order = self.targets.clone();
        order.rotate_left(start);
        order
    }
}

impl ServiceFactory for RelayFactory {
    type Service = Relay;

    fn open(&self, info: &ConnInfo) -> Relay {
        Relay {
            id: info.id,
            plan: Some(Upstream {
                targets: self.order(info.id),
                connect_timeout: self.connect_timeout,
            }),
            out: self.out.clone(),
        }
    }

    fn owns_upstream(&self) -> bool {
        true
    }
}

/// One relayed connection.
pub struct Relay {
    id: u64,
    plan: Option<Upstream>,
    out: Output,
}

impl Service for Relay {
    fn upstream(&mut self) -> Option<Upstream> {
        self.plan.take()
    }

    fn on_data(&mut self, _data: &[u8], _out: &mut Outbox) -> Verdict {
        // Never called: with an upstream, the client's bytes go to `forward`.
        Verdict::Keep
    }

    fn on_upstream(&mut self, event: UpstreamEvent<'_>) {
        let id = self.id;
        match event {
            UpstreamEvent::Connected(to) => {
                self.out.event(
                    Level::Detail,
                    "upstream",
                    json!({"id": id, "to": to.to_string()}),
                    || format!("connection {id}: relaying to {to}"),
                );
            }
            UpstreamEvent::Failed { to, err, next } => {
                let shown = to.to_string();
                let target = match to {
                    Endpoint::Inet(a) => Target::Inet(*a),
                    Endpoint::Unix(_) => Target::Unix(&shown),
                };
                let why = os_error::explain(Op::Connect, target, err);
                let then = if next {
                    "trying the next target"
                } else {
                    "closing the client's connection"
                };
                self.out.event(
                    Level::Info,
                    "upstream_failed",
                    json!({"id": id, "to": shown, "error": why, "next": next}),
                    || format!("connection {id}: connect to {to}: {why}; {then}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Verbosity;

    fn factory(balance: Balance) -> RelayFactory {
        let ep = |p| Endpoint::Inet(std::net::SocketAddr::from(([127, 0, 0, 1], p)));
        RelayFactory {
            targets: vec![ep(1), ep(2), ep(3)],
            balance,
            connect_timeout: None,
            out: Output::new(false, Verbosity::Quiet),
        }
    }

    fn first_port(f: &RelayFactory, id: u64) -> u16 {
        match &f.order(id)[0] {
            Endpoint::Inet(a) => a.port(),
            Endpoint::Unix(_) => unreachable!(),
        }
    }

    #[test]
    fn round_robin_rotates_and_first_does_not() {
        let rr = factory(Balance::RoundRobin);
        let firsts: Vec<u16> = (1..=4).map(|id| first_port(&rr, id)).collect();
        assert_eq!(firsts, [1, 2, 3, 1]);
        assert_eq!(rr.order(2).len(), 3, "the others stay as fallbacks");
        let first = factory(Balance::First);
        assert!((1..=4).all(|id| first_port(&first, id) == 1));
    }

    #[test]
    fn the_plan_is_handed_over_once() {
        let f = factory(Balance::First);
        let mut r = f.open(&ConnInfo::loopback(1));
        assert_eq!(r.upstream().map(|u| u.targets.len()), Some(3));
        assert_eq!(r.upstream(), None);
    }
}
