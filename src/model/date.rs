//! Calendar dates: ISO parsing and formatting, quarters, the build date, and
//! the serde forms used in catalog.json (`"2026-11-21"`).

use std::fmt;
use time::{Date, Month, OffsetDateTime};

/// Parses `YYYY-MM-DD` (a longer ISO timestamp is cut to its date).
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let day = s.get(..10)?;
    let mut parts = day.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let dom: u8 = parts.next()?.parse().ok()?;
    if s.len() > 10 && !s[10..].starts_with(['T', ' ']) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, dom).ok()
}

/// `YYYY-MM-DD`.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The build date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else
/// the given commit timestamp, else today (UTC).
pub fn build_date(commit_epoch: Option<i64>) -> Date {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    let epoch = from_env.or(commit_epoch);
    match epoch.and_then(|e| OffsetDateTime::from_unix_timestamp(e).ok()) {
        Some(t) => t.date(),
        None => OffsetDateTime::now_utc().date(),
    }
}

/// A calendar quarter, `2026-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub number: u8,
}

impl Quarter {
    /// The quarter `date` falls in.
    pub fn of(date: Date) -> Quarter {
        Quarter {
            year: date.year(),
            number: (u8::from(date.month()) - 1) / 3 + 1,
        }
    }

    /// Parses `2026-Q3`.
    pub fn parse(s: &str) -> Option<Quarter> {
        let (year, q) = s.trim().split_once("-Q")?;
        let number: u8 = q.parse().ok().filter(|n| (1..=4).contains(n))?;
        let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
        Some(Quarter { year, number })
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

/// `#[serde(with = "iso_date")]`: a [`Date`] as `"YYYY-MM-DD"`.
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    /// Writes `"YYYY-MM-DD"`.
    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::iso(*date))
    }

    /// Reads `"YYYY-MM-DD"`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_iso_date(&text)
            .ok_or_else(|| D::Error::custom(format!("`{text}` is not a YYYY-MM-DD date")))
    }
}

/// `#[serde(with = "opt_iso_date")]`: an optional [`Date`] as `"YYYY-MM-DD"` or `null`.
pub mod opt_iso_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    /// Writes `"YYYY-MM-DD"` or `null`.
    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.serialize_str(&super::iso(*d)),
            None => s.serialize_none(),
        }
    }

    /// Reads `"YYYY-MM-DD"` or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => super::parse_iso_date(&text)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("`{text}` is not a YYYY-MM-DD date"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_timestamps() {
        let d = parse_iso_date("2026-09-30").unwrap();
        assert_eq!(iso(d), "2026-09-30");
        assert_eq!(Quarter::of(d).to_string(), "2026-Q3");
        assert_eq!(
            iso(parse_iso_date("2016-03-03T13:40:01.000+0000").unwrap()),
            "2016-03-03"
        );
        assert!(parse_iso_date("2026-13-01").is_none());
        assert!(parse_iso_date("next week").is_none());
        assert!(parse_iso_date("2026-01-01x").is_none());
    }

    #[test]
    fn quarters_parse_and_order() {
        let q = Quarter::parse("2027-Q1").unwrap();
        assert_eq!(
            q,
            Quarter {
                year: 2027,
                number: 1
            }
        );
        assert!(Quarter::parse("2027-Q5").is_none());
        assert!(Quarter::parse("27-Q1").is_none());
        assert!(Quarter::parse("2026-Q4").unwrap() < q);
    }
}
