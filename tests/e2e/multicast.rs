//! `multicast send` / `multicast recv` between hosts of a lab made of network
//! namespaces (never the host's own interfaces): delivery to several receivers on
//! several hosts, group filtering, TTL 0, loopback on and off, source-specific
//! multicast, IPv6, and probe loss measured against an nftables drop rule.

use serde_json::Value;

use crate::udp::{finish, json_lines};
use crate::util::netns::{Lab, Netns};
use crate::util::{Server, require};

/// `nettool --json multicast recv ARGS…` in `ns`, ready (joined) when this returns.
fn recv_in(ns: &Netns, args: &[&str]) -> Server {
    ns.serve(&[&["--json", "multicast", "recv"], args].concat())
}

fn send_in(ns: &Netns, args: &[&str]) {
    ns.run_ok(&[&["multicast", "send"], args].concat());
}

/// The datagram records of a finished receiver: (success, [(from ip, data)]).
fn datagrams(s: Server) -> (bool, Vec<(String, String)>) {
    let (ok, out) = finish(s);
    let recs = json_lines(&out)
        .into_iter()
        .filter(|e| e["event"] == "datagram")
        .map(|e| {
            let from = e["peer"].as_str().unwrap();
            let ip = from.rsplit_once(':').unwrap().0.trim_matches(['[', ']']);
            (ip.to_string(), e["data"].as_str().unwrap().to_string())
        })
        .collect();
    (ok, recs)
}

fn data_of(recs: &[(String, String)]) -> Vec<&str> {
    recs.iter().map(|(_, d)| d.as_str()).collect()
}

#[test]
fn two_receivers_on_one_host_and_one_on_another_all_get_every_datagram() {
    let Some(lab) = Lab::try_new("mc", 3) else {
        return;
    };
    let (a, b, c) = (&lab.hosts[0], &lab.hosts[1], &lab.hosts[2]);
    let g = "239.1.2.3:5000";
    let b1 = recv_in(b, &[g, "-i", "eth0", "-n", "3", "-w", "10"]);
    let b2 = recv_in(b, &[g, "-i", "eth0", "-n", "3", "-w", "10"]);
    let c1 = recv_in(c, &[g, "-i", "eth0", "-n", "3", "-w", "10"]);
    // Same port, another group, on the host where the others joined: gets nothing.
    let other = recv_in(b, &["239.9.9.9:5000", "-i", "eth0", "-w", "1"]);
    send_in(a, &[g, "one", "two", "three", "-i", "eth0"]);
    for r in [b1, b2, c1] {
        let (ok, recs) = datagrams(r);
        assert!(ok);
        assert_eq!(data_of(&recs), ["one", "two", "three"]);
        assert!(recs.iter().all(|(ip, _)| ip == "192.0.2.1"), "{recs:?}");
    }
    let (ok, recs) = datagrams(other);
    assert!(!ok, "a receiver that gets nothing times out with status 1");
    assert!(recs.is_empty(), "{recs:?}");
}

#[test]
fn joined_event_names_group_and_interface() {
    let Some(lab) = Lab::try_new("mj", 1) else {
        return;
    };
    let r = recv_in(
        &lab.hosts[0],
        &["239.5.5.5:5000", "-i", "eth0", "-w", "200ms"],
    );
    let (ok, out) = finish(r);
    assert!(!ok);
    let recs = json_lines(&out);
    assert_eq!(recs[0]["event"], "listening");
    let joined = recs.iter().find(|e| e["event"] == "joined").unwrap();
    assert_eq!(joined["group"], "239.5.5.5");
    assert_eq!(joined["iface"], "eth0");
}

#[test]
fn ttl_0_stays_on_the_sending_host() {
    let Some(lab) = Lab::try_new("mt", 2) else {
        return;
    };
    let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
    let g = "239.1.2.4:5000";
    let local = recv_in(a, &[g, "-i", "eth0", "-n", "1", "-w", "10"]);
    let remote = recv_in(b, &[g, "-i", "eth0", "-w", "1"]);
    send_in(a, &[g, "here", "-i", "eth0", "--ttl", "0"]);
    let (ok, recs) = datagrams(local);
    assert!(ok);
    assert_eq!(data_of(&recs), ["here"]);
    let (ok, recs) = datagrams(remote);
    assert!(!ok && recs.is_empty(), "TTL 0 left the host: {recs:?}");
}

#[test]
fn loop_and_no_loop_on_the_senders_host() {
    let Some(lab) = Lab::try_new("ml", 2) else {
        return;
    };
    let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
    let g = "239.1.2.5:5000";
    // --no-loop: the other host hears it, the sender's own host does not.
    let local = recv_in(a, &[g, "-i", "eth0", "-w", "1"]);
    let remote = recv_in(b, &[g, "-i", "eth0", "-n", "1", "-w", "10"]);
    send_in(a, &[g, "quiet", "-i", "eth0", "--no-loop"]);
    let (ok, recs) = datagrams(remote);
    assert!(ok);
    assert_eq!(data_of(&recs), ["quiet"]);
    let (ok, recs) = datagrams(local);
    assert!(!ok && recs.is_empty(), "--no-loop still looped: {recs:?}");
    // --loop: the sender's host hears itself.
    let local = recv_in(a, &[g, "-i", "eth0", "-n", "1", "-w", "10"]);
    send_in(a, &[g, "loud", "-i", "eth0", "--loop"]);
    let (ok, recs) = datagrams(local);
    assert!(ok);
    assert_eq!(data_of(&recs), ["loud"]);
}

