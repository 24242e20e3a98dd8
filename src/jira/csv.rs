//! "Export Excel CSV" (all fields / current fields), Jira Cloud and
//! Server/Data Center, in English, Spanish or Russian.
//!
//! Headers are display names in the exporter's language and repeat for
//! multi-value fields, so columns are mapped to concepts by name through an
//! alias table (plus `[jira.columns]`), never by position.

use super::dates::{self, Stamp};
use super::{
    FixVersion, HierarchyLevel, IssueLink, LinkDirection, Parsed, ParsedFile, Settings,
    WorkCategory, WorkItem, clean_key, markup, parse_amount, parse_category, truth,
};
use crate::diagnostics::Diagnostic;
use rayon::prelude::*;
use std::path::Path;

/// Records converted together.
const BATCH: usize = 4096;
/// Errors reported per file before giving up on it.
const MAX_ERRORS: usize = 20;

/// What a CSV column means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Concept {
    /// Issue key.
    Key,
    /// Numeric issue id.
    Id,
    /// Summary.
    Summary,
    /// Issue type name.
    Type,
    /// Status name.
    Status,
    /// Status category name.
    Category,
    /// Resolution.
    Resolution,
    /// Labels (repeated).
    Labels,
    /// Components (repeated).
    Components,
    /// Fix versions (repeated).
    FixVersions,
    /// Due date.
    Due,
    /// Created.
    Created,
    /// Updated.
    Updated,
    /// Resolved.
    Resolved,
    /// Parent's issue id (Cloud `Parent`, Server `Parent id`).
    ParentId,
    /// Parent's key.
    ParentKey,
    /// Epic Link (epic key).
    Epic,
    /// Description (wiki markup).
    Description,
    /// Story points.
    StoryPoints,
    /// `[jira] account_field`.
    Account,
    /// `[jira] amount_field`.
    Amount,
    /// `[jira] lost_field`.
    Lost,
    /// `[jira] truth_field`.
    Truth,
    /// A comment (repeated), `date;author;body`.
    Comment,
    /// A link column of the given type and direction.
    Link(LinkDirection, String),
}

/// Built-in header aliases, lower-cased: English Cloud and Server/DC, Spanish,
/// Russian.
const ALIASES: &[(&str, Concept)] = &[
    ("issue key", Concept::Key),
    ("key", Concept::Key),
    ("clave de incidencia", Concept::Key),
    ("clave", Concept::Key),
    ("ключ проблемы", Concept::Key),
    ("ключ задачи", Concept::Key),
    ("issue id", Concept::Id),
    ("id de la incidencia", Concept::Id),
    ("summary", Concept::Summary),
    ("resumen", Concept::Summary),
    ("тема", Concept::Summary),
    ("issue type", Concept::Type),
    ("tipo de incidencia", Concept::Type),
    ("тип задачи", Concept::Type),
    ("status", Concept::Status),
    ("estado", Concept::Status),
    ("статус", Concept::Status),
    ("status category", Concept::Category),
    ("categoría de estado", Concept::Category),
    ("категория статуса", Concept::Category),
    ("resolution", Concept::Resolution),
    ("resolución", Concept::Resolution),
    ("решение", Concept::Resolution),
    ("labels", Concept::Labels),
    ("etiquetas", Concept::Labels),
    ("метки", Concept::Labels),
    ("components", Concept::Components),
    ("component/s", Concept::Components),
    ("componentes", Concept::Components),
    ("компоненты", Concept::Components),
    ("fix versions", Concept::FixVersions),
    ("fix version/s", Concept::FixVersions),
    ("versiones de corrección", Concept::FixVersions),
    ("исправить в версиях", Concept::FixVersions),
    ("due date", Concept::Due),
    ("fecha de vencimiento", Concept::Due),
    ("срок исполнения", Concept::Due),
    ("created", Concept::Created),
    ("creada", Concept::Created),
    ("создано", Concept::Created),
    ("updated", Concept::Updated),
    ("actualizada", Concept::Updated),
    ("обновлено", Concept::Updated),
    ("resolved", Concept::Resolved),
    ("resuelta", Concept::Resolved),
    ("дата решения", Concept::Resolved),
    ("parent", Concept::ParentId),
    ("parent id", Concept::ParentId),
    ("principal", Concept::ParentId),
    ("parent key", Concept::ParentKey),
    ("clave principal", Concept::ParentKey),
    ("description", Concept::Description),
    ("descripción", Concept::Description),
    ("описание", Concept::Description),
    ("comment", Concept::Comment),
    ("comentario", Concept::Comment),
    ("комментарий", Concept::Comment),
];

