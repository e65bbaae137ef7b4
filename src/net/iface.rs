//! Network interfaces by name: what `-i eth0` means to a datagram socket.
//!
//! The kernel names an interface by an *index* (`if_nametoindex(3)`): multicast joins
//! (`ip_mreqn.imr_ifindex`, `ipv6_mreq.ipv6mr_interface`) and the multicast send
//! interface take it. Broadcast needs the interface's *broadcast address* (e.g.
//! 192.0.2.255 for 192.0.2.1/24) and source-specific joins its IPv4 address; both come
//! from `getifaddrs(3)`, the list `ip addr` shows.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use anyhow::Context;
use nix::net::if_::InterfaceFlags;

use crate::error::UsageError;

/// One interface, as far as datagram sockets care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iface {
    pub name: String,
    /// `if_nametoindex(3)`.
    pub index: u32,
    /// First IPv4 address, if any.
    pub ipv4: Option<Ipv4Addr>,
    /// First IPv6 address, if any (link-local ones included).
    pub ipv6: Option<Ipv6Addr>,
    /// The IPv4 broadcast address (`IFF_BROADCAST` interfaces only).
    pub broadcast: Option<Ipv4Addr>,
    pub up: bool,
    pub multicast: bool,
    /// Every `IFF_*` flag any of its addresses reports (`IFF_RUNNING`: carrier).
    pub flags: InterfaceFlags,
    /// Every IPv4 and IPv6 address it has.
    pub addrs: Vec<IpAddr>,
}

impl Iface {
    /// Every interface, from one walk of `getifaddrs(3)` (one entry per address; an
    /// interface with none still has one entry): the only place the list is read.
    pub fn all() -> anyhow::Result<Vec<Iface>> {
        let mut found: Vec<Iface> = Vec::new();
        for ifa in nix::ifaddrs::getifaddrs().context("getifaddrs")? {
            let at = match found.iter().position(|i| i.name == ifa.interface_name) {
                Some(at) => at,
                None => {
                    let index =
                        nix::net::if_::if_nametoindex(ifa.interface_name.as_str()).unwrap_or(0);
                    found.push(Iface::empty(&ifa.interface_name, index));
                    found.len() - 1
                }
            };
            found[at].add(&ifa);
        }
        Ok(found)
    }

    /// Look an interface up by name. An unknown name is a usage error (exit 2) that
    /// lists the interfaces that do exist.
    pub fn by_name(name: &str) -> anyhow::Result<Iface> {
        let all = Iface::all()?;
        let known = || {
            let mut names: Vec<&str> = all.iter().map(|i| i.name.as_str()).collect();
            names.sort();
            names.join(", ")
        };
        let found = all.iter().find(|i| i.name == name && i.index != 0);
        found.cloned().ok_or_else(|| {
            UsageError::invalid(format!(
                "unknown interface {name:?} (this host has: {})",
                known()
            ))
            .into()
        })
    }

    fn empty(name: &str, index: u32) -> Iface {
        Iface {
            name: name.to_string(),
            index,
            ipv4: None,
            ipv6: None,
            addrs: Vec::new(),
            broadcast: None,
            up: false,
            multicast: false,
            flags: InterfaceFlags::empty(),
        }
    }

    /// Fold one `getifaddrs` entry (an address and the flags) into the interface.
    fn add(&mut self, ifa: &nix::ifaddrs::InterfaceAddress) {
        self.flags |= ifa.flags;
        self.up |= ifa.flags.contains(InterfaceFlags::IFF_UP);
        self.multicast |= ifa.flags.contains(InterfaceFlags::IFF_MULTICAST);
        let addr = ifa.address.as_ref();
        if let Some(v4) = addr.and_then(|a| a.as_sockaddr_in()) {
            self.ipv4.get_or_insert(v4.ip());
            self.addrs.push(IpAddr::V4(v4.ip()));
            if ifa.flags.contains(InterfaceFlags::IFF_BROADCAST) {
                let given = ifa.broadcast.as_ref().and_then(|b| b.as_sockaddr_in());
                let mask = ifa.netmask.as_ref().and_then(|m| m.as_sockaddr_in());
                let brd = match (given.map(|b| b.ip()), mask.map(|m| m.ip())) {
                    // `ip addr add 192.0.2.1/24` without `brd +` sets none, and
                    // getifaddrs(3) then reports 0.0.0.0 or the address itself.
                    (Some(b), _) if !b.is_unspecified() && b != v4.ip() => Some(b),
                    (_, Some(m)) => directed_broadcast(v4.ip(), m),
                    _ => None,
                };
                if let Some(b) = brd {
                    self.broadcast.get_or_insert(b);
                }
            }
        }
        if let Some(v6) = addr.and_then(|a| a.as_sockaddr_in6()) {
            self.ipv6.get_or_insert(v6.ip());
            self.addrs.push(IpAddr::V6(v6.ip()));
        }
    }

