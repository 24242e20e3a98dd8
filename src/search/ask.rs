//! Ranked answers for the terminal and `--json`: the same ranking, and the
//! same confidence, as the site's search box.

use super::field::Field;
use super::index::Index;
use super::rank::{self, Kind, Query, UnitMatch};
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
    /// How it matched: `word: field kind` per word of the question it
    /// matched, `; `-separated, or `semantic` when only by meaning
    /// (docs/search.md).
    #[serde(rename = "match")]
    pub matched: String,
}

/// The `--json` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answers {
    /// The question as asked.
    pub query: String,
    /// True when the first result answers the question; false when the
    /// results are only the closest matches.
    pub confident: bool,
    /// Best first.
    pub results: Vec<Answer>,
    /// The words of the question no result covers, as asked: what the
    /// catalog has nothing on.
    #[serde(skip)]
    pub missing: Vec<String>,
}

/// Ranks `index`'s capabilities for `question`, keeping at most `limit`;
/// `base_url` (no trailing slash, may be empty) makes the URLs absolute.
pub fn ask(index: &Index, base_url: &str, question: &str, limit: usize) -> Answers {
    let ranked = rank::rank(index, question);
    let results = ranked
        .hits
        .iter()
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
                matched: describe(index, &ranked.query, hit.doc),
            }
        })
        .collect();
    let missing = match ranked.hits.first() {
        Some(h) if !ranked.confident => missing_words(index, &ranked.query, h.doc, question),
        _ => Vec::new(),
    };
    Answers {
        query: question.to_string(),
        confident: ranked.confident,
        results,
        missing,
    }
}

/// `okta: alias exact; logins: summary stemmed`, or `semantic`.
fn describe(index: &Index, query: &Query, doc: usize) -> String {
    let parts: Vec<String> = rank::explain(index, query, doc)
        .into_iter()
        .map(|(u, m)| {
            let unit = &query.units[u];
            let words = unit.words.join(" ");
            format!(
                "{words}: {} {}",
                m.field.as_str(),
                kind_name(index, doc, &unit.words, &m)
            )
        })
        .collect();
    if parts.is_empty() {
        "semantic".to_string()
    } else {
        parts.join("; ")
    }
}

/// `exact` when the field holds the words as asked, `stemmed` when only
/// another inflection; otherwise the alternative's kind.
fn kind_name(index: &Index, doc: usize, words: &[String], m: &UnitMatch) -> &'static str {
    if m.kind != Kind::Exact {
        return m.kind.as_str();
    }
    let field_words = &index.docs[doc].words[m.field as usize];
    if words.iter().all(|w| field_words.contains(w)) {
        "exact"
    } else {
        "stemmed"
    }
}

/// The words of `question` (as typed) whose units `doc` does not cover in
/// what it is about; all its content words when it covers some of each.
fn missing_words(index: &Index, query: &Query, doc: usize, question: &str) -> Vec<String> {
    let matched = rank::explain(index, query, doc);
    let weak = |u: usize| {
        !matched
            .iter()
            .any(|(i, m)| *i == u && m.field != Field::NotIncluded && m.field.is_strong())
    };
    let typed = typed_words(question);
    let mut out: Vec<String> = query
        .units
        .iter()
        .enumerate()
        .filter(|(u, _)| weak(*u))
        .map(|(_, unit)| {
            unit.words
                .iter()
                .map(|w| {
                    typed
                        .iter()
                        .find(|t| super::text::fold(t) == *w)
                        .cloned()
                        .unwrap_or(w.clone())
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    out.dedup();
    out
}

/// The words of the question as typed (case kept).
fn typed_words(question: &str) -> Vec<String> {
    question
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}
