//! `--watch` sees a state change the test causes; `-g` lists what `ip maddr` lists.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{netns::Netns, nettool, require, require_root};

#[test]
fn watch_reports_new_sockets_and_transitions_as_json() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let mut watch = nettool()
        .args([
            "stat", "-tan", "--json", "--watch", "50ms", "--count", "400",
        ])
        .args(["--dport", &port.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = channel::<Value>();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let v: Value = serde_json::from_str(&line).expect("JSON line");
            if tx.send(v).is_err() {
                break;
            }
        }
    });
    let next_matching = |pred: &dyn Fn(&Value) -> bool| -> Option<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(v) if pred(&v) => return Some(v),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    };
    // Let the first snapshot pass, then open a connection: a `new` event.
    std::thread::sleep(Duration::from_millis(150));
    let client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (mut server, _) = l.accept().unwrap();
    let me = client.local_addr().unwrap().to_string();
    let new = next_matching(&|v| v["event"] == "new" && v["local"] == me.as_str());
    // The client closes first: ESTABLISHED → FIN-WAIT-2 (through FIN-WAIT-1).
    drop(client);
    let fin = next_matching(&|v| v["event"] == "state" && v["local"] == me.as_str());
    // The server reads EOF and closes: the client's side ends in TIME-WAIT.
    let mut buf = [0u8; 1];
    let _ = server.read(&mut buf);
    drop(server);
    let tw = next_matching(&|v| v["to"] == "TIME-WAIT" && v["local"] == me.as_str());
    let _ = watch.kill();
    let _ = watch.wait();
    let new = new.expect("a `new` event for our connection");
    assert_eq!(new["state"], "ESTABLISHED");
    let fin = fin.expect("a state event after our close");
    assert_eq!(fin["from"], "ESTABLISHED");
    assert!(fin["to"].as_str().unwrap().starts_with("FIN-WAIT"), "{fin}");
    assert!(fin["time"].is_string());
    tw.expect("the transition to TIME-WAIT");
}

#[test]
fn watch_frames_mark_changes() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let _c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (_s, _) = l.accept().unwrap();
    // Two snapshots of an unchanging set: both frames list it, nothing marked.
    let out = super::stat(&[
        "-tan",
        "--sport",
        &port.to_string(),
        "--watch",
        "10ms",
        "--count",
        "2",
    ]);
    let frames: Vec<&str> = out.split("--- ").filter(|f| !f.is_empty()).collect();
    assert_eq!(frames.len(), 2, "{out}");
    assert!(frames[1].contains("+0 new  -0 closed  ~0 changed"), "{out}");
    assert_eq!(frames[1].matches("127.0.0.1:").count(), 3, "{out}");
}

/// `(interface, group)` pairs from `ip maddr` (inet and inet6 lines only).
fn ip_maddr(ns: &Netns) -> BTreeSet<(String, String)> {
    let text = String::from_utf8(ns.ip(&["maddr", "show"]).stdout).unwrap();
    let mut iface = String::new();
    let mut set = BTreeSet::new();
    for line in text.lines() {
        if !line.starts_with(char::is_whitespace) {
            // `2:	d0`
            iface = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
        } else {
            let f: Vec<&str> = line.split_whitespace().collect();
            if matches!(f.first(), Some(&"inet") | Some(&"inet6")) {
                set.insert((iface.clone(), f[1].to_string()));
            }
        }
    }
    set
}

#[test]
fn groups_match_ip_maddr_in_a_namespace() {
    if !require_root() || !require("socat") {
        return;
    }
    let ns = Netns::new("grp");
    // A veth pair with both ends in the namespace (this kernel may lack `dummy`).
    ns.ip(&["link", "add", "d0", "type", "veth", "peer", "name", "d1"]);
    ns.ip(&["link", "set", "d1", "up"]);
    ns.ip(&["link", "set", "d0", "up"]);
    ns.ip(&["addr", "add", "192.0.2.1/24", "dev", "d0"]);
    // A receiver joined to 239.1.2.3 on d0 for as long as it runs (no traffic is sent).
    let mut joined = ns
        .command("socat")
        .args([
            "-u",
            "UDP4-RECV:5000,ip-add-membership=239.1.2.3:192.0.2.1",
            "/dev/null",
        ])
        .spawn()
        .unwrap();
    let has_group = || ip_maddr(&ns).contains(&("d0".to_string(), "239.1.2.3".to_string()));
    let ok = crate::util::wait_until(Duration::from_secs(5), has_group);
    let expected = ip_maddr(&ns);
    let ours_json = super::output_of(ns.nettool().args(["stat", "-g", "--json"]));
    let table = super::output_of(ns.nettool().args(["stat", "-g"]));
    let _ = joined.kill();
    let _ = joined.wait();
    assert!(ok, "socat never joined 239.1.2.3");
    let ours: BTreeSet<(String, String)> = ours_json
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["event"], "membership");
            (
                v["iface"].as_str().unwrap().into(),
                v["group"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(ours, expected);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("d0") && l.ends_with("239.1.2.3")),
        "{table}"
    );
}
