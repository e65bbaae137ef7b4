//! Conditional requests (RFC 9110 §13): `If-Match`, `If-Unmodified-Since`,
//! `If-None-Match`, `If-Modified-Since` and `If-Range`, evaluated in the order of
//! §13.2.2 against a representation's validators (its entity tag and, for files, its
//! modification time).
//!
//! The order matters: a failed `If-Match` is 412 even when `If-None-Match` would have
//! said 304; `If-Unmodified-Since` is looked at only without `If-Match`, and
//! `If-Modified-Since` only without `If-None-Match` and only for GET and HEAD. Entity
//! tags compare strongly for `If-Match` and `If-Range`, weakly for `If-None-Match`
//! (§8.8.3.2). A date that does not parse is ignored, as is a field given twice where
//! one value is allowed. All of it runs before a range is looked at, so a failed
//! precondition is 412, never 206 or 416.

use super::date;

/// What a representation can be compared by.
#[derive(Debug, Clone, Copy)]
pub struct Validators<'a> {
    /// The entity tag as sent in `ETag` (`"…"` or `W/"…"`).
    pub etag: &'a str,
    /// The `Last-Modified` second, if the representation has one.
    pub last_modified: Option<i64>,
}

/// The conditional header fields of a request (values as received).
#[derive(Debug, Clone, Copy, Default)]
pub struct Conditions<'a> {
    pub if_match: Option<&'a [u8]>,
    pub if_none_match: Option<&'a [u8]>,
    pub if_modified_since: Option<&'a [u8]>,
    pub if_unmodified_since: Option<&'a [u8]>,
}

impl Conditions<'_> {
    pub fn is_empty(&self) -> bool {
        self.if_match.is_none()
            && self.if_none_match.is_none()
            && self.if_modified_since.is_none()
            && self.if_unmodified_since.is_none()
    }
}

/// The outcome of the preconditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Perform the method (then look at `Range`).
    Proceed,
    /// 304 Not Modified (GET and HEAD only).
    NotModified,
    /// 412 Precondition Failed.
    Failed,
}

/// One entity tag: whether it is weak, and its opaque part with the quotes.
fn split_tag(tag: &[u8]) -> (bool, &[u8]) {
    match tag.strip_prefix(b"W/") {
        Some(rest) => (true, rest),
        None => (false, tag),
    }
}

/// The entity tags of a `1#entity-tag` list, or `Err` when it is malformed. Commas
/// may appear inside a tag's quotes, so the list is scanned, not split.
fn tags(field: &[u8]) -> impl Iterator<Item = Result<&[u8], ()>> {
    let mut rest = field;
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_ascii_start();
            match rest.first() {
                None => return None,
                Some(b',') => rest = &rest[1..],
                Some(_) => break,
            }
        }
        let weak = rest.starts_with(b"W/");
        let start = if weak { 2 } else { 0 };
        if rest.get(start) != Some(&b'"') {
            rest = b"";
            return Some(Err(()));
        }
        // etagc = %x21 / %x23-7E / obs-text
        let body = &rest[start + 1..];
        let Some(close) = body.iter().position(|&b| b == b'"') else {
            rest = b"";
            return Some(Err(()));
        };
        if body[..close]
            .iter()
            .any(|&b| b < 0x21 || b == 0x7f || b == b'"')
        {
            rest = b"";
            return Some(Err(()));
        }
        let end = start + 1 + close + 1;
        let tag = &rest[..end];
        rest = rest[end..].trim_ascii_start();
        match rest.first() {
            None | Some(b',') => Some(Ok(tag)),
            Some(_) => {
                rest = b"";
                Some(Err(()))
            }
        }
    })
}

/// Whether the list `field` (`*` or entity tags) names `ours`. `strong`: a weak tag on
/// either side never matches. A malformed list matches nothing.
pub fn list_matches(field: &[u8], ours: &str, strong: bool) -> bool {
    if field.trim_ascii() == b"*" {
        return true;
    }
    let (our_weak, our_opaque) = split_tag(ours.as_bytes());
    if strong && our_weak {
        return false;
    }
    let mut found = false;
    for t in tags(field) {
        let Ok(t) = t else { return false };
        let (weak, opaque) = split_tag(t);
        if opaque == our_opaque && !(strong && weak) {
            found = true;
        }
    }
    found
}

