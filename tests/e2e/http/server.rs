//! The server side of serve-http: keep-alive, HTTP/1.0, pipelining, the connection
//! limit, workers, a clean SIGTERM, the access log, IPv6 and argument errors.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::{Fixture, base, curl, get, parse_responses, raw_expect_close};
use crate::engines::engine_test;
use crate::util::require;

engine_test!(keep_alive_connection_close_and_http_1_0, except [iterative] because "one client at a time: the test holds a connection open while it needs another served", |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
    let url = base(&s);
    // curl reuses the connection for the second URL: 0 new connects.
    let out = curl(&[
        "-o",
        "/dev/null",
        "-o",
        "/dev/null",
        "-w",
        "%{num_connects} ",
        &format!("{url}hello.txt"),
        &format!("{url}sub/inner.txt"),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1 0 ",
        "engine {engine}"
    );
    let (got, closed) = raw_expect_close(
        s.socket_addr(),
        b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert!(closed, "Connection: close kept open on {engine}");
    assert!(String::from_utf8_lossy(&got).contains("Connection: close\r\n"));
    // HTTP/1.1 keeps the connection by default and needs no header to say so.
    let mut c = TcpStream::connect(s.socket_addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = c.read(&mut buf).unwrap();
    let head = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
    assert!(
        head.starts_with("http/1.1 200") && !head.contains("connection:"),
        "{head}"
    );
    let (_, closed) = raw_expect_close(s.socket_addr(), b"GET /hello.txt HTTP/1.0\r\n\r\n");
    assert!(closed, "HTTP/1.0 kept open on {engine}");
    let mut c = TcpStream::connect(s.socket_addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = c.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("Connection: keep-alive"));
    c.write_all(b"GET /sub/inner.txt HTTP/1.0\r\n\r\n").unwrap();
    let mut rest = Vec::new();
    c.read_to_end(&mut rest).unwrap();
    assert!(rest.ends_with(b"inner\n"));
});

engine_test!(pipelined_requests_on_one_connection, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
    let mut req = Vec::new();
    let mut heads = Vec::new();
    let not_found = get(s.socket_addr(), b"/nope").body;
    assert!(String::from_utf8_lossy(&not_found).contains("<title>404 Not Found</title>"));
    let mut expect: Vec<(u16, Vec<u8>)> = Vec::new();
    for i in 0..60 {
        match i % 4 {
            0 => {
                req.extend_from_slice(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
                expect.push((200, b"hello, world\n".to_vec()));
            }
            1 => {
                req.extend_from_slice(
                    b"GET /data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=5-9\r\n\r\n",
                );
                expect.push((206, f.data[5..10].to_vec()));
            }
            2 => {
                req.extend_from_slice(b"HEAD /data.bin HTTP/1.1\r\nHost: t\r\n\r\n");
                expect.push((200, Vec::new()));
            }
            _ => {
                req.extend_from_slice(b"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
                expect.push((404, not_found.clone()));
            }
        }
        heads.push(i % 4 == 2);
    }
    req.extend_from_slice(b"GET /data.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    heads.push(false);
    expect.push((200, f.data.clone()));
    let (got, closed) = raw_expect_close(s.socket_addr(), &req);
    assert!(closed, "engine {engine}");
    let resps = parse_responses(&got, &heads);
    for (i, (r, (st, body))) in resps.iter().zip(&expect).enumerate() {
        assert_eq!(r.status, *st, "response {i} on {engine}");
        assert!(r.body == *body, "body {i} on {engine}");
    }
});

#[test]
fn access_log_lines_and_quiet() {
    let f = Fixture::new();
    let s = f.serve("thread", &[]);
    get(s.socket_addr(), b"/hello.txt?x=1");
    let line = s
        .wait_for_line("GET /hello.txt", Duration::from_secs(5))
        .expect("access log line");
    assert!(line.starts_with("127.0.0.1:"), "{line}");
    assert!(line.contains(" 200 13 "), "{line}");
    assert!(line.ends_with("ms"), "{line}");
    let root = f.root();
    let json = crate::util::Server::start(&[
        "--json",
        "serve-http",
        root.to_str().unwrap(),
        "-l",
        "127.0.0.1:0",
    ]);
    get(json.socket_addr(), b"/missing");
    let mut child = json;
    let stdout = child.child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout);
    let mut found = None;
    for _ in 0..5 {
        let mut l = String::new();
        if std::io::BufRead::read_line(&mut lines, &mut l).unwrap() == 0 {
            break;
        }
        let v: serde_json::Value = serde_json::from_str(&l).unwrap();
        if v["event"] == "request" {
            found = Some(v);
            break;
        }
    }
    let v = found.expect("a JSON request event");
    assert_eq!(v["status"], 404);
    assert_eq!(v["method"], "GET");
    assert_eq!(v["path"], "/missing");
    let quiet = crate::util::Server::start(&[
        "-q",
        "serve-http",
        root.to_str().unwrap(),
        "-l",
        "127.0.0.1:0",
    ]);
    get(quiet.socket_addr(), b"/hello.txt");
    assert!(
        quiet
            .wait_for_line("hello", Duration::from_millis(300))
            .is_none()
    );
}

engine_test!(max_connections_answers_503, except [iterative] because "one client at a time: a second client waits in the backlog, it is never refused", |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["--max-connections", "1"]);
    let mut first = TcpStream::connect(s.socket_addr()).unwrap();
    first
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    first
        .write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 1024];
    assert!(first.read(&mut buf).unwrap() > 0);
    let (got, closed) = raw_expect_close(s.socket_addr(), b"");
    assert!(closed);
    assert!(
        got.starts_with(b"HTTP/1.1 503 "),
        "engine {engine}: {:?}",
        String::from_utf8_lossy(&got)
    );
    drop(first);
    assert!(crate::util::wait_until(Duration::from_secs(5), || {
        get(s.socket_addr(), b"/hello.txt").status == 200
    }));
});

