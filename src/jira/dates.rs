//! Date parsing for every format Jira exports write: CSV display dates in the
//! exporter's language (`15/Feb/26 4:37 PM`, `10/nov/25 4:51 PM`,
//! `29/июл/26 09:59`, `22/Mar/14 07:59`), Excel re-saves (`16/02/2017 15:26`),
//! REST ISO-8601 (`2016-03-03T13:40:01.000+0000`) and RSS RFC-822
//! (`Mon, 15 Sep 2025 18:42:34 +0100`).
//!
//! Results are ISO strings: `YYYY-MM-DD` for dates, `YYYY-MM-DDTHH:MM:SS`
//! (plus `±HH:MM` where the source has an offset) for timestamps.

/// A parsed calendar timestamp; `offset` is `±HH:MM` when the source had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    offset: Option<String>,
}

impl Stamp {
    /// `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYY-MM-DDTHH:MM:SS[±HH:MM]`.
    pub fn timestamp(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}{}",
            self.date(),
            self.hour,
            self.minute,
            self.second,
            self.offset.as_deref().unwrap_or("")
        )
    }

    fn new(year: i32, month: u8, day: u8) -> Option<Stamp> {
        let m = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, m, day).ok()?;
        Some(Stamp {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
            offset: None,
        })
    }

    fn with_time(mut self, hour: u8, minute: u8, second: u8) -> Option<Stamp> {
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        self.hour = hour;
        self.minute = minute;
        self.second = second;
        Some(self)
    }
}

/// Month abbreviations and names in the languages Jira exports were seen in
/// (English, Spanish, Russian) plus French, German, Portuguese and Italian.
const MONTHS: [&[&str]; 12] = [
    &[
        "jan",
        "january",
        "ene",
        "enero",
        "янв",
        "января",
        "январь",
        "janv",
        "janvier",
        "jän",
        "januar",
        "gen",
        "gennaio",
        "janeiro",
    ],
    &[
        "feb",
        "february",
        "febrero",
        "фев",
        "февраля",
        "февраль",
        "févr",
        "fevr",
        "février",
        "februar",
        "fev",
        "fevereiro",
        "febbraio",
    ],
    &[
        "mar",
        "march",
        "marzo",
        "мар",
        "марта",
        "март",
        "mars",
        "mär",
        "märz",
        "mrz",
        "março",
        "marco",
    ],
    &[
        "apr",
        "april",
        "abr",
        "abril",
        "апр",
        "апреля",
        "апрель",
        "avr",
        "avril",
        "aprile",
    ],
    &["may", "mayo", "май", "мая", "mai", "maggio", "mag", "maio"],
    &[
        "jun", "june", "junio", "июн", "июня", "июнь", "juin", "juni", "giu", "giugno", "junho",
    ],
    &[
        "jul", "july", "julio", "июл", "июля", "июль", "juil", "juillet", "juli", "lug", "luglio",
        "julho",
    ],
    &[
        "aug",
        "august",
        "ago",
        "agosto",
        "авг",
        "августа",
        "август",
        "août",
        "aout",
    ],
    &[
        "sep",
        "sept",
        "september",
        "septiembre",
        "setiembre",
        "сен",
        "сент",
        "сентября",
        "сентябрь",
        "septembre",
        "set",
        "settembre",
        "setembro",
    ],
    &[
        "oct",
        "october",
        "octubre",
        "окт",
        "октября",
        "октябрь",
        "octobre",
        "okt",
        "oktober",
        "ott",
        "ottobre",
        "out",
        "outubro",
    ],
    &[
        "nov",
        "november",
        "noviembre",
        "ноя",
        "нояб",
        "ноября",
        "ноябрь",
        "novembre",
        "novembro",
    ],
    &[
        "dec",
        "december",
        "dic",
        "diciembre",
        "дек",
        "декабря",
        "декабрь",
        "déc",
        "decembre",
        "décembre",
        "dez",
        "dezember",
        "dicembre",
        "dezembro",
    ],
];

