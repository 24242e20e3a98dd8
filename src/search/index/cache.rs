//! The search terms cache: what each capability brought to the index at the
//! last build, so a rebuild reads again only the capabilities whose
//! searchable text changed (docs/performance.md).
//!
//! One binary file, read whole: a header with the fingerprint of the capcat
//! that wrote it, a table of stems, then one entry per document: the hash
//! of everything [`super::Scratch::terms_of`] reads, and the document's
//! field lengths, semantic vector and stems with their counts. The stems
//! are numbers into the table, and counts are variable-length integers, so
//! 5,000 capabilities take about 3 MB. A SHA-256 of all this ends the file.
//! A file that is absent, cut short, damaged or written by another capcat
//! reads as an empty cache: every document is read again, and the result is
//! the same.

use super::{Document, NumberedTerms, TermStats};
use crate::search::hashing::FastMap;
use crate::search::semantic::DIMS;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A document's key: the first 16 bytes of the SHA-256 of its searchable
/// text.
pub(super) type Key = [u8; 16];

/// The first bytes of a cache file; the number is the format's version.
const MAGIC: &[u8] = b"capcat search terms 1\n";

/// A document's stems (numbers into the cache's stem table) with their
/// counts, field lengths and semantic vector.
type Terms = (Vec<(u32, TermStats)>, [u32; 8], Option<[i8; DIMS]>);

/// The search terms of the documents of one build, by key; see the module
/// documentation.
#[derive(Debug, Default)]
pub struct TermsCache {
    /// Where it is read from and saved to; `None` keeps it in memory.
    path: Option<PathBuf>,
    /// SHA-256 of the writer's fingerprint.
    fingerprint: [u8; 32],
    /// The stem table.
    stems: Vec<Arc<str>>,
    /// Each document's encoded terms, a range of `bytes`.
    entries: FastMap<Key, Range<usize>>,
    /// The keys in the order they are saved.
    order: Vec<Key>,
    /// The encoded entries.
    bytes: Vec<u8>,
    /// Whether the entries differ from the file's.
    changed: bool,
}

impl TermsCache {
    /// The cache saved in `path` by a capcat of the same `fingerprint`;
    /// empty when there is none, or it cannot be read or decoded.
    pub fn load(path: &Path, fingerprint: &str) -> TermsCache {
        let empty = || TermsCache {
            path: Some(path.to_path_buf()),
            fingerprint: Sha256::digest(fingerprint.as_bytes()).into(),
            ..TermsCache::default()
        };
        let mut cache = empty();
        if let Ok(file) = std::fs::read(path)
            && cache.decode_file(file).is_none()
        {
            cache = empty();
        }
        cache
    }

