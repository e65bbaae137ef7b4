//! Address arguments (`net::addr`): every CLI form — `PORT`, `:PORT`, `HOST:PORT`,
//! `[V6]:PORT`, `[V6%zone]:PORT`, a port by service name (`localhost:http`, for TCP
//! and for UDP), a Unix path or `@abstract` — from any text. (Service names come
//! from `/etc/services`, which the parser reads once; nothing else is opened.)
//!
//! Invariants: a parsed address prints back to an equivalent one (parsing the
//! printed form gives the same value, and printing that gives the same text); the
//! port is the number or the service written; a name host is a valid name; an address that needs no
//! lookup (a default or IP host, no zone or a numeric one) resolves to exactly the
//! printed address — so `listening on ADDR` and `-l ADDR` agree. No name is ever
//! looked up (that would be traffic) and no interface name is (that opens a socket).
//! A Unix target round-trips the same way and always fits `sun_path`.

use std::net::{IpAddr, SocketAddr};

use nettool::net::Family;
use nettool::net::addr::{Host, HostPort, UNIX_PATH_MAX, UnixTarget};
use nettool::net::services::{self, Transport};

fn check(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for transport in [Transport::Tcp, Transport::Udp] {
        host_port(s, transport);
    }
    unix(s);
}

fn host_port(s: &str, transport: Transport) {
    if let Ok(hp) = HostPort::parse(s, transport) {
        let printed = hp.to_string();
        let again = HostPort::parse(&printed, transport)
            .unwrap_or_else(|e| panic!("{s:?} printed as {printed:?}, which fails: {e}"));
        assert_eq!(again, hp, "{s:?} printed as {printed:?}");
        assert_eq!(again.to_string(), printed);
        // The port written: a number, or a service name of this transport.
        let written = s.trim().rsplit(':').next().unwrap_or("");
        let port = match written.parse::<u16>() {
            Ok(n) if written.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => services::port(written, transport)
                .unwrap_or_else(|e| panic!("{s:?}: port {written:?} accepted, yet {e}")),
        };
        assert_eq!(port, hp.port, "{s:?}");
        if let Host::Name(n) = &hp.host {
            assert!(
                !n.is_empty() && n.len() <= 253 && n.parse::<IpAddr>().is_err(),
                "{n:?}"
            );
        }
        let numeric_zone = hp.zone.as_ref().is_none_or(|z| z.parse::<u32>().is_ok());
        if !matches!(hp.host, Host::Name(_)) && numeric_zone {
            for family in [Family::Any, Family::V4, Family::V6] {
                match hp.resolve(family) {
                    Ok(addrs) => {
                        assert_eq!(addrs.len(), 1);
                        assert!(family.admits(&addrs[0]));
                        same_address(&hp, &addrs[0]);
                    }
                    Err(_) => assert!(
                        matches!(hp.host, Host::Ip(ip) if !family.admits(&SocketAddr::new(ip, 0))),
                        "{s:?} under {family:?}"
                    ),
                }
            }
        }
    }
}

fn unix(s: &str) {
    if let Ok(u) = UnixTarget::parse(s) {
        let printed = u.to_string();
        let again = UnixTarget::parse(&printed).ok();
        assert_eq!(again.as_ref(), Some(&u), "{s:?} printed as {printed:?}");
        let len = match &u {
            UnixTarget::Path(p) => p.as_os_str().len(),
            UnixTarget::Abstract(n) => n.len() + 1,
        };
        assert!(len <= UNIX_PATH_MAX, "{s:?}: {len} bytes");
    }
}

/// The resolved address is the one the parsed value prints.
fn same_address(hp: &HostPort, a: &SocketAddr) {
    assert_eq!(a.port(), hp.port);
    match (&hp.host, a) {
        (Host::Default, _) => assert!(a.ip().is_loopback(), "{a}"),
        (Host::Ip(ip), _) => assert_eq!(a.ip(), *ip),
        (Host::Name(_), _) => unreachable!("names are not resolved here"),
    }
    if let (SocketAddr::V6(v6), Some(z)) = (a, &hp.zone) {
        assert_eq!(z.parse::<u32>().ok(), Some(v6.scope_id()));
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
