//! The index as it was built before the single-pass builder, word for word:
//! the reference the tests compare the builder with.

#![allow(missing_docs, clippy::all)]

use super::*;
use crate::search::negation::{PHRASES, sentences};
use crate::search::semantic;
use std::collections::{BTreeMap, BTreeSet};

/// Index::build_with, as it was.
pub fn build_with(
    documents: &[Document<'_>],
    config: &SearchConfig,
    table: Option<&semantic::Table>,
) -> Index {
    use rayon::prelude::*;
    let fields: Vec<FieldTokens> = documents.par_iter().map(FieldTokens::of).collect();
    let avg = average_lengths(&fields);
    let names = proper_names(documents);
    let mut by_term: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    for (n, f) in fields.iter().enumerate() {
        for (term, p) in f.postings(&avg) {
            by_term.entry(term).or_default().push((n as u32, p.pack()));
        }
    }
    let docs: Vec<Doc> = documents.iter().zip(&fields).map(doc_of).collect();
    let n = docs.len();
    let (terms, postings): (Vec<String>, Vec<Vec<(u32, u32)>>) = by_term.into_iter().unzip();
    let idf = terms
        .iter()
        .zip(&postings)
        .map(|(t, p)| {
            let base = idf(n, p.len()) * specificity(table, t) / 1000;
            if names.contains(t) {
                base * bm25::NAME_BOOST / 100
            } else {
                base
            }
        })
        .collect();
    let vectors = match table {
        Some(tb) => fields.iter().map(|f| f.vector(tb)).collect(),
        None => Vec::new(),
    };
    Index {
        docs,
        terms,
        idf,
        postings,
        thesaurus: thesaurus::groups(&config.synonyms),
        stop: text::stop_stems().to_vec(),
        vectors,
    }
}

/// The stemmed tokens of each field of one capability (stop words out).
struct FieldTokens {
    tokens: [Vec<String>; 8],
    folded: [BTreeSet<String>; 8],
    /// Per stem, the passages holding it ([`passage_bit`]).
    passages: BTreeMap<String, u8>,
}

impl FieldTokens {
    fn of(d: &Document<'_>) -> FieldTokens {
        let (said, negated) = split(d.body);
        let (summary, summary_negated) = split(d.summary);
        let alias_text = [
            d.aliases.join(" "),
            d.id.to_string(),
            d.redirect_from.join(" "),
        ]
        .join(" ");
        // The answer line is boilerplate ("Yes — available.", "not found in
        // the code") shared by many capabilities: only the status label is
        // searched.
        let facet_text = format!("{} {} {}", d.category, d.plans.join(" "), d.status.label());
        let code_text = d
            .code
            .iter()
            .map(|c| split_identifier(c))
            .collect::<Vec<_>>()
            .join(" ");
        let texts: [String; 8] = [
            d.title.to_string(),
            alias_text,
            summary,
            facet_text,
            said,
            d.work.join(" "),
            code_text,
            format!("{summary_negated} {negated}"),
        ];
        let tokens = texts
            .clone()
            .map(|t| tokens(&t).into_iter().filter(|t| !is_stop(t)).collect());
        let folded = texts.map(|t| {
            text::words(&text::fold(&t))
                .into_iter()
                .map(str::to_string)
                .collect()
        });
        FieldTokens {
            tokens,
            folded,
            passages: passages_of(d),
        }
    }

    /// Each term with its BM25F posting.
    fn postings(&self, avg: &[f64; 8]) -> BTreeMap<String, Posting> {
        let mut tf: BTreeMap<&str, ([u32; 8], f64)> = BTreeMap::new();
        for (f, toks) in self.tokens.iter().enumerate() {
            for t in toks {
                tf.entry(t).or_default().0[f] += 1;
            }
        }
        let mut out = BTreeMap::new();
        for (term, (counts, _)) in tf {
            let mut pseudo = 0.0;
            for f in 0..8 {
                if counts[f] == 0 {
                    continue;
                }
                let len = self.tokens[f].len() as f64;
                let norm = 1.0 - bm25::B[f] + bm25::B[f] * len / avg[f].max(1.0);
                pseudo += bm25::WEIGHT[f] * f64::from(counts[f].min(bm25::TF_MAX)) / norm;
            }
            let weight = (1000.0 * pseudo / (bm25::K1 + pseudo))
                .round()
                .clamp(1.0, 999.0) as u32;
            let field = Field::ALL[counts.iter().position(|&c| c > 0).unwrap_or(7)];
            let passages = self.passages.get(term).copied().unwrap_or(0);
            out.insert(
                term.to_string(),
                Posting {
                    weight,
                    field,
                    passages,
                },
            );
        }
        out
    }

    /// The document's semantic vector: its words, the title, aliases and
    /// summary counting more; words only in "Not included" sentences not at
    /// all.
    fn vector(&self, table: &semantic::Table) -> [i8; semantic::DIMS] {
        const WEIGHT: [u32; 8] = [4, 4, 3, 1, 1, 1, 0, 0];
        let weighted: Vec<(&str, u32)> = self
            .tokens
            .iter()
            .zip(WEIGHT)
            .filter(|(_, w)| *w > 0)
            .flat_map(|(toks, w)| toks.iter().map(move |t| (t.as_str(), w)))
            .collect();
        semantic::doc_vector(table, &weighted)
    }
}

/// Per stem of `d`'s title, summary and affirmative description, the
/// passages holding it.
fn passages_of(d: &Document<'_>) -> BTreeMap<String, u8> {
    let texts = std::iter::once(d.title)
        .chain(said_sentences(d.summary))
        .chain(said_sentences(d.body));
    let mut out: BTreeMap<String, u8> = BTreeMap::new();
    for (n, text) in texts.enumerate() {
        for t in tokens(text) {
            *out.entry(t).or_default() |= passage_bit(n);
        }
    }
    out
}

fn average_lengths(fields: &[FieldTokens]) -> [f64; 8] {
    let mut sum = [0f64; 8];
    for f in fields {
        for (s, t) in sum.iter_mut().zip(&f.tokens) {
            *s += t.len() as f64;
        }
    }
    let n = fields.len().max(1) as f64;
    sum.map(|s| s / n)
}

fn doc_of((d, f): (&Document<'_>, &FieldTokens)) -> Doc {
    Doc {
        id: d.id.to_string(),
        title: d.title.to_string(),
        status: d.status,
        answer: d.answer.to_string(),
        summary: d.summary.to_string(),
        category: d.category.to_string(),
        plans: d.plans.to_vec(),
        url: d.url.to_string(),
        words: f.folded.to_vec(),
    }
}

/// `RevisionRestorer` → "Revision Restorer", `export_csv` → "export csv",
/// `/api/v2/reports` → "api v2 reports": identifiers as words.
pub fn split_identifier(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 8);
    let mut prev: Option<char> = None;
    let chars: Vec<char> = id.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            out.push(' ');
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (p.is_lowercase() && c.is_uppercase())
                || (p.is_uppercase() && c.is_uppercase() && next_lower)
                || (p.is_alphabetic() && c.is_numeric())
                || (p.is_numeric() && c.is_alphabetic());
            if boundary {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Stems written as proper names or acronyms in the catalog's prose:
/// capitalised ("Salesforce", "GitHub", "PDF") in most of their
/// occurrences that do not start a sentence.
fn proper_names(documents: &[Document<'_>]) -> BTreeSet<String> {
    let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for d in documents {
        for text in [d.summary, d.body] {
            let mut sentence_start = true;
            for piece in text.split_inclusive(|c: char| !c.is_alphanumeric()) {
                let word: &str = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
                if !word.is_empty() {
                    if !sentence_start {
                        let stem = stem(&text::fold(word));
                        let e = counts.entry(stem).or_default();
                        if word.chars().any(char::is_uppercase) {
                            e.0 += 1;
                        } else {
                            e.1 += 1;
                        }
                    }
                    sentence_start = false;
                }
                if piece.ends_with(['.', '!', '?', ':']) {
                    sentence_start = true;
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, (upper, lower))| *upper > 0 && upper >= lower)
        .map(|(s, _)| s)
        .collect()
}

/// Splits a description into what it says a capability does and what it
/// says it does not: `(said, negated)`, sentences joined by spaces.
pub fn split(body: &str) -> (String, String) {
    let mut said = String::new();
    let mut negated = String::new();
    for sentence in sentences(body) {
        let (pos, neg) = split_sentence(sentence);
        said.push_str(pos);
        said.push(' ');
        negated.push_str(neg);
        negated.push(' ');
    }
    (said, negated)
}

/// The affirmative part of each sentence of a description, in order (empty
/// for a sentence that is wholly negated).
pub fn said_sentences(body: &str) -> Vec<&str> {
    sentences(body)
        .into_iter()
        .map(|s| split_sentence(s).0)
        .collect()
}

/// Whether `words` begins with the words of `phrase`.
fn starts_with_phrase(words: &[(String, usize)], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|((w, _), p)| w == p)
}

/// The affirmative and negated parts of one sentence. Each position is
/// compared with each phrase in place: linear in the sentence's length.
pub fn split_sentence(sentence: &str) -> (&str, &str) {
    let words = simple_words(sentence);
    let (opening, anywhere) = &*PHRASES;
    if opening.iter().any(|p| starts_with_phrase(&words, p)) {
        return ("", sentence);
    }
    for (i, (_, at)) in words.iter().enumerate() {
        if anywhere.iter().any(|p| starts_with_phrase(&words[i..], p)) {
            return (&sentence[..*at], &sentence[*at..]);
        }
    }
    (sentence, "")
}

/// Folded words with their byte offsets; apostrophes are dropped inside a
/// word ("doesn't" → "doesnt").
fn simple_words(sentence: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut cur: Option<(String, usize)> = None;
    for (i, c) in sentence.char_indices() {
        if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            match &mut cur {
                Some((w, _)) => w.push(lower),
                None => cur = Some((lower.to_string(), i)),
            }
        } else if c.is_alphanumeric() {
            let folded = text::fold(&c.to_string());
            match &mut cur {
                Some((w, _)) => w.push_str(&folded),
                None => cur = Some((folded, i)),
            }
        } else if matches!(c, '\'' | '’') && cur.is_some() {
            continue;
        } else if let Some(w) = cur.take() {
            out.push(w);
        }
    }
    out.extend(cur);
    out
}

pub fn stem(word: &str) -> String {
    // Only ASCII lowercase words are stemmed; for them bytes are characters.
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    let mut cut = false;
    if w.ends_with("ing") && w.len() > 5 {
        w.truncate(w.len() - 3);
        cut = true;
    } else if w.ends_with("ed") && w.len() > 4 {
        w.truncate(w.len() - 2);
        cut = true;
    } else if w.ends_with("ation") && w.len() > 7 {
        w.truncate(w.len() - 3);
    } else if w.ends_with("ly") && w.len() > 6 {
        w.truncate(w.len() - 2);
    }
    if cut {
        undouble(&mut w);
    }
    if w.ends_with('e') && w.len() > 3 {
        w.truncate(w.len() - 1);
    }
    w
}

/// `mapp` → `map` after a cut suffix, but `bill`, `pass`, `buzz` stay.
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    let n = b.len();
    if n >= 3 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z') {
        w.truncate(n - 1);
    }
}

fn tokens(text: &str) -> Vec<String> {
    text::words(&text::fold(text))
        .into_iter()
        .map(stem)
        .collect()
}

pub fn is_stop(token: &str) -> bool {
    text::stop_stems()
        .binary_search_by(|s| s.as_str().cmp(token))
        .is_ok()
}
