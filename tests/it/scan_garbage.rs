//! Garbage in: a 50 MB file, a binary with a `.py` name, invalid UTF-8, a
//! symlink loop and an unreadable file are each passed over silently and
//! counted (the `-v` summary), verbose or not, and the scan goes on to find
//! the evidence in the good files.

use crate::util::scan::*;
use capcat::scan::{EvidenceKind, ScanOptions, scan};
use std::io::Write;
use std::path::Path;

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Makes `path` unreadable. Root reads any file whatever its mode, so there
/// a dangling symlink stands in: opening it fails the same way.
fn unreadable(code: &Path) -> String {
    let path = code.join("secret.py");
    write(&path, b"# capability: hidden\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&path).is_ok() {
            eprintln!(
                "running as root: chmod 000 does not stop reads; using a dangling symlink as the unreadable file"
            );
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            std::fs::remove_file(&path).unwrap();
            std::os::unix::fs::symlink(code.join("gone/away.py"), code.join("dangling.py"))
                .unwrap();
            return "dangling.py".into();
        }
    }
    "secret.py".into()
}

#[test]
fn every_bad_file_is_counted_not_warned_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let code = dir.path().join("code");
    write(
        &code.join("good.py"),
        b"# capability: good\ndef ok():\n    return 1\n",
    );

    let mut big = std::fs::File::create(code.join("huge.py")).unwrap();
    let line = "x = 'capability: good is padding'  # filler line for a 50 MB file\n".repeat(1000);
    while big.metadata().unwrap().len() < 50 * 1024 * 1024 {
        big.write_all(line.as_bytes()).unwrap();
    }
    drop(big);

    write(
        &code.join("binary.py"),
        b"\x7fELF\x02\x01\x01\0\0\0\0capability: good\0\0",
    );
    write(
        &code.join("latin1.py"),
        b"# caf\xe9: capability: latin (beta)\ndef menu():\n    return '\xe9'\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", code.join("sub").join("loop")).unwrap_or_else(|_| {
        std::fs::create_dir_all(code.join("sub")).unwrap();
        std::os::unix::fs::symlink("..", code.join("sub").join("loop")).unwrap();
    });
    let unreadable_name = unreadable(&code);

    let config = config(dir.path(), &["code"], "");
    let targets = [
        target("good", |_| {}),
        target("latin", |_| {}),
        target("hidden", |_| {}),
    ];
    let verbose = scan(
        &config,
        &targets,
        &ScanOptions {
            verbose: true,
            ..ScanOptions::default()
        },
    );
    let out = scan(&config, &targets, &ScanOptions::default());
    assert!(
        out.diagnostics.is_empty(),
        "skipped files are never warnings: {:?}",
        out.diagnostics
    );
    assert!(
        !verbose.diagnostics.is_empty()
            && verbose
                .diagnostics
                .iter()
                .all(|d| d.severity == capcat::diagnostics::Severity::Notice),
        "-v names each skipped file, as a notice only: {:?}",
        verbose.diagnostics
    );
    assert_eq!(verbose.skipped, out.skipped, "verbosity changes nothing");
    let s = out.skipped;
    assert_eq!(
        (s.too_large, s.binary, s.lossy, s.unreadable),
        (1, 1, 1, 2),
        "huge.py; binary.py; latin1.py; the loop and {unreadable_name}: {s}"
    );
    assert!(
        s.to_string().starts_with(
            "skipped 4 files (1 binary, 0 lock or generated, 0 minified, 1 too large, 2 unreadable)"
        ),
        "{s}"
    );

    let good = &out.evidence["good"];
    assert_eq!(good.len(), 1, "only the good file counts: {good:?}");
    assert_eq!(good[0].path, "code/good.py");
    let latin = &out.evidence["latin"];
    assert_eq!(latin[0].kind, EvidenceKind::Marker);
    assert_eq!(latin[0].symbol.as_deref(), Some("menu"));
    assert!(latin[0].beta);
}

#[test]
fn unknown_markers_are_warned_binaries_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let code = dir.path().join("code");
    write(&code.join("binary.py"), b"\0\0\0");
    write(&code.join("ok.py"), b"# capability: unknown-thing\nx = 1\n");
    let config = config(dir.path(), &["code"], "");
    let out = scan(&config, &[target("known", |_| {})], &ScanOptions::default());
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let texts: Vec<String> = out.unknown_markers.iter().map(|d| d.to_string()).collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0]
            .starts_with("code/ok.py:1: warning: marker names unknown capability `unknown-thing`"),
        "{}",
        texts[0]
    );
    assert!(
        texts[0].contains("content/capabilities/unknown-thing.md"),
        "{}",
        texts[0]
    );
}

#[test]
fn missing_code_root_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &["nowhere"], "");
    let out = scan(&config, &[], &ScanOptions::default());
    assert_eq!(out.diagnostics.len(), 1);
    assert!(out.diagnostics[0].message.contains("does not exist"));
}

/// A symlink out of the code root is never followed, and one to a folder
/// holding it does not scan the project again under another name.
#[cfg(unix)]
#[test]
fn symlinks_never_leave_the_code_root() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(
        &outside.path().join("etc/passwd.py"),
        b"# capability: good\nx = 1\n",
    );
    let code = dir.path().join("code");
    write(
        &code.join("good.py"),
        b"# capability: good\ndef ok():\n    return 1\n",
    );
    write(&code.join("inner/real.py"), b"y = 2\n");
    std::os::unix::fs::symlink(outside.path().join("etc"), code.join("etc_link")).unwrap();
    std::os::unix::fs::symlink(&code, code.join("inner/project")).unwrap();
    std::os::unix::fs::symlink(dir.path(), code.join("inner/catalog")).unwrap();
    std::os::unix::fs::symlink(code.join("inner/real.py"), code.join("alias.py")).unwrap();
    let config = config(dir.path(), &["code"], "");
    let verbose = ScanOptions {
        verbose: true,
        ..ScanOptions::default()
    };
    let out = scan(
        &config,
        &[target("good", |m| m.paths = s(&["**/*.py"]))],
        &verbose,
    );
    let paths: Vec<&str> = out.evidence["good"]
        .iter()
        .map(|e| e.path.as_str())
        .collect();
    assert!(
        paths
            .iter()
            .all(|p| !p.contains("etc") && !p.contains("project") && !p.contains("catalog")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"code/alias.py"),
        "a link inside the root is read: {paths:?}"
    );
    assert!(paths.contains(&"code/good.py"), "{paths:?}");
    let all: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        all.iter()
            .any(|d| d.starts_with("code/etc_link") && d.contains("leaves the code root")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|d| d.starts_with("code/inner/project") && d.contains("loop")),
        "{all:?}"
    );
}
