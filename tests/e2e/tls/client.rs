//! The TLS clients (`tcp-echo connect --tls`, `unix connect --tls`, `heartbeat
//! connect --tls`) against openssl s_server, ncat and socat, and the verification
//! results a person reads: trusted, wrong name, expired, self-signed, pinned.

use std::time::Duration;

use super::{Peer, Pki, connect, feed, fingerprint, run, text, tls_echo};
use crate::util::{Server, nettool, require};

#[test]
fn openssl_s_server_tls13_and_tls12_with_the_half_close_rules() {
    if !require("openssl") {
        return;
    }
    let pki = Pki::new();
    for version in ["-tls1_3", "-tls1_2"] {
        // -rev answers every line reversed; after our close_notify + FIN it closes too.
        let s = Peer::s_server_as(&pki, "server", &[version, "-rev"]);
        let addr = format!("localhost:{}", s.port);
        let out = run(
            &[
                "-v",
                "tcp-echo",
                "connect",
                "--tls",
                "--ca",
                &pki.arg("ca.pem"),
                &addr,
            ],
            b"hello tls\n",
        );
        let err = text(&out.stderr);
        assert!(out.status.success(), "{version}: {err}");
        assert_eq!(text(&out.stdout), "slt olleh\n", "{version}: {err}");
        let want = if version == "-tls1_3" {
            "TLS 1.3"
        } else {
            "TLS 1.2"
        };
        assert!(
            err.contains(&format!("TLS with 127.0.0.1:{}: {want}", s.port)),
            "{err}"
        );
        assert!(
            err.contains("verification: chain trusted by --ca")
                && err.contains("name localhost matches"),
            "{err}"
        );
        assert!(err.contains("issuer   CN=nettool test CA"), "{err}");
    }
}

