//! `multicast doctor`: why does my receiver get nothing?
//!
//! The usual causes, each checked on this host: the group is in a block that asks for
//! something (an SSM group without a source, [`super::group_range`]); the interface is missing, down,
//! without carrier or without the MULTICAST flag; no route covers the group (so the
//! kernel does not know where the group lives); strict reverse-path filtering
//! (`rp_filter=1`) drops datagrams whose source is routed back through another
//! interface; the group membership never shows up in `/proc/net/igmp` (`igmp6`);
//! `IP_MULTICAST_ALL` lets a socket see groups it never joined; the sender's TTL is 1
//! or its loopback is off; a firewall rule drops the group's port ([`super::nft`]).
//! Optionally it waits for one datagram and reports who sent it and with which
//! remaining TTL.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use nix::net::if_::InterfaceFlags;

use super::Check;
use crate::error::Interrupted;
use crate::net::iface::Iface;
use crate::net::signals::Shutdown;

/// What to diagnose.
#[derive(Debug, Clone)]
pub struct DoctorInput {
    pub group: IpAddr,
    pub port: u16,
    pub iface: Option<String>,
    /// Wait this long for one datagram on the group (`-w`).
    pub listen: Option<Duration>,
    /// The sender's address, to check the reverse path (`--source`).
    pub source: Option<IpAddr>,
}

/// Run every check, in the order a person would; the wait for traffic (`-w`) ends
/// early on SIGINT/SIGTERM (`Err(Interrupted)`).
pub fn diagnose(input: &DoctorInput, shutdown: &Shutdown) -> anyhow::Result<Vec<Check>> {
    let mut checks = Vec::new();
    let route_iface = match input.group {
        IpAddr::V4(g) => route_v4(g),
        IpAddr::V6(g) => route_v6(g),
    };
    let iface = input.iface.clone().or_else(|| route_iface.clone());
    checks.push(super::group_range::check_range(input.group, input.source));
    checks.push(check_interface(iface.as_deref(), input.iface.is_some()));
    checks.push(check_route(
        input.group,
        route_iface.as_deref(),
        input.iface.as_deref(),
    ));
    if let (IpAddr::V4(_), Some(name)) = (input.group, iface.as_deref()) {
        let source = match input.source {
            Some(IpAddr::V4(src)) => Some((src, route_v4(src))),
            _ => None,
        };
        checks.push(check_rp_filter(name, source));
    }
    if let Some(name) = iface.as_deref() {
        checks.push(check_membership(input.group, input.port, name));
    }
    checks.push(Check::ok(
        "multicast_all",
        "nettool receivers set IP_MULTICAST_ALL to 0, so a socket only gets the groups it joined \
         (other programs bound to 0.0.0.0 get every group any socket on the host joined, Linux's default)",
    ));
    checks.push(check_firewall(input, iface.as_deref()));
    if let Some(wait) = input.listen {
        checks.push(check_traffic(input, iface.as_deref(), wait, shutdown)?);
    }
    Ok(checks)
}

fn check_interface(name: Option<&str>, named: bool) -> Check {
    let Some(name) = name else {
        return Check::problem(
            "interface",
            "no interface given and no route says which interface carries the group",
            "name one with -i IFACE (see `ip link`)",
        );
    };
    let Some(flags) = Iface::by_name(name).ok().map(|i| i.flags) else {
        return Check::problem(
            "interface",
            format!("interface {name} does not exist"),
            "pick one from `ip link` (the name is case-sensitive)",
        );
    };
    let how = if named {
        ""
    } else {
        " (chosen by the route to the group)"
    };
    if !flags.contains(InterfaceFlags::IFF_UP) {
        return Check::problem(
            "interface",
            format!("interface {name}{how} is down"),
            format!("ip link set {name} up"),
        );
    }
    if !flags.contains(InterfaceFlags::IFF_RUNNING) {
        return Check::problem(
            "interface",
            format!(
                "interface {name}{how} is up but has no carrier (cable, peer or veth end down)"
            ),
            format!("check the link: `ip link show {name}` should say LOWER_UP"),
        );
    }
    if !flags.contains(InterfaceFlags::IFF_MULTICAST)
        && flags.contains(InterfaceFlags::IFF_LOOPBACK)
    {
        return Check::note(
            "interface",
            format!(
                "interface {name}{how} is the loopback, which has no MULTICAST flag; Linux still loops group traffic routed to it"
            ),
            format!("fine for tests on one host; for clarity: ip link set {name} multicast on"),
        );
    }
    if !flags.contains(InterfaceFlags::IFF_MULTICAST) {
        return Check::problem(
            "interface",
            format!("interface {name}{how} lacks the MULTICAST flag"),
            format!("ip link set {name} multicast on"),
        );
    }
    Check::ok(
        "interface",
        format!("interface {name}{how} is up, has carrier and the MULTICAST flag"),
    )
}

