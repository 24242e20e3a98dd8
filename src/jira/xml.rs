//! "XML" (RSS 0.92) exports: one `<item>` per issue, with keys, ids and
//! `statusCategory key` that do not depend on the exporter's language.

use super::dates;
use super::{
    FixVersion, HierarchyLevel, IssueLink, LinkDirection, Parsed, ParsedFile, Settings, WorkItem,
    clean_key, markup, parse_amount, parse_category, truth,
};
use crate::diagnostics::{Diagnostic, line_col};
use quick_xml::events::{BytesStart, Event};
use std::path::Path;

/// Parses one XML export.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
) -> Result<ParsedFile, Vec<Diagnostic>> {
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            let (line, col) = line_col(&String::from_utf8_lossy(bytes), e.valid_up_to());
            vec![
                Diagnostic::error(path.to_path_buf(), "the XML export is not UTF-8")
                    .at(line, col)
                    .with_hint("export it again from Jira (Export → XML)"),
            ]
        })?;
    let mut state = State::new(settings);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut saw_rss = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            let (line, col) = line_col(text, reader.error_position() as usize);
            vec![Diagnostic::error(path.to_path_buf(), format!("malformed XML: {e}"))
                .at(line, col)
                .with_hint("the file is cut short or damaged: export it again from Jira (Export → XML)")]
        })?;
        match event {
            Event::Start(e) => {
                saw_rss |= e.local_name().as_ref() == b"rss";
                state.start(&e);
            }
            Event::Empty(e) => {
                state.start(&e);
                state.end();
            }
            Event::Text(t) => {
                let s = t.unescape_with(entity).map_or_else(
                    |_| String::from_utf8_lossy(&t).into_owned(),
                    |c| c.into_owned(),
                );
                state.text.push_str(&s);
            }
            Event::CData(c) => state.text.push_str(&String::from_utf8_lossy(&c)),
            Event::End(_) => state.end(),
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_rss {
        return Err(vec![
            Diagnostic::error(
                path.to_path_buf(),
                "not a Jira XML export: no <rss> element",
            )
            .at_line(1)
            .with_hint("export from the issue navigator with Export → XML"),
        ]);
    }
    let items = state
        .items
        .into_iter()
        .map(|i| Parsed::new(i, path))
        .collect();
    Ok(ParsedFile {
        items,
        warnings: state
            .warnings
            .into_iter()
            .map(|m| Diagnostic::warning(path.to_path_buf(), m))
            .collect(),
    })
}

/// XML's own entities plus the HTML ones Jira leaves in descriptions.
fn entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        "nbsp" => "\u{a0}",
        _ => return None,
    })
}

struct State<'a> {
    settings: &'a Settings,
    path: Vec<String>,
    text: String,
    item: Option<WorkItem>,
    items: Vec<WorkItem>,
    warnings: Vec<String>,
    // Context of the element being read.
    link_type: String,
    link_dir: Option<(LinkDirection, bool)>,
    /// The current link group's wording is "depends on".
    link_depends: bool,
    /// Comment bodies of the current item, as text, oldest first.
    comments: Vec<String>,
    field_name: String,
    field_values: Vec<String>,
    unresolved: bool,
}

