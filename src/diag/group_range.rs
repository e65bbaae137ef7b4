//! The doctor's first question about a group: which block of the address space is it
//! in ([`crate::net::mcast_range`]), and does that block ask for something the
//! receiver may not be doing — a source for an SSM group, a group of its own instead of
//! one reserved for protocols on the link.

use std::net::IpAddr;

use super::Check;
use crate::net::mcast_range::{self, Rule};

/// `range`: ok for a free block, a note for a reserved one, a problem for an SSM group
/// diagnosed without the sender's address (`--source`), which its receivers must name.
pub fn check_range(group: IpAddr, source: Option<IpAddr>) -> Check {
    let Some(r) = mcast_range::of(group) else {
        return Check::problem(
            "range",
            format!("{group} is not a multicast group"),
            "use a group in 239.0.0.0/8 (IPv4) or ff0X::/16 (IPv6)",
        );
    };
    let found = format!("{group} is in {}", r.text());
    match (r.rule, source) {
        (Rule::Reserved, _) => Check::note(
            "range",
            format!("{found}, reserved for protocols on the link (all hosts, routers, OSPF …)"),
            "a group of your own belongs in 239.0.0.0/8",
        ),
        (Rule::SourceSpecific, None) => Check::problem(
            "range",
            format!("{found}: routers forward it only to receivers that name the source"),
            "join with `multicast recv GROUP:PORT --source SENDER` (and give the doctor --source SENDER)",
        ),
        (Rule::SourceSpecific, Some(s)) => Check::ok(
            "range",
            format!("{found}; receivers must join with --source {s}"),
        ),
        (Rule::Free, _) => Check::ok("range", found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Verdict;

    #[test]
    fn verdicts_follow_the_block() {
        let g = |s: &str| s.parse::<IpAddr>().unwrap();
        let c = check_range(g("239.1.2.3"), None);
        assert_eq!(
            (c.verdict, c.detail.as_str()),
            (
                Verdict::Ok,
                "239.1.2.3 is in 239.0.0.0/8 administratively scoped"
            )
        );
        assert_eq!(check_range(g("224.0.0.9"), None).verdict, Verdict::Note);
        assert_eq!(check_range(g("232.1.1.1"), None).verdict, Verdict::Problem);
        let c = check_range(g("232.1.1.1"), Some(g("192.0.2.1")));
        assert_eq!(c.verdict, Verdict::Ok);
        assert!(
            check_range(g("ff02::1234"), None)
                .detail
                .contains("ff02::/16 link-local")
        );
    }
}
