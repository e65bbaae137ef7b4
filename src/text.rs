//! How nettool words quantities in human lines: a count with its noun in the right
//! number (`1 connection`, `2 connections`) and a duration in one format everywhere
//! (`929us`, `502ms`, `1.5s`, `2m30s`), the same form `-w` accepts. A leaf module:
//! every layer may use it, it uses nothing of the crate.

/// `n` and the noun, in the right number: `1 connection`, `2 connections`, `0 replies`,
/// `1 process`. Every human line that counts something uses it.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    format!("{n} {}", plural_noun(noun))
}

/// A count with thousands separated by commas, as people read large numbers:
/// `18,230`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The plural of an English noun as nettool uses them (regular rules; a noun of
/// several words is pluralised on its last: "round trip" → "round trips").
fn plural_noun(noun: &str) -> String {
    let before_y = noun
        .len()
        .checked_sub(2)
        .and_then(|i| noun.as_bytes().get(i));
    if noun.ends_with('y') && before_y.is_some_and(|c| !b"aeiou".contains(c)) {
        return format!("{}ies", &noun[..noun.len() - 1]);
    }
    if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) {
        return format!("{noun}es");
    }
    format!("{noun}s")
}

/// A duration as every human line prints it, the way `-w` takes it: `0s`, `250us`,
/// `12ms`, `1.5s`, `3.83s`, `2m30s`, `1h5m` (at most three significant digits below a
/// minute, whole seconds above). [`crate::cli::parse_duration`] reads it back.
pub fn duration(d: std::time::Duration) -> String {
    let nanos = d.as_nanos();
    if nanos == 0 {
        return "0s".into();
    }
    if nanos < 1_000_000 {
        return format!("{}us", trim_decimals(nanos as f64 / 1e3, 3));
    }
    if nanos < 1_000_000_000 {
        return format!("{}ms", trim_decimals(nanos as f64 / 1e6, 3));
    }
    if nanos < 60_000_000_000 {
        return format!("{}s", trim_decimals(nanos as f64 / 1e9, 3));
    }
    let secs = (nanos + 500_000_000) / 1_000_000_000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    for (v, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if v != 0 {
            out.push_str(&format!("{v}{unit}"));
        }
    }
    out
}

/// `v` with at most `digits` significant digits, trailing zeros dropped (`1.5`, `3.83`, `12`).
fn trim_decimals(v: f64, digits: usize) -> String {
    let int_digits = (v.abs().max(1.0).log10().floor() as usize) + 1;
    let decimals = digits.saturating_sub(int_digits);
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(18_230), "18,230");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn plurals_follow_the_count() {
        assert_eq!(plural(1u64, "connection"), "1 connection");
        assert_eq!(plural(2u64, "connection"), "2 connections");
        assert_eq!(plural(0u64, "reply"), "0 replies");
        assert_eq!(plural(1u64, "reply"), "1 reply");
        assert_eq!(plural(3u64, "process"), "3 processes");
        assert_eq!(plural(2u64, "round trip"), "2 round trips");
        assert_eq!(plural(2u64, "day"), "2 days");
    }

    #[test]
    fn durations_print_one_way() {
        use std::time::Duration as D;
        assert_eq!(duration(D::ZERO), "0s");
        assert_eq!(duration(D::from_micros(250)), "250us");
        assert_eq!(duration(D::from_nanos(1_500)), "1.5us");
        assert_eq!(duration(D::from_millis(12)), "12ms");
        assert_eq!(duration(D::from_micros(12_345)), "12.3ms");
        assert_eq!(duration(D::from_millis(1500)), "1.5s");
        assert_eq!(duration(D::from_millis(3830)), "3.83s");
        assert_eq!(duration(D::from_secs(2)), "2s");
        assert_eq!(duration(D::from_millis(59_999)), "60s");
        assert_eq!(duration(D::from_secs(150)), "2m30s");
        assert_eq!(duration(D::from_secs(3900)), "1h5m");
    }

    proptest::proptest! {
        #[test]
        fn printed_durations_parse_back(ns in 0u64..10_000_000_000_000) {
            let d = std::time::Duration::from_nanos(ns);
            let text = duration(d);
            let back = crate::cli::parse_duration(&text).unwrap();
            let err = back.as_secs_f64() - d.as_secs_f64();
            // Three significant digits below a minute, whole seconds above.
            let tolerance = if d.as_secs() >= 60 {
                0.5
            } else {
                d.as_secs_f64() * 5e-3
            } + 1e-9;
            proptest::prop_assert!(err.abs() <= tolerance, "{d:?} -> {text} -> {back:?}");
        }
    }
}
