//! `-s`: the kernel's totals as `ss -s` prints them (every socket, TCP with its
//! established, closed, orphaned and TIME-WAIT counts, then RAW, UDP, TCP, INET and
//! FRAG per family, from [`super::sockstat`]), followed by how many listed sockets sit
//! in each state — a quick look at a host's health (many TIME-WAIT: lots of short
//! connections closed here; many CLOSE-WAIT: an application forgets to close; many
//! orphaned: closed connections still draining to slow peers; SYN-RECV piling up: a
//! flood or a slow accept loop).

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::sockstat::Sockstat;
use super::state::ALL_STATES;
use super::{Proto, Socket};

const GROUPS: [(&str, &[Proto]); 3] = [
    ("TCP", &[Proto::Tcp]),
    ("UDP", &[Proto::Udp]),
    (
        "UNIX",
        &[Proto::UnixStream, Proto::UnixDgram, Proto::UnixSeqpacket],
    ),
];

fn count(rows: &[Socket], protos: &[Proto], f: impl Fn(&Socket) -> bool) -> usize {
    rows.iter()
        .filter(|s| protos.contains(&s.proto) && f(s))
        .count()
}

/// The rows of ss's transport table: name, IPv4 and IPv6 counts.
fn transports(k: &Sockstat) -> [(&'static str, u64, u64); 5] {
    [
        ("RAW", k.raw4, k.raw6),
        ("UDP", k.udp4, k.udp6),
        ("TCP", k.tcp4, k.tcp6),
        ("INET", k.raw4 + k.udp4 + k.tcp4, k.raw6 + k.udp6 + k.tcp6),
        ("FRAG", k.frag4, k.frag6),
    ]
}

/// The summary as text: ss's lines first, then the states of the listed sockets.
pub fn write(w: &mut impl Write, k: &Sockstat, rows: &[Socket]) -> io::Result<()> {
    writeln!(w, "Total: {}", k.used)?;
    writeln!(
        w,
        "TCP:   {} (estab {}, closed {}, orphaned {}, timewait {})",
        k.tcp_total(),
        k.tcp_estab,
        k.tcp_closed(),
        k.tcp_orphaned,
        k.tcp_timewait
    )?;
    writeln!(w)?;
    writeln!(w, "Transport Total     IP        IPv6")?;
    for (name, v4, v6) in transports(k) {
        writeln!(w, "{name:<9} {:<9} {v4:<9} {v6}", v4 + v6)?;
    }
    writeln!(w)?;
    writeln!(w, "{:<12} {:>8} {:>8} {:>8}", "State", "TCP", "UDP", "UNIX")?;
    for st in ALL_STATES {
        let n: Vec<usize> = GROUPS
            .iter()
            .map(|(_, p)| count(rows, p, |s| s.state == st))
            .collect();
        if n.iter().all(|&x| x == 0) {
            continue;
        }
        writeln!(
            w,
            "{:<12} {:>8} {:>8} {:>8}",
            st.name(true),
            n[0],
            n[1],
            n[2]
        )?;
    }
    let totals: Vec<usize> = GROUPS
        .iter()
        .map(|(_, p)| count(rows, p, |_| true))
        .collect();
    writeln!(
        w,
        "{:<12} {:>8} {:>8} {:>8}",
        "(listed)", totals[0], totals[1], totals[2]
    )?;
    Ok(())
}

/// The summary as one JSON object (`"event":"summary"`): `total` and `tcp` as in ss,
/// `transports` per family, `protocols` the listed sockets per state.
pub fn json(k: &Sockstat, rows: &[Socket]) -> Value {
    let mut protos = Map::new();
    for (name, group) in GROUPS {
        let mut states = Map::new();
        for st in ALL_STATES {
            let n = count(rows, group, |s| s.state == st);
            if n > 0 {
                states.insert(st.name(group[0] == Proto::Tcp).into(), n.into());
            }
        }
        let v6 = count(rows, group, |s| s.v6);
        protos.insert(
            name.to_ascii_lowercase(),
            json!({ "total": count(rows, group, |_| true), "ipv6": v6, "states": states }),
        );
    }
    let mut families = Map::new();
    for (name, v4, v6) in transports(k) {
        families.insert(
            name.to_ascii_lowercase(),
            json!({"total": v4 + v6, "ipv4": v4, "ipv6": v6}),
        );
    }
    crate::output::record(
        "summary",
        json!({
        "total": k.used,
        "tcp": {"total": k.tcp_total(), "estab": k.tcp_estab, "closed": k.tcp_closed(),
                "orphaned": k.tcp_orphaned, "timewait": k.tcp_timewait},
        "transports": families,
        "listed": rows.len(),
        "protocols": protos,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stat::{Endpoint, State};

    fn s(proto: Proto, state: State, v6: bool) -> Socket {
        let ep = Endpoint::Unix {
            name: None,
            inode: 0,
        };
        Socket {
            proto,
            v6,
            local: ep.clone(),
            peer: ep,
            ..Socket::tcp_for_test(state, "0.0.0.0:0", "0.0.0.0:0")
        }
    }

    #[test]
    fn counts_per_state_and_family() {
        let rows = vec![
            s(Proto::Tcp, State::Established, false),
            s(Proto::Tcp, State::TimeWait, true),
            s(Proto::Tcp, State::TimeWait, false),
            s(Proto::Udp, State::Closed, false),
            s(Proto::UnixStream, State::Listen, false),
        ];
        let k = Sockstat {
            used: 40,
            tcp4: 1,
            tcp_timewait: 2,
            tcp_alloc: 3,
            raw4: 1,
            frag6: 2,
            ..Sockstat::default()
        };
        let v = json(&k, &rows);
        assert_eq!(v["total"], 40);
        assert_eq!(v["listed"], 5);
        assert_eq!(v["tcp"]["orphaned"], 0);
        assert_eq!(v["transports"]["raw"]["ipv4"], 1);
        assert_eq!(v["transports"]["frag"]["total"], 2);
        assert_eq!(v["protocols"]["tcp"]["states"]["TIME-WAIT"], 2);
        assert_eq!(v["protocols"]["tcp"]["ipv6"], 1);
        assert_eq!(v["protocols"]["udp"]["states"]["UNCONN"], 1);
        let mut out = Vec::new();
        write(&mut out, &k, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("Total: 40\nTCP:   5 (estab 0, closed 4, orphaned 0, timewait 2)\n\nTransport Total     IP        IPv6\nRAW       1         1         0\n"), "{text}");
        assert!(
            text.contains("\nFRAG      2         0         2\n"),
            "{text}"
        );
        assert!(text.contains("TIME-WAIT"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("(listed)") && l.contains(" 3 ")),
            "{text}"
        );
    }
}
