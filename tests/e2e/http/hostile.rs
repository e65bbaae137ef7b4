//! Issue 9's hostile inputs for serve-http, each ending with the four checks
//! (alive, a fresh request answered, descriptors back to baseline, memory bounded):
//! malformed URIs, steerable redirects, request-smuggling framing, hostile ranges and
//! sparse files past 4 GiB, odd timestamps and permissions, hostile names in
//! listings, control bytes in the access log. Slow clients: `slow_clients.rs`.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use super::{Fixture, SECRET, baseline, get, raw, raw_expect_close, set_mtime, still_healthy};
use crate::engines::engine_test;

engine_test!(malformed_uris_are_400, |engine| {
    let f = Fixture::new();
    let mut s = f.serve(engine, &["-q"]);
    let fds = baseline(&s);
    for target in [&b"%"[..], b"%1", b"/%00", b"/\0", b"/\x02", b"/ /", b"../x"] {
        let mut req = b"GET ".to_vec();
        req.extend_from_slice(target);
        req.extend_from_slice(b" HTTP/1.1\r\nHost: t\r\n\r\n");
        let got = raw(s.socket_addr(), &req);
        assert!(
            got.starts_with(b"HTTP/1.1 400 "),
            "{:?} on {engine}: {:?}",
            String::from_utf8_lossy(target),
            String::from_utf8_lossy(&got)
        );
        assert!(!String::from_utf8_lossy(&got).contains(SECRET));
    }
    still_healthy(&mut s, fds);
});

engine_test!(redirects_cannot_be_steered, |engine| {
    let f = Fixture::new();
    std::fs::create_dir(f.root().join("a\r\nSet-Cookie: x=y")).unwrap();
    let mut s = f.serve(engine, &["-q"]);
    let fds = baseline(&s);
    let mut redirects = 0;
    for target in [
        &b"//evil/..%2f..%2fDIR"[..],
        b"/\\evil/%2e%2e%2fDIR",
        b"//evil.example/%2e%2e/DIR",
        b"/a%0d%0aSet-Cookie:%20x=y",
        b"/DIR%0d%0aLocation:%20//evil",
        b"///DIR",
    ] {
        let r = get(s.socket_addr(), target);
        let shown = String::from_utf8_lossy(target);
        assert!(r.header("set-cookie").is_none(), "{shown}: header injected");
        if let Some(loc) = r.header("location") {
            redirects += 1;
            assert_eq!(r.status, 301);
            assert!(
                loc.starts_with('/') && !loc.starts_with("//"),
                "{shown}: {loc}"
            );
            assert!(!loc.contains(['\\', '\r', '\n', ' ']), "{shown}: {loc:?}");
        }
    }
    assert!(redirects >= 3, "the directory cases redirect on {engine}");
    // An encoded slash is part of a name, not a separator: no such directory.
    let r = get(s.socket_addr(), b"//evil/..%2f..%2fDIR");
    assert_eq!((r.status, r.header("location")), (404, None));
    let r = get(s.socket_addr(), b"//evil/../DIR");
    assert_eq!(r.header("location"), Some("/DIR/"));
    let r = get(s.socket_addr(), b"/a%0d%0aSet-Cookie:%20x=y");
    assert_eq!(r.header("location"), Some("/a%0D%0ASet-Cookie%3A%20x%3Dy/"));
    still_healthy(&mut s, fds);
});

engine_test!(framing_attacks_get_400_and_close, |engine| {
    let f = Fixture::new();
    let cases: &[&[u8]] = &[
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: -48\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: +1_0\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1Z\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: \r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nName : v\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n",
    ];
    let mut s = f.serve(engine, &["-q"]);
    let fds = baseline(&s);
    for raw_req in cases {
        let shown = String::from_utf8_lossy(raw_req);
        let (got, closed) = raw_expect_close(s.socket_addr(), raw_req);
        assert!(
            got.starts_with(b"HTTP/1.1 400 "),
            "{shown:?} on {engine}: {:?}",
            String::from_utf8_lossy(&got)
        );
        assert!(closed, "{shown:?} left open on {engine}");
        // Nothing smuggled behind it was answered.
        assert_eq!(got.windows(9).filter(|w| w == b"HTTP/1.1 ").count(), 1);
    }
    still_healthy(&mut s, fds);
});

