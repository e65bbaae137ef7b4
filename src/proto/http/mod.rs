//! A static file server as a sans-IO service: bytes in, an outbox of response heads
//! and file ranges out (the engines send file bodies with `sendfile(2)`, so a file is
//! never read into memory).
//!
//! The pieces, in the order a request meets them:
//! - `conn.rs`: one connection's state — the input buffer, pipelining, request bodies
//!   (`body.rs`: Content-Length and chunked), the header timeout;
//! - `request.rs`: the request head, parsed once, borrowed from the buffer
//!   (`syntax.rs`: the request line, character classes, `Host`);
//! - `handler.rs`: method, authentication (`auth.rs`), CORS, then the path
//!   (`fs.rs` maps it onto the root safely, `cache.rs` remembers what it named,
//!   `entry.rs` holds the open file or directory);
//! - `file.rs`: a file's response — encodings (`negotiate.rs`, precompressed
//!   siblings, `compress.rs`), conditional requests (`precond.rs`), ranges and
//!   multipart/byteranges (`range.rs`);
//! - `listing.rs` / `listing_html.rs`: directory listings in JSON or HTML;
//! - `upload.rs` / `multipart.rs` / `staged.rs`: PUT and form uploads, written
//!   under a temporary name and renamed into place;
//! - `response.rs`, `date.rs`, `mime.rs`: heads, dates, types; `log.rs`: the access
//!   log of what was really sent.

pub mod auth;
pub mod body;
pub mod cache;
pub mod compress;
pub mod conn;
pub mod date;
pub mod entry;
pub mod file;
pub mod fs;
pub mod handler;
pub mod listing;
pub mod listing_html;
pub mod log;
pub mod mime;
pub mod multipart;
pub mod negotiate;
pub mod precond;
#[cfg(test)]
mod proptests;
pub mod range;
pub mod request;
pub mod response;
pub mod staged;
pub mod syntax;
pub mod upload;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::service::{ConnInfo, ServiceFactory};
use crate::output::Output;
pub use conn::HttpConn;

/// The server's settings (from the command line).
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// File served for a directory when present (`--index`, default `index.html`).
    pub index: Option<String>,
    /// Render listings for directories without an index (off: 403).
    pub listing: bool,
    /// A request head must be complete this long after the server starts waiting.
    pub header_timeout: Duration,
    /// One access-log line per request.
    pub access_log: bool,
    /// Remember resolutions and listings between requests (`cache.rs`).
    pub cache: bool,
    /// Serve `f.br`/`f.zst`/`f.gz` beside `f` when the client accepts them.
    pub precompressed: bool,
    /// Gzip listings and text files up to this size on the fly (`--compress`).
    pub compress: Option<u64>,
    /// `Cache-Control` for files (`--cache-control`).
    pub cache_control: Option<String>,
    /// `Access-Control-Allow-Origin: *` and preflight answers (`--cors`).
    pub cors: bool,
    /// Header lines added to every response (`--header`), validated.
    pub headers: Vec<(String, String)>,
    /// Basic authentication (`--auth`, `--auth-file`).
    pub auth: Option<Arc<auth::Auth>>,
    /// PUT and form uploads (`--upload`).
    pub upload: Option<upload::UploadOptions>,
    /// Served (200) for paths that do not exist (`--spa`), as a raw path below the
    /// root (`/index.html`).
    pub spa: Option<String>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            index: Some("index.html".into()),
            listing: true,
            header_timeout: Duration::from_secs(10),
            access_log: false,
            cache: true,
            precompressed: false,
            compress: None,
            cache_control: None,
            cors: false,
            headers: Vec::new(),
            auth: None,
            upload: None,
            spa: None,
        }
    }
}

/// What every connection shares.
#[derive(Debug)]
pub struct Shared {
    pub root: fs::Root,
    pub opts: HttpOptions,
    pub cache: cache::FsCache,
    pub out: Output,
    /// `--header` and `--cors` lines, formatted once, ending every head.
    pub extra: String,
    /// The `Allow` value (with `--upload`, PUT and POST too).
    pub allow: &'static str,
}

