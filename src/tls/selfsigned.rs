//! A server's identity: its certificate chain and private key, read from PEM files
//! (`--cert/--key`) or, without them, a self-signed certificate made on the spot for
//! the names the server listens on (rcgen; an ECDSA P-256 key, 30 days). Nobody can
//! vouch for a self-signed certificate, so the server prints its fingerprint and a
//! client checks exactly that (`--pin`), as ssh does with host keys.

use std::net::IpAddr;
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::cert::Fingerprint;

/// How long a generated certificate is valid.
pub const SELF_SIGNED_DAYS: i64 = 30;

/// A certificate chain (leaf first) with its key.
#[derive(Debug)]
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// Made here, not read from `--cert`.
    pub self_signed: bool,
    /// The leaf's SHA-256.
    pub fingerprint: Fingerprint,
}

impl Identity {
    /// Read `--cert FILE` (one or more PEM certificates, leaf first) and `--key FILE`
    /// (a PEM private key: PKCS#8, PKCS#1 RSA or SEC1 EC).
    pub fn from_pem_files(cert: &Path, key: &Path) -> anyhow::Result<Identity> {
        let chain = read_certs(cert)?;
        let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
            anyhow!(
                "read private key {}: {}",
                key.display(),
                pem_words(&e, "private key", "PRIVATE KEY")
            )
        })?;
        let fingerprint = Fingerprint::of(chain[0].as_ref());
        Ok(Identity {
            chain,
            key,
            self_signed: false,
            fingerprint,
        })
    }
}

/// Every PEM certificate in `path` (at least one).
pub fn read_certs(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let what = || format!("read certificates {}", path.display());
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| {
            anyhow!(
                "{}: {}",
                what(),
                pem_words(&e, "certificate", "CERTIFICATE")
            )
        })?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow!(
                "{}: {}",
                what(),
                pem_words(&e, "certificate", "CERTIFICATE")
            )
        })?;
    if certs.is_empty() {
        bail!(
            "{}: no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)",
            what()
        );
    }
    Ok(certs)
}

fn pem_words(e: &rustls::pki_types::pem::Error, what: &str, label: &str) -> String {
    use rustls::pki_types::pem::Error;
    match e {
        Error::NoItemsFound => format!("no {what} in it (expected PEM: -----BEGIN {label}-----)"),
        Error::Io(io) => io.to_string(),
        other => format!("not valid PEM ({other:?})"),
    }
}

/// The names a self-signed certificate for a listener on `host` (as given to `-l`)
/// and `ip` is made for: the host, the address, and for a wildcard address the
/// loopback names a local client uses.
pub fn names_for(host: Option<&str>, ip: Option<IpAddr>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |n: String| {
        if !n.is_empty() && !names.contains(&n) {
            names.push(n);
        }
    };
    if let Some(h) = host.map(|h| h.trim_start_matches('[').trim_end_matches(']')) {
        if !h.parse::<IpAddr>().is_ok_and(|a| a.is_unspecified()) {
            add(h.to_string());
        }
    }
    match ip {
        Some(ip) if ip.is_unspecified() => {
            add("localhost".into());
            add("127.0.0.1".into());
            add("::1".into());
        }
        Some(ip) => add(ip.to_string()),
        None => add("localhost".into()),
    }
    names
}

/// Make a self-signed certificate for `names` (DNS names or IP addresses).
pub fn generate(names: &[String]) -> anyhow::Result<Identity> {
    let now = time::OffsetDateTime::now_utc();
    generate_valid(
        names,
        now - time::Duration::hours(1),
        now + time::Duration::days(SELF_SIGNED_DAYS),
    )
}

/// [`generate`] with a validity of our choosing (tests make expired ones).
pub fn generate_valid(
    names: &[String],
    not_before: time::OffsetDateTime,
    not_after: time::OffsetDateTime,
) -> anyhow::Result<Identity> {
    let mut params = rcgen::CertificateParams::new(names.to_vec())
        .with_context(|| format!("make a certificate for {}", names.join(", ")))?;
    let first = names.first().map_or("nettool", String::as_str);
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        format!("{first} (nettool self-signed)"),
    );
    params.not_before = not_before;
    params.not_after = not_after;
    let key = rcgen::KeyPair::generate().context("generate a key pair")?;
    let cert = params.self_signed(&key).context("sign the certificate")?;
    let der = cert.der().clone();
    let key = PrivateKeyDer::try_from(key.serialize_der())
        .map_err(|bad| anyhow!("encode the generated key: {bad}"))?;
    Ok(Identity {
        fingerprint: Fingerprint::of(der.as_ref()),
        chain: vec![der],
        key,
        self_signed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_what_a_local_client_dials() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(names_for(Some("127.0.0.1"), Some(lo)), ["127.0.0.1"]);
        assert_eq!(
            names_for(Some("localhost"), Some(lo)),
            ["localhost", "127.0.0.1"]
        );
        let any: IpAddr = "::".parse().unwrap();
        assert_eq!(
            names_for(Some("[::]"), Some(any)),
            ["localhost", "127.0.0.1", "::1"]
        );
        assert_eq!(names_for(None, None), ["localhost"]);
    }

    #[test]
    fn pem_files_round_trip_and_bad_ones_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let id = generate(&["localhost".into()]).unwrap();
        let cert = dir.path().join("c.pem");
        let key = dir.path().join("k.pem");
        let pem = |label: &str, der: &[u8]| {
            use base64::Engine;
            let b = base64::engine::general_purpose::STANDARD.encode(der);
            format!("-----BEGIN {label}-----\n{b}\n-----END {label}-----\n")
        };
        std::fs::write(&cert, pem("CERTIFICATE", id.chain[0].as_ref())).unwrap();
        std::fs::write(&key, pem("PRIVATE KEY", id.key.secret_der())).unwrap();
        let back = Identity::from_pem_files(&cert, &key).unwrap();
        assert_eq!(back.fingerprint, id.fingerprint);
        assert!(!back.self_signed);

        let err = Identity::from_pem_files(&key, &key)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no certificate in it"), "{err}");
        let err = Identity::from_pem_files(&cert, &cert)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("read private key") && err.contains("no private key"),
            "{err}"
        );
        let err = read_certs(&dir.path().join("missing"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("missing") && err.contains("No such file"),
            "{err}"
        );
    }
}
