//! `--explain` against strace for the calls that end or batch a socket's traffic:
//! every `close`, `shutdown`, `recvmmsg` and `sendmmsg` strace sees nettool make on a
//! socket descriptor is in the explanation, as often as strace saw it — for clients
//! (a connect that works, one that is refused), the datagram server's batches and the
//! io-uring engine's connections.

use std::collections::BTreeMap;
use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::explain_session::Explained;
use crate::util::{must_end_within, require};

/// The calls compared; `socket`, `accept4` and `fcntl` (`F_DUPFD_CLOEXEC`: a second
/// descriptor of a socket, as the thread engine's relay keeps) only say which
/// descriptors are sockets.
const CALLS: &str = "socket,accept4,fcntl,close,shutdown,recvmmsg,sendmmsg,recvmsg,sendto";

/// How often each (call, fd) of `close`/`shutdown`/`recvmmsg`/`sendmmsg` appears.
type Counts = BTreeMap<(String, String), usize>;

/// Split `name(fd, …) = result` into its name, first argument and result.
fn parts(line: &str) -> Option<(&str, &str, &str)> {
    let (name, rest) = line.split_once('(')?;
    let fd = rest.split([',', ')']).next()?.trim();
    let result = rest.rsplit_once(") = ").map_or("", |(_, r)| r.trim());
    Some((name.trim(), fd, result))
}

fn counted(name: &str) -> bool {
    matches!(name, "close" | "shutdown" | "recvmmsg" | "sendmmsg")
}

/// Unix datagrams have no batch calls: one `recvmsg` or `sendto` per datagram.
fn counted_unix_dgram(name: &str) -> bool {
    matches!(name, "close" | "recvmsg" | "sendto")
}

/// The strace log's calls on sockets (a descriptor socket(2), accept4(2) or a dup of a
/// socket returned, until its close); libc's own netlink sockets (getifaddrs) are left
/// out.
fn traced(log: &str) -> Counts {
    traced_calls(log, counted)
}

/// [`traced`] for the calls `counted` picks.
fn traced_calls(log: &str, counted: fn(&str) -> bool) -> Counts {
    let mut live = std::collections::HashSet::new();
    let mut counts = Counts::new();
    // A call another thread interrupted is split in two lines by strace: `fcntl(11, …
    // <unfinished ...>` and later `<... fcntl resumed>) = 12`; put them together.
    let mut unfinished: std::collections::HashMap<&str, &str> = Default::default();
    for line in log.lines() {
        let Some((pid, call)) = line.split_once(' ') else {
            continue;
        };
        let call = call.trim_start();
        if let Some(start) = call.strip_suffix("<unfinished ...>") {
            unfinished.insert(pid, start);
            continue;
        }
        let joined;
        let call = match call.strip_prefix("<... ") {
            Some(rest) => {
                let tail = rest.split_once(" resumed>").map_or("", |(_, t)| t);
                joined = format!("{}{tail}", unfinished.remove(pid).unwrap_or_default());
                joined.as_str()
            }
            None => call,
        };
        // strace pads before ` = result`; fold every run of spaces into one.
        let call = call.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some((name, fd, result)) = parts(&call) else {
            continue;
        };
        let ret = result.split_whitespace().next().unwrap_or("");
        match name {
            "socket" | "accept4" if !ret.starts_with('-') && !call.contains("AF_NETLINK") => {
                live.insert(ret.to_string());
            }
            "fcntl" if call.contains("F_DUPFD") && live.contains(fd) && !ret.starts_with('-') => {
                live.insert(ret.to_string());
            }
            n if counted(n) && live.contains(fd) => {
                if n == "close" {
                    live.remove(fd);
                }
                *counts.entry((n.to_string(), fd.to_string())).or_default() += 1;
            }
            _ => {}
        }
    }
    counts
}

/// The same calls in `--explain`'s lines.
fn explained<'a>(lines: impl IntoIterator<Item = &'a str>) -> Counts {
    explained_calls(lines, counted)
}

/// [`explained`] for the calls `counted` picks.
fn explained_calls<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    counted: fn(&str) -> bool,
) -> Counts {
    let mut counts = Counts::new();
    for (name, fd, _) in lines.into_iter().filter_map(parts) {
        if counted(name) {
            *counts
                .entry((name.to_string(), fd.to_string()))
                .or_default() += 1;
        }
    }
    counts
}

/// `strace -f` of `nettool args…` as a command (stdin from `/dev/null`).
fn straced(log: &tempfile::NamedTempFile, args: &[&str]) -> Command {
    let mut cmd = crate::explain_session::strace(log, CALLS, args);
    cmd.env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    cmd
}

