//! The command line itself: help, version, usage errors and their exit codes.

use predicates::prelude::*;

use crate::util::nettool_assert;

#[test]
fn help_lists_subcommands() {
    nettool_assert()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("tcp-echo").and(predicate::str::contains("--json")));
}

#[test]
fn no_arguments_prints_help_and_fails_as_usage() {
    nettool_assert()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage:"));
}

#[test]
fn version_prints_the_crate_version() {
    nettool_assert()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("nettool {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn bad_address_is_one_line_and_exit_2() {
    let out = nettool_assert()
        .args(["tcp-echo", "connect", "1.2.3:99999"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(
        stderr,
        "nettool: invalid address \"1.2.3:99999\": port 99999 is out of range (0 to 65535)\n"
    );
}

#[test]
fn each_address_form_is_checked() {
    for (addr, why) in [
        ("::1:80", "need brackets"),
        ("[::1]80", "expected ':PORT'"),
        ("host:", "missing port"),
        ("host:nosuchport", "unknown service \"nosuchport\""),
        ("bad_host!:80", "not a valid host name"),
    ] {
        nettool_assert()
            .args(["tcp-echo", "connect", addr])
            .assert()
            .code(2)
            .stderr(
                predicate::str::starts_with(format!("nettool: invalid address \"{addr}\""))
                    .and(predicate::str::contains(why)),
            );
    }
}

#[test]
fn family_mismatch_is_a_usage_error() {
    nettool_assert()
        .args(["tcp-echo", "connect", "-4", "[::1]:9"])
        .assert()
        .code(2)
        .stderr("nettool: address ::1 is IPv6 but -4 was given\n");
}

#[test]
fn unknown_option_is_exit_2() {
    nettool_assert()
        .args(["tcp-echo", "connect", "--bogus", "1"])
        .assert()
        .code(2);
}

#[test]
fn bad_duration_is_exit_2_and_named() {
    nettool_assert()
        .args(["tcp-echo", "connect", "-w", "soon", "127.0.0.1:9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"soon\" is not a duration"));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        nettool_assert()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("tcp-echo"));
    }
}

#[test]
fn completions_into_a_closed_pipe_do_not_panic() {
    use std::process::Stdio;
    let mut child = crate::util::nettool()
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn man_generator_writes_pages() {
    let dir = tempfile::tempdir().unwrap();
    nettool_assert()
        .args(["man"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(dir.path().join("nettool.1").exists());
    assert!(dir.path().join("nettool-tcp-echo-connect.1").exists());
}

#[test]
fn every_data_command_piped_into_head_exits_quietly() {
    use std::io::Write;
    let bin = crate::util::bin().display().to_string();
    // A peer that sends far more than `head` wants.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let tcp = listener.local_addr().unwrap().to_string();
    let feeder = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let chunk = vec![b'z'; 65536];
            for _ in 0..1024 {
                if s.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
    });
    for cmd in [
        format!("{bin} --help"),
        format!("{bin} completions zsh"),
        format!("{bin} stat -ta"),
        format!("{bin} tcp-echo connect --recv-only {tcp}"),
    ] {
        let out = std::process::Command::new("bash")
            .args([
                "-c",
                &format!("set -o pipefail; {cmd} | head -c 10 >/dev/null"),
            ])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{cmd}: {:?} {stderr}", out.status);
        assert!(
            !stderr.contains("panicked") && stderr.is_empty(),
            "{cmd}: {stderr}"
        );
    }
    feeder.join().unwrap();
}
