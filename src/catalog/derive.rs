//! Status, promise, risk, target and answer derivation (docs/statuses.md).
//!
//! Pure functions of a capability's claim, its evidence and its linked work,
//! so every rule can be tested on its own.

use crate::model::{
    Claim, EvidenceItem, EvidenceKind, Promise, Quarter, Risk, Status, Target, WorkCategory,
    WorkEntry,
};
use std::collections::BTreeMap;
use time::Date;

/// What status derivation looks at.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The front-matter claim.
    pub claim: Option<Claim>,
    /// Code evidence.
    pub evidence: &'a [EvidenceItem],
    /// Linked delivery work.
    pub work: &'a [WorkEntry],
    /// Number of linked customer requests.
    pub requests: usize,
    /// The front matter has evidence matchers: the capability was looked
    /// for in the code, so finding nothing is news.
    pub has_matchers: bool,
    /// The date risk is judged against.
    pub today: Date,
}

/// Everything derived for one capability.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Status.
    pub status: Status,
    /// Promise badge.
    pub promise: Option<Promise>,
    /// Risks of its open work.
    pub risks: Vec<Risk>,
    /// Target quarter or version.
    pub target: Option<Target>,
    /// Why: headline.
    pub why: String,
    /// Why: details.
    pub why_details: Vec<String>,
}

/// Derives status and everything that follows from it.
pub fn derive(input: &Inputs<'_>) -> Derived {
    let status = status(input);
    let open: Vec<&WorkEntry> = input.work.iter().filter(|w| w.is_open()).collect();
    let (target, risks) = if status.is_scheduled() {
        (target(&open), risks(&open, input.today))
    } else {
        (None, Vec::new())
    };
    let promise = promise(status, !risks.is_empty(), target.is_some());
    let (why, why_details) = why(status, input);
    Derived {
        status,
        promise,
        risks,
        target,
        why,
        why_details,
    }
}

/// Evidence from product code: what status rests on. Evidence in tests
/// shows a capability is tested, never that it exists.
pub fn product(evidence: &[EvidenceItem]) -> impl Iterator<Item = &EvidenceItem> {
    evidence.iter().filter(|e| !e.at.test)
}

/// How many distinct test files hold evidence.
pub fn tested_files(evidence: &[EvidenceItem]) -> usize {
    let files: std::collections::BTreeSet<&str> = evidence
        .iter()
        .filter(|e| e.at.test)
        .map(|e| e.at.path.as_str())
        .collect();
    files.len()
}

fn status(input: &Inputs<'_>) -> Status {
    let has_evidence = product(input.evidence).next().is_some();
    let marker_beta = product(input.evidence).any(|e| e.at.beta);
    match input.claim {
        Some(Claim::Deprecated) => return Status::Deprecated,
        Some(Claim::NotPlanned) => return Status::NotPlanned,
        _ => {}
    }
    // Only code overrules a claim of absence; a done epic does not.
    let delivered =
        input.claim != Some(Claim::Unavailable) && input.work.iter().any(WorkEntry::is_delivered);
    if has_evidence || delivered {
        return if input.claim == Some(Claim::Beta) || marker_beta {
            Status::Beta
        } else {
            Status::Available
        };
    }
    if matches!(input.claim, Some(Claim::Available | Claim::Beta)) {
        return Status::Unverified;
    }
    let live: Vec<&WorkEntry> = input.work.iter().filter(|w| !w.is_declined()).collect();
    if live.iter().any(|w| w.category == WorkCategory::InProgress) {
        return Status::InProgress;
    }
    let todo: Vec<&&WorkEntry> = live
        .iter()
        .filter(|w| matches!(w.category, WorkCategory::Todo | WorkCategory::Unknown))
        .collect();
    if todo
        .iter()
        .any(|w| w.due.is_some() || !w.fix_versions.is_empty())
    {
        return Status::Planned;
    }
    if !todo.is_empty() || input.requests > 0 {
        return Status::Considering;
    }
    if input.work.iter().any(WorkEntry::is_declined) {
        return Status::NotPlanned;
    }
    if input.has_matchers && input.claim.is_none() {
        // Looked for and not found, and nothing explains why: a silent "No"
        // could be a typo in a matcher.
        return Status::Unverified;
    }
    Status::Unavailable
}

