//! `tcp-echo relay --tls` on every engine that carries upstreams: TLS clients
//! (socat `OPENSSL:`, `ncat --ssl`, `openssl s_client`, our own) through the relay
//! to plain targets — bulk bytes both ways, the client's half-close passed on, a
//! refused target, a plain-text client failing its handshake beside a good one, and
//! bounded memory against a TLS client, or a target, that stops reading.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Pki, connect, text};
use crate::engines::engine_test;
use nettool::tls::{ClientTlsOpts, Session, config::client_config};

use crate::relay::{
    MIB, Socat, client, dead_port, family_rss_kib, push_until_stalled, relay, same,
};
use crate::util::{Server, output_within, random_bytes, require, wait_until};

/// A TLS relay on `engine` to `target`, presenting the PKI's `server` leaf.
fn tls_relay(engine: &str, pki: &Pki, target: &str) -> Server {
    let (cert, key) = (pki.arg("server.pem"), pki.arg("server.key"));
    relay(
        engine,
        "127.0.0.1:0",
        &["--tls", "--cert", &cert, "--key", &key, target],
    )
}

/// socat's address for a TLS connection to `r` trusting the test CA; `shut-down`:
/// at stdin EOF a FIN (socat sends no close_notify there).
fn socat_tls(pki: &Pki, r: &Server) -> String {
    format!(
        "OPENSSL:127.0.0.1:{},cafile={},commonname=localhost,shut-down",
        r.socket_addr().port(),
        pki.arg("ca.pem")
    )
}

