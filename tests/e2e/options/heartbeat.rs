//! Rows for `heartbeat connect`, against a responder or a peer that never answers.

use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use super::Row;
use super::fixtures::*;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    super::rows!("heartbeat connect":
        "--hexdump" => hb_hexdump,
        "--interval" => hb_interval,
        "--misses" => hb_misses,
        "--reconnect" => hb_reconnect,
        "--backoff" => hb_backoff,
        "--count" => hb_count,
        "--udp" => hb_udp,
        "--tcp-keepalive" => hb_keepalive,
        "-4" => hb_v4,
        "-6" => hb_v6,
        "--timeout" => hb_timeout,
        "--packets" => hb_packets,
    )
}

fn responder() -> Server {
    Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"])
}

/// `heartbeat connect --json ADDR ARGS…` to completion: its records.
fn hb(addr: &str, args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = run(&[&["--json", "heartbeat", "connect", addr][..], args].concat());
    (out.status.code(), records(&stdout(&out)))
}

fn count(recs: &[serde_json::Value], event: &str) -> usize {
    recs.iter().filter(|v| v["event"] == event).count()
}

fn hb_hexdump() {
    let s = responder();
    let (_d, path) = temp_path("hb.dump");
    let (code, _) = hb(&s.addr, &["-n", "1", "--interval", "500ms", "-x", &path]);
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(&path).unwrap();
    let chunks = nettool::net::hexdump::parse(&text).unwrap();
    assert!(chunks.len() >= 2, "a ping out and a pong in: {text}");
}

fn hb_interval() {
    let s = responder();
    let (r, took) = timed(|| hb(&s.addr, &["-n", "3", "--interval", "300ms"]));
    assert_eq!(r.0, Some(0));
    assert!(
        took >= Duration::from_millis(600),
        "3 beats 300 ms apart took {took:?}"
    );
}

/// A peer that accepts and never answers: beats go unanswered.
fn silent_peer() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    (l, addr)
}

fn hb_misses() {
    let (_l, addr) = silent_peer();
    let (code, recs) = hb(&addr, &["--interval", "100ms", "--misses", "2"]);
    assert_eq!(code, Some(1));
    assert_eq!(count(&recs, "missed"), 2, "{recs:?}");
}

/// `heartbeat connect --reconnect --backoff BACKOFF` to a port nothing listens on:
/// its first `retry` record.
fn first_retry(backoff: &str) -> serde_json::Value {
    let (l, addr) = silent_peer();
    drop(l);
    let args = ["--json", "-v", "heartbeat", "connect", &addr, "--reconnect"];
    let mut c = crate::heartbeat::HbClient::spawn(cmd(&[
        &args[..],
        &["--interval", "100ms", "--backoff", backoff],
    ]
    .concat()));
    c.wait_for("retry", Duration::from_secs(5))
        .expect("a retry")
}

fn hb_reconnect() {
    let (l, addr) = silent_peer();
    drop(l);
    // Nothing listens: without --reconnect the first connect is fatal at once.
    let (code, _) = hb(&addr, &["--interval", "100ms"]);
    assert_eq!(code, Some(1));
    first_retry("50ms..100ms");
}

fn hb_backoff() {
    let delay = first_retry("40ms..40ms")["delay_ms"].as_u64().unwrap();
    assert!(delay <= 40, "--backoff 40ms..40ms gave {delay} ms");
}

fn hb_count() {
    let s = responder();
    let (code, recs) = hb(&s.addr, &["-n", "2", "--interval", "300ms"]);
    assert_eq!((code, count(&recs, "beat")), (Some(0), 2));
}

fn hb_udp() {
    let s = Server::start(&["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"]);
    let (code, recs) = hb(&s.addr, &["--udp", "-n", "2", "--interval", "300ms"]);
    assert_eq!((code, count(&recs, "beat")), (Some(0), 2));
    // The TCP client finds no TCP responder there.
    let (code, _) = hb(&s.addr, &["-n", "1", "--interval", "50ms"]);
    assert_eq!(code, Some(1));
}

fn hb_keepalive() {
    let s = responder();
    let mut c = crate::heartbeat::HbClient::spawn(cmd(&[
        "--json",
        "heartbeat",
        "connect",
        &s.addr,
        "--tcp-keepalive",
        "--interval",
        "1s",
    ]));
    let k = c
        .wait_for("keepalive", Duration::from_secs(5))
        .expect("keepalive record");
    assert_eq!(k["interval_s"], 1);
}

fn hb_v4() {
    let s = Server::start(&["heartbeat", "serve", "-l", "[::1]:0"]);
    let port = s.addr.rsplit(':').next().unwrap();
    let (code, _) = hb(
        &format!(":{port}"),
        &["-4", "-n", "1", "--interval", "50ms"],
    );
    assert_eq!(code, Some(1), "-4 must not reach [::1]");
}

fn hb_v6() {
    let s = Server::start(&["heartbeat", "serve", "-l", "[::1]:0"]);
    let port = s.addr.rsplit(':').next().unwrap();
    let (code, _) = hb(
        &format!(":{port}"),
        &["-6", "-n", "1", "--interval", "300ms"],
    );
    assert_eq!(code, Some(0));
}

fn hb_timeout() {
    // A full backlog never completes the handshake: the connect waits -w.
    let l = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    l.bind(
        &"127.0.0.1:0"
            .parse::<std::net::SocketAddr>()
            .unwrap()
            .into(),
    )
    .unwrap();
    l.listen(0).unwrap();
    let at = l.local_addr().unwrap().as_socket().unwrap();
    let addr = at.to_string();
    let fill = Duration::from_millis(100);
    let _fill: Vec<TcpStream> = (0..4)
        .filter_map(|_| TcpStream::connect_timeout(&at, fill).ok())
        .collect();
    let (r, took) = timed(|| hb(&addr, &["-n", "1", "--interval", "5s", "-w", "200ms"]));
    assert_eq!(r.0, Some(1));
    assert!(
        took < Duration::from_secs(4),
        "{took:?}: -w did not bound the connect"
    );
}

fn hb_packets() {
    if !crate::util::require_root() {
        return;
    }
    let s = responder();
    let out = run(&["heartbeat", "connect", &s.addr, "-n", "1", "--packets"]);
    assert!(out.status.success(), "{out:?}");
    let err = stderr(&out);
    assert!(err.contains("SYN") && err.contains("SYN-ACK"), "{err}");
}
