//! Search: query understanding, the index and the ranking shared by the
//! site and `capcat ask` (docs/search.md).
//!
//! - [`text`]: folding, tokens, stop words, stemming, edit distance.
//! - [`thesaurus`]: built-in SaaS vocabulary plus `[search] synonyms`.
//! - [`negation`]: "Not included: …" sentences, indexed apart.
//! - [`field`]: the fields of a capability, strongest first.
//! - [`semantic`]: static word vectors for paraphrases.
//! - [`index`]: the index, built from what one audience may see.
//! - [`rank`]: parsing a question into units and scoring — the one
//!   ranking, mirrored by `themes/default/static/search.js`.
//! - [`confidence`]: whether the first result answers the question.
//! - [`ask`]: ranked answers, as `capcat ask` prints them.

pub mod ask;
pub mod confidence;
pub mod field;
mod hashing;
pub mod index;
pub mod negation;
pub mod rank;
pub mod semantic;
pub mod text;
pub mod thesaurus;

use crate::model::WorkEntry;
use crate::view::{CapabilityView, SiteView};

pub use index::{Document, Index};

/// The searchable documents of `view`, in its order.
pub fn documents<'a>(view: &'a SiteView<'_>) -> Vec<Document<'a>> {
    view.capabilities.iter().map(document).collect()
}

fn document<'a>(c: &'a CapabilityView<'_>) -> Document<'a> {
    Document {
        id: c.id,
        title: c.title,
        aliases: c.aliases,
        redirect_from: c.redirect_from,
        summary: c.summary,
        category: c.category,
        plans: c.plans,
        status: c.status,
        answer: &c.answer,
        body: c.body_text,
        work: c.work.map_or_else(Vec::new, work_summaries),
        code: c.evidence.map_or_else(Vec::new, |ev| {
            ev.iter()
                .flat_map(|e| {
                    e.at.symbol
                        .as_deref()
                        .into_iter()
                        .chain(file_stem(&e.at.path))
                })
                .collect()
        }),
        url: c.url,
    }
}

/// Summaries of linked work and of its children.
fn work_summaries(work: &[WorkEntry]) -> Vec<&str> {
    work.iter()
        .flat_map(|w| {
            std::iter::once(w.summary.as_str()).chain(w.scope.iter().map(|s| s.summary.as_str()))
        })
        .collect()
}

/// `src/billing/invoice_pdf.rs` → `invoice_pdf`.
fn file_stem(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    Some(name.split('.').next().unwrap_or(name))
}

/// The index of everything `view` shows.
pub fn index_of(view: &SiteView<'_>, config: &crate::config::SearchConfig) -> Index {
    Index::build(&documents(view), config)
}

/// [`index_of`] for a site build: the terms of capabilities `cache` has
/// seen are taken from it, and it is left holding this view's (see
/// [`index::TermsCache`]).
pub fn cached_index_of(
    view: &SiteView<'_>,
    config: &crate::config::SearchConfig,
    cache: &mut index::TermsCache,
) -> Index {
    Index::build_cached(&documents(view), config, cache)
}