/// The next connection to `l` within 10 s (blocking once accepted).
fn accept_within(l: &TcpListener) -> TcpStream {
    l.set_nonblocking(true).unwrap();
    let mut got = None;
    let came = wait_until(Duration::from_secs(10), || {
        got = l.accept().ok().map(|(s, _)| s);
        got.is_some()
    });
    assert!(came, "the relay never connected to the target");
    let s = got.unwrap();
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

engine_test!(tls_relay_4_mib_both_ways_byte_exact, except [reactor, io_uring, busy_poll]
    because "it cannot carry a connection's upstream", |engine| {
    if !require("socat") || !require("ncat") {
        return;
    }
    let pki = Pki::new();
    let echo = Socat::tcp_echo();
    let r = tls_relay(engine, &pki, &echo.addr);
    let data = random_bytes(4 * MIB, 29);
    let got = client("socat", &["-t", "30", "-b", "65536", "-", &socat_tls(&pki, &r)], &data);
    same(&got, &data, &format!("{engine}: socat OPENSSL through the TLS relay"));
    let port = r.socket_addr().port().to_string();
    let got = client(
        "ncat",
        &["--ssl", "--ssl-verify", "--ssl-trustfile", &pki.arg("ca.pem"), "localhost", &port],
        &data,
    );
    same(&got, &data, &format!("{engine}: ncat --ssl through the TLS relay"));
    r.wait_for_line("relaying to", Duration::from_secs(5))
        .expect("the upstream is logged");
});

engine_test!(tls_relay_passes_the_clients_half_close_on, except [reactor, io_uring, busy_poll]
    because "it cannot carry a connection's upstream", |engine| {
    if !require("socat") {
        return;
    }
    let pki = Pki::new();
    let up = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = up.local_addr().unwrap().to_string();
    let r = tls_relay(engine, &pki, &target);
    // The target reads to the end of each request (the client's FIN or close_notify
    // passed on as our shutdown), and only then answers.
    let answering = std::thread::spawn(move || {
        (0..2)
            .map(|_| {
                let mut u = accept_within(&up);
                let mut got = Vec::new();
                u.read_to_end(&mut got).expect("the request ends with a FIN");
                u.write_all(b"answer after EOF: ").unwrap();
                u.write_all(&got).unwrap();
                got
            })
            .collect::<Vec<_>>()
    });
    // socat: a FIN without close_notify.
    let got = client("socat", &["-t", "30", "-", &socat_tls(&pki, &r)], b"request one");
    assert_eq!(text(&got), "answer after EOF: request one", "{engine}: socat");
    // Ours: close_notify, then the FIN.
    let port = r.socket_addr().port();
    let out = connect(
        &["--ca", &pki.arg("ca.pem"), &format!("localhost:{port}")],
        b"request two",
    );
    assert!(out.status.success(), "{engine}: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "answer after EOF: request two", "{engine}");
    let seen = answering.join().expect("the target saw both requests end");
    assert_eq!(seen, [&b"request one"[..], &b"request two"[..]], "{engine}");
});

engine_test!(tls_relay_closes_the_client_when_the_target_refuses, except [reactor, io_uring, busy_poll]
    because "it cannot carry a connection's upstream", |engine| {
    let pki = Pki::new();
    let dead = dead_port();
    let r = tls_relay(engine, &pki, &dead);
    let port = r.socket_addr().port();
    let mut c = if require("openssl") {
        let mut c = Command::new("openssl");
        c.args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-quiet"]);
        c
    } else {
        let mut c = crate::util::nettool();
        c.args(["tcp-echo", "connect", "--tls", "--insecure", &format!("127.0.0.1:{port}")]);
        c
    };
    c.stdin(Stdio::null());
    let started = Instant::now();
    let out = output_within(c, Duration::from_secs(10)).expect("the TLS client ended");
    assert!(started.elapsed() < Duration::from_secs(5), "{engine}: {:?}", started.elapsed());
    assert!(!out.status.success() && out.stdout.is_empty(), "{engine}: {out:?}");
    let line = r
        .wait_for_line(&format!("connect to {dead}"), Duration::from_secs(5))
        .expect("a log line for the refused target");
    assert!(line.contains("closing the client's connection"), "{line}");
    r.wait_for_line("closed (upstream failed)", Duration::from_secs(5))
        .expect("the close reason");
});

engine_test!(tls_relay_a_plain_client_fails_beside_a_good_one, except [reactor, io_uring, busy_poll]
    because "it cannot carry a connection's upstream", |engine| {
    if !require("socat") {
        return;
    }
    let pki = Pki::new();
    let echo = Socat::tcp_echo();
    let r = tls_relay(engine, &pki, &echo.addr);
    // A plain connection is open before the good client starts…
    let mut plain = TcpStream::connect(r.socket_addr()).unwrap();
    plain.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let data = random_bytes(2 * MIB, 31);
    let (want, addr) = (data.clone(), socat_tls(&pki, &r));
    let good = std::thread::spawn(move || client("socat", &["-t", "30", "-", &addr], &data));
    // …and sends HTTP to the TLS port while it runs: an alert, then the close.
    plain.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let started = Instant::now();
    let mut got = Vec::new();
    let _ = plain.read_to_end(&mut got);
    assert!(started.elapsed() < Duration::from_secs(5), "{engine}");
    assert!(got.is_empty() || got[0] == 21, "{engine}: not an alert: {got:?}");
    let line = r
        .wait_for_line("TLS handshake failed", Duration::from_secs(5))
        .expect("the failed handshake is logged");
    assert!(line.contains("not TLS records"), "{line}");
    same(&good.join().unwrap(), &want, &format!("{engine}: the good client"));
});

/// A TLS client of our own — the library's record layer over a blocking socket — for
/// what the tools do not do on demand: stop reading, or send without end.
struct RawTls {
    sock: TcpStream,
    s: Session,
}

impl RawTls {
    /// Connect to `r` and finish the handshake (the certificate is not checked).
    fn connect(r: &Server) -> RawTls {
        let c = client_config(&ClientTlsOpts {
            insecure: true,
            ..Default::default()
        })
        .unwrap();
        let mut s = Session::client(c.config.clone(), c.server_name("localhost").unwrap()).unwrap();
        let sock = TcpStream::connect(r.socket_addr()).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = vec![0u8; 16 * 1024];
        for _ in 0..20 {
            (&sock).write_all(&s.take_records()).unwrap();
            if !s.is_handshaking() {
                return RawTls { sock, s };
            }
            let n = (&sock).read(&mut buf).expect("the server's handshake");
            assert!(n > 0, "closed during the handshake");
            let mut rest = &buf[..n];
            while !rest.is_empty() {
                rest = &rest[s.feed(rest).unwrap()..];
                s.read_plain(|_| {});
            }
        }
        panic!("no handshake");
    }

    /// Encrypt and send `total` bytes until the relay stops taking them for a
    /// second; the plaintext it took.
    fn push_until_stalled(&mut self, total: usize) -> usize {
        self.sock
            .set_write_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        let chunk = vec![0x5au8; 16 * 1024];
        let mut sent = 0;
        while sent < total {
            let n = self.s.write_plain(&chunk);
            if (&self.sock).write_all(&self.s.take_records()).is_err() {
                break;
            }
            sent += n;
        }
        sent
    }
}

engine_test!(tls_relay_memory_stays_bounded_when_a_side_stops_reading,
    except [reactor, io_uring, busy_poll] because "it cannot carry a connection's upstream",
    |engine| {
    const OFFERED: usize = 256 * MIB;
    // Kernel buffers on the way plus the relay's two outboxes hold far less; without
    // back-pressure (or with plaintext piling up in the layer) all of it would go.
    const BOUND: usize = 64 * MIB;
    let pki = Pki::new();
    let up = TcpListener::bind("127.0.0.1:0").unwrap();
    let r = tls_relay(engine, &pki, &up.local_addr().unwrap().to_string());
    let rss_before = family_rss_kib(r.pid());
    // The upstream sends to a TLS client that never reads.
    let quiet = RawTls::connect(&r);
    let u = accept_within(&up);
    let taken = push_until_stalled(u.try_clone().unwrap(), OFFERED);
    assert!(taken < BOUND, "{engine}: {taken} bytes taken from the upstream");
    // A TLS client sends to an upstream that never reads (after the first connection
    // is gone: the iterative engine serves one at a time).
    drop((quiet, u));
    let mut loud = RawTls::connect(&r);
    let u2 = accept_within(&up);
    let taken = loud.push_until_stalled(OFFERED);
    assert!(taken < BOUND, "{engine}: {taken} bytes taken from the client");
    let grew = family_rss_kib(r.pid()).saturating_sub(rss_before);
    assert!(grew < 32 * 1024, "{engine}: the relay grew by {grew} KiB");
    drop((loud, u2));
});
