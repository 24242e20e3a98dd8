//! The audience projection (docs/output.md, "Audiences"): what each audience
//! may see of the catalog, decided once, here. Templates, catalog.json, the
//! search index and every other output read only a [`SiteView`].
//!
//! The public view leaves internal fields out (`None`) rather than hiding
//! them in templates, so no template or new output can leak what the view
//! does not hold. The view borrows from the catalog; only the internal lists
//! across capabilities (leadership roadmap, accounts, autopsy) are built anew.

use crate::catalog::derive::{self, RiskNote};
use crate::catalog::drift::Drift;
use crate::catalog::insight::{self, Subject};
use crate::catalog::plan::{self, Gaps, PlanItem, TargetGroup};
use crate::catalog::{Capability, Catalog, SiteInfo};
use crate::content::Page;
use crate::history::{self, Limits};
use crate::model::doc::SCHEMA;
use crate::model::insight::{AccountDoc, AutopsyDoc, RoadmapDoc};
use crate::model::{
    Audience, BuiltDoc, CapabilityDoc, CatalogDoc, Change, ChangeKind, Demand, Dependency,
    EvidenceItem, Promise, Risk, SiteDoc, Status, Target, WorkEntry,
};
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// How many capabilities the home page lists under "Coming next".
pub const COMING_NEXT: usize = 8;

/// What an audience may see, decided once per build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// Capabilities not marked `public: true` are shown.
    pub all_capabilities: bool,
    /// Why, risks, evidence, linked work, demand, source files and the commit.
    pub internal_fields: bool,
    /// The gaps page (demand by account and amount).
    pub gaps_page: bool,
    /// Pages ask search engines not to index them.
    pub noindex: bool,
    /// Pages carry "Internal — do not share outside the company".
    pub internal_notice: bool,
    /// The roadmap's leadership lists: might slip, most blocked, no date.
    pub roadmap_insights: bool,
    /// The accounts index and one page per requesting account.
    pub accounts_pages: bool,
    /// The lost-deal autopsy page.
    pub autopsy_page: bool,
    /// The re-engage list (`/re-engage/`, `re-engage.csv`): accounts to call back.
    pub re_engage_page: bool,
    /// The drift page and the coverage figure (catalog vs code and Jira).
    pub drift_page: bool,
    /// What sales may promise ("Can promise", "Do not promise"): an
    /// instruction to staff, never shown to customers, who read "No date yet".
    pub promises: bool,
    /// Badge embed snippets (Markdown, HTML, image URL) on capability pages.
    pub embed_snippets: bool,
}

impl Rules {
    /// The rules of `audience`.
    pub fn of(audience: Audience) -> Rules {
        let internal = audience == Audience::Internal;
        Rules {
            all_capabilities: internal,
            internal_fields: internal,
            gaps_page: internal,
            noindex: internal,
            internal_notice: internal,
            roadmap_insights: internal,
            accounts_pages: internal,
            autopsy_page: internal,
            re_engage_page: internal,
            drift_page: internal,
            promises: internal,
            embed_snippets: internal,
        }
    }

    /// True when this audience may see `change`, given the capability's
    /// promise now: the public sees no change of linked work or demand,
    /// and a target move only while a date may be promised.
    pub fn shows_change(&self, change: &Change, promise_now: Option<Promise>) -> bool {
        self.internal_fields
            || (!change.kind.is_internal()
                && (self.promises || change.kind != ChangeKind::PromiseChanged)
                && (!change.kind.is_target() || promise_now == Some(Promise::WithDate)))
    }

    /// True when a capability or page with this `public` flag is shown.
    pub fn shows(&self, public: bool) -> bool {
        self.all_capabilities || public
    }
}

