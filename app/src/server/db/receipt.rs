//! Receipt rows and their counters. A receipt is written once, with the legal recipient's tax ID,
//! name and address as they stood at that moment, and never changed (the database refuses it).
//! A number is taken by incrementing the recipient's counter row in the transaction that writes
//! the receipt: concurrent issuers queue on that row and a rollback takes its increment with it,
//! so numbers have no gaps and are never handed out twice.

use super::{time, Engine};
use crate::model::account::AccountId;
use crate::model::{CampaignId, DonationId, LegalRecipientId, Money};
use sqlx::AnyConnection;

/// The legal recipient as a receipt prints it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub legal_recipient_id: i64,
    pub tax_id: String,
    pub name_th: String,
    pub name_en: Option<String>,
    pub address_th: Option<String>,
}

/// The campaign's legal recipient: `Ok(None)` when the campaign has none, `Err(RowNotFound)` for
/// an unknown campaign. On PostgreSQL the campaign row is held with `for share` until commit, so
/// an administrator's change of recipient (which takes it `for update`) waits for the receipt,
/// or the receipt for the change: a receipt is never issued under a recipient being replaced.
pub async fn recipient_of_campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<Recipient>, sqlx::Error> {
    let lock = match super::engine_of(c) {
        Engine::Postgres => " for share of c",
        Engine::Sqlite => "",
    };
    let row: (Option<i64>,) = sqlx::query_as(&format!(
        "select c.legal_recipient_id from campaign c where c.campaign_id = $1{lock}"
    ))
    .bind(campaign.get())
    .fetch_one(&mut *c)
    .await?;
    let Some(id) = row.0 else { return Ok(None) };
    sqlx::query_as(
        "select legal_recipient_id, tax_id, name_th, name_en, address_th from legal_recipient
         where legal_recipient_id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await
}

/// Takes the next number of `recipient`'s series for `fiscal_year`.
pub async fn next_number(
    c: &mut AnyConnection,
    recipient: LegalRecipientId,
    fiscal_year: i32,
) -> Result<i64, sqlx::Error> {
    let (number,): (i64,) = sqlx::query_as(
        "insert into receipt_counter (legal_recipient_id, fiscal_year, last_number, created_at)
         values ($1, $2, 1, $3)
         on conflict (legal_recipient_id, fiscal_year) do update set last_number = receipt_counter.last_number + 1
         returning last_number",
    )
    .bind(recipient.get())
    .bind(i64::from(fiscal_year))
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(number)
}

/// A receipt to write.
pub struct NewReceipt<'a> {
    pub recipient: &'a Recipient,
    pub fiscal_year: i32,
    pub number: i64,
    pub donation: DonationId,
    pub amount: Money,
    pub issued_by: Option<AccountId>,
}

/// Writes a receipt with its recipient's words as they are now.
pub async fn insert(c: &mut AnyConnection, r: &NewReceipt<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into receipt (legal_recipient_id, fiscal_year, number, donation_id, amount_satang, issued_at,
           issued_by, recipient_tax_id, recipient_name_th, recipient_name_en, recipient_address_th, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $6)",
    )
    .bind(r.recipient.legal_recipient_id)
    .bind(i64::from(r.fiscal_year))
    .bind(r.number)
    .bind(r.donation.get())
    .bind(r.amount.satang())
    .bind(time::now())
    .bind(r.issued_by.map(|a| a.0))
    .bind(r.recipient.tax_id.as_str())
    .bind(r.recipient.name_th.as_str())
    .bind(r.recipient.name_en.as_deref())
    .bind(r.recipient.address_th.as_deref())
    .execute(c)
    .await?;
    Ok(())
}

/// A donation's receipt as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Issued {
    pub fiscal_year: i64,
    pub number: i64,
    pub issued_at: String,
    pub tax_id: String,
    pub name_th: String,
    pub name_en: Option<String>,
    pub address_th: Option<String>,
}

/// The receipt of a donation, with the recipient it was issued under.
pub async fn of_donation(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<Option<Issued>, sqlx::Error> {
    sqlx::query_as(
        "select fiscal_year, number, issued_at, recipient_tax_id as tax_id, recipient_name_th as name_th,
           recipient_name_en as name_en, recipient_address_th as address_th
         from receipt where donation_id = $1",
    )
    .bind(donation.get())
    .fetch_optional(c)
    .await
}

/// One line of the e-Donation export.
#[derive(sqlx::FromRow)]
pub struct ExportRow {
    pub fiscal_year: i64,
    pub number: i64,
    pub received_at: Option<String>,
    pub amount_satang: i64,
    pub channel: String,
    pub status: String,
    pub display_name: Option<String>,
    pub national_id: Option<String>,
    pub title_th: String,
}

/// A recipient's receipts for gifts received in `[start, end)` (stored instants), in number order.
pub async fn export_rows(
    c: &mut AnyConnection,
    recipient: LegalRecipientId,
    start: &str,
    end: &str,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(
        "select r.fiscal_year, r.number, d.received_at, r.amount_satang, d.channel, d.status,
           dn.display_name, dn.national_id, c.title_th
         from receipt r join donation d on d.donation_id = r.donation_id
         join donor dn on dn.donor_id = d.donor_id
         join campaign c on c.campaign_id = d.campaign_id
         where r.legal_recipient_id = $1 and d.received_at >= $2 and d.received_at < $3
         order by r.fiscal_year, r.number",
    )
    .bind(recipient.get())
    .bind(start)
    .bind(end)
    .fetch_all(c)
    .await
}

/// Every legal recipient, by name.
pub async fn recipients(c: &mut AnyConnection) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "select legal_recipient_id, tax_id, name_th, name_en, address_th from legal_recipient order by name_th",
    )
    .fetch_all(c)
    .await
}

/// Each series (recipient, fiscal year) with its count, first and last number, and its counter.
pub async fn series(
    c: &mut AnyConnection,
) -> Result<Vec<(i64, i64, i64, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select s.legal_recipient_id, s.fiscal_year, s.n, s.first, s.last, coalesce(c.last_number, 0)
         from (select legal_recipient_id, fiscal_year, count(*) as n, min(number) as first,
                 max(number) as last
               from receipt group by legal_recipient_id, fiscal_year) s
         left join receipt_counter c
           on c.legal_recipient_id = s.legal_recipient_id and c.fiscal_year = s.fiscal_year
         order by s.legal_recipient_id, s.fiscal_year",
    )
    .fetch_all(c)
    .await
}

/// The references of received donations outside an open batch that have no receipt.
pub const MISSING: &str = "select d.reference_code from donation d
     left join receipt r on r.donation_id = d.donation_id
     left join donation_batch b on b.donation_batch_id = d.donation_batch_id
     where d.status = 'received' and r.receipt_id is null and (b.status is null or b.status <> 'open')
     order by d.donation_id";

/// Received donations outside an open batch that have no receipt (references).
pub async fn missing(c: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(MISSING).fetch_all(c).await?;
    Ok(rows.into_iter().map(|(r,)| r).collect())
}
