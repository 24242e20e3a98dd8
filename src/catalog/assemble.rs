//! Putting the sources together: drafts + evidence + work items → [`Catalog`].

use super::derive::{self, Inputs};
use super::drift::{self, Findings};
use super::link::{self, Linked, WorkIndex};
use super::{BuildInfo, Capability, Catalog, SiteInfo};
use crate::config::{Config, JiraConfig};
use crate::content::{CapabilityDraft, Content};
use crate::diagnostics::Diagnostic;
use crate::jira::{JiraData, WorkItem};
use crate::model::date::parse_iso_date;
use crate::model::{
    Demand, Dependency, Evidence, EvidenceItem, LinkedBy, Progress, Request, ScopeItem,
    WorkCategory, WorkEntry, account_key, account_spellings, slugify,
};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// Everything the catalog is made from.
pub struct Sources<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// Content files.
    pub content: Content,
    /// Evidence by capability id.
    pub evidence: BTreeMap<String, Vec<Evidence>>,
    /// What the scan found besides evidence: dead matchers, unknown markers.
    pub findings: Findings,
    /// Jira data.
    pub jira: JiraData,
    /// Commit and build date.
    pub built: BuildInfo,
    /// The date risk is judged against.
    pub today: Date,
}

/// Links and derives everything; returns the catalog and its warnings.
pub fn assemble(sources: Sources<'_>) -> (Catalog, Vec<Diagnostic>) {
    let Sources {
        config,
        content,
        mut evidence,
        mut findings,
        jira,
        built,
        today,
    } = sources;
    let jira_config = config.jira.clone().unwrap_or_default();
    let index = WorkIndex::new(&jira.items);
    let (mut links, mut diagnostics) =
        link::link(&content.capabilities, &index, &jira.items, &jira_config);
    findings.unknown_labels =
        link::unknown_labels(&content.capabilities, &jira.items, &jira_config);
    let context = Context {
        config,
        jira: &jira_config,
        index: &index,
        built: &built,
        today,
        accounts: account_spellings(jira.items.iter().filter_map(|i| i.account.as_deref())),
    };
    let mut capabilities = Vec::with_capacity(content.capabilities.len());
    for draft in content.capabilities {
        let found = evidence.remove(&draft.id).unwrap_or_default();
        let linked = links.remove(&draft.id).unwrap_or_default();
        capabilities.push(capability(draft, found, &linked, &context));
    }
    add_related(&mut capabilities, &mut diagnostics);
    let drift = drift::report(&capabilities, findings, today);
    let catalog = Catalog {
        site: SiteInfo {
            title: config.site.title.clone(),
            description: site_description(config),
            base_url: config.site.base_url.trim_end_matches('/').to_string(),
            contact: config.site.contact.clone(),
            currency: config.demand.currency.trim().to_string(),
        },
        built,
        today,
        roadmap_as_of: jira.snapshot_as_of,
        capabilities,
        home: content.home,
        pages: content.pages,
        drift,
    };
    (catalog, diagnostics)
}

/// What every capability is assembled against.
struct Context<'a> {
    config: &'a Config,
    jira: &'a JiraConfig,
    index: &'a WorkIndex<'a>,
    built: &'a BuildInfo,
    today: Date,
    /// How each account is spelled everywhere (see `account_spellings`).
    accounts: BTreeMap<String, String>,
}

fn site_description(config: &Config) -> String {
    if config.site.description.is_empty() {
        format!(
            "{}: what the product supports today and what is coming.",
            config.site.title
        )
    } else {
        config.site.description.clone()
    }
}

fn capability(
    draft: CapabilityDraft,
    mut evidence: Vec<Evidence>,
    linked: &Linked<'_>,
    cx: &Context<'_>,
) -> Capability {
    evidence.sort();
    evidence.dedup();
    let evidence: Vec<EvidenceItem> = evidence.into_iter().map(|e| evidence_item(e, cx)).collect();
    let work: Vec<WorkEntry> = linked
        .work
        .iter()
        .map(|(item, by)| work_entry(item, *by, cx))
        .collect();
    let derived = derive::derive(&Inputs {
        claim: draft.meta.claim,
        evidence: &evidence,
        work: &work,
        requests: linked.requests.len(),
        has_matchers: !draft.meta.evidence.is_empty(),
        today: cx.today,
    });
    let demand = demand(&linked.requests, cx);
    let dependencies = dependencies(linked, cx);
    Capability {
        url: format!("/capabilities/{}/", draft.id),
        category_slug: slugify(&draft.meta.category),
        draft,
        status: derived.status,
        why: derived.why,
        why_details: derived.why_details,
        promise: derived.promise,
        risks: derived.risks,
        target: derived.target,
        evidence,
        work,
        demand,
        dependencies,
        related: Vec::new(),
    }
}

