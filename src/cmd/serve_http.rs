//! `nettool serve-http`: the static file server (`proto::http`) on any engine.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::cli::{TcpServerArgs, parse_duration};
use crate::cmd::Run;
use crate::cmd::server::serve_tcp;
use crate::engine::{Ready, ServerConfig};
use crate::error::UsageError;
use crate::net::signals::Shutdown;
use crate::output::Output;
use crate::proto::http::fs::Root;
use crate::proto::http::{HttpFactory, HttpOptions};

/// The default port of `serve-http`.
pub const DEFAULT_PORT: u16 = 8080;

/// The send/idle timeout when `--idle-timeout` is not given: a client that stops
/// reading a large file is dropped after this long.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

pub const ABOUT: &str = "Static HTTP/1.1 file server with directory listings: GET and HEAD, \
keep-alive and pipelining, ranges, conditional requests, listings in HTML or JSON \
(Accept: application/json). Nothing outside DIR is ever served. Limits: request line \
8 KiB (414), request head 16 KiB and 64 fields (431), --header-timeout 10s, \
--idle-timeout 60s unless given. One access-log line per request on stderr (-q: off).";

pub const EXAMPLES: &str = "\
Examples:
  nettool serve-http                               serve . on http://127.0.0.1:8080/
  nettool serve-http ~/public -l 0.0.0.0:8000      serve a directory to the network
  nettool -q serve-http . --workers 2              two event loops, no access log
  nettool --json serve-http site --no-listing      JSON access log, no directory listings
  nettool serve-http /mnt/nfs/site --no-cache      a tree changed from other hosts: open per request
  curl -H 'Accept: application/json' http://127.0.0.1:8080/   a listing as JSON";

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
}

impl Run for ServeHttpArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let root = Root::new(&self.dir, self.hidden, self.follow_symlinks)
            .with_context(|| format!("serve {}", self.dir.display()))?;
        if self.header_timeout.is_zero() {
            return Err(UsageError::invalid("--header-timeout must be more than 0").into());
        }
        let factory = HttpFactory::new(
            root.clone(),
            HttpOptions {
                index: (!self.index.is_empty()).then_some(self.index.clone()),
                listing: !self.no_listing,
                header_timeout: self.header_timeout,
                access_log: !out.quiet(),
                // The engine turns it off where connections share no memory (fork).
                cache: !self.no_cache,
            },
            out.clone(),
        );
        let ready = |addr| {
            let fields = json!({"proto": "http", "root": root.canonical.display().to_string()});
            Ready::new(format!("http://{addr}/"), fields)
        };
        let idle = |c: &mut ServerConfig| {
            c.idle_timeout = Some(c.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT));
        };
        let factory = Arc::new(factory);
        serve_tcp(
            &self.listen,
            &self.server,
            factory,
            idle,
            ready,
            out,
            &shutdown,
        )?;
        Ok(())
    }
}
