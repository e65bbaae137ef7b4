//! A whole serve-http connection (the `HttpConn` service of `proto::http`) fed any
//! bytes in any pieces — pipelining, bodies, `Expect`, upgrades, garbage — driven as
//! an engine drives it (`nettool_fuzz::drive`): answered at once or in batching
//! turns, the outbox sent now or later, the peer half-closing at the end.
//!
//! Invariants: every byte sent is a well-framed response (`nettool_fuzz::http`);
//! nothing follows `Connection: close`; a file answer carries exactly the file's
//! bytes (by its ETag: all of it for 200, the `Content-Range` slice for 206, none for
//! 304); a 416 names a real size; a redirect stays on this host; an error body is its
//! small HTML page; a listing is valid JSON or HTML; the secret beside the root never
//! appears, unless `--follow-symlinks` serves it through a link. And the answers do not depend on delivery or on the cache: the same
//! stream sent in one piece to a server without the cache gets the same responses
//! (`Date` aside), or more of them when this run's peer half-closed with answers
//! still unsent (then these are a prefix).
//!
//! Input: an options byte (cache, listing, index, hidden, follow symlinks, drain
//! before the end), a count of cut bytes and the cuts (`input::pieces`), a byte of
//! batching bits and one of flush bits (one per piece, cycling), then the stream.

use std::sync::OnceLock;
use std::time::Duration;

use nettool::output::{Output, Verbosity};
use nettool::proto::http::fs::Root;
use nettool::proto::http::{HttpFactory, HttpOptions};
use nettool_fuzz::drive::{self, Delivery};
use nettool_fuzz::fixture::{self, SECRET};
use nettool_fuzz::http::{Response, responses, shown};
use nettool_fuzz::input::{Input, pieces};

/// Servers by option bits (cache, listing, index, hidden, follow), made once.
fn server(bits: u8) -> &'static HttpFactory {
    static ALL: OnceLock<Vec<HttpFactory>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        (0..32u8)
            .map(|b| {
                let root =
                    Root::new(&fixture::get().root, b & 8 != 0, b & 16 != 0).expect("fixture root");
                let opts = HttpOptions {
                    index: (b & 4 != 0).then(|| "index.html".to_string()),
                    listing: b & 2 != 0,
                    header_timeout: Duration::from_secs(60),
                    access_log: false,
                    cache: b & 1 != 0,
                    ..HttpOptions::default()
                };
                HttpFactory::new(root, opts, Output::new(false, Verbosity::Quiet))
            })
            .collect()
    });
    &all[usize::from(bits & 31)]
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let options = input.byte();
    let drain_before_eof = options & 32 != 0;
    let ncuts = usize::from(input.byte() % 16);
    let cuts = input.bytes(ncuts);
    let (batch_bits, flush_bits) = (input.byte(), input.byte());
    let stream = input.rest();

    let deliveries = (0..).map(|i: usize| Delivery {
        batched: batch_bits >> (i % 8) & 1 == 1,
        flush: flush_bits >> (i % 8) & 1 == 1,
    });
    let fuzzed = drive::run(
        server(options),
        pieces(stream, cuts).zip(deliveries),
        drain_before_eof,
    );
    let got = responses(&fuzzed.wire);
    // The reference: one piece, answered at once, no cache, everything sent.
    let reference = drive::run(
        server(options & !1),
        [(
            stream,
            Delivery {
                batched: false,
                flush: true,
            },
        )],
        true,
    );
    let want = responses(&reference.wire);
    let follow = options & 16 != 0;
    for r in got.iter().chain(&want) {
        answer_is_right(r, follow);
    }
    let (got_t, want_t): (Vec<_>, Vec<_>) = (
        got.iter().map(Response::timeless).collect(),
        want.iter().map(Response::timeless).collect(),
    );
    if drain_before_eof || fuzzed.closed_early {
        assert_eq!(got_t, want_t, "answers depend on delivery or the cache");
    } else {
        assert!(
            got_t.len() <= want_t.len() && got_t[..] == want_t[..got_t.len()],
            "answers depend on delivery or the cache:\n{got_t:?}\nvs\n{want_t:?}"
        );
    }
    let lines = stream.iter().filter(|&&b| b == b'\n').count();
    assert!(
        want.len() <= lines + 1,
        "{} answers to {lines} lines",
        want.len()
    );
}

