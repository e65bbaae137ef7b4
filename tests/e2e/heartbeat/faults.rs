//! Faults injected with nftables between two namespaces the tests create: the client
//! in one, the responder in the other, joined by veth (192.0.2.1 ↔ 192.0.2.2). A
//! silent partition drops every packet (no RST, no ICMP); loss drops one in ten.

use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{HbClient, event_time, timing_lock};
use crate::util::netns::{Netns, veth};
use crate::util::{Server, require, require_root};

const SERVER_IP: &str = "192.0.2.2";

/// Client namespace and server namespace joined by veth (192.0.2.1 ↔ 192.0.2.2).
struct Net {
    client: Netns,
    server: Netns,
}

impl Net {
    fn new() -> Net {
        let client = Netns::new("hbc");
        let server = Netns::new("hbs");
        veth(
            &client,
            "hbc0",
            "192.0.2.1/24",
            &server,
            "hbs0",
            "192.0.2.2/24",
        );
        let net = Net { client, server };
        net.nft(&["add", "table", "inet", "hb"]);
        net.nft(&[
            "add",
            "chain",
            "inet",
            "hb",
            "in",
            "{ type filter hook input priority 0; policy accept; }",
        ]);
        net
    }

    /// `nft ARGS…` inside the server namespace.
    fn nft(&self, args: &[&str]) -> String {
        let out = self.server.command("nft").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "nft {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Drop everything from the client: a silent partition (no RST, no ICMP).
    fn partition(&self) {
        self.nft(&[
            "add",
            "rule",
            "inet",
            "hb",
            "in",
            "ip",
            "saddr",
            "192.0.2.1",
            "drop",
        ]);
    }

    fn heal(&self) {
        self.nft(&["flush", "chain", "inet", "hb", "in"]);
    }

    fn serve(&self, extra: &[&str]) -> Server {
        let mut c = self.server.nettool();
        c.args(["heartbeat", "serve", "-l", &format!("{SERVER_IP}:0")])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        Server::start_cmd(c)
    }

    fn connect(&self, server: &Server, args: &[&str]) -> HbClient {
        let mut c = self.client.nettool();
        c.args(["--json", "heartbeat", "connect", &server.addr])
            .args(args);
        HbClient::spawn(c)
    }
}

fn ns_ready() -> bool {
    require_root() && require("ip") && require("nft")
}

#[test]
fn server_sigkill_is_dead_within_the_bound_exit_1() {
    let _serial = timing_lock();
    if !ns_ready() {
        return;
    }
    let net = Net::new();
    let server = net.serve(&[]);
    let mut c = net.connect(&server, &["--interval", "200ms", "--misses", "3"]);
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    let killed = Instant::now();
    server.signal(nix::sys::signal::Signal::SIGKILL);
    assert_eq!(c.finish(Duration::from_secs(5)), Some(1));
    let bound = Duration::from_millis(200 * 4);
    assert!(
        killed.elapsed() <= bound + Duration::from_millis(700),
        "{:?}",
        killed.elapsed()
    );
    assert!(
        c.last("dead").is_some() && c.last("summary").is_some(),
        "{:?}",
        c.seen
    );
}

#[test]
fn silent_partition_is_dead_within_the_bound_then_reconnects_when_healed() {
    let _serial = timing_lock();
    if !ns_ready() {
        return;
    }
    let net = Net::new();
    let server = net.serve(&[]);
    let mut c = net.connect(
        &server,
        &[
            "--interval",
            "500ms",
            "--misses",
            "3",
            "--reconnect",
            "--backoff",
            "100ms..400ms",
        ],
    );
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    net.partition();
    let dead = c
        .wait_for("dead", Duration::from_secs(5))
        .expect("a dead verdict");
    let last_beat = c
        .seen
        .iter()
        .rfind(|v| v["event"] == "beat")
        .unwrap()
        .clone();
    let gap = event_time(&dead)
        .duration_since(event_time(&last_beat))
        .unwrap();
    assert!(
        gap <= Duration::from_millis(2000 + 300),
        "dead {gap:?} after the last reply"
    );
    assert!(c.count("missed") >= 3);
    net.heal();
    assert!(
        c.wait_for("reconnected", Duration::from_secs(10)).is_some(),
        "{:?}",
        c.seen
    );
    assert!(
        c.wait_for("beat", Duration::from_secs(5)).is_some(),
        "beating again"
    );
}

#[test]
fn ten_percent_loss_gives_no_false_dead_over_300_beats() {
    let _serial = timing_lock();
    if !ns_ready() {
        return;
    }
    let net = Net::new();
    let server = net.serve(&["--udp"]);
    net.nft(&[
        "add", "rule", "inet", "hb", "in", "udp", "dport", "1-65535", "numgen", "random", "mod",
        "10", "==", "0", "drop",
    ]);
    let mut c = net.connect(
        &server,
        &["--udp", "--interval", "30ms", "--misses", "5", "-n", "300"],
    );
    assert_eq!(
        c.finish(Duration::from_secs(60)),
        Some(0),
        "{:?}",
        c.last("dead")
    );
    assert_eq!(c.count("dead"), 0);
    let s = c.last("summary").unwrap();
    assert_eq!(s["sent"], 300);
    let lost = s["lost_pct"].as_f64().unwrap();
    assert!((3.0..=20.0).contains(&lost), "lost {lost}%");
}

#[test]
fn tcp_keepalive_detects_the_partition() {
    let _serial = timing_lock();
    if !ns_ready() {
        return;
    }
    let net = Net::new();
    let server = net.serve(&[]);
    let mut c = net.connect(
        &server,
        &["--tcp-keepalive", "--interval", "1s", "--misses", "2"],
    );
    let ka = c
        .wait_for("keepalive", Duration::from_secs(5))
        .expect("keepalive settings");
    assert_eq!(
        (ka["idle_s"].as_u64(), ka["count"].as_u64()),
        (Some(1), Some(2))
    );
    net.partition();
    let cut = Instant::now();
    assert_eq!(c.finish(Duration::from_secs(10)), Some(1));
    let dead = c.last("dead").expect("dead event");
    assert!(
        dead["reason"].as_str().unwrap().contains("kernel dropped"),
        "{dead}"
    );
    // idle 1 s + 2 probes × 1 s (TCP_USER_TIMEOUT 3 s), plus scheduling slack.
    assert!(
        cut.elapsed() <= Duration::from_millis(4500),
        "{:?}",
        cut.elapsed()
    );
}

#[test]
fn reconnect_backs_off_with_jitter_no_syn_storm() {
    let _serial = timing_lock();
    if !ns_ready() {
        return;
    }
    let net = Net::new();
    let server = net.serve(&[]);
    let mut c = net.connect(
        &server,
        &[
            "-v",
            "--interval",
            "100ms",
            "--misses",
            "2",
            "--reconnect",
            "--backoff",
            "100ms..2s",
            "-w",
            "200ms",
        ],
    );
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    net.nft(&[
        "add", "rule", "inet", "hb", "in", "tcp", "flags", "syn", "counter",
    ]);
    net.nft(&[
        "add",
        "rule",
        "inet",
        "hb",
        "in",
        "ip",
        "saddr",
        "192.0.2.1",
        "drop",
    ]);
    assert!(c.wait_for("dead", Duration::from_secs(5)).is_some());
    std::thread::sleep(Duration::from_secs(5)); // a fixed observation window
    let rules = net.nft(&["list", "chain", "inet", "hb", "in"]);
    let syns: u64 = rules
        .split("counter packets ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("counter");
    // Back-off 100 ms doubling to 2 s (+200 ms connect timeout): about 6 attempts in
    // 5 s. Without back-off, 200 ms timeouts alone would be 25.
    assert!((2..=10).contains(&syns), "{syns} SYNs in 5 s");
    c.drain();
    let delays: Vec<u64> = c
        .seen
        .iter()
        .filter(|v| v["event"] == "retry")
        .map(|v| v["delay_ms"].as_u64().unwrap())
        .collect();
    assert!(delays.len() >= 3, "{delays:?}");
    assert!(
        delays[delays.len() - 1] > delays[0] * 3,
        "delays grow: {delays:?}"
    );
    for (i, d) in delays.iter().enumerate() {
        let nominal = (100u64 << i).min(2000);
        assert!(
            *d >= nominal / 2 && *d <= nominal,
            "attempt {i}: {d} ms vs nominal {nominal}"
        );
    }
}
