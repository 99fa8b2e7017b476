//! The double-entry journal and the aggregates kept beside it.
//!
//! Every money event writes balanced journal lines and updates the campaign's fund aggregate in
//! the caller's transaction, so a page's totals always equal the journal. Journal rows are only
//! ever inserted. [`check`] proves the invariants on a whole database.

use super::db::{time, Db, Tx};
use crate::model::status::DonationChannel;
use crate::model::{CampaignId, DonationId, DonorId, Money};
use chrono::{DateTime, Utc};

/// A gift that has arrived in the fund.
#[derive(Clone, Debug)]
pub struct ReceivedDonation {
    pub campaign_id: CampaignId,
    pub donor_id: DonorId,
    pub amount: Money,
    pub channel: DonationChannel,
    pub received_at: DateTime<Utc>,
    pub reference_code: String,
    pub note: Option<String>,
}

/// Records a received donation: the donation row, its journal entry (debit the fund's cash,
/// credit donation income) and the campaign's aggregates, all in `tx`.
pub async fn record_received(tx: &mut Tx, d: &ReceivedDonation) -> Result<DonationId, sqlx::Error> {
    let now = time::now();
    let (donation_id,): (i64,) = sqlx::query_as(
        "insert into donation (campaign_id, donor_id, amount_satang, channel, status, reference_code, received_at, note, created_at)
         values ($1, $2, $3, $4, 'received', $5, $6, $7, $8) returning donation_id",
    )
    .bind(d.campaign_id.get())
    .bind(d.donor_id.get())
    .bind(d.amount.satang())
    .bind(d.channel.code())
    .bind(d.reference_code.as_str())
    .bind(time::instant(d.received_at))
    .bind(d.note.as_deref())
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;

    let (entry_id,): (i64,) = sqlx::query_as(
        "insert into journal_entry (campaign_id, kind, donation_id, created_at)
         values ($1, 'donation_received', $2, $3) returning journal_entry_id",
    )
    .bind(d.campaign_id.get())
    .bind(donation_id)
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "insert into journal_line (journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at)
         values ($1, $2, 'fund_cash', $3, 0, $4), ($1, $2, 'donation_income', 0, $3, $4)",
    )
    .bind(entry_id)
    .bind(d.campaign_id.get())
    .bind(d.amount.satang())
    .bind(now.as_str())
    .execute(&mut **tx)
    .await?;

    let (received_count,): (i64,) = sqlx::query_as(
        "insert into campaign_donor (campaign_id, donor_id, received_count, created_at) values ($1, $2, 1, $3)
         on conflict (campaign_id, donor_id) do update set received_count = campaign_donor.received_count + 1
         returning received_count",
    )
    .bind(d.campaign_id.get())
    .bind(d.donor_id.get())
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let new_donor = i64::from(received_count == 1);
    sqlx::query(
        "update campaign_fund set raised_satang = raised_satang + $1, donation_count = donation_count + 1,
         donor_count = donor_count + $2, updated_at = $3 where campaign_id = $4",
    )
    .bind(d.amount.satang())
    .bind(new_donor)
    .bind(now.as_str())
    .bind(d.campaign_id.get())
    .execute(&mut **tx)
    .await?;
    Ok(DonationId(donation_id))
}

/// One broken invariant, named so a person can find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

/// Checks the books: the journal balances overall and per entry, and every campaign's aggregates
/// equal what the journal and the donations say. Returns every violation found, first first.
pub async fn check(db: &Db) -> Result<Vec<Violation>, sqlx::Error> {
    let mut violations = Vec::new();
    let (debits, credits): (i64, i64) = sqlx::query_as(
        "select cast(coalesce(sum(debit_satang), 0) as bigint), cast(coalesce(sum(credit_satang), 0) as bigint) from journal_line",
    )
    .fetch_one(db.reader())
    .await?;
    if debits != credits {
        violations.push(Violation(format!(
            "journal does not balance: debits {} ≠ credits {}",
            Money::from_satang(debits),
            Money::from_satang(credits)
        )));
    }
    let unbalanced: Vec<(i64,)> = sqlx::query_as(
        "select journal_entry_id from journal_line group by journal_entry_id
         having sum(debit_satang) <> sum(credit_satang) order by journal_entry_id",
    )
    .fetch_all(db.reader())
    .await?;
    for (entry,) in unbalanced {
        violations.push(Violation(format!("journal entry {entry} does not balance")));
    }
    let funds: Vec<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "select f.campaign_id, f.raised_satang, f.donation_count, f.donor_count,
           cast(coalesce((select sum(l.credit_satang) - sum(l.debit_satang) from journal_line l
              where l.campaign_id = f.campaign_id and l.account = 'donation_income'), 0) as bigint),
           (select count(*) from donation d where d.campaign_id = f.campaign_id and d.status = 'received'),
           (select count(distinct d.donor_id) from donation d where d.campaign_id = f.campaign_id and d.status = 'received')
         from campaign_fund f order by f.campaign_id",
    )
    .fetch_all(db.reader())
    .await?;
    for (campaign, raised, count, donors, journal, actual_count, actual_donors) in funds {
        if raised != journal {
            violations.push(Violation(format!(
                "campaign {campaign}: raised {} ≠ journal {}",
                Money::from_satang(raised),
                Money::from_satang(journal)
            )));
        }
        if count != actual_count {
            violations.push(Violation(format!(
                "campaign {campaign}: donation count {count} ≠ {actual_count} received donations"
            )));
        }
        if donors != actual_donors {
            violations.push(Violation(format!(
                "campaign {campaign}: donor count {donors} ≠ {actual_donors} distinct donors"
            )));
        }
    }
    Ok(violations)
}
