//! HTTPS: `serve-http --tls` and curl, on every engine — whole files (encrypted a
//! bounded chunk at a time), ranges, HEAD, keep-alive on one TLS connection, HTTP/1.0
//! with its close, and ALPN.

use super::{Pki, text};
use crate::engines::engine_test;
use crate::http::Fixture;
use crate::util::require;

fn curl(args: &[&str]) -> std::process::Output {
    std::process::Command::new("curl")
        .args(["-s", "--max-time", "20"])
        .args(args)
        .output()
        .expect("run curl")
}

engine_test!(curl_https_get_ranges_keepalive, |engine| {
    if !require("curl") {
        return;
    }
    let pki = Pki::new();
    let fx = Fixture::new();
    let server = fx.serve(
        engine,
        &[
            "--tls",
            "--cert",
            &pki.arg("server.pem"),
            "--key",
            &pki.arg("server.key"),
        ],
    );
    let base = server.addr.clone();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let ca = pki.arg("ca.pem");
    let data = curl(&["--cacert", &ca, &format!("{base}data.bin")]);
    assert!(
        data.status.success(),
        "engine {engine}: {}",
        text(&data.stderr)
    );
    assert!(
        data.stdout == fx.data,
        "engine {engine}: 3 MiB over TLS, byte-exact"
    );

    let part = curl(&[
        "--cacert",
        &ca,
        "-r",
        "1000-1999",
        &format!("{base}data.bin"),
    ]);
    assert!(
        part.stdout == fx.data[1000..2000],
        "engine {engine}: a range"
    );
    let tail = curl(&["--cacert", &ca, "-r", "-100", &format!("{base}data.bin")]);
    assert!(
        tail.stdout == fx.data[fx.data.len() - 100..],
        "engine {engine}: a suffix range"
    );

    // Two requests, one connection: keep-alive over TLS; ALPN says http/1.1.
    let two = curl(&[
        "-v",
        "--cacert",
        &ca,
        &format!("{base}hello.txt"),
        &format!("{base}sub/inner.txt"),
    ]);
    assert_eq!(
        text(&two.stdout),
        "hello, world\ninner\n",
        "engine {engine}"
    );
    let said = text(&two.stderr);
    assert!(
        said.contains("Re-using existing"),
        "engine {engine}: {said}"
    );
    assert!(
        said.contains("ALPN: server accepted http/1.1"),
        "engine {engine}: {said}"
    );

    let head = curl(&["-I", "--cacert", &ca, &format!("{base}data.bin")]);
    let head = text(&head.stdout);
    assert!(head.starts_with("HTTP/1.1 200"), "engine {engine}: {head}");
    assert!(
        head.contains(&format!("Content-Length: {}", fx.data.len())),
        "{head}"
    );

    let old = curl(&["--http1.0", "--cacert", &ca, &format!("{base}data.bin")]);
    assert!(
        old.stdout == fx.data,
        "engine {engine}: HTTP/1.0, closed after the body"
    );
});

#[test]
fn https_with_the_self_signed_certificate_and_its_pin() {
    if !require("curl") {
        return;
    }
    let fx = Fixture::new();
    let server = fx.serve("epoll-et", &["--tls"]);
    let base = server.addr.clone();
    // curl cannot verify a self-signed certificate…
    let refused = curl(&[&format!("{base}hello.txt")]);
    assert!(!refused.status.success());
    // …but -k takes it, and nettool's own client pins it.
    let k = curl(&["-k", &format!("{base}hello.txt")]);
    assert_eq!(text(&k.stdout), "hello, world\n");
    let pin = super::fingerprint(&server);
    let out = super::connect(
        &["--pin", &pin, &server.host_port()],
        b"GET /hello.txt HTTP/1.0\r\n\r\n",
    );
    let answer = text(&out.stdout);
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with("hello, world\n"),
        "{answer}"
    );
}
