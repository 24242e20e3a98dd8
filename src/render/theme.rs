//! Themes: the embedded default theme, overridden file by file by
//! `themes/<name>/templates/*.html` and `themes/<name>/static/**` in the
//! catalog folder.

use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/static/", $name)) as &[u8])),*]
    };
}

/// Templates of the default theme, by name.
const DEFAULT_TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "index.html",
    "capability.html",
    "categories.html",
    "category.html",
    "statuses.html",
    "status.html",
    "page.html",
    "search.html",
    "404.html",
    "redirect.html",
    "roadmap.html",
    "gaps.html",
    "accounts.html",
    "account.html",
    "autopsy.html",
    "partials/autopsy_causes.html",
    "changes.html",
    "re-engage.html",
    "drift.html",
    "partials/card.html",
    "partials/pager.html",
    "partials/timeline.html",
    "partials/gaps_table.html",
    "partials/search_box.html",
    "partials/status_badge.html",
);

/// Static files of the default theme, by path under `static/`.
const DEFAULT_STATIC: &[(&str, &[u8])] = embed_static!(
    "style.css",
    "insight.css",
    "print.css",
    "search.css",
    "history.css",
    "search.js",
    "share.js",
    "favicon.svg",
);

/// A theme's templates and static files, ready to render.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// Static path → bytes (copied to `static/<path>`).
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Template names overridden by the catalog's theme folder, with their
    /// path relative to the catalog root.
    pub overridden: BTreeMap<String, PathBuf>,
}

impl Theme {
    /// Where template `name` comes from, for diagnostics: the catalog's own
    /// file when it overrides the default, else the default theme's.
    pub fn template_path(&self, name: &str) -> PathBuf {
        self.overridden
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("themes/default/templates/{name}")))
    }
}

impl Theme {
    /// The default theme with the overrides found in `<root>/themes/<name>/`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut templates: BTreeMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut statics: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        let mut overridden = BTreeMap::new();
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name == "default" {
                return Ok(Theme {
                    templates,
                    statics,
                    overridden,
                });
            }
            return Err(Diagnostic::error(
                PathBuf::from("catalog.toml"),
                format!("theme `{name}` not found"),
            )
            .with_hint(format!(
                "create {}/templates/ with the templates to override, or set theme = \"default\"",
                dir.display()
            )));
        }
        for (rel, path) in files_under(&dir.join("templates"))? {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::error(path.clone(), format!("cannot read template: {e}"))
            })?;
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            overridden.insert(rel.clone(), shown);
            templates.insert(rel, text);
        }
        for (rel, path) in files_under(&dir.join("static"))? {
            let bytes = std::fs::read(&path)
                .map_err(|e| Diagnostic::error(path.clone(), format!("cannot read: {e}")))?;
            statics.insert(rel, bytes);
        }
        Ok(Theme {
            templates,
            statics,
            overridden,
        })
    }
}

/// Every file below `dir` as (`/`-separated relative path, full path), sorted.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry
            .map_err(|e| Diagnostic::error(dir.to_path_buf(), format!("cannot read theme: {e}")))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name = rel
                .iter()
                .map(|p| p.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if !name.starts_with('.') {
                out.push((name, entry.into_path()));
            }
        }
    }
    Ok(out)
}
