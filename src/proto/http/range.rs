//! Range requests (RFC 9110 §14): parsing `Range: bytes=…` against a representation
//! of known length, and the `multipart/byteranges` body for several ranges (§14.6).
//!
//! The unit is case-insensitive and empty list elements are allowed (`bytes=,0-4,`,
//! §5.6.1). Overflowing numbers saturate, so `bytes=-9223372036854775808` is simply
//! "the whole file". Defences against amplification (nginx CVE-2017-7529's class, and
//! §14.2's "many small or overlapping ranges"): more than [`MAX_SPECS`] elements and
//! the header is ignored (200 with the whole file); satisfiable ranges are sorted and
//! coalesced when they overlap or lie closer than a part header's size, so no byte is
//! sent twice; more than [`MAX_PARTS`] parts left and the whole file is sent instead.
//! A malformed header (a bad element, an unknown unit) is ignored, as §14.2 allows;
//! none satisfiable is 416.

use std::fmt::Write as _;

/// Most range-specs looked at; more and the header is ignored.
pub const MAX_SPECS: usize = 64;
/// Most parts of a `multipart/byteranges` answer; more and the whole file is sent.
pub const MAX_PARTS: usize = 16;
/// Ranges closer than this are sent as one part (a part's own header is about this
/// long, so sending the gap costs no more than a new part would).
pub const COALESCE_GAP: u64 = 80;

/// One satisfiable range, both ends inclusive, `start <= end < size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

impl ByteRange {
    pub fn len(&self) -> u64 {
        self.end - self.start + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

/// What a `Range` header asks of a representation of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ranges {
    /// Ignore it: 200 with everything.
    Full,
    /// 206 with `Content-Range`.
    One(ByteRange),
    /// 206 `multipart/byteranges`, ascending, disjoint, 2..=MAX_PARTS of them.
    Many(Vec<ByteRange>),
    /// 416 with `Content-Range: bytes */size`.
    Unsatisfiable,
}

/// Digits as a saturating u64.
fn digits(s: &[u8]) -> Option<u64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// One `range-spec`: `Ok(Some(range))` if satisfiable, `Ok(None)` if valid but not,
/// `Err` if malformed.
fn spec(el: &[u8], size: u64) -> Result<Option<ByteRange>, ()> {
    let dash = el.iter().position(|&b| b == b'-').ok_or(())?;
    let (a, b) = (&el[..dash], &el[dash + 1..]);
    if a.is_empty() {
        // suffix-range: the last N bytes.
        let n = digits(b).ok_or(())?;
        if n == 0 || size == 0 {
            return Ok(None);
        }
        return Ok(Some(ByteRange {
            start: size - n.min(size),
            end: size - 1,
        }));
    }
    let start = digits(a).ok_or(())?;
    let end = if b.is_empty() {
        u64::MAX
    } else {
        let e = digits(b).ok_or(())?;
        if e < start {
            return Err(()); // invalid (§14.1.1)
        }
        e
    };
    if start >= size {
        return Ok(None);
    }
    Ok(Some(ByteRange {
        start,
        end: end.min(size - 1),
    }))
}

/// Interpret a `Range` field value for a representation of `size` bytes.
pub fn parse(header: &[u8], size: u64) -> Ranges {
    let h = header.trim_ascii();
    let Some(eq) = h.iter().position(|&b| b == b'=') else {
        return Ranges::Full;
    };
    if !h[..eq].eq_ignore_ascii_case(b"bytes") {
        return Ranges::Full;
    }
    let mut first: Option<ByteRange> = None;
    let mut more: Vec<ByteRange> = Vec::new();
    let mut specs = 0;
    for el in h[eq + 1..].split(|&b| b == b',') {
        let el = el.trim_ascii();
        if el.is_empty() {
            continue;
        }
        specs += 1;
        if specs > MAX_SPECS {
            return Ranges::Full;
        }
        match spec(el, size) {
            Err(()) => return Ranges::Full,
            Ok(None) => {}
            Ok(Some(r)) if first.is_none() => first = Some(r),
            Ok(Some(r)) => more.push(r),
        }
    }
    if specs == 0 {
        return Ranges::Full;
    }
    let Some(first) = first else {
        return Ranges::Unsatisfiable;
    };
    if more.is_empty() {
        return Ranges::One(first);
    }
    more.push(first);
    more.sort_unstable_by_key(|r| r.start);
    let mut merged: Vec<ByteRange> = Vec::with_capacity(more.len());
    for r in more {
        match merged.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(COALESCE_GAP + 1) => {
                last.end = last.end.max(r.end);
            }
            _ => merged.push(r),
        }
    }
    match merged.len() {
        1 => Ranges::One(merged[0]),
        n if n > MAX_PARTS => Ranges::Full,
        _ => Ranges::Many(merged),
    }
}

/// The pieces of a `multipart/byteranges` body around the file ranges.
#[derive(Debug)]
pub struct Multipart {
    /// `Content-Type` of the whole response.
    pub content_type: String,
    /// Before each part's bytes: its delimiter and header.
    pub part_heads: Vec<String>,
    /// After the last part: the closing delimiter.
    pub trailer: String,
    /// The whole body's length.
    pub len: u64,
}

