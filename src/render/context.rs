//! The data handed to templates: built from the audience's [`SiteView`] only.

use crate::catalog::drift::{Drift, DriftKind};
use crate::model::{EvidenceItem, EvidenceKind, Promise, Target};
use crate::view::{CapabilityView, CategoryView, Rules, SiteView, StatusView};
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
    /// What this audience may see: `site.rules.gaps_page`, `site.rules.noindex`…
    pub rules: Rules,
    /// Build date.
    pub date: String,
    /// Commit (internal only).
    pub commit: Option<&'a str>,
    /// Short commit (internal only).
    pub commit_short: Option<&'a str>,
    /// Offline snapshot date of the roadmap data.
    pub roadmap_as_of: Option<String>,
    /// Categories for navigation.
    pub categories: Vec<NavItem>,
    /// Statuses for navigation.
    pub statuses: Vec<NavItem>,
    /// Number of capabilities.
    pub total: usize,
    /// Plain pages for the footer.
    pub pages: Vec<NavItem>,
    /// Where to ask about what the catalog does not answer, or empty.
    pub contact: &'a str,
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
    /// Promise.
    pub promise: Option<Promise>,
    /// Target.
    pub target: Option<&'a Target>,
    /// At risk (internal only; false in public).
    pub at_risk: bool,
}

impl<'a> Card<'a> {
    /// The list entry of `c`.
    pub fn of(c: &'a CapabilityView<'_>) -> Self {
        Card {
            id: c.id,
            title: c.title,
            summary: c.summary,
            status: c.status.as_str(),
            status_label: c.status_label,
            answer: &c.answer,
            category: c.category,
            category_slug: c.category_slug,
            plans: c.plans,
            promise: c.promise,
            target: c.target,
            at_risk: c.at_risk(),
        }
    }
}

/// A status listing's heading.
#[derive(Debug, Clone, Serialize)]
pub struct StatusContext {
    /// Kebab name.
    pub slug: &'static str,
    /// Label.
    pub label: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Capabilities with this status.
    pub count: usize,
}

impl StatusContext {
    /// The heading of `s`.
    pub fn of(s: &StatusView) -> Self {
        StatusContext {
            slug: s.status.as_str(),
            label: s.status.label(),
            meaning: s.status.meaning(),
            count: s.members.len(),
        }
    }
}

/// A category listing's heading.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryContext<'a> {
    /// Name.
    pub name: &'a str,
    /// URL slug.
    pub slug: &'a str,
    /// Capabilities in it.
    pub count: usize,
}

impl<'a> CategoryContext<'a> {
    /// The heading of `c`.
    pub fn of(c: &CategoryView<'a>) -> Self {
        CategoryContext {
            name: c.name,
            slug: c.slug,
            count: c.members.len(),
        }
    }
}

/// Evidence of one kind on a capability page.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceGroup<'a> {
    /// Heading (`Markers`, `Routes`…).
    pub label: &'static str,
    /// The records.
    pub items: Vec<&'a EvidenceItem>,
}

