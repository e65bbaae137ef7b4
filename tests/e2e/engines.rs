//! The echo server on every engine: one test body, run once per engine by
//! `engine_test!`, so a new engine joins the whole suite by being listed in
//! `EngineKind::ALL`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use crate::util::{Server, random_bytes};

/// Every engine name, read from the binary's own `--engine` list so the suite follows it.
pub fn all_engines() -> Vec<String> {
    nettool::engine::EngineKind::names()
        .into_iter()
        .map(String::from)
        .collect()
}

/// Start `tcp-echo serve` on a free loopback port with `engine` and extra args.
pub fn echo_server(engine: &str, extra: &[&str]) -> Server {
    let mut args = vec!["tcp-echo", "serve", "-l", "127.0.0.1:0", "--engine", engine];
    args.extend_from_slice(extra);
    Server::start(&args)
}

/// Every engine as a test-function name (`-` becomes `_`), handed to the macro
/// `$cb` after its own arguments: the one list the per-engine tests expand.
/// `every_engine_has_a_test` keeps it equal to `EngineKind::ALL`, so a new engine
/// cannot be left out of the suite.
macro_rules! with_engine_list {
    ($($cb:ident)::+!($($pre:tt)*)) => {
        $($cb)::+! { $($pre)*; iterative, fork, thread, busy_poll, select, poll, epoll_lt, epoll_et, reactor, io_uring }
    };
}
pub(crate) use with_engine_list;

/// `#[test] fn <engine>() { body("<engine>") }` for each engine named.
macro_rules! engine_fns {
    ($body:ident; $($e:ident),+ $(,)?) => {
        $(
            #[test]
            fn $e() {
                $body(&stringify!($e).replace('_', "-"));
            }
        )+
    };
}
pub(crate) use engine_fns;

/// One `#[test]` per engine for one test body: `engine_test!(name, |engine| { … })`
/// becomes a module `name` with the functions `name::fork`, `name::thread`, …, so a
/// failure names its engine and one engine runs alone
/// (`cargo test --test e2e name::epoll_et`). `return` ends that engine's test early
/// (an engine the test does not apply to). `engine_test!(name, [poll, reactor],
/// |engine| …)` runs on the engines listed only. `engine_test!(name, except
/// [iterative] because "why", |engine| …)` runs on every engine but those, and each
/// left out still gets its test, which says why it does not apply — so an engine
/// added later is in by default, and a reader sees the reason beside the test.
macro_rules! engine_test {
    ($name:ident, |$engine:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn body($engine: &str) $body
            $crate::engines::with_engine_list!(crate::engines::engine_fns!(body));
        }
    };
    ($name:ident, except [$($x:ident),+ $(,)?] because $why:literal, |$engine:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn body($engine: &str) {
                if [$(stringify!($x).replace('_', "-")),+].iter().any(|x| x == $engine) {
                    eprintln!("--engine {}: not applicable: {}", $engine, $why);
                    return;
                }
                $body
            }
            $crate::engines::with_engine_list!(crate::engines::engine_fns!(body));
        }
    };
    ($name:ident, [$($e:ident),+ $(,)?], |$engine:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn body($engine: &str) $body
            $crate::engines::engine_fns!(body; $($e),+);
        }
    };
}
pub(crate) use engine_test;

macro_rules! engine_names {
    (; $($e:ident),+) => {
        [$(stringify!($e)),+]
    };
}

#[test]
fn every_engine_has_a_test() {
    let listed: Vec<String> = with_engine_list!(engine_names!())
        .iter()
        .map(|e| e.replace('_', "-"))
        .collect();
    assert_eq!(
        listed,
        all_engines(),
        "update with_engine_list! in tests/e2e/engines.rs"
    );
}

engine_test!(echoes_a_line, |engine| {
    let server = echo_server(engine, &[]);
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    s.write_all(b"hello engine\n").unwrap();
    let mut got = [0u8; 13];
    s.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"hello engine\n", "engine {engine}");
});

engine_test!(echoes_after_half_close_then_closes, |engine| {
    let server = echo_server(engine, &[]);
    let data = random_bytes(256 * 1024, 11);
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let writer = {
        let mut w = s.try_clone().unwrap();
        let data = data.clone();
        std::thread::spawn(move || {
            w.write_all(&data).unwrap();
            w.shutdown(Shutdown::Write).unwrap();
        })
    };
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    writer.join().unwrap();
    assert!(
        got == data,
        "engine {engine}: echo differs after half-close"
    );
});

