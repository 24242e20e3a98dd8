//! Atomic write of the rendered site (docs/output.md, "Guarantees").

mod dir_ops;
mod incremental;

use crate::render::{Digests, KeptFile, OutputFile};
use dir_ops::{DirOps, Kind, Rename};
use incremental::{Item, Manifest};
pub use incremental::{MANIFEST, Updated};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Name of the file that marks a folder as capcat's output, so a later build
/// may replace it.
pub const MARKER: &str = ".capcat-output";

/// What the marker file says; capcat only deletes or adopts folders holding it.
const MARKER_TEXT: &str =
    "This folder is written by capcat build and replaced by the next build.\n";

/// Why an output folder was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder is one capcat must never replace (exit code 2).
    #[error("refusing to write the site to {path}: {reason}")]
    Refused {
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Writing failed; the previous output is untouched.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Checks that `out` may be replaced: not the project root or above it, not
/// a source folder (`protected`), not a home directory or the filesystem
/// root, and, when it exists and is not empty, a previous capcat output.
pub fn check_out_dir(
    out: &Path,
    project_root: &Path,
    protected: &[PathBuf],
) -> Result<PathBuf, OutputError> {
    let abs = normalize(&std::path::absolute(out).map_err(|e| OutputError::Io {
        path: out.to_path_buf(),
        source: e,
    })?);
    let refuse = |reason: String| {
        Err(OutputError::Refused {
            path: out.to_path_buf(),
            reason,
        })
    };
    let root = normalize(project_root);
    if abs.parent().is_none() {
        return refuse("it is the filesystem root".into());
    }
    if root.starts_with(&abs) {
        return refuse("it is the project folder or one of its parents; choose a folder of its own, e.g. public/".into());
    }
    for home in home_dirs() {
        if abs == home || home.starts_with(&abs) {
            return refuse("it is a home directory".into());
        }
    }
    for p in protected {
        let p = normalize(p);
        if abs.starts_with(&p) || p.starts_with(&abs) {
            return refuse(format!(
                "it holds or lies inside a source folder ({})",
                p.display()
            ));
        }
    }
    if abs.is_file() {
        return refuse("it is a file".into());
    }
    if abs.is_dir()
        && !abs.join(MARKER).exists()
        && std::fs::read_dir(&abs)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return refuse(format!(
            "the folder is not empty and was not written by capcat (no {MARKER} file); empty it or choose another --out"
        ));
    }
    Ok(abs)
}

fn home_dirs() -> Vec<PathBuf> {
    let mut homes = vec![PathBuf::from("/root"), PathBuf::from("/home")];
    if let Some(h) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        homes.push(normalize(Path::new(&h)));
    }
    homes
}

/// Lexically removes `.` and `..` (the folder may not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes `files` into a folder beside `out`, then swaps it in. A failure
/// before the swap leaves the previous output as it was; where the platform
/// can exchange two folders in one step there is never a moment without a
/// complete site (docs/output.md). The folder written is the site before
/// the current one, kept as a spare and updated in place (only the files
/// whose bytes changed are written), or a fresh one; when the current site
/// already has every byte, nothing is written at all.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    write_site(out, files).map(|_| ())
}

/// [`write_atomic`], saying how many files were written and deleted.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<Updated, OutputError> {
    write_site_known(out, files, &[], &Digests::new())
}

/// [`write_site`], plus the files `kept` from the site now in `out` (linked
/// from there: see [`LiveSite`]), taking the SHA-256 of the files in
/// `known` from there instead of hashing their bytes again. Each must be
/// the digest of that file's bytes: the manifest says so, and the next
/// build trusts it.
pub fn write_site_known(
    out: &Path,
    files: &[OutputFile],
    kept: &[KeptFile],
    known: &Digests,
) -> Result<Updated, OutputError> {
    write_atomic_with::<dir_ops::Native>(out, files, kept, known)
}

/// The folder holding `out`, and `out`'s name when it is plain UTF-8.
fn parent_and_name(out: &Path) -> (&Path, Option<&str>) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    (parent, out.file_name().and_then(|n| n.to_str()))
}

/// Makes the spare of the site in `out` when there is none: a copy of it
/// made of hard links (folders made, files linked), which the next write
/// then updates in place. A build after a clean one runs it while it
/// renders, so that it does not make a whole second tree after rendering.
/// Anything amiss (no complete site of capcat's, a spare already there, an
/// error) leaves things as they were; a copy cut short is deleted, here or
/// by the next build. Says whether it made one.
pub fn make_spare(out: &Path) -> bool {
    make_spare_with::<dir_ops::Native>(out).is_some()
}

