//! `capcat serve` end to end: the real binary on a free port over a temp
//! copy of a small catalog. An edit is served with a reload event within
//! 2 s; a broken front matter shows the overlay (file, line, escaped) over
//! the last good page and goes away when fixed; a code edit parses one file;
//! nothing outside the site is served; a taken port is a clear error; Ctrl-C
//! stops it; `build` output never holds the reload script.
//!
//! Every wait polls against a deadline, so a loaded machine is slower but
//! not flaky.

use crate::util::{capcat, capcat_command, small_catalog, text, write};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long the first build may take on a busy machine (debug binary).
const START: Duration = Duration::from_secs(60);
/// The promise: an edit is served, and open pages told, within this.
const LIVE: Duration = Duration::from_secs(2);

/// Lines written by a process (or a stream), in order, waitable.
#[derive(Clone, Default)]
struct Lines(Arc<(Mutex<Vec<String>>, Condvar)>);

impl Lines {
    fn follow(read: impl Read + Send + 'static) -> Lines {
        let lines = Lines::default();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(read).lines() {
                let Ok(line) = line else { break };
                let (list, ready) = &*sink.0;
                list.lock().unwrap().push(line);
                ready.notify_all();
            }
        });
        lines
    }

    fn count(&self) -> usize {
        self.0.0.lock().unwrap().len()
    }

    /// The first line from index `from` on that `pred` accepts, waiting up
    /// to `within`.
    fn wait_from(
        &self,
        from: usize,
        within: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let deadline = Instant::now() + within;
        let (list, ready) = &*self.0;
        let mut guard = list.lock().unwrap();
        loop {
            if let Some(l) = guard.iter().skip(from).find(|l| pred(l)) {
                return Some(l.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            guard = ready.wait_timeout(guard, left).unwrap().0;
        }
    }

    fn all(&self) -> String {
        self.0.0.lock().unwrap().join("\n")
    }
}

/// A running `capcat -v serve`, killed on drop.
struct Serve {
    child: Child,
    stderr: Lines,
    url: String,
    port: u16,
}

impl Serve {
    fn start(dir: &Path, extra: &[&str]) -> Serve {
        let mut child = capcat_command(dir)
            .args(["-v", "serve", "--port", "0"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("capcat serve starts");
        let stderr = Lines::follow(child.stderr.take().unwrap());
        let line = stderr
            .wait_from(0, START, |l| l.starts_with("serving http://"))
            .unwrap_or_else(|| panic!("serve did not start:\n{}", stderr.all()));
        let url = line
            .split_whitespace()
            .nth(1)
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        let port = url.rsplit(':').next().unwrap().parse().unwrap();
        Serve {
            child,
            stderr,
            url,
            port,
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    /// Listens to the reload events; returns once the server said `ready`.
    fn events(&self) -> Lines {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET /__capcat/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let lines = Lines::follow(s);
        lines
            .wait_from(0, START, |l| l == "event: ready")
            .expect("the event stream says ready");
        lines
    }

    /// Sends SIGINT, as Ctrl-C does.
    fn interrupt(&self) {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 GET: the path goes out exactly as given (no client
/// normalizes `..` or `%2e%2e` away). Returns status and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head}"));
    (status, body.to_string())
}

/// The child's output once it exits; killed (and the test failed) if it
/// is still running after `within`.
fn wait_with_deadline(mut child: Child, within: Duration) -> std::process::Output {
    let deadline = Instant::now() + within;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// The small catalog plus a code root with one marker.
fn catalog(dir: &Path) {
    small_catalog(dir);
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Small\"\nbase_url = \"https://small.example\"\n\n[code]\nroots = [\"code\"]\n",
    );
    write(
        dir,
        "code/app.py",
        "# capability: alpha\ndef export():\n    pass\n",
    );
}

const ALPHA: &str = "content/capabilities/alpha.md";

fn alpha(front_matter_extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: Alpha export\n{front_matter_extra}summary: Export alpha.\ncategory: Data\npublic: true\nredirect_from: [old-alpha]\n---\n{body}\n"
    )
}

/// Writes `rel`, and waits for the reload event that follows; returns the
/// time from the write to the event.
fn edit_and_wait(dir: &Path, serve: &Serve, events: &Lines, rel: &str, text: &str) -> Duration {
    let seen = events.count();
    let started = Instant::now();
    write(dir, rel, text);
    events
        .wait_from(seen, START, |l| l == "event: reload")
        .unwrap_or_else(|| {
            panic!(
                "no reload event after editing {rel}:\n{}",
                serve.stderr.all()
            )
        });
    started.elapsed()
}

#[test]
fn edits_are_served_live_and_errors_show_over_the_last_good_site() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    catalog(dir);
    let serve = Serve::start(dir, &[]);
    let (status, page) = serve.get("/capabilities/alpha/");
    assert_eq!(status, 200);
    assert!(page.contains("Alpha body."), "{page}");
    assert!(page.contains("/__capcat/reload.js"), "{page}");
    let (status, script) = serve.get("/__capcat/reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"), "{script}");
    let events = serve.events();

    // An edit of the Markdown: new text and a reload event within 2 s.
    let took = edit_and_wait(
        dir,
        &serve,
        &events,
        ALPHA,
        &alpha("", "Alpha, edited live."),
    );
    let (_, page) = serve.get("/capabilities/alpha/");
    assert!(page.contains("Alpha, edited live."), "{page}");
    assert!(took < LIVE, "the reload event came {took:?} after the edit");
    assert!(!page.contains("capcat-overlay"), "{page}");
    // The reload event goes out as the site is published, and the rebuild's
    // lines are printed just after.
    assert!(
        serve
            .stderr
            .wait_from(0, START, |l| l == "no scan: the code did not change")
            .is_some(),
        "{}",
        serve.stderr.all()
    );

    // A broken front matter: the overlay, escaped, over the last good page.
    edit_and_wait(
        dir,
        &serve,
        &events,
        ALPHA,
        &alpha("\"<img src=x onerror=alert(1)>\": 1\n", "Alpha, broken."),
    );
    for path in ["/capabilities/alpha/", "/"] {
        let (status, page) = serve.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("id=\"capcat-overlay\""), "{path}: {page}");
        assert!(page.contains("content/capabilities/alpha.md:3:1"), "{page}");
        assert!(
            page.contains("unknown front-matter key `&lt;img src=x onerror=alert(1)&gt;`"),
            "{page}"
        );
        assert!(page.contains("hint: valid keys here"), "{page}");
        assert!(!page.contains("<img src=x"), "{page}");
    }
    let (_, page) = serve.get("/capabilities/alpha/");
    assert!(
        page.contains("Alpha, edited live."),
        "the last good page stays: {page}"
    );
    // The rebuild's lines follow the reload event: wait for them.
    assert!(
        serve
            .stderr
            .wait_from(0, START, |l| l
                .contains("content/capabilities/alpha.md:3:1: error"))
            .is_some(),
        "{}",
        serve.stderr.all()
    );

    // Fixed: the page is back, without the overlay.
    edit_and_wait(dir, &serve, &events, ALPHA, &alpha("", "Alpha, fixed."));
    let (status, page) = serve.get("/capabilities/alpha/");
    assert_eq!(status, 200);
    assert!(page.contains("Alpha, fixed."), "{page}");
    assert!(!page.contains("capcat-overlay"), "{page}");

    // A code edit rescans through the cache: one file parsed. The evidence
    // stays where it was, so the pages stand and nothing reloads.
    let seen = serve.stderr.count();
    let reloads = events.count();
    write(
        dir,
        "code/app.py",
        "# capability: alpha\ndef export():\n    return 1\n",
    );
    let rebuilt = serve
        .stderr
        .wait_from(seen, START, |l| {
            l.starts_with("rebuilt in ") && l.contains("(code changed)")
        })
        .unwrap_or_else(|| panic!("no rebuild:\n{}", serve.stderr.all()));
    assert!(rebuilt.contains("the pages stand"), "{rebuilt}");
    // The watcher may report the edit in more than one batch: one of the
    // rebuilds parses the file, none parses more.
    let scans = || -> Vec<String> {
        let all = serve.stderr.all();
        all.lines()
            .skip(seen)
            .filter(|l| l.starts_with("scan: "))
            .map(str::to_string)
            .collect()
    };
    serve
        .stderr
        .wait_from(seen, START, |l| {
            l.starts_with("scan: ") && l.contains(", 1 parsed, ")
        })
        .unwrap_or_else(|| panic!("the edited file was not parsed: {:?}", scans()));
    assert!(
        scans()
            .iter()
            .all(|l| l.contains(", 1 parsed, ") || l.contains(", 0 parsed, ")),
        "{:?}",
        scans()
    );
    assert!(
        events
            .wait_from(reloads, Duration::from_millis(300), |l| l
                == "event: reload")
            .is_none(),
        "a rebuild that changed no page reloaded the pages"
    );
    // Evidence that moves re-renders: the marker is now on line 2.
    let took = edit_and_wait(
        dir,
        &serve,
        &events,
        "code/app.py",
        "\n# capability: alpha\ndef export():\n    return 1\n",
    );
    assert!(took < LIVE, "the reload event came {took:?} after the edit");
    let (_, page) = serve.get("/capabilities/alpha/");
    assert!(page.contains("code/app.py"), "{page}");
}

#[test]
fn nothing_outside_the_site_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    catalog(dir);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.txt", "the secret");
    write(dir, "Cargo.toml", "the secret");
    std::fs::create_dir_all(dir.join("public")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.join("public/leak.txt"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("themes/default/static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.join("themes/default/static/leak.txt"),
    )
    .unwrap();
    write(dir, "themes/default/static/extra.txt", "a theme file");
    let serve = Serve::start(dir, &[]);
    assert_eq!(serve.get("/static/extra.txt").0, 200);
    assert_eq!(serve.get("/static/style.css").0, 200);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2e%2e/Cargo.toml",
        "/static/..%2f..%2fCargo.toml",
        "/capabilities/../../Cargo.toml",
        "/leak.txt",
        "/public/leak.txt",
        "/static/leak.txt",
        "/catalog.toml",
        "/content/capabilities/alpha.md",
    ] {
        let (status, body) = serve.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("the secret"), "{path}: {body}");
    }
}

#[test]
fn a_taken_port_is_a_clear_error_and_ctrl_c_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    catalog(dir);
    let mut serve = Serve::start(dir, &[]);
    let port = serve.port.to_string();
    let second = capcat_command(dir)
        .args(["serve", "--port", &port])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let second = wait_with_deadline(second, START);
    assert_eq!(second.status.code(), Some(2), "{}", text(&second));
    let said = text(&second);
    assert!(
        said.contains(&format!("port {port} is already in use on 127.0.0.1")),
        "{said}"
    );
    assert!(said.contains("pass --port"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    // The first one is unharmed.
    assert_eq!(serve.get("/").0, 200);
    assert!(serve.url.starts_with("http://127.0.0.1:"), "{}", serve.url);

    let _events = serve.events();
    serve.interrupt();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}: {}", serve.stderr.all());
    assert!(
        serve
            .stderr
            .wait_from(0, Duration::from_secs(5), |l| l == "stopped")
            .is_some(),
        "{}",
        serve.stderr.all()
    );
}

#[test]
fn polling_sees_edits_too() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    catalog(dir);
    let serve = Serve::start(dir, &["--poll"]);
    assert!(
        serve.stderr.all().contains("(polling)"),
        "{}",
        serve.stderr.all()
    );
    let events = serve.events();
    edit_and_wait(dir, &serve, &events, ALPHA, &alpha("", "Alpha, polled."));
    let (_, page) = serve.get("/capabilities/alpha/");
    assert!(page.contains("Alpha, polled."), "{page}");
    // Polling reads modification times to the second: an edit in the same
    // second as the last one is seen by its content.
    let file = dir.join(ALPHA);
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    let seen = events.count();
    write(dir, ALPHA, &alpha("", "Alpha, polled again."));
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    events
        .wait_from(seen, START, |l| l == "event: reload")
        .unwrap_or_else(|| {
            panic!(
                "an edit keeping the mtime was missed:\n{}",
                serve.stderr.all()
            )
        });
    let (_, page) = serve.get("/capabilities/alpha/");
    assert!(page.contains("Alpha, polled again."), "{page}");
}

/// Records alert/confirm/prompt calls instead of showing them.
const HOOK: &str = "window.__calls = []; ['alert','confirm','prompt'].forEach(function (k) { window[k] = function (m) { window.__calls.push(k + ':' + m); }; });";

/// In headless Chromium: an open page reloads itself into the overlay when
/// an edit breaks the build (its payload inert), and back when it is fixed.
/// Saves target/screenshots/serve-overlay.png.
#[test]
fn a_browser_reloads_into_the_overlay_and_back() {
    if !crate::util::browser::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    catalog(dir);
    write(
        dir,
        ALPHA,
        &alpha("", &"Alpha body, with enough text to see. ".repeat(20)),
    );
    let serve = Serve::start(dir, &[]);
    let b = crate::util::browser::Browser::start();
    b.before_every_page(HOOK);
    b.goto(&format!("{}/capabilities/alpha/", serve.url));
    b.wait_for(
        "return document.readyState === 'complete' && !document.getElementById('capcat-overlay')",
        "the page",
    );
    // No need to wait for the page to listen: a page that connects after a
    // rebuild is told at once (it says which build it came from).
    write(
        dir,
        ALPHA,
        &alpha("\"<img src=x onerror=alert(1)>\": 1\n", "Alpha, broken."),
    );
    let shown = b.wait_for(
        "var o = document.getElementById('capcat-overlay'); return o && o.innerText",
        "the overlay",
    );
    let shown = shown.as_str().unwrap().to_string();
    assert!(
        shown.contains("content/capabilities/alpha.md:3:1"),
        "{shown}"
    );
    assert!(
        shown.contains("<img src=x onerror=alert(1)>"),
        "shown as text: {shown}"
    );
    assert!(shown.contains("hint: valid keys here"), "{shown}");
    let calls = b.js("return window.__calls");
    assert_eq!(calls, serde_json::json!([]), "the payload ran");
    assert_eq!(
        b.js("return document.querySelectorAll('img[src=\"x\"]').length"),
        0
    );
    let shot = crate::util::repo().join("target/screenshots/serve-overlay.png");
    b.screenshot(&shot);
    eprintln!("saved {}", shot.display());

    write(dir, ALPHA, &alpha("", "Alpha, fixed in the browser."));
    b.wait_for(
        "return !document.getElementById('capcat-overlay') && document.body.innerText.indexOf('Alpha, fixed in the browser.') >= 0",
        "the fixed page",
    );
}

#[test]
fn build_output_has_no_reload_script() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    catalog(dir);
    let out = capcat(dir, &["build", "--out", "site"]);
    assert!(out.status.success(), "{}", text(&out));
    let files = crate::util::read_tree(&dir.join("site"));
    assert!(files.keys().any(|p| p.ends_with(".html")));
    for (path, bytes) in &files {
        let body = String::from_utf8_lossy(bytes);
        assert!(
            !body.contains("__capcat") && !body.contains("capcat-overlay"),
            "{path} holds serve's reload script or overlay"
        );
    }
}

