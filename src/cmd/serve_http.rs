//! `nettool serve-http`: the static file server (`proto::http`) on any engine.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::cli::{TcpServerArgs, parse_duration, parse_size};
use crate::cmd::Run;
use crate::cmd::server::serve_tcp;
use crate::engine::{Ready, ServerConfig};
use crate::error::UsageError;
use crate::net::signals::Shutdown;
use crate::output::Output;
use crate::proto::http::auth::Auth;
use crate::proto::http::fs::{Root, encode_segment};
use crate::proto::http::upload::UploadOptions;
use crate::proto::http::{HttpFactory, HttpOptions, parse_header_arg};

/// The default port of `serve-http`.
pub const DEFAULT_PORT: u16 = 8080;

/// The send/idle timeout when `--idle-timeout` is not given: a client that stops
/// reading a large file is dropped after this long.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

pub const ABOUT: &str = "Static HTTP/1.1 file server with directory listings: GET, HEAD and \
OPTIONS, keep-alive and pipelining, chunked request bodies, ranges (several give \
multipart/byteranges), conditional requests in RFC 9110's order, listings in HTML or JSON \
(negotiated from Accept, sortable with ?sort=name|size|time&order=asc|desc). Optional: \
precompressed .br/.zst/.gz siblings, on-the-fly gzip, Cache-Control, CORS, extra headers, \
Basic auth, uploads by PUT or the listing's form, a single-page-app fallback. Nothing \
outside DIR is ever served or written. Limits: request line 8 KiB (414), request head \
16 KiB and 64 fields (431), --header-timeout 10s, --idle-timeout 60s unless given. One \
access-log line per request on stderr (-q: off), written when the response is sent.";

