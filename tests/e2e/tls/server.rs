//! The TLS servers (`tcp-echo serve|listen --tls`, `unix listen --tls`) against
//! openssl s_client, socat and ncat, on every engine; client certificates required
//! with `--client-ca`; resumption; the ready line, the JSON record, `-x`, `--ktls`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{Pki, connect, feed, fingerprint, run, text, tls_echo, tls_echo_as, wait_output};
use crate::engines::engine_test;
use crate::util::{Server, nettool, random_bytes, require};

/// `openssl s_client` to `port` trusting `ca`, quiet, ending at stdin EOF.
fn s_client(port: u16, extra: &[&str]) -> Command {
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(["-servername", "localhost", "-verify_return_error"])
        .args(["-quiet", "-no_ign_eof"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Send `line` through a running s_client and wait for it to come back; then end
/// its stdin (close_notify) and collect how it exited.
fn echo_line(mut c: Command, line: &str) -> (bool, std::process::Output) {
    let mut child = c.spawn().expect("spawn openssl s_client");
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(line.as_bytes());
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(lines.next().and_then(Result::ok));
    });
    let got = rx.recv_timeout(Duration::from_secs(10)).ok().flatten();
    drop(stdin);
    let out = wait_output(child, Duration::from_secs(10));
    (got.as_deref() == Some(line.trim_end()), out)
}

engine_test!(echo_through_tls, |engine| {
    let pki = Pki::new();
    let server = tls_echo_as(&pki, "server", engine);
    // A multi-MiB payload, byte-exact, half-closed with close_notify + FIN.
    let data = random_bytes(2 << 20, 5);
    let out = connect(
        &[
            "--ca",
            &pki.arg("ca.pem"),
            &format!("localhost:{}", server.socket_addr().port()),
        ],
        &data,
    );
    assert!(
        out.status.success(),
        "engine {engine}: {}",
        text(&out.stderr)
    );
    assert!(out.stdout == data, "engine {engine}: echo differs");
    if require("openssl") {
        let port = server.socket_addr().port();
        let (echoed, out) = echo_line(s_client(port, &["-CAfile", &pki.arg("ca.pem")]), "ping\n");
        assert!(echoed, "engine {engine}: {}", text(&out.stderr));
        assert!(
            out.status.success(),
            "engine {engine}: {}",
            text(&out.stderr)
        );
        let (echoed, _) = echo_line(
            s_client(port, &["-CAfile", &pki.arg("ca.pem"), "-tls1_2"]),
            "over 1.2\n",
        );
        assert!(echoed, "engine {engine}: TLS 1.2");
    }
});

#[test]
fn socat_and_ncat_clients_get_their_echo() {
    if !require("socat") || !require("ncat") {
        return;
    }
    let pki = Pki::new();
    let server = tls_echo_as(&pki, "server", "epoll-et");
    let port = server.socket_addr().port();
    let data = random_bytes(100_000, 9);
    let mut socat = Command::new("socat");
    socat
        .args(["-t", "5", "-"])
        // socat does not half-close TLS at EOF unless told to (shut-down: a FIN
        // without close_notify, which the server takes as the end too).
        .arg(format!(
            "OPENSSL:127.0.0.1:{port},cafile={},commonname=localhost,shut-down",
            pki.arg("ca.pem")
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = feed(socat, &data);
    assert!(out.status.success(), "socat: {}", text(&out.stderr));
    assert!(out.stdout == data, "socat: echo differs");

    let mut ncat = Command::new("ncat");
    ncat.args([
        "--ssl",
        "--ssl-verify",
        "--ssl-trustfile",
        &pki.arg("ca.pem"),
    ])
    .args(["localhost", &port.to_string()])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let out = feed(ncat, &data);
    assert!(out.status.success(), "ncat: {}", text(&out.stderr));
    assert!(out.stdout == data, "ncat: echo differs");
}

#[test]
fn client_certificates_are_required_with_client_ca() {
    if !require("openssl") {
        return;
    }
    let pki = Pki::new();
    let server = Server::start(&[
        "--json",
        "tcp-echo",
        "serve",
        "-l",
        "127.0.0.1:0",
        "--tls",
        "--cert",
        &pki.arg("server.pem"),
        "--key",
        &pki.arg("server.key"),
        "--client-ca",
        &pki.arg("ca.pem"),
    ]);
    assert!(
        server
            .note
            .as_deref()
            .unwrap()
            .contains("client certificates required"),
        "{:?}",
        server.note
    );
    let port = server.socket_addr().port();
    let ca = pki.arg("ca.pem");
    let with = |cert: &str| {
        let (c, k) = (
            pki.arg(&format!("{cert}.pem")),
            pki.arg(&format!("{cert}.key")),
        );
        s_client(port, &["-CAfile", &ca, "-cert", &c, "-key", &k])
    };
    let (echoed, out) = echo_line(with("client"), "signed\n");
    assert!(echoed, "{}", text(&out.stderr));
    let (echoed, _) = echo_line(s_client(port, &["-CAfile", &ca]), "no cert\n");
    assert!(!echoed, "no client certificate, no echo");
    let (echoed, _) = echo_line(with("stranger"), "rogue\n");
    assert!(!echoed, "a certificate from another CA, no echo");
    // Our own client with its certificate, and the server's record of it.
    let out = connect(
        &[
            "--ca",
            &ca,
            "--cert",
            &pki.arg("client.pem"),
            "--key",
            &pki.arg("client.key"),
            &format!("localhost:{port}"),
        ],
        b"ours\n",
    );
    assert_eq!(text(&out.stdout), "ours\n", "{}", text(&out.stderr));
    let mut server = server;
    server.stop();
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut server.child.stdout.take().unwrap(), &mut stdout).unwrap();
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let tls: Vec<_> = records.iter().filter(|r| r["event"] == "tls").collect();
    assert_eq!(tls.len(), 2, "{stdout}");
    assert_eq!(tls[0]["peer_certificates"][0]["subject"], "CN=client.test");
    assert_eq!(tls[0]["verification"]["result"], "verified");
    let errors: Vec<_> = records
        .iter()
        .filter(|r| r["event"] == "tls_error")
        .collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(
        errors.iter().any(|e| e["error"]
            .as_str()
            .unwrap()
            .contains("the client sent no certificate")),
        "{stdout}"
    );
    let summary = records
        .iter()
        .find(|r| r["event"] == "tls_summary")
        .unwrap();
    assert_eq!(summary["handshakes"], 2, "{summary}");
    assert_eq!(summary["failed"], 2, "{summary}");
}

#[test]
fn sessions_are_resumed_tls12_by_id_and_tls13_by_ticket() {
    if !require("openssl") {
        return;
    }
    let mut server = tls_echo("epoll-et", &[]);
    let port = server.socket_addr().port();
    // TLS 1.2: s_client -reconnect connects, then five more times with the session.
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(["-tls1_2", "-reconnect"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let said = text(&feed(c, b"").stdout);
    assert!(said.contains("Reused, TLSv1.2"), "{said}");
    // TLS 1.3: a ticket kept by one s_client (it arrives after the handshake, so wait
    // for an echo first) and offered by the next.
    let sess = tempfile::NamedTempFile::new().unwrap();
    let sess = sess.path().to_str().unwrap();
    let verbose = |extra: &[&str]| {
        let mut c = Command::new("openssl");
        c.args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-no_ign_eof",
        ])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        c
    };
    let (echoed, _) = echo_until(verbose(&["-sess_out", sess]), "one\n");
    assert!(echoed.contains("New, TLSv1.3"), "{echoed}");
    let (echoed, _) = echo_until(verbose(&["-sess_in", sess]), "two\n");
    assert!(echoed.contains("Reused, TLSv1.3"), "{echoed}");
    server.stop();
    let summary = server
        .wait_for_line("TLS: ", Duration::from_secs(5))
        .expect("a TLS summary");
    assert!(summary.contains("(6 resumed)"), "{summary}");
}

/// [`echo_line`] for a talkative s_client: everything it printed up to the echo.
fn echo_until(mut c: Command, line: &str) -> (String, std::process::Output) {
    let mut child = c.spawn().expect("spawn openssl s_client");
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(line.as_bytes());
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let want = line.trim_end().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = String::new();
        for l in lines.map_while(Result::ok) {
            seen.push_str(&l);
            seen.push('\n');
            if l == want {
                break;
            }
        }
        let _ = tx.send(seen);
    });
    let seen = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    drop(stdin);
    (seen, wait_output(child, Duration::from_secs(10)))
}

