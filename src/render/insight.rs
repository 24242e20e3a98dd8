//! Template data of the internal views across capabilities: the leadership
//! part of the roadmap, the accounts index and pages, the lost-deal autopsy.
//! Built from the view's lists only ([`SiteView::leadership`],
//! [`SiteView::accounts`], [`SiteView::autopsy`]), which the public view
//! does not hold.

use crate::model::insight::{AccountDoc, Ask, LostDeal, RootCause, SlipItem};
use crate::model::{Dependency, Risk, Target, account_key};
use crate::view::SiteView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One choice of the roadmap's target filter; `index` 0 is "no date".
#[derive(Debug, Clone, Serialize)]
pub struct TargetFilter {
    /// Position, used as the `data-t` of every filtered row.
    pub index: usize,
    /// `2026-Q4`, `2027.2` or "No date".
    pub label: String,
}

/// The targets a roadmap can be filtered by, soonest first.
pub struct Targets<'a> {
    list: Vec<&'a Target>,
}

impl<'a> Targets<'a> {
    /// Every target of the board and of the leadership lists.
    pub fn of(view: &'a SiteView<'_>) -> Targets<'a> {
        let mut set: BTreeSet<&'a Target> = view.roadmap.iter().filter_map(|g| g.target).collect();
        if let Some(l) = &view.leadership {
            set.extend(l.might_slip.iter().filter_map(|s| s.target.as_ref()));
            set.extend(l.most_blocked.iter().filter_map(|s| s.target.as_ref()));
        }
        Targets {
            list: set.into_iter().collect(),
        }
    }

    /// The filter index of `target` (0 for none).
    pub fn index(&self, target: Option<&Target>) -> usize {
        target
            .and_then(|t| self.list.iter().position(|x| *x == t))
            .map_or(0, |i| i + 1)
    }

    fn filters(&self) -> Vec<TargetFilter> {
        let mut out: Vec<TargetFilter> = self
            .list
            .iter()
            .enumerate()
            .map(|(i, t)| TargetFilter {
                index: i + 1,
                label: t.to_string(),
            })
            .collect();
        out.push(TargetFilter {
            index: 0,
            label: "No date".into(),
        });
        out
    }
}

/// A reason a date might slip, in words, with the blocker it names.
#[derive(Debug, Clone, Serialize)]
pub struct Reason<'a> {
    /// `due-passed`, `blocked`, `behind` or `other`.
    pub kind: &'static str,
    /// The reason as a heading: "Due date passed", "Open blocker"…
    pub label: &'static str,
    /// The issue at risk.
    pub key: Option<&'a str>,
    /// The whole reason in words.
    pub words: String,
    /// The open blocker, for `blocked`.
    pub blocker: Option<&'a Dependency>,
}

fn reason<'a>(risk: &'a Risk, blockers: &'a [Dependency]) -> Reason<'a> {
    let (kind, label, blocker) = match risk {
        Risk::DuePassed { .. } => ("due-passed", "Due date passed", None),
        Risk::Blocked { blocker, .. } => (
            "blocked",
            "Open blocker",
            blockers.iter().find(|b| &b.key == blocker),
        ),
        Risk::BehindSchedule { .. } => ("behind", "Progress behind time", None),
        Risk::Other(_) => ("other", "Risk", None),
    };
    let words = match (risk, blocker) {
        (Risk::Blocked { key, .. }, Some(b)) => blocked_words(key, b),
        _ => risk.to_string(),
    };
    Reason {
        kind,
        label,
        key: risk.key(),
        words,
        blocker,
    }
}

/// "HBR-160 is blocked by HBR-98 “Upgrade …” (To Do), itself waiting for HBR-97"
fn blocked_words(key: &str, b: &Dependency) -> String {
    let mut s = format!("{key} is blocked by {}", b.key);
    if let Some(summary) = &b.summary {
        s.push_str(&format!(" “{summary}”"));
    }
    s.push_str(&format!(
        " ({})",
        b.status.as_deref().unwrap_or("status unknown")
    ));
    if !b.waits_for.is_empty() {
        s.push_str(&format!(", itself waiting for {}", b.waits_for.join(", ")));
    }
    s
}

/// A "might slip" row.
#[derive(Debug, Clone, Serialize)]
pub struct SlipRow<'a> {
    /// The item.
    pub item: &'a SlipItem,
    /// Its filter index.
    pub t: usize,
    /// Its reasons in words.
    pub reasons: Vec<Reason<'a>>,
    /// Its accounts, with their pages.
    pub accounts: Vec<AccountLink>,
}

