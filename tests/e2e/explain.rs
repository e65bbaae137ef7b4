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
fn parse_call(line: &str) -> Option<(Call, Option<String>)> {
    if line.contains("dry run: not made") {
        return None; // described, deliberately not made
    }
    // strace pads before ` = result`; fold every run of spaces into one.
    let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let (name, rest) = line.split_once('(')?;
    let name = name.rsplit(' ').next()?.to_string();
    if !TRACED.contains(&name.as_str()) {
        return None;
    }
    let (inner, result) = rest.rsplit_once(") = ")?;
    // strace names the IP levels SOL_IP/SOL_IPV6; the man pages (and nettool) IPPROTO_*.
    let args: Vec<String> = inner
        .split(", ")
        .map(|a| {
            a.trim()
                .replace("SOL_IPV6", "IPPROTO_IPV6")
                .replace("SOL_IP", "IPPROTO_IP")
        })
        .collect();
    let key = match name.as_str() {
        "socket" => args[..3].to_vec(),
        "setsockopt" => args[1..3].to_vec(),
        _ => vec![],
    };
    let fd = match name.as_str() {
        "socket" => result.split_whitespace().next().map(String::from),
        _ => args.first().cloned(),
    };
    Some((Call { name, key }, fd))
}

/// The calls on nettool's own sockets: sockets libc opens for itself (the netlink
/// socket of getifaddrs(3), the AF_UNIX one of if_nametoindex(3)) and every call on
/// their descriptors are left out. `families` are the socket families the command uses.
fn own_calls<'a>(lines: impl Iterator<Item = &'a str>, families: &[&str]) -> Vec<Call> {
    let mut foreign = std::collections::HashSet::new();
    let mut calls = Vec::new();
    for (call, fd) in lines.filter_map(parse_call) {
        let fd = fd.unwrap_or_default();
        if call.name == "socket" {
            if families.contains(&call.key[0].as_str()) {
                foreign.remove(&fd);
            } else {
                foreign.insert(fd);
                continue;
            }
        } else if foreign.contains(&fd) {
            continue;
        }
        calls.push(call);
    }
    calls
}

fn explain_vs_strace(args: &[&str]) {
    explain_vs_strace_in(None, args)
}

/// As [`explain_vs_strace`], inside network namespace `ns` when given.
fn explain_vs_strace_in(ns: Option<&crate::util::netns::Netns>, args: &[&str]) {
    let families: &[&str] = if args.contains(&"unix") {
        &["AF_UNIX"]
    } else if args.contains(&"stat") {
        &["AF_NETLINK"]
    } else {
        &["AF_INET", "AF_INET6"]
    };
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = match ns {
        Some(ns) => ns.command("strace"),
        None => std::process::Command::new("strace"),
    };
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    let explained = own_calls(stderr.lines(), families);
    let log_text = std::fs::read_to_string(log.path()).unwrap();
    // Drop strace's pid column.
    let traced = own_calls(
        log_text
            .lines()
            .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest)),
        families,
    );
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
    // Records go to stdout with the command's others; every line there is one.
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["event"] == "syscall")
        .collect();
    assert_eq!(records[0]["call"], "socket");
    assert_eq!(records[1]["args"][2], "SO_REUSEADDR");
    assert_eq!(records.last().unwrap()["dry_run"], true);
}

#[test]
fn explain_matches_strace_for_udp_recv_and_send() {
    if !require("strace") {
        return;
    }
    explain_vs_strace(&["--dry-run", "udp", "recv", "-l", "127.0.0.1:0"]);
    explain_vs_strace(&["--dry-run", "udp", "send", "127.0.0.1:9", "hello"]);
    explain_vs_strace(&["--dry-run", "udp", "serve", "-l", "[::1]:0"]);
}

#[test]
fn explain_matches_strace_for_unix_serve_and_connect() {
    if !require("strace") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.sock");
    let path = path.to_str().unwrap();
    explain_vs_strace(&["--dry-run", "unix", "serve", path]);
    assert!(
        !std::path::Path::new(path).exists(),
        "a dry run left its socket file"
    );
    explain_vs_strace(&["--dry-run", "unix", "connect", path]);
    explain_vs_strace(&[
        "--dry-run",
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        "poll",
    ]);
}

