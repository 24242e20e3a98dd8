//! Targets: when linked work is expected, as the quarter of a due date (or
//! of a fix version's release date) or, when no date is known, a named fix
//! version. Comparable, so a slipped target is a comparison, not a string
//! match.

use super::date::Quarter;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// A target. In catalog.json a target is its label (`"2027-Q1"`, `"2027.2"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// The quarter of the earliest due or release date.
    Quarter(Quarter),
    /// A fix version with no date.
    Version(String),
}

impl Target {
    /// Reads a label: `2027-Q1` is a quarter, anything else a version.
    pub fn parse(label: &str) -> Target {
        match Quarter::parse(label) {
            Some(q) => Target::Quarter(q),
            None => Target::Version(label.trim().to_string()),
        }
    }

    /// Whether `self` is later (`Greater`) or earlier than `before`: by
    /// quarter, or by version number where both are numbered versions
    /// (`2027.2` < `2027.10`); `None` when the two cannot be compared (a
    /// renamed version, a version against a quarter).
    pub fn compare_schedule(&self, before: &Target) -> Option<Ordering> {
        match (self, before) {
            (Target::Quarter(a), Target::Quarter(b)) => Some(a.cmp(b)),
            (Target::Version(a), Target::Version(b)) if is_numbered(a) && is_numbered(b) => {
                Some(natural_cmp(a, b))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Quarter(q) => q.fmt(f),
            Target::Version(name) => f.write_str(name),
        }
    }
}

/// Quarters first, in time order; then versions, by label.
impl Ord for Target {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Target::Quarter(a), Target::Quarter(b)) => a.cmp(b),
            (Target::Quarter(_), Target::Version(_)) => Ordering::Less,
            (Target::Version(_), Target::Quarter(_)) => Ordering::Greater,
            (Target::Version(a), Target::Version(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Target {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Target::parse(&String::deserialize(d)?))
    }
}

fn is_numbered(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_digit())
}

/// Compares names with their digit runs as numbers: `2027.2` < `2027.10`.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (px, rx) = split_run(x);
        let (py, ry) = split_run(y);
        let order = match (px.parse::<u64>(), py.parse::<u64>()) {
            (Ok(n), Ok(m)) => n.cmp(&m),
            _ => px.cmp(py),
        };
        if order != Ordering::Equal {
            return order;
        }
        (x, y) = (rx, ry);
    }
}

/// The leading run of digits, or of non-digits, and the rest.
fn split_run(s: &str) -> (&str, &str) {
    let digits = s.starts_with(|c: char| c.is_ascii_digit());
    let end = s
        .find(|c: char| c.is_ascii_digit() != digits)
        .unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Target {
        Target::parse(s)
    }

    #[test]
    fn labels_round_trip() {
        for label in ["2027-Q1", "2027.2", "Phoenix"] {
            assert_eq!(q(label).to_string(), label);
        }
        assert!(matches!(q("2027-Q1"), Target::Quarter(_)));
        assert!(matches!(q("2027.2"), Target::Version(_)));
    }

    #[test]
    fn slips_are_comparisons() {
        assert_eq!(
            q("2027-Q1").compare_schedule(&q("2026-Q3")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            q("2027.10").compare_schedule(&q("2027.2")),
            Some(Ordering::Greater)
        );
        assert_eq!(q("Griffin").compare_schedule(&q("Phoenix")), None);
        assert_eq!(q("2027.2").compare_schedule(&q("2027-Q1")), None);
    }

    #[test]
    fn dated_targets_sort_first() {
        let mut v = [q("Phoenix"), q("2027-Q2"), q("2026-Q4"), q("2027.1")];
        v.sort();
        let labels: Vec<String> = v.iter().map(Target::to_string).collect();
        assert_eq!(labels, ["2026-Q4", "2027-Q2", "2027.1", "Phoenix"]);
    }
}