#[test]
fn the_tls_record_is_always_in_json() {
    if !require("openssl") {
        return;
    }
    let pki = Pki::new();
    let s = Peer::s_server_as(&pki, "server", &["-rev", "-alpn", "h2,http/1.1"]);
    let addr = format!("localhost:{}", s.port);
    let out = run(
        &[
            "--json",
            "tcp-echo",
            "connect",
            "--tls",
            "--ca",
            &pki.arg("ca.pem"),
            "--alpn",
            "http/1.1",
            &addr,
        ],
        b"x\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rec: serde_json::Value = text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["event"] == "tls")
        .expect("a tls record on stdout without -v");
    assert_eq!(rec["version"], "TLS 1.3", "{rec}");
    assert_eq!(rec["alpn"], "http/1.1", "{rec}");
    assert_eq!(rec["resumed"], false);
    assert_eq!(rec["verification"]["result"], "verified");
    let leaf = &rec["peer_certificates"][0];
    assert_eq!(leaf["subject"], "CN=localhost");
    assert!(leaf["days_left"].as_i64().unwrap() >= 29, "{leaf}");
    assert_eq!(leaf["names"][0], "DNS:localhost");
    assert_eq!(leaf["key"], "ECDSA P-256");
}

#[test]
fn a_wrong_name_and_an_expired_certificate_are_said_in_words() {
    if !require("openssl") {
        return;
    }
    let pki = Pki::new();
    let other = Peer::s_server_as(&pki, "other", &[]);
    let out = connect(
        &[
            "--ca",
            &pki.arg("ca.pem"),
            &format!("localhost:{}", other.port),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("name mismatch: cert is for example.org, not localhost"),
        "{err}"
    );
    // --sni asks for the name the certificate has: then it verifies.
    let ok = connect(
        &[
            "--ca",
            &pki.arg("ca.pem"),
            "--sni",
            "example.org",
            "--recv-only",
            "-w",
            "1",
            &format!("127.0.0.1:{}", other.port),
        ],
        b"",
    );
    assert!(
        !text(&ok.stderr).contains("TLS handshake"),
        "{}",
        text(&ok.stderr)
    );

    let expired = Peer::s_server_as(&pki, "expired", &[]);
    let out = run(
        &[
            "-v",
            "tcp-echo",
            "connect",
            "--tls",
            "--ca",
            &pki.arg("ca.pem"),
            &format!("localhost:{}", expired.port),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("certificate expired 3 days ago"), "{err}");
    // -v shows the chain that was refused, with its dates.
    assert!(err.contains("(expired 3 days ago)"), "{err}");
    // And the system roots know nothing of our CA.
    let out = connect(&[&format!("localhost:{}", other.port)], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not trusted"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_self_signed_server_is_pinned_by_the_fingerprint_it_printed() {
    let server = tls_echo("epoll-et", &[]);
    let pin = fingerprint(&server);
    let addr = server.host_port();
    let out = connect(&["--pin", &pin, &addr], b"pinned\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "pinned\n");
    // The bare hex form works too.
    let bare = pin.replace(':', "").to_lowercase();
    let out = connect(&["--pin", &bare, &addr], b"again\n");
    assert_eq!(text(&out.stdout), "again\n", "{}", text(&out.stderr));
    // One digit off: refused, and the message says both.
    let mut wrong = pin.clone();
    wrong.replace_range(0..2, if &pin[0..2] == "00" { "11" } else { "00" });
    let out = connect(&["--pin", &wrong, &addr], b"x\n");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("pin mismatch") && err.contains(&pin) && err.contains(&wrong),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing was sent or printed");
    // Without a pin the self-signed certificate is not trusted, and the advice names it.
    let out = connect(&[&addr], b"x\n");
    let err = text(&out.stderr);
    assert!(
        err.contains("self-signed") && err.contains(&format!("--pin {pin}")),
        "{err}"
    );
    // A malformed pin is a usage error.
    let out = connect(&["--pin", "abc", &addr], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn insecure_says_loudly_what_it_skipped() {
    let server = tls_echo("poll", &[]);
    let out = connect(&["--insecure", &server.host_port()], b"unchecked\n");
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "unchecked\n");
    let err = text(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("NOT VERIFIED") && err.contains("self-signed"),
        "{err}"
    );
    // -q hides even that (the user asked for silence).
    let out = run(
        &[
            "-q",
            "tcp-echo",
            "connect",
            "--tls",
            "--insecure",
            &server.host_port(),
        ],
        b"x\n",
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn client_certificates_to_openssl_s_server() {
    if !require("openssl") {
        return;
    }
    let pki = Pki::new();
    // -Verify 1: a client certificate is required and checked against the CA.
    let ca = pki.arg("ca.pem");
    let s = Peer::s_server_as(&pki, "server", &["-rev", "-Verify", "1", "-CAfile", &ca]);
    let addr = format!("localhost:{}", s.port);
    let (cert, key) = (pki.arg("client.pem"), pki.arg("client.key"));
    let out = connect(
        &["--ca", &ca, "--cert", &cert, "--key", &key, &addr],
        b"abc\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "cba\n");
    // Without one the server refuses us.
    let out = connect(&["--ca", &ca, &addr], b"abc\n");
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
    // --cert without --key is a usage error.
    let out = connect(&["--cert", &cert, &addr], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ncat_and_socat_listeners_receive_what_we_send() {
    if !require("ncat") || !require("socat") {
        return;
    }
    let pki = Pki::new();
    let got = tempfile::NamedTempFile::new().unwrap();
    let n = Peer::ncat_listen(
        &[
            "--ssl-cert",
            &pki.arg("server.pem"),
            "--ssl-key",
            &pki.arg("server.key"),
        ],
        got.path(),
    );
    let data = crate::util::random_bytes(300_000, 7);
    let ca = pki.arg("ca.pem");
    // Send `data` to `port`; the peer writes what it got to `file`.
    let send = |port: u16, file: &std::path::Path, who: &str| {
        let out = connect(&["--ca", &ca, &format!("localhost:{port}")], &data);
        assert!(out.status.success(), "{who}: {}", text(&out.stderr));
        let whole = crate::util::wait_until(Duration::from_secs(5), || {
            std::fs::read(file).is_ok_and(|b| b.len() == data.len())
        });
        assert!(
            whole && std::fs::read(file).unwrap() == data,
            "{who} got all of it"
        );
    };
    send(n.port, got.path(), "ncat");

    let got = tempfile::NamedTempFile::new().unwrap();
    let cert = pki.arg("server.pem");
    let key = pki.arg("server.key");
    let s = Peer::socat_listen(&format!("cert={cert},key={key},verify=0"), got.path());
    send(s.port, got.path(), "socat");
}

#[test]
fn unix_connect_tls_to_unix_serve_tls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tls.sock");
    let p = path.to_str().unwrap();
    let server = Server::start(&["unix", "serve", "--tls", p, "--engine", "reactor"]);
    let pin = fingerprint(&server);
    let data = crate::util::random_bytes(200_000, 3);
    let mut c = nettool();
    c.args(["unix", "connect", "--tls", "--pin", &pin, p])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = feed(c, &data);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out.stdout == data, "echoed exactly");
    // The certificate of a Unix server is made for localhost: --ca-style name checks
    // would use --sni; a wrong pin is still refused.
    let out = run(&["unix", "connect", "--tls", p], b"");
    assert!(
        text(&out.stderr).contains("self-signed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn heartbeat_over_tls() {
    let server = Server::start(&["heartbeat", "serve", "--tls", "-l", "127.0.0.1:0"]);
    let pin = fingerprint(&server);
    let out = run(
        &[
            "--json",
            "heartbeat",
            "connect",
            "--tls",
            "--pin",
            &pin,
            "-n",
            "3",
            "--interval",
            "100ms",
            &server.host_port(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let records: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(records.iter().filter(|r| r["event"] == "beat").count(), 3);
    let tls = records
        .iter()
        .find(|r| r["event"] == "tls")
        .expect("a tls record");
    assert_eq!(tls["verification"]["result"], "verified");
    // --tls does not go with UDP.
    let out = run(&["heartbeat", "connect", "--tls", "--udp", ":1"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_shows_the_tls_steps_beside_the_socket_calls() {
    let server = tls_echo("epoll-lt", &[]);
    let pin = fingerprint(&server);
    let out = run(
        &[
            "--explain",
            "tcp-echo",
            "connect",
            "--tls",
            "--pin",
            &pin,
            &server.host_port(),
        ],
        b"x\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let pos = |needle: &str| {
        err.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing in:\n{err}"))
    };
    // In order: the connect, our hello, theirs, the check, the end, the half-close.
    let steps = [
        "connect(",
        "tls: ClientHello for ",
        "tls: -> handshake ClientHello",
        "tls: <- handshake ServerHello",
        "tls: verify the server's certificate: pinned",
        "tls: handshake done: TLS 1.3",
        "tls: -> close_notify",
        "shutdown(",
    ];
    let at: Vec<usize> = steps.iter().map(|s| pos(s)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "out of order:\n{err}");
}

#[test]
fn verbose_shows_one_readable_handshake_block() {
    let pki = Pki::new();
    let server = super::tls_echo_as(&pki, "server", "epoll-et");
    let port = server.socket_addr().port();
    let out = run(
        &[
            "-v",
            "tcp-echo",
            "connect",
            "--tls",
            "--ca",
            &pki.arg("ca.pem"),
            &format!("localhost:{port}"),
        ],
        b"x\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    // One block: the session, then each certificate of the chain, then the verdict.
    let block: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("TLS with "))
        .take_while(|l| l.starts_with("TLS with ") || l.starts_with("  "))
        .collect();
    let want = [
        "TLS with 127.0.0.1:",
        ": TLS 1.3, TLS13_",
        ", key exchange X25519, ALPN none, full handshake, SNI localhost",
        "  peer certificate chain:",
        "    [0] CN=localhost",
        "        issuer   CN=nettool test CA",
        "        names    DNS:localhost, IP:127.0.0.1, IP:::1",
        "days left)",
        "        key      ECDSA P-256",
        "        sha256   ",
        "  verification: chain trusted by --ca ",
        "name localhost matches",
    ];
    let shown = block.join("\n");
    for w in want {
        assert!(shown.contains(w), "{w:?} not in the block:\n{err}");
    }

    // What `openssl req -x509` makes (CA:TRUE) is refused in words, and a pin takes it.
    if !require("openssl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("c.pem"), dir.path().join("k.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", text(&made.stderr));
    let (c, k) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let s = tls_echo("poll", &["--cert", c, "--key", k]);
    let target = format!("localhost:{}", s.socket_addr().port());
    let out = connect(&["--ca", c, &target], b"");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is a CA certificate (CA:TRUE)"), "{err}");
    let out = connect(&["--pin", &fingerprint(&s), &target], b"pinned\n");
    assert_eq!(text(&out.stdout), "pinned\n", "{}", text(&out.stderr));
}
