//! `-s`: totals per protocol and family, and how many sockets sit in each state — a
//! quick look at a host's health (many TIME-WAIT: lots of short connections closed
//! here; many CLOSE-WAIT: an application forgets to close; SYN-RECV piling up: a
//! flood or a slow accept loop).

use std::io::{self, Write};

use serde_json::{Map, Value, json};

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

/// The summary as a table.
pub fn write(w: &mut impl Write, rows: &[Socket]) -> io::Result<()> {
    writeln!(w, "Total: {}", rows.len())?;
    writeln!(w)?;
    writeln!(
        w,
        "{:<10} {:>8} {:>8} {:>8}",
        "Transport", "Total", "IPv4", "IPv6"
    )?;
    for (name, protos) in GROUPS {
        let total = count(rows, protos, |_| true);
        if protos[0].is_unix() {
            writeln!(w, "{name:<10} {total:>8} {:>8} {:>8}", "-", "-")?;
        } else {
            let v6 = count(rows, protos, |s| s.v6);
            writeln!(w, "{name:<10} {total:>8} {:>8} {v6:>8}", total - v6)?;
        }
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
    Ok(())
}

/// The summary as one JSON object (`"event":"summary"`).
pub fn json(rows: &[Socket]) -> Value {
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
    json!({ "event": "summary", "total": rows.len(), "protocols": protos })
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
            v6only: false,
            state,
            recv_q: 0,
            send_q: 0,
            local: ep.clone(),
            peer: ep,
            uid: 0,
            inode: 0,
            timer: None,
            tcp_info: None,
            processes: Vec::new(),
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
        let v = json(&rows);
        assert_eq!(v["total"], 5);
        assert_eq!(v["protocols"]["tcp"]["states"]["TIME-WAIT"], 2);
        assert_eq!(v["protocols"]["tcp"]["ipv6"], 1);
        assert_eq!(v["protocols"]["udp"]["states"]["UNCONN"], 1);
        let mut out = Vec::new();
        write(&mut out, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("TIME-WAIT"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("TCP") && l.contains(" 3 ")),
            "{text}"
        );
    }
}
