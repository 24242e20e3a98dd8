//! Why planned or in-progress work might slip, as data: the kind, the issue
//! and the date or blocker. Rendered to words at the edge; in catalog.json a
//! risk is its sentence, and reading one back gives the same risk.

use super::date::{iso, parse_iso_date};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::Date;

/// One reason a date should not be promised (docs/statuses.md, "At risk").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    /// The item's due date (or fix-version release date) has passed.
    DuePassed {
        /// The late issue.
        key: String,
        /// Its due date.
        due: Date,
    },
    /// An open issue blocks the item.
    Blocked {
        /// The blocked issue.
        key: String,
        /// The issue blocking it, not done.
        blocker: String,
    },
    /// Less than half the children done with less than a quarter of the time left.
    BehindSchedule {
        /// The slow issue.
        key: String,
        /// Children done.
        done: usize,
        /// All children.
        total: usize,
        /// Days left before the due date.
        days_left: i64,
        /// The due date.
        due: Date,
    },
    /// A risk in words this version of capcat does not know, as read from a
    /// catalog.json written by another version.
    Other(String),
}

impl Risk {
    /// The issue at risk, where the risk names one.
    pub fn key(&self) -> Option<&str> {
        match self {
            Risk::DuePassed { key, .. }
            | Risk::Blocked { key, .. }
            | Risk::BehindSchedule { key, .. } => Some(key),
            Risk::Other(_) => None,
        }
    }

    /// Reads the sentence [`Risk`]'s `Display` writes.
    pub fn parse(words: &str) -> Risk {
        parse_due_passed(words)
            .or_else(|| parse_blocked(words))
            .or_else(|| parse_behind(words))
            .unwrap_or_else(|| Risk::Other(words.to_string()))
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Risk::DuePassed { key, due } => {
                write!(f, "{key}: due date {} has passed", iso(*due))
            }
            Risk::Blocked { key, blocker } => {
                write!(f, "{key} is blocked by {blocker}, which is not done")
            }
            Risk::BehindSchedule {
                key,
                done,
                total,
                days_left,
                due,
            } => write!(
                f,
                "{key}: {done} of {total} children done with {days_left} days left before {}",
                iso(*due)
            ),
            Risk::Other(words) => f.write_str(words),
        }
    }
}

fn parse_due_passed(words: &str) -> Option<Risk> {
    let (key, rest) = words.split_once(": due date ")?;
    let due = parse_iso_date(rest.strip_suffix(" has passed")?)?;
    Some(Risk::DuePassed {
        key: key.to_string(),
        due,
    })
}

fn parse_blocked(words: &str) -> Option<Risk> {
    let (key, rest) = words.split_once(" is blocked by ")?;
    let blocker = rest.strip_suffix(", which is not done")?;
    Some(Risk::Blocked {
        key: key.to_string(),
        blocker: blocker.to_string(),
    })
}

fn parse_behind(words: &str) -> Option<Risk> {
    let (key, rest) = words.split_once(": ")?;
    let (done, rest) = rest.split_once(" of ")?;
    let (total, rest) = rest.split_once(" children done with ")?;
    let (days_left, due) = rest.split_once(" days left before ")?;
    Some(Risk::BehindSchedule {
        key: key.to_string(),
        done: done.parse().ok()?,
        total: total.parse().ok()?,
        days_left: days_left.parse().ok()?,
        due: parse_iso_date(due)?,
    })
}

impl Serialize for Risk {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Risk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Risk::parse(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_as_the_same_risk() {
        let due = parse_iso_date("2026-10-31").unwrap();
        let risks = [
            Risk::DuePassed {
                key: "HBR-160".into(),
                due,
            },
            Risk::Blocked {
                key: "HBR-160".into(),
                blocker: "HBR-98".into(),
            },
            Risk::BehindSchedule {
                key: "HBR-1".into(),
                done: 1,
                total: 6,
                days_left: 20,
                due,
            },
            Risk::Other("the vendor went quiet".into()),
        ];
        for r in risks {
            assert_eq!(Risk::parse(&r.to_string()), r, "{r}");
        }
        assert_eq!(
            Risk::DuePassed {
                key: "HBR-160".into(),
                due
            }
            .to_string(),
            "HBR-160: due date 2026-10-31 has passed"
        );
    }
}
