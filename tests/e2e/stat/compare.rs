//! Same sockets, two tools: nettool's rows equal ss's for the test's own sockets, in
//! every TCP state the test can produce, for UDP and Unix sockets, from netlink and
//! from /proc, as a table and as JSON.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::{UnixListener, UnixStream};
use std::time::Duration;

use super::{Row, parse, ss, stat, with_port};
use crate::util::{netns::Netns, require, require_root, wait_until};

/// Sockets on one listener's port in LISTEN, ESTABLISHED (with unread data queued),
/// TIME-WAIT (we closed first), FIN-WAIT-2 and CLOSE-WAIT (the server half-closed).
pub struct Fixture {
    pub port: u16,
    _keep: Vec<TcpStream>,
    _listener: TcpListener,
}

impl Fixture {
    pub fn new() -> Fixture {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        // ESTABLISHED pair, 100 unread bytes in the server side's receive queue.
        let mut c1 = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (s1, _) = l.accept().unwrap();
        c1.write_all(&[7u8; 100]).unwrap();
        // TIME-WAIT on the client: it closes first, then the server closes.
        let c2 = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (mut s2, _) = l.accept().unwrap();
        drop(c2);
        let mut buf = [0u8; 8];
        assert_eq!(
            s2.read(&mut buf).unwrap(),
            0,
            "server sees the client's FIN"
        );
        drop(s2);
        // FIN-WAIT-2 (server half-closed, still open) / CLOSE-WAIT (client got the FIN).
        let c3 = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (s3, _) = l.accept().unwrap();
        s3.shutdown(Shutdown::Write).unwrap();
        let f = Fixture {
            port,
            _keep: vec![c1, s1, c3, s3],
            _listener: l,
        };
        let want = [
            "LISTEN",
            "ESTABLISHED",
            "TIME-WAIT",
            "FIN-WAIT-2",
            "CLOSE-WAIT",
        ];
        let settled = wait_until(Duration::from_secs(5), || {
            let rows = with_port(&ss(&["-tan"], Some("tcp")), port);
            let have: BTreeSet<&str> = rows.iter().map(|r| r.state.as_str()).collect();
            want.iter().all(|w| have.contains(w)) && rows.iter().any(|r| r.recv_q == 100)
        });
        assert!(settled, "sockets never reached {want:?}");
        f
    }
}

#[test]
fn tcp_states_and_queues_match_ss() {
    if !require("ss") {
        return;
    }
    let f = Fixture::new();
    let ours = with_port(&parse(&stat(&["-tan"]), Some("tcp")), f.port);
    let theirs = with_port(&ss(&["-tan"], Some("tcp")), f.port);
    assert_eq!(ours, theirs);
    let states: Vec<&str> = ours.iter().map(|r| r.state.as_str()).collect();
    for s in [
        "LISTEN",
        "ESTABLISHED",
        "TIME-WAIT",
        "FIN-WAIT-2",
        "CLOSE-WAIT",
    ] {
        assert!(states.contains(&s), "{s} missing from {ours:#?}");
    }
    assert!(
        ours.iter()
            .any(|r| r.state == "ESTABLISHED" && r.recv_q == 100)
    );
    // The default view is ss's: no LISTEN, no TIME-WAIT.
    let default = with_port(&parse(&stat(&["-tn"]), Some("tcp")), f.port);
    assert_eq!(default, with_port(&ss(&["-tn"], Some("tcp")), f.port));
    assert!(
        default
            .iter()
            .all(|r| r.state != "LISTEN" && r.state != "TIME-WAIT")
    );
}

#[test]
fn time_wait_shows_its_countdown() {
    let f = Fixture::new();
    let text = stat(&[
        "-tano",
        "--state",
        "time-wait",
        "--dport",
        &f.port.to_string(),
    ]);
    let line = text
        .lines()
        .nth(1)
        .unwrap_or_else(|| panic!("no TIME-WAIT row:\n{text}"));
    let t = line
        .split("timer:(timewait,")
        .nth(1)
        .expect("timewait timer");
    let secs: f64 = t.split("sec").next().unwrap().parse().expect("seconds");
    assert!(secs > 0.0 && secs <= 60.0, "{line}");
}

