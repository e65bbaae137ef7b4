//! `--packets` on the clients: `tcp-echo connect` shows its own connection only,
//! `heartbeat connect` its beats.

use super::*;

#[test]
fn a_clients_view_shows_its_own_connection_only() {
    if !require_root() {
        return;
    }
    let server = echo_server();
    // Another connection to the same server, busy all along.
    let mut other = TcpStream::connect(server.socket_addr()).unwrap();
    let theirs = other.local_addr().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let chatter = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut buf = [0u8; 64];
            while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                other.write_all(b"ping").unwrap();
                let _ = other.read(&mut buf);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let out = nettool()
        .args([
            "--json",
            "tcp-echo",
            "connect",
            "--packets",
            &server.host_port(),
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    chatter.join().unwrap();
    assert!(out.status.success());
    // Under --json the view's records are on stdout with the client's own.
    let recs = json_records(&out.stdout);
    let s = segments(&recs);
    assert_eq!(flags(s[0]), "SYN", "{recs:#?}");
    let me = s[0]["src"].as_str().unwrap();
    assert!(
        s.iter().all(|v| v["src"] == me || v["dst"] == me),
        "{recs:#?}"
    );
    assert!(
        s.iter()
            .all(|v| v["src"] != theirs.as_str() && v["dst"] != theirs.as_str())
    );
    assert!(states(&recs, me).ends_with(&["TIME-WAIT"]), "{recs:#?}");
}

#[test]
fn heartbeat_connect_shows_its_beats_on_the_wire() {
    if !require_root() {
        return;
    }
    let server = Server::start(&["heartbeat", "serve", "-l", "127.0.0.1:0"]);
    let out = nettool()
        .args([
            "--json",
            "heartbeat",
            "connect",
            "--packets",
            "-n",
            "2",
            "--interval",
            "100ms",
        ])
        .arg(server.host_port())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Under --json the view's records are on stdout with the client's own.
    let recs = json_records(&out.stdout);
    let s = segments(&recs);
    assert!(
        !s.is_empty(),
        "no segments; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(flags(s[0]), "SYN", "{recs:#?}");
    let me = s[0]["src"].as_str().unwrap();
    let beats = s
        .iter()
        .filter(|v| v["src"] == me && u(v, "len") > 0)
        .count();
    assert!(beats >= 2, "{recs:#?}");
    assert!(s.iter().any(|v| has_flag(v, "FIN")));
}
