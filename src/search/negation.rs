//! Sentences that say what a capability does *not* do ("Not included: SCIM
//! provisioning.", "It does not sync calendars."). Their words are indexed
//! apart, in a field that never makes a confident answer, so a question
//! about SCIM does not confidently land on the page that says it lacks it.

use super::text;

/// Phrases that negate the rest of their sentence wherever they stand.
const ANYWHERE: &[&str] = &[
    "not included",
    "not supported",
    "not available",
    "not offered",
    "not part of",
    "excluded",
    "out of scope",
    "instead of",
];

/// Words that negate a whole sentence they start.
const OPENING: &[&str] = &[
    "not",
    "no support",
    "does not",
    "doesnt",
    "do not",
    "dont",
    "cannot",
    "cant",
    "is not",
    "isnt",
    "are not",
    "arent",
    "there is no",
    "there are no",
    "excludes",
    "never",
];

/// Splits a description into what it says a capability does and what it
/// says it does not: `(said, negated)`, sentences joined by spaces.
pub fn split(body: &str) -> (String, String) {
    let mut said = String::new();
    let mut negated = String::new();
    let mut splitter = Splitter::default();
    for sentence in sentences(body) {
        let (pos, neg) = splitter.split_sentence(sentence);
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
    let mut splitter = Splitter::default();
    sentences(body)
        .into_iter()
        .map(|s| splitter.split_sentence(s).0)
        .collect()
}

/// Sentences: ends at `.`, `!` or `?` followed by a space or the end.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let end = matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
        if end {
            out.push(&text[start..=i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Phrases as lists of words.
pub(crate) type Phrases = Vec<Vec<&'static str>>;

/// The phrases as words, split once: (opening, anywhere).
pub(crate) static PHRASES: std::sync::LazyLock<(Phrases, Phrases)> =
    std::sync::LazyLock::new(|| {
        let words = |list: &[&'static str]| -> Vec<Vec<&'static str>> {
            list.iter().map(|p| p.split(' ').collect()).collect()
        };
        (words(OPENING), words(ANYWHERE))
    });

/// Splits sentences into their affirmative and negated parts, reusing its
/// buffers from one sentence to the next.
#[derive(Default)]
pub(crate) struct Splitter {
    /// The sentence's folded words, one after the other.
    text: String,
    /// Per word: its end in `text` and its byte offset in the sentence (it
    /// starts where the previous one ends).
    words: Vec<(usize, usize)>,
}

impl Splitter {
    /// The affirmative and negated parts of one sentence. Each position is
    /// compared with each phrase in place: linear in the sentence's length.
    pub(crate) fn split_sentence<'s>(&mut self, sentence: &'s str) -> (&'s str, &'s str) {
        self.simple_words(sentence);
        let (opening, anywhere) = &*PHRASES;
        if opening.iter().any(|p| self.starts_with_phrase(0, p)) {
            return ("", sentence);
        }
        for (i, &(_, at)) in self.words.iter().enumerate() {
            if anywhere.iter().any(|p| self.starts_with_phrase(i, p)) {
                return (&sentence[..at], &sentence[at..]);
            }
        }
        (sentence, "")
    }

    /// Word `i`.
    fn word(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.words[i - 1].0 };
        &self.text[start..self.words[i].0]
    }

    /// Whether the words from `from` on begin with the words of `phrase`.
    fn starts_with_phrase(&self, from: usize, phrase: &[&str]) -> bool {
        self.words.len() >= from + phrase.len()
            && phrase
                .iter()
                .enumerate()
                .all(|(k, p)| self.word(from + k) == *p)
    }

    /// Folded words with their byte offsets; apostrophes are dropped inside
    /// a word ("doesn't" → "doesnt").
    fn simple_words(&mut self, sentence: &str) {
        self.text.clear();
        self.words.clear();
        let mut start: Option<usize> = None;
        for (i, c) in sentence.char_indices() {
            if c.is_ascii_alphanumeric() {
                self.text.push(c.to_ascii_lowercase());
                start.get_or_insert(i);
            } else if c.is_alphanumeric() {
                self.text.push_str(&text::fold(c.encode_utf8(&mut [0; 4])));
                start.get_or_insert(i);
            } else if matches!(c, '\'' | '’') && start.is_some() {
                continue;
            } else if let Some(at) = start.take() {
                self.words.push((self.text.len(), at));
            }
        }
        if let Some(at) = start {
            self.words.push((self.text.len(), at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_included_sentence_is_negated_but_the_next_is_not() {
        let (said, neg) = split(
            "SAML login for everyone. Not included: SCIM provisioning. Users come from the IdP.",
        );
        assert!(
            said.contains("SAML") && said.contains("Users come"),
            "{said}"
        );
        assert!(neg.contains("SCIM") && !neg.contains("SAML"), "{neg}");
    }

    #[test]
    fn a_marker_inside_a_sentence_negates_from_there() {
        let (said, neg) = split("Signed assertions on request Not included: SCIM (see SCIM page)");
        assert!(
            said.contains("Signed assertions") && !said.contains("SCIM"),
            "{said}"
        );
        assert!(neg.starts_with("Not included: SCIM"), "{neg}");
    }

    #[test]
    fn sentences_opening_with_a_negation() {
        for s in [
            "It works offline. Doesn't sync calendars.",
            "It works offline. It does not sync calendars.",
        ] {
            let (said, neg) = split(s);
            let expect_negated = s.contains("Doesn't");
            assert_eq!(neg.contains("calendars"), expect_negated, "{s}");
            assert_eq!(said.contains("calendars"), !expect_negated, "{s}");
        }
        let (_, neg) = split("Cannot export to PDF.");
        assert!(neg.contains("PDF"));
    }
}
