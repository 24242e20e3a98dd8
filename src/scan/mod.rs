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
pub mod mounts;
mod plan;
mod prefilter;
pub mod report;
pub mod roots;
pub mod routes;
pub mod suggest;
pub mod testcode;
mod walk;
mod warm;

pub use inventory::{Inventory, InventoryItem};
pub use plan::BUILTIN_FLAG_FUNCTIONS;
pub use warm::WarmScan;

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
    /// Kept for callers; what a scan reports never depends on it (skipped
    /// files are counted in [`ScanOutput::skipped`], never warned about).
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
    /// Warnings about the scan itself: cancelled parses, bad globs, missing
    /// roots. Never one per skipped file.
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
    /// Markers naming an id no capability has: a warning each, with the
    /// nearest id and a page stub to create.
    pub unknown_markers: Vec<crate::diagnostics::Diagnostic>,
    /// Every matcher that matched nothing in product code, by capability
    /// and list order.
    pub misses: Vec<MatcherMiss>,
    /// Every matcher with its hits in product code and in tests.
    pub matcher_hits: Vec<MatcherHits>,
    /// Mounts whose router could not be followed to a file: their routes
    /// keep the path as written.
    pub unresolved_mounts: Vec<mounts::UnresolvedMount>,
    /// Per `[code] roots` entry: whether it exists and what it holds.
    pub roots: Vec<roots::RootReport>,
    /// Every file walked, for suggesting the nearest real path.
    pub files: Vec<SeenFile>,
    /// Files not read or not scanned, by reason (the `-v` summary).
    pub skipped: SkipCounts,
    /// Everything found, matched or not: markers, matched definitions,
    /// routes, GraphQL operations and flag calls.
    pub inventory: Inventory,
    /// How much work the scan did.
    pub stats: ScanStats,
}

/// A matcher of one capability that matched nothing in the code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MatcherMiss {
    /// The capability id.
    pub id: String,
    /// Which list: `Path` (paths), `Symbol`, `Route`, `Graphql` or `Flag`.
    pub kind: EvidenceKind,
    /// Position in that list as written in the front matter.
    pub index: usize,
    /// The glob, name, pattern or key as written.
    pub pattern: String,
    /// Its hits in test code (none in the product).
    pub in_tests: usize,
}

/// How many hits one matcher had in product code and in tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatcherHits {
    /// The capability id.
    pub id: String,
    /// Which list.
    pub kind: EvidenceKind,
    /// Position in that list.
    pub index: usize,
    /// The glob, name, pattern or key as written.
    pub pattern: String,
    /// Hits in product code.
    pub product: usize,
    /// Hits in test code.
    pub test: usize,
}

/// One walked file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeenFile {
    /// Path relative to the catalog root, `/`-separated.
    pub path: String,
    /// Path relative to its code root (what `paths` globs match).
    pub code_path: String,
    /// Its content was scanned (not skipped as binary, generated, …).
    pub scanned: bool,
}

/// Files a scan passed over, by reason. Skipping is silent: these counts
/// are a summary for `-v`, never warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SkipCounts {
    /// Binary content (by name, such as images, or NUL bytes).
    pub binary: u64,
    /// Lock files, `@generated` and `DO NOT EDIT` files.
    pub generated: u64,
    /// Minified files.
    pub minified: u64,
    /// Larger than `max_file_bytes`.
    pub too_large: u64,
    /// Unreadable files, broken symlinks and symlink loops.
    pub unreadable: u64,
    /// Not valid UTF-8 (scanned with invalid bytes replaced).
    pub lossy: u64,
}

impl SkipCounts {
    /// Files not scanned at all.
    pub fn total(&self) -> u64 {
        self.binary + self.generated + self.minified + self.too_large + self.unreadable
    }
}

impl std::fmt::Display for SkipCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "skipped {} files ({} binary, {} lock or generated, {} minified, {} too large, {} unreadable); {} read with invalid UTF-8 replaced",
            self.total(),
            self.binary,
            self.generated,
            self.minified,
            self.too_large,
            self.unreadable,
            self.lossy
        )
    }
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
/// Never fails: a problem that may hide evidence is a warning; skipped and
/// unreadable files are counted, and named as notices with `options.verbose`.
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
    let cache_dir = config.cache_dir();
    let mut walked = walk_all(config, targets, options, inventory, cache_dir);
    let output = assemble(config, targets, &mut walked);
    save_cache(&walked);
    output
}

/// [`scan`], keeping what it read in memory so that [`WarmScan::rescan`]
/// can read again only the files said to have changed (`serve`).
pub fn scan_warm(
    config: &crate::config::Config,
    targets: &[ScanTarget],
    options: &ScanOptions,
) -> (ScanOutput, WarmScan) {
    let cache_dir = config.cache_dir();
    let mut walked = walk_all(config, targets, options, false, cache_dir);
    let output = assemble(config, targets, &mut walked);
    save_cache(&walked);
    (output, WarmScan::new(walked))
}

/// One walk of every root: each file's record, read or from the cache.
struct AllFiles {
    plan: plan::Plan,
    cache_dir: std::path::PathBuf,
    cache: cache::Cache,
    records: Vec<walk::FileRecord>,
    problems: Vec<walk::WalkProblem>,
    roots: Vec<roots::RootReport>,
    counters: walk::Counters,
    verbose: bool,
}

