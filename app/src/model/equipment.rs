//! Equipment bought from a campaign's fund and the units it became: purchase forms read into
//! valid values, the views finance officers, hospital staff and donors see, and the arithmetic
//! that answers "where did my money go". Rules that need storage (the balance, who may act, which
//! units are in stock) are in the equipment services.

use super::form::FieldErrors;
use super::status::{PurchaseStatus, UnitCondition, UnitStatus};
use super::thai_id::is_valid_13;
use super::{
    CampaignId, DonationId, EquipmentItemId, HospitalId, Localized, Money, PurchaseId, RequestId,
    UnitId,
};
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most lines one purchase may have.
pub const MAX_LINES: usize = 50;
/// The most units one purchase line may buy.
pub const MAX_LINE_QUANTITY: i64 = 1_000;
/// The most units one allocation may move.
pub const MAX_ALLOCATION: i64 = 1_000;
/// The longest note, reason or justification.
pub const MAX_NOTE: usize = 2_000;
/// The shortest written reason or justification.
pub const MIN_REASON: usize = 5;

/// Whether `price` is more than 20% above the catalog's `reference` price, which needs a written
/// justification.
pub fn over_reference(price: Money, reference: Money) -> bool {
    i128::from(price.satang()) * 5 > i128::from(reference.satang()) * 6
}

/// Reads a vendor's 13-digit tax ID as typed (spaces and dashes ignored); `Err` when it is not
/// 13 digits or its check digit is wrong.
pub fn parse_tax_id(text: &str) -> Result<String, (&'static str, &'static str)> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() != 13 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err((
            "เลขประจำตัวผู้เสียภาษีต้องเป็นตัวเลข 13 หลัก",
            "A tax ID is 13 digits.",
        ));
    }
    if !is_valid_13(&digits) {
        return Err((
            "เลขประจำตัวผู้เสียภาษีไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)",
            "This tax ID is not valid: its check digit does not match.",
        ));
    }
    Ok(digits)
}

/// One line of a purchase form as posted; a line left wholly empty is skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseLineInput {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub quantity: String,
    /// Baht, at most two decimals.
    #[serde(default)]
    pub unit_price: String,
    #[serde(default)]
    pub justification: String,
}

impl PurchaseLineInput {
    fn is_blank(&self) -> bool {
        self.item.trim().is_empty()
            && self.quantity.trim().is_empty()
            && self.unit_price.trim().is_empty()
            && self.justification.trim().is_empty()
    }
}

/// A purchase form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseInput {
    pub campaign_id: CampaignId,
    #[serde(default)]
    pub vendor_name: String,
    #[serde(default)]
    pub vendor_tax_id: String,
    #[serde(default)]
    pub invoice_no: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub invoice_date: String,
    #[serde(default)]
    pub lines: Vec<PurchaseLineInput>,
    #[serde(default)]
    pub idempotency_key: String,
}

/// One valid purchase line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewLine {
    /// The line's number on the form (1-based), used in field names of its errors.
    pub line_no: i64,
    pub item: EquipmentItemId,
    pub quantity: i64,
    pub unit_price: Money,
    pub justification: Option<String>,
}

impl NewLine {
    /// Quantity × unit price; `None` on overflow.
    pub fn amount(&self) -> Option<Money> {
        self.unit_price.checked_mul(self.quantity)
    }

    /// The field name of one of this line's inputs, as errors name it.
    pub fn field(&self, name: &str) -> String {
        line_field(self.line_no, name)
    }
}

/// `lines.2.unit_price`: the field name of a purchase line's input.
pub fn line_field(line_no: i64, name: &str) -> String {
    format!("lines.{line_no}.{name}")
}

/// A valid purchase; built only by [`NewPurchase::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewPurchase {
    pub campaign: CampaignId,
    pub vendor_name: String,
    pub vendor_tax_id: Option<String>,
    pub invoice_no: String,
    pub invoice_date: NaiveDate,
    pub lines: Vec<NewLine>,
    pub total: Money,
}

