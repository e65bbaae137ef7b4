//! What `tcp-echo relay` and `unix relay` share: the targets (`TARGET`, `--to`), how
//! a connection picks one (`--balance`) and the connect bound (`-w`), turned into
//! the relay service's factory.

use clap::{Args, ValueEnum};

use crate::cli::TimeoutOpt;
use crate::error::UsageError;
use crate::net::upstream::Endpoint;
use crate::net::{Family, HostPort, Transport, UnixTarget};
use crate::output::Output;
use crate::proto::relay::{Balance, RelayFactory};

/// `--balance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BalanceArg {
    /// Round robin: each new connection starts at the next target
    Rr,
    /// The first target that answers, in the order given
    First,
}

/// Where a relay forwards to.
#[derive(Debug, Clone, Args)]
pub struct RelayTargets {
    /// Where to forward each connection: HOST:PORT, a Unix socket path (with a /) or @NAME
    #[arg(value_name = "TARGET", required_unless_present = "to")]
    pub target: Option<String>,

    /// Another target (repeatable); a connection tries them in --balance order until
    /// one answers
    #[arg(long, value_name = "TARGET")]
    pub to: Vec<String>,

    /// How a connection picks among several targets
    #[arg(long, value_enum, value_name = "HOW", default_value_t = BalanceArg::Rr)]
    pub balance: BalanceArg,

    #[command(flatten)]
    pub timeout: TimeoutOpt,
}

impl RelayTargets {
    /// Resolve every target (a name to each of its addresses, in order) and build the
    /// relay service.
    pub fn factory(&self, family: Family, out: &Output) -> anyhow::Result<RelayFactory> {
        let mut targets = Vec::new();
        for t in self.target.iter().chain(&self.to) {
            targets.extend(endpoints(t, family)?);
        }
        Ok(RelayFactory {
            targets,
            balance: match self.balance {
                BalanceArg::Rr => Balance::RoundRobin,
                BalanceArg::First => Balance::First,
            },
            connect_timeout: self.timeout.timeout,
            out: out.clone(),
        })
    }

    /// The targets as given, for the ready line.
    pub fn shown(&self) -> Vec<String> {
        self.target.iter().chain(&self.to).cloned().collect()
    }
}

/// `@name` and anything with a `/` are Unix sockets; the rest is HOST:PORT.
fn endpoints(t: &str, family: Family) -> anyhow::Result<Vec<Endpoint>> {
    if t.starts_with('@') || t.contains('/') {
        return Ok(vec![Endpoint::Unix(UnixTarget::parse(t)?)]);
    }
    if !t.contains(':') {
        return Err(UsageError::invalid(format!(
            "target {t:?}: expected HOST:PORT, a Unix socket path with a / (./{t}) or @NAME"
        ))
        .into());
    }
    let hp = HostPort::parse(t, Transport::Tcp)?;
    Ok(hp
        .resolve(family)?
        .into_iter()
        .map(Endpoint::Inet)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_unix_or_host_port() {
        let any = Family::Any;
        assert_eq!(
            endpoints("@up", any).unwrap(),
            [Endpoint::Unix(UnixTarget::parse("@up").unwrap())]
        );
        assert!(matches!(
            &endpoints("./s.sock", any).unwrap()[..],
            [Endpoint::Unix(_)]
        ));
        let inet = endpoints("127.0.0.1:80", any).unwrap();
        assert_eq!(inet, [Endpoint::Inet("127.0.0.1:80".parse().unwrap())]);
        let err = endpoints("sock", any).unwrap_err().to_string();
        assert!(err.contains("expected HOST:PORT"), "{err}");
    }
}
