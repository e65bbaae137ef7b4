//! OS errors name the operation and, for the common causes, the fix; never a bare
//! `(os error N)`. Failures that need a network of their own (no routes, foreign
//! addresses, link-local addresses) run in a namespace the test creates.

use std::process::{Command, Stdio};

use crate::util::netns::Netns;
use crate::util::{Server, nettool, require, require_root};

/// Run a prepared command with no stdin; its exit code and its stderr, which must be
/// one line without an errno number.
fn fails(mut cmd: Command) -> (Option<i32>, String) {
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("os error"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    (out.status.code(), err)
}

fn nt(args: &[&str]) -> Command {
    let mut c = nettool();
    c.args(args);
    c
}

fn in_ns(ns: &Netns, args: &[&str]) -> Command {
    let mut c = ns.nettool();
    c.args(args);
    c
}

#[test]
fn address_in_use_names_the_holder() {
    let server = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let (code, err) = fails(nt(&["tcp-echo", "serve", "-l", &server.addr]));
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "nettool: address {} in use: pid {} (nettool) is listening there — stop it or \
             pick another port\n",
            server.addr,
            server.pid()
        )
    );
    let udp = Server::start(&["udp", "recv", "-l", "127.0.0.1:0"]);
    let (_, err) = fails(nt(&["udp", "recv", "-l", &udp.addr]));
    assert_eq!(
        err,
        format!(
            "nettool: address {} in use: pid {} (nettool) has a UDP socket bound there — \
             stop it or pick another port\n",
            udp.addr,
            udp.pid()
        )
    );
}

#[test]
fn refused_connections_say_nothing_listens() {
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = gone.local_addr().unwrap().to_string();
    drop(gone);
    let (code, err) = fails(nt(&["tcp-echo", "connect", "-w", "5", &addr]));
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "nettool: connect to {addr}: connection refused; nothing listens on {addr} (is the server running?)\n"
        )
    );
    let port = addr.rsplit(':').next().unwrap();
    let (code, err) = fails(nt(&["udp", "send", &addr, "x", "-w", "2"]));
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!(
            "ICMP port unreachable: nothing listens on UDP port {port}"
        )),
        "{err}"
    );
}

#[test]
fn unix_socket_paths_say_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.sock");
    let missing = missing.to_str().unwrap();
    let (code, err) = fails(nt(&["unix", "connect", missing]));
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!("no socket at {missing} (is the server running")),
        "{err}"
    );
    // A socket file of the other type, then one whose listener is gone.
    let stale = dir.path().join("stale.sock");
    let _bound = std::os::unix::net::UnixDatagram::bind(&stale).unwrap();
    let stale = stale.to_str().unwrap();
    let (_, err) = fails(nt(&["unix", "connect", stale]));
    assert!(err.contains("datagram socket (try --dgram)"), "{err}");
    let listener_gone = dir.path().join("gone.sock");
    let l = std::os::unix::net::UnixListener::bind(&listener_gone).unwrap();
    drop(l);
    let (_, err) = fails(nt(&["unix", "connect", listener_gone.to_str().unwrap()]));
    assert!(
        err.contains("connection refused;") && err.contains("stale socket file"),
        "{err}"
    );
}

#[test]
fn out_of_descriptors_says_raise_the_limit() {
    let bin = crate::util::bin().display().to_string();
    let mut c = Command::new("sh");
    c.args([
        "-c",
        &format!("ulimit -n 4; exec {bin} tcp-echo connect 127.0.0.1:9"),
    ]);
    c.env("NO_COLOR", "1");
    let (code, err) = fails(c);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("too many open files; this process is out of file descriptors: raise the limit (ulimit -n)"),
        "{err}"
    );
}

#[test]
fn privileged_ports_say_what_they_need() {
    if !require_root() || !require("setpriv") {
        return;
    }
    let ns = Netns::new("priv");
    let mut c = ns.command("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(crate::util::bin())
        .args(["tcp-echo", "serve", "-l", "127.0.0.1:80"])
        .env("NO_COLOR", "1");
    let (code, err) = fails(c);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "nettool: listen on 127.0.0.1:80: permission denied; ports below 1024 need root or \
         CAP_NET_BIND_SERVICE; pick one of 1024 or above\n"
    );
}

#[test]
fn routing_failures_say_what_to_add() {
    if !require_root() {
        return;
    }
    let ns = Netns::new("route");
    ns.ip(&["route", "add", "unreachable", "198.51.100.0/24"]);
    let cases: [(&[&str], &str); 8] = [
        (
            &["tcp-echo", "serve", "-l", "192.0.2.1:0"],
            "listen on 192.0.2.1:0: cannot assign requested address; 192.0.2.1 is not an \
             address of this host (`ip -br addr` lists them)",
        ),
        (
            &["tcp-echo", "connect", "192.0.2.1:80"],
            "connect to 192.0.2.1:80: network is unreachable; no route to 192.0.2.1 \
             (`ip route get 192.0.2.1` shows why)",
        ),
        (
            &["tcp-echo", "connect", "198.51.100.1:80"],
            "connect to 198.51.100.1:80: no route to host; an `unreachable` route",
        ),
        (
            &["tcp-echo", "connect", "[fe80::1]:80"],
            "connect to [fe80::1]:80: invalid argument; fe80::1 is link-local: add the \
             interface, as in [fe80::1%IFACE]:80",
        ),
        (
            &["udp", "send", "[fe80::1]:80", "x"],
            "fe80::1 is link-local: add the interface, as in [fe80::1%IFACE]:80",
        ),
        (
            &["multicast", "send", "239.1.2.3:5000", "hi"],
            "send to 239.1.2.3:5000: network is unreachable; no route for multicast: give -i \
             IFACE, or add a route (ip route add 224.0.0.0/4 dev IFACE)",
        ),
        (
            &["multicast", "send", "[ff0e::1]:5000", "hi"],
            "no route for multicast: give -i IFACE, or add a route (ip route add ff00::/8 dev IFACE)",
        ),
        (
            &["multicast", "recv", "239.1.2.3:5000", "-w", "1"],
            "join 239.1.2.3 on the default interface: no such device; no route for multicast: \
             give -i IFACE",
        ),
    ];
    for (args, want) in cases {
        let (code, err) = fails(in_ns(&ns, args));
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.starts_with("nettool: "), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}:\n  got  {err}  want {want}");
    }
}
