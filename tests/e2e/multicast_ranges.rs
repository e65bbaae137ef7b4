//! The block of the address space a group is in, named where a learner looks: a
//! warning when a receiver joins a group reserved for protocols on the link
//! (224.0.0.0/24) or an SSM group (232.0.0.0/8, ff3x::/32) without `--source`, the
//! block under `--explain` and `-v`, in the JSON records and as the doctor's `range`
//! check; and the interface's name beside every index `--explain` prints. All inside
//! a network namespace of the test's own (lo up, 224.0.0.0/4 routed to it).

use crate::util::netns::Netns;

fn lab(tag: &str) -> Option<Netns> {
    if !crate::util::netns::available() {
        return None;
    }
    let ns = Netns::new(tag);
    ns.multicast_route("lo");
    Some(ns)
}

/// Run `nettool ARGS…` in `ns` with no stdin: (stdout, stderr).
fn run(ns: &Netns, args: &[&str]) -> (String, String) {
    let mut c = ns.nettool();
    c.args(args).stdin(std::process::Stdio::null());
    let out = crate::util::must_end_within(c, std::time::Duration::from_secs(20));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `nettool [GLOBAL…] multicast recv GROUP -i lo -w 200ms [EXTRA…]` in `ns`: (stdout,
/// stderr).
fn recv(ns: &Netns, global: &[&str], group: &str, extra: &[&str]) -> (String, String) {
    let args = [
        global,
        &["multicast", "recv", group, "-i", "lo", "-w", "200ms"][..],
        extra,
    ]
    .concat();
    run(ns, &args)
}

#[test]
fn a_link_local_control_group_is_joined_with_a_warning_and_explained() {
    let Some(ns) = lab("mrl") else { return };
    let (_, err) = recv(&ns, &["--explain"], "224.0.0.9:5000", &[]);
    assert!(
        err.contains("  multicast: group 224.0.0.9 is in 224.0.0.0/24 link-local control"),
        "{err}"
    );
    assert!(
        err.contains("IP_ADD_MEMBERSHIP, ip_mreqn{224.0.0.9, ifindex 1 (lo)}) = 0"),
        "{err}"
    );
    assert!(
        err.contains("IP_DROP_MEMBERSHIP, {224.0.0.9, ifindex 1 (lo)}) = 0"),
        "{err}"
    );
    // Without --explain the ready line still comes first, the warning after the join.
    let (_, err) = recv(&ns, &[], "224.0.0.9:5000", &[]);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with("listening on 224.0.0.9:5000"), "{err}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "nettool: warning: 224.0.0.9 is in 224.0.0.0/24 link-local control: reserved"
        ) && l.contains("joined anyway")),
        "{err}"
    );
}

#[test]
fn an_ssm_group_without_a_source_is_warned_about_and_the_doctor_calls_it_a_problem() {
    let Some(ns) = lab("mrs") else { return };
    let (_, err) = recv(&ns, &[], "232.1.1.1:5000", &[]);
    assert!(
        err.contains("232.1.1.1 is in 232.0.0.0/8 source-specific (SSM)")
            && err.contains("--source ADDR"),
        "{err}"
    );
    let (_, err) = recv(&ns, &[], "232.1.1.1:5000", &["--source", "127.0.0.1"]);
    assert!(!err.contains("warning"), "{err}");
    let range = |extra: &[&str]| {
        let (out, _) = run(
            &ns,
            &[
                &[
                    "--json",
                    "multicast",
                    "doctor",
                    "232.1.1.1:5000",
                    "-i",
                    "lo",
                ][..],
                extra,
            ]
            .concat(),
        );
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["check"] == "range")
            .unwrap_or_else(|| panic!("no range check: {out}"))
    };
    assert_eq!(range(&[])["verdict"], "problem");
    assert_eq!(range(&["--source", "127.0.0.1"])["verdict"], "ok");
}

#[test]
fn the_block_is_in_the_json_records_and_at_verbose() {
    let Some(ns) = lab("mrj") else { return };
    let (out, _) = recv(&ns, &["--json"], "239.1.2.3:5000", &[]);
    let joined = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["event"] == "joined")
        .unwrap_or_else(|| panic!("no joined record: {out}"));
    assert_eq!(joined["range"], "239.0.0.0/8 administratively scoped");
    let send = |flag: &str| {
        run(
            &ns,
            &[
                flag,
                "multicast",
                "send",
                "[ff02::1234]:5000",
                "-i",
                "lo",
                "hi",
            ],
        )
        .1
    };
    let err = send("-v");
    assert!(
        err.contains("nettool: info: group ff02::1234 is in ff02::/16 link-local"),
        "{err}"
    );
    let err = send("--explain");
    assert!(err.contains("IPV6_MULTICAST_IF, 1 (lo)) = 0"), "{err}");
}
