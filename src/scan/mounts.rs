//! Mounted routers across files: `app.use("/v1", router)` in one file and
//! `router.get("/users", …)` in another answer at `/v1/users`.
//!
//! Each file's facts record its mounts (prefix + the module it imports the
//! mounted router from); after every file is read, [`compose`] resolves
//! each module to a walked file by its import path and gives every route of
//! a mounted file its full paths. A mount that cannot be followed (the
//! router is not imported, or comes from a package) is listed so that
//! `capcat scan` can say so; the routes keep their literal path.

use super::facts::MountFact;
use super::routes;
use super::walk::FileRecord;
use serde::Serialize;
use std::collections::HashMap;

/// Mounts are followed through at most this many files.
const MAX_DEPTH: usize = 8;
/// A file mounted at more places keeps this many full paths.
const MAX_PREFIXES: usize = 8;

const JS_EXTENSIONS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts", "cts"];

/// A mount the scan could not follow to a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnresolvedMount {
    /// The file holding the mount, relative to the catalog root.
    pub path: String,
    /// Its line.
    pub line: u32,
    /// The prefix.
    pub prefix: String,
    /// What is mounted, as written.
    pub name: String,
    /// Why it was not followed.
    pub reason: String,
}

/// One resolved mount: `from` mounts the routes of `to` under `prefix`.
struct Edge {
    from: usize,
    prefix: String,
    to: usize,
}

