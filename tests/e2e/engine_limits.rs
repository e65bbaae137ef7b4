//! The limits every engine enforces: `--max-connections`, `--idle-timeout`, running
//! out of file descriptors (EMFILE) without spinning, select's FD_SETSIZE, thousands of
//! concurrent connections on the poll and epoll engines, and `--engine nope`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::engines::{all_engines, echo_server, engine_test};
use crate::event_engines::{closed_by_server, connect, round_trip};
use crate::util::proc::cpu_ticks;
use crate::util::{Server, bin, require, wait_until};

engine_test!(max_connections_refuses_the_surplus, except [iterative] because "one client at a time: a second client waits in the backlog, it is never refused", |engine| {
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
    for engine in ["poll", "epoll-lt", "epoll-et", "reactor", "io-uring"] {
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
            .wait_for_line("refused, peak", Duration::from_secs(5))
            .unwrap();
        assert!(
            summary.starts_with(&format!("{N} connections (0 refused, peak {N})")),
            "engine {engine}: {summary}"
        );
    }
}

engine_test!(
    ten_thousand_idle_connections_fit_the_memory_bound,
    [poll, epoll_lt, epoll_et, reactor, io_uring],
    |engine| {
        const N: usize = 10_000;
        // What an idle connection may cost the server in user space (RSS growth per
        // connection; the kernel's socket memory is not in it).
        const BOUND: u64 = 1024;
        let (soft, _) = nettool::net::limits::nofile();
        if soft < N as u64 + 100 && nettool::net::limits::raise_nofile().soft < N as u64 + 100 {
            assert!(
                !crate::util::in_ci(),
                "RLIMIT_NOFILE too low for {N} connections"
            );
            eprintln!("skipped: needs RLIMIT_NOFILE > {N}");
            return;
        }
        // One engine at a time: the clients' descriptors come from this one process.
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let mut server = echo_server(engine, &[]);
        let mut warm = connect(&server);
        round_trip(&mut warm, b"w", engine);
        drop(warm);
        let before = crate::util::proc::rss_kib(server.pid());
        let mut clients: Vec<TcpStream> = Vec::with_capacity(N);
        // In batches, each written before any is read: the server serves a batch in a
        // few turns (poll scans every descriptor each turn).
        while clients.len() < N {
            let from = clients.len();
            clients.extend((from..N.min(from + 500)).map(|_| connect(&server)));
            for (i, c) in clients[from..].iter_mut().enumerate() {
                c.write_all(&[(from + i) as u8]).unwrap();
            }
            for (i, c) in clients[from..].iter_mut().enumerate() {
                let mut b = [0u8; 1];
                c.read_exact(&mut b)
                    .unwrap_or_else(|e| panic!("engine {engine}: connection {}: {e}", from + i));
                assert_eq!(b[0], (from + i) as u8, "engine {engine}");
            }
        }
        let grown = crate::util::proc::rss_kib(server.pid()).saturating_sub(before) * 1024;
        let per_conn = grown / N as u64;
        eprintln!(
            "engine {engine}: {grown} bytes of RSS for {N} idle connections ({per_conn} each)"
        );
        assert!(
            per_conn <= BOUND,
            "engine {engine}: {per_conn} bytes per idle connection"
        );
        // Every one is still served.
        for (i, c) in clients.iter_mut().enumerate().step_by(97) {
            round_trip(c, &[i as u8, 1], engine);
        }
        drop(clients);
        assert!(server.stop().success());
    }
);

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

engine_test!(
    out_of_descriptors_sheds_without_spinning_and_recovers,
    except [iterative, busy_poll] because "iterative holds one connection, never enough to run out of descriptors; busy-poll spins by design, the CPU bound asserted is its lesson",
    |engine| {
        if !require("prlimit") {
            return;
        }
        if engine == "fork" {
            // The fork parent closes its copy of every connection: it never runs out
            // of descriptors (its limit is processes), so there is nothing to shed.
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
