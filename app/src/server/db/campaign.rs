//! Campaigns: the public reads (totals come from `campaign_fund`, never summed from donations),
//! the insert, and the legal recipient. The administrators' reads and writes are in [`admin`];
//! requests to change a public campaign's receiving account are in [`payee_change`].
//!
//! Just over 400 lines: the public reads share the summary query and the insert shares the
//! recipient upsert with the edit, so they stay together.

pub mod admin;
pub mod payee_change;

use super::{flag, hospital as hospitals, time, Engine};
use crate::model::campaign::{
    days_left, fund_wishlist_after, CampaignDetail, CampaignSummary, ItemProgress, PublicDonation,
    WishlistLine, WishlistProgress,
};
use crate::model::status::{CampaignStatus, DonationChannel};
use crate::model::{CampaignId, Localized, Money};
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How many recent donations a campaign page shows.
pub const RECENT_DONATIONS: i64 = 12;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    campaign_id: i64,
    title_th: String,
    title_en: Option<String>,
    status: String,
    goal_satang: i64,
    starts_on: String,
    ends_on: String,
    raised_satang: i64,
    donation_count: i64,
    donor_count: i64,
}

const SUMMARY_SELECT: &str =
    "select c.campaign_id, c.title_th, c.title_en, c.status, c.goal_satang,
    c.starts_on, c.ends_on, f.raised_satang, f.donation_count, f.donor_count
    from campaign c join campaign_fund f on f.campaign_id = c.campaign_id";

impl SummaryRow {
    fn into_summary(
        self,
        today: NaiveDate,
        organisers: Vec<Localized>,
    ) -> Result<CampaignSummary, sqlx::Error> {
        let status = CampaignStatus::from_code(&self.status).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown campaign status {:?}", self.status).into())
        })?;
        let ends_on = time::parse_date(&self.ends_on)?;
        Ok(CampaignSummary {
            id: CampaignId(self.campaign_id),
            title: Localized::new(self.title_th, self.title_en.unwrap_or_default()),
            organisers,
            status,
            goal: Money::from_satang(self.goal_satang),
            raised: Money::from_satang(self.raised_satang),
            donor_count: self.donor_count,
            donation_count: self.donation_count,
            starts_on: time::parse_date(&self.starts_on)?,
            ends_on,
            days_left: if status.takes_donations() {
                days_left(today, ends_on)
            } else {
                None
            },
        })
    }
}

/// Public campaigns (not drafts): open ones first, then by end date, newest first.
pub async fn list_public(
    c: &mut AnyConnection,
    today: NaiveDate,
) -> Result<Vec<CampaignSummary>, sqlx::Error> {
    let sql = format!(
        "{SUMMARY_SELECT} where c.status <> 'draft'
         order by case c.status when 'open' then 0 when 'closed' then 1 else 2 end, c.ends_on desc, c.campaign_id"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(&mut *c).await?;
    let mut organisers = organisers_by_campaign(c).await?;
    rows.into_iter()
        .map(|row| {
            let names = organisers.remove(&row.campaign_id).unwrap_or_default();
            row.into_summary(today, names)
        })
        .collect()
}

async fn organisers_by_campaign(
    c: &mut AnyConnection,
) -> Result<HashMap<i64, Vec<Localized>>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select cp.campaign_id, p.name_th, p.name_en from campaign_partner cp
         join partner p on p.partner_id = cp.partner_id
         join campaign c on c.campaign_id = cp.campaign_id
         where c.status <> 'draft' order by cp.campaign_id, cp.position",
    )
    .fetch_all(c)
    .await?;
    let mut map: HashMap<i64, Vec<Localized>> = HashMap::new();
    for (campaign, th, en) in rows {
        map.entry(campaign)
            .or_default()
            .push(Localized::new(th, en.unwrap_or_default()));
    }
    Ok(map)
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    story_th: String,
    story_en: Option<String>,
    ceremony_on: Option<String>,
    ceremony_place_th: Option<String>,
    ceremony_place_en: Option<String>,
    promptpay_id: Option<String>,
    edited_after_settlement_at: Option<String>,
}

