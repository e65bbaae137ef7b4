//! The open-file limit (`RLIMIT_NOFILE`, getrlimit(2)). Every connection costs one
//! file descriptor, so a server's connection ceiling is this limit: servers raise it
//! at start as far as the system lets them, and say what stopped them.
//!
//! Two ceilings stand in the way. The **hard limit** is as far as an unprivileged
//! process may raise its soft limit; raising the hard limit itself needs
//! `CAP_SYS_RESOURCE`. Even then the kernel's **`fs.nr_open`** (proc(5)) is the most
//! descriptors any process may have. So: try `fs.nr_open` for both limits (works with
//! the capability), else the hard limit for the soft one.

use std::fmt;

use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// What kept the limit from going higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceiling {
    /// The hard limit: raising it needs `CAP_SYS_RESOURCE` (or `ulimit -Hn` as root).
    HardLimit,
    /// `fs.nr_open`: the kernel's per-process maximum (`sysctl fs.nr_open`).
    NrOpen,
}

impl fmt::Display for Ceiling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ceiling::HardLimit => {
                "the hard limit (raising it needs CAP_SYS_RESOURCE, or a higher `ulimit -Hn`)"
            }
            Ceiling::NrOpen => "fs.nr_open (sysctl fs.nr_open)",
        })
    }
}

/// What raising the limit achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NofileLimit {
    /// The soft limit before nettool touched it.
    pub before: u64,
    /// The soft limit now: the most descriptors this process may hold.
    pub soft: u64,
    /// The hard limit now.
    pub hard: u64,
    /// `fs.nr_open`, when it could be read.
    pub nr_open: Option<u64>,
    /// Which ceiling stopped the raise.
    pub stopped_by: Ceiling,
}

/// `fs.nr_open` from /proc.
pub fn nr_open() -> Option<u64> {
    std::fs::read_to_string("/proc/sys/fs/nr_open")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Raise `RLIMIT_NOFILE` as far as allowed: to `fs.nr_open` if we may raise the hard
/// limit, else the soft limit to the hard one. On failure the old limit stays.
pub fn raise_nofile() -> NofileLimit {
    let nr_open = nr_open();
    let Ok((before, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return NofileLimit {
            before: 0,
            soft: 0,
            hard: 0,
            nr_open,
            stopped_by: Ceiling::HardLimit,
        };
    };
    log::debug!(
        "RLIMIT_NOFILE: soft {before}, hard {hard}, fs.nr_open {nr_open:?}; raising as far as allowed"
    );
    if let Some(max) = nr_open.filter(|&m| m > hard) {
        if setrlimit(Resource::RLIMIT_NOFILE, max, max).is_ok() {
            return NofileLimit {
                before,
                soft: max,
                hard: max,
                nr_open,
                stopped_by: Ceiling::NrOpen,
            };
        }
    }
    let soft = if before >= hard || setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        hard.max(before)
    } else {
        before
    };
    let stopped_by = if nr_open.is_some_and(|m| m <= hard) {
        Ceiling::NrOpen
    } else {
        Ceiling::HardLimit
    };
    NofileLimit {
        before,
        soft,
        hard,
        nr_open,
        stopped_by,
    }
}

/// The current soft and hard limits.
pub fn nofile() -> (u64, u64) {
    getrlimit(Resource::RLIMIT_NOFILE).unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_reaches_the_ceiling_it_names() {
        let got = raise_nofile();
        assert_eq!(got.soft, got.hard);
        assert_eq!(nofile(), (got.soft, got.hard));
        match got.stopped_by {
            Ceiling::NrOpen => assert_eq!(Some(got.hard), got.nr_open),
            Ceiling::HardLimit => assert!(got.nr_open.is_none_or(|m| m > got.hard)),
        }
        // A second raise finds nothing more to take.
        assert_eq!(raise_nofile().soft, got.soft);
    }
}
