//! The typed model: the vocabulary every stage shares and the catalog.json
//! schema. It imports nothing else from capcat, so every stage can use it.
//!
//! - [`status`]: status, promise, claim, audience.
//! - [`work`]: linked Jira work, its status category, progress and scope.
//! - [`demand`]: customer requests by account.
//! - [`insight`]: the internal views across capabilities (leadership
//!   roadmap, accounts, lost-deal autopsy).
//! - [`evidence`]: matchers, scanner findings, evidence items.
//! - [`date`], [`target`], [`risk`]: dates, quarters, targets and risks as
//!   data, rendered to words at the edge.
//! - [`slug`]: ids and URL parts.
//! - [`history`]: the changes a build noticed against its baseline.
//! - [`doc`]: [`CatalogDoc`], catalog.json itself.

pub mod date;
pub mod demand;
pub mod doc;
pub mod evidence;
pub mod history;
pub mod insight;
pub mod risk;
pub mod slug;
pub mod status;
pub mod target;
pub mod work;

pub use date::Quarter;
pub use demand::{Demand, Request, account_key, account_spellings, money};
pub use doc::{BuiltDoc, CapabilityDoc, CatalogDoc, Coverage, DocError, SiteDoc};
pub use evidence::{Evidence, EvidenceItem, EvidenceKind, Matchers};
pub use history::{Change, ChangeKind};
pub use risk::Risk;
pub use slug::{is_slug, slugify};
pub use status::{Audience, Claim, Promise, Status};
pub use target::Target;
pub use work::{Dependency, LinkedBy, Progress, ScopeItem, WorkCategory, WorkEntry};
