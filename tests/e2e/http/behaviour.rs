//! Every documented behaviour, mostly through curl: statuses, headers, byte-exact
//! bodies, conditional requests, ranges, redirects, listings, limits and options.

use super::{Fixture, base, curl, get, raw, raw_one};
use crate::engines::engine_test;
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

engine_test!(files_headers_and_bodies_are_exact, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
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
});

engine_test!(head_has_headers_and_no_body, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
    let got = raw(
        s.socket_addr(),
        b"HEAD /data.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains(&format!("Content-Length: {}\r\n", f.data.len())));
    assert!(got.ends_with(b"\r\n\r\n"), "HEAD sent a body on {engine}");
});

engine_test!(conditional_requests_get_304, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
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
        format!("GET /hello.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n\r\n").as_bytes(),
    );
    assert_eq!((r.status, r.body.len()), (304, 0));
});

engine_test!(ranges_give_206_and_416, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
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
    // Several ranges: multipart/byteranges (curl asks for them with -r).
    let (st, h) = head_of(&["-r", "0-1,500-600", &url]);
    assert_eq!(st, 206);
    assert!(
        header(&h, "content-type")
            .is_some_and(|t| t.starts_with("multipart/byteranges; boundary=")),
        "{h}"
    );
    // If-Range with a stale validator: the whole file.
    let (st, _) = head_of(&["-r", "0-1", "-H", "If-Range: \"stale\"", &url]);
    assert_eq!(st, 200);
});

engine_test!(directories_redirect_index_and_list, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
    let url = base(&s);
    let (st, h) = head_of(&[&format!("{url}sub")]);
    assert_eq!(st, 301, "engine {engine}");
    assert_eq!(header(&h, "location"), Some("/sub/"));
    std::fs::create_dir_all(f.root().join("sp ace#/x")).unwrap();
    let (_, h) = head_of(&[&format!("{url}sp%20ace%23?q=1")]);
    assert_eq!(header(&h, "location"), Some("/sp%20ace%23/?q=1"));
    let out = curl(&["-L", &format!("{url}withindex")]);
    assert_eq!(out.stdout, b"<p>index page</p>\n");
    let html = String::from_utf8(curl(&[&format!("{url}sub/")]).stdout).unwrap();
    assert!(
        html.contains("<a href=\"inner.txt\">inner.txt</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"../\">"), "parent link: {html}");
    let root = String::from_utf8(curl(&[&url]).stdout).unwrap();
    assert!(!root.contains("href=\"../\""), "no parent above the root");
    let dirs_first = root.find("\"DIR/\"").unwrap() < root.find("\"data.bin\"").unwrap();
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
    assert_eq!(v["entries"][0]["href"], "inner.txt");
});

#[test]
fn listing_follows_directory_changes() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve("thread", &[]);
    let url = format!("{}sub/", base(&s));
    // Ask twice so the listing is cached, then change the directory.
    for _ in 0..2 {
        let first = String::from_utf8(curl(&[&url]).stdout).unwrap();
        assert!(!first.contains("new.txt"));
    }
    std::fs::write(f.root().join("sub/new.txt"), "n").unwrap();
    let second = String::from_utf8(curl(&[&url]).stdout).unwrap();
    assert!(second.contains("\"new.txt\""), "stale listing: {second}");
}

engine_test!(methods_and_malformed_requests, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &[]);
    let url = format!("{}hello.txt", base(&s));
    for m in ["POST", "PUT", "DELETE"] {
        let (st, h) = head_of(&["-X", m, &url]);
        assert_eq!(st, 405, "{m} on {engine}");
        assert_eq!(header(&h, "allow"), Some("GET, HEAD, OPTIONS"));
    }
    assert_eq!(head_of(&["-X", "OPTIONS", &url]).0, 204);
    assert_eq!(head_of(&["-X", "BREW", &url]).0, 501);
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
});

engine_test!(options_index_listing_hidden_symlinks, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    std::fs::write(f.root().join("sub/home.htm"), "home\n").unwrap();
    let s = f.serve(engine, &["--no-listing", "--hidden", "--index", "home.htm"]);
    let url = base(&s);
    assert_eq!(head_of(&[&url]).0, 403, "--no-listing on {engine}");
    assert_eq!(curl(&[&format!("{url}sub/")]).stdout, b"home\n");
    assert_eq!(curl(&[&format!("{url}.hidden")]).stdout, b"dotfile\n");
    assert_eq!(head_of(&[&format!("{url}withindex/")]).0, 403);
    assert_eq!(head_of(&[&format!("{url}link_out")]).0, 403);
    assert_eq!(curl(&[&format!("{url}link_in")]).stdout, b"hello, world\n");
    let s = f.serve(engine, &["--follow-symlinks"]);
    let out = curl(&[&format!("{}link_out", base(&s))]);
    assert_eq!(
        out.stdout,
        crate::http::SECRET.as_bytes(),
        "--follow-symlinks"
    );
});

/// Found by fuzz/src/bin/http_listing.rs: the JSON listing was sent whenever `Accept`
/// named `application/json`, even with `q=0` ("not acceptable", RFC 9110 §12.4.2) or
/// a lower weight than HTML's; and `application/*` did not count for it.
#[test]
fn listing_format_follows_accept_weights() {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve("thread", &[]);
    let url = format!("{}sub/", base(&s));
    for (accept, want) in [
        (
            "application/json;q=0, text/html",
            "text/html; charset=utf-8",
        ),
        (
            "text/html, application/json;q=0.9",
            "text/html; charset=utf-8",
        ),
        ("*/*;q=0.8, application/*", "application/json"),
        ("text/html;q=0.5, application/json", "application/json"),
        ("application/json", "application/json"),
        ("*/*", "text/html; charset=utf-8"),
    ] {
        let out = curl(&[
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{content_type}",
            "-H",
            &format!("Accept: {accept}"),
            &url,
        ]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            want,
            "Accept: {accept}"
        );
    }
}
