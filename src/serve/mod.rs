//! `capcat serve` (docs/serve.md): builds the site into memory, serves it on
//! 127.0.0.1, watches the catalog's sources and rebuilds only what an edit
//! changed, reloading open pages; a failed rebuild shows its errors over the
//! last good site until the next one succeeds.
//!
//! - [`rebuild`]: the sources kept between rebuilds, and the rebuild itself;
//! - [`watch`]: which files are watched and what an edit of each changes;
//! - [`http`]: the server, the reload events;
//! - [`site`]: the site in memory and URL lookup (nothing outside it);
//! - [`reload`]: the script and the error overlay added to served pages.

pub mod http;
pub mod rebuild;
pub mod reload;
pub mod site;
pub mod watch;

use crate::diagnostics::{Diagnostic, Severity};
use crate::pipeline::BuildOptions;
use rebuild::{Changes, Rebuilt, Workspace};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use watch::{WatchSet, Watcher};

/// Options of `capcat serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build (Jira is always read offline).
    pub build: BuildOptions,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port to listen on (0: any free port).
    pub port: u16,
    /// Open the site in the default browser once built.
    pub open: bool,
    /// Poll for changes instead of native file events.
    pub poll: bool,
}

/// Why `serve` could not start (a bad edit never stops it).
#[derive(Debug)]
pub enum ServeError {
    /// Another program listens on the address.
    PortInUse(SocketAddr),
    /// The address cannot be listened on.
    Bind(SocketAddr, std::io::Error),
    /// The catalog cannot be served at all (no catalog.toml).
    Usage(Vec<Diagnostic>),
    /// The watcher or the server failed.
    Failed(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(addr) => write!(
                f,
                "port {} is already in use on {}: another server (perhaps another capcat serve) holds it; pass --port with a free port, such as --port {}",
                addr.port(),
                addr.ip(),
                addr.port().wrapping_add(1).max(1024)
            ),
            ServeError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            ServeError::Usage(ds) => {
                let lines: Vec<String> = ds.iter().map(ToString::to_string).collect();
                write!(f, "{}", lines.join("\n"))
            }
            ServeError::Failed(why) => write!(f, "{why}"),
        }
    }
}

/// Where `serve` says what it does, a line at a time (the command decides
/// where that goes); `quiet` keeps errors only, `verbose` adds detail.
#[derive(Clone)]
pub struct Console {
    say: Arc<dyn Fn(&str) + Send + Sync>,
    quiet: bool,
    verbose: bool,
}

impl Console {
    /// A console writing through `say`.
    pub fn new(say: Arc<dyn Fn(&str) + Send + Sync>, quiet: bool, verbose: bool) -> Console {
        Console {
            say,
            quiet,
            verbose,
        }
    }

    fn info(&self, line: &str) {
        if !self.quiet {
            (self.say)(line);
        }
    }

    fn detail(&self, line: &str) {
        if self.verbose && !self.quiet {
            (self.say)(line);
        }
    }

    fn error(&self, line: &str) {
        (self.say)(line);
    }

    fn diagnostics<'a>(&self, ds: impl IntoIterator<Item = &'a Diagnostic>) {
        for d in ds {
            if d.severity == Severity::Error {
                self.error(&d.to_string());
            } else {
                self.info(&d.to_string());
            }
        }
    }
}

