//! The search index, built from [`Document`]s: what one audience may see of
//! each capability ([`super::documents`] makes them from a site view), so
//! the index can hold nothing else.
//!
//! Each term gets, per capability, a BM25F weight: occurrences in each field
//! are counted, multiplied by the field's weight and normalized by the
//! field's length, summed, and saturated (`tf / (k1 + tf)`), so a term
//! repeated in a long description cannot outweigh one word in the title.
//! Each term also gets an inverse document frequency over the catalog, so
//! rare, distinctive words count more than common ones.

use super::{field::Field, negation, semantic, text, thesaurus};
use crate::config::SearchConfig;
use crate::model::Status;
use std::collections::{BTreeMap, BTreeSet};

/// BM25F parameters: the weight of each field and how much its length
/// normalizes (`b`), in [`Field`] order.
pub mod bm25 {
    /// Field weights.
    pub const WEIGHT: [f64; 8] = [6.0, 5.0, 3.0, 1.5, 1.0, 0.7, 0.5, 0.15];
    /// Length normalization per field.
    pub const B: [f64; 8] = [0.3, 0.2, 0.5, 0.0, 0.6, 0.6, 0.3, 0.0];
    /// Saturation.
    pub const K1: f64 = 1.6;
    /// Occurrences counted per field: repeating a word does not make a
    /// capability more about it.
    pub const TF_MAX: u32 = 3;
    /// A proper name or acronym ("Salesforce", "PDF"), or a word that is no
    /// English word of the semantic table ("okta", "webhook"), multiplies
    /// its inverse document frequency by this, in percent.
    pub const NAME_BOOST: u32 = 125;
}

/// The searchable text of one capability, as its audience may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Summaries of linked work and its children, where the audience sees
    /// them.
    pub work: Vec<&'a str>,
    /// Code identifiers of the evidence (symbols, routes, flags, file
    /// names), where the audience sees them.
    pub code: Vec<&'a str>,
    /// Site path, `/capabilities/<id>/`.
    pub url: &'a str,
}

impl Default for Document<'_> {
    fn default() -> Self {
        Document {
            id: "",
            title: "",
            aliases: &[],
            redirect_from: &[],
            summary: "",
            category: "",
            plans: &[],
            status: Status::Available,
            answer: "",
            body: "",
            work: Vec::new(),
            code: Vec::new(),
            url: "",
        }
    }
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
    /// The folded words of each field, in [`Field`] order, for telling an
    /// exact match from a stemmed one. Not written to the site.
    pub words: Vec<BTreeSet<String>>,
}

/// The index: documents, the sorted vocabulary with inverse document
/// frequencies and postings, the thesaurus, the stop words and the
/// documents' semantic vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Documents in view order (by id).
    pub docs: Vec<Doc>,
    /// Vocabulary, sorted.
    pub terms: Vec<String>,
    /// `idf[i]` weighs `terms[i]`, in hundredths: rarer terms count more.
    pub idf: Vec<u32>,
    /// `postings[i]`: (document, [`Posting`] packed by
    /// [`Posting::pack`]) for `terms[i]`, by document.
    pub postings: Vec<Vec<(u32, u32)>>,
    /// Synonym groups, stemmed.
    pub thesaurus: Vec<thesaurus::Group>,
    /// Stop words, stemmed and sorted.
    pub stop: Vec<String>,
    /// One semantic vector per document; empty when the semantic layer is
    /// off.
    pub vectors: Vec<[i8; semantic::DIMS]>,
}

/// How one term sits in one capability: its saturated BM25F weight in
/// thousandths, the strongest field holding it and the passages it occurs
/// in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// `1000 · tf / (k1 + tf)`, 1–999.
    pub weight: u32,
    /// The strongest field the term occurs in.
    pub field: Field,
    /// The passages holding the term, one bit each (see [`passage_bit`]):
    /// two words of a question found in the same passage are near each
    /// other.
    pub passages: u8,
}

impl Posting {
    /// `(weight · 8 + field) · 256 + passages`: one integer per posting in
    /// the site's files.
    pub fn pack(self) -> u32 {
        (self.weight * 8 + self.field as u32) * 256 + u32::from(self.passages)
    }

    /// The inverse of [`Posting::pack`].
    pub fn unpack(v: u32) -> Posting {
        let wf = v / 256;
        Posting {
            weight: wf / 8,
            field: Field::ALL[(wf % 8) as usize],
            passages: (v % 256) as u8,
        }
    }
}

/// The bit of passage `n` of a capability: the title is passage 0, then
/// each sentence of the summary, then each affirmative sentence of the
/// description. Eight bits, so passages 8 apart share one.
pub fn passage_bit(n: usize) -> u8 {
    1 << (n % 8)
}

