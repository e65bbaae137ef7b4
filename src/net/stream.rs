//! A connected byte stream as the clients see it (the netcat relay, the heartbeat
//! client): a plain non-blocking socket, or a layer over one that holds bytes of its
//! own — TLS keeps records it could not send yet and plaintext it decrypted but was
//! not asked for. The trait says what a poll loop must know of such a layer: which
//! descriptor to wait on, whether output is held back (wait for writability and
//! [`flush`](Stream::flush)), whether input is already waiting (read before
//! waiting), and how to half-close (TLS: `close_notify`, then `shutdown(SHUT_WR)`).

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use socket2::Socket;

/// A non-blocking duplex byte stream over one socket.
pub trait Stream {
    /// The socket to wait on.
    fn fd(&self) -> BorrowedFd<'_>;

    /// Make the socket non-blocking (a layer that made it so already does nothing).
    fn set_nonblocking(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Read what is there: `Ok(0)` at the end of the stream, `WouldBlock` when
    /// nothing is.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;

    /// Take bytes to send; `WouldBlock` when none can be taken now.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize>;

    /// Push on what the layer holds back; `WouldBlock` while some is left.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// The layer holds output: wait for writability, then [`flush`](Self::flush).
    fn wants_write(&self) -> bool {
        false
    }

    /// Input is already waiting in the layer: read before waiting on the socket.
    fn buffered(&mut self) -> bool {
        false
    }

    /// Half-close our direction; the peer reads the end of the stream. It may
    /// complete in a later [`flush`](Self::flush) (while [`wants_write`](Self::wants_write)).
    fn shutdown_write(&mut self) -> io::Result<()>;
}

impl Stream for Socket {
    fn fd(&self) -> BorrowedFd<'_> {
        self.as_fd()
    }

    // Each call is made through the trace layer (`--explain=io` shows it).
    fn set_nonblocking(&mut self) -> io::Result<()> {
        super::socket::set_nonblocking_io(self, true)
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let fd = self.as_raw_fd();
        super::trace::recv(fd, buf.len(), "0", || {
            super::io::read_retry(&mut &*self, buf)
        })
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let fd = self.as_raw_fd();
        super::trace::send(fd, buf.len(), "MSG_NOSIGNAL", || {
            super::io::write_retry(&mut &*self, buf)
        })
    }

    fn shutdown_write(&mut self) -> io::Result<()> {
        super::trace::shutdown(self, std::net::Shutdown::Write)
    }
}

/// A stream whose socket is closed through the trace layer when the session ends.
impl<S: Stream + std::os::fd::IntoRawFd> Stream for super::trace::Closing<S> {
    fn fd(&self) -> BorrowedFd<'_> {
        (**self).fd()
    }

    fn set_nonblocking(&mut self) -> io::Result<()> {
        (**self).set_nonblocking()
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read(buf)
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (**self).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (**self).flush()
    }

    fn wants_write(&self) -> bool {
        (**self).wants_write()
    }

    fn buffered(&mut self) -> bool {
        (**self).buffered()
    }

    fn shutdown_write(&mut self) -> io::Result<()> {
        (**self).shutdown_write()
    }
}
