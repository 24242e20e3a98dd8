//! `capcat::jira::load` on the demo export and on malformed inputs: what the
//! rest of the pipeline receives, and the errors a user sees.

use capcat::config::Config;
use capcat::jira::{HierarchyLevel, JiraData, LinkDirection, WorkCategory, WorkItem, load};
use std::path::{Path, PathBuf};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config(toml: &str, root: &Path) -> Config {
    let mut c = Config::parse(toml, &root.join("catalog.toml")).unwrap();
    c.root = root.to_path_buf();
    c.path = root.join("catalog.toml");
    c
}

const DEMO: &str = r#"
[jira]
sources = ["tests/fixtures/demo/jira/harbor-cloud.csv"]
browse_url = "https://harbor.atlassian.net/browse/{key}"
label_prefix = "cap:"
request_types = ["Feature Request"]
account_field = "Customer"
amount_field = "Deal Amount"
lost_field = "Lost Reason"
"#;

fn demo() -> JiraData {
    load(&config(DEMO, &manifest()), true).unwrap()
}

fn item<'a>(d: &'a JiraData, key: &str) -> &'a WorkItem {
    d.items
        .iter()
        .find(|i| i.key == key)
        .unwrap_or_else(|| panic!("{key} missing"))
}

fn children<'a>(d: &'a JiraData, key: &str) -> Vec<&'a WorkItem> {
    d.items
        .iter()
        .filter(|i| i.parent.as_deref() == Some(key))
        .collect()
}

fn done(items: &[&WorkItem]) -> usize {
    items
        .iter()
        .filter(|i| i.category == WorkCategory::Done)
        .count()
}

fn labelled<'a>(d: &'a JiraData, label: &str) -> Vec<&'a WorkItem> {
    d.items
        .iter()
        .filter(|i| i.labels.iter().any(|l| l == label))
        .collect()
}

#[test]
fn demo_export_loads_cleanly() {
    let d = demo();
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    assert_eq!(d.snapshot_as_of, None);
    assert!(
        d.items
            .iter()
            .all(|i| i.category != WorkCategory::Unknown && i.created.is_some())
    );
    assert!(
        d.items
            .windows(2)
            .all(|w| capcat::jira::key_order(&w[0].key, &w[1].key).is_lt())
    );
}

#[test]
fn demo_sso_epic_done_with_requests() {
    let d = demo();
    let epic = item(&d, "HBR-101");
    assert_eq!(
        (epic.level, epic.category),
        (HierarchyLevel::Epic, WorkCategory::Done)
    );
    let kids = children(&d, "HBR-101");
    assert_eq!((kids.len(), done(&kids)), (4, 4));
    let requests = labelled(&d, "cap:sso-saml");
    let accounts: Vec<&str> = requests
        .iter()
        .filter_map(|r| r.account.as_deref())
        .collect();
    assert_eq!(accounts, ["Initech", "Soylent Corp"]);
    assert_eq!(requests[0].amount, Some(84000.0));
    assert!(
        requests
            .iter()
            .all(|r| r.issue_type == "Feature Request" && r.lost_reason.is_some())
    );
}

#[test]
fn demo_scim_epic_in_progress() {
    let d = demo();
    let epic = item(&d, "HBR-120");
    assert_eq!(epic.category, WorkCategory::InProgress);
    assert_eq!(epic.fix_versions[0].name, "2027.1");
    assert_eq!(epic.due.as_deref(), Some("2027-03-15"));
    assert!(epic.labels.contains(&"cap:scim-provisioning".to_string()));
    let kids = children(&d, "HBR-120");
    assert_eq!(kids.len(), 8);
    let count = |c| kids.iter().filter(|k| k.category == c).count();
    assert_eq!(
        (
            count(WorkCategory::Done),
            count(WorkCategory::InProgress),
            count(WorkCategory::Todo)
        ),
        (3, 2, 3)
    );
    assert!(kids.iter().all(|k| k.story_points.is_some()));
    assert_eq!(labelled(&d, "cap:scim-provisioning").len(), 2);
}

