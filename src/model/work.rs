//! Linked Jira work as the catalog shows it: status categories, how an item
//! was linked, progress and scope.

use super::date::opt_iso_date;
use serde::{Deserialize, Serialize};
use time::Date;

/// Jira's status category: the only reliable "done or not" signal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum WorkCategory {
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

impl WorkCategory {
    /// `todo`, `in-progress`, `done` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkCategory::Todo => "todo",
            WorkCategory::InProgress => "in-progress",
            WorkCategory::Done => "done",
            WorkCategory::Unknown => "unknown",
        }
    }

    /// Reads `todo`, `in-progress` or `done` (the values catalog.toml takes).
    pub fn from_slug(s: &str) -> Option<WorkCategory> {
        match s {
            "todo" => Some(WorkCategory::Todo),
            "in-progress" => Some(WorkCategory::InProgress),
            "done" => Some(WorkCategory::Done),
            _ => None,
        }
    }
}

/// How a Jira item reached a capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkedBy {
    /// Named in the capability's `jira:` list.
    Explicit,
    /// Carries the `label_prefix<id>` label.
    Label,
    /// Child (parent or epic link) of a linked item.
    Epic,
}

/// Resolutions meaning "we decided not to do it".
const DECLINED: [&str; 6] = [
    "won't do",
    "won't fix",
    "declined",
    "rejected",
    "cancelled",
    "canceled",
];

/// Done/total of an item's direct children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Progress {
    /// Children in status category done.
    pub done: usize,
    /// All children.
    pub total: usize,
}

/// A child issue of a linked item, shown as its scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeItem {
    /// Issue key.
    pub key: String,
    /// Summary.
    pub summary: String,
    /// Issue type.
    pub issue_type: String,
    /// Status name.
    pub status: String,
    /// Status category.
    pub category: WorkCategory,
    /// Story points.
    pub story_points: Option<f64>,
    /// Link to the issue.
    pub url: Option<String>,
}

/// A Jira item linked to a capability (an epic or an issue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub category: WorkCategory,
    /// Resolution, if resolved.
    pub resolution: Option<String>,
    /// Due date, or the release date of its earliest unreleased fix version.
    #[serde(with = "opt_iso_date")]
    pub due: Option<Date>,
    /// Created date, the start of the schedule for risk.
    #[serde(skip)]
    pub created: Option<Date>,
    /// Fix version names.
    pub fix_versions: Vec<String>,
    /// Children done/total.
    pub progress: Progress,
    /// Keys of open blockers.
    pub blocked_by: Vec<String>,
    /// Link to the issue.
    pub url: Option<String>,
    /// How it was linked.
    pub linked_by: LinkedBy,
    /// The child issues.
    pub scope: Vec<ScopeItem>,
}

impl WorkEntry {
    /// True when resolved as declined (Won't Do, Rejected…).
    pub fn is_declined(&self) -> bool {
        self.resolution
            .as_deref()
            .is_some_and(|r| DECLINED.contains(&r.trim().to_lowercase().as_str()))
    }

    /// True when done and not declined: the work was delivered.
    pub fn is_delivered(&self) -> bool {
        self.category == WorkCategory::Done && !self.is_declined()
    }

    /// True while not done.
    pub fn is_open(&self) -> bool {
        self.category != WorkCategory::Done
    }
}

/// An open issue a capability's work waits for: it blocks the work (*is
/// blocked by*) or the work depends on it (*depends on*). Issues that are
/// themselves part of the capability's work do not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// Issue key.
    pub key: String,
    /// Summary, when the issue is in the Jira data.
    pub summary: Option<String>,
    /// Status name, when the issue is in the Jira data.
    pub status: Option<String>,
    /// Status category (never done).
    pub category: WorkCategory,
    /// Link to the issue.
    pub url: Option<String>,
    /// The capability's issues it holds up: linked items and their children.
    pub holds_up: Vec<String>,
    /// Its own open blockers and dependencies: the next link of a chain.
    pub waits_for: Vec<String>,
}
