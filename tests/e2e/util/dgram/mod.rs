//! The datagram servers under test — `udp serve`, `unix serve --dgram`,
//! `heartbeat serve --udp` — and peers that talk to them, so one test body checks
//! the same promise (echo from many peers, SIGUSR1, SIGTERM, `-x`, the peer limit,
//! idle expiry) on each of the three services and each engine.
//!
//! A server runs with `--json`: its events arrive on stdout as JSON lines, read by a
//! thread into a queue the test waits on — readiness by event, never by sleeping.

use std::net::UdpSocket;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixDatagram};
use std::path::{Path, PathBuf};
use std::time::Duration;

use nettool::proto::heartbeat::wire::{self, Frame, Ping};
use serde_json::Value;

use super::Server;
use super::events::JsonEvents;

pub mod bodies;

/// How long a test waits for anything that should come promptly.
pub const PROMPT: Duration = Duration::from_secs(10);

/// One of the three datagram services, on one kind of address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Svc {
    UdpEcho { v6: bool },
    UnixEcho { abstract_name: bool },
    Heartbeat,
}

impl Svc {
    /// `nettool --json ARGS` for this service on a free address, `--engine` and `extra`.
    pub fn args(self, dir: &Path, engine: &str, extra: &[&str]) -> Vec<String> {
        let mut a: Vec<String> = vec!["--json".into()];
        let unix_at = |abstract_name: bool| {
            if abstract_name {
                format!("@nettool-test-{}-{}", std::process::id(), unique())
            } else {
                dir.join("srv.sock").display().to_string()
            }
        };
        match self {
            Svc::UdpEcho { v6 } => {
                let l = if v6 { "[::1]:0" } else { "127.0.0.1:0" };
                a.extend(["udp", "serve", "-l", l].map(String::from));
            }
            Svc::UnixEcho { abstract_name } => {
                a.extend(["unix", "serve", "--dgram"].map(String::from));
                a.push(unix_at(abstract_name));
            }
            Svc::Heartbeat => {
                a.extend(["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"].map(String::from));
            }
        }
        a.extend(["--engine", engine].map(String::from));
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    /// Start the service and wait for its `listening on` line.
    pub fn start(self, dir: &Path, engine: &str, extra: &[&str]) -> EventServer {
        let args = self.args(dir, engine, extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        EventServer::new(Server::start(&args))
    }

    /// The request for datagram `n`: unique bytes (echo; some empty, some large), or
    /// ping number `n` (heartbeat).
    pub fn request(self, n: u64) -> Vec<u8> {
        match self {
            Svc::Heartbeat => wire::to_bytes(&Frame::Ping(Ping {
                seq: n,
                sent_us: n * 7,
            })),
            _ => {
                let len = match n % 17 {
                    0 => 0,
                    1 => 9000,
                    k => (k * 37) as usize,
                };
                super::random_bytes(len, n + 1)
            }
        }
    }

    /// Panic unless `reply` answers request `n`.
    pub fn check(self, n: u64, reply: &[u8]) {
        match self {
            Svc::Heartbeat => match wire::decode_datagram(reply) {
                Ok(Frame::Pong(p)) => assert_eq!((p.seq, p.sent_us), (n, n * 7)),
                other => panic!("not a pong for {n}: {other:?}"),
            },
            _ => assert!(reply == self.request(n), "echo of datagram {n} differs"),
        }
    }

    pub fn is_unix(self) -> bool {
        matches!(self, Svc::UnixEcho { .. })
    }
}

fn unique() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A server whose JSON events (stdout) are collected as they arrive.
pub struct EventServer {
    pub server: Server,
    pub events: JsonEvents,
}

impl EventServer {
    pub fn new(mut server: Server) -> EventServer {
        let events = JsonEvents::read(server.child.stdout.take().expect("server stdout"));
        EventServer { server, events }
    }

    /// The address peers send to (as the `listening on` line gave it).
    pub fn addr(&self) -> String {
        self.server.addr.clone()
    }

    /// The next event named `name` for which `pred` holds (panics after [`PROMPT`]).
    pub fn wait_for(&mut self, name: &str, pred: impl Fn(&Value) -> bool) -> Value {
        match self.events.wait_for_where(name, PROMPT, pred) {
            Some(v) => v,
            None => panic!(
                "no {name:?} event within {PROMPT:?}; seen: {:?}",
                self.events.seen
            ),
        }
    }

    /// SIGTERM; the exit status and, after it, the summary event.
    pub fn stop(&mut self) -> (std::process::ExitStatus, Value) {
        let status = self.server.stop();
        let summary = self.wait_for("summary", |_| true);
        (status, summary)
    }
}

/// A peer of a datagram server: a UDP socket, or a Unix datagram socket bound to its
/// own path (an unbound one could not be answered).
pub enum Peer {
    Udp(UdpSocket),
    Unix(UnixDatagram, PathBuf),
}

impl Peer {
    /// A peer of the server listening on `addr`; Unix peers bind under `dir`.
    pub fn new(svc: Svc, addr: &str, dir: &Path) -> Peer {
        if svc.is_unix() {
            let me = dir.join(format!("peer-{}.sock", unique()));
            let s = UnixDatagram::bind(&me).unwrap();
            let to = match addr.strip_prefix('@') {
                Some(name) => UnixAddr::from_abstract_name(name.as_bytes()).unwrap(),
                None => UnixAddr::from_pathname(addr).unwrap(),
            };
            s.connect_addr(&to).unwrap();
            s.set_read_timeout(Some(PROMPT)).unwrap();
            Peer::Unix(s, me)
        } else {
            let to: std::net::SocketAddr = addr.parse().unwrap();
            let s = UdpSocket::bind(if to.is_ipv4() {
                "127.0.0.1:0"
            } else {
                "[::1]:0"
            })
            .unwrap();
            s.connect(to).unwrap();
            s.set_read_timeout(Some(PROMPT)).unwrap();
            Peer::Udp(s)
        }
    }

    pub fn send(&self, data: &[u8]) {
        match self {
            Peer::Udp(s) => s.send(data).map(drop),
            Peer::Unix(s, _) => s.send(data).map(drop),
        }
        .expect("send to the server");
    }

    /// The next datagram, or `None` after `timeout`.
    pub fn recv_within(&self, timeout: Duration) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; 70_000];
        let got = match self {
            Peer::Udp(s) => {
                s.set_read_timeout(Some(timeout)).unwrap();
                s.recv(&mut buf)
            }
            Peer::Unix(s, _) => {
                s.set_read_timeout(Some(timeout)).unwrap();
                s.recv(&mut buf)
            }
        };
        got.ok().map(|n| buf[..n].to_vec())
    }

    pub fn recv(&self) -> Vec<u8> {
        self.recv_within(PROMPT).expect("a reply within 10 s")
    }

    /// Send request `n` and check its reply.
    pub fn round_trip(&self, svc: Svc, n: u64) {
        self.send(&svc.request(n));
        svc.check(n, &self.recv());
    }

    /// How the server names this peer (its address; a Unix peer's path).
    pub fn label(&self) -> String {
        match self {
            Peer::Udp(s) => s.local_addr().unwrap().to_string(),
            Peer::Unix(_, path) => path.display().to_string(),
        }
    }
}

/// An event's `peer` field begins with this peer's label (Unix peers add credentials).
pub fn names(ev: &Value, peer: &Peer) -> bool {
    ev["peer"]
        .as_str()
        .is_some_and(|p| p.starts_with(&peer.label()))
}
