//! TLS: the layer that turns a byte stream into an authenticated, encrypted one —
//! what `ncat --ssl`, `socat OPENSSL:` and `openssl s_client`/`s_server` do — built on
//! rustls (with the *ring* provider), which is itself sans-IO: records in, plaintext
//! out, plaintext in, records out. So TLS is a layer, not a transport of its own:
//!
//! ```text
//!   driver (any engine) ── records ──► Tls<S> (a Service) ── plaintext ──► S (echo, HTTP, …)
//!                       ◄─ records ──  encrypts S's Outbox ◄─ Outbox ────
//!   client relay ──► TlsStream (a net::stream::Stream over the socket)
//! ```
//!
//! * [`session`]: the record layer both sides share — feed received bytes, take
//!   plaintext, hand plaintext in, take records out (and the `--explain` steps).
//! * [`service`]: [`Tls`](service::Tls), a [`Service`](crate::engine::service::Service)
//!   wrapping any service, and its factory; every engine drives it unchanged. File
//!   ranges of the inner outbox are read in bounded chunks and encrypted as the outbox
//!   drains; with `--ktls` the kernel takes over record encryption after the
//!   handshake and file ranges go out with `sendfile(2)` again ([`ktls`]).
//! * [`stream`]: the blocking-style client and listener side for the netcat relay and
//!   the heartbeat client: handshake with a deadline, then a non-blocking stream.
//! * [`config`], [`cert`], [`selfsigned`], [`verify`]: certificates from PEM files or
//!   made on the spot (rcgen), the checks a client makes, and what they found in
//!   plain words; [`report`] turns a finished handshake into the block `-v` prints.
//! * [`records`]: the TLS record framing (5-byte headers), read without decrypting:
//!   what `--explain` shows and where kernel TLS may take over.

pub mod cert;
pub mod config;
pub mod ktls;
pub mod records;
pub mod report;
pub mod selfsigned;
pub mod service;
pub mod session;
pub mod stream;
pub mod verify;

pub use cert::Fingerprint;
pub use config::{ClientTlsOpts, ServerTls, ServerTlsOpts};
pub use service::{Tls, TlsFactory};
pub use session::Session;
pub use stream::TlsStream;

/// The one crypto provider every config is built with (*ring*: it builds with the C
/// compiler Debian ships, no cmake or Go).
pub fn provider() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
    std::sync::Arc::new(rustls::crypto::ring::default_provider())
}
