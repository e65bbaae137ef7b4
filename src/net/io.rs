//! Byte moving helpers that hide the two things every socket program must handle:
//! `EINTR` (a signal interrupted the call: just retry) and short writes (`write(2)`
//! may take fewer bytes than offered: loop until all are gone).

use std::io::{self, Read, Write};

/// `read(2)` that retries on `EINTR`; `Ok(0)` means end of stream.
pub fn read_retry<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// `write(2)` that retries on `EINTR`; may still write fewer bytes than given.
pub fn write_retry<W: Write + ?Sized>(w: &mut W, buf: &[u8]) -> io::Result<usize> {
    loop {
        match w.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Write every byte, looping over short writes and `EINTR`.
pub fn write_all<W: Write + ?Sized>(w: &mut W, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match write_retry(w, buf)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => buf = &buf[n..],
        }
    }
    Ok(())
}

/// Close our standard output for good, so the reader downstream (`| tar xf -`,
/// `| sort`) sees end of file now while the process goes on: flush what is buffered,
/// then put `/dev/null` on descriptor 1 (`dup2(2)`), which drops our reference to the
/// pipe or file without leaving a number free for the next `open` to reuse.
pub fn close_stdout() -> io::Result<()> {
    io::stdout().lock().flush()?;
    let null = std::fs::OpenOptions::new().write(true).open("/dev/null")?;
    nix::unistd::dup2_stdout(&null).map_err(io::Error::from)
}

/// True for the errors that only mean "not now" on a non-blocking socket.
pub fn would_block(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::WouldBlock
}

/// True for the errors that mean the peer is gone (RST, closed pipe): the end of one
/// connection, not a failure of the server.
pub fn peer_gone(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionAborted
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes at most 3 bytes per call and fails with EINTR every other call.
    struct Stingy {
        data: Vec<u8>,
        calls: usize,
    }

    impl Write for Stingy {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls % 2 == 0 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(3);
            self.data.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_all_survives_short_writes_and_eintr() {
        let mut w = Stingy {
            data: vec![],
            calls: 0,
        };
        write_all(&mut w, b"hello, world").unwrap();
        assert_eq!(w.data, b"hello, world");
    }

    #[test]
    fn read_retry_reads() {
        let mut r: &[u8] = b"abc";
        let mut buf = [0u8; 8];
        assert_eq!(read_retry(&mut r, &mut buf).unwrap(), 3);
        assert_eq!(read_retry(&mut r, &mut buf).unwrap(), 0);
    }
}
