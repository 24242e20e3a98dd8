//! HTTP routes: normalising what frameworks write, matching `routes` patterns,
//! and file-system routes (Next.js app and pages routers).

use super::facts::RouteFact;

/// The text of a string literal without quotes or prefixes (`r"…"`, `'…'`,
/// `` `…` ``, Ruby `:sym`).
pub fn unquote(raw: &str) -> String {
    let s = raw.trim();
    if let Some(sym) = s.strip_prefix(':') {
        return sym.trim_matches('"').to_string();
    }
    let s = s.trim_start_matches(|c: char| "rRbBuUfF".contains(c));
    for q in ["\"\"\"", "'''"] {
        if s.len() >= 6 && s.starts_with(q) && s.ends_with(q) {
            return s[3..s.len() - 3].to_string();
        }
    }
    let mut chars = s.chars();
    match (chars.next(), chars.next_back()) {
        (Some(a), Some(b)) if a == b && "\"'`".contains(a) => s[1..s.len() - 1].to_string(),
        _ => s.to_string(),
    }
}

/// The HTTP method a route call or annotation names.
pub fn method_of(name: &str) -> &'static str {
    let n = name.trim_end_matches("Mapping").to_ascii_lowercase();
    match n.as_str() {
        "get" => "GET",
        "post" => "POST",
        "put" => "PUT",
        "delete" | "del" => "DELETE",
        "patch" => "PATCH",
        "head" => "HEAD",
        "options" => "OPTIONS",
        "websocket" => "WS",
        _ => "ANY",
    }
}

/// Turns a Django `re_path` regex into a readable pattern:
/// `^articles/(?P<year>[0-9]{4})/$` → `articles/<year>/`.
pub fn simplify_regex(re: &str) -> String {
    let s = re.trim_start_matches('^').trim_end_matches('$');
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("(?P<") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let Some(end_name) = after.find('>') else {
            rest = after;
            break;
        };
        out.push('<');
        out.push_str(&after[..end_name]);
        out.push('>');
        rest = skip_group(&after[end_name + 1..]);
    }
    out.push_str(rest);
    out
}

