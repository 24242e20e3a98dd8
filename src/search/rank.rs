//! Query understanding, scoring and confidence — the one ranking of capcat,
//! mirrored line for line by the `Engine` of
//! `themes/default/static/search.js`.
//!
//! A query becomes *units*: a thesaurus phrase ("single sign on") or one
//! word that is not a stop word. Each unit has alternatives — index terms
//! (or term sequences) with a quality in percent: the word itself 100, a
//! synonym 80, the completion of a word still being typed 70, a word one
//! typo away 60 — and an importance: its inverse document frequency, or for
//! a word the catalog lacks, how rare it is in English.
//!
//! Lexical score: per unit, the best alternative's `quality · idf · BM25F
//! weight`, summed, times the importance share of the units matched.
//! Semantic score: the cosine of the question's and the capability's
//! vectors ([`super::semantic`]); only its part above
//! [`SEMANTIC_FLOOR`] counts, so exact, distinctive words still win.
//!
//! Proximity: two neighbouring units of the question found in the same
//! passage of a capability (its title, a sentence of its summary or
//! description) add the smaller of their two scores.
//!
//! Confidence, whether the first result answers the question, is judged by
//! [`super::confidence`].
//!
//! All arithmetic is on integers (the cosine on exactly rounded floating
//! point) so the browser and Rust agree to the last digit.

use super::field::Field;
use super::index::{Index, Posting};
use super::{confidence, semantic, text};
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
/// Cosines (in thousandths) up to this add nothing.
pub const SEMANTIC_FLOOR: i64 = 350;
/// Each thousandth of cosine above the floor adds this much score, times
/// the share of the question that no capability's words cover.
pub const SEMANTIC_WEIGHT: u64 = 30;
/// A word the catalog lacks weighs `idf_absent · (RARITY_BASE + rarity) /
/// (RARITY_BASE + 255)`: a common English word less than a rare one.
pub const RARITY_BASE: u64 = 128;
/// For the share of the question the best match covers (which damps the
/// semantic layer), a synonym counts this much, in percent (like a typo).
pub const SYNONYM_STRENGTH: u64 = 60;
/// Two neighbouring units of the question found in the same passage add
/// this share of the smaller of their scores, in percent.
pub const PROXIMITY_BONUS: u64 = 100;
/// A word capitalised in the question counts this much, in percent.
pub const NAME_BOOST: u64 = 150;

/// How an alternative relates to the word asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The word itself (any inflection).
    Exact,
    /// A thesaurus synonym.
    Synonym,
    /// A completion of the word being typed.
    Prefix,
    /// A word one typo away.
    Typo,
}

impl Kind {
    /// Quality in percent.
    pub fn quality(self) -> u64 {
        match self {
            Kind::Exact => Q_EXACT,
            Kind::Synonym => Q_SYNONYM,
            Kind::Prefix => Q_PREFIX,
            Kind::Typo => Q_TYPO,
        }
    }

    /// The name `ask --json` uses in `match`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Exact => "exact",
            Kind::Synonym => "synonym",
            Kind::Prefix => "prefix",
            Kind::Typo => "typo",
        }
    }
}

/// One alternative of a unit: index terms that must all be present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// Terms (stemmed).
    pub terms: Vec<String>,
    /// How it relates to the words asked.
    pub kind: Kind,
}

/// A query unit: one concept of the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The stemmed query tokens it came from.
    pub tokens: Vec<String>,
    /// The words as asked (folded).
    pub words: Vec<String>,
    /// What may satisfy it, best first; empty when nothing in the catalog
    /// can.
    pub alternatives: Vec<Alternative>,
    /// How much it matters to the question.
    pub importance: u64,
    /// 150 for a word capitalised in the question ("ARM", "Graviton"): a
    /// name or an acronym the asker cares about; else 100. Percent.
    pub boost: u64,
    /// How rare its rarest word is in English, 0–255: 255 for a word the
    /// word table does not hold (or without the table), 0 for one with a
    /// digit. Confidence weighs a common word less.
    pub rarity: u32,
}

