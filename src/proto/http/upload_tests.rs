//! Tests of `upload.rs`.
use super::*;
use crate::proto::http::fs::clean_path;

fn opts(overwrite: bool) -> UploadOptions {
    UploadOptions {
        max: 1000,
        overwrite,
    }
}

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".nettool-upload"))
        .collect()
}

#[test]
fn put_creates_refuses_replaces() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("sub")).unwrap();
    let root = Root::new(d.path(), false, false).unwrap();
    let p = clean_path(b"/sub/new.txt").unwrap();
    let none = Conditions::default();
    let mut u = Upload::put(&root, &p, Some(5), &none, opts(false)).unwrap();
    u.write(b"hel").unwrap();
    assert!(
        !d.path().join("sub/new.txt").exists(),
        "no partial file under the name"
    );
    u.write(b"lo").unwrap();
    let done = u.finish().unwrap();
    assert_eq!((done.status, done.location.as_str()), (201, "/sub/new.txt"));
    assert_eq!(
        std::fs::read(d.path().join("sub/new.txt")).unwrap(),
        b"hello"
    );
    let refused = |target: &[u8], len, cond: &Conditions, o| {
        let p = clean_path(target).unwrap();
        Upload::put(&root, &p, len, cond, o).unwrap_err().status
    };
    assert_eq!(refused(b"/sub/new.txt", Some(1), &none, opts(false)), 409);
    let mut u = Upload::put(&root, &p, Some(1), &none, opts(true)).unwrap();
    u.write(b"x").unwrap();
    assert_eq!(u.finish().unwrap().status, 204);
    assert_eq!(std::fs::read(d.path().join("sub/new.txt")).unwrap(), b"x");
    let inm = Conditions {
        if_none_match: Some(b"*"),
        ..Default::default()
    };
    assert_eq!(refused(b"/sub/new.txt", Some(1), &inm, opts(true)), 412);
    let im = Conditions {
        if_match: Some(b"\"nope\""),
        ..Default::default()
    };
    assert_eq!(refused(b"/sub/new.txt", Some(1), &im, opts(true)), 412);
    assert_eq!(refused(b"/nodir/x", Some(1), &none, opts(false)), 409);
    assert_eq!(refused(b"/b", Some(1001), &none, opts(false)), 413);
    assert_eq!(refused(b"/.x", Some(1), &none, opts(false)), 403);
    assert_eq!(refused(b"/sub", Some(1), &none, opts(true)), 409);
    // Abandoned and over-long uploads leave nothing behind.
    let mut u = Upload::put(&root, &clean_path(b"/c").unwrap(), None, &none, opts(false)).unwrap();
    u.write(&[0u8; 600]).unwrap();
    assert_eq!(u.write(&[0u8; 600]).unwrap_err().status, 413);
    drop(u);
    assert!(leftovers(d.path()).is_empty() && !d.path().join("c").exists());
}

#[test]
fn a_symlink_out_of_the_root_is_not_a_way_out() {
    let d = tempfile::tempdir().unwrap();
    let root_dir = d.path().join("root");
    std::fs::create_dir(&root_dir).unwrap();
    std::os::unix::fs::symlink(d.path(), root_dir.join("up")).unwrap();
    let p = clean_path(b"/up/escaped").unwrap();
    // Not even with --follow-symlinks, which lets files out to be read.
    for follow in [false, true] {
        let root = Root::new(&root_dir, false, follow).unwrap();
        let e = Upload::put(&root, &p, Some(1), &Conditions::default(), opts(false)).unwrap_err();
        assert_eq!(e.status, 403, "--follow-symlinks {follow}");
    }
    assert!(!d.path().join("escaped").exists());
}

#[test]
fn a_form_stores_each_file() {
    let d = tempfile::tempdir().unwrap();
    let root = Root::new(d.path(), false, false).unwrap();
    let p = clean_path(b"/").unwrap();
    let ct = b"multipart/form-data; boundary=B";
    let body = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nAAA\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.txt\"\r\n\r\nBB\r\n--B--\r\n";
    let mut u = Upload::form(&root, &p, Some(ct), Some(body.len() as u64), opts(false)).unwrap();
    for piece in body.chunks(5) {
        u.write(piece).unwrap();
    }
    let done = u.finish().unwrap();
    assert_eq!(done.names, vec![b"a.txt".to_vec(), b"b.txt".to_vec()]);
    assert_eq!(std::fs::read(d.path().join("a.txt")).unwrap(), b"AAA");
    assert_eq!(std::fs::read(d.path().join("b.txt")).unwrap(), b"BB");
    assert!(created_page(&done).contains("href=\"/a.txt\""));
    let mut u = Upload::form(&root, &p, Some(ct), None, opts(false)).unwrap();
    assert_eq!(u.write(body).unwrap_err().status, 409, "a.txt exists");
    drop(u);
    assert!(leftovers(d.path()).is_empty());
    assert_eq!(
        Upload::form(&root, &p, Some(b"text/plain"), None, opts(false))
            .unwrap_err()
            .status,
        415
    );
}
