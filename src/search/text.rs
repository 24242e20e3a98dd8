//! Text normalization shared by the index and the query: folding, tokens,
//! stop words, light stemming and edit distance.
//!
//! `themes/default/static/search.js` implements the same functions; the
//! `search_parity` test runs both on the same words and fails on any
//! difference, so change them together.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::hashing::FastSet;

/// Words a question is wrapped in ("does our platform currently support …",
/// "can we …", "is there …", "today", "already"). Never indexed; dropped from
/// queries unless nothing else is left.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "ability",
    "able",
    "about",
    "after",
    "again",
    "all",
    "allow",
    "already",
    "also",
    "am",
    "an",
    "and",
    "another",
    "any",
    "anything",
    "are",
    "as",
    "at",
    "be",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "capability",
    "client",
    "could",
    "currently",
    "customer",
    "d",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "each",
    "else",
    "even",
    "ever",
    "every",
    "feature",
    "few",
    "for",
    "from",
    "functionality",
    "get",
    "had",
    "handle",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "just",
    "least",
    "less",
    "let",
    "like",
    "ll",
    "lot",
    "lots",
    "m",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "need",
    "now",
    "of",
    "off",
    "offer",
    "on",
    "once",
    "only",
    "option",
    "or",
    "other",
    "our",
    "out",
    "over",
    "per",
    "platform",
    "possible",
    "product",
    "provide",
    "re",
    "right",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "something",
    "still",
    "such",
    "support",
    "supported",
    "t",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "today",
    "too",
    "under",
    "until",
    "use",
    "using",
    "ve",
    "very",
    "via",
    "want",
    "was",
    "way",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "why",
    "will",
    "with",
    "work",
    "would",
    "yet",
    "you",
    "your",
];

/// The stop words as stems, sorted and without duplicates: what the index
/// carries for the browser and what [`is_stop`] looks in.
pub fn stop_stems() -> &'static [String] {
    static STEMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| {
        let mut v: Vec<String> = STOP_WORDS.iter().map(|w| stem(w)).collect();
        v.sort();
        v.dedup();
        v
    })
}

/// True when `token` (an already stemmed token) is a stop word.
pub fn is_stop(token: &str) -> bool {
    static SET: std::sync::OnceLock<FastSet<&'static str>> = std::sync::OnceLock::new();
    // Every stop stem is short: a longer token is no stop word.
    static LONGEST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let longest = *LONGEST.get_or_init(|| stop_stems().iter().map(String::len).max().unwrap_or(0));
    token.len() <= longest
        && SET
            .get_or_init(|| stop_stems().iter().map(String::as_str).collect())
            .contains(token)
}

/// Unicode folding: compatibility decomposition, combining marks removed,
/// lowercase (`Éclair` → `eclair`).
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        // NFKD leaves ASCII as it is and it has no combining marks.
        return text.to_ascii_lowercase();
    }
    let stripped: String = text.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    stripped.to_lowercase()
}

/// [`fold`] into `out` (cleared first), reusing its allocation.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&fold(text));
    }
}

/// Whether `c` belongs to a word (see [`words`]).
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// [`words`] without collecting them.
pub(crate) fn words_iter(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

/// Words of folded text: runs of letters and digits.
pub fn words(folded: &str) -> Vec<&str> {
    words_iter(folded).collect()
}

/// Folds then splits `text` into stemmed tokens.
pub fn tokens(text: &str) -> Vec<String> {
    words(&fold(text)).into_iter().map(stem).collect()
}

/// Light English stemming so that export / exports / exporting / exported
/// meet: plural `-s`/`-ies`, `-ing`, `-ed`, `-ation`, `-ly` (leaving five
/// letters or more: monthly → month, but not family), then a final `-e`.
/// Short words and words that are not Latin letters are left alone.
pub fn stem(word: &str) -> String {
    let mut w = String::with_capacity(word.len());
    stem_into(word, &mut w);
    w
}

/// [`stem`] into `w` (cleared first), reusing its allocation.
pub(crate) fn stem_into(word: &str, w: &mut String) {
    w.clear();
    w.push_str(word);
    // Only ASCII lowercase words are stemmed; for them bytes are characters.
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
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
        undouble(w);
    }
    if w.ends_with('e') && w.len() > 3 {
        w.truncate(w.len() - 1);
    }
}

/// `mapp` → `map` after a cut suffix, but `bill`, `pass`, `buzz` stay.
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    let n = b.len();
    if n >= 3 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z') {
        w.truncate(n - 1);
    }
}

/// True when `a` and `b` are at most one edit apart: one insertion, deletion,
/// substitution or transposition of adjacent characters.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if prefix == la && prefix == lb {
        return true;
    }
    if la == lb {
        let rest_equal = |from: usize| a[from..] == b[from..];
        // substitution, or transposition of the pair at `prefix`
        rest_equal(prefix + 1)
            || (prefix + 1 < la
                && a[prefix] == b[prefix + 1]
                && a[prefix + 1] == b[prefix]
                && rest_equal(prefix + 2))
    } else if la > lb {
        a[prefix + 1..] == b[prefix..]
    } else {
        a[prefix..] == b[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn stop_words_match_their_inflections() {
        assert!(is_stop(&stem("does")) && is_stop(&stem("supports")));
        assert!(!is_stop(&stem("export")));
    }

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("Éclair DÉJÀ"), "eclair deja");
        assert_eq!(
            tokens("Multi-currency, €uros!"),
            ["multi", "currency", "uro"]
        );
    }

    #[test]
    fn stems_meet() {
        for group in [
            &["export", "exports", "exporting", "exported"][..],
            &["currency", "currencies"],
            &["schedule", "scheduled", "scheduling", "schedules"],
            &["integration", "integrations", "integrate"],
            &["price", "pricing", "prices"],
            &["map", "mapping", "mapped"],
            &["role", "roles"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} → {stems:?}"
            );
        }
        assert_eq!(stem("billing"), "bill");
        assert_eq!(stem("securely"), stem("secure"));
        assert_eq!(stem("monthly"), stem("month"));
        assert_eq!(stem("family"), "family");
        assert_eq!(stem("supply"), "supply");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("sso"), "sso");
        assert_eq!(stem("данные"), "данные");
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("export", "exprot"));
        assert!(within_one_edit("export", "expor"));
        assert!(within_one_edit("export", "exports"));
        assert!(within_one_edit("export", "exbort"));
        assert!(within_one_edit("export", "export"));
        assert!(!within_one_edit("export", "xeprot"));
        assert!(!within_one_edit("export", "import"));
    }
}
