//! One file's text → [`FileFacts`], with tree-sitter and the language's query.

use super::facts::{
    DefinitionFact, FileFacts, FlagFact, GraphqlFact, MarkerFact, MountFact, RouteFact,
};
use super::languages::{self, LANGUAGES, Part};
use super::prefilter::Wanted;
use super::{graphql, markers, routes};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
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
    mounts: Vec<RawMount>,
    /// Local name → (module specifier, imported name).
    imports: HashMap<String, (String, Option<String>)>,
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
    /// The router or app the route is registered on (`router` in
    /// `router.post(…)`), when the query captures it.
    receiver: Option<String>,
}

/// A mount or router prefix as captured.
struct RawMount {
    line: u32,
    prefix: String,
    /// `new Router({ prefix })`, `Blueprint(url_prefix=…)`: the routes
    /// registered on this name get the prefix.
    local: Option<String>,
    /// Django `include("shop.urls")`: the module mounted.
    module: Option<String>,
    /// The arguments after the prefix that may be the mounted router.
    args: Vec<MountArg>,
}

/// One argument of a mount call that names something.
struct MountArg {
    /// As written (`api.routes()`).
    text: String,
    /// Its leftmost name (`api`).
    root: Option<String>,
    /// `require("./api")`: the module itself.
    module: Option<String>,
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
        (
            Part::Routes,
            (wanted.routes || wanted.mounts) && routes_allowed,
        ),
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
        let routes_read = (wanted.routes || wanted.mounts) && routes_allowed;
        let mut facts = interpret(raw, spec.name, rel_path, text, settings, routes_allowed);
        facts.routes_read = routes_read;
        Ok(facts)
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
                "comment"
                    | "route"
                    | "route.prefix"
                    | "route.mount"
                    | "route.import"
                    | "graphql"
                    | "flag"
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
                let receiver = part("route.receiver").and_then(|n| root_name(n, text));
                if part("route.arguments").is_some_and(|a| !ends_with_handler(a))
                    || receiver.as_deref().is_some_and(is_http_client)
                {
                    continue;
                }
                raw.routes.push(RawRoute {
                    start: node.start_byte(),
                    end: node.end_byte(),
                    line: line(at),
                    method,
                    path: path.map(|p| routes::unquote(&txt(p))).unwrap_or_default(),
                    relative,
                    receiver,
                });
            }
            "route.mount" => {
                let Some(p) = part("route.mount.prefix") else {
                    continue;
                };
                let mut args: Vec<MountArg> = Vec::new();
                if let Some(list) = part("route.mount.args") {
                    let mut cursor = list.walk();
                    let named: Vec<Node> = list
                        .named_children(&mut cursor)
                        .filter(|n| n.kind() != "comment")
                        .collect();
                    args.extend(named.into_iter().skip(1).filter_map(|n| mount_arg(n, text)));
                }
                if let Some(child) = part("route.mount.child") {
                    args.extend(mount_arg(child, text));
                }
                raw.mounts.push(RawMount {
                    line: line(p),
                    prefix: routes::unquote(&txt(p)),
                    local: part("route.mount.local").map(txt),
                    module: part("route.mount.module").map(|m| routes::unquote(&txt(m))),
                    args,
                });
            }
            "route.import" => {
                let member = part("route.import.member").map(txt);
                let local = part("route.import.name").map(txt).or(member.clone());
                if let (Some(local), Some(source)) = (local, part("route.import.source")) {
                    let source = routes::unquote(&txt(source));
                    raw.imports.insert(local, (source, member));
                }
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
        let local = local_prefixes(&raw, &mut facts.mounts);
        facts.routes = raw
            .routes
            .iter()
            .flat_map(|r| route_facts(r, &raw.prefixes, &local, &raw.defs, text))
            .collect();
    }
    facts.graphql = raw
        .graphql
        .into_iter()
        .filter_map(|(ty, field, line)| {
            let op = ["Query", "Mutation", "Subscription"]
                .into_iter()
                .find(|op| ty.ends_with(op))?;
            let seen = graphql::camel_case(&field);
            Some(GraphqlFact {
                line,
                operation: op.to_string(),
                written: (seen != field).then_some(field),
                field: seen,
            })
        })
        .chain(raw.sdl)
        .collect();
    facts.flags = raw.flags;
    facts.normalize();
    facts
}

