//! Tests of `fs.rs`.
use super::*;

fn segs(t: &str) -> Vec<String> {
    clean_path(t.as_bytes())
        .unwrap()
        .segments
        .into_iter()
        .map(|s| String::from_utf8(s).unwrap())
        .collect()
}

#[test]
fn dot_dot_is_clamped_at_the_root() {
    assert_eq!(segs("/../../etc/passwd"), ["etc", "passwd"]);
    assert_eq!(segs("/a/b/../c"), ["a", "c"]);
    assert_eq!(segs("/%2e%2e/%2E%2E/x"), ["x"]);
    assert_eq!(clean_path(b"/..%2f..%2fx"), Err(PathError::NoSuchName));
    assert_eq!(clean_path(b"/a%2Fb"), Err(PathError::NoSuchName));
    assert_eq!(segs("/a%2Fb/../x"), ["x"]);
    assert_eq!(segs("/a%5Cb"), ["a\\b"]);
    assert_eq!(segs("/a/./b//c"), ["a", "b", "c"]);
}

#[test]
fn decoding_happens_once() {
    assert_eq!(segs("/%252e%252e/x"), ["%2e%2e", "x"]);
    assert_eq!(segs("/a%20b/%23%25"), ["a b", "#%"]);
    assert_eq!(segs("/%E4%B8%AD?q=1"), ["中"]);
}

#[test]
fn malformed_targets_are_rejected() {
    for t in [
        "%", "/%", "/%1", "/%zz", "/%00", "/a\\b", "../x", "x", "*", "",
    ] {
        assert_eq!(
            clean_path(t.as_bytes()),
            Err(PathError::BadRequest),
            "{t:?}"
        );
    }
}

#[test]
fn absolute_form_keeps_only_the_path() {
    assert_eq!(segs("http://example.com/a/b?x"), ["a", "b"]);
    assert_eq!(segs("HTTP://example.com"), Vec::<String>::new());
    assert_eq!(
        split_target(b"http://h?q=1"),
        Ok((&b"/"[..], Some(&b"q=1"[..])))
    );
    assert_eq!(split_target(b"/a?b#c"), Ok((&b"/a"[..], Some(&b"b"[..]))));
    assert_eq!(split_target(b"/a#c?d"), Ok((&b"/a"[..], None)));
}

#[test]
fn display_paths_are_decoded() {
    let p = clean_path("/sp%20ace/%E4%B8%AD/%FF".as_bytes()).unwrap();
    assert_eq!(p.display(true), "/sp ace/中/\u{FFFD}/");
    assert_eq!(clean_path(b"/").unwrap().display(true), "/");
}

#[test]
fn urls_are_single_slash_and_encoded() {
    let p = clean_path(b"//evil.com/%0d%0aSet-Cookie:x/").unwrap();
    let url = p.url(true);
    assert_eq!(url, "/evil.com/%0D%0ASet-Cookie%3Ax/");
    assert_eq!(clean_path(b"/").unwrap().url(true), "/");
    assert_eq!(encode_segment(b"a b#%\xff"), "a%20b%23%25%FF");
}

#[test]
fn symlinks_out_are_refused_and_in_are_served() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("root");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(d.path().join("secret"), "s").unwrap();
    std::fs::write(root.join("f"), "f").unwrap();
    std::os::unix::fs::symlink("../secret", root.join("out")).unwrap();
    std::os::unix::fs::symlink("f", root.join("in")).unwrap();
    let r = Root::new(&root, false, false).unwrap();
    let get = |t: &str| r.resolve(&clean_path(t.as_bytes()).unwrap());
    assert!(matches!(get("/in"), Ok(Resolved::File(..))));
    assert_eq!(get("/out").unwrap_err(), ResolveError::Forbidden);
    assert_eq!(get("/nope").unwrap_err(), ResolveError::NotFound);
    assert_eq!(get("/f/").unwrap_err(), ResolveError::NotFound);
    assert!(matches!(get("/"), Ok(Resolved::Dir(_))));
    let follow = Root::new(&root, false, true).unwrap();
    let p = clean_path(b"/out").unwrap();
    assert!(matches!(follow.resolve(&p), Ok(Resolved::File(..))));
}
