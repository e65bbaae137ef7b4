//! Rows for `udp listen` (netcat's `nc -u -l`), each with a UDP peer written here.

use std::io::Write;
use std::net::UdpSocket;
use std::process::{ChildStdin, Stdio};
use std::time::Duration;

use super::Row;
use super::fixtures::*;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    super::rows!("udp listen":
        "--listen" => || listens_where_told(&["udp", "listen"], true),
        "-4" => || family_decides_the_host(&["udp", "listen"], "-4", "127.0.0.1:"),
        "-6" => || family_decides_the_host(&["udp", "listen"], "-6", "[::1]:"),
        "--keep-open" => keep_open,
        "--to-all" => to_all,
        "--max-connections" => max_connections,
        "--timeout" => timeout,
        "--no-stdin" => no_stdin,
        "--eof-timeout" => eof_timeout,
        "--hexdump" => hexdump,
    )
}

/// `nettool -v udp listen -l 127.0.0.1:0 ARGS`, stdin piped.
fn listen(args: &[&str]) -> (Server, ChildStdin) {
    let mut c = cmd(&["-v", "udp", "listen", "-l", "127.0.0.1:0"]);
    c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut s = Server::start_cmd(c);
    let stdin = s.child.stdin.take().unwrap();
    (s, stdin)
}

/// A peer that sent `msg` and waits (up to 10 s) for the listener to log it.
fn peer(server: &Server, msg: &[u8]) -> UdpSocket {
    let p = UdpSocket::bind("127.0.0.1:0").unwrap();
    p.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    p.send_to(msg, server.host_port()).unwrap();
    let line = format!("from {}", p.local_addr().unwrap());
    assert!(
        server
            .wait_for_line(&line, Duration::from_secs(10))
            .is_some()
    );
    p
}

fn recv(p: &UdpSocket) -> Option<Vec<u8>> {
    let mut buf = [0u8; 256];
    p.recv(&mut buf).ok().map(|n| buf[..n].to_vec())
}

fn keep_open() {
    let (mut s, mut stdin) = listen(&["-k"]);
    let _a = peer(&s, b"a");
    // Without -k this second peer would be dropped, not logged as heard.
    let b = peer(&s, b"b");
    stdin.write_all(b"to b\n").unwrap();
    assert_eq!(recv(&b).as_deref(), Some(&b"to b\n"[..]));
    s.stop();
}

fn to_all() {
    let (mut s, mut stdin) = listen(&["-k", "--to-all"]);
    let a = peer(&s, b"a");
    let b = peer(&s, b"b");
    stdin.write_all(b"all\n").unwrap();
    for p in [&a, &b] {
        assert_eq!(recv(p).as_deref(), Some(&b"all\n"[..]));
    }
    s.stop();
}

fn max_connections() {
    let (mut s, _stdin) = listen(&["-k", "--max-connections", "1"]);
    let _a = peer(&s, b"a");
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    b.send_to(b"b", s.host_port()).unwrap();
    assert!(
        s.wait_for_line("peer table full", Duration::from_secs(10))
            .is_some()
    );
    s.stop();
}

fn timeout() {
    let (mut s, _stdin) = listen(&["-w", "300ms"]);
    let _a = peer(&s, b"a");
    assert!(crate::util::wait_until(Duration::from_secs(10), || {
        matches!(s.child.try_wait(), Ok(Some(st)) if st.success())
    }));
}

fn no_stdin() {
    let (mut s, mut stdin) = listen(&["-d"]);
    let a = peer(&s, b"a");
    let _ = stdin.write_all(b"unsent\n");
    a.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    assert_eq!(recv(&a), None, "stdin is not read");
    s.stop();
}

fn eof_timeout() {
    let (mut s, stdin) = listen(&["--eof-timeout", "200ms"]);
    let _a = peer(&s, b"a");
    drop(stdin);
    assert!(crate::util::wait_until(Duration::from_secs(10), || {
        matches!(s.child.try_wait(), Ok(Some(st)) if st.success())
    }));
}

fn hexdump() {
    let (_d, path) = temp_path("dump.txt");
    let (mut s, mut stdin) = listen(&["-x", &path]);
    let a = peer(&s, b"in!");
    stdin.write_all(b"out\n").unwrap();
    assert_eq!(recv(&a).as_deref(), Some(&b"out\n"[..]));
    s.stop();
    dump_holds(&path, b"in!", b"out\n");
}
