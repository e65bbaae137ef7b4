//! `--explain` and `--dry-run`: the socket calls a command makes, printed in C terms
//! (`setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 1) = 0`) as strace would show them.
//!
//! The record is made by the same code that makes the call — every builder in
//! `net` wraps each syscall in [`call`] (or [`action`]) with its C spelling beside
//! it — so the explanation cannot drift from what really happens.
//!
//! `--dry-run` sets everything up (sockets, options, bind, listen, group joins: what
//! the explanation is about) and stops before the first *action* that would talk to
//! the network or wait for it (connect, send, accept, the event loop): [`action`]
//! returns a [`DryRunStop`] error there, which the binary treats as success.
//!
//! This layer only makes the [`Record`]s; whoever switched tracing on ([`init`])
//! decides how they are shown (the command line prints them as events).

use std::io;
use std::os::fd::AsRawFd;
use std::sync::OnceLock;

use serde_json::json;

pub use crate::error::DryRunStop;

/// How much tracing the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Off,
    /// Print each call as it is made.
    Explain,
    /// Print the setup calls, stop before the first action.
    DryRun,
}

/// One socket call as `--explain` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// The C function: `socket`, `setsockopt`, `connect`, …
    pub call: &'a str,
    /// Its arguments as strace prints them.
    pub args: &'a [String],
    /// What it returned, as strace shows it (`3`, `0`, `-1 EADDRINUSE (Address in
    /// use)`), with the JSON value beside it; `None` for a call `--dry-run` did not make.
    pub result: Option<(String, serde_json::Value)>,
    /// Not a system call but a step of a layer above the socket (`call` names the
    /// layer, `tls`; `args` say what happened: a record sent, the handshake done).
    pub step: bool,
}

