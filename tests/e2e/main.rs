//! End-to-end tests: the real `nettool` binary against real peers on loopback (and,
//! for broadcast, multicast and fault injection, inside network namespaces the tests
//! create). One test binary, a module per subcommand, shared helpers in `util`.

mod util;

mod bench;
mod cli;
mod engines;
mod tcp_client;
