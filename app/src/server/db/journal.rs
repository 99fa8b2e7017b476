//! The double-entry journal: entries and their lines, only ever inserted (the database refuses
//! updates and deletes), and the read-only queries that check the books against it.

use super::time;
use crate::model::ledger::{EntryKind, LedgerAccount};
use crate::model::{CampaignId, DonationId, Money, PurchaseId};
use sqlx::AnyConnection;

/// One balanced journal entry: `amount` debited to one account and credited to another, for a
/// donation or a purchase; a reversal names the entry it reverses. Only the ledger service
/// (`service::ledger`) builds one.
pub struct Posting<'a> {
    pub campaign: CampaignId,
    pub kind: EntryKind,
    pub donation: Option<DonationId>,
    pub purchase: Option<PurchaseId>,
    pub reverses: Option<i64>,
    pub debit: LedgerAccount,
    pub credit: LedgerAccount,
    pub amount: Money,
    pub memo: Option<&'a str>,
}

/// Writes an entry and its two lines; answers the entry's id.
pub async fn post(c: &mut AnyConnection, p: Posting<'_>) -> Result<i64, sqlx::Error> {
    let now = time::now();
    let (entry_id,): (i64,) = sqlx::query_as(
        "insert into journal_entry (campaign_id, kind, donation_id, purchase_id, reverses_entry_id, memo, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning journal_entry_id",
    )
    .bind(p.campaign.get())
    .bind(p.kind.code())
    .bind(p.donation.map(DonationId::get))
    .bind(p.purchase.map(PurchaseId::get))
    .bind(p.reverses)
    .bind(p.memo)
    .bind(now.as_str())
    .fetch_one(&mut *c)
    .await?;
    sqlx::query(
        "insert into journal_line (journal_entry_id, campaign_id, account, debit_satang, credit_satang, created_at)
         values ($1, $2, $3, $4, 0, $6), ($1, $2, $5, 0, $4, $6)",
    )
    .bind(entry_id)
    .bind(p.campaign.get())
    .bind(p.debit.code())
    .bind(p.amount.satang())
    .bind(p.credit.code())
    .bind(now.as_str())
    .execute(&mut *c)
    .await?;
    Ok(entry_id)
}

/// The entry that spent a purchase's money (not its reversal), if it was posted.
pub async fn purchase_entry(
    c: &mut AnyConnection,
    purchase: PurchaseId,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select journal_entry_id from journal_entry
         where purchase_id = $1 and reverses_entry_id is null order by journal_entry_id limit 1",
    )
    .bind(purchase.get())
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// What a campaign has spent on equipment: the journal's `equipment_spent` account.
pub async fn spent(c: &mut AnyConnection, campaign: CampaignId) -> Result<Money, sqlx::Error> {
    let (spent,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(debit_satang) - sum(credit_satang), 0) as bigint) from journal_line
         where campaign_id = $1 and account = $2",
    )
    .bind(campaign.get())
    .bind(LedgerAccount::EquipmentSpent.code())
    .fetch_one(c)
    .await?;
    Ok(Money::from_satang(spent))
}

/// Total debits and credits of the whole journal.
pub async fn totals(c: &mut AnyConnection) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select cast(coalesce(sum(debit_satang), 0) as bigint), cast(coalesce(sum(credit_satang), 0) as bigint) from journal_line",
    )
    .fetch_one(c)
    .await
}

/// Entries whose lines do not balance.
pub async fn unbalanced_entries(c: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select journal_entry_id from journal_line group by journal_entry_id
         having sum(debit_satang) <> sum(credit_satang) order by journal_entry_id",
    )
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A campaign's kept aggregates beside what the journal and its donations say.
#[derive(sqlx::FromRow)]
pub struct FundCheck {
    pub campaign_id: i64,
    pub raised_satang: i64,
    pub in_kind_satang: i64,
    pub donation_count: i64,
    pub donor_count: i64,
    pub pledged_count: i64,
    pub journal_cash: i64,
    pub journal_goods: i64,
    pub spent_satang: i64,
    pub committed_satang: i64,
    pub carried_in_satang: i64,
    pub carried_out_satang: i64,
    pub journal_spent: i64,
    pub purchases_spent: i64,
    pub purchases_held: i64,
    pub received: i64,
    pub donors: i64,
    pub pledged: i64,
}

