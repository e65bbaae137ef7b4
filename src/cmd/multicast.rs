//! `nettool multicast`: datagrams to a group — only hosts that joined it receive them.

use std::net::{IpAddr, SocketAddr};

use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::json;

use super::Run;
use super::dgram_args::{RecvOpts, SendOpts, ip_port};
use crate::dgram::recv::run_receiver;
use crate::net::dgram::multicast::{
    McastSend, Membership, multicast_bind_addr, require_multicast, set_multicast_send,
};
use crate::net::dgram::socket::{DEFAULT_RCVBUF, DgramOpts, udp_bind, udp_sender};
use crate::net::iface::Iface;
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::trace::Closing;
use crate::output::{Level, Output};

const SEND_EXAMPLES: &str = "\
Examples:
  nettool multicast send 239.0.0.1:8989 hello -i eth0      one datagram out of eth0
  nettool multicast send [ff02::1234]:8989 hi -i eth0      IPv6, link scope
  nettool multicast send 239.0.0.1:8989 x --ttl 0          stays on this host
  nettool multicast send 239.0.0.1:8989 --probe -n 1000   1000 probes for recv --probe";

const RECV_EXAMPLES: &str = "\
Examples:
  nettool multicast recv 239.0.0.1:8989 -i eth0            join and print datagrams
  nettool multicast recv 232.1.1.1:8989 --source 192.0.2.1   only that source (SSM)
  nettool multicast recv 239.0.0.1:8989 --probe -w 3       loss per sender
  nettool -v multicast recv 239.0.0.1:8989 -i eth0         also names the group's block (239/8)
  nettool multicast recv 224.0.0.251:5353 -i eth0          link-local control: joined, with a warning";

super::subcommand_group!(MulticastArgs => MulticastCommand { Send, Recv, Doctor });

#[derive(Debug, Subcommand)]
pub enum MulticastCommand {
    /// Send datagrams to a multicast group
    #[command(after_long_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// Join a multicast group and print what arrives
    #[command(after_long_help = RECV_EXAMPLES)]
    Recv(RecvArgs),
    /// Find out why a receiver gets nothing: interface, route, rp_filter, join, firewall
    #[command(after_long_help = super::doctor::DOCTOR_EXAMPLES)]
    Doctor(super::doctor::DoctorArgs),
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The group: GROUP:PORT or [V6GROUP]:PORT
    #[arg(value_name = "GROUP:PORT")]
    pub group: String,

    #[command(flatten)]
    pub send: SendOpts,

    /// Send out of this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index)
    #[arg(short, long = "iface", value_name = "IFACE")]
    pub iface: Option<String>,

    /// Hop limit: 0 stays on this host, 1 this link (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = crate::cli::between(0u32, 255))]
    pub ttl: u32,

    /// Deliver a copy to receivers on this host too (the default; IP_MULTICAST_LOOP)
    #[arg(long = "loop", overrides_with = "no_loop")]
    pub loop_: bool,

    /// Do not deliver to receivers on this host (the last of --loop/--no-loop wins)
    #[arg(long = "no-loop", overrides_with = "loop_")]
    pub no_loop: bool,
}

#[derive(Debug, Args)]
pub struct RecvArgs {
    /// The group: GROUP:PORT or [V6GROUP]:PORT
    #[arg(value_name = "GROUP:PORT")]
    pub group: String,

    /// Join on this interface (by index, ip_mreqn); default: the route's interface
    #[arg(short, long = "iface", value_name = "IFACE")]
    pub iface: Option<String>,

    /// Only datagrams from this source (SSM: IP_ADD_SOURCE_MEMBERSHIP; IPv6: MCAST_JOIN_SOURCE_GROUP)
    #[arg(long, value_name = "ADDR")]
    pub source: Option<IpAddr>,

    #[command(flatten)]
    pub recv: RecvOpts,
}

/// `-i NAME`, or the zone of `[ff02::1%eth0]:PORT`.
fn iface_of(name: Option<&str>, group: &SocketAddr) -> anyhow::Result<Option<Iface>> {
    if let Some(n) = name {
        return Iface::by_name(n).map(Some);
    }
    match group {
        SocketAddr::V6(g) if g.scope_id() != 0 => Iface::by_index(g.scope_id()).map(Some),
        _ => Ok(None),
    }
}

