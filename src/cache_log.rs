//! A cache log: named records, each under a 32-byte key, in one file that
//! a rebuild appends to. The content cache, the page cache and the link
//! check's cache keep their records in one (docs/output.md, "Rebuilds after
//! a change").
//!
//! The file: a header naming the format and the SHA-256 of the fingerprint
//! of what wrote it, then one record per name (its length and name, key,
//! payload length and payload), each ending with a CRC-32 of itself: the
//! check is against a damaged disk or a write cut short, and at hundreds of
//! megabytes a SHA-256 of every record was a tenth of a rebuild. A
//! later record of a name replaces the earlier ones, and once most records
//! are replaced the file is written again with the live ones only. A record
//! cut short ends the log there, a damaged one reads as absent, and a file
//! of another fingerprint reads as empty: whatever is missing is made again.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A record's key: a SHA-256 of what it was made from.
pub type Key = [u8; 32];

/// The first bytes of a cache log; the number is the format's version.
const MAGIC: &[u8] = b"capcat cache log 2\n";

/// Bytes of a record's check.
const CHECK: usize = 4;

/// The check of a record's bytes.
fn check_of(bytes: &[u8]) -> [u8; CHECK] {
    crc32fast::hash(bytes).to_le_bytes()
}

/// The bytes of a record of `name` holding `payload` ([`CacheLog::put`]).
fn record_len(name: &str, payload: &[u8]) -> usize {
    4 + name.len() + size_of::<Key>() + 4 + payload.len() + CHECK
}

/// Below this many replaced records the log is only appended to.
const MIN_COMPACTION: usize = 64;

/// Where one record is in the log.
#[derive(Debug, Clone)]
struct Record {
    /// The record's key.
    key: Key,
    /// Whether it is in the records this run appended (else in those read).
    fresh: bool,
    /// The whole record, its check included.
    bytes: Range<usize>,
    /// The payload.
    payload: Range<usize>,
}

/// Records by name; see the module documentation.
#[derive(Debug, Default)]
pub struct CacheLog {
    /// Where it is read from and saved to; `None` keeps it in memory.
    path: Option<PathBuf>,
    /// The log as read: header and records.
    log: Vec<u8>,
    /// Records appended since, kept apart so that appending never moves the
    /// hundreds of megabytes read.
    tail: Vec<u8>,
    /// Whether the file on disk begins with `log` whole (else the next
    /// save writes it whole).
    log_saved: bool,
    /// How much of `tail` the file on disk holds after `log`.
    tail_saved: usize,
    /// Each name's record in `log`.
    live: HashMap<String, Record>,
    /// Records in `log` that a later one replaced, or whose name is gone.
    replaced: usize,
}

impl CacheLog {
    /// The log saved in `path` under the same `fingerprint`; empty when
    /// there is none or it has another fingerprint. The fingerprint names
    /// everything the records depend on besides their keys.
    pub fn load(path: &Path, fingerprint: &str) -> CacheLog {
        let mut cache = CacheLog::in_memory(fingerprint);
        cache.path = Some(path.to_path_buf());
        if let Ok(file) = std::fs::read(path)
            && file.starts_with(&cache.log)
        {
            cache.read_records(file);
        }
        cache
    }

    /// An empty log kept in memory only.
    pub fn in_memory(fingerprint: &str) -> CacheLog {
        let mut log = MAGIC.to_vec();
        log.extend_from_slice(&Sha256::digest(fingerprint.as_bytes()));
        CacheLog {
            log,
            ..CacheLog::default()
        }
    }

    /// How many names the log holds.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether the log holds no name.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// The payload of `name`, when the log holds it under `key` and its
    /// record is whole.
    pub fn get(&self, name: &str, key: &Key) -> Option<&[u8]> {
        let record = self.live.get(name).filter(|r| r.key == *key)?;
        let buffer = self.buffer(record);
        let (body, check) = buffer[record.bytes.clone()].split_at(record.bytes.len() - CHECK);
        (check_of(body) == check).then(|| &buffer[record.payload.clone()])
    }