fn check_route(group: IpAddr, route_iface: Option<&str>, named: Option<&str>) -> Check {
    let (net, cmd) = match group {
        IpAddr::V4(_) => ("224.0.0.0/4", "ip route add 224.0.0.0/4 dev"),
        IpAddr::V6(_) => ("ff00::/8", "ip -6 route add ff00::/8 dev"),
    };
    match (route_iface, named) {
        (None, Some(n)) => Check::note(
            "route",
            format!(
                "no route covers {group}; receivers joining with -i {n} work, but senders without -i fail with 'Network is unreachable'"
            ),
            format!("{cmd} {n}"),
        ),
        (None, None) => Check::problem(
            "route",
            format!("no route covers {group} (no {net} route and no default route)"),
            format!("{cmd} IFACE, or give -i IFACE to sender and receivers"),
        ),
        (Some(r), Some(n)) if r != n => Check::note(
            "route",
            format!(
                "the route to {group} goes via {r}, not {n}: senders without -i send out of {r}"
            ),
            format!("give senders -i {n} too, or {cmd} {n}"),
        ),
        (Some(r), _) => Check::ok("route", format!("{group} is routed via {r}")),
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

fn check_rp_filter(iface: &str, source: Option<(Ipv4Addr, Option<String>)>) -> Check {
    let all = read_trimmed("/proc/sys/net/ipv4/conf/all/rp_filter")
        .and_then(|v| v.parse::<u8>().ok())
        .unwrap_or(0);
    let dev = read_trimmed(&format!("/proc/sys/net/ipv4/conf/{iface}/rp_filter"))
        .and_then(|v| v.parse::<u8>().ok())
        .unwrap_or(0);
    let fix = format!(
        "sysctl -w net.ipv4.conf.{iface}.rp_filter=2 net.ipv4.conf.all.rp_filter=2 (loose), or route the source back via {iface}"
    );
    // The kernel uses the larger of the two values.
    match (all.max(dev), source) {
        (1, Some((src, back))) if back.as_deref() != Some(iface) => Check::problem(
            "rp_filter",
            format!(
                "strict reverse-path filtering (rp_filter=1) on {iface} drops datagrams from {src}: \
                 the route back to {src} leaves via {}, not {iface}",
                back.as_deref().unwrap_or("no interface at all")
            ),
            fix,
        ),
        (1, Some((src, _))) => Check::ok(
            "rp_filter",
            format!(
                "strict reverse-path filtering on {iface}, and the route back to {src} uses {iface}: datagrams pass"
            ),
        ),
        (1, None) => Check::note(
            "rp_filter",
            format!(
                "strict reverse-path filtering is on for {iface} (rp_filter=1): datagrams from a source \
                 whose route back leaves by another interface are dropped silently (give --source to check)"
            ),
            fix,
        ),
        (2, _) => Check::ok(
            "rp_filter",
            format!("loose reverse-path filtering on {iface} (rp_filter=2)"),
        ),
        _ => Check::ok(
            "rp_filter",
            format!("no reverse-path filtering on {iface} (rp_filter=0)"),
        ),
    }
}

/// Join the group on `iface` with a throw-away socket and look for the membership in
/// `/proc/net/igmp` (`igmp6`), as the kernel reports it to routers.
fn check_membership(group: IpAddr, port: u16, iface: &str) -> Check {
    let joined = crate::net::mcast_probe::join_and_list(group, port, iface);
    if crate::net::trace::dry_run() {
        // The join is traffic (an IGMP/MLD report): --dry-run showed it, not made.
        return Check::note(
            "membership",
            format!("dry run: the test join of {group} on {iface} was not made"),
            "run without --dry-run to test the join",
        );
    }
    match joined {
        Err(e) => Check::problem(
            "membership",
            format!(
                "joining {group} on {iface} failed: {}",
                crate::error::render(&e)
            ),
            "check the interface (above); a join needs an up interface with the MULTICAST flag",
        ),
        Ok(false) => Check::problem(
            "membership",
            format!(
                "after joining {group} on {iface}, the group does not appear in /proc/net/igmp"
            ),
            "the join did not reach the interface: check the interface flags and the group address",
        ),
        Ok(true) => Check::ok(
            "membership",
            format!("a test join of {group} on {iface} shows up in the kernel's group table"),
        ),
    }
}

/// Read the nftables ruleset as JSON and ask [`super::nft`] whether any rule on the
/// receive path can drop UDP to the group and port on `iface`.
fn check_firewall(input: &DoctorInput, iface: Option<&str>) -> Check {
    let ruleset = std::process::Command::new("nft")
        .args(["-j", "list", "ruleset"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
    let Some(ruleset) = ruleset else {
        return Check::ok(
            "firewall",
            "no nftables ruleset could be read (nft missing or no permission); nothing to blame there",
        );
    };
    let packet = super::nft::Packet {
        group: input.group,
        port: input.port,
        iface,
        source: input.source,
    };
    let what = format!(
        "UDP to {}",
        std::net::SocketAddr::new(input.group, input.port)
    );
    let verdict = super::nft::evaluate(&ruleset, &packet);
    let shown = |d: &super::nft::Drop| match d.handle {
        Some(h) => format!("`{}` in {} (handle {h})", d.rule, d.chain),
        None => format!("the policy drop of {}", d.chain),
    };
    if let Some(d) = verdict.drops.iter().find(|d| d.certain) {
        let fix = match d.handle {
            Some(h) => format!(
                "remove it (nft delete rule {} handle {h}) or accept the traffic before it \
                 (nft insert rule {} udp dport {} accept)",
                d.chain, d.chain, input.port
            ),
            None => format!(
                "accept the traffic: nft add rule {} udp dport {} accept",
                d.chain, input.port
            ),
        };
        return Check::problem(
            "firewall",
            format!("nftables drops {what}: {}", shown(d)),
            fix,
        );
    }
    if !verdict.drops.is_empty() {
        let rules: Vec<String> = verdict.drops.iter().map(shown).collect();
        return Check::note(
            "firewall",
            format!(
                "nftables may drop {what}, depending on what is not known here: {}",
                rules.join("; ")
            ),
            "nft list ruleset (give --source and -i for a sharper answer)",
        );
    }
    let others = match verdict.unrelated_drops {
        0 => String::new(),
        n => format!(
            " ({} cannot match it)",
            crate::text::plural(n as u64, "drop rule")
        ),
    };
    Check::ok(
        "firewall",
        format!("no nftables rule on the receive path drops {what}{others}"),
    )
}

fn check_traffic(
    input: &DoctorInput,
    iface: Option<&str>,
    wait: Duration,
    shutdown: &Shutdown,
) -> anyhow::Result<Check> {
    let seen = crate::net::mcast_probe::receive_one(input.group, input.port, iface, wait, shutdown);
    if crate::net::trace::dry_run() {
        return Ok(Check::note(
            "traffic",
            format!("dry run: not listening on {}:{}", input.group, input.port),
            "run without --dry-run to wait for a datagram",
        ));
    }
    if let Err(e) = &seen {
        if let Some(stop) = e.downcast_ref::<Interrupted>() {
            return Err((*stop).into());
        }
    }
    Ok(match seen {
        Ok(Some(seen)) if seen.ttl == Some(1) && input.group.is_ipv4() => Check::note(
            "traffic",
            format!(
                "a datagram from {} arrived with TTL 1: it cannot cross a router",
                seen.from
            ),
            "raise the sender's TTL (nettool multicast send --ttl N)",
        ),
        Ok(Some(seen)) => Check::ok(
            "traffic",
            format!(
                "a {}-byte datagram from {} arrived{}",
                seen.len,
                seen.from,
                seen.ttl
                    .map(|t| format!(" with TTL {t} left"))
                    .unwrap_or_default()
            ),
        ),
        Ok(None) => Check::problem(
            "traffic",
            format!(
                "no datagram for {}:{} within {}",
                input.group,
                input.port,
                crate::text::duration(wait)
            ),
            "is a sender running? Its TTL must cover the hops (--ttl), a sender on this host needs \
             IP_MULTICAST_LOOP on (--loop), and it must send out of the right interface (-i)",
        ),
        Err(e) => Check::problem(
            "traffic",
            format!(
                "could not listen on the group: {}",
                crate::error::render(&e)
            ),
            "see the checks above",
        ),
    })
}

/// The interface of the most specific IPv4 route covering `dst` (`/proc/net/route`).
pub fn route_v4(dst: Ipv4Addr) -> Option<String> {
    let table = std::fs::read_to_string("/proc/net/route").ok()?;
    parse_route_v4(&table, dst)
}

fn parse_route_v4(table: &str, dst: Ipv4Addr) -> Option<String> {
    let d = u32::from_le_bytes(dst.octets());
    table
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let net = u32::from_str_radix(f.get(1)?, 16).ok()?;
            let mask = u32::from_str_radix(f.get(7)?, 16).ok()?;
            (d & mask == net & mask).then(|| (mask.count_ones(), f[0].to_string()))
        })
        .max_by_key(|(bits, _)| *bits)
        .map(|(_, iface)| iface)
}

/// The interface of the most specific IPv6 route covering `dst` (`/proc/net/ipv6_route`).
pub fn route_v6(dst: Ipv6Addr) -> Option<String> {
    let table = std::fs::read_to_string("/proc/net/ipv6_route").ok()?;
    parse_route_v6(&table, dst)
}

fn parse_route_v6(table: &str, dst: Ipv6Addr) -> Option<String> {
    let d = u128::from_be_bytes(dst.octets());
    table
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let net = u128::from_str_radix(f.first()?, 16).ok()?;
            let plen = u32::from_str_radix(f.get(1)?, 16).ok()?;
            let iface = f.get(9)?.to_string();
            let mask = if plen == 0 {
                0
            } else {
                u128::MAX << (128 - plen)
            };
            // Skip the kernel's unreachable catch-all on lo and local-table entries.
            (d & mask == net & mask && iface != "lo").then_some((plen, iface))
        })
        .max_by_key(|(plen, _)| *plen)
        .map(|(_, iface)| iface)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: &str = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
eth1\t000000E0\t00000000\t0001\t0\t0\t0\t000000F0\t0\t0\t0\n\
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

    #[test]
    fn most_specific_v4_route_wins() {
        assert_eq!(
            parse_route_v4(ROUTE, "239.1.2.3".parse().unwrap()).as_deref(),
            Some("eth1")
        );
        assert_eq!(
            parse_route_v4(ROUTE, "192.0.2.9".parse().unwrap()).as_deref(),
            Some("eth0")
        );
        assert_eq!(
            parse_route_v4("Iface\n", "239.1.2.3".parse().unwrap()),
            None
        );
    }

    #[test]
    fn v6_route_parsing() {
        let t = "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n";
        assert_eq!(
            parse_route_v6(t, "ff02::1234".parse().unwrap()).as_deref(),
            Some("eth0")
        );
        assert_eq!(parse_route_v6(t, "2001:db8::1".parse().unwrap()), None);
    }
}
