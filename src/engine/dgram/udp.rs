//! UDP (IPv4 and IPv6) under the datagram loop: up to [`BATCH`] datagrams in with one
//! `recvmmsg(2)`, their replies out with as few `sendmmsg(2)` calls as it takes
//! ([`crate::net::dgram::batch`] wraps both calls).
//!
//! The socket is unconnected, so every datagram carries its sender (`recvfrom`
//! semantics) and every reply names its destination. An unconnected UDP socket hears
//! nothing of ICMP errors (Linux reports them only on connected sockets, or with
//! `IP_RECVERR`), so an unreachable peer costs nothing but a lost reply; what a send
//! does report (`ENETUNREACH`, `EAGAIN` with the send buffer full) fails that one reply.

use std::io;
use std::net::SocketAddr;

use socket2::Socket;

use crate::net::trace::Closing;

use super::service::Replies;
use super::{SendReport, Transport};
use crate::net::dgram::batch::{RecvBatch, send_many};
use crate::net::dgram::socket::MAX_PAYLOAD_V6;
use crate::net::peer::{Peer, UnixName};

/// Datagrams per `recvmmsg(2)`.
pub const BATCH: usize = 64;

/// A bound UDP socket, made non-blocking, with its receive batch.
pub struct Udp {
    /// Closed through the trace layer when the server stops.
    sock: Closing<Socket>,
    batch: RecvBatch,
    /// Per reply of the batch being sent: its destination and the datagram it answers
    /// (kept between batches so sending allocates nothing).
    to: Vec<Option<SocketAddr>>,
    whom: Vec<usize>,
}

impl Udp {
    /// Take over a bound UDP socket.
    pub fn new(sock: Socket) -> io::Result<Udp> {
        sock.set_nonblocking(true)?;
        Ok(Udp {
            sock: Closing::new(sock),
            // Room for the largest datagram of either family: nothing is ever cut.
            batch: RecvBatch::new(BATCH, MAX_PAYLOAD_V6 + 1),
            to: Vec::with_capacity(BATCH),
            whom: Vec::with_capacity(BATCH),
        })
    }
}

impl Transport for Udp {
    const RECV_CALL: &'static str = "recvmmsg";

    fn socket(&self) -> &Socket {
        &self.sock
    }

    fn recv(&mut self) -> io::Result<usize> {
        self.batch.recv(&self.sock, BATCH, &())
    }

    fn batch(&self) -> usize {
        BATCH
    }

    fn datagram(&self, i: usize) -> (Peer, &[u8], usize) {
        let d = self.batch.datagrams()[i];
        let peer = match d.from {
            Some(a) => Peer::Inet(a),
            // Not seen for UDP; a sender without an address cannot be answered.
            None => Peer::Unix {
                name: UnixName::Unnamed,
                cred: None,
            },
        };
        (peer, self.batch.payload(i), d.len)
    }

    fn send(&mut self, replies: &Replies, done: &mut SendReport<'_>) {
        let dgrams = self.batch.datagrams();
        let (to, whom) = (&mut self.to, &mut self.whom);
        to.clear();
        whom.clear();
        let mut payloads = Vec::with_capacity(replies.len());
        for (i, bytes) in replies.iter() {
            match dgrams[i].from {
                Some(a) => {
                    payloads.push(bytes);
                    to.push(Some(a));
                    whom.push(i);
                }
                None => done(i, bytes, Err(no_address())),
            }
        }
        let mut at = 0;
        while at < payloads.len() {
            match send_many(&self.sock, &payloads[at..], &to[at..], &()) {
                Ok(n) if n > 0 => {
                    for k in at..at + n {
                        done(whom[k], payloads[k], Ok(()));
                    }
                    at += n;
                }
                // One destination's trouble fails that reply; the rest still go.
                Ok(_) => {
                    done(whom[at], payloads[at], Err(io::ErrorKind::WriteZero.into()));
                    at += 1;
                }
                Err(e) => {
                    done(whom[at], payloads[at], Err(e));
                    at += 1;
                }
            }
        }
    }

    fn kernel_drops(&self) -> u32 {
        self.batch.kernel_drops
    }
}

fn no_address() -> io::Error {
    io::Error::other("the sender has no address to answer")
}
