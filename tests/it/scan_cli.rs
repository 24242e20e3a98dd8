//! `capcat scan` run as a binary: the demo catalog's inventory in JSON and
//! text, and unknown marker ids reported with a page stub.

use crate::util::scan::*;

fn capcat(args: &[&str]) -> std::process::Output {
    crate::util::capcat(&repo(), args)
}

#[test]
fn demo_inventory_as_json() {
    let config = repo().join("catalog.toml");
    let out = capcat(&[
        "scan",
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
        "--no-cache",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let saml = v["evidence"]["sso-saml"]
        .as_array()
        .expect("sso-saml has evidence");
    assert!(saml.iter().any(|e| e["kind"] == "marker"
        && e["path"] == "tests/fixtures/demo/code/backend/auth/saml.py"
        && e["symbol"] == "SamlProvider"));
    let routes: Vec<&str> = v["inventory"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for r in [
        "/auth/saml/login",
        "POST /api/subscriptions",
        "GET /reports/:id/export.csv",
        "POST /api/webhooks",
    ] {
        assert!(routes.contains(&r), "{r} missing from {routes:?}");
    }
    for item in v["inventory"]["markers"].as_array().unwrap() {
        assert!(repo().join(item["path"].as_str().unwrap()).is_file());
    }
    assert!(
        !v["evidence"]
            .as_object()
            .unwrap()
            .contains_key("offline-mobile")
    );
}

#[test]
fn demo_inventory_as_text() {
    let config = repo().join("catalog.toml");
    let out = capcat(&["scan", "--config", config.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("feature flags (3)"), "{text}");
    assert!(
        text.contains("tests/fixtures/demo/code/web/server/notify/slack.ts:13 slack-notifications  [variation]  → slack-notifications"),
        "{text}"
    );
}

#[test]
fn unknown_marker_warns_with_a_stub_and_missing_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("catalog.toml"),
        "[code]\nroots = [\"src\"]\n",
    )
    .unwrap();
    let caps = dir.path().join("content/capabilities");
    std::fs::create_dir_all(&caps).unwrap();
    std::fs::write(
        caps.join("csv-export.md"),
        "---\ntitle: CSV export\nsummary: Export reports.\ncategory: Reports\n---\nExport.\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/export.py"),
        "# capability: csv-exprot\ndef export():\n    pass\n",
    )
    .unwrap();
    let config = dir.path().join("catalog.toml");
    let out = capcat(&["scan", "--config", config.to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("src/export.py:1: warning: marker names unknown capability `csv-exprot`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `csv-export`?"), "{stderr}");
    assert!(
        stderr.contains("content/capabilities/csv-exprot.md"),
        "{stderr}"
    );
    let missing = capcat(&[
        "scan",
        "--config",
        dir.path().join("nope.toml").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
}
