//! The link check of a rendered site: every local `href` and `src` of every
//! page must name a file of the site, and every `#anchor` an `id` on the
//! page it points to. Run in memory on the rendered files, by `check` and
//! `build`.
//!
//! A site of thousands of pages has hundreds of thousands of links, so the
//! pages are read by a byte scanner rather than a regex, a link's target is
//! resolved without allocating, and the targets of the theme's root-relative
//! links (`{{ root }}…`) are looked up once per worker rather than per page.
//! A build keeps what was found on each page ([`check_cached`]), and reads
//! again only the pages whose bytes, or the files their links name, changed.

use super::{Digests, KeptFile, OutputFile};
use crate::cache_log::CacheLog;
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A warning for every distinct broken link target, naming the first page
/// (by path) that has it and how many others do.
pub fn check(files: &[OutputFile]) -> Vec<Diagnostic> {
    let nothing_kept = |_: &str| Err(std::io::ErrorKind::NotFound.into());
    check_cached(
        files,
        &[],
        &Digests::new(),
        &mut CacheLog::default(),
        &nothing_kept,
    )
}

/// Reads a kept page's bytes (from the live site).
pub type ReadKept<'a> = dyn Fn(&str) -> std::io::Result<Vec<u8>> + Sync + 'a;

/// A page to check: its path, its bytes when they are in memory, and the
/// key of its record in the cache.
type Page<'a> = (&'a str, Option<&'a [u8]>, Option<&'a [u8; 32]>);

/// What the check found on one page, and the record to keep of it.
type PageRead<'a> = (Anchors<'a>, Vec<Finding<'a>>, Option<Vec<u8>>);

/// Completes `read` (one entry per page of `pages`) with the kept pages
/// `fetched` from the live site, by index; an error for each that could not
/// be read. What they give borrows from `fetched`, hence a new vector.
fn read_fetched<'a>(
    mut read: Vec<Option<PageRead<'a>>>,
    fetched: &'a [(usize, std::io::Result<Vec<u8>>)],
    pages: &[Page<'a>],
    paths: &HashSet<&'a str>,
) -> Result<Vec<PageRead<'a>>, Vec<Diagnostic>> {
    let mut targets = HashMap::new();
    let mut unreadable = Vec::new();
    for (i, bytes) in fetched {
        let (path, _, key) = pages[*i];
        match bytes {
            Ok(bytes) => read[*i] = Some(read_and_record(path, bytes, key, paths, &mut targets)),
            Err(e) => unreadable.push(
                Diagnostic::error(
                    None,
                    format!(
                        "cannot read {} in the site being replaced to check its links: {e}",
                        url_of(path)
                    ),
                )
                .with_hint("build again: a page the output folder lacks is rendered anew"),
            ),
        }
    }
    if !unreadable.is_empty() {
        return Err(unreadable);
    }
    Ok(read
        .into_iter()
        .map(|r| r.expect("every page was read or fetched"))
        .collect())
}

/// Reads the page `path`; with `key`, also makes the record the cache keeps.
fn read_and_record<'a>(
    path: &'a str,
    bytes: &'a [u8],
    key: Option<&[u8; 32]>,
    paths: &HashSet<&'a str>,
    targets: &mut Targets<'a>,
) -> PageRead<'a> {
    let mut lookups = key.map(|_| Vec::new());
    let (anchors, findings) = read_page(path, bytes, paths, targets, lookups.as_mut());
    let record = lookups.map(|l| keep(&anchors, &findings, l));
    (anchors, findings, record)
}

