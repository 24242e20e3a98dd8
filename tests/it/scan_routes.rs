//! Mounted routes and test code (tests/fixtures/routes): a Koa app
//! (`mount("/api", api)`, `router.post(\n "x.create", auth(), handler)`), an
//! Express app (`app.use("/v1", router)`), a Flask blueprint with
//! `url_prefix` and a FastAPI `include_router(prefix=…)`, each with a test
//! calling the API through a test client. Every route resolves to its full
//! path, no test call is a route, a `routes` pattern matches the full path or
//! the literal at the definition line, and test evidence is reported apart.

use crate::util::scan::*;
use crate::util::{capcat, copy_dir, text};
use capcat::scan::{EvidenceKind, ScanOptions, ScanOutput, scan, scan_with};
use std::path::Path;

fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/routes"), tmp.path());
    tmp
}

fn load(root: &Path) -> (capcat::config::Config, Vec<capcat::scan::ScanTarget>) {
    let config = capcat::config::Config::load(&root.join("catalog.toml")).unwrap();
    let (content, diags) = capcat::content::load(&config.content_dir(), &config.root);
    assert!(diags.is_empty(), "{diags:?}");
    let targets = capcat::pipeline::scan_targets(&content);
    (config, targets)
}

fn inventory_scan(root: &Path) -> ScanOutput {
    let (config, targets) = load(root);
    scan_with(&config, &targets, &ScanOptions::default(), true)
}

#[test]
fn every_route_resolves_to_its_full_path_and_no_test_call_is_a_route() {
    let tmp = fixture();
    let out = inventory_scan(tmp.path());
    let routes: Vec<(String, u32, String)> = out
        .inventory
        .routes
        .iter()
        .map(|r| {
            let p = r.path.trim_start_matches("code/").to_string();
            (p, r.line, r.name.clone())
        })
        .collect();
    let expected = [
        ("express/routes/users.js", 8, "GET /v1/users"),
        ("express/routes/users.js", 9, "POST /v1/users"),
        ("fastapi/app/routers/items.py", 6, "GET /items/{item_id}"),
        ("fastapi/app/routers/items.py", 11, "POST /items"),
        ("flask/shop/views.py", 6, "/orders/<int:order_id>"),
        ("flask/shop/views.py", 11, "POST /orders"),
        ("koa/server/routes/api/keys.ts", 11, "POST /api/x.create"),
    ];
    let expected: Vec<(String, u32, String)> = expected
        .iter()
        .map(|(p, l, n)| (p.to_string(), *l, n.to_string()))
        .collect();
    assert_eq!(routes, expected);
    let keys = out
        .inventory
        .routes
        .iter()
        .find(|r| r.name == "POST /api/x.create")
        .unwrap();
    assert_eq!(
        keys.detail.as_deref(),
        Some("written /x.create"),
        "the literal is kept beside the full path"
    );
    // The one mount that cannot be followed: a router from a package.
    let unresolved: Vec<(String, u32, String)> = out
        .unresolved_mounts
        .iter()
        .map(|m| (m.path.clone(), m.line, m.name.clone()))
        .collect();
    assert_eq!(
        unresolved,
        [(
            "code/express/app.js".to_string(),
            7,
            "swaggerUi.serve".to_string()
        )]
    );
}

