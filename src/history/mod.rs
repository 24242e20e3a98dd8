//! The catalog's memory (docs/history.md): what changed between the
//! previously published catalog.json (the baseline) and this build, the
//! bounded history carried from build to build, the permalink guard, the
//! timeline of one capability, and the words and tables `capcat diff`
//! prints. Works on [`CatalogDoc`]s only, so a build and `capcat diff` see
//! the same changes.
//!
//! - [`baseline`]: read a catalog.json from a file or a URL.
//! - [`changes`]: compare two catalogs.
//! - [`guard`]: every published permalink must still resolve.
//! - [`timeline`]: one capability's history: since when, target moves.
//! - [`words`]: a change in words; the text and Markdown reports.

pub mod baseline;
pub mod changes;
pub mod guard;
pub mod timeline;
pub mod words;

pub use changes::changes;

use crate::model::Change;
use time::{Date, Duration};

/// How much history catalog.json keeps (`[history] max_entries`, `max_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries kept, newest first.
    pub max_entries: usize,
    /// Entries older than this many days before the build are dropped; 0 keeps all.
    pub max_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 200,
            max_days: 0,
        }
    }
}

/// The history of a build dated `today`: this build's changes followed by
/// the baseline's history, newest first, without duplicates, within `limits`.
pub fn carry(previous: &[Change], fresh: Vec<Change>, today: Date, limits: Limits) -> Vec<Change> {
    let oldest = (limits.max_days > 0).then(|| today - Duration::days(i64::from(limits.max_days)));
    let mut all = fresh;
    all.extend(previous.iter().cloned());
    all.retain(|c| oldest.is_none_or(|o| c.date >= o));
    sort_newest_first(&mut all);
    all.dedup();
    all.truncate(limits.max_entries);
    all
}

/// Newest date first; within a date by id, then kind, then values.
pub fn sort_newest_first(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        b.date.cmp(&a.date).then_with(|| {
            (&a.id, &a.kind, &a.from, &a.to, &a.detail)
                .cmp(&(&b.id, &b.kind, &b.from, &b.to, &b.detail))
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChangeKind;
    use time::macros::date;

    fn change(d: Date, id: &str) -> Change {
        Change::new(d, id, ChangeKind::Added)
    }

    #[test]
    fn carry_keeps_newest_first_within_limits() {
        let previous = vec![
            change(date!(2026 - 10 - 31), "b"),
            change(date!(2026 - 01 - 31), "old"),
        ];
        let fresh = vec![change(date!(2026 - 11 - 21), "a")];
        let today = date!(2026 - 11 - 21);
        let all = carry(&previous, fresh.clone(), today, Limits::default());
        let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "old"]);
        let two = Limits {
            max_entries: 2,
            max_days: 0,
        };
        assert_eq!(carry(&previous, fresh.clone(), today, two).len(), 2);
        let ninety_days = Limits {
            max_entries: 200,
            max_days: 90,
        };
        let recent = carry(&previous, fresh.clone(), today, ninety_days);
        assert_eq!(recent.len(), 2, "{recent:?}");
        let again = carry(&all, Vec::new(), today, Limits::default());
        assert_eq!(again, all, "carrying twice adds nothing");
    }
}
