//! `catalog.toml` → [`Config`] (docs/configuration.md).
//!
//! Every table denies unknown keys; the error names the file, line and column
//! and suggests the nearest valid key.

use crate::diagnostics::{Diagnostic, line_col, nearest, read_text_file};
use crate::model::{Audience, WorkCategory};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The whole configuration, plus where it was read from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[site]`
    #[serde(default)]
    pub site: SiteConfig,
    /// `[code]`
    #[serde(default)]
    pub code: CodeConfig,
    /// `[jira]`; absent when the catalog has no Jira source.
    #[serde(default)]
    pub jira: Option<JiraConfig>,
    /// `[demand]`
    #[serde(default)]
    pub demand: DemandConfig,
    /// `[search]`
    #[serde(default)]
    pub search: SearchConfig,
    /// `[roadmap]`
    #[serde(default)]
    pub roadmap: RoadmapConfig,
    /// `[history]`
    #[serde(default)]
    pub history: HistoryConfig,
    /// Folder holding catalog.toml; every relative path is resolved against it.
    #[serde(skip)]
    pub root: PathBuf,
    /// Path of catalog.toml itself.
    #[serde(skip)]
    pub path: PathBuf,
}

/// `[site]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Site title shown in the header and in link previews.
    pub title: String,
    /// Absolute base URL for sitemap, feeds and og:url; empty means relative links only.
    pub base_url: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Default audience for `--audience`.
    pub audience: Audience,
    /// Default output folder, relative to catalog.toml.
    pub output_dir: PathBuf,
    /// One-line description used in meta tags; defaults to a sentence built from the title.
    pub description: String,
    /// Where to ask about what the catalog does not answer: a `mailto:`
    /// address or an http(s) URL; empty for none.
    pub contact: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Capability catalog".into(),
            base_url: String::new(),
            theme: "default".into(),
            audience: Audience::Internal,
            output_dir: PathBuf::from("public"),
            description: String::new(),
            contact: String::new(),
        }
    }
}

/// `[code]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodeConfig {
    /// Folders to scan, relative to catalog.toml.
    pub roots: Vec<PathBuf>,
    /// Globs excluded on top of .gitignore, .ignore and hidden files.
    pub exclude: Vec<String>,
    /// Marker comment prefix.
    pub marker: String,
    /// Larger files are skipped.
    pub max_file_bytes: u64,
    /// Evidence link template with `{commit}`, `{path}`, `{line}`.
    pub link: String,
    /// Extra feature-flag call names (first argument = flag key).
    pub flag_functions: Vec<String>,
    /// Globs of test code, on top of the built-in conventions
    /// (`*.test.*`, `tests/`, `test_*.py`, `*_test.go`, …).
    pub tests: Vec<String>,
    /// Scan cache folder, relative to catalog.toml.
    pub cache_dir: PathBuf,
}

impl Default for CodeConfig {
    fn default() -> Self {
        CodeConfig {
            roots: Vec::new(),
            exclude: Vec::new(),
            marker: "capability:".into(),
            max_file_bytes: 1_000_000,
            link: String::new(),
            flag_functions: Vec::new(),
            tests: Vec::new(),
            cache_dir: PathBuf::from(".capcat-cache"),
        }
    }
}

/// `[jira]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JiraConfig {
    /// Export files (CSV, XML, REST JSON pages), relative to catalog.toml.
    pub sources: Vec<PathBuf>,
    /// Issue link template with `{key}`.
    pub browse_url: String,
    /// Label prefix linking an issue to a capability (`cap:<id>`).
    pub label_prefix: String,
    /// Issue types that count as customer demand.
    pub request_types: Vec<String>,
    /// Field naming the requesting account.
    pub account_field: String,
    /// Field holding the money at stake.
    pub amount_field: String,
    /// Field holding the lost-deal note.
    pub lost_field: String,
    /// Field holding the sales engineer's diagnosis of a request (the technical truth).
    pub truth_field: String,
    /// A comment starting with this prefix holds the technical truth.
    pub truth_prefix: String,
    /// Link type names meaning "blocks", besides any link whose inward text is "is blocked by".
    pub blocking_link_types: Vec<String>,
    /// Link type names whose outward link means "depends on", besides any
    /// link whose text is "depends on".
    pub dependency_link_types: Vec<String>,
    /// strftime-like override for CSV dates, e.g. `%d/%m/%Y %H:%M`.
    pub date_format: String,
    /// Regular expression an issue key must match; issues with other keys
    /// are left out with a warning.
    pub key_pattern: String,
    /// Extra CSV header names → concept.
    pub columns: BTreeMap<String, String>,
    /// Status name → todo | in-progress | done.
    pub status_categories: BTreeMap<String, String>,
    /// REST API settings for `capcat jira pull`.
    pub api: Option<JiraApiConfig>,
}

