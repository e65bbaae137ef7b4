//! The datagram loop over real sockets on every selector: echo from many peers over
//! UDP and Unix, the peer limit, idle expiry, SIGUSR1, a stopping service and a
//! receiver that never reads. The loop runs in a thread; the test is its peers, and
//! stops it through a detached [`Shutdown`] (no real signal crosses the test process).

use std::net::UdpSocket;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;

use socket2::Socket;

use super::udp::Udp;
use super::unix::UnixDgram;
use super::{DgramSummary, Transport};
use crate::engine::{EngineKind, Ready, ServerConfig, serve_datagrams};
use crate::net::dgram::socket::{DgramOpts, udp_bind};
use crate::net::signals::Shutdown;
use crate::output::{Output, Verbosity};
use crate::proto::echo::DatagramEcho;

const SIGTERM: i32 = libc::SIGTERM;
const WAIT: Option<Duration> = Some(Duration::from_secs(10));

/// Run the echo service on `transport` with `kind` while `peers` talks to it from
/// another thread, then stop it (even when `peers` panics) and return its summary.
fn echo_while<T: Transport>(
    kind: EngineKind,
    transport: T,
    config: ServerConfig,
    limit: Option<u64>,
    peers: impl FnOnce(&Shutdown) + Send,
) -> DgramSummary {
    struct StopOnDrop<'a>(&'a Shutdown);
    impl Drop for StopOnDrop<'_> {
        fn drop(&mut self) {
            self.0.request(SIGTERM);
        }
    }
    let shutdown = Shutdown::detached().unwrap();
    let out = Output::new(false, Verbosity::Quiet);
    std::thread::scope(|s| {
        let talk = s.spawn(|| {
            let _stop = StopOnDrop(&shutdown);
            peers(&shutdown);
        });
        let mut echo = DatagramEcho::new(limit);
        let ready = Ready::new("test".into(), serde_json::json!({}));
        let summary = serve_datagrams(kind, transport, &mut echo, &config, &out, &shutdown, ready);
        if let Err(panic) = talk.join() {
            std::panic::resume_unwind(panic);
        }
        summary.unwrap()
    })
}

fn udp_server(addr: &str) -> (Udp, std::net::SocketAddr) {
    let sock = udp_bind(addr.parse().unwrap(), &DgramOpts::default()).unwrap();
    let at = sock.local_addr().unwrap().as_socket().unwrap();
    (Udp::new(sock).unwrap(), at)
}

fn udp_peer(server: std::net::SocketAddr) -> UdpSocket {
    let bind = if server.is_ipv4() {
        "127.0.0.1:0"
    } else {
        "[::1]:0"
    };
    let s = UdpSocket::bind(bind).unwrap();
    s.set_read_timeout(WAIT).unwrap();
    s.connect(server).unwrap();
    s
}

/// `peers` UDP peers send `each` datagrams apiece, one at a time, and check every echo.
fn udp_echo_from_many_peers(kind: EngineKind, addr: &str) {
    let (transport, at) = udp_server(addr);
    let (peers, each) = (8, 50);
    let s = echo_while(kind, transport, ServerConfig::default(), None, |_| {
        std::thread::scope(|t| {
            for p in 0..peers {
                t.spawn(move || {
                    let sock = udp_peer(at);
                    let mut buf = [0u8; 128];
                    for i in 0..each {
                        let msg = format!("peer {p} datagram {i}");
                        sock.send(msg.as_bytes()).unwrap();
                        let n = sock.recv(&mut buf).unwrap();
                        assert_eq!(&buf[..n], msg.as_bytes(), "{kind}");
                    }
                });
            }
        });
    });
    let total = (peers * each) as u64;
    assert_eq!(s.server.accepted, peers as u64, "{kind}: {s:?}");
    assert_eq!((s.datagrams_in, s.datagrams_out), (total, total), "{kind}");
    assert_eq!(s.server.bytes_in, s.server.bytes_out);
    assert_eq!((s.unanswered, s.server.open), (0, 0), "{kind}: {s:?}");
}

