//! Reading the socket table over netlink `sock_diag` (sock_diag(7)), as `ss` does.
//!
//! One `NETLINK_SOCK_DIAG` socket, one dump request per (protocol, family): an
//! `inet_diag_req_v2` for TCP and UDP over IPv4 and IPv6, a `unix_diag_req` for Unix
//! sockets. The kernel filters by state (`idiag_states`, a bit per state) and answers
//! with a stream of `inet_diag_msg` / `unix_diag_msg` records, each followed by the
//! attributes we asked for (`INET_DIAG_INFO` = `struct tcp_info`, `INET_DIAG_CONG`,
//! `INET_DIAG_SKMEMINFO`; `UNIX_DIAG_NAME`, `UNIX_DIAG_PEER`, `UNIX_DIAG_RQLEN`,
//! `UNIX_DIAG_MEMINFO`), ending with `NLMSG_DONE`. The records are decoded with
//! `netlink-packet-sock-diag`; what it does not keep (the TIME-WAIT timer's expiry, the
//! tail of `tcp_info`, a memory array shorter or longer than it expects) is read from
//! the raw record ([`super::internals`]).

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use netlink_packet_core::{
    NLM_F_DUMP, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage, NetlinkPayload,
};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP, IPPROTO_UDP};
use netlink_packet_sock_diag::inet::{self, ExtensionFlags, InetRequest, SocketId};
use netlink_packet_sock_diag::unix::nlas::UnixDiagName;
use netlink_packet_sock_diag::unix::{self, ShowFlags, UnixRequest};
use netlink_sys::{Socket as NlSocket, SocketAddr as NlAddr, protocols::NETLINK_SOCK_DIAG};

use super::internals::{self, SkMem};
use super::{Endpoint, Proto, Query, Socket, State, Timer};
use crate::net::Family;

const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_HDRLEN: usize = 16;
/// Offset of `idiag_expires` in `struct inet_diag_msg` (4 bytes of header, 48 of id).
const EXPIRES_OFFSET: usize = 52;
/// `sizeof(struct inet_diag_msg)` and `sizeof(struct unix_diag_msg)`: the attributes
/// start after them.
const INET_DIAG_MSG_LEN: usize = 72;
const UNIX_DIAG_MSG_LEN: usize = 16;
/// The attribute types of the socket memory array (sock_diag.h).
const INET_DIAG_SKMEMINFO: u16 = 7;
const UNIX_DIAG_MEMINFO: u16 = 5;
/// Room for one netlink datagram; the kernel fills dump replies up to 32 KiB.
const RECV_BUF: usize = 64 * 1024;

/// Whether an error means "no sock_diag here" (so /proc is worth trying) rather than a
/// real failure.
pub fn unavailable(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(
            libc::EPROTONOSUPPORT | libc::EAFNOSUPPORT | libc::ENOENT | libc::EACCES | libc::EPERM
        )
    )
}

/// Every socket the query's protocols and families name, in the query's states.
pub fn sockets(q: &Query) -> io::Result<Vec<Socket>> {
    let sock = open()?;
    let mut rows = Vec::new();
    let families: &[(u8, bool)] = match q.family {
        Family::V4 => &[(AF_INET, false)],
        Family::V6 => &[(AF_INET6, true)],
        Family::Any => &[(AF_INET, false), (AF_INET6, true)],
    };
    let mask = q.states.kernel_mask();
    for (proto, on, num) in [
        (Proto::Tcp, q.tcp, IPPROTO_TCP),
        (Proto::Udp, q.udp, IPPROTO_UDP),
    ] {
        if !on {
            continue;
        }
        for &(family, v6) in families {
            let mut ext = ExtensionFlags::empty();
            if q.tcp_info && proto == Proto::Tcp {
                ext |= ExtensionFlags::INFO | ExtensionFlags::CONG;
            }
            if q.memory {
                ext |= ExtensionFlags::SKMEMINFO;
            }
            let req = SockDiagMessage::InetRequest(InetRequest {
                family,
                protocol: num,
                extensions: ext,
                states: inet::StateFlags::from_bits_retain(mask),
                socket_id: if v6 {
                    SocketId::new_v6()
                } else {
                    SocketId::new_v4()
                },
            });
            dump(&sock, req, q.aside, |msg, raw| {
                if let SockDiagMessage::InetResponse(r) = msg {
                    if let Some(s) = inet_row(proto, v6, &r, raw) {
                        rows.push(s);
                    }
                }
            })?;
        }
    }
    if q.unix {
        let mut show = ShowFlags::NAME | ShowFlags::PEER | ShowFlags::RQLEN;
        if q.memory {
            show |= ShowFlags::MEMINFO;
        }
        let req = SockDiagMessage::UnixRequest(UnixRequest {
            state_flags: unix::StateFlags::from_bits_retain(mask),
            inode: 0,
            show_flags: show,
            cookie: [0; 8],
        });
        dump(&sock, req, q.aside, |msg, raw| {
            if let SockDiagMessage::UnixResponse(r) = msg {
                if let Some(s) = unix_row(&r, raw) {
                    rows.push(s);
                }
            }
        })?;
    }
    Ok(rows)
}

