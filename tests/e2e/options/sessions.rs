//! Rows for the netcat ends — `tcp-echo connect|listen`, `unix connect|listen`: the
//! relay options are checked on every one of the four (each is its own row), with a
//! peer written in the test on the other side of the socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use super::Row;
use super::fixtures::*;

/// The relay options, the same on all four netcat ends.
macro_rules! relay_rows {
    ($cmd:literal, $mode:expr) => {
        super::rows!($cmd:
            "--no-stdin" => || no_stdin($mode),
            "--send-only" => || send_only($mode),
            "--recv-only" => || recv_only($mode),
            "--no-shutdown" => || no_shutdown($mode),
            "--eof-timeout" => || eof_timeout($mode),
            "--hexdump" => || hexdump($mode),
            "--stats" => || stats($mode),
            "--crlf" => || crlf($mode),
        )
    };
}

pub fn rows() -> Vec<Row> {
    [
        relay_rows!("tcp-echo connect", Mode::TcpConnect),
        super::rows!("tcp-echo connect":
            "-4" => connect_v4,
            "-6" => connect_v6,
            "--timeout" => || idle_timeout(Mode::TcpConnect),
            "--packets" => connect_packets,
        ),
        relay_rows!("tcp-echo listen", Mode::TcpListen),
        super::rows!("tcp-echo listen":
            "--listen" => || listens_where_told(&["tcp-echo", "listen"], false),
            "--keep-open" => || keep_open(Mode::TcpListen),
            "-4" => || family_decides_the_host(&["tcp-echo", "listen"], "-4", "127.0.0.1:"),
            "-6" => || family_decides_the_host(&["tcp-echo", "listen"], "-6", "[::1]:"),
            "--timeout" => || accept_timeout(Mode::TcpListen),
        ),
        relay_rows!("unix connect", Mode::UnixConnect),
        super::rows!("unix connect":
            "--dgram" => connect_dgram,
            "--raw" => connect_dgram_raw,
            "--timeout" => || idle_timeout(Mode::UnixConnect),
        ),
        relay_rows!("unix listen", Mode::UnixListen),
        super::rows!("unix listen":
            "--keep-open" => || keep_open(Mode::UnixListen),
            "--dgram" => listen_dgram,
            "--mode" => listen_mode,
            "--timeout" => || accept_timeout(Mode::UnixListen),
        ),
    ]
    .concat()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    TcpConnect,
    TcpListen,
    UnixConnect,
    UnixListen,
}

/// The test's end of the relayed connection.
trait Wire: Read + Write {
    fn shut_write(&self);
    fn timeout(&self, d: Duration);
}

impl Wire for TcpStream {
    fn shut_write(&self) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
    fn timeout(&self, d: Duration) {
        self.set_read_timeout(Some(d)).unwrap();
    }
}

impl Wire for UnixStream {
    fn shut_write(&self) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
    fn timeout(&self, d: Duration) {
        self.set_read_timeout(Some(d)).unwrap();
    }
}

/// Accepts the command's connection (connect modes).
type Accept = Box<dyn FnOnce() -> Box<dyn Wire>>;

/// A running netcat end and the test's peer on the other side.
struct Session {
    child: Child,
    peer: Box<dyn Wire>,
    /// A listener's stderr after its ready line (its summary comes last).
    err: Option<std::thread::JoinHandle<Vec<u8>>>,
    /// Held open when the command must not see stdin end.
    stdin: Option<std::process::ChildStdin>,
    _dir: tempfile::TempDir,
}

impl Session {
    /// Start the command in `mode` with `args`, `input` (then EOF) on stdin unless
    /// `hold_stdin`, and connect or accept the peer.
    fn start(mode: Mode, args: &[&str], input: &[u8], hold_stdin: bool) -> Session {
        let (dir, path) = temp_path("s.sock");
        let (c, listener): (_, Option<Accept>) = match mode {
            Mode::TcpConnect => {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                let addr = l.local_addr().unwrap().to_string();
                let accept = Box::new(move || Box::new(l.accept().unwrap().0) as Box<dyn Wire>);
                (
                    cmd(&[&["tcp-echo", "connect", &addr][..], args].concat()),
                    Some(accept),
                )
            }
            Mode::UnixConnect => {
                let l = UnixListener::bind(&path).unwrap();
                let accept = Box::new(move || Box::new(l.accept().unwrap().0) as Box<dyn Wire>);
                (
                    cmd(&[&["unix", "connect", &path][..], args].concat()),
                    Some(accept),
                )
            }
            Mode::TcpListen => {
                let head = ["tcp-echo", "listen", "-l", "127.0.0.1:0"];
                (cmd(&[&head[..], args].concat()), None)
            }
            Mode::UnixListen => (cmd(&[&["unix", "listen", &path][..], args].concat()), None),
        };
        let mut c = c;
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input).unwrap();
        let stdin = hold_stdin.then_some(stdin);
        let mut err_rest = None;
        let peer = match listener {
            Some(accept) => accept(),
            None => {
                let mut err = BufReader::new(child.stderr.take().unwrap());
                let mut line = String::new();
                err.read_line(&mut line).unwrap();
                let at = line
                    .trim()
                    .strip_prefix("listening on ")
                    .expect("ready line")
                    .to_string();
                // Keep reading stderr so the command never blocks on it.
                err_rest = Some(std::thread::spawn(move || {
                    let mut rest = Vec::new();
                    let _ = err.read_to_end(&mut rest);
                    rest
                }));
                match mode {
                    Mode::TcpListen => Box::new(TcpStream::connect(at).unwrap()) as Box<dyn Wire>,
                    _ => Box::new(UnixStream::connect(at).unwrap()),
                }
            }
        };
        peer.timeout(Duration::from_secs(10));
        Session {
            child,
            peer,
            err: err_rest,
            stdin,
            _dir: dir,
        }
    }

    /// Close the peer and wait for the command: its output.
    fn finish(self) -> Output {
        drop(self.peer);
        let mut out = wait_output(self.child);
        if let Some(rest) = self.err {
            out.stderr.extend(rest.join().unwrap());
        }
        out
    }
}

