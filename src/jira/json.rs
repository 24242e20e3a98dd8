//! REST JSON: Data Center `/rest/api/2/search` pages (startAt/total), Cloud
//! `/rest/api/3/search/jql` pages (nextPageToken/isLast), the old Cloud
//! `/rest/api/3/search`, capcat's own pull snapshot (a search response with the
//! pages joined), and the metadata lists that help read them: `/field`
//! (custom field names), `/issueLinkType` (which type blocks), `/status` and
//! `/statuscategory`.

use super::dates;
use super::{
    FixVersion, HierarchyLevel, IssueLink, LinkDirection, Parsed, ParsedFile, Settings,
    WorkCategory, WorkItem, clean_key, markup, parse_amount, parse_category, truth,
};
use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Knowledge gathered from metadata files and page `names` maps, shared by
/// every JSON page of a load.
#[derive(Debug, Default)]
pub struct Metadata {
    /// `customfield_NNNNN` → display name.
    pub field_names: HashMap<String, String>,
    /// Ids of fields whose schema says Epic Link (`gh-epic-link`).
    pub epic_link_fields: Vec<String>,
    /// Lower-cased link type names whose inward text is "is blocked by".
    pub blocking_types: Vec<String>,
    /// Lower-cased status name → category, from a `/status` list.
    pub status_categories: HashMap<String, WorkCategory>,
    /// Warnings about metadata files.
    pub warnings: Vec<Diagnostic>,
}

/// A search response read from one file.
#[derive(Debug)]
pub struct JsonDoc {
    path: PathBuf,
    root: Map<String, Value>,
}

impl JsonDoc {
    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `capcat_snapshot.as_of` date of a pull snapshot.
    pub fn snapshot_as_of(&self) -> Option<&str> {
        self.root.get("capcat_snapshot")?.get("as_of")?.as_str()
    }
}

fn not_search(path: &Path, json_path: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        path.to_path_buf(),
        format!("not a Jira search response: {what} (at JSON path `{json_path}`)"),
    )
    .with_hint("give REST search pages (GET /rest/api/2/search or /rest/api/3/search/jql, saved as .json), a /field list, or a snapshot written by `capcat jira pull`")
}

/// Reads one JSON file. Search pages come back as a [`JsonDoc`]; metadata
/// lists are absorbed into `meta` and give `None`.
pub fn parse_document(
    path: &Path,
    bytes: &[u8],
    meta: &mut Metadata,
) -> Result<Option<JsonDoc>, Diagnostic> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let what = if e.is_eof() { "the file ends in the middle of the document (cut short?)" } else { "invalid JSON" };
        Diagnostic::error(path.to_path_buf(), format!("{what}: {e}"))
            .at(e.line(), e.column())
            .with_hint("save the complete response body of the Jira REST call, or pull again with `capcat jira pull`")
    })?;
    match value {
        Value::Object(root) => parse_object(path, root, meta),
        Value::Array(list) => {
            absorb_list(path, &list, meta)?;
            Ok(None)
        }
        _ => Err(not_search(
            path,
            "$",
            "the document is neither an object nor a list",
        )),
    }
}