    /// The buffer `record` is in.
    fn buffer(&self, record: &Record) -> &[u8] {
        if record.fresh { &self.tail } else { &self.log }
    }

    /// Keeps only the names for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let before = self.live.len();
        self.live.retain(|name, _| keep(name));
        self.replaced += before - self.live.len();
    }

    /// [`CacheLog::put`] for each record (name, key, payload), with room
    /// made for all of them first: thousands of records put one by one
    /// would move the buffer again and again as it grows.
    pub fn put_all<P: AsRef<[u8]>>(&mut self, records: &[(&str, &Key, P)]) {
        let bytes: usize = records
            .iter()
            .map(|(name, _, payload)| record_len(name, payload.as_ref()))
            .sum();
        self.tail.reserve(bytes);
        self.live.reserve(records.len());
        for (name, key, payload) in records {
            self.put(name, key, payload.as_ref());
        }
    }

    /// Appends the record of `name` (replacing the one it had): the name's
    /// length and the name, the key, the payload's length and the payload,
    /// and the check of all these ([`record_len`] bytes).
    pub fn put(&mut self, name: &str, key: &Key, payload: &[u8]) {
        let tail = &mut self.tail;
        let start = tail.len();
        tail.extend_from_slice(&(name.len() as u32).to_le_bytes());
        tail.extend_from_slice(name.as_bytes());
        tail.extend_from_slice(key);
        tail.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        let at = tail.len();
        tail.extend_from_slice(payload);
        let check = check_of(&tail[start..]);
        tail.extend_from_slice(&check);
        let record = Record {
            key: *key,
            fresh: true,
            bytes: start..tail.len(),
            payload: at..at + payload.len(),
        };
        if self.live.insert(name.to_string(), record).is_some() {
            self.replaced += 1;
        }
    }

    /// Brings the file up to date: appends the new records, or, when the
    /// log has more replaced records than live ones, was damaged, or was
    /// changed by another build since it was read, writes it whole (aside,
    /// then renamed over the file).
    pub fn save(&mut self) -> std::io::Result<()> {
        if self.replaced >= MIN_COMPACTION && self.replaced > self.live.len() {
            self.compact();
        }
        let Some(path) = self.path.as_deref() else {
            return Ok(());
        };
        if self.log_saved && self.tail_saved == self.tail.len() {
            return Ok(());
        }
        let on_disk = std::fs::metadata(path).map(|m| m.len()).ok();
        let saved = (self.log.len() + self.tail_saved) as u64;
        if self.log_saved && on_disk == Some(saved) {
            let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
            file.write_all(&self.tail[self.tail_saved..])?;
        } else {
            replace_file_parts(path, &[&self.log, &self.tail])?;
        }
        self.log_saved = true;
        self.tail_saved = self.tail.len();
        Ok(())
    }

    /// Indexes the records of `file` (whose header is this log's), up to
    /// the first one cut short. Records are checked when read.
    fn read_records(&mut self, file: Vec<u8>) {
        let mut at = self.log.len();
        while at < file.len() {
            let Some((name, record)) = record_at(&file, at) else {
                break;
            };
            at = record.bytes.end;
            if self.live.insert(name, record).is_some() {
                self.replaced += 1;
            }
        }
        // A damaged end is dropped; the next save writes the file whole.
        self.log_saved = at == file.len();
        self.log = file;
        self.log.truncate(at);
    }

    /// Writes the log again with the live records only.
    fn compact(&mut self) {
        let mut log = self.log[..MAGIC.len() + 32].to_vec();
        let mut live: Vec<(String, Record)> = self.live.drain().collect();
        // Records read first, then those appended, each in log order.
        live.sort_by_key(|(_, r)| (r.fresh, r.bytes.start));
        for (_, record) in &mut live {
            let start = log.len();
            log.extend_from_slice(&self.buffer(record)[record.bytes.clone()]);
            let payload_at = start + (record.payload.start - record.bytes.start);
            record.payload = payload_at..payload_at + record.payload.len();
            record.bytes = start..log.len();
            record.fresh = false;
        }
        self.live = live.into_iter().collect();
        self.log = log;
        self.tail.clear();
        self.replaced = 0;
        self.log_saved = false;
        self.tail_saved = 0;
    }
}

