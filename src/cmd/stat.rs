//! `nettool stat`: sockets and their TCP states, as `ss` shows them, plus a live
//! `--watch` of transitions, `-g` multicast memberships and `--packets`, the segments
//! on the wire beside the states. Thin: flags → a [`Query`] and [`ViewOpts`], then
//! [`crate::stat::report::run`] (or [`crate::stat::packets::run`]).

use std::time::Duration;

use clap::Args;

use super::Run;
use crate::cli::{FamilyOpts, parse_duration};
use crate::error::UsageError;
use crate::output::Output;
use crate::stat::packets::Options as PacketOptions;
use crate::stat::report::{self, Mode};
use crate::stat::view::ViewOpts;
use crate::stat::watch::WatchOpts;
use crate::stat::{Query, Source, StateSet};

pub const EXAMPLES: &str = "\
Examples:
  nettool stat                         connected TCP and UDP sockets (like ss)
  nettool stat -tan                    every TCP socket, numeric
  nettool stat -tlp                    listening TCP sockets and their processes
  nettool stat -to --state time-wait   TIME-WAIT sockets with their countdown
  nettool stat -ti --dport 443         TCP internals of connections to port 443
  nettool stat -xa                     Unix sockets
  nettool stat -s                      totals per protocol and per state
  nettool stat -g                      multicast group memberships per interface
  nettool stat -ta --watch 1s          redraw every second, marking changes
  nettool stat --json -ta --watch 500ms   state changes as JSON lines
  sudo nettool stat --packets --iface lo --dport 7007
                                       every segment to or from port 7007 on lo, with
                                       the TCP states between (needs CAP_NET_RAW)
  sudo nettool stat --packets -t -c 3 --dport 7007   just a handshake: SYN, SYN-ACK, ACK
  sudo nettool stat --packets --absolute --dport 7007   raw sequence numbers (ISN + n)
  sudo nettool stat --packets -u -w 10s --iface lo    UDP datagrams on lo for 10 s";

#[derive(Debug, Args)]
pub struct StatArgs {
    /// TCP sockets
    #[arg(short = 't', long)]
    pub tcp: bool,

    /// UDP sockets
    #[arg(short = 'u', long)]
    pub udp: bool,

    /// Unix domain sockets
    #[arg(short = 'x', long)]
    pub unix: bool,

    /// Only listening sockets (and unconnected UDP/Unix datagram sockets)
    #[arg(short = 'l', long, conflicts_with = "all")]
    pub listening: bool,

    /// Sockets in every state (default: connected ones without TIME-WAIT and SYN-RECV)
    #[arg(short = 'a', long)]
    pub all: bool,

    /// Numeric ports (no service names from /etc/services)
    #[arg(short = 'n', long)]
    pub numeric: bool,

    /// Resolve host addresses to names
    #[arg(short = 'r', long, conflicts_with = "numeric")]
    pub resolve: bool,

    /// Show the processes holding each socket (name, pid, fd)
    #[arg(short = 'p', long)]
    pub processes: bool,

    /// Show uid and inode
    #[arg(short = 'e', long)]
    pub extended: bool,

    /// Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes
    #[arg(short = 'i', long)]
    pub info: bool,

    /// Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)
    #[arg(short = 'o', long = "options")]
    pub timers: bool,

    /// Print totals per protocol, family and state
    #[arg(short = 's', long, conflicts_with_all = ["groups", "watch", "packets"])]
    pub summary: bool,

    /// Print multicast group memberships per interface (netstat -g)
    #[arg(short = 'g', long, conflicts_with_all = ["watch", "packets"])]
    pub groups: bool,