    /// Look an interface up by index (`if_indextoname(3)`), e.g. an IPv6 zone id.
    pub fn by_index(index: u32) -> anyhow::Result<Iface> {
        let name = nix::net::if_::if_indextoname(index)
            .map_err(|_| UsageError::invalid(format!("no interface has index {index}")))?;
        Iface::by_name(&name.to_string_lossy())
    }

    /// The broadcast address, or an error saying why this interface has none.
    pub fn broadcast_addr(&self) -> anyhow::Result<Ipv4Addr> {
        self.broadcast.ok_or_else(|| {
            anyhow::anyhow!(
                "interface {} has no IPv4 broadcast address (no IPv4 address, or not a broadcast link)",
                self.name
            )
        })
    }

    /// The address of the given family, for `IP_ADD_SOURCE_MEMBERSHIP` and labels.
    pub fn addr_for(&self, v6: bool) -> Option<IpAddr> {
        if v6 {
            self.ipv6.map(IpAddr::V6)
        } else {
            self.ipv4.map(IpAddr::V4)
        }
    }
}

/// `ifindex 2 (eth0)` as --explain prints an interface index: the number the kernel
/// takes and the name people know it by ([`index_name`]).
pub fn ifindex_text(index: u32) -> String {
    format!("ifindex {index} ({})", index_name(index))
}

/// The name of interface `index` (`if_indextoname(3)`); index 0 is "any: the route
/// decides", an index no interface has (any more) is `gone`.
pub fn index_name(index: u32) -> String {
    if index == 0 {
        return "any: the route decides".to_string();
    }
    nix::net::if_::if_indextoname(index)
        .map_or_else(|_| "gone".to_string(), |n| n.to_string_lossy().into_owned())
}

pub fn directed_broadcast(ip: Ipv4Addr, mask: Ipv4Addr) -> Option<Ipv4Addr> {
    let m = u32::from(mask);
    if m.count_ones() >= 31 {
        return None;
    }
    Some(Ipv4Addr::from(u32::from(ip) | !m))
}

/// Names of all interfaces, for error messages.
pub fn names() -> anyhow::Result<Vec<String>> {
    let mut names: Vec<String> = Iface::all()?.into_iter().map(|i| i.name).collect();
    names.sort();
    Ok(names)
}

/// The loopback interface's index (`lo`, whatever it is called here).
pub fn loopback_index() -> Option<u32> {
    let all = Iface::all().ok()?;
    all.iter()
        .find(|i| i.flags.contains(InterfaceFlags::IFF_LOOPBACK))
        .map(|i| i.index)
}

/// The index of the interface holding address `ip`.
pub fn index_of_addr(ip: IpAddr) -> Option<u32> {
    let all = Iface::all().ok()?;
    all.iter().find(|i| i.addrs.contains(&ip)).map(|i| i.index)
}

/// Every address of every interface of this host.
pub fn local_addrs() -> Vec<IpAddr> {
    Iface::all()
        .map(|all| all.into_iter().flat_map(|i| i.addrs).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_found_with_its_address() {
        let lo = Iface::by_name("lo").unwrap();
        assert!(lo.index > 0);
        assert_eq!(lo.ipv4, Some(Ipv4Addr::LOCALHOST));
        assert!(lo.up);
        // Loopback is not a broadcast link.
        assert!(lo.broadcast_addr().is_err());
    }

    #[test]
    fn directed_broadcast_sets_the_host_bits() {
        let ip = Ipv4Addr::new(192, 0, 2, 7);
        assert_eq!(
            directed_broadcast(ip, Ipv4Addr::new(255, 255, 255, 0)),
            Some(Ipv4Addr::new(192, 0, 2, 255))
        );
        assert_eq!(
            directed_broadcast(ip, Ipv4Addr::new(255, 255, 255, 252)),
            Some(Ipv4Addr::new(192, 0, 2, 7))
        );
        assert_eq!(
            directed_broadcast(ip, Ipv4Addr::new(255, 255, 255, 254)),
            None
        );
    }

    #[test]
    fn by_index_finds_the_same_interface() {
        let lo = Iface::by_name("lo").unwrap();
        assert_eq!(Iface::by_index(lo.index).unwrap(), lo);
        assert_eq!(
            crate::error::exit_code(&Iface::by_index(999_999).unwrap_err()),
            2
        );
    }

    #[test]
    fn unknown_interface_is_a_usage_error_naming_the_real_ones() {
        let err = Iface::by_name("nosuch0").unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2);
        let msg = err.to_string();
        assert!(
            msg.contains("unknown interface \"nosuch0\"") && msg.contains("lo"),
            "{msg}"
        );
    }
}
