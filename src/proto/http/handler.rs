//! Turning one parsed request into a response in the outbox: method check, path
//! resolution, redirect, index file or listing, conditional and range logic.

use std::sync::Arc;

use super::Shared;
use super::cache::{Dir, Found, OpenFile};
use super::fs::{CleanPath, ResolveError, clean_path};
use super::listing::{Body, Format};
use super::request::{Method, Request};
use super::response::{
    Head, Persist, RangeAnswer, error_response, if_range_holds, not_modified, range,
};
use crate::engine::service::Outbox;

/// What was answered, for the access log.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    pub status: u16,
    /// Body bytes queued (0 for HEAD and 304).
    pub body: u64,
}

fn error(
    out: &mut Outbox,
    status: u16,
    keep: Persist,
    body: bool,
    extra: &[(&str, &str)],
) -> Answer {
    let (bytes, len) = error_response(status, keep, body, extra);
    out.push_vec(bytes);
    Answer { status, body: len }
}

/// Answer `req` into `out`; `keep` is whether the connection stays open after it,
/// `refreshed` whether the request was read before the cache's latest refresh.
pub fn respond(
    sh: &Shared,
    req: &Request,
    keep: bool,
    refreshed: bool,
    out: &mut Outbox,
) -> Answer {
    let keep = Persist::new(keep, req.minor);
    let body = req.method != Method::Head;
    if req.method == Method::Other {
        return error(out, 405, keep, true, &[("Allow", "GET, HEAD")]);
    }
    let path = match clean_path(&req.target) {
        Ok(p) => p,
        Err(_) => return error(out, 400, keep, body, &[]),
    };
    match sh.lookup(&path, refreshed) {
        Err(ResolveError::NotFound) => error(out, 404, keep, body, &[]),
        Err(ResolveError::Forbidden) => error(out, 403, keep, body, &[]),
        Ok(Found::File(f)) => serve_file(req, &f, keep, body, out),
        Ok(Found::Dir(dir)) => {
            if !path.trailing_slash {
                let location = path.url(true);
                return error(out, 301, keep, body, &[("Location", &location)]);
            }
            if let Some(f) = index_of(sh, &path, refreshed) {
                return serve_file(req, &f, keep, body, out);
            }
            serve_listing(sh, req, &path, &dir, keep, body, out)
        }
    }
}

fn serve_file(req: &Request, f: &OpenFile, keep: Persist, body: bool, out: &mut Outbox) -> Answer {
    let (size, tag, last_modified) = (f.size, &f.etag, &f.last_modified);
    if not_modified(
        req.if_none_match.as_deref(),
        req.if_modified_since.as_deref(),
        tag,
        f.mtime,
    ) {
        let head = Head::new(304)
            .text("ETag", tag)
            .text("Last-Modified", last_modified)
            .finish(keep);
        out.push_vec(head);
        return Answer {
            status: 304,
            body: 0,
        };
    }
    let ranged = match &req.range {
        Some(r) if if_range_holds(req.if_range.as_deref(), tag, last_modified) => range(r, size),
        _ => RangeAnswer::Full,
    };
    let (status, start, len) = match ranged {
        RangeAnswer::Full => (200, 0, size),
        RangeAnswer::Partial { start, end } => (206, start, end - start + 1),
        RangeAnswer::Unsatisfiable => {
            let cr = format!("bytes */{size}");
            return error(out, 416, keep, body, &[("Content-Range", &cr)]);
        }
    };
    let mut head = Head::new(status)
        .text("Content-Type", &f.content_type)
        .header("Content-Length", len)
        .text("Last-Modified", last_modified)
        .text("ETag", tag)
        .text("Accept-Ranges", "bytes");
    if status == 206 {
        head = head.header(
            "Content-Range",
            format!("bytes {start}-{}/{size}", start + len - 1),
        );
    }
    out.push_vec(head.finish(keep));
    if !body {
        return Answer { status, body: 0 };
    }
    out.push_file(Arc::clone(&f.file), start, len);
    Answer { status, body: len }
}

/// The directory's `--index` file, if it has one. It goes through the same rules as
/// any path (hidden, symlinks).
fn index_of(sh: &Shared, dir: &CleanPath, refreshed: bool) -> Option<Arc<OpenFile>> {
    let index = sh.opts.index.as_ref()?;
    let mut candidate = dir.clone();
    candidate.segments.push(index.as_bytes().to_vec());
    candidate.trailing_slash = false;
    match sh.lookup(&candidate, refreshed) {
        Ok(Found::File(f)) => Some(f),
        _ => None,
    }
}

fn serve_listing(
    sh: &Shared,
    req: &Request,
    path: &CleanPath,
    dir: &Dir,
    keep: Persist,
    body: bool,
    out: &mut Outbox,
) -> Answer {
    if !sh.opts.listing {
        return error(out, 403, keep, body, &[]);
    }
    let url = path.url(true);
    let (format, ctype) = if req.wants_json {
        (Format::Json, "application/json")
    } else {
        (Format::Html, "text/html; charset=utf-8")
    };
    let listing = match dir.listing(&url, &sh.root, format) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return error(out, 403, keep, body, &[]);
        }
        Err(_) => return error(out, 404, keep, body, &[]),
    };
    let len = listing.len();
    let head = Head::new(200)
        .header("Content-Type", ctype)
        .header("Content-Length", len)
        .header("Cache-Control", "no-cache")
        .header("Vary", "Accept")
        .finish(keep);
    out.push_vec(head);
    if !body {
        return Answer {
            status: 200,
            body: 0,
        };
    }
    match &*listing {
        Body::File(f, n) => out.push_file(Arc::clone(f), 0, *n),
        Body::Mem(v) => out.push_bytes(v),
    }
    Answer {
        status: 200,
        body: len,
    }
}
