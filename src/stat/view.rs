//! Rendering socket rows: an aligned table (columns as wide as their widest cell, never
//! cut — long Unix paths and IPv6 addresses push the columns right) or one JSON object
//! per socket. Addresses become text in [`super::names`].

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::internals::{skmem_text, tcp_info_text};
pub use super::names::{Names, numeric_endpoint};
use super::{Proto, Socket, Timer};
use crate::output::paint_stdout;

/// What the table shows besides the six basic columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewOpts {
    /// `-n`: numeric ports (no /etc/services names).
    pub numeric: bool,
    /// `-r`: reverse-resolve host addresses.
    pub resolve: bool,
    /// Print the Netid column (more than one protocol asked for).
    pub netid: bool,
    pub processes: bool,
    pub extended: bool,
    pub timers: bool,
    pub info: bool,
    /// `-m`: socket memory (skmem).
    pub memory: bool,
}

/// `timer:(timewait,59sec,0)` as ss -o prints it.
pub fn timer_text(t: &Timer) -> String {
    format!(
        "timer:({},{},{})",
        t.kind,
        duration_text(t.expires),
        t.retrans
    )
}

fn duration_text(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms >= 60_000 {
        format!("{}min{}sec", ms / 60_000, (ms % 60_000) / 1000)
    } else if ms >= 1000 {
        format!("{}.{:03}sec", ms / 1000, ms % 1000)
    } else {
        format!("{ms}ms")
    }
}

/// The free-form tail of a row: process, timer, uid/inode, socket memory, TCP
/// internals (in ss's order).
fn details(s: &Socket, o: &ViewOpts) -> String {
    let mut parts = Vec::new();
    if o.processes && !s.processes.is_empty() {
        let users: Vec<String> = s
            .processes
            .iter()
            .map(|p| format!("(\"{}\",pid={},fd={})", p.name, p.pid, p.fd))
            .collect();
        parts.push(format!("users:({})", users.join(",")));
    }
    if o.timers {
        if let Some(t) = &s.timer {
            parts.push(timer_text(t));
        }
    }
    if o.extended {
        parts.push(format!("uid:{} ino:{}", s.uid, s.inode));
    }
    if o.memory {
        if let Some(m) = &s.skmem {
            parts.push(skmem_text(m));
        }
    }
    if o.info {
        if let Some(i) = &s.tcp_info {
            parts.push(tcp_info_text(i));
        }
    }
    parts.join(" ")
}

/// The cells of one row, in column order. `mark` (a watch marker) goes first when given.
pub fn cells(s: &Socket, o: &ViewOpts, names: &mut Names) -> Vec<String> {
    let mut c = Vec::with_capacity(8);
    if o.netid {
        c.push(s.proto.netid().to_string());
    }
    c.push(s.state.name(s.proto == Proto::Tcp).to_string());
    c.push(s.recv_q.to_string());
    c.push(s.send_q.to_string());
    c.push(names.endpoint(s.proto, &s.local, s.v6 && !s.v6only));
    c.push(names.endpoint(s.proto, &s.peer, s.v6 && !s.v6only));
    c.push(details(s, o));
    c
}

/// The header cells matching [`cells`].
pub fn header(o: &ViewOpts) -> Vec<String> {
    let mut h: Vec<&str> = Vec::new();
    if o.netid {
        h.push("Netid");
    }
    h.extend([
        "State",
        "Recv-Q",
        "Send-Q",
        "Local Address:Port",
        "Peer Address:Port",
    ]);
    h.push(if o.processes { "Process" } else { "" });
    h.into_iter().map(String::from).collect()
}

