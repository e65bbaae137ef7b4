//! `-z` port scans (`tcp-echo connect -z`, `udp send -z`) against ports that ncat,
//! socat and OpenBSD nc hold open, free ports, and (in a namespace of the test's own)
//! a port whose packets an nftables rule drops.

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::netns::{self, Netns};
use crate::util::{nettool, require, wait_until};

/// A peer tool kept running for the test, killed on drop.
struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(program: &str, args: &[&str]) -> Peer {
    Peer(
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}")),
    )
}

fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Ready when a connection is taken (the peers here keep listening after one).
fn wait_tcp(addr: &str) {
    assert!(
        wait_until(Duration::from_secs(10), || TcpStream::connect(addr).is_ok()),
        "nothing listens on {addr}"
    );
}

/// Ready when the port is bound (checked without sending anything to it).
fn wait_udp_bound(port: u16) {
    assert!(
        wait_until(Duration::from_secs(10), || UdpSocket::bind((
            "127.0.0.1",
            port
        ))
        .is_err()),
        "nothing bound UDP port {port}"
    );
}

fn scan(args: &[&str]) -> std::process::Output {
    nettool().args(args).stdin(Stdio::null()).output().unwrap()
}

#[test]
fn tcp_scan_prints_the_ports_ncat_and_socat_hold_open_in_order() {
    if !require("ncat") || !require("socat") || !require("nc") {
        return;
    }
    let (a, b, closed) = (free_tcp_port(), free_tcp_port(), free_tcp_port());
    let _ncat = spawn("ncat", &["-l", "-k", "127.0.0.1", &a.to_string()]);
    let _socat = spawn(
        "socat",
        &[
            &format!("TCP-LISTEN:{b},bind=127.0.0.1,reuseaddr,fork"),
            "EXEC:cat",
        ],
    );
    wait_tcp(&format!("127.0.0.1:{a}"));
    wait_tcp(&format!("127.0.0.1:{b}"));
    let list = format!("127.0.0.1:{closed},{b},{a}");
    let out = scan(&["tcp-echo", "connect", "-z", &list]);
    assert!(out.status.success(), "{out:?}");
    let mut open = [a, b];
    open.sort();
    let want: String = open
        .iter()
        .map(|p| format!("open 127.0.0.1:{p}\n"))
        .collect();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
    assert!(out.stderr.is_empty(), "closed ports only with -v: {out:?}");
    // OpenBSD nc agrees on each port.
    for (port, is_open) in [(a, true), (b, true), (closed, false)] {
        let nc = Command::new("nc")
            .args(["-z", "127.0.0.1", &port.to_string()])
            .status()
            .unwrap();
        assert_eq!(nc.success(), is_open, "nc -z on {port}");
    }
}

#[test]
fn tcp_scan_of_closed_ports_is_exit_1_and_verbose_shows_them() {
    let (p, q) = (free_tcp_port(), free_tcp_port());
    let list = format!("127.0.0.1:{p},{q}");
    let out = scan(&["tcp-echo", "connect", "-z", &list]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("nettool: no open tcp port among the 2 ports scanned on 127.0.0.1"),
        "{err}"
    );
    let out = scan(&["-v", "tcp-echo", "connect", "-z", &list]);
    let err = String::from_utf8_lossy(&out.stderr);
    let (lo, hi) = (p.min(q), p.max(q));
    let closed = format!("closed 127.0.0.1:{lo}\nclosed 127.0.0.1:{hi}\n");
    assert!(err.starts_with(&closed), "{err}");
    assert!(err.contains("scanned 2 ports of 127.0.0.1 in"), "{err}");
}

