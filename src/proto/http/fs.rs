//! Mapping a request path onto the served directory, safely.
//!
//! This is where a static file server is won or lost: every byte the server sends
//! must come from inside DIR. The rules, in order:
//!
//! 1. The target must be origin-form (`/…`) or absolute-form (`http://host/…`); the
//!    query (`?…`) is not part of the path.
//! 2. The path is split on `/` first and each segment percent-decoded exactly once
//!    afterwards (RFC 3986 §2.2: an encoded `%2F` is data, not a separator), so
//!    `%252e` stays the literal name `%2e` and `a%2Fb` names a file called `a/b` —
//!    which cannot exist, so it is a 404. A malformed escape (`%`, `%1`, `%zz`) or a
//!    decoded NUL is a 400, and so is a raw `\` (not a URI character; browsers turn
//!    it into `/`). An encoded backslash (`%5C`) is an ordinary byte of a name.
//! 3. Empty and `.` segments vanish and `..` removes the previous segment, clamped at
//!    the root (`/../../x` is `/x`, as Go's `path.Clean` does); `%2e` is a dot here,
//!    since it is an unreserved character. The result is a list of plain names —
//!    none of them `..`, none containing `/`.
//! 4. Names starting with `.` are hidden (404) unless `--hidden`.
//! 5. The file is opened with `openat2(2)` relative to the root directory with
//!    `RESOLVE_BENEATH`: the kernel itself refuses any resolution — a `..` or a
//!    symlink — that would leave the root (EXDEV → 403), in one system call and with
//!    no window between check and open. Where openat2 is missing (Linux < 5.6, or a
//!    seccomp filter) and with `--follow-symlinks`, the path is resolved with
//!    `realpath(3)` and compared with the canonical root instead.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Why a path cannot be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// Malformed (bad escape, NUL, raw backslash, not origin-form): 400.
    BadRequest,
    /// Well-formed but naming nothing that can exist (a segment with an encoded
    /// `/`): 404.
    NoSuchName,
}

/// A decoded, normalised request path: plain names below the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanPath {
    /// Each segment a plain file name (never empty, `.`, `..`, never with `/`).
    pub segments: Vec<Vec<u8>>,
    /// The request path ended in `/` (directories are canonically addressed so).
    pub trailing_slash: bool,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Strict percent-decoding: every `%` must start a two-hex-digit escape.
pub fn percent_decode_strict(s: &[u8]) -> Result<Vec<u8>, PathError> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hi = s.get(i + 1).copied().and_then(hex);
            let lo = s.get(i + 2).copied().and_then(hex);
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(h << 4 | l),
                _ => return Err(PathError::BadRequest),
            }
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// The path and the query (without `?`) of a request target: origin-form `/p?q`, or
/// absolute-form `http://host/p?q` (which RFC 9112 §3.2.2 says a server must accept).
pub fn split_target(target: &[u8]) -> Result<(&[u8], Option<&[u8]>), PathError> {
    let mut t = target;
    let mut empty_path = false;
    for scheme in [&b"http://"[..], b"https://"] {
        if t.len() >= scheme.len() && t[..scheme.len()].eq_ignore_ascii_case(scheme) {
            let rest = &t[scheme.len()..];
            // The authority ends at the path, the query or the fragment.
            let end = rest
                .iter()
                .position(|&b| matches!(b, b'/' | b'?' | b'#'))
                .unwrap_or(rest.len());
            t = &rest[end..];
            empty_path = t.first() != Some(&b'/');
            break;
        }
    }
    let (path, query) = match t.iter().position(|&b| b == b'?' || b == b'#') {
        Some(p) if t[p] == b'?' => {
            let q = &t[p + 1..];
            let q = &q[..q.iter().position(|&b| b == b'#').unwrap_or(q.len())];
            (&t[..p], Some(q))
        }
        Some(p) => (&t[..p], None),
        None => (t, None),
    };
    if empty_path {
        // `http://host?q`: the path is `/` (RFC 9112 §3.2.1).
        return Ok((b"/", query));
    }
    if path.first() != Some(&b'/') {
        return Err(PathError::BadRequest);
    }
    Ok((path, query))
}

/// The path part of a request target (see [`split_target`]).
pub fn target_path(target: &[u8]) -> Result<&[u8], PathError> {
    split_target(target).map(|(p, _)| p)
}

