//! Descriptions to safe HTML: Jira wiki markup (CSV exports, REST v2), Atlassian
//! Document Format (REST v3) and the entity-escaped HTML of XML exports.
//!
//! Wiki markup is converted safe by construction: every piece of source text
//! is escaped, only a fixed set of attribute-free tags is written, and the one
//! attribute (`href`) is escaped and limited to http, https and mailto. That
//! keeps 100,000-issue exports fast. ADF and the HTML of XML exports also pass
//! through ammonia's allow-list, so no script from Jira can reach a page.

use serde_json::Value;

/// Sanitizes untrusted HTML with ammonia's allow-list (links get
/// `rel="noopener noreferrer"`).
pub fn sanitize_html(html: &str) -> String {
    ammonia::clean(html)
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped for HTML.
pub fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// True for link targets a page may carry (no `javascript:` and the like).
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Jira wiki markup → safe HTML. Handles headings (`h1.`–`h6.`), bullet and
/// numbered lists (`*`, `#`, `-`), `{code}`/`{noformat}` blocks, `*bold*`,
/// `_italic_`, `{{monospace}}`, `[text|url]` links and paragraphs; anything
/// else stays as escaped text.
pub fn wiki_to_html(src: &str) -> String {
    let mut w = Wiki {
        out: String::with_capacity(src.len() + src.len() / 2),
        para: Vec::new(),
        list: None,
    };
    let mut lines = src.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if let Some(fence) = block_fence(t) {
            w.flush();
            w.out.push_str("<pre><code>");
            let mut first = true;
            for inner in lines.by_ref() {
                if inner.trim().starts_with(fence) {
                    break;
                }
                if !first {
                    w.out.push('\n');
                }
                first = false;
                escape_into(&mut w.out, inner.trim_end_matches('\r'));
            }
            w.out.push_str("</code></pre>");
        } else if t.is_empty() {
            w.flush();
        } else if let Some((level, text)) = heading(t) {
            w.flush();
            let tag = HEADINGS[usize::from(level) - 1];
            w.out.push('<');
            w.out.push_str(tag);
            w.out.push('>');
            inline(&mut w.out, text);
            w.out.push_str("</");
            w.out.push_str(tag);
            w.out.push('>');
        } else if let Some((tag, text)) = list_item(t) {
            w.flush_para();
            if w.list != Some(tag) {
                w.close_list();
                w.out.push_str(if tag == "ol" { "<ol>" } else { "<ul>" });
                w.list = Some(tag);
            }
            w.out.push_str("<li>");
            inline(&mut w.out, text);
            w.out.push_str("</li>");
        } else {
            w.close_list();
            w.para.push(t);
        }
    }
    w.flush();
    w.out
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

/// The wiki converter's output and open blocks.
struct Wiki<'a> {
    out: String,
    para: Vec<&'a str>,
    list: Option<&'static str>,
}

impl Wiki<'_> {
    fn flush_para(&mut self) {
        if self.para.is_empty() {
            return;
        }
        self.out.push_str("<p>");
        for (i, line) in self.para.iter().enumerate() {
            if i > 0 {
                self.out.push_str("<br>");
            }
            inline(&mut self.out, line);
        }
        self.out.push_str("</p>");
        self.para.clear();
    }

    fn close_list(&mut self) {
        if let Some(tag) = self.list.take() {
            self.out
                .push_str(if tag == "ol" { "</ol>" } else { "</ul>" });
        }
    }

    fn flush(&mut self) {
        self.flush_para();
        self.close_list();
    }
}

fn block_fence(t: &str) -> Option<&'static str> {
    if t.starts_with("{code") {
        Some("{code")
    } else if t.starts_with("{noformat") {
        Some("{noformat")
    } else {
        None
    }
}

fn heading(t: &str) -> Option<(u8, &str)> {
    let b = t.as_bytes();
    if b.len() >= 3 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1]) && b[2] == b'.' {
        Some((b[1] - b'0', t[3..].trim()))
    } else {
        None
    }
}