engine_test!(sigterm_prints_a_summary_and_exits_0, |engine| {
    let mut server = echo_server(engine, &[]);
    {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        s.write_all(b"abc").unwrap();
        let mut got = [0u8; 3];
        s.read_exact(&mut got).unwrap();
    }
    let status = server.stop();
    assert!(status.success(), "engine {engine}: {status:?}");
    let summary = server.wait_for_line("refused, peak", Duration::from_secs(5));
    let summary = summary.unwrap_or_else(|| panic!("engine {engine}: no summary line"));
    assert!(
        summary.starts_with("1 connection (0 refused, peak 1), 3 bytes in, 3 bytes out"),
        "{summary}"
    );
});

engine_test!(sigusr1_reports_live_statistics, |engine| {
    if engine == "fork" {
        // A child's byte counts reach the parent when the child exits (its report
        // travels through a pipe): live counts of open connections are not there.
        return;
    }
    let mut server = Server::start(&[
        "--json",
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--engine",
        engine,
    ]);
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    s.write_all(&[9u8; 5000]).unwrap();
    let mut got = vec![0u8; 5000];
    s.read_exact(&mut got).unwrap();
    let mut stdout = std::io::BufReader::new(server.child.stdout.take().expect("server stdout"));
    // The connection is still open: the report must already count its bytes. A thread
    // may count its last write a moment after the peer read it, so ask again until the
    // count settles (bounded).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let stats = loop {
        server.signal(nix::sys::signal::Signal::SIGUSR1);
        let v = loop {
            let mut line = String::new();
            assert!(
                std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0,
                "engine {engine}: no stats event"
            );
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            if v["event"] == "stats" {
                break v;
            }
        };
        if v["bytes_out"] == 5000 || std::time::Instant::now() > deadline {
            break v;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(stats["bytes_in"], 5000, "engine {engine}: {stats}");
    assert_eq!(stats["bytes_out"], 5000, "engine {engine}: {stats}");
    assert_eq!(stats["open"], 1, "engine {engine}: {stats}");
    // And the server keeps serving.
    s.write_all(b"again").unwrap();
    let mut b = [0u8; 5];
    s.read_exact(&mut b).unwrap();
    assert_eq!(&b, b"again");
});

engine_test!(hexdump_records_every_connection_byte, |engine| {
    let dump = tempfile::NamedTempFile::new().unwrap();
    let dump_path = dump.path().to_str().unwrap().to_string();
    let mut server = echo_server(engine, &["-x", &dump_path]);
    let data = random_bytes(100_000, 21);
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    s.write_all(&data).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    assert!(got == data);
    assert!(server.stop().success());
    let chunks =
        nettool::net::hexdump::parse(&std::fs::read_to_string(dump.path()).unwrap()).unwrap();
    use nettool::net::hexdump::Direction;
    let joined = |dir| -> Vec<u8> {
        chunks
            .iter()
            .filter(|(d, _)| *d == dir)
            .flat_map(|(_, b)| b.clone())
            .collect()
    };
    assert!(
        joined(Direction::Received) == data,
        "engine {engine}: received bytes in the dump differ"
    );
    assert!(
        joined(Direction::Sent) == data,
        "engine {engine}: sent bytes in the dump differ"
    );
});

/// Children of `parent` that are zombies (state `Z` in /proc/PID/stat).
pub fn zombie_children(parent: i32) -> Vec<i32> {
    let mut found = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces, so split after the last ')'.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let ppid = fields.next().and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(parent) && state == Some("Z") {
            found.push(pid);
        }
    }
    found
}

/// Children of `parent`, any state.
fn children(parent: i32) -> usize {
    std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
        .map(|s| s.split_whitespace().count())
        .unwrap_or(0)
}

