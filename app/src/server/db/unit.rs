//! Equipment units (one row per physical piece) and their append-only events. A unit's row
//! changes only by the conditional updates here, each guarded by the status it leaves, so a unit
//! can never be allocated, dispatched or confirmed twice; the caller writes the event in the same
//! transaction.

use super::{time, Db, Tx};
use crate::model::account::AccountId;
use crate::model::equipment::{EventView, UnitEventPublic, UnitView};
use crate::model::status::{UnitCondition, UnitStatus};
use crate::model::{
    CampaignId, DonationId, EquipmentItemId, HospitalId, Localized, Money, PurchaseId, RequestId,
    UnitId,
};

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
    u.allocation_reason, u.dispatched_on, u.carrier, u.received_at, u.created_at
    from equipment_unit u
    join equipment_item i on i.equipment_item_id = u.equipment_item_id
    left join hospital h on h.hospital_id = u.hospital_id";

/// The asset tag of a campaign's `n`th unit: `EQ-<campaign>-<n, five digits>`.
pub fn tag(campaign: CampaignId, n: i64) -> String {
    format!("EQ-{}-{n:05}", campaign.get())
}

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
    tx: &mut Tx,
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
        .fetch_one(&mut **tx)
        .await?;
        event(
            tx,
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
    tx: &mut Tx,
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A unit by its tag, inside a write transaction.
pub async fn by_tag_tx(tx: &mut Tx, tag: &str) -> Result<Option<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where u.asset_tag = $1"))
        .bind(tag)
        .fetch_optional(&mut **tx)
        .await
}

/// A unit by its tag.
pub async fn by_tag(db: &Db, tag: &str) -> Result<Option<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where u.asset_tag = $1"))
        .bind(tag)
        .fetch_optional(db.reader())
        .await
}

/// Up to `count` of a campaign's units of `item` in stock and working, oldest first.
pub async fn in_stock(
    tx: &mut Tx,
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
    .fetch_all(&mut **tx)
    .await
}

/// Units a campaign has allocated to a hospital and not yet dispatched.
pub async fn allocated_to(
    tx: &mut Tx,
    campaign: CampaignId,
    hospital: HospitalId,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.campaign_id = $1 and u.hospital_id = $2 and u.status = 'allocated'
         order by u.equipment_unit_id"
    ))
    .bind(campaign.get())
    .bind(hospital.get())
    .fetch_all(&mut **tx)
    .await
}

/// Moves a unit from stock to a hospital.
pub async fn allocate(
    tx: &mut Tx,
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
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an allocated unit on its way to its hospital.
pub async fn dispatch(
    tx: &mut Tx,
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
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The hospital accepts a unit on its way to it.
pub async fn accept(tx: &mut Tx, unit: UnitId, hospital: HospitalId) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update equipment_unit set status = 'received', received_at = $1, updated_at = $1
         where equipment_unit_id = $2 and status = 'dispatched' and hospital_id = $3",
    )
    .bind(now.as_str())
    .bind(unit.get())
    .bind(hospital.get())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The hospital rejects a unit on its way to it: it goes back to stock, free of hospital and
/// request (its events keep where it went).
pub async fn send_back(
    tx: &mut Tx,
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
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a unit out of service for good, from the status it was read in (in stock or received
/// by a hospital); answers false, changing nothing, when it moved meanwhile. It leaves every
/// hospital (its events keep where it was) and keeps its `received_at`, so a unit that reached
/// a hospital still counts as delivered.
pub async fn write_off(tx: &mut Tx, unit: UnitId, from: UnitStatus) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update equipment_unit set status = 'written_off', hospital_id = null, updated_at = $1
         where equipment_unit_id = $2 and status = $3",
    )
    .bind(time::now())
    .bind(unit.get())
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a unit's functional status.
pub async fn set_condition(
    tx: &mut Tx,
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Voids every unit of a purchase, all of which must be in stock; answers the units voided, or
/// `None` (changing nothing) when any has left stock.
pub async fn void_of_purchase(
    tx: &mut Tx,
    purchase: PurchaseId,
) -> Result<Option<Vec<UnitId>>, sqlx::Error> {
    void_where(tx, "purchase_id", purchase.get()).await
}

/// Voids every unit given in kind by a donation, as [`void_of_purchase`] does.
pub async fn void_of_gift(
    tx: &mut Tx,
    donation: DonationId,
) -> Result<Option<Vec<UnitId>>, sqlx::Error> {
    void_where(tx, "donation_id", donation.get()).await
}

async fn void_where(
    tx: &mut Tx,
    column: &str,
    id: i64,
) -> Result<Option<Vec<UnitId>>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "select equipment_unit_id, status from equipment_unit where {column} = $1 and status <> 'voided'"
    ))
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    if rows.iter().any(|(_, s)| s != "in_stock") {
        return Ok(None);
    }
    let done = sqlx::query(&format!(
        "update equipment_unit set status = 'voided', updated_at = $1 where {column} = $2 and status = 'in_stock'"
    ))
    .bind(time::now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    // A unit allocated meanwhile (PostgreSQL re-checks the status on the locked row) is not
    // voided: then not every unit was in stock, and the caller rolls back.
    if done.rows_affected() != rows.len() as u64 {
        return Ok(None);
    }
    Ok(Some(rows.into_iter().map(|(u, _)| UnitId(u)).collect()))
}

/// Whether a gift in kind has been put into stock.
pub async fn gift_stocked(tx: &mut Tx, donation: DonationId) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from equipment_unit where donation_id = $1")
        .bind(donation.get())
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

/// Units already moving towards a request's hospital (allocated or dispatched).
pub async fn on_the_way_for(tx: &mut Tx, request: RequestId) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from equipment_unit where equipment_request_id = $1
         and status in ('allocated', 'dispatched')",
    )
    .bind(request.get())
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

