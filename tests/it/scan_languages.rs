//! Real-code fixtures in every supported language (tests/fixtures/scan):
//! markers only in comments, whole-name symbols, and each built-in detector.

use crate::util::scan::*;
use capcat::scan::report::ScanFormat;
use capcat::scan::{EvidenceKind, ScanOptions, ScanOutput, ScanTarget, scan};
use std::collections::BTreeSet;

const LANGS: &[&str] = &[
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "java",
    "ruby",
    "rust",
];

fn targets() -> Vec<ScanTarget> {
    let mut t = Vec::new();
    for lang in LANGS {
        t.push(target(&format!("{lang}-marker"), |_| {}));
        t.push(target(&format!("{lang}-string"), |_| {}));
    }
    t.push(target("sso", |m| m.symbols = s(&["Sso"])));
    t.push(target("refunds", |m| m.routes = s(&["/orders/*/refund/"])));
    t
}

fn run(inventory: bool) -> ScanOutput {
    let cache = tempfile::tempdir().unwrap();
    let extra = format!("cache_dir = {:?}", cache.path().display().to_string());
    let config = config(&repo(), &["tests/fixtures/scan"], &extra);
    let options = ScanOptions::default();
    if inventory {
        scan_report(&config, &targets(), ScanFormat::Json, &options).1
    } else {
        scan(&config, &targets(), &options)
    }
}

fn short(path: &str) -> String {
    path.trim_start_matches("tests/fixtures/scan/").to_string()
}

#[test]
fn markers_only_in_comments_in_every_language() {
    let out = run(false);
    for lang in LANGS {
        let id = format!("{lang}-marker");
        let list = out
            .evidence
            .get(&id)
            .unwrap_or_else(|| panic!("no marker for {lang}"));
        assert_eq!(list.len(), 1, "{lang}: {list:?}");
        assert_eq!(list[0].kind, EvidenceKind::Marker);
        assert!(
            !out.evidence.contains_key(&format!("{lang}-string")),
            "{lang}: a marker inside a string literal was taken"
        );
    }
    let symbol = |id: &str| out.evidence[id][0].symbol.clone().unwrap();
    assert_eq!(symbol("python-marker"), "remove_from_cart");
    assert_eq!(symbol("javascript-marker"), "listInvoices");
    assert_eq!(symbol("typescript-marker"), "GET");
    assert_eq!(symbol("tsx-marker"), "ProductPage");
    assert_eq!(symbol("go-marker"), "Catalog");
    assert_eq!(symbol("java-marker"), "show");
    assert_eq!(symbol("ruby-marker"), "routes");
    assert_eq!(symbol("rust-marker"), "show_order");
    let language = |id: &str| out.evidence[id][0].language.clone().unwrap();
    for lang in LANGS {
        assert_eq!(language(&format!("{lang}-marker")), *lang);
    }
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn route_literal_on_the_line_after_the_call() {
    let out = run(false);
    let refunds = &out.evidence["refunds"];
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0].line, 9);
}

#[test]
fn symbols_match_whole_definition_names_only() {
    let out = run(false);
    let sso = &out.evidence["sso"];
    let found: Vec<_> = sso
        .iter()
        .map(|e| (short(&e.path), e.symbol.clone().unwrap()))
        .collect();
    assert_eq!(
        found,
        [("python/shop/views.py".to_string(), "Sso".to_string())]
    );
}

