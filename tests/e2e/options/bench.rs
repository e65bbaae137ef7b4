//! Rows for the load generator, `tcp-echo bench`, against a fresh echo server.

use std::net::TcpListener;
use std::time::Duration;

use super::Row;
use super::fixtures::*;
use crate::util::Server;

pub fn rows() -> Vec<Row> {
    super::rows!("tcp-echo bench":
        "--connections" => bench_connections,
        "--duration" => bench_duration,
        "--size" => bench_size,
        "--pipeline" => bench_pipeline,
        "--bulk" => bench_bulk,
        "--compare" => bench_compare,
        "--idle" => bench_idle,
        "--background" => bench_background,
        "--sweep" => bench_sweep,
        "-4" => bench_v4,
        "-6" => bench_v6,
        "--timeout" => bench_timeout,
    )
}

fn echo_server() -> Server {
    Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"])
}

/// `tcp-echo bench` against a fresh echo server: its JSON report.
fn bench(args: &[&str]) -> serde_json::Value {
    let s = echo_server();
    let out = run(&[&["--json", "tcp-echo", "bench", &s.addr][..], args].concat());
    assert!(out.status.success(), "{out:?}");
    events(&stdout(&out), "bench").remove(0)
}

fn bench_connections() {
    assert_eq!(bench(&["-c", "3", "-d", "200ms"])["connections"], 3);
}

fn bench_duration() {
    let ms = bench(&["-d", "300ms"])["duration_ms"].as_u64().unwrap();
    assert!((250..2000).contains(&ms), "{ms} ms");
}

fn bench_size() {
    assert_eq!(bench(&["--size", "100", "-d", "200ms"])["size"], 100);
}

fn bench_pipeline() {
    assert_eq!(bench(&["--pipeline", "3", "-d", "200ms"])["pipeline"], 3);
}

fn bench_bulk() {
    let r = bench(&["-c", "1", "--bulk", "64K"]);
    assert_eq!(
        (r["mode"].as_str(), r["bytes"].as_u64()),
        (Some("bulk"), Some(65536))
    );
}

fn bench_compare() {
    let out = run(&[
        "--json",
        "tcp-echo",
        "bench",
        "--compare",
        "poll",
        "-d",
        "200ms",
    ]);
    let rows = events(&stdout(&out), "bench");
    assert_eq!(rows.len(), 1, "{out:?}");
    assert_eq!(rows[0]["engine"], "poll");
}

fn bench_idle() {
    let s = echo_server();
    let out = run(&[
        "--json", "tcp-echo", "bench", &s.addr, "-c", "2", "--idle", "100ms",
    ]);
    let idle = events(&stdout(&out), "idle");
    assert_eq!(idle[0]["still_served"], 2, "{out:?}");
}

/// An echo server on `[::1]` only, and its port.
fn v6_only_server() -> (Server, String) {
    let s = Server::start(&["tcp-echo", "serve", "-l", "[::1]:0"]);
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    (s, port)
}

fn bench_v4() {
    let (_s, port) = v6_only_server();
    let out = run(&[
        "tcp-echo",
        "bench",
        &format!(":{port}"),
        "-4",
        "-d",
        "100ms",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "-4 must not reach [::1]: {out:?}"
    );
}

fn bench_v6() {
    let (_s, port) = v6_only_server();
    let out = run(&[
        "tcp-echo",
        "bench",
        &format!(":{port}"),
        "-6",
        "-d",
        "100ms",
    ]);
    assert!(out.status.success(), "{out:?}");
}

fn bench_timeout() {
    // A listener that never echoes: each idle connection's check waits -w.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let args = [
        "tcp-echo", "bench", &addr, "-c", "1", "--idle", "10ms", "-w", "200ms",
    ];
    let (out, took) = timed(|| run(&args));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        took < Duration::from_secs(3),
        "{took:?}: the 5 s default, not -w"
    );
}

/// `--compare` JSON rows with these extra arguments.
fn compare_rows(extra: &[&str]) -> Vec<serde_json::Value> {
    let args = [
        &[
            "--json",
            "tcp-echo",
            "bench",
            "--compare",
            "epoll-et",
            "-c",
            "2",
            "-d",
            "200ms",
        ][..],
        extra,
    ]
    .concat();
    let out = run(&args);
    assert!(out.status.success(), "{out:?}");
    events(&stdout(&out), "bench")
}

fn bench_background() {
    let rows = compare_rows(&["--background", "20"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["background"], 20, "{}", rows[0]);
}

fn bench_sweep() {
    let rows = compare_rows(&["--sweep", "0,10"]);
    let levels: Vec<u64> = rows
        .iter()
        .map(|r| r["background"].as_u64().unwrap())
        .collect();
    assert_eq!(levels, [0, 10]);
}
