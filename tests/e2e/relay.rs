//! `tcp-echo relay` and `unix relay` on every engine that can carry an upstream:
//! bulk bytes both ways with socat, ncat and nc as the ends, half-close passed on in
//! each direction, a refused target, `--balance`, Unix↔TCP, and bounded memory
//! against a peer that stops reading.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::engines::engine_test;
use crate::util::{Server, output_within, proc::rss_kib, random_bytes, require, temp_file_with};

/// A socat listener run for the test (`-d -d` logs `listening on …`, read for its
/// address), killed on Drop.
pub struct Socat {
    child: Child,
    /// `127.0.0.1:PORT` for a TCP listener.
    pub addr: String,
}

impl Socat {
    fn listen(listen: &str, then: &str) -> Socat {
        let mut child = Command::new("socat")
            // -t 30: after the relay passes the client's FIN on, socat would give the
            // echo still in its pipe only 0.5 s to drain before exiting. -b 4096: PIPE
            // is one pipe socat both writes and reads, with blocking writes; a pipe is
            // "writable" with one free page, so a larger block (8192 by default) can
            // block socat for good in its own write once back-pressure has filled it.
            .args(["-d", "-d", "-t", "30", "-b", "4096", listen, then])
            .stderr(Stdio::piped())
            .spawn()
            .expect("socat");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let line = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.contains("listening on"))
            .expect("socat's listening line");
        std::thread::spawn(move || lines.for_each(drop));
        let addr = line
            .split("listening on AF=2 ")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        Socat { child, addr }
    }

    /// An echo server (socat's PIPE) on a free loopback port.
    pub fn tcp_echo() -> Socat {
        Socat::listen("TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr", "PIPE")
    }

    /// An echo server on a Unix socket file.
    fn unix_echo(path: &str) -> Socat {
        Socat::listen(&format!("UNIX-LISTEN:{path},fork"), "PIPE")
    }
}

