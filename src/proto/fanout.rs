//! A netcat listener's client among others (`listen -k`, as ncat serves them): what
//! the client sends goes to our stdout — or, as ncat's `--broker`, to every other
//! client instead — and what comes through the hub (our stdin) goes to the client.
//!
//! Semantics follow ncat 7.9x: stdin is read only while a client is connected (what
//! it held before waits for the first one) and is sent to every client connected
//! when it is read; its end half-closes every client (later ones at once) unless
//! `--no-shutdown` or `-d`; a client's end of stream ends that client only. Under
//! `--broker` nothing reaches stdout (ncat's broker prints nothing either) and a
//! client's bytes reach only the clients connected at that moment.

use std::sync::Arc;

use crate::engine::hub::{Hub, HubMsg};
use crate::engine::service::{ConnInfo, End, Intake, Outbox, Service, ServiceFactory, Verdict};
use crate::net::relay::RecordFn;

/// How every client of the listener is served.
#[derive(Debug, Clone, Copy, Default)]
pub struct FanOutOpts {
    /// `--broker`: a client's bytes go to the other clients, not to stdout.
    pub broker: bool,
    /// `--send-only`: what clients send is read and dropped.
    pub discard: bool,
    /// Half-close each client once stdin has ended (not with `-d`, `--no-shutdown`).
    pub half_close: bool,
    /// `--json`: stdout gets a `data` record per read instead of the bytes, printed
    /// at once like every other record (whole lines never interleave).
    pub as_record: Option<RecordFn>,
}

/// Opens a [`Party`] per client, all on one hub.
pub struct FanOutFactory {
    hub: Arc<Hub>,
    opts: FanOutOpts,
}

impl FanOutFactory {
    pub fn new(hub: Arc<Hub>, opts: FanOutOpts) -> FanOutFactory {
        FanOutFactory { hub, opts }
    }
}

impl ServiceFactory for FanOutFactory {
    type Service = Party;

    fn open(&self, info: &ConnInfo) -> Party {
        Party {
            id: info.id,
            peer: info.peer.to_string(),
            hub: Arc::clone(&self.hub),
            opts: self.opts,
        }
    }

    fn hub(&self) -> Option<&Arc<Hub>> {
        Some(&self.hub)
    }
}

/// One client of the listener (see the module docs).
pub struct Party {
    id: u64,
    peer: String,
    hub: Arc<Hub>,
    opts: FanOutOpts,
}

impl Party {
    fn at_input_end(&self) -> Verdict {
        if self.opts.half_close {
            Verdict::HalfClose
        } else {
            Verdict::Keep
        }
    }
}

impl Service for Party {
    fn on_open(&mut self, _out: &mut Outbox) -> Verdict {
        if self.hub.stdin_ended() {
            self.at_input_end()
        } else {
            Verdict::Keep
        }
    }

    fn on_data(&mut self, data: &[u8], _out: &mut Outbox) -> Verdict {
        if self.opts.broker {
            self.hub.to_others(Some(self.id), data);
        } else if self.opts.discard {
        } else if let Some(record) = self.opts.as_record {
            self.hub.print_line(&record("data", Some(&self.peer), data));
        } else {
            self.hub.to_stdout(data);
        }
        Verdict::Keep
    }

    fn on_message(&mut self, msg: HubMsg<'_>, out: &mut Outbox) -> Verdict {
        match msg {
            HubMsg::Data(data) => {
                out.push_bytes(data);
                Verdict::Keep
            }
            HubMsg::InputEnded => self.at_input_end(),
        }
    }

    /// What the client sends has nowhere to go while the clients it feeds
    /// (`--broker`) or stdout are full.
    fn intake(&self, _from: End) -> Intake {
        let full = if self.opts.broker {
            self.hub.congested()
        } else {
            self.hub.stdout_full()
        };
        if full { Intake::Paused } else { Intake::Open }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::core::ConnCore;
    use crate::engine::hub::HubOpts;

    fn send_all(o: &mut Outbox) -> std::io::Result<crate::engine::conn::Flush> {
        o.consume(o.queued_bytes());
        Ok(crate::engine::conn::Flush::Done)
    }

    fn factory(opts: FanOutOpts, read_stdin: bool) -> FanOutFactory {
        let hub = Hub::new(HubOpts {
            read_stdin,
            crlf: false,
        });
        FanOutFactory::new(Arc::new(hub), opts)
    }

    #[test]
    fn clients_write_to_stdout_and_get_stdin() {
        let opts = FanOutOpts {
            half_close: true,
            ..FanOutOpts::default()
        };
        let f = factory(opts, true);
        let mut c = ConnCore::open(f.open(&ConnInfo::loopback(1)));
        c.on_data(b"up");
        assert!(f.hub.with_stdout(|o| o.queued_bytes()) == 2);
        assert!(f.hub.take_posts().is_empty(), "not to the others");
        c.on_message(HubMsg::Data(b"down"));
        assert_eq!(c.queued_bytes(), 4);
        c.on_message(HubMsg::InputEnded);
        let mut shut = 0;
        c.flush(send_all, || shut += 1);
        assert_eq!(
            (shut, c.finished()),
            (1, None),
            "half-closed, still reading"
        );
        c.on_eof();
        c.flush(send_all, || shut += 1);
        assert!(c.finished().is_some(), "the client's end ends it");
    }

    #[test]
    fn a_broker_posts_to_the_others_and_pauses_when_they_are_full() {
        let opts = FanOutOpts {
            broker: true,
            half_close: true,
            ..FanOutOpts::default()
        };
        let f = factory(opts, false);
        let mut c = ConnCore::open(f.open(&ConnInfo::loopback(7)));
        c.on_data(b"hi");
        let posts = f.hub.take_posts();
        assert_eq!(
            (posts[0].from, posts[0].data.as_slice()),
            (Some(7), &b"hi"[..])
        );
        assert!(!f.hub.stdout_pending(), "a broker prints nothing");
        f.hub.set_congested(true);
        assert!(!c.wants_read());
        f.hub.set_congested(false);
        assert!(c.wants_read());
        // stdin not read: the client is half-closed from the start.
        let mut shut = 0;
        c.flush(send_all, || shut += 1);
        assert_eq!(shut, 1);
    }
}
