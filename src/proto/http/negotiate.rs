//! Proactive negotiation (RFC 9110 §12): which of the representations we have the
//! client prefers, from `Accept` (media types) and `Accept-Encoding` (content codings).
//!
//! Both fields are lists of `value;q=N` with weights from 0 to 1 (§12.4.2: `q=0`
//! means "not acceptable"). Names compare case-insensitively (§8.3.1, §8.4.1). For a
//! media type the most specific range that matches it gives its weight
//! (`text/html` over `text/*` over `*/*`, §12.5.1); among equal weights the more
//! specific match wins, then the one the client listed first, then our own order.
//! Weights are kept as thousandths (`q=0.5` is 500), so nothing here is a float.

/// One `value;params` element of a list, with its weight in thousandths.
fn elements(field: &[u8]) -> impl Iterator<Item = (&[u8], u16)> {
    field.split(|&b| b == b',').filter_map(|el| {
        let mut parts = el.split(|&b| b == b';');
        let value = parts.next()?.trim_ascii();
        if value.is_empty() {
            return None; // an empty list element (§5.6.1)
        }
        let mut q = 1000;
        for p in parts {
            let p = p.trim_ascii();
            if p.len() >= 2 && p[0].eq_ignore_ascii_case(&b'q') && p[1] == b'=' {
                q = qvalue(p[2..].trim_ascii())?;
            }
        }
        Some((value, q))
    })
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` in thousandths;
/// `None` for anything else (the element is then dropped).
pub fn qvalue(v: &[u8]) -> Option<u16> {
    let (int, frac) = match v.iter().position(|&b| b == b'.') {
        Some(p) => (&v[..p], &v[p + 1..]),
        None => (v, &b""[..]),
    };
    if frac.len() > 3 || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut thousandths = 0u16;
    for i in 0..3 {
        thousandths = thousandths * 10 + frac.get(i).map_or(0, |d| u16::from(d - b'0'));
    }
    match int {
        b"0" => Some(thousandths),
        b"1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// How well a media range matches `offer` (`type/subtype`, lower case): 3 exact,
/// 2 `type/*`, 1 `*/*`, 0 not at all.
fn specificity(range: &[u8], offer: &str) -> u8 {
    let Some((t, s)) = offer.split_once('/') else {
        return 0;
    };
    let Some(slash) = range.iter().position(|&b| b == b'/') else {
        return 0;
    };
    let (rt, rs) = (&range[..slash], &range[slash + 1..]);
    if rt == b"*" && rs == b"*" {
        1
    } else if rt.eq_ignore_ascii_case(t.as_bytes()) && rs == b"*" {
        2
    } else if rt.eq_ignore_ascii_case(t.as_bytes()) && rs.eq_ignore_ascii_case(s.as_bytes()) {
        3
    } else {
        0
    }
}

/// The index into `offers` (media types such as `text/html`, in our order of
/// preference) that `Accept` picks; the first offer when the field is absent or
/// accepts none of them (§12.5.1 lets a server then disregard it).
pub fn media_type(accept: Option<&[u8]>, offers: &[&str]) -> usize {
    let Some(accept) = accept else {
        return 0;
    };
    // Per offer: (weight, specificity, earliest position of the deciding element).
    type Rank = (u16, u8, std::cmp::Reverse<usize>);
    let mut best: Option<(usize, Rank)> = None;
    for (i, offer) in offers.iter().enumerate() {
        let mut decided: Option<(u16, u8, usize)> = None;
        for (pos, (range, q)) in elements(accept).enumerate() {
            let spec = specificity(range, offer);
            if spec > 0 && decided.is_none_or(|(_, s, _)| spec > s) {
                decided = Some((q, spec, pos));
            }
        }
        let Some((q, spec, pos)) = decided else {
            continue;
        };
        if q == 0 {
            continue;
        }
        let rank = (q, spec, std::cmp::Reverse(pos));
        if best.is_none_or(|(_, r)| rank > r) {
            best = Some((i, rank));
        }
    }
    best.map_or(0, |(i, _)| i)
}

/// A content coding this server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    Br,
    Zstd,
    Gzip,
}

impl Coding {
    /// Smallest output first: the order among codings of equal weight.
    pub const ALL: [Coding; 3] = [Coding::Br, Coding::Zstd, Coding::Gzip];

    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Coding::Br => "br",
            Coding::Zstd => "zstd",
            Coding::Gzip => "gzip",
        }
    }

    /// The extension of a precompressed sibling (`f.js.br`).
    pub fn extension(self) -> &'static str {
        match self {
            Coding::Br => "br",
            Coding::Zstd => "zst",
            Coding::Gzip => "gz",
        }
    }

    fn matches(self, token: &[u8]) -> bool {
        token.eq_ignore_ascii_case(self.token().as_bytes())
            || (self == Coding::Gzip && token.eq_ignore_ascii_case(b"x-gzip"))
    }
}

/// The weight `Accept-Encoding` gives `coding` (`None`: identity), in thousandths.
fn coding_weight(field: &[u8], coding: Option<Coding>) -> u16 {
    let mut star = None;
    for (token, q) in elements(field) {
        let named = match coding {
            Some(c) => c.matches(token),
            None => token.eq_ignore_ascii_case(b"identity"),
        };
        if named {
            return q;
        }
        if token == b"*" {
            star = Some(q);
        }
    }
    match (coding, star) {
        (_, Some(q)) => q,
        // Identity is acceptable unless excluded (§12.5.3).
        (None, None) => 1000,
        (Some(_), None) => 0,
    }
}

/// Which of the codings we have (`available`, any order) to send, or `None` for
/// the identity. Without `Accept-Encoding` the identity is sent; among equal weights
/// a coding is preferred to the identity and smaller codings to larger ones. When the
/// identity is excluded and nothing else is acceptable, the identity is still sent
/// (§12.5.3 lets a server do so rather than answer 406).
pub fn content_coding(accept_encoding: Option<&[u8]>, available: &[Coding]) -> Option<Coding> {
    let field = accept_encoding?;
    let mut best: Option<(Coding, u16)> = None;
    for c in Coding::ALL {
        if !available.contains(&c) {
            continue;
        }
        let q = coding_weight(field, Some(c));
        if q > 0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((c, q));
        }
    }
    let (c, q) = best?;
    (q >= coding_weight(field, None)).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: [&str; 2] = ["text/html", "application/json"];

    fn pick(accept: &str) -> &'static str {
        OFFERS[media_type(Some(accept.as_bytes()), &OFFERS)]
    }

    #[test]
    fn qvalues() {
        assert_eq!(qvalue(b"0"), Some(0));
        assert_eq!(qvalue(b"0.5"), Some(500));
        assert_eq!(qvalue(b"0.125"), Some(125));
        assert_eq!(qvalue(b"1"), Some(1000));
        assert_eq!(qvalue(b"1.000"), Some(1000));
        for bad in [&b"1.5"[..], b"0.1234", b"2", b"", b".5", b"-0", b"0.x"] {
            assert_eq!(qvalue(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn media_types_by_weight_specificity_and_order() {
        assert_eq!(pick("application/json"), "application/json");
        assert_eq!(pick("Application/JSON"), "application/json");
        assert_eq!(pick("application/json;q=0"), "text/html");
        assert_eq!(pick("application/json;q=0, */*;q=0.1"), "text/html");
        assert_eq!(
            pick("text/html;q=0.5, application/json"),
            "application/json"
        );
        assert_eq!(pick("text/html, application/json;q=0.9"), "text/html");
        assert_eq!(pick("application/json, text/html"), "application/json");
        assert_eq!(pick("text/html, application/json"), "text/html");
        assert_eq!(pick("*/*, application/json"), "application/json");
        assert_eq!(pick("text/*;q=0.1, application/*"), "application/json");
        assert_eq!(pick("*/*"), "text/html");
        assert_eq!(pick("image/png"), "text/html");
        assert_eq!(pick("*/*;q=0"), "text/html");
        assert_eq!(
            pick(",, application/json ;charset=utf-8;q=1 ,"),
            "application/json"
        );
        assert_eq!(
            pick("application/json;q=2"),
            "text/html",
            "malformed: dropped"
        );
        // A browser's default.
        let chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(pick(chrome), "text/html");
        // The most specific range decides even when listed last.
        assert_eq!(pick("application/*;q=1, application/json;q=0"), "text/html");
        assert_eq!(media_type(None, &OFFERS), 0);
    }

    #[test]
    fn codings() {
        let all = &Coding::ALL[..];
        let c = |ae: &str, av: &[Coding]| content_coding(Some(ae.as_bytes()), av);
        assert_eq!(content_coding(None, all), None);
        assert_eq!(c("gzip, deflate, br, zstd", all), Some(Coding::Br));
        assert_eq!(
            c("gzip, deflate, br, zstd", &[Coding::Gzip]),
            Some(Coding::Gzip)
        );
        assert_eq!(c("gzip;q=1, br;q=0.5", all), Some(Coding::Gzip));
        assert_eq!(c("GZIP", &[Coding::Gzip]), Some(Coding::Gzip));
        assert_eq!(c("x-gzip", &[Coding::Gzip]), Some(Coding::Gzip));
        assert_eq!(c("br;q=0, gzip;q=0", all), None);
        assert_eq!(c("", all), None, "empty: identity only");
        assert_eq!(c("*", all), Some(Coding::Br));
        assert_eq!(c("*;q=0, gzip", all), Some(Coding::Gzip));
        assert_eq!(c("identity, gzip;q=0.5", all), None);
        assert_eq!(c("identity;q=0.1, gzip;q=0.5", all), Some(Coding::Gzip));
        assert_eq!(c("br", &[Coding::Gzip]), None);
        assert_eq!(c("identity;q=0", &[]), None);
    }
}
