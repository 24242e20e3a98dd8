//! Non-page outputs: catalog.json, sitemap.xml, redirects, badges.

use super::{OutputFile, Renderer};
use crate::diagnostics::Diagnostic;
use crate::model::Status;
use crate::view::{CapabilityView, SiteView};
use tera::Context;

/// Redirect pages for every `redirect_from` id.
pub fn redirects(
    r: &Renderer,
    view: &SiteView<'_>,
    base: &Context,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut out = Vec::new();
    for c in &view.capabilities {
        for old in c.redirect_from {
            let mut ctx = base.clone();
            ctx.insert("cap", c);
            ctx.insert("target", &format!("../{}/index.html", c.id));
            ctx.insert("canonical", &view.absolute(c.url));
            out.push(r.render(
                "redirect.html",
                &format!("capabilities/{old}/index.html"),
                &mut ctx,
            )?);
        }
    }
    Ok(out)
}

/// catalog.json, sitemap.xml, `_redirects` and status badges.
pub fn data_files(view: &SiteView<'_>) -> Vec<OutputFile> {
    let mut out = vec![
        OutputFile {
            path: "catalog.json".into(),
            bytes: view.doc().to_json().into(),
        },
        OutputFile::text("sitemap.xml", sitemap(view)),
        OutputFile::text("_redirects", redirects_file(view)),
    ];
    out.extend(
        view.capabilities
            .iter()
            .map(|c| OutputFile::text(format!("badges/{}.svg", c.id), badge(c))),
    );
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn sitemap(view: &SiteView<'_>) -> String {
    let mut paths = vec![
        "/".to_string(),
        "/categories/".into(),
        "/status/".into(),
        "/search/".into(),
        "/roadmap/".into(),
        "/changes/".into(),
    ];
    paths.extend(view.capabilities.iter().map(|c| c.url.to_string()));
    paths.extend(
        view.categories
            .iter()
            .map(|c| format!("/categories/{}/", c.slug)),
    );
    paths.extend(
        view.statuses
            .iter()
            .map(|s| format!("/status/{}/", s.status.as_str())),
    );
    paths.extend(view.pages.iter().map(|p| p.path.clone()));
    paths.sort();
    paths.dedup();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&view.absolute(&p)),
            crate::model::date::iso(view.date)
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Netlify / Cloudflare Pages style `_redirects`.
fn redirects_file(view: &SiteView<'_>) -> String {
    let mut lines = Vec::new();
    for c in &view.capabilities {
        for old in c.redirect_from {
            lines.push(format!("/capabilities/{old}/ {} 301", c.url));
            lines.push(format!("/capabilities/{old} {} 301", c.url));
        }
    }
    lines.sort();
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// A shields-style SVG badge: "capability | <status>".
fn badge(c: &CapabilityView<'_>) -> String {
    svg_badge(
        "capability",
        &c.status_label.to_lowercase(),
        status_color(c.status),
    )
}

/// A shields-style SVG badge `label | value`; both texts are XML-escaped.
fn svg_badge(label: &str, value: &str, color: &str) -> String {
    let lw = 10 + label.chars().count() * 7;
    let vw = 10 + value.chars().count() * 7;
    let (label, value, color) = (xml_escape(label), xml_escape(value), xml_escape(color));
    let w = lw + vw;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" role=\"img\" aria-label=\"{label}: {value}\">\
<title>{label}: {value}</title>\
<rect width=\"{lw}\" height=\"20\" fill=\"#24292f\"/><rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{color}\"/>\
<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"5\" y=\"14\">{label}</text><text x=\"{tx}\" y=\"14\">{value}</text></g></svg>\n",
        tx = lw + 5
    )
}

/// The colour of a status in badges.
pub fn status_color(status: Status) -> &'static str {
    match status {
        Status::Available => "#1a7f37",
        Status::Beta => "#0969da",
        Status::InProgress => "#9a6700",
        Status::Planned => "#8250df",
        Status::Considering => "#57606a",
        Status::Unverified => "#cf222e",
        Status::NotPlanned | Status::Unavailable | Status::Deprecated => "#6e7781",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn badge_texts_are_escaped() {
        let svg = super::svg_badge("a<b", "\"x\" & 'y'", "#fff");
        assert!(svg.contains("a&lt;b"), "{svg}");
        assert!(svg.contains("&quot;x&quot; &amp; &apos;y&apos;"), "{svg}");
        assert!(!svg.contains("a<b"));
        assert!(entities_are_complete(&svg));
    }

    /// Every `<` opens a tag and every `&` starts an entity.
    fn entities_are_complete(svg: &str) -> bool {
        svg.match_indices('&').all(|(i, _)| {
            let rest = &svg[i..];
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e))
        })
    }
}
