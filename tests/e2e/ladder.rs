//! The rungs of the course's engine ladder and the counters that make them visible:
//! the iterative server's backlog, busy polling's EAGAINs and CPU time, the engine
//! counters in every summary, fork's life cycle at `-v` and its zombies under
//! `--no-reap`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use crate::engines::{echo_server, engine_test, zombie_children};
use crate::util::{Server, nettool, wait_until};

fn echo_once(s: &mut TcpStream, msg: &[u8]) {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(msg).unwrap();
    let mut got = vec![0u8; msg.len()];
    s.read_exact(&mut got).unwrap();
    assert_eq!(got, msg);
}

/// The listener's Recv-Q as `nettool stat -tl` shows it: connections the kernel has
/// completed and nobody has accepted yet.
fn listener_recv_q(port: u16) -> Option<u64> {
    let out = nettool()
        .args(["--json", "stat", "-tl", "-4", "--sport", &port.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["state"] == "LISTEN")
        .and_then(|v| v["recv_q"].as_u64())
}

/// The course's single-connection server: while one client is served, a second one
/// is connected (the handshake is the kernel's) but waits in the backlog — the
/// listener's Recv-Q is 1 — and is served as soon as the first leaves.
#[test]
fn iterative_keeps_the_second_client_in_the_backlog() {
    let server = echo_server("iterative", &[]);
    let port = server.socket_addr().port();
    let mut first = TcpStream::connect(server.socket_addr()).unwrap();
    echo_once(&mut first, b"first\n");
    let mut second = TcpStream::connect(server.socket_addr()).unwrap();
    second.write_all(b"second\n").unwrap();
    assert!(
        wait_until(Duration::from_secs(5), || listener_recv_q(port) == Some(1)),
        "the second client should wait in the listen backlog (Recv-Q {:?})",
        listener_recv_q(port)
    );
    first.shutdown(Shutdown::Write).unwrap();
    assert_eq!(first.read(&mut [0u8; 1]).unwrap(), 0);
    let mut got = [0u8; 7];
    second
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    second.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"second\n");
    assert_eq!(listener_recv_q(port), Some(0));
}

/// The JSON summary of an echo server that served one connection (two echoes).
fn summary_after_one_echo(engine: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--json", "tcp-echo", "serve", "-l", "127.0.0.1:0"];
    args.extend_from_slice(&["--engine", engine]);
    args.extend_from_slice(extra);
    let mut server = Server::start(&args);
    {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        echo_once(&mut s, b"counted");
        // Idle a moment with the connection open: a loop that asks instead of
        // waiting asks the idle socket again and again (EAGAIN each time).
        std::thread::sleep(Duration::from_millis(50));
        echo_once(&mut s, b"again");
        s.shutdown(Shutdown::Write).unwrap();
        assert_eq!(s.read(&mut [0u8; 1]).unwrap(), 0);
    }
    assert!(server.stop().success());
    // Every record, the counters and fork's `fork`/`reaped` included, fits the schema.
    let records =
        crate::contract::json::schema().check_stdout("tcp-echo serve", &server.stdout_bytes());
    if engine == "fork" {
        let events: Vec<&str> = records.iter().filter_map(|v| v["event"].as_str()).collect();
        assert!(
            events.contains(&"fork") && events.contains(&"reaped"),
            "{events:?}"
        );
    }
    records
        .into_iter()
        .find(|v| v["event"] == "summary")
        .unwrap_or_else(|| panic!("engine {engine}: no summary"))
}

