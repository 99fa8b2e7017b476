//! Dates and instants as stored: `YYYY-MM-DD` and UTC RFC 3339 with microseconds, both as TEXT,
//! which both engines compare and sort correctly.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// An instant as stored.
pub fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Now, as stored.
pub fn now() -> String {
    instant(Utc::now())
}

/// A date as stored.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads a stored date.
pub fn parse_date(text: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| decode_error(text, e))
}

/// Reads a stored instant.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| decode_error(text, e))
}

fn decode_error(text: &str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored date {text:?} is not valid: {e}").into())
}

/// The instant a Bangkok calendar day begins.
pub fn bangkok_midnight(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    crate::model::thai_date::bangkok()
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .single()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// The instant to record for a gift received on `day`: now when that is today in Bangkok,
/// otherwise noon of that day (a backdated envelope keeps its date, in any time zone view).
pub fn received_instant(day: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    if crate::model::thai_date::bangkok_date(now) == day {
        now
    } else {
        bangkok_midnight(day) + chrono::Duration::hours(12)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stored_instants_sort_as_text_in_time_order() {
        let a = instant(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap());
        let b = instant(Utc.with_ymd_and_hms(2026, 1, 2, 13, 4, 5).unwrap());
        assert!(a < b);
        assert_eq!(a, "2026-01-02T03:04:05.000000Z");
        assert_eq!(
            parse_instant(&a).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
        );
    }

    #[test]
    fn stored_dates_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(parse_date(&date(d)).unwrap(), d);
        assert!(parse_date("23/11/2026").is_err());
    }
}