#[test]
fn proc_fallback_gives_the_same_rows() {
    let f = Fixture::new();
    let netlink = with_port(&parse(&stat(&["-tan"]), Some("tcp")), f.port);
    let procfs = with_port(&parse(&stat(&["-tan", "--proc"]), Some("tcp")), f.port);
    // /proc/net/tcp cannot tell a listener's backlog: its Send-Q reads 0 there.
    let no_backlog = |rows: BTreeSet<Row>| -> BTreeSet<Row> {
        rows.into_iter()
            .map(|mut r| {
                if r.state == "LISTEN" {
                    r.send_q = 0;
                }
                r
            })
            .collect()
    };
    assert_eq!(netlink.len(), 6, "{netlink:#?}");
    assert_eq!(no_backlog(netlink), no_backlog(procfs));
}

#[test]
fn json_matches_the_table() {
    let f = Fixture::new();
    let table = with_port(&parse(&stat(&["-tan"]), Some("tcp")), f.port);
    let json: Vec<Row> = stat(&["-tan", "--json", "-e"])
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            assert_eq!(v["event"], "socket");
            assert!(v["inode"].is_u64() && v["uid"].is_u64(), "{v}");
            Row {
                netid: v["netid"].as_str().unwrap().into(),
                state: v["state"].as_str().unwrap().into(),
                recv_q: v["recv_q"].as_u64().unwrap(),
                send_q: v["send_q"].as_u64().unwrap(),
                local: v["local"].as_str().unwrap().into(),
                peer: v["peer"].as_str().unwrap().into(),
            }
        })
        .collect();
    assert_eq!(with_port(&json, f.port), table);
}

#[test]
fn udp_sockets_and_queues_match_ss() {
    if !require("ss") {
        return;
    }
    let open = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = open.local_addr().unwrap().port();
    let connected = UdpSocket::bind("127.0.0.1:0").unwrap();
    connected.connect(("127.0.0.1", port)).unwrap();
    for _ in 0..3 {
        connected.send(b"unread datagram").unwrap();
    }
    assert!(wait_until(Duration::from_secs(5), || {
        with_port(&ss(&["-uan"], Some("udp")), port)
            .iter()
            .any(|r| r.recv_q > 0)
    }));
    let ours = with_port(&parse(&stat(&["-uan"]), Some("udp")), port);
    assert_eq!(ours, with_port(&ss(&["-uan"], Some("udp")), port));
    assert_eq!(ours.len(), 2, "{ours:#?}");
    assert!(ours.iter().any(|r| r.state == "UNCONN" && r.recv_q > 0));
    assert!(ours.iter().any(|r| r.state == "ESTABLISHED"));
    let procfs = with_port(&parse(&stat(&["-uan", "--proc"]), Some("udp")), port);
    assert_eq!(procfs, ours);
}

#[test]
fn unix_sockets_match_ss() {
    if !require("ss") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stat.sock");
    let path_s = path.to_str().unwrap().to_string();
    let l = UnixListener::bind(&path).unwrap();
    let mut c = UnixStream::connect(&path).unwrap();
    let (_s, _) = l.accept().unwrap();
    c.write_all(&[1u8; 64]).unwrap();
    let mine = |rows: Vec<Row>| -> BTreeSet<Row> {
        let named: BTreeSet<String> = rows
            .iter()
            .filter(|r| r.local.starts_with(&format!("{path_s}:")))
            .map(|r| r.local.rsplit(':').next().unwrap().to_string())
            .collect();
        rows.into_iter()
            .filter(|r| {
                r.local.starts_with(&format!("{path_s}:"))
                    || named.contains(r.peer.rsplit(':').next().unwrap())
            })
            .collect()
    };
    let ours = mine(parse(&stat(&["-xa"]), None));
    let theirs = mine(ss(&["-xa"], None));
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 3, "listener, accepted and client: {ours:#?}");
    assert!(
        ours.iter()
            .any(|r| r.state == "LISTEN" && r.netid == "u_str")
    );
    assert!(
        ours.iter()
            .any(|r| r.state == "ESTABLISHED" && r.recv_q == 64)
    );
    // /proc knows names, inodes and states (not queues or peers).
    let procfs = parse(&stat(&["-xa", "--proc"]), None);
    let l_row = ours.iter().find(|r| r.state == "LISTEN").unwrap();
    assert!(
        procfs
            .iter()
            .any(|r| r.local == l_row.local && r.state == "LISTEN")
    );
}

