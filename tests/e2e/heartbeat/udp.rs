//! `heartbeat serve --udp`: the responder as a service on the datagram engine, per
//! engine — beats from `heartbeat connect --udp`, many peers, SIGUSR1/SIGTERM, `-x`,
//! `--max-connections`, `--idle-timeout` (and the pong's peer count following it),
//! engines that cannot serve datagrams.

use std::time::Duration;

use nettool::proto::heartbeat::wire::{self, Frame};

use super::local_client;
use crate::engines::engine_test;
use crate::util::dgram::bodies::*;
use crate::util::dgram::{Peer, Svc, names};

const HB: Svc = Svc::Heartbeat;

engine_test!(
    beats_from_the_client_are_answered,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        // A pong later than the interval is a miss: time-bound, so one at a time.
        let _serial = crate::heartbeat::timing_lock();
        let dir = tempfile::tempdir().unwrap();
        let s = HB.start(dir.path(), engine, &[]);
        let mut c = local_client(&s.addr(), &["--udp", "--interval", "200ms", "-n", "5"]);
        assert_eq!(c.finish(Duration::from_secs(10)), Some(0));
        assert_eq!(c.count("beat"), 5, "{:?}", c.seen);
        assert_eq!(c.last("beat").unwrap()["peer_connections"], 1);
    }
);

engine_test!(
    pings_from_many_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        many_peers(HB, engine);
    }
);

engine_test!(
    sigusr1_reports_then_sigterm_stops,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        sigusr1_then_sigterm(HB, engine);
    }
);

engine_test!(
    hexdump_shows_each_ping_and_pong,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        hexdump_both_ways(HB, engine);
    }
);

engine_test!(
    max_connections_refuses_a_third_peer,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        max_connections_2_with_3_peers(HB, engine);
    }
);

engine_test!(
    idle_timeout_forgets_silent_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        idle_timeout_forgets_a_peer(HB, engine);
    }
);

engine_test!(
    connection_engines_are_refused,
    [iterative, fork, thread, busy_poll, reactor],
    |engine| {
        engine_refused(HB, engine);
    }
);

// The pong's `connections` is the number of peers tracked: it counts a second peer
// and drops again once the first has been forgotten.
engine_test!(pong_counts_the_peers_tracked, [poll, epoll_et], |engine| {
    let dir = tempfile::tempdir().unwrap();
    let mut s = HB.start(dir.path(), engine, &["-v", "--idle-timeout", "1s"]);
    let (a, b) = (
        Peer::new(HB, &s.addr(), dir.path()),
        Peer::new(HB, &s.addr(), dir.path()),
    );
    let peers_in_pong = |p: &Peer, n| {
        p.send(&HB.request(n));
        match wire::decode_datagram(&p.recv()) {
            Ok(Frame::Pong(pong)) => pong.connections,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(peers_in_pong(&a, 0), 1);
    assert_eq!(peers_in_pong(&b, 1), 2);
    // Once a is forgotten, b's pong counts one peer: b itself (still tracked, or
    // tracked anew if it was forgotten too).
    s.wait_for("close", |v| names(v, &a));
    assert_eq!(peers_in_pong(&b, 2), 1);
});