/// Skips to just after the `)` closing the group the text is inside.
fn skip_group(s: &str) -> &str {
    let mut depth = 1;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[i + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// Joins a prefix and a path with exactly one `/` between them.
pub fn join(prefix: &str, path: &str) -> String {
    let p = prefix.trim_end_matches('/');
    let q = path.trim_start_matches('/');
    match (p.is_empty(), q.is_empty()) {
        (_, true) if !p.is_empty() => p.to_string(),
        (true, _) => format!("/{q}"),
        _ => format!("{p}/{q}"),
    }
}

/// A compiled `routes` pattern: `*` matches any run of characters, an
/// optional leading method (`POST /x`) must equal the route's method.
#[derive(Debug, Clone)]
pub struct RoutePattern {
    method: Option<String>,
    regex: regex::Regex,
    /// The longest literal piece, used as a prefilter needle.
    pub needle: Option<String>,
}

impl RoutePattern {
    /// Compiles a pattern such as `/auth/saml/*` or `POST /api/orders*`.
    pub fn new(pattern: &str) -> RoutePattern {
        let (method, path) = match pattern.trim().split_once(' ') {
            Some((m, p)) if m.chars().all(|c| c.is_ascii_uppercase()) => {
                (Some(m.to_string()), p.trim())
            }
            _ => (None, pattern.trim()),
        };
        // `keys.create` is written as the route is registered; paths start with `/`.
        let rooted = if path.starts_with(['/', '*']) {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let path = trim_slash(&rooted);
        // `/x/*` also matches `/x` itself (routes are compared without a trailing slash).
        let (head, tail) = match path.strip_suffix("/*") {
            Some(h) => (h, "(/.*)?"),
            None => (path, ""),
        };
        let body: Vec<String> = head.split('*').map(regex::escape).collect();
        let regex = regex::Regex::new(&format!("^{}{tail}$", body.join(".*")))
            .expect("escaped literals always compile");
        // The longest literal segment: segments survive prefixes written
        // elsewhere (Spring class mappings, Rails namespaces, chi groups).
        let needle = path
            .split(['*', '/'])
            .filter(|s| !s.starts_with([':', '{', '<']) && !s.contains(['{', '<']))
            .rev()
            .max_by_key(|s| s.len())
            .filter(|s| s.len() >= 3)
            .map(str::to_string);
        RoutePattern {
            method,
            regex,
            needle,
        }
    }

    /// True when the route matches.
    pub fn matches(&self, route: &RouteFact) -> bool {
        if let Some(m) = &self.method
            && route.method != "ANY"
            && *m != route.method
        {
            return false;
        }
        route.paths().any(|p| self.regex.is_match(trim_slash(p)))
    }
}

fn trim_slash(p: &str) -> &str {
    if p.len() > 1 {
        p.trim_end_matches('/')
    } else {
        p
    }
}

/// Routes defined by where a file is, for Next.js projects: `app/**/page.tsx`,
/// `app/**/route.ts` (one route per exported method) and `pages/**`.
///
/// `code_rel` is the path relative to the code root; `has_next_config` says
/// whether the folder above `app`/`pages` holds a `next.config.*`.
pub fn nextjs_routes(
    code_rel: &str,
    text: &str,
    has_next_config: impl Fn(&str) -> bool,
) -> Vec<RouteFact> {
    let Some((stem, _ext)) = code_rel.rsplit_once('.') else {
        return Vec::new();
    };
    let segments: Vec<&str> = stem.split('/').collect();
    let Some(pos) = segments.iter().rposition(|s| *s == "app" || *s == "pages") else {
        return Vec::new();
    };
    let mut base = segments[..pos].to_vec();
    if base.last() == Some(&"src") {
        base.pop();
    }
    if !has_next_config(&base.join("/")) {
        return Vec::new();
    }
    let rest = &segments[pos + 1..];
    let (dirs, file) = match rest.split_last() {
        Some((f, d)) => (d, *f),
        None => return Vec::new(),
    };
    if segments[pos] == "app" {
        app_router(dirs, file, text)
    } else {
        pages_router(dirs, file, text)
    }
}

fn app_router(dirs: &[&str], file: &str, text: &str) -> Vec<RouteFact> {
    let url = url_of(dirs.iter().copied());
    match file {
        "page" => vec![route_at(text, "export default", "GET", url)],
        "route" => ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
            .iter()
            .filter_map(|m| {
                let line = export_line(text, m)?;
                Some(RouteFact {
                    line,
                    method: m.to_string(),
                    path: url.clone(),
                    handler: Some(m.to_string()),
                    full: Vec::new(),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn pages_router(dirs: &[&str], file: &str, text: &str) -> Vec<RouteFact> {
    if file.starts_with('_') {
        return Vec::new();
    }
    let mut parts: Vec<&str> = dirs.to_vec();
    if file != "index" {
        parts.push(file);
    }
    vec![route_at(
        text,
        "export default",
        "ANY",
        url_of(parts.into_iter()),
    )]
}

fn route_at(text: &str, needle: &str, method: &str, path: String) -> RouteFact {
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with(needle))
        .map_or(1, |i| i as u32 + 1);
    RouteFact {
        line,
        method: method.to_string(),
        path,
        handler: None,
        full: Vec::new(),
    }
}

fn export_line(text: &str, method: &str) -> Option<u32> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            [
                "export async function ",
                "export function ",
                "export const ",
            ]
            .iter()
            .any(|p| {
                l.strip_prefix(p).is_some_and(|r| {
                    r.strip_prefix(method)
                        .is_some_and(|r| r.starts_with(['(', ' ', '=', '<']))
                })
            })
        })
        .map(|i| i as u32 + 1)
}

/// `["orders", "[id]", "(shop)"]` → `/orders/:id` (groups dropped, catch-alls `*`).
fn url_of<'a>(segments: impl Iterator<Item = &'a str>) -> String {
    let parts: Vec<String> = segments
        .filter(|s| !(s.starts_with('@') || s.starts_with('(') && s.ends_with(')')))
        .map(|s| {
            if s.starts_with("[[...") || s.starts_with("[...") {
                "*".to_string()
            } else if let Some(name) = s.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                format!(":{name}")
            } else {
                s.to_string()
            }
        })
        .collect();
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &str, path: &str) -> RouteFact {
        RouteFact {
            line: 1,
            method: method.into(),
            path: path.into(),
            handler: None,
            full: Vec::new(),
        }
    }

    #[test]
    fn unquotes_every_literal_style() {
        assert_eq!(unquote("\"/a\""), "/a");
        assert_eq!(unquote("r'^a/$'"), "^a/$");
        assert_eq!(unquote("`/b`"), "/b");
        assert_eq!(unquote(":photos"), "photos");
        assert_eq!(unquote("\"\"\"x\"\"\""), "x");
    }

    #[test]
    fn django_regex_is_simplified() {
        assert_eq!(
            simplify_regex(r"^articles/(?P<year>[0-9]{4})/(?P<slug>[\w-]+)/$"),
            "articles/<year>/<slug>/"
        );
        assert_eq!(simplify_regex("^(?P<x>(a|b))/$"), "<x>/");
    }

    #[test]
    fn patterns_match_whole_routes() {
        let p = RoutePattern::new("/auth/saml/*");
        assert!(p.matches(&route("GET", "/auth/saml/login")));
        assert!(!p.matches(&route("GET", "/auth/samlx")));
        assert!(p.matches(&route("GET", "/auth/saml/")));
        assert!(p.matches(&route("GET", "/auth/saml")));
        assert!(!p.matches(&route("GET", "/api/auth/saml/login")));
        let p = RoutePattern::new("/reports/*/export.csv");
        assert!(p.matches(&route("GET", "/reports/:id/export.csv")));
        assert_eq!(p.needle.as_deref(), Some("export.csv"));
        let p = RoutePattern::new("POST /api/webhooks*");
        assert!(p.matches(&route("POST", "/api/webhooks/")));
        assert!(!p.matches(&route("GET", "/api/webhooks")));
        assert!(p.matches(&route("ANY", "/api/webhooks")));
    }

    #[test]
    fn patterns_match_the_literal_or_the_full_path() {
        let mut r = route("POST", "/x.create");
        r.full = vec!["/api/x.create".into()];
        assert!(RoutePattern::new("/api/x.create").matches(&r));
        assert!(RoutePattern::new("x.create").matches(&r));
        assert!(RoutePattern::new("POST /x.create").matches(&r));
        assert!(!RoutePattern::new("/v1/x.create").matches(&r));
        assert_eq!(r.label(), "POST /api/x.create");
    }

    #[test]
    fn join_keeps_one_slash() {
        assert_eq!(join("/api/", "/x"), "/api/x");
        assert_eq!(join("/api", ""), "/api");
        assert_eq!(join("", "x"), "/x");
    }

    #[test]
    fn nextjs_file_routes() {
        let yes = |_: &str| true;
        let r = nextjs_routes(
            "web/app/(shop)/orders/[id]/page.tsx",
            "import x\nexport default function Page() {}\n",
            yes,
        );
        assert_eq!(r[0].path, "/orders/:id");
        assert_eq!(r[0].line, 2);
        let r = nextjs_routes(
            "app/api/orders/route.ts",
            "export async function GET() {}\nexport async function POST() {}\n",
            yes,
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].method, "POST");
        let r = nextjs_routes("src/pages/blog/[...slug].tsx", "export default X", yes);
        assert_eq!(r[0].path, "/blog/*");
        assert!(nextjs_routes("pages/_app.tsx", "", yes).is_empty());
        assert!(nextjs_routes("app/page.tsx", "", |_| false).is_empty());
    }
}
