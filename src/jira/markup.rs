//! Descriptions to safe HTML: Jira wiki markup (CSV exports, REST v2), Atlassian
//! Document Format (REST v3) and the entity-escaped HTML of XML exports.
//!
//! Wiki markup and ADF are converted by construction — every piece of text is
//! escaped and only a fixed set of tags is written — and the result still
//! passes through ammonia, so no script from Jira can reach a page.

use serde_json::Value;

/// Sanitizes untrusted HTML with ammonia's allow-list (links get
/// `rel="noopener noreferrer"`).
pub fn sanitize_html(html: &str) -> String {
    ammonia::clean(html)
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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
    let src = src.replace("\r\n", "\n");
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<&'static str> = None;
    let mut lines = src.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if let Some(fence) = block_fence(t) {
            flush(&mut out, &mut para, &mut list);
            out.push_str("<pre><code>");
            let mut first = true;
            for inner in lines.by_ref() {
                if inner.trim().starts_with(fence) {
                    break;
                }
                if !first {
                    out.push('\n');
                }
                first = false;
                out.push_str(&escape(inner));
            }
            out.push_str("</code></pre>");
        } else if t.is_empty() {
            flush(&mut out, &mut para, &mut list);
        } else if let Some((level, text)) = heading(t) {
            flush(&mut out, &mut para, &mut list);
            out.push_str(&format!("<h{level}>{}</h{level}>", inline(text)));
        } else if let Some((tag, text)) = list_item(t) {
            flush_para(&mut out, &mut para);
            if list != Some(tag) {
                close_list(&mut out, &mut list);
                out.push_str(&format!("<{tag}>"));
                list = Some(tag);
            }
            out.push_str(&format!("<li>{}</li>", inline(text)));
        } else {
            close_list(&mut out, &mut list);
            para.push(t);
        }
    }
    flush(&mut out, &mut para, &mut list);
    sanitize_html(&out)
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

fn flush_para(out: &mut String, para: &mut Vec<&str>) {
    if !para.is_empty() {
        let text: Vec<String> = para.iter().map(|l| inline(l)).collect();
        out.push_str(&format!("<p>{}</p>", text.join("<br>")));
        para.clear();
    }
}

fn close_list(out: &mut String, list: &mut Option<&'static str>) {
    if let Some(tag) = list.take() {
        out.push_str(&format!("</{tag}>"));
    }
}

fn flush(out: &mut String, para: &mut Vec<&str>, list: &mut Option<&'static str>) {
    flush_para(out, para);
    close_list(out, list);
}

/// Inline wiki markup of one line → escaped HTML.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['[', '*', '_', '{']) {
        out.push_str(&escape(&rest[..pos]));
        let tail = &rest[pos..];
        if let Some((html, used)) = inline_span(tail) {
            out.push_str(&html);
            rest = &tail[used..];
        } else {
            let c = tail.chars().next().unwrap_or(' ');
            out.push_str(&escape(&c.to_string()));
            rest = &tail[c.len_utf8()..];
        }
    }
    out.push_str(&escape(rest));
    out
}

fn inline_span(tail: &str) -> Option<(String, usize)> {
    if let Some(body) = tail.strip_prefix("{{") {
        let end = body.find("}}")?;
        return Some((format!("<code>{}</code>", escape(&body[..end])), end + 4));
    }
    if let Some(body) = tail.strip_prefix('[') {
        let end = body.find(']')?;
        let inner = &body[..end];
        let (label, url) = inner.split_once('|').unwrap_or((inner, inner));
        if !safe_url(url) {
            return None;
        }
        let html = format!("<a href=\"{}\">{}</a>", escape(url.trim()), escape(label));
        return Some((html, end + 2));
    }
    let marker = tail.chars().next()?;
    let (tag, body) = match marker {
        '*' => ("strong", &tail[1..]),
        '_' => ("em", &tail[1..]),
        _ => return None,
    };
    let end = body.find(marker)?;
    let inner = &body[..end];
    if inner.is_empty() || inner.starts_with(' ') || inner.ends_with(' ') {
        return None;
    }
    Some((format!("<{tag}>{}</{tag}>", escape(inner)), end + 2))
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
