//! The campaign fund aggregate: running totals kept beside the journal in the same transaction
//! as every money event, so pages read one row and never add up donations. Every change to
//! `campaign_fund` and `campaign_donor` happens here.

use super::time;
use crate::model::{CampaignId, DonorId, Money};
use sqlx::AnyConnection;

/// One gift coming into (`sign` 1) or leaving (`sign` −1) a campaign's aggregates: its money
/// (`cash`) or its goods (`goods`), the gift count, and the donor count when `donor_changes`.
/// Answers `false`, changing nothing, when taking the cash back would leave less than the fund
/// has spent or holds for purchases.
pub async fn move_gift(
    c: &mut AnyConnection,
    campaign: CampaignId,
    sign: i64,
    cash: Money,
    goods: Money,
    donor_changes: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update campaign_fund set raised_satang = raised_satang + $1, in_kind_satang = in_kind_satang + $2,
         donation_count = donation_count + $3, donor_count = donor_count + $4, updated_at = $5
         where campaign_id = $6 and ($1 >= 0 or raised_satang + carried_in_satang - carried_out_satang + $1 >= spent_satang + committed_satang)",
    )
    .bind(sign * cash.satang())
    .bind(sign * goods.satang())
    .bind(sign)
    .bind(sign * i64::from(donor_changes))
    .bind(time::now())
    .bind(campaign.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the campaign's fund row until the transaction ends (PostgreSQL; SQLite's one writer
/// already runs writes one at a time), so decisions that read other rows first (a vendor's
/// 30-day total) are made one purchase at a time.
pub async fn lock(c: &mut sqlx::AnyConnection, campaign: CampaignId) -> Result<(), sqlx::Error> {
    let clause = super::campaign::for_update(super::engine_of(c));
    sqlx::query(&format!(
        "select campaign_id from campaign_fund where campaign_id = $1{clause}"
    ))
    .bind(campaign.get())
    .fetch_optional(c)
    .await?;
    Ok(())
}

/// Spends `amount` from the fund (`hold` false) or holds it for a purchase awaiting approval
/// (`hold` true), only if that much is still available: received + carried in − carried out −
/// spent − held. Answers whether it did. One conditional update, so racing purchases on either engine can never both take the
/// same baht (SQLite has one writer; PostgreSQL re-checks the condition on the locked row).
pub async fn spend(
    c: &mut AnyConnection,
    campaign: CampaignId,
    amount: Money,
    hold: bool,
) -> Result<bool, sqlx::Error> {
    let column = if hold {
        "committed_satang"
    } else {
        "spent_satang"
    };
    let done = sqlx::query(&format!(
        "update campaign_fund set {column} = {column} + $1, updated_at = $2
         where campaign_id = $3 and raised_satang + carried_in_satang - carried_out_satang - spent_satang - committed_satang >= $1"
    ))
    .bind(amount.satang())
    .bind(time::now())
    .bind(campaign.get())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a held amount: to spent when its purchase is approved, or back to the balance
/// (`to_spent` false) when it is voided before approval.
pub async fn release(
    c: &mut AnyConnection,
    campaign: CampaignId,
    amount: Money,
    to_spent: bool,
) -> Result<(), sqlx::Error> {
    let spent = if to_spent { amount.satang() } else { 0 };
    sqlx::query(
        "update campaign_fund set committed_satang = committed_satang - $1, spent_satang = spent_satang + $2,
         updated_at = $3 where campaign_id = $4",
    )
    .bind(amount.satang())
    .bind(spent)
    .bind(time::now())
    .bind(campaign.get())
    .execute(c)
    .await?;
    Ok(())
}

/// Gives spent money back to the balance when its purchase is voided.
pub async fn unspend(
    c: &mut AnyConnection,
    campaign: CampaignId,
    amount: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update campaign_fund set spent_satang = spent_satang - $1, updated_at = $2 where campaign_id = $3",
    )
    .bind(amount.satang())
    .bind(time::now())
    .bind(campaign.get())
    .execute(c)
    .await?;
    Ok(())
}

/// Reserves `count` asset-tag numbers in the campaign; answers the first.
pub async fn next_tags(
    c: &mut AnyConnection,
    campaign: CampaignId,
    count: i64,
) -> Result<i64, sqlx::Error> {
    let (last,): (i64,) = sqlx::query_as(
        "update campaign_fund set units_tagged = units_tagged + $1 where campaign_id = $2 returning units_tagged",
    )
    .bind(count)
    .bind(campaign.get())
    .fetch_one(c)
    .await?;
    Ok(last - count + 1)
}

/// A campaign's money for the purchase desk: received (with money carried in, less money carried out), spent, held, and the two-person
/// threshold; `None` for an unknown campaign.
pub async fn balance(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<(i64, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select f.raised_satang + f.carried_in_satang - f.carried_out_satang, f.spent_satang, f.committed_satang, c.second_approval_above_satang
         from campaign_fund f join campaign c on c.campaign_id = f.campaign_id where f.campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_optional(c)
    .await
}

/// What a campaign may still spend (received + carried in − carried out − spent − held).
pub async fn available(c: &mut AnyConnection, campaign: CampaignId) -> Result<Money, sqlx::Error> {
    let (available,): (i64,) = sqlx::query_as(
        "select raised_satang + carried_in_satang - carried_out_satang - spent_satang - committed_satang from campaign_fund where campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_one(c)
    .await?;
    Ok(Money::from_satang(available))
}

/// The two-person threshold, read inside a write transaction.
pub async fn threshold(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select second_approval_above_satang from campaign where campaign_id = $1")
            .bind(campaign.get())
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(t,)| t))
}

/// Sets the total above which a campaign's purchases need a second approval.
pub async fn set_threshold(
    c: &mut AnyConnection,
    campaign: CampaignId,
    amount: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query("update campaign set second_approval_above_satang = $1 where campaign_id = $2")
        .bind(amount.satang())
        .bind(campaign.get())
        .execute(c)
        .await?;
    Ok(())
}

/// Counts one more received gift of `donor` in the campaign; answers their count after it.
pub async fn donor_gave(
    c: &mut AnyConnection,
    campaign: CampaignId,
    donor: DonorId,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "insert into campaign_donor (campaign_id, donor_id, received_count, created_at) values ($1, $2, 1, $3)
         on conflict (campaign_id, donor_id) do update set received_count = campaign_donor.received_count + 1
         returning received_count",
    )
    .bind(campaign.get())
    .bind(donor.get())
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(count)
}

