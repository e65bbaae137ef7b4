//! A streaming `multipart/form-data` parser (RFC 7578) for the listing page's upload
//! form: the body is fed in whatever pieces it arrives in, file parts are handed to
//! a [`Sink`] as they stream past, nothing is buffered but a part's header and the
//! few bytes that might begin a delimiter.
//!
//! Parts without a `filename` (text fields) and parts with an empty one (a file
//! input left empty) are skipped. A file name is reduced to its last path component
//! (some clients send `C:\dir\name`), the escapes browsers apply (`%22`, `%0D`,
//! `%0A`, HTML's form encoding) are undone, and what is left must be a plain name.

use memchr::memmem;

/// Longest header section of one part.
pub const MAX_PART_HEAD: usize = 8 * 1024;
/// Longest boundary (RFC 2046 §5.1.1).
pub const MAX_BOUNDARY: usize = 70;

/// Where file parts go.
pub trait Sink {
    type Error;
    /// A file part named `name` begins.
    fn start(&mut self, name: &[u8]) -> Result<(), Self::Error>;
    /// More of its content.
    fn data(&mut self, bytes: &[u8]) -> Result<(), Self::Error>;
    /// It ended.
    fn end(&mut self) -> Result<(), Self::Error>;
}

/// Why a form cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum FormError<E> {
    Malformed(&'static str),
    Sink(E),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first delimiter (the preamble is ignored).
    Preamble,
    /// Just after a delimiter: `--` ends the form, optional padding and CRLF a part.
    AfterDelimiter {
        dash: bool,
        cr: bool,
    },
    Headers,
    Content {
        file: bool,
    },
    /// After the closing delimiter (ignored).
    Epilogue,
}

/// The boundary of a `multipart/form-data; boundary=…` Content-Type, if it is one.
pub fn boundary(content_type: &[u8]) -> Option<&[u8]> {
    let mut parts = content_type.split(|&b| b == b';');
    let essence = parts.next()?.trim_ascii();
    if !essence.eq_ignore_ascii_case(b"multipart/form-data") {
        return None;
    }
    for p in parts {
        let p = p.trim_ascii();
        if p.len() > 9 && p[..9].eq_ignore_ascii_case(b"boundary=") {
            let v = &p[9..];
            let v = v
                .strip_prefix(b"\"")
                .and_then(|v| v.strip_suffix(b"\""))
                .unwrap_or(v);
            let ok = !v.is_empty()
                && v.len() <= MAX_BOUNDARY
                && v.iter().all(|&b| b.is_ascii_graphic() || b == b' ');
            return ok.then_some(v);
        }
    }
    None
}

/// The parser's state.
#[derive(Debug)]
pub struct FormParser {
    /// `CRLF--boundary`.
    delimiter: Vec<u8>,
    state: State,
    /// Bytes held back because they may begin a delimiter.
    carry: Vec<u8>,
    head: Vec<u8>,
}

impl FormParser {
    pub fn new(boundary: &[u8]) -> FormParser {
        let mut delimiter = b"\r\n--".to_vec();
        delimiter.extend_from_slice(boundary);
        FormParser {
            delimiter,
            state: State::Preamble,
            // The first delimiter may open the body without a CRLF before it.
            carry: b"\r\n".to_vec(),
            head: Vec::new(),
        }
    }

    /// Whether the closing delimiter has been seen.
    pub fn is_complete(&self) -> bool {
        self.state == State::Epilogue
    }

