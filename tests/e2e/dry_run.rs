//! `--dry-run sends nothing`, checked mechanically: every subcommand mode runs with
//! `--dry-run` under `strace -f -e trace=network,write,writev`, inside a network
//! namespace of its own (so a multicast join, were one made, could not leave the
//! host), and the trace must hold no call that moves traffic:
//!
//! * no `connect` on a stream socket (a SYN) — a datagram socket's connect only
//!   records a default peer and is allowed, as documented in the man page;
//! * no `send`/`sendto`/`sendmsg`/`sendmmsg`/`write`/`writev` on an Internet, Unix or
//!   packet socket (netlink queries to the local kernel are not network traffic);
//! * no multicast join or leave (`IP_ADD_MEMBERSHIP` and friends send IGMP/MLD);
//! * no `accept`/`accept4`.
//!
//! And each run exits 0 and shows at least one call "(dry run: not made)".

use std::collections::HashMap;
use std::process::Stdio;

use crate::util::netns::Netns;
use crate::util::{require, require_root};

/// Socket options whose setting is itself a packet on the wire.
const JOINS: &[&str] = &[
    "IP_ADD_MEMBERSHIP",
    "IP_DROP_MEMBERSHIP",
    "IP_ADD_SOURCE_MEMBERSHIP",
    "IP_DROP_SOURCE_MEMBERSHIP",
    "IPV6_ADD_MEMBERSHIP",
    "IPV6_DROP_MEMBERSHIP",
    "IPV6_JOIN_GROUP",
    "IPV6_LEAVE_GROUP",
    "MCAST_JOIN_GROUP",
    "MCAST_LEAVE_GROUP",
    "MCAST_JOIN_SOURCE_GROUP",
    "MCAST_LEAVE_SOURCE_GROUP",
];

const SENDS: &[&str] = &["send", "sendto", "sendmsg", "sendmmsg", "write", "writev"];

/// The traffic-moving calls in an `strace -f` log (pid column first), one line each.
fn traffic_calls(log: &str) -> Vec<String> {
    // (pid, fd) → (family, type) of every socket the process made.
    let mut sockets: HashMap<(String, String), (String, String)> = HashMap::new();
    let mut bad = Vec::new();
    for line in log.lines() {
        let Some((pid, call)) = line.split_once(' ') else {
            continue;
        };
        // A call strace split (`connect(8, … <unfinished ...>`) counts by its start.
        let call = call.trim_start();
        let call = call.strip_suffix("<unfinished ...>").unwrap_or(call);
        let Some((name, rest)) = call.split_once('(') else {
            continue;
        };
        let args: Vec<&str> = rest.split(", ").collect();
        let fd = args.first().copied().unwrap_or("").to_string();
        let result = call.rsplit_once(") = ").map_or("", |(_, r)| r);
        match name {
            "socket" => {
                let got = result.split_whitespace().next().unwrap_or("-1").to_string();
                let ty = args.get(1).copied().unwrap_or("").to_string();
                sockets.insert((pid.into(), got), (args[0].to_string(), ty));
            }
            "connect" => {
                let stream = sockets
                    .get(&(pid.into(), fd))
                    .is_none_or(|(_, ty)| ty.contains("SOCK_STREAM"));
                if stream {
                    bad.push(line.to_string());
                }
            }
            "accept" | "accept4" => bad.push(line.to_string()),
            "setsockopt" if JOINS.iter().any(|j| args.get(2) == Some(j)) => {
                bad.push(line.to_string())
            }
            n if SENDS.contains(&n) => {
                let on_socket = sockets
                    .get(&(pid.into(), fd))
                    .is_some_and(|(family, _)| family != "AF_NETLINK");
                if on_socket {
                    bad.push(line.to_string());
                }
            }
            _ => {}
        }
    }
    bad
}

/// Run `nettool --dry-run ARGS…` under strace in `ns`; returns (stderr, strace log).
fn dry_run_traced(ns: &Netns, args: &[&str]) -> (String, String) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let out = ns
        .command("strace")
        .args(["-f", "-qq", "-e", "trace=network,write,writev", "-o"])
        .arg(log.path())
        .arg(crate::util::bin())
        .arg("--dry-run")
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "--dry-run {args:?} failed: {stderr}");
    (stderr, std::fs::read_to_string(log.path()).unwrap())
}

