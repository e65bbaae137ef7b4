//! Request bodies as they arrive: delimited by `Content-Length`, or by the chunked
//! transfer coding (RFC 9112 §7.1), which a recipient must be able to parse. Sans-IO:
//! [`Body::step`] looks at the bytes received so far and says how many it consumed
//! and which of them were content, so the connection can discard a body it does not
//! want (and read the next pipelined request after it) or stream one to a file.
//!
//! The chunked parser is strict where laxness gave servers request-smuggling bugs:
//! hex sizes only (no sign, no `0x`, no overflow), CRLF exactly after every size line
//! and chunk (a bare LF is an error here), chunk extensions and trailer fields read
//! and ignored but bounded ([`MAX_LINE`], [`MAX_TRAILER`]), no control bytes in them.

/// Longest chunk-size line (size and extensions).
pub const MAX_LINE: usize = 4096;
/// Most bytes of trailer fields.
pub const MAX_TRAILER: usize = 8192;

/// Why a body cannot be read (the connection answers 400 and closes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyError(pub &'static str);

/// One step of decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Bytes of the input used (framing and content).
    pub consumed: usize,
    /// The content among them: `input[data.0..data.1]`.
    pub data: (usize, usize),
    /// The body is complete (nothing after `consumed` belongs to it).
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// In the hex size (`digits` so far).
    Size {
        digits: u8,
    },
    /// After the size: extensions until CR.
    Ext,
    /// CR seen after the size line.
    SizeLf,
    /// Content of the current chunk.
    Data,
    DataCr,
    DataLf,
    /// At the start of a trailer line (or of the final CRLF).
    TrailerStart,
    TrailerLine,
    TrailerLf,
    FinalLf,
    Done,
}

/// A request body being received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// This many bytes still to come.
    Length(u64),
    Chunked(Chunked),
}

/// The chunked decoder's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunked {
    state: Chunk,
    /// Size of the chunk being read (while in `Size`), then bytes left of it.
    size: u64,
    /// Bytes of the current size line, or of all trailer fields.
    line: usize,
}

impl Body {
    pub fn chunked() -> Body {
        Body::Chunked(Chunked {
            state: Chunk::Size { digits: 0 },
            size: 0,
            line: 0,
        })
    }

    /// Whether the whole body has been received.
    pub fn is_done(&self) -> bool {
        match self {
            Body::Length(n) => *n == 0,
            Body::Chunked(c) => c.state == Chunk::Done,
        }
    }

    /// Decode from the start of `input`. Call again with the rest of the input
    /// (`input[consumed..]`) until it is empty or the body is done.
    pub fn step(&mut self, input: &[u8]) -> Result<Step, BodyError> {
        match self {
            Body::Length(left) => {
                let n = (*left).min(input.len() as u64) as usize;
                *left -= n as u64;
                Ok(Step {
                    consumed: n,
                    data: (0, n),
                    done: *left == 0,
                })
            }
            Body::Chunked(c) => c.step(input),
        }
    }
}

impl Chunked {
    fn step(&mut self, input: &[u8]) -> Result<Step, BodyError> {
        let mut i = 0;
        while i < input.len() {
            let b = input[i];
            match self.state {
                Chunk::Data => {
                    let n = self.size.min((input.len() - i) as u64) as usize;
                    if i > 0 {
                        // Return the framing first, then the content alone.
                        break;
                    }
                    self.size -= n as u64;
                    if self.size == 0 {
                        self.state = Chunk::DataCr;
                    }
                    return Ok(Step {
                        consumed: n,
                        data: (0, n),
                        done: false,
                    });
                }
                Chunk::Size { digits } => {
                    if let Some(v) = (b as char).to_digit(16) {
                        if self.size >> 60 != 0 {
                            return Err(BodyError("chunk size too large"));
                        }
                        self.size = self.size << 4 | u64::from(v);
                        self.state = Chunk::Size {
                            digits: digits.saturating_add(1),
                        };
                    } else if digits == 0 {
                        return Err(BodyError("malformed chunk size"));
                    } else if b == b'\r' {
                        self.state = Chunk::SizeLf;
                    } else if matches!(b, b';' | b' ' | b'\t') {
                        self.state = Chunk::Ext;
                    } else {
                        return Err(BodyError("malformed chunk size"));
                    }
                    self.bump_line()?;
                }
                Chunk::Ext => {
                    if b == b'\r' {
                        self.state = Chunk::SizeLf;
                    } else if b < 0x20 && b != b'\t' || b == 0x7f {
                        return Err(BodyError("control byte in a chunk extension"));
                    }
                    self.bump_line()?;
                }
                Chunk::SizeLf => {
                    if b != b'\n' {
                        return Err(BodyError("chunk size line not ended by CRLF"));
                    }
                    self.line = 0;
                    self.state = if self.size == 0 {
                        Chunk::TrailerStart
                    } else {
                        Chunk::Data
                    };
                }
                Chunk::DataCr => {
                    if b != b'\r' {
                        return Err(BodyError("chunk not ended by CRLF"));
                    }
                    self.state = Chunk::DataLf;
                }
                Chunk::DataLf => {
                    if b != b'\n' {
                        return Err(BodyError("chunk not ended by CRLF"));
                    }
                    self.state = Chunk::Size { digits: 0 };
                }
                Chunk::TrailerStart => {
                    self.state = if b == b'\r' {
                        Chunk::FinalLf
                    } else if b == b'\n' || b == 0 {
                        return Err(BodyError("malformed trailer"));
                    } else {
                        Chunk::TrailerLine
                    };
                    self.bump_trailer()?;
                }
                Chunk::TrailerLine => {
                    if b == b'\r' {
                        self.state = Chunk::TrailerLf;
                    } else if b == b'\n' || b == 0 {
                        return Err(BodyError("malformed trailer"));
                    }
                    self.bump_trailer()?;
                }
                Chunk::TrailerLf => {
                    if b != b'\n' {
                        return Err(BodyError("malformed trailer"));
                    }
                    self.state = Chunk::TrailerStart;
                    self.bump_trailer()?;
                }
                Chunk::FinalLf => {
                    if b != b'\n' {
                        return Err(BodyError("chunked body not ended by CRLF"));
                    }
                    self.state = Chunk::Done;
                    return Ok(Step {
                        consumed: i + 1,
                        data: (0, 0),
                        done: true,
                    });
                }
                Chunk::Done => break,
            }
            i += 1;
        }
        Ok(Step {
            consumed: i,
            data: (0, 0),
            done: self.state == Chunk::Done,
        })
    }