impl Default for JiraConfig {
    fn default() -> Self {
        JiraConfig {
            sources: Vec::new(),
            browse_url: String::new(),
            label_prefix: "cap:".into(),
            request_types: vec!["Feature Request".into(), "Idea".into()],
            account_field: "Customer".into(),
            amount_field: String::new(),
            lost_field: String::new(),
            truth_field: String::new(),
            truth_prefix: String::new(),
            blocking_link_types: vec!["Blocks".into(), "Blocker".into()],
            dependency_link_types: vec!["Depends".into(), "Dependency".into()],
            date_format: String::new(),
            key_pattern: "[A-Z][A-Z0-9_]*-[0-9]+".into(),
            columns: BTreeMap::new(),
            status_categories: BTreeMap::new(),
            api: None,
        }
    }
}

/// Jira deployment kind for the REST client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JiraFlavor {
    /// Jira Cloud: `/rest/api/3/search/jql`, basic auth.
    Cloud,
    /// Jira Data Center / Server: `/rest/api/2/search`, bearer token.
    Datacenter,
}

/// `[jira.api]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JiraApiConfig {
    /// cloud or datacenter.
    pub flavor: JiraFlavor,
    /// Base URL, may carry a path prefix.
    pub url: String,
    /// The search.
    pub jql: String,
    /// Environment variable holding the Cloud user's email.
    #[serde(default = "default_user_env")]
    pub user_env: String,
    /// Environment variable holding the API token or personal access token.
    #[serde(default = "default_token_env")]
    pub token_env: String,
    /// Where the pulled snapshot is written and read, relative to catalog.toml.
    #[serde(default = "default_snapshot")]
    pub snapshot: PathBuf,
    /// Request timeout in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Retries on 429/503 and network errors before giving up.
    #[serde(default = "default_retries")]
    pub max_retries: u32,
    /// Most issues one pull may fetch; a search returning more is an error.
    #[serde(default = "default_max_issues")]
    pub max_issues: usize,
    /// Most search pages one pull may fetch.
    #[serde(default = "default_max_pages")]
    pub max_pages: usize,
    /// Largest response accepted from Jira, in bytes.
    #[serde(default = "default_max_page_bytes")]
    pub max_page_bytes: u64,
    /// Most seconds one pull spends waiting between retries, in total.
    #[serde(default = "default_max_wait")]
    pub max_wait_secs: u64,
}

fn default_user_env() -> String {
    "JIRA_USER".into()
}
fn default_token_env() -> String {
    "JIRA_TOKEN".into()
}
fn default_snapshot() -> PathBuf {
    PathBuf::from(".capcat-cache/jira-snapshot.json")
}
fn default_timeout() -> u64 {
    30
}
fn default_retries() -> u32 {
    5
}
fn default_max_issues() -> usize {
    1_000_000
}
fn default_max_pages() -> usize {
    100_000
}
fn default_max_page_bytes() -> u64 {
    64 << 20
}
fn default_max_wait() -> u64 {
    120
}

/// `[demand]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemandConfig {
    /// Requested by this many distinct accounts or fewer → unicorn.
    pub unicorn_max_accounts: usize,
    /// Currency of the amounts at stake: a code (`EUR`) or a symbol (`€`),
    /// shown with every amount; empty shows bare numbers.
    pub currency: String,
}

impl Default for DemandConfig {
    fn default() -> Self {
        DemandConfig {
            unicorn_max_accounts: 1,
            currency: String::new(),
        }
    }
}

/// `[search]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Groups of words meaning the same thing; extend the built-in thesaurus.
    pub synonyms: Vec<Vec<String>>,
}

/// `[roadmap]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoadmapConfig {
    /// Fixed "today" (YYYY-MM-DD) for reproducible risk computations.
    pub today: String,
}

/// catalog.toml is read only up to this size.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Longest title or description, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest URL or link template, in characters.
pub const MAX_URL_CHARS: usize = 2000;
/// `[history]` (docs/history.md)
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    /// The previously published catalog.json (file or URL) when `--baseline`
    /// is not given; `{audience}` is replaced by the audience built.
    pub baseline: String,
    /// Changes kept in catalog.json's history.
    pub max_entries: usize,
    /// Changes older than this many days are dropped; 0 keeps them all.
    pub max_days: u32,
    /// Seconds to wait for a baseline URL before giving up.
    pub timeout_secs: u64,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            baseline: String::new(),
            max_entries: 200,
            max_days: 0,
            timeout_secs: 20,
        }
    }
}

