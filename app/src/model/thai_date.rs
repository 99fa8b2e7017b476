//! Dates as Thai readers expect them: Buddhist Era years (พ.ศ. = ค.ศ. + 543) and Thai month
//! abbreviations on the Thai interface, `17 Sep 2018` on the English one. Instants are stored in
//! UTC and shown in Asia/Bangkok, which has kept UTC+7 without daylight saving since 1920, so a
//! fixed offset is exact for every date this product will see.

use super::Lang;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};

const TH_MONTHS: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];
const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The Buddhist Era year of a Gregorian year.
pub fn buddhist_year(year: i32) -> i32 {
    year + 543
}

/// Asia/Bangkok's offset from UTC.
pub fn bangkok() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("7 hours is a valid offset")
}

/// The calendar date in Bangkok at an instant.
pub fn bangkok_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&bangkok()).date_naive()
}

/// `17 ก.ย. 2561` (Thai) or `17 Sep 2018` (English).
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    let month = date.month0() as usize;
    match lang {
        Lang::Th => format!(
            "{} {} {}",
            date.day(),
            TH_MONTHS[month],
            buddhist_year(date.year())
        ),
        Lang::En => format!("{} {} {}", date.day(), EN_MONTHS[month], date.year()),
    }
}

/// An instant in Bangkok time: `17 ก.ย. 2561 14:05 น.` or `17 Sep 2018 14:05`.
pub fn format_instant(at: DateTime<Utc>, lang: Lang) -> String {
    let local = at.with_timezone(&bangkok());
    let date = format_date(local.date_naive(), lang);
    let time = format!("{:02}:{:02}", local.hour(), local.minute());
    match lang {
        Lang::Th => format!("{date} {time} น."),
        Lang::En => format!("{date} {time}"),
    }
}

/// A stored date (`YYYY-MM-DD`) as [`format_date`] shows it; the text as stored if it is not one.
pub fn stored_date(text: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| text.to_owned())
}

/// A stored instant (RFC 3339) as [`format_instant`] shows it; the text as stored if it is not one.
pub fn stored_instant(text: &str, lang: Lang) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|at| format_instant(at.to_utc(), lang))
        .unwrap_or_else(|_| text.to_owned())
}

/// The Bangkok calendar date of a stored instant (RFC 3339), as [`stored_date`] shows dates.
pub fn stored_instant_date(text: &str, lang: Lang) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|at| format_date(bangkok_date(at.to_utc()), lang))
        .unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn stored_text_is_shown_in_the_readers_era_or_left_alone() {
        assert_eq!(stored_date("2018-09-17", Lang::Th), "17 ก.ย. 2561");
        assert_eq!(stored_date("soon", Lang::Th), "soon");
        assert_eq!(
            stored_instant("2018-09-17T07:05:00Z", Lang::Th),
            "17 ก.ย. 2561 14:05 น."
        );
        // 18:30 UTC on 31 Dec is already 1 Jan in Bangkok.
        assert_eq!(
            stored_instant_date("2025-12-31T18:30:00.000000Z", Lang::Th),
            "1 ม.ค. 2569"
        );
    }

    #[test]
    fn the_domain_example_is_in_the_buddhist_era() {
        assert_eq!(format_date(date(2018, 9, 17), Lang::Th), "17 ก.ย. 2561");
        assert_eq!(format_date(date(2018, 9, 17), Lang::En), "17 Sep 2018");
    }

    #[test]
    fn every_month_has_its_thai_abbreviation() {
        assert_eq!(format_date(date(2026, 1, 1), Lang::Th), "1 ม.ค. 2569");
        assert_eq!(format_date(date(2026, 12, 31), Lang::Th), "31 ธ.ค. 2569");
    }

    #[test]
    fn instants_are_shown_in_bangkok_time() {
        // 18:30 UTC on 31 Dec is already 01:30 on 1 Jan in Bangkok.
        let at = Utc.with_ymd_and_hms(2025, 12, 31, 18, 30, 0).unwrap();
        assert_eq!(bangkok_date(at), date(2026, 1, 1));
        assert_eq!(format_instant(at, Lang::Th), "1 ม.ค. 2569 01:30 น.");
        assert_eq!(format_instant(at, Lang::En), "1 Jan 2026 01:30");
    }
}