/// Prefixes of the routers of this file, by the name routes are registered
/// on: constructor prefixes (`new Router({ prefix })`) inside local mounts
/// (`app.use("/v1", router)`). Mounts of imported modules, and those naming
/// nothing this file registers routes on, go to `mounts`.
fn local_prefixes(raw: &Raw, mounts: &mut Vec<MountFact>) -> HashMap<String, String> {
    let receivers: HashSet<&str> = raw
        .routes
        .iter()
        .filter_map(|r| r.receiver.as_deref())
        .collect();
    let mut ctor: HashMap<String, String> = HashMap::new();
    let mut mounted: HashMap<String, String> = HashMap::new();
    for m in &raw.mounts {
        let prefix = routes::join("", &routes::simplify_regex(&m.prefix));
        if let Some(local) = &m.local {
            ctor.entry(local.clone()).or_insert(prefix);
            continue;
        }
        if let Some(module) = &m.module {
            mounts.push(mount_fact(
                m.line,
                prefix,
                module.clone(),
                Some(module.clone()),
                None,
            ));
            continue;
        }
        let imported = |a: &&MountArg| {
            a.module.is_some() || a.root.as_ref().is_some_and(|r| raw.imports.contains_key(r))
        };
        let local = |a: &&MountArg| a.root.as_deref().is_some_and(|r| receivers.contains(r));
        let chosen = m.args.iter().rev().find(|a| imported(a) || local(a));
        match chosen {
            Some(a) if a.module.is_some() => mounts.push(mount_fact(
                m.line,
                prefix,
                a.text.clone(),
                a.module.clone(),
                None,
            )),
            Some(a) if local(&a) => {
                mounted
                    .entry(a.root.clone().unwrap_or_default())
                    .or_insert(prefix);
            }
            Some(a) => {
                let (module, member) = raw.imports[a.root.as_deref().unwrap_or_default()].clone();
                mounts.push(mount_fact(
                    m.line,
                    prefix,
                    a.text.clone(),
                    Some(module),
                    member,
                ));
            }
            None => {
                if let Some(last) = m.args.last() {
                    mounts.push(mount_fact(m.line, prefix, last.text.clone(), None, None));
                }
            }
        }
    }
    let mut out = ctor;
    for (name, outer) in mounted {
        let inner = out.remove(&name).unwrap_or_default();
        out.insert(name, routes::join(&outer, &inner));
    }
    out
}

fn mount_fact(
    line: u32,
    prefix: String,
    name: String,
    module: Option<String>,
    member: Option<String>,
) -> MountFact {
    MountFact {
        line,
        prefix,
        name,
        module,
        member,
    }
}

/// What a mount argument names: `api`, `api.routes()`, `items.router`,
/// `require("./api")`; `None` for literals and inline functions.
fn mount_arg(node: Node, text: &str) -> Option<MountArg> {
    let t = text.get(node.byte_range()).unwrap_or("").to_string();
    if let Some(module) = required_module(node, text) {
        return Some(MountArg {
            text: t,
            root: None,
            module: Some(module),
        });
    }
    let root = root_name(node, text)?;
    Some(MountArg {
        text: t,
        root: Some(root),
        module: None,
    })
}

/// `require("./api")` → `./api`.
fn required_module(node: Node, text: &str) -> Option<String> {
    if node.kind() != "call_expression" {
        return None;
    }
    let f = node.child_by_field_name("function")?;
    if text.get(f.byte_range())? != "require" {
        return None;
    }
    let args = node.child_by_field_name("arguments")?;
    let first = args.named_child(0)?;
    let literal = text.get(first.byte_range())?;
    (first.kind() == "string").then(|| routes::unquote(literal))
}

/// The name a chain starts from: `router` for `router`, `router.get(…)`,
/// `api.routes()`, `syncApp.handlers`; the property for `this.router`.
fn root_name(node: Node, text: &str) -> Option<String> {
    let mut n = node;
    for _ in 0..32 {
        match n.kind() {
            "identifier" => return text.get(n.byte_range()).map(str::to_string),
            "member_expression" | "attribute" => {
                let object = n.child_by_field_name("object")?;
                if matches!(object.kind(), "this" | "self") {
                    let field = ["property", "attribute"]
                        .iter()
                        .find_map(|f| n.child_by_field_name(f))?;
                    return text.get(field.byte_range()).map(str::to_string);
                }
                n = object;
            }
            "call_expression" | "call" => n = n.child_by_field_name("function")?,
            "parenthesized_expression" | "await_expression" | "non_null_expression" => {
                n = n.named_child(0)?
            }
            _ => return None,
        }
    }
    None
}

/// A route registration passes a handler last: a function, a name of one,
/// or a call making one (`wrap(handler)`). A request passes data or options
/// (an object, a string, a number) or nothing after the path.
fn ends_with_handler(arguments: Node) -> bool {
    let mut cursor = arguments.walk();
    let args: Vec<Node> = arguments
        .named_children(&mut cursor)
        .filter(|n| n.kind() != "comment")
        .collect();
    if args.len() < 2 {
        return false;
    }
    matches!(
        args[args.len() - 1].kind(),
        "arrow_function"
            | "function_expression"
            | "function"
            | "identifier"
            | "member_expression"
            | "call_expression"
            | "array"
    )
}

/// Names of HTTP clients: `axios.post("/x", handlerLike)` is still a request.
fn is_http_client(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "axios"
            | "got"
            | "ky"
            | "superagent"
            | "supertest"
            | "request"
            | "fetch"
            | "http"
            | "https"
            | "agent"
            | "$http"
    ) || n.ends_with("client")
}

/// A path written without a leading `/` (`router.post("keys.create", …)`)
/// counts only on a router: a name saying so, or one with a prefix.
fn is_router_name(name: &str, local: &HashMap<String, String>) -> bool {
    let n = name.to_ascii_lowercase();
    local.contains_key(name)
        || ["router", "routes", "api", "app"]
            .iter()
            .any(|w| n.contains(w))
}

