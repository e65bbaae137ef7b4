//! Validators someone else wrote, on every engine: REDbot (an HTTP linter, installed
//! by scripts/test-deps.sh into a virtualenv) on a file, a 206, 304s, listings in
//! HTML and JSON, a 404, a redirect and a 401 — no BAD note, and no WARN that is not
//! listed in [`ACCEPTED`] with its reason; and h2load pipelining over HTTP/1.1 —
//! no answer but 2xx, no protocol error.

use std::process::Command;

use super::{Fixture, get};
use crate::engines::engine_test;
use crate::util::{in_ci, require};

/// REDbot WARN notes this server gives on purpose, and why.
const ACCEPTED: &[(&str, &str)] = &[(
    "FRESHNESS_HEURISTIC",
    "without --cache-control a file or redirect carries no freshness lifetime (issue 16: \
     the default is none), so a cache may pick its own; the second half of the test shows \
     the note gone once --cache-control is given",
)];

/// One REDbot note.
#[derive(Debug)]
struct Note {
    id: String,
    level: String,
    summary: String,
}

/// The virtualenv's python with REDbot, or `None` (a skip; a failure under CI).
fn redbot_python() -> Option<String> {
    let venv =
        std::env::var("NETTOOL_REDBOT_VENV").unwrap_or_else(|_| "/opt/nettool-redbot".into());
    let python = format!("{venv}/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import redbot"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let why = format!("needs REDbot in {venv} (scripts/test-deps.sh installs it)");
    assert!(!in_ci(), "{why}");
    eprintln!("skipped: {why}");
    None
}

/// REDbot's notes on `url` requested with `headers`.
fn redbot(python: &str, url: &str, headers: &[&str]) -> Vec<Note> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/e2e/http/redbot_check.py"
    );
    let out = Command::new("timeout")
        .arg("120")
        .arg(python)
        .arg(script)
        .arg(url)
        .args(headers)
        .output()
        .expect("run REDbot");
    assert!(
        out.status.success(),
        "REDbot on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("REDbot's JSON");
    v.as_array()
        .unwrap()
        .iter()
        .map(|n| Note {
            id: n["id"].as_str().unwrap().to_string(),
            level: n["level"].as_str().unwrap().to_string(),
            summary: n["summary"].as_str().unwrap().to_string(),
        })
        .collect()
}

/// Fail on any BAD note and any WARN not in `accepted`.
fn assert_clean(what: &str, notes: &[Note], accepted: &[(&str, &str)]) {
    assert!(!notes.is_empty(), "{what}: REDbot said nothing");
    let bad: Vec<String> = notes
        .iter()
        .filter(|n| {
            n.level == "BAD" || (n.level == "WARN" && !accepted.iter().any(|(id, _)| *id == n.id))
        })
        .map(|n| format!("{} {}: {}", n.level, n.id, n.summary))
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:#?}");
}

/// Text that does not compress away (REDbot's range check asks for 97 bytes, so a
/// representation must be larger than that to be a real part).
fn text_file(f: &Fixture) {
    use base64::Engine as _;
    let text =
        base64::engine::general_purpose::STANDARD.encode(crate::util::random_bytes(30_000, 5));
    std::fs::write(f.root().join("text.txt"), text).unwrap();
}

engine_test!(redbot_finds_nothing_bad, |engine| {
    let Some(python) = redbot_python() else {
        return;
    };
    let f = Fixture::new();
    text_file(&f);
    let s = f.serve(engine, &["-q"]);
    let base = s.addr.clone();
    let file = format!("{base}text.txt");
    let first = get(s.socket_addr(), b"/text.txt");
    let etag = format!("If-None-Match: {}", first.header("etag").unwrap());
    let lm = format!(
        "If-Modified-Since: {}",
        first.header("last-modified").unwrap()
    );
    // (A multipart/byteranges 206 is left out: httplint wants Content-Range in its
    // header section, which RFC 9110 §15.3.7.2 forbids; our own parser checks it in
    // conformance.rs.)
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("a file", file.clone(), vec![]),
        ("a 206", file.clone(), vec!["Range: bytes=100-199"]),
        ("a 304 by ETag", file.clone(), vec![&etag]),
        ("a 304 by date", file.clone(), vec![&lm]),
        (
            "an HTML listing",
            format!("{base}sub/"),
            vec!["Accept: text/html"],
        ),
        (
            "a JSON listing",
            format!("{base}sub/"),
            vec!["Accept: application/json"],
        ),
        ("a 404", format!("{base}nope"), vec![]),
        ("a redirect", format!("{base}sub"), vec![]),
    ];
    for (what, url, headers) in &cases {
        let notes = redbot(&python, url, headers);
        assert_clean(&format!("{what} on {engine}"), &notes, ACCEPTED);
    }
    // With a lifetime, encodings, CORS and authentication, nothing is accepted.
    let s = f.serve(
        engine,
        &[
            "-q",
            "--cache-control",
            "max-age=60",
            "--compress",
            "--cors",
            "--auth",
            "u:p",
        ],
    );
    let auth = "Authorization: Basic dTpw";
    let base = s.addr.clone();
    for (what, url, headers) in [
        (
            "a gzipped file",
            format!("{base}text.txt"),
            vec![auth, "Accept-Encoding: gzip"],
        ),
        (
            "a gzipped listing",
            format!("{base}sub/"),
            vec![auth, "Accept-Encoding: gzip"],
        ),
        ("a 401", format!("{base}text.txt"), vec![]),
    ] {
        let notes = redbot(&python, &url, &headers);
        assert_clean(&format!("{what} on {engine}"), &notes, &[]);
    }
});

/// The counts of an h2load summary line (`requests: 5 total, 5 succeeded, …`) by name.
fn counts(text: &str, prefix: &str) -> std::collections::HashMap<String, u64> {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no {prefix:?} line in {text}"));
    line.split(',')
        .filter_map(|p| {
            let (n, name) = p.trim().split_once(' ')?;
            Some((name.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// Run `h2load --h1 ARGS URLS`: (requests succeeded, failed + errored + timed out,
/// answers other than 2xx, the whole output).
fn h2load(args: &[&str], urls: &[String]) -> (u64, u64, u64, String) {
    let out = Command::new("timeout")
        .arg("120")
        .arg("h2load")
        .arg("--h1")
        .args(args)
        .args(urls)
        .output()
        .expect("run h2load");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let r = counts(&text, "requests:");
    let st = counts(&text, "status codes:");
    let errors = r["failed"] + r["errored"] + r["timeout"];
    let non_2xx = st["3xx"] + st["4xx"] + st["5xx"];
    (r["succeeded"], errors, non_2xx, text)
}

engine_test!(h2load_pipelining_gets_only_2xx, |engine| {
    if !require("h2load") {
        return;
    }
    let f = Fixture::new();
    std::fs::write(f.root().join("1k.bin"), crate::util::random_bytes(1024, 1)).unwrap();
    std::fs::write(
        f.root().join("100k.bin"),
        crate::util::random_bytes(100 << 10, 2),
    )
    .unwrap();
    let s = f.serve(engine, &["-q"]);
    let urls: Vec<String> = ["1k.bin", "100k.bin", "sub/", "hello.txt"]
        .iter()
        .map(|p| format!("{}{p}", s.addr))
        .collect();
    // 16 connections, 8 requests in flight on each (pipelined), 20,000 in all.
    let (ok, errors, non_2xx, text) = h2load(&["-n", "20000", "-c", "16", "-m", "8"], &urls);
    assert_eq!((ok, errors, non_2xx), (20000, 0, 0), "{engine}: {text}");
});
