//! `--exec` / `--sh-exec` (ncat's `-e` / `-c`) on `tcp-echo connect|listen` and
//! `unix connect|listen`: the connection is the child's stdin and stdout, against
//! ncat and socat on the other end.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{Server, nettool, random_bytes, require, temp_file_with, wait_until};

fn listen(args: &[&str]) -> Server {
    let mut full = vec!["tcp-echo", "listen", "-l", "127.0.0.1:0"];
    full.extend_from_slice(args);
    Server::start(&full)
}

#[test]
fn listen_exec_cat_echoes_100_mib_both_ways_through_socat() {
    if !require("socat") {
        return;
    }
    let server = listen(&["-e", "cat"]);
    let data = random_bytes(100 << 20, 17);
    let input = temp_file_with(&data);
    let output = tempfile::NamedTempFile::new().unwrap();
    // socat writes and reads at once; -t: wait for the echo's tail after its FIN.
    let status = Command::new("socat")
        .args([
            "-t",
            "30",
            "-b",
            "65536",
            "-",
            &format!("TCP:{}", server.addr),
        ])
        .stdin(input.reopen().unwrap())
        .stdout(output.reopen().unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let got = std::fs::read(output.path()).unwrap();
    assert_eq!(got.len(), data.len(), "every byte came back");
    use sha2::Digest;
    assert_eq!(sha2::Sha256::digest(&got), sha2::Sha256::digest(&data));
}

#[test]
fn the_child_inherits_the_connection_and_nothing_else() {
    // Two connections in turn: the second child runs while the listener is open and
    // after the first connection existed; it must see neither.
    let server = listen(&["-k", "-c", "ls -l /proc/self/fd"]);
    for _ in 0..2 {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        let mut listing = String::new();
        s.read_to_string(&mut listing).unwrap();
        let fds: Vec<(u32, String)> = listing
            .lines()
            .filter_map(|l| {
                let (left, target) = l.split_once(" -> ")?;
                let fd = left.rsplit(' ').next()?.parse().ok()?;
                Some((fd, target.to_string()))
            })
            .collect();
        assert!(!fds.is_empty(), "{listing}");
        for (fd, target) in &fds {
            match fd {
                0 | 1 => assert!(target.starts_with("socket:"), "fd {fd}: {target}"),
                2 => {}
                // ls's own handle on the directory it lists.
                3 => assert!(target.starts_with("/proc/"), "fd 3: {target}"),
                _ => panic!("the child inherited fd {fd} -> {target}\n{listing}"),
            }
        }
    }
}

#[test]
fn listen_keep_open_runs_a_child_per_client_at_the_same_time() {
    let server = listen(&["-k", "-e", "cat"]);
    let mut a = TcpStream::connect(&server.addr).unwrap();
    let mut b = TcpStream::connect(&server.addr).unwrap();
    a.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    b.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // b is answered while a is still connected: each has its own cat.
    let mut buf = [0u8; 2];
    b.write_all(b"b1").unwrap();
    b.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"b1");
    a.write_all(b"a1").unwrap();
    a.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"a1");
    drop(a);
    drop(b);
    // Both children are reaped: no zombie is left under the listener.
    let pid = server.pid();
    assert!(
        wait_until(Duration::from_secs(10), || children_of(pid).is_empty()),
        "children left: {:?}",
        children_of(pid)
    );
}

/// Pids whose parent is `pid` (zombies included).
fn children_of(pid: i32) -> Vec<i32> {
    let path = format!("/proc/{pid}/task/{pid}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

#[test]
fn the_exit_status_is_in_the_summary_and_ends_a_one_shot_listener() {
    let mut server = Server::start(&[
        "--json",
        "-v",
        "tcp-echo",
        "listen",
        "-l",
        "127.0.0.1:0",
        "-c",
        "echo bye; exit 3",
    ]);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    let mut got = String::new();
    s.read_to_string(&mut got).unwrap();
    assert_eq!(got, "bye\n");
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "a failed child fails the listener");
    let records = String::from_utf8(server.stdout_bytes()).unwrap();
    let summary = records
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r["event"] == "exit")
        .expect("exit record");
    assert_eq!(summary["exit_code"], 3);
    assert_eq!(summary["command"], "echo bye; exit 3");
    assert!(summary["pid"].as_u64().is_some());
}

#[test]
fn connect_exec_serves_an_ncat_listener() {
    if !require("ncat") {
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let input = temp_file_with(b"hello world\n");
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut ncat = Command::new("ncat")
        .args(["-l", "127.0.0.1", &port.to_string()])
        .stdin(input.reopen().unwrap())
        .stdout(out.reopen().unwrap())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    // ncat takes one connection: retry ours until it listens (refused until then).
    let mut result = None;
    assert!(wait_until(Duration::from_secs(10), || {
        let o = nettool()
            .args(["-v", "tcp-echo", "connect", "-c", "tr a-z A-Z", &addr])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let refused = String::from_utf8_lossy(&o.stderr).contains("connection refused");
        result = Some(o);
        !refused
    }));
    let o = result.unwrap();
    assert!(o.status.success(), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("\"tr a-z A-Z\" (pid "), "{err}");
    assert!(err.contains("exited with status 0"), "{err}");
    assert!(ncat.wait().unwrap().success());
    assert_eq!(std::fs::read(out.path()).unwrap(), b"HELLO WORLD\n");
}

#[test]
fn connect_exec_failure_is_exit_1() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let t = std::thread::spawn(move || drop(l.accept().unwrap()));
    let o = nettool()
        .args(["tcp-echo", "connect", "-c", "exit 7", &addr])
        .output()
        .unwrap();
    t.join().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "nettool: \"exit 7\" exited with status 7\n"
    );
    let o = nettool()
        .args(["tcp-echo", "connect", "-e", "/nonexistent/prog", ":1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
}

#[test]
fn unix_listen_exec_with_socat_and_unix_connect_exec() {
    if !require("socat") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.sock");
    let p = path.to_str().unwrap();
    let server = Server::start(&["unix", "listen", "-k", "-c", "tr a-z A-Z", p]);
    let out = Command::new("socat")
        .args(["-t", "10", "-", &format!("UNIX-CONNECT:{p}")])
        .stdin(temp_file_with(b"unix\n").reopen().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"UNIX\n", "{out:?}");
    drop(server);

    let path2 = dir.path().join("y.sock");
    let l = UnixListener::bind(&path2).unwrap();
    let peer = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.write_all(b"b\na\n").unwrap();
        s.shutdown(std::net::Shutdown::Write).unwrap();
        let mut got = String::new();
        s.read_to_string(&mut got).unwrap();
        got
    });
    let o = nettool()
        .args(["unix", "connect", "-e", "sort", path2.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(peer.join().unwrap(), "a\nb\n");
}
