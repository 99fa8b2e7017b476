//! What finance officers see while they reconcile a campaign's bank statements: a file's preview
//! before anything is stored, what an import stored and matched, the bank lines with their
//! matches, the candidates for a credit, and both unmatched lists.

use super::{CampaignId, Money};
use serde::{Deserialize, Serialize};

/// Days after a pledge within which its credit is looked for. A pledge older than this with no
/// credit is listed as unmatched.
pub const MATCH_WINDOW_DAYS: i64 = 7;

/// One problem in a statement file, at a row and (where known) a column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: Option<String>,
    pub th: String,
    pub en: String,
}

/// One parsed line as the preview shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub row: usize,
    /// `YYYY-MM-DD` (Christian Era).
    pub date: String,
    pub time: Option<String>,
    pub credit: bool,
    pub amount: Money,
    pub balance: Option<Money>,
    pub description: String,
    pub details: String,
    /// Stored already by an earlier import (it will not be stored twice).
    pub known: bool,
}

/// A statement file read but not stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementPreview {
    pub file_name: String,
    pub encoding: String,
    pub header_row: usize,
    pub headers: Vec<String>,
    pub line_count: usize,
    pub known_count: usize,
    pub credits: Money,
    pub credit_count: usize,
    pub debits: Money,
    pub debit_count: usize,
    pub first_on: Option<String>,
    pub last_on: Option<String>,
    pub opening_balance: Option<Money>,
    pub closing_balance: Option<Money>,
    /// The first lines, to check the columns were read right.
    pub sample: Vec<PreviewLine>,
    /// Every row that does not parse (the file cannot be imported while any remains).
    pub problems: Vec<RowProblem>,
    pub skipped: usize,
}

/// What an import stored and matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub import_id: i64,
    pub line_count: usize,
    pub new_lines: usize,
    pub known_lines: usize,
    pub auto_matched: usize,
    pub millis: u64,
}

/// A donation a credit may be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub reference: String,
    pub donor: Option<String>,
    pub amount: Money,
    /// `pledged` or `received`.
    pub status: String,
    /// When it was pledged or received (RFC 3339).
    pub at: String,
}

/// One bank line with its match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLineView {
    pub id: i64,
    pub posted_on: String,
    pub posted_time: Option<String>,
    pub credit: bool,
    pub amount: Money,
    pub balance: Option<Money>,
    pub description: String,
    pub details: String,
    pub matched: Option<String>,
    /// `auto`, `manual` or `gift`.
    pub how: Option<String>,
    /// For an unmatched credit: the donations it may be.
    pub candidates: Vec<Candidate>,
}

/// A pledge with no credit after [`MATCH_WINDOW_DAYS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StalePledge {
    pub reference: String,
    pub donor: Option<String>,
    pub amount: Money,
    pub pledged_at: String,
}

/// One import as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub line_count: i64,
    pub new_lines: i64,
    pub first_on: Option<String>,
    pub last_on: Option<String>,
    pub closing_balance: Option<Money>,
    pub by: Option<String>,
    pub at: String,
}

/// The bank against the books for one campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub campaign_id: CampaignId,
    pub imports: Vec<ImportView>,
    /// The latest statement's closing balance and the date of its last line.
    pub bank_balance: Option<Money>,
    pub bank_balance_on: Option<String>,
    /// Cash the books hold: received money less purchases (the journal's fund cash).
    pub books_cash: Money,
    /// `bank − books`, when the bank's balance is known; anything but zero is a discrepancy.
    pub difference: Option<i64>,
    pub matched_count: i64,
    pub matched_total: Money,
    pub unmatched_credits: Vec<BankLineView>,
    /// The latest matched lines, newest first, to take a wrong match back.
    pub matched_lines: Vec<BankLineView>,
    pub stale_pledges: Vec<StalePledge>,
    /// Received bank or PromptPay gifts that no bank line confirms yet.
    pub unconfirmed_gifts: i64,
    pub pledge_tail: bool,
    /// A fresh key for the page's gift forms (each adds its line's id).
    pub form_key: String,
}

/// A manual match of a credit to a donation by its reference.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchInput {
    pub line_id: i64,
    #[serde(default)]
    pub reference: String,
}

/// A credit with no pledge, recorded as a gift.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftFromLineInput {
    pub line_id: i64,
    /// The donor's name as the bank shows it, or empty for anonymous.
    #[serde(default)]
    pub donor_name: String,
    #[serde(default)]
    pub show_name: Option<String>,
    #[serde(default)]
    pub idempotency_key: String,
}

/// The highest column index a mapping may name.
const MAX_COLUMN: usize = 255;

/// The text encoding of a file: chosen by the officer, or detected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// A UTF-8 byte-order mark or valid UTF-8 means UTF-8; otherwise TIS-620 if it decodes.
    #[default]
    Auto,
    Utf8,
    /// TIS-620 as Windows code page 874 writes it (what Thai Excel saves as plain "CSV").
    Tis620,
}

/// How a 2-digit year is read. Four-digit years are BE when at least 2400, else CE.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Era {
    /// Of the BE and CE readings, the one nearest today and at most 366 days after it.
    #[default]
    Auto,
    Buddhist,
    Christian,
}

/// Which layout a mapping describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// KBank K-BIZ: columns are found from the header row's texts; the indexes are ignored.
    #[default]
    Kbiz,
    /// The officer's own choice of 0-based column indexes.
    Custom,
}

