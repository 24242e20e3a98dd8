//! The internal views across capabilities, as catalog.json holds them
//! (docs/output.md): the leadership roadmap (what might slip, what is most
//! blocked, what has no date), every account's asks, and the lost-deal
//! autopsy. Each entry carries what its page shows, so a reader of
//! catalog.json needs no second lookup.

use super::{Dependency, Promise, Request, Risk, Status, Target};
use serde::{Deserialize, Serialize};

/// `roadmap`: the leadership lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapDoc {
    /// Every at-risk capability, soonest target first, then by amount at stake.
    pub might_slip: Vec<SlipItem>,
    /// Backlog and in-progress capabilities with open dependencies, most first.
    pub most_blocked: Vec<BlockedItem>,
    /// Backlog and in-progress capabilities without a target: no date, do not promise one.
    pub no_date: Vec<UndatedItem>,
}

/// A capability whose date might slip, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlipItem {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Target.
    pub target: Option<Target>,
    /// Why it might slip.
    pub risks: Vec<Risk>,
    /// The open blockers the risks name, with summary and status.
    pub blockers: Vec<Dependency>,
    /// The accounts waiting for it, by name.
    pub accounts: Vec<String>,
    /// Money at stake: the amounts of its requests.
    pub amount: f64,
}

/// A capability ranked by its open dependencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockedItem {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Target.
    pub target: Option<Target>,
    /// Its distinct open dependencies (each counted once).
    pub dependencies: Vec<Dependency>,
}

/// A backlog or in-progress capability without a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UndatedItem {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// The answer line.
    pub answer: String,
}

/// `accounts[]`: one requesting account and everything it asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountDoc {
    /// The account's name, in its most used spelling.
    pub name: String,
    /// URL part.
    pub slug: String,
    /// `/accounts/<slug>/`
    pub url: String,
    /// Money at stake: the amounts of its requests, each request once.
    pub amount: f64,
    /// Its asks: shipped first ("tell them"), then at risk, then the rest.
    pub asks: Vec<Ask>,
}

/// One request of an account, with the capability it asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    /// Capability id.
    pub capability: String,
    /// Capability title.
    pub title: String,
    /// Capability status.
    pub status: Status,
    /// The answer line.
    pub answer: String,
    /// What may be promised.
    pub promise: Option<Promise>,
    /// Target.
    pub target: Option<Target>,
    /// Why its date should not be promised (empty when not at risk).
    pub risks: Vec<Risk>,
    /// Available or beta: tell the account.
    pub shipped: bool,
    /// The deal was lost.
    pub lost: bool,
    /// The request itself.
    pub request: Request,
}

/// `autopsy`: lost requests grouped by the capability they are linked to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutopsyDoc {
    /// Root causes asked for by more accounts, by accounts then amount lost.
    pub root_causes: Vec<RootCause>,
    /// Root causes of `unicorn_max_accounts` accounts or fewer, ranked the same way.
    pub unicorns: Vec<RootCause>,
}

/// One capability and the deals lost for want of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RootCause {
    /// Capability id.
    pub capability: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Distinct accounts among the lost deals.
    pub accounts: usize,
    /// Money lost: the amounts of the lost deals.
    pub amount: f64,
    /// The lost deals, largest first.
    pub deals: Vec<LostDeal>,
}

/// A lost deal: the request, its stated reason and technical truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LostDeal {
    /// The request (`lost_reason` is the stated reason, `truth` the SE's).
    pub request: Request,
    /// Set when the stated reason names only capabilities that are
    /// available or beta and none the request is linked to: the stated gap
    /// is not a product gap (a ghost feature).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ghost: Vec<NamedCapability>,
}

/// A capability a stated reason names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCapability {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
}
