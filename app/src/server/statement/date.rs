//! Dates and times as banks write them. Thai banks mix the Buddhist and Christian eras and 2-
//! and 4-digit years, and a line's date decides which period and report it belongs to, so an
//! ambiguous year is settled against today and an impossible date or time is refused rather
//! than guessed or dropped.

use super::text::{ascii_digits, preview};
use super::Era;
use chrono::{Days, NaiveDate};

/// Why a date cell is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateProblem {
    Empty,
    NotADate,
    NoSuchDate,
    Future,
}

impl DateProblem {
    /// The reason in Thai and English, quoting the cell's `text`.
    pub(super) fn message(self, text: &str) -> (String, String) {
        let t = preview(text);
        match self {
            DateProblem::Empty => ("ไม่มีวันที่".into(), "the date is missing.".into()),
            DateProblem::NotADate => (
                format!("“{t}” ไม่ใช่วันที่ (เช่น 15/11/2569 หรือ 15/11/26)"),
                format!("“{t}” is not a date (such as 15/11/2026 or 15/11/26)."),
            ),
            DateProblem::NoSuchDate => (
                format!("ไม่มีวันที่ “{t}” ในปฏิทิน"),
                format!("there is no such date as “{t}”."),
            ),
            DateProblem::Future => (
                format!("“{t}” อยู่ในอนาคตเกินหนึ่งปี กรุณาเลือกปีเป็น พ.ศ. หรือ ค.ศ."),
                format!(
                    "“{t}” is more than a year ahead; choose the era (BE or CE) of 2-digit years."
                ),
            ),
        }
    }
}

/// Why a time cell is not a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TimeProblem {
    /// Not written as `H:MM` or `HH:MM:SS` (a formula, a sign, a one-digit minute, a word).
    NotATime,
    /// Written as a time, but past 23:59:59.
    NoSuchTime,
}

impl TimeProblem {
    /// The reason in Thai and English, quoting the cell's `text`.
    pub(super) fn message(self, text: &str) -> (String, String) {
        let t = preview(text);
        match self {
            TimeProblem::NotATime => (
                format!("“{t}” ไม่ใช่เวลา (เช่น 09:05 หรือ 09:05:07)"),
                format!("“{t}” is not a time (such as 09:05 or 09:05:07)."),
            ),
            TimeProblem::NoSuchTime => (
                format!("ไม่มีเวลา “{t}” (ชั่วโมง 0–23 นาทีและวินาที 0–59)"),
                format!("there is no such time as “{t}” (hours 0–23, minutes and seconds 0–59)."),
            ),
        }
    }
}

/// Whether the text reads as a date (in either era, any year), for finding where data starts.
pub(super) fn looks_like_date(text: &str) -> bool {
    parse_date(text, Era::Christian, NaiveDate::MIN).is_ok()
}

/// Reads `dd/mm/yy`, `dd/mm/yyyy`, `d-m-yyyy`, `dd.mm.yy` or `yyyy-mm-dd`, optionally followed by
/// a time, in either era (see [`Era`]).
pub(super) fn parse_date(text: &str, era: Era, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    use DateProblem::*;
    let text = ascii_digits(text.trim());
    if text.is_empty() {
        return Err(Empty);
    }
    let (date_part, rest) = text
        .split_once(char::is_whitespace)
        .unwrap_or((text.as_str(), ""));
    let rest = rest.trim();
    if !rest.is_empty() && parse_time(rest).is_err() {
        return Err(NotADate);
    }
    let sep = date_part
        .chars()
        .find(|c| !c.is_ascii_digit())
        .ok_or(NotADate)?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    let ok = matches!(sep, '/' | '-' | '.')
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return Err(NotADate);
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else {
        (parts[2], parts[1], parts[0])
    };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return Err(NotADate);
    };
    if m.len() > 2 || d.len() > 2 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(NotADate);
    }
    match y.len() {
        4 => {
            let year = if year >= 2400 { year - 543 } else { year };
            if !(1900..=2200).contains(&year) {
                return Err(NotADate);
            }
            NaiveDate::from_ymd_opt(year, month, day).ok_or(NoSuchDate)
        }
        2 => {
            let be = NaiveDate::from_ymd_opt(2500 + year - 543, month, day);
            let ce = NaiveDate::from_ymd_opt(2000 + year, month, day);
            match era {
                Era::Buddhist => be.ok_or(NoSuchDate),
                Era::Christian => ce.ok_or(NoSuchDate),
                Era::Auto if be.is_none() && ce.is_none() => Err(NoSuchDate),
                Era::Auto => {
                    let limit = today.checked_add_days(Days::new(366)).unwrap_or(today);
                    [ce, be]
                        .into_iter()
                        .flatten()
                        .filter(|d| *d <= limit)
                        .min_by_key(|d| d.signed_duration_since(today).num_days().abs())
                        .ok_or(Future)
                }
            }
        }
        _ => Err(NotADate),
    }
}

/// The time after the date in a date cell (`15/11/2026 09:15`), if there is one.
/// [`parse_date`] has already refused a cell whose text after the date is not a time.
pub(super) fn time_after_date(text: &str) -> Option<String> {
    let text = ascii_digits(text.trim());
    let (_, rest) = text.split_once(char::is_whitespace)?;
    parse_time(rest.trim()).ok()
}

