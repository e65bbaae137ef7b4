//! Who holds an address a bind was refused (`EADDRINUSE`), asked of the socket table.
//!
//! The kernel's answer, "address already in use", names no culprit, and the usual guess
//! ("another server is listening") is wrong as often as not: after an active close the
//! port is held by a TIME-WAIT socket for 2 MSL (60 s on Linux), which `SO_REUSEADDR`
//! lets a new listener bind over. So before the error is shown, the same sock_diag dump
//! that `nettool stat` makes ([`super::collect`], with `/proc/PID/fd` for the owning
//! process as `ss -p` does) is asked about the port, and the error says what it found:
//! a listener and its pid, a TIME-WAIT socket and its time left, a connection, a bound
//! UDP socket — with the fix that fits. When the table shows nothing (a race, no
//! netlink), the errno's own hint stays.

use std::net::{IpAddr, SocketAddr};

use super::{Endpoint, Proto, Query, Socket, State, StateSet, collect};
use crate::net::Family;
use crate::os_error::{BindSite, OsError};

/// Reword a failed bind's `EADDRINUSE` (anywhere in the chain) with who holds the
/// address; any other error passes unchanged.
pub fn diagnose(mut err: anyhow::Error) -> anyhow::Error {
    let Some(os) = err.downcast_mut::<OsError>() else {
        return err;
    };
    let Some(site) = os.bind_site() else {
        return err;
    };
    if os.io().raw_os_error() != Some(libc::EADDRINUSE) {
        return err;
    }
    match holders(&site) {
        Ok(rows) => {
            if let Some(why) = in_use(&site, &rows) {
                os.reword(
                    format!("address {} in use", crate::net::addr::display(&site.addr)),
                    why,
                );
            }
        }
        Err(e) => log::debug!("who holds {}: {}", site.addr, crate::error::render(&e)),
    }
    err
}

