//! Two catalogs compared, capability by capability: what was added,
//! removed or renamed, and for each capability in both, its status, target,
//! promise, blockers, progress and demand.

use crate::model::money;
use crate::model::{CapabilityDoc, CatalogDoc, Change, ChangeKind, Demand, Status, WorkEntry};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// The changes from `old` to `new`, dated `date`, sorted by id then kind.
/// A capability found in `new` under an old id's `redirect_from` is a
/// rename, compared field by field with its former self.
pub fn changes(old: &CatalogDoc, new: &CatalogDoc, date: Date) -> Vec<Change> {
    let successor = successors(new);
    let old_ids: BTreeSet<&str> = old.capabilities.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    for before in &old.capabilities {
        let Some(after) = successor.get(before.id.as_str()) else {
            out.push(
                Change::new(date, &before.id, ChangeKind::Removed)
                    .between(Some(before.status.as_str().into()), None)
                    .with_detail(&before.title),
            );
            continue;
        };
        if after.id != before.id {
            out.push(
                Change::new(date, &after.id, ChangeKind::Renamed)
                    .between(Some(before.id.clone()), Some(after.id.clone())),
            );
        }
        // A merge (two old ids, one successor) is compared once, with the
        // capability of the same id when there is one.
        let same_id_exists = after.id != before.id && old_ids.contains(after.id.as_str());
        if !same_id_exists && matched.insert(after.id.as_str()) {
            compare(before, after, date, &mut out);
        }
    }
    let resolved: BTreeSet<&str> = old
        .capabilities
        .iter()
        .filter_map(|c| successor.get(c.id.as_str()).map(|s| s.id.as_str()))
        .collect();
    for c in new
        .capabilities
        .iter()
        .filter(|c| !resolved.contains(c.id.as_str()))
    {
        out.push(
            Change::new(date, &c.id, ChangeKind::Added)
                .between(None, Some(c.status.as_str().into()))
                .with_detail(&c.title),
        );
    }
    out.sort_by(|a, b| (&a.id, &a.kind).cmp(&(&b.id, &b.kind)));
    out
}

/// Every id a capability of `catalog` answers to (its own and its
/// `redirect_from`), mapped to the capability.
pub fn successors(catalog: &CatalogDoc) -> BTreeMap<&str, &CapabilityDoc> {
    let mut map = BTreeMap::new();
    for c in &catalog.capabilities {
        for old in &c.redirect_from {
            map.entry(old.as_str()).or_insert(c);
        }
    }
    for c in &catalog.capabilities {
        map.insert(c.id.as_str(), c);
    }
    map
}

/// The changes of one capability present in both catalogs.
fn compare(before: &CapabilityDoc, after: &CapabilityDoc, date: Date, out: &mut Vec<Change>) {
    let id = after.id.as_str();
    if before.status != after.status {
        let kind = if after.status == Status::Available {
            ChangeKind::Shipped
        } else {
            ChangeKind::StatusChanged
        };
        out.push(Change::new(date, id, kind).between(
            Some(before.status.as_str().into()),
            Some(after.status.as_str().into()),
        ));
    }
    if let (Some(from), Some(to)) = (&before.target, &after.target)
        && after.status.is_scheduled()
    {
        let kind = match to.compare_schedule(from) {
            Some(Ordering::Greater) => Some(ChangeKind::TargetSlipped),
            Some(Ordering::Less) => Some(ChangeKind::TargetPulledIn),
            _ => None,
        };
        if let Some(kind) = kind {
            out.push(
                Change::new(date, id, kind).between(Some(from.to_string()), Some(to.to_string())),
            );
        }
    }
    if let (Some(from), Some(to)) = (before.promise, after.promise)
        && from != to
    {
        out.push(
            Change::new(date, id, ChangeKind::PromiseChanged)
                .between(Some(from.as_str().into()), Some(to.as_str().into())),
        );
    }
    if let (Some(from), Some(to)) = (&before.work, &after.work) {
        blockers(from, to, id, date, out);
        progress(from, to, id, date, out);
    }
    if let Some(to) = &after.demand {
        demand(before.demand.as_ref(), to, id, date, out);
    }
}

/// Open blockers added and cleared, per blocked issue.
fn blockers(from: &[WorkEntry], to: &[WorkEntry], id: &str, date: Date, out: &mut Vec<Change>) {
    let pairs = |work: &[WorkEntry]| -> BTreeSet<(String, String)> {
        work.iter()
            .flat_map(|w| w.blocked_by.iter().map(|b| (w.key.clone(), b.clone())))
            .collect()
    };
    let (before, after) = (pairs(from), pairs(to));
    for (blocked, blocker) in after.difference(&before) {
        out.push(
            Change::new(date, id, ChangeKind::BlockerAdded)
                .between(None, Some(blocker.clone()))
                .with_detail(blocked),
        );
    }
    for (blocked, blocker) in before.difference(&after) {
        out.push(
            Change::new(date, id, ChangeKind::BlockerCleared)
                .between(Some(blocker.clone()), None)
                .with_detail(blocked),
        );
    }
}

/// Done/total of each linked issue in both catalogs, where it moved.
fn progress(from: &[WorkEntry], to: &[WorkEntry], id: &str, date: Date, out: &mut Vec<Change>) {
    for after in to.iter().filter(|w| w.progress.total > 0) {
        let Some(before) = from.iter().find(|w| w.key == after.key) else {
            continue;
        };
        if before.progress != after.progress {
            let words = |p: crate::model::Progress| format!("{}/{}", p.done, p.total);
            out.push(
                Change::new(date, id, ChangeKind::Progress)
                    .between(Some(words(before.progress)), Some(words(after.progress)))
                    .with_detail(&after.key),
            );
        }
    }
}

