//! Rendering: the audience's [`SiteView`] → every file of the site, in memory
//! (HTML pages, catalog.json, sitemap, redirects, badges, the search index,
//! static assets). Writing them is [`crate::output`]'s job.

pub mod context;
pub mod files;
pub mod history;
pub mod images;
pub mod insight;
pub mod links;
pub mod page_cache;
pub mod paging;
pub mod previews;
pub mod search_index;
pub mod theme;

use crate::diagnostics::Diagnostic;
use crate::view::{CategoryView, SiteView, StatusView};
use context::{Card, cards, evidence_groups, site, tested_in};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};
use theme::Theme;

/// One file of the rendered site, held in memory until it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated, no leading slash
    /// (`capabilities/sso-saml/index.html`).
    pub path: String,
    /// File content; a clone shares it (every capability's badge of one
    /// status is one buffer).
    pub bytes: bytes::Bytes,
}

impl OutputFile {
    /// A file from text.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> Self {
        OutputFile {
            path: path.into(),
            bytes: text.into().into(),
        }
    }
}

/// Templates compiled once, rendered many times.
pub struct Renderer {
    tera: Tera,
    theme: Theme,
}

impl Renderer {
    /// Compiles every template of `theme`; all template errors are reported.
    pub fn new(theme: &Theme) -> Result<Renderer, Vec<Diagnostic>> {
        Renderer::with_currency(theme, "")
    }

    /// [`Renderer::new`], with amounts (the `money` filter) in `currency`.
    pub fn with_currency(theme: &Theme, currency: &str) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let currency = currency.to_string();
        tera.register_filter("money", move |v: f64, _: tera::Kwargs, _: &tera::State| {
            with_currency(&crate::model::money(v), &currency)
        });
        tera.register_filter("code_spans", |v: &str, _: tera::Kwargs, _: &tera::State| {
            code_spans(v)
        });
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| vec![template_error(&e, theme, "template error")])?;
        Ok(Renderer {
            tera,
            theme: theme.clone(),
        })
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
        PAGE_BUFFER
            .with_borrow_mut(|buffer| {
                buffer.clear();
                self.tera.render_to(template, ctx, &mut *buffer)?;
                Ok(OutputFile {
                    path: path.to_string(),
                    bytes: buffer.as_slice().to_vec().into(),
                })
            })
            .map_err(|e| template_error(&e, &self.theme, &format!("cannot render {path}")))
    }
}

thread_local! {
    /// The buffer each thread renders its pages into, which keeps its
    /// capacity from page to page; a page keeps an exact copy. Rendered into
    /// a buffer of its own, a page grows it by doubling from tera's guess and
    /// keeps up to twice its size: at 20,000 capabilities that is memory the
    /// kernel must map and zero for nothing (docs/performance.md).
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A located diagnostic from tera's structured error: the template file
/// (the catalog's override or the default theme's), line and column.
fn template_error(e: &tera::Error, theme: &Theme, what: &str) -> Diagnostic {
    let hint = "fix the template; the default theme's templates show the available variables";
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                Some(theme.template_path(report.filename())),
                format!("{what}: {}", report.message()),
            )
            .at(span.start_line, span.start_col + 1)
            .with_hint(hint)
        }
        _ => Diagnostic::error(None, format!("{what}: {e}")).with_hint(hint),
    }
}

/// Escapes `text` for HTML and turns each `` `span` `` into `<code>span</code>`
/// (diagnostic messages quote names that way); use with `| safe`.
pub fn code_spans(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;");
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{part}</code>"));
        } else {
            out.push_str(part);
        }
    }
    if escaped.matches('`').count() % 2 == 1 {
        // An unpaired backtick: keep the text as it was.
        return escaped;
    }
    out
}

/// An amount with its currency: a code is written before it with a space
/// (`EUR 285,000`), a symbol without (`€285,000`).
pub fn with_currency(amount: &str, currency: &str) -> String {
    if currency.is_empty() {
        amount.to_string()
    } else if currency.chars().all(|c| c.is_ascii_alphabetic()) {
        format!("{currency} {amount}")
    } else {
        format!("{currency}{amount}")
    }
}

