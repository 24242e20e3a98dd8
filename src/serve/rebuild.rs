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
use crate::scan::{ScanOutput, ScanStats, ScanTarget};
use crate::view::SiteView;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which sources changed since the last rebuild.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// catalog.toml.
    pub config: bool,
    /// Something under `content/`.
    pub content: bool,
    /// Something under `themes/`.
    pub theme: bool,
    /// Something under a code root.
    pub code: bool,
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
        self.jira |= other.jira;
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
    scanned: Option<(Vec<ScanTarget>, ScanOutput)>,
    jira: Option<(crate::jira::JiraData, Vec<Diagnostic>)>,
    built: Option<crate::catalog::BuildInfo>,
    baseline: Option<(Option<CatalogDoc>, Vec<Diagnostic>)>,
    rendered: Option<Rendered>,
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
    pub fn rebuild(&mut self, changes: Changes) -> Rebuilt {
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

    fn forget(&mut self, changes: Changes) {
        if changes.config {
            *self = Workspace::new(&self.opts);
        }
        if changes.content {
            self.content = None;
        }
        if changes.code {
            self.scanned = None;
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
        if self
            .scanned
            .as_ref()
            .is_some_and(|(old, _)| !same_targets(old, &targets))
        {
            self.scanned = None;
        }
        if self.scanned.is_none() {
            let out = pipeline::scan_code(&config, &targets, self.opts.verbose)
                .map_err(|e| usage(e, &config))?;
            *scan = Some(out.stats.clone());
            *scan_summary = Some(pipeline::scan_summary(&out));
            self.scanned = Some((targets.clone(), out));
        }
        let scanned = self
            .scanned
            .as_ref()
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
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
