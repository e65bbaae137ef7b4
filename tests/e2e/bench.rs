//! `tcp-echo bench`: the load generator measured against known servers — nettool's own
//! echo server, and an in-test echo server that corrupts one byte per connection to
//! prove corruption is detected — plus `--compare`, `--idle` and argument checks.

use std::io::{Read, Write};
use std::net::TcpListener;

use serde_json::Value;

use crate::engines::echo_server;
use crate::util::nettool;

/// Run `nettool ARGS…` to completion; (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = nettool().args(args).output().expect("run nettool");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

/// An echo server that flips the bits of byte 100 of every connection's stream.
fn corrupting_echo_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { break };
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let mut offset = 0usize;
                loop {
                    let n = match conn.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    if (offset..offset + n).contains(&100) {
                        buf[100 - offset] ^= 0xff;
                    }
                    offset += n;
                    if conn.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn echo_bench_against_the_thread_server_reports_consistent_figures() {
    let server = echo_server("thread", &[]);
    let (code, stdout, stderr) = run(&[
        "--json",
        "tcp-echo",
        "bench",
        &server.host_port(),
        "-c",
        "4",
        "-d",
        "1s",
        "--pipeline",
        "2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows = json_lines(&stdout);
    assert_eq!(rows.len(), 1, "{stdout}");
    let r = &rows[0];
    for key in [
        "event",
        "target",
        "mode",
        "connections",
        "size",
        "pipeline",
        "duration_ms",
        "round_trips",
        "rt_per_sec",
        "bytes",
        "mb_per_sec",
        "latency_us",
        "errors",
    ] {
        assert!(r.get(key).is_some(), "missing {key} in {r}");
    }
    assert_eq!(r["event"], "bench");
    assert_eq!(r["mode"], "echo");
    assert_eq!(r["errors"], 0);
    let rt = r["round_trips"].as_u64().unwrap();
    let bytes = r["bytes"].as_u64().unwrap();
    assert!(rt > 100, "only {rt} round trips in 1 s");
    // Every completed round trip is 64 verified bytes; at most the in-flight messages
    // (4 connections × 2) can be partly received on top.
    assert!(
        bytes >= rt * 64 && bytes < (rt + 8) * 64,
        "{bytes} bytes for {rt} rt"
    );
    let lat = &r["latency_us"];
    let (p50, p99, max) = (
        lat["p50"].as_f64().unwrap(),
        lat["p99"].as_f64().unwrap(),
        lat["max"].as_f64().unwrap(),
    );
    assert!(0.0 < p50 && p50 <= p99 && p99 <= max, "{lat}");
    let secs = r["duration_ms"].as_f64().unwrap() / 1000.0;
    let rate = r["rt_per_sec"].as_f64().unwrap();
    assert!((rate - rt as f64 / secs).abs() / rate < 0.05, "{r}");
}

#[test]
fn bulk_bench_verifies_every_byte() {
    let server = echo_server("thread", &[]);
    let (code, stdout, stderr) = run(&[
        "tcp-echo",
        "bench",
        &server.host_port(),
        "-c",
        "16",
        "--bulk",
        "2M",
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let r = &json_lines(&stdout)[0];
    assert_eq!(r["mode"], "bulk");
    assert_eq!(r["bytes"], 16 * 2 * 1024 * 1024);
    assert_eq!(r["errors"], 0);
    assert!(r["latency_us"].is_null());
}

#[test]
fn corrupted_echo_is_detected_and_fails_the_run() {
    let addr = corrupting_echo_server();
    let (code, stdout, stderr) = run(&["tcp-echo", "bench", &addr, "-c", "2", "-d", "1s"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("errors       2 (connect 0, corrupted echo 2"),
        "{stdout}"
    );
    assert!(stderr.contains("nettool: bench: 2 errors"), "{stderr}");
    let (code, stdout, _) = run(&[
        "--json", "tcp-echo", "bench", &addr, "-c", "3", "--bulk", "64K",
    ]);
    assert_eq!(code, 1);
    let r = &json_lines(&stdout)[0];
    assert_eq!(r["error_kinds"]["mismatch"], 3, "{r}");
}

/// socat reading every byte and answering none (`-u`: one direction only), on a port
/// it picks; its `listening on` log line says which.
struct Swallower(std::process::Child, String);

impl Swallower {
    fn start() -> Swallower {
        use std::io::BufRead;
        let mut child = std::process::Command::new("socat")
            .args([
                "-d",
                "-d",
                "-u",
                "TCP-LISTEN:0,bind=127.0.0.1,fork",
                "OPEN:/dev/null",
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("socat");
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| l.split("listening on AF=2 ").nth(1).map(str::to_string))
            .expect("socat's listening line");
        std::thread::spawn(move || lines.for_each(drop));
        Swallower(child, addr)
    }
}

impl Drop for Swallower {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A server that takes every message and answers none: each message without its echo
/// is an error, and the run fails.
#[test]
fn a_server_that_never_answers_fails_the_run() {
    if !crate::util::require("socat") {
        return;
    }
    let sink = Swallower::start();
    let (code, stdout, stderr) = run(&[
        "tcp-echo",
        "bench",
        &sink.1,
        "-c",
        "3",
        "--pipeline",
        "2",
        "-d",
        "300ms",
        "-w",
        "500ms",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("round trips  0 (0/s)"), "{stdout}");
    assert!(stdout.contains("errors       6 ("), "{stdout}");
    assert!(stdout.contains("unanswered 6)"), "{stdout}");
    assert!(
        stderr.contains(&format!("nettool: bench: 6 errors against {}", sink.1))
            && stderr.contains("unanswered 6)"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&[
        "--json", "tcp-echo", "bench", &sink.1, "-c", "1", "-d", "200ms", "-w", "300ms",
    ]);
    assert_eq!(code, 1);
    let v = &json_lines(&stdout)[0];
    assert_eq!(
        (&v["errors"], &v["error_kinds"]["unanswered"]),
        (&1.into(), &1.into()),
        "{v}"
    );
}

#[test]
fn compare_measures_each_engine_on_its_own_server() {
    let (code, stdout, stderr) = run(&[
        "tcp-echo",
        "bench",
        "--compare",
        "fork,busy-poll",
        "-c",
        "4",
        "-d",
        "500ms",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("engine")
            && lines[0].contains("rt/s")
            && lines[0].contains("server µs/rt")
            && lines[0].contains("p99")
    );
    for (line, engine) in lines[1..].iter().zip(["fork", "busy-poll"]) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!((cols[0], cols[1]), (engine, "0"), "{line}");
        assert!(cols[2].parse::<f64>().unwrap() > 0.0, "{line}");
        // The server's CPU per round trip was measured.
        assert!(cols[3].parse::<f64>().unwrap() > 0.0, "{line}");
        assert_eq!(cols.last(), Some(&"0"), "{line}");
    }
    let (code, stdout, stderr) = run(&[
        "--json",
        "tcp-echo",
        "bench",
        "--compare",
        "thread,fork",
        "-c",
        "2",
        "-d",
        "300ms",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows = json_lines(&stdout);
    let engines: Vec<&str> = rows.iter().map(|r| r["engine"].as_str().unwrap()).collect();
    assert_eq!(engines, ["thread", "fork"]);
    assert!(rows.iter().all(|r| r["round_trips"].as_u64().unwrap() > 0));
    assert!(
        rows.iter().all(|r| r["server_cpu_ms"].is_number()),
        "{stdout}"
    );
}

#[test]
fn background_connections_show_select_refusing_and_poll_paying() {
    nettool::net::limits::raise_nofile();
    let (code, stdout, stderr) = run(&[
        "--json",
        "tcp-echo",
        "bench",
        "--compare",
        "select,poll,io-uring",
        "--sweep",
        "0,1100",
        "-c",
        "4",
        "-d",
        "300ms",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let rows = json_lines(&stdout);
    let keys: Vec<(String, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["engine"].as_str().unwrap().to_string(),
                r["background"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, u64)> = ["select", "poll", "io-uring"]
        .iter()
        .flat_map(|e| [(e.to_string(), 0), (e.to_string(), 1100)])
        .collect();
    assert_eq!(keys, want);
    // select past FD_SETSIZE: one row saying so, not a storm of refused connections.
    let skipped = rows[1]["skipped"].as_str().unwrap();
    assert!(skipped.contains("FD_SETSIZE (1024)"), "{skipped}");
    for r in [&rows[0], &rows[2], &rows[3], &rows[4], &rows[5]] {
        assert_eq!(r["errors"], 0, "{r}");
        assert!(r["server_us_per_rt"].as_f64().unwrap() > 0.0, "{r}");
    }
}

#[test]
fn idle_mode_holds_connections_and_checks_them() {
    let server = echo_server("thread", &[]);
    let (code, stdout, stderr) = run(&[
        "tcp-echo",
        "bench",
        &server.host_port(),
        "-c",
        "200",
        "--idle",
        "200ms",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("holding 200 connections"), "{stderr}");
    assert!(
        stdout.contains(
            "200 of 200 connections opened and echoed (from 1 source address); 200 still echoed"
        ),
        "{stdout}"
    );
}

#[test]
fn idle_mode_says_which_limit_stops_it() {
    if !crate::util::require("prlimit") {
        return;
    }
    let server = echo_server("epoll-et", &[]);
    let out = std::process::Command::new("prlimit")
        .args(["--nofile=100:100", "--"])
        .arg(crate::util::bin())
        .args([
            "tcp-echo",
            "bench",
            &server.host_port(),
            "-c",
            "200",
            "--idle",
            "1s",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if crate::util::has_capability(24) {
        // CAP_SYS_RESOURCE: the hard limit itself rises (to fs.nr_open), all 200 fit.
        assert_eq!(out.status.code(), Some(0), "{err}");
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("200 connections need 232 descriptors, but RLIMIT_NOFILE is 100 (stopped by the hard limit")
            && err.contains("at most 68 fit"),
        "{err}"
    );
}

#[test]
fn bad_arguments_exit_2_with_one_clear_line() {
    for (args, needle) in [
        (vec!["-c", "0", "127.0.0.1:9"], "--connections"),
        (vec!["--size", "0", "127.0.0.1:9"], "at least 1 byte"),
        (vec!["--bulk", "3X", "127.0.0.1:9"], "unknown size unit"),
        (vec!["--pipeline", "0", "127.0.0.1:9"], "--pipeline"),
        (
            vec!["-d", "0", "127.0.0.1:9"],
            "--duration must be more than 0",
        ),
        (
            vec!["--compare", "fork,nope"],
            "valid engines: iterative, fork",
        ),
        (
            vec!["--background", "10", "127.0.0.1:9"],
            "cannot be used with",
        ),
        (
            vec!["--sweep", "0,10", "127.0.0.1:9"],
            "cannot be used with",
        ),
        (vec!["--compare", "--sweep", "0,x"], "not a count"),
        (vec![], "ADDR"),
    ] {
        let mut full = vec!["tcp-echo", "bench"];
        full.extend(args.iter());
        let (code, _, stderr) = run(&full);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    // Nothing listening: a runtime failure, exit 1.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, _, stderr) = run(&[
        "tcp-echo",
        "bench",
        &format!("127.0.0.1:{port}"),
        "-c",
        "1",
        "-d",
        "1",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("could not open any connection"), "{stderr}");
}
