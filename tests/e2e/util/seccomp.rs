//! A kernel without a system call, made for one child process: a seccomp filter
//! (seccomp(2), classic BPF) that makes one syscall fail with a chosen errno, as it
//! does on a kernel built without it (`ENOSYS`) or in a container that forbids it
//! (`EPERM`). The filter is installed between fork and exec, so only the child (the
//! nettool under test) sees it.

use std::os::unix::process::CommandExt;
use std::process::Command;

/// Make `nr` fail with `errno` in the process `cmd` starts.
pub fn deny_syscall(cmd: &mut Command, nr: libc::c_long, errno: u16) {
    let stmt = |code: u32, k: u32| libc::sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    };
    let filter = [
        // A = seccomp_data.nr (offset 0)
        stmt(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 0),
        // if A == nr fall through to the errno, else skip it
        libc::sock_filter {
            code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
            jt: 0,
            jf: 1,
            k: nr as u32,
        },
        stmt(
            libc::BPF_RET | libc::BPF_K,
            libc::SECCOMP_RET_ERRNO | errno as u32,
        ),
        stmt(libc::BPF_RET | libc::BPF_K, libc::SECCOMP_RET_ALLOW),
    ];
    // SAFETY: the closure runs in the child between fork and exec and only calls
    // prctl(2), which is async-signal-safe; `filter` was built before the fork and is
    // moved in, so the program it points to stays alive for the call.
    unsafe {
        cmd.pre_exec(move || {
            let prog = libc::sock_fprog {
                len: filter.len() as u16,
                filter: filter.as_ptr().cast_mut(),
            };
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &prog as *const libc::sock_fprog,
                ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
