//! Donations as typed and as shown: the forms of finance officers and donors parsed once into
//! valid values (each bad field with its own message in Thai and English), receipt numbers and
//! Thai fiscal years, and what a donor sees when they look their gift up.

use super::campaign::PublicDonation;
pub use super::form::FieldErrors;
use super::status::{CampaignStatus, DonationChannel, DonationStatus};
use super::thai_id::NationalId;
use super::{BatchId, CampaignId, EquipmentItemId, Localized, Money};
use crate::error::FieldError;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The longest donor name kept (a company's full registered name fits).
pub const MAX_NAME: usize = 200;
/// The longest note or reason kept.
pub const MAX_NOTE: usize = 500;

/// The Thai fiscal year (1 October – 30 September) that `date` falls in, named by the
/// Buddhist-Era year in which it ends: 1 Oct 2026 – 30 Sep 2027 is fiscal year 2570.
pub fn fiscal_year(date: NaiveDate) -> i32 {
    let ends_in = if date.month() >= 10 {
        date.year() + 1
    } else {
        date.year()
    };
    super::thai_date::buddhist_year(ends_in)
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

/// Who gave, as far as they chose to say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonorDetails {
    /// `None` for an anonymous gift.
    pub name: Option<String>,
    /// Consent to show the name on public pages.
    pub show_name: bool,
    pub national_id: Option<NationalId>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

fn donor_details(
    e: &mut FieldErrors,
    name: &str,
    show_name: bool,
    national_id: &str,
    phone: &str,
    email: &str,
) -> DonorDetails {
    let name = e.optional("donor_name", name, MAX_NAME);
    let national_id = e.national_id("national_id", national_id);
    let phone = e.optional("phone", phone, 20);
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 9 || !p.chars().all(|c| c.is_ascii_digit() || " -+()".contains(c)) {
            e.add("phone", "เบอร์โทรศัพท์ไม่ถูกต้อง", "This is not a phone number.");
        }
    }
    let email = e.optional("email", email, 200);
    if let Some(m) = &email {
        let ok = m
            .split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !m.contains(' '));
        if !ok {
            e.add("email", "อีเมลไม่ถูกต้อง", "This is not an e-mail address.");
        }
    }
    DonorDetails {
        show_name: show_name && name.is_some(),
        name,
        national_id,
        phone,
        email,
    }
}

/// A donation as a finance officer types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationInput {
    pub campaign_id: CampaignId,
    /// `cash`, `bank_transfer`, `promptpay`, `cheque` or `in_kind`.
    pub channel: String,
    /// The amount, or for a gift in kind its fair value.
    pub amount: String,
    #[serde(default)]
    pub donor_name: String,
    #[serde(default)]
    pub show_name: bool,
    #[serde(default)]
    pub national_id: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// `YYYY-MM-DD`; empty means today.
    #[serde(default)]
    pub received_on: String,
    #[serde(default)]
    pub note: String,
    /// For a gift in kind: the catalog item's id and how many units.
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub quantity: String,
    pub idempotency_key: String,
}

/// A gift in kind: units of one catalog item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InKindLine {
    pub item: EquipmentItemId,
    pub quantity: i64,
}

/// A valid donation to record as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDonation {
    pub campaign_id: CampaignId,
    pub channel: DonationChannel,
    pub amount: Money,
    pub donor: DonorDetails,
    pub received_on: NaiveDate,
    pub note: Option<String>,
    pub in_kind: Option<InKindLine>,
}

/// Reads a received date: empty is today; the future is refused.
pub fn received_date(e: &mut FieldErrors, text: &str, today: NaiveDate) -> NaiveDate {
    let text = text.trim();
    if text.is_empty() {
        return today;
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) if date > today => {
            e.add(
                "received_on",
                "วันที่รับเงินต้องไม่เป็นวันในอนาคต",
                "The date received cannot be in the future.",
            );
            today
        }
        Ok(date) if date < today - chrono::Duration::days(3 * 366) => {
            e.add(
                "received_on",
                "วันที่รับเงินเก่าเกินไป",
                "The date received is too far in the past.",
            );
            today
        }
        Ok(date) => date,
        Err(_) => {
            e.add(
                "received_on",
                "วันที่ไม่ถูกต้อง (ปปปป-ดด-วว)",
                "Not a valid date (YYYY-MM-DD).",
            );
            today
        }
    }
}

