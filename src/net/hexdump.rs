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

/// Render one chunk with its header line.
pub fn render(dir: Direction, bytes: &[u8], time: &str) -> String {
    let mut s = format!("# {time} {} {} bytes\n", dir.marker(), bytes.len());
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
    for (n, line) in text.lines().enumerate() {
        if let Some(header) = line.strip_prefix("# ") {
            // `TIME [conn N] DIR …`: the direction is the first `>` or `<` token.
            let dir = match header.split(' ').find(|t| *t == ">" || *t == "<") {
                Some(">") => Direction::Sent,
                Some(_) => Direction::Received,
                None => return Err(format!("line {}: no direction in header", n + 1)),
            };
            chunks.push((dir, Vec::new()));
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
    Ok(chunks)
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

    proptest::proptest! {
        #[test]
        fn parse_inverts_render(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..200)) {
            let back = parse(&render(Direction::Sent, &data, "T")).unwrap();
            proptest::prop_assert_eq!(back, vec![(Direction::Sent, data)]);
        }
    }
}
