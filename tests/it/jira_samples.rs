//! Every real Jira export in `../shared/data/jira/` loads, and the facts listed
//! for it in that folder's README hold. The samples are never copied into the
//! repository; each test skips with a message where the folder is absent.

use capcat::config::JiraConfig;
use capcat::diagnostics::Severity;
use capcat::jira::{
    HierarchyLevel, JiraData, LinkDirection, Settings, WorkCategory, WorkItem, load_files,
};
use std::path::{Path, PathBuf};

fn sample(rel: &str) -> Option<PathBuf> {
    crate::util::jira_sample(rel)
}

fn load_with(files: &[PathBuf], tweak: impl FnOnce(&mut JiraConfig)) -> JiraData {
    let mut cfg = JiraConfig::default();
    tweak(&mut cfg);
    let settings = Settings::from_config(&cfg, Path::new("catalog.toml")).unwrap();
    match load_files(files, &settings) {
        Ok(d) => d,
        Err(errors) => panic!(
            "load failed: {}",
            errors
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn load(files: &[PathBuf]) -> JiraData {
    load_with(files, |_| {})
}

fn item<'a>(d: &'a JiraData, key: &str) -> &'a WorkItem {
    d.items
        .iter()
        .find(|i| i.key == key)
        .unwrap_or_else(|| panic!("{key} not loaded"))
}

fn children<'a>(d: &'a JiraData, key: &str) -> Vec<&'a WorkItem> {
    d.items
        .iter()
        .filter(|i| i.parent.as_deref() == Some(key) || i.epic.as_deref() == Some(key))
        .collect()
}

fn warnings(d: &JiraData) -> Vec<String> {
    d.diagnostics
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn peris25_cloud_all_fields() {
    let Some(f) = sample("csv/cloud-all-fields_peris25-reporting-dashboard.csv") else {
        return;
    };
    let d = load(&[f]);
    assert_eq!(d.items.len(), 311);
    assert!(warnings(&d).is_empty(), "{:?}", warnings(&d));
    let cr85 = item(&d, "CR-85");
    let blocker = cr85
        .links
        .iter()
        .find(|l| l.blocks_this)
        .expect("CR-85 has a blocker");
    assert_eq!(blocker.other_key, "CR-39");
    assert_eq!(blocker.direction, LinkDirection::Inward);
    assert_eq!(blocker.link_type, "Blocks");
    assert_eq!(blocker.other_category, Some(WorkCategory::Todo));
    assert_eq!(item(&d, "CR-39").category, WorkCategory::Todo);
    // CR-39's side of the same link: it blocks CR-85, nothing blocks it through it.
    assert!(
        item(&d, "CR-39")
            .links
            .iter()
            .any(|l| l.other_key == "CR-85" && !l.blocks_this)
    );
    let epic = item(&d, "CR-121");
    assert_eq!(epic.level, HierarchyLevel::Epic);
    let kids = children(&d, "CR-121");
    assert_eq!(kids.len(), 21);
    assert!(kids.iter().all(|k| k.category != WorkCategory::Done));
    for i in d
        .items
        .iter()
        .filter(|i| i.status == "Todo" || i.status == "To Do")
    {
        assert_eq!(
            i.category,
            WorkCategory::InProgress,
            "{} ({})",
            i.key,
            i.status
        );
    }
    assert_eq!(
        d.items
            .iter()
            .filter(|i| i.level == HierarchyLevel::Epic)
            .count(),
        15
    );
    assert!(d.items.iter().all(|i| i.created.is_some()));
    assert!(d.items.iter().any(|i| i.labels.len() > 1));
    assert!(
        d.items
            .iter()
            .filter_map(|i| i.description_html.as_deref())
            .all(|h| !h.contains("<script"))
    );
}

#[test]
fn bellali_epic_progress_and_parent_ids() {
    let Some(f) = sample("csv/cloud-all-fields_bellali-agile-delivery-simulation.csv") else {
        return;
    };
    let d = load(&[f]);
    assert_eq!(d.items.len(), 68);
    let kids = children(&d, "CS4483-1");
    assert_eq!(kids.len(), 6);
    assert!(kids.iter().all(|k| k.category == WorkCategory::Done));
    let kids = children(&d, "CS4483-28");
    assert_eq!(kids.len(), 5);
    assert!(kids.iter().all(|k| k.category != WorkCategory::Done));
    let it = item(&d, "CS4483-54");
    assert_eq!(it.parent.as_deref(), Some("CS4483-28"));
    assert_eq!(item(&d, "CS4483-28").id.as_deref(), Some("10055"));
    assert!(d.items.iter().any(|i| {
        i.fix_versions
            .iter()
            .any(|v| v.name == "D1 Deliverable 1 (Project Proposal)")
    }));
    assert!(d.items.iter().any(|i| i.due.is_some()));
}

#[test]
fn codebook666_bom_without_category_column() {
    let Some(f) = sample("csv/cloud-current-fields-bom_codebook666.csv") else {
        return;
    };
    let d = load(std::slice::from_ref(&f));
    assert_eq!(d.items.len(), 20);
    assert_eq!(item(&d, "AP-28").issue_type, "Task");
    assert!(d.items.iter().all(|i| i.category == WorkCategory::Unknown));
    let w = warnings(&d);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("no status category"), "{}", w[0]);
    assert!(
        d.diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("[jira.status_categories]")
    );
    // With a map in catalog.toml the warning goes away.
    let d = load_with(&[f], |c| {
        for (s, cat) in [
            ("To Do", "todo"),
            ("In Progress", "in-progress"),
            ("Done", "done"),
        ] {
            c.status_categories.insert(s.into(), cat.into());
        }
    });
    assert!(warnings(&d).is_empty(), "{:?}", warnings(&d));
    assert_eq!(item(&d, "AP-28").category, WorkCategory::Done);
}

