//! End-to-end tests: the real `nettool` binary against real peers on loopback (and,
//! for broadcast, multicast and fault injection, inside network namespaces the tests
//! create). One test binary, a module per subcommand, shared helpers in `util`.

mod util;

mod bench;
mod broadcast;
mod cli;
mod completions;
mod contract;
mod doctor;
mod dry_run;
mod engine_limits;
mod engines;
mod event_engines;
mod exec;
mod explain;
mod explain_session;
mod explain_strace;
mod half_close;
mod harden_echo;
mod heartbeat;
mod http;
mod in_use;
mod keep_open;
mod ladder;
mod lessons;
mod multicast;
mod multicast_ranges;
mod options;
mod ready;
mod relay;
mod scan;
mod signals;
mod source_crlf;
mod stat;
mod tcp_client;
mod tls;
mod udp;
mod unix;
mod uring;
