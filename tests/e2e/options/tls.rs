//! Rows for the TLS options: the client's (`--tls`, `--ca`, `--insecure`, `--sni`,
//! `--alpn`, `--cert`, `--key`, `--pin` on `tcp-echo connect`, `unix connect`,
//! `heartbeat connect`) and the servers' (`--tls`, `--cert`, `--key`, `--client-ca`,
//! `--handshake-timeout`, `--alpn` on every stream server, listener and the TCP
//! relay; `--ktls` on `serve-http`). Each check runs one command against a TLS peer of ours and sees
//! what the option changed: the `tls` JSON record, a refusal in words, a cut-off.

use std::io::Read;
use std::process::Output;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::Row;
use super::fixtures::{events, stderr};
use crate::tls::{Pki, fingerprint, run};
use crate::util::Server;

/// A fresh abstract Unix name, so no socket file outlives a check.
fn abstract_name() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("@nettool-options-tls-{}-{n}", std::process::id())
}

/// The `tls` records of finished handshakes (events go to stdout or stderr, by
/// command; a refused handshake's record says `"ok": false`).
fn tls_records(o: &Output) -> Vec<serde_json::Value> {
    let mut all = events(&String::from_utf8_lossy(&o.stdout), "tls");
    all.extend(events(&stderr(o), "tls"));
    all.retain(|r| r["ok"] == true);
    all
}

/// A record's verification was a pin match.
#[track_caller]
fn pinned(r: &serde_json::Value) {
    assert_eq!(r["verification"]["result"], "verified", "{r}");
    let detail = r["verification"]["detail"].as_str().unwrap_or_default();
    assert!(detail.starts_with("pinned"), "{r}");
}

/// The one `tls` record of a run that should have made a handshake.
#[track_caller]
fn handshake_record(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    let r = tls_records(o);
    assert_eq!(r.len(), 1, "one tls record: {}", stderr(o));
    r[0].clone()
}

#[track_caller]
fn refused(o: &Output, words: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "succeeded: {err}");
    assert!(tls_records(o).is_empty(), "a handshake record: {err}");
    assert!(err.contains(words), "{words:?} not in: {err}");
}

/// The PKI's leaf `name` as `--cert FILE --key FILE`.
fn leaf(pki: &Pki, name: &str) -> Vec<String> {
    vec![
        "--cert".into(),
        pki.arg(&format!("{name}.pem")),
        "--key".into(),
        pki.arg(&format!("{name}.key")),
    ]
}

// ---------------------------------------------------------------- the clients

/// A TLS client command and the TLS server of ours it talks to.
#[derive(Clone, Copy)]
pub struct Client {
    cmd: &'static [&'static str],
    /// What the client adds to end by itself (heartbeat: one beat).
    own: &'static [&'static str],
    server: &'static [&'static str],
    unix: bool,
}

pub const ECHO_CLIENT: Client = Client {
    cmd: &["tcp-echo", "connect"],
    own: &[],
    server: &["tcp-echo", "serve", "-l", "127.0.0.1:0"],
    unix: false,
};
pub const UNIX_CLIENT: Client = Client {
    cmd: &["unix", "connect"],
    own: &[],
    server: &["unix", "serve"],
    unix: true,
};
pub const HB_CLIENT: Client = Client {
    cmd: &["heartbeat", "connect"],
    own: &["-n", "1", "--interval", "50ms"],
    server: &["heartbeat", "serve", "-l", "127.0.0.1:0"],
    unix: false,
};

