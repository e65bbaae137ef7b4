//! Ping-style statistics of a heartbeat client: sent, received, late, loss and the
//! RTT min/avg/max/mdev (mdev is the standard deviation, as ping computes it).

use std::time::Duration;

/// Ping-style totals.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub sent: u64,
    pub received: u64,
    pub late: u64,
    rtt_min: f64,
    rtt_max: f64,
    rtt_sum: f64,
    rtt_sq: f64,
    pub dead_periods: u32,
    pub dead_total: Duration,
}

impl Stats {
    pub(super) fn rtt(&mut self, ms: f64) {
        if self.received == 0 || ms < self.rtt_min {
            self.rtt_min = ms;
        }
        self.rtt_max = self.rtt_max.max(ms);
        self.rtt_sum += ms;
        self.rtt_sq += ms * ms;
        self.received += 1;
    }

    pub fn lost_pct(&self) -> f64 {
        if self.sent == 0 {
            return 0.0;
        }
        100.0 * (self.sent.saturating_sub(self.received)) as f64 / self.sent as f64
    }

    /// (min, avg, max, mdev) in milliseconds, as ping prints them.
    pub fn rtt_summary(&self) -> (f64, f64, f64, f64) {
        if self.received == 0 {
            return (0.0, 0.0, 0.0, 0.0);
        }
        let n = self.received as f64;
        let avg = self.rtt_sum / n;
        let mdev = (self.rtt_sq / n - avg * avg).max(0.0).sqrt();
        (self.rtt_min, avg, self.rtt_max, mdev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_like_ping() {
        let mut s = Stats {
            sent: 4,
            ..Default::default()
        };
        for ms in [1.0, 2.0, 3.0] {
            s.rtt(ms);
        }
        assert_eq!(s.lost_pct(), 25.0);
        let (min, avg, max, mdev) = s.rtt_summary();
        assert_eq!((min, avg, max), (1.0, 2.0, 3.0));
        assert!((mdev - (2.0f64 / 3.0).sqrt()).abs() < 1e-9);
    }
}
