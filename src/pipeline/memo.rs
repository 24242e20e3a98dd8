//! The build memo: a digest of every input of a build, kept with what the
//! build reported. A build whose inputs have the same digest as the build
//! that wrote the output folder, which still holds that site untouched, has
//! nothing to do: its output would be byte for byte the same
//! (docs/output.md, "Rebuilds without change").
//!
//! The inputs: capcat itself (version and executable), the options, the
//! resolved output folder, catalog.toml, every file under `content/` and
//! `themes/`, the path, size and modification time of every file the scan
//! walks, the Jira files, the baseline file, and the commit and date the
//! build is stamped with. A build that reads something a digest cannot
//! cover (a baseline URL, the Jira API) is never memoised.

use super::BuildOptions;
use crate::catalog::BuildInfo;
use crate::config::Config;
use crate::content::ReadFile;
use crate::diagnostics::Diagnostic;
use crate::model::Audience;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bumped when what the digest covers changes.
const FORMAT: &str = "capcat-build-memo-2";

/// What the last build of this catalog reported, under the digest of its
/// inputs.
#[derive(Debug, Serialize, Deserialize)]
pub struct Memo {
    /// Digest of the inputs.
    pub inputs: String,
    /// Digest of the site written (its manifest).
    pub site: String,
    /// Capabilities in the site.
    pub capabilities: usize,
    /// Files in the site.
    pub files: usize,
    /// Every diagnostic the build reported.
    pub diagnostics: Vec<Diagnostic>,
}

/// The inputs of a build as the memo read them.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Digest of every input.
    pub digest: String,
    /// Each file under `content/` as read for the digest, with its SHA-256
    /// (its key in the content cache), so content is not read twice.
    pub content: crate::content::ReadFiles,
}

/// The digest of every input of a build into `out`, or `None` when the
/// build reads something no digest covers.
pub fn inputs(
    config: &Config,
    opts: &BuildOptions,
    out: &Path,
    audience: Audience,
    built: &BuildInfo,
) -> Option<Inputs> {
    let online_jira = config
        .jira
        .as_ref()
        .is_some_and(|j| j.api.is_some() && !opts.offline);
    if online_jira {
        return None;
    }
    let baseline = baseline_bytes(config, opts, audience)?;
    let mut h = Sha256::new();
    let mut part = |label: &str, bytes: &[u8]| {
        h.update((label.len() as u64).to_le_bytes());
        h.update(label.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part("format", FORMAT.as_bytes());
    part("version", env!("CARGO_PKG_VERSION").as_bytes());
    part("executable", executable_identity().as_bytes());
    let options = format!(
        "{}|{:?}|{}|{}|{}",
        audience.as_str(),
        opts.base_url,
        opts.strict,
        opts.offline,
        out.display()
    );
    part("options", options.as_bytes());
    part(
        "built",
        format!("{:?}|{}", built.commit, built.date).as_bytes(),
    );
    part("catalog.toml", &std::fs::read(&config.path).ok()?);
    part("baseline", &baseline);
    let mut content = HashMap::new();
    for dir in [config.content_dir(), config.root.join("themes")] {
        let is_content = dir == config.content_dir();
        for (path, file) in files_below(&dir)? {
            part(&path.to_string_lossy(), &file.key);
            if is_content {
                content.insert(path, file);
            }
        }
    }
    if !config.code.roots.is_empty() {
        part("code", crate::scan::code_fingerprint(config).as_bytes());
    }
    for path in jira_files(config) {
        part(
            &path.to_string_lossy(),
            &std::fs::read(&path).unwrap_or_default(),
        );
    }
    Some(Inputs {
        digest: hex(&h.finalize()),
        content,
    })
}

/// The memo of the last build of `audience`, if its inputs had the digest
/// `inputs` and the folder `out` still holds the site it wrote.
pub fn recall(config: &Config, audience: Audience, inputs: &str, out: &Path) -> Option<Memo> {
    let bytes = std::fs::read(memo_file(config, audience)).ok()?;
    // `inputs` is written first: a memo of other inputs (every build after
    // a change) is told apart without parsing its diagnostics.
    let head = format!("{{\"inputs\":{}", serde_json::to_string(inputs).ok()?);
    if !bytes.starts_with(head.as_bytes()) {
        return None;
    }
    let memo: Memo = serde_json::from_slice(&bytes).ok()?;
    (memo.inputs == inputs && crate::output::holds_site(out, &memo.site)).then_some(memo)
}

/// Keeps the memo of a build of `audience` that just wrote `out`. A memo
/// that cannot be written only costs the next build its shortcut.
pub fn remember(config: &Config, audience: Audience, mut memo: Memo, out: &Path) {
    let Some(site) = crate::output::site_digest(out) else {
        return;
    };
    memo.site = site;
    if let Ok(bytes) = serde_json::to_vec(&memo) {
        let _ = crate::cache_log::replace_file(&memo_file(config, audience), &bytes);
    }
}

/// The bytes of the baseline file (empty without one); `None` for a URL,
/// which can change behind the same name, or a file that cannot be read.
fn baseline_bytes(config: &Config, opts: &BuildOptions, audience: Audience) -> Option<Vec<u8>> {
    let path = match &opts.baseline {
        Some(given) => PathBuf::from(given),
        None if !config.history.baseline.is_empty() => config.resolve(Path::new(
            &config
                .history
                .baseline
                .replace("{audience}", audience.as_str()),
        )),
        None => return Some(Vec::new()),
    };
    let text = path.to_string_lossy();
    if text.starts_with("http://") || text.starts_with("https://") {
        return None;
    }
    std::fs::read(&path).ok()
}

/// One memo per audience, so building both in turn keeps both shortcuts.
fn memo_file(config: &Config, audience: Audience) -> PathBuf {
    config
        .cache_dir()
        .join(format!("build-{}.json", audience.as_str()))
}

/// capcat's version and [`executable_identity`]: what a cache written by
/// another capcat would differ in.
pub fn capcat_identity() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), executable_identity())
}

/// Size and modification time of the running capcat: a rebuilt capcat may
/// render differently under the same version.
fn executable_identity() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(m) => format!("{} {:?}", m.len(), m.modified().ok()),
        Err(_) => "unknown".to_string(),
    }
}

/// Every file below `dir` with its bytes and their SHA-256, sorted by path
/// (none when `dir` does not exist); `None` when one cannot be read. The
/// files are read on every core: a catalog has thousands.
fn files_below(dir: &Path) -> Option<Vec<(PathBuf, ReadFile)>> {
    use rayon::prelude::*;
    if !dir.exists() {
        return Some(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.ok()?;
        if !entry.file_type().is_dir() {
            paths.push(entry.into_path());
        }
    }
    paths
        .into_par_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).ok()?;
            let key = Sha256::digest(&bytes).into();
            Some((path, ReadFile { key, bytes }))
        })
        .collect()
}

fn jira_files(config: &Config) -> Vec<PathBuf> {
    let Some(jira) = &config.jira else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = jira.sources.iter().map(|s| config.resolve(s)).collect();
    if let Some(api) = &jira.api {
        files.push(config.resolve(&api.snapshot));
    }
    files
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
