//! The contract between an engine (how connections are multiplexed) and a service
//! (what is said on a connection).
//!
//! A service is sans-IO: the engine hands it the bytes that arrived and it appends
//! what to send to an [`Outbox`], then returns a [`Verdict`]. It never touches the
//! socket, so the same echo, HTTP or heartbeat code runs under fork, thread, select,
//! poll, epoll and the reactor. A file body is queued as a [`OutItem::File`] range so
//! engines can `sendfile(2)` it without reading it into memory.
//!
//! A service may also own an **upstream** connection ([`Service::upstream`]): the
//! engine then connects it (non-blocking, in the same loop as the client), and the
//! service sees bytes from both ends ([`Service::forward`]), each with the other end's
//! outbox to fill and its own to answer in — a relay, a proxy that rewrites on the
//! way, or a layer that frames one end (TLS answers the client's handshake while
//! passing its plaintext on to the upstream).
//!
//! Or the connections of one server may share a **hub** ([`ServiceFactory::hub`],
//! [`super::hub`]): our stdin and stdout, and messages to each other — a netcat
//! listener serving several clients at once. The service posts to the hub, and the
//! engine delivers what others posted ([`Service::on_message`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::hub::{Hub, HubMsg};
pub use super::outbox::{OUTBOX_HIGH_WATER, OutItem, Outbox};
use crate::net::peer::Peer;
use crate::net::upstream::Endpoint;

/// What the engine does with the connection after a service call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Keep reading and sending.
    Keep,
    /// Send what is queued, then `shutdown(SHUT_WR)`; keep reading until the peer closes.
    HalfClose,
    /// Send what is queued, then close.
    Close,
}

/// What a service learns about a new connection.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    /// Server-unique connection number, for logs.
    pub id: u64,
    /// Who connected: an inet address, or a Unix name with the peer's `SO_PEERCRED`.
    pub peer: Peer,
    /// Our own address.
    pub local: String,
    /// The connection's socket, for a layer that must set an option on it itself
    /// (kernel TLS hands the record keys over with `setsockopt`, see
    /// [`crate::net::ktls`]) — never for reading or writing, which stay the driver's.
    /// `None` where a driver has no plain descriptor to offer.
    pub fd: Option<std::os::fd::RawFd>,
}

#[cfg(test)]
impl ConnInfo {
    /// Connection `id` from 127.0.0.1:9, for the unit tests of services.
    pub(crate) fn loopback(id: u64) -> ConnInfo {
        ConnInfo {
            id,
            peer: Peer::from(std::net::SocketAddr::from(([127, 0, 0, 1], 9))),
            local: "127.0.0.1:7".into(),
            fd: None,
        }
    }
}

/// Where a service's upstream connection goes: the endpoints in the order to try
/// them (a refused or unreachable one gives way to the next), each attempt bounded by
/// `connect_timeout`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub targets: Vec<Endpoint>,
    pub connect_timeout: Option<Duration>,
}

/// Which end of a connection with an upstream some bytes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The peer that connected to us.
    Client,
    /// The connection the service asked for.
    Upstream,
}

/// How a service takes bytes from one end of a connection ([`Service::intake`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// Read on (as far as back-pressure allows).
    Open,
    /// Not now: the service could not pass them on yet (TLS cannot encrypt what the
    /// upstream sends before its handshake with the client is done; a hub's client
    /// while stdout, or the clients it feeds, are above the high-water mark). The end
    /// is read again once the service says so.
    Paused,
    /// The end's stream is over inside what was already forwarded, before its socket
    /// says so (TLS: the client's `close_notify`). The core treats it as that end's
    /// FIN: no more reads, and the other end's `shutdown(SHUT_WR)` once everything
    /// before it is sent. The service has already done what its
    /// [`forward_eof`](Service::forward_eof) would. Only on a connection with an
    /// upstream.
    Ended,
}

/// What happened to the upstream connection (for the service's log).
#[derive(Debug)]
pub enum UpstreamEvent<'a> {
    Connected(&'a Endpoint),
    /// Connecting to the endpoint failed; `next` says whether another is tried.
    Failed {
        to: &'a Endpoint,
        err: &'a std::io::Error,
        next: bool,
    },
}