/// A capability as one audience may see it. Serializes, for templates, to
/// the catalog.json capability shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityView<'a> {
    /// Slug id.
    pub id: &'a str,
    /// `/capabilities/<id>/`
    pub url: &'a str,
    /// Title.
    pub title: &'a str,
    /// Summary.
    pub summary: &'a str,
    /// Category name.
    pub category: &'a str,
    /// Category slug (URL part).
    pub category_slug: &'a str,
    /// Search synonyms.
    pub aliases: &'a [String],
    /// Plans.
    pub plans: &'a [String],
    /// Former ids.
    pub redirect_from: &'a [String],
    /// Status.
    pub status: Status,
    /// Human status label.
    pub status_label: &'static str,
    /// The plain answer line for this audience.
    pub answer: String,
    /// Why: headline (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<&'a str>,
    /// Why: details (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_details: Option<&'a [String]>,
    /// What may be promised.
    pub promise: Option<Promise>,
    /// Risks (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risks: Option<&'a [Risk]>,
    /// Target (absent in public when at risk).
    pub target: Option<&'a Target>,
    /// Evidence (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<&'a [EvidenceItem]>,
    /// Linked work (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work: Option<&'a [WorkEntry]>,
    /// Demand (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand: Option<&'a Demand>,
    /// Open dependencies (internal only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<&'a [Dependency]>,
    /// Description HTML.
    #[serde(skip)]
    pub body_html: &'a str,
    /// Description text (search).
    #[serde(skip)]
    pub body_text: &'a str,
    /// Related capabilities visible to this audience: indexes into
    /// [`SiteView::capabilities`].
    #[serde(skip)]
    pub related: Vec<usize>,
    /// Source file (internal only).
    #[serde(skip)]
    pub source: Option<&'a std::path::Path>,
}

impl<'a> CapabilityView<'a> {
    fn new(c: &'a Capability, rules: &Rules) -> Self {
        let meta = c.meta();
        let internal = rules.internal_fields;
        let risk = match (c.at_risk(), internal) {
            (false, _) => RiskNote::None,
            (true, true) => RiskNote::Shown,
            (true, false) => RiskNote::Withheld,
        };
        let target = if risk == RiskNote::Withheld {
            None
        } else {
            c.target.as_ref()
        };
        CapabilityView {
            id: c.id(),
            url: &c.url,
            title: &meta.title,
            summary: &meta.summary,
            category: &meta.category,
            category_slug: &c.category_slug,
            aliases: &meta.aliases,
            plans: &meta.plans,
            redirect_from: &meta.redirect_from,
            status: c.status,
            status_label: c.status.label(),
            answer: derive::answer(c.status, target, risk),
            why: internal.then_some(c.why.as_str()),
            why_details: internal.then_some(c.why_details.as_slice()),
            promise: c.promise.filter(|_| rules.promises),
            risks: internal.then_some(c.risks.as_slice()),
            target,
            evidence: internal.then_some(c.evidence.as_slice()),
            work: internal.then_some(c.work.as_slice()),
            demand: c.demand.as_ref().filter(|_| internal),
            dependencies: internal.then_some(c.dependencies.as_slice()),
            body_html: &c.draft.body_html,
            body_text: &c.draft.body_text,
            related: Vec::new(),
            source: internal.then_some(c.draft.source.as_path()),
        }
    }

    /// True when risks are shown and there are some.
    pub fn at_risk(&self) -> bool {
        self.risks.is_some_and(|r| !r.is_empty())
    }

    /// The catalog.json form.
    pub fn to_doc(&self) -> CapabilityDoc {
        CapabilityDoc {
            id: self.id.to_string(),
            url: self.url.to_string(),
            title: self.title.to_string(),
            summary: self.summary.to_string(),
            category: self.category.to_string(),
            category_slug: self.category_slug.to_string(),
            aliases: self.aliases.to_vec(),
            plans: self.plans.to_vec(),
            redirect_from: self.redirect_from.to_vec(),
            status: self.status,
            status_label: self.status_label.to_string(),
            answer: self.answer.clone(),
            why: self.why.map(str::to_string),
            why_details: self.why_details.map(<[String]>::to_vec),
            promise: self.promise,
            risks: self.risks.map(<[Risk]>::to_vec),
            target: self.target.cloned(),
            evidence: self.evidence.map(<[EvidenceItem]>::to_vec),
            work: self.work.map(<[WorkEntry]>::to_vec),
            demand: self.demand.cloned(),
            dependencies: self.dependencies.map(<[Dependency]>::to_vec),
        }
    }

    fn subject(&self) -> Subject<'_> {
        Subject {
            id: self.id,
            title: self.title,
            aliases: self.aliases,
            status: self.status,
            answer: &self.answer,
            promise: self.promise,
            target: self.target,
            risks: self.risks.unwrap_or_default(),
            work: self.work.unwrap_or_default(),
            dependencies: self.dependencies.unwrap_or_default(),
            demand: self.demand,
        }
    }

    fn plan_item(&self, index: usize) -> PlanItem<'a> {
        PlanItem {
            index,
            id: self.id,
            title: self.title,
            status: self.status,
            target: self.target,
            demand: self.demand,
        }
    }
}