/// Wait (at most 20 s, then kill it) for the command and collect its output.
fn wait_output(mut child: Child) -> Output {
    let streams = (child.stdout.take(), child.stderr.take());
    let collect = |s: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut s) = s {
                let _ = s.read_to_end(&mut v);
            }
            v
        })
    };
    let out = collect(streams.0.map(|s| Box::new(s) as Box<dyn Read + Send>));
    let err = collect(streams.1.map(|s| Box::new(s) as Box<dyn Read + Send>));
    let exited = crate::util::wait_until(Duration::from_secs(20), || {
        matches!(child.try_wait(), Ok(Some(_)))
    });
    if !exited {
        // Through the handle: it cannot hit another process that reused the pid.
        let _ = child.kill();
    }
    Output {
        status: child.wait().unwrap(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn read_all(w: &mut dyn Wire) -> Vec<u8> {
    let mut got = Vec::new();
    let _ = w.read_to_end(&mut got);
    got
}

fn no_stdin(mode: Mode) {
    let mut s = Session::start(mode, &["-d"], b"data", false);
    s.peer.write_all(b"hi").unwrap();
    s.peer.shut_write();
    assert_eq!(read_all(&mut *s.peer), b"", "-d sent stdin");
    let out = s.finish();
    assert_eq!(out.stdout, b"hi");
}

fn send_only(mode: Mode) {
    // Stdin stays open until the peer's bytes are on the wire: --send-only ends at
    // stdin EOF, and a Unix peer writing to a closed socket gets EPIPE.
    let mut s = Session::start(mode, &["--send-only"], b"data", true);
    s.peer.write_all(b"hi").unwrap();
    let mut got = [0u8; 4];
    s.peer.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"data");
    drop(s.stdin.take());
    assert_eq!(read_all(&mut *s.peer), b"", "more than stdin was sent");
    let out = s.finish();
    assert_eq!(out.stdout, b"", "--send-only printed what the peer sent");
}

fn crlf(mode: Mode) {
    let mut s = Session::start(mode, &["--crlf"], b"a\nb\r\n", false);
    assert_eq!(read_all(&mut *s.peer), b"a\r\nb\r\n", "-C sends CR LF");
    s.finish();
}

fn recv_only(mode: Mode) {
    let mut s = Session::start(mode, &["--recv-only"], b"data", false);
    s.peer.write_all(b"hi").unwrap();
    s.peer.shut_write();
    assert_eq!(read_all(&mut *s.peer), b"", "--recv-only sent stdin");
    assert_eq!(s.finish().stdout, b"hi");
}

fn no_shutdown(mode: Mode) {
    let mut s = Session::start(mode, &["--no-shutdown"], b"data", false);
    let mut got = [0u8; 4];
    s.peer.read_exact(&mut got).unwrap();
    s.peer.timeout(Duration::from_millis(300));
    let mut more = [0u8; 1];
    let fin = matches!(s.peer.read(&mut more), Ok(0));
    assert!(!fin, "--no-shutdown half-closed at stdin EOF");
    // Without it, the FIN follows the data.
    let mut plain = Session::start(mode, &[], b"data", false);
    assert_eq!(read_all(&mut *plain.peer), b"data");
    s.finish();
    plain.finish();
}

fn eof_timeout(mode: Mode) {
    let s = Session::start(mode, &["--eof-timeout", "200ms"], b"", false);
    // The peer stays open and silent: only the timeout ends the command.
    let child = s.child;
    let (out, took) = timed(|| wait_output(child));
    assert!(out.status.success(), "{out:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    drop(s.peer);
}

fn hexdump(mode: Mode) {
    let (_d, dump) = temp_path("x.dump");
    let mut s = Session::start(mode, &["-x", &dump], b"ping", false);
    let mut got = [0u8; 4];
    s.peer.read_exact(&mut got).unwrap();
    s.peer.write_all(b"pong").unwrap();
    s.peer.shut_write();
    assert!(s.finish().status.success());
    dump_holds(&dump, b"pong", b"ping");
}

fn stats(mode: Mode) {
    let mut s = Session::start(mode, &["--stats"], b"", false);
    s.peer.write_all(b"abc").unwrap();
    s.peer.shut_write();
    let out = s.finish();
    let err = stderr(&out);
    assert!(err.contains("3 bytes received"), "{err}");
}

fn idle_timeout(mode: Mode) {
    let s = Session::start(mode, &["-w", "200ms"], b"", true);
    let child = s.child;
    let out = wait_output(child);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("idle timeout"), "{}", stderr(&out));
    drop(s.peer);
}

/// `-w` bounds a listener's wait for its connection.
fn accept_timeout(mode: Mode) {
    let (_d, path) = temp_path("w.sock");
    let args: Vec<&str> = match mode {
        Mode::TcpListen => vec!["tcp-echo", "listen", "-l", "127.0.0.1:0", "-w", "200ms"],
        _ => vec!["unix", "listen", &path, "-w", "200ms"],
    };
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no connection within"),
        "{}",
        stderr(&out)
    );
}

