//! `unix serve`: the echo service on a Unix socket.

use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::cli::{EngineOpts, TlsServerArgs};
use crate::cmd::Run;
use crate::cmd::dgram_serve::DgramServer;
use crate::cmd::server::{Served, serve_stream, server_tls};
use crate::engine::Ready;
use crate::engine::dgram::unix::UnixDgram;
use crate::net::signals::Shutdown;
use crate::net::unix::{UnixBound, UnixKind, UnixListenOpts, unix_bind};
use crate::output::{Level, Output};
use crate::proto::echo::{DatagramEcho, EchoFactory};

pub const SERVE_EXAMPLES: &str = "\
Examples:
  nettool unix serve /tmp/echo.sock                  stream echo on a socket file
  nettool unix serve @echo --engine poll             abstract name, one poll(2) loop
  nettool unix serve --dgram /tmp/echo.dgram         datagram echo to each sender
  nettool -v unix serve --dgram @echo --engine poll  log each datagram with its sender's pid
  nettool --explain=io unix serve --dgram @echo      each recvmsg and sendto, in C terms
  nettool -v unix serve --mode 0600 /run/me.sock     owner only; log peer pid/uid/gid

  nettool unix serve --tls @secure --engine poll     TLS echo, self-signed for localhost";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Socket path, or @NAME for the Linux abstract namespace
    #[arg(value_name = "PATH|@NAME", value_parser = super::target)]
    pub path: crate::net::UnixTarget,

    /// Datagram socket (SOCK_DGRAM): each datagram is echoed to its sender
    #[arg(long, conflicts_with = "tls")]
    pub dgram: bool,

    /// Permissions of the socket file, octal (in force from the moment it exists)
    #[arg(long, value_name = "OCTAL", value_parser = super::parse_mode)]
    pub mode: Option<u32>,

    #[command(flatten)]
    pub engine: EngineOpts,

    #[command(flatten)]
    pub tls: TlsServerArgs,
}

impl Run for ServeArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        // Caught before anything exists: a signal at any point after this is a clean
        // stop that removes the socket file.
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let kind = if self.dgram {
            UnixKind::Datagram
        } else {
            UnixKind::Stream
        };
        // Checked before the socket file exists: a refused engine leaves none behind.
        let dgram_server = self
            .dgram
            .then(|| DgramServer::prepare(&self.engine))
            .transpose()?;
        let config = self.engine.server_config()?;
        let tls = server_tls(&self.tls, None, None)?;
        let UnixBound {
            sock,
            file,
            replaced_stale,
        } = unix_bind(&self.path, kind, &UnixListenOpts { mode: self.mode })?;
        let stale = || {
            if replaced_stale {
                out.event(
                    Level::Detail,
                    "stale_replaced",
                    json!({"path": self.path.to_string()}),
                    || format!("replaced a stale socket file at {}", self.path),
                );
            }
        };
        let ready = Ready {
            addr: self.path.to_string(),
            fields: json!({"proto": kind.name(), "service": "echo"}),
            note: None,
            then: Some(&stale),
        };
        match dgram_server {
            Some(server) => {
                let transport = UnixDgram::new(sock).context("prepare the Unix datagram socket")?;
                server.serve(
                    transport,
                    &mut DatagramEcho::new(None),
                    ready,
                    out,
                    &shutdown,
                )?;
            }
            None => {
                serve_stream(
                    self.engine.engine,
                    vec![sock],
                    Arc::new(EchoFactory),
                    Served { config, tls },
                    out,
                    &shutdown,
                    ready,
                )?;
            }
        }
        drop(file);
        Ok(())
    }
}
