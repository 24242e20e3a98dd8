//! Facts of every file + compiled matchers → evidence per capability, and the
//! scan's diagnostics.

use super::cache::Skip;
use super::plan::Plan;
use super::walk::{FileRecord, WalkProblem};
use super::{Evidence, EvidenceKind, MatcherMiss, ScanTarget, SkipCounts};
use crate::diagnostics::{Diagnostic, Diagnostics, nearest};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Evidence by capability id, every list sorted and deduplicated, and per
/// target which of its compiled `paths` globs matched some file (one glob
/// match per file and target, shared by both).
pub fn collect(records: &[FileRecord], plan: &Plan) -> (BTreeMap<String, Vec<Evidence>>, PathHits) {
    let mut out: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    let mut hits: PathHits = plan
        .targets
        .iter()
        .map(|t| vec![false; t.path_patterns.len()])
        .collect();
    let mut matched = Vec::new();
    for rec in records {
        for (t, h) in plan.targets.iter().zip(hits.iter_mut()) {
            matched.clear();
            if !h.is_empty() {
                t.paths.matches_into(&rec.code_path, &mut matched);
                for &i in &matched {
                    h[i] = true;
                }
            }
            let found = file_evidence(rec, t, !matched.is_empty());
            if !found.is_empty() {
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

/// Per target, per compiled `paths` glob: it matched some file.
pub type PathHits = Vec<Vec<bool>>;

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
    for g in f.graphql.iter().filter(|g| t.graphql.contains(&g.field)) {
        let name = format!("{}.{}", g.operation, g.field);
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

/// Every matcher of `targets` that matched nothing in `records`, in
/// capability and front-matter order (`path_hits` from [`collect`]).
pub fn misses(
    records: &[FileRecord],
    plan: &Plan,
    targets: &[ScanTarget],
    path_hits: PathHits,
) -> Vec<MatcherMiss> {
    let mut symbols: HashSet<&str> = HashSet::new();
    let mut graphql: HashSet<&str> = HashSet::new();
    let mut flags: HashSet<&str> = HashSet::new();
    let mut routes = Vec::new();
    for rec in records {
        let f = &rec.entry.facts;
        symbols.extend(f.definitions.iter().map(|d| d.name.as_str()));
        graphql.extend(f.graphql.iter().map(|g| g.field.as_str()));
        flags.extend(f.flags.iter().map(|fl| fl.key.as_str()));
        routes.extend(f.routes.iter());
    }
    let mut out = Vec::new();
    for ((t, compiled), hits) in targets.iter().zip(&plan.targets).zip(path_hits) {
        let miss = |kind, index, pattern: &String| MatcherMiss {
            id: t.id.clone(),
            kind,
            index,
            pattern: pattern.clone(),
        };
        for (j, (index, pattern)) in compiled.path_patterns.iter().enumerate() {
            if !hits[j] {
                out.push(miss(EvidenceKind::Path, *index, pattern));
            }
        }
        let m = &t.matchers;
        for (i, name) in m.symbols.iter().enumerate() {
            if !symbols.contains(name.as_str()) {
                out.push(miss(EvidenceKind::Symbol, i, name));
            }
        }
        for (i, pattern) in m.routes.iter().enumerate() {
            let p = super::routes::RoutePattern::new(pattern);
            if !routes.iter().any(|r| p.matches(r)) {
                out.push(miss(EvidenceKind::Route, i, pattern));
            }
        }
        for (i, field) in m.graphql.iter().enumerate() {
            if !graphql.contains(field.as_str()) {
                out.push(miss(EvidenceKind::Graphql, i, field));
            }
        }
        for (i, key) in m.flags.iter().enumerate() {
            if !flags.contains(key.as_str()) {
                out.push(miss(EvidenceKind::Flag, i, key));
            }
        }
    }
    out
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
        let (ev, hits) = collect(&records, &p);
        assert_eq!(hits, [vec![true], vec![false]]);
        let missed: Vec<_> = misses(&records, &p, &targets, hits)
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
    fn titles_and_languages_for_stubs_and_paths() {
        assert_eq!(title_of("csv-export"), "Csv export");
        assert_eq!(language_by_name("a/b.go").as_deref(), Some("go"));
        assert_eq!(language_by_name("s.gql").as_deref(), Some("graphql"));
        assert_eq!(language_by_name("README.md"), None);
    }
}
