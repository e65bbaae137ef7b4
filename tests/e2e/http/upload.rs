//! `--upload` on every engine: PUT (Content-Length and chunked), the listing page's
//! own multipart form, 201/204/409/412/413, nothing written outside the root, never
//! a partial file under the final name, nothing left behind by an aborted upload.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use super::{Fixture, Resp, base, curl, get, raw_one};
use crate::engines::engine_test;
use crate::util::{random_bytes, require, wait_until};

/// Temporary upload files left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(nettool::proto::http::staged::TEMP_PREFIX))
        .collect()
}

/// `curl ARGS` printing the status code, and the body it got.
fn curl_status(args: &[&str]) -> (u16, String) {
    let mut a = vec!["-o", "-", "-w", "\n%{http_code}"];
    a.extend_from_slice(args);
    let out = curl(&a);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", &text));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

fn put(addr: std::net::SocketAddr, target: &str, body: &[u8], headers: &str) -> Resp {
    let mut r = format!(
        "PUT {target} HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    raw_one(addr, &r)
}

engine_test!(put_creates_refuses_and_replaces, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let root = f.root();
    let data = random_bytes(3 << 20, 77);
    let src = f.dir.path().join("upload.bin");
    std::fs::write(&src, &data).unwrap();
    let s = f.serve(engine, &["-q", "--upload", "--max-upload", "4M"]);
    let url = format!("{}sub/new.bin", base(&s));
    let (code, body) = curl_status(&["-T", src.to_str().unwrap(), &url]);
    assert_eq!(code, 201, "{engine}: {body}");
    assert!(
        std::fs::read(root.join("sub/new.bin")).unwrap() == data,
        "{engine}"
    );
    let r = put(s.socket_addr(), "/sub/new2.txt", b"abc", "");
    assert_eq!(
        (r.status, r.header("location")),
        (201, Some("/sub/new2.txt"))
    );
    // Again without --overwrite: 409, and the file is untouched.
    let (code, _) = curl_status(&["-T", src.to_str().unwrap(), &url]);
    assert_eq!(code, 409, "{engine}");
    let r = put(s.socket_addr(), "/sub/new2.txt", b"changed", "");
    assert_eq!(r.status, 409);
    assert_eq!(std::fs::read(root.join("sub/new2.txt")).unwrap(), b"abc");
    // A body streamed with chunked coding (curl reading stdin).
    let out = std::process::Command::new("curl")
        .args([
            "-s",
            "--max-time",
            "20",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
        ])
        .args(["-T", "-", &format!("{}chunked.bin", base(&s))])
        .stdin(std::fs::File::open(&src).unwrap())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "201", "{engine}");
    assert!(std::fs::read(root.join("chunked.bin")).unwrap() == data);
    // Above --max-upload: 413 before a byte is stored.
    let big = f.dir.path().join("big.bin");
    std::fs::write(&big, random_bytes(5 << 20, 78)).unwrap();
    let (code, _) = curl_status(&["-T", big.to_str().unwrap(), &format!("{}big.bin", base(&s))]);
    assert_eq!(code, 413, "{engine}");
    assert!(!root.join("big.bin").exists());
    // Outside the root, through a symlink, hidden, in a missing directory, onto a
    // directory: refused.
    let a = s.socket_addr();
    assert_eq!(
        put(a, "/dir_out/escaped.txt", b"x", "").status,
        403,
        "{engine}"
    );
    assert!(!f.dir.path().join("escaped.txt").exists());
    assert_eq!(
        put(a, "/../up.txt", b"x", "").status,
        201,
        "clamped at the root"
    );
    assert!(root.join("up.txt").exists() && !f.dir.path().join("up.txt").exists());
    assert_eq!(put(a, "/.evil", b"x", "").status, 403);
    assert_eq!(put(a, "/nodir/x.txt", b"x", "").status, 409);
    assert_eq!(put(a, "/sub", b"x", "").status, 409);
    assert_eq!(put(a, "/sub/", b"x", "").status, 409);
    let no_length = raw_one(a, b"PUT /n.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(no_length.status, 411);
    // With --overwrite: 204, replaced; If-None-Match: * still protects.
    let s = f.serve(engine, &["-q", "--upload", "--overwrite"]);
    let a = s.socket_addr();
    let r = put(a, "/sub/new2.txt", b"replaced", "");
    assert_eq!(
        (r.status, r.header("content-length")),
        (204, None),
        "{engine}"
    );
    assert_eq!(
        std::fs::read(root.join("sub/new2.txt")).unwrap(),
        b"replaced"
    );
    assert_eq!(
        put(a, "/sub/new2.txt", b"no", "If-None-Match: *\r\n").status,
        412
    );
    let tag = get(a, b"/sub/new2.txt").header("etag").unwrap().to_string();
    assert_eq!(
        put(a, "/sub/new2.txt", b"no", "If-Match: \"old\"\r\n").status,
        412
    );
    let r = put(
        a,
        "/sub/new2.txt",
        b"matched",
        &format!("If-Match: {tag}\r\n"),
    );
    assert_eq!(r.status, 204);
    assert!(leftovers(&root).is_empty() && leftovers(&root.join("sub")).is_empty());
    // Without --upload there is no writing at all.
    let ro = f.serve(engine, &["-q"]);
    assert_eq!(put(ro.socket_addr(), "/ro.txt", b"x", "").status, 405);
    assert!(!root.join("ro.txt").exists());
});

engine_test!(
    a_partial_upload_is_never_visible_and_leaves_nothing,
    except [iterative] because "one client at a time: the test holds a connection open while it needs another served",
    |engine| {
        let f = Fixture::new();
        let root = f.root();
        let s = f.serve(engine, &["-q", "--upload"]);
        let body = random_bytes(1 << 20, 5);
        // Half the body, then the client goes away.
        let mut c = TcpStream::connect(s.socket_addr()).unwrap();
        c.write_all(
            format!(
                "PUT /half.bin HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
        c.write_all(&body[..body.len() / 2]).unwrap();
        assert!(
            wait_until(Duration::from_secs(10), || !leftovers(&root).is_empty()),
            "{engine}: no temporary file while the body arrives"
        );
        assert!(
            !root.join("half.bin").exists(),
            "{engine}: partial file visible"
        );
        let listing = String::from_utf8(get(s.socket_addr(), b"/").body).unwrap();
        assert!(!listing.contains("nettool-upload"), "{listing}");
        drop(c);
        assert!(
            wait_until(Duration::from_secs(10), || leftovers(&root).is_empty()),
            "{engine}: {:?} left behind",
            leftovers(&root)
        );
        assert!(!root.join("half.bin").exists());
        // The whole body, in pieces: the file appears only complete.
        let mut c = TcpStream::connect(s.socket_addr()).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        c.write_all(format!("PUT /whole.bin HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes())
        .unwrap();
        for piece in body.chunks(64 << 10) {
            assert!(!root.join("whole.bin").exists());
            c.write_all(piece).unwrap();
        }
        let mut got = Vec::new();
        std::io::Read::read_to_end(&mut c, &mut got).unwrap();
        assert!(
            got.starts_with(b"HTTP/1.1 201 "),
            "{engine}: {:?}",
            String::from_utf8_lossy(&got)
        );
        assert!(std::fs::read(root.join("whole.bin")).unwrap() == body);
    }
);

engine_test!(the_listing_form_uploads_files, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let root = f.root();
    let a_txt = f.dir.path().join("a.txt");
    std::fs::write(&a_txt, "first file\n").unwrap();
    let b_bin = f.dir.path().join("b b.bin");
    let b_data = random_bytes(200_000, 6);
    std::fs::write(&b_bin, &b_data).unwrap();
    let s = f.serve(engine, &["-q", "--upload"]);
    let url = format!("{}sub/", base(&s));
    let page = String::from_utf8(get(s.socket_addr(), b"/sub/").body).unwrap();
    assert!(
        page.contains("<form method=\"post\" enctype=\"multipart/form-data\">"),
        "{page}"
    );
    assert!(page.contains("<input type=\"file\" name=\"file\" multiple"));
    let a_arg = format!("file=@{}", a_txt.display());
    let b_arg = format!("file=@{}", b_bin.display());
    let (code, body) = curl_status(&["-F", &a_arg, "-F", &b_arg, "-F", "note=ignored", &url]);
    assert_eq!(code, 201, "{engine}: {body}");
    assert!(
        body.contains("Stored 2 files") && body.contains("href=\"/sub/b%20b.bin\""),
        "{body}"
    );
    assert_eq!(
        std::fs::read(root.join("sub/a.txt")).unwrap(),
        b"first file\n"
    );
    assert!(
        std::fs::read(root.join("sub/b b.bin")).unwrap() == b_data,
        "{engine}"
    );
    // The same names again: 409, nothing replaced.
    std::fs::write(&a_txt, "second\n").unwrap();
    let (code, _) = curl_status(&["-F", &a_arg, &url]);
    assert_eq!(code, 409);
    assert_eq!(
        std::fs::read(root.join("sub/a.txt")).unwrap(),
        b"first file\n"
    );
    // Another site's page cannot make a visitor's browser upload (a form POST needs
    // no preflight): refused by Origin or Sec-Fetch-Site.
    let c_txt = f.dir.path().join("c.txt");
    std::fs::write(&c_txt, "c\n").unwrap();
    let c_arg = format!("file=@{}", c_txt.display());
    for h in ["Origin: http://evil.example", "Sec-Fetch-Site: cross-site"] {
        let (code, _) = curl_status(&["-H", h, "-F", &c_arg, &url]);
        assert_eq!(code, 403, "{h} on {engine}");
    }
    let same = format!("Origin: {}", base(&s).trim_end_matches('/'));
    let (code, _) = curl_status(&["-H", &same, "-F", &c_arg, &url]);
    assert_eq!(code, 201, "same origin on {engine}");
    // Not a form: 415.
    let (code, _) = curl_status(&["-H", "Content-Type: text/plain", "--data-binary", "x", &url]);
    assert_eq!(code, 415);
    assert!(leftovers(&root.join("sub")).is_empty());
});
