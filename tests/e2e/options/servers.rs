//! Rows for the stream servers — `tcp-echo serve`, `heartbeat serve`, `serve-http`,
//! `unix serve` — whose engine and listen options are one group: each row runs the
//! same check against each server.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use super::Row;
use super::dgram_servers::{HB_UDP, UNIX_DGRAM, datagram_hexdump, datagram_mode};
use super::fixtures::*;
use crate::util::Server;

/// The listen socket options, the same on every TCP stream server.
macro_rules! tcp_server_rows {
    ($cmd:literal, $kind:expr, $v4:literal, $v6:literal) => {
        super::rows!($cmd:
            "--listen" => || listen_addr($kind),
            "-4" => || family($kind, "-4", $v4),
            "-6" => || family($kind, "-6", $v6),
            "--rcvbuf" => || buffer($kind, "--rcvbuf", "SO_RCVBUF"),
            "--sndbuf" => || buffer($kind, "--sndbuf", "SO_SNDBUF"),
            "--no-reuseaddr" => || no_reuseaddr($kind),
            "--reuseport" => || reuseport($kind),
            "--backlog" => || backlog($kind),
            "--workers" => || workers($kind),
        )
    };
}

pub fn rows() -> Vec<Row> {
    [
        tcp_server_rows!("tcp-echo serve", ECHO, "127.0.0.1:", "[::1]:"),
        super::rows!("tcp-echo serve":
            "--engine" => || engine(ECHO),
            "--no-reap" => || no_reap(ECHO),
            "--max-connections" => || max_connections(ECHO),
            "--idle-timeout" => || idle_timeout(ECHO),
            "--hexdump" => || hexdump(ECHO),
        ),
        tcp_server_rows!("heartbeat serve", HEARTBEAT, "127.0.0.1:", "[::1]:"),
        super::rows!("heartbeat serve":
            "--udp" => heartbeat_udp,
            "--engine" => || { engine(HEARTBEAT); datagram_mode(HB_UDP, "--engine") },
            "--no-reap" => || no_reap(HEARTBEAT),
            "--max-connections" => || {
                max_connections(HEARTBEAT);
                datagram_mode(HB_UDP, "--max-connections")
            },
            "--idle-timeout" => || {
                idle_timeout(HEARTBEAT);
                datagram_mode(HB_UDP, "--idle-timeout")
            },
            "--hexdump" => || { hexdump(HEARTBEAT); datagram_hexdump(HB_UDP) },
        ),
        tcp_server_rows!("serve-http", HTTP, "http://127.0.0.1:", "http://[::1]:"),
        super::rows!("serve-http":
            "--engine" => || engine(HTTP),
            "--no-reap" => || no_reap(HTTP),
            "--max-connections" => || max_connections(HTTP),
            "--idle-timeout" => || idle_timeout(HTTP),
            "--hexdump" => || hexdump(HTTP),
        ),
        super::http::rows(),
        super::rows!("unix serve":
            "--dgram" => unix_dgram,
            "--mode" => unix_mode,
            "--engine" => || { engine(UNIX); datagram_mode(UNIX_DGRAM, "--engine") },
            "--no-reap" => || no_reap(UNIX),
            "--max-connections" => || {
                max_connections(UNIX);
                datagram_mode(UNIX_DGRAM, "--max-connections")
            },
            "--idle-timeout" => || {
                idle_timeout(UNIX);
                datagram_mode(UNIX_DGRAM, "--idle-timeout")
            },
            "--hexdump" => || { hexdump(UNIX); datagram_mode(UNIX_DGRAM, "--hexdump") },
        ),
    ]
    .concat()
}

/// A stream server under test: how to start it and how to reach it.
#[derive(Clone, Copy)]
pub struct Kind {
    cmd: &'static [&'static str],
    /// What a client sends to be served (and, for echo, gets back).
    pub hello: &'static [u8],
}

