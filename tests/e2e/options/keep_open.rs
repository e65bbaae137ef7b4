//! Rows for the options of a listener serving clients at once (`-k`): `--broker`,
//! `--max-connections` and `--engine`, on `tcp-echo listen` and `unix listen`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::process::Stdio;
use std::time::Duration;

use super::Row;
use super::fixtures::*;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    [
        super::rows!("tcp-echo listen":
            "--broker" => || broker(false),
            "--max-connections" => || max_connections(false),
            "--engine" => || engine(false),
        ),
        super::rows!("unix listen":
            "--broker" => || broker(true),
            "--max-connections" => || max_connections(true),
            "--engine" => || engine(true),
        ),
    ]
    .concat()
}

/// A client end, TCP or Unix.
trait Peer: Read + Write {}
impl Peer for TcpStream {}
impl Peer for UnixStream {}

/// `listen -k ARGS` (Unix: at a temporary path), stdin held open, stdout piped.
fn listen(unix: bool, args: &[&str]) -> (Server, Option<tempfile::TempDir>) {
    let (dir, path) = temp_path("k.sock");
    let mut all: Vec<&str> = if unix {
        vec!["-v", "unix", "listen", &path, "-k"]
    } else {
        vec!["-v", "tcp-echo", "listen", "-l", "127.0.0.1:0", "-k"]
    };
    all.extend_from_slice(args);
    let mut c = cmd(&all);
    c.stdin(Stdio::piped()).stdout(Stdio::piped());
    (Server::start_cmd(c), Some(dir))
}

/// A client of `server`, its reads bounded by 10 s.
fn dial(server: &Server, unix: bool) -> Box<dyn Peer> {
    if unix {
        let s = UnixStream::connect(&server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        Box::new(s)
    } else {
        let s = TcpStream::connect(server.host_port()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        Box::new(s)
    }
}

/// [`dial`], and wait until the server logs it as its `n`th connection.
fn connect(server: &Server, unix: bool, n: usize) -> Box<dyn Peer> {
    let peer = dial(server, unix);
    server.wait_for_connection(n);
    peer
}

fn broker(unix: bool) {
    let (mut server, _dir) = listen(unix, &["--broker"]);
    let mut a = connect(&server, unix, 1);
    let mut b = connect(&server, unix, 2);
    a.write_all(b"via").unwrap();
    let mut got = [0u8; 3];
    b.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"via", "A's bytes reach B");
    server.stop();
    assert!(server.stdout_bytes().is_empty(), "nothing on stdout");
}

fn max_connections(unix: bool) {
    let (mut server, _dir) = listen(unix, &["--max-connections", "1"]);
    let _a = connect(&server, unix, 1);
    // Its read timeout makes a client that is kept open after all fail the test
    // (WouldBlock) instead of blocking it for ever.
    let mut b = dial(&server, unix);
    let mut buf = [0u8; 1];
    // Closed at once: end of stream (or a reset), not a read timeout.
    match b.read(&mut buf) {
        Ok(0) => {}
        Err(e) => assert_ne!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}"),
        Ok(_) => panic!("the second client was served"),
    }
    assert!(
        server
            .wait_for_line("too many connections", Duration::from_secs(5))
            .is_some()
    );
    server.stop();
}

fn engine(unix: bool) {
    let (mut server, _dir) = listen(unix, &["--engine", "poll"]);
    assert!(
        server
            .wait_for_line("engine poll;", Duration::from_secs(5))
            .is_some(),
        "served by poll"
    );
    server.stop();
    let refused = if unix {
        let (_d, path) = temp_path("f.sock");
        run(&["unix", "listen", &path, "-k", "--engine", "fork"])
    } else {
        run(&[
            "tcp-echo",
            "listen",
            "-l",
            "127.0.0.1:0",
            "-k",
            "--engine",
            "fork",
        ])
    };
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
}