#[test]
fn the_ready_line_and_the_json_listening_record_name_the_certificate() {
    let mut server = Server::start(&[
        "--json",
        "tcp-echo",
        "serve",
        "--tls",
        "-l",
        "127.0.0.1:0",
        "--engine",
        "thread",
    ]);
    let pin = fingerprint(&server);
    assert!(
        server
            .note
            .as_deref()
            .unwrap()
            .starts_with("TLS, self-signed certificate sha256 "),
        "{:?}",
        server.note
    );
    let mut first = String::new();
    BufReader::new(server.child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["event"], "listening");
    assert_eq!(v["tls"]["sha256"], pin.as_str());
    assert_eq!(v["tls"]["self_signed"], true);
    assert_eq!(
        v["addr"],
        server.addr.as_str(),
        "the address alone, no note"
    );
}

#[test]
fn hexdump_shows_the_plaintext() {
    let dump = tempfile::NamedTempFile::new().unwrap();
    let server = tls_echo("poll", &["-x", dump.path().to_str().unwrap()]);
    let pin = fingerprint(&server);
    let out = connect(&["--pin", &pin, &server.host_port()], b"plain as day\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    drop(server);
    let dumped = std::fs::read_to_string(dump.path()).unwrap();
    assert!(dumped.contains("|plain as day.|"), "{dumped}");
}

#[test]
fn tcp_echo_listen_tls_with_openssl_s_client() {
    if !require("openssl") {
        return;
    }
    let mut c = nettool();
    c.args(["tcp-echo", "listen", "--tls", "-d", "-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let listener = Server::start_cmd(c);
    let port = listener.socket_addr().port();
    // Self-signed: s_client is told to trust exactly that certificate… which it
    // cannot, so it goes on without verifying (no -verify_return_error here).
    let mut s = Command::new("openssl");
    s.args([
        "s_client",
        "-connect",
        &format!("127.0.0.1:{port}"),
        "-quiet",
        "-no_ign_eof",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = s.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"to the listener\n")
        .unwrap();
    let _ = wait_output(child, Duration::from_secs(10));
    let mut listener = listener;
    let ok = crate::util::wait_until(Duration::from_secs(10), || !listener.alive());
    assert!(ok, "the listener ended after its one connection");
    let mut got = String::new();
    std::io::Read::read_to_string(&mut listener.child.stdout.take().unwrap(), &mut got).unwrap();
    assert_eq!(got, "to the listener\n");
}

#[test]
fn unix_listen_tls_with_unix_connect_tls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.sock");
    let p = path.to_str().unwrap();
    let mut c = nettool();
    c.args(["unix", "listen", "--tls", "-d", p])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut listener = Server::start_cmd(c);
    let pin = fingerprint(&listener);
    let out = run(
        &["unix", "connect", "--tls", "--pin", &pin, p],
        b"over unix\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(crate::util::wait_until(Duration::from_secs(10), || {
        !listener.alive()
    }));
    let mut got = String::new();
    std::io::Read::read_to_string(&mut listener.child.stdout.take().unwrap(), &mut got).unwrap();
    assert_eq!(got, "over unix\n");
}

#[test]
fn tls_options_without_tls_or_with_datagrams_are_usage_errors() {
    for args in [
        &["tcp-echo", "serve", "--client-ca", "x"][..],
        &["tcp-echo", "serve", "--handshake-timeout", "1s"],
        &["serve-http", "--ktls"],
        &["unix", "serve", "--dgram", "--tls", "/tmp/x"],
        &["heartbeat", "serve", "--udp", "--tls"],
        &["tcp-echo", "connect", "--pin", "00", ":1"],
        &[
            "tcp-echo",
            "connect",
            "--tls",
            "--insecure",
            "--ca",
            "x",
            ":1",
        ],
        &["unix", "connect", "--dgram", "--tls", "/tmp/x"],
    ] {
        let out = run(args, b"");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // Files that are not what they should be: one line, exit 1, before listening.
    let f = tempfile::NamedTempFile::new().unwrap();
    let p = f.path().to_str().unwrap();
    let out = run(
        &[
            "tcp-echo",
            "serve",
            "--tls",
            "--cert",
            p,
            "--key",
            p,
            "-l",
            "127.0.0.1:0",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(!err.contains("listening on"), "{err}");
    assert!(
        err.starts_with("nettool: read certificates ") && err.contains("no certificate"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn ktls_is_used_where_the_kernel_has_it_and_refused_in_one_line_where_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.bin"), random_bytes(1 << 20, 1)).unwrap();
    let d = dir.path().to_str().unwrap();
    let mut c = nettool();
    c.args(["serve-http", d, "--tls", "--ktls", "-l", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    if let Some(rest) = first.strip_prefix("listening on ") {
        // This kernel has TLS: files go by sendfile through kernel TLS.
        assert!(rest.starts_with("https://"), "{rest}");
        let _ = child.kill();
        let _ = child.wait();
        let mut server = Server::start(&["serve-http", d, "--tls", "--ktls", "-l", "127.0.0.1:0"]);
        let got = Command::new("curl")
            .args(["-sk", "--max-time", "10", &format!("{}f.bin", server.addr)])
            .output()
            .unwrap();
        assert!(
            got.stdout == random_bytes(1 << 20, 1),
            "the file through kernel TLS"
        );
        server.stop();
        let summary = server.wait_for_line("kernel TLS on", Duration::from_secs(5));
        assert!(summary.is_some_and(|l| l.contains("kernel TLS on 1")));
        return;
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(
        first.starts_with("nettool: --ktls: this kernel has no TLS support (CONFIG_TLS"),
        "{first}"
    );
}