/// A parsed question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Its units, in question order.
    pub units: Vec<Unit>,
    /// The stems its semantic vector is made of.
    pub semantic_stems: Vec<String>,
}

/// One ranked capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Document number in the index.
    pub doc: usize,
    /// Score; higher is better.
    pub score: u64,
}

/// How one unit matched one capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitMatch {
    /// The field of the best alternative's weakest term.
    pub field: Field,
    /// The best alternative's kind.
    pub kind: Kind,
    /// Its score.
    pub score: u64,
    /// How strongly the unit's best-supported alternative shows an answer,
    /// in thousandths (see [`coverage`]); not necessarily the best scored.
    pub strength: u64,
    /// The same for confidence ([`confidence::support`]).
    pub support: u64,
    /// The passages holding any of its alternatives (for an alternative of
    /// several terms, the passages holding them all).
    pub passages: u8,
}

/// A ranked question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// The parsed question.
    pub query: Query,
    /// Best first; ties by document order.
    pub hits: Vec<Hit>,
    /// True when the first hit answers the question (see the module
    /// documentation).
    pub confident: bool,
    /// The share of the question the first hit covers, in thousandths (0
    /// without hits): what `confident` is judged on
    /// ([`confidence::coverage`]).
    pub coverage: u64,
}

/// Parses `query` into units against `index`'s vocabulary and thesaurus.
/// The last word is also completed as a prefix unless the query ends with a
/// space or punctuation (someone still typing vs. a finished question).
pub fn parse(index: &Index, query: &str) -> Query {
    parse_with(index, query, semantic_table(index))
}

fn semantic_table(index: &Index) -> Option<&'static semantic::Table> {
    (!index.vectors.is_empty()).then(semantic::table)
}

fn parse_with(index: &Index, query: &str, table: Option<&semantic::Table>) -> Query {
    let folded = text::fold(query);
    let complete = folded
        .chars()
        .last()
        .is_none_or(|c| !(c.is_alphabetic() || c.is_numeric()));
    let raw = text::words(&folded);
    let stems: Vec<String> = raw.iter().map(|w| text::stem(w)).collect();
    let capitals = capitalised(query, raw.len());
    let mut units = Vec::new();
    let mut semantic_stems = Vec::new();
    let mut i = 0;
    while i < stems.len() {
        let typing = !complete && i + 1 == stems.len();
        let (len, groups) = longest_phrase(index, &stems[i..]);
        let unit = if len > 0 {
            Some(synonym_unit(
                index,
                &stems[i..i + len],
                &raw[i..i + len],
                &groups,
            ))
        } else if !text::is_stop(&stems[i]) {
            let english = table.is_some_and(|t| t.row(&stems[i]).is_some());
            Some(word_unit(index, raw[i], &stems[i], typing, english))
        } else {
            None
        };
        let step = len.max(1);
        if let Some(mut u) = unit {
            if capitals[i..i + step].iter().any(|&c| c) {
                u.boost = NAME_BOOST;
            }
            u.importance = importance(index, table, &u) * u.boost / 100;
            u.rarity = rarity(table, &u);
            if !typing {
                semantic_stems.extend(u.tokens.iter().filter(|t| !text::is_stop(t)).cloned());
            }
            units.push(u);
        }
        i += step;
    }
    Query {
        units,
        semantic_stems,
    }
}

/// For each word of the question: written with a capital where it does not
/// start the question, or in capitals ("ARM"). All false when folding
/// changed the number of words.
fn capitalised(query: &str, n: usize) -> Vec<bool> {
    let words = text::words(query);
    if words.len() != n {
        return vec![false; n];
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let upper = w.chars().filter(|c| c.is_uppercase()).count();
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            (i > 0 && upper > 0) || (letters >= 2 && upper == letters)
        })
        .collect()
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

