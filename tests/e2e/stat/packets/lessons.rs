//! The lessons of the TCP day, each asserted on the segments seen: the handshake, RST
//! from a closed port, the four-way close and TIME-WAIT, half-close, a zero window and
//! its probes, a retransmission in a namespace that drops packets.

use super::*;

#[test]
fn handshake_is_syn_synack_ack_with_the_isn_plus_one() {
    if !require_root() {
        return;
    }
    let server = echo_server();
    let port = server.socket_addr().port().to_string();
    for absolute in [false, true] {
        let mut args = vec![
            "--iface", "lo", "-t", "-c", "3", "-w", "10", "--dport", &port,
        ];
        if absolute {
            args.push("--absolute");
        }
        let cap = capture(&args);
        let client = TcpStream::connect(server.socket_addr()).unwrap();
        let me = client.local_addr().unwrap().to_string();
        let (recs, status) = cap.finish();
        assert!(status.success(), "{status}");
        let s = segments(&recs);
        // Three segments, each once: the copy of each loopback packet leaving `lo`
        // was not shown beside the copy arriving.
        let f: Vec<String> = s.iter().map(|v| flags(v)).collect();
        assert_eq!(f, ["SYN", "SYN-ACK", "ACK"], "{recs:?}");
        assert_eq!(s[0]["src"], me.as_str());
        if absolute {
            assert_eq!(
                u(s[1], "ack"),
                (u(s[0], "seq") + 1) % (1 << 32),
                "ack = client ISN + 1"
            );
            assert_eq!(
                u(s[2], "ack"),
                (u(s[1], "seq") + 1) % (1 << 32),
                "ack = server ISN + 1"
            );
            assert_eq!(u(s[2], "seq"), (u(s[0], "seq") + 1) % (1 << 32));
        } else {
            let nums: Vec<(u64, Option<u64>)> =
                s.iter().map(|v| (u(v, "seq"), v["ack"].as_u64())).collect();
            assert_eq!(nums, [(0, None), (0, Some(1)), (1, Some(1))]);
        }
        let kinds: Vec<&str> = s[0]["options"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["kind"].as_str())
            .collect();
        for k in ["mss", "sack_permitted", "window_scale"] {
            assert!(kinds.contains(&k), "SYN options {kinds:?}");
        }
        assert!(
            states(&recs, &me).contains(&"ESTABLISHED"),
            "client states: {recs:?}"
        );
        for r in &recs {
            assert!(
                r["time"]
                    .as_str()
                    .is_some_and(|t| humantime::parse_rfc3339(t).is_ok())
            );
        }
    }
}

