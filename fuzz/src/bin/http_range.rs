//! `Range` and the precondition headers (`If-Match`, `If-Unmodified-Since`,
//! `If-None-Match`, `If-Modified-Since`, `If-Range`) as `proto::http::range` and
//! `proto::http::precond` read them, on any header text and any file size (0, small,
//! around 2^31 and 2^32, up to u64::MAX).
//!
//! Invariants: every partial answer lies inside the file (`start <= end < size`, no
//! overflow); several parts are ascending, disjoint and at most `MAX_PARTS`; a
//! strictly well-formed single range gets exactly the answer RFC 9110 §14 gives
//! (computed here independently, in u128); the preconditions follow §13.2.2's order
//! (a failed `If-Match` is 412 whatever else is sent, `If-None-Match` wins over
//! `If-Modified-Since`, `*` and our own tag match it weakly), a date the independent
//! `httpdate` parser reads is read as the same second; `If-Range` holds for our
//! exact strong tag and our `Last-Modified`, never for a weak tag.
//!
//! Input: a size-class byte and eight size bytes, then `0xff`-separated fields: the
//! Range value, If-Match, If-None-Match, If-Modified-Since, If-Range.

use std::time::{Duration, UNIX_EPOCH};

use nettool::proto::http::date;
use nettool::proto::http::precond::{Conditions, Validators, Verdict, evaluate, if_range_holds};
use nettool::proto::http::range::{self, ByteRange, MAX_PARTS, Ranges};
use nettool_fuzz::input::Input;

const BOUNDARIES: [u64; 8] = [
    1,
    (1 << 31) - 1,
    1 << 31,
    (1 << 32) - 1,
    1 << 32,
    (1 << 32) + 1,
    u64::MAX - 1,
    u64::MAX,
];

fn size(input: &mut Input) -> u64 {
    let class = input.byte();
    let raw = input.u64();
    match class % 4 {
        0 => 0,
        1 => raw % 1000,
        2 => BOUNDARIES[(raw % 8) as usize],
        _ => raw,
    }
}

/// The RFC's answer for a strictly well-formed single range (`bytes=A-B`, `bytes=A-`,
/// `bytes=-N`, digits only, no spaces); `None` for anything else.
fn spec(header: &str, size: u64) -> Option<Ranges> {
    let spec = header.strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let digits = |s: &str| -> Option<u128> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| {
            s.bytes().fold(0u128, |n, c| {
                (n * 10 + u128::from(c - b'0')).min(u128::from(u64::MAX) + 1)
            })
        })
    };
    let size = u128::from(size);
    let partial = |first: u128, last: u128| {
        Ranges::One(ByteRange {
            start: first as u64,
            end: last as u64,
        })
    };
    if a.is_empty() {
        let n = digits(b)?;
        if n == 0 || size == 0 {
            return Some(Ranges::Unsatisfiable);
        }
        return Some(partial(size - n.min(size), size - 1));
    }
    let first = digits(a)?;
    let last = if b.is_empty() { u128::MAX } else { digits(b)? };
    if first > u128::from(u64::MAX) && last == u128::from(u64::MAX) {
        // The server holds positions in a u64, saturating: a first position past it
        // reads as u64::MAX, no less than this last one, so the range is not ignored
        // but unsatisfiable (past any file).
        return Some(Ranges::Unsatisfiable);
    }
    if last < first {
        return Some(Ranges::Full); // invalid: ignored
    }
    if first >= size {
        return Some(Ranges::Unsatisfiable);
    }
    Some(partial(first, last.min(size - 1)))
}

fn opt(s: &str) -> Option<&[u8]> {
    (!s.is_empty()).then_some(s.as_bytes())
}

fn check_ranges(header: &str, size: u64) {
    let got = range::parse(header.as_bytes(), size);
    let inside = |r: &ByteRange| r.start <= r.end && r.end < size;
    match &got {
        Ranges::One(r) => assert!(inside(r), "{header:?} on {size}: {r:?}"),
        Ranges::Many(parts) => {
            assert!(
                (2..=MAX_PARTS).contains(&parts.len()),
                "{header:?}: {parts:?}"
            );
            assert!(parts.iter().all(inside), "{header:?} on {size}: {parts:?}");
            assert!(
                parts.windows(2).all(|w| w[0].end < w[1].start),
                "{header:?}: parts overlap or are out of order: {parts:?}"
            );
        }
        Ranges::Full | Ranges::Unsatisfiable => {}
    }
    if let Some(want) = spec(header, size) {
        assert_eq!(got, want, "{header:?} on {size}");
    }
}

