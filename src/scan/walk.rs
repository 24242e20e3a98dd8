//! Walking the code roots in parallel and turning each file into facts,
//! reusing the cache where the file has not changed.

use super::cache::{self, Cache, Entry, Skip};
use super::extract::{self, ExtractError};
use super::facts::FileFacts;
use super::languages;
use super::plan::Plan;
use super::routes;
use ignore::{WalkBuilder, WalkState, overrides::OverrideBuilder};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

pub use super::roots::RootReport;

/// Files above this size are parsed one at a time.
const BIG_FILE: usize = 2_000_000;
static BIG_PARSE: Mutex<()> = Mutex::new(());

/// One walked file.
#[derive(Debug, Clone)]
pub struct FileRecord {
    /// Path relative to the catalog root, `/`-separated.
    pub path: String,
    /// Path relative to its code root, for `paths` matchers.
    pub code_path: String,
    /// Test code (docs/configuration.md, "Test code").
    pub test: bool,
    /// What the cache keeps about it (facts, skip reason…).
    pub entry: Entry,
}

/// A problem met while walking (only reported with `--verbose`), or a
/// cancelled parse (always reported: evidence may be missing).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    /// The file or folder, relative to the catalog root where possible.
    pub path: PathBuf,
    /// What happened.
    pub message: String,
    /// Shown even without `--verbose`.
    pub always: bool,
}

/// Counters of one scan.
#[derive(Debug, Default)]
pub struct Counters {
    /// Files seen.
    pub files: AtomicU64,
    /// Files whose content was read.
    pub read: AtomicU64,
    /// Bytes read.
    pub bytes: AtomicU64,
    /// Files parsed with tree-sitter (or as GraphQL SDL).
    pub parsed: AtomicU64,
    /// Files taken from the cache without parsing.
    pub cached: AtomicU64,
}

/// What the walk of every root produced.
pub struct Walked {
    /// Every file, in no particular order.
    pub records: Vec<FileRecord>,
    /// Problems met.
    pub problems: Vec<WalkProblem>,
    /// What each root held.
    pub roots: Vec<RootReport>,
}

/// Walks every code root, never entering the `never` folders (absolute
/// paths). `on_file` is called once per file (progress).
pub fn walk(
    root: &Path,
    code: &crate::config::CodeConfig,
    never: &[PathBuf],
    plan: &Plan,
    cache: &Cache,
    counters: &Counters,
    on_file: &(dyn Fn() + Sync),
) -> Walked {
    let records = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    let mut roots = Vec::new();
    for code_root in &code.roots {
        let dir = if code_root.is_absolute() {
            code_root.clone()
        } else {
            root.join(code_root)
        };
        let mut report = RootReport {
            root: code_root.clone(),
            exists: dir.is_dir(),
            files: 0,
            sources: 0,
        };
        if !report.exists {
            problems.lock().unwrap().push(WalkProblem {
                path: code_root.clone(),
                message: "code root does not exist or is not a folder".into(),
                always: true,
            });
            roots.push(report);
            continue;
        }
        let Some(skip_dirs) = skipped_below(&dir, never) else {
            roots.push(report);
            continue;
        };
        let ctx = Ctx {
            root,
            prefix: relative_prefix(root, &dir),
            code_root: &dir,
            max_bytes: code.max_file_bytes,
            plan,
            cache,
            counters,
        };
        let before = records.lock().unwrap().len();
        walk_root(&ctx, &code.exclude, skip_dirs, &records, &problems, on_file);
        let found = &records.lock().unwrap()[before..];
        report.files = found.len() as u64;
        report.sources = found.iter().filter(|r| is_source(r)).count() as u64;
        roots.push(report);
    }
    Walked {
        records: records.into_inner().unwrap_or_default(),
        problems: problems.into_inner().unwrap_or_default(),
        roots,
    }
}