fn make_spare_with<D: DirOps>(out: &Path) -> Option<()> {
    let (parent_path, name) = parent_and_name(out);
    let parent = D::open(parent_path).ok()?;
    let names = TempNames::new(name?);
    if parent.kind(&names.spare).ok()? != Kind::Missing {
        return None;
    }
    let (live, manifest) = site_folder(&parent, &names.out)?;
    let staging = create_staging(&parent, &names.staging).ok()?;
    let files: Vec<KeptFile> = manifest
        .files
        .iter()
        .map(|(path, e)| KeptFile {
            path: path.clone(),
            size: e.size,
            digest: e.hash,
        })
        .collect();
    let items: Vec<Item<'_>> = files.iter().map(Item::Live).collect();
    // One thread of its own: the build's threads are rendering meanwhile.
    let linked = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .ok()
        .is_some_and(|pool| {
            pool.install(|| {
                incremental::write_files(&staging, &items, &manifest, false, Some((&live, None)))
                    .is_ok()
            })
        });
    let done = linked
        && incremental::write_manifest(&staging, &manifest).is_ok()
        && parent.holds(&names.staging, &staging)
        && parent
            .rename(&names.staging, &names.spare, Rename::NoReplace)
            .is_ok();
    if !done {
        drop(staging);
        remove_if_ours(&parent, &names.staging);
    }
    done.then_some(())
}

fn write_atomic_with<D: DirOps>(
    out: &Path,
    files: &[OutputFile],
    kept: &[KeptFile],
    known: &Digests,
) -> Result<Updated, OutputError> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    let (parent_path, name) = parent_and_name(out);
    let name = name.ok_or_else(|| {
        fail(out)(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output folder needs a plain UTF-8 name",
        ))
    })?;
    let mut sorted: Vec<Item<'_>> = files
        .iter()
        .map(Item::Bytes)
        .chain(kept.iter().map(Item::Live))
        .filter(|f| f.path() != MARKER && f.path() != MANIFEST)
        .collect();
    sorted.sort_by(|a, b| a.path().cmp(b.path()));
    let manifest = Manifest::of(&sorted, known);
    std::fs::create_dir_all(parent_path).map_err(fail(parent_path))?;
    let parent = D::open(parent_path).map_err(fail(parent_path))?;
    let names = TempNames::new(name);
    recover(&parent, &names);
    if live_is_current(&parent, &names, &manifest) {
        return Ok(Updated::default());
    }
    let staging_path = parent_path.join(&names.staging);
    let (staging, written) = match update_spare(&parent, &names, &sorted, &manifest) {
        Some(done) => done,
        None => {
            let staging = create_staging(&parent, &names.staging).map_err(fail(&staging_path))?;
            let live = site_folder(&parent, &names.out);
            let live = live.as_ref().map(|(dir, old)| (dir, Some(old)));
            let written = write_tree(&staging, &sorted, &manifest, &staging_path, live);
            let written = written.and_then(|n| {
                incremental::write_manifest(&staging, &manifest)
                    .map_err(fail(&staging_path.join(MANIFEST)))
                    .map(|()| n)
            });
            (
                staging,
                written.map(|n| Updated {
                    written: n,
                    removed: 0,
                }),
            )
        }
    };
    let result = written.and_then(|done| {
        swap_in(&parent, &staging, &names)
            .map(|()| done)
            .map_err(fail(out))
    });
    if result.is_err() && parent.holds(&names.staging, &staging) {
        drop(staging);
        remove_if_ours(&parent, &names.staging);
    }
    result
}

/// The complete site capcat wrote in an output folder, as its manifest
/// lists it: a build keeps the pages it would render the same from there
/// (the output then links them instead of writing them).
pub struct LiveSite {
    dir: dir_ops::Native,
    manifest: Manifest,
}

impl LiveSite {
    /// The site in `out`, when capcat wrote it and it is complete.
    pub fn open(out: &Path) -> Option<LiveSite> {
        let dir = dir_ops::Native::open(out).ok()?;
        if classify(&dir) != Mark::Ours {
            return None;
        }
        let manifest = Manifest::read(&dir)?;
        Some(LiveSite { dir, manifest })
    }

    /// Whether it holds the file at `path` with `size` bytes whose SHA-256
    /// is `digest`: the manifest lists it so and the file has that size (a
    /// file edited by hand usually changes size; see docs/output.md).
    pub fn holds(&self, path: &str, size: u64, digest: &[u8; 32]) -> bool {
        self.manifest
            .files
            .get(path)
            .is_some_and(|e| e.size == size && e.hash == *digest)
            && self.dir.file_len(path) == Some(size)
    }

    /// The bytes of the file at `path`, which the manifest must list (no
    /// more than the size it lists).
    pub fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let listed = self
            .manifest
            .files
            .get(path)
            .ok_or(io::ErrorKind::NotFound)?;
        relative_parts(path).ok_or(io::ErrorKind::InvalidInput)?;
        self.dir.read_file(path, listed.size)
    }
}

/// A digest of the site in the folder `out`: of its manifest, which lists
/// every file with its SHA-256. `None` when `out` is not a complete site
/// capcat wrote.
pub fn site_digest(out: &Path) -> Option<String> {
    let live = dir_ops::Native::open(out).ok()?;
    if classify(&live) != Mark::Ours {
        return None;
    }
    let bytes = live.read_file(MANIFEST, incremental::MANIFEST_LIMIT).ok()?;
    // The manifest is written last: one there means the folder is complete.
    Manifest::is_one(&bytes).then(|| incremental::digest(&bytes))
}

