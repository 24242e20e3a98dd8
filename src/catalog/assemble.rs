//! Putting the sources together: drafts + evidence + work items → [`Catalog`].

use super::derive::{self, Inputs};
use super::link::{self, Linked, LinkedBy, WorkIndex};
use super::{
    BuildInfo, Capability, Catalog, Claim, Demand, EvidenceRecord, Progress, Request, ScopeItem,
    Status, WorkEntry,
};
use crate::config::{Config, JiraConfig};
use crate::content::{CapabilityDraft, Content};
use crate::diagnostics::Diagnostic;
use crate::jira::{JiraData, StatusCategory, WorkItem};
use crate::scan::Evidence;
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
        jira,
        built,
        today,
    } = sources;
    let jira_config = config.jira.clone().unwrap_or_default();
    let index = WorkIndex::new(&jira.items);
    let (mut links, mut diagnostics) =
        link::link(&content.capabilities, &index, &jira.items, &jira_config);
    let mut capabilities = Vec::with_capacity(content.capabilities.len());
    for draft in &content.capabilities {
        let ev = evidence.remove(&draft.id).unwrap_or_default();
        let linked = links.remove(&draft.id).unwrap_or_default();
        let cap = capability(
            draft,
            ev,
            &linked,
            &index,
            config,
            &jira_config,
            &built,
            today,
        );
        if cap.status == Status::Unverified {
            diagnostics.push(
                Diagnostic::warning(draft.source.clone(), format!("`{}` is claimed {} but no code evidence was found", draft.id, claim_word(draft.claim)))
                    .with_hint("add a `capability:` marker comment or an evidence matcher that finds the code, or remove the claim"),
            );
        }
        capabilities.push(cap);
    }
    add_related(&mut capabilities, &content.capabilities, &mut diagnostics);
    let catalog = Catalog {
        title: config.site.title.clone(),
        description: site_description(config),
        base_url: config.site.base_url.trim_end_matches('/').to_string(),
        built,
        today: crate::dates::iso(today),
        roadmap_as_of: jira.snapshot_as_of.clone(),
        capabilities,
        home: content.home,
        pages: content.pages,
    };
    (catalog, diagnostics)
}

fn claim_word(c: Option<Claim>) -> &'static str {
    match c {
        Some(Claim::Beta) => "beta",
        _ => "available",
    }
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

#[allow(clippy::too_many_arguments)]
fn capability(
    draft: &CapabilityDraft,
    mut evidence: Vec<Evidence>,
    linked: &Linked<'_>,
    index: &WorkIndex<'_>,
    config: &Config,
    jira: &JiraConfig,
    built: &BuildInfo,
    today: Date,
) -> Capability {
    evidence.sort();
    evidence.dedup();
    let work: Vec<WorkEntry> = linked
        .work
        .iter()
        .map(|(item, by)| work_entry(item, *by, index, jira))
        .collect();
    let derived = derive::derive(&Inputs {
        claim: draft.claim,
        evidence: &evidence,
        work: &work,
        requests: linked.requests.len(),
        today,
    });
    let demand = demand(&linked.requests, jira, config.demand.unicorn_max_accounts);
    Capability {
        id: draft.id.clone(),
        title: draft.title.clone(),
        summary: draft.summary.clone(),
        category: draft.category.clone(),
        aliases: draft.aliases.clone(),
        plans: draft.plans.clone(),
        redirect_from: draft.redirect_from.clone(),
        public: draft.public,
        claim: draft.claim,
        source: draft.source.to_string_lossy().replace('\\', "/"),
        status: derived.status,
        answer: derived.answer,
        answer_public: derived.answer_public,
        why: derived.why,
        why_details: derived.why_details,
        promise: derived.promise,
        risks: derived.risks,
        target: derived.target,
        evidence: evidence
            .into_iter()
            .map(|e| evidence_record(e, config, built))
            .collect(),
        work,
        demand,
        body_html: draft.body_html.clone(),
        body_text: draft.body_text.clone(),
        related: Vec::new(),
    }
}

