//! A scan kept in memory between the rebuilds of `serve`: the file watcher
//! says which files changed, so only those are read again (and parsed when
//! their content changed), with no walk of the roots and no cache file read
//! or written.

use super::walk::{self, Reread};
use super::{AllFiles, ScanOutput, ScanTarget};
use std::collections::HashMap;
use std::path::PathBuf;

/// The records of every file of the last scan, ready for a partial rescan.
pub struct WarmScan {
    all: AllFiles,
    /// Records changed since the cache file was written.
    unsaved: bool,
}

impl WarmScan {
    pub(super) fn new(all: AllFiles) -> WarmScan {
        WarmScan {
            all,
            unsaved: false,
        }
    }

    /// Reads again the files at `paths` (absolute, as the file watcher
    /// reports them) and gives the findings of the whole scan, every other
    /// file as it was. `targets` must be those of the first scan.
    ///
    /// `None` when only a walk can tell what changed (a new or removed
    /// file, a folder, an ignore file): scan again with
    /// [`super::scan_warm`]. Nothing is changed then.
    pub fn rescan(
        &mut self,
        config: &crate::config::Config,
        targets: &[ScanTarget],
        paths: &[PathBuf],
    ) -> Option<ScanOutput> {
        self.all.counters = walk::Counters::default();
        let fresh = self.reread(config, paths)?;
        let changed = fresh.len() as u64;
        self.apply(fresh);
        for r in &mut self.all.records {
            for route in &mut r.entry.facts.routes {
                route.full.clear();
            }
        }
        let mut output = super::assemble(config, targets, &mut self.all);
        output.stats.files = self.all.records.len() as u64;
        output.stats.cached = output.stats.files - changed;
        Some(output)
    }

