//! Scan helpers: configurations and targets made in code, the inventory
//! report, and the check that every evidence line holds what it names.

pub use super::repo;
use capcat::config::Config;
use capcat::scan::report::{self, ScanFormat};
use capcat::scan::{Evidence, EvidenceKind, Matchers, ScanOptions, ScanOutput, ScanTarget};
use std::path::Path;

/// A scan with the whole inventory, and its report as `capcat scan` prints it.
pub fn scan_report(
    config: &Config,
    targets: &[ScanTarget],
    format: ScanFormat,
    options: &ScanOptions,
) -> (String, ScanOutput) {
    let out = capcat::scan::scan_with(config, targets, options, true);
    (report::render(&out, format), out)
}

/// A configuration rooted at `root` scanning `roots`, with extra `[code]` lines.
pub fn config(root: &Path, roots: &[&str], extra_code: &str) -> Config {
    let roots: Vec<String> = roots.iter().map(|r| format!("{r:?}")).collect();
    let text = format!("[code]\nroots = [{}]\n{extra_code}\n", roots.join(", "));
    let mut c = Config::parse(&text, Path::new("catalog.toml")).expect("test config parses");
    c.root = root.to_path_buf();
    c.path = root.join("catalog.toml");
    c
}

/// A target with the given matchers.
pub fn target(id: &str, f: impl FnOnce(&mut Matchers)) -> ScanTarget {
    let mut matchers = Matchers::default();
    f(&mut matchers);
    ScanTarget {
        id: id.into(),
        matchers,
    }
}

/// Strings from literals.
pub fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Acceptance 2: the file exists and its line holds the marker, symbol,
/// route, operation or flag the evidence names. Returns the failures.
pub fn check_lines(root: &Path, marker: &str, id: &str, evidence: &[Evidence]) -> Vec<String> {
    let mut failures = Vec::new();
    for e in evidence {
        let path = root.join(&e.path);
        let Ok(bytes) = std::fs::read(&path) else {
            failures.push(format!("{}: file does not exist", e.path));
            continue;
        };
        if e.kind == EvidenceKind::Path {
            if e.line != 1 {
                failures.push(format!(
                    "{}:{}: a path hit is reported at line 1",
                    e.path, e.line
                ));
            }
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let Some(line) = text.lines().nth(e.line as usize - 1) else {
            failures.push(format!("{}:{}: no such line", e.path, e.line));
            continue;
        };
        let sym = e.symbol.clone().unwrap_or_default();
        let ok = match e.kind {
            EvidenceKind::Path => true,
            EvidenceKind::Marker => line.contains(marker) && line.contains(id),
            EvidenceKind::Symbol => has_word(line, &sym),
            EvidenceKind::Route => route_on_line(line, &sym),
            EvidenceKind::Graphql => {
                let field = sym.rsplit('.').next().unwrap_or("");
                line.contains(field) || line.contains(&snake(field))
            }
            EvidenceKind::Flag => line.contains(&sym),
        };
        if !ok {
            failures.push(format!(
                "{}:{}: {} `{sym}` is not on this line: {line}",
                e.path,
                e.line,
                e.kind.as_str()
            ));
        }
    }
    failures
}

/// Product evidence (`test: false`) whose file is test code by the
/// conventions, and test evidence whose file is not. `code_root` is the
/// code root's path as evidence paths start with it (`…/django-5.1.4/`).
pub fn misfiled_test_evidence(code_root: &str, evidence: &[Evidence]) -> Vec<String> {
    let tests = capcat::scan::testcode::TestFiles::default();
    evidence
        .iter()
        .filter(|e| {
            let code_path = e.path.rsplit(code_root).next().unwrap_or(&e.path);
            tests.is_test(code_path) != e.test
        })
        .map(|e| format!("{}:{}: test is {}", e.path, e.line, e.test))
        .collect()
}

fn has_word(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        boundary(before) && boundary(after)
    })
}

/// A route's line holds one literal segment of its path, the path as
/// written under a prefix (`@router.get("/{id}")` for `/items/{id}`, `"/"`
/// for the prefix itself), or (Spring's `@PostMapping` under a class prefix)
/// a mapping annotation.
fn route_on_line(line: &str, label: &str) -> bool {
    let path = label.rsplit(' ').next().unwrap_or(label);
    let quoted = line.split(['"', '\'', '`']).skip(1).step_by(2);
    let written_under_prefix = quoted
        .map(|q| q.trim_end_matches('/'))
        .any(|q| q.is_empty() || (q.starts_with('/') && path.trim_end_matches('/').ends_with(q)));
    let literal: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with([':', '{', '<', '*', '(']))
        .collect();
    literal.iter().any(|s| line.contains(s))
        || written_under_prefix
        || line.contains("Mapping")
        || (literal.is_empty() && !line.trim().is_empty())
}

fn snake(camel: &str) -> String {
    camel
        .chars()
        .flat_map(|c| {
            if c.is_ascii_uppercase() {
                vec!['_', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect()
}
