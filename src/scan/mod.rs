//! Code evidence: walk → prefilter → tree-sitter → [`Evidence`]
//! (docs/content.md, "Markers and matchers").
//!
//! The scanner reads every `[code] roots` folder and reports where each
//! capability's code is: marker comments, and hits of the `paths`, `symbols`,
//! `routes`, `graphql` and `flags` matchers from front matter.

use serde::Serialize;

pub use crate::model::{Evidence, EvidenceKind, Matchers};

mod cache;
mod evidence;
mod extract;
pub mod facts;
mod graphql;
pub mod inventory;
pub mod languages;
pub mod markers;
mod plan;
mod prefilter;
pub mod report;
pub mod routes;
mod walk;

pub use inventory::{Inventory, InventoryItem};
pub use plan::BUILTIN_FLAG_FUNCTIONS;

/// What the scanner is told about one capability.
#[derive(Debug, Clone)]
pub struct ScanTarget {
    /// The capability id.
    pub id: String,
    /// Its matchers.
    pub matchers: Matchers,
}

/// Knobs for one scan run.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Report skipped files (binary, too large, unreadable…) as warnings.
    pub verbose: bool,
    /// Show a progress bar (only on a terminal outside CI).
    pub progress: bool,
    /// Ignore the cache (a cold scan); the fresh results are still saved.
    pub no_cache: bool,
}

/// Everything one scan found.
#[derive(Debug, Clone, Default)]
pub struct ScanOutput {
    /// Evidence by capability id, each list sorted.
    pub evidence: std::collections::BTreeMap<String, Vec<Evidence>>,
    /// Warnings: unknown marker ids (with a page stub hint), skipped files.
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
    /// Everything found, matched or not: markers, matched definitions,
    /// routes, GraphQL operations and flag calls.
    pub inventory: Inventory,
    /// How much work the scan did.
    pub stats: ScanStats,
}

/// How much work one scan did (for `-v`, tests and the benchmark).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanStats {
    /// Files walked.
    pub files: u64,
    /// Files whose content was read.
    pub read: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Files parsed (tree-sitter or GraphQL SDL).
    pub parsed: u64,
    /// Files whose facts came from the cache.
    pub cached: u64,
}

/// Scans every `[code] roots` folder for the evidence of `targets`.
///
/// `targets` should list every capability (an empty [`Matchers`] is fine):
/// a marker naming an id that is not a target is reported as unknown.
/// Never fails: unreadable or odd files become warnings in the output
/// (with `options.verbose`); unknown marker ids are always warnings.
pub fn scan(
    config: &crate::config::Config,
    targets: &[ScanTarget],
    options: &ScanOptions,
) -> ScanOutput {
    scan_with(config, targets, options, false)
}

/// [`scan`], and with `inventory` also every route, GraphQL operation and
/// flag call whether matched or not (what `capcat scan` prints), at the
/// cost of parsing more files.
pub fn scan_with(
    config: &crate::config::Config,
    targets: &[ScanTarget],
    options: &ScanOptions,
    inventory: bool,
) -> ScanOutput {
    let plan = plan::Plan::new(&config.code, targets, inventory);
    let cache_dir = config.resolve(&config.code.cache_dir);
    let cache = if options.no_cache {
        cache::Cache::default()
    } else {
        cache::Cache::load(&cache_dir, &plan.fingerprint)
    };
    let counters = walk::Counters::default();
    let bar = progress_bar(options.progress);
    let tick = || bar.inc(1);
    let walked = walk::walk(&config.root, &config.code, &plan, &cache, &counters, &tick);
    bar.finish_and_clear();
    let mut records = walked.records;
    records.sort_by(|a, b| a.path.cmp(&b.path));
    records.dedup_by(|a, b| a.path == b.path);
    let mut diagnostics =
        evidence::file_diagnostics(&records, &walked.problems, config, options.verbose);
    diagnostics.extend(plan.problems.iter().map(|p| {
        crate::diagnostics::Diagnostic::warning(None, p.clone())
            .with_hint("write gitignore-style globs such as \"src/billing/**\"")
    }));
    diagnostics.extend(evidence::unknown_markers(&records, &plan));
    let output = ScanOutput {
        evidence: evidence::collect(&records, &plan),
        diagnostics: evidence::sorted(diagnostics),
        inventory: inventory::build(&records, &plan),
        stats: stats(&counters),
    };
    save_cache(&cache_dir, &plan.fingerprint, records, &cache, &counters);
    output
}

/// The literal needles the prefilter looks for with these targets (what an
/// equivalent `rg -F` must search for; used by the benchmark).
pub fn prefilter_needles(config: &crate::config::Config, targets: &[ScanTarget]) -> Vec<String> {
    let (compiled, _) = plan::compile_targets(targets);
    prefilter::Prefilter::new(&config.code, &compiled, false)
        .needles()
        .to_vec()
}

fn stats(c: &walk::Counters) -> ScanStats {
    use std::sync::atomic::Ordering::Relaxed;
    ScanStats {
        files: c.files.load(Relaxed),
        read: c.read.load(Relaxed),
        bytes: c.bytes.load(Relaxed),
        parsed: c.parsed.load(Relaxed),
        cached: c.cached.load(Relaxed),
    }
}

/// Saves the cache unless nothing changed since it was loaded. A cache that
/// cannot be written only costs speed next time, so the error is dropped.
fn save_cache(
    dir: &std::path::Path,
    fingerprint: &str,
    records: Vec<walk::FileRecord>,
    old: &cache::Cache,
    counters: &walk::Counters,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let unchanged = counters.read.load(Relaxed) == 0
        && records.len() == old.entry_count()
        && records.iter().all(|r| old.get(&r.path).is_some());
    if unchanged {
        return;
    }
    let entries = records.into_iter().map(|r| (r.path, r.entry)).collect();
    let _ = cache::save(dir, fingerprint, entries);
}

fn progress_bar(enabled: bool) -> indicatif::ProgressBar {
    let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !enabled || !on_terminal || std::env::var_os("CI").is_some() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} scanning code: {pos} files")
    {
        bar.set_style(style);
    }
    bar
}