#[test]
fn source_specific_join_hears_only_that_source() {
    let Some(lab) = Lab::try_new("ms", 3) else {
        return;
    };
    let (a, b, c) = (&lab.hosts[0], &lab.hosts[1], &lab.hosts[2]);
    let g = "232.1.1.1:5000";
    // Ends 2 s after its last datagram (status 1: no -n); the slack absorbs a slow start.
    let ssm = recv_in(b, &[g, "-i", "eth0", "--source", "192.0.2.1", "-w", "2"]);
    let any = recv_in(b, &[g, "-i", "eth0", "-n", "6", "-w", "10"]);
    // C first: a filter that let everything through would show c1 first.
    send_in(c, &[g, "c1", "c2", "c3", "-i", "eth0"]);
    send_in(a, &[g, "a1", "a2", "a3", "-i", "eth0"]);
    let (ok, recs) = datagrams(any);
    assert!(ok, "the any-source receiver hears both senders: {recs:?}");
    assert_eq!(recs.len(), 6);
    let (_, recs) = datagrams(ssm);
    assert_eq!(data_of(&recs), ["a1", "a2", "a3"]);
    assert!(recs.iter().all(|(ip, _)| ip == "192.0.2.1"), "{recs:?}");
}

#[test]
fn ipv6_multicast_between_hosts() {
    let Some(lab) = Lab::try_new("m6", 2) else {
        return;
    };
    let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
    let r = recv_in(
        b,
        &["[ff02::1234]:5000", "-i", "eth0", "-n", "2", "-w", "10"],
    );
    send_in(a, &["[ff02::1234]:5000", "six", "-i", "eth0"]);
    // The zone form names the interface too.
    send_in(a, &["[ff02::1234%eth0]:5000", "zone"]);
    let (ok, recs) = datagrams(r);
    assert!(ok);
    assert_eq!(data_of(&recs), ["six", "zone"]);
    assert!(
        recs[0].0.starts_with("fe80::"),
        "link-local source: {recs:?}"
    );
}

#[test]
fn ipv6_source_specific_join_hears_only_that_source() {
    let Some(lab) = Lab::try_new("m6s", 3) else {
        return;
    };
    let (a, b, c) = (&lab.hosts[0], &lab.hosts[1], &lab.hosts[2]);
    let g = "[ff3e::4321]:5000";
    let ssm = recv_in(
        b,
        &[
            g,
            "-i",
            "eth0",
            "--source",
            "2001:db8::1",
            "-n",
            "2",
            "-w",
            "10",
        ],
    );
    send_in(c, &[g, "c1", "c2", "-i", "eth0"]);
    send_in(a, &[g, "a1", "a2", "-i", "eth0"]);
    let (ok, recs) = datagrams(ssm);
    assert!(ok);
    assert_eq!(data_of(&recs), ["a1", "a2"]);
    assert!(recs.iter().all(|(ip, _)| ip == "2001:db8::1"), "{recs:?}");
}

#[test]
fn probe_loss_matches_an_nftables_rule_dropping_every_tenth() {
    let Some(lab) = Lab::try_new("mp", 2) else {
        return;
    };
    if !require("nft") {
        return;
    }
    let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
    // Every 10th datagram to port 6000 that reaches B is dropped (0, 10, 20, …).
    b.nft(
        "table inet loss {
           chain input {
             type filter hook input priority 0;
             udp dport 6000 numgen inc mod 10 0 drop
           }
         }",
    );
    let g = "239.1.2.6:6000";
    let r = recv_in(b, &[g, "-i", "eth0", "--probe", "-w", "2"]);
    send_in(
        a,
        &[g, "-i", "eth0", "--probe", "-n", "200", "--interval", "1ms"],
    );
    let (ok, out) = finish(r);
    assert!(ok, "probe mode ends normally after -w of silence");
    let recs = json_lines(&out);
    let p: &Value = recs.iter().find(|e| e["event"] == "probe").unwrap();
    assert_eq!(
        p["peer"].as_str().unwrap().split(':').next(),
        Some("192.0.2.1")
    );
    assert_eq!(p["expected"], 200);
    assert_eq!(p["received"], 180);
    assert_eq!(p["lost"], 20);
    assert_eq!(p["loss_percent"], 10.0);
    assert_eq!(p["duplicated"], 0);
    assert_eq!(p["reordered"], 0);
}

#[test]
fn unknown_interface_on_send_is_a_usage_error() {
    let Some(lab) = Lab::try_new("mu", 1) else {
        return;
    };
    let out = lab.hosts[0]
        .nettool()
        .args(["multicast", "send", "239.1.1.1:5000", "x", "-i", "nosuch0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("nettool: unknown interface \"nosuch0\""),
        "{err}"
    );
}

/// Whether `ns`'s /proc/net/igmp lists `group` (written there as little-endian hex).
fn igmp_lists(ns: &Netns, group: std::net::Ipv4Addr) -> bool {
    let hex = format!("{:08X}", u32::from_le_bytes(group.octets()));
    let out = ns.command("cat").arg("/proc/net/igmp").output().unwrap();
    String::from_utf8_lossy(&out.stdout).contains(&hex)
}

#[test]
fn the_group_is_left_on_exit() {
    let Some(lab) = Lab::try_new("mx", 1) else {
        return;
    };
    let h = &lab.hosts[0];
    let group: std::net::Ipv4Addr = "239.7.7.7".parse().unwrap();
    let mut r = recv_in(h, &["239.7.7.7:5000", "-i", "eth0"]);
    assert!(igmp_lists(h, group), "joined while running");
    let status = r.stop();
    assert_eq!(
        status.code(),
        Some(143),
        "SIGTERM ends a receiver with 128 + 15"
    );
    assert!(!igmp_lists(h, group), "left after exit");
}
