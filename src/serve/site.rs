//! The site as `serve` holds it: the rendered files in memory, looked up by
//! URL path. Nothing on disk is read to answer a request, so no path — `..`,
//! an encoded `%2e%2e`, a symlink in the output folder — can reach a file
//! the renderer did not produce.

use crate::render::OutputFile;
use axum::body::Bytes;
use std::collections::HashMap;

/// Every file of one successful build, by path relative to the site root.
#[derive(Debug, Default)]
pub struct Site {
    files: HashMap<String, Bytes>,
}

/// What a URL path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A file of the site.
    File {
        /// Its path in the site (`capabilities/sso/index.html`).
        path: String,
        /// Its bytes.
        bytes: Bytes,
    },
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    /// Nothing of the site.
    NotFound,
}

impl Site {
    /// The site made of `files`.
    pub fn new(files: Vec<OutputFile>) -> Site {
        Site {
            files: files.into_iter().map(|f| (f.path, f.bytes)).collect(),
        }
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when the site has no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file at `rel` (a site path), if the build produced it.
    pub fn file(&self, rel: &str) -> Option<&Bytes> {
        self.files.get(rel)
    }

    /// Resolves the path part of a request URL (`/capabilities/sso/`).
    pub fn lookup(&self, url_path: &str) -> Lookup {
        let Some(rel) = site_path(url_path) else {
            return Lookup::NotFound;
        };
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.clone()
        };
        if let Some(bytes) = self.files.get(&file) {
            return Lookup::File {
                path: file,
                bytes: bytes.clone(),
            };
        }
        if !rel.is_empty()
            && !rel.ends_with('/')
            && self.files.contains_key(&format!("{rel}/index.html"))
        {
            return Lookup::Redirect(format!("{url_path}/"));
        }
        Lookup::NotFound
    }
}

/// The site-relative path a URL path names, decoded; `None` for anything
/// that is not a plain path inside the site: `.` or `..` segments (encoded
/// or not), empty segments, backslashes, NUL, invalid percent escapes or
/// UTF-8.
pub fn site_path(url_path: &str) -> Option<String> {
    let rest = url_path.strip_prefix('/')?;
    let decoded = percent_decode(rest)?;
    let segments: Vec<&str> = decoded.split('/').collect();
    let (last, folders) = segments.split_last()?;
    let bad = |s: &str| s == "." || s == ".." || s.contains(['\\', '\0']);
    if folders.iter().any(|s| s.is_empty() || bad(s)) || bad(last) {
        return None;
    }
    Some(decoded)
}

/// Strict percent-decoding: `None` on a malformed escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::new(vec![
            OutputFile::text("index.html", "home"),
            OutputFile::text("capabilities/sso/index.html", "sso"),
            OutputFile::text("static/style.css", "css"),
        ])
    }

    #[test]
    fn folders_serve_their_index() {
        let s = site();
        assert!(matches!(s.lookup("/"), Lookup::File { path, .. } if path == "index.html"));
        assert!(
            matches!(s.lookup("/capabilities/sso/"), Lookup::File { path, .. } if path == "capabilities/sso/index.html")
        );
        assert_eq!(
            s.lookup("/capabilities/sso"),
            Lookup::Redirect("/capabilities/sso/".into())
        );
        assert!(matches!(
            s.lookup("/static/style%2Ecss"),
            Lookup::File { .. }
        ));
    }

    #[test]
    fn nothing_outside_the_site() {
        let s = site();
        for p in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/static/../../Cargo.toml",
            "/static/%2e%2e%2f%2e%2e%2fCargo.toml",
            "/static/..%5c..%5cCargo.toml",
            "//etc/passwd",
            "/static/./style.css",
            "/%ff",
            "/%2",
            "/static/style.css%00",
            "/missing.html",
            "relative",
        ] {
            assert_eq!(s.lookup(p), Lookup::NotFound, "{p}");
        }
    }
}
