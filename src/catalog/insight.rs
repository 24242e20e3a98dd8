//! The internal views across capabilities (docs/output.md): what might slip
//! and why, what is most blocked, what has no date, every account's asks,
//! and the lost-deal autopsy. Like [`super::plan`], they work on any
//! selection of capabilities with what its reader may see, so the audience
//! projection ([`crate::view`]) decides what goes in.

use crate::model::insight::{
    AccountDoc, Ask, AutopsyDoc, BlockedItem, LostDeal, NamedCapability, RoadmapDoc, RootCause,
    SlipItem, UndatedItem,
};
use crate::model::{
    Demand, Dependency, Promise, Request, Risk, ScopeItem, Status, Target, WorkEntry, account_key,
    account_spellings, slugify,
};
use std::collections::{BTreeMap, BTreeSet};

/// What the views need to know of one capability.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// Capability id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Search synonyms: a stated reason may name the capability by one.
    pub aliases: &'a [String],
    /// Status.
    pub status: Status,
    /// The answer line the reader sees.
    pub answer: &'a str,
    /// What may be promised.
    pub promise: Option<Promise>,
    /// The target the reader may see.
    pub target: Option<&'a Target>,
    /// Risks.
    pub risks: &'a [Risk],
    /// Linked work.
    pub work: &'a [WorkEntry],
    /// Open dependencies.
    pub dependencies: &'a [Dependency],
    /// Demand.
    pub demand: Option<&'a Demand>,
}

impl Subject<'_> {
    fn is_backlog_or_in_progress(&self) -> bool {
        matches!(
            self.status,
            Status::InProgress | Status::Planned | Status::Considering
        )
    }

    fn amount(&self) -> f64 {
        self.demand.map_or(0.0, |d| d.amount)
    }

    fn requests(&self) -> &[Request] {
        self.demand.map_or(&[], |d| d.requests.as_slice())
    }
}

/// Soonest target first, no target last.
fn target_order(t: Option<&Target>) -> (bool, Option<&Target>) {
    (t.is_none(), t)
}