/// Offsets around the 2 GiB and 4 GiB marks, where 32-bit arithmetic breaks.
const PAST_4_GIB: [u64; 4] = [(1 << 31) - 1, (1 << 31) + 1, (1 << 32) - 1, (1 << 32) + 1];

engine_test!(hostile_ranges_and_offsets_past_4_gib, |engine| {
    let f = Fixture::new();
    let sparse = f.root().join("sparse.bin");
    let size: u64 = (4 << 30) + (1 << 20);
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::create(&sparse).unwrap();
        file.set_len(size).unwrap();
        for (i, off) in PAST_4_GIB.iter().enumerate() {
            file.write_at(&[b'A' + i as u8], *off).unwrap();
        }
    }
    let thousand: String = (0..1000)
        .map(|i| format!("{}-{}", i, i + 100))
        .collect::<Vec<_>>()
        .join(",");
    let mut s = f.serve(engine, &["-q"]);
    let fds = baseline(&s);
    let ranged = |target: &str, range: &str| {
        crate::http::raw_one(
            s.socket_addr(),
            format!("GET {target} HTTP/1.1\r\nHost: t\r\nRange: {range}\r\n\r\n").as_bytes(),
        )
    };
    let r = ranged("/hello.txt", &format!("bytes={thousand}"));
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &b"hello, world\n"[..]),
        "{engine}"
    );
    let r = ranged("/hello.txt", "bytes=-9223372036854775808");
    assert_eq!(r.status, 206);
    assert_eq!(r.body, b"hello, world\n");
    let r = ranged("/hello.txt", "bytes=18446744073709551616-");
    assert_eq!(r.status, 416);
    for (i, off) in PAST_4_GIB.iter().enumerate() {
        let r = ranged("/sparse.bin", &format!("bytes={off}-{off}"));
        assert_eq!(r.status, 206, "offset {off} on {engine}");
        assert_eq!(r.body, [b'A' + i as u8], "offset {off} on {engine}");
        assert_eq!(
            r.header("content-range"),
            Some(format!("bytes {off}-{off}/{size}").as_str())
        );
    }
    let r = ranged("/sparse.bin", &format!("bytes={size}-"));
    assert_eq!(r.status, 416);
    let head = crate::http::raw_one(
        s.socket_addr(),
        b"HEAD /sparse.bin HTTP/1.1\r\nHost: t\r\n\r\n",
    );
    assert_eq!(
        head.header("content-length"),
        Some(size.to_string().as_str())
    );
    still_healthy(&mut s, fds);
});

