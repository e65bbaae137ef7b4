//! Tests of `request.rs`.
use super::*;

fn ok(raw: &[u8]) -> Request<'_> {
    match parse(raw) {
        Ok(Parsed::Complete(r)) => r,
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(raw)),
    }
}

fn status(raw: &[u8]) -> u16 {
    match parse(raw) {
        Err(r) => r.status,
        Ok(p) => panic!("{:?} parsed: {p:?}", String::from_utf8_lossy(raw)),
    }
}

#[test]
fn simple_get_and_keep_alive_rules() {
    let r = ok(b"GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(
        (r.method, r.target, r.keep_alive),
        (Method::Get, &b"/a?b"[..], true)
    );
    assert!(!ok(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").keep_alive);
    assert!(!ok(b"GET / HTTP/1.0\r\n\r\n").keep_alive);
    assert!(ok(b"HEAD / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
    assert_eq!(ok(b"DELETE / HTTP/1.0\r\n\r\n").method, Method::Delete);
    assert_eq!(ok(b"BREW / HTTP/1.0\r\n\r\n").method, Method::Unknown);
    assert_eq!(
        ok(b"get / HTTP/1.0\r\n\r\n").method,
        Method::Unknown,
        "methods are case-sensitive"
    );
    let r =
        ok(b"GET / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\naccept: application/json\r\n\r\n");
    assert_eq!(
        r.accept.as_deref(),
        Some(&b"text/html, application/json"[..])
    );
}

#[test]
fn versions() {
    assert_eq!(ok(b"GET / HTTP/1.2\r\nHost: x\r\n\r\n").minor, 1);
    assert_eq!(ok(b"GET / HTTP/1.9\r\nHost: x\r\n\r\n").minor, 1);
    assert_eq!(status(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
    assert_eq!(status(b"GET / HTTP/0.9\r\n\r\n"), 505);
    assert_eq!(status(b"GET / HTTP/1.10\r\nHost: x\r\n\r\n"), 400);
    assert_eq!(status(b"GET / HTTP/1\r\nHost: x\r\n\r\n"), 400);
    assert_eq!(status(b"GET / http/1.1\r\nHost: x\r\n\r\n"), 400);
    assert_eq!(status(b"GET /\r\n\r\n"), 400);
    let r = ok(b"\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(r.head_len, 4 + 27);
}

#[test]
fn obs_text_is_opaque() {
    let r = ok(b"GET / HTTP/1.1\r\nHost: x\r\nX: caf\xe9\r\nAccept: \xff\r\n\r\n");
    assert_eq!(r.accept.as_deref(), Some(&b"\xff"[..]));
}

#[test]
fn hosts() {
    for h in [
        &b""[..],
        b"a",
        b"a.b:80",
        b"[::1]",
        b"[::1]:8080",
        b"1.2.3.4",
        b"a%20b",
        b"h:",
        b"[v1.x]",
    ] {
        assert!(valid_host(h), "{:?}", String::from_utf8_lossy(h));
    }
    for h in [
        &b"a b"[..],
        b"a/b",
        b"x@y",
        b"[::1",
        b"h:8o",
        b"a?b",
        b"[zz]",
        b"[::1]x",
        b"%zz",
        b"a#",
    ] {
        assert!(!valid_host(h), "{:?}", String::from_utf8_lossy(h));
    }
    assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
    assert_eq!(status(b"GET / HTTP/1.0\r\nHost: a/b\r\n\r\n"), 400);
}

#[test]
fn partial_until_the_blank_line() {
    assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n"), Ok(Parsed::Partial));
    assert_eq!(parse(b"GE"), Ok(Parsed::Partial));
    assert_eq!(parse(b"\r"), Ok(Parsed::Partial));
}

#[test]
fn limits_give_414_and_431() {
    let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_REQUEST_LINE));
    assert_eq!(status(long.as_bytes()), 414);
    assert_eq!(status("a".repeat(MAX_REQUEST_LINE + 1).as_bytes()), 414);
    let mut many = String::from("GET / HTTP/1.1\r\nHost: x\r\n");
    for i in 0..MAX_HEADERS {
        many.push_str(&format!("X-{i}: y\r\n"));
    }
    many.push_str("\r\n");
    assert_eq!(status(many.as_bytes()), 431);
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n",
        "b".repeat(MAX_HEAD)
    );
    assert_eq!(status(big.as_bytes()), 431);
}

#[test]
fn framing_attacks_are_400() {
    for raw in [
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -48\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: +1_0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1Z\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n  folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /\x02 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
    ] {
        assert_eq!(status(raw.as_bytes()), 400, "{raw:?}");
    }
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        501
    );
}

#[test]
fn framing_and_conditions() {
    let r = ok(b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    assert_eq!(r.framing, Framing::Length(3));
    let r = ok(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(r.framing, Framing::None);
    let r = ok(b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n");
    assert_eq!(r.framing, Framing::Chunked);
    let d = b"Sun, 06 Nov 1994 08:49:37 GMT";
    let mut raw = b"GET / HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: ".to_vec();
    raw.extend_from_slice(d);
    raw.extend_from_slice(b"\r\nIf-Modified-Since: ");
    raw.extend_from_slice(d);
    raw.extend_from_slice(b"\r\nExpect: 100-continue\r\n\r\n");
    let r = ok(&raw);
    assert_eq!(r.if_modified_since, None, "sent twice: ignored");
    assert!(r.expect_continue && !r.expect_other);
}
