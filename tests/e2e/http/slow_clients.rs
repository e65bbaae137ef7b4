//! Issue 9's slow and misbehaving clients: slowloris (one header byte per second),
//! 500 of them under a small descriptor limit, a client that never reads, a
//! half-close right after the request, a reset mid-transfer. Each ends with the
//! four checks (alive, answered, descriptors back, memory bounded).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{Fixture, baseline, get, raw, raw_expect_close, still_healthy};
use crate::engines::engine_test;
use crate::util::wait_until;

engine_test!(
    slowloris_is_closed_at_the_header_timeout_while_others_are_served,
    except [iterative] because "one client at a time: the test holds a connection open while it needs another served",
    |engine| {
        let f = Fixture::new();
        let mut s = f.serve(engine, &["-q", "--header-timeout", "2s"]);
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
);

engine_test!(non_reader_half_close_and_reset, |engine| {
    let f = Fixture::new();
    let big = crate::util::random_bytes(16 << 20, 3);
    std::fs::write(f.root().join("big.bin"), &big).unwrap();
    // Larger than any socket buffer, sparse so it costs no disk.
    let huge_len: u64 = 1 << 30;
    std::fs::File::create(f.root().join("huge.bin"))
        .unwrap()
        .set_len(huge_len)
        .unwrap();
    let mut s = f.serve(engine, &["-q", "--idle-timeout", "2s"]);
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
        wait_until(Duration::from_secs(30), || crate::http::fd_count(pid)
            <= fds),
        "the non-reading client was not closed on {engine}"
    );
    drop(stuck);
    assert!(wait_until(Duration::from_secs(5), || s.alive()));
    still_healthy(&mut s, fds);
});

engine_test!(five_hundred_slowloris_under_a_small_fd_limit, except [iterative] because "one client at a time: the test holds a connection open while it needs another served", |engine| {
    if !crate::util::require("prlimit") {
        return;
    }
    let f = Fixture::new();
    // 256 descriptors, 100 connection slots: room for every engine's per-connection
    // descriptors (the thread engine keeps two), the rest are refused with 503.
    let mut s = f.serve_via(
        &["prlimit", "--nofile=256:256"],
        engine,
        &["-q", "--header-timeout", "3s", "--max-connections", "100"],
    );
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
});