/// A relay (to a target no test connects through: these rows only look at the
/// listener).
pub const RELAY: Kind = Kind {
    cmd: &["tcp-echo", "relay", "127.0.0.1:9"],
    hello: b"ping",
};
const ECHO: Kind = Kind {
    cmd: &["tcp-echo", "serve"],
    hello: b"ping",
};
pub const HEARTBEAT: Kind = Kind {
    cmd: &["heartbeat", "serve"],
    // A valid ping: header 'HB' v1 kind 1, length 16, then seq and time.
    hello: b"HB\x01\x01\x00\x10\0\0\0\0\0\0\0\x07\0\0\0\0\0\0\0\x09",
};
const HTTP: Kind = Kind {
    cmd: &["serve-http", "/"],
    hello: b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n",
};
const UNIX: Kind = Kind {
    cmd: &["unix", "serve"],
    hello: b"ping",
};

/// The server's command line with `args`, listening on loopback (Unix: a socket file
/// in `dir`).
fn argv(k: Kind, dir: &tempfile::TempDir, args: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = k.cmd.iter().map(|s| s.to_string()).collect();
    if k.cmd[0] == "unix" {
        v.push(dir.path().join("s.sock").display().to_string());
    } else if !args.contains(&"-l") {
        v.extend(["-l".into(), "127.0.0.1:0".into()]);
    }
    v.extend(args.iter().map(|s| s.to_string()));
    v
}

fn start(k: Kind, dir: &tempfile::TempDir, global: &[&str], args: &[&str]) -> Server {
    let v = argv(k, dir, args);
    let all: Vec<&str> = global
        .iter()
        .copied()
        .chain(v.iter().map(String::as_str))
        .collect();
    Server::start(&all)
}

/// A connection to the server, with a read timeout.
fn connect(k: Kind, s: &Server) -> Box<dyn ReadWrite> {
    let c: Box<dyn ReadWrite> = if k.cmd[0] == "unix" {
        Box::new(UnixStream::connect(&s.addr).unwrap())
    } else {
        Box::new(TcpStream::connect(s.host_port()).unwrap())
    };
    c.timeout(Duration::from_secs(10));
    c
}

trait ReadWrite: Read + Write {
    fn timeout(&self, d: Duration);
}

impl ReadWrite for TcpStream {
    fn timeout(&self, d: Duration) {
        self.set_read_timeout(Some(d)).unwrap();
    }
}

impl ReadWrite for UnixStream {
    fn timeout(&self, d: Duration) {
        self.set_read_timeout(Some(d)).unwrap();
    }
}

