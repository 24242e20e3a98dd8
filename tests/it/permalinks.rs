//! The permalink guard (docs/history.md): with a baseline, every published
//! capability id and `redirect_from` must still resolve. Runs on a copy of
//! the demo catalog.

use crate::util::{capcat, copy_dir, read_tree, repo, text};
use std::path::Path;

/// The demo catalog (config, content, code, Jira, previous catalogs) in `to`.
fn copy_demo(to: &Path) {
    std::fs::copy(repo().join("catalog.toml"), to.join("catalog.toml")).unwrap();
    copy_dir(&repo().join("content"), &to.join("content"));
    copy_dir(
        &repo().join("tests/fixtures/demo"),
        &to.join("tests/fixtures/demo"),
    );
}

const CAPS: &str = "content/capabilities";

#[test]
fn renames_need_a_redirect_and_deletions_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_demo(dir);
    let o = capcat(dir, &["build", "--offline", "--out", "published"]);
    assert!(o.status.success(), "{}", text(&o));
    let guarded = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--offline", "--baseline", "published/catalog.json"]);
        capcat(dir, &all)
    };

    // Renamed without redirect_from: both check and build fail, naming the id and the fix.
    let old = dir.join(CAPS).join("platform/offline-mobile.md");
    let new = dir.join(CAPS).join("platform/mobile-app.md");
    let original = std::fs::read_to_string(&old).unwrap();
    std::fs::rename(&old, &new).unwrap();
    for args in [&["check"][..], &["build", "--out", "next"][..]] {
        let o = guarded(args);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {out}");
        assert!(
            out.contains(
                "capability `offline-mobile` is in the published catalog but not in this build"
            ),
            "{out}"
        );
        assert!(
            out.contains("add `redirect_from: [offline-mobile]`"),
            "{out}"
        );
    }
    assert!(!dir.join("next").exists(), "a failed build writes nothing");

    // With redirect_from it passes, and the old URL still redirects.
    let with_redirect = original.replacen("---\n", "---\nredirect_from: [offline-mobile]\n", 1);
    std::fs::write(&new, with_redirect).unwrap();
    let o = guarded(&["build", "--out", "next"]);
    assert!(o.status.success(), "{}", text(&o));
    let site = read_tree(&dir.join("next"));
    let redirect = String::from_utf8_lossy(&site["capabilities/offline-mobile/index.html"]);
    assert!(
        redirect.contains("url=../mobile-app/index.html"),
        "{redirect}"
    );
    let redirects = String::from_utf8_lossy(&site["_redirects"]);
    assert!(redirects.contains("/capabilities/offline-mobile/ /capabilities/mobile-app/ 301"));
    let changes = String::from_utf8_lossy(&site["changes/index.html"]);
    assert!(changes.contains("Renamed from offline-mobile"), "{changes}");

    // Deleting a capability fails, naming it and its former id.
    std::fs::remove_file(dir.join(CAPS).join("integrations/legacy-soap-api.md")).unwrap();
    let o = guarded(&["build", "--out", "next"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("capability `legacy-soap-api` is in the published catalog"),
        "{out}"
    );
    assert!(
        out.contains("the former id `soap-api` (it redirected to `legacy-soap-api`)"),
        "{out}"
    );
    assert!(
        out.contains("keep its page with `claim: not-planned` or `claim: deprecated`"),
        "{out}"
    );
    assert!(
        String::from_utf8_lossy(&read_tree(&dir.join("next"))["changes/index.html"])
            .contains("Renamed from offline-mobile"),
        "the previous site is untouched"
    );
}
