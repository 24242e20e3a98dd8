//! The content cache: every content file as it was parsed by the last
//! build, under the SHA-256 of its bytes, so a rebuild parses again only the
//! files that changed (docs/performance.md).
//!
//! One binary file, a log: a header naming the format and the SHA-256 of
//! the fingerprint of the capcat that wrote it and of the catalog's folders,
//! then one record per parsed file (its path, key and what parsing gave, in
//! bincode), each ending with a SHA-256 of itself. A rebuild appends the
//! records of the files it parsed; a later record of a path replaces the
//! earlier ones, and once most records are replaced the file is written
//! again with the live ones only. A record that is cut short or damaged
//! ends the log there; a file of another capcat reads as an empty cache.
//! Whatever is missing is parsed again, and the result is the same.

use super::Parsed;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A content file's key: the SHA-256 of its bytes.
pub(super) type Key = [u8; 32];

/// The first bytes of a cache file; the number is the format's version.
const MAGIC: &[u8] = b"capcat content 1\n";

/// Below this many replaced records the log is only appended to.
const MIN_COMPACTION: usize = 64;

/// Where one file's record is in the log.
#[derive(Debug, Clone)]
struct Record {
    /// The file's key.
    key: Key,
    /// The whole record, its SHA-256 included.
    bytes: Range<usize>,
    /// What parsing gave, in bincode.
    payload: Range<usize>,
}

/// The parsed content files of the last builds, by path; see the module
/// documentation.
#[derive(Debug, Default)]
pub struct ContentCache {
    /// Where it is read from and saved to; `None` keeps it in memory.
    path: Option<PathBuf>,
    /// The log: header and records, as it is to be on disk.
    log: Vec<u8>,
    /// How much of `log` the file on disk holds: 0 when it must be written
    /// whole.
    saved: usize,
    /// Each path's record in `log`.
    live: HashMap<PathBuf, Record>,
    /// Records in `log` that a later one replaced, or whose file is gone.
    replaced: usize,
}

impl ContentCache {
    /// The cache saved in `path` by a capcat of the same `fingerprint`;
    /// empty when there is none or it is another capcat's. The fingerprint
    /// must name everything parsing depends on besides a file's bytes and
    /// path: capcat itself and the catalog's root and content folder.
    pub fn load(path: &Path, fingerprint: &str) -> ContentCache {
        let mut cache = ContentCache::in_memory(fingerprint);
        cache.path = Some(path.to_path_buf());
        if let Ok(file) = std::fs::read(path)
            && file.starts_with(&cache.log)
        {
            cache.read_records(file);
        }
        cache
    }