fn parse_object(
    path: &Path,
    root: Map<String, Value>,
    meta: &mut Metadata,
) -> Result<Option<JsonDoc>, Diagnostic> {
    if let Some(msgs) = root.get("errorMessages").and_then(Value::as_array) {
        let text: Vec<&str> = msgs.iter().filter_map(Value::as_str).collect();
        return Err(Diagnostic::error(
            path.to_path_buf(),
            format!(
                "this is a Jira error response, not issues (at JSON path `$.errorMessages`): {}",
                text.join(" ")
            ),
        )
        .with_hint("fix the request (JQL, permissions) and save the search response again"));
    }
    if let Some(types) = root.get("issueLinkTypes").and_then(Value::as_array) {
        absorb_link_types(types, meta);
        return Ok(None);
    }
    if root.len() == 1 && root.get("count").is_some_and(Value::is_number) {
        meta.warnings.push(
            Diagnostic::warning(
                path.to_path_buf(),
                "this is an approximate-count response: it holds a number of issues, not issues",
            )
            .with_hint(
                "remove it from [jira] sources, or save the /rest/api/3/search/jql pages instead",
            ),
        );
        return Ok(None);
    }
    let Some(issues) = root.get("issues") else {
        let keys: Vec<&str> = root.keys().map(String::as_str).take(8).collect();
        return Err(not_search(
            path,
            "$.issues",
            &format!("no `issues` array; the object has {}", keys.join(", ")),
        ));
    };
    let Some(list) = issues.as_array() else {
        return Err(not_search(path, "$.issues", "`issues` is not a list"));
    };
    for (i, issue) in list.iter().enumerate() {
        if issue
            .get("key")
            .and_then(Value::as_str)
            .and_then(clean_key)
            .is_none()
        {
            return Err(not_search(
                path,
                &format!("$.issues[{i}].key"),
                "an issue without a `key`",
            ));
        }
        if let Some(f) = issue.get("fields")
            && !f.is_object()
        {
            return Err(not_search(
                path,
                &format!("$.issues[{i}].fields"),
                "`fields` is not an object",
            ));
        }
    }
    if let Some(names) = root.get("names").and_then(Value::as_object) {
        for (id, name) in names {
            if let Some(n) = name.as_str() {
                meta.field_names.insert(id.clone(), n.to_string());
            }
        }
    }
    Ok(Some(JsonDoc {
        path: path.to_path_buf(),
        root,
    }))
}

fn absorb_list(path: &Path, list: &[Value], meta: &mut Metadata) -> Result<(), Diagnostic> {
    let Some(first) = list.first() else {
        return Ok(());
    };
    let has = |k: &str| first.get(k).is_some();
    if has("inward") && has("outward") {
        absorb_link_types(list, meta);
    } else if has("statusCategory") && has("name") {
        for s in list {
            let name = s.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(c) = category_of(s.get("statusCategory")) {
                meta.status_categories.insert(name.trim().to_lowercase(), c);
            }
        }
    } else if has("colorName") && has("key") {
        // `/statuscategory`: the categories themselves; nothing to add, since
        // every status object embeds its category key.
    } else if has("id") && has("name") && (has("schema") || has("custom") || has("clauseNames")) {
        for f in list {
            let (Some(id), Some(name)) = (
                f.get("id").and_then(Value::as_str),
                f.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            meta.field_names.insert(id.to_string(), name.to_string());
            if f.pointer("/schema/custom").and_then(Value::as_str)
                == Some("com.pyxis.greenhopper.jira:gh-epic-link")
            {
                meta.epic_link_fields.push(id.to_string());
            }
        }
    } else {
        return Err(not_search(
            path,
            "$[0]",
            "a list that is not /field, /status, /statuscategory or /issueLinkType",
        ));
    }
    Ok(())
}

fn absorb_link_types(types: &[Value], meta: &mut Metadata) {
    for t in types {
        let inward = t.get("inward").and_then(Value::as_str).unwrap_or("");
        if is_blocked_by(inward)
            && let Some(name) = t.get("name").and_then(Value::as_str)
        {
            meta.blocking_types.push(name.trim().to_lowercase());
        }
    }
}

fn is_blocked_by(text: &str) -> bool {
    text.trim().eq_ignore_ascii_case("is blocked by")
}

/// "depends on" (or "depends upon"): this issue depends on the other.
pub fn is_depends_on(text: &str) -> bool {
    let t = text.trim();
    t.eq_ignore_ascii_case("depends on") || t.eq_ignore_ascii_case("depends upon")
}

/// Category of a status object's `statusCategory` (by key, else by id).
fn category_of(cat: Option<&Value>) -> Option<WorkCategory> {
    let cat = cat?;
    if let Some(key) = cat.get("key").and_then(Value::as_str) {
        return parse_category(key);
    }
    match cat.get("id").and_then(Value::as_u64)? {
        2 => Some(WorkCategory::Todo),
        4 => Some(WorkCategory::InProgress),
        3 => Some(WorkCategory::Done),
        _ => None,
    }
}

/// Field ids of the concepts read from custom fields, for one page.
struct CustomIds {
    story_points: Vec<String>,
    epic: Vec<String>,
    account: Vec<String>,
    amount: Vec<String>,
    lost: Vec<String>,
    truth: Vec<String>,
}

impl CustomIds {
    fn new(meta: &Metadata, settings: &Settings) -> CustomIds {
        let ids = |wanted: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = meta
                .field_names
                .iter()
                .filter(|(_, n)| {
                    wanted
                        .iter()
                        .any(|w| !w.is_empty() && n.trim().eq_ignore_ascii_case(w))
                })
                .map(|(id, _)| id.clone())
                .collect();
            v.sort();
            v
        };
        let mut epic = ids(&["Epic Link"]);
        epic.extend(meta.epic_link_fields.iter().cloned());
        epic.sort();
        epic.dedup();
        CustomIds {
            story_points: ids(&["Story Points", "Story point estimate"]),
            epic,
            account: ids(&[&settings.account_field]),
            amount: ids(&[&settings.amount_field]),
            lost: ids(&[&settings.lost_field]),
            truth: ids(&[&settings.truth_field]),
        }
    }
}

