//! The double-entry journal and the aggregates kept beside it.
//!
//! Every money event writes balanced journal lines and updates the campaign's fund aggregate in
//! the caller's transaction, so a page's totals always equal the journal. Journal rows are only
//! ever inserted. [`check`] proves the invariants on a whole database.

use super::db::{time, Db, Tx};
use crate::model::account::AccountId;
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{BatchId, CampaignId, DonationId, DonorId, Money};
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
    pub batch: Option<BatchId>,
    pub recorded_by: Option<AccountId>,
}

/// Records a received donation: the donation row, its journal entry and the campaign's
/// aggregates, all in `tx`.
pub async fn record_received(tx: &mut Tx, d: &ReceivedDonation) -> Result<DonationId, sqlx::Error> {
    let donation_id = insert_donation(tx, d, DonationStatus::Received).await?;
    post_received(
        tx,
        d.campaign_id,
        donation_id,
        d.donor_id,
        d.amount,
        d.channel,
    )
    .await?;
    Ok(donation_id)
}

/// Records a pledge: the donation row only (nothing reaches the journal until the money does)
/// and the campaign's count of open pledges.
pub async fn record_pledge(tx: &mut Tx, d: &ReceivedDonation) -> Result<DonationId, sqlx::Error> {
    let donation_id = insert_donation(tx, d, DonationStatus::Pledged).await?;
    sqlx::query("update campaign_fund set pledged_count = pledged_count + 1, updated_at = $1 where campaign_id = $2")
        .bind(time::now())
        .bind(d.campaign_id.get())
        .execute(&mut **tx)
        .await?;
    Ok(donation_id)
}

async fn insert_donation(
    tx: &mut Tx,
    d: &ReceivedDonation,
    status: DonationStatus,
) -> Result<DonationId, sqlx::Error> {
    let received_at = (status == DonationStatus::Received).then(|| time::instant(d.received_at));
    let (donation_id,): (i64,) = sqlx::query_as(
        "insert into donation (campaign_id, donor_id, amount_satang, channel, status, reference_code,
           received_at, note, donation_batch_id, recorded_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning donation_id",
    )
    .bind(d.campaign_id.get())
    .bind(d.donor_id.get())
    .bind(d.amount.satang())
    .bind(d.channel.code())
    .bind(status.code())
    .bind(d.reference_code.as_str())
    .bind(received_at)
    .bind(d.note.as_deref())
    .bind(d.batch.map(BatchId::get))
    .bind(d.recorded_by.map(|a| a.0))
    .bind(time::now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(DonationId(donation_id))
}

/// The two accounts a gift moves: money into the fund's cash, or goods at fair value.
fn accounts(channel: DonationChannel) -> (&'static str, &'static str) {
    if channel == DonationChannel::InKind {
        ("in_kind_goods", "in_kind_income")
    } else {
        ("fund_cash", "donation_income")
    }
}

/// One balanced journal entry: `amount` debited to one account and credited to another.
struct Posting<'a> {
    campaign: CampaignId,
    kind: &'a str,
    donation: DonationId,
    debit: &'a str,
    credit: &'a str,
    amount: Money,
    memo: Option<&'a str>,
}

