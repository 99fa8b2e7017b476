//! Ceremony-night batches: a finance officer opens a batch with the envelopes counted and the
//! cash counted, types the envelopes in (each one received into the fund at once, so the public
//! total moves during the ceremony), and closes the batch when both figures match, or with a
//! written reason when they cannot. Closing issues the batch's receipts in the order typed.

use super::accounts::require;
use super::audit::{self, Actor, Event};
use super::db::donations::{self as rows, ListOf};
use super::db::{time, Db, Tx};
use super::donations::require_open;
use super::idempotency::{self, Claim};
use super::ledger::{self, ReceivedDonation};
use super::{receipts, reference_code};
use crate::error::AppError;
use crate::model::account::{Action, CurrentUser};
use crate::model::donation::{
    BatchInput, BatchRowInput, BatchSummary, BatchView, DonationCreated, FieldErrors, NewBatch,
    NewBatchRow, MAX_NOTE,
};
use crate::model::status::DonationChannel;
use crate::model::{BatchId, CampaignId, DonationId, Localized, Money};
use chrono::Utc;

async fn audit_batch(
    tx: &mut Tx,
    actor: Option<&CurrentUser>,
    action: &str,
    id: BatchId,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        tx,
        &Event {
            actor: actor.map_or(Actor::System, Actor::User),
            action,
            record_type: "donation_batch",
            record_id: Some(id.to_string()),
            detail,
            client_address: None,
        },
    )
    .await?;
    Ok(())
}

/// Opens a batch on an open campaign.
pub async fn open(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: &BatchInput,
) -> Result<BatchId, AppError> {
    require(actor, Action::RecordDonation)?;
    let batch = NewBatch::parse(input).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    require_open(&mut tx, batch.campaign_id).await?;
    receipts::recipient_of(&mut tx, batch.campaign_id).await?;
    let (id,): (i64,) = sqlx::query_as(
        "insert into donation_batch (campaign_id, label, expected_count, expected_total_satang, status, opened_by, created_at)
         values ($1, $2, $3, $4, 'open', $5, $6) returning donation_batch_id",
    )
    .bind(batch.campaign_id.get())
    .bind(batch.label.as_str())
    .bind(batch.expected_count)
    .bind(batch.expected_total.satang())
    .bind(actor.map(|u| u.account_id.0))
    .bind(time::now())
    .fetch_one(&mut *tx)
    .await?;
    let detail = format!(
        "{}: {} envelopes, {} counted, campaign {}",
        batch.label, batch.expected_count, batch.expected_total, batch.campaign_id
    );
    audit_batch(&mut tx, actor, "batch_opened", BatchId(id), detail).await?;
    tx.commit().await?;
    Ok(BatchId(id))
}

#[derive(sqlx::FromRow)]
struct BatchRow {
    donation_batch_id: i64,
    campaign_id: i64,
    label: String,
    status: String,
    expected_count: i64,
    expected_total_satang: i64,
    entered_count: i64,
    entered_total_satang: i64,
    close_reason: Option<String>,
}

impl From<BatchRow> for BatchSummary {
    fn from(b: BatchRow) -> Self {
        BatchSummary {
            id: BatchId(b.donation_batch_id),
            label: b.label,
            open: b.status == "open",
            expected_count: b.expected_count,
            expected_total: Money::from_satang(b.expected_total_satang),
            entered_count: b.entered_count,
            entered_total: Money::from_satang(b.entered_total_satang),
            close_reason: b.close_reason,
        }
    }
}

const BATCH_SELECT: &str = "select donation_batch_id, campaign_id, label, status, expected_count,
    expected_total_satang, entered_count, entered_total_satang, close_reason from donation_batch";

