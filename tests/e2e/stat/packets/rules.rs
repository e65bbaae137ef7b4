//! The rules of the capture: the human view, one clear line without CAP_NET_RAW, UDP,
//! the `-w` exit status, a bounded queue whose drops are counted.

use super::*;

#[test]
fn human_view_shows_segments_and_states_between_them() {
    if !require_root() {
        return;
    }
    let server = echo_server();
    let port = server.socket_addr().port().to_string();
    let mut cmd = nettool();
    cmd.args([
        "stat",
        "--packets",
        "--iface",
        "lo",
        "-t",
        "-c",
        "3",
        "-w",
        "10",
    ])
    .args(["--dport", &port]);
    let cap = Capture::start(cmd);
    let client = TcpStream::connect(server.socket_addr()).unwrap();
    let me = client.local_addr().unwrap();
    let (recs, _) = cap.finish();
    let text: Vec<&str> = recs.iter().filter_map(Value::as_str).collect();
    let syn_ack = format!(
        "{} → {me}  SYN-ACK  seq 0  ack 1  win ",
        server.socket_addr()
    );
    assert!(text.iter().any(|l| l.contains(&syn_ack)), "{text:#?}");
    assert!(
        text.iter()
            .any(|l| l.contains("MSS ") && l.contains("SACK-permitted"))
    );
    let state = format!("client {me} SYN-SENT → ESTABLISHED");
    assert!(text.iter().any(|l| l.trim() == state), "{text:#?}");
}

#[test]
fn without_cap_net_raw_one_line_says_how_and_nothing_is_captured_or_sent() {
    if !require_root() || !require("setpriv") {
        return;
    }
    let dropped = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--inh-caps", "-all", "--bounding-set", "-net_raw", "--"])
            .arg(bin())
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = dropped(&["stat", "--packets", "--iface", "lo", "-c", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(out.stdout.is_empty(), "no partial view");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("CAP_NET_RAW")
            && err.contains("sudo")
            && err.contains("setcap cap_net_raw+ep"),
        "{err}"
    );
    // A client asked for --packets fails the same way before it connects.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let out = dropped(&["tcp-echo", "connect", "--packets", &addr]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CAP_NET_RAW"));
    assert!(l.accept().is_err(), "no SYN was sent");
}

#[test]
fn udp_datagrams_show_with_their_length() {
    if !require_root() {
        return;
    }
    let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port();
    let cap = capture(&[
        "--iface",
        "lo",
        "-u",
        "-c",
        "1",
        "-w",
        "10",
        "--dport",
        &port.to_string(),
    ]);
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.send_to(b"hello", ("127.0.0.1", port)).unwrap();
    let (recs, status) = cap.finish();
    assert!(status.success());
    let d: Vec<&Value> = recs.iter().filter(|v| v["event"] == "segment").collect();
    assert_eq!(d.len(), 1, "{recs:?}");
    assert_eq!(
        (d[0]["proto"].as_str(), d[0]["len"].as_u64()),
        (Some("udp"), Some(5))
    );
    assert_eq!(d[0]["src"], tx.local_addr().unwrap().to_string().as_str());
    let summary = recs.iter().find(|v| v["event"] == "summary").unwrap();
    assert_eq!(
        (summary["packets"].as_u64(), summary["dropped"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn a_timeout_with_nothing_seen_is_exit_1() {
    if !require_root() {
        return;
    }
    let port = closed_port();
    let out = nettool()
        .args([
            "stat",
            "--packets",
            "--iface",
            "lo",
            "-w",
            "200ms",
            "--dport",
            &port.to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no packets within 200ms"));
}

#[test]
fn a_full_queue_drops_packets_and_says_how_many() {
    if !require_root() {
        return;
    }
    let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port().to_string();
    let mut child = nettool()
        .args([
            "--json",
            "stat",
            "--packets",
            "--iface",
            "lo",
            "-u",
            "--buffer",
            "4k",
        ])
        .args(["-w", "3", "--dport", &port])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = Records::new(lines_of(child.stderr.take().unwrap(), "capture"));
    assert!(
        err.until(Duration::from_secs(10), |l| l.iter().any(|v| v
            .as_str()
            .is_some_and(|s| s.starts_with("capturing on "))))
    );
    // Nobody reads the capture's stdout yet: once the pipe is full it stops reading
    // its socket, whose 4 KiB queue overflows at once.
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..5000u32 {
        tx.send_to(&i.to_be_bytes(), rx.local_addr().unwrap())
            .unwrap();
    }
    // Read only now: the capture goes on until -w ends it.
    let mut out = Records::new(lines_of(child.stdout.take().unwrap(), "packets"));
    let recs = out.rest(Duration::from_secs(20)).to_vec();
    assert!(child.wait().unwrap().success());
    let summary = recs
        .iter()
        .find(|v| v["event"] == "summary")
        .expect("summary");
    let dropped = summary["dropped"].as_u64().unwrap();
    let shown = summary["packets"].as_u64().unwrap();
    assert!(dropped > 0 && shown < 5000, "{summary}");
    assert!(
        recs.iter().any(|v| v["event"] == "warning"
            && v["message"].as_str().is_some_and(|m| m.contains("dropped")))
    );
}

#[test]
fn on_a_real_link_each_direction_shows_once_and_only_local_sockets_get_states() {
    if !require_root() || !require("ip") {
        return;
    }
    let lab = crate::util::netns::Lab::new("pkln", 2);
    let (here, there) = (&lab.hosts[0], &lab.hosts[1]);
    let server = there.serve(&["tcp-echo", "serve", "-l", "192.0.2.2:0"]);
    let port = server.socket_addr().port().to_string();
    // Every interface of the client's host: lo and its eth0 (a veth to the switch).
    let mut cmd = here.nettool();
    cmd.args(["--json", "stat", "--packets", "-t", "-c", "3", "-w", "10"])
        .args(["--dport", &port]);
    let cap = Capture::start(cmd);
    let out = here
        .nettool()
        .args(["tcp-echo", "connect", &server.host_port()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    let (recs, _) = cap.finish();
    let s = segments(&recs);
    let f: Vec<String> = s.iter().map(|v| flags(v)).collect();
    assert_eq!(
        f,
        ["SYN", "SYN-ACK", "ACK"],
        "leaving and arriving, once each"
    );
    assert!(s.iter().all(|v| v["iface"] == "eth0"), "{recs:#?}");
    let roles: Vec<&str> = recs
        .iter()
        .filter(|v| v["event"] == "state")
        .filter_map(|v| v["role"].as_str())
        .collect();
    assert!(
        roles.contains(&"client") && !roles.contains(&"server"),
        "{roles:?}"
    );
}

#[test]
fn packet_flags_without_packets_are_usage_errors() {
    for args in [
        &["stat", "--count", "3"][..],
        &["stat", "--iface", "lo"],
        &["stat", "--absolute"],
        &["stat", "-w", "1"],
        &["stat", "--packets", "-x"],
        &["stat", "--packets", "--watch", "1s"],
    ] {
        let out = nettool().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn sigint_ends_a_capture_with_its_summary_and_the_status_of_an_interrupted_receiver() {
    if !require_root() {
        return;
    }
    let port = closed_port().to_string();
    let mut cap = capture(&["--iface", "lo", "--dport", &port]);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(cap.child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let recs = cap.out.rest(Duration::from_secs(10)).to_vec();
    let status = cap.child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(recs.iter().any(|v| v["event"] == "summary"), "{recs:?}");
}
