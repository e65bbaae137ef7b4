//! The TCP lessons: kernel buffers, byte order, the handshake, TIME-WAIT, the zero
//! window, CLOSE-WAIT, half-close and restarting over TIME-WAIT.

use std::time::Duration;

use super::free_port;
use super::page::Lesson;
use crate::util::{require_root, wait_until};

/// Rows of a `stat` table whose text holds `needle`.
fn rows<'a>(table: &'a str, needle: &str) -> Vec<&'a str> {
    table.lines().filter(|l| l.contains(needle)).collect()
}

/// A column of a `stat` row (0 = State).
fn column(row: &str, i: usize) -> &str {
    row.split_whitespace().nth(i).unwrap_or_default()
}

#[test]
fn kernel_buffers() {
    let l = Lesson::open("kernel-buffers");
    l.set("7007", &free_port());
    let out = l.run("nettool --explain --dry-run tcp-echo serve -l 127.0.0.1:7007 --rcvbuf 4k");
    assert!(out.status.success(), "{}", out.all());
    l.shows(
        &out.stderr,
        "setsockopt(8, SOL_SOCKET, SO_RCVBUF, 4096) = 0",
    );
    l.shows(&out.stderr, "asked 4096, granted 8192");
}

#[test]
fn byte_order() {
    let l = Lesson::open("byte-order");
    // The page's arithmetic: 7007 is 0x1b5f, sent most significant byte first.
    assert_eq!(7007u16.to_be_bytes(), [0x1b, 0x5f]);
    l.says("02 00 1b 5f 7f 00 00 01");
    let port = free_port();
    l.set("7007", &port);
    let out = l.run("nettool --explain -v --dry-run tcp-echo serve -l 127.0.0.1:7007");
    assert!(out.status.success(), "{}", out.all());
    let [hi, lo] = port.parse::<u16>().unwrap().to_be_bytes();
    l.says("sin_port=htons(7007)");
    assert!(
        out.stderr.contains(&format!("sin_port=htons({port})")),
        "{}",
        out.stderr
    );
    l.shows(&out.stderr, "sin_addr=inet_addr(\"127.0.0.1\")");
    assert!(
        out.stderr
            .contains(&format!("/* bytes: 02 00 {hi:02x} {lo:02x} 7f 00 00 01 */")),
        "{}",
        out.stderr
    );
}

#[test]
fn handshake() {
    if !require_root() {
        return;
    }
    let l = Lesson::open("handshake");
    let _server = l.serve("nettool tcp-echo serve -l 127.0.0.1:7007 &", "7007");
    let mut capture =
        l.start("sudo nettool stat --packets -t --iface lo -c 3 -w 10 --dport 7007 &");
    assert!(
        capture
            .wait_for("capturing on", Duration::from_secs(10))
            .is_some()
    );
    let client = l.start("nettool tcp-echo connect -d 127.0.0.1:7007 &");
    let seen = capture.finish(Duration::from_secs(20));
    assert!(seen.status.success(), "{}", seen.all());
    let packets = seen.all();
    for flags in [
        "  SYN  ",
        "  SYN-ACK  seq 0  ack 1  ",
        "  ACK  seq 1  ack 1  ",
    ] {
        l.says(flags.trim().split("  ").next().unwrap());
        assert!(packets.contains(flags), "no {flags:?} in\n{packets}");
    }
    l.shows(&packets, "ack 1");
    l.shows(&packets, "SYN-SENT → ESTABLISHED");
    l.shows(&packets, "3 packets shown");
    // The client is established one segment (the SYN-ACK) before the server.
    let client_up = packets.find("SYN-SENT → ESTABLISHED").unwrap();
    let server_up = packets.find("SYN-RECV → ESTABLISHED").expect(&packets);
    assert!(client_up < server_up, "{packets}");
    let port = l.here("7007");
    let table = l.run("nettool stat -tanp | grep 7007").stdout;
    l.shows(&table, "LISTEN");
    l.shows(&table, "0.0.0.0:*");
    let established = rows(&table, "ESTABLISHED");
    let (server_side, client_side) = established
        .iter()
        .partition::<Vec<&str>, _>(|r| column(r, 3).ends_with(&format!(":{port}")));
    assert!(
        server_side.len() == 1 && client_side.len() == 1,
        "one ESTABLISHED row per end:\n{table}"
    );
    l.says("ESTABLISHED");
    l.shows(&table, "users:((\"nettool\",pid=");
    drop(client);
}

