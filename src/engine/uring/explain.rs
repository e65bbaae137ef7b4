//! The io_uring engine under `--explain=io`, in liburing's terms: each submission as
//! the `io_uring_prep_*` call that would build it, each `io_uring_enter(2)` with what
//! it submitted and waited for, and each completion (`struct io_uring_cqe`) with its
//! `res` and flags — `IORING_CQE_F_MORE` (a multishot request stays armed),
//! `IORING_CQE_F_BUFFER` (which provided buffer holds the bytes). Rate-limited per
//! descriptor like the readiness engines' calls: a connection's submissions and
//! completions count against its socket, the enters against the ring.

use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

use io_uring::cqueue;

use super::Op;
use super::ring::Completion;
use crate::net::trace::{self, TraceResult};

/// What a submission of `op` was, as the liburing call that prepares it.
pub fn prep_name(op: Op) -> &'static str {
    match op {
        Op::Accept | Op::Signal => "io_uring_prep_poll_multishot",
        Op::LoopCancel | Op::Cancel => "io_uring_prep_cancel",
        Op::Recv => "io_uring_prep_recv_multishot",
        Op::Send => "io_uring_prep_send",
        Op::SendPoll => "io_uring_prep_poll_add",
    }
}

/// A completion's flags as liburing names them (`0` for none).
pub fn cqe_flags(flags: u32) -> String {
    trace::flag_names([
        (cqueue::more(flags), "IORING_CQE_F_MORE"),
        (
            cqueue::buffer_select(flags).is_some(),
            "IORING_CQE_F_BUFFER",
        ),
        (cqueue::buffer_more(flags), "IORING_CQE_F_BUF_MORE"),
        (cqueue::sock_nonempty(flags), "IORING_CQE_F_SOCK_NONEMPTY"),
    ])
}

/// `cqe->res`: a count, or a negative errno named as liburing's callers test it.
struct Res(i32);

impl TraceResult for Res {
    fn shown(&self) -> String {
        if self.0 >= 0 {
            return self.0.to_string();
        }
        // The errno's name (EAGAIN), as strace shows it, then its text.
        let errno = nix::errno::Errno::from_raw(-self.0);
        format!("-{errno:?} ({})", errno.desc())
    }
}

/// Record completion `c` of `op`, a request on `fd`.
pub fn completion(c: &Completion, op: Op, fd: RawFd) {
    trace::made(
        "io_uring_cqe",
        Some(fd),
        || {
            vec![
                format!(
                    "user_data={:#x} ({} on fd {fd})",
                    c.user_data,
                    prep_name(op)
                ),
                format!("flags={}", cqe_flags(c.flags)),
            ]
        },
        &Ok(Res(c.result)),
        || meaning(c, op),
    );
}

/// What a completion says, where it is more than its result.
fn meaning(c: &Completion, op: Op) -> Option<String> {
    let multishot = matches!(op, Op::Recv | Op::Accept | Op::Signal);
    let ended = (multishot && !c.more() && c.result != -libc::ECANCELED)
        .then_some("multishot ended: re-armed if still wanted");
    let what = match (op, c.result) {
        (Op::Recv, n) if n > 0 => c
            .buffer()
            .map(|bid| format!("{} in buffer {bid}", bytes(n))),
        (Op::Recv, 0) if c.buffer().is_none() => Some("EOF: the peer sent FIN".into()),
        (Op::Send, n) if n >= 0 => Some(format!("{} sent", bytes(n))),
        (_, e) if e == -libc::ENOBUFS => Some("the buffer ring ran dry".into()),
        (_, e) if e == -libc::ECANCELED => Some("cancelled".into()),
        _ => None,
    };
    let parts: Vec<String> = what.into_iter().chain(ended.map(String::from)).collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn bytes(n: i32) -> String {
    crate::text::plural(n as u64, "byte")
}

/// Record an `io_uring_enter(fd, to_submit, min_complete, flags, arg)` already made,
/// after which `ready` completions were waiting.
pub fn enter(
    ring: RawFd,
    to_submit: usize,
    min_complete: u32,
    timeout: Option<Duration>,
    result: &io::Result<usize>,
    ready: usize,
) {
    trace::made(
        "io_uring_enter",
        Some(ring),
        || {
            let (flags, arg) = match (min_complete, timeout) {
                (0, _) => ("0", "NULL".to_string()),
                (_, None) => ("IORING_ENTER_GETEVENTS", "NULL".to_string()),
                (_, Some(t)) => (
                    "IORING_ENTER_GETEVENTS|IORING_ENTER_EXT_ARG",
                    format!("{{ts={}}}", crate::text::duration(t)),
                ),
            };
            vec![
                ring.to_string(),
                to_submit.to_string(),
                min_complete.to_string(),
                flags.into(),
                arg,
            ]
        },
        result,
        || {
            let note = match result {
                Err(e) if e.raw_os_error() == Some(libc::ETIME) => "timed out".to_string(),
                _ => format!("{to_submit} submitted, {ready} completions ready"),
            };
            Some(note)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_results_read_as_liburing_names_them() {
        assert_eq!(cqe_flags(0), "0");
        // IORING_CQE_F_BUFFER | IORING_CQE_F_MORE, buffer 3 (above IORING_CQE_BUFFER_SHIFT).
        let buffer_3_more = 1 | 2 | (3 << 16);
        assert_eq!(
            cqe_flags(buffer_3_more),
            "IORING_CQE_F_MORE|IORING_CQE_F_BUFFER"
        );
        assert_eq!(Res(6).shown(), "6");
        assert!(Res(-libc::ENOBUFS).shown().starts_with("-ENOBUFS ("));
    }
}
