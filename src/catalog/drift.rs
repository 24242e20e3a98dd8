//! Drift: where the catalog and the code or Jira disagree (docs/statuses.md,
//! "Drift"). Every item is a warning with its file and line, listed by
//! `capcat check` and on the internal `/drift/` page; `--strict` fails on
//! any. Also the coverage figure: how many shipped capabilities the code
//! backs.

use super::Capability;
use super::derive::{self, Inputs};
use crate::diagnostics::Diagnostic;
use crate::model::{Claim, Coverage, EvidenceItem, EvidenceKind, Status, WorkEntry};
use crate::scan::MatcherMiss;
use crate::scan::suggest::Suggestion;
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// What kind of disagreement an item is, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    /// A matcher matches nothing, and nothing explains why.
    DeadMatcher,
    /// Claimed available or beta, but no code evidence.
    ClaimWithoutCode,
    /// Claimed unavailable or not planned, but found in the code.
    ClaimedAbsentButFound,
    /// Code evidence while the roadmap says planned, considering or not planned.
    CodeAheadOfRoadmap,
    /// Code evidence while a linked epic is still in progress.
    EpicOpenWithCode,
    /// A linked epic is done, but no code evidence backs it.
    EpicDoneWithoutCode,
    /// A marker comment names an id no capability has.
    UnknownMarker,
    /// A Jira label names an id no capability has.
    UnknownLabel,
    /// No matchers and no marker: nothing can confirm or refute the status.
    Unverifiable,
}

impl DriftKind {
    /// Every kind, in report order.
    pub const ALL: [DriftKind; 9] = [
        DriftKind::DeadMatcher,
        DriftKind::ClaimWithoutCode,
        DriftKind::ClaimedAbsentButFound,
        DriftKind::CodeAheadOfRoadmap,
        DriftKind::EpicOpenWithCode,
        DriftKind::EpicDoneWithoutCode,
        DriftKind::UnknownMarker,
        DriftKind::UnknownLabel,
        DriftKind::Unverifiable,
    ];

    /// The kebab-case name (`dead-matcher`), an anchor on the drift page.
    pub fn slug(self) -> &'static str {
        match self {
            DriftKind::DeadMatcher => "dead-matcher",
            DriftKind::ClaimWithoutCode => "claim-without-code",
            DriftKind::ClaimedAbsentButFound => "claimed-absent-but-found",
            DriftKind::CodeAheadOfRoadmap => "code-ahead-of-roadmap",
            DriftKind::EpicOpenWithCode => "epic-open-with-code",
            DriftKind::EpicDoneWithoutCode => "epic-done-without-code",
            DriftKind::UnknownMarker => "unknown-marker",
            DriftKind::UnknownLabel => "unknown-label",
            DriftKind::Unverifiable => "unverifiable",
        }
    }

    /// The heading of its section on the drift page.
    pub fn title(self) -> &'static str {
        match self {
            DriftKind::DeadMatcher => "Matchers that match nothing",
            DriftKind::ClaimWithoutCode => "Claimed, but no code found",
            DriftKind::ClaimedAbsentButFound => "Claimed absent, but found in code",
            DriftKind::CodeAheadOfRoadmap => "Code ahead of the roadmap",
            DriftKind::EpicOpenWithCode => "Code found, epic still open",
            DriftKind::EpicDoneWithoutCode => "Epic done, no code found",
            DriftKind::UnknownMarker => "Markers naming unknown capabilities",
            DriftKind::UnknownLabel => "Jira labels naming unknown capabilities",
            DriftKind::Unverifiable => "Unverifiable: no matchers, no markers",
        }
    }
}

/// One disagreement, as the warning that reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriftItem {
    /// What kind.
    pub kind: DriftKind,
    /// The capability it is about, when it is about one.
    pub capability: Option<String>,
    /// The warning: file, line, message and hint.
    pub diagnostic: Diagnostic,
    /// The matcher that matched nothing ([`DriftKind::DeadMatcher`]).
    #[serde(skip)]
    pub miss: Option<MatcherMiss>,
}

/// The drift report of a catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Every item, by kind, then file and line.
    pub items: Vec<DriftItem>,
    /// Shipped capabilities backed by code evidence.
    pub coverage: Option<Coverage>,
}

