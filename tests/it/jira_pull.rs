//! `capcat jira pull` end to end against a local HTTP server on 127.0.0.1 that
//! replays the real Jira REST samples from `../shared/data/jira/json/`: Cloud
//! token pagination, Data Center offset pagination, 429 + Retry-After, 410,
//! 401, a server that never answers, a truncated body. No run may print the
//! token or write it to the snapshot.

use crate::util::http::{Reply, Server, base64, ok};
use crate::util::{capcat_command, files_below};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "capcat-test-token-7Qx9Zr2Lw8";
const USER: &str = "release-bot@harbor.example";

/// A REST JSON sample from the shared data folder.
fn sample(rel: &str) -> Option<Value> {
    let p = crate::util::jira_sample(&format!("json/{rel}"))?;
    Some(serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
}

/// A catalog in a temporary folder whose [jira.api] points at `url`.
fn catalog(flavor: &str, url: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        "[jira]\naccount_field = \"Customer\"\n[jira.api]\nflavor = \"{flavor}\"\nurl = \"{url}\"\njql = \"project = TMSP ORDER BY key\"\n{extra}"
    );
    std::fs::write(dir.path().join("catalog.toml"), toml).unwrap();
    dir
}

fn run_pull(dir: &Path, args: &[&str]) -> Output {
    capcat_command(dir)
        .args(["jira", "pull", "--config"])
        .arg(dir.join("catalog.toml"))
        .args(args)
        .env("JIRA_USER", USER)
        .env("JIRA_TOKEN", TOKEN)
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .output()
        .unwrap()
}

