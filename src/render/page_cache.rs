//! The page cache: the SHA-256 and size of each capability page as the last
//! build rendered it, under a hash of everything its template reads, so a
//! rebuild renders again only the pages whose data changed
//! (docs/performance.md). The bytes are not kept here: a page is kept when
//! the live site still holds it (size and SHA-256), and the output links it
//! from there. The records are in a [`CacheLog`] whose fingerprint names
//! capcat itself; the hash covers the theme's templates, the data every
//! page shares, the page's path and its own data.

use crate::cache_log::{CacheLog, Key};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The rendered capability pages of the last builds, and what this build's
/// pages share.
pub struct PageCache<'c> {
    /// The pages' digests and sizes.
    log: &'c mut CacheLog,
    /// SHA-256 of the templates and the data every page shares.
    shared: Key,
    /// Whether the live site holds a file (path, size, SHA-256).
    in_site: &'c super::InSite<'c>,
}

impl<'c> PageCache<'c> {
    /// The cache `log`, for pages rendered with `templates` (name and
    /// source) from the shared data `base`, taken from the live site when
    /// `in_site` says it holds them.
    pub fn new<'t>(
        log: &'c mut CacheLog,
        templates: impl IntoIterator<Item = (&'t str, &'t str)>,
        base: &impl Serialize,
        in_site: &'c super::InSite<'c>,
    ) -> PageCache<'c> {
        let mut h = Sha256::new();
        let mut templates: Vec<(&str, &str)> = templates.into_iter().collect();
        templates.sort_unstable();
        for (name, source) in templates {
            part(&mut h, name.as_bytes());
            part(&mut h, source.as_bytes());
        }
        // Data that cannot be serialized gives a key no page will match.
        let _ = serde_json::to_writer(HashWriter(&mut h), base);
        PageCache {
            log,
            shared: h.finalize().into(),
            in_site,
        }
    }

    /// The key of the page at `path` rendered from `data`, the long
    /// `text` (hashed as it is, not escaped as JSON) and the parts given by
    /// their digests in `parts` (see [`digest`]): data many pages share,
    /// such as a capability's card, is hashed once, not once per page.
    pub fn key<'k>(
        &self,
        path: &str,
        data: &impl Serialize,
        text: &str,
        parts: impl IntoIterator<Item = &'k Key>,
    ) -> Option<Key> {
        let mut h = Sha256::new();
        h.update(self.shared);
        part(&mut h, path.as_bytes());
        part(&mut h, text.as_bytes());
        serde_json::to_writer(HashWriter(&mut h), data).ok()?;
        for digest in parts {
            h.update(digest);
        }
        Some(h.finalize().into())
    }

    /// The SHA-256 and size of the page at `path`, when the cache holds it
    /// under `key` and the live site holds it with these.
    pub fn get(&self, path: &str, key: &Key) -> Option<([u8; 32], u64)> {
        let record = self.log.get(path, key)?;
        let (digest, size) = record.split_first_chunk::<32>()?;
        let size = u64::from_le_bytes(*size.first_chunk::<8>()?);
        (self.in_site)(path, size, digest).then_some((*digest, size))
    }

    /// Makes the cache hold the pages for which `keep` is true, and the
    /// pages rendered anew (`fresh`: path, key, the SHA-256 of the bytes
    /// and their length).
    pub fn update<'p>(
        &mut self,
        keep: impl FnMut(&str) -> bool,
        fresh: impl IntoIterator<Item = (&'p str, &'p Key, [u8; 32], u64)>,
    ) {
        self.log.retain(keep);
        let records: Vec<(&str, &Key, [u8; 40])> = fresh
            .into_iter()
            .map(|(path, key, digest, size)| {
                let mut record = [0u8; 40];
                record[..32].copy_from_slice(&digest);
                record[32..].copy_from_slice(&size.to_le_bytes());
                (path, key, record)
            })
            .collect();
        self.log.put_all(&records);
    }
}

/// The SHA-256 of `data` as [`PageCache::key`] reads it; `None` when it
/// cannot be serialized.
pub fn digest(data: &impl Serialize) -> Option<Key> {
    let mut h = Sha256::new();
    serde_json::to_writer(HashWriter(&mut h), data).ok()?;
    Some(h.finalize().into())
}

/// Hashes a length-prefixed part, so parts cannot run into each other.
fn part(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Feeds what is written into a SHA-256.
struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
