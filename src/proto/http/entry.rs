//! What a resolved path is, with everything its responses need, made once: an open
//! file with its header values (and, made when first asked for, its precompressed
//! siblings and its gzip encoding), or a directory with its entries and the listings
//! rendered from them (one per format, order and encoding).
//!
//! These live in the resolution cache (`cache.rs`) while nothing they depend on
//! changes, so each is computed once per change, not once per request. A small file
//! the cache remembers also keeps its bytes ([`OpenFile::in_memory`]): its response is
//! then head and body in one buffer, one `send` — a keep-alive request for it costs one
//! receive and one send, where `sendfile(2)` would add a second call per response.

use std::fs::File;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use sha2::{Digest, Sha256};

use super::fs::{CleanPath, Root};
use super::listing::{self, Body, Entry, Format, Page, View};
use super::negotiate::Coding;
use super::{compress, date, listing_html, mime};

/// A strong validator from inode, size and modification time (with nanoseconds).
pub fn etag(ino: u64, size: u64, mtime: i64, nsec: i64) -> String {
    format!("\"{ino:x}-{size:x}-{mtime:x}.{nsec:x}\"")
}

/// `etag` of a variant: the coding's name inside the quotes (`"…-gzip"`), so every
/// encoding of a file has its own tag.
pub fn etag_for(etag: &str, coding: &str) -> String {
    let inner = etag.strip_suffix('"').unwrap_or(etag);
    format!("{inner}-{coding}\"")
}

/// A body made by the server (a listing, a compressed file) with its tag.
#[derive(Debug)]
pub struct Made {
    pub body: Body,
    pub etag: String,
}

impl Made {
    /// `bytes` with a strong tag from their SHA-256.
    pub fn new(bytes: Vec<u8>) -> Made {
        let d = Sha256::digest(&bytes);
        let mut etag = String::with_capacity(36);
        etag.push('"');
        for b in &d[..16] {
            etag.push_str(&format!("{b:02x}"));
        }
        etag.push('"');
        Made {
            body: Body::new(bytes),
            etag,
        }
    }
}

/// A regular file, open, with the header values its responses need.
#[derive(Debug)]
pub struct OpenFile {
    pub file: Arc<File>,
    pub size: u64,
    /// Seconds since 1970 (negative before).
    pub mtime: i64,
    pub etag: String,
    /// `mtime` as an HTTP date.
    pub last_modified: String,
    pub content_type: String,
    /// `f.br`, `f.zst`, `f.gz` beside it, in [`Coding::ALL`]'s order.
    siblings: OnceLock<[Option<Arc<OpenFile>>; 3]>,
    /// Its gzip encoding (`--compress`), `None` once found not worth making.
    gzip: OnceLock<Option<Arc<Made>>>,
    /// Its bytes, for a small file the cache remembers (see [`Resident`]).
    memory: OnceLock<Resident>,
}

/// The largest file kept in memory.
pub const SMALL_FILE: u64 = 64 * 1024;

/// The most bytes of small files kept in memory by one server, all entries together.
pub const MEMORY_BUDGET: usize = 32 << 20;

/// A small file's bytes, counted against the server's [`MEMORY_BUDGET`] until dropped
/// (with the cache entry that holds them).
#[derive(Debug)]
pub struct Resident {
    bytes: Box<[u8]>,
    budget: Arc<AtomicUsize>,
}

impl Resident {
    /// Read all `size` bytes of `file` if it is small and `budget` (bytes in use) has
    /// room; `None` otherwise, or if the file no longer has `size` bytes.
    pub fn load(file: &File, size: u64, budget: &Arc<AtomicUsize>) -> Option<Resident> {
        if size > SMALL_FILE {
            return None;
        }
        let n = size as usize;
        budget
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                (used + n <= MEMORY_BUDGET).then_some(used + n)
            })
            .ok()?;
        // Counted from here: dropping it (a short read below) gives the room back.
        let mut held = Resident {
            bytes: vec![0u8; n].into_boxed_slice(),
            budget: Arc::clone(budget),
        };
        file.read_exact_at(&mut held.bytes, 0).ok()?;
        Some(held)
    }
}

impl Drop for Resident {
    fn drop(&mut self) {
        self.budget.fetch_sub(self.bytes.len(), Ordering::AcqRel);
    }
}

impl OpenFile {
    /// `name` is the path it was found at (its extension gives the Content-Type).
    pub fn new(name: &Path, file: File, meta: &std::fs::Metadata) -> OpenFile {
        let mtime = meta.mtime();
        OpenFile {
            content_type: mime::content_type(name),
            etag: etag(meta.ino(), meta.size(), mtime, meta.mtime_nsec()),
            last_modified: date::imf(mtime),
            size: meta.size(),
            mtime,
            file: Arc::new(file),
            siblings: OnceLock::new(),
            gzip: OnceLock::new(),
            memory: OnceLock::new(),
        }
    }

    /// Keep `held` (this file's bytes) with the entry; the cache does so only for an
    /// entry it remembers, after its inotify watches are in place.
    pub fn keep_in_memory(&self, held: Resident) {
        let _ = self.memory.set(held);
    }

    /// The file's bytes, when they are kept in memory.
    pub fn in_memory(&self) -> Option<&[u8]> {
        self.memory.get().map(|r| &*r.bytes)
    }

    /// The precompressed siblings, found by `find` (called once per coding, the first
    /// time they are asked for).
    pub fn siblings(
        &self,
        find: impl Fn(Coding) -> Option<Arc<OpenFile>>,
    ) -> &[Option<Arc<OpenFile>>; 3] {
        self.siblings.get_or_init(|| Coding::ALL.map(&find))
    }