fn evidence_item(evidence: Evidence, cx: &Context<'_>) -> EvidenceItem {
    let template = &cx.config.code.link;
    let url = (!template.is_empty()).then(|| {
        template
            .replace("{commit}", cx.built.commit.as_deref().unwrap_or("HEAD"))
            .replace("{path}", &evidence.path)
            .replace("{line}", &evidence.line.to_string())
    });
    EvidenceItem { at: evidence, url }
}

fn browse_url(jira: &JiraConfig, key: &str) -> Option<String> {
    (!jira.browse_url.is_empty()).then(|| jira.browse_url.replace("{key}", key))
}

fn work_entry(item: &WorkItem, by: LinkedBy, cx: &Context<'_>) -> WorkEntry {
    let children: Vec<&WorkItem> = cx
        .index
        .children(&item.key)
        .iter()
        .copied()
        .filter(|c| !link::is_request(c, cx.jira))
        .collect();
    let progress = Progress {
        done: children
            .iter()
            .filter(|c| c.category == WorkCategory::Done)
            .count(),
        total: children.len(),
    };
    let blocked_by: Vec<String> = item
        .links
        .iter()
        .filter(|l| {
            l.blocks_this
                && cx.index.category_of(&l.other_key, l.other_category) != WorkCategory::Done
        })
        .map(|l| l.other_key.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let scope = children
        .iter()
        .map(|c| ScopeItem {
            key: c.key.clone(),
            summary: c.summary.clone(),
            issue_type: c.issue_type.clone(),
            status: c.status.clone(),
            category: c.category,
            story_points: c.story_points,
            url: browse_url(cx.jira, &c.key),
        })
        .collect();
    let mut fix_versions: Vec<String> = item.fix_versions.iter().map(|v| v.name.clone()).collect();
    fix_versions.sort();
    WorkEntry {
        key: item.key.clone(),
        summary: item.summary.clone(),
        issue_type: item.issue_type.clone(),
        status: item.status.clone(),
        category: item.category,
        resolution: item.resolution.clone(),
        due: item
            .due
            .as_deref()
            .and_then(parse_iso_date)
            .or_else(|| earliest_release(item)),
        created: item.created.as_deref().and_then(parse_iso_date),
        fix_versions,
        progress,
        blocked_by,
        url: browse_url(cx.jira, &item.key),
        linked_by: by,
        scope,
    }
}

/// Open issues the capability's open work waits for: open *is blocked by*
/// and *depends on* links of its open linked items and their open children,
/// each issue once, leaving out issues that are part of the work itself.
fn dependencies(linked: &Linked<'_>, cx: &Context<'_>) -> Vec<Dependency> {
    let mut own: BTreeSet<&str> = BTreeSet::new();
    let mut members: Vec<&WorkItem> = Vec::new();
    for (item, _) in &linked.work {
        own.insert(&item.key);
        let children = cx.index.children(&item.key);
        own.extend(children.iter().map(|c| c.key.as_str()));
        if item.category == WorkCategory::Done {
            continue;
        }
        members.push(item);
        members.extend(
            children
                .iter()
                .copied()
                .filter(|c| c.category != WorkCategory::Done && !link::is_request(c, cx.jira)),
        );
    }
    let mut holds_up: BTreeMap<&str, (Option<WorkCategory>, BTreeSet<&str>)> = BTreeMap::new();
    for m in members {
        for (other, embedded) in open_prerequisites(m, cx.index) {
            if !own.contains(other) {
                let entry = holds_up.entry(other).or_default();
                entry.0 = entry.0.or(embedded);
                entry.1.insert(&m.key);
            }
        }
    }
    let mut out: Vec<Dependency> = holds_up
        .into_iter()
        .map(|(key, (embedded, held))| dependency(key, embedded, held, cx))
        .collect();
    out.sort_by(|a, b| crate::jira::key_order(&a.key, &b.key));
    out
}

/// The open issues `item` is blocked by or depends on, with the category a
/// link embeds.
fn open_prerequisites<'a>(
    item: &'a WorkItem,
    index: &WorkIndex<'_>,
) -> Vec<(&'a str, Option<WorkCategory>)> {
    item.links
        .iter()
        .filter(|l| l.blocks_this || l.depends_on)
        .filter(|l| index.category_of(&l.other_key, l.other_category) != WorkCategory::Done)
        .map(|l| (l.other_key.as_str(), l.other_category))
        .collect()
}

