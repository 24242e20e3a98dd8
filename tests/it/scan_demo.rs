//! The demo codebase (tests/fixtures/demo/code) against the matchers of the
//! demo catalog: every capability with code gets exactly its evidence, and
//! every evidence line holds what it names.

use crate::util::scan::*;
use capcat::scan::{EvidenceKind, ScanOptions, ScanTarget, scan};

/// The evidence matchers of the demo catalog's capabilities (BRIEF table).
pub fn demo_targets() -> Vec<ScanTarget> {
    vec![
        target("sso-saml", |m| {
            m.symbols = s(&["SamlProvider"]);
            m.routes = s(&["/auth/saml/*"]);
        }),
        target("two-factor-auth", |m| m.symbols = s(&["VerifyTotp"])),
        target("role-based-access", |m| {
            m.symbols = s(&["RoleAssignment", "check_permission"])
        }),
        target("audit-log", |m| m.routes = s(&["/api/audit-events*"])),
        target("scim-provisioning", |_| {}),
        target("subscription-billing", |m| {
            m.symbols = s(&["SubscriptionService"]);
            m.routes = s(&["/api/subscriptions*"]);
        }),
        target("invoice-pdf", |m| {
            m.paths = s(&["services/billing/invoices/**"]);
            m.symbols = s(&["RenderInvoicePDF"]);
        }),
        target("multi-currency-checkout", |_| {}),
        target("usage-based-pricing", |_| {}),
        target("crypto-payments", |_| {}),
        target("csv-export", |m| m.routes = s(&["/reports/*/export.csv"])),
        target("scheduled-reports", |_| {}),
        target("custom-dashboards", |m| {
            m.flags = s(&["custom-dashboards-v2"])
        }),
        target("webhooks", |m| {
            m.routes = s(&["/api/webhooks*"]);
            m.symbols = s(&["WebhookDispatcher"]);
        }),
        target("graphql-api", |m| m.graphql = s(&["orders", "createOrder"])),
        target("slack-notifications", |m| {
            m.flags = s(&["slack-notifications"])
        }),
        target("salesforce-sync", |_| {}),
        target("legacy-soap-api", |_| {}),
        target("data-residency-eu", |_| {}),
        target("offline-mobile", |_| {}),
        target("feature-flag-targeting", |m| {
            m.flags = s(&["gradual_rollouts"])
        }),
    ]
}

fn demo_scan() -> capcat::scan::ScanOutput {
    let root = repo();
    let cache = tempfile::tempdir().unwrap();
    let extra = format!(
        "flag_functions = [\"feature_enabled\"]\ncache_dir = {:?}",
        cache.path().display().to_string()
    );
    let config = config(&root, &["tests/fixtures/demo/code"], &extra);
    scan(&config, &demo_targets(), &ScanOptions::default())
}

