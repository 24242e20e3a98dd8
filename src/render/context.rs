//! The data handed to templates: built from the audience's [`SiteView`] only.

use crate::view::{CapabilityView, SiteView};
use serde::Serialize;
use std::collections::BTreeMap;

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Base URL (no trailing slash) or empty.
    pub base_url: &'a str,
    /// `internal` or `public`.
    pub audience: &'static str,
    /// Build date.
    pub date: &'a str,
    /// Commit (internal only).
    pub commit: Option<&'a str>,
    /// Short commit (internal only).
    pub commit_short: Option<&'a str>,
    /// Offline snapshot date of the roadmap data.
    pub roadmap_as_of: Option<&'a str>,
    /// Categories for navigation.
    pub categories: Vec<NavItem>,
    /// Statuses for navigation.
    pub statuses: Vec<NavItem>,
    /// Number of capabilities.
    pub total: usize,
    /// Plain pages for the footer.
    pub pages: Vec<NavItem>,
}

/// A link in navigation with a count.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Label.
    pub name: String,
    /// Path from the site root, no leading slash (`categories/x/`).
    pub path: String,
    /// Slug.
    pub slug: String,
    /// Capabilities in it.
    pub count: usize,
}

/// A capability as a list entry.
#[derive(Debug, Clone, Serialize)]
pub struct Card<'a> {
    /// Id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Summary.
    pub summary: &'a str,
    /// Status slug.
    pub status: &'static str,
    /// Status label.
    pub status_label: &'static str,
    /// Answer line.
    pub answer: &'a str,
    /// Category.
    pub category: &'a str,
    /// Category slug.
    pub category_slug: &'a str,
    /// Plans.
    pub plans: &'a [String],
    /// Promise slug.
    pub promise: Option<&'static str>,
    /// Target.
    pub target: Option<&'a str>,
    /// At risk (internal only; false in public).
    pub at_risk: bool,
}

impl<'a> Card<'a> {
    /// The list entry of `c`.
    pub fn of(c: &'a CapabilityView) -> Self {
        Card {
            id: &c.id,
            title: &c.title,
            summary: &c.summary,
            status: c.status.as_str(),
            status_label: c.status_label,
            answer: &c.answer,
            category: &c.category,
            category_slug: &c.category_slug,
            plans: &c.plans,
            promise: c.promise,
            target: c.target.as_deref(),
            at_risk: c.risks.as_ref().is_some_and(|r| !r.is_empty()),
        }
    }
}

/// Evidence of one kind on a capability page.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceGroup<'a> {
    /// Heading (`Markers`, `Routes`…).
    pub label: &'static str,
    /// The records.
    pub items: Vec<&'a crate::catalog::EvidenceRecord>,
}

/// Builds the `site` context.
pub fn site<'a>(view: &'a SiteView) -> SiteContext<'a> {
    SiteContext {
        title: &view.title,
        description: &view.description,
        base_url: &view.base_url,
        audience: view.audience.as_str(),
        date: &view.date,
        commit: view.commit.as_deref(),
        commit_short: view.commit.as_deref().map(|c| &c[..c.len().min(10)]),
        roadmap_as_of: view.roadmap_as_of.as_deref(),
        categories: view
            .categories
            .iter()
            .map(|c| NavItem {
                name: c.name.clone(),
                path: format!("categories/{}/", c.slug),
                slug: c.slug.clone(),
                count: c.ids.len(),
            })
            .collect(),
        statuses: view
            .statuses
            .iter()
            .map(|s| NavItem {
                name: s.label.to_string(),
                path: format!("status/{}/", s.slug),
                slug: s.slug.to_string(),
                count: s.ids.len(),
            })
            .collect(),
        total: view.capabilities.len(),
        pages: view
            .pages
            .iter()
            .map(|p| NavItem {
                name: p.title.clone(),
                path: p.path.trim_start_matches('/').to_string(),
                slug: String::new(),
                count: 0,
            })
            .collect(),
    }
}

/// Cards for `ids`, in order.
pub fn cards<'a>(view: &'a SiteView, ids: &[String]) -> Vec<Card<'a>> {
    ids.iter()
        .filter_map(|id| view.capability(id))
        .map(Card::of)
        .collect()
}

/// Evidence of a capability grouped by kind, in a fixed order.
pub fn evidence_groups(c: &CapabilityView) -> Vec<EvidenceGroup<'_>> {
    let Some(evidence) = &c.evidence else {
        return Vec::new();
    };
    let mut groups: BTreeMap<u8, EvidenceGroup<'_>> = BTreeMap::new();
    for e in evidence {
        let (order, label) = match e.evidence.kind {
            crate::scan::EvidenceKind::Marker => (0, "Markers in code"),
            crate::scan::EvidenceKind::Symbol => (1, "Definitions"),
            crate::scan::EvidenceKind::Route => (2, "HTTP routes"),
            crate::scan::EvidenceKind::Graphql => (3, "GraphQL operations"),
            crate::scan::EvidenceKind::Flag => (4, "Feature flags"),
            crate::scan::EvidenceKind::Path => (5, "Files"),
        };
        groups
            .entry(order)
            .or_insert_with(|| EvidenceGroup {
                label,
                items: Vec::new(),
            })
            .items
            .push(e);
    }
    groups.into_values().collect()
}
