//! Linking Jira work items to capabilities: explicit keys in front matter,
//! `label_prefix` labels, and the children of a linked epic
//! (docs/content.md, "A capability file"; docs/statuses.md).

use crate::config::JiraConfig;
use crate::content::CapabilityDraft;
use crate::diagnostics::{Diagnostic, nearest};
use crate::jira::WorkItem;
use crate::model::{LinkedBy, WorkCategory};
use std::collections::{BTreeMap, BTreeSet};

/// The Jira items linked to one capability.
#[derive(Debug, Clone, Default)]
pub struct Linked<'a> {
    /// Delivery work (epics, stories…), each with how it was linked.
    pub work: Vec<(&'a WorkItem, LinkedBy)>,
    /// Customer requests (issue types in `request_types`).
    pub requests: Vec<(&'a WorkItem, LinkedBy)>,
}

/// All Jira items with indexes for lookups by key and by parent.
pub struct WorkIndex<'a> {
    by_key: BTreeMap<&'a str, &'a WorkItem>,
    children: BTreeMap<&'a str, Vec<&'a WorkItem>>,
}

impl<'a> WorkIndex<'a> {
    /// Indexes `items`.
    pub fn new(items: &'a [WorkItem]) -> Self {
        let mut by_key = BTreeMap::new();
        let mut children: BTreeMap<&str, Vec<&WorkItem>> = BTreeMap::new();
        for item in items {
            by_key.insert(item.key.as_str(), item);
        }
        for item in items {
            let parents: BTreeSet<&str> = item
                .parent
                .iter()
                .chain(item.epic.iter())
                .map(String::as_str)
                .collect();
            for p in parents {
                children.entry(p).or_default().push(item);
            }
        }
        WorkIndex { by_key, children }
    }

    /// The item with this key.
    pub fn get(&self, key: &str) -> Option<&'a WorkItem> {
        self.by_key.get(key).copied()
    }

    /// Direct children (parent or epic link), sorted by key.
    pub fn children(&self, key: &str) -> &[&'a WorkItem] {
        self.children.get(key).map_or(&[], Vec::as_slice)
    }

    /// Status category of `key`: from the export, else as embedded in a link.
    pub fn category_of(&self, key: &str, embedded: Option<WorkCategory>) -> WorkCategory {
        self.get(key)
            .map(|i| i.category)
            .or(embedded)
            .unwrap_or(WorkCategory::Unknown)
    }
}

/// Links items to capabilities. Returns the links per capability id and
/// warnings for keys not found (labels naming unknown capabilities are
/// [`unknown_labels`]).
pub fn link<'a>(
    drafts: &[CapabilityDraft],
    index: &WorkIndex<'a>,
    items: &'a [WorkItem],
    jira: &JiraConfig,
) -> (BTreeMap<String, Linked<'a>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut direct: BTreeMap<&str, Vec<(&'a WorkItem, LinkedBy)>> = BTreeMap::new();
    for d in drafts {
        for key in &d.meta.jira {
            match index.get(key) {
                Some(item) => direct
                    .entry(&d.id)
                    .or_default()
                    .push((item, LinkedBy::Explicit)),
                None => diagnostics.push(
                    Diagnostic::warning(
                        d.source.clone(),
                        format!("Jira issue {key} is not in the Jira data"),
                    )
                    .with_hint(
                        "check the key, or add the issue to the export / the JQL of [jira.api]",
                    ),
                ),
            }
        }
    }
    let ids: BTreeSet<&str> = drafts.iter().map(|d| d.id.as_str()).collect();
    for item in items {
        for label in &item.labels {
            let Some(id) = label
                .strip_prefix(jira.label_prefix.as_str())
                .filter(|_| !jira.label_prefix.is_empty())
            else {
                continue;
            };
            if let Some(&id) = ids.get(id) {
                direct.entry(id).or_default().push((item, LinkedBy::Label));
            }
        }
    }
    let mut out = BTreeMap::new();
    for d in drafts {
        let mut linked = Linked::default();
        let mut seen = BTreeSet::new();
        let mut queue: Vec<(&WorkItem, LinkedBy)> =
            direct.remove(d.id.as_str()).unwrap_or_default();
        queue.sort_by(|a, b| (&a.0.key, a.1).cmp(&(&b.0.key, b.1)));
        for (item, by) in queue {
            add(&mut linked, &mut seen, item, by, jira);
            for child in index.children(&item.key) {
                if is_request(child, jira) {
                    add(&mut linked, &mut seen, child, LinkedBy::Epic, jira);
                }
            }
        }
        out.insert(d.id.clone(), linked);
    }
    (out, diagnostics)
}

/// A warning for every label with the prefix that names no capability,
/// suggesting the nearest id.
pub fn unknown_labels(
    drafts: &[CapabilityDraft],
    items: &[WorkItem],
    jira: &JiraConfig,
) -> Vec<Diagnostic> {
    if jira.label_prefix.is_empty() {
        return Vec::new();
    }
    let ids: BTreeSet<&str> = drafts.iter().map(|d| d.id.as_str()).collect();
    let mut diagnostics = Vec::new();
    for item in items {
        for label in &item.labels {
            let Some(id) = label.strip_prefix(jira.label_prefix.as_str()) else {
                continue;
            };
            if ids.contains(id) {
                continue;
            }
            let hint = match nearest(id, ids.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{}{s}`? otherwise create content/capabilities/{id}.md",
                    jira.label_prefix
                ),
                None => format!("create content/capabilities/{id}.md or fix the label"),
            };
            diagnostics.push(
                Diagnostic::warning(
                    None,
                    format!(
                        "Jira issue {} is labelled `{label}`, but there is no capability `{id}`",
                        item.key
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    diagnostics
}

fn add<'a>(
    linked: &mut Linked<'a>,
    seen: &mut BTreeSet<&'a str>,
    item: &'a WorkItem,
    by: LinkedBy,
    jira: &JiraConfig,
) {
    if !seen.insert(item.key.as_str()) {
        return;
    }
    if is_request(item, jira) {
        linked.requests.push((item, by));
    } else {
        linked.work.push((item, by));
    }
}

/// True when the item's type counts as customer demand.
pub fn is_request(item: &WorkItem, jira: &JiraConfig) -> bool {
    jira.request_types
        .iter()
        .any(|t| t.eq_ignore_ascii_case(&item.issue_type))
}
