//! Encrypting what the inner service queued: its bytes at once, its file ranges a
//! bounded chunk at a time (`pread`, then records) while the driver's outbox is below
//! [`FILE_MARK`] — or, with kernel TLS, passing the inner outbox through unchanged.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use super::Tls;
use crate::engine::service::{OutItem, Outbox, Service};
use crate::net::hexdump::Direction;
use crate::tls::session::Session;

/// Bytes of a file read (and encrypted) at a time.
pub const FILE_CHUNK: usize = 64 * 1024;
/// File bodies are encrypted only while fewer record bytes than this wait to be sent.
pub const FILE_MARK: u64 = 256 * 1024;

impl<S: Service> Tls<S> {
    /// Encrypt what the inner service queued: all of its bytes, and file ranges a
    /// chunk at a time while the driver's outbox is below [`FILE_MARK`].
    pub(super) fn pump(&mut self, out: &mut Outbox) {
        if self.failed {
            self.plain.clear();
            return;
        }
        if self.kernel {
            return self.pass_through(out);
        }
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if s.is_handshaking() {
            out.push_vec(s.take_records());
            return;
        }
        if s.close_sent() {
            // Nothing can follow our close_notify.
            self.plain.clear();
        }
        loop {
            let taken = match self.plain.front() {
                None => break,
                Some(OutItem::Bytes(b)) => {
                    let n = s.write_plain(b);
                    if let Some(d) = &self.shared.hexdump {
                        d.record_conn(self.id, Direction::Sent, &b[..n]);
                    }
                    n as u64
                }
                Some(OutItem::File { file, offset, len }) => {
                    if out.queued_bytes() >= FILE_MARK {
                        break;
                    }
                    let want = (*len).min(FILE_CHUNK as u64) as usize;
                    match encrypt_file_chunk(s, file, *offset, want, &mut self.file_buf, out) {
                        Ok(n) => {
                            if let Some(d) = &self.shared.hexdump {
                                let note = format!("{n} bytes of a file, encrypted, not dumped");
                                d.note_conn(self.id, Direction::Sent, &note);
                            }
                            n as u64
                        }
                        Err(e) => {
                            // The file shrank or failed under us: what was promised
                            // cannot be sent; end the connection.
                            self.failed = true;
                            self.log(
                                "tls_error",
                                "error",
                                format!("sending a file: {}", crate::os_error::describe(&e)),
                            );
                            self.plain.clear();
                            return;
                        }
                    }
                }
            };
            out.push_vec(s.take_records());
            if taken == 0 {
                break;
            }
            self.plain.consume(taken);
            self.inner_wrote = true;
        }
        out.push_vec(s.take_records());
        if self.plain.is_empty() {
            self.file_buf = Vec::new();
        }
    }

    /// Kernel TLS: the inner outbox goes to the driver as it is.
    fn pass_through(&mut self, out: &mut Outbox) {
        while let Some(item) = self.plain.front() {
            let n = item.len();
            match item {
                OutItem::Bytes(b) => {
                    self.dump(Direction::Sent, b);
                    out.push_bytes(b);
                }
                OutItem::File { file, offset, len } => {
                    out.push_file(Arc::clone(file), *offset, *len);
                }
            }
            self.plain.consume(n);
            self.inner_wrote = true;
        }
    }
}

/// `pread` up to `want` bytes of `file` at `offset` into `buf` and encrypt them,
/// moving records into `out` as rustls's buffer fills. Returns the bytes read.
fn encrypt_file_chunk(
    s: &mut Session,
    file: &File,
    offset: u64,
    want: usize,
    buf: &mut Vec<u8>,
    out: &mut Outbox,
) -> std::io::Result<usize> {
    buf.resize(want, 0);
    let n = loop {
        match file.read_at(&mut buf[..want], offset) {
            Ok(0) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "file truncated while sending",
                ));
            }
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    let mut done = 0;
    while done < n {
        let w = s.write_plain(&buf[done..n]);
        out.push_vec(s.take_records());
        if w == 0 {
            return Err(std::io::Error::other("TLS refused more data"));
        }
        done += w;
    }
    Ok(n)
}
