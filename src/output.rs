//! Atomic write of the rendered site (docs/output.md, "Guarantees").

use crate::render::OutputFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the file that marks a folder as capcat's output, so a later build
/// may replace it.
pub const MARKER: &str = ".capcat-output";

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

/// Writes `files` into a fresh folder beside `out`, then swaps it in. A
/// failure before the swap leaves the previous output as it was.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    recover_interrupted_swap(parent, &name, out);
    let staging = parent.join(format!(".{name}.capcat-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let written = write_all(&staging, files);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let old = parent.join(format!(".{name}.capcat-old"));
    let _ = std::fs::remove_dir_all(&old);
    if out.exists() {
        std::fs::rename(out, &old).map_err(io(out))?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        });
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// A build killed between the two renames leaves the previous site under
/// its `-old` name: put it back, and drop staging folders of dead builds.
fn recover_interrupted_swap(parent: &Path, name: &str, out: &Path) {
    let old = parent.join(format!(".{name}.capcat-old"));
    if !out.exists() && old.is_dir() {
        let _ = std::fs::rename(&old, out);
    }
    let prefix = format!(".{name}.capcat-new-");
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let file_name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = file_name.strip_prefix(&prefix)
                && !Path::new(&format!("/proc/{pid}")).exists()
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|e| OutputError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let marker = [OutputFile::text(
        MARKER,
        "This folder is written by capcat build and replaced by the next build.\n",
    )];
    for f in files.iter().chain(marker.iter()) {
        let path = safe_join(dir, &f.path).ok_or_else(|| OutputError::Io {
            path: PathBuf::from(&f.path),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "output path escapes the output folder",
            ),
        })?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| OutputError::Io {
                path: p.to_path_buf(),
                source: e,
            })?;
        }
        let mut file = std::fs::File::create(&path).map_err(|e| OutputError::Io {
            path: path.clone(),
            source: e,
        })?;
        file.write_all(&f.bytes).map_err(|e| OutputError::Io {
            path: path.clone(),
            source: e,
        })?;
    }
    Ok(())
}

/// `dir/rel` when `rel` is a plain relative path (no `..`, no root).
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    rel.components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
        .then(|| dir.join(rel))
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
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no staging folder left: {names:?}");
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(safe_join(Path::new("/o"), "../x").is_none());
        assert!(safe_join(Path::new("/o"), "/etc/x").is_none());
        assert!(safe_join(Path::new("/o"), "a/b.html").is_some());
    }
}
