//! `-x/--hexdump`: every byte sent and received, as ncat -x and socat -x show it —
//! a header line per chunk with the time, the direction and the length, then the
//! classic 16-bytes-per-line hex + ASCII dump. The format parses back exactly
//! ([`parse`]), so a dump is evidence of what crossed the wire.
//!
//! ```text
//! # 2026-11-29T02:10:00.123Z > 5 bytes
//! 00000000  68 65 6c 6c 6f                                    |hello|
//! ```
//! `>` is what we sent, `<` what we received.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// Which way a chunk went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

impl Direction {
    fn marker(self) -> char {
        match self {
            Direction::Sent => '>',
            Direction::Received => '<',
        }
    }
}

/// A dump sink: a file or stderr (`-`), shared by threads.
pub struct Hexdump {
    sink: Mutex<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for Hexdump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hexdump")
    }
}

impl Hexdump {
    /// Open `target`: `-` means stderr (stdout carries the data), anything else a file
    /// that is created or truncated.
    pub fn open(target: &Path) -> io::Result<Self> {
        let sink: Box<dyn Write + Send> = if target == Path::new("-") {
            Box::new(io::stderr())
        } else {
            Box::new(io::BufWriter::new(File::create(target)?))
        };
        Ok(Hexdump {
            sink: Mutex::new(sink),
        })
    }

    /// Dump one chunk. Errors writing the dump are ignored: a dump never breaks the
    /// transfer it watches.
    pub fn record(&self, dir: Direction, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.write(&render(dir, bytes, &now()));
        }
    }

    /// Dump one chunk of connection `conn` (servers: `# TIME conn 3 > 5 bytes`).
    pub fn record_conn(&self, conn: u64, dir: Direction, bytes: &[u8]) {
        if !bytes.is_empty() {
            let time = format!("{} conn {conn}", now());
            self.write(&render(dir, bytes, &time));
        }
    }

    /// Dump one datagram to or from `peer` (`# TIME peer 1.2.3.4:5 > 5 bytes`).
    pub fn record_peer(&self, peer: &str, dir: Direction, bytes: &[u8]) {
        let time = format!("{} peer {peer}", now());
        self.write(&render(dir, bytes, &time));
    }

    /// A header line without data, for bytes we never saw (sendfile).
    pub fn note_conn(&self, conn: u64, dir: Direction, what: &str) {
        self.write(&format!(
            "# {} conn {conn} {} {what}\n",
            now(),
            dir.marker()
        ));
    }

    fn write(&self, text: &str) {
        if let Ok(mut sink) = self.sink.lock() {
            let _ = sink.write_all(text.as_bytes()).and_then(|_| sink.flush());
        }
    }
}