fn inventory_names(items: &[capcat::scan::InventoryItem]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|i| (short(&i.path), i.name.clone()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn route_detectors_for_every_framework() {
    let out = run(true);
    let expected = pairs(&[
        ("python/shop/views.py", "/cart/<int:item_id>"),
        ("python/shop/views.py", "POST /checkout"),
        ("python/shop/urls.py", "/orders/<int:pk>/"),
        ("python/shop/urls.py", "/archive/<year>/"),
        ("python/shop/urls.py", "/orders/<int:pk>/refund/"),
        ("javascript/server.js", "GET /invoices"),
        ("javascript/server.js", "PUT /invoices/:id"),
        (
            "typescript/next-app/app/api/orders/route.ts",
            "GET /api/orders",
        ),
        (
            "typescript/next-app/app/api/orders/route.ts",
            "POST /api/orders",
        ),
        (
            "typescript/next-app/app/(shop)/products/[slug]/page.tsx",
            "GET /products/:slug",
        ),
        ("typescript/next-app/pages/blog/index.tsx", "/blog"),
        ("go/server.go", "/catalog"),
        ("go/server.go", "POST /carts"),
        ("go/server.go", "GET /admin/users/{id}"),
        (
            "java/src/main/java/com/example/shop/CartController.java",
            "GET /carts/{id}",
        ),
        (
            "java/src/main/java/com/example/shop/CartController.java",
            "/carts/{id}/items",
        ),
        ("ruby/config/routes.rb", "GET /status"),
        ("ruby/config/routes.rb", "/orders"),
        ("ruby/config/routes.rb", "/orders/:id"),
        ("ruby/config/routes.rb", "POST /admin/reports"),
        ("rust/src/main.rs", "GET /orders/{id}"),
        ("rust/src/main.rs", "/payments"),
    ]);
    assert_eq!(inventory_names(&out.inventory.routes), expected);
}

#[test]
fn flag_and_graphql_detectors() {
    let out = run(true);
    let flags = pairs(&[
        ("python/shop/views.py", "cart-v2"),
        ("python/shop/views.py", "express-checkout"),
        ("javascript/server.js", "paged-invoices"),
        ("go/server.go", "catalog-search"),
        ("go/server.go", "catalog-sorting"),
        (
            "java/src/main/java/com/example/shop/CartController.java",
            "cart-recommendations",
        ),
        (
            "java/src/main/java/com/example/shop/CartController.java",
            "bulk-add",
        ),
        ("ruby/app/models/order.rb", "expedited-shipping"),
        ("rust/src/main.rs", "instant-payouts"),
    ]);
    assert_eq!(inventory_names(&out.inventory.flags), flags);
    let graphql = pairs(&[
        ("python/shop/schema.py", "Query.recentOrders"),
        ("python/shop/schema.py", "Mutation.placeOrder"),
        ("schema.gql", "Query.products"),
        ("typescript/server/schema.ts", "Query.product"),
        ("typescript/server/schema.ts", "Mutation.archiveProduct"),
        ("schema.gql", "Subscription.orderShipped"),
    ]);
    assert_eq!(inventory_names(&out.inventory.graphql), graphql);
}

#[test]
fn inventory_lines_hold_what_they_name() {
    let out = run(true);
    let inv = &out.inventory;
    for i in inv
        .routes
        .iter()
        .chain(&inv.flags)
        .chain(&inv.graphql)
        .chain(&inv.markers)
    {
        let text = std::fs::read_to_string(repo().join(&i.path)).unwrap();
        let line = text.lines().nth(i.line as usize - 1).unwrap();
        let needle = i
            .name
            .rsplit(['/', '.', ' '])
            .find(|p| !p.is_empty() && !p.starts_with([':', '{', '<']))
            .unwrap_or("");
        let snake_ok = line
            .to_lowercase()
            .replace('_', "")
            .contains(&needle.to_lowercase());
        let next_route = i.path.contains("next-app") && line.contains("export");
        assert!(
            snake_ok || next_route || line.contains("Mapping"),
            "{}:{} `{}` not on: {line}",
            i.path,
            i.line,
            i.name
        );
    }
}

#[test]
fn text_inventory_lists_every_section() {
    let cache = tempfile::tempdir().unwrap();
    let extra = format!("cache_dir = {:?}", cache.path().display().to_string());
    let config = config(&repo(), &["tests/fixtures/scan"], &extra);
    let (text, _) = scan_report(
        &config,
        &targets(),
        ScanFormat::Text,
        &ScanOptions::default(),
    );
    eprintln!("{text}");
    for section in [
        "markers (8)",
        "routes (22)",
        "graphql operations (6)",
        "feature flags (9)",
    ] {
        assert!(text.contains(section), "missing `{section}` in:\n{text}");
    }
    assert!(
        text.contains("tests/fixtures/scan/python/shop/views.py:26"),
        "{text}"
    );
}