#[test]
fn mitsusarkar_csv_and_xml_agree() {
    let (Some(c), Some(x)) = (
        sample("csv/cloud-all-fields_mitsusarkar-jira-cloud-project.csv"),
        sample("xml/cloud-rss_mitsusarkar-jira-cloud-project.xml"),
    ) else {
        return;
    };
    let from_csv = load(&[c]);
    let from_xml = load(&[x]);
    assert_eq!(from_csv.items.len(), 19);
    assert_eq!(from_xml.items.len(), 19);
    for (a, b) in from_csv.items.iter().zip(&from_xml.items) {
        assert_eq!(a.key, b.key);
        assert_eq!(a.id, b.id, "{}", a.key);
        // Jira's XML export writes characters outside the BMP (🚧) as two
        // U+FFFD replacement characters; compare up to there.
        let cut = b.summary.find('\u{FFFD}').unwrap_or(b.summary.len());
        assert_eq!(
            &a.summary[..cut.min(a.summary.len())],
            &b.summary[..cut],
            "{}",
            a.key
        );
        assert_eq!(a.status, b.status, "{}", a.key);
        assert_eq!(a.category, b.category, "{}", a.key);
        assert_eq!(a.issue_type, b.issue_type, "{}", a.key);
        assert_eq!(a.due, b.due, "{}", a.key);
        assert_eq!(a.story_points, b.story_points, "{}", a.key);
        assert_ne!(a.category, WorkCategory::Unknown);
    }
    assert_eq!(item(&from_xml, "BD-10").due.as_deref(), Some("2025-10-05"));
}

#[test]
fn fleetbase_spanish_export() {
    let Some(f) = sample("csv/cloud-all-fields-spanish_fleetbase.csv") else {
        return;
    };
    let d = load(std::slice::from_ref(&f));
    assert_eq!(d.items.len(), 106);
    let lipu16 = item(&d, "LIPU-16");
    assert!(
        lipu16
            .links
            .iter()
            .any(|l| l.other_key == "LIPU-4" && l.blocks_this)
    );
    assert_eq!(lipu16.category, WorkCategory::Todo);
    assert_eq!(lipu16.parent.as_deref(), Some("LIPU-15"));
    assert_eq!(lipu16.created.as_deref(), Some("2025-10-15T14:32:00"));
    assert_eq!(lipu16.labels, ["Clientes", "MMS"]);
    assert_eq!(item(&d, "LIPU-4").category, WorkCategory::InProgress);
    assert!(warnings(&d).is_empty(), "{:?}", warnings(&d));
    // Nine different custom fields are all called "Department": reading one of
    // them as the account field warns instead of merging them.
    let d = load_with(&[f], |c| c.account_field = "Department".into());
    let w = warnings(&d);
    assert!(
        w.iter()
            .any(|m| m.contains("9 columns") && m.contains("Department")),
        "{w:?}"
    );
}

#[test]
fn asf_2014_server_current_fields() {
    let Some(f) = sample("csv/server-2014-asf-jira_crawler-apache-jira.csv") else {
        return;
    };
    let d = load(&[f]);
    // 101 records: 100 issues and the export's closing "Generated at … using
    // JIRA 6.2" line, which has no key and is skipped.
    assert_eq!(d.items.len(), 100);
    let it = item(&d, "HAMA-895");
    assert_eq!(it.created.as_deref(), Some("2014-03-22T07:59:00"));
    assert_eq!(it.resolution.as_deref(), Some("Fixed"));
    assert!(d.items.iter().all(|i| i.key.trim() == i.key));
    let sub = item(&d, "HIVE-1362");
    assert_eq!(sub.level, HierarchyLevel::Subtask);
    assert_eq!(sub.parent.as_deref(), Some("HIVE-33"));
    assert!(
        warnings(&d)
            .iter()
            .any(|w| w.contains("no status category"))
    );
}