/// A "most blocked" or "no date" row: the item and its filter index.
#[derive(Debug, Clone, Serialize)]
pub struct Row<T: Serialize> {
    /// The item.
    pub item: T,
    /// Its filter index.
    pub t: usize,
}

/// An account name with its page, when the audience has account pages.
#[derive(Debug, Clone, Serialize)]
pub struct AccountLink {
    /// Name.
    pub name: String,
    /// Path from the site root (`accounts/acme/`), when there is a page.
    pub path: Option<String>,
}

/// Account pages by account key.
pub struct AccountPaths {
    by_key: BTreeMap<String, String>,
}

impl AccountPaths {
    /// The pages of the view's accounts (none when it has no account pages).
    pub fn of(view: &SiteView<'_>) -> AccountPaths {
        let by_key = view
            .accounts
            .iter()
            .flatten()
            .map(|a| {
                (
                    account_key(&a.name),
                    a.url.trim_start_matches('/').to_string(),
                )
            })
            .collect();
        AccountPaths { by_key }
    }

    /// `name` with its page.
    pub fn link(&self, name: &str) -> AccountLink {
        AccountLink {
            name: name.to_string(),
            path: self.by_key.get(&account_key(name)).cloned(),
        }
    }
}

/// The leadership part of the roadmap page.
#[derive(Debug, Clone, Serialize)]
pub struct Leadership<'a> {
    /// Filter choices.
    pub filters: Vec<TargetFilter>,
    /// Might slip.
    pub might_slip: Vec<SlipRow<'a>>,
    /// Most blocked.
    pub most_blocked: Vec<Row<&'a crate::model::insight::BlockedItem>>,
    /// No date: do not promise one.
    pub no_date: Vec<&'a crate::model::insight::UndatedItem>,
}

/// The leadership context, when the audience may see it.
pub fn leadership<'a>(view: &'a SiteView<'_>, targets: &Targets<'_>) -> Option<Leadership<'a>> {
    let l = view.leadership.as_ref()?;
    let accounts = AccountPaths::of(view);
    Some(Leadership {
        filters: targets.filters(),
        might_slip: l
            .might_slip
            .iter()
            .map(|s| SlipRow {
                item: s,
                t: targets.index(s.target.as_ref()),
                reasons: s.risks.iter().map(|r| reason(r, &s.blockers)).collect(),
                accounts: s.accounts.iter().map(|a| accounts.link(a)).collect(),
            })
            .collect(),
        most_blocked: l
            .most_blocked
            .iter()
            .map(|b| Row {
                item: b,
                t: targets.index(b.target.as_ref()),
            })
            .collect(),
        no_date: l.no_date.iter().collect(),
    })
}

/// A line of the accounts index.
#[derive(Debug, Clone, Serialize)]
pub struct AccountSummary<'a> {
    /// The account.
    pub account: &'a AccountDoc,
    /// Path from the site root.
    pub path: &'a str,
    /// Asks for shipped capabilities.
    pub shipped: usize,
    /// Asks for at-risk capabilities.
    pub at_risk: usize,
    /// Lost deals.
    pub lost: usize,
}

/// The accounts index rows.
pub fn account_summaries<'a>(accounts: &'a [AccountDoc]) -> Vec<AccountSummary<'a>> {
    accounts
        .iter()
        .map(|a| AccountSummary {
            account: a,
            path: a.url.trim_start_matches('/'),
            shipped: a.asks.iter().filter(|k| k.shipped).count(),
            at_risk: a.asks.iter().filter(|k| !k.risks.is_empty()).count(),
            lost: a.asks.iter().filter(|k| k.lost).count(),
        })
        .collect()
}

/// Asks of one kind on an account page.
#[derive(Debug, Clone, Serialize)]
pub struct AskSection<'a> {
    /// `shipped`, `at-risk` or `open`.
    pub kind: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What to do with them.
    pub hint: &'static str,
    /// The asks, in page order.
    pub asks: Vec<&'a Ask>,
}

/// An account page's asks: shipped ("tell them"), at risk, the rest.
pub fn ask_sections(account: &AccountDoc) -> Vec<AskSection<'_>> {
    let sections = [
        ("shipped", "Shipped: tell them", "Available or beta now."),
        ("at-risk", "Late or at risk", "Do not promise a date."),
        ("open", "Not shipped yet", "On the backlog or planned."),
    ];
    sections
        .into_iter()
        .map(|(kind, title, hint)| AskSection {
            kind,
            title,
            hint,
            asks: account
                .asks
                .iter()
                .filter(|a| ask_kind(a) == kind)
                .collect(),
        })
        .filter(|s| !s.asks.is_empty())
        .collect()
}

fn ask_kind(a: &Ask) -> &'static str {
    if a.shipped {
        "shipped"
    } else if !a.risks.is_empty() {
        "at-risk"
    } else {
        "open"
    }
}

