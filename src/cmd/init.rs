//! `capcat init`: scaffold a catalog in a folder without overwriting anything.

use super::{USAGE, print_err, print_out};
use crate::cli::Cli;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The files `init` creates, relative to the target folder.
const FILES: &[(&str, &str)] = &[
    ("catalog.toml", include_str!("init/catalog.toml")),
    ("content/_index.md", include_str!("init/_index.md")),
    (
        "content/capabilities/security/sso-saml.md",
        include_str!("init/sso-saml.md"),
    ),
    (
        "content/capabilities/platform/on-premise.md",
        include_str!("init/on-premise.md"),
    ),
    (
        ".github/workflows/capcat.yml",
        include_str!("init/capcat.yml"),
    ),
];

/// What `init` did.
#[derive(Debug, Default, PartialEq, Eq)]
struct InitReport {
    /// Files written.
    created: Vec<PathBuf>,
    /// Files that already existed and were left alone.
    kept: Vec<PathBuf>,
}

/// Scaffolds `dir` and says what was created and what was kept.
pub fn run(dir: &Path, cli: &Cli) -> ExitCode {
    match init(dir) {
        Ok(report) => {
            if !cli.quiet {
                print_out(&describe(dir, &report));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_err(&format!(
                "error: cannot create the catalog in {}: {e}",
                dir.display()
            ));
            ExitCode::from(USAGE)
        }
    }
}

fn describe(dir: &Path, report: &InitReport) -> String {
    let mut out = String::new();
    for p in &report.created {
        out.push_str(&format!("created {}\n", dir.join(p).display()));
    }
    for p in &report.kept {
        out.push_str(&format!(
            "kept    {} (already exists, not overwritten)\n",
            dir.join(p).display()
        ));
    }
    out.push_str(&format!("next: cd {} && capcat build\n", dir.display()));
    out
}

/// `roots` when the folder holds code: scan it all.
const ROOTS_HERE: &str = "roots = [\".\"]            # folders scanned for evidence (markers, symbols, routes, GraphQL, flags)";
/// `roots` when it holds none yet: a root without source files is an error.
const ROOTS_NONE: &str = "roots = []               # no source files here yet: list the folders holding the code, e.g. [\"src\"]";

/// A scaffold file's text for `dir`: the code roots found there, and the
/// repository capcat is installed from.
fn fill(text: &str, dir: &Path) -> String {
    let roots = if holds_source(dir) {
        ROOTS_HERE
    } else {
        ROOTS_NONE
    };
    text.replace("{roots}", roots)
        .replace("{repository}", env!("CARGO_PKG_REPOSITORY"))
}

/// True when `dir` holds a file in a language capcat reads (outside hidden
/// folders, dependencies and build output).
fn holds_source(dir: &Path) -> bool {
    let skip = ["node_modules", "vendor", "target", "public", "content"];
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || skip.contains(&name.as_ref()))
        })
        .filter_map(Result::ok)
        .take(100_000)
        .any(|e| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_file()
                && (capcat::scan::languages::for_path(&name).is_some()
                    || name.ends_with(".graphql")
                    || name.ends_with(".gql"))
        })
}

/// Creates the scaffold in `dir`; existing files are never overwritten.
fn init(dir: &Path) -> std::io::Result<InitReport> {
    let mut report = InitReport::default();
    for (rel, text) in FILES {
        let text = fill(text, dir);
        let path = dir.join(rel);
        if path.exists() {
            report.kept.push(PathBuf::from(rel));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // create_new: a file appearing meanwhile is still not overwritten.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, text.as_bytes())?;
                report.created.push(PathBuf::from(rel));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                report.kept.push(PathBuf::from(rel))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_follow_what_the_folder_holds() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("docs")).unwrap();
        std::fs::write(tmp.path().join("docs/a.md"), "# docs").unwrap();
        assert!(fill("{roots}", tmp.path()).starts_with("roots = []"));
        std::fs::create_dir_all(tmp.path().join("src")).unwrap();
        std::fs::write(tmp.path().join("src/main.go"), "package main").unwrap();
        assert!(fill("{roots}", tmp.path()).starts_with("roots = [\".\"]"));
    }

    #[test]
    fn never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("catalog.toml"), "mine").unwrap();
        let r = init(tmp.path()).unwrap();
        assert_eq!(r.kept, vec![PathBuf::from("catalog.toml")]);
        assert_eq!(r.created.len(), FILES.len() - 1);
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("catalog.toml")).unwrap(),
            "mine"
        );
        let again = init(tmp.path()).unwrap();
        assert!(again.created.is_empty());
    }
}
