//! A rebuild without change does nothing (docs/output.md, "Rebuilds without
//! change"), and every kind of input change makes it build again.

use crate::util::{capcat, capcat_command, read_tree, text, write};
use std::path::Path;

fn catalog(dir: &Path) {
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Memo\"\n\n[code]\nroots = [\"code\"]\n",
    );
    write(
        dir,
        "content/capabilities/export.md",
        "---\ntitle: Export\nsummary: Export reports.\ncategory: Reports\nevidence:\n  symbols: [export_csv]\n---\nExports.\n",
    );
    write(
        dir,
        "content/capabilities/unproven.md",
        "---\ntitle: Unproven\nsummary: Nothing backs it.\ncategory: Reports\n---\nA warning.\n",
    );
    write(dir, "code/app.py", "def export_csv():\n    return 1\n");
}

fn skipped(o: &std::process::Output) -> bool {
    assert!(o.status.success(), "{}", text(o));
    text(o).contains("nothing to build:")
}

fn warnings(o: &std::process::Output) -> Vec<String> {
    text(o)
        .lines()
        .filter(|l| l.contains(": warning:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_rebuild_without_change_does_nothing_and_reports_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    let first = capcat(dir, &["build"]);
    assert!(!skipped(&first));
    let site = read_tree(&dir.join("public"));
    let again = capcat(dir, &["build"]);
    assert!(skipped(&again), "{}", text(&again));
    assert_eq!(read_tree(&dir.join("public")), site);
    assert_eq!(warnings(&again), warnings(&first));
    assert!(!warnings(&first).is_empty());
    // Under --strict the warnings fail the build, every time.
    for _ in 0..2 {
        let strict = capcat(dir, &["build", "--strict"]);
        assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    }
}

#[test]
fn every_input_change_builds_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    assert!(!skipped(&capcat(dir, &["build"])));
    type Edit = Box<dyn Fn(&Path)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "content",
            Box::new(|d| {
                write(
                    d,
                    "content/capabilities/export.md",
                    "---\ntitle: Export to CSV\nsummary: Export reports.\ncategory: Reports\nevidence:\n  symbols: [export_csv]\n---\nExports.\n",
                )
            }),
        ),
        (
            "code",
            Box::new(|d| write(d, "code/app.py", "def export_csv():\n    return 2\n")),
        ),
        (
            "new code file",
            Box::new(|d| write(d, "code/more.py", "x = 1\n")),
        ),
        (
            "theme",
            Box::new(|d| write(d, "themes/default/static/extra.css", "body{}\n")),
        ),
        (
            "catalog.toml",
            Box::new(|d| {
                write(
                    d,
                    "catalog.toml",
                    "[site]\ntitle = \"Memo 2\"\n\n[code]\nroots = [\"code\"]\n",
                )
            }),
        ),
        (
            "a file of the site",
            Box::new(|d| write(d, "public/index.html", "edited by hand")),
        ),
        (
            "the site removed",
            Box::new(|d| std::fs::remove_dir_all(d.join("public")).unwrap()),
        ),
    ];
    for (what, edit) in &edits {
        edit(dir);
        let o = capcat(dir, &["build"]);
        assert!(!skipped(&o), "{what}: {}", text(&o));
        assert!(skipped(&capcat(dir, &["build"])), "{what}, then no change");
    }
    assert_ne!(
        std::fs::read_to_string(dir.join("public/index.html")).unwrap(),
        "edited by hand"
    );
    // Options and the build date are inputs too.
    let public = capcat(dir, &["build", "--audience", "public"]);
    assert!(!skipped(&public), "{}", text(&public));
    let dated = capcat_command(dir)
        .env("SOURCE_DATE_EPOCH", "1800000000")
        .arg("build")
        .output()
        .unwrap();
    assert!(!skipped(&dated), "{}", text(&dated));
}

#[test]
fn each_audience_keeps_its_own_memo() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    let build = |audience: &str| capcat(dir, &["build", "--audience", audience, "--out", audience]);
    assert!(!skipped(&build("internal")));
    assert!(!skipped(&build("public")));
    assert!(skipped(&build("internal")), "internal after public");
    assert!(skipped(&build("public")), "public after internal");
}

#[test]
fn a_rebuild_from_the_caches_equals_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    for audience in ["internal", "public"] {
        assert!(!skipped(&capcat(dir, &["build", "--audience", audience])));
    }
    for cache in [
        "search-terms-internal.bin",
        "content.bin",
        "pages-internal.bin",
    ] {
        assert!(dir.join(".capcat-cache").join(cache).is_file(), "{cache}");
    }
    write(
        dir,
        "content/capabilities/unproven.md",
        "---\ntitle: Unproven\nsummary: Nothing backs it.\ncategory: Reports\npublic: true\n---\nSyncs with Zuora. Not included: SCIM.\n",
    );
    write(
        dir,
        "content/capabilities/audit.md",
        "---\ntitle: Audit log\nsummary: Who did what.\ncategory: Security\npublic: true\n---\nEvery change, kept a year.\n",
    );
    write(
        dir,
        "content/about.md",
        "---\ntitle: About\npublic: true\n---\nWho we are.\n",
    );
    for audience in ["internal", "public"] {
        assert!(!skipped(&capcat(
            dir,
            &["build", "--audience", audience, "--out", audience]
        )));
    }
    std::fs::remove_dir_all(dir.join(".capcat-cache")).unwrap();
    for audience in ["internal", "public"] {
        let clean = format!("clean-{audience}");
        assert!(!skipped(&capcat(
            dir,
            &["build", "--audience", audience, "--out", &clean]
        )));
        assert_eq!(
            read_tree(&dir.join(audience)),
            read_tree(&dir.join(&clean)),
            "{audience}"
        );
    }
}