/// Decode and normalise a request target (rules 1–3 of the module doc).
pub fn clean_path(target: &[u8]) -> Result<CleanPath, PathError> {
    clean_raw_path(target_path(target)?)
}

/// [`clean_path`] of a path already split from its target (starts with `/`).
pub fn clean_raw_path(raw: &[u8]) -> Result<CleanPath, PathError> {
    if raw.contains(&b'\\') {
        return Err(PathError::BadRequest);
    }
    let mut segments: Vec<Vec<u8>> = Vec::new();
    for seg in raw.split(|&b| b == b'/') {
        let name = percent_decode_strict(seg)?;
        if name.contains(&0) {
            return Err(PathError::BadRequest);
        }
        match name.as_slice() {
            b"" | b"." => {}
            b".." => {
                segments.pop();
            }
            _ => segments.push(name),
        }
    }
    // `a%2Fb` names a file called `a/b` (`/a%2Fb/..` is still `/`).
    if segments.iter().any(|s| s.contains(&b'/')) {
        return Err(PathError::NoSuchName);
    }
    Ok(CleanPath {
        segments,
        trailing_slash: raw.ends_with(b"/"),
    })
}

impl CleanPath {
    /// The path as a person reads it (`/a b/中/`): decoded, invalid UTF-8 shown as
    /// U+FFFD, a trailing `/` for a directory.
    pub fn display(&self, trailing_slash: bool) -> String {
        let mut s = String::from("/");
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                s.push('/');
            }
            s.push_str(&String::from_utf8_lossy(seg));
        }
        if trailing_slash && !self.segments.is_empty() {
            s.push('/');
        }
        s
    }

    /// Whether any segment is a dotfile (hidden unless `--hidden`).
    pub fn has_hidden(&self) -> bool {
        self.segments.iter().any(|s| s.first() == Some(&b'.'))
    }

    /// The path below `root` (segments are plain names, so this stays inside it
    /// lexically; symlinks are checked by [`resolve`]).
    pub fn join_to(&self, root: &Path) -> PathBuf {
        let mut p = root.to_path_buf();
        for s in &self.segments {
            p.push(OsStr::from_bytes(s));
        }
        p
    }

    /// The canonical URL path, percent-encoded, always starting with exactly one `/`
    /// (a `Location` built from it cannot point to another host: no `//`, no `\`,
    /// no CR/LF).
    pub fn url(&self, trailing_slash: bool) -> String {
        let mut s = String::from("/");
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                s.push('/');
            }
            s.push_str(&encode_segment(seg));
        }
        if trailing_slash && !self.segments.is_empty() {
            s.push('/');
        }
        s
    }
}

/// Characters left alone in a path segment: RFC 3986 unreserved ones. Everything else
/// (including `/`, `%`, `?`, `#`, `:`, `\`, controls and non-ASCII) is escaped.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encode one name (any bytes, UTF-8 or not) for use in a URL path.
pub fn encode_segment(name: &[u8]) -> String {
    match std::str::from_utf8(name) {
        Ok(s) => utf8_percent_encode(s, SEGMENT).to_string(),
        Err(_) => percent_encoding::percent_encode(name, SEGMENT).to_string(),
    }
}

/// What a clean path names on disk.
#[derive(Debug)]
pub enum Resolved {
    /// A regular file, already open (read-only, non-blocking), with its metadata.
    File(PathBuf, File, std::fs::Metadata),
    Dir(PathBuf),
}

/// Why a resolved path is not served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveError {
    NotFound,
    Forbidden,
}

impl From<std::io::Error> for ResolveError {
    fn from(e: std::io::Error) -> Self {
        match e.raw_os_error() {
            Some(libc::EACCES | libc::EPERM | libc::EXDEV | libc::ELOOP) => ResolveError::Forbidden,
            _ => ResolveError::NotFound,
        }
    }
}

