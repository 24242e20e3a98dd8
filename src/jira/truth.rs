//! The technical truth of a request: the sales engineer's diagnosis of why a
//! deal was really lost, read from `[jira] truth_field` or from a comment
//! starting with `[jira] truth_prefix` (docs/jira.md, "Technical truth").
//!
//! Comments come as CSV cells (`15/Feb/26 4:37 PM;<author>;<body>`), REST
//! bodies (wiki text or ADF) and XML HTML; each reader turns them into plain
//! text with one line per block, and [`from_comments`] finds the prefix.

use super::Settings;
use super::dates;
use serde_json::Value;

/// The technical truth among `comments` (oldest first): the text after the
/// prefix in the latest comment that has one.
pub fn from_comments<'a>(
    comments: impl IntoIterator<Item = &'a str>,
    prefix: &str,
) -> Option<String> {
    if prefix.trim().is_empty() {
        return None;
    }
    comments
        .into_iter()
        .filter_map(|c| after_prefix(c, prefix))
        .last()
}

/// In one comment: the first line that starts with `prefix` (ignoring case,
/// leading spaces and `*`/`_` emphasis), with the rest of that line and every
/// line after it, on one line.
pub fn after_prefix(text: &str, prefix: &str) -> Option<String> {
    let prefix = prefix.trim();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = strip_prefix_ignoring_case(strip_emphasis(line), prefix) else {
            continue;
        };
        let mut found = strip_emphasis(rest).to_string();
        for more in lines.by_ref() {
            found.push('\n');
            found.push_str(more);
        }
        return one_line(&found);
    }
    None
}

fn strip_emphasis(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_')
}

fn strip_prefix_ignoring_case<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let mut rest = s.char_indices();
    for p in prefix.chars() {
        let (_, c) = rest.next()?;
        if !c.to_lowercase().eq(p.to_lowercase()) {
            return None;
        }
    }
    Some(rest.next().map_or("", |(i, _)| &s[i..]))
}

/// Whitespace runs collapsed to one space; None when nothing is left.
pub fn one_line(text: &str) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// The body of a CSV comment cell. Jira writes `date;author;body` (the author
/// is an account id on Cloud, a user name or nothing on Server); a cell not in
/// that shape is all body.
pub fn csv_comment_body<'c>(cell: &'c str, settings: &Settings) -> &'c str {
    let mut parts = cell.splitn(3, ';');
    let (Some(date), Some(_author), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
        return cell;
    };
    let date = date.trim();
    let is_date = settings
        .date_format
        .as_ref()
        .and_then(|f| f.apply(date))
        .or_else(|| dates::parse_display(date))
        .is_some();
    if is_date { body } else { cell }
}

/// Plain text of an ADF document with one line per block (paragraph,
/// heading, list item…) and hard breaks kept.
pub fn adf_lines(doc: &Value) -> String {
    let mut out = String::new();
    adf_walk(doc, &mut out);
    out
}

fn adf_walk(node: &Value, out: &mut String) {
    match node.get("type").and_then(Value::as_str) {
        Some("hardBreak") => out.push('\n'),
        Some("mention") => {
            if let Some(t) = node.pointer("/attrs/text").and_then(Value::as_str) {
                out.push_str(t);
            }
        }
        _ => {}
    }
    if let Some(t) = node.get("text").and_then(Value::as_str) {
        out.push_str(t);
    }
    if let Some(children) = node.get("content").and_then(Value::as_array) {
        for c in children {
            adf_walk(c, out);
        }
        out.push('\n');
    }
}

/// Plain text of a comment's HTML (XML exports), one line per block; tags
/// dropped, the common entities decoded.
pub fn html_lines(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "br" | "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "pre"
        ) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_latest_prefixed_comment_wins() {
        let comments = [
            "Technical truth: first guess",
            "Call notes, nothing else",
            "  *Technical TRUTH:* the connector exists;\nit lacks pushdown",
            "thanks!",
        ];
        assert_eq!(
            from_comments(comments, "Technical truth:").as_deref(),
            Some("the connector exists; it lacks pushdown")
        );
        assert_eq!(from_comments(comments, ""), None);
        assert_eq!(
            from_comments(["Technical truth:   "], "Technical truth:"),
            None
        );
        assert_eq!(
            after_prefix(
                "Notes from the call.\nTechnical truth: SLA",
                "technical truth:"
            )
            .as_deref(),
            Some("SLA")
        );
        assert_eq!(
            after_prefix("Техническая правда: нет", "ТЕХНИЧЕСКАЯ ПРАВДА:").as_deref(),
            Some("нет")
        );
    }

    #[test]
    fn csv_cells_lose_date_and_author() {
        let s = Settings::default();
        assert_eq!(
            csv_comment_body("12/Jan/26 8:35 AM;557058:a5ff;Body; with a semicolon", &s),
            "Body; with a semicolon"
        );
        assert_eq!(
            csv_comment_body("16/Feb/17 3:29 PM;;Server body", &s),
            "Server body"
        );
        assert_eq!(
            csv_comment_body("not;a;comment cell", &s),
            "not;a;comment cell"
        );
        assert_eq!(csv_comment_body("plain", &s), "plain");
    }

    #[test]
    fn adf_and_html_keep_lines() {
        let doc = json!({"type":"doc","version":1,"content":[
            {"type":"paragraph","content":[{"type":"mention","attrs":{"text":"@Ana"}},{"type":"text","text":" see below"}]},
            {"type":"paragraph","content":[{"type":"text","text":"Technical truth:","marks":[{"type":"strong"}]},{"type":"text","text":" no SLA"},{"type":"hardBreak"},{"type":"text","text":"for EU"}]}
        ]});
        assert_eq!(
            from_comments([adf_lines(&doc).as_str()], "Technical truth:").as_deref(),
            Some("no SLA for EU")
        );
        let html = "<p>Hi</p><p><b>Technical truth:</b> R&amp;D says &lt;no&gt;</p>";
        assert_eq!(
            from_comments([html_lines(html).as_str()], "Technical truth:").as_deref(),
            Some("R&D says <no>")
        );
    }
}
