//! The datagram batches under `--explain=io`: `recvmmsg(2)` and `sendmmsg(2)` with
//! their vector length (`vlen`) and how many messages the kernel moved, and at `-v`
//! each message's `msg_len` — the datagram's real size, which `MSG_TRUNC` reports even
//! when the buffer kept less. They are I/O-path calls like recv/send: rate-limited per
//! descriptor, and plain `--explain` (setup and lifecycle) leaves them out.

use std::io;
use std::os::fd::RawFd;

use super::{TRACER, io_path};

/// One message of a batch: its length on the wire and the bytes kept of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub len: usize,
    pub kept: usize,
}

/// Whether `-v` asked for the per-message detail.
fn verbose() -> bool {
    TRACER.get().is_some_and(|t| t.bytes)
}

/// `msg_len=[4, 1000 (MSG_TRUNC: 100 kept)]`, as the `-v` note of a batch.
pub fn msg_lens(msgs: &[Msg]) -> String {
    let lens: Vec<String> = msgs
        .iter()
        .map(|m| {
            if m.kept < m.len {
                format!("{} (MSG_TRUNC: {} kept)", m.len, m.kept)
            } else {
                m.len.to_string()
            }
        })
        .collect();
    format!("msg_len=[{}]", lens.join(", "))
}

/// Record a `recvmmsg(fd, msgvec, vlen, flags, NULL)` already made; `got` are the
/// messages it returned.
pub fn recvmmsg(fd: RawFd, vlen: usize, flags: &str, result: &io::Result<usize>, got: &[Msg]) {
    io_path::made(
        "recvmmsg",
        Some(fd),
        || {
            vec![
                fd.to_string(),
                "msgvec".into(),
                vlen.to_string(),
                flags.into(),
                "NULL".into(),
            ]
        },
        result,
        || match result {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                Some("nothing more to read: the drain ends here".into())
            }
            Ok(_) if verbose() => Some(msg_lens(got)),
            _ => None,
        },
    );
}

/// Record a `sendmmsg(fd, msgvec, vlen, 0)` already made; `lens` are the lengths of
/// the `vlen` messages offered, of which the result says how many went.
pub fn sendmmsg(fd: RawFd, lens: &[usize], result: &io::Result<usize>) {
    io_path::made(
        "sendmmsg",
        Some(fd),
        || {
            vec![
                fd.to_string(),
                "msgvec".into(),
                lens.len().to_string(),
                "0".into(),
            ]
        },
        result,
        || {
            let sent = *result.as_ref().ok()?;
            let partial =
                (sent < lens.len()).then(|| format!("{sent} of {} messages sent", lens.len()));
            let detail = verbose().then(|| {
                let msgs: Vec<Msg> = lens[..sent]
                    .iter()
                    .map(|&len| Msg { len, kept: len })
                    .collect();
                msg_lens(&msgs)
            });
            let parts: Vec<String> = partial.into_iter().chain(detail).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_lengths_read_as_strace_names_them() {
        let msgs = [
            Msg { len: 4, kept: 4 },
            Msg {
                len: 1000,
                kept: 100,
            },
        ];
        assert_eq!(msg_lens(&msgs), "msg_len=[4, 1000 (MSG_TRUNC: 100 kept)]");
        assert_eq!(msg_lens(&[]), "msg_len=[]");
    }
}