/// What re-reading one file named by the file watcher gave.
pub enum Reread {
    /// The file's new record, and a problem met reading it.
    Record(Box<FileRecord>, Option<WalkProblem>),
    /// Not something the walk scans (hidden, excluded, in a folder never
    /// scanned, outside every root, or a file that came and went).
    Outside,
    /// Only a walk can tell: a new, removed or linked file, a folder, an
    /// ignore file, or a file below more than one root.
    NeedsWalk,
}

/// Re-reads the file at `path` (absolute) as the walk would have, without
/// walking: `serve` is told by the file watcher what changed. `previous`
/// gives the walk's last entry for a catalog-relative path (None: the walk
/// did not find it); its content hash spares the parse of an unchanged file.
pub fn reread(
    root: &Path,
    code: &crate::config::CodeConfig,
    never: &[PathBuf],
    plan: &Plan,
    counters: &Counters,
    path: &Path,
    previous: &dyn Fn(&str) -> Option<Entry>,
) -> Reread {
    let name = path.file_name().map(|n| n.to_string_lossy());
    if name.is_some_and(|n| n == ".gitignore" || n == ".ignore") {
        return Reread::NeedsWalk;
    }
    if never
        .iter()
        .filter_map(|n| std::fs::canonicalize(n).ok())
        .any(|n| path.starts_with(n))
    {
        return Reread::Outside;
    }
    let roots: Vec<(PathBuf, PathBuf)> = code
        .roots
        .iter()
        .map(|r| root.join(r))
        .filter_map(|dir| std::fs::canonicalize(&dir).ok().map(|c| (dir, c)))
        .collect();
    if roots.iter().any(|(_, c)| c == path) {
        // A root itself changed (moved, replaced): only a walk can tell.
        return Reread::NeedsWalk;
    }
    let holders: Vec<PathBuf> = roots
        .into_iter()
        .filter(|(_, c)| path.starts_with(c))
        .map(|(dir, _)| dir)
        .collect();
    let dir = match holders.as_slice() {
        [] => return Reread::Outside,
        [one] => one,
        _ => return Reread::NeedsWalk,
    };
    let Ok(inside) = path.strip_prefix(std::fs::canonicalize(dir).unwrap_or_default()) else {
        return Reread::Outside;
    };
    if is_hidden(inside) || is_excluded(dir, &code.exclude, inside) {
        return Reread::Outside;
    }
    let cache = Cache::default();
    let ctx = Ctx {
        root,
        prefix: relative_prefix(root, dir),
        code_root: dir,
        max_bytes: code.max_file_bytes,
        plan,
        cache: &cache,
        counters,
    };
    let rel = catalog_path(&ctx.prefix, &slash_path(inside));
    let before = previous(&rel);
    let stat = std::fs::symlink_metadata(path);
    match (&before, stat) {
        (None, Err(_)) => Reread::Outside,
        (_, Ok(m)) if m.is_file() && before.is_some() => {
            let cache = Cache::by_content(&rel, before);
            let ctx = Ctx {
                cache: &cache,
                ..ctx
            };
            match file_record(&ctx, &dir.join(inside)) {
                Ok((record, problem)) => Reread::Record(Box::new(record), problem),
                Err(_) => Reread::NeedsWalk,
            }
        }
        _ => Reread::NeedsWalk,
    }
}