/// Turns a search response into issues.
pub fn convert(doc: &JsonDoc, meta: &Metadata, settings: &Settings) -> ParsedFile {
    let ids = CustomIds::new(meta, settings);
    let mut file = ParsedFile::default();
    let issues = doc
        .root
        .get("issues")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, issue) in issues.iter().enumerate() {
        let reader = IssueReader {
            doc,
            index: i,
            ids: &ids,
            settings,
        };
        let (item, warnings) = reader.read(issue);
        file.warnings.extend(warnings);
        file.items.push(Parsed::new(item, &doc.path));
    }
    file
}

struct IssueReader<'a> {
    doc: &'a JsonDoc,
    index: usize,
    ids: &'a CustomIds,
    settings: &'a Settings,
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

fn str_at<'v>(v: &'v Value, pointer: &str) -> Option<&'v str> {
    v.pointer(pointer).and_then(Value::as_str)
}

impl IssueReader<'_> {
    fn read(&self, issue: &Value) -> (WorkItem, Vec<Diagnostic>) {
        let fields = issue
            .get("fields")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let f = |name: &str| fields.get(name).filter(|v| !v.is_null());
        let mut warnings = Vec::new();
        let mut date = |name: &str, date_only: bool| -> Option<String> {
            let raw = f(name)?.as_str()?;
            match dates::parse_iso(raw) {
                Some(s) => Some(if date_only { s.date() } else { s.timestamp() }),
                None => {
                    warnings.push(self.warn(name, &format!("`{raw}` is not an ISO date; ignored")));
                    None
                }
            }
        };
        let issue_type = f("issuetype").cloned().unwrap_or(Value::Null);
        let type_name = str_at(&issue_type, "/name").unwrap_or("").to_string();
        let level = match issue_type.get("hierarchyLevel").and_then(Value::as_i64) {
            Some(l) => HierarchyLevel::from_level(l),
            None if issue_type.get("subtask").and_then(Value::as_bool) == Some(true) => {
                HierarchyLevel::Subtask
            }
            None => HierarchyLevel::from_type_name(&type_name),
        };
        let status = f("status");
        let item = WorkItem {
            key: issue
                .get("key")
                .and_then(Value::as_str)
                .and_then(clean_key)
                .unwrap_or_default(),
            id: issue.get("id").and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_u64().map(|n| n.to_string()))
            }),
            summary: f("summary")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            issue_type: type_name,
            level,
            status: status
                .and_then(|s| str_at(s, "/name"))
                .unwrap_or("")
                .to_string(),
            category: category_of(status.and_then(|s| s.get("statusCategory"))).unwrap_or_default(),
            resolution: f("resolution")
                .and_then(|r| str_at(r, "/name"))
                .map(str::to_string),
            labels: string_list(f("labels"), None),
            components: string_list(f("components"), Some("name")),
            fix_versions: fix_versions(f("fixVersions")),
            due: date("duedate", true),
            created: date("created", false),
            updated: date("updated", false),
            resolved: date("resolutiondate", false),
            parent: f("parent")
                .and_then(|p| str_at(p, "/key"))
                .and_then(clean_key),
            epic: self
                .custom(fields, &self.ids.epic)
                .as_ref()
                .and_then(field_text)
                .and_then(|k| clean_key(&k)),
            links: self.links(f("issuelinks")),
            story_points: self
                .custom(fields, &self.ids.story_points)
                .and_then(|v| v.as_f64()),
            account: self
                .custom(fields, &self.ids.account)
                .as_ref()
                .and_then(field_text),
            amount: self.custom(fields, &self.ids.amount).and_then(|v| match v {
                Value::Number(n) => n.as_f64(),
                other => field_text(&other).and_then(|t| parse_amount(&t)),
            }),
            lost_reason: self
                .custom(fields, &self.ids.lost)
                .as_ref()
                .and_then(field_text),
            truth: self
                .custom(fields, &self.ids.truth)
                .as_ref()
                .and_then(field_text)
                .and_then(|t| truth::one_line(&t))
                .or_else(|| self.truth_in_comments(f("comment"))),
            description_html: f("description").and_then(description),
        };
        (item, warnings)
    }

    fn warn(&self, field: &str, what: &str) -> Diagnostic {
        Diagnostic::warning(
            self.doc.path.clone(),
            format!("$.issues[{}].fields.{field}: {what}", self.index),
        )
    }

    /// The first non-empty value among the custom fields with these ids.
    fn custom(&self, fields: &Map<String, Value>, ids: &[String]) -> Option<Value> {
        ids.iter()
            .filter_map(|id| fields.get(id))
            .find(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
            .cloned()
    }

    /// The technical truth from `fields.comment.comments[].body` (wiki text
    /// or ADF), when a prefix is set.
    fn truth_in_comments(&self, comment: Option<&Value>) -> Option<String> {
        if self.settings.truth_prefix.is_empty() {
            return None;
        }
        let bodies: Vec<String> = comment
            .and_then(|c| c.get("comments"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| match c.get("body")? {
                Value::String(s) => Some(s.clone()),
                doc @ Value::Object(_) => Some(truth::adf_lines(doc)),
                _ => None,
            })
            .collect();
        truth::from_comments(
            bodies.iter().map(String::as_str),
            &self.settings.truth_prefix,
        )
    }

    fn links(&self, v: Option<&Value>) -> Vec<IssueLink> {
        let mut out = Vec::new();
        for link in v.and_then(Value::as_array).into_iter().flatten() {
            let ty = link.get("type").cloned().unwrap_or(Value::Null);
            let name = str_at(&ty, "/name").unwrap_or("").to_string();
            let (direction, other, wording) = if let Some(o) = link.get("inwardIssue") {
                (LinkDirection::Inward, o, str_at(&ty, "/inward"))
            } else if let Some(o) = link.get("outwardIssue") {
                (LinkDirection::Outward, o, str_at(&ty, "/outward"))
            } else {
                continue;
            };
            let Some(other_key) = other.get("key").and_then(Value::as_str).and_then(clean_key)
            else {
                continue;
            };
            let blocks_this = wording.is_some_and(is_blocked_by)
                || (direction == LinkDirection::Inward && self.settings.is_blocking_type(&name));
            let depends_on = wording.is_some_and(is_depends_on)
                || (direction == LinkDirection::Outward && self.settings.is_dependency_type(&name));
            out.push(IssueLink {
                link_type: name,
                direction,
                other_key,
                blocks_this,
                depends_on,
                other_category: category_of(other.pointer("/fields/status/statusCategory")),
            });
        }
        out
    }
}

fn string_list(v: Option<&Value>, field: Option<&str>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| match field {
            Some(f) => x.get(f).and_then(Value::as_str),
            None => x.as_str(),
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn fix_versions(v: Option<&Value>) -> Vec<FixVersion> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| {
            Some(FixVersion {
                name: x.get("name")?.as_str()?.to_string(),
                released: x.get("released").and_then(Value::as_bool),
                release_date: x
                    .get("releaseDate")
                    .and_then(Value::as_str)
                    .and_then(dates::parse_iso)
                    .map(|d| d.date()),
            })
        })
        .collect()
}

/// A description: wiki-markup string (v2) or ADF document (v3).
fn description(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(markup::wiki_to_html(s)),
        Value::Object(_) => Some(markup::adf_to_html(v)).filter(|h| !h.is_empty()),
        _ => None,
    }
}

