//! `multicast doctor GROUP:PORT [-i IFACE] [-w D]`: explain why multicast is silent.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use colored::Color;
use serde_json::json;

use super::Run;
use crate::cli::TimeoutOpt;
use crate::diag::multicast::{DoctorInput, diagnose};
use crate::diag::{Check, Verdict};
use crate::error::{Stdout, UsageError};
use crate::net::addr::Host;
use crate::net::signals::Shutdown;
use crate::net::{HostPort, Transport};
use crate::output::{Level, Output, paint_stdout};

pub const DOCTOR_EXAMPLES: &str = "\
Examples:
  nettool multicast doctor 239.0.0.1:8989 -i eth0  check range, interface, route, rp_filter, join, firewall
  nettool multicast doctor 232.1.1.1:8989 -i eth0  an SSM group: a problem until --source names the sender
  nettool multicast doctor 239.0.0.1:8989 -w 5     also wait 5 s for a datagram and show its TTL
  nettool multicast doctor 239.0.0.1:8989 -i eth1 --source 192.0.2.7   is the sender's path filtered?
  nettool multicast doctor [ff02::1234]:8989 -i eth0   the same for IPv6";

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The group and port receivers use: GROUP:PORT or [V6GROUP]:PORT
    #[arg(value_name = "GROUP:PORT")]
    pub group: String,

    /// The interface receivers join on (default: the one the route to the group uses)
    #[arg(short, long, value_name = "IFACE")]
    pub iface: Option<String>,

    /// The sender's address: checks that reverse-path filtering lets it through
    #[arg(long, value_name = "ADDR")]
    pub source: Option<std::net::IpAddr>,

    /// Also wait this long for one datagram on the group
    #[command(flatten)]
    pub timeout: TimeoutOpt,
}

impl Run for DoctorArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let hp = HostPort::parse(&self.group, Transport::Udp)?;
        let Host::Ip(group) = hp.host else {
            return Err(UsageError::InvalidAddress {
                input: self.group.clone(),
                reason: "give the group as an IP address".into(),
            }
            .into());
        };
        if !group.is_multicast() {
            return Err(UsageError::InvalidAddress {
                input: self.group.clone(),
                reason: format!("{group} is not a multicast address (224.0.0.0/4 or ff00::/8)"),
            }
            .into());
        }
        if let Some(name) = &self.iface {
            crate::net::iface::Iface::by_name(name)?;
        }
        let input = DoctorInput {
            group,
            port: hp.port,
            iface: self.iface,
            listen: self.timeout.timeout,
            source: self.source,
        };
        let checks = diagnose(&input, &shutdown)?;
        let mut stdout = Stdout(std::io::stdout().lock());
        for c in &checks {
            print_check(out, c, &mut stdout)?;
        }
        let problems = checks
            .iter()
            .filter(|c| c.verdict == Verdict::Problem)
            .count();
        out.event(
            Level::Info,
            "summary",
            json!({"problems": problems, "checks": checks.len()}),
            || {
                let checks = crate::text::plural(checks.len() as u64, "check");
                match problems {
                    0 => format!("no problem found in {checks}"),
                    n => format!(
                        "{} found in {checks}",
                        crate::text::plural(n as u64, "problem")
                    ),
                }
            },
        );
        if problems > 0 {
            anyhow::bail!("multicast doctor found {problems} problem(s)");
        }
        Ok(())
    }
}

/// One check: the verdict word, the sentence, and the fix on its own line.
fn print_check(out: &Output, c: &Check, w: &mut impl Write) -> std::io::Result<()> {
    if out.json() {
        out.event(
            Level::Info,
            "check",
            serde_json::to_value(c).unwrap_or_default(),
            String::new,
        );
        return Ok(());
    }
    let (word, color) = match c.verdict {
        Verdict::Ok => ("ok", Color::Green),
        Verdict::Note => ("note", Color::Yellow),
        Verdict::Problem => ("problem", Color::Red),
    };
    writeln!(
        w,
        "{} {:<13} {}",
        paint_stdout(&format!("{word:<7}"), color),
        c.check,
        c.detail
    )?;
    if let Some(fix) = &c.fix {
        writeln!(w, "{:<21} fix: {fix}", "")?;
    }
    w.flush()
}
