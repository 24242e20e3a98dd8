//! `capcat jira pull` against a hostile or broken Jira on 127.0.0.1: paging
//! that never advances, responses far too large, a server echoing the
//! request's credentials, and `Retry-After` asking for days. Every run is
//! bounded in time, ends with a plain error, keeps the previous snapshot, and
//! never shows the token — raw, as a Bearer header or inside the Basic
//! header — in any output or file.

use crate::util::files_below;
use crate::util::http::{Reply, Server, base64, ok};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const TOKEN: &str = "capcat-fault-token-Zq81Lm4Np0";
const USER: &str = "release-bot@harbor.example";
const OLD_SNAPSHOT: &str = r#"{"capcat_snapshot":{"as_of":"2026-11-01"},"issues":[]}"#;
/// Longest any run may take; a pull that loops or waits forever is killed.
const DEADLINE: Duration = Duration::from_secs(20);

fn field_list() -> Value {
    json!([{"id": "customfield_10050", "name": "Customer", "custom": true}])
}

fn issue(key: &str) -> Value {
    json!({"id": key, "key": key, "fields": {"summary": format!("issue {key}")}})
}

/// A catalog whose [jira.api] points at `url`, with an old snapshot in place.
fn catalog(flavor: &str, url: &str, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        "[jira]\n[jira.api]\nflavor = \"{flavor}\"\nurl = \"{url}\"\njql = \"project = TMSP ORDER BY key\"\ntimeout_secs = 5\n{extra}"
    );
    std::fs::write(dir.path().join("catalog.toml"), toml).unwrap();
    std::fs::create_dir_all(dir.path().join(".capcat-cache")).unwrap();
    std::fs::write(snapshot_path(dir.path()), OLD_SNAPSHOT).unwrap();
    dir
}

fn snapshot_path(dir: &Path) -> PathBuf {
    dir.join(".capcat-cache/jira-snapshot.json")
}

/// One finished (or killed) run of `capcat jira pull`.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
    /// Peak resident memory in KiB, when measured.
    max_rss_kib: Option<u64>,
}

/// Runs `capcat jira pull` on the catalog in `dir`, killing it at
/// [`DEADLINE`]. `measure` runs it under `/usr/bin/time` for its peak memory.
fn pull(dir: &Path, args: &[&str], measure: bool) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let (out_path, err_path, rss_path) = (
        logs.path().join("out"),
        logs.path().join("err"),
        logs.path().join("rss"),
    );
    let measure = measure && Path::new("/usr/bin/time").exists();
    let mut cmd = if measure {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&rss_path);
        c.arg(env!("CARGO_BIN_EXE_capcat"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_capcat"))
    };
    cmd.args(args)
        .args(["jira", "pull", "--config"])
        .arg(dir.join("catalog.toml"))
        .env("JIRA_USER", USER)
        .env("JIRA_TOKEN", TOKEN)
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > DEADLINE {
            // The whole group: under /usr/bin/time, capcat is a grandchild.
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let max_rss_kib = read(&rss_path)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok());
    Run {
        code,
        stdout: read(&out_path),
        stderr: read(&err_path),
        took: start.elapsed(),
        max_rss_kib,
    }
}

impl Run {
    /// The run ended by itself, with exit code 1 and a plain error.
    fn assert_failed_cleanly(&self, what: &str) {
        assert!(
            self.took < DEADLINE,
            "{what}: still running after {:?}; stderr so far: {}",
            self.took,
            self.stderr
        );
        assert_eq!(self.code, Some(1), "{what}: {}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{what}: {}", self.stderr);
        eprintln!(
            "{what}: failed cleanly in {:?}:\n{}",
            self.took, self.stderr
        );
    }
}

fn basic_credentials() -> String {
    base64(&format!("{USER}:{TOKEN}"))
}

/// Neither the token nor its Basic form is in the run's output or in any
/// file of the catalog folder.
fn assert_no_secret(run: &Run, dir: &Path) {
    let basic = basic_credentials();
    let unpadded = basic.trim_end_matches('=').to_string();
    let mut texts = vec![run.stdout.clone(), run.stderr.clone()];
    for file in files_below(dir) {
        texts.push(String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned());
    }
    for t in texts {
        assert!(!t.contains(TOKEN), "token leaked: {t}");
        assert!(!t.contains(&unpadded), "basic-auth credentials leaked: {t}");
    }
}

fn assert_old_snapshot_kept(dir: &Path) {
    assert_eq!(
        std::fs::read_to_string(snapshot_path(dir)).unwrap(),
        OLD_SNAPSHOT,
        "the previous snapshot must survive a failed pull"
    );
}

/// Checks a failed pull: plain error containing each of `needles`, bounded
/// time, old snapshot kept, no secret anywhere.
fn assert_pull_fails(run: &Run, dir: &Path, what: &str, needles: &[&str]) {
    run.assert_failed_cleanly(what);
    for n in needles {
        assert!(
            run.stderr.contains(n),
            "{what}: expected `{n}` in: {}",
            run.stderr
        );
    }
    assert_old_snapshot_kept(dir);
    assert_no_secret(run, dir);
}