impl Client {
    /// Its server with `--tls` and `extra`.
    fn serve(self, extra: &[String]) -> Server {
        // -v: the server's TLS errors are detail lines.
        let mut args = vec!["-v".to_string()];
        args.extend(self.server.iter().map(|s| s.to_string()));
        if self.unix {
            args.push(abstract_name());
        }
        args.push("--tls".into());
        args.extend_from_slice(extra);
        Server::start(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// `nettool --json CMD OPTS… TARGET` against `server` (no `--tls` added).
    fn run(self, server: &Server, opts: &[&str]) -> Output {
        let target = if self.unix {
            server.addr.clone()
        } else {
            server.host_port()
        };
        let mut args = vec!["--json"];
        args.extend_from_slice(self.cmd);
        args.extend_from_slice(self.own);
        args.extend_from_slice(opts);
        args.push(&target);
        run(&args, b"ping\n")
    }
}

fn client_rows(cmd: &'static str, c: Client) -> Vec<Row> {
    macro_rules! with {
        ($f:ident) => {
            match c.cmd[0] {
                "tcp-echo" => || $f(ECHO_CLIENT),
                "unix" => || $f(UNIX_CLIENT),
                _ => || $f(HB_CLIENT),
            }
        };
    }
    vec![
        Row {
            cmd,
            opt: "--tls",
            check: with!(client_tls),
        },
        Row {
            cmd,
            opt: "--ca",
            check: with!(client_ca),
        },
        Row {
            cmd,
            opt: "--insecure",
            check: with!(client_insecure),
        },
        Row {
            cmd,
            opt: "--sni",
            check: with!(client_sni),
        },
        Row {
            cmd,
            opt: "--alpn",
            check: with!(client_alpn),
        },
        Row {
            cmd,
            opt: "--cert",
            check: with!(client_cert),
        },
        Row {
            cmd,
            opt: "--key",
            check: with!(client_key),
        },
        Row {
            cmd,
            opt: "--pin",
            check: with!(client_pin),
        },
    ]
}

/// `--tls` makes the handshake (a `tls` record); without it the bytes go in clear
/// and no handshake happens.
fn client_tls(c: Client) {
    let s = c.serve(&[]);
    let pin = fingerprint(&s);
    pinned(&handshake_record(&c.run(&s, &["--tls", "--pin", &pin])));
    assert!(
        tls_records(&c.run(&s, &[])).is_empty(),
        "no TLS without --tls"
    );
}

/// `--ca` trusts the test CA; without it the system roots refuse the chain.
fn client_ca(c: Client) {
    let pki = Pki::new();
    let s = c.serve(&leaf(&pki, "server"));
    let r = handshake_record(&c.run(&s, &["--tls", "--ca", &pki.arg("ca.pem")]));
    assert_eq!(r["verification"]["result"], "verified", "{r}");
    refused(&c.run(&s, &["--tls"]), "not trusted");
}

/// `--insecure` gets through to a self-signed server and says what it skipped.
fn client_insecure(c: Client) {
    let s = c.serve(&[]);
    let o = c.run(&s, &["--tls", "--insecure"]);
    handshake_record(&o);
    // A warning line, or a JSON record (heartbeat's go to stdout).
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(said.contains("NOT VERIFIED"), "{said}");
    refused(&c.run(&s, &["--tls"]), "self-signed");
}

/// `--sni` is the name sent and verified: the server's certificate (localhost,
/// 127.0.0.1) does not cover example.org.
fn client_sni(c: Client) {
    let pki = Pki::new();
    let s = c.serve(&leaf(&pki, "server"));
    let ca = pki.arg("ca.pem");
    let r = handshake_record(&c.run(&s, &["--tls", "--ca", &ca, "--sni", "localhost"]));
    assert_eq!(r["sni"], "localhost", "{r}");
    refused(
        &c.run(&s, &["--tls", "--ca", &ca, "--sni", "example.org"]),
        "name mismatch",
    );
}

/// `--alpn` offers protocols: the server's pick is in the record; a protocol the
/// server does not speak is refused.
fn client_alpn(c: Client) {
    let s = c.serve(&["--alpn".into(), "x-test".into()]);
    let pin = fingerprint(&s);
    let r = handshake_record(&c.run(&s, &["--tls", "--pin", &pin, "--alpn", "h2,x-test"]));
    assert_eq!(r["alpn"], "x-test", "{r}");
    let o = c.run(&s, &["--tls", "--pin", &pin, "--alpn", "h2"]);
    assert!(
        !o.status.success() && tls_records(&o).is_empty(),
        "{}",
        stderr(&o)
    );
}

/// `--cert`/`--key` present a client certificate to a server that requires one.
fn client_cert(c: Client) {
    let pki = Pki::new();
    let mut extra = leaf(&pki, "server");
    extra.extend(["--client-ca".into(), pki.arg("ca.pem")]);
    let s = c.serve(&extra);
    let ca = pki.arg("ca.pem");
    let mut opts = vec!["--tls".to_string(), "--ca".into(), ca.clone()];
    opts.extend(leaf(&pki, "client"));
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    handshake_record(&c.run(&s, &opts));
    // Without one the server ends the handshake (under TLS 1.3 after the client's
    // Finished): nothing comes back, and the server says why.
    let o = c.run(&s, &["--tls", "--ca", &ca]);
    assert!(
        !o.status.success() || !String::from_utf8_lossy(&o.stdout).contains("ping"),
        "{}",
        stderr(&o)
    );
    assert!(
        s.wait_for_line("the client sent no certificate", Duration::from_secs(5))
            .is_some()
    );
}

/// `--key` must be the key of `--cert`: another one is refused before connecting.
fn client_key(c: Client) {
    let pki = Pki::new();
    let s = c.serve(&[]);
    let (cert, key) = (pki.arg("client.pem"), pki.arg("server.key"));
    let o = c.run(&s, &["--tls", "--insecure", "--cert", &cert, "--key", &key]);
    refused(&o, "--key");
}

/// `--pin` trusts exactly the certificate with that SHA-256.
fn client_pin(c: Client) {
    let s = c.serve(&[]);
    let pin = fingerprint(&s);
    handshake_record(&c.run(&s, &["--tls", "--pin", &pin]));
    let wrong = format!("{}00", &pin[..pin.len() - 2]);
    let wrong = if wrong == pin {
        pin.replacen(&pin[..2], "00", 1)
    } else {
        wrong
    };
    refused(&c.run(&s, &["--tls", "--pin", &wrong]), "pin");
}

// ---------------------------------------------------------------- the servers

/// A TLS server command; its clients are ours (`tcp-echo connect`, `unix connect`).
#[derive(Clone, Copy)]
pub struct Listener {
    args: &'static [&'static str],
    unix: bool,
    /// A relay: the echo target ([`echo_target`]) follows the arguments.
    relay: bool,
}

pub const ECHO_SERVE: Listener = Listener {
    args: &["tcp-echo", "serve", "-l", "127.0.0.1:0"],
    unix: false,
    relay: false,
};
pub const ECHO_LISTEN: Listener = Listener {
    args: &["tcp-echo", "listen", "-k", "-l", "127.0.0.1:0"],
    unix: false,
    relay: false,
};
pub const UNIX_SERVE: Listener = Listener {
    args: &["unix", "serve"],
    unix: true,
    relay: false,
};
pub const UNIX_LISTEN: Listener = Listener {
    args: &["unix", "listen", "-k"],
    unix: true,
    relay: false,
};
pub const HB_SERVE: Listener = Listener {
    args: &["heartbeat", "serve", "-l", "127.0.0.1:0"],
    unix: false,
    relay: false,
};
pub const ECHO_RELAY: Listener = Listener {
    args: &["tcp-echo", "relay", "-l", "127.0.0.1:0"],
    unix: false,
    relay: true,
};
pub const HTTP_SERVE: Listener = Listener {
    args: &["serve-http", "-l", "127.0.0.1:0"],
    unix: false,
    relay: false,
};

impl Listener {
    fn args(self, extra: &[String]) -> Vec<String> {
        // -v: the server's TLS errors are detail lines.
        let mut args = vec!["-v".to_string()];
        args.extend(self.args.iter().map(|s| s.to_string()));
        if self.unix {
            args.push(abstract_name());
        }
        if self.relay {
            args.push(echo_target().into());
        }
        args.push("--tls".into());
        args.extend_from_slice(extra);
        args
    }

