//! The kernel's own socket counters, which `ss -s` prints: `/proc/net/sockstat` and
//! `sockstat6` (sockets in use per protocol, orphaned TCP sockets, TIME-WAIT buckets,
//! IP fragments awaiting reassembly) and the `CurrEstab` counter of `/proc/net/snmp`.
//!
//! These count every socket of the network namespace, including those no table lists
//! (RAW, netlink, a TCP socket the application already closed: "orphaned"), so the
//! totals come from here rather than from counting rows. The three files are read one
//! right after the other, as ss reads them.

use std::io;

/// One reading of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sockstat {
    /// `sockets: used`: every socket of the namespace, of any family.
    pub used: u64,
    /// `TCP: inuse` / `TCP6: inuse`: TCP sockets in the hash tables (not TIME-WAIT).
    pub tcp4: u64,
    pub tcp6: u64,
    /// `TCP: orphan`: closed by their application, still finishing with the peer
    /// (the kernel counts these, and `alloc`, for the whole host, not per namespace).
    pub tcp_orphaned: u64,
    /// `TCP: tw`: TIME-WAIT buckets.
    pub tcp_timewait: u64,
    /// `TCP: alloc`: TCP sockets allocated (hashed or not).
    pub tcp_alloc: u64,
    /// `Tcp: CurrEstab` of `/proc/net/snmp`: ESTABLISHED and CLOSE-WAIT connections.
    pub tcp_estab: u64,
    pub udp4: u64,
    pub udp6: u64,
    pub raw4: u64,
    pub raw6: u64,
    /// `FRAG: inuse`: datagrams being reassembled from fragments.
    pub frag4: u64,
    pub frag6: u64,
}

impl Sockstat {
    /// Read the three files (`sockstat6` may be absent: IPv6 disabled).
    pub fn read() -> io::Result<Sockstat> {
        let v4 = std::fs::read_to_string("/proc/net/sockstat")?;
        let v6 = std::fs::read_to_string("/proc/net/sockstat6").unwrap_or_default();
        let snmp = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
        Ok(Sockstat::parse(&v4, &v6, &snmp))
    }

    /// Parse the text of the three files.
    pub fn parse(sockstat: &str, sockstat6: &str, snmp: &str) -> Sockstat {
        let field = |text: &str, line: &str, key: &str| -> u64 {
            text.lines()
                .find_map(|l| l.strip_prefix(line))
                .and_then(|rest| {
                    let words: Vec<&str> = rest.split_whitespace().collect();
                    words
                        .iter()
                        .position(|w| *w == key)
                        .and_then(|i| words.get(i + 1))
                        .and_then(|v| v.parse().ok())
                })
                .unwrap_or(0)
        };
        Sockstat {
            used: field(sockstat, "sockets:", "used"),
            tcp4: field(sockstat, "TCP:", "inuse"),
            tcp6: field(sockstat6, "TCP6:", "inuse"),
            tcp_orphaned: field(sockstat, "TCP:", "orphan"),
            tcp_timewait: field(sockstat, "TCP:", "tw"),
            tcp_alloc: field(sockstat, "TCP:", "alloc"),
            tcp_estab: snmp_value(snmp, "Tcp:", "CurrEstab"),
            udp4: field(sockstat, "UDP:", "inuse"),
            udp6: field(sockstat6, "UDP6:", "inuse"),
            raw4: field(sockstat, "RAW:", "inuse"),
            raw6: field(sockstat6, "RAW6:", "inuse"),
            frag4: field(sockstat, "FRAG:", "inuse"),
            frag6: field(sockstat6, "FRAG6:", "inuse"),
        }
    }

    /// TCP sockets as ss counts them: allocated ones plus TIME-WAIT buckets.
    pub fn tcp_total(&self) -> u64 {
        self.tcp_alloc + self.tcp_timewait
    }

    /// ss's "closed": `alloc - (inuse - tw)`. `inuse` leaves TIME-WAIT out on current
    /// kernels, so this counts TIME-WAIT buckets as well as allocated sockets in no
    /// hash table (closed, or never bound); kept as ss computes it, to compare.
    pub fn tcp_closed(&self) -> i64 {
        self.tcp_alloc as i64 - (self.tcp4 as i64 + self.tcp6 as i64 - self.tcp_timewait as i64)
    }
}

/// A value of `/proc/net/snmp`, whose lines come in pairs: `Tcp: Name1 Name2 …` then
/// `Tcp: 1 2 …`.
fn snmp_value(snmp: &str, prefix: &str, name: &str) -> u64 {
    let mut lines = snmp.lines().filter_map(|l| l.strip_prefix(prefix));
    let (Some(names), Some(values)) = (lines.next(), lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .position(|n| n == name)
        .and_then(|i| values.split_whitespace().nth(i))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V4: &str = "sockets: used 23\nTCP: inuse 4 orphan 4 tw 2278 alloc 11 mem 338\n\
                      UDP: inuse 2 mem 61\nUDPLITE: inuse 0\nRAW: inuse 1\nFRAG: inuse 3 memory 0\n";
    const V6: &str =
        "TCP6: inuse 2\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 0\nFRAG6: inuse 0 memory 0\n";
    const SNMP: &str = "Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: RtoAlgorithm RtoMin CurrEstab InSegs\n\
                        Tcp: 1 200 7 33223835\n";

    #[test]
    fn reads_the_counters_ss_reads() {
        let s = Sockstat::parse(V4, V6, SNMP);
        assert_eq!(s.used, 23);
        assert_eq!(
            (s.tcp4, s.tcp6, s.tcp_orphaned, s.tcp_timewait),
            (4, 2, 4, 2278)
        );
        assert_eq!((s.udp4, s.udp6, s.raw4, s.frag4), (2, 1, 1, 3));
        assert_eq!(s.tcp_estab, 7);
        // ss prints "TCP:   2289 (estab 7, closed 2283, orphaned 4, timewait 2278)".
        assert_eq!(s.tcp_total(), 2289);
        assert_eq!(s.tcp_closed(), 2283);
    }

    #[test]
    fn missing_ipv6_counts_as_zero() {
        let s = Sockstat::parse(V4, "", "");
        assert_eq!(
            (s.tcp6, s.udp6, s.raw6, s.frag6, s.tcp_estab),
            (0, 0, 0, 0, 0)
        );
    }

    #[test]
    fn this_host_has_counters() {
        let s = Sockstat::read().unwrap();
        assert!(s.used > 0);
    }
}