/// The token, and the basic-auth header built from it, appear nowhere.
fn assert_no_secret(out: &Output, dir: &Path) {
    let basic = base64(&format!("{USER}:{TOKEN}"));
    let mut texts = vec![
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ];
    for entry in files_below(dir) {
        texts.push(String::from_utf8_lossy(&std::fs::read(entry).unwrap()).into_owned());
    }
    for t in texts {
        assert!(!t.contains(TOKEN), "token leaked: {t}");
        assert!(!t.contains(&basic), "basic-auth header leaked: {t}");
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn snapshot(dir: &Path) -> Value {
    let b = std::fs::read(dir.join(".capcat-cache/jira-snapshot.json")).expect("snapshot written");
    serde_json::from_slice(&b).unwrap()
}

fn field_list() -> Value {
    json!([
        {"id": "summary", "name": "Summary", "custom": false, "schema": {"type": "string", "system": "summary"}},
        {"id": "customfield_10016", "name": "Story point estimate", "custom": true, "schema": {"type": "number"}},
        {"id": "customfield_10050", "name": "Customer", "custom": true, "schema": {"type": "option"}}
    ])
}

#[test]
fn cloud_token_pagination_over_three_pages() {
    let Some(page) = sample("v3-search-cloud-2024_page1-of-262_pragati-py.json") else {
        return;
    };
    let issues = page["issues"].as_array().unwrap().clone();
    let chunks: Vec<Vec<Value>> = issues.chunks(17).map(<[Value]>::to_vec).collect();
    assert_eq!(chunks.len(), 3);
    let server = Server::start(Box::new(move |req, _| {
        if !req.path.starts_with("/jira/") {
            return Reply::Json(404, vec![], "{}".into());
        }
        if req.path == "/jira/rest/api/3/field" {
            return ok(&field_list());
        }
        assert_eq!(req.path, "/jira/rest/api/3/search/jql");
        let i = match req.param("nextPageToken") {
            None => 0,
            Some("page-2") => 1,
            Some("page-3") => 2,
            Some(other) => panic!("unexpected token {other}"),
        };
        let mut body = json!({"issues": chunks[i], "isLast": i == 2, "names": {"customfield_10016": "Story point estimate"}});
        if i < 2 {
            body["nextPageToken"] = json!(format!("page-{}", i + 2));
        }
        ok(&body)
    }));
    let dir = catalog("cloud", &format!("{}/jira/", server.url), "");
    let out = run_pull(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pulled 50 issues (3 pages)"),
        "{}",
        stderr(&out)
    );
    let searches = server.searches();
    assert_eq!(searches.len(), 3);
    let expected_auth = format!("Basic {}", base64(&format!("{USER}:{TOKEN}")));
    for s in &searches {
        assert_eq!(s.header("authorization"), Some(expected_auth.as_str()));
        assert_eq!(s.param("jql"), Some("project = TMSP ORDER BY key"));
        let fields = s.param("fields").unwrap();
        assert!(
            fields.contains("summary")
                && fields.contains("parent")
                && fields.contains("issuelinks"),
            "{fields}"
        );
        assert!(
            fields.contains("customfield_10050"),
            "Customer field requested: {fields}"
        );
    }
    let snap = snapshot(dir.path());
    assert_eq!(snap["issues"].as_array().unwrap().len(), 50);
    assert_eq!(snap["capcat_snapshot"]["flavor"], "cloud");
    assert_no_secret(&out, dir.path());

    // The build reads the snapshot: 36 sub-tasks with their parents.
    let mut config = capcat::config::Config::load(&dir.path().join("catalog.toml")).unwrap();
    config.root = dir.path().to_path_buf();
    let data = capcat::jira::load(&config, true).unwrap();
    assert_eq!(data.items.len(), 50);
    assert!(data.snapshot_as_of.is_some());
    let subtasks = data
        .items
        .iter()
        .filter(|i| i.level == capcat::jira::HierarchyLevel::Subtask && i.parent.is_some());
    assert_eq!(subtasks.count(), 36);
}

#[test]
fn datacenter_offset_pagination_trusts_the_servers_page_size() {
    let (Some(p1), Some(p2), Some(fields)) = (
        sample("v2-search-dc-fiware_page1_perceval.json"),
        sample("v2-search-dc-fiware_page2_perceval.json"),
        sample("v2-field-dc-fiware_perceval.json"),
    ) else {
        return;
    };
    let server = Server::start(Box::new(move |req, _| match req.path.as_str() {
        "/rest/api/2/field" => ok(&fields),
        "/rest/api/2/search" => match req.param("startAt") {
            Some("0") => ok(&p1),
            Some("2") => ok(&p2),
            other => panic!("unexpected startAt {other:?}"),
        },
        _ => Reply::Json(404, vec![], "{}".into()),
    }));
    let dir = catalog("datacenter", &server.url, "");
    let out = run_pull(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let searches = server.searches();
    assert_eq!(searches.len(), 2);
    assert_eq!(
        searches[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(searches[0].param("maxResults"), Some("100"));
    let keys: Vec<String> = snapshot(dir.path())["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys, ["HELP-6043", "HELP-6042", "HELP-6041"]);
    assert_no_secret(&out, dir.path());
}

#[test]
fn rate_limit_429_waits_for_retry_after_then_succeeds() {
    let attempts = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&attempts);
    let server = Server::start(Box::new(move |req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        let mut n = counter.lock().unwrap();
        *n += 1;
        if *n == 1 {
            Reply::Json(
                429,
                vec![("Retry-After", "1".into())],
                r#"{"errorMessages":["Rate limit exceeded."]}"#.into(),
            )
        } else {
            ok(
                &json!({"isLast": true, "issues": [{"id": "1", "key": "RL-1", "fields": {"summary": "after the wait"}}]}),
            )
        }
    }));
    let dir = catalog("cloud", &server.url, "max_retries = 2\n");
    let start = Instant::now();
    let out = run_pull(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        start.elapsed()
    );
    assert_eq!(server.searches().len(), 2);
    assert_eq!(snapshot(dir.path())["issues"][0]["key"], "RL-1");
    assert_no_secret(&out, dir.path());
}

#[test]
fn unavailable_503_and_forbidden_403() {
    let calls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&calls);
    let server = Server::start(Box::new(move |req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        let mut n = counter.lock().unwrap();
        *n += 1;
        match *n {
            1 => Reply::Json(503, vec![], "Service Unavailable".into()),
            _ => ok(&json!({"startAt": 0, "maxResults": 50, "total": 0, "issues": []})),
        }
    }));
    let dir = catalog("datacenter", &server.url, "max_retries = 1\n");
    let out = run_pull(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.searches().len(), 2, "retried after backoff");

    let server = Server::start(Box::new(|_, _| {
        Reply::Json(403, vec![], r#"{"errorMessages":["Forbidden"]}"#.into())
    }));
    let dir = catalog("datacenter", &server.url, "");
    let out = run_pull(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("refused access (403"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("permissions"), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 1, "a 403 is not retried");
    assert_no_secret(&out, dir.path());
}

#[test]
fn gone_410_from_the_removed_cloud_search_is_explained() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        Reply::Json(410, vec![], r#"{"errorMessages":["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"]}"#.into())
    }));
    let dir = catalog("datacenter", &server.url, "");
    let out = run_pull(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("410") && err.contains("removed"), "{err}");
    assert!(err.contains("flavor = \"cloud\""), "{err}");
    assert_eq!(server.searches().len(), 1, "a 410 is not retried");
    assert!(!dir.path().join(".capcat-cache/jira-snapshot.json").exists());
    assert_no_secret(&out, dir.path());
}

#[test]
fn unauthorized_401_is_clear_and_keeps_the_old_snapshot() {
    let server = Server::start(Box::new(|_, _| {
        Reply::Json(401, vec![("WWW-Authenticate", "Basic realm=\"Jira\"".into())], r#"{"errorMessages":["You are not authenticated. Authentication required to perform this operation."]}"#.into())
    }));
    let dir = catalog("cloud", &server.url, "");
    std::fs::create_dir_all(dir.path().join(".capcat-cache")).unwrap();
    let old = r#"{"capcat_snapshot":{"as_of":"2026-11-01"},"issues":[]}"#;
    std::fs::write(dir.path().join(".capcat-cache/jira-snapshot.json"), old).unwrap();
    let out = run_pull(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("rejected the credentials (401"), "{err}");
    assert!(err.contains("API token"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".capcat-cache/jira-snapshot.json")).unwrap(),
        old
    );
    assert_no_secret(&out, dir.path());
}

#[test]
fn server_that_never_answers_times_out() {
    let server = Server::start(Box::new(|_, _| Reply::Hang));
    let dir = catalog(
        "datacenter",
        &server.url,
        "timeout_secs = 1\nmax_retries = 1\n",
    );
    let start = Instant::now();
    let out = run_pull(dir.path(), &[]);
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no answer from 127.0.0.1") && err.contains("within 1 s"),
        "{err}"
    );
    assert!(err.contains("timeout_secs"), "{err}");
    assert_eq!(server.requests().len(), 2, "one retry");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_no_secret(&out, dir.path());
}