engine_test!(summary_shows_the_engine_counters_and_cpu_time, |engine| {
    let v = summary_after_one_echo(engine, &["-v"]);
    let c = &v["engine_counts"];
    // Two echoes and the end of stream: at least three reads, wherever they were made.
    assert!(c["reads"].as_u64().unwrap() >= 3, "engine {engine}: {v}");
    assert!(v["cpu_ms"].is_u64(), "engine {engine}: {v}");
    for key in ["events", "eagain", "rearms", "requeues"] {
        assert!(c[key].is_u64(), "engine {engine}: no {key} in {v}");
    }
    if engine == "busy-poll" {
        // No selector: it never waits, it asks — and nearly every answer is EAGAIN.
        assert_eq!(c["waits"], 0, "{v}");
        assert!(c["reads_per_wake"].is_null(), "{v}");
        assert!(c["eagain"].as_u64().unwrap() >= 1, "{v}");
    } else {
        assert!(c["waits"].as_u64().unwrap() >= 1, "engine {engine}: {v}");
        assert!(c["events"].as_u64().unwrap() >= 1, "engine {engine}: {v}");
    }
    if engine == "epoll-lt" || engine == "select" || engine == "poll" {
        // Level-triggered: one read per readiness report, never one that finds nothing.
        assert_eq!(c["eagain"], 0, "engine {engine}: {v}");
    }
});

/// The human summary: a second line with the counters, named for the engine.
#[test]
fn the_human_summary_names_the_engine_counters() {
    let mut server = echo_server("epoll-et", &[]);
    {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        echo_once(&mut s, b"x");
    }
    assert!(server.stop().success());
    let line = server
        .wait_for_line("engine epoll-et: ", Duration::from_secs(5))
        .expect("a counters line");
    assert!(
        line.contains(" wait") && line.contains(" EAGAIN, ") && line.contains("EPOLL_CTL_MOD"),
        "{line}"
    );
    let summary = server
        .wait_for_line("refused, peak", Duration::from_secs(5))
        .expect("a summary line");
    assert!(summary.contains(", cpu "), "no CPU time in {summary}");
}

/// fork's life cycle at `-v`, and `--no-reap`: the finished child stays a zombie
/// (`Z` in /proc, `<defunct>` in ps) until the server exits and reaps it.
#[test]
fn fork_logs_its_children_and_no_reap_leaves_a_zombie() {
    let mut server = echo_server("fork", &["--no-reap", "-v"]);
    let pid = server.pid();
    {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        echo_once(&mut s, b"zombie?");
    }
    let forked = server
        .wait_for_line(" serves connection 1", Duration::from_secs(5))
        .expect("a `child PID serves connection 1` line");
    let child: i32 = forked
        .strip_prefix("child ")
        .and_then(|r| r.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{forked}"));
    assert!(
        wait_until(Duration::from_secs(10), || zombie_children(pid)
            == vec![child]),
        "child {child} should stay a zombie, zombies: {:?}",
        zombie_children(pid)
    );
    // The connection itself is over and counted.
    assert!(
        server
            .wait_for_line("connection 1 from", Duration::from_secs(5))
            .is_some()
    );
    assert!(server.stop().success());
    let reaped = format!("reaped {child} (exit 0)");
    assert!(
        server
            .wait_for_line(&reaped, Duration::from_secs(5))
            .is_some(),
        "no {reaped:?} line in {:?}",
        server.stderr_lines()
    );
}

#[test]
fn fork_reaps_at_once_without_no_reap() {
    let server = echo_server("fork", &["-v"]);
    {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        echo_once(&mut s, b"reap me");
    }
    let line = server
        .wait_for_line("reaped ", Duration::from_secs(10))
        .expect("a reaped line while the server runs");
    assert!(line.ends_with("(exit 0)"), "{line}");
    assert!(zombie_children(server.pid()).is_empty());
}

#[test]
fn no_reap_needs_the_fork_engine() {
    let out = nettool()
        .args(["tcp-echo", "serve", "-l", "127.0.0.1:0", "--no-reap"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("nettool: --no-reap leaves the fork engine's children as zombies")
            && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn engine_help_says_what_each_engine_is() {
    let out = nettool()
        .args(["tcp-echo", "serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for (name, about) in [
        ("iterative", "one client at a time"),
        ("busy-poll", "burns a core"),
        ("epoll-et", "drained to EAGAIN"),
    ] {
        assert!(
            help.lines()
                .any(|l| l.trim_start().starts_with(&format!("- {name}:")) && l.contains(about)),
            "--help has no line for {name}: {help}"
        );
    }
}
