//! The one path every datagram server takes — `udp serve`, `unix serve --dgram`,
//! `heartbeat serve --udp`: refuse an engine that cannot serve datagrams and open the
//! `-x` file before anything is bound (a refusal leaves no socket file behind), then
//! [`engine::serve_datagrams`]: the ready line once nothing can fail any more, the
//! datagram engine, the summary.

use crate::cli::EngineOpts;
use crate::engine::dgram::{DatagramService, DgramSummary, Transport};
use crate::engine::{self, EngineKind, Ready, ServerConfig};
use crate::net::signals::Shutdown;
use crate::output::Output;

/// A datagram server whose options have been checked.
pub struct DgramServer {
    kind: EngineKind,
    config: ServerConfig,
}

impl DgramServer {
    /// Check `--engine` (fork, thread and the reactor are refused, exit 2) and open
    /// the `-x` file: call before binding.
    pub fn prepare(opts: &EngineOpts) -> anyhow::Result<DgramServer> {
        opts.engine.datagram_support()?;
        Ok(DgramServer {
            kind: opts.engine,
            config: opts.server_config()?,
        })
    }

    /// Serve `transport` with `svc` until SIGINT/SIGTERM (or the service stops).
    pub fn serve<T: Transport, S: DatagramService>(
        self,
        transport: T,
        svc: &mut S,
        ready: Ready<'_>,
        out: &Output,
        shutdown: &Shutdown,
    ) -> anyhow::Result<DgramSummary> {
        engine::serve_datagrams(
            self.kind,
            transport,
            svc,
            &self.config,
            out,
            shutdown,
            ready,
        )
    }
}
