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
//! | `@route.receiver`, `@route.arguments` | the router a route is registered on; its arguments, whose last must then be a handler |
//! | `@route.mount` + `@route.mount.prefix` | a mount: `@route.mount.args` (the arguments after the prefix) or `@route.mount.child` name what is mounted, `@route.mount.module` a module, `@route.mount.local` a router given the prefix where it is made |
//! | `@route.import` + `@route.import.source` | an import: `@route.import.name` (local name) and `@route.import.member` (name imported) |
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
    /// Literal call shapes of the route detectors: a file's routes are read
    /// only when one of these shares a line with a literal of a `routes`
    /// pattern (or, for the inventory, occurs at all).
    pub route_needles: &'static [&'static str],
    /// Like `route_needles`, but counted only on a line starting with `@`
    /// (decorators such as Flask's `@app.get(`, not `client.get(`).
    pub decorator_route_needles: &'static [&'static str],
    /// Literal shapes of mounts and router prefixes (`.use(`,
    /// `include_router(`…), and whether a string literal must be the first
    /// argument: a file holding one is read for mounts when the catalog
    /// has `routes` patterns.
    pub mount_needles: &'static [(&'static str, bool)],
    /// Literal call shapes of the flag SDKs, for the inventory.
    pub flag_needles: &'static [&'static str],
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
        route_needles: &["path(", "url("],
        decorator_route_needles: &[
            ".route(",
            ".get(",
            ".post(",
            ".put(",
            ".delete(",
            ".patch(",
            ".head(",
            ".options(",
            ".api_route(",
            ".websocket(",
        ],
        mount_needles: PY_MOUNT_NEEDLES,
        flag_needles: PY_FLAG_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "javascript",
        extensions: &["js", "jsx", "mjs", "cjs"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        query: concat!(
            include_str!("queries/javascript/evidence.scm"),
            include_str!("queries/ecmascript/shared.scm")
        ),
        route_needles: JS_ROUTE_NEEDLES,
        decorator_route_needles: &[],
        mount_needles: JS_MOUNT_NEEDLES,
        flag_needles: JS_FLAG_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "typescript",
        extensions: &["ts", "mts", "cts"],
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        query: TYPESCRIPT_QUERY,
        route_needles: JS_ROUTE_NEEDLES,
        decorator_route_needles: &[],
        mount_needles: JS_MOUNT_NEEDLES,
        flag_needles: JS_FLAG_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "tsx",
        extensions: &["tsx"],
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        // TSX parses with its own grammar but shares TypeScript's node names.
        query: TYPESCRIPT_QUERY,
        route_needles: JS_ROUTE_NEEDLES,
        decorator_route_needles: &[],
        mount_needles: JS_MOUNT_NEEDLES,
        flag_needles: JS_FLAG_NEEDLES,
        route_files: None,
    },
    LanguageSpec {
        name: "go",
        extensions: &["go"],
        grammar: || tree_sitter_go::LANGUAGE.into(),
        query: include_str!("queries/go/evidence.scm"),
        route_needles: &[
            ".HandleFunc(",
            ".Handle(",
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
            ".Route(",
        ],
        decorator_route_needles: &[],
        mount_needles: &[],
        flag_needles: &[
            "Variation(",
            "IsEnabled(",
            "BooleanValue(",
            "StringValue(",
            "IntValue(",
            "FloatValue(",
            "ObjectValue(",
        ],
        route_files: None,
    },
    LanguageSpec {
        name: "java",
        extensions: &["java"],
        grammar: || tree_sitter_java::LANGUAGE.into(),
        query: include_str!("queries/java/evidence.scm"),
        route_needles: &[],
        decorator_route_needles: &["Mapping"],
        mount_needles: &[],
        flag_needles: &[
            "Variation(",
            "isEnabled(",
            "BooleanValue(",
            "StringValue(",
            "IntegerValue(",
            "DoubleValue(",
            "ObjectValue(",
        ],
        route_files: None,
    },
    LanguageSpec {
        name: "ruby",
        extensions: &["rb"],
        grammar: || tree_sitter_ruby::LANGUAGE.into(),
        query: include_str!("queries/ruby/evidence.scm"),
        route_needles: &[
            "get ",
            "post ",
            "put ",
            "patch ",
            "delete ",
            "match ",
            "resources ",
            "resource ",
            "namespace ",
            "scope ",
        ],
        decorator_route_needles: &[],
        mount_needles: &[],
        flag_needles: &["variation", "is_enabled"],
        route_files: Some(is_rails_routes_file),
    },
    LanguageSpec {
        name: "rust",
        extensions: &["rs"],
        grammar: || tree_sitter_rust::LANGUAGE.into(),
        query: include_str!("queries/rust/evidence.scm"),
        route_needles: &[
            ".route(",
            "resource(",
            "#[get",
            "#[post",
            "#[put",
            "#[delete",
            "#[patch",
        ],
        decorator_route_needles: &[],
        mount_needles: &[],
        flag_needles: PY_FLAG_NEEDLES,
        route_files: None,
    },
];