pub const EXAMPLES: &str = "\
Examples:
  nettool serve-http                               serve . on http://127.0.0.1:8080/
  nettool serve-http ~/public -l 0.0.0.0:8000      serve a directory to the network
  nettool -q serve-http . --workers 2              two event loops, no access log
  nettool --json serve-http site --no-listing      JSON access log, no directory listings
  nettool serve-http /mnt/nfs/site --no-cache      a tree changed from other hosts: open per request
  curl -H 'Accept: application/json' http://127.0.0.1:8080/   a listing as JSON
  curl 'http://127.0.0.1:8080/?sort=size&order=desc'   a listing, largest first (also time, name)
  nettool serve-http dist --precompressed          serve app.js.br / app.js.gz to clients that accept them
  nettool serve-http . --compress                  gzip listings and text files up to 1 MiB on the fly
  nettool serve-http dist --cache-control 'max-age=3600'   let browsers keep files for an hour
  nettool serve-http data --cors                   let pages of any origin fetch the files
  nettool serve-http . --header 'X-Frame-Options: DENY'   add a header to every response (repeatable)
  nettool serve-http . --auth alice:s3cret         ask for a user name and password
  nettool serve-http . --auth-file users           users from `htpasswd -nB alice` lines (bcrypt or argon2)
  nettool serve-http inbox --upload --max-upload 1G   accept uploads (PUT, or the listing's form)
  nettool serve-http inbox --upload --overwrite    let uploads replace files (204)
  curl -T report.pdf http://127.0.0.1:8080/report.pdf   upload a file with PUT (201, or 409 if it exists)
  nettool serve-http dist --spa index.html         a single-page app: unknown paths get index.html
  nettool serve-http --tls                         HTTPS with a self-signed cert (SHA-256 printed)
  nettool serve-http --tls --cert fullchain.pem --key key.pem -l 0.0.0.0:8443
  nettool serve-http --tls --ktls site             the kernel encrypts: files still go by sendfile(2)
  curl --cacert ca.pem https://localhost:8443/     or curl -k for the self-signed one";

/// The arguments of `serve-http`.
#[derive(Debug, Args)]
pub struct ServeHttpArgs {
    /// Directory to serve; nothing outside it is ever sent
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    #[command(flatten)]
    pub server: TcpServerArgs,

    /// File served for a directory when it exists
    #[arg(long, value_name = "NAME", default_value = "index.html")]
    pub index: String,

    /// Answer 403 for directories without an index instead of listing them
    #[arg(long)]
    pub no_listing: bool,

    /// Serve and list dotfiles (hidden by default: 404)
    #[arg(long)]
    pub hidden: bool,

    /// Follow symlinks that lead outside DIR (refused with 403 by default)
    #[arg(long)]
    pub follow_symlinks: bool,

    /// Close a connection whose request head is not complete this long after the
    /// server started waiting for it (slowloris defence; also the keep-alive timeout)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration,
          default_value = "10s")]
    pub header_timeout: Duration,

    /// Open and stat files on every request instead of keeping them open until inotify
    /// reports a change (for trees changed through shared mmap or by other hosts on a
    /// network filesystem, which inotify does not see)
    #[arg(long)]
    pub no_cache: bool,

    /// Serve F.br, F.zst or F.gz next to F with Content-Encoding when the client's
    /// Accept-Encoding allows (each with its own ETag; ranges apply to the encoded
    /// bytes)
    #[arg(long)]
    pub precompressed: bool,

    /// Gzip listings and text files (HTML, CSS, JavaScript, JSON, SVG, …) of at most
    /// --compress-max bytes on the fly for clients that accept gzip
    #[arg(long)]
    pub compress: bool,

    /// Largest file --compress compresses
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "1M",
          requires = "compress")]
    pub compress_max: usize,

    /// Cache-Control value for files (default: none; listings always say no-cache)
    #[arg(long, value_name = "VALUE")]
    pub cache_control: Option<String>,

    /// Allow cross-origin reads: Access-Control-Allow-Origin: * on every response, and
    /// answers to preflight OPTIONS requests (GET and HEAD only)
    #[arg(long)]
    pub cors: bool,

    /// Add a header line to every response, e.g. 'X-Frame-Options: DENY' (repeatable)
    #[arg(long = "header", value_name = "'NAME: VALUE'")]
    pub headers: Vec<String>,

    /// Require HTTP Basic authentication with this user and password (repeatable;
    /// visible to other local users in the process list: prefer --auth-file)
    #[arg(long, value_name = "USER:PASS")]
    pub auth: Vec<String>,

    /// Require HTTP Basic authentication for the users in FILE: lines `user:HASH` with
    /// an argon2 ($argon2id$…) or bcrypt ($2b$…, as `htpasswd -nB` writes) hash
    #[arg(long, value_name = "FILE")]
    pub auth_file: Option<PathBuf>,

    /// Accept uploads: PUT /dir/name, or a multipart/form-data POST from the
    /// listing page's form (written to a temporary file, then renamed into place)
    #[arg(long)]
    pub upload: bool,

    /// Largest upload accepted (413 beyond it)
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "100M",
          requires = "upload")]
    pub max_upload: usize,

    /// Let uploads replace existing files (otherwise 409)
    #[arg(long, requires = "upload")]
    pub overwrite: bool,

    /// Serve FILE (a path below DIR) with 200 for every path that does not exist, as a
    /// single-page application wants
    #[arg(long, value_name = "FILE")]
    pub spa: Option<PathBuf>,

    /// After each TLS handshake hand the record keys to the kernel (kernel TLS, tls(7)), so
    /// file bodies still go out with sendfile(2); fails at start where the kernel has no TLS
    #[arg(long, requires = "tls", help_heading = "TLS")]
    pub ktls: bool,
}