/// Name the block of the address space `group` is in (224.0.0.0/24 link-local
/// control, 239.0.0.0/8 administratively scoped, ff02::/16 link-local …): a step under
/// --explain among the calls it explains, and the text the JSON records carry.
fn name_range(group: IpAddr) -> Option<String> {
    let text = crate::net::mcast_range::of(group)?.text();
    crate::net::trace::step("multicast", || format!("group {group} is in {text}"));
    Some(text)
}

/// The same at -v, as a line of its own (a receiver's after its `listening on`).
fn say_range(group: IpAddr, range: Option<&str>) {
    if let Some(text) = range {
        log::info!("group {group} is in {text}");
    }
}

impl Run for SendArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let to = ip_port(&self.group, "a multicast group")?;
        require_multicast(to.ip())?;
        let range = name_range(to.ip());
        say_range(to.ip(), range.as_deref());
        let iface = iface_of(self.iface.as_deref(), &to)?;
        let tap = self.send.diag.tap(out)?;
        let sock = Closing::new(udp_sender(
            to,
            self.send.bind_addr()?,
            &DgramOpts::default(),
        )?);
        let mcast = McastSend {
            iface,
            ttl: self.ttl,
            loopback: !self.no_loop,
        };
        set_multicast_send(&sock, to.is_ipv6(), &mcast)?;
        let stats = self.send.send_unconnected(&sock, to, &tap, &shutdown)?;
        out.event(
            Level::Detail,
            "sent",
            json!({"peer": to.to_string(), "datagrams_out": stats.datagrams, "bytes_out": stats.bytes,
                   "ttl": mcast.ttl, "loop": mcast.loopback, "range": range}),
            || {
                format!(
                    "sent {} ({}) to group {to}",
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
        let group = ip_port(&self.group, "a multicast group")?;
        require_multicast(group.ip())?;
        let iface = iface_of(self.iface.as_deref(), &group)?;
        let opts = DgramOpts {
            reuse_addr: true,
            reuse_port: self.recv.reuse_port,
            rcvbuf: Some(DEFAULT_RCVBUF),
            v6_only: Some(true),
            ..DgramOpts::default()
        };
        let tap = self.recv.diag.tap(out)?;
        let sock = Closing::new(udp_bind(multicast_bind_addr(group), &opts)?);
        let range = name_range(group.ip());
        let membership = Membership::join(&sock, group.ip(), iface.as_ref(), self.source)?;
        let on = iface.as_ref().map(|i| i.name.clone());
        out.listening(
            &local_label(&sock),
            json!({"proto": "udp", "group": group.ip().to_string(), "iface": on,
                   "source": self.source.map(|s| s.to_string())}),
        );
        out.event(
            Level::Info,
            "joined",
            json!({"group": group.ip().to_string(), "iface": on,
                   "source": self.source.map(|s| s.to_string()), "range": range}),
            || {
                let src = self
                    .source
                    .map_or(String::new(), |s| format!(" from source {s}"));
                let on = on.as_deref().map_or(String::new(), |n| format!(" on {n}"));
                format!("joined {}{on}{src}", group.ip())
            },
        );
        // After the ready line, which comes first: what the group's block means.
        say_range(group.ip(), range.as_deref());
        if let Some(w) = crate::net::mcast_range::join_warning(group.ip(), self.source.is_some()) {
            out.warn(&w);
        }
        let res = run_receiver(&sock, &self.recv.job(), out, &shutdown, &tap);
        self.recv.diag.finish(&tap);
        drop(membership);
        res
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cmd::{Cli, Command};

    fn loopback(args: &[&str]) -> bool {
        let mut argv = vec!["nettool", "multicast", "send", "239.1.1.1:5000", "x"];
        argv.extend_from_slice(args);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Multicast(m) => match m.command {
                super::MulticastCommand::Send(s) => !s.no_loop,
                _ => unreachable!(),
            },
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_last_of_loop_and_no_loop_wins() {
        assert!(loopback(&[]));
        assert!(!loopback(&["--no-loop"]));
        assert!(loopback(&["--no-loop", "--loop"]));
        assert!(!loopback(&["--loop", "--no-loop"]));
    }
}
