//! Helpers shared by the search tests: views built in code, and the browser's
//! ranking run under node on the same index.
#![allow(dead_code)]

use capcat::catalog::Status;
use capcat::config::Audience;
use capcat::output::OutputFile;
use capcat::view::{CapabilityView, SiteView};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A capability for a test view.
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

/// A capability view with everything internal left out.
pub fn capability(c: &Cap) -> CapabilityView {
    CapabilityView {
        id: c.id.into(),
        url: format!("/capabilities/{}/", c.id),
        title: c.title.into(),
        summary: c.summary.into(),
        category: c.category.into(),
        category_slug: capcat::view::slugify(c.category),
        aliases: c.aliases.iter().map(|s| s.to_string()).collect(),
        plans: c.plans.iter().map(|s| s.to_string()).collect(),
        redirect_from: vec![],
        status: c.status,
        status_label: c.status.label(),
        answer: format!("{} — {}.", answer_word(c.status), c.status.label()),
        why: None,
        why_details: None,
        promise: None,
        risks: None,
        target: None,
        evidence: None,
        work: None,
        demand: None,
        body_html: String::new(),
        body_text: c.body.into(),
        related: vec![],
        source: None,
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

/// A public site view of `capabilities` (sorted by id, as the build does).
pub fn site_view(mut capabilities: Vec<CapabilityView>) -> SiteView {
    capabilities.sort_by(|a, b| a.id.cmp(&b.id));
    SiteView {
        audience: Audience::Public,
        title: "Test catalog".into(),
        description: String::new(),
        base_url: String::new(),
        commit: None,
        date: "2026-11-21".into(),
        roadmap_as_of: None,
        capabilities,
        categories: vec![],
        statuses: vec![],
        home: None,
        pages: vec![],
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

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What the browser's code answered.
#[derive(serde::Deserialize, Debug)]
pub struct JsOut {
    pub tokens: Vec<Vec<String>>,
    pub results: Vec<Vec<(String, u64)>>,
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
        .arg(repo().join("tests/relevance/rank.js"))
        .arg(repo().join("themes/default/static/search.js"))
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