impl NewDonation {
    /// Parses a finance officer's form. `today` is the date in Bangkok.
    pub fn parse(input: &DonationInput, today: NaiveDate) -> Result<NewDonation, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let channel = DonationChannel::from_code(input.channel.trim());
        if channel.is_none() {
            e.add(
                "channel",
                "กรุณาเลือกช่องทางการบริจาค",
                "Choose how the gift arrived.",
            );
        }
        let amount = e.amount("amount", &input.amount);
        let donor = donor_details(
            &mut e,
            &input.donor_name,
            input.show_name,
            &input.national_id,
            &input.phone,
            &input.email,
        );
        let received_on = received_date(&mut e, &input.received_on, today);
        let note = e.optional("note", &input.note, MAX_NOTE);
        let in_kind = if channel == Some(DonationChannel::InKind) {
            in_kind_line(&mut e, &input.item, &input.quantity)
        } else {
            None
        };
        e.idempotency_key(&input.idempotency_key);
        let channel = channel.unwrap_or(DonationChannel::Cash);
        e.into_result(NewDonation {
            campaign_id: input.campaign_id,
            channel,
            amount,
            donor,
            received_on,
            note,
            in_kind,
        })
    }
}

fn in_kind_line(e: &mut FieldErrors, item: &str, quantity: &str) -> Option<InKindLine> {
    let item = item.trim().parse::<i64>().ok().filter(|i| *i > 0);
    if item.is_none() {
        e.add("item", "กรุณาเลือกครุภัณฑ์ที่ได้รับบริจาค", "Choose the item given.");
    }
    let quantity = quantity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|q| (1..=10_000).contains(q));
    if quantity.is_none() {
        e.add(
            "quantity",
            "จำนวนต้องเป็นจำนวนเต็ม 1 ถึง 10,000",
            "The quantity must be a whole number from 1 to 10,000.",
        );
    }
    Some(InKindLine {
        item: EquipmentItemId(item?),
        quantity: quantity?,
    })
}

/// A donor's online pledge as typed on the campaign page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeInput {
    pub campaign_id: CampaignId,
    pub amount: String,
    #[serde(default)]
    pub donor_name: String,
    #[serde(default)]
    pub show_name: bool,
    #[serde(default)]
    pub national_id: String,
    #[serde(default)]
    pub email: String,
    pub idempotency_key: String,
}

/// A valid pledge: promised, not yet in the fund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPledge {
    pub campaign_id: CampaignId,
    pub amount: Money,
    pub donor: DonorDetails,
}

/// What a pledge and an envelope share: an amount, who gave (as far as they said) and the key
/// that makes sending it twice harmless. Returns the field errors found along the way.
fn amount_and_donor(
    amount: &str,
    name: &str,
    show_name: bool,
    national_id: &str,
    email: &str,
    key: &str,
) -> (FieldErrors, Money, DonorDetails) {
    let mut e = FieldErrors::default();
    let amount = e.amount("amount", amount);
    let donor = donor_details(&mut e, name, show_name, national_id, "", email);
    e.idempotency_key(key);
    (e, amount, donor)
}

impl NewPledge {
    pub fn parse(input: &PledgeInput) -> Result<NewPledge, Vec<FieldError>> {
        let (e, amount, donor) = amount_and_donor(
            &input.amount,
            &input.donor_name,
            input.show_name,
            &input.national_id,
            &input.email,
            &input.idempotency_key,
        );
        e.into_result(NewPledge {
            campaign_id: input.campaign_id,
            amount,
            donor,
        })
    }
}

/// The quick choices on the pledge form, in baht.
pub const QUICK_AMOUNTS: [i64; 5] = [100, 300, 500, 1_000, 2_000];

/// Opening a ceremony-night batch: the envelopes counted and the cash counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchInput {
    pub campaign_id: CampaignId,
    pub label: String,
    pub expected_count: String,
    pub expected_total: String,
}

/// A valid batch to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBatch {
    pub campaign_id: CampaignId,
    pub label: String,
    pub expected_count: i64,
    pub expected_total: Money,
}

impl NewBatch {
    pub fn parse(input: &BatchInput) -> Result<NewBatch, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let label = e.optional("label", &input.label, 100).unwrap_or_default();
        if label.is_empty() {
            e.add("label", "กรุณาตั้งชื่อชุด", "Give the batch a name.");
        }
        let expected_count = input
            .expected_count
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n));
        if expected_count.is_none() {
            e.add(
                "expected_count",
                "จำนวนซองต้องเป็นจำนวนเต็ม 1 ถึง 100,000",
                "The envelope count must be a whole number from 1 to 100,000.",
            );
        }
        let expected_total = e.amount("expected_total", &input.expected_total);
        e.into_result(NewBatch {
            campaign_id: input.campaign_id,
            label,
            expected_count: expected_count.unwrap_or(0),
            expected_total,
        })
    }
}

/// One envelope typed into a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRowInput {
    pub batch_id: BatchId,
    pub amount: String,
    #[serde(default)]
    pub donor_name: String,
    #[serde(default)]
    pub show_name: bool,
    #[serde(default)]
    pub national_id: String,
    pub idempotency_key: String,
}

