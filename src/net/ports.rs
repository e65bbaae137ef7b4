//! Port lists for a scan (`-z HOST:PORTS`): `22`, `8000-8010`, `22,80,8000-8010`,
//! service names (`ssh,http`), as netcat and nmap take them.
//!
//! The host part is parsed by [`HostPort`] (so `[::1]`, names and the default host
//! behave as everywhere else); only the part after the last colon is a list.

use std::collections::BTreeSet;

use crate::error::UsageError;
use crate::net::services::{self, Transport};
use crate::net::{Family, HostPort};

/// Split `HOST:PORTS` (or `PORTS` alone, for the default host) into the host, still to
/// be resolved, and the sorted, de-duplicated ports.
pub fn parse_target(input: &str, transport: Transport) -> Result<(HostPort, Vec<u16>), UsageError> {
    let s = input.trim();
    let is_list = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-,_.+".contains(&b))
    };
    let (host, list) = match s.rsplit_once(':') {
        Some((host, list)) => (host, list),
        None if is_list(s) => ("", s),
        None => {
            return Err(invalid(
                input,
                "expected HOST:PORTS, e.g. 127.0.0.1:22,80,8000-8010",
            ));
        }
    };
    let hp = HostPort::parse(&format!("{host}:0"), transport).map_err(|_| {
        invalid(
            input,
            format!("{host:?} is not a host (IPv6 addresses need brackets: [::1]:22-80)"),
        )
    })?;
    let ports = parse_list(list, transport).map_err(|why| invalid(input, why))?;
    Ok((hp, ports))
}

/// `22,80,8000-8010` → the ports, sorted and each once. Port 0 cannot be scanned.
pub fn parse_list(list: &str, transport: Transport) -> Result<Vec<u16>, String> {
    let mut ports = BTreeSet::new();
    for item in list.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err("empty item in the port list".into());
        }
        let (lo, hi) = match item.split_once('-') {
            // A service name may hold a dash (`ms-sql-s`): try the whole item first.
            Some((a, b)) if services::port(item, transport).is_err() => {
                (services::port(a, transport)?, services::port(b, transport)?)
            }
            _ => {
                let p = services::port(item, transport)?;
                (p, p)
            }
        };
        if lo == 0 {
            return Err("port 0 cannot be scanned (ports run from 1 to 65535)".into());
        }
        if lo > hi {
            return Err(format!("range {item} runs backwards (write {hi}-{lo})"));
        }
        ports.extend(lo..=hi);
    }
    Ok(ports.into_iter().collect())
}

fn invalid(input: &str, reason: impl Into<String>) -> UsageError {
    UsageError::InvalidAddress {
        input: input.to_string(),
        reason: reason.into(),
    }
}

/// The one address a scan probes (its port to be replaced): the first the host
/// resolves to in `family`, with an IPv6 zone kept.
pub fn scan_base(host: &HostPort, family: Family) -> anyhow::Result<std::net::SocketAddr> {
    host.resolve_one(family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_ranges_and_names() {
        assert_eq!(parse_list("22", Transport::Tcp), Ok(vec![22]));
        assert_eq!(
            parse_list("80,22,20-23", Transport::Tcp),
            Ok(vec![20, 21, 22, 23, 80])
        );
        assert_eq!(parse_list("7-7", Transport::Tcp), Ok(vec![7]));
        assert!(
            parse_list("30-20", Transport::Tcp)
                .unwrap_err()
                .contains("backwards")
        );
        assert!(
            parse_list("0-5", Transport::Tcp)
                .unwrap_err()
                .contains("port 0")
        );
        assert!(parse_list("22,,80", Transport::Tcp).is_err());
        assert!(parse_list("70000", Transport::Tcp).is_err());
    }

    #[test]
    fn targets_split_at_the_last_colon() {
        let (hp, ports) = parse_target("127.0.0.1:1-3", Transport::Tcp).unwrap();
        assert_eq!(hp.to_string(), "127.0.0.1:0");
        assert_eq!(ports, vec![1, 2, 3]);
        let (hp, ports) = parse_target("[::1]:22,80", Transport::Tcp).unwrap();
        assert_eq!(hp.host, crate::net::addr::Host::Ip("::1".parse().unwrap()));
        assert_eq!(ports, vec![22, 80]);
        let (hp, ports) = parse_target("5-6", Transport::Tcp).unwrap();
        assert_eq!(hp.host, crate::net::addr::Host::Default);
        assert_eq!(ports, vec![5, 6]);
        assert!(parse_target("::1:22", Transport::Tcp).is_err());
        assert!(parse_target("host:", Transport::Tcp).is_err());
    }
}
