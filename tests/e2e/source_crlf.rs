//! `-s ADDR[:PORT]` (the local address a client connects or sends from) and
//! `-C/--crlf` (LF sent as CR LF), as socat on the other end sees them.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::{nettool, require, wait_until};

/// socat with `listen` on a free loopback port, running `system` per peer; returns it
/// once the port is bound (seen by `ss`, without taking a connection or datagram).
fn socat(listen: &str, system: &str, udp: bool) -> (Child, String) {
    let port = if udp {
        std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    } else {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let child = Command::new("socat")
        .args([
            &format!("{listen}:{port},bind=127.0.0.1,reuseaddr,fork"),
            &format!("SYSTEM:{system}"),
        ])
        .spawn()
        .unwrap();
    let flags = if udp { "-Huln" } else { "-Htln" };
    assert!(wait_until(Duration::from_secs(10), || {
        Command::new("ss")
            .args([flags, &format!("sport = :{port}")])
            .output()
            .is_ok_and(|o| !o.stdout.is_empty())
    }));
    (child, format!("127.0.0.1:{port}"))
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn tcp_connect_from_a_source_address_socat_sees() {
    if !require("socat") {
        return;
    }
    let (c, addr) = socat("TCP-LISTEN", "echo $SOCAT_PEERADDR", false);
    let _c = Killed(c);
    let out = nettool()
        .args(["tcp-echo", "connect", "-s", "127.0.0.2", &addr])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"127.0.0.2\n");
}

#[test]
fn udp_send_from_a_source_address_socat_sees() {
    if !require("socat") {
        return;
    }
    let (c, addr) = socat(
        "UDP-RECVFROM",
        "head -c1 >/dev/null; echo $SOCAT_PEERADDR",
        true,
    );
    let _c = Killed(c);
    let out = nettool()
        .args(["udp", "send", "-s", "127.0.0.3", &addr, "x", "-w", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, b"127.0.0.3\n");
}

#[test]
fn a_source_address_not_on_this_host_is_a_clear_error() {
    // bind(2) fails before anything is sent.
    let out = nettool()
        .args(["tcp-echo", "connect", "-s", "198.51.100.7", "127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "nettool: bind to source 198.51.100.7:0: cannot assign requested address; \
         198.51.100.7 is not an address of this host (`ip -br addr` lists them)\n"
    );
}

#[test]
fn crlf_sends_cr_lf_as_socat_shows_it() {
    if !require("socat") {
        return;
    }
    let (c, addr) = socat("TCP-LISTEN", "cat -A", false);
    let _c = Killed(c);
    let out = crate::util::run_with_stdin(
        {
            let mut n = nettool();
            n.args(["tcp-echo", "connect", "-C", &addr]);
            n
        },
        b"HELO x\nQUIT\r\n",
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "HELO x^M$\nQUIT^M$\n");
}
