//! Units and their histories as the pages list them: a hospital's, a campaign's, a purchase's or a
//! gift's units, what hospitals hold, and the purchases a donation's money shares in.

use super::{UnitRow, SELECT};
use crate::model::equipment::{EventView, UnitEventPublic};
use crate::model::{CampaignId, DonationId, HospitalId, Localized, PurchaseId, UnitId};
use sqlx::AnyConnection;

/// A hospital's units: allocated, on the way and received.
pub async fn of_hospital(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.hospital_id = $1 order by u.status, u.equipment_unit_id"
    ))
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// A campaign's units (voided ones last).
pub async fn of_campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.campaign_id = $1 order by u.status = 'voided', u.equipment_unit_id"
    ))
    .bind(campaign.get())
    .fetch_all(c)
    .await
}

/// A purchase's units, in tag order.
pub async fn of_purchase(
    c: &mut AnyConnection,
    purchase: PurchaseId,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.purchase_id = $1 order by u.equipment_unit_id"
    ))
    .bind(purchase.get())
    .fetch_all(c)
    .await
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    kind: String,
    hospital_id: Option<i64>,
    note: Option<String>,
    by_name: Option<String>,
    created_at: String,
}

/// A unit's history for staff, oldest first.
pub async fn history(c: &mut AnyConnection, unit: UnitId) -> Result<Vec<EventView>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "select e.kind, e.hospital_id, e.note, a.display_name as by_name, e.created_at
         from equipment_unit_event e left join account a on a.account_id = e.account_id
         where e.equipment_unit_id = $1 order by e.equipment_unit_event_id",
    )
    .bind(unit.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| EventView {
            kind: r.kind,
            hospital_id: r.hospital_id.map(HospitalId),
            note: r.note,
            by: r.by_name,
            at: r.created_at,
        })
        .collect())
}

/// A unit's history for the public: what happened, at which hospital, when.
pub async fn public_history(
    c: &mut AnyConnection,
    unit: UnitId,
) -> Result<Vec<UnitEventPublic>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "select e.kind, h.name_th, h.name_en, e.created_at from equipment_unit_event e
         left join hospital h on h.hospital_id = e.hospital_id
           and e.kind in ('allocated', 'dispatched', 'accepted', 'rejected', 'written_off')
         where e.equipment_unit_id = $1 and e.kind <> 'condition' order by e.equipment_unit_event_id",
    )
    .bind(unit.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, th, en, at)| UnitEventPublic {
            kind,
            hospital: th.map(|th| Localized { th, en }),
            at,
        })
        .collect())
}

/// A hospital's received units grouped by campaign and item:
/// (campaign, title th, title en, item th, item en, unit th, unit en, count, first tags).
#[derive(sqlx::FromRow)]
pub struct HeldRow {
    pub campaign_id: i64,
    pub equipment_item_id: i64,
    pub title_th: String,
    pub title_en: Option<String>,
    pub item_th: String,
    pub item_en: String,
    pub unit_th: String,
    pub unit_en: String,
    pub count: i64,
}

/// What a hospital has received, by campaign and item.
pub async fn held_by(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<HeldRow>, sqlx::Error> {
    sqlx::query_as(
        "select u.campaign_id, i.equipment_item_id, c.title_th, c.title_en, i.name_th as item_th, i.name_en as item_en,
           i.unit_th, i.unit_en, count(*) as count
         from equipment_unit u join campaign c on c.campaign_id = u.campaign_id
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where u.hospital_id = $1 and u.status = 'received'
         group by u.campaign_id, c.title_th, c.title_en, i.equipment_item_id, i.name_th, i.name_en, i.unit_th, i.unit_en
         order by u.campaign_id, i.equipment_item_id",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// The tags of a hospital's received units (for links on its public page).
pub async fn held_tags(
    c: &mut AnyConnection,
    hospital: HospitalId,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "select u.campaign_id, u.equipment_item_id, u.asset_tag from equipment_unit u
         where u.hospital_id = $1 and u.status = 'received' order by u.equipment_unit_id",
    )
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// Units of a set of purchases or of one gift in kind, for a donor's trace.
pub async fn of_purchases(
    c: &mut AnyConnection,
    purchases: &[PurchaseId],
) -> Result<Vec<UnitRow>, sqlx::Error> {
    let mut out = Vec::new();
    for p in purchases {
        out.extend(of_purchase(c, *p).await?);
    }
    out.retain(|u| u.status != "voided");
    Ok(out)
}

/// Units given in kind by a donation.
pub async fn of_gift(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.donation_id = $1 and u.status <> 'voided' order by u.equipment_unit_id"
    ))
    .bind(donation.get())
    .fetch_all(c)
    .await
}

/// A campaign's approved purchases, oldest first: (id, invoice date, total).
pub async fn spent_purchases(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select purchase_id, invoice_date, total_satang from purchase
         where campaign_id = $1 and status = 'approved' order by purchase_id",
    )
    .bind(campaign.get())
    .fetch_all(c)
    .await
}
