//! `unix serve --dgram` and `unix connect --dgram`: datagram echo, empty and large
//! datagrams, unnamed senders, sender credentials, the client's temporary path and -w;
//! the echo service on the datagram engine per engine (named and abstract sockets,
//! SIGUSR1/SIGTERM and the socket file, `-x`, the peer limit, idle expiry) and
//! against socat.

use std::time::Duration;

use super::{serve, sock_path};
use crate::engines::engine_test;
use crate::util::dgram::Svc;
use crate::util::dgram::bodies::*;
use crate::util::{nettool, random_bytes, require, temp_file_with, wait_until};
use std::process::Command;

const NAMED: Svc = Svc::UnixEcho {
    abstract_name: false,
};
const ABSTRACT: Svc = Svc::UnixEcho {
    abstract_name: true,
};

engine_test!(
    named_echo_from_many_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        many_peers(NAMED, engine);
    }
);

engine_test!(
    abstract_echo_from_many_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        many_peers(ABSTRACT, engine);
    }
);

engine_test!(
    sigusr1_reports_then_sigterm_removes_the_file,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        sigusr1_then_sigterm(NAMED, engine);
    }
);

engine_test!(
    hexdump_shows_each_datagram_both_ways,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        hexdump_both_ways(NAMED, engine);
    }
);

engine_test!(
    max_connections_refuses_a_third_peer,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        max_connections_2_with_3_peers(ABSTRACT, engine);
    }
);

engine_test!(
    idle_timeout_forgets_silent_peers,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        idle_timeout_forgets_a_peer(NAMED, engine);
    }
);

engine_test!(
    connection_engines_are_refused_and_no_file_made,
    [iterative, fork, thread, busy_poll, reactor],
    |engine| {
        engine_refused(NAMED, engine);
    }
);

// socat as a peer, both ways it speaks datagrams: `UNIX-SENDTO` and a datagram
// `UNIX-CLIENT`, each bound to its own path so the echo has somewhere to go.
engine_test!(
    socat_sendto_and_client_are_answered,
    [select, poll, epoll_lt, epoll_et],
    |engine| {
        if !require("socat") {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = sock_path(&dir, "d.sock");
        let _server = serve(&path, &["--dgram", "--engine", engine]);
        for (i, kind) in ["UNIX-SENDTO", "UNIX-CLIENT"].into_iter().enumerate() {
            let payload = random_bytes(5000, i as u64);
            let me = dir.path().join(format!("socat{i}.sock"));
            let extra = if kind == "UNIX-CLIENT" { ",type=2" } else { "" };
            let out = Command::new("socat")
                .args(["-t", "2", "-"])
                .arg(format!(
                    "{kind}:{}{extra},bind={}",
                    path.display(),
                    me.display()
                ))
                .stdin(temp_file_with(&payload).reopen().unwrap())
                .output()
                .unwrap();
            assert!(out.stdout == payload, "{kind}: {out:?}");
        }
    }
);

#[test]
fn datagram_echo_and_temporary_client_path_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "d.sock");
    let _server = serve(&path, &["--dgram"]);
    let client_tmp = tempfile::tempdir().unwrap();
    let payload = random_bytes(40_000, 7);
    let out = nettool()
        .args([
            "unix",
            "connect",
            "--dgram",
            "-w",
            "5",
            path.to_str().unwrap(),
        ])
        .env("TMPDIR", client_tmp.path())
        .stdin(temp_file_with(&payload).reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout == payload, "datagram echo differs");
    let left: Vec<_> = std::fs::read_dir(client_tmp.path()).unwrap().collect();
    assert!(
        left.is_empty(),
        "client left its temporary socket: {left:?}"
    );
}

#[test]
fn datagram_echo_of_empty_and_large_datagrams_and_wrong_type_hint() {
    use std::os::unix::net::UnixDatagram;
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "d.sock");
    let mut server = serve(&path, &["--dgram", "-v"]);
    let me = UnixDatagram::bind(dir.path().join("me.sock")).unwrap();
    me.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    me.connect(&path).unwrap();
    let mut buf = vec![0u8; 100_000];
    for len in [0usize, 1, 65_507] {
        let data = random_bytes(len, len as u64);
        me.send(&data).unwrap();
        let n = me.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], &data[..], "{len}-byte datagram");
    }
    // An unnamed sender cannot be answered: the server logs it and goes on.
    let unnamed = UnixDatagram::unbound().unwrap();
    unnamed.send_to(b"who am i", &path).unwrap();
    me.send(b"still here").unwrap();
    let n = me.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"still here");
    assert!(server.alive());
    // SO_PASSCRED: each datagram's sender pid is logged.
    let pid = std::process::id();
    assert!(
        server
            .wait_for_line(
                &format!(
                    "datagram from {} (pid {pid} uid",
                    dir.path().join("me.sock").display()
                ),
                Duration::from_secs(5)
            )
            .is_some()
    );
    // The stream client against a datagram socket says what to do.
    let out = nettool()
        .args(["unix", "connect", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("try --dgram"));
}