/// [`check`], reading again only the pages `cache` does not hold: a page
/// whose SHA-256 is in `digests` is kept in `cache` with what was found on
/// it and the files its links were resolved to, which must still be what
/// they resolve to for the record to hold. The `kept` pages are not in
/// memory: one the cache does not cover is read with `read_kept` (from the
/// live site); one that cannot be read is an error. `cache` is left with
/// this site's pages.
pub fn check_cached(
    files: &[OutputFile],
    kept: &[KeptFile],
    digests: &Digests,
    cache: &mut CacheLog,
    read_kept: &ReadKept<'_>,
) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(kept.iter().map(|k| k.path.as_str()))
        .collect();
    let mut pages: Vec<Page<'_>> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), Some(&f.bytes[..]), digests.get(&f.path)))
        .chain(
            kept.iter()
                .map(|k| (k.path.as_str(), None, Some(&k.digest))),
        )
        .collect();
    // A rendered site comes sorted by path: the kept pages go in among its
    // pages, so that the first page having a broken link is the same.
    if !kept.is_empty() {
        pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
    }
    let read: Vec<Option<PageRead>> = pages
        .par_iter()
        .map_init(HashMap::new, |targets, &(path, bytes, key)| {
            let held = key.and_then(|k| cache.get(path, k));
            if let Some((anchors, findings)) = held.and_then(|bytes| recall(bytes, &paths)) {
                return Some((anchors, findings, None));
            }
            Some(read_and_record(path, bytes?, key, &paths, targets))
        })
        .collect();
    // Kept pages the cache does not cover, read from the live site.
    let fetched: Vec<(usize, std::io::Result<Vec<u8>>)> = (0..pages.len())
        .into_par_iter()
        .filter(|&i| read[i].is_none())
        .map(|i| (i, read_kept(pages[i].0)))
        .collect();
    let read = match read_fetched(read, &fetched, &pages, &paths) {
        Ok(read) => read,
        Err(unreadable) => return unreadable,
    };
    let keyed: HashSet<&str> = pages
        .iter()
        .filter(|(_, _, k)| k.is_some())
        .map(|(path, _, _)| *path)
        .collect();
    cache.retain(|p| keyed.contains(p));
    let mut anchors = Vec::with_capacity(pages.len());
    let mut findings = Vec::with_capacity(pages.len());
    let mut records = Vec::new();
    for ((path, _, key), (a, found, record)) in pages.iter().zip(read) {
        if let (Some(key), Some(record)) = (key, record) {
            records.push((*path, *key, record));
        }
        anchors.push(a);
        findings.push(found);
    }
    cache.put_all(&records);
    let pages: Vec<&str> = pages.into_iter().map(|(path, _, _)| path).collect();
    let page_index: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, path)| (*path, i))
        .collect();
    // Broken target → (first page, the link as written, pages having it).
    let mut broken: BTreeMap<String, (&str, Cow<'_, str>, usize)> = BTreeMap::new();
    for (page, found) in pages.iter().zip(findings) {
        for Finding { href, verdict } in found {
            let problem = match verdict {
                Verdict::Broken(problem) => problem,
                Verdict::Anchor { file, at } => {
                    let fragment = &href[at..];
                    let known = page_index
                        .get(file)
                        .is_some_and(|&i| anchors[i].has(fragment));
                    if known {
                        continue;
                    }
                    format!("points to #{fragment}, which /{file} does not have")
                }
            };
            let entry = broken.entry(problem).or_insert_with(|| (*page, href, 0));
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
                    url_of(page)
                ),
            )
            .with_hint("the link comes from the theme's templates (themes/<name>/templates) or from the page's Markdown; link to a page capcat generates")
        })
        .collect()
}

/// The target a site-root-relative link remainder resolves to and the file
/// that names (`None`: it leaves the site), per remainder, shared by the
/// pages one worker reads.
type Targets<'a> = HashMap<String, Option<(String, Option<&'a str>)>>;

/// A link of a page that is broken, or whose anchor is still to be looked
/// up on its target page.
struct Finding<'a> {
    /// The link as written (unescaped).
    href: Cow<'a, str>,
    verdict: Verdict<'a>,
}

enum Verdict<'a> {
    /// Why the link is broken.
    Broken(String),
    /// The link names `file`, which must have the anchor `href[at..]`.
    Anchor { file: &'a str, at: usize },
}

/// The `id`s and `name`s of a page, sorted.
struct Anchors<'a>(Vec<Cow<'a, str>>);

impl Anchors<'_> {
    fn has(&self, anchor: &str) -> bool {
        self.0.binary_search_by(|a| a.as_ref().cmp(anchor)).is_ok()
    }
}

/// What the check found on one page, as a cache keeps it.
#[derive(Serialize, Deserialize)]
struct Kept<'k> {
    /// The page's anchors, sorted.
    #[serde(borrow)]
    anchors: Vec<&'k str>,
    /// Its findings: the link as written, and what was found.
    #[serde(borrow)]
    findings: Vec<(&'k str, KeptVerdict<'k>)>,
    /// Every target its links were resolved to, and what it named then.
    #[serde(borrow)]
    lookups: Vec<(&'k str, Named)>,
}