/// The status the claim and the linked work alone give, as if no code
/// evidence had been found: what the roadmap says, for drift checks.
pub fn roadmap_status(input: &Inputs<'_>) -> Status {
    status(&Inputs {
        evidence: &[],
        ..*input
    })
}

/// The quarter of the earliest due date, else the first fix version.
fn target(open: &[&WorkEntry]) -> Option<Target> {
    let earliest = open.iter().filter_map(|w| w.due).min();
    earliest
        .map(|d| Target::Quarter(Quarter::of(d)))
        .or_else(|| {
            open.iter()
                .flat_map(|w| &w.fix_versions)
                .min()
                .map(|v| Target::Version(v.clone()))
        })
}

fn risks(open: &[&WorkEntry], today: Date) -> Vec<Risk> {
    let mut risks = Vec::new();
    for w in open {
        if let Some(due) = w.due
            && due < today
        {
            risks.push(Risk::DuePassed {
                key: w.key.clone(),
                due,
            });
        }
        for b in &w.blocked_by {
            risks.push(Risk::Blocked {
                key: w.key.clone(),
                blocker: b.clone(),
            });
        }
        risks.extend(behind_schedule(w, today));
    }
    risks
}

/// Less than half the children done with less than a quarter of the time
/// (from the item's creation to its due date) left.
fn behind_schedule(w: &WorkEntry, today: Date) -> Option<Risk> {
    let due = w.due?;
    let start = w.created?;
    let p = w.progress;
    if p.total == 0 || p.done * 2 >= p.total || due <= start || due < today {
        return None;
    }
    let days_left = (due - today).whole_days();
    let span = (due - start).whole_days();
    (days_left * 4 < span).then(|| Risk::BehindSchedule {
        key: w.key.clone(),
        done: p.done,
        total: p.total,
        days_left,
        due,
    })
}

fn promise(status: Status, at_risk: bool, has_target: bool) -> Option<Promise> {
    match status {
        Status::Available | Status::Beta => None,
        Status::InProgress | Status::Planned if !at_risk => Some(if has_target {
            Promise::WithDate
        } else {
            Promise::NoDate
        }),
        _ => Some(Promise::DoNotPromise),
    }
}

/// What an audience is told about the risk of scheduled work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskNote {
    /// Not at risk.
    None,
    /// At risk, and the reader may know it ("do not promise a date").
    Shown,
    /// At risk, but the reader is only told it is not dated.
    Withheld,
}

/// The plain answer line: "Yes — available.", "Not yet — in progress,
/// targeted 2027-Q1." `target` is the target the reader may see.
pub fn answer(status: Status, target: Option<&Target>, risk: RiskNote) -> String {
    let (stage, dated) = match status {
        Status::InProgress => (
            "in progress",
            target.map(|t| format!("Not yet — in progress, targeted {t}.")),
        ),
        Status::Planned => (
            "planned",
            target.map(|t| format!("Not yet — planned for {t}.")),
        ),
        other => return fixed_answer(other).to_string(),
    };
    match risk {
        RiskNote::Shown => format!("Not yet — {stage}, at risk: do not promise a date."),
        RiskNote::Withheld => format!("Not yet — {stage}."),
        RiskNote::None => {
            dated.unwrap_or_else(|| format!("Not yet — {stage}, no date to give yet."))
        }
    }
}

fn fixed_answer(status: Status) -> &'static str {
    match status {
        Status::Available => "Yes — available.",
        Status::Beta => "Partly — beta.",
        Status::Considering => "Not yet — under consideration, not scheduled.",
        Status::NotPlanned => "No — not planned.",
        Status::Unavailable => "No — not built and not on the roadmap.",
        Status::Deprecated => "Being retired — deprecated.",
        Status::Unverified => "Unconfirmed — we could not confirm this in the code; ask product.",
        Status::InProgress | Status::Planned => unreachable!("answered with their target"),
    }
}