#[test]
fn explain_matches_strace_for_a_multicast_join() {
    if !require("strace") || !crate::util::require_root() {
        return;
    }
    let ns = crate::util::netns::Netns::new("expl");
    ns.multicast_route("lo");
    explain_vs_strace_in(
        Some(&ns),
        &[
            "--dry-run",
            "multicast",
            "recv",
            "239.1.2.3:8989",
            "-i",
            "lo",
        ],
    );
    explain_vs_strace_in(
        Some(&ns),
        &[
            "--dry-run",
            "multicast",
            "send",
            "239.1.2.3:8989",
            "-i",
            "lo",
            "--ttl",
            "3",
            "hi",
        ],
    );
    // The join is spelled out with the group and the interface index — and not made:
    // a join sends an IGMP report, and a dry run sends nothing.
    let out = ns
        .nettool()
        .args([
            "--dry-run",
            "multicast",
            "recv",
            "239.1.2.3:8989",
            "-i",
            "lo",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The socket's descriptor number is whatever socket(2) returned.
    let fd = stderr
        .lines()
        .find_map(|l| l.strip_prefix("socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_UDP) = "))
        .unwrap_or_else(|| panic!("no socket call: {stderr}"));
    assert!(
        stderr.contains(&format!(
            "setsockopt({fd}, IPPROTO_IP, IP_ADD_MEMBERSHIP, ip_mreqn{{239.1.2.3, ifindex 1 (lo)}})   (dry run: not made)"
        )),
        "{stderr}"
    );
}

#[test]
fn explain_matches_strace_for_stat_and_heartbeat() {
    if !require("strace") {
        return;
    }
    explain_vs_strace(&["--dry-run", "stat", "-t"]);
    explain_vs_strace(&["--dry-run", "heartbeat", "connect", "--udp", "127.0.0.1:9"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    explain_vs_strace(&[
        "--explain",
        "heartbeat",
        "connect",
        "-n",
        "1",
        &format!("127.0.0.1:{port}"),
    ]);
}

#[test]
fn explain_shows_the_epoll_registrations() {
    // With --explain the setup calls come first, then the listening line; every later
    // line is waited for 10 s at most.
    let mut cmd = crate::util::nettool();
    cmd.args(["--explain", "tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let mut server = crate::explain_session::Explained::start(cmd);
    let _c = std::net::TcpStream::connect(&server.addr).unwrap();
    // The listener (data=0) and the signal pipe (data=1) are registered first; the
    // hub's stdin and stdout (listen -k) have 2 and 3, so the new connection is the
    // first slab entry after them (data=4).
    let conn_add = server.until(|l| l.contains("EPOLL_CTL_ADD") && l.contains("data=4"));
    let rest = server.stop();
    let line = conn_add.unwrap_or_else(|| panic!("no epoll_ctl line for the connection: {rest:?}"));
    assert!(
        line.contains("EPOLLIN") && line.contains("EPOLLET"),
        "{line}"
    );
}

#[test]
fn explain_shows_the_ring_setup_and_the_opcodes() {
    use std::io::{BufRead, Read, Write};
    let mut child = crate::util::nettool()
        .args(["--explain", "tcp-echo", "serve", "--engine", "io-uring"])
        .args(["-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut setup = Vec::new();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| match l.strip_prefix("listening on ") {
            Some(a) => Some(a.to_string()),
            None => {
                setup.push(l);
                None
            }
        })
        .expect("listening line");
    let setup = setup.join("\n");
    // Before the server is ready: the ring with its flags, the probe, the buffer ring.
    for want in [
        "io_uring_setup(1024, {flags=IORING_SETUP_CQSIZE|",
        "IORING_SETUP_SINGLE_ISSUER|IORING_SETUP_DEFER_TASKRUN",
        "io_uring_register(",
        "IORING_REGISTER_PROBE) = 0",
        // The table of registered files (sparse tables: 5.19, older than the engine's 6.0).
        "IORING_REGISTER_FILES2, {nr=",
    ] {
        assert!(setup.contains(want), "{want:?} missing from:\n{setup}");
    }
    // The buffer ring: incremental where the kernel can (6.12), else the classic one.
    assert!(
        setup.lines().any(|l| l.contains(
            "IORING_REGISTER_PBUF_RING, {bgid=0, ring_entries=32, buffers of 65536 bytes"
        ) && l.ends_with(") = 0")),
        "no buffer ring registered:\n{setup}"
    );
    let mut c = std::net::TcpStream::connect(&addr).unwrap();
    c.write_all(b"ping").unwrap();
    let mut got = [0u8; 4];
    c.read_exact(&mut got).unwrap();
    // Stop it: its stderr ends, so the scan below ends whatever it finds.
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    // Then each opcode the engine uses, as it is first submitted; the socket put in
    // its slot of the file table, named by it, and the slot emptied before the close.
    let mut want = vec![
        "io_uring_prep_poll_multishot(",
        "io_uring_prep_recv_multishot(fixed ",
        "io_uring_prep_send(fixed ",
    ];
    let (mut installed, mut released) = (false, false);
    for l in lines.map_while(Result::ok) {
        want.retain(|w| !l.starts_with(w));
        if l.contains("IORING_REGISTER_FILES_UPDATE") && l.ends_with(") = 1") {
            installed |= !l.contains("fds=[-1]");
            released |= installed && l.contains("fds=[-1]");
        }
    }
    assert!(
        installed && released,
        "slot installed {installed}, emptied {released}"
    );
    assert!(child.wait().unwrap().success());
    assert!(want.is_empty(), "never explained: {want:?}");
}

#[test]
fn dry_run_never_moves_traffic() {
    // A listener that would see any connection the dry runs made.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    for args in [
        vec!["--dry-run", "tcp-echo", "connect", &addr],
        vec!["--dry-run", "tcp-echo", "bench", &addr, "-d", "1s"],
        vec!["--dry-run", "heartbeat", "connect", &addr, "-n", "1"],
    ] {
        let out = nettool().args(&args).stdin(Stdio::null()).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("(dry run: not made)"),
            "{args:?}"
        );
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a dry run connected"
    );
}
