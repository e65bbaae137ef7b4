//! `serve-http` end to end: curl for every behaviour, raw sockets for the hostile
//! cases (traversal, framing, redirects, slowloris), chromium for a real browser.
//! Every test runs on every engine, each engine its own test (`engine_test!`).

mod auth;
mod behaviour;
mod browser;
mod cache;
mod conformance;
mod features;
mod hostile;
mod server;
mod slow_clients;
mod traversal;
mod upload;
mod validators;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

pub use crate::util::proc::{open_fds, rss_kib};
use crate::util::{Server, random_bytes, wait_until};

/// Bytes of the file planted next to the served directory; no response may hold them.
pub const SECRET: &str = "TOPSECRET-4f1c9a";

/// A served directory `root/` inside a temp dir that also holds `secret.txt`.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub data: Vec<u8>,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let outer = dir.path();
        std::fs::write(outer.join("secret.txt"), SECRET).unwrap();
        let root = outer.join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("hello.txt"), "hello, world\n").unwrap();
        let data = random_bytes(3 << 20, 42);
        std::fs::write(root.join("data.bin"), &data).unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/inner.txt"), "inner\n").unwrap();
        std::fs::create_dir(root.join("DIR")).unwrap();
        std::fs::create_dir(root.join("withindex")).unwrap();
        std::fs::write(root.join("withindex/index.html"), "<p>index page</p>\n").unwrap();
        std::fs::write(root.join(".hidden"), "dotfile\n").unwrap();
        std::os::unix::fs::symlink("../secret.txt", root.join("link_out")).unwrap();
        std::os::unix::fs::symlink(outer, root.join("dir_out")).unwrap();
        std::os::unix::fs::symlink("hello.txt", root.join("link_in")).unwrap();
        Fixture { dir, data }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("root")
    }

    /// Start `serve-http ROOT` on `engine` with `extra` options.
    pub fn serve(&self, engine: &str, extra: &[&str]) -> Server {
        self.serve_via(&[], engine, extra)
    }

    /// [`serve`](Self::serve) under a wrapper command (`prlimit --nofile=256:256`,
    /// `setpriv --reuid=65534 …`), which runs the binary with the same arguments.
    pub fn serve_via(&self, wrapper: &[&str], engine: &str, extra: &[&str]) -> Server {
        let root = self.root();
        let mut args = vec![
            "serve-http",
            root.to_str().unwrap(),
            "-l",
            "127.0.0.1:0",
            "--engine",
            engine,
        ];
        args.extend_from_slice(extra);
        let Some((tool, rest)) = wrapper.split_first() else {
            return Server::start(&args);
        };
        let mut cmd = std::process::Command::new(tool);
        cmd.args(rest)
            .arg(crate::util::bin())
            .args(&args)
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .stdin(std::process::Stdio::null());
        Server::start_cmd(cmd)
    }
}

/// Set a file's access and modification times to `secs` since 1970 (negative before).
pub fn set_mtime(p: &std::path::Path, secs: i64) {
    use nix::sys::stat::{UtimensatFlags, utimensat};
    use nix::sys::time::TimeSpec;
    let t = TimeSpec::new(secs, 0);
    utimensat(
        nix::fcntl::AT_FDCWD,
        p,
        &t,
        &t,
        UtimensatFlags::FollowSymlink,
    )
    .unwrap();
}

/// The base URL a server announced (`http://127.0.0.1:PORT/`).
pub fn base(s: &Server) -> String {
    s.addr.clone()
}

/// Run curl with `args` (silent, 10 s cap).
pub fn curl(args: &[&str]) -> Output {
    std::process::Command::new("curl")
        .args(["-s", "--max-time", "10"])
        .args(args)
        .output()
        .expect("run curl")
}

/// Send `req` on a fresh connection, half-close, read everything until the server
/// closes (10 s cap).
pub fn raw(addr: SocketAddr, req: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(req).unwrap();
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut got = Vec::new();
    let _ = s.read_to_end(&mut got);
    got
}

/// Send `req` without half-closing; returns what arrived and whether the server
/// closed the connection by itself within 5 s.
pub fn raw_expect_close(addr: SocketAddr, req: &[u8]) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(req).unwrap();
    let mut got = Vec::new();
    let closed = s.read_to_end(&mut got).is_ok();
    (got, closed)
}

/// One parsed response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parse consecutive responses from `buf` (bodies framed by Content-Length; none for
/// HEAD when `head` says so, none for 304).
pub fn parse_responses(mut buf: &[u8], heads: &[bool]) -> Vec<Resp> {
    let mut out = Vec::new();
    for &is_head in heads {
        let end = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(buf)));
        let head = std::str::from_utf8(&buf[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap()[9..12].parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.to_string(), v.trim().to_string())
            })
            .collect();
        let mut r = Resp {
            status,
            headers,
            body: Vec::new(),
        };
        buf = &buf[end + 4..];
        if !is_head && status != 304 && status != 204 && status >= 200 {
            let len: usize = r.header("content-length").unwrap().parse().unwrap();
            r.body = buf[..len].to_vec();
            buf = &buf[len..];
        }
        out.push(r);
    }
    assert!(
        buf.is_empty(),
        "trailing bytes: {:?}",
        String::from_utf8_lossy(buf)
    );
    out
}

/// One response to a raw request (half-closed connection).
pub fn raw_one(addr: SocketAddr, req: &[u8]) -> Resp {
    let got = raw(addr, req);
    let head = req.starts_with(b"HEAD ");
    parse_responses(&got, &[head]).pop().unwrap()
}

/// `GET target` with a Host header, raw bytes as given.
pub fn get(addr: SocketAddr, target: &[u8]) -> Resp {
    let mut req = b"GET ".to_vec();
    req.extend_from_slice(target);
    req.extend_from_slice(b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    raw_one(addr, &req)
}

/// The server's descriptors other than files: sockets, pipes, epoll and inotify —
/// what connections cost. Open files are left out: the resolution cache keeps served
/// files (and listing memfds) open by design, bounded and released on change, which
/// `cached_files_are_bounded_and_released` checks on its own.
pub fn fd_count(pid: i32) -> usize {
    open_fds(pid).iter().filter(|t| !t.starts_with('/')).count()
}

/// The server's open descriptors before a hostile case, to compare with after: taken
/// after one answered request (the engine has set up its self-pipe and reserve
/// descriptor by then) once the count has settled.
pub fn baseline(server: &Server) -> usize {
    let r = get(server.socket_addr(), b"/hello.txt");
    assert_eq!(r.status, 200);
    let pid = server.pid();
    let mut last = fd_count(pid);
    wait_until(Duration::from_secs(2), || {
        let now = fd_count(pid);
        let settled = now == last;
        last = now;
        settled
    });
    last
}

/// Issue 9's four checks after a hostile case: the server is alive, a fresh request
/// is answered, its descriptors are back to the baseline, its memory stayed bounded.
pub fn still_healthy(server: &mut Server, fds_before: usize) {
    assert!(server.alive(), "server died");
    let r = get(server.socket_addr(), b"/hello.txt");
    assert_eq!((r.status, r.body.as_slice()), (200, &b"hello, world\n"[..]));
    let pid = server.pid();
    assert!(
        wait_until(Duration::from_secs(5), || fd_count(pid) <= fds_before),
        "descriptors not back to {fds_before}: {}",
        fd_count(pid)
    );
    let rss = rss_kib(pid);
    assert!(rss < 64 * 1024, "server RSS {rss} KiB");
}