    /// An empty cache kept in memory only.
    pub fn in_memory(fingerprint: &str) -> ContentCache {
        let mut log = MAGIC.to_vec();
        log.extend_from_slice(&Sha256::digest(fingerprint.as_bytes()));
        ContentCache {
            log,
            ..ContentCache::default()
        }
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether the cache holds no file.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// Brings the file up to date: appends the new records, or writes the
    /// whole log aside and renames it over the file when it was compacted,
    /// damaged, or changed by another build since it was read.
    pub fn save(&mut self) -> std::io::Result<()> {
        let Some(path) = self.path.as_deref() else {
            return Ok(());
        };
        if self.saved == self.log.len() {
            return Ok(());
        }
        let on_disk = std::fs::metadata(path).map(|m| m.len()).ok();
        if self.saved > 0 && on_disk == Some(self.saved as u64) {
            let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
            file.write_all(&self.log[self.saved..])?;
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let mut tmp = path.as_os_str().to_owned();
            tmp.push(format!(".{}.tmp", std::process::id()));
            std::fs::write(&tmp, &self.log)?;
            std::fs::rename(&tmp, path)?;
        }
        self.saved = self.log.len();
        Ok(())
    }

    /// The key of a file of `bytes`.
    pub(super) fn key_of(bytes: &[u8]) -> Key {
        Sha256::digest(bytes).into()
    }

    /// What parsing the file at `path` gave, when the cache holds it under
    /// `key` and its record is whole.
    pub(super) fn recall(&self, path: &Path, key: &Key) -> Option<Parsed> {
        let record = self.live.get(path).filter(|r| r.key == *key)?;
        let (body, check) = self.log[record.bytes.clone()].split_at(record.bytes.len() - 32);
        if Sha256::digest(body)[..] != *check {
            return None;
        }
        bincode::deserialize(&self.log[record.payload.clone()]).ok()
    }

    /// Makes the cache hold the files of `files` only, with what was parsed
    /// anew: `fresh` holds each file parsed with its key.
    pub(super) fn update(&mut self, files: &[PathBuf], fresh: &[(&Path, Key, &Parsed)]) {
        let present: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        let before = self.live.len();
        self.live.retain(|path, _| present.contains(path.as_path()));
        self.replaced += before - self.live.len();
        for (path, key, parsed) in fresh {
            self.append(path, key, parsed);
        }
        if self.replaced >= MIN_COMPACTION && self.replaced > self.live.len() {
            self.compact();
        }
    }

    /// Appends the record of one parsed file: path length and path, key,
    /// payload length and payload, SHA-256 of all of these.
    fn append(&mut self, path: &Path, key: &Key, parsed: &Parsed) {
        let (Some(name), Ok(payload)) = (path.to_str(), bincode::serialize(parsed)) else {
            return;
        };
        let start = self.log.len();
        self.log
            .extend_from_slice(&(name.len() as u32).to_le_bytes());
        self.log.extend_from_slice(name.as_bytes());
        self.log.extend_from_slice(key);
        self.log
            .extend_from_slice(&(payload.len() as u32).to_le_bytes());
        let at = self.log.len();
        self.log.extend_from_slice(&payload);
        let check = Sha256::digest(&self.log[start..]);
        self.log.extend_from_slice(&check);
        let record = Record {
            key: *key,
            bytes: start..self.log.len(),
            payload: at..at + payload.len(),
        };
        if self.live.insert(path.to_path_buf(), record).is_some() {
            self.replaced += 1;
        }
    }

    /// Indexes the records of `file` (whose header is this cache's), up to
    /// the first one cut short. Records are checked when recalled.
    fn read_records(&mut self, file: Vec<u8>) {
        let mut at = self.log.len();
        while at < file.len() {
            let Some((path, record)) = record_at(&file, at) else {
                break;
            };
            at = record.bytes.end;
            if self.live.insert(path, record).is_some() {
                self.replaced += 1;
            }
        }
        // A damaged tail is dropped; the next save writes the file whole.
        self.saved = if at == file.len() { at } else { 0 };
        self.log = file;
        self.log.truncate(at);
    }

    /// Writes the log again with the live records only.
    fn compact(&mut self) {
        let mut log = self.log[..MAGIC.len() + 32].to_vec();
        let mut live: Vec<(PathBuf, Record)> = self.live.drain().collect();
        live.sort_by_key(|(_, r)| r.bytes.start);
        for (_, record) in &mut live {
            let start = log.len();
            log.extend_from_slice(&self.log[record.bytes.clone()]);
            let payload_at = start + (record.payload.start - record.bytes.start);
            record.payload = payload_at..payload_at + record.payload.len();
            record.bytes = start..log.len();
        }
        self.live = live.into_iter().collect();
        self.log = log;
        self.replaced = 0;
        self.saved = 0;
    }
}

/// The record at `at` in `file` with its path; `None` when it is cut short
/// or its path is not UTF-8.
fn record_at(file: &[u8], at: usize) -> Option<(PathBuf, Record)> {
    let u32_at = |i: usize| -> Option<usize> {
        let bytes: [u8; 4] = file.get(i..i.checked_add(4)?)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes) as usize)
    };
    let name_end = (at + 4).checked_add(u32_at(at)?)?;
    let name = std::str::from_utf8(file.get(at + 4..name_end)?).ok()?;
    let key: Key = file.get(name_end..name_end + 32)?.try_into().ok()?;
    let payload_start = name_end + 36;
    let payload_end = payload_start.checked_add(u32_at(name_end + 32)?)?;
    let end = payload_end.checked_add(32)?;
    if end > file.len() {
        return None;
    }
    let record = Record {
        key,
        bytes: at..end,
        payload: payload_start..payload_end,
    };
    Some((PathBuf::from(name), record))
}

#[cfg(test)]
mod tests {
    use super::super::{Content, load, load_cached};
    use super::*;
    use crate::diagnostics::Diagnostic;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn capability(n: usize, body: &str) -> String {
        format!(
            "---\ntitle: Cap {n}\nsummary: Does {n}.\ncategory: Area {}\naliases: [alias-{n}]\nevidence:\n  symbols: [sym_{n}]\n---\n{body} *{n}*\n",
            n % 3
        )
    }

