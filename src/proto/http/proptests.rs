//! Property tests over the hostile surface: the request parser, the path normaliser
//! and resolver, and a whole connection fed arbitrary bytes in arbitrary pieces.
//! No input may panic, and no path may resolve outside the root. `cargo test` runs
//! the default 256 cases each (`PROPTEST_CASES` for more); the coverage-guided AFL++
//! targets in `fuzz/` (`fuzz/run.sh`) search the same surfaces far deeper.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;

use super::fs::{Resolved, Root, clean_path};
use super::{HttpFactory, HttpOptions, request};
use crate::engine::service::{ConnInfo, Outbox, Service, ServiceFactory};
use crate::output::{Output, Verbosity};

/// A served tree with a secret beside it and symlinks pointing out of it.
fn fixture() -> &'static (tempfile::TempDir, PathBuf) {
    static F: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    F.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(d.path().join("secret"), "s").unwrap();
        std::fs::write(root.join("a/f.txt"), "f").unwrap();
        std::os::unix::fs::symlink("../../secret", root.join("a/out")).unwrap();
        std::os::unix::fs::symlink(d.path(), root.join("up")).unwrap();
        let canonical = std::fs::canonicalize(&root).unwrap();
        (d, canonical)
    })
}

/// Pieces attackers combine.
fn token() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"/".to_vec()),
        Just(b"..".to_vec()),
        Just(b".".to_vec()),
        Just(b"%2e".to_vec()),
        Just(b"%2E".to_vec()),
        Just(b"%2f".to_vec()),
        Just(b"%5c".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"%00".to_vec()),
        Just(b"%25".to_vec()),
        Just(b"%".to_vec()),
        Just(b"%c0%ae".to_vec()),
        Just(b"?".to_vec()),
        Just(b"#".to_vec()),
        Just(b"a".to_vec()),
        Just(b"b".to_vec()),
        Just(b"f.txt".to_vec()),
        Just(b"out".to_vec()),
        Just(b"up".to_vec()),
        Just(b"secret".to_vec()),
        Just(b"http://x".to_vec()),
        Just("中".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..4),
    ]
}

fn hostile_target() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(token(), 0..16).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn normalised_paths_are_plain_names(target in hostile_target()) {
        if let Ok(p) = clean_path(&target) {
            for s in &p.segments {
                prop_assert!(!s.is_empty() && s != b"." && s != b"..");
                prop_assert!(!s.contains(&b'/') && !s.contains(&0));
            }
            let url = p.url(true);
            prop_assert!(url.starts_with('/') && !url.starts_with("//"));
            prop_assert!(!url.contains(['\r', '\n', '\\']));
        }
    }

    #[test]
    fn resolution_never_leaves_the_root(target in hostile_target()) {
        let (_, root) = fixture();
        let r = Root::new(root, false, false).unwrap();
        if let Ok(p) = clean_path(&target) {
            prop_assert!(p.join_to(root).starts_with(root));
            match r.resolve(&p) {
                Ok(Resolved::File(_, file, _)) => {
                    // Where the opened descriptor really points.
                    use std::os::fd::AsRawFd;
                    let real = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).unwrap();
                    prop_assert!(real.starts_with(root), "{real:?}");
                }
                Ok(Resolved::Dir(d)) => {
                    let real = std::fs::canonicalize(&d).unwrap();
                    prop_assert!(real.starts_with(root), "{real:?}");
                }
                Err(_) => {}
            }
        }
    }

    #[test]
    fn the_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(request::Parsed::Complete(r)) = request::parse(&bytes) {
            prop_assert!(r.head_len <= bytes.len());
        }
    }

    #[test]
    fn a_connection_survives_any_bytes_in_any_pieces(
        target in hostile_target(),
        junk in proptest::collection::vec(any::<u8>(), 0..64),
        cuts in proptest::collection::vec(1usize..40, 0..8),
    ) {
        let (_, root) = fixture();
        let f = HttpFactory::new(
            Root::new(root, false, false).unwrap(),
            HttpOptions { header_timeout: Duration::from_secs(1), ..HttpOptions::default() },
            Output::new(false, Verbosity::Quiet),
        );
        let mut c = f.open(&ConnInfo::loopback(1));
        let mut stream = b"GET ".to_vec();
        stream.extend_from_slice(&target);
        stream.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n");
        stream.extend_from_slice(&junk);
        let mut out = Outbox::default();
        let mut rest = &stream[..];
        for cut in cuts {
            let n = cut.min(rest.len());
            let (piece, tail) = rest.split_at(n);
            rest = tail;
            if !piece.is_empty() {
                c.on_data(piece, &mut out);
            }
            out.clear();
            c.on_flushed(&mut out);
        }
        if !rest.is_empty() {
            c.on_data(rest, &mut out);
        }
        c.on_eof(&mut out);
        let _ = c.deadline();
    }
}

/// Pieces of hostile `Range` headers (nginx CVE-2017-7529 class: overflowing ends).
fn range_header() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("bytes=".to_string()),
        Just("-".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just("9223372036854775808".to_string()),
        Just("18446744073709551616".to_string()),
        Just("0".to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<u8>().prop_map(|n| n.to_string()),
        "[a-z=]{0,3}",
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn a_range_answer_always_fits_the_file(header in range_header(), size in prop_oneof![Just(0u64), any::<u64>(), 0u64..100_000]) {
        use super::range::{Ranges, parse};
        match parse(header.as_bytes(), size) {
            Ranges::One(r) => {
                prop_assert!(r.start <= r.end && r.end < size, "{header:?} on {size}: {r:?}");
            }
            Ranges::Many(parts) => {
                prop_assert!(parts.len() >= 2 && parts.len() <= super::range::MAX_PARTS);
                let mut total = 0u64;
                for w in parts.windows(2) {
                    prop_assert!(w[0].end < w[1].start, "{header:?}: {parts:?} overlap");
                }
                for r in &parts {
                    prop_assert!(r.start <= r.end && r.end < size);
                    total += r.len();
                }
                prop_assert!(total <= size, "{header:?}: more bytes than the file");
            }
            Ranges::Full | Ranges::Unsatisfiable => {}
        }
    }

    #[test]
    fn chunked_decoding_never_panics_and_never_overreads(
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
        cut in 0usize..256,
    ) {
        let mut b = super::body::Body::chunked();
        let mut out = Vec::new();
        let cut = cut.min(bytes.len());
        if let Ok((n, _)) = super::body::decode_all(&mut b, &bytes[..cut], &mut out) {
            prop_assert!(n <= cut && out.len() <= n);
            if let Ok((m, _)) = super::body::decode_all(&mut b, &bytes[cut..], &mut out) {
                prop_assert!(n + m <= bytes.len());
            }
        }
    }
}
