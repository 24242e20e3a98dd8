//! Rendering: the audience's [`SiteView`] → every file of the site, in memory
//! (HTML pages, catalog.json, sitemap, redirects, badges, static assets).

pub mod context;
pub mod files;
pub mod images;
pub mod theme;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::view::SiteView;
use context::{Card, cards, evidence_groups, site};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};
use theme::Theme;

/// Templates compiled once, rendered many times.
pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    /// Compiles every template of `theme`; all template errors are reported.
    pub fn new(theme: &Theme) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("money", |v: f64, _: tera::Kwargs, _: &tera::State| money(v));
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| vec![template_error(&e, theme)])?;
        Ok(Renderer { tera })
    }

    fn render(
        &self,
        template: &str,
        path: &str,
        ctx: &mut Context,
    ) -> Result<OutputFile, Diagnostic> {
        self.render_with_root(template, path, &root_prefix(path), ctx)
    }

    /// Renders with an explicit prefix to the site root (`root` in templates).
    fn render_with_root(
        &self,
        template: &str,
        path: &str,
        root: &str,
        ctx: &mut Context,
    ) -> Result<OutputFile, Diagnostic> {
        ctx.insert("root", root);
        ctx.insert(
            "current_path",
            &format!("/{}", path.trim_end_matches("index.html")),
        );
        self.tera
            .render(template, ctx)
            .map(|html| OutputFile::text(path, html))
            .map_err(|e| {
                Diagnostic::error(
                    Some(format!("templates/{template}").into()),
                    format!("cannot render {path}: {e}"),
                )
            })
    }
}

fn template_error(e: &tera::Error, theme: &Theme) -> Diagnostic {
    let text = e.to_string();
    let mut d = Diagnostic::error(None, format!("template error: {text}"))
        .with_hint("fix the template; the default theme's templates show the available variables");
    if let Some(name) = theme.templates.keys().find(|n| text.contains(n.as_str())) {
        d.file = Some(format!("themes/<theme>/templates/{name}").into());
        if let Some(line) = text
            .split(&format!("{name}:"))
            .nth(1)
            .and_then(|r| r.split(':').next())
            .and_then(|l| l.parse().ok())
        {
            d.line = Some(line);
        }
    }
    d
}

/// Whole currency units with thousands separators: `420000` → `420,000`.
pub fn money(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// `../` once per folder level of `path` (a file path relative to the root).
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Renders the whole site for `view`, search index included.
pub fn render_site(
    view: &SiteView,
    theme: &Theme,
    search: &crate::config::SearchConfig,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let renderer = Renderer::new(theme)?;
    let mut base = Context::from_serialize(&BaseContext { site: site(view) })
        .map_err(|e| vec![Diagnostic::error(None, e.to_string())])?;
    base.insert("meta_title", &view.title);
    base.insert("meta_description", &view.description);
    let mut jobs: Vec<Job<'_>> = vec![
        Job::Home,
        Job::Categories,
        Job::Statuses,
        Job::Search,
        Job::NotFound,
        Job::Roadmap,
    ];
    if view.audience == crate::config::Audience::Internal {
        jobs.push(Job::Gaps);
    }
    jobs.extend(view.capabilities.iter().map(Job::Capability));
    jobs.extend(view.categories.iter().map(Job::Category));
    jobs.extend(view.statuses.iter().map(Job::Status));
    jobs.extend(view.pages.iter().map(Job::Page));
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| render_job(&renderer, view, base.clone(), job))
        .collect();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => out.push(f),
            Err(d) => errors.push(d),
        }
    }
    match files::redirects(&renderer, view, &base) {
        Ok(r) => out.extend(r),
        Err(d) => errors.push(d),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.extend(files::data_files(view));
    out.extend(theme.statics.iter().map(|(p, b)| OutputFile {
        path: format!("static/{p}"),
        bytes: b.clone(),
    }));
    out.extend(crate::search::index_files(view, search));
    out.sort();
    Ok(out)
}

