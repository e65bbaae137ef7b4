//! `nettool stat` against `ss` (and `ip maddr`) on the same sockets: the test opens
//! sockets in known states, then compares both tools' rows for its own ports.

mod compare;
mod filters;
mod internals;
mod live;
mod packets;
mod parity;

use std::collections::BTreeSet;
use std::process::Command;

use crate::util::nettool;

/// One table row, normalised to compare nettool with ss.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub netid: String,
    pub state: String,
    pub recv_q: u64,
    pub send_q: u64,
    pub local: String,
    pub peer: String,
}

/// ss's short state names → nettool's diagram names.
fn normal_state(s: &str, netid: &str) -> String {
    match s {
        "ESTAB" => "ESTABLISHED".into(),
        "UNCONN" if netid == "tcp" => "CLOSED".into(),
        other => other.to_string(),
    }
}

/// Run `nettool stat ARGS` and return stdout (panics with stderr on failure).
pub fn stat(args: &[&str]) -> String {
    output_of(nettool().arg("stat").args(args))
}

pub fn output_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Parse a table: nettool's (`Local:Port` in one cell) or ss's (with `-x`, the Unix
/// name and inode in two cells). `netid` is the protocol when the table has no Netid
/// column.
pub fn parse(text: &str, netid: Option<&str>) -> Vec<Row> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let has_netid = header.starts_with("Netid");
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (id, rest) = if has_netid {
                (f[0].to_string(), &f[1..])
            } else {
                (netid.expect("netid").to_string(), &f[..])
            };
            let (local, peer) = if id.starts_with("u_") && !rest[3].contains(':') {
                // ss -x: `NAME INODE PEERNAME PEERINODE`
                (
                    format!("{}:{}", rest[3], rest[4]),
                    format!("{}:{}", rest[5], rest[6]),
                )
            } else {
                (rest[3].to_string(), rest[4].to_string())
            };
            Row {
                state: normal_state(rest[0], &id),
                recv_q: rest[1].parse().expect("recv-q"),
                send_q: rest[2].parse().expect("send-q"),
                local,
                peer,
                netid: id,
            }
        })
        .collect()
}

/// The port of `addr:port` text (`*` → 0).
pub fn port_of(ep: &str) -> u16 {
    ep.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

/// Rows with `port` at either end, as a sorted set.
pub fn with_port(rows: &[Row], port: u16) -> BTreeSet<Row> {
    rows.iter()
        .filter(|r| port_of(&r.local) == port || port_of(&r.peer) == port)
        .cloned()
        .collect()
}

/// `ss ARGS` (numeric) parsed.
pub fn ss(args: &[&str], netid: Option<&str>) -> Vec<Row> {
    parse(&output_of(Command::new("ss").args(args)), netid)
}

#[test]
fn table_header_and_exit_on_closed_pipe() {
    // A watch writes frames forever; closing our end must end it quietly with 0.
    let mut child = nettool()
        .args(["stat", "-tan", "--watch", "10ms", "--count", "3000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 3];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"---");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn piping_into_head_exits_zero_without_a_panic() {
    let bin = crate::util::bin().display().to_string();
    let out = Command::new("bash")
        .args([
            "-c",
            &format!("set -o pipefail; NO_COLOR=1 {bin} stat -ta | head -1"),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("State"));
}

#[test]
fn bad_state_is_a_usage_error() {
    let out = nettool()
        .args(["stat", "--state", "sleepy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown state"));
}

#[test]
fn unknown_pid_is_a_one_line_error() {
    let out = nettool()
        .args(["stat", "--pid", "2147483646"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim(), "nettool: process 2147483646: no such process");
}
