//! The link check of a rendered site: every local `href` and `src` of every
//! page must name a file of the site, and every `#anchor` an `id` on the
//! page it points to. Run in memory on the rendered files, by `check` and
//! `build`.

use super::OutputFile;
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s(?:href|src)\s*=\s*"([^"]*)""#).expect("valid regex"));
static ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s(?:id|name)\s*=\s*"([^"]*)""#).expect("valid regex"));

/// A warning for every distinct broken link target, naming the first page
/// (by path) that has it and how many others do.
pub fn check(files: &[OutputFile]) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let pages: Vec<(&str, std::borrow::Cow<'_, str>)> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), String::from_utf8_lossy(&f.bytes)))
        .collect();
    let ids: HashMap<&str, HashSet<String>> = pages
        .par_iter()
        .map(|(p, html)| {
            let set = ID.captures_iter(html).map(|c| unescape(&c[1])).collect();
            (*p, set)
        })
        .collect();
    // Broken target → (first page, the link as written, pages having it).
    let mut broken: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    let found: Vec<Vec<(String, String)>> = pages
        .par_iter()
        .map(|(page, html)| {
            LINK.captures_iter(html)
                .filter_map(|c| {
                    let href = unescape(&c[1]);
                    problem(page, &href, &paths, &ids).map(|p| (p, href))
                })
                .collect()
        })
        .collect();
    for ((page, _), problems) in pages.iter().zip(found) {
        for (problem, href) in problems {
            let entry = broken
                .entry(problem)
                .or_insert_with(|| (page.to_string(), href, 0));
            entry.2 += 1;
        }
    }
    broken
        .into_iter()
        .map(|(problem, (page, href, count))| {
            let more = match count {
                1 => String::new(),
                2 => " (1 more link to it)".to_string(),
                n => format!(" ({} more links to it)", n - 1),
            };
            Diagnostic::warning(
                None,
                format!(
                    "broken link on page {}: `{href}` {problem}{more}",
                    url_of(&page)
                ),
            )
            .with_hint("the link comes from the theme's templates (themes/<name>/templates) or from the page's Markdown; link to a page capcat generates")
        })
        .collect()
}

/// Why `href` on `page` is broken, or `None` when it resolves (or is not
/// local).
fn problem(
    page: &str,
    href: &str,
    paths: &HashSet<&str>,
    ids: &HashMap<&str, HashSet<String>>,
) -> Option<String> {
    if is_external(href) {
        return None;
    }
    let (rest, fragment) = match href.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (href, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    let target = if rest.is_empty() {
        page.to_string()
    } else {
        match resolve(page, rest) {
            Some(t) => t,
            None => return Some(format!("leaves the site (from /{page})")),
        }
    };
    let file = [
        target.clone(),
        format!("{}/index.html", target.trim_end_matches('/')),
    ]
    .into_iter()
    .map(|t| t.trim_start_matches('/').to_string())
    .find(|t| paths.contains(t.as_str()));
    let Some(file) = file else {
        return Some(format!("points to /{target}, which the site does not have"));
    };
    match fragment {
        Some(f) if !f.is_empty() && file.ends_with(".html") => {
            let known = ids.get(file.as_str()).is_some_and(|s| s.contains(f));
            (!known).then(|| format!("points to #{f}, which /{file} does not have"))
        }
        _ => None,
    }
}

/// Links to other sites, and to things that are not files.
fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.find(':') {
        Some(colon) => href.find(['/', '?', '#']).is_none_or(|p| colon < p),
        None => false,
    }
}

/// `href` relative to `page` (or to the site root when it starts with `/`)
/// as a site path without a leading slash; `None` when it climbs out.
fn resolve(page: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').collect();
        p.pop();
        p
    };
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if href.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// `capabilities/x/index.html` → `/capabilities/x/`.
fn url_of(page: &str) -> String {
    format!("/{}", page.trim_end_matches("index.html"))
}

/// Undoes the HTML escaping templates apply to attribute values.
fn unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::text(path, html)
    }

    #[test]
    fn resolves_relative_and_root_links() {
        assert_eq!(
            resolve("capabilities/x/index.html", "../../static/a.css").as_deref(),
            Some("static/a.css")
        );
        assert_eq!(resolve("index.html", "/about/").as_deref(), Some("about/"));
        assert_eq!(resolve("index.html", "../x"), None);
        assert!(is_external("https://a.example/x"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("../a:b/"));
        assert!(!is_external("#main"));
    }

    #[test]
    fn broken_files_and_anchors_are_reported_once_per_target() {
        let files = [
            page(
                "index.html",
                r##"<a href="about/">A</a> <a href="nope/index.html">N</a> <a href="#main">M</a> <a href="about/#team">T</a> <a href="https://x.example/">X</a><main id="main"></main>"##,
            ),
            page(
                "about/index.html",
                r#"<a href="..&#x2F;nope&#x2F;index.html">N</a><link href="../static/s.css" rel="stylesheet"><h2 id="people">P</h2>"#,
            ),
            page("static/s.css", ""),
        ];
        let d = check(&files);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "broken link on page /: `about/#team` points to #team, which /about/index.html does not have",
                "broken link on page /: `nope/index.html` points to /nope/index.html, which the site does not have (1 more link to it)",
            ]
        );
    }
}
