//! Purchases, their lines and their append-only events. A purchase row changes only by the
//! conditional updates here, each with its event in the same transaction; lines never change.

use super::{time, Db, Tx};
use crate::model::account::AccountId;
use crate::model::equipment::{EventView, NewPurchase, PurchaseLineView};
use crate::model::status::PurchaseStatus;
use crate::model::{CampaignId, EquipmentItemId, Localized, Money, PurchaseId};

/// A purchase as stored, with the names of who recorded and approved it.
#[derive(sqlx::FromRow)]
pub struct PurchaseRow {
    pub purchase_id: i64,
    pub campaign_id: i64,
    pub vendor_name: String,
    pub vendor_tax_id: Option<String>,
    pub invoice_no: String,
    pub invoice_date: String,
    pub total_satang: i64,
    pub status: String,
    pub recorded_by: i64,
    pub recorded_by_name: String,
    pub approved_by_name: Option<String>,
    pub received_at: Option<String>,
    pub void_reason: Option<String>,
    pub units_out: i64,
}

impl PurchaseRow {
    pub fn id(&self) -> PurchaseId {
        PurchaseId(self.purchase_id)
    }
    pub fn campaign(&self) -> CampaignId {
        CampaignId(self.campaign_id)
    }
    pub fn total(&self) -> Money {
        Money::from_satang(self.total_satang)
    }
    pub fn status(&self) -> Result<PurchaseStatus, sqlx::Error> {
        PurchaseStatus::from_code(&self.status).ok_or_else(|| {
            sqlx::Error::Decode(format!("stored purchase status {:?}", self.status).into())
        })
    }
}

const SELECT: &str =
    "select p.purchase_id, p.campaign_id, p.vendor_name, p.vendor_tax_id, p.invoice_no,
    p.invoice_date, p.total_satang, p.status, p.recorded_by, r.display_name as recorded_by_name,
    a.display_name as approved_by_name, p.received_at, p.void_reason,
    (select count(*) from equipment_unit u where u.purchase_id = p.purchase_id
       and u.status not in ('in_stock', 'voided')) as units_out
    from purchase p
    join account r on r.account_id = p.recorded_by
    left join account a on a.account_id = p.approved_by";

/// Stores a purchase, its lines and its `recorded` event; answers its id.
pub async fn insert(
    tx: &mut Tx,
    p: &NewPurchase,
    status: PurchaseStatus,
    by: AccountId,
) -> Result<PurchaseId, sqlx::Error> {
    let now = time::now();
    let (id,): (i64,) = sqlx::query_as(
        "insert into purchase (campaign_id, vendor_name, vendor_tax_id, invoice_no, invoice_date,
           total_satang, status, recorded_by, approved_by, approved_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, null, $9, $10, $10) returning purchase_id",
    )
    .bind(p.campaign.get())
    .bind(&p.vendor_name)
    .bind(p.vendor_tax_id.as_deref())
    .bind(&p.invoice_no)
    .bind(time::date(p.invoice_date))
    .bind(p.total.satang())
    .bind(status.code())
    .bind(by.0)
    .bind((status == PurchaseStatus::Approved).then_some(now.as_str()))
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;
    for (n, line) in p.lines.iter().enumerate() {
        sqlx::query(
            "insert into purchase_line (purchase_id, line_no, equipment_item_id, quantity,
               unit_price_satang, justification, created_at) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(n as i64 + 1)
        .bind(line.item.get())
        .bind(line.quantity)
        .bind(line.unit_price.satang())
        .bind(line.justification.as_deref())
        .bind(now.as_str())
        .execute(&mut **tx)
        .await?;
    }
    let id = PurchaseId(id);
    event(tx, id, "recorded", status, None, by).await?;
    Ok(id)
}

/// Appends one event to a purchase's history.
pub async fn event(
    tx: &mut Tx,
    id: PurchaseId,
    kind: &str,
    status: PurchaseStatus,
    note: Option<&str>,
    by: AccountId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into purchase_event (purchase_id, kind, status, note, account_id, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.get())
    .bind(kind)
    .bind(status.code())
    .bind(note)
    .bind(by.0)
    .bind(time::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A purchase, read inside a write transaction.
pub async fn by_id_tx(tx: &mut Tx, id: PurchaseId) -> Result<Option<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where p.purchase_id = $1"))
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await
}

/// A purchase.
pub async fn by_id(db: &Db, id: PurchaseId) -> Result<Option<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where p.purchase_id = $1"))
        .bind(id.get())
        .fetch_optional(db.reader())
        .await
}