#[test]
fn connect_to_a_closed_port_is_answered_by_rst() {
    if !require_root() {
        return;
    }
    let port = closed_port();
    let cap = capture(&[
        "--iface",
        "lo",
        "-t",
        "-c",
        "2",
        "-w",
        "10",
        "--dport",
        &port.to_string(),
    ]);
    let out = nettool()
        .args(["tcp-echo", "connect", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("connection refused"));
    let (recs, _) = cap.finish();
    let s = segments(&recs);
    let f: Vec<String> = s.iter().map(|v| flags(v)).collect();
    assert_eq!(f, ["SYN", "RST-ACK"], "{recs:?}");
    assert_eq!(s[1]["ack"], 1, "the RST acknowledges the SYN");
    let client = s[0]["src"].as_str().unwrap();
    assert_eq!(states(&recs, client), ["SYN-SENT", "CLOSED"]);
}

#[test]
fn four_way_close_leaves_time_wait_on_the_side_that_closed_first() {
    if !require_root() {
        return;
    }
    let server = echo_server();
    let srv = server.socket_addr().to_string();
    let cap = capture(&[
        "--iface",
        "lo",
        "-t",
        "-w",
        "20",
        "--dport",
        &server.socket_addr().port().to_string(),
    ]);
    let mut client = nettool();
    client.args(["tcp-echo", "connect", &srv]);
    assert_eq!(say_hello(client), b"hello\n");
    let mut cap = cap;
    let ok = cap.out.until(Duration::from_secs(10), |recs| {
        recs.iter()
            .any(|v| v["event"] == "state" && v["role"] == "client" && v["to"] == "TIME-WAIT")
            && recs
                .iter()
                .any(|v| v["event"] == "state" && v["role"] == "server" && v["to"] == "CLOSED")
    });
    let recs = cap.out.seen.clone();
    assert!(ok, "{recs:#?}");
    let s = segments(&recs);
    let me = s[0]["src"].as_str().unwrap().to_string();
    let fins: Vec<&&Value> = s.iter().filter(|v| has_flag(v, "FIN")).collect();
    assert_eq!(fins.len(), 2, "{recs:#?}");
    assert_eq!(fins[0]["src"], me.as_str(), "the client's FIN comes first");
    assert_eq!(fins[1]["src"], srv.as_str());
    let last = s.last().unwrap();
    assert_eq!(
        (flags(last), last["src"].as_str()),
        ("ACK".into(), Some(me.as_str()))
    );
    assert_eq!(
        u(last, "ack"),
        u(fins[1], "seq") + 1,
        "the last ACK is the server's FIN + 1"
    );
    assert_eq!(
        states(&recs, &me),
        [
            "SYN-SENT",
            "ESTABLISHED",
            "FIN-WAIT-1",
            "FIN-WAIT-2",
            "TIME-WAIT"
        ]
    );
    let server_states: Vec<&str> = recs
        .iter()
        .filter(|v| v["event"] == "state" && v["role"] == "server")
        .filter_map(|v| v["to"].as_str())
        .collect();
    assert_eq!(
        server_states,
        [
            "SYN-RECV",
            "ESTABLISHED",
            "CLOSE-WAIT",
            "LAST-ACK",
            "CLOSED"
        ]
    );
    // The kernel agrees: the client's side is the one in TIME-WAIT.
    let tw = nettool()
        .args([
            "--json",
            "stat",
            "-tn",
            "--state",
            "time-wait",
            "--dport",
            &server.socket_addr().port().to_string(),
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&tw.stdout).contains(&me), "{tw:?}");
}

#[test]
fn half_close_lets_data_flow_the_other_way_after_a_fin() {
    if !require_root() {
        return;
    }
    let mut lcmd = nettool();
    lcmd.args(["tcp-echo", "listen", "-l", "127.0.0.1:0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut listener = Server::start_cmd(lcmd);
    let mut client = nettool()
        .args([
            "--json",
            "tcp-echo",
            "connect",
            "--packets",
            &listener.host_port(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Under --json stdout is records: the view's segments and the answer as `data`.
    let mut view = Records::new(lines_of(client.stdout.take().unwrap(), "client"));
    // The client sends its question and half-closes (stdin EOF → shutdown(SHUT_WR)).
    client
        .stdin
        .take()
        .unwrap()
        .write_all(b"question\n")
        .unwrap();
    let client_fin = |recs: &[Value]| {
        let s = segments(recs);
        s.first().is_some_and(|syn| {
            s.iter()
                .any(|v| has_flag(v, "FIN") && v["src"] == syn["src"])
        })
    };
    assert!(
        view.until(Duration::from_secs(10), client_fin),
        "{:#?}",
        view.seen
    );
    // Only now does the listener answer, and then close its side.
    let mut lin = listener.child.stdin.take().unwrap();
    lin.write_all(b"answer\n").unwrap();
    drop(lin);
    assert!(client.wait().unwrap().success());
    let recs = view.rest(Duration::from_secs(10)).to_vec();
    let answer: Vec<&str> = recs
        .iter()
        .filter(|v| v["event"] == "data")
        .filter_map(|v| v["data"].as_str())
        .collect();
    assert_eq!(answer.concat(), "answer\n");
    let s = segments(&recs);
    let me = s[0]["src"].clone();
    let at = |pred: &dyn Fn(&Value) -> bool| s.iter().position(|v| pred(v)).unwrap();
    let fin_out = at(&|v| has_flag(v, "FIN") && v["src"] == me);
    let data_in = at(&|v| v["dst"] == me && u(v, "len") == 7);
    let fin_in = at(&|v| has_flag(v, "FIN") && v["dst"] == me);
    assert!(
        fin_out < data_in && data_in <= fin_in,
        "FIN out, then data in, then FIN in: {recs:#?}"
    );
    let mine = states(&recs, me.as_str().unwrap());
    assert!(
        mine.contains(&"FIN-WAIT-2") && mine.ends_with(&["TIME-WAIT"]),
        "{mine:?}"
    );
    let mut got = Vec::new();
    listener
        .child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut got)
        .unwrap();
    assert_eq!(got, b"question\n");
}

#[test]
fn a_server_that_stops_reading_advertises_a_zero_window_and_gets_probes() {
    if !require_root() {
        return;
    }
    // The thread engine blocks writing the echo back to a client that never reads,
    // so it stops reading too: its 4 KiB receive buffer fills and its window closes.
    let server = Server::start(&[
        "tcp-echo",
        "serve",
        "--engine",
        "thread",
        "--rcvbuf",
        "4k",
        "-l",
        "127.0.0.1:0",
    ]);
    let srv = server.socket_addr();
    let mut cap = capture(&[
        "--iface",
        "lo",
        "-t",
        "-w",
        "30",
        "--dport",
        &srv.port().to_string(),
    ]);
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.set_recv_buffer_size(4096).unwrap();
    sock.connect(&srv.into()).unwrap();
    sock.set_nonblocking(true).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flood = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let chunk = vec![b'x'; 64 * 1024];
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut sent = 0usize;
            while !stop.load(Ordering::SeqCst) && Instant::now() < deadline && sent < 256 << 20 {
                match (&sock).write(&chunk) {
                    Ok(n) => sent += n,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5))
                    }
                    Err(e) => panic!("flood: {e}"),
                }
            }
            sock
        })
    };
    let srv_s = srv.to_string();
    let ok = cap.out.until(Duration::from_secs(25), |recs| {
        let s = segments(recs);
        let zero = s
            .iter()
            .position(|v| v["src"] == srv_s.as_str() && v["window"] == 0);
        zero.is_some_and(|z| {
            s[z..]
                .iter()
                .any(|v| v["dst"] == srv_s.as_str() && noted(v, "window probe"))
        })
    });
    stop.store(true, Ordering::SeqCst);
    drop(flood.join().unwrap());
    assert!(
        ok,
        "no zero window from the server followed by a probe: {} records",
        cap.out.seen.len()
    );
    let s = segments(&cap.out.seen);
    let z = s
        .iter()
        .find(|v| v["src"] == srv_s.as_str() && v["window"] == 0)
        .unwrap();
    assert!(noted(z, "zero window"), "{z}");
}

