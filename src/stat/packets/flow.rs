//! Following a TCP connection through its segments: what each side's numbers mean.
//!
//! Each side picks a random initial sequence number (ISN) and announces it in its SYN;
//! every later sequence number counts bytes from there, and an acknowledgement number
//! is the next byte the acknowledging side expects. Shown relative to each side's ISN,
//! a handshake reads `seq 0` / `seq 0 ack 1` / `seq 1 ack 1`: the SYN uses up one
//! number, so the answer acknowledges ISN + 1. The window field is 16 bits; a side that
//! offers window scaling in its SYN (and whose peer offers it too) means every later
//! window to be shifted left by its scale — learnt from the SYN, it is applied here.
//!
//! The tracker also names what a segment is doing: a retransmission (bytes sent
//! before), a zero window (the receiver's buffer is full), a window probe (one byte or
//! none, sent into a zero window to learn when it opens), a keep-alive.

use std::collections::HashMap;
use std::net::SocketAddr;

use super::model::Model;
use super::parse::{Segment, TcpOption};
use crate::net::bpf::unmap;

/// Which side of the connection an end is, once the handshake has said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Sent the first SYN (active open).
    Client,
    /// Answered it with SYN-ACK (passive open).
    Server,
    /// The capture began after the handshake.
    Unknown,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Server => "server",
            Role::Unknown => "socket",
        }
    }
}

/// What is known about one end of a connection.
#[derive(Debug, Clone)]
pub struct End {
    pub addr: SocketAddr,
    pub role: Role,
    /// The initial sequence number, from its SYN (or guessed as one before the first
    /// byte seen when the capture began later).
    pub isn: Option<u32>,
    /// What its SYN said about window scaling: `None` before a SYN was seen,
    /// `Some(None)` for a SYN without the option.
    pub offered_scale: Option<Option<u8>>,
    /// One past the highest sequence number it has sent (SYN and FIN count one).
    pub next_seq: Option<u32>,
    /// The last window it advertised, scaled.
    pub window: Option<u32>,
    /// The sequence number of its FIN, and whether the peer has acknowledged it.
    pub fin_seq: Option<u32>,
    pub fin_acked: bool,
}

impl End {
    fn new(addr: SocketAddr, role: Role) -> End {
        End {
            addr,
            role,
            isn: None,
            offered_scale: None,
            next_seq: None,
            window: None,
            fin_seq: None,
            fin_acked: false,
        }
    }
}

/// `a < b` in sequence space (RFC 9293 §3.4: numbers wrap at 2^32).
pub fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// One connection: its two ends, `ends[0]` the first seen (the client when the SYN was).
#[derive(Debug, Clone)]
pub struct Conn {
    pub ends: [End; 2],
    pub reset: bool,
    /// Where each end is on the state diagram, as the segments say.
    pub model: Model,
    /// Whether sock_diag has listed each end's socket at least once.
    pub seen_by_kernel: [bool; 2],
}

impl Conn {
    /// Both FINs acknowledged, or a RST: nothing more will be said.
    pub fn finished(&self) -> bool {
        self.reset || self.ends.iter().all(|e| e.fin_acked)
    }

    /// The window scale in force for segments from `end`: known once both SYNs were
    /// seen, and 0 unless both offered it (RFC 7323 §2.2).
    pub fn scale(&self, end: usize) -> Option<u8> {
        match (
            self.ends[end].offered_scale,
            self.ends[1 - end].offered_scale,
        ) {
            (Some(Some(mine)), Some(Some(_))) => Some(mine.min(14)),
            (Some(_), Some(_)) => Some(0),
            _ => None,
        }
    }
}

/// The segment as the view shows it: numbers relative to the ISNs (unless absolute),
/// the window scaled, notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// Index of the sending end in [`Conn::ends`].
    pub from: usize,
    pub seq: u32,
    /// The acknowledgement number when the ACK bit is set.
    pub ack: Option<u32>,
    /// The window, shifted by the scale in force (SYNs are never scaled).
    pub window: u32,
    /// The shift applied; `None` when the handshake was not seen.
    pub scale: Option<u8>,
    pub notes: Vec<&'static str>,
    /// This segment is the first to acknowledge the receiver's FIN: proof that the
    /// sender has received that FIN.
    pub acked_fin: bool,
}

/// Every connection the capture has seen, by its pair of addresses.
#[derive(Debug, Default)]
pub struct Flows {
    conns: HashMap<(SocketAddr, SocketAddr), Conn>,
}

fn key(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    let (a, b) = (norm(a), norm(b));
    if a <= b { (a, b) } else { (b, a) }
}

/// Addresses compare as IPv4 whether a socket is IPv4 or an IPv6 one speaking IPv4.
pub fn norm(a: SocketAddr) -> SocketAddr {
    SocketAddr::new(unmap(a.ip()), a.port())
}

impl Flows {
    pub fn get(&self, a: SocketAddr, b: SocketAddr) -> Option<&Conn> {
        self.conns.get(&key(a, b))
    }