/// Custom-field names (inside `Custom field (…)`) with a fixed meaning.
const CUSTOM_ALIASES: &[(&str, Concept)] = &[
    ("epic link", Concept::Epic),
    ("ссылка на эпик", Concept::Epic),
    ("enlace de épica", Concept::Epic),
    ("story points", Concept::StoryPoints),
    ("story point estimate", Concept::StoryPoints),
];

const CUSTOM_PREFIXES: &[&str] = &[
    "custom field",
    "campo personalizado",
    "пользовательское поле",
];
const INWARD_PREFIXES: &[&str] = &[
    "inward issue link",
    "enlace a la incidencia interna",
    "входящая связь задачи",
];
const OUTWARD_PREFIXES: &[&str] = &[
    "outward issue link",
    "enlace de incidencia saliente",
    "внешняя ссылка на проблему",
];

impl Concept {
    /// Help text listing the concept names `[jira.columns]` accepts.
    pub const CONFIG_HELP: &'static str = "use one of: key, id, summary, type, status, status_category, resolution, labels, components, fix_versions, due, created, updated, resolved, parent_id, parent, epic, description, story_points, account, amount, lost_reason, truth, comment, inward_link:<Type>, outward_link:<Type>";

    /// A `[jira.columns]` value → concept.
    pub fn from_config(name: &str) -> Option<Concept> {
        let n = name.trim();
        if let Some(t) = n.strip_prefix("inward_link:") {
            return Some(Concept::Link(LinkDirection::Inward, t.trim().to_string()));
        }
        if let Some(t) = n.strip_prefix("outward_link:") {
            return Some(Concept::Link(LinkDirection::Outward, t.trim().to_string()));
        }
        Some(match n {
            "key" => Concept::Key,
            "id" => Concept::Id,
            "summary" => Concept::Summary,
            "type" => Concept::Type,
            "status" => Concept::Status,
            "status_category" => Concept::Category,
            "resolution" => Concept::Resolution,
            "labels" => Concept::Labels,
            "components" => Concept::Components,
            "fix_versions" => Concept::FixVersions,
            "due" => Concept::Due,
            "created" => Concept::Created,
            "updated" => Concept::Updated,
            "resolved" => Concept::Resolved,
            "parent_id" => Concept::ParentId,
            "parent" => Concept::ParentKey,
            "epic" => Concept::Epic,
            "description" => Concept::Description,
            "story_points" => Concept::StoryPoints,
            "account" => Concept::Account,
            "amount" => Concept::Amount,
            "lost_reason" => Concept::Lost,
            "truth" => Concept::Truth,
            "comment" => Concept::Comment,
            _ => return None,
        })
    }

    /// A custom field, where same-named columns may be different fields.
    fn is_custom(&self) -> bool {
        matches!(
            self,
            Concept::Epic
                | Concept::StoryPoints
                | Concept::Account
                | Concept::Amount
                | Concept::Lost
                | Concept::Truth
        )
    }
}

/// `Custom field (Customer)` → `customer`; `(X (Y))` keeps the inner parens.
fn custom_name(lower: &str) -> Option<&str> {
    CUSTOM_PREFIXES.iter().find_map(|p| {
        let rest = lower.strip_prefix(p)?.trim_start();
        rest.strip_prefix('(')?.strip_suffix(')').map(str::trim)
    })
}