#[test]
fn dropped_segments_come_again_as_retransmissions() {
    if !require_root() || !require("nft") || !require("ip") {
        return;
    }
    let ns = Netns::new("pkrt");
    let server = ns.serve(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let port = server.socket_addr().port();
    // Every other data segment to the server is dropped on arrival — after the
    // capture has seen it, so both the original and the retransmission show.
    ns.nft(&format!(
        "table inet lossy {{\n  chain input {{\n    type filter hook input priority 0; policy accept;\n    \
         tcp dport {port} tcp flags & psh == psh numgen inc mod 2 0 drop\n  }}\n}}\n"
    ));
    let mut cmd = ns.nettool();
    cmd.args([
        "--json",
        "stat",
        "--packets",
        "-t",
        "-w",
        "20",
        "--dport",
        &port.to_string(),
    ]);
    let mut cap = Capture::start(cmd);
    let mut client = ns.nettool();
    client.args(["tcp-echo", "connect", &server.host_port()]);
    assert_eq!(
        say_hello(client),
        b"hello\n",
        "the echo arrives after the resend"
    );
    let close_wait =
        |v: &Value| v["event"] == "state" && v["role"] == "server" && v["to"] == "CLOSE-WAIT";
    let ok = cap.out.until(Duration::from_secs(10), |recs| {
        segments(recs).iter().any(|v| noted(v, "retransmission")) && recs.iter().any(close_wait)
    });
    assert!(ok, "{:#?}", cap.out.seen);
    // The client's FIN, sent behind the lost segment, waited in the server's
    // out-of-order queue: the server is in CLOSE-WAIT only after the resend.
    let recs = &cap.out.seen;
    let resent = recs
        .iter()
        .position(|v| noted(v, "retransmission"))
        .unwrap();
    assert!(
        recs.iter().position(close_wait).unwrap() > resent,
        "{recs:#?}"
    );
    let s = segments(&cap.out.seen);
    let data: Vec<&&Value> = s
        .iter()
        .filter(|v| u(v, "len") == 6 && v["dst"] == server.host_port().as_str())
        .collect();
    assert!(data.len() >= 2, "{data:?}");
    assert_eq!(data[0]["seq"], data[1]["seq"], "the same bytes again");
    assert!(!noted(data[0], "retransmission") && noted(data[1], "retransmission"));
}
