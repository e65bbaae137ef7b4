//! ss parity where nettool claims it, checked in a network namespace of the test's
//! own so that both tools look at the same, unchanging set of sockets: plain `stat`
//! lists what plain `ss` lists (Unix sockets included), `stat -s` prints the totals
//! `ss -s` prints (orphaned, RAW and FRAG included), and `NETTOOL_STAT_PROC=1`
//! selects the /proc source as `--proc` does.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::process::Command;
use std::time::Duration;

use super::compare::Fixture;
use super::{Row, output_of, parse, ss, stat, with_port};
use crate::util::netns::in_new_netns;
use crate::util::{nettool, require, require_root, wait_until};

/// Everything the sockets of [`open_sockets`] need to stay alive.
type Held = (
    Vec<TcpStream>,
    Vec<UdpSocket>,
    Vec<Box<dyn std::any::Any>>,
    tempfile::TempDir,
);

/// In the current (fresh) namespace: a TCP listener with an established pair holding
/// unread bytes, a half-closed pair, a connected and an unconnected UDP socket, a Unix
/// listener with a connection, a Unix stream pair and a Unix datagram pair.
fn open_sockets() -> Held {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut c1 = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (s1, _) = l.accept().unwrap();
    c1.write_all(&[1u8; 10]).unwrap();
    let c2 = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (s2, _) = l.accept().unwrap();
    s2.shutdown(Shutdown::Write).unwrap();
    let u1 = UdpSocket::bind("127.0.0.1:0").unwrap();
    let u2 = UdpSocket::bind("127.0.0.1:0").unwrap();
    u2.connect(u1.local_addr().unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ul = UnixListener::bind(dir.path().join("p.sock")).unwrap();
    let uc = UnixStream::connect(dir.path().join("p.sock")).unwrap();
    let (us, _) = ul.accept().unwrap();
    let pair = UnixStream::pair().unwrap();
    let dpair = UnixDatagram::pair().unwrap();
    let keep: Vec<Box<dyn std::any::Any>> = vec![
        Box::new(l),
        Box::new(ul),
        Box::new(uc),
        Box::new(us),
        Box::new(pair),
        Box::new(dpair),
    ];
    // The half-close has reached the peer (CLOSE-WAIT) before anyone looks.
    assert!(wait_until(Duration::from_secs(5), || {
        ss(&["-tan"], Some("tcp"))
            .iter()
            .any(|r| r.state == "CLOSE-WAIT")
    }));
    (vec![c1, s1, c2, s2], vec![u1, u2], keep, dir)
}

/// Plain `ss` also asks for socket kinds this kernel lacks and says "RTNETLINK answers:
/// Invalid argument" on stderr for them; only its stdout is compared.
fn ss_text(args: &[&str]) -> String {
    let out = Command::new("ss").args(args).output().unwrap();
    assert!(out.status.success(), "ss {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn rows(text: &str) -> BTreeSet<Row> {
    parse(text, None).into_iter().collect()
}

#[test]
fn plain_stat_lists_what_plain_ss_lists() {
    if !require_root() || !require("ss") {
        return;
    }
    in_new_netns(|| {
        let _held = open_sockets();
        for args in [&[][..], &["-n"], &["-an", "-tux"]] {
            let ours = rows(&stat(args));
            let theirs = rows(&ss_text(args));
            assert_eq!(ours, theirs, "nettool stat {args:?} vs ss {args:?}");
        }
        let plain = rows(&stat(&[]));
        let netids: BTreeSet<&str> = plain.iter().map(|r| r.netid.as_str()).collect();
        assert_eq!(
            netids,
            ["tcp", "u_dgr", "u_str", "udp"].into_iter().collect(),
            "{plain:#?}"
        );
        assert!(
            plain
                .iter()
                .all(|r| r.state != "LISTEN" && r.state != "UNCONN")
        );
        assert!(plain.iter().any(|r| r.netid == "tcp" && r.recv_q == 10));
    });
}

/// The number after `word` in `text` (`estab 3` → 3).
fn after(text: &str, word: &str) -> i64 {
    let rest = text
        .split(word)
        .nth(1)
        .unwrap_or_else(|| panic!("no {word:?} in {text}"));
    rest.trim_start()
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no number after {word:?} in {text}"))
}

/// ss's summary block as numbers: the TCP line and the transport table.
fn ss_block(text: &str) -> (i64, Vec<(String, Vec<i64>)>) {
    let mut lines = text.lines();
    let total = after(lines.next().unwrap(), "Total:");
    let mut fields = vec![("TCP".to_string(), Vec::new())];
    let tcp = lines.next().unwrap();
    for w in ["TCP:", "estab", "closed", "orphaned", "timewait"] {
        fields[0].1.push(after(tcp, w));
    }
    for l in lines {
        let f: Vec<&str> = l.split_whitespace().collect();
        if let Some(name) = ["RAW", "UDP", "TCP", "INET", "FRAG"]
            .into_iter()
            .find(|n| f.first() == Some(n))
        {
            let nums = f[1..4].iter().map(|n| n.parse().unwrap()).collect();
            fields.push((name.to_string(), nums));
        }
    }
    (total, fields)
}

#[test]
fn summary_totals_match_ss_s() {
    if !require_root() || !require("ss") {
        return;
    }
    in_new_netns(|| {
        let _held = open_sockets();
        // An orphan: the client fills a peer that never reads, then closes; its FIN
        // waits behind unsent data (FIN-WAIT-1, held by the kernel alone, probing a
        // zero window). A plain close would not do: on loopback the FIN is acked at
        // once and an orphan in FIN-WAIT-2 becomes a timewait socket, no longer
        // counted as orphaned. Then a TIME-WAIT: we close first, the peer closes
        // after; a raw socket; an IPv6 UDP socket.
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (_kept, _) = l.accept().unwrap();
        c.set_nonblocking(true).unwrap();
        let chunk = [7u8; 65536];
        let mut filled = 0usize;
        while filled < 64 << 20 {
            match (&c).write(&chunk) {
                Ok(n) => filled += n,
                Err(_) => break,
            }
        }
        drop(c);
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (mut s, _) = l.accept().unwrap();
        drop(c);
        let _ = s.read(&mut [0u8; 1]);
        drop(s);
        let _raw = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::RAW,
            Some(socket2::Protocol::ICMPV4),
        )
        .unwrap();
        let _v6 = UdpSocket::bind("[::1]:0").unwrap();
        assert!(wait_until(Duration::from_secs(5), || {
            let t = ss_text(&["-s"]);
            after(&t, "orphaned") >= 1 && after(&t, "timewait") >= 1
        }));

        // ss, then nettool, then ss again: the namespace's own figures must match
        // exactly; the host-wide ones must lie between the two ss readings.
        let theirs_text = ss_text(&["-s"]);
        let ours_text = stat(&["-s"]);
        let after_text = ss_text(&["-s"]);
        let (their_total, mut theirs) = ss_block(&theirs_text);
        let (our_total, mut ours) = ss_block(&ours_text);
        let (_, mut later) = ss_block(&after_text);
        // The kernel keeps TCP's `alloc` and `orphan` counters for the whole host, not
        // per namespace (net/ipv4/proc.c), and ss derives the TCP line's total and
        // "closed" from `alloc`: every other program on the machine moves them.
        let host_wide = |f: &mut Vec<(String, Vec<i64>)>| -> [i64; 3] {
            let tcp = &mut f[0].1;
            let got = [tcp[0], tcp[2], tcp[3]];
            (tcp[0], tcp[2], tcp[3]) = (0, 0, 0);
            got
        };
        let our_host = host_wide(&mut ours);
        let (before, after) = (host_wide(&mut theirs), host_wide(&mut later));
        assert_eq!(ours, theirs, "nettool:\n{ours_text}\nss:\n{theirs_text}");
        for i in 0..3 {
            let (lo, hi) = (before[i].min(after[i]), before[i].max(after[i]));
            let slack = 5 + hi / 20;
            assert!(
                (lo - slack..=hi + slack).contains(&our_host[i]),
                "host-wide counter {i} outside the two ss readings:\nnettool:\n{ours_text}\nss before:\n{theirs_text}\nss after:\n{after_text}"
            );
        }
        // `sockets: used` also counts each tool's own netlink sockets while it runs.
        assert!(
            (our_total - their_total).abs() <= 2,
            "Total {our_total} vs ss {their_total}"
        );
        let get = |name: &str| ours.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert!(our_host[2] >= 1, "orphaned: {ours_text}");
        assert_eq!(get("RAW"), vec![1, 1, 0], "{ours_text}");
        assert_eq!(get("FRAG"), vec![0, 0, 0], "{ours_text}");
        assert!(get("UDP")[2] >= 1, "{ours_text}");

        let v: serde_json::Value = serde_json::from_str(stat(&["-s", "--json"]).trim()).unwrap();
        assert_eq!(v["transports"]["raw"]["ipv4"], 1, "{v}");
        assert!(v["tcp"]["orphaned"].as_i64() >= Some(1), "{v}");
        assert_eq!(v["tcp"]["estab"].as_i64(), Some(get("TCP")[1]), "{v}");
    });
}

#[test]
fn the_readme_form_of_the_proc_switch_is_accepted() {
    let f = Fixture::new();
    let by_flag = with_port(&parse(&stat(&["-tan", "--proc"]), Some("tcp")), f.port);
    let netlink = with_port(&parse(&stat(&["-tan"]), Some("tcp")), f.port);
    for value in ["1", "true", "yes"] {
        let by_env = output_of(
            nettool()
                .args(["stat", "-tan"])
                .env("NETTOOL_STAT_PROC", value),
        );
        let by_env = with_port(&parse(&by_env, Some("tcp")), f.port);
        assert_eq!(by_env, by_flag, "NETTOOL_STAT_PROC={value}");
    }
    // Really /proc: a listener's backlog (Send-Q) is only known to netlink.
    assert_ne!(by_flag, netlink);
    let off = output_of(
        nettool()
            .args(["stat", "-tan"])
            .env("NETTOOL_STAT_PROC", "0"),
    );
    assert_eq!(with_port(&parse(&off, Some("tcp")), f.port), netlink);
    let bad = nettool()
        .args(["stat"])
        .env("NETTOOL_STAT_PROC", "maybe")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