/// What the drift report is made from besides the capabilities.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Matchers that matched nothing.
    pub misses: Vec<MatcherMiss>,
    /// Warnings for markers naming unknown ids.
    pub unknown_markers: Vec<Diagnostic>,
    /// Warnings for Jira labels naming unknown ids.
    pub unknown_labels: Vec<Diagnostic>,
}

/// True when a capability's matchers finding nothing is expected: it is
/// claimed unavailable or not planned, or linked work is still open or was
/// declined. Such matchers are tripwires: silent until the code lands.
pub fn is_tripwire(cap: &Capability) -> bool {
    cap.meta().claim.is_some_and(Claim::says_absent)
        || cap.work.iter().any(|w| w.is_open() || w.is_declined())
}

/// Builds the report of `caps`.
pub fn report(caps: &[Capability], findings: Findings, today: Date) -> Drift {
    let mut misses: BTreeMap<&str, Vec<&MatcherMiss>> = BTreeMap::new();
    for m in &findings.misses {
        misses.entry(m.id.as_str()).or_default().push(m);
    }
    let mut items = Vec::new();
    for cap in caps {
        let own = misses.get(cap.id()).map_or(&[][..], Vec::as_slice);
        capability_items(cap, own, today, &mut items);
    }
    let loose = |kind, diagnostics: Vec<Diagnostic>| {
        diagnostics.into_iter().map(move |diagnostic| DriftItem {
            kind,
            capability: None,
            diagnostic,
            miss: None,
        })
    };
    items.extend(loose(DriftKind::UnknownMarker, findings.unknown_markers));
    items.extend(loose(DriftKind::UnknownLabel, findings.unknown_labels));
    Drift {
        items: sorted(items),
        coverage: Some(coverage(caps)),
    }
}

/// `items` by kind, then file, line, column and message. Paths compare
/// component by component, which parses them on every comparison: each
/// item's components are split once instead.
fn sorted(items: Vec<DriftItem>) -> Vec<DriftItem> {
    let files: Vec<Option<Vec<std::path::Component<'_>>>> = items
        .iter()
        .map(|i| {
            i.diagnostic
                .file
                .as_deref()
                .map(|f| f.components().collect())
        })
        .collect();
    let key = |n: usize| {
        let d = &items[n].diagnostic;
        (items[n].kind, &files[n], d.line, d.column, &d.message)
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    drop(files);
    let mut slots: Vec<Option<DriftItem>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|n| slots[n].take()).collect()
}

/// Available and beta capabilities, and how many of them have evidence.
pub fn coverage(caps: &[Capability]) -> Coverage {
    let shipped: Vec<&Capability> = caps.iter().filter(|c| c.status.is_shipped()).collect();
    let backed = shipped
        .iter()
        .filter(|c| derive::product(&c.evidence).next().is_some())
        .count();
    Coverage::of(shipped.len(), backed)
}

impl Drift {
    /// The matchers reported as matching nothing, in item order: what
    /// suggestions are worth computing for.
    pub fn dead_matchers(&self) -> Vec<MatcherMiss> {
        self.items.iter().filter_map(|i| i.miss.clone()).collect()
    }

    /// Adds the did-you-mean of each dead matcher (same order as
    /// [`Self::dead_matchers`]) to its message.
    pub fn attach_suggestions(&mut self, suggestions: &[Option<Suggestion>]) {
        let dead = self.items.iter_mut().filter(|i| i.miss.is_some());
        for (item, suggestion) in dead.zip(suggestions) {
            if let Some(s) = suggestion {
                item.diagnostic
                    .message
                    .push_str(&format!("; did you mean {s}?"));
            }
        }
    }

    /// Every item as a warning.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.items.iter().map(|i| i.diagnostic.clone())
    }

    /// Items of one kind.
    pub fn of_kind(&self, kind: DriftKind) -> impl Iterator<Item = &DriftItem> {
        self.items.iter().filter(move |i| i.kind == kind)
    }
}