/// `openat2(dir, path, O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_NOCTTY, RESOLVE_BENEATH |
/// RESOLVE_NO_MAGICLINKS)` (openat2(2)): open `path` only if resolving it never
/// leaves `dir`. `O_NONBLOCK` keeps a FIFO from hanging the open.
fn open_beneath(dir: &File, path: &[u8]) -> std::io::Result<File> {
    let c_path = std::ffi::CString::new(path)
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    // `struct open_how` of <linux/openat2.h> (libc's is non-exhaustive).
    #[repr(C)]
    struct OpenHow {
        flags: u64,
        mode: u64,
        resolve: u64,
    }
    let how = OpenHow {
        flags: (libc::O_RDONLY | libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY) as u64,
        mode: 0,
        resolve: libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS,
    };
    // SAFETY: `c_path` is a NUL-terminated string and `how` a fully initialised
    // open_how, both alive for the call; the size passed is that of the struct. The
    // kernel returns a new descriptor we own, or -1 with errno.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir.as_raw_fd(),
            c_path.as_ptr(),
            &how as *const OpenHow,
            std::mem::size_of::<OpenHow>(),
        )
    };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by openat2 and nothing else owns it.
    Ok(unsafe { File::from_raw_fd(fd as i32) })
}

/// The served directory and its rules.
#[derive(Debug, Clone)]
pub struct Root {
    /// `realpath(DIR)`, computed once.
    pub canonical: PathBuf,
    pub hidden: bool,
    pub follow_symlinks: bool,
    /// The root opened once, for `openat2`; `None` when openat2 is not available.
    dir: Option<Arc<File>>,
}

impl Root {
    /// Canonicalise DIR (it must exist and be a directory).
    pub fn new(dir: &Path, hidden: bool, follow_symlinks: bool) -> std::io::Result<Root> {
        let canonical = std::fs::canonicalize(dir)?;
        if !canonical.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "not a directory",
            ));
        }
        let handle = File::open(&canonical)?;
        let dir = match open_beneath(&handle, b".") {
            Ok(_) => Some(Arc::new(handle)),
            Err(_) => None, // ENOSYS or filtered: use the realpath check
        };
        Ok(Root {
            canonical,
            hidden,
            follow_symlinks,
            dir,
        })
    }

    /// Rules 4 and 5: find what `path` names, or say why not.
    pub fn resolve(&self, path: &CleanPath) -> Result<Resolved, ResolveError> {
        let (joined, file, meta) = self.open(path, self.follow_symlinks)?;
        if meta.is_dir() {
            Ok(Resolved::Dir(joined))
        } else if meta.is_file() {
            if path.trailing_slash {
                // `/file.txt/` names no directory.
                return Err(ResolveError::NotFound);
            }
            Ok(Resolved::File(joined, file, meta))
        } else {
            // FIFOs, devices, sockets.
            Err(ResolveError::Forbidden)
        }
    }

    /// The directory `path` names, open for `openat`/`renameat` (uploads), by the
    /// same rules as [`resolve`](Self::resolve) — except that it never leaves the
    /// root, `--follow-symlinks` or not: that flag lets files out to be read, never
    /// in to be written.
    pub fn open_dir(&self, path: &CleanPath) -> Result<File, ResolveError> {
        let (_, file, meta) = self.open(path, false)?;
        if meta.is_dir() {
            Ok(file)
        } else {
            Err(ResolveError::NotFound)
        }
    }

    fn open(
        &self,
        path: &CleanPath,
        follow_out: bool,
    ) -> Result<(PathBuf, File, std::fs::Metadata), ResolveError> {
        if !self.hidden && path.has_hidden() {
            return Err(ResolveError::NotFound);
        }
        let joined = path.join_to(&self.canonical);
        let file = match (&self.dir, follow_out) {
            (Some(dir), false) => {
                let rel = if path.segments.is_empty() {
                    b".".to_vec()
                } else {
                    path.segments.join(&b'/')
                };
                open_beneath(dir, &rel)?
            }
            _ => {
                let real = std::fs::canonicalize(&joined)?;
                if !follow_out && !real.starts_with(&self.canonical) {
                    return Err(ResolveError::Forbidden);
                }
                if !std::fs::metadata(&real)?.is_file() && !real.is_dir() {
                    // Never open FIFOs or devices by path.
                    return Err(ResolveError::Forbidden);
                }
                OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
                    .open(&real)?
            }
        };
        let meta = file.metadata()?;
        Ok((joined, file, meta))
    }
}

#[cfg(test)]
#[path = "fs_tests.rs"]
mod tests;