/// `socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG)`, bound (the kernel picks our port
/// id) and connected to the kernel (port 0), as ss does; see sock_diag(7).
fn open() -> io::Result<crate::net::trace::Closing<NlSocket>> {
    use crate::net::trace;
    let mut sock = trace::call(
        "socket",
        || {
            vec![
                "AF_NETLINK".into(),
                "SOCK_DGRAM|SOCK_CLOEXEC".into(),
                "NETLINK_SOCK_DIAG".into(),
            ]
        },
        || NlSocket::new(NETLINK_SOCK_DIAG),
    )
    .map(trace::Closing::new)?;
    let fd = trace::fd(&sock);
    trace::call(
        "bind",
        || vec![fd.clone(), "{nl_family=AF_NETLINK, nl_pid=0}".into()],
        || sock.bind_auto().map(|_| ()),
    )?;
    trace::call(
        "connect",
        || vec![fd.clone(), "{nl_family=AF_NETLINK, nl_pid=0}".into()],
        || sock.connect(&NlAddr::new(0, 0)),
    )?;
    Ok(sock)
}

/// Send one dump request and feed every answer record (decoded, and its raw payload)
/// to `each` until `NLMSG_DONE`. The request is the action `--dry-run` stops before,
/// unless the dump is `aside` another command ([`Query::aside`]).
fn dump(
    sock: &NlSocket,
    req: SockDiagMessage,
    aside: bool,
    mut each: impl FnMut(SockDiagMessage, &[u8]),
) -> io::Result<()> {
    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let mut packet = NetlinkMessage::new(header, req.into());
    packet.finalize();
    let mut out = vec![0; packet.buffer_len()];
    packet.serialize(&mut out);
    let args = || {
        vec![
            crate::net::trace::fd(sock),
            "SOCK_DIAG_BY_FAMILY dump request".into(),
        ]
    };
    if aside {
        crate::net::trace::call("sendto", args, || sock.send(&out, 0))?;
    } else {
        crate::net::trace::action("sendto", args, || sock.send(&out, 0))?;
    }

    let mut buf = vec![0u8; RECV_BUF];
    loop {
        let n = sock.recv(&mut &mut buf[..], 0)?;
        let mut off = 0;
        while off + NLMSG_HDRLEN <= n {
            let len = u32::from_ne_bytes(buf[off..off + 4].try_into().expect("4 bytes")) as usize;
            let ty = u16::from_ne_bytes(buf[off + 4..off + 6].try_into().expect("2 bytes"));
            if len < NLMSG_HDRLEN || off + len > n {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "truncated netlink message",
                ));
            }
            let msg = &buf[off..off + len];
            match ty {
                NLMSG_DONE => return Ok(()),
                NLMSG_ERROR => {
                    let code = i32::from_ne_bytes(msg[16..20].try_into().expect("4 bytes"));
                    if code != 0 {
                        return Err(io::Error::from_raw_os_error(-code));
                    }
                }
                _ => match NetlinkMessage::<SockDiagMessage>::deserialize(msg) {
                    Ok(NetlinkMessage {
                        payload: NetlinkPayload::InnerMessage(m),
                        ..
                    }) => {
                        each(m, &msg[NLMSG_HDRLEN..]);
                    }
                    Ok(_) => {}
                    // A record this crate cannot decode is skipped, not fatal.
                    Err(bad) => log::debug!("skipping undecodable sock_diag record: {bad}"),
                },
            }
            off += (len + 3) & !3;
        }
    }
}

