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

/// Renders Markdown to sanitized HTML and plain text.
pub fn render(markdown: &str) -> Rendered {
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
    Rendered {
        html: SANITIZER.clean(&raw).to_string(),
        text,
    }
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

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input", "del", "sup", "section"])
        .add_generic_attributes(["id"])
        .add_tag_attributes("a", ["class", "aria-label"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
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
        );
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn headings_get_unique_anchors() {
        let r = render("## Setup\n\n## Setup\n\n## Custom {#mine}\n");
        assert!(r.html.contains("id=\"setup\""), "{}", r.html);
        assert!(r.html.contains("id=\"setup-1\""));
        assert!(r.html.contains("id=\"mine\""));
        assert!(r.html.contains("href=\"#setup\""));
    }

    #[test]
    fn scripts_are_removed() {
        let r = render(
            "hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn plain_text_has_no_markup() {
        assert_eq!(
            render("# Title\n\nSome *bold* `code`.").text,
            "Title Some bold code."
        );
    }
}
