//! The compiled program against the Rust rule: a small classic BPF interpreter (the
//! instructions the compiler emits, run as the kernel's `bpf_prog_run` would) decides
//! on packets built with etherparse, and must agree with [`CaptureFilter::matches`].

use std::net::IpAddr;

use etherparse::PacketBuilder;
use proptest::prelude::*;

use super::super::*;
use super::*;

/// What the kernel knows about a packet beside its bytes.
struct Skb<'a> {
    data: &'a [u8],
    protocol: u32,
    pkttype: u32,
    hatype: u32,
}

fn load(data: &[u8], off: usize, size: u16) -> Option<u32> {
    let n = match size {
        W => 4,
        H => 2,
        _ => 1,
    };
    let bytes = data.get(off..off + n)?;
    Some(bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// Run `prog` on `skb`; the return value is the number of bytes to keep (0 = drop).
fn run(prog: &[Insn], skb: &Skb) -> u32 {
    let (mut a, mut x) = (0u32, 0u32);
    let mut pc = 0;
    loop {
        let i = prog[pc];
        pc += 1;
        match i.code & 0x07 {
            LD => {
                let (size, mode) = (i.code & 0x18, i.code & 0xe0);
                a = if mode == ABS && i.k >= ancillary(0) {
                    match i.k {
                        AD_PROTOCOL => skb.protocol,
                        AD_PKTTYPE => skb.pkttype,
                        AD_HATYPE => skb.hatype,
                        other => panic!("ancillary load {other:#x} not modelled"),
                    }
                } else {
                    let off = if mode == IND { x + i.k } else { i.k };
                    match load(skb.data, off as usize, size) {
                        Some(v) => v,
                        None => return 0, // out of bounds: the kernel drops
                    }
                };
            }
            LDX => {
                x = match i.code & 0xe0 {
                    IMM => i.k,
                    MSH => 4 * u32::from(skb.data.get(i.k as usize).copied().unwrap_or(0) & 0xf),
                    m => panic!("ldx mode {m:#x} not modelled"),
                }
            }
            JMP => {
                let taken = match i.code & 0xf0 {
                    JA => {
                        pc += i.k as usize;
                        continue;
                    }
                    JEQ => a == i.k,
                    JSET => a & i.k != 0,
                    op => panic!("jump {op:#x} not modelled"),
                };
                pc += usize::from(if taken { i.jt } else { i.jf });
            }
            RET => return i.k,
            c => panic!("class {c:#x} not modelled"),
        }
    }
}

fn packet(tcp: bool, src: (IpAddr, u16), dst: (IpAddr, u16)) -> Vec<u8> {
    let b = match (src.0, dst.0) {
        (IpAddr::V4(s), IpAddr::V4(d)) => PacketBuilder::ipv4(s.octets(), d.octets(), 64),
        (IpAddr::V6(s), IpAddr::V6(d)) => PacketBuilder::ipv6(s.octets(), d.octets(), 64),
        _ => unreachable!("one family per packet"),
    };
    let mut out = Vec::new();
    if tcp {
        b.tcp(src.1, dst.1, 1000, 512)
            .syn()
            .write(&mut out, b"hi")
            .unwrap();
    } else {
        b.udp(src.1, dst.1).write(&mut out, b"hi").unwrap();
    }
    out
}

fn decide(f: &CaptureFilter, meta: &PacketMeta) -> bool {
    let data = packet(meta.tcp, meta.src, meta.dst);
    let skb = Skb {
        data: &data,
        protocol: if meta.src.0.is_ipv4() {
            ETH_P_IP
        } else {
            ETH_P_IPV6
        },
        pkttype: if meta.loopback_outgoing {
            PACKET_OUTGOING
        } else {
            0
        },
        hatype: ARPHRD_LOOPBACK,
    };
    run(&f.compile().unwrap(), &skb) != 0
}

const V4: [&str; 2] = ["127.0.0.1", "127.0.0.2"];
const V6: [&str; 2] = ["::1", "::2"];
const PORTS: [u16; 3] = [80, 7007, 51234];

fn ip_of(v6: bool, i: usize) -> IpAddr {
    (if v6 { V6[i] } else { V4[i] }).parse().unwrap()
}

fn any_pattern() -> impl Strategy<Value = EndPattern> {
    (
        proptest::option::of((any::<bool>(), 0..2usize)),
        proptest::option::of(0..3usize),
    )
        .prop_map(|(ip, port)| EndPattern {
            ip: ip.map(|(v6, i)| ip_of(v6, i)),
            port: port.map(|p| PORTS[p]),
        })
}

fn any_filter() -> impl Strategy<Value = CaptureFilter> {
    (
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(Family::Any), Just(Family::V4), Just(Family::V6)],
        proptest::collection::vec(
            (any_pattern(), proptest::option::of(any_pattern()))
                .prop_map(|(a, b)| Conversation { a, b }),
            0..3,
        ),
    )
        .prop_map(|(tcp, udp, family, conversations)| CaptureFilter {
            tcp,
            udp,
            family,
            conversations,
            snaplen: 256,
        })
}

fn any_meta() -> impl Strategy<Value = PacketMeta> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        (0..2usize, 0..3usize),
        (0..2usize, 0..3usize),
    )
        .prop_map(|(v6, tcp, out, (si, sp), (di, dp))| PacketMeta {
            loopback_outgoing: out,
            tcp,
            src: (ip_of(v6, si), PORTS[sp]),
            dst: (ip_of(v6, di), PORTS[dp]),
        })
}

