//! End-to-end tests of `capcat build`, `check` and `init` on fixture catalogs.

use crate::util::{capability, capcat, read_tree, repo, small_catalog, text, write};

#[test]
fn demo_build_writes_the_whole_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = capcat(&repo(), &["build", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    for f in [
        "index.html",
        "catalog.json",
        "sitemap.xml",
        "404.html",
        "_redirects",
        "search/index.html",
        "roadmap/index.html",
        "gaps/index.html",
        "search-index.js",
        "categories/index.html",
        "status/index.html",
        "static/style.css",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    let ids: Vec<String> = walk_ids(&repo().join("content/capabilities"));
    assert!(ids.len() >= 12, "{ids:?}");
    for id in &ids {
        let page =
            std::fs::read_to_string(out.join(format!("capabilities/{id}/index.html"))).unwrap();
        assert!(page.contains("class=\"answer"), "{id} has an answer line");
        assert!(out.join(format!("badges/{id}.svg")).is_file());
    }
    let redirect = std::fs::read_to_string(out.join("capabilities/saml-sso/index.html")).unwrap();
    assert!(
        redirect.contains("url=../sso-saml/index.html"),
        "{redirect}"
    );
    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert!(redirects.contains("/capabilities/saml-sso/ /capabilities/sso-saml/ 301"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["capabilities"].as_array().unwrap().len(), ids.len());
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://catalog.harbor.example/capabilities/sso-saml/</loc>"));
    assert!(sitemap.contains("<loc>https://catalog.harbor.example/roadmap/</loc>"));
}

fn walk_ids(dir: &std::path::Path) -> Vec<String> {
    let mut ids = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            ids.extend(walk_ids(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            ids.push(p.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    ids.sort();
    ids
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for out in [&a, &b] {
        let o = capcat(&repo(), &["build", "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o));
    }
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let before = read_tree(&tmp.path().join("public"));
    write(
        tmp.path(),
        "content/capabilities/alpha.md",
        "---\ntitle: [broken\n---\n",
    );
    let o = capcat(tmp.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(read_tree(&tmp.path().join("public")), before);
    // The caches stay, and the spare copy of the site the build made while
    // it loaded, complete and the same as the site; staging folders must not.
    let spare = tmp.path().join(".public.capcat-spare");
    if spare.exists() {
        assert_eq!(read_tree(&spare), before);
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("capcat-"))
        .filter(|n| n != ".capcat-cache" && n != ".public.capcat-spare")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn dangerous_out_dirs_are_refused_and_nothing_is_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    let before = read_tree(tmp.path());
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for out in [".", "content", "content/capabilities", &home, "/", ".."] {
        let o = capcat(tmp.path(), &["build", "--out", out]);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {}", text(&o));
        assert!(text(&o).contains("refusing"), "{}", text(&o));
    }
    assert_eq!(read_tree(tmp.path()), before);
    write(tmp.path(), "mine/notes.txt", "keep me");
    let o = capcat(tmp.path(), &["build", "--out", "mine"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a foreign non-empty folder is refused: {}",
        text(&o)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn three_broken_files_give_three_located_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    write(
        tmp.path(),
        "content/capabilities/bad-yaml.md",
        "---\ntitle: Bad\nsummary: [unclosed\ncategory: X\n---\n",
    );
    write(
        tmp.path(),
        "content/capabilities/unknown-key.md",
        &capability("title: U\nsummary: U.\ncategory: X\ncategroy: Y", ""),
    );
    write(
        tmp.path(),
        "content/capabilities/more/alpha.md",
        &capability("title: Dup\nsummary: D.\ncategory: X", ""),
    );
    let o = capcat(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("content/capabilities/bad-yaml.md:3:"), "{out}");
    assert!(
        out.contains(
            "content/capabilities/unknown-key.md:5:1: error: unknown front-matter key `categroy`"
        ),
        "{out}"
    );
    assert!(out.contains("did you mean `category`"), "{out}");
    assert!(
        out.contains(
            "content/capabilities/more/alpha.md:1:1: error: duplicate capability id `alpha`"
        ),
        "{out}"
    );
    assert_eq!(out.matches(": error:").count(), 3, "{out}");
    let o = capcat(tmp.path(), &["check", "--format", "github"]);
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("::error file=content/capabilities/unknown-key.md,line=5,col=1::")
    );
}

#[test]
fn ids_and_redirects_are_validated() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    write(
        tmp.path(),
        "content/capabilities/Bad_Id.md",
        &capability("title: B\nsummary: B.\ncategory: X", ""),
    );
    write(
        tmp.path(),
        "content/capabilities/delta.md",
        &capability(
            "title: D\nsummary: D.\ncategory: X\nredirect_from: [gamma]",
            "",
        ),
    );
    let out = text(&capcat(tmp.path(), &["check"]));
    assert!(
        out.contains("Bad_Id.md:1:1: error: capability id `Bad_Id`"),
        "{out}"
    );
    assert!(out.contains("rename the file to `bad-id.md`"), "{out}");
    assert!(
        out.contains("delta.md:5:1: error: redirect_from `gamma` is the id of another capability"),
        "{out}"
    );
}

#[test]
fn unknown_config_key_suggests_the_nearest() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    write(
        tmp.path(),
        "catalog.toml",
        "[site]\ntitle = \"x\"\n\n[code]\nmarkr = \"cap:\"\n",
    );
    let o = capcat(tmp.path(), &["build"]);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o);
    assert!(
        out.contains("catalog.toml:5:1: error: unknown key `markr`"),
        "{out}"
    );
    assert!(out.contains("did you mean `marker`"), "{out}");
}

#[test]
fn markdown_scripts_never_reach_pages() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    write(
        tmp.path(),
        "content/capabilities/xss.md",
        &capability(
            "title: \"<script>alert('t')</script>\"\nsummary: \"<img src=x onerror=alert(1)>\"\ncategory: X",
            "<script>alert(2)</script>\n<a href=\"javascript:alert(3)\">x</a>",
        ),
    );
    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    for (path, bytes) in read_tree(&tmp.path().join("public")) {
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains("<script>alert"), "{path}");
        assert!(!s.contains("<img src=x"), "{path}");
        assert!(!s.contains("javascript:alert"), "{path}");
    }
}

#[test]
fn user_theme_overrides_a_default_template() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    write(
        tmp.path(),
        "catalog.toml",
        "[site]\ntitle = \"Small\"\ntheme = \"acme\"\n",
    );
    write(
        tmp.path(),
        "themes/acme/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost at Acme</h1>{% endblock content %}",
    );
    write(tmp.path(), "themes/acme/static/logo.txt", "acme");
    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let page = std::fs::read_to_string(tmp.path().join("public/404.html")).unwrap();
    assert!(page.contains("Lost at Acme"));
    assert!(tmp.path().join("public/static/logo.txt").is_file());
    assert!(
        tmp.path().join("public/static/style.css").is_file(),
        "defaults remain"
    );
}

#[test]
fn init_scaffolds_a_buildable_catalog_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "content/_index.md",
        "---\ntitle: Mine\n---\nmine\n",
    );
    let o = capcat(tmp.path(), &["init"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("kept    ./content/_index.md"),
        "{}",
        text(&o)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("content/_index.md")).unwrap(),
        "---\ntitle: Mine\n---\nmine\n"
    );
    assert!(tmp.path().join(".github/workflows/capcat.yml").is_file());
    let o = capcat(tmp.path(), &["build", "--strict"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("0 error(s), 0 warning(s)"),
        "{}",
        text(&o)
    );
    write(
        tmp.path(),
        "content/capabilities/csv-export.md",
        &capability(
            "title: CSV export\nsummary: Reports as CSV.\ncategory: Reporting\nclaim: available",
            "",
        ),
    );
    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("claimed available but no code evidence"),
        "{}",
        text(&o)
    );
    let o = capcat(tmp.path(), &["build", "--strict"]);
    assert_eq!(o.status.code(), Some(1), "warnings fail under --strict");
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        capcat(tmp.path(), &["build"]).status.code(),
        Some(2),
        "no catalog.toml"
    );
    assert_eq!(capcat(tmp.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(capcat(tmp.path(), &["--help"]).status.code(), Some(0));
}

#[test]
fn pages_may_not_take_generated_paths() {
    let tmp = tempfile::tempdir().unwrap();
    small_catalog(tmp.path());
    write(
        tmp.path(),
        "content/roadmap/index.md",
        "---\ntitle: Mine\n---\nx\n",
    );
    let o = capcat(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o);
    assert!(
        out.contains("content/roadmap/index.md:1:1: error: page path /roadmap/ is reserved"),
        "{out}"
    );
}
