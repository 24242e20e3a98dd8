//! Content: `content/**/*.md` → capability drafts and plain pages
//! (docs/content.md).
//!
//! Every file is read and checked; all problems of all files are returned
//! together so one run reports everything.

pub mod cache;
pub mod front_matter;
pub mod lines;
pub mod markdown;

use crate::diagnostics::{Diagnostic, read_limited, str_of, within_limit};
pub use cache::ContentCache;
pub use lines::SourceLines;

use crate::model::{Claim, Matchers, is_slug, slugify};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Content files the caller already read (the build memo), by path: a file
/// here is not read again, and when the [`ContentCache`] holds its digest
/// it is not parsed either.
pub type ReadFiles = HashMap<PathBuf, ReadFile>;

/// A content file as it was read.
#[derive(Debug)]
pub struct ReadFile {
    /// The SHA-256 of its bytes: its key in the [`ContentCache`].
    pub key: crate::cache_log::Key,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A capability as written in its content file, before anything is derived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapabilityDraft {
    /// The file stem: slug id and permalink.
    pub id: String,
    /// The file, relative to the catalog root.
    pub source: PathBuf,
    /// The front matter, trimmed.
    pub meta: FrontMatter,
    /// Line of `redirect_from` in the source file, for diagnostics.
    pub redirect_from_line: usize,
    /// Line of `category` in the source file, for diagnostics.
    pub category_line: usize,
    /// Lines of the claim, the Jira keys and each matcher, for diagnostics.
    pub lines: SourceLines,
    /// Description, sanitized HTML.
    pub body_html: String,
    /// Description, plain text.
    pub body_text: String,
}

/// A plain content page (`content/**/*.md` outside capabilities).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// URL path, `/about/`.
    pub path: String,
    /// Title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Shown in the public build.
    pub public: bool,
    /// Sanitized HTML.
    pub body_html: String,
}

/// All content of a catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Content {
    /// Capabilities, sorted by id.
    pub capabilities: Vec<CapabilityDraft>,
    /// `content/_index.md`.
    pub home: Option<Page>,
    /// Other pages, sorted by path.
    pub pages: Vec<Page>,
}

impl Content {
    /// What the scanner needs to know: every capability's id and matchers.
    pub fn matchers(&self) -> Vec<(String, Matchers)> {
        self.capabilities
            .iter()
            .map(|c| (c.id.clone(), c.meta.evidence.clone()))
            .collect()
    }
}

/// Front matter of a capability file (docs/content.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Title.
    pub title: String,
    /// One-line summary.
    pub summary: String,
    /// Category name.
    pub category: String,
    /// Search synonyms.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Former ids.
    #[serde(default)]
    pub redirect_from: Vec<String>,
    /// Typed claim.
    #[serde(default)]
    pub claim: Option<Claim>,
    /// In the public build.
    #[serde(default)]
    pub public: bool,
    /// Code evidence matchers.
    #[serde(default)]
    pub evidence: Matchers,
    /// Jira keys linked explicitly.
    #[serde(default)]
    pub jira: Vec<String>,
    /// Plans or editions.
    #[serde(default)]
    pub plans: Vec<String>,
    /// Related capability ids.
    #[serde(default)]
    pub related: Vec<String>,
}

/// Front matter of a plain page or the home page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFrontMatter {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    public: bool,
}

/// A content file is read only up to this size.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Longest value of each front-matter field, in characters: they are
/// repeated on many pages (and a category or a former id becomes a folder
/// name), so a runaway value costs memory and breaks the build.
const MAX_CHARS: &[(&str, usize)] = &[
    ("title", 200),
    ("summary", 500),
    ("category", 80),
    ("aliases", 100),
    ("redirect_from", 100),
    ("plans", 60),
    ("related", 100),
];

/// URL paths capcat generates itself; a page may not take them.
const RESERVED: [&str; 9] = [
    "capabilities",
    "categories",
    "status",
    "search",
    "roadmap",
    "gaps",
    "static",
    "badges",
    "404",
];