/// A public campaign's page, or `None` if there is no such public campaign.
pub async fn detail(
    c: &mut AnyConnection,
    id: CampaignId,
    today: NaiveDate,
) -> Result<Option<CampaignDetail>, sqlx::Error> {
    let sql = format!("{SUMMARY_SELECT} where c.campaign_id = $1 and c.status <> 'draft'");
    let Some(row) = sqlx::query_as::<_, SummaryRow>(&sql)
        .bind(id.get())
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let organisers: Vec<(String, Option<String>)> = sqlx::query_as(
        "select p.name_th, p.name_en from campaign_partner cp join partner p on p.partner_id = cp.partner_id
         where cp.campaign_id = $1 order by cp.position",
    )
    .bind(id.get())
    .fetch_all(&mut *c)
    .await?;
    let organisers = organisers
        .into_iter()
        .map(|(th, en)| Localized::new(th, en.unwrap_or_default()))
        .collect();
    let summary = row.into_summary(today, organisers)?;
    let extra: DetailRow = sqlx::query_as(
        "select story_th, story_en, ceremony_on, ceremony_place_th, ceremony_place_en, promptpay_id,
           edited_after_settlement_at
         from campaign where campaign_id = $1",
    )
    .bind(id.get())
    .fetch_one(&mut *c)
    .await?;
    let lines = wishlist(c, id).await?;
    let wishlist = wishlist_progress(c, id, &lines).await?;
    let (homes_served, days_in_homes, _, _) = super::loan::campaign_figures(c, id.get()).await?;
    let homes = crate::model::loan::HomeFigures {
        homes_served,
        days_in_homes,
    };
    Ok(Some(CampaignDetail {
        homes,
        wishlist,
        summary,
        story: Localized::new(extra.story_th, extra.story_en.unwrap_or_default()),
        ceremony_on: extra
            .ceremony_on
            .as_deref()
            .map(time::parse_date)
            .transpose()?,
        ceremony_place: extra
            .ceremony_place_th
            .map(|th| Localized::new(th, extra.ceremony_place_en.unwrap_or_default())),
        promptpay_id: extra.promptpay_id,
        recent_donations: recent_donations(c, id).await?,
        hospitals: hospitals::serving_campaign(c, id).await?,
        carries: super::report::carries(c, id).await?,
        edited_after_settlement: extra.edited_after_settlement_at,
    }))
}

/// The wishlist with what has been bought and delivered of each item; the balance not yet spent
/// or held funds the rest.
pub async fn wishlist_progress(
    c: &mut AnyConnection,
    id: CampaignId,
    lines: &[WishlistLine],
) -> Result<Vec<WishlistProgress>, sqlx::Error> {
    let (raised, spent, committed): (i64, i64, i64) = sqlx::query_as(
        "select raised_satang + carried_in_satang - carried_out_satang, spent_satang, committed_satang from campaign_fund where campaign_id = $1",
    )
    .bind(id.get())
    .fetch_one(&mut *c)
    .await?;
    let mut done: std::collections::HashMap<i64, ItemProgress> = std::collections::HashMap::new();
    for (item, bought, delivered) in super::unit::wishlist_counts(c, id).await? {
        let p = done.entry(item).or_default();
        p.bought += bought;
        p.delivered += delivered;
    }
    for (item, ordered) in super::unit::ordered_not_received(c, id).await? {
        done.entry(item).or_default().bought += ordered;
    }
    for (item, held) in super::unit::awaiting_approval(c, id).await? {
        done.entry(item).or_default().held += held;
    }
    let balance = Money::from_satang(raised - spent - committed);
    Ok(fund_wishlist_after(balance, lines, |item| {
        done.get(&item.get()).copied().unwrap_or_default()
    }))
}

/// A campaign's wishlist lines, in order.
pub async fn wishlist(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<WishlistLine>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, i64, i64)> = sqlx::query_as(
        "select e.equipment_item_id, e.name_th, e.name_en, e.unit_th, e.unit_en, w.quantity, e.reference_price_satang
         from campaign_wishlist_item w join equipment_item e on e.equipment_item_id = w.equipment_item_id
         where w.campaign_id = $1 order by w.position",
    )
    .bind(id.get())
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(item, name_th, name_en, unit_th, unit_en, quantity, price)| WishlistLine {
                item_id: crate::model::EquipmentItemId(item),
                item: Localized::new(name_th, name_en),
                unit: Localized::new(unit_th, unit_en),
                quantity,
                unit_price: Money::from_satang(price),
            },
        )
        .collect())
}

/// The latest received gifts, names only with consent.
pub async fn recent_donations(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Vec<PublicDonation>, sqlx::Error> {
    let rows: Vec<(Option<String>, i64, i64, String, String)> = sqlx::query_as(
        "select dn.display_name, dn.show_name, d.amount_satang, d.channel, d.received_at
         from donation d join donor dn on dn.donor_id = d.donor_id
         where d.campaign_id = $1 and d.status = 'received'
         order by d.received_at desc, d.donation_id desc limit $2",
    )
    .bind(id.get())
    .bind(RECENT_DONATIONS)
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|(name, show, amount, channel, received_at)| {
            Ok(PublicDonation {
                donor_name: name.filter(|_| flag(show)),
                amount: Money::from_satang(amount),
                channel: DonationChannel::from_code(&channel).unwrap_or(DonationChannel::Cash),
                received_at: time::parse_instant(&received_at)?,
            })
        })
        .collect()
}

/// The clause that locks the rows a `select` reads until the transaction ends: `for update` on
/// PostgreSQL; nothing on SQLite, whose single writer already runs write transactions one at a
/// time (and which does not accept the clause).
pub fn for_update(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => " for update",
        Engine::Sqlite => "",
    }
}

