//! Sending a connection's [`Outbox`]: `write(2)` for buffers, `sendfile(2)` for file
//! ranges (the kernel copies file pages straight to the socket). The same function
//! serves blocking engines (it returns when all is sent) and non-blocking ones (it
//! returns [`Flush::WouldBlock`] and the engine waits for writability).

use std::io::{self, Write};
use std::os::fd::AsRawFd;

use socket2::Socket;

use super::service::{OutItem, Outbox};
use super::stats::Tap;
use crate::net::trace;

/// `recv(2)` on a connection (EINTR retried), as `--explain=io` shows it: the driver's
/// one read call, for blocking and readiness engines alike.
pub fn recv(sock: &Socket, buf: &mut [u8]) -> io::Result<usize> {
    trace::recv(sock.as_raw_fd(), buf.len(), "0", || {
        crate::net::io::read_retry(&mut &*sock, buf)
    })
}

/// Largest single `sendfile` call; keeps one connection from hogging a turn.
const SENDFILE_CHUNK: u64 = 1 << 20;

/// How far a flush got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    /// Everything queued has been handed to the kernel.
    Done,
    /// The socket buffer is full; wait for `EPOLLOUT`/`POLLOUT` and call again.
    WouldBlock,
}

/// Send as much of `out` as the socket takes. `sent` grows by the bytes written, and
/// every byte passes through `tap` (server counters, `-x`).
/// Errors are the connection's own (EPIPE, ECONNRESET): close it, not the server.
pub fn flush_outbox(
    sock: &Socket,
    out: &mut Outbox,
    sent: &mut u64,
    tap: &Tap,
) -> io::Result<Flush> {
    let fd = sock.as_raw_fd();
    while let Some(item) = out.front() {
        let more = out.more_after_front();
        let result = match item {
            // MSG_MORE (send(2)): a file range follows, so let the kernel put this head
            // and the first body bytes in one segment.
            OutItem::Bytes(b) if more => trace::send(fd, b.len(), "MSG_MORE|MSG_NOSIGNAL", || {
                sock.send_with_flags(b, libc::MSG_MORE)
            })
            .inspect(|&n| tap.sent(&b[..n])),
            OutItem::Bytes(b) => trace::send(fd, b.len(), "MSG_NOSIGNAL", || (&*sock).write(b))
                .inspect(|&n| tap.sent(&b[..n])),
            OutItem::File { file, offset, len } => {
                let mut off = *offset as libc::off64_t;
                let count = (*len).min(SENDFILE_CHUNK) as usize;
                let start = off;
                let sent = trace::io(
                    "sendfile",
                    Some(fd),
                    || {
                        vec![
                            fd.to_string(),
                            file.as_raw_fd().to_string(),
                            format!("[{start}]"),
                            count.to_string(),
                        ]
                    },
                    || {
                        nix::sys::sendfile::sendfile64(sock, &**file, Some(&mut off), count)
                            .map_err(io::Error::from)
                    },
                    |_| None,
                );
                match sent {
                    // The file shrank under us: what was promised cannot be sent.
                    Ok(0) => Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "file truncated while sending",
                    )),
                    Ok(n) => {
                        tap.sent_file(n as u64);
                        Ok(n)
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match result {
            Ok(n) => {
                out.consume(n as u64);
                *sent += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Flush::WouldBlock),
            Err(e) => return Err(e),
        }
    }
    Ok(Flush::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, SeekFrom};
    use std::sync::Arc;

    #[test]
    fn bytes_and_file_ranges_arrive_in_order() {
        let (a, b) = Socket::pair(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"0123456789").unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        let mut out = Outbox::default();
        out.push_bytes(b"head:");
        out.push_file(Arc::new(f), 2, 5);
        out.push_bytes(b":tail");
        let mut sent = 0;
        assert_eq!(
            flush_outbox(&a, &mut out, &mut sent, &Tap::detached()).unwrap(),
            Flush::Done
        );
        drop(a);
        let mut got = String::new();
        (&b).read_to_string(&mut got).unwrap();
        assert_eq!(got, "head:23456:tail");
        assert_eq!(sent, got.len() as u64);
    }
}
