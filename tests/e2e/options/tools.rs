//! Rows for the global options and the multicast doctor.

use std::net::TcpListener;
use std::time::Duration;

use super::Row;
use super::fixtures::*;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    [
        super::rows!("":
            "--json" => json,
            "--quiet" => quiet,
            "--verbose" => verbose,
            "--explain" => explain,
            "--dry-run" => dry_run,
            "--color" => color,
        ),
        super::rows!("multicast doctor":
            "--iface" => doctor_iface,
            "--source" => doctor_source,
            "--timeout" => doctor_timeout,
        ),
    ]
    .concat()
}

/// A port nothing listens on.
fn closed_port() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

fn json() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port().to_string();
    let args = ["stat", "-tl", "--sport", &port];
    let plain = stdout(&run(&args));
    assert!(records(&plain).is_empty(), "{plain}");
    let json = stdout(&run(&[&["--json"], &args[..]].concat()));
    let socks = events(&json, "socket");
    assert_eq!(socks.len(), 1, "{json}");
}

fn serve_then_stop(global: &[&str]) -> Vec<String> {
    let mut s = Server::start(&[global, &["tcp-echo", "serve", "-l", "127.0.0.1:0"]].concat());
    assert!(s.stop().success());
    std::thread::sleep(Duration::from_millis(50));
    s.stderr_lines()
}

fn quiet() {
    let says = |l: &Vec<String>| l.iter().any(|l| l.contains(" connections ("));
    assert!(says(&serve_then_stop(&[])));
    assert!(!says(&serve_then_stop(&["-q"])));
}

fn verbose() {
    let s = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let quiet_line = s.wait_for_line("connection ceiling", Duration::from_millis(300));
    assert!(quiet_line.is_none());
    let v = Server::start(&["-v", "tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    assert!(
        v.wait_for_line("connection ceiling", Duration::from_secs(5))
            .is_some()
    );
}

fn explain() {
    let addr = closed_port();
    let calls = stderr(&run(&["--explain", "tcp-echo", "connect", &addr]));
    let port = addr.rsplit(':').next().unwrap();
    // The address as the C struct connect(2) receives.
    let sin_port = format!("sin_port=htons({port})");
    has_call(&calls, &["connect(", &sin_port, "ECONNREFUSED"]);
    no_call(
        &stderr(&run(&["tcp-echo", "connect", &addr])),
        &["connect("],
    );
    // --explain=io adds the I/O path: the send of stdin, the recv of the echo and EOF.
    let echo = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let mut cmd = crate::util::nettool();
    cmd.args(["--explain=io", "tcp-echo", "connect", &echo.host_port()]);
    let io = stderr(&crate::util::run_with_stdin(cmd, b"hi\n"));
    has_call(&io, &["send(", ", 3, MSG_NOSIGNAL) = 3"]);
    has_call(&io, &["recv(", ") = 0 (EOF"]);
    has_call(&io, &["shutdown(", "SHUT_WR) = 0"]);
    // Plain --explain keeps to setup and lifecycle.
    let mut cmd = crate::util::nettool();
    cmd.args(["--explain", "tcp-echo", "connect", &echo.host_port()]);
    let calls = stderr(&crate::util::run_with_stdin(cmd, b"hi\n"));
    has_call(&calls, &["shutdown(", "SHUT_WR) = 0"]);
    no_call(&calls, &["recv("]);
}

fn dry_run() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let out = run(&["--dry-run", "tcp-echo", "connect", &addr]);
    assert!(out.status.success(), "{out:?}");
    has_call(&stderr(&out), &["connect(", "dry run: not made"]);
    assert!(l.accept().is_err(), "a dry run connected");
}

fn color() {
    let addr = closed_port();
    let always = stderr(&run(&["--color", "always", "tcp-echo", "connect", &addr]));
    assert!(always.contains("\x1b["), "{always:?}");
    let never = stderr(&run(&["--color", "never", "tcp-echo", "connect", &addr]));
    assert!(!never.contains("\x1b["), "{never:?}");
}

fn doctor(ns: &crate::util::netns::Netns, args: &[&str]) -> Vec<serde_json::Value> {
    let mut c = ns.nettool();
    c.args(["--json", "multicast", "doctor", "239.7.7.7:5000"])
        .args(args);
    events(&stdout(&run_with(c, b"")), "check")
}

fn check_named<'a>(checks: &'a [serde_json::Value], name: &str) -> Option<&'a serde_json::Value> {
    checks.iter().find(|c| c["check"] == name)
}

fn doctor_iface() {
    let Some(ns) = netns("odi") else { return };
    let named = doctor(&ns, &["-i", "lo"]);
    let detail = check_named(&named, "interface").unwrap()["detail"].to_string();
    assert!(
        detail.contains("lo") && !detail.contains("chosen by the route"),
        "{detail}"
    );
}

fn doctor_source() {
    let Some(ns) = netns("ods") else { return };
    // Strict reverse-path filtering: only a known source can be checked against it.
    ns.sysctl("net.ipv4.conf.all.rp_filter", "1");
    let without = doctor(&ns, &["-i", "lo"]);
    let with = doctor(&ns, &["-i", "lo", "--source", "127.0.0.1"]);
    let rp = |c: &[serde_json::Value]| check_named(c, "rp_filter").map(|v| v["detail"].to_string());
    assert_ne!(
        rp(&without),
        rp(&with),
        "--source changes the reverse-path check"
    );
}

fn doctor_timeout() {
    let Some(ns) = netns("odt") else { return };
    assert!(check_named(&doctor(&ns, &["-i", "lo"]), "traffic").is_none());
    let waited = doctor(&ns, &["-i", "lo", "-w", "100ms"]);
    assert!(check_named(&waited, "traffic").is_some(), "{waited:?}");
}