/// Whether the folder `out` still holds the site whose [`site_digest`] was
/// `digest`: same manifest, and every file listed there with its size.
pub fn holds_site(out: &Path, digest: &str) -> bool {
    let Ok(live) = dir_ops::Native::open(out) else {
        return false;
    };
    let Ok(bytes) = live.read_file(MANIFEST, incremental::MANIFEST_LIMIT) else {
        return false;
    };
    classify(&live) == Mark::Ours
        && incremental::digest(&bytes) == digest
        && Manifest::parse(&bytes).is_some_and(|m| m.matches_folder(&live))
}

/// Whether the output folder is capcat's and already holds exactly the
/// files of `manifest` (then the build writes nothing).
fn live_is_current<D: DirOps>(parent: &D, names: &TempNames, manifest: &Manifest) -> bool {
    // The same site has the same manifest, byte for byte: compared as bytes,
    // a changed site costs no parsing.
    let Some(expected) = manifest.to_bytes() else {
        return false;
    };
    parent.kind(&names.out).ok() == Some(Kind::Dir)
        && parent.open_child(&names.out).is_ok_and(|live| {
            classify(&live) == Mark::Ours
                && live
                    .read_file(MANIFEST, incremental::MANIFEST_LIMIT)
                    .is_ok_and(|bytes| bytes == expected)
                && manifest.matches_folder(&live)
        })
}

/// The folder `name` and its manifest, when capcat wrote it: the output
/// folder (whose files a build without a spare links instead of writing)
/// or the spare.
fn site_folder<D: DirOps>(parent: &D, name: &str) -> Option<(D, Manifest)> {
    if parent.kind(name).ok()? != Kind::Dir {
        return None;
    }
    let dir = parent.open_child(name).ok()?;
    if classify(&dir) != Mark::Ours {
        return None;
    }
    let manifest = Manifest::read(&dir)?;
    Some((dir, manifest))
}

/// Claims the spare folder (renamed to this build's staging name, so no
/// other build can take it) and updates it in place into the new site.
/// `None` when there is no usable spare or the update failed; the folder
/// is then deleted and the caller writes a fresh one.
fn update_spare<D: DirOps>(
    parent: &D,
    names: &TempNames,
    files: &[Item<'_>],
    manifest: &Manifest,
) -> Option<(D, Result<Updated, OutputError>)> {
    let (spare, old) = site_folder(parent, &names.spare)?;
    parent
        .rename(&names.spare, &names.staging, Rename::NoReplace)
        .ok()?;
    // Kept files are linked from the live site.
    let live = parent
        .open_child(&names.out)
        .ok()
        .filter(|d| classify(d) == Mark::Ours);
    let updated = parent
        .holds(&names.staging, &spare)
        .then(|| incremental::update_in_place(&spare, files, &old, manifest, live.as_ref()).ok())
        .flatten();
    match updated {
        Some(done) => Some((spare, Ok(done))),
        None => {
            drop(spare);
            remove_if_ours(parent, &names.staging);
            None
        }
    }
}

/// The names of capcat's temporary folders beside the output folder.
struct TempNames {
    out: String,
    /// Where this build writes: `.<name>.capcat-new-<pid>`.
    staging: String,
    /// Where the two-rename swap parks the previous site: `.<name>.capcat-old`.
    old: String,
    /// The site before the current one, kept for the next build to update
    /// in place: `.<name>.capcat-spare`.
    spare: String,
    staging_prefix: String,
}

impl TempNames {
    fn new(name: &str) -> TempNames {
        let staging_prefix = format!(".{name}.capcat-new-");
        TempNames {
            out: name.to_string(),
            staging: format!("{staging_prefix}{}", std::process::id()),
            old: format!(".{name}.capcat-old"),
            spare: format!(".{name}.capcat-spare"),
            staging_prefix,
        }
    }

    /// The process id in a staging folder's name.
    fn staging_pid(&self, entry: &str) -> Option<u32> {
        let digits = entry.strip_prefix(&self.staging_prefix)?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    }
}

/// Whether a folder was made by capcat.
#[derive(Debug, PartialEq, Eq)]
enum Mark {
    /// It holds the marker file with capcat's text.
    Ours,
    /// Nothing in it but, at most, a marker cut short: nothing to lose.
    Empty,
    /// Anything else: never deleted or adopted.
    Foreign,
}

fn classify<D: DirOps>(dir: &D) -> Mark {
    let text = MARKER_TEXT.as_bytes();
    let only_marker = || {
        dir.entries()
            .is_ok_and(|e| e.iter().all(|(name, _)| name == MARKER))
    };
    match dir.read_file(MARKER, text.len() as u64 + 1) {
        Ok(bytes) if bytes == text => Mark::Ours,
        Ok(bytes) if text.starts_with(&bytes) && only_marker() => Mark::Empty,
        Err(e) if e.kind() == io::ErrorKind::NotFound && only_marker() => Mark::Empty,
        _ => Mark::Foreign,
    }
}

/// Deletes the folder `name` if capcat made it (or it holds nothing);
/// returns whether it is gone. The marker goes last, so a deletion cut
/// short is still recognised as capcat's by the next build.
fn remove_if_ours<D: DirOps>(parent: &D, name: &str) -> bool {
    let Ok(dir) = parent.open_child(name) else {
        return false;
    };
    let emptied = match classify(&dir) {
        Mark::Ours => remove_contents(&dir, MARKER).is_ok(),
        Mark::Empty => true,
        Mark::Foreign => false,
    };
    let marker_gone = emptied
        && dir
            .remove_file(MARKER)
            .or_else(|e| match e.kind() {
                io::ErrorKind::NotFound => Ok(()),
                _ => Err(e),
            })
            .is_ok();
    drop(dir);
    marker_gone && parent.remove_dir(name).is_ok()
}

/// Removes everything in `dir` except the entry `keep`, without following
/// symlinks.
fn remove_contents<D: DirOps>(dir: &D, keep: &str) -> io::Result<()> {
    for (name, kind) in dir.entries()? {
        if name == keep {
            continue;
        }
        if kind == Kind::Dir {
            remove_contents(&dir.open_child(&name)?, "")?;
            dir.remove_dir(&name)?;
        } else {
            dir.remove_file(&name)?;
        }
    }
    Ok(())
}

/// Repairs what an interrupted earlier build left: a previous site parked
/// under the -old name goes back in place (or away, if a site is in place),
/// and staging folders of builds no longer running are deleted. Folders
/// capcat did not make are left alone.
fn recover<D: DirOps>(parent: &D, names: &TempNames) {
    if parent.kind(&names.old).ok() == Some(Kind::Dir) {
        let out_missing = parent.kind(&names.out).ok() == Some(Kind::Missing);
        let mark = parent.open_child(&names.old).map(|d| classify(&d));
        match mark {
            Ok(Mark::Ours) if out_missing => {
                let _ = parent.rename(&names.old, &names.out, Rename::NoReplace);
            }
            Ok(Mark::Ours | Mark::Empty) => {
                remove_if_ours(parent, &names.old);
            }
            _ => {}
        }
    }
    for (entry, kind) in parent.entries().unwrap_or_default() {
        let abandoned = names
            .staging_pid(&entry)
            .is_some_and(|pid| pid == std::process::id() || !process_alive(pid));
        if kind == Kind::Dir && abandoned {
            remove_if_ours(parent, &entry);
        }
    }
}

/// Without `/proc` a staging folder's build is taken as finished.
fn process_alive(pid: u32) -> bool {
    cfg!(any(target_os = "linux", target_os = "android"))
        && Path::new("/proc").join(pid.to_string()).exists()
}

fn in_the_way() -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        "a file or folder capcat did not create is in the way; move or delete it",
    )
}

