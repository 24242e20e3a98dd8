//! `capcat ask`: the best capabilities for a question, for the terminal or
//! as JSON, with the same ranking as the site.

use super::index::Index;
use super::rank;
use crate::build::{BuildError, BuildOptions, load_catalog};
use crate::diagnostics::Diagnostics;
use crate::view::SiteView;
use serde::Serialize;

/// `capcat ask`: loads the catalog like a build would (same sources, same
/// audience rules) and answers `question`. The catalog's own diagnostics are
/// returned for `-v`; they do not stop an answer.
pub fn run(
    opts: &BuildOptions,
    question: &str,
    limit: usize,
) -> Result<(Answers, Diagnostics), BuildError> {
    let loaded = load_catalog(opts)?;
    let audience = opts.audience.unwrap_or(loaded.config.site.audience);
    let view = SiteView::new(&loaded.catalog, audience);
    let index = Index::build(&view, &loaded.config.search);
    Ok((ask(&view, &index, question, limit), loaded.diagnostics))
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status slug.
    pub status: &'static str,
    /// The answer line.
    pub answer: String,
    /// Page URL (absolute when the site has a base URL).
    pub url: String,
    /// Ranking score; higher is better.
    pub score: u64,
}

/// The `--json` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// The question as asked.
    pub query: String,
    /// Best first.
    pub results: Vec<Answer>,
}

/// Ranks `view`'s capabilities for `question`, keeping at most `limit`.
pub fn ask(view: &SiteView, index: &Index, question: &str, limit: usize) -> Answers {
    let results = rank::search(index, question)
        .into_iter()
        .take(limit)
        .map(|hit| {
            let d = &index.docs[hit.doc];
            Answer {
                id: d.id.clone(),
                title: d.title.clone(),
                status: d.status,
                answer: d.answer.clone(),
                url: view.absolute(&d.url),
                score: hit.score,
            }
        })
        .collect();
    Answers {
        query: question.to_string(),
        results,
    }
}

/// The `--json` text.
pub fn to_json(answers: &Answers) -> String {
    serde_json::to_string_pretty(answers).unwrap_or_default()
}

/// Plain-text rendering: one numbered block per result.
pub fn to_text(answers: &Answers) -> String {
    if answers.results.is_empty() {
        return format!(
            "No capability matches \"{}\".\nTry fewer or other words, e.g. the feature's name.\n",
            answers.query
        );
    }
    let mut out = String::new();
    for (n, a) in answers.results.iter().enumerate() {
        out.push_str(&format!("{}. {} [{}]\n", n + 1, a.title, a.status));
        out.push_str(&format!("   {}\n", a.answer));
        out.push_str(&format!("   {}\n", a.url));
    }
    out
}
