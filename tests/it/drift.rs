//! The drift report and the CI gate: every kind of drift in the drift
//! fixture is listed by `check` at its file and line, fails `--strict`,
//! becomes a GitHub annotation and shows on the internal `/drift/` page;
//! the demo passes `--strict`; a broken link planted in a theme template
//! fails `build --strict`.

use crate::util::{capcat, copy_dir, repo, text, write};

fn drift_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/drift"), tmp.path());
    tmp
}

/// One line per drift kind: where it is reported and what it says.
const EXPECTED: [(&str, &str); 11] = [
    (
        "content/capabilities/typo.md:6:14: ",
        "no symbol `RealThnig` is defined in the code; did you mean `RealThing` (code/services/app.py:5)?",
    ),
    (
        "content/capabilities/claimed.md:7:14: ",
        "no symbol `GhostThing` is defined in the code",
    ),
    (
        "content/capabilities/epic-done.md:7:12: ",
        "no file matches paths glob `services/done/**`",
    ),
    (
        "content/capabilities/claimed.md:5: ",
        "`claimed` is claimed available but no code evidence was found",
    ),
    (
        "content/capabilities/absent-found.md:5: ",
        "`absent-found` is claimed unavailable but found in code (code/services/app.py:5)",
    ),
    (
        "content/capabilities/ahead.md:5: ",
        "the roadmap says planned (Epic DRF-1 To Do): is it shipped?",
    ),
    (
        "content/capabilities/epic-open.md:5: ",
        "linked work is still open (Epic DRF-2 In Progress)",
    ),
    (
        "content/capabilities/epic-done.md:5: ",
        "linked Epic DRF-3 is Done but no code evidence was found",
    ),
    (
        "code/services/app.py:1: ",
        "marker names unknown capability `epic-opne`",
    ),
    (
        "",
        "Jira issue DRF-4 is labelled `cap:absent-fuond`, but there is no capability `absent-fuond`",
    ),
    (
        "content/capabilities/unverifiable.md:1: ",
        "`unverifiable` has no evidence matchers and no marker",
    ),
];

