//! Diagnostics: every problem capcat reports, with file, line, column and a hint.
//!
//! Stages collect diagnostics instead of stopping at the first problem, so one
//! run reports everything that is wrong (docs/content.md, "Diagnostics").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The catalog is wrong; the build fails.
    Error,
    /// Worth fixing; the build fails only under `--strict`.
    Warning,
    /// Worth knowing (a first publish without a baseline); never fails a build.
    Notice,
}

/// One problem found in an input, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, relative to the catalog root where possible.
    pub file: Option<PathBuf>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about `file`.
    pub fn error(file: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    /// A warning about `file`.
    pub fn warning(file: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    /// A notice: information that never fails a build.
    pub fn notice(file: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Self::new(Severity::Notice, file, message)
    }

    fn new(
        severity: Severity,
        file: impl Into<Option<PathBuf>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Sets line and column (both 1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the line only.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:col` as far as known.
    pub fn location(&self) -> String {
        let mut s = match &self.file {
            Some(f) => f.display().to_string(),
            None => String::new(),
        };
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }

    /// The GitHub Actions annotation form: `::error file=…,line=…,col=…::message`.
    pub fn github_annotation(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = &self.file {
            props.push(format!(
                "file={}",
                escape_github_property(&f.display().to_string())
            ));
        }
        if let Some(l) = self.line {
            props.push(format!("line={l}"));
        }
        if let Some(c) = self.column {
            props.push(format!("col={c}"));
        }
        let mut message = self.message.clone();
        if let Some(h) = &self.hint {
            message.push_str(" — ");
            message.push_str(h);
        }
        let props = if props.is_empty() {
            String::new()
        } else {
            format!(" {}", props.join(","))
        };
        format!("::{level}{props}::{}", escape_github_data(&message))
    }
}

fn escape_github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let loc = self.location();
        if loc.is_empty() {
            write!(f, "{level}: {}", self.message)?;
        } else {
            write!(f, "{loc}: {level}: {}", self.message)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// All diagnostics of a run, in a stable order.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// True when any diagnostic is an error, or, under `strict`, a warning.
    pub fn fails(&self, strict: bool) -> bool {
        self.error_count() > 0 || (strict && self.warning_count() > 0)
    }

    /// Makes every warning an error (`--strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.0 {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }

    /// Sorts by file, line, column, then message, and drops exact duplicates.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.0.dedup();
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Makes every file path relative to `root` where it lies below it.
    pub fn relativize(&mut self, root: &Path) {
        for d in &mut self.0 {
            if let Some(f) = &d.file
                && let Ok(rel) = f.strip_prefix(root)
            {
                d.file = Some(rel.to_path_buf());
            }
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Reads a UTF-8 text file of at most `max_bytes`. The error says which: the
/// file cannot be read (`std::io::Error`), is too large, or is not UTF-8 (at
/// the line and column of the first bad byte).
pub fn read_text_file(path: &Path, max_bytes: u64) -> Result<String, ReadError> {
    read_limited(path, max_bytes).and_then(text_of)
}

/// The bytes of the file at `path`, refused when over `max_bytes`.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // Sized from the file's length, the file is read in one call (and one
    // that finds its end) rather than in ever larger pieces.
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(size.min(max_bytes) as usize + 1);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    within_limit(bytes, max_bytes)
}

/// `bytes`, refused when over `max_bytes` as [`read_limited`] refuses a
/// file (for bytes read some other way).
pub fn within_limit<B: AsRef<[u8]>>(bytes: B, max_bytes: u64) -> Result<B, ReadError> {
    if bytes.as_ref().len() as u64 > max_bytes {
        return Err(ReadError::TooLarge { max_bytes });
    }
    Ok(bytes)
}

/// `bytes` as text, or where the first byte that is not UTF-8 is.
pub fn text_of(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|e| not_utf8(e.as_bytes(), e.utf8_error()))
}

/// [`text_of`] for bytes borrowed.
pub fn str_of(bytes: &[u8]) -> Result<&str, ReadError> {
    std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e))
}

/// Where in `bytes` the first byte that is not UTF-8 is.
fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> ReadError {
    let valid = e.valid_up_to();
    let (line, column) = line_col(&String::from_utf8_lossy(&bytes[..valid]), valid);
    ReadError::NotUtf8 { line, column }
}

/// Why [`read_text_file`] gave no text.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file is larger than allowed.
    TooLarge {
        /// The limit.
        max_bytes: u64,
    },
    /// The file is not UTF-8.
    NotUtf8 {
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl ReadError {
    /// As a diagnostic about `path`; `missing_hint` says what to do when the
    /// file cannot be read at all.
    pub fn into_diagnostic(self, path: &Path, what: &str, missing_hint: &str) -> Diagnostic {
        let file = path.to_path_buf();
        match self {
            ReadError::Io(e) => {
                Diagnostic::error(file, format!("cannot read {what}: {e}")).with_hint(missing_hint)
            }
            ReadError::TooLarge { max_bytes } => {
                Diagnostic::error(file, format!("{what} is larger than {max_bytes} bytes"))
                    .with_hint("no real file is this large: check that this is the right file")
            }
            ReadError::NotUtf8 { line, column } => {
                Diagnostic::error(file, format!("{what} is not valid UTF-8"))
                    .at(line, column)
                    .with_hint("save the file as UTF-8")
            }
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(2))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 1), (1, 1));
    }

    #[test]
    fn nearest_suggests_close_keys_only() {
        let keys = ["title", "base_url", "theme"];
        assert_eq!(nearest("titel", keys), Some("title"));
        assert_eq!(nearest("baseurl", keys), Some("base_url"));
        assert_eq!(nearest("zzzzzzzzz", keys), None);
    }

    #[test]
    fn github_annotation_without_a_file_has_no_properties() {
        let d = Diagnostic::warning(None, "Jira issue X-1 is labelled `cap:x`");
        assert_eq!(
            d.github_annotation(),
            "::warning::Jira issue X-1 is labelled `cap:x`"
        );
    }

    #[test]
    fn github_annotation_escapes() {
        let d = Diagnostic::error(PathBuf::from("a,b.md"), "bad\nthing").at(3, 4);
        assert_eq!(
            d.github_annotation(),
            "::error file=a%2Cb.md,line=3,col=4::bad%0Athing"
        );
    }
}