    /// Show the packets: one line per TCP segment (flags, seq/ack relative to each
    /// side's ISN, window, options) or UDP datagram, with the TCP state changes of the
    /// sockets between them; needs CAP_NET_RAW. --sport/--dport match a port on either
    /// end (both given: the two ends); -t/-u, -4/-6 as for sockets
    #[arg(long, conflicts_with_all = ["watch", "unix", "listening", "processes", "extended",
          "info", "timers", "state", "pid", "self_", "use_proc", "resolve"])]
    pub packets: bool,

    /// With --packets: capture on this interface only (default: lo and every other)
    #[arg(long, value_name = "IFACE", requires = "packets")]
    pub iface: Option<String>,

    /// With --packets: raw sequence and acknowledgement numbers, not relative to the ISN
    #[arg(long, requires = "packets")]
    pub absolute: bool,

    /// With --packets: stop after this long (exit 1 if nothing was seen)
    #[arg(short = 'w', long = "timeout", value_name = "DURATION", requires = "packets",
          value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    #[command(flatten)]
    pub family: FamilyOpts,

    /// Only these states (TCP diagram names, or all, connected, synchronized, bucket, big)
    #[arg(long, value_name = "STATE", num_args = 1.., value_parser = StateSet::parse)]
    pub state: Vec<StateSet>,

    /// Only sockets with this local port
    #[arg(long, value_name = "PORT")]
    pub sport: Option<u16>,

    /// Only sockets with this peer port
    #[arg(long, value_name = "PORT")]
    pub dport: Option<u16>,

    /// Only sockets held open by this process
    #[arg(long, value_name = "PID", conflicts_with = "self_")]
    pub pid: Option<i32>,

    /// Only sockets held open by the process that started nettool (a shell, a script)
    #[arg(long = "self", id = "self_")]
    pub self_: bool,

    /// Refresh every DURATION, marking new (+) and closed (-) sockets and state changes
    /// (~ FROM→); with --json: the first snapshot as "socket" lines, then one line per
    /// change ("new", "closed", "state" with "from" and "to")
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub watch: Option<Duration>,

    /// With --watch: stop after this many snapshots; with --packets: after this many
    /// packets
    #[arg(short = 'c', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Read /proc/net instead of netlink sock_diag (what netstat reads; no timers,
    /// tcp_info, listener backlogs or Unix queues there)
    #[arg(long = "proc", env = "NETTOOL_STAT_PROC")]
    pub use_proc: bool,
}

impl Run for StatArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        if self.watch.is_some_and(|d| d.is_zero()) {
            return Err(UsageError::invalid("--watch needs an interval above zero").into());
        }
        if self.count.is_some() && self.watch.is_none() && !self.packets {
            return Err(UsageError::invalid("--count needs --watch or --packets").into());
        }
        let any_proto = self.tcp || self.udp || self.unix;
        if self.packets {
            return crate::stat::packets::run(
                &PacketOptions {
                    tcp: self.tcp || !any_proto,
                    udp: self.udp || !any_proto,
                    family: self.family.family(),
                    sport: self.sport,
                    dport: self.dport,
                    iface: self.iface,
                    count: self.count,
                    timeout: self.timeout,
                    absolute: self.absolute,
                },
                out,
            );
        }
        let states = if !self.state.is_empty() {
            self.state.iter().fold(StateSet::none(), |a, s| a.union(*s))
        } else if self.all {
            StateSet::all()
        } else if self.listening {
            StateSet::listening()
        } else {
            StateSet::default()
        };
        let pid = match (self.pid, self.self_) {
            (Some(p), _) => Some(p),
            (None, true) => Some(nix::unistd::getppid().as_raw()),
            (None, false) => None,
        };
        let query = Query {
            tcp: self.tcp || !any_proto,
            udp: self.udp || !any_proto,
            unix: self.unix || (self.summary && !any_proto),
            family: self.family.family(),
            states,
            sport: self.sport,
            dport: self.dport,
            processes: self.processes,
            tcp_info: self.info,
            pid,
            source: if self.use_proc {
                Source::Proc
            } else {
                Source::Auto
            },
        };
        let view = ViewOpts {
            numeric: self.numeric,
            resolve: self.resolve,
            netid: report::needs_netid(&query),
            processes: self.processes,
            extended: self.extended,
            timers: self.timers,
            info: self.info,
        };
        let mode = if self.summary {
            Mode::Summary
        } else if self.groups {
            Mode::Groups
        } else if let Some(interval) = self.watch {
            Mode::Watch(WatchOpts {
                interval,
                count: self.count,
                json: false,
            })
        } else {
            Mode::List
        };
        report::run(&query, &view, mode, out.json())
    }
}
