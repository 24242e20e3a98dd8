//! Query understanding and scoring — the one ranking of capcat, mirrored
//! line for line by `rankQuery` in `themes/default/static/search.js`.
//!
//! A query becomes *units*: a thesaurus phrase ("single sign on") or one
//! word that is not a stop word. Each unit has alternatives — index terms
//! (or term sequences) with a quality in percent: the word itself 100, a
//! synonym 80, the completion of a word still being typed 70, a word one
//! typo away 60. A capability's score adds, per unit, the best alternative's
//! `quality · min(field weight · idf) / 100`, then multiplies by the share of
//! units it matched. All arithmetic is on integers so both sides agree.

use super::index::Index;
use super::text;
use std::collections::BTreeMap;

/// Quality of an exact word, in percent.
pub const Q_EXACT: u64 = 100;
/// Quality of a thesaurus synonym.
pub const Q_SYNONYM: u64 = 80;
/// Quality of a completion of the word being typed.
pub const Q_PREFIX: u64 = 70;
/// Quality of a word one typo away.
pub const Q_TYPO: u64 = 60;
/// Words shorter than this are never corrected.
pub const TYPO_MIN_CHARS: usize = 5;
/// At most this many completions of the last word.
pub const MAX_COMPLETIONS: usize = 20;

/// One alternative of a unit: index terms that must all be present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// Terms (stemmed).
    pub terms: Vec<String>,
    /// Quality in percent.
    pub quality: u64,
}

/// A query unit: one concept of the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The stemmed query tokens it came from.
    pub tokens: Vec<String>,
    /// What may satisfy it, best first.
    pub alternatives: Vec<Alternative>,
}

/// One ranked capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Document number in the index.
    pub doc: usize,
    /// Score; higher is better.
    pub score: u64,
}

/// Parses `query` into units against `index`'s vocabulary and thesaurus.
/// The last word is also completed as a prefix unless the query ends with a
/// space or punctuation (someone still typing vs. a finished question).
pub fn parse(index: &Index, query: &str) -> Vec<Unit> {
    let folded = text::fold(query);
    let complete = folded
        .chars()
        .last()
        .is_none_or(|c| !(c.is_alphabetic() || c.is_numeric()));
    let raw = text::words(&folded);
    let stems: Vec<String> = raw.iter().map(|w| text::stem(w)).collect();
    let mut units = Vec::new();
    let mut i = 0;
    while i < stems.len() {
        let (len, groups) = longest_phrase(index, &stems[i..]);
        if len > 0 {
            units.push(synonym_unit(index, &stems[i..i + len], &groups));
            i += len;
            continue;
        }
        if !text::is_stop(&stems[i]) {
            let typing = !complete && i + 1 == stems.len();
            units.push(word_unit(index, raw[i], &stems[i], typing));
        }
        i += 1;
    }
    units.retain(|u| !u.alternatives.is_empty());
    units
}

/// The longest thesaurus phrase at the start of `stems`, with every group
/// holding it (in thesaurus order).
fn longest_phrase(index: &Index, stems: &[String]) -> (usize, Vec<usize>) {
    let mut best = (0, Vec::new());
    for (g, group) in index.thesaurus.iter().enumerate() {
        for phrase in group {
            let len = phrase.len();
            if len <= stems.len() && stems[..len] == phrase[..] {
                if len > best.0 {
                    best = (len, vec![g]);
                } else if len == best.0 && best.1.last() != Some(&g) {
                    best.1.push(g);
                }
            }
        }
    }
    best
}

fn synonym_unit(index: &Index, tokens: &[String], groups: &[usize]) -> Unit {
    let mut alternatives = Vec::new();
    for &g in groups {
        for phrase in &index.thesaurus[g] {
            let terms: Vec<String> = phrase
                .iter()
                .filter(|t| !text::is_stop(t))
                .cloned()
                .collect();
            let quality = if phrase[..] == tokens[..] {
                Q_EXACT
            } else {
                Q_SYNONYM
            };
            push_alternative(&mut alternatives, terms, quality);
        }
    }
    Unit {
        tokens: tokens.to_vec(),
        alternatives,
    }
}

fn word_unit(index: &Index, raw: &str, stem: &str, typing: bool) -> Unit {
    let mut alternatives = Vec::new();
    let exact = index.term(stem).is_some();
    if exact {
        push_alternative(&mut alternatives, vec![stem.to_string()], Q_EXACT);
    } else if raw.chars().count() >= TYPO_MIN_CHARS {
        for t in index
            .terms
            .iter()
            .filter(|t| text::within_one_edit(stem, t))
        {
            push_alternative(&mut alternatives, vec![t.clone()], Q_TYPO);
        }
    }
    if typing {
        for t in completions(index, raw) {
            push_alternative(&mut alternatives, vec![t], Q_PREFIX);
        }
    }
    Unit {
        tokens: vec![stem.to_string()],
        alternatives,
    }
}

/// Vocabulary terms starting with `prefix`, shortest first, at most
/// [`MAX_COMPLETIONS`].
pub fn completions(index: &Index, prefix: &str) -> Vec<String> {
    let start = index.terms.partition_point(|t| t.as_str() < prefix);
    let mut found: Vec<&String> = index.terms[start..]
        .iter()
        .take_while(|t| t.starts_with(prefix))
        .collect();
    found.sort_by(|a, b| (a.chars().count(), *a).cmp(&(b.chars().count(), *b)));
    found.into_iter().take(MAX_COMPLETIONS).cloned().collect()
}