/// Reads every Markdown file under `content_dir`. `root` is the catalog root
/// (paths in drafts and diagnostics are made relative to it).
pub fn load(content_dir: &Path, root: &Path) -> (Content, Vec<Diagnostic>) {
    load_with(content_dir, root, None)
}

/// [`load`], taking from `cache` every file whose bytes it holds and
/// parsing only the others; `cache` is left holding every file that parsed.
/// A file whose SHA-256 is in `read` (by path) is taken from the cache
/// without reading it again. The content and diagnostics are those of
/// [`load`].
pub fn load_cached(
    content_dir: &Path,
    root: &Path,
    cache: &mut ContentCache,
    read: &ReadFiles,
) -> (Content, Vec<Diagnostic>) {
    load_with(content_dir, root, Some((cache, read)))
}

fn load_with(
    content_dir: &Path,
    root: &Path,
    cache: Option<(&mut ContentCache, &ReadFiles)>,
) -> (Content, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(content_dir.to_path_buf(), "content folder not found")
                .with_hint("create content/capabilities/<id>.md files, or run `capcat init`"),
        );
        return (Content::default(), diagnostics);
    }
    let files = markdown_files(content_dir, &mut diagnostics);
    let known = cache.as_ref().map(|(cache, read)| (&**cache, *read));
    let read: Vec<Read> = files
        .par_iter()
        .map(|path| read_file(path, content_dir, root, known))
        .collect();
    if let Some((cache, _)) = cache {
        let fresh: Vec<(&Path, cache::Key, &Parsed)> = files
            .iter()
            .zip(&read)
            .filter_map(|(path, r)| match (&r.fresh, &r.parsed) {
                (Some(key), Ok(parsed)) => Some((path.as_path(), *key, parsed)),
                _ => None,
            })
            .collect();
        cache.update(&files, &fresh);
    }
    let mut content = Content::default();
    for r in read {
        match r.parsed {
            Ok(Parsed::Capability(c)) => content.capabilities.push(*c),
            Ok(Parsed::Home(page)) => content.home = Some(page),
            Ok(Parsed::Page(page)) => content.pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    content
        .capabilities
        .sort_by(|a, b| (&a.id, &a.source).cmp(&(&b.id, &b.source)));
    content.pages.sort_by(|a, b| a.path.cmp(&b.path));
    diagnostics.extend(check_ids(&content.capabilities));
    diagnostics.extend(check_category_slugs(&content.capabilities));
    (content, diagnostics)
}

fn markdown_files(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
                files.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => diagnostics.push(Diagnostic::error(
                e.path().map(Path::to_path_buf),
                format!("cannot read content: {e}"),
            )),
        }
    }
    files
}

/// What one content file holds.
#[derive(Debug, Serialize, Deserialize)]
enum Parsed {
    Capability(Box<CapabilityDraft>),
    Home(Page),
    Page(Page),
}

/// One content file, read.
struct Read {
    /// What it holds, or why it cannot be used.
    parsed: Result<Parsed, Diagnostic>,
    /// Its key, when it was parsed now rather than taken from the cache.
    fresh: Option<cache::Key>,
}

