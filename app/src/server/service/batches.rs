//! Ceremony-night batches: a finance officer opens a batch with the envelopes counted and the
//! cash counted, types the envelopes in (each one received into the fund at once, so the public
//! total moves during the ceremony), and closes the batch when both figures match, or with a
//! written reason when they cannot. Closing issues the batch's receipts in the order typed.

use super::donations::caller_key;
use super::ledger::{self, taking_gifts, Gift};
use super::{receipts, Caller};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::donation::{
    BatchInput, BatchRowInput, BatchSummary, BatchView, DonationCreated, NewBatch, NewBatchRow,
    MAX_NOTE,
};
use crate::model::form::FieldErrors;
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{BatchId, Localized};
use crate::server::audit::{self, Event};
use crate::server::db::batch::{self, BatchRow, NewBatchRow as NewBatchRecord};
use crate::server::db::donation::{self, ListOf, NewRow};
use crate::server::db::{campaign_fund, donor, Db, Tx};
use crate::server::idempotency::{self, Claim};
use crate::server::reference_code;
use chrono::Utc;

async fn audit_batch(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    id: BatchId,
    detail: String,
) -> Result<(), AppError> {
    audit::record(tx, &Event::by(caller, action, "donation_batch", id, detail)).await?;
    Ok(())
}

fn closed() -> AppError {
    AppError::state(
        "ชุดนี้ปิดแล้ว บันทึกซองเพิ่มไม่ได้",
        "This batch is closed; no more envelopes can be added.",
    )
}