#[test]
fn cloud_fresh_token_on_every_page_with_the_same_issue_stops() {
    let server = Server::start(Box::new(|req, n| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        ok(
            &json!({"issues": [issue("TMSP-1")], "isLast": false, "nextPageToken": format!("fresh-{n}")}),
        )
    }));
    let dir = catalog("cloud", &server.url, "");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(
        &run,
        dir.path(),
        "fresh tokens",
        &["no new issue", "page 2"],
    );
    assert_eq!(server.searches().len(), 2);
}

#[test]
fn cloud_tokens_alternating_between_two_values_stop() {
    let server = Server::start(Box::new(|req, n| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        let next = if req.param("nextPageToken") == Some("A") {
            "B"
        } else {
            "A"
        };
        // Every page brings a new issue, so only the repeated token shows the loop.
        ok(
            &json!({"issues": [issue(&format!("TMSP-{n}"))], "isLast": false, "nextPageToken": next}),
        )
    }));
    let dir = catalog("cloud", &server.url, "");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(
        &run,
        dir.path(),
        "A/B tokens",
        &["nextPageToken", "already"],
    );
    assert_eq!(server.searches().len(), 3);
}

#[test]
fn datacenter_huge_total_with_one_issue_stops() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        ok(
            &json!({"startAt": 0, "maxResults": 100, "total": 1_000_000_000_000u64, "issues": [issue("HELP-1")]}),
        )
    }));
    let dir = catalog("datacenter", &server.url, "");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(&run, dir.path(), "total 1e12", &["no new issue"]);
    assert_eq!(server.searches().len(), 2);
}

#[test]
fn new_keys_forever_stop_at_the_issue_and_page_caps() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        let start: u64 = req.param("startAt").unwrap_or("0").parse().unwrap();
        let issues: Vec<Value> = (start..start + 100)
            .map(|i| issue(&format!("NEW-{i}")))
            .collect();
        ok(&json!({"startAt": start, "maxResults": 100, "total": u64::MAX, "issues": issues}))
    }));
    let dir = catalog("datacenter", &server.url, "max_issues = 250\n");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(
        &run,
        dir.path(),
        "max_issues",
        &["more than 250 issues", "max_issues"],
    );
    assert_eq!(server.searches().len(), 3);

    let dir = catalog("datacenter", &server.url, "max_pages = 4\n");
    let before = server.searches().len();
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(&run, dir.path(), "max_pages", &["4 pages", "max_pages"]);
    assert_eq!(server.searches().len() - before, 4);
}

#[test]
fn body_announced_larger_than_the_limit_is_refused_unread() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        Reply::Huge {
            total: 500 << 20,
            chunked: false,
        }
    }));
    let dir = catalog("cloud", &server.url, "");
    let run = pull(dir.path(), &[], true);
    assert_pull_fails(
        &run,
        dir.path(),
        "Content-Length 500 MB",
        &["64 MiB", "max_page_bytes"],
    );
    assert!(
        server.huge_sent() < 100 << 20,
        "the client kept reading: {} bytes sent",
        server.huge_sent()
    );
    if let Some(kib) = run.max_rss_kib {
        eprintln!("Content-Length 500 MB: peak RSS {} MiB", kib / 1024);
        assert!(kib < 200 * 1024, "peak RSS {kib} KiB");
    }
}

#[test]
fn chunked_body_larger_than_the_limit_is_cut_off() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        Reply::Huge {
            total: 500 << 20,
            chunked: true,
        }
    }));
    let dir = catalog("datacenter", &server.url, "");
    let run = pull(dir.path(), &[], true);
    assert_pull_fails(
        &run,
        dir.path(),
        "chunked 500 MB",
        &["64 MiB", "max_page_bytes"],
    );
    assert!(
        server.huge_sent() < 200 << 20,
        "the client kept reading: {} bytes sent",
        server.huge_sent()
    );
    if let Some(kib) = run.max_rss_kib {
        eprintln!("chunked 500 MB: peak RSS {} MiB", kib / 1024);
        assert!(kib < 400 * 1024, "peak RSS {kib} KiB");
    }

    // A lower limit from catalog.toml is named in the error.
    let dir = catalog("datacenter", &server.url, "max_page_bytes = 1048576\n");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(
        &run,
        dir.path(),
        "chunked, 1 MiB limit",
        &["1 MiB", "max_page_bytes"],
    );
}

