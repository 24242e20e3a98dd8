//! One capability's history, as its page shows it: since when it has its
//! status ("Available since 2026-11-30") and how its target moved
//! ("Target: 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice").

use crate::model::date::iso;
use crate::model::{Change, ChangeKind, Status};
use time::Date;

/// The history of one capability.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline<'h> {
    /// Its changes, newest first.
    pub entries: Vec<&'h Change>,
    /// When it reached its current status, if the history saw it happen.
    pub since: Option<Date>,
    /// Targets in the order they were set, oldest first.
    pub targets: Vec<String>,
    /// How often the target moved later.
    pub slipped: usize,
    /// How often the target moved earlier.
    pub pulled_in: usize,
}

/// The timeline of the capability whose ids (its own and former ones)
/// satisfy `is_mine`, currently `status`, from `history` (newest first).
pub fn timeline<'h>(
    history: &'h [Change],
    is_mine: impl Fn(&str) -> bool,
    status: Status,
) -> Timeline<'h> {
    let entries: Vec<&Change> = history.iter().filter(|c| is_mine(&c.id)).collect();
    let since = entries
        .iter()
        .find(|c| {
            matches!(c.kind, ChangeKind::Shipped | ChangeKind::StatusChanged)
                && c.to.as_deref() == Some(status.as_str())
        })
        .map(|c| c.date);
    let mut t = Timeline {
        since,
        ..Timeline::default()
    };
    for c in entries.iter().rev().filter(|c| c.kind.is_target()) {
        let (Some(from), Some(to)) = (&c.from, &c.to) else {
            continue;
        };
        if t.targets.last() != Some(from) {
            t.targets.push(from.clone());
        }
        t.targets.push(to.clone());
        match c.kind {
            ChangeKind::TargetSlipped => t.slipped += 1,
            _ => t.pulled_in += 1,
        }
    }
    t.entries = entries;
    t
}

impl Timeline<'_> {
    /// `Available since 2026-11-30`, when the history saw the status arrive.
    pub fn since_line(&self, status: Status) -> Option<String> {
        self.since
            .map(|d| format!("{} since {}", status.label(), iso(d)))
    }

    /// `Target: 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice`, when the target
    /// moved; for a capability now `status` available or beta, `Target was …`.
    pub fn target_line(&self, status: Status) -> Option<String> {
        if self.targets.is_empty() {
            return None;
        }
        let mut moves = Vec::new();
        if self.slipped > 0 {
            moves.push(format!("slipped {}", times(self.slipped)));
        }
        if self.pulled_in > 0 {
            moves.push(format!("pulled in {}", times(self.pulled_in)));
        }
        let label = if status.is_shipped() {
            "Target was"
        } else {
            "Target:"
        };
        Some(format!(
            "{label} {}, {}",
            self.targets.join(" → "),
            moves.join(", ")
        ))
    }
}

/// `once`, `twice`, `3 times`.
pub fn times(n: usize) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn moved(d: Date, id: &str, kind: ChangeKind, from: &str, to: &str) -> Change {
        Change::new(d, id, kind).between(Some(from.into()), Some(to.into()))
    }

    #[test]
    fn slipped_twice_across_a_rename_then_shipped() {
        let history = vec![
            moved(
                date!(2026 - 11 - 30),
                "sso",
                ChangeKind::Shipped,
                "in-progress",
                "available",
            ),
            moved(
                date!(2026 - 10 - 31),
                "sso",
                ChangeKind::TargetSlipped,
                "2026-Q4",
                "2027-Q1",
            ),
            moved(
                date!(2026 - 09 - 30),
                "other",
                ChangeKind::TargetSlipped,
                "2026-Q1",
                "2026-Q2",
            ),
            moved(
                date!(2026 - 09 - 30),
                "saml",
                ChangeKind::TargetSlipped,
                "2026-Q3",
                "2026-Q4",
            ),
        ];
        let t = timeline(
            &history,
            |id| id == "sso" || id == "saml",
            Status::Available,
        );
        assert_eq!(t.entries.len(), 3);
        assert_eq!(
            t.since_line(Status::Available).as_deref(),
            Some("Available since 2026-11-30")
        );
        assert_eq!(
            t.target_line(Status::InProgress).as_deref(),
            Some("Target: 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice")
        );
        assert_eq!(
            t.target_line(Status::Available).as_deref(),
            Some("Target was 2026-Q3 → 2026-Q4 → 2027-Q1, slipped twice")
        );
        let beta = timeline(&history, |id| id == "sso", Status::Beta);
        assert_eq!(beta.since, None, "the history never saw it become beta");
    }

    #[test]
    fn slipped_and_pulled_in() {
        let history = vec![
            moved(
                date!(2026 - 11 - 30),
                "a",
                ChangeKind::TargetPulledIn,
                "2027-Q3",
                "2027-Q2",
            ),
            moved(
                date!(2026 - 10 - 31),
                "a",
                ChangeKind::TargetSlipped,
                "2027-Q1",
                "2027-Q3",
            ),
        ];
        let t = timeline(&history, |id| id == "a", Status::Planned);
        assert_eq!(
            t.target_line(Status::Planned).as_deref(),
            Some("Target: 2027-Q1 → 2027-Q3 → 2027-Q2, slipped once, pulled in once")
        );
    }
}
