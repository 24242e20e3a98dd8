//! Folder operations relative to an opened folder, for the atomic write.
//!
//! [`Native`] works through directory handles on Unix (`openat`, `mkdirat`,
//! `O_NOFOLLOW`, `renameat2`), so a folder swapped for a symlink by someone
//! else while the site is written can never redirect a write. [`PathDir`]
//! does the same with plain paths for other platforms (and for tests of the
//! two-rename fallback).

use std::fs::File;
use std::io;
use std::path::Path;

/// What a name inside a folder refers to, without following symlinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Nothing there.
    Missing,
    /// A real folder.
    Dir,
    /// A symbolic link (to anything).
    Symlink,
    /// A file or anything else.
    Other,
}

/// How [`DirOps::rename`] treats the target name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rename {
    /// Fail with `AlreadyExists` if the target exists.
    NoReplace,
    /// Swap the two names in one step; `Unsupported` where the platform or
    /// file system has no such operation.
    Exchange,
}

/// An opened folder and what the atomic write does inside it. Shared
/// between the threads that write a site's files.
pub(super) trait DirOps: Sized + Sync {
    /// Opens the folder at `path` (symlinks in `path` are followed: it is
    /// the folder the user chose).
    fn open(path: &Path) -> io::Result<Self>;
    /// Opens the sub-folder `name`; fails if it is a symlink.
    fn open_child(&self, name: &str) -> io::Result<Self>;
    /// Creates the sub-folder `name`; fails if anything exists there.
    fn create_child(&self, name: &str) -> io::Result<()>;
    /// What `name` is, without following a symlink.
    fn kind(&self, name: &str) -> io::Result<Kind>;
    /// Opens the file `name` for writing, never through a symlink; `new`
    /// fails if it exists, otherwise it is truncated.
    fn create_file(&self, name: &str, new: bool) -> io::Result<File>;
    /// Up to `limit` bytes of the regular file `name` (not through a symlink).
    fn read_file(&self, name: &str, limit: u64) -> io::Result<Vec<u8>>;
    /// The size of the regular file at the relative path `rel` (`a/b.html`);
    /// `None` when it is missing, a symlink or not a regular file.
    fn file_len(&self, rel: &str) -> Option<u64>;
    /// The entries of this folder (not `.` and `..`); names that are not
    /// UTF-8 are skipped.
    fn entries(&self) -> io::Result<Vec<(String, Kind)>>;
    /// Makes `to` a hard link to the file `from`, both in this folder;
    /// fails if `to` exists.
    fn link_file(&self, from: &str, to: &str) -> io::Result<()>;
    /// Makes `to` in this folder a hard link to the file `from` of the
    /// folder `src`; fails if `to` exists.
    fn link_from(&self, src: &Self, from: &str, to: &str) -> io::Result<()>;
    /// Removes the file or symlink `name`.
    fn remove_file(&self, name: &str) -> io::Result<()>;
    /// Removes the empty sub-folder `name`.
    fn remove_dir(&self, name: &str) -> io::Result<()>;
    /// Whether `name` in this folder is the folder `child` was opened on.
    fn holds(&self, name: &str, child: &Self) -> bool;
    /// Renames `from` to `to`, both in this folder.
    fn rename(&self, from: &str, to: &str, how: Rename) -> io::Result<()>;
}

/// The implementation for this platform.
#[cfg(unix)]
pub(super) type Native = unix::FdDir;
/// The implementation for this platform.
#[cfg(not(unix))]
pub(super) type Native = PathDir;

fn unsupported() -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        "exchanging two folders is not supported here",
    )
}

#[cfg(unix)]
mod unix {
    use super::{DirOps, Kind, Rename};
    use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
    use rustix::io::Errno;
    use std::fs::File;
    use std::io::{self, Read};
    use std::os::fd::OwnedFd;
    use std::path::Path;

    /// A folder opened as a file descriptor; every operation is relative to it.
    pub struct FdDir {
        fd: OwnedFd,
    }

