//! Directory listings: reading the entries, sorting them as the query asks
//! (`?sort=name|size|time&order=asc|desc`, directories always first), and the JSON
//! rendering; the HTML page is `listing_html.rs`.
//!
//! Links are relative (`name`, `dir/`) and percent-encoded, `:` included, so a name
//! like `javascript:alert(1)` or `a:b` stays a path, never a scheme. A symlink is
//! described by its target when the target is one we would serve (inside the root,
//! or `--follow-symlinks`); one leading outside or dangling is listed as a
//! `symlink` with no size, no time and no link, so a listing says nothing about files
//! outside the root and offers nothing that would answer 403 or 404.
//!
//! A listing is kept with the directory's entry in the resolution cache (`cache.rs`),
//! which drops it as soon as anything in the directory changes — a name, a size, a
//! time — so a listing is never stale.

use std::fs::File;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Arc;

use nix::sys::memfd::{MFdFlags, memfd_create};
use serde_json::json;

use super::date;
use super::fs::{Root, encode_segment};

/// What a listed name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    /// A symlink we would not follow (outside the root) or that dangles.
    Symlink,
}

/// One listed name.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: Vec<u8>,
    pub kind: Kind,
    /// Bytes, for files.
    pub size: Option<u64>,
    /// Seconds since 1970 (negative before), for files and directories.
    pub mtime: Option<i64>,
}

/// Read `dir` (a directory below `root`): every name but hidden ones (unless
/// `--hidden`), unsorted.
pub fn read_entries(dir: &Path, root: &Root) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let Ok(e) = e else { continue };
        let name = e.file_name().as_bytes().to_vec();
        if !root.hidden && name.first() == Some(&b'.') {
            continue;
        }
        let Ok(own) = e.metadata() else { continue };
        let meta = if own.file_type().is_symlink() {
            match std::fs::canonicalize(e.path()) {
                Ok(real) if root.follow_symlinks || real.starts_with(&root.canonical) => {
                    std::fs::metadata(&real).ok()
                }
                _ => None,
            }
        } else {
            Some(own)
        };
        entries.push(match meta {
            Some(m) if m.is_dir() => Entry {
                name,
                kind: Kind::Dir,
                size: None,
                mtime: Some(m.mtime()),
            },
            Some(m) => Entry {
                name,
                kind: Kind::File,
                size: Some(m.size()),
                mtime: Some(m.mtime()),
            },
            None => Entry {
                name,
                kind: Kind::Symlink,
                size: None,
                mtime: None,
            },
        });
    }
    Ok(entries)
}

/// The column a listing is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Name,
    Size,
    Time,
}

impl SortKey {
    pub const ALL: [SortKey; 3] = [SortKey::Name, SortKey::Size, SortKey::Time];

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Size => "size",
            SortKey::Time => "time",
        }
    }
}

/// The two renderings of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Json,
}

/// How a listing is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    pub format: Format,
    pub sort: SortKey,
    pub descending: bool,
}

impl View {
    /// The view a query string asks for; unknown keys and values are ignored.
    pub fn from_query(query: Option<&[u8]>, format: Format) -> View {
        let mut v = View {
            format,
            sort: SortKey::Name,
            descending: false,
        };
        for pair in query.unwrap_or(b"").split(|&b| b == b'&') {
            match pair {
                b"sort=name" => v.sort = SortKey::Name,
                b"sort=size" => v.sort = SortKey::Size,
                b"sort=time" | b"sort=mtime" => v.sort = SortKey::Time,
                b"order=asc" => v.descending = false,
                b"order=desc" => v.descending = true,
                _ => {}
            }
        }
        v
    }

    /// Whether this is the order a listing has without a query.
    pub fn is_default(&self) -> bool {
        self.sort == SortKey::Name && !self.descending
    }

    /// The query that asks for this view (empty for the default one).
    pub fn query(&self) -> String {
        if self.is_default() {
            return String::new();
        }
        format!(
            "?sort={}&order={}",
            self.sort.name(),
            if self.descending { "desc" } else { "asc" }
        )
    }

    /// The query a column header links to: that column ascending, or reversed when
    /// it is the column already sorted by.
    pub fn toggle(&self, key: SortKey) -> String {
        let next = View {
            format: self.format,
            sort: key,
            descending: key == self.sort && !self.descending,
        };
        let q = next.query();
        if q.is_empty() {
            "?sort=name&order=asc".into()
        } else {
            q
        }
    }
}

