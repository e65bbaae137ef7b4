//! A finished handshake as a person reads it — the block `-v` prints and the `tls`
//! JSON record: protocol version, cipher suite, key exchange group, ALPN, whether the
//! session was resumed, the peer's certificate chain (subject, issuer, names,
//! validity with days left, key type, fingerprint) and the verification result in
//! plain words. `openssl s_client` says all this too, scattered over sixty lines.

use rustls::{Connection, HandshakeKind};
use serde_json::{Value, json};

use super::cert::{CertInfo, now_secs};
use super::verify::Outcome;
use crate::output::{Level, Output};

/// What one handshake settled.
#[derive(Debug, Clone)]
pub struct Handshake {
    pub version: String,
    pub suite: String,
    pub group: String,
    pub alpn: Option<String>,
    /// `full`, `full (after HelloRetryRequest)` or `resumed`.
    pub kind: String,
    /// The name in the client's SNI extension: as a server saw it, or as our client
    /// sent it (none when it dialled an address).
    pub sni: Option<String>,
    pub chain: Vec<CertInfo>,
    /// Seen from the server's side (the peer is a client).
    pub server: bool,
    /// How the peer's certificate was judged (a client always judges; a server only
    /// when it asks for client certificates).
    pub verification: Option<Outcome>,
}

/// `TLS 1.3` for rustls's version.
fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".into(),
        other => format!("{other:?}"),
    }
}

/// `TLS 1.3, TLS13_AES_256_GCM_SHA384, X25519` — what `--explain` says when the
/// handshake is done.
pub fn summary_line(conn: &Connection) -> String {
    let h = Handshake::of(conn, &[], None);
    format!("{}, {}, key exchange {}", h.version, h.suite, h.group)
}

impl Handshake {
    /// Read what `conn` negotiated. `chain` is the peer's certificates when the
    /// verifier kept them (a refused handshake has none in rustls), else rustls's.
    pub fn of(
        conn: &Connection,
        chain: &[rustls::pki_types::CertificateDer<'_>],
        verification: Option<Outcome>,
    ) -> Handshake {
        let unknown = || "(unknown)".to_string();
        let certs: Vec<CertInfo> = if chain.is_empty() {
            conn.peer_certificates()
                .unwrap_or_default()
                .iter()
                .map(|c| CertInfo::parse(c.as_ref()))
                .collect()
        } else {
            chain.iter().map(|c| CertInfo::parse(c.as_ref())).collect()
        };
        Handshake {
            version: conn.protocol_version().map_or_else(unknown, version_name),
            suite: conn
                .negotiated_cipher_suite()
                .map_or_else(unknown, |s| format!("{:?}", s.suite())),
            group: conn
                .negotiated_key_exchange_group()
                .map_or_else(unknown, |g| format!("{:?}", g.name())),
            alpn: conn
                .alpn_protocol()
                .map(|p| String::from_utf8_lossy(p).into_owned()),
            kind: match conn.handshake_kind() {
                Some(HandshakeKind::Full) => "full".into(),
                Some(HandshakeKind::FullWithHelloRetryRequest) => {
                    "full (after HelloRetryRequest)".into()
                }
                Some(HandshakeKind::Resumed) => "resumed".into(),
                None => unknown(),
            },
            sni: match conn {
                Connection::Server(s) => s.server_name().map(str::to_string),
                Connection::Client(_) => None,
            },
            chain: certs,
            server: matches!(conn, Connection::Server(_)),
            verification,
        }
    }

    /// The `tls` record's fields.
    pub fn json(&self) -> Value {
        let now = now_secs();
        json!({
            "version": self.version, "cipher_suite": self.suite, "key_exchange": self.group,
            "alpn": self.alpn, "handshake": self.kind, "resumed": self.kind == "resumed",
            "sni": self.sni,
            "peer_certificates": self.chain.iter().map(|c| c.json(now)).collect::<Vec<_>>(),
            "verification": self.verification.as_ref().map(|v| json!({"result": v.result(), "detail": v.words()})),
        })
    }

    /// The block `-v` prints, one line per fact; `peer` says whose chain it is.
    pub fn human(&self, who: &str) -> String {
        let now = now_secs();
        let mut lines = vec![format!(
            "TLS with {who}: {}, {}, key exchange {}, ALPN {}, {} handshake{}",
            self.version,
            self.suite,
            self.group,
            self.alpn.as_deref().unwrap_or("none"),
            self.kind,
            self.sni
                .as_ref()
                .map(|s| format!(", SNI {s}"))
                .unwrap_or_default()
        )];
        if self.chain.is_empty() {
            // A server that asked for none has nothing to say here.
            if !self.server || self.verification.is_some() {
                lines.push("  peer certificate: none".into());
            }
        } else {
            lines.push("  peer certificate chain:".into());
            for (i, c) in self.chain.iter().enumerate() {
                lines.extend(c.lines(i, now).into_iter().map(|l| format!("  {l}")));
            }
        }
        if let Some(v) = &self.verification {
            lines.push(format!("  verification: {}", v.words()));
        }
        lines.join("\n")
    }

    /// Report it: the block with `-v`, the `tls` record always under `--json`.
    pub fn report(&self, out: &Output, who: &str, extra: Value) {
        let mut fields = self.json();
        if let (Value::Object(f), Value::Object(e)) = (&mut fields, extra) {
            f.extend(e);
        }
        out.event(level(out), "tls", fields, || self.human(who));
    }
}

/// The level of TLS reports: detail for people (`-v`), always for `--json`.
pub fn level(out: &Output) -> Level {
    if out.json() {
        Level::Info
    } else {
        Level::Detail
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::session::tests::{exchange, pair};

    #[test]
    fn a_finished_handshake_reads_well() {
        let (mut c, mut s) = pair();
        exchange(&mut c, &mut s);
        let h = Handshake::of(c.conn(), &[], Some(Outcome::Trusted("pinned".into())));
        assert_eq!(h.version, "TLS 1.3");
        assert!(h.suite.starts_with("TLS13_"), "{}", h.suite);
        assert_eq!(h.kind, "full");
        assert_eq!(h.chain.len(), 1);
        let text = h.human("127.0.0.1:1");
        assert!(text.contains("ALPN none, full handshake"), "{text}");
        assert!(text.contains("verification: pinned"), "{text}");
        assert!(text.contains("days left"), "{text}");
        let j = h.json();
        assert_eq!(j["resumed"], false);
        assert_eq!(j["verification"]["result"], "verified");
        assert_eq!(j["peer_certificates"][0]["key"], "ECDSA P-256");
        let hs = Handshake::of(s.conn(), &[], None);
        assert_eq!(hs.sni.as_deref(), Some("localhost"));
        assert!(hs.chain.is_empty());
        assert!(
            !hs.human("x").contains("peer certificate"),
            "a server that asked for no certificate says nothing of one"
        );
    }
}