fn list_item(t: &str) -> Option<(&'static str, &str)> {
    let marker_end = t.find(|c: char| !matches!(c, '*' | '#' | '-'))?;
    let rest = &t[marker_end..];
    if marker_end == 0 || !rest.starts_with(' ') {
        return None;
    }
    let tag = if t.starts_with('#') { "ol" } else { "ul" };
    Some((tag, rest.trim()))
}

/// Inline wiki markup of one line, appended to `out` as escaped HTML.
fn inline(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(pos) = rest.find(['[', '*', '_', '{']) {
        escape_into(out, &rest[..pos]);
        let tail = &rest[pos..];
        match inline_span(out, tail) {
            Some(used) => rest = &tail[used..],
            None => {
                // The markers are ASCII and need no escaping.
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    escape_into(out, rest);
}

/// Writes one span (`{{mono}}`, `[link]`, `*bold*`, `_em_`) starting at
/// `tail`; returns the bytes used, or None when `tail` opens no span.
fn inline_span(out: &mut String, tail: &str) -> Option<usize> {
    if let Some(body) = tail.strip_prefix("{{") {
        let end = body.find("}}")?;
        out.push_str("<code>");
        escape_into(out, &body[..end]);
        out.push_str("</code>");
        return Some(end + 4);
    }
    if let Some(body) = tail.strip_prefix('[') {
        let end = body.find(']')?;
        let inner = &body[..end];
        let (label, url) = inner.split_once('|').unwrap_or((inner, inner));
        if !safe_url(url) {
            return None;
        }
        out.push_str("<a href=\"");
        escape_into(out, url.trim());
        out.push_str("\" rel=\"noopener noreferrer\">");
        escape_into(out, label);
        out.push_str("</a>");
        return Some(end + 2);
    }
    let marker = *tail.as_bytes().first()?;
    let tag = match marker {
        b'*' => "strong",
        b'_' => "em",
        _ => return None,
    };
    let body = &tail[1..];
    let end = body.find(char::from(marker))?;
    let inner = &body[..end];
    if inner.is_empty() || inner.starts_with(' ') || inner.ends_with(' ') {
        return None;
    }
    out.push('<');
    out.push_str(tag);
    out.push('>');
    escape_into(out, inner);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
    Some(end + 2)
}

/// An Atlassian Document Format node → safe HTML.
pub fn adf_to_html(doc: &Value) -> String {
    let mut out = String::new();
    adf_node(doc, &mut out);
    sanitize_html(&out)
}

fn adf_children(node: &Value, out: &mut String) {
    if let Some(children) = node.get("content").and_then(Value::as_array) {
        for c in children {
            adf_node(c, out);
        }
    }
}

fn adf_node(node: &Value, out: &mut String) {
    let kind = node.get("type").and_then(Value::as_str).unwrap_or("");
    let wrap = |tag: &str, out: &mut String| {
        out.push_str(&format!("<{tag}>"));
        adf_children(node, out);
        out.push_str(&format!("</{tag}>"));
    };
    match kind {
        "text" => adf_text(node, out),
        "paragraph" => wrap("p", out),
        "heading" => {
            let level = node
                .pointer("/attrs/level")
                .and_then(Value::as_u64)
                .unwrap_or(3)
                .clamp(1, 6);
            wrap(&format!("h{level}"), out);
        }
        "bulletList" => wrap("ul", out),
        "orderedList" => wrap("ol", out),
        "listItem" => wrap("li", out),
        "blockquote" => wrap("blockquote", out),
        "codeBlock" => {
            out.push_str("<pre><code>");
            adf_children(node, out);
            out.push_str("</code></pre>");
        }
        "hardBreak" => out.push_str("<br>"),
        "rule" => out.push_str("<hr>"),
        "table" => wrap("table", out),
        "tableRow" => wrap("tr", out),
        "tableHeader" => wrap("th", out),
        "tableCell" => wrap("td", out),
        "mention" | "emoji" | "status" | "date" | "inlineCard" => adf_atom(node, out),
        _ => adf_children(node, out),
    }
}

fn adf_atom(node: &Value, out: &mut String) {
    let attrs = node.get("attrs");
    let text = ["text", "shortName", "url", "timestamp"]
        .iter()
        .find_map(|k| attrs.and_then(|a| a.get(*k)).and_then(Value::as_str));
    if let Some(t) = text {
        out.push_str(&escape(t));
    }
}

fn adf_text(node: &Value, out: &mut String) {
    let text = escape(node.get("text").and_then(Value::as_str).unwrap_or(""));
    let mut html = text;
    for mark in node
        .get("marks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let kind = mark.get("type").and_then(Value::as_str).unwrap_or("");
        html = match kind {
            "strong" => format!("<strong>{html}</strong>"),
            "em" => format!("<em>{html}</em>"),
            "code" => format!("<code>{html}</code>"),
            "strike" => format!("<del>{html}</del>"),
            "link" => match mark.pointer("/attrs/href").and_then(Value::as_str) {
                Some(href) if safe_url(href) => format!("<a href=\"{}\">{html}</a>", escape(href)),
                _ => html,
            },
            _ => html,
        };
    }
    out.push_str(&html);
}

/// Plain text of an ADF document (for single-line fields such as a lost-deal note).
pub fn adf_to_text(doc: &Value) -> String {
    let mut out = String::new();
    adf_text_walk(doc, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn adf_text_walk(node: &Value, out: &mut String) {
    if let Some(t) = node.get("text").and_then(Value::as_str) {
        out.push_str(t);
    }
    if let Some(children) = node.get("content").and_then(Value::as_array) {
        for c in children {
            adf_text_walk(c, out);
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wiki_markup_becomes_html() {
        let html = wiki_to_html(
            "h3. Goal\r\nMake *bold* and _it_ work.\r\n\r\n# one\r\n# two\r\n{code}\r\nlet x = 1 < 2;\r\n{code}\r\n[docs|https://example.com]",
        );
        assert!(html.contains("<h3>Goal</h3>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("<em>it</em>"), "{html}");
        assert!(html.contains("<ol><li>one</li><li>two</li></ol>"), "{html}");
        assert!(
            html.contains("<pre><code>let x = 1 &lt; 2;</code></pre>"),
            "{html}"
        );
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        // Everything written is inside ammonia's allow-list already.
        assert_eq!(sanitize_html(&html), html);
    }

    #[test]
    fn wiki_markup_cannot_inject_script() {
        let html = wiki_to_html(
            "<script>alert(1)</script> [x|javascript:alert(1)] *<img src=x onerror=alert(1)>*",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn adf_becomes_html_and_text() {
        let doc = json!({"type":"doc","version":1,"content":[
            {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Scope"}]},
            {"type":"paragraph","content":[
                {"type":"text","text":"See "},
                {"type":"text","text":"spec","marks":[{"type":"link","attrs":{"href":"https://x.example/s"}},{"type":"strong"}]},
                {"type":"text","text":" <now>"}]},
            {"type":"bulletList","content":[{"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"a"}]}]}]},
            {"type":"paragraph","content":[{"type":"text","text":"evil","marks":[{"type":"link","attrs":{"href":"javascript:alert(1)"}}]}]}
        ]});
        let html = adf_to_html(&doc);
        assert!(html.contains("<h2>Scope</h2>"), "{html}");
        assert!(html.contains("<strong><a href=\"https://x.example/s\" rel=\"noopener noreferrer\">spec</a></strong>"), "{html}");
        assert!(html.contains("&lt;now&gt;"), "{html}");
        assert!(html.contains("<ul><li><p>a</p></li></ul>"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert_eq!(adf_to_text(&doc), "Scope See spec <now> a evil");
    }
}