#[test]
fn datagram_client_gives_up_after_w_without_replies() {
    // A datagram "server" that never answers: socat bound and reading into /dev/null.
    if !require("socat") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "mute.sock");
    let mut socat = Command::new("socat")
        .args(["-u"])
        .arg(format!("UNIX-RECV:{}", path.display()))
        .arg("OPEN:/dev/null")
        .spawn()
        .unwrap();
    assert!(wait_until(Duration::from_secs(5), || path.exists()));
    let started = std::time::Instant::now();
    let out = nettool()
        .args([
            "unix",
            "connect",
            "--dgram",
            "-w",
            "300ms",
            path.to_str().unwrap(),
        ])
        .stdin(temp_file_with(b"anyone?").reopen().unwrap())
        .output()
        .unwrap();
    let _ = socat.kill();
    let _ = socat.wait();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no reply within 300ms (1 datagram sent)"),
        "{err}"
    );
}

#[test]
fn datagram_client_hexdump_and_stats() {
    use nettool::net::hexdump::{Direction, parse};
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "x.sock");
    let _server = serve(&path, &["--dgram"]);
    let dump = tempfile::NamedTempFile::new().unwrap();
    let payload = random_bytes(3000, 9);
    let out = nettool()
        .args([
            "--json", "unix", "connect", "--dgram", "-w", "5", "--stats", "-x",
        ])
        .arg(dump.path())
        .arg(&path)
        .stdin(temp_file_with(&payload).reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // Under --json stdout is records: each reply is a `datagram` record carrying it.
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let echoed: Vec<u8> = records
        .iter()
        .filter(|v| v["event"] == "datagram")
        .flat_map(|v| {
            use base64::Engine;
            let data = v["data"].as_str().unwrap();
            match v["encoding"].as_str() {
                Some("base64") => base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .unwrap(),
                _ => data.as_bytes().to_vec(),
            }
        })
        .collect();
    assert!(
        echoed == payload,
        "the replies' records differ from the input"
    );
    let chunks = parse(&std::fs::read_to_string(dump.path()).unwrap()).unwrap();
    let joined = |dir| -> Vec<u8> {
        chunks
            .iter()
            .filter(|(d, _)| *d == dir)
            .flat_map(|(_, b)| b.clone())
            .collect()
    };
    assert!(
        joined(Direction::Sent) == payload,
        "sent bytes in the dump differ"
    );
    assert!(
        joined(Direction::Received) == payload,
        "received bytes in the dump differ"
    );
    let close = records
        .iter()
        .find(|v| v["event"] == "close")
        .expect("--stats report without -v");
    assert_eq!(close["bytes_in"], payload.len() as u64);
}

/// Datagrams a socket received within a short quiet time after the last one.
fn received(sock: &std::os::unix::net::UnixDatagram) -> Vec<Vec<u8>> {
    sock.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = vec![0u8; 70_000];
    while let Ok(n) = sock.recv(&mut buf) {
        got.push(buf[..n].to_vec());
    }
    got
}

/// As `udp send` does: one datagram per stdin line (newline kept, a last line without
/// one sent at EOF); `--raw` sends each read of stdin as it came.
#[test]
fn datagram_client_sends_a_datagram_per_line_and_raw_chunks() {
    use std::os::unix::net::UnixDatagram;
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "lines.sock");
    let sink = UnixDatagram::bind(&path).unwrap();
    let input = temp_file_with(b"one\ntwo\n\nlast");
    let send = |extra: &[&str]| {
        let out = nettool()
            .args(["unix", "connect", "--dgram", "--send-only"])
            .args(extra)
            .arg(&path)
            .stdin(input.reopen().unwrap())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    send(&[]);
    let lines: Vec<&[u8]> = vec![b"one\n", b"two\n", b"\n", b"last"];
    assert_eq!(received(&sink), lines);

    // The same input through udp send gives the same datagrams.
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    udp.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let out = nettool()
        .args(["udp", "send", &udp.local_addr().unwrap().to_string()])
        .stdin(input.reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut buf = [0u8; 100];
    let mut via_udp = Vec::new();
    while let Ok(n) = udp.recv(&mut buf) {
        via_udp.push(buf[..n].to_vec());
    }
    assert_eq!(via_udp, lines);

    send(&["--raw"]);
    assert_eq!(received(&sink), vec![b"one\ntwo\n\nlast".to_vec()]);

    let out = nettool()
        .args(["unix", "connect", "--raw"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--raw needs --dgram");
}
