//! The demo remembers its previously published catalog (docs/history.md):
//! a plain build shows a non-empty changes page, a target that slipped twice
//! and, internally, the accounts to call back now that SSO shipped.

use crate::util::{capcat, read_tree, repo, text};
use capcat::model::CatalogDoc;
use std::collections::BTreeSet;

#[test]
fn demo_re_engage_list_is_internal_only() {
    let tmp = tempfile::tempdir().unwrap();
    for audience in ["internal", "public"] {
        let out = tmp.path().join(audience);
        let o = capcat(
            &repo(),
            &[
                "build",
                "--audience",
                audience,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o));
    }
    let internal = read_tree(&tmp.path().join("internal"));
    let page = |tree: &std::collections::BTreeMap<String, Vec<u8>>, path: &str| {
        String::from_utf8_lossy(&tree[path]).into_owned()
    };

    let re_engage = page(&internal, "re-engage/index.html");
    for s in [
        "Initech",
        "Soylent Corp",
        "84,000",
        "Security review required SAML SSO",
        "HBR-106",
        "2026-11-21",
        "https://catalog.harbor.example/capabilities/sso-saml/",
    ] {
        assert!(re_engage.contains(s), "/re-engage/ lacks {s}");
    }
    assert_eq!(
        page(&internal, "re-engage.csv"),
        "account,amount,capability,url,shipped,request key,lost reason,technical truth\n\
         Initech,84000,Single sign-on (SAML 2.0),https://catalog.harbor.example/capabilities/sso-saml/,2026-11-21,HBR-106,Security review required SAML SSO; signed with a competitor in Dec 2025,\n\
         Soylent Corp,36500,Single sign-on (SAML 2.0),https://catalog.harbor.example/capabilities/sso-saml/,2026-11-21,HBR-107,Procurement blocked without Azure AD SSO,\n\
         Acme Retail,12500,Export reports to CSV,https://catalog.harbor.example/capabilities/csv-export/,,HBR-167,,\n"
    );
    let sso = page(&internal, "capabilities/sso-saml/index.html");
    assert!(sso.contains("Available since 2026-11-21"), "{sso}");
    assert!(sso.contains("Re-engage: 2 accounts to call back"), "{sso}");
    let scim = page(&internal, "capabilities/scim-provisioning/index.html");
    assert!(
        scim.contains("Target: 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice"),
        "{scim}"
    );
    let changes = page(&internal, "changes/index.html");
    assert!(
        changes.contains("Became available (was in progress)."),
        "{changes}"
    );
    assert!(
        changes.contains("Target slipped: 2026-Q4 → 2027-Q1."),
        "{changes}"
    );

    // The public build: no re-engage page or file, and none of the demo's
    // accounts anywhere, though SSO's ship is on its changes page.
    let public = read_tree(&tmp.path().join("public"));
    assert!(!public.contains_key("re-engage/index.html"));
    assert!(!public.contains_key("re-engage.csv"));
    assert!(page(&public, "changes/index.html").contains("Became available (was in progress)."));
    let doc = CatalogDoc::from_json(&internal["catalog.json"]).unwrap();
    let accounts: BTreeSet<&str> = doc
        .capabilities
        .iter()
        .filter_map(|c| c.demand.as_ref())
        .flat_map(|d| d.requests.iter().filter_map(|r| r.account.as_deref()))
        .collect();
    assert!(accounts.len() >= 6, "{accounts:?}");
    for (path, bytes) in &public {
        let s = String::from_utf8_lossy(bytes);
        for account in &accounts {
            assert!(!s.contains(account), "{account} is in public {path}");
        }
        assert!(!s.contains("HBR-"), "a Jira key is in public {path}");
    }
}