    /// The gzip encoding of the file, made on first use; `None` when the file cannot
    /// be read or does not shrink.
    pub fn gzipped(&self) -> Option<Arc<Made>> {
        self.gzip
            .get_or_init(|| {
                let mut bytes = vec![0u8; usize::try_from(self.size).ok()?];
                self.file.read_exact_at(&mut bytes, 0).ok()?;
                let gz = compress::gzip(&bytes);
                (gz.len() < bytes.len()).then(|| {
                    Arc::new(Made {
                        body: Body::new(gz),
                        etag: etag_for(&self.etag, "gzip"),
                    })
                })
            })
            .clone()
    }
}

/// One rendering of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Variant {
    pub view: View,
    pub gzip: bool,
}

/// Most renderings kept per directory (2 formats × 3 orders × 2 directions × 2
/// encodings).
const MAX_VARIANTS: usize = 24;

/// A directory, its entries once read and its listings once rendered.
#[derive(Debug)]
pub struct Dir {
    /// Its path below the canonical root.
    pub real: PathBuf,
    /// The request path that named it.
    pub path: CleanPath,
    /// Whether this entry is remembered (so its listings may be kept with it).
    cached: bool,
    entries: Mutex<Option<Arc<Vec<Entry>>>>,
    variants: Mutex<Vec<(Variant, Arc<Made>)>>,
}

impl Dir {
    pub fn new(real: PathBuf, path: CleanPath, cached: bool) -> Dir {
        Dir {
            real,
            path,
            cached,
            entries: Mutex::new(None),
            variants: Mutex::new(Vec::new()),
        }
    }

    fn entries(&self, root: &Root) -> std::io::Result<Arc<Vec<Entry>>> {
        let mut slot = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = &*slot {
            return Ok(Arc::clone(e));
        }
        let e = Arc::new(listing::read_entries(&self.real, root)?);
        if self.cached {
            *slot = Some(Arc::clone(&e));
        }
        Ok(e)
    }

    /// The listing in `variant`: rendered once per cache entry (an entry lives only
    /// while nothing under the directory changed), or on every call when the cache
    /// is off. `upload`: show the upload form.
    pub fn listing(
        &self,
        root: &Root,
        variant: Variant,
        upload: bool,
    ) -> std::io::Result<Arc<Made>> {
        let mut kept = self.variants.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, m)) = kept.iter().find(|(v, _)| *v == variant) {
            return Ok(Arc::clone(m));
        }
        let entries = self.entries(root)?;
        let shown = self.path.display(true);
        let page = Page {
            path: &shown,
            upload,
        };
        let bytes = match variant.view.format {
            Format::Html => listing_html::render(&entries, &page, &variant.view),
            Format::Json => listing::render_json(&entries, &page, &variant.view),
        };
        let made = Arc::new(if variant.gzip {
            Made::new(compress::gzip(&bytes))
        } else {
            Made::new(bytes)
        });
        if self.cached && kept.len() < MAX_VARIANTS {
            kept.push((variant, Arc::clone(&made)));
        }
        Ok(made)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_per_coding_and_content() {
        assert_eq!(etag_for("\"a-1\"", "gzip"), "\"a-1-gzip\"");
        let a = Made::new(b"abc".to_vec());
        let b = Made::new(b"abd".to_vec());
        assert_ne!(a.etag, b.etag);
        assert_eq!(a.etag.len(), 34);
        assert_eq!(a.body.to_vec(), b"abc");
    }

    #[test]
    fn gzip_is_made_once_and_only_when_it_shrinks() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        std::fs::write(
            &p,
            "hello hello hello hello hello hello hello hello\n".repeat(20),
        )
        .unwrap();
        let f = File::open(&p).unwrap();
        let meta = f.metadata().unwrap();
        let of = OpenFile::new(&p, f, &meta);
        let g = of.gzipped().unwrap();
        assert!(Arc::ptr_eq(&g, &of.gzipped().unwrap()));
        assert!(g.body.len() < of.size);
        assert!(g.etag.ends_with("-gzip\"") && g.etag != of.etag);
        let mut out = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&g.body.to_vec()[..]),
            &mut out,
        )
        .unwrap();
        assert_eq!(out.len() as u64, of.size);
        let q = d.path().join("b.bin");
        std::fs::write(&q, [7u8; 1]).unwrap();
        let f = File::open(&q).unwrap();
        let meta = f.metadata().unwrap();
        assert!(OpenFile::new(&q, f, &meta).gzipped().is_none());
    }

    #[test]
    fn small_files_are_read_within_the_budget_and_give_it_back() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.bin");
        std::fs::write(&p, [5u8; 1000]).unwrap();
        let f = File::open(&p).unwrap();
        let budget = Arc::new(AtomicUsize::new(0));
        let held = Resident::load(&f, 1000, &budget).unwrap();
        assert_eq!(
            (held.bytes.len(), budget.load(Ordering::Relaxed)),
            (1000, 1000)
        );
        let of = OpenFile::new(&p, File::open(&p).unwrap(), &f.metadata().unwrap());
        of.keep_in_memory(held);
        assert_eq!(of.in_memory(), Some(&[5u8; 1000][..]));
        drop(of);
        assert_eq!(budget.load(Ordering::Relaxed), 0, "dropped with its entry");
        // Too big, no room left, or shorter than promised: not kept, nothing counted.
        assert!(Resident::load(&f, SMALL_FILE + 1, &budget).is_none());
        budget.store(MEMORY_BUDGET - 10, Ordering::Relaxed);
        assert!(Resident::load(&f, 1000, &budget).is_none());
        budget.store(0, Ordering::Relaxed);
        assert!(Resident::load(&f, 2000, &budget).is_none());
        assert_eq!(budget.load(Ordering::Relaxed), 0);
    }
}
