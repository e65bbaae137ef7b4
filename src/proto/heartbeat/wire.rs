//! The heartbeat wire format: small, fixed, versioned binary frames.
//!
//! ```text
//! header (6 bytes)      'H' 'B' | version u8 (=1) | kind u8 | body length u16
//! ping body (16 bytes)  seq u64 | sender time u64 (µs since the Unix epoch)
//! pong body (36 bytes)  seq u64 | sender time u64 (echoed)
//!                       | responder time u64 (µs since the Unix epoch)
//!                       | responder uptime u64 (ms) | responder connections u32
//! ```
//!
//! All integers are big-endian (network order). Kind 1 is a ping (a beat), kind 2 the
//! pong. The length field lets a stream reader find frame boundaries however the bytes
//! arrive (one byte at a time, or three frames in one read), and lets it reject an
//! oversized or malformed frame *before* buffering it: anything but the exact body
//! length of its kind, a wrong magic or an unknown version is an error, and the
//! connection carrying it is closed. Over UDP each datagram holds exactly one frame.

use std::fmt;

/// The two magic bytes that open every frame.
pub const MAGIC: [u8; 2] = *b"HB";
/// The protocol version this build speaks.
pub const VERSION: u8 = 1;
/// Bytes before the body.
pub const HEADER_LEN: usize = 6;
/// Largest body any version-1 frame may announce; more is "oversized".
pub const MAX_BODY: usize = 64;

const KIND_PING: u8 = 1;
const KIND_PONG: u8 = 2;
const PING_BODY: usize = 16;
const PONG_BODY: usize = 36;

/// A beat: "are you there?", numbered and timestamped by the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping {
    pub seq: u64,
    pub sent_us: u64,
}

/// The answer: the beat's fields echoed, plus what the responder knows about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pong {
    pub seq: u64,
    pub sent_us: u64,
    pub responder_us: u64,
    pub uptime_ms: u64,
    pub connections: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Ping(Ping),
    Pong(Pong),
}

/// Why bytes are not a heartbeat frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    BadMagic([u8; 2]),
    BadVersion(u8),
    UnknownKind(u8),
    Oversized(usize),
    BadLength {
        kind: u8,
        len: usize,
    },
    /// A datagram with more (or fewer) bytes than its one frame.
    TrailingBytes(usize),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::BadMagic(m) => write!(
                f,
                "bad magic {:02x}{:02x} (not a heartbeat peer)",
                m[0], m[1]
            ),
            FrameError::BadVersion(v) => {
                write!(f, "unsupported protocol version {v} (we speak {VERSION})")
            }
            FrameError::UnknownKind(k) => write!(f, "unknown frame kind {k}"),
            FrameError::Oversized(n) => {
                write!(f, "oversized frame: body of {n} bytes (at most {MAX_BODY})")
            }
            FrameError::BadLength { kind, len } => {
                write!(f, "frame kind {kind} with a {len}-byte body")
            }
            FrameError::TrailingBytes(n) => write!(f, "datagram is {n} bytes, not one frame"),
        }
    }
}

impl std::error::Error for FrameError {}

fn header(kind: u8, len: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(&MAGIC);
    out.push(VERSION);
    out.push(kind);
    out.extend_from_slice(&(len as u16).to_be_bytes());
}

/// Append the bytes of `frame` to `out`.
pub fn encode(frame: &Frame, out: &mut Vec<u8>) {
    match frame {
        Frame::Ping(p) => {
            header(KIND_PING, PING_BODY, out);
            out.extend_from_slice(&p.seq.to_be_bytes());
            out.extend_from_slice(&p.sent_us.to_be_bytes());
        }
        Frame::Pong(p) => {
            header(KIND_PONG, PONG_BODY, out);
            out.extend_from_slice(&p.seq.to_be_bytes());
            out.extend_from_slice(&p.sent_us.to_be_bytes());
            out.extend_from_slice(&p.responder_us.to_be_bytes());
            out.extend_from_slice(&p.uptime_ms.to_be_bytes());
            out.extend_from_slice(&p.connections.to_be_bytes());
        }
    }
}

