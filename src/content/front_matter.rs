//! Splitting a content file into YAML front matter and Markdown body, and
//! parsing the front matter with located diagnostics.

use crate::diagnostics::{Diagnostic, nearest};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A content file cut into its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_first_line: usize,
    /// 1-based line of the first body line in the file.
    pub body_first_line: usize,
}

/// Cuts `text` at its `---` fences. A file without front matter is an error:
/// every content file needs at least a title.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = || {
        Diagnostic::error(file.to_path_buf(), "missing front matter")
            .at(1, 1)
            .with_hint("start the file with a line `---`, then YAML such as `title: …`, then a closing `---` line")
    };
    let first_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_end].trim_end() != "---" {
        return Err(missing());
    }
    let rest = &text[first_end + 1..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                yaml,
                body,
                yaml_first_line: 2,
                body_first_line: 3 + yaml.lines().count(),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(file.to_path_buf(), "front matter is not closed")
            .at(1, 1)
            .with_hint("add a line `---` after the last front-matter line"),
    )
}

/// Parses front matter YAML into `T`; errors carry the line and column in
/// the content file (not in the YAML fragment).
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, file: &Path) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: 16, max_nodes: 10_000 },
    };
    serde_saphyr::from_str_with_options::<T>(split.yaml, options).map_err(|e| {
        let (line, col) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        let key = key_on_line(split.yaml, line);
        let (message, hint) = explain(e.without_snippet(), key);
        Diagnostic::error(file.to_path_buf(), message)
            .at(line + split.yaml_first_line - 1, col)
            .with_hint(hint)
    })
}

/// Turns the YAML library's structured error into our message and a hint
/// saying what to do.
fn explain(e: &serde_saphyr::Error, key: Option<(&str, &str)>) -> (String, String) {
    use serde_saphyr::Error as E;
    match e {
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => (
            match key {
                Some((key, _)) => format!("unknown `{key}` value `{variant}`"),
                None => format!("unknown value `{variant}`"),
            },
            did_you_mean(variant, expected, "valid values"),
        ),
        E::Unexpected {
            expected: "sequence start",
            ..
        } if key.is_some() => {
            let (key, value) = key.unwrap_or_default();
            let item = if value.is_empty() { "item" } else { value };
            (
                format!("`{key}` must be a list"),
                format!("`{key}` is a list: write `[{item}]` or one `- {item}` per line"),
            )
        }
        E::SerdeUnknownField {
            field, expected, ..
        } => (
            format!("unknown front-matter key `{field}`"),
            did_you_mean(field, expected, "valid keys here"),
        ),
        E::SerdeMissingField { field, .. } => (
            format!("missing field `{field}`"),
            "add the field to the front matter".into(),
        ),
        _ => (
            format!("invalid front matter: {}", plain_message(e)),
            "check the YAML syntax: `key: value`, lists as `[a, b]` or `- item` lines, quote values containing `: `".into(),
        ),
    }
}

/// The `key: value` written on 1-based `line` of `yaml`, when it is one.
fn key_on_line(yaml: &str, line: usize) -> Option<(&str, &str)> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let (key, value) = text.split_once(':')?;
    let key = key.trim().trim_start_matches("- ").trim();
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    simple.then(|| (key, value.trim().trim_matches(['"', '\''])))
}

/// "did you mean `x`? valid keys here: a, b" for a word not in `expected`.
fn did_you_mean(word: &str, expected: &[&str], what: &str) -> String {
    match nearest(word, expected.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? {what}: {}", expected.join(", ")),
        None => format!("{what}: {}", expected.join(", ")),
    }
}

/// The library's message without its trailing " at line N, column M" (the
/// diagnostic carries the location) and without a source snippet.
fn plain_message(e: &serde_saphyr::Error) -> String {
    let text = e.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Fm {
        title: String,
        #[serde(default)]
        #[allow(dead_code)]
        tags: Vec<String>,
    }

    fn p(text: &str) -> Result<Fm, Diagnostic> {
        let f = Path::new("x.md");
        parse(&split(text, f)?, f)
    }

    #[test]
    fn parses_and_splits() {
        let f = Path::new("x.md");
        let s = split("---\ntitle: A\n---\nbody\n", f).unwrap();
        assert_eq!(s.body, "body\n");
        assert_eq!(p("\u{feff}---\r\ntitle: A\r\n---\r\n").unwrap().title, "A");
    }

    #[test]
    fn errors_are_located_in_the_file() {
        let d = p("---\ntitle: A\ntags: [a, b\n---\n").unwrap_err();
        assert_eq!(d.line, Some(3), "{d}");
        let d = p("---\ntitle: A\ntitel: B\n---\n").unwrap_err();
        assert_eq!((d.line, d.column), (Some(3), Some(1)));
        assert!(d.hint.unwrap().contains("did you mean `title`"));
        let d = p("---\ntags: []\n---\n").unwrap_err();
        assert!(d.message.contains("missing field `title`"));
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Kind {
        Available,
        NotPlanned,
    }

    #[derive(Debug, Deserialize)]
    struct Typed {
        #[allow(dead_code)]
        claim: Option<Kind>,
        #[serde(default)]
        #[allow(dead_code)]
        aliases: Vec<String>,
    }

    fn typed(text: &str) -> Diagnostic {
        let f = Path::new("x.md");
        parse::<Typed>(&split(text, f).unwrap(), f).unwrap_err()
    }

    #[test]
    fn a_misspelt_value_gets_a_suggestion() {
        let d = typed("---\nclaim: availble\n---\n");
        assert_eq!(d.message, "unknown `claim` value `availble`");
        assert_eq!(d.line, Some(2));
        let hint = d.hint.unwrap();
        assert!(hint.starts_with("did you mean `available`?"), "{hint}");
        assert!(hint.contains("not-planned"), "{hint}");
    }

    #[test]
    fn a_scalar_for_a_list_says_how_to_write_one() {
        let d = typed("---\naliases: sso\n---\n");
        assert_eq!(d.message, "`aliases` must be a list");
        assert_eq!(
            d.hint.as_deref(),
            Some("`aliases` is a list: write `[sso]` or one `- sso` per line")
        );
    }

    #[test]
    fn fences_are_required() {
        assert!(
            p("title: A\n")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            p("---\ntitle: A\n")
                .unwrap_err()
                .message
                .contains("not closed")
        );
    }
}
