//! One captured packet, read: the IP header (v4 or v6) for the addresses and the true
//! length, then the TCP header — ports, sequence and acknowledgement numbers, flags,
//! window, options — or the UDP header. Headers are sliced by `etherparse`, in its lax
//! mode, because a capture keeps only each packet's first bytes: the payload is cut
//! off, and its length comes from the IP header, not from what was copied.
//!
//! [`parse`] is a pure function (bytes in, a [`Packet`] or a [`ParseError`] out) with
//! no state and no I/O, so a fuzzer can call it directly.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use etherparse::{LaxNetSlice, LaxSlicedPacket, TcpOptionElement, TransportSlice};
use serde_json::{Value, json};

/// A packet's addresses and its TCP segment or UDP datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Tcp(Segment),
    /// A UDP datagram: its payload length.
    Udp {
        len: u32,
    },
}

/// The parts of a TCP header (RFC 9293 §3.1) that the packet view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub seq: u32,
    pub ack: u32,
    pub flags: Flags,
    /// The 16-bit window field, before any scaling.
    pub window: u16,
    pub options: Vec<TcpOption>,
    /// Bytes of data the segment carries (from the IP length, not the captured bytes).
    pub payload_len: u32,
}

#[cfg(test)]
impl Segment {
    /// A segment with no data and no options, window 100 (for tests).
    pub fn bare(seq: u32, ack: u32, flags: u8) -> Segment {
        Segment {
            seq,
            ack,
            flags: Flags(flags),
            window: 100,
            options: Vec::new(),
            payload_len: 0,
        }
    }
}

/// The TCP control bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags(pub u8);

impl Flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
    pub fn syn(self) -> bool {
        self.has(Self::SYN)
    }
    pub fn ack(self) -> bool {
        self.has(Self::ACK)
    }
    pub fn fin(self) -> bool {
        self.has(Self::FIN)
    }
    pub fn rst(self) -> bool {
        self.has(Self::RST)
    }

    /// The names of the bits set, in the order people say them (SYN-ACK, FIN-ACK,
    /// PSH-ACK: ACK last).
    pub fn names(self) -> Vec<&'static str> {
        const ORDER: [(u8, &str); 8] = [
            (Flags::SYN, "SYN"),
            (Flags::FIN, "FIN"),
            (Flags::RST, "RST"),
            (Flags::PSH, "PSH"),
            (Flags::URG, "URG"),
            (Flags::ECE, "ECE"),
            (Flags::CWR, "CWR"),
            (Flags::ACK, "ACK"),
        ];
        ORDER
            .iter()
            .filter(|(bit, _)| self.has(*bit))
            .map(|(_, n)| *n)
            .collect()
    }
}

impl fmt::Display for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.names();
        if names.is_empty() {
            return f.write_str("none");
        }
        f.write_str(&names.join("-"))
    }
}

/// A TCP option (RFC 9293 §3.2; window scale and timestamps RFC 7323, SACK RFC 2018).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcpOption {
    /// Maximum segment size: the largest segment the sender wants to receive.
    Mss(u16),
    /// Window scale: the sender's windows are to be shifted left by this much.
    WindowScale(u8),
    SackPermitted,
    /// Selective acknowledgement: blocks of data received beyond the ACK.
    Sack(Vec<(u32, u32)>),
    Timestamps {
        val: u32,
        ecr: u32,
    },
    /// An option etherparse does not know; reading stops there.
    Unknown(u8),
    /// An option cut short or with a wrong length; reading stops there.
    Malformed(u8),
}