impl Drop for Socat {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A relay on `engine` from `listen` (TCP `127.0.0.1:0`, or a Unix path) to the targets.
pub fn relay(engine: &str, listen: &str, args: &[&str]) -> Server {
    let sub = if listen.contains('/') || listen.starts_with('@') {
        "unix"
    } else {
        "tcp-echo"
    };
    let mut v = vec!["-v", sub, "relay", "-l", listen, "--engine", engine];
    v.extend_from_slice(args);
    Server::start(&v)
}

/// Run a client command with `input` on stdin; what it printed. A client still
/// running after a minute fails the test with the sockets' state (`ss -tni`: where
/// the bytes stopped), so a stall cannot hang the suite.
pub fn client(cmd: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let file = temp_file_with(input);
    let mut c = Command::new(cmd);
    c.args(args)
        .stdin(std::fs::File::open(file.path()).unwrap());
    let Some(out) = output_within(c, Duration::from_secs(60)) else {
        let ss = Command::new("ss").args(["-tni"]).output().map(|o| o.stdout);
        let ss = String::from_utf8_lossy(&ss.unwrap_or_default()).into_owned();
        let head: String = ss.lines().take(120).collect::<Vec<_>>().join("\n");
        panic!("{cmd} {args:?} did not finish within 60 s; sockets:\n{head}");
    };
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub fn same(got: &[u8], want: &[u8], what: &str) {
    assert!(
        got == want,
        "{what}: {} bytes came back for {} sent, or they differ",
        got.len(),
        want.len()
    );
}

pub const MIB: usize = 1 << 20;

/// Engines that cannot carry a connection's second socket: they refuse relays
/// (`the_engines_without_upstreams_refuse_to_relay_with_exit_2`).
const NO_UPSTREAM: [&str; 3] = ["reactor", "io-uring", "busy-poll"];

fn refuses_relays(engine: &str) -> bool {
    NO_UPSTREAM.contains(&engine)
}

engine_test!(relays_12_mib_both_ways_byte_exact, |engine| {
    if refuses_relays(engine) || !require("socat") || !require("ncat") {
        return;
    }
    let echo = Socat::tcp_echo();
    let r = relay(engine, "127.0.0.1:0", &[&echo.addr]);
    let data = random_bytes(12 * MIB, 17);
    // socat as the client: stdin up, the echo back to stdout; -t waits for the
    // return direction after stdin's EOF.
    let got = client(
        "socat",
        &["-t", "30", "-b", "65536", "-", &format!("TCP:{}", r.addr)],
        &data,
    );
    same(&got, &data, &format!("{engine}: socat through the relay"));
    // ncat as the client, half-closing at stdin EOF.
    let (host, port) = r.addr.rsplit_once(':').unwrap();
    let got = client("ncat", &[host, port], &data[..4 * MIB]);
    same(
        &got,
        &data[..4 * MIB],
        &format!("{engine}: ncat through the relay"),
    );
});

engine_test!(half_close_is_passed_on_both_ways, |engine| {
    if refuses_relays(engine) {
        return;
    }
    let up = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = up.local_addr().unwrap().to_string();
    let r = relay(engine, "127.0.0.1:0", &[&target]);
    let timeout = Some(Duration::from_secs(20));

    // The client's FIN first: the upstream reads to EOF, then still answers.
    let mut c = TcpStream::connect(&r.addr).unwrap();
    c.set_read_timeout(timeout).unwrap();
    let (mut u, _) = up.accept().unwrap();
    u.set_read_timeout(timeout).unwrap();
    c.write_all(b"request").unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let mut got = Vec::new();
    u.read_to_end(&mut got).unwrap();
    assert_eq!(
        got, b"request",
        "{engine}: the client's FIN reached the upstream"
    );
    u.write_all(b"answer after the client's FIN").unwrap();
    drop(u);
    let mut back = Vec::new();
    c.read_to_end(&mut back).unwrap();
    assert_eq!(back, b"answer after the client's FIN", "{engine}");

    // The upstream's FIN first: the client reads to EOF, then still sends.
    let mut c = TcpStream::connect(&r.addr).unwrap();
    c.set_read_timeout(timeout).unwrap();
    let (mut u, _) = up.accept().unwrap();
    u.set_read_timeout(timeout).unwrap();
    u.write_all(b"greeting").unwrap();
    u.shutdown(Shutdown::Write).unwrap();
    let mut got = Vec::new();
    c.read_to_end(&mut got).unwrap();
    assert_eq!(
        got, b"greeting",
        "{engine}: the upstream's FIN reached the client"
    );
    c.write_all(b"late words").unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    let mut late = Vec::new();
    u.read_to_end(&mut late).unwrap();
    assert_eq!(late, b"late words", "{engine}");
    r.wait_for_line("closed (done)", Duration::from_secs(10))
        .expect("the relayed connection ends as done");
});

/// A loopback port nothing listens on (bound, then freed).
pub fn dead_port() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

engine_test!(a_refused_target_closes_the_client_at_once, |engine| {
    if refuses_relays(engine) {
        return;
    }
    let dead = dead_port();
    let r = relay(engine, "127.0.0.1:0", &[&dead]);
    for _ in 0..2 {
        let mut c = TcpStream::connect(&r.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let started = Instant::now();
        let mut got = Vec::new();
        let _ = c.read_to_end(&mut got);
        assert!(got.is_empty(), "{engine}");
        assert!(started.elapsed() < Duration::from_secs(5), "{engine}");
    }
    let line = r
        .wait_for_line(&format!("connect to {dead}"), Duration::from_secs(5))
        .expect("a log line for the refused target");
    assert!(
        line.contains("refused") && line.contains("closing the client's connection"),
        "{line}"
    );
    r.wait_for_line("closed (upstream failed)", Duration::from_secs(5))
        .expect("the close reason");
});

/// A target that answers every connection with its name, then closes.
fn namer(name: &'static str) -> (String, std::thread::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let h = std::thread::spawn(move || {
        for c in l.incoming().take(4) {
            let _ = c.unwrap().write_all(name.as_bytes());
        }
    });
    (addr, h)
}

fn names(r: &Server, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let mut c = TcpStream::connect(&r.addr).unwrap();
            c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut s = String::new();
            c.read_to_string(&mut s).unwrap();
            s
        })
        .collect()
}

engine_test!(balance_round_robin_and_first, |engine| {
    if refuses_relays(engine) {
        return;
    }
    let (a, _ha) = namer("a");
    let (b, _hb) = namer("b");
    let rr = relay(engine, "127.0.0.1:0", &["--to", &a, "--to", &b]);
    assert_eq!(names(&rr, 4), ["a", "b", "a", "b"], "{engine}: round robin");
    drop(rr);
    // First that answers: a dead first target gives way to the next, every time.
    let dead = dead_port();
    let (c, _hc) = namer("c");
    let first = relay(
        engine,
        "127.0.0.1:0",
        &["--balance", "first", &dead, "--to", &c],
    );
    assert_eq!(names(&first, 2), ["c", "c"], "{engine}: first that answers");
    let line = first
        .wait_for_line("trying the next target", Duration::from_secs(5))
        .expect("the failed attempt is logged");
    assert!(line.contains(&dead), "{line}");
});