#[test]
fn a_changed_template_renders_the_cached_pages_again() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    assert!(!skipped(&capcat(dir, &["build"])));
    let default = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/capability.html"),
    )
    .unwrap();
    let marked = default.replacen(
        "{% block content %}",
        "{% block content %}<p>acme theme</p>",
        1,
    );
    assert_ne!(marked, default);
    write(dir, "themes/acme/templates/capability.html", &marked);
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Memo\"\ntheme = \"acme\"\n\n[code]\nroots = [\"code\"]\n",
    );
    assert!(!skipped(&capcat(dir, &["build"])));
    let page = std::fs::read_to_string(dir.join("public/capabilities/export/index.html")).unwrap();
    assert!(page.contains("acme theme"), "the page was rendered again");
    std::fs::remove_dir_all(dir.join(".capcat-cache")).unwrap();
    assert!(!skipped(&capcat(dir, &["build", "--out", "clean"])));
    assert_eq!(
        read_tree(&dir.join("public")),
        read_tree(&dir.join("clean"))
    );
}

#[test]
fn a_baseline_file_is_an_input_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    assert!(!skipped(&capcat(dir, &["build"])));
    std::fs::copy(dir.join("public/catalog.json"), dir.join("prev.json")).unwrap();
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Memo\"\n\n[code]\nroots = [\"code\"]\n\n[history]\nbaseline = \"prev.json\"\n",
    );
    assert!(!skipped(&capcat(dir, &["build"])));
    assert!(skipped(&capcat(dir, &["build"])));
    let mut prev = std::fs::read_to_string(dir.join("prev.json")).unwrap();
    prev.push('\n');
    std::fs::write(dir.join("prev.json"), prev).unwrap();
    assert!(!skipped(&capcat(dir, &["build"])), "a changed baseline");
    assert!(skipped(&capcat(dir, &["build"])));
}

/// The capability pages a rebuild renders and keeps, from `-v`'s line
/// "capability pages: N rendered, M from cache".
fn pages_made(o: &std::process::Output) -> (usize, usize) {
    let all = text(o);
    let line = all
        .lines()
        .find_map(|l| l.strip_prefix("capability pages: "))
        .unwrap_or_else(|| panic!("no page line:\n{all}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// A build of `dir`'s sources into `clean/` without any cache (set aside
/// and put back), as the site to compare with.
fn clean_site(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let cache = dir.join(".capcat-cache");
    let aside = dir.join("cache-aside");
    std::fs::rename(&cache, &aside).unwrap();
    let _ = std::fs::remove_dir_all(dir.join("clean"));
    assert!(!skipped(&capcat(dir, &["build", "--out", "clean"])));
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::rename(&aside, &cache).unwrap();
    read_tree(&dir.join("clean"))
}

/// Unchanged pages are kept from the live site (linked, not written) only
/// while it holds them: a page deleted from it by hand, or the whole site
/// gone, is rendered again. Every rebuild equals a clean build.
#[test]
fn kept_pages_come_from_the_live_site_only_while_it_holds_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    catalog(dir);
    let extra = |i: usize, body: &str| {
        write(
            dir,
            &format!("content/capabilities/extra-{i}.md"),
            &format!("---\ntitle: Extra {i}\nsummary: One more.\ncategory: Other\n---\n{body}\n"),
        );
    };
    for i in 0..6 {
        extra(i, &format!("Body {i}."));
    }
    let edit = |n: usize| extra(0, &format!("Body 0, edit {n}."));
    let build = || {
        let o = capcat(dir, &["-v", "build"]);
        assert!(!skipped(&o), "{}", text(&o));
        o
    };
    assert_eq!(pages_made(&build()), (8, 0));
    // One edit after a clean build (no spare yet), then another (the spare
    // is updated in place): only the edited page is rendered.
    for n in 1..=2 {
        edit(n);
        assert_eq!(pages_made(&build()), (1, 7), "edit {n}");
        assert_eq!(read_tree(&dir.join("public")), clean_site(dir), "edit {n}");
    }
    // A kept page deleted from the live site by hand is rendered again.
    std::fs::remove_file(dir.join("public/capabilities/extra-3/index.html")).unwrap();
    edit(3);
    assert_eq!(pages_made(&build()), (2, 6));
    assert_eq!(read_tree(&dir.join("public")), clean_site(dir));
    // So is every page when the site is gone, or written elsewhere.
    std::fs::remove_dir_all(dir.join("public")).unwrap();
    edit(4);
    assert_eq!(pages_made(&build()), (8, 0));
    assert_eq!(read_tree(&dir.join("public")), clean_site(dir));
    edit(5);
    let elsewhere = capcat(dir, &["-v", "build", "--out", "elsewhere"]);
    assert_eq!(pages_made(&elsewhere), (8, 0));
    assert_eq!(read_tree(&dir.join("elsewhere")), clean_site(dir));
}
