//! Test code: which files are tests, by the path and name conventions of
//! each language plus the `[code] tests` globs (docs/configuration.md).
//!
//! Evidence found in test code is kept but reported apart: it shows a
//! capability is tested, never that it exists. Calls in test code are never
//! route definitions, and its mounts are not followed.

use globset::{GlobSet, GlobSetBuilder};

/// The built-in conventions, as gitignore-style globs matched against the
/// path below the code root.
pub const CONVENTIONS: &[&str] = &[
    // Folders that hold only tests, at any depth.
    "**/test/**",
    "**/tests/**",
    "**/__tests__/**",
    "**/__test__/**",
    "**/spec/**",
    "**/e2e/**",
    "**/__mocks__/**",
    // JavaScript / TypeScript: `x.test.ts`, `x.spec.js`, `x.e2e-spec.ts`.
    "**/*.test.*",
    "**/*.spec.*",
    "**/*.e2e-spec.*",
    "**/*-test.*",
    // Python: `test_x.py`, `x_test.py`, `conftest.py`, `tests.py`.
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "**/tests.py",
    // Go, Ruby, Java, Rust.
    "**/*_test.go",
    "**/*_spec.rb",
    "**/*_test.rb",
    "**/*Test.java",
    "**/*Tests.java",
    "**/*IT.java",
];

/// Decides whether a file is test code.
#[derive(Debug, Clone)]
pub struct TestFiles {
    set: GlobSet,
}

impl TestFiles {
    /// The conventions plus `extra` (gitignore-style globs). Returns the
    /// globs that did not compile as problems, naming the key.
    pub fn new(extra: &[String]) -> (TestFiles, Vec<String>) {
        let mut builder = GlobSetBuilder::new();
        let mut problems = Vec::new();
        let globs = CONVENTIONS
            .iter()
            .map(|g| g.to_string())
            .chain(extra.iter().map(|g| super::plan::gitignore_glob(g)));
        for g in globs {
            match globset::GlobBuilder::new(&g)
                .literal_separator(true)
                .build()
            {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(e) => problems.push(format!("[code] tests glob `{g}` is not valid: {e}")),
            }
        }
        let set = builder.build().unwrap_or_else(|_| GlobSet::empty());
        (TestFiles { set }, problems)
    }

    /// True when `code_path` (relative to its code root, `/`-separated) is
    /// test code.
    pub fn is_test(&self, code_path: &str) -> bool {
        self.set.is_match(code_path)
    }
}

impl Default for TestFiles {
    fn default() -> Self {
        TestFiles::new(&[]).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_of_every_language() {
        let t = TestFiles::default();
        for yes in [
            "server/routes/keys.test.ts",
            "server/api/__tests__/keys.ts",
            "web/src/a.spec.tsx",
            "test/app.js",
            "pkg/tests/test_views.py",
            "app/test_views.py",
            "app/views_test.py",
            "conftest.py",
            "handlers/users_test.go",
            "spec/models/user_spec.rb",
            "src/test/java/a/UserControllerTest.java",
            "crate/tests/it.rs",
        ] {
            assert!(t.is_test(yes), "{yes} is test code");
        }
        for no in [
            "server/routes/keys.ts",
            "app/views.py",
            "app/testimonials.py",
            "contest/app.js",
            "handlers/users.go",
            "src/main/java/a/UserController.java",
            "latest/index.ts",
        ] {
            assert!(!t.is_test(no), "{no} is product code");
        }
    }

    #[test]
    fn extra_globs_add_to_the_conventions() {
        let (t, problems) = TestFiles::new(&["qa/**".into(), "*.stories.tsx".into()]);
        assert!(problems.is_empty());
        assert!(t.is_test("qa/smoke.py"));
        assert!(t.is_test("web/Button.stories.tsx"));
        assert!(t.is_test("a/b.test.js"));
        let (_, problems) = TestFiles::new(&["a/[".into()]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("[code] tests"));
    }
}