/// Reads the file at `path` and parses it, unless `cache` holds its bytes
/// (under the key in `read`, else the SHA-256 of the bytes read now).
fn read_file(
    path: &Path,
    content_dir: &Path,
    root: &Path,
    cache: Option<(&ContentCache, &ReadFiles)>,
) -> Read {
    let known = cache.and_then(|(_, read)| read.get(path));
    // The bytes the memo read are borrowed, not copied: only a file it did
    // not read is read here.
    let bytes: Result<Cow<[u8]>, _> = match known {
        Some(file) => within_limit(&file.bytes[..], MAX_FILE_BYTES).map(Cow::Borrowed),
        None => read_limited(path, MAX_FILE_BYTES).map(Cow::Owned),
    };
    let key = match known {
        Some(file) => Some(file.key),
        None => bytes
            .as_ref()
            .ok()
            .zip(cache)
            .map(|(b, _)| ContentCache::key_of(b)),
    };
    let held = key
        .as_ref()
        .zip(cache)
        .and_then(|(key, (cache, _))| cache.recall(path, key));
    if let Some(parsed) = held {
        return Read {
            parsed: Ok(parsed),
            fresh: None,
        };
    }
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let unreadable = |e: crate::diagnostics::ReadError| {
        e.into_diagnostic(&rel, "the file", "check the file's permissions")
    };
    let parsed = bytes.map_err(unreadable).and_then(|bytes| {
        let text = str_of(&bytes).map_err(unreadable)?;
        parse_text(text, path, &rel, content_dir)
    });
    Read { parsed, fresh: key }
}

fn parse_text(
    text: &str,
    path: &Path,
    rel: &Path,
    content_dir: &Path,
) -> Result<Parsed, Diagnostic> {
    let split = front_matter::split(text, rel)?;
    let in_content = path.strip_prefix(content_dir).unwrap_or(path);
    if in_content.starts_with("capabilities") {
        return parse_capability(&split, rel, path).map(|c| Parsed::Capability(Box::new(c)));
    }
    let url = page_url(in_content);
    check_page_path(&url, rel)?;
    let fm: PageFrontMatter = front_matter::parse(&split, rel)?;
    check_page_front_matter(&fm, &split, rel)?;
    let rendered = render_body(&split, rel)?;
    let page = Page {
        path: url,
        title: fm.title,
        description: fm.description,
        public: fm.public,
        body_html: rendered.html,
    };
    if in_content == Path::new("_index.md") {
        Ok(Parsed::Home(page))
    } else {
        Ok(Parsed::Page(page))
    }
}

fn parse_capability(
    split: &front_matter::Split<'_>,
    rel: &Path,
    path: &Path,
) -> Result<CapabilityDraft, Diagnostic> {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !is_slug(&id) {
        return Err(Diagnostic::error(rel.to_path_buf(), format!("capability id `{id}` (the file name) is not a slug"))
            .at(1, 1)
            .with_hint(format!(
                "ids use lowercase letters, digits and dashes, starting with a letter or digit: rename the file to `{}.md`",
                slugify(&id)
            )));
    }
    let mut meta: FrontMatter = front_matter::parse(split, rel)?;
    check_front_matter(&meta, split, rel)?;
    for text in [&mut meta.title, &mut meta.summary, &mut meta.category] {
        *text = text.trim().to_string();
    }
    for key in &mut meta.jira {
        *key = key.trim().to_string();
    }
    let rendered = render_body(split, rel)?;
    let lines = lines::locate(split, &meta.evidence);
    Ok(CapabilityDraft {
        id,
        source: rel.to_path_buf(),
        meta,
        redirect_from_line: key_line(split, "redirect_from"),
        category_line: key_line(split, "category"),
        lines,
        body_html: rendered.html,
        body_text: rendered.text,
    })
}

fn check_page_front_matter(
    fm: &PageFrontMatter,
    split: &front_matter::Split<'_>,
    rel: &Path,
) -> Result<(), Diagnostic> {
    for (key, value, max) in [
        ("title", &fm.title, 200),
        ("description", &fm.description, 500),
    ] {
        if value.chars().count() > max {
            return Err(Diagnostic::error(
                rel.to_path_buf(),
                format!("`{key}` is longer than {max} characters"),
            )
            .at(key_line(split, key), 1)
            .with_hint("shorten it; it is repeated on every page"));
        }
    }
    Ok(())
}