/// A valid envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBatchRow {
    pub amount: Money,
    pub donor: DonorDetails,
}

impl NewBatchRow {
    pub fn parse(input: &BatchRowInput) -> Result<NewBatchRow, Vec<FieldError>> {
        let (e, amount, donor) = amount_and_donor(
            &input.amount,
            &input.donor_name,
            input.show_name,
            &input.national_id,
            "",
            &input.idempotency_key,
        );
        e.into_result(NewBatchRow { amount, donor })
    }
}

/// What a create answers; an idempotent replay answers the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationCreated {
    pub reference: String,
    pub receipt: Option<ReceiptNumber>,
}

/// A batch's figures: what was counted and what has been typed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: BatchId,
    pub label: String,
    pub open: bool,
    pub expected_count: i64,
    pub expected_total: Money,
    pub entered_count: i64,
    pub entered_total: Money,
    pub close_reason: Option<String>,
}

impl BatchSummary {
    /// Whether the typed envelopes match the counted ones in number and total.
    pub fn balances(&self) -> bool {
        self.expected_count == self.entered_count && self.expected_total == self.entered_total
    }
}

/// A batch's page: its figures and its envelopes, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchView {
    pub summary: BatchSummary,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    pub rows: Vec<DonationRow>,
}

/// A donation in a finance officer's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationRow {
    pub reference: String,
    pub donor_name: Option<String>,
    pub amount: Money,
    pub channel: DonationChannel,
    pub status: DonationStatus,
    pub created_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    pub receipt: Option<ReceiptNumber>,
}

/// The organisation that legally receives a campaign's money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientView {
    pub name: Localized,
    /// Formatted `0-9940-00123-45-6`.
    pub tax_id: String,
    pub address: Option<String>,
}

/// A campaign's money as finance officers work on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceCampaign {
    pub id: CampaignId,
    pub title: Localized,
    pub status: CampaignStatus,
    pub raised: Money,
    pub in_kind: Money,
    pub donation_count: i64,
    pub donor_count: i64,
    pub pledged_count: i64,
    pub recipient: Option<RecipientView>,
    pub pledges: Vec<DonationRow>,
    pub recent: Vec<DonationRow>,
    pub batches: Vec<BatchSummary>,
    /// A fresh idempotency key for the record form.
    pub form_key: String,
}

/// The finance home page's data: recipients to export for, and today's date in Bangkok.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceHome {
    pub recipients: Vec<(super::LegalRecipientId, RecipientView)>,
    pub today: NaiveDate,
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

/// A QR code drawn as one SVG path over a `size` × `size` grid of modules (quiet zone included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrSvg {
    pub size: u32,
    pub path: String,
}

/// How to pay a pledge by PromptPay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptPayPayment {
    pub payee: String,
    /// The PromptPay ID as shown, partly masked: `08x-xxx-5678` or `0-9940-xxxxx-xx-6`.
    pub promptpay_id: String,
    pub payload: String,
    pub qr: QrSvg,
}

/// A campaign's receiving bank account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    pub bank: String,
    pub number: String,
    pub name: String,
}

/// Where a campaign's money went: what it bought and for which hospitals. Purchases and
/// allocations arrive with the equipment lifecycle; until then the list is empty and the fund's
/// whole balance is unspent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTrail {
    pub raised: Money,
    pub spent: Money,
    pub purchases: Vec<TrailPurchase>,
}

impl MoneyTrail {
    /// What is left to spend.
    pub fn balance(&self) -> Money {
        self.raised.checked_sub(self.spent).unwrap_or(Money::ZERO)
    }
}

/// One purchase from a campaign's fund and where its units went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailPurchase {
    pub purchased_on: NaiveDate,
    pub vendor: String,
    pub item: Localized,
    pub quantity: i64,
    pub total: Money,
    pub hospitals: Vec<Localized>,
}

/// What only finance officers see of a donation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonorPrivate {
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub note: Option<String>,
}

/// A donation looked up by its reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationView {
    pub reference: String,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    pub campaign_status: CampaignStatus,
    pub status: DonationStatus,
    pub channel: DonationChannel,
    pub amount: Money,
    /// `None` for an anonymous gift.
    pub donor_name: Option<String>,
    /// Masked for everyone but finance officers.
    pub national_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub receipt: Option<ReceiptView>,
    pub in_kind: Vec<(Localized, i64)>,
    pub promptpay: Option<PromptPayPayment>,
    pub bank: Option<BankAccount>,
    pub trail: MoneyTrail,
    /// Present only for finance officers, who may also confirm and void.
    pub private: Option<DonorPrivate>,
}

/// The part of a campaign page that moves while people give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignLive {
    pub raised: Money,
    pub goal: Money,
    pub donor_count: i64,
    pub donation_count: i64,
    pub recent: Vec<PublicDonation>,
}

