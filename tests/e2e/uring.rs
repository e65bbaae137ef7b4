//! What only the io_uring engine has: a kernel that cannot run it is told in one line.

use std::process::Stdio;

use crate::util::seccomp::deny_syscall;

/// `tcp-echo serve --engine io-uring` with `io_uring_setup(2)` failing with `errno`:
/// its exit status and stderr.
fn serve_without_io_uring(errno: u16) -> (Option<i32>, String) {
    let mut cmd = crate::util::nettool();
    cmd.args([
        "tcp-echo",
        "serve",
        "--engine",
        "io-uring",
        "-l",
        "127.0.0.1:0",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    deny_syscall(&mut cmd, libc::SYS_io_uring_setup, errno);
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_kernel_without_io_uring_is_one_line_and_exit_1() {
    let (code, err) = serve_without_io_uring(libc::ENOSYS as u16);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("nettool: --engine io-uring: this kernel has no io_uring"),
        "{err}"
    );
    assert!(!err.contains("listening on"), "{err}");
}

#[test]
fn a_forbidden_io_uring_says_who_forbids_it() {
    let (code, err) = serve_without_io_uring(libc::EPERM as u16);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let sysctl = std::fs::read_to_string("/proc/sys/kernel/io_uring_disabled").unwrap_or_default();
    let why = match sysctl.trim() {
        "1" => "kernel.io_uring_group",
        "2" => "io_uring_disabled = 2",
        _ => "a seccomp filter or container policy forbids io_uring",
    };
    assert!(err.starts_with("nettool: --engine io-uring: "), "{err}");
    assert!(err.contains(why), "{err}");
}
