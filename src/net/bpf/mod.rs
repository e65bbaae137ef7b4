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
//! This file holds the instructions and a small assembler (labels, forward jumps);
//! [`filter`] builds nettool's capture program with it ([`CaptureFilter::compile`]),
//! beside the same rule in Rust ([`CaptureFilter::matches`]) for packets already
//! queued when the filter is replaced and for the tests that check one against the
//! other.

pub mod filter;

pub use filter::{CaptureFilter, Conversation, EndPattern, PacketMeta, unmap};

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
pub(crate) const LD: u16 = libc::BPF_LD as u16;
pub(crate) const LDX: u16 = libc::BPF_LDX as u16;
pub(crate) const JMP: u16 = libc::BPF_JMP as u16;
pub(crate) const RET: u16 = libc::BPF_RET as u16;
pub(crate) const W: u16 = libc::BPF_W as u16;
pub(crate) const H: u16 = libc::BPF_H as u16;
pub(crate) const B: u16 = libc::BPF_B as u16;
pub(crate) const ABS: u16 = libc::BPF_ABS as u16;
pub(crate) const IND: u16 = libc::BPF_IND as u16;
pub(crate) const IMM: u16 = libc::BPF_IMM as u16;
pub(crate) const MSH: u16 = libc::BPF_MSH as u16;
pub(crate) const JA: u16 = libc::BPF_JA as u16;
pub(crate) const JEQ: u16 = libc::BPF_JEQ as u16;
pub(crate) const JSET: u16 = libc::BPF_JSET as u16;
pub(crate) const K: u16 = libc::BPF_K as u16;

/// `ld #anc`: an ancillary load of an `sk_buff` field (filter.rst, "SKF_AD_*").
pub(crate) const fn ancillary(field: i32) -> u32 {
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
pub(crate) struct Label(usize);

pub(crate) enum Op {
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
pub(crate) struct Asm {
    ops: Vec<Op>,
    /// Where each label points (an index into `ops`), once bound.
    at: Vec<Option<usize>>,
}

impl Asm {
    pub(crate) fn new() -> Asm {
        Asm {
            ops: Vec::new(),
            at: Vec::new(),
        }
    }

    pub(crate) fn label(&mut self) -> Label {
        self.at.push(None);
        Label(self.at.len() - 1)
    }

    pub(crate) fn bind(&mut self, l: Label) {
        self.at[l.0] = Some(self.ops.len());
    }

    pub(crate) fn op(&mut self, code: u16, k: u32) {
        self.ops.push(Op::Plain(Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }));
    }

    pub(crate) fn jump(&mut self, code: u16, k: u32, t: Label, f: Label) {
        self.ops.push(Op::Jump { code, k, t, f });
    }

    pub(crate) fn always(&mut self, to: Label) {
        self.ops.push(Op::Always(to));
    }

    /// Resolve labels into relative offsets. Classic BPF jumps forward by at most 255
    /// instructions; the filters built here stay far below that.
    pub(crate) fn finish(self) -> Result<Vec<Insn>, String> {
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
