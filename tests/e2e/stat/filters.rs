//! Filters: ports, states, families, and "whose sockets" (`-p`, `--pid`, `--self`).

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::Duration;

use super::{Row, parse, port_of, ss, stat, with_port};
use crate::util::{Server, require, wait_until};

#[test]
fn port_state_and_family_filters() {
    let v4 = TcpListener::bind("127.0.0.1:0").unwrap();
    let p4 = v4.local_addr().unwrap().port();
    let v6 = match TcpListener::bind("[::1]:0") {
        Ok(l) => l,
        Err(e) => {
            eprintln!("SKIPPED: no IPv6 loopback ({e})");
            return;
        }
    };
    let p6 = v6.local_addr().unwrap().port();
    let c = TcpStream::connect(("127.0.0.1", p4)).unwrap();
    let client = c.local_addr().unwrap().to_string();
    let (_s, _) = v4.accept().unwrap();

    let sport4 = parse(&stat(&["-tan", "--sport", &p4.to_string()]), Some("tcp"));
    assert_eq!(sport4.len(), 2, "listener and accepted socket: {sport4:#?}");
    assert!(sport4.iter().all(|r| port_of(&r.local) == p4));

    // Other sockets on this machine may also have talked to a port numbered p4 before
    // our listener got it (a TIME-WAIT left behind): ours is the client's.
    let dport4 = parse(&stat(&["-tan", "--dport", &p4.to_string()]), Some("tcp"));
    assert!(dport4.iter().all(|r| port_of(&r.peer) == p4), "{dport4:#?}");
    let ours: Vec<&Row> = dport4.iter().filter(|r| r.local == client).collect();
    assert_eq!(ours.len(), 1, "{dport4:#?}");
    assert_eq!(ours[0].state, "ESTABLISHED");

    let listen = parse(&stat(&["-tln", "--sport", &p4.to_string()]), Some("tcp"));
    assert_eq!(listen.len(), 1);
    assert_eq!(listen[0].state, "LISTEN");
    let states = parse(
        &stat(&[
            "-tn",
            "--state",
            "listen",
            "established",
            "--sport",
            &p4.to_string(),
        ]),
        Some("tcp"),
    );
    assert_eq!(states.len(), 2);

    let only6 = parse(&stat(&["-tln", "-6"]), Some("tcp"));
    assert!(only6.iter().any(|r| r.local == format!("[::1]:{p6}")));
    // IPv6 only: bracketed addresses, or `*` for a dual-stack wildcard.
    assert!(
        only6
            .iter()
            .all(|r| r.local.starts_with('[') || r.local.starts_with("*:")),
        "{only6:#?}"
    );
    let only4 = parse(&stat(&["-tln", "-4"]), Some("tcp"));
    assert!(only4.iter().any(|r| port_of(&r.local) == p4));
    // IPv4 only: no bracketed address, so not our [::1] listener (an IPv4 socket of
    // another test may have the same port number: v4 and v6 ports are apart).
    assert!(
        only4.iter().all(|r| !r.local.starts_with('[')),
        "{only4:#?}"
    );
    assert!(!only4.iter().any(|r| r.local == format!("[::1]:{p6}")));
}

#[test]
fn v4_mapped_addresses_print_like_ss() {
    if !require("ss") {
        return;
    }
    let Ok(l) = TcpListener::bind("[::]:0") else {
        eprintln!("SKIPPED: no IPv6");
        return;
    };
    let port = l.local_addr().unwrap().port();
    let _c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (_s, _) = l.accept().unwrap();
    let ours = with_port(&parse(&stat(&["-tan"]), Some("tcp")), port);
    assert_eq!(ours, with_port(&ss(&["-tan"], Some("tcp")), port));
    assert!(
        ours.iter()
            .any(|r| r.local == format!("[::ffff:127.0.0.1]:{port}")),
        "{ours:#?}"
    );
}

#[test]
fn dash_p_names_the_process() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let text = stat(&["-tlnp", "--sport", &port.to_string()]);
    let me = std::process::id();
    assert!(
        text.contains(&format!(",pid={me},fd=")),
        "our pid {me} in:\n{text}"
    );
    let json = stat(&["-tlnp", "--json", "--sport", &port.to_string()]);
    let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    // Other tests spawn children meanwhile: between fork and exec a child holds a copy
    // of every descriptor of this process, so ours need not be the first holder listed.
    let holders = v["process"].as_array().expect("process list");
    assert!(holders.iter().any(|p| p["pid"] == me), "{v}");
}

/// Every row of `stat ARGS --pid PID`, as a set.
fn rows_of_pid(pid: i32, extra: &[&str]) -> BTreeSet<Row> {
    let pid = pid.to_string();
    let mut args = vec!["-tan", "--pid", &pid];
    args.extend_from_slice(extra);
    parse(&stat(&args), Some("tcp")).into_iter().collect()
}

#[test]
fn pid_filters_exactly() {
    let server = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let port = server.socket_addr().port();
    let only_listener = rows_of_pid(server.pid(), &[]);
    assert_eq!(only_listener.len(), 1, "{only_listener:#?}");
    let l = only_listener.iter().next().unwrap();
    assert_eq!((l.state.as_str(), port_of(&l.local)), ("LISTEN", port));

    // Our client end is ours, not the server's: only the accepted end joins the list.
    let client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mine = client.local_addr().unwrap().to_string();
    assert!(wait_until(Duration::from_secs(5), || rows_of_pid(
        server.pid(),
        &[]
    )
    .len()
        == 2));
    let rows = rows_of_pid(server.pid(), &[]);
    assert!(
        rows.iter()
            .any(|r| r.state == "ESTABLISHED" && r.peer == mine),
        "{rows:#?}"
    );
    assert!(rows.iter().all(|r| r.local != mine));
}

#[test]
fn self_means_the_calling_process() {
    if !require("bash") {
        return;
    }
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let bin = crate::util::bin().display().to_string();
    // bash opens one connection on fd 3, then runs `nettool stat --self` (not as its
    // last command, so bash stays the parent instead of exec'ing nettool).
    let script = format!(
        "exec 3<>/dev/tcp/127.0.0.1/{port}; NO_COLOR=1 {bin} stat -tanp --self; rc=$?; exec 3>&-; exit $rc"
    );
    let out = Command::new("bash").args(["-c", &script]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let rows = parse(&text, Some("tcp"));
    assert_eq!(rows.len(), 1, "only bash's own connection:\n{text}");
    assert_eq!(rows[0].peer, format!("127.0.0.1:{port}"));
    assert!(text.contains("users:((\"bash\""), "{text}");
}

#[test]
fn resolve_names_loopback_like_getent() {
    let Ok(out) = Command::new("getent").args(["hosts", "127.0.0.1"]).output() else {
        return;
    };
    let Some(name) = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .map(String::from)
    else {
        eprintln!("SKIPPED: 127.0.0.1 has no name here");
        return;
    };
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let text = stat(&["-tlr", "--sport", &port.to_string()]);
    assert!(
        text.contains(&format!("{name}:")), // the port may have an /etc/services name
        "{name} in:\n{text}"
    );
    let numeric = stat(&["-tln", "--sport", &port.to_string()]);
    assert!(numeric.contains(&format!("127.0.0.1:{port}")), "{numeric}");
}