/// Replaces the file at `path` with `bytes` at once: they are written aside
/// (its folder is created if needed), then renamed over it, so a reader
/// sees the old file or the new one, never a part. The file aside is
/// removed when that fails.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace_file_parts(path, &[bytes])
}

/// [`replace_file`] with the bytes of `parts` one after the other, which
/// need not be copied into one buffer first.
fn replace_file_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        parts.iter().try_for_each(|part| file.write_all(part))
    };
    let written = write().and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// The record at `at` in `file` with its name; `None` when it is cut short
/// or its name is not UTF-8.
fn record_at(file: &[u8], at: usize) -> Option<(String, Record)> {
    let u32_at = |i: usize| -> Option<usize> {
        let bytes: [u8; 4] = file.get(i..i.checked_add(4)?)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes) as usize)
    };
    let name_end = (at + 4).checked_add(u32_at(at)?)?;
    let name = std::str::from_utf8(file.get(at + 4..name_end)?).ok()?;
    let key: Key = file.get(name_end..name_end + 32)?.try_into().ok()?;
    let payload_start = name_end + 36;
    let payload_end = payload_start.checked_add(u32_at(name_end + 32)?)?;
    let end = payload_end.checked_add(CHECK)?;
    if end > file.len() {
        return None;
    }
    let record = Record {
        key,
        fresh: false,
        bytes: at..end,
        payload: payload_start..payload_end,
    };
    Some((name.to_string(), record))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_file(dir: &Path) -> PathBuf {
        dir.join("cache/test.log")
    }

    #[test]
    fn put_all_puts_each_record_in_order() {
        let records: [(&str, &Key, &[u8]); 3] = [
            ("a", &[1; 32], b"alpha"),
            ("b", &[2; 32], b"beta"),
            ("a", &[3; 32], b"alpha 2"),
        ];
        let mut one_by_one = CacheLog::in_memory("test");
        for (name, key, payload) in &records {
            one_by_one.put(name, key, payload);
        }
        let sizes: usize = records.iter().map(|(n, _, p)| record_len(n, p)).sum();
        assert_eq!(one_by_one.tail.len(), sizes);
        let mut all = CacheLog::in_memory("test");
        all.put_all(&records);
        assert_eq!(all.tail, one_by_one.tail);
        assert_eq!(all.len(), 2);
        assert_eq!(all.get("a", &[3; 32]), Some(&b"alpha 2"[..]));
        assert_eq!(all.get("a", &[1; 32]), None, "the later record replaced it");
    }

    #[test]
    fn records_are_appended_read_back_and_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let file = log_file(tmp.path());
        let mut log = CacheLog::load(&file, "fp");
        log.put("a", &[1; 32], b"alpha");
        log.put("b", &[2; 32], b"beta");
        log.save().unwrap();
        let size = std::fs::metadata(&file).unwrap().len();
        let mut again = CacheLog::load(&file, "fp");
        assert_eq!(again.get("a", &[1; 32]), Some(&b"alpha"[..]));
        assert_eq!(again.get("a", &[9; 32]), None, "another key");
        again.put("a", &[3; 32], b"alpha 2");
        again.save().unwrap();
        let grown = std::fs::metadata(&file).unwrap().len();
        assert!(
            grown > size && grown < size + 100,
            "{size} → {grown}: appended"
        );
        let third = CacheLog::load(&file, "fp");
        assert_eq!(third.len(), 2);
        assert_eq!(third.get("a", &[3; 32]), Some(&b"alpha 2"[..]));
        assert_eq!(third.get("b", &[2; 32]), Some(&b"beta"[..]));
        assert!(CacheLog::load(&file, "other").is_empty());
    }

    /// A log kept across rebuilds in one process (`capcat serve`) appends
    /// each save's records only, and compacts what it read and appended.
    #[test]
    fn one_log_saved_again_and_again_appends_then_compacts() {
        let tmp = tempfile::tempdir().unwrap();
        let file = log_file(tmp.path());
        let mut log = CacheLog::load(&file, "fp");
        log.put("a", &[1; 32], b"alpha");
        log.save().unwrap();
        let mut log = CacheLog::load(&file, "fp");
        log.put("b", &[2; 32], b"beta");
        log.save().unwrap();
        let size = std::fs::metadata(&file).unwrap().len();
        log.put("c", &[3; 32], b"gamma");
        log.save().unwrap();
        let grown = std::fs::metadata(&file).unwrap().len();
        assert!(grown > size && grown < size + 60, "{size} → {grown}");
        for round in 0..MIN_COMPACTION as u8 + 1 {
            log.put("b", &[round; 32], b"beta again");
        }
        log.save().unwrap();
        let again = CacheLog::load(&file, "fp");
        assert_eq!(again.len(), 3);
        assert_eq!(again.get("a", &[1; 32]), Some(&b"alpha"[..]));
        assert_eq!(
            again.get("b", &[MIN_COMPACTION as u8; 32]),
            Some(&b"beta again"[..])
        );
        assert_eq!(again.get("c", &[3; 32]), Some(&b"gamma"[..]));
        assert!(
            std::fs::metadata(&file).unwrap().len() < grown + 100,
            "compacted"
        );
    }

    #[test]
    fn damage_costs_only_the_damaged_records() {
        let tmp = tempfile::tempdir().unwrap();
        let file = log_file(tmp.path());
        let mut log = CacheLog::load(&file, "fp");
        for i in 0..10u8 {
            log.put(&format!("n{i}"), &[i; 32], &[i; 100]);
        }
        log.save().unwrap();
        let good = std::fs::read(&file).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 40;
        flipped[last] ^= 1;
        std::fs::write(&file, &flipped).unwrap();
        let read = CacheLog::load(&file, "fp");
        assert_eq!(read.get("n9", &[9; 32]), None, "the damaged record");
        assert_eq!(read.get("n0", &[0; 32]), Some(&[0; 100][..]));
        std::fs::write(&file, &good[..good.len() - 7]).unwrap();
        let mut cut = CacheLog::load(&file, "fp");
        assert_eq!(cut.len(), 9, "the record cut short ends the log");
        cut.put("n9", &[9; 32], &[9; 100]);
        cut.save().unwrap();
        let whole = CacheLog::load(&file, "fp");
        assert_eq!(whole.len(), 10);
        assert_eq!(whole.get("n9", &[9; 32]), Some(&[9; 100][..]));
        for bytes in [b"not a log".to_vec(), Vec::new()] {
            std::fs::write(&file, bytes).unwrap();
            assert!(CacheLog::load(&file, "fp").is_empty());
        }
    }

    #[test]
    fn replaced_records_are_dropped_once_they_are_most_of_the_log() {
        let tmp = tempfile::tempdir().unwrap();
        let file = log_file(tmp.path());
        let mut first = CacheLog::load(&file, "fp");
        for i in 0..5u8 {
            first.put(&format!("n{i}"), &[i; 32], &[i; 100]);
        }
        first.save().unwrap();
        let size = std::fs::metadata(&file).unwrap().len();
        for round in 0..MIN_COMPACTION + 5 {
            let mut log = CacheLog::load(&file, "fp");
            log.put("n0", &[round as u8; 32], &[0; 100]);
            log.save().unwrap();
        }
        let after = std::fs::metadata(&file).unwrap().len();
        assert!(after < size * 3, "{size} → {after}");
        let log = CacheLog::load(&file, "fp");
        assert_eq!(log.len(), 5);
        assert_eq!(log.get("n4", &[4; 32]), Some(&[4; 100][..]));
    }
}
