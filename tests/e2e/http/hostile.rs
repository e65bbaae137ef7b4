//! Issue 9's hostile inputs for serve-http, each ending with the four checks
//! (alive, a fresh request answered, descriptors back to baseline, memory bounded):
//! malformed URIs, steerable redirects, request-smuggling framing, hostile ranges and
//! sparse files past 4 GiB, odd timestamps and permissions, hostile names in
//! listings, control bytes in the access log, slowloris, a client that never reads,
//! half-close and reset.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use super::{Fixture, SECRET, baseline, get, raw, raw_expect_close, still_healthy};
use crate::engines::all_engines;
use crate::util::wait_until;

#[test]
fn malformed_uris_are_400() {
    let f = Fixture::new();
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q"]);
        let fds = baseline(&s);
        for target in [&b"%"[..], b"%1", b"/%00", b"/\0", b"/\x02", b"/ /", b"../x"] {
            let mut req = b"GET ".to_vec();
            req.extend_from_slice(target);
            req.extend_from_slice(b" HTTP/1.1\r\nHost: t\r\n\r\n");
            let got = raw(s.socket_addr(), &req);
            assert!(
                got.starts_with(b"HTTP/1.1 400 "),
                "{:?} on {engine}: {:?}",
                String::from_utf8_lossy(target),
                String::from_utf8_lossy(&got)
            );
            assert!(!String::from_utf8_lossy(&got).contains(SECRET));
        }
        still_healthy(&mut s, fds);
    }
}

#[test]
fn redirects_cannot_be_steered() {
    let f = Fixture::new();
    std::fs::create_dir(f.root().join("a\r\nSet-Cookie: x=y")).unwrap();
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q"]);
        let fds = baseline(&s);
        let mut redirects = 0;
        for target in [
            &b"//evil/..%2f..%2fDIR"[..],
            b"/\\evil/%2e%2e%2fDIR",
            b"//evil.example/%2e%2e/DIR",
            b"/a%0d%0aSet-Cookie:%20x=y",
            b"/DIR%0d%0aLocation:%20//evil",
            b"///DIR",
        ] {
            let r = get(s.socket_addr(), target);
            let shown = String::from_utf8_lossy(target);
            assert!(r.header("set-cookie").is_none(), "{shown}: header injected");
            if let Some(loc) = r.header("location") {
                redirects += 1;
                assert_eq!(r.status, 301);
                assert!(
                    loc.starts_with('/') && !loc.starts_with("//"),
                    "{shown}: {loc}"
                );
                assert!(!loc.contains(['\\', '\r', '\n', ' ']), "{shown}: {loc:?}");
            }
        }
        assert!(redirects >= 3, "the directory cases redirect on {engine}");
        let r = get(s.socket_addr(), b"//evil/..%2f..%2fDIR");
        assert_eq!(r.header("location"), Some("/DIR/"));
        let r = get(s.socket_addr(), b"/a%0d%0aSet-Cookie:%20x=y");
        assert_eq!(r.header("location"), Some("/a%0D%0ASet-Cookie%3A%20x%3Dy/"));
        still_healthy(&mut s, fds);
    }
}

#[test]
fn framing_attacks_get_400_and_close() {
    let f = Fixture::new();
    let cases: &[&[u8]] = &[
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: -48\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: +1_0\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1Z\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: \r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nName : v\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        b"GET / HTTP/1.1\r\n\r\n",
    ];
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q"]);
        let fds = baseline(&s);
        for raw_req in cases {
            let shown = String::from_utf8_lossy(raw_req);
            let (got, closed) = raw_expect_close(s.socket_addr(), raw_req);
            assert!(
                got.starts_with(b"HTTP/1.1 400 "),
                "{shown:?} on {engine}: {:?}",
                String::from_utf8_lossy(&got)
            );
            assert!(closed, "{shown:?} left open on {engine}");
            // Nothing smuggled behind it was answered.
            assert_eq!(got.windows(9).filter(|w| w == b"HTTP/1.1 ").count(), 1);
        }
        still_healthy(&mut s, fds);
    }
}

