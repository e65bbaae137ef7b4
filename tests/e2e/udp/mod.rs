//! `udp send` / `udp recv` on loopback: truncation, the size limits, refused ports,
//! -n/-w exit codes, probes; `udp serve` (the echo service on the datagram engine)
//! in [`serve`].

mod listen;
mod serve;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::util::proc::child_cpu_ticks;
use crate::util::{Server, nettool, random_bytes};

use crate::util::run_with_stdin;

/// A `udp recv` on a free loopback port whose stdout we collect when it exits.
fn receiver(extra: &[&str]) -> Server {
    let mut cmd = nettool();
    cmd.args(["udp", "recv", "-l", "127.0.0.1:0"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    Server::start_cmd(cmd)
}

/// Wait for a receiver to exit (at most 20 s) and return (success, stdout bytes).
pub(crate) fn finish(mut s: Server) -> (bool, Vec<u8>) {
    let mut out = Vec::new();
    s.child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    assert!(
        crate::util::wait_until(Duration::from_secs(20), || !s.alive()),
        "receiver did not exit"
    );
    (s.child.wait().unwrap().success(), out)
}

pub(crate) fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn truncation_is_reported_with_the_real_size() {
    let r = receiver(&["--json", "-n", "1", "--buffer", "100", "-w", "10"]);
    let payload = "x".repeat(1000);
    let st = nettool()
        .args(["udp", "send", &r.addr, &payload])
        .status()
        .unwrap();
    assert!(st.success());
    let (ok, out) = finish(r);
    assert!(ok);
    let recs = json_lines(&out);
    let rec = recs.iter().find(|e| e["event"] == "datagram").unwrap();
    assert_eq!(rec["len"], 1000);
    assert_eq!(rec["kept"], 100);
    assert_eq!(rec["truncated"], true);
    assert_eq!(rec["data"].as_str().unwrap().len(), 100);
    // With --json the warning is a JSON record on stdout, not a stderr line.
    let w = recs
        .iter()
        .find(|e| e["event"] == "warning")
        .expect("warning record");
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains("1000 bytes sent, only 100 fit")
    );
}

#[test]
fn truncation_warns_on_stderr_in_raw_mode() {
    let r = receiver(&["-n", "1", "--buffer", "10", "-w", "10"]);
    let st = nettool()
        .args(["udp", "send", &r.addr, "0123456789abcdef"])
        .status()
        .unwrap();
    assert!(st.success());
    let line = r.wait_for_line("truncated", Duration::from_secs(10));
    let (ok, out) = finish(r);
    assert!(ok);
    assert_eq!(out, b"0123456789");
    let line = line.expect("a truncation warning");
    assert!(line.contains("16 bytes sent, only 10 fit"), "{line}");
}

#[test]
fn zero_and_65507_byte_datagrams_arrive_whole() {
    let r = receiver(&["--json", "-n", "2", "-w", "10"]);
    let st = nettool()
        .args(["udp", "send", &r.addr, ""])
        .status()
        .unwrap();
    assert!(st.success());
    let big = random_bytes(65_507, 5);
    let mut send = nettool();
    send.args(["udp", "send", &r.addr, "--raw", "--size", "65507"]);
    let out = run_with_stdin(send, &big);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (ok, out) = finish(r);
    assert!(ok);
    let recs: Vec<Value> = json_lines(&out)
        .into_iter()
        .filter(|e| e["event"] == "datagram")
        .collect();
    assert_eq!(recs[0]["len"], 0);
    assert_eq!(recs[0]["data"], "");
    assert_eq!(recs[1]["len"], 65_507);
    assert_eq!(recs[1]["encoding"], "base64");
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD
        .decode(recs[1]["data"].as_str().unwrap())
        .unwrap();
    assert!(data == big, "payload differs");
}

#[test]
fn payload_over_65507_bytes_is_refused() {
    let too_big = "a".repeat(65_508);
    let out = nettool()
        .args(["udp", "send", "127.0.0.1:9", &too_big])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "nettool: a datagram of 65508 bytes is too large: UDP over IPv4 carries at most 65507 bytes"
    );
}

#[test]
fn recv_count_exits_0_and_timeout_exits_1() {
    let r = receiver(&["-n", "3", "-w", "10"]);
    let st = nettool()
        .args(["udp", "send", &r.addr, "a", "b", "c"])
        .status()
        .unwrap();
    assert!(st.success());
    let (ok, out) = finish(r);
    assert!(ok);
    assert_eq!(out, b"abc");

    let r = receiver(&["-n", "3", "-w", "300ms"]);
    let st = nettool()
        .args(["udp", "send", &r.addr, "only-one"])
        .status()
        .unwrap();
    assert!(st.success());
    let line = r.wait_for_line("no datagram", Duration::from_secs(10));
    let (ok, _) = finish(r);
    assert!(!ok);
    assert_eq!(
        line.as_deref(),
        Some("nettool: no datagram for 300ms (1 of 3 received)")
    );
}

