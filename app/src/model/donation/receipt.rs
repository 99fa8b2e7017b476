//! Receipts as numbered and printed: gapless numbers per legal recipient and Thai fiscal year,
//! and the recipient's words as they stood when the receipt was issued.

use crate::model::Localized;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The Thai fiscal year (1 October – 30 September) that `date` falls in, named by the
/// Buddhist-Era year in which it ends: 1 Oct 2026 – 30 Sep 2027 is fiscal year 2570.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    let ends_in = if date.month() >= 10 {
        date.year() + 1
    } else {
        date.year()
    };
    crate::model::thai_date::buddhist_year(ends_in)
}

/// The first and last day of a fiscal year named by its Buddhist-Era year.
pub fn fiscal_year_days(year_be: i32) -> Option<(NaiveDate, NaiveDate)> {
    let ends_in = year_be - 543;
    Some((
        NaiveDate::from_ymd_opt(ends_in - 1, 10, 1)?,
        NaiveDate::from_ymd_opt(ends_in, 9, 30)?,
    ))
}

/// A receipt's number: its place in the gapless series of one recipient and fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReceiptNumber {
    pub fiscal_year: i32,
    pub number: i64,
}

impl std::fmt::Display for ReceiptNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{:06}", self.fiscal_year, self.number)
    }
}

/// The organisation that legally receives a campaign's money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientView {
    pub name: Localized,
    /// Formatted `0-9940-00123-45-6`.
    pub tax_id: String,
    pub address: Option<String>,
}

/// A receipt as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub number: ReceiptNumber,
    pub recipient: RecipientView,
    /// The date the money was received, in Bangkok.
    pub received_on: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub voided: bool,
}
