//! The one path of every stream server (`tcp-echo serve`, `heartbeat serve`,
//! `serve-http`, `unix serve`): resolve `-l`, open the `-x` file, set up TLS when
//! asked for, bind one listener (or one per `--workers`) with the listen socket
//! options, then [`engine::serve`] — the ready line once nothing can fail any more,
//! the engine, the summary. With `--tls` the service factory is wrapped in the TLS
//! layer ([`TlsFactory`]), so every engine serves TLS the same way.

use std::net::IpAddr;
use std::sync::Arc;

use serde_json::Value;
use socket2::Socket;

use crate::cli::{TcpServerArgs, TlsServerArgs};
use crate::engine::service::ServiceFactory;
use crate::engine::{self, EngineKind, Ready, ServerConfig, ServerSummary};
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::{Host, HostPort, Transport};
use crate::output::Output;
use crate::tls::{ServerTls, TlsFactory};

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
    let target = HostPort::parse(listen, Transport::Tcp)?;
    let addr = target.resolve_one(args.family.family())?;
    let mut config = args.engine.server_config()?;
    tune(&mut config);
    let tls = server_tls(&args.tls, Some(&target), Some(addr.ip()))?;
    let listeners = args.sockopts.listeners(addr)?;
    let ready = ready(local_label(&listeners[0]));
    serve_stream(
        args.engine.engine,
        listeners,
        factory,
        Served { config, tls },
        out,
        shutdown,
        ready,
    )
}

/// What a stream server serves with besides its factory: the engine's limits and
/// its TLS, if any.
pub struct Served {
    pub config: ServerConfig,
    pub tls: Option<ServerTls>,
}

/// [`engine::serve`], through the TLS layer when `served.tls` is set: the factory is
/// wrapped, the ready line names the certificate, `-x` dumps the plaintext, and the
/// TLS counters follow the summary.
pub fn serve_stream<F: ServiceFactory>(
    kind: EngineKind,
    listeners: Vec<Socket>,
    factory: Arc<F>,
    served: Served,
    out: &Output,
    shutdown: &Shutdown,
    mut ready: Ready<'_>,
) -> anyhow::Result<ServerSummary> {
    let Served { mut config, tls } = served;
    let Some(tls) = tls else {
        return engine::serve(kind, listeners, factory, &config, out, shutdown, ready);
    };
    let (note, fields) = tls_ready(Some(&tls), ready.fields);
    ready.note = note;
    ready.fields = fields;
    let ktls = tls.opts.ktls;
    // The layer sees the plaintext; the driver would dump only records.
    let dump = config.hexdump.take();
    let factory = TlsFactory::new(factory, tls, out, dump);
    let shared = factory.shared();
    let summary = engine::serve(
        kind,
        listeners,
        Arc::new(factory),
        &config,
        out,
        shutdown,
        ready,
    )?;
    shared.counters.report(out, ktls);
    Ok(summary)
}

/// The TLS of a server or listener, set up (certificates read or made) before it
/// binds: `None` without `--tls`. A self-signed certificate is made for the host of
/// `-l` and the address it resolved to (Unix sockets: `localhost`).
pub fn server_tls(
    args: &TlsServerArgs,
    listen: Option<&HostPort>,
    ip: Option<IpAddr>,
) -> anyhow::Result<Option<ServerTls>> {
    let Some(opts) = args.opts() else {
        return Ok(None);
    };
    if opts.ktls {
        crate::net::ktls::probe().map_err(|why| anyhow::anyhow!("--ktls: {why}"))?;
    }
    let host = listen.and_then(|t| match &t.host {
        Host::Name(n) => Some(n.clone()),
        Host::Ip(ip) => Some(ip.to_string()),
        Host::Default => None,
    });
    let names = crate::tls::selfsigned::names_for(host.as_deref(), ip);
    ServerTls::new(&opts, &names).map(Some)
}

/// The note beside `listening on` and the JSON fields with their `tls` object.
pub fn tls_ready(tls: Option<&ServerTls>, mut fields: Value) -> (Option<String>, Value) {
    match tls {
        Some(t) => {
            fields["tls"] = t.json();
            (Some(t.note()), fields)
        }
        None => (None, fields),
    }
}
