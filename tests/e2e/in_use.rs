//! `EADDRINUSE` diagnosed: a refused bind asks the socket table who holds the address
//! and says it in the one error line — the TIME-WAIT socket an active close left (and
//! that `--no-reuseaddr` is why it matters), or the pid of the listener already there
//! (a nettool, a socat) — with exit status 1, and the same words in the `--json`
//! error record.

use std::io::Read;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::{Server, must_end_within, nettool, require, wait_until};

/// Run nettool with `args`; its exit code and its stderr, which must be one line.
fn refused(args: &[&str]) -> (Option<i32>, String) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    (out.status.code(), err)
}

/// Run nettool with `args`, bounded: a bind that worked would serve for ever.
fn run(args: &[&str]) -> std::process::Output {
    let mut cmd = nettool();
    cmd.args(args).stdin(Stdio::null());
    must_end_within(cmd, Duration::from_secs(20))
}

/// The `--json` run's last record: the error, with its message.
fn json_error(args: &[&str]) -> serde_json::Value {
    let out = run(&[&["--json"], args].concat());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_else(|| panic!("no records"));
    let rec: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(rec["event"], "error", "{rec}");
    assert_eq!(rec["exit_code"], 1, "{rec}");
    rec
}

#[test]
fn a_restart_after_an_active_close_names_the_time_wait_socket_and_the_fix() {
    // The server closes first (idle timeout): the TIME-WAIT is on the server's port.
    let mut server = Server::start(&[
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--idle-timeout",
        "50ms",
    ]);
    let addr = server.host_port();
    let mut c = TcpStream::connect(server.socket_addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut b = [0u8; 1];
    assert_eq!(
        c.read(&mut b).unwrap(),
        0,
        "the server closes the idle client"
    );
    drop(c);
    assert!(server.stop().success());
    let restart = ["tcp-echo", "serve", "--no-reuseaddr", "-l", &addr];
    let (code, err) = refused(&restart);
    assert_eq!(code, Some(1), "{err}");
    let head =
        format!("nettool: address {addr} in use: held by a TIME-WAIT socket {addr} ↔ 127.0.0.1:");
    let tail = " s left (2 MSL); SO_REUSEADDR is off (--no-reuseaddr) — leave out \
                --no-reuseaddr or wait\n";
    assert!(err.starts_with(&head) && err.ends_with(tail), "{err}");
    let left: u64 = err[..err.len() - tail.len()]
        .rsplit(", ")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("seconds left in {err}"));
    assert!(left <= 60, "{err}");
    let rec = json_error(&restart);
    assert_eq!(
        format!("nettool: {}\n", rec["message"].as_str().unwrap())[..head.len()],
        head
    );
    // The fix works: with SO_REUSEADDR (the default) the same port binds at once.
    let again = Server::start(&["tcp-echo", "serve", "-l", &addr]);
    assert_eq!(again.host_port(), addr);
}

#[test]
fn a_second_listener_names_the_first_ones_pid() {
    let first = Server::start(&["serve-http", "-l", "127.0.0.1:0"]);
    let addr = first.host_port();
    let want = format!(
        "address {addr} in use: pid {} (nettool) is listening there — stop it or pick another port",
        first.pid()
    );
    for args in [
        &["tcp-echo", "serve", "-l", &addr][..],
        &["tcp-echo", "listen", "-l", &addr],
        &["heartbeat", "serve", "-l", &addr],
        &["serve-http", "-l", &addr],
    ] {
        let (code, err) = refused(args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert_eq!(err, format!("nettool: {want}\n"), "{args:?}");
    }
    let rec = json_error(&["tcp-echo", "serve", "-l", &addr]);
    assert_eq!(rec["message"], want.as_str());
}

/// A socat listening on a free port of 127.0.0.1, killed on drop.
struct Socat(Child, u16);

impl Drop for Socat {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn socat_listener() -> Socat {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("socat")
        .args([
            &format!("TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork"),
            "EXEC:cat",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let s = Socat(child, port);
    let ready = wait_until(Duration::from_secs(5), || {
        let out = run(&["--json", "stat", "-tl", "--sport", &port.to_string()]);
        String::from_utf8_lossy(&out.stdout).contains("LISTEN")
    });
    assert!(ready, "socat never listened on {port}");
    s
}

#[test]
fn a_socat_listener_is_named_with_its_pid_and_name() {
    if !require("socat") {
        return;
    }
    let socat = socat_listener();
    let addr = format!("127.0.0.1:{}", socat.1);
    let (code, err) = refused(&["tcp-echo", "serve", "-l", &addr]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "nettool: address {addr} in use: pid {} (socat) is listening there — stop it or \
             pick another port\n",
            socat.0.id()
        )
    );
    // A wildcard bind of the same port collides with it too, and says where it is.
    let (_, err) = refused(&["tcp-echo", "serve", "-l", &format!("0.0.0.0:{}", socat.1)]);
    assert!(
        err.contains(&format!("(socat) is listening there (on {addr})")),
        "{err}"
    );
}