/// Builds, serves and rebuilds until Ctrl-C (or SIGTERM); then returns.
pub fn run(opts: &ServeOptions, console: &Console) -> Result<(), ServeError> {
    let config_path = &opts.build.config_path;
    if !config_path.is_file() {
        return Err(ServeError::Usage(vec![
            Diagnostic::error(config_path.clone(), "catalog.toml not found")
                .with_hint("run `capcat init` to create one, or pass --config with its path"),
        ]));
    }
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::PortInUse(addr),
        _ => ServeError::Bind(addr, e),
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| ServeError::Bind(addr, e))?;

    let mut workspace = Workspace::new(&opts.build);
    let first = workspace.rebuild(&Changes::ALL);
    if let Some(config) = workspace.config() {
        say_jira_is_offline(config, console);
    }
    report_first(&first, console);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let shared = http::Shared {
        served: Arc::new(RwLock::new(http::Served::default())),
        reloads: tokio::sync::broadcast::channel(16).0,
        stopping: stop_rx,
    };
    shared.publish(first.result.clone());

    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let mut watcher = Watcher::new(opts.poll, events_tx)
        .map_err(|e| ServeError::Failed(format!("cannot watch files: {e}")))?;
    let set = watch_set(&workspace, opts);
    for problem in watcher.watch(&set) {
        console.error(&format!("warning: {problem}"));
    }
    console.detail(&format!(
        "watching {} ({})",
        watcher
            .watching()
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        if opts.poll {
            "polling"
        } else {
            "native events"
        }
    ));

    let url = url_of(local);
    console.info(&format!("serving {url} (Ctrl-C to stop)"));
    if opts.open {
        open_browser(&url, console);
    }

    let stopped = Arc::new(AtomicBool::new(false));
    let rebuilder = Rebuilder {
        workspace,
        watcher,
        set,
        events: events_rx,
        shared: shared.clone(),
        console: console.clone(),
        opts: opts.clone(),
        stopped: Arc::clone(&stopped),
    };
    let thread = std::thread::Builder::new()
        .name("capcat-rebuild".into())
        .spawn(move || rebuilder.run())
        .map_err(|e| ServeError::Failed(format!("cannot start the rebuild thread: {e}")))?;

    let served = serve_until_stopped(listener, shared, stop_tx);
    stopped.store(true, Ordering::SeqCst);
    // The rebuild thread saves the scan cache as it ends; a rebuild still
    // running after a second is not waited for: the cache write is atomic,
    // and nothing the rebuild produces would be served any more.
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    while !thread.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if thread.is_finished() {
        let _ = thread.join();
    }
    served?;
    console.info("stopped");
    Ok(())
}

/// `http://127.0.0.1:1111/`; for an unspecified address, the loopback URL.
fn url_of(addr: SocketAddr) -> String {
    let shown = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from(([127, 0, 0, 1], addr.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port()))
        }
        _ => addr,
    };
    format!("http://{shown}/")
}

fn watch_set(workspace: &Workspace, opts: &ServeOptions) -> WatchSet {
    match workspace.config() {
        Some(config) => WatchSet::of(config),
        None => WatchSet::fallback(&opts.build.config_path),
    }
}

/// Says once that Jira comes from files only while serving.
fn say_jira_is_offline(config: &crate::config::Config, console: &Console) {
    let Some(jira) = &config.jira else {
        return;
    };
    let line = match &jira.api {
        Some(api) => format!(
            "Jira: serve never calls the Jira API; it reads the snapshot {} (run `capcat jira pull` to refresh it)",
            config.resolve(&api.snapshot).display()
        ),
        None => {
            "Jira: serve reads the export files of [jira] sources and reloads them when they change"
                .to_string()
        }
    };
    console.info(&line);
}

fn report_first(first: &Rebuilt, console: &Console) {
    console.diagnostics(first.diagnostics.iter());
    if let Some(line) = &first.scan_summary {
        console.detail(line);
    }
    match &first.result {
        Ok(site) => console.info(&format!(
            "built {} files in {:.2}s; {}",
            site.len(),
            first.elapsed.as_secs_f64(),
            counts(first)
        )),
        Err(errors) => console.error(&format!(
            "the build failed: {} error(s); the browser shows them until an edit fixes them",
            errors.len()
        )),
    }
}

fn counts(r: &Rebuilt) -> String {
    format!(
        "{} error(s), {} warning(s)",
        r.diagnostics.error_count(),
        r.diagnostics.warning_count()
    )
}

