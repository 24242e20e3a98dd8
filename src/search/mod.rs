//! Search: query understanding, the index and the ranking shared by the
//! site and `capcat ask` (docs/search.md).
//!
//! - [`text`]: folding, tokens, stop words, stemming, edit distance.
//! - [`thesaurus`]: built-in SaaS vocabulary plus `[search] synonyms`.
//! - [`index`]: the index, built from what one audience may see.
//! - [`rank`]: parsing a question into units and scoring — the one ranking,
//!   mirrored by `themes/default/static/search.js`.
//! - [`ask`]: ranked answers, as `capcat ask` prints them.

pub mod ask;
pub mod index;
pub mod rank;
pub mod text;
pub mod thesaurus;

use crate::view::SiteView;

pub use index::{Document, Index};

/// The searchable documents of `view`, in its order.
pub fn documents<'a>(view: &'a SiteView<'_>) -> Vec<Document<'a>> {
    view.capabilities
        .iter()
        .map(|c| Document {
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
            url: c.url,
        })
        .collect()
}

/// The index of everything `view` shows.
pub fn index_of(view: &SiteView<'_>, config: &crate::config::SearchConfig) -> Index {
    Index::build(&documents(view), config)
}
