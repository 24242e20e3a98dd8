//! Markdown → sanitized HTML and plain text.
//!
//! CommonMark plus tables, footnotes, strikethrough and task lists; headings
//! get stable, unique `id`s and a self-link. The HTML is passed through an
//! allow-list sanitizer, so no script from a content file reaches a page.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A rendered Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitized HTML.
    pub html: String,
    /// The text without markup, for search and meta descriptions.
    pub text: String,
}

/// Deepest nesting (block quotes, lists, raw HTML elements) a document may
/// have. Real documents stay far below; a document built to nest a hundred
/// thousand levels would cost minutes to parse and sanitize.
pub const MAX_NESTING: usize = 64;

/// A document nested deeper than [`MAX_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line of the Markdown where the limit is passed.
    pub line: usize,
}

/// Renders Markdown to sanitized HTML and plain text, refusing documents
/// nested deeper than [`MAX_NESTING`] (checked in one pass before parsing).
pub fn render(markdown: &str) -> Result<Rendered, TooDeep> {
    check_nesting(markdown)?;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options).collect();
    let events = add_heading_anchors(events);
    let text = plain_text(&events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    Ok(Rendered {
        html: SANITIZER.clean(&raw).to_string(),
        text,
    })
}

/// Elements whose end tag HTML lets authors leave out: they do not nest.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rtc", "rp",
];
/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// One linear pass: block-quote markers and list indentation per line, and
/// open minus closed raw HTML elements across lines.
fn check_nesting(markdown: &str) -> Result<(), TooDeep> {
    let mut html_depth = 0usize;
    for (i, line) in markdown.lines().enumerate() {
        let too_deep = Err(TooDeep { line: i + 1 });
        let quotes = line
            .chars()
            .take_while(|c| matches!(c, '>' | ' ' | '\t'))
            .filter(|c| *c == '>')
            .count();
        let indent = line.len() - line.trim_start().len();
        if quotes > MAX_NESTING || indent / 2 > MAX_NESTING {
            return too_deep;
        }
        html_depth = html_depth_after(line, html_depth);
        if html_depth > MAX_NESTING {
            return too_deep;
        }
    }
    Ok(())
}

fn html_depth_after(line: &str, mut depth: usize) -> usize {
    let bytes = line.as_bytes();
    for (at, _) in line.match_indices('<') {
        let rest = &line[at + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let starts_tag = rest
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_alphabetic());
        if !starts_tag || VOID.contains(&name.as_str()) || OPTIONAL_END.contains(&name.as_str()) {
            continue;
        }
        let self_closing = rest
            .find('>')
            .is_some_and(|end| end > 0 && bytes[at + end] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
        }
    }
    depth
}

/// Gives every heading a unique id (its slug, or the `{#id}` written in the
/// Markdown) and appends a `#` self-link.
fn add_heading_anchors(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = BTreeSet::new();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i]
        {
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let title = plain_text(&events[i + 1..end]);
            let base = id
                .as_ref()
                .map_or_else(|| crate::model::slugify(&title), |s| s.to_string());
            let unique = unique_id(&base, &mut used);
            out.push(Event::Start(Tag::Heading {
                level: *level,
                id: Some(CowStr::from(unique.clone())),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }));
            out.extend(events[i + 1..end].iter().cloned());
            if *level != HeadingLevel::H1 {
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"#{unique}\" aria-label=\"Link to this section\">#</a>"
                ))));
            }
            if end < events.len() {
                out.push(events[end].clone());
            }
            i = end + 1;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    out
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// Text content of events, with block boundaries as spaces.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps a `style` only when it is a table cell's alignment, the one style
/// Markdown writes; any other style (a `position: fixed` overlay…) is dropped.
fn safe_style(value: &str) -> Option<&str> {
    let align = value.trim().trim_end_matches(';').trim();
    let ok = ["left", "center", "right"]
        .iter()
        .any(|a| align == format!("text-align: {a}"));
    ok.then_some(value)
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input", "del", "sup", "section"])
        .add_generic_attributes(["id"])
        .add_tag_attributes("a", ["class", "aria-label"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(|_, attribute, value| match attribute {
            "style" => safe_style(value).map(std::borrow::Cow::Borrowed),
            _ => Some(value.into()),
        })
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("li", ["class"])
        .add_tag_attributes("code", ["class"])
        .link_rel(Some("noopener noreferrer"))
        .id_prefix(None);
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_render() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n- [x] done\n\n[^1]: note\n",
        )
        .unwrap();
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn headings_get_unique_anchors() {
        let r = render("## Setup\n\n## Setup\n\n## Custom {#mine}\n").unwrap();
        assert!(r.html.contains("id=\"setup\""), "{}", r.html);
        assert!(r.html.contains("id=\"setup-1\""));
        assert!(r.html.contains("id=\"mine\""));
        assert!(r.html.contains("href=\"#setup\""));
    }

    #[test]
    fn scripts_are_removed() {
        let r = render(
            "hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        )
        .unwrap();
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn only_alignment_styles_survive() {
        let r = render("| a | b |\n|:-:|---|\n| 1 | 2 |\n").unwrap();
        assert!(
            r.html.contains("style=\"text-align: center\""),
            "{}",
            r.html
        );
        let hostile = render(
            "<table><tr><td style=\"position:fixed;top:0;left:0;width:100%\">Session expired</td></tr></table>",
        )
        .unwrap();
        assert!(!hostile.html.contains("position"), "{}", hostile.html);
        assert!(!hostile.html.contains("style"), "{}", hostile.html);
    }

    #[test]
    fn deep_nesting_is_refused_in_linear_time() {
        let started = std::time::Instant::now();
        let quotes = format!("ok\n{} deep\n", ">".repeat(100_000));
        assert_eq!(render(&quotes), Err(TooDeep { line: 2 }));
        assert_eq!(render(&"<div>".repeat(20_000)), Err(TooDeep { line: 1 }));
        let list: String = (0..200)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect();
        assert!(render(&list).is_err());
        assert!(started.elapsed().as_secs() < 1, "{:?}", started.elapsed());
        let fine = format!("{}\n\n<p>a<p>b<br><img src=x>\n", ">".repeat(10));
        assert!(render(&(fine + &"<div>x</div>\n".repeat(1000))).is_ok());
    }

    #[test]
    fn plain_text_has_no_markup() {
        assert_eq!(
            render("# Title\n\nSome *bold* `code`.").unwrap().text,
            "Title Some bold code."
        );
    }
}