/// TypeScript's and TSX's query: their own definitions around the patterns
/// JavaScript shares.
const TYPESCRIPT_QUERY: &str = concat!(
    include_str!("queries/typescript/evidence.scm"),
    include_str!("queries/ecmascript/shared.scm"),
    include_str!("queries/typescript/types.scm")
);

const JS_ROUTE_NEEDLES: &[&str] = &[
    ".get(",
    ".post(",
    ".put(",
    ".delete(",
    ".del(",
    ".patch(",
    ".head(",
    ".options(",
    ".all(",
];

const JS_MOUNT_NEEDLES: &[(&str, bool)] = &[
    (".use(", true),
    ("mount(", true),
    (".prefix(", true),
    ("prefix:", false),
];

const PY_MOUNT_NEEDLES: &[(&str, bool)] = &[
    ("include(", true),
    ("include_router(", false),
    ("register_blueprint(", false),
    ("url_prefix", false),
    ("APIRouter(", false),
];

const JS_FLAG_NEEDLES: &[&str] = &[
    "ariation(",
    "isEnabled(",
    "BooleanValue(",
    "StringValue(",
    "NumberValue(",
    "ObjectValue(",
    "BooleanDetails(",
];

const PY_FLAG_NEEDLES: &[&str] = &[
    "variation(",
    "variation_detail(",
    "is_enabled(",
    "_boolean_value(",
    "_string_value(",
    "_integer_value(",
    "_float_value(",
    "_object_value(",
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

/// A slice of a language's evidence query: each is compiled on its own so
/// a file runs only the patterns its prefilter hits call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Comments and definitions: always run on a parsed file.
    Base = 0,
    /// `@route` and `@route.prefix` patterns.
    Routes = 1,
    /// `@graphql` patterns.
    Graphql = 2,
    /// `@flag` patterns.
    Flags = 3,
}

const PARTS: [Part; 4] = [Part::Base, Part::Routes, Part::Graphql, Part::Flags];

/// The compiled `part` of language `index`'s query, compiled once per
/// process on first use.
///
/// A query that does not compile is a bug in capcat, reported by the unit
/// tests; at run time the file is then reported and skipped.
pub fn query(index: usize, part: Part) -> Result<&'static Query, &'static str> {
    type Slot = OnceLock<Result<Query, String>>;
    static QUERIES: OnceLock<Vec<[Slot; 4]>> = OnceLock::new();
    let all = QUERIES.get_or_init(|| LANGUAGES.iter().map(|_| Default::default()).collect());
    all[index][part as usize]
        .get_or_init(|| compile(&LANGUAGES[index], part))
        .as_ref()
        .map_err(String::as_str)
}

fn compile(spec: &LanguageSpec, part: Part) -> Result<Query, String> {
    let mut q = Query::new(&(spec.grammar)(), spec.query)
        .map_err(|e| format!("{} query, line {}: {}", spec.name, e.row + 1, e.message))?;
    for i in 0..q.pattern_count() {
        if part_of(spec.query, &q, i) != part {
            q.disable_pattern(i);
        }
    }
    Ok(q)
}

/// Which part pattern `i` belongs to, by the captures in its source text.
fn part_of(source: &str, q: &Query, i: usize) -> Part {
    let start = q.start_byte_for_pattern(i);
    let end = if i + 1 < q.pattern_count() {
        q.start_byte_for_pattern(i + 1)
    } else {
        source.len()
    };
    let text: String = source[start..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with(';'))
        .collect();
    let has = |capture: &str| {
        text.match_indices(capture).any(|(at, _)| {
            let next = text[at + capture.len()..].chars().next();
            next.is_none_or(|c| c == '.' || !c.is_alphanumeric() && c != '_')
        })
    };
    PARTS
        .into_iter()
        .find(|p| match p {
            Part::Routes => has("@route"),
            Part::Graphql => has("@graphql"),
            Part::Flags => has("@flag"),
            Part::Base => false,
        })
        .unwrap_or(Part::Base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_compiles_and_every_part_has_patterns() {
        for (i, spec) in LANGUAGES.iter().enumerate() {
            for part in PARTS {
                if let Err(e) = query(i, part) {
                    panic!("{}: {e}", spec.name);
                }
            }
            let q = Query::new(&(spec.grammar)(), spec.query).unwrap();
            let parts: Vec<Part> = (0..q.pattern_count())
                .map(|p| part_of(spec.query, &q, p))
                .collect();
            assert_eq!(
                parts[0],
                Part::Base,
                "{}: the comment pattern comes first",
                spec.name
            );
            for part in [Part::Routes, Part::Flags] {
                assert!(
                    parts.contains(&part),
                    "{} has no {part:?} pattern",
                    spec.name
                );
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