    fn bump_line(&mut self) -> Result<(), BodyError> {
        self.line += 1;
        if self.line > MAX_LINE {
            return Err(BodyError("chunk size line too long"));
        }
        Ok(())
    }

    fn bump_trailer(&mut self) -> Result<(), BodyError> {
        self.line += 1;
        if self.line > MAX_TRAILER {
            return Err(BodyError("trailer section too large"));
        }
        Ok(())
    }
}

/// Decode all of `input`, appending content to `out`; for tests and fuzzing.
/// Returns the bytes consumed and whether the body ended.
pub fn decode_all(
    body: &mut Body,
    input: &[u8],
    out: &mut Vec<u8>,
) -> Result<(usize, bool), BodyError> {
    let mut pos = 0;
    while pos < input.len() && !body.is_done() {
        let s = body.step(&input[pos..])?;
        out.extend_from_slice(&input[pos + s.data.0..pos + s.data.1]);
        pos += s.consumed;
        if s.consumed == 0 {
            break;
        }
    }
    Ok((pos, body.is_done()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(input: &[u8]) -> Result<(Vec<u8>, usize, bool), BodyError> {
        let mut b = Body::chunked();
        let mut out = Vec::new();
        let (n, done) = decode_all(&mut b, input, &mut out)?;
        Ok((out, n, done))
    }

    #[test]
    fn chunks_extensions_and_trailers() {
        let raw = b"5;ext=1;x\r\nhello\r\n0006\r\n world\r\nA\r\n0123456789\r\n0\r\nT: v\r\nU: w\r\n\r\nNEXT";
        let (out, n, done) = decode(raw).unwrap();
        assert_eq!(out, b"hello world0123456789");
        assert!(done);
        assert_eq!(&raw[n..], b"NEXT");
        let (out, n, done) = decode(b"0\r\n\r\n").unwrap();
        assert!(out.is_empty() && done && n == 5);
    }

    #[test]
    fn any_split_gives_the_same_content() {
        let raw = b"3\r\nabc\r\n10 ; e\r\n0123456789abcdef\r\n0\r\nX: y\r\n\r\n";
        for cut in 0..raw.len() {
            let mut b = Body::chunked();
            let mut out = Vec::new();
            let (n1, _) = decode_all(&mut b, &raw[..cut], &mut out).unwrap();
            assert_eq!(n1, cut, "a prefix is consumed whole");
            let (n2, done) = decode_all(&mut b, &raw[cut..], &mut out).unwrap();
            assert!(done && n1 + n2 == raw.len(), "cut {cut}");
            assert_eq!(out, b"abc0123456789abcdef");
        }
    }

    #[test]
    fn malformed_framing_is_an_error() {
        for bad in [
            &b"zz\r\n"[..],
            b"\r\n",
            b"-1\r\n",
            b"0x5\r\n",
            b"3\r\nabcX",
            b"3\nabc\r\n",
            b"3\r\nabc\n",
            b"ffffffffffffffffff\r\n",
            b"1;\x01\r\n",
            b"0\r\nbad\nline\r\n\r\n",
            b"0\r\n\r\r",
        ] {
            assert!(decode(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let long = format!("1;{}\r\n", "e".repeat(MAX_LINE));
        assert!(decode(long.as_bytes()).is_err());
        let trailer = format!("0\r\n{}\r\n", "T: v\r\n".repeat(MAX_TRAILER / 6 + 1));
        assert!(decode(trailer.as_bytes()).is_err());
        // The largest size that fits is accepted (and then waits for content).
        assert!(decode(b"fffffffffffffff\r\n").is_ok());
    }

    #[test]
    fn content_length_bodies() {
        let mut b = Body::Length(5);
        let s = b.step(b"abc").unwrap();
        assert_eq!((s.consumed, s.done), (3, false));
        let s = b.step(b"deNEXT").unwrap();
        assert_eq!((s.consumed, s.data, s.done), (2, (0, 2), true));
    }
}