    /// A catalog of `n` capabilities, a page, a home page and a broken file.
    fn catalog(n: usize) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for i in 0..n {
            write(
                tmp.path(),
                &format!("content/capabilities/cap-{i}.md"),
                &capability(i, "Text"),
            );
        }
        write(
            tmp.path(),
            "content/about.md",
            "---\ntitle: About\n---\nUs.\n",
        );
        write(
            tmp.path(),
            "content/_index.md",
            "---\ntitle: Home\n---\nHi.\n",
        );
        write(
            tmp.path(),
            "content/capabilities/broken.md",
            "---\ntitle: [\n---\n",
        );
        tmp
    }

    fn plain(root: &Path) -> (Content, Vec<Diagnostic>) {
        load(&root.join("content"), root)
    }

    fn cached(root: &Path, cache: &mut ContentCache) -> (Content, Vec<Diagnostic>) {
        load_cached(&root.join("content"), root, cache, &Default::default())
    }

    fn file_cache(root: &Path) -> ContentCache {
        ContentCache::load(&root.join("cache/content.bin"), "capcat test")
    }

    #[test]
    fn a_cached_load_equals_a_plain_one_as_files_change() {
        let tmp = catalog(20);
        let root = tmp.path();
        let mut cache = ContentCache::in_memory("capcat test");
        assert_eq!(cached(root, &mut cache), plain(root));
        assert_eq!(
            cache.len(),
            22,
            "every file that parsed, the broken one not"
        );
        assert_eq!(cached(root, &mut cache), plain(root));
        write(
            root,
            "content/capabilities/cap-3.md",
            &capability(3, "Changed"),
        );
        std::fs::remove_file(root.join("content/capabilities/cap-4.md")).unwrap();
        write(root, "content/capabilities/new.md", &capability(99, "New"));
        write(root, "content/about.md", "---\ntitle: About us\n---\nUs.\n");
        let (content, diagnostics) = cached(root, &mut cache);
        assert_eq!((&content, &diagnostics), (&plain(root).0, &plain(root).1));
        assert!(
            content
                .capabilities
                .iter()
                .any(|c| c.body_text.contains("Changed"))
        );
        assert_eq!(cache.len(), 22);
    }

    #[test]
    fn files_already_read_are_taken_by_their_key() {
        let tmp = catalog(5);
        let root = tmp.path();
        let mut cache = ContentCache::in_memory("capcat test");
        cached(root, &mut cache);
        let path = root.join("content/capabilities/cap-2.md");
        let key = ContentCache::key_of(&std::fs::read(&path).unwrap());
        write(
            root,
            "content/capabilities/cap-2.md",
            &capability(2, "Later"),
        );
        let read = HashMap::from([(path.clone(), key)]);
        let (content, _) = load_cached(&root.join("content"), root, &mut cache, &read);
        let two = content
            .capabilities
            .iter()
            .find(|c| c.id == "cap-2")
            .unwrap();
        assert!(
            !two.body_text.contains("Later"),
            "the bytes read for the key are the ones built"
        );
        let stale = HashMap::from([(path, [7; 32])]);
        let (content, _) = load_cached(&root.join("content"), root, &mut cache, &stale);
        let two = content
            .capabilities
            .iter()
            .find(|c| c.id == "cap-2")
            .unwrap();
        assert!(
            two.body_text.contains("Later"),
            "an unknown key reads the file"
        );
    }

    #[test]
    fn the_cache_file_is_appended_to_and_read_back() {
        let tmp = catalog(10);
        let root = tmp.path();
        let mut first = file_cache(root);
        cached(root, &mut first);
        first.save().unwrap();
        let size = std::fs::metadata(root.join("cache/content.bin"))
            .unwrap()
            .len();
        let mut second = file_cache(root);
        assert_eq!(second.len(), 12);
        write(
            root,
            "content/capabilities/cap-1.md",
            &capability(1, "Edited"),
        );
        assert_eq!(cached(root, &mut second), plain(root));
        second.save().unwrap();
        let grown = std::fs::metadata(root.join("cache/content.bin"))
            .unwrap()
            .len();
        assert!(
            grown > size && grown < size + 2_000,
            "{size} → {grown}: one record appended"
        );
        let mut third = file_cache(root);
        assert_eq!(third.len(), 12);
        assert_eq!(cached(root, &mut third), plain(root));
    }

    #[test]
    fn a_damaged_or_foreign_cache_only_costs_parsing() {
        let tmp = catalog(10);
        let root = tmp.path();
        let mut cache = file_cache(root);
        cached(root, &mut cache);
        cache.save().unwrap();
        let file = root.join("cache/content.bin");
        let good = std::fs::read(&file).unwrap();
        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        let cut = good[..good.len() - 7].to_vec();
        for bytes in [flipped, cut, b"not a cache".to_vec()] {
            std::fs::write(&file, &bytes).unwrap();
            let mut damaged = file_cache(root);
            assert_eq!(cached(root, &mut damaged), plain(root));
            damaged.save().unwrap();
            let mut repaired = file_cache(root);
            assert_eq!(cached(root, &mut repaired), plain(root));
        }
        std::fs::write(&file, &good).unwrap();
        let foreign = ContentCache::load(&file, "another capcat");
        assert!(foreign.is_empty());
    }

    #[test]
    fn replaced_records_are_dropped_once_they_are_most_of_the_log() {
        let tmp = catalog(5);
        let root = tmp.path();
        let mut cache = file_cache(root);
        cached(root, &mut cache);
        cache.save().unwrap();
        let file = root.join("cache/content.bin");
        let size = std::fs::metadata(&file).unwrap().len();
        for round in 0..MIN_COMPACTION + 5 {
            write(
                root,
                "content/capabilities/cap-0.md",
                &capability(0, &format!("Round {round}")),
            );
            let mut cache = file_cache(root);
            assert_eq!(cached(root, &mut cache), plain(root));
            cache.save().unwrap();
        }
        let after = std::fs::metadata(&file).unwrap().len();
        assert!(after < size * 3, "{size} → {after}");
        assert_eq!(file_cache(root).len(), 7);
    }
}
