//! The checks a TLS client makes of the server's certificate, and what they found in
//! plain words.
//!
//! rustls's WebPKI verifier does the real work (chain to a trusted root, validity
//! dates, the name we dialled). [`Verifier`] wraps it so that nettool can say what
//! happened the way a person would — `certificate expired 3 days ago`, `name
//! mismatch: cert is for example.org` — and so that the two ways of trusting
//! something else are honest about what they skip:
//!
//! * `--pin SHA256`: exactly one certificate is trusted (a self-signed one, say);
//!   the chain, the dates and the name are not what decides, but what they would
//!   have said is still reported;
//! * `--insecure`: nothing is checked but the handshake's own signatures, and the
//!   report says what the checks would have found.

use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};

use super::cert::{CertInfo, Fingerprint, date, span};

/// How the server's certificate is trusted.
#[derive(Debug, Clone)]
pub enum Trust {
    /// Chains to these roots (`the system roots`, `--ca FILE`).
    Roots {
        verifier: Arc<WebPkiServerVerifier>,
        label: String,
    },
    /// Exactly the certificate with this fingerprint; `roots` only say what a normal
    /// check would have found.
    Pin {
        pin: Fingerprint,
        roots: Option<Arc<WebPkiServerVerifier>>,
    },
    /// Nothing (`--insecure`).
    Insecure {
        roots: Option<Arc<WebPkiServerVerifier>>,
    },
}

/// What the check of one handshake found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Trusted; the words say by what (`chain trusted by the system roots, name
    /// localhost matches`).
    Trusted(String),
    /// Accepted without being trusted: the words say what was skipped and what the
    /// normal check would have found.
    Accepted(String),
    /// Refused; the words say why.
    Refused(String),
}

impl Outcome {
    pub fn words(&self) -> &str {
        match self {
            Outcome::Trusted(w) | Outcome::Accepted(w) | Outcome::Refused(w) => w,
        }
    }

    /// `verified`, `not verified`, `refused`: the JSON `verification.result`.
    pub fn result(&self) -> &'static str {
        match self {
            Outcome::Trusted(_) => "verified",
            Outcome::Accepted(_) => "not verified",
            Outcome::Refused(_) => "refused",
        }
    }
}

/// What the verifier saw of the last handshake: the chain and the outcome.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub chain: Vec<CertificateDer<'static>>,
    pub outcome: Option<Outcome>,
}

/// A server certificate verifier that remembers what it found.
#[derive(Debug)]
pub struct Verifier {
    trust: Trust,
    provider: Arc<CryptoProvider>,
    seen: Mutex<Seen>,
}

impl Verifier {
    pub fn new(trust: Trust, provider: Arc<CryptoProvider>) -> Verifier {
        Verifier {
            trust,
            provider,
            seen: Mutex::default(),
        }
    }

    /// What the latest handshake's check found (taken: the next handshake starts
    /// afresh).
    pub fn take_seen(&self) -> Seen {
        std::mem::take(&mut *self.seen.lock().expect("verifier state"))
    }

