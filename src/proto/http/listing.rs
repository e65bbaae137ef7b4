//! Directory listings as HTML and as JSON.
//!
//! Entries: directories first, then everything else, each group sorted by name
//! (bytewise). Links are relative (`name`, `dir/`) and percent-encoded, `:` included,
//! so a name like `javascript:alert(1)` or `a:b` stays a path, never a scheme; names are
//! HTML-escaped and control characters shown as U+FFFD, so `<script>`, quotes,
//! newlines and invalid UTF-8 render as text.
//!
//! A rendering is kept with the directory's entry in the resolution cache
//! (`cache.rs`), which drops it as soon as anything in the directory changes — a name,
//! a size, a time — so a listing is never stale.

use std::fs::File;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use nix::sys::memfd::{MFdFlags, memfd_create};
use serde_json::json;

use super::fs::{Root, encode_segment};
use super::response::mtime_of;

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
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

#[derive(Debug)]
struct Entry {
    name: Vec<u8>,
    is_dir: bool,
    size: u64,
    mtime: SystemTime,
}

fn read_entries(dir: &Path, root: &Root) -> std::io::Result<Vec<Entry>> {
    let hidden = root.hidden;
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let Ok(e) = e else { continue };
        let name = e.file_name().as_bytes().to_vec();
        if !hidden && name.first() == Some(&b'.') {
            continue;
        }
        // Names with a backslash are never served (see fs.rs), so are not listed.
        if name.contains(&b'\\') {
            continue;
        }
        // A symlink shows its target's type, size and time only when the target is
        // one we would serve (inside the root, or --follow-symlinks); otherwise — and
        // when it dangles — the link itself is described, so a listing says nothing
        // about files outside the root.
        let Ok(own) = e.metadata() else { continue };
        let meta = if own.file_type().is_symlink() {
            match std::fs::canonicalize(e.path()) {
                Ok(real) if root.follow_symlinks || real.starts_with(&root.canonical) => {
                    std::fs::metadata(&real).unwrap_or(own)
                }
                _ => own,
            }
        } else {
            own
        };
        entries.push(Entry {
            name,
            is_dir: meta.is_dir(),
            size: if meta.is_dir() { 0 } else { meta.size() },
            mtime: mtime_of(&meta),
        });
    }
    entries.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then_with(|| a.name.cmp(&b.name)));
    Ok(entries)
}

fn display_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

/// The relative link to an entry. Every byte outside RFC 3986's unreserved set is
/// percent-encoded, `:` included, so no name can read as a scheme (`javascript:`)
/// and a leading `./` is not needed.
fn href(e: &Entry) -> String {
    let mut h = encode_segment(&e.name);
    if e.is_dir {
        h.push('/');
    }
    h
}

fn render_html(url_path: &str, entries: &[Entry]) -> Vec<u8> {
    let title = escape_html(&format!("Index of {url_path}"));
    let mut s = String::with_capacity(512 + entries.len() * 96);
    s.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width\">\n");
    s.push_str(&format!("<title>{title}</title>\n"));
    s.push_str(
        "<style>body{font-family:sans-serif}td{padding:0 1em}td+td{text-align:right}td+td+td{text-align:left}</style>\n",
    );
    s.push_str(&format!("</head><body>\n<h1>{title}</h1>\n<table>\n"));
    // Rows leave out the end tags HTML makes optional (`</td>`, `</tr>`): a listing
    // of thousands of names is a fifth smaller for it.
    s.push_str("<tr><th>Name<th>Size<th>Modified (UTC)\n");
    if url_path != "/" {
        s.push_str("<tr><td><a href=\"../\">../</a><td><td>\n");
    }
    for e in entries {
        let name = escape_html(&display_name(&e.name));
        let slash = if e.is_dir { "/" } else { "" };
        let size = if e.is_dir {
            "-".to_string()
        } else {
            human_size(e.size)
        };
        let when = humantime::format_rfc3339_seconds(e.mtime).to_string();
        let when = when.trim_end_matches('Z').replacen('T', " ", 1);
        s.push_str(&format!(
            "<tr><td><a href=\"{}\">{name}{slash}</a><td>{size}<td>{when}\n",
            escape_html(&href(e))
        ));
    }
    s.push_str("</table>\n</body></html>\n");
    s.into_bytes()
}

fn render_json(url_path: &str, entries: &[Entry]) -> Vec<u8> {
    let list: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "name": display_name(&e.name),
                "type": if e.is_dir { "dir" } else { "file" },
                "size": e.size,
                "mtime": humantime::format_rfc3339_seconds(e.mtime).to_string(),
                "href": href(e),
            })
        })
        .collect();
    let mut v = serde_json::to_vec(&json!({"path": url_path, "entries": list})).unwrap_or_default();
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
    fn new(bytes: Vec<u8>) -> Body {
        let as_file = || -> std::io::Result<Body> {
            let fd = memfd_create(c"nettool-listing", MFdFlags::MFD_CLOEXEC)?;
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

/// The two renderings of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

/// Read `dir` and render its listing as shown at `url_path`, in one format only (a
/// server asked only for HTML never builds the JSON, which is most of the memory a
/// listing costs while it is made).
pub fn render(dir: &Path, url_path: &str, root: &Root, format: Format) -> std::io::Result<Body> {
    let entries = read_entries(dir, root)?;
    Ok(Body::new(match format {
        Format::Html => render_html(url_path, &entries),
        Format::Json => render_json(url_path, &entries),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_sizes() {
        assert_eq!(
            escape_html("<script>\"a\"&'b'\n"),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;\u{FFFD}"
        );
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(10 << 20), "10.0 MiB");
    }

    #[test]
    fn dirs_first_sorted_escaped_relative() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("b.txt"), "x").unwrap();
        std::fs::write(d.path().join("<script>a"), "x").unwrap();
        std::fs::write(d.path().join(".secret"), "x").unwrap();
        std::fs::create_dir(d.path().join("zdir")).unwrap();
        std::fs::write(d.path().join("javascript:alert(1)"), "x").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", d.path().join("out")).unwrap();
        let root = Root::new(d.path(), false, false).unwrap();
        let html = render(d.path(), "/sub/", &root, Format::Html).unwrap();
        let html = String::from_utf8(html.to_vec()).unwrap();
        let zdir = html.find("\"zdir/\"").unwrap();
        let b = html.find("\"b.txt\"").unwrap();
        assert!(zdir < b, "{html}");
        assert!(
            html.contains("href=\"%3Cscript%3Ea\">&lt;script&gt;a</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"javascript%3Aalert%281%29\""),
            "{html}"
        );
        assert!(html.contains("href=\"../\""));
        assert!(!html.contains("secret"));
        let passwd = std::fs::metadata("/etc/passwd").unwrap().len();
        let out_row = html.lines().find(|l| l.contains("\"out\"")).unwrap();
        assert!(
            !out_row.contains(&human_size(passwd)) || passwd == 11,
            "{out_row}"
        );
        let v: serde_json::Value = serde_json::from_slice(
            &render(d.path(), "/sub/", &root, Format::Json)
                .unwrap()
                .to_vec(),
        )
        .unwrap();
        assert_eq!(v["entries"][0]["name"], "zdir");
        assert_eq!(v["entries"][0]["type"], "dir");
    }
}