/// Creates the staging folder — failing if anything, even a symlink, is
/// there — and marks it as capcat's before anything else goes in.
fn create_staging<D: DirOps>(parent: &D, name: &str) -> io::Result<D> {
    parent.create_child(name).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => in_the_way(),
        _ => e,
    })?;
    let dir = parent.open_child(name)?;
    dir.create_file(MARKER, true)?
        .write_all(MARKER_TEXT.as_bytes())?;
    Ok(dir)
}

/// Writes every file below `staging` (sorted by path), through folder
/// handles opened from it; files the `live` site already has are linked
/// from it. Says how many files were written.
fn write_tree<D: DirOps>(
    staging: &D,
    sorted: &[Item<'_>],
    manifest: &Manifest,
    staging_path: &Path,
    live: Option<(&D, Option<&Manifest>)>,
) -> Result<usize, OutputError> {
    incremental::write_files(staging, sorted, manifest, false, live).map_err(|(path, source)| {
        OutputError::Io {
            path: staging_path.join(path),
            source,
        }
    })
}

/// Puts the written staging folder in place of the output folder.
fn swap_in<D: DirOps>(parent: &D, staging: &D, names: &TempNames) -> io::Result<()> {
    let replaced =
        || io::Error::other("the staging folder was replaced by something else during the build");
    if !parent.holds(&names.staging, staging) {
        return Err(replaced());
    }
    if parent.kind(&names.out)? == Kind::Missing {
        match parent.rename(&names.staging, &names.out, Rename::NoReplace) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            done => return done,
        }
    }
    check_replaceable(parent, &names.out)?;
    match parent.rename(&names.staging, &names.out, Rename::Exchange) {
        Ok(()) if parent.holds(&names.out, staging) => {
            keep_as_spare(parent, &names.staging, names);
            Ok(())
        }
        Ok(()) => {
            let _ = parent.rename(&names.staging, &names.out, Rename::Exchange);
            Err(replaced())
        }
        Err(e) if e.kind() == io::ErrorKind::Unsupported => swap_by_two_renames(parent, names),
        Err(e) => Err(e),
    }
}

/// The output folder may be replaced: a symlink (the link goes, not what it
/// points to), or a folder capcat wrote or that is empty.
fn check_replaceable<D: DirOps>(parent: &D, name: &str) -> io::Result<()> {
    match parent.kind(name)? {
        Kind::Symlink => Ok(()),
        Kind::Dir if classify(&parent.open_child(name)?) != Mark::Foreign => Ok(()),
        Kind::Dir => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("the folder is not empty and was not written by capcat (no {MARKER} file)"),
        )),
        Kind::Other => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "a file is in the way of the output folder",
        )),
        Kind::Missing => Err(io::ErrorKind::NotFound.into()),
    }
}

