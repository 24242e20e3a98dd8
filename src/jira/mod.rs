//! Jira ingestion: CSV, XML (RSS) and REST JSON exports, and the REST API,
//! all turned into one [`WorkItem`] model (docs/jira.md). [`load`] only
//! parses files; [`api`] is the network pull that writes a snapshot file.

use crate::diagnostics::Diagnostic;
pub use crate::model::WorkCategory;
use serde::{Deserialize, Serialize};

pub mod api;
pub mod csv;
pub mod dates;
pub mod json;
pub mod markup;
pub mod truth;
pub mod xml;

/// Where an issue type sits in Jira's hierarchy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum HierarchyLevel {
    /// Level -1.
    Subtask,
    /// Level 0: story, task, bug…
    #[default]
    Standard,
    /// Level 1.
    Epic,
    /// Level 2 and up (initiatives…).
    Above,
}

/// A fix version of an issue.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FixVersion {
    /// Version name.
    pub name: String,
    /// Whether the version is released, where the source says.
    pub released: Option<bool>,
    /// Release date, ISO `YYYY-MM-DD`.
    pub release_date: Option<String>,
}

/// Direction of a link as seen from the issue holding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkDirection {
    /// "this issue <inward text> other", e.g. "is blocked by".
    Inward,
    /// "this issue <outward text> other", e.g. "blocks".
    Outward,
}

/// A link from this issue to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct IssueLink {
    /// Link type name (`Blocks`, `Blocker`, `Relates`…).
    pub link_type: String,
    /// Direction as seen from this issue.
    pub direction: LinkDirection,
    /// Key of the other issue.
    pub other_key: String,
    /// True when the other issue blocks this one (inward blocking link).
    pub blocks_this: bool,
    /// True when this issue depends on the other (a "depends on" link).
    #[serde(default)]
    pub depends_on: bool,
    /// Status category of the other issue where the source embeds it.
    pub other_category: Option<WorkCategory>,
}

/// One Jira issue, whatever source it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Issue key, trimmed (`SHOP-120`).
    pub key: String,
    /// Numeric issue id, where known.
    pub id: Option<String>,
    /// Summary line.
    pub summary: String,
    /// Issue type name (`Epic`, `Story`, `Feature Request`…).
    pub issue_type: String,
    /// Hierarchy level.
    pub level: HierarchyLevel,
    /// Status name as shown in Jira.
    pub status: String,
    /// Status category.
    pub category: WorkCategory,
    /// Resolution name (`Done`, `Won't Do`…), None when unresolved.
    pub resolution: Option<String>,
    /// Labels.
    pub labels: Vec<String>,
    /// Components.
    pub components: Vec<String>,
    /// Fix versions.
    pub fix_versions: Vec<FixVersion>,
    /// Due date, ISO.
    pub due: Option<String>,
    /// Created timestamp, ISO 8601.
    pub created: Option<String>,
    /// Updated timestamp, ISO 8601.
    pub updated: Option<String>,
    /// Resolved timestamp, ISO 8601.
    pub resolved: Option<String>,
    /// Parent issue key.
    pub parent: Option<String>,
    /// Epic key (Epic Link), where distinct from the parent.
    pub epic: Option<String>,
    /// Links to other issues.
    pub links: Vec<IssueLink>,
    /// Story points.
    pub story_points: Option<f64>,
    /// Requesting account (`[jira] account_field`).
    pub account: Option<String>,
    /// Money at stake (`[jira] amount_field`).
    pub amount: Option<f64>,
    /// Lost-deal note (`[jira] lost_field`).
    pub lost_reason: Option<String>,
    /// The sales engineer's diagnosis (`[jira] truth_field`, else the latest
    /// comment starting with `[jira] truth_prefix`).
    #[serde(default)]
    pub truth: Option<String>,
    /// Description as sanitized HTML.
    pub description_html: Option<String>,
}

/// Everything loaded from the configured Jira sources.
#[derive(Debug, Clone, Default)]
pub struct JiraData {
    /// All issues, sorted by key, one per key.
    pub items: Vec<WorkItem>,
    /// Set when the data comes from an offline snapshot: its date.
    pub snapshot_as_of: Option<time::Date>,
    /// Warnings (unknown status categories, ambiguous columns…).
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}