/// The body as sanitized HTML and text, or why it cannot be rendered.
fn render_body(
    split: &front_matter::Split<'_>,
    rel: &Path,
) -> Result<markdown::Rendered, Diagnostic> {
    markdown::render(split.body).map_err(|deep| {
        Diagnostic::error(
            rel.to_path_buf(),
            format!(
                "the text is nested more than {} levels deep (block quotes, lists or HTML elements)",
                markdown::MAX_NESTING
            ),
        )
        .at(split.body_first_line + deep.line - 1, 1)
        .with_hint("flatten the quoting, list indentation or HTML nesting")
    })
}

fn check_front_matter(
    fm: &FrontMatter,
    split: &front_matter::Split<'_>,
    rel: &Path,
) -> Result<(), Diagnostic> {
    let at = |key: &str| key_line(split, key);
    let error = |key: &str, message: String, hint: &str| {
        Err(Diagnostic::error(rel.to_path_buf(), message)
            .at(at(key), 1)
            .with_hint(hint))
    };
    for (key, value) in [
        ("title", &fm.title),
        ("summary", &fm.summary),
        ("category", &fm.category),
    ] {
        if value.trim().is_empty() {
            return error(
                key,
                format!("`{key}` is empty"),
                "every capability needs a title, a one-line summary and a category",
            );
        }
    }
    for (key, value) in field_values(fm) {
        let max = MAX_CHARS
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(usize::MAX, |(_, m)| *m);
        if value.chars().count() > max {
            return error(
                key,
                format!("a value of `{key}` is longer than {max} characters"),
                "shorten it; long values are repeated on many pages",
            );
        }
    }
    if let Some(bad) = fm.redirect_from.iter().find(|r| !is_slug(r)) {
        return error(
            "redirect_from",
            format!("redirect_from `{bad}` is not a slug"),
            "former ids are slugs like the file names: lowercase letters, digits, dashes",
        );
    }
    if let Some(bad) = fm.jira.iter().find(|k| !is_jira_key(k.trim())) {
        return error(
            "jira",
            format!("`{bad}` is not a Jira issue key"),
            "write keys like SHOP-120",
        );
    }
    Ok(())
}

/// Every length-limited value of the front matter with its key.
fn field_values(fm: &FrontMatter) -> Vec<(&'static str, &str)> {
    let mut v = vec![
        ("title", fm.title.as_str()),
        ("summary", &fm.summary),
        ("category", &fm.category),
    ];
    for (key, list) in [
        ("aliases", &fm.aliases),
        ("redirect_from", &fm.redirect_from),
        ("plans", &fm.plans),
        ("related", &fm.related),
    ] {
        v.extend(list.iter().map(|x| (key, x.as_str())));
    }
    v
}

/// 1-based file line of a top-level front-matter key (the first line if absent).
fn key_line(split: &front_matter::Split<'_>, key: &str) -> usize {
    split
        .yaml
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + split.yaml_first_line)
}

