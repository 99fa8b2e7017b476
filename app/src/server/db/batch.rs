//! Ceremony-night batch rows: what was counted when the batch opened and what has been typed in
//! since. Every change of a batch's figures or status happens here.

use super::time;
use crate::model::account::AccountId;
use crate::model::donation::BatchSummary;
use crate::model::{BatchId, CampaignId, Money};
use sqlx::AnyConnection;

/// A batch as stored.
#[derive(sqlx::FromRow)]
pub struct BatchRow {
    pub donation_batch_id: i64,
    pub campaign_id: i64,
    pub label: String,
    pub status: String,
    pub expected_count: i64,
    pub expected_total_satang: i64,
    pub entered_count: i64,
    pub entered_total_satang: i64,
    pub close_reason: Option<String>,
}

impl BatchRow {
    pub fn campaign(&self) -> CampaignId {
        CampaignId(self.campaign_id)
    }
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
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

const SELECT: &str = "select donation_batch_id, campaign_id, label, status, expected_count,
    expected_total_satang, entered_count, entered_total_satang, close_reason from donation_batch";

/// A batch.
pub async fn by_id(c: &mut AnyConnection, id: BatchId) -> Result<Option<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where donation_batch_id = $1"))
        .bind(id.get())
        .fetch_optional(c)
        .await
}

/// A campaign's batches, newest first.
pub async fn of_campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where campaign_id = $1 order by donation_batch_id desc"
    ))
    .bind(campaign.get())
    .fetch_all(c)
    .await
}

/// A batch to open.
pub struct NewBatchRow<'a> {
    pub campaign: CampaignId,
    pub label: &'a str,
    pub expected_count: i64,
    pub expected_total: Money,
    pub opened_by: Option<AccountId>,
}

/// Opens a batch.
pub async fn insert(c: &mut AnyConnection, b: &NewBatchRow<'_>) -> Result<BatchId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into donation_batch (campaign_id, label, expected_count, expected_total_satang, status, opened_by, created_at)
         values ($1, $2, $3, $4, 'open', $5, $6) returning donation_batch_id",
    )
    .bind(b.campaign.get())
    .bind(b.label)
    .bind(b.expected_count)
    .bind(b.expected_total.satang())
    .bind(b.opened_by.map(|a| a.0))
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(BatchId(id))
}

/// Counts an envelope into an open batch; `false` when the batch closed meanwhile.
pub async fn count_in(
    c: &mut AnyConnection,
    id: BatchId,
    amount: Money,
) -> Result<bool, sqlx::Error> {
    let counted = sqlx::query(
        "update donation_batch set entered_count = entered_count + 1,
         entered_total_satang = entered_total_satang + $1 where donation_batch_id = $2 and status = 'open'",
    )
    .bind(amount.satang())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(counted.rows_affected() == 1)
}

/// Takes a voided envelope out of its batch's figures while the batch is open. A closed batch
/// keeps the figures it closed with: they record the night's count, and the void shows on the
/// envelope itself.
pub async fn take_out(
    c: &mut AnyConnection,
    id: BatchId,
    amount: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update donation_batch set entered_count = entered_count - 1,
         entered_total_satang = entered_total_satang - $1 where donation_batch_id = $2 and status = 'open'",
    )
    .bind(amount.satang())
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(())
}

/// Takes the row lock of an open batch, so its figures cannot move while it is judged; `false`
/// when it is not open.
pub async fn lock_open(c: &mut AnyConnection, id: BatchId) -> Result<bool, sqlx::Error> {
    let locked = sqlx::query(
        "update donation_batch set status = status where donation_batch_id = $1 and status = 'open'",
    )
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(locked.rows_affected() == 1)
}

/// Closes a batch, keeping the reason written for a batch that did not balance.
pub async fn close(
    c: &mut AnyConnection,
    id: BatchId,
    by: Option<AccountId>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update donation_batch set status = 'closed', closed_at = $1, closed_by = $2, close_reason = $3
         where donation_batch_id = $4",
    )
    .bind(time::now())
    .bind(by.map(|a| a.0))
    .bind(reason)
    .bind(id.get())
    .execute(c)
    .await?;
    Ok(())
}

/// The campaign's ceremony batches still open (their envelopes have no receipts yet).
pub async fn open_in(
    c: &mut sqlx::AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<(BatchId, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "select donation_batch_id, label from donation_batch
         where campaign_id = $1 and status = 'open' order by donation_batch_id",
    )
    .bind(campaign.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| (BatchId(id), label))
        .collect())
}
