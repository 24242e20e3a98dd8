//! The catalog's memory: one entry per change noticed between a build and
//! its baseline (docs/history.md). In catalog.json an entry is
//! `{"date", "id", "kind", "from", "to", "detail"}`; entries are carried
//! forward from build to build, so only the last catalog.json needs keeping.

use super::date::iso_date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::Date;

/// What changed. In catalog.json the kebab-case name (`target-slipped`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Became available (from any other status).
    Shipped,
    /// A new capability.
    Added,
    /// A capability whose page is gone (only `capcat diff` reports it: a
    /// build refuses to lose a permalink).
    Removed,
    /// A new id, the old one kept in `redirect_from`.
    Renamed,
    /// Any other status change (to beta, deprecated, not planned …).
    StatusChanged,
    /// The target moved later.
    TargetSlipped,
    /// The target moved earlier.
    TargetPulledIn,
    /// What sales may promise changed.
    PromiseChanged,
    /// Linked work got an open blocker (internal).
    BlockerAdded,
    /// A blocker of linked work is done or unlinked (internal).
    BlockerCleared,
    /// Children of linked work moved to done (internal).
    Progress,
    /// New requesting accounts or a new amount at stake (internal).
    Demand,
    /// A kind written by a newer capcat, kept as read.
    Other(String),
}

impl ChangeKind {
    /// Every kind this capcat writes, in display order.
    pub const ALL: [ChangeKind; 12] = [
        ChangeKind::Shipped,
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Renamed,
        ChangeKind::StatusChanged,
        ChangeKind::TargetSlipped,
        ChangeKind::TargetPulledIn,
        ChangeKind::PromiseChanged,
        ChangeKind::BlockerAdded,
        ChangeKind::BlockerCleared,
        ChangeKind::Progress,
        ChangeKind::Demand,
    ];

    /// The kebab-case name used in catalog.json, CSS classes and feeds.
    pub fn as_str(&self) -> &str {
        match self {
            ChangeKind::Shipped => "shipped",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::StatusChanged => "status-changed",
            ChangeKind::TargetSlipped => "target-slipped",
            ChangeKind::TargetPulledIn => "target-pulled-in",
            ChangeKind::PromiseChanged => "promise-changed",
            ChangeKind::BlockerAdded => "blocker-added",
            ChangeKind::BlockerCleared => "blocker-cleared",
            ChangeKind::Progress => "progress",
            ChangeKind::Demand => "demand",
            ChangeKind::Other(name) => name,
        }
    }

    /// The kind in words (`Target slipped`).
    pub fn label(&self) -> &str {
        match self {
            ChangeKind::Shipped => "Shipped",
            ChangeKind::Added => "Added",
            ChangeKind::Removed => "Removed",
            ChangeKind::Renamed => "Renamed",
            ChangeKind::StatusChanged => "Status changed",
            ChangeKind::TargetSlipped => "Target slipped",
            ChangeKind::TargetPulledIn => "Target pulled in",
            ChangeKind::PromiseChanged => "Promise changed",
            ChangeKind::BlockerAdded => "New blocker",
            ChangeKind::BlockerCleared => "Blocker cleared",
            ChangeKind::Progress => "Progress",
            ChangeKind::Demand => "Demand",
            ChangeKind::Other(name) => name,
        }
    }

    /// Reads a kebab-case name; an unknown one is kept as [`ChangeKind::Other`].
    pub fn parse(name: &str) -> ChangeKind {
        ChangeKind::ALL
            .iter()
            .find(|k| k.as_str() == name)
            .cloned()
            .unwrap_or_else(|| ChangeKind::Other(name.to_string()))
    }

    /// True for the kinds only the internal audience sees: they come from
    /// linked work and demand, which the public catalog does not hold.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            ChangeKind::BlockerAdded
                | ChangeKind::BlockerCleared
                | ChangeKind::Progress
                | ChangeKind::Demand
                | ChangeKind::Other(_)
        )
    }

    /// True for target moves, whose `from` and `to` are dates.
    pub fn is_target(&self) -> bool {
        matches!(self, ChangeKind::TargetSlipped | ChangeKind::TargetPulledIn)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ChangeKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ChangeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ChangeKind::parse(&String::deserialize(d)?))
    }
}

/// One change, as noticed by the build dated `date`.
///
/// `from` and `to` are the values before and after: status and promise
/// names (`in-progress`), target labels (`2027-Q1`), ids for a rename, the
/// blocker's key, `done/total` for progress, `N accounts, amount` for
/// demand. `detail` says more where a kind needs it (the blocked issue, the
/// new accounts, the title of an added or removed capability).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Change {
    /// The build that noticed it (the build date, so builds stay reproducible).
    #[serde(with = "iso_date")]
    pub date: Date,
    /// The capability id at that build.
    pub id: String,
    /// What changed.
    pub kind: ChangeKind,
    /// Before.
    pub from: Option<String>,
    /// After.
    pub to: Option<String>,
    /// More words, where the kind needs them.
    pub detail: Option<String>,
}

impl Change {
    /// A change of `kind` to capability `id` noticed on `date`.
    pub fn new(date: Date, id: &str, kind: ChangeKind) -> Change {
        Change {
            date,
            id: id.to_string(),
            kind,
            from: None,
            to: None,
            detail: None,
        }
    }

    /// Sets before and after.
    pub fn between(mut self, from: Option<String>, to: Option<String>) -> Change {
        self.from = from;
        self.to = to;
        self
    }

    /// Sets the detail.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Change {
        self.detail = Some(detail.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_keep_unknown_names() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), kind);
        }
        let json = r#"{"date":"2026-11-21","id":"a","kind":"teleported","from":null,"to":"x","detail":null}"#;
        let c: Change = serde_json::from_str(json).unwrap();
        assert_eq!(c.kind, ChangeKind::Other("teleported".into()));
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        assert!(
            c.kind.is_internal(),
            "an unknown kind is never shown publicly"
        );
    }
}