impl NewPurchase {
    /// Reads a purchase form. The catalog's reference prices are checked by the service.
    pub fn parse(input: &PurchaseInput) -> Result<NewPurchase, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let vendor_name = e.required("vendor_name", &input.vendor_name, 300);
        let vendor_tax_id = if input.vendor_tax_id.trim().is_empty() {
            None
        } else {
            match parse_tax_id(&input.vendor_tax_id) {
                Ok(id) => Some(id),
                Err((th, en)) => {
                    e.add("vendor_tax_id", th, en);
                    None
                }
            }
        };
        let invoice_no = e.required("invoice_no", &input.invoice_no, 100);
        let invoice_date = e.date("invoice_date", &input.invoice_date, true);
        let mut lines = Vec::new();
        for (i, line) in input.lines.iter().enumerate() {
            if line.is_blank() {
                continue;
            }
            let line_no = i as i64 + 1;
            if line_no as usize > MAX_LINES {
                e.add(
                    "lines",
                    format!("ซื้อได้ไม่เกิน {MAX_LINES} รายการต่อใบ"),
                    format!("At most {MAX_LINES} lines per purchase."),
                );
                break;
            }
            let field = |name: &str| line_field(line_no, name);
            let item = line.item.trim().parse::<i64>().ok().filter(|id| *id > 0);
            if item.is_none() {
                e.add(
                    &field("item"),
                    "กรุณาเลือกครุภัณฑ์จากรายการ",
                    "Choose an item from the catalog.",
                );
            }
            let quantity = e
                .whole_number(
                    &field("quantity"),
                    &line.quantity,
                    MAX_LINE_QUANTITY,
                    ("จำนวน", "The quantity"),
                )
                .unwrap_or(0);
            let unit_price = e.amount(&field("unit_price"), &line.unit_price);
            let justification = e.optional(&field("justification"), &line.justification, MAX_NOTE);
            lines.push(NewLine {
                line_no,
                item: EquipmentItemId(item.unwrap_or(0)),
                quantity,
                unit_price,
                justification,
            });
        }
        if lines.is_empty() && input.lines.iter().all(PurchaseLineInput::is_blank) {
            e.add(
                "lines",
                "กรุณากรอกอย่างน้อยหนึ่งรายการ",
                "Enter at least one line.",
            );
        }
        let mut seen = std::collections::HashSet::new();
        for l in &lines {
            if l.item.0 > 0 && !seen.insert(l.item) {
                e.add(
                    &l.field("item"),
                    "ครุภัณฑ์ชนิดเดียวกันควรอยู่ในบรรทัดเดียว",
                    "Put each item on one line only.",
                );
            }
        }
        let total = lines
            .iter()
            .try_fold(Money::ZERO, |sum, l| sum.checked_add(l.amount()?));
        let total = match total {
            Some(t) if t <= super::money::MAX_ENTRY => t,
            _ => {
                e.add(
                    "lines",
                    "ยอดรวมของใบสั่งซื้อสูงเกินไป",
                    "The purchase's total is too large.",
                );
                Money::ZERO
            }
        };
        e.idempotency_key(&input.idempotency_key);
        e.into_result(NewPurchase {
            campaign: input.campaign_id,
            vendor_name,
            vendor_tax_id,
            invoice_no,
            invoice_date: invoice_date.unwrap_or_default(),
            lines,
            total,
        })
    }
}

/// A written reason of at least [`MIN_REASON`] characters, or an error on `field`.
pub fn reason(e: &mut FieldErrors, field: &str, text: &str) -> String {
    let r = e.optional(field, text, MAX_NOTE).unwrap_or_default();
    if r.chars().count() < MIN_REASON {
        e.add(
            field,
            format!("กรุณาเขียนเหตุผล (อย่างน้อย {MIN_REASON} ตัวอักษร)"),
            format!("Write a reason (at least {MIN_REASON} characters)."),
        );
    }
    r
}

/// One line of a purchase as shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseLineView {
    pub line_no: i64,
    pub item_id: EquipmentItemId,
    pub item: Localized,
    pub unit: Localized,
    pub quantity: i64,
    pub unit_price: Money,
    pub reference_price: Money,
    pub justification: Option<String>,
}

impl PurchaseLineView {
    pub fn amount(&self) -> Money {
        Money::from_satang(self.unit_price.satang() * self.quantity)
    }
    pub fn over_reference(&self) -> bool {
        over_reference(self.unit_price, self.reference_price)
    }
}

/// One event in a purchase's or a unit's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub kind: String,
    /// The hospital the event happened for, if any.
    pub hospital_id: Option<HospitalId>,
    pub note: Option<String>,
    pub by: Option<String>,
    /// RFC 3339.
    pub at: String,
}

/// A purchase as finance officers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseView {
    pub id: PurchaseId,
    pub campaign_id: CampaignId,
    pub vendor_name: String,
    pub vendor_tax_id: Option<String>,
    pub invoice_no: String,
    pub invoice_date: String,
    pub total: Money,
    pub status: PurchaseStatus,
    pub recorded_by: String,
    pub approved_by: Option<String>,
    pub received_at: Option<String>,
    pub void_reason: Option<String>,
    pub lines: Vec<PurchaseLineView>,
    /// Units of this purchase that have left stock (a void is refused while any has).
    pub units_out: i64,
    /// Whether the caller may give the second approval (a finance officer who did not record it).
    pub may_approve: bool,
    pub events: Vec<EventView>,
}

