//! One `-w` rule on every client and receiver, as nc's: `-w D` bounds a wait; when it
//! passes after something arrived the command did its job (exit 0, `nc -u -w` after a
//! transfer), when nothing arrived at all it failed (exit 1, one line saying so).
//! `-w 0` is refused on every command (`contract::walk::every_timeout_refuses_zero`).

use std::io::Write;
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::UnixDatagram;
use std::process::{Output, Stdio};
use std::time::Duration;

use crate::util::{Server, nettool, run_with_stdin};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = nettool();
    cmd.args(args);
    run_with_stdin(cmd, stdin)
}

#[track_caller]
fn failed_with(out: &Output, line: &str) {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("nettool: {line}\n")
    );
}

#[test]
fn udp_send_w_with_no_reply_is_exit_1() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    let out = run(&["udp", "send", &addr, "anyone?", "-w", "200ms"], b"");
    failed_with(&out, "no reply within 200ms");
    let mut buf = [0u8; 16];
    assert_eq!(silent.recv(&mut buf).unwrap(), 7, "the datagram was sent");
}

#[test]
fn udp_send_w_after_a_reply_is_exit_0() {
    let srv = Server::start(&["-q", "udp", "serve", "-l", "127.0.0.1:0"]);
    let out = run(&["udp", "send", &srv.addr, "ping", "-w", "200ms"], b"");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"ping");
}

#[test]
fn udp_recv_w_after_a_transfer_is_exit_0() {
    let r = Server::start(&["udp", "recv", "-l", "127.0.0.1:0", "-w", "300ms"]);
    let c = UdpSocket::bind("127.0.0.1:0").unwrap();
    c.send_to(b"one\n", &r.addr).unwrap();
    c.send_to(b"two\n", &r.addr).unwrap();
    let (ok, out) = crate::udp::finish(r);
    assert!(ok, "a receiver that got a complete transfer exits 0");
    assert_eq!(out, b"one\ntwo\n");
}

#[test]
fn udp_recv_w_with_nothing_or_fewer_than_n_is_exit_1() {
    let r = Server::start(&["udp", "recv", "-l", "127.0.0.1:0", "-w", "200ms"]);
    let (ok, out) = crate::udp::finish(r);
    assert!(!ok && out.is_empty());
    let mut r = Server::start(&["udp", "recv", "-l", "127.0.0.1:0", "-n", "3", "-w", "300ms"]);
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .send_to(b"only one", &r.addr)
        .unwrap();
    let status = r.child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(
        crate::util::wait_until(Duration::from_secs(5), || r
            .stderr_lines()
            .iter()
            .any(|l| l == "nettool: no datagram for 300ms (1 of 3 received)")),
        "{:?}",
        r.stderr_lines()
    );
}

/// A Unix datagram server that answers only the first datagram it gets (and keeps
/// its socket, returned by the thread, so later datagrams are not refused).
fn answers_once(path: &std::path::Path) -> std::thread::JoinHandle<UnixDatagram> {
    let s = UnixDatagram::bind(path).unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        let (n, from) = s.recv_from(&mut buf).unwrap();
        if let Some(p) = from.as_pathname() {
            s.send_to(&buf[..n], p).unwrap();
        }
        s
    })
}

#[test]
fn unix_connect_dgram_w_after_some_replies_is_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("once.sock");
    let server = answers_once(&path);
    let p = path.to_str().unwrap();
    let out = run(&["unix", "connect", "--dgram", "-w", "300ms", p], b"a\nb\n");
    let _still_bound = server.join().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"a\n");
}

#[test]
fn unix_connect_dgram_w_with_no_reply_is_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mute.sock");
    let _mute = UnixDatagram::bind(&path).unwrap();
    let out = run(
        &[
            "unix",
            "connect",
            "--dgram",
            "-w",
            "200ms",
            path.to_str().unwrap(),
        ],
        b"a\nb\n",
    );
    failed_with(&out, "no reply within 200ms (2 datagrams sent)");
}

#[test]
fn unix_listen_dgram_w_ends_a_transfer_with_0_and_nothing_with_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.sock");
    let p = path.to_str().unwrap();
    let r = Server::start(&["unix", "listen", "--dgram", "-w", "300ms", p]);
    UnixDatagram::unbound()
        .unwrap()
        .send_to(b"hello\n", &path)
        .unwrap();
    let (ok, out) = crate::udp::finish(r);
    assert!(ok, "exit 0 after a datagram arrived");
    assert_eq!(out, b"hello\n");

    let path = dir.path().join("n.sock");
    let out = run(
        &[
            "unix",
            "listen",
            "--dgram",
            "-w",
            "200ms",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.ends_with("nettool: no datagram for 200ms\n"), "{err}");
}

#[test]
fn tcp_connect_w_after_data_is_exit_0() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let child = nettool()
        .args(["tcp-echo", "connect", "--recv-only", "-w", "300ms", &addr])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The peer sends, then keeps the connection open and silent: -w ends it.
    let (mut conn, _) = l.accept().unwrap();
    conn.write_all(b"hello").unwrap();
    let out = child.wait_with_output().unwrap();
    drop(conn);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"hello");
}
