//! The build pipeline: config → content + scan + jira → catalog → view →
//! render → output. Every command that reads a catalog (`build`, `check`,
//! `ask`) runs it from here; each stage is a module of its own.

mod memo;

use crate::cache_log::CacheLog;
use crate::catalog::assemble::{Sources, assemble};
use crate::catalog::{BuildInfo, Catalog};
use crate::config::Config;
use crate::content::ContentCache;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::history::baseline::{self, Baseline};
use crate::model::date::{build_date, parse_iso_date};
use crate::model::{Audience, CatalogDoc};
use crate::output;
use crate::render::{self, OutputFile, theme::Theme};
use crate::scan::{ScanOptions, ScanTarget};
use crate::search::index::TermsCache;
use crate::view::SiteView;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Options of one build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// catalog.toml path.
    pub config_path: PathBuf,
    /// Output folder override.
    pub out: Option<PathBuf>,
    /// Audience override.
    pub audience: Option<Audience>,
    /// Base URL override.
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// Use the last Jira snapshot instead of the API.
    pub offline: bool,
    /// Commit to link evidence at, instead of asking git.
    pub commit: Option<String>,
    /// Detail on skipped files and the like.
    pub verbose: bool,
    /// Errors only.
    pub quiet: bool,
    /// The previously published catalog.json (file or URL), overriding
    /// `[history] baseline`.
    pub baseline: Option<String>,
}

/// Why a build stopped.
#[derive(Debug)]
pub enum BuildError {
    /// Usage or configuration error: exit code 2.
    Usage(Vec<Diagnostic>),
    /// The catalog has errors (or warnings under `--strict`): exit code 1.
    Failed(Diagnostics),
}

/// A catalog loaded from its sources, with everything reported on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration (with command-line overrides applied).
    pub config: Config,
    /// The catalog.
    pub catalog: Catalog,
    /// Errors and warnings of all stages.
    pub diagnostics: Diagnostics,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Warnings (and errors, if any were tolerated).
    pub diagnostics: Diagnostics,
    /// Where the site was written.
    pub out: PathBuf,
    /// Files written.
    pub files: usize,
    /// Capabilities in this audience's site.
    pub capabilities: usize,
    /// The audience built.
    pub audience: Audience,
    /// Nothing was done: the inputs were those of the build that wrote the
    /// output folder, which still holds that site.
    pub unchanged: bool,
    /// Wall time.
    pub elapsed: Duration,
}

/// Loads the configuration and every source and derives the catalog.
/// Diagnostics of all stages are collected; only a configuration that cannot
/// be read stops early.
pub fn load_catalog(opts: &BuildOptions) -> Result<Loaded, BuildError> {
    let config = load_config(opts)?;
    let built = build_info(&config.root, opts.commit.clone());
    load_sources(config, opts, built, &Default::default())
}

/// Reads catalog.toml and applies the command-line overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config, BuildError> {
    let mut config =
        Config::load(&opts.config_path).map_err(|e| BuildError::Usage(vec![e.diagnostic]))?;
    if let Some(url) = &opts.base_url {
        config.site.base_url = url.trim_end_matches('/').to_string();
    }
    Ok(config)
}

/// The sources of a catalog as read, before anything is derived from them.
/// `capcat serve` keeps them between rebuilds, so it reads again only the
/// source that changed.
#[derive(Debug, Clone)]
pub struct SourceData {
    /// Capability drafts and pages.
    pub content: crate::content::Content,
    /// Problems found reading the content.
    pub content_diagnostics: Vec<Diagnostic>,
    /// What the code scan found.
    pub scanned: crate::scan::ScanOutput,
    /// The scan targets `scanned` was made for.
    pub targets: Vec<ScanTarget>,
    /// The Jira issues.
    pub jira: crate::jira::JiraData,
    /// Jira files that could not be read (their issues are missing).
    pub jira_errors: Vec<Diagnostic>,
    /// Commit and date of the build.
    pub built: BuildInfo,
}

