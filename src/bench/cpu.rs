//! What a server spends: the CPU time (user + system) of a process and everything it
//! runs, read from /proc (proc(5): `utime`, `stime`, `cutime`, `cstime`), so a
//! benchmark reports work per server CPU-second beside work per second. On a machine
//! where the load generator saturates its own core first, requests/s hides what the
//! server costs; CPU per request does not.
//!
//! Threads (the thread engine, io_uring's kernel workers) are part of their process's
//! counts; a fork engine's children are counted while they run (their own `/proc`
//! entries) and after they are reaped (the parent's `cutime`/`cstime`), so a
//! difference of two readings covers children that came and went in between.

use std::time::Duration;

use procfs::process::Process;

/// CPU time used so far by `pid`, the children it has reaped and the children (and
/// their children) still running. `None` once the process is gone.
pub fn tree_cpu(pid: i32) -> Option<Duration> {
    let ticks = ticks_of(pid, 0)?;
    Some(Duration::from_secs_f64(
        ticks as f64 / procfs::ticks_per_second() as f64,
    ))
}

/// How many children `pid` has running (a fork server: one per connection).
pub fn live_children(pid: i32) -> usize {
    Process::new(pid)
        .and_then(|p| p.task_from_tid(pid))
        .and_then(|t| t.children())
        .map_or(0, |c| c.len())
}

fn ticks_of(pid: i32, depth: u32) -> Option<u64> {
    let p = Process::new(pid).ok()?;
    let st = p.stat().ok()?;
    let mut ticks = st.utime + st.stime + st.cutime.max(0) as u64 + st.cstime.max(0) as u64;
    if depth < 4 {
        let children = p
            .task_from_tid(pid)
            .and_then(|t| t.children())
            .unwrap_or_default();
        ticks += children
            .into_iter()
            .filter_map(|c| ticks_of(c as i32, depth + 1))
            .sum::<u64>();
    }
    Some(ticks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_cpu_grows_with_work() {
        let pid = std::process::id() as i32;
        let before = tree_cpu(pid).unwrap();
        let until = std::time::Instant::now() + Duration::from_millis(60);
        let mut x = 0u64;
        while std::time::Instant::now() < until {
            x = x.wrapping_mul(31).wrapping_add(1);
        }
        std::hint::black_box(x);
        assert!(tree_cpu(pid).unwrap() > before);
        assert_eq!(tree_cpu(i32::MAX), None);
    }
}
