//! The half-close matrix of ncat's own test suite: when the peer's FIN arrives, the
//! client and the listener close their stdout at once (a reader downstream finishes)
//! and keep sending until their own stdin ends; with `listen -k`, a client's FIN ends
//! its turn and the next client is served while stdin stays open.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{Server, nettool, read_to_eof, require, temp_file_with};

#[test]
fn listen_closes_stdout_at_ncats_fin_and_still_sends_its_stdin() {
    if !require("ncat") {
        return;
    }
    let mut c = nettool();
    c.args(["tcp-echo", "listen", "-l", "127.0.0.1:0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    let out = read_to_eof(server.child.stdout.take().unwrap());
    let (host, port) = server.addr.rsplit_once(':').unwrap();
    // ncat sends its stdin, half-closes at its EOF, and prints what comes back.
    let ncat = Command::new("ncat")
        .args([host, port])
        .stdin(temp_file_with(b"from ncat").reopen().unwrap())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let got = out
        .recv_timeout(Duration::from_secs(10))
        .expect("stdout ends at the peer's FIN although our stdin is still open");
    assert_eq!(got, b"from ncat");
    assert!(server.alive(), "still running: stdin has not ended");
    let mut stdin = server.child.stdin.take().unwrap();
    stdin.write_all(b"answer after your FIN").unwrap();
    drop(stdin);
    let ncat = ncat.wait_with_output().unwrap();
    assert_eq!(ncat.stdout, b"answer after your FIN");
    assert!(server.child.wait().unwrap().success());
}

#[test]
fn connect_into_sort_finishes_when_socat_closes_while_stdin_stays_open() {
    if !require("socat") {
        return;
    }
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let mut socat = Command::new("socat")
        .args([
            &format!("TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr"),
            "SYSTEM:echo b; echo a",
        ])
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    assert!(crate::util::wait_until(Duration::from_secs(10), || {
        // `ss` sees the listener without taking socat's one connection.
        let ss = Command::new("ss")
            .args(["-Htln", &format!("sport = :{port}")])
            .output();
        ss.is_ok_and(|o| !o.stdout.is_empty())
    }));
    let mut client = nettool()
        .args(["tcp-echo", "connect", &addr])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut sort = Command::new("sort")
        .stdin(Stdio::from(client.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let sorted = read_to_eof(sort.stdout.take().unwrap());
    let got = sorted
        .recv_timeout(Duration::from_secs(10))
        .expect("sort ends: our stdout closed at socat's FIN");
    assert_eq!(got, b"a\nb\n");
    assert!(sort.wait().unwrap().success());
    assert!(client.try_wait().unwrap().is_none(), "stdin is still open");
    drop(client.stdin.take());
    assert!(client.wait().unwrap().success());
    let _ = socat.wait();
}

#[test]
fn listen_keep_open_ends_a_clients_turn_at_its_fin() {
    if !require("ncat") {
        return;
    }
    let mut c = nettool();
    c.args(["tcp-echo", "listen", "-k", "-l", "127.0.0.1:0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    let mut stdout = server.child.stdout.take().unwrap();
    let (host, port) = server.addr.rsplit_once(':').unwrap();
    for word in ["one", "two"] {
        let status = Command::new("ncat")
            .args([host, port])
            .stdin(temp_file_with(word.as_bytes()).reopen().unwrap())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let mut buf = [0u8; 3];
        stdout.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, word.as_bytes());
    }
    assert!(server.alive(), "-k keeps listening, stdout open");
    let _stdin = server.child.stdin.take();
}
