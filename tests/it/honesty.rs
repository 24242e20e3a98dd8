//! Never confidently wrong: on a real code base (the oauthlib fixture), a
//! typo in a matcher, a mistyped code root and `-v` noise each give a
//! located problem with a did-you-mean, never a silent "No"; `-q`/`-v`
//! never change the verdict; `init`'s scaffold passes its own strict check.

use crate::util::{capcat, capcat_command, copy_dir, http, read_tree, repo, text, write};
use std::path::Path;

/// A copy of the oauthlib fixture catalog in a fresh folder.
fn oauthlib() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/oauthlib"), tmp.path());
    tmp
}

fn status_of(dir: &Path, id: &str) -> String {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("public/catalog.json")).unwrap()).unwrap();
    json["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} in catalog.json"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn typos_in_matchers_are_located_with_the_real_name_and_make_unverified() {
    let tmp = oauthlib();
    let o = capcat(tmp.path(), &["check"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains(
            "content/capabilities/token-introspection.md:7:12: warning: `token-introspection`: no file matches paths glob `oauthlib/oauth2/rfc6749/endpoint/introspect.py`; did you mean `oauthlib/oauth2/rfc6749/endpoints/introspect.py`?"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "content/capabilities/token-introspection.md:8:14: warning: `token-introspection`: no symbol `IntrospectionEndpoint` is defined in the code; did you mean `IntrospectEndpoint` (oauthlib/oauth2/rfc6749/endpoints/introspect.py:20)?"
        ),
        "{out}"
    );
    assert!(
        !out.contains("DeviceAuthorizationEndpoint"),
        "a claimed-unavailable capability's matcher is a tripwire: {out}"
    );
    assert!(out.contains("0 error(s), 2 warning(s)"), "{out}");

    let strict = capcat(tmp.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    assert!(text(&strict).contains("introspect.py:20)?"));
    let strict_build = capcat(tmp.path(), &["build", "--strict"]);
    assert_eq!(strict_build.status.code(), Some(1));
    assert!(!tmp.path().join("public").exists(), "nothing written");

    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(status_of(tmp.path(), "token-introspection"), "unverified");
    assert_eq!(status_of(tmp.path(), "token-revocation"), "available");
    assert_eq!(status_of(tmp.path(), "server-metadata"), "available");
    assert_eq!(status_of(tmp.path(), "device-authorization"), "unavailable");
    let page = std::fs::read_to_string(
        tmp.path()
            .join("public/capabilities/token-introspection/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("we could not confirm this in the code; ask product"),
        "the answer is not a silent No"
    );
}

#[test]
fn a_fixed_typo_turns_the_capability_available_and_silent() {
    let tmp = oauthlib();
    let file = tmp
        .path()
        .join("content/capabilities/token-introspection.md");
    let fixed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("endpoint/introspect", "endpoints/introspect")
        .replace("IntrospectionEndpoint", "IntrospectEndpoint");
    std::fs::write(&file, fixed).unwrap();
    let o = capcat(tmp.path(), &["build", "--strict"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(status_of(tmp.path(), "token-introspection"), "available");
}

#[test]
fn tripwire_turns_available_with_drift_when_the_code_lands() {
    let tmp = oauthlib();
    write(
        tmp.path(),
        "oauthlib/oauth2/rfc8628/device.py",
        "class DeviceAuthorizationEndpoint:\n    pass\n",
    );
    let o = capcat(tmp.path(), &["build"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("content/capabilities/device-authorization.md:6: warning: `device-authorization` is claimed unavailable but found in code (oauthlib/oauth2/rfc8628/device.py:1)"),
        "{out}"
    );
    assert_eq!(status_of(tmp.path(), "device-authorization"), "available");
}

#[test]
fn a_mistyped_root_is_a_configuration_error_and_the_site_stays() {
    let tmp = oauthlib();
    let o = capcat(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", text(&o));
    let before = read_tree(&tmp.path().join("public"));
    let toml = std::fs::read_to_string(tmp.path().join("catalog.toml")).unwrap();
    std::fs::write(
        tmp.path().join("catalog.toml"),
        toml.replace("roots = [\".\"]", "roots = [\"oauthlb\"]"),
    )
    .unwrap();
    for args in [
        &["build"][..],
        &["build", "--strict"],
        &["check"],
        &["check", "--strict"],
    ] {
        let o = capcat(tmp.path(), args);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {out}");
        assert!(
            out.contains("catalog.toml:10:11: error: code root `oauthlb` does not exist"),
            "{out}"
        );
        assert!(out.contains("did you mean `oauthlib`?"), "{out}");
    }
    assert_eq!(
        read_tree(&tmp.path().join("public")),
        before,
        "site untouched"
    );

    write(tmp.path(), "notes/todo.txt", "not code");
    let toml = std::fs::read_to_string(tmp.path().join("catalog.toml")).unwrap();
    std::fs::write(
        tmp.path().join("catalog.toml"),
        toml.replace("\"oauthlb\"", "\"notes\""),
    )
    .unwrap();
    let o = capcat(tmp.path(), &["build"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("code root `notes` holds no source file capcat can read"),
        "{}",
        text(&o)
    );
    assert_eq!(
        read_tree(&tmp.path().join("public")),
        before,
        "site untouched"
    );
}

#[test]
fn the_site_its_cache_and_content_are_never_scanned() {
    let tmp = oauthlib();
    assert!(capcat(tmp.path(), &["build"]).status.success());
    for rel in [
        "public/extra.js",
        ".capcat-cache/stray.py",
        "content/snippet.py",
    ] {
        write(tmp.path(), rel, "// capability: ghost-capability\n");
    }
    let o = capcat(tmp.path(), &["check"]);
    assert!(!text(&o).contains("ghost-capability"), "{}", text(&o));
}

/// Noise a real repository has: a compiled `.pyc`, an image, a lock file, a
/// minified bundle, and the site capcat built itself.
fn add_noise(dir: &Path) {
    write(
        dir,
        "oauthlib/__pycache__/base.cpython-312.pyc",
        "\u{0}\u{0}pyc",
    );
    write(dir, "docs/logo.png", "\u{89}PNG\u{0}");
    write(dir, "poetry.lock", "[[package]]\n");
    write(
        dir,
        "web/vendor.min.js",
        &format!("var a={};\n", "x".repeat(5000)),
    );
    assert!(capcat(dir, &["build", "-q"]).status.code().is_some());
}

/// Exit code of a text run and the warning and error counts of a JSON run,
/// for one verbosity flag (or none).
fn verdict(dir: &Path, strict: bool, flag: Option<&str>) -> (Option<i32>, usize, usize) {
    let mut args: Vec<&str> = flag.into_iter().collect();
    args.extend(["check", "--offline"]);
    if strict {
        args.push("--strict");
    }
    let code = capcat(dir, &args).status.code();
    args.extend(["--format", "json"]);
    let o = capcat(dir, &args);
    let json: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let count = |level: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == level)
            .count()
    };
    (code, count("warning"), count("error"))
}

#[test]
fn verbosity_never_changes_exit_code_or_warning_count() {
    let fixture = oauthlib();
    add_noise(fixture.path());
    let scaffold = tempfile::tempdir().unwrap();
    write(scaffold.path(), "app/main.py", "def main():\n    pass\n");
    assert!(capcat(scaffold.path(), &["init"]).status.success());
    add_noise(scaffold.path());
    for dir in [repo().as_path(), fixture.path(), scaffold.path()] {
        for strict in [false, true] {
            let runs: Vec<_> = [Some("-q"), None, Some("-v")]
                .into_iter()
                .map(|flag| verdict(dir, strict, flag))
                .collect();
            assert!(
                runs.windows(2).all(|w| w[0] == w[1]),
                "{} (strict {strict}): -q, none, -v gave {runs:?}",
                dir.display()
            );
        }
    }
    let (code, warnings, _) = verdict(fixture.path(), false, Some("-v"));
    assert_eq!((code, warnings), (Some(0), 2), "only the two typos");
    assert_eq!(
        verdict(scaffold.path(), true, Some("-v")),
        (Some(0), 0, 0),
        "the scaffold passes --strict -v over its own output"
    );
    let v = capcat(fixture.path(), &["-v", "check"]);
    let out = text(&v);
    assert!(out.contains("scan: "), "{out}");
    assert!(out.contains("1 lock or generated, 1 minified"), "{out}");
    assert_eq!(
        out.matches(": warning: ").count(),
        2,
        "no warning per skipped file: {out}"
    );
}

#[test]
fn init_in_an_empty_folder_passes_check_strict_and_its_workflow_is_sound() {
    let tmp = tempfile::tempdir().unwrap();
    let o = capcat(tmp.path(), &["init"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = capcat(tmp.path(), &["check", "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    let yaml = std::fs::read_to_string(tmp.path().join(".github/workflows/capcat.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&yaml).expect("valid YAML");
    assert_eq!(
        workflow["env"]["CAPCAT_GIT"].as_str(),
        Some(env!("CARGO_PKG_REPOSITORY")),
        "installs from this project's repository"
    );
    let steps = workflow["jobs"]["catalog"]["steps"].as_array().unwrap();
    let known_actions = [
        "actions/checkout@v4",
        "actions/cache@v4",
        "actions/upload-pages-artifact@v3",
    ];
    let mut commands = Vec::new();
    for step in steps {
        assert!(step["name"].is_string(), "every step is named: {step}");
        if let Some(uses) = step["uses"].as_str() {
            assert!(known_actions.contains(&uses), "unknown action {uses}");
        }
        if let Some(run) = step["run"].as_str() {
            commands.push(run.trim().to_string());
        }
    }
    let cache = steps
        .iter()
        .find(|s| s["uses"] == "actions/cache@v4")
        .unwrap();
    assert!(
        cache["with"]["path"]
            .as_str()
            .unwrap()
            .contains("~/.cargo/registry"),
        "the cargo cache is restored"
    );
    let install = format!(
        "cargo install --git \"$CAPCAT_GIT\" --locked {}",
        env!("CARGO_PKG_NAME")
    );
    assert_eq!(commands[0], install, "{commands:?}");
    assert!(
        workflow["env"]["CAPCAT_BASELINE"]
            .as_str()
            .is_some_and(|u| u.ends_with("/catalog.json")),
        "every build compares with the published catalog.json"
    );
    // First publish: the baseline URL answers 404. Then the site is
    // published and every step runs again against it.
    let empty = tempfile::tempdir().unwrap();
    let unpublished = http::Server::files(empty.path(), "/");
    run_workflow_steps(tmp.path(), &commands[1..], &unpublished.url);
    let site = tempfile::tempdir().unwrap();
    copy_dir(&tmp.path().join("public"), site.path());
    let published = http::Server::files(site.path(), "/");
    run_workflow_steps(tmp.path(), &commands[1..], &published.url);
}

/// Runs each workflow `run:` line with `sh`, capcat on the `PATH`, the
/// baseline at `base/catalog.json` and a step summary file.
fn run_workflow_steps(dir: &Path, commands: &[String], base: &str) {
    let bin = Path::new(env!("CARGO_BIN_EXE_capcat")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let summary = dir.join("step-summary.md");
    for c in commands {
        assert!(c.starts_with("capcat "), "{c}");
        let cmd = capcat_command(dir);
        let o = std::process::Command::new("sh")
            .args(["-c", c])
            .current_dir(dir)
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env_remove("JIRA_TOKEN")
            .env("PATH", &path)
            .env("CAPCAT_BASELINE", format!("{base}/catalog.json"))
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .expect("sh runs");
        assert_eq!(
            o.status.code(),
            Some(0),
            "`{c}` in the scaffold: {}",
            text(&o)
        );
    }
}
