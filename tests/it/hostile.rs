//! Hostile inputs found by a probe of the build, each kept found: a file name
//! that would become a `javascript:` link, nesting that would take minutes,
//! colliding or overlong names, unreadable configuration in every output
//! format, inputs far larger than any real one, and a closed stdout.

use crate::util::{capability, capcat, capcat_command, read_tree, small_catalog, text, write};
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

fn check(dir: &Path, args: &[&str]) -> std::process::Output {
    capcat(dir, &[&["check"], args].concat())
}

#[test]
fn a_file_name_never_becomes_a_link() {
    let dir = tempfile::tempdir().unwrap();
    small_catalog(dir.path());
    write(
        dir.path(),
        "content/javascript:alert(document.domain).md",
        "---\ntitle: Click me\npublic: true\n---\nHi.\n",
    );
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out)
            .contains("content/javascript:alert(document.domain).md:1:1: error: page path part"),
        "{}",
        text(&out)
    );
    let build = capcat(dir.path(), &["build"]);
    assert_eq!(build.status.code(), Some(1));
    assert!(!dir.path().join("public").exists(), "nothing is written");
}

#[test]
fn deep_nesting_fails_fast_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    small_catalog(dir.path());
    let body = format!("Intro.\n\n{} deep\n", ">".repeat(100_000));
    write(
        dir.path(),
        "content/capabilities/deep.md",
        &capability("title: Deep\nsummary: s\ncategory: Data", &body),
    );
    write(
        dir.path(),
        "content/capabilities/divs.md",
        &capability(
            "title: Divs\nsummary: s\ncategory: Data",
            &"<div>".repeat(20_000),
        ),
    );
    let started = Instant::now();
    let out = check(dir.path(), &[]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("content/capabilities/deep.md:8:1: error: the text is nested"),
        "{all}"
    );
    assert!(
        all.contains("content/capabilities/divs.md:6:1: error: the text is nested"),
        "{all}"
    );
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");
}

#[test]
fn categories_sharing_an_address_name_both_files() {
    let dir = tempfile::tempdir().unwrap();
    small_catalog(dir.path());
    write(
        dir.path(),
        "content/capabilities/one.md",
        &capability("title: One\nsummary: s\ncategory: Security & access", ""),
    );
    write(
        dir.path(),
        "content/capabilities/two.md",
        &capability("title: Two\nsummary: s\ncategory: Security access", ""),
    );
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("content/capabilities/two.md:4:1: error: category `Security access` has the same address /categories/security-access/ as `Security & access` (content/capabilities/one.md)"),
        "{}",
        text(&out)
    );
}

#[test]
fn overlong_names_fail_in_check_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    small_catalog(dir.path());
    write(
        dir.path(),
        "content/capabilities/long.md",
        &capability(
            &format!(
                "title: Long\nsummary: s\ncategory: {}\nredirect_from: [{}]",
                "c".repeat(240),
                "r".repeat(256)
            ),
            "",
        ),
    );
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("content/capabilities/long.md:4:1: error: a value of `category` is longer than 80 characters"),
        "{}",
        text(&out)
    );
}

#[test]
fn configuration_errors_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    small_catalog(dir.path());
    std::fs::write(
        dir.path().join("catalog.toml"),
        b"[site]\ntitle = \"Caf\xe9\"\n",
    )
    .unwrap();
    let text_out = check(dir.path(), &[]);
    assert_eq!(text_out.status.code(), Some(2));
    assert!(
        text(&text_out).contains("catalog.toml:2:13: error: the configuration is not valid UTF-8"),
        "{}",
        text(&text_out)
    );
    assert!(
        !text(&text_out).contains("capcat init"),
        "{}",
        text(&text_out)
    );
    let json = check(dir.path(), &["--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(v[0]["line"], 2);
    assert_eq!(v[0]["column"], 13);
    let github = check(dir.path(), &["--format", "github"]);
    assert_eq!(github.status.code(), Some(2));
    let annotations = String::from_utf8_lossy(&github.stdout);
    assert!(
        annotations.starts_with("::error file=catalog.toml,line=2,col=13::"),
        "{annotations}"
    );
}

/// Peak resident memory of `capcat <args>` in KiB, measured by GNU time.
fn peak_kib(dir: &Path, args: &[&str]) -> Option<(u64, i32)> {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipping the memory figure: /usr/bin/time is not installed");
        return None;
    }
    let report = dir.join("rss.txt");
    let status = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_capcat"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    // GNU time writes "Command exited with non-zero status N" first when it does.
    let report = std::fs::read_to_string(report).unwrap();
    let kib = report.lines().last().unwrap().trim().parse().unwrap();
    Some((kib, status.code().unwrap_or(-1)))
}

#[test]
fn inputs_far_beyond_real_ones_cost_little_memory() {
    let limit_kib = 200 * 1024;
    let title = tempfile::tempdir().unwrap();
    small_catalog(title.path());
    write(
        title.path(),
        "content/capabilities/huge.md",
        &capability(
            &format!(
                "title: {}\nsummary: s\ncategory: Data",
                "T".repeat(30 << 20)
            ),
            "",
        ),
    );
    let browse = tempfile::tempdir().unwrap();
    small_catalog(browse.path());
    write(
        browse.path(),
        "catalog.toml",
        &format!(
            "[jira]\nbrowse_url = \"https://x.example/{}{{key}}\"\n",
            "a".repeat(4 << 20)
        ),
    );
    let toml = tempfile::tempdir().unwrap();
    small_catalog(toml.path());
    let mut big = String::from("[site]\ntitle = \"x\"\nbad = ");
    big.push_str(&"#".repeat(219 << 20));
    write(toml.path(), "catalog.toml", &big);
    for (name, dir) in [
        ("30 MB title", &title),
        ("4 MB browse_url", &browse),
        ("219 MB catalog.toml", &toml),
    ] {
        let started = Instant::now();
        let Some((kib, code)) = peak_kib(dir.path(), &["build"]) else {
            return;
        };
        eprintln!(
            "{name}: exit {code}, peak RSS {} MiB, {:?}",
            kib / 1024,
            started.elapsed()
        );
        assert_ne!(code, 0, "{name} is refused");
        assert!(kib < limit_kib, "{name}: peak RSS {kib} KiB");
        assert!(
            !dir.path().join("public").exists(),
            "{name}: nothing is written"
        );
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let repo = crate::util::repo();
    for args in [
        &["ask", "--offline", "sso"][..],
        &["ask", "--offline", "--json", "sso"],
        &["check", "--offline", "--format", "json"],
        &["scan", "--format", "json"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = capcat_command(&repo)
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
        assert!(
            out.status.success() || out.status.code() == Some(1),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn hostile_names_never_reach_the_site() {
    let dir = tempfile::tempdir().unwrap();
    small_catalog(dir.path());
    let out = capcat(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", text(&out));
    for (path, bytes) in read_tree(&dir.path().join("public")) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains("javascript:"), "{path}");
    }
}