/// A configuration that could not be loaded; always exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{diagnostic}")]
pub struct ConfigError {
    /// Where and what.
    pub diagnostic: Diagnostic,
}

impl Config {
    /// Reads and validates `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_text_file(path, MAX_CONFIG_BYTES).map_err(|e| ConfigError {
            diagnostic: e.into_diagnostic(
                path,
                "the configuration",
                "run `capcat init` to create one, or pass --config PATH",
            ),
        })?;
        let mut config = Self::parse(&text, path)?;
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        config.root = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = abs;
        Ok(config)
    }

    /// Parses configuration text; `path` is only used in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError {
            diagnostic: toml_diagnostic(&e, text, path),
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let fail = |key: &str, message: String, hint: &str| {
            let (line, col) = locate_key(text, key);
            Err(ConfigError {
                diagnostic: Diagnostic::error(path.to_path_buf(), message)
                    .at(line, col)
                    .with_hint(hint),
            })
        };
        let url = &self.site.base_url;
        if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
            return fail(
                "base_url",
                format!(
                    "base_url `{}` is not an absolute http(s) URL",
                    self.site.base_url
                ),
                "write it as https://catalog.example.com, or leave it empty for relative links",
            );
        }
        for (key, value, max) in self.lengths() {
            if value.chars().count() > max {
                return fail(
                    key,
                    format!("`{key}` is longer than {max} characters"),
                    "shorten it; it is repeated on every page",
                );
            }
        }
        let link = &self.code.link;
        if !is_link_template(link) {
            return fail(
                "link",
                format!("[code] link `{link}` does not start with http://, https:// or /"),
                "only http(s) and site-relative links are allowed, e.g. \"https://github.com/acme/shop/blob/{commit}/{path}#L{line}\"",
            );
        }
        if let Some(browse) = self.jira.as_ref().map(|j| &j.browse_url)
            && !is_link_template(browse)
        {
            return fail(
                "browse_url",
                format!("[jira] browse_url `{browse}` does not start with http://, https:// or /"),
                "only http(s) and site-relative links are allowed, e.g. \"https://acme.atlassian.net/browse/{key}\"",
            );
        }
        if !is_contact(&self.site.contact) {
            return fail(
                "contact",
                format!(
                    "contact `{}` is neither a mailto: address nor an http(s) URL",
                    self.site.contact
                ),
                "write it as \"mailto:sales@example.com\" or \"https://example.com/contact\"",
            );
        }
        if self.site.theme.is_empty()
            || self.site.theme.contains(['/', '\\'])
            || self.site.theme.starts_with('.')
        {
            return fail(
                "theme",
                format!("theme `{}` is not a folder name", self.site.theme),
                "name a folder under themes/, e.g. \"default\"",
            );
        }
        if !self.roadmap.today.is_empty()
            && crate::model::date::parse_iso_date(&self.roadmap.today).is_none()
        {
            return fail(
                "today",
                format!("[roadmap] today `{}` is not a date", self.roadmap.today),
                "write it as YYYY-MM-DD",
            );
        }
        if let Some(jira) = &self.jira {
            for (status, cat) in &jira.status_categories {
                if WorkCategory::from_slug(cat).is_none() {
                    return fail(
                        status,
                        format!(
                            "status `{status}` maps to `{cat}`, which is not a status category"
                        ),
                        "use one of: todo, in-progress, done",
                    );
                }
            }
        }
        Ok(())
    }

    /// Values with a length limit: (key, value, most characters).
    fn lengths(&self) -> Vec<(&'static str, &str, usize)> {
        let mut v = vec![
            ("title", self.site.title.as_str(), MAX_TITLE_CHARS),
            ("description", &self.site.description, 4 * MAX_TITLE_CHARS),
            ("base_url", &self.site.base_url, MAX_URL_CHARS),
            ("link", &self.code.link, MAX_URL_CHARS),
            ("contact", &self.site.contact, MAX_URL_CHARS),
        ];
        if let Some(j) = &self.jira {
            v.push(("browse_url", &j.browse_url, MAX_URL_CHARS));
        }
        v
    }

    /// Resolves a path from the configuration against the catalog root.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }

    /// The folder holding the capability pages and other content.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `[code] cache_dir`, resolved: where builds keep what the next one
    /// reuses (scan cache, build memos, parsed content, search terms,
    /// capability page digests, link check records, preview cards).
    pub fn cache_dir(&self) -> PathBuf {
        self.resolve(&self.code.cache_dir)
    }
}