/// A lost deal with its account's page.
#[derive(Debug, Clone, Serialize)]
pub struct DealRow<'a> {
    /// The deal.
    pub deal: &'a LostDeal,
    /// Its account.
    pub account: Option<AccountLink>,
}

/// A root cause with its deals.
#[derive(Debug, Clone, Serialize)]
pub struct CauseRow<'a> {
    /// The root cause.
    pub cause: &'a RootCause,
    /// Its deals.
    pub deals: Vec<DealRow<'a>>,
}

/// A ghost feature: a deal whose stated gap is not a product gap.
#[derive(Debug, Clone, Serialize)]
pub struct GhostRow<'a> {
    /// The deal.
    pub deal: &'a LostDeal,
    /// The capability it is linked to (the root cause).
    pub cause: &'a RootCause,
    /// Its account.
    pub account: Option<AccountLink>,
}

/// The autopsy page.
#[derive(Debug, Clone, Serialize)]
pub struct Autopsy<'a> {
    /// Root causes asked for by more accounts.
    pub root_causes: Vec<CauseRow<'a>>,
    /// Unicorns.
    pub unicorns: Vec<CauseRow<'a>>,
    /// Deals whose stated gap names a shipped capability.
    pub ghosts: Vec<GhostRow<'a>>,
    /// Deals in all.
    pub deals: usize,
    /// Money lost in all (each request once).
    pub amount: f64,
}

/// The autopsy context, when the audience may see it.
pub fn autopsy<'a>(view: &'a SiteView<'_>) -> Option<Autopsy<'a>> {
    let a = view.autopsy.as_ref()?;
    let accounts = AccountPaths::of(view);
    let rows = |causes: &'a [RootCause]| -> Vec<CauseRow<'a>> {
        causes
            .iter()
            .map(|c| CauseRow {
                cause: c,
                deals: c
                    .deals
                    .iter()
                    .map(|d| DealRow {
                        deal: d,
                        account: d.request.account.as_deref().map(|n| accounts.link(n)),
                    })
                    .collect(),
            })
            .collect()
    };
    let all = a.root_causes.iter().chain(&a.unicorns);
    let mut seen = BTreeSet::new();
    let mut amount = 0.0;
    let mut ghosts = Vec::new();
    for cause in all {
        for deal in &cause.deals {
            if seen.insert(deal.request.key.as_str()) {
                amount += deal.request.amount.unwrap_or(0.0);
            }
            if !deal.ghost.is_empty() {
                ghosts.push(GhostRow {
                    deal,
                    cause,
                    account: deal.request.account.as_deref().map(|n| accounts.link(n)),
                });
            }
        }
    }
    Some(Autopsy {
        root_causes: rows(&a.root_causes),
        unicorns: rows(&a.unicorns),
        ghosts,
        deals: seen.len(),
        amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkCategory;
    use crate::model::date::parse_iso_date;

    #[test]
    fn every_risk_reads_as_words() {
        let due = parse_iso_date("2026-10-31").unwrap();
        let blocker = Dependency {
            key: "HBR-98".into(),
            summary: Some("Upgrade the email provider".into()),
            status: Some("To Do".into()),
            category: WorkCategory::Todo,
            url: None,
            holds_up: vec!["HBR-160".into()],
            waits_for: vec!["HBR-97".into()],
        };
        let risks = [
            Risk::DuePassed {
                key: "HBR-160".into(),
                due,
            },
            Risk::Blocked {
                key: "HBR-160".into(),
                blocker: "HBR-98".into(),
            },
            Risk::Blocked {
                key: "HBR-160".into(),
                blocker: "HBR-99".into(),
            },
            Risk::BehindSchedule {
                key: "HBR-1".into(),
                done: 1,
                total: 6,
                days_left: 20,
                due,
            },
        ];
        let blockers = [blocker];
        let words: Vec<(&str, String)> = risks
            .iter()
            .map(|r| reason(r, &blockers))
            .map(|r| (r.label, r.words))
            .collect();
        assert_eq!(
            words,
            [
                ("Due date passed", "HBR-160: due date 2026-10-31 has passed".to_string()),
                (
                    "Open blocker",
                    "HBR-160 is blocked by HBR-98 “Upgrade the email provider” (To Do), itself waiting for HBR-97".to_string()
                ),
                (
                    "Open blocker",
                    "HBR-160 is blocked by HBR-99, which is not done".to_string()
                ),
                (
                    "Progress behind time",
                    "HBR-1: 1 of 6 children done with 20 days left before 2026-10-31".to_string()
                ),
            ]
        );
    }
}