/// Named Unix peers get their echoes (an empty datagram and a 200 KB one too); an
/// unnamed one cannot be answered and is counted, and the server serves on.
fn unix_echo_and_an_unnamed_sender(kind: EngineKind) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("srv.sock");
    let sock = UnixDatagram::bind(&path).unwrap();
    let transport = UnixDgram::new(Socket::from(std::os::fd::OwnedFd::from(sock))).unwrap();
    let s = echo_while(kind, transport, ServerConfig::default(), None, |_| {
        let me = UnixDatagram::bind(dir.path().join("me.sock")).unwrap();
        me.set_read_timeout(WAIT).unwrap();
        me.connect(&path).unwrap();
        let big = pattern(200_000);
        let mut buf = vec![0u8; 300_000];
        for msg in [&b"hello"[..], b"", &big] {
            me.send(msg).unwrap();
            let n = me.recv(&mut buf).unwrap();
            assert!(&buf[..n] == msg, "{kind}: {} bytes", msg.len());
        }
        UnixDatagram::unbound()
            .unwrap()
            .send_to(b"who am i", &path)
            .unwrap();
        me.send(b"still here").unwrap();
        let n = me.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"still here");
    });
    assert_eq!(s.server.accepted, 2, "{kind}: a named and an unnamed peer");
    assert_eq!((s.datagrams_in, s.datagrams_out), (5, 4), "{kind}");
    assert_eq!(s.unanswered, 1, "{kind}");
}

/// `--max-connections 2`: the third peer is refused until one is forgotten.
fn max_connections_refuses_the_third_peer(kind: EngineKind) {
    let (transport, at) = udp_server("127.0.0.1:0");
    let config = ServerConfig {
        max_connections: Some(2),
        ..ServerConfig::default()
    };
    let s = echo_while(kind, transport, config, None, |_| {
        let peers: Vec<UdpSocket> = (0..3).map(|_| udp_peer(at)).collect();
        let mut buf = [0u8; 16];
        for p in &peers[..2] {
            p.send(b"in").unwrap();
            assert_eq!(p.recv(&mut buf).unwrap(), 2);
        }
        peers[2].send(b"me too").unwrap();
        // Sent after the refused one: when its echo is back, the refusal has happened.
        peers[0].send(b"again").unwrap();
        assert_eq!(peers[0].recv(&mut buf).unwrap(), 5);
        peers[2]
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        assert!(peers[2].recv(&mut buf).is_err(), "{kind}: refused, no echo");
    });
    assert_eq!((s.server.accepted, s.server.refused), (2, 1), "{kind}");
    assert_eq!(s.server.peak_connections, 2);
    assert_eq!((s.datagrams_in, s.datagrams_out), (4, 3), "{kind}");
}

/// `--idle-timeout`: a silent peer is forgotten, and comes back as a new one.
fn idle_peers_are_forgotten(kind: EngineKind) {
    let (transport, at) = udp_server("127.0.0.1:0");
    let idle = Duration::from_millis(60);
    let config = ServerConfig {
        idle_timeout: Some(idle),
        max_connections: Some(1),
        ..ServerConfig::default()
    };
    let s = echo_while(kind, transport, config, None, |_| {
        let (a, b) = (udp_peer(at), udp_peer(at));
        let mut buf = [0u8; 16];
        a.send(b"a").unwrap();
        assert_eq!(a.recv(&mut buf).unwrap(), 1);
        // The table is full (one peer); once `a` has been silent long enough, `b`
        // finds room. Time passing is what is under test here.
        std::thread::sleep(idle * 4);
        b.send(b"b").unwrap();
        assert_eq!(b.recv(&mut buf).unwrap(), 1, "{kind}: room after expiry");
    });
    assert_eq!((s.server.accepted, s.server.refused), (2, 0), "{kind}");
}

