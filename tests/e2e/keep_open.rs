//! `listen -k` serves clients at the same time, as ncat does: stdin goes to every
//! connected client, each client's bytes to stdout (`--broker`: to the other clients
//! instead), `-m` refuses clients beyond the limit, and a client that stops reading
//! is dropped after a bounded wait instead of holding the others for ever — checked
//! with real ncat, nc and socat clients.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use crate::engines::engine_test;
use crate::util::events::JsonEvents;
use crate::util::{
    Server, assert_reads, must_end_within, nettool, random_bytes, read_to_eof, require,
};

/// `nettool -v tcp-echo listen -k -l 127.0.0.1:0 ARGS`, stdin and stdout piped.
fn listen_k(args: &[&str]) -> (Server, ChildStdin, ChildStdout) {
    let mut c = nettool();
    c.args(["-v", "tcp-echo", "listen", "-k", "-l", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    let stdin = server.child.stdin.take().unwrap();
    let stdout = server.child.stdout.take().unwrap();
    (server, stdin, stdout)
}

/// Whether `child` exits within `limit` (it is killed if not).
fn exits_within(mut child: Child, limit: Duration) -> bool {
    let ok = crate::util::wait_until(limit, || matches!(child.try_wait(), Ok(Some(_))));
    let _ = (child.kill(), child.wait());
    ok
}

/// A client tool connected to `port`, its stdin and stdout piped.
fn client(tool: &str, port: &str) -> Child {
    let args: Vec<&str> = match tool {
        "ncat" => vec!["127.0.0.1", port],
        "nc" => vec!["127.0.0.1", port],
        _ => return socat(&format!("TCP:127.0.0.1:{port}")),
    };
    Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn socat(to: &str) -> Child {
    Command::new("socat")
        .args(["-", to])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// `nettool ARGS` with no stdin, which must end by itself (a refusal, `-w`) within 20 s.
fn run(args: &[&str]) -> std::process::Output {
    let mut c = nettool();
    c.args(args).stdin(Stdio::null());
    must_end_within(c, Duration::from_secs(20))
}

fn port(server: &Server) -> String {
    server.addr.rsplit_once(':').unwrap().1.to_string()
}

engine_test!(clients_at_once_share_stdin_and_stdout,
    except [iterative, fork, thread, busy_poll, reactor, io_uring]
    because "one loop must watch stdin, stdout and every client (refused with exit 2)",
    |engine| {
    if !(require("ncat") && require("nc")) {
        return;
    }
    let (mut server, mut stdin, stdout) = listen_k(&["--engine", engine]);
    let p = port(&server);
    let mut a = client("ncat", &p);
    server.wait_for_connection(1);
    let mut b = client("nc", &p);
    server.wait_for_connection(2);
    // Both clients at once: each one's line reaches stdout while the other is open.
    a.stdin.as_mut().unwrap().write_all(b"from A\n").unwrap();
    assert_reads(stdout, b"from A\n", "A's line on stdout");
    stdin.write_all(b"to everyone\n").unwrap();
    for c in [&mut a, &mut b] {
        assert_reads(c.stdout.take().unwrap(), b"to everyone\n", &format!("stdin to every client, engine {engine}"));
    }
    let _ = (a.kill(), b.kill(), a.wait(), b.wait());
    let status = server.stop_with(nix::sys::signal::Signal::SIGINT);
    assert_eq!(status.code(), Some(130), "a listener interrupted exits 130");
});

#[test]
fn engines_that_cannot_share_stdin_are_refused_in_one_line() {
    for engine in [
        "iterative",
        "fork",
        "thread",
        "busy-poll",
        "reactor",
        "io-uring",
    ] {
        let out = run(&[
            "tcp-echo",
            "listen",
            "-k",
            "-l",
            "127.0.0.1:0",
            "--engine",
            engine,
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{engine}: {err}");
        assert_eq!(err.lines().count(), 1, "{engine}: {err}");
        assert!(
            err.contains("cannot serve clients at once with -k"),
            "{err}"
        );
        assert!(
            !err.contains("listening on"),
            "refused before it listens: {err}"
        );
    }
}

#[test]
fn each_clients_mib_reaches_stdout_intact_as_json_records() {
    if !(require("ncat") && require("socat")) {
        return;
    }
    use base64::Engine;
    let mut c = nettool();
    c.args([
        "--json",
        "-v",
        "tcp-echo",
        "listen",
        "-k",
        "-l",
        "127.0.0.1:0",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    let _stdin = server.child.stdin.take().unwrap();
    let mut events = JsonEvents::read(server.child.stdout.take().unwrap());
    let p = port(&server);
    let payloads = [random_bytes(1 << 20, 71), random_bytes(1 << 20, 72)];
    let mut a = client("ncat", &p);
    let mut b = client("socat", &p);
    for _ in 0..2 {
        assert!(
            events
                .wait_for("connect", Duration::from_secs(10))
                .is_some()
        );
    }
    // Both connected; both send at the same time.
    let writers: Vec<_> = [&mut a, &mut b]
        .into_iter()
        .zip(payloads.clone())
        .map(|(c, data)| {
            let mut w = c.stdin.take().unwrap();
            std::thread::spawn(move || w.write_all(&data).unwrap())
        })
        .collect();
    // A listener that stopped reading would block these writes for good: bounded.
    let written = crate::util::wait_until(Duration::from_secs(30), || {
        writers.iter().all(|w| w.is_finished())
    });
    assert!(written, "the clients did not take their MiB within 30 s");
    for w in writers {
        w.join().unwrap();
    }
    for _ in 0..2 {
        let all_in = |v: &serde_json::Value| v["bytes_in"] == 1u64 << 20;
        assert!(
            events
                .wait_for_where("close", Duration::from_secs(20), all_in)
                .is_some(),
            "both clients' MiB read"
        );
    }
    let _ = (a.kill(), b.kill(), a.wait(), b.wait());
    server.stop();
    events.drain_for(Duration::from_millis(500));
    let mut by_peer: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    for rec in events.seen.iter().filter(|v| v["event"] == "data") {
        let data = rec["data"].as_str().unwrap();
        let bytes = match rec["encoding"].as_str() {
            Some("base64") => base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap(),
            _ => data.as_bytes().to_vec(),
        };
        assert_eq!(rec["len"].as_u64(), Some(bytes.len() as u64));
        let peer = rec["peer"].as_str().expect("data records name their peer");
        by_peer.entry(peer.to_string()).or_default().extend(bytes);
    }
    let mut got: Vec<Vec<u8>> = by_peer.into_values().collect();
    got.sort();
    let mut want = payloads.to_vec();
    want.sort();
    assert!(
        got.len() == 2 && got == want,
        "each client's MiB, byte-exact"
    );
}

#[test]
fn broker_passes_a_clients_bytes_to_the_others_only() {
    if !(require("ncat") && require("nc") && require("socat")) {
        return;
    }
    let (mut server, mut stdin, stdout) = listen_k(&["--broker"]);
    let printed = read_to_eof(stdout);
    let p = port(&server);
    let mut clients = Vec::new();
    for (i, tool) in ["ncat", "nc", "socat"].into_iter().enumerate() {
        clients.push(client(tool, &p));
        server.wait_for_connection(i + 1);
    }
    clients[0]
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"from A\n")
        .unwrap();
    let mut outs: Vec<ChildStdout> = clients
        .iter_mut()
        .map(|c| c.stdout.take().unwrap())
        .collect();
    let a_out = outs.remove(0);
    for (name, out) in ["nc", "socat"].into_iter().zip(outs) {
        assert_reads(out, b"from A\n", &format!("{name} got A's line"));
    }
    // stdin still goes to every client: A's first bytes are this, not its own line.
    stdin.write_all(b"all\n").unwrap();
    assert_reads(a_out, b"all\n", "A never gets its own bytes");
    for mut c in clients {
        let _ = (c.kill(), c.wait());
    }
    server.stop();
    let printed = printed.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(
        printed.is_empty(),
        "a broker prints nothing (as ncat): {printed:?}"
    );
}

#[test]
fn max_connections_refuses_a_third_client_while_two_are_held() {
    if !require("ncat") {
        return;
    }
    let (mut server, mut stdin, _stdout) = listen_k(&["-m", "2"]);
    let addr = server.socket_addr();
    let a = TcpStream::connect(addr).unwrap();
    server.wait_for_connection(1);
    let mut b = TcpStream::connect(addr).unwrap();
    server.wait_for_connection(2);
    let started = Instant::now();
    let third = Command::new("ncat")
        .args(["127.0.0.1", &port(&server)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let third = exits_within(third, Duration::from_secs(10));
    assert!(third, "the third client is closed at once");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        server
            .wait_for_line("refused 127.0.0.1", Duration::from_secs(5))
            .is_some(),
        "-v logs the refusal"
    );
    // With one of the two gone, a new client is served (and gets stdin).
    drop(a);
    assert!(
        server
            .wait_for_line("closed (", Duration::from_secs(10))
            .is_some()
    );
    let c = TcpStream::connect(addr).unwrap();
    // stdin goes to the clients connected when it is read: wait for this one.
    server.wait_for_connection(3);
    stdin.write_all(b"hi\n").unwrap();
    for s in [&mut b, &mut { c }] {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut got = [0u8; 3];
        s.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hi\n");
    }
    server.stop();
}

#[test]
fn a_client_that_stops_reading_is_dropped_and_the_others_get_everything() {
    if !require("nc") {
        return;
    }
    let (mut server, mut stdin, _stdout) = listen_k(&[]);
    let addr = server.socket_addr();
    // Never reads: a small receive buffer fills at once.
    let stuck = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    stuck.set_recv_buffer_size(4096).unwrap();
    stuck.connect(&addr.into()).unwrap();
    server.wait_for_connection(1);
    let mut reader = Command::new("nc")
        .args(["-d", "127.0.0.1", &port(&server)])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    server.wait_for_connection(2);
    let data = random_bytes(8 << 20, 73);
    let got = read_to_eof(reader.stdout.take().unwrap());
    let want = data.clone();
    let writer = std::thread::spawn(move || {
        stdin.write_all(&data).unwrap();
    });
    let got = got
        .recv_timeout(Duration::from_secs(40))
        .expect("the reader gets it all");
    writer.join().unwrap();
    assert!(
        got == want,
        "{} of {} bytes, byte-exact",
        got.len(),
        want.len()
    );
    assert!(
        server
            .stderr_lines()
            .iter()
            .any(|l| l.contains("dropped, it took nothing")),
        "the stuck client is dropped with a line saying why"
    );
    // Bounded buffering: 8 MiB went through without being held at once.
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    let hwm_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap();
    assert!(hwm_kib < 48 * 1024, "peak memory {hwm_kib} KiB");
    let _ = (reader.kill(), reader.wait());
    drop(stuck);
    server.stop();
}

#[test]
fn unix_listen_k_serves_socat_and_ncat_at_once() {
    if !(require("ncat") && require("socat")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.sock");
    let path = path.to_str().unwrap();
    let mut c = nettool();
    c.args(["-v", "unix", "listen", "-k", path])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    let mut stdin = server.child.stdin.take().unwrap();
    let stdout = server.child.stdout.take().unwrap();
    let mut a = socat(&format!("UNIX-CONNECT:{path}"));
    server.wait_for_connection(1);
    let mut b = Command::new("ncat")
        .args(["-U", path])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    server.wait_for_connection(2);
    b.stdin.as_mut().unwrap().write_all(b"from ncat\n").unwrap();
    assert_reads(stdout, b"from ncat\n", "ncat's line on stdout");
    stdin.write_all(b"both\n").unwrap();
    for c in [&mut a, &mut b] {
        assert_reads(c.stdout.take().unwrap(), b"both\n", "stdin to both clients");
    }
    // stdin's end half-closes every client: socat then ends by itself, ncat at its
    // own stdin's end.
    drop(stdin);
    drop(b.stdin.take());
    for c in [a, b] {
        assert!(exits_within(c, Duration::from_secs(10)));
    }
    server.stop();
    assert!(
        !dir.path().join("k.sock").exists(),
        "the socket file is removed"
    );
}

#[test]
fn tls_clients_at_once_each_get_stdin_through_their_own_session() {
    if !require("ncat") {
        return;
    }
    let (mut server, mut stdin, stdout) = listen_k(&["--tls"]);
    let p = port(&server);
    let ssl_client = || {
        Command::new("ncat")
            .args(["--ssl", "127.0.0.1", &p])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut a = ssl_client();
    server.wait_for_connection(1);
    let mut b = ssl_client();
    server.wait_for_connection(2);
    b.stdin.as_mut().unwrap().write_all(b"secret B\n").unwrap();
    assert_reads(stdout, b"secret B\n", "decrypted onto stdout");
    stdin.write_all(b"to both\n").unwrap();
    for c in [&mut a, &mut b] {
        assert_reads(
            c.stdout.take().unwrap(),
            b"to both\n",
            "stdin to both TLS clients",
        );
    }
    let _ = (a.kill(), b.kill(), a.wait(), b.wait());
    server.stop();
}

#[test]
fn w_ends_a_listener_nobody_came_to_with_1_and_engine_needs_no_exec() {
    let out = run(&[
        "tcp-echo",
        "listen",
        "-k",
        "-w",
        "300ms",
        "-l",
        "127.0.0.1:0",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("no connection within 300ms"), "{err}");
    // A child per connection has no engine to choose: a usage error, not ignored.
    let out = run(&[
        "tcp-echo",
        "listen",
        "-k",
        "-e",
        "cat",
        "--engine",
        "poll",
        "-l",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
