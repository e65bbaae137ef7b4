//! The record a fork-engine child sends its parent before exiting: what the
//! connection moved, why it ended, and the reads it made (the engine counters of a
//! child live in its own memory, which dies with it). Fixed size, shorter than `PIPE_BUF`, so each is
//! one atomic `write(2)` on the shared pipe.

use nix::unistd::Pid;

use crate::engine::counts::IoSnapshot;
use crate::engine::{CloseReason, ConnResult};

/// One child's report: pid (4), reason (1), padding (3), bytes in (8), bytes out (8),
/// reads (8), of them EAGAIN (8).
pub(super) const RECORD: usize = 40;
// Records must fit in one atomic pipe write, or reports from children could interleave.
const _: () = assert!(RECORD <= libc::PIPE_BUF);

const REASONS: [CloseReason; 9] = [
    CloseReason::Done,
    CloseReason::PeerClosed,
    CloseReason::Reset,
    CloseReason::IdleTimeout,
    CloseReason::Deadline,
    CloseReason::Shutdown,
    CloseReason::Error,
    CloseReason::Upstream,
    CloseReason::Stalled,
];

pub(super) fn encode(pid: Pid, r: &ConnResult, io: &IoSnapshot) -> [u8; RECORD] {
    let mut rec = [0u8; RECORD];
    rec[..4].copy_from_slice(&pid.as_raw().to_le_bytes());
    rec[4] = REASONS.iter().position(|x| *x == r.reason).unwrap_or(6) as u8;
    rec[8..16].copy_from_slice(&r.bytes_in.to_le_bytes());
    rec[16..24].copy_from_slice(&r.bytes_out.to_le_bytes());
    rec[24..32].copy_from_slice(&io.reads.to_le_bytes());
    rec[32..40].copy_from_slice(&io.eagain.to_le_bytes());
    rec
}

pub(super) fn decode(rec: &[u8]) -> (Pid, ConnResult, IoSnapshot) {
    let word = |r: std::ops::Range<usize>| u64::from_le_bytes(rec[r].try_into().expect("8 bytes"));
    let pid = i32::from_le_bytes(rec[..4].try_into().expect("4 bytes"));
    let result = ConnResult {
        bytes_in: word(8..16),
        bytes_out: word(16..24),
        reason: REASONS
            .get(rec[4] as usize)
            .copied()
            .unwrap_or(CloseReason::Error),
    };
    let io = IoSnapshot {
        reads: word(24..32),
        eagain: word(32..40),
        ..IoSnapshot::default()
    };
    (Pid::from_raw(pid), result, io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_round_trip() {
        for reason in REASONS {
            let r = ConnResult {
                bytes_in: 1 << 40,
                bytes_out: 12345,
                reason,
            };
            let io = IoSnapshot {
                reads: 7,
                eagain: 1,
                ..IoSnapshot::default()
            };
            let (pid, back, io_back) = decode(&encode(Pid::from_raw(4242), &r, &io));
            assert_eq!(pid, Pid::from_raw(4242));
            assert_eq!(io_back, io);
            assert_eq!(
                (back.bytes_in, back.bytes_out, back.reason),
                (r.bytes_in, 12345, reason)
            );
        }
    }
}