#[test]
fn time_wait() {
    let l = Lesson::open("time-wait");
    let _server = l.serve("nettool tcp-echo serve -l 127.0.0.1:7007 &", "7007");
    let out = l.run("echo hi | nettool tcp-echo connect 127.0.0.1:7007");
    assert!(out.status.success(), "{}", out.all());
    assert_eq!(out.stdout, "hi\n");
    let port = l.here("7007");
    let client = l
        .run("nettool stat -to --state time-wait --dport 7007")
        .stdout;
    // Another test's server may have had this ephemeral port number within the last
    // minute and left TIME-WAITs towards it: ours is the one with the most time left.
    let mut tw = rows(&client, "TIME-WAIT");
    assert!(!tw.is_empty(), "{client}");
    assert!(
        tw.iter()
            .all(|r| column(r, 4).ends_with(&format!(":{port}"))),
        "{client}"
    );
    let left = |r: &&str| -> f64 {
        r.split("timer:(timewait,")
            .nth(1)
            .and_then(|t| t.split("sec").next())
            .and_then(|t| t.parse().ok())
            .unwrap_or(0.0)
    };
    tw.sort_by(|a, b| left(b).total_cmp(&left(a)));
    assert!(left(&tw[0]) > 50.0, "ours just began its 60 s: {client}");
    l.shows(tw[0], "TIME-WAIT");
    l.shows(tw[0], "timer:(timewait,");
    let server = l
        .run("nettool stat -to --state time-wait --sport 7007")
        .stdout;
    assert!(rows(&server, "TIME-WAIT").is_empty(), "{server}");
    l.says("the server's side (local port 7007) has none");
}

#[test]
fn zero_window() {
    let l = Lesson::open("zero-window");
    let _server = l.serve(
        "nettool tcp-echo serve --engine thread --rcvbuf 4k -l 127.0.0.1:7007 &",
        "7007",
    );
    let _client = l.start("nettool tcp-echo connect --send-only 127.0.0.1:7007 < /dev/zero &");
    // The windows close within moments; ask until the probe timers show.
    let (mut server, mut client) = (String::new(), String::new());
    let probing = wait_until(Duration::from_secs(20), || {
        server = l.run("nettool stat -tno --sport 7007").stdout;
        client = l.run("nettool stat -tno --dport 7007").stdout;
        server.contains("timer:(persist,") && client.contains("timer:(persist,")
    });
    assert!(
        probing,
        "no zero-window probes on both sides:\n{server}{client}"
    );
    let server = rows(&server, "ESTABLISHED")[0];
    let client = rows(&client, "ESTABLISHED")[0];
    l.shows(server, "timer:(persist,");
    l.shows(client, "timer:(persist,");
    for row in [server, client] {
        let recv_q: u64 = column(row, 1).parse().unwrap();
        let send_q: u64 = column(row, 2).parse().unwrap();
        assert!(recv_q > 0 && send_q > 65536, "full queues both ways: {row}");
    }
    l.says("a full Recv-Q and a large Send-Q");
    // The same in the kernel's numbers: both windows shut, the 4k buffer doubled.
    let numbers = l.run_until(
        "nettool stat -tmi --sport 7007",
        Duration::from_secs(10),
        |n| n.contains(" snd_wnd:0") && n.contains(" rcv_wnd:0"),
    );
    l.shows(&numbers, "snd_wnd:0");
    l.shows(&numbers, "rcv_wnd:0");
    l.shows(&numbers, "rb8192");
    l.shows(&numbers, "skmem:(");
}

