//! The catalog remembers (docs/history.md): three successive states of one
//! fixture catalog (tests/fixtures/history/v1 → v2 → v3), each built with
//! the previous build's catalog.json as baseline; `capcat diff` between
//! them; and the Atom feed read back with a real feed parser.

use crate::util::{assert_catalog_json_round_trips, capcat, capcat_command, copy_dir, repo, text};
use capcat::model::{CatalogDoc, Change, ChangeKind};
use std::path::{Path, PathBuf};
use std::process::Output;
use time::Date;
use time::macros::date;

/// The three builds of the series, in a temporary folder.
struct Series {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Series {
    fn new() -> Series {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        copy_dir(&repo().join("tests/fixtures/history"), &dir);
        Series { _tmp: tmp, dir }
    }

    /// Builds `version` on `date` into `out`, with `baseline` if given.
    fn build(&self, version: &str, day: Date, out: &str, baseline: Option<&str>) -> CatalogDoc {
        let config = format!("{version}/catalog.toml");
        let mut args = vec!["build", "--config", &config, "--out", out];
        if let Some(b) = baseline {
            args.extend(["--baseline", b]);
        }
        let o = capcat_at(&self.dir, day, &args);
        assert!(o.status.success(), "{version}: {}", text(&o));
        let json = self.dir.join(out).join("catalog.json");
        assert_catalog_json_round_trips(&json);
        CatalogDoc::from_json(&std::fs::read(json).unwrap()).unwrap()
    }

