//! What finance officers see while they reconcile a campaign's bank statements: a file's preview
//! before anything is stored, what an import stored and matched, the bank lines with their
//! matches, the candidates for a credit, and both unmatched lists.

pub mod account;
pub mod mapping;
pub mod matching;
pub mod payer;
pub mod tail;

pub use mapping::{Encoding, Era, FieldError, Mapping, Preset};
pub use matching::{Evidence, MATCH_WINDOW_DAYS};

use super::{CampaignId, Money};
use serde::{Deserialize, Serialize};

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
    /// Rows that repeat the row before them (same date, time, amount and balance): copies, not
    /// stored unless the officer says they are real.
    #[serde(default)]
    pub repeated: Vec<usize>,
    /// The file is a K-BIZ export and was read as one, although custom columns were chosen.
    #[serde(default)]
    pub read_as_kbiz: bool,
    /// The account number the file prints above its table (often masked), if any.
    #[serde(default)]
    pub account: Option<String>,
    /// The campaign's own account number, when the file names an account that cannot be it:
    /// the officer may have exported another account's statement.
    #[serde(default)]
    pub other_account_than: Option<String>,
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
    /// Rows that repeated their neighbour and were not stored.
    #[serde(default)]
    pub skipped_repeats: usize,
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
    /// Why it is suggested.
    pub evidence: Evidence,
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
    pub how: Option<MatchHow>,
    /// For an unmatched credit: the donations it may be.
    pub candidates: Vec<Candidate>,
    /// The one candidate that stands out (see `matching::best`), to confirm alone or with its
    /// group; `None` when none does, or when another credit's suggestion is the same donation.
    #[serde(default)]
    pub suggested: Option<Candidate>,
}

/// Suggested matches an officer confirms together, after reading them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmGroupInput {
    pub campaign_id: CampaignId,
    #[serde(default)]
    pub pairs: Vec<MatchInput>,
}

/// What a group confirmation matched, and each pair it could not, with why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOutcome {
    pub matched: usize,
    /// (line id, the reason in Thai, in English).
    pub refused: Vec<(i64, String, String)>,
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
    /// What the bank holds: each account's latest closing balance, added up, and the earliest
    /// of those accounts' last dates (the sum is as of then at the latest).
    pub bank_balance: Option<Money>,
    pub bank_balance_on: Option<String>,
    /// Each account's latest closing balance, as its own statements give it.
    #[serde(default)]
    pub bank_accounts: Vec<AccountBalance>,
    /// Cash the books hold: received money less purchases (the journal's fund cash).
    pub books_cash: Money,
    /// `bank − books`, when the bank's balance is known; anything but zero is a discrepancy.
    pub difference: Option<i64>,
    pub matched_count: i64,
    pub matched_total: Money,
    /// The page of waiting credits the query asked for, oldest first.
    pub unmatched_credits: Vec<BankLineView>,
    /// How many credits wait in all under the query's filters (the pages hold them all).
    #[serde(default)]
    pub waiting_count: i64,
    /// The filters and page the lists answer, as the officer typed them.
    #[serde(default)]
    pub query: DeskQuery,
    /// The latest matched lines, newest first, to take a wrong match back.
    pub matched_lines: Vec<BankLineView>,
    pub stale_pledges: Vec<StalePledge>,
    /// Received bank or PromptPay gifts that no bank line confirms yet.
    pub unconfirmed_gifts: i64,
    pub pledge_tail: bool,
    /// Days after which an unpaid pledge lapses.
    pub lapse_days: i64,
    /// A fresh key for the page's gift forms (each adds its line's id).
    pub form_key: String,
}

/// One bank account's balance: its latest statement's closing balance and last date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountBalance {
    /// Digits for the campaign's account; as the file prints it for another; `None` for
    /// statements imported before the campaign had a number and naming none.
    pub account: Option<String>,
    pub balance: Money,
    /// `YYYY-MM-DD`.
    pub on: String,
}

/// Credits a desk page lists at most.
pub const DESK_PAGE: i64 = 100;

/// What the desk lists: waiting credits posted in a date range, of an amount range, one page of
/// [`DESK_PAGE`] at a time. Empty fields do not filter; the fields are the desk's GET form's, so
/// a filtered page has an address and works without JavaScript.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeskQuery {
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    /// Baht, inclusive.
    pub min: String,
    pub max: String,
    /// Counted from 1; 0 reads as 1.
    pub page: u32,
}

impl DeskQuery {
    /// Whether any filter is set (the page number is not a filter).
    pub fn filters(&self) -> bool {
        [&self.from, &self.to, &self.min, &self.max]
            .iter()
            .any(|f| !f.trim().is_empty())
    }

    /// The page, counted from 1.
    pub fn page(&self) -> u32 {
        self.page.max(1)
    }
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
    /// The donor's 13-digit national or tax ID, when they asked for a deductible receipt.
    #[serde(default)]
    pub national_id: String,
    #[serde(default)]
    pub idempotency_key: String,
}

/// How a bank line came to be matched to its donation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchHow {
    /// By the rules in [`matching`], when the statement was imported.
    Auto,
    /// By a finance officer.
    Manual,
    /// A credit no pledge explained, recorded as a new gift.
    Gift,
}

impl MatchHow {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            MatchHow::Auto => "auto",
            MatchHow::Manual => "manual",
            MatchHow::Gift => "gift",
        }
    }

    /// The match a stored code names.
    pub fn from_code(code: &str) -> Option<MatchHow> {
        [MatchHow::Auto, MatchHow::Manual, MatchHow::Gift]
            .into_iter()
            .find(|h| h.code() == code)
    }
}

/// A stored reference's Ref1 for a bill-payment QR code: the reference without its dashes
/// (`PP-ABCD-…` → `PPABCD…`, 18 characters, within Ref1's 20).
pub fn ref1_of(reference: &str) -> String {
    reference.chars().filter(|c| *c != '-').collect()
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
}