/// The leadership lists of the roadmap.
pub fn roadmap(subjects: &[Subject<'_>]) -> RoadmapDoc {
    let names = AccountNames::of(subjects);
    let mut slipping: Vec<&Subject<'_>> = subjects.iter().filter(|s| !s.risks.is_empty()).collect();
    slipping.sort_by(|a, b| {
        target_order(a.target)
            .cmp(&target_order(b.target))
            .then(b.amount().total_cmp(&a.amount()))
            .then_with(|| title_order(a, b))
    });
    let mut blocked: Vec<&Subject<'_>> = subjects
        .iter()
        .filter(|s| s.is_backlog_or_in_progress() && !s.dependencies.is_empty())
        .collect();
    blocked.sort_by(|a, b| {
        b.dependencies
            .len()
            .cmp(&a.dependencies.len())
            .then(target_order(a.target).cmp(&target_order(b.target)))
            .then_with(|| title_order(a, b))
    });
    let mut undated: Vec<&Subject<'_>> = subjects
        .iter()
        .filter(|s| s.is_backlog_or_in_progress() && s.target.is_none())
        .collect();
    undated.sort_by(|a, b| title_order(a, b));
    RoadmapDoc {
        might_slip: slipping.iter().map(|s| slip_item(s, &names)).collect(),
        most_blocked: blocked
            .iter()
            .map(|s| BlockedItem {
                id: s.id.to_string(),
                title: s.title.to_string(),
                status: s.status,
                target: s.target.cloned(),
                dependencies: s.dependencies.to_vec(),
            })
            .collect(),
        no_date: undated
            .iter()
            .map(|s| UndatedItem {
                id: s.id.to_string(),
                title: s.title.to_string(),
                status: s.status,
                answer: s.answer.to_string(),
            })
            .collect(),
    }
}

fn title_order(a: &Subject<'_>, b: &Subject<'_>) -> std::cmp::Ordering {
    (a.title.to_lowercase(), a.id).cmp(&(b.title.to_lowercase(), b.id))
}

fn slip_item(s: &Subject<'_>, names: &AccountNames) -> SlipItem {
    let mut blockers: Vec<Dependency> = Vec::new();
    for r in s.risks {
        if let Risk::Blocked { blocker, .. } = r
            && !blockers.iter().any(|b| &b.key == blocker)
        {
            blockers.push(blocker_facts(s, blocker));
        }
    }
    let accounts: BTreeSet<&str> = s
        .requests()
        .iter()
        .filter_map(|r| r.account.as_deref())
        .map(|a| names.name(a))
        .collect();
    SlipItem {
        id: s.id.to_string(),
        title: s.title.to_string(),
        status: s.status,
        target: s.target.cloned(),
        risks: s.risks.to_vec(),
        blockers,
        accounts: accounts.into_iter().map(str::to_string).collect(),
        amount: s.amount(),
    }
}

/// What is known of a blocker: from the dependencies, else from the
/// capability's own work (one of its items blocking another), else its key.
fn blocker_facts(s: &Subject<'_>, key: &str) -> Dependency {
    if let Some(d) = s.dependencies.iter().find(|d| d.key == key) {
        return d.clone();
    }
    let held: Vec<String> = s
        .risks
        .iter()
        .filter_map(|r| match r {
            Risk::Blocked { key: k, blocker } if blocker == key => Some(k.clone()),
            _ => None,
        })
        .collect();
    let own = s
        .work
        .iter()
        .map(|w| (&w.key, &w.summary, &w.status, w.category, &w.url))
        .chain(
            s.work
                .iter()
                .flat_map(|w| &w.scope)
                .map(|c: &ScopeItem| (&c.key, &c.summary, &c.status, c.category, &c.url)),
        )
        .find(|(k, ..)| k.as_str() == key);
    Dependency {
        key: key.to_string(),
        summary: own.map(|o| o.1.clone()),
        status: own.map(|o| o.2.clone()),
        category: own.map(|o| o.3).unwrap_or_default(),
        url: own.and_then(|o| o.4.clone()),
        holds_up: held,
        waits_for: Vec::new(),
    }
}

/// One name per account: spellings that differ only in case and spaces are
/// one account, shown in its most used spelling (the first in sort order on
/// a tie).
struct AccountNames {
    by_key: BTreeMap<String, String>,
}

impl AccountNames {
    fn of(subjects: &[Subject<'_>]) -> AccountNames {
        let names = subjects
            .iter()
            .flat_map(|s| s.requests().iter().filter_map(|r| r.account.as_deref()));
        AccountNames {
            by_key: account_spellings(names),
        }
    }

    fn name<'s>(&'s self, spelling: &'s str) -> &'s str {
        self.by_key
            .get(&account_key(spelling))
            .map_or(spelling, String::as_str)
    }
}

/// Every requesting account with its asks, by amount at stake (then name).
pub fn accounts(subjects: &[Subject<'_>]) -> Vec<AccountDoc> {
    let names = AccountNames::of(subjects);
    let mut by_key: BTreeMap<String, Vec<Ask>> = BTreeMap::new();
    for s in subjects {
        for r in s.requests() {
            if let Some(account) = r.account.as_deref() {
                by_key
                    .entry(account_key(account))
                    .or_default()
                    .push(ask(s, r));
            }
        }
    }
    let mut out: Vec<AccountDoc> = by_key
        .into_iter()
        .map(|(key, mut asks)| {
            asks.sort_by(|a, b| {
                ask_rank(a)
                    .cmp(&ask_rank(b))
                    .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
                    .then_with(|| crate::jira::key_order(&a.request.key, &b.request.key))
            });
            let mut counted = BTreeSet::new();
            let amount = asks
                .iter()
                .filter(|a| counted.insert(a.request.key.clone()))
                .filter_map(|a| a.request.amount)
                .sum();
            let name = names.by_key.get(&key).cloned().unwrap_or(key);
            AccountDoc {
                slug: String::new(),
                url: String::new(),
                name,
                amount,
                asks,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.amount
            .total_cmp(&a.amount)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    assign_slugs(&mut out);
    out
}

/// Shipped first ("tell them"), then at risk, then the rest.
fn ask_rank(a: &Ask) -> u8 {
    if a.shipped {
        0
    } else if !a.risks.is_empty() {
        1
    } else {
        2
    }
}

fn ask(s: &Subject<'_>, r: &Request) -> Ask {
    Ask {
        capability: s.id.to_string(),
        title: s.title.to_string(),
        status: s.status,
        answer: s.answer.to_string(),
        promise: s.promise,
        target: s.target.cloned(),
        risks: s.risks.to_vec(),
        shipped: s.status.is_shipped(),
        lost: r.is_lost(),
        request: r.clone(),
    }
}

/// Slugs of account names; a name whose slug is taken gets `-2`, `-3`…
/// (in name order, so a slug does not change when amounts do).
fn assign_slugs(accounts: &mut [AccountDoc]) {
    let mut order: Vec<usize> = (0..accounts.len()).collect();
    order.sort_by(|&a, &b| accounts[a].name.cmp(&accounts[b].name));
    let mut taken = BTreeSet::new();
    for i in order {
        let base = slugify(&accounts[i].name);
        let mut slug = base.clone();
        let mut n = 2;
        while !taken.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        accounts[i].url = format!("/accounts/{slug}/");
        accounts[i].slug = slug;
    }
}

/// Lost requests grouped by the capability they are linked to; unicorns
/// (as on the gaps page) apart.
pub fn autopsy(subjects: &[Subject<'_>]) -> AutopsyDoc {
    let matcher = NameMatcher::new(subjects);
    let mut linked_to: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, s) in subjects.iter().enumerate() {
        for r in s.requests() {
            linked_to.entry(r.key.as_str()).or_default().insert(i);
        }
    }
    let mut causes: Vec<(bool, RootCause)> = Vec::new();
    for s in subjects {
        let lost: Vec<&Request> = s.requests().iter().filter(|r| r.is_lost()).collect();
        let Some(demand) = s.demand.filter(|_| !lost.is_empty()) else {
            continue;
        };
        let mut deals: Vec<LostDeal> = lost
            .iter()
            .map(|r| LostDeal {
                request: (*r).clone(),
                ghost: ghost(r, &linked_to[r.key.as_str()], &matcher, subjects),
            })
            .collect();
        deals.sort_by(|a, b| {
            b.request
                .amount
                .unwrap_or(0.0)
                .total_cmp(&a.request.amount.unwrap_or(0.0))
                .then_with(|| crate::jira::key_order(&a.request.key, &b.request.key))
        });
        let accounts: BTreeSet<String> = lost
            .iter()
            .filter_map(|r| r.account.as_deref())
            .map(account_key)
            .collect();
        let cause = RootCause {
            capability: s.id.to_string(),
            title: s.title.to_string(),
            status: s.status,
            accounts: accounts.len(),
            amount: lost.iter().filter_map(|r| r.amount).sum(),
            deals,
        };
        causes.push((demand.unicorn, cause));
    }
    causes.sort_by(|(_, a), (_, b)| {
        b.accounts
            .cmp(&a.accounts)
            .then(b.amount.total_cmp(&a.amount))
            .then_with(|| a.capability.cmp(&b.capability))
    });
    let (unicorns, root_causes): (Vec<_>, Vec<_>) = causes.into_iter().partition(|(u, _)| *u);
    AutopsyDoc {
        root_causes: root_causes.into_iter().map(|(_, c)| c).collect(),
        unicorns: unicorns.into_iter().map(|(_, c)| c).collect(),
    }
}

/// The capabilities a stated reason names when it is a ghost: it names at
/// least one capability, all of them available or beta, and none of them
/// one the request is linked to. Empty otherwise.
fn ghost(
    r: &Request,
    linked: &BTreeSet<usize>,
    matcher: &NameMatcher,
    subjects: &[Subject<'_>],
) -> Vec<NamedCapability> {
    let Some(stated) = r.lost_reason.as_deref() else {
        return Vec::new();
    };
    let named = matcher.named_in(stated);
    let is_ghost = !named.is_empty()
        && named.iter().all(|&i| subjects[i].status.is_shipped())
        && named.iter().all(|i| !linked.contains(i));
    if !is_ghost {
        return Vec::new();
    }
    named
        .iter()
        .map(|&i| NamedCapability {
            id: subjects[i].id.to_string(),
            title: subjects[i].title.to_string(),
            status: subjects[i].status,
        })
        .collect()
}

/// Finds the capabilities a text names: a capability's title or one of its
/// aliases appearing as whole words, ignoring case, punctuation and a plural
/// `s` (`"Snowflake connectors"` names "Snowflake connector"). A name inside
/// a longer name found at the same place does not count (`API` inside
/// `GraphQL API`).
pub struct NameMatcher {
    names: Vec<(Vec<String>, usize)>,
}

impl NameMatcher {
    /// The names of `subjects`.
    pub fn new(subjects: &[Subject<'_>]) -> NameMatcher {
        let mut names = Vec::new();
        for (i, s) in subjects.iter().enumerate() {
            for name in std::iter::once(s.title).chain(s.aliases.iter().map(String::as_str)) {
                let words = words(name);
                if !words.is_empty() {
                    names.push((words, i));
                }
            }
        }
        NameMatcher { names }
    }

    /// Indexes of the subjects `text` names, in order.
    pub fn named_in(&self, text: &str) -> Vec<usize> {
        let text = words(text);
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for (name, subject) in &self.names {
            for start in 0..text.len() {
                if text[start..].starts_with(name) {
                    hits.push((start, start + name.len(), *subject));
                }
            }
        }
        let kept: BTreeSet<usize> = hits
            .iter()
            .filter(|(s, e, _)| {
                !hits
                    .iter()
                    .any(|(s2, e2, _)| s2 <= s && e <= e2 && (e2 - s2) > (e - s))
            })
            .map(|(_, _, i)| *i)
            .collect();
        kept.into_iter().collect()
    }
}

/// Lower-case words of `text`, split on anything not a letter or digit, a
/// plural `s` dropped.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if w.chars().count() > 3 && !stem.ends_with('s') => stem.to_string(),
                _ => w,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkCategory;
    use crate::model::date::parse_iso_date;

    fn request(key: &str, account: &str, amount: f64, lost: Option<&str>) -> Request {
        Request {
            key: key.into(),
            summary: format!("{key} summary"),
            account: Some(account.into()),
            amount: Some(amount),
            lost_reason: lost.map(str::to_string),
            truth: None,
            url: None,
        }
    }

    fn demand(requests: Vec<Request>, unicorn: bool) -> Demand {
        Demand {
            accounts: 0,
            amount: requests.iter().filter_map(|r| r.amount).sum(),
            unicorn,
            requests,
        }
    }

    fn dep(key: &str) -> Dependency {
        Dependency {
            key: key.into(),
            summary: Some(format!("{key} summary")),
            status: Some("To Do".into()),
            category: WorkCategory::Todo,
            url: None,
            holds_up: vec!["E-1".into()],
            waits_for: vec![],
        }
    }

    struct Fixture {
        aliases: Vec<Vec<String>>,
        targets: Vec<Option<Target>>,
        risks: Vec<Vec<Risk>>,
        deps: Vec<Vec<Dependency>>,
        demands: Vec<Option<Demand>>,
    }

    const IDS: [&str; 5] = ["snowflake", "pushdown", "audit", "sso", "billing"];
    const STATUSES: [Status; 5] = [
        Status::Available,
        Status::Planned,
        Status::InProgress,
        Status::Beta,
        Status::Considering,
    ];

    fn fixture() -> Fixture {
        let due = parse_iso_date("2026-10-31").unwrap();
        Fixture {
            aliases: vec![
                vec!["Snowflake connector".into(), "API".into()],
                vec![],
                vec!["audit export".into()],
                vec!["SSO".into()],
                vec!["metered billing".into()],
            ],
            targets: vec![
                None,
                Some(Target::parse("2027-Q1")),
                Some(Target::parse("2026-Q4")),
                None,
                None,
            ],
            risks: vec![
                vec![],
                vec![Risk::Blocked {
                    key: "P-1".into(),
                    blocker: "X-1".into(),
                }],
                vec![Risk::DuePassed {
                    key: "A-1".into(),
                    due,
                }],
                vec![],
                vec![],
            ],
            deps: vec![
                vec![],
                vec![dep("X-1"), dep("X-2")],
                vec![dep("X-3")],
                vec![],
                vec![],
            ],
            demands: vec![
                None,
                Some(demand(
                    vec![request(
                        "R-1",
                        "Globex",
                        100.0,
                        Some("Missing Snowflake connectors"),
                    )],
                    true,
                )),
                Some(demand(
                    vec![
                        request("R-2", "Acme", 10.0, None),
                        request("R-3", "globex ", 20.0, None),
                    ],
                    false,
                )),
                Some(demand(
                    vec![request("R-4", "ACME", 30.0, Some("No SSO at the time"))],
                    true,
                )),
                Some(demand(
                    vec![
                        request("R-5", "Acme", 40.0, Some("Lost on price")),
                        request(
                            "R-6",
                            "Initech",
                            50.0,
                            Some("Metered billing for API calls"),
                        ),
                    ],
                    false,
                )),
            ],
        }
    }

    fn subjects(f: &Fixture) -> Vec<Subject<'_>> {
        (0..5)
            .map(|i| Subject {
                id: IDS[i],
                title: IDS[i],
                aliases: &f.aliases[i],
                status: STATUSES[i],
                answer: "answer",
                promise: None,
                target: f.targets[i].as_ref(),
                risks: &f.risks[i],
                work: &[],
                dependencies: &f.deps[i],
                demand: f.demands[i].as_ref(),
            })
            .collect()
    }

    #[test]
    fn might_slip_most_blocked_and_no_date() {
        let f = fixture();
        let r = roadmap(&subjects(&f));
        let slip: Vec<(&str, Vec<&str>, f64)> = r
            .might_slip
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.accounts.iter().map(String::as_str).collect(),
                    s.amount,
                )
            })
            .collect();
        assert_eq!(
            slip,
            [
                ("audit", vec!["Acme", "Globex"], 30.0),
                ("pushdown", vec!["Globex"], 100.0)
            ],
            "soonest target first; `globex ` is Globex"
        );
        assert_eq!(
            r.might_slip[1].blockers[0].summary.as_deref(),
            Some("X-1 summary")
        );
        let blocked: Vec<(&str, usize)> = r
            .most_blocked
            .iter()
            .map(|b| (b.id.as_str(), b.dependencies.len()))
            .collect();
        assert_eq!(blocked, [("pushdown", 2), ("audit", 1)]);
        let undated: Vec<&str> = r.no_date.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(
            undated,
            ["billing"],
            "shipped capabilities have no place here"
        );
    }

    #[test]
    fn accounts_merge_spellings_and_put_shipped_first() {
        let f = fixture();
        let a = accounts(&subjects(&f));
        let names: Vec<&str> = a.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Globex", "Acme", "Initech"], "by amount at stake");
        let acme = &a[1];
        assert_eq!(acme.amount, 80.0);
        let keys: Vec<&str> = acme.asks.iter().map(|k| k.request.key.as_str()).collect();
        assert_eq!(keys, ["R-4", "R-2", "R-5"], "shipped, at risk, the rest");
        assert!(acme.asks[0].shipped && acme.asks[0].lost);
        assert!(!acme.asks[1].risks.is_empty());
        assert_eq!(acme.url, "/accounts/acme/");
        let globex: Vec<&str> = a[0].asks.iter().map(|k| k.request.key.as_str()).collect();
        assert_eq!(globex, ["R-3", "R-1"], "`globex ` is Globex");
        assert_eq!(a[0].amount, 120.0);
    }

    #[test]
    fn autopsy_groups_by_root_cause_and_flags_ghosts() {
        let f = fixture();
        let a = autopsy(&subjects(&f));
        let causes: Vec<(&str, usize, f64, Vec<&str>)> = a
            .root_causes
            .iter()
            .map(|c| {
                (
                    c.capability.as_str(),
                    c.accounts,
                    c.amount,
                    c.deals.iter().map(|d| d.request.key.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(causes, [("billing", 2, 90.0, vec!["R-6", "R-5"])]);
        let unicorns: Vec<&str> = a.unicorns.iter().map(|c| c.capability.as_str()).collect();
        assert_eq!(unicorns, ["pushdown", "sso"]);
        let ghost: Vec<&str> = a.unicorns[0].deals[0]
            .ghost
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        assert_eq!(
            ghost,
            ["snowflake"],
            "names an available capability it is not linked to"
        );
        assert!(
            a.unicorns[1].deals[0].ghost.is_empty(),
            "names the capability it is linked to: shipped since, not a ghost"
        );
        assert!(
            a.root_causes[0].deals.iter().all(|d| d.ghost.is_empty()),
            "names its own capability (`metered billing`) besides an available one (`API`): a real gap"
        );
    }

    #[test]
    fn names_are_whole_words_and_longest_wins() {
        let aliases = [vec!["GraphQL API".to_string(), "API".to_string()], vec![]];
        let subjects: Vec<Subject<'_>> = ["graphql", "Snowflake connector"]
            .iter()
            .enumerate()
            .map(|(i, t)| Subject {
                id: t,
                title: t,
                aliases: &aliases[i],
                status: Status::Available,
                answer: "",
                promise: None,
                target: None,
                risks: &[],
                work: &[],
                dependencies: &[],
                demand: None,
            })
            .collect();
        let m = NameMatcher::new(&subjects);
        assert_eq!(m.named_in("no graphql-api for partners"), [0]);
        assert_eq!(m.named_in("Snowflake-Connectors were missing"), [1]);
        assert!(m.named_in("snowflakes and rapids").is_empty());
        assert!(m.named_in("lost on price").is_empty());
    }
}
