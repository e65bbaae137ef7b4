//! Issue 16's protocol gaps, one test per class, each on every engine: preconditions
//! and their evaluation order (RFC 9110 §13), listing negotiation (§12), request
//! framing and versions (RFC 9112), ranges and multipart/byteranges (§14), names and
//! paths, dates and media types, and an access log of what was really sent.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{Fixture, Resp, get, parse_responses, raw, raw_expect_close, raw_one, set_mtime};
use crate::engines::engine_test;

/// `GET target` with extra header lines (each ending in CRLF).
fn get_with(addr: std::net::SocketAddr, target: &str, headers: &str) -> Resp {
    raw_one(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: t\r\n{headers}\r\n").as_bytes(),
    )
}

fn etag_of(addr: std::net::SocketAddr, target: &str) -> (String, String) {
    let r = get_with(addr, target, "");
    assert_eq!(r.status, 200, "{target}");
    (
        r.header("etag").expect("ETag").to_string(),
        r.header("last-modified").unwrap_or("").to_string(),
    )
}

engine_test!(preconditions_follow_rfc_9110_order, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let a = s.socket_addr();
    let (tag, lm) = etag_of(a, "/hello.txt");
    let st = |h: &str| get_with(a, "/hello.txt", h).status;
    // If-Match (§13.1.1): strong comparison, `*` for any current representation.
    assert_eq!(st(&format!("If-Match: {tag}\r\n")), 200, "{engine}");
    assert_eq!(st("If-Match: *\r\n"), 200);
    assert_eq!(st("If-Match: \"other\"\r\n"), 412, "{engine}");
    assert_eq!(
        st(&format!("If-Match: W/{tag}\r\n")),
        412,
        "weak never matches"
    );
    assert_eq!(st(&format!("If-Match: \"x\", {tag}\r\n")), 200, "a list");
    // If-Unmodified-Since (§13.1.4).
    assert_eq!(st(&format!("If-Unmodified-Since: {lm}\r\n")), 200);
    let early = "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
    assert_eq!(st(early), 412, "{engine}");
    assert_eq!(
        st("If-Unmodified-Since: garbage\r\n"),
        200,
        "invalid: ignored"
    );
    // §13.2.2 order: If-Match decides, and If-Unmodified-Since is then ignored.
    assert_eq!(st(&format!("If-Match: {tag}\r\n{early}")), 200);
    // A failed If-Match wins over a matching If-None-Match (412, not 304).
    let both = format!("If-Match: \"other\"\r\nIf-None-Match: {tag}\r\n");
    assert_eq!(st(&both), 412);
    // If-None-Match decides over If-Modified-Since.
    let inm_ims = format!("If-None-Match: \"other\"\r\nIf-Modified-Since: {lm}\r\n");
    assert_eq!(st(&inm_ims), 200);
    // Preconditions come before ranges: 412 instead of 206 or 416.
    assert_eq!(st("If-Match: \"other\"\r\nRange: bytes=0-1\r\n"), 412);
    assert_eq!(st(&format!("{early}Range: bytes=999999-\r\n")), 412);
    // A listing has a validator, and `If-None-Match: *` on it is 304.
    let l = get_with(a, "/sub/", "");
    let ltag = l.header("etag").expect("listing ETag").to_string();
    assert_eq!(
        get_with(a, "/sub/", "If-None-Match: *\r\n").status,
        304,
        "{engine}"
    );
    let r = get_with(a, "/sub/", &format!("If-None-Match: {ltag}\r\n"));
    assert_eq!((r.status, r.header("etag")), (304, Some(ltag.as_str())));
    assert_eq!(get_with(a, "/sub/", "If-Match: \"nope\"\r\n").status, 412);
    // Missing resources: If-Match fails, If-None-Match: * holds.
    assert_eq!(get_with(a, "/missing", "If-Match: *\r\n").status, 404);
});

