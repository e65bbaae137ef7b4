//! Ready means ready: a server or listener prints `listening on` (its JSON `listening`
//! record) only after every setup step that can fail has succeeded, so a script that
//! waits for the line never gets a dead server. A setup failure is a one-line error,
//! a non-zero status and no ready line at all.

use crate::engines::engine_test;
use crate::util::nettool;

/// Run `nettool ARGS…`, which must fail during setup: (exit code, stderr).
fn fails_before_ready(args: &[&str]) -> (i32, String) {
    let out = nettool()
        .arg("--json")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stderr.contains("listening on") && !stdout.contains("\"listening\""),
        "{args:?} announced itself before failing: {stderr}{stdout}"
    );
    assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

/// A `-x` dump file that cannot be created.
const NO_DUMP: &str = "/proc/nope/dump";

fn dump_refused(args: &[&str]) {
    let mut all = args.to_vec();
    all.extend(["-x", NO_DUMP]);
    let (code, stderr) = fails_before_ready(&all);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(NO_DUMP), "{stderr}");
}

engine_test!(tcp_echo_serve_opens_its_dump_first, |engine| {
    dump_refused(&["tcp-echo", "serve", "-l", "127.0.0.1:0", "--engine", engine]);
});

engine_test!(unix_serve_opens_its_dump_first, |engine| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sock");
    let path = path.to_str().unwrap();
    dump_refused(&["unix", "serve", path, "--engine", engine]);
    assert!(
        !std::path::Path::new(path).exists(),
        "a server that never started left its socket file"
    );
});

engine_test!(heartbeat_serve_opens_its_dump_first, |engine| {
    dump_refused(&[
        "heartbeat",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        engine,
    ]);
});

engine_test!(serve_http_opens_its_dump_first, |engine| {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    dump_refused(&["serve-http", root, "-l", "127.0.0.1:0", "--engine", engine]);
});

#[test]
fn listeners_open_their_dump_first() {
    dump_refused(&["tcp-echo", "listen", "-l", "127.0.0.1:0"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.sock");
    dump_refused(&["unix", "listen", path.to_str().unwrap()]);
    dump_refused(&["unix", "listen", "--dgram", path.to_str().unwrap()]);
    assert!(
        !path.exists(),
        "a listener that never started left its socket file"
    );
    dump_refused(&["udp", "recv", "-l", "127.0.0.1:0"]);
}

#[test]
fn what_an_engine_cannot_do_is_refused_before_the_ready_line() {
    for server in [
        &["tcp-echo", "serve"][..],
        &["heartbeat", "serve"],
        &["serve-http", "."],
    ] {
        let mut args = server.to_vec();
        args.extend(["-l", "127.0.0.1:0", "--engine", "fork", "--workers", "2"]);
        let (code, stderr) = fails_before_ready(&args);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("cannot be combined with --engine fork"),
            "{stderr}"
        );
    }
}

#[test]
fn a_bind_failure_is_not_announced() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    for args in [
        &["tcp-echo", "serve", "-l", &addr, "--no-reuseaddr"][..],
        &["tcp-echo", "listen", "-l", &addr],
        &["heartbeat", "serve", "-l", &addr],
    ] {
        let (code, stderr) = fails_before_ready(args);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains(&format!(
                "address {addr} in use: pid {} (",
                std::process::id()
            )),
            "{stderr}"
        );
    }
}
