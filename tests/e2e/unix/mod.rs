//! `unix serve|listen|connect`: Unix stream and datagram sockets against socat and
//! against each other, the stream echo suite on every engine, socket-file handling
//! (stale, live, not a socket, --mode, removal on exit) and peer credentials.

mod dgram;
mod files;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::engines::engine_test;
use crate::util::proc::{fd_count, rss_kib};
use crate::util::{Server, nettool, random_bytes, require, temp_file_with, wait_until};

/// Issue 9's closing checks: alive, a fresh request works (`fresh`), descriptors back
/// to `fds` and memory within `rss + 64 MiB`.
pub fn assert_server_recovered(
    server: &mut Server,
    fds: usize,
    rss: u64,
    fresh: impl FnOnce() -> bool,
) {
    assert!(server.alive(), "server died");
    assert!(fresh(), "a fresh request failed");
    let pid = server.pid();
    assert!(
        wait_until(Duration::from_secs(5), || fd_count(pid) <= fds),
        "descriptors: {} now, {fds} before",
        fd_count(pid)
    );
    let now = rss_kib(pid);
    assert!(
        now <= rss + 64 * 1024,
        "memory grew from {rss} KiB to {now} KiB"
    );
}

pub fn sock_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

pub fn serve(path: &Path, extra: &[&str]) -> Server {
    let p = path.to_str().unwrap();
    let mut args = vec!["unix", "serve", p];
    args.extend_from_slice(extra);
    Server::start(&args)
}

pub fn echo_once(path: &Path, msg: &[u8]) -> Vec<u8> {
    let mut s = UnixStream::connect(path).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(msg).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    got
}

#[test]
fn socat_unix_connect_against_serve_10_mib_byte_exact() {
    if !require("socat") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "echo.sock");
    let _server = serve(&path, &[]);
    let data = random_bytes(10 << 20, 61);
    let out = Command::new("socat")
        .args(["-t", "30", "-b", "65536", "-"])
        .arg(format!("UNIX-CONNECT:{}", path.display()))
        .stdin(temp_file_with(&data).reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout.len(), data.len());
    assert!(out.stdout == data, "echo differs");
}

/// Start `socat ARGS…` and wait for its socket file to appear.
fn socat_listening(args: &[String], path: &Path, stdout: Stdio) -> std::process::Child {
    let child = Command::new("socat")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .spawn()
        .unwrap();
    assert!(wait_until(Duration::from_secs(5), || path.exists()));
    child
}

#[test]
fn connect_against_socat_unix_listen_both_directions_10_mib() {
    if !require("socat") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = random_bytes(10 << 20, 62);
    let input = temp_file_with(&data);

    // nettool → socat: socat writes what it receives into a file.
    let path = sock_path(&dir, "in.sock");
    let received = dir.path().join("received");
    let mut socat = socat_listening(
        &[
            "-u".into(),
            format!("UNIX-LISTEN:{}", path.display()),
            format!("CREATE:{}", received.display()),
        ],
        &path,
        Stdio::null(),
    );
    let st = nettool()
        .args(["unix", "connect", path.to_str().unwrap()])
        .stdin(input.reopen().unwrap())
        .status()
        .unwrap();
    assert!(st.success());
    assert!(socat.wait().unwrap().success());
    assert!(
        std::fs::read(&received).unwrap() == data,
        "socat received other bytes"
    );

    // socat → nettool: socat sends the file, nettool prints it.
    let path = sock_path(&dir, "out.sock");
    let mut socat = socat_listening(
        &[
            "-u".into(),
            format!("OPEN:{}", input.path().display()),
            format!("UNIX-LISTEN:{}", path.display()),
        ],
        &path,
        Stdio::null(),
    );
    let out = nettool()
        .args(["unix", "connect", "--recv-only", path.to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(socat.wait().unwrap().success());
    assert_eq!(out.stdout.len(), data.len());
    assert!(out.stdout == data, "nettool printed other bytes");
}

#[test]
fn unix_listen_relays_a_socat_client() {
    if !require("socat") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "l.sock");
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let mut c = nettool();
    c.args(["unix", "listen", path.to_str().unwrap()])
        .stdin(temp_file_with(b"from listener").reopen().unwrap())
        .stdout(out_file.reopen().unwrap());
    let mut server = Server::start_cmd(c);
    let out = Command::new("socat")
        .args(["-t", "10", "-"])
        .arg(format!("UNIX-CONNECT:{}", path.display()))
        .stdin(temp_file_with(b"from socat").reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, b"from listener");
    assert!(wait_until(Duration::from_secs(10), || !server.alive()));
    assert!(server.child.wait().unwrap().success());
    assert_eq!(std::fs::read(out_file.path()).unwrap(), b"from socat");
    assert!(!path.exists(), "listen removes its socket file");
}

engine_test!(stream_echo_suite_over_unix_on_every_engine, |engine| {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "e.sock");
    let mut server = serve(&path, &["--engine", engine]);
    assert_eq!(server.addr, path.display().to_string());
    assert_eq!(echo_once(&path, b"hello unix\n"), b"hello unix\n");
    // Several clients at once, each 1 MiB, byte-exact after half-close.
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let path = path.clone();
            std::thread::spawn(move || {
                let data = random_bytes(1 << 20, 100 + i);
                let mut s = UnixStream::connect(&path).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                let mut w = s.try_clone().unwrap();
                let sent = data.clone();
                let writer = std::thread::spawn(move || {
                    w.write_all(&sent).unwrap();
                    w.shutdown(std::net::Shutdown::Write).unwrap();
                });
                let mut got = Vec::new();
                s.read_to_end(&mut got).unwrap();
                writer.join().unwrap();
                got == data
            })
        })
        .collect();
    for c in clients {
        assert!(c.join().unwrap(), "engine {engine}: echo differs");
    }
    let status = server.stop();
    assert!(status.success(), "engine {engine}: {status:?}");
    let summary = server
        .wait_for_line("connections", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("engine {engine}: no summary"));
    assert!(summary.starts_with("5 connections"), "{summary}");
    assert!(
        !path.exists(),
        "engine {engine}: socket file left after SIGTERM"
    );
});

