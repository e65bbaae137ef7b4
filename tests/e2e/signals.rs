//! One shutdown, the same everywhere: every long-running command catches SIGINT,
//! SIGTERM and SIGUSR1 before its setup. SIGUSR1 never stops anything — a command
//! with counters (`--stats`, every server and receiver) prints a `stats` record, the
//! rest let it go — and the stop signals end a client, receiver or listener with
//! 128 + N (130 for SIGINT, 143 for SIGTERM) and a server cleanly with 0.
//!
//! One test per command and signal, so a failure names both. Readiness is the
//! kernel's own word: a command is ready for signals once `/proc/PID/status` says it
//! catches all three (`SigCgt`), and it takes them from then on, in its setup or its
//! loop alike (a stop is sticky, a stats request waits for the loop's next wake-up).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixListener};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use nix::sys::signal::Signal;
use nix::unistd::Pid;

use crate::util::netns::Netns;
use crate::util::{nettool, wait_until};

/// What the command is, for the exit status a stop signal must give.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    /// Stops cleanly: exit 0.
    Server,
    /// Reports the signal: exit 128 + N.
    Client,
}

/// A command under test and what keeps its peers alive.
struct Running {
    child: Child,
    role: Role,
    /// It prints a `stats` record on SIGUSR1.
    stats: bool,
    /// Every line of stdout and stderr, as it arrives.
    lines: Receiver<String>,
    /// Peers, namespaces, temporary directories: dropped after the child.
    _keep: Vec<Box<dyn std::any::Any>>,
    /// A socket file the command created, which must be gone once it has exited.
    creates: Option<std::path::PathBuf>,
}

impl Running {
    fn spawn(mut cmd: Command, role: Role, stats: bool, keep: Vec<Box<dyn std::any::Any>>) -> Self {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn");
        let (tx, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    eprintln!("[child] {line}");
                    let _ = tx.send(line);
                }
            });
        }
        let r = Running {
            child,
            role,
            stats,
            lines,
            _keep: keep,
            creates: None,
        };
        r.wait_catching();
        r
    }

    fn pid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }

    /// Until the process catches SIGINT (bit 1), SIGUSR1 (bit 9) and SIGTERM (bit 14).
    fn wait_catching(&self) {
        let want = (1u64 << 1) | (1 << 9) | (1 << 14);
        let status = format!("/proc/{}/status", self.pid());
        let caught = wait_until(Duration::from_secs(10), || {
            std::fs::read_to_string(&status).is_ok_and(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("SigCgt:"))
                    .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
                    .is_some_and(|m| m & want == want)
            })
        });
        assert!(
            caught,
            "the command never caught SIGINT, SIGTERM and SIGUSR1"
        );
    }

    fn signal(&self, sig: Signal) {
        nix::sys::signal::kill(self.pid(), sig).unwrap();
    }

    /// Wait for a line containing `needle` (stdout or stderr).
    fn line(&self, needle: &str) -> Option<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) if l.contains(needle) => return Some(l),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }

    /// The exit code after `sig`: it must exit within 10 s.
    fn stop(&mut self, sig: Signal) -> Option<i32> {
        self.signal(sig);
        let exited = wait_until(Duration::from_secs(10), || {
            matches!(self.child.try_wait(), Ok(Some(_)))
        });
        assert!(exited, "no exit within 10 s of {sig}");
        let status = self.child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), None, "killed by a signal: {status:?}");
        status.code()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A failed assertion must not leave the command running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// SIGUSR1, then `stop`: the command survives the first (printing its counters when
/// it has any) and ends on the second with the status its role prescribes.
fn usr1_then(mut r: Running, stop: Signal) {
    r.signal(Signal::SIGUSR1);
    if r.stats {
        let line = r.line("\"stats\"");
        assert!(line.is_some(), "no stats record after SIGUSR1");
    }
    let role = r.role;
    let code = r.stop(stop);
    let want = match role {
        Role::Server => 0,
        Role::Client => 128 + stop as i32,
    };
    assert_eq!(code, Some(want), "{role:?} stopped by {stop}");
    if let Some(file) = &r.creates {
        assert!(
            !file.exists(),
            "{} left behind after {stop}",
            file.display()
        );
    }
}

/// `nettool --json ARGS…`.
fn json(args: &[&str]) -> Command {
    let mut c = nettool();
    c.arg("--json").args(args);
    c
}

