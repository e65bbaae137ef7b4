//! Rows for `tcp-echo relay` and `unix relay`: the listen socket options are the
//! stream servers' checks (servers.rs); the relay's own and the engine options are
//! checked here through a relay in front of a real echo server, once per front end;
//! its TLS options are the TLS servers' checks (tls.rs).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use super::Row;
use super::fixtures::*;
use super::servers::{self, RELAY};
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    [
        super::rows!("tcp-echo relay":
            "--listen" => || servers::listen_addr(RELAY),
            "-4" => || family_decides_the_host(&["tcp-echo", "relay", "127.0.0.1:9"], "-4", "127.0.0.1:"),
            "-6" => || family_decides_the_host(&["tcp-echo", "relay", "[::1]:9"], "-6", "[::1]:"),
            "--rcvbuf" => || servers::buffer(RELAY, "--rcvbuf", "SO_RCVBUF"),
            "--sndbuf" => || servers::buffer(RELAY, "--sndbuf", "SO_SNDBUF"),
            "--no-reuseaddr" => || servers::no_reuseaddr(RELAY),
            "--reuseport" => || servers::reuseport(RELAY),
            "--backlog" => || servers::backlog(RELAY),
            "--workers" => || servers::workers(RELAY),
        ),
        relay_rows!("tcp-echo relay", Front::Tcp),
        super::rows!("tcp-echo relay":
            "--no-reap" => || no_reap(Front::Tcp),
        ),
        super::rows!("unix relay":
            "--listen" => || { let r = Relay::start(Front::Unix, &[], None); assert!(echoes(&r)) },
            "--mode" => unix_mode,
        ),
        relay_rows!("unix relay", Front::Unix),
        super::rows!("unix relay":
            "--no-reap" => || no_reap(Front::Unix),
        ),
    ]
    .concat()
}

/// The relay's own options and the engine options, the same on both front ends.
macro_rules! relay_rows {
    ($cmd:literal, $front:expr) => {
        super::rows!($cmd:
            "--to" => || to($front),
            "--balance" => || balance($front),
            "--timeout" => || connect_timeout($front),
            "--engine" => || engine($front),
            "--max-connections" => || max_connections($front),
            "--idle-timeout" => || idle_timeout($front),
            "--hexdump" => || hexdump($front),
        )
    };
}
use relay_rows;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Front {
    Tcp,
    Unix,
}

/// A relay (and the echo server behind it unless the test brings its own targets).
struct Relay {
    server: Server,
    front: Front,
    _echo: Option<Server>,
    _dir: tempfile::TempDir,
}

impl Relay {
    /// `targets`: None for one echo server started here as the positional target.
    fn start(front: Front, args: &[&str], targets: Option<&[&str]>) -> Relay {
        Relay::start_with(front, &[], args, targets)
    }

    fn start_with(front: Front, global: &[&str], args: &[&str], targets: Option<&[&str]>) -> Relay {
        let (dir, path) = temp_path("front.sock");
        let echo = targets
            .is_none()
            .then(|| Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]));
        let echo_addr = echo.as_ref().map(|e| e.host_port());
        let mut v: Vec<&str> = global.to_vec();
        match front {
            Front::Tcp => v.extend(["tcp-echo", "relay", "-l", "127.0.0.1:0"]),
            Front::Unix => v.extend(["unix", "relay", "-l", &path]),
        }
        match (&echo_addr, targets) {
            (Some(a), _) => v.push(a),
            (None, Some(t)) => v.extend(t),
            (None, None) => unreachable!(),
        }
        v.extend(args);
        Relay {
            server: Server::start(&v),
            front,
            _echo: echo,
            _dir: dir,
        }
    }

    /// Run the front end with `args` to its end (a refusal): its output.
    fn try_args(front: Front, args: &[&str]) -> std::process::Output {
        let (_dir, path) = temp_path("front.sock");
        let head: Vec<&str> = match front {
            Front::Tcp => vec!["tcp-echo", "relay", "-l", "127.0.0.1:0", "127.0.0.1:9"],
            Front::Unix => vec!["unix", "relay", "-l", &path, "127.0.0.1:9"],
        };
        run(&[&head[..], args].concat())
    }

    fn connect(&self) -> Box<dyn Conn> {
        let c: Box<dyn Conn> = match self.front {
            Front::Tcp => Box::new(TcpStream::connect(self.server.host_port()).unwrap()),
            Front::Unix => Box::new(UnixStream::connect(&self.server.addr).unwrap()),
        };
        c.timeout(Duration::from_secs(10));
        c
    }
}

trait Conn: Read + Write {
    fn timeout(&self, d: Duration);
}

impl Conn for TcpStream {
    fn timeout(&self, d: Duration) {
        self.set_read_timeout(Some(d)).unwrap();
    }
}

impl Conn for UnixStream {
    fn timeout(&self, d: Duration) {
        self.set_read_timeout(Some(d)).unwrap();
    }
}

