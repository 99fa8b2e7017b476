//! Equipment units (one row per physical piece) and their append-only events. A unit's row
//! changes only by the conditional updates here, each guarded by the status it leaves, so a unit
//! can never be allocated, dispatched or confirmed twice; the caller writes the event in the same
//! transaction.
//!
//! The row and its reading live here; the writes, the lists and the counts each have a file,
//! re-exported so callers keep writing `unit::…`.

mod counts;
mod lists;
mod moves;
mod stock;

pub use counts::*;
pub use lists::*;
pub use moves::*;
pub use stock::*;

use crate::model::equipment::UnitView;
use crate::model::loan::{CareState, HomeFigures};
use crate::model::status::{UnitCondition, UnitStatus};
use crate::model::{
    CampaignId, EquipmentItemId, HospitalId, Localized, Money, PurchaseId, RequestId, UnitId,
};
use sqlx::AnyConnection;

/// A unit as stored, with its item's and hospital's names.
#[derive(sqlx::FromRow)]
pub struct UnitRow {
    pub equipment_unit_id: i64,
    pub asset_tag: String,
    pub campaign_id: i64,
    pub equipment_item_id: i64,
    pub item_th: String,
    pub item_en: String,
    pub purchase_id: Option<i64>,
    pub donation_id: Option<i64>,
    pub cost_satang: i64,
    pub serial_no: Option<String>,
    pub status: String,
    pub condition: String,
    pub condition_note: Option<String>,
    pub hospital_id: Option<i64>,
    pub facility_code: Option<String>,
    pub hospital_th: Option<String>,
    pub hospital_en: Option<String>,
    pub equipment_request_id: Option<i64>,
    pub allocation_reason: Option<String>,
    pub dispatched_on: Option<String>,
    pub carrier: Option<String>,
    pub received_at: Option<String>,
    pub created_at: String,
    /// Where it is in its hospital's hands (`ready`, `on_loan`, …), and the figures of its loans.
    pub care: String,
    pub passing_to: Option<i64>,
    pub homes_served: i64,
    pub home_days: i64,
}

fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored unit {what} {value:?} is not known").into())
}

impl UnitRow {
    pub fn id(&self) -> UnitId {
        UnitId(self.equipment_unit_id)
    }
    pub fn campaign(&self) -> CampaignId {
        CampaignId(self.campaign_id)
    }
    pub fn hospital(&self) -> Option<HospitalId> {
        self.hospital_id.map(HospitalId)
    }
    pub fn request(&self) -> Option<RequestId> {
        self.equipment_request_id.map(RequestId)
    }
    pub fn status(&self) -> Result<UnitStatus, sqlx::Error> {
        UnitStatus::from_code(&self.status).ok_or_else(|| bad("status", &self.status))
    }
    pub fn condition(&self) -> Result<UnitCondition, sqlx::Error> {
        UnitCondition::from_code(&self.condition).ok_or_else(|| bad("condition", &self.condition))
    }
    pub fn care(&self) -> Result<CareState, sqlx::Error> {
        CareState::from_code(&self.care).ok_or_else(|| bad("care", &self.care))
    }
    /// Homes served, and days in homes of the loans that ended.
    pub fn figures(&self) -> HomeFigures {
        HomeFigures {
            homes_served: self.homes_served,
            days_in_homes: self.home_days,
        }
    }
    pub fn hospital_name(&self) -> Option<Localized> {
        self.hospital_th.as_ref().map(|th| Localized {
            th: th.clone(),
            en: self.hospital_en.clone(),
        })
    }

    pub fn view(self) -> Result<UnitView, sqlx::Error> {
        Ok(UnitView {
            id: self.id(),
            status: self.status()?,
            condition: self.condition()?,
            hospital: self.hospital_name(),
            hospital_id: self.hospital(),
            request_id: self.request(),
            campaign_id: self.campaign(),
            tag: self.asset_tag,
            item_id: EquipmentItemId(self.equipment_item_id),
            item: Localized::new(self.item_th, self.item_en),
            purchase_id: self.purchase_id.map(PurchaseId),
            cost: Money::from_satang(self.cost_satang),
            serial_no: self.serial_no,
            condition_note: self.condition_note,
            allocation_reason: self.allocation_reason,
            dispatched_on: self.dispatched_on,
            carrier: self.carrier,
            received_at: self.received_at,
        })
    }
}

const SELECT: &str = "select u.equipment_unit_id, u.asset_tag, u.campaign_id, u.equipment_item_id,
    i.name_th as item_th, i.name_en as item_en, u.purchase_id, u.donation_id, u.cost_satang,
    u.serial_no, u.status, u.condition, u.condition_note, u.hospital_id, h.facility_code,
    h.name_th as hospital_th, h.name_en as hospital_en, u.equipment_request_id,
    u.allocation_reason, u.dispatched_on, u.carrier, u.received_at, u.created_at,
    u.care, u.passing_to, u.homes_served, u.home_days
    from equipment_unit u
    join equipment_item i on i.equipment_item_id = u.equipment_item_id
    left join hospital h on h.hospital_id = u.hospital_id";

/// The asset tag of a campaign's `n`th unit: `EQ-<campaign>-<n, five digits>`.
pub fn tag(campaign: CampaignId, n: i64) -> String {
    format!("EQ-{}-{n:05}", campaign.get())
}

/// A unit by its tag.
pub async fn by_tag(c: &mut AnyConnection, tag: &str) -> Result<Option<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where u.asset_tag = $1"))
        .bind(tag)
        .fetch_optional(c)
        .await
}