#[test]
fn check_lists_every_kind_of_drift_at_its_location() {
    let tmp = drift_fixture();
    let o = capcat(tmp.path(), &["check"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "warnings only: {out}");
    for (at, what) in EXPECTED {
        let found = out
            .lines()
            .any(|l| l.starts_with(&format!("{at}warning: ")) && l.contains(what));
        assert!(found, "missing `{at}warning: …{what}` in\n{out}");
    }
    assert!(out.contains("did you mean `epic-open`?"), "{out}");
    assert!(out.contains("did you mean `cap:absent-found`?"), "{out}");
    assert!(
        out.contains("checked: 0 error(s), 11 warning(s); drift: 11 item(s); coverage: 3 of 4 shipped capabilities backed by code (75%)"),
        "{out}"
    );

    let strict = capcat(tmp.path(), &["check", "--strict"]);
    let out = text(&strict);
    assert_eq!(strict.status.code(), Some(1), "{out}");
    assert_eq!(out.matches(": error: ").count(), 10, "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("error: Jira issue DRF-4")),
        "{out}"
    );
    assert!(out.contains("11 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let tmp = drift_fixture();
    let annotation =
        regex::Regex::new(r"^::(error|warning)( file=[^,:\r\n]+,line=\d+(,col=\d+)?)?::[^\r\n]+$")
            .unwrap();
    for (args, level) in [
        (&["check", "--format", "github"][..], "warning"),
        (&["check", "--strict", "--format", "github"], "error"),
    ] {
        let o = capcat(tmp.path(), args);
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), EXPECTED.len(), "{stdout}");
        for l in &lines {
            assert!(annotation.is_match(l), "not an annotation: {l}");
            assert!(l.starts_with(&format!("::{level}")), "{l}");
        }
        assert!(
            lines.contains(&format!(
                "::{level} file=content/capabilities/typo.md,line=6,col=14::`typo`: no symbol `RealThnig` is defined in the code; did you mean `RealThing` (code/services/app.py:5)? — fix the matcher; if the capability is not built yet, say `claim: unavailable` and its matchers wait for the code"
            )
            .as_str()),
            "{stdout}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("::{level}::Jira issue DRF-4"))),
            "{stdout}"
        );
    }
}

#[test]
fn the_drift_page_and_coverage_are_internal() {
    let tmp = drift_fixture();
    let o = capcat(tmp.path(), &["build", "--out", "internal"]);
    assert!(o.status.success(), "{}", text(&o));
    let page = std::fs::read_to_string(tmp.path().join("internal/drift/index.html")).unwrap();
    for title in [
        "Matchers that match nothing",
        "Claimed, but no code found",
        "Claimed absent, but found in code",
        "Code ahead of the roadmap",
        "Code found, epic still open",
        "Epic done, no code found",
        "Markers naming unknown capabilities",
        "Jira labels naming unknown capabilities",
        "Unverifiable: no matchers, no markers",
    ] {
        assert!(page.contains(title), "{title} missing from /drift/");
    }
    assert!(
        page.contains("<code class=\"drift-where\">content/capabilities/typo.md:6:14</code>"),
        "each item with its location"
    );
    assert!(
        page.contains("<strong>75%</strong>"),
        "coverage on the page"
    );
    let home = std::fs::read_to_string(tmp.path().join("internal/index.html")).unwrap();
    assert!(
        home.contains("drift/index.html"),
        "linked from the home page"
    );
    assert!(
        home.contains("<strong>75%</strong>"),
        "coverage on the home page"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("internal/catalog.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["coverage"],
        serde_json::json!({"shipped": 4, "backed": 3, "percent": 75})
    );

    let o = capcat(
        tmp.path(),
        &["build", "--out", "public", "--audience", "public"],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(!tmp.path().join("public/drift").exists());
    let home = std::fs::read_to_string(tmp.path().join("public/index.html")).unwrap();
    assert!(!home.contains("drift/index.html") && !home.contains("75%"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("public/catalog.json")).unwrap())
            .unwrap();
    assert!(json.get("coverage").is_none(), "coverage is internal");
}

#[test]
fn the_demo_passes_strict() {
    let tmp = tempfile::tempdir().unwrap();
    let o = capcat(&repo(), &["check", "--strict", "--offline"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 error(s), 0 warning(s); drift: 0 item(s)"));
    let out = tmp.path().join("site");
    let o = capcat(
        &repo(),
        &[
            "build",
            "--strict",
            "--offline",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let drift = std::fs::read_to_string(out.join("drift/index.html")).unwrap();
    assert!(drift.contains("No drift"), "the demo's drift page is empty");
}

#[test]
fn a_broken_link_in_a_theme_template_fails_build_strict() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(capcat(tmp.path(), &["init"]).status.success());
    let o = capcat(tmp.path(), &["build", "--strict"]);
    assert!(
        o.status.success(),
        "the scaffold's links resolve: {}",
        text(&o)
    );
    write(
        tmp.path(),
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p><a href=\"{{ root }}guides/setup/index.html\">Set up</a> <a href=\"{{ root }}index.html#pricing\">Pricing</a></p>{% endblock content %}",
    );
    write(
        tmp.path(),
        "content/about.md",
        "---\ntitle: About\n---\nAbout us.\n",
    );
    let before = crate::util::read_tree(&tmp.path().join("public"));
    let o = capcat(tmp.path(), &["build", "--strict"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("error: broken link on page /about/: `../guides/setup/index.html` points to /guides/setup/index.html, which the site does not have"),
        "{out}"
    );
    assert!(
        out.contains("error: broken link on page /about/: `../index.html#pricing` points to #pricing, which /index.html does not have"),
        "{out}"
    );
    assert_eq!(
        crate::util::read_tree(&tmp.path().join("public")),
        before,
        "nothing written"
    );
    let o = capcat(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "a warning without --strict");
    assert_eq!(text(&o).matches("warning: broken link").count(), 2);
}
