//! What a certificate says, in words a person reads: subject, issuer, the names it is
//! valid for (SANs), its validity with the days left, its key type and its SHA-256
//! fingerprint — parsed with x509-parser, never by hand.
//!
//! The fingerprint is the SHA-256 of the certificate's DER bytes, written as openssl
//! writes it (`openssl x509 -noout -fingerprint -sha256`): 32 upper-case hex pairs
//! joined by colons. A server with a self-signed certificate prints it beside
//! `listening on`; a client pins it with `--pin`.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::public_key::PublicKey;

/// A certificate's SHA-256 fingerprint.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER-encoded certificate.
    pub fn of(der: &[u8]) -> Fingerprint {
        let d = ring::digest::digest(&ring::digest::SHA256, der);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Fingerprint(out)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = String;

    /// `AB:CD:…` as printed, with or without colons, any case, optionally after
    /// `sha256:`, `sha256=` or openssl's `sha256 Fingerprint=`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let t = ["sha256 fingerprint=", "sha256:", "sha256="]
            .iter()
            .find_map(|p| lower.starts_with(p).then(|| &t[p.len()..]))
            .unwrap_or(t);
        let hex: String = t
            .chars()
            .filter(|c| *c != ':' && !c.is_whitespace())
            .collect();
        let bad = || {
            format!(
                "{s:?} is not a SHA-256 fingerprint: 64 hex digits, colons optional \
                 (as printed beside `listening on`)"
            )
        };
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Fingerprint(out))
    }
}

/// Seconds since the epoch, now.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `2026-11-01 12:00:00 UTC` for a Unix time.
pub fn date(secs: i64) -> String {
    let t = if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs as u64)
    } else {
        UNIX_EPOCH
    };
    humantime::format_rfc3339_seconds(t)
        .to_string()
        .replace('T', " ")
        .replace('Z', " UTC")
}