fn inet_row(proto: Proto, v6: bool, r: &inet::InetResponse, raw: &[u8]) -> Option<Socket> {
    let h = &r.header;
    let state = State::from_kernel(h.state)?;
    let id = &h.socket_id;
    let timer = h.timer.as_ref().map(|t| match *t {
        inet::Timer::Retransmit(d, n) => Timer {
            kind: "on",
            expires: d,
            retrans: n,
        },
        inet::Timer::KeepAlive(d) => Timer {
            kind: "keepalive",
            expires: d,
            retrans: 0,
        },
        inet::Timer::Probe(d) => Timer {
            kind: "persist",
            expires: d,
            retrans: 0,
        },
        inet::Timer::TimeWait => Timer {
            kind: "timewait",
            expires: Duration::from_millis(read_u32(raw, EXPIRES_OFFSET).unwrap_or(0).into()),
            retrans: 0,
        },
    });
    let mut info = None;
    let mut cong = None;
    let mut v6only = false;
    for nla in &r.nlas {
        match nla {
            inet::nlas::Nla::SkV6Only(b) => v6only = *b,
            inet::nlas::Nla::TcpInfo(bytes) => info = Some(internals::tcp_info(bytes)),
            inet::nlas::Nla::Congestion(c) => cong = Some(c.clone()),
            _ => {}
        }
    }
    if let Some(i) = info.as_mut() {
        i.congestion = cong;
    }
    Some(Socket {
        proto,
        v6,
        v6only,
        state,
        recv_q: h.recv_queue,
        send_q: h.send_queue,
        local: Endpoint::Inet {
            addr: SocketAddr::new(id.source_address, id.source_port),
            scope: id.interface_id,
        },
        peer: Endpoint::Inet {
            addr: SocketAddr::new(id.destination_address, id.destination_port),
            scope: 0,
        },
        uid: h.uid,
        inode: h.inode.into(),
        timer,
        tcp_info: info,
        skmem: memory(raw, INET_DIAG_MSG_LEN, INET_DIAG_SKMEMINFO),
        processes: Vec::new(),
    })
}

fn unix_row(r: &unix::UnixResponse, raw: &[u8]) -> Option<Socket> {
    let h = &r.header;
    let proto = Proto::unix_from_type(h.kind.into())?;
    let state = State::from_kernel(h.state)?;
    let name = r.name().map(|n| match n {
        UnixDiagName::Pathname(p) => p.to_string_lossy().into_owned(),
        UnixDiagName::Abstract(bytes) => format!("@{}", String::from_utf8_lossy(bytes)),
    });
    let (recv_q, send_q) = r
        .nlas
        .iter()
        .find_map(|n| match n {
            unix::nlas::Nla::ReceiveQueueLength(rq, wq) => Some((*rq, *wq)),
            _ => None,
        })
        .unwrap_or((0, 0));
    Some(Socket {
        proto,
        v6: false,
        v6only: false,
        state,
        recv_q,
        send_q,
        local: Endpoint::Unix {
            name,
            inode: h.inode.into(),
        },
        peer: Endpoint::Unix {
            name: None,
            inode: r.peer().unwrap_or(0).into(),
        },
        uid: 0,
        inode: h.inode.into(),
        timer: None,
        tcp_info: None,
        skmem: memory(raw, UNIX_DIAG_MSG_LEN, UNIX_DIAG_MEMINFO),
        processes: Vec::new(),
    })
}

/// The payload of the first attribute of type `ty` after a `head`-byte header: each
/// attribute is `u16 len, u16 type, payload`, padded to 4 bytes (rtnetlink(7)).
fn attribute(raw: &[u8], head: usize, ty: u16) -> Option<&[u8]> {
    let mut off = head;
    while off + 4 <= raw.len() {
        let len = usize::from(u16::from_ne_bytes([raw[off], raw[off + 1]]));
        let kind = u16::from_ne_bytes([raw[off + 2], raw[off + 3]]) & 0x3fff;
        if len < 4 || off + len > raw.len() {
            return None;
        }
        if kind == ty {
            return Some(&raw[off + 4..off + len]);
        }
        off += (len + 3) & !3;
    }
    None
}

/// The record's socket memory array, read raw so that a kernel's shorter (no drops) or
/// longer array still shows what it has.
fn memory(raw: &[u8], head: usize, ty: u16) -> Option<SkMem> {
    attribute(raw, head, ty).and_then(internals::skmem)
}

fn read_u32(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_sees_a_listening_socket_of_our_own() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let q = Query {
            tcp: true,
            family: Family::V4,
            states: super::super::StateSet::of(&[State::Listen]),
            ..Query::default()
        };
        let rows = sockets(&q).unwrap();
        let me = rows
            .iter()
            .find(|s| s.local_port() == Some(port))
            .expect("our listener");
        assert_eq!(me.state, State::Listen);
        assert_ne!(me.inode, 0);
    }
}