/// A kept [`Verdict`]: why the link is broken, or the file (and where the
/// anchor starts in the link) whose anchor to look up.
type KeptVerdict<'k> = Result<(&'k str, usize), &'k str>;

/// What a target named: a file of that name, the `index.html` of the
/// folder of that name, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
enum Named {
    File,
    Index,
    Nothing,
}

impl Named {
    /// What `file`, found for `target` by [`locate`], is to it.
    fn of(target: &str, file: Option<&str>) -> Named {
        match file {
            None => Named::Nothing,
            Some(f) if f == target.trim_start_matches('/') => Named::File,
            Some(_) => Named::Index,
        }
    }
}

/// Targets a page's links were resolved to, with what each named.
type Lookups = Vec<(String, Named)>;

/// The cache record of a page's anchors, findings and `lookups`.
fn keep(anchors: &Anchors, findings: &[Finding], mut lookups: Lookups) -> Vec<u8> {
    lookups.sort_unstable();
    lookups.dedup();
    let kept = Kept {
        anchors: anchors.0.iter().map(|a| a.as_ref()).collect(),
        findings: findings
            .iter()
            .map(|f| {
                let verdict = match &f.verdict {
                    Verdict::Broken(why) => Err(why.as_str()),
                    Verdict::Anchor { file, at } => Ok((*file, *at)),
                };
                (f.href.as_ref(), verdict)
            })
            .collect(),
        lookups: lookups
            .iter()
            .map(|(t, named)| (t.as_str(), *named))
            .collect(),
    };
    bincode::serialize(&kept).expect("plain data serializes")
}

/// A page's anchors and findings from its cache record; `None` when the
/// record does not read or one of its targets now names another file (or
/// none): then the page is read again.
fn recall<'a>(record: &[u8], paths: &HashSet<&'a str>) -> Option<(Anchors<'a>, Vec<Finding<'a>>)> {
    let kept: Kept = bincode::deserialize(record).ok()?;
    let holds = kept
        .lookups
        .iter()
        .all(|(target, named)| Named::of(target, locate(target, paths)) == *named);
    if !holds {
        return None;
    }
    let anchors = kept.anchors.iter().map(|a| Cow::Owned(a.to_string()));
    let findings = kept
        .findings
        .iter()
        .map(|&(href, verdict)| {
            let verdict = match verdict {
                Err(why) => Verdict::Broken(why.to_string()),
                Ok((file, at)) => Verdict::Anchor {
                    file: paths.get(file)?,
                    at,
                },
            };
            Some(Finding {
                href: Cow::Owned(href.to_string()),
                verdict,
            })
        })
        .collect::<Option<_>>()?;
    Some((Anchors(anchors.collect()), findings))
}

/// The anchors of one page and its links that are broken or have an anchor
/// to look up; with `lookups`, adds there every target a link was resolved
/// to and the file it names.
fn read_page<'a>(
    page: &'a str,
    html: &'a [u8],
    paths: &HashSet<&'a str>,
    targets: &mut Targets<'a>,
    mut lookups: Option<&mut Lookups>,
) -> (Anchors<'a>, Vec<Finding<'a>>) {
    let depth = page.matches('/').count();
    let mut anchors = Vec::new();
    let mut findings = Vec::new();
    scan_attributes(html, |attr, value| {
        let value = attribute_text(value);
        match attr {
            Attr::Anchor => anchors.push(value),
            Attr::Link => {
                let link = Link {
                    page,
                    depth,
                    href: &value,
                };
                if let Some(verdict) = judge(link, paths, targets, lookups.as_deref_mut()) {
                    findings.push(Finding {
                        href: value,
                        verdict,
                    });
                }
            }
        }
    });
    anchors.sort_unstable();
    (Anchors(anchors), findings)
}

/// A link `href` on `page`, which is `depth` folders deep.
#[derive(Clone, Copy)]
struct Link<'a, 'h> {
    page: &'a str,
    depth: usize,
    href: &'h str,
}