fn tcp_peer() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    (l, addr)
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn path_in(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

fn tcp_echo_connect() -> Running {
    let (l, addr) = tcp_peer();
    let r = Running::spawn(
        json(&["tcp-echo", "connect", "--stats", &addr]),
        Role::Client,
        true,
        vec![],
    );
    let mut r = r;
    let conn = l.accept().unwrap();
    r._keep
        .extend([Box::new(l) as Box<dyn std::any::Any>, Box::new(conn)]);
    r
}

/// A listener's counters are its session's: connect a client first.
fn tcp_echo_listen() -> Running {
    let cmd = json(&["-v", "tcp-echo", "listen", "--stats", "-l", "127.0.0.1:0"]);
    let mut r = cmd.pipe(Role::Client, true);
    let line = r.line("listening on ").expect("listening line");
    let addr = line.trim_start_matches("listening on ").to_string();
    let client = std::net::TcpStream::connect(addr).unwrap();
    r.line("\"connect\"").expect("the listener accepted");
    r._keep.push(Box::new(client));
    r
}

fn unix_connect() -> Running {
    let dir = tmp();
    let p = path_in(&dir, "s.sock");
    let l = UnixListener::bind(&p).unwrap();
    let cmd = json(&["unix", "connect", "--stats", &p]);
    Running::spawn(cmd, Role::Client, true, vec![Box::new(l), Box::new(dir)])
}

fn unix_connect_dgram() -> Running {
    let dir = tmp();
    let p = path_in(&dir, "d.sock");
    let server = UnixDatagram::bind(&p).unwrap();
    let cmd = json(&["unix", "connect", "--dgram", "--stats", &p]);
    Running::spawn(
        cmd,
        Role::Client,
        true,
        vec![Box::new(server), Box::new(dir)],
    )
}

fn unix_listen() -> Running {
    let dir = tmp();
    let p = path_in(&dir, "l.sock");
    let mut r = Running::spawn(
        json(&["-v", "unix", "listen", "--stats", &p]),
        Role::Client,
        true,
        vec![],
    );
    r.line("listening on ").expect("listening line");
    let client = std::os::unix::net::UnixStream::connect(&p).unwrap();
    r.line("\"connect\"").expect("the listener accepted");
    r.creates = Some(p.clone().into());
    r._keep
        .extend([Box::new(client) as Box<dyn std::any::Any>, Box::new(dir)]);
    r
}

fn unix_listen_dgram() -> Running {
    let dir = tmp();
    let cmd = json(&[
        "unix",
        "listen",
        "--dgram",
        "--stats",
        &path_in(&dir, "l.sock"),
    ]);
    Running::spawn(cmd, Role::Client, true, vec![Box::new(dir)])
}

fn udp_send() -> Running {
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = peer.local_addr().unwrap().to_string();
    let cmd = json(&["udp", "send", "--stats", &addr]);
    Running::spawn(cmd, Role::Client, true, vec![Box::new(peer)])
}

fn udp_recv() -> Running {
    json(&["udp", "recv", "--stats", "-l", "127.0.0.1:0"]).pipe(Role::Client, true)
}

/// A namespace of its own for broadcast and multicast (never the host's interfaces).
fn netns(tag: &str) -> Option<Netns> {
    if !crate::util::netns::available() {
        return None;
    }
    let ns = Netns::new(tag);
    ns.multicast_route("lo");
    Some(ns)
}

fn in_ns(ns: Netns, args: &[&str], role: Role, stats: bool) -> Running {
    let mut cmd = ns.nettool();
    cmd.arg("--json").args(args);
    Running::spawn(cmd, role, stats, vec![Box::new(ns)])
}

fn multicast_recv() -> Option<Running> {
    let ns = netns("sigm")?;
    let args = ["multicast", "recv", "239.9.9.9:5000", "-i", "lo", "--stats"];
    Some(in_ns(ns, &args, Role::Client, true))
}

fn multicast_send() -> Option<Running> {
    let ns = netns("sigs")?;
    let args = ["multicast", "send", "239.9.9.9:5000", "-i", "lo", "--stats"];
    Some(in_ns(ns, &args, Role::Client, true))
}

fn broadcast_recv() -> Option<Running> {
    let ns = netns("sigb")?;
    Some(in_ns(
        ns,
        &["broadcast", "recv", "5000", "--stats"],
        Role::Client,
        true,
    ))
}

fn broadcast_send() -> Option<Running> {
    let ns = netns("sigt")?;
    let args = [
        "broadcast",
        "send",
        "5000",
        "--to",
        "127.255.255.255",
        "--stats",
    ];
    Some(in_ns(ns, &args, Role::Client, true))
}

fn multicast_doctor() -> Option<Running> {
    let ns = netns("sigd")?;
    let args = [
        "multicast",
        "doctor",
        "239.9.9.9:5000",
        "-i",
        "lo",
        "-w",
        "60",
    ];
    Some(in_ns(ns, &args, Role::Client, false))
}

fn heartbeat_connect() -> Running {
    let (l, addr) = tcp_peer();
    let cmd = json(&["heartbeat", "connect", "--interval", "10s", &addr]);
    Running::spawn(cmd, Role::Client, false, vec![Box::new(l)])
}

fn stat_packets() -> Option<Running> {
    if !crate::util::require_root() {
        return None;
    }
    let cmd = json(&["stat", "--packets", "--iface", "lo", "--sport", "9"]);
    Some(cmd.pipe(Role::Client, false))
}

fn stat_watch() -> Running {
    json(&["stat", "-t", "--watch", "100ms"]).pipe(Role::Client, false)
}

/// The bench holds one idle connection to a real echo server.
fn bench_idle() -> Running {
    let server = crate::util::Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let cmd = json(&[
        "tcp-echo",
        "bench",
        &server.addr,
        "-c",
        "1",
        "--idle",
        "60s",
    ]);
    let r = Running::spawn(cmd, Role::Client, false, vec![Box::new(server)]);
    r.line("holding 1 connection")
        .expect("the bench holds its connection");
    r
}

fn tcp_echo_serve() -> Running {
    json(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]).pipe(Role::Server, true)
}

