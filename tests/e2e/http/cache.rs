//! The resolution cache (`src/proto/http/cache.rs`) seen from outside: whatever
//! changes on disk is what the very next request gets, and the files it keeps open
//! are bounded and let go of when they change.

use std::path::Path;

use super::{Fixture, SECRET, get, open_fds};
use crate::engines::engine_test;

fn body_of(addr: std::net::SocketAddr, target: &str) -> (u16, String) {
    let r = get(addr, target.as_bytes());
    if r.status == 200 {
        let len: usize = r.header("content-length").unwrap().parse().unwrap();
        assert_eq!(
            len,
            r.body.len(),
            "{target}: Content-Length and body disagree"
        );
    }
    (r.status, String::from_utf8_lossy(&r.body).into_owned())
}

engine_test!(every_change_is_served_by_the_next_request, |engine| {
    let f = Fixture::new();
    let root = f.root();
    let s = f.serve(engine, &["-q"]);
    let a = s.socket_addr();
    let file = root.join("c.txt");
    let ok = |body: &str| (200, body.to_string());
    std::fs::write(&file, "one").unwrap();
    assert_eq!(body_of(a, "/c.txt"), ok("one"), "{engine}");
    std::fs::write(&file, "two").unwrap();
    assert_eq!(
        body_of(a, "/c.txt"),
        ok("two"),
        "{engine}: rewritten in place"
    );
    std::fs::write(&file, "three!").unwrap();
    assert_eq!(
        body_of(a, "/c.txt"),
        ok("three!"),
        "{engine}: grown in place"
    );
    std::fs::write(root.join("c.new"), "four").unwrap();
    std::fs::rename(root.join("c.new"), &file).unwrap();
    assert_eq!(
        body_of(a, "/c.txt"),
        ok("four"),
        "{engine}: replaced by rename"
    );
    std::fs::remove_file(&file).unwrap();
    assert_eq!(body_of(a, "/c.txt").0, 404, "{engine}: deleted");
    std::fs::write(&file, "five").unwrap();
    assert_eq!(body_of(a, "/c.txt"), ok("five"), "{engine}: created again");

    // A symlink turned to point outside the root is refused at once.
    let flip = root.join("flip");
    std::os::unix::fs::symlink("hello.txt", &flip).unwrap();
    assert_eq!(body_of(a, "/flip"), ok("hello, world\n"), "{engine}");
    std::fs::remove_file(&flip).unwrap();
    std::os::unix::fs::symlink("../secret.txt", &flip).unwrap();
    let (status, body) = body_of(a, "/flip");
    assert_eq!(status, 403, "{engine}: retargeted symlink");
    assert!(!body.contains(SECRET));

    // A directory moved away and another put in its place.
    let d = root.join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("x"), "old").unwrap();
    assert_eq!(body_of(a, "/d/x"), ok("old"), "{engine}");
    assert!(body_of(a, "/d/").1.contains(">3 B<"), "{engine}: listing");
    std::fs::rename(&d, root.join("d.old")).unwrap();
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("x"), "new, longer").unwrap();
    assert_eq!(
        body_of(a, "/d/x"),
        ok("new, longer"),
        "{engine}: parent replaced"
    );
    // A size changed in place shows in the listing too.
    assert!(
        body_of(a, "/d/").1.contains(">11 B<"),
        "{engine}: listing size"
    );

    for p in [&file, &flip] {
        std::fs::remove_file(p).unwrap();
    }
    std::fs::remove_dir_all(&d).unwrap();
    std::fs::remove_dir_all(root.join("d.old")).unwrap();
});

/// Descriptors of files below `root` the server holds (not the root itself, which
/// it keeps open for openat2).
fn held_under(pid: i32, root: &Path) -> Vec<String> {
    let root = format!("{}/", root.canonicalize().unwrap().display());
    open_fds(pid)
        .into_iter()
        .filter(|t| t.starts_with(&*root))
        .collect()
}

#[test]
fn cached_files_are_bounded_and_released() {
    if !crate::util::require("prlimit") {
        return;
    }
    let f = Fixture::new();
    let root = f.root();
    let many = root.join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..100 {
        std::fs::write(many.join(format!("{i}.txt")), format!("{i}")).unwrap();
    }
    for engine in ["epoll-et", "thread"] {
        // 256 descriptors: the cache keeps at most an eighth of them, 32.
        let s = f.serve_via(&["prlimit", "--nofile=256:256"], engine, &["-q"]);
        let a = s.socket_addr();
        for i in 0..100 {
            assert_eq!(body_of(a, &format!("/many/{i}.txt")).1, i.to_string());
            let held = held_under(s.pid(), &root).len();
            assert!(held <= 32, "{engine}: {held} files held open");
        }
        let last = "99.txt";
        assert!(
            held_under(s.pid(), &root).iter().any(|t| t.ends_with(last)),
            "{engine}: the file just served is not kept open"
        );
        // A deleted file is let go of at the next request, not kept alive.
        std::fs::remove_file(many.join(last)).unwrap();
        assert_eq!(body_of(a, &format!("/many/{last}")).0, 404);
        let held = held_under(s.pid(), &root);
        assert!(!held.iter().any(|t| t.contains(last)), "{engine}: {held:?}");
        std::fs::write(many.join(last), "99").unwrap();
    }
    // --no-cache: nothing stays open after a response.
    let s = f.serve("epoll-et", &["-q", "--no-cache"]);
    assert_eq!(body_of(s.socket_addr(), "/many/1.txt").1, "1");
    let ok = crate::util::wait_until(std::time::Duration::from_secs(2), || {
        held_under(s.pid(), &root).is_empty()
    });
    assert!(ok, "{:?}", held_under(s.pid(), &root));
}