/// Where the records go.
pub type Sink = Box<dyn Fn(&Record<'_>) + Send + Sync>;

struct Tracer {
    mode: Mode,
    sink: Sink,
}

static TRACER: OnceLock<Tracer> = OnceLock::new();

/// Switch tracing on for this process (once, from `main`), every record to `sink`.
pub fn init(mode: Mode, sink: Sink) {
    if mode != Mode::Off {
        let _ = TRACER.set(Tracer { mode, sink });
    }
}

/// Whether calls are being recorded.
pub fn enabled() -> bool {
    TRACER.get().is_some()
}

/// True when an I/O error is the `--dry-run` stop itself (callers pass it on instead
/// of wording it as a failure).
pub fn is_stop(err: &io::Error) -> bool {
    err.get_ref().is_some_and(|inner| inner.is::<DryRunStop>())
}

/// Make the setup call `f`, recording it as `name(args…) = result`.
pub fn call<T: TraceResult>(
    name: &str,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    let Some(t) = TRACER.get() else {
        return logged(name, args, f);
    };
    let args = args();
    let result = f();
    record(t, name, &args, &result);
    result
}

/// Make the action `f` (connect, send, accept, wait): recorded like [`call`], but under
/// `--dry-run` it is recorded as "not made" and a [`DryRunStop`] error is returned.
pub fn action<T: TraceResult>(
    name: &str,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    let Some(t) = TRACER.get() else {
        return logged(name, args, f);
    };
    if t.mode == Mode::DryRun {
        let args = args();
        (t.sink)(&Record {
            call: name,
            args: &args,
            result: None,
            step: false,
        });
        let text = format!("{name}({})", args.join(", "));
        return Err(io::Error::other(DryRunStop { call: text }));
    }
    call(name, args, f)
}

/// A point a dry run does not pass (the start of a wait for traffic): returns the
/// [`DryRunStop`] under `--dry-run`, does nothing otherwise.
pub fn checkpoint(name: &str, args: impl FnOnce() -> Vec<String>) -> io::Result<()> {
    match TRACER.get() {
        Some(t) if t.mode == Mode::DryRun => action(name, args, || Ok(())),
        _ => Ok(()),
    }
}

/// Without `--explain`, `-vv` still shows every call as a debug line: the socket
/// options applied, the binds, connects and joins made, and how each ended.
fn logged<T: TraceResult>(
    name: &str,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    if !log::log_enabled!(log::Level::Debug) {
        return f();
    }
    let args = args();
    let result = f();
    log::debug!("{name}({}) = {}", args.join(", "), outcome(&result).0);
    result
}

/// A call's result as strace shows it (`3`, `-1 ECONNREFUSED (Connection refused)`)
/// and as a JSON value.
fn outcome<T: TraceResult>(result: &io::Result<T>) -> (String, serde_json::Value) {
    match result {
        Ok(v) => (v.shown(), json!(v.shown())),
        Err(e) => {
            let errno = e.raw_os_error().map(nix::errno::Errno::from_raw);
            match errno {
                Some(n) => (
                    format!("-1 {n:?} ({})", n.desc()),
                    json!({"error": format!("{n:?}")}),
                ),
                None => {
                    let why = crate::os_error::describe(e);
                    (format!("-1 ({why})"), json!({ "error": why }))
                }
            }
        }
    }
}

fn record<T: TraceResult>(t: &Tracer, name: &str, args: &[String], result: &io::Result<T>) {
    (t.sink)(&Record {
        call: name,
        args,
        result: Some(outcome(result)),
        step: false,
    });
}

/// Record a step of the layer `layer` (TLS) among the socket calls: `what` is only
/// rendered when tracing is on. Under `--dry-run` no layer ever gets to a step (it
/// stops before traffic), so steps are shown as they happen.
pub fn step(layer: &str, what: impl FnOnce() -> String) {
    if let Some(t) = TRACER.get() {
        let args = [what()];
        (t.sink)(&Record {
            call: layer,
            args: &args,
            result: None,
            step: true,
        });
    }
}

/// How a call's successful result is shown (`= 3` for a new fd, `= 0` otherwise).
pub trait TraceResult {
    fn shown(&self) -> String;
}

impl TraceResult for () {
    fn shown(&self) -> String {
        "0".into()
    }
}

impl TraceResult for usize {
    fn shown(&self) -> String {
        self.to_string()
    }
}

/// A spawned child (`--exec`) is shown by its pid, as strace shows fork's result.
impl TraceResult for std::process::Child {
    fn shown(&self) -> String {
        self.id().to_string()
    }
}

impl TraceResult for socket2::Socket {
    fn shown(&self) -> String {
        self.as_raw_fd().to_string()
    }
}

impl TraceResult for netlink_sys::Socket {
    fn shown(&self) -> String {
        self.as_raw_fd().to_string()
    }
}

impl TraceResult for nix::sys::epoll::Epoll {
    fn shown(&self) -> String {
        self.0.as_raw_fd().to_string()
    }
}

impl<A: TraceResult, B> TraceResult for (A, B) {
    fn shown(&self) -> String {
        self.0.shown()
    }
}

/// The C name of a socket's address family, for `socket(2)` lines.
pub fn domain_name(d: socket2::Domain) -> &'static str {
    match d {
        socket2::Domain::IPV4 => "AF_INET",
        socket2::Domain::IPV6 => "AF_INET6",
        socket2::Domain::UNIX => "AF_UNIX",
        _ => "AF_?",
    }
}

/// The descriptor number of a socket, as traced arguments show it.
pub fn fd(s: &(impl AsRawFd + ?Sized)) -> String {
    s.as_raw_fd().to_string()
}

/// `{sa_family=AF_INET, 127.0.0.1:80}`-style rendering of an address argument.
pub fn addr(a: &socket2::SockAddr) -> String {
    crate::net::peer::sockaddr_label(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dry_run_stop_is_recognised_inside_io_errors() {
        let io_err = io::Error::other(DryRunStop {
            call: "connect(3)".into(),
        });
        assert!(is_stop(&io_err));
        assert!(!is_stop(&io::Error::other("other")));
    }

    #[test]
    fn untraced_calls_just_run() {
        let r = call("noop", Vec::new, || Ok::<_, io::Error>(()));
        assert!(r.is_ok());
    }
}
