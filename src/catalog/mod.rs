//! The catalog: every capability with its derived status, evidence, linked
//! work and demand (docs/statuses.md). The one shared truth every output is
//! rendered from, through the audience projection in [`crate::view`].
//!
//! - [`link`]: Jira items → capabilities (explicit keys, labels, epics).
//! - [`derive`]: status, promise, risks, target and the answer line.
//! - [`drift`]: where the catalog disagrees with the code or Jira, and
//!   the coverage figure.
//! - [`assemble`]: content + evidence + Jira → [`Catalog`].
//! - [`plan`]: roadmap groups, coming next and gaps, over any selection of
//!   capabilities.
//! - [`insight`]: might slip, most blocked, accounts and the lost-deal
//!   autopsy, over any selection of capabilities.

pub mod assemble;
pub mod derive;
pub mod drift;
pub mod insight;
pub mod link;
pub mod plan;

use crate::content::{CapabilityDraft, FrontMatter, Page};
use crate::model::{Demand, Dependency, EvidenceItem, Promise, Risk, Status, Target, WorkEntry};
use time::Date;

/// A capability with everything derived about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Capability {
    /// What its content file says.
    pub draft: CapabilityDraft,
    /// `/capabilities/<id>/`
    pub url: String,
    /// URL part of its category.
    pub category_slug: String,
    /// Derived status.
    pub status: Status,
    /// Why it has this status: the headline.
    pub why: String,
    /// Why: supporting details.
    pub why_details: Vec<String>,
    /// What may be promised; None when available or beta.
    pub promise: Option<Promise>,
    /// Why its date should not be promised (empty when not at risk).
    pub risks: Vec<Risk>,
    /// Target quarter or version of its open work.
    pub target: Option<Target>,
    /// Code evidence, with links.
    pub evidence: Vec<EvidenceItem>,
    /// Linked Jira work (not requests).
    pub work: Vec<WorkEntry>,
    /// Customer demand, when any request is linked.
    pub demand: Option<Demand>,
    /// Open issues its open work (linked items and their children) waits for.
    pub dependencies: Vec<Dependency>,
    /// Related capabilities: indexes into [`Catalog::capabilities`].
    pub related: Vec<usize>,
}

impl Capability {
    /// Slug id, the permalink.
    pub fn id(&self) -> &str {
        &self.draft.id
    }

    /// The front matter.
    pub fn meta(&self) -> &FrontMatter {
        &self.draft.meta
    }

    /// True when planned or in progress and a risk was found.
    pub fn at_risk(&self) -> bool {
        !self.risks.is_empty()
    }
}

/// The site as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Absolute base URL (no trailing slash), or empty.
    pub base_url: String,
    /// Where to ask about what the catalog does not answer (`mailto:` or
    /// http(s)), or empty.
    pub contact: String,
    /// Currency of amounts at stake (`[demand] currency`), or empty.
    pub currency: String,
}

/// Facts about this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    /// The commit the code was read at, when known.
    pub commit: Option<String>,
    /// Build date.
    pub date: Date,
}

/// The whole catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// The site.
    pub site: SiteInfo,
    /// Build facts.
    pub built: BuildInfo,
    /// The date risk is judged against.
    pub today: Date,
    /// Set when Jira data came from an offline snapshot: its date.
    pub roadmap_as_of: Option<Date>,
    /// Capabilities sorted by id.
    pub capabilities: Vec<Capability>,
    /// Home page text (`content/_index.md`).
    pub home: Option<Page>,
    /// Other pages, sorted by path.
    pub pages: Vec<Page>,
    /// Where the catalog disagrees with the code or Jira.
    pub drift: drift::Drift,
}
