//! Which block of the multicast address space a group is in, and what that means.
//!
//! A group address is not just a number: IANA splits 224.0.0.0/4 into blocks with
//! rules of their own (RFC 5771) — 224.0.0.0/24 is link-local control, never
//! forwarded and used by routing and discovery protocols (224.0.0.1 all hosts,
//! 224.0.0.5 OSPF); 232.0.0.0/8 is source-specific multicast (SSM, RFC 4607), which
//! routers forward only to joins that name a source; 239.0.0.0/8 is administratively
//! scoped (RFC 2365), the private range meant for a site's own use. An IPv6 group
//! carries its scope in the address itself (ff0**2**:: link-local, ff0**5**:: site,
//! ff0**e**:: global; RFC 4291) and ff3x::/32 is its SSM block (RFC 4607).

use std::net::IpAddr;

/// What a block asks of the one who joins or sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Reserved for protocols on the link: a join works, but is probably a mistake.
    Reserved,
    /// Source-specific: a join should name the source (`--source`).
    SourceSpecific,
    /// Nothing special.
    Free,
}

/// A block of group addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// `239.0.0.0/8`, `ff02::/16`.
    pub prefix: String,
    /// `administratively scoped`, `link-local`.
    pub name: &'static str,
    pub rule: Rule,
}

impl Range {
    /// `239.0.0.0/8 administratively scoped`.
    pub fn text(&self) -> String {
        format!("{} {}", self.prefix, self.name)
    }
}

/// The block `group` is in (`None` when it is not a multicast address).
pub fn of(group: IpAddr) -> Option<Range> {
    if !group.is_multicast() {
        return None;
    }
    let r = |prefix: &str, name, rule| {
        Some(Range {
            prefix: prefix.to_string(),
            name,
            rule,
        })
    };
    match group {
        IpAddr::V4(g) => match g.octets() {
            [224, 0, 0, _] => r("224.0.0.0/24", "link-local control", Rule::Reserved),
            [224, 0, 1, _] => r("224.0.1.0/24", "internetwork control", Rule::Reserved),
            [232, ..] => r("232.0.0.0/8", "source-specific (SSM)", Rule::SourceSpecific),
            [233, ..] => r("233.0.0.0/8", "GLOP (by AS number)", Rule::Free),
            [239, ..] => r("239.0.0.0/8", "administratively scoped", Rule::Free),
            _ => r("224.0.0.0/4", "globally scoped", Rule::Free),
        },
        IpAddr::V6(g) => {
            let first = g.segments()[0];
            let flags = (first >> 4) & 0xf;
            let scope = first & 0xf;
            if flags == 3 {
                let prefix = format!("ff3{scope:x}::/32");
                return r(&prefix, "source-specific (SSM)", Rule::SourceSpecific);
            }
            let (name, rule) = match scope {
                1 => ("interface-local", Rule::Free),
                2 => ("link-local", Rule::Free),
                3 => ("realm-local", Rule::Free),
                4 => ("admin-local", Rule::Free),
                5 => ("site-local", Rule::Free),
                8 => ("organization-local", Rule::Free),
                0xe => ("global", Rule::Free),
                _ => ("of unassigned scope", Rule::Free),
            };
            r(&format!("ff{flags:x}{scope:x}::/16"), name, rule)
        }
    }
}

/// What to warn about before joining `group` (with or without a `source`): a reserved
/// block, or a source-specific group joined from any source.
pub fn join_warning(group: IpAddr, source: bool) -> Option<String> {
    let r = of(group)?;
    match (r.rule, source) {
        (Rule::Reserved, _) => Some(format!(
            "{group} is in {}: reserved for protocols on the link (224.0.0.1 all hosts, \
             224.0.0.2 all routers, 224.0.0.5 OSPF …); joined anyway — a group of your own \
             belongs in 239.0.0.0/8",
            r.text()
        )),
        (Rule::SourceSpecific, false) => Some(format!(
            "{group} is in {}: routers forward it only to joins that name a source \
             (--source ADDR); joined from any source, which works on this link only",
            r.text()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(g: &str) -> String {
        of(g.parse().unwrap()).unwrap().text()
    }

    #[test]
    fn ipv4_blocks() {
        assert_eq!(text("224.0.0.251"), "224.0.0.0/24 link-local control");
        assert_eq!(text("232.1.1.1"), "232.0.0.0/8 source-specific (SSM)");
        assert_eq!(text("239.1.2.3"), "239.0.0.0/8 administratively scoped");
        assert_eq!(text("225.1.2.3"), "224.0.0.0/4 globally scoped");
        assert!(of("10.0.0.1".parse().unwrap()).is_none());
    }

    #[test]
    fn ipv6_scopes_and_ssm() {
        assert_eq!(text("ff02::1234"), "ff02::/16 link-local");
        assert_eq!(text("ff05::2"), "ff05::/16 site-local");
        assert_eq!(text("ff1e::1"), "ff1e::/16 global");
        assert_eq!(text("ff3e::4321"), "ff3e::/32 source-specific (SSM)");
    }

    #[test]
    fn warnings_for_reserved_and_sourceless_ssm_joins() {
        let w = join_warning("224.0.0.5".parse().unwrap(), false).unwrap();
        assert!(w.starts_with("224.0.0.5 is in 224.0.0.0/24 link-local control: reserved"));
        let w = join_warning("232.1.1.1".parse().unwrap(), false).unwrap();
        assert!(w.contains("--source ADDR"), "{w}");
        assert_eq!(join_warning("232.1.1.1".parse().unwrap(), true), None);
        assert_eq!(join_warning("239.1.1.1".parse().unwrap(), false), None);
        assert!(join_warning("ff3e::1".parse().unwrap(), false).is_some());
    }
}