impl ServeHttpArgs {
    /// The optional features, validated (usage errors name the flag).
    fn features(&self, root: &Root) -> anyhow::Result<HttpOptions> {
        let headers = self
            .headers
            .iter()
            .map(|h| parse_header_arg(h).map_err(UsageError::invalid))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(cc) = &self.cache_control {
            parse_header_arg(&format!("Cache-Control: {cc}"))
                .map_err(|e| UsageError::invalid(e.replace("--header", "--cache-control")))?;
        }
        let auth = if self.auth.is_empty() && self.auth_file.is_none() {
            None
        } else {
            Some(Arc::new(
                Auth::new(&self.auth, self.auth_file.as_deref()).map_err(UsageError::invalid)?,
            ))
        };
        let spa = match &self.spa {
            None => None,
            Some(p) => {
                let rel = p.strip_prefix(&root.canonical).unwrap_or(p);
                let mut raw = String::new();
                for c in rel.components() {
                    match c {
                        std::path::Component::Normal(n) => {
                            raw.push('/');
                            raw.push_str(&encode_segment(std::os::unix::ffi::OsStrExt::as_bytes(
                                n,
                            )));
                        }
                        std::path::Component::CurDir => {}
                        _ => {
                            return Err(UsageError::invalid(format!(
                                "--spa {}: give a path below DIR",
                                p.display()
                            ))
                            .into());
                        }
                    }
                }
                let clean = crate::proto::http::fs::clean_path(raw.as_bytes()).map_err(|_| {
                    UsageError::invalid(format!("--spa {}: not a usable path", p.display()))
                })?;
                match root.resolve(&clean) {
                    Ok(crate::proto::http::fs::Resolved::File(..)) => Some(raw),
                    _ => {
                        return Err(UsageError::invalid(format!(
                            "--spa {}: no such file below {}",
                            p.display(),
                            root.canonical.display()
                        ))
                        .into());
                    }
                }
            }
        };
        Ok(HttpOptions {
            precompressed: self.precompressed,
            compress: self.compress.then_some(self.compress_max as u64),
            cache_control: self.cache_control.clone(),
            cors: self.cors,
            headers,
            auth,
            upload: self.upload.then_some(UploadOptions {
                max: self.max_upload as u64,
                overwrite: self.overwrite,
            }),
            spa,
            ..HttpOptions::default()
        })
    }
}

impl Run for ServeHttpArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let root = Root::new(&self.dir, self.hidden, self.follow_symlinks)
            .with_context(|| format!("serve {}", self.dir.display()))?;
        if self.header_timeout.is_zero() {
            return Err(UsageError::invalid("--header-timeout must be more than 0").into());
        }
        let features = self.features(&root)?;
        let factory = HttpFactory::new(
            root.clone(),
            HttpOptions {
                index: (!self.index.is_empty()).then_some(self.index.clone()),
                listing: !self.no_listing,
                header_timeout: self.header_timeout,
                access_log: !out.quiet(),
                // The engine turns it off where connections share no memory (fork).
                cache: !self.no_cache,
                ..features
            },
            out.clone(),
        );
        let scheme = if self.server.tls.tls { "https" } else { "http" };
        let ready = |addr| {
            let fields = json!({"proto": "http", "root": root.canonical.display().to_string()});
            Ready::new(format!("{scheme}://{addr}/"), fields)
        };
        let mut server = self.server.clone();
        server.tls.ktls = self.ktls;
        if server.tls.alpn.is_empty() {
            // What this server speaks; a client offering only h2 is refused.
            server.tls.alpn = vec!["http/1.1".into(), "http/1.0".into()];
        }
        let idle = |c: &mut ServerConfig| {
            c.idle_timeout = Some(c.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT));
        };
        let factory = Arc::new(factory);
        serve_tcp(&self.listen, &server, factory, idle, ready, out, &shutdown)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every option a user may not guess the use of has an example in --help.
    #[test]
    fn every_feature_flag_has_an_example() {
        for flag in [
            "--precompressed",
            "--compress",
            "--cache-control",
            "--cors",
            "--header",
            "--auth ",
            "--auth-file",
            "--upload",
            "--max-upload",
            "--overwrite",
            "--spa",
            "--no-cache",
            "--no-listing",
            "--workers",
            "sort=size",
        ] {
            assert!(
                EXAMPLES.lines().any(|l| l.contains(flag)),
                "no --help example for {flag}"
            );
        }
        let mut cmd = crate::cmd::Cli::command();
        let sub = cmd.find_subcommand_mut("serve-http").unwrap();
        let help = sub.render_long_help().to_string();
        assert!(help.contains("--precompressed") && help.contains("Examples:"));
    }
}