fn why(status: Status, input: &Inputs<'_>) -> (String, Vec<String>) {
    let mut details = Vec::new();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in product(input.evidence) {
        *kinds.entry(e.at.kind.as_str()).or_default() += 1;
    }
    for (kind, n) in &kinds {
        details.push(format!("{n} {kind} {}", plural(*n, "hit", "hits")));
    }
    let tested = tested_files(input.evidence);
    if tested > 0 {
        details.push(format!(
            "tested in {tested} {}",
            plural(tested, "file", "files")
        ));
    }
    let headline = headline(status, input);
    if let Some(c) = input.claim
        && !headline.starts_with("Claimed")
    {
        details.push(format!("claimed {}", c.words()));
    }
    if input.requests > 0 {
        details.push(format!(
            "{} customer {}",
            input.requests,
            plural(input.requests, "request", "requests")
        ));
    }
    (headline, details)
}

/// Places in the code: a marker and the definition on the line right after
/// it are one place, as are several hits on one line.
fn places<'e>(evidence: impl Iterator<Item = &'e EvidenceItem>) -> usize {
    let mut spots: Vec<(&str, u32, bool)> = evidence
        .map(|e| {
            (
                e.at.path.as_str(),
                e.at.line,
                e.at.kind == EvidenceKind::Marker,
            )
        })
        .collect();
    spots.sort();
    spots.dedup_by(|b, a| {
        let same = a.0 == b.0 && a.1 == b.1;
        a.2 |= same && b.2;
        same
    });
    let mut n = 0;
    for (i, spot) in spots.iter().enumerate() {
        let after_marker = i > 0 && {
            let prev = spots[i - 1];
            prev.2 && prev.0 == spot.0 && prev.1 + 1 == spot.1
        };
        if !after_marker {
            n += 1;
        }
    }
    n
}

