//! Unix domain sockets (unix(7)): sockets named by a file system path or, on Linux, by
//! an abstract name (`@name`, no file at all).
//!
//! A path-named socket leaves a file behind, and that file is the classic trap:
//!
//! * A server that crashed leaves a *stale* socket file; `bind(2)` then fails with
//!   `EADDRINUSE` although nobody listens. We probe it with `connect(2)`: `ECONNREFUSED`
//!   means nobody is there, so the file is removed and replaced. A successful connect
//!   means a running server owns it, and we refuse ("in use by a running server").
//! * A path that is not a socket (a regular file, a directory) is never touched.
//! * `--mode` must hold from the first moment: `bind(2)` creates the file with
//!   `0777 & ~umask`, so we bind under a umask derived from the mode (a `chmod` after
//!   `bind` would leave a window where the wider mode is visible).
//! * A clean exit removes the file ([`SocketFile`] is a Drop guard, so SIGINT/SIGTERM,
//!   which end the server loop normally, remove it too).
//!
//! `SO_PEERCRED` (unix(7)) tells a stream server who connected: the pid, uid and gid of
//! the peer process at `connect(2)` time, vouched for by the kernel
//! ([`crate::net::peer::peer_cred`]).

use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::net::trace;
use anyhow::{Context, anyhow, bail};
use socket2::{Domain, SockAddr, Socket, Type};

use super::addr::UnixTarget;
use super::socket::connect_error;
use crate::os_error::{self, Op, Target};

/// Stream (`SOCK_STREAM`, a byte stream like TCP) or datagram (`SOCK_DGRAM`, reliable
/// and ordered on Unix sockets, unlike UDP, with message boundaries kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnixKind {
    Stream,
    Datagram,
}

impl UnixKind {
    fn socket_type(self) -> Type {
        match self {
            UnixKind::Stream => Type::STREAM,
            UnixKind::Datagram => Type::DGRAM,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            UnixKind::Stream => "unix",
            UnixKind::Datagram => "unixgram",
        }
    }
}

/// The kernel's `struct sockaddr_un` for a target: a path, or `\0name` for `@name`.
pub fn sockaddr(target: &UnixTarget) -> io::Result<SockAddr> {
    match target {
        UnixTarget::Path(p) => SockAddr::unix(p),
        UnixTarget::Abstract(name) => {
            let mut bytes = vec![0u8];
            bytes.extend_from_slice(name);
            SockAddr::unix(std::ffi::OsStr::from_bytes(&bytes))
        }
    }
}

fn new_socket(kind: UnixKind) -> io::Result<Socket> {
    crate::net::socket::new_socket(Domain::UNIX, kind.socket_type(), None)
}

/// A socket file we created; removed on Drop if it is still ours (same device and
/// inode — a file another server put there after us is left alone).
#[derive(Debug)]
pub struct SocketFile {
    path: PathBuf,
    dev: u64,
    ino: u64,
}

