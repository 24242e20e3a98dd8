//! The content cache: every content file as it was parsed by the last
//! build, under the SHA-256 of its bytes, so a rebuild parses again only the
//! files that changed (docs/performance.md). The records (the parsed file in
//! bincode) are kept in a [`CacheLog`].

use super::Parsed;
use crate::cache_log::CacheLog;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A content file's key: the SHA-256 of its bytes.
pub(super) type Key = crate::cache_log::Key;

/// The parsed content files of the last builds, by path.
#[derive(Debug)]
pub struct ContentCache {
    log: CacheLog,
}

impl ContentCache {
    /// The cache saved in `path` by a capcat of the same `fingerprint`;
    /// empty when there is none or it is another capcat's. The fingerprint
    /// must name everything parsing depends on besides a file's bytes and
    /// path: capcat itself and the catalog's root and content folder.
    pub fn load(path: &Path, fingerprint: &str) -> ContentCache {
        ContentCache {
            log: CacheLog::load(path, &format!("content\n{fingerprint}")),
        }
    }

    /// An empty cache kept in memory only.
    pub fn in_memory(fingerprint: &str) -> ContentCache {
        ContentCache {
            log: CacheLog::in_memory(&format!("content\n{fingerprint}")),
        }
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.log.len()
    }

    /// Whether the cache holds no file.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// Brings the cache file up to date (see [`CacheLog::save`]).
    pub fn save(&mut self) -> std::io::Result<()> {
        self.log.save()
    }

    /// The key of a file of `bytes`.
    pub(super) fn key_of(bytes: &[u8]) -> Key {
        Sha256::digest(bytes).into()
    }

    /// What parsing the file at `path` gave, when the cache holds it under
    /// `key` and its record is whole.
    pub(super) fn recall(&self, path: &Path, key: &Key) -> Option<Parsed> {
        let payload = self.log.get(path.to_str()?, key)?;
        bincode::deserialize(payload).ok()
    }

    /// Makes the cache hold the files of `files` only, with what was parsed
    /// anew: `fresh` holds each file parsed with its key.
    pub(super) fn update(&mut self, files: &[PathBuf], fresh: &[(&Path, Key, &Parsed)]) {
        let present: HashSet<&str> = files.iter().filter_map(|p| p.to_str()).collect();
        self.log.retain(|name| present.contains(name));
        // Serialised on every core: after a clean build that is every file.
        let records: Vec<(&str, &Key, Vec<u8>)> = fresh
            .par_iter()
            .filter_map(|(path, key, parsed)| {
                Some((path.to_str()?, key, bincode::serialize(parsed).ok()?))
            })
            .collect();
        self.log.put_all(&records);
    }
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
        let bytes = std::fs::read(&path).unwrap();
        let key = ContentCache::key_of(&bytes);
        write(
            root,
            "content/capabilities/cap-2.md",
            &capability(2, "Later"),
        );
        let mut body_with = |read: super::super::ReadFiles| {
            let (content, _) = load_cached(&root.join("content"), root, &mut cache, &read);
            let two = content.capabilities.into_iter().find(|c| c.id == "cap-2");
            two.unwrap().body_text
        };
        let read = |key, bytes: &[u8]| {
            let file = super::super::ReadFile {
                key,
                bytes: bytes.to_vec(),
            };
            [(path.clone(), file)].into()
        };
        assert!(
            !body_with(read(key, &bytes)).contains("Later"),
            "the bytes read for the key are the ones built"
        );
        let later = std::fs::read(&path).unwrap();
        let later_key = ContentCache::key_of(&later);
        assert!(
            body_with(read(later_key, &later)).contains("Later"),
            "bytes the cache has no record of are parsed"
        );
        assert!(
            body_with(read(later_key, b"not parsed")).contains("Later"),
            "a key the cache holds is taken without parsing the bytes"
        );
        assert!(
            body_with(Default::default()).contains("Later"),
            "a file not read is read"
        );
    }

    #[test]
    fn bytes_already_read_are_refused_as_the_file_would_be() {
        let too_large = vec![b'a'; super::super::MAX_FILE_BYTES as usize + 1];
        let not_utf8 = b"---\ntitle: Caf\xe9\n---\n".to_vec();
        for bytes in [too_large, not_utf8] {
            let tmp = catalog(1);
            let root = tmp.path();
            let path = root.join("content/capabilities/bad.md");
            std::fs::write(&path, &bytes).unwrap();
            let file = super::super::ReadFile {
                key: ContentCache::key_of(&bytes),
                bytes,
            };
            let read = [(path, file)].into();
            let mut cache = ContentCache::in_memory("capcat test");
            let (_, from_memo) = load_cached(&root.join("content"), root, &mut cache, &read);
            let (_, from_disk) = plain(root);
            assert_eq!(from_memo, from_disk);
            let bad = Path::new("content/capabilities/bad.md");
            assert!(from_memo.iter().any(|d| d.file.as_deref() == Some(bad)));
        }
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
}
