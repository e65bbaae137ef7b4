//! `tcp-echo relay`: port forwarding on any engine that can carry a second socket per
//! connection (every one but the reactor, io-uring and busy-poll); with `--tls` it
//! terminates TLS (the layer wraps the relay like any service: clients speak TLS, the
//! targets plain TCP or Unix).

use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::cli::TcpServerArgs;
use crate::cmd::Run;
use crate::cmd::relay_targets::RelayTargets;
use crate::cmd::server::serve_tcp;
use crate::engine::Ready;
use crate::net::signals::Shutdown;
use crate::output::Output;

pub const RELAY_EXAMPLES: &str = "\
Examples:
  nettool tcp-echo relay -l :8080 127.0.0.1:80     forward port 8080 to port 80 (socat TCP-LISTEN:8080,fork TCP:…)
  nettool tcp-echo relay -l :5432 /run/postgresql/.s.PGSQL.5432    a Unix socket served on TCP
  nettool tcp-echo relay -l 0 @backend             to an abstract Unix name, on a free port
  nettool tcp-echo relay -l :8080 --to 127.0.0.1:8081 --to 127.0.0.1:8082
                                                   round robin over two backends (next on failure)
  nettool tcp-echo relay -l :8080 --balance first --to 127.0.0.1:8081 --to 127.0.0.1:8082
                                                   the first that answers: a fallback, not a spread
  nettool tcp-echo relay -l :8080 -w 2s db:5432    give up on a target after 2 s (and try the next)
  nettool tcp-echo relay -l :8443 --tls --cert c.pem --key k.pem 127.0.0.1:80
                                                   TLS ends here, plain TCP behind (socat OPENSSL-LISTEN:8443,fork TCP:…)
  nettool -v tcp-echo relay -l :8080 127.0.0.1:80 --engine poll --max-connections 100
  nettool tcp-echo relay -l :8080 127.0.0.1:80 -x - 2>dump.txt   hex dump of both directions
  kill -USR1 $(pidof nettool)                      a running relay prints its statistics";

#[derive(Debug, Args)]
pub struct RelayArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR")]
    pub listen: String,

    #[command(flatten)]
    pub targets: RelayTargets,

    #[command(flatten)]
    pub server: TcpServerArgs,
}

impl Run for RelayArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        self.server.engine.engine.upstream_support()?;
        let factory = Arc::new(self.targets.factory(self.server.family.family(), out)?);
        let to = self.targets.shown();
        let ready = |addr| Ready::new(addr, json!({"proto": "tcp", "service": "relay", "to": to}));
        serve_tcp(
            &self.listen,
            &self.server,
            factory,
            |_| {},
            ready,
            out,
            &shutdown,
        )?;
        Ok(())
    }
}