/// Lay out a multipart body for `ranges` of a `size`-byte representation of type
/// `part_type`, delimited by `boundary` (at most 70 characters, §5.1.1 of RFC 2046).
pub fn multipart(ranges: &[ByteRange], size: u64, part_type: &str, boundary: &str) -> Multipart {
    let mut part_heads = Vec::with_capacity(ranges.len());
    let mut len = 0;
    for (i, r) in ranges.iter().enumerate() {
        let mut h = String::with_capacity(96 + part_type.len());
        if i > 0 {
            h.push_str("\r\n");
        }
        let _ = write!(
            h,
            "--{boundary}\r\nContent-Type: {part_type}\r\nContent-Range: bytes {}-{}/{size}\r\n\r\n",
            r.start, r.end
        );
        len += h.len() as u64 + r.len();
        part_heads.push(h);
    }
    let trailer = format!("\r\n--{boundary}--\r\n");
    len += trailer.len() as u64;
    Multipart {
        content_type: format!("multipart/byteranges; boundary={boundary}"),
        part_heads,
        trailer,
        len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(start: u64, end: u64) -> Ranges {
        Ranges::One(ByteRange { start, end })
    }

    fn p(h: &str, size: u64) -> Ranges {
        parse(h.as_bytes(), size)
    }

    #[test]
    fn single_ranges() {
        assert_eq!(p("bytes=0-3", 10), one(0, 3));
        assert_eq!(p("bytes=5-", 10), one(5, 9));
        assert_eq!(p("bytes=-3", 10), one(7, 9));
        assert_eq!(p("bytes=-30", 10), one(0, 9));
        assert_eq!(p("bytes=8-100", 10), one(8, 9));
        assert_eq!(p("Bytes=0-3", 10), one(0, 3));
        assert_eq!(p("BYTES=0-3", 10), one(0, 3));
        assert_eq!(p("bytes=,0-3,", 10), one(0, 3));
        assert_eq!(p("bytes= 0-3 , ,", 10), one(0, 3));
        assert_eq!(p("bytes=10-", 10), Ranges::Unsatisfiable);
        assert_eq!(p("bytes=-0", 10), Ranges::Unsatisfiable);
        assert_eq!(p("bytes=0-0", 0), Ranges::Unsatisfiable);
        assert_eq!(p("bytes=5-2", 10), Ranges::Full);
        assert_eq!(p("items=0-1", 10), Ranges::Full);
        assert_eq!(p("bytes=", 10), Ranges::Full);
        assert_eq!(p("bytes=,", 10), Ranges::Full);
        assert_eq!(p("bytes=0 -3", 10), Ranges::Full);
        assert_eq!(p("bytes=-9223372036854775808", 10), one(0, 9));
        assert_eq!(
            p("bytes=99999999999999999999999-", 10),
            Ranges::Unsatisfiable
        );
        let big = 5u64 << 30;
        assert_eq!(
            p("bytes=4294967297-4294967297", big),
            one((1 << 32) + 1, (1 << 32) + 1)
        );
    }

    #[test]
    fn several_ranges_are_sorted_coalesced_and_capped() {
        let r = |start, end| ByteRange { start, end };
        assert_eq!(
            p("bytes=500-599,0-9", 10_000),
            Ranges::Many(vec![r(0, 9), r(500, 599)])
        );
        assert_eq!(
            p("bytes=0-99,50-149,150-199,500-599", 10_000),
            Ranges::Many(vec![r(0, 199), r(500, 599)])
        );
        assert_eq!(p("bytes=0-9,10-19", 10_000), one(0, 19));
        assert_eq!(
            p("bytes=0-9,50-59", 10_000),
            one(0, 59),
            "gap below a part head"
        );
        assert_eq!(
            p(&format!("bytes=0-1000{}", ",0-1000".repeat(20)), 10_000),
            one(0, 1000)
        );
        assert_eq!(
            p("bytes=0-1,100-200", 10),
            one(0, 1),
            "unsatisfiable dropped"
        );
        assert_eq!(p("bytes=100-200,300-", 10), Ranges::Unsatisfiable);
        let many: Vec<String> = (0..=MAX_PARTS as u64)
            .map(|i| format!("{}-{}", i * 1000, i * 1000))
            .collect();
        assert_eq!(
            p(&format!("bytes={}", many.join(",")), 1 << 20),
            Ranges::Full
        );
        let specs: Vec<String> = (0..=MAX_SPECS).map(|_| "0-1".to_string()).collect();
        assert_eq!(p(&format!("bytes={}", specs.join(",")), 100), Ranges::Full);
    }

    #[test]
    fn multipart_length_is_exact() {
        let ranges = [
            ByteRange { start: 0, end: 9 },
            ByteRange {
                start: 100,
                end: 104,
            },
        ];
        let m = multipart(&ranges, 1000, "text/plain", "B");
        let mut body = String::new();
        for (h, r) in m.part_heads.iter().zip(&ranges) {
            body.push_str(h);
            body.push_str(&"x".repeat(r.len() as usize));
        }
        body.push_str(&m.trailer);
        assert_eq!(body.len() as u64, m.len);
        assert!(body.starts_with("--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-9/1000\r\n\r\nxxxxxxxxxx\r\n--B\r\n"));
        assert!(body.ends_with("xxxxx\r\n--B--\r\n"));
        assert_eq!(m.content_type, "multipart/byteranges; boundary=B");
    }
}
