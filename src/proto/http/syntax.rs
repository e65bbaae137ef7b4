//! The syntax under a request head: the request line (`method SP target SP
//! HTTP/d.d`, RFC 9112 §3), the character classes of RFC 9110 §5.6.2 (`tchar`) and
//! RFC 3986 (a reg-name's characters) as lookup tables, and what a valid `Host` is.

use super::request::{MAX_REQUEST_LINE, Reject, reject};

/// A byte class as a table: letters, digits and `extra`.
const fn class(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
}

/// `tchar` (RFC 9110 §5.6.2).
const TCHAR: [bool; 256] = class(b"!#$%&'*+-.^_`|~");
/// RFC 3986's unreserved and sub-delims: a reg-name's characters besides `%`.
const REG_NAME: [bool; 256] = class(b"-._~!$&'()*+,;=");

/// `tchar` (RFC 9110 §5.6.2).
pub fn is_tchar(b: u8) -> bool {
    TCHAR[usize::from(b)]
}

/// A valid `Host` value (RFC 9112 §3.2, RFC 3986 §3.2.2): `uri-host [ ":" port ]`,
/// where the host is an IP literal in brackets or a reg-name (unreserved,
/// percent-encoded and sub-delims characters; it may be empty).
pub fn valid_host(v: &[u8]) -> bool {
    let (host, port) = if v.first() == Some(&b'[') {
        let Some(close) = v.iter().position(|&b| b == b']') else {
            return false;
        };
        let inner = &v[1..close];
        let ok = !inner.is_empty()
            && inner
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            || (inner.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'v'))
                && inner.len() > 3
                && inner[1..]
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:".contains(&b)));
        if !ok {
            return false;
        }
        match &v[close + 1..] {
            [] => (&b""[..], None),
            [b':', port @ ..] => (&b""[..], Some(port)),
            _ => return false,
        }
    } else {
        match v.iter().rposition(|&b| b == b':') {
            Some(c) => (&v[..c], Some(&v[c + 1..])),
            None => (v, None),
        }
    };
    if port.is_some_and(|p| !p.iter().all(u8::is_ascii_digit)) {
        return false;
    }
    let mut i = 0;
    while i < host.len() {
        let b = host[i];
        if b == b'%' {
            if !(host.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && host.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !REG_NAME[usize::from(b)] {
            return false;
        }
        i += 1;
    }
    true
}

/// A request line, parsed.
pub(super) struct Line<'a> {
    pub(super) method: &'a [u8],
    pub(super) target: &'a [u8],
    pub(super) minor: u8,
    /// Bytes including the line end.
    pub(super) len: usize,
}

/// The request line at the start of `buf`, once it is complete.
pub(super) fn request_line(buf: &[u8]) -> Result<Option<Line<'_>>, Reject> {
    let Some(nl) = buf.iter().position(|&b| b == b'\n') else {
        if buf.len() > MAX_REQUEST_LINE {
            return Err(reject(414, "request line too long"));
        }
        return Ok(None);
    };
    if nl > MAX_REQUEST_LINE {
        return Err(reject(414, "request line too long"));
    }
    // A recipient may take a bare LF as the line end (RFC 9112 §2.2).
    let line = buf[..nl].strip_suffix(b"\r").unwrap_or(&buf[..nl]);
    let malformed = || reject(400, "malformed request line");
    let sp1 = line.iter().position(|&b| b == b' ').ok_or_else(malformed)?;
    let method = &line[..sp1];
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(malformed());
    }
    let rest = &line[sp1 + 1..];
    let sp2 = rest.iter().position(|&b| b == b' ').ok_or_else(malformed)?;
    let target = &rest[..sp2];
    // Visible ASCII; bytes above 0x7F are let through as nginx does (clients that
    // send raw UTF-8), the path decoder treats them as the bytes of a name.
    if target.is_empty() || target.iter().any(|&b| b <= 0x20 || b == 0x7f) {
        return Err(malformed());
    }
    let version = &rest[sp2 + 1..];
    let [b'H', b'T', b'T', b'P', b'/', major, b'.', minor] = *version else {
        return Err(malformed());
    };
    if !major.is_ascii_digit() || !minor.is_ascii_digit() {
        return Err(malformed());
    }
    if major != b'1' {
        return Err(reject(505, "HTTP version not supported"));
    }
    Ok(Some(Line {
        method,
        target,
        minor: u8::from(minor != b'0'),
        len: nl + 1,
    }))
}