/// The incremental figures of docs/performance.md ("serve: rebuilding after
/// an edit"), on the Django catalog (tests/fixtures/scan/django-catalog)
/// over a copy of the Django 5.1.4 sdist (benches/fetch-corpora.sh django):
/// a cold `build`, then under `serve -v` an edit of one Python file (one
/// file parsed, under 10 % of the cold build) and of one capability's
/// Markdown (no scan). `CAPCAT_BIN` picks another binary (a release build).
/// Run: `cargo test --test it serve::django -- --ignored --nocapture`.
#[test]
#[ignore = "needs bench-corpora/django-5.1.4; prints figures"]
fn django_incremental_figures() {
    let corpus = crate::util::repo().join("bench-corpora/django-5.1.4");
    if !corpus.join("django/__init__.py").is_file() {
        eprintln!("skipping: run benches/fetch-corpora.sh django first");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    // A copy: the edits must not touch the shared corpus.
    let code = dir.join("django-5.1.4");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(corpus.canonicalize().unwrap())
        .arg(&code)
        .status()
        .unwrap();
    assert!(copied.success());
    let fixture = crate::util::repo().join("tests/fixtures/scan/django-catalog");
    for (rel, bytes) in crate::util::read_tree(&fixture.join("content")) {
        write(
            dir,
            &format!("content/{rel}"),
            &String::from_utf8(bytes).unwrap(),
        );
    }
    write(
        dir,
        "catalog.toml",
        "[site]\ntitle = \"Django\"\n\n[code]\nroots = [\"django-5.1.4\"]\ncache_dir = \"cache\"\n",
    );
    let bin = std::env::var_os("CAPCAT_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_capcat").into());
    let run = |args: &[&str]| {
        let mut c = std::process::Command::new(&bin);
        c.current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1795219200")
            .env("CI", "true");
        c.args(args);
        c
    };

    let started = Instant::now();
    let cold = run(&["-v", "build", "--offline", "--out", "site"])
        .output()
        .unwrap();
    let cold_time = started.elapsed();
    assert!(cold.status.success(), "{}", text(&cold));
    let cold_scan = text(&cold)
        .lines()
        .find(|l| l.starts_with("scan: "))
        .unwrap_or_default()
        .to_string();

    let mut child = run(&["-v", "serve", "--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = Lines::follow(child.stderr.take().unwrap());
    let line = stderr
        .wait_from(0, START, |l| l.starts_with("serving http://"))
        .unwrap_or_else(|| panic!("serve did not start:\n{}", stderr.all()));
    let port: u16 = line
        .split(':')
        .nth(2)
        .unwrap()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap();
    let serve = Serve {
        child,
        stderr,
        url: String::new(),
        port,
    };
    let events = serve.events();
    let rebuilt_ms = |from: usize| -> (f64, Vec<String>) {
        let line = serve
            .stderr
            .wait_from(from, START, |l| l.starts_with("rebuilt in "))
            .unwrap_or_else(|| panic!("no rebuild:\n{}", serve.stderr.all()));
        let ms = line["rebuilt in ".len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let all = serve.stderr.all();
        let lines = all.lines().skip(from).map(str::to_string).collect();
        (ms, lines)
    };

    let victim = "django-5.1.4/django/contrib/sitemaps/__init__.py";
    let mut current = std::fs::read_to_string(dir.join(victim)).unwrap();
    // A comment appended moves no evidence: one file parsed, no page
    // rendered. A line inserted at the top moves every line of the file's
    // evidence: one file parsed, the site re-rendered and reloaded.
    let mut code_runs = Vec::new();
    let mut moved_runs = Vec::new();
    for n in 0..5 {
        for (moves, runs) in [(false, &mut code_runs), (true, &mut moved_runs)] {
            let from = serve.stderr.count();
            current = if moves {
                format!("# moved {n}\n{current}")
            } else {
                format!("{current}# edited {n}\n")
            };
            let started = Instant::now();
            write(dir, victim, &current);
            let (ms, lines) = rebuilt_ms(from);
            let to_line = started.elapsed();
            let scan = lines
                .iter()
                .find(|l| l.starts_with("scan: "))
                .expect("a scan line");
            assert!(scan.contains(", 1 parsed, "), "{scan}");
            let stood = lines.iter().any(|l| l.contains("the pages stand"));
            assert_eq!(stood, !moves, "{lines:?}");
            runs.push((ms, to_line));
        }
    }
    let scan_line = {
        let all = serve.stderr.all();
        all.lines()
            .rev()
            .find(|l| l.starts_with("scan: "))
            .unwrap()
            .to_string()
    };

    let page = "content/capabilities/sitemaps.md";
    let page_text = std::fs::read_to_string(dir.join(page)).unwrap();
    let mut content_runs = Vec::new();
    for n in 0..5 {
        let from = serve.stderr.count();
        let to_event = edit_and_wait(
            dir,
            &serve,
            &events,
            page,
            &format!("{page_text}\nEdit {n}.\n"),
        );
        let (ms, lines) = rebuilt_ms(from);
        assert!(
            lines
                .iter()
                .any(|l| l == "no scan: the code did not change"),
            "{lines:?}"
        );
        content_runs.push((ms, to_event));
    }

    let median = |v: &mut Vec<(f64, Duration)>| {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v[v.len() / 2]
    };
    let (code_ms, code_event) = median(&mut code_runs);
    let (moved_ms, moved_event) = median(&mut moved_runs);
    let (content_ms, content_event) = median(&mut content_runs);
    let cold_ms = cold_time.as_secs_f64() * 1000.0;
    println!("binary: {}", bin.display());
    println!("cold build (no scan cache): {cold_ms:.0} ms; {cold_scan}");
    println!(
        "code edit, evidence unmoved: rebuild {code_ms:.0} ms ({:.1} % of the cold build), edit → rebuilt line {:.0} ms; {scan_line}",
        code_ms / cold_ms * 100.0,
        code_event.as_secs_f64() * 1000.0
    );
    println!(
        "code edit moving evidence: rebuild {moved_ms:.0} ms ({:.1} % of the cold build), edit → rebuilt line {:.0} ms",
        moved_ms / cold_ms * 100.0,
        moved_event.as_secs_f64() * 1000.0
    );
    println!(
        "Markdown edit: rebuild {content_ms:.0} ms ({:.1} %), edit → reload event {:.0} ms; no scan",
        content_ms / cold_ms * 100.0,
        content_event.as_secs_f64() * 1000.0
    );
    println!(
        "runs (rebuild ms, edit → line or event): unmoved {code_runs:?}, moved {moved_runs:?}, Markdown {content_runs:?}"
    );
    assert!(
        code_ms < cold_ms * 0.1,
        "a code edit took {code_ms} ms of a {cold_ms} ms cold build"
    );
}
