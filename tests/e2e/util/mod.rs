//! Helpers shared by every end-to-end test.

pub mod dgram;
pub mod events;
pub mod netns;
pub mod proc;
pub mod seccomp;
pub mod server;

use std::path::Path;
use std::process::Command;

pub use server::Server;

/// Path of the binary under test.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_nettool"))
}

/// A `Command` for the binary under test, with colour and inherited verbosity off.
pub fn nettool() -> Command {
    let mut c = Command::new(bin());
    c.env_remove("RUST_LOG").env("NO_COLOR", "1");
    c
}

/// An `assert_cmd` command for the binary under test.
pub fn nettool_assert() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(bin());
    c.env_remove("RUST_LOG").env("NO_COLOR", "1");
    c
}

/// Run `cmd` with `input` on stdin (written from a thread, so a command that answers
/// before reading it all cannot deadlock) and collect its output.
pub fn run_with_stdin(mut cmd: Command, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().unwrap();
    out
}

/// Run `cmd` to its end, but no longer than `limit`: its output, or `None` when it was
/// still running at the deadline (it is killed then), so a stuck peer fails the test
/// instead of hanging the suite. stdout and stderr are read from threads while it runs.
pub fn output_within(mut cmd: Command, limit: std::time::Duration) -> Option<std::process::Output> {
    use std::io::Read;
    use std::process::Stdio;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let mut status = None;
    wait_until(limit, || {
        status = child.try_wait().expect("wait");
        status.is_some()
    });
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    };
    Some(std::process::Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    })
}

/// [`output_within`] for a command that must end by itself (a refusal, a `-w` that
/// runs out): a test failure naming the command if it is still running at `limit`.
pub fn must_end_within(cmd: Command, limit: std::time::Duration) -> std::process::Output {
    let what = format!("{cmd:?}");
    output_within(cmd, limit).unwrap_or_else(|| panic!("{what} still running after {limit:?}"))
}

/// True under CI, where a missing tool or privilege is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Whether `tool` is on PATH. Missing: under CI the test fails naming it; elsewhere the
/// test prints why it is skipped and returns early (callers `if !require(..) { return }`).
pub fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        skip_or_fail(&format!(
            "needs `{tool}` (apt-get install it; .ci/run does)"
        ));
    }
    found
}

/// Whether we run as root (namespaces, nftables). Same skip/fail rule as [`require`].
pub fn require_root() -> bool {
    let root = nix::unistd::geteuid().is_root();
    if !root {
        skip_or_fail("needs root (network namespaces); CI runs as root");
    }
    root
}

fn skip_or_fail(why: &str) {
    if in_ci() {
        panic!("cannot run under CI: {why}");
    }
    eprintln!("SKIPPED: {why}");
}

/// Deterministic pseudo-random bytes (xorshift64*), so failures reproduce.
pub fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A temporary file holding `data`.
pub fn temp_file_with(data: &[u8]) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(data).expect("write temp file");
    f.flush().expect("flush temp file");
    f
}

/// Poll `cond` every 10 ms until it holds or `timeout` passes; returns whether it held.
pub fn wait_until(timeout: std::time::Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A loopback TCP port that drops SYNs, as a firewall would, with no namespace: a
/// listener with `listen(0)` that never accepts, its one-place accept queue filled by
/// a connection of ours, so the kernel drops every further SYN (a listen overflow).
/// Connects to it hang until their timeout. Keep the value alive while probing.
pub struct SilentTcpPort {
    pub port: u16,
    _listener: socket2::Socket,
    _filler: std::net::TcpStream,
}

impl SilentTcpPort {
    pub fn new() -> SilentTcpPort {
        use socket2::{Domain, Socket, Type};
        let l = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        let any: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
        l.bind(&any.into()).expect("bind");
        l.listen(0).expect("listen");
        let addr = l.local_addr().unwrap().as_socket().unwrap();
        let filler = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(5))
            .expect("fill the accept queue");
        SilentTcpPort {
            port: addr.port(),
            _listener: l,
            _filler: filler,
        }
    }
}

/// Whether this process has capability number `cap` in its effective set (`CapEff`
/// in /proc/self/status; capabilities(7) numbers them, e.g. 24 = CAP_SYS_RESOURCE).
pub fn has_capability(cap: u32) -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        .is_some_and(|set| set & (1 << cap) != 0)
}

/// Read `r` to EOF on a thread; the result arrives on the channel.
pub fn read_to_eof(
    mut r: impl std::io::Read + Send + 'static,
) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = r.read_to_end(&mut all);
        let _ = tx.send(all);
    });
    rx
}

/// Read exactly `n` bytes on a thread; `None` if they do not come within `limit`.
pub fn read_n(
    mut r: impl std::io::Read + Send + 'static,
    n: usize,
    limit: std::time::Duration,
) -> Option<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; n];
        let _ = tx.send(r.read_exact(&mut buf).map(|_| buf));
    });
    rx.recv_timeout(limit).ok()?.ok()
}

/// Read `want.len()` bytes from `r` (10 s at most) and check they are `want`; `what`
/// says whose bytes they are.
pub fn assert_reads(r: impl std::io::Read + Send + 'static, want: &[u8], what: &str) {
    let got = read_n(r, want.len(), std::time::Duration::from_secs(10));
    assert_eq!(
        got.as_deref().map(String::from_utf8_lossy),
        Some(String::from_utf8_lossy(want)),
        "{what}"
    );
}
