//! `listen -k` (TCP and Unix): clients served at the same time on an event engine,
//! sharing our stdin and stdout through a hub ([`crate::engine::hub`],
//! [`crate::proto::fanout`]) — ncat's `-k`, `--broker` and `-m`.

use std::sync::Arc;

use socket2::Socket;

use crate::cli::KeepOpenArgs;
use crate::cmd::server::{Served, serve_stream};
use crate::engine::hub::{Hub, HubOpts};
use crate::engine::hub_io::HubLimits;
use crate::engine::{Ready, ServerConfig};
use crate::error::Interrupted;
use crate::net::relay::RelayOpts;
use crate::net::signals::Shutdown;
use crate::output::Output;
use crate::proto::fanout::{FanOutFactory, FanOutOpts};
use crate::tls::ServerTls;

/// Serve `listener` until SIGINT/SIGTERM (exit 130/143, as any listener), stdout
/// closing, or a limit: `-w` without a client (an error if none ever came),
/// `--eof-timeout` after stdin's end. `ready` is the `listening on` line.
pub fn serve(
    listener: Socket,
    ready: Ready<'_>,
    keep: &KeepOpenArgs,
    opts: &RelayOpts,
    tls: Option<ServerTls>,
    shutdown: &Shutdown,
    out: &Output,
) -> anyhow::Result<()> {
    // Checked before the ready line, as every usage error.
    let engine = keep.engine()?;
    let hub = Arc::new(Hub::new(HubOpts {
        read_stdin: !(opts.no_stdin || opts.recv_only),
        crlf: opts.crlf,
    }));
    let factory = Arc::new(FanOutFactory::new(
        hub,
        FanOutOpts {
            broker: keep.broker,
            discard: opts.send_only,
            half_close: !(opts.no_shutdown || opts.no_stdin),
            as_record: opts.as_record,
        },
    ));
    let config = ServerConfig {
        max_connections: keep.max_connections.map(|n| n as usize),
        idle_timeout: opts.idle_timeout,
        hexdump: opts.hexdump.clone(),
        no_reap: false,
        hub_limits: HubLimits {
            alone: opts.idle_timeout,
            after_eof: opts.eof_timeout,
        },
    };
    serve_stream(
        engine,
        vec![listener],
        factory,
        Served { config, tls },
        out,
        shutdown,
        ready,
    )?;
    match shutdown.requested() {
        Some(signal) => Err(Interrupted { signal }.into()),
        None => Ok(()),
    }
}