fn headline(status: Status, input: &Inputs<'_>) -> String {
    let n = places(product(input.evidence));
    match status {
        Status::Available | Status::Beta if n > 0 => {
            format!("Found in code: {n} {}.", plural(n, "place", "places"))
        }
        Status::Available | Status::Beta => match input.work.iter().find(|w| w.is_delivered()) {
            Some(w) => format!("Delivered by {} ({}).", w.key, w.status),
            None => "Delivered.".into(),
        },
        Status::Unverified if input.claim.is_some() => {
            "Claimed, but no code evidence was found.".into()
        }
        Status::Unverified => "We could not confirm this in the code — ask product.".into(),
        Status::InProgress => {
            lead(input.work, WorkCategory::InProgress).map_or("Work is in progress.".into(), |w| {
                format!(
                    "{} {} is in progress{}.",
                    w.issue_type,
                    w.key,
                    progress_note(w)
                )
            })
        }
        Status::Planned => lead(input.work, WorkCategory::Todo)
            .map_or("Work is planned.".into(), |w| {
                format!("{} {} is scheduled but not started.", w.issue_type, w.key)
            }),
        Status::Considering if input.work.iter().all(WorkEntry::is_declined) => {
            "Only customer requests are linked; nothing is scheduled.".into()
        }
        Status::Considering => "Work is on the backlog with no target.".into(),
        Status::NotPlanned => match input.work.iter().find(|w| w.is_declined()) {
            Some(w) if input.claim != Some(Claim::NotPlanned) => {
                format!(
                    "{} was resolved {}.",
                    w.key,
                    w.resolution.as_deref().unwrap_or("declined")
                )
            }
            _ => "Claimed not planned.".into(),
        },
        Status::Deprecated => "Claimed deprecated.".into(),
        Status::Unavailable if input.claim == Some(Claim::Unavailable) => {
            "Claimed unavailable; no code evidence found.".into()
        }
        Status::Unavailable => "No code evidence, no linked work and no claim.".into(),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn lead(work: &[WorkEntry], category: WorkCategory) -> Option<&WorkEntry> {
    work.iter()
        .find(|w| w.category == category && !w.is_declined())
}

fn progress_note(w: &WorkEntry) -> String {
    if w.progress.total == 0 {
        String::new()
    } else {
        format!(" ({} of {} done)", w.progress.done, w.progress.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::parse_iso_date;
    use crate::model::{Evidence, EvidenceKind, LinkedBy, Progress};

    fn work(category: WorkCategory) -> WorkEntry {
        WorkEntry {
            key: "HBR-1".into(),
            summary: "Epic".into(),
            issue_type: "Epic".into(),
            status: "Status".into(),
            category,
            resolution: None,
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

    fn ev(beta: bool) -> EvidenceItem {
        EvidenceItem {
            at: Evidence {
                kind: EvidenceKind::Marker,
                path: "a.py".into(),
                line: 1,
                symbol: None,
                language: None,
                beta,
                test: false,
            },
            url: None,
        }
    }

    fn at(kind: EvidenceKind, path: &str, line: u32) -> EvidenceItem {
        let mut e = ev(false);
        e.at.kind = kind;
        e.at.path = path.into();
        e.at.line = line;
        e
    }

    #[test]
    fn a_marker_and_the_definition_under_it_are_one_place() {
        let found = [
            at(EvidenceKind::Marker, "a.py", 10),
            at(EvidenceKind::Symbol, "a.py", 11),
            at(EvidenceKind::Route, "a.py", 11),
            at(EvidenceKind::Route, "a.py", 30),
            at(EvidenceKind::Symbol, "b.py", 11),
        ];
        assert_eq!(places(found.iter()), 3);
        let (headline, _) = why(
            Status::Available,
            &Inputs {
                claim: None,
                evidence: &found,
                work: &[],
                requests: 0,
                has_matchers: true,
                today: date("2026-11-21").unwrap(),
            },
        );
        assert_eq!(headline, "Found in code: 3 places.");
    }

    #[test]
    fn a_claim_is_said_once() {
        let input = Inputs {
            claim: Some(Claim::NotPlanned),
            evidence: &[],
            work: &[],
            requests: 0,
            has_matchers: false,
            today: date("2026-11-21").unwrap(),
        };
        let (headline, details) = why(Status::NotPlanned, &input);
        assert_eq!(headline, "Claimed not planned.");
        assert!(details.is_empty(), "{details:?}");
    }

    fn date(s: &str) -> Option<Date> {
        parse_iso_date(s)
    }

    fn run(
        claim: Option<Claim>,
        evidence: &[EvidenceItem],
        work: &[WorkEntry],
        requests: usize,
    ) -> Derived {
        derive(&Inputs {
            claim,
            evidence,
            work,
            requests,
            has_matchers: false,
            today: date("2026-11-21").unwrap(),
        })
    }

    fn looked_for(claim: Option<Claim>, work: &[WorkEntry], requests: usize) -> Derived {
        derive(&Inputs {
            claim,
            evidence: &[],
            work,
            requests,
            has_matchers: true,
            today: date("2026-11-21").unwrap(),
        })
    }

    fn internal_answer(d: &Derived) -> String {
        let note = if d.risks.is_empty() {
            RiskNote::None
        } else {
            RiskNote::Shown
        };
        answer(d.status, d.target.as_ref(), note)
    }

    #[test]
    fn evidence_makes_available_or_beta() {
        assert_eq!(run(None, &[ev(false)], &[], 0).status, Status::Available);
        assert_eq!(run(None, &[ev(true)], &[], 0).status, Status::Beta);
        assert_eq!(
            run(Some(Claim::Beta), &[ev(false)], &[], 0).status,
            Status::Beta
        );
        assert_eq!(
            internal_answer(&run(None, &[ev(false)], &[], 0)),
            "Yes — available."
        );
    }

    #[test]
    fn claims_without_evidence_are_unverified() {
        let d = run(Some(Claim::Available), &[], &[], 0);
        assert_eq!(d.status, Status::Unverified);
        assert_eq!(d.promise, Some(Promise::DoNotPromise));
    }

    #[test]
    fn done_epic_is_available_but_wont_do_is_not_planned() {
        assert_eq!(
            run(None, &[], &[work(WorkCategory::Done)], 0).status,
            Status::Available
        );
        let mut declined = work(WorkCategory::Done);
        declined.resolution = Some("Won't Do".into());
        assert_eq!(run(None, &[], &[declined], 0).status, Status::NotPlanned);
    }

    #[test]
    fn epics_drive_roadmap_statuses() {
        let mut ip = work(WorkCategory::InProgress);
        ip.due = date("2027-03-15");
        let d = run(None, &[], &[ip], 0);
        assert_eq!(
            (
                d.status,
                d.promise,
                d.target.as_ref().map(Target::to_string)
            ),
            (
                Status::InProgress,
                Some(Promise::WithDate),
                Some("2027-Q1".into())
            )
        );
        assert_eq!(
            internal_answer(&d),
            "Not yet — in progress, targeted 2027-Q1."
        );
        let mut planned = work(WorkCategory::Todo);
        planned.fix_versions = vec!["2027.2".into()];
        let d = run(None, &[], &[planned], 0);
        assert_eq!(
            (d.status, d.target),
            (Status::Planned, Some(Target::Version("2027.2".into())))
        );
        assert_eq!(
            run(None, &[], &[work(WorkCategory::Todo)], 0).status,
            Status::Considering
        );
        assert_eq!(run(None, &[], &[], 2).status, Status::Considering);
        assert_eq!(run(None, &[], &[], 0).status, Status::Unavailable);
        assert_eq!(
            run(Some(Claim::Deprecated), &[ev(false)], &[], 0).status,
            Status::Deprecated
        );
    }

    #[test]
    fn matchers_that_find_nothing_make_unverified_not_unavailable() {
        let d = looked_for(None, &[], 0);
        assert_eq!(d.status, Status::Unverified);
        assert_eq!(
            d.why,
            "We could not confirm this in the code — ask product."
        );
        assert_eq!(
            internal_answer(&d),
            "Unconfirmed — we could not confirm this in the code; ask product."
        );
        let claimed = looked_for(Some(Claim::Unavailable), &[], 0);
        assert_eq!(claimed.status, Status::Unavailable);
        assert_eq!(claimed.why, "Claimed unavailable; no code evidence found.");
        let mut planned = work(WorkCategory::Todo);
        planned.due = date("2027-06-01");
        assert_eq!(
            looked_for(None, std::slice::from_ref(&planned), 0).status,
            Status::Planned
        );
        assert_eq!(run(None, &[], &[], 0).status, Status::Unavailable);
    }

    #[test]
    fn only_code_overrules_a_claim_of_absence() {
        assert_eq!(
            run(Some(Claim::Unavailable), &[ev(false)], &[], 0).status,
            Status::Available
        );
        assert_eq!(
            run(
                Some(Claim::Unavailable),
                &[],
                &[work(WorkCategory::Done)],
                0
            )
            .status,
            Status::Unavailable
        );
        let input = Inputs {
            claim: None,
            evidence: &[ev(false)],
            work: &[work(WorkCategory::InProgress)],
            requests: 0,
            has_matchers: true,
            today: date("2026-11-21").unwrap(),
        };
        assert_eq!(derive(&input).status, Status::Available);
        assert_eq!(roadmap_status(&input), Status::InProgress);
    }

    #[test]
    fn risks_hide_dates() {
        let mut late = work(WorkCategory::InProgress);
        late.due = date("2026-10-31");
        late.blocked_by = vec!["HBR-98".into()];
        let d = run(None, &[], &[late], 0);
        assert_eq!(
            d.risks,
            [
                Risk::DuePassed {
                    key: "HBR-1".into(),
                    due: date("2026-10-31").unwrap()
                },
                Risk::Blocked {
                    key: "HBR-1".into(),
                    blocker: "HBR-98".into()
                }
            ]
        );
        assert_eq!(d.promise, Some(Promise::DoNotPromise));
        assert!(internal_answer(&d).contains("do not promise a date"));
        let public = answer(d.status, None, RiskNote::Withheld);
        assert_eq!(public, "Not yet — in progress.");
    }

    #[test]
    fn slow_progress_near_target_is_a_risk() {
        let mut w = work(WorkCategory::InProgress);
        w.created = date("2026-01-01");
        w.due = date("2026-12-31");
        w.progress = Progress { done: 1, total: 6 };
        let d = run(None, &[], &[w.clone()], 0);
        assert!(
            d.risks
                .iter()
                .any(|r| r.to_string().contains("1 of 6 children done")),
            "{:?}",
            d.risks
        );
        w.progress = Progress { done: 3, total: 6 };
        assert!(run(None, &[], &[w], 0).risks.is_empty());
    }
}