    /// Writes the cache to its file when its entries changed, replacing the
    /// file at once (written aside, then renamed).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = self.path.as_deref().filter(|_| self.changed) else {
            return Ok(());
        };
        let mut file = Vec::with_capacity(self.bytes.len() + 4096);
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&self.fingerprint);
        put(&mut file, self.stems.len() as u64);
        for stem in &self.stems {
            put(&mut file, stem.len() as u64);
            file.extend_from_slice(stem.as_bytes());
        }
        put(&mut file, self.order.len() as u64);
        for key in &self.order {
            let range = self.entries[key].clone();
            file.extend_from_slice(key);
            put(&mut file, range.len() as u64);
            file.extend_from_slice(&self.bytes[range]);
        }
        let check = Sha256::digest(&file);
        file.extend_from_slice(&check);
        crate::cache_log::replace_file(path, &file)
    }

    /// The terms of the document of `key`, when the cache holds them; their
    /// stems are numbers into [`TermsCache::stems`].
    pub(super) fn terms(&self, key: &Key) -> Option<Terms> {
        let range = self.entries.get(key)?.clone();
        decode_terms(&self.bytes[range], self.stems.len())
    }

    /// The stem table the cached terms number into.
    pub(super) fn stems(&self) -> &[Arc<str>] {
        &self.stems
    }

    /// Makes the cache hold exactly the documents just read: `docs`, each
    /// with its key and whether it came from the cache, their stems numbers
    /// into `stems`, which begins with [`TermsCache::stems`]. Entries that
    /// came from the cache keep their bytes and the stem table only grows,
    /// unless most documents are new: then the table is made again from
    /// theirs alone, and every entry encoded again.
    pub(super) fn replace(
        &mut self,
        keys: &[(Key, bool)],
        docs: &[NumberedTerms],
        stems: &[Arc<str>],
    ) {
        use rayon::prelude::*;
        let misses = keys.iter().filter(|(_, hit)| !hit).count();
        if misses == 0 && keys.len() == self.entries.len() {
            return;
        }
        let fresh = misses * 2 > keys.len();
        let (table, renumber) = if fresh {
            compact(docs, stems)
        } else {
            (stems.to_vec(), (0..stems.len() as u32).collect())
        };
        let encoded: Vec<Option<Vec<u8>>> = keys
            .par_iter()
            .zip(docs)
            .map(|(&(_, hit), doc)| (fresh || !hit).then(|| encode_terms(doc, &renumber)))
            .collect();
        let mut bytes = Vec::with_capacity(self.bytes.len());
        let mut entries = FastMap::default();
        let mut order = Vec::with_capacity(keys.len());
        for (&(key, _), new) in keys.iter().zip(encoded) {
            let start = bytes.len();
            match new {
                Some(b) => bytes.extend_from_slice(&b),
                None => bytes.extend_from_slice(&self.bytes[self.entries[&key].clone()]),
            }
            if entries.insert(key, start..bytes.len()).is_none() {
                order.push(key);
            }
        }
        self.stems = table;
        self.entries = entries;
        self.order = order;
        self.bytes = bytes;
        self.changed = true;
    }

    /// Reads a whole cache file into `self`, which keeps its bytes (the
    /// entries are ranges of them); `None` when it is not one of this
    /// fingerprint or is damaged.
    fn decode_file(&mut self, file: Vec<u8>) -> Option<()> {
        let (body, check) = file.split_at_checked(file.len().checked_sub(32)?)?;
        if Sha256::digest(body)[..] != *check {
            return None;
        }
        let mut r = Reader { bytes: body, at: 0 };
        if r.take(MAGIC.len())? != MAGIC || r.take(32)? != self.fingerprint {
            return None;
        }
        let stems = r.varint()?;
        for _ in 0..stems {
            let len = r.varint()? as usize;
            let stem = std::str::from_utf8(r.take(len)?).ok()?;
            self.stems.push(stem.into());
        }
        let entries = r.varint()?;
        for _ in 0..entries {
            let key: Key = r.take(16)?.try_into().ok()?;
            let len = r.varint()? as usize;
            let start = r.at;
            r.take(len)?;
            if self.entries.insert(key, start..r.at).is_none() {
                self.order.push(key);
            }
        }
        if r.at != body.len() {
            return None;
        }
        self.bytes = file;
        Some(())
    }
}

/// The key of `d`: everything the index reads of it, each part
/// length-prefixed.
pub(super) fn key(d: &Document<'_>) -> Key {
    fn part(h: &mut Sha256, s: &str) {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    fn list<S: AsRef<str>>(h: &mut Sha256, items: &[S]) {
        part(h, &items.len().to_string());
        items.iter().for_each(|s| part(h, s.as_ref()));
    }
    let mut h = Sha256::new();
    for s in [
        d.id,
        d.title,
        d.summary,
        d.body,
        d.category,
        d.status.label(),
    ] {
        part(&mut h, s);
    }
    list(&mut h, d.aliases);
    list(&mut h, d.redirect_from);
    list(&mut h, d.plans);
    list(&mut h, &d.work);
    list(&mut h, &d.code);
    let digest = h.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// A stem table holding only the stems of `docs`, in the order first met,
/// and each old number's new one (`u32::MAX` for a stem left out).
fn compact(docs: &[NumberedTerms], stems: &[Arc<str>]) -> (Vec<Arc<str>>, Vec<u32>) {
    let mut renumber = vec![u32::MAX; stems.len()];
    let mut table = Vec::new();
    for (stem, _) in docs.iter().flat_map(|d| &d.terms) {
        let n = &mut renumber[*stem as usize];
        if *n == u32::MAX {
            *n = table.len() as u32;
            table.push(stems[*stem as usize].clone());
        }
    }
    (table, renumber)
}

/// One document's entry: its field lengths, vector and stems, each stem's
/// number `renumber[n]` (see [`decode_terms`]).
fn encode_terms(doc: &NumberedTerms, renumber: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + DIMS + doc.terms.len() * 8);
    for len in doc.lens {
        put(&mut out, u64::from(len));
    }
    match &doc.vector {
        Some(v) => {
            out.push(1);
            out.extend(v.iter().map(|&b| b as u8));
        }
        None => out.push(0),
    }
    put(&mut out, doc.terms.len() as u64);
    for (stem, stats) in &doc.terms {
        put(&mut out, u64::from(renumber[*stem as usize]));
        let mask = (0..8).fold(0u8, |m, f| m | (u8::from(stats.counts[f] > 0) << f));
        out.push(mask);
        for &count in stats.counts.iter().filter(|&&c| c > 0) {
            put(&mut out, u64::from(count));
        }
        out.push(stats.passages);
        put(&mut out, u64::from(stats.upper));
        put(&mut out, u64::from(stats.lower));
    }
    out
}

/// The terms [`encode_terms`] wrote, for a stem table of `stems` entries;
/// `None` when the bytes are damaged.
fn decode_terms(bytes: &[u8], stems: usize) -> Option<Terms> {
    let mut r = Reader { bytes, at: 0 };
    let mut lens = [0u32; 8];
    for len in &mut lens {
        *len = r.u32()?;
    }
    let vector = match r.take(1)?[0] {
        0 => None,
        1 => {
            let mut v = [0i8; DIMS];
            for (d, &b) in v.iter_mut().zip(r.take(DIMS)?) {
                *d = b as i8;
            }
            Some(v)
        }
        _ => return None,
    };
    let n = r.varint()? as usize;
    let mut terms = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let stem = r.u32()?;
        if stem as usize >= stems {
            return None;
        }
        let mask = r.take(1)?[0];
        let mut stats = TermStats::default();
        for (f, count) in stats.counts.iter_mut().enumerate() {
            if mask & (1 << f) != 0 {
                *count = r.u32()?;
            }
        }
        stats.passages = r.take(1)?[0];
        stats.upper = r.u32()?;
        stats.lower = r.u32()?;
        terms.push((stem, stats));
    }
    (r.at == bytes.len()).then_some((terms, lens, vector))
}

