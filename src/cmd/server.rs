//! The one path of every TCP stream server (`tcp-echo serve`, `heartbeat serve`,
//! `serve-http`): resolve `-l`, open the `-x` file, bind one listener (or one per
//! `--workers`) with the listen socket options, then [`engine::serve`] — the ready
//! line once nothing can fail any more, the engine, the summary.

use std::sync::Arc;

use crate::cli::TcpServerArgs;
use crate::engine::service::ServiceFactory;
use crate::engine::{self, Ready, ServerConfig, ServerSummary};
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::{HostPort, Transport};
use crate::output::Output;

/// Serve `factory` on `listen` until SIGINT/SIGTERM. `tune` adjusts the limits the
/// engine options gave (a service's own defaults); `ready` turns the bound address
/// into the ready line and its JSON fields.
pub fn serve_tcp<F: ServiceFactory>(
    listen: &str,
    args: &TcpServerArgs,
    factory: Arc<F>,
    tune: impl FnOnce(&mut ServerConfig),
    ready: impl FnOnce(String) -> Ready<'static>,
    out: &Output,
    shutdown: &Shutdown,
) -> anyhow::Result<ServerSummary> {
    let addr = HostPort::parse(listen, Transport::Tcp)?.resolve_one(args.family.family())?;
    let mut config = args.engine.server_config()?;
    tune(&mut config);
    let listeners = args.sockopts.listeners(addr)?;
    let ready = ready(local_label(&listeners[0]));
    engine::serve(
        args.engine.engine,
        listeners,
        factory,
        &config,
        out,
        shutdown,
        ready,
    )
}
