//! `--explain` / `--dry-run`: the printed socket calls are the calls really made —
//! checked against strace of the same command, call by call, in order.

use std::process::Stdio;

use crate::util::{nettool, require};

/// One call: its name and the arguments that identify it.
#[derive(Debug, PartialEq, Eq)]
struct Call {
    name: String,
    key: Vec<String>,
}

const TRACED: &[&str] = &["socket", "setsockopt", "bind", "listen", "connect"];

/// Reduce a C-style call line (`name(a, b, …) = r`) to its identifying parts; strace
/// and nettool spell addresses differently, so those are left out.
fn parse_call(line: &str) -> Option<Call> {
    let line = line.split_once("  ").map_or(line, |(a, _)| a).trim();
    let (name, rest) = line.split_once('(')?;
    let name = name.rsplit(' ').next()?.to_string();
    if !TRACED.contains(&name.as_str()) {
        return None;
    }
    let args: Vec<String> = rest.split(", ").map(|a| a.trim().to_string()).collect();
    let key = match name.as_str() {
        "socket" => args[..3].to_vec(),
        "setsockopt" => args[1..3].to_vec(),
        _ => vec![],
    };
    Some(Call { name, key })
}

fn explain_vs_strace(args: &[&str]) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = std::process::Command::new("strace");
    cmd.args([
        "-f",
        "-qq",
        "-e",
        &format!("trace={}", TRACED.join(",")),
        "-o",
    ])
    .arg(log.path())
    .arg(crate::util::bin())
    .args(args)
    .env("NO_COLOR", "1")
    .stdin(Stdio::null());
    let out = cmd.output().unwrap();
    let explained: Vec<Call> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(parse_call)
        .collect();
    let traced: Vec<Call> = std::fs::read_to_string(log.path())
        .unwrap()
        .lines()
        .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest)) // drop strace's pid column
        .filter_map(parse_call)
        .collect();
    assert!(
        !explained.is_empty(),
        "nothing explained for {args:?}: {out:?}"
    );
    assert_eq!(
        explained, traced,
        "explain differs from strace for {args:?}"
    );
}

#[test]
fn explain_matches_strace_for_a_refused_connect() {
    if !require("strace") {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    explain_vs_strace(&[
        "--explain",
        "tcp-echo",
        "connect",
        &format!("127.0.0.1:{port}"),
    ]);
}

#[test]
fn dry_run_of_listen_matches_strace_and_exits_0() {
    if !require("strace") {
        return;
    }
    explain_vs_strace(&["--dry-run", "tcp-echo", "listen", "-l", "[::1]:0"]);
}

#[test]
fn dry_run_of_serve_sets_up_and_stops() {
    let out = nettool()
        .args(["--dry-run", "tcp-echo", "serve", "-l", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let calls: Vec<&str> = stderr.lines().filter_map(|l| l.split('(').next()).collect();
    assert_eq!(
        &calls[..4],
        ["socket", "setsockopt", "bind", "listen"],
        "{stderr}"
    );
    assert!(stderr.contains("(dry run: not made)"), "{stderr}");
}

#[test]
fn explain_json_gives_records() {
    let out = nettool()
        .args([
            "--dry-run",
            "--json",
            "tcp-echo",
            "listen",
            "-l",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["event"] == "syscall")
        .collect();
    assert_eq!(records[0]["call"], "socket");
    assert_eq!(records[1]["args"][2], "SO_REUSEADDR");
    assert_eq!(records.last().unwrap()["dry_run"], true);
}