impl Shared {
    /// What the raw path `raw` names, through the cache (`refreshed`: see
    /// [`HttpConn`]).
    pub fn lookup(&self, raw: &[u8], refreshed: bool) -> Result<cache::Outcome, fs::PathError> {
        if refreshed {
            self.cache.resolve_refreshed(&self.root, raw)
        } else {
            self.cache.resolve(&self.root, raw)
        }
    }
}

/// Makes one [`HttpConn`] per connection.
#[derive(Debug, Clone)]
pub struct HttpFactory {
    shared: Arc<Shared>,
}

impl HttpFactory {
    pub fn new(root: fs::Root, opts: HttpOptions, out: Output) -> HttpFactory {
        let mut extra = String::new();
        for (n, v) in &opts.headers {
            extra.push_str(n);
            extra.push_str(": ");
            extra.push_str(v);
            extra.push_str("\r\n");
        }
        if opts.cors {
            extra.push_str("Access-Control-Allow-Origin: *\r\n");
            extra.push_str(
                "Access-Control-Expose-Headers: Content-Length, Content-Range, Content-Encoding, ETag, Accept-Ranges\r\n",
            );
        }
        let allow = if opts.upload.is_some() {
            "GET, HEAD, OPTIONS, PUT, POST"
        } else {
            "GET, HEAD, OPTIONS"
        };
        HttpFactory {
            shared: Arc::new(Shared {
                cache: cache::FsCache::new(opts.cache, cache::MAX_ENTRIES),
                root,
                opts,
                out,
                extra,
                allow,
            }),
        }
    }
}

impl ServiceFactory for HttpFactory {
    type Service = HttpConn;

    fn open(&self, info: &ConnInfo) -> HttpConn {
        HttpConn::new(
            Arc::clone(&self.shared),
            info.peer.to_string(),
            Instant::now(),
        )
    }

    fn refusal(&self) -> Option<&[u8]> {
        Some(response::REFUSAL)
    }

    fn batches(&self) -> bool {
        self.shared.cache.is_enabled()
    }

    fn before_answers(&self) {
        self.shared.cache.refresh();
    }

    fn adapt(&self, caps: &crate::engine::Capabilities) {
        if !caps.shared_memory {
            self.shared.cache.disable();
        }
    }
}

/// Validate a `--header 'Name: value'` argument: a token name, a value of visible
/// characters and spaces (no CR, LF or NUL: nothing can be smuggled into a head).
pub fn parse_header_arg(arg: &str) -> Result<(String, String), String> {
    let (name, value) = arg
        .split_once(':')
        .ok_or_else(|| format!("--header {arg:?}: expected 'Name: value'"))?;
    let value = value.trim_matches([' ', '\t']);
    if name.is_empty() || !name.bytes().all(request::is_tchar) {
        return Err(format!("--header {arg:?}: {name:?} is not a header name"));
    }
    if value.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f) {
        return Err(format!("--header {arg:?}: control characters in the value"));
    }
    let reserved = [
        "content-length",
        "transfer-encoding",
        "connection",
        "date",
        "server",
    ];
    if reserved.iter().any(|r| name.eq_ignore_ascii_case(r)) {
        return Err(format!("--header {arg:?}: the server sets {name} itself"));
    }
    Ok((name.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_arguments() {
        assert_eq!(
            parse_header_arg("X-Frame-Options: DENY").unwrap(),
            ("X-Frame-Options".into(), "DENY".into())
        );
        assert!(parse_header_arg("Bad Name: x").is_err());
        assert!(parse_header_arg("X: a\r\nInjected: y").is_err());
        assert!(parse_header_arg("novalue").is_err());
        assert!(parse_header_arg("Content-Length: 5").is_err());
    }
}
