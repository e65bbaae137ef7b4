//! The HTML listing page: breadcrumbs for the path, a table whose column headers sort
//! it (plain links, no JavaScript), an upload form with `--upload`, readable on a
//! phone (viewport meta; the time column folds away on narrow screens) and light or
//! dark as the reader's system prefers — a few lines of inline CSS.
//!
//! Every name is HTML-escaped and control characters are shown as U+FFFD, so
//! `<script>`, quotes, newlines and invalid UTF-8 render as text. Rows leave out the
//! end tags HTML makes optional (`</td>`, `</tr>`): a listing of thousands of names
//! is a fifth smaller for it.

use std::fmt::Write as _;

use super::date;
use super::listing::{Entry, Kind, Page, SortKey, View, display_name, href, human_size, sorted};

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

const STYLE: &str = "<style>\
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--mute:#59636e;--line:#d1d9e0;--link:#0969da;--row:#f6f8fa}\
@media(prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--mute:#9198a1;--line:#30363d;--link:#4493f8;--row:#151b23}}\
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:.5rem 1rem 2rem;color:var(--fg);background:var(--bg)}\
h1{font-size:1.3rem;font-weight:600;overflow-wrap:anywhere}a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}\
table{width:100%;border-collapse:collapse}th,td{padding:.4rem .5rem;border-bottom:1px solid var(--line);text-align:left}\
th a{color:inherit}td:first-child{overflow-wrap:anywhere}td+td,th+th{text-align:right;white-space:nowrap;color:var(--mute)}\
tbody tr:hover{background:var(--row)}.l{color:var(--mute)}form{margin-top:1.5rem}\
@media(max-width:40rem){td+td+td,th+th+th{display:none}body{padding:.25rem .75rem 1rem}}\
</style>\n";

/// The breadcrumbs: each ancestor of `path` linked by a relative `../` chain, the
/// last one (this directory) plain text.
fn breadcrumbs(out: &mut String, path: &str, view: &View) {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let q = view.query();
    let up = |n: usize| {
        if n == 0 {
            "./".to_string()
        } else {
            "../".repeat(n)
        }
    };
    if parts.is_empty() {
        out.push('/');
        return;
    }
    let _ = write!(
        out,
        "<a href=\"{}{}\">/</a>",
        up(parts.len()),
        escape_html(&q)
    );
    for (i, p) in parts.iter().enumerate() {
        let depth = parts.len() - 1 - i;
        if depth == 0 {
            push_escaped(out, p);
            out.push('/');
        } else {
            let _ = write!(out, "<a href=\"{}{}\">", up(depth), escape_html(&q));
            push_escaped(out, p);
            out.push_str("</a>/");
        }
    }
}

/// The sortable column header for `key`, with an arrow on the current one.
fn column(out: &mut String, label: &str, key: SortKey, view: &View) {
    let arrow = match (view.sort == key, view.descending) {
        (true, false) => " ↑",
        (true, true) => " ↓",
        _ => "",
    };
    let _ = write!(
        out,
        "<th><a href=\"{}\">{label}{arrow}</a>",
        escape_html(&view.toggle(key))
    );
}

