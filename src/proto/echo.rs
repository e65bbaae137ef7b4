//! Echo (RFC 862): every byte received is sent back, in order. After the client
//! half-closes, what is queued still goes out, then the server closes — so
//! `printf data | nettool tcp-echo connect` prints `data` and exits.

use crate::engine::service::{ConnInfo, Outbox, Service, ServiceFactory, Verdict};

/// One echo connection: no state at all beyond the engine's outbox.
#[derive(Debug, Default)]
pub struct Echo;

impl Service for Echo {
    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        out.push_bytes(data);
        Verdict::Keep
    }
}

/// Makes an [`Echo`] per connection.
#[derive(Debug, Default)]
pub struct EchoFactory;

impl ServiceFactory for EchoFactory {
    type Service = Echo;

    fn open(&self, _info: &ConnInfo) -> Echo {
        Echo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_and_closes_after_eof() {
        let mut e = Echo;
        let mut out = Outbox::default();
        assert_eq!(e.on_data(b"hi", &mut out), Verdict::Keep);
        assert_eq!(out.queued_bytes(), 2);
        assert_eq!(e.on_eof(&mut out), Verdict::Close);
    }
}
