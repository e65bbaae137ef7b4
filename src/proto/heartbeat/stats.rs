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

    /// (min, avg, max, mdev) in milliseconds, as ping prints them; `None` before the
    /// first reply (there is no round trip to describe, not one of 0 ms).
    pub fn rtt_summary(&self) -> Option<(f64, f64, f64, f64)> {
        if self.received == 0 {
            return None;
        }
        let n = self.received as f64;
        let avg = self.rtt_sum / n;
        let mdev = (self.rtt_sq / n - avg * avg).max(0.0).sqrt();
        Some((self.rtt_min, avg, self.rtt_max, mdev))
    }

    /// The closing report, as ping words its own: counts, loss, dead periods, and the
    /// RTT line only when a reply came. With `--tcp-keepalive` the kernel probes and no
    /// beat is sent, so the report says that instead of "0 beats sent".
    pub fn summary_text(&self, label: &str, keepalive: bool) -> String {
        use crate::text::{duration, plural};
        let dead = format!(
            "{} ({} down)",
            plural(u64::from(self.dead_periods), "dead period"),
            duration(self.dead_total)
        );
        if keepalive {
            return format!(
                "--- {label} keepalive statistics ---\nno beats sent: the kernel's TCP \
                 keepalive probed the peer; {dead}"
            );
        }
        let head = format!(
            "--- {label} heartbeat statistics ---\n{} sent, {}, {:.1}% lost, {} late, {dead}",
            plural(self.sent, "beat"),
            match self.received {
                0 => "no replies".to_string(),
                n => plural(n, "reply"),
            },
            self.lost_pct(),
            self.late
        );
        match self.rtt_summary() {
            Some((min, avg, max, mdev)) => {
                format!("{head}\nrtt min/avg/max/mdev = {min:.3}/{avg:.3}/{max:.3}/{mdev:.3} ms")
            }
            None if self.sent == 0 => format!("{head}\nno round trip: no beat was sent"),
            None => format!("{head}\nno round trip: no reply arrived"),
        }
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
        let (min, avg, max, mdev) = s.rtt_summary().unwrap();
        assert_eq!((min, avg, max), (1.0, 2.0, 3.0));
        assert!((mdev - (2.0f64 / 3.0).sqrt()).abs() < 1e-9);
        let text = s.summary_text("h:1", false);
        assert!(text.starts_with("--- h:1 heartbeat statistics ---\n4 beats sent, 3 replies, 25.0% lost, 0 late, 0 dead periods (0s down)\nrtt min/avg/max/mdev = 1.000/2.000/3.000/"), "{text}");
    }

    #[test]
    fn no_reply_means_no_rtt_line() {
        let s = Stats {
            sent: 1,
            dead_periods: 1,
            dead_total: Duration::from_millis(1500),
            ..Default::default()
        };
        assert_eq!(s.rtt_summary(), None);
        assert_eq!(
            s.summary_text("h:1", false),
            "--- h:1 heartbeat statistics ---\n1 beat sent, no replies, 100.0% lost, 0 late, \
             1 dead period (1.5s down)\nno round trip: no reply arrived"
        );
    }

    #[test]
    fn keepalive_mode_says_the_kernel_probed() {
        let text = Stats::default().summary_text("h:1", true);
        assert_eq!(
            text,
            "--- h:1 keepalive statistics ---\nno beats sent: the kernel's TCP keepalive probed \
             the peer; 0 dead periods (0s down)"
        );
        assert!(!text.contains("0 beats"));
    }
}
