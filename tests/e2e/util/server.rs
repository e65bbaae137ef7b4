//! A nettool server under test: spawned with `-l 127.0.0.1:0` (or whatever the test
//! gives), its first stderr line `listening on ADDR` read to learn the port, the rest
//! of its stderr relayed to the test's stderr and kept for assertions, killed on Drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    /// What followed `listening on ` (e.g. `127.0.0.1:40123`, `http://127.0.0.1:40123/`).
    pub addr: String,
    /// What the line said after the address, in parentheses (a TLS server's
    /// certificate: `TLS, self-signed certificate sha256 AB:…`).
    pub note: Option<String>,
    lines: Arc<Mutex<Vec<String>>>,
    new_line: Receiver<String>,
}

impl Server {
    /// Start `nettool ARGS…` and wait (up to 10 s) for its `listening on` line.
    pub fn start(args: &[&str]) -> Server {
        let mut cmd = super::nettool();
        cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped());
        Server::start_cmd(cmd)
    }

    /// Start a prepared command (e.g. one run inside a namespace). Only stderr is
    /// taken over; stdin and stdout are as the caller set them.
    pub fn start_cmd(mut cmd: Command) -> Server {
        cmd.stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn server");
        let stderr = child.stderr.take().expect("stderr");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = channel();
        let kept = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                eprintln!("[server] {line}");
                kept.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        let first = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().ok();
                panic!("server gave no `listening on` line (exit {status:?})");
            }
        };
        let Some(rest) = first.strip_prefix("listening on ") else {
            // Not ready: kill it before panicking, or the process outlives the test.
            let _ = child.kill();
            let status = child.wait().ok();
            panic!("first stderr line was {first:?} (exit {status:?})");
        };
        // `ADDR (note)`: a TLS server names its certificate after the address.
        let (addr, note) = match rest.split_once(" (") {
            Some((a, n)) => (a.to_string(), Some(n.trim_end_matches(')').to_string())),
            None => (rest.to_string(), None),
        };
        Server {
            child,
            addr,
            note,
            lines,
            new_line: rx,
        }
    }

    /// `host:port` of a TCP/UDP server (strips an `http://…/` or `https://…/` wrapper).
    pub fn host_port(&self) -> String {
        self.addr
            .trim_start_matches("http://")
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .to_string()
    }

    pub fn socket_addr(&self) -> std::net::SocketAddr {
        self.host_port().parse().expect("socket address")
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Every stderr line so far (after the first).
    pub fn stderr_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Wait up to `timeout` for a stderr line containing `needle`.
    pub fn wait_for_line(&self, needle: &str, timeout: Duration) -> Option<String> {
        if let Some(l) = self.stderr_lines().into_iter().find(|l| l.contains(needle)) {
            return Some(l);
        }
        let deadline = std::time::Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.new_line.recv_timeout(left) {
                Ok(l) if l.contains(needle) => return Some(l),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        None
    }

    /// Wait (up to 10 s) for `-v`'s `connection N from` line: the Nth client accepted.
    pub fn wait_for_connection(&self, n: usize) {
        let line = format!("connection {n} from");
        let seen = self.wait_for_line(&line, Duration::from_secs(10));
        assert!(seen.is_some(), "no {line:?} within 10 s");
    }

    /// Send a signal.
    pub fn signal(&self, sig: nix::sys::signal::Signal) {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(self.pid()), sig);
    }

    /// SIGTERM and wait (up to 10 s) for the exit status.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        self.stop_with(nix::sys::signal::Signal::SIGTERM)
    }

    /// Send `sig` (SIGINT or SIGTERM) and wait (up to 10 s) for the exit status.
    pub fn stop_with(&mut self, sig: nix::sys::signal::Signal) -> std::process::ExitStatus {
        self.signal(sig);
        let ok = super::wait_until(Duration::from_secs(10), || {
            matches!(self.child.try_wait(), Ok(Some(_)))
        });
        assert!(ok, "server did not exit within 10 s of {sig}");
        self.child.wait().expect("wait")
    }

    /// Everything the server writes to stdout until it closes it (it exits).
    pub fn stdout_bytes(&mut self) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        let mut stdout = self.child.stdout.take().expect("stdout piped");
        stdout.read_to_end(&mut out).expect("read stdout");
        out
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A process whose first stderr line is not the ready line is killed (and reaped)
/// before `start_cmd` panics, not left running past the test.
#[test]
fn a_server_that_is_not_ready_is_killed_before_the_panic() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!(
            "echo $$ > '{}'; echo 'not ready' >&2; exec sleep 30",
            pid_file.display()
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let started = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Server::start_cmd(c)));
    assert!(started.is_err(), "start_cmd took `not ready` for ready");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let proc = format!("/proc/{}", pid.trim());
    assert!(
        !std::path::Path::new(&proc).exists(),
        "{proc} still there: the process was left running"
    );
}