engine_test!(
    listing_negotiation_honours_q_values_order_and_case,
    |engine| {
        let f = Fixture::new();
        let s = f.serve(engine, &["-q"]);
        let a = s.socket_addr();
        let kind = |accept: &str| {
            let r = get_with(a, "/sub/", &format!("Accept: {accept}\r\n"));
            assert_eq!(r.status, 200);
            assert!(
                r.header("vary")
                    .is_some_and(|v| v.to_ascii_lowercase().contains("accept")),
                "{accept}: no Vary: Accept"
            );
            r.header("content-type")
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(kind("application/json"), "application/json", "{engine}");
        assert_eq!(
            kind("APPLICATION/JSON"),
            "application/json",
            "media types are case-insensitive"
        );
        assert_eq!(
            kind("application/json;q=0"),
            "text/html",
            "q=0 means not acceptable"
        );
        assert_eq!(kind("application/json;q=0, */*"), "text/html");
        assert_eq!(
            kind("text/html;q=0.5, application/json"),
            "application/json"
        );
        assert_eq!(kind("text/html, application/json;q=0.9"), "text/html");
        assert_eq!(
            kind("application/json, text/html"),
            "application/json",
            "client's order breaks ties"
        );
        assert_eq!(kind("text/*;q=0.1, application/*"), "application/json");
        assert_eq!(kind("*/*"), "text/html");
        assert_eq!(
            kind("image/png"),
            "text/html",
            "nothing acceptable: the default"
        );
        // Each representation has its own validator.
        let html = get_with(a, "/sub/", "Accept: text/html\r\n");
        let json = get_with(a, "/sub/", "Accept: application/json\r\n");
        assert_ne!(html.header("etag"), json.header("etag"));
        assert_eq!(html.header("cache-control"), Some("no-cache"));
    }
);

engine_test!(a_chunked_request_body_keeps_the_pipeline, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let req = b"POST /hello.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n\
5;ext=1\r\nhello\r\n0006\r\n world\r\n0\r\nTrailer-Field: x\r\n\r\n\
GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n\
GET /sub/inner.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n\
GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    let (got, closed) = raw_expect_close(s.socket_addr(), req);
    assert!(closed, "{engine}");
    let rs = parse_responses(&got, &[false, false, false, false]);
    assert_eq!(rs[0].status, 405, "{engine}");
    assert_eq!(
        (rs[1].status, rs[1].body.as_slice()),
        (200, &b"hello, world\n"[..])
    );
    assert_eq!(
        (rs[2].status, rs[2].body.as_slice()),
        (200, &b"inner\n"[..])
    );
    assert_eq!(rs[3].status, 200);
    // Malformed chunk framing is still a 400 that closes.
    for bad in [
        &b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"[..],
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
        b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
    ] {
        let (got, closed) = raw_expect_close(s.socket_addr(), bad);
        let text = String::from_utf8_lossy(&got);
        assert!(closed && text.contains("HTTP/1.1 400 "), "{engine}: {text}");
    }
    // HTTP/1.0 with Transfer-Encoding: faulty framing (RFC 9112 §6.1).
    let (got, closed) = raw_expect_close(
        s.socket_addr(),
        b"GET /hello.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    assert!(closed && got.starts_with(b"HTTP/1.1 400 "));
});

engine_test!(obs_text_in_a_header_value_is_opaque, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let r = raw_one(
        s.socket_addr(),
        b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Name: caf\xe9 \xff\r\nUser-Agent: \x80\r\n\r\n",
    );
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &b"hello, world\n"[..]),
        "{engine}"
    );
});

