//! One donation with its donor, as stored, read by its reference code: what every change of a
//! donation starts from and what a donor's page shows.

use super::donation::Payee;
use crate::model::donation::BankAccount;
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{BatchId, CampaignId, DonationId, DonorId, Money};
use sqlx::AnyConnection;

/// One donation with its donor, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DonationRecord {
    pub donation_id: i64,
    pub campaign_id: i64,
    pub donor_id: i64,
    pub amount_satang: i64,
    pub channel: String,
    pub status: String,
    pub reference_code: String,
    pub created_at: String,
    pub received_at: Option<String>,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    pub note: Option<String>,
    pub donation_batch_id: Option<i64>,
    pub display_name: Option<String>,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub payee_name: Option<String>,
    pub payee_promptpay_id: Option<String>,
    pub payee_bank_name: Option<String>,
    pub payee_bank_account_no: Option<String>,
    pub payee_bank_account_name: Option<String>,
    /// 1 for a pledge whose amount another open pledge held (matched by hand).
    pub match_by_hand: i64,
}

impl DonationRecord {
    pub fn id(&self) -> DonationId {
        DonationId(self.donation_id)
    }
    pub fn campaign(&self) -> CampaignId {
        CampaignId(self.campaign_id)
    }
    pub fn donor(&self) -> DonorId {
        DonorId(self.donor_id)
    }
    pub fn amount(&self) -> Money {
        Money::from_satang(self.amount_satang)
    }
    pub fn batch(&self) -> Option<BatchId> {
        self.donation_batch_id.map(BatchId)
    }
    pub fn channel(&self) -> Result<DonationChannel, sqlx::Error> {
        DonationChannel::from_code(&self.channel)
            .ok_or_else(|| sqlx::Error::Decode(format!("channel {:?}", self.channel).into()))
    }
    /// The status as people know it: a cancelled pledge (stored as `pledged` with a void
    /// date, see migration 0004) is voided.
    pub fn status(&self) -> Result<DonationStatus, sqlx::Error> {
        status_of(&self.status, self.voided_at.is_some())
    }
    /// The payee this donation was shown when it was pledged.
    pub fn payee(&self) -> Option<Payee> {
        Some(Payee {
            name: self.payee_name.clone()?,
            promptpay_id: self.payee_promptpay_id.clone(),
            bank: match (
                &self.payee_bank_name,
                &self.payee_bank_account_no,
                &self.payee_bank_account_name,
            ) {
                (Some(bank), Some(number), Some(name)) => Some(BankAccount {
                    bank: bank.clone(),
                    number: number.clone(),
                    name: name.clone(),
                }),
                _ => None,
            },
        })
    }
}

const RECORD_SELECT: &str = "select d.donation_id, d.campaign_id, d.donor_id, d.amount_satang, d.channel, d.status,
    d.reference_code, d.created_at, d.received_at, d.voided_at, d.void_reason, d.note, d.donation_batch_id,
    dn.display_name, dn.national_id, dn.phone, dn.email, d.payee_name, d.payee_promptpay_id,
    d.payee_bank_name, d.payee_bank_account_no, d.payee_bank_account_name, d.match_by_hand
    from donation d join donor dn on dn.donor_id = d.donor_id";

/// A donation by its reference code.
pub async fn by_reference(
    c: &mut AnyConnection,
    reference: &str,
) -> Result<Option<DonationRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{RECORD_SELECT} where d.reference_code = $1"))
        .bind(reference)
        .fetch_optional(c)
        .await
}

/// Reads a stored status and whether the donation carries a void date.
pub fn status_of(stored: &str, voided: bool) -> Result<DonationStatus, sqlx::Error> {
    if voided {
        return Ok(DonationStatus::Voided);
    }
    DonationStatus::from_code(stored)
        .ok_or_else(|| sqlx::Error::Decode(format!("status {stored:?}").into()))
}
