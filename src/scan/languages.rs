//! The languages capcat parses, one table entry each.
//!
//! Adding a language means adding one `queries/<lang>/evidence.scm` file and
//! one [`LANGUAGES`] entry. The query names what the scanner extracts with
//! these captures (anything else, e.g. `@_x` helpers for predicates, is
//! ignored):
//!
//! | capture | meaning |
//! |---|---|
//! | `@comment` | a comment; markers are looked for only inside these |
//! | `@definition.<kind>` + `@name` | a definition (function, method, class, struct, …) and its name |
//! | `@route` + `@route.path` or `@route.relpath` | an HTTP route and its URL (`relpath`: no leading `/` needed, as in Django and Rails) |
//! | `@route.method` | the call or annotation naming the route (`get`, `PostMapping`, …) |
//! | `@route.prefix` + `@route.prefix.path` | a node whose routes inside get this URL prefix |
//! | `@graphql` + `@graphql.type` + `@graphql.field` | a code-first GraphQL field of a root type |
//! | `@flag` + `@flag.call` + `@flag.key` | a call with a string key; a flag call when the name is a flag function |

use std::sync::OnceLock;
use tree_sitter::{Language, Query};

/// One language: how to recognise its files and what to extract from them.
pub struct LanguageSpec {
    /// Name used in evidence (`python`, `typescript`, …).
    pub name: &'static str,
    /// File extensions, without the dot.
    pub extensions: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: fn() -> Language,
    /// The evidence query (see the module docs for its captures).
    pub query: &'static str,
    /// Literal call shapes of the built-in route, GraphQL and flag detectors,
    /// used by the prefilter when the whole inventory is wanted.
    pub detector_needles: &'static [&'static str],
    /// Routes count only in files this accepts (e.g. Rails `routes.rb`);
    /// `None` accepts every file.
    pub route_files: Option<fn(&str) -> bool>,
}

/// Every language capcat parses.
pub static LANGUAGES: &[LanguageSpec] = &[
    LanguageSpec {
        name: "python",
        extensions: &["py", "pyi"],
        grammar: || tree_sitter_python::LANGUAGE.into(),
        query: include_str!("queries/python/evidence.scm"),
        detector_needles: &[
            ".route(",
            ".get(",
            ".post(",
            ".put(",
            ".delete(",
            ".patch(",
            ".api_route(",
            "path(",
            "url(",
            "ObjectType",
            "strawberry",
            "variation",
            "is_enabled",
            "_value(",
        ],
        route_files: None,
    },
    LanguageSpec {
        name: "javascript",
        extensions: &["js", "jsx", "mjs", "cjs"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        query: include_str!("queries/javascript/evidence.scm"),
        detector_needles: JS_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "typescript",
        extensions: &["ts", "mts", "cts"],
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        query: include_str!("queries/typescript/evidence.scm"),
        detector_needles: JS_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "tsx",
        extensions: &["tsx"],
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        query: include_str!("queries/tsx/evidence.scm"),
        detector_needles: JS_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "go",
        extensions: &["go"],
        grammar: || tree_sitter_go::LANGUAGE.into(),
        query: include_str!("queries/go/evidence.scm"),
        detector_needles: &[
            "Handle",
            ".GET(",
            ".POST(",
            ".PUT(",
            ".DELETE(",
            ".PATCH(",
            ".Get(",
            ".Post(",
            ".Put(",
            ".Delete(",
            ".Patch(",
            ".Any(",
            "Variation(",
            "IsEnabled(",
            "Value(",
        ],
        route_files: None,
    },
    LanguageSpec {
        name: "java",
        extensions: &["java"],
        grammar: || tree_sitter_java::LANGUAGE.into(),
        query: include_str!("queries/java/evidence.scm"),
        detector_needles: &["Mapping", "Variation(", "isEnabled(", "Value("],
        route_files: None,
    },
    LanguageSpec {
        name: "ruby",
        extensions: &["rb"],
        grammar: || tree_sitter_ruby::LANGUAGE.into(),
        query: include_str!("queries/ruby/evidence.scm"),
        detector_needles: &[
            "get ",
            "post ",
            "resources ",
            "variation",
            "is_enabled",
            "_value",
        ],
        route_files: Some(is_rails_routes_file),
    },
    LanguageSpec {
        name: "rust",
        extensions: &["rs"],
        grammar: || tree_sitter_rust::LANGUAGE.into(),
        query: include_str!("queries/rust/evidence.scm"),
        detector_needles: &[
            ".route(",
            "resource(",
            "#[get",
            "#[post",
            "#[put",
            "#[delete",
            "#[patch",
            "variation",
            "is_enabled",
            "_value(",
        ],
        route_files: None,
    },
];

const JS_NEEDLES: &[&str] = &[
    ".get(",
    ".post(",
    ".put(",
    ".delete(",
    ".del(",
    ".patch(",
    ".all(",
    "ariation(",
    "isEnabled(",
    "Value(",
];

fn is_rails_routes_file(path: &str) -> bool {
    path.ends_with("routes.rb") || path.contains("config/routes/")
}

/// The language of a file, by extension.
pub fn for_path(path: &str) -> Option<usize> {
    let ext = path.rsplit_once('.')?.1;
    LANGUAGES
        .iter()
        .position(|l| l.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// The compiled evidence query of language `index`, compiled once per process.
///
/// A query that does not compile is a bug in capcat, reported by the unit
/// tests; at run time the language is then skipped with the error.
pub fn query(index: usize) -> Result<&'static Query, &'static str> {
    static QUERIES: OnceLock<Vec<OnceLock<Result<Query, String>>>> = OnceLock::new();
    let all = QUERIES.get_or_init(|| LANGUAGES.iter().map(|_| OnceLock::new()).collect());
    all[index]
        .get_or_init(|| {
            let spec = &LANGUAGES[index];
            Query::new(&(spec.grammar)(), spec.query)
                .map_err(|e| format!("{} query, line {}: {}", spec.name, e.row + 1, e.message))
        })
        .as_ref()
        .map_err(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles() {
        for (i, spec) in LANGUAGES.iter().enumerate() {
            if let Err(e) = query(i) {
                panic!("{}: {e}", spec.name);
            }
        }
    }

    #[test]
    fn extensions_are_unique_and_tsx_has_its_own_grammar() {
        let mut seen = std::collections::HashSet::new();
        for spec in LANGUAGES {
            for e in spec.extensions {
                assert!(seen.insert(*e), "extension {e} listed twice");
            }
        }
        assert_eq!(LANGUAGES[for_path("a/B.tsx").unwrap()].name, "tsx");
        assert_eq!(LANGUAGES[for_path("a/b.ts").unwrap()].name, "typescript");
        assert_eq!(for_path("README.md"), None);
    }
}
