//! Facts of every file + compiled matchers → evidence per capability, and the
//! scan's diagnostics.

use super::cache::Skip;
use super::plan::Plan;
use super::walk::{FileRecord, WalkProblem};
use super::{Evidence, EvidenceKind, MatcherHits, MatcherMiss, ScanTarget, SkipCounts};
use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Evidence by capability id, every list sorted and deduplicated, and per
/// target and matcher how many hits it had in product code and in tests
/// (one glob match per file and target, shared by both).
pub fn collect(
    records: &[FileRecord],
    plan: &Plan,
    targets: &[ScanTarget],
) -> (BTreeMap<String, Vec<Evidence>>, Vec<TargetHits>) {
    let mut out: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    let mut hits: Vec<TargetHits> = targets
        .iter()
        .zip(&plan.targets)
        .map(|(t, c)| TargetHits::new(t, c))
        .collect();
    let mut matched = Vec::new();
    for rec in records {
        for ((t, src), h) in plan.targets.iter().zip(targets).zip(hits.iter_mut()) {
            matched.clear();
            if !t.path_patterns.is_empty() {
                t.paths.matches_into(&rec.code_path, &mut matched);
                for &j in &matched {
                    if let Some(p) = &mut h.paths[t.path_patterns[j].0] {
                        p.add(rec.test);
                    }
                }
            }
            let found = file_evidence(rec, t, !matched.is_empty());
            if !found.is_empty() {
                h.count(&found, &src.matchers, t, &rec.entry.facts, rec.test);
                out.entry(t.id.clone()).or_default().extend(found);
            }
        }
    }
    for list in out.values_mut() {
        list.sort();
        list.dedup();
    }
    (out, hits)
}

/// Hits of one matcher: in product code and in tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hits {
    /// Hits in product code.
    pub product: usize,
    /// Hits in test code.
    pub test: usize,
}

impl Hits {
    fn add(&mut self, test: bool) {
        if test {
            self.test += 1;
        } else {
            self.product += 1;
        }
    }
}

/// Hits of every matcher of one target, in front-matter order per list.
#[derive(Debug, Clone, Default)]
pub struct TargetHits {
    /// Per `paths` glob; `None` for a glob that did not compile (reported
    /// as a problem, not as a miss).
    paths: Vec<Option<Hits>>,
    symbols: Vec<Hits>,
    routes: Vec<Hits>,
    graphql: Vec<Hits>,
    flags: Vec<Hits>,
}

impl TargetHits {
    fn new(t: &ScanTarget, compiled: &super::plan::CompiledTarget) -> TargetHits {
        let m = &t.matchers;
        let zero = |n: usize| vec![Hits::default(); n];
        let mut paths = vec![None; m.paths.len()];
        for (i, _) in &compiled.path_patterns {
            paths[*i] = Some(Hits::default());
        }
        TargetHits {
            paths,
            symbols: zero(m.symbols.len()),
            routes: zero(m.routes.len()),
            graphql: zero(m.graphql.len()),
            flags: zero(m.flags.len()),
        }
    }

    /// Counts the non-path evidence of one file against each matcher.
    fn count(
        &mut self,
        found: &[Evidence],
        m: &super::Matchers,
        t: &super::plan::CompiledTarget,
        facts: &super::facts::FileFacts,
        test: bool,
    ) {
        let has = |kind| found.iter().any(|e| e.kind == kind);
        if has(EvidenceKind::Symbol) {
            for (i, name) in m.symbols.iter().enumerate() {
                let n = facts.definitions.iter().filter(|d| d.name == *name).count();
                (0..n).for_each(|_| self.symbols[i].add(test));
            }
        }
        if has(EvidenceKind::Route) {
            for (i, p) in t.routes.iter().enumerate() {
                let n = facts.routes.iter().filter(|r| p.matches(r)).count();
                (0..n).for_each(|_| self.routes[i].add(test));
            }
        }
        if has(EvidenceKind::Graphql) {
            for (i, field) in m.graphql.iter().enumerate() {
                let n = facts.graphql.iter().filter(|g| g.answers_to(field)).count();
                (0..n).for_each(|_| self.graphql[i].add(test));
            }
        }
        if has(EvidenceKind::Flag) {
            for (i, key) in m.flags.iter().enumerate() {
                let n = facts.flags.iter().filter(|f| f.key == *key).count();
                (0..n).for_each(|_| self.flags[i].add(test));
            }
        }
    }