proptest! {
    #[test]
    fn program_and_rule_agree(f in any_filter(), meta in any_meta()) {
        prop_assert_eq!(decide(&f, &meta), f.matches(&meta), "{:?} on {:?}", f, meta);
    }
}

fn everything() -> CaptureFilter {
    CaptureFilter {
        tcp: true,
        udp: true,
        family: Family::Any,
        conversations: Vec::new(),
        snaplen: 256,
    }
}

fn meta(src: &str, dst: &str) -> PacketMeta {
    let s: std::net::SocketAddr = src.parse().unwrap();
    let d: std::net::SocketAddr = dst.parse().unwrap();
    PacketMeta {
        loopback_outgoing: false,
        tcp: true,
        src: (s.ip(), s.port()),
        dst: (d.ip(), d.port()),
    }
}

#[test]
fn loopback_duplicates_are_dropped_in_the_kernel() {
    let f = everything();
    let mut m = meta("127.0.0.1:51234", "127.0.0.1:7007");
    assert!(decide(&f, &m));
    m.loopback_outgoing = true;
    assert!(!decide(&f, &m));
}

#[test]
fn a_port_matches_either_direction_and_two_ends_only_their_conversation() {
    let port = CaptureFilter {
        conversations: vec![Conversation {
            a: EndPattern::port(7007),
            b: None,
        }],
        ..everything()
    };
    assert!(decide(&port, &meta("127.0.0.1:51234", "127.0.0.1:7007")));
    assert!(decide(&port, &meta("[::1]:7007", "[::1]:51234")));
    assert!(!decide(&port, &meta("127.0.0.1:51234", "127.0.0.1:80")));
    let pair = CaptureFilter {
        conversations: vec![Conversation {
            a: EndPattern::addr("127.0.0.1:51234".parse().unwrap()),
            b: Some(EndPattern::addr("127.0.0.1:7007".parse().unwrap())),
        }],
        ..everything()
    };
    assert!(decide(&pair, &meta("127.0.0.1:7007", "127.0.0.1:51234")));
    assert!(!decide(&pair, &meta("127.0.0.2:7007", "127.0.0.1:51234")));
    assert!(!decide(&pair, &meta("127.0.0.1:7007", "127.0.0.1:51235")));
}

#[test]
fn mapped_addresses_filter_as_ipv4() {
    let p = EndPattern::addr("[::ffff:127.0.0.1]:7007".parse().unwrap());
    assert_eq!(p.ip, Some("127.0.0.1".parse().unwrap()));
}

#[test]
fn later_fragments_have_no_ports_and_are_dropped() {
    let f = everything();
    let mut data = packet(
        true,
        ("127.0.0.1".parse().unwrap(), 1),
        ("127.0.0.1".parse().unwrap(), 2),
    );
    data[7] = 1; // fragment offset 8 bytes
    let skb = Skb {
        data: &data,
        protocol: ETH_P_IP,
        pkttype: 0,
        hatype: ARPHRD_LOOPBACK,
    };
    assert_eq!(run(&f.compile().unwrap(), &skb), 0);
}

#[test]
fn many_conversations_still_fit_bpf_jumps() {
    let c = Conversation {
        a: EndPattern::addr("[2001:db8::1]:80".parse().unwrap()),
        b: Some(EndPattern::addr("[2001:db8::2]:51234".parse().unwrap())),
    };
    let f = CaptureFilter {
        conversations: vec![c; 4],
        ..everything()
    };
    assert!(f.compile().is_ok());
}
