//! Donations as typed and as shown: the forms of finance officers and donors parsed once into
//! valid values (each bad field with its own message in Thai and English), receipt numbers and
//! Thai fiscal years, and what a donor sees when they look their gift up.

pub use super::form::FieldErrors;
use super::status::DonationChannel;
use super::thai_id::NationalId;
use super::{CampaignId, EquipmentItemId, Money};
use crate::error::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest donor name kept (a company's full registered name fits).
pub const MAX_NAME: usize = 200;
/// The longest note or reason kept.
pub const MAX_NOTE: usize = 500;
/// Days after which an unpaid pledge lapses, unless its campaign says otherwise. A lapsed
/// pledge is not void: its money may still arrive and be received.
pub const PLEDGE_LAPSE_DAYS: i64 = 14;

mod batch;
mod receipt;
mod view;

pub use batch::*;
pub use receipt::*;
pub use view::*;

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
    /// Needed when `received_on` falls in an earlier fiscal year than today.
    #[serde(default)]
    pub backdate_reason: String,
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

/// A valid donation to record as received; built only by [`NewDonation::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewDonation {
    campaign_id: CampaignId,
    channel: DonationChannel,
    amount: Money,
    donor: DonorDetails,
    received_on: NaiveDate,
    backdate_reason: Option<String>,
    note: Option<String>,
    in_kind: Option<InKindLine>,
}

impl NewDonation {
    pub fn campaign_id(&self) -> CampaignId {
        self.campaign_id
    }
    pub fn channel(&self) -> DonationChannel {
        self.channel
    }
    pub fn amount(&self) -> Money {
        self.amount
    }
    pub fn donor(&self) -> &DonorDetails {
        &self.donor
    }
    pub fn received_on(&self) -> NaiveDate {
        self.received_on
    }
    /// Why a gift is dated in an earlier fiscal year than the one it was entered in.
    pub fn backdate_reason(&self) -> Option<&str> {
        self.backdate_reason.as_deref()
    }
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
    pub fn in_kind(&self) -> Option<&InKindLine> {
        self.in_kind.as_ref()
    }
}

/// The reason a gift dated `received_on` needs when that date falls in an earlier fiscal year
/// than `today`'s (a year whose e-Donation file may already be filed): at least 5 characters.
/// Returns the reason kept, if any.
pub fn backdate_reason(
    e: &mut FieldErrors,
    received_on: NaiveDate,
    today: NaiveDate,
    text: &str,
) -> Option<String> {
    let reason = e.optional("backdate_reason", text, MAX_NOTE);
    if fiscal_year(received_on) < fiscal_year(today)
        && reason.as_deref().is_none_or(|r| r.chars().count() < 5)
    {
        e.add(
            "backdate_reason",
            format!(
                "วันที่รับเงินอยู่ในปีงบประมาณ {} ซึ่งผ่านไปแล้ว กรุณาระบุเหตุผล (อย่างน้อย 5 ตัวอักษร)",
                fiscal_year(received_on)
            ),
            format!(
                "The date received falls in fiscal year {}, which has ended: write why (at least 5 characters).",
                fiscal_year(received_on)
            ),
        );
    }
    reason
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
        let backdate_reason = backdate_reason(&mut e, received_on, today, &input.backdate_reason);
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
            backdate_reason,
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
    let quantity = e.whole_number("quantity", quantity, 10_000, ("จำนวน", "The quantity"));
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

/// A valid pledge: promised, not yet in the fund; built only by [`NewPledge::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewPledge {
    campaign_id: CampaignId,
    amount: Money,
    donor: DonorDetails,
}

/// What a pledge and an envelope share: an amount, who gave (as far as they said) and the key
/// that makes sending it twice harmless. Returns the field errors found along the way.
pub(super) fn amount_and_donor(
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
    pub fn campaign_id(&self) -> CampaignId {
        self.campaign_id
    }
    pub fn amount(&self) -> Money {
        self.amount
    }
    pub fn donor(&self) -> &DonorDetails {
        &self.donor
    }

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

/// What a create answers; an idempotent replay answers the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DonationCreated {
    pub reference: String,
    pub receipt: Option<ReceiptNumber>,
}

#[cfg(test)]
mod tests;
