//! `--explain` and `--dry-run`: the socket calls a command makes, printed in C terms
//! (`setsockopt(3, SOL_SOCKET, SO_REUSEADDR, 1) = 0`) as strace would show them.
//!
//! The record is made by the same code that makes the call — every builder in
//! `net` and every engine wraps each syscall in one of the functions here, with its C
//! spelling beside it — so the explanation cannot drift from what really happens.
//! Calls come in three levels ([`Level`]):
//!
//! * **setup** — socket, setsockopt, bind, listen, epoll_create1, epoll_ctl ADD/DEL,
//!   connect: shown by `--explain` and `--dry-run`;
//! * **lifecycle** — accept4 that returned a connection, shutdown, close, fork,
//!   waitpid that reaped a child: shown by `--explain`;
//! * **I/O** ([`io`]) — select/poll/epoll_wait with their sets and events, recv/send
//!   with size, flags and result, fcntl O_NONBLOCK on a connection, EPOLL_CTL_MOD
//!   re-arms, an accept4 that found the queue empty, the datagram batches
//!   ([`batch`]: recvmmsg/sendmmsg), the io_uring engine's submissions, completions
//!   and `io_uring_enter`s: only `--explain=io`, and at most
//!   [`io::SHOWN_PER_FD`] of each call per descriptor; the rest are counted and
//!   summed up when the descriptor closes (`… 18,230 more recv calls on fd 7`).
//!
//! **The `--dry-run` rule.** A dry run makes every setup call that moves no traffic
//! (sockets, options, bind, listen, a UDP socket's connect — which only records a
//! default peer —, epoll setup) and stops before the first *action* that would put a
//! packet on a wire or wait for one (a stream connect, send, accept, the event loop):
//! [`action`] returns a [`DryRunStop`] error there, which the binary treats as success.
//! Setup calls that are themselves traffic — a multicast group join or leave sends
//! IGMP/MLD reports — go through [`traffic`]: shown as not made, skipped, and setup
//! goes on. Name lookups still run (a host name may ask a DNS server; give numeric
//! addresses for a run that sends nothing at all); netlink queries to the local
//! kernel (getifaddrs) are not network traffic.
//!
//! This layer only makes the [`Record`]s; whoever switched tracing on ([`init`])
//! decides how they are shown (the command line prints them as events). When tracing
//! is off every wrapper costs one atomic load.

pub mod batch;
mod fmt;
mod io_path;
mod sockaddr;

pub use fmt::{fd_set, flag_names, poll_fds, poll_flags};
pub use io_path::{
    Closing, SHOWN_PER_FD, accept, close, io, io_on, made, recv, send, sendto, shutdown, waited,
};
pub use sockaddr::unix as sockaddr_un;
pub use sockaddr::{addr, addr_bytes, inet};

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::{Mutex, OnceLock};

use serde_json::json;

pub use crate::error::DryRunStop;

/// How much tracing the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Off,
    /// Print each setup and lifecycle call as it is made.
    Explain,
    /// As [`Mode::Explain`], and every call on the I/O path (rate-limited).
    ExplainIo,
    /// Print the setup calls, stop before the first action.
    DryRun,
}

/// Which calls a [`Mode`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Setup,
    Lifecycle,
    Io,
}

impl Mode {
    fn shows(self, level: Level) -> bool {
        match self {
            Mode::Off => false,
            Mode::DryRun => level == Level::Setup,
            Mode::Explain => level <= Level::Lifecycle,
            Mode::ExplainIo => true,
        }
    }
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
    /// What the result means, where strace would add a comment: the ready set of a
    /// select, `EOF` for a read of 0, `short write`, the status a waitpid reaped.
    pub note: Option<String>,
}

