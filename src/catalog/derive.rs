//! Status, promise, risk, target and answer derivation (SPEC §5).
//!
//! Pure functions of a capability's claim, its evidence and its linked work,
//! so every rule can be tested on its own.

use super::{Claim, Promise, Status, WorkEntry};
use crate::dates::{parse_iso_date, quarter};
use crate::scan::Evidence;
use time::Date;

/// Resolutions meaning "we decided not to do it".
const DECLINED: [&str; 6] = [
    "won't do",
    "won't fix",
    "declined",
    "rejected",
    "cancelled",
    "canceled",
];

/// What status derivation looks at.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The front-matter claim.
    pub claim: Option<Claim>,
    /// Code evidence.
    pub evidence: &'a [Evidence],
    /// Linked delivery work.
    pub work: &'a [WorkEntry],
    /// Number of linked customer requests.
    pub requests: usize,
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
    /// Risk notes.
    pub risks: Vec<String>,
    /// Target quarter or version.
    pub target: Option<String>,
    /// Internal answer line.
    pub answer: String,
    /// Public answer line.
    pub answer_public: String,
    /// Why: headline.
    pub why: String,
    /// Why: details.
    pub why_details: Vec<String>,
}

/// True when a work entry was resolved as declined (Won't Do…).
pub fn is_declined(w: &WorkEntry) -> bool {
    w.resolution
        .as_deref()
        .is_some_and(|r| DECLINED.contains(&r.trim().to_lowercase().as_str()))
}

fn is_done(w: &WorkEntry) -> bool {
    w.category == "done" && !is_declined(w)
}

/// Derives status and everything that follows from it.
pub fn derive(input: &Inputs<'_>) -> Derived {
    let status = status(input);
    let open: Vec<&WorkEntry> = input.work.iter().filter(|w| w.category != "done").collect();
    let scheduled = matches!(status, Status::InProgress | Status::Planned);
    let target = if scheduled { target(&open) } else { None };
    let risks = if scheduled {
        risks(&open, input.today)
    } else {
        Vec::new()
    };
    let promise = promise(status, !risks.is_empty(), target.is_some());
    let (answer, answer_public) = answers(status, target.as_deref(), !risks.is_empty());
    let (why, why_details) = why(status, input);
    Derived {
        status,
        promise,
        risks,
        target,
        answer,
        answer_public,
        why,
        why_details,
    }
}

fn status(input: &Inputs<'_>) -> Status {
    let has_evidence = !input.evidence.is_empty();
    let marker_beta = input.evidence.iter().any(|e| e.beta);
    match input.claim {
        Some(Claim::Deprecated) => return Status::Deprecated,
        Some(Claim::NotPlanned) => return Status::NotPlanned,
        _ => {}
    }
    let delivered = input.work.iter().any(is_done);
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
    let live: Vec<&WorkEntry> = input.work.iter().filter(|w| !is_declined(w)).collect();
    if live.iter().any(|w| w.category == "in-progress") {
        return Status::InProgress;
    }
    let todo: Vec<&&WorkEntry> = live
        .iter()
        .filter(|w| w.category == "todo" || w.category == "unknown")
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
    if input.work.iter().any(is_declined) {
        return Status::NotPlanned;
    }
    Status::Unavailable
}

/// The earliest due date as a quarter, else the first fix version.
fn target(open: &[&WorkEntry]) -> Option<String> {
    let earliest = open
        .iter()
        .filter_map(|w| w.due.as_deref().and_then(parse_iso_date))
        .min();
    earliest.map(quarter).or_else(|| {
        let mut versions: Vec<&String> = open.iter().flat_map(|w| &w.fix_versions).collect();
        versions.sort();
        versions.first().map(|v| v.to_string())
    })
}

fn risks(open: &[&WorkEntry], today: Date) -> Vec<String> {
    let mut risks = Vec::new();
    for w in open {
        if let Some(due) = w.due.as_deref().and_then(parse_iso_date)
            && due < today
        {
            risks.push(format!(
                "{}: due date {} has passed",
                w.key,
                crate::dates::iso(due)
            ));
        }
        for b in &w.blocked_by {
            risks.push(format!("{} is blocked by {b}, which is not done", w.key));
        }
        if let Some(r) = slow_progress(w, today) {
            risks.push(r);
        }
    }
    risks
}