/// `08x-xxx-5678` for a phone, the masked form for a 13-digit ID.
pub fn mask_promptpay_id(digits: &str) -> String {
    if digits.len() == 10 {
        format!("{}x-xxx-{}", &digits[..2], &digits[6..])
    } else {
        NationalId::parse(digits)
            .map(|id| id.masked())
            .unwrap_or_else(|_| "x".repeat(digits.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn input(amount: &str) -> DonationInput {
        DonationInput {
            campaign_id: CampaignId(1),
            channel: "cash".into(),
            amount: amount.into(),
            idempotency_key: "k-0000000001".into(),
            ..DonationInput::default()
        }
    }

    fn fields(result: Result<NewDonation, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn the_fiscal_year_starts_on_the_first_of_october_and_is_named_in_the_buddhist_era() {
        assert_eq!(fiscal_year(day(2026, 9, 30)), 2569);
        assert_eq!(fiscal_year(day(2026, 10, 1)), 2570);
        assert_eq!(fiscal_year(day(2027, 9, 30)), 2570);
        assert_eq!(
            fiscal_year_days(2570),
            Some((day(2026, 10, 1), day(2027, 9, 30)))
        );
    }

    #[test]
    fn receipt_numbers_print_year_and_zero_padded_number() {
        let n = ReceiptNumber {
            fiscal_year: 2570,
            number: 42,
        };
        assert_eq!(n.to_string(), "2570/000042");
    }

    #[test]
    fn every_bad_amount_names_the_amount_field() {
        let today = day(2026, 11, 23);
        for bad in [
            "-1",
            "0",
            "0.001",
            "1e30",
            "NaN",
            "",
            "100,00",
            &"9".repeat(30),
        ] {
            assert_eq!(
                fields(NewDonation::parse(&input(bad), today)),
                vec!["amount"],
                "{bad:?}"
            );
        }
        assert!(NewDonation::parse(&input("1,234.50"), today).is_ok());
    }

    #[test]
    fn a_wrong_checksum_a_long_name_and_a_future_date_are_each_named() {
        let today = day(2026, 11, 23);
        let mut i = input("500");
        i.national_id = "1234567890122".into();
        i.donor_name = "ก".repeat(MAX_NAME + 1);
        i.received_on = "2026-11-24".into();
        i.channel = "bitcoin".into();
        let mut got = fields(NewDonation::parse(&i, today));
        got.sort();
        assert_eq!(
            got,
            vec!["channel", "donor_name", "national_id", "received_on"]
        );
    }

    #[test]
    fn consent_without_a_name_shows_nothing() {
        let mut i = input("500");
        i.show_name = true;
        let d = NewDonation::parse(&i, day(2026, 11, 23)).unwrap();
        assert_eq!(d.donor.name, None);
        assert!(!d.donor.show_name);
        assert_eq!(d.received_on, day(2026, 11, 23));
    }

    #[test]
    fn a_gift_in_kind_needs_an_item_and_a_quantity() {
        let mut i = input("42500");
        i.channel = "in_kind".into();
        let mut got = fields(NewDonation::parse(&i, day(2026, 11, 23)));
        got.sort();
        assert_eq!(got, vec!["item", "quantity"]);
        i.item = "3".into();
        i.quantity = "5".into();
        let d = NewDonation::parse(&i, day(2026, 11, 23)).unwrap();
        assert_eq!(
            d.in_kind,
            Some(InKindLine {
                item: EquipmentItemId(3),
                quantity: 5
            })
        );
    }

    #[test]
    fn a_missing_or_odd_idempotency_key_is_refused() {
        let mut i = input("500");
        i.idempotency_key = "short".into();
        assert_eq!(
            fields(NewDonation::parse(&i, day(2026, 11, 23))),
            vec!["idempotency_key"]
        );
        i.idempotency_key = "has spaces in it".into();
        assert!(NewDonation::parse(&i, day(2026, 11, 23)).is_err());
    }

    #[test]
    fn batches_need_a_name_a_count_and_a_total() {
        let bad = NewBatch::parse(&BatchInput {
            campaign_id: CampaignId(1),
            label: " ".into(),
            expected_count: "0".into(),
            expected_total: "abc".into(),
        })
        .unwrap_err();
        let mut got: Vec<_> = bad.into_iter().map(|f| f.field).collect();
        got.sort();
        assert_eq!(got, vec!["expected_count", "expected_total", "label"]);
    }

    #[test]
    fn promptpay_ids_are_shown_masked() {
        assert_eq!(mask_promptpay_id("0812345678"), "08x-xxx-5678");
        assert_eq!(mask_promptpay_id("1234567890121"), "1-2345-xxxxx-xx-1");
    }
}