#[test]
fn hostile_ranges_and_offsets_past_4_gib() {
    let f = Fixture::new();
    let sparse = f.root().join("sparse.bin");
    let size: u64 = (4 << 30) + (1 << 20);
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::create(&sparse).unwrap();
        file.set_len(size).unwrap();
        for (i, off) in [
            (1u64 << 31) - 1,
            (1 << 31) + 1,
            (1 << 32) - 1,
            (1 << 32) + 1,
        ]
        .iter()
        .enumerate()
        {
            file.write_at(&[b'A' + i as u8], *off).unwrap();
        }
    }
    let thousand: String = (0..1000)
        .map(|i| format!("{}-{}", i, i + 100))
        .collect::<Vec<_>>()
        .join(",");
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q"]);
        let fds = baseline(&s);
        let ranged = |target: &str, range: &str| {
            super::raw_one(
                s.socket_addr(),
                format!("GET {target} HTTP/1.1\r\nHost: t\r\nRange: {range}\r\n\r\n").as_bytes(),
            )
        };
        let r = ranged("/hello.txt", &format!("bytes={thousand}"));
        assert_eq!(
            (r.status, r.body.as_slice()),
            (200, &b"hello, world\n"[..]),
            "{engine}"
        );
        let r = ranged("/hello.txt", "bytes=-9223372036854775808");
        assert_eq!(r.status, 206);
        assert_eq!(r.body, b"hello, world\n");
        let r = ranged("/hello.txt", "bytes=18446744073709551616-");
        assert_eq!(r.status, 416);
        for (i, off) in [
            (1u64 << 31) - 1,
            (1 << 31) + 1,
            (1 << 32) - 1,
            (1 << 32) + 1,
        ]
        .iter()
        .enumerate()
        {
            let r = ranged("/sparse.bin", &format!("bytes={off}-{off}"));
            assert_eq!(r.status, 206, "offset {off} on {engine}");
            assert_eq!(r.body, [b'A' + i as u8], "offset {off} on {engine}");
            assert_eq!(
                r.header("content-range"),
                Some(format!("bytes {off}-{off}/{size}").as_str())
            );
        }
        let r = ranged("/sparse.bin", &format!("bytes={size}-"));
        assert_eq!(r.status, 416);
        let head = super::raw_one(
            s.socket_addr(),
            b"HEAD /sparse.bin HTTP/1.1\r\nHost: t\r\n\r\n",
        );
        assert_eq!(
            head.header("content-length"),
            Some(size.to_string().as_str())
        );
        still_healthy(&mut s, fds);
    }
}

#[test]
fn odd_timestamps_and_permissions() {
    use nix::sys::stat::{UtimensatFlags, utimensat};
    use nix::sys::time::TimeSpec;
    let f = Fixture::new();
    let old = f.root().join("old.txt");
    let future = f.root().join("future.txt");
    std::fs::write(&old, "old\n").unwrap();
    std::fs::write(&future, "future\n").unwrap();
    let set = |p: &std::path::Path, secs: i64| {
        let t = TimeSpec::new(secs, 0);
        utimensat(
            nix::fcntl::AT_FDCWD,
            p,
            &t,
            &t,
            UtimensatFlags::FollowSymlink,
        )
        .unwrap();
    };
    set(&old, -86_400 * 100); // 1969
    set(&future, 253_402_300_800 + 86_400 * 30); // year 10000
    let locked = f.root().join("locked.txt");
    std::fs::write(&locked, "locked\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_dir = f.root().join("lockeddir");
    std::fs::create_dir(&locked_dir).unwrap();
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: run the server as nobody so the permission bits count.
    let as_root = nix::unistd::geteuid().is_root();
    if as_root {
        for p in [f.dir.path(), &f.root()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    for engine in all_engines() {
        let root = f.root();
        let s = if as_root {
            let mut cmd = std::process::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(crate::util::bin())
                .args([
                    "-q",
                    "serve-http",
                    root.to_str().unwrap(),
                    "-l",
                    "127.0.0.1:0",
                    "--engine",
                    &engine,
                ])
                .env("NO_COLOR", "1")
                .stdin(std::process::Stdio::null());
            crate::util::Server::start_cmd(cmd)
        } else {
            f.serve(&engine, &["-q"])
        };
        let mut s = s;
        let fds = baseline(&s);
        let r = get(s.socket_addr(), b"/old.txt");
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("last-modified"),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        // The file system may cap the year (ext4 stops in 2446); whatever it stored,
        // the header is a valid HTTP date no earlier than 2038.
        let r = get(s.socket_addr(), b"/future.txt");
        let lm = r.header("last-modified").unwrap();
        let t = httpdate::parse_http_date(lm).unwrap_or_else(|e| panic!("{lm}: {e}"));
        assert!(
            t > std::time::UNIX_EPOCH + Duration::from_secs(2_200_000_000),
            "{lm}"
        );
        let listing = get(s.socket_addr(), b"/");
        assert_eq!(listing.status, 200);
        let html = String::from_utf8_lossy(&listing.body);
        assert!(html.contains("./old.txt") && html.contains("./future.txt"));
        assert_eq!(get(s.socket_addr(), b"/locked.txt").status, 403, "{engine}");
        assert_eq!(get(s.socket_addr(), b"/lockeddir/").status, 403, "{engine}");
        still_healthy(&mut s, fds);
    }
}

#[test]
fn hostile_names_render_as_text_with_relative_links() {
    let f = Fixture::new();
    let names: &[&[u8]] = &[
        b"<script>alert(1)",
        b"<img src=x onerror=alert(1)>",
        b"q\"uo'te.txt",
        b"100%.txt",
        b"javascript:alert(1)",
        b"a:b",
        b"line\nbreak",
        b"bad-\xff\xfe-utf8",
        "中文 名字.txt".as_bytes(),
        b"&amp;",
    ];
    for n in names {
        let p = f.root().join("names").join(std::ffi::OsStr::from_bytes(n));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, n).unwrap();
    }
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q"]);
        let fds = baseline(&s);
        let r = get(s.socket_addr(), b"/names/");
        let html = String::from_utf8(r.body).unwrap();
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)</a>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("q&quot;uo&#39;te.txt"));
        assert!(html.contains("&amp;amp;"));
        assert!(html.contains("中文 名字.txt"));
        // Every link is relative and each one fetches its file.
        let hrefs: Vec<&str> = html
            .split("href=\"")
            .skip(1)
            .map(|h| &h[..h.find('"').unwrap()])
            .collect();
        assert_eq!(hrefs.len(), names.len() + 1, "{html}");
        for h in &hrefs {
            assert!(h.starts_with("./") || *h == "../", "{h}");
            assert!(!h.contains(['<', '>', ' ', '\n']), "{h}");
        }
        for h in hrefs.iter().skip(1) {
            let target = format!("/names/{}", &h[2..]).replace("&amp;", "&");
            let r = get(s.socket_addr(), target.as_bytes());
            assert_eq!(r.status, 200, "{target}");
            assert!(names.contains(&r.body.as_slice()), "{target}");
        }
        let json = super::raw_one(
            s.socket_addr(),
            b"GET /names/ HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n",
        );
        let v: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
        assert_eq!(v["entries"].as_array().unwrap().len(), names.len());
        still_healthy(&mut s, fds);
    }
}

