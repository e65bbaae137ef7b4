//! Unix datagram sockets (`SOCK_DGRAM`, unix(7)) under the datagram loop.
//!
//! * **Who sent it.** Datagram sockets have no `SO_PEERCRED`; with `SO_PASSCRED` on,
//!   the kernel attaches the sender's pid, uid and gid to every datagram as an
//!   `SCM_CREDENTIALS` control message, which `recvmsg(2)` returns beside the bytes.
//! * **Whom to answer.** A reply needs the sender's address. A client that never
//!   called `bind(2)` is *unnamed*: it can send, but nothing can be sent back to it.
//!   Such a reply fails at once (counted, logged), no system call made.
//! * **Never blocking on a slow reader.** Unlike UDP, a Unix sender whose receiver's
//!   queue is full (`net.unix.max_dgram_qlen`) waits — and a server that waited on one
//!   slow peer would stall all the others. Replies go out with `MSG_DONTWAIT`; `EAGAIN`
//!   drops that reply (counted for the peer). One case the kernel makes global: a
//!   receiver `connect`ed back to us has no queue limit, and what it leaves unread
//!   stays charged to *our* `SO_SNDBUF`; once that is full every reply fails until it
//!   reads. The loop still never waits.
//! * **Truncation.** `MSG_TRUNC` makes `recvmsg` return a datagram's real length
//!   (Linux ≥ 3.4 for Unix sockets), so a datagram larger than [`MAX_DGRAM`] is
//!   known to be cut rather than silently shortened.
//!
//! There is no `recvmmsg` here: up to [`BATCH`] `recvmsg` calls fill one batch, so
//! the loop still waits, answers and counts once per batch.

use std::io;
use std::os::fd::AsRawFd;

use nix::sys::socket::{
    ControlMessageOwned, MsgFlags, SockaddrLike, UnixAddr, UnixCredentials, recvmsg, sendto,
    sockopt,
};
use socket2::Socket;

use crate::net::trace::{self, Closing};

use super::service::Replies;
use super::{SendReport, Transport};
use crate::net::peer::{Peer, PeerCred, UnixName};
use crate::net::socket::set_bool_opt;

/// Largest datagram kept whole: beyond the default socket buffers (212,992 bytes).
pub const MAX_DGRAM: usize = 256 * 1024;
/// Datagrams read per batch.
pub const BATCH: usize = 32;

/// One received datagram: where it came from and where its kept bytes are.
struct Slot {
    from: Option<UnixAddr>,
    cred: Option<PeerCred>,
    start: usize,
    kept: usize,
    len: usize,
}

/// A bound Unix datagram socket, non-blocking, with `SO_PASSCRED` on.
pub struct UnixDgram {
    /// Closed through the trace layer when the server stops.
    sock: Closing<Socket>,
    scratch: Vec<u8>,
    /// The kept bytes of the batch, one datagram after another.
    arena: Vec<u8>,
    got: Vec<Slot>,
}

impl UnixDgram {
    /// Take over a bound Unix datagram socket: non-blocking, and `SO_PASSCRED` (a
    /// setup call, traced) so every datagram names its sender's process.
    pub fn new(sock: Socket) -> io::Result<UnixDgram> {
        sock.set_nonblocking(true)?;
        set_bool_opt(&sock, "SOL_SOCKET", "SO_PASSCRED", true, |s, on| {
            nix::sys::socket::setsockopt(s, sockopt::PassCred, &on).map_err(io::Error::from)
        })?;
        Ok(UnixDgram {
            sock: Closing::new(sock),
            scratch: vec![0; MAX_DGRAM],
            arena: Vec::new(),
            got: Vec::with_capacity(BATCH),
        })
    }
}

/// One non-blocking `recvmsg(2)` with room for the credentials; `None`: queue empty.
/// Shown under `--explain=io` (rate-limited per descriptor like recv).
fn recv_one(sock: &Socket, buf: &mut [u8]) -> io::Result<Option<Slot>> {
    let room = buf.len();
    let fd = sock.as_raw_fd();
    let mut cmsg = nix::cmsg_space!(UnixCredentials);
    let mut iov = [io::IoSliceMut::new(buf)];
    let flags = MsgFlags::MSG_DONTWAIT | MsgFlags::MSG_TRUNC;
    let mut slot = None;
    let result = trace::io(
        "recvmsg",
        Some(fd),
        || {
            vec![
                fd.to_string(),
                format!("{{msg_iov=[{{iov_len={room}}}], msg_control=SCM_CREDENTIALS}}"),
                "MSG_DONTWAIT|MSG_TRUNC".into(),
            ]
        },
        || loop {
            match recvmsg::<UnixAddr>(fd, &mut iov, Some(&mut cmsg), flags) {
                Ok(msg) => {
                    let len = msg.bytes;
                    slot = Some(slot_of(msg, room));
                    break Ok(len);
                }
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => break Err(io::Error::from(e)),
            }
        },
        |r| match r {
            Ok(n) if *n > room => Some(format!("MSG_TRUNC: a {n}-byte datagram, {room} kept")),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                Some("queue empty: the batch ends here".into())
            }
            _ => None,
        },
    );
    match result {
        Ok(_) => Ok(slot),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
        Err(e) => Err(e),
    }
}

