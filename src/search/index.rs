//! The search index, built from [`Document`]s: what one audience may see of
//! each capability ([`super::documents`] makes them from a site view), so
//! the index can hold nothing else.

use super::{text, thesaurus};
use crate::config::SearchConfig;
use crate::model::Status;
use std::collections::BTreeMap;

/// Field weights: a term found in several fields of a capability adds the
/// weights of each. Title and aliases count most, the description least.
pub mod weight {
    /// Title.
    pub const TITLE: u32 = 10;
    /// Aliases, id and former ids.
    pub const ALIAS: u32 = 8;
    /// Summary.
    pub const SUMMARY: u32 = 4;
    /// Category and plans.
    pub const FACET: u32 = 3;
    /// The answer line and status label.
    pub const ANSWER: u32 = 2;
    /// Each occurrence in the description, at most [`BODY_MAX`] times.
    pub const BODY: u32 = 1;
    /// Description occurrences counted.
    pub const BODY_MAX: u32 = 3;
}

/// The searchable text of one capability, as its audience may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document<'a> {
    /// Capability id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Search synonyms.
    pub aliases: &'a [String],
    /// Former ids.
    pub redirect_from: &'a [String],
    /// Summary.
    pub summary: &'a str,
    /// Category name.
    pub category: &'a str,
    /// Plans.
    pub plans: &'a [String],
    /// Status.
    pub status: Status,
    /// The answer line for this audience.
    pub answer: &'a str,
    /// Description as plain text.
    pub body: &'a str,
    /// Site path, `/capabilities/<id>/`.
    pub url: &'a str,
}

/// What a result shows about one capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Capability id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// The answer line for this audience.
    pub answer: String,
    /// Summary.
    pub summary: String,
    /// Category name.
    pub category: String,
    /// Plans.
    pub plans: Vec<String>,
    /// Site path, `/capabilities/<id>/`.
    pub url: String,
}

/// The index: documents, the sorted vocabulary with inverse document
/// frequencies and postings, the thesaurus and the stop words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Documents in view order (by id).
    pub docs: Vec<Doc>,
    /// Vocabulary, sorted.
    pub terms: Vec<String>,
    /// `idf[i]` weights `terms[i]`: rarer terms count more.
    pub idf: Vec<u32>,
    /// `postings[i]`: (document, field weight) for `terms[i]`, by document.
    pub postings: Vec<Vec<(u32, u32)>>,
    /// Synonym groups, stemmed.
    pub thesaurus: Vec<thesaurus::Group>,
    /// Stop words, stemmed and sorted.
    pub stop: Vec<String>,
}

impl Index {
    /// Builds the index of `documents`, in their order.
    pub fn build(documents: &[Document<'_>], config: &SearchConfig) -> Index {
        let mut by_term: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        let mut docs = Vec::with_capacity(documents.len());
        for (n, d) in documents.iter().enumerate() {
            for (term, w) in doc_weights(d) {
                by_term.entry(term).or_default().push((n as u32, w));
            }
            docs.push(Doc {
                id: d.id.to_string(),
                title: d.title.to_string(),
                status: d.status,
                answer: d.answer.to_string(),
                summary: d.summary.to_string(),
                category: d.category.to_string(),
                plans: d.plans.to_vec(),
                url: d.url.to_string(),
            });
        }
        let n = docs.len();
        let (terms, postings): (Vec<String>, Vec<Vec<(u32, u32)>>) = by_term.into_iter().unzip();
        let idf = postings.iter().map(|p| idf(n, p.len())).collect();
        Index {
            docs,
            terms,
            idf,
            postings,
            thesaurus: thesaurus::groups(&config.synonyms),
            stop: text::stop_stems().to_vec(),
        }
    }

    /// Position of `term` in the vocabulary.
    pub fn term(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok()
    }
}

/// Inverse document frequency as an integer, so the browser and Rust agree
/// to the last digit: `50 + round(100 · ln((n + 1) / df))`.
fn idf(n: usize, df: usize) -> u32 {
    50 + (100.0 * ((n as f64 + 1.0) / df as f64).ln()).round() as u32
}

/// Every indexed term of a capability with its summed field weight.
fn doc_weights(cap: &Document<'_>) -> BTreeMap<String, u32> {
    let mut weights: BTreeMap<String, u32> = BTreeMap::new();
    let mut field = |text: &str, w: u32| {
        let mut seen = std::collections::BTreeSet::new();
        for t in text::tokens(text) {
            if !text::is_stop(&t) && seen.insert(t.clone()) {
                *weights.entry(t).or_default() += w;
            }
        }
    };
    field(cap.title, weight::TITLE);
    let alias_text = [
        cap.aliases.join(" "),
        cap.id.to_string(),
        cap.redirect_from.join(" "),
    ]
    .join(" ");
    field(&alias_text, weight::ALIAS);
    field(cap.summary, weight::SUMMARY);
    field(
        &[cap.category, &cap.plans.join(" ")].join(" "),
        weight::FACET,
    );
    field(
        &format!("{} {}", cap.answer, cap.status.label()),
        weight::ANSWER,
    );
    let mut body: BTreeMap<String, u32> = BTreeMap::new();
    for t in text::tokens(cap.body) {
        if !text::is_stop(&t) {
            let c = body.entry(t).or_default();
            *c = (*c + 1).min(weight::BODY_MAX);
        }
    }
    for (t, c) in body {
        *weights.entry(t).or_default() += c * weight::BODY;
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_favours_rare_terms() {
        assert!(idf(100, 1) > idf(100, 50));
        assert_eq!(idf(9, 10), 50);
    }
}