/// A confirmed unit counts towards its request: partly fulfilled, or fulfilled when every
/// approved unit has arrived.
pub async fn fulfil(tx: &mut Tx, request: RequestId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update equipment_request set fulfilled_quantity = fulfilled_quantity + 1,
           status = case when fulfilled_quantity + 1 >= approved_quantity then 'fulfilled' else 'partly_fulfilled' end,
           updated_at = $1
         where equipment_request_id = $2 and status in ('approved', 'partly_fulfilled')",
    )
    .bind(time::now())
    .bind(request.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A hospital's units: allocated, on the way and received.
pub async fn of_hospital(db: &Db, hospital: HospitalId) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.hospital_id = $1 order by u.status, u.equipment_unit_id"
    ))
    .bind(hospital.get())
    .fetch_all(db.reader())
    .await
}

/// A campaign's units (voided ones last).
pub async fn of_campaign(db: &Db, campaign: CampaignId) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.campaign_id = $1 order by u.status = 'voided', u.equipment_unit_id"
    ))
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
}

/// A purchase's units, in tag order.
pub async fn of_purchase(db: &Db, purchase: PurchaseId) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.purchase_id = $1 order by u.equipment_unit_id"
    ))
    .bind(purchase.get())
    .fetch_all(db.reader())
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
pub async fn history(db: &Db, unit: UnitId) -> Result<Vec<EventView>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "select e.kind, e.hospital_id, e.note, a.display_name as by_name, e.created_at
         from equipment_unit_event e left join account a on a.account_id = e.account_id
         where e.equipment_unit_id = $1 order by e.equipment_unit_event_id",
    )
    .bind(unit.get())
    .fetch_all(db.reader())
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
pub async fn public_history(db: &Db, unit: UnitId) -> Result<Vec<UnitEventPublic>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "select e.kind, h.name_th, h.name_en, e.created_at from equipment_unit_event e
         left join hospital h on h.hospital_id = e.hospital_id and e.kind in ('accepted', 'written_off')
         where e.equipment_unit_id = $1 and e.kind <> 'condition' order by e.equipment_unit_event_id",
    )
    .bind(unit.get())
    .fetch_all(db.reader())
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

/// Per wishlist item of a campaign: (item, units bought or given, units received by hospitals,
/// including those written off after they arrived).
pub async fn wishlist_counts(
    db: &Db,
    campaign: CampaignId,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select equipment_item_id,
           cast(sum(case when status <> 'voided' then 1 else 0 end) as bigint),
           cast(sum(case when status = 'received'
             or (status = 'written_off' and received_at is not null) then 1 else 0 end) as bigint)
         from equipment_unit where campaign_id = $1 group by equipment_item_id",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
}

/// Units of approved purchases not yet received, per item of a campaign: bought but not yet in
/// stock (a purchase awaiting its second approval is not bought yet).
pub async fn ordered_not_received(
    db: &Db,
    campaign: CampaignId,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select l.equipment_item_id, cast(sum(l.quantity) as bigint) from purchase_line l
         join purchase p on p.purchase_id = l.purchase_id
         where p.campaign_id = $1 and p.status = 'approved' and p.received_at is null
         group by l.equipment_item_id",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
}