/// A campaign's status, read `for share` on PostgreSQL: a settlement (which updates the row)
/// waits for transactions that have read it, and those reading later see the settlement.
/// `None` for an unknown campaign.
pub async fn status_for_share(
    c: &mut sqlx::AnyConnection,
    id: CampaignId,
) -> Result<Option<CampaignStatus>, sqlx::Error> {
    let lock = match super::engine_of(c) {
        Engine::Postgres => " for share",
        Engine::Sqlite => "",
    };
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "select status from campaign where campaign_id = $1{lock}"
    ))
    .bind(id.get())
    .fetch_optional(c)
    .await?;
    row.map(|(code,)| {
        CampaignStatus::from_code(&code).ok_or_else(|| {
            sqlx::Error::Decode(format!("campaign status {code:?} is unknown").into())
        })
    })
    .transpose()
}

/// Turns the satang tail of a campaign's new pledges on or off; `false` for an unknown campaign.
pub async fn set_pledge_tail(
    c: &mut sqlx::AnyConnection,
    id: CampaignId,
    on: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update campaign set pledge_tail = $1 where campaign_id = $2")
        .bind(i64::from(on))
        .bind(id.get())
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets after how many days a campaign's unpaid pledges lapse.
pub async fn set_lapse_days(
    c: &mut sqlx::AnyConnection,
    id: CampaignId,
    days: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update campaign set pledge_lapse_days = $1 where campaign_id = $2")
        .bind(days)
        .bind(id.get())
        .execute(c)
        .await?;
    Ok(())
}

/// A campaign to store: filled by the campaign service's parser (`ValidCampaign`) from what an
/// administrator typed, or by the demo loader.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewCampaign {
    pub title: Localized,
    pub story: Localized,
    pub goal: Money,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub ceremony_on: Option<NaiveDate>,
    pub ceremony_place: Option<Localized>,
    pub promptpay_id: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account_no: Option<String>,
    pub bank_account_name: Option<String>,
    pub status: CampaignStatus,
    pub is_demo: bool,
    /// Who legally receives the money and issues receipts.
    pub recipient: Option<NewRecipient>,
}

/// A legal recipient as entered on a campaign: found by its tax ID, its name kept current.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewRecipient {
    /// 13 digits with a valid check digit.
    pub tax_id: String,
    pub name: Localized,
    pub address: Option<String>,
}

/// Adds the recipient or refreshes the name and address of the one with its tax ID.
pub async fn upsert_recipient(c: &mut AnyConnection, r: &NewRecipient) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into legal_recipient (tax_id, name_th, name_en, address_th, created_at) values ($1, $2, $3, $4, $5)
         on conflict (tax_id) do update set name_th = excluded.name_th, name_en = excluded.name_en,
           address_th = excluded.address_th
         returning legal_recipient_id",
    )
    .bind(r.tax_id.as_str())
    .bind(r.name.th.as_str())
    .bind(r.name.en.as_deref())
    .bind(r.address.as_deref())
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(id)
}

/// Sets (or clears) the campaign's legal recipient.
pub async fn set_recipient(
    c: &mut AnyConnection,
    id: CampaignId,
    r: Option<&NewRecipient>,
) -> Result<(), sqlx::Error> {
    let recipient = match r {
        Some(r) => Some(upsert_recipient(c, r).await?),
        None => None,
    };
    sqlx::query("update campaign set legal_recipient_id = $1 where campaign_id = $2")
        .bind(recipient)
        .bind(id.get())
        .execute(c)
        .await?;
    Ok(())
}

/// Inserts a campaign with an empty fund.
pub async fn insert(
    c: &mut AnyConnection,
    campaign: &NewCampaign,
) -> Result<CampaignId, sqlx::Error> {
    let now = time::now();
    let (id,): (i64,) = sqlx::query_as(
        "insert into campaign (title_th, title_en, story_th, story_en, goal_satang, starts_on, ends_on,
           ceremony_on, ceremony_place_th, ceremony_place_en, promptpay_id, bank_name, bank_account_no,
           bank_account_name, status, is_demo, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         returning campaign_id",
    )
    .bind(campaign.title.th.as_str())
    .bind(campaign.title.en.as_deref())
    .bind(campaign.story.th.as_str())
    .bind(campaign.story.en.as_deref())
    .bind(campaign.goal.satang())
    .bind(time::date(campaign.starts_on))
    .bind(time::date(campaign.ends_on))
    .bind(campaign.ceremony_on.map(time::date))
    .bind(campaign.ceremony_place.as_ref().map(|p| p.th.clone()))
    .bind(campaign.ceremony_place.as_ref().and_then(|p| p.en.clone()))
    .bind(campaign.promptpay_id.as_deref())
    .bind(campaign.bank_name.as_deref())
    .bind(campaign.bank_account_no.as_deref())
    .bind(campaign.bank_account_name.as_deref())
    .bind(campaign.status.code())
    .bind(i64::from(campaign.is_demo))
    .bind(now.as_str())
    .fetch_one(&mut *c)
    .await?;
    sqlx::query("insert into campaign_fund (campaign_id, updated_at) values ($1, $2)")
        .bind(id)
        .bind(now.as_str())
        .execute(&mut *c)
        .await?;
    set_recipient(c, CampaignId(id), campaign.recipient.as_ref()).await?;
    Ok(CampaignId(id))
}