/// The sockets of the site's protocol whose local address overlaps it, with their
/// processes.
pub fn holders(site: &BindSite) -> anyhow::Result<Vec<Socket>> {
    let q = Query {
        tcp: site.tcp,
        udp: !site.tcp,
        family: Family::Any,
        states: StateSet::all(),
        sport: Some(site.addr.port()),
        processes: true,
        aside: true,
        ..Query::default()
    };
    let mut rows = collect(&q)?;
    rows.retain(|s| overlaps(site.addr, s));
    Ok(rows)
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Whether a socket bound at `s`'s local address conflicts with a bind of `ours`: the
/// same port and the same address, or a wildcard on either side (a v6-only wildcard
/// leaves IPv4 alone).
fn overlaps(ours: SocketAddr, s: &Socket) -> bool {
    let Endpoint::Inet { addr, .. } = &s.local else {
        return false;
    };
    if addr.port() != ours.port() {
        return false;
    }
    let (a, b) = (canonical(ours.ip()), canonical(addr.ip()));
    if a == b {
        return true;
    }
    if b.is_unspecified() {
        return !(s.v6only && a.is_ipv4());
    }
    a.is_unspecified() && (a.is_ipv4() == b.is_ipv4() || a.is_ipv6())
}

/// `pid 1234 (nginx)` (and how many more hold it), or `None` when no process is
/// visible (another user's, without root).
fn owner(s: &Socket) -> Option<String> {
    let mut pids: Vec<(i32, &str)> = s
        .processes
        .iter()
        .map(|p| (p.pid, p.name.as_str()))
        .collect();
    pids.sort();
    pids.dedup_by_key(|p| p.0);
    let (pid, name) = pids.first()?;
    let more = match pids.len() - 1 {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(format!("pid {pid} ({name}){more}"))
}

fn endpoint(e: &Endpoint) -> String {
    match e {
        Endpoint::Inet { addr, .. } => crate::net::addr::display(addr),
        Endpoint::Unix { .. } => "?".into(),
    }
}

/// ` (on 0.0.0.0:7007)` when the holder's address is not the one asked for.
fn where_(site: &BindSite, s: &Socket) -> String {
    match &s.local {
        Endpoint::Inet { addr, .. } if canonical(addr.ip()) != canonical(site.addr.ip()) => {
            format!(" (on {})", crate::net::addr::display(addr))
        }
        _ => String::new(),
    }
}

/// What to say about the holders of `site`, best culprit first: a listener, then a
/// TIME-WAIT socket (only when `SO_REUSEADDR` was off: with it on, TIME-WAIT does not
/// hold a port), then any other connection or bound socket. `None` when the table
/// shows none of them.
pub fn in_use(site: &BindSite, rows: &[Socket]) -> Option<String> {
    let listen_fix = "stop it or pick another port";
    if let Some(l) = rows
        .iter()
        .find(|s| s.proto == Proto::Tcp && s.state == State::Listen)
    {
        let at = where_(site, l);
        return Some(match owner(l) {
            Some(who) => format!("{who} is listening there{at} — {listen_fix}"),
            None => format!("another process is listening there{at} — {listen_fix}"),
        });
    }
    let reuse_fix = "SO_REUSEADDR is off (--no-reuseaddr) — leave out --no-reuseaddr or wait";
    let mut waits: Vec<&Socket> = rows.iter().filter(|s| s.state == State::TimeWait).collect();
    if site.tcp && !site.reuse_addr && !waits.is_empty() {
        // The one that lasts longest decides how long to wait.
        waits.sort_by_key(|s| std::cmp::Reverse(s.timer.map(|t| t.expires)));
        let tw = waits[0];
        let left = tw.timer.map_or(String::new(), |t| {
            format!(", {} s left (2 MSL)", t.expires.as_secs())
        });
        let more = match waits.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        return Some(format!(
            "held by a TIME-WAIT socket {} ↔ {}{left}{more}; {reuse_fix}",
            endpoint(&tw.local),
            endpoint(&tw.peer)
        ));
    }
    let other = rows.iter().find(|s| s.state != State::TimeWait)?;
    let who = owner(other).unwrap_or_else(|| "another process".into());
    let at = where_(site, other);
    Some(match (site.tcp, other.state) {
        (false, _) => format!("{who} has a UDP socket bound there{at} — {listen_fix}"),
        (true, State::Closed) => {
            format!("{who} has a TCP socket bound there{at}, not listening — {listen_fix}")
        }
        (true, state) => format!(
            "held by {} connection {} ↔ {} of {who}; {}",
            article(state.name(true)),
            endpoint(&other.local),
            endpoint(&other.peer),
            if site.reuse_addr {
                "close it or pick another port"
            } else {
                "SO_REUSEADDR is off (--no-reuseaddr) — leave out --no-reuseaddr or close it"
            }
        ),
    })
}

/// `an ESTABLISHED`, `a FIN-WAIT-2`.
fn article(word: &str) -> String {
    let an = word.starts_with(['A', 'E', 'I', 'O', 'U']);
    format!("{} {word}", if an { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::stat::{ProcRef, Timer};

    fn site(addr: &str, tcp: bool, reuse: bool) -> BindSite {
        BindSite {
            addr: addr.parse().unwrap(),
            tcp,
            reuse_addr: reuse,
        }
    }

    fn sock(state: State, local: &str, peer: &str) -> Socket {
        Socket::tcp_for_test(state, local, peer)
    }

    fn owned(mut s: Socket, pid: i32, name: &str) -> Socket {
        s.processes.push(ProcRef {
            name: name.into(),
            pid,
            fd: 3,
        });
        s
    }

    #[test]
    fn a_listener_is_named_by_its_pid() {
        let l = owned(
            sock(State::Listen, "0.0.0.0:17012", "0.0.0.0:0"),
            1234,
            "nginx",
        );
        let t = in_use(
            &site("127.0.0.1:17012", true, true),
            std::slice::from_ref(&l),
        )
        .unwrap();
        assert_eq!(
            t,
            "pid 1234 (nginx) is listening there (on 0.0.0.0:17012) — stop it or pick another port"
        );
        let mut hidden = l;
        hidden.processes.clear();
        let t = in_use(&site("0.0.0.0:17012", true, true), &[hidden]).unwrap();
        assert_eq!(
            t,
            "another process is listening there — stop it or pick another port"
        );
    }

    #[test]
    fn time_wait_is_named_with_its_time_left_and_the_fix() {
        let mut tw = sock(State::TimeWait, "127.0.0.1:17012", "127.0.0.1:52268");
        tw.timer = Some(Timer {
            kind: "timewait",
            expires: Duration::from_millis(59_400),
            retrans: 0,
        });
        let s = site("127.0.0.1:17012", true, false);
        assert_eq!(
            in_use(&s, std::slice::from_ref(&tw)).unwrap(),
            "held by a TIME-WAIT socket 127.0.0.1:17012 ↔ 127.0.0.1:52268, 59 s left (2 MSL); \
             SO_REUSEADDR is off (--no-reuseaddr) — leave out --no-reuseaddr or wait"
        );
        // With SO_REUSEADDR on, TIME-WAIT holds nothing: not the culprit.
        assert_eq!(in_use(&site("127.0.0.1:17012", true, true), &[tw]), None);
    }

    #[test]
    fn connections_and_udp_sockets() {
        let c = owned(
            sock(State::Established, "127.0.0.1:7000", "127.0.0.1:40000"),
            9,
            "ssh",
        );
        let t = in_use(&site("127.0.0.1:7000", true, false), &[c]).unwrap();
        assert!(
            t.starts_with(
                "held by an ESTABLISHED connection 127.0.0.1:7000 ↔ 127.0.0.1:40000 of pid 9 (ssh)"
            ),
            "{t}"
        );
        let mut u = owned(sock(State::Closed, "0.0.0.0:5000", "0.0.0.0:0"), 7, "socat");
        u.proto = Proto::Udp;
        let t = in_use(&site("127.0.0.1:5000", false, false), &[u]).unwrap();
        assert_eq!(
            t,
            "pid 7 (socat) has a UDP socket bound there (on 0.0.0.0:5000) — stop it or pick another port"
        );
        assert_eq!(in_use(&site("127.0.0.1:5000", false, false), &[]), None);
    }

    #[test]
    fn overlap_follows_addresses_and_wildcards() {
        let at = |a: &str| sock(State::Listen, a, "0.0.0.0:0");
        let ours: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(overlaps(ours, &at("127.0.0.1:80")));
        assert!(overlaps(ours, &at("0.0.0.0:80")));
        assert!(overlaps(ours, &at("[::]:80")));
        assert!(overlaps(ours, &at("[::ffff:127.0.0.1]:80")));
        assert!(!overlaps(ours, &at("127.0.0.2:80")));
        assert!(!overlaps(ours, &at("127.0.0.1:81")));
        let mut only6 = at("[::]:80");
        only6.v6only = true;
        assert!(!overlaps(ours, &only6));
        assert!(overlaps("0.0.0.0:80".parse().unwrap(), &at("127.0.0.1:80")));
        assert!(overlaps("[::]:80".parse().unwrap(), &at("127.0.0.1:80")));
        assert_eq!(article("ESTABLISHED"), "an ESTABLISHED");
        assert_eq!(article("FIN-WAIT-2"), "a FIN-WAIT-2");
        assert_eq!(article("SYN-SENT"), "a SYN-SENT");
    }

    #[test]
    fn our_own_listener_is_found_in_the_table() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let rows = holders(&site(&addr.to_string(), true, true)).unwrap();
        let t = in_use(&site(&addr.to_string(), true, true), &rows).unwrap();
        assert!(
            t.starts_with(&format!("pid {} (", std::process::id())),
            "{t}"
        );
    }
}
