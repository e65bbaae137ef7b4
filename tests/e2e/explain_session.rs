//! `--explain` past setup: for a short session on every engine, the lifecycle calls
//! it prints (accept4, shutdown, close of a connection) are exactly the ones strace
//! sees the server make, and `--explain=io` shows the I/O path in between (the wait,
//! recv with its EOF, send) with its rate limit's count of what it left out.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::engines::engine_test;
use crate::util::{bin, require};

/// A server started with `--explain…` (its setup lines come before `listening on`),
/// optionally under strace; every stderr line is kept.
pub(crate) struct Explained {
    child: Child,
    pub(crate) addr: String,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Explained {
    pub(crate) fn start(mut cmd: Command) -> Explained {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG");
        let mut child = cmd.spawn().expect("spawn");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = Explained {
            child,
            addr: String::new(),
            lines: rx,
            seen: Vec::new(),
        };
        let addr = s
            .until(|l| l.starts_with("listening on "))
            .expect("no listening line");
        s.addr = addr["listening on ".len()..].to_string();
        s
    }

    /// Read lines until one matches (20 s at most in all, however many lines come
    /// that do not); returns it.
    pub(crate) fn until(&mut self, want: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            let line = self.lines.recv_timeout(left).ok()?;
            self.seen.push(line.clone());
            if want(&line) {
                return Some(line);
            }
        }
    }

    /// The nettool process itself: under strace, strace's child.
    fn target(&self) -> nix::unistd::Pid {
        let pid = self.child.id() as i32;
        let children = format!("/proc/{pid}/task/{pid}/children");
        let under_strace = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|c| c.trim() == "strace");
        let target = std::fs::read_to_string(children)
            .ok()
            .filter(|_| under_strace)
            .and_then(|c| c.split_whitespace().next()?.parse().ok())
            .unwrap_or(pid);
        nix::unistd::Pid::from_raw(target)
    }

    /// SIGINT the nettool process and collect every line up to its exit.
    pub(crate) fn stop(mut self) -> Vec<String> {
        let _ = nix::sys::signal::kill(self.target(), nix::sys::signal::Signal::SIGINT);
        // Until its stderr ends, or goes quiet for 10 s, or 30 s in all.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left.min(Duration::from_secs(10))) {
                Ok(line) => self.seen.push(line),
                Err(_) => break,
            }
        }
        // Its stderr ended or went quiet; a process still there by now is killed (Drop).
        crate::util::wait_until(Duration::from_secs(10), || {
            matches!(self.child.try_wait(), Ok(Some(_)))
        });
        std::mem::take(&mut self.seen)
    }
}

/// A test that failed before `stop` leaves neither nettool nor its strace running.
impl Drop for Explained {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = nix::sys::signal::kill(self.target(), nix::sys::signal::Signal::SIGKILL);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `strace -f -qq -e trace=CALLS -o LOG nettool ARGS…`: what strace sees nettool do,
/// to hold beside what `--explain` says.
pub(crate) fn strace(log: &tempfile::NamedTempFile, calls: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-qq", "-e", &format!("trace={calls}"), "-o"])
        .arg(log.path())
        .arg(bin())
        .args(args);
    cmd
}

/// `nettool EXPLAIN tcp-echo serve` on a free port with `engine`.
fn echo_server<'a>(explain: &'a str, engine: &'a str) -> [&'a str; 7] {
    [
        explain,
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        engine,
    ]
}

/// One echo session: send, half-close, read the echo to EOF.
fn session(addr: &str, payload: &[u8]) {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(payload).unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    let mut got = Vec::new();
    c.read_to_end(&mut got).unwrap();
    assert_eq!(got, payload);
}

/// A lifecycle call on a connection: `accept4 → fd`, `shutdown(fd)`, `close(fd)`.
type Life = (String, String);

