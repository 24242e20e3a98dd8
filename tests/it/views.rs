//! The internal views across capabilities on a catalog whose every fact is
//! known (`tests/fixtures/views/`): the roadmap's "might slip", "most
//! blocked" and "no date" lists, each account page and the lost-deal
//! autopsy, asserted item by item on catalog.json and on the HTML; the
//! technical truth read from CSV and REST JSON; and the public build
//! holding none of it.

use crate::util::{capcat, read_tree, repo, text};
use capcat::config::Config;
use capcat::model::insight::{AccountDoc, RootCause};
use capcat::model::{CatalogDoc, Status};
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/views";

/// A "might slip" item: id, target, risks, blocker keys, accounts, amount.
type Slip<'a> = (
    &'a str,
    String,
    Vec<String>,
    Vec<&'a str>,
    Vec<&'a str>,
    f64,
);
/// A "most blocked" item: id and (dependency key, the keys it holds up).
type Blocked<'a> = (&'a str, Vec<(&'a str, Vec<&'a str>)>);
/// An ask: request key, capability, shipped, at risk, lost.
type AskShape<'a> = (&'a str, &'a str, bool, bool, bool);
/// A root cause: capability, accounts, amount and (key, truth, ghost ids).
type Cause<'a> = (
    &'a str,
    usize,
    f64,
    Vec<(&'a str, Option<&'a str>, Vec<&'a str>)>,
);

/// Builds the fixture for `audience`; returns catalog.json and every file.
fn build(audience: &str) -> (CatalogDoc, BTreeMap<String, Vec<u8>>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(audience);
    let config = repo().join(FIXTURE).join("catalog.toml");
    let o = capcat(
        &repo(),
        &[
            "build",
            "--config",
            config.to_str().unwrap(),
            "--audience",
            audience,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let tree = read_tree(&out);
    let doc = CatalogDoc::from_json(&tree["catalog.json"]).unwrap();
    (doc, tree)
}

fn html<'t>(tree: &'t BTreeMap<String, Vec<u8>>, path: &str) -> &'t str {
    let bytes = tree
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not written"));
    std::str::from_utf8(bytes).unwrap()
}

/// The element whose opening tag carries `id="<id>"`, up to its matching
/// closing tag (same-named elements inside it are counted).
fn element<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id {id}"));
    let start = html[..at].rfind('<').unwrap();
    let name: String = html[start + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0;
    let mut i = start;
    loop {
        let next_open = html[i + 1..].find(&open).map(|p| p + i + 1);
        let next_close = html[i..].find(&close).map(|p| p + i).expect("closed");
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                i = o;
            }
            _ if depth > 0 => {
                depth -= 1;
                i = next_close + 1;
            }
            _ => return &html[start..next_close + close.len()],
        }
    }
}