#[test]
fn demo_checkout_reports_salesforce_crypto() {
    let d = demo();
    let mc = item(&d, "HBR-140");
    assert_eq!(
        (mc.category, mc.due.as_deref()),
        (WorkCategory::Todo, Some("2027-06-30"))
    );
    assert_eq!(mc.fix_versions[0].name, "2027.2");
    let kids = children(&d, "HBR-140");
    assert_eq!((kids.len(), done(&kids)), (5, 0));
    assert_eq!(labelled(&d, "cap:multi-currency-checkout").len(), 2);

    let reports = item(&d, "HBR-160");
    assert_eq!(
        (reports.category, reports.due.as_deref()),
        (WorkCategory::InProgress, Some("2026-10-31"))
    );
    let blocker = reports
        .links
        .iter()
        .find(|l| l.blocks_this)
        .expect("HBR-160 is blocked");
    assert_eq!(
        (blocker.other_key.as_str(), blocker.direction),
        ("HBR-98", LinkDirection::Inward)
    );
    assert_eq!(blocker.other_category, Some(WorkCategory::Todo));
    assert_eq!(
        item(&d, "HBR-98").summary,
        "Upgrade transactional email provider"
    );
    let kids = children(&d, "HBR-160");
    assert_eq!((kids.len(), done(&kids)), (4, 1));

    let sf = item(&d, "HBR-180");
    assert_eq!(
        (sf.category, sf.due.as_deref()),
        (WorkCategory::Todo, Some("2027-01-31"))
    );
    assert!(sf.created.as_deref().unwrap().starts_with("2026-09"));
    let kids = children(&d, "HBR-180");
    assert_eq!((kids.len(), done(&kids)), (6, 0));

    let crypto = item(&d, "HBR-200");
    assert_eq!(
        (crypto.category, crypto.resolution.as_deref()),
        (WorkCategory::Done, Some("Won't Do"))
    );
}

#[test]
fn demo_demand_only_capabilities() {
    let d = demo();
    let usage = labelled(&d, "cap:usage-based-pricing");
    let accounts: Vec<&str> = usage.iter().filter_map(|r| r.account.as_deref()).collect();
    assert_eq!(accounts, ["Globex", "Initech", "Umbrella Health"]);
    assert!(usage.iter().all(|r| r.amount.is_some()));
    assert!(usage.iter().any(|r| r.lost_reason.is_some()));
    let eu = labelled(&d, "cap:data-residency-eu");
    assert_eq!(eu.len(), 1);
    assert_eq!(
        (eu[0].account.as_deref(), eu[0].amount),
        (Some("Hooli"), Some(210000.0))
    );
    assert!(eu[0].lost_reason.is_some());
}

fn load_err(sources: &str) -> Vec<capcat::diagnostics::Diagnostic> {
    let toml = format!("[jira]\nsources = [{sources}]\n");
    load(
        &config(&toml, &manifest().join("tests/fixtures/jira")),
        true,
    )
    .unwrap_err()
}

#[test]
fn unclosed_quote_fails_with_file_and_line() {
    let e = load_err("\"unclosed-quote.csv\"");
    assert_eq!(e.len(), 1);
    assert!(e[0].file.as_ref().unwrap().ends_with("unclosed-quote.csv"));
    assert_eq!(e[0].line, Some(3));
    assert!(
        e[0].hint
            .as_deref()
            .unwrap()
            .contains("export it from Jira again")
    );
}

#[test]
fn unknown_date_fails_with_row_column_and_hint() {
    let e = load_err("\"unknown-date.csv\"");
    assert_eq!((e[0].line, e[0].column), (Some(3), Some(5)));
    assert!(
        e[0].message.contains("2026.02.15 16h37"),
        "{}",
        e[0].message
    );
    assert!(e[0].hint.as_deref().unwrap().contains("date_format"));
}

