//! Building rustls configurations from what the user asked for: TLS 1.3 and 1.2, the
//! *ring* provider, certificates from PEM files or made on the spot, the trust a
//! client places (system roots, `--ca`, `--pin`, `--insecure`), client certificates
//! both ways, ALPN, and `SSLKEYLOGFILE` (as curl and browsers honour it: session keys
//! for Wireshark). Everything that can fail fails here, before the first connection.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use rustls::client::WebPkiServerVerifier;
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use serde_json::{Value, json};

use super::cert::Fingerprint;
use super::selfsigned::{Identity, read_certs};
use super::verify::{Trust, Verifier};

/// The protocol versions nettool speaks.
pub static VERSIONS: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS13, &rustls::version::TLS12];

/// What a TLS client was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ClientTlsOpts {
    /// Trust these CA certificates instead of the system roots.
    pub ca: Option<PathBuf>,
    /// Check nothing (but say so).
    pub insecure: bool,
    /// Trust exactly this certificate.
    pub pin: Option<Fingerprint>,
    /// Server name to send and verify instead of the host dialled.
    pub sni: Option<String>,
    /// Application protocols to offer.
    pub alpn: Vec<String>,
    /// Client certificate chain and key.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// A client config with the verifier that remembers what it found.
#[derive(Debug, Clone)]
pub struct ClientTls {
    pub config: Arc<ClientConfig>,
    pub verifier: Arc<Verifier>,
    /// The name override (`--sni`).
    pub sni: Option<String>,
}

impl ClientTls {
    /// The name to send as SNI and verify: `--sni`, else the host dialled (an IP
    /// address is verified against the certificate's IP names and sends no SNI).
    pub fn server_name(
        &self,
        host: &str,
    ) -> anyhow::Result<rustls::pki_types::ServerName<'static>> {
        let name = self.sni.as_deref().unwrap_or(host);
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        rustls::pki_types::ServerName::try_from(bare.to_string())
            .map_err(|_| anyhow!("{name:?} is not a host name or address TLS can verify"))
    }
}

fn roots_from(path: &std::path::Path) -> anyhow::Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    for c in read_certs(path)? {
        roots
            .add(c)
            .with_context(|| format!("use {} as a CA certificate", path.display()))?;
    }
    Ok(roots)
}

/// The system's trusted roots (rustls-native-certs: the distribution's bundle,
/// `SSL_CERT_FILE`/`SSL_CERT_DIR` honoured).
fn system_roots() -> RootCertStore {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(found.certs);
    log::debug!(
        "tls: {added} system roots loaded, {ignored} unusable, {} errors",
        found.errors.len()
    );
    roots
}

fn webpki(
    roots: RootCertStore,
    provider: &Arc<rustls::crypto::CryptoProvider>,
) -> anyhow::Result<Arc<WebPkiServerVerifier>> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(provider))
        .build()
        .map_err(|bad| anyhow!("{bad}"))
}

/// Build the client side.
pub fn client_config(opts: &ClientTlsOpts) -> anyhow::Result<ClientTls> {
    let provider = super::provider();
    let trust = if let Some(ca) = &opts.ca {
        let roots = roots_from(ca)?;
        Trust::Roots {
            verifier: webpki(roots, &provider)?,
            label: format!("--ca {}", ca.display()),
        }
    } else {
        let system = system_roots();
        let usable = !system.is_empty();
        let verifier = usable.then(|| webpki(system, &provider)).transpose()?;
        match (opts.pin, opts.insecure, verifier) {
            (Some(pin), _, roots) => Trust::Pin { pin, roots },
            (None, true, roots) => Trust::Insecure { roots },
            (None, false, Some(verifier)) => Trust::Roots {
                verifier,
                label: "the system roots".into(),
            },
            (None, false, None) => bail!(
                "no trusted root certificates found on this system \
                 (install ca-certificates, or pass --ca FILE, --pin SHA256 or --insecure)"
            ),
        }
    };
    let verifier = Arc::new(Verifier::new(trust, Arc::clone(&provider)));
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(VERSIONS)
        .context("TLS versions")?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone());
    let mut config = match (&opts.cert, &opts.key) {
        (Some(cert), Some(key)) => {
            let id = Identity::from_pem_files(cert, key)?;
            builder
                .with_client_auth_cert(id.chain, id.key)
                .map_err(|bad| mismatch(Some(cert), Some(key), &bad))?
        }
        _ => builder.with_no_client_auth(),
    };
    config.alpn_protocols = alpn(&opts.alpn)?;
    config.key_log = Arc::new(rustls::KeyLogFile::new());
    Ok(ClientTls {
        config: Arc::new(config),
        verifier,
        sni: opts.sni.clone(),
    })
}

/// `--alpn h2,http/1.1` as the wire wants it.
fn alpn(protos: &[String]) -> anyhow::Result<Vec<Vec<u8>>> {
    protos
        .iter()
        .map(|p| {
            if p.is_empty() || p.len() > 255 {
                bail!("--alpn: {p:?} is not a protocol name (1 to 255 bytes, e.g. h2 or http/1.1)")
            }
            Ok(p.as_bytes().to_vec())
        })
        .collect()
}