/// Every campaign's aggregates and their recomputed values.
pub async fn fund_checks(c: &mut AnyConnection) -> Result<Vec<FundCheck>, sqlx::Error> {
    sqlx::query_as(
        "select f.campaign_id, f.raised_satang, f.in_kind_satang, f.donation_count, f.donor_count, f.pledged_count,
           f.spent_satang, f.committed_satang, f.carried_in_satang, f.carried_out_satang,
           cast(coalesce((select sum(l.debit_satang) - sum(l.credit_satang) from journal_line l
              where l.campaign_id = f.campaign_id and l.account = $1), 0) as bigint) as journal_spent,
           cast(coalesce((select sum(p.total_satang) from purchase p
              where p.campaign_id = f.campaign_id and p.status = 'approved'), 0) as bigint) as purchases_spent,
           cast(coalesce((select sum(p.total_satang) from purchase p
              where p.campaign_id = f.campaign_id and p.status = 'awaiting_approval'), 0) as bigint) as purchases_held,
           cast(coalesce((select sum(l.credit_satang) - sum(l.debit_satang) from journal_line l
              where l.campaign_id = f.campaign_id and l.account = $2), 0) as bigint) as journal_cash,
           cast(coalesce((select sum(l.credit_satang) - sum(l.debit_satang) from journal_line l
              where l.campaign_id = f.campaign_id and l.account = $3), 0) as bigint) as journal_goods,
           (select count(*) from donation d where d.campaign_id = f.campaign_id and d.status = 'received') as received,
           (select count(distinct d.donor_id) from donation d where d.campaign_id = f.campaign_id and d.status = 'received') as donors,
           (select count(*) from donation d where d.campaign_id = f.campaign_id and d.status = 'pledged'
              and d.voided_at is null) as pledged
         from campaign_fund f order by f.campaign_id",
    )
    .bind(LedgerAccount::EquipmentSpent.code())
    .bind(LedgerAccount::DonationIncome.code())
    .bind(LedgerAccount::InKindIncome.code())
    .fetch_all(c)
    .await
}

/// Donations whose net journal income is not their amount while received and zero otherwise:
/// (reference, status, amount, net income).
pub async fn mismatched_donations(
    c: &mut AnyConnection,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select d.reference_code, d.status, d.amount_satang, cast(coalesce(sum(l.credit_satang - l.debit_satang), 0) as bigint)
         from donation d
         left join journal_entry e on e.donation_id = d.donation_id
         left join journal_line l on l.journal_entry_id = e.journal_entry_id
           and l.account in ($1, $2)
         group by d.donation_id, d.reference_code, d.status, d.amount_satang
         having cast(coalesce(sum(l.credit_satang - l.debit_satang), 0) as bigint)
           <> case d.status when 'received' then d.amount_satang else 0 end
         order by d.donation_id",
    )
    .bind(LedgerAccount::DonationIncome.code())
    .bind(LedgerAccount::InKindIncome.code())
    .fetch_all(c)
    .await
}

/// The fund's cash by the journal: money received less money spent, plus or minus carries.
pub async fn fund_cash(
    c: &mut sqlx::AnyConnection,
    campaign: CampaignId,
) -> Result<Money, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(debit_satang - credit_satang), 0) as bigint) from journal_line
         where campaign_id = $1 and account = $2",
    )
    .bind(campaign.get())
    .bind(LedgerAccount::FundCash.code())
    .fetch_one(c)
    .await?;
    Ok(Money::from_satang(n))
}
