//! Socket builders on socket2: the one place where TCP sockets are created, bound,
//! listened on and connected, so every subcommand gets the same options and the same
//! error wording.
//!
//! Engines and the relay work with [`socket2::Socket`] because it covers TCP and Unix
//! stream sockets alike (read, write, `shutdown(2)`, `accept(2)`, non-blocking mode).

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, anyhow};
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use crate::net::peer::{Peer, sockaddr_label};
use crate::net::{addr, trace};
use crate::os_error::{self, Op, Target};

/// How a listening socket is set up.
#[derive(Debug, Clone)]
pub struct ListenOpts {
    /// `SO_REUSEADDR` (socket(7)): rebind at once while old connections sit in
    /// TIME-WAIT. On by default, as in every server people are used to.
    pub reuse_addr: bool,
    /// `SO_REUSEPORT` (socket(7)): several sockets share the port and the kernel
    /// spreads connections among them (`--workers`).
    pub reuse_port: bool,
    /// `IPV6_V6ONLY` (ipv6(7)) for IPv6 listeners; `None` keeps the system default.
    pub v6_only: Option<bool>,
    /// The `listen(2)` backlog: completed connections the kernel queues for `accept`.
    pub backlog: i32,
    /// `O_NONBLOCK`, for event-driven engines.
    pub nonblocking: bool,
    /// `SO_RCVBUF` / `SO_SNDBUF` (socket(7)): kernel buffer sizes, inherited by every
    /// accepted connection. Small buffers force short writes — a good test, and a
    /// way to see flow control happen.
    pub rcvbuf: Option<usize>,
    pub sndbuf: Option<usize>,
}

impl Default for ListenOpts {
    fn default() -> Self {
        ListenOpts {
            reuse_addr: true,
            reuse_port: false,
            v6_only: None,
            backlog: 4096,
            nonblocking: false,
            rcvbuf: None,
            sndbuf: None,
        }
    }
}

fn domain_of(addr: &SocketAddr) -> Domain {
    if addr.is_ipv4() {
        Domain::IPV4
    } else {
        Domain::IPV6
    }
}

/// A failed bind or listen, in words with the likely fix ([`os_error`]).
fn bind_error(addr: &SocketAddr, opts: &ListenOpts, err: io::Error) -> anyhow::Error {
    let site = os_error::BindSite {
        addr: *addr,
        tcp: true,
        reuse_addr: opts.reuse_addr,
    };
    os_error::bind_error(format!("listen on {}", addr::display(addr)), site, err)
}

/// `socket` + options + `bind` + `listen`: a TCP listener on `addr`.
pub fn tcp_listener(addr: SocketAddr, opts: &ListenOpts) -> anyhow::Result<Socket> {
    let sock = new_socket(domain_of(&addr), Type::STREAM, Some(Protocol::TCP))
        .with_context(|| format!("create a TCP socket for {addr}"))?;
    set_bool_opt(
        &sock,
        "SOL_SOCKET",
        "SO_REUSEADDR",
        opts.reuse_addr,
        Socket::set_reuse_address,
    )?;
    if opts.reuse_port {
        set_bool_opt(
            &sock,
            "SOL_SOCKET",
            "SO_REUSEPORT",
            true,
            Socket::set_reuse_port,
        )?;
    }
    if let (true, Some(only)) = (addr.is_ipv6(), opts.v6_only) {
        set_bool_opt(
            &sock,
            "IPPROTO_IPV6",
            "IPV6_V6ONLY",
            only,
            Socket::set_only_v6,
        )?;
    }
    set_buffer_sizes(&sock, opts.rcvbuf, opts.sndbuf)?;
    bind(&sock, &addr.into()).map_err(|e| bind_error(&addr, opts, e))?;
    trace::call(
        "listen",
        || vec![trace::fd(&sock), opts.backlog.to_string()],
        || sock.listen(opts.backlog),
    )
    .map_err(|e| bind_error(&addr, opts, e))?;
    if opts.nonblocking {
        set_nonblocking(&sock, true)?;
    }
    Ok(sock)
}

