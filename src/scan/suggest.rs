//! Did-you-mean for matchers that matched nothing: the nearest real path,
//! definition, route, GraphQL field or flag key in the code.
//!
//! Only run for the misses that will be reported, after the scan: a scan
//! where every matcher hits pays nothing for it.

use super::{EvidenceKind, MatcherMiss, ScanTarget, SeenFile};
use crate::config::Config;
use crate::diagnostics::nearest;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A real name close to a matcher that matched nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The glob, name, route or key to write instead.
    pub name: String,
    /// Where it is, `path:line` relative to the catalog root, when known.
    pub at: Option<String>,
}

impl std::fmt::Display for Suggestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "`{}` ({at})", self.name),
            None => write!(f, "`{}`", self.name),
        }
    }
}

/// The nearest real name for each of `misses` (same order), `None` where
/// nothing is close. Reads the code again for symbols, and runs an
/// uncached inventory scan when a route, GraphQL or flag matcher missed.
/// `files` are those the scan walked ([`super::ScanOutput::files`]).
pub fn suggest(
    config: &Config,
    targets: &[ScanTarget],
    files: &[SeenFile],
    misses: &[MatcherMiss],
) -> Vec<Option<Suggestion>> {
    let needs_inventory = misses.iter().any(|m| {
        matches!(
            m.kind,
            EvidenceKind::Route | EvidenceKind::Graphql | EvidenceKind::Flag
        )
    });
    let inventory = needs_inventory.then(|| super::full_inventory(config, targets));
    let symbols: Vec<&str> = misses
        .iter()
        .filter(|m| m.kind == EvidenceKind::Symbol)
        .map(|m| m.pattern.as_str())
        .collect();
    let definitions = nearest_definitions(config, files, &symbols);
    let tree = PathTree::new(files);
    misses
        .iter()
        .map(|m| match m.kind {
            EvidenceKind::Path => tree
                .nearest(&m.pattern)
                .map(|name| Suggestion { name, at: None }),
            EvidenceKind::Symbol => definitions.get(m.pattern.as_str()).cloned(),
            EvidenceKind::Route => inventory
                .as_ref()
                .and_then(|i| nearest_item(route_path(&m.pattern), &i.routes, route_path)),
            EvidenceKind::Graphql => inventory
                .as_ref()
                .and_then(|i| nearest_item(&m.pattern, &i.graphql, graphql_field)),
            EvidenceKind::Flag => inventory
                .as_ref()
                .and_then(|i| nearest_item(&m.pattern, &i.flags, |n| n)),
            EvidenceKind::Marker => None,
        })
        .collect()
}

/// `POST /api/x*` → `/api/x*`.
fn route_path(label: &str) -> &str {
    label.rsplit(' ').next().unwrap_or(label)
}

/// `Mutation.createOrder` → `createOrder`.
fn graphql_field(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The inventory item whose key (by `key_of`) is nearest to `wanted`.
fn nearest_item(
    wanted: &str,
    items: &[super::InventoryItem],
    key_of: fn(&str) -> &str,
) -> Option<Suggestion> {
    let wanted = wanted.trim_end_matches('*');
    let keys: BTreeSet<&str> = items.iter().map(|i| key_of(&i.name)).collect();
    let best = nearest(wanted, keys.iter().copied())?;
    let item = items.iter().find(|i| key_of(&i.name) == best)?;
    Some(Suggestion {
        name: best.to_string(),
        at: Some(format!("{}:{}", item.path, item.line)),
    })
}

/// The folders and files walked, for correcting a glob part by part.
struct PathTree {
    /// Folder (code-root relative, `""` for the root) → names inside.
    children: BTreeMap<String, BTreeSet<String>>,
    /// Every file name, for globs without a `/` (they match at any depth).
    names: BTreeSet<String>,
}

impl PathTree {
    fn new(files: &[SeenFile]) -> PathTree {
        let mut children: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut names = BTreeSet::new();
        for f in files {
            let mut parent = String::new();
            for part in f.code_path.split('/') {
                children
                    .entry(parent.clone())
                    .or_default()
                    .insert(part.to_string());
                if !parent.is_empty() {
                    parent.push('/');
                }
                parent.push_str(part);
            }
            if let Some(name) = f.code_path.rsplit('/').next() {
                names.insert(name.to_string());
            }
        }
        PathTree { children, names }
    }

    /// The glob with each literal part that names nothing replaced by its
    /// nearest sibling, or `None` when nothing is close.
    fn nearest(&self, glob: &str) -> Option<String> {
        let anchored = glob.trim_start_matches('/');
        if !anchored.trim_end_matches('/').contains('/') {
            return is_literal(anchored)
                .then(|| nearest(anchored, self.names.iter().map(String::as_str)))
                .flatten()
                .map(str::to_string);
        }
        let mut at = String::new();
        let mut out: Vec<String> = Vec::new();
        let mut changed = false;
        let mut parts = anchored.split('/').peekable();
        while let Some(part) = parts.next() {
            if !is_literal(part) || part.is_empty() {
                out.push(part.to_string());
                out.extend(parts.by_ref().map(str::to_string));
                break;
            }
            let siblings = self.children.get(&at)?;
            let name = if siblings.contains(part) {
                part.to_string()
            } else {
                changed = true;
                nearest(part, siblings.iter().map(String::as_str))?.to_string()
            };
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(&name);
            out.push(name);
        }
        changed.then(|| {
            let joined = out.join("/");
            if glob.starts_with('/') {
                format!("/{joined}")
            } else {
                joined
            }
        })
    }
}

fn is_literal(part: &str) -> bool {
    !part.contains(['*', '?', '[', '{', '!'])
}

/// For each wanted symbol, the nearest identifier that is defined in the
/// code (a whole word where a definition could be), with its place.
fn nearest_definitions(
    config: &Config,
    files: &[SeenFile],
    wanted: &[&str],
) -> HashMap<String, Suggestion> {
    let mut best: HashMap<String, (usize, String, String, u32)> = HashMap::new();
    if wanted.is_empty() {
        return HashMap::new();
    }
    let lowered: Vec<String> = wanted.iter().map(|w| w.to_lowercase()).collect();
    let mut verdict: HashMap<Vec<u8>, Option<(usize, usize)>> = HashMap::new();
    for f in files.iter().filter(|f| f.scanned && is_code(&f.code_path)) {
        let Ok(bytes) = std::fs::read(config.root.join(&f.path)) else {
            continue;
        };
        if bytes.len() as u64 > config.code.max_file_bytes {
            continue;
        }
        for (start, end) in identifiers(&bytes) {
            let word = &bytes[start..end];
            let close = match verdict.get(word) {
                Some(v) => *v,
                None => *verdict
                    .entry(word.to_vec())
                    .or_insert_with(|| closest(word, wanted, &lowered)),
            };
            let Some((w, distance)) = close else { continue };
            let improves = best
                .get(wanted[w])
                .is_none_or(|(d, name, ..)| (distance, word) < (*d, name.as_bytes()));
            if improves && super::prefilter::may_define(&bytes, start, end) {
                let line = memchr::memchr_iter(b'\n', &bytes[..start]).count() as u32 + 1;
                best.insert(
                    wanted[w].to_string(),
                    (
                        distance,
                        String::from_utf8_lossy(word).into_owned(),
                        f.path.clone(),
                        line,
                    ),
                );
            }
        }
    }
    best.into_iter()
        .map(|(w, (_, name, path, line))| {
            (
                w,
                Suggestion {
                    name,
                    at: Some(format!("{path}:{line}")),
                },
            )
        })
        .collect()
}

fn is_code(code_path: &str) -> bool {
    super::languages::for_path(code_path).is_some()
}

/// Byte ranges of the identifiers in `bytes` (ASCII words not starting
/// with a digit).
fn identifiers(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if is_word(bytes[i]) && !bytes[i].is_ascii_digit() {
                let start = i;
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                return Some((start, i));
            } else if is_word(bytes[i]) {
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
            } else {
                i += 1;
            }
        }
        None
    })
}