fn capability_items(
    cap: &Capability,
    misses: &[&MatcherMiss],
    today: Date,
    items: &mut Vec<DriftItem>,
) {
    let meta = cap.meta();
    let id = cap.id();
    let lines = &cap.draft.lines;
    let mut push = |kind, line: usize, col: Option<usize>, message: String, hint: &str| {
        items.push(item(cap, kind, (line, col), message, hint));
    };
    // Only product evidence counts, as for the status: a capability found
    // only in tests is not in the code.
    let has_evidence = derive::product(&cap.evidence).next().is_some();
    let found_at = derive::product(&cap.evidence)
        .next()
        .map(place)
        .unwrap_or_default();
    let roadmap = derive::roadmap_status(&Inputs {
        claim: meta.claim,
        evidence: &cap.evidence,
        work: &cap.work,
        // Customers asking is demand, not a plan: only linked work makes
        // the roadmap say planned or considering.
        requests: 0,
        has_matchers: !meta.evidence.is_empty(),
        today,
    });
    if !has_evidence && matches!(meta.claim, Some(Claim::Available | Claim::Beta)) {
        let claim = meta.claim.map_or("", Claim::words);
        push(
            DriftKind::ClaimWithoutCode,
            lines.claim,
            None,
            format!("`{id}` is claimed {claim} but no code evidence was found"),
            "add a `capability:` marker comment or an evidence matcher that finds the code, or remove the claim",
        );
    }
    match meta.claim {
        Some(c) if has_evidence && c.says_absent() => push(
            DriftKind::ClaimedAbsentButFound,
            lines.claim,
            None,
            format!(
                "`{id}` is claimed {} but found in code ({found_at})",
                c.words()
            ),
            "if the code has landed, remove the claim; if the matchers found something else, narrow them",
        ),
        _ if has_evidence
            && matches!(
                roadmap,
                Status::Planned | Status::Considering | Status::NotPlanned
            ) =>
        {
            push(
                DriftKind::CodeAheadOfRoadmap,
                lines.jira,
                None,
                format!(
                    "`{id}` has code evidence ({found_at}) but the roadmap says {}{}: is it shipped?",
                    roadmap.label().to_lowercase(),
                    lead_work(&cap.work)
                ),
                "if it has shipped, close the linked work in Jira; if the code is something else, narrow the matchers",
            )
        }
        _ if has_evidence && roadmap == Status::InProgress => push(
            DriftKind::EpicOpenWithCode,
            lines.jira,
            None,
            format!(
                "`{id}` has code evidence ({found_at}) but linked work is still open{}",
                lead_work(&cap.work)
            ),
            "close the linked work when it has shipped; until then the page says available",
        ),
        _ => {}
    }
    if !has_evidence && let Some(w) = cap.work.iter().find(|w| w.is_delivered()) {
        push(
            DriftKind::EpicDoneWithoutCode,
            lines.jira,
            None,
            format!(
                "`{id}`: linked {} {} is {} but no code evidence was found",
                w.issue_type, w.key, w.status
            ),
            "add a `capability:` marker or a matcher that finds the code; today its status rests on Jira alone",
        );
    }
    if meta.evidence.is_empty() && !has_evidence {
        push(
            DriftKind::Unverifiable,
            1,
            None,
            format!(
                "`{id}` has no evidence matchers and no marker: nothing can confirm or refute its status"
            ),
            "add `evidence:` matchers (paths, symbols, routes, graphql, flags) or a `capability:` marker comment; for something not built yet they wait as tripwires",
        );
    }
    if is_tripwire(cap) {
        return;
    }
    for m in misses {
        let (line, col) = lines.matcher(m.kind, m.index);
        let mut dead = item(
            cap,
            DriftKind::DeadMatcher,
            (line, Some(col)),
            format!("`{id}`: {}", no_match(m)),
            "fix the matcher; if the capability is not built yet, say `claim: unavailable` and its matchers wait for the code",
        );
        dead.miss = Some((*m).clone());
        items.push(dead);
    }
}

fn item(
    cap: &Capability,
    kind: DriftKind,
    (line, col): (usize, Option<usize>),
    message: String,
    hint: &str,
) -> DriftItem {
    let d = Diagnostic::warning(cap.draft.source.clone(), message).with_hint(hint);
    DriftItem {
        kind,
        capability: Some(cap.id().to_string()),
        diagnostic: match col {
            Some(c) => d.at(line, c),
            None => d.at_line(line),
        },
        miss: None,
    }
}

