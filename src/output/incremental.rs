//! Incremental output: the manifest that says what a site folder holds, and
//! the in-place update of the spare folder (the site before the current
//! one) into the new site (docs/output.md, "Incremental rebuilds").

use super::dir_ops::DirOps;
use crate::render::{KeptFile, OutputFile};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Name of the file that lists every file of a site folder with its size
/// and SHA-256, so the next build can tell which files it must rewrite.
pub const MANIFEST: &str = ".capcat-manifest";

const HEX: &[u8; 16] = b"0123456789abcdef";

const HEADER: &str = "capcat-manifest 1\n";

/// Largest manifest read back (a 20,000-capability site needs about 5 MB).
pub(super) const MANIFEST_LIMIT: u64 = 256 << 20;

/// SHA-256 of `bytes`, in hex.
pub(super) fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .flat_map(|b| {
            [
                HEX[usize::from(b >> 4)] as char,
                HEX[usize::from(b & 15)] as char,
            ]
        })
        .collect()
}

/// One file of a site folder: its size and SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// Length in bytes.
    pub(super) size: u64,
    /// SHA-256 of the content.
    pub(super) hash: [u8; 32],
}

/// Every file of a site folder except the marker and the manifest itself.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Manifest {
    /// Path relative to the folder → size and hash.
    pub(super) files: BTreeMap<String, Entry>,
}

/// A file of the site being written: bytes in memory, or a file the live
/// site holds, to be linked from there.
#[derive(Debug, Clone, Copy)]
pub(super) enum Item<'a> {
    /// Bytes to write (or to link from a folder that has them).
    Bytes(&'a OutputFile),
    /// A file of the live site.
    Live(&'a KeptFile),
}

impl<'a> Item<'a> {
    /// Its path in the site.
    pub(super) fn path(&self) -> &'a str {
        match self {
            Item::Bytes(f) => &f.path,
            Item::Live(k) => &k.path,
        }
    }
}

impl Manifest {
    /// The manifest of the files about to be written (hashed in parallel,
    /// except those whose digest is `known`, and the live site's files).
    pub(super) fn of(files: &[Item<'_>], known: &super::Digests) -> Manifest {
        let entries: Vec<(String, Entry)> = files
            .par_iter()
            .map(|item| {
                let entry = match item {
                    Item::Bytes(f) => Entry {
                        size: f.bytes.len() as u64,
                        hash: match known.get(&f.path) {
                            Some(hash) => *hash,
                            None => Sha256::digest(&f.bytes).into(),
                        },
                    },
                    Item::Live(k) => Entry {
                        size: k.size,
                        hash: k.digest,
                    },
                };
                (item.path().to_string(), entry)
            })
            .collect();
        Manifest {
            files: entries.into_iter().collect(),
        }
    }

    /// The manifest as written into the site: sorted, so the same site
    /// always has the same manifest. `None` when a path cannot be written
    /// on one line.
    pub(super) fn to_bytes(&self) -> Option<Vec<u8>> {
        let mut out = String::with_capacity(HEADER.len() + self.files.len() * 100);
        out.push_str(HEADER);
        for (path, e) in &self.files {
            if path.contains('\n') {
                return None;
            }
            for b in e.hash {
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
            let _ = writeln!(out, " {} {path}", e.size);
        }
        Some(out.into_bytes())
    }

    /// Reads a manifest back; `None` when it is not one this version wrote.
    pub(super) fn parse(bytes: &[u8]) -> Option<Manifest> {
        let text = std::str::from_utf8(bytes).ok()?.strip_prefix(HEADER)?;
        let entries = text
            .lines()
            .map(|line| {
                let (hex, rest) = line.split_once(' ')?;
                let (size, path) = rest.split_once(' ')?;
                let entry = Entry {
                    size: size.parse().ok()?,
                    hash: parse_hash(hex)?,
                };
                Some((path.to_string(), entry))
            })
            .collect::<Option<Vec<_>>>()?;
        // Written sorted, so the map is built in one pass.
        Some(Manifest {
            files: entries.into_iter().collect(),
        })
    }

    /// Whether `bytes` begin as a manifest of this version does.
    pub(super) fn is_one(bytes: &[u8]) -> bool {
        bytes.starts_with(HEADER.as_bytes())
    }

    /// Reads the manifest of the folder `dir`, if it has a usable one.
    pub(super) fn read<D: DirOps>(dir: &D) -> Option<Manifest> {
        Manifest::parse(&dir.read_file(MANIFEST, MANIFEST_LIMIT).ok()?)
    }

    /// Whether every file listed is in `dir` as a regular file of the listed
    /// size (a file edited by hand usually changes size; see docs/output.md).
    pub(super) fn matches_folder<D: DirOps>(&self, dir: &D) -> bool {
        self.files
            .iter()
            .all(|(path, e)| dir.file_len(path) == Some(e.size))
    }
}

fn parse_hash(hex: &str) -> Option<[u8; 32]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

/// The folders from a site folder down to the last file's folder, kept open
/// while walking files in sorted order.
pub(super) struct Folders<'a, D> {
    root: &'a D,
    open: Vec<(String, D)>,
}

impl<'a, D: DirOps> Folders<'a, D> {
    /// Starts at `root`.
    pub(super) fn new(root: &'a D) -> Self {
        Folders {
            root,
            open: Vec::new(),
        }
    }

