//! nettool's capture filter: which packets a `stat --packets` or a client's `--packets`
//! keeps (TCP and/or UDP, a family, conversations between ends), compiled to classic
//! BPF for the kernel and written out again as the same rule in Rust.

use std::net::{IpAddr, Ipv6Addr};

use super::*;
use crate::net::Family;

/// One end of a conversation: an address, a port, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndPattern {
    pub ip: Option<IpAddr>,
    pub port: Option<u16>,
}

impl EndPattern {
    pub fn port(port: u16) -> EndPattern {
        EndPattern {
            ip: None,
            port: Some(port),
        }
    }

    pub fn addr(addr: std::net::SocketAddr) -> EndPattern {
        EndPattern {
            ip: Some(unmap(addr.ip())),
            port: Some(addr.port()),
        }
    }

    pub fn matches(&self, ip: IpAddr, port: u16) -> bool {
        self.ip.is_none_or(|want| want == unmap(ip)) && self.port.is_none_or(|p| p == port)
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) travels as IPv4.
pub fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Packets between two ends, in either direction; with `b` unset, packets to or from `a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conversation {
    pub a: EndPattern,
    pub b: Option<EndPattern>,
}

/// What a capture keeps. Packets sent on a loopback device are always dropped: the
/// kernel hands a packet socket each loopback packet twice, once leaving
/// (`PACKET_OUTGOING`) and once arriving, and the arriving copy is the one kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureFilter {
    pub tcp: bool,
    pub udp: bool,
    pub family: Family,
    /// Keep a packet that belongs to any of these; none = every packet.
    pub conversations: Vec<Conversation>,
    /// Bytes of each packet to copy (headers are all nettool reads).
    pub snaplen: u32,
}

/// The facts about a packet that a filter decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketMeta {
    /// `PACKET_OUTGOING` on a loopback device: the duplicate to skip.
    pub loopback_outgoing: bool,
    pub tcp: bool,
    pub src: (IpAddr, u16),
    pub dst: (IpAddr, u16),
}

impl CaptureFilter {
    /// The rule, in Rust: what [`compile`](Self::compile)'s program keeps.
    pub fn matches(&self, p: &PacketMeta) -> bool {
        if p.loopback_outgoing || !(if p.tcp { self.tcp } else { self.udp }) {
            return false;
        }
        let v4 = p.src.0.is_ipv4();
        if (v4 && self.family == Family::V6) || (!v4 && self.family == Family::V4) {
            return false;
        }
        self.conversations.is_empty()
            || self.conversations.iter().any(|c| {
                let (s, d) = (p.src, p.dst);
                match c.b {
                    None => c.a.matches(s.0, s.1) || c.a.matches(d.0, d.1),
                    Some(b) => {
                        (c.a.matches(s.0, s.1) && b.matches(d.0, d.1))
                            || (b.matches(s.0, s.1) && c.a.matches(d.0, d.1))
                    }
                }
            })
    }

    /// The classic BPF program for a `SOCK_DGRAM` packet socket, whose packets start at
    /// the network header (no link header, whatever the interface). Conditional jumps
    /// reach at most 255 instructions, so they only go to nearby labels (a local
    /// `ret #0`, or a `ja` that goes on further).
    pub fn compile(&self) -> Result<Vec<Insn>, String> {
        let mut a = Asm::new();
        let (accept, v4, v6) = (a.label(), a.label(), a.label());
        let (outgoing, proto) = (a.label(), a.label());
        a.op(LD | W | ABS, AD_PKTTYPE);
        a.jump(JMP | JEQ | K, PACKET_OUTGOING, outgoing, proto);
        a.bind(outgoing);
        a.op(LD | W | ABS, AD_HATYPE);
        let dup = a.label();
        a.jump(JMP | JEQ | K, ARPHRD_LOOPBACK, dup, proto);
        a.bind(dup);
        a.op(RET | K, 0);

        a.bind(proto);
        a.op(LD | W | ABS, AD_PROTOCOL);
        let (is_v4, not_v4, is_v6, other) = (a.label(), a.label(), a.label(), a.label());
        a.jump(JMP | JEQ | K, ETH_P_IP, is_v4, not_v4);
        a.bind(is_v4);
        if self.family == Family::V6 {
            a.op(RET | K, 0);
        } else {
            a.always(v4);
        }
        a.bind(not_v4);
        a.jump(JMP | JEQ | K, ETH_P_IPV6, is_v6, other);
        a.bind(is_v6);
        if self.family == Family::V4 {
            a.op(RET | K, 0);
        } else {
            a.always(v6);
        }
        a.bind(other);
        a.op(RET | K, 0);

        a.bind(v4);
        if self.family != Family::V6 {
            a.op(LD | B | ABS, 9); // ip->protocol
            self.transport_check(&mut a);
            a.op(LD | H | ABS, 6); // flags + fragment offset
            let (later, first) = (a.label(), a.label());
            a.jump(JMP | JSET | K, 0x1fff, later, first);
            a.bind(later);
            a.op(RET | K, 0); // a later fragment: no ports to read
            a.bind(first);
            a.op(LDX | B | MSH, 0); // X = 4 * (ip[0] & 0xf), the header length
            self.conversation_checks(&mut a, true, accept);
        }
        a.bind(v6);
        if self.family != Family::V4 {
            a.op(LD | B | ABS, 6); // ip6->nexthdr (extension headers are not followed)
            self.transport_check(&mut a);
            a.op(LDX | W | IMM, 40);
            self.conversation_checks(&mut a, false, accept);
        }
        a.bind(accept);
        a.op(RET | K, self.snaplen);
        a.finish()
    }

