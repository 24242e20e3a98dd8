//! The scan cache: per-file facts keyed on (path, size, mtime), falling back
//! to a content hash, so a rebuild after a one-file change parses one file.
//!
//! One JSON file, `<cache_dir>/scan.json`. Its `fingerprint` covers capcat's
//! version and everything that changes what is extracted (needles, marker
//! prefix, symbols, flag functions, size limit); any change there makes the
//! whole cache cold.

use super::facts::FileFacts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Why a file's content was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Skip {
    /// Larger than `max_file_bytes`.
    TooLarge,
    /// Holds NUL bytes.
    Binary,
    /// Minified (very long lines).
    Minified,
    /// `@generated`, `DO NOT EDIT` or a lock file.
    Generated,
}

/// What the cache remembers about one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: u64,
    /// SHA-256 of the content, kept for parsed files only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Why the content was skipped, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<Skip>,
    /// The content was not valid UTF-8 (scanned lossily).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lossy: bool,
    /// What was found.
    #[serde(default, skip_serializing_if = "FileFacts::is_empty")]
    pub facts: FileFacts,
}

#[derive(Deserialize)]
struct CacheFile {
    fingerprint: String,
    written: u64,
    entries: BTreeMap<String, Entry>,
}

/// [`CacheFile`] as written: borrowed from the scan's records.
#[derive(Serialize)]
struct CacheFileRef<'a> {
    fingerprint: &'a str,
    written: u64,
    entries: BTreeMap<&'a str, &'a Entry>,
}

/// The cache as loaded at the start of a scan.
#[derive(Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
    /// mtimes this close to the last write may hide a same-second edit.
    written: u64,
    /// Size and mtime may be trusted: false for a file the watcher says
    /// changed, whose content is hashed whatever its stat says.
    trust_stat: bool,
}

/// Racy window: an mtime within this of the cache write is not trusted.
const RACY_NANOS: u64 = 2_000_000_000;

impl Cache {
    /// Loads `dir/scan.json` if it exists and has the same fingerprint.
    pub fn load(dir: &Path, fingerprint: &str) -> Cache {
        let Ok(bytes) = std::fs::read(file(dir)) else {
            return Cache::default();
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(c) if c.fingerprint == fingerprint => Cache {
                entries: c.entries.into_iter().collect(),
                written: c.written,
                trust_stat: true,
            },
            _ => Cache::default(),
        }
    }

    /// A cache of one file's previous entry whose stat is not trusted: only
    /// the same content skips the parse.
    pub fn by_content(path: &str, previous: Option<Entry>) -> Cache {
        Cache {
            entries: previous
                .map(|e| (path.to_string(), e))
                .into_iter()
                .collect(),
            written: 0,
            trust_stat: false,
        }
    }

    /// The entry for `path` if size and mtime still match.
    pub fn fresh(&self, path: &str, size: u64, mtime: u64) -> Option<&Entry> {
        if !self.trust_stat {
            return None;
        }
        let e = self.entries.get(path)?;
        let racy = mtime.abs_diff(self.written) < RACY_NANOS;
        (e.size == size && e.mtime == mtime && !racy).then_some(e)
    }

    /// The entry for `path` if its content hash is `hash`.
    pub fn same_content(&self, path: &str, hash: &str) -> Option<&Entry> {
        self.entries
            .get(path)
            .filter(|e| e.hash.as_deref() == Some(hash))
    }

    /// Number of files the cache knows.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// The previous entry for `path`, whatever its state.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }
}

/// Writes the entries of this scan, replacing the cache atomically.
pub fn save(dir: &Path, fingerprint: &str, entries: BTreeMap<&str, &Entry>) -> std::io::Result<()> {
    let data = CacheFileRef {
        fingerprint,
        written: now_nanos(),
        entries,
    };
    let bytes = serde_json::to_vec(&data).map_err(std::io::Error::other)?;
    crate::cache_log::replace_file(&file(dir), &bytes)
}

fn file(dir: &Path) -> PathBuf {
    dir.join("scan.json")
}

/// Nanoseconds since the epoch of a file time (0 when unknown).
pub fn nanos(t: std::io::Result<SystemTime>) -> u64 {
    t.ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

fn now_nanos() -> u64 {
    nanos(Ok(SystemTime::now()))
}

/// Hex SHA-256 of `bytes`.
pub fn hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of the parts, each length-prefixed.
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(size: u64, mtime: u64) -> Entry {
        Entry {
            size,
            mtime,
            hash: Some("h".into()),
            skip: None,
            lossy: false,
            facts: FileFacts::default(),
        }
    }

    #[test]
    fn round_trip_and_fingerprint_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let e = entry(3, 1);
        save(dir.path(), "fp", BTreeMap::from([("a.py", &e)])).unwrap();
        let c = Cache::load(dir.path(), "fp");
        assert!(c.fresh("a.py", 3, 1).is_some());
        assert!(c.fresh("a.py", 4, 1).is_none());
        assert!(c.same_content("a.py", "h").is_some());
        assert!(Cache::load(dir.path(), "other").get("a.py").is_none());
    }

    #[test]
    fn racy_mtimes_are_not_trusted() {
        let c = Cache {
            entries: [("a".to_string(), entry(1, 10))].into_iter().collect(),
            written: 10 + RACY_NANOS / 2,
            trust_stat: true,
        };
        assert!(c.fresh("a", 1, 10).is_none());
        assert!(c.same_content("a", "h").is_some());
    }

    #[test]
    fn a_file_said_to_have_changed_is_known_by_content_only() {
        let c = Cache::by_content("a", Some(entry(1, 10)));
        assert!(c.fresh("a", 1, 10).is_none());
        assert!(c.same_content("a", "h").is_some());
        assert!(c.same_content("a", "other").is_none());
    }

    #[test]
    fn fingerprint_separates_parts() {
        assert_ne!(fingerprint(["ab", "c"]), fingerprint(["a", "bc"]));
    }
}