    /// Feed the next piece of the body.
    pub fn feed<S: Sink>(
        &mut self,
        mut input: &[u8],
        sink: &mut S,
    ) -> Result<(), FormError<S::Error>> {
        while !input.is_empty() {
            match self.state {
                State::Epilogue => return Ok(()),
                State::Preamble => {
                    let n = self.scan(input, None::<&mut S>)?;
                    input = &input[n..];
                }
                State::Content { file } => {
                    let n = self.scan(input, file.then_some(&mut *sink))?;
                    input = &input[n..];
                }
                State::AfterDelimiter { dash, cr } => {
                    let b = input[0];
                    input = &input[1..];
                    self.state = match (dash, cr, b) {
                        (false, false, b'-') => State::AfterDelimiter {
                            dash: true,
                            cr: false,
                        },
                        (true, _, b'-') => State::Epilogue,
                        (false, false, b' ' | b'\t') => State::AfterDelimiter { dash, cr },
                        (false, false, b'\r') => State::AfterDelimiter { dash, cr: true },
                        (false, true, b'\n') => {
                            self.head.clear();
                            State::Headers
                        }
                        _ => return Err(FormError::Malformed("bad delimiter line")),
                    };
                }
                State::Headers => {
                    let b = input[0];
                    input = &input[1..];
                    self.head.push(b);
                    if self.head.len() > MAX_PART_HEAD {
                        return Err(FormError::Malformed("part header too large"));
                    }
                    if self.head == b"\r\n" || self.head.ends_with(b"\r\n\r\n") {
                        let name = part_file_name(&self.head).map_err(FormError::Malformed)?;
                        let file = match name {
                            Some(n) => {
                                sink.start(&n).map_err(FormError::Sink)?;
                                true
                            }
                            None => false,
                        };
                        self.state = State::Content { file };
                        // The CRLF before the next delimiter belongs to it.
                        self.carry.clear();
                    }
                }
            }
        }
        Ok(())
    }

    /// Look for the delimiter in the held-back bytes and `input`; pass what is
    /// certainly content to `sink`. Returns the bytes of `input` consumed.
    fn scan<S: Sink>(
        &mut self,
        input: &[u8],
        sink: Option<&mut S>,
    ) -> Result<usize, FormError<S::Error>> {
        let joined;
        let (hay, held) = if self.carry.is_empty() {
            (input, 0)
        } else {
            let mut j = std::mem::take(&mut self.carry);
            let held = j.len();
            j.extend_from_slice(input);
            joined = j;
            (&joined[..], held)
        };
        let d = &self.delimiter;
        match memmem::find(hay, d) {
            Some(p) => {
                if let Some(s) = sink {
                    s.data(&hay[..p]).map_err(FormError::Sink)?;
                    if self.state != State::Preamble {
                        s.end().map_err(FormError::Sink)?;
                    }
                }
                self.state = State::AfterDelimiter {
                    dash: false,
                    cr: false,
                };
                // The held bytes are shorter than the delimiter: it ends in `input`.
                Ok(p + d.len() - held)
            }
            None => {
                let max = (d.len() - 1).min(hay.len());
                let keep = (1..=max)
                    .rev()
                    .find(|&k| hay.ends_with(&d[..k]))
                    .unwrap_or(0);
                if let Some(s) = sink {
                    s.data(&hay[..hay.len() - keep]).map_err(FormError::Sink)?;
                }
                self.carry = hay[hay.len() - keep..].to_vec();
                Ok(input.len())
            }
        }
    }
}

/// The file name of a part's `Content-Disposition: form-data; …; filename="…"`,
/// `None` for a field that is not a file (or an empty file input).
fn part_file_name(head: &[u8]) -> Result<Option<Vec<u8>>, &'static str> {
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        if !line[..colon].eq_ignore_ascii_case(b"content-disposition") {
            continue;
        }
        let Some(raw) = param(&line[colon + 1..], b"filename") else {
            return Ok(None);
        };
        return clean_name(&raw)
            .map(Some)
            .or_else(|e| if raw.is_empty() { Ok(None) } else { Err(e) });
    }
    Ok(None)
}

/// The value of parameter `name` in `form-data; a="x"; b=y`, quotes removed.
fn param(v: &[u8], name: &[u8]) -> Option<Vec<u8>> {
    let mut rest = v;
    while let Some(semi) = rest.iter().position(|&b| b == b';') {
        rest = rest[semi + 1..].trim_ascii_start();
        let eq = rest.iter().position(|&b| b == b'=')?;
        let key = rest[..eq].trim_ascii();
        let after = rest[eq + 1..].trim_ascii_start();
        let (value, next) = if after.first() == Some(&b'"') {
            let close = after[1..].iter().position(|&b| b == b'"')? + 1;
            (&after[1..close], &after[close + 1..])
        } else {
            let end = after.iter().position(|&b| b == b';').unwrap_or(after.len());
            (after[..end].trim_ascii(), &after[end..])
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value.to_vec());
        }
        rest = next;
    }
    None
}

