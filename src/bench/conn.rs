//! One load-generator connection as a small state machine over a non-blocking socket.
//!
//! Every byte a connection sends comes from a fixed pseudo-random [`Pattern`] at a
//! per-connection starting point, so the byte expected back at stream offset `o` is
//! known without keeping a copy of what was sent: an echo that drops, reorders or
//! changes a byte is caught at the first wrong offset.
//!
//! Request/response mode keeps `pipeline` messages of `size` bytes in flight: each
//! fully echoed message releases the next one and yields one latency sample. Bulk mode
//! streams `total` bytes, half-closes, and expects exactly `total` bytes back and EOF.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::time::Instant;

use socket2::Socket;

use crate::net::trace::{self, Closing};

/// The length of the pattern's period: a prime, so the pattern does not line up with
/// message sizes.
const PERIOD: usize = 65_521;

/// A repeating pseudo-random byte sequence, stored twice over so any window of up to
/// `PERIOD` bytes is one contiguous slice.
pub struct Pattern {
    bytes: Vec<u8>,
}

impl Default for Pattern {
    fn default() -> Self {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut bytes: Vec<u8> = (0..PERIOD)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        bytes.extend_from_within(..);
        Pattern { bytes }
    }
}

impl Pattern {
    /// Up to `max` bytes of the pattern starting at stream offset `off`.
    pub fn window(&self, off: u64, max: usize) -> &[u8] {
        let start = (off % PERIOD as u64) as usize;
        &self.bytes[start..start + max.min(PERIOD)]
    }

    /// How many leading bytes of `got` match the pattern from offset `off`.
    pub fn matching_prefix(&self, mut off: u64, got: &[u8]) -> usize {
        let mut checked = 0;
        while checked < got.len() {
            let want = self.window(off, got.len() - checked);
            let have = &got[checked..checked + want.len()];
            if let Some(i) = have.iter().zip(want).position(|(a, b)| a != b) {
                return checked + i;
            }
            checked += want.len();
            off += want.len() as u64;
        }
        checked
    }
}

/// What a connection is asked to do.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// Keep `pipeline` messages of `size` bytes in flight until told to stop.
    Echo { size: u64, pipeline: u64 },
    /// Send `total` bytes, half-close, read `total` bytes back and EOF.
    Bulk { total: u64 },
}

/// Why a connection stopped counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A byte came back that was never sent at that offset.
    Mismatch,
    /// The server closed or reset the connection before the work was done.
    Disconnected,
}

/// What one I/O turn produced.
#[derive(Debug, Default)]
pub struct Turn {
    pub round_trips: u64,
    pub bytes: u64,
}

pub struct Conn {
    /// Closed through the trace layer (`--explain` shows each connection's close).
    pub sock: Closing<Socket>,
    work: Work,
    /// Where this connection's stream starts in the pattern.
    base: u64,
    sent: u64,
    /// Bytes allowed out so far (grows as messages complete in echo mode).
    limit: u64,
    received: u64,
    /// Issue times of the messages in flight (echo mode).
    in_flight: VecDeque<Instant>,
    write_closed: bool,
    pub done: bool,
    pub fault: Option<Fault>,
}

impl Conn {
    pub fn new(sock: Socket, index: usize, work: Work) -> Conn {
        let now = Instant::now();
        let (limit, in_flight) = match work {
            Work::Echo { size, pipeline } => {
                (size * pipeline, (0..pipeline).map(|_| now).collect())
            }
            Work::Bulk { total } => (total, VecDeque::new()),
        };
        Conn {
            sock: Closing::new(sock),
            work,
            base: (index as u64).wrapping_mul(7919),
            sent: 0,
            limit,
            received: 0,
            in_flight,
            write_closed: false,
            done: false,
            fault: None,
        }
    }

    /// Restart the in-flight clocks (called when the measured run begins).
    pub fn start_clock(&mut self, now: Instant) {
        self.in_flight.iter_mut().for_each(|t| *t = now);
    }

    /// Echo messages issued whose echo has not fully come back.
    pub fn awaiting(&self) -> u64 {
        match self.work {
            Work::Echo { .. } => self.in_flight.len() as u64,
            Work::Bulk { .. } => 0,
        }
    }

    pub fn active(&self) -> bool {
        !self.done && self.fault.is_none()
    }

    /// Write what the window allows, until the socket would block.
    pub fn pump_write(&mut self, pattern: &Pattern) {
        while self.active() && self.sent < self.limit {
            let want = (self.limit - self.sent).min(64 * 1024) as usize;
            let chunk = pattern.window(self.base + self.sent, want);
            match (&*self.sock).write(chunk) {
                Ok(n) => self.sent += n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(_) => {
                    self.fault = Some(Fault::Disconnected);
                    return;
                }
            }
        }
        if let Work::Bulk { total } = self.work
            && self.sent == total
            && !self.write_closed
        {
            self.write_closed = true;
            let _ = trace::shutdown(&self.sock, std::net::Shutdown::Write);
        }
    }

