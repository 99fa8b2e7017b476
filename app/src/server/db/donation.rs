//! Donation rows: every insert and every status change of a donation happens here, so the rules
//! in `service::donations` are the only callers and no other file writes this table.
//!
//! Longer than most files for the same reason: one table's writes are kept in one file so nothing
//! else writes it.

use super::time;
use crate::model::account::AccountId;
use crate::model::donation::{BankAccount, DonationRow, ReceiptNumber};
use crate::model::status::{DonationChannel, DonationStatus};
use crate::model::{BatchId, CampaignId, DonationId, DonorId, Localized, Money};
use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

/// How many rows one page of a finance list shows.
pub const PAGE_SIZE: i64 = 100;

/// Whom a pledge was told to pay: kept on the pledge as it was shown, so a later change of the
/// campaign's receiving account never changes what a donor was asked to pay into.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payee {
    pub name: String,
    pub promptpay_id: Option<String>,
    pub bank: Option<BankAccount>,
}

/// A donation to insert.
#[derive(Clone, Debug)]
pub struct NewRow {
    pub campaign_id: CampaignId,
    pub donor_id: DonorId,
    pub amount: Money,
    pub channel: DonationChannel,
    pub status: DonationStatus,
    /// When the money arrived; `None` for a pledge.
    pub received_at: Option<DateTime<Utc>>,
    pub reference_code: String,
    pub note: Option<String>,
    pub batch: Option<BatchId>,
    pub recorded_by: Option<AccountId>,
    pub payee: Option<Payee>,
    pub backdate_reason: Option<String>,
    /// A pledge whose amount another open pledge holds: an officer matches its credit by hand.
    pub match_by_hand: bool,
    /// A pledge whose amount the satang tail made unique: its amount alone may match it.
    pub tail_unique: bool,
}

/// Inserts a donation.
pub async fn insert(c: &mut AnyConnection, d: &NewRow) -> Result<DonationId, sqlx::Error> {
    let payee = d.payee.as_ref();
    let bank = payee.and_then(|p| p.bank.as_ref());
    let (donation_id,): (i64,) = sqlx::query_as(
        "insert into donation (campaign_id, donor_id, amount_satang, channel, status, reference_code,
           received_at, note, donation_batch_id, recorded_by, payee_name, payee_promptpay_id,
           payee_bank_name, payee_bank_account_no, payee_bank_account_name, backdate_reason, created_at,
           match_by_hand, tail_unique)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         returning donation_id",
    )
    .bind(d.campaign_id.get())
    .bind(d.donor_id.get())
    .bind(d.amount.satang())
    .bind(d.channel.code())
    .bind(d.status.code())
    .bind(d.reference_code.as_str())
    .bind(d.received_at.map(time::instant))
    .bind(d.note.as_deref())
    .bind(d.batch.map(BatchId::get))
    .bind(d.recorded_by.map(|a| a.0))
    .bind(payee.map(|p| p.name.as_str()))
    .bind(payee.and_then(|p| p.promptpay_id.as_deref()))
    .bind(bank.map(|b| b.bank.as_str()))
    .bind(bank.map(|b| b.number.as_str()))
    .bind(bank.map(|b| b.name.as_str()))
    .bind(d.backdate_reason.as_deref())
    .bind(time::now())
    .bind(i64::from(d.match_by_hand))
    .bind(i64::from(d.tail_unique))
    .fetch_one(c)
    .await?;
    Ok(DonationId(donation_id))
}

/// The payee a pledge to `campaign` is shown now: the campaign's receiving account, named by its
/// account name, else its legal recipient, else its title.
pub async fn current_payee(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Payee, sqlx::Error> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (name, promptpay_id, bank, number, account_name): Row = sqlx::query_as(
        "select coalesce(c.bank_account_name, r.name_th, c.title_th), c.promptpay_id, c.bank_name,
           c.bank_account_no, c.bank_account_name
         from campaign c left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
         where c.campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_one(c)
    .await?;
    Ok(Payee {
        name,
        promptpay_id,
        bank: bank_account(bank, number, account_name),
    })
}

fn bank_account(
    bank: Option<String>,
    number: Option<String>,
    name: Option<String>,
) -> Option<BankAccount> {
    Some(BankAccount {
        bank: bank?,
        number: number?,
        name: name?,
    })
}

/// How a campaign's pledges are told apart on its bank statement: whether each new pledge gets
/// a satang tail of its own, and the Biller ID its QR code pays by bill payment (Ref1 = the
/// pledge's reference) instead of by PromptPay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PledgeMatching {
    pub tail: bool,
    pub biller_id: Option<String>,
    /// Days after which an unpaid pledge lapses.
    pub lapse_days: i64,
}

