//! Can this kernel run the io_uring engine? If not, one line saying what is missing.
//!
//! io_uring grew over many releases, and a machine can also switch it off
//! (`sysctl kernel.io_uring_disabled`: 1 = only root and the group
//! `kernel.io_uring_group`, 2 = nobody) or a seccomp filter (containers) can refuse
//! `io_uring_setup(2)`. The engine asks the kernel rather than its version number:
//! `IORING_REGISTER_PROBE` lists the opcodes this kernel knows, and each one the
//! engine submits is checked before the server says it is ready. The decisions are
//! plain functions of what was found, so each message is unit-tested.

use std::io;

use io_uring::opcode;

/// An opcode the engine submits, with the release that added it.
#[derive(Debug, Clone, Copy)]
pub struct Needed {
    pub code: u8,
    pub name: &'static str,
    pub since: &'static str,
    /// What the engine uses it for.
    pub role: &'static str,
}

/// Every opcode the engine submits. The probe cannot see flags, so multishot receive
/// (Linux 6.0) is known by `IORING_OP_SEND_ZC`, which came in the same release;
/// provided buffer rings (5.19) are older than that.
pub const NEEDED: &[Needed] = &[
    Needed {
        code: opcode::PollAdd::CODE,
        name: "IORING_OP_POLL_ADD",
        since: "5.1",
        role: "waiting for connections, signals and full sockets",
    },
    Needed {
        code: opcode::AsyncCancel::CODE,
        name: "IORING_OP_ASYNC_CANCEL",
        since: "5.5",
        role: "cancelling a closed connection's operations",
    },
    Needed {
        code: opcode::Recv::CODE,
        name: "IORING_OP_RECV",
        since: "5.6",
        role: "receiving",
    },
    Needed {
        code: opcode::Send::CODE,
        name: "IORING_OP_SEND",
        since: "5.6",
        role: "sending",
    },
    Needed {
        code: opcode::SendZc::CODE,
        name: "IORING_OP_SEND_ZC",
        since: "6.0",
        role: "the mark of multishot receive, which came with it",
    },
];

/// The first needed opcode the kernel's probe does not list, as the line to print.
pub fn first_missing(supported: impl Fn(u8) -> bool) -> Option<String> {
    NEEDED.iter().find(|n| !supported(n.code)).map(|n| {
        format!(
            "this kernel's io_uring lacks {} (Linux {}; used for {})",
            n.name, n.since, n.role
        )
    })
}

/// `kernel.io_uring_disabled` as read from /proc (absent before Linux 6.6).
pub fn read_sysctl() -> Option<u8> {
    std::fs::read_to_string("/proc/sys/kernel/io_uring_disabled")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Why io_uring cannot be used before even trying: the sysctl forbids it for all.
pub fn disabled(sysctl: Option<u8>) -> Option<String> {
    (sysctl == Some(2)).then(|| {
        "io_uring is switched off on this machine (sysctl kernel.io_uring_disabled = 2)".into()
    })
}

/// The line for a failed `io_uring_setup(2)`.
pub fn setup_failed(err: &io::Error, sysctl: Option<u8>) -> String {
    match (err.raw_os_error(), sysctl) {
        (Some(libc::ENOSYS), _) => {
            "this kernel has no io_uring (io_uring_setup: ENOSYS; needs Linux 6.0 built with CONFIG_IO_URING)".into()
        }
        (Some(libc::EPERM), Some(1)) => "io_uring is limited to root and the group in sysctl kernel.io_uring_group (kernel.io_uring_disabled = 1)".into(),
        (Some(libc::EPERM), Some(2)) => disabled(Some(2)).unwrap_or_default(),
        (Some(libc::EPERM), _) => {
            "io_uring_setup was refused (EPERM): a seccomp filter or container policy forbids io_uring".into()
        }
        _ => format!("io_uring_setup failed: {}", crate::os_error::describe(err)),
    }
}

/// The line for a failed provided-buffer-ring registration.
pub fn buf_ring_failed(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(libc::EINVAL) => {
            "this kernel's io_uring lacks provided buffer rings (IORING_REGISTER_PBUF_RING, Linux 5.19)".into()
        }
        _ => format!(
            "registering the receive buffer ring failed: {}",
            crate::os_error::describe(err)
        ),
    }
}

/// The line for a ring without `IORING_FEAT_EXT_ARG` (a timed wait in one call).
pub const NO_EXT_ARG: &str =
    "this kernel's io_uring lacks IORING_FEAT_EXT_ARG (Linux 5.11; used to wait with a timeout)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_opcode_is_named_with_its_release() {
        assert_eq!(first_missing(|_| true), None);
        let no_send = first_missing(|c| c != opcode::Send::CODE).unwrap();
        assert_eq!(
            no_send,
            "this kernel's io_uring lacks IORING_OP_SEND (Linux 5.6; used for sending)"
        );
        // A 5.15 kernel: everything but the 6.0 mark.
        let old = first_missing(|c| c != opcode::SendZc::CODE).unwrap();
        assert!(old.contains("IORING_OP_SEND_ZC (Linux 6.0"), "{old}");
    }

    #[test]
    fn setup_failures_say_why() {
        let e = |n| io::Error::from_raw_os_error(n);
        assert!(setup_failed(&e(libc::ENOSYS), None).contains("no io_uring"));
        assert!(setup_failed(&e(libc::EPERM), Some(1)).contains("kernel.io_uring_group"));
        assert!(setup_failed(&e(libc::EPERM), Some(2)).contains("io_uring_disabled = 2"));
        assert!(setup_failed(&e(libc::EPERM), Some(0)).contains("seccomp"));
        assert!(setup_failed(&e(libc::ENOMEM), None).starts_with("io_uring_setup failed: "));
        assert_eq!(disabled(Some(0)), None);
        assert_eq!(disabled(None), None);
        assert!(disabled(Some(2)).unwrap().contains("= 2"));
        assert!(buf_ring_failed(&e(libc::EINVAL)).contains("5.19"));
    }
}
