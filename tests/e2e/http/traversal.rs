//! The traversal suite: hostile request targets, sent byte for byte on raw sockets
//! (and a few through `curl --path-as-is`), none of which may return a byte of the
//! secret planted next to the served directory, or of /etc/passwd.

use super::{Fixture, SECRET, baseline, curl, get, still_healthy};
use crate::engines::engine_test;
use crate::util::require;

/// Targets that try to leave the root. Each must be answered 400, 403 or 404.
const HOSTILE: &[&[u8]] = &[
    b"/../secret.txt",
    b"/../../secret.txt",
    b"/../../../../../../../../etc/passwd",
    b"/%2e%2e/secret.txt",
    b"/%2E%2E/secret.txt",
    b"/.%2e/secret.txt",
    b"/%2e./secret.txt",
    b"/..%2fsecret.txt",
    b"/%2e%2e%2fsecret.txt",
    b"/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    b"/..%5csecret.txt",
    b"/..\\secret.txt",
    b"/%5c..%5csecret.txt",
    b"/%2e%2e%5c%2e%2e%5csecret.txt",
    b"/%252e%252e/secret.txt",
    b"/%252e%252e%252fsecret.txt",
    b"/..%252fsecret.txt",
    b"/..%00/secret.txt",
    b"/secret.txt%00.html",
    b"/%00../secret.txt",
    b"//../secret.txt",
    b"/./../secret.txt",
    b"/sub/../../secret.txt",
    b"/sub/..%2f..%2fsecret.txt",
    b"/sub/%2e%2e/%2e%2e/secret.txt",
    b"/sub/.%2e/.%2e/secret.txt",
    b"/%c0%ae%c0%ae/secret.txt",
    b"/..%c0%afsecret.txt",
    b"/%u002e%u002e/secret.txt",
    b"/..;/secret.txt",
    b"/....//secret.txt",
    b"/etc/passwd",
    b"//etc/passwd",
    b"/%2fetc%2fpasswd",
    b"/\\etc\\passwd",
    b"/link_out",
    b"/dir_out/secret.txt",
    b"/dir_out/",
    b"/dir_out/root/../secret.txt",
    b"/.hidden",
    b"/%2ehidden",
    b"../secret.txt",
    b"secret.txt",
    b"http://evil/../secret.txt",
    b"file:///etc/passwd",
    b"/%",
    b"/%1",
];

fn leaks(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.contains(SECRET) || text.contains("root:x:0:0") || text.contains("dotfile")
}

engine_test!(no_hostile_path_leaves_the_root, |engine| {
    assert!(HOSTILE.len() >= 30);
    let f = Fixture::new();
    let mut s = f.serve(engine, &["-q"]);
    let fds = baseline(&s);
    for target in HOSTILE {
        let shown = String::from_utf8_lossy(target);
        let r = get(s.socket_addr(), target);
        assert!(
            matches!(r.status, 400 | 403 | 404),
            "{shown} got {} on {engine}",
            r.status
        );
        assert!(!leaks(&r.body), "{shown} leaked on {engine}");
    }
    still_healthy(&mut s, fds);
});

engine_test!(curl_path_as_is_cannot_escape, |engine| {
    if !require("curl") {
        return;
    }
    let f = Fixture::new();
    let s = f.serve(engine, &["-q"]);
    let base = crate::http::base(&s);
    for p in [
        "../secret.txt",
        "../../etc/passwd",
        "%2e%2e/secret.txt",
        "sub/../../secret.txt",
        "..%2fsecret.txt",
        "dir_out/secret.txt",
        "link_out",
    ] {
        let out = curl(&["--path-as-is", "-i", &format!("{base}{p}")]);
        assert!(!out.stdout.is_empty(), "{p}: no answer");
        assert!(!leaks(&out.stdout), "{p} leaked on {engine}");
    }
});
