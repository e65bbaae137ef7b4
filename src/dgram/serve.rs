//! `udp serve`: a UDP echo server on one *unconnected* socket.
//!
//! Unlike TCP there is no accept and no per-client socket: every datagram arrives on
//! the same socket with its sender's address (`recvfrom(2)`), and the reply goes back
//! with `sendto(2)` to that address. So one socket talks to any number of peers at
//! once — ncat's UDP listen mode, which locks onto the first peer, is the counter
//! example. Each datagram is labelled with its sender in `-v` logs and `--json`.
//! Batches: up to 64 datagrams in with `recvmmsg(2)`, their echoes out with one
//! `sendmmsg(2)`.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::Instant;

use serde_json::json;
use socket2::Socket;

use super::recv::{Flow, RecvLimits, receive_loop};
use super::tap::DgramTap;
use crate::net::dgram::batch::{RecvBatch, send_many};
use crate::net::dgram::socket::MAX_PAYLOAD_V6;
use crate::net::signals::Shutdown;
use crate::output::{Level, Output};

/// What an echo server did, reported at shutdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EchoSummary {
    pub datagrams: u64,
    pub bytes: u64,
    pub peers: usize,
    pub send_errors: u64,
}

/// Echo every datagram to its sender until a signal (or `limits`) ends it.
pub fn echo_serve(
    sock: &Socket,
    limits: &RecvLimits,
    out: &Output,
    shutdown: &Shutdown,
    tap: &DgramTap,
) -> anyhow::Result<EchoSummary> {
    let start = Instant::now();
    // Room for the largest datagram of either family: an echo is never cut.
    let mut batch = RecvBatch::new(64, MAX_PAYLOAD_V6 + 1);
    let mut peers: HashSet<SocketAddr> = HashSet::new();
    let mut s = EchoSummary::default();
    let mut kernel_drops = 0;
    let (_, _) = receive_loop(sock, &mut batch, limits, shutdown, tap, |b, n| {
        let dgrams = &b.datagrams()[..n];
        let mut payloads = Vec::with_capacity(n);
        let mut to = Vec::with_capacity(n);
        for (i, d) in dgrams.iter().enumerate() {
            let from = d.from.map_or("?".into(), |a| crate::net::addr::display(&a));
            if peers.len() < 1_000_000 {
                if let Some(a) = d.from {
                    peers.insert(a);
                }
            }
            s.datagrams += 1;
            s.bytes += d.len as u64;
            out.event(
                Level::Detail,
                "datagram",
                json!({"from": from, "len": d.len}),
                || {
                    format!(
                        "datagram from {from}, {}, echoed",
                        crate::text::plural(d.len as u64, "byte")
                    )
                },
            );
            if d.from.is_some() {
                payloads.push(b.payload(i));
                to.push(d.from);
            }
        }
        let mut done = 0;
        while done < payloads.len() {
            match send_many(sock, &payloads[done..], &to[done..], tap) {
                Ok(k) => done += k.max(1),
                Err(e) => {
                    // One peer's trouble (e.g. an unreachable address) is not the server's.
                    s.send_errors += 1;
                    log::info!("echo to {:?}: {}", to[done], crate::os_error::describe(&e));
                    done += 1;
                }
            }
        }
        if b.kernel_drops > kernel_drops {
            out.warn(&format!(
                "the kernel dropped {} datagram(s) for a full receive queue",
                b.kernel_drops - kernel_drops
            ));
            kernel_drops = b.kernel_drops;
        }
        Ok(Flow::Continue)
    })?;
    s.peers = peers.len();
    out.event(
        Level::Info,
        "summary",
        json!({"datagrams": s.datagrams, "bytes": s.bytes, "peers": s.peers,
               "send_errors": s.send_errors, "kernel_drops": kernel_drops,
               "duration_ms": start.elapsed().as_millis() as u64}),
        || {
            format!(
                "{} ({}) echoed to {}, {}, {} dropped by the kernel, in {}",
                crate::text::plural(s.datagrams, "datagram"),
                crate::text::plural(s.bytes, "byte"),
                crate::text::plural(s.peers as u64, "peer"),
                crate::text::plural(s.send_errors, "send error"),
                kernel_drops,
                crate::text::duration(start.elapsed())
            )
        },
    );
    Ok(s)
}
