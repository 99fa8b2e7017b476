//! Donation rows: donors found or added, one donation read by its reference, and the lists that
//! finance officers work from. Lists are bounded; totals come from `campaign_fund`.

use super::{time, Db, Tx};
use crate::model::donation::{DonationRow, DonorDetails, ReceiptNumber};
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{BatchId, CampaignId, DonationId, DonorId, Money};

/// How many rows a finance list shows.
pub const LIST_LIMIT: i64 = 100;

/// The donor for a gift: someone who gave before under the same ID and name is the same donor
/// (so the donor count counts people); anyone else is a new row.
pub async fn donor_for(tx: &mut Tx, d: &DonorDetails) -> Result<DonorId, sqlx::Error> {
    if let Some(id) = &d.national_id {
        let found: Option<(i64,)> = sqlx::query_as(
            "select donor_id from donor where national_id = $1 and coalesce(display_name, '') = $2
             and show_name = $3 order by donor_id limit 1",
        )
        .bind(id.digits())
        .bind(d.name.as_deref().unwrap_or(""))
        .bind(i64::from(d.show_name))
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((donor,)) = found {
            return Ok(DonorId(donor));
        }
    }
    super::donors::insert(
        tx,
        &super::donors::NewDonor {
            display_name: d.name.clone(),
            show_name: d.show_name,
            national_id: d.national_id.as_ref().map(|i| i.digits().to_owned()),
            phone: d.phone.clone(),
            email: d.email.clone(),
        },
    )
    .await
}

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
}

const RECORD_SELECT: &str = "select d.donation_id, d.campaign_id, d.donor_id, d.amount_satang, d.channel, d.status,
    d.reference_code, d.created_at, d.received_at, d.voided_at, d.void_reason, d.note, d.donation_batch_id,
    dn.display_name, dn.national_id, dn.phone, dn.email
    from donation d join donor dn on dn.donor_id = d.donor_id";

/// A donation by its reference code, read inside a write transaction.
pub async fn by_reference_tx(
    tx: &mut Tx,
    reference: &str,
) -> Result<Option<DonationRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{RECORD_SELECT} where d.reference_code = $1"))
        .bind(reference)
        .fetch_optional(&mut **tx)
        .await
}

/// A donation by its reference code.
pub async fn by_reference(db: &Db, reference: &str) -> Result<Option<DonationRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{RECORD_SELECT} where d.reference_code = $1"))
        .bind(reference)
        .fetch_optional(db.reader())
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

/// Which donations a finance list shows.
pub enum ListOf {
    Pledges(CampaignId),
    Recent(CampaignId),
    Batch(BatchId),
}

/// A bounded list of donations, newest first, with their receipt numbers.
pub async fn list(db: &Db, of: ListOf) -> Result<Vec<DonationRow>, sqlx::Error> {
    let (filter, id) = match of {
        ListOf::Pledges(c) => (
            "d.campaign_id = $1 and d.status = 'pledged' and d.voided_at is null",
            c.get(),
        ),
        ListOf::Recent(c) => (
            "d.campaign_id = $1 and (d.status <> 'pledged' or d.voided_at is not null)",
            c.get(),
        ),
        ListOf::Batch(b) => ("d.donation_batch_id = $1", b.get()),
    };
    let sql = format!(
        "select d.reference_code, dn.display_name, d.amount_satang, d.channel, d.status, d.created_at,
           d.received_at, r.fiscal_year, r.number, d.voided_at
         from donation d join donor dn on dn.donor_id = d.donor_id
         left join receipt r on r.donation_id = d.donation_id
         where {filter} order by d.donation_id desc limit $2"
    );
    type Row = (
        String,
        Option<String>,
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(id)
        .bind(LIST_LIMIT)
        .fetch_all(db.reader())
        .await?;
    rows.into_iter()
        .map(
            |(
                reference,
                name,
                amount,
                channel,
                status,
                created,
                received,
                year,
                number,
                voided,
            )| {
                Ok(DonationRow {
                    reference,
                    donor_name: name,
                    amount: Money::from_satang(amount),
                    channel: DonationChannel::from_code(&channel).unwrap_or(DonationChannel::Cash),
                    status: status_of(&status, voided.is_some())?,
                    created_at: time::parse_instant(&created)?,
                    received_at: received.as_deref().map(time::parse_instant).transpose()?,
                    receipt: year.zip(number).map(|(y, n)| ReceiptNumber {
                        fiscal_year: i32::try_from(y).unwrap_or_default(),
                        number: n,
                    }),
                })
            },
        )
        .collect()
}
