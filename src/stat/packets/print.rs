//! How the packet view reads: one line per segment or datagram, the state changes
//! indented between them — or, with `--json`, one `segment` record per packet and one
//! `state` record per change, each with `event` and an RFC 3339 `time`.
//!
//! ```text
//!   0.000000  127.0.0.1:51234 → 127.0.0.1:7007  SYN  seq 0  win 65495  len 0  MSS 65495, SACK-permitted, …
//!             client 127.0.0.1:51234 CLOSED → SYN-SENT
//!   0.000012  127.0.0.1:7007 → 127.0.0.1:51234  SYN-ACK  seq 0  ack 1  win 65483  len 0  …
//! ```

use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::SystemTime;

use colored::Color;
use serde_json::{Value, json};

use super::parse::{Packet, Segment};
use super::tracker::{Shown, Source, Transition};

/// What is printed, and how.
pub struct Printer {
    pub json: bool,
    pub relative: bool,
    /// Colour for the stream written to (decided by `output`).
    pub paint: fn(&str, Color) -> String,
    /// When the first packet was seen: times are shown from there.
    first: Option<SystemTime>,
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_micros(t).to_string()
}

impl Printer {
    pub fn new(json: bool, relative: bool, paint: fn(&str, Color) -> String) -> Printer {
        Printer {
            json,
            relative,
            paint,
            first: None,
        }
    }

    /// Seconds since the first packet (which this call may be).
    fn since(&mut self, t: SystemTime) -> f64 {
        let first = *self.first.get_or_insert(t);
        t.duration_since(first).unwrap_or_default().as_secs_f64()
    }

    /// A TCP segment and the state changes it caused.
    pub fn segment(
        &mut self,
        w: &mut impl Write,
        time: SystemTime,
        iface: &str,
        pkt: &Packet,
        seg: &Segment,
        shown: &Shown,
    ) -> io::Result<()> {
        let t = self.since(time);
        let v = &shown.view;
        if self.json {
            let rec = json!({
                "event": "segment", "time": rfc3339(time), "t": round6(t), "iface": iface,
                "proto": "tcp", "src": pkt.src.to_string(), "dst": pkt.dst.to_string(),
                "flags": seg.flags.names(), "seq": v.seq, "ack": v.ack, "relative": self.relative,
                "len": seg.payload_len, "window": v.window, "window_field": seg.window,
                "window_scale": v.scale,
                "options": seg.options.iter().map(|o| o.json()).collect::<Vec<Value>>(),
                "notes": v.notes,
            });
            writeln!(w, "{rec}")?;
        } else {
            let mut line = format!(
                "{t:>10.6}  {} → {}  {}  seq {}",
                pkt.src,
                pkt.dst,
                (self.paint)(&seg.flags.to_string(), flag_color(seg)),
                v.seq
            );
            if let Some(ack) = v.ack {
                line.push_str(&format!("  ack {ack}"));
            }
            line.push_str(&format!("  win {}", v.window));
            if v.scale.is_none() && !seg.flags.syn() && !seg.flags.rst() {
                line.push_str(" (scale unknown)");
            }
            line.push_str(&format!("  len {}", seg.payload_len));
            if !seg.options.is_empty() {
                let words: Vec<String> = seg.options.iter().map(|o| o.words()).collect();
                line.push_str(&format!("  {}", words.join(", ")));
            }
            for n in &v.notes {
                line.push_str(&format!(
                    "  {}",
                    (self.paint)(&format!("[{n}]"), Color::Yellow)
                ));
            }
            writeln!(w, "{line}")?;
        }
        for tr in &shown.transitions {
            self.state(w, time, tr)?;
        }
        Ok(())
    }

    /// A UDP datagram.
    pub fn datagram(
        &mut self,
        w: &mut impl Write,
        time: SystemTime,
        iface: &str,
        src: SocketAddr,
        dst: SocketAddr,
        len: u32,
    ) -> io::Result<()> {
        let t = self.since(time);
        if self.json {
            let rec = json!({
                "event": "segment", "time": rfc3339(time), "t": round6(t), "iface": iface,
                "proto": "udp", "src": src.to_string(), "dst": dst.to_string(), "len": len,
            });
            writeln!(w, "{rec}")
        } else {
            writeln!(w, "{t:>10.6}  {src} → {dst}  UDP  len {len}")
        }
    }

    /// A socket's state change, at `time` (a segment's, or the look at the kernel's).
    pub fn state(
        &mut self,
        w: &mut impl Write,
        time: SystemTime,
        tr: &Transition,
    ) -> io::Result<()> {
        if self.json {
            let t = self.first.map(|_| round6(self.since(time)));
            let rec = json!({
                "event": "state", "time": rfc3339(time), "t": t, "role": tr.role.name(),
                "local": tr.local.to_string(), "peer": tr.peer.to_string(),
                "from": tr.from_name(), "to": tr.to.name(true), "source": tr.source.name(),
            });
            writeln!(w, "{rec}")
        } else {
            let to = (self.paint)(tr.to.name(true), tr.to.phase_color());
            // Steps the segments did not explain are the kernel's word: say so.
            let said = match tr.source {
                Source::Kernel => (self.paint)("  (kernel)", Color::BrightBlack),
                Source::Segments => String::new(),
            };
            writeln!(
                w,
                "{:12}{} {} {} → {to}{said}",
                "",
                tr.role.name(),
                tr.local,
                tr.from_name()
            )
        }
    }
}