    /// The folder `path` (components below the root), opened without
    /// following symlinks; missing folders are created when `create`.
    pub(super) fn enter(&mut self, path: &[&str], create: bool) -> io::Result<&D> {
        let shared = self
            .open
            .iter()
            .zip(path)
            .take_while(|((name, _), folder)| name == *folder)
            .count();
        self.open.truncate(shared);
        for folder in &path[shared..] {
            let here = self.open.last().map_or(self.root, |(_, d)| d);
            if create {
                match here.create_child(folder) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                    _ => {}
                }
            }
            let child = here.open_child(folder)?;
            self.open.push((folder.to_string(), child));
        }
        Ok(self.open.last().map_or(self.root, |(_, d)| d))
    }
}

/// Writes the files of a site one after the other, in path order. A file
/// whose bytes a file written before it into the same folder already has
/// becomes a hard link to that one: a site holds a badge per capability,
/// identical for every capability of a status, and a link costs no inode
/// and no write. A rebuild never writes into an existing file (it unlinks
/// and creates anew), so twins never change together.
pub(super) struct Twins<'m> {
    manifest: &'m Manifest,
    folder: Vec<String>,
    written: std::collections::HashMap<[u8; 32], String>,
}

impl<'m> Twins<'m> {
    /// Hashes come from `manifest`, the manifest of the site written.
    pub(super) fn new(manifest: &'m Manifest) -> Self {
        Twins {
            manifest,
            folder: Vec::new(),
            written: Default::default(),
        }
    }

    /// Writes `f` as `name` into `here`, the folder `parent` of the site.
    /// A file already there is replaced, never written into.
    pub(super) fn write<D: DirOps>(
        &mut self,
        here: &D,
        parent: &[&str],
        name: &str,
        f: &OutputFile,
    ) -> io::Result<()> {
        if self.folder != parent {
            self.folder = parent.iter().map(|p| p.to_string()).collect();
            self.written.clear();
        }
        let hash = self.manifest.files.get(&f.path).map(|e| e.hash);
        if let Some(first) = hash.and_then(|h| self.written.get(&h))
            && here.link_file(first, name).is_ok()
        {
            return Ok(());
        }
        let file = match here.create_file(name, true) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                here.remove_file(name)?;
                here.create_file(name, true)
            }
            other => other,
        };
        file?.write_all(&f.bytes)?;
        if let Some(h) = hash {
            self.written.entry(h).or_insert_with(|| name.to_string());
        }
        Ok(())
    }
}

/// Work below which one thread writes every file (see [`shares`]).
const WORK_PER_WRITER: usize = 1024;

