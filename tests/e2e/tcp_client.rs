//! `tcp-echo connect` / `tcp-echo listen`: the netcat pair, against each other and
//! against socat, ncat and OpenBSD nc.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Server, nettool, random_bytes, require, temp_file_with, wait_until};

/// A free loopback port for a peer tool that cannot report the one it bound.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn listen_and_connect_move_100_mib_byte_exact() {
    let data = random_bytes(100 << 20, 1);
    let input = temp_file_with(&data);
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let mut listen = nettool();
    listen
        .args(["tcp-echo", "listen", "-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(out_file.reopen().unwrap());
    let server = Server::start_cmd(listen);
    let status = nettool()
        .args(["tcp-echo", "connect", &server.addr])
        .stdin(input.reopen().unwrap())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut server = server;
    assert!(wait_until(Duration::from_secs(20), || !server.alive()));
    assert!(server.child.wait().unwrap().success());
    let got = std::fs::read(out_file.path()).unwrap();
    assert_eq!(got.len(), data.len());
    assert!(got == data, "received bytes differ");
}

#[test]
fn connect_half_closes_and_still_reads_the_reply() {
    // A peer that reads to EOF, then answers: only works if we send FIN and keep reading.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        s.write_all(format!("got {} bytes", got.len()).as_bytes())
            .unwrap();
    });
    let out = nettool()
        .args(["tcp-echo", "connect", &addr.to_string()])
        .stdin(temp_file_with(b"hello").reopen().unwrap())
        .output()
        .unwrap();
    peer.join().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"got 5 bytes");
}

#[test]
fn listen_half_closes_when_its_stdin_ends_and_keeps_receiving() {
    let greeting = temp_file_with(b"greeting");
    let mut c = nettool();
    c.args(["tcp-echo", "listen", "-l", "127.0.0.1:0"])
        .stdin(greeting.reopen().unwrap())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap(); // EOF proves the listener half-closed
    assert_eq!(got, b"greeting");
    s.write_all(b"after your FIN").unwrap();
    drop(s);
    let mut out = Vec::new();
    server
        .child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, b"after your FIN");
    assert!(server.child.wait().unwrap().success());
}

#[test]
fn refused_connection_is_exit_1_with_a_clear_line() {
    let port = free_port();
    let out = nettool()
        .args(["tcp-echo", "connect", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "nettool: connect to 127.0.0.1:{port}: connection refused; nothing listens on \
             127.0.0.1:{port} (is the server running?)\n"
        )
    );
}