#[test]
fn stdin_lines_become_datagrams_and_count_limits_them() {
    let r = receiver(&["--json", "-n", "2", "-w", "10"]);
    let mut send = nettool();
    send.args(["udp", "send", &r.addr, "-n", "2"]);
    let out = run_with_stdin(send, b"first\nsecond\nthird\n");
    assert!(out.status.success());
    let (ok, out) = finish(r);
    assert!(ok);
    let data: Vec<String> = json_lines(&out)
        .iter()
        .filter(|e| e["event"] == "datagram")
        .map(|e| e["data"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(data, ["first\n", "second\n"]);
}

#[test]
fn refused_port_does_not_spin() {
    // A port nobody listens on: bind one, learn its number, close it.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin = crate::util::bin().display().to_string();
    // 20 datagrams over ~1 s; ICMP port unreachable turns into ECONNREFUSED on the
    // connected socket after the first. The shell then prints its children's CPU time.
    let script = format!(
        "NO_COLOR=1 '{bin}' udp send 127.0.0.1:{port} x -n 20 --interval 50ms; echo rc=$?; cat /proc/$$/stat"
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("rc=0"), "{stdout} {err}");
    assert_eq!(
        err.matches("port unreachable").count(),
        1,
        "one warning: {err}"
    );
    let stat = stdout.lines().last().unwrap();
    let ticks = child_cpu_ticks(stat);
    // A spinning loop would burn ~100 ticks (1 s); a sleeping one a handful.
    assert!(ticks < 30, "used {ticks} ticks of CPU in ~1 s");

    // Waiting for replies from a refused port fails at once, with a clear line.
    let t = std::time::Instant::now();
    let out = nettool()
        .args(["udp", "send", &format!("127.0.0.1:{port}"), "x", "-w", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(t.elapsed() < Duration::from_secs(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("connection refused"));
}

#[test]
fn probes_on_loopback_report_no_loss() {
    let r = receiver(&["--json", "--probe", "-w", "10"]);
    let st = nettool()
        .args([
            "udp", "send", &r.addr, "--probe", "-n", "200", "--size", "100",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    // The receiver ends by itself once the announced 200 probes are in.
    let (ok, out) = finish(r);
    assert!(ok);
    let recs = json_lines(&out);
    let p = recs
        .iter()
        .find(|e| e["event"] == "probe")
        .expect("probe report");
    assert_eq!(p["received"], 200);
    assert_eq!(p["lost"], 0);
    assert_eq!(p["duplicated"], 0);
    assert!(p["delay_ms"]["max"].as_f64().unwrap() >= 0.0);
}

#[test]
fn bad_arguments_are_one_line_usage_errors() {
    for (args, want) in [
        (
            vec!["udp", "send", "127.0.0.1:70000", "x"],
            "port 70000 is out of range (0 to 65535)",
        ),
        (
            vec!["udp", "recv", "-l", "nohost!:5"],
            "not a valid host name",
        ),
        (
            vec!["multicast", "recv", "192.0.2.1:5000"],
            "not a multicast group",
        ),
        (
            vec!["multicast", "send", "10.0.0.1:5000", "x"],
            "not a multicast group",
        ),
        (
            vec!["multicast", "recv", "239.1.1.1:5000", "-i", "nosuch0"],
            "unknown interface",
        ),
        (
            vec!["broadcast", "recv", "5000", "-i", "nosuch0"],
            "unknown interface",
        ),
    ] {
        let out = nettool().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    // A PORT argument that does not fit: exit 2, the same words as in an address.
    let out = nettool()
        .args(["broadcast", "recv", "70000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("port 70000 is out of range (0 to 65535)"),
        "{err}"
    );
}

#[test]
fn a_line_typed_on_stdin_leaves_at_once_and_its_reply_is_printed() {
    use std::io::{BufRead, BufReader};
    let server = Server::start(&["udp", "serve", "-l", "[::1]:0"]);
    let mut child = nettool()
        .args(["udp", "send", &server.addr, "-w", "300ms"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    // stdin stays open: the datagram must not wait for more input, nor the reply for EOF.
    stdin.write_all(b"first\n").unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), "first");
    stdin.write_all(b"second\n").unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), "second");
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn the_probe_report_is_data_on_stdout_even_when_quiet() {
    let mut cmd = nettool();
    cmd.args([
        "-q",
        "udp",
        "recv",
        "-l",
        "127.0.0.1:0",
        "--probe",
        "-w",
        "10",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped());
    let r = Server::start_cmd(cmd);
    let st = nettool()
        .args(["udp", "send", &r.addr, "--probe", "-n", "20"])
        .status()
        .unwrap();
    assert!(st.success());
    let (ok, out) = finish(r);
    assert!(ok);
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("probe from 127.0.0.1:")
            && out.contains(": 20 received, 0 lost (0.0%), 0 duplicated, 0 reordered"),
        "{out}"
    );
}

#[test]
fn hexdump_and_stats_count_every_datagram_both_ways() {
    use nettool::net::hexdump::{Direction, parse};
    let recv_dump = tempfile::NamedTempFile::new().unwrap();
    let send_dump = tempfile::NamedTempFile::new().unwrap();
    let rx = receiver(&[
        "-n",
        "3",
        "--json",
        "--stats",
        "-x",
        recv_dump.path().to_str().unwrap(),
    ]);
    let addr = rx.host_port();
    let out = nettool()
        .args([
            "--json", "udp", "send", &addr, "one", "two", "three!", "--stats", "-x",
        ])
        .arg(send_dump.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let sent_summary = json_lines(&out.stdout)
        .into_iter()
        .find(|v| v["event"] == "summary")
        .expect("sender --stats summary");
    assert_eq!(sent_summary["datagrams_out"], 3);
    assert_eq!(sent_summary["bytes_out"], 12);
    let (ok, stdout) = finish(rx);
    assert!(ok);
    let summary = json_lines(&stdout)
        .into_iter()
        .find(|v| v["event"] == "summary")
        .expect("receiver --stats summary");
    assert_eq!(summary["datagrams_in"], 3);
    assert_eq!(summary["bytes_in"], 12);
    for (dump, dir) in [
        (&recv_dump, Direction::Received),
        (&send_dump, Direction::Sent),
    ] {
        let chunks = parse(&std::fs::read_to_string(dump.path()).unwrap()).unwrap();
        let got: Vec<Vec<u8>> = chunks
            .into_iter()
            .filter(|(d, _)| *d == dir)
            .map(|(_, b)| b)
            .collect();
        assert_eq!(
            got,
            vec![b"one".to_vec(), b"two".to_vec(), b"three!".to_vec()],
            "{dir:?}"
        );
    }
}

#[test]
fn sigusr1_reports_a_running_receiver() {
    let mut rx = receiver(&["--json"]);
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.send_to(b"12345", rx.host_port()).unwrap();
    let mut stdout = std::io::BufReader::new(rx.child.stdout.take().unwrap());
    let mut line = String::new();
    // The listening event comes first, then the datagram: after it, the count is 1.
    while !line.contains("\"datagram\"") {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0,
            "no datagram event"
        );
    }
    rx.signal(nix::sys::signal::Signal::SIGUSR1);
    let stats = loop {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0,
            "no stats event"
        );
        let v: Value = serde_json::from_str(&line).unwrap();
        if v["event"] == "stats" {
            break v;
        }
    };
    assert_eq!(stats["datagrams_in"], 1);
    assert_eq!(stats["bytes_in"], 5);
    assert!(rx.alive(), "SIGUSR1 must not stop the receiver");
    // A receiver stopped by SIGTERM says so: 128 + 15.
    assert_eq!(rx.stop().code(), Some(143));
}

#[test]
fn interface_down_mid_stream_is_an_error_not_a_busy_loop() {
    use crate::util::netns::{Netns, veth};
    if !crate::util::require_root() || !crate::util::require("ip") {
        return;
    }
    let a = Netns::new("ifa");
    let b = Netns::new("ifb");
    veth(&a, "ia", "192.0.2.1/24", &b, "ib", "192.0.2.2/24");
    let rx = b.serve(&["udp", "recv", "-l", "192.0.2.2:9000", "-n", "1"]);
    let started = std::time::Instant::now();
    let sender = a
        .nettool()
        .args([
            "udp",
            "send",
            "192.0.2.2:9000",
            "tick",
            "-n",
            "1000",
            "--interval",
            "10ms",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Readiness: the receiver got the first datagram, so the stream is flowing.
    let (ok, _) = finish(rx);
    assert!(ok);
    a.ip(&["link", "set", "ia", "down"]);
    let out = sender.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("send to 192.0.2.2:9000: network is unreachable; no route to 192.0.2.2"),
        "{stderr}"
    );
    // 1000 datagrams 10 ms apart take 10 s; the error ends it long before.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the sender kept going"
    );
}
