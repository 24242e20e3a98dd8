//! Where a capability's claim, Jira keys and each evidence matcher are
//! written in its file, so a warning about one points at its line.

use super::front_matter::Split;
use crate::model::EvidenceKind;
use std::collections::BTreeMap;

/// Lines (1-based) in a capability file; 1 where a key is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceLines {
    /// `claim:`
    pub claim: usize,
    /// `jira:`
    pub jira: usize,
    /// `evidence:`
    pub evidence: usize,
    /// Line and column of each matcher entry, by list and position.
    pub matchers: BTreeMap<(EvidenceKind, usize), (usize, usize)>,
}

impl SourceLines {
    /// Line and column of the `index`th entry of the `kind` list, else of
    /// `evidence:`.
    pub fn matcher(&self, kind: EvidenceKind, index: usize) -> (usize, usize) {
        self.matchers
            .get(&(kind, index))
            .copied()
            .unwrap_or((self.evidence.max(1), 1))
    }
}

/// The matcher lists as written under `evidence:`.
const KINDS: [(&str, EvidenceKind); 5] = [
    ("paths", EvidenceKind::Path),
    ("symbols", EvidenceKind::Symbol),
    ("routes", EvidenceKind::Route),
    ("graphql", EvidenceKind::Graphql),
    ("flags", EvidenceKind::Flag),
];

/// Locates the keys and the matcher entries of `matchers` in `split`.
pub fn locate(split: &Split<'_>, matchers: &crate::model::Matchers) -> SourceLines {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let first = split.yaml_first_line;
    let top = |key: &str| top_level(&lines, key);
    let mut out = SourceLines {
        claim: top("claim").map_or(1, |i| i + first),
        jira: top("jira").map_or(1, |i| i + first),
        evidence: top("evidence").map_or(1, |i| i + first),
        matchers: BTreeMap::new(),
    };
    let Some(start) = top("evidence") else {
        return out;
    };
    let end = (start + 1..lines.len())
        .find(|&i| starts_top_level(lines[i]))
        .unwrap_or(lines.len());
    for (key, kind) in KINDS {
        let patterns = match kind {
            EvidenceKind::Path => &matchers.paths,
            EvidenceKind::Symbol => &matchers.symbols,
            EvidenceKind::Route => &matchers.routes,
            EvidenceKind::Graphql => &matchers.graphql,
            EvidenceKind::Flag => &matchers.flags,
            EvidenceKind::Marker => continue,
        };
        // The list's own block: from its key to the next key at its depth,
        // or the `evidence:` line itself for an inline mapping.
        let (from, to) = match (start + 1..end).find(|&i| is_key(lines[i], key)) {
            Some(k) => {
                let depth = indent(lines[k]);
                let stop = (k + 1..end)
                    .find(|&i| {
                        let l = lines[i];
                        !l.trim().is_empty()
                            && indent(l) <= depth
                            && !l.trim_start().starts_with('-')
                    })
                    .unwrap_or(end);
                (k, stop)
            }
            None => (start, start + 1),
        };
        let mut cursor = (from, 0);
        for (index, pattern) in patterns.iter().enumerate() {
            if let Some((i, col)) = find_from(&lines, cursor, to, pattern) {
                out.matchers.insert(
                    (kind, index),
                    (i + first, lines[i][..col].chars().count() + 1),
                );
                cursor = (i, col + pattern.len());
            } else {
                out.matchers.insert((kind, index), (from + first, 1));
            }
        }
    }
    out
}

/// Index of the line assigning top-level `key`.
fn top_level(lines: &[&str], key: &str) -> Option<usize> {
    lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

fn starts_top_level(line: &str) -> bool {
    line.chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-')
}

fn is_key(line: &str, key: &str) -> bool {
    line.trim_start()
        .strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The first occurrence of `pattern` at or after `(line, byte)`, before
/// line `to`: its line index and byte column.
fn find_from(
    lines: &[&str],
    (line, byte): (usize, usize),
    to: usize,
    pattern: &str,
) -> Option<(usize, usize)> {
    (line..to.min(lines.len())).find_map(|i| {
        let skip = if i == line {
            byte.min(lines[i].len())
        } else {
            0
        };
        let rest = lines[i].get(skip..)?;
        rest.find(pattern).map(|c| (i, skip + c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Matchers;

    fn run(yaml: &str, m: &Matchers) -> SourceLines {
        let split = Split {
            yaml,
            body: "",
            yaml_first_line: 2,
            body_first_line: 3,
        };
        locate(&split, m)
    }

    #[test]
    fn flow_and_block_lists_are_located() {
        let m = Matchers {
            paths: vec!["a/**".into(), "b/c.py".into()],
            symbols: vec!["Foo".into(), "Bar".into()],
            ..Matchers::default()
        };
        let yaml = "title: T\nclaim: available\nevidence:\n  paths: [\"a/**\", \"b/c.py\"]\n  symbols:\n    - Foo\n    - \"Bar\"\njira: [X-1]\n";
        let l = run(yaml, &m);
        assert_eq!((l.claim, l.evidence, l.jira), (3, 4, 9));
        assert_eq!(l.matcher(EvidenceKind::Path, 0), (5, 12));
        assert_eq!(l.matcher(EvidenceKind::Path, 1), (5, 20));
        assert_eq!(l.matcher(EvidenceKind::Symbol, 0), (7, 7));
        assert_eq!(l.matcher(EvidenceKind::Symbol, 1), (8, 8));
        assert_eq!(
            l.matcher(EvidenceKind::Flag, 0),
            (4, 1),
            "absent: evidence line"
        );
    }

    #[test]
    fn same_text_in_two_lists_is_found_in_its_own() {
        let m = Matchers {
            symbols: vec!["orders".into()],
            graphql: vec!["orders".into()],
            ..Matchers::default()
        };
        let l = run("evidence:\n  symbols: [orders]\n  graphql: [orders]\n", &m);
        assert_eq!(l.matcher(EvidenceKind::Symbol, 0), (3, 13));
        assert_eq!(l.matcher(EvidenceKind::Graphql, 0), (4, 13));
        let inline = run("evidence: {graphql: [orders]}\n", &m);
        assert_eq!(inline.matcher(EvidenceKind::Graphql, 0), (2, 22));
    }
}
