//! Equipment requests (คำขอครุภัณฑ์): what a hospital asks a campaign for, why, and how a finance
//! officer decided. Forms are read here into valid values; the rules that need storage (the
//! campaign serves the hospital, the item exists, who may act) are in the request service.
//!
//! Just over 400 lines, a fifth of them tests: one request's form, decision and views, kept
//! together because they share the limits and the terms a request is judged on.

use super::form::FieldErrors;
use super::status::{Priority, RequestStatus};
use super::{CampaignId, EquipmentItemId, HospitalId, Localized, RequestId};
use crate::error::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most units one request may ask for.
pub const MAX_QUANTITY: i64 = 1_000;
/// The largest patient or unit count a request may state.
pub const MAX_COUNT: i64 = 100_000;
/// The longest reason or decision note.
pub const MAX_REASON: usize = 2_000;

/// A request form as posted. Numbers arrive as text so that each bad one gets its own message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInput {
    pub campaign_id: CampaignId,
    pub hospital_id: HospitalId,
    /// The catalog item's id.
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub patients_homebound: String,
    #[serde(default)]
    pub patients_bedbound: String,
    #[serde(default)]
    pub patients_end_of_life: String,
    #[serde(default)]
    pub units_held: String,
    #[serde(default)]
    pub reason: String,
    /// `urgent` or `normal`.
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub idempotency_key: String,
}

/// The need behind a request, as counts only: patients at home by Barthel ADL group and the
/// units of the item the hospital already holds. No patient is named anywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// ติดบ้าน
    pub homebound: i64,
    /// ติดเตียง
    pub bedbound: i64,
    /// ระยะท้าย
    pub end_of_life: i64,
    pub units_held: i64,
}

impl Need {
    /// Patients in all three groups.
    pub fn patients(&self) -> i64 {
        self.homebound + self.bedbound + self.end_of_life
    }

    /// Patients per unit already held (a hospital holding none counts as holding one), in
    /// hundredths, for sorting the review queue by need without fractions.
    pub fn per_unit_held_x100(&self) -> i64 {
        self.patients().saturating_mul(100) / self.units_held.max(1)
    }
}

/// A valid request; built only by [`NewRequest::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewRequest {
    campaign: CampaignId,
    hospital: HospitalId,
    item: EquipmentItemId,
    terms: RequestTerms,
}

/// What a hospital may still change while its request is submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestTerms {
    quantity: i64,
    need: Need,
    reason: String,
    priority: Priority,
}

impl NewRequest {
    pub fn parse(input: &RequestInput) -> Result<NewRequest, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let item = input
            .item
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(EquipmentItemId);
        if item.is_none() {
            e.add(
                "item",
                "กรุณาเลือกครุภัณฑ์จากรายการ",
                "Choose an item from the catalog.",
            );
        }
        let terms = RequestTerms::read(&mut e, input);
        e.idempotency_key(&input.idempotency_key);
        e.into_result(NewRequest {
            campaign: input.campaign_id,
            hospital: input.hospital_id,
            item: item.unwrap_or(EquipmentItemId(0)),
            terms,
        })
    }

    pub fn campaign(&self) -> CampaignId {
        self.campaign
    }
    pub fn hospital(&self) -> HospitalId {
        self.hospital
    }
    pub fn item(&self) -> EquipmentItemId {
        self.item
    }
    pub fn terms(&self) -> &RequestTerms {
        &self.terms
    }
}