/// Run a short client under strace; the explanation must have every call strace saw.
fn client_matches_strace(args: &[&str], want: &[&str]) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let out = must_end_within(straced(&log, args), Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let seen = traced(&std::fs::read_to_string(log.path()).unwrap());
    let shown = explained(stderr.lines());
    for call in want {
        assert!(
            seen.keys().any(|(c, _)| c == call),
            "strace saw no {call} for {args:?}: {seen:?}"
        );
    }
    assert_eq!(shown, seen, "--explain vs strace for {args:?}\n{stderr}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_clients_close_is_explained_as_strace_sees_it() {
    if !require("strace") {
        return;
    }
    let server = crate::util::Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let to = server.host_port();
    // stdin at EOF at once: the half-close, then the close once the server's FIN came.
    client_matches_strace(
        &["--explain", "tcp-echo", "connect", "-w", "5", &to],
        &["shutdown", "close"],
    );
    // The heartbeat client's one beat, and a scan's probes (one socket per port).
    client_matches_strace(
        &["--explain", "heartbeat", "connect", "-n", "1", &to],
        &["close"],
    );
    let closed = free_port();
    let ports = format!("127.0.0.1:{}-{}", closed, closed.saturating_add(1));
    client_matches_strace(
        &["--explain", "tcp-echo", "connect", "-z", "-w", "2", &ports],
        &["close"],
    );
}

#[test]
fn a_refused_connects_close_is_explained() {
    if !require("strace") {
        return;
    }
    let to = format!("127.0.0.1:{}", free_port());
    client_matches_strace(&["--explain", "tcp-echo", "connect", &to], &["close"]);
}

#[test]
fn udp_sends_batches_and_close_are_explained() {
    if !require("strace") {
        return;
    }
    // A peer that answers, so the sender's recvmmsg gets a reply.
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let to = peer.local_addr().unwrap().to_string();
    let echo = std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        if let Ok((n, from)) = peer.recv_from(&mut buf) {
            let _ = peer.send_to(&buf[..n], from);
        }
    });
    client_matches_strace(
        &["--explain=io", "udp", "send", "-w", "1", &to, "hello"],
        &["sendmmsg", "recvmmsg", "close"],
    );
    echo.join().unwrap();
}

#[test]
fn udp_serves_batches_are_explained_call_by_call() {
    if !require("strace") {
        return;
    }
    let log = tempfile::NamedTempFile::new().unwrap();
    let cmd = straced(
        &log,
        &["-v", "--explain=io", "udp", "serve", "-l", "127.0.0.1:0"],
    );
    let server = Explained::start(cmd);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // Three datagrams, each answered before the next: three batches of one. (Fewer
    // than the rate limit, so each is shown.)
    let mut buf = [0u8; 64];
    for msg in [&b"one"[..], b"three", b"seven!!"] {
        client.send_to(msg, &server.addr).unwrap();
        let n = client.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], msg);
    }
    let lines = server.stop();
    let text = lines.join("\n");
    let seen = traced(&std::fs::read_to_string(log.path()).unwrap());
    let shown = explained(lines.iter().map(String::as_str));
    let sends: usize = seen
        .iter()
        .filter(|((c, _), _)| c == "sendmmsg")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(sends, 3, "strace: {seen:?}");
    assert_eq!(shown, seen, "--explain vs strace\n{text}");
    // In C terms: the vector length asked for, the messages moved, and at -v each
    // message's length.
    let recv = lines
        .iter()
        .find(|l| l.starts_with("recvmmsg(") && l.contains("msg_len=[5]"))
        .unwrap_or_else(|| panic!("no recvmmsg of the 5-byte datagram\n{text}"));
    assert!(
        recv.contains(", msgvec, 64, MSG_TRUNC|MSG_DONTWAIT, NULL) = 1 "),
        "{recv}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("sendmmsg(") && l.ends_with(", msgvec, 1, 0) = 1 (msg_len=[7])")),
        "{text}"
    );
}

#[test]
fn udp_serve_batches_are_rate_limited_and_fit_the_schema() {
    let mut server = crate::util::Server::start(&[
        "--json",
        "--explain=io",
        "udp",
        "serve",
        "-l",
        "127.0.0.1:0",
    ]);
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 8];
    for _ in 0..20 {
        client.send_to(b"x", server.socket_addr()).unwrap();
        client.recv(&mut buf).unwrap();
    }
    server.stop();
    let out = server.stdout_bytes();
    let records = crate::contract::json::schema().check_stdout("udp serve", &out);
    let shown = records
        .iter()
        .filter(|r| r["event"] == "syscall" && r["call"] == "sendmmsg")
        .count();
    assert_eq!(
        shown as u64,
        nettool::net::trace::SHOWN_PER_FD,
        "{records:#?}"
    );
    // The rest are counted, said when the socket closes.
    let omitted = records
        .iter()
        .find(|r| r["event"] == "syscalls_omitted" && r["call"] == "sendmmsg")
        .unwrap_or_else(|| panic!("no syscalls_omitted record: {records:#?}"));
    assert_eq!(omitted["count"], 20 - nettool::net::trace::SHOWN_PER_FD);
}