/// Where each field is in a bank's file. Column indexes count from 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    pub preset: Preset,
    pub date: usize,
    pub time: Option<usize>,
    pub description: Option<usize>,
    pub withdrawal: Option<usize>,
    pub deposit: Option<usize>,
    /// One signed column (positive = deposit) instead of withdrawal and deposit columns.
    pub amount: Option<usize>,
    pub balance: Option<usize>,
    pub channel: Option<usize>,
    pub details: Option<usize>,
    /// The header's line number, counting from 1; `None` finds it.
    pub header_row: Option<usize>,
    pub era: Era,
    pub encoding: Encoding,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping::kbiz()
    }
}

/// Why a mapping cannot be used: the field at fault and a message in Thai and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub th: String,
    pub en: String,
}

impl Mapping {
    /// The K-BIZ preset. The indexes are the classic K-BIZ layout, a starting point should the
    /// officer switch to a custom mapping; parsing finds the real ones from the header.
    pub fn kbiz() -> Mapping {
        Mapping {
            preset: Preset::Kbiz,
            date: 1,
            time: Some(2),
            description: Some(3),
            withdrawal: Some(4),
            deposit: Some(6),
            amount: None,
            balance: Some(8),
            channel: Some(10),
            details: Some(12),
            header_row: None,
            era: Era::Auto,
            encoding: Encoding::Auto,
        }
    }

    /// Each field with the column it is read from.
    pub fn columns(&self) -> [(&'static str, Option<usize>); 9] {
        [
            ("date", Some(self.date)),
            ("time", self.time),
            ("description", self.description),
            ("withdrawal", self.withdrawal),
            ("deposit", self.deposit),
            ("amount", self.amount),
            ("balance", self.balance),
            ("channel", self.channel),
            ("details", self.details),
        ]
    }

    /// Checks a custom mapping: withdrawal and deposit columns, or one amount column; no column
    /// used twice; a header row counted from 1.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut push = |field: &str, th: String, en: String| {
            errors.push(FieldError {
                field: field.into(),
                th,
                en,
            });
        };
        if self.header_row == Some(0) {
            push(
                "header_row",
                "แถวหัวตารางนับจาก 1".into(),
                "The header row counts from 1.".into(),
            );
        }
        if self.preset == Preset::Custom {
            match (self.amount, self.withdrawal, self.deposit) {
                (Some(_), None, None) | (None, Some(_), Some(_)) => {}
                (Some(_), _, _) => push(
                    "amount",
                    "เลือกคอลัมน์จำนวนเงินคอลัมน์เดียว หรือคอลัมน์ถอนและฝาก อย่างใดอย่างหนึ่ง".into(),
                    "Choose one signed amount column or withdrawal and deposit columns, not both."
                        .into(),
                ),
                (None, None, None) => push(
                    "amount",
                    "กรุณาเลือกคอลัมน์ถอนและฝาก หรือคอลัมน์จำนวนเงิน".into(),
                    "Choose the withdrawal and deposit columns, or one amount column.".into(),
                ),
                (None, None, Some(_)) => push(
                    "withdrawal",
                    "กรุณาเลือกคอลัมน์ถอนเงินด้วย".into(),
                    "Choose the withdrawal column too.".into(),
                ),
                (None, Some(_), None) => push(
                    "deposit",
                    "กรุณาเลือกคอลัมน์ฝากเงินด้วย".into(),
                    "Choose the deposit column too.".into(),
                ),
            }
            let mut used: Vec<(usize, &str)> = Vec::new();
            for (field, index) in self.columns() {
                let Some(index) = index else { continue };
                if index > MAX_COLUMN {
                    push(
                        field,
                        "เลขคอลัมน์มากเกินไป".into(),
                        "The column number is too large.".into(),
                    );
                } else if let Some((_, other)) = used.iter().find(|(i, _)| *i == index) {
                    push(
                        field,
                        format!("คอลัมน์ที่ {} ถูกเลือกให้ {other} แล้ว", index + 1),
                        format!("Column {} is already chosen for {other}.", index + 1),
                    );
                } else {
                    used.push((index, field));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A stored reference's Ref1 for a bill-payment QR code: the reference without its dashes
/// (`PP-ABCD-…` → `PPABCD…`, 18 characters, within Ref1's 20).
pub fn ref1_of(reference: &str) -> String {
    reference.chars().filter(|c| *c != '-').collect()
}

/// The satang tail that makes a pledge of `amount` unambiguous on a statement: the amount plus
/// the smallest tail from 1 to 99 satang that gives an amount no open pledge in `taken` has.
/// An amount that already carries satang is kept as it is; `None` when every tail is taken.
pub fn with_tail(amount: Money, taken: &[Money]) -> Option<Money> {
    if amount.satang() % 100 != 0 {
        return Some(amount);
    }
    (1..100)
        .map(|tail| Money::from_satang(amount.satang() + tail))
        .find(|m| !taken.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref1_drops_the_dashes_and_fits_twenty_characters() {
        let r = ref1_of("PP-DEMQ-GAVE-BEDS-2626");
        assert_eq!(r, "PPDEMQGAVEBEDS2626");
        assert!(r.len() <= 20);
    }

    #[test]
    fn a_tail_is_the_smallest_free_one_and_whole_satang_amounts_keep_theirs() {
        let b = Money::from_baht(1500);
        assert_eq!(with_tail(b, &[]), Some(Money::from_satang(150_001)));
        let taken = [Money::from_satang(150_001), Money::from_satang(150_002)];
        assert_eq!(with_tail(b, &taken), Some(Money::from_satang(150_003)));
        let all: Vec<Money> = (1..100).map(|t| Money::from_satang(150_000 + t)).collect();
        assert_eq!(with_tail(b, &all), None);
        let odd = Money::from_satang(150_050);
        assert_eq!(with_tail(odd, &all), Some(odd));
    }
}
