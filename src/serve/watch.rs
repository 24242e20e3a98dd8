//! Watching a catalog's sources for `serve`: catalog.toml, `content/`,
//! `themes/`, the code roots and the Jira files, through notify's native
//! watcher or, with `--poll` (network and container filesystems), its
//! polling one; events are debounced, then sorted into [`Changes`].

use super::rebuild::Changes;
use crate::config::Config;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Quiet time after the last event of a burst before it is reported: an
/// editor's save (write, rename, chmod) is one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// How often `--poll` looks at every watched file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The paths of one catalog, absolute (resolved through symlinks where
/// they exist), and what an edit of each means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSet {
    config_file: PathBuf,
    content: PathBuf,
    themes: PathBuf,
    code_roots: Vec<PathBuf>,
    jira_files: Vec<PathBuf>,
    /// Written by capcat itself (scan cache, output folder): never a change.
    ignored: Vec<PathBuf>,
}

impl WatchSet {
    /// Everything `config` reads.
    pub fn of(config: &Config) -> WatchSet {
        let mut jira_files = Vec::new();
        if let Some(jira) = &config.jira {
            if let Some(api) = &jira.api {
                jira_files.push(absolute(&config.resolve(&api.snapshot)));
            }
            jira_files.extend(jira.sources.iter().map(|s| absolute(&config.resolve(s))));
        }
        WatchSet {
            config_file: absolute(&config.path),
            content: absolute(&config.content_dir()),
            themes: absolute(&config.root.join("themes")),
            code_roots: config
                .code
                .roots
                .iter()
                .map(|r| absolute(&config.resolve(r)))
                .collect(),
            jira_files,
            ignored: vec![
                absolute(&config.cache_dir()),
                absolute(&config.resolve(&config.site.output_dir)),
            ],
        }
    }

    /// What to watch before catalog.toml could be read: the file itself and
    /// the `content/` and `themes/` folders beside it.
    pub fn fallback(config_path: &Path) -> WatchSet {
        let config_file = absolute(config_path);
        let root = config_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        WatchSet {
            content: root.join("content"),
            themes: root.join("themes"),
            code_roots: Vec::new(),
            jira_files: Vec::new(),
            ignored: vec![root.join(".capcat-cache")],
            config_file,
        }
    }

    /// What an edit of `path` changes.
    pub fn classify(&self, path: &Path) -> Changes {
        let mut c = Changes::default();
        if self.ignored.iter().any(|i| path.starts_with(i)) || is_noise(path) {
            return c;
        }
        c.config = path == self.config_file;
        c.content = path.starts_with(&self.content);
        c.theme = path.starts_with(&self.themes);
        c.jira = self.jira_files.iter().any(|j| j == path);
        // The scan never reads content/ (docs/serve.md).
        c.code = !c.content && !c.config && self.code_roots.iter().any(|r| path.starts_with(r));
        if c.code {
            c.code_paths.push(path.to_path_buf());
        }
        c
    }

    /// Folders to register, each once: recursive ones for trees, the parent
    /// folder for single files (editors replace files by renaming).
    fn targets(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut recursive: Vec<PathBuf> = [&self.content, &self.themes]
            .into_iter()
            .chain(&self.code_roots)
            .filter(|p| p.is_dir())
            .cloned()
            .collect();
        recursive.sort();
        recursive.dedup();
        let recursive: Vec<PathBuf> = recursive
            .iter()
            .filter(|p| !recursive.iter().any(|o| o != *p && p.starts_with(o)))
            .cloned()
            .collect();
        let mut flat: Vec<PathBuf> = std::iter::once(&self.config_file)
            .chain(&self.jira_files)
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .filter(|d| d.is_dir() && !recursive.iter().any(|r| d.starts_with(r)))
            .collect();
        flat.sort();
        flat.dedup();
        recursive
            .into_iter()
            .map(|p| (p, RecursiveMode::Recursive))
            .chain(flat.into_iter().map(|p| (p, RecursiveMode::NonRecursive)))
            .collect()
    }
}

/// What every event of a debounced batch changes together.
pub fn changes_of(set: &WatchSet, result: &DebounceEventResult) -> Changes {
    let mut changes = Changes::default();
    let Ok(events) = result else {
        return changes;
    };
    for e in events {
        if matches!(e.event.kind, EventKind::Access(_)) {
            continue;
        }
        if e.event.need_rescan() {
            // Events were dropped: what changed is unknown.
            changes.merge(Changes {
                config: false,
                ..Changes::ALL
            });
            continue;
        }
        for p in &e.event.paths {
            changes.merge(set.classify(p));
        }
    }
    changes
}