#[test]
fn unknown_date_loads_with_a_date_format() {
    let toml = "[jira]\nsources = [\"unknown-date.csv\"]\ndate_format = \"%Y.%m.%d %Hh%M\"\n";
    let d = load(&config(toml, &manifest().join("tests/fixtures/jira")), true).unwrap();
    assert_eq!(d.items[1].created.as_deref(), Some("2026-02-15T16:37:00"));
    assert_eq!(d.items[0].created.as_deref(), Some("2026-02-15T16:37:00"));
}

#[test]
fn json_that_is_not_a_search_fails_with_path() {
    let e = load_err("\"not-a-search.json\"");
    assert!(
        e[0].message.contains("not a Jira search response"),
        "{}",
        e[0].message
    );
    assert!(e[0].message.contains("`$.issues`"), "{}", e[0].message);
    let e = load_err("\"issue-without-key.json\"");
    assert!(e[0].message.contains("$.issues[1].key"), "{}", e[0].message);
    let e = load_err("\"truncated.json\"");
    assert!(e[0].message.contains("cut short"), "{}", e[0].message);
    assert_eq!(e[0].line, Some(2));
}

#[test]
fn every_bad_file_is_reported_together() {
    let e = load_err("\"unclosed-quote.csv\", \"not-a-search.json\", \"missing.csv\"");
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(e[2].message.contains("cannot read"));
}

#[test]
fn offline_reads_the_snapshot_and_its_date() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".capcat-cache")).unwrap();
    std::fs::write(
        dir.path().join(".capcat-cache/jira-snapshot.json"),
        r#"{"capcat_snapshot":{"as_of":"2026-11-20"},"issues":[{"key":"SNAP-1","fields":{"summary":"from the snapshot","status":{"name":"Open","statusCategory":{"key":"new"}}}}]}"#,
    )
    .unwrap();
    let toml = "[jira]\n[jira.api]\nflavor = \"cloud\"\nurl = \"https://x.atlassian.net\"\njql = \"project = SNAP\"\n";
    let d = load(&config(toml, dir.path()), true).unwrap();
    assert_eq!(
        d.snapshot_as_of.map(capcat::model::date::iso).as_deref(),
        Some("2026-11-20")
    );
    assert_eq!(d.items[0].key, "SNAP-1");
    let empty = tempfile::tempdir().unwrap();
    let e = load(&config(toml, empty.path()), true).unwrap_err();
    assert!(e[0].hint.as_deref().unwrap().contains("capcat jira pull"));
}

#[test]
fn no_jira_section_means_no_items() {
    let d = load(&config("", &manifest()), false).unwrap();
    assert!(d.items.is_empty());
}

/// A key is a link in the site: one that is not a Jira key is left out, with
/// a warning naming the file and row.
#[test]
fn a_row_whose_key_is_not_a_jira_key_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("export.csv"),
        "Summary,Issue key,Issue Type,Status\nGood,HBR-1,Epic,Done\nEvil,javascript:alert(778)//HBR-2,Epic,Done\n",
    )
    .unwrap();
    let data = load(
        &config("[jira]\nsources = [\"export.csv\"]\n", dir.path()),
        true,
    )
    .unwrap();
    let keys: Vec<&str> = data.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["HBR-1"]);
    let w = &data.diagnostics[0];
    assert!(w.message.contains("is not a Jira issue key"), "{w}");
    assert!(w.file.as_ref().unwrap().ends_with("export.csv"));
    assert_eq!(w.line, Some(3));
    let custom = load(
        &config(
            "[jira]\nsources = [\"export.csv\"]\nkey_pattern = \"[A-Za-z:()0-9/]+-[0-9]+\"\n",
            dir.path(),
        ),
        true,
    )
    .unwrap();
    assert_eq!(
        custom.items.len(),
        2,
        "a configured pattern admits other keys"
    );
}