/// A server under strace, one echo session through it, then SIGINT: every close and
/// shutdown strace saw on a socket — the listener's, the connection's, an upstream's
/// — is explained.
fn server_matches_strace(args: &[&str]) {
    let log = tempfile::NamedTempFile::new().unwrap();
    let server = Explained::start(straced(&log, args));
    let mut c = std::net::TcpStream::connect(&server.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    std::io::Write::write_all(&mut c, b"hello").unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    let mut got = Vec::new();
    std::io::Read::read_to_end(&mut c, &mut got).unwrap();
    drop(c);
    let lines = server.stop();
    let seen = traced(&std::fs::read_to_string(log.path()).unwrap());
    let shown = explained(lines.iter().map(String::as_str));
    let closes = seen.keys().filter(|(c, _)| c == "close").count();
    assert!(closes >= 2, "{args:?}: strace saw {seen:?}");
    assert_eq!(
        shown,
        seen,
        "{args:?}: --explain vs strace\n{}",
        lines.join("\n")
    );
}

#[test]
fn a_relays_upstream_and_the_listeners_close_are_explained() {
    if !require("strace") {
        return;
    }
    let upstream = crate::util::Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    for engine in ["epoll-et", "thread"] {
        server_matches_strace(&[
            "--explain",
            "tcp-echo",
            "relay",
            "-l",
            "127.0.0.1:0",
            "--engine",
            engine,
            &upstream.host_port(),
        ]);
    }
}

#[test]
fn io_urings_closes_are_explained() {
    if !require("strace") {
        return;
    }
    server_matches_strace(&[
        "--explain",
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        "io-uring",
    ]);
}

#[test]
fn a_unix_datagram_servers_recvmsg_and_sendto_are_explained() {
    if !require("strace") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("srv.sock");
    let log = tempfile::NamedTempFile::new().unwrap();
    let cmd = straced(
        &log,
        &[
            "--explain=io",
            "unix",
            "serve",
            "--dgram",
            path.to_str().unwrap(),
        ],
    );
    let server = Explained::start(cmd);
    // A named client, so the server can answer it.
    let client = std::os::unix::net::UnixDatagram::bind(dir.path().join("cli.sock")).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 64];
    for msg in [&b"one"[..], b"three", b"seven!!"] {
        client.send_to(msg, &path).unwrap();
        let n = client.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], msg);
    }
    let lines = server.stop();
    let text = lines.join("\n");
    let seen = traced_calls(
        &std::fs::read_to_string(log.path()).unwrap(),
        counted_unix_dgram,
    );
    let shown = explained_calls(lines.iter().map(String::as_str), counted_unix_dgram);
    let sends: usize = seen
        .iter()
        .filter(|((c, _), _)| c == "sendto")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(sends, 3, "strace: {seen:?}");
    assert_eq!(shown, seen, "--explain vs strace\n{text}");
    // Each reply in C terms: its length, the flag that keeps a slow reader from
    // stalling the server, and the address it goes to.
    assert!(
        lines.iter().any(|l| l.starts_with("sendto(")
            && l.contains(", buf, 7, MSG_DONTWAIT, {sun_family=AF_UNIX, sun_path=")
            && l.contains(") = 7")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("recvmsg(") && l.contains("queue empty")),
        "{text}"
    );
}

#[test]
fn the_datagram_listeners_and_the_unix_client_explain_their_io() {
    // udp listen (nc -u -l): the datagram's recvfrom with its sender.
    let mut cmd = crate::util::nettool();
    cmd.args(["--explain=io", "udp", "listen", "-l", "127.0.0.1:0"]);
    let mut server = Explained::start(cmd);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.send_to(b"hi\n", &server.addr).unwrap();
    let from = format!("= 3 (from {})", peer.local_addr().unwrap());
    let line = server.until(|l| l.starts_with("recvfrom("));
    let ok = line.as_deref().is_some_and(|l| l.ends_with(&from));
    let rest = server.stop();
    assert!(ok, "{line:?}: {rest:?}");

    // unix connect --dgram: its connected socket's send and the reply's recv.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("echo.sock");
    let _echo = crate::util::Server::start(&["unix", "serve", "--dgram", path.to_str().unwrap()]);
    let mut client = crate::util::nettool();
    client.args(["--explain=io", "unix", "connect", "--dgram", "-w", "5"]);
    client.arg(&path);
    let out = crate::util::run_with_stdin(client, b"hello\n");
    assert_eq!(out.stdout, b"hello\n");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.lines()
            .any(|l| l.starts_with("send(") && l.ends_with(", buf, 6, 0) = 6")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("recv(") && l.ends_with(" 0) = 6")),
        "{text}"
    );
}