/// `Inward issue link (Blocks)` → (Inward, `Blocks`), keeping the type's case.
fn link_header(header: &str) -> Option<(LinkDirection, String)> {
    let lower = header.to_lowercase();
    let (dir, prefix) = INWARD_PREFIXES
        .iter()
        .map(|p| (LinkDirection::Inward, p))
        .chain(OUTWARD_PREFIXES.iter().map(|p| (LinkDirection::Outward, p)))
        .find(|(_, p)| lower.starts_with(**p))?;
    // Byte offsets match: lower-casing these prefixes keeps their length.
    let rest = header.get(prefix.len()..)?.trim_start();
    let name = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    Some((dir, name.to_string()))
}

/// The concept of one header, or None for columns capcat does not read.
fn concept_of(header: &str, settings: &Settings) -> Option<Concept> {
    let lower = header.trim().to_lowercase();
    if let Some((_, c)) = settings.columns.iter().find(|(h, _)| *h == lower) {
        return Some(c.clone());
    }
    if let Some((_, c)) = ALIASES.iter().find(|(h, _)| *h == lower) {
        return Some(c.clone());
    }
    if let Some((dir, name)) = link_header(header.trim()) {
        return Some(Concept::Link(dir, name));
    }
    let name = custom_name(&lower).unwrap_or(&lower);
    let configured = [
        (&settings.account_field, Concept::Account),
        (&settings.amount_field, Concept::Amount),
        (&settings.lost_field, Concept::Lost),
        (&settings.truth_field, Concept::Truth),
    ];
    for (field, concept) in configured {
        if !field.is_empty() && field.to_lowercase() == name {
            return Some(concept);
        }
    }
    let custom = custom_name(&lower)?;
    CUSTOM_ALIASES
        .iter()
        .find(|(h, _)| *h == custom)
        .map(|(_, c)| c.clone())
}

/// Columns by concept, in header order.
struct Columns {
    map: Vec<(Concept, Vec<usize>)>,
    /// Custom-field columns left unread because an earlier column has the same
    /// header: (header, every column index with it).
    ambiguous: Vec<(String, Vec<usize>)>,
}

impl Columns {
    fn build(headers: &csv::StringRecord, settings: &Settings) -> Columns {
        let mut map: Vec<(Concept, Vec<usize>)> = Vec::new();
        let mut ambiguous: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let Some(c) = concept_of(h, settings) else {
                continue;
            };
            let Some((_, cols)) = map.iter_mut().find(|(k, _)| *k == c) else {
                map.push((c, vec![i]));
                continue;
            };
            // Different custom fields may share a display name: those columns
            // must not be merged, so only the first of a name is read.
            let same_name = cols.iter().find(|j| headers.get(**j) == Some(h));
            match same_name {
                Some(first) if c.is_custom() => match ambiguous.iter_mut().find(|(n, _)| n == h) {
                    Some((_, all)) => all.push(i),
                    None => ambiguous.push((h.to_string(), vec![*first, i])),
                },
                _ => cols.push(i),
            }
        }
        Columns { map, ambiguous }
    }

    fn get(&self, c: &Concept) -> &[usize] {
        self.map
            .iter()
            .find(|(k, _)| k == c)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    fn ambiguity_warnings(&self, path: &Path) -> Vec<Diagnostic> {
        self.ambiguous
            .iter()
            .map(|(header, cols)| {
                let numbers: Vec<String> = cols.iter().map(|i| (i + 1).to_string()).collect();
                Diagnostic::warning(
                    path.to_path_buf(),
                    format!(
                        "{} columns are named `{header}` (columns {}): different custom fields share that name, so capcat reads only column {} and does not merge them",
                        cols.len(),
                        numbers.join(", "),
                        cols[0] + 1
                    ),
                )
                .at_line(1)
                .with_hint("rename one of the fields in Jira, or name the right column in [jira.columns]")
            })
            .collect()
    }
}