    /// `(kind, index, hits)` of every matcher, in list order.
    fn each(&self) -> impl Iterator<Item = (EvidenceKind, usize, Hits)> + '_ {
        let list = |kind, v: &'_ Vec<Hits>| {
            v.iter()
                .copied()
                .enumerate()
                .map(move |(i, h)| (kind, i, h))
                .collect::<Vec<_>>()
        };
        let paths = self
            .paths
            .iter()
            .enumerate()
            .filter_map(|(i, h)| h.map(|h| (EvidenceKind::Path, i, h)))
            .collect::<Vec<_>>();
        [
            paths,
            list(EvidenceKind::Symbol, &self.symbols),
            list(EvidenceKind::Route, &self.routes),
            list(EvidenceKind::Graphql, &self.graphql),
            list(EvidenceKind::Flag, &self.flags),
        ]
        .into_iter()
        .flatten()
    }
}

fn pattern_of(m: &super::Matchers, kind: EvidenceKind, i: usize) -> &str {
    let list = match kind {
        EvidenceKind::Path => &m.paths,
        EvidenceKind::Symbol => &m.symbols,
        EvidenceKind::Route => &m.routes,
        EvidenceKind::Graphql => &m.graphql,
        EvidenceKind::Flag => &m.flags,
        EvidenceKind::Marker => return "",
    };
    list.get(i).map_or("", String::as_str)
}

/// Every matcher with its hits in product code and in tests, in capability
/// and front-matter order (what `capcat scan` prints).
pub fn matcher_hits(targets: &[ScanTarget], hits: &[TargetHits]) -> Vec<MatcherHits> {
    let mut out = Vec::new();
    for (t, h) in targets.iter().zip(hits) {
        for (kind, index, n) in h.each() {
            out.push(MatcherHits {
                id: t.id.clone(),
                kind,
                index,
                pattern: pattern_of(&t.matchers, kind, index).to_string(),
                product: n.product,
                test: n.test,
            });
        }
    }
    out
}

fn file_evidence(
    rec: &FileRecord,
    t: &super::plan::CompiledTarget,
    path_hit: bool,
) -> Vec<Evidence> {
    let f = &rec.entry.facts;
    let language = f
        .language
        .clone()
        .or_else(|| language_by_name(&rec.code_path));
    let ev = |kind, line, symbol: Option<String>, beta| Evidence {
        kind,
        path: rec.path.clone(),
        line,
        symbol,
        language: language.clone(),
        beta,
        test: rec.test,
    };
    let mut out = Vec::new();
    if path_hit {
        out.push(ev(EvidenceKind::Path, 1, None, false));
    }
    for m in f.markers.iter().filter(|m| m.ids.contains(&t.id)) {
        out.push(ev(
            EvidenceKind::Marker,
            m.line,
            Some(m.symbol.clone()),
            m.beta,
        ));
    }
    for d in f.definitions.iter().filter(|d| t.symbols.contains(&d.name)) {
        out.push(ev(
            EvidenceKind::Symbol,
            d.line,
            Some(d.name.clone()),
            false,
        ));
    }
    for r in f
        .routes
        .iter()
        .filter(|r| t.routes.iter().any(|p| p.matches(r)))
    {
        out.push(ev(EvidenceKind::Route, r.line, Some(r.label()), false));
    }
    for g in &f.graphql {
        let Some(field) = g.matched_name(&t.graphql) else {
            continue;
        };
        let name = format!("{}.{field}", g.operation);
        out.push(ev(EvidenceKind::Graphql, g.line, Some(name), false));
    }
    for fl in f.flags.iter().filter(|fl| t.flags.contains(&fl.key)) {
        out.push(ev(EvidenceKind::Flag, fl.line, Some(fl.key.clone()), false));
    }
    out
}

/// The language a file is in by its extension, for files not parsed.
fn language_by_name(code_path: &str) -> Option<String> {
    if code_path.ends_with(".graphql") || code_path.ends_with(".gql") {
        return Some("graphql".into());
    }
    super::languages::for_path(code_path).map(|l| super::languages::LANGUAGES[l].name.to_string())
}