#[derive(Serialize)]
struct BaseContext<'a> {
    site: context::SiteContext<'a>,
}

enum Job<'a> {
    Home,
    Categories,
    Statuses,
    Search,
    NotFound,
    Roadmap,
    Gaps,
    Capability(&'a crate::view::CapabilityView),
    Category(&'a crate::view::CategoryView),
    Status(&'a crate::view::StatusView),
    Page(&'a crate::catalog::Page),
}

fn render_job(
    r: &Renderer,
    view: &SiteView,
    mut ctx: Context,
    job: &Job<'_>,
) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Home => {
            ctx.insert("home", &view.home);
            ctx.insert("coming_next", &coming_next(view));
            ctx.insert("categories", &category_summaries(view));
            r.render("index.html", "index.html", &mut ctx)
        }
        Job::Capability(c) => {
            ctx.insert("meta_title", &c.title);
            ctx.insert("meta_description", &format!("{} {}", c.answer, c.summary));
            ctx.insert("cap", c);
            ctx.insert("card", &Card::of(c));
            ctx.insert("body_html", &c.body_html);
            ctx.insert("evidence_groups", &evidence_groups(c));
            ctx.insert("related", &cards(view, &c.related));
            ctx.insert("badge", &format!("badges/{}.svg", c.id));
            r.render(
                "capability.html",
                &format!("capabilities/{}/index.html", c.id),
                &mut ctx,
            )
        }
        Job::Categories => {
            ctx.insert("categories", &category_summaries(view));
            r.render("categories.html", "categories/index.html", &mut ctx)
        }
        Job::Category(c) => {
            ctx.insert("meta_title", &c.name);
            ctx.insert("category", c);
            ctx.insert("cards", &cards(view, &c.ids));
            r.render(
                "category.html",
                &format!("categories/{}/index.html", c.slug),
                &mut ctx,
            )
        }
        Job::Statuses => {
            ctx.insert("statuses", &view.statuses);
            r.render("statuses.html", "status/index.html", &mut ctx)
        }
        Job::Status(s) => {
            ctx.insert("meta_title", &s.label);
            ctx.insert("meta_description", &s.meaning);
            ctx.insert("status", s);
            ctx.insert("cards", &cards(view, &s.ids));
            r.render(
                "status.html",
                &format!("status/{}/index.html", s.slug),
                &mut ctx,
            )
        }
        Job::Search => {
            let ids: Vec<String> = view.capabilities.iter().map(|c| c.id.clone()).collect();
            let mut all = cards(view, &ids);
            all.sort_by(|a, b| (a.title.to_lowercase(), a.id).cmp(&(b.title.to_lowercase(), b.id)));
            ctx.insert("cards", &all);
            r.render("search.html", "search/index.html", &mut ctx)
        }
        Job::NotFound => {
            // Served at any depth: links must be absolute.
            let absolute_root = format!("{}/", view.base_url);
            r.render_with_root("404.html", "404.html", &absolute_root, &mut ctx)
        }
        Job::Roadmap => {
            ctx.insert("meta_title", "Roadmap");
            ctx.insert("groups", &roadmap(view));
            r.render("roadmap.html", "roadmap/index.html", &mut ctx)
        }
        Job::Gaps => {
            ctx.insert("meta_title", "Gaps");
            let (ranked, unicorns) = gaps(view);
            ctx.insert("ranked", &ranked);
            ctx.insert("unicorns", &unicorns);
            r.render("gaps.html", "gaps/index.html", &mut ctx)
        }
        Job::Page(p) => {
            ctx.insert("meta_title", &p.title);
            if !p.description.is_empty() {
                ctx.insert("meta_description", &p.description);
            }
            ctx.insert("page", p);
            let path = format!("{}index.html", p.path.trim_start_matches('/'));
            r.render("page.html", &path, &mut ctx)
        }
    }
}

#[derive(Serialize)]
struct CategorySummary<'a> {
    name: &'a str,
    slug: &'a str,
    count: usize,
    by_status: Vec<(&'static str, &'static str, usize)>,
    cards: Vec<Card<'a>>,
}