fn check_preconditions(size: u64, im: Option<&[u8]>, inm: Option<&[u8]>, ims: Option<&[u8]>) {
    let lm = (size % 253_402_300_800) as i64;
    let etag = format!("\"{size:x}-1-2.3\"");
    let v = Validators {
        etag: &etag,
        last_modified: Some(lm),
    };
    let c = Conditions {
        if_match: im,
        if_none_match: inm,
        if_modified_since: ims,
        if_unmodified_since: None,
    };
    let got = evaluate(&c, &v, true);
    let text = |f: &[u8]| String::from_utf8_lossy(f).into_owned();
    let names_ours = |f: &[u8]| {
        let f = text(f);
        let f = f.trim_matches(|c: char| c.is_ascii_whitespace());
        f == "*" || f == etag || f == format!("W/{etag}")
    };
    let may_name_ours = |f: &[u8]| {
        let f = text(f);
        f.contains('*') || f.contains(etag.trim_matches('"'))
    };
    if let Some(im) = im
        && !may_name_ours(im)
    {
        assert_eq!(
            got,
            Verdict::Failed,
            "If-Match {:?} misses {etag}",
            text(im)
        );
        return;
    }
    if c.is_empty() {
        assert_eq!(got, Verdict::Proceed, "no condition");
    }
    match (im, inm) {
        (None, Some(inm)) => {
            if names_ours(inm) {
                assert_eq!(got, Verdict::NotModified, "{:?} names {etag}", text(inm));
            }
            if !may_name_ours(inm) {
                // If-Modified-Since is not looked at beside If-None-Match.
                assert_eq!(got, Verdict::Proceed, "{:?} vs {etag}", text(inm));
            }
        }
        (None, None) => {
            if let Some(ims) = ims {
                // httpdate trims Unicode white space (a vertical tab too), which no
                // field value can hold: compare values a request can carry.
                let since = std::str::from_utf8(ims)
                    .ok()
                    .filter(|s| !s.bytes().any(|b| b.is_ascii_control() && b != b'\t'))
                    .and_then(|s| httpdate::parse_http_date(s).ok())
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| d.as_secs() as i64);
                // httpdate also takes near-misses (`06-Nov-94>08:49:37`): where both
                // read a date it is the same, and its own IMF-fixdate we always read.
                let ours = date::parse(ims);
                if let (Some(o), Some(t)) = (ours, since) {
                    // RFC 850's two-digit year: httpdate reads 70–99 as 19xx, RFC 9110
                    // §5.6.7 (ours) as the year 50 years ahead at most (74 is 2074 in
                    // 2026). Otherwise the same day and time.
                    let day_time = |t: i64| {
                        let f = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(t as u64));
                        let year: i64 = f[12..16].parse().unwrap_or(0);
                        (format!("{}{}", &f[5..12], &f[16..]), year)
                    };
                    let ((od, oy), (td, ty)) = (day_time(o), day_time(t));
                    let century_apart = od == td && oy == ty + 100;
                    assert!(o == t || century_apart, "{:?}: {o} vs {t}", text(ims));
                }
                let imf = since
                    .map(|t| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(t as u64)));
                if imf.is_some_and(|f| f.as_bytes() == ims.trim_ascii()) {
                    assert_eq!(ours, since, "{:?}", text(ims));
                }
                if let Some(since) = ours {
                    let want = if lm <= since && since <= date::now() {
                        Verdict::NotModified
                    } else {
                        Verdict::Proceed
                    };
                    assert_eq!(
                        got,
                        want,
                        "If-Modified-Since {:?}, Last-Modified {lm}",
                        text(ims)
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_if_range(size: u64, if_range: &[u8]) {
    let lm_time = UNIX_EPOCH + Duration::from_secs(size % 253_402_300_800);
    let lm = date::secs_of(lm_time);
    let etag = format!("\"{size:x}-1-2.3\"");
    let v = Validators {
        etag: &etag,
        last_modified: Some(lm),
    };
    let holds = if_range_holds(if_range, &v);
    if if_range.trim_ascii() == etag.as_bytes() || if_range.trim_ascii() == date::imf(lm).as_bytes()
    {
        assert!(holds, "{:?}", String::from_utf8_lossy(if_range));
    }
    if !if_range.is_empty() && if_range.trim_ascii().first() == Some(&b'"') {
        assert_eq!(holds, if_range.trim_ascii() == etag.as_bytes());
    }
    assert!(
        !if_range_holds(format!("W/{etag}").as_bytes(), &v),
        "weak If-Range"
    );
    assert!(if_range_holds(date::imf(lm).as_bytes(), &v), "our own date");
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let size = size(&mut input);
    let [header, im, inm, ims, if_range] =
        [(); 5].map(|_| String::from_utf8_lossy(input.until(0xff)).into_owned());
    check_ranges(&header, size);
    check_preconditions(size, opt(&im), opt(&inm), opt(&ims));
    check_if_range(size, if_range.as_bytes());
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