    const DIR_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::CLOEXEC);

    fn kind_of(t: FileType) -> Kind {
        match t {
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Symlink,
            _ => Kind::Other,
        }
    }

    impl DirOps for FdDir {
        fn open(path: &Path) -> io::Result<Self> {
            let fd = rustix::fs::openat(CWD, path, DIR_FLAGS, Mode::empty())?;
            Ok(FdDir { fd })
        }

        fn open_child(&self, name: &str) -> io::Result<Self> {
            let flags = DIR_FLAGS | OFlags::NOFOLLOW;
            let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
            Ok(FdDir { fd })
        }

        fn create_child(&self, name: &str) -> io::Result<()> {
            Ok(rustix::fs::mkdirat(
                &self.fd,
                name,
                Mode::from_raw_mode(0o777),
            )?)
        }

        fn kind(&self, name: &str) -> io::Result<Kind> {
            match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => Ok(kind_of(FileType::from_raw_mode(st.st_mode))),
                Err(Errno::NOENT) => Ok(Kind::Missing),
                Err(e) => Err(e.into()),
            }
        }

        fn create_file(&self, name: &str, new: bool) -> io::Result<File> {
            let mode = if new { OFlags::EXCL } else { OFlags::TRUNC };
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC | mode;
            let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666))?;
            Ok(File::from(fd))
        }

        fn read_file(&self, name: &str, limit: u64) -> io::Result<Vec<u8>> {
            // NONBLOCK: a FIFO planted under this name must not hang the build.
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
            if FileType::from_raw_mode(rustix::fs::fstat(&fd)?.st_mode) != FileType::RegularFile {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "not a regular file",
                ));
            }
            let mut bytes = Vec::new();
            File::from(fd).take(limit).read_to_end(&mut bytes)?;
            Ok(bytes)
        }

        fn file_len(&self, rel: &str) -> Option<u64> {
            let st = rustix::fs::statat(&self.fd, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            (FileType::from_raw_mode(st.st_mode) == FileType::RegularFile)
                .then_some(st.st_size as u64)
        }

        fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
            let mut dir = rustix::fs::Dir::read_from(&self.fd)?;
            let mut out = Vec::new();
            while let Some(entry) = dir.read() {
                let entry = entry?;
                let Ok(name) = entry.file_name().to_str() else {
                    continue;
                };
                if name == "." || name == ".." {
                    continue;
                }
                let kind = match entry.file_type() {
                    FileType::Unknown => self.kind(name)?,
                    t => kind_of(t),
                };
                out.push((name.to_string(), kind));
            }
            Ok(out)
        }

        fn link_file(&self, from: &str, to: &str) -> io::Result<()> {
            // No AT_SYMLINK_FOLLOW: a symlink at `from` is linked, never
            // what it points to.
            Ok(rustix::fs::linkat(
                &self.fd,
                from,
                &self.fd,
                to,
                AtFlags::empty(),
            )?)
        }

        fn link_from(&self, src: &Self, from: &str, to: &str) -> io::Result<()> {
            Ok(rustix::fs::linkat(
                &src.fd,
                from,
                &self.fd,
                to,
                AtFlags::empty(),
            )?)
        }

        fn remove_file(&self, name: &str) -> io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::empty())?)
        }

        fn remove_dir(&self, name: &str) -> io::Result<()> {
            Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR)?)
        }

        fn holds(&self, name: &str, child: &Self) -> bool {
            let here = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW);
            match (here, rustix::fs::fstat(&child.fd)) {
                (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
                _ => false,
            }
        }

        fn rename(&self, from: &str, to: &str, how: Rename) -> io::Result<()> {
            rename_with(self, from, to, how)
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    fn rename_with(dir: &FdDir, from: &str, to: &str, how: Rename) -> io::Result<()> {
        use rustix::fs::RenameFlags;
        let flags = match how {
            Rename::NoReplace => RenameFlags::NOREPLACE,
            Rename::Exchange => RenameFlags::EXCHANGE,
        };
        match rustix::fs::renameat_with(&dir.fd, from, &dir.fd, to, flags) {
            Ok(()) => Ok(()),
            // The kernel or the file system does not know the flag.
            Err(e)
                if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::OPNOTSUPP].contains(&e) =>
            {
                match how {
                    Rename::NoReplace => rename_checked(dir, from, to),
                    Rename::Exchange => Err(super::unsupported()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
    fn rename_with(dir: &FdDir, from: &str, to: &str, how: Rename) -> io::Result<()> {
        match how {
            Rename::NoReplace => rename_checked(dir, from, to),
            Rename::Exchange => Err(super::unsupported()),
        }
    }

    /// A rename that refuses an existing target (checked just before).
    fn rename_checked(dir: &FdDir, from: &str, to: &str) -> io::Result<()> {
        if dir.kind(to)? != Kind::Missing {
            return Err(Errno::EXIST.into());
        }
        Ok(rustix::fs::renameat(&dir.fd, from, &dir.fd, to)?)
    }
}

/// Path-based folder operations: the fallback where folders cannot be
/// opened as handles. Symlinks are refused by checking just before use.
#[cfg_attr(unix, allow(dead_code))]
pub(super) struct PathDir {
    path: std::path::PathBuf,
}

impl DirOps for PathDir {
    fn open(path: &Path) -> io::Result<Self> {
        if !std::fs::metadata(path)?.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "not a folder"));
        }
        Ok(PathDir {
            path: path.to_path_buf(),
        })
    }

    fn open_child(&self, name: &str) -> io::Result<Self> {
        match self.kind(name)? {
            Kind::Dir => Ok(PathDir {
                path: self.path.join(name),
            }),
            Kind::Missing => Err(io::ErrorKind::NotFound.into()),
            _ => Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "not a folder (or a symlink)",
            )),
        }
    }

    fn create_child(&self, name: &str) -> io::Result<()> {
        std::fs::create_dir(self.path.join(name))
    }

    fn kind(&self, name: &str) -> io::Result<Kind> {
        match std::fs::symlink_metadata(self.path.join(name)) {
            Ok(m) if m.file_type().is_symlink() => Ok(Kind::Symlink),
            Ok(m) if m.is_dir() => Ok(Kind::Dir),
            Ok(_) => Ok(Kind::Other),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
            Err(e) => Err(e),
        }
    }

    fn create_file(&self, name: &str, new: bool) -> io::Result<File> {
        if self.kind(name)? == Kind::Symlink {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "a symlink"));
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true);
        if new {
            options.create_new(true);
        } else {
            options.create(true).truncate(true);
        }
        options.open(self.path.join(name))
    }

    fn read_file(&self, name: &str, limit: u64) -> io::Result<Vec<u8>> {
        use std::io::Read;
        if self.kind(name)? != Kind::Other {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a file"));
        }
        let mut bytes = Vec::new();
        File::open(self.path.join(name))?
            .take(limit)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn file_len(&self, rel: &str) -> Option<u64> {
        let m = std::fs::symlink_metadata(self.path.join(rel)).ok()?;
        m.is_file().then_some(m.len())
    }

    fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.path)? {
            let entry = entry?;
            if let Ok(name) = entry.file_name().into_string() {
                let kind = self.kind(&name)?;
                out.push((name, kind));
            }
        }
        Ok(out)
    }

    fn link_file(&self, from: &str, to: &str) -> io::Result<()> {
        if self.kind(from)? != Kind::Other {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a file"));
        }
        std::fs::hard_link(self.path.join(from), self.path.join(to))
    }

    fn link_from(&self, src: &Self, from: &str, to: &str) -> io::Result<()> {
        if src.kind(from)? != Kind::Other {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a file"));
        }
        std::fs::hard_link(src.path.join(from), self.path.join(to))
    }

    fn remove_file(&self, name: &str) -> io::Result<()> {
        std::fs::remove_file(self.path.join(name))
    }

    fn remove_dir(&self, name: &str) -> io::Result<()> {
        std::fs::remove_dir(self.path.join(name))
    }

    fn holds(&self, name: &str, child: &Self) -> bool {
        self.path.join(name) == child.path && self.kind(name).ok() == Some(Kind::Dir)
    }

    fn rename(&self, from: &str, to: &str, how: Rename) -> io::Result<()> {
        match how {
            Rename::Exchange => Err(unsupported()),
            Rename::NoReplace => {
                if self.kind(to)? != Kind::Missing {
                    return Err(io::ErrorKind::AlreadyExists.into());
                }
                std::fs::rename(self.path.join(from), self.path.join(to))
            }
        }
    }
}
