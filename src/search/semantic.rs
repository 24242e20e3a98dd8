//! The semantic layer: static word vectors, so a question that shares no
//! word with a capability can still find it ("quickly locate anything" →
//! search). The table is distilled once, offline, from a sentence-embedding
//! model by `scripts/distill-embeddings.py` and committed under
//! `data/semantic/` with the model's licence; it is built into the binary.
//!
//! A capability's vector is computed at build time from its words; a
//! question's vector is the weighted sum of its words' vectors, by table
//! lookup, in the browser as here. Both are compared by cosine, computed
//! from integers with operations that round the same way in every IEEE 754
//! implementation, so the browser and Rust agree to the last digit.

use super::text;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Dimensions of a vector.
pub const DIMS: usize = 64;

const WORDS: &str = include_str!("../../data/semantic/words.txt");
const VECTORS: &[u8] = include_bytes!("../../data/semantic/vectors.i8");

/// The word table, keyed by stems (the index's terms).
#[derive(Debug)]
pub struct Table {
    /// Stems, most frequent English word first.
    pub stems: Vec<String>,
    /// `weights[i]` (1–255) weighs `stems[i]` in a vector sum: frequent
    /// words count less.
    pub weights: Vec<u8>,
    /// `rarity[i]` (0–255): how rare `stems[i]` is in English; a word not in
    /// the table at all counts as 255.
    pub rarity: Vec<u8>,
    /// `DIMS` signed bytes per stem.
    pub vectors: Vec<i8>,
    rows: HashMap<String, usize>,
}

/// The built-in table.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::from_words(WORDS, VECTORS))
}

impl Table {
    /// Builds the table from words in frequency order and their vectors
    /// (`DIMS` bytes each). A stem keeps the vector of its most frequent
    /// word; stop words are left out.
    pub fn from_words(words: &str, vectors: &[u8]) -> Table {
        let mut t = Table {
            stems: Vec::new(),
            weights: Vec::new(),
            rarity: Vec::new(),
            vectors: Vec::new(),
            rows: HashMap::new(),
        };
        for (rank, word) in words.lines().enumerate() {
            let Some(row) = vectors.get(rank * DIMS..(rank + 1) * DIMS) else {
                break;
            };
            let stem = text::stem(word);
            if text::is_stop(&stem) || t.rows.contains_key(&stem) {
                continue;
            }
            t.rows.insert(stem.clone(), t.stems.len());
            t.stems.push(stem);
            t.weights.push(weight_of_rank(rank));
            t.rarity.push(rarity_of_rank(rank));
            t.vectors.extend(row.iter().map(|&b| b as i8));
        }
        t
    }

    /// Row of `stem`.
    pub fn row(&self, stem: &str) -> Option<usize> {
        self.rows.get(stem).copied()
    }

    /// The vector of row `row`.
    pub fn vector(&self, row: usize) -> &[i8] {
        &self.vectors[row * DIMS..(row + 1) * DIMS]
    }

    /// How rare `stem` is in English, 0–255 (255 when not in the table).
    pub fn rarity_of(&self, stem: &str) -> u32 {
        self.row(stem).map_or(255, |r| u32::from(self.rarity[r]))
    }
}

/// A frequent word weighs less in a vector sum (smooth inverse frequency,
/// with Zipf's law standing in for the frequency).
fn weight_of_rank(rank: usize) -> u8 {
    (1 + 254 * rank / (rank + 300)) as u8
}

/// How rare a word of this frequency rank is, 0–255.
fn rarity_of_rank(rank: usize) -> u8 {
    (255 * rank / (rank + 6000)) as u8
}

/// The vector of a question: the sum of its stems' vectors, each times its
/// weight. None when no stem is in the table.
pub fn query_vector(table: &Table, stems: &[String]) -> Option<Vec<i64>> {
    let mut v = vec![0i64; DIMS];
    let mut any = false;
    for s in stems {
        if let Some(row) = table.row(s) {
            let w = i64::from(table.weights[row]);
            for (x, &c) in v.iter_mut().zip(table.vector(row)) {
                *x += w * i64::from(c);
            }
            any = true;
        }
    }
    any.then_some(v)
}

/// A document's vector from its weighted stems, scaled into signed bytes.
/// All zeros when none of its stems is in the table.
pub fn doc_vector(table: &Table, weighted: &[(&str, u32)]) -> [i8; DIMS] {
    let mut acc = [0f64; DIMS];
    for (stem, field_weight) in weighted {
        if let Some(row) = table.row(stem) {
            let w = f64::from(table.weights[row]) * f64::from(*field_weight);
            for (x, &c) in acc.iter_mut().zip(table.vector(row)) {
                *x += w * f64::from(c);
            }
        }
    }
    let max = acc.iter().fold(0f64, |m, x| m.max(x.abs()));
    let mut out = [0i8; DIMS];
    if max > 0.0 {
        for (o, x) in out.iter_mut().zip(acc) {
            *o = (x * 127.0 / max).round() as i8;
        }
    }
    out
}

/// Cosine of a question and a document vector, in thousandths (rounded
/// down; 0 when either is all zeros). The same expression as `cosine` in
/// search.js: exact integer sums, then one product, square root and
/// division, each correctly rounded.
pub fn cosine(query: &[i64], doc: &[i8]) -> i64 {
    let mut dot = 0i64;
    let mut qq = 0i64;
    let mut dd = 0i64;
    for (&q, &d) in query.iter().zip(doc) {
        let d = i64::from(d);
        dot += q * d;
        qq += q * q;
        dd += d * d;
    }
    if qq == 0 || dd == 0 {
        return 0;
    }
    (1000.0 * dot as f64 / (qq as f64 * dd as f64).sqrt()).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_loads() {
        let t = table();
        assert!(t.stems.len() > 10_000, "{} stems", t.stems.len());
        assert_eq!(t.vectors.len(), t.stems.len() * DIMS);
        assert!(t.row("export").is_some());
        assert!(t.row("the").is_none(), "stop words are left out");
    }

    #[test]
    fn related_words_are_closer_than_unrelated_ones() {
        let t = table();
        let v = |w: &str| query_vector(t, &[text::stem(w)]).unwrap();
        let d = |w: &str| {
            let s = text::stem(w);
            doc_vector(t, &[(s.as_str(), 1)])
        };
        assert!(cosine(&v("payment"), &d("billing")) > cosine(&v("payment"), &d("calendar")));
        assert!(cosine(&v("find"), &d("search")) > cosine(&v("find"), &d("payment")));
    }

    #[test]
    fn cosine_of_a_vector_with_itself_is_one() {
        let q = vec![3i64; DIMS];
        let d = [5i8; DIMS];
        assert_eq!(cosine(&q, &d), 1000);
        assert_eq!(cosine(&q, &[0i8; DIMS]), 0);
    }

    #[test]
    fn frequent_words_weigh_less() {
        assert!(weight_of_rank(10) < weight_of_rank(5000));
        assert!(rarity_of_rank(100) < rarity_of_rank(20_000));
    }
}
