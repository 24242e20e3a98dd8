//! Acceptance on a real codebase: Django 5.1.4's sdist from PyPI, with a
//! catalog (tests/fixtures/scan/django-catalog) whose pages use only paths,
//! symbols, routes and graphql matchers. Exactly the capabilities whose code
//! exists get evidence (and build as available), and every evidence line
//! holds what it names. Skipped with a message when the corpus cannot be
//! fetched (no network).

use crate::util::scan::*;
use capcat::config::Config;
use capcat::scan::{ScanOptions, ScanTarget, scan};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The corpus, fetched once per test run (the tests of this file run in
/// parallel and must not unpack it twice).
fn django() -> Option<PathBuf> {
    static CORPUS: OnceLock<Option<PathBuf>> = OnceLock::new();
    CORPUS.get_or_init(fetch_django).clone()
}

fn fetch_django() -> Option<PathBuf> {
    let corpus = repo().join("bench-corpora/django-5.1.4");
    if !corpus.join("django/__init__.py").is_file() {
        let fetched = Command::new(repo().join("benches/fetch-corpora.sh"))
            .arg("django")
            .status()
            .is_ok_and(|s| s.success());
        if !fetched {
            eprintln!(
                "skipping: Django 5.1.4 could not be fetched (run benches/fetch-corpora.sh django with network access)"
            );
            return None;
        }
    }
    Some(corpus)
}

const EXISTING: &[&str] = &[
    "admin-site",
    "flat-pages",
    "geodjango",
    "password-reset",
    "redirects",
    "rss-feeds",
    "session-login",
    "sitemaps",
];

fn catalog() -> PathBuf {
    repo().join("tests/fixtures/scan/django-catalog/catalog.toml")
}

#[test]
fn exactly_the_capabilities_whose_code_exists_have_evidence() {
    if django().is_none() {
        return;
    }
    let config = Config::load(&catalog()).unwrap();
    let (content, diags) = capcat::content::load(&config.content_dir(), &config.root);
    assert!(diags.is_empty(), "{diags:?}");
    let targets: Vec<ScanTarget> = capcat::pipeline::scan_targets(&content);
    assert_eq!(targets.len(), 13);
    let out = scan(&config, &targets, &ScanOptions::default());
    let found: Vec<&str> = out.evidence.keys().map(String::as_str).collect();
    assert_eq!(found, EXISTING);

    let symbols_of = |id: &str| -> Vec<String> {
        out.evidence[id]
            .iter()
            .filter(|e| e.kind == capcat::scan::EvidenceKind::Symbol)
            .map(|e| {
                format!(
                    "{}:{}",
                    e.path.rsplit("django-5.1.4/").next().unwrap(),
                    e.line
                )
            })
            .collect()
    };
    assert_eq!(
        symbols_of("sitemaps"),
        ["django/contrib/sitemaps/__init__.py:8"]
    );
    assert_eq!(
        symbols_of("redirects"),
        ["django/contrib/redirects/middleware.py:10"]
    );
    let reset_routes: Vec<&str> = out.evidence["password-reset"]
        .iter()
        .filter(|e| e.path.ends_with("django/contrib/auth/urls.py"))
        .filter_map(|e| e.symbol.as_deref())
        .collect();
    assert!(
        reset_routes.contains(&"/password_reset/"),
        "{reset_routes:?}"
    );
    assert!(
        reset_routes.contains(&"/reset/<uidb64>/<token>/"),
        "{reset_routes:?}"
    );

    let mut failures = Vec::new();
    for (id, list) in &out.evidence {
        failures.extend(check_lines(&config.root, "capability:", id, list));
        failures.extend(misfiled_test_evidence("django-5.1.4/", list));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let (product, test): (Vec<_>, Vec<_>) = out.evidence.values().flatten().partition(|e| !e.test);
    eprintln!(
        "Django evidence: {} lines, {} in product code, {} in tests",
        product.len() + test.len(),
        product.len(),
        test.len()
    );
}

#[test]
fn build_marks_them_available_and_the_rest_unavailable() {
    if django().is_none() {
        return;
    }
    let out_dir = tempfile::tempdir().unwrap();
    let site = out_dir.path().join("site");
    let out = crate::util::capcat(
        &repo(),
        &[
            "build",
            "--offline",
            "--config",
            catalog().to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.path().join("site/catalog.json")).unwrap())
            .unwrap();
    for cap in json["capabilities"].as_array().unwrap() {
        let id = cap["id"].as_str().unwrap();
        let expected = if EXISTING.contains(&id) {
            "available"
        } else {
            "unavailable"
        };
        assert_eq!(cap["status"], expected, "{id}");
    }
}