engine_test!(http_1_2_is_served_as_1_1_and_2_0_gets_505, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let r = raw_one(
        s.socket_addr(),
        b"GET /hello.txt HTTP/1.2\r\nHost: t\r\n\r\n",
    );
    assert_eq!(r.status, 200, "{engine}");
    let (got, _) = raw_expect_close(
        s.socket_addr(),
        b"GET /hello.txt HTTP/2.0\r\nHost: t\r\n\r\n",
    );
    assert!(
        got.starts_with(b"HTTP/1.1 505 "),
        "{engine}: {:?}",
        String::from_utf8_lossy(&got)
    );
    let (got, _) = raw_expect_close(
        s.socket_addr(),
        b"GET /hello.txt HTTP/3.1\r\nHost: t\r\n\r\n",
    );
    assert!(got.starts_with(b"HTTP/1.1 505 "));
    let (got, _) = raw_expect_close(
        s.socket_addr(),
        b"GET /hello.txt HTTP/1.10\r\nHost: t\r\n\r\n",
    );
    assert!(got.starts_with(b"HTTP/1.1 400 "), "not DIGIT.DIGIT");
    // One empty line before the request line is ignored (RFC 9112 §2.2).
    let r = raw_one(
        s.socket_addr(),
        b"\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
    );
    assert_eq!(r.status, 200);
});