/// One byte from `c`, through `EINTR` (a timed socket read fails with it when the
/// test process is stopped and continued, see signal(7)).
fn read_one(c: &mut dyn ReadWrite) -> std::io::Result<usize> {
    loop {
        match c.read(&mut [0u8; 1]) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

/// Served: the hello gets an answer.
fn served(c: &mut dyn ReadWrite, k: Kind) -> bool {
    if c.write_all(k.hello).is_err() {
        return false;
    }
    matches!(read_one(c), Ok(1))
}

pub(super) fn listen_addr(k: Kind) {
    listens_where_told(k.cmd, false);
}

fn family(k: Kind, flag: &str, prefix: &str) {
    family_decides_the_host(k.cmd, flag, prefix);
}

fn engine(k: Kind) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(k, &dir, &["--json"], &["--engine", "poll"]);
    let mut line = String::new();
    let mut out = std::io::BufReader::new(s.child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (v["event"].as_str(), v["engine"].as_str()),
        (Some("listening"), Some("poll"))
    );
    let mut c = connect(k, &s);
    assert!(served(&mut *c, k), "the poll engine serves");
}

/// `--no-reap`: a finished fork child stays a zombie until the server exits; any
/// other engine is a usage error.
fn no_reap(k: Kind) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(k, &dir, &[], &["--engine", "fork", "--no-reap"]);
    {
        let mut c = connect(k, &s);
        assert!(served(&mut *c, k), "the fork engine serves");
    }
    let pid = s.pid();
    let zombie = crate::util::wait_until(Duration::from_secs(10), || {
        !crate::engines::zombie_children(pid).is_empty()
    });
    assert!(zombie, "no zombie child under --no-reap");
    assert!(s.stop().success());
    let args = argv(k, &dir, &["--no-reap", "--engine", "poll"]);
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

fn max_connections(k: Kind) {
    let dir = tempfile::tempdir().unwrap();
    let s = start(k, &dir, &[], &["--max-connections", "1"]);
    let mut first = connect(k, &s);
    assert!(served(&mut *first, k));
    let mut second = connect(k, &s);
    let _ = second.write_all(k.hello);
    let mut got = Vec::new();
    let _ = second.read_to_end(&mut got);
    let refused = got.is_empty() || got.starts_with(b"HTTP/1.1 503");
    assert!(
        refused,
        "a second connection was served: {:?}",
        String::from_utf8_lossy(&got)
    );
}

fn idle_timeout(k: Kind) {
    let dir = tempfile::tempdir().unwrap();
    let s = start(k, &dir, &[], &["--idle-timeout", "200ms"]);
    let mut c = connect(k, &s);
    let (n, took) = timed(|| read_one(&mut *c));
    assert!(matches!(n, Ok(0)), "{n:?}");
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

fn hexdump(k: Kind) {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("x.dump").display().to_string();
    let mut s = start(k, &dir, &[], &["-x", &dump]);
    let mut c = connect(k, &s);
    assert!(served(&mut *c, k));
    drop(c);
    assert!(s.stop().success());
    let text = std::fs::read_to_string(&dump).unwrap();
    let chunks = nettool::net::hexdump::parse(&text).unwrap();
    let received: Vec<u8> = chunks
        .iter()
        .filter(|(d, _)| *d == nettool::net::hexdump::Direction::Received)
        .flat_map(|(_, b)| b.clone())
        .collect();
    assert_eq!(received, k.hello, "the dump holds what the client sent");
}

/// The server's setup calls (a dry run stops before the first accept).
fn calls(k: Kind, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let v = argv(k, &dir, args);
    dry(&v.iter().map(String::as_str).collect::<Vec<_>>())
}

pub(super) fn buffer(k: Kind, flag: &str, opt: &str) {
    has_call(&calls(k, &[flag, "8k"]), &["setsockopt(", opt, "8192"]);
    no_call(&calls(k, &[]), &["setsockopt(", opt]);
}

pub(super) fn no_reuseaddr(k: Kind) {
    has_call(&calls(k, &[]), &["SO_REUSEADDR, 1"]);
    no_call(&calls(k, &["--no-reuseaddr"]), &["SO_REUSEADDR, 1"]);
}

pub(super) fn reuseport(k: Kind) {
    has_call(&calls(k, &["--reuseport"]), &["SO_REUSEPORT, 1"]);
    no_call(&calls(k, &[]), &["SO_REUSEPORT"]);
}

pub(super) fn backlog(k: Kind) {
    has_call(&calls(k, &["--backlog", "7"]), &["listen(", ", 7) = 0"]);
}

pub(super) fn workers(k: Kind) {
    let listens = |c: &str| c.lines().filter(|l| l.starts_with("listen(")).count();
    assert_eq!(listens(&calls(k, &[])), 1);
    assert_eq!(listens(&calls(k, &["--workers", "2"])), 2);
}

fn heartbeat_udp() {
    let s = Server::start(&["--json", "heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"]);
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    sock.send_to(HEARTBEAT.hello, s.host_port()).unwrap();
    let mut buf = [0u8; 128];
    let n = sock.recv(&mut buf).unwrap();
    assert_eq!(&buf[..4], b"HB\x01\x02", "a pong over UDP ({n} bytes)");
}

fn unix_dgram() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sock");
    let _s = Server::start(&["unix", "serve", "--dgram", path.to_str().unwrap()]);
    let me = dir.path().join("me.sock");
    let c = std::os::unix::net::UnixDatagram::bind(&me).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.send_to(b"dgram", &path).unwrap();
    let mut buf = [0u8; 16];
    let n = c.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"dgram");
}

fn unix_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sock");
    let _s = Server::start(&["unix", "serve", path.to_str().unwrap(), "--mode", "0640"]);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}