fn category_summaries(view: &SiteView) -> Vec<CategorySummary<'_>> {
    view.categories
        .iter()
        .map(|c| CategorySummary {
            name: &c.name,
            slug: &c.slug,
            count: c.ids.len(),
            by_status: crate::catalog::Status::ALL
                .iter()
                .filter_map(|s| {
                    c.by_status
                        .get(s.as_str())
                        .map(|n| (s.as_str(), s.label(), *n))
                })
                .collect(),
            cards: cards(view, &c.ids),
        })
        .collect()
}

/// In progress and planned capabilities, soonest target first.
fn coming_next(view: &SiteView) -> Vec<Card<'_>> {
    use crate::catalog::Status;
    let mut next: Vec<Card<'_>> = view
        .capabilities
        .iter()
        .filter(|c| matches!(c.status, Status::InProgress | Status::Planned))
        .map(Card::of)
        .collect();
    next.sort_by(|a, b| {
        (a.target.is_none(), a.target, a.title).cmp(&(b.target.is_none(), b.target, b.title))
    });
    next.truncate(8);
    next
}

/// A roadmap column: one target (quarter or version), or no date.
#[derive(Serialize)]
struct RoadmapGroup<'a> {
    target: Option<&'a str>,
    cards: Vec<Card<'a>>,
}

/// In progress and planned capabilities grouped by target; quarters and
/// versions in order, "no date" last. At-risk items have no target in the
/// public view, so they fall under "no date" there.
fn roadmap(view: &SiteView) -> Vec<RoadmapGroup<'_>> {
    use crate::catalog::Status;
    let mut groups: std::collections::BTreeMap<(bool, Option<&str>), Vec<Card<'_>>> =
        Default::default();
    for c in view
        .capabilities
        .iter()
        .filter(|c| matches!(c.status, Status::InProgress | Status::Planned))
    {
        let target = c.target.as_deref();
        groups
            .entry((target.is_none(), target))
            .or_default()
            .push(Card::of(c));
    }
    groups
        .into_iter()
        .map(|((_, target), mut cards)| {
            cards.sort_by(|a, b| {
                (a.title.to_lowercase(), a.id).cmp(&(b.title.to_lowercase(), b.id))
            });
            RoadmapGroup { target, cards }
        })
        .collect()
}

/// A capability customers asked for that is not shipped.
#[derive(Serialize)]
struct Gap<'a> {
    card: Card<'a>,
    demand: &'a crate::catalog::Demand,
}

/// Unmet demand ranked by distinct accounts, then amount; unicorns apart.
fn gaps(view: &SiteView) -> (Vec<Gap<'_>>, Vec<Gap<'_>>) {
    use crate::catalog::Status;
    let mut all: Vec<Gap<'_>> = view
        .capabilities
        .iter()
        .filter(|c| !matches!(c.status, Status::Available | Status::Beta))
        .filter_map(|c| {
            c.demand.as_ref().map(|demand| Gap {
                card: Card::of(c),
                demand,
            })
        })
        .collect();
    all.sort_by(|a, b| {
        b.demand
            .accounts
            .cmp(&a.demand.accounts)
            .then(b.demand.amount.total_cmp(&a.demand.amount))
            .then(a.card.id.cmp(b.card.id))
    });
    all.into_iter().partition(|g| !g.demand.unicorn)
}

#[cfg(test)]
mod tests {
    use super::root_prefix;

    #[test]
    fn money_formats() {
        assert_eq!(super::money(420000.0), "420,000");
        assert_eq!(super::money(999.4), "999");
        assert_eq!(super::money(-1234.0), "-1,234");
    }

    #[test]
    fn prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("capabilities/x/index.html"), "../../");
    }
}
