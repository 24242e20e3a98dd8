//! Customer demand: the requests linked to a capability, by account.

use serde::{Deserialize, Serialize};

/// One customer request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// Customer demand for a capability (docs/statuses.md, "Demand").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
