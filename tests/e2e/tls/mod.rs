//! `--tls` end to end, against the peers people use: `openssl s_server`/`s_client`,
//! `ncat --ssl`, `socat OPENSSL`/`OPENSSL-LISTEN` and `curl https`. Certificates are
//! made here with rcgen (a CA, leaves for localhost, for another name, an expired
//! one, a client certificate); self-signed servers are pinned by the fingerprint they
//! print. `tcp-echo relay --tls` terminates TLS in front of a plain target (relay.rs).

mod client;
mod hostile;
mod https;
mod relay;
mod server;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

use crate::util::{Server, nettool};

/// A test PKI in a temp dir: `ca.pem`, and `NAME.pem` / `NAME.key` for each leaf.
pub struct Pki {
    pub dir: tempfile::TempDir,
}

impl Pki {
    /// A CA with leaves: `server` (localhost, 127.0.0.1, ::1), `other` (example.org),
    /// `expired` (localhost, expired 3 days ago), `client` (a client certificate),
    /// and `stranger` (a client certificate from a CA nobody trusts).
    pub fn new() -> Pki {
        let dir = tempfile::tempdir().unwrap();
        let ca = make_ca("nettool test CA");
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        let now = time::OffsetDateTime::now_utc();
        let day = time::Duration::days(1);
        let leaves: [(&str, &[&str], i32, ExtendedKeyUsagePurpose); 4] = [
            (
                "server",
                &["localhost", "127.0.0.1", "::1"],
                30,
                ExtendedKeyUsagePurpose::ServerAuth,
            ),
            (
                "other",
                &["example.org"],
                30,
                ExtendedKeyUsagePurpose::ServerAuth,
            ),
            (
                "expired",
                &["localhost", "127.0.0.1"],
                -3,
                ExtendedKeyUsagePurpose::ServerAuth,
            ),
            (
                "client",
                &["client.test"],
                30,
                ExtendedKeyUsagePurpose::ClientAuth,
            ),
        ];
        for (name, sans, days, usage) in leaves {
            let names: Vec<String> = sans.iter().map(|s| s.to_string()).collect();
            let mut p = CertificateParams::new(names).unwrap();
            p.distinguished_name.push(DnType::CommonName, sans[0]);
            p.extended_key_usages = vec![usage];
            p.not_after = now + day * days;
            p.not_before = p.not_after - day * 60;
            if days > 0 {
                p.not_before = now - day;
            }
            let key = KeyPair::generate().unwrap();
            let cert = p.signed_by(&key, &ca).unwrap();
            std::fs::write(dir.path().join(format!("{name}.pem")), cert.pem()).unwrap();
            std::fs::write(dir.path().join(format!("{name}.key")), key.serialize_pem()).unwrap();
        }
        // A client certificate from a CA the server does not trust.
        let rogue = make_ca("someone else's CA");
        let mut p = CertificateParams::new(vec!["stranger.test".to_string()]).unwrap();
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let key = KeyPair::generate().unwrap();
        let cert = p.signed_by(&key, &rogue).unwrap();
        std::fs::write(dir.path().join("stranger.pem"), cert.pem()).unwrap();
        std::fs::write(dir.path().join("stranger.key"), key.serialize_pem()).unwrap();
        Pki { dir }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// `path` as a `&str` argument.
    pub fn arg(&self, file: &str) -> String {
        self.path(file).to_str().unwrap().to_string()
    }
}

fn make_ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, name);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
}

/// The SHA-256 a TLS server printed beside `listening on`.
pub fn fingerprint(s: &Server) -> String {
    let note = s
        .note
        .as_deref()
        .expect("a TLS server names its certificate");
    note.split("sha256 ")
        .nth(1)
        .and_then(|rest| rest.split([',', ' ']).next())
        .unwrap_or_else(|| panic!("no fingerprint in {note:?}"))
        .to_string()
}

/// `tcp-echo serve --tls` on `engine` with `extra` options.
pub fn tls_echo(engine: &str, extra: &[&str]) -> Server {
    let mut args = vec![
        "tcp-echo",
        "serve",
        "--tls",
        "-l",
        "127.0.0.1:0",
        "--engine",
        engine,
    ];
    args.extend_from_slice(extra);
    Server::start(&args)
}

/// `tcp-echo serve --tls` on `engine` with the PKI's certificate `leaf`.
pub fn tls_echo_as(pki: &Pki, leaf: &str, engine: &str) -> Server {
    let (cert, key) = (
        pki.arg(&format!("{leaf}.pem")),
        pki.arg(&format!("{leaf}.key")),
    );
    tls_echo(engine, &["--cert", &cert, "--key", &key])
}