/// `socket(2)` with `SOCK_CLOEXEC` (no descriptor leaks into a forked child's exec).
pub fn new_socket(domain: Domain, ty: Type, protocol: Option<Protocol>) -> io::Result<Socket> {
    let ty_name = match ty {
        Type::STREAM => "SOCK_STREAM",
        Type::DGRAM => "SOCK_DGRAM",
        _ => "SOCK_?",
    };
    let proto_name = match protocol {
        Some(Protocol::TCP) => "IPPROTO_TCP",
        Some(Protocol::UDP) => "IPPROTO_UDP",
        _ => "0",
    };
    trace::call(
        "socket",
        || {
            vec![
                trace::domain_name(domain).into(),
                format!("{ty_name}|SOCK_CLOEXEC"),
                proto_name.into(),
            ]
        },
        || Socket::new(domain, ty.cloexec(), protocol),
    )
}

/// `setsockopt(2)` of a boolean option, traced with its C level and name (the value
/// shown as strace does, 0 or 1).
pub fn set_bool_opt(
    sock: &Socket,
    level: &str,
    name: &str,
    on: bool,
    set: impl FnOnce(&Socket, bool) -> io::Result<()>,
) -> io::Result<()> {
    set_int_opt(sock, level, name, u8::from(on), |s, _| set(s, on))
}

/// `setsockopt(2)` of an integer option, traced.
pub fn set_int_opt<V: std::fmt::Display + Copy>(
    sock: &Socket,
    level: &str,
    name: &str,
    value: V,
    set: impl FnOnce(&Socket, V) -> io::Result<()>,
) -> io::Result<()> {
    trace::call(
        "setsockopt",
        || {
            vec![
                trace::fd(sock),
                level.into(),
                name.into(),
                value.to_string(),
            ]
        },
        || set(sock, value),
    )
}

/// `SO_RCVBUF`/`SO_SNDBUF` when asked (the kernel doubles the value for bookkeeping
/// and enforces a minimum; see socket(7)). Under `--explain` a `getsockopt` follows
/// each, so the size the kernel granted stands beside the size asked.
pub fn set_buffer_sizes(
    sock: &Socket,
    rcvbuf: Option<usize>,
    sndbuf: Option<usize>,
) -> io::Result<()> {
    if let Some(n) = rcvbuf {
        set_int_opt(
            sock,
            "SOL_SOCKET",
            "SO_RCVBUF",
            n,
            Socket::set_recv_buffer_size,
        )?;
        granted(sock, "SO_RCVBUF", n, Socket::recv_buffer_size);
    }
    if let Some(n) = sndbuf {
        set_int_opt(
            sock,
            "SOL_SOCKET",
            "SO_SNDBUF",
            n,
            Socket::set_send_buffer_size,
        )?;
        granted(sock, "SO_SNDBUF", n, Socket::send_buffer_size);
    }
    Ok(())
}

/// `getsockopt(fd, SOL_SOCKET, name, [granted])` after a buffer size was set, only
/// when calls are being shown: Linux stores twice the size asked (the other half
/// pays for its bookkeeping) and clamps it to `net.core.[rw]mem_max`.
fn granted(sock: &Socket, name: &str, asked: usize, get: fn(&Socket) -> io::Result<usize>) {
    if !trace::enabled() {
        return;
    }
    // Made first, recorded just after: the value read is an argument of the line.
    let result = get(sock);
    let value = result
        .as_ref()
        .map_or("&optval".into(), |n| format!("[{n}]"));
    let note = result.as_ref().ok().map(|&n| {
        let why = if n == asked.saturating_mul(2) {
            "Linux doubles it for its bookkeeping"
        } else if n > asked.saturating_mul(2) {
            "raised to the kernel's minimum"
        } else {
            "capped by net.core.rmem_max/wmem_max, then doubled"
        };
        format!("asked {asked}, granted {n}: {why}")
    });
    let _ = trace::call_noted(
        "getsockopt",
        || vec![trace::fd(sock), "SOL_SOCKET".into(), name.into(), value],
        || result.map(drop),
        |_| note,
    );
}

