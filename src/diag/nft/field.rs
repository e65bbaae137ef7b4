//! How one match of a rule is decided for the packet: the packet's value for the
//! left side (a header field, a meta key) against the right side (a value, a set, a
//! range, a prefix, a named set), yes, no or cannot tell.

use std::net::IpAddr;

use serde_json::Value;

use super::{Chain, Tri, Walker};

impl Walker<'_> {
    /// Whether one statement of a rule lets the packet through to its verdict.
    /// Statements that are not conditions (counter, log, verdicts) hold.
    pub(super) fn condition(&self, chain: &Chain, e: &Value) -> Tri {
        if let Some(m) = e.get("match") {
            return self.matches(chain, m);
        }
        // Conditions nft writes as statements of their own (`limit rate …`, `quota …`).
        if e.get("limit").is_some() || e.get("quota").is_some() {
            return Tri::Unknown;
        }
        Tri::Yes
    }

    fn matches(&self, chain: &Chain, m: &Value) -> Tri {
        let op = m["op"].as_str().unwrap_or("==");
        let right = &m["right"];
        let actual = match self.field(&m["left"]) {
            Field::Value(v) => v,
            Field::WrongProtocol => return Tri::No,
            Field::Unknown => return Tri::Unknown,
        };
        let hit = self.value_matches(chain, &actual, right);
        match (op, hit) {
            (_, Tri::Unknown) => Tri::Unknown,
            ("==" | "in", h) => h,
            ("!=", h) => Tri::from(h == Tri::No),
            (cmp, _) => match (&actual, right.as_u64()) {
                (Actual::Num(a), Some(b)) => Tri::from(match cmp {
                    "<" => *a < b,
                    ">" => *a > b,
                    "<=" => *a <= b,
                    ">=" => *a >= b,
                    _ => return Tri::Unknown,
                }),
                _ => Tri::Unknown,
            },
        }
    }

    /// The packet's value for the left side of a match.
    fn field(&self, left: &Value) -> Field {
        let p = self.packet;
        if let Some(pl) = left.get("payload") {
            let proto = pl["protocol"].as_str().unwrap_or_default();
            let field = pl["field"].as_str().unwrap_or_default();
            return match (proto, field) {
                ("udp" | "th", "dport") => Field::Value(Actual::Num(p.port.into())),
                ("udp" | "th", _) => Field::Unknown,
                ("ip", _) if !p.group.is_ipv4() => Field::WrongProtocol,
                ("ip6", _) if !p.group.is_ipv6() => Field::WrongProtocol,
                ("ip" | "ip6", "daddr") => Field::Value(Actual::Addr(p.group)),
                ("ip" | "ip6", "saddr") => p
                    .source
                    .map_or(Field::Unknown, |s| Field::Value(Actual::Addr(s))),
                ("ip", "protocol") | ("ip6", "nexthdr") => Field::Value(Actual::Named(17, "udp")),
                ("ip" | "ip6", _) => Field::Unknown,
                // The packet is UDP: a condition on another protocol's header fails.
                ("tcp" | "sctp" | "dccp" | "icmp" | "icmpv6" | "igmp" | "esp" | "ah", _) => {
                    Field::WrongProtocol
                }
                _ => Field::Unknown,
            };
        }
        if let Some(meta) = left.get("meta") {
            return match meta["key"].as_str().unwrap_or_default() {
                "l4proto" => Field::Value(Actual::Named(17, "udp")),
                "nfproto" => Field::Value(if p.group.is_ipv4() {
                    Actual::Named(2, "ipv4")
                } else {
                    Actual::Named(10, "ipv6")
                }),
                "protocol" => Field::Value(if p.group.is_ipv4() {
                    Actual::Named(0x0800, "ip")
                } else {
                    Actual::Named(0x86dd, "ip6")
                }),
                "pkttype" => Field::Value(Actual::Named(2, "multicast")),
                "iif" | "iifname" => p.iface.map_or(Field::Unknown, |i| {
                    Field::Value(Actual::Iface(i.to_string()))
                }),
                _ => Field::Unknown,
            };
        }
        Field::Unknown
    }

    fn value_matches(&self, chain: &Chain, actual: &Actual, right: &Value) -> Tri {
        if let Some(name) = right.as_str().and_then(|s| s.strip_prefix('@')) {
            let key = (chain.family.clone(), chain.table.clone(), name.to_string());
            return match self.sets.get(&key) {
                Some(elems) => any(elems.iter().map(|v| self.value_matches(chain, actual, v))),
                None => Tri::Unknown,
            };
        }
        if let Some(elems) = right.get("set").and_then(Value::as_array) {
            return any(elems.iter().map(|v| self.value_matches(chain, actual, v)));
        }
        if let Some(inner) = right.get("elem") {
            return self.value_matches(chain, actual, &inner["val"]);
        }
        match actual {
            Actual::Num(n) => {
                if let Some(r) = right.get("range").and_then(Value::as_array) {
                    return match (
                        r.first().and_then(Value::as_u64),
                        r.get(1).and_then(Value::as_u64),
                    ) {
                        (Some(lo), Some(hi)) => Tri::from((lo..=hi).contains(n)),
                        _ => Tri::Unknown,
                    };
                }
                right.as_u64().map_or(Tri::Unknown, |v| Tri::from(v == *n))
            }
            Actual::Named(n, name) => match (right.as_u64(), right.as_str()) {
                (Some(v), _) => Tri::from(v == *n),
                (_, Some(s)) => Tri::from(s == *name),
                _ => Tri::Unknown,
            },
            Actual::Addr(ip) => {
                if let Some(p) = right.get("prefix") {
                    let net: Option<IpAddr> = p["addr"].as_str().and_then(|a| a.parse().ok());
                    return match (net, p["len"].as_u64()) {
                        (Some(net), Some(len)) => Tri::from(in_prefix(*ip, net, len as u32)),
                        _ => Tri::Unknown,
                    };
                }
                if let Some(r) = right.get("range").and_then(Value::as_array) {
                    let bound = |i: usize| {
                        r.get(i)
                            .and_then(Value::as_str)
                            .and_then(|a| a.parse::<IpAddr>().ok())
                    };
                    return match (bound(0), bound(1)) {
                        (Some(lo), Some(hi)) => Tri::from(lo <= *ip && *ip <= hi),
                        _ => Tri::Unknown,
                    };
                }
                match right.as_str().and_then(|a| a.parse::<IpAddr>().ok()) {
                    Some(a) => Tri::from(a == *ip),
                    None => Tri::Unknown,
                }
            }
            Actual::Iface(name) => match right.as_str() {
                // `iifname "eth*"`: a trailing `*` matches any suffix.
                Some(pat) => Tri::from(match pat.strip_suffix('*') {
                    Some(prefix) => name.starts_with(prefix),
                    None => pat == name,
                }),
                None => Tri::Unknown,
            },
        }
    }
}

/// One of the packet's values, as a match compares it.
enum Actual {
    Num(u64),
    /// A number nft may also write by name (`udp` for 17).
    Named(u64, &'static str),
    Addr(IpAddr),
    Iface(String),
}

enum Field {
    Value(Actual),
    /// The match needs another protocol (a `tcp` header): it cannot hold.
    WrongProtocol,
    Unknown,
}

fn any(results: impl Iterator<Item = Tri>) -> Tri {
    let mut seen = Tri::No;
    for r in results {
        match r {
            Tri::Yes => return Tri::Yes,
            Tri::Unknown => seen = Tri::Unknown,
            Tri::No => {}
        }
    }
    seen
}

fn in_prefix(ip: IpAddr, net: IpAddr, len: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - len.min(32)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - len.min(128)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}
