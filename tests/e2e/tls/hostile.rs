//! Peers that do not play by the rules: plain text to a TLS port, a handshake that
//! never finishes (on every engine, bounded by the handshake timeout — and by
//! serve-http's header timeout), a renegotiation attempt, a TLS client talking to a
//! plain server. The server keeps serving everyone else.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{connect, fingerprint, text, tls_echo, wait_output};
use crate::engines::engine_test;
use crate::util::{Server, require};

/// Our client still gets its echo from `server`.
fn still_serving(server: &Server) {
    let pin = fingerprint(server);
    let out = connect(&["--pin", &pin, &server.host_port()], b"still here\n");
    assert_eq!(text(&out.stdout), "still here\n", "{}", text(&out.stderr));
}

engine_test!(
    plain_text_to_a_tls_port_gets_an_alert_and_a_close,
    |engine| {
        let server = tls_echo(engine, &["-v"]);
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).expect("the server closes");
        assert_eq!(
            got.first(),
            Some(&0x15),
            "engine {engine}: an alert record, {got:?}"
        );
        assert!(
            server
                .wait_for_line("not TLS records", Duration::from_secs(5))
                .is_some(),
            "engine {engine}: the log says why"
        );
        still_serving(&server);
    }
);

engine_test!(a_handshake_that_never_finishes_is_cut_off, |engine| {
    let server = tls_echo(engine, &["-v", "--handshake-timeout", "300ms"]);
    // One says nothing at all; another starts a ClientHello and stalls in it.
    let silent = TcpStream::connect(server.socket_addr()).unwrap();
    let mut stalled = TcpStream::connect(server.socket_addr()).unwrap();
    stalled
        .write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc])
        .unwrap();
    let started = Instant::now();
    for mut s in [silent, stalled] {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut got = Vec::new();
        let closed = s.read_to_end(&mut got);
        assert!(
            closed.is_ok(),
            "engine {engine}: closed by the server, {closed:?}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "engine {engine}: cut off by the handshake timeout, not the test's"
    );
    assert!(
        server
            .wait_for_line("handshake timeout", Duration::from_secs(5))
            .is_some(),
        "engine {engine}"
    );
    still_serving(&server);
});

#[test]
fn serve_http_bounds_the_handshake_by_its_header_timeout() {
    let fx = crate::http::Fixture::new();
    let server = fx.serve("poll", &["--tls", "--header-timeout", "300ms"]);
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    let mut got = Vec::new();
    assert!(s.read_to_end(&mut got).is_ok());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the header clock runs during the handshake"
    );
}

#[test]
fn renegotiation_is_refused_and_the_server_goes_on() {
    if !require("openssl") {
        return;
    }
    let server = tls_echo("epoll-et", &["-v"]);
    let port = server.socket_addr().port();
    // TLS 1.2 (1.3 has no renegotiation); `R` on a line of its own asks for one.
    let mut c = Command::new("openssl");
    c.args([
        "s_client",
        "-connect",
        &format!("127.0.0.1:{port}"),
        "-tls1_2",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    stdin.write_all(b"first\n").unwrap();
    // s_client prints the session first; the echo follows.
    let echoed =
        std::iter::from_fn(|| rx.recv_timeout(Duration::from_secs(10)).ok()).any(|l| l == "first");
    assert!(echoed, "the echo before the attempt");
    stdin.write_all(b"R\n").unwrap();
    // rustls answers with a no_renegotiation alert; s_client gives up with a fatal one.
    assert!(
        server
            .wait_for_line("TLS error", Duration::from_secs(10))
            .is_some(),
        "the server logged the refusal"
    );
    drop(stdin);
    let out = wait_output(child, Duration::from_secs(10));
    let err = text(&out.stderr);
    assert!(
        err.contains("RENEGOTIATING") && err.contains("no renegotiation"),
        "{err}"
    );
    still_serving(&server);
}

#[test]
fn a_tls_client_to_a_plain_server_fails_in_one_line() {
    let plain = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    // The echo server sends our ClientHello back: no server would say that.
    let out = connect(&["--insecure", "-w", "5", &plain.host_port()], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("nettool: TLS handshake with "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}
