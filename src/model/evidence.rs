//! Code evidence: the matchers an author writes, what the scanner finds, and
//! the evidence a capability shows with its link.

use serde::{Deserialize, Serialize};

/// The kind of a piece of evidence, as written in catalog.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// A `capability: <id>` comment.
    Marker,
    /// A file matched by a `paths` glob.
    Path,
    /// A definition matched by a `symbols` name.
    Symbol,
    /// An HTTP route matched by a `routes` pattern.
    Route,
    /// A GraphQL operation matched by a `graphql` name.
    Graphql,
    /// A feature-flag key matched by a `flags` name.
    Flag,
}

impl EvidenceKind {
    /// The lowercase name used in catalog.json.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Marker => "marker",
            EvidenceKind::Path => "path",
            EvidenceKind::Symbol => "symbol",
            EvidenceKind::Route => "route",
            EvidenceKind::Graphql => "graphql",
            EvidenceKind::Flag => "flag",
        }
    }
}

/// The evidence matchers of one capability, from its front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Matchers {
    /// Gitignore-style globs relative to the code root.
    pub paths: Vec<String>,
    /// Whole names of definitions.
    pub symbols: Vec<String>,
    /// URL patterns with `*`, matched against detected routes.
    pub routes: Vec<String>,
    /// GraphQL Query/Mutation/Subscription field names.
    pub graphql: Vec<String>,
    /// Feature-flag keys.
    pub flags: Vec<String>,
}

impl Matchers {
    /// True when no matcher is set.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
            && self.symbols.is_empty()
            && self.routes.is_empty()
            && self.graphql.is_empty()
            && self.flags.is_empty()
    }
}

/// One place in the code that shows a capability exists, as the scanner
/// found it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// What kind of hit this is.
    pub kind: EvidenceKind,
    /// Path relative to the catalog root, with `/` separators.
    pub path: String,
    /// 1-based line of the marker, definition, route, operation or flag call.
    pub line: u32,
    /// The enclosing or matched symbol, route, operation or flag key.
    pub symbol: Option<String>,
    /// Language name (`python`, `typescript`, …), if the file was parsed.
    pub language: Option<String>,
    /// True when a marker said `(beta)`.
    pub beta: bool,
    /// Found in test code (docs/configuration.md, "Test code"): shows the
    /// capability is tested, never that it exists. Absent in catalogs
    /// written before it was recorded, read as `false`.
    #[serde(default)]
    pub test: bool,
}

/// Evidence as a capability shows it: the place, and its link at the built
/// commit where `[code] link` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Where, and what was found there.
    #[serde(flatten)]
    pub at: Evidence,
    /// Link to the line, when `[code] link` is configured.
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_flag_is_written_and_read_as_false_when_absent() {
        let old = r#"{"kind":"route","path":"a.ts","line":3,"symbol":"POST /x","language":"typescript","beta":false,"url":null}"#;
        let item: EvidenceItem = serde_json::from_str(old).unwrap();
        assert!(
            !item.at.test,
            "catalogs from before the field read as product evidence"
        );
        let tested = EvidenceItem {
            at: Evidence {
                test: true,
                ..item.at.clone()
            },
            url: None,
        };
        let json = serde_json::to_string(&tested).unwrap();
        assert!(
            json.contains(r#""beta":false,"test":true,"url":null"#),
            "{json}"
        );
        let back: EvidenceItem = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}