fn synonym_unit(index: &Index, tokens: &[String], raw: &[&str], groups: &[usize]) -> Unit {
    let mut alternatives = Vec::new();
    for &g in groups {
        for phrase in &index.thesaurus[g] {
            let terms: Vec<String> = phrase
                .iter()
                .filter(|t| !text::is_stop(t))
                .cloned()
                .collect();
            let kind = if phrase[..] == tokens[..] {
                Kind::Exact
            } else {
                Kind::Synonym
            };
            if terms.iter().all(|t| index.term(t).is_some()) {
                push_alternative(&mut alternatives, terms, kind);
            }
        }
    }
    Unit {
        tokens: tokens.to_vec(),
        words: raw.iter().map(|w| w.to_string()).collect(),
        alternatives,
        importance: 0,
        boost: 100,
        rarity: 255,
    }
}

/// The unit of one word. A word of the English word table (`english`) is
/// taken as spelled: it gets no typo alternatives ("watch" is not a typo
/// of "watchos", nor "sales" of "saml").
fn word_unit(index: &Index, raw: &str, stem: &str, typing: bool, english: bool) -> Unit {
    let mut alternatives = Vec::new();
    let singular = raw
        .strip_suffix('s')
        .map(text::stem)
        .filter(|s| index.term(s).is_some());
    if index.term(stem).is_some() {
        push_alternative(&mut alternatives, vec![stem.to_string()], Kind::Exact);
    } else if let Some(s) = singular {
        // a plural the stemmer leaves alone: "CPUs", "GPUs"
        push_alternative(&mut alternatives, vec![s], Kind::Exact);
    } else if !english && raw.chars().count() >= TYPO_MIN_CHARS {
        for t in index
            .terms
            .iter()
            .filter(|t| text::within_one_edit(stem, t))
        {
            push_alternative(&mut alternatives, vec![t.clone()], Kind::Typo);
        }
    }
    if typing {
        for t in completions(index, raw) {
            push_alternative(&mut alternatives, vec![t], Kind::Prefix);
        }
    }
    Unit {
        tokens: vec![stem.to_string()],
        words: vec![raw.to_string()],
        alternatives,
        importance: 0,
        boost: 100,
        rarity: 255,
    }
}

/// How much a unit matters: the sum of its stems' inverse document
/// frequencies (a phrase says more than each of its words); a stem the
/// catalog lacks weighs by its rarity in English (unknown to the semantic
/// table: as rare as can be).
fn importance(index: &Index, table: Option<&semantic::Table>, unit: &Unit) -> u64 {
    let absent = u64::from(index.idf_absent());
    unit.tokens
        .iter()
        .filter(|t| !text::is_stop(t))
        .map(|t| match index.term(t) {
            Some(i) => u64::from(index.idf[i]),
            None => absent * u64::from(super::index::specificity(table, t)) / 1000,
        })
        .sum()
}