/// `--no-reap` under fork leaves the relaying child a zombie; elsewhere refused.
fn no_reap(front: Front) {
    let mut r = Relay::start(front, &["--engine", "fork", "--no-reap"], None);
    assert!(echoes(&r), "the fork engine relays");
    let pid = r.server.pid();
    let zombie = crate::util::wait_until(Duration::from_secs(10), || {
        !crate::engines::zombie_children(pid).is_empty()
    });
    assert!(zombie, "no zombie child under --no-reap");
    assert!(r.server.stop().success());
    let refused = Relay::try_args(front, &["--no-reap", "--engine", "poll"]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
}

/// "ping" comes back through the relay.
fn echoes(r: &Relay) -> bool {
    let mut c = r.connect();
    let mut got = [0u8; 4];
    c.write_all(b"ping").is_ok() && c.read_exact(&mut got).is_ok() && &got == b"ping"
}

/// What a connection reads until the relay closes it.
fn read_all(c: &mut dyn Conn) -> Vec<u8> {
    let mut got = Vec::new();
    let _ = c.read_to_end(&mut got);
    got
}

fn to(front: Front) {
    let echo = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let addr = echo.host_port();
    let r = Relay::start(front, &[], Some(&["--to", &addr]));
    assert!(echoes(&r), "--to alone is a target");
}

/// A target that answers every connection with its name, then closes.
fn namer(name: &'static str) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for c in l.incoming().take(3) {
            let _ = c.unwrap().write_all(name.as_bytes());
        }
    });
    addr
}

fn balance(front: Front) {
    let names =
        |r: &Relay| -> Vec<Vec<u8>> { (0..2).map(|_| read_all(&mut *r.connect())).collect() };
    let (a, b) = (namer("a"), namer("b"));
    let rr = Relay::start(front, &[], Some(&["--to", &a, "--to", &b]));
    assert_eq!(names(&rr), [b"a", b"b"], "the default is round robin");
    let (a, b) = (namer("a"), namer("b"));
    let first = Relay::start(
        front,
        &["--balance", "first"],
        Some(&["--to", &a, "--to", &b]),
    );
    assert_eq!(names(&first), [b"a", b"a"], "--balance first");
}

/// `-w`: a target whose accept queue is full drops the SYN, so the connect would
/// hang for the kernel's SYN retries (minutes); `-w 300ms` gives up and closes.
fn connect_timeout(front: Front) {
    use socket2::{Domain, Socket, Type};
    let full = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    full.bind(
        &"127.0.0.1:0"
            .parse::<std::net::SocketAddr>()
            .unwrap()
            .into(),
    )
    .unwrap();
    full.listen(0).unwrap();
    let addr = full.local_addr().unwrap().as_socket().unwrap().to_string();
    // One connection fills a backlog of 0 (the queue holds backlog + 1).
    let _queued = TcpStream::connect(&addr).unwrap();
    let r = Relay::start(front, &["-w", "300ms"], Some(&[&addr]));
    let mut c = r.connect();
    let (got, took) = timed(|| read_all(&mut *c));
    assert!(got.is_empty());
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    let line = r
        .server
        .wait_for_line(&format!("connect to {addr}"), Duration::from_secs(5))
        .expect("the timed-out connect is logged");
    assert!(line.contains("timed out"), "{line}");
}

fn engine(front: Front) {
    let mut r = Relay::start_with(front, &["--json"], &["--engine", "poll"], None);
    let mut line = String::new();
    let mut out = std::io::BufReader::new(r.server.child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (
            v["event"].as_str(),
            v["engine"].as_str(),
            v["service"].as_str()
        ),
        (Some("listening"), Some("poll"), Some("relay"))
    );
    assert!(echoes(&r), "the poll engine relays");
}

fn max_connections(front: Front) {
    let r = Relay::start(front, &["--max-connections", "1"], None);
    let mut first = r.connect();
    let mut got = [0u8; 4];
    first.write_all(b"ping").unwrap();
    first.read_exact(&mut got).unwrap();
    let mut second = r.connect();
    let _ = second.write_all(b"ping");
    assert!(
        read_all(&mut *second).is_empty(),
        "a second connection was relayed"
    );
}

fn idle_timeout(front: Front) {
    let r = Relay::start(front, &["--idle-timeout", "200ms"], None);
    let mut c = r.connect();
    let (got, took) = timed(|| read_all(&mut *c));
    assert!(got.is_empty());
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
}

fn hexdump(front: Front) {
    let (_d, dump) = temp_path("x.dump");
    let mut r = Relay::start(front, &["-x", &dump], None);
    assert!(echoes(&r));
    assert!(r.server.stop().success());
    dump_holds(&dump, b"ping", b"ping");
}

fn unix_mode() {
    use std::os::unix::fs::PermissionsExt;
    let r = Relay::start(Front::Unix, &["--mode", "0640"], None);
    let mode = std::fs::metadata(&r.server.addr)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
}
