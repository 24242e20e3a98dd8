//! Search: query understanding, the client-side index and the ranking shared
//! by the site and `capcat ask` (SPEC §6).
//!
//! - [`text`]: folding, tokens, stop words, stemming, edit distance.
//! - [`thesaurus`]: built-in SaaS vocabulary plus `[search] synonyms`.
//! - [`index`]: the index, built from a [`SiteView`] only.
//! - [`rank`]: parsing a question into units and scoring — the one ranking,
//!   mirrored by `themes/default/static/search.js`.
//! - [`files`]: the index as script files loadable from `file://`.
//! - [`ask`]: answers for the terminal.

pub mod ask;
pub mod files;
pub mod index;
pub mod rank;
pub mod text;
pub mod thesaurus;

use crate::config::SearchConfig;
use crate::output::OutputFile;
use crate::view::SiteView;

pub use index::Index;

/// The search index files of `view`, paths relative to the site root:
/// `search-index.js` and, for large catalogs, shards under `search-index/`.
/// The same input always gives the same bytes.
pub fn index_files(view: &SiteView, config: &SearchConfig) -> Vec<OutputFile> {
    files::write(&Index::build(view, config))
}
