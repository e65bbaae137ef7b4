//! The echo server under load and abuse, on every engine (`engine_test!`): many
//! concurrent clients with byte-exact comparison, a client that never reads, resets
//! mid-stream, the limits (`--max-connections`, `--idle-timeout`) — and, for the
//! engines they concern, thousands of connections, select's FD_SETSIZE and running out
//! of file descriptors.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::engines::{all_engines, echo_server, engine_test};
use crate::util::{Server, bin, random_bytes, require, wait_until};

/// One echo round trip of `msg`; panics naming `what` on failure.
fn round_trip(s: &mut TcpStream, msg: &[u8], what: &str) {
    s.write_all(msg)
        .unwrap_or_else(|e| panic!("{what}: write: {e}"));
    let mut got = vec![0u8; msg.len()];
    s.read_exact(&mut got)
        .unwrap_or_else(|e| panic!("{what}: read: {e}"));
    assert_eq!(got, msg, "{what}: echo differs");
}

fn connect(server: &Server) -> TcpStream {
    let s = TcpStream::connect(server.socket_addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Whether the server closed (or reset) this connection instead of echoing.
fn closed_by_server(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut b = [0u8; 1];
    match s.read(&mut b) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::BrokenPipe) => true,
        Err(e) => panic!("neither echo nor close: {e}"),
    }
}

engine_test!(two_hundred_clients_echo_a_mebibyte_each, |engine| {
    const CLIENTS: usize = 200;
    const SIZE: usize = 1 << 20;
    let server = echo_server(engine, &[]);
    let addr = server.socket_addr();
    // One random MiB; client i sends it rotated by a client-specific offset, so
    // streams mixed up between connections cannot compare equal.
    let base = Arc::new(random_bytes(SIZE, 42));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for i in 0..CLIENTS {
            let base = Arc::clone(&base);
            scope.spawn(move || {
                let off = (i * 4099) % SIZE;
                let mut s = TcpStream::connect(addr).expect("connect");
                s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
                let mut w = s.try_clone().unwrap();
                let writer = {
                    let base = Arc::clone(&base);
                    std::thread::spawn(move || {
                        w.write_all(&base[off..]).unwrap();
                        w.write_all(&base[..off]).unwrap();
                        w.shutdown(Shutdown::Write).unwrap();
                    })
                };
                // Compare as it arrives: no second MiB per client in memory.
                let mut buf = vec![0u8; 64 * 1024];
                let mut pos = 0usize;
                loop {
                    let n = s
                        .read(&mut buf)
                        .unwrap_or_else(|e| panic!("client {i}: {e}"));
                    if n == 0 {
                        break;
                    }
                    assert!(pos + n <= SIZE, "client {i}: more bytes than sent");
                    for (k, &b) in buf[..n].iter().enumerate() {
                        let want = base[(off + pos + k) % SIZE];
                        assert!(b == want, "client {i}: byte {} differs", pos + k);
                    }
                    pos += n;
                }
                assert_eq!(pos, SIZE, "client {i}: echo cut short");
                writer.join().unwrap();
            });
        }
    });
    eprintln!("engine {engine}: 200 x 1 MiB in {:?}", started.elapsed());
});

engine_test!(a_client_that_never_reads_does_not_block_others, |engine| {
    let server = echo_server(engine, &[]);
    let hog = connect(&server);
    hog.set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let written = Arc::new(AtomicU64::new(0));
    let hog_writer = {
        let written = Arc::clone(&written);
        let mut hog = hog.try_clone().unwrap();
        std::thread::spawn(move || {
            let chunk = vec![b'h'; 64 * 1024];
            // Bounded: at most 256 MiB; stops when the server stops taking bytes.
            for _ in 0..4096 {
                match hog.write(&chunk) {
                    Ok(n) => written.fetch_add(n as u64, Ordering::Relaxed),
                    Err(_) => break,
                };
            }
        })
    };
    hog_writer.join().unwrap();
    let stalled_at = written.load(Ordering::Relaxed);
    assert!(
        stalled_at < 4096 * 64 * 1024,
        "engine {engine}: the hog was never throttled"
    );
    let mut other = connect(&server);
    for i in 0..20u8 {
        round_trip(
            &mut other,
            &[i; 100],
            &format!("engine {engine}: other client"),
        );
    }
    drop(hog);
    let mut late = connect(&server);
    round_trip(&mut late, b"after the hog", &format!("engine {engine}"));
});

