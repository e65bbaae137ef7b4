//! Rows for serve-http's own options: each starts a server on a temporary tree and
//! observes what the option changes in an answer.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;

use super::Row;
use super::fixtures::timed;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    super::rows!("serve-http":
        "--index" => index,
        "--no-listing" => no_listing,
        "--hidden" => hidden,
        "--follow-symlinks" => follow_symlinks,
        "--header-timeout" => header_timeout,
        "--no-cache" => no_cache,
        "--precompressed" => precompressed,
        "--compress" => compress,
        "--compress-max" => compress_max,
        "--cache-control" => cache_control,
        "--cors" => cors,
        "--header" => header,
        "--auth" => auth,
        "--auth-file" => auth_file,
        "--upload" => upload,
        "--max-upload" => max_upload,
        "--overwrite" => overwrite,
        "--spa" => spa,
    )
}

/// `GET path` on a fresh connection: the status code and the body.
pub fn get(s: &Server, path: &str) -> (u16, Vec<u8>) {
    let mut c = TcpStream::connect(s.host_port()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut got = Vec::new();
    c.read_to_end(&mut got).unwrap();
    let text = String::from_utf8_lossy(&got);
    let code = text[9..12].parse().unwrap();
    let body = got[text.find("\r\n\r\n").unwrap() + 4..].to_vec();
    (code, body)
}

fn http(root: &std::path::Path, args: &[&str]) -> Server {
    let r = root.display().to_string();
    Server::start(&[&["serve-http", &r, "-l", "127.0.0.1:0"][..], args].concat())
}

fn index() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("home.html"), "home").unwrap();
    assert_eq!(
        get(&http(dir.path(), &["--index", "home.html"]), "/").1,
        b"home"
    );
    assert_ne!(get(&http(dir.path(), &[]), "/").1, b"home");
}

fn no_listing() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(get(&http(dir.path(), &[]), "/").0, 200);
    assert_eq!(get(&http(dir.path(), &["--no-listing"]), "/").0, 403);
}

fn hidden() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".secret"), "s").unwrap();
    assert_eq!(get(&http(dir.path(), &[]), "/.secret").0, 404);
    assert_eq!(get(&http(dir.path(), &["--hidden"]), "/.secret").0, 200);
}

fn follow_symlinks() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("f"), "far").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path().join("f"), dir.path().join("link")).unwrap();
    assert_eq!(get(&http(dir.path(), &[]), "/link").0, 403);
    assert_eq!(
        get(&http(dir.path(), &["--follow-symlinks"]), "/link").1,
        b"far"
    );
}

fn header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let s = http(dir.path(), &["--header-timeout", "200ms"]);
    let mut c = TcpStream::connect(s.host_port()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let (got, took) = timed(|| {
        let mut v = Vec::new();
        let _ = c.read_to_end(&mut v);
        v
    });
    assert!(
        took < Duration::from_secs(5),
        "an incomplete head held {took:?}"
    );
    assert!(
        got.is_empty() || got.starts_with(b"HTTP/1.1 408"),
        "{got:?}"
    );
}

fn no_cache() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.txt"), "x").unwrap();
    let holds_file = |args: &[&str]| {
        let s = http(dir.path(), args);
        assert_eq!(get(&s, "/f.txt").0, 200);
        crate::util::proc::open_fds(s.pid())
            .iter()
            .any(|t| t.ends_with("f.txt"))
    };
    assert!(holds_file(&[]), "the cache keeps a served file open");
    assert!(!holds_file(&["--no-cache"]), "--no-cache opens per request");
}

/// A raw request on a fresh connection; the whole answer as text (head and body).
fn raw(s: &Server, req: &str) -> String {
    let mut c = TcpStream::connect(s.host_port()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(req.as_bytes()).unwrap();
    let mut got = Vec::new();
    c.read_to_end(&mut got).unwrap();
    String::from_utf8_lossy(&got).into_owned()
}

/// `GET path` with extra header lines; the answer's head, lower-cased.
fn head_with(s: &Server, path: &str, headers: &str) -> String {
    let t = raw(
        s,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"),
    );
    t[..t.find("\r\n\r\n").unwrap_or(t.len())].to_ascii_lowercase()
}

fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    dir
}

fn precompressed() {
    let dir = tree(&[("a.js", b"plain"), ("a.js.gz", b"\x1f\x8bgzipped")]);
    let ae = "Accept-Encoding: gzip\r\n";
    assert!(!head_with(&http(dir.path(), &[]), "/a.js", ae).contains("content-encoding"));
    let h = head_with(&http(dir.path(), &["--precompressed"]), "/a.js", ae);
    assert!(h.contains("content-encoding: gzip"), "{h}");
}