/// A path below a code root with a hidden part, which the walk passes over.
fn is_hidden(inside: &Path) -> bool {
    inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// `[code] exclude` leaves this path out (an invalid glob was reported by
/// the walk and excludes nothing).
fn is_excluded(dir: &Path, exclude: &[String], inside: &Path) -> bool {
    let mut overrides = OverrideBuilder::new(dir);
    for g in exclude {
        let _ = overrides.add(&format!("!{g}"));
    }
    let Ok(o) = overrides.build() else {
        return false;
    };
    let mut sofar = dir.to_path_buf();
    let parts: Vec<_> = inside.components().collect();
    parts.iter().enumerate().any(|(i, part)| {
        sofar.push(part);
        o.matched(&sofar, i + 1 < parts.len()).is_ignore()
    })
}

/// The catalog-relative path of a file at `code_path` below a root at
/// `prefix`.
fn catalog_path(prefix: &str, code_path: &str) -> String {
    if prefix.is_empty() {
        code_path.to_string()
    } else {
        format!("{prefix}/{code_path}")
    }
}

/// A file whose content capcat reads for evidence: in a parsed language or
/// a GraphQL schema, and not skipped.
pub(super) fn is_source(r: &FileRecord) -> bool {
    r.entry.skip.is_none()
        && (languages::for_path(&r.code_path).is_some()
            || r.code_path.ends_with(".graphql")
            || r.code_path.ends_with(".gql"))
}

/// The `never` folders inside `dir`, as the walker will see them (below
/// `dir`), or `None` when `dir` itself lies in one of them.
fn skipped_below(dir: &Path, never: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let base = canon(dir)?;
    let mut below = Vec::new();
    for n in never.iter().filter_map(|n| canon(n)) {
        if base.starts_with(&n) {
            return None;
        }
        if let Ok(rel) = n.strip_prefix(&base) {
            below.push(dir.join(rel));
        }
    }
    Some(below)
}

struct Ctx<'a> {
    root: &'a Path,
    /// The code root relative to the catalog root (may start with `../`).
    prefix: String,
    code_root: &'a Path,
    max_bytes: u64,
    plan: &'a Plan,
    cache: &'a Cache,
    counters: &'a Counters,
}

fn walk_root(
    ctx: &Ctx,
    exclude: &[String],
    skip_dirs: Vec<PathBuf>,
    records: &Mutex<Vec<FileRecord>>,
    problems: &Mutex<Vec<WalkProblem>>,
    on_file: &(dyn Fn() + Sync),
) {
    let (builder, bad_globs) = walk_builder(ctx.code_root, exclude, skip_dirs);
    problems.lock().unwrap().extend(bad_globs);
    let inside = std::fs::canonicalize(ctx.code_root).unwrap_or_else(|_| ctx.code_root.into());
    builder.build_parallel().run(|| {
        Box::new(|result| {
            match result {
                Ok(entry) if entry.path_is_symlink() => {
                    if let Some(p) = link_problem(ctx, entry.path(), &inside) {
                        problems.lock().unwrap().push(p);
                        return WalkState::Skip;
                    }
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        on_file();
                        push_record(ctx, entry.path(), records, problems);
                    }
                }
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    on_file();
                    push_record(ctx, entry.path(), records, problems);
                }
                Ok(_) => {}
                Err(e) => problems.lock().unwrap().push(walk_error(ctx.root, &e)),
            }
            WalkState::Continue
        })
    });
}

