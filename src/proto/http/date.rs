//! HTTP dates (RFC 9110 §5.6.7) as whole seconds since 1970 in an `i64`, so a file
//! dated 1969 is `Mon, 22 Sep 1969 …`, not 1970: the httpdate crate stops at the
//! epoch, and a server must still format and compare such times.
//!
//! Formatting writes IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); parsing accepts
//! all three formats a recipient must (IMF-fixdate, RFC 850's `Sunday, 06-Nov-94 …`
//! and asctime's `Sun Nov  6 08:49:37 1994`). Years 0000–9999 only, the range of a
//! four-digit year; [`clamp`] brings any timestamp into it.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

/// 0000-01-01T00:00:00Z.
pub const MIN: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
pub const MAX: i64 = 253_402_300_799;

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const LONG_DAYS: [&str; 7] = [
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `t` brought into the years an HTTP date can say.
pub fn clamp(t: i64) -> i64 {
    t.clamp(MIN, MAX)
}

/// Seconds since 1970 of a `SystemTime`, negative before it.
pub fn secs_of(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        // 1969-12-31T23:59:59.5 is second -1: round towards the past.
        Err(e) => {
            let d = e.duration();
            let s = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            if d.subsec_nanos() > 0 { -s - 1 } else { -s }
        }
    }
}

/// The current second.
pub fn now() -> i64 {
    secs_of(SystemTime::now())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1–12, day 1–31) of a day number (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn push2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Append the IMF-fixdate of `t` (clamped into 0000–9999).
pub fn push_imf(out: &mut String, t: i64) {
    let t = clamp(t);
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    out.push_str(DAYS[days.rem_euclid(7) as usize]);
    out.push_str(", ");
    push2(out, d);
    out.push(' ');
    out.push_str(MONTHS[m as usize - 1]);
    out.push(' ');
    let y = y as u32;
    push2(out, y / 100);
    push2(out, y % 100);
    out.push(' ');
    push2(out, secs / 3600);
    out.push(':');
    push2(out, secs / 60 % 60);
    out.push(':');
    push2(out, secs % 60);
    out.push_str(" GMT");
}

/// `t` as RFC 3339 in UTC (`1994-11-06T08:49:37Z`), clamped into 0000–9999, for
/// listings.
pub fn rfc3339(t: i64) -> String {
    let t = clamp(t);
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(20);
    let y = y as u32;
    push2(&mut out, y / 100);
    push2(&mut out, y % 100);
    out.push('-');
    push2(&mut out, m);
    out.push('-');
    push2(&mut out, d);
    out.push('T');
    push2(&mut out, secs / 3600);
    out.push(':');
    push2(&mut out, secs / 60 % 60);
    out.push(':');
    push2(&mut out, secs % 60);
    out.push('Z');
    out
}

/// The IMF-fixdate of `t`.
pub fn imf(t: i64) -> String {
    let mut s = String::with_capacity(29);
    push_imf(&mut s, t);
    s
}

thread_local! {
    static DATE: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
}

/// Append the `Date` of this second, formatted at most once per second per thread,
/// and return that second (Last-Modified must not be later, §8.8.2.1).
pub fn push_now(buf: &mut String) -> i64 {
    let secs = now();
    DATE.with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != secs {
            c.1.clear();
            push_imf(&mut c.1, secs);
            c.0 = secs;
        }
        buf.push_str(&c.1);
    });
    secs
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

fn month(s: &[u8]) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| m.as_bytes() == s)
        .map(|i| i as u32 + 1)
}

/// `HH:MM:SS` as seconds of the day (a leap second 60 reads as 59).
fn time_of_day(s: &[u8]) -> Option<u32> {
    if s.len() != 8 || s[2] != b':' || s[5] != b':' {
        return None;
    }
    let (h, m, sec) = (digits(&s[0..2])?, digits(&s[3..5])?, digits(&s[6..8])?);
    (h < 24 && m < 60 && sec <= 60).then_some(h * 3600 + m * 60 + sec.min(59))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn assemble(y: i64, m: u32, d: u32, tod: u32) -> Option<i64> {
    if !(0..=9999).contains(&y) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + i64::from(tod))
}