/// Parses one CSV export.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
) -> Result<ParsedFile, Vec<Diagnostic>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(line) = unclosed_quote(body) {
        return Err(vec![
            Diagnostic::error(
                path.to_path_buf(),
                format!("a quoted cell opened on line {line} is never closed"),
            )
            .at_line(line)
            .with_hint("the file is cut short or was edited by hand: export it from Jira again, or add the missing `\"`"),
        ]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut headers = csv::StringRecord::new();
    match reader.read_record(&mut headers) {
        Ok(true) => {}
        Err(e) => return Err(vec![csv_error(path, &e)]),
        Ok(false) => {
            return Err(vec![
                Diagnostic::error(path.to_path_buf(), "the CSV file is empty")
                    .at_line(1)
                    .with_hint("export the issues from Jira with Export → CSV (all fields)"),
            ]);
        }
    }
    let columns = Columns::build(&headers, settings);
    if columns.get(&Concept::Key).is_empty() {
        return Err(vec![missing_key(path, &headers)]);
    }
    let mut file = ParsedFile {
        warnings: columns.ambiguity_warnings(path),
        ..ParsedFile::default()
    };
    let row_reader = RowReader {
        path,
        headers: &headers,
        columns: &columns,
        settings,
    };
    let errors = read_rows(&mut reader, &row_reader, &mut file.items);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

/// Converts every remaining row, in parallel batches of [`BATCH`] whose
/// records are reused, so memory holds one batch of raw rows beside the
/// items. Returns the errors (at most [`MAX_ERRORS`]).
fn read_rows(
    reader: &mut csv::Reader<&[u8]>,
    row_reader: &RowReader<'_>,
    items: &mut Vec<Parsed>,
) -> Vec<Diagnostic> {
    let path = row_reader.path;
    let mut errors = Vec::new();
    let mut batch: Vec<csv::StringRecord> = Vec::new();
    let mut done = false;
    while !done && errors.len() < MAX_ERRORS {
        let mut n = 0;
        while n < BATCH {
            if batch.len() == n {
                batch.push(csv::StringRecord::new());
            }
            match reader.read_record(&mut batch[n]) {
                Ok(true) => n += 1,
                Ok(false) => {
                    done = true;
                    break;
                }
                Err(e) => {
                    errors.push(csv_error(path, &e));
                    done = true;
                    break;
                }
            }
        }
        let converted: Vec<_> = batch[..n].par_iter().map(|r| row_reader.read(r)).collect();
        for result in converted {
            match result {
                Ok(Some(p)) => items.push(p),
                Ok(None) => {}
                Err(d) => errors.push(d),
            }
        }
    }
    errors.truncate(MAX_ERRORS);
    errors
}

fn csv_error(path: &Path, e: &csv::Error) -> Diagnostic {
    let line = e.position().map(|p| p.line() as usize);
    let what = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8".to_string(),
        _ => e.to_string(),
    };
    let mut d = Diagnostic::error(
        path.to_path_buf(),
        format!("cannot read the CSV export: {what}"),
    )
    .with_hint(
        "export it again from Jira (Export → CSV); if Excel re-saved it, save as \"CSV UTF-8\"",
    );
    // The csv crate places nearly every error; the rest concern the file as a whole.
    d.line = line.or(Some(1));
    d
}

fn missing_key(path: &Path, headers: &csv::StringRecord) -> Diagnostic {
    let shown: Vec<&str> = headers.iter().take(12).collect();
    Diagnostic::error(
        path.to_path_buf(),
        format!(
            "no issue key column among the headers ({}{})",
            shown.join(", "),
            if headers.len() > 12 { ", …" } else { "" }
        ),
    )
    .at_line(1)
    .with_hint("is this a Jira CSV export? If the key column has another name, add it to catalog.toml: [jira.columns] \"<header>\" = \"key\"")
}

/// Line (1-based) of a quote that opens a cell and is never closed, RFC 4180.
fn unclosed_quote(bytes: &[u8]) -> Option<usize> {
    let mut line = 1;
    let mut open_line = 0;
    let mut in_quote = false;
    let mut field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        }
        if in_quote {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quote = false;
                }
            }
        } else {
            if field_start && b == b'"' {
                in_quote = true;
                open_line = line;
            }
            field_start = matches!(b, b',' | b'\n' | b'\r');
        }
        i += 1;
    }
    in_quote.then_some(open_line)
}