engine_test!(an_invalid_host_is_400, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    for host in ["a b", "a/b", "x@y", "[::1", "h:8o", "a?b", "a\"b", "[zz]"] {
        let (got, closed) = raw_expect_close(
            s.socket_addr(),
            format!("GET /hello.txt HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert!(
            got.starts_with(b"HTTP/1.1 400 ") && closed,
            "Host: {host} on {engine}"
        );
    }
    for host in [
        "",
        "localhost",
        "127.0.0.1:8080",
        "[::1]:80",
        "ex-ample.com.",
        "a%20b",
        "h:",
    ] {
        let r = raw_one(
            s.socket_addr(),
            format!("GET /hello.txt HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert_eq!(r.status, 200, "Host: {host:?} on {engine}");
    }
});

engine_test!(unknown_methods_are_501_and_known_ones_405, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    for m in ["BREW", "PROPFIND", "get"] {
        let r = raw_one(
            s.socket_addr(),
            format!("{m} /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes(),
        );
        assert_eq!(r.status, 501, "{m} on {engine}");
    }
    for m in ["POST", "PUT", "DELETE", "PATCH", "TRACE"] {
        let r = raw_one(
            s.socket_addr(),
            format!("{m} /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes(),
        );
        assert_eq!(r.status, 405, "{m} on {engine}");
        assert_eq!(r.header("allow"), Some("GET, HEAD, OPTIONS"));
    }
    let r = raw_one(s.socket_addr(), b"OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(
        (r.status, r.header("allow")),
        (204, Some("GET, HEAD, OPTIONS"))
    );
});

engine_test!(
    range_units_are_case_insensitive_and_empty_elements_ignored,
    |engine| {
        let f = Fixture::new();
        let s = f.serve(engine, &["-q"]);
        let a = s.socket_addr();
        for range in [
            "Bytes=0-4",
            "BYTES=0-4",
            "bytes=,0-4",
            "bytes=0-4,",
            "bytes= 0-4 ,, ",
        ] {
            let r = get_with(a, "/hello.txt", &format!("Range: {range}\r\n"));
            assert_eq!(
                (r.status, r.body.as_slice()),
                (206, &b"hello"[..]),
                "{range} on {engine}"
            );
        }
        let r = get_with(a, "/hello.txt", "Range: items=0-4\r\n");
        assert_eq!(r.status, 200, "unknown unit: ignored");
    }
);

/// The parts of a `multipart/byteranges` body: (Content-Range, bytes).
fn byteranges(r: &Resp) -> Vec<(String, Vec<u8>)> {
    let ct = r.header("content-type").unwrap();
    let boundary = ct
        .split("boundary=")
        .nth(1)
        .expect("boundary")
        .trim_matches('"');
    let delim = format!("--{boundary}");
    let body = &r.body;
    let mut parts = Vec::new();
    let find = |hay: &[u8], from: usize, needle: &[u8]| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut at = find(body, 0, delim.as_bytes()).expect("first delimiter");
    loop {
        at += delim.len();
        if body[at..].starts_with(b"--") {
            break;
        }
        let head_end = find(body, at, b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&body[at..head_end]).to_string();
        let cr = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Range: "))
            .expect("part Content-Range")
            .to_string();
        let next = find(body, head_end, format!("\r\n{delim}").as_bytes()).unwrap();
        parts.push((cr, body[head_end + 4..next].to_vec()));
        at = next + 2;
    }
    parts
}

engine_test!(several_ranges_give_multipart_byteranges, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let a = s.socket_addr();
    let size = f.data.len();
    let r = get_with(a, "/data.bin", "Range: bytes=0-9, 1000-1099, -5\r\n");
    assert_eq!(r.status, 206, "{engine}");
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("multipart/byteranges; boundary=")
    );
    assert_eq!(
        r.header("content-length").unwrap(),
        r.body.len().to_string()
    );
    let parts = byteranges(&r);
    assert_eq!(parts.len(), 3, "{engine}");
    assert_eq!(parts[0].0, format!("bytes 0-9/{size}"));
    assert!(parts[0].1 == f.data[0..10]);
    assert!(parts[1].1 == f.data[1000..1100]);
    assert_eq!(
        parts[2].0,
        format!("bytes {}-{}/{size}", size - 5, size - 1)
    );
    assert!(parts[2].1 == f.data[size - 5..]);
    // Overlapping and adjacent ranges are coalesced (ascending), so a request for
    // the same bytes many times is sent them once.
    let r = get_with(
        a,
        "/data.bin",
        "Range: bytes=500-599, 0-99, 50-149, 150-199\r\n",
    );
    let parts = byteranges(&r);
    assert_eq!(parts.len(), 2, "{engine}");
    assert_eq!(parts[0].0, format!("bytes 0-199/{size}"));
    assert_eq!(parts[1].0, format!("bytes 500-599/{size}"));
    let same = format!("Range: bytes=0-1000{}\r\n", ",0-1000".repeat(20));
    let r = get_with(a, "/data.bin", &same);
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 0-1000/{size}").as_str())
    );
    // Ranges that coalesce to one are a plain 206.
    let r = get_with(a, "/data.bin", "Range: bytes=0-9,10-19\r\n");
    assert_eq!(
        (r.status, r.header("content-range")),
        (206, Some(format!("bytes 0-19/{size}").as_str()))
    );
    // Unsatisfiable parts are left out; none satisfiable is 416.
    let r = get_with(a, "/hello.txt", "Range: bytes=0-1, 100-200\r\n");
    assert_eq!((r.status, r.body.as_slice()), (206, &b"he"[..]));
    let r = get_with(a, "/hello.txt", "Range: bytes=100-200, 300-\r\n");
    assert_eq!(r.status, 416);
    // Too many distinct parts: the whole file (RFC 9110 §14.2 allows ignoring).
    let many: Vec<String> = (0..40)
        .map(|i| format!("{}-{}", i * 1000, i * 1000 + 1))
        .collect();
    let r = get_with(
        a,
        "/data.bin",
        &format!("Range: bytes={}\r\n", many.join(",")),
    );
    assert_eq!((r.status, r.body.len()), (200, size), "{engine}");
    // HEAD gives the same length, no body.
    let got = raw(
        a,
        b"HEAD /data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9,20-29\r\n\r\n",
    );
    let head = parse_responses(&got, &[true]).pop().unwrap();
    assert_eq!(head.status, 206);
});

engine_test!(names_with_backslashes_are_listed_and_served, |engine| {
    let f = Fixture::new();
    std::fs::write(f.root().join("back\\slash.txt"), "bs\n").unwrap();
    let s = f.serve(engine, &["-q"]);
    let r = get(s.socket_addr(), b"/back%5Cslash.txt");
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &b"bs\n"[..]),
        "{engine}"
    );
    let html = String::from_utf8(get(s.socket_addr(), b"/").body).unwrap();
    assert!(html.contains("href=\"back%5Cslash.txt\""), "{html}");
    assert!(html.contains(">back\\slash.txt<"), "{html}");
});

