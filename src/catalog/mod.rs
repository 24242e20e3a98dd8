//! The catalog model: capabilities with their derived status, evidence, work
//! and demand (SPEC §5, §7). This is the one shared truth every output is
//! rendered from (through [`crate::view::SiteView`]).

pub mod assemble;
pub mod derive;
pub mod link;

use crate::scan::Evidence;
use serde::Serialize;

/// A capability's derived status (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Code evidence exists, or a linked epic is done.
    Available,
    /// Evidence exists and the claim or a marker says beta.
    Beta,
    /// No evidence yet; a linked epic is in progress.
    InProgress,
    /// A linked epic is to do with a target.
    Planned,
    /// Linked only through requests, or a to-do epic with no target.
    Considering,
    /// Claimed `not-planned`, or its epic was resolved Won't Do.
    NotPlanned,
    /// Nothing found at all.
    Unavailable,
    /// Claimed `deprecated`.
    Deprecated,
    /// Claimed available or beta, but no evidence found.
    Unverified,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 9] = [
        Status::Available,
        Status::Beta,
        Status::InProgress,
        Status::Planned,
        Status::Considering,
        Status::Unverified,
        Status::Deprecated,
        Status::NotPlanned,
        Status::Unavailable,
    ];

    /// The kebab-case name used in URLs and catalog.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Available => "available",
            Status::Beta => "beta",
            Status::InProgress => "in-progress",
            Status::Planned => "planned",
            Status::Considering => "considering",
            Status::NotPlanned => "not-planned",
            Status::Unavailable => "unavailable",
            Status::Deprecated => "deprecated",
            Status::Unverified => "unverified",
        }
    }

    /// Human label (`In progress`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Available => "Available",
            Status::Beta => "Beta",
            Status::InProgress => "In progress",
            Status::Planned => "Planned",
            Status::Considering => "Considering",
            Status::NotPlanned => "Not planned",
            Status::Unavailable => "Unavailable",
            Status::Deprecated => "Deprecated",
            Status::Unverified => "Unverified",
        }
    }

    /// One sentence saying what the status means, for listings.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Available => "Shipped: found in the code or delivered by a finished epic.",
            Status::Beta => "In the product, but marked beta.",
            Status::InProgress => "Being built now.",
            Status::Planned => "Scheduled, with a target.",
            Status::Considering => "Asked for or on the backlog, not scheduled.",
            Status::NotPlanned => "Decided against.",
            Status::Unavailable => "Not built and not on the roadmap.",
            Status::Deprecated => "Still there, being retired.",
            Status::Unverified => "Claimed, but no evidence was found in the code.",
        }
    }
}

/// What sales may promise about a capability that is not shipped (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Promise {
    /// In progress or planned, has a target, not at risk.
    WithDate,
    /// In progress or planned, not at risk, no target yet.
    NoDate,
    /// At risk, considering, unavailable, not planned or deprecated.
    DoNotPromise,
}

impl Promise {
    /// The kebab-case name used in catalog.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Promise::WithDate => "with-date",
            Promise::NoDate => "no-date",
            Promise::DoNotPromise => "do-not-promise",
        }
    }
}

/// A claim typed in front matter.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Claim {
    /// "This exists."
    Available,
    /// "This exists, as a beta."
    Beta,
    /// "This is being retired."
    Deprecated,
    /// "We will not build this."
    NotPlanned,
}

/// A piece of evidence with its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRecord {
    /// The evidence itself.
    #[serde(flatten)]
    pub evidence: Evidence,
    /// Link built from `[code] link`, when configured.
    pub url: Option<String>,
}

/// Done/total of an item's direct children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Progress {
    /// Children in status category done.
    pub done: usize,
    /// All children.
    pub total: usize,
}

/// A child issue of a linked item, shown as its scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeItem {
    /// Issue key.
    pub key: String,
    /// Summary.
    pub summary: String,
    /// Issue type.
    pub issue_type: String,
    /// Status name.
    pub status: String,
    /// Status category (`todo`, `in-progress`, `done`, `unknown`).
    pub category: &'static str,
    /// Story points.
    pub story_points: Option<f64>,
    /// Link to the issue.
    pub url: Option<String>,
}

