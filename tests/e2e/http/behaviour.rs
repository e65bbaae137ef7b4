//! Every documented behaviour, mostly through curl: statuses, headers, byte-exact
//! bodies, conditional requests, ranges, redirects, listings, limits, keep-alive,
//! pipelining, options, the access log and a clean SIGTERM.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::{Fixture, base, curl, get, parse_responses, raw, raw_expect_close, raw_one};
use crate::engines::all_engines;
use crate::util::require;

/// Response headers of `curl -D - -o /dev/null ARGS`, as (status, head).
fn head_of(args: &[&str]) -> (u16, String) {
    let mut a = vec!["-D", "-", "-o", "/dev/null"];
    a.extend_from_slice(args);
    let out = curl(&a);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn files_headers_and_bodies_are_exact() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let url = base(&s);
        let out = curl(&[&format!("{url}hello.txt")]);
        assert_eq!(out.stdout, b"hello, world\n", "engine {engine}");
        let out = curl(&[&format!("{url}data.bin")]);
        assert!(out.stdout == f.data, "engine {engine}: data.bin differs");
        let (status, h) = head_of(&[&format!("{url}hello.txt")]);
        assert_eq!(status, 200);
        assert_eq!(
            header(&h, "content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(header(&h, "content-length"), Some("13"));
        assert!(
            header(&h, "etag").is_some_and(|e| e.starts_with('"')),
            "{h}"
        );
        assert!(
            header(&h, "last-modified").is_some_and(|d| d.ends_with("GMT")),
            "{h}"
        );
        assert!(header(&h, "date").is_some());
        let (_, h) = head_of(&[&format!("{url}data.bin")]);
        assert_eq!(header(&h, "content-type"), Some("application/octet-stream"));
        let (status, _) = head_of(&[&format!("{url}missing")]);
        assert_eq!(status, 404);
        // Percent-decoding in file names: spaces, #, %, any script.
        std::fs::write(f.root().join("a b#c%d 中文.txt"), "odd name\n").unwrap();
        let out = curl(&[&format!(
            "{url}a%20b%23c%25d%20%E4%B8%AD%E6%96%87.txt?ignored=1"
        )]);
        assert_eq!(out.stdout, b"odd name\n", "engine {engine}");
    }
}

#[test]
fn head_has_headers_and_no_body() {
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let got = raw(
            s.socket_addr(),
            b"HEAD /data.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        );
        let text = String::from_utf8_lossy(&got);
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains(&format!("Content-Length: {}\r\n", f.data.len())));
        assert!(got.ends_with(b"\r\n\r\n"), "HEAD sent a body on {engine}");
    }
}

#[test]
fn conditional_requests_get_304() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let url = format!("{}hello.txt", base(&s));
        let (_, h) = head_of(&[&url]);
        let etag = header(&h, "etag").unwrap().to_string();
        let lm = header(&h, "last-modified").unwrap().to_string();
        let (st, h304) = head_of(&["-H", &format!("If-None-Match: {etag}"), &url]);
        assert_eq!(st, 304, "engine {engine}");
        assert_eq!(header(&h304, "etag"), Some(etag.as_str()));
        let (st, _) = head_of(&["-H", "If-None-Match: \"other\"", &url]);
        assert_eq!(st, 200);
        let (st, _) = head_of(&["-H", &format!("If-Modified-Since: {lm}"), &url]);
        assert_eq!(st, 304);
        let (st, _) = head_of(&[
            "-H",
            "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT",
            &url,
        ]);
        assert_eq!(st, 200);
        // A 304 carries no body even on a kept-alive connection.
        let r = raw_one(
            s.socket_addr(),
            format!("GET /hello.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!((r.status, r.body.len()), (304, 0));
    }
}

#[test]
fn ranges_give_206_and_416() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let url = format!("{}data.bin", base(&s));
        let out = curl(&["-r", "1000-1999", &url]);
        assert!(out.stdout == f.data[1000..2000], "engine {engine}");
        let out = curl(&["-H", "Range: bytes=-100", &url]);
        assert!(out.stdout == f.data[f.data.len() - 100..]);
        let out = curl(&["-r", "3145000-", &url]);
        assert!(out.stdout == f.data[3_145_000..]);
        let (st, h) = head_of(&["-r", "10-19", &url]);
        assert_eq!(st, 206);
        assert_eq!(
            header(&h, "content-range"),
            Some(format!("bytes 10-19/{}", f.data.len()).as_str())
        );
        assert_eq!(header(&h, "content-length"), Some("10"));
        let (st, h) = head_of(&["-r", "99999999-", &url]);
        assert_eq!(st, 416);
        assert_eq!(
            header(&h, "content-range"),
            Some(format!("bytes */{}", f.data.len()).as_str())
        );
        // Several ranges: the whole file with 200 (documented).
        let (st, h) = head_of(&["-r", "0-1,5-6", &url]);
        assert_eq!(st, 200);
        assert_eq!(
            header(&h, "content-length"),
            Some(f.data.len().to_string().as_str())
        );
        // If-Range with a stale validator: the whole file.
        let (st, _) = head_of(&["-r", "0-1", "-H", "If-Range: \"stale\"", &url]);
        assert_eq!(st, 200);
    }
}