/// Counts one fewer received gift of `donor`; answers their count after it.
pub async fn donor_gift_voided(
    c: &mut AnyConnection,
    campaign: CampaignId,
    donor: DonorId,
) -> Result<i64, sqlx::Error> {
    let (left,): (i64,) = sqlx::query_as(
        "update campaign_donor set received_count = received_count - 1
         where campaign_id = $1 and donor_id = $2 returning received_count",
    )
    .bind(campaign.get())
    .bind(donor.get())
    .fetch_one(c)
    .await?;
    Ok(left)
}

/// One more (`1`) or one fewer (`-1`) open pledge.
pub async fn move_pledges(
    c: &mut AnyConnection,
    campaign: CampaignId,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update campaign_fund set pledged_count = pledged_count + $1, updated_at = $2 where campaign_id = $3",
    )
    .bind(by)
    .bind(time::now())
    .bind(campaign.get())
    .execute(c)
    .await?;
    Ok(())
}

/// A campaign's figures as finance officers see them.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct Figures {
    pub raised_satang: i64,
    pub in_kind_satang: i64,
    pub donation_count: i64,
    pub donor_count: i64,
    pub pledged_count: i64,
    /// Money carried in from settled campaigns.
    pub carried_in_satang: i64,
}

/// A campaign's figures, or `None` for an unknown campaign.
pub async fn figures(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<Figures>, sqlx::Error> {
    sqlx::query_as(
        "select raised_satang, in_kind_satang, donation_count, donor_count, pledged_count, carried_in_satang
         from campaign_fund where campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_optional(c)
    .await
}

/// A campaign as its money pages show it: title, status, money raised and legal recipient.
#[derive(sqlx::FromRow)]
pub struct CampaignMoney {
    pub title_th: String,
    pub title_en: Option<String>,
    pub status: String,
    pub goal_satang: i64,
    pub raised_satang: i64,
    pub recipient_name_th: Option<String>,
    pub recipient_name_en: Option<String>,
    pub recipient_tax_id: Option<String>,
    pub recipient_address: Option<String>,
}

/// A campaign's money view, or `None` for an unknown campaign.
pub async fn campaign_money(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Option<CampaignMoney>, sqlx::Error> {
    sqlx::query_as(
        "select c.title_th, c.title_en, c.status, c.goal_satang, f.raised_satang,
           r.name_th as recipient_name_th, r.name_en as recipient_name_en,
           r.tax_id as recipient_tax_id, r.address_th as recipient_address
         from campaign c join campaign_fund f on f.campaign_id = c.campaign_id
         left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
         where c.campaign_id = $1",
    )
    .bind(campaign.get())
    .fetch_optional(c)
    .await
}
