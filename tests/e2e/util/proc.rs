//! What a process under test holds and spends, read from /proc: descriptors, memory,
//! CPU time. One copy for every test that checks a server stays bounded.

/// What each of the process's descriptors points to (`/proc/PID/fd/*` link targets:
/// `socket:[…]`, `pipe:[…]`, `anon_inode:[eventpoll]`, a path, …).
pub fn open_fds(pid: i32) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    dir.filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|t| t.to_string_lossy().into_owned())
        .collect()
}

/// How many descriptors the process holds now.
pub fn fd_count(pid: i32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// How many of its descriptors are sockets.
pub fn socket_count(pid: i32) -> usize {
    open_fds(pid)
        .iter()
        .filter(|t| t.starts_with("socket:"))
        .count()
}

/// Resident memory of a process in KiB (`VmRSS`).
pub fn rss_kib(pid: i32) -> u64 {
    status_kib(pid, "VmRSS:")
}

/// A `kB` line of /proc/PID/status (`VmRSS:`, `VmHWM:`), 0 when absent.
fn status_kib(pid: i32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Fields of /proc/PID/stat after the command name (which may hold spaces), so that
/// index 0 is field 3 of proc(5) (the state).
fn stat_fields(stat: &str) -> Vec<&str> {
    stat[stat.rfind(')').expect("stat has a comm") + 2..]
        .split_whitespace()
        .collect()
}

/// CPU time (user + system, fields 14 and 15) of a process in clock ticks.
pub fn cpu_ticks(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let f = stat_fields(&stat);
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

/// CPU time of the children a process waited for (cutime + cstime, fields 16 and
/// 17) in clock ticks, from the text of its /proc/PID/stat.
pub fn child_cpu_ticks(stat: &str) -> u64 {
    let f = stat_fields(stat);
    f[13].parse::<u64>().unwrap() + f[14].parse::<u64>().unwrap()
}