struct RowReader<'a> {
    path: &'a Path,
    headers: &'a csv::StringRecord,
    columns: &'a Columns,
    settings: &'a Settings,
}

impl RowReader<'_> {
    /// First non-empty trimmed value of a concept.
    fn one<'r>(&self, r: &'r csv::StringRecord, c: &Concept) -> Option<&'r str> {
        self.columns
            .get(c)
            .iter()
            .filter_map(|i| r.get(*i))
            .map(str::trim)
            .find(|v| !v.is_empty())
    }

    /// Every non-empty value of a repeated concept, in order, without duplicates.
    fn all(&self, r: &csv::StringRecord, c: &Concept) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in self.columns.get(c).iter().filter_map(|i| r.get(*i)) {
            let v = v.trim();
            if !v.is_empty() && !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        out
    }

    fn read(&self, r: &csv::StringRecord) -> Result<Option<Parsed>, Diagnostic> {
        let line = r.position().map_or(0, |p| p.line() as usize);
        let Some(key) = self.one(r, &Concept::Key).and_then(clean_key) else {
            return Ok(None);
        };
        let text = |c: &Concept| self.one(r, c).map(str::to_string);
        let issue_type = text(&Concept::Type).unwrap_or_default();
        let category = match self.one(r, &Concept::Category) {
            Some(v) => parse_category(v).unwrap_or(WorkCategory::Unknown),
            None => WorkCategory::Unknown,
        };
        let date = |c: &Concept| self.date(r, c, line);
        let mut item = WorkItem {
            key,
            id: text(&Concept::Id),
            summary: text(&Concept::Summary).unwrap_or_default(),
            level: HierarchyLevel::from_type_name(&issue_type),
            issue_type,
            status: text(&Concept::Status).unwrap_or_default(),
            category,
            resolution: text(&Concept::Resolution).filter(|r| !is_unresolved(r)),
            labels: self.all(r, &Concept::Labels),
            components: self.all(r, &Concept::Components),
            fix_versions: self
                .all(r, &Concept::FixVersions)
                .into_iter()
                .map(|name| FixVersion {
                    name,
                    released: None,
                    release_date: None,
                })
                .collect(),
            due: date(&Concept::Due)?.map(|s| s.date()),
            created: date(&Concept::Created)?.map(|s| s.timestamp()),
            updated: date(&Concept::Updated)?.map(|s| s.timestamp()),
            resolved: date(&Concept::Resolved)?.map(|s| s.timestamp()),
            parent: self.one(r, &Concept::ParentKey).and_then(clean_key),
            epic: self.one(r, &Concept::Epic).and_then(clean_key),
            links: self.links(r),
            story_points: self
                .one(r, &Concept::StoryPoints)
                .and_then(|v| v.parse().ok()),
            account: text(&Concept::Account),
            amount: None,
            lost_reason: text(&Concept::Lost),
            truth: self
                .one(r, &Concept::Truth)
                .and_then(truth::one_line)
                .or_else(|| self.truth_in_comments(r)),
            description_html: self.one(r, &Concept::Description).map(markup::wiki_to_html),
        };
        if let Some(v) = self.one(r, &Concept::Amount) {
            item.amount = Some(parse_amount(v).ok_or_else(|| {
                self.cell_error(
                    line,
                    &Concept::Amount,
                    v,
                    "is not an amount",
                    "write a number such as 120000 or 120,000.00",
                )
            })?);
        }
        if item.level == HierarchyLevel::Subtask && item.parent.is_none() {
            subtask_parent_from_summary(&mut item);
        }
        let parent_id = self.one(r, &Concept::ParentId);
        if item.parent.is_none() {
            // `Parent` holds the parent's issue id on Cloud, but a key where
            // a user mapped a key column to it.
            item.parent = parent_id.filter(|v| !is_id(v)).and_then(clean_key);
        }
        let mut parsed = Parsed::new(item, self.path);
        parsed.line = Some(line);
        parsed.parent_id = parent_id.filter(|v| is_id(v)).map(str::to_string);
        Ok(Some(parsed))
    }

    /// The technical truth from the comment columns, when a prefix is set.
    fn truth_in_comments(&self, r: &csv::StringRecord) -> Option<String> {
        let prefix = &self.settings.truth_prefix;
        if prefix.is_empty() {
            return None;
        }
        let cells = self.columns.get(&Concept::Comment).iter();
        let bodies = cells
            .filter_map(|i| r.get(*i))
            .map(|cell| truth::csv_comment_body(cell, self.settings));
        truth::from_comments(bodies, prefix)
    }

    fn links(&self, r: &csv::StringRecord) -> Vec<IssueLink> {
        let mut links = Vec::new();
        for (concept, cols) in &self.columns.map {
            let Concept::Link(direction, link_type) = concept else {
                continue;
            };
            for other in cols.iter().filter_map(|i| r.get(*i)).filter_map(clean_key) {
                let link = IssueLink {
                    link_type: link_type.clone(),
                    direction: *direction,
                    other_key: other,
                    blocks_this: false,
                    depends_on: false,
                    other_category: None,
                };
                if !links.contains(&link) {
                    links.push(link);
                }
            }
        }
        links
    }

    fn date(
        &self,
        r: &csv::StringRecord,
        c: &Concept,
        line: usize,
    ) -> Result<Option<Stamp>, Diagnostic> {
        let Some(v) = self.one(r, c) else {
            return Ok(None);
        };
        let parsed = match &self.settings.date_format {
            Some(f) => f.apply(v).or_else(|| dates::parse_display(v)),
            None => dates::parse_display(v),
        };
        parsed.map(Some).ok_or_else(|| {
            self.cell_error(
                line,
                c,
                v,
                "is not a date in a format capcat knows",
                "capcat reads 15/Feb/26 4:37 PM, 22/Mar/14 07:59, 16/02/2017 15:26 and localized month names; for another format set [jira] date_format in catalog.toml, e.g. \"%d.%m.%Y %H:%M\"",
            )
        })
    }

    fn cell_error(
        &self,
        line: usize,
        c: &Concept,
        value: &str,
        what: &str,
        hint: &str,
    ) -> Diagnostic {
        let col = self.columns.get(c).first().copied().unwrap_or(0);
        let header = self.headers.get(col).unwrap_or("");
        Diagnostic::error(
            self.path.to_path_buf(),
            format!("row at line {line}, column `{header}`: `{value}` {what}"),
        )
        .at(line, col + 1)
        .with_hint(hint)
    }
}