/// A span of time as people say it: `3 days`, `5 hours`, `12 minutes`, `40 seconds`.
pub fn span(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (n, unit) = match s {
        0..=119 => (s, "second"),
        120..=7_199 => (s / 60, "minute"),
        7_200..=172_799 => (s / 3_600, "hour"),
        _ => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// One certificate of a chain, as the handshake report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// Subject alternative names, `DNS:example.org`, `IP:127.0.0.1`.
    pub names: Vec<String>,
    pub not_before: i64,
    pub not_after: i64,
    /// `ECDSA P-256`, `RSA 2048`, `Ed25519`.
    pub key: String,
    pub sha256: Fingerprint,
    pub is_ca: bool,
}

impl CertInfo {
    /// Describe a DER certificate; one that does not parse is described as such
    /// (its fingerprint is still exact).
    pub fn parse(der: &[u8]) -> CertInfo {
        let sha256 = Fingerprint::of(der);
        match X509Certificate::from_der(der) {
            Ok((_, c)) => CertInfo {
                subject: name_or_empty(&c.subject().to_string()),
                issuer: name_or_empty(&c.issuer().to_string()),
                names: sans(&c),
                not_before: c.validity().not_before.timestamp(),
                not_after: c.validity().not_after.timestamp(),
                key: key_type(&c),
                sha256,
                is_ca: c.is_ca(),
            },
            Err(bad) => CertInfo {
                subject: format!("(certificate does not parse: {bad})"),
                issuer: String::new(),
                names: Vec::new(),
                not_before: 0,
                not_after: 0,
                key: "unknown".into(),
                sha256,
                is_ca: false,
            },
        }
    }

    /// Issued by itself (subject = issuer).
    pub fn self_signed(&self) -> bool {
        !self.subject.is_empty() && self.subject == self.issuer
    }

    /// Whole days until it expires (negative once it has).
    pub fn days_left(&self, now: i64) -> i64 {
        (self.not_after - now).div_euclid(86_400)
    }

    /// `expired 3 days ago`, `not valid for another 2 days`, `364 days left`.
    pub fn validity_words(&self, now: i64) -> String {
        if now > self.not_after {
            format!("expired {} ago", span(now - self.not_after))
        } else if now < self.not_before {
            format!("not valid for another {}", span(self.not_before - now))
        } else {
            format!("{} left", span(self.not_after - now))
        }
    }

    /// The names it is valid for, as a list a message can quote.
    pub fn names_list(&self) -> String {
        if self.names.is_empty() {
            format!("no names (subject {})", self.subject)
        } else {
            self.names
                .iter()
                .map(|n| n.trim_start_matches("DNS:").trim_start_matches("IP:"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    pub fn json(&self, now: i64) -> Value {
        json!({
            "subject": self.subject, "issuer": self.issuer, "self_signed": self.self_signed(),
            "names": self.names, "not_before": date(self.not_before), "not_after": date(self.not_after),
            "days_left": self.days_left(now), "key": self.key, "sha256": self.sha256.to_string(),
            "ca": self.is_ca,
        })
    }

    /// The lines of this certificate in the handshake block (`[i] subject` first).
    pub fn lines(&self, index: usize, now: i64) -> Vec<String> {
        let issuer = if self.self_signed() {
            "(self-signed)".to_string()
        } else {
            self.issuer.clone()
        };
        let names = if self.names.is_empty() {
            "none".to_string()
        } else {
            self.names.join(", ")
        };
        vec![
            format!(
                "  [{index}] {}{}",
                self.subject,
                if self.is_ca { " (CA)" } else { "" }
            ),
            format!("      issuer   {issuer}"),
            format!("      names    {names}"),
            format!(
                "      valid    {} .. {} ({})",
                date(self.not_before),
                date(self.not_after),
                self.validity_words(now)
            ),
            format!("      key      {}", self.key),
            format!("      sha256   {}", self.sha256),
        ]
    }
}

fn name_or_empty(s: &str) -> String {
    if s.is_empty() {
        "(empty name)".into()
    } else {
        s.to_string()
    }
}

fn sans(c: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ext)) = c.subject_alternative_name() else {
        return Vec::new();
    };
    ext.value
        .general_names
        .iter()
        .map(|n| match n {
            GeneralName::DNSName(d) => format!("DNS:{d}"),
            GeneralName::IPAddress(b) => match b.len() {
                4 => format!(
                    "IP:{}",
                    std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*b).unwrap_or_default())
                ),
                16 => format!(
                    "IP:{}",
                    std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*b).unwrap_or_default())
                ),
                _ => "IP:(malformed)".into(),
            },
            GeneralName::RFC822Name(m) => format!("email:{m}"),
            GeneralName::URI(u) => format!("URI:{u}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn key_type(c: &X509Certificate<'_>) -> String {
    let spki = c.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    match alg.as_str() {
        "1.2.840.113549.1.1.1" => match spki.parsed() {
            Ok(PublicKey::RSA(k)) => format!("RSA {}", k.key_size()),
            _ => "RSA".into(),
        },
        "1.2.840.10045.2.1" => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => "ECDSA P-256".into(),
                Some("1.3.132.0.34") => "ECDSA P-384".into(),
                Some("1.3.132.0.35") => "ECDSA P-521".into(),
                Some(other) => format!("ECDSA (curve {other})"),
                None => "ECDSA".into(),
            }
        }
        "1.3.101.112" => "Ed25519".into(),
        "1.3.101.113" => "Ed448".into(),
        other => format!("unknown ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_print_and_parse_back() {
        let f = Fingerprint::of(b"hello");
        let shown = f.to_string();
        assert_eq!(shown.len(), 32 * 3 - 1);
        assert!(shown.starts_with("2C:F2:4D:BA"), "{shown}");
        assert_eq!(shown.parse::<Fingerprint>().unwrap(), f);
        let bare = shown.replace(':', "").to_lowercase();
        assert_eq!(bare.parse::<Fingerprint>().unwrap(), f);
        assert_eq!(format!("sha256:{bare}").parse::<Fingerprint>().unwrap(), f);
        assert_eq!(
            format!("sha256 Fingerprint={shown}")
                .parse::<Fingerprint>()
                .unwrap(),
            f
        );
        assert!(
            "abcd"
                .parse::<Fingerprint>()
                .unwrap_err()
                .contains("64 hex digits")
        );
        assert!("zz".repeat(32).parse::<Fingerprint>().is_err());
    }

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(40), "40 seconds");
        assert_eq!(span(3 * 60), "3 minutes");
        assert_eq!(span(5 * 3600), "5 hours");
        assert_eq!(span(3 * 86_400 + 5), "3 days");
        assert_eq!(span(86_400 * 2), "2 days");
        assert_eq!(span(60 * 60), "60 minutes");
        assert_eq!(span(1), "1 second");
    }

    #[test]
    fn a_generated_certificate_is_described() {
        let id =
            crate::tls::selfsigned::generate(&["localhost".into(), "127.0.0.1".into()]).unwrap();
        let info = CertInfo::parse(id.chain[0].as_ref());
        assert!(info.self_signed(), "{info:?}");
        assert_eq!(info.names, ["DNS:localhost", "IP:127.0.0.1"]);
        assert_eq!(info.key, "ECDSA P-256");
        assert_eq!(info.sha256, id.fingerprint);
        let now = now_secs();
        assert!(info.days_left(now) >= 29, "{info:?}");
        assert!(info.validity_words(now).ends_with("days left"));
        assert!(
            info.validity_words(info.not_after + 3 * 86_400 + 1)
                .starts_with("expired 3 days ago")
        );
        assert_eq!(info.names_list(), "localhost, 127.0.0.1");
        let lines = info.lines(0, now).join("\n");
        assert!(
            lines.contains("(self-signed)") && lines.contains("ECDSA P-256"),
            "{lines}"
        );
    }

    #[test]
    fn garbage_is_described_not_fatal() {
        let info = CertInfo::parse(b"not a certificate");
        assert!(info.subject.contains("does not parse"));
        assert!(!info.self_signed());
    }
}