/// Reads a category from a REST key (`new`, `indeterminate`, `done`), a
/// category name as CSV exports write it (`To Do`, `In Progress`, `Done`,
/// Spanish `Por hacer`, `En curso`, `Listo`…) or a config value
/// (`todo`, `in-progress`, `done`).
pub fn parse_category(s: &str) -> Option<WorkCategory> {
    let lower = s.trim().to_lowercase();
    let cat = match lower.as_str() {
        "new"
        | "to do"
        | "todo"
        | "por hacer"
        | "pendiente"
        | "à faire"
        | "a faire"
        | "zu erledigen"
        | "сделать"
        | "к выполнению" => WorkCategory::Todo,
        "indeterminate" | "in progress" | "in-progress" | "en curso" | "en progreso"
        | "en cours" | "in arbeit" | "в работе" => WorkCategory::InProgress,
        "done" | "listo" | "hecho" | "finalizado" | "finalizada" | "terminé" | "fertig"
        | "готово" => WorkCategory::Done,
        "undefined" | "no category" => WorkCategory::Unknown,
        _ => return None,
    };
    Some(cat)
}

impl HierarchyLevel {
    /// From a REST `hierarchyLevel` (-1, 0, 1, 2…).
    pub fn from_level(level: i64) -> HierarchyLevel {
        match level {
            i64::MIN..=-1 => HierarchyLevel::Subtask,
            0 => HierarchyLevel::Standard,
            1 => HierarchyLevel::Epic,
            _ => HierarchyLevel::Above,
        }
    }

    /// Guessed from an issue type name where the export carries no level
    /// (CSV, XML): English, Spanish and Russian names of Jira's default types.
    pub fn from_type_name(name: &str) -> HierarchyLevel {
        let lower = name.trim().to_lowercase();
        match lower.as_str() {
            "epic" | "épica" | "epica" | "эпик" | "épique" => HierarchyLevel::Epic,
            "sub-task" | "subtask" | "sub-tarea" | "subtarea" | "подзадача" | "sous-tâche"
            | "bug sub-task" | "technical sub-task" => HierarchyLevel::Subtask,
            "initiative" | "iniciativa" | "инициатива" | "theme" => HierarchyLevel::Above,
            _ => HierarchyLevel::Standard,
        }
    }
}

/// Reads every Jira file of the configuration: the `[jira.api]` snapshot
/// (when the API is configured) and every `[jira] sources` file. Parse only:
/// pulling from the API is [`api::pull`], run before this by the pipeline.
/// With `offline`, the snapshot's date is kept in [`JiraData::snapshot_as_of`]
/// so every page can say the roadmap data may be old.
pub fn load(
    config: &crate::config::Config,
    offline: bool,
) -> Result<JiraData, Vec<crate::diagnostics::Diagnostic>> {
    let Some(jira) = &config.jira else {
        return Ok(JiraData::default());
    };
    let settings = Settings::from_config(jira, &config.path).map_err(|d| vec![d])?;
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut snapshot_as_of = None;
    if let Some(api_config) = &jira.api {
        let snapshot = config.resolve(&api_config.snapshot);
        if offline {
            snapshot_as_of = Some(snapshot_as_of_date(&snapshot)?);
        }
        files.push(snapshot);
    }
    files.extend(jira.sources.iter().map(|p| config.resolve(p)));
    let mut data = load_files(&files, &settings)?;
    data.snapshot_as_of = snapshot_as_of;
    Ok(data)
}

fn snapshot_as_of_date(snapshot: &std::path::Path) -> Result<time::Date, Vec<Diagnostic>> {
    let text = api::snapshot_date(snapshot).map_err(|d| vec![d])?;
    crate::model::date::parse_iso_date(&text).ok_or_else(|| {
        vec![
            Diagnostic::error(
                snapshot.to_path_buf(),
                format!("the Jira snapshot's date `{text}` is not a YYYY-MM-DD date"),
            )
            .with_hint("run `capcat jira pull` again to rewrite the snapshot"),
        ]
    })
}

