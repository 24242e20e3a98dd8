//! One ranking: the browser's code (search.js, run under node) and the Rust
//! used by `capcat ask` must give the same results with the same scores, and
//! both must match the shared table `tests/relevance/order.txt`.

use crate::util::search::{Cap, Docs, js_rank, write_files};
use capcat::config::SearchConfig;
use capcat::model::Status;
use capcat::search::rank;

/// The demo's capabilities as the shared order table knows them.
pub fn harbor_docs() -> Docs {
    use Status::*;
    let caps = [
        Cap {
            id: "sso-saml",
            title: "Single sign-on (SAML 2.0)",
            category: "Security & access",
            aliases: &["sso", "okta", "single sign on"],
            summary: "Sign in through Okta, Azure AD or any SAML 2.0 identity provider.",
            body: "Users sign in with their company identity provider.",
            status: Available,
            plans: &["enterprise"],
        },
        Cap {
            id: "two-factor-auth",
            title: "Two-factor authentication",
            category: "Security & access",
            aliases: &["2fa", "mfa"],
            summary: "A one-time code from an authenticator app at sign-in.",
            body: "TOTP codes.",
            status: Available,
            plans: &[],
        },
        Cap {
            id: "role-based-access",
            title: "Roles and permissions",
            category: "Security & access",
            aliases: &["rbac"],
            summary: "Decide who can see and change what.",
            body: "Admins assign roles.",
            status: Available,
            plans: &["pro", "enterprise"],
        },
        Cap {
            id: "audit-log",
            title: "Audit log",
            category: "Security & access",
            aliases: &["audit trail"],
            summary: "Every change, who made it and when.",
            body: "Export the audit events.",
            status: Beta,
            plans: &["enterprise"],
        },
        Cap {
            id: "csv-export",
            title: "Export reports to CSV",
            category: "Reporting & analytics",
            aliases: &["excel", "spreadsheet"],
            summary: "Download any report as a CSV file.",
            body: "Open it in Excel or Google Sheets.",
            status: Available,
            plans: &[],
        },
        Cap {
            id: "scheduled-reports",
            title: "Scheduled email reports",
            category: "Reporting & analytics",
            aliases: &["report by email"],
            summary: "Reports emailed every day, week or month.",
            body: "Pick a report and a schedule.",
            status: InProgress,
            plans: &[],
        },
        Cap {
            id: "custom-dashboards",
            title: "Custom dashboards",
            category: "Reporting & analytics",
            aliases: &["dashboard builder"],
            summary: "Build your own charts.",
            body: "Drag widgets onto a dashboard.",
            status: Beta,
            plans: &["pro"],
        },
        Cap {
            id: "multi-currency-checkout",
            title: "Multi-currency checkout",
            category: "Payments & billing",
            aliases: &["currencies", "euros"],
            summary: "Buyers pay in their own currency.",
            body: "Prices shown in euros, pounds or dollars.",
            status: Planned,
            plans: &[],
        },
        Cap {
            id: "invoice-pdf",
            title: "PDF invoices",
            category: "Payments & billing",
            aliases: &["invoice"],
            summary: "Every invoice as a PDF.",
            body: "Branded PDF invoices.",
            status: Available,
            plans: &[],
        },
        Cap {
            id: "subscription-billing",
            title: "Subscription billing",
            category: "Payments & billing",
            aliases: &["recurring billing"],
            summary: "Charge customers every month or year.",
            body: "Plans, trials and renewals.",
            status: Available,
            plans: &[],
        },
        Cap {
            id: "webhooks",
            title: "Webhooks",
            category: "Integrations",
            aliases: &["callbacks"],
            summary: "Get an HTTP call when something happens.",
            body: "Events for orders and invoices.",
            status: Available,
            plans: &[],
        },
        Cap {
            id: "offline-mobile",
            title: "Offline mobile app",
            category: "Platform & hosting",
            aliases: &["ios", "android"],
            summary: "Use the app without a connection.",
            body: "Not built.",
            status: Unavailable,
            plans: &[],
        },
        Cap {
            id: "data-residency-eu",
            title: "EU data residency",
            category: "Platform & hosting",
            aliases: &["gdpr"],
            summary: "Keep data in the European Union.",
            body: "Hosting in Frankfurt.",
            status: Considering,
            plans: &[],
        },
        Cap {
            id: "déjà-vu",
            title: "Déjà vu résumé",
            category: "Tests",
            aliases: &["naïve"],
            summary: "Accents and ﬁ ligatures: ｆｕｌｌ width.",
            body: "Ωμέγα and 数据 and emoji 🚀.",
            status: Deprecated,
            plans: &[],
        },
    ];
    Docs::new(&caps)
}

fn order_table() -> Vec<(String, Vec<String>)> {
    let text =
        std::fs::read_to_string(crate::util::repo().join("tests/relevance/order.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (q, ids) = l
                .split_once(" => ")
                .unwrap_or_else(|| panic!("order.txt: `{l}` lacks ` => `"));
            (
                q.to_string(),
                ids.split(',').map(|s| s.trim().to_string()).collect(),
            )
        })
        .collect()
}

