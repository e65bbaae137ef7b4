//! The socket file: a stale one replaced, a live one refused, a regular file or a
//! directory never touched, `--mode` in force from bind(2) on, removal on signals.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{echo_once, serve, sock_path};
use crate::util::{Server, nettool, require, wait_until};

#[test]
fn stale_file_is_replaced_live_one_refused_regular_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "s.sock");
    // A crashed server's leftover: std does not remove the file when the listener drops.
    drop(UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    let server = serve(&path, &["-v"]);
    assert!(
        server
            .wait_for_line("replaced a stale socket file", Duration::from_secs(5))
            .is_some()
    );
    assert_eq!(echo_once(&path, b"fresh"), b"fresh");

    let out = nettool()
        .args(["unix", "serve", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in use by a running server"), "{err}");
    assert_eq!(echo_once(&path, b"still mine"), b"still mine");

    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, b"precious").unwrap();
    let out = nettool()
        .args(["unix", "serve", plain.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is a regular file, not a socket; not touching it"),
        "{err}"
    );
    assert_eq!(std::fs::read(&plain).unwrap(), b"precious");
    let out = nettool()
        .args(["unix", "serve", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
}

#[test]
fn mode_is_set_and_never_wider_at_bind_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = sock_path(&dir, "m.sock");
    {
        let _server = serve(&path, &["--mode", "0600"]);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o600, "stat shows {mode:o}");
    }
    // An abstract name has no file to chmod: a usage error, not a silent no-op.
    let out = nettool()
        .args(["unix", "serve", "@nettool-mode", "--mode", "0600"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("abstract name"));
    // The file is created with the right mode: the umask is narrowed before bind(2).
    if !require("strace") {
        return;
    }
    let path = sock_path(&dir, "m2.sock");
    let trace = dir.path().join("trace");
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-e", "trace=umask,bind", "-o"])
        .arg(&trace)
        .arg(crate::util::bin())
        .args(["unix", "serve", path.to_str().unwrap(), "--mode", "0640"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let mut server = Server::start_cmd(cmd);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o640);
    // SIGTERM goes to nettool itself (strace's child), then strace exits with it.
    let children = std::fs::read_to_string(format!(
        "/proc/{}/task/{}/children",
        server.pid(),
        server.pid()
    ))
    .unwrap();
    let pid: i32 = children.split_whitespace().next().unwrap().parse().unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert!(wait_until(Duration::from_secs(10), || !server.alive()));
    let log = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let umask = lines.iter().position(|l| l.contains("umask(0137)"));
    let bind = lines
        .iter()
        .position(|l| l.contains("bind(") && l.contains("m2.sock"));
    let restore = lines.iter().rposition(|l| l.contains("umask("));
    assert!(
        matches!((umask, bind, restore), (Some(u), Some(b), Some(r)) if u < b && b < r),
        "umask must be narrowed before bind and restored after:\n{log}"
    );
}

#[test]
fn socket_file_removed_after_sigterm_and_sigint() {
    for sig in [
        nix::sys::signal::Signal::SIGTERM,
        nix::sys::signal::Signal::SIGINT,
    ] {
        for extra in [&[][..], &["--dgram"][..]] {
            let dir = tempfile::tempdir().unwrap();
            let path = sock_path(&dir, "t.sock");
            let mut server = serve(&path, extra);
            assert!(path.exists());
            server.signal(sig);
            assert!(wait_until(Duration::from_secs(10), || !server.alive()));
            assert!(server.child.wait().unwrap().success(), "{sig:?} {extra:?}");
            assert!(!path.exists(), "{sig:?} {extra:?}: socket file left behind");
        }
    }
}
