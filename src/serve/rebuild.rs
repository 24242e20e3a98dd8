//! The rebuild state of `serve`: the sources read by the last rebuild, kept
//! in memory so the next one reads again only what changed. A content edit
//! re-reads the content and re-renders without scanning; a theme edit only
//! re-renders; a code edit rescans through the scan cache (only changed files
//! are parsed); a Jira file edit re-reads the Jira files (never the network);
//! an edit of catalog.toml starts over.

use super::site::Site;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audience, CatalogDoc};
use crate::pipeline::{self, BuildError, BuildOptions, SourceData};
use crate::render;
use crate::scan::{ScanOutput, ScanStats, ScanTarget, WarmScan};
use crate::view::SiteView;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which sources changed since the last rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// catalog.toml.
    pub config: bool,
    /// Something under `content/`.
    pub content: bool,
    /// Something under `themes/`.
    pub theme: bool,
    /// Something under a code root.
    pub code: bool,
    /// The paths under code roots the watcher named (absolute).
    pub code_paths: Vec<PathBuf>,
    /// The code roots must be walked again: the watcher lost track.
    pub code_walk: bool,
    /// A Jira file.
    pub jira: bool,
}

impl Changes {
    /// Everything: the first build.
    pub const ALL: Changes = Changes {
        config: true,
        content: true,
        theme: true,
        code: true,
        code_paths: Vec::new(),
        code_walk: true,
        jira: true,
    };

    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Both sets of changes.
    pub fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.content |= other.content;
        self.theme |= other.theme;
        self.code |= other.code;
        self.code_walk |= other.code_walk;
        self.jira |= other.jira;
        for p in other.code_paths {
            if !self.code_paths.contains(&p) {
                self.code_paths.push(p);
            }
        }
    }

    /// `content, code`: what changed, in words.
    pub fn describe(&self) -> String {
        let names = [
            (self.config, "catalog.toml"),
            (self.content, "content"),
            (self.theme, "theme"),
            (self.code, "code"),
            (self.jira, "Jira files"),
        ];
        let list: Vec<&str> = names
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect();
        list.join(", ")
    }
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// The site, or the errors that stopped the rebuild.
    pub result: Result<Arc<Site>, Vec<Diagnostic>>,
    /// The pages were rendered (false: the catalog came out the same, so
    /// the last site stands).
    pub rendered: bool,
    /// Every diagnostic of the rebuild (warnings included).
    pub diagnostics: Diagnostics,
    /// The scan's statistics, when the code was scanned.
    pub scan: Option<ScanStats>,
    /// The scan's `-v` summary line, when the code was scanned.
    pub scan_summary: Option<String>,
    /// The content was read again.
    pub read_content: bool,
    /// Wall time.
    pub elapsed: Duration,
}

/// The sources of the last rebuild; each is read again only when its files
/// changed (or the configuration did).
pub struct Workspace {
    opts: BuildOptions,
    config: Option<Config>,
    content: Option<(crate::content::Content, Vec<Diagnostic>)>,
    scanned: Option<Scanned>,
    /// Code files changed since the last scan, to read again.
    code_paths: Vec<PathBuf>,
    jira: Option<(crate::jira::JiraData, Vec<Diagnostic>)>,
    built: Option<crate::catalog::BuildInfo>,
    baseline: Option<(Option<CatalogDoc>, Vec<Diagnostic>)>,
    rendered: Option<Rendered>,
}

/// The last scan, and the records it read, for the next partial rescan.
struct Scanned {
    targets: Vec<ScanTarget>,
    output: ScanOutput,
    warm: WarmScan,
}

/// The last render: reused as long as the catalog and the theme stay the
/// same (an edit of a function body changes no evidence, so no page).
struct Rendered {
    catalog: crate::catalog::Catalog,
    site: Arc<Site>,
    /// What rendering found (links, the permalink guard).
    diagnostics: Vec<Diagnostic>,
}