fn dependency(
    key: &str,
    embedded: Option<WorkCategory>,
    held: BTreeSet<&str>,
    cx: &Context<'_>,
) -> Dependency {
    let item = cx.index.get(key);
    let mut holds_up: Vec<String> = held.into_iter().map(str::to_string).collect();
    holds_up.sort_by(|a, b| crate::jira::key_order(a, b));
    let mut waits_for: Vec<String> = item
        .map(|i| open_prerequisites(i, cx.index))
        .unwrap_or_default()
        .into_iter()
        .map(|(k, _)| k.to_string())
        .collect();
    waits_for.sort_by(|a, b| crate::jira::key_order(a, b));
    waits_for.dedup();
    Dependency {
        key: key.to_string(),
        summary: item.map(|i| i.summary.clone()),
        status: item.map(|i| i.status.clone()),
        category: cx.index.category_of(key, embedded),
        url: browse_url(cx.jira, key),
        holds_up,
        waits_for,
    }
}

/// An item without a due date is due when its earliest unreleased fix
/// version is released.
fn earliest_release(item: &WorkItem) -> Option<Date> {
    item.fix_versions
        .iter()
        .filter(|v| v.released != Some(true))
        .filter_map(|v| v.release_date.as_deref().and_then(parse_iso_date))
        .min()
}

fn demand(requests: &[(&WorkItem, LinkedBy)], cx: &Context<'_>) -> Option<Demand> {
    let (jira, unicorn_max, spellings) =
        (cx.jira, cx.config.demand.unicorn_max_accounts, &cx.accounts);
    if requests.is_empty() {
        return None;
    }
    let mut list: Vec<Request> = requests
        .iter()
        .map(|(r, _)| Request {
            key: r.key.clone(),
            summary: r.summary.clone(),
            account: r
                .account
                .as_deref()
                .filter(|a| !a.trim().is_empty())
                .map(|a| {
                    spellings
                        .get(&account_key(a))
                        .cloned()
                        .unwrap_or_else(|| a.to_string())
                }),
            amount: r.amount,
            lost_reason: r.lost_reason.clone().filter(|a| !a.trim().is_empty()),
            truth: r.truth.clone().filter(|t| !t.trim().is_empty()),
            url: browse_url(jira, &r.key),
        })
        .collect();
    list.sort_by(|a, b| (&a.account, &a.key).cmp(&(&b.account, &b.key)));
    let accounts: BTreeSet<String> = list
        .iter()
        .filter_map(|r| r.account.as_deref())
        .map(account_key)
        .collect();
    let amount = list.iter().filter_map(|r| r.amount).sum();
    Some(Demand {
        accounts: accounts.len(),
        amount,
        unicorn: accounts.len() <= unicorn_max,
        requests: list,
    })
}

