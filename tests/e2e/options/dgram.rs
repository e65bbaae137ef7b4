//! Rows for the datagram commands. `udp`, `broadcast` and `multicast` share their
//! send and receive options, so one check per option runs on each path: UDP on the
//! host's loopback, broadcast and multicast inside a namespace of their own (never on
//! the host's interfaces). The receiver is nettool itself (`--json … recv`), the
//! datagrams are its `datagram` records.

use std::time::Duration;

use super::Row;
use super::fixtures::*;
use crate::util::Server;
use crate::util::netns::Netns;

/// The send options every datagram sender shares (`SendOpts`).
macro_rules! send_rows {
    ($cmd:literal, $net:expr) => {
        super::rows!($cmd:
            "--hexdump" => || send_hexdump($net),
            "--stats" => || send_stats($net),
            "--count" => || send_count($net),
            "--interval" => || send_interval($net),
            "--raw" => || send_raw($net),
            "--size" => || send_size($net),
            "--probe" => || send_probe($net),
            "--bind" => || send_bind($net),
        )
    };
}

/// The receive options every datagram receiver shares (`RecvOpts`).
macro_rules! recv_rows {
    ($cmd:literal, $net:expr) => {
        super::rows!($cmd:
            "--hexdump" => || recv_hexdump($net),
            "--stats" => || recv_stats($net),
            "--count" => || recv_count($net),
            "--timeout" => || recv_timeout($net),
            "--buffer" => || recv_buffer($net),
            "--probe" => || recv_probe($net),
            "--reuse-port" => || recv_reuse_port($net),
        )
    };
}

pub fn rows() -> Vec<Row> {
    [
        send_rows!("udp send", Net::Udp),
        super::rows!("udp send":
            "--timeout" => udp_send_replies,
            "-4" => || udp_send_family("-4", "AF_INET,"),
            "-6" => || udp_send_family("-6", "AF_INET6"),
        ),
        recv_rows!("udp recv", Net::Udp),
        super::rows!("udp recv":
            "--listen" => || listens_where_told(&["udp", "recv"], true),
            "-4" => || family_decides_the_host(&["udp", "recv"], "-4", "127.0.0.1:"),
            "-6" => || family_decides_the_host(&["udp", "recv"], "-6", "[::1]:"),
        ),
        send_rows!("broadcast send", Net::Broadcast),
        super::rows!("broadcast send":
            "--iface" => broadcast_iface,
            "--to" => broadcast_to,
        ),
        recv_rows!("broadcast recv", Net::Broadcast),
        super::rows!("broadcast recv": "--iface" => || recv_iface(Net::Broadcast)),
        send_rows!("multicast send", Net::Multicast),
        super::rows!("multicast send":
            "--iface" => || multicast_sendopt(&["-i", "lo"], "IP_MULTICAST_IF, ip_mreqn{ifindex 1"),
            "--ttl" => || multicast_sendopt(&["--ttl", "3"], "IP_MULTICAST_TTL, 3)"),
            "--loop" => || multicast_sendopt(&["--no-loop", "--loop"], "IP_MULTICAST_LOOP, 1)"),
            "--no-loop" => || multicast_sendopt(&["--no-loop"], "IP_MULTICAST_LOOP, 0)"),
        ),
        recv_rows!("multicast recv", Net::Multicast),
        super::rows!("multicast recv":
            "--iface" => || recv_iface(Net::Multicast),
            "--source" => multicast_source,
        ),
    ]
    .concat()
}

/// Where datagrams travel.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Net {
    Udp,
    Broadcast,
    Multicast,
}

const GROUP: &str = "239.5.6.7";

/// A place to run a receiver and a sender: the host (UDP on loopback) or a
/// namespace (broadcast, multicast).
struct Lab {
    net: Net,
    ns: Option<Netns>,
}

impl Lab {
    fn new(net: Net) -> Option<Lab> {
        let ns = match net {
            Net::Udp => None,
            _ => Some(netns("odg")?),
        };
        Some(Lab { net, ns })
    }

    fn nettool(&self, args: &[&str]) -> std::process::Command {
        let mut c = match &self.ns {
            Some(ns) => ns.nettool(),
            None => crate::util::nettool(),
        };
        c.args(args);
        c
    }