const EXTRA_QUERIES: &[&str] = &[
    "",
    "   ",
    "?",
    "the",
    "does our platform currently support",
    "exp",
    "exprot",
    "sing",
    "single sign",
    "SAML",
    "okta sso",
    "roles & permissions?",
    "ＣＳＶ",
    "deja",
    "données",
    "数据",
    "🚀",
    "invoices pdf ",
    "currenc",
    "rbac admin",
    "<img src=x onerror=alert(1)>",
    "a b c d e f g",
    "audit-log",
    "report",
];

const WORDS: &[&str] = &[
    "Exporting",
    "exports",
    "currencies",
    "scheduled",
    "Scheduling",
    "mapped",
    "billing",
    "status",
    "analysis",
    "classes",
    "Éclair",
    "ﬁle",
    "ｆｕｌｌ",
    "ΑΘΗΝΑ",
    "İstanbul",
    "straße",
    "数据",
    "x2fa",
    "r2-d2",
    "naïve",
    "integration",
    "integrates",
    "pricing",
    "stopped",
    "runs",
    "sso",
    "a",
];

#[test]
fn shared_table_holds_in_rust() {
    let index = harbor_docs().index(&SearchConfig::default());
    for (q, expected) in order_table() {
        let got: Vec<&str> = rank::search(&index, &q)
            .iter()
            .map(|h| index.docs[h.doc].id.as_str())
            .collect();
        assert!(
            got.len() >= expected.len() && got[..expected.len()] == expected[..],
            "query `{q}`: expected {expected:?} first, got {got:?}"
        );
    }
}

#[test]
fn browser_ranking_equals_rust_ranking() {
    let docs = harbor_docs();
    let config = SearchConfig {
        synonyms: vec![vec!["payouts".into(), "invoices".into()]],
    };
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &docs.files(&config));
    let index = docs.index(&config);
    let mut queries: Vec<String> = order_table().into_iter().map(|(q, _)| q).collect();
    queries.extend(EXTRA_QUERIES.iter().map(|s| s.to_string()));
    queries.push("payouts".into());
    let Some(js) = js_rank(dir.path(), WORDS, &queries) else {
        return;
    };
    for (w, toks) in WORDS.iter().zip(&js.tokens) {
        assert_eq!(&capcat::search::text::tokens(w), toks, "tokens of `{w}`");
    }
    for (q, js_hits) in queries.iter().zip(&js.results) {
        let rust: Vec<(String, u64)> = rank::search(&index, q)
            .iter()
            .map(|h| (index.docs[h.doc].id.clone(), h.score))
            .collect();
        assert_eq!(&rust, js_hits, "query `{q}`");
    }
    let order = order_table();
    for ((q, expected), js_hits) in order.iter().zip(&js.results) {
        let got: Vec<&str> = js_hits.iter().map(|h| h.0.as_str()).collect();
        assert!(
            got.starts_with(&expected.iter().map(String::as_str).collect::<Vec<_>>()),
            "browser, `{q}`: {got:?}"
        );
    }
}

/// A catalog big enough to be split into shards, to check that loading the
/// shards gives the browser exactly the postings Rust ranks with.
fn generated(n: usize) -> Docs {
    let words = [
        "ledger", "invoice", "export", "sync", "alert", "audit", "tax", "refund", "portal",
        "queue", "token", "archive",
    ];
    let texts: Vec<[String; 4]> = (0..n)
        .map(|i| {
            let a = words[i % words.len()];
            let b = words[(i / words.len()) % words.len()];
            let id = format!("cap-{i:05}");
            let title = format!("{a} {b} feature {i}");
            let body = format!(
                "This {a} capability works with {b} and item{} and group{}.",
                i % 97,
                i % 13
            );
            [id, title, body, format!("Area {}", i % 7)]
        })
        .collect();
    let caps: Vec<Cap<'_>> = texts
        .iter()
        .map(|[id, title, body, category]| Cap {
            id,
            title,
            category,
            aliases: &[],
            summary: "Generated.",
            body,
            status: Status::Available,
            plans: &[],
        })
        .collect();
    Docs::new(&caps)
}

#[test]
fn sharded_index_ranks_the_same_in_the_browser() {
    let docs = generated(3000);
    let files = docs.files(&SearchConfig::default());
    assert!(files.len() > 3, "a large catalog is split into shards");
    assert_eq!(
        files,
        docs.files(&SearchConfig::default()),
        "deterministic bytes"
    );
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &files);
    let index = docs.index(&SearchConfig::default());
    let queries: Vec<String> = [
        "ledger invoice",
        "exprot",
        "item42",
        "refund tax feature 12",
        "grou",
        "queue archive",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let Some(js) = js_rank(dir.path(), &[], &queries) else {
        return;
    };
    for (q, js_hits) in queries.iter().zip(&js.results) {
        let rust: Vec<(String, u64)> = rank::search(&index, q)
            .iter()
            .map(|h| (index.docs[h.doc].id.clone(), h.score))
            .collect();
        assert!(!rust.is_empty(), "`{q}` finds something");
        assert_eq!(&rust, js_hits, "query `{q}`");
    }
}
