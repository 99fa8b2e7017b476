//! Units in the staff's hands: the allocation, dispatch, confirmation, condition and write-off
//! forms, and a unit, its label and the hospitals it may go to as staff see them.

use crate::model::status::{UnitCondition, UnitStatus};
use crate::model::{
    CampaignId, EquipmentItemId, HospitalId, Localized, Money, PurchaseId, RequestId, UnitId,
};
use serde::{Deserialize, Serialize};

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
    /// When rejecting, the condition the unit arrived in (`working`, `awaiting_repair` or
    /// `unusable`): it goes back to stock in that condition, so a broken unit is not sent on.
    #[serde(default)]
    pub condition: String,
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
    pub qr: crate::model::donation::QrSvg,
}

/// A purchase's labels and the site address their QR codes open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSheet {
    pub labels: Vec<Label>,
    /// The address in front of every label's link.
    pub base: String,
    /// Whether `PHAPA_PUBLIC_URL` named the address; otherwise it is the one this page was asked
    /// on, which a donor's phone may not reach.
    pub configured: bool,
}

impl LabelSheet {
    /// Whether the address can only be reached from this machine or its local network: stickers
    /// printed with it would open nothing for anyone who scans them.
    pub fn private_address(&self) -> bool {
        let rest = self
            .base
            .split_once("://")
            .map_or(self.base.as_str(), |(_, r)| r);
        if rest.starts_with('[') {
            // An IPv6 literal: no public label is printed with one.
            return true;
        }
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
            return ip.is_private()
                || ip.is_loopback()
                || ip.is_link_local()
                || ip.is_unspecified();
        }
        host == "localhost" || host.ends_with(".local") || host.ends_with(".localhost")
    }
}

/// A hospital a campaign serves, as the allocation form offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedHospital {
    pub id: HospitalId,
    pub facility_code: String,
    pub name: Localized,
}
