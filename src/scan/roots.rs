//! `[code] roots` must point at code: a root that does not exist, or holds
//! no file capcat can read for evidence, would silently make every
//! capability "not found". Both are configuration errors naming the root
//! and the nearest existing folder.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, nearest};
use std::path::{Path, PathBuf};

/// What one `[code] roots` entry held in a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootReport {
    /// The root as configured.
    pub root: PathBuf,
    /// It exists and is a folder.
    pub exists: bool,
    /// Files walked below it.
    pub files: u64,
    /// Files in a language capcat parses (or GraphQL schemas), not skipped.
    pub sources: u64,
}

/// An error for every configured root that is not a folder, with the
/// nearest existing folder. Checked before scanning.
pub fn missing(config: &Config) -> Vec<Diagnostic> {
    config
        .code
        .roots
        .iter()
        .filter(|r| !config.resolve(r).is_dir())
        .map(|r| {
            let hint = match nearest_folder(&config.root, r) {
                Guess::Corrected(p) => format!(
                    "did you mean `{}`? roots are folders relative to catalog.toml",
                    p.display()
                ),
                Guess::Deepest(p) => format!(
                    "the nearest existing folder is `{}`; roots are folders relative to catalog.toml",
                    shown(&p)
                ),
            };
            root_error(config, r, format!("code root `{}` does not exist", r.display()))
                .with_hint(hint)
        })
        .collect()
}

/// An error for every root that held no source file in `reports`.
pub fn empty(config: &Config, reports: &[RootReport]) -> Vec<Diagnostic> {
    reports
        .iter()
        .filter(|r| r.exists && r.sources == 0)
        .map(|r| {
            root_error(
                config,
                &r.root,
                format!(
                    "code root `{}` holds no source file capcat can read ({} {} walked)",
                    r.root.display(),
                    r.files,
                    if r.files == 1 { "file" } else { "files" }
                ),
            )
            .with_hint(format!(
                "point roots at the folder holding the code: capcat reads {} and GraphQL schemas; the output folder, the scan cache and content/ are never scanned",
                language_names()
            ))
        })
        .collect()
}

fn root_error(config: &Config, root: &Path, message: String) -> Diagnostic {
    let file = config
        .path
        .strip_prefix(&config.root)
        .unwrap_or(&config.path)
        .to_path_buf();
    let d = Diagnostic::error(file, message);
    match locate_root(&config.path, root) {
        Some((line, col)) => d.at(line, col),
        None => d,
    }
}

/// Line and column of the root's string in catalog.toml.
fn locate_root(config_file: &Path, root: &Path) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(config_file).ok()?;
    let needle = format!("\"{}\"", root.display());
    let mut in_roots = false;
    for (i, line) in text.lines().enumerate() {
        let key = line.trim_start();
        if key.starts_with("roots") && key[5..].trim_start().starts_with('=') {
            in_roots = true;
        }
        if in_roots && let Some(col) = line.find(&needle) {
            return Some((i + 1, line[..col].chars().count() + 2));
        }
        if in_roots && line.contains(']') {
            in_roots = false;
        }
    }
    None
}

/// The nearest existing folder to a root that does not exist.
#[derive(Debug, PartialEq, Eq)]
enum Guess {
    /// Every missing part had a close sibling: the root as probably meant.
    Corrected(PathBuf),
    /// The deepest existing folder on the way (catalog-relative; empty is
    /// the catalog folder itself).
    Deepest(PathBuf),
}

/// Walks `root`'s parts from the catalog folder, replacing each missing
/// part by its closest sibling folder.
fn nearest_folder(catalog: &Path, root: &Path) -> Guess {
    let mut at = if root.is_absolute() {
        PathBuf::from("/")
    } else {
        catalog.to_path_buf()
    };
    let mut shown = PathBuf::new();
    let mut corrected = false;
    for part in root.iter().filter(|p| *p != "/" && *p != ".") {
        let next = at.join(part);
        if next.is_dir() || part == ".." {
            at = next;
            shown.push(part);
            continue;
        }
        let name = part.to_string_lossy();
        let folders = subfolders(&at);
        match nearest(&name, folders.iter().map(String::as_str)) {
            Some(n) => {
                at.push(n);
                shown.push(n);
                corrected = true;
            }
            None => return Guess::Deepest(shown),
        }
    }
    if corrected {
        Guess::Corrected(shown)
    } else {
        Guess::Deepest(shown)
    }
}

fn subfolders(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn shown(p: &Path) -> String {
    if p.as_os_str().is_empty() {
        ".".into()
    } else {
        p.display().to_string()
    }
}

/// `python, javascript, …`: the languages a root may hold.
fn language_names() -> String {
    let mut names: Vec<&str> = super::languages::LANGUAGES.iter().map(|l| l.name).collect();
    names.dedup();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_in_a_root_finds_the_folder_meant() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("vendor/oauthlib/oauth2")).unwrap();
        assert_eq!(
            nearest_folder(tmp.path(), Path::new("vendor/oauthlb")),
            Guess::Corrected(PathBuf::from("vendor/oauthlib"))
        );
        assert_eq!(
            nearest_folder(tmp.path(), Path::new("vendor/zzzzzzzzzzzz/x")),
            Guess::Deepest(PathBuf::from("vendor"))
        );
        assert_eq!(
            nearest_folder(tmp.path(), Path::new("qqqqqqqqqq")),
            Guess::Deepest(PathBuf::new())
        );
    }

    #[test]
    fn roots_are_located_in_catalog_toml() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("catalog.toml");
        std::fs::write(&file, "[code]\nroots = [\"src\", \"oauthlb\"]\n").unwrap();
        assert_eq!(locate_root(&file, Path::new("oauthlb")), Some((2, 18)));
    }
}
