//! Purchases, their lines and their append-only events. A purchase row changes only by the
//! conditional updates here, each with its event in the same transaction; lines never change.

use super::time;
use crate::model::account::AccountId;
use crate::model::equipment::{EventView, NewPurchase, PurchaseLineView};
use crate::model::procurement::{invoice_key, vendor_key, SPLIT_WINDOW_DAYS};
use crate::model::status::PurchaseStatus;
use crate::model::{CampaignId, EquipmentItemId, Localized, Money, PurchaseId};
use chrono::NaiveDate;
use sqlx::AnyConnection;

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
    /// The vendor's 30-day total that made it wait for a second officer.
    pub vendor_window_satang: Option<i64>,
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
       and u.status not in ('in_stock', 'voided')) as units_out, p.vendor_window_satang
    from purchase p
    join account r on r.account_id = p.recorded_by
    left join account a on a.account_id = p.approved_by";

/// Stores a purchase, its lines and its `recorded` event; answers its id.
/// Inserts a purchase and its lines. `vendor_window` is the vendor's 30-day total that made it
/// wait for a second officer, if it waits. A second purchase with the same vendor and invoice
/// number in the campaign is refused by the database (`purchase_invoice_key`).
pub async fn insert(
    c: &mut AnyConnection,
    p: &NewPurchase,
    status: PurchaseStatus,
    by: AccountId,
    vendor_window: Option<Money>,
) -> Result<PurchaseId, sqlx::Error> {
    let now = time::now();
    let (id,): (i64,) = sqlx::query_as(
        "insert into purchase (campaign_id, vendor_name, vendor_tax_id, invoice_no, invoice_date,
           total_satang, status, recorded_by, approved_by, approved_at, created_at, updated_at,
           vendor_key, invoice_key, vendor_window_satang)
         values ($1, $2, $3, $4, $5, $6, $7, $8, null, $9, $10, $10, $11, $12, $13)
         returning purchase_id",
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
    .bind(vendor_key(&p.vendor_name))
    .bind(invoice_key(&p.invoice_no))
    .bind(vendor_window.map(Money::satang))
    .fetch_one(&mut *c)
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
        .execute(&mut *c)
        .await?;
    }
    let id = PurchaseId(id);
    event(c, id, "recorded", status, None, by).await?;
    Ok(id)
}

/// The purchase already recorded in the campaign under this vendor and invoice number (voided
/// purchases aside), if any.
pub async fn with_invoice(
    c: &mut sqlx::AnyConnection,
    campaign: CampaignId,
    vendor_name: &str,
    vendor_tax_id: Option<&str>,
    invoice_no: &str,
) -> Result<Option<PurchaseId>, sqlx::Error> {
    let Some(invoice) = invoice_key(invoice_no) else {
        return Ok(None);
    };
    let row: Option<(i64,)> = sqlx::query_as(
        "select purchase_id from purchase where campaign_id = $1 and invoice_key = $3
           and status <> 'voided' and (vendor_key = $2 or vendor_tax_id = $4) limit 1",
    )
    .bind(campaign.get())
    .bind(vendor_key(vendor_name))
    .bind(invoice)
    .bind(vendor_tax_id)
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(id,)| PurchaseId(id)))
}

/// What the campaign's live purchases from this vendor (by its name as compared, or its tax ID
/// when given; voided ones aside) add up to: those recorded since `recorded_since`, or invoiced
/// within the window around `invoice_date`.
pub async fn vendor_total(
    c: &mut sqlx::AnyConnection,
    campaign: CampaignId,
    vendor_name: &str,
    vendor_tax_id: Option<&str>,
    recorded_since: chrono::DateTime<chrono::Utc>,
    invoice_date: NaiveDate,
) -> Result<Money, sqlx::Error> {
    let window = chrono::Days::new(SPLIT_WINDOW_DAYS.unsigned_abs());
    let from = invoice_date
        .checked_sub_days(window)
        .unwrap_or(NaiveDate::MIN);
    let to = invoice_date
        .checked_add_days(window)
        .unwrap_or(NaiveDate::MAX);
    let (total,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(total_satang), 0) as bigint) from purchase
         where campaign_id = $1 and (vendor_key = $2 or vendor_tax_id = $6)
           and status <> 'voided' and (created_at >= $3 or invoice_date between $4 and $5)",
    )
    .bind(campaign.get())
    .bind(vendor_key(vendor_name))
    .bind(time::instant(recorded_since))
    .bind(time::date(from))
    .bind(time::date(to))
    .bind(vendor_tax_id)
    .fetch_one(c)
    .await?;
    Ok(Money::from_satang(total))
}

/// Appends one event to a purchase's history.
pub async fn event(
    c: &mut AnyConnection,
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
    .execute(c)
    .await?;
    Ok(())
}

/// A purchase.
pub async fn by_id(
    c: &mut AnyConnection,
    id: PurchaseId,
) -> Result<Option<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where p.purchase_id = $1"))
        .bind(id.get())
        .fetch_optional(c)
        .await
}

/// A campaign's purchases, newest first.
pub async fn of_campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<PurchaseRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where p.campaign_id = $1 order by p.purchase_id desc"
    ))
    .bind(campaign.get())
    .fetch_all(c)
    .await
}

/// The second approval: only while awaiting it, and never by whoever recorded the purchase.
pub async fn approve(
    c: &mut AnyConnection,
    id: PurchaseId,
    by: AccountId,
) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update purchase set status = 'approved', approved_by = $1, approved_at = $2, updated_at = $2
         where purchase_id = $3 and status = 'awaiting_approval' and recorded_by <> $1",
    )
    .bind(by.0)
    .bind(now.as_str())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an approved purchase received (once).
pub async fn receive(
    c: &mut AnyConnection,
    id: PurchaseId,
    by: AccountId,
) -> Result<bool, sqlx::Error> {
    let now = time::now();
    let done = sqlx::query(
        "update purchase set received_by = $1, received_at = $2, updated_at = $2
         where purchase_id = $3 and status = 'approved' and received_at is null",
    )
    .bind(by.0)
    .bind(now.as_str())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Voids a purchase that is still `from`.
pub async fn void(
    c: &mut AnyConnection,
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
    .execute(c)
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
pub async fn lines(
    c: &mut AnyConnection,
    id: PurchaseId,
) -> Result<Vec<PurchaseLineView>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(LINES).bind(id.get()).fetch_all(c).await?;
    Ok(rows.into_iter().map(line_view).collect())
}

/// A purchase's history, oldest first.
pub async fn events(c: &mut AnyConnection, id: PurchaseId) -> Result<Vec<EventView>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "select e.kind, e.note, a.display_name, e.created_at from purchase_event e
         left join account a on a.account_id = e.account_id
         where e.purchase_id = $1 order by e.purchase_event_id",
    )
    .bind(id.get())
    .fetch_all(c)
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
    c: &mut AnyConnection,
    items: &[EquipmentItemId],
) -> Result<Vec<(EquipmentItemId, Money)>, sqlx::Error> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let row: Option<(i64,)> = sqlx::query_as(
            "select reference_price_satang from equipment_item where equipment_item_id = $1",
        )
        .bind(item.get())
        .fetch_optional(&mut *c)
        .await?;
        if let Some((price,)) = row {
            out.push((*item, Money::from_satang(price)));
        }
    }
    Ok(out)
}
