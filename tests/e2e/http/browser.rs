//! A real browser against the listing: headless chromium renders the page, a link in
//! it is followed and the linked file's content shows up; and screenshots at a
//! desktop and a phone width, light and dark, show a page that fits its window and
//! follows the reader's colour scheme. The screenshots are kept in
//! `target/screenshots/` to be looked at.

use std::path::{Path, PathBuf};

use super::Fixture;
use crate::engines::engine_test;
use crate::util::require;

/// Run headless chromium with a fresh profile and no background traffic.
fn chromium(args: &[&str], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("timeout")
        .args([
            "60",
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args([
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
        ])
        .args([
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn chromium_dom(url: &str) -> String {
    String::from_utf8_lossy(&chromium(&["--dump-dom"], url).stdout).into_owned()
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

/// A decoded screenshot: width, height, RGB(A) rows.
struct Shot {
    width: usize,
    height: usize,
    channels: usize,
    pixels: Vec<u8>,
}

impl Shot {
    fn load(path: &Path) -> Shot {
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        pixels.truncate(info.buffer_size());
        Shot {
            width: info.width as usize,
            height: info.height as usize,
            channels: info.color_type.samples(),
            pixels,
        }
    }

    /// Luminance (0–255) of the pixel at (x, y).
    fn luma(&self, x: usize, y: usize) -> u32 {
        let i = (y * self.width + x) * self.channels;
        let p = &self.pixels[i..i + 3];
        (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000
    }

    /// Pixels in columns `xs` that differ from the background (the top-left pixel).
    fn marked(&self, xs: std::ops::Range<usize>) -> usize {
        let bg = self.luma(0, 0);
        xs.flat_map(|x| (0..self.height).map(move |y| (x, y)))
            .filter(|&(x, y)| self.luma(x, y).abs_diff(bg) > 24)
            .count()
    }
}

fn screenshot(url: &str, width: u32, height: u32, dark: bool, path: &Path) -> Shot {
    let size = format!("--window-size={width},{height}");
    let out = format!("--screenshot={}", path.display());
    let mut args = vec!["--hide-scrollbars", size.as_str(), out.as_str()];
    if dark {
        args.push("--force-dark-mode");
    }
    chromium(&args, url);
    Shot::load(path)
}

engine_test!(the_listing_page_at_desktop_and_phone_widths, |engine| {
    if !require("chromium") {
        return;
    }
    let f = Fixture::new();
    let root = f.root();
    std::fs::create_dir(root.join("a directory with a rather long name")).unwrap();
    let long = "a-very-long-file-name-that-goes-on-and-on-without-any-space-to-break-it.txt";
    std::fs::write(root.join(long), "x").unwrap();
    for i in 1..=12 {
        std::fs::write(root.join(format!("file-{i}.bin")), vec![0u8; i * 1000]).unwrap();
    }
    let s = f.serve(engine, &["-q", "--upload"]);
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "target", "screenshots"]
        .iter()
        .collect();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, width, height, dark) in [
        ("desktop", 1280, 800, false),
        ("desktop-dark", 1280, 800, true),
        ("phone", 390, 844, false),
        ("phone-dark", 390, 844, true),
    ] {
        let path = dir.join(format!("listing-{engine}-{name}.png"));
        let shot = screenshot(&s.addr, width, height, dark, &path);
        let what = format!("{name} on {engine} ({})", path.display());
        assert_eq!(
            (shot.width, shot.height),
            (width as usize, height as usize),
            "{what}"
        );
        // The colour scheme is the reader's.
        let bg = shot.luma(0, 0);
        if dark {
            assert!(bg < 60, "{what}: background {bg} is not dark");
        } else {
            assert!(bg > 200, "{what}: background {bg} is not light");
        }
        // Text is drawn, and the page fits its window: the long names wrap instead of
        // running off the right edge (nothing drawn in the last few columns).
        let w = shot.width;
        assert!(shot.marked(0..w / 2) > 2000, "{what}: almost nothing drawn");
        assert_eq!(
            shot.marked(w - 6..w),
            0,
            "{what}: something runs off the right edge"
        );
    }
    // No script anywhere: the page works with JavaScript off.
    let dom = chromium_dom(&s.addr);
    assert!(dom.contains("<form") && !dom.contains("<script"), "{dom}");
});
