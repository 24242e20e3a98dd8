//! The public build must leak nothing internal (docs/output.md, "Audiences"): marker strings
//! planted in internal-only capabilities and internal fields (Jira keys,
//! accounts, amounts, stated reasons, technical truth, blockers and
//! dependencies) are searched for in every output file.

use crate::util::{capability, capcat, read_tree, text, write};

const SECRET_MARKERS: [&str; 6] = [
    "ZZSECRETTITLE",
    "zzsecret-id",
    "ZZSECRETSUMMARY",
    "ZZSECRETBODY",
    "ZZSECRETALIAS",
    "zzsecret-old-id",
];

/// Markers planted in the Jira export: every field the internal views show.
const JIRA_MARKERS: [&str; 10] = [
    "ZZK-",
    "ZZSECRETACCOUNT",
    "ZZSECRETREQUEST",
    "ZZSECRETSTATED",
    "ZZSECRETTRUTH",
    "ZZSECRETCOMMENT",
    "ZZSECRETBLOCKER",
    "ZZSECRETDEPENDS",
    "ZZSECRETEPIC",
    "7,777,777",
];

/// A Jira export for the public capabilities `gap` (at risk, blocked, with
/// a dependency and lost deals) and `shipped` (a lost deal's stated reason
/// names it: a ghost feature).
const JIRA_CSV: &str = "Issue key,Summary,Issue Type,Status,Status Category,Created,Due date,Labels,Parent key,Inward issue link (Blocks),Outward issue link (Depends),Custom field (Customer),Custom field (Deal Amount),Custom field (Lost Reason),Custom field (Technical Truth),Comment,Comment
ZZK-1,ZZSECRETEPIC,Epic,In Progress,In Progress,01/Jan/26 9:00 AM,31/Oct/26 12:00 AM,,,ZZK-9,,,,,,,
ZZK-2,Child,Story,To Do,To Do,01/Jan/26 9:00 AM,,,ZZK-1,,ZZK-8,,,,,,
ZZK-5,ZZSECRETREQUEST,Feature Request,To Do,To Do,01/Jan/26 9:00 AM,,cap:gap,,,,ZZSECRETACCOUNT,7777777,ZZSECRETSTATED,ZZSECRETTRUTH,,
ZZK-6,Another,Feature Request,To Do,To Do,01/Jan/26 9:00 AM,,cap:gap,,,,ZZSECRETACCOUNT two,1,ZZSECRETSTATED: missing Shipped thing,,01/Feb/26 9:00 AM;557058:ab;Call notes,01/Feb/26 9:30 AM;557058:ab;Technical truth: ZZSECRETCOMMENT
ZZK-8,ZZSECRETDEPENDS,Task,To Do,To Do,01/Jan/26 9:00 AM,,,,,,,,,,,
ZZK-9,ZZSECRETBLOCKER,Task,To Do,To Do,01/Jan/26 9:00 AM,,,,,,,,,,,
ZZK-20,Shipped epic,Epic,Done,Done,01/Jan/26 9:00 AM,,,,,,,,,,,
";

