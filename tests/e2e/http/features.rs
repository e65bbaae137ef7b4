//! Issue 16's features, each on every engine: precompressed siblings, `--compress`,
//! `--cache-control`, `--cors`, `--header`, listing sort, the HTML error pages and
//! `--spa`. Authentication is `auth.rs`, uploads `upload.rs`, the page in a browser
//! `browser.rs`.

use std::io::Read;

use super::{Fixture, Resp, curl, get, parse_responses, raw, raw_one, set_mtime};
use crate::engines::engine_test;
use crate::util::require;

fn get_with(addr: std::net::SocketAddr, target: &str, headers: &str) -> Resp {
    raw_one(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: t\r\n{headers}\r\n").as_bytes(),
    )
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

fn gzip(b: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// `app.js` with a `.gz` sibling (real gzip) and a `.br` one (bytes a brotli
/// encoder would make; served opaque, so any bytes do), and `plain.js` without.
fn with_siblings(f: &Fixture) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let js = "function hello() { return 'hello, world'; }\n"
        .repeat(200)
        .into_bytes();
    let gz = gzip(&js);
    let br = crate::util::random_bytes(700, 9);
    std::fs::write(f.root().join("app.js"), &js).unwrap();
    std::fs::write(f.root().join("app.js.gz"), &gz).unwrap();
    std::fs::write(f.root().join("app.js.br"), &br).unwrap();
    std::fs::write(f.root().join("plain.js"), &js).unwrap();
    (js, gz, br)
}

engine_test!(precompressed_siblings_follow_accept_encoding, |engine| {
    let f = Fixture::new();
    let (js, gz, br) = with_siblings(&f);
    let s = f.serve(engine, &["-q", "--precompressed"]);
    let a = s.socket_addr();
    let pick = |ae: &str| get_with(a, "/app.js", &format!("Accept-Encoding: {ae}\r\n"));
    let r = pick("gzip, br");
    assert_eq!(
        (r.header("content-encoding"), r.body.as_slice()),
        (Some("br"), br.as_slice()),
        "{engine}: br is preferred among equals"
    );
    let r = pick("gzip;q=1, br;q=0.5");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(
        gunzip(&r.body) == js,
        "{engine}: the gz sibling is the file"
    );
    let gz_tag = r.header("etag").unwrap().to_string();
    assert_eq!(
        r.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    let r = pick("br;q=0, gzip;q=0");
    assert_eq!((r.header("content-encoding"), r.body == js), (None, true));
    assert_eq!(
        r.header("vary"),
        Some("Accept-Encoding"),
        "Vary on the identity too"
    );
    let id_tag = r.header("etag").unwrap().to_string();
    let r = get(a, b"/app.js");
    assert_eq!(
        (r.header("content-encoding"), r.header("etag")),
        (None, Some(id_tag.as_str()))
    );
    let br_tag = pick("br").header("etag").unwrap().to_string();
    assert!(
        id_tag != gz_tag && gz_tag != br_tag && id_tag != br_tag,
        "one ETag per encoding"
    );
    // Conditional requests compare with the representation chosen.
    let r = get_with(
        a,
        "/app.js",
        &format!("Accept-Encoding: gzip\r\nIf-None-Match: {gz_tag}\r\n"),
    );
    assert_eq!(r.status, 304, "{engine}");
    let r = get_with(
        a,
        "/app.js",
        &format!("Accept-Encoding: br\r\nIf-None-Match: {gz_tag}\r\n"),
    );
    assert_eq!(r.status, 200);
    // Ranges are ranges of the encoded bytes.
    let r = get_with(
        a,
        "/app.js",
        "Accept-Encoding: gzip\r\nRange: bytes=10-19\r\n",
    );
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 10-19/{}", gz.len()).as_str())
    );
    assert!(r.body == gz[10..20]);
    // curl --compressed decodes the gzip sibling back to the file (asked for alone:
    // the br sibling here is not real brotli).
    if require("curl") {
        let url = format!("{}app.js", s.addr);
        let out = curl(&["--compressed", "-H", "Accept-Encoding: gzip", &url]);
        assert!(out.stdout == js, "{engine}");
    }
    // No siblings: no Vary, no encoding; without the flag siblings are ignored.
    let r = get_with(a, "/plain.js", "Accept-Encoding: gzip, br\r\n");
    assert_eq!(
        (r.header("vary"), r.header("content-encoding")),
        (None, None)
    );
    let plain = f.serve(engine, &["-q"]);
    let r = get_with(
        plain.socket_addr(),
        "/app.js",
        "Accept-Encoding: gzip, br\r\n",
    );
    assert_eq!((r.header("content-encoding"), r.body == js), (None, true));
});

engine_test!(compress_gzips_listings_and_small_text_only, |engine| {
    let f = Fixture::new();
    let text = "all work and no play makes jack a dull boy\n".repeat(100);
    std::fs::write(f.root().join("page.html"), &text).unwrap();
    std::fs::write(f.root().join("big.txt"), text.repeat(50)).unwrap(); // 220 KB
    std::fs::write(f.root().join("pic.png"), crate::util::random_bytes(5000, 3)).unwrap();
    let s = f.serve(engine, &["-q", "--compress", "--compress-max", "100k"]);
    let a = s.socket_addr();
    let gz = "Accept-Encoding: gzip\r\n";
    let r = get_with(a, "/page.html", gz);
    assert_eq!(r.header("content-encoding"), Some("gzip"), "{engine}");
    assert_eq!(gunzip(&r.body), text.as_bytes());
    assert!(r.body.len() < text.len() / 10);
    assert_eq!(r.header("vary"), Some("Accept-Encoding"));
    let plain = get(a, b"/page.html");
    assert_eq!(
        (plain.header("content-encoding"), plain.body.len()),
        (None, text.len())
    );
    assert_eq!(plain.header("vary"), Some("Accept-Encoding"));
    assert_ne!(plain.header("etag"), r.header("etag"));
    // Conditional and ranged requests use the gzip representation's own tag/bytes.
    let tag = r.header("etag").unwrap();
    assert_eq!(
        get_with(a, "/page.html", &format!("{gz}If-None-Match: {tag}\r\n")).status,
        304
    );
    let part = get_with(a, "/page.html", &format!("{gz}Range: bytes=0-9\r\n"));
    assert!(part.status == 206 && part.body == r.body[..10]);
    // Above the bound, and types compressed already: never.
    let big = get_with(a, "/big.txt", gz);
    assert_eq!(
        (big.header("content-encoding"), big.header("vary")),
        (None, None)
    );
    let png = get_with(a, "/pic.png", gz);
    assert_eq!(
        (png.header("content-encoding"), png.header("vary")),
        (None, None)
    );
    // Listings, in both formats.
    let html = get_with(a, "/", gz);
    assert_eq!(html.header("content-encoding"), Some("gzip"));
    assert_eq!(html.header("vary"), Some("Accept, Accept-Encoding"));
    assert_eq!(gunzip(&html.body), get(a, b"/").body);
    let json = get_with(a, "/", &format!("{gz}Accept: application/json\r\n"));
    let v: serde_json::Value = serde_json::from_slice(&gunzip(&json.body)).unwrap();
    assert_eq!(v["path"], "/");
    // HEAD says the same length as the GET.
    let got = raw(
        a,
        b"HEAD /page.html HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n",
    );
    let head = parse_responses(&got, &[true]).pop().unwrap();
    assert_eq!(
        head.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
});

engine_test!(cache_control_cors_and_extra_headers, |engine| {
    let f = Fixture::new();
    let s = f.serve(
        engine,
        &[
            "-q",
            "--cache-control",
            "public, max-age=3600",
            "--cors",
            "--header",
            "X-Frame-Options: DENY",
            "--header",
            "Content-Security-Policy: default-src 'self'",
        ],
    );
    let a = s.socket_addr();
    let r = get(a, b"/hello.txt");
    assert_eq!(
        r.header("cache-control"),
        Some("public, max-age=3600"),
        "{engine}"
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        r.header("content-security-policy"),
        Some("default-src 'self'")
    );
    let tag = r.header("etag").unwrap().to_string();
    let r = get_with(a, "/hello.txt", &format!("If-None-Match: {tag}\r\n"));
    assert_eq!(
        (r.status, r.header("cache-control")),
        (304, Some("public, max-age=3600"))
    );
    let r = get_with(a, "/hello.txt", "Range: bytes=0-1\r\n");
    assert_eq!(r.header("cache-control"), Some("public, max-age=3600"));
    // Listings stay no-cache; every response carries the extra headers, errors too.
    let r = get(a, b"/sub/");
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let r = get(a, b"/nope");
    assert_eq!((r.status, r.header("x-frame-options")), (404, Some("DENY")));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // A CORS preflight, answered the same for any path.
    let pre = raw_one(
        a,
        b"OPTIONS /hello.txt HTTP/1.1\r\nHost: t\r\nOrigin: http://example.com\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: range\r\n\r\n",
    );
    assert_eq!(pre.status, 204, "{engine}");
    assert_eq!(pre.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        pre.header("access-control-allow-methods"),
        Some("GET, HEAD, OPTIONS")
    );
    assert!(pre.header("access-control-max-age").is_some());
    // Without --cors: nothing of the kind.
    let plain = f.serve(engine, &["-q"]);
    let r = get(plain.socket_addr(), b"/hello.txt");
    assert_eq!(
        (
            r.header("access-control-allow-origin"),
            r.header("cache-control")
        ),
        (None, None)
    );
});

#[test]
fn bad_header_and_spa_arguments_are_usage_errors() {
    let f = Fixture::new();
    let root = f.root();
    for args in [
        &["--header", "No-Colon"][..],
        &["--header", "Bad Name: x"],
        &["--header", "Content-Length: 5"],
        &["--spa", "missing.html"],
        &["--spa", "../secret.txt"],
        &["--cache-control", "a\u{1}b"],
        &["--auth", "nocolon"],
    ] {
        let out = crate::util::nettool()
            .args(["serve-http", root.to_str().unwrap(), "-l", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("nettool: "), "{err}");
    }
    // Flags that only mean something beside another one (clap's own message).
    for args in [
        &["--compress-max", "1M"][..],
        &["--max-upload", "1M"],
        &["--overwrite"],
    ] {
        let out = crate::util::nettool()
            .args(["serve-http", root.to_str().unwrap(), "-l", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// The names of a listing's entries in order.
fn order(addr: std::net::SocketAddr, query: &str) -> Vec<String> {
    let r = get_with(
        addr,
        &format!("/list/{query}"),
        "Accept: application/json\r\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

engine_test!(listings_sort_by_name_size_and_time, |engine| {
    let f = Fixture::new();
    let list = f.root().join("list");
    std::fs::create_dir_all(list.join("zdir")).unwrap();
    for (name, size, mtime) in [("b.txt", 30, 100), ("a.txt", 10, 300), ("c.txt", 20, 200)] {
        let p = list.join(name);
        std::fs::write(&p, "x".repeat(size)).unwrap();
        set_mtime(&p, mtime);
    }
    let s = f.serve(engine, &["-q"]);
    let a = s.socket_addr();
    assert_eq!(
        order(a, ""),
        ["zdir", "a.txt", "b.txt", "c.txt"],
        "{engine}"
    );
    assert_eq!(
        order(a, "?sort=name&order=desc"),
        ["zdir", "c.txt", "b.txt", "a.txt"]
    );
    assert_eq!(
        order(a, "?sort=size&order=desc"),
        ["zdir", "b.txt", "c.txt", "a.txt"]
    );
    assert_eq!(order(a, "?sort=size"), ["zdir", "a.txt", "c.txt", "b.txt"]);
    assert_eq!(
        order(a, "?sort=time&order=asc"),
        ["zdir", "b.txt", "c.txt", "a.txt"]
    );
    assert_eq!(order(a, "?sort=bogus"), order(a, ""));
    // The HTML column headers link to the sorts, and the order is kept in the links
    // to subdirectories and the parent.
    let html = String::from_utf8(get(a, b"/list/?sort=size&order=desc").body).unwrap();
    assert!(
        html.contains("href=\"?sort=size&amp;order=asc\">Size ↓</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"?sort=name&amp;order=asc\">Name</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"?sort=time&amp;order=asc\">Modified"),
        "{html}"
    );
    assert!(
        html.contains("href=\"zdir/?sort=size&amp;order=desc\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"../?sort=size&amp;order=desc\">../</a>"),
        "{html}"
    );
    let pos = |n: &str| html.find(&format!(">{n}</a>")).unwrap();
    assert!(pos("b.txt") < pos("c.txt") && pos("c.txt") < pos("a.txt"));
    let json = get_with(
        a,
        "/list/?sort=size&order=desc",
        "Accept: application/json\r\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(
        (v["sort"].as_str(), v["order"].as_str()),
        (Some("size"), Some("desc"))
    );
    assert_eq!(v["sort_links"]["size"], "?sort=size&order=asc");
    assert_eq!(v["entries"][0]["href"], "zdir/?sort=size&order=desc");
    assert_eq!(v["parent"], "../?sort=size&order=desc");
});

engine_test!(error_pages_are_small_html, |engine| {
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    for (target, status) in [(&b"/nope"[..], 404), (b"/link_out", 403)] {
        let r = get(s.socket_addr(), target);
        assert_eq!(r.status, status, "{engine}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.len() < 1024, "{}", body.len());
        assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
        assert!(body.contains(&format!("<title>{status} ")), "{body}");
        assert!(body.contains("<meta name=\"viewport\""));
    }
});

engine_test!(spa_serves_its_file_for_unknown_paths, |engine| {
    let f = Fixture::new();
    std::fs::write(f.root().join("app.html"), "<p>the app</p>\n").unwrap();
    let s = f.serve(engine, &["-q", "--spa", "app.html"]);
    let a = s.socket_addr();
    for target in [
        &b"/some/route"[..],
        b"/nope",
        b"/sub/missing.txt",
        b"/a%2Fb",
    ] {
        let r = get(a, target);
        assert_eq!(
            (r.status, r.body.as_slice()),
            (200, &b"<p>the app</p>\n"[..]),
            "{} on {engine}",
            String::from_utf8_lossy(target)
        );
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    }
    assert_eq!(get(a, b"/hello.txt").body, b"hello, world\n");
    assert_eq!(
        get(a, b"/link_out").status,
        403,
        "a refusal stays a refusal"
    );
    assert_eq!(get(a, b"/%zz").status, 400);
    let head = raw(a, b"HEAD /route HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(parse_responses(&head, &[true])[0].status, 200);
});
