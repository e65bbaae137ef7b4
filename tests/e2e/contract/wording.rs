//! Human lines read as sentences: counts agree with their nouns ("1 connection"),
//! durations print one way (`929us`, `502ms`, `1.5s`, `2m30s`, the way `-w` takes
//! them), IPv6 scopes by interface name, and --help keeps the global options apart.

use std::io::Write;
use std::process::Stdio;

use crate::util::netns::Netns;
use crate::util::{Server, nettool, nettool_assert, require_root};

/// `502ms`, `1.5s`, `2m30s`: numbers each followed by a unit, nothing else.
fn is_duration(text: &str) -> bool {
    let mut rest = text;
    while !rest.is_empty() {
        let num = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num == 0 {
            return false;
        }
        rest = &rest[num..];
        let unit = ["us", "ms", "s", "m", "h"]
            .into_iter()
            .find(|u| rest.starts_with(u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    !text.is_empty()
}

#[test]
fn one_connection_is_counted_in_the_singular_with_one_duration_format() {
    let mut server = Server::start(&["tcp-echo", "serve", "-l", "127.0.0.1:0"]);
    let mut client = nettool()
        .args(["tcp-echo", "connect", "--stats", &server.addr])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    client.stdin.take().unwrap().write_all(b"x").unwrap();
    let out = client.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let line = String::from_utf8_lossy(&out.stderr).trim().to_string();
    let prefix = format!("{}: 1 byte sent, 1 byte received in ", server.addr);
    let took = line
        .strip_prefix(&prefix)
        .and_then(|r| r.split(' ').next())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(is_duration(took), "{line}");

    assert!(server.stop().success());
    let summary = server
        .stderr_lines()
        .into_iter()
        .find(|l| l.contains("refused, peak"))
        .expect("summary");
    let (took, cpu) = summary
        .strip_prefix("1 connection (0 refused, peak 1), 1 byte in, 1 byte out, in ")
        .and_then(|r| r.split_once(", cpu "))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(is_duration(took) && is_duration(cpu), "{summary}");
}

#[test]
fn one_datagram_from_one_peer_is_counted_in_the_singular() {
    let mut server = Server::start(&["udp", "serve", "-l", "127.0.0.1:0"]);
    let out = nettool()
        .args(["udp", "send", &server.addr, "x", "-w", "1"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"x");
    assert!(server.stop().success());
    let summary = server
        .stderr_lines()
        .into_iter()
        .find(|l| l.contains("unanswered"))
        .expect("summary");
    let took = summary
        .strip_prefix(
            "1 peer (peak 1, 0 datagrams refused), 1 datagram (1 byte) in, \
             1 datagram (1 byte) out, 0 unanswered, in ",
        )
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(is_duration(took), "{summary}");
}

#[test]
fn timeouts_are_echoed_in_the_form_they_are_typed() {
    let out = nettool()
        .args(["udp", "recv", "-l", "127.0.0.1:0", "-w", "1500ms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).lines().last(),
        Some("nettool: no datagram for 1.5s")
    );
}

#[test]
fn help_lists_global_options_apart_from_the_subcommands_own() {
    let out = nettool_assert()
        .args(["tcp-echo", "connect", "--help"])
        .assert()
        .success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let (own, global) = help
        .split_once("\nGlobal options:\n")
        .unwrap_or_else(|| panic!("no Global options heading:\n{help}"));
    assert!(
        own.contains("\n  -4\n") && own.contains("\n  -6\n"),
        "{help}"
    );
    assert!(
        !global.contains("  -4") && !global.contains("  -6"),
        "{help}"
    );
    for flag in [
        "--json",
        "--quiet",
        "--verbose",
        "--explain",
        "--dry-run",
        "--color",
    ] {
        assert!(
            global.contains(flag),
            "{flag} not under Global options:\n{help}"
        );
        assert!(
            !own.contains(flag),
            "{flag} among the subcommand's own:\n{help}"
        );
    }
    // Where --help shows them is where they work.
    nettool_assert()
        .args(["--dry-run", "tcp-echo", "connect", "-6", ":9"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0})   (dry run: not made)",
        ));
}

#[test]
fn ipv6_scopes_print_as_the_interface_name_given() {
    let out = nettool_assert()
        .args(["--dry-run", "tcp-echo", "connect", "[fe80::1%lo]:80"])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains(
            "inet_pton(AF_INET6, \"fe80::1\", &sin6_addr), sin6_scope_id=if_nametoindex(\"lo\")})   (dry run: not made)"
        ),
        "{err}"
    );
    if !require_root() {
        return;
    }
    let ns = Netns::new("scope");
    ns.ip(&["addr", "add", "fe80::1/64", "dev", "lo"]);
    let server = ns.serve(&["tcp-echo", "serve", "-l", "[fe80::1%lo]:0"]);
    assert!(server.addr.starts_with("[fe80::1%lo]:"), "{}", server.addr);
    let recv = ns.serve(&["udp", "recv", "-l", "[fe80::1%lo]:0"]);
    assert!(recv.addr.starts_with("[fe80::1%lo]:"), "{}", recv.addr);
}
