//! The one helper module of the integration tests: run the real binary,
//! write fixture catalogs, read output trees; [`scan`] and [`search`] hold
//! the helpers of those stages.
#![allow(dead_code)]

pub mod browser;
pub mod http;
pub mod scan;
pub mod search;

use capcat::model::CatalogDoc;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where the demo catalog lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `capcat` binary with a fixed build date, quiet progress and no Jira
/// token from the developer's environment.
pub fn capcat_command(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_capcat"));
    c.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1795219200")
        .env("CI", "true")
        .env_remove("JIRA_TOKEN");
    c
}

/// Copies the tree at `from` into `to` (created if missing), files and
/// folders only.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs `capcat` with `args` in `cwd`. After every successful `build`, the
/// catalog.json it wrote must read back and re-serialize byte for byte.
pub fn capcat(cwd: &Path, args: &[&str]) -> Output {
    let out = capcat_command(cwd)
        .args(args)
        .output()
        .expect("the capcat binary runs");
    if args.first() == Some(&"build") && out.status.success() {
        assert_catalog_json_round_trips(&built_catalog_json(cwd, args));
    }
    out
}

/// Where a `capcat build` run in `cwd` with `args` wrote catalog.json.
fn built_catalog_json(cwd: &Path, args: &[&str]) -> PathBuf {
    let flag = |name: &str| {
        args.iter()
            .position(|a| *a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| cwd.join(v))
    };
    let out = flag("--out").unwrap_or_else(|| {
        let config = flag("--config").unwrap_or_else(|| cwd.join("catalog.toml"));
        let config = capcat::config::Config::load(&config).expect("the built catalog.toml loads");
        config.resolve(&config.site.output_dir)
    });
    out.join("catalog.json")
}

/// catalog.json parses into the model and serializes to the same bytes.
pub fn assert_catalog_json_round_trips(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = CatalogDoc::from_json(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        doc.to_json() == bytes,
        "{} does not round-trip byte for byte",
        path.display()
    );
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
    for e in files_below(dir) {
        let rel = e
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

/// Every file below `dir`, sorted; symlinks are listed, never followed.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            // A symlink is listed, never followed.
            if std::fs::symlink_metadata(&p).unwrap().is_dir() {
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

/// The ids of `capcat ask --json` output, best first.
pub fn answer_ids(out: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("ask --json printed no JSON ({e}): {}", text(out)));
    v["results"]
        .as_array()
        .expect("a results array")
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// A real Jira sample from the shared data folder (`../shared/data/jira/<rel>`,
/// or `$CAPCAT_SHARED_DATA/jira/<rel>`); None, after saying so, when absent —
/// the samples hold other people's data and are never copied into the
/// repository.
pub fn jira_sample(rel: &str) -> Option<PathBuf> {
    let base = std::env::var_os("CAPCAT_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"));
    let p = base.join("jira").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping: sample {} not found (set CAPCAT_SHARED_DATA to the shared data folder)",
            p.display()
        );
        None
    }
}