/// The time a chunk is stamped with: RFC 3339 with milliseconds, as JSON records.
fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Render one chunk with its header line. Control characters in the label (a Unix
/// peer's name may hold a newline) are escaped, so the header stays one line.
pub fn render(dir: Direction, bytes: &[u8], time: &str) -> String {
    let label: String = time
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    let mut s = format!("# {label} {} {} bytes\n", dir.marker(), bytes.len());
    for (i, line) in bytes.chunks(16).enumerate() {
        s.push_str(&format!("{:08x} ", i * 16));
        for j in 0..16 {
            if j == 8 {
                s.push(' ');
            }
            match line.get(j) {
                Some(b) => s.push_str(&format!(" {b:02x}")),
                None => s.push_str("   "),
            }
        }
        s.push_str("  |");
        s.extend(line.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        s.push_str("|\n");
    }
    s
}

/// Parse a dump back into (direction, bytes) chunks — used by tests and by anyone who
/// wants to replay a capture.
pub fn parse(text: &str) -> Result<Vec<(Direction, Vec<u8>)>, String> {
    let mut chunks: Vec<(Direction, Vec<u8>)> = Vec::new();
    // The length each chunk's header announced (none for a note line).
    let mut announced: Vec<Option<usize>> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(header) = line.strip_prefix("# ") {
            let (dir, len) = header_fields(header)
                .ok_or_else(|| format!("line {}: no direction in header", n + 1))?;
            chunks.push((dir, Vec::new()));
            announced.push(len);
            continue;
        }
        let hex = line
            .get(9..9 + 49)
            .ok_or_else(|| format!("line {}: too short", n + 1))?;
        let chunk = chunks
            .last_mut()
            .ok_or_else(|| format!("line {}: data before a header", n + 1))?;
        for byte in hex.split_whitespace() {
            let b = u8::from_str_radix(byte, 16)
                .map_err(|_| format!("line {}: bad byte {byte:?}", n + 1))?;
            chunk.1.push(b);
        }
    }
    for ((_, bytes), len) in chunks.iter().zip(announced) {
        if len.is_some_and(|len| len != bytes.len()) {
            return Err(format!(
                "a chunk of {} bytes announced, {} dumped",
                len.unwrap_or(0),
                bytes.len()
            ));
        }
    }
    Ok(chunks)
}

/// The direction and announced length of a chunk header `TIME [LABEL] DIR LEN bytes`,
/// read from the right, since a peer label may hold spaces, `<` and `>`. A note line
/// (`TIME conn N DIR what`, written by [`Hexdump::note_conn`]) has no length; its
/// label is ours, so its first direction token is the direction.
fn header_fields(header: &str) -> Option<(Direction, Option<usize>)> {
    let dir_of = |t: &str| match t {
        ">" => Some(Direction::Sent),
        "<" => Some(Direction::Received),
        _ => None,
    };
    let mut back = header.rsplitn(4, ' ');
    if let (Some("bytes"), Some(len), Some(dir)) = (back.next(), back.next(), back.next()) {
        if let (Some(d), true) = (dir_of(dir), len.bytes().all(|b| b.is_ascii_digit())) {
            return Some((d, len.parse().ok()));
        }
    }
    header.split(' ').find_map(dir_of).map(|d| (d, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_classic_layout() {
        let s = render(Direction::Sent, b"hello", "T");
        assert_eq!(
            s,
            "# T > 5 bytes\n00000000  68 65 6c 6c 6f                                    |hello|\n"
        );
    }

    #[test]
    fn round_trips_every_byte_value() {
        let data: Vec<u8> = (0..=255u8).chain(0..=40).collect();
        let mut text = render(Direction::Received, &data, "T");
        text.push_str(&render(Direction::Sent, b"x", "T"));
        let back = parse(&text).unwrap();
        assert_eq!(
            back,
            vec![
                (Direction::Received, data),
                (Direction::Sent, b"x".to_vec())
            ]
        );
    }

    /// Found by fuzz/src/bin/hexdump.rs: a Unix peer's name is any bytes, so a label
    /// holding ` < ` flipped the direction read back, and a newline split the header.
    #[test]
    fn any_peer_label_parses_back() {
        for label in [
            "peer /tmp/a < b",
            "peer /tmp/x > 5 bytes",
            "peer a\nb",
            "peer <",
        ] {
            let text =
                render(Direction::Sent, b"hi", label) + &render(Direction::Received, b"", label);
            let back = parse(&text).unwrap_or_else(|e| panic!("{label:?}: {e}"));
            assert_eq!(
                back,
                vec![
                    (Direction::Sent, b"hi".to_vec()),
                    (Direction::Received, vec![])
                ],
                "{label:?}"
            );
        }
    }

    #[test]
    fn a_chunk_must_hold_the_bytes_its_header_announces() {
        let mut text = render(Direction::Sent, b"hello", "T");
        text = text.replace("5 bytes", "6 bytes");
        assert!(
            parse(&text)
                .unwrap_err()
                .contains("6 bytes announced, 5 dumped")
        );
        let note = "# T conn 1 > 9 bytes sent with sendfile(2), not dumped\n";
        assert_eq!(parse(note).unwrap(), vec![(Direction::Sent, vec![])]);
    }

    proptest::proptest! {
        #[test]
        fn parse_inverts_render(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..200)) {
            let back = parse(&render(Direction::Sent, &data, "T")).unwrap();
            proptest::prop_assert_eq!(back, vec![(Direction::Sent, data)]);
        }
    }
}
