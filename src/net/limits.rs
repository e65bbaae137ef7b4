//! The open-file limit (`RLIMIT_NOFILE`, getrlimit(2)). Every connection costs one
//! file descriptor, so a server's connection ceiling is this limit: servers raise the
//! soft limit to the hard limit at start and say what they got.

use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// What raising the limit achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NofileLimit {
    /// The soft limit before nettool touched it.
    pub before: u64,
    /// The soft limit now: the most descriptors this process may hold.
    pub soft: u64,
    /// The hard limit: the ceiling an unprivileged process may raise `soft` to.
    pub hard: u64,
}

/// Raise the soft `RLIMIT_NOFILE` to the hard limit; on failure keep the old one.
pub fn raise_nofile() -> NofileLimit {
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return NofileLimit {
            before: 0,
            soft: 0,
            hard: 0,
        };
    };
    log::debug!("RLIMIT_NOFILE: soft {soft}, hard {hard}; raising the soft limit to the hard one");
    if soft >= hard || setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_err() {
        return NofileLimit {
            before: soft,
            soft,
            hard,
        };
    }
    NofileLimit {
        before: soft,
        soft: hard,
        hard,
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
    fn raising_reaches_the_hard_limit() {
        let got = raise_nofile();
        assert_eq!(got.soft, got.hard);
        assert_eq!(nofile(), (got.soft, got.hard));
    }
}