/// A link template is empty, or starts with `http://`, `https://`, `/`,
/// `./` or `../`: its scheme is fixed before any value is put in, so no
/// `javascript:` or `data:` link can come out of it.
fn is_link_template(template: &str) -> bool {
    let t = template.trim_start();
    template.is_empty()
        || ["http://", "https://", "./", "../"]
            .iter()
            .any(|p| t.to_ascii_lowercase().starts_with(p))
        || (t.starts_with('/') && !t.starts_with("//"))
}

/// Turns a toml error into a located diagnostic, suggesting the nearest key
/// for an unknown one.
fn toml_diagnostic(e: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(path.to_path_buf(), message.clone());
    if let Some(span) = e.span() {
        let (line, col) = line_col(text, span.start);
        d = d.at(line, col);
    }
    if let Some((unknown, expected)) = parse_unknown_field(&message) {
        let suggestion = nearest(&unknown, expected.iter().map(String::as_str));
        d.message = format!("unknown key `{unknown}`");
        d.hint = Some(match suggestion {
            Some(s) => format!(
                "did you mean `{s}`? valid keys here: {}",
                expected.join(", ")
            ),
            None => format!("valid keys here: {}", expected.join(", ")),
        });
    } else {
        d.hint = Some("see the catalog.toml reference in docs/configuration.md".into());
    }
    d
}

/// toml reports an unknown key only in its message (its span is structured):
/// extracts `x` and the expected list from serde's
/// "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((unknown.to_string(), expected))
}

/// Line and column of the first line that assigns `key`, for validation errors.
fn locate_key(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let bare = trimmed.trim_start_matches('"');
        if bare.starts_with(key)
            && bare[key.len()..]
                .trim_start_matches('"')
                .trim_start()
                .starts_with('=')
        {
            return (i + 1, line.len() - trimmed.len() + 1);
        }
    }
    (1, 1)
}

