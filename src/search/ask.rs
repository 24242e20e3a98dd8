//! Ranked answers for the terminal and `--json`: the same ranking as the
//! site's search box.

use super::index::Index;
use super::rank;
use crate::model::Status;
use serde::Serialize;

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
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

/// Ranks `index`'s capabilities for `question`, keeping at most `limit`;
/// `base_url` (no trailing slash, may be empty) makes the URLs absolute.
pub fn ask(index: &Index, base_url: &str, question: &str, limit: usize) -> Answers {
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
                url: format!("{base_url}{}", d.url),
                score: hit.score,
            }
        })
        .collect();
    Answers {
        query: question.to_string(),
        results,
    }
}