fn evidence_record(evidence: Evidence, config: &Config, built: &BuildInfo) -> EvidenceRecord {
    let template = &config.code.link;
    let url = (!template.is_empty()).then(|| {
        template
            .replace("{commit}", built.commit.as_deref().unwrap_or("HEAD"))
            .replace("{path}", &evidence.path)
            .replace("{line}", &evidence.line.to_string())
    });
    EvidenceRecord { evidence, url }
}

fn browse_url(jira: &JiraConfig, key: &str) -> Option<String> {
    (!jira.browse_url.is_empty()).then(|| jira.browse_url.replace("{key}", key))
}

fn work_entry(
    item: &WorkItem,
    by: LinkedBy,
    index: &WorkIndex<'_>,
    jira: &JiraConfig,
) -> WorkEntry {
    let children: Vec<&WorkItem> = index
        .children(&item.key)
        .iter()
        .copied()
        .filter(|c| !link::is_request(c, jira))
        .collect();
    let progress = Progress {
        done: children
            .iter()
            .filter(|c| c.category == StatusCategory::Done)
            .count(),
        total: children.len(),
    };
    let mut blocked_by: Vec<String> = item
        .links
        .iter()
        .filter(|l| {
            l.blocks_this
                && index.category_of(&l.other_key, l.other_category) != StatusCategory::Done
        })
        .map(|l| l.other_key.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    blocked_by.sort();
    let scope = children
        .iter()
        .map(|c| ScopeItem {
            key: c.key.clone(),
            summary: c.summary.clone(),
            issue_type: c.issue_type.clone(),
            status: c.status.clone(),
            category: c.category.as_str(),
            story_points: c.story_points,
            url: browse_url(jira, &c.key),
        })
        .collect();
    let mut fix_versions: Vec<String> = item.fix_versions.iter().map(|v| v.name.clone()).collect();
    fix_versions.sort();
    WorkEntry {
        key: item.key.clone(),
        summary: item.summary.clone(),
        issue_type: item.issue_type.clone(),
        status: item.status.clone(),
        category: item.category.as_str(),
        resolution: item.resolution.clone(),
        due: item.due.clone().or_else(|| earliest_release(item)),
        created: item.created.clone(),
        fix_versions,
        progress,
        blocked_by,
        url: browse_url(jira, &item.key),
        linked_by: by.as_str(),
        scope,
    }
}

/// An item without a due date is due when its earliest fix version is released.
fn earliest_release(item: &WorkItem) -> Option<String> {
    item.fix_versions
        .iter()
        .filter(|v| v.released != Some(true))
        .filter_map(|v| v.release_date.clone())
        .min()
}

fn demand(
    requests: &[(&WorkItem, LinkedBy)],
    jira: &JiraConfig,
    unicorn_max: usize,
) -> Option<Demand> {
    if requests.is_empty() {
        return None;
    }
    let mut list: Vec<Request> = requests
        .iter()
        .map(|(r, _)| Request {
            key: r.key.clone(),
            summary: r.summary.clone(),
            account: r.account.clone().filter(|a| !a.trim().is_empty()),
            amount: r.amount,
            lost_reason: r.lost_reason.clone().filter(|a| !a.trim().is_empty()),
            url: browse_url(jira, &r.key),
        })
        .collect();
    list.sort_by(|a, b| (&a.account, &a.key).cmp(&(&b.account, &b.key)));
    let accounts: BTreeSet<&str> = list.iter().filter_map(|r| r.account.as_deref()).collect();
    let amount = list.iter().filter_map(|r| r.amount).sum();
    Some(Demand {
        accounts: accounts.len(),
        amount,
        unicorn: accounts.len() <= unicorn_max,
        requests: list,
    })
}

/// Related: the ids named in front matter first, then others of the same
/// category, up to five.
fn add_related(
    caps: &mut [Capability],
    drafts: &[CapabilityDraft],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let ids: BTreeSet<String> = caps.iter().map(|c| c.id.clone()).collect();
    let by_category: BTreeMap<String, Vec<(String, String)>> =
        caps.iter().fold(BTreeMap::new(), |mut m, c| {
            m.entry(c.category.clone())
                .or_default()
                .push((c.title.to_lowercase(), c.id.clone()));
            m
        });
    for (cap, draft) in caps.iter_mut().zip(drafts) {
        let mut related: Vec<String> = Vec::new();
        for r in &draft.related {
            if ids.contains(r) && r != &cap.id {
                related.push(r.clone());
            } else {
                diagnostics.push(
                    Diagnostic::warning(
                        draft.source.clone(),
                        format!("related capability `{r}` does not exist"),
                    )
                    .with_hint("name the id (file name) of another capability"),
                );
            }
        }
        let mut same: Vec<&(String, String)> = by_category
            .get(&cap.category)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        same.sort();
        for (_, id) in same {
            if related.len() >= 5 {
                break;
            }
            if id != &cap.id && !related.contains(id) {
                related.push(id.clone());
            }
        }
        cap.related = related;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jira::{HierarchyLevel, IssueLink, LinkDirection};
    use std::path::PathBuf;

    fn draft(id: &str, jira: &[&str]) -> CapabilityDraft {
        CapabilityDraft {
            id: id.into(),
            source: PathBuf::from(format!("content/capabilities/{id}.md")),
            title: id.into(),
            summary: "s".into(),
            category: "C".into(),
            aliases: vec![],
            redirect_from: vec![],
            redirect_from_line: 1,
            claim: None,
            public: true,
            matchers: Default::default(),
            jira: jira.iter().map(|s| s.to_string()).collect(),
            plans: vec![],
            related: vec![],
            body_html: String::new(),
            body_text: String::new(),
        }
    }

    fn item(key: &str, issue_type: &str, category: StatusCategory) -> WorkItem {
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

    fn child(key: &str, parent: &str, category: StatusCategory) -> WorkItem {
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
            jira: JiraData {
                items,
                ..Default::default()
            },
            built: BuildInfo {
                commit: None,
                date: "2026-11-21".into(),
            },
            today: crate::dates::parse_iso_date("2026-11-21").unwrap(),
        })
    }

    #[test]
    fn explicit_epic_with_children_and_blocker() {
        let mut epic = item("HBR-1", "Epic", StatusCategory::InProgress);
        epic.due = Some("2027-03-15".into());
        epic.links = vec![
            IssueLink {
                link_type: "Blocks".into(),
                direction: LinkDirection::Inward,
                other_key: "HBR-9".into(),
                blocks_this: true,
                other_category: None,
            },
            IssueLink {
                link_type: "Blocks".into(),
                direction: LinkDirection::Inward,
                other_key: "HBR-8".into(),
                blocks_this: true,
                other_category: None,
            },
        ];
        let items = vec![
            epic,
            child("HBR-2", "HBR-1", StatusCategory::Done),
            child("HBR-3", "HBR-1", StatusCategory::Todo),
            item("HBR-8", "Task", StatusCategory::Done),
            item("HBR-9", "Task", StatusCategory::Todo),
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

    #[test]
    fn labels_and_requests_make_demand() {
        let mut r1 = item("HBR-20", "Feature Request", StatusCategory::Todo);
        r1.labels = vec!["cap:usage".into()];
        r1.account = Some("Globex".into());
        r1.amount = Some(1000.0);
        let mut r2 = item("HBR-21", "Feature Request", StatusCategory::Todo);
        r2.labels = vec!["cap:usage".into(), "cap:usaeg".into()];
        r2.account = Some("Initech".into());
        r2.amount = Some(500.0);
        let (cat, diags) = run(vec![draft("usage", &[])], vec![r1, r2]);
        let c = &cat.capabilities[0];
        assert_eq!(c.status, Status::Considering);
        let d = c.demand.as_ref().unwrap();
        assert_eq!((d.accounts, d.amount, d.unicorn), (2, 1500.0, false));
        assert!(c.work.is_empty());
        assert_eq!(diags.len(), 1, "orphan label warned: {diags:?}");
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `cap:usage`")
        );
    }

    #[test]
    fn requests_under_a_linked_epic_count_and_unknown_keys_warn() {
        let epic = item("HBR-1", "Epic", StatusCategory::Done);
        let mut req = item("HBR-5", "Feature Request", StatusCategory::Todo);
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
