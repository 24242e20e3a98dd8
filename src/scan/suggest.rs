//! Did-you-mean for matchers that matched nothing: the nearest real path,
//! definition, route, GraphQL field or flag key in the code.
//!
//! Only run for the misses that will be reported, after the scan: a scan
//! where every matcher hits pays nothing for it.

use super::{EvidenceKind, MatcherMiss, ScanTarget, SeenFile};
use crate::config::Config;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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

/// How many edits a name of `len` characters may be off and still be a
/// plausible typo: none below four characters (`Sso` is not `iso`), then
/// one per four characters.
fn typo_limit(len: usize) -> usize {
    if len < 4 { 0 } else { (len / 4).max(1) }
}

/// Edits between `a` and `b` ignoring case, when within the typo limit of
/// `a`.
fn typo_distance(a: &str, b: &str) -> Option<usize> {
    let limit = typo_limit(a.chars().count());
    if a.chars().count().abs_diff(b.chars().count()) > limit {
        return None;
    }
    let d = strsim::osa_distance(&a.to_lowercase(), &b.to_lowercase());
    (d <= limit).then_some(d)
}

/// The candidate nearest to `word` within the typo limit (ties: the
/// closer exact spelling, then the first in order).
fn nearest_typo<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| typo_distance(word, c).map(|d| ((d, strsim::osa_distance(word, c)), c)))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The inventory item whose key (by `key_of`) is nearest to `wanted`.
fn nearest_item(
    wanted: &str,
    items: &[super::InventoryItem],
    key_of: fn(&str) -> &str,
) -> Option<Suggestion> {
    let wanted = wanted.trim_end_matches('*');
    let keys: BTreeSet<&str> = items.iter().map(|i| key_of(&i.name)).collect();
    let best = nearest_typo(wanted, keys.iter().copied())?;
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
                .then(|| nearest_typo(anchored, self.names.iter().map(String::as_str)))
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
                nearest_typo(part, siblings.iter().map(String::as_str))?.to_string()
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

/// A definition close to a wanted name: (distance, name, path, line).
type Candidate = (usize, String, String, u32);

/// For each wanted symbol, the nearest identifier that is defined in the
/// code (a whole word where a definition could be), with its place.
///
/// Three passes, the file passes in parallel: every distinct identifier of
/// a plausible length; the ones within typo distance of a wanted name; the
/// definition sites of those few. Ties go to the smaller distance, then the
/// smaller name, then the first file.
fn nearest_definitions(
    config: &Config,
    files: &[SeenFile],
    wanted: &[&str],
) -> HashMap<String, Suggestion> {
    if wanted.is_empty() {
        return HashMap::new();
    }
    let code: Vec<&SeenFile> = files
        .iter()
        .filter(|f| f.scanned && is_code(&f.code_path))
        .collect();
    let plausible = |len: usize| {
        wanted.iter().any(|w| {
            let limit = typo_limit(w.len());
            w.len().abs_diff(len) <= limit
        })
    };
    let words: HashSet<Vec<u8>> = code
        .par_iter()
        .map(|f| {
            let mut set = HashSet::new();
            if let Some(bytes) = read_code(config, f) {
                for (start, end) in identifiers(&bytes) {
                    let word = &bytes[start..end];
                    if plausible(word.len()) && !set.contains(word) {
                        set.insert(word.to_vec());
                    }
                }
            }
            set
        })
        .reduce(HashSet::new, |mut a, b| {
            a.extend(b);
            a
        });
    let close: HashMap<Vec<u8>, (usize, usize)> = words
        .into_par_iter()
        .filter_map(|w| closest(&w, wanted).map(|c| (w, c)))
        .collect();
    if close.is_empty() {
        return HashMap::new();
    }
    let names: Vec<&Vec<u8>> = close.keys().collect();
    let Ok(finder) = aho_corasick::AhoCorasick::new(&names) else {
        return HashMap::new();
    };
    let per_file: Vec<Vec<Option<Candidate>>> = code
        .par_iter()
        .map(|f| definitions_in(config, f, wanted.len(), &finder, &names, &close))
        .collect();
    let mut best: Vec<Option<Candidate>> = vec![None; wanted.len()];
    for found in per_file {
        for (slot, c) in best.iter_mut().zip(found) {
            if let Some(c) = c
                && slot.as_ref().is_none_or(|b| (c.0, &c.1) < (b.0, &b.1))
            {
                *slot = Some(c);
            }
        }
    }
    wanted
        .iter()
        .zip(best)
        .filter_map(|(w, b)| {
            let (_, name, path, line) = b?;
            Some((
                w.to_string(),
                Suggestion {
                    name,
                    at: Some(format!("{path}:{line}")),
                },
            ))
        })
        .collect()
}

/// A code file's bytes, unless unreadable or over the size cap.
fn read_code(config: &Config, f: &SeenFile) -> Option<Vec<u8>> {
    let bytes = std::fs::read(config.root.join(&f.path)).ok()?;
    (bytes.len() as u64 <= config.code.max_file_bytes).then_some(bytes)
}

/// The best definition site of a close name, per wanted name, in one file.
fn definitions_in(
    config: &Config,
    f: &SeenFile,
    wanted: usize,
    finder: &aho_corasick::AhoCorasick,
    names: &[&Vec<u8>],
    close: &HashMap<Vec<u8>, (usize, usize)>,
) -> Vec<Option<Candidate>> {
    let mut best: Vec<Option<Candidate>> = vec![None; wanted];
    let Some(bytes) = read_code(config, f) else {
        return best;
    };
    for m in finder.find_overlapping_iter(&bytes) {
        let (start, end) = (m.start(), m.end());
        let word = names[m.pattern().as_usize()].as_slice();
        let (w, distance) = close[word];
        let improves = best[w]
            .as_ref()
            .is_none_or(|(d, name, ..)| (distance, word) < (*d, name.as_bytes()));
        // may_define also requires a whole word.
        if improves && super::prefilter::may_define(&bytes, start, end) {
            let line = memchr::memchr_iter(b'\n', &bytes[..start]).count() as u32 + 1;
            best[w] = Some((
                distance,
                String::from_utf8_lossy(word).into_owned(),
                f.path.clone(),
                line,
            ));
        }
    }
    best
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

/// The wanted name `word` is a plausible typo of (not the name itself),
/// and how far it is.
fn closest(word: &[u8], wanted: &[&str]) -> Option<(usize, usize)> {
    let word = std::str::from_utf8(word).ok()?;
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for (i, w) in wanted.iter().enumerate() {
        let limit = typo_limit(w.len());
        if *w == word
            || w.len().abs_diff(word.len()) > limit
            || bag_distance(lower.as_bytes(), w.as_bytes()) > limit
        {
            continue;
        }
        let d = strsim::osa_distance(&lower, &w.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(_, b)| d < b) {
            best = Some((i, d));
        }
    }
    best
}

/// A cheap lower bound of the edit distance between two ASCII words,
/// ignoring case: how many letters one has that the other lacks.
fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    let mut counts = [0i32; 128];
    for &c in a {
        counts[usize::from(c.to_ascii_lowercase() & 0x7f)] += 1;
    }
    for &c in b {
        counts[usize::from(c.to_ascii_lowercase() & 0x7f)] -= 1;
    }
    let (more, fewer) = counts.iter().fold(
        (0, 0),
        |(m, f), &c| {
            if c > 0 { (m + c, f) } else { (m, f - c) }
        },
    );
    more.max(fewer) as usize
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
        let wanted = ["IntrospectionEndpoint", "Sso"];
        assert_eq!(closest(b"IntrospectEndpoint", &wanted), Some((0, 3)));
        assert_eq!(closest(b"IntrospectionEndpoint", &wanted), None);
        assert_eq!(closest(b"Endpoint", &wanted), None);
        assert_eq!(closest(b"iso", &wanted), None, "too short to guess");
        assert_eq!(closest(b"SSO", &wanted), Some((1, 0)));
        assert_eq!(
            nearest_typo("SamlProvider", ["provider", "SamlProvidr"]),
            Some("SamlProvidr")
        );
        assert_eq!(nearest_typo("SamlProvider", ["provider"]), None);
        assert_eq!(bag_distance(b"RealThnig", b"realthing"), 0);
        assert_eq!(bag_distance(b"abc", b"abd"), 1);
        assert_eq!(bag_distance(b"abc", b"abcde"), 2);
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
