//! Turning one parsed request into a response in the outbox: CORS preflight,
//! authentication, the method, then the path — redirect, index file, listing,
//! `--spa` fallback — and the start and end of uploads. Files themselves are
//! `file.rs`.
//!
//! The order is what keeps the answers from saying more than they should: with
//! `--auth`, every request but a CORS preflight is checked before its path is looked
//! at, so a 401 is the same for a path that exists and one that does not.

use std::sync::Arc;

use super::Shared;
use super::cache::{Dir, Found, OpenFile};
use super::entry::Variant;
use super::file;
use super::fs::{PathError, ResolveError, clean_raw_path, split_target};
use super::listing::{Format, View};
use super::negotiate::{self, Coding};
use super::precond::{self, Conditions, Validators};
use super::request::{Framing, Method, Request};
use super::response::{self, Head, Persist, error_response, page};
use super::upload::{self, Done, Refusal, Upload};
use crate::engine::service::Outbox;

/// What was answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Body bytes queued (0 for HEAD, 204 and 304).
    pub body: u64,
    /// An upload whose body is to be read before it is answered.
    pub upload: Option<Box<Upload>>,
}

impl Answer {
    pub fn new(status: u16, body: u64) -> Answer {
        Answer {
            status,
            body,
            upload: None,
        }
    }
}

/// One request being answered, and what every answer to it needs.
#[derive(Clone, Copy)]
pub struct Call<'a, 'r> {
    pub sh: &'a Shared,
    pub req: &'a Request<'r>,
    pub persist: Persist,
    /// Send bodies (false for HEAD).
    pub body: bool,
    /// The request was read before the cache's latest refresh.
    pub refreshed: bool,
}

impl Call<'_, '_> {
    /// Queue an error page for this request.
    pub fn error(&self, out: &mut Outbox, status: u16, headers: &[(&str, &str)]) -> Answer {
        error(self.sh, out, status, self.persist, self.body, headers)
    }
}

/// Queue an error page.
pub fn error(
    sh: &Shared,
    out: &mut Outbox,
    status: u16,
    persist: Persist,
    body: bool,
    headers: &[(&str, &str)],
) -> Answer {
    let (bytes, len) = error_response(status, persist, body, headers, &sh.extra);
    out.push_vec(bytes);
    Answer::new(status, len)
}

/// The conditional fields of a request.
pub fn conditions<'a>(req: &'a Request) -> Conditions<'a> {
    Conditions {
        if_match: req.if_match.as_deref(),
        if_none_match: req.if_none_match.as_deref(),
        if_modified_since: req.if_modified_since,
        if_unmodified_since: req.if_unmodified_since,
    }
}

/// Answer `req` into `out`; `keep` is whether the connection may stay open after an
/// immediate answer, `refreshed` whether the request was read before the cache's
/// latest refresh.
pub fn respond(
    sh: &Shared,
    req: &Request,
    keep: bool,
    refreshed: bool,
    out: &mut Outbox,
) -> Answer {
    let persist = Persist::new(keep, req.minor);
    let body = req.method != Method::Head;
    let o = &sh.opts;
    if req.method == Method::Options
        && o.cors
        && req.origin.is_some()
        && req.cors_request_method.is_some()
    {
        return preflight(sh, persist, out);
    }
    if let Some(auth) = &o.auth {
        if !auth.admits(req.authorization) {
            return error(
                sh,
                out,
                401,
                persist,
                body,
                &[("WWW-Authenticate", super::auth::CHALLENGE)],
            );
        }
    }
    if req.expect_other {
        return error(sh, out, 417, persist, body, &[]);
    }
    match req.method {
        Method::Get | Method::Head => {
            let c = Call {
                sh,
                req,
                persist,
                body,
                refreshed,
            };
            get(&c, out)
        }
        Method::Options => {
            let head = Head::new(204)
                .text("Allow", sh.allow)
                .finish(persist, &sh.extra);
            out.push_vec(head);
            Answer::new(204, 0)
        }
        Method::Put | Method::Post if o.upload.is_some() => begin_upload(sh, req, persist, out),
        Method::Unknown => error(sh, out, 501, persist, body, &[]),
        _ => error(sh, out, 405, persist, body, &[("Allow", sh.allow)]),
    }
}