/// A Jira item linked to a capability (an epic or an issue).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkEntry {
    /// Issue key.
    pub key: String,
    /// Summary.
    pub summary: String,
    /// Issue type name.
    #[serde(rename = "type")]
    pub issue_type: String,
    /// Status name.
    pub status: String,
    /// Status category.
    pub category: &'static str,
    /// Resolution, if resolved.
    pub resolution: Option<String>,
    /// Due date (ISO).
    pub due: Option<String>,
    /// Created date (ISO), the start of the schedule for risk.
    #[serde(skip)]
    pub created: Option<String>,
    /// Fix version names.
    pub fix_versions: Vec<String>,
    /// Children done/total.
    pub progress: Progress,
    /// Keys of open blockers.
    pub blocked_by: Vec<String>,
    /// Link to the issue.
    pub url: Option<String>,
    /// How it was linked: `explicit`, `label` or `epic`.
    pub linked_by: &'static str,
    /// The child issues.
    pub scope: Vec<ScopeItem>,
}

/// One customer request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    /// Issue key.
    pub key: String,
    /// Summary.
    pub summary: String,
    /// Requesting account.
    pub account: Option<String>,
    /// Money at stake.
    pub amount: Option<f64>,
    /// Lost-deal note.
    pub lost_reason: Option<String>,
    /// Link to the issue.
    pub url: Option<String>,
}

/// Customer demand for a capability (SPEC §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Demand {
    /// Distinct requesting accounts.
    pub accounts: usize,
    /// Total money at stake.
    pub amount: f64,
    /// Requested by `unicorn_max_accounts` accounts or fewer.
    pub unicorn: bool,
    /// The requests, by account then key.
    pub requests: Vec<Request>,
}

/// A capability with everything derived about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capability {
    /// Slug id, the permalink.
    pub id: String,
    /// Title.
    pub title: String,
    /// One-line summary.
    pub summary: String,
    /// Category name.
    pub category: String,
    /// Search synonyms.
    pub aliases: Vec<String>,
    /// Plans or editions including it.
    pub plans: Vec<String>,
    /// Former ids.
    pub redirect_from: Vec<String>,
    /// Shown in the public build.
    pub public: bool,
    /// Typed claim.
    pub claim: Option<Claim>,
    /// Content file, relative to the catalog root.
    pub source: String,
    /// Derived status.
    pub status: Status,
    /// The plain answer for the internal audience.
    pub answer: String,
    /// The plain answer for the public audience (never the date of an at-risk item).
    pub answer_public: String,
    /// Why it has this status: the headline.
    pub why: String,
    /// Why: supporting details.
    pub why_details: Vec<String>,
    /// What may be promised; None when available or beta.
    pub promise: Option<Promise>,
    /// Risk notes (empty when not at risk).
    pub risks: Vec<String>,
    /// Target: quarter or fix version.
    pub target: Option<String>,
    /// Code evidence.
    pub evidence: Vec<EvidenceRecord>,
    /// Linked Jira work (not requests).
    pub work: Vec<WorkEntry>,
    /// Customer demand, when any request is linked.
    pub demand: Option<Demand>,
    /// Description as sanitized HTML.
    pub body_html: String,
    /// Description as plain text (search).
    pub body_text: String,
    /// Related capability ids.
    pub related: Vec<String>,
}

impl Capability {
    /// `/capabilities/<id>/`
    pub fn url(&self) -> String {
        format!("/capabilities/{}/", self.id)
    }

    /// True when planned or in progress and a risk was found.
    pub fn at_risk(&self) -> bool {
        !self.risks.is_empty()
    }
}

/// A plain content page (`content/**/*.md` outside capabilities).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// URL path, `/about/`.
    pub path: String,
    /// Title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Shown in the public build.
    pub public: bool,
    /// Sanitized HTML.
    pub body_html: String,
}

/// Facts about this build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildInfo {
    /// The commit the code was read at, when known.
    pub commit: Option<String>,
    /// Build date (ISO).
    pub date: String,
}

/// The whole catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalog {
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Absolute base URL (no trailing slash), or empty.
    pub base_url: String,
    /// Build facts.
    pub built: BuildInfo,
    /// The date risk is judged against (ISO).
    pub today: String,
    /// Set when Jira data came from an offline snapshot: its date.
    pub roadmap_as_of: Option<String>,
    /// Capabilities sorted by id.
    pub capabilities: Vec<Capability>,
    /// Home page text (`content/_index.md`).
    pub home: Option<Page>,
    /// Other pages, sorted by path.
    pub pages: Vec<Page>,
}