#[test]
fn directories_redirect_index_and_list() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let url = base(&s);
        let (st, h) = head_of(&[&format!("{url}sub")]);
        assert_eq!(st, 301, "engine {engine}");
        assert_eq!(header(&h, "location"), Some("/sub/"));
        std::fs::create_dir_all(f.root().join("sp ace#/x")).unwrap();
        let (_, h) = head_of(&[&format!("{url}sp%20ace%23?q=1")]);
        assert_eq!(header(&h, "location"), Some("/sp%20ace%23/"));
        let out = curl(&["-L", &format!("{url}withindex")]);
        assert_eq!(out.stdout, b"<p>index page</p>\n");
        let html = String::from_utf8(curl(&[&format!("{url}sub/")]).stdout).unwrap();
        assert!(
            html.contains("<a href=\"./inner.txt\">inner.txt</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"../\">"), "parent link: {html}");
        let root = String::from_utf8(curl(&[&url]).stdout).unwrap();
        assert!(!root.contains("href=\"../\""), "no parent above the root");
        let dirs_first = root.find("./DIR/").unwrap() < root.find("./data.bin").unwrap();
        assert!(dirs_first, "{root}");
        assert!(root.contains("3.0 MiB"), "human size: {root}");
        assert!(!root.contains(".hidden"), "dotfile listed");
        let (_, h) = head_of(&[&url]);
        assert_eq!(header(&h, "content-type"), Some("text/html; charset=utf-8"));
        let json = curl(&["-H", "Accept: application/json", &format!("{url}sub/")]);
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["path"], "/sub/");
        assert_eq!(v["entries"][0]["name"], "inner.txt");
        assert_eq!(v["entries"][0]["size"], 6);
        assert_eq!(v["entries"][0]["href"], "./inner.txt");
    }
}

#[test]
fn listing_follows_directory_changes() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve("thread", &[]);
    let url = format!("{}sub/", base(&s));
    // Make the directory look settled so its listing is cached, then change it.
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    std::fs::File::open(f.root().join("sub"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let first = String::from_utf8(curl(&[&url]).stdout).unwrap();
    assert!(!first.contains("new.txt"));
    std::fs::write(f.root().join("sub/new.txt"), "n").unwrap();
    let second = String::from_utf8(curl(&[&url]).stdout).unwrap();
    assert!(second.contains("./new.txt"), "stale listing: {second}");
}

#[test]
fn methods_and_malformed_requests() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let url = format!("{}hello.txt", base(&s));
        for m in ["POST", "PUT", "DELETE", "OPTIONS", "BREW"] {
            let (st, h) = head_of(&["-X", m, &url]);
            assert_eq!(st, 405, "{m} on {engine}");
            assert_eq!(header(&h, "allow"), Some("GET, HEAD"));
        }
        let r = get(s.socket_addr(), b"/%zz");
        assert_eq!(r.status, 400);
        let long = format!("{}{}", base(&s), "a".repeat(10_000));
        assert_eq!(head_of(&[&long]).0, 414);
        let big = format!("X-Big: {}", "b".repeat(20_000));
        assert_eq!(head_of(&["-H", &big, &url]).0, 431);
        let many: Vec<String> = (0..70).map(|i| format!("X-H{i}: v")).collect();
        let mut args: Vec<&str> = many.iter().flat_map(|h| ["-H", h.as_str()]).collect();
        args.push(&url);
        assert_eq!(head_of(&args).0, 431);
    }
}

#[test]
fn keep_alive_connection_close_and_http_1_0() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
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
    }
}

#[test]
fn pipelined_requests_on_one_connection() {
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &[]);
        let mut req = Vec::new();
        let mut heads = Vec::new();
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
                    expect.push((404, b"404 Not Found\n".to_vec()));
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
    }
}

#[test]
fn options_index_listing_hidden_symlinks() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    std::fs::write(f.root().join("sub/home.htm"), "home\n").unwrap();
    for engine in all_engines() {
        let s = f.serve(
            &engine,
            &["--no-listing", "--hidden", "--index", "home.htm"],
        );
        let url = base(&s);
        assert_eq!(head_of(&[&url]).0, 403, "--no-listing on {engine}");
        assert_eq!(curl(&[&format!("{url}sub/")]).stdout, b"home\n");
        assert_eq!(curl(&[&format!("{url}.hidden")]).stdout, b"dotfile\n");
        assert_eq!(head_of(&[&format!("{url}withindex/")]).0, 403);
        assert_eq!(head_of(&[&format!("{url}link_out")]).0, 403);
        assert_eq!(curl(&[&format!("{url}link_in")]).stdout, b"hello, world\n");
        let s = f.serve(&engine, &["--follow-symlinks"]);
        let out = curl(&[&format!("{}link_out", base(&s))]);
        assert_eq!(out.stdout, super::SECRET.as_bytes(), "--follow-symlinks");
    }
}

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

#[test]
fn max_connections_answers_503() {
    let f = Fixture::new();
    for engine in all_engines() {
        let s = f.serve(&engine, &["--max-connections", "1"]);
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
    }
}

#[test]
fn workers_share_the_port() {
    let f = Fixture::new();
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["--workers", "3"]);
        for _ in 0..30 {
            assert_eq!(get(s.socket_addr(), b"/hello.txt").status, 200);
        }
        assert!(s.stop().success());
        let summary = s
            .wait_for_line("connections", Duration::from_secs(5))
            .unwrap();
        assert!(summary.starts_with("30 connections"), "{summary}");
    }
}

#[test]
fn sigterm_finishes_the_response_in_flight() {
    let f = Fixture::new();
    let big = crate::util::random_bytes(24 << 20, 7);
    std::fs::write(f.root().join("big.bin"), &big).unwrap();
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q"]);
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
    }
}

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
