//! The `Content-Type` of a file, from its extension: a short table of types where
//! mime_guess's answer is obsolete (RFC 9239 makes `text/javascript` the one type for
//! JavaScript, `.mjs` included; fonts have had `font/*` since RFC 8081; `.m4a` is
//! `audio/mp4`), then mime_guess for everything else. Text types say UTF-8, so a
//! browser does not guess another charset.

use std::path::Path;

/// Extensions whose registered type differs from what mime_guess says, or that it
/// does not know. Compared case-insensitively.
const OVERRIDES: &[(&str, &str)] = &[
    ("js", "text/javascript"),
    ("mjs", "text/javascript"),
    ("cjs", "text/javascript"),
    ("woff", "font/woff"),
    ("woff2", "font/woff2"),
    ("otf", "font/otf"),
    ("ttf", "font/ttf"),
    ("m4a", "audio/mp4"),
    ("wasm", "application/wasm"),
    ("webmanifest", "application/manifest+json"),
    ("avif", "image/avif"),
    ("md", "text/markdown"),
];

/// Text types that take a `charset` (JSON defines none: RFC 8259 §11).
fn is_texty(essence: &str) -> bool {
    essence.starts_with("text/") || matches!(essence, "application/xml" | "image/svg+xml")
}

/// The Content-Type for a file name.
pub fn content_type(name: &Path) -> String {
    let ext = name.extension().and_then(|e| e.to_str()).unwrap_or("");
    let essence: String = match OVERRIDES.iter().find(|(e, _)| e.eq_ignore_ascii_case(ext)) {
        Some((_, t)) => (*t).to_string(),
        None => {
            let mime = mime_guess::from_path(name).first_or_octet_stream();
            if mime.get_param("charset").is_some() {
                return mime.to_string();
            }
            mime.essence_str().to_string()
        }
    };
    if is_texty(&essence) {
        format!("{essence}; charset=utf-8")
    } else {
        essence
    }
}

/// Whether a type is worth compressing on the fly (`--compress`): text and the
/// structured text formats (JSON, XML, SVG, WebAssembly); never images, audio, video, fonts or archives, which are
/// compressed already.
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    is_texty(essence)
        || matches!(
            essence,
            "application/json" | "application/javascript" | "application/wasm"
        )
        || essence.ends_with("+xml")
        || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_charsets() {
        let t = |n: &str| content_type(Path::new(n));
        assert_eq!(t("a.html"), "text/html; charset=utf-8");
        assert_eq!(t("a.txt"), "text/plain; charset=utf-8");
        assert_eq!(t("a.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(t("a.JS"), "text/javascript; charset=utf-8");
        assert_eq!(t("a.woff"), "font/woff");
        assert_eq!(t("a.otf"), "font/otf");
        assert_eq!(t("a.m4a"), "audio/mp4");
        assert_eq!(t("a.json"), "application/json");
        assert_eq!(t("a.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(t("a.png"), "image/png");
        assert_eq!(t("a"), "application/octet-stream");
        assert!(compressible(&t("a.css")) && compressible(&t("a.js")) && compressible(&t("a.svg")));
        assert!(
            !compressible(&t("a.png")) && !compressible(&t("a.woff2")) && !compressible(&t("a.gz"))
        );
    }
}