#[test]
fn the_traffic_check_sees_what_a_real_run_sends() {
    // The check itself must be able to fail: a real connect and send are caught, a
    // UDP connect and netlink chatter are not.
    let log = "\
1 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 8
1 connect(8, {sa_family=AF_INET, sin_port=htons(9)}, 16) = 0
1 socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP) = 9
1 connect(9, {sa_family=AF_INET, sin_port=htons(9)}, 16) = 0
1 sendto(9, \"x\", 1, MSG_NOSIGNAL, NULL, 0) = 1
1 setsockopt(9, SOL_IP, IP_ADD_MEMBERSHIP, {imr_multiaddr=inet_addr(\"239.1.2.3\")}, 12) = 0
1 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 10
1 sendto(10, [{nlmsg_len=20}], 20, 0, NULL, 0) = 20
1 write(2, \"hello\", 5) = 5
";
    let bad = traffic_calls(log);
    assert_eq!(bad.len(), 3, "{bad:#?}");
    assert!(bad[0].contains("connect(8"));
    assert!(bad[1].contains("sendto(9"));
    assert!(bad[2].contains("IP_ADD_MEMBERSHIP"));
}

#[test]
fn dry_run_of_every_mode_moves_no_traffic() {
    if !require("strace") || !require_root() {
        return;
    }
    let ns = Netns::new("dry");
    ns.multicast_route("lo");
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("d.sock");
    let sock = sock.to_str().unwrap();
    let web = dir.path().to_str().unwrap();
    let modes: &[&[&str]] = &[
        &["tcp-echo", "serve", "-l", "127.0.0.1:0"],
        &["tcp-echo", "serve", "-l", "127.0.0.1:0", "--engine", "fork"],
        &[
            "tcp-echo",
            "serve",
            "-l",
            "127.0.0.1:0",
            "--engine",
            "select",
        ],
        &["tcp-echo", "listen", "-l", "127.0.0.1:0"],
        &["tcp-echo", "connect", "127.0.0.1:9"],
        &["tcp-echo", "bench", "127.0.0.1:9", "-d", "1s"],
        &["udp", "serve", "-l", "127.0.0.1:0"],
        &["udp", "send", "127.0.0.1:9", "hello"],
        &["udp", "recv", "-l", "127.0.0.1:0"],
        &["broadcast", "send", "9999", "--to", "127.255.255.255", "hi"],
        &["broadcast", "recv", "9999"],
        &["multicast", "send", "239.1.2.3:8989", "-i", "lo", "hi"],
        &["multicast", "recv", "239.1.2.3:8989", "-i", "lo"],
        &[
            "multicast",
            "recv",
            "239.1.2.3:8989",
            "-i",
            "lo",
            "--source",
            "127.0.0.1",
        ],
        &["multicast", "recv", "[ff05::1:3]:8989", "-i", "lo"],
        &[
            "multicast",
            "doctor",
            "239.1.2.3:8989",
            "-i",
            "lo",
            "-w",
            "1s",
        ],
        &["unix", "serve", sock],
        &["unix", "serve", "--dgram", sock],
        &["unix", "listen", sock],
        &["unix", "connect", "@nettool-dry-run-nobody"],
        &["heartbeat", "serve", "-l", "127.0.0.1:0"],
        &["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"],
        &["heartbeat", "connect", "127.0.0.1:9", "-n", "1"],
        &["heartbeat", "connect", "--udp", "127.0.0.1:9", "-n", "1"],
        &["serve-http", "-l", "127.0.0.1:0", web],
        &["stat", "-t"],
    ];
    for args in modes {
        let (stderr, log) = dry_run_traced(&ns, args);
        assert!(
            stderr.contains("(dry run: not made)"),
            "--dry-run {args:?} showed no call it did not make:\n{stderr}"
        );
        let bad = traffic_calls(&log);
        assert!(
            bad.is_empty(),
            "--dry-run {args:?} moved traffic:\n{}\n--- its output:\n{stderr}",
            bad.join("\n")
        );
    }
}