/// The frame as a fresh buffer.
pub fn to_bytes(frame: &Frame) -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER_LEN + PONG_BODY);
    encode(frame, &mut v);
    v
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_be_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// Decode the frame at the start of `buf`: `Ok(None)` means "not enough bytes yet"
/// (a partial read); `Ok(Some((frame, used)))` consumed `used` bytes. The header is
/// checked as soon as it is complete, so garbage is rejected without waiting for more.
pub fn decode(buf: &[u8]) -> Result<Option<(Frame, usize)>, FrameError> {
    // Check what we have of the magic even before the header is whole.
    for (i, &b) in buf.iter().take(2).enumerate() {
        if b != MAGIC[i] {
            let mut m = [0u8; 2];
            m[..buf.len().min(2)].copy_from_slice(&buf[..buf.len().min(2)]);
            return Err(FrameError::BadMagic(m));
        }
    }
    if buf.len() >= 3 && buf[2] != VERSION {
        return Err(FrameError::BadVersion(buf[2]));
    }
    if buf.len() < HEADER_LEN {
        return Ok(None);
    }
    let kind = buf[3];
    let len = u16::from_be_bytes([buf[4], buf[5]]) as usize;
    if len > MAX_BODY {
        return Err(FrameError::Oversized(len));
    }
    let expected = match kind {
        KIND_PING => PING_BODY,
        KIND_PONG => PONG_BODY,
        k => return Err(FrameError::UnknownKind(k)),
    };
    if len != expected {
        return Err(FrameError::BadLength { kind, len });
    }
    if buf.len() < HEADER_LEN + len {
        return Ok(None);
    }
    let b = &buf[HEADER_LEN..HEADER_LEN + len];
    let frame = match kind {
        KIND_PING => Frame::Ping(Ping {
            seq: u64_at(b, 0),
            sent_us: u64_at(b, 8),
        }),
        _ => Frame::Pong(Pong {
            seq: u64_at(b, 0),
            sent_us: u64_at(b, 8),
            responder_us: u64_at(b, 16),
            uptime_ms: u64_at(b, 24),
            connections: u32::from_be_bytes(b[32..36].try_into().expect("4 bytes")),
        }),
    };
    Ok(Some((frame, HEADER_LEN + len)))
}

/// Decode a datagram, which must hold exactly one frame.
pub fn decode_datagram(buf: &[u8]) -> Result<Frame, FrameError> {
    match decode(buf)? {
        Some((f, used)) if used == buf.len() => Ok(f),
        _ => Err(FrameError::TrailingBytes(buf.len())),
    }
}

/// Microseconds since the Unix epoch (the timestamps on the wire).
pub fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pong() -> Frame {
        Frame::Pong(Pong {
            seq: 7,
            sent_us: 1,
            responder_us: 2,
            uptime_ms: 3,
            connections: 4,
        })
    }

    #[test]
    fn frames_round_trip() {
        for f in [
            Frame::Ping(Ping {
                seq: u64::MAX,
                sent_us: 42,
            }),
            pong(),
        ] {
            let b = to_bytes(&f);
            assert_eq!(decode(&b).unwrap(), Some((f, b.len())));
            assert_eq!(decode_datagram(&b).unwrap(), f);
        }
    }

    #[test]
    fn every_partial_prefix_asks_for_more() {
        let b = to_bytes(&pong());
        for n in 0..b.len() {
            assert_eq!(decode(&b[..n]).unwrap(), None, "prefix {n}");
        }
    }

    #[test]
    fn garbage_is_rejected_early() {
        assert_eq!(decode(b"G"), Err(FrameError::BadMagic([b'G', 0])));
        assert_eq!(
            decode(b"GET / HTTP/1.0\r\n"),
            Err(FrameError::BadMagic(*b"GE"))
        );
        assert_eq!(decode(b"HB\x09"), Err(FrameError::BadVersion(9)));
        assert_eq!(
            decode(b"HB\x01\x07\x00\x10"),
            Err(FrameError::UnknownKind(7))
        );
        assert_eq!(
            decode(b"HB\x01\x01\xff\xff"),
            Err(FrameError::Oversized(65535))
        );
        assert_eq!(
            decode(b"HB\x01\x01\x00\x08"),
            Err(FrameError::BadLength { kind: 1, len: 8 })
        );
        let mut two = to_bytes(&pong());
        two.push(0);
        assert_eq!(decode_datagram(&two), Err(FrameError::TrailingBytes(43)));
    }

    proptest! {
        /// No input makes the decoder panic, and what it accepts re-encodes identically.
        #[test]
        fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(Some((f, used))) = decode(&bytes) {
                prop_assert_eq!(to_bytes(&f), bytes[..used].to_vec());
            }
        }

        /// Frames split at any point decode the same.
        #[test]
        fn split_frames_decode(seq in any::<u64>(), cut in 0usize..22) {
            let b = to_bytes(&Frame::Ping(Ping { seq, sent_us: 5 }));
            let cut = cut.min(b.len());
            let mut buf = b[..cut].to_vec();
            if cut < b.len() {
                prop_assert_eq!(decode(&buf).unwrap(), None);
            }
            buf.extend_from_slice(&b[cut..]);
            prop_assert_eq!(decode(&buf).unwrap().unwrap().0, Frame::Ping(Ping { seq, sent_us: 5 }));
        }
    }
}