/// Loads the given export files (CSV, XML, REST JSON; several pages of one
/// search may be given as several files) into one [`JiraData`].
pub fn load_files(
    files: &[std::path::PathBuf],
    settings: &Settings,
) -> Result<JiraData, Vec<crate::diagnostics::Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut parsed = Vec::new();
    let mut json_docs = Vec::new();
    let mut meta = json::Metadata::default();
    for path in files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                errors.push(
                    Diagnostic::error(path.clone(), format!("cannot read the Jira export: {e}"))
                        .with_hint(
                            "check `[jira] sources` in catalog.toml; paths are relative to it",
                        ),
                );
                continue;
            }
        };
        let result = match SourceKind::detect(path, &bytes) {
            SourceKind::Csv => csv::parse(path, &bytes, settings),
            SourceKind::Xml => xml::parse(path, &bytes, settings),
            SourceKind::Json => match json::parse_document(path, &bytes, &mut meta) {
                Ok(Some(doc)) => {
                    json_docs.push(doc);
                    continue;
                }
                Ok(None) => continue,
                Err(d) => Err(vec![d]),
            },
        };
        match result {
            Ok(file) => {
                warnings.extend(file.warnings);
                if parsed.is_empty() {
                    parsed = file.items;
                } else {
                    parsed.extend(file.items);
                }
            }
            Err(ds) => errors.extend(ds),
        }
    }
    warnings.append(&mut meta.warnings);
    for doc in &json_docs {
        let file = json::convert(doc, &meta, settings);
        warnings.extend(file.warnings);
        parsed.extend(file.items);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (items, more) = finish(parsed, settings, &meta);
    warnings.extend(more);
    Ok(JiraData {
        items,
        snapshot_as_of: None,
        diagnostics: warnings,
    })
}

/// The `[jira]` settings every reader needs, prepared once: lower-cased link
/// type names, the compiled date format, the status map, header extras.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Custom field naming the requesting account.
    pub account_field: String,
    /// Custom field holding the money at stake.
    pub amount_field: String,
    /// Custom field holding the lost-deal note.
    pub lost_field: String,
    /// Custom field holding the technical truth.
    pub truth_field: String,
    /// Comment prefix marking the technical truth.
    pub truth_prefix: String,
    /// Lower-cased link type names meaning "blocks".
    pub blocking_types: Vec<String>,
    /// Lower-cased link type names whose outward link means "depends on".
    pub dependency_types: Vec<String>,
    /// `[jira] date_format`, compiled.
    pub date_format: Option<dates::DateFormat>,
    /// Lower-cased extra CSV header → concept.
    pub columns: Vec<(String, csv::Concept)>,
    /// Lower-cased status name → category.
    pub status_categories: std::collections::HashMap<String, WorkCategory>,
    /// What an issue key must look like (`[jira] key_pattern`, anchored).
    pub key_pattern: Option<regex::Regex>,
}

impl Settings {
    /// Prepares the settings; a bad `date_format` or `[jira.columns]` concept is
    /// an error about `config_path`.
    pub fn from_config(
        jira: &crate::config::JiraConfig,
        config_path: &std::path::Path,
    ) -> Result<Settings, Diagnostic> {
        let bad = |message: String, hint: &str| {
            Diagnostic::error(config_path.to_path_buf(), message).with_hint(hint)
        };
        let date_format = if jira.date_format.trim().is_empty() {
            None
        } else {
            Some(dates::DateFormat::parse(&jira.date_format).map_err(|e| {
                bad(
                    format!("[jira] date_format `{}`: {e}", jira.date_format),
                    "use %d %m %b %y %Y %H %I %M %S %p, e.g. \"%d/%m/%Y %H:%M\"",
                )
            })?)
        };
        let mut columns = Vec::new();
        for (header, concept) in &jira.columns {
            let c = csv::Concept::from_config(concept).ok_or_else(|| {
                bad(
                    format!("[jira.columns] \"{header}\" maps to unknown concept `{concept}`"),
                    csv::Concept::CONFIG_HELP,
                )
            })?;
            columns.push((header.trim().to_lowercase(), c));
        }
        let key_pattern =
            regex::Regex::new(&format!("^(?:{})$", jira.key_pattern)).map_err(|e| {
                bad(
                    format!(
                        "[jira] key_pattern `{}` is not a valid regular expression: {e}",
                        jira.key_pattern
                    ),
                    "write it as a regular expression such as \"[A-Z][A-Z0-9_]*-[0-9]+\"",
                )
            })?;
        let status_categories = jira
            .status_categories
            .iter()
            .filter_map(|(k, v)| Some((k.trim().to_lowercase(), parse_category(v)?)))
            .collect();
        Ok(Settings {
            account_field: jira.account_field.trim().to_string(),
            amount_field: jira.amount_field.trim().to_string(),
            lost_field: jira.lost_field.trim().to_string(),
            truth_field: jira.truth_field.trim().to_string(),
            truth_prefix: jira.truth_prefix.trim().to_string(),
            blocking_types: lower_names(&jira.blocking_link_types),
            dependency_types: lower_names(&jira.dependency_link_types),
            date_format,
            columns,
            status_categories,
            key_pattern: Some(key_pattern),
        })
    }

