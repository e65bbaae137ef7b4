//! Does the firewall drop the group's datagrams? The nftables ruleset (`nft -j list
//! ruleset`, JSON) is walked the way the kernel walks it for one packet — UDP to the
//! group and port, arriving on the receiver's interface — through every base chain on
//! the receive path (`prerouting` and `input` hooks of the `ip`, `ip6` and `inet`
//! families), following jumps, until a verdict or the chain's policy.
//!
//! A rule whose conditions the packet cannot meet (`tcp dport 22`, another address, a
//! port outside its set) is skipped, so only rules that can drop this traffic are
//! reported. A condition that depends on what is not known here (conntrack state, a
//! random number, the sender's address when `--source` is not given) makes the rule
//! one that *may* drop: reported as a note, not a problem.

mod describe;
mod field;

use std::collections::HashMap;
use std::net::IpAddr;

use serde_json::Value;

use describe::describe_rule;

/// The packet being asked about.
#[derive(Debug, Clone)]
pub struct Packet<'a> {
    pub group: IpAddr,
    pub port: u16,
    /// The interface it arrives on, when known (`-i`, or the group's route).
    pub iface: Option<&'a str>,
    /// The sender's address, when known (`--source`).
    pub source: Option<IpAddr>,
}

/// A rule (or a policy) that drops or rejects the packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drop {
    /// `inet filter input`.
    pub chain: String,
    /// The rule as nft would print it, roughly (`udp dport 5000 drop`), or `policy drop`.
    pub rule: String,
    /// The rule's handle, for `nft delete rule … handle N`; `None` for a policy.
    pub handle: Option<u64>,
    /// Every condition is known to hold (otherwise it only may).
    pub certain: bool,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Verdict {
    pub drops: Vec<Drop>,
    /// Drop or reject rules in the ruleset that cannot match this packet.
    pub unrelated_drops: usize,
}

/// Three-valued: a condition holds, does not, or cannot be decided here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }

    fn from(b: bool) -> Tri {
        if b { Tri::Yes } else { Tri::No }
    }
}

struct Chain {
    family: String,
    table: String,
    name: String,
    hook: Option<String>,
    prio: i64,
    policy_drop: bool,
    rules: Vec<(u64, Vec<Value>)>,
}

/// How a walk through a chain ended.
enum Fate {
    Accepted,
    Dropped,
    /// Fell off the end (or `return`): back to the caller, or to the base chain's policy.
    Continue,
}

/// Walk the ruleset (the JSON of `nft -j list ruleset`) for `packet`.
pub fn evaluate(ruleset: &Value, packet: &Packet) -> Verdict {
    let items = ruleset["nftables"].as_array().cloned().unwrap_or_default();
    let mut chains: Vec<Chain> = Vec::new();
    let mut sets: HashMap<(String, String, String), Vec<Value>> = HashMap::new();
    for item in &items {
        if let Some(c) = item.get("chain") {
            chains.push(Chain {
                family: str_of(&c["family"]),
                table: str_of(&c["table"]),
                name: str_of(&c["name"]),
                hook: c["hook"].as_str().map(str::to_string),
                prio: c["prio"].as_i64().unwrap_or(0),
                policy_drop: c["policy"] == "drop",
                rules: Vec::new(),
            });
        } else if let Some(s) = item.get("set") {
            let elems = s["elem"].as_array().cloned().unwrap_or_default();
            sets.insert(
                (
                    str_of(&s["family"]),
                    str_of(&s["table"]),
                    str_of(&s["name"]),
                ),
                elems,
            );
        }
    }
    let mut verdict = Verdict::default();
    for item in &items {
        let Some(r) = item.get("rule") else { continue };
        let expr = r["expr"].as_array().cloned().unwrap_or_default();
        if expr
            .iter()
            .any(|e| e.get("drop").is_some() || e.get("reject").is_some())
        {
            verdict.unrelated_drops += 1;
        }
        let key = (
            str_of(&r["family"]),
            str_of(&r["table"]),
            str_of(&r["chain"]),
        );
        if let Some(c) = chains
            .iter_mut()
            .find(|c| (c.family.clone(), c.table.clone(), c.name.clone()) == key)
        {
            c.rules.push((r["handle"].as_u64().unwrap_or(0), expr));
        }
    }
    let walker = Walker {
        chains: &chains,
        sets: &sets,
        packet,
    };
    // In the order the kernel runs them: prerouting before input, then by priority.
    let mut bases: Vec<&Chain> = chains
        .iter()
        .filter(|c| walker.on_receive_path(c))
        .collect();
    bases.sort_by_key(|c| (c.hook.as_deref() != Some("prerouting"), c.prio));
    for base in bases {
        let mut found = Vec::new();
        let fate = walker.walk(base, Tri::Yes, &mut found, 0);
        if matches!(fate, Fate::Continue) && base.policy_drop {
            found.push(Drop {
                chain: label(base),
                rule: "policy drop".into(),
                handle: None,
                certain: true,
            });
        }
        verdict.drops.extend(found);
    }
    verdict.unrelated_drops = verdict
        .unrelated_drops
        .saturating_sub(verdict.drops.iter().filter(|d| d.handle.is_some()).count());
    verdict
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn label(c: &Chain) -> String {
    format!("{} {} {}", c.family, c.table, c.name)
}

struct Walker<'a> {
    chains: &'a [Chain],
    sets: &'a HashMap<(String, String, String), Vec<Value>>,
    packet: &'a Packet<'a>,
}

