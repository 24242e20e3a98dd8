//! The closed vocabularies of a capability: its derived status, what sales
//! may promise, the claim an author may type, and the audience a build is for
//! (docs/statuses.md, docs/output.md).

use serde::{Deserialize, Serialize};

/// A capability's derived status (docs/statuses.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// Not built and not on the roadmap: claimed `unavailable`, or nothing
    /// could be looked for (no matchers, no linked work, no claim).
    Unavailable,
    /// Claimed `deprecated`.
    Deprecated,
    /// Expected in the code (claimed available or beta, or given matchers)
    /// but not found there.
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
            Status::Unverified => "Claimed or looked for, but not found in the code: ask product.",
        }
    }

    /// True for the statuses customers can use today.
    pub fn is_shipped(self) -> bool {
        matches!(self, Status::Available | Status::Beta)
    }

    /// True for work on the roadmap: in progress or planned.
    pub fn is_scheduled(self) -> bool {
        matches!(self, Status::InProgress | Status::Planned)
    }
}

/// What sales may promise about a capability that is not shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// "This is not built." Its matchers become tripwires: silent while they
    /// find nothing, a drift warning the day they find code.
    Unavailable,
}

impl Claim {
    /// True for claims saying the capability is not there: its matchers are
    /// tripwires, not expectations.
    pub fn says_absent(self) -> bool {
        matches!(self, Claim::NotPlanned | Claim::Unavailable)
    }

    /// The claim in words (`not planned`).
    pub fn words(self) -> &'static str {
        match self {
            Claim::Available => "available",
            Claim::Beta => "beta",
            Claim::Deprecated => "deprecated",
            Claim::NotPlanned => "not planned",
            Claim::Unavailable => "unavailable",
        }
    }
}

/// Which readers a build is for (docs/output.md, "Audiences").
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Everything, for the company's own people.
    #[default]
    Internal,
    /// Only `public: true` capabilities, no internal fields.
    Public,
}

impl Audience {
    /// The lowercase name used in catalog.json and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Public => "public",
        }
    }
}
