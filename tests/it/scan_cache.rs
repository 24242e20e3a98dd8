//! The scan cache: a warm rebuild reads nothing, a one-file change parses
//! one file, a touch without a change parses none, and output is
//! byte-identical across runs.

use crate::util::scan::*;
use capcat::scan::report::{ScanFormat, render_json};
use capcat::scan::{EvidenceKind, ScanOptions, scan};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Copies the demo code into `to`, with mtimes an hour old (so no mtime is
/// inside the cache's racy window).
fn copy_demo(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
            set_mtime(&dest, SystemTime::now() - Duration::from_secs(3600));
        }
    }
}

fn set_mtime(path: &Path, t: SystemTime) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(t).unwrap();
}

#[test]
fn rebuild_after_one_change_parses_one_file() {
    let dir = tempfile::tempdir().unwrap();
    copy_demo(
        &repo().join("tests/fixtures/demo/code"),
        &dir.path().join("code"),
    );
    let config = config(
        dir.path(),
        &["code"],
        "flag_functions = [\"feature_enabled\"]",
    );
    let targets = [
        target("sso-saml", |m| m.symbols = s(&["SamlProvider"])),
        target("webhooks", |m| m.routes = s(&["/api/webhooks*"])),
        target("csv-export", |_| {}),
    ];
    let options = ScanOptions::default();

    let cold = scan(&config, &targets, &options);
    assert!(cold.stats.parsed >= 3, "{:?}", cold.stats);
    assert!(dir.path().join(".capcat-cache/scan.json").is_file());

    let warm = scan(&config, &targets, &options);
    assert_eq!(warm.stats.read, 0, "{:?}", warm.stats);
    assert_eq!(warm.stats.parsed, 0, "{:?}", warm.stats);
    assert_eq!(warm.evidence, cold.evidence);

    let saml = dir.path().join("code/backend/auth/saml.py");
    let text = std::fs::read_to_string(&saml).unwrap();
    std::fs::write(
        &saml,
        text.replace("class SamlProvider:", "# moved down\nclass SamlProvider:"),
    )
    .unwrap();
    let changed = scan(&config, &targets, &options);
    assert_eq!(changed.stats.parsed, 1, "{:?}", changed.stats);
    let line = |out: &capcat::scan::ScanOutput| {
        let symbol = out.evidence["sso-saml"]
            .iter()
            .find(|e| e.kind == EvidenceKind::Symbol);
        symbol.unwrap().line
    };
    assert_eq!(line(&changed), line(&cold) + 1);

    set_mtime(&saml, SystemTime::now() - Duration::from_secs(60));
    let touched = scan(&config, &targets, &options);
    assert_eq!(
        touched.stats.parsed, 0,
        "same content, new mtime: {:?}",
        touched.stats
    );
    assert_eq!(touched.evidence, changed.evidence);

    let other = [target("sso-saml", |m| {
        m.symbols = s(&["SamlProviderConfig"])
    })];
    let new_matchers = scan(&config, &other, &options);
    assert!(
        new_matchers.stats.parsed >= 1,
        "a matcher change makes the cache cold"
    );
    let symbols: Vec<_> = new_matchers.evidence["sso-saml"]
        .iter()
        .filter(|e| e.kind == EvidenceKind::Symbol)
        .map(|e| e.symbol.as_deref().unwrap())
        .collect();
    assert_eq!(symbols, ["SamlProviderConfig"]);
}

#[test]
fn no_cache_scans_cold_and_output_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        "flag_functions = [\"feature_enabled\"]\ncache_dir = {:?}",
        dir.path().display().to_string()
    );
    let config = config(
        &repo(),
        &["tests/fixtures/demo/code", "tests/fixtures/scan"],
        &extra,
    );
    let targets = [target("sso-saml", |m| m.routes = s(&["/auth/*"]))];
    let cold = ScanOptions {
        no_cache: true,
        ..ScanOptions::default()
    };
    let (a, out_a) = scan_report(&config, &targets, ScanFormat::Json, &cold);
    let (b, out_b) = scan_report(&config, &targets, ScanFormat::Json, &cold);
    assert!(out_a.stats.parsed > 0 && out_b.stats.parsed == out_a.stats.parsed);
    assert_eq!(a, b);
    let (c, warm) = scan_report(&config, &targets, ScanFormat::Json, &ScanOptions::default());
    assert_eq!(warm.stats.parsed, 0);
    assert_eq!(a, c);
    assert_eq!(render_json(&warm), c);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert!(v["inventory"]["routes"].as_array().unwrap().len() > 20);
}
