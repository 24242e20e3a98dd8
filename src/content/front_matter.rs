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
        let plain = e.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
        let (line, col) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        let (message, hint) = explain(strip_location(&plain));
        Diagnostic::error(file.to_path_buf(), message)
            .at(line + split.yaml_first_line - 1, col)
            .with_hint(hint)
    })
}

/// Drops serde-saphyr's trailing " at line N, column M"; the diagnostic carries it.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Turns the YAML library's message into ours, with a hint saying what to do.
fn explain(message: &str) -> (String, String) {
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((unknown, expected)) = rest.split_once('`')
    {
        let list = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .replace('`', "");
        let keys: Vec<&str> = list
            .split(", ")
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        let hint = match nearest(unknown, keys.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? valid keys here: {}", keys.join(", ")),
            None => format!("valid keys here: {}", keys.join(", ")),
        };
        return (format!("unknown front-matter key `{unknown}`"), hint);
    }
    if message.starts_with("missing field") {
        return (
            message.to_string(),
            "add the field to the front matter".into(),
        );
    }
    (
        format!("invalid front matter: {message}"),
        "check the YAML syntax: `key: value`, lists as `[a, b]` or `- item` lines, quote values containing `: `".into(),
    )
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