    fn decide(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> (Outcome, Result<ServerCertVerified, Error>) {
        let check = |v: &WebPkiServerVerifier| {
            v.verify_server_cert(end_entity, intermediates, name, ocsp, now)
        };
        let leaf = CertInfo::parse(end_entity.as_ref());
        let named = name.to_str();
        match &self.trust {
            Trust::Roots { verifier, label } => match check(verifier) {
                Ok(ok) => (
                    Outcome::Trusted(format!(
                        "chain trusted by {label}; name {named} matches; {}",
                        leaf.validity_words(now.as_secs() as i64)
                    )),
                    Ok(ok),
                ),
                Err(e) => (Outcome::Refused(explain(&e, &leaf, &named, now)), Err(e)),
            },
            Trust::Pin { pin, roots } => {
                if leaf.sha256 != *pin {
                    let words = format!(
                        "pin mismatch: the certificate's SHA-256 is {}, --pin wants {pin}",
                        leaf.sha256
                    );
                    let err =
                        Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure);
                    return (Outcome::Refused(words), Err(err));
                }
                let normal = roots.as_deref().map(check);
                let note = match normal {
                    Some(Ok(_)) => "; it is also trusted by the system roots".to_string(),
                    Some(Err(Error::InvalidCertificate(CertificateError::UnknownIssuer)))
                        if leaf.self_signed() =>
                    {
                        "; it is self-signed".to_string()
                    }
                    Some(Err(e)) => {
                        format!("; without the pin: {}", explain(&e, &leaf, &named, now))
                    }
                    None => String::new(),
                };
                (
                    Outcome::Trusted(format!(
                        "pinned: the certificate's SHA-256 matches --pin (chain, dates and name not checked){note}"
                    )),
                    Ok(ServerCertVerified::assertion()),
                )
            }
            Trust::Insecure { roots } => {
                let normal = match roots.as_deref().map(check) {
                    Some(Ok(_)) => "the normal check would have passed".to_string(),
                    Some(Err(e)) => format!(
                        "the normal check would have failed: {}",
                        explain(&e, &leaf, &named, now)
                    ),
                    None => "no trusted roots to compare with".to_string(),
                };
                (
                    Outcome::Accepted(format!(
                        "NOT VERIFIED (--insecure: chain, dates and name skipped); {normal}"
                    )),
                    Ok(ServerCertVerified::assertion()),
                )
            }
        }
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let (outcome, result) =
            self.decide(end_entity, intermediates, server_name, ocsp_response, now);
        crate::net::trace::step("tls", || {
            format!("verify the server's certificate: {}", outcome.words())
        });
        let mut seen = self.seen.lock().expect("verifier state");
        seen.chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        seen.outcome = Some(outcome);
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A certificate error in plain words; `leaf` is the server's certificate, `name`
/// what we dialled.
pub fn explain(refusal: &Error, leaf: &CertInfo, name: &str, now: UnixTime) -> String {
    let now = now.as_secs() as i64;
    let Error::InvalidCertificate(ce) = refusal else {
        return refusal.to_string();
    };
    match ce {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
            "certificate expired {} ago (on {})",
            span(now - leaf.not_after),
            date(leaf.not_after)
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => format!(
            "certificate not valid yet: only from {} (in {})",
            date(leaf.not_before),
            span(leaf.not_before - now)
        ),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            format!(
                "name mismatch: cert is for {}, not {name}",
                leaf.names_list()
            )
        }
        CertificateError::UnknownIssuer if leaf.self_signed() => format!(
            "not trusted: the certificate is self-signed ({}); trust it with --pin {} or --ca FILE",
            leaf.subject, leaf.sha256
        ),
        CertificateError::UnknownIssuer => format!(
            "not trusted: issued by {}, which no trusted root vouches for (missing intermediate, or pass --ca FILE)",
            leaf.issuer
        ),
        CertificateError::BadSignature => {
            "bad signature: the chain's signatures do not check out".into()
        }
        CertificateError::Revoked => "certificate revoked".into(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "certificate is not meant for a TLS server (extended key usage)".into()
        }
        CertificateError::BadEncoding => "certificate does not parse".into(),
        // What `openssl req -x509` makes by default (basicConstraints CA:TRUE); webpki
        // says so only in its own error type, seen here through its name.
        CertificateError::Other(o) if format!("{o:?}").contains("CaUsedAsEndEntity") => format!(
            "not usable as a server certificate: {} is a CA certificate (CA:TRUE); trust \
             exactly it with --pin {}, or make the server's certificate without CA:TRUE",
            leaf.subject, leaf.sha256
        ),
        other => format!("invalid certificate: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf() -> CertInfo {
        let id = crate::tls::selfsigned::generate(&["example.org".into()]).unwrap();
        CertInfo::parse(id.chain[0].as_ref())
    }

    #[test]
    fn errors_read_as_sentences() {
        let l = leaf();
        let at =
            |secs: i64| UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs as u64));
        let e = Error::InvalidCertificate(CertificateError::Expired);
        let w = explain(&e, &l, "example.org", at(l.not_after + 3 * 86_400 + 60));
        assert!(w.starts_with("certificate expired 3 days ago (on "), "{w}");
        let e = Error::InvalidCertificate(CertificateError::NotValidForName);
        assert_eq!(
            explain(&e, &l, "localhost", at(l.not_before + 10)),
            "name mismatch: cert is for example.org, not localhost"
        );
        let e = Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let w = explain(&e, &l, "example.org", at(l.not_before + 10));
        assert!(
            w.contains("self-signed") && w.contains(&l.sha256.to_string()),
            "{w}"
        );
        let e = Error::General("x".into());
        assert_eq!(explain(&e, &l, "n", at(0)), "unexpected error: x");
    }
}