impl Index {
    /// Builds the index of `documents`, in their order, with the semantic
    /// layer on.
    pub fn build(documents: &[Document<'_>], config: &SearchConfig) -> Index {
        Self::build_with(documents, config, Some(semantic::table()))
    }

    /// Builds the index; `table` None leaves the semantic layer off.
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

    /// Position of `term` in the vocabulary.
    pub fn term(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok()
    }

    /// Inverse document frequency, in hundredths, of a term no capability
    /// holds: what a question's word the catalog lacks would weigh.
    pub fn idf_absent(&self) -> u32 {
        idf(self.docs.len(), 0)
    }
}

/// How specific a stem is in English, in thousandths: a common word
/// ("then", "team") weighs less than a rare one ("payroll"), and a word the
/// semantic table does not know ("okta", "webhook") most; a word with a
/// digit ("2am", "v2") like a common word. Without a table, 1000.
pub fn specificity(table: Option<&semantic::Table>, stem: &str) -> u32 {
    let Some(t) = table else {
        return 1000;
    };
    let rarity = if stem.chars().any(|c| c.is_ascii_digit()) {
        0
    } else {
        t.rarity_of(stem)
    };
    let base = crate::search::rank::RARITY_BASE as u32;
    1000 * (base + rarity) / (base + 255)
}

/// BM25's inverse document frequency in hundredths, as an integer so the
/// browser and Rust agree: `round(100 · ln(1 + (n − df + ½) / (df + ½)))`.
fn idf(n: usize, df: usize) -> u32 {
    let (n, df) = (n as f64, df as f64);
    (100.0 * (1.0 + (n - df + 0.5) / (df + 0.5)).ln()).round() as u32
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
        let (said, negated) = negation::split(d.body);
        let (summary, summary_negated) = negation::split(d.summary);
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
        let tokens = texts.clone().map(|t| {
            text::tokens(&t)
                .into_iter()
                .filter(|t| !text::is_stop(t))
                .collect()
        });
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
        .chain(negation::said_sentences(d.summary))
        .chain(negation::said_sentences(d.body));
    let mut out: BTreeMap<String, u8> = BTreeMap::new();
    for (n, text) in texts.enumerate() {
        for t in text::tokens(text) {
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
                        let stem = text::stem(&text::fold(word));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_pack_into_one_integer() {
        let p = Posting {
            weight: 999,
            field: Field::NotIncluded,
            passages: 0b1000_0001,
        };
        assert_eq!(Posting::unpack(p.pack()), p);
    }

    #[test]
    fn passages_are_the_title_and_each_sentence() {
        let d = Document {
            title: "Audit log",
            summary: "Every change. Who made it.",
            body: "Export the events. Not included: SIEM.",
            ..Document::default()
        };
        let p = passages_of(&d);
        assert_eq!(p["audit"], passage_bit(0));
        assert_eq!(p["who"], passage_bit(2));
        assert_eq!(p["export"], passage_bit(3));
        assert!(!p.contains_key("siem"), "a negated sentence is no passage");
    }

    #[test]
    fn idf_favours_rare_terms() {
        assert!(idf(100, 1) > idf(100, 50));
        assert!(idf(10, 10) < 10);
        assert!(idf(10, 0) > idf(10, 1));
    }

    #[test]
    fn identifiers_split_into_words() {
        assert_eq!(split_identifier("RevisionRestorer"), "Revision Restorer");
        assert_eq!(split_identifier("HTTPServer2"), "HTTP Server 2");
        assert_eq!(split_identifier("export_csv"), "export csv");
        assert_eq!(split_identifier("/api/v2/reports"), " api v 2 reports");
    }

    #[test]
    fn proper_names_are_found_in_prose() {
        let body = "Syncs with Salesforce and exports PDF files. Export runs nightly; we export.";
        let d = Document {
            id: "x",
            body,
            ..Document::default()
        };
        let names = proper_names(&[d]);
        assert!(names.contains(&text::stem("salesforce")) && names.contains("pdf"));
        assert!(
            !names.contains("export"),
            "sentence-initial words do not count"
        );
    }

    #[test]
    fn title_outweighs_a_long_body() {
        let body = "report ".repeat(40);
        let a = Document {
            id: "a",
            title: "Reports",
            ..Document::default()
        };
        let b = Document {
            id: "b",
            body: &body,
            ..Document::default()
        };
        let ix = Index::build_with(&[a, b], &SearchConfig::default(), None);
        let p = &ix.postings[ix.term("report").unwrap()];
        let (wa, wb) = (Posting::unpack(p[0].1), Posting::unpack(p[1].1));
        assert!(wa.weight > wb.weight, "{wa:?} {wb:?}");
        assert_eq!((wa.field, wb.field), (Field::Title, Field::Body));
    }

    #[test]
    fn words_of_not_included_sentences_are_kept_apart() {
        let d = Document {
            id: "sso",
            title: "Single sign-on",
            body: "SAML login. Not included: SCIM provisioning.",
            ..Document::default()
        };
        let ix = Index::build_with(&[d], &SearchConfig::default(), None);
        let p = Posting::unpack(ix.postings[ix.term("scim").unwrap()][0].1);
        assert_eq!(p.field, Field::NotIncluded);
        let saml = Posting::unpack(ix.postings[ix.term("saml").unwrap()][0].1);
        assert!(saml.weight > p.weight);
    }
}