fn unix_serve() -> Running {
    let dir = tmp();
    let path = path_in(&dir, "e.sock");
    let cmd = json(&["unix", "serve", &path]);
    let mut r = Running::spawn(cmd, Role::Server, true, vec![Box::new(dir)]);
    r.line("listening on").expect("ready line");
    r.creates = Some(path.into());
    r
}

fn unix_serve_dgram() -> Running {
    let dir = tmp();
    let path = path_in(&dir, "d.sock");
    let cmd = json(&["unix", "serve", "--dgram", &path]);
    let mut r = Running::spawn(cmd, Role::Server, true, vec![Box::new(dir)]);
    r.line("listening on").expect("ready line");
    r.creates = Some(path.into());
    r
}

fn heartbeat_serve() -> Running {
    json(&["heartbeat", "serve", "-l", "127.0.0.1:0"]).pipe(Role::Server, true)
}

fn heartbeat_serve_udp() -> Running {
    let cmd = json(&["heartbeat", "serve", "--udp", "-l", "127.0.0.1:0"]);
    cmd.pipe(Role::Server, true)
}

fn serve_http() -> Running {
    let dir = tmp();
    let cmd = json(&[
        "serve-http",
        "-l",
        "127.0.0.1:0",
        &dir.path().display().to_string(),
    ]);
    Running::spawn(cmd, Role::Server, true, vec![Box::new(dir)])
}

fn udp_serve() -> Running {
    json(&["udp", "serve", "-l", "127.0.0.1:0"]).pipe(Role::Server, true)
}

trait Pipe {
    fn pipe(self, role: Role, stats: bool) -> Running;
}

impl Pipe for Command {
    fn pipe(self, role: Role, stats: bool) -> Running {
        Running::spawn(self, role, stats, vec![])
    }
}

/// `name::sigint` and `name::sigterm` for a command `setup` starts (`Option`: it needs
/// a namespace, skipped where none can be made).
macro_rules! signal_tests {
    ($($name:ident => $setup:expr;)+) => {
        $(
            mod $name {
                use super::*;

                fn start() -> Option<Running> {
                    #[allow(clippy::redundant_closure_call)]
                    $setup()
                }

                #[test]
                fn sigint() {
                    if let Some(r) = start() {
                        usr1_then(r, Signal::SIGINT);
                    }
                }

                #[test]
                fn sigterm() {
                    if let Some(r) = start() {
                        usr1_then(r, Signal::SIGTERM);
                    }
                }
            }
        )+
    };
}

signal_tests! {
    tcp_echo_connect => || Some(tcp_echo_connect());
    tcp_echo_listen => || Some(tcp_echo_listen());
    unix_connect => || Some(unix_connect());
    unix_connect_dgram => || Some(unix_connect_dgram());
    unix_listen => || Some(unix_listen());
    unix_listen_dgram => || Some(unix_listen_dgram());
    udp_send => || Some(udp_send());
    udp_recv => || Some(udp_recv());
    multicast_send => multicast_send;
    multicast_recv => multicast_recv;
    broadcast_send => broadcast_send;
    broadcast_recv => broadcast_recv;
    multicast_doctor => multicast_doctor;
    heartbeat_connect => || Some(heartbeat_connect());
    stat_watch => || Some(stat_watch());
    stat_packets => stat_packets;
    tcp_echo_bench => || Some(bench_idle());
    tcp_echo_serve => || Some(tcp_echo_serve());
    unix_serve => || Some(unix_serve());
    unix_serve_dgram => || Some(unix_serve_dgram());
    heartbeat_serve => || Some(heartbeat_serve());
    heartbeat_serve_udp => || Some(heartbeat_serve_udp());
    serve_http => || Some(serve_http());
    udp_serve => || Some(udp_serve());
}

/// The relay writes what it receives to stdout: with stdin held open it must not
/// matter that nothing was typed yet (the stats come from the loop's wake-up).
#[test]
fn a_client_with_stats_reports_what_moved() {
    let (l, addr) = tcp_peer();
    let mut r = Running::spawn(
        json(&["tcp-echo", "connect", "--stats", &addr]),
        Role::Client,
        true,
        vec![],
    );
    let (mut conn, _) = l.accept().unwrap();
    r.child.stdin.as_mut().unwrap().write_all(b"12345").unwrap();
    let mut got = [0u8; 5];
    std::io::Read::read_exact(&mut conn, &mut got).unwrap();
    r.signal(Signal::SIGUSR1);
    let stats = r.line("\"stats\"").expect("stats record");
    let v: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(v["bytes_out"], 5, "{v}");
    assert_eq!(r.stop(Signal::SIGTERM), Some(143));
}
