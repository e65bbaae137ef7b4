//! One JSON schema for every record: each subcommand mode runs with `--json` against
//! real peers, and every line on its stdout must be a record `docs/json-schema.json`
//! accepts (jsonschema, draft 2020-12, formats checked: `time` is RFC 3339) of an
//! event the schema lists for that command (`x-commands`, which the man pages' JSON
//! OUTPUT section is generated from). `every_subcommand_has_a_json_mode` walks clap's
//! tree so a new subcommand without a mode here fails.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::Signal;
use serde_json::Value;

use crate::util::events::JsonEvents;
use crate::util::netns::Lab;
use crate::util::{Server, nettool, require_root, run_with_stdin};

const WAIT: Duration = Duration::from_secs(10);

pub struct Schema {
    validator: jsonschema::Validator,
    /// Command path (`tcp-echo serve`) → the events the schema says it prints.
    events: BTreeMap<String, BTreeSet<String>>,
}

pub fn schema() -> Schema {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-schema.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&doc)
        .expect("docs/json-schema.json is a valid JSON Schema");
    let mut events: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, def) in doc["$defs"]["events"].as_object().unwrap() {
        for c in def["x-commands"].as_array().expect("x-commands") {
            events
                .entry(c.as_str().unwrap().to_string())
                .or_default()
                .insert(name.clone());
        }
    }
    Schema { validator, events }
}

impl Schema {
    /// Each record is valid and of an event listed for `command`.
    pub fn check(&self, command: &str, records: &[Value]) {
        let allowed = self.events.get(command).cloned().unwrap_or_default();
        for v in records {
            let errors: Vec<String> = self
                .validator
                .iter_errors(v)
                .map(|e| format!("{e} (at {})", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{command}: {v}\n  {}",
                errors.join("\n  ")
            );
            let event = v["event"].as_str().unwrap();
            assert!(
                allowed.contains(event),
                "{command} prints `{event}`, which the schema does not list for it \
                 (x-commands in docs/json-schema.json): {v}"
            );
        }
    }

    /// Every stdout line is a record (see [`Schema::check`]); returns them.
    pub fn check_stdout(&self, command: &str, stdout: &[u8]) -> Vec<Value> {
        let records: Vec<Value> = String::from_utf8_lossy(stdout)
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("{command}: a stdout line is not JSON ({e}): {l}"))
            })
            .collect();
        self.check(command, &records);
        records
    }
}

/// The events in `records` include every one of `want`.
#[track_caller]
fn saw(records: &[Value], want: &[&str]) {
    let names: BTreeSet<&str> = records.iter().filter_map(|v| v["event"].as_str()).collect();
    for w in want {
        assert!(names.contains(w), "no `{w}` record among {names:?}");
    }
}

/// A `--json` server with its records read as they come.
fn serve(args: &[&str]) -> (Server, JsonEvents) {
    let mut s = Server::start(args);
    let events = JsonEvents::read(s.child.stdout.take().unwrap());
    (s, events)
}

/// Ask for the live counts, stop the server with SIGTERM (exit 0), return all records.
fn stop(mut s: Server, mut ev: JsonEvents) -> Vec<Value> {
    s.signal(Signal::SIGUSR1);
    assert!(ev.wait_for("stats", WAIT).is_some(), "no stats on SIGUSR1");
    assert!(s.stop().success());
    ev.drain_for(Duration::from_millis(500));
    ev.seen
}

/// A client or receiver that ends by itself: its stdout, after it exited 0.
fn finished(s: Server) -> Vec<u8> {
    let (ok, out) = crate::udp::finish(s);
    assert!(ok, "exited with a failure");
    out
}

fn run_ok(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut cmd = nettool();
    cmd.args(args);
    let out = run_with_stdin(cmd, stdin);
    assert!(out.status.success(), "{args:?}: {out:?}");
    out.stdout
}

fn echo_over_tcp(addr: &str) {
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"hi\n").unwrap();
    let mut got = [0u8; 3];
    c.read_exact(&mut got).unwrap();
}

/// A TCP peer that says `hello`, then reads until the client is done and closes.
fn tcp_peer() -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let t = std::thread::spawn(move || {
        let (mut c, _) = l.accept().unwrap();
        c.write_all(b"hello\n").unwrap();
        let mut got = Vec::new();
        c.read_to_end(&mut got).unwrap();
        got
    });
    (addr, t)
}

fn wait_for_path(path: &std::path::Path) {
    assert!(crate::util::wait_until(WAIT, || path.exists()), "{path:?}");
}