/// Month number (1–12) of a localized month name or abbreviation.
pub fn month_number(name: &str) -> Option<u8> {
    let lower = name.trim().trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&lower.as_str()))
        .map(|i| i as u8 + 1)
}

/// Parses a CSV display date with the built-in patterns: `d/MMM/yy h:mm a`,
/// `d/MMM/yy HH:mm`, `dd/MM/yyyy HH:mm` (Excel), date-only forms, and ISO.
pub fn parse_display(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit) && s.get(4..5) == Some("-") {
        return parse_iso(s);
    }
    let (date_part, time_part) = match s.split_once(char::is_whitespace) {
        Some((d, t)) => (d, t.trim()),
        None => (s, ""),
    };
    let mut parts = date_part.split(['/', '-', '.']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let day: u8 = a.parse().ok()?;
    let (day, month) = match b.parse::<u8>() {
        // Excel writes the numeric month; a second field above 12 means M/d/y.
        Ok(m) if m > 12 && day <= 12 => (m, day),
        Ok(m) => (day, m),
        Err(_) => (day, month_number(b)?),
    };
    let year = full_year(c)?;
    let stamp = Stamp::new(year, month, day)?;
    if time_part.is_empty() {
        return Some(stamp);
    }
    let (h, m, sec) = parse_clock(time_part)?;
    stamp.with_time(h, m, sec)
}

fn full_year(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    match s.len() {
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        4 => Some(y),
        _ => None,
    }
}

/// `4:37 PM`, `07:59`, `15:26:03`, `12:00 AM` → (hour, minute, second).
fn parse_clock(s: &str) -> Option<(u8, u8, u8)> {
    let s = s.trim();
    let suffix = s.len().checked_sub(2).and_then(|i| s.get(i..));
    let (clock, meridiem) = match suffix {
        Some(x) if x.eq_ignore_ascii_case("PM") => (s[..s.len() - 2].trim(), Some(true)),
        Some(x) if x.eq_ignore_ascii_case("AM") => (s[..s.len() - 2].trim(), Some(false)),
        _ => (s, None),
    };
    let mut it = clock.split(':');
    let mut h: u8 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let sec: u8 = match it.next() {
        Some(x) => x.parse().ok()?,
        None => 0,
    };
    if it.next().is_some() {
        return None;
    }
    if let Some(pm) = meridiem {
        if h == 0 || h > 12 {
            return None;
        }
        h = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    Some((h, m, sec))
}

/// ISO-8601 as the REST API writes it: `2016-03-03T13:40:01.000+0000`,
/// `2024-07-30`, `2026-01-01T10:00:00Z`.
pub fn parse_iso(s: &str) -> Option<Stamp> {
    let s = s.trim();
    let year: i32 = s.get(0..4)?.parse().ok()?;
    if s.get(4..5)? != "-" || s.get(7..8)? != "-" {
        return None;
    }
    let month: u8 = s.get(5..7)?.parse().ok()?;
    let day: u8 = s.get(8..10)?.parse().ok()?;
    let stamp = Stamp::new(year, month, day)?;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(stamp);
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let h: u8 = rest.get(0..2)?.parse().ok()?;
    let m: u8 = rest.get(3..5)?.parse().ok()?;
    let (sec, tail) = if rest.get(5..6) == Some(":") {
        (rest.get(6..8)?.parse().ok()?, &rest[8..])
    } else {
        (0, &rest[5..])
    };
    let tail = tail.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let mut stamp = stamp.with_time(h, m, sec)?;
    stamp.offset = parse_offset(tail)?;
    Some(stamp)
}

/// `+0000`, `+01:00`, `Z`, `` → `Some(Some("+00:00"))`; garbage → None.
fn parse_offset(s: &str) -> Option<Option<String>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(None);
    }
    if s == "Z" || s == "GMT" || s == "UTC" {
        return Some(Some("+00:00".into()));
    }
    let sign = s.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let digits: String = s[1..].chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 4 || s[1..].len() > 5 {
        return None;
    }
    Some(Some(format!("{sign}{}:{}", &digits[..2], &digits[2..])))
}

