//! On-the-fly gzip (`--compress`) of listings and of text files up to a size bound,
//! with flate2. What is compressed is made once per cache entry and kept in a memfd
//! beside the original, so it still goes out with `sendfile(2)`; files above the
//! bound and types that are compressed already are never touched.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// Files smaller than this are not worth a `Content-Encoding` (the gzip header and
/// trailer alone are 18 bytes).
pub const MIN_SIZE: u64 = 256;

/// `data` gzip-compressed at the default level.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(
        Vec::with_capacity(data.len() / 3 + 64),
        Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// Whether a file of `size` bytes and `content_type` may be compressed on the fly
/// under a bound of `max` bytes.
pub fn eligible(content_type: &str, size: u64, max: u64) -> bool {
    (MIN_SIZE..=max).contains(&size) && super::mime::compressible(content_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bounds() {
        let data = b"abcabcabc".repeat(100);
        let gz = gzip(&data);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out).unwrap();
        assert_eq!(out, data);
        assert!(eligible("text/html; charset=utf-8", 1000, 1 << 20));
        assert!(!eligible("text/html", 10, 1 << 20));
        assert!(!eligible("text/html", 2 << 20, 1 << 20));
        assert!(!eligible("image/png", 1000, 1 << 20));
    }
}