const PLEDGE_MATCHING: &str =
    "select pledge_tail, biller_id, pledge_lapse_days from campaign where campaign_id = $1";

fn pledge_matching_of(row: Option<(i64, Option<String>, i64)>) -> PledgeMatching {
    row.map(|(tail, biller_id, lapse_days)| PledgeMatching {
        tail: tail == 1,
        biller_id,
        lapse_days,
    })
    .unwrap_or(PledgeMatching {
        lapse_days: crate::model::donation::PLEDGE_LAPSE_DAYS,
        ..Default::default()
    })
}

/// A campaign's [`PledgeMatching`].
pub async fn pledge_matching(
    c: &mut sqlx::AnyConnection,
    campaign: CampaignId,
) -> Result<PledgeMatching, sqlx::Error> {
    let row = sqlx::query_as(PLEDGE_MATCHING)
        .bind(campaign.get())
        .fetch_optional(c)
        .await?;
    Ok(pledge_matching_of(row))
}

/// The amounts from `from` to `to` of the campaign's open pledges (pledged, not voided): the
/// amounts a new pledge's satang tail must not repeat.
pub async fn open_pledge_amounts(
    c: &mut AnyConnection,
    campaign: CampaignId,
    from: Money,
    to: Money,
) -> Result<Vec<Money>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "select amount_satang from donation
         where campaign_id = $1 and status = 'pledged' and voided_at is null
           and amount_satang between $2 and $3",
    )
    .bind(campaign.get())
    .bind(from.satang())
    .bind(to.satang())
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(a,)| Money::from_satang(a)).collect())
}

/// Marks a pledge received; `false` when it is no longer a pledge (someone else got there first).
pub async fn mark_received(
    c: &mut AnyConnection,
    donation: DonationId,
    received_at: DateTime<Utc>,
    by: Option<AccountId>,
    channel: DonationChannel,
    backdate_reason: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "update donation set status = 'received', received_at = $1, recorded_by = $2, channel = $3,
           backdate_reason = $4
         where donation_id = $5 and status = 'pledged' and voided_at is null",
    )
    .bind(time::instant(received_at))
    .bind(by.map(|a| a.0))
    .bind(channel.code())
    .bind(backdate_reason)
    .bind(donation.get())
    .execute(c)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Voids a donation still in `stored_status`; `false` when it changed meanwhile. A received gift
/// becomes `voided`; a pledge keeps `pledged` with its void date (see migration 0004).
pub async fn mark_voided(
    c: &mut AnyConnection,
    donation: DonationId,
    stored_status: &str,
    by: Option<AccountId>,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "update donation set status = case status when 'received' then 'voided' else status end,
           voided_at = $1, voided_by = $2, void_reason = $3
         where donation_id = $4 and status = $5 and voided_at is null",
    )
    .bind(time::now())
    .bind(by.map(|a| a.0))
    .bind(reason)
    .bind(donation.get())
    .bind(stored_status)
    .execute(c)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Records the goods of a gift in kind; the line's value is the gift's amount.
pub async fn insert_item(
    c: &mut AnyConnection,
    donation: DonationId,
    item: crate::model::EquipmentItemId,
    quantity: i64,
    value: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into donation_item (donation_id, equipment_item_id, quantity, value_satang, created_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(donation.get())
    .bind(item.get())
    .bind(quantity)
    .bind(value.satang())
    .bind(time::now())
    .execute(c)
    .await?;
    Ok(())
}

/// Locks a donation's row while it is received; answers whether it still is.
pub async fn lock_received(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update donation set status = status where donation_id = $1 and status = 'received'",
    )
    .bind(donation.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The goods of a gift in kind as stored: (item, quantity, value), inside a write transaction.
pub async fn item_lines(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<Vec<(crate::model::EquipmentItemId, i64, Money)>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select equipment_item_id, quantity, value_satang from donation_item
         where donation_id = $1 order by equipment_item_id",
    )
    .bind(donation.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(i, q, v)| (crate::model::EquipmentItemId(i), q, Money::from_satang(v)))
        .collect())
}

/// A campaign's received gifts in kind whose items are not yet in stock: (reference, value).
pub async fn unstocked_gifts(
    c: &mut AnyConnection,
    campaign: crate::model::CampaignId,
) -> Result<Vec<(String, Money)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select d.reference_code, d.amount_satang from donation d
         where d.campaign_id = $1 and d.channel = 'in_kind' and d.status = 'received'
           and exists (select 1 from donation_item i where i.donation_id = d.donation_id)
           and not exists (select 1 from equipment_unit u where u.donation_id = d.donation_id)
         order by d.donation_id",
    )
    .bind(campaign.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(r, a)| (r, Money::from_satang(a)))
        .collect())
}