/// `bind(2)`, traced.
pub fn bind(sock: &Socket, addr: &SockAddr) -> io::Result<()> {
    trace::call(
        "bind",
        || vec![trace::fd(sock), trace::addr(addr)],
        || sock.bind(addr),
    )
}

/// `O_NONBLOCK` on or off (`fcntl(2)`), traced.
pub fn set_nonblocking(sock: &Socket, on: bool) -> io::Result<()> {
    trace::call(
        "fcntl",
        || nonblocking_args(sock, on),
        || sock.set_nonblocking(on),
    )
}

fn nonblocking_args(sock: &Socket, on: bool) -> Vec<String> {
    let flags = if on { "O_RDWR|O_NONBLOCK" } else { "O_RDWR" };
    vec![trace::fd(sock), "F_SETFL".into(), flags.into()]
}

/// [`set_nonblocking`] on a connection: the I/O path (`--explain=io`), not setup.
pub fn set_nonblocking_io(sock: &Socket, on: bool) -> io::Result<()> {
    trace::io(
        "fcntl",
        Some(std::os::fd::AsRawFd::as_raw_fd(sock)),
        || nonblocking_args(sock, on),
        || sock.set_nonblocking(on),
        |_| None,
    )
}

/// The address a socket is bound to, as printed in `listening on ADDR`.
pub fn local_label(sock: &Socket) -> String {
    sock.local_addr()
        .map(|a| sockaddr_label(&a))
        .unwrap_or_else(|_| "?".into())
}

/// Connect to the first address that answers, each attempt bounded by `timeout`.
/// The error names the last address tried and why, e.g. `connect to 127.0.0.1:9:
/// connection refused`.
pub fn tcp_connect(addrs: &[SocketAddr], timeout: Option<Duration>) -> anyhow::Result<Socket> {
    tcp_connect_from(addrs, None, timeout)
}