#[test]
fn duplicatebugs_excel_resaved_dates() {
    let Some(f) = sample("csv/server-2017-all-fields-header-excel-resaved_duplicatebugs.csv")
    else {
        return;
    };
    let d = load(&[f]);
    assert_eq!(d.items.len(), 1);
    let it = item(&d, "A-3367");
    assert_eq!(it.created.as_deref(), Some("2017-02-16T15:26:00"));
    assert_eq!(it.updated.as_deref(), Some("2017-02-16T15:29:00"));
    assert_eq!(it.resolution, None);
}

#[test]
fn perceval_v2_pages_join_and_dedupe() {
    let (Some(p1), Some(p2), Some(fields)) = (
        sample("json/v2-search-dc-fiware_page1_perceval.json"),
        sample("json/v2-search-dc-fiware_page2_perceval.json"),
        sample("json/v2-field-dc-fiware_perceval.json"),
    ) else {
        return;
    };
    let d = load(&[p1.clone(), p2.clone(), p1.clone(), fields]);
    let keys: Vec<&str> = d.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["HELP-6041", "HELP-6042", "HELP-6043"]);
    assert!(d.items.iter().all(|i| i.category != WorkCategory::Unknown));
    assert!(d.items.iter().all(|i| {
        i.created
            .as_deref()
            .is_some_and(|c| c.ends_with("+00:00") || c.contains('+') || c.contains('-'))
    }));
}

#[test]
fn perceval_empty_page() {
    let Some(f) = sample("json/v2-search-empty_perceval.json") else {
        return;
    };
    let d = load(&[f]);
    assert!(d.items.is_empty());
    assert!(d.diagnostics.is_empty());
}

#[test]
fn metadata_lists_load_and_name_blocking_types() {
    let (Some(cats), Some(types), Some(count)) = (
        sample("json/v2-statuscategory-asf_go-jira.json"),
        sample("json/v2-issuelinktype-asf_go-jira.json"),
        sample("json/v3-approximate-count_atlassian-openapi-example.json"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("asf.csv");
    std::fs::write(
        &csv,
        "Issue key,Status,Inward issue link (Blocker)\nHAMA-1,Open,HAMA-2\nHAMA-2,Open,\n",
    )
    .unwrap();
    // No `Blocker` in [jira] blocking_link_types: the /issueLinkType list says it blocks.
    let d = load_with(&[cats, types, count, csv], |c| {
        c.blocking_link_types.clear()
    });
    assert!(item(&d, "HAMA-1").links[0].blocks_this);
    assert!(warnings(&d).iter().any(|w| w.contains("approximate-count")));
}

#[test]
fn v3_cloud_2024_page() {
    let Some(f) = sample("json/v3-search-cloud-2024_page1-of-262_pragati-py.json") else {
        return;
    };
    let d = load(&[f]);
    assert_eq!(d.items.len(), 50);
    let subtasks: Vec<&WorkItem> = d
        .items
        .iter()
        .filter(|i| i.level == HierarchyLevel::Subtask)
        .collect();
    assert_eq!(subtasks.len(), 36);
    assert!(subtasks.iter().all(|s| s.parent.is_some()));
    assert_eq!(d.items.iter().filter(|i| i.due.is_some()).count(), 25);
    let cloned = d
        .items
        .iter()
        .flat_map(|i| &i.links)
        .find(|l| l.link_type == "Cloners")
        .expect("a Cloners link");
    assert_eq!(cloned.other_key, "KAN-14");
    assert_eq!(cloned.other_category, Some(WorkCategory::Todo));
    assert!(!cloned.blocks_this);
    assert!(d.items.iter().any(|i| i.description_html.is_some()));
    assert!(d.items.iter().all(|i| i.category != WorkCategory::Unknown));
}

#[test]
fn v3_search_jql_and_removed_search_examples() {
    let (Some(jql), Some(old)) = (
        sample("json/v3-search-jql_atlassian-openapi-example.json"),
        sample("json/v3-search-removed_atlassian-openapi-example.json"),
    ) else {
        return;
    };
    let d = load(&[jql]);
    assert_eq!(d.items.len(), 1);
    let ed1 = item(&d, "ED-1");
    assert_eq!(
        ed1.description_html.as_deref(),
        Some("<p>Main order flow broken</p>")
    );
    let d = load(&[old]);
    assert_eq!(d.items.len(), 1);
    assert!(item(&d, "ED-1").description_html.is_some());
}