/// Evaluate the preconditions of a request whose target has the representation
/// `v`. `get_or_head`: a failed `If-None-Match` is 304 rather than 412, and
/// `If-Modified-Since` counts.
pub fn evaluate(c: &Conditions, v: &Validators, get_or_head: bool) -> Verdict {
    // 1. If-Match, else 2. If-Unmodified-Since.
    if let Some(im) = c.if_match {
        if !list_matches(im, v.etag, true) {
            return Verdict::Failed;
        }
    } else if let (Some(ius), Some(lm)) = (c.if_unmodified_since, v.last_modified) {
        if let Some(since) = date::parse(ius) {
            if lm > since {
                return Verdict::Failed;
            }
        }
    }
    // 3. If-None-Match, else 4. If-Modified-Since.
    if let Some(inm) = c.if_none_match {
        if list_matches(inm, v.etag, false) {
            return if get_or_head {
                Verdict::NotModified
            } else {
                Verdict::Failed
            };
        }
    } else if let (true, Some(ims), Some(lm)) = (get_or_head, c.if_modified_since, v.last_modified)
    {
        if let Some(since) = date::parse(ims) {
            // A date in the future says nothing about our representation.
            if lm <= since && since <= date::now() {
                return Verdict::NotModified;
            }
        }
    }
    Verdict::Proceed
}

/// The preconditions for a request whose target does not exist (a PUT creating a
/// file): `If-Match` fails, `If-None-Match` holds (§13.1.1, §13.1.2).
pub fn evaluate_absent(c: &Conditions) -> Verdict {
    if c.if_match.is_some() {
        Verdict::Failed
    } else {
        Verdict::Proceed
    }
}