    fn serve(self, extra: &[String]) -> Server {
        Server::start(
            &self
                .args(extra)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
    }

    /// Our TLS client with `opts` against `server`, sending nothing.
    fn client(self, server: &Server, opts: &[&str]) -> Output {
        let target = if self.unix {
            server.addr.clone()
        } else {
            server.host_port()
        };
        let cmd = if self.unix { "unix" } else { "tcp-echo" };
        let mut args = vec!["--json", cmd, "connect", "--tls", "-w", "5"];
        args.extend_from_slice(opts);
        args.push(&target);
        run(&args, b"")
    }

    /// A plain connection that sends nothing: how long until the server ends it.
    fn silent_for(self, server: &Server) -> Duration {
        let started = Instant::now();
        let mut buf = [0u8; 64];
        let limit = Some(Duration::from_secs(8));
        let got = if self.unix {
            let name = server.addr.trim_start_matches('@');
            let addr = <std::os::unix::net::SocketAddr as std::os::linux::net::SocketAddrExt>::from_abstract_name(name).unwrap();
            let mut s = std::os::unix::net::UnixStream::connect_addr(&addr).unwrap();
            s.set_read_timeout(limit).unwrap();
            s.read(&mut buf)
        } else {
            let mut s = std::net::TcpStream::connect(server.socket_addr()).unwrap();
            s.set_read_timeout(limit).unwrap();
            s.read(&mut buf)
        };
        assert!(
            !matches!(&got, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "still open after {limit:?}"
        );
        started.elapsed()
    }
}

/// A plain echo server for the relay's rows, one per test process: each connection
/// echoed by a thread of its own until the relay closes it.
fn echo_target() -> &'static str {
    static ADDR: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ADDR.get_or_init(|| {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap().to_string();
        std::thread::spawn(move || {
            for c in l.incoming().map_while(Result::ok) {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut &c, &mut &c);
                });
            }
        });
        addr
    })
}

