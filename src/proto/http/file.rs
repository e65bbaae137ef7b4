//! A file's response: which representation (the file itself, a precompressed
//! sibling `f.br`/`f.zst`/`f.gz` with `--precompressed`, or its gzip made on the fly
//! with `--compress`), then the preconditions (`precond.rs`), then the range
//! (`range.rs`) — 200, 206, multipart/byteranges, 304, 412 or 416.
//!
//! Every representation has its own entity tag, and `Vary: Accept-Encoding` is sent
//! on every response of a file that has more than one, so caches keep them apart.
//! Ranges apply to the bytes of the representation chosen (the encoded ones, for an
//! encoding, as RFC 9110 §14.1 says). Bodies are file ranges in the outbox — sent
//! with `sendfile(2)`, the compressed ones from a memfd — except a small file whose
//! bytes the cache keeps (`entry.rs`): those are copied behind the head, one send.

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Shared;
use super::cache::{Found, OpenFile};
use super::compress;
use super::handler::{Answer, Call, conditions, error};
use super::listing::Body;
use super::negotiate::{self, Coding};
use super::precond::{self, Validators};
use super::range::{self, Ranges};
use super::response::Head;
use crate::engine::service::Outbox;

/// Queue `len` bytes of `body` from `start`.
pub fn push_body(out: &mut Outbox, body: &Body, start: u64, len: u64) {
    match body {
        Body::File(f, _) => out.push_file(Arc::clone(f), start, len),
        Body::Mem(v) => out.push_bytes(&v[start as usize..(start + len) as usize]),
    }
}