engine_test!(percent_2f_is_not_a_separator, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    assert_eq!(get(s.socket_addr(), b"/sub/inner.txt").status, 200);
    assert_eq!(
        get(s.socket_addr(), b"/sub%2Finner.txt").status,
        404,
        "{engine}"
    );
    assert_eq!(get(s.socket_addr(), b"/sub%2finner.txt").status, 404);
    assert_eq!(
        get(s.socket_addr(), b"/%2e%2e/hello.txt").status,
        200,
        "%2e is a dot"
    );
});

engine_test!(the_trailing_slash_redirect_keeps_the_query, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let r = get(s.socket_addr(), b"/sub?sort=size&order=desc");
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location"),
        Some("/sub/?sort=size&order=desc"),
        "{engine}"
    );
    let r = get(s.socket_addr(), b"/sub?a=%0d%0a\xff");
    assert_eq!(r.header("location"), Some("/sub/?a=%0d%0a%FF"));
});

engine_test!(symlinks_outside_and_broken_are_listed_as_links, |engine| {
    let f = Fixture::new();
    std::os::unix::fs::symlink("nowhere", f.root().join("broken")).unwrap();
    let s = f.serve(engine, &["-q"]);
    let json = get_with(s.socket_addr(), "/", "Accept: application/json\r\n");
    let v: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    let entry = |name: &str| {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} not listed: {v}"))
            .clone()
    };
    for name in ["link_out", "dir_out", "broken"] {
        let e = entry(name);
        assert_eq!(e["type"], "symlink", "{name} on {engine}: {e}");
        assert!(e["size"].is_null(), "{name}: {e}");
        assert!(e["href"].is_null(), "{name} is not servable: {e}");
    }
    let e = entry("link_in");
    assert_eq!(
        (e["type"].as_str(), e["size"].as_u64()),
        (Some("file"), Some(13))
    );
    let html = String::from_utf8(get(s.socket_addr(), b"/").body).unwrap();
    let row = html
        .lines()
        .find(|l| l.contains(">broken<") || l.contains("broken"))
        .unwrap();
    assert!(!row.contains("href=\"broken\""), "{row}");
});

engine_test!(listing_titles_are_decoded, |engine| {
    let f = Fixture::new();
    std::fs::create_dir(f.root().join("sp ace & 中")).unwrap();
    let s = f.serve(engine, &["-q"]);
    let html =
        String::from_utf8(get(s.socket_addr(), "/sp%20ace%20%26%20%E4%B8%AD/".as_bytes()).body)
            .unwrap();
    assert!(
        html.contains("<title>Index of /sp ace &amp; 中/</title>"),
        "{engine}: {html}"
    );
    let json = get_with(
        s.socket_addr(),
        "/sp%20ace%20%26%20%E4%B8%AD/",
        "Accept: application/json\r\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(v["path"], "/sp ace & 中/");
});

engine_test!(last_modified_is_never_later_than_date, |engine| {
    let f = Fixture::new();
    let p = f.root().join("future.txt");
    std::fs::write(&p, "f\n").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    set_mtime(&p, now + 86_400 * 365);
    let s = f.serve(engine, &["-q"]);
    let r = get(s.socket_addr(), b"/future.txt");
    let date = httpdate::parse_http_date(r.header("date").unwrap()).unwrap();
    let lm = httpdate::parse_http_date(r.header("last-modified").unwrap()).unwrap();
    assert!(
        lm <= date,
        "{engine}: Last-Modified {lm:?} after Date {date:?}"
    );
});

engine_test!(mtimes_before_1970_are_dated_right, |engine| {
    let f = Fixture::new();
    let p = f.root().join("old.txt");
    std::fs::write(&p, "o\n").unwrap();
    set_mtime(&p, -86_400 * 100 - 3600); // 1969-09-22 23:00:00
    let s = f.serve(engine, &["-q"]);
    let r = get(s.socket_addr(), b"/old.txt");
    let lm = r.header("last-modified").unwrap().to_string();
    assert_eq!(lm, "Mon, 22 Sep 1969 23:00:00 GMT", "{engine}");
    let r = get_with(
        s.socket_addr(),
        "/old.txt",
        &format!("If-Modified-Since: {lm}\r\n"),
    );
    assert_eq!(r.status, 304);
    let json = get_with(s.socket_addr(), "/", "Accept: application/json\r\n");
    let v: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    let e = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "old.txt")
        .unwrap()
        .clone();
    assert_eq!(e["mtime"], "1969-09-22T23:00:00Z");
});