    /// True when a link of type `name` in inward direction means "is blocked by".
    pub fn is_blocking_type(&self, name: &str) -> bool {
        self.blocking_types.iter().any(|t| same_name(t, name))
    }

    /// True when a link of type `name` in outward direction means "depends on".
    pub fn is_dependency_type(&self, name: &str) -> bool {
        self.dependency_types.iter().any(|t| same_name(t, name))
    }
}

fn lower_names(names: &[String]) -> Vec<String> {
    names.iter().map(|t| t.trim().to_lowercase()).collect()
}

/// What a reader produced from one file.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Issues, with references still to resolve.
    pub items: Vec<Parsed>,
    /// Warnings about the file.
    pub warnings: Vec<Diagnostic>,
}

/// One issue as read, before cross-file resolution.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The issue.
    pub item: WorkItem,
    /// Parent given only by numeric issue id (CSV `Parent`), resolved to a key later.
    pub parent_id: Option<String>,
    /// The file it came from, for warnings.
    pub file: std::path::PathBuf,
    /// Its line in that file, where the format has lines (CSV rows).
    pub line: Option<usize>,
}

impl Parsed {
    /// Wraps an item read from `file`.
    pub fn new(item: WorkItem, file: &std::path::Path) -> Parsed {
        Parsed {
            item,
            parent_id: None,
            file: file.to_path_buf(),
            line: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceKind {
    Csv,
    Json,
    Xml,
}

impl SourceKind {
    /// By extension, else by the first significant byte.
    fn detect(path: &std::path::Path, bytes: &[u8]) -> SourceKind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => return SourceKind::Csv,
            Some("json") => return SourceKind::Json,
            Some("xml" | "rss") => return SourceKind::Xml,
            _ => {}
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') => SourceKind::Json,
            Some(b'<') => SourceKind::Xml,
            _ => SourceKind::Csv,
        }
    }
}

/// Cross-file resolution: one item per key (the most recently updated wins,
/// the earlier file on a tie), parent ids to keys, status categories from the
/// configuration, blocking link types, linked issues' categories from the
/// export, sorted by key.
///
/// Works on a sorted index rather than maps of items, so 100,000 issues are
/// neither copied nor re-hashed.
fn finish(
    parsed: Vec<Parsed>,
    settings: &Settings,
    meta: &json::Metadata,
) -> (Vec<WorkItem>, Vec<Diagnostic>) {
    let (parsed, mut warnings) = drop_bad_keys(parsed, settings);
    let mut order: Vec<usize> = (0..parsed.len()).collect();
    order.sort_by(|a, b| key_order(&parsed[*a].item.key, &parsed[*b].item.key));
    let mut keep: Vec<usize> = Vec::with_capacity(order.len());
    for i in order {
        match keep.last_mut() {
            Some(last) if parsed[*last].item.key == parsed[i].item.key => {
                if parsed[i].item.updated > parsed[*last].item.updated {
                    *last = i;
                }
            }
            _ => keep.push(i),
        }
    }
    let mut slots: Vec<Option<Parsed>> = parsed.into_iter().map(Some).collect();
    let mut kept: Vec<Parsed> = keep.iter().filter_map(|i| slots[*i].take()).collect();
    drop(slots);
    resolve_parent_ids(&mut kept);
    warnings.extend(apply_status_map(&mut kept, settings, meta));
    let mut items: Vec<WorkItem> = kept.into_iter().map(|p| p.item).collect();
    resolve_links(&mut items, settings, meta);
    (items, warnings)
}

/// Issues whose key is not a Jira key are left out with a warning: a key
/// becomes a link, and `javascript:alert(1)//HBR-1` must never be one.
fn drop_bad_keys(parsed: Vec<Parsed>, settings: &Settings) -> (Vec<Parsed>, Vec<Diagnostic>) {
    let Some(pattern) = &settings.key_pattern else {
        return (parsed, Vec::new());
    };
    let mut warnings = Vec::new();
    let kept = parsed
        .into_iter()
        .filter(|p| {
            let ok = pattern.is_match(&p.item.key);
            if !ok {
                let mut d = Diagnostic::warning(
                    p.file.clone(),
                    format!("`{}` is not a Jira issue key; the issue is left out", p.item.key),
                )
                .with_hint("keys look like SHOP-120; if yours differ, set [jira] key_pattern in catalog.toml");
                d.line = p.line;
                warnings.push(d);
            }
            ok
        })
        .collect();
    (kept, warnings)
}

/// CSV `Parent` holds the parent's issue id: turn it into a key.
fn resolve_parent_ids(kept: &mut [Parsed]) {
    if !kept
        .iter()
        .any(|p| p.item.parent.is_none() && p.parent_id.is_some())
    {
        return;
    }
    let id_to_key: std::collections::HashMap<String, String> = kept
        .iter()
        .filter_map(|p| Some((p.item.id.clone()?, p.item.key.clone())))
        .collect();
    for p in kept.iter_mut() {
        if p.item.parent.is_none()
            && let Some(id) = &p.parent_id
        {
            p.item.parent = id_to_key.get(id).cloned();
        }
    }
}

/// Categories from `[jira.status_categories]` or a `/status` list where the
/// source had none; one warning per file for the statuses still unknown.
fn apply_status_map(
    kept: &mut [Parsed],
    settings: &Settings,
    meta: &json::Metadata,
) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut unknown: BTreeMap<&std::path::Path, BTreeMap<String, usize>> = BTreeMap::new();
    for p in kept.iter_mut() {
        if p.item.category != WorkCategory::Unknown {
            continue;
        }
        let status = p.item.status.trim().to_lowercase();
        match settings
            .status_categories
            .get(&status)
            .or_else(|| meta.status_categories.get(&status))
        {
            Some(c) => p.item.category = *c,
            None => {
                *unknown
                    .entry(p.file.as_path())
                    .or_default()
                    .entry(p.item.status.clone())
                    .or_default() += 1
            }
        }
    }
    unknown
        .into_iter()
        .map(|(file, statuses)| unknown_status_warning(file.to_path_buf(), &statuses))
        .collect()
}