/// Old Server "current fields" exports write a sub-task's summary as
/// `<PARENT-KEY> <summary>` and have no parent column (`HIVE-33 Optimizer
/// statistics…` for HIVE-1362): split the key off into `parent`.
fn subtask_parent_from_summary(item: &mut WorkItem) {
    let Some((first, rest)) = item.summary.split_once(' ') else {
        return;
    };
    let looks_like_key = first.split_once('-').is_some_and(|(p, n)| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
    });
    if looks_like_key && first != item.key {
        item.parent = Some(first.to_string());
        item.summary = rest.trim().to_string();
    }
}

fn is_id(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
}

fn is_unresolved(r: &str) -> bool {
    matches!(
        r.trim().to_lowercase().as_str(),
        "" | "unresolved" | "sin resolver" | "не решено" | "non résolu"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        let cfg = crate::config::JiraConfig {
            amount_field: "Deal Amount".into(),
            lost_field: "Lost Reason".into(),
            ..Default::default()
        };
        Settings::from_config(&cfg, Path::new("catalog.toml")).unwrap()
    }

    fn load(text: &str) -> Result<ParsedFile, Vec<Diagnostic>> {
        parse(Path::new("x.csv"), text.as_bytes(), &settings())
    }

    #[test]
    fn headers_map_by_name_not_position() {
        let a = load("Issue key,Summary,Status,Status Category\nA-1,One,Open,To Do\n").unwrap();
        let b = load("Summary,Status Category,Status,Issue key\nOne,To Do,Open,A-1\n").unwrap();
        assert_eq!(a.items[0].item, b.items[0].item);
        assert_eq!(a.items[0].item.category, WorkCategory::Todo);
    }

    #[test]
    fn repeated_columns_merge_and_links_parse() {
        let f = load("\u{feff}Issue key,Labels,Labels,Labels,Inward issue link (Blocks),Outward issue link (Relates)\r\nA-2 ,x,y,,B-1,C-3\r\n").unwrap();
        let it = &f.items[0].item;
        assert_eq!(it.key, "A-2");
        assert_eq!(it.labels, ["x", "y"]);
        assert_eq!(it.links.len(), 2);
        assert_eq!(it.links[0].link_type, "Blocks");
        assert_eq!(it.links[0].direction, LinkDirection::Inward);
        assert_eq!(it.links[1].direction, LinkDirection::Outward);
    }

    #[test]
    fn same_named_custom_fields_are_not_merged() {
        let f = load("Issue key,Custom field (Deal Amount),Custom field (Deal Amount)\nA-1,,500\n")
            .unwrap();
        assert_eq!(f.items[0].item.amount, None);
        assert_eq!(f.warnings.len(), 1);
        assert!(
            f.warnings[0].message.contains("columns 2, 3"),
            "{}",
            f.warnings[0].message
        );
    }

    #[test]
    fn custom_fields_and_multiline_cells() {
        let f = load("Issue key,Custom field (Deal Amount),Custom field (Lost Reason),Description,Custom field (Story point estimate)\nA-1,\"120,000\",Price,\"h3. Why\nline two\",5.0\n").unwrap();
        let it = &f.items[0].item;
        assert_eq!(it.amount, Some(120000.0));
        assert_eq!(it.lost_reason.as_deref(), Some("Price"));
        assert_eq!(it.story_points, Some(5.0));
        assert!(
            it.description_html
                .as_deref()
                .unwrap()
                .contains("<h3>Why</h3>")
        );
    }

    #[test]
    fn technical_truth_from_field_or_prefixed_comment() {
        let cfg = crate::config::JiraConfig {
            truth_field: "Technical Truth".into(),
            truth_prefix: "Technical truth:".into(),
            ..Default::default()
        };
        let s = Settings::from_config(&cfg, Path::new("catalog.toml")).unwrap();
        let text = "Issue key,Comment,Comment,Comment,Custom field (Technical Truth)\n\
A-1,12/Jan/26 8:35 AM;557058:a5ff;Technical truth: old guess,\"13/Jan/26 9:00 AM;557058:a5ff;Call notes.\nTechnical truth: the connector exists;\nit lacks pushdown\",14/Jan/26 9:00 AM;;thanks,\n\
A-2,12/Jan/26 8:35 AM;557058:a5ff;Technical truth: from a comment,,,  From   the field \n\
A-3,12/Jan/26 8:35 AM;557058:a5ff;No prefix here,,,\n";
        let f = parse(Path::new("x.csv"), text.as_bytes(), &s).unwrap();
        let truths: Vec<Option<&str>> = f.items.iter().map(|p| p.item.truth.as_deref()).collect();
        assert_eq!(
            truths,
            [
                Some("the connector exists; it lacks pushdown"),
                Some("From the field"),
                None
            ]
        );
        let without_prefix = Settings::from_config(
            &crate::config::JiraConfig::default(),
            Path::new("catalog.toml"),
        )
        .unwrap();
        let f = parse(Path::new("x.csv"), text.as_bytes(), &without_prefix).unwrap();
        assert!(f.items.iter().all(|p| p.item.truth.is_none()));
    }

    #[test]
    fn server_subtask_summary_names_the_parent() {
        let f = load("Issue Type,Key,Summary\nSub-task,HIVE-1362 ,HIVE-33 Optimizer statistics\nTask,HIVE-2,HIVE-3 is not a parent\n").unwrap();
        assert_eq!(f.items[0].item.parent.as_deref(), Some("HIVE-33"));
        assert_eq!(f.items[0].item.summary, "Optimizer statistics");
        assert_eq!(f.items[1].item.parent, None);
    }

    #[test]
    fn unclosed_quote_names_the_line() {
        let e = load("Issue key,Summary\nA-1,ok\nA-2,\"never closed\nA-3,x\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("never closed"));
    }

    #[test]
    fn bad_date_names_row_and_column() {
        let e = load("Issue key,Created\nA-1,15/Feb/26 4:37 PM\nA-2,yesterday\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert_eq!(e[0].column, Some(2));
        assert!(e[0].message.contains("`Created`"), "{}", e[0].message);
        assert!(e[0].hint.as_deref().unwrap().contains("date_format"));
    }

    #[test]
    fn spanish_and_russian_headers() {
        let es = load("Resumen,Clave de incidencia,Estado,Categoría de estado,Etiquetas,Etiquetas,Enlace a la incidencia interna (Blocks),Creada\nUno,ES-2,En curso,En curso,a,b,ES-1,10/nov/25 4:51 PM\n").unwrap();
        let it = &es.items[0].item;
        assert_eq!(
            (it.key.as_str(), it.category),
            ("ES-2", WorkCategory::InProgress)
        );
        assert_eq!(it.links[0].direction, LinkDirection::Inward);
        assert_eq!(it.created.as_deref(), Some("2025-11-10T16:51:00"));
        let ru = load("Тема,Ключ задачи,Метки,Метки,Исправить в версиях,Срок исполнения,Пользовательское поле (Ссылка на эпик),Входящая связь задачи (Blocks),Внешняя ссылка на проблему (Blocks)\nДва,RU-2,x,,1.0,29/июл/26 09:59,RU-1,RU-3,RU-4\n").unwrap();
        let it = &ru.items[0].item;
        assert_eq!((it.key.as_str(), it.summary.as_str()), ("RU-2", "Два"));
        assert_eq!(it.labels, ["x"]);
        assert_eq!(it.fix_versions[0].name, "1.0");
        assert_eq!(it.due.as_deref(), Some("2026-07-29"));
        assert_eq!(it.epic.as_deref(), Some("RU-1"));
        assert_eq!(it.links.len(), 2);
        assert_eq!(it.links[0].link_type, "Blocks");
        assert_eq!(it.links[1].direction, LinkDirection::Outward);
    }

    #[test]
    fn non_utf8_export_is_explained() {
        let bytes = b"Issue key,Summary\nA-1,caf\xe9\n";
        let e = parse(Path::new("x.csv"), bytes, &settings()).unwrap_err();
        assert!(e[0].message.contains("not UTF-8"), "{}", e[0].message);
        assert_eq!(e[0].line, Some(2));
    }

    #[test]
    fn missing_key_column_is_explained() {
        let e = load("Name,Value\na,b\n").unwrap_err();
        assert!(e[0].hint.as_deref().unwrap().contains("[jira.columns]"));
    }

    #[test]
    fn configured_columns_and_date_format() {
        let cfg = crate::config::JiraConfig {
            date_format: "%d.%m.%Y".into(),
            columns: [
                ("Clé de ticket".to_string(), "key".to_string()),
                (
                    "Lien (Bloque)".to_string(),
                    "inward_link:Blocks".to_string(),
                ),
            ]
            .into(),
            ..Default::default()
        };
        let s = Settings::from_config(&cfg, Path::new("c.toml")).unwrap();
        let f = parse(
            Path::new("x.csv"),
            "Clé de ticket,Échéance,Lien (Bloque)\nF-1,x,F-2\n".as_bytes(),
            &s,
        )
        .unwrap();
        assert_eq!(f.items[0].item.key, "F-1");
        assert_eq!(f.items[0].item.links[0].other_key, "F-2");
        let f = parse(
            Path::new("x.csv"),
            "Issue key,Due date\nF-1,21.11.2026\n".as_bytes(),
            &s,
        )
        .unwrap();
        assert_eq!(f.items[0].item.due.as_deref(), Some("2026-11-21"));
    }
}