#[test]
fn credentials_echoed_by_the_server_are_redacted_everywhere() {
    // An error body quoting the Authorization header.
    let server = Server::start(Box::new(|req, _| {
        let auth = req.header("authorization").unwrap_or("").to_string();
        Reply::Json(
            400,
            vec![],
            json!({"errorMessages": [format!("Bad header: {auth}")], "errors": {"jql": format!("token {TOKEN}")}}).to_string(),
        )
    }));
    for flavor in ["cloud", "datacenter"] {
        let dir = catalog(flavor, &server.url, "");
        let run = pull(dir.path(), &[], false);
        assert_pull_fails(
            &run,
            dir.path(),
            &format!("{flavor} echo"),
            &["400", "[redacted]"],
        );
    }

    // The same echo where the error text is long enough to be shortened
    // right inside the credentials.
    let server = Server::start(Box::new(|req, _| {
        let auth = req.header("authorization").unwrap_or("").to_string();
        let filler = "x".repeat(380);
        Reply::Json(
            400,
            vec![],
            json!({"errorMessages": [format!("{filler} {auth}")]}).to_string(),
        )
    }));
    let dir = catalog("cloud", &server.url, "");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(&run, dir.path(), "shortened echo", &["400"]);
    let piece = &basic_credentials()[..12];
    assert!(
        !run.stderr.contains(piece),
        "a piece of the credentials leaked: {}",
        run.stderr
    );

    // A search page carrying the header in issue fields and field names.
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        let auth = req.header("authorization").unwrap_or("").to_string();
        let b64 = auth.split_once(' ').map_or("", |(_, b)| b).to_string();
        let no_padding = b64.trim_end_matches('=').to_string();
        ok(
            &json!({"isLast": true, "names": {format!("x-{b64}"): "echo"}, "issues": [{
                "id": "1", "key": "ECHO-1",
                "fields": {"summary": format!("echo {auth}"), "labels": [no_padding, TOKEN],
                           "description": format!("Authorization: Bearer {TOKEN}")}
            }]}),
        )
    }));
    for flavor in ["cloud", "datacenter"] {
        let dir = catalog(flavor, &server.url, "");
        let run = pull(dir.path(), &[], false);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let snap: Value =
            serde_json::from_slice(&std::fs::read(snapshot_path(dir.path())).unwrap()).unwrap();
        assert_eq!(snap["issues"][0]["key"], "ECHO-1");
        assert!(snap.to_string().contains("[redacted]"), "{snap}");
        assert_no_secret(&run, dir.path());
    }
}

#[test]
fn retry_after_beyond_the_wait_cap_fails_fast() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        Reply::Json(
            429,
            vec![("Retry-After", "999999".into())],
            r#"{"errorMessages":["Rate limit exceeded."]}"#.into(),
        )
    }));
    let dir = catalog("cloud", &server.url, "");
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(
        &run,
        dir.path(),
        "Retry-After 999999",
        &["999999 s", "max_wait_secs"],
    );
    assert!(run.took < Duration::from_secs(5), "took {:?}", run.took);
    assert_eq!(
        server.searches().len(),
        1,
        "no retry when the wait is over the cap"
    );
}

#[test]
fn total_wait_is_capped_and_each_wait_is_announced() {
    let server = Server::start(Box::new(|req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        Reply::Json(503, vec![("Retry-After", "1".into())], "busy".into())
    }));
    let dir = catalog(
        "datacenter",
        &server.url,
        "max_retries = 50\nmax_wait_secs = 2\n",
    );
    let run = pull(dir.path(), &[], false);
    assert_pull_fails(&run, dir.path(), "total wait cap", &["max_wait_secs"]);
    assert_eq!(
        run.stderr.matches("waiting 1 s").count(),
        2,
        "{}",
        run.stderr
    );
    assert_eq!(server.searches().len(), 3);
    assert!(run.took < Duration::from_secs(8), "took {:?}", run.took);
}

/// `Retry-After` as an HTTP date two seconds ahead.
fn http_date_in(secs: u64) -> String {
    let t = SystemTime::now() + Duration::from_secs(secs);
    let unix = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
    let dt = time::OffsetDateTime::from_unix_timestamp(unix).unwrap();
    let f = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    dt.format(&f).unwrap()
}

#[test]
fn retry_after_as_an_http_date_is_honoured_and_announced() {
    let calls = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&calls);
    let server = Server::start(Box::new(move |req, _| {
        if req.path.ends_with("/field") {
            return ok(&field_list());
        }
        let mut n = counter.lock().unwrap();
        *n += 1;
        if *n % 2 == 1 {
            Reply::Json(429, vec![("Retry-After", http_date_in(3))], "{}".into())
        } else {
            ok(&json!({"isLast": true, "issues": [issue("RL-1")]}))
        }
    }));
    let dir = catalog("cloud", &server.url, "max_retries = 1\n");
    let run = pull(dir.path(), &[], false);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.took >= Duration::from_millis(1500),
        "did not wait: {:?}",
        run.took
    );
    assert!(run.stderr.contains("waiting"), "{}", run.stderr);
    assert!(run.stderr.contains("429"), "{}", run.stderr);
    assert_no_secret(&run, dir.path());
    eprintln!("HTTP-date Retry-After: pulled in {:?}", run.took);

    let dir = catalog("cloud", &server.url, "max_retries = 1\n");
    let quiet = pull(dir.path(), &["-q"], false);
    assert_eq!(quiet.code, Some(0), "{}", quiet.stderr);
    assert_eq!(quiet.stderr, "", "-q prints errors only");
}
