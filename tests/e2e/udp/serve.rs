//! `udp serve`: the echo service on the datagram engine, per engine (v4 and v6, many
//! peers, SIGUSR1/SIGTERM, `-x`, `--max-connections`, `--idle-timeout`, engines that
//! cannot serve datagrams), and against real peers: `nettool udp send`, socat, nc.

use std::process::Stdio;
use std::time::Duration;

use super::json_lines;
use crate::engines::engine_test;
use crate::util::dgram::Svc;
use crate::util::dgram::bodies::*;
use crate::util::proc::{fd_count, rss_kib};
use crate::util::run_with_stdin;
use crate::util::{Server, nettool, random_bytes, require};

const V4: Svc = Svc::UdpEcho { v6: false };
const V6: Svc = Svc::UdpEcho { v6: true };

engine_test!(
    v4_echo_from_many_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        many_peers(V4, engine);
    }
);

engine_test!(
    v6_echo_from_many_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        many_peers(V6, engine);
    }
);

engine_test!(
    sigusr1_reports_then_sigterm_stops,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        sigusr1_then_sigterm(V4, engine);
    }
);

engine_test!(
    hexdump_shows_each_datagram_both_ways,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        hexdump_both_ways(V6, engine);
    }
);

engine_test!(
    max_connections_refuses_a_third_peer,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        max_connections_2_with_3_peers(V4, engine);
    }
);

engine_test!(
    idle_timeout_forgets_silent_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        idle_timeout_forgets_a_peer(V4, engine);
    }
);

engine_test!(
    connection_engines_are_refused,
    [iterative, fork, thread, busy_poll, reactor],
    |engine| {
        engine_refused(V4, engine);
    }
);

// socat and OpenBSD nc as peers: each gets its own datagram back.
engine_test!(
    socat_and_nc_are_answered,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        if !require("socat") || !require("nc") {
            return;
        }
        let server = Server::start(&["udp", "serve", "-l", "127.0.0.1:0", "--engine", engine]);
        let addr = server.socket_addr();
        let payload = random_bytes(1200, 3);
        let mut socat = std::process::Command::new("socat");
        socat.args(["-t", "2", "-", &format!("UDP:{addr}")]);
        let out = run_with_stdin(socat, &payload);
        assert!(out.stdout == payload, "socat: {out:?}");
        let mut nc = std::process::Command::new("nc");
        nc.args([
            "-u",
            "-w",
            "1",
            &addr.ip().to_string(),
            &addr.port().to_string(),
        ]);
        let out = run_with_stdin(nc, b"from nc\n");
        assert_eq!(out.stdout, b"from nc\n", "nc: {out:?}");
    }
);

#[test]
fn echo_10000_datagrams_every_one_counted() {
    let mut server = Server::start(&["udp", "serve", "-l", "127.0.0.1:0"]);
    let input: String = (0..10_000).map(|i| format!("{i:05}\n")).collect();
    let mut send = nettool();
    // A short pause every datagram keeps a debug build's echo server ahead of us.
    send.args(["udp", "send", &server.addr, "-w", "2", "--interval", "20us"]);
    let out = run_with_stdin(send, input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(got.len(), 10_000, "replies");
    got.sort_unstable();
    let want: Vec<String> = (0..10_000).map(|i| format!("{i:05}")).collect();
    assert!(got.iter().zip(&want).all(|(a, b)| a == b), "replies differ");
    assert!(server.stop().success());
    let summary = server
        .wait_for_line("datagrams", Duration::from_secs(5))
        .expect("summary line");
    assert!(
        summary.starts_with(
            "1 peer (peak 1, 0 datagrams refused), 10000 datagrams (60000 bytes) in, \
             10000 datagrams (60000 bytes) out, 0 unanswered, in "
        ),
        "{summary}"
    );
}

#[test]
fn one_socket_serves_many_peers_and_labels_each() {
    let mut cmd = nettool();
    cmd.args(["-v", "--json", "udp", "serve", "-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(cmd);
    for who in ["alice", "bob", "carol"] {
        let out = nettool()
            .args(["udp", "send", &server.addr, who, "-w", "0.5"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.stdout, who.as_bytes(), "{who} gets its own echo");
    }
    assert!(server.stop().success());
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(&mut server.child.stdout.take().unwrap(), &mut stdout).unwrap();
    let events = json_lines(&stdout);
    let listening = &events[0];
    assert_eq!(
        (&listening["event"], &listening["engine"]),
        (&"listening".into(), &"epoll-et".into()),
        "JSON names the engine that runs"
    );
    let mut froms: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "datagram")
        .map(|e| e["peer"].as_str().unwrap())
        .collect();
    assert_eq!(froms.len(), 3);
    froms.dedup();
    assert_eq!(
        froms.len(),
        3,
        "each datagram names its own sender: {froms:?}"
    );
    let new_peers = events.iter().filter(|e| e["event"] == "connect").count();
    assert_eq!(new_peers, 3);
    let summary = events.iter().find(|e| e["event"] == "summary").unwrap();
    assert_eq!(summary["connections"], 3);
    assert_eq!(summary["datagrams_in"], 3);
    assert_eq!(summary["datagrams_out"], 3);
}

#[test]
fn count_stops_the_server_after_n_echoes() {
    let mut server = Server::start(&["udp", "serve", "-l", "127.0.0.1:0", "-n", "3"]);
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    sock.connect(server.socket_addr()).unwrap();
    let mut buf = [0u8; 16];
    for msg in [&b"1"[..], b"2", b"3"] {
        sock.send(msg).unwrap();
        let n = sock.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], msg);
    }
    let exited = crate::util::wait_until(Duration::from_secs(10), || !server.alive());
    assert!(exited, "-n 3: the server stops by itself");
    assert!(server.child.wait().unwrap().success());
    assert!(
        server
            .wait_for_line("3 datagrams (3 bytes) out", Duration::from_secs(5))
            .is_some()
    );
}

#[test]
fn echo_server_stays_healthy_after_empty_and_maximal_datagrams() {
    let mut server = Server::start(&["udp", "serve", "-l", "127.0.0.1:0"]);
    let pid = server.pid();
    let fds = || fd_count(pid);
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    sock.connect(server.socket_addr()).unwrap();
    let mut buf = vec![0u8; 70_000];
    let mut echo = |payload: &[u8]| -> Vec<u8> {
        sock.send(payload).unwrap();
        let n = sock.recv(&mut buf).unwrap();
        buf[..n].to_vec()
    };
    assert_eq!(echo(b"warm"), b"warm");
    let baseline = fds();
    assert_eq!(echo(b""), b"", "a 0-byte datagram is echoed as one");
    let max = random_bytes(65_507, 31);
    assert!(
        echo(&max) == max,
        "the 65,507-byte datagram came back changed"
    );
    // The four closing checks: alive, a fresh request served, descriptors, memory.
    assert!(server.alive());
    assert_eq!(echo(b"still there?"), b"still there?");
    assert_eq!(fds(), baseline, "descriptors changed");
    let rss = rss_kib(pid);
    assert!(rss < 64 * 1024, "{rss} KiB resident");
}