#[test]
fn syn_sent_to_a_dropped_port_in_a_namespace() {
    if !require_root() || !require("nft") || !require("ss") {
        return;
    }
    let ns = Netns::new("stat");
    let nft = |rule: &str| {
        let out = ns.command("nft").arg(rule).output().unwrap();
        assert!(
            out.status.success(),
            "nft {rule}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    nft("add table inet nettool");
    nft("add chain inet nettool in { type filter hook input priority 0; }");
    nft("add rule inet nettool in tcp dport 9 tcp flags syn drop");
    let mut client = ns.nettool();
    client
        .args(["tcp-echo", "connect", "127.0.0.1:9", "-w", "30", "-d"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut client = client.spawn().unwrap();
    let ss_ns = || -> BTreeSet<Row> {
        parse(&super::output_of(ns.command("ss").arg("-tan")), Some("tcp"))
            .into_iter()
            .collect()
    };
    let reached = wait_until(Duration::from_secs(5), || {
        ss_ns().iter().any(|r| r.state == "SYN-SENT")
    });
    let ours_text = super::output_of(ns.nettool().args(["stat", "-tano"]));
    let ours: BTreeSet<Row> = parse(&ours_text, Some("tcp")).into_iter().collect();
    let theirs = ss_ns();
    let _ = client.kill();
    let _ = client.wait();
    assert!(reached, "no SYN-SENT socket appeared");
    assert_eq!(ours, theirs, "the namespace holds only our socket");
    let row = ours.iter().find(|r| r.state == "SYN-SENT").unwrap();
    assert_eq!(row.peer, "127.0.0.1:9");
    assert!(
        ours_text.contains("timer:(on,"),
        "SYN retransmit timer: {ours_text}"
    );
}

/// `(local, peer, inode)` of the rows, from `uid:U ino:N` text after the peer column.
fn inodes(text: &str, port: u16) -> BTreeSet<(String, String, u64)> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let ino = f
                .iter()
                .find_map(|w| w.strip_prefix("ino:"))?
                .parse()
                .ok()?;
            Some((f[3].to_string(), f[4].to_string(), ino))
        })
        .filter(|(l, p, _)| super::port_of(l) == port || super::port_of(p) == port)
        .collect()
}

#[test]
fn extended_inodes_match_ss_and_info_has_tcp_internals() {
    if !require("ss") {
        return;
    }
    let f = Fixture::new();
    let ours = inodes(&stat(&["-tane"]), f.port);
    let theirs = inodes(
        &super::output_of(std::process::Command::new("ss").arg("-tane")),
        f.port,
    );
    assert_eq!(ours, theirs);
    assert!(ours.iter().any(|(_, _, ino)| *ino != 0));
    let port = f.port.to_string();
    let text = stat(&["-tni", "--sport", &port]);
    let row = text
        .lines()
        .find(|l| l.contains("ESTABLISHED"))
        .expect(&text);
    assert!(
        row.contains("rtt:") && row.contains("cwnd:") && row.contains("bytes_received:"),
        "{row}"
    );
    let json = stat(&["-tni", "--json", "--sport", &port]);
    let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert!(v["tcp_info"]["rtt_us"].as_u64().unwrap() > 0, "{v}");
    assert!(v["tcp_info"]["congestion"].is_string(), "{v}");
}