/// The rebuild thread: waits for debounced edits, rebuilds, publishes.
struct Rebuilder {
    workspace: Workspace,
    watcher: Watcher,
    set: WatchSet,
    events: Receiver<notify_debouncer_full::DebounceEventResult>,
    shared: http::Shared,
    console: Console,
    opts: ServeOptions,
    stopped: Arc<AtomicBool>,
}

impl Rebuilder {
    fn run(mut self) {
        while !self.stopped.load(Ordering::SeqCst) {
            let batch = match self.events.recv_timeout(Duration::from_millis(200)) {
                Ok(batch) => batch,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if let Err(errors) = &batch {
                for e in errors {
                    self.console.error(&format!("warning: watching files: {e}"));
                }
            }
            let mut changes = watch::changes_of(&self.set, &batch);
            // Edits that arrived while the last rebuild ran join this one.
            while let Ok(more) = self.events.try_recv() {
                changes.merge(watch::changes_of(&self.set, &more));
            }
            if !changes.is_empty() {
                self.rebuild(&changes);
            }
        }
        self.workspace.save_scan_cache();
    }

    fn rebuild(&mut self, changes: &Changes) {
        let rebuilt = self.workspace.rebuild(changes);
        // Same pages and no overlay to clear: open pages need no reload.
        let same = !rebuilt.rendered && rebuilt.result.is_ok() && !self.shared.showing_errors();
        if !same {
            self.shared.publish(rebuilt.result.clone());
        }
        // Said once published, so whoever reads the line finds it served.
        self.report(changes, &rebuilt);
        let set = watch_set(&self.workspace, &self.opts);
        if set != self.set {
            for problem in self.watcher.watch(&set) {
                self.console.error(&format!("warning: {problem}"));
            }
            self.set = set;
        }
    }

    fn report(&self, changes: &Changes, r: &Rebuilt) {
        let console = &self.console;
        let errors: Vec<&Diagnostic> = r
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        console.diagnostics(errors);
        match &r.scan_summary {
            Some(line) => console.detail(line),
            None => console.detail("no scan: the code did not change"),
        }
        console.detail(if r.read_content {
            "content: read again"
        } else {
            "content: unchanged, from memory"
        });
        let what = changes.describe();
        let took = r.elapsed.as_secs_f64() * 1000.0;
        match &r.result {
            Ok(site) => console.info(&format!(
                "rebuilt in {took:.0} ms ({what} changed): {}; {}",
                if r.rendered {
                    format!("{} files", site.len())
                } else {
                    "the catalog came out the same, so the pages stand".to_string()
                },
                counts(r)
            )),
            Err(errors) => console.error(&format!(
                "rebuild failed in {took:.0} ms ({what} changed): {} error(s); the browser shows them over the last good site",
                errors.len()
            )),
        }
    }
}

/// Runs the server until Ctrl-C or SIGTERM, then ends the event streams and
/// gives open connections a moment to close.
fn serve_until_stopped(
    listener: TcpListener,
    shared: http::Shared,
    stop: tokio::sync::watch::Sender<bool>,
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("capcat-serve")
        .enable_all()
        .build()
        .map_err(|e| ServeError::Failed(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| ServeError::Failed(e.to_string()))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| ServeError::Failed(e.to_string()))?;
        let mut stopping = shared.stopping.clone();
        let mut grace = shared.stopping.clone();
        let app = http::router(shared);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopping.wait_for(|s| *s).await;
        });
        tokio::spawn(async move {
            stop_signal().await;
            let _ = stop.send(true);
        });
        let deadline = async move {
            let _ = grace.wait_for(|s| *s).await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        };
        tokio::select! {
            served = server => served.map_err(|e| ServeError::Failed(format!("the server stopped: {e}"))),
            () = deadline => Ok(()),
        }
    })
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Opens `url` in the default browser; a failure is a warning.
fn open_browser(url: &str, console: &Console) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reaped in the background so it leaves no zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => console.error(&format!(
            "warning: cannot open a browser ({e}); open {url} yourself"
        )),
    }
}