/// Text of a custom-field value: string, number, option `{value}`, user
/// `{displayName}`, ADF, or the first element of a list.
fn field_text(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => return a.iter().find_map(field_text),
        Value::Object(o) if o.get("type").and_then(Value::as_str) == Some("doc") => {
            markup::adf_to_text(v)
        }
        Value::Object(o) => ["value", "name", "displayName", "key"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str))?
            .trim()
            .to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Vec<WorkItem>, Diagnostic> {
        let mut meta = Metadata::default();
        let doc = parse_document(Path::new("p.json"), text.as_bytes(), &mut meta)?.expect("a page");
        let settings = Settings {
            blocking_types: vec!["blocks".into()],
            account_field: "Customer".into(),
            ..Default::default()
        };
        Ok(convert(&doc, &meta, &settings)
            .items
            .into_iter()
            .map(|p| p.item)
            .collect())
    }

    #[test]
    fn reads_fields_links_and_names() {
        let items = load(r#"{"names":{"customfield_1":"Customer"},"issues":[{"id":"7","key":"A-1","fields":{
            "summary":"S","issuetype":{"name":"Story","hierarchyLevel":0},
            "status":{"name":"Todo","statusCategory":{"key":"indeterminate"}},
            "fixVersions":[{"name":"1.0","released":false,"releaseDate":"2027-01-31"}],
            "duedate":"2026-12-01","created":"2016-03-03T13:40:01.000+0000",
            "customfield_1":{"value":"Initech"},
            "parent":{"key":"A-0"},
            "issuelinks":[{"type":{"name":"Blocker","inward":"is blocked by","outward":"blocks"},
              "inwardIssue":{"key":"B-9","fields":{"status":{"statusCategory":{"key":"done"}}}}},
              {"type":{"name":"Relates","inward":"relates to","outward":"relates to"},"outwardIssue":{"key":"C-1"}}],
            "description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"hi"}]}]}}}]}"#).unwrap();
        let it = &items[0];
        assert_eq!(it.category, WorkCategory::InProgress);
        assert_eq!(
            it.fix_versions[0].release_date.as_deref(),
            Some("2027-01-31")
        );
        assert_eq!(it.due.as_deref(), Some("2026-12-01"));
        assert_eq!(it.created.as_deref(), Some("2016-03-03T13:40:01+00:00"));
        assert_eq!(it.account.as_deref(), Some("Initech"));
        assert_eq!(it.parent.as_deref(), Some("A-0"));
        assert!(it.links[0].blocks_this);
        assert_eq!(it.links[0].other_category, Some(WorkCategory::Done));
        assert!(!it.links[1].blocks_this);
        assert_eq!(it.description_html.as_deref(), Some("<p>hi</p>"));
    }

    #[test]
    fn technical_truth_from_custom_field_or_adf_comment() {
        let mut meta = Metadata::default();
        let page = br#"{"names":{"customfield_7":"Technical Truth"},"issues":[
            {"key":"T-1","fields":{"customfield_7":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Lacks  pushdown"}]}]},
              "comment":{"comments":[{"body":"Technical truth: ignored, the field wins"}]}}},
            {"key":"T-2","fields":{"customfield_7":null,"comment":{"comments":[
              {"body":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Technical truth:","marks":[{"type":"strong"}]},{"type":"text","text":" no EU region"}]}]}},
              {"body":"h3. later\nnothing"}],"maxResults":2,"total":2}}},
            {"key":"T-3","fields":{"comment":{"comments":[{"body":"Technical truth: from wiki text"}]}}},
            {"key":"T-4","fields":{"issuelinks":[
              {"type":{"name":"Dependent","inward":"depends on","outward":"is depended by"},"inwardIssue":{"key":"D-1"}},
              {"type":{"name":"Dependency","inward":"Dependency","outward":"Dependency"},"outwardIssue":{"key":"D-2"}},
              {"type":{"name":"Dependent","inward":"depends on","outward":"is depended by"},"outwardIssue":{"key":"D-3"}}]}}
        ]}"#;
        let doc = parse_document(Path::new("p.json"), page, &mut meta)
            .unwrap()
            .unwrap();
        let settings = Settings {
            truth_field: "Technical Truth".into(),
            truth_prefix: "Technical truth:".into(),
            dependency_types: vec!["dependency".into()],
            ..Default::default()
        };
        let items: Vec<WorkItem> = convert(&doc, &meta, &settings)
            .items
            .into_iter()
            .map(|p| p.item)
            .collect();
        let truths: Vec<Option<&str>> = items.iter().map(|i| i.truth.as_deref()).collect();
        assert_eq!(
            truths,
            [
                Some("Lacks pushdown"),
                Some("no EU region"),
                Some("from wiki text"),
                None
            ]
        );
        let depends: Vec<bool> = items[3].links.iter().map(|l| l.depends_on).collect();
        assert_eq!(depends, [true, true, false]);
    }

    #[test]
    fn field_list_resolves_data_center_epic_link() {
        let mut meta = Metadata::default();
        let fields = br#"[{"id":"customfield_10008","name":"Epic Link","custom":true,"schema":{"type":"any","custom":"com.pyxis.greenhopper.jira:gh-epic-link","customId":10008}},
            {"id":"customfield_10002","name":"Story Points","custom":true,"schema":{"type":"number"}}]"#;
        assert!(
            parse_document(Path::new("f.json"), fields, &mut meta)
                .unwrap()
                .is_none()
        );
        let page = br#"{"startAt":0,"total":1,"issues":[{"key":"DC-2","fields":{"customfield_10008":"DC-1","customfield_10002":5.0}}]}"#;
        let doc = parse_document(Path::new("p.json"), page, &mut meta)
            .unwrap()
            .unwrap();
        let items = convert(&doc, &meta, &Settings::default()).items;
        assert_eq!(items[0].item.epic.as_deref(), Some("DC-1"));
        assert_eq!(items[0].item.story_points, Some(5.0));
    }

    #[test]
    fn non_search_documents_fail_with_json_path() {
        let e = load(r#"{"values":[1,2]}"#).unwrap_err();
        assert!(e.message.contains("`$.issues`"), "{}", e.message);
        let e = load(r#"{"issues":[{"key":"A-1"},{"id":"2"}]}"#).unwrap_err();
        assert!(e.message.contains("$.issues[1].key"), "{}", e.message);
        let e = load(r#"{"issues":[{"key":"A-1"#).unwrap_err();
        assert!(e.message.contains("cut short"), "{}", e.message);
        assert_eq!(e.line, Some(1));
        let e = load(r#"{"errorMessages":["The requested API has been removed."]}"#).unwrap_err();
        assert!(e.message.contains("removed"), "{}", e.message);
    }
}
