//! `broadcast send` / `broadcast recv` between hosts of a lab made of network
//! namespaces (never the host's own interfaces): A broadcasts, B and C receive —
//! with the interface's broadcast address found from `-i`, and with `--to`.

use crate::udp::{finish, json_lines};
use crate::util::netns::{Lab, Netns};
use crate::util::{Server, require, require_root};

fn recv_in(ns: &Netns, args: &[&str]) -> Server {
    ns.serve(&[&["--json", "broadcast", "recv"], args].concat())
}

fn send_in(ns: &Netns, args: &[&str]) {
    ns.run_ok(&[&["broadcast", "send"], args].concat());
}

/// (from, data) of every datagram record of a receiver that exited with status 0.
fn received(s: Server) -> Vec<(String, String)> {
    let (ok, out) = finish(s);
    assert!(ok, "receiver failed");
    json_lines(&out)
        .into_iter()
        .filter(|e| e["event"] == "datagram")
        .map(|e| {
            (
                e["peer"]
                    .as_str()
                    .unwrap()
                    .split(':')
                    .next()
                    .unwrap()
                    .to_string(),
                e["data"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn lab(tag: &str) -> Option<Lab> {
    Lab::try_new(tag, 3)
}

#[test]
fn broadcast_with_iface_reaches_b_and_c() {
    let Some(lab) = lab("bi") else { return };
    let (a, b, c) = (&lab.hosts[0], &lab.hosts[1], &lab.hosts[2]);
    let rb = recv_in(b, &["5001", "-i", "eth0", "-n", "2", "-w", "10"]);
    // Two receivers on C share the port (SO_REUSEADDR); each gets every datagram.
    let rc1 = recv_in(c, &["5001", "-n", "2", "-w", "10"]);
    let rc2 = recv_in(c, &["5001", "-n", "2", "-w", "10"]);
    send_in(a, &["5001", "hello", "again", "-i", "eth0"]);
    for r in [rb, rc1, rc2] {
        let got = received(r);
        let want = [("192.0.2.1", "hello"), ("192.0.2.1", "again")];
        let got: Vec<(&str, &str)> = got.iter().map(|(f, d)| (f.as_str(), d.as_str())).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn broadcast_with_to_reaches_b_and_c() {
    let Some(lab) = lab("bt") else { return };
    let (a, b, c) = (&lab.hosts[0], &lab.hosts[1], &lab.hosts[2]);
    let rb = recv_in(b, &["5002", "-n", "1", "-w", "10"]);
    let rc = recv_in(c, &["5002", "-n", "1", "-w", "10"]);
    send_in(a, &["5002", "subnet", "--to", "192.0.2.255"]);
    for r in [rb, rc] {
        assert_eq!(
            received(r),
            [("192.0.2.1".to_string(), "subnet".to_string())]
        );
    }
    // The limited broadcast address needs the interface to leave by (-i).
    let rb = recv_in(b, &["5002", "-n", "1", "-w", "10"]);
    let rc = recv_in(c, &["5002", "-n", "1", "-w", "10"]);
    send_in(
        a,
        &["5002", "limited", "--to", "255.255.255.255", "-i", "eth0"],
    );
    for r in [rb, rc] {
        assert_eq!(
            received(r),
            [("192.0.2.1".to_string(), "limited".to_string())]
        );
    }
}

#[test]
fn broadcast_probes_all_arrive() {
    let Some(lab) = lab("bp") else { return };
    let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
    let r = recv_in(b, &["5003", "--probe", "-w", "5"]);
    send_in(a, &["5003", "-i", "eth0", "--probe", "-n", "50"]);
    let (ok, out) = finish(r);
    assert!(ok);
    let recs = json_lines(&out);
    let p = recs.iter().find(|e| e["event"] == "probe").unwrap();
    assert_eq!(
        (p["received"].as_u64(), p["lost"].as_u64()),
        (Some(50), Some(0))
    );
}

#[test]
fn interface_without_broadcast_address_is_a_clear_error() {
    let Some(lab) = lab("bn") else { return };
    let out = lab.hosts[0]
        .nettool()
        .args(["broadcast", "send", "5004", "x", "-i", "lo"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("interface lo has no IPv4 broadcast address"),
        "{err}"
    );
    // Neither -i nor --to: clap's usage error.
    let out = lab.hosts[0]
        .nettool()
        .args(["broadcast", "send", "5004", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn broadcast_without_so_broadcast_is_a_clear_error() {
    if !require_root() || !require("ip") {
        return;
    }
    let a = Netns::new("bcp");
    let b = Netns::new("bcq");
    crate::util::netns::veth(&a, "pa", "192.0.2.1/24", &b, "pb", "192.0.2.2/24");
    let out = a
        .nettool()
        .args(["udp", "send", "192.0.2.255:9", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("broadcast address and SO_BROADCAST is off"),
        "{stderr}"
    );
}