fn is_jira_key(s: &str) -> bool {
    match s.split_once('-') {
        Some((project, number)) => {
            project
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
                && project
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// `about.md` → `/about/`, `guides/index.md` or `guides/_index.md` → `/guides/`.
fn page_url(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("index" | "_index")) {
        parts.pop();
    }
    if parts.is_empty() {
        "/".into()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// Duplicate ids, and redirects that collide with ids or with each other.
fn check_ids(caps: &[CapabilityDraft]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut owners: BTreeMap<&str, &CapabilityDraft> = BTreeMap::new();
    for c in caps {
        if let Some(first) = owners.get(c.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(c.source.clone(), format!("duplicate capability id `{}`", c.id))
                    .at(1, 1)
                    .with_hint(format!("{} already uses this id; ids are file names and must be unique across content/capabilities/", first.source.display())),
            );
        } else {
            owners.insert(&c.id, c);
        }
    }
    let mut redirects: BTreeMap<&str, &CapabilityDraft> = BTreeMap::new();
    for c in caps {
        for r in &c.meta.redirect_from {
            let line = c.redirect_from_line;
            if let Some(owner) = owners.get(r.as_str()) {
                diagnostics.push(
                    Diagnostic::error(c.source.clone(), format!("redirect_from `{r}` is the id of another capability"))
                        .at(line, 1)
                        .with_hint(format!("{} is live at /capabilities/{r}/; a redirect there would hide it — remove it from redirect_from", owner.source.display())),
                );
            } else if let Some(other) = redirects.insert(r, c)
                && other.id != c.id
            {
                diagnostics.push(
                    Diagnostic::error(
                        c.source.clone(),
                        format!("redirect_from `{r}` is also claimed by `{}`", other.id),
                    )
                    .at(line, 1)
                    .with_hint("a former id can redirect to one capability only"),
                );
            }
        }
    }
    diagnostics
}

/// Two category names with the same URL part would share one page: the
/// later one would silently overwrite the first.
fn check_category_slugs(caps: &[CapabilityDraft]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<String, &CapabilityDraft> = BTreeMap::new();
    let mut out = Vec::new();
    for c in caps {
        let slug = slugify(&c.meta.category);
        match first.get(&slug) {
            Some(other) if other.meta.category != c.meta.category => out.push(
                Diagnostic::error(
                    c.source.clone(),
                    format!(
                        "category `{}` has the same address /categories/{slug}/ as `{}` ({})",
                        c.meta.category,
                        other.meta.category,
                        other.source.display()
                    ),
                )
                .at(c.category_line, 1)
                .with_hint("spell the category exactly as the other capabilities do, or rename one of the two"),
            ),
            Some(_) => {}
            None => {
                first.insert(slug, c);
            }
        }
    }
    out
}

/// A page may not take a URL capcat generates itself.
/// Every part of a page's path is a slug (it becomes a link), and the
/// first part is not one capcat generates itself.
fn check_page_path(url: &str, rel: &Path) -> Result<(), Diagnostic> {
    let parts: Vec<&str> = url.trim_matches('/').split('/').collect();
    if let Some(bad) = parts.iter().find(|p| !p.is_empty() && !is_slug(p)) {
        return Err(Diagnostic::error(
            rel.to_path_buf(),
            format!("page path part `{bad}` (from the file name) is not a slug"),
        )
        .at(1, 1)
        .with_hint(format!(
            "page paths become links: name files and folders with lowercase letters, digits and dashes, e.g. `{}.md`",
            slugify(bad)
        )));
    }
    if !RESERVED.contains(&parts[0]) {
        return Ok(());
    }
    Err(Diagnostic::error(rel.to_path_buf(), format!("page path {url} is reserved"))
        .at(1, 1)
        .with_hint("capcat generates /capabilities/, /categories/, /status/, /search/, /roadmap/, /gaps/, /static/ and /badges/; move the page elsewhere"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jira_keys() {
        assert!(
            is_jira_key("SHOP-120")
                && is_jira_key("A1_B-7")
                && !is_jira_key("shop-1")
                && !is_jira_key("SHOP-")
        );
    }

    #[test]
    fn page_paths_must_be_slugs() {
        let rel = Path::new("content/x.md");
        assert!(check_page_path("/about/", rel).is_ok());
        assert!(check_page_path("/guides/setup-2/", rel).is_ok());
        assert!(check_page_path("/", rel).is_ok());
        let d = check_page_path("/javascript:alert(document.domain)/", rel).unwrap_err();
        assert!(d.message.contains("not a slug"), "{}", d.message);
        assert!(check_page_path("/About Us/", rel).is_err());
        assert!(check_page_path("/roadmap/", rel).is_err());
    }

    #[test]
    fn page_urls() {
        assert_eq!(page_url(Path::new("about.md")), "/about/");
        assert_eq!(page_url(Path::new("guides/index.md")), "/guides/");
        assert_eq!(page_url(Path::new("_index.md")), "/");
    }
}