/// Units of purchases awaiting a second approval, per item of a campaign: their money is held.
pub async fn awaiting_approval(
    db: &Db,
    campaign: CampaignId,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select l.equipment_item_id, cast(sum(l.quantity) as bigint) from purchase_line l
         join purchase p on p.purchase_id = l.purchase_id
         where p.campaign_id = $1 and p.status = 'awaiting_approval'
         group by l.equipment_item_id",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
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
pub async fn held_by(db: &Db, hospital: HospitalId) -> Result<Vec<HeldRow>, sqlx::Error> {
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
    .fetch_all(db.reader())
    .await
}

/// The tags of a hospital's received units (for links on its public page).
pub async fn held_tags(
    db: &Db,
    hospital: HospitalId,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "select u.campaign_id, u.equipment_item_id, u.asset_tag from equipment_unit u
         where u.hospital_id = $1 and u.status = 'received' order by u.equipment_unit_id",
    )
    .bind(hospital.get())
    .fetch_all(db.reader())
    .await
}

/// Units of a set of purchases or of one gift in kind, for a donor's trace.
pub async fn of_purchases(db: &Db, purchases: &[PurchaseId]) -> Result<Vec<UnitRow>, sqlx::Error> {
    let mut out = Vec::new();
    for p in purchases {
        out.extend(of_purchase(db, *p).await?);
    }
    out.retain(|u| u.status != "voided");
    Ok(out)
}

/// Units given in kind by a donation.
pub async fn of_gift(db: &Db, donation: DonationId) -> Result<Vec<UnitRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where u.donation_id = $1 and u.status <> 'voided' order by u.equipment_unit_id"
    ))
    .bind(donation.get())
    .fetch_all(db.reader())
    .await
}

/// A campaign's approved purchases, oldest first: (id, invoice date, total).
pub async fn spent_purchases(
    db: &Db,
    campaign: CampaignId,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select purchase_id, invoice_date, total_satang from purchase
         where campaign_id = $1 and status = 'approved' order by purchase_id",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
}

/// For `check-ledger`: per campaign, units expected (lines of received purchases not voided, and
/// items of received gifts put into stock) beside units counted by status.
#[derive(sqlx::FromRow)]
pub struct UnitCheck {
    pub campaign_id: i64,
    pub bought: i64,
    pub given: i64,
    pub in_stock: i64,
    pub allocated: i64,
    pub dispatched: i64,
    pub received: i64,
    pub written_off: i64,
    pub live: i64,
}

/// Every campaign's unit counts.
pub async fn checks(db: &Db) -> Result<Vec<UnitCheck>, sqlx::Error> {
    sqlx::query_as(
        "select c.campaign_id,
           cast(coalesce((select sum(l.quantity) from purchase_line l join purchase p on p.purchase_id = l.purchase_id
              where p.campaign_id = c.campaign_id and p.status = 'approved' and p.received_at is not null), 0) as bigint) as bought,
           cast(coalesce((select sum(di.quantity) from donation_item di join donation d on d.donation_id = di.donation_id
              where d.campaign_id = c.campaign_id and d.status = 'received'
              and exists (select 1 from equipment_unit g where g.donation_id = d.donation_id)), 0) as bigint) as given,
           (select count(*) from equipment_unit u where u.campaign_id = c.campaign_id and u.status = 'in_stock') as in_stock,
           (select count(*) from equipment_unit u where u.campaign_id = c.campaign_id and u.status = 'allocated') as allocated,
           (select count(*) from equipment_unit u where u.campaign_id = c.campaign_id and u.status = 'dispatched') as dispatched,
           (select count(*) from equipment_unit u where u.campaign_id = c.campaign_id and u.status = 'received') as received,
           (select count(*) from equipment_unit u where u.campaign_id = c.campaign_id and u.status = 'written_off') as written_off,
           (select count(*) from equipment_unit u where u.campaign_id = c.campaign_id and u.status <> 'voided') as live
         from campaign c order by c.campaign_id",
    )
    .fetch_all(db.reader())
    .await
}

/// Units whose place disagrees with their status: a received unit without exactly one hospital,
/// or a unit in stock that names one. Answers their tags.
pub async fn misplaced(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select asset_tag from equipment_unit
         where (status in ('allocated', 'dispatched', 'received') and hospital_id is null)
            or (status in ('in_stock', 'written_off', 'voided') and hospital_id is not null)
            or (purchase_id is not null and purchase_id in (select purchase_id from purchase where status = 'voided')
                and status <> 'voided')
         order by equipment_unit_id",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}
