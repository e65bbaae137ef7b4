//! `unix relay`: a Unix socket forwarded to a TCP address or another Unix socket, on
//! any engine that can carry a second socket per connection.

use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::cli::EngineOpts;
use crate::cmd::Run;
use crate::cmd::relay_targets::RelayTargets;
use crate::engine::{self, Ready};
use crate::net::Family;
use crate::net::signals::Shutdown;
use crate::net::unix::{UnixBound, UnixKind, UnixListenOpts, unix_bind};
use crate::output::Output;

pub const RELAY_EXAMPLES: &str = "\
Examples:
  nettool unix relay -l /tmp/web.sock 127.0.0.1:80     a TCP service reachable as a socket file
  nettool unix relay -l @front /run/app.sock           abstract name to a socket file (UNIX-CONNECT)
  nettool unix relay -l /tmp/s --mode 0600 --to 127.0.0.1:8081 --to 127.0.0.1:8082
                                                       owner only; round robin over two backends
  nettool -v unix relay -l /tmp/s 127.0.0.1:80 --engine thread -w 1s";

#[derive(Debug, Args)]
pub struct RelayArgs {
    /// Socket path to listen on, or @NAME for the Linux abstract namespace
    #[arg(short, long, value_name = "PATH|@NAME", value_parser = super::target)]
    pub listen: crate::net::UnixTarget,

    #[command(flatten)]
    pub targets: RelayTargets,

    /// Permissions of the socket file, octal (in force from the moment it exists)
    #[arg(long, value_name = "OCTAL", value_parser = super::parse_mode)]
    pub mode: Option<u32>,

    #[command(flatten)]
    pub engine: EngineOpts,
}

impl Run for RelayArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        // Checked before the socket file exists: a refusal leaves none behind.
        self.engine.engine.upstream_support()?;
        let factory = Arc::new(self.targets.factory(Family::Any, out)?);
        let config = self.engine.server_config()?;
        let UnixBound { sock, file, .. } = unix_bind(
            &self.listen,
            UnixKind::Stream,
            &UnixListenOpts { mode: self.mode },
        )?;
        let ready = Ready::new(
            self.listen.to_string(),
            json!({"proto": "unix", "service": "relay", "to": self.targets.shown()}),
        );
        engine::serve(
            self.engine.engine,
            vec![sock],
            factory,
            &config,
            out,
            &shutdown,
            ready,
        )?;
        drop(file);
        Ok(())
    }
}