/// What a TLS server was asked to do.
#[derive(Debug, Clone)]
pub struct ServerTlsOpts {
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// Require client certificates issued by these CAs.
    pub client_ca: Option<PathBuf>,
    /// Application protocols accepted, in our order of preference.
    pub alpn: Vec<String>,
    /// Hand the records to the kernel after the handshake.
    pub ktls: bool,
    /// A connection whose handshake is not done this long after it opened is closed.
    pub handshake_timeout: Duration,
}

impl Default for ServerTlsOpts {
    fn default() -> Self {
        ServerTlsOpts {
            cert: None,
            key: None,
            client_ca: None,
            alpn: Vec::new(),
            ktls: false,
            handshake_timeout: Duration::from_secs(10),
        }
    }
}

/// `--cert` and `--key` that rustls will not pair, said with both file names.
fn mismatch(cert: Option<&Path>, key: Option<&Path>, bad: &rustls::Error) -> anyhow::Error {
    let files = match (cert, key) {
        (Some(c), Some(k)) => format!("--cert {} and --key {}", c.display(), k.display()),
        _ => "the certificate and its key".into(),
    };
    match bad {
        rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => {
            anyhow!("{files} do not belong together: the key is not the certificate's")
        }
        other => anyhow!("{files} cannot be used together: {other}"),
    }
}

/// A server's TLS, ready: the config and what the `listening on` line says of it.
#[derive(Debug, Clone)]
pub struct ServerTls {
    pub config: Arc<ServerConfig>,
    pub fingerprint: Fingerprint,
    pub self_signed: bool,
    pub opts: ServerTlsOpts,
    /// Client certificates are required.
    pub client_auth: bool,
}

impl ServerTls {
    /// Load `--cert/--key`, or make a self-signed certificate for `names`.
    pub fn new(opts: &ServerTlsOpts, names: &[String]) -> anyhow::Result<ServerTls> {
        let id = match (&opts.cert, &opts.key) {
            (Some(c), Some(k)) => Identity::from_pem_files(c, k)?,
            _ => super::selfsigned::generate(names)?,
        };
        ServerTls::from_identity(id, opts)
    }

    /// A server config around `id`.
    pub fn from_identity(id: Identity, opts: &ServerTlsOpts) -> anyhow::Result<ServerTls> {
        let provider = super::provider();
        let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_protocol_versions(VERSIONS)
            .context("TLS versions")?;
        let builder = match &opts.client_ca {
            Some(ca) => {
                let roots = Arc::new(roots_from(ca)?);
                let v = WebPkiClientVerifier::builder_with_provider(roots, provider)
                    .build()
                    .map_err(|bad| anyhow!("--client-ca {}: {bad}", ca.display()))?;
                builder.with_client_cert_verifier(v)
            }
            None => builder.with_no_client_auth(),
        };
        let (fingerprint, self_signed) = (id.fingerprint, id.self_signed);
        let mut config = builder
            .with_single_cert(id.chain, id.key)
            .map_err(|bad| mismatch(opts.cert.as_deref(), opts.key.as_deref(), &bad))?;
        config.alpn_protocols = alpn(&opts.alpn)?;
        config.key_log = Arc::new(rustls::KeyLogFile::new());
        // Kernel TLS needs the traffic secrets once the handshake is done.
        config.enable_secret_extraction = opts.ktls;
        Ok(ServerTls {
            config: Arc::new(config),
            fingerprint,
            self_signed,
            client_auth: opts.client_ca.is_some(),
            opts: opts.clone(),
        })
    }

    /// The note beside `listening on`: what a client must know to trust us.
    pub fn note(&self) -> String {
        let origin = if self.self_signed {
            "self-signed certificate"
        } else {
            "certificate"
        };
        let mut note = format!("TLS, {origin} sha256 {}", self.fingerprint);
        if self.client_auth {
            note.push_str(", client certificates required");
        }
        note
    }

    /// The `tls` object of the JSON `listening` record.
    pub fn json(&self) -> Value {
        json!({
            "sha256": self.fingerprint.to_string(), "self_signed": self.self_signed,
            "client_auth": self.client_auth, "ktls": self.opts.ktls,
            "alpn": self.opts.alpn,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpn_names_are_checked() {
        assert_eq!(alpn(&["h2".into()]).unwrap(), [b"h2".to_vec()]);
        assert!(
            alpn(&[String::new()])
                .unwrap_err()
                .to_string()
                .contains("--alpn")
        );
    }

    #[test]
    fn server_names_for_sni() {
        let c = client_config(&ClientTlsOpts {
            insecure: true,
            ..Default::default()
        })
        .unwrap();
        assert!(matches!(
            c.server_name("127.0.0.1").unwrap(),
            rustls::pki_types::ServerName::IpAddress(_)
        ));
        assert!(matches!(
            c.server_name("[::1]").unwrap(),
            rustls::pki_types::ServerName::IpAddress(_)
        ));
        assert!(c.server_name("not a name!").is_err());
        let c = ClientTls {
            sni: Some("example.org".into()),
            ..c
        };
        assert_eq!(c.server_name("127.0.0.1").unwrap().to_str(), "example.org");
    }

    #[test]
    fn a_self_signed_server_says_so() {
        let s = ServerTls::new(&ServerTlsOpts::default(), &["localhost".into()]).unwrap();
        assert!(s.self_signed);
        assert!(s.note().starts_with("TLS, self-signed certificate sha256 "));
        assert_eq!(s.json()["sha256"], s.fingerprint.to_string());
    }
}