/// The route facts of one raw route (Rails `resources` gives two).
fn route_facts(
    r: &RawRoute,
    prefixes: &[(usize, usize, String)],
    local: &HashMap<String, String>,
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
    let on_router = r
        .receiver
        .as_deref()
        .is_some_and(|n| is_router_name(n, local));
    if r.relative || (on_router && !path.is_empty() && !path.contains(char::is_whitespace)) {
        path = routes::join("", &routes::simplify_regex(&path));
    } else if !path.is_empty() && !path.starts_with('/') {
        return Vec::new();
    }
    if let Some(prefix) = r.receiver.as_ref().and_then(|n| local.get(n)) {
        path = routes::join(prefix, &path);
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
            full: Vec::new(),
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
            mounts: true,
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
    fn a_route_passes_a_handler_a_request_passes_data() {
        let f = run(
            "server/routes/keys.ts",
            "const router = new Router({ prefix: \"/keys\" });\nrouter.post(\n  \"keys.create\", auth(), handler);\nrouter.get(\"/:id\", async (ctx) => {});\nserver.post(\"/api/keys.create\", { body: {} });\naxios.post(\"/api/x\", handler);\nconst res = await api.post(\"/api/keys.list\", user, { limit: 1 });\ncache.get(\"key\", () => 1);\n",
        );
        let routes: Vec<_> = f.routes.iter().map(|r| (r.label(), r.line)).collect();
        assert_eq!(
            routes,
            [
                ("POST /keys/keys.create".to_string(), 3),
                ("GET /keys/:id".to_string(), 4)
            ]
        );
    }

    #[test]
    fn mounts_of_imported_routers_are_kept_local_ones_applied() {
        let f = run(
            "server/app.js",
            "import api from \"./routes/api\";\nconst users = require(\"./users\");\nconst admin = express.Router();\nadmin.get(\"/stats\", stats);\napp.use(mount(\"/api\", api));\napp.use(\"/v1\", auth, users);\napp.use(\"/admin\", admin);\napp.use(\"/static\", serveStatic(dir));\n",
        );
        let routes: Vec<_> = f.routes.iter().map(|r| r.label()).collect();
        assert_eq!(routes, ["GET /admin/stats"]);
        let mounts: Vec<_> = f
            .mounts
            .iter()
            .map(|m| (m.line, m.prefix.as_str(), m.module.as_deref()))
            .collect();
        assert_eq!(
            mounts,
            [
                (5, "/api", Some("./routes/api")),
                (6, "/v1", Some("./users")),
                (8, "/static", None)
            ]
        );
    }

    #[test]
    fn python_mounts_and_blueprint_prefixes() {
        let f = run(
            "app/main.py",
            "from .routers import items\nfrom fastapi import APIRouter\nbp = Blueprint(\"o\", __name__, url_prefix=\"/orders\")\n\n@bp.route(\"/<int:id>\")\ndef show(id):\n    pass\n\napp.include_router(items.router, prefix=\"/items\")\nurlpatterns = [path(\"shop/\", include(\"shop.urls\"))]\n",
        );
        let routes: Vec<_> = f.routes.iter().map(|r| r.label()).collect();
        assert_eq!(routes, ["/orders/<int:id>", "/shop/"]);
        let mounts: Vec<_> = f
            .mounts
            .iter()
            .map(|m| (m.prefix.as_str(), m.module.as_deref(), m.member.as_deref()))
            .collect();
        assert_eq!(
            mounts,
            [
                ("/items", Some(".routers"), Some("items")),
                ("/shop/", Some("shop.urls"), None)
            ]
        );
    }

    #[test]
    fn strawberry_fields_declared_as_class_attributes() {
        let f = run(
            "dcim/graphql/schema.py",
            r#"import strawberry
import strawberry_django


@strawberry.type(name="Query")
class DCIMQuery:
    cable: CableType = strawberry_django.field()
    cable_list: list[CableType] = strawberry_django.field()
    orders = strawberry.field(resolver=get_orders)
    note: str = "not a field"
    other: int = dataclasses.field(default=0)

    @strawberry_django.field
    def site_count(self) -> int:
        return 0


@strawberry.type
class CableMutation:
    create_cable: CableType = strawberry.mutation(resolver=create_cable)


@strawberry_django.type(Cable)
class CableQuery:
    label: str = strawberry_django.field()


class LookupQuery:
    contains: list[str] = strawberry.field(default=None)
"#,
        );
        let fields: Vec<_> = f
            .graphql
            .iter()
            .map(|g| {
                let written = g.written.as_deref();
                (g.line, g.operation.as_str(), g.field.as_str(), written)
            })
            .collect();
        assert_eq!(
            fields,
            [
                (7, "Query", "cable", None),
                (8, "Query", "cableList", Some("cable_list")),
                (9, "Query", "orders", None),
                (14, "Query", "siteCount", Some("site_count")),
                (20, "Mutation", "createCable", Some("create_cable")),
            ]
        );
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
