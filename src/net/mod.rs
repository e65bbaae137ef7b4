//! The socket layer every subcommand shares: address parsing, socket builders, byte
//! moving that survives `EINTR` and short writes, the file-descriptor limit, signals,
//! and the netcat-style relay between stdin/stdout and a stream socket — and, for the
//! packet view, the AF_PACKET socket ([`packet`]) and its classic BPF filter ([`bpf`]).

pub mod addr;
pub mod bpf;
pub mod dgram;
pub mod exec;
pub mod hexdump;
pub mod iface;
pub mod igmp;
pub mod io;
pub mod keepalive;
pub mod ktls;
pub mod limits;
pub mod mcast_probe;
pub mod mcast_range;
pub mod packet;
pub mod peer;
pub mod ports;
pub mod relay;
pub mod scan;
pub mod services;
pub mod signals;
pub mod socket;
pub mod stream;
pub mod trace;
pub mod unix;
pub mod upstream;
pub mod wait;

pub use addr::{Family, Host, HostPort, UnixTarget};
pub use services::Transport;