impl TcpOption {
    /// The option in words, as the packet view prints it.
    pub fn words(&self) -> String {
        match self {
            TcpOption::Mss(m) => format!("MSS {m}"),
            TcpOption::WindowScale(s) => format!("window scale {s} (×{})", 1u32 << (*s).min(14)),
            TcpOption::SackPermitted => "SACK-permitted".into(),
            TcpOption::Sack(blocks) => {
                let b: Vec<String> = blocks.iter().map(|(l, r)| format!("{l}-{r}")).collect();
                format!("SACK {}", b.join(" "))
            }
            TcpOption::Timestamps { val, ecr } => format!("timestamps val {val} ecr {ecr}"),
            TcpOption::Unknown(k) => format!("option {k}"),
            TcpOption::Malformed(k) => format!("malformed option {k}"),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            TcpOption::Mss(m) => json!({"kind": "mss", "value": m}),
            TcpOption::WindowScale(s) => json!({"kind": "window_scale", "shift": s}),
            TcpOption::SackPermitted => json!({"kind": "sack_permitted"}),
            TcpOption::Sack(blocks) => json!({"kind": "sack", "blocks": blocks}),
            TcpOption::Timestamps { val, ecr } => {
                json!({"kind": "timestamps", "val": val, "ecr": ecr})
            }
            TcpOption::Unknown(k) => json!({"kind": "unknown", "id": k}),
            TcpOption::Malformed(k) => json!({"kind": "malformed", "id": k}),
        }
    }
}

/// Why a packet could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not an IP packet ({0})")]
    NotIp(String),
    #[error("a fragment (the ports are in the first one)")]
    Fragment,
    #[error("IP protocol {0}, neither TCP nor UDP")]
    OtherProtocol(u8),
    #[error("cut short in the {0} header")]
    Truncated(&'static str),
}

/// Read an IP packet (starting at its IPv4 or IPv6 header, as a cooked packet socket
/// delivers it), of which `bytes` may be only the first part.
pub fn parse(bytes: &[u8]) -> Result<Packet, ParseError> {
    let sliced = LaxSlicedPacket::from_ip(bytes).map_err(|e| ParseError::NotIp(e.to_string()))?;
    let (src_ip, dst_ip, ip_payload_len, payload) = match &sliced.net {
        Some(LaxNetSlice::Ipv4(v4)) => {
            let h = v4.header();
            let len = u32::from(h.total_len()).saturating_sub(u32::from(h.ihl()) * 4);
            (
                IpAddr::V4(h.source_addr()),
                IpAddr::V4(h.destination_addr()),
                len,
                v4.payload(),
            )
        }
        Some(LaxNetSlice::Ipv6(v6)) => {
            let h = v6.header();
            let exts = v6.extensions().slice().len() as u32;
            let len = u32::from(h.payload_length()).saturating_sub(exts);
            (
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                len,
                v6.payload(),
            )
        }
        Some(LaxNetSlice::Arp(_)) | None => return Err(ParseError::NotIp("no IP header".into())),
    };
    if payload.fragmented {
        return Err(ParseError::Fragment);
    }
    let proto = payload.ip_number.0;
    match (&sliced.transport, proto) {
        (Some(TransportSlice::Tcp(tcp)), _) => {
            let header_len = u32::from(tcp.data_offset()) * 4;
            let seg = Segment {
                seq: tcp.sequence_number(),
                ack: tcp.acknowledgment_number(),
                flags: Flags(tcp.header_slice()[13]),
                window: tcp.window_size(),
                options: options(tcp),
                payload_len: ip_payload_len.saturating_sub(header_len),
            };
            Ok(Packet {
                src: SocketAddr::new(src_ip, tcp.source_port()),
                dst: SocketAddr::new(dst_ip, tcp.destination_port()),
                body: Body::Tcp(seg),
            })
        }
        (Some(TransportSlice::Udp(udp)), _) => Ok(Packet {
            src: SocketAddr::new(src_ip, udp.source_port()),
            dst: SocketAddr::new(dst_ip, udp.destination_port()),
            body: Body::Udp {
                len: u32::from(udp.length()).saturating_sub(8),
            },
        }),
        (_, 6) => Err(ParseError::Truncated("TCP")),
        (_, 17) => Err(ParseError::Truncated("UDP")),
        (_, other) => Err(ParseError::OtherProtocol(other)),
    }
}