/// Reads a time column's cell: empty (no time), or a time, and K-BIZ's `เวลา/ วันที่มีผล`
/// column may add the effective date (`09:15 01/11/26`) or hold only that date. The time is
/// written `HH:MM` or `HH:MM:SS`. Anything else is refused, not dropped: a bad time in a
/// line's fingerprint would make the same bank line look new in the next import.
pub(super) fn read_time_cell(text: &str) -> Result<Option<String>, TimeProblem> {
    let text = ascii_digits(text.trim());
    let (mut time, mut dated) = (None, false);
    for token in text.split_whitespace() {
        if !dated && looks_like_date(token) {
            dated = true;
        } else if time.is_none() {
            time = Some(parse_time(token)?);
        } else {
            return Err(TimeProblem::NotATime);
        }
    }
    Ok(time)
}

/// Reads exactly `H:MM`, `HH:MM`, `H:MM:SS` or `HH:MM:SS` (ASCII digits), written `HH:MM` or
/// `HH:MM:SS`.
fn parse_time(text: &str) -> Result<String, TimeProblem> {
    let parts: Vec<&str> = text.split(':').collect();
    let shaped = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].len() <= 2
        && parts[1..].iter().all(|p| p.len() == 2);
    if !shaped {
        return Err(TimeProblem::NotATime);
    }
    // At most two digits each, so every part parses; 0 stands for missing seconds.
    let mut n = [0_u32; 3];
    for (slot, part) in n.iter_mut().zip(&parts) {
        *slot = part.parse().map_err(|_| TimeProblem::NotATime)?;
    }
    if n[0] > 23 || n[1] > 59 || n[2] > 59 {
        return Err(TimeProblem::NoSuchTime);
    }
    Ok(match parts.len() {
        2 => format!("{:02}:{:02}", n[0], n[1]),
        _ => format!("{:02}:{:02}:{:02}", n[0], n[1], n[2]),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn two_digit_years_in_either_era() {
        let auto = |t: &str| parse_date(t, Era::Auto, today());
        assert_eq!(
            (auto("15/11/69"), auto("15/11/26")),
            (Ok(ymd(2026, 11, 15)), Ok(ymd(2026, 11, 15)))
        );
        assert_eq!(
            (auto("1/2/27"), auto("25/11/70")),
            (Ok(ymd(2027, 2, 1)), Ok(ymd(2027, 11, 25)))
        );
        assert_eq!(
            (auto("26/11/70"), auto("31/02/67")),
            (Err(DateProblem::Future), Err(DateProblem::NoSuchDate))
        );
        assert_eq!(auto("29/02/67"), Ok(ymd(2024, 2, 29)));
        assert_eq!(
            parse_date("15/11/69", Era::Christian, today()),
            Ok(ymd(2069, 11, 15))
        );
        assert_eq!(
            parse_date("15/11/26", Era::Buddhist, today()),
            Ok(ymd(1983, 11, 15))
        );
        for (text, date) in [
            ("2026-11-05 23:15:13", ymd(2026, 11, 5)),
            ("05-11-2569", ymd(2026, 11, 5)),
            ("5.11.2026", ymd(2026, 11, 5)),
        ] {
            assert_eq!(auto(text), Ok(date), "{text}");
        }
        for bad in [
            "Total",
            "13/13/26",
            "01/11/2026 - 20/11/2026",
            "1/11",
            "2026/11",
            "011/11/26",
            "1/11/126",
            "1/1/0001",
        ] {
            assert!(auto(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_cells_are_read_strictly() {
        use TimeProblem::*;
        for (text, time) in [
            ("", None),
            ("9:05", Some("09:05")),
            ("09:05", Some("09:05")),
            ("09:05:07", Some("09:05:07")),
            ("๙:๐๕", Some("09:05")),
            (" 23:59:59 ", Some("23:59:59")),
            ("09:15 01/11/26", Some("09:15")),
            ("01/11/2026  09:15", Some("09:15")),
            ("01/11/26", None),
        ] {
            assert_eq!(read_time_cell(text), Ok(time.map(str::to_owned)), "{text}");
        }
        for (text, problem) in [
            ("25:61", NoSuchTime),
            ("24:00", NoSuchTime),
            ("12:00:61", NoSuchTime),
            ("=NOW()", NotATime),
            ("-1:00", NotATime),
            ("9:5", NotATime),
            ("123:00", NotATime),
            ("9:05:07:01", NotATime),
            ("09:15 10:15", NotATime),
            ("09:15 foo", NotATime),
            ("09:15 01/11/26 02/11/26", NotATime),
        ] {
            assert_eq!(read_time_cell(text), Err(problem), "{text}");
        }
    }

    #[test]
    fn a_time_after_the_date_is_read_and_must_be_a_time() {
        assert_eq!(
            time_after_date("15/11/2026 09:15").as_deref(),
            Some("09:15")
        );
        assert_eq!(time_after_date("15/11/2026"), None);
        for bad in ["15/11/2026 25:61", "15/11/2026 -1:00", "15/11/2026 09:15 x"] {
            assert_eq!(
                parse_date(bad, Era::Auto, today()),
                Err(DateProblem::NotADate),
                "{bad}"
            );
        }
    }
}