/// A category with the capabilities in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryView<'a> {
    /// Name.
    pub name: &'a str,
    /// URL slug.
    pub slug: &'a str,
    /// Members by title: indexes into [`SiteView::capabilities`].
    pub members: Vec<usize>,
    /// Count by status, in display order, statuses with members only.
    pub by_status: Vec<(Status, usize)>,
}

/// A status with the capabilities in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusView {
    /// Status.
    pub status: Status,
    /// Members by title: indexes into [`SiteView::capabilities`].
    pub members: Vec<usize>,
}

/// Everything one audience's site is rendered from.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteView<'a> {
    /// Which audience.
    pub audience: Audience,
    /// What it may see.
    pub rules: Rules,
    /// Title, description and base URL.
    pub site: &'a SiteInfo,
    /// Commit the code was read at (internal only).
    pub commit: Option<&'a str>,
    /// Build date.
    pub date: Date,
    /// Roadmap snapshot date when built offline.
    pub roadmap_as_of: Option<Date>,
    /// Capabilities visible to this audience, by id.
    pub capabilities: Vec<CapabilityView<'a>>,
    /// Categories, by name.
    pub categories: Vec<CategoryView<'a>>,
    /// Statuses in display order (only those with capabilities).
    pub statuses: Vec<StatusView>,
    /// Home page text.
    pub home: Option<&'a Page>,
    /// Plain pages visible to this audience.
    pub pages: Vec<&'a Page>,
    /// In progress and planned capabilities by the target this audience sees.
    pub roadmap: Vec<TargetGroup<'a>>,
    /// What the home page lists as coming next.
    pub coming_next: Vec<usize>,
    /// Unmet demand (when the audience may see demand).
    pub gaps: Option<Gaps>,
    /// What might slip, what is most blocked, what has no date.
    pub leadership: Option<RoadmapDoc>,
    /// Every requesting account's asks.
    pub accounts: Option<Vec<AccountDoc>>,
    /// Lost deals by root cause.
    pub autopsy: Option<AutopsyDoc>,
    /// Changes noticed against earlier builds, newest first (see [`SiteView::remember`]).
    pub history: Vec<Change>,
    /// Where the catalog disagrees with the code or Jira (when the audience
    /// may see it).
    pub drift: Option<&'a Drift>,
}

impl<'a> SiteView<'a> {
    /// The view of `catalog` for `audience`.
    pub fn new(catalog: &'a Catalog, audience: Audience) -> SiteView<'a> {
        let rules = Rules::of(audience);
        let shown: Vec<&Capability> = catalog
            .capabilities
            .iter()
            .filter(|c| rules.shows(c.meta().public))
            .collect();
        let mut capabilities: Vec<CapabilityView<'a>> = shown
            .iter()
            .map(|c| CapabilityView::new(c, &rules))
            .collect();
        link_related(catalog, &rules, &mut capabilities);
        let (roadmap, coming_next, gaps) = plans(&capabilities, &rules);
        let subjects: Vec<Subject<'_>> = capabilities.iter().map(|c| c.subject()).collect();
        let leadership = rules.roadmap_insights.then(|| insight::roadmap(&subjects));
        let accounts = rules.accounts_pages.then(|| insight::accounts(&subjects));
        let autopsy = rules.autopsy_page.then(|| insight::autopsy(&subjects));
        SiteView {
            audience,
            rules,
            site: &catalog.site,
            commit: catalog
                .built
                .commit
                .as_deref()
                .filter(|_| rules.internal_fields),
            date: catalog.built.date,
            roadmap_as_of: catalog.roadmap_as_of,
            categories: categories(&capabilities),
            statuses: statuses(&capabilities),
            roadmap,
            coming_next,
            gaps,
            leadership,
            accounts,
            autopsy,
            history: Vec::new(),
            drift: Some(&catalog.drift).filter(|_| rules.drift_page),
            capabilities,
            home: catalog.home.as_ref().filter(|p| rules.shows(p.public)),
            pages: catalog
                .pages
                .iter()
                .filter(|p| rules.shows(p.public))
                .collect(),
        }
    }

    /// The capability with this id, if visible.
    pub fn capability(&self, id: &str) -> Option<&CapabilityView<'a>> {
        self.capabilities
            .binary_search_by(|c| c.id.cmp(id))
            .ok()
            .map(|i| &self.capabilities[i])
    }