/// The walker of one code root: what the scan reads and what it passes
/// over (hidden files, ignore files, `[code] exclude`, the folders never
/// scanned), and a problem for each invalid exclude glob.
fn walk_builder(
    code_root: &Path,
    exclude: &[String],
    skip_dirs: Vec<PathBuf>,
) -> (WalkBuilder, Vec<WalkProblem>) {
    let mut problems = Vec::new();
    let mut overrides = OverrideBuilder::new(code_root);
    for g in exclude {
        if let Err(e) = overrides.add(&format!("!{g}")) {
            problems.push(WalkProblem {
                path: PathBuf::from("catalog.toml"),
                message: format!("[code] exclude glob `{g}` is not valid: {e}"),
                always: true,
            });
        }
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut builder = WalkBuilder::new(code_root);
    builder
        .hidden(true)
        .follow_links(true)
        .require_git(false)
        .threads(threads);
    if let Ok(o) = overrides.build() {
        builder.overrides(o);
    }
    if !skip_dirs.is_empty() {
        builder.filter_entry(move |e| {
            !(e.file_type().is_some_and(|t| t.is_dir()) && skip_dirs.iter().any(|d| d == e.path()))
        });
    }
    (builder, problems)
}

/// A digest of the path, size and modification time of every file the scan
/// would walk (no file is read): equal digests mean the scan would find
/// what it found before.
pub fn stat_fingerprint(
    root: &Path,
    code: &crate::config::CodeConfig,
    never: &[PathBuf],
) -> String {
    let mut stats = Vec::new();
    for code_root in &code.roots {
        let dir = root.join(code_root);
        stats.push(format!("root {}", dir.display()));
        let Some(skip_dirs) = skipped_below(&dir, never) else {
            continue;
        };
        let (builder, _) = walk_builder(&dir, &code.exclude, skip_dirs);
        for entry in builder.build() {
            let line = match entry {
                Ok(e) => match e.metadata() {
                    Ok(m) if m.is_dir() => continue,
                    Ok(m) => format!(
                        "{} {} {}",
                        e.path().display(),
                        m.len(),
                        cache::nanos(m.modified())
                    ),
                    Err(err) => format!("{} {err}", e.path().display()),
                },
                Err(err) => err.to_string(),
            };
            stats.push(line);
        }
    }
    stats.sort();
    cache::fingerprint(stats.iter().map(String::as_str))
}

/// Reads one file into a record, or says why not.
fn push_record(
    ctx: &Ctx,
    path: &Path,
    records: &Mutex<Vec<FileRecord>>,
    problems: &Mutex<Vec<WalkProblem>>,
) {
    match file_record(ctx, path) {
        Ok((rec, problem)) => {
            records.lock().unwrap().push(rec);
            if let Some(p) = problem {
                problems.lock().unwrap().push(p);
            }
        }
        Err(p) => problems.lock().unwrap().push(p),
    }
}

/// A symlink is followed only when its target lies inside the code root
/// (`inside`, resolved) and is not a folder holding the link, which would
/// scan the same files again under another name: the scan never leaves a
/// code root through a link. Otherwise, why it is skipped.
fn link_problem(ctx: &Ctx, link: &Path, inside: &Path) -> Option<WalkProblem> {
    let rel = |p: &Path| p.strip_prefix(ctx.root).unwrap_or(p).to_path_buf();
    let skipped = |message: String| WalkProblem {
        path: rel(link),
        message,
        always: false,
    };
    let Ok(target) = std::fs::canonicalize(link) else {
        return Some(skipped(
            "skipped: cannot read: the symlink's target does not exist".into(),
        ));
    };
    if !target.starts_with(inside) {
        return Some(skipped(format!(
            "skipped: symlink leaves the code root (it points to {})",
            target.display()
        )));
    }
    let holder = link.parent().and_then(|p| std::fs::canonicalize(p).ok());
    if target.is_dir() && holder.is_some_and(|h| h.starts_with(&target)) {
        return Some(skipped(format!(
            "skipped: symlink loop (it points back to {})",
            rel(&target).display()
        )));
    }
    None
}

fn walk_error(root: &Path, e: &ignore::Error) -> WalkProblem {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let path = error_path(e).map(rel).unwrap_or_default();
    let message = match unwrap_error(e) {
        ignore::Error::Loop { ancestor, .. } => format!(
            "skipped: symlink loop (it points back to {})",
            rel(ancestor).display()
        ),
        ignore::Error::Io(io) => format!("skipped: cannot read: {io}"),
        other => format!("skipped: {other}"),
    };
    WalkProblem {
        path,
        message,
        always: false,
    }
}

fn unwrap_error(e: &ignore::Error) -> &ignore::Error {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            unwrap_error(err)
        }
        other => other,
    }
}

fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// `dir` relative to `root`, `/`-separated, with `..` where `dir` is not
/// below `root` (both resolved through symlinks first).
fn relative_prefix(root: &Path, dir: &Path) -> String {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, dir) = (canon(root), canon(dir));
    let r: Vec<_> = root.components().collect();
    let d: Vec<_> = dir.components().collect();
    let common = r.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); r.len() - common];
    parts.extend(
        d[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// One file → its record, reading and parsing only what the cache lacks.
fn file_record(ctx: &Ctx, path: &Path) -> Result<(FileRecord, Option<WalkProblem>), WalkProblem> {
    let code_path = slash_path(path.strip_prefix(ctx.code_root).unwrap_or(path));
    let rel = catalog_path(&ctx.prefix, &code_path);
    ctx.counters.files.fetch_add(1, Ordering::Relaxed);
    let problem = |message: String| WalkProblem {
        path: PathBuf::from(&rel),
        message,
        always: false,
    };
    let meta =
        std::fs::metadata(path).map_err(|e| problem(format!("skipped: cannot read: {e}")))?;
    let (size, mtime) = (meta.len(), cache::nanos(meta.modified()));
    let test = ctx.plan.tests.is_test(&code_path);
    let record = |entry: Entry| FileRecord {
        path: rel.clone(),
        code_path: code_path.clone(),
        test,
        entry,
    };
    let bare = |skip: Option<Skip>| Entry {
        size,
        mtime,
        hash: None,
        skip,
        lossy: false,
        facts: FileFacts::default(),
    };
    if let Some(skip) = skip_by_name(&code_path) {
        return Ok((record(bare(Some(skip))), None));
    }
    if size > ctx.max_bytes {
        return Ok((record(bare(Some(Skip::TooLarge))), None));
    }
    if let Some(e) = ctx.cache.fresh(&rel, size, mtime) {
        ctx.counters.cached.fetch_add(1, Ordering::Relaxed);
        return Ok((record(e.clone()), None));
    }
    let bytes = std::fs::read(path).map_err(|e| problem(format!("skipped: cannot read: {e}")))?;
    ctx.counters.read.fetch_add(1, Ordering::Relaxed);
    ctx.counters
        .bytes
        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
    if let Some(skip) = classify(&code_path, &bytes) {
        return Ok((record(bare(Some(skip))), None));
    }
    let (entry, cancelled) = scan_content(ctx, &rel, &code_path, test, &bytes, size, mtime);
    let cancelled = cancelled.map(|message| WalkProblem {
        path: PathBuf::from(&rel),
        message,
        always: true,
    });
    Ok((record(entry), cancelled))
}

/// Prefilter, then parse what can hold evidence. Returns the entry and, if
/// the parse was cancelled, why.
fn scan_content(
    ctx: &Ctx,
    rel: &str,
    code_path: &str,
    test: bool,
    bytes: &[u8],
    size: u64,
    mtime: u64,
) -> (Entry, Option<String>) {
    let lang = languages::for_path(code_path);
    let is_sdl = ctx.plan.sdl && (code_path.ends_with(".graphql") || code_path.ends_with(".gql"));
    let mut wanted = ctx.plan.prefilter.wanted(bytes, lang);
    if test {
        // Calls in test code are requests, never route definitions.
        wanted.routes = false;
        wanted.mounts = false;
    }
    let hit = wanted.any();
    let next_candidate = lang.is_some_and(|l| {
        matches!(
            languages::LANGUAGES[l].name,
            "javascript" | "typescript" | "tsx"
        )
    }) && !test
        && (code_path.contains("app/") || code_path.contains("pages/"));
    let mut entry = Entry {
        size,
        mtime,
        hash: None,
        skip: None,
        lossy: std::str::from_utf8(bytes).is_err(),
        facts: FileFacts::default(),
    };
    if !(is_sdl || next_candidate || (hit && lang.is_some())) {
        return (entry, None);
    }
    let digest = cache::hash(bytes);
    if let Some(prev) = ctx.cache.same_content(rel, &digest) {
        ctx.counters.cached.fetch_add(1, Ordering::Relaxed);
        entry.facts = prev.facts.clone();
        entry.hash = Some(digest);
        return (entry, None);
    }
    entry.hash = Some(digest);
    let text = String::from_utf8_lossy(bytes);
    let mut cancelled = None;
    if is_sdl {
        ctx.counters.parsed.fetch_add(1, Ordering::Relaxed);
        entry.facts.language = Some("graphql".into());
        entry.facts.graphql = super::graphql::root_fields(&text);
    } else if let Some(l) = lang {
        if hit {
            ctx.counters.parsed.fetch_add(1, Ordering::Relaxed);
            // A syntax tree takes tens of times its source's size: parse the
            // few huge files (raised max_file_bytes) one at a time.
            let _one_big_at_a_time = (bytes.len() > BIG_FILE).then(|| BIG_PARSE.lock());
            match extract::extract(l, code_path, &text, &ctx.plan.settings, wanted) {
                Ok(f) => entry.facts = f,
                Err(ExtractError::Timeout) => {
                    cancelled = Some(format!(
                        "parse cancelled after {} s; its evidence is missing (is it generated? exclude it in [code] exclude)",
                        ctx.plan.settings.parse_budget.as_secs()
                    ))
                }
                Err(ExtractError::Query(e)) => cancelled = Some(format!("not parsed: {e}")),
            }
        }
        if next_candidate {
            let dir = ctx.code_root;
            let next =
                routes::nextjs_routes(code_path, &text, |base| has_next_config(&dir.join(base)));
            if !next.is_empty() {
                entry
                    .facts
                    .language
                    .get_or_insert_with(|| languages::LANGUAGES[l].name.into());
                entry.facts.routes.extend(next);
            }
        }
    }
    entry.facts.normalize();
    (entry, cancelled)
}

/// Reads the routes of a file mounted from another one whose own prefilter
/// did not ask for them: a `routes` pattern's literal may be in the mount's
/// prefix (`/gocardless/*`) rather than on the route's line. Returns false
/// when the file could not be read again or parsed.
pub fn read_mounted_routes(
    root: &Path,
    rec: &mut FileRecord,
    plan: &Plan,
    counters: &Counters,
) -> bool {
    let Some(lang) = languages::for_path(&rec.code_path) else {
        return false;
    };
    let Ok(bytes) = std::fs::read(root.join(&rec.path)) else {
        return false;
    };
    counters.read.fetch_add(1, Ordering::Relaxed);
    counters.parsed.fetch_add(1, Ordering::Relaxed);
    let mut wanted = plan.prefilter.wanted(&bytes, Some(lang));
    wanted.routes = true;
    wanted.mounts = true;
    let text = String::from_utf8_lossy(&bytes);
    match extract::extract(lang, &rec.code_path, &text, &plan.settings, wanted) {
        Ok(mut facts) => {
            facts.normalize();
            rec.entry.facts = facts;
            rec.entry.hash = Some(cache::hash(&bytes));
            true
        }
        Err(_) => false,
    }
}

fn has_next_config(dir: &Path) -> bool {
    [
        "next.config.js",
        "next.config.mjs",
        "next.config.ts",
        "next.config.cjs",
    ]
    .iter()
    .any(|f| dir.join(f).is_file())
}

/// Files known by their name not to hold evidence, skipped unread: lock
/// files, binary formats and minified bundles.
fn skip_by_name(code_path: &str) -> Option<Skip> {
    if is_lock_file(code_path) {
        return Some(Skip::Generated);
    }
    if code_path.contains(".min.") {
        return Some(Skip::Minified);
    }
    let ext = code_path.rsplit_once('.')?.1;
    BINARY_EXTENSIONS
        .iter()
        .any(|b| b.eq_ignore_ascii_case(ext))
        .then_some(Skip::Binary)
}

/// Extensions of binary formats common in repositories.
const BINARY_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "tif", "tiff", "psd", "avif", "heic", "pdf",
    "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar", "war", "ear", "class",
    "pyc", "pyo", "pyd", "so", "dylib", "dll", "exe", "o", "a", "lib", "obj", "wasm", "woff",
    "woff2", "ttf", "otf", "eot", "mp3", "mp4", "m4a", "mov", "avi", "mkv", "wav", "ogg", "flac",
    "webm", "sqlite", "sqlite3", "db", "bin", "dat", "pkl", "npy", "npz", "parquet", "mo",
];

/// Lock files are generated: never evidence.
fn is_lock_file(code_path: &str) -> bool {
    let name = code_path.rsplit('/').next().unwrap_or(code_path);
    name.ends_with(".lock")
        || matches!(
            name,
            "package-lock.json" | "pnpm-lock.yaml" | "npm-shrinkwrap.json" | "go.sum" | "bun.lockb"
        )
}

/// Binary, generated or minified content is not scanned.
pub fn classify(code_path: &str, bytes: &[u8]) -> Option<Skip> {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Some(Skip::Binary);
    }
    let top = &bytes[..bytes.len().min(2048)];
    if memchr::memmem::find(top, b"@generated").is_some()
        || memchr::memmem::find(top, b"DO NOT EDIT").is_some()
    {
        return Some(Skip::Generated);
    }
    if code_path.contains(".min.") || is_minified(bytes) {
        return Some(Skip::Minified);
    }
    None
}