/// One test per subcommand mode, and the list the clap walk compares with.
macro_rules! modes {
    ($($name:ident: $cmd:literal => $body:expr;)+) => {
        const MODES: &[&str] = &[$($cmd),+];
        $(
            #[test]
            fn $name() {
                let check: fn(&Schema, &str) = $body;
                check(&schema(), $cmd);
            }
        )+
    };
}

modes! {
    tcp_echo_serve: "tcp-echo serve" => |s, cmd| {
        let (srv, ev) = serve(&["--json", "-v", "tcp-echo", "serve", "-l", "127.0.0.1:0"]);
        echo_over_tcp(&srv.addr);
        let mut ev = ev;
        assert!(ev.wait_for("close", WAIT).is_some());
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "limits", "connect", "close", "stats", "summary"]);
    };
    tcp_echo_relay: "tcp-echo relay" => |s, cmd| {
        let echo = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
        let dead = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
        let (srv, mut ev) = serve(&[
            "--json", "-v", "tcp-echo", "relay", "-l", "127.0.0.1:0", "--balance", "first",
            &dead, "--to", &echo.addr,
        ]);
        echo_over_tcp(&srv.addr);
        assert!(ev.wait_for("close", WAIT).is_some());
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "connect", "upstream_failed", "upstream", "close", "summary"]);
    };
    unix_relay: "unix relay" => |s, cmd| {
        let echo = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sock");
        let (srv, mut ev) =
            serve(&["--json", "-v", "unix", "relay", "-l", path.to_str().unwrap(), &echo.addr]);
        let mut c = UnixStream::connect(&path).unwrap();
        c.write_all(b"hi").unwrap();
        c.read_exact(&mut [0u8; 2]).unwrap();
        drop(c);
        assert!(ev.wait_for("close", WAIT).is_some());
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "connect", "upstream", "close", "summary"]);
    };
    tcp_echo_connect: "tcp-echo connect" => |s, cmd| {
        let (addr, peer) = tcp_peer();
        let out = run_ok(&["--json", "-v", "tcp-echo", "connect", &addr], b"ping\n");
        assert_eq!(peer.join().unwrap(), b"ping\n");
        let recs = s.check_stdout(cmd, &out);
        saw(&recs, &["connect", "data", "close"]);
        let data = recs.iter().find(|v| v["event"] == "data").unwrap();
        assert_eq!(data["data"], "hello\n");
        if require_root() {
            // --packets: the connection's segments and states are records beside it.
            let (addr, peer) = tcp_peer();
            let out = run_ok(&["--json", "tcp-echo", "connect", "--packets", &addr], b"");
            peer.join().unwrap();
            saw(&s.check_stdout(cmd, &out), &["data", "segment", "state"]);
        }
    };
    tcp_echo_listen: "tcp-echo listen" => |s, cmd| {
        let srv = Server::start(&["--json", "-v", "tcp-echo", "listen", "-l", "127.0.0.1:0"]);
        let mut c = TcpStream::connect(&srv.addr).unwrap();
        c.write_all(&[0xff, 0x00, 0xfe]).unwrap();
        c.shutdown(Shutdown::Write).unwrap();
        let _ = c.read_to_end(&mut Vec::new());
        let recs = s.check_stdout(cmd, &finished(srv));
        saw(&recs, &["listening", "connect", "data", "close"]);
        let data = recs.iter().find(|v| v["event"] == "data").unwrap();
        assert_eq!((data["encoding"].as_str(), data["data"].as_str()), (Some("base64"), Some("/wD+")));

        // -k serves clients on an engine: its records are a server's, -w ends it.
        let args = ["--json", "-v", "tcp-echo", "listen", "-k", "-m", "1", "-w", "500ms", "-l", "127.0.0.1:0"];
        let srv = Server::start(&args);
        let mut a = TcpStream::connect(&srv.addr).unwrap();
        a.write_all(b"held").unwrap();
        let mut b = TcpStream::connect(&srv.addr).unwrap();
        // Refused: closed at once (bounded, should it be served instead).
        b.set_read_timeout(Some(WAIT)).unwrap();
        let _ = b.read_to_end(&mut Vec::new());
        drop(a);
        let recs = s.check_stdout(cmd, &finished(srv));
        saw(&recs, &["listening", "limits", "connect", "refused", "data", "close", "summary"]);
    };
    tcp_echo_bench: "tcp-echo bench" => |s, cmd| {
        let srv = Server::start(&["-q", "tcp-echo", "serve", "-l", "127.0.0.1:0"]);
        let out = run_ok(&["--json", "tcp-echo", "bench", &srv.addr, "-c", "2", "-d", "300ms"], b"");
        saw(&s.check_stdout(cmd, &out), &["bench"]);
        let out = run_ok(&["--json", "tcp-echo", "bench", &srv.addr, "-c", "2", "--idle", "200ms"], b"");
        saw(&s.check_stdout(cmd, &out), &["idle"]);
    };
    udp_serve: "udp serve" => |s, cmd| {
        let (srv, ev) = serve(&["--json", "-v", "udp", "serve", "-l", "127.0.0.1:0"]);
        let c = UdpSocket::bind("127.0.0.1:0").unwrap();
        c.set_read_timeout(Some(WAIT)).unwrap();
        c.send_to(b"hi", &srv.addr).unwrap();
        c.recv(&mut [0u8; 16]).unwrap();
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "connect", "datagram", "stats", "summary"]);
    };
    udp_send: "udp send" => |s, cmd| {
        let srv = Server::start(&["-q", "udp", "serve", "-l", "127.0.0.1:0"]);
        let out = run_ok(&["--json", "-v", "udp", "send", &srv.addr, "hello", "-w", "300ms"], b"");
        let recs = s.check_stdout(cmd, &out);
        saw(&recs, &["reply", "sent"]);
    };
    udp_recv: "udp recv" => |s, cmd| {
        let srv = Server::start(&["--json", "-v", "udp", "recv", "-l", "127.0.0.1:0", "-n", "2"]);
        let c = UdpSocket::bind("127.0.0.1:0").unwrap();
        c.send_to(b"one", &srv.addr).unwrap();
        c.send_to(&[0xff, 0xfe], &srv.addr).unwrap();
        let recs = s.check_stdout(cmd, &finished(srv));
        saw(&recs, &["listening", "datagram", "summary"]);
    };
    udp_listen: "udp listen" => |s, cmd| {
        let srv = Server::start(&["--json", "-v", "udp", "listen", "-l", "127.0.0.1:0", "-w", "500ms"]);
        let (a, b) = (UdpSocket::bind("127.0.0.1:0").unwrap(), UdpSocket::bind("127.0.0.1:0").unwrap());
        // One receive queue: the datagrams arrive in the order sent, a's first.
        a.send_to(b"first", &srv.addr).unwrap();
        b.send_to(b"second", &srv.addr).unwrap();
        let recs = s.check_stdout(cmd, &finished(srv));
        saw(&recs, &["listening", "datagram", "rejected", "close"]);
        let d: Vec<&Value> = recs.iter().filter(|v| v["event"] == "datagram").collect();
        assert_eq!((d.len(), d[0]["data"].as_str()), (1, Some("first")), "locked to the first peer");
    };
    broadcast_send: "broadcast send" => |s, cmd| {
        let Some(lab) = Lab::try_new("jb", 2) else { return };
        let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
        let r = b.serve(&["--json", "-v", "broadcast", "recv", "5001", "-i", "eth0", "-n", "1", "-w", "10"]);
        let out = a.run_ok(&["--json", "-v", "broadcast", "send", "5001", "hello", "-i", "eth0"]);
        saw(&s.check_stdout(cmd, &out.stdout), &["sent"]);
        let recs = s.check_stdout("broadcast recv", &finished(r));
        saw(&recs, &["listening", "datagram", "summary"]);
    };
    broadcast_recv: "broadcast recv" => |s, cmd| {
        // Its records are checked beside its sender's (broadcast_send); here the -w end.
        let Some(lab) = Lab::try_new("jr", 1) else { return };
        let r = lab.hosts[0].serve(&["--json", "broadcast", "recv", "5002", "-w", "200ms"]);
        let (ok, out) = crate::udp::finish(r);
        assert!(!ok, "a receiver that heard nothing fails");
        let recs = s.check_stdout(cmd, &out);
        assert_eq!(recs.last().unwrap()["event"], "error", "{recs:?}");
    };
    multicast_send: "multicast send" => |s, cmd| {
        let Some(lab) = Lab::try_new("jm", 2) else { return };
        let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
        let g = "239.1.2.9:5000";
        let r = b.serve(&["--json", "-v", "multicast", "recv", g, "-i", "eth0", "-n", "1", "-w", "10"]);
        let out = a.run_ok(&["--json", "-v", "multicast", "send", g, "hi", "-i", "eth0"]);
        saw(&s.check_stdout(cmd, &out.stdout), &["sent"]);
        let recs = s.check_stdout("multicast recv", &finished(r));
        saw(&recs, &["listening", "joined", "datagram", "summary"]);
    };
    multicast_recv: "multicast recv" => |s, cmd| {
        let Some(lab) = Lab::try_new("jp", 2) else { return };
        let (a, b) = (&lab.hosts[0], &lab.hosts[1]);
        let g = "239.1.2.10:5000";
        let r = b.serve(&["--json", "multicast", "recv", g, "-i", "eth0", "--probe", "-w", "1"]);
        a.run_ok(&["multicast", "send", g, "--probe", "-n", "3", "-i", "eth0"]);
        saw(&s.check_stdout(cmd, &finished(r)), &["listening", "joined", "probe"]);
    };
    multicast_doctor: "multicast doctor" => |s, cmd| {
        let Some(lab) = Lab::try_new("jd", 1) else { return };
        let out = lab.hosts[0]
            .nettool()
            .args(["--json", "multicast", "doctor", "239.1.2.3:8989", "-i", "eth0", "-w", "1"])
            .output()
            .unwrap();
        saw(&s.check_stdout(cmd, &out.stdout), &["check", "summary"]);
    };
    stat: "stat" => |s, cmd| {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port().to_string();
        for args in [
            &["-ta"][..],
            &["-tanpeoim", "--sport", &port],
            &["-uaxm"],
            &["-x"],
            &["-s"],
            &["-g"],
            &["-ta", "--watch", "50ms", "--count", "2"],
        ] {
            let out = run_ok(&[&["--json", "stat"][..], args].concat(), b"");
            let recs = s.check_stdout(cmd, &out);
            assert!(!recs.is_empty() || args == ["-g"], "stat {args:?} printed nothing");
        }
        if !require_root() {
            return;
        }
        let mut cap = nettool()
            .args(["--json", "stat", "--packets", "--iface", "lo", "-t", "--dport", &port, "-c", "2", "-w", "10"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(cap.stderr.take().unwrap());
        let mut line = String::new();
        while !line.starts_with("capturing on ") {
            line.clear();
            assert!(err.read_line(&mut line).unwrap() > 0, "no `capturing on` line");
        }
        let _c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let out = cap.wait_with_output().unwrap();
        saw(&s.check_stdout(cmd, &out.stdout), &["capturing", "segment", "summary"]);
    };
    serve_http: "serve-http" => |s, cmd| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.txt"), "hello").unwrap();
        let root = dir.path().to_str().unwrap();
        let (srv, mut ev) = serve(&["--json", "-v", "serve-http", root, "-l", "127.0.0.1:0"]);
        let mut c = TcpStream::connect(srv.host_port()).unwrap();
        c.write_all(b"GET /f.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        c.read_to_end(&mut Vec::new()).unwrap();
        assert!(ev.wait_for("close", WAIT).is_some());
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "connect", "request", "close", "summary"]);
    };
    unix_serve: "unix serve" => |s, cmd| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sock");
        let (srv, mut ev) = serve(&["--json", "-v", "unix", "serve", path.to_str().unwrap()]);
        let mut c = UnixStream::connect(&path).unwrap();
        c.write_all(b"hi").unwrap();
        c.read_exact(&mut [0u8; 2]).unwrap();
        drop(c);
        assert!(ev.wait_for("close", WAIT).is_some());
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "connect", "close", "summary"]);

        let path = dir.path().join("d.sock");
        let (srv, ev) = serve(&["--json", "-v", "unix", "serve", "--dgram", path.to_str().unwrap()]);
        let c = UnixDatagram::bind(dir.path().join("c.sock")).unwrap();
        c.set_read_timeout(Some(WAIT)).unwrap();
        c.send_to(b"hi", &path).unwrap();
        c.recv(&mut [0u8; 16]).unwrap();
        let recs = stop(srv, ev);
        s.check(cmd, &recs);
        saw(&recs, &["listening", "connect", "datagram", "summary"]);
    };
    unix_listen: "unix listen" => |s, cmd| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sock");
        let srv = Server::start(&["--json", "-v", "unix", "listen", path.to_str().unwrap()]);
        let mut c = UnixStream::connect(&path).unwrap();
        c.write_all(b"hi").unwrap();
        c.shutdown(Shutdown::Write).unwrap();
        let _ = c.read_to_end(&mut Vec::new());
        let recs = s.check_stdout(cmd, &finished(srv));
        saw(&recs, &["listening", "connect", "data", "close"]);

        // Datagrams are records too, never raw payload on stdout.
        let path = dir.path().join("ld.sock");
        let args = ["--json", "-v", "unix", "listen", "--dgram", "--stats", "-w", "300ms"];
        let srv = Server::start(&[&args[..], &[path.to_str().unwrap()]].concat());
        let c = UnixDatagram::unbound().unwrap();
        c.send_to(b"raw payload", &path).unwrap();
        let recs = s.check_stdout(cmd, &finished(srv));
        saw(&recs, &["listening", "datagram", "close"]);
        let d = recs.iter().find(|v| v["event"] == "datagram").unwrap();
        assert_eq!(d["data"], "raw payload");
    };
    unix_connect: "unix connect" => |s, cmd| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sock");
        let l = UnixListener::bind(&path).unwrap();
        let peer = std::thread::spawn(move || {
            let (mut c, _) = l.accept().unwrap();
            c.write_all(b"hello").unwrap();
            c.read_to_end(&mut Vec::new()).unwrap();
        });
        let out = run_ok(&["--json", "-v", "unix", "connect", path.to_str().unwrap()], b"ping\n");
        peer.join().unwrap();
        saw(&s.check_stdout(cmd, &out), &["connect", "data", "close"]);

        let path = dir.path().join("e.sock");
        let _srv = Server::start(&["-q", "unix", "serve", "--dgram", path.to_str().unwrap()]);
        wait_for_path(&path);
        let args = ["--json", "-v", "unix", "connect", "--dgram", "-w", "2", path.to_str().unwrap()];
        let recs = s.check_stdout(cmd, &run_ok(&args, b"a\nb\n"));
        saw(&recs, &["connect", "datagram", "close"]);
        assert_eq!(recs.iter().filter(|v| v["event"] == "datagram").count(), 2, "{recs:?}");
    };
    heartbeat_serve: "heartbeat serve" => |s, cmd| {
        for udp in [false, true] {
            let mut args = vec!["--json", "-v", "heartbeat", "serve", "-l", "127.0.0.1:0"];
            let mut client = vec!["--json", "-v", "heartbeat", "connect", "-n", "2", "--interval", "50ms"];
            if udp {
                args.push("--udp");
                client.push("--udp");
            }
            let (srv, ev) = serve(&args);
            client.push(&srv.addr);
            let recs = s.check_stdout("heartbeat connect", &run_ok(&client, b""));
            saw(&recs, &["beat", "summary"]);
            let recs = stop(srv, ev);
            s.check(cmd, &recs);
            saw(&recs, &["listening", "connect", "summary"]);
        }
    };
    heartbeat_connect: "heartbeat connect" => |s, cmd| {
        // A peer that never answers: beats are missed and the peer declared dead.
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap().to_string();
        let args = ["--json", "-v", "heartbeat", "connect", "--interval", "50ms", "--misses", "2", &addr];
        let out = nettool().args(args).stdin(Stdio::null()).output().unwrap();
        drop(l);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let recs = s.check_stdout(cmd, &out.stdout);
        saw(&recs, &["missed", "dead", "summary", "error"]);
    };
}