/// Writes `files` (sorted by path) below `dir`, in contiguous shares on the
/// pool's threads: a site is thousands of small files, and creating them
/// costs the kernel more than the bytes do, work two cores can share. The
/// shares are of equal work, not of equal length (see [`shares`]), and
/// there are more of them than threads, so a thread that finishes early
/// takes another. Each share opens its own folder handles and keeps its own
/// [`Twins`] (a folder split between two shares holds one more copy of a
/// shared file, never different bytes). `replace` unlinks a file already
/// there first, so a twin can still be a link.
///
/// With `live`, the folder holding the site being replaced, its files are
/// linked instead of written: every [`Item::Live`], and, when its manifest
/// is given, a file whose bytes it lists (used when a build has no spare to
/// update). The live site then becomes the spare, sharing those files,
/// which is safe because capcat never writes into an existing file (it
/// unlinks and creates anew).
///
/// Says how many files were written; the error names the file that failed.
pub(super) fn write_files<D: DirOps>(
    dir: &D,
    files: &[Item<'_>],
    manifest: &Manifest,
    replace: bool,
    live: Option<(&D, Option<&Manifest>)>,
) -> Result<usize, (String, io::Error)> {
    let writers = rayon::current_num_threads().max(1) * 4;
    let shares = shares(files, manifest, writers)
        .into_par_iter()
        .map(|part| {
            let mut written = 0;
            let mut folders = Folders::new(dir);
            let mut sources = live.map(|(d, m)| (Folders::new(d), m));
            let mut twins = Twins::new(manifest);
            for item in part {
                let failed = |e| (item.path().to_string(), e);
                let parts = split(item.path()).map_err(failed)?;
                let (file, parent) = parts.split_last().expect("split is never empty");
                let here = folders.enter(parent, true).map_err(failed)?;
                if replace {
                    remove_if_there(here, file).map_err(failed)?;
                }
                let f = match item {
                    Item::Live(_) => {
                        let (from, _) = sources.as_mut().ok_or_else(|| failed(live_gone()))?;
                        let src = from.enter(parent, false).map_err(failed)?;
                        here.link_from(src, file, file).map_err(failed)?;
                        continue;
                    }
                    Item::Bytes(f) => f,
                };
                let entry = manifest.files.get(&f.path);
                let linked = sources.as_mut().is_some_and(|(from, old)| {
                    entry.is_some()
                        && old.is_some_and(|old| old.files.get(&f.path) == entry)
                        && from.enter(parent, false).is_ok_and(|src| {
                            src.file_len(file) == entry.map(|e| e.size)
                                && here.link_from(src, file, file).is_ok()
                        })
                });
                if linked {
                    continue;
                }
                twins.write(here, parent, file, f).map_err(failed)?;
                written += 1;
            }
            Ok(written)
        });
    shares.try_reduce(|| 0, |a, b| Ok(a + b))
}

fn live_gone() -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        "the page was to be kept from the site being replaced, which is gone; build again",
    )
}