/// What is wrong with `link`, if anything is or may be; `None` when it
/// resolves (or is not local). With `lookups`, adds there the target it was
/// resolved to and the file that names.
fn judge<'a>(
    link: Link<'a, '_>,
    paths: &HashSet<&'a str>,
    targets: &mut Targets<'a>,
    mut lookups: Option<&mut Lookups>,
) -> Option<Verdict<'a>> {
    let Link { page, depth, href } = link;
    if is_external(href) {
        return None;
    }
    let (rest, fragment) = match href.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (href, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    let mut note = |target: &str, file: Option<&'a str>| {
        if let Some(l) = lookups.as_deref_mut() {
            l.push((target.to_string(), Named::of(target, file)));
        }
        file
    };
    let file = if rest.is_empty() {
        note(page, locate(page, paths))
    } else if let Some(remainder) = from_root(rest, depth) {
        if !targets.contains_key(remainder) {
            let found = resolve("", remainder).map(|t| {
                let file = locate(&t, paths);
                (t, file)
            });
            targets.insert(remainder.to_string(), found);
        }
        match &targets[remainder] {
            Some((target, file)) => note(target, *file),
            None => None,
        }
    } else {
        resolve(page, rest).and_then(|t| note(&t, locate(&t, paths)))
    };
    let Some(file) = file else {
        return Some(Verdict::Broken(missing(page, rest)));
    };
    match fragment {
        Some(f) if !f.is_empty() && file.ends_with(".html") => Some(Verdict::Anchor {
            file,
            at: href.len() - f.len(),
        }),
        _ => None,
    }
}

/// The part of `href` (a link on a page `depth` folders deep) that names a
/// file from the site root, when the link climbs exactly to the root first
/// or starts there: such a link names the same file on every page.
fn from_root(href: &str, depth: usize) -> Option<&str> {
    if href.starts_with('/') {
        return Some(href);
    }
    (0..depth).try_fold(href, |rest, _| rest.strip_prefix("../"))
}

/// The file of the site a resolved link `target` names: itself, or the
/// `index.html` of the folder it names.
fn locate<'a>(target: &str, paths: &HashSet<&'a str>) -> Option<&'a str> {
    if let Some(&file) = paths.get(target.trim_start_matches('/')) {
        return Some(file);
    }
    let index = format!("{}/index.html", target.trim_end_matches('/'));
    paths.get(index.trim_start_matches('/')).copied()
}

/// Why the local link `href` (without `?…` and `#…`) on `page` names no file.
fn missing(page: &str, href: &str) -> String {
    let target = if href.is_empty() {
        Some(page.to_string())
    } else {
        resolve(page, href)
    };
    match target {
        Some(target) => format!("points to /{target}, which the site does not have"),
        None => format!("leaves the site (from /{page})"),
    }
}

/// Which kind of attribute a value was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attr {
    /// `href` or `src`.
    Link,
    /// `id` or `name`.
    Anchor,
}

/// Calls `found` with every `href`/`src` and every `id`/`name` value of
/// `html`, in order. A value is read exactly where the regexes
/// `\s(?:href|src)\s*=\s*"([^"]*)"` and `\s(?:id|name)\s*=\s*"([^"]*)"`
/// (Unicode `\s`) would capture it, each searched on its own from left to
/// right, on the page read as UTF-8 with invalid bytes replaced: an
/// attribute needs whitespace before its name and a double-quoted value.
fn scan_attributes<'a>(html: &'a [u8], mut found: impl FnMut(Attr, &'a [u8])) {
    // Where each search goes on: one match does not hide the other kind.
    let (mut links_from, mut anchors_from) = (0, 0);
    for equals in memchr::memchr_iter(b'=', html) {
        let Some((start, attr)) = attribute_before(html, equals) else {
            continue;
        };
        let from = match attr {
            Attr::Link => &mut links_from,
            Attr::Anchor => &mut anchors_from,
        };
        if start < *from {
            continue;
        }
        if let Some((open, close)) = value_after(html, equals + 1) {
            *from = close + 1;
            found(attr, &html[open..close]);
        }
    }
}