impl RequestTerms {
    /// The changeable fields of a request form (item, campaign and hospital are not read here).
    pub fn parse(input: &RequestInput) -> Result<RequestTerms, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let terms = RequestTerms::read(&mut e, input);
        e.into_result(terms)
    }

    fn read(e: &mut FieldErrors, input: &RequestInput) -> RequestTerms {
        let quantity = e
            .whole_number(
                "quantity",
                &input.quantity,
                MAX_QUANTITY,
                ("จำนวนที่ขอ", "The quantity"),
            )
            .unwrap_or(0);
        let need = Need {
            homebound: e.count(
                "patients_homebound",
                &input.patients_homebound,
                MAX_COUNT,
                ("จำนวนผู้ป่วยติดบ้าน", "The number of home-bound patients"),
            ),
            bedbound: e.count(
                "patients_bedbound",
                &input.patients_bedbound,
                MAX_COUNT,
                ("จำนวนผู้ป่วยติดเตียง", "The number of bed-bound patients"),
            ),
            end_of_life: e.count(
                "patients_end_of_life",
                &input.patients_end_of_life,
                MAX_COUNT,
                ("จำนวนผู้ป่วยระยะท้าย", "The number of end-of-life patients"),
            ),
            units_held: e.count(
                "units_held",
                &input.units_held,
                MAX_COUNT,
                ("จำนวนที่มีอยู่แล้ว", "The number of units already held"),
            ),
        };
        let reason = e.required("reason", &input.reason, MAX_REASON);
        let priority = match input.priority.trim() {
            "" | "normal" => Priority::Normal,
            "urgent" => Priority::Urgent,
            _ => {
                e.add(
                    "priority",
                    "ความเร่งด่วนต้องเป็น ด่วน หรือ ปกติ",
                    "Priority must be urgent or normal.",
                );
                Priority::Normal
            }
        };
        RequestTerms {
            quantity,
            need,
            reason,
            priority,
        }
    }

    pub fn quantity(&self) -> i64 {
        self.quantity
    }
    pub fn need(&self) -> Need {
        self.need
    }
    pub fn reason(&self) -> &str {
        &self.reason
    }
    pub fn priority(&self) -> Priority {
        self.priority
    }
}

/// A finance officer's decision as posted: approve (`quantity` empty means as asked) or reject,
/// always with a reason the hospital sees.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInput {
    pub request_id: RequestId,
    #[serde(default)]
    pub approve: bool,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub reason: String,
    /// The request's `version` as the decider read it: required, so a decision lands only on
    /// the request its decider saw (a hospital's edit meanwhile makes it a 409).
    #[serde(default)]
    pub seen: String,
}

/// A valid decision; built only by [`Decision::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approve this many units (`None`: as many as asked).
    Approve {
        quantity: Option<i64>,
        reason: String,
    },
    Reject {
        reason: String,
    },
}

impl Decision {
    pub fn parse(input: &DecisionInput) -> Result<Decision, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let reason = e.required("reason", &input.reason, MAX_REASON);
        if input.seen.trim().is_empty() {
            e.add(
                "seen",
                "ไม่ทราบว่าตัดสินจากคำขอฉบับใด กรุณาโหลดหน้าใหม่แล้วตัดสินอีกครั้ง",
                "The decision must name the version of the request it was made on (seen); reload the page and decide again.",
            );
        }
        let decision = if input.approve {
            let quantity = if input.quantity.trim().is_empty() {
                None
            } else {
                e.whole_number(
                    "quantity",
                    &input.quantity,
                    MAX_QUANTITY,
                    ("จำนวนที่อนุมัติ", "The approved quantity"),
                )
            };
            Decision::Approve { quantity, reason }
        } else {
            Decision::Reject { reason }
        };
        e.into_result(decision)
    }
}

/// One change in a request's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    /// `submitted`, `edited`, `withdrawn`, `approved` or `rejected`.
    pub kind: String,
    pub status: RequestStatus,
    pub quantity: Option<i64>,
    pub note: Option<String>,
    /// Who acted (display name), when known.
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// A request as its hospital and finance officers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: RequestId,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    pub hospital_id: HospitalId,
    pub facility_code: String,
    pub hospital: Localized,
    pub district_code: i64,
    pub district: Localized,
    pub item_id: EquipmentItemId,
    pub item: Localized,
    pub unit: Localized,
    pub quantity: i64,
    pub approved_quantity: Option<i64>,
    pub fulfilled_quantity: i64,
    pub need: Need,
    pub reason: String,
    pub priority: Priority,
    pub status: RequestStatus,
    /// The reason given with the latest approval or rejection.
    pub decision_note: Option<String>,
    /// The stored `updated_at`, sent back with a decision so it lands only on what was read.
    pub version: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first; empty in lists.
    pub events: Vec<RequestEvent>,
}

