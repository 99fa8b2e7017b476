//! Purchases: the form as posted, read into a valid purchase (vendor, invoice, lines within the
//! reference prices or justified), and the purchase and fund balance as finance officers see them.

use super::{EventView, MAX_LINES, MAX_LINE_QUANTITY, MAX_NOTE};
use crate::error::FieldError;
use crate::model::form::FieldErrors;
use crate::model::status::PurchaseStatus;
use crate::model::thai_id::is_valid_13;
use crate::model::{CampaignId, EquipmentItemId, Localized, Money, PurchaseId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
            Some(t) if t <= crate::model::money::MAX_ENTRY => t,
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
    /// Why it waits for a second officer: the vendor's total in the campaign over 30 days, this
    /// purchase included, when that total (not the purchase alone) crossed the threshold.
    pub vendor_window: Option<Money>,
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
