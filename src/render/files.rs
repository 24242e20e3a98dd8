//! Non-page outputs: catalog.json, sitemap.xml, redirects, badges.

use super::Renderer;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::view::{CapabilityView, SiteView};
use serde::Serialize;
use tera::Context;

/// Redirect pages for every `redirect_from` id.
pub fn redirects(
    r: &Renderer,
    view: &SiteView,
    base: &Context,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut out = Vec::new();
    for c in &view.capabilities {
        for old in &c.redirect_from {
            let mut ctx = base.clone();
            ctx.insert("cap", c);
            ctx.insert("target", &format!("../{}/index.html", c.id));
            ctx.insert("canonical", &view.absolute(&c.url));
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
pub fn data_files(view: &SiteView) -> Vec<OutputFile> {
    let mut out = vec![
        OutputFile {
            path: "catalog.json".into(),
            bytes: catalog_json(view),
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

#[derive(Serialize)]
struct CatalogJson<'a> {
    schema: u32,
    site: SiteJson<'a>,
    built: BuiltJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roadmap_as_of: Option<&'a str>,
    capabilities: &'a [CapabilityView],
}

#[derive(Serialize)]
struct SiteJson<'a> {
    title: &'a str,
    base_url: &'a str,
    audience: &'static str,
}

#[derive(Serialize)]
struct BuiltJson<'a> {
    commit: Option<&'a str>,
    date: &'a str,
}

/// The machine-readable model (SPEC §7), pretty-printed for readable diffs.
pub fn catalog_json(view: &SiteView) -> Vec<u8> {
    let doc = CatalogJson {
        schema: 1,
        site: SiteJson {
            title: &view.title,
            base_url: &view.base_url,
            audience: view.audience.as_str(),
        },
        built: BuiltJson {
            commit: view.commit.as_deref(),
            date: &view.date,
        },
        roadmap_as_of: view.roadmap_as_of.as_deref(),
        capabilities: &view.capabilities,
    };
    let json = serde_json::to_string_pretty(&doc).expect("the catalog model always serializes");
    let mut text = html_safe_json(&json);
    text.push('\n');
    text.into_bytes()
}

/// Escapes `<`, `>` and `&` inside JSON (they can only occur in strings), so
/// the file stays inert even if a consumer pastes it into HTML.
pub fn html_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn sitemap(view: &SiteView) -> String {
    let mut paths = vec![
        "/".to_string(),
        "/categories/".into(),
        "/status/".into(),
        "/search/".into(),
        "/roadmap/".into(),
    ];
    paths.extend(view.capabilities.iter().map(|c| c.url.clone()));
    paths.extend(
        view.categories
            .iter()
            .map(|c| format!("/categories/{}/", c.slug)),
    );
    paths.extend(view.statuses.iter().map(|s| format!("/status/{}/", s.slug)));
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
            xml_escape(&view.date)
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Netlify / Cloudflare Pages style `_redirects`.
fn redirects_file(view: &SiteView) -> String {
    let mut lines = Vec::new();
    for c in &view.capabilities {
        for old in &c.redirect_from {
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
fn badge(c: &CapabilityView) -> String {
    let label = "capability";
    let value = c.status_label.to_lowercase();
    let color = match c.status.as_str() {
        "available" => "#1a7f37",
        "beta" => "#0969da",
        "in-progress" => "#9a6700",
        "planned" => "#8250df",
        "considering" => "#57606a",
        "unverified" => "#cf222e",
        _ => "#6e7781",
    };
    let lw = 10 + label.len() * 7;
    let vw = 10 + value.len() * 7;
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
