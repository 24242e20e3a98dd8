//! One file's text → [`FileFacts`], with tree-sitter and the language's query.

use super::facts::{DefinitionFact, FileFacts, FlagFact, GraphqlFact, MarkerFact, RouteFact};
use super::languages::{self, LANGUAGES, Part};
use super::prefilter::Wanted;
use super::{graphql, markers, routes};
use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};
use tree_sitter::{Node, ParseOptions, Parser, QueryCursor, StreamingIterator};

/// What to extract; the same for every file of a scan.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Marker prefix, e.g. `capability:`.
    pub marker: String,
    /// Definition names worth keeping (the `symbols` matchers).
    pub symbols: HashSet<String>,
    /// Names of flag functions (built-in and `[code] flag_functions`).
    pub flag_functions: HashSet<String>,
    /// A parse taking longer than this is cancelled.
    pub parse_budget: Duration,
}

/// Why a file could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// The parse ran over its time budget.
    Timeout,
    /// The language's query did not compile (a capcat bug).
    Query(String),
}

thread_local! {
    /// One parser and one query cursor per worker thread.
    static WORKER: RefCell<(Parser, QueryCursor)> = RefCell::new((Parser::new(), QueryCursor::new()));
}

/// A definition with its byte range, for attributing markers and routes.
#[derive(Debug, Clone)]
struct Def {
    start: usize,
    end: usize,
    line: u32,
    name: String,
    kind: String,
}

/// Raw captures of one file before interpretation.
#[derive(Default)]
struct Raw {
    comments: Vec<(usize, usize, u32)>,
    defs: Vec<Def>,
    routes: Vec<RawRoute>,
    prefixes: Vec<(usize, usize, String)>,
    graphql: Vec<(String, String, u32)>,
    sdl: Vec<GraphqlFact>,
    flags: Vec<FlagFact>,
}

struct RawRoute {
    start: usize,
    end: usize,
    line: u32,
    method: String,
    path: String,
    relative: bool,
}