    /// The new record of each file in `paths` that the scan reads, each
    /// with its index among the records and a problem met reading it.
    fn reread(
        &self,
        config: &crate::config::Config,
        paths: &[PathBuf],
    ) -> Option<Vec<(usize, walk::FileRecord, Option<walk::WalkProblem>)>> {
        let records = &self.all.records;
        let index: HashMap<&str, usize> = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.path.as_str(), i))
            .collect();
        let previous = |rel: &str| index.get(rel).map(|&i| records[i].entry.clone());
        let never = super::never_scanned(config);
        let mut fresh = Vec::new();
        for path in paths {
            let found = walk::reread(
                &config.root,
                &config.code,
                &never,
                &self.all.plan,
                &self.all.counters,
                path,
                &previous,
            );
            match found {
                Reread::Record(record, problem) => {
                    let i = *index.get(record.path.as_str())?;
                    // A file that starts or stops counting as source changes
                    // what its root reports: the walk counts that.
                    if walk::is_source(&records[i]) != walk::is_source(&record) {
                        return None;
                    }
                    fresh.push((i, *record, problem));
                }
                Reread::Outside => {}
                Reread::NeedsWalk => return None,
            }
        }
        Some(fresh)
    }

    fn apply(&mut self, fresh: Vec<(usize, walk::FileRecord, Option<walk::WalkProblem>)>) {
        for (i, record, problem) in fresh {
            let path = PathBuf::from(&record.path);
            self.all.problems.retain(|p| p.path != path);
            self.all.problems.extend(problem);
            self.all.records[i] = record;
            self.unsaved = true;
        }
    }

    /// Writes what the rescans read to the scan cache, so the next build
    /// does not parse those files again. An error only costs speed.
    pub fn save(&mut self) {
        if self.unsaved {
            super::write_cache(&self.all);
            self.unsaved = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Matchers, ScanOptions};
    use std::path::Path;

    fn setup() -> (tempfile::TempDir, crate::config::Config, Vec<ScanTarget>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("src/billing.py", "def charge():\n    pass\n");
        write("src/other.py", "def refund():\n    pass\n");
        write("src/vendor/lib.py", "def charge():\n    pass\n");
        let text = "[code]\nroots = [\"src\"]\nexclude = [\"vendor/**\"]\n";
        write("catalog.toml", text);
        let config = crate::config::Config::load(&root.join("catalog.toml")).unwrap();
        let targets = vec![ScanTarget {
            id: "billing".into(),
            matchers: Matchers {
                symbols: vec!["charge".into(), "invoice".into()],
                ..Matchers::default()
            },
        }];
        (dir, config, targets)
    }

    fn lines(out: &ScanOutput) -> Vec<(String, u32)> {
        out.evidence["billing"]
            .iter()
            .map(|e| (e.path.clone(), e.line))
            .collect()
    }

    fn at(config: &crate::config::Config, rel: &str) -> PathBuf {
        config.root.join(rel)
    }

    #[test]
    fn an_edited_file_is_read_again_alone() {
        let (_dir, config, targets) = setup();
        let (first, mut warm) = crate::scan::scan_warm(&config, &targets, &ScanOptions::default());
        assert_eq!(lines(&first), [("src/billing.py".to_string(), 1)]);
        let edited = at(&config, "src/billing.py");
        std::fs::write(
            &edited,
            "# moved\ndef charge():\n    pass\ndef invoice():\n    pass\n",
        )
        .unwrap();
        let out = warm.rescan(&config, &targets, &[edited]).unwrap();
        assert_eq!(
            lines(&out),
            [
                ("src/billing.py".to_string(), 2),
                ("src/billing.py".to_string(), 4)
            ]
        );
        assert_eq!(
            (out.stats.files, out.stats.read, out.stats.parsed),
            (2, 1, 1)
        );
        assert!(out.misses.is_empty(), "{:?}", out.misses);
    }

    #[test]
    fn the_same_content_is_not_parsed_again() {
        let (_dir, config, targets) = setup();
        let (_, mut warm) = crate::scan::scan_warm(&config, &targets, &ScanOptions::default());
        let touched = at(&config, "src/billing.py");
        std::fs::write(&touched, "def charge():\n    pass\n").unwrap();
        let out = warm.rescan(&config, &targets, &[touched]).unwrap();
        assert_eq!((out.stats.read, out.stats.parsed), (1, 0));
        assert_eq!(lines(&out), [("src/billing.py".to_string(), 1)]);
    }

    #[test]
    fn hidden_excluded_and_vanished_files_change_nothing() {
        let (_dir, config, targets) = setup();
        let (first, mut warm) = crate::scan::scan_warm(&config, &targets, &ScanOptions::default());
        std::fs::write(at(&config, "src/vendor/lib.py"), "def invoice(): pass\n").unwrap();
        std::fs::write(at(&config, "src/.hidden.py"), "def invoice(): pass\n").unwrap();
        let paths = [
            at(&config, "src/vendor/lib.py"),
            at(&config, "src/.hidden.py"),
            at(&config, "src/gone.py.swp"),
            at(&config, "elsewhere/x.py"),
        ];
        let out = warm.rescan(&config, &targets, &paths).unwrap();
        assert_eq!(out.stats.read, 0);
        assert_eq!(lines(&out), lines(&first));
    }

    #[test]
    fn new_removed_and_ignore_files_ask_for_a_walk() {
        let (_dir, config, targets) = setup();
        let (_, mut warm) = crate::scan::scan_warm(&config, &targets, &ScanOptions::default());
        let new = at(&config, "src/new.py");
        std::fs::write(&new, "def invoice(): pass\n").unwrap();
        assert!(warm.rescan(&config, &targets, &[new]).is_none());
        let removed = at(&config, "src/other.py");
        std::fs::remove_file(&removed).unwrap();
        assert!(warm.rescan(&config, &targets, &[removed]).is_none());
        let ignore = at(&config, "src/.gitignore");
        std::fs::write(&ignore, "billing.py\n").unwrap();
        assert!(warm.rescan(&config, &targets, &[ignore]).is_none());
        assert!(
            warm.rescan(&config, &targets, &[Path::new("/").join("src")])
                .is_some()
        );
    }
}
