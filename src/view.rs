//! One view model per audience (SPEC §8): the only thing templates, the search
//! index and catalog.json are rendered from.
//!
//! The public view is built by leaving internal fields out (`None`), never by
//! hiding them in templates, so a template or a new output cannot leak what
//! the view does not hold.

use crate::catalog::{Catalog, Demand, EvidenceRecord, Page, Status, WorkEntry};
use crate::config::Audience;
use serde::Serialize;
use std::collections::BTreeMap;

/// A capability as one audience may see it. Serializes to the catalog.json
/// capability shape (SPEC §7).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityView {
    /// Slug id.
    pub id: String,
    /// `/capabilities/<id>/`
    pub url: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Category name.
    pub category: String,
    /// Category slug (URL part).
    pub category_slug: String,
    /// Search synonyms.
    pub aliases: Vec<String>,
    /// Plans.
    pub plans: Vec<String>,
    /// Former ids.
    pub redirect_from: Vec<String>,
    /// Status.
    pub status: Status,
    /// Human status label.
    pub status_label: &'static str,
    /// The plain answer line.
    pub answer: String,
    /// Why: headline (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Why: details (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_details: Option<Vec<String>>,
    /// What may be promised.
    pub promise: Option<&'static str>,
    /// Risk notes (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risks: Option<Vec<String>>,
    /// Target (absent in public when at risk).
    pub target: Option<String>,
    /// Evidence (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<EvidenceRecord>>,
    /// Linked work (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work: Option<Vec<WorkEntry>>,
    /// Demand (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand: Option<Demand>,
    /// Description HTML (not in catalog.json).
    #[serde(skip)]
    pub body_html: String,
    /// Description text (search index only).
    #[serde(skip)]
    pub body_text: String,
    /// Related capabilities visible to this audience.
    #[serde(skip)]
    pub related: Vec<String>,
    /// Source file (internal only; not in catalog.json).
    #[serde(skip)]
    pub source: Option<String>,
}

/// A category with the capabilities in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryView {
    /// Name.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Capability ids, by title.
    pub ids: Vec<String>,
    /// Count by status name.
    pub by_status: BTreeMap<&'static str, usize>,
}

/// A status with the capabilities in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusView {
    /// Status.
    pub status: Status,
    /// Kebab name.
    pub slug: &'static str,
    /// Label.
    pub label: &'static str,
    /// Meaning.
    pub meaning: &'static str,
    /// Capability ids, by title.
    pub ids: Vec<String>,
}

/// Everything one audience's site is rendered from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteView {
    /// Which audience.
    pub audience: Audience,
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Absolute base URL without trailing slash, or empty.
    pub base_url: String,
    /// Commit the code was read at (internal only).
    pub commit: Option<String>,
    /// Build date.
    pub date: String,
    /// Roadmap snapshot date when offline.
    pub roadmap_as_of: Option<String>,
    /// Capabilities visible to this audience, by id.
    pub capabilities: Vec<CapabilityView>,
    /// Categories, by name.
    pub categories: Vec<CategoryView>,
    /// Statuses in display order (only those with capabilities).
    pub statuses: Vec<StatusView>,
    /// Home page text.
    pub home: Option<Page>,
    /// Plain pages visible to this audience.
    pub pages: Vec<Page>,
}

