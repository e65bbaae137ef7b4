//! No option is accepted and ignored: every option of every subcommand has a row in
//! one table — the subcommand, the option, and a check that runs the real binary and
//! observes what the option changes (a socket call under `--explain`, a byte on the
//! wire, a line of output, an exit status).
//!
//! The table is walked against clap's own tree (`Cli::command()`): an option added
//! to the command line without a row fails `every_option_has_a_row`, and so does a row
//! whose option no longer exists. The checks run one test per subcommand
//! (`options::tcp_echo_serve`), so a failure names the subcommand, and the row's
//! option is in the panic message.

mod bench;
mod dgram;
mod dgram_servers;
mod exec;
mod fixtures;
mod heartbeat;
mod http;
mod keep_open;
mod relay;
mod scan;
mod servers;
mod sessions;
mod stat;
mod tls;
mod tools;
mod udp_listen;

use std::collections::BTreeSet;

/// One row: a subcommand as its path (`tcp-echo serve`; `` for the global options),
/// one of its options (`--long`, or `-s` when it has no long name), and the check.
#[derive(Clone, Copy)]
pub struct Row {
    pub cmd: &'static str,
    pub opt: &'static str,
    pub check: fn(),
}

/// `Row`s for one subcommand, each option with its check.
macro_rules! rows {
    ($cmd:literal: $($opt:literal => $check:expr),+ $(,)?) => {
        vec![$(crate::options::Row { cmd: $cmd, opt: $opt, check: $check }),+]
    };
}
pub(crate) use rows;

fn table() -> Vec<Row> {
    [
        tools::rows(),
        bench::rows(),
        heartbeat::rows(),
        sessions::rows(),
        keep_open::rows(),
        udp_listen::rows(),
        servers::rows(),
        relay::rows(),
        dgram::rows(),
        dgram_servers::rows(),
        stat::rows(),
        scan::rows(),
        exec::rows(),
        tls::rows(),
    ]
    .concat()
}

/// Every (subcommand, option) the command line accepts, from clap's tree.
fn options_in_the_cli() -> BTreeSet<(String, String)> {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, found: &mut BTreeSet<(String, String)>) {
        for a in c.get_arguments() {
            // Globals are rows of the root; help and version are clap's own.
            let own = path.is_empty() || !a.is_global_set();
            if !own || matches!(a.get_id().as_str(), "help" | "version") {
                continue;
            }
            let name = match (a.get_long(), a.get_short()) {
                (Some(l), _) => format!("--{l}"),
                (None, Some(s)) => format!("-{s}"),
                // Positional arguments are what the command is about, not options.
                (None, None) => continue,
            };
            found.insert((path.to_string(), name));
        }
        for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let sub = format!("{path} {}", s.get_name());
            walk(s, sub.trim(), found);
        }
    }
    let mut cmd = nettool::cmd::Cli::command();
    cmd.build();
    let mut found = BTreeSet::new();
    walk(&cmd, "", &mut found);
    found
}

#[test]
fn every_option_has_a_row() {
    let cli = options_in_the_cli();
    let rows: BTreeSet<(String, String)> = table()
        .iter()
        .map(|r| (r.cmd.to_string(), r.opt.to_string()))
        .collect();
    let missing: Vec<_> = cli.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&cli).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "options without a row (add one to tests/e2e/options/): {missing:?}; \
         rows without an option: {stale:?}"
    );
    let leaves: BTreeSet<&str> = rows_by_test().iter().map(|(_, cmd)| *cmd).collect();
    let cmds: BTreeSet<&str> = table().iter().map(|r| r.cmd).collect();
    assert_eq!(
        leaves, cmds,
        "every subcommand with options needs its test in option_tests!"
    );
}

/// Run every row of `cmd`, naming the option that failed.
fn check(cmd: &str) {
    let rows: Vec<Row> = table().into_iter().filter(|r| r.cmd == cmd).collect();
    assert!(!rows.is_empty(), "no rows for {cmd:?}");
    let mut failed = Vec::new();
    for r in rows {
        eprintln!("--- {cmd} {}", r.opt);
        if std::panic::catch_unwind(r.check).is_err() {
            failed.push(r.opt);
        }
    }
    assert!(failed.is_empty(), "{cmd}: no effect seen for {failed:?}");
}

macro_rules! option_tests {
    ($($name:ident => $cmd:literal),+ $(,)?) => {
        fn rows_by_test() -> Vec<(&'static str, &'static str)> {
            vec![$((stringify!($name), $cmd)),+]
        }
        $(
            #[test]
            fn $name() {
                check($cmd);
            }
        )+
    };
}

option_tests! {
    global => "",
    tcp_echo_connect => "tcp-echo connect",
    tcp_echo_listen => "tcp-echo listen",
    tcp_echo_serve => "tcp-echo serve",
    tcp_echo_relay => "tcp-echo relay",
    tcp_echo_bench => "tcp-echo bench",
    udp_serve => "udp serve",
    udp_send => "udp send",
    udp_recv => "udp recv",
    udp_listen => "udp listen",
    broadcast_send => "broadcast send",
    broadcast_recv => "broadcast recv",
    multicast_send => "multicast send",
    multicast_recv => "multicast recv",
    multicast_doctor => "multicast doctor",
    stat => "stat",
    serve_http => "serve-http",
    unix_serve => "unix serve",
    unix_relay => "unix relay",
    unix_listen => "unix listen",
    unix_connect => "unix connect",
    heartbeat_serve => "heartbeat serve",
    heartbeat_connect => "heartbeat connect",
}
