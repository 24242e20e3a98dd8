//! Changes in words: one sentence per change (pages, feed, timeline) and
//! the reports `capcat diff` prints (text, and a Markdown table for a pull
//! request's summary).

use super::changes::successors;
use crate::model::{CapabilityDoc, CatalogDoc, Change, ChangeKind, Promise, Status};
use std::collections::BTreeMap;

/// A status or promise name in words (`in-progress` → `In progress`);
/// other values as they are.
pub fn value_words(kind: &ChangeKind, value: &str) -> String {
    let status = || {
        serde_json::from_value::<Status>(serde_json::Value::String(value.into()))
            .ok()
            .map(|s| s.label().to_string())
    };
    let promise = || {
        serde_json::from_value::<Promise>(serde_json::Value::String(value.into()))
            .ok()
            .map(|p| promise_words(p).to_string())
    };
    let words = match kind {
        ChangeKind::Shipped
        | ChangeKind::StatusChanged
        | ChangeKind::Added
        | ChangeKind::Removed => status(),
        ChangeKind::PromiseChanged => promise(),
        _ => None,
    };
    words.unwrap_or_else(|| value.to_string())
}

/// What sales may promise, in words.
pub fn promise_words(p: Promise) -> &'static str {
    match p {
        Promise::WithDate => "Can promise a date",
        Promise::NoDate => "Coming, no date to give",
        Promise::DoNotPromise => "Do not promise",
    }
}

/// `before → after` in words; a missing side is left out.
pub fn before_after(c: &Change) -> String {
    let side = |v: &Option<String>| v.as_deref().map(|v| value_words(&c.kind, v));
    match (side(&c.from), side(&c.to)) {
        (Some(a), Some(b)) => format!("{a} → {b}"),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => String::new(),
    }
}

/// One sentence saying what happened, without the capability's name.
pub fn sentence(c: &Change) -> String {
    let from = c.from.as_deref().map(|v| value_words(&c.kind, v));
    let to = c.to.as_deref().map(|v| value_words(&c.kind, v));
    let from = from.as_deref().unwrap_or("?");
    let to = to.as_deref().unwrap_or("?");
    let detail = c.detail.as_deref().unwrap_or("");
    match &c.kind {
        ChangeKind::Shipped => format!("Became available (was {}).", from.to_lowercase()),
        ChangeKind::Added => format!("Added to the catalog as {}.", to.to_lowercase()),
        ChangeKind::Removed => format!("Removed from the catalog (was {}).", from.to_lowercase()),
        ChangeKind::Renamed => format!("Renamed from {from}; the old link redirects here."),
        ChangeKind::StatusChanged => format!("Status changed: {from} → {to}."),
        ChangeKind::TargetSlipped => format!("Target slipped: {from} → {to}."),
        ChangeKind::TargetPulledIn => format!("Target pulled in: {from} → {to}."),
        ChangeKind::PromiseChanged => format!("Promise changed: {from} → {to}."),
        ChangeKind::BlockerAdded => format!("New open blocker {to} on {detail}."),
        ChangeKind::BlockerCleared => format!("Blocker {from} on {detail} cleared."),
        ChangeKind::Progress => format!("Progress on {detail}: {from} → {to} done."),
        ChangeKind::Demand => {
            let totals = match c.from.is_some() {
                true => format!("{from} → {to}"),
                false => to.to_string(),
            };
            match detail {
                "" => format!("Demand: {totals}."),
                d => format!("Demand: {totals} ({d})."),
            }
        }
        ChangeKind::Other(name) => format!("{name}: {}.", before_after(c)),
    }
}

/// Where a capability of `doc` lives now, by any id it ever had.
fn lookup<'a>(doc: &'a CatalogDoc, id: &str) -> Option<&'a CapabilityDoc> {
    successors(doc).get(id).copied()
}

/// The format of a `capcat diff` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// One line per change.
    Text,
    /// A table for a pull request comment or a job summary.
    Markdown,
}

/// The report of `changes` from `old` to `new`, shipped first, then by kind
/// and id; empty when nothing changed.
pub fn report(
    changes: &[Change],
    old: &CatalogDoc,
    new: &CatalogDoc,
    format: ReportFormat,
) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by(|a, b| (&a.kind, &a.id).cmp(&(&b.kind, &b.id)));
    let rows: Vec<Row> = sorted.into_iter().map(|c| Row::of(c, old, new)).collect();
    match format {
        ReportFormat::Text => text(&rows),
        ReportFormat::Markdown => markdown(&rows, changes, old, new),
    }
}

/// One line of a report.
struct Row {
    title: String,
    id: String,
    url: Option<String>,
    kind: String,
    before_after: String,
    why: String,
}

