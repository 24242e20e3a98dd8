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

use super::hashing::FastMap;
use super::{field::Field, negation, semantic, text, thesaurus};
use crate::config::SearchConfig;
use crate::model::Status;
use std::collections::BTreeSet;
use std::sync::Arc;

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
    ///
    /// Each document's text is read once, in parallel (`Scratch::terms_of`);
    /// the vocabulary is then merged in document order and sorted once.
    pub fn build_with(
        documents: &[Document<'_>],
        config: &SearchConfig,
        table: Option<&semantic::Table>,
    ) -> Index {
        use rayon::prelude::*;
        let per_doc: Vec<DocTerms> = documents
            .par_iter()
            .map(|d| Scratch::with_thread(d, table, true))
            .collect();
        let mut stems = StemTable::default();
        let per_doc = per_doc.into_iter().map(|d| stems.number(d)).collect();
        Self::merge(per_doc, &stems.stems, config, table)
    }

    /// Builds the site's index with the semantic layer on, taking from
    /// `cache` the terms of every document whose text it has seen and
    /// leaving in it exactly the terms of `documents` (see [`TermsCache`]).
    /// The documents' [`Doc::words`] stay empty: only `capcat ask` reads
    /// them, and it builds its index with [`Index::build`].
    ///
    /// Cached terms keep the numbers of the cache's stem table, and stems
    /// met for the first time are added to its end, so the merge counts
    /// stems by number rather than by hashing every string again.
    pub fn build_cached(
        documents: &[Document<'_>],
        config: &SearchConfig,
        cache: &mut TermsCache,
    ) -> Index {
        use rayon::prelude::*;
        let table = Some(semantic::table());
        let read: Vec<(cache::Key, Result<NumberedTerms, DocTerms>)> = documents
            .par_iter()
            .map(|d| {
                let key = cache::key(d);
                let terms = match cache.terms(&key) {
                    Some((terms, lens, vector)) => Ok(NumberedTerms {
                        terms,
                        lens,
                        doc: doc_of(d),
                        vector,
                    }),
                    None => Err(Scratch::with_thread(d, table, false)),
                };
                (key, terms)
            })
            .collect();
        let mut stems = StemTable::starting_with(cache.stems());
        let mut keys = Vec::with_capacity(read.len());
        let mut per_doc = Vec::with_capacity(read.len());
        for (key, terms) in read {
            keys.push((key, terms.is_ok()));
            per_doc.push(terms.unwrap_or_else(|fresh| stems.number(fresh)));
        }
        cache.replace(&keys, &per_doc, &stems.stems);
        Self::merge(per_doc, &stems.stems, config, table)
    }

    /// The index of the documents' terms, in document order; their stems
    /// are numbers into `stems`, which holds each stem once.
    fn merge(
        mut per_doc: Vec<NumberedTerms>,
        stems: &[Arc<str>],
        config: &SearchConfig,
        table: Option<&semantic::Table>,
    ) -> Index {
        use rayon::prelude::*;
        let avg = average_lengths(&per_doc);
        let mut entries: Vec<TermEntry> = Vec::new();
        entries.resize_with(stems.len(), TermEntry::default);
        for (n, d) in per_doc.iter_mut().enumerate() {
            for (stem, stats) in std::mem::take(&mut d.terms) {
                let posting = stats.posting(&d.lens, &avg).map(|p| (n as u32, p.pack()));
                entries[stem as usize].add(posting, &stats);
            }
        }
        let mut docs = Vec::with_capacity(per_doc.len());
        let mut vectors = Vec::new();
        for d in per_doc {
            docs.push(d.doc);
            vectors.extend(d.vector);
        }
        let mut used: Vec<usize> = (0..entries.len())
            .filter(|&i| !entries[i].postings.is_empty())
            .collect();
        used.par_sort_unstable_by(|&a, &b| stems[a].cmp(&stems[b]));
        let n = docs.len();
        let idf = used
            .par_iter()
            .map(|&i| {
                let base = idf(n, entries[i].postings.len()) * specificity(table, &stems[i]) / 1000;
                if entries[i].is_proper_name() {
                    base * bm25::NAME_BOOST / 100
                } else {
                    base
                }
            })
            .collect();
        let (terms, postings) = used
            .iter()
            .map(|&i| {
                (
                    stems[i].to_string(),
                    std::mem::take(&mut entries[i].postings),
                )
            })
            .unzip();
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

/// How one stem sits in one capability.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct TermStats {
    /// Occurrences in each field (stop words are never counted).
    counts: [u32; 8],
    /// The passages holding it ([`passage_bit`]).
    passages: u8,
    /// Occurrences in the summary and description prose not starting a
    /// sentence, written with a capital letter and without.
    upper: u32,
    /// See `upper`.
    lower: u32,
}

impl TermStats {
    /// The BM25F posting, given the document's field lengths and the
    /// catalog's average ones; None when no field holds the stem (it was only
    /// seen by the proper-name count).
    fn posting(&self, lens: &[u32; 8], avg: &[f64; 8]) -> Option<Posting> {
        let first = self.counts.iter().position(|&c| c > 0)?;
        let mut pseudo = 0.0;
        for f in 0..8 {
            if self.counts[f] == 0 {
                continue;
            }
            let len = f64::from(lens[f]);
            let norm = 1.0 - bm25::B[f] + bm25::B[f] * len / avg[f].max(1.0);
            pseudo += bm25::WEIGHT[f] * f64::from(self.counts[f].min(bm25::TF_MAX)) / norm;
        }
        let weight = (1000.0 * pseudo / (bm25::K1 + pseudo))
            .round()
            .clamp(1.0, 999.0) as u32;
        Some(Posting {
            weight,
            field: Field::ALL[first],
            passages: self.passages,
        })
    }
}

/// One stem across the catalog while the index is built.
#[derive(Debug, Default)]
struct TermEntry {
    /// (document, packed posting), in document order.
    postings: Vec<(u32, u32)>,
    /// Capitalised occurrences in prose (see [`TermStats::upper`]).
    upper: u32,
    /// Lowercase occurrences in prose.
    lower: u32,
}

impl TermEntry {
    fn add(&mut self, posting: Option<(u32, u32)>, stats: &TermStats) {
        self.postings.extend(posting);
        self.upper += stats.upper;
        self.lower += stats.lower;
    }

    /// Written as a proper name or acronym ("Salesforce", "GitHub", "PDF")
    /// in most of its occurrences that do not start a sentence.
    fn is_proper_name(&self) -> bool {
        self.upper > 0 && self.upper >= self.lower
    }
}

/// [`DocTerms`] with each stem a number into a [`StemTable`].
struct NumberedTerms {
    /// Each stem's number with its counts.
    terms: Vec<(u32, TermStats)>,
    /// Tokens per field (stop words out).
    lens: [u32; 8],
    /// What a result shows.
    doc: Doc,
    /// The semantic vector, when the layer is on.
    vector: Option<[i8; semantic::DIMS]>,
}

/// Stems numbered in the order they were first met, each once.
#[derive(Default)]
struct StemTable {
    /// Stem by number.
    stems: Vec<Arc<str>>,
    /// Number by stem, made on the first call to [`StemTable::number`].
    numbers: Option<FastMap<Arc<str>, u32>>,
}

impl StemTable {
    /// A table holding `stems` under their positions.
    fn starting_with(stems: &[Arc<str>]) -> StemTable {
        StemTable {
            stems: stems.to_vec(),
            numbers: None,
        }
    }

    /// `d` with its stems numbered, those not in the table added to it.
    fn number(&mut self, d: DocTerms) -> NumberedTerms {
        let stems = &mut self.stems;
        let numbers = self.numbers.get_or_insert_with(|| {
            let mut m = FastMap::default();
            m.reserve(stems.len());
            m.extend(stems.iter().enumerate().map(|(n, s)| (s.clone(), n as u32)));
            m
        });
        let terms = d
            .terms
            .into_iter()
            .map(|(stem, stats)| {
                let n = *numbers.entry(stem).or_insert_with_key(|stem| {
                    stems.push(stem.clone());
                    (stems.len() - 1) as u32
                });
                (n, stats)
            })
            .collect();
        NumberedTerms {
            terms,
            lens: d.lens,
            doc: d.doc,
            vector: d.vector,
        }
    }
}

/// What one capability brings to the index, from one pass over its text.
struct DocTerms {
    /// Each stem with its counts.
    terms: Vec<(Arc<str>, TermStats)>,
    /// Tokens per field (stop words out).
    lens: [u32; 8],
    /// What a result shows.
    doc: Doc,
    /// The semantic vector, when the layer is on.
    vector: Option<[i8; semantic::DIMS]>,
}

/// Every folded word a thread has read, each stemmed and checked against
/// the stop words once: a catalog repeats its words many times.
#[derive(Default)]
struct Lexicon {
    /// Folded word → its number.
    numbers: FastMap<Box<str>, u32>,
    /// Per word number: the word.
    words: Vec<Box<str>>,
    /// Per word number: its stem's number, None for a stop word.
    stem_of: Vec<Option<u32>>,
    /// Stem → its number.
    stem_numbers: FastMap<Arc<str>, u32>,
    /// Per stem number: the stem.
    stems: Vec<Arc<str>>,
}

impl Lexicon {
    /// Words kept at most; beyond, the lexicon starts again (a long-running
    /// process reading ever new words).
    const MAX_WORDS: usize = 1 << 20;

    /// The number of the folded word `word`.
    fn word(&mut self, word: &str) -> u32 {
        if let Some(&n) = self.numbers.get(word) {
            return n;
        }
        let stem = text::stem(word);
        let stem = (!text::is_stop(&stem)).then(|| self.stem(stem));
        let n = self.words.len() as u32;
        self.words.push(word.into());
        self.stem_of.push(stem);
        self.numbers.insert(word.into(), n);
        n
    }

    fn stem(&mut self, stem: String) -> u32 {
        if let Some(&n) = self.stem_numbers.get(stem.as_str()) {
            return n;
        }
        let n = self.stems.len() as u32;
        let stem: Arc<str> = stem.into();
        self.stems.push(stem.clone());
        self.stem_numbers.insert(stem, n);
        n
    }
}

/// What a thread keeps from one document to the next: its lexicon and
/// buffers, and the counts of the document being read, by number.
#[derive(Default)]
struct Scratch {
    lexicon: Lexicon,
    /// The text being read, folded.
    folded: String,
    /// A code identifier as words.
    identifier: String,
    splitter: negation::Splitter,
    /// Per stem number: its counts in this document.
    stats: Vec<TermStats>,
    /// Stem numbers this document holds, in first-seen order.
    stems_seen: Vec<u32>,
    /// Per word number: the fields of this document holding it, one bit each.
    word_fields: Vec<u8>,
    /// Word numbers this document holds.
    words_seen: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Semantic weight of each field: the title, aliases and summary count
/// more; words only in "Not included" sentences not at all.
const VECTOR_WEIGHT: [u32; 8] = [4, 4, 3, 1, 1, 1, 0, 0];

impl Scratch {
    /// [`Scratch::terms_of`] with the current thread's scratch.
    fn with_thread(d: &Document<'_>, table: Option<&semantic::Table>, words: bool) -> DocTerms {
        SCRATCH.with(|s| s.borrow_mut().terms_of(d, table, words))
    }

    /// Everything `d` brings to the index. The fields are: the title; the
    /// aliases, id and former ids; the summary's affirmative sentences; the
    /// category, plans and status label (the answer line is boilerplate
    /// shared by many capabilities: only the status label is searched); the
    /// description's affirmative sentences; the work summaries; the code
    /// identifiers as words; the negated sentences. `words` fills
    /// [`Doc::words`].
    fn terms_of(
        &mut self,
        d: &Document<'_>,
        table: Option<&semantic::Table>,
        words: bool,
    ) -> DocTerms {
        if self.lexicon.words.len() > Lexicon::MAX_WORDS {
            *self = Scratch::default();
        }
        let mut lens = [0u32; 8];
        self.read(&mut lens, Field::Title, d.title, Some(0));
        for alias in d.aliases.iter().map(String::as_str).chain([d.id]) {
            self.read(&mut lens, Field::Alias, alias, None);
        }
        for former in d.redirect_from {
            self.read(&mut lens, Field::Alias, former, None);
        }
        // Passage 0 is the title, then each sentence of the summary, then
        // each of the description.
        let mut passage = 1;
        for (text, field) in [(d.summary, Field::Summary), (d.body, Field::Body)] {
            for sentence in negation::sentences(text) {
                let (said, negated) = self.splitter.split_sentence(sentence);
                self.read(&mut lens, field, said, Some(passage));
                self.read(&mut lens, Field::NotIncluded, negated, None);
                passage += 1;
            }
        }
        self.read(&mut lens, Field::Facet, d.category, None);
        for plan in d.plans {
            self.read(&mut lens, Field::Facet, plan, None);
        }
        self.read(&mut lens, Field::Facet, d.status.label(), None);
        for work in &d.work {
            self.read(&mut lens, Field::Work, work, None);
        }
        let mut identifier = std::mem::take(&mut self.identifier);
        for code in &d.code {
            split_identifier_into(code, &mut identifier);
            self.read(&mut lens, Field::Code, &identifier, None);
        }
        self.identifier = identifier;
        self.count_capitals(d.summary);
        self.count_capitals(d.body);
        let mut doc = doc_of(d);
        if words {
            doc.words = self.folded_sets();
        } else {
            self.forget_words();
        }
        let terms: Vec<(Arc<str>, TermStats)> = self
            .stems_seen
            .drain(..)
            .map(|n| {
                let stats = std::mem::take(&mut self.stats[n as usize]);
                (self.lexicon.stems[n as usize].clone(), stats)
            })
            .collect();
        let vector = table.map(|t| vector(t, &terms));
        DocTerms {
            terms,
            lens,
            doc,
            vector,
        }
    }

    /// The counts of stem `n`, marking it seen.
    fn stats(&mut self, n: u32) -> &mut TermStats {
        let i = n as usize;
        if i >= self.stats.len() {
            self.stats.resize(i + 1, TermStats::default());
        }
        if self.stats[i] == TermStats::default() {
            self.stems_seen.push(n);
        }
        &mut self.stats[i]
    }

    /// Reads `text` into `field`: its folded words and its stemmed tokens,
    /// which are in passage `passage` when given.
    fn read(&mut self, lens: &mut [u32; 8], field: Field, text: &str, passage: Option<usize>) {
        let f = field as usize;
        let bit = passage.map_or(0, passage_bit);
        let mut folded = std::mem::take(&mut self.folded);
        text::fold_into(text, &mut folded);
        for word in text::words_iter(&folded) {
            let w = self.lexicon.word(word);
            let wi = w as usize;
            if wi >= self.word_fields.len() {
                self.word_fields.resize(wi + 1, 0);
            }
            if self.word_fields[wi] == 0 {
                self.words_seen.push(w);
            }
            self.word_fields[wi] |= 1 << f;
            let Some(stem) = self.lexicon.stem_of[wi] else {
                continue;
            };
            lens[f] += 1;
            let s = self.stats(stem);
            s.counts[f] += 1;
            s.passages |= bit;
        }
        self.folded = folded;
    }

    /// Counts, per stem of `text`, its capitalised and lowercase
    /// occurrences that do not start a sentence (stop words never become
    /// terms, so they are not counted).
    fn count_capitals(&mut self, text: &str) {
        let mut sentence_start = true;
        let mut folded = std::mem::take(&mut self.folded);
        for piece in text.split_inclusive(|c: char| !c.is_alphanumeric()) {
            let word: &str = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !word.is_empty() {
                if !sentence_start {
                    text::fold_into(word, &mut folded);
                    let w = self.lexicon.word(&folded);
                    if let Some(stem) = self.lexicon.stem_of[w as usize] {
                        let upper = word.chars().any(char::is_uppercase);
                        let s = self.stats(stem);
                        if upper {
                            s.upper += 1;
                        } else {
                            s.lower += 1;
                        }
                    }
                }
                sentence_start = false;
            }
            if piece.ends_with(['.', '!', '?', ':']) {
                sentence_start = true;
            }
        }
        self.folded = folded;
    }

    /// The distinct folded words of each field.
    fn folded_sets(&mut self) -> Vec<BTreeSet<String>> {
        let words = &self.lexicon.words;
        self.words_seen
            .sort_unstable_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
        let sets = (0..8)
            .map(|f| {
                self.words_seen
                    .iter()
                    .filter(|&&w| self.word_fields[w as usize] & (1 << f) != 0)
                    .map(|&w| words[w as usize].to_string())
                    .collect()
            })
            .collect();
        self.forget_words();
        sets
    }

    /// Clears the words of the document just read.
    fn forget_words(&mut self) {
        for w in self.words_seen.drain(..) {
            self.word_fields[w as usize] = 0;
        }
    }
}

/// The document's semantic vector: each stem once, weighted by its
/// occurrences in each field times [`VECTOR_WEIGHT`]. The sums are of
/// integers, exact in any order, so this equals summing token by token.
fn vector(table: &semantic::Table, terms: &[(Arc<str>, TermStats)]) -> [i8; semantic::DIMS] {
    let weighted: Vec<(&str, u32)> = terms
        .iter()
        .map(|(t, s)| {
            let w = s.counts.iter().zip(VECTOR_WEIGHT).map(|(c, w)| c * w).sum();
            (&**t, w)
        })
        .filter(|(_, w)| *w > 0)
        .collect();
    semantic::doc_vector(table, &weighted)
}

fn average_lengths(docs: &[NumberedTerms]) -> [f64; 8] {
    let mut sum = [0f64; 8];
    for d in docs {
        for (s, &len) in sum.iter_mut().zip(&d.lens) {
            *s += f64::from(len);
        }
    }
    let n = docs.len().max(1) as f64;
    sum.map(|s| s / n)
}

fn doc_of(d: &Document<'_>) -> Doc {
    Doc {
        id: d.id.to_string(),
        title: d.title.to_string(),
        status: d.status,
        answer: d.answer.to_string(),
        summary: d.summary.to_string(),
        category: d.category.to_string(),
        plans: d.plans.to_vec(),
        url: d.url.to_string(),
        words: Vec::new(),
    }
}

/// `RevisionRestorer` → "Revision Restorer", `export_csv` → "export csv",
/// `/api/v2/reports` → "api v2 reports": identifiers as words.
pub fn split_identifier(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 8);
    split_identifier_into(id, &mut out);
    out
}

/// [`split_identifier`] into `out` (cleared first).
fn split_identifier_into(id: &str, out: &mut String) {
    out.clear();
    let mut prev: Option<char> = None;
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_alphanumeric() {
            out.push(' ');
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let next_lower = chars.peek().is_some_and(|n| n.is_lowercase());
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
}

mod cache;
pub use cache::TermsCache;

#[cfg(test)]
mod reference;

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
        let terms = Scratch::default().terms_of(&d, None, true).terms;
        let p = |t: &str| {
            terms
                .iter()
                .find(|(s, _)| &**s == t)
                .map_or(0, |(_, s)| s.passages)
        };
        assert_eq!(p("audit"), passage_bit(0));
        assert_eq!(p("who"), passage_bit(2));
        assert_eq!(p("export"), passage_bit(3));
        assert_eq!(p("siem"), 0, "a negated sentence is no passage");
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

    /// Stems written as proper names in `documents`.
    fn proper_names(documents: &[Document<'_>]) -> BTreeSet<String> {
        let mut scratch = Scratch::default();
        let mut all: FastMap<String, TermEntry> = FastMap::default();
        for d in documents {
            for (t, s) in scratch.terms_of(d, None, true).terms {
                all.entry(t.to_string()).or_default().add(None, &s);
            }
        }
        all.into_iter()
            .filter(|(_, e)| e.is_proper_name())
            .map(|(t, _)| t)
            .collect()
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

    /// Words and punctuation that exercise every path of the builder:
    /// inflections, stop words, capitals, negations, identifiers and text
    /// that folding changes.
    const PIECES: &[&str] = &[
        "export",
        "Exports",
        "exporting",
        "exported",
        "families",
        "assemblies",
        "mapped",
        "billing",
        "Salesforce",
        "salesforce",
        "PDF",
        "pdf",
        "GitHub",
        "SSO",
        "sso",
        "the",
        "does",
        "support",
        "supports",
        "our",
        "Not included:",
        "not included",
        "Doesn't",
        "doesn’t",
        "does not",
        "Cannot",
        "There is no",
        "out of scope",
        "instead of",
        "never",
        "excluded",
        "is not",
        "Éclair",
        "DÉJÀ",
        "ΣΑΣ",
        "ﬁle",
        "½",
        "İstanbul",
        "cafe\u{301}s",
        "данные",
        "東京",
        "v2",
        "2am",
        "HTTPServer2",
        "export_csv",
        "/api/v2/reports",
        ".",
        ". ",
        "! ",
        "? ",
        ": ",
        ", ",
        "; ",
        "(",
        ")",
        "-",
        "'",
        "’",
        " ",
        " ",
        " ",
        "\n",
        "<script>",
        "&",
        "\u{2028}",
        "\"quoted\"",
        "back\\slash",
        "tab\t",
        "x.y",
        "e.g.",
    ];

    /// A deterministic pseudo-random text of `len` pieces.
    fn text(seed: &mut u64, len: usize) -> String {
        let mut out = String::new();
        for _ in 0..len {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            out.push_str(PIECES[(*seed >> 33) as usize % PIECES.len()]);
            if *seed & 1 == 0 {
                out.push(' ');
            }
        }
        out
    }

    pub(super) struct Owned {
        pub(super) strings: Vec<String>,
        lists: Vec<Vec<String>>,
    }

    pub(super) fn owned(seed: &mut u64, n: usize) -> Vec<Owned> {
        (0..n)
            .map(|i| Owned {
                strings: [
                    format!("cap-{i}"),
                    text(seed, 3),
                    text(seed, 8),
                    text(seed, 2),
                    text(seed, 2),
                    text(seed, 40 + i % 30),
                    text(seed, 10),
                    text(seed, 3),
                    text(seed, 2),
                ]
                .to_vec(),
                lists: [
                    (0..i % 3).map(|_| text(seed, 2)).collect(),
                    (0..i % 2).map(|_| text(seed, 1)).collect(),
                    (0..i % 4).map(|_| text(seed, 1)).collect(),
                ]
                .to_vec(),
            })
            .collect()
    }

    pub(super) fn document(o: &Owned, i: usize) -> Document<'_> {
        let s = &o.strings;
        Document {
            id: &s[0],
            title: &s[1],
            aliases: &o.lists[0],
            redirect_from: &o.lists[1],
            summary: &s[2],
            category: &s[3],
            plans: &o.lists[2],
            status: Status::ALL[i % Status::ALL.len()],
            answer: &s[4],
            body: &s[5],
            work: vec![s[6].as_str(), s[7].as_str()],
            code: vec![s[8].as_str(), "RevisionRestorer", "invoice_pdf"],
            url: &s[0],
        }
    }

    #[test]
    fn the_single_pass_builder_builds_the_reference_index() {
        let mut seed = 7;
        let owned = owned(&mut seed, 300);
        let documents: Vec<Document> = owned
            .iter()
            .enumerate()
            .map(|(i, o)| document(o, i))
            .collect();
        let config = SearchConfig::default();
        for table in [None, Some(semantic::table())] {
            let new = Index::build_with(&documents, &config, table);
            let old = reference::build_with(&documents, &config, table);
            assert_eq!(new.terms, old.terms);
            assert_eq!(new.idf, old.idf);
            assert_eq!(new.postings, old.postings);
            assert_eq!(new.docs, old.docs);
            assert_eq!(new, old);
        }
    }

    #[test]
    fn negation_and_stemming_match_the_reference() {
        let mut seed = 11;
        let mut splitter = negation::Splitter::default();
        for _ in 0..2000 {
            let t = text(&mut seed, 12);
            for sentence in negation::sentences(&t) {
                assert_eq!(
                    splitter.split_sentence(sentence),
                    reference::split_sentence(sentence),
                    "{sentence:?}"
                );
            }
            for w in text::words(&text::fold(&t)) {
                let stem = text::stem(w);
                assert_eq!(stem, reference::stem(w));
                assert_eq!(text::is_stop(&stem), reference::is_stop(&stem), "{w}");
            }
            for id in t.split(' ') {
                assert_eq!(split_identifier(id), reference::split_identifier(id));
            }
        }
        for w in text::STOP_WORDS {
            assert!(text::is_stop(&text::stem(w)));
        }
    }
}
