//! Calendar dates: parsing ISO dates, quarters, and the build date.

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

/// `2026-Q3`.
pub fn quarter(date: Date) -> String {
    format!("{}-Q{}", date.year(), (u8::from(date.month()) - 1) / 3 + 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_timestamps() {
        let d = parse_iso_date("2026-09-30").unwrap();
        assert_eq!(iso(d), "2026-09-30");
        assert_eq!(quarter(d), "2026-Q3");
        assert_eq!(
            iso(parse_iso_date("2016-03-03T13:40:01.000+0000").unwrap()),
            "2016-03-03"
        );
        assert!(parse_iso_date("2026-13-01").is_none());
        assert!(parse_iso_date("next week").is_none());
        assert!(parse_iso_date("2026-01-01x").is_none());
    }
}
