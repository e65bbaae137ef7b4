//! Request-target normalisation and resolution (`proto::http::fs`): any target
//! bytes, cleaned and resolved against the fixture tree (`nettool_fuzz::fixture`:
//! symlinks out of the root, relative and absolute, through a sibling named like the
//! root, a loop, a FIFO, hidden files).
//!
//! Invariants: a cleaned path is plain names (never empty, `.`, `..`, nor holding `/`
//! or NUL, nor a `\` that was not sent as `%5C`); its URL has one leading slash, no CR/LF/backslash, and cleans back to
//! the same path; each name percent-encodes and decodes back to itself; joined to the
//! root it stays below it. Resolution never leaves the root — checked on the opened
//! descriptor itself (`/proc/self/fd`) — unless `--follow-symlinks`; hidden names
//! stay hidden without `--hidden`; and it refuses nothing it should serve: a path
//! each of whose steps resolves inside the root, ending at a file or directory, is
//! served.
//!
//! Input: an options byte (hidden, follow symlinks), then the target.

use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;

use nettool::proto::http::fs::{Resolved, Root, clean_path, encode_segment, percent_decode_strict};
use nettool_fuzz::fixture::{self, SECRET};
use nettool_fuzz::input::Input;

fn roots() -> &'static [Root] {
    static R: OnceLock<Vec<Root>> = OnceLock::new();
    R.get_or_init(|| {
        (0..4)
            .map(|b| Root::new(&fixture::get().root, b & 1 != 0, b & 2 != 0).expect("root"))
            .collect()
    })
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let bits = input.byte() & 3;
    let target = input.rest();
    let Ok(p) = clean_path(target) else { return };
    let f = fixture::get();
    let root = &roots()[usize::from(bits)];
    let (hidden, follow) = (bits & 1 != 0, bits & 2 != 0);

    for s in &p.segments {
        assert!(!s.is_empty() && s != b"." && s != b"..", "segment {s:?}");
        assert!(!s.iter().any(|b| matches!(b, b'/' | 0)), "segment {s:?}");
        // A backslash is a byte of a name only when it came encoded (`%5C`).
        let encoded_backslash = target.windows(3).any(|w| w.eq_ignore_ascii_case(b"%5c"));
        assert!(
            encoded_backslash || !s.contains(&b'\\'),
            "segment {s:?} from a raw backslash"
        );
        let encoded = encode_segment(s);
        assert_eq!(
            percent_decode_strict(encoded.as_bytes()).as_deref(),
            Ok(&s[..])
        );
    }
    let url = p.url(p.trailing_slash);
    assert!(url.starts_with('/') && !url.starts_with("//"), "{url}");
    assert!(!url.contains(['\r', '\n', '\\']), "{url:?}");
    let again = clean_path(url.as_bytes()).expect("a canonical URL cleans");
    assert_eq!(again.segments, p.segments, "{url}");
    let joined = p.join_to(&f.root);
    assert!(f.inside(&joined), "{joined:?}");
    assert_eq!(
        joined.components().count(),
        f.root.components().count() + p.segments.len()
    );

    let shown = String::from_utf8_lossy(target);
    let real = std::fs::canonicalize(&joined).ok();
    match root.resolve(&p) {
        Ok(Resolved::File(_, file, meta)) => {
            assert!(meta.is_file() && !p.trailing_slash, "{shown}");
            assert!(hidden || !p.has_hidden(), "{shown}: hidden file served");
            let at = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
                .expect("descriptor path");
            assert!(follow || f.inside(&at), "{shown} opened {at:?}");
            assert_eq!(real.as_ref(), Some(&at), "{shown}: opened another file");
            let mut head = [0u8; 64];
            let n = std::os::unix::fs::FileExt::read_at(&file, &mut head, 0).unwrap_or(0);
            assert!(
                follow || !head[..n].starts_with(SECRET),
                "{shown}: the secret"
            );
        }
        Ok(Resolved::Dir(d)) => {
            assert!(
                hidden || !p.has_hidden(),
                "{shown}: hidden directory served"
            );
            let at = std::fs::canonicalize(&d).expect("a resolved directory exists");
            assert!(follow || f.inside(&at), "{shown} is {at:?}");
            assert!(at.is_dir());
        }
        Err(e) => {
            // Refused: it must not be something the server ought to serve.
            if let Some(real) = real {
                let servable = (follow || stays_inside(&p.segments))
                    && (hidden || !p.has_hidden())
                    && (real.is_dir() || (real.is_file() && !p.trailing_slash));
                assert!(!servable, "{shown} ({real:?}) refused: {e:?}");
            }
        }
    }
}

/// Whether each step of the path resolves inside the root: what `RESOLVE_BENEATH`
/// asks, so `/up/root/x` (out through `up` and back in) is refused though it ends
/// inside. (No fixture link leaves and re-enters within its own target.)
fn stays_inside(segments: &[Vec<u8>]) -> bool {
    let f = fixture::get();
    let mut at = f.root.clone();
    segments.iter().all(|s| {
        at.push(std::ffi::OsStr::from_bytes(s));
        std::fs::canonicalize(&at).is_ok_and(|c| f.inside(&c))
    })
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
