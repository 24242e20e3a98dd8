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
    /// Lost-deal note: the reason as the rep stated it.
    pub lost_reason: Option<String>,
    /// The sales engineer's diagnosis of the same request (internal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truth: Option<String>,
    /// Link to the issue.
    pub url: Option<String>,
}

impl Request {
    /// True when the deal was lost: the request carries a lost-deal note.
    pub fn is_lost(&self) -> bool {
        self.lost_reason.is_some()
    }
}

/// The key that matches spellings of one account: case and whitespace do not
/// count (`Acme  Retail` = `acme retail`).
pub fn account_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The spelling each account is shown with: for every [`account_key`], its
/// most used spelling with whitespace collapsed (the first in sort order on
/// a tie), so one account reads the same on every page.
pub fn account_spellings<'a>(
    names: impl Iterator<Item = &'a str>,
) -> std::collections::BTreeMap<String, String> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for name in names {
        let spelling = name.split_whitespace().collect::<Vec<_>>().join(" ");
        *counts
            .entry(account_key(name))
            .or_default()
            .entry(spelling)
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(key, spellings)| {
            let best = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(s, _)| s.clone())
                .unwrap_or_default();
            (key, best)
        })
        .collect()
}

/// Whole currency units with thousands separators: `420000` → `420,000`.
pub fn money(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0.0 { format!("-{out}") } else { out }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats() {
        assert_eq!(money(420000.0), "420,000");
        assert_eq!(money(999.4), "999");
        assert_eq!(money(-1234.0), "-1,234");
    }

    #[test]
    fn the_most_used_spelling_wins() {
        let names = account_spellings(
            ["ACME  retail", "Acme Retail", "Acme Retail", "Initech"].into_iter(),
        );
        assert_eq!(names[&account_key("acme retail")], "Acme Retail");
        assert_eq!(names.len(), 2);
    }

    #[test]
    fn account_spellings_match() {
        assert_eq!(account_key("  Acme\tRetail "), account_key("ACME retail"));
        assert_ne!(account_key("Acme"), account_key("Acme Retail"));
    }
}