/// `(kind, path below the code root, symbol)` of each evidence record.
fn summary(out: &capcat::scan::ScanOutput, id: &str) -> Vec<(EvidenceKind, String, String)> {
    out.evidence
        .get(id)
        .map(|list| {
            list.iter()
                .map(|e| {
                    let p = e
                        .path
                        .trim_start_matches("tests/fixtures/demo/code/")
                        .to_string();
                    (e.kind, p, e.symbol.clone().unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn ev(kind: EvidenceKind, path: &str, symbol: &str) -> (EvidenceKind, String, String) {
    (kind, path.to_string(), symbol.to_string())
}

#[test]
fn demo_capabilities_get_exactly_their_evidence() {
    use EvidenceKind::*;
    let out = demo_scan();
    let with_code: Vec<&str> = out.evidence.keys().map(String::as_str).collect();
    assert_eq!(
        with_code,
        [
            "audit-log",
            "csv-export",
            "custom-dashboards",
            "feature-flag-targeting",
            "graphql-api",
            "invoice-pdf",
            "legacy-soap-api",
            "role-based-access",
            "slack-notifications",
            "sso-saml",
            "subscription-billing",
            "two-factor-auth",
            "webhooks",
        ]
    );
    assert_eq!(
        summary(&out, "sso-saml"),
        [
            ev(Marker, "backend/auth/saml.py", "SamlProvider"),
            ev(Symbol, "backend/auth/saml.py", "SamlProvider"),
            ev(Route, "backend/auth/saml.py", "/auth/saml/login"),
            ev(Route, "backend/auth/saml.py", "/auth/saml/acs"),
        ]
    );
    assert_eq!(
        summary(&out, "two-factor-auth"),
        [
            ev(Marker, "services/auth/totp.go", "VerifyTotp"),
            ev(Symbol, "services/auth/totp.go", "VerifyTotp"),
        ]
    );
    assert_eq!(
        summary(&out, "role-based-access"),
        [
            ev(Symbol, "backend/auth/permissions.py", "RoleAssignment"),
            ev(Symbol, "backend/auth/permissions.py", "check_permission"),
        ]
    );
    let audit = "billing-api/src/main/java/com/harbor/audit/AuditLogController.java";
    assert_eq!(
        summary(&out, "audit-log"),
        [
            ev(Marker, audit, "AuditLogController"),
            ev(Route, audit, "GET /api/audit-events")
        ]
    );
    assert!(
        out.evidence["audit-log"]
            .iter()
            .any(|e| e.kind == Marker && e.beta)
    );
    let billing = "billing-api/src/main/java/com/harbor/billing/";
    assert_eq!(
        summary(&out, "subscription-billing"),
        [
            ev(
                Symbol,
                &format!("{billing}SubscriptionService.java"),
                "SubscriptionService"
            ),
            ev(
                Route,
                &format!("{billing}SubscriptionController.java"),
                "POST /api/subscriptions"
            ),
            ev(
                Route,
                &format!("{billing}SubscriptionController.java"),
                "DELETE /api/subscriptions/{id}"
            ),
        ]
    );
    assert_eq!(
        summary(&out, "invoice-pdf"),
        [
            ev(Path, "services/billing/invoices/handler.go", ""),
            ev(Path, "services/billing/invoices/render.go", ""),
            ev(
                Symbol,
                "services/billing/invoices/render.go",
                "RenderInvoicePDF"
            ),
        ]
    );
    assert_eq!(
        summary(&out, "csv-export"),
        [
            ev(Marker, "web/server/routes/reports.ts", "reports"),
            ev(
                Route,
                "web/server/routes/reports.ts",
                "GET /reports/:id/export.csv"
            ),
        ]
    );
    assert_eq!(
        summary(&out, "custom-dashboards"),
        [
            ev(
                Marker,
                "web/src/dashboards/DashboardBuilder.tsx",
                "DashboardBuilder"
            ),
            ev(
                Flag,
                "web/src/dashboards/DashboardBuilder.tsx",
                "custom-dashboards-v2"
            ),
        ]
    );
    assert_eq!(
        summary(&out, "webhooks"),
        [
            ev(
                Symbol,
                "web/server/webhooks/dispatcher.ts",
                "WebhookDispatcher"
            ),
            ev(Route, "web/server/app.ts", "POST /api/webhooks"),
        ]
    );
    assert_eq!(
        summary(&out, "graphql-api"),
        [
            ev(Graphql, "schema/storefront.graphql", "Query.orders"),
            ev(Graphql, "schema/storefront.graphql", "Mutation.createOrder"),
        ]
    );
    assert_eq!(
        summary(&out, "slack-notifications"),
        [ev(
            Flag,
            "web/server/notify/slack.ts",
            "slack-notifications"
        )]
    );
    assert_eq!(
        summary(&out, "legacy-soap-api"),
        [ev(
            Marker,
            "billing-api/src/main/java/com/harbor/legacy/SoapEndpoint.java",
            "SoapEndpoint"
        )]
    );
    assert_eq!(
        summary(&out, "feature-flag-targeting"),
        [ev(Flag, "backend/flags.py", "gradual_rollouts")]
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn every_demo_evidence_line_holds_what_it_names() {
    let out = demo_scan();
    let mut failures = Vec::new();
    for (id, list) in &out.evidence {
        failures.extend(check_lines(&repo(), "capability:", id, list));
        failures.extend(misfiled_test_evidence("demo/code/", list));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn demo_evidence_languages_and_separators() {
    let out = demo_scan();
    for e in out.evidence.values().flatten() {
        assert!(!e.path.contains('\\'), "{}", e.path);
        assert!(
            e.path.starts_with("tests/fixtures/demo/code/"),
            "{}",
            e.path
        );
        assert!(e.line >= 1);
    }
    let lang = |id: &str| out.evidence[id][0].language.clone().unwrap();
    assert_eq!(lang("sso-saml"), "python");
    assert_eq!(lang("two-factor-auth"), "go");
    assert_eq!(lang("audit-log"), "java");
    assert_eq!(lang("csv-export"), "typescript");
    assert_eq!(lang("custom-dashboards"), "tsx");
    assert_eq!(lang("graphql-api"), "graphql");
    assert_eq!(
        lang("invoice-pdf"),
        "go",
        "path hits carry the language too"
    );
}
