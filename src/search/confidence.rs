//! Knowing when there is no answer: whether the first result of a ranked
//! question answers it, or is only the closest match (docs/search.md,
//! "Knowing when there is no answer"). Mirrored by `confidenceCoverage` and
//! `isConfident` in `themes/default/static/search.js`.
//!
//! The first result is confident when it covers enough of the question and
//! stands out from the second:
//!
//! - each unit of the question weighs its importance, less for a common
//!   English word than for a rare one or a name ("Monday", "bad" or
//!   "employees" left unmatched say less than "HIPAA" or "Xero"), and a word
//!   the catalog does not hold at all less again when it is common;
//! - a unit counts as covered by how it matched: fully in the title,
//!   aliases, summary or category, 80 % in the description, linked work or
//!   code, not at all in a "Not included" sentence; times 100 % for the
//!   word itself, 70 % for a completion, 60 % for a synonym or a typo;
//! - confident when the covered share is at least 65 % and either at least
//!   90 % or the first result scores at least 1.4 times the second.
//!
//! The semantic layer never makes a result confident. All integer
//! arithmetic, so the browser agrees.

use super::field::Field;
use super::rank::{Hit, Kind, Query, Unit, UnitMatch};
use std::collections::BTreeMap;

/// The least covered share of the question, in thousandths, for a
/// confident answer.
pub const CONFIDENT_COVERAGE: u64 = 650;
/// From this covered share on, in thousandths, the first result need not
/// stand out from the second.
pub const CONFIDENT_ALONE: u64 = 900;
/// Below [`CONFIDENT_ALONE`], the first result must score at least this
/// share of the second's, in percent.
pub const CONFIDENT_MARGIN: u64 = 140;
/// A unit found only in the description, linked work or code counts this
/// much, in percent.
pub const WEAK_FIELD_SUPPORT: u64 = 80;
/// A synonym or a typo counts this much, in percent: it shows relevance
/// more than it proves an answer.
pub const SYNONYM_SUPPORT: u64 = 60;
/// The weight of the commonest English word against the rarest (or a
/// name), in thousandths.
pub const COMMON_WORD_WEIGHT: u64 = 600;
/// For a word the catalog does not hold, its weight is further scaled from
/// this (the commonest English word), in thousandths, up to its full weight
/// (the rarest, or a name).
pub const ABSENT_COMMON_WORD_WEIGHT: u64 = 500;

/// How strongly one match of a unit supports an answer, in thousandths.
pub fn support(field: Field, kind: Kind) -> u64 {
    let quality = match kind {
        Kind::Synonym | Kind::Typo => SYNONYM_SUPPORT,
        k => k.quality(),
    };
    match field {
        Field::NotIncluded => 0,
        f if f.is_strong() => quality * 10,
        _ => quality * WEAK_FIELD_SUPPORT / 10,
    }
}

/// How much a unit weighs in the covered share, in thousandths of its
/// importance (see the module documentation).
pub fn weight(unit: &Unit) -> u64 {
    let rarity = u64::from(unit.rarity);
    let w = unit.importance * scale(COMMON_WORD_WEIGHT, rarity) / 1000;
    if unit.alternatives.iter().any(|a| a.kind == Kind::Exact) {
        w
    } else {
        w * scale(ABSENT_COMMON_WORD_WEIGHT, rarity) / 1000
    }
}

/// From `common` (rarity 0) to 1000 (rarity 255), in thousandths.
fn scale(common: u64, rarity: u64) -> u64 {
    (common * 255 + (1000 - common) * rarity) / 255
}

/// The share of the question `doc` covers, in thousandths, from each
/// unit's matches (`matches[unit]`, by document).
pub fn coverage(query: &Query, matches: &[BTreeMap<usize, UnitMatch>], doc: usize) -> u64 {
    let mut total = 0;
    let mut covered = 0;
    for (unit, per_doc) in query.units.iter().zip(matches) {
        let w = weight(unit);
        total += w;
        covered += per_doc.get(&doc).map_or(0, |m| w * m.support / 1000);
    }
    (covered * 1000).checked_div(total).unwrap_or(0)
}

/// True when a first result covering `coverage` of the question answers it,
/// given the ranked `hits`.
pub fn is_confident(coverage: u64, hits: &[Hit]) -> bool {
    let stands_out = match hits {
        [first, second, ..] => first.score * 100 >= second.score * CONFIDENT_MARGIN,
        _ => true,
    };
    coverage >= CONFIDENT_COVERAGE && (coverage >= CONFIDENT_ALONE || stands_out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_by_field_and_kind() {
        assert_eq!(support(Field::Title, Kind::Exact), 1000);
        assert_eq!(support(Field::Body, Kind::Exact), 800);
        assert_eq!(support(Field::Alias, Kind::Synonym), 600);
        assert_eq!(support(Field::NotIncluded, Kind::Exact), 0);
    }

    #[test]
    fn a_common_word_weighs_less() {
        let unit = |rarity, kind| Unit {
            tokens: vec!["w".into()],
            words: vec!["w".into()],
            alternatives: vec![super::super::rank::Alternative {
                terms: vec!["w".into()],
                kind,
            }],
            importance: 1000,
            boost: 100,
            rarity,
        };
        assert_eq!(weight(&unit(255, Kind::Exact)), 1000);
        assert_eq!(weight(&unit(0, Kind::Exact)), 600);
        assert_eq!(weight(&unit(0, Kind::Typo)), 300, "not in the catalog");
    }

    #[test]
    fn the_first_must_stand_out_unless_it_covers_nearly_all() {
        let hits = |a, b| vec![Hit { doc: 0, score: a }, Hit { doc: 1, score: b }];
        assert!(is_confident(700, &hits(140, 100)));
        assert!(!is_confident(700, &hits(139, 100)));
        assert!(is_confident(900, &hits(100, 100)));
        assert!(!is_confident(649, &hits(1000, 1)));
        assert!(is_confident(650, &hits(1, 0)[..1]));
    }
}