async fn batch_tx(tx: &mut Tx, id: BatchId) -> Result<BatchRow, AppError> {
    sqlx::query_as::<_, BatchRow>(&format!("{BATCH_SELECT} where donation_batch_id = $1"))
        .bind(id.get())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// A campaign's batches, newest first.
pub async fn of_campaign(db: &Db, campaign: CampaignId) -> Result<Vec<BatchSummary>, AppError> {
    let rows: Vec<BatchRow> = sqlx::query_as(&format!(
        "{BATCH_SELECT} where campaign_id = $1 order by donation_batch_id desc"
    ))
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await?;
    Ok(rows.into_iter().map(BatchSummary::from).collect())
}

/// A batch's page.
pub async fn view(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: BatchId,
) -> Result<BatchView, AppError> {
    require(actor, Action::RecordDonation)?;
    let row: BatchRow =
        sqlx::query_as::<_, BatchRow>(&format!("{BATCH_SELECT} where donation_batch_id = $1"))
            .bind(id.get())
            .fetch_optional(db.reader())
            .await?
            .ok_or(AppError::NotFound)?;
    let campaign_id = CampaignId(row.campaign_id);
    let (th, en): (String, Option<String>) =
        sqlx::query_as("select title_th, title_en from campaign where campaign_id = $1")
            .bind(campaign_id.get())
            .fetch_one(db.reader())
            .await?;
    Ok(BatchView {
        summary: row.into(),
        campaign_id,
        campaign_title: Localized::new(th, en.unwrap_or_default()),
        rows: rows::list(db, ListOf::Batch(id)).await?,
    })
}

/// Types one envelope into an open batch: received into the fund at once; its receipt comes when
/// the batch closes. Idempotent by the row's key, so a page that resends after a dropped
/// connection never records an envelope twice.
pub async fn add_row(
    db: &Db,
    actor: Option<&CurrentUser>,
    input: &BatchRowInput,
) -> Result<DonationCreated, AppError> {
    require(actor, Action::RecordDonation)?;
    let row = NewBatchRow::parse(input).map_err(AppError::Validation)?;
    // Scoped by the batch, not the officer: a browser that resends its queue after another
    // officer signed in on it must still replay, never record an envelope twice.
    let batch_scope = input.batch_id.to_string();
    let key = idempotency::scoped("batch_row", &batch_scope, &input.idempotency_key);
    let hash = idempotency::fingerprint(&(input.batch_id, &row))?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let batch = batch_tx(&mut tx, input.batch_id).await?;
    if batch.status != "open" {
        return Err(AppError::state(
            "ชุดนี้ปิดแล้ว บันทึกซองเพิ่มไม่ได้",
            "This batch is closed; no more envelopes can be added.",
        ));
    }
    require_open(&mut tx, CampaignId(batch.campaign_id)).await?;
    let donor = rows::donor_for(&mut tx, &row.donor).await?;
    let reference = reference_code::generate();
    ledger::record_received(
        &mut tx,
        &ReceivedDonation {
            campaign_id: CampaignId(batch.campaign_id),
            donor_id: donor,
            amount: row.amount,
            channel: DonationChannel::Cash,
            received_at: Utc::now(),
            reference_code: reference.clone(),
            note: None,
            batch: Some(input.batch_id),
            recorded_by: actor.map(|u| u.account_id),
        },
    )
    .await?;
    // Counted only while the batch is still open: a close that won the row lock meanwhile
    // turns this envelope away rather than leave it in a closed batch without a receipt.
    let counted = sqlx::query(
        "update donation_batch set entered_count = entered_count + 1,
         entered_total_satang = entered_total_satang + $1 where donation_batch_id = $2 and status = 'open'",
    )
    .bind(row.amount.satang())
    .bind(input.batch_id.get())
    .execute(&mut *tx)
    .await?;
    if counted.rows_affected() != 1 {
        return Err(AppError::state(
            "ชุดนี้ปิดแล้ว บันทึกซองเพิ่มไม่ได้",
            "This batch is closed; no more envelopes can be added.",
        ));
    }
    let detail = format!("envelope {} as {reference}", row.amount);
    audit_batch(&mut tx, actor, "batch_envelope", input.batch_id, detail).await?;
    let answer = DonationCreated {
        reference,
        receipt: None,
    };
    idempotency::store(&mut tx, &key, &answer).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Takes a voided envelope out of its batch's figures while the batch is open (a mistyped
/// envelope), in `tx`. A closed batch keeps the figures it closed with: they record the night's
/// count, and the void shows on the envelope itself.
pub async fn take_out(tx: &mut Tx, batch: BatchId, amount: Money) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update donation_batch set entered_count = entered_count - 1,
         entered_total_satang = entered_total_satang - $1 where donation_batch_id = $2 and status = 'open'",
    )
    .bind(amount.satang())
    .bind(batch.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Closes a batch. It must balance (count and total) unless a reason is written, which the
/// batch keeps and shows. Every envelope still received gets its receipt, in the order typed.
pub async fn close(
    db: &Db,
    actor: Option<&CurrentUser>,
    id: BatchId,
    reason: &str,
) -> Result<usize, AppError> {
    require(actor, Action::RecordDonation)?;
    let mut e = FieldErrors::default();
    let reason = e.optional("reason", reason, MAX_NOTE);
    e.into_result(()).map_err(AppError::Validation)?;
    let mut tx = db.begin().await?;
    // Take the batch's row lock first, so its figures cannot move while it is judged.
    let locked = sqlx::query(
        "update donation_batch set status = status where donation_batch_id = $1 and status = 'open'",
    )
    .bind(id.get())
    .execute(&mut *tx)
    .await?;
    let batch = batch_tx(&mut tx, id).await?;
    if locked.rows_affected() != 1 {
        return Err(AppError::state(
            "ชุดนี้ปิดไปแล้ว",
            "This batch is already closed.",
        ));
    }
    let summary = BatchSummary::from(batch);
    if !summary.balances() && reason.as_deref().is_none_or(|r| r.chars().count() < 5) {
        return Err(AppError::field(
            "reason",
            &format!(
                "ยอดไม่ตรงกัน: นับได้ {} ซอง {} แต่บันทึก {} ซอง {} กรุณาระบุเหตุผลเพื่อปิดชุด",
                summary.expected_count,
                summary.expected_total,
                summary.entered_count,
                summary.entered_total
            ),
            &format!(
                "The batch does not balance: {} envelopes and {} counted, {} and {} entered. Write a reason to close it anyway.",
                summary.expected_count,
                summary.expected_total,
                summary.entered_count,
                summary.entered_total
            ),
        ));
    }
    let campaign: (i64,) =
        sqlx::query_as("select campaign_id from donation_batch where donation_batch_id = $1")
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await?;
    let pending: Vec<(i64, i64, String)> = sqlx::query_as(
        "select d.donation_id, d.amount_satang, d.received_at from donation d
         left join receipt r on r.donation_id = d.donation_id
         where d.donation_batch_id = $1 and d.status = 'received' and r.receipt_id is null
         order by d.donation_id",
    )
    .bind(id.get())
    .fetch_all(&mut *tx)
    .await?;
    for (donation, amount, received_at) in &pending {
        receipts::issue(
            &mut tx,
            CampaignId(campaign.0),
            DonationId(*donation),
            Money::from_satang(*amount),
            time::parse_instant(received_at)?,
            actor.map(|u| u.account_id),
        )
        .await?;
    }
    sqlx::query(
        "update donation_batch set status = 'closed', closed_at = $1, closed_by = $2, close_reason = $3
         where donation_batch_id = $4",
    )
    .bind(time::now())
    .bind(actor.map(|u| u.account_id.0))
    .bind(reason.as_deref())
    .bind(id.get())
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "{} envelopes, {} entered; {} receipts issued{}",
        summary.entered_count,
        summary.entered_total,
        pending.len(),
        reason.map(|r| format!("; reason: {r}")).unwrap_or_default()
    );
    audit_batch(&mut tx, actor, "batch_closed", id, detail).await?;
    tx.commit().await?;
    Ok(pending.len())
}