impl SocketFile {
    fn claim(path: &Path) -> io::Result<SocketFile> {
        let m = std::fs::symlink_metadata(path)?;
        Ok(SocketFile {
            path: path.to_path_buf(),
            dev: m.dev(),
            ino: m.ino(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SocketFile {
    fn drop(&mut self) {
        if let Ok(m) = std::fs::symlink_metadata(&self.path) {
            if m.dev() == self.dev && m.ino() == self.ino {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

/// A bound Unix socket and, for a path, the guard that removes its file. Fields drop
/// in order: the socket closes before its file goes.
#[derive(Debug)]
pub struct UnixBound {
    pub sock: Socket,
    pub file: Option<SocketFile>,
    /// A stale socket file was found and replaced.
    pub replaced_stale: bool,
}

/// How a Unix server socket is set up.
#[derive(Debug, Clone, Default)]
pub struct UnixListenOpts {
    /// Permissions of the socket file (`--mode`), in force from the moment it exists.
    pub mode: Option<u32>,
}

/// What is at `path` before we bind.
fn check_existing(path: &Path, kind: UnixKind) -> anyhow::Result<bool> {
    let shown = path.display();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(anyhow!(e).context(format!("inspect {shown}"))),
    };
    if !meta.file_type().is_socket() {
        let what = if meta.is_dir() {
            "a directory"
        } else if meta.file_type().is_symlink() {
            "a symbolic link"
        } else if meta.is_file() {
            "a regular file"
        } else {
            "not a socket"
        };
        bail!("listen on {shown}: the path exists and is {what}, not a socket; not touching it");
    }
    // A socket file: is anybody behind it? A probe of the same type answers.
    let probe = new_socket(kind).context("create a Unix socket")?;
    match probe.connect(&SockAddr::unix(path)?) {
        Ok(()) => bail!("listen on {shown}: in use by a running server"),
        Err(e) if e.raw_os_error() == Some(libc::EPROTOTYPE) => {
            bail!("listen on {shown}: in use by a running server (of another socket type)")
        }
        Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
            std::fs::remove_file(path)
                .with_context(|| format!("remove the stale socket file {shown}"))?;
            Ok(true)
        }
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(false),
        Err(e) => Err(anyhow!(e).context(format!("probe the existing socket {shown}"))),
    }
}

/// Restores the process umask on Drop (the umask is process-wide: keep the window short).
struct UmaskGuard(nix::sys::stat::Mode);

impl UmaskGuard {
    fn set(mode: u32) -> UmaskGuard {
        let mask = nix::sys::stat::Mode::from_bits_truncate(!mode & 0o777);
        UmaskGuard(nix::sys::stat::umask(mask))
    }
}

impl Drop for UmaskGuard {
    fn drop(&mut self) {
        nix::sys::stat::umask(self.0);
    }
}

/// `socket` + stale-file check + `bind` (under the `--mode` umask) + `listen` for a
/// stream; the same without `listen` for a datagram socket.
pub fn unix_bind(
    target: &UnixTarget,
    kind: UnixKind,
    opts: &UnixListenOpts,
) -> anyhow::Result<UnixBound> {
    if opts.mode.is_some() && matches!(target, UnixTarget::Abstract(_)) {
        bail!(crate::error::UsageError::invalid(format!(
            "--mode needs a socket file; {target} is an abstract name (no file, no permissions)"
        )));
    }
    let addr = sockaddr(target).with_context(|| format!("listen on {target}"))?;
    let sock = new_socket(kind).context("create a Unix socket")?;
    let mut replaced_stale = false;
    let bind_result = match target {
        UnixTarget::Path(path) => {
            replaced_stale = check_existing(path, kind)?;
            let _umask = opts.mode.map(UmaskGuard::set);
            crate::net::socket::bind(&sock, &addr)
        }
        UnixTarget::Abstract(_) => crate::net::socket::bind(&sock, &addr),
    };
    bind_result.map_err(|e| {
        let shown = target.to_string();
        os_error::error(
            format!("listen on {shown}"),
            Op::Bind,
            Target::Unix(&shown),
            e,
        )
    })?;
    let file = match target {
        UnixTarget::Path(path) => {
            let guard = SocketFile::claim(path).with_context(|| format!("stat {target}"))?;
            if let Some(mode) = opts.mode {
                // Already right from bind's umask; chmod states it exactly (setuid
                // bits and the like never come from a umask).
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                    .with_context(|| format!("chmod {mode:o} {target}"))?;
            }
            Some(guard)
        }
        UnixTarget::Abstract(_) => None,
    };
    if kind == UnixKind::Stream {
        trace::call(
            "listen",
            || vec![trace::fd(&sock), "1024".into()],
            || sock.listen(1024),
        )
        .with_context(|| format!("listen on {target}"))?;
    }
    Ok(UnixBound {
        sock,
        file,
        replaced_stale,
    })
}

/// Connect a stream (or a connected datagram) socket to `target`, bounded by `timeout`.
pub fn unix_connect(
    target: &UnixTarget,
    kind: UnixKind,
    timeout: Option<Duration>,
) -> anyhow::Result<Socket> {
    let addr = sockaddr(target).with_context(|| format!("connect to {target}"))?;
    let sock = new_socket(kind)
        .map(trace::Closing::new)
        .context("create a Unix socket")?;
    let res = trace::action(
        "connect",
        || vec![trace::fd(&sock), trace::addr(&addr)],
        || match timeout {
            Some(t) => sock.connect_timeout(&addr, t),
            None => sock.connect(&addr),
        },
    );
    if res.as_ref().is_err_and(trace::is_stop) {
        return Err(res.unwrap_err().into());
    }
    res.map_err(|e| wrong_type_hint(target, kind, e, timeout))?;
    Ok(sock.into_inner())
}

/// `EPROTOTYPE` means the socket file belongs to the other socket type: say which flag fits.
fn wrong_type_hint(
    target: &UnixTarget,
    kind: UnixKind,
    e: io::Error,
    timeout: Option<Duration>,
) -> anyhow::Error {
    if e.raw_os_error() == Some(libc::EPROTOTYPE) {
        let hint = match kind {
            UnixKind::Stream => "it is a datagram socket (try --dgram)",
            UnixKind::Datagram => "it is a stream socket (drop --dgram)",
        };
        return os_error::worded(format!("connect to {target}"), hint, e);
    }
    let shown = target.to_string();
    connect_error(&shown, Target::Unix(&shown), e, timeout)
}

/// A datagram client: its own socket bound to a fresh temporary path (so the server
/// has an address to reply to; removed on Drop), connected to `target`.
pub fn dgram_client(target: &UnixTarget) -> anyhow::Result<UnixBound> {
    let path = temp_socket_path()?;
    let own = UnixTarget::Path(path);
    let bound = unix_bind(&own, UnixKind::Datagram, &UnixListenOpts::default())?;
    let addr = sockaddr(target).with_context(|| format!("connect to {target}"))?;
    // Connecting a datagram socket sends nothing: a setup call.
    trace::call(
        "connect",
        || vec![trace::fd(&bound.sock), trace::addr(&addr)],
        || bound.sock.connect(&addr),
    )
    .map_err(|e| wrong_type_hint(target, UnixKind::Datagram, e, None))?;
    Ok(bound)
}

/// `$TMPDIR/nettool-PID-N.sock`, or under /tmp when `$TMPDIR` is too long for sun_path.
fn temp_socket_path() -> anyhow::Result<PathBuf> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "nettool-{}-{:x}-{}.sock",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    );
    let mut dir = std::env::temp_dir();
    if dir.as_os_str().len() + name.len() + 1 > super::addr::UNIX_PATH_MAX {
        dir = PathBuf::from("/tmp");
    }
    Ok(dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_target(dir: &tempfile::TempDir, name: &str) -> (PathBuf, UnixTarget) {
        let p = dir.path().join(name);
        (p.clone(), UnixTarget::Path(p))
    }

    #[test]
    fn stream_bind_reports_our_own_pid_as_peer() {
        let dir = tempfile::tempdir().unwrap();
        let (path, t) = tmp_target(&dir, "s.sock");
        let b = unix_bind(&t, UnixKind::Stream, &UnixListenOpts::default()).unwrap();
        let c = unix_connect(&t, UnixKind::Stream, None).unwrap();
        let (srv, _) = b.sock.accept().unwrap();
        assert_eq!(
            super::super::peer::peer_cred(&srv).unwrap().pid,
            std::process::id() as i32
        );
        drop(c);
        drop(srv);
        assert!(path.exists());
        drop(b);
        assert!(!path.exists(), "the guard removes the socket file");
    }

    #[test]
    fn stale_file_is_replaced_and_live_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (_path, t) = tmp_target(&dir, "s.sock");
        let first = unix_bind(&t, UnixKind::Stream, &UnixListenOpts::default()).unwrap();
        let err = unix_bind(&t, UnixKind::Stream, &UnixListenOpts::default()).unwrap_err();
        assert!(
            err.to_string().contains("in use by a running server"),
            "{err}"
        );
        // Close the socket but keep the file: a crashed server's leftover.
        let UnixBound { sock, file, .. } = first;
        drop(sock);
        std::mem::forget(file);
        let again = unix_bind(&t, UnixKind::Stream, &UnixListenOpts::default()).unwrap();
        assert!(again.replaced_stale);
    }

    #[test]
    fn regular_file_is_never_touched() {
        let dir = tempfile::tempdir().unwrap();
        let (path, t) = tmp_target(&dir, "plain");
        std::fs::write(&path, b"keep me").unwrap();
        let err = unix_bind(&t, UnixKind::Stream, &UnixListenOpts::default()).unwrap_err();
        assert!(
            err.to_string().contains("a regular file, not a socket"),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
    }

    #[test]
    fn abstract_names_leave_no_file() {
        let name = format!("nettool-test-{}", std::process::id());
        let t = UnixTarget::Abstract(name.into_bytes());
        let b = unix_bind(&t, UnixKind::Stream, &UnixListenOpts::default()).unwrap();
        assert!(b.file.is_none());
        assert!(unix_connect(&t, UnixKind::Stream, None).is_ok());
        assert_eq!(super::super::socket::local_label(&b.sock), t.to_string());
    }
}