/// A campaign's money as the purchase desk needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundBalance {
    /// Cash received (gifts in kind are not money to spend).
    pub received: Money,
    /// Net of voids.
    pub spent: Money,
    /// Held for purchases awaiting a second approval.
    pub committed: Money,
    /// Above this total a purchase needs a second finance officer.
    pub second_approval_above: Money,
}

impl FundBalance {
    /// What may still be spent: received − spent − committed.
    pub fn available(&self) -> Money {
        Money::from_satang(self.received.satang() - self.spent.satang() - self.committed.satang())
    }
}

/// Receiving a purchase: optional serial numbers, one per line of text, in unit order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveInput {
    pub purchase_id: PurchaseId,
    #[serde(default)]
    pub serials: String,
}

/// Allocating units from stock to a hospital: against an approved request, or with a reason.
/// Either name the units by tag, or ask for a quantity of an item (the oldest in stock go first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocateInput {
    pub campaign_id: CampaignId,
    #[serde(default)]
    pub hospital_id: String,
    #[serde(default)]
    pub request_id: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub quantity: String,
    /// Asset tags separated by spaces, commas or new lines.
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub idempotency_key: String,
}

/// Splits typed asset tags: upper case, separated by spaces, commas or new lines.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .map(|t| t.to_ascii_uppercase())
        .collect()
}

/// Marking a hospital's allocated units dispatched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchInput {
    pub campaign_id: CampaignId,
    pub hospital_id: HospitalId,
    /// Empty: every unit allocated to the hospital in the campaign.
    #[serde(default)]
    pub tags: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub dispatched_on: String,
    #[serde(default)]
    pub carrier: String,
}

/// A hospital's answer for one delivered unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmInput {
    pub hospital_id: HospitalId,
    pub tag: String,
    /// `accept` or `reject`.
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub reason: String,
}

/// A unit's functional status, with the reason when it is not working.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionInput {
    pub tag: String,
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub note: String,
}

/// A unit taken out of service for good (broken beyond repair, lost or stolen), with the
/// reason, which its staff history keeps (the public page says only that it was written off).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOffInput {
    pub tag: String,
    #[serde(default)]
    pub reason: String,
}

/// A unit as staff see it (the public sees [`PublicUnit`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: UnitId,
    pub tag: String,
    pub campaign_id: CampaignId,
    pub item_id: EquipmentItemId,
    pub item: Localized,
    pub purchase_id: Option<PurchaseId>,
    pub cost: Money,
    pub serial_no: Option<String>,
    pub status: UnitStatus,
    pub condition: UnitCondition,
    pub condition_note: Option<String>,
    pub hospital_id: Option<HospitalId>,
    pub hospital: Option<Localized>,
    pub request_id: Option<RequestId>,
    pub allocation_reason: Option<String>,
    pub dispatched_on: Option<String>,
    pub carrier: Option<String>,
    pub received_at: Option<String>,
}

/// One printable label: the tag as text and as a QR code of the unit's public page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub tag: String,
    pub item: Localized,
    pub serial_no: Option<String>,
    /// The address the QR code opens.
    pub url: String,
    pub qr: super::donation::QrSvg,
}

/// A hospital a campaign serves, as the allocation form offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedHospital {
    pub id: HospitalId,
    pub facility_code: String,
    pub name: Localized,
}

/// A unit's public page (`/units/{tag}`): no names of people, no internal notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicUnit {
    pub tag: String,
    pub item: Localized,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    /// From a purchase (its invoice date and the unit's price) or a gift in kind.
    pub purchase_id: Option<PurchaseId>,
    pub bought_on: Option<String>,
    pub price: Money,
    pub in_kind: bool,
    pub status: UnitStatus,
    pub condition: UnitCondition,
    pub hospital_id: Option<HospitalId>,
    pub facility_code: Option<String>,
    pub hospital: Option<Localized>,
    /// When the hospital confirmed it (RFC 3339), while it holds the unit.
    pub held_since: Option<String>,
    pub history: Vec<UnitEventPublic>,
}

/// One step of a unit's public history (what happened, where, when; no people).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEventPublic {
    pub kind: String,
    pub hospital: Option<Localized>,
    pub at: String,
}

/// A hospital's received units of one item from one campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsHeld {
    pub item: Localized,
    pub unit: Localized,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    pub count: i64,
    /// A few of the tags, for links.
    pub tags: Vec<String>,
}

/// A donor's share of one purchase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracePurchase {
    pub purchase_id: PurchaseId,
    pub invoice_date: String,
    pub total: Money,
    pub share: Money,
    pub items: Vec<(Localized, i64)>,
}

