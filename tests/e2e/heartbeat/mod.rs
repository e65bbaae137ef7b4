//! `heartbeat serve|connect`: dead-peer detection under real faults. Partitions and
//! loss are nftables rules inside namespaces the tests create (client in one, server
//! in the other, joined by veth, in `faults`); kills, stops and delays run on loopback.

mod faults;
mod summary;
mod udp;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::engines::engine_test;
use crate::unix::assert_server_recovered;
use crate::util::events::JsonEvents;
use crate::util::proc::{fd_count, rss_kib};
use crate::util::{Server, nettool, wait_until};

/// Tests that assert time bounds run one at a time: on a loaded 2-core machine, six
/// of them beating at once would measure each other's scheduling, not the detector.
pub fn timing_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running `heartbeat connect --json`, its JSON events parsed as they arrive
/// (`wait_for`, `seen`, `count`, `last` come from [`JsonEvents`]).
pub struct HbClient {
    pub child: Child,
    events: JsonEvents,
}

impl HbClient {
    pub fn spawn(mut cmd: std::process::Command) -> HbClient {
        cmd.stdin(Stdio::null()).stdout(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn client");
        let events = JsonEvents::read(child.stdout.take().unwrap());
        HbClient { child, events }
    }

    /// Every remaining event until the process exits; returns its exit code.
    pub fn finish(&mut self, timeout: Duration) -> Option<i32> {
        let ok = wait_until(timeout, || matches!(self.child.try_wait(), Ok(Some(_))));
        assert!(ok, "client did not exit within {timeout:?}");
        self.events.drain_for(Duration::from_secs(2));
        self.child.wait().unwrap().code()
    }
}

impl std::ops::Deref for HbClient {
    type Target = JsonEvents;