#[test]
fn truncated_json_body_fails_cleanly() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        Reply::Json(200, vec![], r#"{"startAt":0,"maxResults":50,"total":3,"issues":[{"id":"1","key":"TR-1","fields":{"summary":"cut he"#.into())
    }));
    let dir = catalog("datacenter", &server.url, "");
    let target = dir.path().join("snap.json");
    let out = run_pull(dir.path(), &["--out", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("not complete JSON"), "{err}");
    assert!(err.contains("run `capcat jira pull` again"), "{err}");
    assert!(!target.exists());
    assert_no_secret(&out, dir.path());
}

#[test]
fn missing_token_is_a_configuration_error() {
    let dir = catalog("cloud", "http://127.0.0.1:9", "");
    let out = capcat_command(dir.path())
        .args(["jira", "pull", "--config"])
        .arg(dir.path().join("catalog.toml"))
        .env("JIRA_USER", USER)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("JIRA_TOKEN is not set"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn out_flag_and_a_server_without_field_list() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return Reply::Json(404, vec![], "{}".into());
        }
        ok(
            &json!({"startAt": 0, "maxResults": 50, "total": 1, "issues": [{"id": "1", "key": "LB-1", "fields": {"summary": "x"}}]}),
        )
    }));
    let dir = catalog("datacenter", &server.url, "");
    let out_path = dir.path().join("nested/out.json");
    let out = run_pull(dir.path(), &["--out", out_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pulled 1 issues (1 pages)"),
        "{}",
        stderr(&out)
    );
    let snap: Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert_eq!(snap["issues"][0]["key"], "LB-1");
    assert!(!dir.path().join(".capcat-cache").exists());
    assert_no_secret(&out, dir.path());
}

/// `capcat build` pulls first when [jira.api] is set; `--offline` then builds
/// from the snapshot and every page says how old the roadmap data is (docs/jira.md).
#[test]
fn build_pulls_first_and_offline_uses_the_snapshot() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        ok(
            &json!({"startAt": 0, "maxResults": 50, "total": 1, "issues": [{"id": "10", "key": "SHOP-120", "fields": {
            "summary": "SAML single sign-on", "labels": ["cap:sso-saml"],
            "issuetype": {"name": "Epic", "hierarchyLevel": 1},
            "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}}}}]}),
        )
    }));
    let dir = tempfile::tempdir().unwrap();
    let init = capcat_command(dir.path()).arg("init").output().unwrap();
    assert!(init.status.success(), "{}", stderr(&init));
    let config = dir.path().join("catalog.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str(&format!(
        "\n[jira]\n[jira.api]\nflavor = \"datacenter\"\nurl = \"{}\"\njql = \"project = SHOP\"\n",
        server.url
    ));
    std::fs::write(&config, &toml).unwrap();
    let build = |extra: &[&str]| {
        capcat_command(dir.path())
            .arg("build")
            .arg("--config")
            .arg(&config)
            .args(["--out"])
            .arg(dir.path().join("public"))
            .args(extra)
            .env("JIRA_TOKEN", TOKEN)
            .env("CI", "1")
            .output()
            .unwrap()
    };
    let online = build(&[]);
    assert!(online.status.success(), "{}", stderr(&online));
    assert_eq!(server.searches().len(), 1);
    let catalog = std::fs::read_to_string(dir.path().join("public/catalog.json")).unwrap();
    assert!(catalog.contains("SHOP-120"), "the pulled epic is linked");
    assert_no_secret(&online, dir.path());

    // The server is gone: an online build fails, an offline one uses the snapshot.
    let mut unreachable = toml.replace(&server.url, "http://127.0.0.1:9");
    unreachable.push_str("max_retries = 0\ntimeout_secs = 2\n");
    std::fs::write(&config, unreachable).unwrap();
    let failed = build(&[]);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("Jira pull failed"),
        "{}",
        stderr(&failed)
    );
    let offline = build(&["--offline"]);
    assert!(offline.status.success(), "{}", stderr(&offline));
    for page in files_below(&dir.path().join("public")) {
        let html = std::fs::read_to_string(&page).unwrap_or_default();
        // Redirect stubs and the standalone not-found page carry no roadmap data.
        let roadmap_page = page.extension().is_some_and(|e| e == "html")
            && !html.contains("http-equiv=\"refresh\"")
            && !page.ends_with("404.html");
        if roadmap_page {
            assert!(
                html.contains("Roadmap data as of"),
                "offline notice missing on {}",
                page.display()
            );
        }
    }
    assert_no_secret(&offline, dir.path());
}
