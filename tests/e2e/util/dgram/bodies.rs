//! What every datagram server promises, as test bodies taking the service and the
//! engine: the udp, unix and heartbeat modules run each one per engine with
//! `engine_test!`, so a failure names the service, the promise and the engine.

use std::time::Duration;

use nettool::net::hexdump::{Direction, parse};
use serde_json::Value;

use super::{EventServer, Peer, Svc, names};
use crate::util::nettool;

/// The socket file of a server started on `dir` (none for an abstract name or UDP).
fn socket_file(svc: Svc, dir: &std::path::Path) -> Option<std::path::PathBuf> {
    matches!(
        svc,
        Svc::UnixEcho {
            abstract_name: false
        }
    )
    .then(|| dir.join("srv.sock"))
}

fn exit_ok_with_summary(s: &mut EventServer) -> Value {
    let (status, summary) = s.stop();
    assert!(status.success(), "{status:?}");
    summary
}

/// Twelve peers at once, six datagrams in flight each: every reply exact and in
/// order, every datagram counted once for its peer.
pub fn many_peers(svc: Svc, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = svc.start(dir.path(), engine, &[]);
    let addr = s.addr();
    let (peers, each, window) = (12u64, 60u64, 6u64);
    let mut bytes = 0;
    std::thread::scope(|t| {
        let workers: Vec<_> = (0..peers)
            .map(|p| {
                let (addr, dir) = (&addr, dir.path());
                t.spawn(move || {
                    let peer = Peer::new(svc, addr, dir);
                    let mut sent = 0;
                    for start in (0..each).step_by(window as usize) {
                        let batch: Vec<u64> = (start..(start + window).min(each))
                            .map(|i| p * 1000 + i)
                            .collect();
                        for &n in &batch {
                            let req = svc.request(n);
                            sent += req.len();
                            peer.send(&req);
                        }
                        for &n in &batch {
                            svc.check(n, &peer.recv());
                        }
                    }
                    sent
                })
            })
            .collect();
        bytes = workers
            .into_iter()
            .map(|w| w.join().unwrap())
            .sum::<usize>();
    });
    let sum = exit_ok_with_summary(&mut s);
    let total = peers * each;
    assert_eq!(sum["connections"], peers, "{sum}");
    assert_eq!(
        (sum["datagrams_in"].as_u64(), sum["datagrams_out"].as_u64()),
        (Some(total), Some(total)),
        "{sum}"
    );
    assert_eq!(
        (sum["unanswered"].as_u64(), sum["refused"].as_u64()),
        (Some(0), Some(0)),
        "{sum}"
    );
    assert_eq!(sum["bytes_in"], bytes as u64, "{sum}");
    if svc != Svc::Heartbeat {
        assert_eq!(sum["bytes_out"], bytes as u64, "{sum}");
    }
}

/// SIGUSR1 prints the live counters and the server answers on; SIGTERM ends it with
/// status 0 and the summary, and a socket file it made is gone.
pub fn sigusr1_then_sigterm(svc: Svc, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = svc.start(dir.path(), engine, &[]);
    let peer = Peer::new(svc, &s.addr(), dir.path());
    for n in 0..3 {
        peer.round_trip(svc, n);
    }
    s.server.signal(nix::sys::signal::Signal::SIGUSR1);
    let st = s.wait_for("stats", |_| true);
    for (k, v) in [
        ("datagrams_in", 3),
        ("datagrams_out", 3),
        ("open", 1),
        ("connections", 1),
    ] {
        assert_eq!(st[k], v, "{k}: {st}");
    }
    assert!(s.server.alive(), "SIGUSR1 must not stop the server");
    peer.round_trip(svc, 3);
    if let Some(file) = socket_file(svc, dir.path()) {
        assert!(file.exists());
    }
    let sum = exit_ok_with_summary(&mut s);
    assert_eq!(sum["datagrams_in"], 4, "{sum}");
    if let Some(file) = socket_file(svc, dir.path()) {
        assert!(!file.exists(), "{} left behind", file.display());
    }
}