/// Marks blocking and dependency links by type name, and fills in the other issue's category
/// from the export (items are sorted by key, so a binary search finds it).
fn resolve_links(items: &mut [WorkItem], settings: &Settings, meta: &json::Metadata) {
    let mut updates: Vec<(usize, usize, bool, bool, Option<WorkCategory>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        for (j, link) in item.links.iter().enumerate() {
            let blocks = link.direction == LinkDirection::Inward
                && (settings.is_blocking_type(&link.link_type)
                    || meta
                        .blocking_types
                        .iter()
                        .any(|t| same_name(t, &link.link_type)));
            let depends = link.direction == LinkDirection::Outward
                && settings.is_dependency_type(&link.link_type);
            let category = items
                .binary_search_by(|other| key_order(&other.key, &link.other_key))
                .ok()
                .map(|k| items[k].category);
            if blocks || depends || category.is_some() {
                updates.push((i, j, blocks, depends, category));
            }
        }
    }
    for (i, j, blocks, depends, category) in updates {
        let link = &mut items[i].links[j];
        link.blocks_this |= blocks;
        link.depends_on |= depends;
        if category.is_some() {
            link.other_category = category;
        }
    }
}

/// Case-insensitive name comparison without allocating for ASCII names.
fn same_name(lower: &str, name: &str) -> bool {
    let name = name.trim();
    if name.is_ascii() {
        lower.eq_ignore_ascii_case(name)
    } else {
        *lower == name.to_lowercase()
    }
}

fn unknown_status_warning(
    file: std::path::PathBuf,
    statuses: &std::collections::BTreeMap<String, usize>,
) -> Diagnostic {
    let list: Vec<String> = statuses
        .iter()
        .map(|(s, n)| format!("`{s}` ({n} issues)"))
        .collect();
    let example = statuses.keys().next().map_or("Open", String::as_str);
    Diagnostic::warning(
        file,
        format!(
            "no status category for {}: the export has no Status Category column, so these issues count as neither open nor done",
            list.join(", ")
        ),
    )
    .with_hint(format!(
        "export with the Status Category column (Jira Cloud), or map each status in catalog.toml, e.g. [jira.status_categories] \"{example}\" = \"todo\" (todo | in-progress | done)"
    ))
}

/// Orders `CR-9` before `CR-10`: project prefix, then issue number.
pub fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn split(k: &str) -> (&str, u64) {
        match k.rsplit_once('-') {
            Some((p, n)) => (p, n.parse().unwrap_or(u64::MAX)),
            None => (k, u64::MAX),
        }
    }
    split(a).cmp(&split(b)).then_with(|| a.cmp(b))
}