/// Reads every source (`built`: the commit and date to stamp) and derives
/// the catalog. `read` holds content files already read.
fn load_sources(
    config: Config,
    opts: &BuildOptions,
    built: BuildInfo,
    read: &crate::content::ReadFiles,
) -> Result<Loaded, BuildError> {
    let mut stages = Stages::new(opts);
    stages.start("reading content");
    let (content, content_diagnostics, mut cache) = load_content(&config, read);
    std::thread::scope(|scope| {
        // Saved while the code is scanned and the catalog derived. A cache
        // that cannot be saved only makes the next build parse every file
        // again.
        scope.spawn(move || {
            let _ = cache.save();
        });
        let targets = scan_targets(&content);
        stages.start("scanning code");
        let scanned = scan_code(&config, &targets, opts.verbose)?;
        stages.note(&scan_summary(&scanned));
        stages.start("loading Jira");
        let (jira, jira_errors) = match load_jira(&config, opts) {
            Ok(data) => (data, Vec::new()),
            Err(errors) => (Default::default(), errors),
        };
        let sources = SourceData {
            content,
            content_diagnostics,
            scanned,
            targets,
            jira,
            jira_errors,
            built,
        };
        Ok(derive_with(config, sources, &mut stages))
    })
}

/// Reads the content of `config` through the content cache
/// (`content.bin` in `[code] cache_dir`), which it returns unsaved: only
/// files whose bytes changed since the last build are parsed, and files in
/// `read` are not read again.
fn load_content(
    config: &Config,
    read: &crate::content::ReadFiles,
) -> (crate::content::Content, Vec<Diagnostic>, ContentCache) {
    let fingerprint = format!(
        "{}\n{}\n{}",
        memo::capcat_identity(),
        config.root.display(),
        config.content_dir().display()
    );
    let mut cache = ContentCache::load(&config.cache_dir().join("content.bin"), &fingerprint);
    let (content, diagnostics) =
        crate::content::load_cached(&config.content_dir(), &config.root, &mut cache, read);
    (content, diagnostics, cache)
}

/// Scans the code roots of `config` for `targets` (through the scan cache:
/// only changed files are parsed). Roots that do not exist or hold nothing
/// to scan are usage errors.
pub fn scan_code(
    config: &Config,
    targets: &[ScanTarget],
    verbose: bool,
) -> Result<crate::scan::ScanOutput, BuildError> {
    roots_exist(config)?;
    let scanned = crate::scan::scan(config, targets, &scan_options(verbose));
    roots_hold_code(config, &scanned)?;
    Ok(scanned)
}

/// [`scan_code`], keeping what was read for partial rescans (`serve`).
pub fn scan_code_warm(
    config: &Config,
    targets: &[ScanTarget],
    verbose: bool,
) -> Result<(crate::scan::ScanOutput, crate::scan::WarmScan), BuildError> {
    roots_exist(config)?;
    let (scanned, warm) = crate::scan::scan_warm(config, targets, &scan_options(verbose));
    roots_hold_code(config, &scanned)?;
    Ok((scanned, warm))
}

fn scan_options(verbose: bool) -> ScanOptions {
    ScanOptions {
        verbose,
        // The stage spinner already says "scanning code"; one bar at a time.
        progress: false,
        no_cache: false,
    }
}

fn roots_exist(config: &Config) -> Result<(), BuildError> {
    let missing_roots = crate::scan::roots::missing(config);
    if missing_roots.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Usage(missing_roots))
    }
}

fn roots_hold_code(config: &Config, scanned: &crate::scan::ScanOutput) -> Result<(), BuildError> {
    let empty_roots = crate::scan::roots::empty(config, &scanned.roots);
    if empty_roots.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Usage(empty_roots))
    }
}

/// `scan: 2808 files, 1 parsed, 2807 from the cache; skipped …` (the `-v` line).
pub fn scan_summary(scanned: &crate::scan::ScanOutput) -> String {
    format!(
        "scan: {} files, {} parsed, {} from the cache; {}",
        scanned.stats.files, scanned.stats.parsed, scanned.stats.cached, scanned.skipped
    )
}

/// Derives the catalog from sources already read: links work to
/// capabilities, derives statuses and drift, and collects every
/// diagnostic, sorted and relative to the catalog root.
pub fn derive(config: Config, sources: SourceData) -> Loaded {
    derive_with(config, sources, &mut Stages::silent())
}

