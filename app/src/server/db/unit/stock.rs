//! Units coming into stock (from a purchase line or a gift in kind) with their events, and voided
//! with the purchase or gift they came from.

use super::tag;
use crate::model::account::AccountId;
use crate::model::status::UnitStatus;
use crate::model::{
    CampaignId, DonationId, EquipmentItemId, HospitalId, Money, PurchaseId, RequestId, UnitId,
};
use crate::server::db::time;
use sqlx::AnyConnection;

/// Where new units come from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    Purchase { purchase: PurchaseId, line_no: i64 },
    Gift(DonationId),
}

/// New units of one item into stock, tagged from number `first` on; each gets its `stocked`
/// event. `costs` has one entry per unit; `serials` may be shorter.
#[allow(clippy::too_many_arguments)]
pub async fn stock(
    c: &mut AnyConnection,
    campaign: CampaignId,
    item: EquipmentItemId,
    source: Source,
    costs: &[Money],
    serials: &[Option<String>],
    first: i64,
    by: AccountId,
) -> Result<(), sqlx::Error> {
    let now = time::now();
    let (purchase, line_no, donation) = match source {
        Source::Purchase { purchase, line_no } => (Some(purchase.get()), Some(line_no), None),
        Source::Gift(d) => (None, None, Some(d.get())),
    };
    for (k, cost) in costs.iter().enumerate() {
        let serial = serials.get(k).cloned().flatten();
        let (id,): (i64,) = sqlx::query_as(
            "insert into equipment_unit (asset_tag, campaign_id, equipment_item_id, purchase_id,
               line_no, donation_id, cost_satang, serial_no, status, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, 'in_stock', $9, $9) returning equipment_unit_id",
        )
        .bind(tag(campaign, first + k as i64))
        .bind(campaign.get())
        .bind(item.get())
        .bind(purchase)
        .bind(line_no)
        .bind(donation)
        .bind(cost.satang())
        .bind(serial)
        .bind(now.as_str())
        .fetch_one(&mut *c)
        .await?;
        event(
            c,
            UnitId(id),
            "stocked",
            UnitStatus::InStock,
            None,
            None,
            None,
            by,
        )
        .await?;
    }
    Ok(())
}

/// Appends one event to a unit's history.
#[allow(clippy::too_many_arguments)]
pub async fn event(
    c: &mut AnyConnection,
    unit: UnitId,
    kind: &str,
    status: UnitStatus,
    hospital: Option<HospitalId>,
    request: Option<RequestId>,
    note: Option<&str>,
    by: AccountId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into equipment_unit_event (equipment_unit_id, kind, status, hospital_id,
           equipment_request_id, note, account_id, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(unit.get())
    .bind(kind)
    .bind(status.code())
    .bind(hospital.map(HospitalId::get))
    .bind(request.map(RequestId::get))
    .bind(note)
    .bind(by.0)
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(())
}

/// Voids every unit of a purchase, all of which must be in stock; answers the units voided, or
/// `None` (changing nothing) when any has left stock.
pub async fn void_of_purchase(
    c: &mut AnyConnection,
    purchase: PurchaseId,
) -> Result<Option<Vec<UnitId>>, sqlx::Error> {
    void_where(c, "purchase_id", purchase.get()).await
}

/// Voids every unit given in kind by a donation, as [`void_of_purchase`] does.
pub async fn void_of_gift(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<Option<Vec<UnitId>>, sqlx::Error> {
    void_where(c, "donation_id", donation.get()).await
}

async fn void_where(
    c: &mut AnyConnection,
    column: &str,
    id: i64,
) -> Result<Option<Vec<UnitId>>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "select equipment_unit_id, status from equipment_unit where {column} = $1 and status <> 'voided'"
    ))
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    if rows.iter().any(|(_, s)| s != "in_stock") {
        return Ok(None);
    }
    let done = sqlx::query(&format!(
        "update equipment_unit set status = 'voided', updated_at = $1 where {column} = $2 and status = 'in_stock'"
    ))
    .bind(time::now())
    .bind(id)
    .execute(&mut *c)
    .await?;
    // A unit allocated meanwhile (PostgreSQL re-checks the status on the locked row) is not
    // voided: then not every unit was in stock, and the caller rolls back.
    if done.rows_affected() != rows.len() as u64 {
        return Ok(None);
    }
    Ok(Some(rows.into_iter().map(|(u, _)| UnitId(u)).collect()))
}

/// Whether a gift in kind has been put into stock.
pub async fn gift_stocked(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from equipment_unit where donation_id = $1")
        .bind(donation.get())
        .fetch_one(c)
        .await?;
    Ok(n > 0)
}
