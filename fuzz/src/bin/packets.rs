//! The `stat --packets` parser (`stat::packets::parse`): any bytes as a captured
//! packet (starting at its IPv4 or IPv6 header, as a cooked packet socket gives it,
//! possibly cut short by the capture length).
//!
//! Invariants: a packet read is of the family its version nibble says; for IPv4
//! without options and for IPv6 without extension headers, the ports, sequence and
//! acknowledgement numbers, flags and window are the bytes at their offsets (read
//! here independently), and a TCP payload length is what the IP length leaves after
//! both headers; a UDP length is the UDP length field less its header; flags print
//! as names that map back to the same bits; every option prints in words and as
//! JSON; an error says why in words.

use std::net::SocketAddr;

use nettool::stat::packets::parse::{Body, Flags, TcpOption, parse};

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn check(data: &[u8]) {
    let p = match parse(data) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let version = data[0] >> 4;
    let v4 = |a: &SocketAddr| a.is_ipv4();
    assert!(
        (version == 4 && v4(&p.src) && v4(&p.dst)) || (version == 6 && !v4(&p.src) && !v4(&p.dst)),
        "version {version}: {} -> {}",
        p.src,
        p.dst
    );
    // Where the transport header starts, when no IP options or extensions intervene;
    // the IP payload length; the protocol.
    let plain = match version {
        4 if data[0] & 0x0f == 5 => {
            Some((20, u32::from(be16(data, 2)).saturating_sub(20), data[9]))
        }
        6 if matches!(data[6], 6 | 17) => Some((40, u32::from(be16(data, 4)), data[6])),
        _ => None,
    };
    match &p.body {
        Body::Tcp(s) => {
            let names = s.flags.names();
            let bits = names.iter().fold(0u8, |b, n| {
                b | match *n {
                    "FIN" => Flags::FIN,
                    "SYN" => Flags::SYN,
                    "RST" => Flags::RST,
                    "PSH" => Flags::PSH,
                    "ACK" => Flags::ACK,
                    "URG" => Flags::URG,
                    "ECE" => Flags::ECE,
                    "CWR" => Flags::CWR,
                    other => panic!("flag name {other}"),
                }
            });
            assert_eq!(bits, s.flags.0, "{names:?}");
            assert!(!s.flags.to_string().is_empty());
            for o in &s.options {
                assert!(!o.words().is_empty());
                let j = o.json();
                assert!(j["kind"].is_string(), "{j}");
                if let TcpOption::Sack(blocks) = o {
                    assert!(!blocks.is_empty() && blocks.len() <= 4, "{blocks:?}");
                }
            }
            if let Some((at, ip_len, 6)) = plain {
                let t = &data[at..];
                assert_eq!((p.src.port(), p.dst.port()), (be16(t, 0), be16(t, 2)));
                assert_eq!((s.seq, s.ack), (be32(t, 4), be32(t, 8)));
                assert_eq!((s.flags.0, s.window), (t[13], be16(t, 14)));
                let header = u32::from(t[12] >> 4) * 4;
                assert_eq!(
                    s.payload_len,
                    ip_len.saturating_sub(header),
                    "payload length"
                );
            }
        }
        Body::Udp { len } => {
            if let Some((at, _, 17)) = plain {
                let u = &data[at..];
                assert_eq!((p.src.port(), p.dst.port()), (be16(u, 0), be16(u, 2)));
                assert_eq!(*len, u32::from(be16(u, 4)).saturating_sub(8));
            }
        }
    }
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}