/// The path part of a base URL, ending in `/`: `https://x.example/docs` →
/// `/docs/`; `/` without one.
pub fn site_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// `../` once per folder level of `path` (a file path relative to the root).
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Renders the whole site for `view`, search index included, without the
/// preview card images (their `og:image` tags are there).
pub fn render_site(
    view: &SiteView<'_>,
    theme: &Theme,
    search: &crate::config::SearchConfig,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_site_with_cards(view, theme, search, None, None).map(|r| r.files)
}

/// Whether and where a build makes its preview cards.
#[derive(Debug, Clone, Default)]
pub struct CardOptions {
    /// Folder of rendered cards by key; `None` renders every card.
    pub cache: Option<std::path::PathBuf>,
}

/// What a build keeps between runs so it renders only what changed.
pub struct RenderCaches<'c> {
    /// Each capability's search terms: the search index reads again only
    /// the capabilities whose text changed, and leaves this view's here.
    pub terms: &'c mut crate::search::index::TermsCache,
    /// The capability pages' digests: a page whose data did not change, and
    /// which the live site holds (`in_site`), is not rendered again; the
    /// pages rendered are recorded here.
    pub pages: &'c mut crate::cache_log::CacheLog,
    /// Whether the site being replaced holds the file at a path with this
    /// size and SHA-256, so that a page can be taken from there.
    pub in_site: &'c InSite<'c>,
}

/// Whether a site holds the file at `path` with this size and SHA-256.
pub type InSite<'a> = dyn Fn(&str, u64, &[u8; 32]) -> bool + Sync + 'a;

/// A capability page the page cache found unchanged and the live site holds
/// byte for byte: it is not in memory; the output links it from the live
/// site, and the link check reads it there when it must.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFile {
    /// Path relative to the output folder.
    pub path: String,
    /// Length in bytes.
    pub size: u64,
    /// SHA-256 of the bytes.
    pub digest: [u8; 32],
}

/// The SHA-256 of rendered files whose digest is already known, by path.
pub type Digests = std::collections::HashMap<String, [u8; 32]>;

/// A rendered site.
#[derive(Debug)]
pub struct Rendered {
    /// Every file rendered, sorted by path.
    pub files: Vec<OutputFile>,
    /// The pages kept as the live site has them, sorted by path (only when
    /// rendered with caches).
    pub kept: Vec<KeptFile>,
    /// What was made anew and what came from the caches.
    pub stats: RenderStats,
    /// The SHA-256 of every file of `files` when rendered with caches
    /// (without, only the PNG badges'): the capability pages are hashed as
    /// they are rendered, the PNG badges once per status, the rest once each.
    /// The link check's cache and the output's manifest take them as they
    /// are.
    pub digests: Digests,
}

/// What rendering made anew and what it took from the caches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Preview cards.
    pub cards: previews::CardStats,
    /// Capability pages rendered.
    pub pages_rendered: usize,
    /// Capability pages kept as the live site has them (the page cache
    /// found their data unchanged).
    pub pages_cached: usize,
}

