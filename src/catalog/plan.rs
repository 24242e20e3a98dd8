//! Views over many capabilities at once: the roadmap by target, what is
//! coming next, and the gaps customers asked for. They work on any
//! selection of capabilities with the targets its reader may see, so each
//! audience's projection ([`crate::view`]) decides what goes in and these
//! functions decide only the order.

use crate::model::{Demand, Status, Target};
use std::collections::BTreeMap;

/// What a plan needs to know of one capability.
#[derive(Debug, Clone, Copy)]
pub struct PlanItem<'a> {
    /// Position in the caller's list; plans return these.
    pub index: usize,
    /// Capability id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Status.
    pub status: Status,
    /// The target the reader may see.
    pub target: Option<&'a Target>,
    /// Demand, when the reader may see it.
    pub demand: Option<&'a Demand>,
}

/// A roadmap column: one target, or no date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup<'a> {
    /// The target; None for "no date to give".
    pub target: Option<&'a Target>,
    /// Members, by title.
    pub members: Vec<usize>,
}

/// In progress and planned capabilities grouped by target: targets in
/// order, "no date" last, each group by title.
pub fn roadmap<'a>(items: &[PlanItem<'a>]) -> Vec<TargetGroup<'a>> {
    let mut groups: BTreeMap<(bool, Option<&Target>), Vec<&PlanItem<'a>>> = BTreeMap::new();
    for item in items.iter().filter(|i| i.status.is_scheduled()) {
        groups
            .entry((item.target.is_none(), item.target))
            .or_default()
            .push(item);
    }
    groups
        .into_iter()
        .map(|((_, target), mut members)| {
            members.sort_by_cached_key(|m| (m.title.to_lowercase(), m.id));
            TargetGroup {
                target,
                members: members.iter().map(|m| m.index).collect(),
            }
        })
        .collect()
}

/// In progress and planned capabilities, soonest target first, at most `limit`.
pub fn coming_next(items: &[PlanItem<'_>], limit: usize) -> Vec<usize> {
    let mut next: Vec<&PlanItem<'_>> = items.iter().filter(|i| i.status.is_scheduled()).collect();
    next.sort_by(|a, b| {
        (a.target.is_none(), a.target, a.title).cmp(&(b.target.is_none(), b.target, b.title))
    });
    next.iter().take(limit).map(|i| i.index).collect()
}

/// Unmet demand: capabilities customers asked for that are not shipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gaps {
    /// Ranked by distinct accounts, then amount at stake.
    pub ranked: Vec<usize>,
    /// Requested by `unicorn_max_accounts` accounts or fewer, ranked the same way.
    pub unicorns: Vec<usize>,
}

/// The gaps among `items`.
pub fn gaps(items: &[PlanItem<'_>]) -> Gaps {
    let mut open: Vec<(&PlanItem<'_>, &Demand)> = items
        .iter()
        .filter(|i| !i.status.is_shipped())
        .filter_map(|i| i.demand.map(|d| (i, d)))
        .collect();
    open.sort_by(|(a, da), (b, db)| {
        db.accounts
            .cmp(&da.accounts)
            .then(db.amount.total_cmp(&da.amount))
            .then(a.id.cmp(b.id))
    });
    let (unicorns, ranked): (Vec<_>, Vec<_>) = open.into_iter().partition(|(_, d)| d.unicorn);
    Gaps {
        ranked: ranked.into_iter().map(|(i, _)| i.index).collect(),
        unicorns: unicorns.into_iter().map(|(i, _)| i.index).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(
        index: usize,
        title: &'a str,
        status: Status,
        target: Option<&'a Target>,
    ) -> PlanItem<'a> {
        PlanItem {
            index,
            id: title,
            title,
            status,
            target,
            demand: None,
        }
    }

    #[test]
    fn roadmap_groups_by_target_with_no_date_last() {
        let q1 = Target::parse("2027-Q1");
        let q4 = Target::parse("2026-Q4");
        let items = [
            item(0, "b", Status::Planned, Some(&q1)),
            item(1, "a", Status::InProgress, None),
            item(2, "c", Status::InProgress, Some(&q4)),
            item(3, "d", Status::Available, None),
            item(4, "A2", Status::Planned, Some(&q1)),
        ];
        let groups = roadmap(&items);
        let shape: Vec<(Option<String>, Vec<usize>)> = groups
            .iter()
            .map(|g| (g.target.map(Target::to_string), g.members.clone()))
            .collect();
        assert_eq!(
            shape,
            [
                (Some("2026-Q4".into()), vec![2]),
                (Some("2027-Q1".into()), vec![4, 0]),
                (None, vec![1]),
            ]
        );
        assert_eq!(coming_next(&items, 2), [2, 4]);
    }

    #[test]
    fn gaps_rank_by_accounts_then_amount_and_keep_unicorns_apart() {
        let demand = |accounts, amount, unicorn| Demand {
            accounts,
            amount,
            unicorn,
            requests: vec![],
        };
        let (d0, d1, d2, d3) = (
            demand(2, 10.0, false),
            demand(2, 50.0, false),
            demand(1, 900.0, true),
            demand(3, 1.0, false),
        );
        let mut items: Vec<PlanItem<'_>> = ["a", "b", "c", "d"]
            .iter()
            .enumerate()
            .map(|(i, t)| item(i, t, Status::Considering, None))
            .collect();
        for (it, d) in items.iter_mut().zip([&d0, &d1, &d2, &d3]) {
            it.demand = Some(d);
        }
        items[3].status = Status::Available;
        let g = gaps(&items);
        assert_eq!((g.ranked, g.unicorns), (vec![1, 0], vec![2]));
    }
}
