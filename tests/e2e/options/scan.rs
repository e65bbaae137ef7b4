//! Rows for the port-scan options (`-z`, `--parallel`) of `tcp-echo connect` and
//! `udp send`.

use std::net::{TcpListener, UdpSocket};

use crate::util::SilentTcpPort;
use std::time::Duration;

use super::Row;
use super::fixtures::*;

pub fn rows() -> Vec<Row> {
    [
        super::rows!("tcp-echo connect":
            "--scan" => tcp_scan,
            "--parallel" => || parallel("tcp-echo connect"),
        ),
        super::rows!("tcp-echo connect": "--source" => tcp_source),
        super::rows!("heartbeat connect": "--source" => heartbeat_source),
        super::rows!("udp send":
            "--scan" => udp_scan,
            "--parallel" => || parallel("udp send"),
        ),
    ]
    .concat()
}

fn tcp_scan() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let out = run(&["tcp-echo", "connect", "-z", &addr]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), format!("open {addr}\n"));
}

/// `-s` binds before connecting: the call shows, and the peer sees the address.
fn tcp_source() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let mut c = cmd(&["tcp-echo", "connect", "-s", "127.0.0.2", &addr]);
    c.stdin(std::process::Stdio::null());
    let mut child = c.spawn().unwrap();
    let (_s, peer) = l.accept().unwrap();
    assert_eq!(peer.ip().to_string(), "127.0.0.2");
    drop(_s);
    let _ = child.wait();
    has_call(
        &dry(&["tcp-echo", "connect", "-s", "127.0.0.3:0", &addr]),
        &[
            "bind(",
            "sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.3\")",
        ],
    );
}

fn heartbeat_source() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    has_call(
        &dry(&["heartbeat", "connect", "-s", "127.0.0.4", &addr]),
        &[
            "bind(",
            "sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.4\")",
        ],
    );
}

fn udp_scan() {
    let closed = free_addr(true);
    let out = run(&["-v", "udp", "send", "-z", &closed]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).starts_with(&format!("closed {closed}\n")),
        "{out:?}"
    );
}

/// Four silent ports, 400 ms each: one at a time takes at least 1.6 s, four at once
/// about 400 ms. TCP's silent ports drop SYNs ([`SilentTcpPort`]); UDP's read and say
/// nothing.
fn parallel(cmd: &str) {
    let tcp: Vec<SilentTcpPort> = (0..4).map(|_| SilentTcpPort::new()).collect();
    let udp: Vec<UdpSocket> = (0..4)
        .map(|_| UdpSocket::bind("127.0.0.1:0").unwrap())
        .collect();
    let ports: Vec<String> = if cmd == "udp send" {
        udp.iter()
            .map(|s| s.local_addr().unwrap().port().to_string())
            .collect()
    } else {
        tcp.iter().map(|s| s.port.to_string()).collect()
    };
    let target = format!("127.0.0.1:{}", ports.join(","));
    let mut args: Vec<&str> = cmd.split(' ').collect();
    args.extend(["-z", "-w", "400ms", &target]);
    let (_, slow) = timed(|| run(&[&args[..], &["--parallel", "1"]].concat()));
    assert!(
        slow >= Duration::from_millis(1600),
        "--parallel 1 probes one by one: {slow:?}"
    );
    let (_, fast) = timed(|| run(&[&args[..], &["--parallel", "4"]].concat()));
    assert!(
        fast < Duration::from_millis(1500),
        "--parallel 4 probes at once: {fast:?}"
    );
}
