//! How the I/O path's arguments read in C: an `fd_set` as strace prints it (`[3 8]`)
//! and a `pollfd` array (`[{fd=3, events=POLLIN}]`).

use std::os::fd::RawFd;

/// The descriptors in an `fd_set`, strace's way: `[3 8]`.
pub fn fd_set(fds: impl IntoIterator<Item = RawFd>) -> String {
    let fds: Vec<String> = fds.into_iter().map(|f| f.to_string()).collect();
    format!("[{}]", fds.join(" "))
}

/// A `pollfd` array: `[{fd=3, events=POLLIN}, {fd=8, events=POLLIN|POLLOUT}]`;
/// `field` is `events` (what is asked) or `revents` (what came back).
pub fn poll_fds<'a>(field: &str, fds: impl IntoIterator<Item = (RawFd, &'a str)>) -> String {
    let items: Vec<String> = fds
        .into_iter()
        .map(|(fd, ev)| format!("{{fd={fd}, {field}={ev}}}"))
        .collect();
    format!("[{}]", items.join(", "))
}

/// `POLLIN|POLLOUT`: poll flags as strace names them (`0` for none).
pub fn poll_flags(f: nix::poll::PollFlags) -> String {
    use nix::poll::PollFlags;
    flag_names(
        [
            (PollFlags::POLLIN, "POLLIN"),
            (PollFlags::POLLPRI, "POLLPRI"),
            (PollFlags::POLLOUT, "POLLOUT"),
            (PollFlags::POLLERR, "POLLERR"),
            (PollFlags::POLLHUP, "POLLHUP"),
            (PollFlags::POLLNVAL, "POLLNVAL"),
        ]
        .map(|(flag, name)| (f.contains(flag), name)),
    )
}

/// The names of the flags that are set, joined by `|` as strace and C write them
/// (`0` for none).
pub fn flag_names<'a>(flags: impl IntoIterator<Item = (bool, &'a str)>) -> String {
    let names: Vec<&str> = flags
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    if names.is_empty() {
        "0".into()
    } else {
        names.join("|")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_and_arrays_read_as_strace_prints_them() {
        assert_eq!(fd_set([3, 8]), "[3 8]");
        assert_eq!(fd_set([]), "[]");
        assert_eq!(
            poll_fds("revents", [(3, "POLLIN"), (8, "POLLIN|POLLOUT")]),
            "[{fd=3, revents=POLLIN}, {fd=8, revents=POLLIN|POLLOUT}]"
        );
    }
}
