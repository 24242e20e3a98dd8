//! Rendered descriptions kept between builds, keyed by the SHA-256 of the
//! Markdown: Markdown rendering and HTML sanitizing are most of what reading
//! content costs, and a rebuild after one edit changes one description
//! (docs/performance.md, "Against Hugo").
//!
//! The file holds a tag (capcat's version and executable, so a rebuilt
//! capcat never reuses what another one rendered), then one record per
//! description: key, HTML, text. A file that cannot be read or was written
//! under another tag is ignored; the cache is rewritten only when the set of
//! descriptions changed, and keeps only those the last build used.

use super::markdown::{self, Rendered, TooDeep};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAGIC: &[u8] = b"capcat-bodies 1\n";

/// Largest cache file read back.
const LIMIT: u64 = 1 << 30;

type Key = [u8; 16];

/// Descriptions rendered by an earlier build, and those this build used.
#[derive(Debug, Default)]
pub struct BodyCache {
    path: Option<PathBuf>,
    tag: String,
    old: HashMap<Key, Rendered>,
    used: Mutex<HashMap<Key, Rendered>>,
}

impl BodyCache {
    /// No cache: every description is rendered.
    pub fn none() -> BodyCache {
        BodyCache::default()
    }

    /// The cache in the file `path`, valid for the capcat `tag` names.
    pub fn open(path: &Path, tag: &str) -> BodyCache {
        let old = std::fs::read(path)
            .ok()
            .filter(|b| b.len() as u64 <= LIMIT)
            .and_then(|bytes| parse(&bytes, tag))
            .unwrap_or_default();
        BodyCache {
            path: Some(path.to_path_buf()),
            tag: tag.to_string(),
            old,
            used: Mutex::default(),
        }
    }

    /// `markdown` rendered ([`markdown::render`]), from the cache when an
    /// earlier build rendered the same text.
    pub fn render(&self, markdown: &str) -> Result<Rendered, TooDeep> {
        if self.path.is_none() {
            return markdown::render(markdown);
        }
        let key = key_of(markdown);
        let rendered = match self.old.get(&key) {
            Some(r) => r.clone(),
            None => markdown::render(markdown)?,
        };
        if let Ok(mut used) = self.used.lock() {
            used.insert(key, rendered.clone());
        }
        Ok(rendered)
    }

    /// Writes the descriptions this build used, unless they are the ones
    /// the file already holds. A cache that cannot be written only costs
    /// the next build the rendering.
    pub fn save(self) {
        let Some(path) = self.path else { return };
        let used = self.used.into_inner().unwrap_or_default();
        let same = used.len() == self.old.len() && used.keys().all(|k| self.old.contains_key(k));
        if same {
            return;
        }
        let _ = write(&path, &self.tag, &used);
    }
}

fn key_of(markdown: &str) -> Key {
    let digest = Sha256::digest(markdown.as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

fn parse(bytes: &[u8], tag: &str) -> Option<HashMap<Key, Rendered>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let stored_tag = take(&mut rest)?;
    if stored_tag != tag.as_bytes() {
        return None;
    }
    let mut out = HashMap::new();
    while !rest.is_empty() {
        let key: Key = rest.get(..16)?.try_into().ok()?;
        rest = &rest[16..];
        let html = String::from_utf8(take(&mut rest)?.to_vec()).ok()?;
        let text = String::from_utf8(take(&mut rest)?.to_vec()).ok()?;
        out.insert(key, Rendered { html, text });
    }
    Some(out)
}

/// One length-prefixed field (u32, little-endian).
fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let field = rest.get(4..4 + len)?;
    *rest = &rest[4 + len..];
    Some(field)
}

fn put(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(&(field.len() as u32).to_le_bytes());
    out.extend_from_slice(field);
}

/// Written aside and renamed in, so a reader never sees half a file.
fn write(path: &Path, tag: &str, entries: &HashMap<Key, Rendered>) -> std::io::Result<()> {
    let mut sorted: Vec<(&Key, &Rendered)> = entries.iter().collect();
    sorted.sort_by_key(|(k, _)| **k);
    let mut out = MAGIC.to_vec();
    put(&mut out, tag.as_bytes());
    for (key, r) in sorted {
        out.extend_from_slice(key);
        put(&mut out, r.html.as_bytes());
        put(&mut out, r.text.as_bytes());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let aside = path.with_extension(format!("new-{}", std::process::id()));
    std::fs::File::create(&aside)?.write_all(&out)?;
    std::fs::rename(&aside, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_reads_what_the_first_rendered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bodies");
        let first = BodyCache::open(&path, "v1");
        let a = first.render("Exports *reports*.").unwrap();
        first.save();
        let second = BodyCache::open(&path, "v1");
        assert_eq!(second.old.len(), 1);
        assert_eq!(second.render("Exports *reports*.").unwrap(), a);
        assert_eq!(a.html, "<p>Exports <em>reports</em>.</p>\n");
    }

    #[test]
    fn another_tag_or_a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bodies");
        let first = BodyCache::open(&path, "v1");
        first.render("One.").unwrap();
        first.save();
        assert!(BodyCache::open(&path, "v2").old.is_empty());
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&path, bytes).unwrap();
        assert!(BodyCache::open(&path, "v1").old.is_empty());
    }

    #[test]
    fn only_descriptions_still_used_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bodies");
        let first = BodyCache::open(&path, "v1");
        first.render("One.").unwrap();
        first.render("Two.").unwrap();
        first.save();
        let second = BodyCache::open(&path, "v1");
        second.render("Two.").unwrap();
        second.save();
        let third = BodyCache::open(&path, "v1");
        assert_eq!(third.old.len(), 1);
        assert!(third.old.contains_key(&key_of("Two.")));
    }
}
