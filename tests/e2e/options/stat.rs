//! Rows for `stat`: sockets the test itself holds (a TCP listener and a connection
//! to it, a UDP socket, a Unix listener, an IPv6 listener), looked at through each
//! option and compared with what the option promises.

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::UnixListener;
use std::time::Duration;

use super::Row;
use super::fixtures::*;

pub fn rows() -> Vec<Row> {
    super::rows!("stat":
        "--tcp" => tcp,
        "--udp" => udp,
        "--unix" => unix,
        "--listening" => listening,
        "--all" => all,
        "--numeric" => numeric,
        "--resolve" => resolve,
        "--processes" => || field(&["-tp"], "process"),
        "--extended" => || field(&["-te"], "inode"),
        "--info" => || field(&["-ti"], "tcp_info"),
        "--memory" => || field(&["-tm"], "skmem"),
        "--options" => || field(&["-to"], "timer"),
        "--summary" => summary,
        "--groups" => groups,
        "-4" => v4,
        "-6" => v6,
        "--state" => state,
        "--sport" => sport,
        "--dport" => dport,
        "--pid" => pid,
        "--self" => self_,
        "--watch" => watch,
        "--count" => count,
        "--proc" => proc,
        "--packets" => packets,
        "--iface" => iface,
        "--absolute" => absolute,
        "--buffer" => buffer,
        "--timeout" => packets_timeout,
    )
}

/// Sockets of the test: a listener, one connection to it, and a UDP socket on the
/// listener's port number — so a protocol filter is seen by what it leaves out of one
/// `--sport`, whatever other tests have open meanwhile.
struct Sockets {
    tcp: TcpListener,
    _client: TcpStream,
    _server: TcpStream,
    _udp: UdpSocket,
}

impl Sockets {
    fn new() -> Sockets {
        let (tcp, udp) = (0..20)
            .find_map(|_| {
                let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
                let udp = UdpSocket::bind(tcp.local_addr().unwrap()).ok()?;
                Some((tcp, udp))
            })
            .expect("a port free for both TCP and UDP");
        let client = TcpStream::connect(tcp.local_addr().unwrap()).unwrap();
        let (server, _) = tcp.accept().unwrap();
        Sockets {
            tcp,
            _client: client,
            _server: server,
            _udp: udp,
        }
    }

    fn tcp_port(&self) -> String {
        self.tcp.local_addr().unwrap().port().to_string()
    }
}

/// `stat --json ARGS…`: its socket records.
fn stat(args: &[&str]) -> Vec<serde_json::Value> {
    let out = run(&[&["--json", "stat"][..], args].concat());
    assert!(out.status.success(), "{out:?}");
    events(&stdout(&out), "socket")
}

fn states(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["state"].as_str().unwrap().to_string())
        .collect()
}

/// Rows of `stat ARGS… --sport PORT`: their netids, never empty.
fn netids(args: &[&str], port: &str) -> Vec<String> {
    let rows = stat(&[args, &["--sport", port]].concat());
    assert!(!rows.is_empty(), "{args:?} listed nothing on port {port}");
    rows.iter()
        .map(|r| r["netid"].as_str().unwrap().to_string())
        .collect()
}

fn tcp() {
    let s = Sockets::new();
    assert!(
        netids(&["-t", "-a"], &s.tcp_port())
            .iter()
            .all(|n| n == "tcp")
    );
}

fn udp() {
    let s = Sockets::new();
    assert!(
        netids(&["-u", "-a"], &s.tcp_port())
            .iter()
            .all(|n| n == "udp")
    );
}

fn unix() {
    let (_d, path) = temp_path("st.sock");
    let _l = UnixListener::bind(&path).unwrap();
    let on = |args: &[&str]| {
        stat(args)
            .iter()
            // A Unix socket's "address:port" is its path and its inode, as in ss.
            .any(|r| {
                r["local"]
                    .as_str()
                    .is_some_and(|l| l.starts_with(&format!("{path}:")))
            })
    };
    assert!(on(&["-x", "-l"]));
    assert!(!on(&["-t", "-l"]));
}