fn keep_open(mode: Mode) {
    let (_d, path) = temp_path("k.sock");
    let args: Vec<&str> = match mode {
        Mode::TcpListen => vec!["-v", "tcp-echo", "listen", "-l", "127.0.0.1:0", "-k"],
        _ => vec!["-v", "unix", "listen", &path, "-k"],
    };
    let mut c = cmd(&args);
    c.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut server = crate::util::Server::start_cmd(c);
    for word in [&b"one"[..], b"two"] {
        let mut peer: Box<dyn Wire> = match mode {
            Mode::TcpListen => Box::new(TcpStream::connect(server.host_port()).unwrap()),
            _ => Box::new(UnixStream::connect(&server.addr).unwrap()),
        };
        peer.write_all(word).unwrap();
        peer.shut_write();
        read_all(&mut *peer);
    }
    // Each client's closing line (-v) says it has relayed what arrived.
    let sessions = || {
        server
            .stderr_lines()
            .iter()
            .filter(|l| l.contains("closed (") && l.contains("3 bytes in"))
            .count()
    };
    assert!(crate::util::wait_until(
        Duration::from_secs(10),
        || sessions() == 2
    ));
    server.stop();
    assert_eq!(
        server.stdout_bytes(),
        b"onetwo",
        "-k served the second client"
    );
}

fn connect_family(flag: &str, want: &str, not: &str) {
    let calls = dry(&["tcp-echo", "connect", flag, ":9"]);
    has_call(&calls, &["socket(", want]);
    no_call(&calls, &["socket(", not]);
}

fn connect_v4() {
    connect_family("-4", "AF_INET,", "AF_INET6");
}

fn connect_v6() {
    connect_family("-6", "AF_INET6", "AF_INET,");
}

fn connect_dgram() {
    assert_eq!(dgram_client(&[], b"one\ntwo\n"), [&b"one\n"[..], b"two\n"]);
}

/// `--raw`: one datagram per read of stdin, newlines and all (without it, one per line).
fn connect_dgram_raw() {
    assert_eq!(
        dgram_client(&["--raw"], b"one\ntwo\n"),
        [&b"one\ntwo\n"[..]]
    );
}

/// The datagrams `unix connect --dgram ARGS` sends for `input` (one write, then EOF).
fn dgram_client(args: &[&str], input: &[u8]) -> Vec<Vec<u8>> {
    let (_d, path) = temp_path("d.sock");
    let server = UnixDatagram::bind(&path).unwrap();
    let mut c = cmd(&[
        &["unix", "connect", "--dgram", &path, "-w", "200ms"][..],
        args,
    ]
    .concat());
    c.stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 64];
    server
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    while let Ok(n) = server.recv(&mut buf) {
        got.push(buf[..n].to_vec());
        // After the first datagram the rest come at once.
        server
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
    }
    wait_output(child);
    got
}

fn listen_dgram() {
    let (_d, path) = temp_path("l.sock");
    let mut c = cmd(&["unix", "listen", "--dgram", &path, "-w", "2s"]);
    c.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut server = crate::util::Server::start_cmd(c);
    let client = UnixDatagram::unbound().unwrap();
    client.send_to(b"a datagram", &path).unwrap();
    assert_eq!(server.stdout_bytes(), b"a datagram");
}

fn listen_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, path) = temp_path("m.sock");
    let _s = crate::util::Server::start(&["unix", "listen", &path, "--mode", "0600"]);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// `--packets` shows the connection's own segments on stderr, the handshake first.
fn connect_packets() {
    if !crate::util::require_root() {
        return;
    }
    let s = Session::start(Mode::TcpConnect, &["--packets"], b"", false);
    s.peer.shut_write();
    let err = stderr(&s.finish());
    assert!(err.contains("SYN") && err.contains("SYN-ACK"), "{err}");
}