/// Whether `If-Range` (an entity tag or a date, §13.1.5) lets the `Range` apply: a
/// strong tag equal to ours, or a date equal to our `Last-Modified`. Anything else,
/// malformed included, means "send the whole representation".
pub fn if_range_holds(if_range: &[u8], v: &Validators) -> bool {
    let field = if_range.trim_ascii();
    if field.first() == Some(&b'"') || field.starts_with(b"W/") {
        // One entity-tag, not a list (RFC 9110 §13.1.5): `"x",` is no validator.
        let mut t = tags(field);
        return match (t.next(), t.next()) {
            (Some(Ok(tag)), None) if tag.len() == field.len() => {
                let (weak, opaque) = split_tag(tag);
                let (our_weak, ours) = split_tag(v.etag.as_bytes());
                !weak && !our_weak && opaque == ours
            }
            _ => false,
        };
    }
    match (date::parse(field), v.last_modified) {
        (Some(d), Some(lm)) => d == lm,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "\"abc\"";
    const LM: i64 = 1_000_000;

    fn v() -> Validators<'static> {
        Validators {
            etag: TAG,
            last_modified: Some(LM),
        }
    }

    fn eval(c: Conditions) -> Verdict {
        evaluate(&c, &v(), true)
    }

    #[test]
    fn entity_tag_lists() {
        assert!(list_matches(b"\"abc\"", TAG, true));
        assert!(list_matches(b"\"x\", \"abc\"", TAG, true));
        assert!(list_matches(b"  ,\"x\" ,, \"abc\" ,", TAG, true));
        assert!(list_matches(b"*", TAG, true));
        assert!(!list_matches(b"W/\"abc\"", TAG, true));
        assert!(list_matches(b"W/\"abc\"", TAG, false));
        assert!(!list_matches(b"\"abc\"", "W/\"abc\"", true));
        assert!(list_matches(b"\"abc\"", "W/\"abc\"", false));
        assert!(
            list_matches(b"\"a,b\"", "\"a,b\"", true),
            "comma inside quotes"
        );
        for bad in [
            &b"abc"[..],
            b"\"abc",
            b"\"abc\" x",
            b"\"a b\"",
            b"\"abc\"\"x\"",
        ] {
            assert!(!list_matches(bad, TAG, false), "{bad:?}");
        }
    }

    #[test]
    fn the_order_of_section_13_2_2() {
        let lm = date::imf(LM);
        let early = date::imf(LM - 10);
        let c = Conditions::default;
        assert_eq!(eval(c()), Verdict::Proceed);
        let im_fail = Conditions {
            if_match: Some(b"\"zz\""),
            ..c()
        };
        assert_eq!(eval(im_fail), Verdict::Failed);
        // If-Match beats a matching If-None-Match.
        assert_eq!(
            eval(Conditions {
                if_none_match: Some(b"\"abc\""),
                ..im_fail
            }),
            Verdict::Failed
        );
        // If-Unmodified-Since only without If-Match.
        let ius = Conditions {
            if_unmodified_since: Some(early.as_bytes()),
            ..c()
        };
        assert_eq!(eval(ius), Verdict::Failed);
        assert_eq!(
            eval(Conditions {
                if_match: Some(b"*"),
                ..ius
            }),
            Verdict::Proceed
        );
        assert_eq!(
            eval(Conditions {
                if_unmodified_since: Some(b"nonsense"),
                ..c()
            }),
            Verdict::Proceed
        );
        // If-None-Match: 304 for GET/HEAD, 412 otherwise; it hides If-Modified-Since.
        let inm = Conditions {
            if_none_match: Some(b"W/\"abc\""),
            ..c()
        };
        assert_eq!(eval(inm), Verdict::NotModified);
        assert_eq!(evaluate(&inm, &v(), false), Verdict::Failed);
        let inm_other = Conditions {
            if_none_match: Some(b"\"zz\""),
            if_modified_since: Some(lm.as_bytes()),
            ..c()
        };
        assert_eq!(eval(inm_other), Verdict::Proceed);
        let ims = Conditions {
            if_modified_since: Some(lm.as_bytes()),
            ..c()
        };
        assert_eq!(eval(ims), Verdict::NotModified);
        assert_eq!(evaluate(&ims, &v(), false), Verdict::Proceed);
        let ims_early = Conditions {
            if_modified_since: Some(early.as_bytes()),
            ..c()
        };
        assert_eq!(eval(ims_early), Verdict::Proceed);
        let future = date::imf(date::now() + 3600);
        let later = Validators {
            etag: TAG,
            last_modified: Some(date::now() - 10),
        };
        let ims_future = Conditions {
            if_modified_since: Some(future.as_bytes()),
            ..c()
        };
        assert_eq!(evaluate(&ims_future, &later, true), Verdict::Proceed);
        // No Last-Modified: the date fields say nothing.
        let no_lm = Validators {
            etag: TAG,
            last_modified: None,
        };
        assert_eq!(evaluate(&ims, &no_lm, true), Verdict::Proceed);
        assert_eq!(evaluate(&ius, &no_lm, true), Verdict::Proceed);
    }

    #[test]
    fn absent_targets() {
        let c = Conditions {
            if_match: Some(b"*"),
            ..Default::default()
        };
        assert_eq!(evaluate_absent(&c), Verdict::Failed);
        let c = Conditions {
            if_none_match: Some(b"*"),
            ..Default::default()
        };
        assert_eq!(evaluate_absent(&c), Verdict::Proceed);
    }

    #[test]
    fn if_range() {
        let lm = date::imf(LM);
        assert!(if_range_holds(b"\"abc\"", &v()));
        assert!(!if_range_holds(b"W/\"abc\"", &v()));
        assert!(!if_range_holds(b"\"zz\"", &v()));
        assert!(!if_range_holds(b"\"abc\", \"abc\"", &v()));
        assert!(
            !if_range_holds(b"\"abc\",,", &v()),
            "a list is no entity-tag"
        );
        assert!(if_range_holds(lm.as_bytes(), &v()));
        assert!(!if_range_holds(date::imf(LM + 1).as_bytes(), &v()));
        assert!(!if_range_holds(b"garbage", &v()));
        let weak_ours = Validators {
            etag: "W/\"abc\"",
            last_modified: None,
        };
        assert!(!if_range_holds(b"\"abc\"", &weak_ours));
        assert!(!if_range_holds(lm.as_bytes(), &weak_ours));
    }
}
