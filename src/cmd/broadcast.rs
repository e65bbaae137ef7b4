//! `nettool broadcast`: datagrams to every host on a link (IPv4 only; IPv6 has no
//! broadcast, it uses the all-nodes multicast group ff02::1 instead).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::Context;
use clap::{ArgGroup, Args, Subcommand};
use serde_json::json;

use super::Run;
use super::dgram_args::{RecvOpts, SendOpts};
use crate::dgram::recv::run_receiver;
use crate::net::dgram::socket::{DEFAULT_RCVBUF, DgramOpts, udp_bind, udp_sender, wildcard};
use crate::net::iface::Iface;
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::trace::Closing;
use crate::output::{Level, Output};

const SEND_EXAMPLES: &str = "\
Examples:
  nettool broadcast send 9999 hello -i eth0        to eth0's broadcast address
  nettool broadcast send 9999 hi --to 192.0.2.255   to a given broadcast address
  nettool broadcast send 9999 --probe -n 100 -i eth0   probes for recv --probe";

const RECV_EXAMPLES: &str = "\
Examples:
  nettool broadcast recv 9999                      everything broadcast to port 9999
  nettool broadcast recv 9999 -i eth0 -n 1         one datagram that came in on eth0
  nettool --json broadcast recv 9999 -w 5          JSON records; fail after 5 s idle";

super::subcommand_group!(BroadcastArgs => BroadcastCommand { Send, Recv });

#[derive(Debug, Subcommand)]
pub enum BroadcastCommand {
    /// Broadcast datagrams (SO_BROADCAST) on an interface or to an address
    #[command(after_long_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// Receive broadcast datagrams on a port (several receivers may share it)
    #[command(after_long_help = RECV_EXAMPLES)]
    Recv(RecvArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("dest").required(true).multiple(true).args(["iface", "to"])))]
pub struct SendArgs {
    /// Destination port (a number, :PORT or a UDP service name)
    #[arg(value_name = "PORT", value_parser = crate::net::services::udp_port_arg)]
    pub port: u16,

    #[command(flatten)]
    pub send: SendOpts,

    /// Send out of this interface, to its broadcast address (unless --to is given)
    #[arg(short, long = "iface", value_name = "IFACE")]
    pub iface: Option<String>,

    /// Broadcast address to send to (e.g. 192.0.2.255 or 255.255.255.255)
    #[arg(long, value_name = "ADDR")]
    pub to: Option<Ipv4Addr>,
}

#[derive(Debug, Args)]
pub struct RecvArgs {
    /// Port to receive on (a number, :PORT or a UDP service name)
    #[arg(value_name = "PORT", value_parser = crate::net::services::udp_port_arg)]
    pub port: u16,

    /// Only datagrams that arrive on this interface (SO_BINDTODEVICE)
    #[arg(short, long = "iface", value_name = "IFACE")]
    pub iface: Option<String>,

    #[command(flatten)]
    pub recv: RecvOpts,
}

impl Run for SendArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let iface = self.iface.as_deref().map(Iface::by_name).transpose()?;
        let dest = match (self.to, &iface) {
            (Some(ip), _) => ip,
            (None, Some(i)) => i.broadcast_addr()?,
            (None, None) => unreachable!("clap requires -i or --to"),
        };
        let to = SocketAddr::new(IpAddr::V4(dest), self.port);
        let opts = DgramOpts {
            broadcast: true,
            device: iface.as_ref().map(|i| i.name.clone()),
            ..DgramOpts::default()
        };
        let tap = self.send.diag.tap(out)?;
        let sock = Closing::new(udp_sender(to, self.send.bind_addr()?, &opts)?);
        let stats = self.send.send_unconnected(&sock, to, &tap, &shutdown)?;
        out.event(
            Level::Detail,
            "sent",
            json!({"peer": to.to_string(), "datagrams_out": stats.datagrams, "bytes_out": stats.bytes}),
            || {
                format!(
                    "broadcast {} ({}) to {to}",
                    crate::text::plural(stats.datagrams, "datagram"),
                    crate::text::plural(stats.bytes, "byte")
                )
            },
        );
        Ok(())
    }
}

impl Run for RecvArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let iface = self.iface.as_deref().map(Iface::by_name).transpose()?;
        // Bound to the wildcard: a broadcast is addressed to x.x.x.255, not to us.
        let opts = DgramOpts {
            reuse_addr: true,
            reuse_port: self.recv.reuse_port,
            device: iface.as_ref().map(|i| i.name.clone()),
            rcvbuf: Some(DEFAULT_RCVBUF),
            ..DgramOpts::default()
        };
        let tap = self.recv.diag.tap(out)?;
        let sock = Closing::new(udp_bind(wildcard(false, self.port), &opts)?);
        out.listening(
            &local_label(&sock),
            json!({"proto": "udp", "broadcast": true, "iface": iface.as_ref().map(|i| &i.name)}),
        );
        let res = run_receiver(&sock, &self.recv.job(), out, &shutdown, &tap);
        self.recv.diag.finish(&tap);
        res
    }
}