    /// v1, then v2 and v3 each with the previous build as baseline.
    fn build_all(&self) -> [CatalogDoc; 3] {
        [
            self.build("v1", date!(2026 - 06 - 01), "out1", None),
            self.build(
                "v2",
                date!(2026 - 07 - 01),
                "out2",
                Some("out1/catalog.json"),
            ),
            self.build(
                "v3",
                date!(2026 - 08 - 01),
                "out3",
                Some("out2/catalog.json"),
            ),
        ]
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// `capcat` in `cwd` with the build date `day`.
fn capcat_at(cwd: &Path, day: Date, args: &[&str]) -> Output {
    let epoch = day.midnight().assume_utc().unix_timestamp();
    capcat_command(cwd)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .args(args)
        .output()
        .unwrap()
}

fn change(day: Date, id: &str, kind: ChangeKind, from: Option<&str>, to: Option<&str>) -> Change {
    Change::new(day, id, kind).between(from.map(String::from), to.map(String::from))
}

#[test]
fn three_builds_remember_what_changed() {
    let s = Series::new();
    let [v1, v2, v3] = s.build_all();

    assert!(v1.history.is_empty(), "no baseline, no history");
    assert!(
        !s.read("out1/catalog.json").contains("\"history\""),
        "a build without a baseline writes no history key"
    );

    let jul = date!(2026 - 07 - 01);
    let v2_expected = vec![
        change(
            jul,
            "dashboards",
            ChangeKind::Renamed,
            Some("old-dashboards"),
            Some("dashboards"),
        ),
        change(
            jul,
            "exports",
            ChangeKind::TargetPulledIn,
            Some("2027-Q2"),
            Some("2027-Q1"),
        ),
        change(
            jul,
            "reports",
            ChangeKind::TargetSlipped,
            Some("2026-Q3"),
            Some("2026-Q4"),
        ),
        change(
            jul,
            "sso",
            ChangeKind::Shipped,
            Some("in-progress"),
            Some("available"),
        ),
        change(jul, "webhooks", ChangeKind::Added, None, Some("planned")).with_detail("Webhooks"),
    ];
    assert_eq!(v2.history, v2_expected);

    let aug = date!(2026 - 08 - 01);
    let v3_new = vec![
        change(
            aug,
            "reports",
            ChangeKind::TargetSlipped,
            Some("2026-Q4"),
            Some("2027-Q1"),
        ),
        change(
            aug,
            "reports",
            ChangeKind::PromiseChanged,
            Some("with-date"),
            Some("do-not-promise"),
        ),
        change(aug, "reports", ChangeKind::BlockerAdded, None, Some("LH-9")).with_detail("LH-2"),
        change(
            aug,
            "sso",
            ChangeKind::Demand,
            Some("1 account, 52,000"),
            Some("2 accounts, 82,000"),
        )
        .with_detail("new: Initrode (LH-22)"),
    ];
    let mut expected = v3_new;
    expected.extend(v2_expected);
    assert_eq!(v3.history, expected, "v3 keeps v2's entries after its own");

    // The renamed capability's old URL still redirects.
    let redirect = s.read("out3/capabilities/old-dashboards/index.html");
    assert!(
        redirect.contains("url=../dashboards/index.html"),
        "{redirect}"
    );

    // Timelines: slipped twice; shipped since the build that saw it.
    let reports = s.read("out3/capabilities/reports/index.html");
    assert!(
        reports.contains("Target: 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice"),
        "{reports}"
    );
    let sso = s.read("out3/capabilities/sso/index.html");
    assert!(sso.contains("Available since 2026-07-01"), "{sso}");
    assert!(sso.contains("Re-engage: 2 accounts to call back"), "{sso}");

    // The changes page, newest first, grouped by date.
    let page = s.read("out3/changes/index.html");
    let aug_at = page.find("id=\"day-2026-08-01\"").expect("August group");
    let jul_at = page.find("id=\"day-2026-07-01\"").expect("July group");
    assert!(aug_at < jul_at, "newest first");
    assert!(page.contains("New open blocker LH-9 on LH-2."), "{page}");
    assert!(
        page.contains("id=\"kind-target-slipped\""),
        "filter by kind"
    );

    // The re-engage list: the shipped capability's accounts, with its ship date.
    let csv = s.read("out3/re-engage.csv");
    assert_eq!(
        csv,
        "account,amount,capability,url,shipped,request key,lost reason,technical truth\n\
         Initrode,30000,Single sign-on,https://catalog.lighthouse.example/capabilities/sso/,2026-07-01,LH-22,Chose a vendor with Azure AD SSO,\n\
         Vandelay Industries,52000,Single sign-on,https://catalog.lighthouse.example/capabilities/sso/,2026-07-01,LH-21,Security review required SSO,\n"
    );
}

#[test]
fn history_is_bounded_by_max_entries() {
    let s = Series::new();
    s.build("v1", date!(2026 - 06 - 01), "out1", None);
    s.build(
        "v2",
        date!(2026 - 07 - 01),
        "out2",
        Some("out1/catalog.json"),
    );
    let toml = s.read("v3/catalog.toml") + "\n[history]\nmax_entries = 6\n";
    std::fs::write(s.dir.join("v3/catalog.toml"), toml).unwrap();
    let v3 = s.build(
        "v3",
        date!(2026 - 08 - 01),
        "out3",
        Some("out2/catalog.json"),
    );
    assert_eq!(v3.history.len(), 6);
    assert_eq!(v3.history[0].date, date!(2026 - 08 - 01));
    assert_eq!(
        v3.history[5].date,
        date!(2026 - 07 - 01),
        "the oldest go first"
    );
}

#[test]
fn diff_markdown_for_a_pull_request() {
    let s = Series::new();
    let [_, v2, _] = s.build_all();
    let o = capcat(
        &s.dir,
        &[
            "diff",
            "out1/catalog.json",
            "out2/catalog.json",
            "--format",
            "markdown",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let expected = std::fs::read_to_string(repo().join("tests/fixtures/history/v1-v2.md")).unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), expected);

    let o = capcat(
        &s.dir,
        &[
            "diff",
            "out1/catalog.json",
            "out2/catalog.json",
            "--format",
            "json",
        ],
    );
    let changes: Vec<Change> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(changes, v2.history, "diff and build see the same changes");

    let o = capcat(&s.dir, &["diff", "out1/catalog.json", "out2/catalog.json"]);
    let lines = String::from_utf8(o.stdout).unwrap();
    assert!(
        lines.contains("sso         Shipped           In progress → Available"),
        "{lines}"
    );

    for format in ["text", "markdown"] {
        let o = capcat(
            &s.dir,
            &[
                "diff",
                "out2/catalog.json",
                "out2/catalog.json",
                "--format",
                format,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(
            o.stdout.is_empty() && o.stderr.is_empty(),
            "{format}: {}",
            text(&o)
        );
    }
    let o = capcat(
        &s.dir,
        &[
            "diff",
            "out2/catalog.json",
            "out2/catalog.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "[]\n");

    let o = capcat(&s.dir, &["diff", "out1/catalog.json", "v1/jira.csv"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("not a capcat catalog.json"),
        "{}",
        text(&o)
    );
}

#[test]
fn atom_feed_parses_and_keeps_its_entry_ids() {
    let s = Series::new();
    s.build_all();
    let feed_of = |rel: &str| {
        let bytes = std::fs::read(s.dir.join(rel)).unwrap();
        feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let feed = feed_of("out3/changes.xml");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.id, "https://catalog.lighthouse.example/changes.xml");
    assert_eq!(feed.title.as_ref().unwrap().content, "Lighthouse — changes");
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2026-08-01T00:00:00+00:00",
        "updated is the newest change"
    );
    assert_eq!(feed.authors[0].name.as_deref(), Some("Lighthouse"));
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href.ends_with("/changes.xml"))
    );
    assert_eq!(feed.entries.len(), 9);
    let raw = s.read("out3/changes.xml");
    assert_eq!(raw.matches("<entry>").count(), 9);
    assert_eq!(
        raw.matches("<id>").count(),
        10,
        "the feed and every entry have an id"
    );
    assert_eq!(raw.matches("<updated>").count(), 10);
    for e in &feed.entries {
        assert!(e.id.starts_with("urn:uuid:"), "{}", e.id);
        assert!(e.title.as_ref().is_some_and(|t| !t.content.is_empty()));
        assert!(e.updated.is_some());
        assert!(e.summary.is_some());
        assert!(
            e.links[0]
                .href
                .starts_with("https://catalog.lighthouse.example/")
        );
    }
    let shipped = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Single sign-on: shipped")
        .expect("the shipped entry");
    assert_eq!(
        shipped.links[0].href,
        "https://catalog.lighthouse.example/capabilities/sso/"
    );
    assert_eq!(
        shipped.summary.as_ref().unwrap().content,
        "Became available (was in progress)."
    );

    // Entry ids never change: v2's entries have the same ids in v3's feed,
    // and rebuilding v3 gives the same feed byte for byte.
    let ids = |f: &feed_rs::model::Feed| -> Vec<String> {
        f.entries.iter().map(|e| e.id.clone()).collect()
    };
    let v2_ids = ids(&feed_of("out2/changes.xml"));
    let v3_ids = ids(&feed);
    assert_eq!(v2_ids.len(), 5);
    assert!(
        v2_ids.iter().all(|id| v3_ids.contains(id)),
        "{v2_ids:?} in {v3_ids:?}"
    );
    s.build(
        "v3",
        date!(2026 - 08 - 01),
        "out3-again",
        Some("out2/catalog.json"),
    );
    assert_eq!(s.read("out3-again/changes.xml"), raw);
    let unique: std::collections::BTreeSet<&String> = v3_ids.iter().collect();
    assert_eq!(unique.len(), v3_ids.len(), "entry ids are unique");
}

#[test]
fn init_workflow_checks_against_the_published_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let o = capcat(tmp.path(), &["init"]);
    assert!(o.status.success(), "{}", text(&o));
    let yaml = std::fs::read_to_string(tmp.path().join(".github/workflows/capcat.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    let baseline = workflow["env"]["CAPCAT_BASELINE"].as_str().unwrap();
    assert!(baseline.ends_with("/catalog.json"), "{baseline}");
    let steps = workflow["jobs"]["catalog"]["steps"].as_array().unwrap();
    let run = |needle: &str| {
        steps
            .iter()
            .find(|s| s["run"].as_str().is_some_and(|r| r.starts_with(needle)))
            .unwrap_or_else(|| panic!("no step runs {needle}"))
    };
    assert!(
        run("capcat check")
            .to_string()
            .contains("--baseline \\\"$CAPCAT_BASELINE\\\"")
    );
    assert!(run("capcat build").to_string().contains("--baseline"));
    let diff = run("capcat diff");
    assert_eq!(diff["if"], "github.event_name == 'pull_request'");
    assert!(
        diff["run"]
            .as_str()
            .unwrap()
            .ends_with("public/catalog.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"")
    );
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["if"], "github.event_name == 'push'");
    assert_eq!(deploy["steps"][0]["uses"], "actions/deploy-pages@v4");
}
