//! The `-z` port scan of `tcp-echo connect` and `udp send`: parse `HOST:PORTS`, run
//! [`crate::net::scan`], print a line per port and a summary, and turn "nothing
//! open" into exit status 1, as `nc -z` does.

use std::io::Write;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::cli::{FamilyOpts, ScanArgs};
use crate::net::ports::{parse_target, scan_base};
use crate::net::scan::{PortState, ScanOpts, ScanProto, scan};
use crate::net::signals::Shutdown;
use crate::net::{Transport, addr};
use crate::output::{Level, Output};

/// One scan as the command line asked for it.
pub struct Scan<'a> {
    pub target: &'a str,
    pub proto: ScanProto,
    pub args: &'a ScanArgs,
    pub family: &'a FamilyOpts,
    pub timeout: Option<Duration>,
    pub source: Option<SocketAddr>,
}

impl Scan<'_> {
    /// Scan, report, and fail (exit 1) when no port is open. `out` prints JSON records
    /// on stdout: a scan's records are its data.
    pub fn run(&self, out: &Output, shutdown: &Shutdown) -> anyhow::Result<()> {
        let transport = match self.proto {
            ScanProto::Tcp => Transport::Tcp,
            ScanProto::Udp => Transport::Udp,
        };
        let (host, ports) = parse_target(self.target, transport)?;
        let base = scan_base(&host, self.family.family())?;
        let default_wait = match self.proto {
            ScanProto::Tcp => Duration::from_secs(2),
            ScanProto::Udp => Duration::from_secs(1),
        };
        let opts = ScanOpts {
            proto: self.proto,
            parallel: usize::from(self.args.parallel),
            timeout: self.timeout.unwrap_or(default_wait),
            source: self.source,
        };
        let proto = transport.name();
        let started = Instant::now();
        let mut stdout_gone = false;
        let counts = scan(base, &ports, &opts, shutdown, &mut |a, state| {
            let shown = addr::display(&a);
            let level = match state {
                PortState::Open | PortState::OpenFiltered => Level::Info,
                PortState::Closed | PortState::Filtered => Level::Detail,
            };
            if out.json() || level == Level::Detail {
                out.event(
                    level,
                    "port",
                    json!({"addr": shown, "proto": proto, "state": state.name()}),
                    || format!("{} {shown}", state.name()),
                );
            } else if !stdout_gone {
                let mut o = std::io::stdout().lock();
                stdout_gone = writeln!(o, "{} {shown}", state.name())
                    .and_then(|_| o.flush())
                    .is_err();
            }
        })?;
        let took = started.elapsed();
        let host_shown = addr::display(&base)
            .rsplit_once(':')
            .map_or(String::new(), |(h, _)| h.to_string());
        out.event(
            Level::Detail,
            "scan",
            json!({"host": host_shown, "proto": proto, "ports": ports.len(),
                   "open": counts.open, "closed": counts.closed, "filtered": counts.filtered,
                   "open_filtered": counts.open_filtered,
                   "duration_ms": took.as_millis() as u64}),
            || {
                format!(
                    "scanned {} of {host_shown} in {}: {} open, {} closed, {} filtered{}",
                    crate::text::plural(ports.len() as u64, "port"),
                    crate::text::duration(took),
                    counts.open,
                    counts.closed,
                    counts.filtered,
                    match counts.open_filtered {
                        0 => String::new(),
                        n => format!(", {n} open|filtered"),
                    }
                )
            },
        );
        if counts.open + counts.open_filtered == 0 {
            anyhow::bail!(
                "no open {proto} port among the {} scanned on {host_shown}",
                crate::text::plural(ports.len() as u64, "port")
            );
        }
        Ok(())
    }
}
