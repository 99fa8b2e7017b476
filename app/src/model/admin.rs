//! What administrators type and see when they manage reference data and campaigns.

use super::status::{CampaignStatus, PartnerKind};
use super::{CampaignId, EquipmentItemId, Localized, Money, PartnerId};
use serde::{Deserialize, Serialize};

/// A hospital as typed in the add/edit form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalInput {
    pub facility_code: String,
    pub name_th: String,
    #[serde(default)]
    pub name_en: String,
    pub subdistrict_code: String,
    pub kind: String,
    /// Makes a repeated add (double click, retry) add one hospital; unused by an edit.
    #[serde(default)]
    pub idempotency_key: String,
}

/// A catalog item as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemInput {
    pub code: String,
    pub name_th: String,
    pub name_en: String,
    pub unit_th: String,
    pub unit_en: String,
    /// Baht as typed, e.g. `18,000` or `4500.50`.
    pub reference_price: String,
    /// Makes a repeated add add one item; unused by an edit.
    #[serde(default)]
    pub idempotency_key: String,
}

/// A catalog item as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub id: EquipmentItemId,
    pub code: String,
    pub name: Localized,
    pub unit: Localized,
    pub reference_price: Money,
}

/// A partner as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerInput {
    pub name_th: String,
    #[serde(default)]
    pub name_en: String,
    pub kind: String,
    /// Makes a repeated add add one partner; unused by an edit.
    #[serde(default)]
    pub idempotency_key: String,
}

/// A partner as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub id: PartnerId,
    pub name: Localized,
    pub kind: PartnerKind,
}

/// A campaign's editable fields as typed. Dates are `YYYY-MM-DD` (what a date input sends).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignInput {
    pub title_th: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub story_th: String,
    #[serde(default)]
    pub story_en: String,
    pub goal: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub ceremony_on: String,
    #[serde(default)]
    pub ceremony_place_th: String,
    #[serde(default)]
    pub ceremony_place_en: String,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub bank_account_no: String,
    #[serde(default)]
    pub bank_account_name: String,
    #[serde(default)]
    pub promptpay_id: String,
    /// The Thai QR bill-payment Biller ID (15 digits: a tax ID and a 2-digit suffix); when set,
    /// pledges' QR codes are bill payments carrying their reference. Empty is none.
    #[serde(default)]
    pub biller_id: String,
    /// The legal recipient's 13-digit tax ID; receipts are issued in its name.
    #[serde(default)]
    pub recipient_tax_id: String,
    #[serde(default)]
    pub recipient_name_th: String,
    #[serde(default)]
    pub recipient_name_en: String,
    #[serde(default)]
    pub recipient_address: String,
    /// Makes a repeated create create one draft; unused by an edit.
    #[serde(default)]
    pub idempotency_key: String,
}

/// One wishlist line as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WishlistEntry {
    pub item_id: EquipmentItemId,
    pub item: Localized,
    pub quantity: i64,
}

/// Everything the campaign edit page shows, drafts included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignAdmin {
    pub id: CampaignId,
    pub status: CampaignStatus,
    pub input: CampaignInput,
    pub wishlist: Vec<WishlistEntry>,
    pub partners: Vec<Partner>,
    /// Facility code and name of each hospital served.
    pub hospitals: Vec<(String, Localized)>,
    /// Requests to change the receiving account, newest first (a waiting one, if any, first).
    pub payee_changes: Vec<PayeeChange>,
}

/// A campaign's receiving account: where donors' money goes. Empty fields are `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payee {
    pub promptpay_id: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account_no: Option<String>,
    pub bank_account_name: Option<String>,
}

impl Payee {
    /// Each field's form name, label and value, in the order forms show them.
    pub fn fields(&self) -> [(&'static str, &'static str, &'static str, Option<&str>); 4] {
        [
            (
                "promptpay_id",
                "พร้อมเพย์",
                "PromptPay",
                self.promptpay_id.as_deref(),
            ),
            ("bank_name", "ธนาคาร", "Bank", self.bank_name.as_deref()),
            (
                "bank_account_no",
                "เลขที่บัญชี",
                "Account number",
                self.bank_account_no.as_deref(),
            ),
            (
                "bank_account_name",
                "ชื่อบัญชี",
                "Account name",
                self.bank_account_name.as_deref(),
            ),
        ]
    }
}

/// A request to change a public campaign's receiving account, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayeeInput {
    #[serde(default)]
    pub promptpay_id: String,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub bank_account_no: String,
    #[serde(default)]
    pub bank_account_name: String,
    /// Why the account changes (shown to the finance officer who decides).
    #[serde(default)]
    pub note: String,
}

/// Where a change request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayeeChangeStatus {
    Pending,
    Approved,
    Rejected,
}

impl PayeeChangeStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            PayeeChangeStatus::Pending => "pending",
            PayeeChangeStatus::Approved => "approved",
            PayeeChangeStatus::Rejected => "rejected",
        }
    }

    /// Reads a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The label shown to people.
    pub fn label(self, lang: super::Lang) -> &'static str {
        match self {
            PayeeChangeStatus::Pending => lang.pick("รออนุมัติ", "Waiting for approval"),
            PayeeChangeStatus::Approved => lang.pick("อนุมัติแล้ว", "Approved"),
            PayeeChangeStatus::Rejected => lang.pick("ไม่อนุมัติ", "Rejected"),
        }
    }
}

/// A request to change a campaign's receiving account, as administrators and finance officers
/// see it: the account now, the account asked for, and who asked and decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayeeChange {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    /// The campaign's account as it is now (for an approved request: after it was applied).
    pub current: Payee,
    pub requested: Payee,
    pub note: Option<String>,
    pub status: PayeeChangeStatus,
    pub requested_by: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decision_reason: Option<String>,
}

/// A campaign in the administrators' list (drafts included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignListing {
    pub id: CampaignId,
    pub title: Localized,
    pub status: CampaignStatus,
    pub goal: Money,
    pub raised: Money,
}

/// Which status changes are allowed: a draft opens, an open campaign closes. Settling a closed
/// campaign belongs to the finance officers' reconciliation.
pub fn can_move(from: CampaignStatus, to: CampaignStatus) -> bool {
    matches!(
        (from, to),
        (CampaignStatus::Draft, CampaignStatus::Open)
            | (CampaignStatus::Open, CampaignStatus::Closed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaigns_only_move_forward_one_step() {
        use CampaignStatus::*;
        assert!(can_move(Draft, Open));
        assert!(can_move(Open, Closed));
        assert!(!can_move(Draft, Closed));
        assert!(!can_move(Closed, Open));
        assert!(!can_move(Open, Draft));
        assert!(!can_move(Closed, Settled));
    }
}