engine_test!(unix_and_tcp_in_every_combination, |engine| {
    if refuses_relays(engine) || !require("socat") || !require("nc") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).display().to_string();
    let data = random_bytes(2 * MIB, 23);
    let tcp_echo = Socat::tcp_echo();
    let unix_echo = Socat::unix_echo(&path("echo.sock"));

    // TCP → Unix: socat's TCP client, a socket-file echo behind.
    let r = relay(engine, "127.0.0.1:0", &[&path("echo.sock")]);
    let got = client(
        "socat",
        &["-t", "30", "-", &format!("TCP:{}", r.addr)],
        &data,
    );
    same(&got, &data, &format!("{engine}: TCP → Unix"));

    // Unix → TCP: OpenBSD nc on the socket file, socat's TCP echo behind.
    let front = path("front.sock");
    let _r = relay(engine, &front, &[&tcp_echo.addr]);
    let got = client("nc", &["-N", "-U", &front], &data);
    same(&got, &data, &format!("{engine}: Unix → TCP"));

    // Unix ↔ Unix: an abstract name in front of the socket file.
    let name = format!("@nettool-relay-{}-{engine}", std::process::id());
    let _r = relay(engine, &name, &[&path("echo.sock")]);
    let got = client(
        "socat",
        &["-t", "30", "-", &format!("ABSTRACT-CONNECT:{}", &name[1..])],
        &data,
    );
    same(&got, &data, &format!("{engine}: Unix ↔ Unix"));
    drop(unix_echo);
});

/// Resident memory of `pid` and its children (fork: the connection is a child's).
pub fn family_rss_kib(pid: i32) -> u64 {
    let kids =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    rss_kib(pid)
        + kids
            .split_whitespace()
            .filter_map(|k| k.parse().ok())
            .map(rss_kib)
            .sum::<u64>()
}

/// Offer `total` bytes on `w` until the peer stops taking them for a second; how
/// many it took.
pub fn push_until_stalled(mut w: TcpStream, total: usize) -> usize {
    w.set_write_timeout(Some(Duration::from_secs(1))).unwrap();
    let chunk = vec![0x5au8; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        match w.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
    }
    sent
}

engine_test!(
    a_peer_that_stops_reading_bounds_the_relay_memory,
    |engine| {
        if refuses_relays(engine) {
            return;
        }
        const OFFERED: usize = 256 * MIB;
        // Kernel buffers on the way (two sockets each side) plus the relay's two outboxes
        // hold far less than this; without back-pressure all of OFFERED would be taken.
        const BOUND: usize = 64 * MIB;
        let up = TcpListener::bind("127.0.0.1:0").unwrap();
        let r = relay(
            engine,
            "127.0.0.1:0",
            &[&up.local_addr().unwrap().to_string()],
        );
        let pid = r.pid();
        let rss_before = family_rss_kib(pid);

        // Upstream → a client that never reads.
        let c = TcpStream::connect(&r.addr).unwrap();
        let (u, _) = up.accept().unwrap();
        let taken = push_until_stalled(u.try_clone().unwrap(), OFFERED);
        assert!(
            taken < BOUND,
            "{engine}: {taken} bytes taken from the upstream"
        );
        // Client → an upstream that never reads.
        let taken = push_until_stalled(c.try_clone().unwrap(), OFFERED);
        assert!(
            taken < BOUND,
            "{engine}: {taken} bytes taken from the client"
        );
        let grew = family_rss_kib(pid).saturating_sub(rss_before);
        assert!(grew < 32 * 1024, "{engine}: the relay grew by {grew} KiB");
        drop((c, u));
    }
);

#[test]
fn the_engines_without_upstreams_refuse_to_relay_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("r.sock");
    for engine in NO_UPSTREAM {
        for args in [
            vec!["tcp-echo", "relay", "-l", "127.0.0.1:0", "127.0.0.1:9"],
            vec!["unix", "relay", "-l", sock.to_str().unwrap(), "127.0.0.1:9"],
        ] {
            let out = crate::util::nettool()
                .args(&args)
                .args(["--engine", engine])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?} {engine}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(
                err.contains(&format!("--engine {engine} cannot relay")),
                "{err}"
            );
        }
        assert!(!sock.exists(), "a refused engine leaves no socket file");
    }
}
