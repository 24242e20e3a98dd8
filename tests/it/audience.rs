//! The public build must leak nothing internal (docs/output.md, "Audiences"): marker strings
//! planted in internal-only capabilities and internal fields are searched
//! for in every output file.

use crate::util::{capability, capcat, read_tree, text, write};

const SECRET_MARKERS: [&str; 6] = [
    "ZZSECRETTITLE",
    "zzsecret-id",
    "ZZSECRETSUMMARY",
    "ZZSECRETBODY",
    "ZZSECRETALIAS",
    "zzsecret-old-id",
];

#[test]
fn public_build_contains_no_internal_capability() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Leak test\"\nbase_url = \"https://leak.example\"\n",
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
    let mut markers: Vec<&str> = SECRET_MARKERS.to_vec();
    markers.extend(["ZZSECRETHOME", "ZZSECRETPAGE", "ZZSECRETCATEGORY"]);
    for (path, bytes) in &tree {
        let s = String::from_utf8_lossy(bytes);
        for m in &markers {
            assert!(!s.contains(m), "{m} leaked into {path}");
        }
    }
    let json: serde_json::Value = serde_json::from_slice(&tree["catalog.json"]).unwrap();
    let cap = &json["capabilities"][0];
    for field in ["evidence", "work", "demand", "risks", "why"] {
        assert!(
            cap.get(field).is_none(),
            "{field} must be absent in public catalog.json"
        );
    }
    assert_eq!(json["site"]["audience"], "public");

    let o = capcat(
        dir,
        &["build", "--audience", "internal", "--out", "site-internal"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let internal = read_tree(&dir.join("site-internal"));
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
