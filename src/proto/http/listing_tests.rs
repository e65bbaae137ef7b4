//! Tests of `listing.rs`.
use super::*;

fn entry(name: &str, kind: Kind, size: Option<u64>, mtime: Option<i64>) -> Entry {
    Entry {
        name: name.as_bytes().to_vec(),
        kind,
        size,
        mtime,
    }
}

#[test]
fn sizes() {
    assert_eq!(human_size(10), "10 B");
    assert_eq!(human_size(1536), "1.5 KiB");
    assert_eq!(human_size(10 << 20), "10.0 MiB");
}

#[test]
fn natural_order() {
    let mut v: Vec<&[u8]> = vec![
        b"file-10",
        b"file-2",
        b"file-1",
        b"a01",
        b"a1",
        b"b",
        b"a",
        b"file-02x",
    ];
    v.sort_by(|a, b| natural_cmp(a, b));
    let shown: Vec<String> = v.iter().map(|n| display_name(n)).collect();
    assert_eq!(
        shown,
        [
            "a", "a01", "a1", "b", "file-1", "file-2", "file-02x", "file-10"
        ]
    );
    assert_eq!(
        natural_cmp(b"x99999999999999999999999", b"x1"),
        std::cmp::Ordering::Greater
    );
}

#[test]
fn views_from_queries() {
    let v = View::from_query(Some(b"sort=size&order=desc"), Format::Html);
    assert_eq!((v.sort, v.descending), (SortKey::Size, true));
    assert_eq!(v.query(), "?sort=size&order=desc");
    assert_eq!(v.toggle(SortKey::Size), "?sort=size&order=asc");
    assert_eq!(v.toggle(SortKey::Time), "?sort=time&order=asc");
    assert_eq!(v.toggle(SortKey::Name), "?sort=name&order=asc");
    let d = View::from_query(Some(b"x=1&sort=bogus"), Format::Html);
    assert!(d.is_default() && d.query().is_empty());
    assert_eq!(d.toggle(SortKey::Name), "?sort=name&order=desc");
}

#[test]
fn sorting_keeps_directories_first() {
    let es = vec![
        entry("b", Kind::File, Some(5), Some(30)),
        entry("a", Kind::File, Some(50), Some(10)),
        entry("z", Kind::Dir, None, Some(20)),
        entry("l", Kind::Symlink, None, None),
        entry("c", Kind::Dir, None, Some(40)),
    ];
    let names = |v: View| -> String {
        sorted(&es, &v)
            .iter()
            .map(|e| display_name(&e.name))
            .collect()
    };
    let v = |sort, descending| View {
        format: Format::Html,
        sort,
        descending,
    };
    assert_eq!(names(v(SortKey::Name, false)), "czabl");
    assert_eq!(names(v(SortKey::Name, true)), "zclba");
    assert_eq!(names(v(SortKey::Size, true)), "zcabl");
    assert_eq!(names(v(SortKey::Size, false)), "czlba");
    assert_eq!(names(v(SortKey::Time, false)), "zclab");
}

#[test]
fn links_are_relative_encoded_and_keep_the_order() {
    let v = View::from_query(Some(b"sort=time"), Format::Json);
    let d = entry("a b", Kind::Dir, None, None);
    assert_eq!(href(&d, &v).unwrap(), "a%20b/?sort=time&order=asc");
    let f = entry("javascript:x", Kind::File, Some(1), None);
    assert_eq!(href(&f, &v).unwrap(), "javascript%3Ax");
    assert_eq!(href(&entry("l", Kind::Symlink, None, None), &v), None);
    let json: serde_json::Value = serde_json::from_slice(&render_json(
        &[d, f],
        &Page {
            path: "/x/",
            upload: false,
        },
        &v,
    ))
    .unwrap();
    assert_eq!(json["entries"][0]["type"], "dir");
    assert_eq!(json["entries"][0]["size"], serde_json::Value::Null);
    assert_eq!(json["sort"], "time");
    assert_eq!(json["parent"], "../?sort=time&order=asc");
    assert_eq!(json["sort_links"]["time"], "?sort=time&order=desc");
}

#[test]
fn symlinks_out_or_dangling_are_symlinks() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("f"), "12345").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", d.path().join("out")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.path().join("dangling")).unwrap();
    std::os::unix::fs::symlink("f", d.path().join("in")).unwrap();
    std::fs::write(d.path().join(".hidden"), "x").unwrap();
    let root = Root::new(d.path(), false, false).unwrap();
    let es = read_entries(d.path(), &root).unwrap();
    let kind = |n: &str| {
        es.iter()
            .find(|e| e.name == n.as_bytes())
            .map(|e| (e.kind, e.size))
    };
    assert_eq!(kind("out"), Some((Kind::Symlink, None)));
    assert_eq!(kind("dangling"), Some((Kind::Symlink, None)));
    assert_eq!(kind("in"), Some((Kind::File, Some(5))));
    assert_eq!(kind(".hidden"), None);
    let follow = Root::new(d.path(), false, true).unwrap();
    let es = read_entries(d.path(), &follow).unwrap();
    assert!(es.iter().any(|e| e.name == b"out" && e.kind == Kind::File));
}
