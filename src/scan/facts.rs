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
    /// Routers mounted under a prefix whose routes are in another file, or
    /// that could not be followed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<MountFact>,
    /// The routes and mounts of the file were read (its prefilter asked
    /// for them, or a mount of it from another file did).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub routes_read: bool,
}

impl FileFacts {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.markers.is_empty()
            && self.definitions.is_empty()
            && self.routes.is_empty()
            && self.graphql.is_empty()
            && self.flags.is_empty()
            && self.mounts.is_empty()
            && !self.routes_read
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
        self.mounts.sort();
        self.mounts.dedup();
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
    /// The URL pattern as written in its file, the prefixes of that file
    /// applied (class mappings, router prefixes, local mounts), starting with `/`.
    pub path: String,
    /// The handler definition, when known.
    pub handler: Option<String>,
    /// The full paths: `path` under the prefixes its file is mounted at
    /// from other files. Empty when the file is not mounted elsewhere.
    /// Composed after every file is read, never cached.
    #[serde(skip)]
    pub full: Vec<String>,
}

impl RouteFact {
    /// `GET /x`, or `/x` when any method; the first full path when the
    /// file is mounted under a prefix.
    pub fn label(&self) -> String {
        let path = self.full.first().unwrap_or(&self.path);
        if self.method == "ANY" {
            path.clone()
        } else {
            format!("{} {path}", self.method)
        }
    }

    /// Every path a `routes` pattern may match: the full paths, then the
    /// path as written in its file.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.full
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(self.path.as_str()))
    }
}

/// A router mounted under a prefix (`app.use("/v1", router)`,
/// `mount("/api", api)`, `include_router(items.router, prefix="/items")`,
/// `path("api/", include("shop.urls"))`) whose routes are not in this file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MountFact {
    /// 1-based line of the prefix.
    pub line: u32,
    /// The prefix, starting with `/`.
    pub prefix: String,
    /// What is mounted, as written (`api.routes()`, `items.router`).
    pub name: String,
    /// The module it comes from: an import specifier as written
    /// (`./api`, `.routers`, `shop.urls`); `None` when it is not imported.
    pub module: Option<String>,
    /// The name imported from that module (`from .routers import items`).
    pub member: Option<String>,
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
    /// The name as written in the code when clients see another
    /// (`cable_list`, seen as `cableList`): what a schema that turns the
    /// camelCase conversion off exposes (strawberry's `auto_camel_case=False`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
}

impl GraphqlFact {
    /// The name a matcher in `wanted` knows this field by: the name clients
    /// see, else the name as written in the code.
    pub fn matched_name(&self, wanted: &std::collections::HashSet<String>) -> Option<&str> {
        [Some(&self.field), self.written.as_ref()]
            .into_iter()
            .flatten()
            .find(|n| wanted.contains(*n))
            .map(String::as_str)
    }

    /// True when a `graphql` matcher `name` names this field.
    pub fn answers_to(&self, name: &str) -> bool {
        self.field == name || self.written.as_deref() == Some(name)
    }
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