/// Related: the ids named in front matter first, then others of the same
/// category by title, up to five.
fn add_related(caps: &mut [Capability], diagnostics: &mut Vec<Diagnostic>) {
    let position: BTreeMap<String, usize> = caps
        .iter()
        .enumerate()
        .map(|(i, c)| (c.draft.id.clone(), i))
        .collect();
    let mut by_category: BTreeMap<&str, Vec<(String, &str, usize)>> = BTreeMap::new();
    for (i, c) in caps.iter().enumerate() {
        by_category
            .entry(c.draft.meta.category.as_str())
            .or_default()
            .push((c.draft.meta.title.to_lowercase(), c.draft.id.as_str(), i));
    }
    for list in by_category.values_mut() {
        list.sort();
    }
    let mut all = Vec::with_capacity(caps.len());
    for (i, cap) in caps.iter().enumerate() {
        let mut related: Vec<usize> = Vec::new();
        for r in &cap.draft.meta.related {
            match position.get(r) {
                Some(&j) if j != i => related.push(j),
                _ => diagnostics.push(
                    Diagnostic::warning(
                        cap.draft.source.clone(),
                        format!("related capability `{r}` does not exist"),
                    )
                    .with_hint("name the id (file name) of another capability"),
                ),
            }
        }
        for (_, _, j) in &by_category[cap.draft.meta.category.as_str()] {
            if related.len() >= 5 {
                break;
            }
            if *j != i && !related.contains(j) {
                related.push(*j);
            }
        }
        all.push(related);
    }
    for (cap, related) in caps.iter_mut().zip(all) {
        cap.related = related;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::FrontMatter;
    use crate::jira::{HierarchyLevel, IssueLink, LinkDirection};
    use crate::model::Status;
    use std::path::PathBuf;

    fn draft(id: &str, jira: &[&str]) -> CapabilityDraft {
        CapabilityDraft {
            id: id.into(),
            source: PathBuf::from(format!("content/capabilities/{id}.md")),
            meta: FrontMatter {
                title: id.into(),
                summary: "s".into(),
                category: "C".into(),
                aliases: vec![],
                redirect_from: vec![],
                claim: None,
                public: true,
                evidence: Default::default(),
                jira: jira.iter().map(|s| s.to_string()).collect(),
                plans: vec![],
                related: vec![],
            },
            redirect_from_line: 1,
            category_line: 1,
            lines: Default::default(),
            body_html: String::new(),
            body_text: String::new(),
        }
    }

    fn item(key: &str, issue_type: &str, category: WorkCategory) -> WorkItem {
        WorkItem {
            key: key.into(),
            summary: format!("{key} summary"),
            issue_type: issue_type.into(),
            level: if issue_type == "Epic" {
                HierarchyLevel::Epic
            } else {
                HierarchyLevel::Standard
            },
            status: format!("{category:?}"),
            category,
            ..Default::default()
        }
    }

    fn child(key: &str, parent: &str, category: WorkCategory) -> WorkItem {
        WorkItem {
            parent: Some(parent.into()),
            ..item(key, "Story", category)
        }
    }

    fn run(drafts: Vec<CapabilityDraft>, items: Vec<WorkItem>) -> (Catalog, Vec<Diagnostic>) {
        let config = Config {
            jira: Some(JiraConfig {
                request_types: vec!["Feature Request".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        assemble(Sources {
            config: &config,
            content: Content {
                capabilities: drafts,
                ..Default::default()
            },
            evidence: BTreeMap::new(),
            findings: Findings::default(),
            jira: JiraData {
                items,
                ..Default::default()
            },
            built: BuildInfo {
                commit: None,
                date: parse_iso_date("2026-11-21").unwrap(),
            },
            today: parse_iso_date("2026-11-21").unwrap(),
        })
    }

    #[test]
    fn explicit_epic_with_children_and_blocker() {
        let mut epic = item("HBR-1", "Epic", WorkCategory::InProgress);
        epic.due = Some("2027-03-15".into());
        epic.links = vec![
            IssueLink {
                link_type: "Blocks".into(),
                direction: LinkDirection::Inward,
                other_key: "HBR-9".into(),
                blocks_this: true,
                depends_on: false,
                other_category: None,
            },
            IssueLink {
                link_type: "Blocks".into(),
                direction: LinkDirection::Inward,
                other_key: "HBR-8".into(),
                blocks_this: true,
                depends_on: false,
                other_category: None,
            },
        ];
        let items = vec![
            epic,
            child("HBR-2", "HBR-1", WorkCategory::Done),
            child("HBR-3", "HBR-1", WorkCategory::Todo),
            item("HBR-8", "Task", WorkCategory::Done),
            item("HBR-9", "Task", WorkCategory::Todo),
        ];
        let (cat, diags) = run(vec![draft("scim", &["HBR-1"])], items);
        assert!(diags.is_empty(), "{diags:?}");
        let c = &cat.capabilities[0];
        assert_eq!(c.status, Status::InProgress);
        let w = &c.work[0];
        assert_eq!((w.progress.done, w.progress.total), (1, 2));
        assert_eq!(
            w.blocked_by,
            vec!["HBR-9".to_string()],
            "done blockers do not count"
        );
        assert!(c.at_risk(), "an open blocker is a risk");
        assert_eq!(w.scope.len(), 2);
    }

    fn blocked(mut item: WorkItem, by: &[&str], depends: &[&str]) -> WorkItem {
        let link = |key: &&str, blocks: bool| IssueLink {
            link_type: if blocks { "Blocks" } else { "Depends" }.into(),
            direction: if blocks {
                LinkDirection::Inward
            } else {
                LinkDirection::Outward
            },
            other_key: key.to_string(),
            blocks_this: blocks,
            depends_on: !blocks,
            other_category: None,
        };
        item.links.extend(by.iter().map(|k| link(k, true)));
        item.links.extend(depends.iter().map(|k| link(k, false)));
        item
    }

    #[test]
    fn dependencies_of_the_epic_and_children_count_once() {
        let items = vec![
            blocked(
                item("HBR-1", "Epic", WorkCategory::InProgress),
                &["HBR-90"],
                &[],
            ),
            blocked(
                child("HBR-2", "HBR-1", WorkCategory::Todo),
                &["HBR-90", "HBR-3"],
                &["HBR-91"],
            ),
            child("HBR-3", "HBR-1", WorkCategory::Todo),
            blocked(
                child("HBR-4", "HBR-1", WorkCategory::Done),
                &["HBR-92"],
                &[],
            ),
            blocked(
                item("HBR-90", "Task", WorkCategory::InProgress),
                &["HBR-93"],
                &[],
            ),
            item("HBR-91", "Task", WorkCategory::Todo),
            item("HBR-92", "Task", WorkCategory::Todo),
            item("HBR-93", "Task", WorkCategory::Todo),
            item("HBR-94", "Task", WorkCategory::Done),
        ];
        let (cat, _) = run(vec![draft("scim", &["HBR-1"])], items);
        let deps: Vec<(&str, Vec<&str>, Vec<&str>)> = cat.capabilities[0]
            .dependencies
            .iter()
            .map(|d| {
                (
                    d.key.as_str(),
                    d.holds_up.iter().map(String::as_str).collect(),
                    d.waits_for.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            deps,
            [
                ("HBR-90", vec!["HBR-1", "HBR-2"], vec!["HBR-93"]),
                ("HBR-91", vec!["HBR-2"], vec![]),
            ],
            "HBR-3 is part of the work; HBR-4 is done, so its blocker does not count"
        );
        assert_eq!(
            cat.capabilities[0].dependencies[0].summary.as_deref(),
            Some("HBR-90 summary")
        );
    }

    #[test]
    fn labels_and_requests_make_demand() {
        let mut r1 = item("HBR-20", "Feature Request", WorkCategory::Todo);
        r1.labels = vec!["cap:usage".into()];
        r1.account = Some("Globex".into());
        r1.amount = Some(1000.0);
        let mut r2 = item("HBR-21", "Feature Request", WorkCategory::Todo);
        r2.labels = vec!["cap:usage".into(), "cap:usaeg".into()];
        r2.account = Some("Initech".into());
        r2.amount = Some(500.0);
        let (cat, diags) = run(vec![draft("usage", &[])], vec![r1, r2]);
        let c = &cat.capabilities[0];
        assert_eq!(c.status, Status::Considering);
        let d = c.demand.as_ref().unwrap();
        assert_eq!((d.accounts, d.amount, d.unicorn), (2, 1500.0, false));
        assert!(c.work.is_empty());
        assert!(diags.is_empty(), "{diags:?}");
        let orphans: Vec<_> = cat
            .drift
            .of_kind(super::drift::DriftKind::UnknownLabel)
            .collect();
        assert_eq!(orphans.len(), 1, "orphan label is drift: {orphans:?}");
        assert!(
            orphans[0]
                .diagnostic
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `cap:usage`")
        );
    }

    #[test]
    fn requests_under_a_linked_epic_count_and_unknown_keys_warn() {
        let epic = item("HBR-1", "Epic", WorkCategory::Done);
        let mut req = item("HBR-5", "Feature Request", WorkCategory::Todo);
        req.epic = Some("HBR-1".into());
        req.account = Some("Hooli".into());
        let (cat, diags) = run(vec![draft("sso", &["HBR-1", "HBR-404"])], vec![epic, req]);
        let c = &cat.capabilities[0];
        assert_eq!(c.status, Status::Available);
        assert_eq!(c.demand.as_ref().unwrap().accounts, 1);
        assert!(c.demand.as_ref().unwrap().unicorn);
        assert_eq!(c.work[0].progress.total, 0, "requests are not scope");
        assert!(diags.iter().any(|d| d.message.contains("HBR-404")));
    }
}