/// Splits `files` (sorted by path) into at most `count` contiguous shares of
/// about equal work. A file that opens a folder costs a `mkdir` besides its
/// own creation, and a file whose bytes an earlier file of its folder has
/// (a badge) is only a link: by count alone, the share holding the badges
/// ends long before the one holding the capability folders.
fn shares<'f, 'o>(files: &'f [Item<'o>], manifest: &Manifest, count: usize) -> Vec<&'f [Item<'o>]> {
    let mut seen: std::collections::HashSet<[u8; 32]> = Default::default();
    let mut folder = "";
    let work: Vec<usize> = files
        .iter()
        .map(|f| {
            let parent = f.path().rsplit_once('/').map_or("", |(p, _)| p);
            let mut cost = 4;
            if parent != folder {
                folder = parent;
                seen.clear();
                cost += 8;
            }
            let twin = manifest
                .files
                .get(f.path())
                .is_some_and(|e| !seen.insert(e.hash));
            if twin { cost - 3 } else { cost }
        })
        .collect();
    let total: usize = work.iter().sum();
    let per_share = total.div_ceil(count.max(1)).max(WORK_PER_WRITER);
    let mut out = Vec::new();
    let (mut start, mut done) = (0, 0);
    for (i, w) in work.iter().enumerate() {
        done += w;
        if done >= per_share {
            out.push(&files[start..=i]);
            (start, done) = (i + 1, 0);
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// What an in-place update did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Updated {
    /// Files written because they were new or their bytes changed.
    pub written: usize,
    /// Files deleted because the new site no longer has them.
    pub removed: usize,
}

/// Turns the folder `dir`, which held the site `old` describes, into the
/// site `files` (described by `new`): deletes what is gone, writes only what
/// is new or changed (linking [`Item::Live`] files from `live`), then
/// writes the new manifest. When there is something
/// to do, the old manifest is deleted first, so an update cut short never
/// leaves a folder whose manifest lies. A changed file is unlinked and
/// created anew rather than overwritten, so a hard link someone made to it
/// (a deploy snapshot) keeps its old bytes.
pub(super) fn update_in_place<D: DirOps>(
    dir: &D,
    files: &[Item<'_>],
    old: &Manifest,
    new: &Manifest,
    live: Option<&D>,
) -> io::Result<Updated> {
    let stale: Vec<&String> = old
        .files
        .keys()
        .filter(|p| !new.files.contains_key(*p))
        .collect();
    // One metadata lookup per file: spread over the cores.
    let changed: Vec<Item<'_>> = files
        .par_iter()
        .copied()
        .filter(|f| {
            let unchanged = new.files.get(f.path()).is_some_and(|e| {
                old.files.get(f.path()) == Some(e) && dir.file_len(f.path()) == Some(e.size)
            });
            !unchanged
        })
        .collect();
    if stale.is_empty() && changed.is_empty() && old == new {
        return Ok(Updated::default());
    }
    remove_if_there(dir, MANIFEST)?;
    let mut folders = Folders::new(dir);
    for path in &stale {
        let parts = split(path)?;
        let (file, parent) = parts.split_last().expect("split is never empty");
        match folders.enter(parent, false) {
            Ok(d) => remove_if_there(d, file)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    drop(folders);
    remove_unused_folders(dir, old, new);
    write_files(dir, &changed, new, true, live.map(|d| (d, None))).map_err(|(_, e)| e)?;
    write_manifest(dir, new)?;
    Ok(Updated {
        written: changed.len(),
        removed: stale.len(),
    })
}

/// The components of an output path; an error for one that would leave
/// the site folder.
fn split(path: &str) -> io::Result<Vec<&str>> {
    super::relative_parts(path).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "output path escapes the output folder",
        )
    })
}

/// Unlinks the file or symlink `name`; nothing there is fine.
fn remove_if_there<D: DirOps>(dir: &D, name: &str) -> io::Result<()> {
    match dir.remove_file(name) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Writes the manifest of a finished folder (nothing when a path cannot be
/// listed: the next build then writes every file).
pub(super) fn write_manifest<D: DirOps>(dir: &D, manifest: &Manifest) -> io::Result<()> {
    match manifest.to_bytes() {
        Some(bytes) => dir.create_file(MANIFEST, false)?.write_all(&bytes),
        None => Ok(()),
    }
}

/// Removes the folders only the old site had, deepest first; a folder that
/// still holds something (a file put there by hand) stays.
fn remove_unused_folders<D: DirOps>(dir: &D, old: &Manifest, new: &Manifest) {
    let folders_of = |m: &Manifest| -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        for path in m.files.keys() {
            let mut p = path.as_str();
            while let Some((parent, _)) = p.rsplit_once('/') {
                if !set.insert(parent.to_string()) {
                    break;
                }
                p = parent;
            }
        }
        set
    };
    let keep = folders_of(new);
    let mut gone: Vec<String> = folders_of(old).difference(&keep).cloned().collect();
    gone.sort_by_key(|p| std::cmp::Reverse(p.matches('/').count()));
    for folder in gone {
        let Ok(parts) = split(&folder) else { continue };
        let (name, parent) = parts.split_last().expect("split is never empty");
        let mut walk = Folders::new(dir);
        if let Ok(d) = walk.enter(parent, false) {
            let _ = d.remove_dir(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_file_in_order_and_weigh_folders_over_links() {
        let mut files: Vec<OutputFile> = (0..4000)
            .map(|i| OutputFile::text(format!("badges/c{i:05}.svg"), "same"))
            .collect();
        files.extend((0..4000).map(|i| OutputFile::text(format!("c/c{i:05}/index.html"), "x")));
        let files: Vec<Item<'_>> = files.iter().map(Item::Bytes).collect();
        let manifest = Manifest::of(&files, &Default::default());
        let parts = shares(&files, &manifest, 8);
        assert!(parts.len() > 1 && parts.len() <= 8, "{}", parts.len());
        let joined: Vec<&str> = parts
            .iter()
            .flat_map(|p| p.iter().map(|f| f.path()))
            .collect();
        let all: Vec<&str> = files.iter().map(|f| f.path()).collect();
        assert_eq!(joined, all);
        // The first share is badges, mostly links: it holds more files than
        // a share of new folders.
        assert!(
            parts[0].len() > 2 * parts[parts.len() - 2].len(),
            "{:?}",
            parts.iter().map(|p| p.len()).collect::<Vec<_>>()
        );
        // Too little work for two writers: one share.
        assert_eq!(shares(&files[..10], &manifest, 8).len(), 1);
    }

    #[test]
    fn manifest_round_trips_and_refuses_others() {
        let a = OutputFile::text("a/index.html", "one");
        let b = OutputFile::text("b name.txt", "two two");
        let m = Manifest::of(&[Item::Bytes(&a), Item::Bytes(&b)], &Default::default());
        let bytes = m.to_bytes().unwrap();
        assert_eq!(Manifest::parse(&bytes).unwrap(), m);
        assert!(String::from_utf8_lossy(&bytes).contains(" 7 b name.txt\n"));
        assert!(Manifest::parse(b"something else\n").is_none());
        assert!(Manifest::parse(b"capcat-manifest 1\nzz 3 a\n").is_none());
        let odd = OutputFile::text("a\nb", "x");
        assert!(
            Manifest::of(&[Item::Bytes(&odd)], &Default::default())
                .to_bytes()
                .is_none()
        );
    }
}
