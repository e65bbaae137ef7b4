//! The HTTP request head parser (`proto::http::request::parse`) on any bytes.
//!
//! Invariants: a complete head ends with its blank line inside the limits, and
//! parses the same from exactly its own bytes; every shorter prefix of it is still
//! `Partial` (so how bytes arrive never changes the answer); an error is a 400, 414 or
//! 431 and stays that error however many bytes follow; what the parser extracted
//! agrees with an independent reading of the head by httparse: method, target,
//! version, one Host for HTTP/1.1, framing (Content-Length digits and agreeing,
//! never beside Transfer-Encoding, chunked only) and keep-alive.

use nettool::proto::http::request::{MAX_HEAD, Method, Parsed, Request, parse};

fn check(data: &[u8]) {
    let result = parse(data);
    match &result {
        Ok(Parsed::Partial) => {
            assert!(data.len() <= MAX_HEAD, "partial beyond the head limit");
        }
        Err(rej) => {
            assert!(matches!(rej.status, 400 | 414 | 431), "{rej:?}");
            // More bytes never rescue a rejected head.
            let mut longer = data.to_vec();
            longer.extend_from_slice(b"\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assert!(
                parse(&longer).is_err(),
                "{rej:?} became acceptable with more bytes"
            );
        }
        Ok(Parsed::Complete(r)) => complete(data, r),
    }
}

fn complete(data: &[u8], r: &Request) {
    let head = &data[..r.head_len];
    assert!(r.head_len <= MAX_HEAD);
    assert!(
        head.ends_with(b"\n\n") || head.ends_with(b"\n\r\n"),
        "head end"
    );
    assert_eq!(parse(head), Ok(Parsed::Complete(r.clone())), "own bytes");
    // Every prefix waits for more (sampled: all short ones, then a stride).
    let step = (r.head_len / 256).max(1);
    for cut in (0..r.head_len).filter(|c| *c < 256 || c % step == 0) {
        assert_eq!(
            parse(&data[..cut]),
            Ok(Parsed::Partial),
            "prefix of {cut} bytes"
        );
    }

    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    assert!(matches!(req.parse(head), Ok(httparse::Status::Complete(_))));
    let method = req.method.expect("method");
    assert_eq!(r.method_name, method);
    let expected = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => Method::Other,
    };
    assert_eq!(r.method, expected);
    assert_eq!(r.target, req.path.expect("target").as_bytes());
    assert_eq!(Some(r.minor), req.version);

    let named = |name: &str| {
        req.headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| {
                std::str::from_utf8(h.value)
                    .expect("accepted values are UTF-8")
                    .trim_matches([' ', '\t'])
            })
            .collect::<Vec<_>>()
    };
    let hosts = named("host").len();
    assert!(
        hosts <= 1 && (r.minor == 0 || hosts == 1),
        "{hosts} Host headers"
    );
    let lengths = named("content-length");
    let te = named("transfer-encoding");
    assert!(
        lengths.is_empty() || te.is_empty(),
        "both framings accepted"
    );
    assert!(te.len() <= 1 && te.iter().all(|t| t.eq_ignore_ascii_case("chunked")));
    for l in &lengths {
        assert!(
            !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()),
            "{l:?}"
        );
        assert_eq!(l.parse::<u64>().ok(), Some(r.content_length), "{l:?}");
    }
    assert_eq!(r.chunked, te.len() == 1);
    assert_eq!(r.has_body, r.chunked || r.content_length > 0);
    let close = named("connection")
        .iter()
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().eq_ignore_ascii_case("close"));
    if close {
        assert!(!r.keep_alive, "Connection: close ignored");
    }
    // Values handed on to the response logic are single-line text.
    for v in [
        &r.range,
        &r.if_range,
        &r.if_none_match,
        &r.if_modified_since,
    ]
    .into_iter()
    .flatten()
    {
        assert!(!v.contains(['\r', '\n', '\0']), "{v:?}");
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