/// Trims a key read from an export (`HAMA-895 ` → `HAMA-895`); None when empty.
pub fn clean_key(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parses a money amount as exports write it: `120000`, `120,000`,
/// `$120,000.00`, `1.234,56 €`.
pub fn parse_amount(s: &str) -> Option<f64> {
    let kept: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        .collect();
    if !kept.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let normalized = match (kept.rfind('.'), kept.rfind(',')) {
        (Some(d), Some(c)) if c > d => kept.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => kept.replace(',', ""),
        (None, Some(c)) if kept.len() - c - 1 == 3 => kept.replace(',', ""),
        (None, Some(_)) => kept.replace(',', "."),
        _ => kept,
    };
    normalized.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_from_every_spelling() {
        assert_eq!(parse_category("new"), Some(WorkCategory::Todo));
        assert_eq!(parse_category("To Do"), Some(WorkCategory::Todo));
        assert_eq!(parse_category("Por hacer"), Some(WorkCategory::Todo));
        assert_eq!(parse_category("En curso"), Some(WorkCategory::InProgress));
        assert_eq!(
            parse_category("indeterminate"),
            Some(WorkCategory::InProgress)
        );
        assert_eq!(
            parse_category("in-progress"),
            Some(WorkCategory::InProgress)
        );
        assert_eq!(parse_category("Done"), Some(WorkCategory::Done));
        assert_eq!(parse_category("Listo"), Some(WorkCategory::Done));
        assert_eq!(parse_category("Reviewing"), None);
    }

    #[test]
    fn keys_sort_naturally() {
        let mut keys = vec!["CR-10", "CR-9", "AB-100", "CR-100"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, ["AB-100", "CR-9", "CR-10", "CR-100"]);
        assert_eq!(clean_key("HAMA-895 ").as_deref(), Some("HAMA-895"));
        assert_eq!(clean_key("  "), None);
    }

    #[test]
    fn amounts_in_common_spellings() {
        assert_eq!(parse_amount("120000"), Some(120000.0));
        assert_eq!(parse_amount("$120,000.00"), Some(120000.0));
        assert_eq!(parse_amount("120,000"), Some(120000.0));
        assert_eq!(parse_amount("1.234,56 €"), Some(1234.56));
        assert_eq!(parse_amount("12,5"), Some(12.5));
        assert_eq!(parse_amount("n/a"), None);
    }

    #[test]
    fn garbage_never_panics() {
        let settings = Settings::default();
        let dir = tempfile::tempdir().unwrap();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for round in 0..200 {
            let len = (round * 37) % 900;
            let mut bytes = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Bias towards the characters the readers care about.
                let alphabet = b",\"\n\r{}[]<>:/-'&;#*_ aZ09\xEF\xBB\xBF\xD0\x98";
                bytes.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            for ext in ["csv", "json", "xml"] {
                let path = dir.path().join(format!("g{round}.{ext}"));
                let mut content = match ext {
                    "csv" => b"Issue key,Created,Labels,Inward issue link (Blocks),Description\n"
                        .to_vec(),
                    "json" => b"{\"issues\":[".to_vec(),
                    _ => b"<rss><channel><item>".to_vec(),
                };
                content.extend_from_slice(&bytes);
                std::fs::write(&path, &content).unwrap();
                let _ = load_files(&[path], &settings);
            }
        }
    }

    #[test]
    fn dependency_link_types_count_outward_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        std::fs::write(
            &path,
            "Issue key,Outward issue link (Depends),Inward issue link (Depends),Outward issue link (Relates)\nA-1,B-1,B-2,B-3\n",
        )
        .unwrap();
        let settings = Settings::from_config(
            &crate::config::JiraConfig::default(),
            std::path::Path::new("catalog.toml"),
        )
        .unwrap();
        let data = load_files(&[path], &settings).unwrap();
        let depends: Vec<(&str, bool)> = data.items[0]
            .links
            .iter()
            .map(|l| (l.other_key.as_str(), l.depends_on))
            .collect();
        assert_eq!(depends, [("B-1", true), ("B-2", false), ("B-3", false)]);
    }

    #[test]
    fn hierarchy_levels() {
        assert_eq!(HierarchyLevel::from_level(-1), HierarchyLevel::Subtask);
        assert_eq!(HierarchyLevel::from_level(2), HierarchyLevel::Above);
        assert_eq!(
            HierarchyLevel::from_type_name("Sub-task"),
            HierarchyLevel::Subtask
        );
        assert_eq!(HierarchyLevel::from_type_name("Epic"), HierarchyLevel::Epic);
        assert_eq!(
            HierarchyLevel::from_type_name("Story"),
            HierarchyLevel::Standard
        );
    }
}