/// What one `recvmsg` returned: the sender, its credentials and the datagram's length.
fn slot_of(msg: nix::sys::socket::RecvMsg<'_, '_, UnixAddr>, room: usize) -> Slot {
    let mut cred = None;
    if let Ok(cmsgs) = msg.cmsgs() {
        for c in cmsgs {
            if let ControlMessageOwned::ScmCredentials(u) = c {
                cred = Some(PeerCred {
                    pid: u.pid(),
                    uid: u.uid(),
                    gid: u.gid(),
                });
            }
        }
    }
    // An unnamed sender comes back with a zero-length address, which nix's UnixAddr
    // accessors assert against (a panic any local process could trigger): filter it
    // out before anything looks inside.
    let from = msg
        .address
        .filter(|a| a.len() as usize > std::mem::size_of::<libc::sa_family_t>());
    // With MSG_TRUNC, `bytes` is the datagram's real length even when it was cut.
    Slot {
        from,
        cred,
        start: 0,
        kept: msg.bytes.min(room),
        len: msg.bytes,
    }
}

fn name_of(a: Option<&UnixAddr>) -> UnixName {
    match a {
        Some(a) => {
            if let Some(p) = a.path() {
                UnixName::Path(p.to_path_buf())
            } else if let Some(n) = a.as_abstract() {
                UnixName::Abstract(n.to_vec())
            } else {
                UnixName::Unnamed
            }
        }
        None => UnixName::Unnamed,
    }
}

impl Transport for UnixDgram {
    const RECV_CALL: &'static str = "recvmsg";

    fn socket(&self) -> &Socket {
        &self.sock
    }

    fn recv(&mut self) -> io::Result<usize> {
        self.arena.clear();
        self.got.clear();
        while self.got.len() < BATCH {
            let Some(mut slot) = (match recv_one(&self.sock, &mut self.scratch) {
                Ok(r) => r,
                // What already arrived is served; the error comes back on the next call.
                Err(_) if !self.got.is_empty() => break,
                Err(e) => return Err(e),
            }) else {
                break;
            };
            slot.start = self.arena.len();
            self.arena.extend_from_slice(&self.scratch[..slot.kept]);
            self.got.push(slot);
        }
        Ok(self.got.len())
    }

    fn batch(&self) -> usize {
        BATCH
    }

    fn datagram(&self, i: usize) -> (Peer, &[u8], usize) {
        let s = &self.got[i];
        let peer = Peer::Unix {
            name: name_of(s.from.as_ref()),
            cred: s.cred,
        };
        (peer, &self.arena[s.start..s.start + s.kept], s.len)
    }

    fn send(&mut self, replies: &Replies, done: &mut SendReport<'_>) {
        for (i, bytes) in replies.iter() {
            let result = match &self.got[i].from {
                Some(to) => send_one(&self.sock, bytes, to),
                None => Err(io::Error::other(
                    "the sender is unnamed (it never bound an address to answer)",
                )),
            };
            done(i, bytes, result);
        }
    }
}

/// `sendto(2)` with `MSG_DONTWAIT`: a full receiver fails this reply with `EAGAIN`.
/// Shown under `--explain=io` (rate-limited per descriptor like send).
fn send_one(sock: &Socket, data: &[u8], to: &UnixAddr) -> io::Result<()> {
    let fd = sock.as_raw_fd();
    let sent = trace::sendto(
        fd,
        data.len(),
        "MSG_DONTWAIT",
        || trace::sockaddr_un(to.path(), to.as_abstract()),
        || loop {
            match sendto(fd, data, to, MsgFlags::MSG_DONTWAIT) {
                Err(nix::errno::Errno::EINTR) => continue,
                other => break other.map_err(io::Error::from),
            }
        },
        |r| match r {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                Some("the receiver's queue is full: this reply is dropped".into())
            }
            _ => None,
        },
    );
    match sent {
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::Error::new(
            io::ErrorKind::WouldBlock,
            "its receive queue is full (a slow reader); reply dropped",
        )),
        other => other.map(drop),
    }
}