fn derive_with(config: Config, sources: SourceData, stages: &mut Stages) -> Loaded {
    let SourceData {
        content,
        content_diagnostics,
        scanned,
        targets,
        jira,
        jira_errors,
        built,
    } = sources;
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(content_diagnostics);
    diagnostics.extend(scanned.diagnostics);
    diagnostics.extend(jira_errors);
    diagnostics.extend(jira.diagnostics.iter().cloned());
    let today = parse_iso_date(&config.roadmap.today).unwrap_or(built.date);
    stages.start("deriving statuses");
    let (mut catalog, catalog_diags) = assemble(Sources {
        config: &config,
        content,
        evidence: scanned.evidence,
        findings: crate::catalog::drift::Findings {
            misses: scanned.misses,
            unknown_markers: scanned.unknown_markers,
            unknown_labels: Vec::new(),
        },
        jira,
        built,
        today,
    });
    diagnostics.extend(catalog_diags);
    let dead = catalog.drift.dead_matchers();
    if !dead.is_empty() {
        stages.start("suggesting names for matchers");
        let suggestions = crate::scan::suggest::suggest(&config, &targets, &scanned.files, &dead);
        catalog.drift.attach_suggestions(&suggestions);
    }
    diagnostics.extend(catalog.drift.diagnostics());
    stages.finish();
    diagnostics.relativize(&config.root);
    diagnostics.sort();
    Loaded {
        config,
        catalog,
        diagnostics,
    }
}

/// What the scanner looks for: every capability's id and matchers.
pub fn scan_targets(content: &crate::content::Content) -> Vec<ScanTarget> {
    content
        .matchers()
        .into_iter()
        .map(|(id, matchers)| ScanTarget { id, matchers })
        .collect()
}

/// Pulls from the Jira API first when `[jira.api]` is set and the build is
/// not offline (the pull writes the snapshot file; each wait for a busy
/// server is said on stderr unless `-q`), then parses every Jira file.
fn load_jira(
    config: &Config,
    opts: &BuildOptions,
) -> Result<crate::jira::JiraData, Vec<Diagnostic>> {
    let api = config.jira.as_ref().and_then(|j| j.api.as_ref());
    if let (Some(api), false) = (api, opts.offline) {
        let snapshot = config.resolve(&api.snapshot);
        let options = crate::jira::api::PullOptions {
            on_wait: (!opts.quiet).then_some(say_wait as fn(&str)),
            ..Default::default()
        };
        crate::jira::api::pull(config, api, &snapshot, &options)
            .map_err(|e| vec![e.into_diagnostic()])?;
    }
    crate::jira::load(config, opts.offline)
}

fn say_wait(line: &str) {
    eprintln!("{line}");
}

/// Reports pipeline stages: a spinner on a terminal, and with `-v` the time
/// each stage took.
struct Stages {
    verbose: bool,
    spinner: Option<indicatif::ProgressBar>,
    current: Option<(&'static str, Instant)>,
}

impl Stages {
    /// Reports nothing.
    fn silent() -> Self {
        Stages {
            verbose: false,
            spinner: None,
            current: None,
        }
    }

    fn new(opts: &BuildOptions) -> Self {
        let spinner = show_progress(opts).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Stages {
            verbose: opts.verbose && !opts.quiet,
            spinner,
            current: None,
        }
    }

    fn start(&mut self, stage: &'static str) {
        self.finish();
        if let Some(bar) = &self.spinner {
            bar.set_message(stage);
        }
        self.current = Some((stage, Instant::now()));
    }