#[test]
fn control_bytes_never_reach_the_access_log() {
    let f = Fixture::new();
    let s = f.serve("thread", &[]);
    get(s.socket_addr(), b"/%1b[2J%0a%0dX");
    get(s.socket_addr(), "/\u{e9}\u{1b}".as_bytes());
    let line = s.wait_for_line("[2J", Duration::from_secs(5)).unwrap();
    assert!(line.contains("/%1b[2J%0a%0dX 404"), "{line}");
    assert!(s.wait_for_line("400", Duration::from_secs(5)).is_some());
    for l in s.stderr_lines() {
        assert!(!l.chars().any(|c| c.is_control()), "control byte in {l:?}");
    }
}

#[test]
fn slowloris_is_closed_at_the_header_timeout_while_others_are_served() {
    let f = Fixture::new();
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q", "--header-timeout", "2s"]);
        let fds = baseline(&s);
        let addr = s.socket_addr();
        let slow: Vec<_> = (0..5)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut c = TcpStream::connect(addr).unwrap();
                    let started = Instant::now();
                    for b in b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX: y\r\n\r\n" {
                        if c.write_all(&[*b]).is_err() {
                            break;
                        }
                        // One header byte per second (a slowloris client).
                        std::thread::sleep(Duration::from_secs(1));
                        let mut probe = [0u8; 64];
                        c.set_nonblocking(true).unwrap();
                        let r = c.read(&mut probe);
                        c.set_nonblocking(false).unwrap();
                        if matches!(r, Ok(0))
                            || matches!(&r, Err(e) if e.kind() != std::io::ErrorKind::WouldBlock)
                        {
                            return started.elapsed();
                        }
                        assert!(r.is_err(), "the slow client got an answer");
                    }
                    panic!("slow client was never closed");
                })
            })
            .collect();
        // Meanwhile normal clients are served at once.
        for _ in 0..10 {
            let t = Instant::now();
            assert_eq!(get(addr, b"/hello.txt").status, 200);
            assert!(t.elapsed() < Duration::from_secs(1), "{engine}");
            std::thread::sleep(Duration::from_millis(100));
        }
        for h in slow {
            let closed_after = h.join().unwrap();
            assert!(
                closed_after >= Duration::from_millis(1500)
                    && closed_after < Duration::from_secs(5),
                "closed after {closed_after:?} on {engine}"
            );
        }
        still_healthy(&mut s, fds);
    }
}