fn compress() {
    let dir = tree(&[("t.txt", &[b'a'; 4000])]);
    let ae = "Accept-Encoding: gzip\r\n";
    assert!(!head_with(&http(dir.path(), &[]), "/t.txt", ae).contains("content-encoding"));
    let h = head_with(&http(dir.path(), &["--compress"]), "/t.txt", ae);
    assert!(h.contains("content-encoding: gzip"), "{h}");
}

fn compress_max() {
    let dir = tree(&[("t.txt", &[b'a'; 4000])]);
    let ae = "Accept-Encoding: gzip\r\n";
    let small = http(dir.path(), &["--compress", "--compress-max", "1k"]);
    assert!(!head_with(&small, "/t.txt", ae).contains("content-encoding"));
}

fn cache_control() {
    let dir = tree(&[("f", b"x")]);
    assert!(!head_with(&http(dir.path(), &[]), "/f", "").contains("cache-control"));
    let h = head_with(
        &http(dir.path(), &["--cache-control", "max-age=60"]),
        "/f",
        "",
    );
    assert!(h.contains("cache-control: max-age=60"), "{h}");
}

fn cors() {
    let dir = tree(&[("f", b"x")]);
    let origin = "Origin: http://elsewhere.test\r\n";
    assert!(!head_with(&http(dir.path(), &[]), "/f", origin).contains("access-control"));
    let h = head_with(&http(dir.path(), &["--cors"]), "/f", origin);
    assert!(h.contains("access-control-allow-origin"), "{h}");
}

fn header() {
    let dir = tree(&[("f", b"x")]);
    let h = head_with(&http(dir.path(), &["--header", "X-Test: yes"]), "/f", "");
    assert!(h.contains("x-test: yes"), "{h}");
}

fn basic(user: &str, pass: &str) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    format!("Authorization: Basic {b}\r\n")
}

fn auth() {
    let dir = tree(&[("f", b"x")]);
    let s = http(dir.path(), &["--auth", "u:p"]);
    assert!(head_with(&s, "/f", "").starts_with("http/1.1 401"));
    assert!(head_with(&s, "/f", &basic("u", "p")).starts_with("http/1.1 200"));
}

fn auth_file() {
    let dir = tree(&[("f", b"x")]);
    let users = tempfile::NamedTempFile::new().unwrap();
    let hash = bcrypt::hash("pw", 4).unwrap();
    std::fs::write(users.path(), format!("bea:{hash}\n")).unwrap();
    let s = http(dir.path(), &["--auth-file", users.path().to_str().unwrap()]);
    assert!(head_with(&s, "/f", "").starts_with("http/1.1 401"));
    assert!(head_with(&s, "/f", &basic("bea", "pw")).starts_with("http/1.1 200"));
}

fn put(s: &Server, path: &str, body: &str) -> String {
    let t = raw(
        s,
        &format!(
            "PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    t.lines().next().unwrap_or("").to_string()
}

fn upload() {
    let dir = tree(&[]);
    assert!(!put(&http(dir.path(), &[]), "/new", "data").contains(" 201"));
    assert!(put(&http(dir.path(), &["--upload"]), "/new", "data").contains(" 201"));
    assert_eq!(std::fs::read(dir.path().join("new")).unwrap(), b"data");
}

fn max_upload() {
    let dir = tree(&[]);
    let s = http(dir.path(), &["--upload", "--max-upload", "4"]);
    assert!(put(&s, "/big", "too large").contains(" 413"));
    assert!(!dir.path().join("big").exists());
}

fn overwrite() {
    let dir = tree(&[("old", b"old")]);
    assert!(put(&http(dir.path(), &["--upload"]), "/old", "new").contains(" 409"));
    let s = http(dir.path(), &["--upload", "--overwrite"]);
    assert!(put(&s, "/old", "new").starts_with("HTTP/1.1 20"));
    assert_eq!(std::fs::read(dir.path().join("old")).unwrap(), b"new");
}

fn spa() {
    let dir = tree(&[("app.html", b"app")]);
    assert_eq!(get(&http(dir.path(), &[]), "/some/route").0, 404);
    let (code, body) = get(&http(dir.path(), &["--spa", "app.html"]), "/some/route");
    assert_eq!((code, body.as_slice()), (200, &b"app"[..]));
}