/// Average line over 300 bytes with a line over 2,000 bytes, in the first 64 KB.
fn is_minified(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(65536)];
    if head.len() < 4096 {
        return false;
    }
    let lines = memchr::memchr_iter(b'\n', head).count() + 1;
    let longest = head
        .split(|b| *b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    head.len() / lines > 300 && longest > 2000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_content() {
        assert_eq!(classify("a.py", b"x = 1\0\0"), Some(Skip::Binary));
        assert_eq!(
            classify(
                "a.go",
                b"// Code generated by protoc. DO NOT EDIT.\npackage a\n"
            ),
            Some(Skip::Generated)
        );
        let min = format!("var a={};\n", "x".repeat(8000));
        assert_eq!(classify("a.js", min.as_bytes()), Some(Skip::Minified));
        assert_eq!(classify("a.min.js", b"var a"), Some(Skip::Minified));
        assert_eq!(classify("a.py", b"def f():\n    pass\n"), None);
    }

    #[test]
    fn prefix_may_leave_the_root() {
        let base = tempfile::tempdir().unwrap();
        let (a, b) = (base.path().join("cat"), base.path().join("corpus/src"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        assert_eq!(relative_prefix(&a, &b), "../corpus/src");
        assert_eq!(relative_prefix(base.path(), &b), "corpus/src");
        assert_eq!(relative_prefix(&b, &b), "");
    }

    #[test]
    fn binary_and_minified_names_are_skipped_unread() {
        assert_eq!(skip_by_name("static/logo.PNG"), Some(Skip::Binary));
        assert_eq!(
            skip_by_name("app/__pycache__/x.cpython-312.pyc"),
            Some(Skip::Binary)
        );
        assert_eq!(skip_by_name("web/vendor.min.js"), Some(Skip::Minified));
        assert_eq!(skip_by_name("Cargo.lock"), Some(Skip::Generated));
        assert_eq!(skip_by_name("src/main.rs"), None);
        assert_eq!(skip_by_name("Makefile"), None);
    }

    #[test]
    fn never_scanned_folders_are_pruned_or_drop_the_root() {
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        let below = skipped_below(base.path(), std::slice::from_ref(&out)).unwrap();
        assert_eq!(below, vec![base.path().join("public")]);
        assert_eq!(skipped_below(&out, &[base.path().to_path_buf()]), None);
        assert!(
            skipped_below(base.path(), &[base.path().join("absent")])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn lock_files() {
        assert!(is_lock_file("web/package-lock.json"));
        assert!(is_lock_file("Cargo.lock"));
        assert!(!is_lock_file("src/lock.rs"));
    }
}