impl<'a> State<'a> {
    fn new(settings: &'a Settings) -> State<'a> {
        State {
            settings,
            path: Vec::new(),
            text: String::new(),
            item: None,
            items: Vec::new(),
            warnings: Vec::new(),
            link_type: String::new(),
            link_dir: None,
            link_depends: false,
            comments: Vec::new(),
            field_name: String::new(),
            field_values: Vec::new(),
            unresolved: false,
        }
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.unescape_value().ok().map(|v| v.into_owned())
}

impl State<'_> {
    fn start(&mut self, e: &BytesStart) {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        self.text.clear();
        match name.as_str() {
            "item" => {
                self.item = Some(WorkItem::default());
                self.comments.clear();
            }
            "statusCategory" => {
                if let (Some(item), Some(key)) = (self.item.as_mut(), attr(e, "key")) {
                    item.category = parse_category(&key).unwrap_or_default();
                }
            }
            "key" => {
                if let Some(item) = self.item.as_mut() {
                    item.id = attr(e, "id");
                }
            }
            "resolution" => self.unresolved = attr(e, "id").as_deref() == Some("-1"),
            "inwardlinks" | "outwardlinks" => {
                let wording = attr(e, "description").unwrap_or_default();
                let dir = if name == "inwardlinks" {
                    LinkDirection::Inward
                } else {
                    LinkDirection::Outward
                };
                self.link_dir = Some((dir, wording.trim().eq_ignore_ascii_case("is blocked by")));
                self.link_depends = super::json::is_depends_on(&wording);
            }
            "customfield" => {
                self.field_name.clear();
                self.field_values.clear();
            }
            _ => {}
        }
        self.path.push(name);
    }

    fn parent(&self) -> &str {
        self.path.iter().rev().nth(1).map_or("", String::as_str)
    }

    fn end(&mut self) {
        let text = std::mem::take(&mut self.text);
        let name = self.path.last().cloned().unwrap_or_default();
        let in_item = self.item.is_some() && self.parent() == "item";
        if name == "item" {
            if let Some(item) = self.item.as_mut().filter(|i| i.truth.is_none()) {
                let comments = self.comments.iter().map(String::as_str);
                item.truth = truth::from_comments(comments, &self.settings.truth_prefix);
            }
            if let Some(item) = self.item.take().filter(|i| !i.key.is_empty()) {
                self.items.push(item);
            }
        } else if in_item {
            self.item_field(&name, &text);
        } else if self.item.is_some() {
            self.nested(&name, text);
        }
        self.path.pop();
    }

    fn item_field(&mut self, name: &str, text: &str) {
        let unresolved = self.unresolved;
        let mut warn = None;
        let Some(item) = self.item.as_mut() else {
            return;
        };
        let t = text.trim();
        let mut stamp = |what: &str| match dates::parse_rfc822(t) {
            Some(s) => Some(s),
            None if t.is_empty() => None,
            None => {
                warn = Some(format!(
                    "{}: <{what}> `{t}` is not an RFC-822 date; ignored",
                    item.key
                ));
                None
            }
        };
        match name {
            "key" => item.key = clean_key(t).unwrap_or_default(),
            "summary" => item.summary = t.to_string(),
            "type" => {
                item.issue_type = t.to_string();
                item.level = HierarchyLevel::from_type_name(t);
            }
            "status" => item.status = t.to_string(),
            "resolution" if !unresolved && !t.is_empty() => item.resolution = Some(t.to_string()),
            "parent" => item.parent = clean_key(t),
            "component" => item.components.push(t.to_string()),
            "fixVersion" => item.fix_versions.push(FixVersion {
                name: t.to_string(),
                released: None,
                release_date: None,
            }),
            "due" => item.due = stamp("due").map(|s| s.date()),
            "created" => item.created = stamp("created").map(|s| s.timestamp()),
            "updated" => item.updated = stamp("updated").map(|s| s.timestamp()),
            "resolved" => item.resolved = stamp("resolved").map(|s| s.timestamp()),
            "description" if !t.is_empty() => {
                item.description_html =
                    Some(markup::sanitize_html(t)).filter(|h| !h.trim().is_empty())
            }
            _ => {}
        }
        if let Some(w) = warn {
            self.warnings.push(w);
        }
    }

    fn nested(&mut self, name: &str, text: String) {
        let t = text.trim().to_string();
        let parent = self.parent().to_string();
        let settings = self.settings;
        let Some(item) = self.item.as_mut() else {
            return;
        };
        match (parent.as_str(), name) {
            ("labels", "label") if !t.is_empty() => item.labels.push(t),
            ("issuelinktype", "name") => self.link_type = t,
            ("issuelink", "issuekey") => {
                if let (Some((direction, wording)), Some(other_key)) =
                    (self.link_dir, clean_key(&t))
                {
                    let blocks_this = direction == LinkDirection::Inward
                        && (wording || settings.is_blocking_type(&self.link_type));
                    let depends_on = self.link_depends
                        || (direction == LinkDirection::Outward
                            && settings.is_dependency_type(&self.link_type));
                    item.links.push(IssueLink {
                        link_type: self.link_type.clone(),
                        direction,
                        other_key,
                        blocks_this,
                        depends_on,
                        other_category: None,
                    });
                }
            }
            ("comments", "comment") => self.comments.push(truth::html_lines(&t)),
            ("customfield", "customfieldname") => self.field_name = t,
            ("customfieldvalues", "customfieldvalue") if !t.is_empty() => self.field_values.push(t),
            (_, "customfield") => self.custom_field(),
            _ => {}
        }
    }

    fn custom_field(&mut self) {
        let settings = self.settings;
        let name = self.field_name.trim().to_lowercase();
        let Some(value) = self.field_values.first().cloned() else {
            return;
        };
        let Some(item) = self.item.as_mut() else {
            return;
        };
        let is = |f: &str| !f.is_empty() && f.to_lowercase() == name;
        if is(&settings.account_field) {
            item.account = Some(value);
        } else if is(&settings.amount_field) {
            item.amount = parse_amount(&value);
        } else if is(&settings.lost_field) {
            item.lost_reason = Some(value);
        } else if is(&settings.truth_field) {
            item.truth = truth::one_line(&truth::html_lines(&value));
        } else if name == "story points" || name == "story point estimate" {
            item.story_points = item.story_points.or(value.parse().ok());
        } else if name == "epic link" {
            item.epic = clean_key(&value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkCategory;

    const SAMPLE: &str = r#"<!-- RSS generated by JIRA -->
<rss version="0.92"><channel><title>Jira</title>
<item>
  <title>[X-2] Two</title>
  <description>&lt;p&gt;Hello &amp;amp; &lt;script&gt;bad()&lt;/script&gt;&lt;/p&gt;</description>
  <key id="10002">X-2 </key>
  <summary>Two &#163;</summary>
  <type id="1">Epic</type>
  <parent id="10001">X-1</parent>
  <status id="3">In Review</status>
  <statusCategory id="4" key="indeterminate" colorName="yellow"/>
  <resolution id="-1">Unresolved</resolution>
  <labels><label>cap:sso</label></labels>
  <fixVersion>2027.1</fixVersion>
  <component>Billing</component>
  <created>Mon, 15 Sep 2025 18:42:34 +0100</created>
  <due>Sun, 5 Oct 2025 00:00:00 +0000</due>
  <issuelinks><issuelinktype id="1"><name>Blocks</name>
    <inwardlinks description="is blocked by"><issuelink><issuekey id="9">X-9</issuekey></issuelink></inwardlinks>
  </issuelinktype></issuelinks>
  <customfields><customfield id="customfield_10016" key="x"><customfieldname>Story point estimate</customfieldname>
    <customfieldvalues><customfieldvalue>3.0</customfieldvalue></customfieldvalues></customfield></customfields>
</item></channel></rss>"#;

    #[test]
    fn reads_an_item() {
        let f = parse(Path::new("x.xml"), SAMPLE.as_bytes(), &Settings::default()).unwrap();
        let it = &f.items[0].item;
        assert_eq!(it.key, "X-2");
        assert_eq!(it.id.as_deref(), Some("10002"));
        assert_eq!(it.summary, "Two £");
        assert_eq!(it.level, HierarchyLevel::Epic);
        assert_eq!(it.category, WorkCategory::InProgress);
        assert_eq!(it.resolution, None);
        assert_eq!(it.parent.as_deref(), Some("X-1"));
        assert_eq!(it.labels, ["cap:sso"]);
        assert_eq!(it.fix_versions[0].name, "2027.1");
        assert_eq!(it.components, ["Billing"]);
        assert_eq!(it.due.as_deref(), Some("2025-10-05"));
        assert_eq!(it.story_points, Some(3.0));
        assert!(it.links[0].blocks_this);
        let html = it.description_html.as_deref().unwrap();
        assert!(html.contains("<p>Hello &amp;"), "{html}");
        assert!(!html.contains("script"), "{html}");
    }

    #[test]
    fn technical_truth_and_dependencies() {
        let xml = r#"<rss version="0.92"><channel>
<item><key id="1">T-1</key>
  <issuelinks><issuelinktype id="2"><name>Dependent</name>
    <inwardlinks description="depends on"><issuelink><issuekey id="8">D-8</issuekey></issuelink></inwardlinks>
    <outwardlinks description="is depended by"><issuelink><issuekey id="9">D-9</issuekey></issuelink></outwardlinks>
  </issuelinktype></issuelinks>
  <comments>
    <comment id="1" author="se" created="Mon, 15 Sep 2025 18:42:34 +0100">&lt;p&gt;&lt;b&gt;Technical truth:&lt;/b&gt; no &amp;amp; never&lt;/p&gt;</comment>
    <comment id="2" author="ae" created="Tue, 16 Sep 2025 18:42:34 +0100">&lt;p&gt;ok&lt;/p&gt;</comment>
  </comments>
</item>
<item><key id="2">T-2</key>
  <customfields><customfield id="customfield_7" key="x"><customfieldname>Technical Truth</customfieldname>
    <customfieldvalues><customfieldvalue>&lt;p&gt;From the field&lt;/p&gt;</customfieldvalue></customfieldvalues></customfield></customfields>
</item></channel></rss>"#;
        let settings = Settings {
            truth_field: "Technical Truth".into(),
            truth_prefix: "Technical truth:".into(),
            ..Default::default()
        };
        let f = parse(Path::new("x.xml"), xml.as_bytes(), &settings).unwrap();
        let one = &f.items[0].item;
        assert_eq!(one.truth.as_deref(), Some("no & never"));
        let depends: Vec<bool> = one.links.iter().map(|l| l.depends_on).collect();
        assert_eq!(depends, [true, false]);
        assert_eq!(f.items[1].item.truth.as_deref(), Some("From the field"));
    }

    #[test]
    fn broken_xml_is_located() {
        let e = parse(
            Path::new("x.xml"),
            b"<rss>\n<channel>\n<item><key>A-1</kee></item>",
            &Settings::default(),
        )
        .unwrap_err();
        assert_eq!(e[0].line, Some(3));
    }
}