/// A unit a donor's money helped buy (or their own gift in kind).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceUnit {
    pub tag: String,
    pub item: Localized,
    pub status: UnitStatus,
    pub hospital_id: Option<HospitalId>,
    pub facility_code: Option<String>,
    pub hospital: Option<Localized>,
}

/// Where one received donation's money went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationTrace {
    pub donation_id: DonationId,
    pub campaign_id: CampaignId,
    pub amount: Money,
    /// The campaign's cash received, the denominator of every share.
    pub campaign_received: Money,
    pub in_kind: bool,
    pub purchases: Vec<TracePurchase>,
    pub units: Vec<TraceUnit>,
}

impl DonationTrace {
    /// The sum of the shares shown.
    pub fn total_share(&self) -> Money {
        Money::from_satang(self.purchases.iter().map(|p| p.share.satang()).sum())
    }
}

/// `amount × part ÷ whole`, rounded down to the satang (0 when `whole` is 0). A share never
/// exceeds `amount` when `part ≤ whole`.
pub fn pro_rata(amount: Money, part: Money, whole: Money) -> Money {
    if whole.satang() <= 0 {
        return Money::ZERO;
    }
    let s = i128::from(amount.satang()) * i128::from(part.satang()) / i128::from(whole.satang());
    Money::from_satang(i64::try_from(s).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(item: &str, quantity: &str, price: &str) -> PurchaseLineInput {
        PurchaseLineInput {
            item: item.into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            justification: String::new(),
        }
    }

    fn input(lines: Vec<PurchaseLineInput>) -> PurchaseInput {
        PurchaseInput {
            campaign_id: CampaignId(1),
            vendor_name: "ร้านเครื่องมือแพทย์".into(),
            vendor_tax_id: String::new(),
            invoice_no: "INV-1".into(),
            invoice_date: "2026-11-20".into(),
            lines,
            idempotency_key: "key-12345678".into(),
        }
    }

    fn fields(r: Result<NewPurchase, Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_purchase_totals_its_lines_and_skips_blank_ones() {
        let p = NewPurchase::parse(&input(vec![
            line("1", "2", "12,500.50"),
            line("", "", ""),
            line("3", "1", "99"),
        ]))
        .unwrap();
        assert_eq!(p.lines.len(), 2);
        assert_eq!(p.lines[1].line_no, 3);
        assert_eq!(p.total, Money::from_satang(2_510_000));
    }

    #[test]
    fn each_bad_line_field_is_named() {
        let r = NewPurchase::parse(&input(vec![
            line("1", "0", "10.005"),
            line("x", "1e9", "-1"),
            line("2", "abc", "ten"),
        ]));
        assert_eq!(
            fields(r),
            [
                "lines.1.quantity",
                "lines.1.unit_price",
                "lines.2.item",
                "lines.2.quantity",
                "lines.2.unit_price",
                "lines.3.quantity",
                "lines.3.unit_price"
            ]
        );
        assert_eq!(fields(NewPurchase::parse(&input(vec![]))), ["lines"]);
    }

    #[test]
    fn tax_ids_are_checked_by_their_check_digit() {
        assert_eq!(
            parse_tax_id("0-1055-46000-11-1").as_deref(),
            Ok("0105546000111")
        );
        assert!(parse_tax_id("0105546000112").is_err());
        assert!(parse_tax_id("12345").is_err());
        let mut i = input(vec![line("1", "1", "10")]);
        i.vendor_tax_id = "0105546000112".into();
        assert_eq!(fields(NewPurchase::parse(&i)), ["vendor_tax_id"]);
    }

    #[test]
    fn twenty_percent_over_reference_needs_a_reason() {
        let reference = Money::from_baht(10_000);
        assert!(!over_reference(Money::from_baht(12_000), reference));
        assert!(over_reference(Money::from_satang(1_200_001), reference));
    }

    #[test]
    fn shares_round_down_and_never_exceed_the_whole() {
        let third = pro_rata(
            Money::from_baht(100),
            Money::from_baht(1),
            Money::from_baht(3),
        );
        assert_eq!(third, Money::from_satang(3_333));
        assert_eq!(
            pro_rata(Money::from_baht(5), Money::ZERO, Money::ZERO),
            Money::ZERO
        );
        assert_eq!(
            pro_rata(
                Money::from_baht(7),
                Money::from_baht(9),
                Money::from_baht(9)
            ),
            Money::from_baht(7)
        );
    }

    #[test]
    fn tags_are_split_and_upper_cased() {
        assert_eq!(
            split_tags(" eq-1-00001,EQ-1-00002\nEQ-1-00003 "),
            ["EQ-1-00001", "EQ-1-00002", "EQ-1-00003"]
        );
    }
}