/// Where the attribute whose `=` is at `equals` starts (at the whitespace
/// before its name), and its kind, when it is one the check reads.
fn attribute_before(html: &[u8], equals: usize) -> Option<(usize, Attr)> {
    let mut end = equals;
    while let Some((at, c)) = char_before(html, end) {
        if !c.is_whitespace() {
            break;
        }
        end = at;
    }
    let head = &html[..end];
    let (name_len, attr) = if head.ends_with(b"href") {
        (4, Attr::Link)
    } else if head.ends_with(b"src") {
        (3, Attr::Link)
    } else if head.ends_with(b"id") {
        (2, Attr::Anchor)
    } else if head.ends_with(b"name") {
        (4, Attr::Anchor)
    } else {
        return None;
    };
    let (start, c) = char_before(html, end - name_len)?;
    c.is_whitespace().then_some((start, attr))
}

/// The bounds of the double-quoted value that follows `from` after optional
/// whitespace: the opening quote + 1 and the closing quote.
fn value_after(html: &[u8], mut from: usize) -> Option<(usize, usize)> {
    while let Some(c) = char_at(html, from) {
        if !c.is_whitespace() {
            break;
        }
        from += c.len_utf8();
    }
    if html.get(from) != Some(&b'"') {
        return None;
    }
    let open = from + 1;
    let close = open + memchr::memchr(b'"', &html[open..])?;
    Some((open, close))
}

/// The character that ends just before byte `end` and where it starts;
/// `None` at the start and for bytes that are not UTF-8 (read as U+FFFD,
/// which is no whitespace).
fn char_before(html: &[u8], end: usize) -> Option<(usize, char)> {
    let last = *html.get(end.checked_sub(1)?)?;
    if last.is_ascii() {
        return Some((end - 1, char::from(last)));
    }
    let start = (end.saturating_sub(4)..end)
        .rev()
        .find(|&i| !is_continuation(html[i]))?;
    let c = std::str::from_utf8(&html[start..end])
        .ok()?
        .chars()
        .next()?;
    Some((start, c))
}

