//! Rows for the datagram servers — `udp serve`, and the datagram halves of the
//! engine options of `unix serve --dgram` and `heartbeat serve --udp`, which run on
//! the datagram engine (`engine::dgram`).

use std::time::Duration;

use super::Row;
use super::fixtures::*;
use super::servers::HEARTBEAT;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    super::rows!("udp serve":
        "--listen" => || listens_where_told(&["udp", "serve"], true),
        "--count" => udp_serve_count,
        "-4" => || family_decides_the_host(&["udp", "serve"], "-4", "127.0.0.1:"),
        "-6" => || family_decides_the_host(&["udp", "serve"], "-6", "[::1]:"),
        "--hexdump" => udp_serve_hexdump,
        "--engine" => udp_serve_engine,
        "--no-reap" => || {
            // A datagram server has no children to leave unreaped: usage error.
            let out = run(&["udp", "serve", "-l", "127.0.0.1:0", "--no-reap"]);
            assert_eq!(out.status.code(), Some(2), "{out:?}");
        },
        "--max-connections" => udp_serve_max_peers,
        "--idle-timeout" => udp_serve_idle,
    )
}

/// One datagram to `server` and its echo.
fn echo_once(server: &Server, data: &[u8]) -> Vec<u8> {
    let c = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.send_to(data, server.host_port()).unwrap();
    let mut buf = [0u8; 256];
    let n = c.recv(&mut buf).unwrap();
    buf[..n].to_vec()
}

fn udp_serve_count() {
    let mut s = Server::start(&["udp", "serve", "-l", "127.0.0.1:0", "-n", "2"]);
    echo_once(&s, b"1");
    echo_once(&s, b"2");
    let ended = crate::util::wait_until(Duration::from_secs(10), || !s.alive());
    assert!(ended, "-n 2 ends the server after two datagrams");
}

fn udp_serve_hexdump() {
    let (_d, dump) = temp_path("u.dump");
    let mut s = Server::start(&["udp", "serve", "-l", "127.0.0.1:0", "-x", &dump]);
    assert_eq!(echo_once(&s, b"echo me"), b"echo me");
    assert!(s.stop().success());
    dump_holds(&dump, b"echo me", b"echo me");
}

fn udp_serve_engine() {
    let mut s = Server::start(&[
        "--json",
        "udp",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        "poll",
    ]);
    let mut line = String::new();
    let mut out = std::io::BufReader::new(s.child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    assert!(line.contains("\"engine\":\"poll\""), "{line}");
    assert_eq!(echo_once(&s, b"e"), b"e");
}

/// Whether `peer` gets an echo of one datagram within half a second.
fn echoed(server: &Server, peer: &std::net::UdpSocket) -> bool {
    peer.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    peer.send_to(b"?", server.host_port()).unwrap();
    peer.recv(&mut [0u8; 8]).is_ok()
}

fn udp_serve_max_peers() {
    let s = Server::start(&[
        "udp",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--max-connections",
        "1",
    ]);
    let a = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    assert!(echoed(&s, &a));
    assert!(
        !echoed(&s, &b),
        "a second peer was served past --max-connections 1"
    );
}

fn udp_serve_idle() {
    let args = [
        "udp",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--max-connections",
        "1",
        "--idle-timeout",
        "200ms",
    ];
    let s = Server::start(&args);
    let a = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    assert!(echoed(&s, &a));
    // Once A has been silent past the idle timeout it is forgotten: B takes its place.
    let freed = crate::util::wait_until(Duration::from_secs(5), || echoed(&s, &b));
    assert!(freed, "a silent peer was never forgotten");
}

/// A datagram server: `unix serve --dgram` or `heartbeat serve --udp`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dgram {
    Unix,
    Heartbeat,
}

pub const UNIX_DGRAM: Dgram = Dgram::Unix;
pub const HB_UDP: Dgram = Dgram::Heartbeat;

/// A running datagram server and a way to talk to it from several peers.
struct DgramServer {
    server: Server,
    dir: tempfile::TempDir,
    kind: Dgram,
    peers: u32,
}

impl DgramServer {
    fn start(kind: Dgram, args: &[&str]) -> DgramServer {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sock").display().to_string();
        let head: Vec<&str> = match kind {
            Dgram::Unix => vec!["unix", "serve", "--dgram", &path],
            Dgram::Heartbeat => vec!["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"],
        };
        let server = Server::start(&[&head[..], args].concat());
        DgramServer {
            server,
            dir,
            kind,
            peers: 0,
        }
    }

    /// A new peer sends one frame: whether an answer comes within half a second.
    fn answered_by_new_peer(&mut self) -> bool {
        self.peers += 1;
        let wait = Some(Duration::from_millis(500));
        let mut buf = [0u8; 128];
        match self.kind {
            Dgram::Unix => {
                let me = self.dir.path().join(format!("p{}.sock", self.peers));
                let c = std::os::unix::net::UnixDatagram::bind(me).unwrap();
                c.set_read_timeout(wait).unwrap();
                c.send_to(b"hi", &self.server.addr).unwrap();
                c.recv(&mut buf).is_ok()
            }
            Dgram::Heartbeat => {
                let c = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
                c.set_read_timeout(wait).unwrap();
                c.send_to(HEARTBEAT.hello, self.server.host_port()).unwrap();
                c.recv(&mut buf).is_ok()
            }
        }
    }
}

/// The datagram half of an engine option's row: `unix serve --dgram` and
/// `heartbeat serve --udp` honour it on the datagram engine.
pub fn datagram_mode(kind: Dgram, opt: &str) {
    match opt {
        "--engine" => {
            let mut s = DgramServer::start(kind, &["--engine", "poll"]);
            assert!(s.answered_by_new_peer());
            let path = "/tmp/never.sock";
            let head: Vec<&str> = match kind {
                Dgram::Unix => vec!["unix", "serve", "--dgram", path],
                Dgram::Heartbeat => vec!["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"],
            };
            let out = run(&[&head[..], &["--engine", "fork"]].concat());
            assert_eq!(
                out.status.code(),
                Some(2),
                "fork cannot serve datagrams: {out:?}"
            );
        }
        "--max-connections" => {
            let mut s = DgramServer::start(kind, &["--max-connections", "1"]);
            assert!(s.answered_by_new_peer());
            assert!(
                !s.answered_by_new_peer(),
                "a second peer was served past the limit"
            );
        }
        "--idle-timeout" => {
            let args = ["--max-connections", "1", "--idle-timeout", "200ms"];
            let mut s = DgramServer::start(kind, &args);
            assert!(s.answered_by_new_peer());
            let freed =
                crate::util::wait_until(Duration::from_secs(5), || s.answered_by_new_peer());
            assert!(freed, "a silent peer was never forgotten");
        }
        "--hexdump" => datagram_hexdump(kind),
        other => panic!("no datagram check for {other}"),
    }
}

/// `-x` on a datagram server dumps each datagram.
pub fn datagram_hexdump(kind: Dgram) {
    let dump_dir = tempfile::tempdir().unwrap();
    let dump = dump_dir.path().join("d.dump").display().to_string();
    let mut s = DgramServer::start(kind, &["-x", &dump]);
    assert!(s.answered_by_new_peer());
    assert!(s.server.stop().success());
    let text = std::fs::read_to_string(&dump).unwrap_or_default();
    let chunks = nettool::net::hexdump::parse(&text).unwrap();
    assert!(
        chunks.len() >= 2,
        "a datagram in and its answer out: {text}"
    );
}