/// A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`):
/// the same answer for every path, without credentials, read-only methods only.
fn preflight(sh: &Shared, persist: Persist, out: &mut Outbox) -> Answer {
    let head = Head::new(204)
        .text("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        .text("Access-Control-Allow-Headers", "Authorization, *")
        .text("Access-Control-Max-Age", "86400")
        .finish(persist, &sh.extra);
    out.push_vec(head);
    Answer::new(204, 0)
}

fn get(c: &Call, out: &mut Outbox) -> Answer {
    let (sh, req, persist, body, refreshed) = (c.sh, c.req, c.persist, c.body, c.refreshed);
    let Ok((raw, query)) = split_target(req.target) else {
        return error(sh, out, 400, persist, body, &[]);
    };
    match sh.lookup(raw, refreshed) {
        Err(PathError::BadRequest) => error(sh, out, 400, persist, body, &[]),
        Err(PathError::NoSuchName) | Ok(Err(ResolveError::NotFound)) => not_found(c, out),
        Ok(Err(ResolveError::Forbidden)) => error(sh, out, 403, persist, body, &[]),
        Ok(Ok(Found::File(f))) => file::serve(c, raw, &f, out),
        Ok(Ok(Found::Dir(dir))) => {
            if !raw.ends_with(b"/") {
                let mut location = dir.path.url(true);
                if let Some(q) = query {
                    location.push('?');
                    push_query(&mut location, q);
                }
                return error(sh, out, 301, persist, body, &[("Location", &location)]);
            }
            if let Some((key, f)) = index_of(sh, raw, refreshed) {
                return file::serve(c, &key, &f, out);
            }
            listing(sh, req, query, &dir, persist, body, out)
        }
    }
}

/// 404, or the `--spa` file with 200.
fn not_found(c: &Call, out: &mut Outbox) -> Answer {
    let sh = c.sh;
    if let Some(spa) = &sh.opts.spa {
        if let Ok(Ok(Found::File(f))) = sh.lookup(spa.as_bytes(), c.refreshed) {
            return file::serve(c, spa.as_bytes(), &f, out);
        }
    }
    c.error(out, 404, &[])
}

/// A query string for a `Location`: kept as sent, except bytes a URI may not hold,
/// which are percent-encoded.
fn push_query(out: &mut String, q: &[u8]) {
    for &b in q {
        let allowed = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b);
        if allowed {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The directory's `--index` file, if it has one, with the raw path it was found
/// at. It goes through the same rules as any path (hidden, symlinks).
fn index_of(sh: &Shared, dir_raw: &[u8], refreshed: bool) -> Option<(Vec<u8>, Arc<OpenFile>)> {
    let index = sh.opts.index.as_ref()?;
    let mut key = dir_raw.to_vec();
    key.extend_from_slice(super::fs::encode_segment(index.as_bytes()).as_bytes());
    match sh.lookup(&key, refreshed) {
        Ok(Ok(Found::File(f))) => Some((key, f)),
        _ => None,
    }
}

fn listing(
    sh: &Shared,
    req: &Request,
    query: Option<&[u8]>,
    dir: &Dir,
    persist: Persist,
    body: bool,
    out: &mut Outbox,
) -> Answer {
    if !sh.opts.listing {
        return error(sh, out, 403, persist, body, &[]);
    }
    const TYPES: [&str; 2] = ["text/html; charset=utf-8", "application/json"];
    let chosen = negotiate::media_type(req.accept.as_deref(), &["text/html", "application/json"]);
    let format = if chosen == 1 {
        Format::Json
    } else {
        Format::Html
    };
    let gzip = sh.opts.compress.is_some()
        && negotiate::content_coding(req.accept_encoding.as_deref(), &[Coding::Gzip]).is_some();
    let variant = Variant {
        view: View::from_query(query, format),
        gzip,
    };
    let made = match dir.listing(&sh.root, variant, sh.opts.upload.is_some()) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return error(sh, out, 403, persist, body, &[]);
        }
        Err(_) => return error(sh, out, 404, persist, body, &[]),
    };
    let vary = if sh.opts.compress.is_some() {
        "Accept, Accept-Encoding"
    } else {
        "Accept"
    };
    let v = Validators {
        etag: &made.etag,
        last_modified: None,
    };
    match precond::evaluate(&conditions(req), &v, true) {
        precond::Verdict::Proceed => {}
        precond::Verdict::NotModified => {
            let head = Head::new(304)
                .text("ETag", &made.etag)
                .text("Cache-Control", "no-cache")
                .text("Vary", vary)
                .finish(persist, &sh.extra);
            out.push_vec(head);
            return Answer::new(304, 0);
        }
        precond::Verdict::Failed => return error(sh, out, 412, persist, body, &[]),
    }
    let len = made.body.len();
    let mut head = Head::new(200)
        .text("Content-Type", TYPES[chosen])
        .num("Content-Length", len)
        .text("ETag", &made.etag)
        .text("Cache-Control", "no-cache")
        .text("Vary", vary);
    if gzip {
        head = head.text("Content-Encoding", "gzip");
    }
    out.push_vec(head.finish(persist, &sh.extra));
    if !body {
        return Answer::new(200, 0);
    }
    file::push_body(out, &made.body, 0, len);
    Answer::new(200, len)
}

/// Whether a form POST comes from a page of another site (a drive-by upload from
/// a web page the user visits): `Sec-Fetch-Site: cross-site`, or an `Origin` whose
/// host is not the one the request is addressed to.
fn cross_site(req: &Request) -> bool {
    if req
        .fetch_site
        .is_some_and(|s| s.eq_ignore_ascii_case(b"cross-site"))
    {
        return true;
    }
    match (req.origin, req.host) {
        (Some(origin), Some(host)) => {
            let authority = origin.split(|&b| b == b'/').nth(2).unwrap_or(b"");
            origin != b"null" && !authority.eq_ignore_ascii_case(host)
        }
        (Some(o), None) => o != b"null",
        _ => false,
    }
}

fn begin_upload(sh: &Shared, req: &Request, persist: Persist, out: &mut Outbox) -> Answer {
    let Some(opts) = sh.opts.upload else {
        return error(sh, out, 405, persist, true, &[("Allow", sh.allow)]);
    };
    let refused = |sh: &Shared, out: &mut Outbox, r: Refusal| refusal(sh, out, r, persist);
    let path = match split_target(req.target)
        .map_err(|_| PathError::BadRequest)
        .and_then(|(raw, _)| clean_raw_path(raw))
    {
        Ok(p) => p,
        Err(PathError::BadRequest) => return error(sh, out, 400, persist, true, &[]),
        Err(PathError::NoSuchName) => return error(sh, out, 404, persist, true, &[]),
    };
    let length = match req.framing {
        Framing::Length(n) => Some(n),
        Framing::Chunked => None,
        Framing::None => return error(sh, out, 411, persist, true, &[]),
    };
    let started = if req.method == Method::Put {
        Upload::put(&sh.root, &path, length, &conditions(req), opts)
    } else if cross_site(req) {
        return error(sh, out, 403, persist, true, &[]);
    } else {
        Upload::form(&sh.root, &path, req.content_type, length, opts)
    };
    match started {
        Ok(u) => {
            if req.expect_continue {
                out.push_bytes(response::CONTINUE);
            }
            Answer {
                status: 0,
                body: 0,
                upload: Some(Box::new(u)),
            }
        }
        Err(r) => refused(sh, out, r),
    }
}

fn refusal(sh: &Shared, out: &mut Outbox, r: Refusal, persist: Persist) -> Answer {
    let text = page(r.status, Some(&super::listing_html::escape_html(&r.why)));
    let head = Head::new(r.status)
        .text("Content-Type", "text/html; charset=utf-8")
        .num("Content-Length", text.len() as u64)
        .finish(persist, &sh.extra);
    out.push_vec(head);
    out.push_bytes(text.as_bytes());
    Answer::new(r.status, text.len() as u64)
}

/// The answer to a finished (or failed) upload.
pub fn upload_answer(
    sh: &Shared,
    result: Result<Done, Refusal>,
    persist: Persist,
    out: &mut Outbox,
) -> Answer {
    let done = match result {
        Ok(d) => d,
        Err(r) => return refusal(sh, out, r, persist),
    };
    if done.status == 204 {
        out.push_vec(Head::new(204).finish(persist, &sh.extra));
        return Answer::new(204, 0);
    }
    let text = if done.names.is_empty() {
        page(
            201,
            Some(&format!(
                "Stored as <a href=\"{0}\">{0}</a>.",
                super::listing_html::escape_html(&done.location)
            )),
        )
    } else {
        upload::created_page(&done)
    };
    let head = Head::new(201)
        .text("Location", &done.location)
        .text("Content-Type", "text/html; charset=utf-8")
        .num("Content-Length", text.len() as u64)
        .finish(persist, &sh.extra);
    out.push_vec(head);
    out.push_bytes(text.as_bytes());
    Answer::new(201, text.len() as u64)
}
