//! A real browser against the listing: headless chromium renders the page, a link in
//! it is followed, and the linked file's content shows up.

use super::Fixture;
use crate::engines::engine_test;
use crate::util::require;

fn chromium_dom(url: &str) -> String {
    let out = std::process::Command::new("timeout")
        .args([
            "60",
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args(["--disable-background-networking", "--disable-dev-shm-usage"])
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

engine_test!(chromium_loads_the_listing_and_follows_a_link, |engine| {
    if !require("chromium") {
        return;
    }
    let f = Fixture::new();
    std::fs::write(f.root().join("sub/中文 #1.txt"), "unicode file body\n").unwrap();
    let s = f.serve(engine, &["-q"]);
    let dom = chromium_dom(&format!("{}sub/", s.addr));
    assert!(dom.contains("Index of /sub/"), "engine {engine}: {dom}");
    let href = dom
        .split("href=\"")
        .skip(1)
        .map(|h| &h[..h.find('"').unwrap()])
        .find(|h| h.contains("%23"))
        .unwrap_or_else(|| panic!("no link to the unicode file: {dom}"))
        .to_string();
    assert!(!href.contains(':') && !href.starts_with('/'), "{href}");
    let file = chromium_dom(&format!("{}sub/{href}", s.addr));
    assert!(
        file.contains("unicode file body"),
        "engine {engine}: {file}"
    );
});
