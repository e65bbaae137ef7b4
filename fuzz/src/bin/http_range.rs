//! `Range` and the precondition headers (`If-None-Match`, `If-Modified-Since`,
//! `If-Range`) as `proto::http::response` reads them, on any header text and any
//! file size (0, small, around 2^31 and 2^32, up to u64::MAX).
//!
//! Invariants: a partial answer lies inside the file (`first <= last < size`, no
//! overflow); a strictly well-formed single range gets exactly the answer RFC 9110
//! §14 gives (computed here independently, in u128); `If-None-Match` wins over
//! `If-Modified-Since`, `*` and our own tag (weakly compared) match, a date is
//! compared at second precision; `If-Range` holds only for our exact validators.
//!
//! Input: a size-class byte and eight size bytes, then `0xff`-separated fields: the
//! Range value, If-None-Match, If-Modified-Since, If-Range.

use std::time::{Duration, UNIX_EPOCH};

use nettool::proto::http::response::{RangeAnswer, http_date, if_range_holds, not_modified, range};
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
fn spec(header: &str, size: u64) -> Option<RangeAnswer> {
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
    let partial = |first: u128, last: u128| RangeAnswer::Partial {
        start: first as u64,
        end: last as u64,
    };
    if a.is_empty() {
        let n = digits(b)?;
        if n == 0 || size == 0 {
            return Some(RangeAnswer::Unsatisfiable);
        }
        return Some(partial(size - n.min(size), size - 1));
    }
    let first = digits(a)?;
    let last = if b.is_empty() { u128::MAX } else { digits(b)? };
    if last < first {
        return Some(RangeAnswer::Full); // invalid: ignored
    }
    if first >= size {
        return Some(RangeAnswer::Unsatisfiable);
    }
    Some(partial(first, last.min(size - 1)))
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let size = size(&mut input);
    let [header, inm, ims, if_range] =
        [(); 4].map(|_| String::from_utf8_lossy(input.until(0xff)).into_owned());

    let got = range(&header, size);
    if let RangeAnswer::Partial { start, end } = got {
        assert!(
            start <= end && end < size,
            "{header:?} on {size}: {start}..={end}"
        );
    }
    if let Some(want) = spec(&header, size) {
        assert_eq!(got, want, "{header:?} on {size}");
    }

    let mtime = UNIX_EPOCH + Duration::from_secs(size % 253_402_300_800);
    let etag = format!("\"{size:x}-1-2.3\"");
    let lm = http_date(mtime);
    let (inm, ims, if_range) = (opt(&inm), opt(&ims), opt(&if_range));
    let nm = not_modified(inm, ims, &etag, mtime);
    if let Some(inm) = inm {
        assert_eq!(
            nm,
            not_modified(Some(inm), None, &etag, mtime),
            "If-None-Match wins"
        );
        let members: Vec<&str> = inm
            .split(',')
            .map(|t| t.trim_matches([' ', '\t']))
            .collect();
        if members
            .iter()
            .any(|m| *m == "*" || *m == etag || *m == format!("W/{etag}"))
        {
            assert!(nm, "{inm:?} matches {etag}");
        }
        if !inm.contains('*') && !inm.contains(etag.trim_matches('"')) {
            assert!(!nm, "{inm:?} does not match {etag}");
        }
    } else if let Some(ims) = ims {
        let since = httpdate::parse_http_date(ims).ok();
        assert_eq!(nm, since.is_some_and(|t| mtime <= t), "{ims:?} vs {lm}");
    } else {
        assert!(!nm, "no condition, yet not modified");
    }
    assert_eq!(
        if_range_holds(if_range, &etag, &lm),
        if_range.is_none_or(|v| v == etag || v == lm),
        "{if_range:?}"
    );
    assert!(
        !if_range_holds(Some(&format!("W/{etag}")), &etag, &lm),
        "weak If-Range"
    );
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