#[test]
fn abstract_names_work_with_nettool_and_socat() {
    let name = format!("@nettool-e2e-{}", std::process::id());
    let server = Server::start(&["unix", "serve", &name]);
    assert_eq!(server.addr, name);
    let out = nettool()
        .args(["unix", "connect", &name])
        .stdin(temp_file_with(b"abstract").reopen().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"abstract");
    if require("socat") {
        let out = Command::new("socat")
            .args(["-t", "5", "-"])
            .arg(format!("ABSTRACT-CONNECT:{}", &name[1..]))
            .stdin(temp_file_with(b"via socat").reopen().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.stdout, b"via socat");
    }
}

#[test]
fn peer_pid_is_the_clients_pid_in_logs_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "p.sock");
    let mut server = Server::start(&["-v", "--json", "unix", "serve", path.to_str().unwrap()]);
    let mut events = BufReader::new(server.child.stdout.take().unwrap());
    // A client process that connects and waits: its pid is what the server must report.
    let mut client = nettool()
        .args(["unix", "connect", path.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = client.id() as i64;
    let mut connect = None;
    let mut line = String::new();
    while events.read_line(&mut line).unwrap() > 0 {
        let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        if v["event"] == "connect" {
            connect = Some(v);
            break;
        }
        line.clear();
    }
    drop(client.stdin.take());
    assert!(client.wait().unwrap().success());
    let ev = connect.expect("a connect event");
    assert_eq!(ev["pid"].as_i64(), Some(pid), "{ev}");
    assert_eq!(
        ev["uid"].as_u64(),
        Some(nix::unistd::getuid().as_raw() as u64)
    );
    assert_eq!(
        ev["peer"],
        format!(
            "pid {pid} uid {} gid {}",
            nix::unistd::getuid(),
            nix::unistd::getgid()
        )
    );
}

#[test]
fn peer_pid_appears_in_verbose_text_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "v.sock");
    let server = serve(&path, &["-v"]);
    let me = std::process::id();
    assert_eq!(echo_once(&path, b"x"), b"x");
    assert!(
        server
            .wait_for_line(
                &format!("connection 1 from pid {me} uid"),
                Duration::from_secs(5)
            )
            .is_some()
    );
}

#[test]
fn overlong_path_is_a_clear_usage_error() {
    let long = format!("/tmp/{}", "a".repeat(110));
    for args in [
        vec!["unix", "serve", &long],
        vec!["unix", "connect", &long],
        vec!["unix", "listen", &long],
    ] {
        let out = nettool().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("a Unix socket path holds at most 107"),
            "{err}"
        );
    }
}

#[test]
fn peer_exiting_while_we_write_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "w.sock");
    let mut server = serve(&path, &[]);
    assert_eq!(echo_once(&path, b"warm"), b"warm");
    let (fds, rss) = (fd_count(server.pid()), rss_kib(server.pid()));
    // Clients that send a lot and vanish without reading: the server's echo writes hit
    // EPIPE/ECONNRESET for that connection only.
    for _ in 0..5 {
        let mut s = UnixStream::connect(&path).unwrap();
        // The server echoes into our full receive buffer and stops reading: stop too.
        s.set_write_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let _ = s.write_all(&random_bytes(2 << 20, 3));
        drop(s);
    }
    assert_server_recovered(&mut server, fds, rss, || {
        echo_once(&path, b"after") == b"after"
    });

    // Our client writing to a listener that exits mid-stream: exit 1, one clear line.
    let lpath = sock_path(&dir, "gone.sock");
    let listener = UnixListener::bind(&lpath).unwrap();
    let reader = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = s.read(&mut buf);
        // Closing with unread data makes the client's next writes fail.
    });
    let out = nettool()
        .args(["unix", "connect", lpath.to_str().unwrap()])
        .stdin(temp_file_with(&random_bytes(20 << 20, 4)).reopen().unwrap())
        .output()
        .unwrap();
    reader.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("nettool: "), "{err}");
    assert!(server.alive());
}