fn round6(t: f64) -> f64 {
    (t * 1e6).round() / 1e6
}

/// Opening in yellow, closing in magenta, resets in red, data plain.
fn flag_color(seg: &Segment) -> Color {
    let f = seg.flags;
    if f.rst() {
        Color::Red
    } else if f.syn() {
        Color::Yellow
    } else if f.fin() {
        Color::Magenta
    } else {
        Color::White
    }
}

/// One record of each kind the printer writes (a TCP segment with every option, the
/// state change after it, a UDP datagram), for tests of the documented schema.
#[cfg(test)]
pub fn sample_records() -> Vec<Value> {
    let (pkt, mut seg, shown) = tests::example();
    seg.options.extend([
        super::parse::TcpOption::WindowScale(7),
        super::parse::TcpOption::Timestamps { val: 1, ecr: 2 },
        super::parse::TcpOption::Sack(vec![(1, 2)]),
    ]);
    let mut p = Printer::new(true, true, |s, _| s.to_string());
    let mut out = Vec::new();
    let now = SystemTime::now();
    p.segment(&mut out, now, "lo", &pkt, &seg, &shown).unwrap();
    p.datagram(&mut out, now, "lo", pkt.src, pkt.dst, 5)
        .unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::flow::{Role, View};
    use super::super::parse::{Body, Flags, TcpOption};
    use super::*;
    use crate::stat::State;

    fn plain(s: &str, _: Color) -> String {
        s.to_string()
    }

    pub(super) fn example() -> (Packet, Segment, Shown) {
        let seg = Segment {
            seq: 7,
            ack: 9,
            flags: Flags(Flags::SYN | Flags::ACK),
            window: 65483,
            options: vec![TcpOption::Mss(65495), TcpOption::SackPermitted],
            payload_len: 0,
        };
        let pkt = Packet {
            src: "127.0.0.1:7007".parse().unwrap(),
            dst: "127.0.0.1:51234".parse().unwrap(),
            body: Body::Tcp(seg.clone()),
        };
        let shown = Shown {
            view: View {
                from: 1,
                seq: 0,
                ack: Some(1),
                window: 65483,
                scale: None,
                notes: vec![],
                acked_fin: false,
            },
            transitions: vec![Transition {
                role: Role::Client,
                local: "127.0.0.1:51234".parse().unwrap(),
                peer: "127.0.0.1:7007".parse().unwrap(),
                from: Some(State::SynSent),
                to: State::Established,
                source: Source::Segments,
            }],
        };
        (pkt, seg, shown)
    }

    #[test]
    fn human_lines() {
        let (pkt, seg, shown) = example();
        let mut p = Printer::new(false, true, plain);
        let mut out = Vec::new();
        p.segment(&mut out, SystemTime::now(), "lo", &pkt, &seg, &shown)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "  0.000000  127.0.0.1:7007 → 127.0.0.1:51234  SYN-ACK  seq 0  ack 1  win 65483  len 0  MSS 65495, SACK-permitted"
        );
        assert_eq!(
            lines[1],
            "            client 127.0.0.1:51234 SYN-SENT → ESTABLISHED"
        );
    }

    #[test]
    fn the_kernels_word_is_marked() {
        let (_, _, mut shown) = example();
        let mut tr = shown.transitions.remove(0);
        (tr.from, tr.to, tr.source) = (Some(State::TimeWait), State::Closed, Source::Kernel);
        let mut out = Vec::new();
        Printer::new(false, true, plain)
            .state(&mut out, SystemTime::now(), &tr)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "            client 127.0.0.1:51234 TIME-WAIT → CLOSED  (kernel)\n"
        );
    }

    #[test]
    fn json_records() {
        let (pkt, seg, shown) = example();
        let mut p = Printer::new(true, true, plain);
        let mut out = Vec::new();
        p.segment(&mut out, SystemTime::now(), "lo", &pkt, &seg, &shown)
            .unwrap();
        let recs: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(recs[0]["event"], "segment");
        assert_eq!(recs[0]["flags"], json!(["SYN", "ACK"]));
        assert_eq!(
            (recs[0]["seq"].as_u64(), recs[0]["ack"].as_u64()),
            (Some(0), Some(1))
        );
        assert!(humantime::parse_rfc3339(recs[0]["time"].as_str().unwrap()).is_ok());
        assert_eq!(recs[1]["event"], "state");
        assert_eq!(
            (recs[1]["from"].as_str(), recs[1]["to"].as_str()),
            (Some("SYN-SENT"), Some("ESTABLISHED"))
        );
    }
}
