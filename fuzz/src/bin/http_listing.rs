//! Directory listings and their negotiation: a GET or HEAD of a fixture directory
//! with any `Accept` and `Accept-Encoding`, through a whole serve-http connection.
//!
//! Invariants: the answer is a well-framed 200 (or a redirect, for a directory named
//! without its slash) that says `Vary: Accept`; the format it picks is one the client
//! accepts, and one it likes best, whenever `Accept` is well-formed and accepts either
//! (RFC 9110 §12.5.1: the most specific range decides, `q=0` means "not this"); a
//! `Content-Encoding`, if any, is one `Accept-Encoding` allows; the JSON listing
//! names exactly the directory's entries (hidden ones only with `--hidden`) and the
//! HTML one links each of them once (a symlink leading out of the root, or nowhere,
//! is named once without a link).
//!
//! Input: a directory byte, a method byte, an options byte, then `0xff`-separated
//! Accept and Accept-Encoding values.

use std::collections::BTreeSet;
use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;
use std::time::Duration;

use nettool::output::{Output, Verbosity};
use nettool::proto::http::fs::{Root, encode_segment};
use nettool::proto::http::listing::display_name;
use nettool::proto::http::listing_html::escape_html;
use nettool::proto::http::{HttpFactory, HttpOptions};
use nettool_fuzz::drive::{self, Delivery};
use nettool_fuzz::fixture;
use nettool_fuzz::http::{responses, shown};
use nettool_fuzz::input::Input;

const DIRS: [&str; 5] = ["/", "/d/", "/d/e/", "/din/", "/.git/"];

fn server(hidden: bool) -> &'static HttpFactory {
    static S: OnceLock<[HttpFactory; 2]> = OnceLock::new();
    let s = S.get_or_init(|| {
        [false, true].map(|hidden| {
            let opts = HttpOptions {
                index: Some("index.html".into()),
                listing: true,
                header_timeout: Duration::from_secs(60),
                access_log: false,
                cache: false,
                ..HttpOptions::default()
            };
            let root = Root::new(&fixture::get().root, hidden, false).expect("root");
            HttpFactory::new(root, opts, Output::new(false, Verbosity::Quiet))
        })
    });
    &s[usize::from(hidden)]
}

/// A header value as a client could send it (no controls but tab).
fn value(raw: &[u8]) -> Vec<u8> {
    raw.iter()
        .copied()
        .filter(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f))
        .collect()
}

/// `q` of a strictly well-formed weight (`0`, `1`, `0.5`, `1.000`).
fn weight(v: &str) -> Option<u32> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let milli = format!("{frac:0<3}").parse::<u32>().ok()?;
    match int {
        "0" => Some(milli),
        "1" if milli == 0 => Some(1000),
        _ => None,
    }
}