/// Names as a person orders them: runs of digits compare as numbers (`file-2`
/// before `file-10`), letters without regard to ASCII case (`a` before `DIR`),
/// everything else bytewise; equal under that (`a01`, `a1`, `A`), the bytes decide,
/// so the order is total.
pub fn natural_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let run =
                |s: &[u8], k: usize| k + s[k..].iter().take_while(|c| c.is_ascii_digit()).count();
            let (ei, ej) = (run(a, i), run(b, j));
            let trim = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
            let (da, db) = (&a[i..ei], &b[j..ej]);
            let (da, db) = (&da[trim(da)..], &db[trim(db)..]);
            let o = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
            if o != Ordering::Equal {
                return o;
            }
            (i, j) = (ei, ej);
        } else {
            let (x, y) = (a[i].to_ascii_lowercase(), b[j].to_ascii_lowercase());
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j)).then_with(|| a.cmp(b))
}

/// `entries` in the order `view` asks for: directories first, then by the key,
/// then by name (in natural order).
pub fn sorted<'a>(entries: &'a [Entry], view: &View) -> Vec<&'a Entry> {
    let mut v: Vec<&Entry> = entries.iter().collect();
    v.sort_by(|a, b| {
        let by_key = match view.sort {
            SortKey::Name => std::cmp::Ordering::Equal,
            SortKey::Size => a.size.cmp(&b.size),
            SortKey::Time => a.mtime.cmp(&b.mtime),
        };
        let mut o = by_key.then_with(|| natural_cmp(&a.name, &b.name));
        if view.descending {
            o = o.reverse();
        }
        (b.kind == Kind::Dir).cmp(&(a.kind == Kind::Dir)).then(o)
    });
    v
}

/// `1536` → `1.5 KiB`.
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

/// The name as text (invalid UTF-8 as U+FFFD).
pub fn display_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// The relative link to an entry, or `None` for a symlink we would not serve.
/// Every byte outside RFC 3986's unreserved set is percent-encoded, `:` included, so
/// no name can read as a scheme and no leading `./` is needed. A directory's link
/// keeps the listing's order (`dir/?sort=size&order=desc`).
pub fn href(e: &Entry, view: &View) -> Option<String> {
    let mut h = encode_segment(&e.name);
    match e.kind {
        Kind::Symlink => return None,
        Kind::Dir => {
            h.push('/');
            h.push_str(&view.query());
        }
        Kind::File => {}
    }
    Some(h)
}

/// What a listing page shows besides its entries.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The directory as a person reads it (`/a b/`), decoded.
    pub path: &'a str,
    /// Offer the upload form (`--upload`).
    pub upload: bool,
}

pub fn render_json(entries: &[Entry], page: &Page, view: &View) -> Vec<u8> {
    let list: Vec<_> = sorted(entries, view)
        .into_iter()
        .map(|e| {
            json!({
                "name": display_name(&e.name),
                "type": match e.kind { Kind::Dir => "dir", Kind::File => "file", Kind::Symlink => "symlink" },
                "size": e.size,
                "mtime": e.mtime.map(date::rfc3339),
                "href": href(e, view),
            })
        })
        .collect();
    let sort_links: serde_json::Map<String, serde_json::Value> = SortKey::ALL
        .iter()
        .map(|k| (k.name().to_string(), json!(view.toggle(*k))))
        .collect();
    let mut v = serde_json::to_vec(&json!({
        "path": page.path,
        "sort": view.sort.name(),
        "order": if view.descending { "desc" } else { "asc" },
        "parent": (page.path != "/").then(|| format!("../{}", view.query())),
        "sort_links": sort_links,
        "entries": list,
    }))
    .unwrap_or_default();
    v.push(b'\n');
    v
}

/// A rendered body. Kept in a memfd (memfd_create(2)) when possible, so every
/// response goes out with `sendfile(2)` like a file — no per-request copy of a large
/// listing, and a queued listing costs a descriptor, not its size in memory.
#[derive(Debug, Clone)]
pub enum Body {
    File(Arc<File>, u64),
    /// The fallback when no memfd could be made (e.g. out of descriptors).
    Mem(Arc<Vec<u8>>),
}

impl Body {
    pub fn new(bytes: Vec<u8>) -> Body {
        let as_file = || -> std::io::Result<Body> {
            let fd = memfd_create(c"nettool-body", MFdFlags::MFD_CLOEXEC)?;
            let mut f = File::from(fd);
            f.write_all(&bytes)?;
            Ok(Body::File(Arc::new(f), bytes.len() as u64))
        };
        match as_file() {
            Ok(body) => body,
            Err(_) => Body::Mem(Arc::new(bytes)),
        }
    }

    pub fn len(&self) -> u64 {
        match self {
            Body::File(_, n) => *n,
            Body::Mem(v) => v.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, for tests and small consumers (reads the memfd back).
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Body::Mem(v) => v.to_vec(),
            Body::File(f, n) => {
                use std::os::unix::fs::FileExt;
                let mut buf = vec![0u8; *n as usize];
                let _ = f.read_exact_at(&mut buf, 0);
                buf
            }
        }
    }
}

#[cfg(test)]
#[path = "listing_tests.rs"]
mod tests;
