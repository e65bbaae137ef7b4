//! Tests of the resolution cache: hits, every kind of change, hard links, listings,
//! bounds.

use super::*;
use crate::proto::http::entry::Variant;
use crate::proto::http::listing::{Format, View};
use std::io::Write;

fn setup() -> (tempfile::TempDir, Root, FsCache) {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    std::fs::write(d.path().join("sub/f.txt"), "one").unwrap();
    let root = Root::new(d.path(), false, false).unwrap();
    (d, root, FsCache::new(true, MAX_ENTRIES))
}

fn get(c: &FsCache, root: &Root, p: &str) -> Outcome {
    c.resolve(root, p.as_bytes()).unwrap()
}

fn file(o: Outcome) -> Arc<OpenFile> {
    match o {
        Ok(Found::File(f)) => f,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_second_lookup_is_remembered() {
    let (_d, root, c) = setup();
    let a = file(get(&c, &root, "/sub/f.txt"));
    let b = file(get(&c, &root, "/sub/f.txt"));
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(
        (a.size, a.content_type.as_str()),
        (3, "text/plain; charset=utf-8")
    );
    assert!(matches!(
        get(&c, &root, "/nope"),
        Err(ResolveError::NotFound)
    ));
    assert_eq!(c.len(), 2);
}

#[test]
fn every_kind_of_change_is_seen_at_the_next_lookup() {
    let (d, root, c) = setup();
    let f = d.path().join("sub/f.txt");
    type Change<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let changes: Vec<Change> = vec![
        (
            "write in place",
            Box::new(|| {
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(&f)
                    .unwrap()
                    .write_all(b"!")
                    .unwrap()
            }),
        ),
        (
            "rename over",
            Box::new(|| {
                std::fs::write(d.path().join("sub/new"), "replaced").unwrap();
                std::fs::rename(d.path().join("sub/new"), &f).unwrap();
            }),
        ),
        (
            "chmod",
            Box::new(|| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap()
            }),
        ),
        (
            "parent renamed",
            Box::new(|| {
                std::fs::rename(d.path().join("sub"), d.path().join("old")).unwrap();
                std::fs::rename(d.path().join("old"), d.path().join("sub")).unwrap();
            }),
        ),
    ];
    for (what, change) in changes {
        let before = file(get(&c, &root, "/sub/f.txt"));
        assert!(Arc::ptr_eq(&before, &file(get(&c, &root, "/sub/f.txt"))));
        change();
        let after = file(get(&c, &root, "/sub/f.txt"));
        assert!(
            !Arc::ptr_eq(&before, &after),
            "{what}: served the old entry"
        );
    }
    std::fs::remove_file(&f).unwrap();
    assert!(matches!(
        get(&c, &root, "/sub/f.txt"),
        Err(ResolveError::NotFound)
    ));
    std::fs::write(&f, "back").unwrap();
    assert_eq!(
        file(get(&c, &root, "/sub/f.txt")).size,
        4,
        "a cached 404 outlived its file"
    );
}

#[test]
fn a_hard_link_changed_elsewhere_is_seen() {
    let (d, root, c) = setup();
    let outside = tempfile::tempdir().unwrap();
    let link = outside.path().join("link");
    std::fs::hard_link(d.path().join("sub/f.txt"), &link).unwrap();
    let before = file(get(&c, &root, "/sub/f.txt"));
    std::fs::OpenOptions::new()
        .append(true)
        .open(&link)
        .unwrap()
        .write_all(b"!")
        .unwrap();
    let after = file(get(&c, &root, "/sub/f.txt"));
    assert!(!Arc::ptr_eq(&before, &after));
    assert_eq!(after.size, 4);
}

#[test]
fn listings_live_and_die_with_their_directory_entry() {
    let (d, root, c) = setup();
    let dir = |c: &FsCache| match get(c, &root, "/sub/") {
        Ok(Found::Dir(d)) => d,
        other => panic!("{other:?}"),
    };
    let html = Variant {
        view: View::from_query(None, Format::Html),
        gzip: false,
    };
    let one = dir(&c).listing(&root, html, false).unwrap();
    assert!(Arc::ptr_eq(
        &one,
        &dir(&c).listing(&root, html, false).unwrap()
    ));
    let by_size = Variant {
        view: View::from_query(Some(b"sort=size"), Format::Html),
        ..html
    };
    assert!(!Arc::ptr_eq(
        &one,
        &dir(&c).listing(&root, by_size, false).unwrap()
    ));
    std::fs::write(d.path().join("sub/g.txt"), "x").unwrap();
    let two = dir(&c).listing(&root, html, false).unwrap();
    let html = String::from_utf8(two.body.to_vec()).unwrap();
    assert!(html.contains("g.txt"), "{html}");
}

#[test]
fn bounded_and_off_when_disabled() {
    let (d, root, _) = setup();
    let c = FsCache::new(true, 4);
    for i in 0..10 {
        std::fs::write(d.path().join(format!("f{i}")), "x").unwrap();
    }
    for i in 0..10 {
        file(get(&c, &root, &format!("/f{i}")));
        assert!(c.len() <= 4, "{}", c.len());
    }
    let off = FsCache::new(false, MAX_ENTRIES);
    let a = file(get(&off, &root, "/sub/f.txt"));
    assert!(!Arc::ptr_eq(&a, &file(get(&off, &root, "/sub/f.txt"))));
    assert!(off.is_empty());
}

#[test]
fn a_directory_is_watched_once_however_many_files_it_holds() {
    let (d, root, c) = setup();
    for i in 0..20 {
        std::fs::write(d.path().join(format!("sub/{i}")), "x").unwrap();
    }
    for i in 0..20 {
        file(get(&c, &root, &format!("/sub/{i}")));
    }
    assert_eq!(c.len(), 20);
    // The root, sub/, and each file's own inode.
    assert_eq!(c.watches(), 2 + 20);
}

#[test]
fn a_refresh_covers_lookups_that_skip_the_queue() {
    let (d, root, c) = setup();
    let before = file(get(&c, &root, "/sub/f.txt"));
    std::fs::write(d.path().join("sub/f.txt"), "changed").unwrap();
    // Without a refresh, a lookup that skips the queue is not yet told...
    let p = b"/sub/f.txt";
    let stale = file(c.resolve_refreshed(&root, p).unwrap());
    assert!(Arc::ptr_eq(&before, &stale));
    // ...which is why the loop refreshes after its reads and before its answers.
    c.refresh();
    let after = file(c.resolve_refreshed(&root, p).unwrap());
    assert_eq!(after.size, 7);
}

#[test]
fn a_small_file_keeps_its_bytes_exactly_as_fresh_as_its_entry() {
    use std::os::unix::fs::FileExt;
    let (d, root, c) = setup();
    let f = d.path().join("sub/f.txt");
    let before = file(get(&c, &root, "/sub/f.txt"));
    assert_eq!(before.in_memory(), Some(&b"one"[..]));
    // Same size and (within a second) the same mtime: only the watch can tell.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&f)
        .unwrap()
        .write_all_at(b"two", 0)
        .unwrap();
    let after = file(get(&c, &root, "/sub/f.txt"));
    assert_eq!(after.in_memory(), Some(&b"two"[..]), "served the old bytes");
    // Not remembered (no cache), not kept: such a request opens the file.
    let off = FsCache::new(false, MAX_ENTRIES);
    assert_eq!(file(get(&off, &root, "/sub/f.txt")).in_memory(), None);
}