/// "no symbol `X` in the code", by matcher kind.
fn no_match(m: &MatcherMiss) -> String {
    let p = &m.pattern;
    if m.in_tests > 0 {
        let n = m.in_tests;
        let what = match m.kind {
            EvidenceKind::Path => "paths glob",
            EvidenceKind::Symbol => "symbol",
            EvidenceKind::Route => "route pattern",
            EvidenceKind::Graphql => "GraphQL field",
            EvidenceKind::Flag => "feature flag",
            EvidenceKind::Marker => "marker",
        };
        return format!(
            "{what} `{p}` matches only test code ({n} {}), nothing in the product",
            if n == 1 { "hit" } else { "hits" }
        );
    }
    match m.kind {
        EvidenceKind::Path => format!("no file matches paths glob `{p}`"),
        EvidenceKind::Symbol => format!("no symbol `{p}` is defined in the code"),
        EvidenceKind::Route => format!("no route matches `{p}`"),
        EvidenceKind::Graphql => format!("no GraphQL field `{p}`"),
        EvidenceKind::Flag => format!("no feature flag `{p}`"),
        EvidenceKind::Marker => format!("no marker `{p}`"),
    }
}

fn place(e: &EvidenceItem) -> String {
    format!("{}:{}", e.at.path, e.at.line)
}

