//! Helpers shared by the end-to-end tests: run the real binary, write
//! fixture catalogs, read output trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where the demo catalog lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `capcat` with `args` in `cwd`, with a fixed build date.
pub fn capcat(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_capcat"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .env("CI", "true")
        .env_remove("JIRA_TOKEN")
        .output()
        .expect("the capcat binary runs")
}

/// stdout + stderr as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Writes `text` to `dir/rel`, creating folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Every file below `dir` as relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                files.push(p)
            }
        }
    }
    files.sort();
    files
}

/// A capability file with the given front-matter lines and body.
pub fn capability(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}\n---\n{body}\n")
}

/// A small catalog without code or Jira: three capabilities, one public.
pub fn small_catalog(dir: &Path) {
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Small\"\nbase_url = \"https://small.example\"\n",
    );
    write(
        dir,
        "content/_index.md",
        "---\ntitle: Small catalog\npublic: true\n---\nHello.\n",
    );
    write(
        dir,
        "content/capabilities/alpha.md",
        &capability(
            "title: Alpha export\nsummary: Export alpha.\ncategory: Data\npublic: true\nredirect_from: [old-alpha]",
            "Alpha body.",
        ),
    );
    write(
        dir,
        "content/capabilities/beta-thing.md",
        &capability(
            "title: Beta thing\nsummary: A beta.\ncategory: Data",
            "Beta body.",
        ),
    );
    write(
        dir,
        "content/capabilities/gamma.md",
        &capability(
            "title: Gamma\nsummary: Gamma.\ncategory: Other\nclaim: not-planned",
            "",
        ),
    );
}