fn listening() {
    let s = Sockets::new();
    assert_eq!(
        states(&stat(&["-t", "--sport", &s.tcp_port()])),
        ["ESTABLISHED"]
    );
    assert_eq!(
        states(&stat(&["-t", "-l", "--sport", &s.tcp_port()])),
        ["LISTEN"]
    );
}

fn all() {
    let s = Sockets::new();
    let mut got = states(&stat(&["-t", "-a", "--sport", &s.tcp_port()]));
    got.sort();
    assert_eq!(got, ["ESTABLISHED", "LISTEN"]);
}

/// A listener on a port /etc/services names.
fn named_listener() -> Option<(TcpListener, &'static str, &'static str)> {
    [
        ("6000", "x11"),
        ("5432", "postgresql"),
        ("3306", "mysql"),
        ("6379", "redis"),
    ]
    .into_iter()
    .find_map(|(port, name)| {
        TcpListener::bind(format!("127.0.0.1:{port}"))
            .ok()
            .map(|l| (l, port, name))
    })
}

fn table(args: &[&str]) -> String {
    stdout(&run(&[&["stat"][..], args].concat()))
}

fn numeric() {
    let Some((_l, port, name)) = named_listener() else {
        panic!("every named port is taken; cannot show -n");
    };
    assert!(table(&["-tl", "--sport", port]).contains(&format!("127.0.0.1:{name}")));
    assert!(table(&["-tln", "--sport", port]).contains(&format!("127.0.0.1:{port}")));
}

fn resolve() {
    let s = Sockets::new();
    assert!(!table(&["-tl", "--sport", &s.tcp_port()]).contains("localhost"));
    assert!(table(&["-tlr", "--sport", &s.tcp_port()]).contains("localhost"));
}

/// `--dport` selects our client's side of the connection; `flags` add a field.
fn field(flags: &[&str], key: &str) {
    let s = Sockets::new();
    let args = ["--dport", &s.tcp_port()];
    assert!(stat(&args)[0].get(key).is_none(), "{key} without {flags:?}");
    let rows = stat(&[flags, &args[..]].concat());
    assert!(
        rows[0].get(key).is_some(),
        "{key} with {flags:?}: {:?}",
        rows[0]
    );
}

fn summary() {
    let out = run(&["--json", "stat", "-s"]);
    assert_eq!(events(&stdout(&out), "summary").len(), 1, "{out:?}");
}

fn groups() {
    let out = run(&["--json", "stat", "-g"]);
    let m = events(&stdout(&out), "membership");
    // Every host with an interface up is in the all-hosts group 224.0.0.1 (or ff02::1).
    assert!(!m.is_empty(), "{out:?}");
}

fn v6_listener() -> (TcpListener, String) {
    let l = TcpListener::bind("[::1]:0").unwrap();
    let port = l.local_addr().unwrap().port().to_string();
    (l, port)
}

fn v4() {
    let (_l, port) = v6_listener();
    assert_eq!(stat(&["-tl", "-4", "--sport", &port]).len(), 0);
}

fn v6() {
    let (_l, port) = v6_listener();
    assert_eq!(stat(&["-tl", "-6", "--sport", &port]).len(), 1);
    let s = Sockets::new();
    assert_eq!(stat(&["-tl", "-6", "--sport", &s.tcp_port()]).len(), 0);
}

fn state() {
    let s = Sockets::new();
    let got = states(&stat(&[
        "-t",
        "--state",
        "listening",
        "--sport",
        &s.tcp_port(),
    ]));
    assert_eq!(got, ["LISTEN"]);
}

fn sport() {
    let s = Sockets::new();
    let rows = stat(&["-ta", "--sport", &s.tcp_port()]);
    let local = format!("127.0.0.1:{}", s.tcp_port());
    assert!(!rows.is_empty() && rows.iter().all(|r| r["local"] == local.as_str()));
}

fn dport() {
    let s = Sockets::new();
    let rows = stat(&["-ta", "--dport", &s.tcp_port()]);
    let peer = format!("127.0.0.1:{}", s.tcp_port());
    assert!(
        rows.len() == 1 && rows[0]["peer"] == peer.as_str(),
        "{rows:?}"
    );
}

