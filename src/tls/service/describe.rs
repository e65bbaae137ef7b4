//! A rustls error in words for the server's log.

/// A rustls error in words for the server's log.
pub fn describe(err: &rustls::Error) -> String {
    use rustls::{Error, InvalidMessage};
    match err {
        Error::InvalidMessage(InvalidMessage::InvalidContentType)
        | Error::InvalidMessage(InvalidMessage::UnknownProtocolVersion) => {
            "the peer's bytes are not TLS records (plain text sent to a TLS port?)".into()
        }
        Error::NoCertificatesPresented => {
            "the client sent no certificate, and --client-ca requires one".into()
        }
        Error::InvalidCertificate(bad) => {
            format!("the peer's certificate is not acceptable: {bad:?}")
        }
        Error::AlertReceived(a) => format!("the peer sent the fatal alert {a:?}"),
        Error::PeerIncompatible(p) => format!("nothing in common with the peer: {p:?}"),
        Error::NoApplicationProtocol => {
            "no application protocol in common (ALPN: see --alpn)".into()
        }
        Error::InappropriateHandshakeMessage { got_type, .. } => {
            format!("unexpected handshake message {got_type:?} (renegotiation is not supported)")
        }
        other => other.to_string(),
    }
}