/// [`render_site`], plus the preview card images when `cards` is given and
/// the site has a base URL, through `caches` when given; says how many cards
/// and capability pages were rendered and how many came from the caches.
/// The files are those of [`render_site`] either way.
pub fn render_site_with_cards(
    view: &SiteView<'_>,
    theme: &Theme,
    search: &crate::config::SearchConfig,
    cards_wanted: Option<&CardOptions>,
    caches: Option<RenderCaches<'_>>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let renderer = Renderer::with_currency(theme, &view.site.currency)?;
    let card_plans = previews::plan(view);
    let base_data = BaseContext { site: site(view) };
    let mut base = Context::from_serialize(&base_data)
        .map_err(|e| vec![Diagnostic::error(None, e.to_string())])?;
    let (terms, mut pages) = match caches {
        Some(RenderCaches {
            terms,
            pages,
            in_site,
        }) => {
            let shared = (
                &base_data,
                &view.site.title,
                &view.site.description,
                &view.site.currency,
            );
            let templates = theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str()));
            let pages = page_cache::PageCache::new(pages, templates, &shared, in_site);
            (Some(terms), Some(pages))
        }
        None => (None, None),
    };
    base.insert("meta_title", &view.site.title);
    base.insert("meta_description", &view.site.description);
    base.insert("og_image", "");
    base.insert("og_image_alt", "");
    let mut jobs: Vec<Job<'_, '_>> = vec![
        Job::Home,
        Job::Categories,
        Job::Statuses,
        Job::Search,
        Job::NotFound,
        Job::Roadmap,
    ];
    if let Some(gaps) = &view.gaps {
        jobs.push(Job::Gaps(gaps));
    }
    if let Some(accounts) = &view.accounts {
        jobs.push(Job::Accounts(accounts));
        jobs.extend(accounts.iter().map(Job::Account));
    }
    if view.autopsy.is_some() {
        jobs.push(Job::Autopsy);
    }
    if let Some(drift) = view.drift {
        jobs.push(Job::Drift(drift));
    }
    jobs.extend(view.capabilities.iter().map(Job::Capability));
    for c in &view.categories {
        jobs.extend((1..=paging::page_count(c.members.len())).map(|p| Job::Category(c, p)));
    }
    for s in &view.statuses {
        jobs.extend((1..=paging::page_count(s.members.len())).map(|p| Job::Status(s, p)));
    }
    jobs.extend(view.pages.iter().map(|&p| Job::Page(p)));
    // The search index and the data files are made beside the pages: the
    // pages are parallel, but the rest has sequential steps they fill.
    let other_files = || {
        let index_files = || {
            let index = match terms {
                Some(cache) => crate::search::cached_index_of(view, search, cache),
                None => crate::search::index_of(view, search),
            };
            search_index::write(&index)
        };
        let data_files = || {
            let (mut files, (feeds, (badges, digests))) = rayon::join(
                || files::data_files(view),
                || rayon::join(|| history::files(view), || previews::badges(view)),
            );
            files.extend(feeds);
            files.extend(badges);
            (files, digests)
        };
        let (mut files, (data, digests)) = rayon::join(index_files, data_files);
        files.extend(data);
        (files, digests)
    };
    // Each capability's card, as the pages listing it as related show it.
    let card_keys: Vec<Option<crate::cache_log::Key>> = match pages {
        Some(_) => view
            .capabilities
            .par_iter()
            .map(|c| page_cache::digest(&Card::of(c)))
            .collect(),
        None => Vec::new(),
    };
    let cached_pages = pages.as_ref().map(|p| (p, &card_keys[..]));
    let render = |job: &Job<'_, '_>| match (job, cached_pages) {
        (Job::Capability(c), Some(pages)) => {
            cached_capability(&renderer, view, base.clone(), c, &card_plans, pages)
        }
        _ => render_job(&renderer, view, base.clone(), job, &card_plans)
            .map(|f| Made::Rendered(f, None)),
    };
    let (results, (other_files, badge_digests)): (Vec<Result<Made, Diagnostic>>, _) =
        rayon::join(|| jobs.par_iter().map(render).collect(), other_files);
    let (mut stats, mut digests) = match pages.as_mut() {
        Some(pages) => keep_pages(pages, view, &results),
        None => Default::default(),
    };
    digests.extend(badge_digests);
    let mut out = Vec::new();
    let mut kept = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(Made::Rendered(f, _)) => out.push(f),
            Ok(Made::Kept(k)) => kept.push(k),
            Err(d) => errors.push(d),
        }
    }
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    match files::redirects(&renderer, view, &base) {
        Ok(r) => out.extend(r),
        Err(d) => errors.push(d),
    }
    match history::pages(&renderer, view, &base) {
        Ok(pages) => out.extend(pages),
        Err(d) => errors.push(d),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.extend(other_files);
    out.extend(theme.statics.iter().map(|(p, b)| OutputFile {
        path: format!("static/{p}"),
        bytes: b.clone().into(),
    }));
    if let Some(wanted) = cards_wanted {
        let (images, made) = previews::cards(&card_plans, wanted.cache.as_deref());
        out.extend(images);
        stats.cards = made;
    }
    out.sort();
    if pages.is_some() {
        digests.extend(digests_of_the_rest(&out, &digests));
    }
    Ok(Rendered {
        files: out,
        kept,
        stats,
        digests,
    })
}

/// The SHA-256 of `bytes`, as [`Digests`] holds it.
fn sha256(bytes: &[u8]) -> [u8; 32] {
    <sha2::Sha256 as sha2::Digest>::digest(bytes).into()
}

/// The SHA-256 of each of `files` that `known` lacks, on all cores: the
/// link check's cache and the output's manifest both go by them.
fn digests_of_the_rest(files: &[OutputFile], known: &Digests) -> Vec<(String, [u8; 32])> {
    // Collected first: the files lacking one lie in runs (badges, search
    // shards), which would leave one core with most of the hashing.
    let rest: Vec<&OutputFile> = files
        .iter()
        .filter(|f| !known.contains_key(&f.path))
        .collect();
    rest.par_iter()
        .map(|f| {
            let digest = sha256(&f.bytes);
            (f.path.clone(), digest)
        })
        .collect()
}

