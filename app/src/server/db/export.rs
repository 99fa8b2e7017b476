//! The rows of a campaign's exports: every donation, receipt, purchase line and unit, oldest
//! first. Each query takes a period as two bounds compared as text (instants and dates sort as
//! text); the whole history is `("", "9999")`.

use crate::model::CampaignId;
use futures_util::stream::BoxStream;
use sqlx::AnyConnection;

/// Rows as the database hands them over, one at a time: an export's memory does not grow with
/// its file.
pub type Rows<'c, T> = BoxStream<'c, Result<T, sqlx::Error>>;

/// One donation, with its donor's name, receipt and batch.
#[derive(sqlx::FromRow)]
pub struct DonationRow {
    pub reference_code: String,
    pub status: String,
    /// Set when a pledge was cancelled (its stored status stays `pledged`).
    pub voided_at: Option<String>,
    pub channel: String,
    pub amount_satang: i64,
    pub received_at: Option<String>,
    pub created_at: String,
    pub display_name: Option<String>,
    pub fiscal_year: Option<i64>,
    pub number: Option<i64>,
    pub batch: Option<String>,
    pub note: Option<String>,
}

/// Donations recorded or received in `[from, to)` (received time, else recorded time).
pub fn donations<'c>(
    c: &'c mut AnyConnection,
    campaign: CampaignId,
    from: String,
    to: String,
) -> Rows<'c, DonationRow> {
    sqlx::query_as(
        "select d.reference_code, d.status, d.voided_at, d.channel, d.amount_satang, d.received_at, d.created_at,
           dn.display_name, r.fiscal_year, r.number, b.label as batch, d.note
         from donation d
         join donor dn on dn.donor_id = d.donor_id
         left join receipt r on r.donation_id = d.donation_id
         left join donation_batch b on b.donation_batch_id = d.donation_batch_id
         where d.campaign_id = $1
           and coalesce(d.received_at, d.created_at) >= $2
           and coalesce(d.received_at, d.created_at) < $3
         order by d.donation_id",
    )
    .bind(campaign.get())
    .bind(from)
    .bind(to)
    .fetch(c)
}

/// One receipt, as issued, with whether its donation was voided since.
#[derive(sqlx::FromRow)]
pub struct ReceiptRow {
    pub fiscal_year: i64,
    pub number: i64,
    pub issued_at: String,
    pub received_at: Option<String>,
    pub reference_code: String,
    pub display_name: Option<String>,
    pub amount_satang: i64,
    pub status: String,
    pub recipient_tax_id: Option<String>,
}

/// The campaign's receipts of fiscal year `fiscal_year` (Buddhist Era), or of every year when
/// it is 0, in the order of their numbers.
pub fn receipts(
    c: &mut AnyConnection,
    campaign: CampaignId,
    fiscal_year: i64,
) -> Rows<'_, ReceiptRow> {
    sqlx::query_as(
        "select r.fiscal_year, r.number, r.issued_at, d.received_at, d.reference_code,
           dn.display_name, r.amount_satang, d.status, r.recipient_tax_id
         from receipt r
         join donation d on d.donation_id = r.donation_id
         join donor dn on dn.donor_id = d.donor_id
         where d.campaign_id = $1 and ($2 = 0 or r.fiscal_year = $2)
         order by r.legal_recipient_id, r.fiscal_year, r.number",
    )
    .bind(campaign.get())
    .bind(fiscal_year)
    .fetch(c)
}

/// One line of a purchase, with the purchase's own figures beside it.
#[derive(sqlx::FromRow)]
pub struct PurchaseRow {
    pub purchase_id: i64,
    pub vendor_name: String,
    pub vendor_tax_id: Option<String>,
    pub invoice_no: String,
    pub invoice_date: String,
    pub status: String,
    pub line_no: i64,
    pub item_th: String,
    pub item_en: String,
    pub quantity: i64,
    pub unit_price_satang: i64,
    pub total_satang: i64,
    pub approved_at: Option<String>,
    pub void_reason: Option<String>,
}

