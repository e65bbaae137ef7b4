//! `stat --packets` and the clients' `--packets`: the lessons of the TCP day, each
//! asserted on the segments the capture saw — the handshake, RST from a closed port,
//! the four-way close with TIME-WAIT on the side that closed first, half-close, a zero
//! window with its probes, a retransmission in a namespace that drops packets — plus
//! the rules: each loopback segment once, one clear line without CAP_NET_RAW.
//!
//! Captures run on `lo` (or inside a namespace the test makes), never on the host's
//! other interfaces; each is bounded by `-c`/`-w` and killed on drop. This file holds
//! the fixtures: a capture started and read as it goes, and readers of its records.

mod clients;
mod lessons;
mod rules;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::netns::Netns;
use crate::util::{Server, bin, nettool, require, require_root};

/// Lines of a child's stream, as they come: JSON objects parsed, the rest relayed.
pub fn lines_of(r: impl Read + Send + 'static, tag: &'static str) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            eprintln!("[{tag}] {line}");
            let v = serde_json::from_str(&line).unwrap_or(Value::String(line));
            if tx.send(v).is_err() {
                break;
            }
        }
    });
    rx
}

/// Records (or plain lines, as JSON strings) gathered from a receiver.
pub struct Records {
    rx: Receiver<Value>,
    pub seen: Vec<Value>,
}

impl Records {
    pub fn new(rx: Receiver<Value>) -> Records {
        Records {
            rx,
            seen: Vec::new(),
        }
    }

    /// Gather until `done` holds or `timeout` passes; whether it held.
    pub fn until(&mut self, timeout: Duration, done: impl Fn(&[Value]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while !done(&self.seen) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            match self.rx.recv_timeout(left) {
                Ok(v) => self.seen.push(v),
                Err(_) => return done(&self.seen),
            }
        }
        true
    }

    /// Everything until the stream closes (bounded).
    pub fn rest(&mut self, timeout: Duration) -> &[Value] {
        let deadline = Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(v) => self.seen.push(v),
                Err(_) => break,
            }
        }
        &self.seen
    }
}

/// A running `stat --packets`, ready once its `capturing on` line is out.
pub struct Capture {
    pub child: Child,
    pub out: Records,
}

impl Capture {
    pub fn start(mut cmd: Command) -> Capture {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn capture");
        let stderr = lines_of(child.stderr.take().unwrap(), "capture");
        let ready = Instant::now() + Duration::from_secs(10);
        loop {
            let left = ready.saturating_duration_since(Instant::now());
            match stderr.recv_timeout(left) {
                Ok(Value::String(l)) if l.starts_with("capturing on ") => break,
                Ok(_) => {}
                Err(_) => {
                    let _ = child.kill();
                    panic!("no `capturing on` line (exit {:?})", child.wait().ok());
                }
            }
        }
        std::thread::spawn(move || for _ in stderr {});
        let out = Records::new(lines_of(child.stdout.take().unwrap(), "packets"));
        Capture { child, out }
    }

    /// Wait for the capture to end by itself (`-c`/`-w`) and return its records.
    pub fn finish(mut self) -> (Vec<Value>, std::process::ExitStatus) {
        self.out.rest(Duration::from_secs(20));
        let status = self.child.wait().expect("wait");
        (std::mem::take(&mut self.out.seen), status)
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn capture(args: &[&str]) -> Capture {
    let mut cmd = nettool();
    cmd.args(["--json", "stat", "--packets"]).args(args);
    Capture::start(cmd)
}

pub fn segments(recs: &[Value]) -> Vec<&Value> {
    recs.iter()
        .filter(|v| v["event"] == "segment" && v["proto"] == "tcp")
        .collect()
}

pub fn flags(v: &Value) -> String {
    let names: Vec<&str> = v["flags"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    names.join("-")
}

pub fn has_flag(v: &Value, f: &str) -> bool {
    v["flags"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x == f))
}

pub fn noted(v: &Value, note: &str) -> bool {
    v["notes"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x == note))
}

pub fn states<'a>(recs: &'a [Value], local: &str) -> Vec<&'a str> {
    recs.iter()
        .filter(|v| v["event"] == "state" && v["local"] == local)
        .filter_map(|v| v["to"].as_str())
        .collect()
}

pub fn u(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
}

/// A port nothing listens on (bound a moment ago, then closed).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

pub fn echo_server() -> Server {
    Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"])
}

/// The JSON records among a finished command's stderr lines (a client's `--packets`).
pub fn json_records(stderr: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Run a `tcp-echo connect` (prepared in `cmd`) that sends `hello` and half-closes;
/// returns what it printed, the echo.
pub fn say_hello(mut cmd: Command) -> Vec<u8> {
    let mut client = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    client.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    client.wait_with_output().unwrap().stdout
}
