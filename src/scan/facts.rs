//! What one file contains, independent of which capability it is evidence
//! for. Facts are what the cache stores; evidence is derived from them.

use serde::{Deserialize, Serialize};

/// Everything extracted from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Language name when the file was parsed with tree-sitter (or `graphql`).
    pub language: Option<String>,
    /// Marker comments.
    pub markers: Vec<MarkerFact>,
    /// Definitions whose name is one of the wanted symbols.
    pub definitions: Vec<DefinitionFact>,
    /// HTTP routes.
    pub routes: Vec<RouteFact>,
    /// GraphQL root fields.
    pub graphql: Vec<GraphqlFact>,
    /// Feature-flag calls.
    pub flags: Vec<FlagFact>,
}

impl FileFacts {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.markers.is_empty()
            && self.definitions.is_empty()
            && self.routes.is_empty()
            && self.graphql.is_empty()
            && self.flags.is_empty()
    }

    /// Sorts every list so equal inputs give equal facts.
    pub fn normalize(&mut self) {
        self.markers.sort();
        self.markers.dedup();
        self.definitions.sort();
        self.definitions.dedup();
        self.routes.sort();
        self.routes.dedup();
        self.graphql.sort();
        self.graphql.dedup();
        self.flags.sort();
        self.flags.dedup();
    }
}

/// A `capability: a, b (beta)` comment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MarkerFact {
    /// 1-based line of the marker text.
    pub line: u32,
    /// The capability ids it names.
    pub ids: Vec<String>,
    /// `(beta)` was given.
    pub beta: bool,
    /// The enclosing (or directly following) definition, else the module.
    pub symbol: String,
}

/// A definition (function, class, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DefinitionFact {
    /// 1-based line of its name.
    pub line: u32,
    /// The name.
    pub name: String,
    /// function, method, class, struct, …
    pub kind: String,
}

/// A detected HTTP route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RouteFact {
    /// 1-based line of the route definition.
    pub line: u32,
    /// `GET`, `POST`, … or `ANY` when the method is not known.
    pub method: String,
    /// The URL pattern as written by the framework, prefixes applied, starting with `/`.
    pub path: String,
    /// The handler definition, when known.
    pub handler: Option<String>,
}

impl RouteFact {
    /// `GET /x`, or `/x` when any method.
    pub fn label(&self) -> String {
        if self.method == "ANY" {
            self.path.clone()
        } else {
            format!("{} {}", self.method, self.path)
        }
    }
}

/// A GraphQL Query/Mutation/Subscription field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GraphqlFact {
    /// 1-based line of the field.
    pub line: u32,
    /// `Query`, `Mutation` or `Subscription`.
    pub operation: String,
    /// The field name as clients see it (camelCase for code-first Python).
    pub field: String,
}

/// A feature-flag call.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FlagFact {
    /// 1-based line of the call.
    pub line: u32,
    /// The flag key.
    pub key: String,
    /// The function called (`variation`, `isEnabled`, …).
    pub call: String,
}