    fn deref(&self) -> &JsonEvents {
        &self.events
    }
}

impl std::ops::DerefMut for HbClient {
    fn deref_mut(&mut self) -> &mut JsonEvents {
        &mut self.events
    }
}

impl Drop for HbClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn event_time(v: &Value) -> SystemTime {
    humantime::parse_rfc3339(v["time"].as_str().unwrap()).unwrap()
}

fn local_client(addr: &str, args: &[&str]) -> HbClient {
    let mut c = nettool();
    c.args(["--json", "heartbeat", "connect", addr]).args(args);
    HbClient::spawn(c)
}

engine_test!(beats_are_answered_on_every_engine, |engine| {
    let server = Server::start(&[
        "heartbeat",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        engine,
    ]);
    // A generous interval: on a loaded machine three late replies in a row at 50 ms
    // would be a dead verdict; the count, not the pace, is what this test checks.
    let mut c = local_client(&server.addr, &["--interval", "200ms", "-n", "5"]);
    assert_eq!(
        c.finish(Duration::from_secs(20)),
        Some(0),
        "engine {engine}"
    );
    assert_eq!(c.count("beat"), 5, "engine {engine}: {:?}", c.seen);
    let beat = c.last("beat").unwrap();
    assert_eq!(beat["seq"], 4);
    assert!(beat["rtt_ms"].as_f64().unwrap() >= 0.0);
    assert!(beat["peer_uptime_ms"].as_u64().is_some());
    assert_eq!(beat["peer_connections"], 1);
    let s = c.last("summary").unwrap();
    assert_eq!(
        (s["sent"].as_u64(), s["received"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(s["lost_pct"].as_f64(), Some(0.0));
});

#[test]
fn beats_are_answered_over_udp() {
    let server = Server::start(&["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"]);
    let mut c = local_client(&server.addr, &["--udp", "--interval", "200ms", "-n", "5"]);
    assert_eq!(c.finish(Duration::from_secs(20)), Some(0));
    assert_eq!(c.count("beat"), 5, "{:?}", c.seen);
}

#[test]
fn human_output_has_beat_lines_and_a_summary() {
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let out = nettool()
        .args([
            "heartbeat",
            "connect",
            &server.addr,
            "--interval",
            "50ms",
            "-n",
            "3",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("pong from").count(), 3, "{text}");
    assert!(
        text.contains("3 beats sent, 3 replies, 0.0% lost"),
        "{text}"
    );
    assert!(text.contains("rtt min/avg/max/mdev = "), "{text}");
}

#[test]
fn sigint_prints_the_summary_and_exits_130() {
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let mut c = local_client(&server.addr, &["--interval", "50ms"]);
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(c.child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert_eq!(c.finish(Duration::from_secs(5)), Some(130));
    let s = c.last("summary").expect("summary on SIGINT");
    assert!(s["received"].as_u64().unwrap() >= 2, "{s}");
    assert_eq!(s["dead_periods"], 0);
    for key in [
        "rtt_min_ms",
        "rtt_avg_ms",
        "rtt_max_ms",
        "rtt_mdev_ms",
        "lost_pct",
    ] {
        assert!(s[key].is_f64(), "{key} in {s}");
    }
}

#[test]
fn sigstopped_server_is_dead_then_sigcont_reconnects() {
    let _serial = timing_lock();
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let mut c = local_client(
        &server.addr,
        &[
            "--interval",
            "300ms",
            "--misses",
            "3",
            "--reconnect",
            "--backoff",
            "100ms..300ms",
        ],
    );
    let last = c.wait_for("beat", Duration::from_secs(5)).unwrap();
    server.signal(nix::sys::signal::Signal::SIGSTOP);
    let dead = c
        .wait_for("dead", Duration::from_secs(5))
        .expect("dead while stopped");
    let last = c
        .seen
        .iter()
        .rfind(|v| v["event"] == "beat")
        .unwrap_or(&last);
    let gap = event_time(&dead).duration_since(event_time(last)).unwrap();
    assert!(gap <= Duration::from_millis(1200 + 250), "{gap:?}");
    server.signal(nix::sys::signal::Signal::SIGCONT);
    assert!(
        c.wait_for("reconnected", Duration::from_secs(10)).is_some(),
        "{:?}",
        c.seen
    );
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
}

/// A TCP proxy that delays every byte from the server to the client by `delay`.
fn delay_proxy(upstream: String, delay: Duration) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for client in l.incoming() {
            let Ok(client) = client else { break };
            let Ok(server) = TcpStream::connect(&upstream) else {
                break;
            };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            let (mut c_r, mut s_w) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c_r, &mut s_w);
            });
            let (tx, rx) = channel::<(Instant, Vec<u8>)>();
            let mut s_r = server;
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = s_r.read(&mut buf) {
                    if n == 0
                        || tx
                            .send((Instant::now() + delay, buf[..n].to_vec()))
                            .is_err()
                    {
                        break;
                    }
                }
            });
            let mut c_w = client;
            std::thread::spawn(move || {
                for (due, bytes) in rx {
                    std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    if c_w.write_all(&bytes).is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn a_delay_of_0_8_intervals_never_triggers_but_2_intervals_does() {
    let _serial = timing_lock();
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let interval = Duration::from_millis(500);
    let slow = delay_proxy(server.addr.clone(), interval * 8 / 10);
    let mut c = local_client(&slow, &["--interval", "500ms", "--misses", "3", "-n", "8"]);
    assert_eq!(c.finish(Duration::from_secs(20)), Some(0), "{:?}", c.seen);
    assert_eq!((c.count("missed"), c.count("beat")), (0, 8));
    let rtt = c.last("beat").unwrap()["rtt_ms"].as_f64().unwrap();
    assert!(rtt >= 395.0, "the proxy delays: {rtt} ms");

    let slower = delay_proxy(server.addr.clone(), interval * 2);
    let mut c = local_client(
        &slower,
        &["--interval", "500ms", "--misses", "3", "-n", "8"],
    );
    assert_eq!(c.finish(Duration::from_secs(20)), Some(1));
    assert!(c.last("dead").is_some(), "{:?}", c.seen);
}

#[test]
fn garbage_and_oversized_frames_close_only_that_connection() {
    let mut server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let one_beat = |addr: &str| {
        nettool()
            .args([
                "heartbeat",
                "connect",
                addr,
                "--interval",
                "50ms",
                "-n",
                "1",
                "-q",
            ])
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(one_beat(&server.addr));
    let (fds, rss) = (fd_count(server.pid()), rss_kib(server.pid()));
    let mut good = local_client(&server.addr, &["--interval", "50ms", "-n", "40"]);
    assert!(good.wait_for("beat", Duration::from_secs(5)).is_some());
    for bad in [
        &b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &b"HB\x01\x01\xff\xff"[..],
        &b"HB\x07"[..],
    ] {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(bad).unwrap();
        let mut rest = Vec::new();
        // The server closes: read ends (EOF or reset), nothing was answered.
        let _ = s.read_to_end(&mut rest);
        assert!(rest.is_empty());
    }
    assert!(
        server
            .wait_for_line("disconnecting", Duration::from_secs(5))
            .is_some()
    );
    assert!(
        server
            .wait_for_line("oversized frame", Duration::from_secs(5))
            .is_some()
    );
    assert!(
        server
            .wait_for_line("bad magic", Duration::from_secs(5))
            .is_some()
    );
    assert_eq!(good.finish(Duration::from_secs(10)), Some(0));
    assert_eq!(good.count("missed"), 0, "the good client was unaffected");
    let addr = server.addr.clone();
    assert_server_recovered(&mut server, fds, rss, || one_beat(&addr));

    // A "responder" that answers with garbage: the client gives up on it, exit 1.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = l.accept() {
            let _ = s.write_all(b"SSH-2.0-OpenSSH\r\n");
            std::thread::sleep(Duration::from_secs(2));
        }
    });
    let out = nettool()
        .args(["heartbeat", "connect", &addr, "--interval", "100ms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("protocol error: bad magic"), "{err}");
}

#[test]
fn udp_dead_when_the_responder_dies_and_reconnected_when_it_returns() {
    let server = Server::start(&["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"]);
    let addr = server.addr.clone();
    let mut c = local_client(
        &addr,
        &[
            "--udp",
            "--interval",
            "100ms",
            "--misses",
            "3",
            "--reconnect",
            "--backoff",
            "100ms..200ms",
        ],
    );
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    server.signal(nix::sys::signal::Signal::SIGKILL);
    drop(server);
    let dead = c.wait_for("dead", Duration::from_secs(5)).expect("dead");
    assert!(
        dead["reason"].as_str().unwrap().contains("unanswered"),
        "{dead}"
    );
    // Same port again: the probe beat is answered, the client says so and beats on.
    let _again = Server::start(&["heartbeat", "serve", "--udp", "-l", &addr]);
    assert!(
        c.wait_for("reconnected", Duration::from_secs(10)).is_some(),
        "{:?}",
        c.seen
    );
    assert!(c.wait_for("beat", Duration::from_secs(5)).is_some());
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(c.child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert_eq!(c.finish(Duration::from_secs(5)), Some(130));
    let s = c.last("summary").unwrap();
    assert_eq!(s["dead_periods"], 1);
    assert!(s["dead_ms"].as_u64().unwrap() > 0);
}

#[test]
fn hexdump_shows_every_ping_and_pong() {
    use nettool::net::hexdump::{Direction, parse};
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let dump = tempfile::NamedTempFile::new().unwrap();
    let out = nettool()
        .args([
            "heartbeat",
            "connect",
            &server.addr,
            "--interval",
            "50ms",
            "-n",
            "3",
            "-x",
        ])
        .arg(dump.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let chunks = parse(&std::fs::read_to_string(dump.path()).unwrap()).unwrap();
    let joined = |dir| -> Vec<u8> {
        chunks
            .iter()
            .filter(|(d, _)| *d == dir)
            .flat_map(|(_, b)| b.clone())
            .collect()
    };
    // Walk the frames by their headers ("HB", version, kind, u16 body length):
    // three pings out, three pongs back, nothing else.
    let count_frames = |bytes: &[u8]| {
        let (mut pos, mut n) = (0, 0);
        while pos < bytes.len() {
            assert_eq!(&bytes[pos..pos + 2], b"HB", "frame {n} at byte {pos}");
            pos += 6 + u16::from_be_bytes([bytes[pos + 4], bytes[pos + 5]]) as usize;
            n += 1;
        }
        assert_eq!(pos, bytes.len(), "a frame was cut");
        n
    };
    assert_eq!(count_frames(&joined(Direction::Sent)), 3);
    assert_eq!(count_frames(&joined(Direction::Received)), 3);
}

#[test]
fn udp_responder_dumps_each_beat_and_pong() {
    use nettool::net::hexdump::{Direction, parse};
    let dump = tempfile::NamedTempFile::new().unwrap();
    let mut server = Server::start(&[
        "heartbeat",
        "serve",
        "--udp",
        "-l",
        "127.0.0.1:0",
        "-x",
        dump.path().to_str().unwrap(),
    ]);
    let out = nettool()
        .args([
            "heartbeat",
            "connect",
            "--udp",
            &server.addr,
            "--interval",
            "50ms",
            "-n",
            "2",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(server.stop().success());
    let chunks = parse(&std::fs::read_to_string(dump.path()).unwrap()).unwrap();
    let n = |dir| {
        chunks
            .iter()
            .filter(|(d, b)| *d == dir && b.starts_with(b"HB"))
            .count()
    };
    assert_eq!(
        (n(Direction::Received), n(Direction::Sent)),
        (2, 2),
        "{chunks:?}"
    );
}