/// Empty, `mailto:` with an address, or an absolute http(s) URL; no
/// spaces, quotes or angle brackets (it ends up in an `href`).
fn is_contact(contact: &str) -> bool {
    if contact.is_empty() {
        return true;
    }
    let clean = !contact
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`'));
    let rest = ["mailto:", "https://", "http://"]
        .iter()
        .find_map(|p| contact.strip_prefix(p));
    clean
        && rest.is_some_and(|r| {
            if contact.starts_with("mailto:") {
                r.split('?').next().is_some_and(|a| {
                    a.split_once('@')
                        .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'))
                })
            } else {
                r.split('/').next().is_some_and(|host| !host.is_empty())
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("catalog.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.site.theme, "default");
        assert_eq!(c.code.marker, "capability:");
        assert!(c.jira.is_none());
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let err = parse("[site]\ntitle = \"x\"\nbase_ur = \"https://a\"\n").unwrap_err();
        let d = err.diagnostic;
        assert_eq!(d.line, Some(3));
        assert_eq!(d.column, Some(1));
        assert!(d.message.contains("base_ur"), "{}", d.message);
        assert!(d.hint.unwrap().contains("did you mean `base_url`"));
    }

    #[test]
    fn unknown_key_in_nested_table() {
        let err = parse("[jira.api]\nflavor = \"cloud\"\nurl = \"https://x\"\njql = \"p = X\"\ntoken_evn = \"T\"\n").unwrap_err();
        assert_eq!(err.diagnostic.line, Some(5));
        assert!(err.diagnostic.hint.unwrap().contains("token_env"));
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(parse("[site]\nbase_url = \"catalog.example\"\n").is_err());
        for bad in [
            "sales@example.com",
            "mailto:",
            "mailto:sales",
            "ftp://x.example",
            "https://",
            "javascript:alert(1)",
            "https://a.example/\"x",
        ] {
            let toml = format!("[site]\ncontact = {}\n", toml::Value::String(bad.into()));
            let e = parse(&toml).expect_err(bad);
            assert_eq!(e.diagnostic.line, Some(2), "{bad}");
        }
        for good in [
            "mailto:sales@harbor.example",
            "mailto:sales@harbor.example?subject=Question",
            "https://harbor.example/contact",
        ] {
            let toml = format!("[site]\ncontact = \"{good}\"\n");
            assert_eq!(parse(&toml).unwrap().site.contact, good);
        }
        assert!(parse("[site]\ntheme = \"../x\"\n").is_err());
        assert!(parse("[roadmap]\ntoday = \"soon\"\n").is_err());
        assert!(parse("[code]\nlink = \"javascript:alert(1)//{path}\"\n").is_err());
        assert!(parse("[code]\nlink = \"{path}\"\n").is_err());
        assert!(parse("[code]\nlink = \"//evil.example/{path}\"\n").is_err());
        assert!(parse("[code]\nlink = \"/src/{path}\"\n").is_ok());
        let e = parse("[jira]\nbrowse_url = \"javascript:alert(1)//{key}\"\n").unwrap_err();
        assert_eq!(e.diagnostic.line, Some(2));
        assert!(parse("[jira]\nbrowse_url = \"{key}\"\n").is_err());
        let e = parse("[jira.status_categories]\n\"Open\" = \"maybe\"\n").unwrap_err();
        assert_eq!(e.diagnostic.line, Some(2));
    }

    #[test]
    fn long_values_are_refused_where_they_are() {
        let e = parse(&format!("[site]\ntitle = \"{}\"\n", "x".repeat(30_000))).unwrap_err();
        assert_eq!(e.diagnostic.line, Some(2));
        assert!(e.diagnostic.message.contains("longer than"));
        let e = parse(&format!(
            "[jira]\nbrowse_url = \"https://x/{}{{key}}\"\n",
            "a".repeat(5000)
        ))
        .unwrap_err();
        assert_eq!(e.diagnostic.line, Some(2));
    }

    #[test]
    fn unreadable_configurations_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.toml");
        std::fs::write(&path, b"[site]\ntitle = \"caf\xe9\"\n").unwrap();
        let d = Config::load(&path).unwrap_err().diagnostic;
        assert_eq!((d.line, d.column), (Some(2), Some(13)));
        assert!(d.hint.unwrap().contains("UTF-8"));
        std::fs::write(&path, vec![b'#'; MAX_CONFIG_BYTES as usize + 1]).unwrap();
        let d = Config::load(&path).unwrap_err().diagnostic;
        assert!(d.message.contains("larger than"), "{}", d.message);
        let d = Config::load(&dir.path().join("missing.toml"))
            .unwrap_err()
            .diagnostic;
        assert!(d.hint.unwrap().contains("capcat init"));
    }

    #[test]
    fn full_spec_example_parses() {
        let text = r#"
[site]
title = "Acme"
base_url = "https://catalog.acme.example"
theme = "default"
audience = "internal"
output_dir = "public"
[code]
roots = ["."]
exclude = ["**/vendor/**"]
marker = "capability:"
max_file_bytes = 1_000_000
link = "https://github.com/acme/shop/blob/{commit}/{path}#L{line}"
flag_functions = ["feature_enabled"]
cache_dir = ".capcat-cache"
[jira]
sources = ["data/jira.csv"]
browse_url = "https://acme.atlassian.net/browse/{key}"
label_prefix = "cap:"
request_types = ["Feature Request", "Idea"]
account_field = "Customer"
amount_field = "Deal Amount"
lost_field = "Lost Reason"
truth_field = "Technical Truth"
truth_prefix = "Technical truth:"
blocking_link_types = ["Blocks", "Blocker"]
dependency_link_types = ["Depends"]
date_format = ""
[jira.columns]
"Clé de ticket" = "key"
[jira.status_categories]
"Open" = "todo"
"Resolved" = "done"
[jira.api]
flavor = "cloud"
url = "https://acme.atlassian.net"
jql = "project = SHOP"
user_env = "JIRA_USER"
token_env = "JIRA_TOKEN"
[demand]
unicorn_max_accounts = 1
[search]
synonyms = [["sso", "single sign-on", "okta"], ["csv", "spreadsheet"]]
[roadmap]
today = ""
[history]
baseline = "https://catalog.acme.example/catalog.json"
max_entries = 200
"#;
        let c = parse(text).unwrap();
        let jira = c.jira.unwrap();
        assert_eq!(
            (jira.truth_field.as_str(), jira.truth_prefix.as_str()),
            ("Technical Truth", "Technical truth:")
        );
        assert_eq!(jira.dependency_link_types, ["Depends"]);
        assert_eq!(jira.api.unwrap().flavor, JiraFlavor::Cloud);
        assert_eq!(c.search.synonyms.len(), 2);
        assert_eq!(c.history.max_entries, 200);
        assert!(c.history.baseline.ends_with("/catalog.json"));
    }
}