#[test]
fn tcp_scan_json_records_every_state_on_stdout() {
    if !require("ncat") {
        return;
    }
    let open = free_tcp_port();
    let _ncat = spawn("ncat", &["-6", "-l", "-k", "::1", &open.to_string()]);
    let addr = format!("[::1]:{open}");
    assert!(wait_until(Duration::from_secs(10), || TcpStream::connect(
        &addr
    )
    .is_ok()));
    let closed = std::net::TcpListener::bind("[::1]:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let list = format!("[::1]:{open},{closed}");
    let out = scan(&["--json", "-v", "tcp-echo", "connect", "-z", &list]);
    assert!(out.status.success(), "{out:?}");
    let recs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ports: Vec<(String, String)> = recs
        .iter()
        .filter(|r| r["event"] == "port")
        .map(|r| {
            (
                r["addr"].as_str().unwrap().into(),
                r["state"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut want = vec![
        (format!("[::1]:{open}"), "open".to_string()),
        (format!("[::1]:{closed}"), "closed".to_string()),
    ];
    want.sort_by_key(|(a, _)| a.rsplit(':').next().unwrap().parse::<u16>().unwrap());
    assert_eq!(ports, want);
    let summary = recs
        .iter()
        .find(|r| r["event"] == "scan")
        .expect("scan record");
    assert_eq!(summary["open"], 1);
    assert_eq!(summary["closed"], 1);
    assert_eq!(summary["proto"], "tcp");
}

#[test]
fn tcp_scan_calls_a_dropped_port_filtered_after_w() {
    if !netns::available() {
        return;
    }
    let ns = Netns::new("scan");
    ns.nft(
        "table inet t {\n  chain c {\n    type filter hook input priority 0;\n    \
         tcp dport 4000 drop\n  }\n}\n",
    );
    let started = Instant::now();
    let out = ns
        .nettool()
        .args([
            "-v",
            "tcp-echo",
            "connect",
            "-z",
            "-w",
            "300ms",
            "127.0.0.1:3999-4000",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("closed 127.0.0.1:3999\nfiltered 127.0.0.1:4000\n"),
        "{err}"
    );
    assert!(
        took >= Duration::from_millis(300),
        "-w bounds the probe: {took:?}"
    );
}

#[test]
fn udp_scan_tells_open_closed_and_open_filtered() {
    if !require("socat") || !require("nc") {
        return;
    }
    let (answers, silent, closed) = (free_udp_port(), free_udp_port(), free_udp_port());
    // socat answers every datagram; OpenBSD nc -u -l reads and says nothing.
    let _socat = spawn(
        "socat",
        &[
            &format!("UDP-RECVFROM:{answers},bind=127.0.0.1,fork"),
            "SYSTEM:echo hi",
        ],
    );
    let _nc = spawn("nc", &["-u", "-l", "127.0.0.1", &silent.to_string()]);
    wait_udp_bound(answers);
    wait_udp_bound(silent);
    let list = format!("127.0.0.1:{answers},{silent},{closed}");
    let out = scan(&["-v", "udp", "send", "-z", "-w", "500ms", &list]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains(&format!("open 127.0.0.1:{answers}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("open|filtered 127.0.0.1:{silent}\n")),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("closed 127.0.0.1:{closed}\n")),
        "{stderr}"
    );
    // Only refused ports: nothing may be open, exit 1.
    let out = scan(&["udp", "send", "-z", &format!("127.0.0.1:{closed}")]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

#[test]
fn scan_port_lists_are_checked() {
    for bad in [
        "127.0.0.1:30-20",
        "127.0.0.1:0",
        "127.0.0.1:22,,80",
        "::1:22",
    ] {
        let out = scan(&["tcp-echo", "connect", "-z", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with(&format!("nettool: invalid address {bad:?}")),
            "{err}"
        );
    }
}

#[test]
fn tcp_scan_calls_a_port_that_drops_syns_filtered_on_loopback() {
    let silent = crate::util::SilentTcpPort::new();
    let target = format!("127.0.0.1:{}", silent.port);
    let started = Instant::now();
    let out = scan(&["-v", "tcp-echo", "connect", "-z", "-w", "300ms", &target]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with(&format!("filtered {target}\n")), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(300));
}