/// One connection's protocol state machine.
pub trait Service: Send + 'static {
    /// Asked once, when the connection opens: the upstream this connection needs, if
    /// any. With one, the client's end of stream is passed on to the upstream (and the
    /// upstream's to the client) instead of going to [`on_eof`](Self::on_eof), and the
    /// connection ends when both directions have.
    fn upstream(&mut self) -> Option<Upstream> {
        None
    }

    /// Bytes arrived from `from` on a connection with an upstream; `to` is the other
    /// end's outbox, `back` the outbox of `from` itself (for what a layer must answer
    /// there: TLS's handshake records and alerts go back to the client while the
    /// plaintext goes on). By default they are passed on unchanged.
    fn forward(&mut self, _from: End, data: &[u8], to: &mut Outbox, _back: &mut Outbox) -> Verdict {
        to.push_bytes(data);
        Verdict::Keep
    }

    /// `from`'s end of stream was read on a connection with an upstream (`to`, `back`
    /// as for [`forward`](Self::forward)). The core passes it on as a
    /// `shutdown(SHUT_WR)` of the other end once `to` is sent, so what is queued here
    /// goes first (TLS: `close_notify` to the client after the upstream's FIN).
    fn forward_eof(&mut self, _from: End, _to: &mut Outbox, _back: &mut Outbox) -> Verdict {
        Verdict::Keep
    }

    /// Whether the service takes bytes from `from` now: asked by the core before it
    /// reads that end (the client on every connection, the upstream where there is
    /// one), and on a connection with an upstream after each
    /// [`forward`](Self::forward) to see whether the stream ended inside it.
    fn intake(&self, _from: End) -> Intake {
        Intake::Open
    }

    /// The upstream connected, or one attempt failed.
    fn on_upstream(&mut self, _event: UpstreamEvent<'_>) {}

    /// A message through the hub ([`ServiceFactory::hub`]): bytes for this
    /// connection (from stdin or another connection), or the end of stdin. By
    /// default the bytes are sent and the end is ignored.
    fn on_message(&mut self, msg: HubMsg<'_>, out: &mut Outbox) -> Verdict {
        if let HubMsg::Data(data) = msg {
            out.push_bytes(data);
        }
        Verdict::Keep
    }

    /// The connection opened; a service may greet.
    fn on_open(&mut self, _out: &mut Outbox) -> Verdict {
        Verdict::Keep
    }

    /// Bytes arrived (at least one).
    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict;

    /// Bytes arrived during an event-loop turn that reads every ready connection
    /// before answering any ([`ServiceFactory::batches`]): a service may keep them and
    /// answer in [`on_turn_end`](Self::on_turn_end). By default it answers at once.
    fn on_data_batched(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.on_data(data, out)
    }

    /// The turn's reads are done and [`ServiceFactory::before_answers`] has run:
    /// answer what [`on_data_batched`](Self::on_data_batched) kept.
    fn on_turn_end(&mut self, _out: &mut Outbox) -> Verdict {
        Verdict::Keep
    }

    /// The peer half-closed (read returned 0). The default closes once the outbox is sent.
    fn on_eof(&mut self, _out: &mut Outbox) -> Verdict {
        Verdict::Close
    }

    /// The outbox just became empty; a service that held back work (pipelined HTTP
    /// requests behind a large file) may queue more now.
    fn on_flushed(&mut self, _out: &mut Outbox) -> Verdict {
        Verdict::Keep
    }

    /// Whether the service still holds output it will queue from
    /// [`on_flushed`](Self::on_flushed) — even after it asked to close or half-close.
    /// A layer that turns a large item into output piece by piece (TLS reads a file
    /// range a bounded chunk at a time and encrypts it) says so, and the connection
    /// core asks it for more each time the outbox drains, applying the verdict only
    /// once this is false. While it is true, the outbox must not be empty.
    fn holds_output(&self) -> bool {
        false
    }

    /// Whether a failed read of the socket means only that the peer will send nothing
    /// more (treated as end of stream, [`on_eof`](Self::on_eof)) rather than a broken
    /// connection. A layer that handed the record layer to the kernel (kernel TLS)
    /// says so for `EIO`: the kernel's way to report a record it does not decrypt for
    /// us, such as the peer's `close_notify`.
    fn read_error_is_eof(&self, _err: &std::io::Error) -> bool {
        false
    }

    /// A deadline independent of traffic (e.g. HTTP's header timeout against
    /// slowloris). The engine closes the connection once it has passed.
    fn deadline(&self) -> Option<Instant> {
        None
    }

    /// The connection is gone (any reason); last chance to log. `out` says how much
    /// was sent ([`Outbox::sent_total`]); what it still held is dropped.
    fn on_close(&mut self, _out: &Outbox) {}
}

/// Makes one [`Service`] per connection; shared by all engine threads.
pub trait ServiceFactory: Send + Sync + 'static {
    type Service: Service;

    fn open(&self, info: &ConnInfo) -> Self::Service;

    /// Bytes sent (best effort) to a connection refused because the server is at
    /// `--max-connections`, before closing it (HTTP answers 503).
    fn refusal(&self) -> Option<&[u8]> {
        None
    }

    /// Whether the event loops should read every ready connection before answering
    /// any: they then call [`before_answers`](Self::before_answers) once and
    /// [`Service::on_turn_end`] per connection. HTTP does, so that its cache reads the
    /// inotify queue once per turn instead of once per request, and still after every
    /// request it answers was read. Engines without turns (fork, thread, the reactor)
    /// never batch.
    fn batches(&self) -> bool {
        false
    }

    /// Called once per batching turn, after the reads and before the answers.
    fn before_answers(&self) {}

    /// Called once, before the first connection, with what the engine can do: a
    /// factory whose connections share live state turns it off where they would not
    /// really share it (HTTP's cache under fork).
    fn adapt(&self, _caps: &super::Capabilities) {}

    /// Whether the services ask for upstream connections ([`Service::upstream`]): an
    /// engine that cannot carry a second socket per connection refuses to serve them.
    fn owns_upstream(&self) -> bool {
        false
    }

    /// The hub the connections share, if they do: the engine then watches stdin and
    /// stdout beside the sockets and delivers posts (see [`super::hub`]). Only the
    /// single-threaded event loops can; the others refuse such a factory.
    fn hub(&self) -> Option<&Arc<Hub>> {
        None
    }
}