fn answer_is_right(r: &Response, follow: bool) {
    let f = fixture::get();
    let body = r.body.as_deref();
    let length: Option<u64> = r.header("content-length").map(|v| v.parse().unwrap());
    let tag = r.header("etag");
    if let Some(tag) = tag
        && let Some(file) = f.by_etag.get(tag)
    {
        let (path, bytes) = (&file.path, &file.bytes);
        assert!(file.inside || follow, "{path:?} is outside the root");
        let size = bytes.len() as u64;
        match r.status {
            200 => {
                assert_eq!(length, Some(size), "{path:?}");
                assert!(body.is_none_or(|b| b == bytes), "{path:?}: wrong bytes");
            }
            206 => {
                let cr = r.header("content-range").expect("206 has Content-Range");
                let (first, last, total) = content_range(cr);
                assert!(
                    first <= last && last < size && total == size,
                    "{cr} of {path:?}"
                );
                assert_eq!(length, Some(last - first + 1), "{cr}");
                let slice = &bytes[first as usize..=last as usize];
                assert!(
                    body.is_none_or(|b| b == slice),
                    "{path:?} {cr}: wrong bytes"
                );
            }
            304 => assert!(body.is_none(), "a 304 with a body"),
            s => panic!("ETag on a {s}"),
        }
        return;
    }
    // Not a file's bytes (those were compared with the file, and no file inside the
    // root holds the secret): a listing (tagged by its content, so 304 too) or an
    // error text.
    if let Some(tag) = tag {
        assert!(
            matches!(r.status, 200 | 304),
            "ETag {tag} on a {}",
            r.status
        );
        let vary = r.header("vary").unwrap_or("");
        assert!(
            vary.starts_with("Accept"),
            "ETag {tag} is no file's nor a listing's"
        );
        if r.status == 304 {
            assert!(body.is_none(), "a 304 with a body");
            return;
        }
    }
    if let Some(b) = body {
        assert!(
            !b.windows(SECRET.len()).any(|w| w == SECRET),
            "the secret was served"
        );
    }
    match r.status {
        200 => {
            assert_eq!(
                r.header("vary"),
                Some("Accept"),
                "a listing varies by Accept"
            );
            let ctype = r.header("content-type").unwrap_or("");
            if let Some(b) = body {
                if ctype == "application/json" {
                    serde_json::from_slice::<serde_json::Value>(b)
                        .unwrap_or_else(|e| panic!("listing is not JSON ({e}): {}", shown(b)));
                } else {
                    assert!(ctype.starts_with("text/html"), "{ctype}");
                    assert!(b.starts_with(b"<!DOCTYPE html>\n"), "{}", shown(b));
                    assert!(b.ends_with(b"</html>\n"), "listing cut short");
                }
            }
        }
        206 | 304 => panic!("a {} that names no file", r.status),
        // OPTIONS (Allow) or a CORS preflight: no body, no type.
        204 => {
            assert!(body.is_none_or(|b| b.is_empty()), "a 204 with a body");
            assert_eq!(r.header("content-type"), None, "a 204 with a type");
            assert!(
                r.header("allow") == Some("GET, HEAD, OPTIONS")
                    || r.header("access-control-allow-methods").is_some(),
                "a 204 that answers neither OPTIONS nor a preflight"
            );
        }
        s => {
            let text = nettool::proto::http::response::page(s, None);
            assert_eq!(
                r.header("content-type"),
                Some("text/html; charset=utf-8"),
                "{s}"
            );
            assert_eq!(length, Some(text.len() as u64), "{s} body length");
            assert!(body.is_none_or(|b| b == text.as_bytes()), "{s} body");
            match s {
                301 => {
                    let loc = r.header("location").expect("301 has a Location");
                    assert!(loc.starts_with('/') && !loc.starts_with("//"), "{loc}");
                    // The query, if any, is kept after the slash.
                    let path = loc.split('?').next().unwrap_or(loc);
                    assert!(
                        path.ends_with('/') && !loc.contains(['\\', ' ', '\t']),
                        "{loc}"
                    );
                }
                405 => assert_eq!(r.header("allow"), Some("GET, HEAD, OPTIONS")),
                416 => {
                    let cr = r.header("content-range").expect("416 has Content-Range");
                    let size: u64 = cr
                        .strip_prefix("bytes */")
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("416 Content-Range {cr:?}"));
                    assert!(
                        f.by_etag
                            .values()
                            .any(|file| file.bytes.len() as u64 == size),
                        "416 for a size no file has: {size}"
                    );
                }
                _ => {}
            }
        }
    }
}

/// `bytes FIRST-LAST/TOTAL`.
fn content_range(v: &str) -> (u64, u64, u64) {
    let parse = || -> Option<(u64, u64, u64)> {
        let (range, total) = v.strip_prefix("bytes ")?.split_once('/')?;
        let (a, b) = range.split_once('-')?;
        Some((a.parse().ok()?, b.parse().ok()?, total.parse().ok()?))
    };
    parse().unwrap_or_else(|| panic!("Content-Range {v:?}"))
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