engine_test!(reset_mid_stream_harms_nobody, |engine| {
    let mut server = echo_server(engine, &[]);
    let mut steady = connect(&server);
    round_trip(&mut steady, b"before", engine);
    let payload = random_bytes(256 * 1024, 7);
    for _ in 0..5 {
        let mut rude = connect(&server);
        rude.write_all(&payload[..64 * 1024]).unwrap();
        let mut some = [0u8; 1024];
        rude.read_exact(&mut some).unwrap();
        // More in flight both ways, then RST instead of FIN.
        let _ = rude.write_all(&payload[64 * 1024..]);
        socket2::SockRef::from(&rude)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(rude);
        round_trip(&mut steady, b"still here", engine);
    }
    let mut fresh = connect(&server);
    round_trip(&mut fresh, b"fresh", engine);
    assert!(server.alive(), "engine {engine}: server died");
});

engine_test!(max_connections_refuses_the_surplus, |engine| {
    let mut server = echo_server(engine, &["--max-connections", "2"]);
    let mut a = connect(&server);
    let mut b = connect(&server);
    round_trip(&mut a, b"a", engine);
    round_trip(&mut b, b"b", engine);
    let mut c = connect(&server);
    let _ = c.write_all(b"c");
    assert!(
        closed_by_server(&mut c),
        "engine {engine}: third connection served"
    );
    drop(a);
    // Once the server has seen `a` go, a new connection is accepted again.
    let admitted = wait_until(Duration::from_secs(5), || {
        let mut d = connect(&server);
        d.write_all(b"d").is_ok() && !closed_by_server(&mut d)
    });
    assert!(admitted, "engine {engine}: no room after a client left");
    round_trip(&mut b, b"b again", engine);
    drop(b);
    assert!(server.stop().success());
    let summary = server
        .wait_for_line("refused", Duration::from_secs(5))
        .unwrap();
    assert!(!summary.contains("(0 refused"), "{summary}");
});