/// New requests (by account) or a new amount at stake.
fn demand(from: Option<&Demand>, to: &Demand, id: &str, date: Date, out: &mut Vec<Change>) {
    let known: BTreeSet<&str> = from
        .map(|d| d.requests.iter().map(|r| r.key.as_str()).collect())
        .unwrap_or_default();
    let new_requests: Vec<String> = to
        .requests
        .iter()
        .filter(|r| !known.contains(r.key.as_str()))
        .map(|r| match &r.account {
            Some(account) => format!("{account} ({})", r.key),
            None => r.key.clone(),
        })
        .collect();
    let same_totals =
        from.is_some_and(|d| d.accounts == to.accounts && d.amount.total_cmp(&to.amount).is_eq());
    if new_requests.is_empty() && same_totals {
        return;
    }
    let mut change =
        Change::new(date, id, ChangeKind::Demand).between(from.map(totals), Some(totals(to)));
    if !new_requests.is_empty() {
        change = change.with_detail(format!("new: {}", new_requests.join(", ")));
    }
    out.push(change);
}

/// `2 accounts, 120,500`.
fn totals(d: &Demand) -> String {
    let accounts = match d.accounts {
        1 => "1 account".to_string(),
        n => format!("{n} accounts"),
    };
    if d.amount > 0.0 {
        format!("{accounts}, {}", money(d.amount))
    } else {
        accounts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(caps: &str) -> CatalogDoc {
        let json = format!(
            r#"{{"schema":1,"site":{{"title":"T","base_url":"","audience":"internal"}},
            "built":{{"commit":null,"date":"2026-11-21"}},"capabilities":[{caps}]}}"#
        );
        CatalogDoc::from_json(json.as_bytes()).unwrap()
    }

    fn cap(id: &str, status: &str, target: &str, extra: &str) -> String {
        let target = if target.is_empty() {
            "null".to_string()
        } else {
            format!("\"{target}\"")
        };
        let promise = if status == "available" {
            "null"
        } else {
            "\"with-date\""
        };
        format!(
            r#"{{"id":"{id}","url":"/capabilities/{id}/","title":"{id} title","summary":"","category":"C",
            "category_slug":"c","aliases":[],"plans":[],"redirect_from":[],"status":"{status}",
            "status_label":"","answer":"","promise":{promise},"target":{target}{extra}}}"#
        )
    }

    fn kinds(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}→{}",
                    c.id,
                    c.kind,
                    c.from.as_deref().unwrap_or("-"),
                    c.to.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    #[test]
    fn status_target_and_membership() {
        let old = doc(&[
            cap("a", "in-progress", "2026-Q3", ""),
            cap("b", "planned", "2027-Q2", ""),
            cap("gone", "planned", "", ""),
            cap("old-name", "beta", "", ""),
        ]
        .join(","));
        let renamed = cap("new-name", "beta", "", "")
            .replace(r#""redirect_from":[]"#, r#""redirect_from":["old-name"]"#);
        let new = doc(&[
            cap("a", "available", "", ""),
            cap("b", "planned", "2027-Q1", ""),
            renamed,
            cap("z", "considering", "", ""),
        ]
        .join(","));
        let d = time::macros::date!(2026 - 11 - 21);
        assert_eq!(
            kinds(&changes(&old, &new, d)),
            [
                "a shipped in-progress→available",
                "b target-pulled-in 2027-Q2→2027-Q1",
                "gone removed planned→-",
                "new-name renamed old-name→new-name",
                "z added -→considering",
            ]
        );
        assert!(changes(&new, &new, d).is_empty());
    }

    #[test]
    fn work_and_demand() {
        let work = |blocked: &str, done: u32| {
            format!(
                r#","work":[{{"key":"E-1","summary":"","type":"Epic","status":"In Progress","category":"in-progress",
                "resolution":null,"due":null,"fix_versions":[],"progress":{{"done":{done},"total":4}},
                "blocked_by":[{blocked}],"url":null,"linked_by":"label","scope":[]}}]"#
            )
        };
        let demand = |requests: &str, accounts: u32, amount: f64| {
            format!(
                r#","demand":{{"accounts":{accounts},"amount":{amount:.1},"unicorn":false,"requests":[{requests}]}}"#
            )
        };
        let r1 = r#"{"key":"R-1","summary":"","account":"Initech","amount":84000.0,"lost_reason":null,"url":null}"#;
        let r2 = r#"{"key":"R-2","summary":"","account":"Soylent","amount":36500.0,"lost_reason":null,"url":null}"#;
        let old = doc(&cap(
            "a",
            "in-progress",
            "2026-Q4",
            &(work("", 1) + &demand(r1, 1, 84000.0)),
        ));
        let new = doc(&cap(
            "a",
            "in-progress",
            "2027-Q1",
            &(work(r#""X-9""#, 3) + &demand(&format!("{r1},{r2}"), 2, 120500.0)),
        ));
        let c = changes(&old, &new, time::macros::date!(2026 - 11 - 21));
        assert_eq!(
            kinds(&c),
            [
                "a target-slipped 2026-Q4→2027-Q1",
                "a blocker-added -→X-9",
                "a progress 1/4→3/4",
                "a demand 1 account, 84,000→2 accounts, 120,500",
            ]
        );
        assert_eq!(c[1].detail.as_deref(), Some("E-1"));
        assert_eq!(c[3].detail.as_deref(), Some("new: Soylent (R-2)"));
        let back = changes(&new, &old, time::macros::date!(2026 - 11 - 21));
        assert!(kinds(&back).contains(&"a blocker-cleared X-9→-".to_string()));
    }
}