/// Adds an alternative unless the same terms are already there with a
/// quality at least as good.
fn push_alternative(alts: &mut Vec<Alternative>, terms: Vec<String>, quality: u64) {
    if terms.is_empty() {
        return;
    }
    match alts.iter_mut().find(|a| a.terms == terms) {
        Some(a) => a.quality = a.quality.max(quality),
        None => alts.push(Alternative { terms, quality }),
    }
}

/// Ranks every document for `units`, best first; ties by document order.
pub fn score(index: &Index, units: &[Unit]) -> Vec<Hit> {
    let mut totals: BTreeMap<usize, (u64, u64)> = BTreeMap::new();
    for unit in units {
        let mut best: BTreeMap<usize, u64> = BTreeMap::new();
        for alt in &unit.alternatives {
            for (doc, c) in alternative_scores(index, alt) {
                let s = alt.quality * c / 100;
                let e = best.entry(doc).or_default();
                *e = (*e).max(s);
            }
        }
        for (doc, s) in best {
            if s > 0 {
                let t = totals.entry(doc).or_default();
                t.0 += s;
                t.1 += 1;
            }
        }
    }
    let n = units.len() as u64;
    let mut hits: Vec<Hit> = totals
        .into_iter()
        .map(|(doc, (sum, matched))| Hit {
            doc,
            score: sum * matched / n,
        })
        .filter(|h| h.score > 0)
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits
}

/// For each document holding every term of `alt`: the smallest
/// `weight · idf` among its terms.
fn alternative_scores(index: &Index, alt: &Alternative) -> BTreeMap<usize, u64> {
    let mut acc: Option<BTreeMap<usize, u64>> = None;
    for term in &alt.terms {
        let Some(i) = index.term(term) else {
            return BTreeMap::new();
        };
        let idf = u64::from(index.idf[i]);
        let this: BTreeMap<usize, u64> = index.postings[i]
            .iter()
            .map(|&(d, w)| (d as usize, u64::from(w) * idf))
            .collect();
        acc = Some(match acc {
            None => this,
            Some(prev) => prev
                .into_iter()
                .filter_map(|(d, c)| this.get(&d).map(|c2| (d, c.min(*c2))))
                .collect(),
        });
    }
    acc.unwrap_or_default()
}

/// Parses and scores in one go.
pub fn search(index: &Index, query: &str) -> Vec<Hit> {
    score(index, &parse(index, query))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{text, thesaurus};

    /// An index over `(id, text)` documents, each word weighing 1.
    fn index(docs: &[(&str, &str)]) -> Index {
        let mut by_term: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (n, (_, body)) in docs.iter().enumerate() {
            let mut toks = text::tokens(body);
            toks.sort();
            toks.dedup();
            for t in toks.into_iter().filter(|t| !text::is_stop(t)) {
                by_term.entry(t).or_default().push((n as u32, 1));
            }
        }
        let (terms, postings): (Vec<String>, Vec<_>) = by_term.into_iter().unzip();
        Index {
            docs: docs
                .iter()
                .map(|(id, _)| super::super::index::Doc {
                    id: id.to_string(),
                    title: id.to_string(),
                    status: crate::model::Status::Available,
                    answer: String::new(),
                    summary: String::new(),
                    category: String::new(),
                    plans: vec![],
                    url: String::new(),
                })
                .collect(),
            idf: vec![100; terms.len()],
            terms,
            postings,
            thesaurus: thesaurus::groups(&[]),
            stop: text::stop_stems().to_vec(),
        }
    }

    fn ids(ix: &Index, q: &str) -> Vec<String> {
        search(ix, q)
            .iter()
            .map(|h| ix.docs[h.doc].id.clone())
            .collect()
    }

    #[test]
    fn question_scaffolding_is_dropped() {
        let ix = index(&[("a", "export reports"), ("b", "platform support today")]);
        let units = parse(
            &ix,
            "Does our platform currently support exporting reports today?",
        );
        let toks: Vec<&str> = units.iter().map(|u| u.tokens[0].as_str()).collect();
        assert_eq!(toks, ["export", "report"]);
    }

    #[test]
    fn last_word_is_completed_only_while_typing() {
        let ix = index(&[("a", "dashboards"), ("b", "data")]);
        assert_eq!(ids(&ix, "dashb"), ["a"]);
        assert!(
            ids(&ix, "dashb ").is_empty(),
            "a finished word is not a prefix"
        );
        assert!(ids(&ix, "dashb?").is_empty());
    }

    #[test]
    fn one_typo_from_five_letters() {
        let ix = index(&[("a", "export"), ("b", "sso")]);
        assert_eq!(ids(&ix, "exprot."), ["a"]);
        assert!(ids(&ix, "sos.").is_empty(), "short words are not corrected");
        assert!(ids(&ix, "exprto.").is_empty(), "two edits are too many");
    }

    #[test]
    fn synonyms_rank_below_the_word_itself() {
        let ix = index(&[("okta", "okta login"), ("saml", "saml login")]);
        assert_eq!(ids(&ix, "okta."), ["okta", "saml"]);
        assert_eq!(ids(&ix, "single sign-on."), ["okta", "saml"]);
        let sso = &parse(&ix, "single sign-on.")[0];
        assert!(
            sso.alternatives
                .iter()
                .all(|a| a.quality == Q_SYNONYM || a.terms == ["singl", "sign"])
        );
    }

    #[test]
    fn matching_more_of_the_question_wins() {
        let ix = index(&[
            ("csv", "export reports csv"),
            ("pdf", "export invoices pdf"),
            ("r", "reports reports"),
        ]);
        assert_eq!(ids(&ix, "can we export reports to CSV?")[0], "csv");
    }
}