/// Builds the `site` context.
pub fn site<'a>(view: &'a SiteView<'_>) -> SiteContext<'a> {
    SiteContext {
        title: &view.site.title,
        description: &view.site.description,
        base_url: &view.site.base_url,
        contact: &view.site.contact,
        audience: view.audience.as_str(),
        rules: view.rules,
        date: crate::model::date::iso(view.date),
        commit: view.commit,
        commit_short: view.commit.map(|c| &c[..c.len().min(10)]),
        roadmap_as_of: view.roadmap_as_of.map(crate::model::date::iso),
        categories: view
            .categories
            .iter()
            .map(|c| NavItem {
                name: c.name.to_string(),
                path: format!("categories/{}/", c.slug),
                slug: c.slug.to_string(),
                count: c.members.len(),
            })
            .collect(),
        statuses: view
            .statuses
            .iter()
            .map(|s| NavItem {
                name: s.status.label().to_string(),
                path: format!("status/{}/", s.status.as_str()),
                slug: s.status.as_str().to_string(),
                count: s.members.len(),
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

/// Cards for the view capabilities at `indexes`, in order.
pub fn cards<'a>(view: &'a SiteView<'_>, indexes: &[usize]) -> Vec<Card<'a>> {
    indexes
        .iter()
        .map(|&i| Card::of(&view.capabilities[i]))
        .collect()
}

/// The test files holding evidence of a capability, sorted: shown apart
/// from the product evidence, as "Tested in: N files".
pub fn tested_in<'a>(c: &CapabilityView<'a>) -> Vec<&'a str> {
    let mut files: Vec<&str> = c
        .evidence
        .unwrap_or_default()
        .iter()
        .filter(|e| e.at.test)
        .map(|e| e.at.path.as_str())
        .collect();
    files.sort_unstable();
    files.dedup();
    files
}

/// Product evidence of a capability grouped by kind, in a fixed order.
pub fn evidence_groups<'a>(c: &CapabilityView<'a>) -> Vec<EvidenceGroup<'a>> {
    let Some(evidence) = c.evidence else {
        return Vec::new();
    };
    let mut groups: BTreeMap<u8, EvidenceGroup<'a>> = BTreeMap::new();
    for e in evidence.iter().filter(|e| !e.at.test) {
        let (order, label) = match e.at.kind {
            EvidenceKind::Marker => (0, "Markers in code"),
            EvidenceKind::Symbol => (1, "Definitions"),
            EvidenceKind::Route => (2, "HTTP routes"),
            EvidenceKind::Graphql => (3, "GraphQL operations"),
            EvidenceKind::Flag => (4, "Feature flags"),
            EvidenceKind::Path => (5, "Files"),
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

/// A section of the drift page: one kind of disagreement.
#[derive(Debug, Clone, Serialize)]
pub struct DriftSection {
    /// Anchor (`dead-matcher`).
    pub slug: &'static str,
    /// Heading.
    pub title: &'static str,
    /// The items shown: the first [`DRIFT_ROWS`] (`capcat check` lists all).
    pub items: Vec<DriftRow>,
    /// How many items of this kind there are.
    pub total: usize,
}

/// Drift items shown per kind, so the page stays small at any catalog size.
pub const DRIFT_ROWS: usize = 200;

/// One drift item as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DriftRow {
    /// The capability's id, when the item is about one.
    pub capability: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// `file:line:col`, when known.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The drift page's sections, kinds with items only, in report order.
pub fn drift_sections(view: &SiteView<'_>, drift: &Drift) -> Vec<DriftSection> {
    DriftKind::ALL
        .iter()
        .filter_map(|&kind| {
            let total = drift.of_kind(kind).count();
            let items: Vec<DriftRow> = drift
                .of_kind(kind)
                .take(DRIFT_ROWS)
                .map(|i| DriftRow {
                    title: i
                        .capability
                        .as_deref()
                        .and_then(|id| view.capability(id))
                        .map(|c| c.title.to_string()),
                    capability: i.capability.clone(),
                    location: i.diagnostic.location(),
                    message: i.diagnostic.message.clone(),
                    hint: i.diagnostic.hint.clone(),
                })
                .collect();
            (!items.is_empty()).then_some(DriftSection {
                slug: kind.slug(),
                title: kind.title(),
                items,
                total,
            })
        })
        .collect()
}

/// What a capability page offers for pasting elsewhere: the answer as one
/// plain sentence with its permalink, and the badge embed snippets.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    /// "Single sign-on (SAML 2.0): Yes — available on enterprise. https://…/capabilities/sso-saml/"
    pub sentence: String,
    /// The page's permalink (absolute when the site has a base URL).
    pub permalink: String,
    /// Absolute URL of the PNG badge; empty without a base URL.
    pub badge_url: String,
    /// Markdown that shows the badge linked to the page.
    pub markdown: String,
    /// HTML that shows the badge linked to the page.
    pub html: String,
}

impl Share {
    /// The share texts of `c`.
    pub fn of(view: &SiteView<'_>, c: &CapabilityView<'_>) -> Share {
        let permalink = view.absolute(c.url);
        let sentence = format!("{}: {} {permalink}", c.title, answer_with_plans(c));
        let (badge_url, markdown, html) = if view.site.base_url.is_empty() {
            Default::default()
        } else {
            let url = view.absolute(&format!("/badges/{}.png", c.id));
            let alt = format!("{}: {}", c.title, c.status_label.to_lowercase());
            (
                url.clone(),
                format!("[![{}]({url})]({permalink})", markdown_text(&alt)),
                format!(
                    "<a href=\"{permalink}\"><img src=\"{url}\" alt=\"{}\" height=\"20\"></a>",
                    html_attr(&alt)
                ),
            )
        };
        Share {
            sentence,
            permalink,
            badge_url,
            markdown,
            html,
        }
    }
}

/// The answer line, with the plans a shipped capability is on:
/// "Yes — available on growth and enterprise."
fn answer_with_plans(c: &CapabilityView<'_>) -> String {
    let shipped = matches!(
        c.status,
        crate::model::Status::Available | crate::model::Status::Beta
    );
    if !shipped || c.plans.is_empty() {
        return c.answer.clone();
    }
    let plans = match c.plans {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    };
    format!("{} on {plans}.", c.answer.trim_end_matches('.'))
}

fn markdown_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn html_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
