//! Classic BPF, the packet filter of tcpdump (`SO_ATTACH_FILTER`, see socket(7) and the
//! kernel's Documentation/networking/filter.rst): a tiny program the kernel runs on
//! every packet before a packet socket copies it. It returns how many bytes to keep —
//! 0 drops the packet — so a capture pays only for what it shows.
//!
//! A program here is a list of [`Insn`]s with two registers (A, the accumulator, and X,
//! the index) and forward jumps only, so it always ends. Loads read the packet at an
//! absolute offset (`ld [12]`), at X plus an offset (`ldh [x+2]`, for the TCP/UDP ports
//! after an IPv4 header of variable length), or an "ancillary" field of the kernel's
//! `sk_buff` at `SKF_AD_OFF + n` (the EtherType, the packet type, the link type).
//!
//! [`CaptureFilter::compile`] builds the program for nettool's capture; the same
//! filter's [`CaptureFilter::matches`] is the rule in Rust, for packets already queued
//! when the filter is replaced and for the tests that check one against the other.

use std::net::{IpAddr, Ipv6Addr};

use crate::net::Family;

/// One classic BPF instruction (`struct sock_filter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

impl Insn {
    pub fn to_sock_filter(self) -> socket2::SockFilter {
        socket2::SockFilter::new(self.code, self.jt, self.jf, self.k)
    }
}

// Instruction classes and modes (linux/bpf_common.h), as u16 opcodes.
const LD: u16 = libc::BPF_LD as u16;
const LDX: u16 = libc::BPF_LDX as u16;
const JMP: u16 = libc::BPF_JMP as u16;
const RET: u16 = libc::BPF_RET as u16;
const W: u16 = libc::BPF_W as u16;
const H: u16 = libc::BPF_H as u16;
const B: u16 = libc::BPF_B as u16;
const ABS: u16 = libc::BPF_ABS as u16;
const IND: u16 = libc::BPF_IND as u16;
const IMM: u16 = libc::BPF_IMM as u16;
const MSH: u16 = libc::BPF_MSH as u16;
const JA: u16 = libc::BPF_JA as u16;
const JEQ: u16 = libc::BPF_JEQ as u16;
const JSET: u16 = libc::BPF_JSET as u16;
const K: u16 = libc::BPF_K as u16;

/// `ld #anc`: an ancillary load of an `sk_buff` field (filter.rst, "SKF_AD_*").
const fn ancillary(field: i32) -> u32 {
    (libc::SKF_AD_OFF + field) as u32
}
pub const AD_PROTOCOL: u32 = ancillary(libc::SKF_AD_PROTOCOL);
pub const AD_PKTTYPE: u32 = ancillary(libc::SKF_AD_PKTTYPE);
pub const AD_HATYPE: u32 = ancillary(libc::SKF_AD_HATYPE);

pub const ETH_P_IP: u32 = 0x0800;
pub const ETH_P_IPV6: u32 = 0x86dd;
pub const PACKET_OUTGOING: u32 = libc::PACKET_OUTGOING as u32;
pub const ARPHRD_LOOPBACK: u32 = libc::ARPHRD_LOOPBACK as u32;

/// A jump target, bound to a position with [`Asm::bind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Label(usize);

enum Op {
    Plain(Insn),
    /// A conditional jump: `code` with `k`, to `t` when true, `f` when false.
    Jump {
        code: u16,
        k: u32,
        t: Label,
        f: Label,
    },
    /// `ja`: always jump (its offset is the 32-bit `k`).
    Always(Label),
}

/// A two-pass assembler: instructions and labels in, offsets resolved at the end.
struct Asm {
    ops: Vec<Op>,
    /// Where each label points (an index into `ops`), once bound.
    at: Vec<Option<usize>>,
}

impl Asm {
    fn new() -> Asm {
        Asm {
            ops: Vec::new(),
            at: Vec::new(),
        }
    }

    fn label(&mut self) -> Label {
        self.at.push(None);
        Label(self.at.len() - 1)
    }

    fn bind(&mut self, l: Label) {
        self.at[l.0] = Some(self.ops.len());
    }

    fn op(&mut self, code: u16, k: u32) {
        self.ops.push(Op::Plain(Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }));
    }

    fn jump(&mut self, code: u16, k: u32, t: Label, f: Label) {
        self.ops.push(Op::Jump { code, k, t, f });
    }

    fn always(&mut self, to: Label) {
        self.ops.push(Op::Always(to));
    }

    /// Resolve labels into relative offsets. Classic BPF jumps forward by at most 255
    /// instructions; the filters built here stay far below that.
    fn finish(self) -> Result<Vec<Insn>, String> {
        let mut out = Vec::with_capacity(self.ops.len());
        for (i, op) in self.ops.iter().enumerate() {
            let dist = |l: Label| -> Result<usize, String> {
                let target = self.at[l.0].ok_or("a jump to an unbound label")?;
                target
                    .checked_sub(i + 1)
                    .ok_or_else(|| "a backward jump".to_string())
            };
            let short = |l: Label| -> Result<u8, String> {
                u8::try_from(dist(l)?).map_err(|_| "the filter is too long for BPF's jumps".into())
            };
            out.push(match *op {
                Op::Plain(insn) => insn,
                Op::Jump { code, k, t, f } => Insn {
                    code,
                    jt: short(t)?,
                    jf: short(f)?,
                    k,
                },
                Op::Always(l) => Insn {
                    code: JMP | JA,
                    jt: 0,
                    jf: 0,
                    k: dist(l)? as u32,
                },
            });
        }
        if out.len() > libc::BPF_MAXINSNS as usize {
            return Err("the filter is longer than BPF allows".into());
        }
        Ok(out)
    }
}

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
#[path = "bpf_tests.rs"]
mod tests;
