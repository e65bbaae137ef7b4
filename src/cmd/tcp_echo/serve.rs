//! `tcp-echo serve`: the echo service on any engine.

use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use super::DEFAULT_PORT;
use crate::cli::TcpServerArgs;
use crate::cmd::Run;
use crate::cmd::server::serve_tcp;
use crate::engine::Ready;
use crate::net::signals::Shutdown;
use crate::output::Output;
use crate::proto::echo::EchoFactory;

pub const SERVE_EXAMPLES: &str = "\
Examples:
  nettool tcp-echo serve                           echo on 127.0.0.1:7007 (taken: says who holds it)
  nettool tcp-echo serve -l 0 --engine poll        a free port, one poll(2) loop
  nettool -v tcp-echo serve --engine fork          a process per connection, logged
  nettool tcp-echo serve --max-connections 100 --idle-timeout 30s
  nettool tcp-echo serve --sndbuf 4k --rcvbuf 4k   tiny kernel buffers: watch short writes
  nettool tcp-echo serve --no-reuseaddr -l :7007   a restart fails naming the TIME-WAIT socket
  nettool tcp-echo serve -x - 2>dump.txt           hex dump of every connection's bytes
  nettool --explain tcp-echo serve                 every socket and epoll_ctl call, in C terms
  nettool --dry-run tcp-echo serve --reuseport     the setup calls only, then exit
  nettool --explain=io tcp-echo serve              and each epoll_wait, recv, send (a few per fd)
  nettool --explain=io tcp-echo serve --engine io-uring   the ring, its registered files, each SQE
  kill -USR1 $(pidof nettool)                      a running server prints its statistics";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    #[command(flatten)]
    pub server: TcpServerArgs,
}

impl Run for ServeArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let ready = |addr| Ready::new(addr, json!({"proto": "tcp", "service": "echo"}));
        let factory = Arc::new(EchoFactory);
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