fn server_rows(cmd: &'static str, l: Listener) -> Vec<Row> {
    macro_rules! with {
        ($f:ident) => {
            match (l.args[0], l.args[1]) {
                ("tcp-echo", "serve") => || $f(ECHO_SERVE),
                ("tcp-echo", "relay") => || $f(ECHO_RELAY),
                ("tcp-echo", _) => || $f(ECHO_LISTEN),
                ("unix", "serve") => || $f(UNIX_SERVE),
                ("unix", _) => || $f(UNIX_LISTEN),
                ("heartbeat", _) => || $f(HB_SERVE),
                _ => || $f(HTTP_SERVE),
            }
        };
    }
    vec![
        Row {
            cmd,
            opt: "--tls",
            check: with!(server_tls),
        },
        Row {
            cmd,
            opt: "--cert",
            check: with!(server_cert),
        },
        Row {
            cmd,
            opt: "--key",
            check: with!(server_key),
        },
        Row {
            cmd,
            opt: "--client-ca",
            check: with!(server_client_ca),
        },
        Row {
            cmd,
            opt: "--handshake-timeout",
            check: with!(server_handshake_timeout),
        },
        Row {
            cmd,
            opt: "--alpn",
            check: with!(server_alpn),
        },
    ]
}

/// `--tls` without a certificate: a self-signed one, its SHA-256 on the ready line,
/// and the pinned handshake works.
fn server_tls(l: Listener) {
    let s = l.serve(&[]);
    let note = s.note.clone().unwrap_or_default();
    assert!(note.contains("self-signed"), "{note}");
    let pin = fingerprint(&s);
    pinned(&handshake_record(&l.client(&s, &["--pin", &pin])));
}

/// `--cert`/`--key`: the server presents that chain (verified with the CA, named in
/// the record).
fn server_cert(l: Listener) {
    let pki = Pki::new();
    let s = l.serve(&leaf(&pki, "server"));
    let r = handshake_record(&l.client(&s, &["--ca", &pki.arg("ca.pem"), "--sni", "localhost"]));
    assert_eq!(r["verification"]["result"], "verified", "{r}");
    assert_eq!(r["peer_certificates"][0]["subject"], "CN=localhost", "{r}");
}