/// Where folders cannot be exchanged: the previous site is parked under the
/// -old name, the new one renamed in, the old one deleted. A build killed
/// between the two renames leaves no output folder until the next build
/// puts the parked site back.
fn swap_by_two_renames<D: DirOps>(parent: &D, names: &TempNames) -> io::Result<()> {
    match parent.kind(&names.old)? {
        Kind::Missing => {}
        Kind::Dir if remove_if_ours(parent, &names.old) => {}
        _ => return Err(in_the_way()),
    }
    parent.rename(&names.out, &names.old, Rename::NoReplace)?;
    if let Err(e) = parent.rename(&names.staging, &names.out, Rename::NoReplace) {
        let _ = parent.rename(&names.old, &names.out, Rename::NoReplace);
        return Err(e);
    }
    keep_as_spare(parent, &names.old, names);
    Ok(())
}

/// Keeps the replaced site, when capcat wrote it with a manifest, as the
/// spare the next build updates in place; otherwise deletes it.
fn keep_as_spare<D: DirOps>(parent: &D, from: &str, names: &TempNames) {
    let ours = parent.kind(from).ok() == Some(Kind::Dir)
        && parent.open_child(from).is_ok_and(|d| {
            classify(&d) == Mark::Ours && d.kind(MANIFEST).ok() == Some(Kind::Other)
        });
    if ours {
        if parent.kind(&names.spare).ok() == Some(Kind::Dir) {
            remove_if_ours(parent, &names.spare);
        }
        if parent.rename(from, &names.spare, Rename::NoReplace).is_ok() {
            return;
        }
    }
    remove_previous(parent, from);
}

/// Deletes the replaced output: a symlink itself, or a folder capcat made.
fn remove_previous<D: DirOps>(parent: &D, name: &str) {
    match parent.kind(name) {
        Ok(Kind::Symlink) => {
            let _ = parent.remove_file(name);
        }
        Ok(Kind::Dir) => {
            remove_if_ours(parent, name);
        }
        _ => {}
    }
}