/// Parse an HTTP-date in any of the three formats; `None` when it is none of them
/// (a recipient then ignores the field, e.g. `If-Modified-Since`).
pub fn parse(v: &[u8]) -> Option<i64> {
    let v = v.trim_ascii();
    if v.len() == 29 && v[3] == b',' {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
        if !DAYS.iter().any(|d| d.as_bytes() == &v[..3])
            || v[4] != b' '
            || v[7] != b' '
            || v[11] != b' '
            || v[16] != b' '
            || &v[25..] != b" GMT"
        {
            return None;
        }
        let d = digits(&v[5..7])?;
        let m = month(&v[8..11])?;
        let y = i64::from(digits(&v[12..16])?);
        return assemble(y, m, d, time_of_day(&v[17..25])?);
    }
    if let Some(comma) = v.iter().position(|&b| b == b',') {
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`.
        let rest = &v[comma + 1..];
        if !LONG_DAYS.iter().any(|d| d.as_bytes() == &v[..comma])
            || rest.len() != 23
            || rest[0] != b' '
            || rest[3] != b'-'
            || rest[7] != b'-'
            || rest[10] != b' '
            || &rest[19..] != b" GMT"
        {
            return None;
        }
        let d = digits(&rest[1..3])?;
        let m = month(&rest[4..7])?;
        let yy = i64::from(digits(&rest[8..10])?);
        let tod = time_of_day(&rest[11..19])?;
        // A two-digit year more than 50 years ahead is the last such year past.
        let (this_year, _, _) = civil_from_days(now().div_euclid(86_400));
        let mut y = this_year - this_year.rem_euclid(100) + yy;
        if y > this_year + 50 {
            y -= 100;
        }
        return assemble(y, m, d, tod);
    }
    // asctime: `Sun Nov  6 08:49:37 1994`.
    if v.len() != 24 || v[3] != b' ' || v[7] != b' ' || v[10] != b' ' || v[19] != b' ' {
        return None;
    }
    if !DAYS.iter().any(|d| d.as_bytes() == &v[..3]) {
        return None;
    }
    let m = month(&v[4..7])?;
    let d = if v[8] == b' ' {
        digits(&v[9..10])?
    } else {
        digits(&v[8..10])?
    };
    let tod = time_of_day(&v[11..19])?;
    let y = i64::from(digits(&v[20..24])?);
    assemble(y, m, d, tod)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_around_the_epoch_and_the_edges() {
        assert_eq!(imf(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(imf(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(imf(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(imf(-86_400 * 100 - 3600), "Mon, 22 Sep 1969 23:00:00 GMT");
        assert_eq!(imf(MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(imf(i64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(imf(MIN), "Sat, 01 Jan 0000 00:00:00 GMT");
        assert_eq!(imf(i64::MIN), imf(MIN));
        assert_eq!(imf(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(rfc3339(784_111_777), "1994-11-06T08:49:37Z");
        assert_eq!(rfc3339(-8_643_600), "1969-09-22T23:00:00Z");
    }

    #[test]
    fn parses_all_three_formats() {
        let t = Some(784_111_777);
        assert_eq!(parse(b"Sun, 06 Nov 1994 08:49:37 GMT"), t);
        assert_eq!(parse(b"Sunday, 06-Nov-94 08:49:37 GMT"), t);
        assert_eq!(parse(b"Sun Nov  6 08:49:37 1994"), t);
        assert_eq!(parse(b"Mon, 22 Sep 1969 23:00:00 GMT"), Some(-8_643_600));
        for bad in [
            &b""[..],
            b"garbage",
            b"Sun, 06 Nov 1994 08:49:37 UTC",
            b"Sun, 31 Feb 1994 08:49:37 GMT",
            b"Sun, 06 Nov 1994 24:00:00 GMT",
            b"Xyz, 06 Nov 1994 08:49:37 GMT",
            b"Sun, 06 Nov 1994 08:49:37 GMT,",
            b"Sun, 6 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn seconds_of_system_times_round_down() {
        use std::time::Duration;
        assert_eq!(secs_of(UNIX_EPOCH - Duration::from_millis(500)), -1);
        assert_eq!(secs_of(UNIX_EPOCH - Duration::from_secs(2)), -2);
        assert_eq!(secs_of(UNIX_EPOCH + Duration::from_millis(1500)), 1);
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_httpdate_after_1970(t in 0i64..=MAX) {
            let ours = imf(t);
            let theirs = httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(t as u64));
            proptest::prop_assert_eq!(&ours, &theirs);
            proptest::prop_assert_eq!(parse(ours.as_bytes()), Some(t));
        }

        #[test]
        fn round_trips_any_year(t in MIN..=MAX) {
            proptest::prop_assert_eq!(parse(imf(t).as_bytes()), Some(t));
        }
    }
}
