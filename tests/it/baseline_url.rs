//! `--baseline URL` against a test server on 127.0.0.1 (docs/history.md,
//! "Baselines"): 200 is used, 404 is a first publish, and a server error, a
//! timeout, an HTML page, a newer schema or a refused connection each stop
//! the build with exit 2 and a plain message, within bounded time.

use crate::util::{capcat, http, small_catalog, text, write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

/// The test server with routes: path → (status, content type, body);
/// `/slow/…` never answers, anything else is a 404.
struct Routes {
    server: http::Server,
}

impl Routes {
    fn start(routes: Vec<(&'static str, u16, &'static str, Vec<u8>)>) -> Routes {
        let server = http::Server::start(Box::new(move |req, _| {
            if req.path.starts_with("/slow/") {
                return http::Reply::Hang;
            }
            let (status, kind, body) = routes
                .iter()
                .find(|(p, ..)| *p == req.path)
                .map(|(_, s, k, b)| (*s, *k, b.clone()))
                .unwrap_or((404, "text/plain", b"not found".to_vec()));
            http::Reply::Body(status, kind, body)
        }));
        Routes { server }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url)
    }

    fn hits(&self, path: &str) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.path == path)
            .count()
    }
}

/// A small catalog waiting at most one second per attempt, built once so
/// its catalog.json can be served.
fn catalog(dir: &Path) -> Vec<u8> {
    small_catalog(dir);
    let toml = std::fs::read_to_string(dir.join("catalog.toml")).unwrap();
    write(
        dir,
        "catalog.toml",
        &format!("{toml}\n[history]\ntimeout_secs = 1\n"),
    );
    let o = capcat(dir, &["build", "--out", "published"]);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::read(dir.join("published/catalog.json")).unwrap()
}

#[test]
fn baseline_urls_work_or_fail_loudly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let published = catalog(dir);
    let text_of = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
    let with_extra = text_of(&published).replacen(
        "\"capabilities\": [",
        "\"capabilities\": [\n    {\"id\": \"aardvark\", \"url\": \"/capabilities/aardvark/\", \"title\": \"A\", \"summary\": \"\", \"category\": \"C\", \"category_slug\": \"c\", \"aliases\": [], \"plans\": [], \"redirect_from\": [], \"status\": \"available\", \"status_label\": \"Available\", \"answer\": \"\", \"promise\": null, \"target\": null},",
        1,
    );
    let newer = text_of(&published).replacen("\"schema\": 1", "\"schema\": 99", 1);
    let server = Routes::start(vec![
        (
            "/ok/catalog.json",
            200,
            "application/json",
            published.clone(),
        ),
        (
            "/extra/catalog.json",
            200,
            "application/json",
            with_extra.into_bytes(),
        ),
        ("/broken/catalog.json", 500, "text/plain", b"oops".to_vec()),
        (
            "/html/catalog.json",
            200,
            "text/html",
            b"<!doctype html><html><body>Catalog</body></html>".to_vec(),
        ),
        (
            "/newer/catalog.json",
            200,
            "application/json",
            newer.into_bytes(),
        ),
    ]);
    let run = |verb: &str, path: &str| {
        let url = server.url(path);
        let started = Instant::now();
        let args: Vec<&str> = match verb {
            "build" => vec!["build", "--out", "next", "--baseline", &url],
            _ => vec![verb, "--baseline", &url],
        };
        let o = capcat(dir, &args);
        (o, started.elapsed())
    };

    // 200: the baseline is used (a capability it has and the build lacks fails the guard).
    let (o, _) = run("build", "/ok/catalog.json");
    assert!(o.status.success(), "{}", text(&o));
    let (o, _) = run("build", "/extra/catalog.json");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("capability `aardvark`"), "{}", text(&o));

    // 404: a first publish, said once, not an error, even under --strict.
    let (o, _) = run("check", "/missing/catalog.json");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let (o, _) = run("build", "/missing/catalog.json");
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("notice: no catalog.json at"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("first publish"), "{}", text(&o));
    let url = server.url("/missing/catalog.json");
    let strict = capcat(dir, &["check", "--strict", "--baseline", &url]);
    let without = capcat(dir, &["check", "--strict"]);
    assert_eq!(
        strict.status.code(),
        without.status.code(),
        "{}",
        text(&strict)
    );
    assert!(
        text(&strict).contains("notice: no catalog.json at"),
        "{}",
        text(&strict)
    );

    // 500, retried once, then exit 2.
    let (o, took) = run("build", "/broken/catalog.json");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("answered 500 (server error), twice"),
        "{}",
        text(&o)
    );
    assert_eq!(server.hits("/broken/catalog.json"), 2, "one retry");
    assert!(took < Duration::from_secs(10), "{took:?}");
    let (o, _) = run("check", "/broken/catalog.json");
    assert_eq!(
        o.status.code(),
        Some(2),
        "check fails the same way: {}",
        text(&o)
    );

    // A server that never answers: two attempts of one second each.
    let (o, took) = run("build", "/slow/catalog.json");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("no answer from the baseline"),
        "{}",
        text(&o)
    );
    assert!(took < Duration::from_secs(10), "bounded: {took:?}");

    // An HTML page and a newer schema are refused.
    let (o, _) = run("build", "/html/catalog.json");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("is an HTML page, not a catalog.json"),
        "{}",
        text(&o)
    );
    let (o, _) = run("build", "/newer/catalog.json");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("schema 99"), "{}", text(&o));

    // Nobody listening.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let url = format!("http://127.0.0.1:{port}/catalog.json");
    let o = capcat(dir, &["build", "--out", "next", "--baseline", &url]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("cannot connect to the baseline"),
        "{}",
        text(&o)
    );

    // A failed baseline never replaced the last good site.
    assert!(dir.join("next/index.html").is_file());
}

#[test]
fn diff_reads_urls_and_treats_404_as_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let published = catalog(dir);
    let server = Routes::start(vec![(
        "/site/catalog.json",
        200,
        "application/json",
        published,
    )]);
    let url = server.url("/site/catalog.json");
    let o = capcat(dir, &["diff", &url, "published/catalog.json"]);
    assert!(o.status.success() && o.stdout.is_empty(), "{}", text(&o));
    let missing = server.url("/nothing/catalog.json");
    let o = capcat(dir, &["diff", &missing, "published/catalog.json"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out.lines().filter(|l| l.contains("Added")).count(),
        3,
        "{out}"
    );
    assert!(text(&o).contains("first publish"), "{}", text(&o));
    let o = capcat(dir, &["diff", "published/catalog.json", &missing]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