/// How rare the rarest word of `unit` is in English (see [`Unit::rarity`]).
fn rarity(table: Option<&semantic::Table>, unit: &Unit) -> u32 {
    let Some(t) = table else {
        return 255;
    };
    unit.tokens
        .iter()
        .filter(|s| !text::is_stop(s))
        .map(|s| {
            if s.chars().any(|c| c.is_ascii_digit()) {
                0
            } else {
                t.rarity_of(s)
            }
        })
        .max()
        .unwrap_or(255)
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

/// Adds an alternative unless the same terms are already there with a kind
/// at least as good.
fn push_alternative(alts: &mut Vec<Alternative>, terms: Vec<String>, kind: Kind) {
    if terms.is_empty() {
        return;
    }
    match alts.iter_mut().find(|a| a.terms == terms) {
        Some(a) => a.kind = a.kind.min(kind),
        None => alts.push(Alternative { terms, kind }),
    }
}

/// Per document, how each unit matched (None: it did not).
pub fn unit_matches(index: &Index, unit: &Unit) -> BTreeMap<usize, UnitMatch> {
    let mut best: BTreeMap<usize, UnitMatch> = BTreeMap::new();
    for alt in &unit.alternatives {
        for (doc, (c, field, passages)) in alternative_scores(index, alt, unit.importance) {
            let m = UnitMatch {
                field,
                kind: alt.kind,
                score: alt.kind.quality() * c / 1000 * unit.boost / 100,
                strength: strength(field, alt.kind),
                support: confidence::support(field, alt.kind),
                passages,
            };
            let e = best.entry(doc).or_insert(m);
            let strongest = e.strength.max(m.strength);
            let support = e.support.max(m.support);
            let near = e.passages | m.passages;
            if m.score > e.score {
                *e = m;
            }
            e.strength = strongest;
            e.support = support;
            e.passages = near;
        }
    }
    best.retain(|_, m| m.score > 0);
    best
}

/// Ranks every document for `query`, best first; ties by document order.
pub fn score(index: &Index, query: &Query) -> Vec<Hit> {
    score_matches(index, query).0
}

type Matches = Vec<BTreeMap<usize, UnitMatch>>;

fn score_matches(index: &Index, query: &Query) -> (Vec<Hit>, Matches) {
    let matches: Matches = query.units.iter().map(|u| unit_matches(index, u)).collect();
    let total: u64 = query
        .units
        .iter()
        .filter(|u| !u.alternatives.is_empty())
        .map(|u| u.importance)
        .sum();
    let mut totals: BTreeMap<usize, (u64, u64)> = BTreeMap::new();
    for (unit, per_doc) in query.units.iter().zip(&matches) {
        for (&doc, m) in per_doc {
            let t = totals.entry(doc).or_default();
            t.0 += m.score;
            t.1 += unit.importance;
        }
    }
    for pair in matches.windows(2) {
        for (&doc, a) in &pair[0] {
            if let Some(b) = pair[1].get(&doc)
                && a.passages & b.passages != 0
            {
                totals.entry(doc).or_default().0 += a.score.min(b.score) * PROXIMITY_BONUS / 100;
            }
        }
    }
    let best_coverage = totals
        .keys()
        .map(|&doc| coverage(query, &matches, doc))
        .max()
        .unwrap_or(0);
    // The better the words alone answer, the less meaning adds.
    let damp = 1000 - best_coverage.min(1000);
    let mut scores: BTreeMap<usize, u64> = totals
        .into_iter()
        .map(|(doc, (sum, covered))| (doc, sum * covered / total.max(1)))
        .collect();
    if let Some(qv) =
        semantic_table(index).and_then(|t| semantic::query_vector(t, &query.semantic_stems))
    {
        for (doc, v) in index.vectors.iter().enumerate() {
            let above = semantic::cosine(&qv, v) - SEMANTIC_FLOOR;
            if above > 0 {
                *scores.entry(doc).or_default() += above as u64 * SEMANTIC_WEIGHT * damp / 1000;
            }
        }
    }
    let mut hits: Vec<Hit> = scores
        .into_iter()
        .filter(|&(_, score)| score > 0)
        .map(|(doc, score)| Hit { doc, score })
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
    (hits, matches)
}

/// How much of the question `doc` covers, in thousandths of importance:
/// full for a unit found in what it is about, half for one found only in
/// its description, linked work or code, none otherwise. The best of it
/// over all documents damps the semantic layer; confidence weighs the
/// question its own way ([`confidence::coverage`]).
pub fn coverage(query: &Query, matches: &Matches, doc: usize) -> u64 {
    let total: u64 = query.units.iter().map(|u| u.importance).sum();
    if total == 0 {
        return 0;
    }
    let covered: u64 = query
        .units
        .iter()
        .zip(matches)
        .map(|(u, m)| u.importance * m.get(&doc).map_or(0, |m| m.strength) / 1000)
        .sum();
    covered * 1000 / total
}

/// How strongly one unit match supports an answer, in thousandths.
fn strength(field: Field, kind: Kind) -> u64 {
    // A synonym is weaker evidence of an answer than of relevance.
    let quality = match kind {
        Kind::Synonym => SYNONYM_STRENGTH,
        k => k.quality(),
    };
    let q = quality * 10;
    match field {
        f if f.is_strong() => q,
        Field::NotIncluded => 0,
        _ => q / 2,
    }
}

/// For each document holding every term of `alt`: the smallest
/// `weight · idf` among its terms, the field of that term, and the
/// passages holding every term.
fn alternative_scores(
    index: &Index,
    alt: &Alternative,
    importance: u64,
) -> BTreeMap<usize, (u64, Field, u8)> {
    let mut acc: Option<BTreeMap<usize, (u64, Field, u8)>> = None;
    for term in &alt.terms {
        let Some(i) = index.term(term) else {
            return BTreeMap::new();
        };
        let idf = u64::from(index.idf[i]).min(importance);
        let this: BTreeMap<usize, (u64, Field, u8)> = index.postings[i]
            .iter()
            .map(|&(d, packed)| {
                let p = Posting::unpack(packed);
                (d as usize, (u64::from(p.weight) * idf, p.field, p.passages))
            })
            .collect();
        acc = Some(match acc {
            None => this,
            Some(prev) => prev
                .into_iter()
                .filter_map(|(d, c)| {
                    this.get(&d).map(|c2| {
                        let (score, field) = if c2.0 < c.0 { (c2.0, c2.1) } else { (c.0, c.1) };
                        (d, (score, field, c.2 & c2.2))
                    })
                })
                .collect(),
        });
    }
    acc.unwrap_or_default()
}

/// Parses, scores and judges confidence in one go.
pub fn rank(index: &Index, query: &str) -> Ranked {
    let query = parse(index, query);
    let (hits, matches) = score_matches(index, &query);
    let covered = hits
        .first()
        .map_or(0, |h| confidence::coverage(&query, &matches, h.doc));
    Ranked {
        confident: confidence::is_confident(covered, &hits),
        query,
        hits,
        coverage: covered,
    }
}

/// Parses and scores in one go.
pub fn search(index: &Index, query: &str) -> Vec<Hit> {
    rank(index, query).hits
}

/// How each unit of `query` matched `doc`: `(unit, match)` for the units
/// that did.
pub fn explain(index: &Index, query: &Query, doc: usize) -> Vec<(usize, UnitMatch)> {
    query
        .units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| unit_matches(index, u).get(&doc).map(|m| (i, *m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SearchConfig;
    use crate::search::index::Document;

    /// An index over `(id, title, body)` documents, semantic layer off.
    fn index(docs: &[(&str, &str, &str)]) -> Index {
        let documents: Vec<Document<'_>> = docs
            .iter()
            .map(|(id, title, body)| Document {
                id,
                title,
                body,
                ..Document::default()
            })
            .collect();
        Index::build_with(&documents, &SearchConfig::default(), None)
    }

    fn ids(ix: &Index, q: &str) -> Vec<String> {
        search(ix, q)
            .iter()
            .map(|h| ix.docs[h.doc].id.clone())
            .collect()
    }

    #[test]
    fn question_scaffolding_is_dropped() {
        let ix = index(&[
            ("a", "export reports", ""),
            ("b", "platform support today", ""),
        ]);
        let q = parse(
            &ix,
            "Does our platform currently support exporting reports today?",
        );
        let toks: Vec<&str> = q.units.iter().map(|u| u.tokens[0].as_str()).collect();
        assert_eq!(toks, ["export", "report"]);
    }

    #[test]
    fn last_word_is_completed_only_while_typing() {
        let ix = index(&[("a", "dashboards", ""), ("b", "data", "")]);
        assert_eq!(ids(&ix, "dashb"), ["a"]);
        assert!(
            ids(&ix, "dashb ").is_empty(),
            "a finished word is not a prefix"
        );
        assert!(ids(&ix, "dashb?").is_empty());
    }

    #[test]
    fn one_typo_from_five_letters() {
        let ix = index(&[("a", "export", ""), ("b", "sso", "")]);
        assert_eq!(ids(&ix, "exprot."), ["a"]);
        assert!(ids(&ix, "sos.").is_empty(), "short words are not corrected");
        assert!(ids(&ix, "exprto.").is_empty(), "two edits are too many");
    }

    #[test]
    fn an_english_word_is_no_typo() {
        let documents: Vec<Document<'_>> = [("a", "watchOS apps"), ("b", "Export")]
            .iter()
            .map(|(id, title)| Document {
                id,
                title,
                ..Document::default()
            })
            .collect();
        let ix = Index::build(&documents, &SearchConfig::default());
        let watch = parse(&ix, "watch.");
        assert!(
            watch.units[0].alternatives.is_empty(),
            "'watch' is spelled right"
        );
        assert_eq!(ids(&ix, "exprot."), ["b"]);
        let lexical = index(&[("a", "watchOS apps", "")]);
        assert_eq!(
            ids(&lexical, "watcho."),
            ["a"],
            "without the table, as before"
        );
    }

    #[test]
    fn synonyms_rank_below_the_word_itself() {
        let ix = index(&[("okta", "okta login", ""), ("saml", "saml login", "")]);
        assert_eq!(ids(&ix, "okta."), ["okta", "saml"]);
        assert_eq!(ids(&ix, "saml."), ["saml", "okta"]);
    }

    #[test]
    fn matching_more_of_the_question_wins() {
        let ix = index(&[
            ("csv", "export reports csv", ""),
            ("pdf", "export invoices pdf", ""),
            ("r", "reports reports", ""),
        ]);
        assert_eq!(ids(&ix, "can we export reports to CSV?")[0], "csv");
    }

    #[test]
    fn a_distinctive_word_beats_a_common_title_word() {
        let ix = index(&[
            ("oidc", "OpenID connect", "Sign in with OpenID."),
            ("sf", "CRM sync", "Two-way sync with Salesforce accounts."),
            ("c1", "Connect a calendar", ""),
            ("c2", "Connect a drive", ""),
            ("c3", "Connect chat", ""),
        ]);
        assert_eq!(ids(&ix, "does it connect to our Salesforce org")[0], "sf");
    }

    #[test]
    fn neighbouring_words_in_one_sentence_win() {
        let ix = index(&[
            (
                "apart",
                "Contacts",
                "The best reports. Call time is logged.",
            ),
            (
                "near",
                "Contacts",
                "Call at the best time. Reports are logged.",
            ),
        ]);
        assert_eq!(ids(&ix, "best time to call")[0], "near");
        assert_eq!(ids(&ix, "best reports")[0], "apart");
    }

    #[test]
    fn a_missing_distinctive_word_is_not_confident() {
        let ix = index(&[
            ("pdf", "PDF invoices", "Tax-compliant invoices as PDF."),
            ("csv", "Export reports to CSV", ""),
        ]);
        assert!(!rank(&ix, "Are you HIPAA compliant?").confident);
        assert!(rank(&ix, "PDF invoices?").confident);
        assert!(rank(&ix, "can we export reports to CSV?").confident);
    }

    #[test]
    fn a_common_word_left_unmatched_weighs_less_than_a_name() {
        let documents: Vec<Document<'_>> = [
            ("csv", "Export reports to CSV", ""),
            ("pdf", "PDF invoices", "Tax-compliant invoices as PDF."),
            (
                "sched",
                "Scheduled email reports",
                "Reports emailed every day.",
            ),
            ("sso", "Single sign-on", "Sign in with Okta."),
            ("2fa", "Two-factor authentication", "Codes from an app."),
            ("roles", "Roles and permissions", "Who may see what."),
            ("audit", "Audit log", "Every change, who made it and when."),
            ("hooks", "Webhooks", "Call your URL on each order."),
        ]
        .iter()
        .map(|(id, title, body)| Document {
            id,
            title,
            body,
            ..Document::default()
        })
        .collect();
        let ix = Index::build(&documents, &SearchConfig::default());
        let morning = rank(&ix, "can reports be emailed in the morning?");
        assert_eq!(ix.docs[morning.hits[0].doc].id, "sched");
        assert!(morning.confident, "'morning' is a detail");
        let xero = rank(&ix, "can reports be emailed to xero?");
        assert!(!xero.confident, "'Xero' is what is asked about");
    }

    #[test]
    fn a_not_included_sentence_is_never_confident() {
        let ix = index(&[(
            "sso",
            "Single sign-on",
            "SAML login. Not included: SCIM provisioning.",
        )]);
        let r = rank(&ix, "scim");
        assert_eq!(r.hits.len(), 1, "still shown as the closest match");
        assert!(!r.confident);
    }
}