/// The goods of a gift in kind, named.
pub async fn items(
    c: &mut AnyConnection,
    donation: DonationId,
) -> Result<Vec<(Localized, i64)>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "select e.name_th, e.name_en, i.quantity from donation_item i
         join equipment_item e on e.equipment_item_id = i.equipment_item_id where i.donation_id = $1",
    )
    .bind(donation.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(th, en, q)| (Localized::new(th, en.unwrap_or_default()), q))
        .collect())
}

/// Whether a catalog item exists (a gift in kind must name one).
pub async fn item_exists(
    c: &mut AnyConnection,
    item: crate::model::EquipmentItemId,
) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("select 1 from equipment_item where equipment_item_id = $1")
            .bind(item.get())
            .fetch_optional(c)
            .await?;
    Ok(found.is_some())
}

/// The received envelopes of a batch that have no receipt yet, in the order typed.
pub async fn unreceipted_in_batch(
    c: &mut AnyConnection,
    batch: BatchId,
) -> Result<Vec<(DonationId, Money, DateTime<Utc>)>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "select d.donation_id, d.amount_satang, d.received_at from donation d
         left join receipt r on r.donation_id = d.donation_id
         where d.donation_batch_id = $1 and d.status = 'received' and r.receipt_id is null
         order by d.donation_id",
    )
    .bind(batch.get())
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|(id, amount, at)| {
            Ok((
                DonationId(id),
                Money::from_satang(amount),
                time::parse_instant(&at)?,
            ))
        })
        .collect()
}

pub use super::donation_record::{by_reference, status_of, DonationRecord};

/// Which donations a finance list shows.
#[derive(Clone, Copy, Debug)]
pub enum ListOf {
    Pledges(CampaignId),
    Recent(CampaignId),
    Batch(BatchId),
}

/// One page of a finance list, newest first, and where the next (older) page starts.
#[derive(Clone, Debug)]
pub struct Page {
    pub rows: Vec<DonationRow>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub older: Option<i64>,
}

/// A page of donations, newest first, with their receipt numbers: at most [`PAGE_SIZE`] rows
/// older than `before` (a donation id from the previous page).
pub async fn list(
    c: &mut AnyConnection,
    of: ListOf,
    before: Option<i64>,
) -> Result<Page, sqlx::Error> {
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
        "select d.donation_id, d.reference_code, dn.display_name, d.amount_satang, d.channel, d.status,
           d.created_at, d.received_at, r.fiscal_year, r.number, d.voided_at
         from donation d join donor dn on dn.donor_id = d.donor_id
         left join receipt r on r.donation_id = d.donation_id
         where {filter} and d.donation_id < $2 order by d.donation_id desc limit $3"
    );
    let mut rows: Vec<ListRow> = sqlx::query_as(&sql)
        .bind(id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(PAGE_SIZE + 1)
        .fetch_all(c)
        .await?;
    let more = rows.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX));
    let older = more.then(|| rows.last().map(|r| r.donation_id)).flatten();
    let rows = rows
        .into_iter()
        .map(ListRow::into_row)
        .collect::<Result<_, _>>()?;
    Ok(Page { rows, older })
}

#[derive(sqlx::FromRow)]
struct ListRow {
    donation_id: i64,
    reference_code: String,
    display_name: Option<String>,
    amount_satang: i64,
    channel: String,
    status: String,
    created_at: String,
    received_at: Option<String>,
    fiscal_year: Option<i64>,
    number: Option<i64>,
    voided_at: Option<String>,
}

impl ListRow {
    fn into_row(self) -> Result<DonationRow, sqlx::Error> {
        Ok(DonationRow {
            reference: self.reference_code,
            donor_name: self.display_name,
            amount: Money::from_satang(self.amount_satang),
            channel: DonationChannel::from_code(&self.channel).unwrap_or(DonationChannel::Cash),
            status: status_of(&self.status, self.voided_at.is_some())?,
            created_at: time::parse_instant(&self.created_at)?,
            received_at: self
                .received_at
                .as_deref()
                .map(time::parse_instant)
                .transpose()?,
            receipt: self
                .fiscal_year
                .zip(self.number)
                .map(|(y, n)| ReceiptNumber {
                    fiscal_year: i32::try_from(y).unwrap_or_default(),
                    number: n,
                }),
        })
    }
}