#[test]
fn public_build_contains_no_internal_capability() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Leak test\"\nbase_url = \"https://leak.example\"\n\n[jira]\nsources = [\"jira.csv\"]\nbrowse_url = \"https://leak.atlassian.net/browse/{key}\"\nrequest_types = [\"Feature Request\"]\namount_field = \"Deal Amount\"\nlost_field = \"Lost Reason\"\ntruth_field = \"Technical Truth\"\ntruth_prefix = \"Technical truth:\"\n\n[roadmap]\ntoday = \"2026-11-21\"\n",
    );
    write(dir, "jira.csv", JIRA_CSV);
    write(
        dir,
        "content/capabilities/gap.md",
        &capability(
            "title: A gap\nsummary: Public summary.\ncategory: Shared\npublic: true\njira: [ZZK-1]",
            "",
        ),
    );
    write(
        dir,
        "content/capabilities/shipped.md",
        &capability(
            "title: Shipped thing\nsummary: Shipped.\ncategory: Shared\npublic: true\njira: [ZZK-20]",
            "",
        ),
    );
    write(
        dir,
        "content/_index.md",
        "---\ntitle: Home ZZSECRETHOME\n---\nInternal home ZZSECRETHOME.\n",
    );
    write(
        dir,
        "content/internal-notes.md",
        "---\ntitle: Notes ZZSECRETPAGE\n---\nZZSECRETPAGE\n",
    );
    write(
        dir,
        "content/capabilities/open.md",
        &capability(
            "title: Open thing\nsummary: Public summary.\ncategory: Shared\npublic: true\nclaim: deprecated",
            "Public body.",
        ),
    );
    write(
        dir,
        "content/capabilities/zzsecret-id.md",
        &capability(
            "title: ZZSECRETTITLE\nsummary: ZZSECRETSUMMARY\ncategory: Shared\naliases: [ZZSECRETALIAS]\nredirect_from: [zzsecret-old-id]\nrelated: [open]",
            "ZZSECRETBODY",
        ),
    );
    write(
        dir,
        "content/capabilities/cat-secret.md",
        &capability(
            "title: Another\nsummary: Another.\ncategory: ZZSECRETCATEGORY",
            "",
        ),
    );
    let o = capcat(dir, &["build", "--audience", "public", "--out", "site"]);
    assert!(o.status.success(), "{}", text(&o));
    let tree = read_tree(&dir.join("site"));
    assert!(tree.contains_key("capabilities/open/index.html"));
    assert!(tree.contains_key("roadmap/index.html"));
    assert!(
        !tree.contains_key("gaps/index.html"),
        "the gaps page is internal"
    );
    for internal_page in ["accounts/", "autopsy/"] {
        assert!(
            !tree.keys().any(|p| p.starts_with(internal_page)),
            "{internal_page} pages are internal"
        );
    }
    let mut markers: Vec<&str> = SECRET_MARKERS.to_vec();
    markers.extend(["ZZSECRETHOME", "ZZSECRETPAGE", "ZZSECRETCATEGORY"]);
    markers.extend(JIRA_MARKERS);
    for (path, bytes) in &tree {
        let s = String::from_utf8_lossy(bytes);
        for m in &markers {
            assert!(!s.contains(m), "{m} leaked into {path}");
        }
    }
    let json: serde_json::Value = serde_json::from_slice(&tree["catalog.json"]).unwrap();
    for cap in json["capabilities"].as_array().unwrap() {
        for field in ["evidence", "work", "demand", "risks", "why", "dependencies"] {
            assert!(
                cap.get(field).is_none(),
                "{field} must be absent in public catalog.json"
            );
        }
    }
    for section in ["roadmap", "accounts", "autopsy"] {
        assert!(
            json.get(section).is_none(),
            "{section} must be absent in public catalog.json"
        );
    }
    assert_eq!(json["site"]["audience"], "public");

    let o = capcat(
        dir,
        &["build", "--audience", "internal", "--out", "site-internal"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let internal = read_tree(&dir.join("site-internal"));
    for page in ["accounts/index.html", "autopsy/index.html"] {
        assert!(internal.contains_key(page), "the internal build has {page}");
    }
    let autopsy = String::from_utf8_lossy(&internal["autopsy/index.html"]);
    assert!(
        autopsy.contains("Stated gap is not a product gap"),
        "the ghost feature is planted"
    );
    let all: String = internal
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for m in markers {
        assert!(
            all.contains(m),
            "the internal build shows {m} (so the public test is meaningful)"
        );
    }
}

/// Planted in demand, lost-deal notes and Jira keys of a public capability
/// that ships between two builds: the internal changes page, feed and
/// re-engage list show them; the public build shows the ship and nothing else.
const DEMAND_MARKERS: [&str; 4] = ["ZZSECRETACCOUNT", "ZZSECRETLOSS", "ZZLEAK-", "987,654"];

#[test]
fn public_history_and_re_engage_leak_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Leak test\"\nbase_url = \"https://leak.example\"\n\n\
         [jira]\nsources = [\"jira.csv\"]\nbrowse_url = \"https://jira.example/browse/{key}\"\n\
         request_types = [\"Feature Request\"]\naccount_field = \"Customer\"\n\
         amount_field = \"Deal Amount\"\nlost_field = \"Lost Reason\"\n\n\
         [roadmap]\ntoday = \"2026-05-01\"\n",
    );
    write(
        dir,
        "content/capabilities/shipping.md",
        &capability(
            "title: Shipping soon\nsummary: Ships.\ncategory: Shared\npublic: true\njira: [ZZLEAK-1]",
            "",
        ),
    );
    // The request arrives with the ship, so the internal history has a demand change.
    let jira = |status: &str, blocker: &str| {
        let ask = match status {
            "Done" => {
                "Ask,ZZLEAK-2,Feature Request,To Do,To Do,,cap:shipping,,ZZSECRETACCOUNT,\"987,654\",ZZSECRETLOSS\n"
            }
            _ => "",
        };
        format!(
            "Summary,Issue key,Issue Type,Status,Status Category,Due date,Labels,Inward issue link (Blocks),Custom field (Customer),Custom field (Deal Amount),Custom field (Lost Reason)\n\
             Epic,ZZLEAK-1,Epic,{status},{status},2026-09-30,,{blocker},,,\n\
             Blocker,ZZLEAK-9,Task,To Do,To Do,,,,,,\n{ask}"
        )
    };
    for audience in ["public", "internal"] {
        write(dir, "jira.csv", &jira("In Progress", "ZZLEAK-9"));
        let before = format!("{audience}-before");
        let o = capcat(dir, &["build", "--audience", audience, "--out", &before]);
        assert!(o.status.success(), "{}", text(&o));
        write(dir, "jira.csv", &jira("Done", ""));
        let baseline = format!("{before}/catalog.json");
        let o = capcat(
            dir,
            &[
                "build",
                "--audience",
                audience,
                "--out",
                audience,
                "--baseline",
                &baseline,
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    let public = read_tree(&dir.join("public"));
    assert!(!public.contains_key("re-engage/index.html"));
    assert!(!public.contains_key("re-engage.csv"));
    let changes = String::from_utf8_lossy(&public["changes/index.html"]);
    assert!(changes.contains("Became available"), "{changes}");
    for (path, bytes) in &public {
        let s = String::from_utf8_lossy(bytes);
        for m in DEMAND_MARKERS {
            assert!(!s.contains(m), "{m} leaked into public {path}");
        }
        if path.ends_with(".html") {
            assert!(
                !s.contains("re-engage/"),
                "public {path} links the re-engage list"
            );
        }
    }
    let internal = read_tree(&dir.join("internal"));
    for file in [
        "re-engage.csv",
        "re-engage/index.html",
        "changes/index.html",
        "changes.xml",
    ] {
        let s = String::from_utf8_lossy(&internal[file]);
        assert!(
            s.contains("ZZSECRETACCOUNT"),
            "internal {file} shows the account: {s}"
        );
    }
    let csv = String::from_utf8_lossy(&internal["re-engage.csv"]);
    assert!(
        csv.contains("ZZSECRETLOSS") && csv.contains("987654"),
        "{csv}"
    );
    let feed = String::from_utf8_lossy(&internal["changes.xml"]);
    assert!(
        feed.contains("Blocker ZZLEAK-9 on ZZLEAK-1 cleared."),
        "{feed}"
    );
}