impl Workspace {
    /// A workspace for the catalog of `opts` (Jira is always read offline).
    pub fn new(opts: &BuildOptions) -> Workspace {
        Workspace {
            opts: BuildOptions {
                offline: true,
                ..opts.clone()
            },
            config: None,
            content: None,
            scanned: None,
            code_paths: Vec::new(),
            jira: None,
            built: None,
            baseline: None,
            rendered: None,
        }
    }

    /// The configuration of the last rebuild that could read it.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// Reads what `changes` invalidated, derives the catalog and renders it.
    pub fn rebuild(&mut self, changes: &Changes) -> Rebuilt {
        let started = Instant::now();
        self.forget(changes);
        let read_content = self.content.is_none();
        let mut scan = None;
        let mut scan_summary = None;
        let mut rendered = false;
        let result = self.run(&mut scan, &mut scan_summary, &mut rendered);
        let (result, diagnostics) = match result {
            Ok((site, diagnostics)) => (Ok(site), diagnostics),
            Err(diagnostics) => {
                let errors = diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                    .cloned()
                    .collect();
                (Err(errors), diagnostics)
            }
        };
        Rebuilt {
            result,
            diagnostics,
            scan,
            scan_summary,
            rendered,
            read_content,
            elapsed: started.elapsed(),
        }
    }

    fn forget(&mut self, changes: &Changes) {
        if changes.config {
            *self = Workspace::new(&self.opts);
        }
        if changes.content {
            self.content = None;
        }
        if changes.code_walk || (changes.code && changes.code_paths.is_empty()) {
            self.scanned = None;
        }
        if changes.code {
            self.code_paths.extend(changes.code_paths.iter().cloned());
        }
        if changes.jira {
            self.jira = None;
        }
        if changes.theme {
            self.rendered = None;
        }
    }

    fn run(
        &mut self,
        scan: &mut Option<ScanStats>,
        scan_summary: &mut Option<String>,
        rendered: &mut bool,
    ) -> Result<(Arc<Site>, Diagnostics), Diagnostics> {
        let config = self.load_config()?;
        let (content, content_diagnostics) = self
            .content
            .get_or_insert_with(|| crate::content::load(&config.content_dir(), &config.root))
            .clone();
        let targets = pipeline::scan_targets(&content);
        let scanned = self.scan(&config, &targets, scan, scan_summary)?;
        let (jira, jira_errors) = self
            .jira
            .get_or_insert_with(|| match crate::jira::load(&config, true) {
                Ok(data) => (data, Vec::new()),
                Err(errors) => (Default::default(), errors),
            })
            .clone();
        let built = self
            .built
            .get_or_insert_with(|| pipeline::build_info(&config.root, self.opts.commit.clone()))
            .clone();
        let loaded = pipeline::derive(
            config.clone(),
            SourceData {
                content,
                content_diagnostics,
                scanned,
                targets,
                jira,
                jira_errors,
                built,
            },
        );
        let (baseline, notices) = self.baseline(&config);
        let mut diagnostics = loaded.diagnostics.clone();
        diagnostics.extend(notices);
        if diagnostics.fails(false) {
            return Err(diagnostics);
        }
        if let Some(last) = &self.rendered
            && last.catalog == loaded.catalog
        {
            diagnostics.extend(last.diagnostics.iter().cloned());
            diagnostics.sort();
            return Ok((Arc::clone(&last.site), diagnostics));
        }
        let audience = pipeline::audience(&loaded, &self.opts);
        let mut view = SiteView::new(&loaded.catalog, audience);
        let mut found = pipeline::apply_baseline(&mut view, baseline.as_ref(), &loaded.config);
        let files = pipeline::render(&loaded, &view);
        drop(view);
        let files = match files {
            Ok(files) => files,
            Err(errors) => {
                diagnostics.extend(found);
                diagnostics.extend(errors);
                diagnostics.sort();
                return Err(diagnostics);
            }
        };
        found.extend(render::links::check(&files));
        diagnostics.extend(found.iter().cloned());
        diagnostics.sort();
        if diagnostics.fails(false) {
            return Err(diagnostics);
        }
        *rendered = true;
        let site = Arc::new(Site::new(files));
        self.rendered = Some(Rendered {
            catalog: loaded.catalog,
            site: Arc::clone(&site),
            diagnostics: found,
        });
        Ok((site, diagnostics))
    }