/// The character that starts at byte `start`; `None` at the end and for
/// bytes that are not UTF-8.
fn char_at(html: &[u8], start: usize) -> Option<char> {
    let first = *html.get(start)?;
    if first.is_ascii() {
        return Some(char::from(first));
    }
    let end = (start + 4).min(html.len());
    html[start..end]
        .utf8_chunks()
        .next()?
        .valid()
        .chars()
        .next()
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// An attribute value as text: invalid UTF-8 replaced, HTML escapes undone.
fn attribute_text(value: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(value);
    if text.contains('&') {
        Cow::Owned(unescape(&text))
    } else {
        text
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

    /// The digests of `files`' pages, as rendering would know them.
    fn digests_of(files: &[OutputFile]) -> Digests {
        files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| (f.path.clone(), crate::render::sha256(&f.bytes)))
            .collect()
    }

    /// A page kept in the cache is not read again while what its links
    /// resolve to holds, and is read again once a file it links to comes
    /// or goes; its anchor links are looked up on the pages as they are
    /// now. Each time the result is the uncached check's.
    #[test]
    fn kept_pages_give_what_reading_them_gives() {
        let home = r##"<a href="a/index.html">A</a> <a href="a/index.html#x">X</a> <a href="c/">C</a><p id="top">"##;
        let site = |a_html: &str, with_c: bool| {
            let mut files = vec![page("index.html", home), page("a/index.html", a_html)];
            if with_c {
                files.push(page("c/index.html", r#"<a href="../index.html#top">T</a>"#));
            }
            files
        };
        let mut cache = CacheLog::default();
        let same_as_uncached = |files: &[OutputFile], cache: &mut CacheLog| {
            let cached = check_cached(files, &[], &digests_of(files), cache, &unread);
            assert_eq!(cached, check(files));
            cached.len()
        };
        assert_eq!(
            same_as_uncached(&site(r#"<h2 id="x">"#, true), &mut cache),
            0
        );
        assert_eq!(cache.len(), 3);
        // c goes: the home page, kept, links to it.
        assert_eq!(
            same_as_uncached(&site(r#"<h2 id="x">"#, false), &mut cache),
            1
        );
        // a loses its anchor: the kept home page's #x is looked up again.
        assert_eq!(
            same_as_uncached(&site(r#"<h2 id="y">"#, false), &mut cache),
            2
        );
        assert_eq!(
            same_as_uncached(&site(r#"<h2 id="x">"#, true), &mut cache),
            0
        );
        assert_eq!(cache.len(), 3);
        // Proof the record is what is read: the home page's bytes change
        // under the same digest, and the kept result stands.
        let mut files = site(r#"<h2 id="x">"#, true);
        let digests = digests_of(&files);
        files[0] = page(
            "index.html",
            r#"<a href="gone/index.html">G</a><p id="top">"#,
        );
        assert!(check_cached(&files, &[], &digests, &mut cache, &unread).is_empty());
        assert_eq!(check(&files).len(), 1);
    }

    /// A reader of kept pages for checks that keep none.
    fn unread(path: &str) -> std::io::Result<Vec<u8>> {
        panic!("{path} was read, and no page is kept")
    }

    /// Pages kept in the live site, not in memory: with their records they
    /// are not read; without, they are read from there; unreadable, the
    /// check says so. Each time the result is the uncached check's.
    #[test]
    fn pages_kept_in_the_live_site_are_read_there_only_when_needed() {
        let site = vec![
            page(
                "index.html",
                r##"<a href="a/index.html#x">A</a> <a href="b/">B</a>"##,
            ),
            page("a/index.html", r#"<h2 id="x"><a href="../gone.html">G</a>"#),
            page("b/index.html", r#"<a href="../index.html">H</a>"#),
        ];
        let expected = check(&site);
        assert_eq!(expected.len(), 1);
        // a and b are kept: only the home page is in memory.
        let kept: Vec<KeptFile> = site[1..]
            .iter()
            .map(|f| KeptFile {
                path: f.path.clone(),
                size: f.bytes.len() as u64,
                digest: crate::render::sha256(&f.bytes),
            })
            .collect();
        let reads = std::sync::Mutex::new(Vec::new());
        let from_live = |path: &str| {
            reads.lock().unwrap().push(path.to_string());
            let f = site
                .iter()
                .find(|f| f.path == path)
                .expect("a page of the site");
            Ok(f.bytes.to_vec())
        };
        let home = &site[..1];
        let mut cache = CacheLog::default();
        let first = check_cached(home, &kept, &digests_of(home), &mut cache, &from_live);
        assert_eq!(first, expected);
        let mut read = std::mem::take(&mut *reads.lock().unwrap());
        read.sort();
        assert_eq!(read, ["a/index.html", "b/index.html"]);
        assert_eq!(cache.len(), 3);
        // With the records, nothing is read.
        let again = check_cached(home, &kept, &digests_of(home), &mut cache, &from_live);
        assert_eq!(again, expected);
        assert!(reads.lock().unwrap().is_empty());
        // Without them, and with the live site gone: an error naming the page.
        let gone = |_: &str| Err(std::io::ErrorKind::NotFound.into());
        let mut empty = CacheLog::default();
        let lost = check_cached(home, &kept, &digests_of(home), &mut empty, &gone);
        assert_eq!(lost.len(), 2, "{lost:?}");
        assert!(lost[0].to_string().contains("/a/"), "{}", lost[0]);
    }

    /// Values the check's former regexes capture, for comparison.
    fn regex_values(re: &regex::Regex, html: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(html);
        re.captures_iter(&text).map(|c| c[1].to_string()).collect()
    }

    fn scanned_values(html: &[u8], kind: Attr) -> Vec<String> {
        let mut values = Vec::new();
        scan_attributes(html, |attr, value| {
            if attr == kind {
                values.push(String::from_utf8_lossy(value).into_owned());
            }
        });
        values
    }

    fn assert_scans_like_regexes(html: &[u8]) {
        assert_eq!(
            scanned_values(html, Attr::Link),
            regex_values(&reference::LINK_RE, html),
            "links of {:?}",
            String::from_utf8_lossy(html)
        );
        assert_eq!(
            scanned_values(html, Attr::Anchor),
            regex_values(&reference::ID_RE, html),
            "anchors of {:?}",
            String::from_utf8_lossy(html)
        );
    }

    #[test]
    fn scanner_reads_what_the_regexes_read() {
        let cases: &[&[u8]] = &[
            br#"<a href="a/">x</a>"#,
            br#"<a  href = "a" src=  "b" id ="c" name= "d">"#,
            b"<a\thref\n=\r\"a\"\x0bsrc\x0c=\"b\">",
            br#"<a data-href="no" xsrc="no" hid="no" rename="no" hrefs="no">"#,
            br#"<a href='single' id='single' src=unquoted>"#,
            br#"href="at-start" <a href="">"#,
            br#"<a href="unclosed"#,
            br#"<a href=" src="inner" id="x" ">"#,
            br#"<a title=" id="in-title" href="h"">"#,
            br#"<a href=" id="shared" x="y">"#,
            br#"<a href="1"href="2" href="3"src="4" src="5">"#,
            br#"<a href="multi
line" id="&amp;&lt;&#x2F;">"#,
            br#"<a href = = "x" href "y" href="z">"#,
            "<a\u{a0}href=\"nbsp\"\u{2028}id\u{3000}=\u{85}\"ws\">".as_bytes(),
            "<a\u{2000}src=\"é/ü\" id=\"日本\">".as_bytes(),
            b"<a \xffhref=\"x\" \xe2\x80href=\"y\" \xe2\x80\xa8href=\"z\">",
            b"<a \xe2\x80\x80\xa8href=\"x\" href=\"\xff\xfe\" id=\"\xe2\x80\">",
            b"<a href\xe2\x80\xa8=\xc2\x85\"x\" href\xc2=\"y\" href=\xc2\xa0\xa0\"z\">",
            b"\xa8 href=\"a\" \x80\x80\x80\x80\x80href=\"b\"",
            br#"<a HREF="upper" Id="upper" href="lower">"#,
            b"",
            b"=",
            b" href=",
            b" href=\"",
        ];
        for html in cases {
            assert_scans_like_regexes(html);
        }
    }

    #[test]
    fn scanner_reads_what_the_regexes_read_on_random_html() {
        const PIECES: &[&[u8]] = &[
            b" ",
            b"\t",
            b"\n",
            b"\x0b",
            b"\xc2\xa0",
            b"\xe2\x80\xa8",
            b"\xe3\x80\x80",
            b"href",
            b"src",
            b"id",
            b"name",
            b"data-",
            b"=",
            b"\"",
            b"'",
            b"x",
            b"/",
            b"<a",
            b">",
            b"&amp;",
            b"\xff",
            b"\xe2\x80",
            b"\x80",
            b"\xc3\xa9",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = next() % 24;
            let html: Vec<u8> = (0..len)
                .flat_map(|_| {
                    PIECES[(next() % PIECES.len() as u64) as usize]
                        .iter()
                        .copied()
                })
                .collect();
            assert_scans_like_regexes(&html);
        }
    }

    #[test]
    fn values_are_unescaped_like_before() {
        for value in [
            "plain/path/",
            "a&amp;b",
            "&amp;lt;",
            "&#x2&#x2F;F;",
            "&#x2F;&#47;&#x27;&#39;&quot;&lt;&gt;&amp;",
            "&&&;amp;",
            "&unknown;",
        ] {
            assert_eq!(attribute_text(value.as_bytes()), unescape(value), "{value}");
        }
        assert!(matches!(attribute_text(b"no/escapes"), Cow::Borrowed(_)));
    }

    #[test]
    fn links_from_the_root_name_one_file_on_every_page() {
        assert_eq!(from_root("../../static/a.css", 2), Some("static/a.css"));
        assert_eq!(from_root("/about/", 2), Some("/about/"));
        assert_eq!(from_root("about/", 0), Some("about/"));
        assert_eq!(from_root("../../../x", 2), Some("../x"));
        assert_eq!(from_root("../x", 2), None);
        assert_eq!(from_root("./x", 1), None);
        let pages = ["a/b/index.html", "c/d/e.html", "a//f.html"];
        for href in [
            "../../x/",
            "../../",
            "../../../x",
            "../..//x/./y/../z",
            "/q/",
        ] {
            for page in pages {
                let root = from_root(href, page.matches('/').count()).expect("from root");
                assert_eq!(resolve(page, href), resolve("", root), "{href} on {page}");
            }
        }
    }

    /// A site with broken links of every kind, in templates and in content.
    fn broken_site() -> Vec<OutputFile> {
        let nav = r##"<nav><a href="../../index.html">H</a> <a href="../../about/">A</a> <a href="../../gone/">G</a> <a href="/about/#team">T</a> <a href="../../../out">O</a></nav>"##;
        let mut files = vec![
            page(
                "index.html",
                r##"<a href="about/">A</a> <a href="gone/">G</a> <a href="#main">M</a> <a href="#nope">N</a> <a href="?q=1#main">Q</a> <a href="mailto:a@b.c">E</a> <a href="about/index.html#people">P</a> <a href="static/s.css#x">C</a> <a href="../x">U</a><main id="main" name="top"></main>"##,
            ),
            page(
                "about/index.html",
                r#"<a href="..&#x2F;gone&#x2F;">G</a> <a href="../#top">T</a> <a href="&amp;x">X</a><h2 id="people">P</h2><img src="../static/missing.png" >"#,
            ),
            page("static/s.css", ""),
            page(
                "about/a b.html",
                r##"<a href="./../about/#people">P</a><a href=".">D</a><a href="">E</a><a href="#">F</a>"##,
            ),
        ];
        for i in 0..30 {
            files.push(page(
                &format!("caps/c{i:02}/index.html"),
                &format!(r##"{nav}<a href="../c{:02}/#top-{i}">N</a><a href="./#top-{i}">S</a><p id="top-{i}"></p>"##, (i + 1) % 31),
            ));
        }
        files
    }

    #[test]
    fn reports_what_the_regex_check_reported() {
        let files = broken_site();
        let expected = reference::check(&files);
        assert!(expected.len() > 5, "{expected:?}");
        assert_eq!(check(&files), expected);
    }

    /// Compares with the former check and times both on a built site:
    /// `CAPCAT_LINKS_SITE=path/to/site cargo test --release --lib
    /// render::links -- --ignored --nocapture`.
    #[test]
    #[ignore = "needs a built site in CAPCAT_LINKS_SITE"]
    fn reports_what_the_regex_check_reported_on_a_built_site() {
        let Ok(root) = std::env::var("CAPCAT_LINKS_SITE") else {
            panic!("set CAPCAT_LINKS_SITE to a built site folder");
        };
        let root = std::path::PathBuf::from(root);
        let mut files = Vec::new();
        let mut folders = vec![root.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("readable folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let rel = path.strip_prefix(&root).expect("inside the site");
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    files.push(OutputFile {
                        path: rel,
                        bytes: std::fs::read(&path).expect("readable file").into(),
                    });
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        // CPU time of the process in ms (Linux), less noisy than wall time
        // on a shared machine.
        let cpu_ms = || -> Option<u64> {
            let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            let ticks: u64 =
                fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
            Some(ticks * 10)
        };
        let time = |f: &dyn Fn() -> Vec<Diagnostic>| {
            let mut times = Vec::new();
            let mut out = Vec::new();
            let cpu = cpu_ms();
            for _ in 0..5 {
                let t = std::time::Instant::now();
                out = f();
                times.push(t.elapsed());
            }
            let cpu = cpu.zip(cpu_ms()).map(|(a, b)| (b - a) / 5);
            times.sort();
            (out, times[2], cpu)
        };
        let (before, t_before, cpu_before) = time(&|| reference::check(&files));
        let (after, t_after, cpu_after) = time(&|| check(&files));
        println!(
            "{} files, {} diagnostics: regex check {t_before:?} wall (median of 5), {cpu_before:?} ms CPU; scanner {t_after:?} wall, {cpu_after:?} ms CPU",
            files.len(),
            before.len()
        );
        assert_eq!(after, before);
    }

    /// The check as it was written with regexes, kept to compare with.
    mod reference {
        use super::super::{OutputFile, is_external, resolve, unescape, url_of};
        use crate::diagnostics::Diagnostic;
        use rayon::prelude::*;
        use regex::Regex;
        use std::collections::{BTreeMap, HashMap, HashSet};
        use std::sync::LazyLock;

        pub static LINK_RE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"\s(?:href|src)\s*=\s*"([^"]*)""#).expect("valid regex"));
        pub static ID_RE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"\s(?:id|name)\s*=\s*"([^"]*)""#).expect("valid regex"));

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
                    let set = ID_RE.captures_iter(html).map(|c| unescape(&c[1])).collect();
                    (*p, set)
                })
                .collect();
            let mut broken: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
            let found: Vec<Vec<(String, String)>> = pages
                .par_iter()
                .map(|(page, html)| {
                    LINK_RE
                        .captures_iter(html)
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
    }
}