#[test]
fn idle_timeout_ends_a_silent_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let started = Instant::now();
    let out = nettool()
        .args([
            "tcp-echo",
            "connect",
            "-w",
            "300ms",
            "--recv-only",
            &addr.to_string(),
        ])
        .output()
        .unwrap();
    let _keep = listener.accept();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data for 300ms (idle timeout)"));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn listen_timeout_without_a_client_is_exit_1() {
    let out = nettool()
        .args(["tcp-echo", "listen", "-l", "127.0.0.1:0", "-w", "200ms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("listening on 127.0.0.1:"), "{stderr}");
    assert!(stderr.contains("no connection within 200ms"), "{stderr}");
}

#[test]
fn eof_timeout_exits_while_the_peer_stays() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let out = nettool()
        .args([
            "tcp-echo",
            "connect",
            "--eof-timeout",
            "200ms",
            &addr.to_string(),
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _keep = listener.accept();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn keep_open_serves_clients_one_after_another() {
    let mut c = nettool();
    c.args(["tcp-echo", "listen", "-k", "-d", "-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut server = Server::start_cmd(c);
    for word in ["one ", "two ", "three"] {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        s.write_all(word.as_bytes()).unwrap();
    }
    let mut stdout = server.child.stdout.take().unwrap();
    let mut got = vec![0u8; "one two three".len()];
    stdout.read_exact(&mut got).unwrap();
    assert_eq!(got, b"one two three");
}

#[test]
fn ipv6_loopback_works() {
    let listener = match TcpListener::bind("[::1]:0") {
        Ok(l) => l,
        Err(_) => return eprintln!("SKIPPED: no IPv6 loopback"),
    };
    let addr = listener.local_addr().unwrap();
    let peer = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        got
    });
    let out = nettool()
        .args([
            "tcp-echo",
            "connect",
            "-6",
            &format!("[::1]:{}", addr.port()),
        ])
        .stdin(temp_file_with(b"v6").reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(peer.join().unwrap(), b"v6");
}

/// Send `payload` from a peer client command into `nettool listen`; return what it wrote.
fn peer_into_listen(peer: &[&str], payload: &[u8]) -> Vec<u8> {
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let mut listen = nettool();
    listen
        .args(["tcp-echo", "listen", "-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(out_file.reopen().unwrap());
    let mut server = Server::start_cmd(listen);
    let port = server.socket_addr().port().to_string();
    let args: Vec<String> = peer.iter().map(|a| a.replace("PORT", &port)).collect();
    let status = Command::new(&args[0])
        .args(&args[1..])
        .stdin(temp_file_with(payload).reopen().unwrap())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{args:?}");
    assert!(
        wait_until(Duration::from_secs(10), || !server.alive()),
        "listen did not finish"
    );
    std::fs::read(out_file.path()).unwrap()
}

/// Run a peer listener command, connect nettool to it with `payload`; return what it got.
fn connect_into_peer(peer: &[&str], payload: &[u8]) -> Vec<u8> {
    let port = free_port();
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let args: Vec<String> = peer
        .iter()
        .map(|a| a.replace("PORT", &port.to_string()))
        .collect();
    let mut child = Command::new(&args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .stdout(out_file.reopen().unwrap())
        .spawn()
        .unwrap();
    wait_for_port_via_ss(port);
    let status = nettool()
        .args(["tcp-echo", "connect", &format!("127.0.0.1:{port}")])
        .stdin(temp_file_with(payload).reopen().unwrap())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        wait_until(Duration::from_secs(10), || matches!(
            child.try_wait(),
            Ok(Some(_))
        )),
        "{args:?} did not exit"
    );
    std::fs::read(out_file.path()).unwrap()
}

/// Probing a one-shot listener with a connect would consume its only connection, so
/// look for the LISTEN socket instead.
fn wait_for_port_via_ss(port: u16) {
    let ok = wait_until(Duration::from_secs(10), || {
        let out = Command::new("ss")
            .args(["-Htln", &format!("sport = :{port}")])
            .output()
            .unwrap();
        !out.stdout.is_empty()
    });
    assert!(ok, "peer never listened on {port}");
}

const PAYLOAD_LEN: usize = 1 << 20;

#[test]
fn socat_client_into_listen() {
    if !require("socat") {
        return;
    }
    let data = random_bytes(PAYLOAD_LEN, 2);
    assert!(peer_into_listen(&["socat", "-u", "STDIN", "TCP:127.0.0.1:PORT"], &data) == data);
}

#[test]
fn connect_into_socat_listener() {
    if !require("socat") {
        return;
    }
    let data = random_bytes(PAYLOAD_LEN, 3);
    assert!(
        connect_into_peer(
            &[
                "socat",
                "-u",
                "TCP-LISTEN:PORT,bind=127.0.0.1,reuseaddr",
                "STDOUT"
            ],
            &data
        ) == data
    );
}

#[test]
fn ncat_client_into_listen() {
    if !require("ncat") {
        return;
    }
    let data = random_bytes(PAYLOAD_LEN, 4);
    assert!(peer_into_listen(&["ncat", "--send-only", "127.0.0.1", "PORT"], &data) == data);
}

#[test]
fn connect_into_ncat_listener() {
    if !require("ncat") {
        return;
    }
    let data = random_bytes(PAYLOAD_LEN, 5);
    assert!(connect_into_peer(&["ncat", "-l", "--recv-only", "127.0.0.1", "PORT"], &data) == data);
}

#[test]
fn openbsd_nc_client_into_listen() {
    if !require("nc.openbsd") {
        return;
    }
    let data = random_bytes(PAYLOAD_LEN, 6);
    assert!(peer_into_listen(&["nc.openbsd", "-N", "127.0.0.1", "PORT"], &data) == data);
}

#[test]
fn connect_into_openbsd_nc_listener() {
    if !require("nc.openbsd") {
        return;
    }
    let data = random_bytes(PAYLOAD_LEN, 7);
    assert!(connect_into_peer(&["nc.openbsd", "-l", "127.0.0.1", "PORT"], &data) == data);
}

#[test]
fn sigint_interrupts_connect_with_130() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut child = nettool()
        .args(["tcp-echo", "connect", "--recv-only", &addr.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (_conn, _) = listener.accept().unwrap();
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
}

#[test]
fn hexdump_records_both_directions_exactly() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let reply = random_bytes(70_000, 8);
    let peer = {
        let reply = reply.clone();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            s.write_all(&reply).unwrap();
            got
        })
    };
    let sent = random_bytes(50_000, 9);
    let dump = tempfile::NamedTempFile::new().unwrap();
    let out = nettool()
        .args(["tcp-echo", "connect", "-x"])
        .arg(dump.path())
        .arg(addr.to_string())
        .stdin(temp_file_with(&sent).reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(peer.join().unwrap(), sent);
    assert!(out.stdout == reply);
    let text = std::fs::read_to_string(dump.path()).unwrap();
    let chunks = nettool::net::hexdump::parse(&text).unwrap();
    let joined = |dir| -> Vec<u8> {
        chunks
            .iter()
            .filter(|(d, _)| *d == dir)
            .flat_map(|(_, b)| b.clone())
            .collect()
    };
    use nettool::net::hexdump::Direction;
    assert!(
        joined(Direction::Sent) == sent,
        "sent bytes in the dump differ"
    );
    assert!(
        joined(Direction::Received) == reply,
        "received bytes in the dump differ"
    );
}

#[test]
fn stats_count_what_moved_and_answer_sigusr1() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut child = nettool()
        .args([
            "--json",
            "tcp-echo",
            "connect",
            "--stats",
            &addr.to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&[7u8; 1234]).unwrap();
    let mut got = vec![0u8; 1234];
    conn.read_exact(&mut got).unwrap();
    conn.write_all(&[1u8; 99]).unwrap();
    // Under --json stdout is all records: the 99 bytes arrive as a `data` record.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    let data: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(data["event"], "data", "{data}");
    assert_eq!(data["len"], 99, "{data}");
    assert_eq!(data["encoding"], "text", "{data}");
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGUSR1).unwrap();
    line.clear();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    let live: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(live["event"], "stats");
    assert_eq!(live["bytes_out"], 1234);
    drop(stdin);
    let mut rest = Vec::new();
    conn.read_to_end(&mut rest).unwrap();
    drop(conn);
    assert!(child.wait().unwrap().success());
    line.clear();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    let close: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(close["event"], "close");
    assert_eq!(close["bytes_out"], 1234);
    assert_eq!(close["bytes_in"], 99);
}

/// A broken pipe on the *socket* is that connection's failure: exit 1 and a line
/// that says so — never the quiet exit 0 of a closed *stdout* (`| head`), which
/// `cli::every_data_command_piped_into_head_exits_quietly` checks.
#[test]
fn a_broken_pipe_on_the_socket_is_a_failure_not_a_quiet_end() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    // 64 MiB of stdin: far more than the socket buffers hold once the peer is gone.
    let input = temp_file_with(&random_bytes(64 << 20, 7));
    let child = nettool()
        .args(["tcp-echo", "connect", "--send-only", &addr])
        .stdin(input.reopen().unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    // Take a little, then close with data unread: the kernel answers with a reset,
    // and the client's next writes fail with EPIPE / ECONNRESET.
    let mut some = [0u8; 4096];
    conn.read_exact(&mut some).unwrap();
    drop(conn);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("nettool: ")
            && (stderr.contains("reset by peer") || stderr.contains("peer closed")),
        "{stderr}"
    );
}