/// What the trace layer hands to its sink.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A call (made, or under `--dry-run` not made).
    Call(Record<'a>),
    /// `count` more `call`s on descriptor `fd` were made but not shown (the I/O path's
    /// rate limit); `fd` is `None` for calls on no one descriptor (select, poll).
    Omitted {
        call: &'a str,
        fd: Option<RawFd>,
        count: u64,
    },
    /// A step of a layer above the socket (`layer` is `tls`): a record sent, the
    /// handshake done — shown among the calls it caused.
    Step { layer: &'a str, what: String },
}

/// Where the records go.
pub type Sink = Box<dyn Fn(&Event<'_>) + Send + Sync>;

struct Tracer {
    mode: Mode,
    sink: Sink,
    /// `-v`: a sockaddr is followed by its bytes in network order.
    bytes: bool,
    /// The I/O path's rate limit: calls seen per (descriptor, call).
    seen: Mutex<io_path::Seen>,
}

static TRACER: OnceLock<Tracer> = OnceLock::new();

/// Switch tracing on for this process (once, from `main`), every record to `sink`;
/// `bytes` (`-v`) adds each sockaddr's bytes in network order.
pub fn init(mode: Mode, bytes: bool, sink: Sink) {
    if mode != Mode::Off {
        let _ = TRACER.set(Tracer {
            mode,
            sink,
            bytes,
            seen: Mutex::default(),
        });
    }
}

/// Whether calls are being recorded.
pub fn enabled() -> bool {
    TRACER.get().is_some()
}

/// Say how many I/O calls the rate limit left out on descriptors still open (the
/// epoll descriptor, the listener): called once as the command ends.
pub fn finish() {
    if let Some(t) = TRACER.get() {
        io_path::flush_all(t);
    }
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
    noted(Level::Setup, name, None, args, f, |_| None)
}

/// [`call`] with a note on the result (the size the kernel granted after a
/// setsockopt, say), shown after it as strace shows a comment.
pub fn call_noted<T: TraceResult>(
    name: &str,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
    note: impl FnOnce(&io::Result<T>) -> Option<String>,
) -> io::Result<T> {
    noted(Level::Setup, name, None, args, f, note)
}

/// Make the lifecycle call `f` (shutdown, fork, a reap): recorded by `--explain`, not
/// by `--dry-run` (which never gets this far).
pub fn lifecycle<T: TraceResult>(
    name: &str,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    noted(Level::Lifecycle, name, None, args, f, |_| None)
}

/// The one recording path: make `f`, and when the mode shows `level` (and, for the
/// I/O path, the rate limit on `fd` allows), record it with `args` (rendered before
/// the call) and `note` (read from the result). Untraced setup calls still reach
/// `-vv`'s debug log.
fn noted<T: TraceResult>(
    level: Level,
    name: &str,
    fd: Option<RawFd>,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
    note: impl FnOnce(&io::Result<T>) -> Option<String>,
) -> io::Result<T> {
    match TRACER.get() {
        None if level != Level::Io => logged(name, args, f),
        Some(t) if t.mode.shows(level) && (level != Level::Io || io_path::admit(t, fd, name)) => {
            let args = args();
            let result = f();
            let note = note(&result);
            emit(t, name, &args, Some(outcome(&result)), note);
            result
        }
        _ => f(),
    }
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
        emit(t, name, &args, None, None);
        let text = format!("{name}({})", args.join(", "));
        return Err(io::Error::other(DryRunStop { call: text }));
    }
    call(name, args, f)
}

/// A setup call that is itself traffic (a multicast join or leave sends an IGMP/MLD
/// report): made and recorded like [`call`], but under `--dry-run` only shown as not
/// made — and setup goes on, as if it had succeeded.
pub fn traffic<T: TraceResult + Default>(
    name: &str,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
) -> io::Result<T> {
    match TRACER.get() {
        Some(t) if t.mode == Mode::DryRun => {
            emit(t, name, &args(), None, None);
            Ok(T::default())
        }
        _ => call(name, args, f),
    }
}

/// Whether this is a dry run (for the few places that must not even attempt a call
/// whose wrapper lives outside this layer).
pub fn dry_run() -> bool {
    TRACER.get().is_some_and(|t| t.mode == Mode::DryRun)
}

/// A point a dry run does not pass (the start of a wait for traffic): returns the
/// [`DryRunStop`] under `--dry-run`, does nothing otherwise.
pub fn checkpoint(name: &str, args: impl FnOnce() -> Vec<String>) -> io::Result<()> {
    match TRACER.get() {
        Some(t) if t.mode == Mode::DryRun => action(name, args, || Ok(())),
        _ => Ok(()),
    }
}

/// Without `--explain`, `-vv` still shows every setup call as a debug line: the socket
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

/// Record a step of the layer `layer` (TLS) among the socket calls: `what` is only
/// rendered when tracing is on. Under `--dry-run` no layer ever gets to a step (it
/// stops before traffic), so steps are shown as they happen.
pub fn step(layer: &str, what: impl FnOnce() -> String) {
    if let Some(t) = TRACER.get() {
        (t.sink)(&Event::Step {
            layer,
            what: what(),
        });
    }
}

fn emit(
    t: &Tracer,
    name: &str,
    args: &[String],
    result: Option<(String, serde_json::Value)>,
    note: Option<String>,
) {
    (t.sink)(&Event::Call(Record {
        call: name,
        args,
        result,
        note,
    }));
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

impl TraceResult for nix::unistd::ForkResult {
    fn shown(&self) -> String {
        match self {
            nix::unistd::ForkResult::Parent { child } => child.to_string(),
            nix::unistd::ForkResult::Child => "0".into(),
        }
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