/// Markers naming an id that no capability has: a warning each, with the
/// nearest known id and a page stub to create.
pub fn unknown_markers(records: &[FileRecord], plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rec in records {
        for m in &rec.entry.facts.markers {
            for id in m.ids.iter().filter(|id| !plan.known_ids.contains(*id)) {
                out.push(unknown_marker(rec, m.line, id, plan));
            }
        }
    }
    out
}

fn unknown_marker(rec: &FileRecord, line: u32, id: &str, plan: &Plan) -> Diagnostic {
    let stub = format!(
        "create content/capabilities/{id}.md holding these lines: `---`, `title: {}`, `summary: …`, `category: …`, `---`",
        title_of(id)
    );
    let hint = match nearest(id, plan.known_ids.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`? otherwise {stub}"),
        None => stub,
    };
    Diagnostic::warning(
        PathBuf::from(&rec.path),
        format!("marker names unknown capability `{id}`"),
    )
    .at_line(line as usize)
    .with_hint(hint)
}

/// `csv-export` → `Csv export`.
fn title_of(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut c = words.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Problems that may hide evidence whatever the verbosity (cancelled
/// parses, bad exclude globs, missing roots) are warnings. Skipped and
/// unreadable files are counted ([`skip_counts`]); with `verbose` each is
/// also named, as a notice.
pub fn file_diagnostics(problems: &[WalkProblem], verbose: bool) -> Vec<Diagnostic> {
    let hint = "the scan went on without it; exclude it in [code] exclude if it does not matter";
    problems
        .iter()
        .filter(|p| p.always || verbose)
        .map(|p| {
            // Notices never change a verdict: `-v` only says which files the
            // summary's counts are made of.
            let d = if p.always {
                Diagnostic::warning(p.path.clone(), p.message.clone())
            } else {
                Diagnostic::notice(p.path.clone(), p.message.clone())
            };
            d.with_hint(hint)
        })
        .collect()
}

/// How many files were passed over, by reason.
pub fn skip_counts(records: &[FileRecord], problems: &[WalkProblem]) -> SkipCounts {
    let mut c = SkipCounts {
        unreadable: problems.iter().filter(|p| !p.always).count() as u64,
        ..SkipCounts::default()
    };
    for rec in records {
        match rec.entry.skip {
            Some(Skip::Binary) => c.binary += 1,
            Some(Skip::Generated) => c.generated += 1,
            Some(Skip::Minified) => c.minified += 1,
            Some(Skip::TooLarge) => c.too_large += 1,
            None => {}
        }
        c.lossy += u64::from(rec.entry.lossy);
    }
    c
}

/// Every matcher of `targets` that matched nothing in product code, in
/// capability and front-matter order (`hits` from [`collect`]). A matcher
/// whose every hit is in test code is one: tests do not show a capability
/// exists, so it counts like its status (docs/configuration.md, "Test code").
pub fn misses(targets: &[ScanTarget], hits: &[TargetHits]) -> Vec<MatcherMiss> {
    matcher_hits(targets, hits)
        .into_iter()
        .filter(|h| h.product == 0)
        .map(|h| MatcherMiss {
            id: h.id,
            kind: h.kind,
            index: h.index,
            pattern: h.pattern,
            in_tests: h.test,
        })
        .collect()
}

/// Diagnostics sorted by file and line, duplicates dropped.
pub fn sorted(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut d = Diagnostics::new();
    d.extend(diagnostics);
    d.sort();
    d.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::cache::Entry;
    use crate::scan::facts::{FileFacts, MarkerFact, RouteFact};
    use crate::scan::{Matchers, ScanTarget};

    fn record(code_path: &str, facts: FileFacts) -> FileRecord {
        FileRecord {
            path: format!("code/{code_path}"),
            code_path: code_path.into(),
            test: crate::scan::testcode::TestFiles::default().is_test(code_path),
            entry: Entry {
                size: 1,
                mtime: 1,
                hash: None,
                skip: None,
                lossy: false,
                facts,
            },
        }
    }

    fn plan(targets: &[ScanTarget]) -> Plan {
        Plan::new(&crate::config::CodeConfig::default(), targets, false)
    }

    #[test]
    fn facts_become_evidence_per_matching_target() {
        let targets = [
            ScanTarget {
                id: "webhooks".into(),
                matchers: Matchers {
                    routes: vec!["POST /api/webhooks*".into()],
                    paths: vec!["hooks/**".into()],
                    ..Matchers::default()
                },
            },
            ScanTarget {
                id: "other".into(),
                matchers: Matchers {
                    paths: vec!["nowhere/**".into()],
                    symbols: vec!["Ghost".into()],
                    ..Matchers::default()
                },
            },
        ];
        let facts = FileFacts {
            language: Some("typescript".into()),
            routes: vec![RouteFact {
                line: 3,
                method: "POST".into(),
                path: "/api/webhooks".into(),
                handler: None,
                full: Vec::new(),
            }],
            markers: vec![MarkerFact {
                line: 1,
                ids: vec!["webhooks".into(), "ghost".into()],
                beta: true,
                symbol: "app".into(),
            }],
            ..FileFacts::default()
        };
        let records = [record("hooks/app.ts", facts)];
        let p = plan(&targets);
        let (ev, hits) = collect(&records, &p, &targets);
        let missed: Vec<_> = misses(&targets, &hits)
            .into_iter()
            .map(|m| (m.id, m.kind, m.index, m.pattern))
            .collect();
        assert_eq!(
            missed,
            [
                ("other".into(), EvidenceKind::Path, 0, "nowhere/**".into()),
                ("other".into(), EvidenceKind::Symbol, 0, "Ghost".into()),
            ],
            "webhooks' route and glob matched"
        );
        let kinds: Vec<_> = ev["webhooks"].iter().map(|e| (e.kind, e.line)).collect();
        assert_eq!(
            kinds,
            [
                (EvidenceKind::Marker, 1),
                (EvidenceKind::Path, 1),
                (EvidenceKind::Route, 3)
            ]
        );
        assert!(ev["webhooks"][0].beta);
        assert!(!ev.contains_key("other"));
        let unknown = unknown_markers(&records, &p);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].line, Some(1));
        assert!(unknown[0].message.contains("`ghost`"));
        assert!(
            unknown[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("content/capabilities/ghost.md")
        );
    }

    #[test]
    fn hits_in_tests_are_counted_apart_and_do_not_save_a_matcher() {
        let targets = [ScanTarget {
            id: "keys".into(),
            matchers: Matchers {
                paths: vec!["server/keys/**".into()],
                symbols: vec!["createKey".into()],
                ..Matchers::default()
            },
        }];
        let def = |line| FileFacts {
            definitions: vec![crate::scan::facts::DefinitionFact {
                line,
                name: "createKey".into(),
                kind: "function".into(),
            }],
            ..FileFacts::default()
        };
        let records = [
            record("server/keys/keys.test.ts", def(4)),
            record("server/keys/__tests__/more.ts", FileFacts::default()),
            record("server/keys/keys.ts", FileFacts::default()),
        ];
        let p = plan(&targets);
        let (ev, hits) = collect(&records, &p, &targets);
        let tests: Vec<bool> = ev["keys"].iter().map(|e| e.test).collect();
        assert_eq!(tests, [true, true, false, true], "{:?}", ev["keys"]);
        let counts: Vec<_> = matcher_hits(&targets, &hits)
            .into_iter()
            .map(|h| (h.kind, h.product, h.test))
            .collect();
        assert_eq!(
            counts,
            [(EvidenceKind::Path, 1, 2), (EvidenceKind::Symbol, 0, 1)]
        );
        let missed = misses(&targets, &hits);
        assert_eq!(missed.len(), 1, "the symbol is defined only in a test");
        assert_eq!(
            (missed[0].kind, missed[0].in_tests),
            (EvidenceKind::Symbol, 1)
        );
    }

    #[test]
    fn titles_and_languages_for_stubs_and_paths() {
        assert_eq!(title_of("csv-export"), "Csv export");
        assert_eq!(language_by_name("a/b.go").as_deref(), Some("go"));
        assert_eq!(language_by_name("s.gql").as_deref(), Some("graphql"));
        assert_eq!(language_by_name("README.md"), None);
    }
}