impl Row {
    fn of(c: &Change, old: &CatalogDoc, new: &CatalogDoc) -> Row {
        let now = lookup(new, &c.id);
        let cap = now.or_else(|| lookup(old, &c.id));
        let url = now.map(|n| format!("{}{}", new.site.base_url, n.url));
        Row {
            title: cap.map_or_else(|| c.id.clone(), |c| c.title.clone()),
            id: c.id.clone(),
            url: url.filter(|_| !new.site.base_url.is_empty()),
            kind: c.kind.label().to_string(),
            before_after: before_after(c),
            why: why(c, now),
        }
    }
}

/// Why it changed, as far as the new catalog says.
fn why(c: &Change, now: Option<&CapabilityDoc>) -> String {
    let risks = || {
        now.and_then(|n| n.risks.as_ref())
            .filter(|r| !r.is_empty())
            .map(|r| {
                r.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
    };
    let words = match &c.kind {
        ChangeKind::Shipped | ChangeKind::StatusChanged => now.and_then(|n| n.why.clone()),
        ChangeKind::TargetSlipped | ChangeKind::TargetPulledIn => risks().or_else(|| due(now)),
        ChangeKind::PromiseChanged => risks(),
        ChangeKind::Renamed => Some("the old link redirects".into()),
        ChangeKind::Removed => Some("no page and no redirect: links to it break".into()),
        ChangeKind::Added => now.map(|n| n.summary.clone()).filter(|s| !s.is_empty()),
        ChangeKind::BlockerAdded | ChangeKind::BlockerCleared => {
            c.detail.as_ref().map(|d| format!("on {d}"))
        }
        ChangeKind::Progress => c.detail.clone(),
        ChangeKind::Demand => c.detail.clone(),
        _ => None,
    };
    words.unwrap_or_default()
}

/// `HBR-120 due 2027-03-15`: the open linked work due first.
fn due(now: Option<&CapabilityDoc>) -> Option<String> {
    now?.work
        .as_ref()?
        .iter()
        .filter(|w| w.category != crate::model::WorkCategory::Done)
        .filter_map(|w| w.due.map(|d| (d, &w.key)))
        .min()
        .map(|(d, key)| format!("{key} due {}", crate::model::date::iso(d)))
}

fn text(rows: &[Row]) -> String {
    let id_width = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
    let kind_width = rows
        .iter()
        .map(|r| r.kind.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for r in rows {
        let line = format!(
            "{:id_width$}  {:kind_width$}  {}{}",
            r.id,
            r.kind,
            r.before_after,
            if r.why.is_empty() {
                String::new()
            } else {
                format!("  — {}", r.why)
            }
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn markdown(rows: &[Row], changes: &[Change], old: &CatalogDoc, new: &CatalogDoc) -> String {
    let mut counts: BTreeMap<&ChangeKind, usize> = BTreeMap::new();
    for c in changes {
        *counts.entry(&c.kind).or_default() += 1;
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.label().to_lowercase()))
        .collect();
    let mut out = format!(
        "### Capability catalog: {} change{}\n\n{}, {} → {}: {}.\n\n",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        md_cell(&new.site.title),
        crate::model::date::iso(old.built.date),
        crate::model::date::iso(new.built.date),
        summary.join(", ")
    );
    out.push_str("| Capability | Change | Before → after | Why |\n|---|---|---|---|\n");
    for r in rows {
        let name = match &r.url {
            Some(url) => format!("[{}]({url})", md_cell(&r.title)),
            None => format!("{} (`{}`)", md_cell(&r.title), r.id),
        };
        out.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            md_cell(&r.kind),
            md_cell(&r.before_after),
            md_cell(if r.why.is_empty() { "—" } else { &r.why })
        ));
    }
    out
}

/// Text made safe for one Markdown table cell: no pipes, no line breaks,
/// no HTML.
fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn sentences() {
        let d = date!(2026 - 11 - 21);
        let shipped = Change::new(d, "a", ChangeKind::Shipped)
            .between(Some("in-progress".into()), Some("available".into()));
        assert_eq!(sentence(&shipped), "Became available (was in progress).");
        let slipped = Change::new(d, "a", ChangeKind::TargetSlipped)
            .between(Some("2026-Q4".into()), Some("2027-Q1".into()));
        assert_eq!(sentence(&slipped), "Target slipped: 2026-Q4 → 2027-Q1.");
        let promise = Change::new(d, "a", ChangeKind::PromiseChanged)
            .between(Some("with-date".into()), Some("do-not-promise".into()));
        assert_eq!(
            before_after(&promise),
            "Can promise a date → Do not promise"
        );
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_cell("a|b\nc <script>"), "a\\|b c &lt;script&gt;");
    }
}
