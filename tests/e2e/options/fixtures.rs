//! What the option checks observe with: a finished run's output, the socket calls a
//! dry run reports, a namespace for broadcast and multicast.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::util::netns::Netns;
use crate::util::nettool;

/// `nettool ARGS…` (a prepared command) to completion, `input` on stdin.
pub use crate::util::run_with_stdin as run_with;

pub fn cmd(args: &[&str]) -> Command {
    let mut c = nettool();
    c.args(args);
    c
}

/// `nettool ARGS…` to completion with nothing on stdin.
pub fn run(args: &[&str]) -> Output {
    run_with(cmd(args), b"")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The socket calls of `nettool --dry-run ARGS…` (its stderr), in order.
pub fn dry(args: &[&str]) -> String {
    let mut full = vec!["--dry-run"];
    full.extend_from_slice(args);
    stderr(&run(&full))
}

/// As [`dry`], inside `ns`.
pub fn dry_in(ns: &Netns, args: &[&str]) -> String {
    let mut c = ns.nettool();
    c.arg("--dry-run").args(args);
    stderr(&run_with(c, b""))
}

/// Some line of `calls` contains every one of `parts`.
#[track_caller]
pub fn has_call(calls: &str, parts: &[&str]) {
    assert!(
        calls.lines().any(|l| parts.iter().all(|p| l.contains(p))),
        "no call with {parts:?} in:\n{calls}"
    );
}

/// No line of `calls` contains every one of `parts`.
#[track_caller]
pub fn no_call(calls: &str, parts: &[&str]) {
    assert!(
        !calls.lines().any(|l| parts.iter().all(|p| l.contains(p))),
        "a call with {parts:?} in:\n{calls}"
    );
}

/// One JSON record per line (lines that are not JSON are skipped).
pub fn records(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The records named `event`.
pub fn events(text: &str, event: &str) -> Vec<serde_json::Value> {
    records(text)
        .into_iter()
        .filter(|v| v["event"] == event)
        .collect()
}

/// A namespace for broadcast and multicast checks (`lo` up, 224.0.0.0/4 on `lo`);
/// `None` (skipped, or failed under CI) where namespaces cannot be made.
pub fn netns(tag: &str) -> Option<Netns> {
    if !crate::util::netns::available() {
        return None;
    }
    let ns = Netns::new(tag);
    ns.multicast_route("lo");
    Some(ns)
}

/// How long `f` took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

/// A loopback address with a port nothing else holds right now.
pub fn free_addr(udp: bool) -> String {
    let port = if udp {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap().port()
    } else {
        let s = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap().port()
    };
    format!("127.0.0.1:{port}")
}

/// `-l ADDR` is where the server (`args`, then `-l`) says it is ready.
#[track_caller]
pub fn listens_where_told(args: &[&str], udp: bool) {
    let want = free_addr(udp);
    let s = crate::util::Server::start(&[args, &["-l", &want]].concat());
    assert_eq!(s.host_port(), want);
}

/// `FLAG -l :0` (the host left to the family) makes the server listen at `prefix…`.
#[track_caller]
pub fn family_decides_the_host(args: &[&str], flag: &str, prefix: &str) {
    let s = crate::util::Server::start(&[args, &[flag, "-l", ":0"]].concat());
    assert!(s.addr.starts_with(prefix), "{flag}: {}", s.addr);
}

/// A temporary directory and a path in it.
pub fn temp_path(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name).display().to_string();
    (dir, p)
}

/// The dump file a `-x` run wrote parses and holds these bytes, received and sent.
#[track_caller]
pub fn dump_holds(path: &str, received: &[u8], sent: &[u8]) {
    use nettool::net::hexdump::{Direction, parse};
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let chunks = parse(&text).unwrap_or_else(|e| panic!("dump does not parse: {e}\n{text}"));
    let join = |d| -> Vec<u8> {
        chunks
            .iter()
            .filter(|(dir, _)| *dir == d)
            .flat_map(|(_, b)| b.clone())
            .collect()
    };
    assert_eq!(
        join(Direction::Received),
        received,
        "received bytes in {path}"
    );
    assert_eq!(join(Direction::Sent), sent, "sent bytes in {path}");
}
