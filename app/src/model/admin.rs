//! What administrators type and see when they manage reference data and campaigns.

use super::status::{CampaignStatus, HospitalKind, PartnerKind};
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
    /// The legal recipient's 13-digit tax ID; receipts are issued in its name.
    #[serde(default)]
    pub recipient_tax_id: String,
    #[serde(default)]
    pub recipient_name_th: String,
    #[serde(default)]
    pub recipient_name_en: String,
    #[serde(default)]
    pub recipient_address: String,
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

/// Reads a hospital kind from a form value.
pub fn hospital_kind(code: &str) -> Option<HospitalKind> {
    HospitalKind::from_code(code)
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