/// Appends `v` as a LEB128 variable-length integer.
fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A cursor over bytes that fails, rather than panics, past their end.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        self.varint()?.try_into().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Owned, document, owned};
    use super::super::{Index, SearchConfig};
    use super::*;

    fn documents(owned: &[Owned]) -> Vec<Document<'_>> {
        owned
            .iter()
            .enumerate()
            .map(|(i, o)| document(o, i))
            .collect()
    }

    /// The full build, without the words only `capcat ask` reads.
    fn full(owned: &[Owned]) -> Index {
        let mut index = Index::build(&documents(owned), &SearchConfig::default());
        for d in &mut index.docs {
            d.words.clear();
        }
        index
    }

    fn cached(owned: &[Owned], cache: &mut TermsCache) -> Index {
        Index::build_cached(&documents(owned), &SearchConfig::default(), cache)
    }

    #[test]
    fn cached_builds_are_full_builds_as_documents_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let mut owned = owned(&mut 5, 200);
        let mut cache = TermsCache::load(&path, "capcat 1");
        assert_eq!(cached(&owned, &mut cache), full(&owned), "cold");
        cache.save().unwrap();

        // One description changes, with new words: the stem table grows.
        owned[3].strings[5] = "Syncs with Zuora as PDF. Not included: SCIM provisioning.".into();
        let mut cache = TermsCache::load(&path, "capcat 1");
        assert_eq!(cache.entries.len(), 200, "every entry read back");
        assert_eq!(cached(&owned, &mut cache), full(&owned), "one changed");
        let keys: Vec<Key> = documents(&owned).iter().map(key).collect();
        assert!(keys.iter().all(|k| cache.terms(k).is_some()));
        cache.save().unwrap();

        // Removing one shifts the statuses of the rest: most are new.
        owned.remove(10);
        let mut cache = TermsCache::load(&path, "capcat 1");
        assert_eq!(cached(&owned, &mut cache), full(&owned), "most changed");
        assert_eq!(cache.entries.len(), 199, "the removed one is dropped");
        cache.save().unwrap();

        let mut cache = TermsCache::load(&path, "capcat 1");
        assert_eq!(cached(&owned, &mut cache), full(&owned), "unchanged");
        assert!(!cache.changed, "nothing to save");
    }

    #[test]
    fn another_capcat_or_a_damaged_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.bin");
        let owned = owned(&mut 9, 40);
        let mut cache = TermsCache::load(&path, "capcat 1");
        cached(&owned, &mut cache);
        cache.save().unwrap();
        assert!(TermsCache::load(&path, "capcat 2").entries.is_empty());
        let good = std::fs::read(&path).unwrap();
        for cut in (0..good.len()).step_by(97) {
            std::fs::write(&path, &good[..cut]).unwrap();
            assert!(
                TermsCache::load(&path, "capcat 1").entries.is_empty(),
                "cut at {cut}"
            );
        }
        for at in (0..good.len()).step_by(89) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&path, &bad).unwrap();
            let mut cache = TermsCache::load(&path, "capcat 1");
            assert!(cache.entries.is_empty(), "flipped byte {at}");
            assert_eq!(cached(&owned, &mut cache), full(&owned));
        }
    }

    #[test]
    fn integers_round_trip() {
        let mut out = Vec::new();
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        values.iter().for_each(|&v| put(&mut out, v));
        let mut r = Reader { bytes: &out, at: 0 };
        for v in values {
            assert_eq!(r.varint(), Some(v));
        }
        assert_eq!(r.varint(), None, "past the end");
    }
}