    /// `--json <net> recv …` (listening on a free port for UDP, port 5000 in a
    /// namespace), ready when this returns.
    fn receiver(&self, args: &[&str]) -> Server {
        let head: Vec<String> = match self.net {
            Net::Udp => ["--json", "udp", "recv", "-l", "127.0.0.1:0"]
                .map(String::from)
                .into(),
            Net::Broadcast => ["--json", "broadcast", "recv", "5000"]
                .map(String::from)
                .into(),
            Net::Multicast => {
                let group = format!("{GROUP}:5000");
                vec![
                    "--json".into(),
                    "multicast".into(),
                    "recv".into(),
                    group,
                    "-i".into(),
                    "lo".into(),
                ]
            }
        };
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        let mut c = self.nettool(&[&head[..], args].concat());
        c.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped());
        Server::start_cmd(c)
    }

    /// `<net> send` to `rx` with `args` and `input` on stdin, to completion.
    fn send(&self, rx: &Server, args: &[&str], input: &[u8]) -> std::process::Output {
        let to: Vec<String> = match self.net {
            Net::Udp => vec!["udp".into(), "send".into(), rx.host_port()],
            Net::Broadcast => ["broadcast", "send", "5000", "--to", "127.255.255.255"]
                .map(String::from)
                .into(),
            Net::Multicast => vec![
                "multicast".into(),
                "send".into(),
                format!("{GROUP}:5000"),
                "-i".into(),
                "lo".into(),
            ],
        };
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        run_with(self.nettool(&[&to[..], args].concat()), input)
    }

    /// The setup calls of `nettool --dry-run ARGS…` here.
    fn dry(&self, args: &[&str]) -> String {
        match &self.ns {
            Some(ns) => dry_in(ns, args),
            None => dry(args),
        }
    }
}