/// The components of `rel` when it is a plain relative path (no `..`, no
/// root, not empty).
fn relative_parts(rel: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            std::path::Component::Normal(p) => parts.push(p.to_str()?),
            _ => return None,
        }
    }
    (!parts.is_empty()).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_folders() {
        let root = Path::new("/work/project");
        let protected = [root.join("content")];
        assert!(check_out_dir(Path::new("/work/project"), root, &protected).is_err());
        assert!(check_out_dir(Path::new("/work"), root, &protected).is_err());
        assert!(check_out_dir(Path::new("/work/project/content"), root, &protected).is_err());
        assert!(check_out_dir(Path::new("/work/project/content/x"), root, &protected).is_err());
        assert!(check_out_dir(Path::new("/"), root, &protected).is_err());
        assert!(check_out_dir(Path::new("/root"), root, &protected).is_err());
        assert!(
            check_out_dir(
                Path::new("/work/project/public/../content"),
                root,
                &protected
            )
            .is_err()
        );
        assert!(check_out_dir(Path::new("/work/project/public"), root, &protected).is_ok());
    }

    #[test]
    fn swaps_and_keeps_marker() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[OutputFile::text("a/index.html", "one")]).unwrap();
        write_atomic(&out, &[OutputFile::text("b.txt", "two")]).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "two");
        assert!(out.join(MARKER).exists());
        let mut names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".public.capcat-spare", "public"],
            "no staging folder left, the previous site kept as the spare"
        );
    }

    /// (inode, modification time) of every file: what a rewrite changes.
    #[cfg(unix)]
    fn identities(dir: &Path) -> std::collections::BTreeMap<String, (u64, i64, i64)> {
        use std::os::unix::fs::MetadataExt;
        tree(dir)
            .into_keys()
            .map(|rel| {
                let m = std::fs::metadata(dir.join(&rel)).unwrap();
                (rel, (m.ino(), m.mtime(), m.mtime_nsec()))
            })
            .collect()
    }

    /// A rebuild writes only the files whose bytes changed, deletes only
    /// the files that are gone, and a rebuild without change writes nothing.
    #[cfg(unix)]
    #[test]
    fn rebuilds_write_only_what_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let a = site(50, "a");
        let mut b = site(50, "a");
        b[7] = OutputFile::text("capabilities/c7/index.html", "changed");
        b.pop();
        b.push(OutputFile::text("new/page.html", "new"));
        assert_eq!(write_site(&out, &a).unwrap().written, 50);
        let first = identities(&out);
        assert_eq!(write_site(&out, &a).unwrap(), Updated::default());
        assert_eq!(identities(&out), first, "a no-change rebuild touched files");

        // The spare is empty-handed after the first build: a fresh folder.
        write_site(&out, &b).unwrap();
        // Now the spare is the first site: only the differences are written.
        let back = write_site(&out, &a).unwrap();
        assert_eq!(back, Updated::default(), "the spare already was this site");
        assert_eq!(
            identities(&out),
            first,
            "the first site's files were rewritten"
        );
        let again = write_site(&out, &b).unwrap();
        assert_eq!(again, Updated::default());
        let to_a = write_site(&out, &a).unwrap();
        assert_eq!(to_a, Updated::default());

        let mut c = a.clone();
        c[3] = OutputFile::text("capabilities/c3/index.html", "third");
        let before = identities(&out);
        let folder = || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&out).unwrap());
        let live_folder = folder();
        // The spare holds b: c3 changes, c7 and c49 come back, new/page.html goes.
        let done = write_site(&out, &c).unwrap();
        assert_eq!(
            done,
            Updated {
                written: 3,
                removed: 1
            }
        );
        assert_eq!(tree(&out).len(), 52);
        assert!(!out.join("new").exists(), "the folder only b had is gone");
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c3/index.html")).unwrap(),
            "third"
        );
        let after = identities(&out);
        assert_ne!(folder(), live_folder, "the live folder became the spare");
        assert_ne!(
            after["capabilities/c3/index.html"],
            before["capabilities/c3/index.html"]
        );
    }

    /// Without a spare, a rebuild links the files the live site already has
    /// and writes only the others; the live site, now the spare, keeps its
    /// bytes.
    #[cfg(unix)]
    #[test]
    fn without_a_spare_unchanged_files_are_linked_from_the_live_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let a: Vec<OutputFile> = (0..40)
            .map(|i| OutputFile::text(format!("capabilities/c{i}/index.html"), format!("page {i}")))
            .collect();
        let mut b = a.clone();
        b[5] = OutputFile::text("capabilities/c5/index.html", "changed");
        b.push(OutputFile::text("new.html", "new"));
        write_site(&out, &a).unwrap();
        let first = identities(&out);
        let done = write_site(&out, &b).unwrap();
        assert_eq!(done.written, 2, "only the changed and the new file");
        let now = identities(&out);
        let linked = first
            .iter()
            .filter(|(p, id)| now.get(*p) == Some(*id))
            .count();
        assert_eq!(linked, 39);
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c5/index.html")).unwrap(),
            "changed"
        );
        // The spare (the first site) is updated back in place; the live
        // files it shares keep their bytes.
        write_site(&out, &a).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c5/index.html")).unwrap(),
            "page 5"
        );
        write_site(&out, &b).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c5/index.html")).unwrap(),
            "changed"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("new.html")).unwrap(),
            "new"
        );
    }

    /// A spare made while a build renders is the live site in links; the
    /// write then updates it in place, and the live files keep their bytes.
    /// With a spare there, or no site, none is made.
    #[cfg(unix)]
    #[test]
    fn a_spare_made_ahead_is_the_live_site_in_links_and_is_updated() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        assert!(!make_spare(&out), "no site, no spare");
        let a = site(30, "page");
        let mut b = a.clone();
        b[3] = OutputFile::text("capabilities/c3/index.html", "changed");
        write_site(&out, &a).unwrap();
        // The site's files, not its marker and manifest.
        let pages = |dir: &Path| {
            let mut ids = identities(dir);
            ids.retain(|p, _| p.starts_with("capabilities/"));
            ids
        };
        let live = pages(&out);
        assert!(make_spare(&out));
        let spare_path = tmp.path().join(".public.capcat-spare");
        assert_eq!(pages(&spare_path), live, "the same files, linked");
        assert_eq!(tree(&spare_path), tree(&out));
        assert!(!make_spare(&out), "a spare is there already");
        let done = write_site(&out, &b).unwrap();
        assert_eq!(
            (done.written, done.removed),
            (1, 0),
            "the spare was updated"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c3/index.html")).unwrap(),
            "changed"
        );
        assert_eq!(
            std::fs::read_to_string(spare_path.join("capabilities/c3/index.html")).unwrap(),
            "page 3",
            "the site before keeps its bytes"
        );
    }

    /// A file of the spare edited by hand (another size) or deleted is
    /// written again; one swapped for a symlink is replaced, its target
    /// left alone.
    #[cfg(unix)]
    #[test]
    #[cfg(unix)]
    fn identical_files_of_a_folder_share_one_inode_and_part_when_one_changes() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let badge = |id: usize, status: &str| OutputFile::text(format!("badges/c{id}.svg"), status);
        let mut a: Vec<OutputFile> = (0..6).map(|i| badge(i, "available")).collect();
        a.push(OutputFile::text("other/c0.svg", "available"));
        let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let text = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
        write_site(&out, &a).unwrap();
        assert!((1..6).all(|i| inode(&format!("badges/c{i}.svg")) == inode("badges/c0.svg")));
        assert_ne!(
            inode("other/c0.svg"),
            inode("badges/c0.svg"),
            "only within a folder"
        );
        // Twice, so the spare (the first site) is updated in place too.
        for _ in 0..2 {
            let mut b = a.clone();
            b[2] = badge(2, "beta");
            b.push(badge(9, "available"));
            write_site(&out, &b).unwrap();
            write_site(&out, &a).unwrap();
            write_site(&out, &b).unwrap();
            assert_eq!(text("badges/c2.svg"), "beta");
            assert!(
                [0, 1, 3, 4, 5, 9]
                    .iter()
                    .all(|i| text(&format!("badges/c{i}.svg")) == "available")
            );
        }
        write_site(&out, &a).unwrap();
        assert!((0..6).all(|i| text(&format!("badges/c{i}.svg")) == "available"));
    }

    #[test]
    fn spare_files_changed_by_hand_are_written_again() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let victim = tmp.path().join("victim.txt");
        std::fs::write(&victim, "mine").unwrap();
        let a = site(5, "a");
        let b = site(5, "b");
        write_site(&out, &a).unwrap();
        write_site(&out, &b).unwrap();
        let spare = tmp.path().join(".public.capcat-spare");
        std::fs::write(spare.join("capabilities/c1/index.html"), "edited!").unwrap();
        std::fs::remove_file(spare.join("capabilities/c2/index.html")).unwrap();
        std::fs::remove_file(spare.join("capabilities/c3/index.html")).unwrap();
        std::os::unix::fs::symlink(&victim, spare.join("capabilities/c3/index.html")).unwrap();
        let done = write_site(&out, &a).unwrap();
        assert_eq!(done.written, 3);
        let mut want = tree(&out);
        want.remove(MANIFEST);
        let fresh = tmp.path().join("fresh");
        write_site(&fresh, &a).unwrap();
        let mut fresh_tree = tree(&fresh);
        fresh_tree.remove(MANIFEST);
        assert_eq!(want, fresh_tree);
        assert_eq!(
            std::fs::read(out.join(MANIFEST)).unwrap(),
            std::fs::read(fresh.join(MANIFEST)).unwrap()
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
    }

    fn site(n: usize, tag: &str) -> Vec<OutputFile> {
        (0..n)
            .map(|i| {
                OutputFile::text(
                    format!("capabilities/c{i}/index.html"),
                    format!("{tag} {i}"),
                )
            })
            .collect()
    }

    fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// A folder swapped for a symlink while the site is being written must
    /// not receive a single file.
    #[cfg(unix)]
    #[test]
    fn staging_folder_replaced_by_a_symlink_mid_write_writes_nothing_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let victim = tmp.path().join("victim");
        std::fs::create_dir(&victim).unwrap();
        std::fs::write(victim.join("keep.txt"), "mine").unwrap();
        write_atomic(&out, &site(3, "old")).unwrap();
        let before = tree(&out);
        let staging = tmp
            .path()
            .join(format!(".public.capcat-new-{}", std::process::id()));
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let attacker = {
            let (done, staging, victim) = (done.clone(), staging.clone(), victim.clone());
            let moved = tmp.path().join("moved");
            std::thread::spawn(move || {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let is_dir = std::fs::symlink_metadata(&staging).is_ok_and(|m| m.is_dir());
                    if is_dir {
                        // Swap in one step, so the folder is never missing.
                        std::os::unix::fs::symlink(&victim, &moved).unwrap();
                        let cwd = rustix::fs::CWD;
                        let exchange = rustix::fs::RenameFlags::EXCHANGE;
                        if rustix::fs::renameat_with(cwd, &moved, cwd, &staging, exchange).is_ok() {
                            return true;
                        }
                        std::fs::remove_file(&moved).unwrap();
                    }
                }
                false
            })
        };
        let flat: Vec<_> = (0..4000)
            .map(|i| OutputFile::text(format!("p{i}.html"), "new"))
            .collect();
        let result = write_atomic(&out, &flat);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let swapped = attacker.join().unwrap();
        assert!(swapped, "the attacker thread never saw the staging folder");
        let names: Vec<_> = std::fs::read_dir(&victim)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            ["keep.txt"],
            "files were written outside the staging folder"
        );
        assert!(!std::fs::symlink_metadata(&out).unwrap().is_symlink());
        let now = tree(&out);
        assert!(
            now == before || (result.is_ok() && now.len() == 4001),
            "output is neither the old nor the new site"
        );
    }

    /// A symlink already sitting at the staging name is never followed.
    #[cfg(unix)]
    #[test]
    fn planted_symlink_at_the_staging_name_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let victim = tmp.path().join("victim");
        std::fs::create_dir(&victim).unwrap();
        let staging = tmp
            .path()
            .join(format!(".public.capcat-new-{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &staging).unwrap();
        let result = write_atomic(&out, &site(3, "new"));
        assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 0);
        if result.is_ok() {
            assert_eq!(tree(&out).len(), 4);
            assert!(!std::fs::symlink_metadata(&out).unwrap().is_symlink());
        }
    }

    /// A reader polling the output folder during swaps always finds it.
    #[test]
    fn output_folder_never_disappears_during_swaps() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &site(1, "0")).unwrap();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let poller = {
            let (done, out) = (done.clone(), out.clone());
            std::thread::spawn(move || {
                let mut missing = 0usize;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if std::fs::symlink_metadata(&out).is_err() {
                        missing += 1;
                    }
                }
                missing
            })
        };
        for i in 0..400 {
            write_atomic(&out, &site(1, &i.to_string())).unwrap();
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            poller.join().unwrap(),
            0,
            "the output folder was missing during a swap"
        );
    }

    /// Folders that merely carry capcat's temporary names are not deleted
    /// or adopted.
    #[test]
    fn foreign_folders_with_temp_names_are_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let old = tmp.path().join(".site.capcat-old");
        let dead = tmp.path().join(".site.capcat-new-999999");
        for d in [&old, &dead] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("notes.txt"), "not capcat's").unwrap();
        }
        write_atomic(&out, &site(2, "first")).unwrap();
        write_atomic(&out, &site(2, "second")).unwrap();
        for d in [&old, &dead] {
            assert_eq!(
                std::fs::read_to_string(d.join("notes.txt")).unwrap(),
                "not capcat's",
                "{}",
                d.display()
            );
        }
        assert!(
            !out.join("notes.txt").exists(),
            "a foreign -old folder was adopted as the output"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c1/index.html")).unwrap(),
            "second 1"
        );
    }

    /// A foreign folder at this process's own staging name stops the build
    /// with a clear error instead of being emptied.
    #[test]
    fn foreign_folder_at_the_own_staging_name_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let mine = tmp
            .path()
            .join(format!(".site.capcat-new-{}", std::process::id()));
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "not capcat's").unwrap();
        let err = write_atomic(&out, &site(2, "x")).unwrap_err().to_string();
        assert!(err.contains("did not create"), "{err}");
        assert_eq!(
            std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
            "not capcat's"
        );
        assert!(!out.exists());
    }

    /// Leftovers of killed builds (marked by capcat) are cleaned up, and a
    /// previous site left under the -old name is put back.
    #[test]
    fn marked_leftovers_of_killed_builds_are_recovered() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_atomic(&out, &site(2, "old")).unwrap();
        let old = tmp.path().join(".site.capcat-old");
        std::fs::rename(&out, &old).unwrap();
        let dead = tmp.path().join(".site.capcat-new-999999");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::create_dir_all(dead.join("capabilities/half")).unwrap();
        write_atomic(&out, &site(2, "new")).unwrap();
        assert!(!dead.exists() && !old.exists());
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c0/index.html")).unwrap(),
            "new 0"
        );
    }

    /// Where folders cannot be exchanged, the two-rename swap still
    /// replaces the site, respects foreign folders and is repaired after a
    /// build killed between its renames.
    #[test]
    fn two_rename_fallback_swaps_and_recovers() {
        use dir_ops::PathDir;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write_atomic_with::<PathDir>(&out, &site(2, "one"), &[], &Digests::new()).unwrap();
        write_atomic_with::<PathDir>(&out, &site(3, "two"), &[], &Digests::new()).unwrap();
        assert_eq!(tree(&out).len(), 5);
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            2,
            "nothing left beside the site but the spare"
        );

        // Killed between the renames: the site is parked under -old.
        let old = tmp.path().join(".site.capcat-old");
        std::fs::rename(&out, &old).unwrap();
        write_atomic_with::<PathDir>(&out, &site(1, "three"), &[], &Digests::new()).unwrap();
        assert!(!old.exists());
        assert_eq!(tree(&out).len(), 3);

        // A foreign -old folder blocks the fallback swap instead of being deleted.
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("notes.txt"), "mine").unwrap();
        let err =
            write_atomic_with::<PathDir>(&out, &site(1, "four"), &[], &Digests::new()).unwrap_err();
        assert!(err.to_string().contains("did not create"), "{err}");
        assert_eq!(
            std::fs::read_to_string(old.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("capabilities/c0/index.html")).unwrap(),
            "three 0"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            2,
            "staging folder cleaned up"
        );
    }

    /// A folder with a marker that is not capcat's, or a half-written one
    /// beside other files, is foreign; an empty folder or a cut-short marker
    /// alone is not worth keeping.
    #[test]
    fn marks_are_recognised_strictly() {
        use dir_ops::Native;
        let tmp = tempfile::tempdir().unwrap();
        let mark = |files: &[(&str, &str)]| {
            let d = tempfile::tempdir_in(tmp.path()).unwrap();
            for (name, text) in files {
                std::fs::write(d.path().join(name), text).unwrap();
            }
            classify(&Native::open(d.path()).unwrap())
        };
        assert_eq!(mark(&[(MARKER, MARKER_TEXT)]), Mark::Ours);
        assert_eq!(mark(&[(MARKER, MARKER_TEXT), ("a.html", "x")]), Mark::Ours);
        assert_eq!(mark(&[]), Mark::Empty);
        assert_eq!(mark(&[(MARKER, "")]), Mark::Empty);
        assert_eq!(mark(&[(MARKER, &MARKER_TEXT[..10])]), Mark::Empty);
        assert_eq!(mark(&[(MARKER, "")]), Mark::Empty);
        assert_eq!(mark(&[(MARKER, ""), ("a.html", "x")]), Mark::Foreign);
        assert_eq!(mark(&[(MARKER, "hand made\n")]), Mark::Foreign);
        assert_eq!(mark(&[("a.html", "x")]), Mark::Foreign);
    }

    /// An output folder that is a symlink is replaced by a real folder; the
    /// folder it pointed to is not touched.
    #[cfg(unix)]
    #[test]
    fn symlinked_output_is_replaced_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("elsewhere");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep.txt"), "mine").unwrap();
        let out = tmp.path().join("site");
        std::os::unix::fs::symlink(&target, &out).unwrap();
        write_atomic(&out, &site(1, "x")).unwrap();
        assert!(std::fs::symlink_metadata(&out).unwrap().is_dir());
        assert_eq!(tree(&target).len(), 1);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(relative_parts("../x").is_none());
        assert!(relative_parts("/etc/x").is_none());
        assert!(relative_parts("").is_none());
        assert_eq!(relative_parts("a/b.html").unwrap(), ["a", "b.html"]);
    }
}