/// The wanted name `word` is a plausible typo of (not the name itself), and
/// how far it is: case-insensitive edit distance, within a third of the
/// length (at least 2).
fn closest(word: &[u8], wanted: &[&str], lowered: &[String]) -> Option<(usize, usize)> {
    let word = std::str::from_utf8(word).ok()?;
    let lower = word.to_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for (i, w) in lowered.iter().enumerate() {
        let limit = (w.len() / 3).max(2);
        if word == wanted[i] || lower.len().abs_diff(w.len()) > limit {
            continue;
        }
        let d = strsim::osa_distance(&lower, w);
        if d <= limit && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((i, d));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(paths: &[&str]) -> Vec<SeenFile> {
        paths
            .iter()
            .map(|p| SeenFile {
                path: format!("code/{p}"),
                code_path: p.to_string(),
                scanned: true,
            })
            .collect()
    }

    #[test]
    fn a_glob_is_corrected_part_by_part() {
        let tree = PathTree::new(&seen(&[
            "oauthlib/oauth2/rfc6749/endpoints/introspect.py",
            "oauthlib/oauth2/rfc6749/endpoints/revocation.py",
            "oauthlib/common.py",
        ]));
        assert_eq!(
            tree.nearest("oauthlib/oauth2/rfc6749/endpoint/introspect.py")
                .as_deref(),
            Some("oauthlib/oauth2/rfc6749/endpoints/introspect.py")
        );
        assert_eq!(
            tree.nearest("oauthlib/oauth2/rfc6749/endpoint/**")
                .as_deref(),
            Some("oauthlib/oauth2/rfc6749/endpoints/**")
        );
        assert_eq!(
            tree.nearest("introspekt.py").as_deref(),
            Some("introspect.py")
        );
        assert_eq!(tree.nearest("nothing/like/it/**"), None);
        assert_eq!(tree.nearest("oauthlib/common.py"), None, "exists already");
    }

    #[test]
    fn identifiers_and_closeness() {
        let words: Vec<&[u8]> = identifiers(b"class IntrospectEndpoint(Base): x1 = 2")
            .map(|(s, e)| &b"class IntrospectEndpoint(Base): x1 = 2"[s..e])
            .collect();
        assert_eq!(
            words,
            [&b"class"[..], b"IntrospectEndpoint", b"Base", b"x1"]
        );
        let wanted = ["IntrospectionEndpoint"];
        let lowered = ["introspectionendpoint".to_string()];
        assert_eq!(
            closest(b"IntrospectEndpoint", &wanted, &lowered),
            Some((0, 3))
        );
        assert_eq!(closest(b"IntrospectionEndpoint", &wanted, &lowered), None);
        assert_eq!(closest(b"Endpoint", &wanted, &lowered), None);
    }

    #[test]
    fn inventory_items_by_key() {
        let item = |name: &str| super::super::InventoryItem {
            path: "code/urls.py".into(),
            line: 7,
            name: name.into(),
            detail: None,
            language: None,
            beta: false,
            capabilities: vec![],
        };
        let routes = [item("GET /api/subscriptions"), item("/login/")];
        let s = nearest_item(route_path("/api/subscriptons*"), &routes, route_path).unwrap();
        assert_eq!(s.name, "/api/subscriptions");
        assert_eq!(s.to_string(), "`/api/subscriptions` (code/urls.py:7)");
    }
}
