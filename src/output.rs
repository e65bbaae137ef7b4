//! Everything nettool tells the user that is not data.
//!
//! Data (bytes from a socket, tables) goes to stdout untouched. Diagnostics go to
//! stderr as human lines. With `--json` stdout carries nothing but records — one JSON
//! object per line, each with an `"event"` name and an RFC 3339 `"time"` — and data
//! becomes records too (`data`, `datagram`), so a script reads one stream and every
//! line parses. The records are described once, in `docs/json-schema.json`, which the
//! man pages' JSON OUTPUT section is generated from and a test validates against.
//! Colour is decided once, here, from `--color`, `NO_COLOR`/`CLICOLOR_FORCE` and
//! whether each stream is a terminal; data on stdout is never coloured.

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::time::SystemTime;

use colored::{Color, Colorize};
use serde_json::{Map, Value};

/// When to colour (the value of `--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

/// How much to say (from `-q` / `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
    Debug,
}

/// How important an event is; it is shown when the verbosity reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Shown unless `-q` (listening, summaries, one line per request).
    Info,
    /// Shown with `-v` (connects, disconnects, per-datagram senders).
    Detail,
}

#[derive(Debug, Clone, Copy)]
struct Colors {
    stdout: bool,
    stderr: bool,
}

static COLORS: OnceLock<Colors> = OnceLock::new();

/// Decide colour for both streams once per process.
pub fn init_color(when: ColorWhen) {
    let env_allows = |tty: bool| {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return false;
        }
        if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
            return true;
        }
        tty && std::env::var("TERM").map_or(true, |t| t != "dumb")
    };
    let colors = match when {
        ColorWhen::Always => Colors {
            stdout: true,
            stderr: true,
        },
        ColorWhen::Never => Colors {
            stdout: false,
            stderr: false,
        },
        ColorWhen::Auto => Colors {
            stdout: env_allows(std::io::stdout().is_terminal()),
            stderr: env_allows(std::io::stderr().is_terminal()),
        },
    };
    // `colored` has its own global switch; we gate per stream ourselves and keep it on.
    colored::control::set_override(true);
    let _ = COLORS.set(colors);
}

fn colors() -> Colors {
    *COLORS.get().unwrap_or(&Colors {
        stdout: false,
        stderr: false,
    })
}

/// `text` in `color` when stderr may be coloured.
pub fn paint_stderr(text: &str, color: Color) -> String {
    if colors().stderr {
        text.color(color).to_string()
    } else {
        text.to_string()
    }
}

/// `text` in `color` when stdout may be coloured (tables, never raw data).
pub fn paint_stdout(text: &str, color: Color) -> String {
    if colors().stdout {
        text.color(color).to_string()
    } else {
        text.to_string()
    }
}

/// Print the one-line error `nettool: …` on stderr.
pub fn error_line(msg: &str) {
    let prefix = paint_stderr("nettool:", Color::Red);
    let _ = writeln!(std::io::stderr().lock(), "{prefix} {msg}");
}

/// The current time as RFC 3339 with milliseconds, as every JSON record carries it.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// One JSON record: `event` and `time` first, then `fields` (an object, or null).
/// Every record nettool prints is built here, so none lacks either.
pub fn record(event: &str, fields: Value) -> Value {
    let fields = into_map(fields);
    let mut obj = Map::with_capacity(fields.len() + 2);
    obj.insert("event".into(), Value::String(event.to_string()));
    obj.insert("time".into(), Value::String(now_rfc3339()));
    obj.extend(fields);
    Value::Object(obj)
}

/// Bytes as a record carries them: `data` as UTF-8 text when they are text, else
/// base64, and `encoding` saying which.
pub fn payload_fields(data: &[u8], fields: &mut Map<String, Value>) {
    use base64::Engine;
    let (text, encoding) = match std::str::from_utf8(data) {
        Ok(s) => (s.to_string(), "text"),
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(data),
            "base64",
        ),
    };
    fields.insert("data".into(), Value::from(text));
    fields.insert("encoding".into(), Value::from(encoding));
}

/// The line a client prints under `--json` for bytes it received: a `data` record (a
/// chunk of a stream) or a `datagram` record, with the sender when it is known.
pub fn received_record(event: &str, peer: Option<&str>, data: &[u8]) -> String {
    let mut fields = Map::new();
    if let Some(peer) = peer {
        fields.insert("peer".into(), Value::from(peer));
    }
    fields.insert("len".into(), Value::from(data.len()));
    payload_fields(data, &mut fields);
    record(event, Value::Object(fields)).to_string()
}

/// A writer for records printed from a thread of their own (the `--packets` view of a
/// client): it hands stdout whole lines only, each batch under stdout's lock, so they
/// never interleave with the records the command prints meanwhile.
#[derive(Debug, Default)]
pub struct StdoutLines {
    pending: Vec<u8>,
}

impl Write for StdoutLines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let rest = self.pending.split_off(end + 1);
            let whole = std::mem::replace(&mut self.pending, rest);
            std::io::stdout().lock().write_all(&whole)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().lock().flush()
    }
}

/// The per-command reporter: cheap to clone, safe to share between threads.
#[derive(Debug, Clone)]
pub struct Output {
    json: bool,
    verbosity: Verbosity,
}