/// Opens a batch on an open campaign. Idempotent by the form's key: a double click opens one
/// batch, and the second answer names the same batch.
pub async fn open(db: &Db, caller: &Caller, input: &BatchInput) -> Result<BatchId, AppError> {
    let officer = caller.require(Action::RecordDonation)?;
    let new = NewBatch::parse(input).map_err(AppError::Validation)?;
    let key = idempotency::scoped("batch", &caller_key(caller), &input.idempotency_key);
    let hash = idempotency::fingerprint(&new)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    taking_gifts(&mut tx, new.campaign_id()).await?;
    receipts::recipient_of(&mut tx, new.campaign_id()).await?;
    let row = NewBatchRecord {
        campaign: new.campaign_id(),
        label: new.label(),
        expected_count: new.expected_count(),
        expected_total: new.expected_total(),
        opened_by: Some(officer.account_id),
    };
    let id = batch::insert(&mut tx, &row).await?;
    idempotency::store(&mut tx, &key, &id).await?;
    let detail = format!(
        "{}: {} envelopes, {} counted, campaign {}",
        new.label(),
        new.expected_count(),
        new.expected_total(),
        new.campaign_id()
    );
    audit_batch(&mut tx, caller, "batch_opened", id, detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// A batch's page: its figures and one page of its envelopes, newest first (`before`: where the
/// page starts, from the previous page's `older`).
pub async fn view(
    db: &Db,
    caller: &Caller,
    id: BatchId,
    before: Option<i64>,
) -> Result<BatchView, AppError> {
    caller.require(Action::RecordDonation)?;
    let mut conn = db.reader().acquire().await?;
    let row: BatchRow = batch::by_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let campaign_id = row.campaign();
    let c = campaign_fund::campaign_money(&mut conn, campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = donation::list(&mut conn, ListOf::Batch(id), before).await?;
    Ok(BatchView {
        summary: row.into(),
        campaign_id,
        campaign_title: Localized::new(c.title_th, c.title_en.unwrap_or_default()),
        rows: page.rows,
        older: page.older,
    })
}

/// Types one envelope into an open batch: received into the fund at once; its receipt comes when
/// the batch closes. Idempotent by the row's key, so a page that resends after a dropped
/// connection never records an envelope twice.
pub async fn add_row(
    db: &Db,
    caller: &Caller,
    input: &BatchRowInput,
) -> Result<DonationCreated, AppError> {
    let officer = caller.require(Action::RecordDonation)?;
    let envelope = NewBatchRow::parse(input).map_err(AppError::Validation)?;
    // Scoped by the batch, not the officer: a browser that resends its queue after another
    // officer signed in on it must still replay, never record an envelope twice.
    let batch_scope = input.batch_id.to_string();
    let key = idempotency::scoped("batch_row", &batch_scope, &input.idempotency_key);
    let hash = idempotency::fingerprint(&(input.batch_id, &envelope))?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let b = batch::by_id(&mut tx, input.batch_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !b.is_open() {
        return Err(closed());
    }
    taking_gifts(&mut tx, b.campaign()).await?;
    let donor_id = donor::donor_for(&mut tx, envelope.donor()).await?;
    let reference = reference_code::generate();
    let row = NewRow {
        campaign_id: b.campaign(),
        donor_id,
        amount: envelope.amount(),
        channel: DonationChannel::Cash,
        status: DonationStatus::Received,
        received_at: Some(Utc::now()),
        reference_code: reference.clone(),
        note: None,
        batch: Some(input.batch_id),
        recorded_by: Some(officer.account_id),
        payee: None,
        backdate_reason: None,
        match_by_hand: false,
        tail_unique: false,
    };
    let donation_id = donation::insert(&mut tx, &row).await?;
    let money = Gift {
        campaign: b.campaign(),
        donation: donation_id,
        donor: donor_id,
        amount: envelope.amount(),
        channel: DonationChannel::Cash,
    };
    ledger::receive(&mut tx, money).await?;
    // Counted only while the batch is still open: a close that won the row lock meanwhile
    // turns this envelope away rather than leave it in a closed batch without a receipt.
    if !batch::count_in(&mut tx, input.batch_id, envelope.amount()).await? {
        return Err(closed());
    }
    let detail = format!("envelope {} as {reference}", envelope.amount());
    audit_batch(&mut tx, caller, "batch_envelope", input.batch_id, detail).await?;
    let answer = DonationCreated {
        reference,
        receipt: None,
    };
    idempotency::store(&mut tx, &key, &answer).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Closes a batch. It must balance (count and total) unless a reason is written, which the
/// batch keeps and shows. Every envelope still received gets its receipt, in the order typed.
pub async fn close(db: &Db, caller: &Caller, id: BatchId, reason: &str) -> Result<usize, AppError> {
    let officer = caller.require(Action::RecordDonation)?;
    let mut e = FieldErrors::default();
    let reason = e.optional("reason", reason, MAX_NOTE);
    e.finish()?;
    let mut tx = db.begin().await?;
    // Take the batch's row lock first, so its figures cannot move while it is judged.
    let locked = batch::lock_open(&mut tx, id).await?;
    let b = batch::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !locked {
        return Err(AppError::state(
            "ชุดนี้ปิดไปแล้ว",
            "This batch is already closed.",
        ));
    }
    let campaign = b.campaign();
    // Closing issues receipts: not into books that are settled.
    ledger::books_open(&mut tx, campaign).await?;
    let summary = BatchSummary::from(b);
    if !summary.balances() && reason.as_deref().is_none_or(|r| r.chars().count() < 5) {
        return Err(unbalanced(&summary));
    }
    let recipient = receipts::recipient_of(&mut tx, campaign).await?;
    let pending = donation::unreceipted_in_batch(&mut tx, id).await?;
    let by = Some(officer.account_id);
    for (donation, amount, received_at) in &pending {
        receipts::issue_for(&mut tx, &recipient, *donation, *amount, *received_at, by).await?;
    }
    batch::close(&mut tx, id, by, reason.as_deref()).await?;
    let detail = format!(
        "{} envelopes, {} entered; {} receipts issued{}",
        summary.entered_count,
        summary.entered_total,
        pending.len(),
        reason.map(|r| format!("; reason: {r}")).unwrap_or_default()
    );
    audit_batch(&mut tx, caller, "batch_closed", id, detail).await?;
    tx.commit().await?;
    Ok(pending.len())
}

fn unbalanced(s: &BatchSummary) -> AppError {
    AppError::field(
        "reason",
        &format!(
            "ยอดไม่ตรงกัน: นับได้ {} ซอง {} แต่บันทึก {} ซอง {} กรุณาระบุเหตุผลเพื่อปิดชุด",
            s.expected_count, s.expected_total, s.entered_count, s.entered_total
        ),
        &format!(
            "The batch does not balance: {} envelopes and {} counted, {} and {} entered. Write a reason to close it anyway.",
            s.expected_count, s.expected_total, s.entered_count, s.entered_total
        ),
    )
}