#[test]
fn non_reader_half_close_and_reset() {
    let f = Fixture::new();
    let big = crate::util::random_bytes(16 << 20, 3);
    std::fs::write(f.root().join("big.bin"), &big).unwrap();
    // Larger than any socket buffer, sparse so it costs no disk.
    let huge_len: u64 = 1 << 30;
    std::fs::File::create(f.root().join("huge.bin"))
        .unwrap()
        .set_len(huge_len)
        .unwrap();
    for engine in all_engines() {
        let mut s = f.serve(&engine, &["-q", "--idle-timeout", "2s"]);
        let fds = baseline(&s);
        let addr = s.socket_addr();
        // A client that asks for a large file and never reads.
        let mut stuck = TcpStream::connect(addr).unwrap();
        stuck
            .write_all(b"GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        assert_eq!(
            get(addr, b"/hello.txt").status,
            200,
            "others unaffected on {engine}"
        );
        // Half-close right after the request: the whole response still arrives.
        let got = raw(addr, b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
        let body_at = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        assert!(got[body_at..] == big[..], "half-close response on {engine}");
        // A reset (SO_LINGER 0) mid-transfer.
        let rst = socket2::Socket::from(TcpStream::connect(addr).unwrap());
        (&rst)
            .write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut some = [0u8; 4096];
        (&rst).read_exact(&mut some).unwrap();
        rst.set_linger(Some(Duration::ZERO)).unwrap();
        drop(rst);
        // The send timeout closes the non-reader: with the client still connected
        // and never reading, the server's descriptors go back to the baseline.
        let pid = s.pid();
        assert!(
            wait_until(Duration::from_secs(30), || super::fd_count(pid) <= fds),
            "the non-reading client was not closed on {engine}"
        );
        drop(stuck);
        assert!(wait_until(Duration::from_secs(5), || s.alive()));
        still_healthy(&mut s, fds);
    }
}

#[test]
fn five_hundred_slowloris_under_a_small_fd_limit() {
    if !crate::util::require("prlimit") {
        return;
    }
    let f = Fixture::new();
    let root = f.root();
    for engine in all_engines() {
        // 256 descriptors, 100 connection slots: room for every engine's per-connection
        // descriptors (the thread engine keeps two), the rest are refused with 503.
        let mut cmd = std::process::Command::new("prlimit");
        cmd.arg("--nofile=256:256")
            .arg(crate::util::bin())
            .args([
                "-q",
                "serve-http",
                root.to_str().unwrap(),
                "-l",
                "127.0.0.1:0",
            ])
            .args([
                "--engine",
                &engine,
                "--header-timeout",
                "3s",
                "--max-connections",
                "100",
            ])
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null());
        let mut s = crate::util::Server::start_cmd(cmd);
        let fds = baseline(&s);
        let addr = s.socket_addr();
        let started = Instant::now();
        let mut slow: Vec<TcpStream> = (0..500)
            .map(|_| TcpStream::connect(addr).unwrap())
            .collect();
        for c in &mut slow {
            let _ = c.write_all(b"G");
        }
        // A new client is answered in under 1 s: 503 while the slots are full. (It
        // reads before sending: a refused connection is closed at once, and a request
        // arriving after that close would draw a reset.)
        let t = Instant::now();
        let (got, closed) = raw_expect_close(addr, b"");
        assert!(
            closed && got.starts_with(b"HTTP/1.1 503 "),
            "{engine}: {:?}",
            String::from_utf8_lossy(&got)
        );
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "{engine}: {:?}",
            t.elapsed()
        );
        // Keep trickling one byte a second; every connection must end by the timeout.
        let mut open: Vec<bool> = vec![true; slow.len()];
        for c in &slow {
            c.set_nonblocking(true).unwrap();
        }
        let deadline = started + Duration::from_secs(8);
        while open.iter().any(|&o| o) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_secs(1));
            for (c, o) in slow.iter_mut().zip(open.iter_mut()) {
                if !*o {
                    continue;
                }
                let mut buf = [0u8; 512];
                loop {
                    match c.read(&mut buf) {
                        Ok(0) => {
                            *o = false;
                            break;
                        }
                        Ok(_) => continue, // a 503 before the close
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                        Err(_) => {
                            *o = false;
                            break;
                        }
                    }
                }
                if *o {
                    let _ = c.write_all(b"E");
                }
            }
        }
        let left = open.iter().filter(|&&o| o).count();
        assert_eq!(left, 0, "{left} slow connections still open on {engine}");
        drop(slow);
        let t = Instant::now();
        assert_eq!(get(addr, b"/hello.txt").status, 200);
        assert!(t.elapsed() < Duration::from_secs(1));
        still_healthy(&mut s, fds);
    }
}