/// The lifecycle calls of `--explain`'s lines on descriptor numbers accept4 returned
/// (the listener's own close is shown too, but is no connection's; a forked child's
/// close of its copy carries no pid here, so numbers are not forgotten at a close).
fn explained(lines: &[String]) -> Vec<Life> {
    let mut calls = Vec::new();
    let mut accepted = std::collections::HashSet::new();
    for l in lines {
        let Some((name, rest)) = l.split_once('(') else {
            continue;
        };
        let result = rest.rsplit_once(") = ").map_or("", |(_, r)| r);
        let first = result.split_whitespace().next().unwrap_or("");
        let fd = rest.split([',', ')']).next().unwrap_or("").to_string();
        match name {
            "accept4" if !first.starts_with('-') => {
                accepted.insert(first.to_string());
                calls.push(("accept4".into(), first.into()));
            }
            "close" | "shutdown" if accepted.contains(&fd) => calls.push((name.into(), fd)),
            _ => {}
        }
    }
    calls.sort();
    calls
}

/// The same calls in an `strace -f` log, on the descriptors accept4 returned: a
/// forked child inherits its parent's (a copy), a thread shares its process's.
fn traced(log: &str) -> Vec<Life> {
    let mut table_of: HashMap<String, String> = HashMap::new(); // tid → fd table owner
    let mut live: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    // A call another process interrupted is split in two lines by strace: `clone(…
    // <unfinished ...>` and later `<... clone resumed>…) = 42`; put them together.
    let mut unfinished: HashMap<String, String> = HashMap::new();
    let mut calls = Vec::new();
    for line in log.lines() {
        let Some((pid, call)) = line.split_once(' ') else {
            continue;
        };
        let call = call.trim_start();
        if let Some(start) = call.strip_suffix("<unfinished ...>") {
            unfinished.insert(pid.to_string(), start.to_string());
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
        // A child can run before its parent's clone returns: adopt it at its first line.
        let first_seen = !table_of.contains_key(pid) && !live.contains_key(pid);
        if let Some((parent, clone)) = unfinished
            .iter()
            .find(|(p, c)| p.as_str() != pid && c.starts_with("clone"))
            .filter(|_| first_seen)
        {
            let parent_owner = table_of.get(parent).cloned().unwrap_or(parent.clone());
            if clone.contains("CLONE_THREAD") {
                table_of.insert(pid.to_string(), parent_owner);
            } else {
                let copy = live.get(&parent_owner).cloned().unwrap_or_default();
                live.insert(pid.to_string(), copy);
            }
        }
        let owner = table_of
            .get(pid)
            .cloned()
            .unwrap_or_else(|| pid.to_string());
        let Some((name, rest)) = call.split_once('(') else {
            continue;
        };
        let result = call
            .rsplit_once(") = ")
            .map_or("", |(_, r)| r)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let fd = rest
            .split([',', ')'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        match name {
            "clone" | "clone3" if !result.starts_with('-') => {
                if table_of.contains_key(&result) || live.contains_key(&result) {
                    // Adopted already, at its first line.
                } else if call.contains("CLONE_THREAD") {
                    table_of.insert(result, owner);
                } else {
                    let copy = live.get(&owner).cloned().unwrap_or_default();
                    live.insert(result, copy);
                }
            }
            "accept4" | "accept" if !result.starts_with('-') => {
                live.entry(owner).or_default().insert(result.clone());
                calls.push(("accept4".into(), result));
            }
            "shutdown" if live.get(&owner).is_some_and(|s| s.contains(&fd)) => {
                calls.push(("shutdown".into(), fd));
            }
            "close" if live.get_mut(&owner).is_some_and(|s| s.remove(&fd)) => {
                calls.push(("close".into(), fd));
            }
            _ => {}
        }
    }
    calls.sort();
    calls
}

engine_test!(explain_shows_every_lifecycle_call_strace_sees, |engine| {
    if !require("strace") {
        return;
    }
    let log = tempfile::NamedTempFile::new().unwrap();
    let calls = "accept,accept4,shutdown,close,clone,clone3,fork,vfork";
    let mut server = Explained::start(strace(&log, calls, &echo_server("--explain", engine)));
    for i in 0..3u8 {
        session(&server.addr, &[b'a' + i; 100]);
        // Each connection's close is out before the next one starts.
        server
            .until(|l| l.starts_with("close("))
            .expect("no close line");
    }
    let lines = server.stop();
    let shown = explained(&lines);
    let seen = traced(&std::fs::read_to_string(log.path()).unwrap());
    let accepts = shown.iter().filter(|(c, _)| c == "accept4").count();
    assert_eq!(accepts, 3, "{engine}: {shown:?}\n{}", lines.join("\n"));
    assert_eq!(
        shown,
        seen,
        "{engine}: --explain vs strace\n{}",
        lines.join("\n")
    );
});

#[test]
fn explain_shows_the_clients_half_close() {
    if !require("strace") {
        return;
    }
    let server = crate::util::Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let log = tempfile::NamedTempFile::new().unwrap();
    let to = server.host_port();
    let cmd = strace(
        &log,
        "shutdown",
        &["--explain", "tcp-echo", "connect", "-w", "5", &to],
    );
    let out = crate::util::run_with_stdin(cmd, b"hi\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("shutdown("))
        .collect();
    let log = std::fs::read_to_string(log.path()).unwrap();
    let seen: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(_, c)| c.trim_start()))
        .filter(|c| c.starts_with("shutdown("))
        .collect();
    assert_eq!(shown.len(), 1, "{stderr}");
    assert!(shown[0].contains(", SHUT_WR) = 0"), "{stderr}");
    assert_eq!(seen.len(), 1, "{log}");
    assert_eq!(
        shown[0].split(',').next(),
        seen[0].split(',').next(),
        "same descriptor"
    );
}

engine_test!(explain_io_shows_the_io_path, |engine| {
    let mut cmd = Command::new(bin());
    cmd.args(echo_server("--explain=io", engine));
    let mut server = Explained::start(cmd);
    session(&server.addr, b"hello\n");
    server
        .until(|l| l.starts_with("close("))
        .expect("no close line");
    let lines = server.stop();
    let text = lines.join("\n");
    let has = |p: &dyn Fn(&str) -> bool| lines.iter().any(|l| p(l));
    if engine == "io-uring" {
        // The kernel reads and writes: the requests, the enters, and what completed.
        let cqe = |op: &str, rest: &str| {
            lines.iter().any(|l| {
                l.starts_with("io_uring_cqe(")
                    && l.contains(&format!("({op} on fd "))
                    && l.contains(rest)
            })
        };
        assert!(
            has(&|l| l.starts_with("io_uring_prep_recv_multishot(")),
            "{text}"
        );
        assert!(
            has(&|l| l.starts_with("io_uring_enter(") && l.contains("IORING_ENTER_GETEVENTS")),
            "{engine}: the enters\n{text}"
        );
        assert!(
            cqe("io_uring_prep_recv_multishot", "IORING_CQE_F_BUFFER")
                && cqe("io_uring_prep_recv_multishot", ") = 6 (6 bytes in buffer "),
            "{engine}: the read of 6 bytes\n{text}"
        );
        assert!(
            cqe("io_uring_prep_recv_multishot", "= 0 (EOF"),
            "{engine}: EOF\n{text}"
        );
        assert!(
            has(&|l| l.starts_with("io_uring_prep_send(") && l.contains(", 6 bytes, ")),
            "{engine}: the echo submitted\n{text}"
        );
        assert!(
            cqe("io_uring_prep_send", ") = 6 (6 bytes sent)"),
            "{engine}: the echo completed\n{text}"
        );
        return;
    }
    assert!(
        has(&|l| l.starts_with("recv(") && l.ends_with("= 6")),
        "{engine}: the read of 6 bytes\n{text}"
    );
    assert!(
        has(&|l| l.starts_with("recv(") && l.contains("= 0 (EOF")),
        "{engine}: the read of EOF\n{text}"
    );
    assert!(
        has(&|l| l.starts_with("send(") && l.contains(", 6, ") && l.ends_with("= 6")),
        "{engine}: the echo\n{text}"
    );
    let wait = match engine {
        "select" => "select(",
        "poll" => "poll(",
        "epoll-lt" | "epoll-et" | "reactor" => "epoll_wait(",
        _ => "",
    };
    if !wait.is_empty() {
        assert!(
            has(&|l| l.starts_with(wait) && l.contains(" = 1 (")),
            "{engine}: a wait with its ready set\n{text}"
        );
    }
    if engine == "fork" {
        assert!(has(&|l| l.starts_with("fork() = ")), "{text}");
        assert!(
            has(&|l| l.starts_with("waitpid(") && l.contains("WEXITSTATUS(status) == 0")),
            "{engine}: the reaped child\n{text}"
        );
    }
    if engine.starts_with("epoll") || matches!(engine, "select" | "poll" | "reactor") {
        assert!(
            has(&|l| l.contains("F_SETFL, O_RDWR|O_NONBLOCK")),
            "{engine}: the connection made non-blocking\n{text}"
        );
    }
});

#[test]
fn explain_io_rate_limits_per_descriptor() {
    let mut cmd = Command::new(bin());
    cmd.args(echo_server("--explain=io", "thread"));
    let mut server = Explained::start(cmd);
    let mut c = TcpStream::connect(&server.addr).unwrap();
    c.set_nodelay(true).unwrap();
    let mut buf = [0u8; 1];
    // 40 one-byte round trips: 40 recvs and 40 sends on one descriptor.
    for _ in 0..40 {
        c.write_all(b"x").unwrap();
        c.read_exact(&mut buf).unwrap();
    }
    drop(c);
    server
        .until(|l| l.starts_with("close("))
        .expect("no close line");
    let lines = server.stop();
    let text = lines.join("\n");
    let recvs = lines.iter().filter(|l| l.starts_with("recv(")).count();
    assert_eq!(recvs as u64, nettool::net::trace::SHOWN_PER_FD, "{text}");
    // 40 data reads and the EOF read, less those shown, said before the close.
    let omitted = lines
        .iter()
        .position(|l| l.starts_with("… ") && l.contains("more recv calls on fd"))
        .unwrap_or_else(|| panic!("no count of the left-out recvs\n{text}"));
    let close = lines.iter().position(|l| l.starts_with("close(")).unwrap();
    assert!(omitted < close, "{text}");
    assert!(
        lines[omitted].starts_with("… 33 more recv calls on fd "),
        "{text}"
    );
}

#[test]
fn explain_io_records_fit_the_schema() {
    let mut server = crate::util::Server::start(&[
        "--json",
        "--explain=io",
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        "thread",
    ]);
    let mut c = TcpStream::connect(server.socket_addr()).unwrap();
    let mut buf = [0u8; 1];
    for _ in 0..20 {
        c.write_all(b"x").unwrap();
        c.read_exact(&mut buf).unwrap();
    }
    drop(c);
    server.stop();
    let out = server.stdout_bytes();
    let records = crate::contract::json::schema().check_stdout("tcp-echo serve", &out);
    // Said at the connection's close, or at the latest when the server exits.
    let omitted = records
        .iter()
        .find(|r| r["event"] == "syscalls_omitted" && r["call"] == "recv")
        .unwrap_or_else(|| panic!("no syscalls_omitted record: {records:#?}"));
    assert!(omitted["count"].as_u64().unwrap() >= 20 - nettool::net::trace::SHOWN_PER_FD);
    assert!(
        records
            .iter()
            .any(|r| r["event"] == "syscall" && r["call"] == "poll" && r["note"].is_string()),
        "a poll with its revents as the note"
    );
}