/// Parses `text` as language `lang` and extracts its facts.
pub fn extract(
    lang: usize,
    rel_path: &str,
    text: &str,
    settings: &Settings,
    wanted: Wanted,
) -> Result<FileFacts, ExtractError> {
    let spec = &LANGUAGES[lang];
    let routes_allowed = spec.route_files.is_none_or(|f| f(rel_path));
    let parts = [
        (Part::Base, true),
        (Part::Routes, wanted.routes && routes_allowed),
        (Part::Graphql, wanted.graphql),
        (Part::Flags, wanted.flags),
    ];
    let mut queries = Vec::new();
    for (part, on) in parts {
        if on {
            queries.push(
                languages::query(lang, part).map_err(|e| ExtractError::Query(e.to_string()))?,
            );
        }
    }
    WORKER.with(|w| {
        let (parser, cursor) = &mut *w.borrow_mut();
        parser
            .set_language(&(spec.grammar)())
            .map_err(|e| ExtractError::Query(e.to_string()))?;
        let started = Instant::now();
        let mut over_budget = |_: &tree_sitter::ParseState| {
            if started.elapsed() > settings.parse_budget {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let bytes = text.as_bytes();
        let tree = parser
            .parse_with_options(
                &mut |i, _| bytes.get(i..).unwrap_or_default(),
                None,
                Some(ParseOptions::new().progress_callback(&mut over_budget)),
            )
            .ok_or(ExtractError::Timeout)?;
        let mut raw = Raw::default();
        for query in queries {
            collect(query, cursor, tree.root_node(), text, settings, &mut raw);
        }
        Ok(interpret(
            raw,
            spec.name,
            rel_path,
            text,
            settings,
            routes_allowed,
        ))
    })
}

/// Runs one query and sorts its captures into `raw`.
fn collect(
    query: &tree_sitter::Query,
    cursor: &mut QueryCursor,
    root: Node,
    text: &str,
    settings: &Settings,
    raw: &mut Raw,
) {
    let names = query.capture_names();
    let mut matches = cursor.matches(query, root, text.as_bytes());
    while let Some(m) = matches.next() {
        let mut outer: Option<(&str, Node)> = None;
        let mut parts: Vec<(&str, Node)> = Vec::new();
        for c in m.captures() {
            let name = names[c.index as usize];
            let is_outer = matches!(
                name,
                "comment" | "route" | "route.prefix" | "graphql" | "flag"
            ) || name.starts_with("definition.");
            if is_outer {
                outer = Some((name, c.node));
            } else {
                parts.push((name, c.node));
            }
        }
        let Some((kind, node)) = outer else { continue };
        let part = |n: &str| parts.iter().find(|(k, _)| *k == n).map(|(_, node)| *node);
        let txt = |n: Node| text.get(n.byte_range()).unwrap_or("").to_string();
        let line = |n: Node| n.start_position().row as u32 + 1;
        match kind {
            "comment" => raw
                .comments
                .push((node.start_byte(), node.end_byte(), line(node))),
            k if k.starts_with("definition.") => {
                if let Some(n) = part("name") {
                    raw.defs.push(Def {
                        start: node.start_byte(),
                        end: node.end_byte(),
                        line: line(n),
                        name: txt(n),
                        kind: k["definition.".len()..].to_string(),
                    });
                }
            }
            "route" => {
                let method = part("route.method").map(txt).unwrap_or_default();
                let (path, relative) = match (part("route.path"), part("route.relpath")) {
                    (Some(p), _) => (Some(p), false),
                    (None, Some(p)) => (Some(p), true),
                    _ => (None, false),
                };
                let at = path.or(part("route.method")).unwrap_or(node);
                raw.routes.push(RawRoute {
                    start: node.start_byte(),
                    end: node.end_byte(),
                    line: line(at),
                    method,
                    path: path.map(|p| routes::unquote(&txt(p))).unwrap_or_default(),
                    relative,
                });
            }
            "route.prefix" => {
                if let Some(p) = part("route.prefix.path") {
                    raw.prefixes.push((
                        node.start_byte(),
                        node.end_byte(),
                        routes::unquote(&txt(p)),
                    ));
                }
            }
            "graphql" => {
                if let (Some(t), Some(f)) = (part("graphql.type"), part("graphql.field")) {
                    raw.graphql.push((txt(t), txt(f), line(f)));
                }
                if let Some(sdl) = part("graphql.sdl") {
                    let first = line(sdl) - 1;
                    raw.sdl
                        .extend(graphql::root_fields(&txt(sdl)).into_iter().map(|mut g| {
                            g.line += first;
                            g
                        }));
                }
            }
            "flag" => {
                if let (Some(call), Some(key)) = (part("flag.call"), part("flag.key")) {
                    let call = txt(call);
                    if settings.flag_functions.contains(&call) {
                        raw.flags.push(FlagFact {
                            line: line(key),
                            key: routes::unquote(&txt(key)),
                            call,
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Turns raw captures into facts: markers attributed, prefixes applied.
fn interpret(
    mut raw: Raw,
    language: &str,
    rel_path: &str,
    text: &str,
    settings: &Settings,
    routes_allowed: bool,
) -> FileFacts {
    raw.defs
        .sort_by_key(|d| (d.start, std::cmp::Reverse(d.end)));
    let module = module_name(rel_path);
    let mut facts = FileFacts {
        language: Some(language.to_string()),
        ..FileFacts::default()
    };
    for &(start, end, line) in &raw.comments {
        let comment = &text[start..end];
        for m in markers::find(comment, &settings.marker) {
            let symbol = attribute(&raw.defs, start, end, text)
                .map_or_else(|| module.clone(), |d| d.name.clone());
            let offset_line = comment[..m.offset].matches('\n').count() as u32;
            facts.markers.push(MarkerFact {
                line: line + offset_line,
                ids: m.ids,
                beta: m.beta,
                symbol,
            });
        }
    }
    facts.definitions = raw
        .defs
        .iter()
        .filter(|d| settings.symbols.contains(&d.name))
        .map(|d| DefinitionFact {
            line: d.line,
            name: d.name.clone(),
            kind: d.kind.clone(),
        })
        .collect();
    if routes_allowed {
        facts.routes = raw
            .routes
            .iter()
            .flat_map(|r| route_facts(r, &raw.prefixes, &raw.defs, text))
            .collect();
    }
    facts.graphql = raw
        .graphql
        .into_iter()
        .filter_map(|(ty, field, line)| {
            let op = ["Query", "Mutation", "Subscription"]
                .into_iter()
                .find(|op| ty.ends_with(op))?;
            Some(GraphqlFact {
                line,
                operation: op.to_string(),
                field: graphql::camel_case(&field),
            })
        })
        .chain(raw.sdl)
        .collect();
    facts.flags = raw.flags;
    facts.normalize();
    facts
}

/// The route facts of one raw route (Rails `resources` gives two).
fn route_facts(
    r: &RawRoute,
    prefixes: &[(usize, usize, String)],
    defs: &[Def],
    text: &str,
) -> Vec<RouteFact> {
    let mut method = routes::method_of(&r.method).to_string();
    let mut path = r.path.clone();
    if let Some((m, p)) = path.split_once(' ')
        && m.chars().all(|c| c.is_ascii_uppercase())
        && p.starts_with('/')
    {
        method = m.to_string();
        path = p.to_string();
    }
    if r.relative {
        path = routes::join("", &routes::simplify_regex(&path));
    } else if !path.is_empty() && !path.starts_with('/') {
        return Vec::new();
    }
    let mut outer: Vec<&(usize, usize, String)> = prefixes
        .iter()
        .filter(|(s, e, _)| *s <= r.start && r.end <= *e && (*s, *e) != (r.start, r.end))
        .collect();
    outer.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    for (_, _, p) in outer.iter().rev() {
        path = routes::join(&routes::join("", p), &path);
    }
    if path.is_empty() {
        return Vec::new();
    }
    let handler = attribute(defs, r.start, r.end, text).map(|d| d.name.clone());
    let mut paths = vec![path.clone()];
    if r.method == "resources" {
        paths.push(routes::join(&path, ":id"));
    }
    paths
        .into_iter()
        .map(|path| RouteFact {
            line: r.line,
            method: method.clone(),
            path,
            handler: handler.clone(),
        })
        .collect()
}

/// The definition a comment or decorator at `start..end` belongs to: the one
/// directly below it (only blank, comment, decorator or attribute lines
/// between), else the innermost one around it.
fn attribute<'d>(defs: &'d [Def], start: usize, end: usize, text: &str) -> Option<&'d Def> {
    let container = defs
        .iter()
        .filter(|d| d.start <= start && end <= d.end)
        .min_by_key(|d| d.end - d.start);
    let next = defs.iter().find(|d| d.start >= end);
    if let Some(n) = next
        && container.is_none_or(|c| n.end <= c.end)
        && only_preamble_between(&text[end..n.start])
    {
        return Some(n);
    }
    container
}

/// True when every complete line of `gap` is a comment, a decorator, an
/// annotation or an attribute — no blank line, no statement. The last
/// partial line (the definition's own line, e.g. `export `) does not count.
fn only_preamble_between(gap: &str) -> bool {
    let Some(cut) = gap.rfind('\n') else {
        return true;
    };
    gap[..cut].split('\n').skip(1).all(|l| {
        let l = l.trim();
        ["@", "#", "//", "/*", "*", "--"]
            .iter()
            .any(|p| l.starts_with(p))
    })
}

/// The module a file is: its stem (`backend/auth/saml.py` → `saml`).
fn module_name(rel_path: &str) -> String {
    let file = rel_path.rsplit('/').next().unwrap_or(rel_path);
    file.split('.').next().unwrap_or(file).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            marker: "capability:".into(),
            symbols: ["SamlProvider", "Sso", "check_permission"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            flag_functions: ["variation", "isEnabled", "feature_enabled"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            parse_budget: Duration::from_secs(5),
        }
    }

    fn run(path: &str, text: &str) -> FileFacts {
        let lang = languages::for_path(path).unwrap();
        let all = Wanted {
            markers: true,
            symbols: true,
            routes: true,
            graphql: true,
            flags: true,
        };
        extract(lang, path, text, &settings(), all).unwrap()
    }

    #[test]
    fn python_marker_on_following_class_and_not_in_strings() {
        let f = run(
            "auth/saml.py",
            "import x\n\nNOTE = \"capability: fake-one\"\n\n# capability: sso-saml\n@dataclass\nclass SamlProvider:\n    def associated(self):\n        # capability: inner (beta)\n        return 1\n",
        );
        assert_eq!(f.markers.len(), 2, "{f:?}");
        assert_eq!(f.markers[0].ids, ["sso-saml"]);
        assert_eq!(f.markers[0].symbol, "SamlProvider");
        assert_eq!(f.markers[0].line, 5);
        assert_eq!(f.markers[1].symbol, "associated");
        assert!(f.markers[1].beta);
        let names: Vec<_> = f.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["SamlProvider"]);
    }

    #[test]
    fn python_routes_and_flags() {
        let f = run(
            "app.py",
            "@app.route(\"/auth/saml/login\")\ndef login():\n    if feature_enabled(\"gradual\"):\n        requests.get(\"/not/a/route\")\n\nurlpatterns = [path(\"admin/\", admin.site.urls), re_path(r\"^a/(?P<pk>\\d+)/$\", v)]\n",
        );
        let routes: Vec<_> = f.routes.iter().map(|r| (r.path.as_str(), r.line)).collect();
        assert_eq!(
            routes,
            [("/auth/saml/login", 1), ("/a/<pk>/", 6), ("/admin/", 6)]
        );
        assert_eq!(f.routes[0].handler.as_deref(), Some("login"));
        assert_eq!(f.flags[0].key, "gradual");
    }

    #[test]
    fn over_long_parse_is_cancelled() {
        let text = "def f(x):\n    return [x for x in range(10) if x]\n".repeat(20_000);
        let lang = languages::for_path("big.py").unwrap();
        let budget = Settings {
            parse_budget: Duration::ZERO,
            ..settings()
        };
        let all = Wanted {
            symbols: true,
            ..Wanted::default()
        };
        let result = extract(lang, "big.py", &text, &budget, all);
        assert_eq!(result, Err(ExtractError::Timeout));
    }

    #[test]
    fn module_level_marker_names_the_module() {
        let f = run(
            "pkg/billing.py",
            "\"\"\"Billing.\"\"\"\n# capability: billing\n\nLIMIT = 3\n",
        );
        assert_eq!(f.markers[0].symbol, "billing");
    }

    #[test]
    fn java_spring_prefix() {
        let f = run(
            "S.java",
            "@RestController\n@RequestMapping(\"/api/subscriptions\")\nclass S {\n  @PostMapping\n  public R create() {}\n  @GetMapping(value = \"/{id}\")\n  public R get() {}\n}\n",
        );
        let routes: Vec<_> = f.routes.iter().map(|r| (r.label(), r.line)).collect();
        assert_eq!(
            routes,
            [
                ("POST /api/subscriptions".to_string(), 4),
                ("GET /api/subscriptions/{id}".to_string(), 6)
            ]
        );
        assert_eq!(f.routes[0].handler.as_deref(), Some("create"));
    }
}