    /// Absolute URL of a site path when a base URL is set, else the path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.site.base_url, path)
    }

    /// catalog.json of this view.
    pub fn doc(&self) -> CatalogDoc {
        CatalogDoc {
            schema: SCHEMA,
            site: SiteDoc {
                title: self.site.title.clone(),
                base_url: self.site.base_url.clone(),
                audience: self.audience,
            },
            built: BuiltDoc {
                commit: self.commit.map(str::to_string),
                date: self.date,
            },
            roadmap_as_of: self.roadmap_as_of,
            capabilities: self
                .capabilities
                .iter()
                .map(CapabilityView::to_doc)
                .collect(),
            roadmap: self.leadership.clone(),
            accounts: self.accounts.clone(),
            autopsy: self.autopsy.clone(),
            history: self.history.clone(),
            coverage: self.drift.and_then(|d| d.coverage),
        }
    }

    /// Gives the view its memory: this build's changes against `baseline`
    /// (the previously published catalog.json of this audience) followed
    /// by the baseline's history, as far as this audience may see them.
    pub fn remember(&mut self, baseline: &CatalogDoc, limits: Limits) {
        let now = self.doc();
        let successors = history::changes::successors(&now);
        let visible = |c: &Change| {
            let promise = successors
                .get(c.id.as_str())
                .and_then(|cap| promise_of(cap));
            self.rules.shows_change(c, promise)
        };
        let mut fresh = history::changes(baseline, &now, self.date);
        fresh.retain(visible);
        let previous: Vec<Change> = baseline
            .history
            .iter()
            .filter(|c| visible(c))
            .cloned()
            .collect();
        self.history = history::carry(&previous, fresh, self.date, limits);
    }
}

/// What may be promised about `cap`; where the audience is not told (the
/// public), a date it is shown counts as one that may be promised.
fn promise_of(cap: &CapabilityDoc) -> Option<Promise> {
    let scheduled = matches!(cap.status, Status::InProgress | Status::Planned);
    cap.promise
        .or((scheduled && cap.target.is_some()).then_some(Promise::WithDate))
}

/// Keeps the related capabilities this audience may see, as view indexes.
fn link_related(catalog: &Catalog, rules: &Rules, views: &mut [CapabilityView<'_>]) {
    let mut view_index = vec![None; catalog.capabilities.len()];
    let mut next = 0;
    for (i, c) in catalog.capabilities.iter().enumerate() {
        if rules.shows(c.meta().public) {
            view_index[i] = Some(next);
            next += 1;
        }
    }
    for (c, v) in catalog
        .capabilities
        .iter()
        .filter(|c| rules.shows(c.meta().public))
        .zip(views.iter_mut())
    {
        v.related = c.related.iter().filter_map(|&r| view_index[r]).collect();
    }
}

fn plans<'a>(
    caps: &[CapabilityView<'a>],
    rules: &Rules,
) -> (Vec<TargetGroup<'a>>, Vec<usize>, Option<Gaps>) {
    let items: Vec<PlanItem<'a>> = caps
        .iter()
        .enumerate()
        .map(|(i, c)| c.plan_item(i))
        .collect();
    (
        plan::roadmap(&items),
        plan::coming_next(&items, COMING_NEXT),
        rules.gaps_page.then(|| plan::gaps(&items)),
    )
}

/// Indexes of `members`, by title (case-insensitive), then id.
fn by_title(caps: &[CapabilityView<'_>], members: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut v: Vec<(String, &str, usize)> = members
        .map(|i| (caps[i].title.to_lowercase(), caps[i].id, i))
        .collect();
    v.sort();
    v.into_iter().map(|(_, _, i)| i).collect()
}

fn categories<'a>(caps: &[CapabilityView<'a>]) -> Vec<CategoryView<'a>> {
    let mut groups: BTreeMap<(String, &'a str), Vec<usize>> = BTreeMap::new();
    for (i, c) in caps.iter().enumerate() {
        groups
            .entry((c.category.to_lowercase(), c.category))
            .or_default()
            .push(i);
    }
    groups
        .into_iter()
        .map(|((_, name), members)| {
            let by_status = Status::ALL
                .iter()
                .map(|&s| (s, members.iter().filter(|&&i| caps[i].status == s).count()))
                .filter(|(_, n)| *n > 0)
                .collect();
            CategoryView {
                name,
                slug: caps[members[0]].category_slug,
                members: by_title(caps, members.into_iter()),
                by_status,
            }
        })
        .collect()
}

fn statuses(caps: &[CapabilityView<'_>]) -> Vec<StatusView> {
    Status::ALL
        .iter()
        .filter_map(|&s| {
            let members = by_title(caps, (0..caps.len()).filter(|&i| caps[i].status == s));
            (!members.is_empty()).then_some(StatusView { status: s, members })
        })
        .collect()
}
