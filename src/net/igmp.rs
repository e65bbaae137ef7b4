//! Multicast group memberships per interface, as the kernel lists them: what
//! `stat -g` shows (as `netstat -g`; `ss` has no such view) and what `multicast doctor`
//! checks after a join. The tables are parsed here only. A host joins a group on an interface (IP_ADD_MEMBERSHIP / IPV6_JOIN_GROUP,
//! ip(7) and ipv6(7)); the kernel then answers IGMP / MLD queries for it and lets the
//! group's traffic in. The memberships are listed in `/proc/net/igmp` (IPv4: a line per
//! interface, then a tab-indented line per group, the address in hex as the kernel
//! holds it in memory) and `/proc/net/igmp6` (one line per interface and group).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::net::Family;

/// One group joined on one interface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Membership {
    pub ifindex: u32,
    pub iface: String,
    /// How many sockets (or kernel users) hold the membership.
    pub users: u32,
    pub group: IpAddr,
}

/// Every membership of the families asked for, ordered by interface, then IPv4 first.
pub fn memberships(family: Family) -> io::Result<Vec<Membership>> {
    let mut all = Vec::new();
    if family != Family::V6 {
        all.extend(parse_igmp(&read_optional("/proc/net/igmp")?));
    }
    if family != Family::V4 {
        all.extend(parse_igmp6(&read_optional("/proc/net/igmp6")?));
    }
    all.sort_by_key(|m| (m.ifindex, m.group.is_ipv6()));
    Ok(all)
}

fn read_optional(path: &str) -> io::Result<String> {
    match std::fs::read_to_string(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(String::new()),
        r => r.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{path}: {}", crate::os_error::describe(&e)),
            )
        }),
    }
}

/// `/proc/net/igmp`: `Idx Device : Count Querier`, then `\tGROUP USERS TIMER REPORTER`
/// lines; GROUP is the `__be32` printed as a host-order number.
pub fn parse_igmp(text: &str) -> Vec<Membership> {
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    for line in text.lines().skip(1) {
        if line.starts_with('\t') || line.starts_with(' ') {
            let mut f = line.split_whitespace();
            let (Some(group), Some(users)) = (f.next(), f.next()) else {
                continue;
            };
            let (Some((idx, dev)), Ok(raw), Ok(users)) = (
                current.as_ref(),
                u32::from_str_radix(group, 16),
                users.parse(),
            ) else {
                continue;
            };
            out.push(Membership {
                ifindex: *idx,
                iface: dev.clone(),
                users,
                group: IpAddr::V4(Ipv4Addr::from(raw.to_ne_bytes())),
            });
        } else {
            let mut f = line.split_whitespace();
            current = match (f.next().map(str::parse), f.next()) {
                (Some(Ok(idx)), Some(dev)) => Some((idx, dev.trim_end_matches(':').to_string())),
                _ => None,
            };
        }
    }
    out
}

/// `/proc/net/igmp6`: `IDX DEVICE GROUP(32 hex digits) USERS FLAGS TIMER`.
pub fn parse_igmp6(text: &str) -> Vec<Membership> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let ifindex = f.next()?.parse().ok()?;
            let iface = f.next()?.to_string();
            let hex = f.next()?;
            let users = f.next()?.parse().ok()?;
            let group = Ipv6Addr::from(u128::from_str_radix(hex, 16).ok()?);
            Some(Membership {
                ifindex,
                iface,
                users,
                group: IpAddr::V6(group),
            })
        })
        .collect()
}

/// Whether the kernel lists `group` as joined on the interface named `iface`.
pub fn listed(group: IpAddr, iface: &str) -> bool {
    let family = if group.is_ipv4() {
        Family::V4
    } else {
        Family::V6
    };
    memberships(family).is_ok_and(|all| all.iter().any(|m| m.group == group && m.iface == iface))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_groups_are_decoded_from_kernel_order() {
        let text = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n\
                    1\tlo        :     1      V3\n\
                    \t\t\t\t010000E0     1 0:00000000\t\t0\n\
                    4\teth0      :     2      V3\n\
                    \t\t\t\t050000EF     2 0:00000000\t\t0\n\
                    \t\t\t\t010000E0     1 0:00000000\t\t0\n";
        let m = parse_igmp(text);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].iface, "lo");
        assert_eq!(m[0].group, "224.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!((m[1].ifindex, m[1].users), (4, 2));
        assert_eq!(m[1].group, "239.0.0.5".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn memberships_are_per_device() {
        let m = parse_igmp(
            "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n\
             1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n\
             4\teth0      :     2      V3\n\t\t\t\t010000EF     1 0:00000000\t\t0\n",
        );
        let on = |iface: &str| {
            m.iter()
                .any(|x| x.iface == iface && x.group == "239.0.0.1".parse::<IpAddr>().unwrap())
        };
        assert!(on("eth0") && !on("lo"));
    }

    #[test]
    fn ipv6_groups_parse() {
        let m =
            parse_igmp6("1    lo              ff020000000000000000000000000001     1 0000000C 0\n");
        assert_eq!(m[0].group, "ff02::1".parse::<IpAddr>().unwrap());
        assert_eq!((m[0].ifindex, m[0].iface.as_str()), (1, "lo"));
    }
}