/// An open request as the public sees it: what and how urgently, never the need's details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicRequest {
    pub item: Localized,
    pub unit: Localized,
    pub quantity: i64,
    /// Units still to arrive: the quantity less those the hospital has confirmed.
    pub missing: i64,
    pub priority: Priority,
    pub status: RequestStatus,
}

impl From<&RequestView> for PublicRequest {
    fn from(r: &RequestView) -> Self {
        PublicRequest {
            item: r.item.clone(),
            unit: r.unit.clone(),
            quantity: r.approved_quantity.unwrap_or(r.quantity),
            missing: (r.approved_quantity.unwrap_or(r.quantity) - r.fulfilled_quantity).max(0),
            priority: r.priority,
            status: r.status,
        }
    }
}

/// How the review queue is ordered and narrowed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub campaign_id: CampaignId,
    /// Only this district's hospitals.
    #[serde(default)]
    pub district_code: Option<i64>,
    #[serde(default)]
    pub item_id: Option<EquipmentItemId>,
    /// `need` (patients per unit held, highest first) or, by default, priority then age.
    #[serde(default)]
    pub sort: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RequestInput {
        RequestInput {
            campaign_id: CampaignId(1),
            hospital_id: HospitalId(2),
            item: "3".into(),
            quantity: "2".into(),
            patients_homebound: "4".into(),
            patients_bedbound: "3".into(),
            patients_end_of_life: "".into(),
            units_held: "1".into(),
            reason: "เตียงเดิมชำรุด".into(),
            priority: "urgent".into(),
            idempotency_key: "key-0123456789".into(),
        }
    }

    fn fields(input: &RequestInput) -> Vec<String> {
        NewRequest::parse(input)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect()
    }

    #[test]
    fn a_good_request_parses_with_its_need() {
        let r = NewRequest::parse(&input()).expect("valid");
        assert_eq!(r.item(), EquipmentItemId(3));
        assert_eq!(r.terms().quantity(), 2);
        assert_eq!(r.terms().need().patients(), 7);
        assert_eq!(r.terms().priority(), Priority::Urgent);
        assert_eq!(r.terms().need().per_unit_held_x100(), 700);
    }

    #[test]
    fn every_bad_field_is_named() {
        for bad in ["0", "-1", "1e9", "1000000000", "สอง", "", "2.5"] {
            let mut i = input();
            i.quantity = bad.into();
            assert_eq!(fields(&i), ["quantity"], "quantity {bad:?}");
        }
        let mut i = input();
        i.item = "bed".into();
        i.patients_bedbound = "-3".into();
        i.units_held = "lots".into();
        i.reason = "   ".into();
        i.priority = "tomorrow".into();
        i.idempotency_key = "x".into();
        assert_eq!(
            fields(&i),
            [
                "item",
                "patients_bedbound",
                "units_held",
                "reason",
                "priority",
                "idempotency_key"
            ]
        );
    }

    #[test]
    fn a_decision_needs_a_reason_and_a_sane_quantity() {
        let mut d = DecisionInput {
            request_id: RequestId(1),
            approve: true,
            quantity: "".into(),
            reason: "ตามความจำเป็น".into(),
            seen: String::new(),
        };
        let unseen = Decision::parse(&d).unwrap_err();
        assert_eq!(
            unseen[0].field, "seen",
            "a decision names the version it read"
        );
        d.seen = "2026-11-20T10:00:00.000000Z".into();
        assert!(matches!(
            Decision::parse(&d),
            Ok(Decision::Approve { quantity: None, .. })
        ));
        d.quantity = "0".into();
        assert!(Decision::parse(&d).is_err());
        d.quantity = "1".into();
        d.reason = " ".into();
        assert!(Decision::parse(&d).is_err());
        d.approve = false;
        d.reason = "งบไม่พอ".into();
        assert!(matches!(Decision::parse(&d), Ok(Decision::Reject { .. })));
    }
}