/// Editor droppings that are never a source: swap and backup files.
fn is_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913"
        || path.components().any(|c| c.as_os_str() == ".git")
}

/// `p` made absolute and, where it exists, resolved through symlinks (as
/// the watcher reports paths); a missing file keeps its resolved folder.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => match parent.canonicalize() {
            Ok(dir) => dir.join(name),
            Err(_) => abs.clone(),
        },
        _ => abs,
    }
}

/// A running watcher; events go to the channel given at creation.
pub struct Watcher {
    inner: Inner,
    watching: Vec<PathBuf>,
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    /// Polling sees a change by modification time, to the second, so two
    /// edits in one second look like one. Sources (content, themes,
    /// catalog.toml, Jira files) are few and small: their poller compares
    /// contents too. The code roots' poller does not, since it would read
    /// every file of the code on every poll.
    Poll {
        sources: Debouncer<PollWatcher, NoCache>,
        code: Debouncer<PollWatcher, NoCache>,
    },
}

impl Watcher {
    /// A native watcher, or a polling one with `poll`.
    pub fn new(poll: bool, events: Sender<DebounceEventResult>) -> notify::Result<Watcher> {
        let inner = if poll {
            let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            let by_content = config.with_compare_contents(true);
            Inner::Poll {
                sources: new_debouncer_opt(DEBOUNCE, None, events.clone(), NoCache, by_content)?,
                code: new_debouncer_opt(DEBOUNCE, None, events, NoCache, config)?,
            }
        } else {
            Inner::Native(new_debouncer_opt(
                DEBOUNCE,
                None,
                events,
                RecommendedCache::new(),
                notify::Config::default(),
            )?)
        };
        Ok(Watcher {
            inner,
            watching: Vec::new(),
        })
    }

    /// Watches exactly the folders of `set` (dropping the previous ones);
    /// returns a line for each folder that could not be watched.
    pub fn watch(&mut self, set: &WatchSet) -> Vec<String> {
        for old in std::mem::take(&mut self.watching) {
            match &mut self.inner {
                Inner::Native(d) => {
                    let _ = d.unwatch(&old);
                }
                Inner::Poll { sources, code } => {
                    let _ = code.unwatch(&old);
                    let _ = sources.unwatch(&old);
                }
            }
        }
        let mut problems = Vec::new();
        for (path, mode) in set.targets() {
            let result = match &mut self.inner {
                Inner::Native(d) => d.watch(&path, mode),
                Inner::Poll { code, .. } if set.code_roots.contains(&path) => {
                    code.watch(&path, mode)
                }
                Inner::Poll { sources, .. } => sources.watch(&path, mode),
            };
            match result {
                Ok(()) => self.watching.push(path),
                Err(e) => problems.push(format!(
                    "cannot watch {}: {e}; edits there are not seen (try --poll, or raise fs.inotify.max_user_watches)",
                    path.display()
                )),
            }
        }
        problems
    }

    /// The folders watched.
    pub fn watching(&self) -> &[PathBuf] {
        &self.watching
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(root: &Path) -> WatchSet {
        let text = "[code]\nroots = [\".\"]\n[jira]\nsources = [\"jira/work.csv\"]\n";
        let mut config = Config::parse(text, &root.join("catalog.toml")).unwrap();
        config.root = root.to_path_buf();
        config.path = root.join("catalog.toml");
        WatchSet::of(&config)
    }

    #[test]
    fn each_path_changes_what_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("jira")).unwrap();
        let s = set(&root);
        let c = |rel: &str| s.classify(&root.join(rel));
        assert_eq!(c("catalog.toml").describe(), "catalog.toml");
        assert_eq!(c("content/capabilities/a.md").describe(), "content");
        assert_eq!(
            c("themes/default/templates/base.html").describe(),
            "theme, code"
        );
        assert_eq!(c("src/app.py").describe(), "code");
        assert_eq!(c("jira/work.csv").describe(), "code, Jira files");
        assert!(c(".capcat-cache/scan.json").is_empty());
        assert!(c("public/index.html").is_empty());
        assert!(c("src/.app.py.swp").is_empty());
        assert!(c(".git/index").is_empty());
    }

    #[test]
    fn a_root_watched_recursively_is_watched_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("jira")).unwrap();
        let targets = set(&root).targets();
        assert_eq!(targets, vec![(root.clone(), RecursiveMode::Recursive)]);
    }
}