/// The bytes a response sends.
enum Source<'a> {
    File(&'a Arc<File>),
    Made(&'a Body),
    /// A small file's bytes kept by the cache: copied behind the head, so head and body
    /// leave in one send.
    Memory(&'a [u8]),
}

impl<'a> Source<'a> {
    /// The file `f`, from memory when the cache keeps its bytes.
    fn of(f: &'a OpenFile) -> Source<'a> {
        match f.in_memory() {
            Some(bytes) => Source::Memory(bytes),
            None => Source::File(&f.file),
        }
    }

    fn push(&self, out: &mut Outbox, start: u64, len: u64) {
        match self {
            Source::File(f) => out.push_file(Arc::clone(f), start, len),
            Source::Made(b) => push_body(out, b, start, len),
            Source::Memory(b) => out.push_bytes(&b[start as usize..(start + len) as usize]),
        }
    }
}

/// The representation chosen.
struct Rep<'a> {
    source: Source<'a>,
    size: u64,
    etag: &'a str,
    last_modified: &'a str,
    mtime: i64,
    coding: Option<Coding>,
}

/// A precompressed sibling of the file at raw path `raw`.
fn sibling(sh: &Shared, raw: &[u8], c: Coding, refreshed: bool) -> Option<Arc<OpenFile>> {
    let mut key = Vec::with_capacity(raw.len() + 4);
    key.extend_from_slice(raw);
    key.push(b'.');
    key.extend_from_slice(c.extension().as_bytes());
    match sh.lookup(&key, refreshed) {
        Ok(Ok(Found::File(f))) => Some(f),
        _ => None,
    }
}

/// A multipart boundary no one can predict (a served file cannot be made to
/// contain it on purpose).
fn boundary() -> String {
    static STATE: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let h = STATE.get_or_init(RandomState::new).hash_one(n);
    format!("nettool-{h:016x}{n:x}")
}

/// Answer a GET or HEAD for the file `f`, found at raw path `raw`.
pub fn serve(c: &Call, raw: &[u8], f: &Arc<OpenFile>, out: &mut Outbox) -> Answer {
    let (sh, req, persist, body, refreshed) = (c.sh, c.req, c.persist, c.body, c.refreshed);
    let o = &sh.opts;
    let ae = req.accept_encoding.as_deref();
    let mut rep = Rep {
        source: Source::of(f),
        size: f.size,
        etag: &f.etag,
        last_modified: &f.last_modified,
        mtime: f.mtime,
        coding: None,
    };
    let mut vary = false;
    let siblings;
    if o.precompressed {
        siblings = f.siblings(|c| sibling(sh, raw, c, refreshed));
        let mut available = [Coding::Br; 3];
        let mut n = 0;
        for (c, s) in Coding::ALL.iter().zip(siblings.iter()) {
            if s.is_some() {
                available[n] = *c;
                n += 1;
            }
        }
        vary = n > 0;
        if let Some(c) = negotiate::content_coding(ae, &available[..n]) {
            let i = Coding::ALL.iter().position(|x| *x == c).unwrap_or(0);
            if let Some(s) = &siblings[i] {
                rep = Rep {
                    source: Source::of(s),
                    size: s.size,
                    etag: &s.etag,
                    last_modified: &s.last_modified,
                    mtime: s.mtime,
                    coding: Some(c),
                };
            }
        }
    }
    let gzipped;
    if let (None, Some(max)) = (rep.coding, o.compress) {
        if compress::eligible(&f.content_type, f.size, max) {
            vary = true;
            if negotiate::content_coding(ae, &[Coding::Gzip]).is_some() {
                gzipped = f.gzipped();
                if let Some(g) = &gzipped {
                    rep.source = Source::Made(&g.body);
                    rep.size = g.body.len();
                    rep.etag = &g.etag;
                    rep.coding = Some(Coding::Gzip);
                }
            }
        }
    }
    let head_with = |status: u16| {
        let mut h = Head::new(status)
            .text("ETag", rep.etag)
            .last_modified(rep.last_modified, rep.mtime);
        if let Some(cc) = &o.cache_control {
            h = h.text("Cache-Control", cc);
        }
        if vary {
            h = h.text("Vary", "Accept-Encoding");
        }
        h
    };
    let cond = conditions(req);
    if !cond.is_empty() {
        let v = Validators {
            etag: rep.etag,
            last_modified: Some(rep.mtime.min(super::date::now())),
        };
        match precond::evaluate(&cond, &v, true) {
            precond::Verdict::Proceed => {}
            precond::Verdict::NotModified => {
                out.push_vec(head_with(304).finish(persist, &sh.extra));
                return Answer::new(304, 0);
            }
            precond::Verdict::Failed => return error(sh, out, 412, persist, body, &[]),
        }
    }
    let v = Validators {
        etag: rep.etag,
        last_modified: Some(rep.mtime),
    };
    let ranges = match (req.range, req.if_range) {
        (Some(_), _) if req.if_range_repeated => Ranges::Full,
        (Some(_), Some(ir)) if !precond::if_range_holds(ir, &v) => Ranges::Full,
        (Some(r), _) => range::parse(r, rep.size),
        (None, _) => Ranges::Full,
    };
    let size = rep.size;
    let finish = |h: Head| {
        let h = h.text("Accept-Ranges", "bytes");
        let h = match rep.coding {
            Some(c) => h.text("Content-Encoding", c.token()),
            None => h,
        };
        h.finish(persist, &sh.extra)
    };
    match ranges {
        Ranges::Full => {
            let h = head_with(200)
                .text("Content-Type", &f.content_type)
                .num("Content-Length", size);
            out.push_vec(finish(h));
            if !body {
                return Answer::new(200, 0);
            }
            rep.source.push(out, 0, size);
            Answer::new(200, size)
        }
        Ranges::One(r) => {
            let mut cr = String::with_capacity(48);
            cr.push_str("bytes ");
            super::response::push_num(&mut cr, r.start);
            cr.push('-');
            super::response::push_num(&mut cr, r.end);
            cr.push('/');
            super::response::push_num(&mut cr, size);
            let h = head_with(206)
                .text("Content-Type", &f.content_type)
                .num("Content-Length", r.len())
                .text("Content-Range", &cr);
            out.push_vec(finish(h));
            if !body {
                return Answer::new(206, 0);
            }
            rep.source.push(out, r.start, r.len());
            Answer::new(206, r.len())
        }
        Ranges::Many(parts) => {
            let m = range::multipart(&parts, size, &f.content_type, &boundary());
            let h = head_with(206)
                .text("Content-Type", &m.content_type)
                .num("Content-Length", m.len);
            out.push_vec(finish(h));
            if !body {
                return Answer::new(206, 0);
            }
            for (head, r) in m.part_heads.iter().zip(&parts) {
                out.push_bytes(head.as_bytes());
                rep.source.push(out, r.start, r.len());
            }
            out.push_bytes(m.trailer.as_bytes());
            Answer::new(206, m.len)
        }
        Ranges::Unsatisfiable => {
            let cr = format!("bytes */{size}");
            error(sh, out, 416, persist, body, &[("Content-Range", &cr)])
        }
    }
}