fn options(tcp: &etherparse::TcpSlice<'_>) -> Vec<TcpOption> {
    let mut out = Vec::new();
    for opt in tcp.options_iterator() {
        out.push(match opt {
            Ok(TcpOptionElement::Noop) => continue,
            Ok(TcpOptionElement::MaximumSegmentSize(m)) => TcpOption::Mss(m),
            Ok(TcpOptionElement::WindowScale(s)) => TcpOption::WindowScale(s),
            Ok(TcpOptionElement::SelectiveAcknowledgementPermitted) => TcpOption::SackPermitted,
            Ok(TcpOptionElement::SelectiveAcknowledgement(first, rest)) => TcpOption::Sack(
                std::iter::once(first)
                    .chain(rest.into_iter().flatten())
                    .collect(),
            ),
            Ok(TcpOptionElement::Timestamp(val, ecr)) => TcpOption::Timestamps { val, ecr },
            Err(etherparse::TcpOptionReadError::UnknownId(k)) => TcpOption::Unknown(k),
            Err(etherparse::TcpOptionReadError::UnexpectedEndOfSlice { option_id, .. })
            | Err(etherparse::TcpOptionReadError::UnexpectedSize { option_id, .. }) => {
                TcpOption::Malformed(option_id)
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::{PacketBuilder, TcpOptionElement as E};

    fn syn_v4() -> Vec<u8> {
        let mut out = Vec::new();
        PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 1], 64)
            .tcp(51234, 7007, 1_000_000, 65495)
            .syn()
            .options(&[
                E::MaximumSegmentSize(65495),
                E::SelectiveAcknowledgementPermitted,
                E::Timestamp(7, 0),
                E::Noop,
                E::WindowScale(7),
            ])
            .unwrap()
            .write(&mut out, &[])
            .unwrap();
        out
    }

    #[test]
    fn a_syn_reads_with_its_options_in_words() {
        let p = parse(&syn_v4()).unwrap();
        assert_eq!(p.src, "127.0.0.1:51234".parse().unwrap());
        assert_eq!(p.dst, "127.0.0.1:7007".parse().unwrap());
        let Body::Tcp(s) = p.body else { panic!("tcp") };
        assert_eq!(
            (s.seq, s.flags.to_string(), s.window),
            (1_000_000, "SYN".into(), 65495)
        );
        let words: Vec<String> = s.options.iter().map(TcpOption::words).collect();
        assert_eq!(
            words,
            [
                "MSS 65495",
                "SACK-permitted",
                "timestamps val 7 ecr 0",
                "window scale 7 (×128)"
            ]
        );
    }

    #[test]
    fn the_payload_length_comes_from_the_ip_header_when_the_capture_is_cut() {
        let mut out = Vec::new();
        PacketBuilder::ipv6([0; 16], [0; 16], 64)
            .tcp(1, 2, 5, 100)
            .ack(9)
            .psh()
            .write(&mut out, &[b'x'; 1000])
            .unwrap();
        let p = parse(&out[..128]).unwrap();
        let Body::Tcp(s) = p.body else { panic!("tcp") };
        assert_eq!(
            (s.payload_len, s.flags.to_string(), s.ack),
            (1000, "PSH-ACK".into(), 9)
        );
    }

    #[test]
    fn udp_datagrams_and_refusals() {
        let mut out = Vec::new();
        PacketBuilder::ipv4([127, 0, 0, 1], [127, 0, 0, 2], 64)
            .udp(5353, 9999)
            .write(&mut out, b"hello")
            .unwrap();
        assert_eq!(parse(&out).unwrap().body, Body::Udp { len: 5 });
        assert!(matches!(parse(&[]), Err(ParseError::NotIp(_))));
        assert!(matches!(
            parse(&syn_v4()[..30]),
            Err(ParseError::Truncated("TCP"))
        ));
    }

    #[test]
    fn flag_words() {
        let f = |bits| Flags(bits).to_string();
        assert_eq!(f(Flags::SYN | Flags::ACK), "SYN-ACK");
        assert_eq!(f(Flags::FIN | Flags::PSH | Flags::ACK), "FIN-PSH-ACK");
        assert_eq!(f(Flags::RST), "RST");
        assert_eq!(f(0), "none");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn never_panics_on_mangled_syns(i in 0usize..60, b in proptest::num::u8::ANY, cut in 0usize..60) {
            let mut p = syn_v4();
            let i = i % p.len();
            p[i] = b;
            let keep = p.len() - cut.min(p.len());
            let _ = parse(&p[..keep]);
        }
    }
}