/// A campaign's purchases, newest first.
pub async fn of_campaign(db: &Db, campaign: CampaignId) -> Result<Vec<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where p.campaign_id = $1 order by p.purchase_id desc"
    ))
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
}

/// The second approval: only while awaiting it, and never by whoever recorded the purchase.
pub async fn approve(tx: &mut Tx, id: PurchaseId, by: AccountId) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update purchase set status = 'approved', approved_by = $1, approved_at = $2, updated_at = $2
         where purchase_id = $3 and status = 'awaiting_approval' and recorded_by <> $1",
    )
    .bind(by.0)
    .bind(now.as_str())
    .bind(id.get())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an approved purchase received (once).
pub async fn receive(tx: &mut Tx, id: PurchaseId, by: AccountId) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update purchase set received_by = $1, received_at = $2, updated_at = $2
         where purchase_id = $3 and status = 'approved' and received_at is null",
    )
    .bind(by.0)
    .bind(now.as_str())
    .bind(id.get())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Voids a purchase that is still `from`.
pub async fn void(
    tx: &mut Tx,
    id: PurchaseId,
    from: PurchaseStatus,
    by: AccountId,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update purchase set status = 'voided', voided_by = $1, voided_at = $2, void_reason = $3,
         updated_at = $2 where purchase_id = $4 and status = $5",
    )
    .bind(by.0)
    .bind(now.as_str())
    .bind(reason)
    .bind(id.get())
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct LineRow {
    line_no: i64,
    equipment_item_id: i64,
    name_th: String,
    name_en: String,
    unit_th: String,
    unit_en: String,
    quantity: i64,
    unit_price_satang: i64,
    reference_price_satang: i64,
    justification: Option<String>,
}

const LINES: &str =
    "select l.line_no, l.equipment_item_id, i.name_th, i.name_en, i.unit_th, i.unit_en,
    l.quantity, l.unit_price_satang, i.reference_price_satang, l.justification
    from purchase_line l join equipment_item i on i.equipment_item_id = l.equipment_item_id
    where l.purchase_id = $1 order by l.line_no";

fn line_view(r: LineRow) -> PurchaseLineView {
    PurchaseLineView {
        line_no: r.line_no,
        item_id: EquipmentItemId(r.equipment_item_id),
        item: Localized::new(r.name_th, r.name_en),
        unit: Localized::new(r.unit_th, r.unit_en),
        quantity: r.quantity,
        unit_price: Money::from_satang(r.unit_price_satang),
        reference_price: Money::from_satang(r.reference_price_satang),
        justification: r.justification,
    }
}

/// A purchase's lines.
pub async fn lines(db: &Db, id: PurchaseId) -> Result<Vec<PurchaseLineView>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(LINES)
        .bind(id.get())
        .fetch_all(db.reader())
        .await?;
    Ok(rows.into_iter().map(line_view).collect())
}

/// A purchase's lines, inside a write transaction.
pub async fn lines_tx(tx: &mut Tx, id: PurchaseId) -> Result<Vec<PurchaseLineView>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(LINES)
        .bind(id.get())
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().map(line_view).collect())
}

/// A purchase's history, oldest first.
pub async fn events(db: &Db, id: PurchaseId) -> Result<Vec<EventView>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "select e.kind, e.note, a.display_name, e.created_at from purchase_event e
         left join account a on a.account_id = e.account_id
         where e.purchase_id = $1 order by e.purchase_event_id",
    )
    .bind(id.get())
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, note, by, at)| EventView {
            kind,
            hospital_id: None,
            note,
            by,
            at,
        })
        .collect())
}

/// The reference price of each of `items` that exists in the catalog.
pub async fn reference_prices(
    tx: &mut Tx,
    items: &[EquipmentItemId],
) -> Result<Vec<(EquipmentItemId, Money)>, sqlx::Error> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let row: Option<(i64,)> = sqlx::query_as(
            "select reference_price_satang from equipment_item where equipment_item_id = $1",
        )
        .bind(item.get())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((price,)) = row {
            out.push((*item, Money::from_satang(price)));
        }
    }
    Ok(out)
}
