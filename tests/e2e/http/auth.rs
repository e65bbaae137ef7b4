//! `--auth` and `--auth-file` on every engine: 401 with `WWW-Authenticate` until the
//! right credentials come, the same 401 whether the path exists or not (no path
//! oracle), the same time for an unknown user as for a wrong password (no timing
//! oracle), hashes from a file, CORS preflights without credentials.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine as _;

use super::{Fixture, Resp, parse_responses, raw_one};
use crate::engines::engine_test;

fn basic(user: &str, pass: &str) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    format!("Authorization: Basic {b}\r\n")
}

fn req(addr: std::net::SocketAddr, method: &str, target: &str, headers: &str) -> Resp {
    raw_one(
        addr,
        format!("{method} {target} HTTP/1.1\r\nHost: t\r\n{headers}\r\n").as_bytes(),
    )
}

/// The status of a GET with these credentials.
fn as_user(addr: std::net::SocketAddr, user: &str, pass: &str) -> u16 {
    req(addr, "GET", "/hello.txt", &basic(user, pass)).status
}

/// A response's head without its `Date` (for comparing two answers).
fn without_date(r: &Resp) -> Vec<(String, String)> {
    r.headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("date"))
        .cloned()
        .collect()
}

engine_test!(basic_auth_asks_then_admits, |engine| {
    let f = Fixture::new();
    let s = f.serve(
        engine,
        &["-q", "--auth", "alice:s3cret", "--cors", "--upload"],
    );
    let a = s.socket_addr();
    let r = req(a, "GET", "/hello.txt", "");
    assert_eq!(r.status, 401, "{engine}");
    assert_eq!(
        r.header("www-authenticate"),
        Some("Basic realm=\"nettool\", charset=\"UTF-8\"")
    );
    assert!(!String::from_utf8_lossy(&r.body).contains("hello"));
    assert_eq!(as_user(a, "alice", "wrong"), 401);
    assert_eq!(as_user(a, "bob", "s3cret"), 401);
    assert_eq!(
        req(a, "GET", "/hello.txt", "Authorization: Bearer x\r\n").status,
        401
    );
    let ok = req(a, "GET", "/hello.txt", &basic("alice", "s3cret"));
    assert_eq!(
        (ok.status, ok.body.as_slice()),
        (200, &b"hello, world\n"[..])
    );
    // No path oracle: the 401 for a file, a missing path, a directory, a refused
    // symlink and a bad method are one and the same answer.
    let first = req(a, "GET", "/hello.txt", "");
    for target in ["/nope", "/sub/", "/sub", "/link_out", "/.hidden"] {
        let r = req(a, "GET", target, "");
        assert_eq!(r.status, 401, "{target} on {engine}");
        assert_eq!(without_date(&r), without_date(&first), "{target}");
        assert_eq!(r.body, first.body, "{target}");
    }
    assert_eq!(req(a, "DELETE", "/nope", "").status, 401);
    // Nothing is written without credentials.
    let put = raw_one(
        a,
        b"PUT /new.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc",
    );
    assert_eq!(put.status, 401);
    assert!(!f.root().join("new.txt").exists());
    // A CORS preflight carries no credentials and must not need them.
    let pre = req(
        a,
        "OPTIONS",
        "/hello.txt",
        "Origin: http://example.com\r\nAccess-Control-Request-Method: GET\r\n",
    );
    assert_eq!(pre.status, 204, "{engine}");
    // A 401 keeps the connection: the browser retries on it with credentials.
    let mut c = TcpStream::connect(a).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    c.write_all(
        format!(
            "GET /hello.txt HTTP/1.1\r\nHost: t\r\n{}Connection: close\r\n\r\n",
            basic("alice", "s3cret")
        )
        .as_bytes(),
    )
    .unwrap();
    let mut got = Vec::new();
    c.read_to_end(&mut got).unwrap();
    let rs = parse_responses(&got, &[false, false]);
    assert_eq!((rs[0].status, rs[1].status), (401, 200), "{engine}");
});

/// The shortest time of `n` requests with each of `headers`, taken in turns (the
/// least disturbed by whatever else the machine does, and disturbed alike).
fn fastest(addr: std::net::SocketAddr, headers: &[&str], n: usize) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; headers.len()];
    for _ in 0..n {
        for (h, b) in headers.iter().zip(best.iter_mut()) {
            let t = Instant::now();
            assert_eq!(req(addr, "GET", "/hello.txt", h).status, 401);
            *b = (*b).min(t.elapsed());
        }
    }
    best
}

engine_test!(auth_file_hashes_and_no_timing_oracle, |engine| {
    use argon2::PasswordHasher;
    let f = Fixture::new();
    let bcrypt_hash = bcrypt::hash("bpass", 5).unwrap();
    let params = argon2::Params::new(4096, 2, 1, None).unwrap();
    let argon_hash = argon2::Argon2::from(params)
        .hash_password(b"apass")
        .unwrap()
        .to_string();
    let users = f.dir.path().join("users");
    std::fs::write(
        &users,
        format!("# htpasswd -nB style\nbea:{bcrypt_hash}\nara:{argon_hash}\n"),
    )
    .unwrap();
    let s = f.serve(engine, &["-q", "--auth-file", users.to_str().unwrap()]);
    let a = s.socket_addr();
    assert_eq!(as_user(a, "bea", "bpass"), 200, "{engine}");
    assert_eq!(as_user(a, "ara", "apass"), 200);
    assert_eq!(as_user(a, "bea", "apass"), 401);
    assert_eq!(as_user(a, "ara", "bpass"), 401);
    // An unknown user costs a hash check like a known one with a wrong password: the
    // time does not tell which user names exist.
    let (wrong, stranger) = (basic("bea", "nope"), basic("mallory", "nope"));
    // (An implementation that skipped the check for unknown users would answer them
    // as fast as a request without credentials: far outside these bounds.)
    let t = fastest(a, &["", &wrong, &stranger], 25);
    let (none, known, unknown) = (t[0], t[1], t[2]);
    assert!(
        unknown * 3 > known && known * 3 > unknown && unknown > none * 3,
        "{engine}: no credentials {none:?}, wrong password {known:?}, unknown user {unknown:?}"
    );
    // A bad file is a one-line usage error naming the line.
    std::fs::write(&users, "carol:plaintext\n").unwrap();
    let out = crate::util::nettool()
        .args(["serve-http", ".", "-l", "127.0.0.1:0", "--auth-file"])
        .arg(&users)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 1") && err.lines().count() == 1, "{err}");
});
