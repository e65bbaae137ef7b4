//! The echo server under load and abuse, on every engine (`engine_test!`): many
//! concurrent clients with byte-exact comparison, a client that never reads, a flood
//! beside a chatty client, resets mid-stream, shutdown with live connections. The
//! limits live in `engine_limits.rs`.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::engines::{echo_server, engine_test};
use crate::util::{Server, random_bytes, wait_until};

/// One echo round trip of `msg`; panics naming `what` on failure.
pub fn round_trip(s: &mut TcpStream, msg: &[u8], what: &str) {
    s.write_all(msg)
        .unwrap_or_else(|e| panic!("{what}: write: {e}"));
    let mut got = vec![0u8; msg.len()];
    s.read_exact(&mut got)
        .unwrap_or_else(|e| panic!("{what}: read: {e}"));
    assert_eq!(got, msg, "{what}: echo differs");
}

pub fn connect(server: &Server) -> TcpStream {
    let s = TcpStream::connect(server.socket_addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Whether the server closed (or reset) this connection instead of echoing.
pub fn closed_by_server(s: &mut TcpStream) -> bool {
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

engine_test!(a_client_that_never_reads_does_not_block_others, except [iterative] because "one client at a time: the test holds a connection open while it needs another served", |engine| {
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

engine_test!(reset_mid_stream_harms_nobody, except [iterative] because "one client at a time: the test holds a connection open while it needs another served", |engine| {
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

engine_test!(a_flooding_client_does_not_starve_a_chatty_one, except [iterative] because "one client at a time: the flooding client holds the server while the chatty one waits", |engine| {
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
        worst < Duration::from_secs(2),
        "engine {engine}: a round trip took {worst:?} beside the flood"
    );
    eprintln!("engine {engine}: {trips} round trips during the flood, worst {worst:?}");
});

engine_test!(
    sigint_and_sigterm_close_live_connections_and_summarise,
    except [iterative] because "one client at a time: the test holds a connection open while it needs another served",
    |engine| {
        use nix::sys::signal::Signal;
        for sig in [Signal::SIGINT, Signal::SIGTERM] {
            let mut server = echo_server(engine, &[]);
            let mut live: Vec<TcpStream> = (0..3).map(|_| connect(&server)).collect();
            for c in live.iter_mut() {
                round_trip(c, b"live", engine);
            }
            let status = server.stop_with(sig);
            assert!(status.success(), "engine {engine}, {sig}: {status:?}");
            for c in live.iter_mut() {
                assert!(
                    closed_by_server(c),
                    "engine {engine}, {sig}: connection left open"
                );
            }
            let summary = server
                .wait_for_line("refused, peak", Duration::from_secs(5))
                .unwrap_or_else(|| panic!("engine {engine}, {sig}: no summary"));
            assert!(
                summary.starts_with("3 connections (0 refused, peak 3), 12 bytes in, 12 bytes out"),
                "engine {engine}, {sig}: {summary}"
            );
        }
    }
);
