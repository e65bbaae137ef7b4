//! The lessons of nettool-lessons(7), one test each, named after the lesson's marker
//! (`.\" lesson: time-wait` → `fn time_wait`). Each test runs the commands the lesson
//! shows, as it shows them (see `page`), and checks that what the lesson says to look
//! for is both on the page and in the output. The two tests below keep the page and
//! the tests in step: a lesson without a test, or a test without a lesson, fails.

mod datagrams;
mod engines;
mod job;
mod page;
mod tcp;

use std::path::Path;

/// A loopback port free a moment ago, for the lessons whose one command binds the
/// page's port itself (a `--dry-run` binds it too, so 7007 could be taken).
pub fn free_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().unwrap().port().to_string()
}

/// The name opened by every `Lesson::open` call in this directory's sources, with
/// whether the same file has a `fn` of that name (`-` written `_`).
fn tested_lessons() -> Vec<(String, bool)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/lessons");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/e2e/lessons") {
        let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (at, _) in src.match_indices("Lesson::open(\"") {
            let rest = &src[at + "Lesson::open(\"".len()..];
            let name = &rest[..rest.find('"').expect("closing quote")];
            let has_fn = src.contains(&format!("fn {}(", name.replace('-', "_")));
            found.push((name.to_string(), has_fn));
        }
    }
    found.sort();
    found
}

#[test]
fn every_lesson_on_the_page_has_a_test_of_its_name_and_back() {
    let mut on_page: Vec<String> = page::lessons().into_iter().map(|(n, _)| n).collect();
    let count = on_page.len();
    on_page.sort();
    on_page.dedup();
    assert_eq!(on_page.len(), count, "a lesson marker appears twice");
    assert!(count >= 20, "only {count} lessons on the page");
    let tested = tested_lessons();
    let without_fn: Vec<&String> = tested.iter().filter(|(_, f)| !f).map(|(n, _)| n).collect();
    assert!(
        without_fn.is_empty(),
        "lessons opened outside a test of their name: {without_fn:?}"
    );
    let tested: Vec<String> = tested.into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        on_page, tested,
        "the lessons of man/nettool-lessons.7 and those of tests/e2e/lessons differ"
    );
}

/// No example command outside a lesson: every one is run by some lesson's test.
#[test]
fn every_example_command_belongs_to_a_lesson() {
    let all = page::commands(page::PAGE).len();
    let in_lessons: usize = page::lessons()
        .iter()
        .map(|(_, roff)| page::commands(roff).len())
        .sum();
    assert_eq!(all, in_lessons, "example commands outside any lesson");
    for (name, roff) in page::lessons() {
        assert!(
            roff.lines().next().is_some_and(|l| l.starts_with(".SS ")),
            "lesson {name}: the marker is not followed by its .SS title"
        );
    }
}