#[test]
fn fork_leaves_no_zombie_after_100_connections() {
    let mut server = echo_server("fork", &[]);
    let pid = server.pid();
    // 100 connections, 20 at a time, each echoing a little and closing.
    let mut total = 0;
    for round in 0..5 {
        let mut conns: Vec<TcpStream> = (0..20)
            .map(|_| TcpStream::connect(server.socket_addr()).unwrap())
            .collect();
        for (i, s) in conns.iter_mut().enumerate() {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let msg = format!("round {round} conn {i}\n");
            total += msg.len();
            s.write_all(msg.as_bytes()).unwrap();
            let mut got = vec![0u8; msg.len()];
            s.read_exact(&mut got).unwrap();
            assert_eq!(got, msg.as_bytes());
        }
        // While they are open, each has its own process.
        assert!(children(pid) >= 20, "expected a process per connection");
    }
    // All closed now: every child must exit and be reaped, none left as a zombie.
    let clean = crate::util::wait_until(Duration::from_secs(10), || {
        children(pid) == 0 && zombie_children(pid).is_empty()
    });
    assert!(
        clean,
        "fork server {pid} still has children {} (zombies: {:?})",
        children(pid),
        zombie_children(pid)
    );
    assert!(server.alive());
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    let summary = server
        .wait_for_line("refused, peak", Duration::from_secs(5))
        .expect("summary line");
    // Each child reported its byte counts to the parent before exiting.
    let bytes = format!("{total} bytes in, {total} bytes out");
    assert!(
        summary.starts_with("100 connections (0 refused") && summary.contains(&bytes),
        "{summary}"
    );
}

#[test]
fn fork_shutdown_ends_live_children_and_reaps_them() {
    let mut server = echo_server("fork", &[]);
    let pid = server.pid();
    let mut s = TcpStream::connect(server.socket_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"ping").unwrap();
    let mut got = [0u8; 4];
    s.read_exact(&mut got).unwrap();
    assert_eq!(children(pid), 1);
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    // The child shut its read side, sent what was queued and closed: we read EOF.
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    let summary = server
        .wait_for_line("refused, peak", Duration::from_secs(5))
        .expect("summary line");
    assert!(
        summary.starts_with("1 connection (0 refused, peak 1), 4 bytes in, 4 bytes out"),
        "{summary}"
    );
}

/// The thread engine shares each connection's socket with its thread instead of
/// holding a `dup(2)` of it: 50 open connections cost it 50 descriptors, not 100.
#[test]
fn thread_engine_holds_one_descriptor_per_connection() {
    use crate::util::proc::socket_count;
    let server = echo_server("thread", &[]);
    let echo = |s: &mut TcpStream| {
        s.write_all(b"x").unwrap();
        s.read_exact(&mut [0u8; 1]).unwrap();
    };
    // One round trip on a first connection: the engine is up and serving.
    let mut first = TcpStream::connect(server.socket_addr()).unwrap();
    echo(&mut first);
    let before = socket_count(server.pid());
    let mut conns: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(server.socket_addr()).unwrap())
        .collect();
    // Each echoed once: every one is accepted and has its thread.
    conns.iter_mut().for_each(echo);
    let during = socket_count(server.pid());
    assert_eq!(during - before, 50, "sockets held for 50 connections");
}

/// `--workers`: the summary's peak is the most connections open at once in the whole
/// server — sequential connections, spread over both workers, peak at 1 (adding the
/// workers' own peaks would say 2).
#[test]
fn workers_report_the_true_peak() {
    let mut server = echo_server("epoll-et", &["--workers", "2"]);
    for i in 0..20u8 {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        s.write_all(&[i]).unwrap();
        s.read_exact(&mut [0u8; 1]).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        // The server closes after our FIN: the connection is over before the next.
        assert_eq!(s.read(&mut [0u8; 1]).unwrap(), 0);
    }
    assert!(server.stop().success());
    let summary = server
        .wait_for_line("(0 refused", Duration::from_secs(5))
        .expect("summary line");
    assert!(
        summary.starts_with("20 connections (0 refused, peak 1)"),
        "{summary}"
    );
}

/// `--workers` with `--max-connections 1`: the limit is the server's, not each
/// worker's — a second connection is refused whichever worker it lands on.
#[test]
fn workers_share_one_connection_limit() {
    let mut server = echo_server("epoll-et", &["--workers", "2", "--max-connections", "1"]);
    let mut held = TcpStream::connect(server.socket_addr()).unwrap();
    held.write_all(b"a").unwrap();
    held.read_exact(&mut [0u8; 1]).unwrap();
    for _ in 0..10 {
        let mut s = TcpStream::connect(server.socket_addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.write_all(b"b");
        let refused = matches!(s.read(&mut [0u8; 1]), Ok(0) | Err(_));
        assert!(
            refused,
            "a second connection was served past --max-connections 1"
        );
    }
    assert!(server.stop().success());
    let summary = server
        .wait_for_line("(10 refused", Duration::from_secs(5))
        .expect("summary line");
    assert!(
        summary.starts_with("1 connection (10 refused, peak 1)"),
        "{summary}"
    );
}