impl Walker<'_> {
    /// A base chain the packet passes on its way in: `prerouting` or `input`, of a
    /// family that sees its IP version.
    fn on_receive_path(&self, c: &Chain) -> bool {
        let family_sees = match c.family.as_str() {
            "inet" => true,
            "ip" => self.packet.group.is_ipv4(),
            "ip6" => self.packet.group.is_ipv6(),
            _ => false,
        };
        family_sees && matches!(c.hook.as_deref(), Some("prerouting" | "input"))
    }

    /// Walk `chain`'s rules in order; `reached` says whether the packet surely gets
    /// here (`Unknown` below a jump that may not be taken).
    fn walk(&self, chain: &Chain, reached: Tri, found: &mut Vec<Drop>, depth: usize) -> Fate {
        if depth > 16 {
            return Fate::Continue;
        }
        for (handle, expr) in &chain.rules {
            let cond = expr
                .iter()
                .fold(reached, |acc, e| acc.and(self.condition(chain, e)));
            if cond == Tri::No {
                continue;
            }
            let certain = cond == Tri::Yes;
            for e in expr {
                if e.get("drop").is_some() || e.get("reject").is_some() {
                    found.push(Drop {
                        chain: label(chain),
                        rule: describe_rule(expr),
                        handle: Some(*handle),
                        certain,
                    });
                    if certain {
                        return Fate::Dropped;
                    }
                } else if e.get("accept").is_some() {
                    if certain {
                        return Fate::Accepted;
                    }
                } else if e.get("return").is_some() {
                    if certain {
                        return Fate::Continue;
                    }
                } else if let Some(target) = e
                    .get("jump")
                    .or_else(|| e.get("goto"))
                    .and_then(|j| j["target"].as_str())
                {
                    let Some(next) = self.chains.iter().find(|c| {
                        c.family == chain.family && c.table == chain.table && c.name == target
                    }) else {
                        continue;
                    };
                    match self.walk(next, cond, found, depth + 1) {
                        Fate::Accepted if certain => return Fate::Accepted,
                        Fate::Dropped if certain => return Fate::Dropped,
                        _ => {}
                    }
                }
            }
        }
        Fate::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `nft -j list ruleset` of `testdata/nft-ruleset.nft`, loaded into a namespace.
    fn ruleset() -> Value {
        serde_json::from_str(include_str!("testdata/nft-ruleset.json")).unwrap()
    }

    fn drops(group: &str, port: u16, iface: Option<&str>) -> Vec<(String, bool)> {
        let p = Packet {
            group: group.parse().unwrap(),
            port,
            iface,
            source: None,
        };
        evaluate(&ruleset(), &p)
            .drops
            .into_iter()
            .map(|d| (d.rule, d.certain))
            .collect()
    }

    #[test]
    fn a_rule_for_another_port_or_protocol_is_not_reported() {
        // tcp dport 22, udp dport 5000, the 6000-6010 range for 239.1.2.3 only, the
        // @blocked set {6000, 7000}, ip6 daddr ff02::1: none can match this packet.
        // What remains: ct state invalid (unknown here) may drop it.
        let d = drops("239.9.9.9", 4000, Some("lo"));
        assert_eq!(d, vec![("ct state invalid drop".to_string(), false)]);
    }

    #[test]
    fn a_rule_for_the_port_is_a_certain_drop() {
        assert_eq!(
            drops("239.9.9.9", 5000, Some("lo")),
            vec![("udp dport 5000 drop".to_string(), true)]
        );
        let set = drops("239.9.9.9", 7000, Some("lo"));
        assert_eq!(set, vec![("udp dport @blocked drop".to_string(), true)]);
    }

    #[test]
    fn address_ranges_sets_and_prefixes_are_read() {
        let d = drops("239.1.2.3", 6005, Some("lo"));
        assert_eq!(
            d[0],
            (
                "ip daddr 239.1.2.3 udp dport 6000-6010 reject".to_string(),
                true
            )
        );
        assert!(
            drops("239.1.2.4", 6005, Some("lo"))
                .iter()
                .all(|(r, _)| !r.contains("6000-6010"))
        );
        // 224.0.0.0/4 and {7001, 7002}, but numgen drops only a tenth: "may".
        let d = drops("239.7.7.7", 7002, Some("lo"));
        assert_eq!(
            d[0],
            (
                "ip daddr 224.0.0.0/4 udp dport { 7001, 7002 } numgen random mod 10 0 drop"
                    .to_string(),
                false
            )
        );
    }

    #[test]
    fn the_interface_decides_iif_rules() {
        let on_eth9 = drops("239.9.9.9", 4000, Some("eth9"));
        assert_eq!(on_eth9, vec![("meta iifname eth9 drop".to_string(), true)]);
        // An unknown interface: the iifname rule may match.
        let unknown = drops("239.9.9.9", 4000, None);
        assert_eq!(unknown[0], ("meta iifname eth9 drop".to_string(), false));
        // The raw prerouting chain: udp dport 8000 iif "lo".
        assert_eq!(
            drops("239.9.9.9", 8000, Some("lo"))[0],
            ("udp dport 8000 meta iif lo drop".to_string(), true)
        );
        assert!(
            drops("239.9.9.9", 8000, Some("eth0"))
                .iter()
                .all(|(r, _)| !r.contains("8000"))
        );
    }

    #[test]
    fn jumps_are_followed_and_families_kept_apart() {
        // The `extra` chain, reached by `jump extra`: ip6 daddr ff02::1 drop (every
        // condition of it holds, so it is certain; the ct rule before it only may).
        let d = drops("ff02::1", 4000, Some("lo"));
        assert_eq!(
            d,
            vec![
                ("ct state invalid drop".to_string(), false),
                ("ip6 daddr ff02::1 drop".to_string(), true)
            ]
        );
        // An IPv4 group never meets the ip6 rule; the ip-family raw chain never sees IPv6.
        assert!(
            drops("239.9.9.9", 4000, Some("lo"))
                .iter()
                .all(|(r, _)| !r.contains("ff02"))
        );
        assert!(
            drops("ff0e::1", 8000, Some("lo"))
                .iter()
                .all(|(r, _)| !r.contains("8000"))
        );
    }

    #[test]
    fn policy_drop_without_an_accepting_rule_is_reported() {
        let rs: Value = serde_json::json!({"nftables": [
            {"chain": {"family": "inet", "table": "t", "name": "in", "hook": "input", "policy": "drop"}},
            {"rule": {"family": "inet", "table": "t", "chain": "in", "handle": 2,
                      "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 9}}, {"accept": null}]}},
        ]});
        let p = |port| Packet {
            group: "239.1.1.1".parse().unwrap(),
            port,
            iface: None,
            source: None,
        };
        let v = evaluate(&rs, &p(5000));
        assert_eq!(v.drops.len(), 1);
        assert_eq!(
            (v.drops[0].rule.as_str(), v.drops[0].handle),
            ("policy drop", None)
        );
        assert!(
            evaluate(&rs, &p(9)).drops.is_empty(),
            "an accept rule matches port 9"
        );
    }

    #[test]
    fn unrelated_drop_rules_are_counted() {
        let p = Packet {
            group: "239.9.9.9".parse().unwrap(),
            port: 4000,
            iface: Some("lo"),
            source: None,
        };
        let v = evaluate(&ruleset(), &p);
        assert_eq!(v.drops.len(), 1);
        assert_eq!(v.unrelated_drops, 8);
    }
}