fn pid() {
    let s = Sockets::new();
    let me = std::process::id().to_string();
    assert_eq!(
        stat(&["-tl", "--pid", &me, "--sport", &s.tcp_port()]).len(),
        1
    );
    assert_eq!(
        stat(&["-tl", "--pid", "1", "--sport", &s.tcp_port()]).len(),
        0
    );
}

fn self_() {
    // nettool's parent is this test process, which holds the sockets.
    let s = Sockets::new();
    assert_eq!(stat(&["-tl", "--self", "--sport", &s.tcp_port()]).len(), 1);
}

fn watch() {
    let s = Sockets::new();
    let args = [
        "-tl",
        "--sport",
        &s.tcp_port(),
        "--watch",
        "150ms",
        "--count",
        "3",
    ];
    let (rows, took) = timed(|| stat(&args));
    assert_eq!(rows.len(), 1, "the first snapshot, then no change");
    assert!(
        took >= Duration::from_millis(300),
        "three snapshots took {took:?}"
    );
}

fn count() {
    let s = Sockets::new();
    let args = |n| {
        [
            "-tl",
            "--sport",
            &s.tcp_port(),
            "--watch",
            "100ms",
            "--count",
            n,
        ]
        .map(String::from)
    };
    let (_, one) =
        timed(|| run(&[&["stat"][..], &args("1").each_ref().map(String::as_str)[..]].concat()));
    let (_, five) =
        timed(|| run(&[&["stat"][..], &args("5").each_ref().map(String::as_str)[..]].concat()));
    assert!(
        five >= one + Duration::from_millis(300),
        "--count 1: {one:?}, --count 5: {five:?}"
    );
}

fn proc() {
    has_call(
        &stderr(&run(&["--explain", "stat", "-t"])),
        &["socket(AF_NETLINK"],
    );
    no_call(
        &stderr(&run(&["--explain", "stat", "-t", "--proc"])),
        &["AF_NETLINK"],
    );
}

/// `nettool --json stat --packets ARGS…` capturing on lo (`-i lo`), returned once it
/// says `capturing on`; `None` where it may not capture (no root: skipped, or failed
/// under CI).
fn capture(args: &[&str]) -> Option<std::process::Child> {
    use std::io::BufRead;
    if !crate::util::require_root() {
        return None;
    }
    let mut c = cmd(&[&["--json", "stat", "--packets", "--iface", "lo"][..], args].concat());
    c.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(line.starts_with("capturing on lo"), "{line}");
    Some(child)
}

/// A capture of one handshake on a fresh port: its records.
fn handshake(args: &[&str]) -> Option<Vec<serde_json::Value>> {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port().to_string();
    let child = capture(&[&["--sport", &port, "-c", "3", "-w", "10"][..], args].concat())?;
    let _c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let out = child.wait_with_output().unwrap();
    Some(events(&stdout(&out), "segment"))
}

fn packets() {
    let Some(segs) = handshake(&[]) else { return };
    let flags: Vec<String> = segs.iter().map(|s| s["flags"].to_string()).collect();
    assert_eq!(
        flags,
        [r#"["SYN"]"#, r#"["SYN","ACK"]"#, r#"["ACK"]"#],
        "{segs:?}"
    );
}

fn iface() {
    // The ready line names the interface (see `capture`), and a capture on lo sees
    // loopback traffic.
    let Some(segs) = handshake(&[]) else { return };
    assert!(segs.iter().all(|s| s["iface"] == "lo"), "{segs:?}");
}

fn absolute() {
    let Some(rel) = handshake(&[]) else { return };
    assert_eq!(rel[0]["relative"], true);
    let Some(abs) = handshake(&["--absolute"]) else {
        return;
    };
    assert_eq!(abs[0]["relative"], false, "{abs:?}");
}

fn buffer() {
    let calls = dry(&["stat", "--packets", "--iface", "lo", "--buffer", "1M"]);
    has_call(&calls, &["SO_RCVBUFFORCE, 1048576"]);
}

fn packets_timeout() {
    let Some(child) = capture(&["--sport", "9", "-w", "200ms"]) else {
        return;
    };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "-w with nothing seen: {out:?}");
}