#[test]
fn close_wait() {
    let l = Lesson::open("close-wait");
    let _listener = l.serve("nettool tcp-echo listen -l 127.0.0.1:7007", "7007");
    let _client = l.start("echo question | nettool tcp-echo connect 127.0.0.1:7007 &");
    let port = l.here("7007");
    let table = l.run_until(
        "nettool stat -tn | grep 7007",
        Duration::from_secs(10),
        |t| t.contains("CLOSE-WAIT") && t.contains("FIN-WAIT-2"),
    );
    let passive = rows(&table, "CLOSE-WAIT");
    assert!(
        column(passive[0], 3).ends_with(&format!(":{port}")),
        "{table}"
    );
    let active = rows(&table, "FIN-WAIT-2");
    assert!(
        column(active[0], 4).ends_with(&format!(":{port}")),
        "{table}"
    );
    l.shows(passive[0], "CLOSE-WAIT");
    l.shows(active[0], "FIN-WAIT-2");
}

#[test]
fn half_close() {
    let l = Lesson::open("half-close");
    let mut listener = l.serve("nettool tcp-echo listen -l 127.0.0.1:7007", "7007");
    let mut client = l.start("echo question | nettool --explain tcp-echo connect 127.0.0.1:7007");
    assert!(
        client
            .wait_for("SHUT_WR", Duration::from_secs(10))
            .is_some()
    );
    assert!(
        listener
            .wait_for("question", Duration::from_secs(10))
            .is_some(),
        "the listener should print the question"
    );
    l.says("prints question");
    // The client has shut down its sending side; the answer still reaches it.
    listener.type_in("answer\n");
    listener.end_input();
    let out = client.finish(Duration::from_secs(20));
    assert!(out.status.success(), "{}", out.all());
    l.shows(&out.stderr, "shutdown(8, SHUT_WR)");
    l.shows(&out.stdout, "answer");
    assert!(listener.finish(Duration::from_secs(10)).status.success());
}

#[test]
fn reuseaddr() {
    let l = Lesson::open("reuseaddr");
    let mut server = l.serve(
        "nettool tcp-echo serve --idle-timeout 1s -l 127.0.0.1:7007 &",
        "7007",
    );
    let idle = l.run("nettool tcp-echo connect -d 127.0.0.1:7007");
    assert!(idle.status.success(), "{}", idle.all());
    assert!(l.run("kill %1").status.success());
    assert!(server.finish(Duration::from_secs(10)).status.success());
    let port = l.here("7007");
    let table = l.run("nettool stat -ta --sport 7007").stdout;
    let tw = rows(&table, "TIME-WAIT");
    assert!(
        tw.iter()
            .any(|r| column(r, 3).ends_with(&format!(":{port}"))),
        "the server closed first: its port is in TIME-WAIT\n{table}"
    );
    l.says("TIME-WAIT on the server's own port");
    let refused = l.run("nettool tcp-echo serve --no-reuseaddr -l 127.0.0.1:7007");
    assert_eq!(refused.status.code(), Some(1), "{}", refused.all());
    l.shows(&refused.stderr, "held by a TIME-WAIT socket");
    l.shows(&refused.stderr, "(2 MSL)");
    assert!(
        refused
            .stderr
            .starts_with(&format!("nettool: address 127.0.0.1:{port} in use: ")),
        "{}",
        refused.stderr
    );
    let again = l.start("nettool tcp-echo serve -l 127.0.0.1:7007 &");
    let ready = again.wait_for("listening on", Duration::from_secs(10));
    l.shows(&ready.unwrap_or_default(), "listening on");
    let second = l.run("nettool tcp-echo serve -l 127.0.0.1:7007");
    assert_eq!(second.status.code(), Some(1), "{}", second.all());
    l.shows(&second.stderr, "is listening there");
    let holder = format!("pid {} (nettool) is listening there", again.pid);
    assert!(second.stderr.contains(&holder), "{}", second.stderr);
}