engine_test!(workers_share_the_port, |engine| {
    let f = Fixture::new();
    if engine == "fork" {
        let out = crate::util::nettool()
            .args([
                "serve-http",
                "--workers",
                "3",
                "--engine",
                "fork",
                "-l",
                "127.0.0.1:0",
            ])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "fork with workers must be refused"
        );
        return;
    }
    let mut s = f.serve(engine, &["--workers", "3"]);
    for _ in 0..30 {
        assert_eq!(get(s.socket_addr(), b"/hello.txt").status, 200);
    }
    assert!(s.stop().success());
    let summary = s
        .wait_for_line("connections", Duration::from_secs(5))
        .unwrap();
    assert!(summary.starts_with("30 connections"), "{summary}");
});

engine_test!(sigterm_finishes_the_response_in_flight, |engine| {
    let f = Fixture::new();
    let big = crate::util::random_bytes(24 << 20, 7);
    std::fs::write(f.root().join("big.bin"), &big).unwrap();
    let mut s = f.serve(engine, &["-q"]);
    let mut c = TcpStream::connect(s.socket_addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut got = vec![0u8; 64 * 1024];
    let n = c.read(&mut got).unwrap();
    got.truncate(n);
    s.signal(nix::sys::signal::Signal::SIGTERM);
    c.read_to_end(&mut got).unwrap();
    let body_at = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(got.len() - body_at, big.len(), "engine {engine}");
    assert!(got[body_at..] == big[..]);
    assert!(crate::util::wait_until(Duration::from_secs(10), || !s.alive()));
    assert!(s.child.wait().unwrap().success(), "exit status on {engine}");
});

#[test]
fn bad_arguments_say_so_in_one_line() {
    let out = crate::util::nettool()
        .args(["serve-http", "/nonexistent-dir-xyz", "-l", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("nettool: serve /nonexistent-dir-xyz: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = crate::util::nettool()
        .args([
            "serve-http",
            ".",
            "-l",
            "127.0.0.1:0",
            "--header-timeout",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ipv6_and_the_json_listening_event() {
    let f = Fixture::new();
    let root = f.root();
    let mut s = crate::util::Server::start(&[
        "--json",
        "serve-http",
        root.to_str().unwrap(),
        "-l",
        "[::1]:0",
    ]);
    assert!(
        s.addr.starts_with("http://[::1]:") && s.addr.ends_with('/'),
        "{}",
        s.addr
    );
    let r = get(s.socket_addr(), b"/hello.txt");
    assert_eq!(r.status, 200);
    let stdout = s.child.stdout.take().unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut first).unwrap();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["event"], "listening");
    assert_eq!(v["proto"], "http");
    assert_eq!(v["addr"].as_str(), Some(s.addr.as_str()));
}

#[test]
fn status_is_coloured_only_when_asked() {
    let f = Fixture::new();
    let root = f.root();
    let mut cmd = crate::util::nettool();
    cmd.env_remove("NO_COLOR")
        .args([
            "--color",
            "always",
            "serve-http",
            root.to_str().unwrap(),
            "-l",
            "127.0.0.1:0",
        ])
        .stdin(std::process::Stdio::null());
    let s = crate::util::Server::start_cmd(cmd);
    get(s.socket_addr(), b"/hello.txt");
    get(s.socket_addr(), b"/%1b[31mnope");
    let ok = s
        .wait_for_line("GET /hello.txt", Duration::from_secs(5))
        .unwrap();
    assert!(ok.contains("\x1b[32m200\x1b[0m"), "{ok:?}");
    let miss = s.wait_for_line("nope", Duration::from_secs(5)).unwrap();
    let (path_part, _) = miss.split_once(" \x1b[").unwrap();
    assert!(!path_part.contains('\x1b'), "{miss:?}");
}
