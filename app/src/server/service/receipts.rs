//! Receipts: issuing the next gapless number of a recipient's series for a received gift, and
//! the e-Donation export that recipients file with the Revenue Department.

use super::Caller;
use crate::error::AppError;
use crate::model::account::{AccountId, Action};
use crate::model::donation::{fiscal_year, ReceiptNumber, RecipientView};
use crate::model::form::FieldErrors;
use crate::model::thai_date::bangkok_date;
use crate::model::thai_id::NationalId;
use crate::model::{CampaignId, DonationId, LegalRecipientId, Localized, Money};
use crate::server::db::receipt::{self, NewReceipt, Recipient};
use crate::server::db::{time, Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};

/// The campaign's legal recipient, held until commit (see
/// [`receipt::recipient_of_campaign`]), or a 422 naming what is missing.
pub async fn recipient_of(tx: &mut Tx, campaign: CampaignId) -> Result<Recipient, AppError> {
    match receipt::recipient_of_campaign(tx, campaign).await {
        Err(sqlx::Error::RowNotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
        Ok(None) => Err(AppError::field(
            "campaign_id",
            "กองผ้าป่านี้ยังไม่ได้ระบุผู้รับบริจาคตามกฎหมาย จึงออกใบเสร็จไม่ได้ (ผู้ดูแลระบบกำหนดได้ในหน้าจัดการกองผ้าป่า)",
            "This campaign has no legal recipient yet, so no receipt can be issued (an administrator sets it on the campaign).",
        )),
        Ok(Some(r)) => Ok(r),
    }
}

/// Issues the next receipt for a gift to `campaign` received at `received_at`, in `tx`.
pub async fn issue(
    tx: &mut Tx,
    campaign: CampaignId,
    donation: DonationId,
    amount: Money,
    received_at: DateTime<Utc>,
    issued_by: Option<AccountId>,
) -> Result<ReceiptNumber, AppError> {
    let recipient = recipient_of(tx, campaign).await?;
    Ok(issue_for(tx, &recipient, donation, amount, received_at, issued_by).await?)
}

/// Issues the next number of `recipient`'s series for the fiscal year of `received_at`, in `tx`.
pub async fn issue_for(
    tx: &mut Tx,
    recipient: &Recipient,
    donation: DonationId,
    amount: Money,
    received_at: DateTime<Utc>,
    issued_by: Option<AccountId>,
) -> Result<ReceiptNumber, sqlx::Error> {
    let year = fiscal_year(bangkok_date(received_at));
    let id = LegalRecipientId(recipient.legal_recipient_id);
    let number = receipt::next_number(tx, id, year).await?;
    let row = NewReceipt {
        recipient,
        fiscal_year: year,
        number,
        donation,
        amount,
        issued_by,
    };
    receipt::insert(tx, &row).await?;
    Ok(ReceiptNumber {
        fiscal_year: year,
        number,
    })
}

/// A recipient as people read it.
pub fn view_of(
    tax_id: &str,
    name_th: String,
    name_en: Option<String>,
    address: Option<String>,
) -> RecipientView {
    RecipientView {
        name: Localized::new(name_th, name_en.unwrap_or_default()),
        tax_id: NationalId::parse(tax_id).map_or_else(|_| tax_id.to_owned(), |i| i.formatted()),
        address,
    }
}

/// The period an export covers: both ends inside one Thai fiscal year (a recipient files one
/// e-Donation file per year), the start not after the end, and not after today.
pub fn export_period(
    from: &str,
    to: &str,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), AppError> {
    let mut e = FieldErrors::default();
    let (from, to) = (e.date("from", from, true), e.date("to", to, true));
    e.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::field("from", "กรุณาระบุวันที่", "Enter a date."));
    };
    if to < from {
        return Err(AppError::field(
            "to",
            "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม",
            "The end date cannot be before the start date.",
        ));
    }
    if from > today {
        return Err(AppError::field(
            "from",
            "วันเริ่มต้องไม่เป็นวันในอนาคต",
            "The start date cannot be in the future.",
        ));
    }
    if fiscal_year(from) != fiscal_year(to) {
        return Err(AppError::field(
            "to",
            &format!(
                "ส่งออกได้ครั้งละหนึ่งปีงบประมาณ: วันสิ้นสุดต้องอยู่ในปีงบประมาณ {} (ถึง 30 ก.ย.)",
                fiscal_year(from)
            ),
            &format!(
                "One fiscal year at a time: the end date must fall in fiscal year {} (until 30 September).",
                fiscal_year(from)
            ),
        ));
    }
    Ok((from, to))
}

/// The e-Donation file of one recipient's receipts received from `from` to `to` (Bangkok dates,
/// `YYYY-MM-DD`, inclusive, one fiscal year at most), in receipt order, for finance officers.
/// Voided receipts stay in the file, marked, so the series shows no gaps. Columns: receipt
/// number, date received (Gregorian), donor ID, donor name, amount, channel, status, campaign.
pub async fn export_csv(
    db: &Db,
    caller: &Caller,
    recipient: LegalRecipientId,
    from: &str,
    to: &str,
) -> Result<String, AppError> {
    caller.require(Action::RecordDonation)?;
    let (from, to) = export_period(from, to, crate::server::today())?;
    let start = time::instant(time::bangkok_midnight(from));
    let end = time::instant(time::bangkok_midnight(to.succ_opt().unwrap_or(to)));
    let rows =
        receipt::export_rows(&mut *db.reader().acquire().await?, recipient, &start, &end).await?;
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
    out.write_record(header).map_err(crate::server::internal)?;
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
        let (baht, satang) = Money::from_satang(r.amount_satang).baht_and_satang();
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
        .map_err(crate::server::internal)?;
    }
    let bytes = out.into_inner().map_err(crate::server::internal)?;
    String::from_utf8(bytes).map_err(crate::server::internal)
}

/// Text typed by the public, made inert for spreadsheets: a cell that starts like a formula is
/// prefixed with an apostrophe so it is shown, never run.
pub fn spreadsheet_safe(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// Every legal recipient, for finance officers choosing what to export.
pub async fn recipients(
    db: &Db,
    caller: &Caller,
) -> Result<Vec<(LegalRecipientId, RecipientView)>, AppError> {
    caller.require(Action::RecordDonation)?;
    Ok(receipt::recipients(&mut *db.reader().acquire().await?)
        .await?
        .into_iter()
        .map(|r| {
            (
                LegalRecipientId(r.legal_recipient_id),
                view_of(&r.tax_id, r.name_th, r.name_en, r.address_th),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn names_that_look_like_formulas_are_made_inert() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("คุณสมชาย".into()), "คุณสมชาย");
    }

    #[test]
    fn an_export_covers_one_fiscal_year_at_most_and_never_panics() {
        let today = day(2026, 11, 24);
        assert_eq!(
            export_period("2026-10-01", "2026-11-24", today).unwrap(),
            (day(2026, 10, 1), day(2026, 11, 24))
        );
        let field = |r: Result<(NaiveDate, NaiveDate), AppError>| match r {
            Err(AppError::Validation(f)) => f[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(export_period("2026-09-30", "2026-10-01", today)),
            "to"
        );
        assert_eq!(
            field(export_period("2025-10-01", "2026-11-01", today)),
            "to"
        );
        assert_eq!(
            field(export_period("+262142-12-31", "+262142-12-31", today)),
            "from"
        );
        assert_eq!(
            field(export_period("2026-11-01", "2026-10-01", today)),
            "to"
        );
        assert_eq!(
            field(export_period("2026-13-01", "2026-10-01", today)),
            "from"
        );
    }
}