#[test]
fn routes_matcher_matches_the_full_path_or_the_literal_at_the_definition_line() {
    let tmp = fixture();
    let (config, mut targets) = load(tmp.path());
    targets.push(target("literal", |m| m.routes = s(&["x.create"])));
    targets.push(target("wrong-prefix", |m| m.routes = s(&["/v1/x.create"])));
    let out = scan(&config, &targets, &ScanOptions::default());
    for id in ["api-keys", "literal"] {
        let at: Vec<(EvidenceKind, &str, u32, bool)> = out.evidence[id]
            .iter()
            .map(|e| (e.kind, e.path.as_str(), e.line, e.test))
            .collect();
        assert_eq!(
            at,
            [(
                EvidenceKind::Route,
                "code/koa/server/routes/api/keys.ts",
                11,
                false
            )],
            "{id}"
        );
        assert_eq!(
            out.evidence[id][0].symbol.as_deref(),
            Some("POST /api/x.create")
        );
    }
    assert!(!out.evidence.contains_key("wrong-prefix"));
    // A pattern whose only literal is the mount's prefix still finds the
    // routes of the mounted file, whose lines never say `v1`.
    let prefix_only = [
        target("v1", |m| m.routes = s(&["/v1/*"])),
        target("gocardless-like", |m| m.routes = s(&["/api/*"])),
    ];
    let by_prefix = scan(&config, &prefix_only, &ScanOptions::default());
    let lines = |id: &str| -> Vec<(String, u32)> {
        by_prefix.evidence[id]
            .iter()
            .map(|e| (e.symbol.clone().unwrap_or_default(), e.line))
            .collect()
    };
    assert_eq!(
        lines("v1"),
        [
            ("GET /v1/users".to_string(), 8),
            ("POST /v1/users".to_string(), 9)
        ]
    );
    assert_eq!(
        lines("gocardless-like"),
        [("POST /api/x.create".to_string(), 11)]
    );
    let items: Vec<&str> = out.evidence["items"]
        .iter()
        .filter_map(|e| e.symbol.as_deref())
        .collect();
    assert_eq!(items, ["GET /items/{item_id}", "POST /items"]);
    let mut failures = Vec::new();
    for (id, list) in &out.evidence {
        failures.extend(check_lines(&config.root, "capability:", id, list));
        for e in list.iter().filter(|e| !e.test) {
            let tests = capcat::scan::testcode::TestFiles::default();
            let code_path = e.path.trim_start_matches("code/");
            if tests.is_test(code_path) {
                failures.push(format!("{}: product evidence in a test file", e.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn test_code_is_found_reported_apart_and_never_makes_a_capability_available() {
    let tmp = fixture();
    let (config, targets) = load(tmp.path());
    let out = scan(&config, &targets, &ScanOptions::default());
    let users: Vec<(&str, bool)> = out.evidence["users"]
        .iter()
        .filter(|e| e.kind == EvidenceKind::Path)
        .map(|e| (e.path.as_str(), e.test))
        .collect();
    assert_eq!(
        users,
        [
            ("code/express/app.js", false),
            ("code/express/routes/users.js", false),
            ("code/express/test/users.test.js", true)
        ]
    );
    let refunds: Vec<(&str, bool)> = out.evidence["refunds"]
        .iter()
        .map(|e| (e.path.as_str(), e.test))
        .collect();
    assert_eq!(refunds, [("code/flask/tests/test_orders.py", true)]);
    let miss: Vec<(&str, usize)> = out
        .misses
        .iter()
        .map(|m| (m.id.as_str(), m.in_tests))
        .collect();
    assert_eq!(miss, [("refunds", 1)], "found only in a test is a miss");

    let site = tmp.path().join("site");
    let o = capcat(
        tmp.path(),
        &["build", "--offline", "--out", site.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("catalog.json")).unwrap()).unwrap();
    let caps = json["capabilities"].as_array().unwrap();
    let cap = |id: &str| caps.iter().find(|c| c["id"] == id).unwrap().clone();
    for c in caps {
        for e in c["evidence"].as_array().into_iter().flatten() {
            assert!(e["test"].is_boolean(), "{e}");
        }
    }
    assert_eq!(cap("refunds")["status"], "unverified");
    assert_eq!(cap("users")["status"], "available");
    assert_eq!(cap("users")["why"], "Found in code: 4 places.");
    let page = std::fs::read_to_string(site.join("capabilities/users/index.html")).unwrap();
    let found = page.find("Found in code").unwrap();
    let tested = page.find("Tested in: 1 file").unwrap();
    assert!(found < tested, "product evidence comes first");
    let refunds_page =
        std::fs::read_to_string(site.join("capabilities/refunds/index.html")).unwrap();
    assert!(refunds_page.contains("Nothing in the product code."));
    assert!(refunds_page.contains("Tested in: 1 file"));
}

#[test]
fn capcat_scan_prints_product_and_test_hits_per_matcher_and_unfollowed_mounts() {
    let tmp = fixture();
    let o = capcat(tmp.path(), &["scan"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let line = |needle: &str| -> String {
        out.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle}:\n{out}"))
            .to_string()
    };
    assert!(line("users path `express/**`").ends_with("2 product, 1 test"));
    assert!(line("refunds symbol `refund_order`").ends_with("0 product, 1 test"));
    assert!(line("api-keys route `/api/x.create`").ends_with("1 product, 0 test"));
    assert!(out.contains("mounts not followed (1)"), "{out}");
    assert!(line("code/express/app.js:7").contains("/docs → swaggerUi.serve"));
    let check = capcat(tmp.path(), &["check", "--offline"]);
    let said = text(&check);
    assert!(
        said.contains(
            "symbol `refund_order` matches only test code (1 hit), nothing in the product"
        ),
        "{said}"
    );
}
