//! Ports are numbers or service names of the command's transport (`localhost:http`,
//! `[::1]:ssh`, `--sport http`), `:PORT` works wherever `PORT` does, and a refused
//! number says why in words.

use std::io::Write;
use std::process::Stdio;

use crate::util::netns::Netns;
use crate::util::{Server, nettool, nettool_assert, require_root};

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = nettool().args(args).stdin(Stdio::null()).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn service_names_become_their_tcp_ports() {
    for (addr, port) in [
        (
            "localhost:http",
            "sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}",
        ),
        ("[::1]:ssh", "sin6_port=htons(22)"),
    ] {
        let (code, err) = stderr_of(&["--dry-run", "tcp-echo", "connect", addr]);
        assert_eq!(code, Some(0), "{addr}: {err}");
        assert!(
            err.lines().any(|l| l.starts_with("connect(")
                && l.contains(port)
                && l.ends_with("(dry run: not made)")),
            "{addr}: {err}"
        );
    }
}

#[test]
fn a_service_of_the_other_transport_is_refused_with_its_port() {
    let (code, err) = stderr_of(&["udp", "send", "[::1]:ssh", "x"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err,
        "nettool: invalid address \"[::1]:ssh\": service \"ssh\" is port 22/tcp but has no udp \
         entry in /etc/services; give the number\n"
    );
    let (code, err) = stderr_of(&["tcp-echo", "connect", "localhost:nosuchservice"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("unknown service \"nosuchservice\""), "{err}");
}

/// Well-known ports are bound inside a namespace of the test's own, where nothing else
/// runs: a named TCP port served, connected to and filtered on by name.
#[test]
fn named_ports_serve_connect_and_filter() {
    if !require_root() {
        return;
    }
    let ns = Netns::new("svc");
    let server = ns.serve(&["tcp-echo", "serve", "-l", "127.0.0.1:http"]);
    assert_eq!(server.addr, "127.0.0.1:80");
    let mut client = ns
        .nettool()
        .args(["tcp-echo", "connect", "-w", "5", "localhost:http"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    client.stdin.take().unwrap().write_all(b"named\n").unwrap();
    let out = client.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"named\n");

    let by_name = ns.run_ok(&["stat", "-tln", "--sport", "http"]);
    let text = String::from_utf8_lossy(&by_name.stdout);
    assert!(text.contains("127.0.0.1:80 "), "{text}");
    let by_colon = ns.run_ok(&["stat", "-tl", "--sport", ":80"]);
    let text = String::from_utf8_lossy(&by_colon.stdout);
    assert!(text.contains("127.0.0.1:http "), "{text}");
}

#[test]
fn named_udp_port_serves_and_answers() {
    if !require_root() {
        return;
    }
    let ns = Netns::new("svcu");
    let server = ns.serve(&["udp", "serve", "-l", "127.0.0.1:domain"]);
    assert_eq!(server.addr, "127.0.0.1:53");
    let out = ns.run_ok(&["udp", "send", "127.0.0.1:domain", "hello", "-w", "2"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello");
}

#[test]
fn port_arguments_take_colon_forms_and_names() {
    let server = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let port = server.socket_addr().port().to_string();
    let out = nettool_assert()
        .args(["stat", "-tln", "--sport", &format!(":{port}")])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains(&format!("127.0.0.1:{port} ")), "{text}");

    // A receiver on `:0` binds (nothing is sent) and says where.
    let recv = Server::start(&["broadcast", "recv", ":0"]);
    assert!(recv.addr.starts_with("0.0.0.0:"), "{}", recv.addr);

    for args in [
        &["stat", "--sport", "x y"][..],
        &["broadcast", "recv", "host:99"],
        &["broadcast", "send", ":nosuchservice", "-i", "lo", "x"],
    ] {
        let (code, err) = stderr_of(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(!err.contains("invalid digit"), "{args:?}: {err}");
        assert!(
            err.contains("neither a number")
                || err.contains("give only a port")
                || err.contains("unknown service"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn counts_below_their_minimum_say_the_minimum() {
    for args in [
        &["tcp-echo", "serve", "--max-connections", "0"][..],
        &["udp", "recv", "-n", "0"],
        &["heartbeat", "connect", "--misses", "0", ":9"],
    ] {
        let (code, err) = stderr_of(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("must be at least 1"), "{args:?}: {err}");
        assert!(!err.contains("18446744073709551615"), "{args:?}: {err}");
    }
    let (code, err) = stderr_of(&["serve-http", "--workers", "300"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("must be between 1 and 256"), "{err}");
}

/// `-w 0` would time out before anything could happen: refused like `--interval 0`.
#[test]
fn a_zero_timeout_is_a_usage_error_everywhere() {
    for args in [
        &["tcp-echo", "connect", "-w", "0", ":9"][..],
        &["tcp-echo", "listen", "-w", "0ms"],
        &["udp", "recv", "-w", "0"],
        &["udp", "send", ":9", "x", "-w", "0"],
        &["unix", "connect", "--dgram", "-w", "0", "/nonexistent"],
        &["multicast", "doctor", "239.1.2.3:5000", "-w", "0"],
        &["heartbeat", "connect", "-w", "0", ":9"],
        &["tcp-echo", "bench", ":9", "-w", "0"],
        &["stat", "--packets", "-w", "0"],
    ] {
        let (code, err) = stderr_of(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("must be above zero"), "{args:?}: {err}");
    }
    let (code, err) = stderr_of(&["heartbeat", "connect", "--interval", "0", ":9"]);
    assert_eq!(code, Some(2), "{err}");
}