/// Resolves every mount of `records` (sorted by path) and sets the full
/// paths of the routes of mounted files. Returns the mounts not followed.
pub fn compose(records: &mut [FileRecord]) -> Vec<UnresolvedMount> {
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.path.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    let mut unresolved = Vec::new();
    for (from, rec) in records.iter().enumerate() {
        for m in &rec.entry.facts.mounts {
            match resolve(records, &index, &rec.path, m) {
                Ok(to) if to != from => edges.push(Edge {
                    from,
                    prefix: m.prefix.clone(),
                    to,
                }),
                Ok(_) => {}
                Err(reason) => unresolved.push(UnresolvedMount {
                    path: rec.path.clone(),
                    line: m.line,
                    prefix: m.prefix.clone(),
                    name: m.name.clone(),
                    reason,
                }),
            }
        }
    }
    let mut memo: HashMap<usize, Vec<String>> = HashMap::new();
    let targets: Vec<usize> = {
        let mut t: Vec<usize> = edges.iter().map(|e| e.to).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    for to in targets {
        let prefixes = prefixes_of(to, &edges, &mut memo, 0);
        for r in &mut records[to].entry.facts.routes {
            let mut full: Vec<String> = prefixes.iter().map(|p| routes::join(p, &r.path)).collect();
            full.dedup();
            r.full = full;
        }
    }
    unresolved.sort();
    unresolved
}

/// Files mounted from another file (product code, parsed language) whose
/// routes were not read: their routes may still match through the prefix.
pub fn unread_targets(records: &[FileRecord]) -> Vec<usize> {
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.path.as_str(), i))
        .collect();
    let mut out: Vec<usize> = records
        .iter()
        .flat_map(|rec| {
            rec.entry
                .facts
                .mounts
                .iter()
                .filter_map(|m| resolve(records, &index, &rec.path, m).ok())
        })
        .filter(|&i| {
            let r = &records[i];
            !r.test && r.entry.skip.is_none() && !r.entry.facts.routes_read
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The full prefixes file `i` is mounted at: each mount of it under the
/// prefixes of the file that mounts it; `[""]` for a file nobody mounts.
fn prefixes_of(
    i: usize,
    edges: &[Edge],
    memo: &mut HashMap<usize, Vec<String>>,
    depth: usize,
) -> Vec<String> {
    if let Some(p) = memo.get(&i) {
        return p.clone();
    }
    let incoming: Vec<&Edge> = edges.iter().filter(|e| e.to == i).collect();
    if incoming.is_empty() || depth >= MAX_DEPTH {
        return vec![String::new()];
    }
    let mut out = Vec::new();
    for e in incoming {
        for outer in prefixes_of(e.from, edges, memo, depth + 1) {
            let p = routes::join(&outer, &e.prefix);
            if !out.contains(&p) && out.len() < MAX_PREFIXES {
                out.push(p);
            }
        }
    }
    memo.insert(i, out.clone());
    out
}

/// The walked file a mount's module is, or why it is not followed.
fn resolve(
    records: &[FileRecord],
    index: &HashMap<&str, usize>,
    from: &str,
    m: &MountFact,
) -> Result<usize, String> {
    let Some(module) = &m.module else {
        return Err("not imported in this file".into());
    };
    let candidates = if from.ends_with(".py") || from.ends_with(".pyi") {
        python_candidates(from, module, m.member.as_deref())
    } else {
        js_candidates(from, module)
    };
    if candidates.is_empty() {
        return Err(format!(
            "`{module}` is a package or an alias, not a file in the code roots"
        ));
    }
    let absolute = !module.starts_with('.');
    for c in &candidates {
        if let Some(&i) = index.get(c.as_str()) {
            return Ok(i);
        }
        if absolute {
            let suffix = format!("/{c}");
            if let Some(i) = records
                .iter()
                .position(|r| !r.test && r.path.ends_with(&suffix))
            {
                return Ok(i);
            }
        }
    }
    Err(format!("`{module}` is not a file in the code roots"))
}

/// `./api` from `src/app.ts` → `src/api.ts`, `src/api/index.ts`, …
fn js_candidates(from: &str, module: &str) -> Vec<String> {
    if !module.starts_with('.') {
        return Vec::new();
    }
    let base = normalize(&format!("{}/{module}", parent(from)));
    let stem = JS_EXTENSIONS
        .iter()
        .find_map(|e| base.strip_suffix(&format!(".{e}")))
        .unwrap_or(&base)
        .to_string();
    let mut out = vec![base.clone()];
    for e in JS_EXTENSIONS {
        out.push(format!("{stem}.{e}"));
    }
    for e in JS_EXTENSIONS {
        out.push(format!("{base}/index.{e}"));
    }
    out
}

/// `from .routers import items` in `app/main.py` → `app/routers/items.py`,
/// `app/routers/items/__init__.py`, `app/routers.py`, …; an absolute module
/// (`shop.urls`) → `shop/urls.py`, matched at any depth.
fn python_candidates(from: &str, module: &str, member: Option<&str>) -> Vec<String> {
    let dots = module.chars().take_while(|c| *c == '.').count();
    let rest = module[dots..].replace('.', "/");
    let path = if dots == 0 {
        rest
    } else {
        let mut dir = parent(from).to_string();
        for _ in 1..dots {
            dir = parent(&dir).to_string();
        }
        match (dir.is_empty(), rest.is_empty()) {
            (_, true) => dir,
            (true, false) => rest,
            (false, false) => format!("{dir}/{rest}"),
        }
    };
    let path = normalize(&path);
    let join = |p: &str, n: &str| {
        if p.is_empty() {
            n.to_string()
        } else {
            format!("{p}/{n}")
        }
    };
    let mut out = Vec::new();
    if let Some(m) = member {
        out.push(join(&path, &format!("{m}.py")));
        out.push(join(&path, &format!("{m}/__init__.py")));
    }
    if !path.is_empty() {
        out.push(format!("{path}.py"));
    }
    out.push(join(&path, "__init__.py"));
    out
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Resolves `.` and `..` segments (a leading `..` that leaves the catalog
/// root is kept).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_modules_resolve_like_node_and_typescript() {
        let c = js_candidates("server/app.ts", "./routes/api");
        assert!(c.contains(&"server/routes/api.ts".to_string()));
        assert!(c.contains(&"server/routes/api/index.js".to_string()));
        let c = js_candidates("src/app.ts", "../lib/api.js");
        assert!(c.contains(&"lib/api.ts".to_string()), "{c:?}");
        assert!(js_candidates("src/app.ts", "@koa/router").is_empty());
    }

    #[test]
    fn python_modules_resolve_relative_and_absolute() {
        let c = python_candidates("app/main.py", ".routers", Some("items"));
        assert_eq!(c[0], "app/routers/items.py");
        assert!(c.contains(&"app/routers.py".to_string()));
        let c = python_candidates("app/api/v1.py", "..views", Some("bp"));
        assert!(c.contains(&"app/views.py".to_string()), "{c:?}");
        let c = python_candidates("site/urls.py", "shop.urls", None);
        assert_eq!(c, ["shop/urls.py", "shop/urls/__init__.py"]);
    }
}
