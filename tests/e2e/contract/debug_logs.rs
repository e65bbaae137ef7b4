//! `-vv` turns on debug lines that show the decisions behind a socket: how an address
//! was resolved, every socket call with its options and result, the engine and its
//! limits. `-v` alone shows none of them.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::util::nettool;

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn a_client_shows_resolution_and_each_socket_call() {
    let port = closed_port();
    let out = nettool()
        .args(["-vv", "tcp-echo", "connect", &format!("localhost:{port}")])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for want in [
        format!("nettool: debug: address localhost:{port} (any family allowed) is "),
        "(getaddrinfo(3))".to_string(),
        "nettool: debug: socket(AF_INET".to_string(),
        format!("sin_port=htons({port}), sin_addr=inet_addr(\"127.0.0.1\")}}) = -1 ECONNREFUSED"),
    ] {
        assert!(err.contains(&want), "missing {want:?} in:\n{err}");
    }
    let named = nettool()
        .args(["-vv", "--dry-run", "tcp-echo", "connect", "localhost:http"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&named.stderr);
    assert!(
        err.contains("nettool: debug: service http/tcp is port 80 (/etc/services)"),
        "{err}"
    );

    let quiet = nettool()
        .args(["-v", "tcp-echo", "connect", &format!("localhost:{port}")])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&quiet.stderr);
    assert!(!err.contains("debug:"), "-v shows debug lines:\n{err}");
}

#[test]
fn a_server_shows_its_options_engine_and_limits() {
    let mut child = nettool()
        .args([
            "-vv",
            "tcp-echo",
            "serve",
            "-l",
            "127.0.0.1:0",
            "--max-connections",
            "7",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let engine = line.contains("debug: engine epoll-et:");
        seen.push(line);
        if engine {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = seen.join("\n");
    // The listener's descriptor is whatever socket(2) returned (the signal pipe of the
    // one Shutdown is made first).
    let fd = text
        .lines()
        .find_map(|l| {
            l.strip_prefix(
                "nettool: debug: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = ",
            )
        })
        .unwrap_or_else(|| panic!("no socket(2) line in:\n{text}"));
    for want in [
        format!("nettool: debug: setsockopt({fd}, SOL_SOCKET, SO_REUSEADDR, 1) = 0"),
        format!(
            "nettool: debug: bind({fd}, {{sin_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}}) = 0"
        ),
        format!("nettool: debug: listen({fd}, 4096) = 0"),
        "listening on 127.0.0.1:".into(),
        "nettool: debug: RLIMIT_NOFILE: soft ".into(),
        "nettool: debug: engine epoll-et: at most 7 connections, idle timeout none, hex dump off"
            .into(),
    ] {
        assert!(text.contains(&want), "missing {want:?} in:\n{text}");
    }
}
