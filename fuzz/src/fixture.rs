//! The tree the file-serving targets resolve against, made once per fuzzing process
//! in a temporary directory: plain files (one larger than the pipelining window),
//! names that need escaping, hidden files, a directory with an index and one without,
//! symlinks that stay inside and symlinks that leave (relative, absolute, through a
//! sibling whose name starts like the root's), a loop, a dangling link and a FIFO.
//! Beside the root lies a secret no answer may ever contain.
//!
//! No file body starts with `HTTP/`: the response checker relies on it to tell a
//! HEAD answer (no body) from a body ([`crate::http`]).

use std::collections::HashMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What no response may ever carry: it lives outside the root.
pub const SECRET: &[u8] = b"SECRET-OUTSIDE-THE-ROOT";

/// Size of `big.bin`: more than `PIPELINE_BYTES`, so pipelining waits behind it.
pub const BIG: usize = 70_000;

/// One regular file of the fixture.
#[derive(Debug)]
pub struct File {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Below the root (else reachable only through a symlink that leaves it).
    pub inside: bool,
}

#[derive(Debug)]
pub struct Fixture {
    _dir: tempfile::TempDir,
    /// The served directory, canonical.
    pub root: PathBuf,
    /// Every regular file of the fixture, by the ETag nettool gives it: the ones
    /// below the root and the two outside it (served only with `--follow-symlinks`).
    pub by_etag: HashMap<String, File>,
}

/// The process's fixture (made on first use).
pub fn get() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(make)
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("fixture directory");
    }
    std::fs::write(path, bytes).expect("fixture file");
}

fn make() -> Fixture {
    let dir = tempfile::Builder::new()
        .prefix("nettool-fuzz-")
        .tempdir()
        .expect("temporary directory");
    let base = std::fs::canonicalize(dir.path()).expect("canonical temp dir");
    let root = base.join("root");
    write(&base.join("secret"), SECRET);
    write(&base.join("root-evil/x"), SECRET);
    let big: Vec<u8> = (0..BIG).map(|i| b'a' + (i % 26) as u8).collect();
    let files: &[(&str, &[u8])] = &[
        ("hello.txt", b"hello, world\n"),
        ("empty", b""),
        ("big.bin", &big),
        ("a b%.txt", b"spaces and a percent\n"),
        ("\u{4e2d}.txt", b"a unicode name\n"),
        ("q\"<'>.html", b"<p>markup in the name</p>\n"),
        (".hidden", b"hidden\n"),
        (".git/config", b"[core]\n"),
        ("d/f.txt", b"f\n"),
        ("d/g.json", b"{\"g\": 1}\n"),
        ("d/.h", b"hidden in d\n"),
        ("site/index.html", b"<!DOCTYPE html><title>index</title>\n"),
        (
            "site/sub/index.html",
            b"<!DOCTYPE html><title>sub</title>\n",
        ),
    ];
    for (name, bytes) in files {
        write(&root.join(name), bytes);
    }
    std::fs::create_dir_all(root.join("d/e")).expect("empty directory");
    let links: &[(&str, PathBuf)] = &[
        ("in", "hello.txt".into()),
        ("din", "d".into()),
        ("d/up-in", "../hello.txt".into()),
        ("out", "../secret".into()),
        ("up", "..".into()),
        ("abs", base.join("secret")),
        ("pre", "../root-evil/x".into()),
        ("d/deep-out", "../../secret".into()),
        ("loop", "loop".into()),
        ("dangling", "nowhere".into()),
    ];
    for (name, target) in links {
        symlink(target, root.join(name)).expect("fixture symlink");
    }
    nix::unistd::mkfifo(
        &root.join("fifo"),
        nix::sys::stat::Mode::from_bits_truncate(0o644),
    )
    .expect("fixture fifo");

    let mut by_etag = HashMap::new();
    let outside = [
        (base.join("secret"), SECRET),
        (base.join("root-evil/x"), SECRET),
    ];
    let inside = files.iter().map(|(name, bytes)| (root.join(name), *bytes));
    for (path, bytes) in inside.chain(outside) {
        let inside = path.starts_with(&root);
        assert!(!bytes.starts_with(b"HTTP/"), "{path:?}: see the module doc");
        assert!(!inside || !bytes.windows(SECRET.len()).any(|w| w == SECRET));
        let meta = std::fs::metadata(&path).expect("fixture metadata");
        let tag = {
            use std::os::unix::fs::MetadataExt;
            nettool::proto::http::entry::etag(
                meta.ino(),
                meta.size(),
                meta.mtime(),
                meta.mtime_nsec(),
            )
        };
        let bytes = bytes.to_vec();
        by_etag.insert(
            tag,
            File {
                path,
                bytes,
                inside,
            },
        );
    }
    Fixture {
        _dir: dir,
        root,
        by_etag,
    }
}

impl Fixture {
    /// Whether `path` (canonical) is the root or below it.
    pub fn inside(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }
}