    /// Read until the socket would block, checking every byte; `latency` receives one
    /// sample (in nanoseconds) per completed message. `peer_closed`: the event said
    /// the peer shut down (EPOLLRDHUP/EPOLLHUP).
    pub fn pump_read(
        &mut self,
        pattern: &Pattern,
        buf: &mut [u8],
        peer_closed: bool,
        stopping: bool,
        mut latency: impl FnMut(u64),
    ) -> Turn {
        let mut turn = Turn::default();
        while self.active() {
            let n = match (&*self.sock).read(buf) {
                Ok(0) => {
                    match self.work {
                        Work::Bulk { total } if self.received == total => self.done = true,
                        _ => self.fault = Some(Fault::Disconnected),
                    }
                    break;
                }
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(_) => {
                    self.fault = Some(Fault::Disconnected);
                    break;
                }
            };
            let got = &buf[..n];
            // Bytes beyond what was sent, or different from it, are corruption.
            let ok = pattern.matching_prefix(self.base + self.received, got);
            if ok < n || self.received + n as u64 > self.sent {
                self.fault = Some(Fault::Mismatch);
                break;
            }
            self.received += n as u64;
            turn.bytes += n as u64;
            if let Work::Echo { size, .. } = self.work {
                let now = Instant::now();
                let completed = self.received / size;
                let issued = self.limit / size;
                let mut outstanding = issued - completed;
                while self.in_flight.len() as u64 > outstanding {
                    if let Some(t) = self.in_flight.pop_front() {
                        latency(now.saturating_duration_since(t).as_nanos() as u64);
                        turn.round_trips += 1;
                    }
                    if !stopping {
                        self.limit += size;
                        self.in_flight.push_back(now);
                        outstanding += 1;
                    }
                }
            }
            // A short read took everything the socket had; any later arrival raises a
            // new edge, so the extra read that would only return EAGAIN is skipped
            // (nginx does the same). Not when the peer's FIN was already reported:
            // that EOF raises no new edge and must be read now.
            if n < buf.len() && !peer_closed {
                break;
            }
        }
        turn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_windows_wrap_around_the_period() {
        let p = Pattern::default();
        let w = p.window(PERIOD as u64 - 2, 4);
        assert_eq!(w.len(), 4);
        assert_eq!(w[2..], p.window(0, 2)[..]);
    }

    #[test]
    fn matching_prefix_finds_the_first_wrong_byte() {
        let p = Pattern::default();
        let mut data: Vec<u8> = p.window(100, 70_000).to_vec();
        data.extend_from_slice(p.window(100 + data.len() as u64, 10_000));
        assert_eq!(p.matching_prefix(100, &data), data.len());
        data[PERIOD + 5] ^= 1;
        assert_eq!(p.matching_prefix(100, &data), PERIOD + 5);
    }

    #[test]
    fn echo_mode_counts_round_trips_and_detects_corruption() {
        let p = Pattern::default();
        let (a, b) = Socket::pair(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap();
        a.set_nonblocking(true).unwrap();
        let mut c = Conn::new(
            a,
            3,
            Work::Echo {
                size: 8,
                pipeline: 2,
            },
        );
        c.pump_write(&p);
        let mut wire = [0u8; 16];
        (&b).read_exact(&mut wire).unwrap();
        // Echo the first message faithfully: one round trip, one more message released.
        (&b).write_all(&wire[..8]).unwrap();
        let mut buf = [0u8; 64];
        let mut samples = 0;
        let t = c.pump_read(&p, &mut buf, false, false, |_| samples += 1);
        assert_eq!((t.round_trips, t.bytes, samples), (1, 8, 1));
        assert_eq!(c.limit, 24);
        // Corrupt the second one.
        wire[9] ^= 0xff;
        (&b).write_all(&wire[8..]).unwrap();
        c.pump_read(&p, &mut buf, false, false, |_| {});
        assert_eq!(c.fault, Some(Fault::Mismatch));
    }

    #[test]
    fn bulk_sees_eof_queued_behind_the_last_bytes() {
        let p = Pattern::default();
        let (a, b) = Socket::pair(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap();
        a.set_nonblocking(true).unwrap();
        let mut c = Conn::new(a, 0, Work::Bulk { total: 100 });
        c.pump_write(&p);
        let mut wire = [0u8; 100];
        (&b).read_exact(&mut wire).unwrap();
        // The echo and the FIN arrive together: the short read must not end the turn.
        (&b).write_all(&wire).unwrap();
        drop(b);
        let mut buf = [0u8; 4096];
        let t = c.pump_read(&p, &mut buf, true, false, |_| {});
        assert_eq!(t.bytes, 100);
        assert!(c.done && c.fault.is_none());
    }
}