/// Errors under --json are records too, the last one, with the exit status.
#[test]
fn failures_end_with_an_error_record() {
    let s = schema();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    // A subcommand left out shows the help on stderr; the record is still there.
    let out = nettool().args(["--json", "tcp-echo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let recs = s.check_stdout("tcp-echo serve", &out.stdout);
    assert_eq!((recs.len(), recs[0]["event"].as_str()), (1, Some("error")));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage: nettool tcp-echo"));

    let cases: [(&str, Vec<&str>, i32); 3] = [
        ("tcp-echo connect", vec!["tcp-echo", "connect", &addr], 1),
        ("udp send", vec!["udp", "send", "-w", "0", &addr, "x"], 2),
        ("tcp-echo serve", vec!["tcp-echo", "serve", "--bogus"], 2),
    ];
    for (cmd, args, code) in cases {
        let out = nettool().arg("--json").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let recs = s.check_stdout(cmd, &out.stdout);
        let last = recs
            .last()
            .unwrap_or_else(|| panic!("{args:?}: no records"));
        assert_eq!(last["event"], "error", "{args:?}");
        assert_eq!(last["exit_code"], code, "{args:?}");
        // stderr keeps the one human line, and it says the same thing.
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(
            err.trim_end(),
            format!("nettool: {}", last["message"].as_str().unwrap())
        );
    }
}

/// --explain and --dry-run records go to stdout with the rest and fit the schema.
#[test]
fn syscall_records_fit_the_schema() {
    let s = schema();
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = peer.local_addr().unwrap().to_string();
    let out = run_ok(&["--json", "--explain", "udp", "send", &addr, "hi"], b"");
    saw(&s.check_stdout("udp send", &out), &["syscall"]);
    let out = run_ok(&["--json", "--dry-run", "tcp-echo", "connect", &addr], b"");
    saw(&s.check_stdout("tcp-echo connect", &out), &["syscall"]);
}

/// Every subcommand (from clap's tree) has a mode above; the schema names no command
/// that does not exist.
#[test]
fn every_subcommand_has_a_json_mode() {
    let leaves = crate::contract::walk::leaves();
    // completions prints a shell script, whatever --json says.
    let expected: BTreeSet<String> = leaves
        .iter()
        .map(|(path, _)| path.clone())
        .filter(|p| p != "completions")
        .collect();
    let covered: BTreeSet<String> = MODES.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        covered, expected,
        "a subcommand without a --json mode here, or the reverse"
    );
    let named: BTreeSet<String> = schema().events.keys().cloned().collect();
    let unknown: Vec<&String> = named.difference(&expected).collect();
    assert!(
        unknown.is_empty(),
        "x-commands names no such command: {unknown:?}"
    );
}

/// The TLS records — `tls` on both ends, the server's `tls_error` and `tls_summary`,
/// `--explain`'s `step`s, the `tls` object of `listening` — fit the schema.
#[test]
fn tls_records_fit_the_schema() {
    let s = schema();
    let (srv, mut ev) = serve(&[
        "--json",
        "-v",
        "tcp-echo",
        "serve",
        "--tls",
        "-l",
        "127.0.0.1:0",
    ]);
    let pin = crate::tls::fingerprint(&srv);
    let out = run_ok(
        &[
            "--json",
            "--explain",
            "tcp-echo",
            "connect",
            "--tls",
            "--pin",
            &pin,
            &srv.addr,
        ],
        b"hi\n",
    );
    saw(
        &s.check_stdout("tcp-echo connect", &out),
        &["tls", "step", "syscall", "data"],
    );
    // A refused certificate: the tls record (ok false), then the error record.
    let mut cmd = nettool();
    cmd.args(["--json", "tcp-echo", "connect", "--tls", &srv.addr]);
    let out = run_with_stdin(cmd, b"");
    assert_eq!(out.status.code(), Some(1));
    saw(
        &s.check_stdout("tcp-echo connect", &out.stdout),
        &["tls", "error"],
    );
    // Plain text to the TLS port: the server's tls_error.
    echo_over_tcp_refused(&srv.addr);
    assert!(ev.wait_for("tls_error", WAIT).is_some());
    let recs = stop(srv, ev);
    s.check("tcp-echo serve", &recs);
    saw(
        &recs,
        &["listening", "tls", "tls_error", "summary", "tls_summary"],
    );

    // A Unix server's records carry the peer's credentials.
    let name = format!("@nettool-json-tls-{}", std::process::id());
    let (srv, ev) = serve(&["--json", "unix", "serve", "--tls", &name]);
    let pin = crate::tls::fingerprint(&srv);
    let out = run_ok(
        &["--json", "unix", "connect", "--tls", "--pin", &pin, &name],
        b"hi\n",
    );
    saw(&s.check_stdout("unix connect", &out), &["tls", "data"]);
    let recs = stop(srv, ev);
    s.check("unix serve", &recs);
    let tls = recs
        .iter()
        .find(|v| v["event"] == "tls")
        .expect("a tls record");
    assert!(tls["uid"].is_u64(), "{tls}");

    let (srv, ev) = serve(&["--json", "serve-http", "--tls", "-l", "127.0.0.1:0"]);
    let recs = stop(srv, ev);
    s.check("serve-http", &recs);
    let listening = recs.iter().find(|v| v["event"] == "listening").unwrap();
    assert_eq!(listening["tls"]["alpn"][0], "http/1.1", "{listening}");
}

/// Bytes that are not TLS to a TLS port: the server answers an alert and closes.
fn echo_over_tcp_refused(addr: &str) {
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"hi\n").unwrap();
    let _ = c.read_to_end(&mut Vec::new());
}