/// SIGUSR1 (as the loop sees it) prints the counters and the server goes on; a
/// service that says stop ends the loop by itself.
fn stats_request_then_service_stop(kind: EngineKind) {
    let (transport, at) = udp_server("127.0.0.1:0");
    let s = echo_while(
        kind,
        transport,
        ServerConfig::default(),
        Some(3),
        |shutdown| {
            let p = udp_peer(at);
            let mut buf = [0u8; 16];
            for i in 0..3u8 {
                shutdown.request(libc::SIGUSR1);
                p.send(&[i]).unwrap();
                assert_eq!(p.recv(&mut buf).unwrap(), 1, "{kind}: served after SIGUSR1");
            }
            // The third echo was the last: the loop has returned without a signal.
            p.send(b"late").unwrap();
            p.set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            assert!(p.recv(&mut buf).is_err(), "{kind}: stopped after -n 3");
        },
    );
    assert_eq!(s.datagrams_out, 3, "{kind}");
}

/// A Unix peer that never reads fills its queue (`net.unix.max_dgram_qlen`): its
/// replies are dropped (counted), the loop never blocks, and another peer is answered.
fn a_slow_unix_reader_costs_only_its_own_replies(kind: EngineKind) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("srv.sock");
    let sock = UnixDatagram::bind(&path).unwrap();
    let transport = UnixDgram::new(Socket::from(std::os::fd::OwnedFd::from(sock))).unwrap();
    let flood = 200;
    let s = echo_while(kind, transport, ServerConfig::default(), None, |_| {
        // Not connected to the server: a receiver connected to its sender has no
        // queue limit (unix_dgram_sendmsg skips it), only the sender's SO_SNDBUF.
        let mute = UnixDatagram::bind(dir.path().join("mute.sock")).unwrap();
        for _ in 0..flood {
            mute.send_to(b"never read", &path).unwrap();
        }
        let me = UnixDatagram::bind(dir.path().join("me.sock")).unwrap();
        me.set_read_timeout(WAIT).unwrap();
        me.connect(&path).unwrap();
        me.send(b"ping").unwrap();
        let mut buf = [0u8; 16];
        let n = me.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ping", "{kind}");
    });
    assert!(
        s.unanswered > 0,
        "{kind}: the mute peer's queue never filled: {s:?}"
    );
    assert_eq!(s.datagrams_out + s.unanswered, flood + 1, "{kind}: {s:?}");
}

/// Deterministic bytes for large datagrams.
pub(super) fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// One `#[test]` per selector engine for each body.
macro_rules! per_selector {
    ($($body:ident),+ $(,)?) => {
        $(
            mod $body {
                use super::*;
                #[test]
                fn select() { super::$body(EngineKind::Select) }
                #[test]
                fn poll() { super::$body(EngineKind::Poll) }
                #[test]
                fn epoll_lt() { super::$body(EngineKind::EpollLt) }
                #[test]
                fn epoll_et() { super::$body(EngineKind::EpollEt) }
            }
        )+
    };
}

fn udp_v4(kind: EngineKind) {
    udp_echo_from_many_peers(kind, "127.0.0.1:0");
}

fn udp_v6(kind: EngineKind) {
    udp_echo_from_many_peers(kind, "[::1]:0");
}

per_selector!(
    udp_v4,
    udp_v6,
    unix_echo_and_an_unnamed_sender,
    max_connections_refuses_the_third_peer,
    idle_peers_are_forgotten,
    stats_request_then_service_stop,
    a_slow_unix_reader_costs_only_its_own_replies,
);

#[test]
fn engines_without_selectors_are_refused_before_serving() {
    let (transport, _) = udp_server("127.0.0.1:0");
    let shutdown = Shutdown::detached().unwrap();
    let out = Output::new(false, Verbosity::Quiet);
    let mut echo = DatagramEcho::new(None);
    let err = serve_datagrams(
        EngineKind::Thread,
        transport,
        &mut echo,
        &ServerConfig::default(),
        &out,
        &shutdown,
        Ready::new("test".into(), serde_json::json!({})),
    )
    .unwrap_err();
    assert_eq!(crate::error::exit_code(&err), crate::error::EXIT_USAGE);
}