/// Purchase lines whose invoice is dated in `[from, to]` (`YYYY-MM-DD`).
pub fn purchases<'c>(
    c: &'c mut AnyConnection,
    campaign: CampaignId,
    from: String,
    to: String,
) -> Rows<'c, PurchaseRow> {
    sqlx::query_as(
        "select p.purchase_id, p.vendor_name, p.vendor_tax_id, p.invoice_no, p.invoice_date, p.status,
           l.line_no, i.name_th as item_th, i.name_en as item_en, l.quantity, l.unit_price_satang,
           p.total_satang, p.approved_at, p.void_reason
         from purchase p
         join purchase_line l on l.purchase_id = p.purchase_id
         join equipment_item i on i.equipment_item_id = l.equipment_item_id
         where p.campaign_id = $1 and p.invoice_date >= $2 and p.invoice_date <= $3
         order by p.purchase_id, l.line_no",
    )
    .bind(campaign.get())
    .bind(from)
    .bind(to)
    .fetch(c)
}

/// One unit: what it is, where it came from, and where it went.
#[derive(sqlx::FromRow)]
pub struct UnitRow {
    pub asset_tag: String,
    pub item_th: String,
    pub item_en: String,
    pub status: String,
    pub condition: String,
    pub cost_satang: i64,
    pub purchase_id: Option<i64>,
    pub invoice_no: Option<String>,
    pub gift_reference: Option<String>,
    pub serial_no: Option<String>,
    pub facility_code: Option<String>,
    pub hospital: Option<String>,
    pub district: Option<String>,
    pub equipment_request_id: Option<i64>,
    pub allocation_reason: Option<String>,
    pub dispatched_on: Option<String>,
    pub carrier: Option<String>,
    pub received_at: Option<String>,
    pub created_at: String,
}

/// Units that entered the campaign's stock in `[from, to)`.
pub fn units<'c>(
    c: &'c mut AnyConnection,
    campaign: CampaignId,
    from: String,
    to: String,
) -> Rows<'c, UnitRow> {
    sqlx::query_as(
        "select u.asset_tag, i.name_th as item_th, i.name_en as item_en, u.status, u.condition,
           u.cost_satang, u.purchase_id, p.invoice_no, g.reference_code as gift_reference,
           u.serial_no, h.facility_code, h.name_th as hospital, dt.name_th as district,
           u.equipment_request_id, u.allocation_reason, u.dispatched_on, u.carrier,
           u.received_at, u.created_at
         from equipment_unit u
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         left join purchase p on p.purchase_id = u.purchase_id
         left join donation g on g.donation_id = u.donation_id
         left join hospital h on h.hospital_id = u.hospital_id
         left join subdistrict s on s.subdistrict_code = h.subdistrict_code
         left join district dt on dt.district_code = s.district_code
         where u.campaign_id = $1 and u.created_at >= $2 and u.created_at < $3
         order by u.equipment_unit_id",
    )
    .bind(campaign.get())
    .bind(from)
    .bind(to)
    .fetch(c)
}

/// The earliest day anything of the campaign is dated: a gift received (or received and voided
/// since), a pledge made, an invoice, a unit stocked (instants and dates as stored), or `None`
/// when it has nothing yet. Each donation minimum is one step down an index on
/// (campaign, status, time), however many gifts there are.
pub async fn earliest(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "select min(received_at) from donation where campaign_id = $1 and status = 'received'
         union all select min(received_at) from donation where campaign_id = $1 and status = 'voided'
         union all select min(created_at) from donation where campaign_id = $1 and status = 'pledged'
         union all select min(invoice_date) from purchase where campaign_id = $1
         union all select min(created_at) from equipment_unit where campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().filter_map(|(d,)| d).collect())
}

/// The campaign's first day and status, if it exists.
pub async fn campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("select starts_on, status from campaign where campaign_id = $1")
        .bind(campaign.get())
        .fetch_optional(c)
        .await
}
