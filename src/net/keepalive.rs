//! TCP keepalive and `TCP_USER_TIMEOUT`: the kernel's own dead-peer detection, for
//! comparison with application heartbeats.
//!
//! * `SO_KEEPALIVE` (socket(7)) with `TCP_KEEPIDLE`, `TCP_KEEPINTVL`, `TCP_KEEPCNT`
//!   (tcp(7)): after IDLE seconds without traffic the kernel sends a probe every INTVL
//!   seconds, and after CNT unanswered probes it drops the connection; the next read
//!   fails with `ETIMEDOUT`. All three are whole seconds.
//! * `TCP_USER_TIMEOUT` (tcp(7)): how long sent data may stay unacknowledged before
//!   the connection is dropped; with keepalive on, it also bounds the probing.

use std::time::Duration;

use crate::net::trace;
use anyhow::Context;
use socket2::{Socket, TcpKeepalive};

/// The settings derived from a heartbeat's `--interval` and `--misses`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepaliveSettings {
    pub idle: Duration,
    pub interval: Duration,
    pub count: u32,
    pub user_timeout: Duration,
}

impl KeepaliveSettings {
    /// Idle = interval = `--interval` rounded up to whole seconds, count = `--misses`,
    /// user timeout = interval × (misses + 1): the same bound the heartbeat promises.
    pub fn from_heartbeat(interval: Duration, misses: u32) -> KeepaliveSettings {
        let secs = Duration::from_secs(interval.as_secs_f64().ceil().max(1.0) as u64);
        KeepaliveSettings {
            idle: secs,
            interval: secs,
            count: misses.max(1),
            user_timeout: secs * (misses.max(1) + 1),
        }
    }
}

/// Turn keepalive on with `s` and set `TCP_USER_TIMEOUT`.
pub fn apply(sock: &Socket, s: &KeepaliveSettings) -> anyhow::Result<()> {
    let ka = TcpKeepalive::new()
        .with_time(s.idle)
        .with_interval(s.interval)
        .with_retries(s.count);
    // socket2 sets the four options in this order (SO_KEEPALIVE, then the TCP ones).
    let (idle, intvl) = (s.idle.as_secs(), s.interval.as_secs());
    trace::call(
        "setsockopt",
        || {
            vec![
                trace::fd(sock),
                "SOL_SOCKET".into(),
                "SO_KEEPALIVE".into(),
                "1".into(),
            ]
        },
        || sock.set_keepalive(true),
    )
    .context("set SO_KEEPALIVE")?;
    trace::call(
        "setsockopt",
        || {
            vec![
                trace::fd(sock),
                "IPPROTO_TCP".into(),
                "TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT".into(),
                format!("{idle}/{intvl}/{}", s.count),
            ]
        },
        || sock.set_tcp_keepalive(&ka),
    )
    .context("set TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT")?;
    trace::call(
        "setsockopt",
        || {
            vec![
                trace::fd(sock),
                "IPPROTO_TCP".into(),
                "TCP_USER_TIMEOUT".into(),
                s.user_timeout.as_millis().to_string(),
            ]
        },
        || sock.set_tcp_user_timeout(Some(s.user_timeout)),
    )
    .context("set TCP_USER_TIMEOUT")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_up_to_seconds() {
        let s = KeepaliveSettings::from_heartbeat(Duration::from_millis(300), 3);
        assert_eq!(s.idle, Duration::from_secs(1));
        assert_eq!(s.count, 3);
        assert_eq!(s.user_timeout, Duration::from_secs(4));
    }

    #[test]
    fn options_are_set_on_a_socket() {
        let sock = Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        let s = KeepaliveSettings::from_heartbeat(Duration::from_secs(2), 4);
        apply(&sock, &s).unwrap();
        assert!(sock.keepalive().unwrap());
        assert_eq!(sock.tcp_keepalive_time().unwrap(), Duration::from_secs(2));
        assert_eq!(sock.tcp_keepalive_retries().unwrap(), 4);
        assert_eq!(
            sock.tcp_user_timeout().unwrap(),
            Some(Duration::from_secs(10))
        );
    }
}
