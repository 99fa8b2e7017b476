//! Ceremony-night batches as typed and shown: the envelopes and cash counted when a batch opens,
//! each envelope typed in, and the figures that must match before it closes.

use super::{amount_and_donor, DonationRow, DonorDetails, FieldErrors};
use crate::error::FieldError;
use crate::model::{BatchId, CampaignId, Localized, Money};
use serde::{Deserialize, Serialize};

/// Opening a ceremony-night batch: the envelopes counted and the cash counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchInput {
    pub campaign_id: CampaignId,
    pub label: String,
    pub expected_count: String,
    pub expected_total: String,
    pub idempotency_key: String,
}

/// A valid batch to open; built only by [`NewBatch::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewBatch {
    campaign_id: CampaignId,
    label: String,
    expected_count: i64,
    expected_total: Money,
}

impl NewBatch {
    pub fn campaign_id(&self) -> CampaignId {
        self.campaign_id
    }
    pub fn label(&self) -> &str {
        &self.label
    }
    pub fn expected_count(&self) -> i64 {
        self.expected_count
    }
    pub fn expected_total(&self) -> Money {
        self.expected_total
    }

    pub fn parse(input: &BatchInput) -> Result<NewBatch, Vec<FieldError>> {
        let mut e = FieldErrors::default();
        let label = e.optional("label", &input.label, 100).unwrap_or_default();
        if label.is_empty() {
            e.add("label", "กรุณาตั้งชื่อชุด", "Give the batch a name.");
        }
        let expected_count = e.whole_number(
            "expected_count",
            &input.expected_count,
            100_000,
            ("จำนวนซอง", "The envelope count"),
        );
        let expected_total = e.amount("expected_total", &input.expected_total);
        e.idempotency_key(&input.idempotency_key);
        e.into_result(NewBatch {
            campaign_id: input.campaign_id,
            label,
            expected_count: expected_count.unwrap_or(0),
            expected_total,
        })
    }
}

/// One envelope typed into a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRowInput {
    pub batch_id: BatchId,
    pub amount: String,
    #[serde(default)]
    pub donor_name: String,
    #[serde(default)]
    pub show_name: bool,
    #[serde(default)]
    pub national_id: String,
    pub idempotency_key: String,
}

/// A valid envelope; built only by [`NewBatchRow::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewBatchRow {
    amount: Money,
    donor: DonorDetails,
}

impl NewBatchRow {
    pub fn amount(&self) -> Money {
        self.amount
    }
    pub fn donor(&self) -> &DonorDetails {
        &self.donor
    }

    pub fn parse(input: &BatchRowInput) -> Result<NewBatchRow, Vec<FieldError>> {
        let (e, amount, donor) = amount_and_donor(
            &input.amount,
            &input.donor_name,
            input.show_name,
            &input.national_id,
            "",
            &input.idempotency_key,
        );
        e.into_result(NewBatchRow { amount, donor })
    }
}

/// A batch's figures: what was counted and what has been typed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: BatchId,
    pub label: String,
    pub open: bool,
    pub expected_count: i64,
    pub expected_total: Money,
    pub entered_count: i64,
    pub entered_total: Money,
    pub close_reason: Option<String>,
}

impl BatchSummary {
    /// Whether the typed envelopes match the counted ones in number and total.
    pub fn balances(&self) -> bool {
        self.expected_count == self.entered_count && self.expected_total == self.entered_total
    }
}

/// A batch's page: its figures and its envelopes, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchView {
    pub summary: BatchSummary,
    pub campaign_id: CampaignId,
    pub campaign_title: Localized,
    /// One page of envelopes, newest first.
    pub rows: Vec<DonationRow>,
    /// Where the next (older) page of envelopes starts, if there is one.
    pub older: Option<i64>,
}