/// Text of an HTML fragment: tags dropped, entities decoded, spaces collapsed.
fn words(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ids starting with `prefix`, in page order.
fn ids_in_order<'h>(html: &'h str, prefix: &str) -> Vec<&'h str> {
    let needle = format!("id=\"{prefix}");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn roadmap_might_slip_most_blocked_and_no_date() {
    let (doc, tree) = build("internal");
    let roadmap = doc
        .roadmap
        .as_ref()
        .expect("internal catalog.json has roadmap");

    let slip: Vec<Slip<'_>> = roadmap
        .might_slip
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.target.as_ref().unwrap().to_string(),
                s.risks.iter().map(ToString::to_string).collect(),
                s.blockers.iter().map(|b| b.key.as_str()).collect(),
                s.accounts.iter().map(String::as_str).collect(),
                s.amount,
            )
        })
        .collect();
    assert_eq!(
        slip,
        [
            (
                "audit-export",
                "2026-Q4".to_string(),
                vec![
                    "TRN-30: due date 2026-10-31 has passed".to_string(),
                    "TRN-30 is blocked by TRN-94, which is not done".to_string()
                ],
                vec!["TRN-94"],
                vec!["Acme Corp", "Umbrella"],
                45000.0
            ),
            (
                "pushdown-compute",
                "2027-Q1".to_string(),
                vec!["TRN-20 is blocked by TRN-90, which is not done".to_string()],
                vec!["TRN-90"],
                vec!["Globex", "Initech"],
                250000.0
            ),
        ]
    );
    let planner = &roadmap.might_slip[1].blockers[0];
    assert_eq!(
        (
            planner.summary.as_deref(),
            planner.status.as_deref(),
            planner.waits_for.as_slice()
        ),
        (
            Some("Query planner rewrite"),
            Some("In Progress"),
            &["TRN-93".to_string()][..]
        ),
        "a blocker chain: TRN-90 itself waits for TRN-93"
    );

    let blocked: Vec<Blocked<'_>> = roadmap
        .most_blocked
        .iter()
        .map(|b| {
            (
                b.id.as_str(),
                b.dependencies
                    .iter()
                    .map(|d| {
                        (
                            d.key.as_str(),
                            d.holds_up.iter().map(String::as_str).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        blocked,
        [
            (
                "pushdown-compute",
                vec![
                    ("TRN-90", vec!["TRN-20", "TRN-21"]),
                    ("TRN-91", vec!["TRN-21"])
                ]
            ),
            ("audit-export", vec![("TRN-94", vec!["TRN-30"])]),
            ("dark-mode", vec![("TRN-95", vec!["TRN-70"])]),
        ],
        "TRN-90 blocks the epic and a child: counted once; TRN-92 blocks a done child and \
         TRN-21 blocks its sibling: neither counts; TRN-96 is done"
    );
    let undated: Vec<(&str, Status)> = roadmap
        .no_date
        .iter()
        .map(|u| (u.id.as_str(), u.status))
        .collect();
    assert_eq!(
        undated,
        [
            ("dark-mode", Status::Considering),
            ("mainframe-export", Status::Considering),
            ("api-keys", Status::InProgress),
            ("usage-billing", Status::Considering),
        ]
    );
    let cap = doc.capability("pushdown-compute").unwrap();
    assert_eq!(cap.dependencies.as_ref().map(Vec::len), Some(2));

    let page = html(&tree, "roadmap/index.html");
    assert_eq!(
        ids_in_order(page, "slip-"),
        ["audit-export", "pushdown-compute"]
    );
    let audit = words(element(page, "slip-audit-export"));
    for expected in [
        "Audit log export",
        "2026-Q4",
        "Due date passed TRN-30: due date 2026-10-31 has passed",
        "Open blocker TRN-30 is blocked by TRN-94 “Legal sign-off on the export format” To Do",
        "Waiting: Acme Corp , Umbrella · 45,000 at stake",
    ] {
        assert!(audit.contains(expected), "{expected:?} not in {audit:?}");
    }
    let pushdown = words(element(page, "slip-pushdown-compute"));
    assert!(
        pushdown.contains(
            "TRN-20 is blocked by TRN-90 “Query planner rewrite” In Progress , itself waiting for TRN-93"
        ),
        "{pushdown}"
    );
    assert!(
        element(page, "slip-pushdown-compute").contains("href=\"../accounts/globex/index.html\"")
    );
    assert_eq!(
        ids_in_order(page, "blocked-"),
        ["pushdown-compute", "audit-export", "dark-mode"]
    );
    let most = words(element(page, "blocked-pushdown-compute"));
    assert!(
        most.contains("2 TRN-90 Query planner rewrite In Progress holds up TRN-20, TRN-21; itself waiting for TRN-93 TRN-91 Warehouse credentials vault To Do holds up TRN-21"),
        "{most}"
    );
    assert_eq!(
        ids_in_order(page, "undated-"),
        ["dark-mode", "mainframe-export", "api-keys", "usage-billing"]
    );
    assert!(
        words(element(page, "no-date")).starts_with("No date — do not promise 4"),
        "{}",
        words(element(page, "no-date"))
    );
    // The target filter: one choice per target plus "no date", and rows tagged with theirs.
    assert!(page.contains("for=\"target-filter-1\">2026-Q4</label>"));
    assert!(page.contains("for=\"target-filter-2\">2027-Q1</label>"));
    assert!(page.contains("for=\"target-filter-0\">No date</label>"));
    assert!(element(page, "slip-audit-export").contains("data-t=\"1\""));
    assert!(element(page, "blocked-dark-mode").contains("data-t=\"0\""));
}

fn asks(a: &AccountDoc) -> Vec<AskShape<'_>> {
    a.asks
        .iter()
        .map(|k| {
            (
                k.request.key.as_str(),
                k.capability.as_str(),
                k.shipped,
                !k.risks.is_empty(),
                k.lost,
            )
        })
        .collect()
}

#[test]
fn every_account_page() {
    let (doc, tree) = build("internal");
    let accounts = doc
        .accounts
        .as_ref()
        .expect("internal catalog.json has accounts");
    let index: Vec<(&str, &str, f64)> = accounts
        .iter()
        .map(|a| (a.name.as_str(), a.slug.as_str(), a.amount))
        .collect();
    assert_eq!(
        index,
        [
            ("Globex", "globex", 280000.0),
            ("Initech", "initech", 90000.0),
            ("Acme Corp", "acme-corp", 60000.0),
            ("Umbrella", "umbrella", 30000.0),
            ("Stark", "stark", 15000.0),
        ],
        "by amount at stake; ` acme  CORP` is Acme Corp"
    );
    let by_slug = |slug: &str| accounts.iter().find(|a| a.slug == slug).unwrap();
    let expected: [(&str, Vec<AskShape<'_>>); 5] = [
        (
            "globex",
            vec![
                ("TRN-50", "pushdown-compute", false, true, true),
                ("TRN-65", "usage-billing", false, false, true),
            ],
        ),
        (
            "initech",
            vec![
                ("TRN-51", "pushdown-compute", false, true, false),
                ("TRN-66", "usage-billing", false, false, true),
            ],
        ),
        (
            "acme-corp",
            vec![
                ("TRN-63", "okta-sso", true, false, false),
                ("TRN-60", "audit-export", false, true, false),
                ("TRN-61", "audit-export", false, true, false),
            ],
        ),
        (
            "umbrella",
            vec![
                ("TRN-62", "audit-export", false, true, false),
                ("TRN-67", "mainframe-export", false, false, true),
            ],
        ),
        ("stark", vec![("TRN-64", "okta-sso", true, false, true)]),
    ];
    for (slug, want) in &expected {
        assert_eq!(&asks(by_slug(slug)), want, "{slug}");
    }
    let okta = &by_slug("acme-corp").asks[0];
    assert_eq!(
        (okta.status, okta.answer.as_str(), okta.promise),
        (Status::Available, "Yes — available.", None)
    );
    let late = &by_slug("acme-corp").asks[1];
    assert_eq!(
        late.answer,
        "Not yet — in progress, at risk: do not promise a date."
    );
    assert_eq!(late.request.amount, Some(30000.0));

    let index_page = html(&tree, "accounts/index.html");
    assert_eq!(
        ids_in_order(index_page, "account-"),
        ["globex", "initech", "acme-corp", "umbrella", "stark"]
    );
    assert_eq!(
        words(element(index_page, "account-acme-corp")),
        "Acme Corp 3 1 2 0 60,000",
        "asks, shipped, at risk, lost, at stake"
    );
    for (slug, want) in &expected {
        let page = html(&tree, &format!("accounts/{slug}/index.html"));
        let order: Vec<String> = want
            .iter()
            .map(|(key, cap, ..)| format!("{key}-{cap}"))
            .collect();
        assert_eq!(ids_in_order(page, "ask-"), order, "{slug}");
    }
    let acme = html(&tree, "accounts/acme-corp/index.html");
    let shipped = words(element(acme, "asks-shipped"));
    assert!(shipped.starts_with("Shipped: tell them 1"), "{shipped}");
    let okta = words(element(acme, "ask-TRN-63-okta-sso"));
    assert!(
        okta.contains("Okta single sign-on Available Open deal Yes — available. Request TRN-63 Log in with Okta Amount 20,000"),
        "{okta}"
    );
    let late = element(acme, "ask-TRN-60-audit-export");
    assert!(late.contains("ask--risk"), "at-risk asks are flagged");
    assert!(
        words(late).contains("Do not promise Open deal Not yet — in progress, at risk: do not promise a date. TRN-30: due date 2026-10-31 has passed"),
        "{}",
        words(late)
    );
    let globex = html(&tree, "accounts/globex/index.html");
    let lost = words(element(globex, "ask-TRN-50-pushdown-compute"));
    assert!(
        lost.contains("Lost deal")
            && lost.contains("Stated reason Missing Snowflake connector Technical truth the connector exists; we lost because it lacks pushdown compute, so every dashboard query pulled full tables."),
        "{lost}"
    );
}

fn cause(c: &RootCause) -> Cause<'_> {
    (
        c.capability.as_str(),
        c.accounts,
        c.amount,
        c.deals
            .iter()
            .map(|d| {
                (
                    d.request.key.as_str(),
                    d.request.truth.as_deref(),
                    d.ghost.iter().map(|g| g.id.as_str()).collect(),
                )
            })
            .collect(),
    )
}

#[test]
fn autopsy_groups_by_root_cause_with_truth_and_ghosts() {
    let (doc, tree) = build("internal");
    let autopsy = doc
        .autopsy
        .as_ref()
        .expect("internal catalog.json has autopsy");
    let causes: Vec<_> = autopsy.root_causes.iter().map(cause).collect();
    const PUSHDOWN_TRUTH: &str = "the connector exists; we lost because it lacks pushdown compute, so every dashboard query pulled full tables.";
    assert_eq!(
        causes,
        [
            (
                "usage-billing",
                2,
                120000.0,
                vec![
                    (
                        "TRN-65",
                        Some("Price was fine: they needed metered billing for API calls"),
                        vec![]
                    ),
                    ("TRN-66", None, vec![]),
                ]
            ),
            (
                "pushdown-compute",
                1,
                200000.0,
                vec![("TRN-50", Some(PUSHDOWN_TRUTH), vec!["snowflake-connector"])]
            ),
            ("okta-sso", 1, 15000.0, vec![("TRN-64", None, vec![])]),
        ],
        "by lost accounts, then amount; TRN-64 names the capability it is linked to, so it is no ghost"
    );
    let unicorns: Vec<_> = autopsy.unicorns.iter().map(cause).collect();
    assert_eq!(
        unicorns,
        [(
            "mainframe-export",
            1,
            25000.0,
            vec![("TRN-67", None, vec![])]
        )]
    );
    let stated: Vec<Option<&str>> = autopsy.root_causes[0]
        .deals
        .iter()
        .map(|d| d.request.lost_reason.as_deref())
        .collect();
    assert_eq!(stated, [Some("Lost on price"), Some("Chose a competitor")]);

    let page = html(&tree, "autopsy/index.html");
    assert!(
        words(page).contains("5 lost deals, 360,000 lost."),
        "{}",
        words(page)
    );
    assert_eq!(
        ids_in_order(page, "cause-")
            .into_iter()
            .filter(|id| !id.contains("TRN-") && !id.ends_with("-title"))
            .collect::<Vec<_>>(),
        ["usage-billing", "pushdown-compute", "okta-sso"]
    );
    assert_eq!(
        ids_in_order(page, "unicorn-")
            .into_iter()
            .filter(|id| !id.contains("TRN-") && !id.ends_with("-title"))
            .collect::<Vec<_>>(),
        ["mainframe-export"]
    );
    let ghost = words(element(page, "ghost-TRN-50"));
    assert_eq!(
        ghost,
        "TRN-50 · Globex : stated “Missing Snowflake connector”, but Snowflake connector is available. Root cause: Pushdown compute ."
    );
    let deal = element(page, "cause-pushdown-compute-TRN-50");
    assert!(deal.contains("deal-row--ghost"));
    assert!(
        words(deal).contains(&format!(
            "Stated gap is not a product gap Stated reason Missing Snowflake connector Technical truth {PUSHDOWN_TRUTH}"
        )),
        "{}",
        words(deal)
    );
    let usage = words(element(page, "cause-usage-billing"));
    assert!(
        usage.starts_with("Usage-based billing Considering 2 deals, 2 accounts, 120,000 lost."),
        "{usage}"
    );
    assert!(usage.contains("Technical truth not given"), "{usage}");
    // Truth beside the stated reason on the capability and gaps pages too.
    let cap = words(html(&tree, "capabilities/usage-billing/index.html"));
    assert!(
        cap.contains("Stated: Lost on price Technical truth: Price was fine: they needed metered billing for API calls"),
        "{cap}"
    );
    let gaps = words(html(&tree, "gaps/index.html"));
    assert!(
        gaps.contains("TRN-65 (Globex) — Stated: Lost on price — Technical truth: Price was fine"),
        "{gaps}"
    );
}

#[test]
fn public_build_has_none_of_the_internal_views() {
    let (doc, tree) = build("public");
    assert!(doc.roadmap.is_none() && doc.accounts.is_none() && doc.autopsy.is_none());
    assert!(doc.capabilities.iter().all(|c| c.dependencies.is_none()));
    assert!(
        !tree
            .keys()
            .any(|p| p.starts_with("accounts/") || p.starts_with("autopsy/")),
        "{:?}",
        tree.keys().collect::<Vec<_>>()
    );
    let roadmap = html(&tree, "roadmap/index.html");
    for internal in [
        "Might slip",
        "Most blocked",
        "target-filter",
        "TRN-",
        "Globex",
    ] {
        assert!(
            !roadmap.contains(internal),
            "{internal} on the public roadmap"
        );
    }
    assert!(
        roadmap.contains("Pushdown compute") && roadmap.contains("Audit log export"),
        "the public roadmap still shows what the public may see"
    );
    let json = std::str::from_utf8(&tree["catalog.json"]).unwrap();
    for internal in [
        "\"roadmap\"",
        "\"accounts\"",
        "\"autopsy\"",
        "\"dependencies\"",
        "Lost on price",
        "metered billing for API calls",
    ] {
        assert!(
            !json.contains(internal),
            "{internal} in public catalog.json"
        );
    }
}

fn jira_config(sources: &str) -> Config {
    let root = repo().join(FIXTURE);
    let toml = format!(
        "[jira]\nsources = [{sources}]\nrequest_types = [\"Feature Request\"]\nlost_field = \"Lost Reason\"\ntruth_field = \"Technical Truth\"\ntruth_prefix = \"Technical truth:\"\n"
    );
    let mut c = Config::parse(&toml, &root.join("catalog.toml")).unwrap();
    c.root = root.clone();
    c.path = root.join("catalog.toml");
    c
}

fn truths(config: &Config) -> Vec<(String, Option<String>)> {
    let data = capcat::jira::load(config, true).unwrap();
    assert!(data.diagnostics.is_empty(), "{:?}", data.diagnostics);
    data.items
        .iter()
        .filter(|i| ["TRN-50", "TRN-65", "TRN-66"].contains(&i.key.as_str()))
        .map(|i| (i.key.clone(), i.truth.clone()))
        .collect()
}

#[test]
fn technical_truth_from_csv_and_rest_json() {
    let expected = |pushdown: &str| {
        vec![
            ("TRN-50".to_string(), Some(pushdown.to_string())),
            (
                "TRN-65".to_string(),
                Some("Price was fine: they needed metered billing for API calls".to_string()),
            ),
            ("TRN-66".to_string(), None),
        ]
    };
    // CSV: TRN-50's truth is the second of three Comment columns (a
    // multi-line comment after `date;author;`), TRN-65's the custom field
    // (its prefixed comment loses to it), TRN-66's comment has no prefix.
    assert_eq!(
        truths(&jira_config("\"jira/tern-cloud.csv\"")),
        expected(
            "the connector exists; we lost because it lacks pushdown compute, so every dashboard query pulled full tables."
        )
    );
    // REST JSON (Cloud, ADF bodies): the same from `fields.comment` and the
    // custom field named through `names`.
    assert_eq!(
        truths(&jira_config("\"jira/tern-rest-page.json\"")),
        expected("the connector exists; we lost because it lacks pushdown compute")
    );
    let csv = std::fs::read_to_string(Path::new(&repo()).join(FIXTURE).join("jira/tern-cloud.csv"))
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header.matches(",Comment").count(),
        3,
        "several Comment columns"
    );
}