    /// The scan's findings: the last ones, those files the watcher named
    /// read again, or a new scan when only a walk can tell what changed
    /// (or the matchers changed).
    fn scan(
        &mut self,
        config: &Config,
        targets: &[ScanTarget],
        stats: &mut Option<ScanStats>,
        summary: &mut Option<String>,
    ) -> Result<ScanOutput, Diagnostics> {
        let paths = std::mem::take(&mut self.code_paths);
        if self
            .scanned
            .as_ref()
            .is_some_and(|s| !same_targets(&s.targets, targets))
        {
            self.scanned = None;
        }
        let mut fresh = false;
        if let Some(last) = &mut self.scanned
            && !paths.is_empty()
        {
            match last.warm.rescan(config, targets, &paths) {
                Some(output) => {
                    last.output = output;
                    fresh = true;
                }
                None => self.scanned = None,
            }
        }
        if self.scanned.is_none() {
            let (output, warm) = pipeline::scan_code_warm(config, targets, self.opts.verbose)
                .map_err(|e| usage(e, config))?;
            self.scanned = Some(Scanned {
                targets: targets.to_vec(),
                output,
                warm,
            });
            fresh = true;
        }
        if let Some(last) = self.scanned.as_ref().filter(|_| fresh) {
            *stats = Some(last.output.stats.clone());
            *summary = Some(pipeline::scan_summary(&last.output));
        }
        Ok(self
            .scanned
            .as_ref()
            .map(|s| s.output.clone())
            .unwrap_or_default())
    }

    /// Writes what partial rescans read to the scan cache (when serve
    /// stops), so the next build does not parse those files again.
    pub fn save_scan_cache(&mut self) {
        if let Some(s) = &mut self.scanned {
            s.warm.save();
        }
    }

    fn load_config(&mut self) -> Result<Config, Diagnostics> {
        if self.config.is_none() {
            let config =
                pipeline::load_config(&self.opts).map_err(|e| usage(e, &Config::default()))?;
            self.config = Some(config);
        }
        Ok(self.config.clone().unwrap_or_default())
    }

    /// The baseline, read once per configuration. One that cannot be read
    /// is a warning here: a laptop without network still gets its pages.
    fn baseline(&mut self, config: &Config) -> (Option<CatalogDoc>, Vec<Diagnostic>) {
        let audience = self.opts.audience.unwrap_or(config.site.audience);
        self.baseline
            .get_or_insert_with(
                || match pipeline::load_baseline(config, &self.opts, audience) {
                    Ok(found) => found,
                    Err(e) => {
                        let mut notes: Vec<Diagnostic> = match e {
                            BuildError::Usage(ds) => ds,
                            BuildError::Failed(ds) => ds.iter().cloned().collect(),
                        };
                        for d in &mut notes {
                            d.severity = crate::diagnostics::Severity::Warning;
                            d.message = format!("no history while serving: {}", d.message);
                        }
                        (None, notes)
                    }
                },
            )
            .clone()
    }

    /// The audience served.
    pub fn audience(&self) -> Option<Audience> {
        self.opts
            .audience
            .or_else(|| self.config.as_ref().map(|c| c.site.audience))
    }
}

fn same_targets(a: &[ScanTarget], b: &[ScanTarget]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.id == y.id && x.matchers == y.matchers)
}

/// A stage's error as diagnostics relative to the catalog root.
fn usage(e: BuildError, config: &Config) -> Diagnostics {
    let mut d = Diagnostics::new();
    match e {
        BuildError::Usage(ds) => d.extend(ds),
        BuildError::Failed(ds) => d.extend(ds.iter().cloned()),
    }
    d.relativize(&config.root);
    d.sort();
    d
}