/// Columns of text a cell takes (addresses and numbers are ASCII: skip the UTF-8 walk).
fn text_width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Write rows as an aligned table; `marks` (one per row, for --watch) prefix each line.
/// The state column is coloured by phase when stdout is a terminal.
pub fn write_table(
    w: &mut impl Write,
    rows: &[Socket],
    marks: Option<&[String]>,
    o: &ViewOpts,
    names: &mut Names,
) -> io::Result<()> {
    let state_col = usize::from(o.netid);
    let mut table: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    table.push(header(o));
    table.extend(rows.iter().map(|s| cells(s, o, names)));
    let ncol = table[0].len();
    let mut width = vec![0usize; ncol];
    for r in &table {
        for (i, cell) in r.iter().enumerate() {
            width[i] = width[i].max(text_width(cell));
        }
    }
    let mark_w = marks.map_or(0, |m| {
        m.iter().map(|s| s.chars().count()).max().unwrap_or(0)
    });
    let mut line = String::with_capacity(256);
    for (n, r) in table.iter().enumerate() {
        line.clear();
        if let Some(m) = marks {
            let text = if n == 0 { "" } else { m[n - 1].as_str() };
            line.push_str(&format!("{text:<mark_w$}  "));
        }
        for (i, cell) in r.iter().enumerate() {
            let last = i + 1 == ncol;
            let pad = if last {
                0
            } else {
                width[i] - text_width(cell) + 2
            };
            if n > 0 && i == state_col {
                line.push_str(&paint_stdout(cell, rows[n - 1].state.phase_color()));
            } else {
                line.push_str(cell);
            }
            if !last {
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        let trimmed = line.trim_end();
        w.write_all(trimmed.as_bytes())?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// One socket as a JSON object: netid, state, recv_q, send_q, local, peer, and what
/// the options asked for (process, timer, uid + inode, skmem, tcp_info).
pub fn socket_json(s: &Socket, o: &ViewOpts) -> Value {
    let mut m = Map::new();
    m.insert("netid".into(), s.proto.netid().into());
    m.insert("state".into(), s.state.name(s.proto == Proto::Tcp).into());
    m.insert("recv_q".into(), s.recv_q.into());
    m.insert("send_q".into(), s.send_q.into());
    m.insert(
        "local".into(),
        numeric_endpoint(&s.local, s.v6 && !s.v6only).into(),
    );
    m.insert(
        "peer".into(),
        numeric_endpoint(&s.peer, s.v6 && !s.v6only).into(),
    );
    if o.processes {
        m.insert("process".into(), json!(s.processes));
    }
    if o.timers {
        m.insert(
            "timer".into(),
            s.timer.as_ref().map_or(Value::Null, |t| {
                json!({
                    "kind": t.kind, "expires_ms": t.expires.as_millis() as u64, "retrans": t.retrans
                })
            }),
        );
    }
    if o.extended {
        m.insert("uid".into(), s.uid.into());
        m.insert("inode".into(), s.inode.into());
    }
    if o.memory {
        m.insert("skmem".into(), json!(s.skmem));
    }
    if o.info {
        m.insert("tcp_info".into(), json!(s.tcp_info));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stat::State;

    fn sock(local: &str, peer: &str) -> Socket {
        Socket {
            send_q: 5,
            inode: 7,
            ..Socket::tcp_for_test(State::Established, local, peer)
        }
    }

    #[test]
    fn columns_grow_to_fit_and_are_never_cut() {
        let long = "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535";
        let rows = vec![sock("127.0.0.1:1", "127.0.0.1:2"), sock(long, "[::1]:3")];
        let o = ViewOpts {
            numeric: true,
            ..ViewOpts::default()
        };
        let mut out = Vec::new();
        write_table(&mut out, &rows, None, &o, &mut Names::new(o)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(long), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let col = lines[0].find("Peer").unwrap();
        assert_eq!(lines[1].find("127.0.0.1:2"), Some(col));
        assert_eq!(lines[2].find("[::1]:3"), Some(col));
    }

    #[test]
    fn json_has_the_table_keys() {
        let v = socket_json(&sock("127.0.0.1:1", "127.0.0.1:2"), &ViewOpts::default());
        assert_eq!(v["state"], "ESTABLISHED");
        assert_eq!(v["local"], "127.0.0.1:1");
        assert_eq!(v["send_q"], 5);
        assert!(v.get("process").is_none());
    }
}