/// [`tcp_connect`] from a chosen local address (`-s ADDR[:PORT]`): `bind(2)` before
/// `connect(2)`, only to addresses of the source's family. A fixed source port gets
/// `SO_REUSEADDR`, so a reconnect is not refused while the old connection sits in
/// TIME-WAIT.
pub fn tcp_connect_from(
    addrs: &[SocketAddr],
    source: Option<SocketAddr>,
    timeout: Option<Duration>,
) -> anyhow::Result<Socket> {
    let mut last = None;
    let usable: Vec<&SocketAddr> = addrs
        .iter()
        .filter(|a| source.is_none_or(|s| s.is_ipv4() == a.is_ipv4()))
        .collect();
    if let (Some(src), true) = (source, usable.is_empty()) {
        anyhow::bail!(
            "connect from {}: the target has no address of that family ({})",
            addr::display(&src),
            addrs
                .iter()
                .map(addr::display)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for addr in usable {
        // A failed attempt's socket is closed (and shown closed) before the next.
        let sock = new_socket(domain_of(addr), Type::STREAM, Some(Protocol::TCP))
            .map(trace::Closing::new)
            .with_context(|| format!("create a TCP socket for {addr}"))?;
        if let Some(src) = source {
            bind_source(&sock, src)?;
        }
        let target: SockAddr = (*addr).into();
        let res = trace::action(
            "connect",
            || vec![trace::fd(&sock), trace::inet(addr)],
            || match timeout {
                Some(t) => sock.connect_timeout(&target, t),
                None => sock.connect(&target),
            },
        );
        if res.as_ref().is_err_and(trace::is_stop) {
            return Err(res.unwrap_err().into());
        }
        match res {
            Ok(()) => return Ok(sock.into_inner()),
            Err(e) => last = Some((*addr, e)),
        }
    }
    let (addr, err) = last.ok_or_else(|| anyhow!("no address to connect to"))?;
    Err(connect_error(
        &addr::display(&addr),
        Target::Inet(addr),
        err,
        timeout,
    ))
}

/// Bind a client socket to its `-s` source, worded as a bind failure names it ("… is
/// not an address of this host").
pub fn bind_source(sock: &Socket, src: SocketAddr) -> anyhow::Result<()> {
    if src.port() != 0 {
        set_bool_opt(
            sock,
            "SOL_SOCKET",
            "SO_REUSEADDR",
            true,
            Socket::set_reuse_address,
        )?;
    }
    bind(sock, &src.into()).map_err(|e| {
        let site = os_error::BindSite {
            addr: src,
            tcp: true,
            reuse_addr: src.port() != 0,
        };
        os_error::bind_error(format!("bind to source {}", addr::display(&src)), site, e)
    })
}

/// Word a connect failure the way users expect: refused, timed out, unreachable, each
/// with its likely fix ([`os_error`]).
pub fn connect_error(
    shown: &str,
    target: Target<'_>,
    err: io::Error,
    timeout: Option<Duration>,
) -> anyhow::Error {
    let what = format!("connect to {shown}");
    let timed_out = matches!(
        err.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) || err.raw_os_error() == Some(libc::ETIMEDOUT);
    if timed_out {
        let after = timeout.map_or(String::new(), |t| {
            format!(" after {}", crate::text::duration(t))
        });
        let why = format!(
            "timed out{after}; no answer: the host is down or a firewall drops the packets"
        );
        return os_error::worded(what, why, err);
    }
    os_error::error(what, Op::Connect, target, err)
}

/// Wait for one connection on a blocking-style listener, giving up after `timeout`
/// (an error) or when SIGINT/SIGTERM arrives (`Err(Interrupted)`). Used by
/// netcat-style `listen`.
pub fn accept_wait(
    listener: &Socket,
    timeout: Option<Duration>,
    shutdown: &crate::net::signals::Shutdown,
) -> anyhow::Result<(Socket, Peer)> {
    use crate::net::wait::{Watch, Woke, wait};
    use std::os::fd::AsFd;
    trace::checkpoint("accept4", || {
        vec![trace::fd(listener), "&addr".into(), "SOCK_CLOEXEC".into()]
    })?;
    let deadline = timeout.map(|t| std::time::Instant::now() + t);
    loop {
        let mut watch = [Watch::read(listener.as_fd())];
        match wait(&mut watch, shutdown, deadline).context("wait on the listener")? {
            Woke::Stop(signal) => return Err(crate::error::Interrupted { signal }.into()),
            Woke::Timeout => anyhow::bail!(
                "no connection within {}",
                crate::text::duration(timeout.unwrap_or_default())
            ),
            Woke::Ready if !watch[0].ready() => continue,
            Woke::Ready => {}
        }
        match trace::accept(listener, || listener.accept()) {
            Ok((sock, addr)) => {
                let peer = Peer::accepted(&sock, &addr);
                return Ok((sock, peer));
            }
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::EAGAIN | libc::EINTR | libc::ECONNABORTED)
                ) => {}
            Err(e) => return Err(anyhow::Error::new(e).context("accept")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listener_on_port_zero_reports_real_port() {
        let l = tcp_listener("127.0.0.1:0".parse().unwrap(), &ListenOpts::default()).unwrap();
        let label = local_label(&l);
        assert!(
            label.starts_with("127.0.0.1:") && !label.ends_with(":0"),
            "{label}"
        );
    }

    #[test]
    fn second_bind_is_address_in_use() {
        let opts = ListenOpts::default();
        let l = tcp_listener("127.0.0.1:0".parse().unwrap(), &opts).unwrap();
        let addr = l.local_addr().unwrap().as_socket().unwrap();
        let err = tcp_listener(addr, &opts).unwrap_err().to_string();
        assert!(
            err.contains("address already in use; another socket holds port"),
            "{err}"
        );
    }

    #[test]
    fn refused_connect_is_worded() {
        let l = tcp_listener("127.0.0.1:0".parse().unwrap(), &ListenOpts::default()).unwrap();
        let addr = l.local_addr().unwrap().as_socket().unwrap();
        drop(l);
        let err = tcp_connect(&[addr], Some(Duration::from_secs(2)))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!(
                "connect to {addr}: connection refused; nothing listens on {addr} (is the server running?)"
            )
        );
    }
}