/// `nettool tcp-echo connect --tls ARGS` with `input` on stdin.
pub fn connect(args: &[&str], input: &[u8]) -> Output {
    let mut all = vec!["tcp-echo", "connect", "--tls"];
    all.extend_from_slice(args);
    run(&all, input)
}

/// Run `nettool ARGS` with `input` on stdin; bounded by 20 s.
pub fn run(args: &[&str], input: &[u8]) -> Output {
    let mut c = nettool();
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    feed(c, input)
}

/// Spawn `cmd`, write `input` to its stdin and close it, wait (20 s at most).
pub fn feed(mut cmd: Command, input: &[u8]) -> Output {
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = wait_output(child, Duration::from_secs(20));
    let _ = writer.join();
    out
}

/// Wait for `child` to exit (killing it after `limit`) and collect its output, read
/// as it comes so a full pipe never stalls it.
pub fn wait_output(mut child: Child, limit: Duration) -> Output {
    fn drain(r: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut v);
            }
            v
        })
    }
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let done = crate::util::wait_until(limit, || matches!(child.try_wait(), Ok(Some(_))));
    if !done {
        let _ = child.kill();
    }
    let status = child.wait().expect("wait");
    let out = Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    assert!(done, "timed out: {}", String::from_utf8_lossy(&out.stderr));
    out
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A TLS peer process that listens (openssl s_server, socat, ncat), killed on drop.
pub struct Peer {
    pub child: Child,
    pub port: u16,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Peer {
    /// `openssl s_server -accept 127.0.0.1:0 ARGS`, ready once it printed
    /// `ACCEPT 127.0.0.1:PORT`. Its stdin stays open (a closed one ends it).
    pub fn s_server(args: &[&str]) -> Peer {
        let mut child = Command::new("openssl")
            .arg("s_server")
            .args(["-accept", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn openssl s_server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().expect("s_server ready").unwrap();
            if let Some(addr) = line.strip_prefix("ACCEPT ") {
                break addr.rsplit(':').next().unwrap().parse().unwrap();
            }
        };
        // Keep draining its stdout so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Peer { child, port }
    }

    /// [`s_server`](Self::s_server) presenting the PKI's certificate `leaf`.
    pub fn s_server_as(pki: &Pki, leaf: &str, args: &[&str]) -> Peer {
        let (cert, key) = (
            pki.arg(&format!("{leaf}.pem")),
            pki.arg(&format!("{leaf}.key")),
        );
        let mut all = vec!["-cert", &cert, "-key", &key];
        all.extend_from_slice(args);
        Peer::s_server(&all)
    }

    /// `socat -u OPENSSL-LISTEN:0,… CREATE:out` (one way: what it receives goes to
    /// `out`), ready once it said where it listens.
    pub fn socat_listen(options: &str, out: &Path) -> Peer {
        let mut child = Command::new("socat")
            .args(["-u", "-d", "-d"])
            .arg(format!("OPENSSL-LISTEN:0,bind=127.0.0.1,{options}"))
            .arg(format!("CREATE:{}", out.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn socat");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().expect("socat ready").unwrap();
            if let Some(rest) = line.split("listening on AF=2 ").nth(1) {
                break rest.trim().rsplit(':').next().unwrap().parse().unwrap();
            }
        };
        std::thread::spawn(move || {
            for l in lines.map_while(Result::ok) {
                eprintln!("[socat] {l}");
            }
        });
        Peer { child, port }
    }

    /// `ncat --ssl -l 127.0.0.1 0 ARGS` (stdout to `out`); ncat does not say which port
    /// it got, so it is read from `ss -ltnp` by its pid.
    pub fn ncat_listen(args: &[&str], out: &Path) -> Peer {
        let child = Command::new("ncat")
            .args(["--ssl", "-l", "127.0.0.1", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(out).unwrap())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn ncat");
        let pid = child.id();
        let mut port = 0;
        let found = crate::util::wait_until(Duration::from_secs(10), || {
            let ss = Command::new("ss").args(["-ltnpH"]).output().unwrap();
            port = text(&ss.stdout)
                .lines()
                .find(|l| l.contains(&format!("pid={pid},")))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            port != 0
        });
        assert!(found, "ncat never listened");
        Peer { child, port }
    }
}