/// ` (HBR-12 To Do)`: the first open or declined linked item.
fn lead_work(work: &[WorkEntry]) -> String {
    work.iter()
        .find(|w| w.is_open())
        .or_else(|| work.iter().find(|w| w.is_declined()))
        .map(|w| format!(" ({} {} {})", w.issue_type, w.key, w.status))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{CapabilityDraft, FrontMatter};
    use crate::model::{Evidence, LinkedBy, Matchers, Progress, WorkCategory};
    use std::path::PathBuf;

    fn cap(id: &str, claim: Option<Claim>, work: Vec<WorkEntry>, found: bool) -> Capability {
        let evidence = found
            .then(|| EvidenceItem {
                at: Evidence {
                    kind: EvidenceKind::Symbol,
                    path: "code/a.py".into(),
                    line: 3,
                    symbol: Some("Thing".into()),
                    language: None,
                    beta: false,
                    test: false,
                },
                url: None,
            })
            .into_iter()
            .collect();
        let today = crate::model::date::parse_iso_date("2026-11-21").unwrap();
        let matchers = Matchers {
            symbols: vec!["Thing".into()],
            ..Matchers::default()
        };
        let mut c = Capability {
            draft: CapabilityDraft {
                id: id.into(),
                source: PathBuf::from(format!("content/capabilities/{id}.md")),
                meta: FrontMatter {
                    title: id.into(),
                    summary: "s".into(),
                    category: "c".into(),
                    aliases: vec![],
                    redirect_from: vec![],
                    claim,
                    public: false,
                    evidence: matchers,
                    jira: vec![],
                    plans: vec![],
                    related: vec![],
                },
                redirect_from_line: 1,
                category_line: 1,
                lines: Default::default(),
                body_html: String::new(),
                body_text: String::new(),
            },
            url: String::new(),
            category_slug: "c".into(),
            status: Status::Unavailable,
            why: String::new(),
            why_details: vec![],
            promise: None,
            risks: vec![],
            target: None,
            evidence,
            dependencies: vec![],
            work,
            demand: None,
            related: vec![],
        };
        c.status = derive::derive(&Inputs {
            claim,
            evidence: &c.evidence,
            work: &c.work,
            requests: 0,
            has_matchers: true,
            today,
        })
        .status;
        c
    }

    fn work(category: WorkCategory, resolution: Option<&str>) -> WorkEntry {
        WorkEntry {
            key: "X-1".into(),
            summary: "s".into(),
            issue_type: "Epic".into(),
            status: "S".into(),
            category,
            resolution: resolution.map(str::to_string),
            due: None,
            created: None,
            fix_versions: vec![],
            progress: Progress::default(),
            blocked_by: vec![],
            url: None,
            linked_by: LinkedBy::Explicit,
            scope: vec![],
        }
    }

    fn kinds(c: Capability) -> Vec<DriftKind> {
        let miss = MatcherMiss {
            id: c.id().to_string(),
            kind: EvidenceKind::Symbol,
            index: 0,
            pattern: "Thing".into(),
            in_tests: 0,
        };
        let findings = Findings {
            misses: if c.evidence.is_empty() {
                vec![miss]
            } else {
                vec![]
            },
            ..Findings::default()
        };
        let today = crate::model::date::parse_iso_date("2026-11-21").unwrap();
        report(&[c], findings, today)
            .items
            .iter()
            .map(|i| i.kind)
            .collect()
    }

    #[test]
    fn explained_absence_makes_tripwires() {
        assert!(is_tripwire(&cap(
            "a",
            Some(Claim::Unavailable),
            vec![],
            false
        )));
        assert!(is_tripwire(&cap(
            "a",
            Some(Claim::NotPlanned),
            vec![],
            false
        )));
        assert!(is_tripwire(&cap(
            "a",
            None,
            vec![work(WorkCategory::Todo, None)],
            false
        )));
        let declined = work(WorkCategory::Done, Some("Won't Do"));
        assert!(is_tripwire(&cap("a", None, vec![declined], false)));
        assert!(!is_tripwire(&cap("a", None, vec![], false)));
        assert!(!is_tripwire(&cap(
            "a",
            Some(Claim::Deprecated),
            vec![],
            false
        )));
        let done = work(WorkCategory::Done, Some("Done"));
        assert!(!is_tripwire(&cap("a", None, vec![done], false)));
    }

    #[test]
    fn each_disagreement_has_its_kind() {
        assert_eq!(
            kinds(cap("a", None, vec![], false)),
            [DriftKind::DeadMatcher]
        );
        assert_eq!(kinds(cap("a", Some(Claim::Unavailable), vec![], false)), []);
        assert_eq!(
            kinds(cap("a", Some(Claim::Unavailable), vec![], true)),
            [DriftKind::ClaimedAbsentButFound]
        );
        assert_eq!(
            kinds(cap("a", Some(Claim::Beta), vec![], false)),
            [DriftKind::DeadMatcher, DriftKind::ClaimWithoutCode]
        );
        let open = work(WorkCategory::InProgress, None);
        assert_eq!(
            kinds(cap("a", None, vec![open], true)),
            [DriftKind::EpicOpenWithCode]
        );
        let todo = work(WorkCategory::Todo, None);
        assert_eq!(
            kinds(cap("a", None, vec![todo], true)),
            [DriftKind::CodeAheadOfRoadmap]
        );
        let done = work(WorkCategory::Done, Some("Done"));
        assert_eq!(
            kinds(cap("a", None, vec![done], false)),
            [DriftKind::DeadMatcher, DriftKind::EpicDoneWithoutCode]
        );
    }

    #[test]
    fn coverage_counts_shipped_capabilities_with_evidence() {
        let done = work(WorkCategory::Done, Some("Done"));
        let caps = [
            cap("a", None, vec![], true),
            cap("b", None, vec![done], false),
            cap("c", None, vec![], false),
        ];
        assert_eq!(coverage(&caps), Coverage::of(2, 1));
        assert_eq!(Coverage::of(2, 1).percent, 50);
        assert_eq!(Coverage::of(0, 0).percent, 100);
        assert_eq!(Coverage::of(3, 2).percent, 66);
    }

    #[test]
    fn items_sort_as_their_paths_compare_component_by_component() {
        let files = [
            Some("content/a-b.md"),
            Some("content/a/b.md"),
            None,
            Some("content/a.md"),
            Some("content/a/b.md"),
            Some("content//a/./b.md"),
            Some("content"),
        ];
        let mut items = Vec::new();
        for (n, file) in files.iter().enumerate() {
            for kind in [DriftKind::Unverifiable, DriftKind::DeadMatcher] {
                let d = Diagnostic::warning(file.map(PathBuf::from), format!("m{}", n % 2));
                items.push(DriftItem {
                    kind,
                    capability: Some(n.to_string()),
                    diagnostic: d.at(n % 3 + 1, 1),
                    miss: None,
                });
            }
        }
        // Equal keys keep their order: this one follows its twin.
        let mut twin = items[0].clone();
        twin.capability = Some("twin".into());
        items.push(twin);
        let mut expected = items.clone();
        expected.sort_by(|a, b| {
            let (x, y) = (&a.diagnostic, &b.diagnostic);
            (a.kind, &x.file, x.line, x.column, &x.message)
                .cmp(&(b.kind, &y.file, y.line, y.column, &y.message))
        });
        assert_eq!(sorted(items), expected);
    }
}
