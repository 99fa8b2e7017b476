//! Receipts: gapless numbers per legal recipient and Thai fiscal year, and the e-Donation export
//! that recipients file with the Revenue Department.
//!
//! A number is taken by incrementing the recipient's counter row in the same transaction that
//! writes the receipt. Concurrent issuers queue on that row (PostgreSQL's row lock, SQLite's one
//! writer), and a rolled-back transaction takes its increment with it, so no number is skipped or
//! handed out twice. A voided receipt keeps its number; the void shows through its donation.

use super::db::{time, Db, Tx};
use crate::error::AppError;
use crate::model::account::AccountId;
use crate::model::donation::{fiscal_year, ReceiptNumber};
use crate::model::thai_date::bangkok_date;
use crate::model::thai_id::NationalId;
use crate::model::{CampaignId, DonationId, LegalRecipientId, Money};
use chrono::{DateTime, NaiveDate, Utc};

/// The campaign's legal recipient, or a 422 naming what is missing.
pub async fn recipient_of(tx: &mut Tx, campaign: CampaignId) -> Result<LegalRecipientId, AppError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("select legal_recipient_id from campaign where campaign_id = $1")
            .bind(campaign.get())
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        None => Err(AppError::NotFound),
        Some((None,)) => Err(AppError::field(
            "campaign_id",
            "กองผ้าป่านี้ยังไม่ได้ระบุผู้รับบริจาคตามกฎหมาย จึงออกใบเสร็จไม่ได้ (ผู้ดูแลระบบกำหนดได้ในหน้าจัดการกองผ้าป่า)",
            "This campaign has no legal recipient yet, so no receipt can be issued (an administrator sets it on the campaign).",
        )),
        Some((Some(id),)) => Ok(LegalRecipientId(id)),
    }
}

/// Issues the next receipt number for a donation received at `received_at`, in `tx`.
pub async fn issue(
    tx: &mut Tx,
    campaign: CampaignId,
    donation: DonationId,
    amount: Money,
    received_at: DateTime<Utc>,
    issued_by: Option<AccountId>,
) -> Result<ReceiptNumber, AppError> {
    let recipient = recipient_of(tx, campaign).await?;
    Ok(issue_for(tx, recipient, donation, amount, received_at, issued_by).await?)
}

/// Issues the next number of `recipient`'s series for the fiscal year of `received_at`, in `tx`.
pub async fn issue_for(
    tx: &mut Tx,
    recipient: LegalRecipientId,
    donation: DonationId,
    amount: Money,
    received_at: DateTime<Utc>,
    issued_by: Option<AccountId>,
) -> Result<ReceiptNumber, sqlx::Error> {
    let year = fiscal_year(bangkok_date(received_at));
    let now = time::now();
    let (number,): (i64,) = sqlx::query_as(
        "insert into receipt_counter (legal_recipient_id, fiscal_year, last_number, created_at)
         values ($1, $2, 1, $3)
         on conflict (legal_recipient_id, fiscal_year) do update set last_number = receipt_counter.last_number + 1
         returning last_number",
    )
    .bind(recipient.get())
    .bind(i64::from(year))
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "insert into receipt (legal_recipient_id, fiscal_year, number, donation_id, amount_satang, issued_at, issued_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $6)",
    )
    .bind(recipient.get())
    .bind(i64::from(year))
    .bind(number)
    .bind(donation.get())
    .bind(amount.satang())
    .bind(now.as_str())
    .bind(issued_by.map(|a| a.0))
    .execute(&mut **tx)
    .await?;
    Ok(ReceiptNumber {
        fiscal_year: year,
        number,
    })
}

/// One line of the e-Donation export.
#[derive(sqlx::FromRow)]
struct ExportRow {
    fiscal_year: i64,
    number: i64,
    received_at: Option<String>,
    amount_satang: i64,
    channel: String,
    status: String,
    display_name: Option<String>,
    national_id: Option<String>,
    title_th: String,
}

/// The e-Donation file of one recipient's receipts received from `from` to `to` (Bangkok dates,
/// inclusive), in receipt order. Voided receipts stay in the file, marked, so the series shows
/// no gaps. Columns: receipt number, date received (YYYY-MM-DD, Gregorian), donor ID, donor name,
/// amount in baht with satang, channel, status, campaign.
pub async fn export_csv(
    db: &Db,
    recipient: LegalRecipientId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<String, AppError> {
    let start = time::instant(time::bangkok_midnight(from));
    let end = time::instant(time::bangkok_midnight(to + chrono::Duration::days(1)));
    let rows: Vec<ExportRow> = sqlx::query_as(
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
    .fetch_all(db.reader())
    .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "receipt_no",
        "received_on",
        "donor_tax_id",
        "donor_name",
        "amount",
        "channel",
        "status",
        "campaign",
    ];
    out.write_record(header).map_err(super::internal)?;
    for r in rows {
        let received_on = r
            .received_at
            .as_deref()
            .map(time::parse_instant)
            .transpose()?
            .map(|at| bangkok_date(at).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let number = ReceiptNumber {
            fiscal_year: i32::try_from(r.fiscal_year).unwrap_or_default(),
            number: r.number,
        };
        let amount = Money::from_satang(r.amount_satang);
        let (baht, satang) = amount.baht_and_satang();
        let id = r
            .national_id
            .as_deref()
            .and_then(|d| NationalId::parse(d).ok())
            .map(|id| id.digits().to_owned())
            .unwrap_or_default();
        let status = if r.status == "voided" {
            "void"
        } else {
            "valid"
        };
        out.write_record([
            number.to_string(),
            received_on,
            id,
            spreadsheet_safe(r.display_name.unwrap_or_default()),
            format!("{baht}.{satang:02}"),
            r.channel,
            status.to_owned(),
            spreadsheet_safe(r.title_th),
        ])
        .map_err(super::internal)?;
    }
    let bytes = out.into_inner().map_err(super::internal)?;
    String::from_utf8(bytes).map_err(super::internal)
}

/// Text typed by the public, made inert for spreadsheets: a cell that starts like a formula is
/// prefixed with an apostrophe so it is shown, never run.
fn spreadsheet_safe(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// Every legal recipient, for finance officers choosing what to export.
pub async fn recipients(
    db: &Db,
    actor: Option<&crate::model::account::CurrentUser>,
) -> Result<Vec<(LegalRecipientId, crate::model::donation::RecipientView)>, AppError> {
    super::accounts::require(actor, crate::model::account::Action::RecordDonation)?;
    type Row = (i64, String, Option<String>, String, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "select legal_recipient_id, name_th, name_en, tax_id, address_th from legal_recipient order by name_th",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, th, en, tax, address)| {
            (
                LegalRecipientId(id),
                crate::model::donation::RecipientView {
                    name: crate::model::Localized::new(th, en.unwrap_or_default()),
                    tax_id: NationalId::parse(&tax).map_or(tax, |i| i.formatted()),
                    address,
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_look_like_formulas_are_made_inert() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("คุณสมชาย".into()), "คุณสมชาย");
    }
}