fn token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Parse a strictly well-formed list of `name[;p=v]*` members into (name, q in
/// thousandths); `None` for anything else (then no claim is made).
fn members(list: &str, name_ok: impl Fn(&str) -> bool) -> Option<Vec<(String, u32)>> {
    let mut out = Vec::new();
    for m in list.split(',') {
        let m = m.trim_matches([' ', '\t']);
        if m.is_empty() {
            continue;
        }
        let mut parts = m.split(';').map(|p| p.trim_matches([' ', '\t']));
        let name = parts.next()?.to_ascii_lowercase();
        if !name_ok(&name) {
            return None;
        }
        let mut q = 1000;
        for p in parts {
            let (k, v) = p.split_once('=')?;
            if !token(k) || !token(v) {
                return None;
            }
            if k.eq_ignore_ascii_case("q") {
                q = weight(v)?;
            }
        }
        out.push((name, q));
    }
    Some(out)
}

/// The quality `Accept` gives `mime`: from its most specific matching range.
fn quality(accept: &[(String, u32)], mime: &str) -> u32 {
    let (ty, _) = mime.split_once('/').expect("a type/subtype");
    let exact = accept.iter().find(|(r, _)| r == mime);
    let wild = accept.iter().find(|(r, _)| *r == format!("{ty}/*"));
    let any = accept.iter().find(|(r, _)| r == "*/*");
    exact.or(wild).or(any).map_or(0, |(_, q)| *q)
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let dir = DIRS[usize::from(input.byte()) % DIRS.len()];
    let method = if input.flag() { "HEAD" } else { "GET" };
    let hidden = input.flag();
    let accept = value(input.until(0xff));
    let encoding = value(input.until(0xff));

    let mut req = format!("{method} {dir} HTTP/1.1\r\nHost: x\r\n").into_bytes();
    for (name, v) in [(&b"Accept"[..], &accept), (b"Accept-Encoding", &encoding)] {
        if !v.is_empty() {
            req.extend_from_slice(name);
            req.extend_from_slice(b": ");
            req.extend_from_slice(v);
            req.extend_from_slice(b"\r\n");
        }
    }
    req.extend_from_slice(b"\r\n");
    let t = drive::run(
        server(hidden),
        [(
            &req[..],
            Delivery {
                batched: false,
                flush: true,
            },
        )],
        true,
    );
    let rs = responses(&t.wire);
    assert_eq!(rs.len(), 1, "one answer to one request: {}", shown(&t.wire));
    let r = &rs[0];
    if r.status == 400 {
        return; // a header value that is not UTF-8: the head parser's business
    }
    let f = fixture::get();
    let real = f.root.join(dir.trim_matches('/'));
    if dir.starts_with("/.") && !hidden {
        assert_eq!(r.status, 404, "{dir} without --hidden");
        return;
    }
    assert_eq!(r.status, 200, "{dir}: {:?}", r.headers);
    assert_eq!(r.header("vary"), Some("Accept"));
    let ctype = r.header("content-type").expect("Content-Type");
    let chosen = ctype.split(';').next().unwrap_or("").trim();
    let accept = String::from_utf8_lossy(&accept);
    let media_range = |n: &str| n.split_once('/').is_some_and(|(a, b)| token(a) && token(b));
    if let Some(ranges) = members(&accept, media_range)
        && !ranges.is_empty()
    {
        let best = ["text/html", "application/json"]
            .map(|m| quality(&ranges, m))
            .into_iter()
            .max()
            .unwrap_or(0);
        let q = quality(&ranges, chosen);
        assert!(
            best == 0 || q == best,
            "{accept:?} chose {chosen} (q {q}) over q {best}"
        );
    }
    if let Some(coding) = r.header("content-encoding") {
        let encoding = String::from_utf8_lossy(&encoding);
        let list = members(&encoding, token).unwrap_or_default();
        let q = list
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(coding))
            .or_else(|| list.iter().find(|(c, _)| c == "*"))
            .map_or(0, |(_, q)| *q);
        assert!(q > 0, "{coding} not accepted by {encoding:?}");
    }
    let Some(body) = r.body.as_deref() else {
        assert_eq!(method, "HEAD");
        return;
    };
    let mut names = BTreeSet::new();
    for e in std::fs::read_dir(&real).expect("fixture directory") {
        let name = e.expect("entry").file_name().as_bytes().to_vec();
        if (hidden || !name.starts_with(b".")) && !name.contains(&b'\\') {
            names.insert(name);
        }
    }
    if chosen == "application/json" {
        let v: serde_json::Value = serde_json::from_slice(body).expect("JSON listing");
        let listed: BTreeSet<Vec<u8>> = v["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["name"].as_str().expect("name").as_bytes().to_vec())
            .collect();
        assert_eq!(listed, names, "{dir}");
    } else {
        let html = String::from_utf8_lossy(body);
        for n in &names {
            let link = encode_segment(n);
            let count = |h: String| html.matches(&h).count();
            // A directory's link keeps the listing's sort query (`name/?sort=…`).
            let links = count(format!("href=\"{link}\"")) + count(format!("href=\"{link}/"));
            // A symlink leading out of the root, or nowhere, is named without a link.
            let label = escape_html(&display_name(n));
            let unlinked = count(format!(">{label} →</span>"));
            assert_eq!(links + unlinked, 1, "{dir}: {link}");
        }
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