engine_test!(idle_timeout_closes_quiet_connections_only, |engine| {
    let server = echo_server(engine, &["--idle-timeout", "400ms"]);
    let mut quiet = connect(&server);
    let mut busy = connect(&server);
    let started = Instant::now();
    // The busy client talks every 100 ms for well past the idle timeout.
    for i in 0..10u8 {
        round_trip(&mut busy, &[i], &format!("engine {engine}: busy client"));
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut b = [0u8; 1];
    assert_eq!(quiet.read(&mut b).unwrap_or(0), 0, "engine {engine}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(350),
        "closed too early: {waited:?}"
    );
    round_trip(&mut busy, b"alive", engine);
});

#[test]
fn two_thousand_concurrent_connections() {
    const N: usize = 2000;
    nettool::net::limits::raise_nofile();
    for engine in ["poll", "epoll-lt", "epoll-et", "reactor"] {
        eprintln!("--- engine {engine}");
        let mut server = echo_server(engine, &[]);
        let mut clients: Vec<TcpStream> = (0..N).map(|_| connect(&server)).collect();
        for (i, c) in clients.iter_mut().enumerate() {
            c.write_all(&(i as u64).to_le_bytes()).unwrap();
        }
        for (i, c) in clients.iter_mut().enumerate() {
            let mut got = [0u8; 8];
            c.read_exact(&mut got)
                .unwrap_or_else(|e| panic!("engine {engine}: client {i}: {e}"));
            assert_eq!(u64::from_le_bytes(got), i as u64, "engine {engine}");
        }
        assert!(server.stop().success());
        let summary = server
            .wait_for_line("connections", Duration::from_secs(5))
            .unwrap();
        assert!(
            summary.starts_with(&format!("{N} connections (0 refused, peak {N})")),
            "engine {engine}: {summary}"
        );
    }
}

#[test]
fn select_refuses_descriptors_beyond_fd_setsize_and_keeps_serving() {
    const N: usize = 1100;
    nettool::net::limits::raise_nofile();
    let server = echo_server("select", &[]);
    let mut clients: Vec<TcpStream> = (0..N).map(|_| connect(&server)).collect();
    for c in clients.iter_mut() {
        let _ = c.write_all(b"x");
    }
    assert!(
        server
            .wait_for_line("FD_SETSIZE", Duration::from_secs(10))
            .is_some(),
        "no log line about FD_SETSIZE"
    );
    let mut refused = 0;
    for (i, c) in clients.iter_mut().enumerate() {
        if closed_by_server(c) {
            assert!(i >= 900, "client {i} refused long before fd 1024");
            refused += 1;
        }
    }
    assert!(refused > 0, "nobody refused beyond FD_SETSIZE");
    // The early clients are still served after the refusals.
    for c in clients.iter_mut().take(10) {
        round_trip(c, b"again", "select, early client");
    }
    drop(clients);
    let served = wait_until(Duration::from_secs(5), || {
        let mut c = connect(&server);
        c.write_all(b"y").is_ok() && !closed_by_server(&mut c)
    });
    assert!(served, "select stopped serving after refusing");
}

/// CPU time (user + system) of `pid` in clock ticks, from /proc/PID/stat.
fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after_comm = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = after_comm.split_whitespace().collect();
    // Fields 14 and 15 of stat(5); `after_comm` starts at field 3.
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

engine_test!(
    out_of_descriptors_sheds_without_spinning_and_recovers,
    |engine| {
        if !require("prlimit") {
            return;
        }
        let mut cmd = std::process::Command::new("prlimit");
        cmd.arg("--nofile=64:64")
            .arg("--")
            .arg(bin())
            .args(["tcp-echo", "serve", "-l", "127.0.0.1:0", "--engine", engine])
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null());
        let mut server = Server::start_cmd(cmd);
        let (mut echoed, mut shed) = (Vec::new(), 0);
        for _ in 0..100 {
            let mut c = connect(&server);
            let _ = c.write_all(b"p");
            if closed_by_server(&mut c) {
                shed += 1;
            } else {
                echoed.push(c);
            }
        }
        assert!(
            echoed.len() >= 20,
            "engine {engine}: only {} served",
            echoed.len()
        );
        assert!(shed > 0, "engine {engine}: nobody shed at 64 descriptors");
        // At the limit, with connections arriving: the server must sleep, not spin.
        let before = cpu_ticks(server.pid());
        let t0 = Instant::now();
        for _ in 0..20 {
            let mut c = connect(&server);
            let _ = c.write_all(b"p");
            assert!(
                closed_by_server(&mut c),
                "engine {engine}: over the limit yet served"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let ticks = cpu_ticks(server.pid()) - before;
        let elapsed_ticks = t0.elapsed().as_secs_f64() * 100.0;
        assert!(
            (ticks as f64) < elapsed_ticks * 0.3,
            "engine {engine}: {ticks} ticks of CPU in {elapsed_ticks:.0}: spinning"
        );
        for c in echoed.iter_mut().take(5) {
            round_trip(c, b"held", engine);
        }
        drop(echoed);
        let recovered = wait_until(Duration::from_secs(5), || {
            let mut c = connect(&server);
            c.write_all(b"r").is_ok() && !closed_by_server(&mut c)
        });
        assert!(
            recovered,
            "engine {engine}: no accept after descriptors freed"
        );
        assert!(server.alive());
    }
);

#[test]
fn unknown_engine_lists_the_valid_ones() {
    let out = crate::util::nettool()
        .args(["tcp-echo", "serve", "--engine", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for name in all_engines() {
        assert!(err.contains(&name), "{name} missing from: {err}");
    }
}

engine_test!(a_flooding_client_does_not_starve_a_chatty_one, |engine| {
    const FLOOD: u64 = 128 << 20;
    let server = echo_server(engine, &[]);
    let flood = connect(&server);
    let mut flood_w = flood.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'f'; 256 * 1024];
        for _ in 0..FLOOD / chunk.len() as u64 {
            flood_w.write_all(&chunk).unwrap();
        }
        flood_w.shutdown(Shutdown::Write).unwrap();
    });
    let echoed = Arc::new(AtomicU64::new(0));
    let reader = {
        let echoed = Arc::clone(&echoed);
        let mut flood = flood;
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 256 * 1024];
            while let Ok(n) = flood.read(&mut buf) {
                if n == 0 {
                    break;
                }
                echoed.fetch_add(n as u64, Ordering::Relaxed);
            }
        })
    };
    assert!(wait_until(Duration::from_secs(10), || {
        echoed.load(Ordering::Relaxed) > 1 << 20
    }));
    // Round trips for as long as the flood lasts (bounded).
    let mut chatty = connect(&server);
    let (mut worst, mut trips) = (Duration::ZERO, 0);
    while !reader.is_finished() && trips < 10_000 {
        let t = Instant::now();
        round_trip(
            &mut chatty,
            &[trips as u8; 64],
            &format!("engine {engine}: chatty"),
        );
        worst = worst.max(t.elapsed());
        trips += 1;
    }
    writer.join().unwrap();
    reader.join().unwrap();
    assert_eq!(
        echoed.load(Ordering::Relaxed),
        FLOOD,
        "engine {engine}: flood echo"
    );
    assert!(
        trips >= 3,
        "engine {engine}: only {trips} round trips during the flood"
    );
    assert!(
        worst < Duration::from_secs(1),
        "engine {engine}: a round trip took {worst:?} beside the flood"
    );
    eprintln!("engine {engine}: {trips} round trips during the flood, worst {worst:?}");
});