fn walk_all(
    config: &crate::config::Config,
    targets: &[ScanTarget],
    options: &ScanOptions,
    inventory: bool,
    cache_dir: std::path::PathBuf,
) -> AllFiles {
    let plan = plan::Plan::new(&config.code, targets, inventory);
    let cache = if options.no_cache {
        cache::Cache::default()
    } else {
        cache::Cache::load(&cache_dir, &plan.fingerprint)
    };
    let counters = walk::Counters::default();
    let bar = progress_bar(options.progress);
    let tick = || bar.inc(1);
    let walked = walk::walk(
        &config.root,
        &config.code,
        &never_scanned(config),
        &plan,
        &cache,
        &counters,
        &tick,
    );
    bar.finish_and_clear();
    let mut records = walked.records;
    records.sort_by(|a, b| a.path.cmp(&b.path));
    records.dedup_by(|a, b| a.path == b.path);
    AllFiles {
        plan,
        cache_dir,
        cache,
        records,
        problems: walked.problems,
        roots: walked.roots,
        counters,
        verbose: options.verbose,
    }
}

/// The scan's findings from the records of every file (sorted by path):
/// mounts followed, evidence collected, misses and skips counted.
fn assemble(
    config: &crate::config::Config,
    targets: &[ScanTarget],
    all: &mut AllFiles,
) -> ScanOutput {
    let unresolved_mounts = follow_mounts(config, &all.plan, &mut all.records, &all.counters);
    let (plan, records) = (&all.plan, &all.records);
    let mut diagnostics = evidence::file_diagnostics(&all.problems, all.verbose);
    diagnostics.extend(plan.problems.iter().map(|p| {
        crate::diagnostics::Diagnostic::warning(None, p.clone())
            .with_hint("write gitignore-style globs such as \"src/billing/**\"")
    }));
    let (found, hits) = evidence::collect(records, plan, targets);
    ScanOutput {
        evidence: found,
        diagnostics: evidence::sorted(diagnostics),
        unknown_markers: evidence::sorted(evidence::unknown_markers(records, plan)),
        misses: evidence::misses(targets, &hits),
        matcher_hits: evidence::matcher_hits(targets, &hits),
        unresolved_mounts,
        skipped: evidence::skip_counts(records, &all.problems),
        files: records
            .iter()
            .map(|r| SeenFile {
                path: r.path.clone(),
                code_path: r.code_path.clone(),
                scanned: r.entry.skip.is_none(),
            })
            .collect(),
        roots: all.roots.clone(),
        inventory: inventory::build(records, plan),
        stats: stats(&all.counters),
    }
}

/// Reads the routes of mounted files not read yet (a few rounds: a mounted
/// file may mount others), then composes every route's full paths.
fn follow_mounts(
    config: &crate::config::Config,
    plan: &plan::Plan,
    records: &mut [walk::FileRecord],
    counters: &walk::Counters,
) -> Vec<mounts::UnresolvedMount> {
    if plan.targets.iter().any(|t| !t.routes.is_empty()) || plan.prefilter.inventory() {
        for _ in 0..4 {
            let unread = mounts::unread_targets(records);
            if unread.is_empty() {
                break;
            }
            for i in unread {
                if !walk::read_mounted_routes(&config.root, &mut records[i], plan, counters) {
                    records[i].entry.facts.routes_read = true;
                }
            }
        }
    }
    mounts::compose(records)
}

/// Folders never scanned whatever the roots say: the site capcat writes, its
/// scan cache and the content it reads.
fn never_scanned(config: &crate::config::Config) -> Vec<std::path::PathBuf> {
    vec![
        config.resolve(&config.site.output_dir),
        config.cache_dir(),
        config.content_dir(),
    ]
}

/// Every route, GraphQL operation and flag call in the code, matched or
/// not. For suggestions only: it parses more than a catalog scan, so it
/// keeps a cache of its own (`<cache_dir>/inventory/`) and leaves the
/// catalog's warm.
fn full_inventory(config: &crate::config::Config, targets: &[ScanTarget]) -> Inventory {
    let cache_dir = config.cache_dir().join("inventory");
    let mut all = walk_all(config, targets, &ScanOptions::default(), true, cache_dir);
    follow_mounts(config, &all.plan, &mut all.records, &all.counters);
    let inventory = inventory::build(&all.records, &all.plan);
    save_cache(&all);
    inventory
}

/// A digest of every file the scan would walk (path, size, modification
/// time; nothing is read): when it is the same, so is what a scan finds.
pub fn code_fingerprint(config: &crate::config::Config) -> String {
    walk::stat_fingerprint(&config.root, &config.code, &never_scanned(config))
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
fn save_cache(all: &AllFiles) {
    use std::sync::atomic::Ordering::Relaxed;
    let unchanged = all.counters.read.load(Relaxed) == 0
        && all.records.len() == all.cache.entry_count()
        && all.records.iter().all(|r| all.cache.get(&r.path).is_some());
    if unchanged {
        return;
    }
    write_cache(all);
}

fn write_cache(all: &AllFiles) {
    let entries = all
        .records
        .iter()
        .map(|r| (r.path.as_str(), &r.entry))
        .collect();
    let _ = cache::save(&all.cache_dir, &all.plan.fingerprint, entries);
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