/// Less than half the children done with less than a quarter of the time
/// (from the item's creation to its due date) left.
fn slow_progress(w: &WorkEntry, today: Date) -> Option<String> {
    let due = w.due.as_deref().and_then(parse_iso_date)?;
    let start = w.created.as_deref().and_then(parse_iso_date)?;
    let p = w.progress;
    if p.total == 0 || p.done * 2 >= p.total || due <= start || due < today {
        return None;
    }
    let left = (due - today).whole_days();
    let span = (due - start).whole_days();
    (left * 4 < span).then(|| {
        format!(
            "{}: {} of {} children done with {left} days left before {}",
            w.key,
            p.done,
            p.total,
            crate::dates::iso(due)
        )
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

fn answers(status: Status, target: Option<&str>, at_risk: bool) -> (String, String) {
    let (stage, dated) = match status {
        Status::InProgress => (
            "in progress",
            target.map(|t| format!("Not yet — in progress, targeted {t}.")),
        ),
        Status::Planned => (
            "planned",
            target.map(|t| format!("Not yet — planned for {t}.")),
        ),
        other => {
            let a = fixed_answer(other).to_string();
            return (a.clone(), a);
        }
    };
    let plain = format!("Not yet — {stage}, no date to give yet.");
    if at_risk {
        let internal = format!("Not yet — {stage}, at risk: do not promise a date.");
        return (internal, format!("Not yet — {stage}."));
    }
    let a = dated.unwrap_or(plain);
    (a.clone(), a)
}

fn fixed_answer(status: Status) -> &'static str {
    match status {
        Status::Available => "Yes — available.",
        Status::Beta => "Partly — beta.",
        Status::Considering => "Not yet — under consideration, not scheduled.",
        Status::NotPlanned => "No — not planned.",
        Status::Unavailable => "No — not built and not on the roadmap.",
        Status::Deprecated => "Being retired — deprecated.",
        Status::Unverified => "Unconfirmed — claimed, but not found in the code.",
        Status::InProgress | Status::Planned => unreachable!("answered with their target"),
    }
}

fn why(status: Status, input: &Inputs<'_>) -> (String, Vec<String>) {
    let mut details = Vec::new();
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for e in input.evidence {
        *kinds.entry(e.kind.as_str()).or_default() += 1;
    }
    for (kind, n) in &kinds {
        details.push(format!(
            "{n} {kind} {}",
            if *n == 1 { "hit" } else { "hits" }
        ));
    }
    if let Some(c) = input.claim {
        details.push(format!("claimed {}", claim_name(c)));
    }
    if input.requests > 0 {
        details.push(format!(
            "{} customer request{}",
            input.requests,
            if input.requests == 1 { "" } else { "s" }
        ));
    }
    let n = input.evidence.len();
    let headline = match status {
        Status::Available | Status::Beta if n > 0 => {
            format!("Found in code: {n} place{}.", if n == 1 { "" } else { "s" })
        }
        Status::Available | Status::Beta => match input.work.iter().find(|w| is_done(w)) {
            Some(w) => format!("Delivered by {} ({}).", w.key, w.status),
            None => "Delivered.".into(),
        },
        Status::Unverified => "Claimed, but no code evidence was found.".into(),
        Status::InProgress => {
            lead(input.work, "in-progress").map_or("Work is in progress.".into(), |w| {
                format!(
                    "{} {} is in progress{}.",
                    w.issue_type,
                    w.key,
                    progress_note(w)
                )
            })
        }
        Status::Planned => lead(input.work, "todo").map_or("Work is planned.".into(), |w| {
            format!("{} {} is scheduled but not started.", w.issue_type, w.key)
        }),
        Status::Considering if input.work.iter().all(is_declined) => {
            "Only customer requests are linked; nothing is scheduled.".into()
        }
        Status::Considering => "Work is on the backlog with no target.".into(),
        Status::NotPlanned => match input.work.iter().find(|w| is_declined(w)) {
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
        Status::Unavailable => "No code evidence, no linked work and no claim.".into(),
    };
    (headline, details)
}

fn lead<'a>(work: &'a [WorkEntry], category: &str) -> Option<&'a WorkEntry> {
    work.iter()
        .find(|w| w.category == category && !is_declined(w))
}

fn progress_note(w: &WorkEntry) -> String {
    if w.progress.total == 0 {
        String::new()
    } else {
        format!(" ({} of {} done)", w.progress.done, w.progress.total)
    }
}

fn claim_name(c: Claim) -> &'static str {
    match c {
        Claim::Available => "available",
        Claim::Beta => "beta",
        Claim::Deprecated => "deprecated",
        Claim::NotPlanned => "not planned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Progress;
    use crate::scan::EvidenceKind;

    fn work(category: &'static str) -> WorkEntry {
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
            linked_by: "explicit",
            scope: vec![],
        }
    }

    fn ev(beta: bool) -> Evidence {
        Evidence {
            kind: EvidenceKind::Marker,
            path: "a.py".into(),
            line: 1,
            symbol: None,
            language: None,
            beta,
        }
    }

    fn today() -> Date {
        parse_iso_date("2026-11-21").unwrap()
    }

    fn run(
        claim: Option<Claim>,
        evidence: &[Evidence],
        work: &[WorkEntry],
        requests: usize,
    ) -> Derived {
        derive(&Inputs {
            claim,
            evidence,
            work,
            requests,
            today: today(),
        })
    }

    #[test]
    fn evidence_makes_available_or_beta() {
        assert_eq!(run(None, &[ev(false)], &[], 0).status, Status::Available);
        assert_eq!(run(None, &[ev(true)], &[], 0).status, Status::Beta);
        assert_eq!(
            run(Some(Claim::Beta), &[ev(false)], &[], 0).status,
            Status::Beta
        );
        assert_eq!(run(None, &[ev(false)], &[], 0).answer, "Yes — available.");
    }

    #[test]
    fn claims_without_evidence_are_unverified() {
        let d = run(Some(Claim::Available), &[], &[], 0);
        assert_eq!(d.status, Status::Unverified);
        assert_eq!(d.promise, Some(Promise::DoNotPromise));
    }

    #[test]
    fn done_epic_is_available_but_wont_do_is_not_planned() {
        assert_eq!(run(None, &[], &[work("done")], 0).status, Status::Available);
        let mut declined = work("done");
        declined.resolution = Some("Won't Do".into());
        assert_eq!(run(None, &[], &[declined], 0).status, Status::NotPlanned);
    }

    #[test]
    fn epics_drive_roadmap_statuses() {
        let mut ip = work("in-progress");
        ip.due = Some("2027-03-15".into());
        let d = run(None, &[], &[ip], 0);
        assert_eq!(
            (d.status, d.promise, d.target.as_deref()),
            (Status::InProgress, Some(Promise::WithDate), Some("2027-Q1"))
        );
        assert_eq!(d.answer, "Not yet — in progress, targeted 2027-Q1.");
        let mut planned = work("todo");
        planned.fix_versions = vec!["2027.2".into()];
        let d = run(None, &[], &[planned], 0);
        assert_eq!(
            (d.status, d.target.as_deref()),
            (Status::Planned, Some("2027.2"))
        );
        assert_eq!(
            run(None, &[], &[work("todo")], 0).status,
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
    fn risks_hide_dates() {
        let mut late = work("in-progress");
        late.due = Some("2026-10-31".into());
        late.blocked_by = vec!["HBR-98".into()];
        let d = run(None, &[], &[late], 0);
        assert_eq!(d.risks.len(), 2, "{:?}", d.risks);
        assert_eq!(d.promise, Some(Promise::DoNotPromise));
        assert!(d.answer.contains("do not promise a date"));
        assert_eq!(d.answer_public, "Not yet — in progress.");
        assert!(!d.answer_public.contains("2026"));
    }

    #[test]
    fn slow_progress_near_target_is_a_risk() {
        let mut w = work("in-progress");
        w.created = Some("2026-01-01".into());
        w.due = Some("2026-12-31".into());
        w.progress = Progress { done: 1, total: 6 };
        let d = run(None, &[], &[w.clone()], 0);
        assert!(
            d.risks.iter().any(|r| r.contains("1 of 6 children done")),
            "{:?}",
            d.risks
        );
        w.progress = Progress { done: 3, total: 6 };
        assert!(run(None, &[], &[w], 0).risks.is_empty());
    }
}