    pub fn get_mut(&mut self, a: SocketAddr, b: SocketAddr) -> Option<&mut Conn> {
        self.conns.get_mut(&key(a, b))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Conn> {
        self.conns.values()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Conn> {
        self.conns.values_mut()
    }

    /// Keep only the connections `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&Conn) -> bool) {
        self.conns.retain(|_, c| keep(c));
    }

    /// Account for one segment from `src` to `dst` and say how to show it.
    /// `absolute` keeps the raw sequence numbers.
    pub fn segment(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        seg: &Segment,
        absolute: bool,
    ) -> View {
        let (src, dst) = (norm(src), norm(dst));
        let fresh_syn = seg.flags.syn() && !seg.flags.ack();
        if fresh_syn {
            // A SYN on addresses whose last connection is over starts a new one.
            if let Some(old) = self.conns.get(&key(src, dst)) {
                let i = usize::from(old.ends[0].addr != src);
                if old.finished() || old.ends[i].isn.is_some_and(|isn| isn != seg.seq) {
                    self.conns.remove(&key(src, dst));
                }
            }
        }
        let conn = self.conns.entry(key(src, dst)).or_insert_with(|| {
            let (first, second) = match (seg.flags.syn(), seg.flags.ack()) {
                (true, false) => (Role::Client, Role::Server),
                (true, true) => (Role::Server, Role::Client),
                _ => (Role::Unknown, Role::Unknown),
            };
            Conn {
                ends: [End::new(src, first), End::new(dst, second)],
                reset: false,
                model: Model::default(),
                seen_by_kernel: [false; 2],
            }
        });
        let from = usize::from(conn.ends[0].addr != src);
        account(conn, from, seg, absolute)
    }
}

fn account(conn: &mut Conn, from: usize, seg: &Segment, absolute: bool) -> View {
    let f = seg.flags;
    let to = 1 - from;
    let mut notes = Vec::new();
    let seq_len = seg.payload_len + u32::from(f.syn()) + u32::from(f.fin());

    // Learn the ISN and the scale offer from a SYN; a SYN seen twice is resent.
    if f.syn() {
        let me = &mut conn.ends[from];
        if me.isn == Some(seg.seq) {
            notes.push("retransmission");
        }
        me.isn = Some(seg.seq);
        me.offered_scale = Some(seg.options.iter().find_map(|o| match o {
            TcpOption::WindowScale(s) => Some(*s),
            _ => None,
        }));
    } else if conn.ends[from].isn.is_none() {
        conn.ends[from].isn = Some(seg.seq.wrapping_sub(1));
    }
    if f.ack() && conn.ends[to].isn.is_none() {
        conn.ends[to].isn = Some(seg.ack.wrapping_sub(1));
    }

    let scale = if f.syn() { Some(0) } else { conn.scale(from) };
    let window = u32::from(seg.window) << scale.unwrap_or(0);
    let peer_window = conn.ends[to].window;

    // What the segment is doing, judged against what this side sent before.
    let me = &conn.ends[from];
    if let (Some(next), false) = (me.next_seq, f.syn() || f.rst()) {
        let end = seg.seq.wrapping_add(seq_len);
        let probe_like = seg.payload_len <= 1 && !f.fin();
        if probe_like
            && (seg.seq == next.wrapping_sub(1) || (seg.seq == next && seg.payload_len == 1))
        {
            if peer_window == Some(0) {
                notes.push("window probe");
            } else if seg.seq == next.wrapping_sub(1) {
                notes.push("keep-alive");
            }
        } else if seq_len > 0 && seq_lt(seg.seq, next) && !seq_lt(next, end) {
            notes.push("retransmission");
        } else if seq_len > 0 && seq_lt(seg.seq, next) {
            notes.push("partial retransmission");
        }
    }
    if window == 0 && !f.rst() {
        notes.push("zero window");
    }

    let me = &mut conn.ends[from];
    let end = seg.seq.wrapping_add(seq_len);
    if me.next_seq.is_none_or(|n| seq_lt(n, end)) {
        me.next_seq = Some(end);
    }
    if f.fin() {
        me.fin_seq = Some(seg.seq.wrapping_add(seg.payload_len));
    }
    me.window = Some(window);
    if f.rst() {
        conn.reset = true;
    }
    let peer = &mut conn.ends[to];
    let mut acked_fin = false;
    if let (true, Some(fin), false) = (f.ack(), peer.fin_seq, peer.fin_acked) {
        if !seq_lt(seg.ack, fin.wrapping_add(1)) {
            peer.fin_acked = true;
            acked_fin = true;
        }
    }

    let rel = |n: u32, isn: Option<u32>| {
        if absolute {
            n
        } else {
            n.wrapping_sub(isn.unwrap_or(0))
        }
    };
    View {
        from,
        seq: rel(seg.seq, conn.ends[from].isn),
        ack: f.ack().then(|| rel(seg.ack, conn.ends[to].isn)),
        window,
        scale: if f.syn() { None } else { scale },
        notes,
        acked_fin,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::Flags;
    use super::*;

    fn seg(seq: u32, ack: u32, flags: u8, window: u16, len: u32, opts: Vec<TcpOption>) -> Segment {
        Segment {
            seq,
            ack,
            flags: Flags(flags),
            window,
            options: opts,
            payload_len: len,
        }
    }

    const C: &str = "127.0.0.1:51234";
    const S: &str = "127.0.0.1:7007";
    const SYN: u8 = Flags::SYN;
    const ACK: u8 = Flags::ACK;
    const SA: u8 = Flags::SYN | Flags::ACK;
    const PA: u8 = Flags::PSH | Flags::ACK;

    fn handshake(f: &mut Flows) -> Vec<View> {
        let (c, s) = (C.parse().unwrap(), S.parse().unwrap());
        vec![
            f.segment(
                c,
                s,
                &seg(1000, 0, SYN, 65495, 0, vec![TcpOption::WindowScale(7)]),
                false,
            ),
            f.segment(
                s,
                c,
                &seg(5000, 1001, SA, 65483, 0, vec![TcpOption::WindowScale(7)]),
                false,
            ),
            f.segment(c, s, &seg(1001, 5001, ACK, 512, 0, vec![]), false),
        ]
    }

    #[test]
    fn a_handshake_reads_relative_to_each_isn() {
        let mut f = Flows::default();
        let v = handshake(&mut f);
        assert_eq!((v[0].seq, v[0].ack), (0, None));
        assert_eq!((v[1].seq, v[1].ack), (0, Some(1)));
        assert_eq!((v[2].seq, v[2].ack), (1, Some(1)));
        assert_eq!((v[2].window, v[2].scale), (512 << 7, Some(7)));
        assert_eq!(v[0].window, 65495, "a SYN's window is never scaled");
        let conn = f.get(C.parse().unwrap(), S.parse().unwrap()).unwrap();
        assert_eq!(
            (conn.ends[0].role, conn.ends[1].role),
            (Role::Client, Role::Server)
        );
    }

    #[test]
    fn resent_data_zero_windows_and_probes_are_named() {
        let mut f = Flows::default();
        handshake(&mut f);
        let (c, s) = (C.parse().unwrap(), S.parse().unwrap());
        let first = f.segment(c, s, &seg(1001, 5001, PA, 512, 100, vec![]), false);
        assert!(first.notes.is_empty());
        let again = f.segment(c, s, &seg(1001, 5001, PA, 512, 100, vec![]), false);
        assert_eq!(again.notes, ["retransmission"]);
        let full = f.segment(s, c, &seg(5001, 1101, ACK, 0, 0, vec![]), false);
        assert_eq!(full.notes, ["zero window"]);
        let probe = f.segment(c, s, &seg(1100, 5001, ACK, 512, 0, vec![]), false);
        assert_eq!(probe.notes, ["window probe"]);
        let open = f.segment(s, c, &seg(5001, 1101, ACK, 8, 0, vec![]), false);
        assert!(open.notes.is_empty());
        let ka = f.segment(c, s, &seg(1100, 5001, ACK, 512, 0, vec![]), false);
        assert_eq!(ka.notes, ["keep-alive"]);
    }

    #[test]
    fn fins_count_one_and_their_acks_finish_the_connection() {
        let mut f = Flows::default();
        handshake(&mut f);
        let (c, s) = (C.parse().unwrap(), S.parse().unwrap());
        f.segment(
            c,
            s,
            &seg(1001, 5001, Flags::FIN | ACK, 512, 0, vec![]),
            false,
        );
        let ack = f.segment(s, c, &seg(5001, 1002, ACK, 512, 0, vec![]), false);
        assert_eq!(ack.ack, Some(2));
        f.segment(
            s,
            c,
            &seg(5001, 1002, Flags::FIN | ACK, 512, 0, vec![]),
            false,
        );
        assert!(!f.get(c, s).unwrap().finished());
        f.segment(c, s, &seg(1002, 5002, ACK, 512, 0, vec![]), false);
        assert!(f.get(c, s).unwrap().finished());
        // A new SYN on the same addresses is a new connection.
        let v = f.segment(c, s, &seg(9000, 0, SYN, 65495, 0, vec![]), false);
        assert_eq!(v.seq, 0);
        assert!(!f.get(c, s).unwrap().finished());
    }

    #[test]
    fn a_capture_begun_mid_stream_guesses_the_isns_and_not_the_scale() {
        let mut f = Flows::default();
        let (c, s) = (C.parse().unwrap(), S.parse().unwrap());
        let v = f.segment(c, s, &seg(77, 99, PA, 100, 10, vec![]), false);
        assert_eq!((v.seq, v.ack, v.scale), (1, Some(1), None));
        let abs = f.segment(c, s, &seg(87, 99, PA, 100, 10, vec![]), true);
        assert_eq!((abs.seq, abs.ack), (87, Some(99)));
    }
}