/// Render the HTML page for `entries`.
pub fn render(entries: &[Entry], page: &Page, view: &View) -> Vec<u8> {
    let mut s = String::with_capacity(2048 + entries.len() * 100);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n");
    s.push_str("<title>Index of ");
    push_escaped(&mut s, page.path);
    s.push_str("</title>\n");
    s.push_str(STYLE);
    s.push_str("</head><body>\n<h1>Index of ");
    breadcrumbs(&mut s, page.path, view);
    s.push_str("</h1>\n<table>\n<thead><tr>");
    column(&mut s, "Name", SortKey::Name, view);
    column(&mut s, "Size", SortKey::Size, view);
    column(&mut s, "Modified (UTC)", SortKey::Time, view);
    s.push_str("</thead>\n<tbody>\n");
    if page.path != "/" {
        let _ = writeln!(
            s,
            "<tr><td><a href=\"../{}\">../</a><td><td>",
            escape_html(&view.query())
        );
    }
    let (mut dirs, mut files) = (0, 0);
    for e in sorted(entries, view) {
        s.push_str("<tr><td>");
        match href(e, view) {
            Some(h) => {
                s.push_str("<a href=\"");
                push_escaped(&mut s, &h);
                s.push_str("\">");
                push_escaped(&mut s, &display_name(&e.name));
                if e.kind == Kind::Dir {
                    s.push('/');
                }
                s.push_str("</a>");
            }
            None => {
                s.push_str("<span class=\"l\" title=\"symlink leading outside the served directory, or nowhere\">");
                push_escaped(&mut s, &display_name(&e.name));
                s.push_str(" →</span>");
            }
        }
        match (e.kind, e.size) {
            (Kind::Dir, _) => {
                dirs += 1;
                s.push_str("<td>-");
            }
            (_, Some(n)) => {
                files += 1;
                s.push_str("<td>");
                s.push_str(&human_size(n));
            }
            (_, None) => s.push_str("<td>-"),
        }
        s.push_str("<td>");
        if let Some(t) = e.mtime {
            let when = date::rfc3339(t);
            s.push_str(&when[..10]);
            s.push(' ');
            s.push_str(&when[11..19]);
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "</tbody>\n</table>\n<p class=\"l\">{dirs} director{}, {files} file{}</p>",
        if dirs == 1 { "y" } else { "ies" },
        if files == 1 { "" } else { "s" }
    );
    if page.upload {
        s.push_str(
            "<form method=\"post\" enctype=\"multipart/form-data\">\
<input type=\"file\" name=\"file\" multiple required> <button>Upload</button></form>\n",
        );
    }
    s.push_str("</body></html>\n");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::fs::Root;
    use super::super::listing::{Format, read_entries};
    use super::*;

    fn page(path: &str) -> Page<'_> {
        Page {
            path,
            upload: false,
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html("<script>\"a\"&'b'\n"),
            "&lt;script&gt;&quot;a&quot;&amp;&#39;b&#39;\u{FFFD}"
        );
    }

    #[test]
    fn dirs_first_sorted_escaped_relative() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("b.txt"), "x").unwrap();
        std::fs::write(d.path().join("<script>a"), "x").unwrap();
        std::fs::write(d.path().join(".secret"), "x").unwrap();
        std::fs::create_dir(d.path().join("zdir")).unwrap();
        std::fs::write(d.path().join("javascript:alert(1)"), "x").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", d.path().join("out")).unwrap();
        let root = Root::new(d.path(), false, false).unwrap();
        let es = read_entries(d.path(), &root).unwrap();
        let view = View::from_query(None, Format::Html);
        let html = String::from_utf8(render(&es, &page("/sub/"), &view)).unwrap();
        let zdir = html.find("\"zdir/\"").unwrap();
        let b = html.find("\"b.txt\"").unwrap();
        assert!(zdir < b, "{html}");
        assert!(
            html.contains("href=\"%3Cscript%3Ea\">&lt;script&gt;a</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"javascript%3Aalert%281%29\""),
            "{html}"
        );
        assert!(html.contains("href=\"../\""));
        assert!(!html.contains("secret"));
        assert!(!html.contains("href=\"out\""), "{html}");
        assert!(html.contains("<meta name=\"viewport\""));
        assert!(html.contains("prefers-color-scheme:dark"));
        assert!(!html.contains("<script"), "no JavaScript");
        assert!(html.len() < 4096, "{}", html.len());
    }

    #[test]
    fn breadcrumbs_and_sort_links() {
        let view = View::from_query(Some(b"sort=size&order=desc"), Format::Html);
        let html = String::from_utf8(render(&[], &page("/a b/c&d/"), &view)).unwrap();
        assert!(
            html.contains("<title>Index of /a b/c&amp;d/</title>"),
            "{html}"
        );
        assert!(
            html.contains("<h1>Index of <a href=\"../../?sort=size&amp;order=desc\">/</a><a href=\"../?sort=size&amp;order=desc\">a b</a>/c&amp;d/</h1>"),
            "{html}"
        );
        assert!(
            html.contains("<th><a href=\"?sort=size&amp;order=asc\">Size ↓</a>"),
            "{html}"
        );
        assert!(
            html.contains("<th><a href=\"?sort=name&amp;order=asc\">Name</a>"),
            "{html}"
        );
        let root = String::from_utf8(render(
            &[],
            &page("/"),
            &View::from_query(None, Format::Html),
        ))
        .unwrap();
        assert!(root.contains("<h1>Index of /</h1>"));
        assert!(!root.contains("href=\"../\""));
    }
}
