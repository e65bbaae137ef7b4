//! The HTTP request head parser (`proto::http::request::parse`) on any bytes.
//!
//! Invariants: a complete head ends with its blank line inside the limits, and
//! parses the same from exactly its own bytes; every shorter prefix of it is still
//! `Partial` (so how bytes arrive never changes the answer); an error is a 400, 414,
//! 431, 501 or 505 and stays an error however many bytes follow; what the parser extracted
//! agrees with an independent reading of the head by httparse: method, target,
//! version, one Host for HTTP/1.1, framing (Content-Length digits and agreeing,
//! never beside Transfer-Encoding, chunked only) and keep-alive.

use nettool::proto::http::request::{Framing, MAX_HEAD, Method, Parsed, Request, parse};

fn check(data: &[u8]) {
    let result = parse(data);
    match &result {
        Ok(Parsed::Partial) => {
            assert!(data.len() <= MAX_HEAD, "partial beyond the head limit");
        }
        Err(rej) => {
            assert!(matches!(rej.status, 400 | 414 | 431 | 501 | 505), "{rej:?}");
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

    // httparse knows HTTP/1.0 and 1.1 only (a later 1.x is read as 1.1, RFC 9112
    // §2.3) and refuses bytes above 0x7F in the target, which we pass on as nginx does.
    let head = for_httparse(head, r.target.len());
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    assert!(matches!(
        req.parse(&head),
        Ok(httparse::Status::Complete(_))
    ));
    let method = req.method.expect("method");
    assert_eq!(r.method_raw, method.as_bytes());
    let expected = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "OPTIONS" => Method::Options,
        "PUT" => Method::Put,
        "POST" => Method::Post,
        "DELETE" => Method::Delete,
        "PATCH" => Method::Patch,
        "TRACE" => Method::Trace,
        "CONNECT" => Method::Connect,
        _ => Method::Unknown,
    };
    assert_eq!(r.method, expected);
    let visible = |b: &u8| if *b > 0x7f { b'~' } else { *b };
    assert!(
        r.target
            .iter()
            .map(visible)
            .eq(req.path.expect("target").bytes()),
        "target"
    );
    assert_eq!(Some(r.minor), req.version);

    let named = |name: &str| {
        req.headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.trim_ascii())
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
    assert!(te.len() <= 1 && te.iter().all(|t| t.eq_ignore_ascii_case(b"chunked")));
    let mut length = None;
    for l in &lengths {
        assert!(!l.is_empty() && l.iter().all(u8::is_ascii_digit), "{l:?}");
        let n: u64 = std::str::from_utf8(l).unwrap().parse().expect("digits fit");
        assert!(
            length.is_none_or(|m| m == n),
            "conflicting lengths accepted"
        );
        length = Some(n);
    }
    let framing = match (te.len(), length) {
        (1, _) => Framing::Chunked,
        (_, Some(n)) if n > 0 => Framing::Length(n),
        _ => Framing::None,
    };
    assert_eq!(r.framing, framing);
    let close = named("connection")
        .iter()
        .flat_map(|v| v.split(|&b| b == b','))
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"close"));
    if close {
        assert!(!r.keep_alive, "Connection: close ignored");
    }
    // Values handed on to the response logic are single-line text.
    for v in [
        r.range,
        r.if_range,
        r.if_none_match.as_deref(),
        r.if_match.as_deref(),
        r.if_modified_since,
        r.accept.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(!v.iter().any(|b| b"\r\n\0".contains(b)), "{v:?}");
    }
}

/// `head` with a request line's `HTTP/1.N` (N > 1) written as `HTTP/1.1` and the
/// target's (`target_len` bytes after the first space) bytes above 0x7F as `~`.
fn for_httparse(head: &[u8], target_len: usize) -> Vec<u8> {
    let mut head = head.to_vec();
    let skipped = head
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    if let Some(sp) = head[skipped..].iter().position(|&b| b == b' ') {
        let target = skipped + sp + 1;
        for b in &mut head[target..target + target_len] {
            if *b > 0x7f {
                *b = b'~';
            }
        }
    }
    if let Some(nl) = head[skipped..].iter().position(|&b| b == b'\n') {
        let end = skipped + nl - usize::from(head[skipped + nl - 1] == b'\r');
        let minor = end - 1;
        if head[..end].ends_with(b"HTTP/1.") || !head[minor].is_ascii_digit() {
            return head;
        }
        if head[minor] > b'1' && head[..minor].ends_with(b"HTTP/1.") {
            head[minor] = b'1';
        }
    }
    head
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
