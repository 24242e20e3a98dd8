//! Mutation fuzzing of every parser that reads user input: front matter and
//! Markdown, catalog.toml, Jira CSV, REST JSON and ADF, XML, and marker
//! comments. Seeds are the repository's own fixtures (and the shared Jira
//! samples when present); each case applies random edits — byte flips,
//! syntax tokens, cuts, repeats — and must end without a panic, within a
//! time bound, and with every error located (a file and a line or a JSON
//! path).
//!
//! CI runs `CAPCAT_FUZZ_CASES` cases per parser (default 2,000); a longer
//! run is `scripts/fuzz.sh` (docs/architecture.md, "Tests"). A failing input
//! is saved under `target/fuzz-failures/` and replayed with
//! `CAPCAT_FUZZ_SEED`.

use crate::util::{jira_sample, repo};
use capcat::config::{Config, JiraConfig};
use capcat::content::{FrontMatter, front_matter, markdown};
use capcat::diagnostics::{Diagnostic, Severity};
use capcat::jira::{Settings, csv, json, markup, xml};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Longest one case may take (debug build, busy machine).
const CASE_LIMIT: Duration = Duration::from_secs(10);

fn cases() -> usize {
    std::env::var("CAPCAT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// xorshift64*: small, fast, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seed() -> u64 {
    std::env::var("CAPCAT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x005E_EDCA_7CA7_u64)
}

/// Syntax that parsers branch on, inserted at random places.
const TOKENS: &[&str] = &[
    "---\n",
    "\n",
    "\r\n",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    ",",
    "\\",
    "\0",
    "\u{feff}",
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&amp;",
    "<![CDATA[",
    "]]>",
    "*",
    "&a ",
    "*a",
    "!!binary ",
    "%YAML 1.2\n",
    "#",
    "|",
    ">-\n",
    "\t",
    "\u{2028}",
    "é",
    "𝔘",
    "capability: ",
    "(beta)",
    "1e999",
    "-1",
    "NaN",
    "9999999999999999999999",
    "null",
    "true",
    "{\"type\":\"doc\",\"content\":[",
    "\"key\":",
    "=",
    "[[",
    "]]",
    "\"\"\"",
    "0x",
    "2026-13-45",
    "HBR-1",
    "javascript:",
    "<script>",
    "```",
    "> ",
    "    ",
];

/// One random edit of `input`.
fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(32)).min(out.len());
                let piece: Vec<u8> = out[at..end].repeat(1 + rng.below(50));
                out.splice(at..at, piece);
            }
            5 => out.truncate(at),
            _ => {
                let b = rng.next() as u8;
                out.insert(at, b);
            }
        }
    }
    out
}

/// Runs `check` on `cases()` mutations of `seeds`; fails on a panic, a case
/// slower than [`CASE_LIMIT`], or a problem `check` reports.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, check: fn(&[u8]) -> Result<(), String>) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let mut rng = Rng(seed() ^ name.bytes().fold(0, |h, b| h * 31 + u64::from(b)));
    let inputs: Vec<Vec<u8>> = (0..cases())
        .map(|i| mutate(&seeds[i % seeds.len()], &mut rng))
        .collect();
    let (done, results) = mpsc::channel();
    let work = inputs.clone();
    std::thread::spawn(move || {
        for input in work {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| check(&input)));
            let outcome = outcome.unwrap_or_else(|p| {
                Err(format!(
                    "panicked: {}",
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                ))
            });
            if done.send(outcome).is_err() {
                return;
            }
        }
    });
    for (i, input) in inputs.iter().enumerate() {
        let problem = match results.recv_timeout(CASE_LIMIT) {
            Ok(Ok(())) => continue,
            Ok(Err(problem)) => problem,
            Err(_) => format!("took longer than {CASE_LIMIT:?}"),
        };
        let saved = save_failure(name, i, input);
        panic!(
            "{name}, case {i}: {problem}; input saved to {}",
            saved.display()
        );
    }
    eprintln!("{name}: {} cases", inputs.len());
}

fn save_failure(name: &str, case: usize, input: &[u8]) -> PathBuf {
    let dir = repo().join("target/fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{case}.bin"));
    std::fs::write(&path, input).unwrap();
    path
}

/// Errors name their file and a line or a JSON path.
fn located(diagnostics: &[Diagnostic]) -> Result<(), String> {
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let has_place = d.line.is_some() || d.message.contains("JSON path");
        if d.file.is_none() || !has_place {
            return Err(format!("error without a location: {d}"));
        }
    }
    Ok(())
}

fn files_under(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            out.extend(files_under(&p, ext));
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(std::fs::read(&p).unwrap());
        }
    }
    out
}