/// RFC-822 as in RSS exports: `Mon, 15 Sep 2025 18:42:34 +0100`.
pub fn parse_rfc822(s: &str) -> Option<Stamp> {
    let s = s.trim();
    let s = s.split_once(',').map_or(s, |(_, rest)| rest).trim();
    let mut it = s.split_whitespace();
    let day: u8 = it.next()?.parse().ok()?;
    let month = month_number(it.next()?)?;
    let year = full_year(it.next()?)?;
    let stamp = Stamp::new(year, month, day)?;
    let Some(clock) = it.next() else {
        return Some(stamp);
    };
    let (h, m, sec) = parse_clock(clock)?;
    let mut stamp = stamp.with_time(h, m, sec)?;
    stamp.offset = parse_offset(it.next().unwrap_or(""))?;
    Some(stamp)
}

/// A `[jira] date_format` pattern, strftime-like: `%d %e %m %b %B %y %Y %H %I
/// %M %S %p`, any other character literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    items: Vec<FormatItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FormatItem {
    Day,
    Month,
    MonthName,
    Year2,
    Year4,
    Hour24,
    Hour12,
    Minute,
    Second,
    Meridiem,
    Literal(char),
}

impl DateFormat {
    /// Compiles a pattern; the error names the unsupported directive.
    pub fn parse(pattern: &str) -> Result<DateFormat, String> {
        let mut items = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                items.push(FormatItem::Literal(c));
                continue;
            }
            let item = match chars.next() {
                Some('d' | 'e') => FormatItem::Day,
                Some('m') => FormatItem::Month,
                Some('b' | 'B' | 'h') => FormatItem::MonthName,
                Some('y') => FormatItem::Year2,
                Some('Y') => FormatItem::Year4,
                Some('H') => FormatItem::Hour24,
                Some('I' | 'l') => FormatItem::Hour12,
                Some('M') => FormatItem::Minute,
                Some('S') => FormatItem::Second,
                Some('p' | 'P') => FormatItem::Meridiem,
                Some('%') => FormatItem::Literal('%'),
                Some(other) => return Err(format!("`%{other}` is not supported")),
                None => return Err("the pattern ends with a lone `%`".into()),
            };
            items.push(item);
        }
        Ok(DateFormat { items })
    }

    /// Parses `s` with this pattern; trailing text is an error.
    pub fn apply(&self, s: &str) -> Option<Stamp> {
        let mut rest = s.trim();
        let (mut y, mut mo, mut d) = (None, None, None);
        let (mut h, mut mi, mut sec, mut pm) = (0u8, 0u8, 0u8, None);
        for item in &self.items {
            rest = match item {
                FormatItem::Literal(c) if c.is_whitespace() => rest.trim_start(),
                FormatItem::Literal(c) => rest.strip_prefix(*c)?,
                FormatItem::MonthName => {
                    let end = rest
                        .find(|c: char| !c.is_alphabetic() && c != '.')
                        .unwrap_or(rest.len());
                    mo = Some(month_number(&rest[..end])?);
                    &rest[end..]
                }
                FormatItem::Meridiem => {
                    let upper = rest.get(..2)?.to_uppercase();
                    pm = Some(match upper.as_str() {
                        "AM" => false,
                        "PM" => true,
                        _ => return None,
                    });
                    &rest[2..]
                }
                numeric => {
                    let end = rest
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(rest.len());
                    let (digits, tail) = rest.split_at(end);
                    match numeric {
                        FormatItem::Day => d = Some(digits.parse().ok()?),
                        FormatItem::Month => mo = Some(digits.parse().ok()?),
                        FormatItem::Year2 | FormatItem::Year4 => y = Some(full_year(digits)?),
                        FormatItem::Hour24 | FormatItem::Hour12 => h = digits.parse().ok()?,
                        FormatItem::Minute => mi = digits.parse().ok()?,
                        _ => sec = digits.parse().ok()?,
                    }
                    tail
                }
            };
        }
        if !rest.trim().is_empty() {
            return None;
        }
        if let Some(pm) = pm {
            h = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) if h < 12 => h + 12,
                (_, h) => h,
            };
        }
        Stamp::new(y?, mo?, d?)?.with_time(h, mi, sec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> String {
        parse_display(s).map(|d| d.timestamp()).unwrap_or_default()
    }

    #[test]
    fn cloud_twelve_hour_dates() {
        assert_eq!(ts("15/Feb/26 4:37 PM"), "2026-02-15T16:37:00");
        assert_eq!(ts("24/Mar/26 12:00 AM"), "2026-03-24T00:00:00");
        assert_eq!(ts("1/Jan/26 12:30 PM"), "2026-01-01T12:30:00");
    }

    #[test]
    fn server_and_localized_dates() {
        assert_eq!(ts("22/Mar/14 07:59"), "2014-03-22T07:59:00");
        assert_eq!(ts("10/nov/25 4:51 PM"), "2025-11-10T16:51:00");
        assert_eq!(ts("15/oct/25 2:32 PM"), "2025-10-15T14:32:00");
        assert_eq!(ts("29/июл/26 09:59"), "2026-07-29T09:59:00");
        assert_eq!(ts("3/dic/25 9:00 AM"), "2025-12-03T09:00:00");
    }

    #[test]
    fn excel_resaved_and_iso() {
        assert_eq!(ts("16/02/2017 15:26"), "2017-02-16T15:26:00");
        assert_eq!(ts("2/16/2017 15:26"), "2017-02-16T15:26:00");
        assert_eq!(ts("2026-03-24"), "2026-03-24T00:00:00");
        assert_eq!(parse_display("24/Mar/26").unwrap().date(), "2026-03-24");
    }

    #[test]
    fn garbage_is_rejected() {
        for bad in [
            "tomorrow",
            "32/Jan/26 1:00 PM",
            "15/Foo/26 4:37 PM",
            "15/Feb/26 13:00 PM",
            "15/Feb/2026x",
        ] {
            assert!(parse_display(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn rest_and_rss_dates() {
        let s = parse_iso("2016-03-03T13:40:01.000+0000").unwrap();
        assert_eq!(s.timestamp(), "2016-03-03T13:40:01+00:00");
        assert_eq!(parse_iso("2024-07-30").unwrap().date(), "2024-07-30");
        assert!(parse_iso("2024-07-30T10:00:00+bogus").is_none());
        let r = parse_rfc822("Mon, 15 Sep 2025 18:42:34 +0100").unwrap();
        assert_eq!(r.timestamp(), "2025-09-15T18:42:34+01:00");
        assert_eq!(
            parse_rfc822("Sun, 5 Oct 2025 00:00:00 +0000")
                .unwrap()
                .date(),
            "2025-10-05"
        );
    }

    #[test]
    fn configured_format() {
        let f = DateFormat::parse("%d/%m/%Y %H:%M").unwrap();
        assert_eq!(
            f.apply("16/02/2017 15:26").unwrap().timestamp(),
            "2017-02-16T15:26:00"
        );
        assert!(f.apply("16/Feb/17 3:26 PM").is_none());
        let g = DateFormat::parse("%Y.%m.%d %I:%M %p").unwrap();
        assert_eq!(
            g.apply("2026.11.21 9:05 pm").unwrap().timestamp(),
            "2026-11-21T21:05:00"
        );
        let h = DateFormat::parse("%d %b %Y").unwrap();
        assert_eq!(h.apply("5 févr. 2026").unwrap().date(), "2026-02-05");
        assert!(DateFormat::parse("%Q").is_err());
    }
}