    /// A holds the IP protocol number: go on for TCP/UDP as asked, else drop.
    fn transport_check(&self, a: &mut Asm) {
        let (ok, no) = (a.label(), a.label());
        match (self.tcp, self.udp) {
            (true, true) => {
                let udp = a.label();
                a.jump(JMP | JEQ | K, 6, ok, udp);
                a.bind(udp);
                a.jump(JMP | JEQ | K, 17, ok, no);
            }
            (true, false) => a.jump(JMP | JEQ | K, 6, ok, no),
            (false, true) => a.jump(JMP | JEQ | K, 17, ok, no),
            (false, false) => a.always(no),
        }
        a.bind(no);
        a.op(RET | K, 0);
        a.bind(ok);
    }

    /// X holds the transport header's offset. Try each conversation; the first that
    /// matches accepts, and when none does the packet is dropped.
    fn conversation_checks(&self, a: &mut Asm, v4: bool, accept: Label) {
        if self.conversations.is_empty() {
            a.always(accept);
            return;
        }
        let src = Side { v4, src: true };
        let dst = Side { v4, src: false };
        for c in &self.conversations {
            // Each way the conversation can sit in the packet: a as source or as
            // destination (and b on the other side).
            let ways: Vec<Vec<(Side, EndPattern)>> = match c.b {
                None => vec![vec![(src, c.a)], vec![(dst, c.a)]],
                Some(b) => vec![vec![(src, c.a), (dst, b)], vec![(src, b), (dst, c.a)]],
            };
            for way in ways {
                let fail = a.label();
                if way.iter().all(|(side, pat)| side.can_match(pat)) {
                    for (side, pat) in way {
                        side.check(a, &pat, fail);
                    }
                    a.always(accept);
                }
                a.bind(fail);
            }
        }
        a.op(RET | K, 0);
    }
}

/// The source or destination half of an IPv4 or IPv6 packet's addressing.
#[derive(Debug, Clone, Copy)]
struct Side {
    v4: bool,
    src: bool,
}

impl Side {
    /// An address of the other family can never match in this block.
    fn can_match(&self, pat: &EndPattern) -> bool {
        pat.ip.is_none_or(|ip| ip.is_ipv4() == self.v4)
    }

    /// Emit the comparisons for `pat`, jumping to `fail` at the first that differs.
    fn check(&self, a: &mut Asm, pat: &EndPattern, fail: Label) {
        let eq = |a: &mut Asm, k: u32| {
            let ok = a.label();
            a.jump(JMP | JEQ | K, k, ok, fail);
            a.bind(ok);
        };
        match pat.ip {
            Some(IpAddr::V4(ip)) => {
                a.op(LD | W | ABS, if self.src { 12 } else { 16 });
                eq(a, u32::from(ip));
            }
            Some(IpAddr::V6(ip)) => {
                let base = if self.src { 8 } else { 24 };
                for (i, word) in v6_words(ip).into_iter().enumerate() {
                    a.op(LD | W | ABS, base + 4 * i as u32);
                    eq(a, word);
                }
            }
            None => {}
        }
        if let Some(port) = pat.port {
            a.op(LD | H | IND, if self.src { 0 } else { 2 });
            eq(a, u32::from(port));
        }
    }
}

fn v6_words(ip: Ipv6Addr) -> [u32; 4] {
    let o = ip.octets();
    std::array::from_fn(|i| {
        u32::from_be_bytes([o[4 * i], o[4 * i + 1], o[4 * i + 2], o[4 * i + 3]])
    })
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
