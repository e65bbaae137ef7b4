//! What a heartbeat client says when nothing answers: no RTT figures made of zeros,
//! no "0 beats sent" in keepalive mode, and the ICMP refusal named over UDP.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::Stdio;

use crate::util::{Server, nettool};

/// A TCP peer that accepts and never says a word: every beat goes unanswered.
#[test]
fn a_silent_peer_gets_a_summary_without_round_trips() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let holder = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
    let out = nettool()
        .args([
            "heartbeat",
            "connect",
            &addr,
            "--interval",
            "50ms",
            "--misses",
            "2",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _peer = holder.join().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("no replies, 100.0% lost"), "{text}");
    assert!(text.contains("no round trip: no reply arrived"), "{text}");
    assert!(!text.contains("0.000/0.000"), "{text}");
    assert!(!text.contains("0 replies"), "{text}");
}

#[test]
fn keepalive_mode_says_the_kernel_probes_instead_of_counting_beats() {
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let mut child = nettool()
        .args([
            "heartbeat",
            "connect",
            "--tcp-keepalive",
            "--interval",
            "1s",
            &server.addr,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("kernel keepalive on "), "{first}");
    assert!(first.contains("3 probes"), "{first}");
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    );
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    let text = rest.join("\n");
    assert_eq!(status.code(), Some(130), "{text}");
    assert!(text.contains("keepalive statistics ---"), "{text}");
    assert!(
        text.contains("no beats sent: the kernel's TCP keepalive probed the peer"),
        "{text}"
    );
    assert!(
        !text.contains("0 beats sent") && !text.contains("rtt"),
        "{text}"
    );
}

#[test]
fn udp_to_a_closed_port_names_the_icmp_refusal() {
    let gone = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = gone.local_addr().unwrap();
    drop(gone);
    let out = nettool()
        .args([
            "heartbeat",
            "connect",
            "--udp",
            "--interval",
            "50ms",
            "--misses",
            "2",
        ])
        .arg(addr.to_string())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    let refused = format!(
        "ICMP port unreachable: nothing listens on UDP port {}",
        addr.port()
    );
    assert!(text.contains(&format!("2 in a row; {refused})")), "{text}");
    assert_eq!(
        err,
        format!("nettool: peer {addr} is dead: 2 consecutive beats unanswered; {refused}\n")
    );
}
