//! The conditional updates that move a unit: allocation, dispatch, acceptance or rejection,
//! condition and write-off, each guarded by the status it leaves, and the request each fulfils.

use super::{UnitRow, SELECT};
use crate::model::status::{UnitCondition, UnitStatus};
use crate::model::{CampaignId, EquipmentItemId, HospitalId, RequestId, UnitId};
use crate::server::db::time;
use sqlx::AnyConnection;

/// Up to `count` of a campaign's units of `item` in stock and working, oldest first.
pub async fn in_stock(
    c: &mut AnyConnection,
    campaign: CampaignId,
    item: EquipmentItemId,
    count: i64,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.campaign_id = $1 and u.equipment_item_id = $2 and u.status = 'in_stock'
         and u.condition = 'working' order by u.equipment_unit_id limit $3"
    ))
    .bind(campaign.get())
    .bind(item.get())
    .bind(count)
    .fetch_all(c)
    .await
}

/// Units a campaign has allocated to a hospital and not yet dispatched.
pub async fn allocated_to(
    c: &mut AnyConnection,
    campaign: CampaignId,
    hospital: HospitalId,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.campaign_id = $1 and u.hospital_id = $2 and u.status = 'allocated'
         order by u.equipment_unit_id"
    ))
    .bind(campaign.get())
    .bind(hospital.get())
    .fetch_all(c)
    .await
}

/// Moves a unit from stock to a hospital.
pub async fn allocate(
    c: &mut AnyConnection,
    unit: UnitId,
    hospital: HospitalId,
    request: Option<RequestId>,
    reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set status = 'allocated', hospital_id = $1, equipment_request_id = $2,
         allocation_reason = $3, updated_at = $4
         where equipment_unit_id = $5 and status = 'in_stock' and condition = 'working'",
    )
    .bind(hospital.get())
    .bind(request.map(RequestId::get))
    .bind(reason)
    .bind(time::now())
    .bind(unit.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an allocated unit on its way to its hospital.
pub async fn dispatch(
    c: &mut AnyConnection,
    unit: UnitId,
    hospital: HospitalId,
    on: &str,
    carrier: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set status = 'dispatched', dispatched_on = $1, carrier = $2, updated_at = $3
         where equipment_unit_id = $4 and status = 'allocated' and hospital_id = $5",
    )
    .bind(on)
    .bind(carrier)
    .bind(time::now())
    .bind(unit.get())
    .bind(hospital.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The hospital accepts a unit on its way to it.
pub async fn accept(
    c: &mut AnyConnection,
    unit: UnitId,
    hospital: HospitalId,
) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update equipment_unit set status = 'received', received_at = $1, updated_at = $1
         where equipment_unit_id = $2 and status = 'dispatched' and hospital_id = $3",
    )
    .bind(now.as_str())
    .bind(unit.get())
    .bind(hospital.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The hospital rejects a unit on its way to it: it goes back to stock, free of hospital and
/// request (its events keep where it went).
pub async fn send_back(
    c: &mut AnyConnection,
    unit: UnitId,
    hospital: HospitalId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set status = 'in_stock', hospital_id = null, equipment_request_id = null,
         allocation_reason = null, dispatched_on = null, carrier = null, updated_at = $1
         where equipment_unit_id = $2 and status = 'dispatched' and hospital_id = $3",
    )
    .bind(time::now())
    .bind(unit.get())
    .bind(hospital.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a unit out of service for good, from the status it was read in (in stock or received
/// by a hospital); answers false, changing nothing, when it moved meanwhile. It leaves every
/// hospital (its events keep where it was) and keeps its `received_at`, so a unit that reached
/// a hospital still counts as delivered.
pub async fn write_off(
    c: &mut AnyConnection,
    unit: UnitId,
    from: UnitStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set status = 'written_off', hospital_id = null, care = 'ready',
           updated_at = $1
         where equipment_unit_id = $2 and status = $3 and care in ('ready', 'cleaning', 'repair')",
    )
    .bind(time::now())
    .bind(unit.get())
    .bind(from.code())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a unit's functional status.
pub async fn set_condition(
    c: &mut AnyConnection,
    unit: UnitId,
    condition: UnitCondition,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update equipment_unit set condition = $1, condition_note = $2, updated_at = $3
         where equipment_unit_id = $4",
    )
    .bind(condition.code())
    .bind(note)
    .bind(time::now())
    .bind(unit.get())
    .execute(c)
    .await?;
    Ok(())
}

/// Units already moving towards a request's hospital (allocated or dispatched).
pub async fn on_the_way_for(c: &mut AnyConnection, request: RequestId) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from equipment_unit where equipment_request_id = $1
         and status in ('allocated', 'dispatched')",
    )
    .bind(request.get())
    .fetch_one(c)
    .await?;
    Ok(n)
}

/// A confirmed unit counts towards its request: partly fulfilled, or fulfilled when every
/// approved unit has arrived.
pub async fn fulfil(c: &mut AnyConnection, request: RequestId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update equipment_request set fulfilled_quantity = fulfilled_quantity + 1,
           status = case when fulfilled_quantity + 1 >= approved_quantity then 'fulfilled' else 'partly_fulfilled' end,
           updated_at = $1
         where equipment_request_id = $2 and status in ('approved', 'partly_fulfilled')",
    )
    .bind(time::now())
    .bind(request.get())
    .execute(c)
    .await?;
    Ok(())
}