/// Wait for a receiver to end: its datagram records (data, sender) and status.
fn datagrams(rx: Server) -> (bool, Vec<(String, String)>, String) {
    let (ok, out) = crate::udp::finish(rx);
    let text = String::from_utf8_lossy(&out).into_owned();
    let got = events(&text, "datagram")
        .iter()
        .map(|d| {
            (
                d["data"].as_str().unwrap_or("").to_string(),
                d["peer"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (ok, got, text)
}

/// Send with `args` / `input`; the data of the `n` datagrams that arrived.
fn through(lab: &Lab, args: &[&str], input: &[u8], n: usize) -> Vec<String> {
    let count = n.to_string();
    let rx = lab.receiver(&["-n", &count, "-w", "5"]);
    let out = lab.send(&rx, args, input);
    assert!(out.status.success(), "{out:?}");
    let (_, got, text) = datagrams(rx);
    assert_eq!(got.len(), n, "{text}");
    got.into_iter().map(|(d, _)| d).collect()
}

fn send_count(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    assert_eq!(through(&lab, &["x", "-n", "3"], b"", 3), ["x", "x", "x"]);
}

fn send_interval(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (got, took) = timed(|| through(&lab, &["a", "b", "c", "--interval", "150ms"], b"", 3));
    assert_eq!(got, ["a", "b", "c"]);
    assert!(took >= Duration::from_millis(300), "{took:?}");
}

fn send_raw(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    assert_eq!(through(&lab, &[], b"a\nb\n", 2), ["a\n", "b\n"]);
    assert_eq!(through(&lab, &["--raw"], b"a\nb\n", 1), ["a\nb\n"]);
}

fn send_size(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    assert_eq!(
        through(&lab, &["--raw", "--size", "2"], b"abcd", 2),
        ["ab", "cd"]
    );
}

fn send_probe(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let rx = lab.receiver(&["--probe", "-n", "4", "-w", "5"]);
    assert!(lab.send(&rx, &["--probe", "-n", "4"], b"").status.success());
    let (_, out) = crate::udp::finish(rx);
    let probe = events(&String::from_utf8_lossy(&out), "probe");
    assert_eq!(probe[0]["received"], 4, "{probe:?}");
}

fn send_bind(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let rx = lab.receiver(&["-n", "1", "-w", "5"]);
    assert!(
        lab.send(&rx, &["x", "--bind", "127.0.0.2"], b"")
            .status
            .success()
    );
    let (_, got, _) = datagrams(rx);
    assert!(got[0].1.starts_with("127.0.0.2:"), "{got:?}");
}

fn send_hexdump(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (_d, dump) = temp_path("s.dump");
    let rx = lab.receiver(&["-n", "1", "-w", "5"]);
    assert!(lab.send(&rx, &["hello", "-x", &dump], b"").status.success());
    datagrams(rx);
    dump_holds(&dump, b"", b"hello");
}

fn send_stats(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let rx = lab.receiver(&["-n", "1", "-w", "5"]);
    let out = lab.send(&rx, &["hello", "--stats"], b"");
    datagrams(rx);
    assert!(
        stderr(&out).contains("1 datagram (5 bytes) out"),
        "{}",
        stderr(&out)
    );
}

/// A receiver with `args`, fed by the same path's sender with `send`: whether it
/// ended well, and its JSON output.
fn received_with(lab: &Lab, args: &[&str], send: &[&str]) -> (bool, String) {
    let rx = lab.receiver(args);
    let out = lab.send(&rx, send, b"");
    assert!(out.status.success(), "{out:?}");
    let (ok, out) = crate::udp::finish(rx);
    (ok, String::from_utf8_lossy(&out).into_owned())
}

fn recv_count(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (ok, text) = received_with(&lab, &["-n", "2", "-w", "5"], &["a", "b", "c"]);
    assert!(ok);
    assert_eq!(
        events(&text, "datagram").len(),
        2,
        "-n 2 stops after two: {text}"
    );
}

fn recv_timeout(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let rx = lab.receiver(&["-w", "200ms"]);
    let (ok, _) = crate::udp::finish(rx);
    assert!(!ok, "-w without a datagram is a failure");
}

fn recv_buffer(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (_, text) = received_with(
        &lab,
        &["-n", "1", "-w", "5", "--buffer", "4"],
        &["0123456789"],
    );
    let d = &events(&text, "datagram")[0];
    assert_eq!(
        (d["len"].as_u64(), d["kept"].as_u64()),
        (Some(10), Some(4)),
        "{d}"
    );
}

fn recv_probe(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let rx = lab.receiver(&["-n", "3", "-w", "5"]);
    assert!(lab.send(&rx, &["--probe", "-n", "3"], b"").status.success());
    let (_, out) = crate::udp::finish(rx);
    assert!(
        events(&String::from_utf8_lossy(&out), "probe").is_empty(),
        "no report without --probe"
    );
    let rx = lab.receiver(&["--probe", "-n", "3", "-w", "5"]);
    assert!(lab.send(&rx, &["--probe", "-n", "3"], b"").status.success());
    let (_, out) = crate::udp::finish(rx);
    assert_eq!(events(&String::from_utf8_lossy(&out), "probe").len(), 1);
}

fn recv_hexdump(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (_d, dump) = temp_path("r.dump");
    received_with(&lab, &["-n", "1", "-w", "5", "-x", &dump], &["hello"]);
    dump_holds(&dump, b"hello", b"");
}

fn recv_stats(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (_, text) = received_with(&lab, &["-n", "1", "-w", "5", "--stats"], &["hello"]);
    let s = events(&text, "summary");
    assert!(s.iter().any(|v| v["datagrams_in"] == 1), "{text}");
}

fn recv_reuse_port(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let args: Vec<String> = match net {
        Net::Udp => ["udp", "recv", "-l", "127.0.0.1:0"]
            .map(String::from)
            .into(),
        Net::Broadcast => ["broadcast", "recv", "5000"].map(String::from).into(),
        Net::Multicast => vec![
            "multicast".into(),
            "recv".into(),
            format!("{GROUP}:5000"),
            "-i".into(),
            "lo".into(),
        ],
    };
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    no_call(&lab.dry(&args), &["SO_REUSEPORT"]);
    args.push("--reuse-port");
    has_call(&lab.dry(&args), &["SO_REUSEPORT, 1"]);
}

fn recv_iface(net: Net) {
    let Some(lab) = Lab::new(net) else { return };
    let (args, call): (Vec<String>, &str) = match net {
        Net::Broadcast => (
            ["broadcast", "recv", "5000", "-i", "lo"]
                .map(String::from)
                .into(),
            "SO_BINDTODEVICE, \"lo\"",
        ),
        _ => (
            vec![
                "multicast".into(),
                "recv".into(),
                format!("{GROUP}:5000"),
                "-i".into(),
                "lo".into(),
            ],
            "ifindex 1",
        ),
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    has_call(&lab.dry(&args), &["setsockopt(", call]);
}

fn broadcast_iface() {
    let Some(lab) = Lab::new(Net::Broadcast) else {
        return;
    };
    let calls = lab.dry(&[
        "broadcast",
        "send",
        "5000",
        "-i",
        "lo",
        "--to",
        "127.255.255.255",
        "x",
    ]);
    has_call(&calls, &["SO_BINDTODEVICE, \"lo\""]);
    // Without --to the interface's own broadcast address is the destination: lo has none.
    let out = run_with(
        lab.nettool(&["broadcast", "send", "5000", "-i", "lo", "x"]),
        b"",
    );
    assert!(
        stderr(&out).contains("no IPv4 broadcast address"),
        "{}",
        stderr(&out)
    );
}

fn broadcast_to() {
    let Some(lab) = Lab::new(Net::Broadcast) else {
        return;
    };
    assert_eq!(through(&lab, &["to all"], b"", 1), ["to all"]);
}

fn multicast_sendopt(args: &[&str], call: &str) {
    let Some(lab) = Lab::new(Net::Multicast) else {
        return;
    };
    let group = format!("{GROUP}:5000");
    let all = [&["multicast", "send", &group][..], args, &["x"]].concat();
    has_call(&lab.dry(&all), &["setsockopt(", call]);
}

fn multicast_source() {
    let Some(lab) = Lab::new(Net::Multicast) else {
        return;
    };
    let group = format!("{GROUP}:5000");
    let args = [
        "multicast",
        "recv",
        &group,
        "-i",
        "lo",
        "--source",
        "127.0.0.1",
    ];
    has_call(
        &lab.dry(&args),
        &["IP_ADD_SOURCE_MEMBERSHIP", "source 127.0.0.1"],
    );
}

fn udp_send_replies() {
    let echo = Server::start(&["udp", "serve", "-l", "127.0.0.1:0"]);
    let out = run(&["udp", "send", &echo.host_port(), "hi", "-w", "300ms"]);
    assert_eq!(
        out.stdout, b"hi",
        "-w waits for and prints the reply: {out:?}"
    );
}

fn udp_send_family(flag: &str, family: &str) {
    has_call(
        &dry(&["udp", "send", flag, ":9", "x"]),
        &["socket(", family],
    );
}
