//! `stat -m` (skmem) and `stat -i`'s sliding-window fields against `ss -tmi` on the
//! same sockets: a connection on 127.0.0.1 held by the test, whose client does not
//! read while the server sends — until the client's receive buffer is full and the
//! server is looking at a zero window. Both tools must print the same words.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::UnixListener;
use std::process::Command;
use std::time::Duration;

use super::{output_of, stat};
use crate::util::{require, wait_until};

/// The `word:value` tokens of a row's details (`skmem:(…)` kept whole), from ss's
/// second line or nettool's tail.
fn tokens(text: &str) -> BTreeMap<String, String> {
    text.split_whitespace()
        .filter_map(|t| t.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `ss -tmin` for the connection whose local port is `port`: its details.
fn ss_row(filter: &str, port: u16) -> BTreeMap<String, String> {
    let out = output_of(Command::new("ss").args([
        "-tmin",
        "state",
        "established",
        filter,
        "=",
        &format!(":{port}"),
    ]));
    // Header, the row, then the details on a line of their own (tab-indented).
    tokens(out.lines().skip(2).collect::<Vec<_>>().join(" ").as_str())
}

/// `nettool stat -tmin` for the same connection.
fn our_row(flag: &str, port: u16) -> BTreeMap<String, String> {
    let out = stat(&["-tmin", flag, &port.to_string()]);
    let line = out
        .lines()
        .nth(1)
        .unwrap_or_else(|| panic!("no row:\n{out}"));
    // The row's addresses are `ip:port` tokens too; keep the details only.
    let details = line.split_once("skmem:").map(|(_, d)| d).unwrap_or("");
    tokens(&format!("skmem:{details}"))
}

/// A connection whose server side has filled the client's receive buffer.
struct Stalled {
    port: u16,
    _client: TcpStream,
    _server: TcpStream,
}

fn stalled() -> Stalled {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let client = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (mut server, _) = l.accept().unwrap();
    server.set_nonblocking(true).unwrap();
    let chunk = vec![0x5au8; 64 * 1024];
    let full = wait_until(Duration::from_secs(10), || {
        // Fill until the send buffer refuses, then see whether the window closed.
        while server.write(&chunk).is_ok() {}
        let json = crate::util::nettool()
            .args(["--json", "stat", "-ti", "--sport", &port.to_string()])
            .output()
            .unwrap();
        String::from_utf8_lossy(&json.stdout).contains("\"snd_wnd\":0")
    });
    assert!(full, "the client's window never closed");
    Stalled {
        port,
        _client: client,
        _server: server,
    }
}

/// Ask both tools until they agree on `keys` (a window probe may move a number in
/// between), then return both views. ss prints `snd_wnd` and `rcv_wnd` only when they
/// are not 0 (and ss before iproute2 6.5 never prints `rcv_wnd`): its silence matches
/// our 0.
fn agreed(
    ours: impl Fn() -> BTreeMap<String, String>,
    theirs: impl Fn() -> BTreeMap<String, String>,
    keys: &[&str],
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut last = (BTreeMap::new(), BTreeMap::new());
    let same = wait_until(Duration::from_secs(5), || {
        last = (ours(), theirs());
        keys.iter().all(|k| {
            let (a, b) = (last.0.get(*k), last.1.get(*k));
            a == b || (b.is_none() && k.ends_with("_wnd") && a.is_some_and(|v| v == "0"))
        })
    });
    assert!(same, "nettool {:?}\n     ss {:?}", last.0, last.1);
    last
}

#[test]
fn skmem_and_window_of_a_zero_window_connection_match_ss() {
    if !require("ss") {
        return;
    }
    let s = stalled();
    // The sender: a zero window from the peer (ss prints snd_wnd only when it is not
    // 0), its send queue holding what the peer refused.
    let (ours, theirs) = agreed(
        || our_row("--sport", s.port),
        || ss_row("sport", s.port),
        &["skmem", "advmss", "rcv_space", "cwnd"],
    );
    assert_eq!(ours["snd_wnd"], "0", "{ours:?}");
    assert!(!theirs.contains_key("snd_wnd"), "ss: {theirs:?}");
    // The receiver: its receive queue at the buffer's limit, advertising a zero
    // window (rcv_wnd 0).
    let (ours, theirs) = agreed(
        || our_row("--dport", s.port),
        || ss_row("dport", s.port),
        &["skmem", "advmss", "rcv_space", "snd_wnd", "rcv_wnd"],
    );
    assert_eq!(
        ours.get("rcv_wnd").map(String::as_str),
        Some("0"),
        "{ours:?}"
    );
    let skmem = &ours["skmem"];
    let field = |name: &str| -> u64 {
        let body = skmem.trim_start_matches('(').trim_end_matches(')');
        body.split(',')
            .find_map(|f| {
                f.strip_prefix(name)
                    .filter(|v| v.chars().all(|c| c.is_ascii_digit()))
            })
            .unwrap_or_else(|| panic!("{name} in {skmem}"))
            .parse()
            .unwrap()
    };
    assert!(
        field("r") * 2 >= field("rb"),
        "the receive queue is not near full: {skmem} (ss: {theirs:?})"
    );
    for key in ["advmss", "rcv_space"] {
        assert!(ours.contains_key(key), "{key} missing: {ours:?}");
    }
}

#[test]
fn skmem_of_udp_and_unix_sockets_match_ss() {
    if !require("ss") {
        return;
    }
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = udp.local_addr().unwrap().port();
    let ours = stat(&["-umna", "--sport", &port.to_string()]);
    let theirs = output_of(Command::new("ss").args(["-umna", "sport", "=", &format!(":{port}")]));
    let pick = |t: &str| {
        t.split_whitespace()
            .find(|w| w.starts_with("skmem:"))
            .map(String::from)
    };
    assert!(pick(&ours).is_some(), "{ours}");
    assert_eq!(pick(&ours), pick(&theirs), "\n{ours}\n{theirs}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sock");
    let _l = UnixListener::bind(&path).unwrap();
    let p = path.to_str().unwrap();
    let line_of = |t: &str| {
        t.lines()
            .find(|l| l.contains(p))
            .map(String::from)
            .unwrap_or_default()
    };
    let ours = line_of(&stat(&["-xlm"]));
    let theirs = line_of(&output_of(Command::new("ss").args(["-xlm", "src", p])));
    assert!(pick(&ours).is_some(), "{ours}");
    assert_eq!(pick(&ours), pick(&theirs), "\n{ours}\n{theirs}");
}

#[test]
fn proc_says_it_has_no_socket_memory() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port().to_string();
    let out = crate::util::nettool()
        .args(["stat", "-tlm", "--proc", "--sport", &port])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("/proc/net has no socket memory (-m: skmem)"),
        "{err}"
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&format!(":{port}")) && !table.contains("skmem"),
        "{table}"
    );
}
