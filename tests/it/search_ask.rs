//! `capcat ask` end to end, with the real binary on the demo catalog.

use crate::util::{answer_ids, capcat, repo};
use serde_json::Value;
use std::process::Output;

fn ask(args: &[&str]) -> Output {
    capcat(&repo(), &[&["ask"], args].concat())
}

#[test]
fn json_answer_is_ranked_like_the_site() {
    let out = ask(&["--json", "--offline", "can we export reports to CSV?"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["query"], "can we export reports to CSV?");
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty() && results.len() <= 5);
    let first = &results[0];
    assert_eq!(first["id"], "csv-export");
    assert_eq!(first["title"], "Export reports to CSV");
    for key in ["status", "answer", "url"] {
        assert!(first[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .ends_with("/capabilities/csv-export/")
    );
    let scores: Vec<u64> = results
        .iter()
        .map(|r| r["score"].as_u64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[test]
fn text_answer_and_limit() {
    let out = ask(&["--limit", "1", "--offline", "does it do SSO with Okta?"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("1. Single sign-on (SAML 2.0) ["), "{text}");
    assert!(!text.contains("\n2. "), "one result: {text}");
}

#[test]
fn no_match_says_so() {
    let out = ask(&["--offline", "zzzz qqqq"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("No capability in the catalog matches \"zzzz qqqq\"")
    );
}

#[test]
fn public_audience_hides_internal_capabilities() {
    // scim-provisioning is internal in the demo catalog.
    let internal = ask(&[
        "--json",
        "--offline",
        "--audience",
        "internal",
        "scim provisioning",
    ]);
    let public = ask(&[
        "--json",
        "--offline",
        "--audience",
        "public",
        "scim provisioning",
    ]);
    let ids = answer_ids;
    assert_eq!(
        ids(&internal).first().map(String::as_str),
        Some("scim-provisioning")
    );
    assert!(!ids(&public).contains(&"scim-provisioning".to_string()));
}

#[test]
fn missing_config_is_a_usage_error() {
    let out = ask(&["--config", "no/such/catalog.toml", "anything"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/catalog.toml"));
}

#[test]
fn a_question_without_words_is_a_usage_error() {
    for q in ["", "   ", "?!", " … "] {
        let out = ask(&["--offline", q]);
        assert_eq!(out.status.code(), Some(2), "`{q}`");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no words"),
            "`{q}`"
        );
    }
}

#[test]
fn an_unanswerable_question_is_not_confident() {
    let out = ask(&["--offline", "Are you HIPAA compliant?"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("No capability in the catalog matches \"HIPAA\"."),
        "{text}"
    );
    assert!(
        text.contains("Ask us: mailto:sales@harbor.example"),
        "{text}"
    );
    let out = ask(&["--offline", "--json", "--audience", "public", "scim"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["confident"], false, "{v}");
    let first = &v["results"][0];
    assert_eq!(first["id"], "sso-saml", "the closest match is still shown");
    assert_eq!(first["match"], "scim: not-included exact");
    let out = ask(&["--offline", "--json", "does it do SSO with Okta?"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["confident"], true, "{v}");
    let how = v["results"][0]["match"].as_str().unwrap();
    assert!(how.starts_with("sso: alias exact; okta: "), "{how}");
}