#[derive(Serialize)]
struct BaseContext<'a> {
    site: context::SiteContext<'a>,
}

enum Job<'v, 'a> {
    Home,
    Categories,
    Statuses,
    Search,
    NotFound,
    Roadmap,
    Gaps(&'v crate::catalog::plan::Gaps),
    Accounts(&'v [crate::model::insight::AccountDoc]),
    Account(&'v crate::model::insight::AccountDoc),
    Autopsy,
    Drift(&'a crate::catalog::drift::Drift),
    Capability(&'v crate::view::CapabilityView<'a>),
    /// A category listing and its page number (from 1).
    Category(&'v CategoryView<'a>, usize),
    /// A status listing and its page number (from 1).
    Status(&'v StatusView, usize),
    Page(&'a crate::content::Page),
}

/// Everything a capability page's template gets besides the data every
/// page shares.
#[derive(Serialize)]
struct CapabilityPage<'v> {
    meta_title: &'v str,
    meta_description: String,
    cap: &'v crate::view::CapabilityView<'v>,
    card: Card<'v>,
    body_html: &'v str,
    evidence_groups: Vec<context::EvidenceGroup<'v>>,
    tested_in: Vec<&'v str>,
    related: Vec<Card<'v>>,
    badge: String,
    badge_png: String,
    declined_work: Vec<&'v str>,
    share: context::Share,
    og_image: String,
    og_image_alt: String,
    timeline: history::TimelineContext<'v>,
    re_engage: Vec<history::ReEngageRow<'v>>,
}

impl<'v> CapabilityPage<'v> {
    fn of(
        view: &'v SiteView<'_>,
        c: &'v crate::view::CapabilityView<'v>,
        card_plans: &std::collections::BTreeMap<String, previews::CardPlan>,
    ) -> Self {
        let declined_work = c
            .work
            .unwrap_or_default()
            .iter()
            .filter(|w| w.is_declined())
            .map(|w| w.key.as_str())
            .collect();
        // Without a card the shared (empty) og_image values stay.
        let plan = card_plans.get(c.id);
        CapabilityPage {
            meta_title: c.title,
            meta_description: format!("{} {}", c.answer, c.summary),
            cap: c,
            card: Card::of(c),
            body_html: c.body_html,
            evidence_groups: evidence_groups(c),
            tested_in: tested_in(c),
            related: cards(view, &c.related),
            badge: format!("badges/{}.svg", c.id),
            badge_png: previews::badge_png_path(c.id),
            declined_work,
            share: context::Share::of(view, c),
            og_image: plan.map_or_else(String::new, |p| p.url(&view.site.base_url)),
            og_image_alt: plan.map_or_else(String::new, |_| format!("{}: {}", c.title, c.answer)),
            timeline: history::timeline_context(view, c),
            re_engage: history::re_engage_of(view, c),
        }
    }
}

fn capability_path(c: &crate::view::CapabilityView<'_>) -> String {
    format!("capabilities/{}/index.html", c.id)
}

fn render_capability(
    r: &Renderer,
    mut ctx: Context,
    c: &crate::view::CapabilityView<'_>,
    page: &CapabilityPage<'_>,
) -> Result<OutputFile, Diagnostic> {
    let data = Context::from_serialize(page).map_err(|e| {
        Diagnostic::error(None, format!("cannot render {}: {e}", capability_path(c)))
    })?;
    ctx.extend(data);
    r.render("capability.html", &capability_path(c), &mut ctx)
}

/// A capability page kept as the live site has it when `pages` holds it for
/// this data, else rendered; with the key and digest of a page rendered
/// anew.
fn cached_capability(
    r: &Renderer,
    view: &SiteView<'_>,
    ctx: Context,
    c: &crate::view::CapabilityView<'_>,
    card_plans: &std::collections::BTreeMap<String, previews::CardPlan>,
    (pages, card_keys): (&page_cache::PageCache<'_>, &[Option<crate::cache_log::Key>]),
) -> Result<Made, Diagnostic> {
    let mut page = CapabilityPage::of(view, c, card_plans);
    let path = capability_path(c);
    // The related capabilities' cards enter the key by their digests, and
    // the description as it is.
    let related = std::mem::take(&mut page.related);
    let body_html = std::mem::take(&mut page.body_html);
    let card_keys = c.related.iter().map(|&i| card_keys[i].as_ref());
    let key = card_keys
        .collect::<Option<Vec<_>>>()
        .and_then(|parts| pages.key(&path, &page, body_html, parts));
    page.related = related;
    page.body_html = body_html;
    if let Some((digest, size)) = key.as_ref().and_then(|k| pages.get(&path, k)) {
        return Ok(Made::Kept(KeptFile { path, size, digest }));
    }
    let file = render_capability(r, ctx, c, &page)?;
    // Hashed here, on the worker that rendered it.
    let recorded = key.map(|k| (k, sha256(&file.bytes)));
    Ok(Made::Rendered(file, recorded))
}

/// Leaves in `pages` this view's capability pages (those rendered now are
/// added); says how many were rendered and kept, and gives the SHA-256 of
/// every page rendered now.
fn keep_pages(
    pages: &mut page_cache::PageCache<'_>,
    view: &SiteView<'_>,
    results: &[Result<Made, Diagnostic>],
) -> (RenderStats, Digests) {
    let paths: std::collections::HashSet<String> =
        view.capabilities.iter().map(capability_path).collect();
    let mut fresh = Vec::new();
    let mut digests = Digests::new();
    let mut kept = 0;
    for made in results.iter().flatten() {
        match made {
            Made::Rendered(f, Some((key, digest))) => {
                digests.insert(f.path.clone(), *digest);
                fresh.push((f.path.as_str(), key, *digest, f.bytes.len() as u64));
            }
            Made::Rendered(_, None) => {}
            Made::Kept(_) => kept += 1,
        }
    }
    let stats = RenderStats {
        pages_rendered: fresh.len(),
        pages_cached: kept,
        ..RenderStats::default()
    };
    pages.update(|p| paths.contains(p), fresh);
    (stats, digests)
}

/// What a rendering job made.
enum Made {
    /// A file rendered now; with its page cache key and SHA-256 when the
    /// cache is to record it.
    Rendered(OutputFile, Option<(crate::cache_log::Key, [u8; 32])>),
    /// A page kept as the live site has it.
    Kept(KeptFile),
}

fn render_job(
    r: &Renderer,
    view: &SiteView<'_>,
    mut ctx: Context,
    job: &Job<'_, '_>,
    card_plans: &std::collections::BTreeMap<String, previews::CardPlan>,
) -> Result<OutputFile, Diagnostic> {
    match job {
        Job::Home => {
            ctx.insert("home", &view.home);
            ctx.insert("coming_next", &cards(view, &view.coming_next));
            ctx.insert(
                "categories",
                &category_summaries(view, paging::HOME_PER_CATEGORY),
            );
            ctx.insert("drift", &view.drift.map(drift_summary));
            r.render("index.html", "index.html", &mut ctx)
        }
        Job::Capability(c) => {
            let page = CapabilityPage::of(view, c, card_plans);
            render_capability(r, ctx, c, &page)
        }
        Job::Categories => {
            ctx.insert("categories", &category_summaries(view, 0));
            r.render("categories.html", "categories/index.html", &mut ctx)
        }
        Job::Category(c, page) => {
            let base = format!("categories/{}/", c.slug);
            let pager = paging::Pager::new(&base, *page, c.members.len());
            ctx.insert("meta_title", c.name);
            ctx.insert("category", &context::CategoryContext::of(c));
            ctx.insert("cards", &cards(view, pager.slice(&c.members)));
            let path = format!("{}index.html", paging::page_folder(&base, *page));
            ctx.insert("pager", &pager);
            r.render("category.html", &path, &mut ctx)
        }
        Job::Statuses => {
            let statuses: Vec<context::StatusContext> = view
                .statuses
                .iter()
                .map(context::StatusContext::of)
                .collect();
            ctx.insert("statuses", &statuses);
            r.render("statuses.html", "status/index.html", &mut ctx)
        }
        Job::Status(s, page) => {
            let status = context::StatusContext::of(s);
            let base = format!("status/{}/", status.slug);
            let pager = paging::Pager::new(&base, *page, s.members.len());
            ctx.insert("meta_title", status.label);
            ctx.insert("meta_description", status.meaning);
            ctx.insert("status", &status);
            ctx.insert("cards", &cards(view, pager.slice(&s.members)));
            let path = format!("{}index.html", paging::page_folder(&base, *page));
            ctx.insert("pager", &pager);
            r.render("status.html", &path, &mut ctx)
        }
        Job::Search => {
            // Without JavaScript the page lists the first page of cards by
            // title; the category and status listings (paginated) hold the rest.
            let mut order: Vec<(String, &str, usize)> = view
                .capabilities
                .iter()
                .enumerate()
                .map(|(i, c)| (c.title.to_lowercase(), c.id, i))
                .collect();
            order.sort_unstable();
            order.truncate(paging::PAGE_SIZE);
            let first: Vec<usize> = order.iter().map(|&(_, _, i)| i).collect();
            ctx.insert("cards", &cards(view, &first));
            ctx.insert("total", &view.capabilities.len());
            r.render("search.html", "search/index.html", &mut ctx)
        }
        Job::NotFound => {
            // Served at any depth and opened from file://: the page inlines its
            // styles, and links relative to the root get the base URL's path
            // from a script when served.
            let css = r
                .theme
                .statics
                .get("style.css")
                .map(|b| String::from_utf8_lossy(b));
            ctx.insert("inline_css", &css.unwrap_or_default());
            ctx.insert("site_path", &site_path(&view.site.base_url));
            r.render("404.html", "404.html", &mut ctx)
        }
        Job::Roadmap => {
            ctx.insert("meta_title", "Roadmap");
            let targets = insight::Targets::of(view);
            ctx.insert("groups", &roadmap(view, &targets));
            ctx.insert("leadership", &insight::leadership(view, &targets));
            r.render("roadmap.html", "roadmap/index.html", &mut ctx)
        }
        Job::Gaps(gaps) => {
            ctx.insert("meta_title", "Gaps");
            let ranked = gap_rows(view, &gaps.ranked);
            let unicorns = gap_rows(view, &gaps.unicorns);
            let every: Vec<&Gap<'_>> = ranked.iter().chain(&unicorns).collect();
            ctx.insert("totals", &gap_totals(&every));
            ctx.insert("ranked", &ranked);
            ctx.insert("unicorns", &unicorns);
            r.render("gaps.html", "gaps/index.html", &mut ctx)
        }
        Job::Accounts(accounts) => {
            ctx.insert("meta_title", "Accounts");
            ctx.insert("accounts", &insight::account_summaries(accounts));
            r.render("accounts.html", "accounts/index.html", &mut ctx)
        }
        Job::Account(a) => {
            ctx.insert("meta_title", &a.name);
            ctx.insert("account", a);
            ctx.insert("sections", &insight::ask_sections(a));
            let path = format!("{}index.html", a.url.trim_start_matches('/'));
            r.render("account.html", &path, &mut ctx)
        }
        Job::Autopsy => {
            ctx.insert("meta_title", "Lost-deal autopsy");
            ctx.insert("autopsy", &insight::autopsy(view));
            r.render("autopsy.html", "autopsy/index.html", &mut ctx)
        }
        Job::Drift(drift) => {
            ctx.insert("meta_title", "Drift");
            ctx.insert("coverage", &drift.coverage);
            ctx.insert("sections", &context::drift_sections(view, drift));
            r.render("drift.html", "drift/index.html", &mut ctx)
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

/// The home page's line about drift: how many items, and the coverage.
#[derive(Serialize)]
struct DriftSummary {
    items: usize,
    coverage: Option<crate::model::Coverage>,
}

fn drift_summary(drift: &crate::catalog::drift::Drift) -> DriftSummary {
    DriftSummary {
        items: drift.items.len(),
        coverage: drift.coverage,
    }
}

#[derive(Serialize)]
struct CategorySummary<'a> {
    name: &'a str,
    slug: &'a str,
    count: usize,
    by_status: Vec<(&'static str, &'static str, usize)>,
    /// The first `cards` members by title (the home page names a few).
    cards: Vec<Card<'a>>,
}

/// Every category with its counts and its first `cards` members.
fn category_summaries<'a>(view: &'a SiteView<'_>, cards_each: usize) -> Vec<CategorySummary<'a>> {
    view.categories
        .iter()
        .map(|c| CategorySummary {
            name: c.name,
            slug: c.slug,
            count: c.members.len(),
            by_status: c
                .by_status
                .iter()
                .map(|(s, n)| (s.as_str(), s.label(), *n))
                .collect(),
            cards: cards(view, &c.members[..c.members.len().min(cards_each)]),
        })
        .collect()
}

/// A roadmap column: one target (quarter or version), or no date.
#[derive(Serialize)]
struct RoadmapGroup<'a> {
    target: Option<&'a crate::model::Target>,
    cards: Vec<Card<'a>>,
    /// Index of its target in the leadership filter.
    t: usize,
}

fn roadmap<'a>(view: &'a SiteView<'_>, targets: &insight::Targets<'_>) -> Vec<RoadmapGroup<'a>> {
    view.roadmap
        .iter()
        .map(|g| RoadmapGroup {
            target: g.target,
            cards: cards(view, &g.members),
            t: targets.index(g.target),
        })
        .collect()
}

/// A capability customers asked for that is not shipped, as a planning
/// meeting reads it: who asked, how much is at stake, what was already lost
/// and why.
#[derive(Serialize)]
struct Gap<'a> {
    card: Card<'a>,
    demand: &'a crate::model::Demand,
    /// The requesting accounts, by name.
    accounts: Vec<&'a str>,
    /// Deals lost over it: count and amount.
    lost: DealSum,
    /// Deals still open: count and amount.
    open: DealSum,
}

/// A number of deals and their amount.
#[derive(Serialize, Default, Clone, Copy)]
struct DealSum {
    deals: usize,
    amount: f64,
}

impl DealSum {
    fn add(&mut self, amount: Option<f64>) {
        self.deals += 1;
        self.amount += amount.unwrap_or(0.0);
    }
}

/// The gaps page's totals over every gap.
#[derive(Serialize, Default)]
struct GapTotals {
    capabilities: usize,
    accounts: usize,
    amount: f64,
    lost: DealSum,
    open: DealSum,
}

fn gap_rows<'a>(view: &'a SiteView<'_>, members: &[usize]) -> Vec<Gap<'a>> {
    members
        .iter()
        .filter_map(|&i| {
            let c = &view.capabilities[i];
            c.demand.map(|demand| {
                let (mut lost, mut open) = (DealSum::default(), DealSum::default());
                for r in &demand.requests {
                    if r.is_lost() {
                        lost.add(r.amount);
                    } else {
                        open.add(r.amount);
                    }
                }
                let mut accounts: Vec<&str> = demand
                    .requests
                    .iter()
                    .filter_map(|r| r.account.as_deref())
                    .collect();
                accounts.dedup();
                Gap {
                    card: Card::of(c),
                    demand,
                    accounts,
                    lost,
                    open,
                }
            })
        })
        .collect()
}

fn gap_totals(rows: &[&Gap<'_>]) -> GapTotals {
    let mut accounts: Vec<String> = rows
        .iter()
        .flat_map(|g| g.accounts.iter())
        .map(|a| crate::model::demand::account_key(a))
        .collect();
    accounts.sort();
    accounts.dedup();
    let mut totals = GapTotals {
        capabilities: rows.len(),
        accounts: accounts.len(),
        ..GapTotals::default()
    };
    for g in rows {
        totals.amount += g.demand.amount;
        totals.lost.deals += g.lost.deals;
        totals.lost.amount += g.lost.amount;
        totals.open.deals += g.open.deals;
        totals.open.amount += g.open.amount;
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::root_prefix;

    #[test]
    fn code_spans_are_escaped_then_marked() {
        assert_eq!(
            super::code_spans("no symbol `<X>` & `y`"),
            "no symbol <code>&lt;X&gt;</code> &amp; <code>y</code>"
        );
        assert_eq!(super::code_spans("a ` b"), "a ` b");
    }

    #[test]
    fn amounts_carry_their_currency() {
        assert_eq!(super::with_currency("285,000", ""), "285,000");
        assert_eq!(super::with_currency("285,000", "EUR"), "EUR 285,000");
        assert_eq!(super::with_currency("285,000", "€"), "€285,000");
    }

    #[test]
    fn site_paths() {
        assert_eq!(super::site_path(""), "/");
        assert_eq!(super::site_path("https://x.example"), "/");
        assert_eq!(super::site_path("https://x.example/docs/cat"), "/docs/cat/");
    }

    #[test]
    fn prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("capabilities/x/index.html"), "../../");
    }
}
