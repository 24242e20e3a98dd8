//! The module map of docs/architecture.md holds: every stage imports only
//! from the stages before it, and `model` imports nothing else from capcat.
//! Read from the `crate::…` and `capcat::…` paths in `src/` (comments
//! ignored), so a back edge fails here before it settles in.

use crate::util::repo;
use std::collections::BTreeSet;
use std::path::Path;

/// The pipeline order: a module may use modules of a lower rank only.
const RANKS: &[(&str, u8)] = &[
    ("model", 0),
    ("diagnostics", 0),
    ("net", 0),
    ("cache_log", 0),
    ("config", 1),
    ("content", 2),
    ("scan", 2),
    ("jira", 2),
    ("catalog", 3),
    ("history", 3),
    ("view", 4),
    ("search", 5),
    ("render", 6),
    ("output", 7),
    ("pipeline", 8),
    ("serve", 9),
    ("binary", 10),
];

fn rank(module: &str) -> u8 {
    RANKS
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, r)| *r)
        .unwrap_or_else(|| panic!("module `{module}` is not in the module map; add it to docs/architecture.md and RANKS"))
}

/// The top-level module a source file belongs to.
fn module_of(rel: &Path) -> String {
    let first = rel.iter().next().unwrap().to_string_lossy().into_owned();
    match first.trim_end_matches(".rs") {
        "main" | "cli" | "cmd" => "binary".into(),
        "lib" => "lib".into(),
        m => m.to_string(),
    }
}

/// Modules a source text refers to through `crate::x` or `capcat::x`.
fn references(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for prefix in ["crate::", "capcat::"] {
            for (i, _) in line.match_indices(prefix) {
                let before = line[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let name: String = line[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_stage_imports_a_later_stage() {
    let src = repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut back_edges = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = module_of(rel);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for used in references(&text) {
            let binary_module = module == "binary" && (used == "cli" || used == "cmd");
            if used == module || binary_module {
                continue;
            }
            if rank(&used) >= rank(&module) {
                back_edges.push(format!(
                    "src/{}: `{module}` (rank {}) uses `{used}` (rank {})",
                    rel.display(),
                    rank(&module),
                    rank(&used)
                ));
            }
        }
    }
    assert!(
        back_edges.is_empty(),
        "imports against the pipeline order:\n{}",
        back_edges.join("\n")
    );
}

#[test]
fn the_check_sees_a_back_edge() {
    let text = "use crate::view::SiteView;\n// crate::render in a comment\nlet x = capcat::output::MARKER;";
    assert_eq!(
        references(text),
        BTreeSet::from(["view".to_string(), "output".to_string()])
    );
    assert!(rank("view") > rank("catalog"));
}