engine_test!(modern_media_types, |engine| {
    let f = Fixture::new();
    let types = [
        ("a.mjs", "text/javascript; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"),
        ("a.woff", "font/woff"),
        ("a.woff2", "font/woff2"),
        ("a.otf", "font/otf"),
        ("a.ttf", "font/ttf"),
        ("a.m4a", "audio/mp4"),
        ("a.wasm", "application/wasm"),
        ("a.json", "application/json"),
        ("a.svg", "image/svg+xml; charset=utf-8"),
        ("a.webp", "image/webp"),
        ("a.avif", "image/avif"),
        ("a.webmanifest", "application/manifest+json"),
    ];
    for (n, _) in types {
        std::fs::write(f.root().join(n), "x").unwrap();
    }
    let s = f.serve(engine, &["-q"]);
    for (n, t) in types {
        let r = get(s.socket_addr(), format!("/{n}").as_bytes());
        assert_eq!(r.header("content-type"), Some(t), "{n} on {engine}");
    }
});

/// A client socket with a small receive buffer, so the server cannot hand a large
/// body to the kernel faster than the client reads it.
fn slow_reader(a: std::net::SocketAddr) -> TcpStream {
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    s.set_recv_buffer_size(4096).unwrap();
    s.connect(&a.into()).unwrap();
    let c = TcpStream::from(s);
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    c
}

engine_test!(
    the_access_log_counts_bytes_sent_and_time_to_the_last_byte,
    |engine| {
        let f = Fixture::new();
        let size: u64 = 8 << 20;
        std::fs::File::create(f.root().join("big.bin"))
            .unwrap()
            .set_len(size)
            .unwrap();
        let s = f.serve(engine, &[]);
        let a = s.socket_addr();
        // A client that reads slowly: the time logged covers the whole transfer.
        let mut c = slow_reader(a);
        c.write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut first = vec![0u8; 1024];
        c.read_exact(&mut first).unwrap();
        std::thread::sleep(Duration::from_millis(400));
        let mut rest = Vec::new();
        c.read_to_end(&mut rest).unwrap();
        let line = s
            .wait_for_line("GET /big.bin", Duration::from_secs(5))
            .expect("log line");
        assert!(line.contains(&format!(" 200 {size} ")), "{engine}: {line}");
        let ms: f64 = line
            .rsplit(' ')
            .next()
            .unwrap()
            .trim_end_matches("ms")
            .parse()
            .unwrap();
        assert!(
            ms >= 300.0,
            "{engine}: time to the last byte was {ms} ms: {line}"
        );
        // A client that goes away mid-body: only what was sent is counted.
        let started = Instant::now();
        let mut c = slow_reader(a);
        c.write_all(b"GET /big.bin?abort HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut some = vec![0u8; 4096];
        c.read_exact(&mut some).unwrap();
        drop(c);
        let line = s
            .wait_for_line("GET /big.bin?abort", Duration::from_secs(15))
            .expect("log line");
        let bytes: u64 = line.split(' ').nth(4).unwrap().parse().unwrap();
        assert!(
            bytes < size,
            "{engine}: aborted transfer logged {bytes} bytes: {line}"
        );
        assert!(started.elapsed() < Duration::from_secs(15));
        // Responses with no body log 0.
        get(a, b"/missing");
        let line = s
            .wait_for_line("GET /missing", Duration::from_secs(5))
            .unwrap();
        assert!(line.contains(" 404 "), "{line}");
    }
);