async fn journal(tx: &mut Tx, p: Posting<'_>) -> Result<(), sqlx::Error> {
    let Posting {
        campaign,
        kind,
        donation,
        debit,
        credit,
        amount,
        memo,
    } = p;
    let now = time::now();
    let (entry_id,): (i64,) = sqlx::query_as(
        "insert into journal_entry (campaign_id, kind, donation_id, memo, created_at)
         values ($1, $2, $3, $4, $5) returning journal_entry_id",
    )
    .bind(campaign.get())
    .bind(kind)
    .bind(donation.get())
    .bind(memo)
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "insert into journal_line (journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at)
         values ($1, $2, $3, $4, 0, $6), ($1, $2, $5, 0, $4, $6)",
    )
    .bind(entry_id)
    .bind(campaign.get())
    .bind(debit)
    .bind(amount.satang())
    .bind(credit)
    .bind(now.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Posts a donation that has just become received: debit the fund's cash (or goods), credit
/// income, and move the campaign's aggregates, in `tx`.
pub async fn post_received(
    tx: &mut Tx,
    campaign: CampaignId,
    donation: DonationId,
    donor: DonorId,
    amount: Money,
    channel: DonationChannel,
) -> Result<(), sqlx::Error> {
    let (debit, credit) = accounts(channel);
    let posting = Posting {
        campaign,
        kind: "donation_received",
        donation,
        debit,
        credit,
        amount,
        memo: None,
    };
    journal(tx, posting).await?;
    let now = time::now();
    let (received_count,): (i64,) = sqlx::query_as(
        "insert into campaign_donor (campaign_id, donor_id, received_count, created_at) values ($1, $2, 1, $3)
         on conflict (campaign_id, donor_id) do update set received_count = campaign_donor.received_count + 1
         returning received_count",
    )
    .bind(campaign.get())
    .bind(donor.get())
    .bind(now.as_str())
    .fetch_one(&mut **tx)
    .await?;
    move_fund(tx, campaign, 1, channel, amount, received_count == 1).await
}

/// Reverses a received donation with a visible entry of its own (nothing is deleted), in `tx`.
pub async fn post_void(
    tx: &mut Tx,
    campaign: CampaignId,
    donation: DonationId,
    donor: DonorId,
    amount: Money,
    channel: DonationChannel,
    reason: &str,
) -> Result<(), sqlx::Error> {
    let (asset, income) = accounts(channel);
    let posting = Posting {
        campaign,
        kind: "donation_voided",
        donation,
        debit: income,
        credit: asset,
        amount,
        memo: Some(reason),
    };
    journal(tx, posting).await?;
    let (left,): (i64,) = sqlx::query_as(
        "update campaign_donor set received_count = received_count - 1
         where campaign_id = $1 and donor_id = $2 returning received_count",
    )
    .bind(campaign.get())
    .bind(donor.get())
    .fetch_one(&mut **tx)
    .await?;
    move_fund(tx, campaign, -1, channel, amount, left == 0).await
}

/// Adds (`sign` 1) or takes away (`sign` −1) one gift in the campaign's aggregates: its money or
/// its goods, the gift count, and the donor count when the donor arrives or leaves with it.
async fn move_fund(
    tx: &mut Tx,
    campaign: CampaignId,
    sign: i64,
    channel: DonationChannel,
    amount: Money,
    donor_changes: bool,
) -> Result<(), sqlx::Error> {
    let (cash, goods) = if channel == DonationChannel::InKind {
        (0, amount.satang())
    } else {
        (amount.satang(), 0)
    };
    sqlx::query(
        "update campaign_fund set raised_satang = raised_satang + $1, in_kind_satang = in_kind_satang + $2,
         donation_count = donation_count + $3, donor_count = donor_count + $4, updated_at = $5
         where campaign_id = $6",
    )
    .bind(sign * cash)
    .bind(sign * goods)
    .bind(sign)
    .bind(sign * i64::from(donor_changes))
    .bind(time::now())
    .bind(campaign.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
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
    check_funds(db, &mut violations).await?;
    check_donations(db, &mut violations).await?;
    check_receipts(db, &mut violations).await?;
    Ok(violations)
}

#[derive(sqlx::FromRow)]
struct FundCheck {
    campaign_id: i64,
    raised_satang: i64,
    in_kind_satang: i64,
    donation_count: i64,
    donor_count: i64,
    pledged_count: i64,
    journal_cash: i64,
    journal_goods: i64,
    received: i64,
    donors: i64,
    pledged: i64,
}

/// Every campaign's aggregates equal what the journal and its donations say.
async fn check_funds(db: &Db, violations: &mut Vec<Violation>) -> Result<(), sqlx::Error> {
    let funds: Vec<FundCheck> = sqlx::query_as(
        "select f.campaign_id, f.raised_satang, f.in_kind_satang, f.donation_count, f.donor_count, f.pledged_count,
           cast(coalesce((select sum(l.credit_satang) - sum(l.debit_satang) from journal_line l
              where l.campaign_id = f.campaign_id and l.account = 'donation_income'), 0) as bigint) as journal_cash,
           cast(coalesce((select sum(l.credit_satang) - sum(l.debit_satang) from journal_line l
              where l.campaign_id = f.campaign_id and l.account = 'in_kind_income'), 0) as bigint) as journal_goods,
           (select count(*) from donation d where d.campaign_id = f.campaign_id and d.status = 'received') as received,
           (select count(distinct d.donor_id) from donation d where d.campaign_id = f.campaign_id and d.status = 'received') as donors,
           (select count(*) from donation d where d.campaign_id = f.campaign_id and d.status = 'pledged'
              and d.voided_at is null) as pledged
         from campaign_fund f order by f.campaign_id",
    )
    .fetch_all(db.reader())
    .await?;
    for f in funds {
        let c = f.campaign_id;
        if f.raised_satang != f.journal_cash {
            violations.push(Violation(format!(
                "campaign {c}: raised {} ≠ journal {}",
                Money::from_satang(f.raised_satang),
                Money::from_satang(f.journal_cash)
            )));
        }
        if f.in_kind_satang != f.journal_goods {
            violations.push(Violation(format!(
                "campaign {c}: in kind {} ≠ journal {}",
                Money::from_satang(f.in_kind_satang),
                Money::from_satang(f.journal_goods)
            )));
        }
        let counts = [
            (
                "donation count",
                f.donation_count,
                f.received,
                "received donations",
            ),
            ("donor count", f.donor_count, f.donors, "distinct donors"),
            ("pledge count", f.pledged_count, f.pledged, "open pledges"),
        ];
        for (what, kept, actual, of) in counts {
            if kept != actual {
                violations.push(Violation(format!(
                    "campaign {c}: {what} {kept} ≠ {actual} {of}"
                )));
            }
        }
    }
    Ok(())
}

/// Each donation's net income in the journal is its amount while received and zero otherwise
/// (a pledge never posted, a void reversed).
async fn check_donations(db: &Db, violations: &mut Vec<Violation>) -> Result<(), sqlx::Error> {
    let wrong: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "select d.reference_code, d.status, d.amount_satang, cast(coalesce(sum(l.credit_satang - l.debit_satang), 0) as bigint)
         from donation d
         left join journal_entry e on e.donation_id = d.donation_id
         left join journal_line l on l.journal_entry_id = e.journal_entry_id
           and l.account in ('donation_income', 'in_kind_income')
         group by d.donation_id, d.reference_code, d.status, d.amount_satang
         having cast(coalesce(sum(l.credit_satang - l.debit_satang), 0) as bigint)
           <> case d.status when 'received' then d.amount_satang else 0 end
         order by d.donation_id",
    )
    .fetch_all(db.reader())
    .await?;
    for (reference, status, amount, net) in wrong {
        violations.push(Violation(format!(
            "donation {reference} ({status}, {}): journal income {}",
            Money::from_satang(amount),
            Money::from_satang(net)
        )));
    }
    Ok(())
}

/// Receipt numbers run 1, 2, 3 … without gaps per recipient and fiscal year, the counter stands
/// at the last one, and every received donation outside an open batch has its receipt.
async fn check_receipts(db: &Db, violations: &mut Vec<Violation>) -> Result<(), sqlx::Error> {
    let series: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "select r.legal_recipient_id, r.fiscal_year, count(*), min(r.number), max(r.number),
           coalesce(max(c.last_number), 0)
         from receipt r left join receipt_counter c
           on c.legal_recipient_id = r.legal_recipient_id and c.fiscal_year = r.fiscal_year
         group by r.legal_recipient_id, r.fiscal_year order by r.legal_recipient_id, r.fiscal_year",
    )
    .fetch_all(db.reader())
    .await?;
    for (recipient, year, count, first, last, counter) in series {
        if first != 1 || last != count {
            violations.push(Violation(format!(
                "receipts of recipient {recipient}, fiscal year {year}: {count} numbers from {first} to {last}, not 1 to {count} without gaps"
            )));
        }
        if counter != last {
            violations.push(Violation(format!(
                "receipts of recipient {recipient}, fiscal year {year}: counter {counter} ≠ last number {last}"
            )));
        }
    }
    let missing: Vec<(String,)> = sqlx::query_as(
        "select d.reference_code from donation d
         left join receipt r on r.donation_id = d.donation_id
         left join donation_batch b on b.donation_batch_id = d.donation_batch_id
         where d.status = 'received' and r.receipt_id is null and (b.status is null or b.status <> 'open')
         order by d.donation_id",
    )
    .fetch_all(db.reader())
    .await?;
    for (reference,) in missing {
        violations.push(Violation(format!(
            "donation {reference} was received but has no receipt"
        )));
    }
    Ok(())
}