impl SiteView {
    /// Builds the view of `catalog` for `audience`.
    pub fn new(catalog: &Catalog, audience: Audience) -> SiteView {
        let internal = audience == Audience::Internal;
        let visible = |public: bool| internal || public;
        let capabilities: Vec<CapabilityView> = catalog
            .capabilities
            .iter()
            .filter(|c| visible(c.public))
            .map(|c| {
                let visible_ids: Vec<String> = c
                    .related
                    .iter()
                    .filter(|r| {
                        catalog
                            .capabilities
                            .iter()
                            .any(|o| &o.id == *r && visible(o.public))
                    })
                    .cloned()
                    .collect();
                CapabilityView {
                    id: c.id.clone(),
                    url: c.url(),
                    title: c.title.clone(),
                    summary: c.summary.clone(),
                    category: c.category.clone(),
                    category_slug: slugify(&c.category),
                    aliases: c.aliases.clone(),
                    plans: c.plans.clone(),
                    redirect_from: c.redirect_from.clone(),
                    status: c.status,
                    status_label: c.status.label(),
                    answer: if internal {
                        c.answer.clone()
                    } else {
                        c.answer_public.clone()
                    },
                    why: internal.then(|| c.why.clone()),
                    why_details: internal.then(|| c.why_details.clone()),
                    promise: c.promise.map(|p| p.as_str()),
                    risks: internal.then(|| c.risks.clone()),
                    target: if internal || !c.at_risk() {
                        c.target.clone()
                    } else {
                        None
                    },
                    evidence: internal.then(|| c.evidence.clone()),
                    work: internal.then(|| c.work.clone()),
                    demand: if internal { c.demand.clone() } else { None },
                    body_html: c.body_html.clone(),
                    body_text: c.body_text.clone(),
                    related: visible_ids,
                    source: internal.then(|| c.source.clone()),
                }
            })
            .collect();
        SiteView {
            audience,
            title: catalog.title.clone(),
            description: catalog.description.clone(),
            base_url: catalog.base_url.clone(),
            commit: if internal {
                catalog.built.commit.clone()
            } else {
                None
            },
            date: catalog.built.date.clone(),
            roadmap_as_of: catalog.roadmap_as_of.clone(),
            categories: categories(&capabilities),
            statuses: statuses(&capabilities),
            capabilities,
            home: catalog.home.clone().filter(|p| visible(p.public)),
            pages: catalog
                .pages
                .iter()
                .filter(|p| visible(p.public))
                .cloned()
                .collect(),
        }
    }

    /// The capability with this id, if visible.
    pub fn capability(&self, id: &str) -> Option<&CapabilityView> {
        self.capabilities.iter().find(|c| c.id == id)
    }

    /// Absolute URL of a site path when a base URL is set, else the path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

fn by_title<'a>(caps: impl Iterator<Item = &'a CapabilityView>) -> Vec<String> {
    let mut v: Vec<&CapabilityView> = caps.collect();
    v.sort_by(|a, b| (a.title.to_lowercase(), &a.id).cmp(&(b.title.to_lowercase(), &b.id)));
    v.into_iter().map(|c| c.id.clone()).collect()
}

fn categories(caps: &[CapabilityView]) -> Vec<CategoryView> {
    let mut names: Vec<&str> = caps.iter().map(|c| c.category.as_str()).collect();
    names.sort_by_key(|n| (n.to_lowercase(), n.to_string()));
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let members = caps.iter().filter(|c| c.category == name);
            let mut by_status = BTreeMap::new();
            for c in caps.iter().filter(|c| c.category == name) {
                *by_status.entry(c.status.as_str()).or_insert(0) += 1;
            }
            CategoryView {
                name: name.to_string(),
                slug: slugify(name),
                ids: by_title(members),
                by_status,
            }
        })
        .collect()
}

fn statuses(caps: &[CapabilityView]) -> Vec<StatusView> {
    Status::ALL
        .iter()
        .filter_map(|&s| {
            let ids = by_title(caps.iter().filter(|c| c.status == s));
            (!ids.is_empty()).then(|| StatusView {
                status: s,
                slug: s.as_str(),
                label: s.label(),
                meaning: s.meaning(),
                ids,
            })
        })
        .collect()
}

/// Lowercase ASCII slug: letters and digits, runs of anything else become `-`.
pub fn slugify(text: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkd(text)
        .filter(|c| c.is_ascii())
        .collect();
    let mut slug = String::new();
    for ch in folded.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "x".into() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Security & access"), "security-access");
        assert_eq!(slugify("Paiements éclair"), "paiements-eclair");
        assert_eq!(slugify("  --  "), "x");
    }
}
