//! The old window into the socket table: the text files under `/proc/net` (proc(5)),
//! which `netstat` reads, and `/proc/PID/fd`, which tells which process holds which
//! socket (every socket is an inode; `readlink /proc/PID/fd/N` says `socket:[INODE]`).
//!
//! `/proc/net/{tcp,tcp6,udp,udp6}` are read with the `procfs` crate. `/proc/net/unix`
//! is parsed here because `procfs` drops its Flags column, and that column is the only
//! place a listening Unix socket (`__SO_ACCEPTCON`) shows itself. What /proc does not
//! carry: a listener's backlog (its Send-Q reads 0), Unix queues and peers, TCP timers
//! and `tcp_info` — netlink has them, which is why it is the default.

use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;

use procfs::process::{FDTarget, Process};

use super::{Endpoint, ProcRef, Proto, Query, Socket, State};
use crate::net::Family;

/// The sockets the query names, from /proc/net.
pub fn sockets(q: &Query) -> anyhow::Result<Vec<Socket>> {
    let mut rows = Vec::new();
    let v4 = q.family != Family::V6;
    let v6 = q.family != Family::V4;
    // procfs has one entry type per protocol, with the same field names.
    macro_rules! columns {
        ($e:ident) => {
            Columns {
                state: $e.state.to_u8(),
                queues: ($e.rx_queue, $e.tx_queue),
                ends: ($e.local_address, $e.remote_address),
                uid: $e.uid,
                inode: $e.inode,
            }
        };
    }
    if q.tcp {
        let tables = [
            (v4, false, procfs::net::tcp as Table<_>),
            (v6, true, procfs::net::tcp6),
        ];
        inet_tables(&mut rows, Proto::Tcp, tables, |e| columns!(e))?;
    }
    if q.udp {
        let tables = [
            (v4, false, procfs::net::udp as Table<_>),
            (v6, true, procfs::net::udp6),
        ];
        inet_tables(&mut rows, Proto::Udp, tables, |e| columns!(e))?;
    }
    if q.unix {
        match std::fs::read_to_string("/proc/net/unix") {
            Ok(text) => rows.extend(parse_unix(&text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(anyhow::Error::new(e).context("/proc/net/unix")),
        }
    }
    Ok(rows)
}

/// A missing file (no IPv6 in this kernel) is an empty table.
fn optional<T>(r: procfs::ProcResult<Vec<T>>) -> anyhow::Result<Vec<T>> {
    match r {
        Ok(v) => Ok(v),
        Err(procfs::ProcError::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(anyhow::Error::new(e).context("/proc/net")),
    }
}

/// A `procfs` reader of one /proc/net table.
type Table<E> = fn() -> procfs::ProcResult<Vec<E>>;

/// The columns of /proc/net/{tcp,udp}{,6} that a row is made of.
struct Columns {
    state: u8,
    /// Receive and send queue.
    queues: (u32, u32),
    /// Local and remote address.
    ends: (SocketAddr, SocketAddr),
    uid: u32,
    inode: u64,
}

/// Read the IPv4 and IPv6 tables of one protocol (each if asked for) into `rows`.
fn inet_tables<E>(
    rows: &mut Vec<Socket>,
    proto: Proto,
    tables: [(bool, bool, Table<E>); 2],
    columns: impl Fn(&E) -> Columns,
) -> anyhow::Result<()> {
    for (on, v6, read) in tables {
        if !on {
            continue;
        }
        for e in optional(read())? {
            let c = columns(&e);
            if let Some(state) = State::from_kernel(c.state) {
                rows.push(inet(proto, v6, state, &c));
            }
        }
    }
    Ok(())
}

fn inet(proto: Proto, v6: bool, state: State, c: &Columns) -> Socket {
    let end = |addr| Endpoint::Inet { addr, scope: 0 };
    Socket {
        proto,
        v6,
        v6only: false,
        state,
        recv_q: c.queues.0,
        send_q: c.queues.1,
        local: end(c.ends.0),
        peer: end(c.ends.1),
        uid: c.uid,
        inode: c.inode,
        timer: None,
        tcp_info: None,
        skmem: None,
        processes: Vec::new(),
    }
}

/// `__SO_ACCEPTCON` in the Flags column: the socket is listening.
const SO_ACCEPTCON: u32 = 1 << 16;

/// Parse `/proc/net/unix`: `Num RefCount Protocol Flags Type St Inode [Path]`, numbers
/// in hex except the inode. St is the BSD socket state (1 unconnected, 2 connecting,
/// 3 connected, 4 disconnecting); mapped to the kernel's sk_state as netlink reports it.
pub fn parse_unix(text: &str) -> Vec<Socket> {
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        let mut f = line.split_whitespace();
        let (Some(_num), Some(_refs), Some(_proto), Some(flags), Some(ty), Some(st), Some(inode)) = (
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next(),
        ) else {
            continue;
        };
        let (Ok(flags), Ok(ty), Ok(st), Ok(inode)) = (
            u32::from_str_radix(flags, 16),
            u32::from_str_radix(ty, 16),
            u32::from_str_radix(st, 16),
            inode.parse::<u64>(),
        ) else {
            continue;
        };
        let Some(proto) = Proto::unix_from_type(ty) else {
            continue;
        };
        let rest: Vec<&str> = f.collect();
        let name = (!rest.is_empty()).then(|| rest.join(" "));
        let state = if flags & SO_ACCEPTCON != 0 {
            State::Listen
        } else {
            match st {
                2 => State::SynSent,
                3 => State::Established,
                _ => State::Closed,
            }
        };
        rows.push(Socket {
            proto,
            v6: false,
            v6only: false,
            state,
            recv_q: 0,
            send_q: 0,
            local: Endpoint::Unix { name, inode },
            peer: Endpoint::Unix {
                name: None,
                inode: 0,
            },
            uid: 0,
            inode,
            timer: None,
            tcp_info: None,
            skmem: None,
            processes: Vec::new(),
        });
    }
    rows
}

/// A procfs error in words: its I/O errors without `(os error N)`.
fn proc_error_words(e: &procfs::ProcError) -> String {
    match e {
        procfs::ProcError::Io(io, Some(path)) => {
            format!("{}: {}", path.display(), crate::os_error::describe(io))
        }
        procfs::ProcError::Io(io, None) => crate::os_error::describe(io),
        other => other.to_string(),
    }
}

/// The socket inodes process `pid` holds open.
pub fn inodes_of(pid: i32) -> anyhow::Result<HashSet<u64>> {
    let why = |e: procfs::ProcError| match e {
        procfs::ProcError::NotFound(_) => anyhow::anyhow!("process {pid}: no such process"),
        procfs::ProcError::PermissionDenied(_) => {
            anyhow::anyhow!("process {pid}: permission denied (its fds need root)")
        }
        other => anyhow::anyhow!("process {pid}: {}", proc_error_words(&other)),
    };
    let fds = Process::new(pid).and_then(|p| p.fd()).map_err(why)?;
    Ok(fds
        .filter_map(Result::ok)
        .filter_map(|fd| match fd.target {
            FDTarget::Socket(inode) => Some(inode),
            _ => None,
        })
        .collect())
}

/// Which processes hold which socket inode (`-p`): every process we may look into, or
/// only `only`. Processes that exit mid-scan, or whose fds we may not read, are
/// skipped quietly, as `ss -p` does.
pub fn owners(only: Option<i32>) -> anyhow::Result<HashMap<u64, Vec<ProcRef>>> {
    let mut map: HashMap<u64, Vec<ProcRef>> = HashMap::new();
    let procs: Vec<Process> = match only {
        Some(pid) => Process::new(pid).into_iter().collect(),
        None => procfs::process::all_processes()
            .map_err(|bad| anyhow::anyhow!("listing processes: {}", proc_error_words(&bad)))?
            .filter_map(Result::ok)
            .collect(),
    };
    for p in procs {
        let Ok(fds) = p.fd() else { continue };
        let mut name: Option<String> = None;
        for fd in fds.filter_map(Result::ok) {
            if let FDTarget::Socket(inode) = fd.target {
                let name = name.get_or_insert_with(|| process_name(&p));
                map.entry(inode).or_default().push(ProcRef {
                    name: name.clone(),
                    pid: p.pid,
                    fd: fd.fd,
                });
            }
        }
    }
    Ok(map)
}

/// The command name (`comm`, at most 15 bytes), as ss prints it.
fn process_name(p: &Process) -> String {
    std::fs::read_to_string(format!("/proc/{}/comm", p.pid))
        .map(|s| s.trim_end_matches('\n').to_string())
        .unwrap_or_else(|_| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIX: &str = "Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 13755 /run/systemd/private
0000000000000000: 00000003 00000000 00000000 0001 03 21234
0000000000000000: 00000002 00000000 00000000 0002 01 555 @abstract name
0000000000000000: 00000002 00000000 00000000 0005 02 556
";

    #[test]
    fn unix_table_parses_listeners_connected_and_names() {
        let rows = parse_unix(UNIX);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].state, State::Listen);
        assert_eq!(
            rows[0].local,
            Endpoint::Unix {
                name: Some("/run/systemd/private".into()),
                inode: 13755
            }
        );
        assert_eq!(rows[1].state, State::Established);
        assert_eq!(
            (rows[2].proto, rows[2].state),
            (Proto::UnixDgram, State::Closed)
        );
        assert_eq!(
            rows[2].local,
            Endpoint::Unix {
                name: Some("@abstract name".into()),
                inode: 555
            }
        );
        assert_eq!(
            (rows[3].proto, rows[3].state),
            (Proto::UnixSeqpacket, State::SynSent)
        );
    }

    #[test]
    fn our_own_socket_is_found_by_inode() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let q = Query {
            tcp: true,
            family: Family::V4,
            ..Query::default()
        };
        let rows = sockets(&q).unwrap();
        let me = rows
            .iter()
            .find(|s| s.local_port() == Some(port))
            .expect("our listener");
        let mine = inodes_of(std::process::id() as i32).unwrap();
        assert!(mine.contains(&me.inode));
        let owners = owners(Some(std::process::id() as i32)).unwrap();
        assert_eq!(owners[&me.inode][0].pid, std::process::id() as i32);
    }
}