fn shared(folder: &str, ext: &str) -> Vec<Vec<u8>> {
    let Some(dir) = jira_sample(folder) else {
        return Vec::new();
    };
    files_under(&dir, ext)
        .into_iter()
        .filter(|b| b.len() < 200_000)
        .collect()
}

#[test]
fn front_matter_and_markdown() {
    let seeds = files_under(&repo().join("content"), "md");
    fuzz("front-matter", seeds, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let file = Path::new("content/capabilities/x.md");
        let split = match front_matter::split(&text, file) {
            Ok(s) => s,
            Err(d) => return located(&[d]),
        };
        if let Err(d) = front_matter::parse::<FrontMatter>(&split, file) {
            located(&[d])?;
        }
        let _ = markdown::render(split.body);
        Ok(())
    });
}

#[test]
fn catalog_toml() {
    let mut seeds = vec![std::fs::read(repo().join("catalog.toml")).unwrap()];
    seeds.extend(files_under(
        &repo().join("tests/fixtures/relevance"),
        "toml",
    ));
    seeds.push(std::fs::read(repo().join("src/cmd/init/catalog.toml")).unwrap());
    fuzz("catalog-toml", seeds, |bytes| {
        match Config::parse(&String::from_utf8_lossy(bytes), Path::new("catalog.toml")) {
            Ok(_) => Ok(()),
            Err(e) => located(&[e.diagnostic]),
        }
    });
}

fn settings() -> Settings {
    let jira = JiraConfig {
        amount_field: "Deal Amount".into(),
        lost_field: "Lost Reason".into(),
        ..JiraConfig::default()
    };
    Settings::from_config(&jira, Path::new("catalog.toml")).unwrap()
}

#[test]
fn jira_csv() {
    let mut seeds = files_under(&repo().join("tests/fixtures/demo/jira"), "csv");
    seeds.extend(files_under(&repo().join("tests/fixtures/jira"), "csv"));
    seeds.extend(shared("csv", "csv"));
    fuzz("jira-csv", seeds, |bytes| {
        match csv::parse(Path::new("export.csv"), bytes, &settings()) {
            Ok(file) => located(&file.warnings),
            Err(errors) => located(&errors),
        }
    });
}

#[test]
fn jira_json_and_adf() {
    let mut seeds = files_under(&repo().join("tests/fixtures/jira"), "json");
    seeds.extend(shared("json", "json"));
    seeds.push(
        br#"{"issues":[{"key":"HBR-1","fields":{"summary":"x","description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"a","marks":[{"type":"link","attrs":{"href":"https://x"}}]}]},{"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"b"}]}]}]}]}}}]}"#.to_vec(),
    );
    fuzz("jira-json", seeds, |bytes| {
        let path = Path::new("page.json");
        let mut meta = json::Metadata::default();
        match json::parse_document(path, bytes, &mut meta) {
            Ok(Some(doc)) => {
                let file = json::convert(&doc, &meta, &settings());
                located(&file.warnings)?;
            }
            Ok(None) => {}
            Err(d) => located(&[d])?,
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            let _ = markup::adf_to_html(&value);
            let _ = markup::adf_to_text(&value);
        }
        let _ = markup::wiki_to_html(&String::from_utf8_lossy(bytes));
        Ok(())
    });
}

#[test]
fn jira_xml() {
    let mut seeds = shared("xml", "xml");
    seeds.push(
        br#"<rss version="0.92"><channel><item><title>[HBR-1] x</title><key id="1">HBR-1</key><type>Epic</type><status>Done</status><due>Mon, 5 Oct 2025 00:00:00 +0000</due><issuelinks><issuelinktype><name>Blocks</name><inwardlinks description="is blocked by"><issuelink><issuekey>HBR-2</issuekey></issuelink></inwardlinks></issuelinktype></issuelinks></item></channel></rss>"#.to_vec(),
    );
    fuzz("jira-xml", seeds, |bytes| {
        match xml::parse(Path::new("export.xml"), bytes, &settings()) {
            Ok(file) => located(&file.warnings),
            Err(errors) => located(&errors),
        }
    });
}

#[test]
fn marker_comments() {
    let seeds: Vec<Vec<u8>> = [
        "// capability: sso-saml",
        "# capability: audit-log (beta)",
        "/* capability: a, b-c, d (beta) and capability: e */",
        "-- mycapability: not-one capability:",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    fuzz("markers", seeds, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        for m in capcat::scan::markers::find(&text, "capability:") {
            if m.ids.iter().any(|id| !capcat::model::is_slug(id)) {
                return Err(format!("a marker id that is not a slug: {:?}", m.ids));
            }
        }
        Ok(())
    });
}
