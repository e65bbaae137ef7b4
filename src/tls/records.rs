//! The TLS record layer's framing, read without decrypting anything: every record
//! starts with a 5-byte header — content type (20 change_cipher_spec, 21 alert,
//! 22 handshake, 23 application_data), the legacy version, and the length of the body
//! that follows (at most 2^14 + 2048 bytes). A [`Scanner`] follows one direction of
//! a connection across arbitrary chunk boundaries.
//!
//! It serves two purposes: `--explain` names the records going each way (and, while
//! handshake messages are still in the clear, which message: ClientHello,
//! ServerHello, …), and kernel TLS may only take over a connection's receive side
//! when everything read so far ends exactly at a record boundary
//! ([`Scanner::at_boundary`]): bytes of a half-read record cannot be handed back to
//! the kernel.

/// The largest body a record may carry (RFC 8446 §5.2: 2^14 + 256 for TLS 1.3;
/// TLS 1.2 allows 2^14 + 2048).
pub const MAX_BODY: usize = (1 << 14) + 2048;

/// One record header as seen on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub content_type: u8,
    pub version: u16,
    pub len: u16,
    /// For a handshake record still in the clear: the type of the first message.
    pub handshake: Option<u8>,
}

impl Record {
    /// A short name: `handshake ClientHello`, `alert`, `application_data`.
    pub fn name(&self) -> String {
        let base = content_type_name(self.content_type);
        match self.handshake {
            Some(h) => format!("{base} {}", handshake_name(h)),
            None => base.to_string(),
        }
    }
}

/// The name of a record content type.
pub fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        24 => "heartbeat",
        _ => "not TLS",
    }
}

/// The name of a handshake message type (RFC 8446 §4).
pub fn handshake_name(t: u8) -> &'static str {
    match t {
        0 => "HelloRequest",
        1 => "ClientHello",
        2 => "ServerHello",
        4 => "NewSessionTicket",
        5 => "EndOfEarlyData",
        8 => "EncryptedExtensions",
        11 => "Certificate",
        12 => "ServerKeyExchange",
        13 => "CertificateRequest",
        14 => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        24 => "KeyUpdate",
        _ => "(encrypted)",
    }
}

/// Follows the record framing of one direction of a connection.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    header: [u8; 5],
    /// Header bytes collected for the record being read.
    have: usize,
    /// Body bytes of the current record still to come.
    body_left: usize,
    /// The current record is a handshake record whose first body byte is still to come.
    want_type: bool,
    current: Option<Record>,
    /// A change_cipher_spec went by: handshake bodies are encrypted from here on.
    encrypted: bool,
    /// Bytes that cannot be TLS were seen: the framing is lost for good.
    broken: bool,
    /// Records completed so far.
    pub records: u64,
}

impl Scanner {
    /// Follow `bytes`; every record whose header (and, for a handshake, first body
    /// byte) has been seen is handed to `each` once.
    pub fn scan(&mut self, mut bytes: &[u8], mut each: impl FnMut(Record)) {
        while !bytes.is_empty() && !self.broken {
            if self.body_left == 0 && self.current.is_none() {
                let take = (5 - self.have).min(bytes.len());
                self.header[self.have..self.have + take].copy_from_slice(&bytes[..take]);
                self.have += take;
                bytes = &bytes[take..];
                if self.have < 5 {
                    return;
                }
                self.have = 0;
                let h = self.header;
                let len = u16::from_be_bytes([h[3], h[4]]);
                if !(20..=24).contains(&h[0]) || h[1] != 3 || usize::from(len) > MAX_BODY {
                    self.broken = true;
                    each(Record {
                        content_type: h[0],
                        version: u16::from_be_bytes([h[1], h[2]]),
                        len,
                        handshake: None,
                    });
                    return;
                }
                let rec = Record {
                    content_type: h[0],
                    version: u16::from_be_bytes([h[1], h[2]]),
                    len,
                    handshake: None,
                };
                if h[0] == 20 {
                    self.encrypted = true;
                }
                self.body_left = usize::from(len);
                self.want_type = h[0] == 22 && !self.encrypted && len > 0;
                if self.want_type {
                    self.current = Some(rec);
                } else {
                    each(rec);
                }
                if self.body_left == 0 {
                    self.finish_record();
                }
                continue;
            }
            if self.want_type {
                let mut rec = self.current.take().expect("a record in progress");
                rec.handshake = Some(bytes[0]);
                self.want_type = false;
                each(rec);
            }
            let take = self.body_left.min(bytes.len());
            self.body_left -= take;
            bytes = &bytes[take..];
            if self.body_left == 0 {
                self.finish_record();
            }
        }
    }

    fn finish_record(&mut self) {
        self.current = None;
        self.records += 1;
    }

    /// Everything scanned so far ends exactly where a record ends.
    pub fn at_boundary(&self) -> bool {
        !self.broken && self.have == 0 && self.body_left == 0 && self.current.is_none()
    }

    /// Bytes were seen that cannot be TLS records.
    pub fn broken(&self) -> bool {
        self.broken
    }
}

/// A one-line summary of records, for `--explain`: `handshake ClientHello`, or
/// `application_data ×16` for runs of the same kind.
pub fn summarize(records: &[Record]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    for r in records {
        let name = r.name();
        match parts.last_mut() {
            Some((last, n)) if *last == name => *n += 1,
            _ => parts.push((name, 1)),
        }
    }
    parts
        .into_iter()
        .map(
            |(name, n)| {
                if n == 1 { name } else { format!("{name} x{n}") }
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rec(t: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![t, 3, 3];
        v.extend_from_slice(&(body.len() as u16).to_be_bytes());
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn names_records_across_any_split() {
        let mut wire = rec(22, &[1, 0, 0, 4, 9, 9, 9, 9]);
        wire.extend(rec(20, &[1]));
        wire.extend(rec(22, &[0xAB; 40]));
        wire.extend(rec(23, &[0; 100]));
        wire.extend(rec(23, &[0; 10]));
        for split in 0..wire.len() {
            let mut s = Scanner::default();
            let mut seen = Vec::new();
            s.scan(&wire[..split], |r| seen.push(r));
            s.scan(&wire[split..], |r| seen.push(r));
            assert!(s.at_boundary(), "split {split}");
            assert_eq!(s.records, 5);
            assert_eq!(
                summarize(&seen),
                "handshake ClientHello, change_cipher_spec, handshake, application_data x2",
                "split {split}"
            );
        }
    }

    #[test]
    fn boundaries_and_garbage() {
        let mut s = Scanner::default();
        let wire = rec(23, &[1, 2, 3]);
        s.scan(&wire[..6], |_| {});
        assert!(!s.at_boundary());
        s.scan(&wire[6..], |_| {});
        assert!(s.at_boundary());
        let mut seen = Vec::new();
        s.scan(b"GET / HTTP/1.1\r\n", |r| seen.push(r));
        assert!(s.broken() && !s.at_boundary());
        assert_eq!(seen[0].name(), "not TLS");
        s.scan(&wire, |_| panic!("nothing after the framing is lost"));
    }

    proptest! {
        #[test]
        fn never_panics_and_counts_at_most_one_record_per_header(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let mut s = Scanner::default();
            let mut n = 0u64;
            s.scan(&bytes, |_| n += 1);
            prop_assert!(s.records <= (bytes.len() as u64) / 5 + 1);
            prop_assert!(n <= s.records + 1);
        }
    }
}