impl Output {
    pub fn new(json: bool, verbosity: Verbosity) -> Self {
        Output { json, verbosity }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    pub fn verbose(&self) -> bool {
        self.verbosity >= Verbosity::Verbose
    }

    fn shows(&self, level: Level) -> bool {
        match level {
            Level::Info => self.verbosity >= Verbosity::Normal,
            Level::Detail => self.verbosity >= Verbosity::Verbose,
        }
    }

    /// Announce a bound server address. The stderr line is the contract scripts and
    /// tests read, so it is printed even under `-q`. Callers print it once every setup
    /// step that can fail has succeeded (and their signal catcher is in place).
    pub fn listening(&self, addr: &str, extra: Value) {
        self.listening_note(addr, None, extra);
    }

    /// [`listening`](Self::listening) with a note after the address, in parentheses
    /// (`listening on 127.0.0.1:7007 (TLS, self-signed certificate sha256 AB:…)`):
    /// what a client must know besides the address. Scripts take the address as the
    /// third word of the line.
    pub fn listening_note(&self, addr: &str, note: Option<&str>, extra: Value) {
        let line = match note {
            Some(n) => format!("listening on {addr} ({n})"),
            None => format!("listening on {addr}"),
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
        if self.json {
            let mut fields = into_map(extra);
            fields.insert("addr".into(), Value::String(addr.to_string()));
            self.write_json("listening", fields);
        }
    }

    /// Report something that happened. `fields` must be a JSON object (or null);
    /// `human` renders the stderr line and is only called when that line is shown.
    pub fn event(&self, level: Level, name: &str, fields: Value, human: impl FnOnce() -> String) {
        if !self.shows(level) {
            return;
        }
        if self.json {
            self.write_json(name, into_map(fields));
        } else {
            stderr_line(human());
        }
    }

    /// A warning that does not stop the command (`nettool: warning: …`), hidden by `-q`.
    pub fn warn(&self, msg: &str) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        if self.json {
            let mut fields = Map::new();
            fields.insert("message".into(), Value::String(msg.to_string()));
            self.write_json("warning", fields);
        } else {
            let prefix = paint_stderr("nettool: warning:", Color::Yellow);
            let _ = writeln!(std::io::stderr().lock(), "{prefix} {msg}");
        }
    }

    /// The command failed: under `--json` its last record says so (the one-line
    /// message stays on stderr, where a human looks).
    pub fn error(&self, message: &str, exit_code: u8) {
        if self.json {
            let mut fields = Map::new();
            fields.insert("message".into(), Value::from(message));
            fields.insert("exit_code".into(), Value::from(exit_code));
            self.write_json("error", fields);
        }
    }

    fn write_json(&self, name: &str, fields: Map<String, Value>) {
        let line = record(name, Value::Object(fields)).to_string();
        // A closed pipe here is not worth dying for; the command notices on its data path.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}").and_then(|_| out.flush());
    }
}

/// One line to stderr in one `write(2)`: stderr is unbuffered, and `writeln!` would
/// write the text and the newline apart, so the lines of a fork engine's parent and
/// children (`--explain`, `-v`) could run into each other.
fn stderr_line(mut line: String) {
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

fn into_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        Value::Null => Map::new(),
        other => {
            let mut m = Map::new();
            m.insert("value".into(), other);
            m
        }
    }
}

/// `12.3 MB/s` style rate (decimal units, as network speeds are quoted).
pub fn human_rate(bytes_per_sec: f64) -> String {
    const UNITS: [&str; 5] = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"];
    let mut v = bytes_per_sec;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Set up `log` from the verbosity; `RUST_LOG` refines it.
pub fn init_logging(verbosity: Verbosity) {
    let level = match verbosity {
        Verbosity::Quiet => log::LevelFilter::Error,
        Verbosity::Normal => log::LevelFilter::Warn,
        Verbosity::Verbose => log::LevelFilter::Info,
        Verbosity::Debug => log::LevelFilter::Debug,
    };
    // rustls narrates alerts it sends (a refused renegotiation, say) as warnings;
    // nettool reports those itself, so its log speaks only from -vv on.
    let rustls = match verbosity {
        Verbosity::Debug => log::LevelFilter::Debug,
        _ => log::LevelFilter::Error,
    };
    let _ = env_logger::Builder::new()
        .filter_level(level)
        .filter_module("rustls", rustls)
        .parse_env("RUST_LOG")
        .format(|buf, record| {
            writeln!(
                buf,
                "nettool: {}: {}",
                record.level().as_str().to_lowercase(),
                record.args()
            )
        })
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_gates_levels() {
        let quiet = Output::new(false, Verbosity::Quiet);
        assert!(!quiet.shows(Level::Info));
        let normal = Output::new(false, Verbosity::Normal);
        assert!(normal.shows(Level::Info) && !normal.shows(Level::Detail));
        assert!(Output::new(false, Verbosity::Verbose).shows(Level::Detail));
    }

    #[test]
    fn non_object_fields_are_wrapped() {
        assert_eq!(into_map(Value::from(3))["value"], Value::from(3));
        assert!(into_map(Value::Null).is_empty());
    }

    #[test]
    fn rates_use_decimal_units() {
        assert_eq!(human_rate(999.0), "999.0 B/s");
        assert_eq!(human_rate(12_300_000.0), "12.3 MB/s");
    }

    #[test]
    fn timestamps_are_rfc3339() {
        let t = now_rfc3339();
        assert!(humantime::parse_rfc3339(&t).is_ok(), "{t}");
    }
}