/// `-x`: every datagram in the dump, each direction byte-exact, labelled with its peer.
pub fn hexdump_both_ways(svc: Svc, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.txt");
    let mut s = svc.start(dir.path(), engine, &["-x", dump.to_str().unwrap()]);
    let peer = Peer::new(svc, &s.addr(), dir.path());
    let (mut asked, mut answers) = (Vec::new(), Vec::new());
    for n in 0..5 {
        asked.push(svc.request(n));
        peer.send(&asked[n as usize]);
        answers.push(peer.recv());
        svc.check(n, &answers[n as usize]);
    }
    exit_ok_with_summary(&mut s);
    let text = std::fs::read_to_string(&dump).unwrap();
    let chunks = parse(&text).unwrap();
    let dir_of = |d| -> Vec<Vec<u8>> {
        chunks
            .iter()
            .filter(|(x, _)| *x == d)
            .map(|(_, b)| b.clone())
            .collect()
    };
    assert!(
        dir_of(Direction::Received) == asked,
        "received side of the dump differs"
    );
    assert!(
        dir_of(Direction::Sent) == answers,
        "sent side of the dump differs"
    );
    let label = format!(" peer {}", peer.label());
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("# ") && l.contains(&label))
            .count(),
        10,
        "every header names the peer:\n{text}"
    );
}

/// `--max-connections 2` with three peers: the third is refused (logged, unanswered)
/// while the first two are served on.
pub fn max_connections_2_with_3_peers(svc: Svc, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = svc.start(dir.path(), engine, &["-v", "--max-connections", "2"]);
    let addr = s.addr();
    let [a, b, c] = [0, 1, 2].map(|_| Peer::new(svc, &addr, dir.path()));
    a.round_trip(svc, 0);
    b.round_trip(svc, 1);
    c.send(&svc.request(2));
    let refused = s.wait_for("refused", |v| names(v, &c));
    assert!(
        refused["reason"]
            .as_str()
            .unwrap()
            .contains("too many peers"),
        "{refused}"
    );
    a.round_trip(svc, 3);
    assert_eq!(
        c.recv_within(Duration::from_millis(200)),
        None,
        "refused peers get no reply"
    );
    b.round_trip(svc, 4);
    let sum = exit_ok_with_summary(&mut s);
    assert_eq!(
        (sum["connections"].as_u64(), sum["refused"].as_u64()),
        (Some(2), Some(1)),
        "{sum}"
    );
    assert_eq!(sum["peak_connections"], 2);
}

/// `--idle-timeout`: a peer silent that long is forgotten (logged with its counts) and
/// is a new peer when it speaks again.
pub fn idle_timeout_forgets_a_peer(svc: Svc, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = svc.start(dir.path(), engine, &["-v", "--idle-timeout", "300ms"]);
    let peer = Peer::new(svc, &s.addr(), dir.path());
    peer.round_trip(svc, 0);
    let first = s.wait_for("connect", |v| names(v, &peer));
    let gone = s.wait_for("close", |v| names(v, &peer));
    assert_eq!(gone["reason"], "idle timeout", "{gone}");
    assert_eq!(
        (gone["id"].clone(), gone["datagrams_in"].clone()),
        (first["id"].clone(), 1.into())
    );
    peer.round_trip(svc, 1);
    let again = s.wait_for("connect", |v| names(v, &peer));
    assert_ne!(
        again["id"], first["id"],
        "a forgotten peer comes back as a new one"
    );
    let sum = exit_ok_with_summary(&mut s);
    assert_eq!(sum["connections"], 2, "{sum}");
}

/// fork, thread and the reactor cannot serve datagrams: exit 2, one line saying why,
/// nothing bound, no socket file made.
pub fn engine_refused(svc: Svc, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = nettool()
        .args(svc.args(dir.path(), engine, &[]))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "nettool: --engine {engine} cannot serve datagrams"
        )),
        "{err}"
    );
    // Nothing on stdout but, under --json, the error record.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().all(|l| l.contains("\"event\":\"error\"")) && !err.contains("listening on"),
        "{stdout}"
    );
    if let Some(file) = socket_file(svc, dir.path()) {
        assert!(!file.exists());
    }
}
