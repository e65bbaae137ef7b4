//! `multicast doctor` in labs built for it: a healthy lab reports no problem, and each
//! fault created on purpose (interface down, no route, strict rp_filter with an
//! asymmetric path, MULTICAST flag off) is found and named.

use crate::util::netns::{Netns, veth};
use crate::util::require;

/// Host `rx` (v0 = 192.0.2.2/24) joined to host `tx` (192.0.2.1/24) by veth.
struct Lab {
    rx: Netns,
    _tx: Netns,
}

fn lab() -> Option<Lab> {
    if !crate::util::netns::available() {
        return None;
    }
    let rx = Netns::new("drx");
    let tx = Netns::new("dtx");
    veth(&rx, "v0", "192.0.2.2/24", &tx, "v1", "192.0.2.1/24");
    Some(Lab { rx, _tx: tx })
}

/// Run the doctor in `ns`; returns (exit code, parsed `check` records by name).
fn doctor(ns: &Netns, args: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let out = ns
        .nettool()
        .args(["--json", "multicast", "doctor", "239.1.2.3:8989"])
        .args(args)
        .output()
        .unwrap();
    let checks = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["event"] == "check")
        .map(|v| {
            (
                v["check"].as_str().unwrap().to_string(),
                v["verdict"].as_str().unwrap().to_string(),
                v["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap_or(-1), checks)
}

fn verdict<'a>(checks: &'a [(String, String, String)], name: &str) -> (&'a str, &'a str) {
    let c = checks
        .iter()
        .find(|c| c.0 == name)
        .unwrap_or_else(|| panic!("no {name} check in {checks:?}"));
    (&c.1, &c.2)
}

#[test]
fn healthy_lab_has_no_problem() {
    let Some(lab) = lab() else { return };
    lab.rx.multicast_route("v0");
    let (code, checks) = doctor(&lab.rx, &["-i", "v0", "--source", "192.0.2.1"]);
    let problems: Vec<_> = checks.iter().filter(|c| c.1 == "problem").collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(code, 0);
    assert_eq!(verdict(&checks, "membership").0, "ok");
    assert_eq!(verdict(&checks, "route").0, "ok");
}

#[test]
fn interface_down_is_found() {
    let Some(lab) = lab() else { return };
    lab.rx.multicast_route("v0");
    lab.rx.ip(&["link", "set", "v0", "down"]);
    let (code, checks) = doctor(&lab.rx, &["-i", "v0"]);
    assert_eq!(code, 1);
    let (v, detail) = verdict(&checks, "interface");
    assert_eq!(v, "problem");
    assert!(detail.contains("is down"), "{detail}");
}

#[test]
fn missing_route_is_found() {
    let Some(lab) = lab() else { return };
    let (code, checks) = doctor(&lab.rx, &[]);
    assert_eq!(code, 1);
    let (v, detail) = verdict(&checks, "route");
    assert_eq!(v, "problem");
    assert!(detail.contains("no route covers 239.1.2.3"), "{detail}");
}

#[test]
fn strict_rp_filter_with_asymmetric_path_is_found() {
    let Some(lab) = lab() else { return };
    lab.rx.multicast_route("v0");
    // A second link; the route back to the sender leaves through it.
    let other = Netns::new("doth");
    veth(
        &lab.rx,
        "w0",
        "198.51.100.2/24",
        &other,
        "w1",
        "198.51.100.1/24",
    );
    lab.rx.ip(&["route", "add", "203.0.113.7/32", "dev", "w0"]);
    for key in [
        "net.ipv4.conf.all.rp_filter=1",
        "net.ipv4.conf.v0.rp_filter=1",
    ] {
        let ok = lab
            .rx
            .command("sysctl")
            .args(["-qw", key])
            .status()
            .unwrap()
            .success();
        assert!(ok, "sysctl {key}");
    }
    let (code, checks) = doctor(&lab.rx, &["-i", "v0", "--source", "203.0.113.7"]);
    assert_eq!(code, 1);
    let (v, detail) = verdict(&checks, "rp_filter");
    assert_eq!(v, "problem");
    assert!(detail.contains("leaves via w0"), "{detail}");
    // The same source routed back via v0 passes.
    let (_, checks) = doctor(&lab.rx, &["-i", "v0", "--source", "192.0.2.1"]);
    assert_eq!(verdict(&checks, "rp_filter").0, "ok");
}

#[test]
fn multicast_flag_off_is_found() {
    let Some(lab) = lab() else { return };
    lab.rx.multicast_route("v0");
    lab.rx.ip(&["link", "set", "v0", "multicast", "off"]);
    let (code, checks) = doctor(&lab.rx, &["-i", "v0"]);
    assert_eq!(code, 1);
    let (v, detail) = verdict(&checks, "interface");
    assert_eq!(v, "problem");
    assert!(detail.contains("MULTICAST flag"), "{detail}");
}

#[test]
fn unknown_interface_and_unicast_group_are_usage_errors() {
    let out = crate::util::nettool()
        .args(["multicast", "doctor", "10.0.0.1:5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a multicast address"));
    let out = crate::util::nettool()
        .args(["multicast", "doctor", "239.0.0.1:5", "-i", "nosuchif0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown interface \"nosuchif0\""));
}

/// The firewall check reads the ruleset for this group, port and interface: a drop
/// rule for another port, another protocol or another interface is not blamed; one
/// that matches is, with its handle.
#[test]
fn firewall_rules_are_blamed_only_when_they_match() {
    let Some(lab) = lab() else { return };
    if !require("nft") {
        return;
    }
    lab.rx.multicast_route("v0");
    lab.rx.nft(
        "table inet guard {\n\
           chain input {\n\
             type filter hook input priority 0; policy accept;\n\
             tcp dport 8989 drop\n\
             udp dport 9999 drop\n\
             iifname \"v9\" udp dport 8989 drop\n\
           }\n\
         }\n",
    );
    let (code, checks) = doctor(&lab.rx, &["-i", "v0", "--source", "192.0.2.1"]);
    let (v, detail) = verdict(&checks, "firewall");
    assert_eq!((v, code), ("ok", 0), "{detail}");
    assert!(detail.contains("3 drop rules cannot match it"), "{detail}");

    lab.rx.nft(
        "table ip block {\n\
           chain input {\n\
             type filter hook input priority 10; policy accept;\n\
             ip daddr 239.0.0.0/8 udp dport { 8000-8999 } counter drop\n\
           }\n\
         }\n",
    );
    let (code, checks) = doctor(&lab.rx, &["-i", "v0", "--source", "192.0.2.1"]);
    let (v, detail) = verdict(&checks, "firewall");
    assert_eq!((v, code), ("problem", 1), "{detail}");
    assert!(
        detail.contains("nftables drops UDP to 239.1.2.3:8989: `ip daddr 239.0.0.0/8 udp dport 8000-8999 drop` in ip block input (handle"),
        "{detail}"
    );
}
