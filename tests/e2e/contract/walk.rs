//! The contract on every subcommand, walked from clap's own tree (as `options` walks
//! every option): `--help` exits 0 and shows the command's usage; an unknown option,
//! any option given a value its parser refuses, and `-w 0` are each one line
//! `nettool: …` on stderr with exit 2 (and an `error` record under `--json`). That
//! each mode's `--json` output parses is `contract::json` (which walks the same tree).

use std::ffi::OsStr;

use clap::error::ErrorKind;

use crate::util::nettool;

/// Every runnable subcommand as (`tcp-echo serve`, its clap command), built.
pub fn leaves() -> Vec<(String, clap::Command)> {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, found: &mut Vec<(String, clap::Command)>) {
        let subs: Vec<&clap::Command> = c
            .get_subcommands()
            .filter(|s| s.get_name() != "help" && !s.is_hide_set())
            .collect();
        if subs.is_empty() && !path.is_empty() {
            found.push((path.to_string(), c.clone()));
        }
        for s in subs {
            walk(s, format!("{path} {}", s.get_name()).trim(), found);
        }
    }
    let mut cmd = nettool::cmd::Cli::command();
    cmd.build();
    let mut found = Vec::new();
    walk(&cmd, "", &mut found);
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.len() >= 20, "the walk found only {paths:?}");
    found
}

/// `nettool ARGS…` fails as a usage error: exit 2, one line `nettool: …` that
/// contains `needle`; under `--json` also an `error` record with exit_code 2.
#[track_caller]
fn refused(args: &[&str], needle: &str) {
    let out = nettool().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: not one line:\n{err}");
    assert!(
        err.starts_with("nettool: ") && err.contains(needle),
        "{args:?}: {err}"
    );
    assert!(out.stdout.is_empty(), "{args:?}: stdout {:?}", out.stdout);

    let out = nettool().arg("--json").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--json {args:?}");
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("--json {args:?}: {e}: {:?}", out.stdout));
    assert_eq!(
        (rec["event"].as_str(), rec["exit_code"].as_u64()),
        (Some("error"), Some(2))
    );
}

#[test]
fn every_subcommand_help_exits_0() {
    for (path, _) in leaves() {
        let words: Vec<&str> = path.split(' ').collect();
        let out = nettool().args(&words).arg("--help").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{path} --help");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains(&format!("Usage: nettool {path}")),
            "{path} --help:\n{help}"
        );
        assert!(out.stderr.is_empty(), "{path} --help wrote to stderr");
    }
}

#[test]
fn every_subcommand_refuses_an_unknown_option_in_one_line() {
    for (path, _) in leaves() {
        let words: Vec<&str> = path.split(' ').collect();
        refused(
            &[&words[..], &["--no-such-option"]].concat(),
            "'--no-such-option'",
        );
    }
}

/// Every option whose parser refuses a value (numbers, durations, sizes, choices,
/// addresses checked by clap) says so in one line naming the option.
#[test]
fn every_option_refuses_a_bad_value_in_one_line() {
    const BAD: &str = "bogus!";
    let mut checked = 0;
    for (path, cmd) in leaves() {
        let words: Vec<&str> = path.split(' ').collect();
        for a in cmd.get_arguments().filter(|a| !a.is_global_set()) {
            let Some(long) = a.get_long() else { continue };
            let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
            // clap's own verdict on the value, before any required argument is missed.
            let opt = format!("--{long}={BAD}");
            let rejects = cmd
                .clone()
                .try_get_matches_from([OsStr::new("x"), OsStr::new(&opt)])
                .is_err_and(|e| {
                    matches!(
                        e.kind(),
                        ErrorKind::InvalidValue | ErrorKind::ValueValidation
                    )
                });
            if !takes_value || !rejects {
                continue;
            }
            refused(
                &[&words[..], &[opt.as_str()]].concat(),
                &format!("--{long}"),
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} options checked");
}

/// `-w 0` is refused like `--interval 0`, on every command that has `-w`.
#[test]
fn every_timeout_refuses_zero() {
    let mut checked = 0;
    for (path, cmd) in leaves() {
        if !cmd.get_arguments().any(|a| a.get_short() == Some('w')) {
            continue;
        }
        let words: Vec<&str> = path.split(' ').collect();
        refused(&[&words[..], &["-w", "0"]].concat(), "must be above zero");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} commands have -w");
}