/// A client's file name as a plain name: the last path component, browsers' `%22`,
/// `%0D`, `%0A` undone; no NUL or other control byte, not `.` or `..`.
pub fn clean_name(raw: &[u8]) -> Result<Vec<u8>, &'static str> {
    let last = raw
        .rsplit(|&b| b == b'/' || b == b'\\')
        .next()
        .unwrap_or(raw);
    let mut out = Vec::with_capacity(last.len());
    let mut i = 0;
    while i < last.len() {
        let esc = &last[i..];
        if esc.starts_with(b"%22") {
            out.push(b'"');
            i += 3;
        } else if esc.starts_with(b"%0D") || esc.starts_with(b"%0A") {
            return Err("a control character in a file name");
        } else {
            out.push(last[i]);
            i += 1;
        }
    }
    if out.is_empty() || out == b"." || out == b".." {
        return Err("an empty file name");
    }
    if out.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err("a control character in a file name");
    }
    if out.len() > 255 {
        return Err("a file name longer than 255 bytes");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Files(Vec<(Vec<u8>, Vec<u8>, bool)>);

    impl Sink for Files {
        type Error = ();
        fn start(&mut self, name: &[u8]) -> Result<(), ()> {
            self.0.push((name.to_vec(), Vec::new(), false));
            Ok(())
        }
        fn data(&mut self, b: &[u8]) -> Result<(), ()> {
            self.0.last_mut().unwrap().1.extend_from_slice(b);
            Ok(())
        }
        fn end(&mut self) -> Result<(), ()> {
            self.0.last_mut().unwrap().2 = true;
            Ok(())
        }
    }

    const FORM: &[u8] = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.txt\"\r\nContent-Type: text/plain\r\n\r\n\
line1\r\n--Xy not yet\r\nend\r\n--XyZ\r\ncontent-disposition: form-data; name=file; filename=\"C:\\dir\\q%22.bin\"\r\n\r\n\
\x00\x01\r\n\r\n--XyZ--\r\nepilogue";

    #[test]
    fn files_in_any_pieces() {
        for step in [1, 2, 3, 7, 64, FORM.len()] {
            let mut p = FormParser::new(b"XyZ");
            let mut f = Files::default();
            for piece in FORM.chunks(step) {
                p.feed(piece, &mut f).unwrap();
            }
            assert!(p.is_complete(), "step {step}");
            assert_eq!(f.0.len(), 2, "step {step}");
            assert_eq!(f.0[0].0, b"a \"b\".txt");
            assert_eq!(f.0[0].1, b"line1\r\n--Xy not yet\r\nend", "step {step}");
            assert_eq!(f.0[1].0, b"q\".bin");
            assert_eq!(f.0[1].1, b"\x00\x01\r\n", "step {step}");
            assert!(f.0.iter().all(|x| x.2));
        }
    }

    #[test]
    fn the_first_delimiter_may_open_the_body() {
        let mut p = FormParser::new(b"B");
        let mut f = Files::default();
        p.feed(
            b"--B\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\nX\r\n--B--",
            &mut f,
        )
        .unwrap();
        assert!(p.is_complete());
        assert_eq!(f.0, vec![(b"x".to_vec(), b"X".to_vec(), true)]);
    }

    #[test]
    fn boundaries_and_names() {
        assert_eq!(
            boundary(b"multipart/form-data; boundary=abc"),
            Some(&b"abc"[..])
        );
        assert_eq!(
            boundary(b"Multipart/Form-Data;boundary=\"a b\""),
            Some(&b"a b"[..])
        );
        assert_eq!(boundary(b"multipart/mixed; boundary=abc"), None);
        assert_eq!(boundary(b"multipart/form-data"), None);
        assert_eq!(clean_name(b"../../etc/passwd").unwrap(), b"passwd");
        assert_eq!(clean_name(b"C:\\x\\y.txt").unwrap(), b"y.txt");
        assert!(
            clean_name(b"..").is_err()
                && clean_name(b"a/").is_err()
                && clean_name(b"a\x01").is_err()
        );
        assert!(clean_name(b"a%0Ab").is_err());
    }

    #[test]
    fn an_empty_file_input_is_skipped() {
        let mut p = FormParser::new(b"B");
        let mut f = Files::default();
        p.feed(
            b"--B\r\nContent-Disposition: form-data; name=f; filename=\"\"\r\n\r\n\r\n--B--",
            &mut f,
        )
        .unwrap();
        assert!(p.is_complete() && f.0.is_empty());
    }
}