/// `--key` must match `--cert`: another key is a start-up error naming both.
fn server_key(l: Listener) {
    let pki = Pki::new();
    let mut extra = leaf(&pki, "server");
    extra[3] = pki.arg("other.key");
    let args = l.args(&extra);
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("--key") && err.contains("other.key"), "{err}");
}

/// `--client-ca` requires a client certificate signed by it.
fn server_client_ca(l: Listener) {
    let pki = Pki::new();
    let mut extra = leaf(&pki, "server");
    extra.extend(["--client-ca".into(), pki.arg("ca.pem")]);
    let s = l.serve(&extra);
    let ca = pki.arg("ca.pem");
    let mut opts = vec![
        "--ca".to_string(),
        ca.clone(),
        "--sni".into(),
        "localhost".into(),
    ];
    opts.extend(leaf(&pki, "client"));
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    handshake_record(&l.client(&s, &opts));
    let _ = l.client(&s, &["--ca", &ca, "--sni", "localhost"]);
    assert!(
        s.wait_for_line("the client sent no certificate", Duration::from_secs(5))
            .is_some()
    );
}

/// `--handshake-timeout` ends a connection that never says hello.
fn server_handshake_timeout(l: Listener) {
    let s = l.serve(&["--handshake-timeout".into(), "300ms".into()]);
    let took = l.silent_for(&s);
    assert!(took >= Duration::from_millis(250), "cut after {took:?}");
    assert!(took < Duration::from_secs(5), "cut after {took:?}");
    // Said in the log: "TLS handshake not done within 300ms" (servers), "no
    // handshake within 300ms" (listeners).
    let line = s.wait_for_line("within 3", Duration::from_secs(5));
    assert!(line.is_some_and(|l| l.contains("handshake")));
}

/// `--alpn`: the protocols the server speaks; a client offering another is refused.
fn server_alpn(l: Listener) {
    let s = l.serve(&["--alpn".into(), "x-one,x-two".into()]);
    let pin = fingerprint(&s);
    let r = handshake_record(&l.client(&s, &["--pin", &pin, "--alpn", "x-two"]));
    assert_eq!(r["alpn"], "x-two", "{r}");
    let o = l.client(&s, &["--pin", &pin, "--alpn", "h2"]);
    assert!(
        !o.status.success() && tls_records(&o).is_empty(),
        "{}",
        stderr(&o)
    );
}

/// `--ktls`: where the kernel has TLS the summary counts kernel connections; where
/// it has none the server refuses to start, in one line.
fn ktls() {
    let args = ["serve-http", "--tls", "--ktls", "-l", "127.0.0.1:0"];
    if nettool::net::ktls::probe().is_ok() {
        let mut s = Server::start(&args);
        let pin = fingerprint(&s);
        let o = run(
            &[
                "tcp-echo",
                "connect",
                "--tls",
                "--pin",
                &pin,
                &s.host_port(),
            ],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(o.status.success(), "{}", stderr(&o));
        s.stop();
        let line = s.wait_for_line("kernel TLS on", Duration::from_secs(5));
        assert!(line.is_some_and(|l| l.contains("kernel TLS on 1")));
    } else {
        let o = run(&args, b"");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).starts_with("nettool: --ktls: this kernel has no TLS support"),
            "{}",
            stderr(&o)
        );
    }
}

pub fn rows() -> Vec<Row> {
    [
        client_rows("tcp-echo connect", ECHO_CLIENT),
        client_rows("unix connect", UNIX_CLIENT),
        client_rows("heartbeat connect", HB_CLIENT),
        server_rows("tcp-echo serve", ECHO_SERVE),
        server_rows("tcp-echo listen", ECHO_LISTEN),
        server_rows("tcp-echo relay", ECHO_RELAY),
        server_rows("unix serve", UNIX_SERVE),
        server_rows("unix listen", UNIX_LISTEN),
        server_rows("heartbeat serve", HB_SERVE),
        server_rows("serve-http", HTTP_SERVE),
        vec![Row {
            cmd: "serve-http",
            opt: "--ktls",
            check: ktls,
        }],
    ]
    .concat()
}