engine_test!(odd_timestamps_and_permissions, |engine| {
    let f = Fixture::new();
    let old = f.root().join("old.txt");
    let future = f.root().join("future.txt");
    std::fs::write(&old, "old\n").unwrap();
    std::fs::write(&future, "future\n").unwrap();
    set_mtime(&old, -86_400 * 100); // 1969
    set_mtime(&future, 253_402_300_800 + 86_400 * 30); // year 10000
    let locked = f.root().join("locked.txt");
    std::fs::write(&locked, "locked\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_dir = f.root().join("lockeddir");
    std::fs::create_dir(&locked_dir).unwrap();
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: run the server as nobody so the permission bits count.
    let as_root = nix::unistd::geteuid().is_root();
    if as_root {
        for p in [f.dir.path(), &f.root()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let mut s = if as_root {
        let nobody = [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ];
        f.serve_via(&nobody, engine, &["-q"])
    } else {
        f.serve(engine, &["-q"])
    };
    let fds = baseline(&s);
    let r = get(s.socket_addr(), b"/old.txt");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("last-modified"),
        Some("Tue, 23 Sep 1969 00:00:00 GMT")
    );
    // A time still to come is sent as the Date (RFC 9110 §8.8.2.1), whatever the
    // file system stored (ext4 stops in 2446).
    let r = get(s.socket_addr(), b"/future.txt");
    let lm = r.header("last-modified").unwrap();
    let t = httpdate::parse_http_date(lm).unwrap_or_else(|e| panic!("{lm}: {e}"));
    let date = httpdate::parse_http_date(r.header("date").unwrap()).unwrap();
    assert!(t <= date, "{lm}");
    let listing = get(s.socket_addr(), b"/");
    assert_eq!(listing.status, 200);
    let html = String::from_utf8_lossy(&listing.body);
    assert!(html.contains("\"old.txt\"") && html.contains("\"future.txt\""));
    assert_eq!(get(s.socket_addr(), b"/locked.txt").status, 403, "{engine}");
    assert_eq!(get(s.socket_addr(), b"/lockeddir/").status, 403, "{engine}");
    still_healthy(&mut s, fds);
});

engine_test!(hostile_names_render_as_text_with_relative_links, |engine| {
    let f = Fixture::new();
    let names: &[&[u8]] = &[
        b"<script>alert(1)",
        b"<img src=x onerror=alert(1)>",
        b"q\"uo'te.txt",
        b"100%.txt",
        b"javascript:alert(1)",
        b"a:b",
        b"line\nbreak",
        b"bad-\xff\xfe-utf8",
        "中文 名字.txt".as_bytes(),
        b"&amp;",
    ];
    for n in names {
        let p = f.root().join("names").join(std::ffi::OsStr::from_bytes(n));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, n).unwrap();
    }
    let mut s = f.serve(engine, &["-q"]);
    let fds = baseline(&s);
    let r = get(s.socket_addr(), b"/names/");
    let html = String::from_utf8(r.body).unwrap();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)</a>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("q&quot;uo&#39;te.txt"));
    assert!(html.contains("&amp;amp;"));
    assert!(html.contains("中文 名字.txt"));
    // Every link is relative (breadcrumbs, column headers, entries), and each entry
    // link (the rows after the parent's) fetches its file.
    let hrefs = |part: &str| -> Vec<String> {
        part.split("href=\"")
            .skip(1)
            .map(|h| h[..h.find('"').unwrap()].to_string())
            .collect()
    };
    for h in &hrefs(&html) {
        assert!(!h.contains(':') && !h.starts_with('/'), "{h}");
        assert!(!h.contains(['<', '>', ' ', '\n']), "{h}");
    }
    let rows = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    let entries = hrefs(rows);
    assert_eq!(entries.len(), names.len() + 1, "{html}");
    assert_eq!(entries[0], "../");
    for h in entries.iter().skip(1) {
        let target = format!("/names/{h}").replace("&amp;", "&");
        let r = get(s.socket_addr(), target.as_bytes());
        assert_eq!(r.status, 200, "{target}");
        assert!(names.contains(&r.body.as_slice()), "{target}");
    }
    let json = crate::http::raw_one(
        s.socket_addr(),
        b"GET /names/ HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(v["entries"].as_array().unwrap().len(), names.len());
    still_healthy(&mut s, fds);
});

#[test]
fn control_bytes_never_reach_the_access_log() {
    let f = Fixture::new();
    let s = f.serve("thread", &[]);
    get(s.socket_addr(), b"/%1b[2J%0a%0dX");
    get(s.socket_addr(), "/\u{e9}\u{1b}".as_bytes());
    let line = s.wait_for_line("[2J", Duration::from_secs(5)).unwrap();
    assert!(line.contains("/%1b[2J%0a%0dX 404"), "{line}");
    assert!(s.wait_for_line("400", Duration::from_secs(5)).is_some());
    for l in s.stderr_lines() {
        assert!(!l.chars().any(|c| c.is_control()), "control byte in {l:?}");
    }
}
