//! `nettool stat`: sockets and their TCP states, as `ss` shows them, plus a live
//! `--watch` of transitions, `-g` multicast memberships and `--packets`, the segments
//! on the wire beside the states. Thin: flags → a [`Query`] and [`ViewOpts`], then
//! [`crate::stat::report::run`] (or [`crate::stat::packets::run`]).

use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::Run;
use crate::cli::{FamilyOpts, parse_duration, parse_size};
use crate::error::UsageError;
use crate::net::signals::Shutdown;
use crate::output::Output;
use crate::stat::packets::Options as PacketOptions;
use crate::stat::report::{self, Mode};
use crate::stat::view::ViewOpts;
use crate::stat::watch::WatchOpts;
use crate::stat::{Query, Source, StateSet};

pub const EXAMPLES: &str = "\
Examples:
  nettool stat                         connected TCP, UDP and Unix sockets (like ss)
  nettool stat -tan                    every TCP socket, numeric
  nettool stat -tlp                    listening TCP sockets and their processes
  nettool stat -to --state time-wait   TIME-WAIT sockets with their countdown
  nettool stat -ti --dport 443         TCP internals of connections to port 443
  nettool stat -tmi --sport 7007       socket memory and windows: a client that does not read
                                       shows rb full on its side, snd_wnd:0 on the sender's
  nettool stat -xa                     Unix sockets
  nettool stat -s                      ss -s totals, then sockets per state
  nettool stat -g                      multicast group memberships per interface
  nettool stat -ta --watch 1s          redraw every second, marking changes
  nettool stat --json -ta --watch 500ms   state changes as JSON lines
  sudo nettool stat --packets -t --iface lo -c 3 --dport 7007   the next handshake to port 7007: SYN seq 0, SYN-ACK seq 0 ack 1 (the client's ISN + 1), ACK seq 1 ack 1
  sudo nettool stat --packets -t --iface lo -c 3 --absolute --dport 7007   the same with raw numbers: the SYN-ACK's ack is the SYN's seq + 1
  sudo nettool stat --packets -t --iface lo --dport 7007   beside `tcp-echo connect :7007 < file`: data and ACKs, then FIN, ACK, FIN, ACK and TIME-WAIT on the client, which closed first
  sudo nettool stat --packets -t --iface lo --dport 9   beside `tcp-echo connect :9` (nothing listens): SYN answered by RST-ACK, and connect fails: connection refused
  sudo nettool stat --packets -t --iface lo --dport 9000   beside `tcp-echo listen -l :9000` and `tcp-echo connect :9000 < question`: the client's FIN (half-close), then the answer still flowing back
  sudo nettool stat --packets -t --iface lo --dport 7007   beside `tcp-echo serve --engine thread --rcvbuf 4k` and a client that sends but never reads: [zero window] from the server, then [window probe]s
  sudo ip netns exec lab nettool stat --packets -t --dport 7007   in a namespace whose nftables drop every other data segment (numgen inc mod 2 0 drop): the same bytes again, marked [retransmission]
  sudo nettool stat --packets -u -w 10s --iface lo   UDP datagrams on lo for 10 s, with their lengths
  sudo nettool --json stat --packets --iface lo --dport 7007   one segment record per packet, state records between them";

const ABOUT: &str = "Sockets and their TCP states, as ss shows them (netlink sock_diag, or \
/proc/net with --proc); --watch redraws and marks the transitions; -g lists multicast \
group memberships.";

/// `stat --packets`, explained (the man page's DESCRIPTION and `--help`).
pub const PACKETS_HELP: &str = "--packets shows what is on the wire beside the states: one \
line per TCP segment with the time since the first packet, A → B, the flags in words (SYN, \
SYN-ACK, ACK, PSH-ACK, FIN-ACK, RST-ACK), seq and ack relative to each side's initial \
sequence number (--absolute: raw), the advertised window scaled by the factor learnt from \
the SYNs (\"scale unknown\" when the handshake was not seen), the payload length, the options \
in words (MSS, SACK-permitted, timestamps, window scale) and notes: [retransmission], [zero \
window], [window probe], [keep-alive]. UDP datagrams show with their length. Between the \
segments, indented, each local socket's moves along the TCP state diagram (client \
127.0.0.1:51234 SYN-SENT → ESTABLISHED), placed at the segment that caused them (a FIN counts \
as received when it is acknowledged) and checked against the kernel (sock_diag) after every \
batch of segments: where the kernel is further along than the segments explain (a close not \
yet on the wire, TIME-WAIT over) its word is printed, marked (kernel).\n\n\
The capture is an AF_PACKET socket with a classic BPF filter attached, so the kernel copies \
only matching packets, and only their first 256 bytes; it needs CAP_NET_RAW (sudo, or once: \
sudo setcap cap_net_raw+ep $(command -v nettool)). At most --buffer bytes of packets wait in \
the kernel; when that queue is full the kernel drops packets and counts them (tp_drops, read \
with PACKET_STATISTICS), and nettool says how many. On lo every packet passes a capture \
twice, leaving and arriving: the copy leaving (PACKET_OUTGOING on a loopback device) is \
dropped by the filter, so each segment shows once. Without --iface the capture covers lo \
and every other interface (a packet that crosses several, a bridge and its port, shows once \
on each, with its \"iface\"). --sport and --dport match a port on either end of a packet; \
given both, the packets between those two ports. The first line on stderr, once the capture \
is ready, is `capturing on WHAT`; -c N ends the capture after N packets, -w D after D (exit 1 \
if nothing was seen), SIGINT after a summary line (exit 130). `tcp-echo connect --packets` and `heartbeat connect \
--packets` show the same view of their own connection on stderr.\n\n\
With --json: first {\"event\":\"capturing\",\"iface\",\"filter\"}; per packet \
{\"event\":\"segment\",\"time\",\"t\",\"iface\",\"proto\":\"tcp\",\"src\",\"dst\",\"flags\",\"seq\",\
\"ack\",\"relative\",\"len\",\"window\",\"window_field\",\"window_scale\",\"options\",\"notes\"} \
(UDP: \"proto\":\"udp\", \"src\", \"dst\", \"len\"), options as {\"kind\": mss|window_scale|\
sack_permitted|sack|timestamps, \"value\"|\"shift\"|\"blocks\"|\"val\"+\"ecr\"}; per state change \
{\"event\":\"state\",\"time\",\"t\",\"role\",\"local\",\"peer\",\"from\",\"to\",\"source\":\
segments|kernel}; at the end {\"event\":\"summary\",\"packets\",\"dropped\"}. \"t\" is seconds \
since the first packet, \"time\" RFC 3339.";

/// The long description of `nettool stat`.
pub fn about() -> String {
    format!("{ABOUT}\n\n{PACKETS_HELP}")
}

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

    /// Show TCP internals: congestion control, rtt, rto, cwnd, retransmits, bytes, and
    /// the sliding window in numbers: advmss, rcv_space, snd_wnd (the peer's window; 0 =
    /// zero window), rcv_wnd (ours)
    #[arg(short = 'i', long)]
    pub info: bool,

    /// Show socket memory as ss -m does: skmem:(r rmem_alloc, rb rcvbuf, t wmem_alloc,
    /// tb sndbuf, f fwd_alloc, w wmem_queued, o optmem, bl backlog, d drops), in bytes;
    /// TCP, UDP and Unix (netlink only: /proc/net has none)
    #[arg(short = 'm', long)]
    pub memory: bool,

    /// Show timers (retransmit, keepalive, zero-window probe, TIME-WAIT countdown)
    #[arg(short = 'o', long = "options")]
    pub timers: bool,

    /// Print the totals ss -s prints (all sockets; TCP estab, closed, orphaned,
    /// timewait; RAW, UDP, TCP, INET, FRAG per family), then sockets per state
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
          "info", "memory", "timers", "state", "pid", "self_", "use_proc", "resolve"])]
    pub packets: bool,

    /// With --packets: capture on this interface only (default: lo and every other)
    #[arg(long, value_name = "IFACE", requires = "packets")]
    pub iface: Option<String>,

    /// With --packets: raw sequence and acknowledgement numbers, not relative to the ISN
    #[arg(long, requires = "packets")]
    pub absolute: bool,

    /// With --packets: the most the kernel queues for nettool (SO_RCVBUF); a full queue
    /// drops packets and says how many
    #[arg(long, value_name = "SIZE", requires = "packets", default_value = "4M",
          value_parser = parse_size)]
    pub buffer: usize,

    /// With --packets: stop after this long (exit 1 if nothing was seen)
    #[arg(short = 'w', long = "timeout", value_name = "DURATION", requires = "packets",
          value_parser = crate::cli::parse_timeout)]
    pub timeout: Option<Duration>,

    #[command(flatten)]
    pub family: FamilyOpts,

    /// Only these states (TCP diagram names, or all, connected, synchronized, bucket, big)
    #[arg(long, value_name = "STATE", num_args = 1.., value_parser = StateSet::parse)]
    pub state: Vec<StateSet>,

    /// Only sockets with this local port (a number, :PORT or a service name such as http)
    #[arg(long, value_name = "PORT", value_parser = crate::net::services::any_port_arg)]
    pub sport: Option<u16>,

    /// Only sockets with this peer port (a number, :PORT or a service name such as https)
    #[arg(long, value_name = "PORT", value_parser = crate::net::services::any_port_arg)]
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
    #[arg(short = 'c', long, value_name = "N", value_parser = crate::cli::at_least(1u64))]
    pub count: Option<u64>,

    /// Read /proc/net instead of netlink sock_diag (what netstat reads; no timers,
    /// tcp_info, listener backlogs or Unix queues there). NETTOOL_STAT_PROC=1 (or
    /// true, yes, on) in the environment does the same
    #[arg(long = "proc", env = "NETTOOL_STAT_PROC", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
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
            let shutdown = Shutdown::install().context("install signal handlers")?;
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
                    buffer: self.buffer,
                },
                out,
                &shutdown,
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
            // As in ss: without a protocol flag every kind is listed, Unix sockets too
            // (unless -4/-6 narrow it to IP).
            unix: self.unix || (!any_proto && self.family.family() == crate::net::Family::Any),
            family: self.family.family(),
            states,
            sport: self.sport,
            dport: self.dport,
            processes: self.processes,
            tcp_info: self.info,
            memory: self.memory,
            aside: false,
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
            memory: self.memory,
        };
        // Only the watch runs long enough to need a signal catcher.
        let shutdown = match self.watch {
            Some(_) => Some(Shutdown::install().context("install signal handlers")?),
            None => None,
        };
        let mode = if self.summary {
            Mode::Summary
        } else if self.groups {
            Mode::Groups
        } else if let (Some(interval), Some(shutdown)) = (self.watch, &shutdown) {
            Mode::Watch(
                WatchOpts {
                    interval,
                    count: self.count,
                    json: false,
                },
                shutdown,
            )
        } else {
            Mode::List
        };
        report::run(&query, &view, mode, out.json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field a `--packets` JSON record carries is named in the help.
    #[test]
    fn the_packet_records_are_documented() {
        let records = crate::stat::packets::print::sample_records();
        assert_eq!(records.len(), 3);
        for rec in &records {
            let mut keys: Vec<String> = rec.as_object().unwrap().keys().cloned().collect();
            for o in rec["options"].as_array().into_iter().flatten() {
                keys.extend(o.as_object().unwrap().keys().cloned());
                let kind = o["kind"].as_str().unwrap();
                assert!(
                    PACKETS_HELP.contains(kind),
                    "option kind {kind} undocumented"
                );
            }
            for k in keys {
                assert!(
                    PACKETS_HELP.contains(&format!("\"{k}\"")),
                    "{k} undocumented in {rec}"
                );
            }
        }
    }
}
