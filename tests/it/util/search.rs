//! Search helpers: small catalogs made in code for the ranking tests, and
//! the browser's ranking run under node on the same index.

use capcat::config::SearchConfig;
use capcat::model::Status;
use capcat::render::OutputFile;
use capcat::search::{Document, Index};
use std::path::Path;
use std::process::Command;

/// A capability for a test index.
pub struct Cap<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub category: &'a str,
    pub aliases: &'a [&'a str],
    pub summary: &'a str,
    pub body: &'a str,
    pub status: Status,
    pub plans: &'a [&'a str],
}

/// Test capabilities as the index sees them, sorted by id as a build sorts
/// them.
pub struct Docs {
    docs: Vec<OwnedDoc>,
}

struct OwnedDoc {
    id: String,
    title: String,
    category: String,
    aliases: Vec<String>,
    summary: String,
    body: String,
    status: Status,
    plans: Vec<String>,
    answer: String,
    url: String,
}

impl Docs {
    /// The documents of `caps`.
    pub fn new(caps: &[Cap<'_>]) -> Docs {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        let mut docs: Vec<OwnedDoc> = caps
            .iter()
            .map(|c| OwnedDoc {
                id: c.id.into(),
                title: c.title.into(),
                category: c.category.into(),
                aliases: strings(c.aliases),
                summary: c.summary.into(),
                body: c.body.into(),
                status: c.status,
                plans: strings(c.plans),
                answer: format!("{} — {}.", answer_word(c.status), c.status.label()),
                url: format!("/capabilities/{}/", c.id),
            })
            .collect();
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        Docs { docs }
    }

    /// What [`Index::build`] takes.
    pub fn documents(&self) -> Vec<Document<'_>> {
        self.docs
            .iter()
            .map(|d| Document {
                id: &d.id,
                title: &d.title,
                aliases: &d.aliases,
                redirect_from: &[],
                summary: &d.summary,
                category: &d.category,
                plans: &d.plans,
                status: d.status,
                answer: &d.answer,
                body: &d.body,
                work: Vec::new(),
                code: Vec::new(),
                url: &d.url,
            })
            .collect()
    }

    /// The index.
    pub fn index(&self, config: &SearchConfig) -> Index {
        Index::build(&self.documents(), config)
    }

    /// The index as the site's script files.
    pub fn files(&self, config: &SearchConfig) -> Vec<OutputFile> {
        capcat::render::search_index::write(&self.index(config))
    }
}

fn answer_word(s: Status) -> &'static str {
    match s {
        Status::Available => "Yes",
        Status::Beta => "Partly",
        Status::InProgress | Status::Planned => "Not yet",
        _ => "No",
    }
}

/// Writes `files` under `dir`.
pub fn write_files(dir: &Path, files: &[OutputFile]) {
    for f in files {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &f.bytes).unwrap();
    }
}

/// What the browser's code answered.
#[derive(serde::Deserialize, Debug)]
pub struct JsOut {
    pub tokens: Vec<Vec<String>>,
    pub results: Vec<Vec<(String, u64)>>,
    pub confident: Vec<bool>,
}

impl JsOut {
    /// Per query: confident, and the ranked `(id, score)`.
    pub fn ranked(&self) -> Vec<(bool, Vec<(String, u64)>)> {
        self.confident
            .iter()
            .copied()
            .zip(self.results.iter().cloned())
            .collect()
    }
}

/// Runs the browser's ranking under node on the index written in `site`.
/// None (after saying why) when node is missing outside CI; fails in CI.
pub fn js_rank(site: &Path, words: &[&str], queries: &[String]) -> Option<JsOut> {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "node is required in CI to compare the browser's ranking"
        );
        eprintln!("skipping: node is not installed, the browser's ranking is not compared");
        return None;
    }
    let req = site.join("request.json");
    let body = serde_json::json!({"words": words, "queries": queries});
    std::fs::write(&req, body.to_string()).unwrap();
    let out = Command::new("node")
        .arg(super::repo().join("tests/relevance/rank.js"))
        .arg(super::repo().join("themes/default/static/search.js"))
        .arg(site)
        .arg(&req)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("node prints JSON"))
}