    /// A line of detail, shown with `-v` only.
    fn note(&self, line: &str) {
        if !self.verbose {
            return;
        }
        match &self.spinner {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&mut self) {
        if let Some((stage, started)) = self.current.take()
            && self.verbose
        {
            let line = format!(
                "{stage}: {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            match &self.spinner {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
    }
}

impl Drop for Stages {
    fn drop(&mut self) {
        if let Some(bar) = &self.spinner {
            bar.finish_and_clear();
        }
    }
}

fn show_progress(opts: &BuildOptions) -> bool {
    use std::io::IsTerminal;
    !opts.quiet && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal()
}

/// Commit and date of the build: `--commit` or git's HEAD; the date from
/// `SOURCE_DATE_EPOCH`, else the commit's date, else today.
pub fn build_info(root: &Path, commit: Option<String>) -> BuildInfo {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let commit = commit.or_else(|| git(&["rev-parse", "HEAD"]));
    let commit_time = git(&["log", "-1", "--format=%ct"]).and_then(|t| t.parse::<i64>().ok());
    BuildInfo {
        commit,
        date: build_date(commit_time),
    }
}

/// Renders `view` (of `loaded`'s catalog) in memory.
pub fn render(loaded: &Loaded, view: &SiteView<'_>) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let theme = Theme::load(&loaded.config.root, &loaded.config.site.theme).map_err(|d| vec![d])?;
    render::render_site(view, &theme, &loaded.config.search)
}

/// Renders `view` with its preview cards (cached under `[code] cache_dir`,
/// in `cards/`); without a base URL there are none, and a notice says so.
/// With `-v`, says how many cards were rendered and how many were cached.
fn render_with_cards(
    config: &Config,
    diagnostics: &mut Diagnostics,
    view: &SiteView<'_>,
    opts: &BuildOptions,
    kept: &mut Kept,
) -> Result<render::Rendered, Vec<Diagnostic>> {
    let theme = Theme::load(&config.root, &config.site.theme).map_err(|d| vec![d])?;
    let cards = render::CardOptions {
        cache: Some(card_cache_dir(config)),
    };
    let live = kept.live.as_ref();
    let in_site = |path: &str, size: u64, digest: &[u8; 32]| {
        live.is_some_and(|site| site.holds(path, size, digest))
    };
    let caches = render::RenderCaches {
        terms: &mut kept.terms,
        pages: &mut kept.pages,
        in_site: &in_site,
    };
    let rendered =
        render::render_site_with_cards(view, &theme, &config.search, Some(&cards), Some(caches))?;
    let stats = rendered.stats;
    // A cache that cannot be saved only makes the next build do again what
    // it would have kept.
    let _ = kept.terms.save();
    let _ = kept.pages.save();
    if config.site.base_url.is_empty() {
        diagnostics.push(Diagnostic::notice(
            None,
            "no link-preview cards: they need absolute URLs; set `[site] base_url` or pass --base-url",
        ));
    } else if opts.verbose && !opts.quiet {
        eprintln!(
            "cards: {} rendered, {} from cache",
            stats.cards.rendered, stats.cards.cached
        );
    }
    if opts.verbose && !opts.quiet {
        eprintln!(
            "capability pages: {} rendered, {} from cache",
            stats.pages_rendered, stats.pages_cached
        );
    }
    Ok(rendered)
}

/// What the last builds of one audience left for the next: each
/// capability's search terms, its page's digest, and what the link check
/// found on it, in `[code] cache_dir` (`search-terms-<audience>.bin`,
/// `pages-<audience>.bin` and `links-<audience>.bin`); and the site they
/// wrote, from which unchanged pages are kept.
struct Kept {
    terms: TermsCache,
    pages: CacheLog,
    links: CacheLog,
    live: Option<output::LiveSite>,
}

impl Kept {
    /// Reads the caches of `audience` (empty where there are none) and the
    /// site in `out`.
    fn load(cache_dir: &Path, audience: Audience, out: &Path) -> Kept {
        let identity = memo::capcat_identity();
        let file = |kind: &str| cache_dir.join(format!("{kind}-{}.bin", audience.as_str()));
        let pages = CacheLog::load(&file("pages"), &identity);
        // Without page records nothing is kept from the site.
        let live = (!pages.is_empty())
            .then(|| output::LiveSite::open(out))
            .flatten();
        Kept {
            terms: TermsCache::load(&file("search-terms"), &identity),
            pages,
            links: CacheLog::load(&file("links"), &identity),
            live,
        }
    }
}

/// Where rendered preview cards are kept between builds: `cards/` in
/// `[code] cache_dir`.
pub fn card_cache_dir(config: &Config) -> PathBuf {
    config.cache_dir().join("cards")
}

/// The audience a command asked for, else `[site] audience`.
pub fn audience(loaded: &Loaded, opts: &BuildOptions) -> Audience {
    opts.audience.unwrap_or(loaded.config.site.audience)
}

/// The baseline of a build (docs/history.md): `--baseline`, else
/// `[history] baseline` with `{audience}` filled in; `None` when neither is
/// set or the URL says nothing is published yet (then with a notice). A
/// baseline that cannot be read is a usage error (exit 2).
pub fn load_baseline(
    config: &Config,
    opts: &BuildOptions,
    audience: Audience,
) -> Result<(Option<CatalogDoc>, Vec<Diagnostic>), BuildError> {
    let (source, base) = match &opts.baseline {
        Some(s) => (s.clone(), PathBuf::new()),
        None if !config.history.baseline.is_empty() => (
            config
                .history
                .baseline
                .replace("{audience}", audience.as_str()),
            config.root.clone(),
        ),
        None => return Ok((None, Vec::new())),
    };
    let timeout = Duration::from_secs(config.history.timeout_secs.max(1));
    match baseline::load(&source, &base, timeout).map_err(|d| BuildError::Usage(vec![d]))? {
        Baseline::Loaded(doc) => {
            baseline::check_audience(&doc, audience, &source)
                .map_err(|d| BuildError::Usage(vec![d]))?;
            Ok((Some(*doc), Vec::new()))
        }
        Baseline::FirstPublish => Ok((
            None,
            vec![Diagnostic::notice(
                None,
                format!(
                    "no catalog.json at {} yet (404): first publish, so no history and no permalink guard this time",
                    crate::net::redact(&source)
                ),
            )],
        )),
    }
}

/// Runs the permalink guard against `baseline` and gives `view` its
/// history; returns the guard's errors.
pub fn apply_baseline(
    view: &mut SiteView<'_>,
    baseline: Option<&CatalogDoc>,
    config: &Config,
) -> Vec<Diagnostic> {
    let Some(baseline) = baseline else {
        return Vec::new();
    };
    let errors = crate::history::guard::permalink_guard(baseline, &view.doc());
    let limits = crate::history::Limits {
        max_entries: config.history.max_entries,
        max_days: config.history.max_days,
    };
    view.remember(baseline, limits);
    errors
}

/// Folders the output may never be or contain.
fn protected_dirs(config: &Config) -> Vec<PathBuf> {
    let mut dirs = vec![config.content_dir(), config.root.join("themes")];
    dirs.extend(config.code.roots.iter().map(|r| config.resolve(r)));
    if let Some(j) = &config.jira {
        dirs.extend(j.sources.iter().map(|s| config.resolve(s)));
    }
    let root = &config.root;
    dirs.into_iter()
        .filter(|d| d != root && !root.starts_with(d))
        .collect()
}

/// `capcat build`: load, check, render and swap the new site in.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let config = load_config(opts)?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| config.resolve(&config.site.output_dir));
    let out = output::check_out_dir(&out, &config.root, &protected_dirs(&config)).map_err(|e| {
        BuildError::Usage(vec![
            Diagnostic::error(None, e.to_string())
                .with_hint("pass --out with a folder of its own, such as public/"),
        ])
    })?;
    let audience = opts.audience.unwrap_or(config.site.audience);
    let mut config = config;
    // Never scan the site being replaced, wherever --out puts it.
    config.site.output_dir = out.clone();
    let built = build_info(&config.root, opts.commit.clone());
    let inputs = memo::inputs(&config, opts, &out, audience, &built);
    if let Some(memo) = inputs
        .as_ref()
        .and_then(|i| memo::recall(&config, audience, &i.digest, &out))
    {
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(memo.diagnostics);
        return Ok(BuildReport {
            diagnostics,
            out,
            files: memo.files,
            capabilities: memo.capabilities,
            audience,
            unchanged: true,
            elapsed: started.elapsed(),
        });
    }
    // Without a spare copy of the site to update in place, one is made of
    // links to the live site while the build loads and renders.
    let spare = SpareAhead::start(&out);
    let (baseline, notices) = load_baseline(&config, opts, audience)?;
    let (inputs, read) = match inputs {
        Some(i) => (Some(i.digest), i.content),
        None => (None, Default::default()),
    };
    // The caches (tens of megabytes) are read, and the search's word table
    // made, while the sources load.
    let cache_dir = config.cache_dir();
    let (mut kept, loaded) = rayon::join(
        || {
            let kept = Kept::load(&cache_dir, audience, &out);
            crate::render::search_index::prepare();
            kept
        },
        || load_sources(config, opts, built, &read),
    );
    // The content as the memo read it: its memory is reused from here on.
    drop(read);
    let mut loaded = loaded?;
    loaded.diagnostics.extend(notices);
    if loaded.diagnostics.fails(opts.strict) {
        return Err(BuildError::Failed(strictly(
            loaded.diagnostics,
            opts.strict,
        )));
    }
    let mut stages = Stages::new(opts);
    stages.start("rendering");
    let mut view = SiteView::new(&loaded.catalog, audience);
    let lost = apply_baseline(&mut view, baseline.as_ref(), &loaded.config);
    if !lost.is_empty() {
        let mut d = loaded.diagnostics.clone();
        d.extend(lost);
        d.sort();
        return Err(BuildError::Failed(d));
    }
    let rendered = render_with_cards(
        &loaded.config,
        &mut loaded.diagnostics,
        &view,
        opts,
        &mut kept,
    )
    .map_err(|errors| {
        let mut d = loaded.diagnostics.clone();
        d.extend(errors);
        BuildError::Failed(strictly(d, opts.strict))
    })?;
    let files = rendered.files;
    stages.start("checking links");
    let live = kept.live.as_ref();
    let read_kept = |path: &str| match live {
        Some(site) => site.read(path),
        None => Err(std::io::ErrorKind::NotFound.into()),
    };
    let broken = render::links::check_cached(
        &files,
        &rendered.kept,
        &rendered.digests,
        &mut kept.links,
        &read_kept,
    );
    loaded.diagnostics.extend(broken);
    // Unsaved, the next build only reads every page again.
    let _ = kept.links.save();
    loaded.diagnostics.sort();
    if loaded.diagnostics.fails(opts.strict) {
        return Err(BuildError::Failed(strictly(
            loaded.diagnostics,
            opts.strict,
        )));
    }
    stages.start("writing");
    drop(spare);
    output::write_site_known(&out, &files, &rendered.kept, &rendered.digests)
        .map_err(|e| BuildError::Usage(vec![Diagnostic::error(None, e.to_string())]))?;
    stages.finish();
    let capabilities = view.capabilities.len();
    drop(view);
    let written = files.len() + rendered.kept.len();
    if let Some(inputs) = inputs {
        let memo = memo::Memo {
            inputs,
            site: String::new(),
            capabilities,
            files: written,
            diagnostics: loaded.diagnostics.iter().cloned().collect(),
        };
        memo::remember(&loaded.config, audience, memo, &out);
    }
    drop_aside((files, rendered.digests, kept, loaded.catalog));
    Ok(BuildReport {
        diagnostics: loaded.diagnostics,
        out,
        files: written,
        capabilities,
        audience,
        unchanged: false,
        elapsed: started.elapsed(),
    })
}

/// The spare copy of the site being made on a thread of its own
/// ([`output::make_spare`]). Dropped, it waits for the copy to be complete
/// (or deleted), so that a build that fails leaves no half-made folder: at
/// most a complete spare, which the next build updates.
struct SpareAhead(Option<std::thread::JoinHandle<bool>>);

impl SpareAhead {
    /// Starts making the spare of the site in `out`.
    fn start(out: &Path) -> SpareAhead {
        let out = out.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("capcat-spare".into())
            .spawn(move || output::make_spare(&out));
        SpareAhead(thread.ok())
    }
}

impl Drop for SpareAhead {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// Frees `value` on a thread of its own. A built site in memory is hundreds
/// of thousands of allocations, and nothing waits for their freeing: a
/// process that exits first just ends it.
fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("capcat-free".into())
        .spawn(move || drop(value));
}

/// `capcat check`: everything `build` does except writing, the link check of
/// the rendered site included; returns all diagnostics (under `--strict`,
/// warnings become errors).
pub fn check(opts: &BuildOptions) -> Result<Diagnostics, BuildError> {
    check_report(opts).map(|r| r.diagnostics)
}

/// What `capcat check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every diagnostic (warnings are errors under `--strict`).
    pub diagnostics: Diagnostics,
    /// Drift items found (they are among the diagnostics).
    pub drift: usize,
    /// Shipped capabilities backed by code evidence.
    pub coverage: Option<crate::model::Coverage>,
}

/// [`check`], with the drift count and coverage for the summary line.
pub fn check_report(opts: &BuildOptions) -> Result<CheckReport, BuildError> {
    let loaded = load_catalog(opts)?;
    let audience = audience(&loaded, opts);
    let (baseline, notices) = load_baseline(&loaded.config, opts, audience)?;
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(notices);
    let mut view = SiteView::new(&loaded.catalog, audience);
    diagnostics.extend(apply_baseline(&mut view, baseline.as_ref(), &loaded.config));
    match render(&loaded, &view) {
        Ok(files) => diagnostics.extend(render::links::check(&files)),
        Err(errors) => diagnostics.extend(errors),
    }
    diagnostics.sort();
    Ok(CheckReport {
        diagnostics: strictly(diagnostics, opts.strict),
        drift: loaded.catalog.drift.items.len(),
        coverage: loaded.catalog.drift.coverage,
    })
}

/// Under `--strict` every warning is an error.
fn strictly(mut diagnostics: Diagnostics, strict: bool) -> Diagnostics {
    if strict {
        diagnostics.promote_warnings();
    }
    diagnostics
}
