//! The administrators' side of campaigns: every campaign (drafts included), one campaign as its
//! edit page shows it, the stored fields an edit compares against, and the writes of the edit,
//! the status and the wishlist, partner and hospital links.
//!
//! Just over 400 lines: the edit page's reads and the edit's writes use the same stored fields, so
//! they stay together.

use super::{for_update, payee_change, set_recipient, NewCampaign, NewRecipient};
use crate::model::admin::{CampaignAdmin, CampaignInput, CampaignListing, WishlistEntry};
use crate::model::status::CampaignStatus;
use crate::model::{CampaignId, EquipmentItemId, HospitalId, Localized, Money, PartnerId};
use crate::server::db::{engine_of, flag, partner, time};
use sqlx::AnyConnection;

/// Every campaign, drafts included, newest first.
pub async fn list(c: &mut AnyConnection) -> Result<Vec<CampaignListing>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>, String, i64, i64)> = sqlx::query_as(
        "select c.campaign_id, c.title_th, c.title_en, c.status, c.goal_satang, f.raised_satang
         from campaign c join campaign_fund f on f.campaign_id = c.campaign_id order by c.campaign_id desc",
    )
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, th, en, status, goal, raised)| CampaignListing {
            id: CampaignId(id),
            title: Localized::new(th, en.unwrap_or_default()),
            status: CampaignStatus::from_code(&status).unwrap_or(CampaignStatus::Draft),
            goal: Money::from_satang(goal),
            raised: Money::from_satang(raised),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CampaignRow {
    status: String,
    is_demo: i64,
    title_th: String,
    title_en: Option<String>,
    story_th: String,
    story_en: Option<String>,
    goal_satang: i64,
    starts_on: String,
    ends_on: String,
    ceremony_on: Option<String>,
    ceremony_place_th: Option<String>,
    ceremony_place_en: Option<String>,
    bank_name: Option<String>,
    bank_account_no: Option<String>,
    bank_account_name: Option<String>,
    promptpay_id: Option<String>,
    biller_id: Option<String>,
    recipient_tax_id: Option<String>,
    recipient_name_th: Option<String>,
    recipient_name_en: Option<String>,
    recipient_address: Option<String>,
}

const CAMPAIGN_SELECT: &str =
    "select status, is_demo, title_th, title_en, story_th, story_en, goal_satang, starts_on, ends_on,
    ceremony_on, ceremony_place_th, ceremony_place_en, bank_name, bank_account_no, bank_account_name,
    promptpay_id, biller_id, r.tax_id as recipient_tax_id, r.name_th as recipient_name_th,
    r.name_en as recipient_name_en, r.address_th as recipient_address
    from campaign c left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
    where c.campaign_id = $1";

impl CampaignRow {
    fn into_stored(self) -> Result<NewCampaign, sqlx::Error> {
        let recipient = match (self.recipient_tax_id, self.recipient_name_th) {
            (Some(tax_id), Some(th)) => Some(NewRecipient {
                tax_id,
                name: Localized::new(th, self.recipient_name_en.unwrap_or_default()),
                address: self.recipient_address,
            }),
            _ => None,
        };
        Ok(NewCampaign {
            title: Localized::new(self.title_th, self.title_en.unwrap_or_default()),
            story: Localized::new(self.story_th, self.story_en.unwrap_or_default()),
            goal: Money::from_satang(self.goal_satang),
            starts_on: time::parse_date(&self.starts_on)?,
            ends_on: time::parse_date(&self.ends_on)?,
            ceremony_on: self
                .ceremony_on
                .as_deref()
                .map(time::parse_date)
                .transpose()?,
            ceremony_place: self
                .ceremony_place_th
                .map(|th| Localized::new(th, self.ceremony_place_en.unwrap_or_default())),
            promptpay_id: self.promptpay_id,
            bank_name: self.bank_name,
            bank_account_no: self.bank_account_no,
            bank_account_name: self.bank_account_name,
            status: CampaignStatus::from_code(&self.status).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown campaign status {:?}", self.status).into())
            })?,
            is_demo: flag(self.is_demo),
            recipient,
        })
    }
}

/// The campaign's stored fields, its row locked until `tx` ends on PostgreSQL (SQLite's single
/// writer already serialises write transactions), so nothing that reads it `for share` — a
/// receipt being issued, a pledge taking its payee — runs between this read and the commit.
pub async fn lock(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Option<NewCampaign>, sqlx::Error> {
    // `for update` cannot lock the nullable side of an outer join on PostgreSQL: lock the
    // campaign row alone first, then read it with its recipient.
    let locked: Option<(i64,)> = sqlx::query_as(&format!(
        "select campaign_id from campaign where campaign_id = $1{}",
        for_update(engine_of(c))
    ))
    .bind(id.get())
    .fetch_optional(&mut *c)
    .await?;
    if locked.is_none() {
        return Ok(None);
    }
    let row: CampaignRow = sqlx::query_as(CAMPAIGN_SELECT)
        .bind(id.get())
        .fetch_one(&mut *c)
        .await?;
    row.into_stored().map(Some)
}

/// The campaign's bill-payment Biller ID, inside a write transaction.
pub async fn biller_id(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("select biller_id from campaign where campaign_id = $1")
            .bind(id.get())
            .fetch_optional(c)
            .await?;
    Ok(row.and_then(|(b,)| b))
}

/// Sets (or clears) the campaign's bill-payment Biller ID.
pub async fn set_biller_id(
    c: &mut AnyConnection,
    id: CampaignId,
    biller_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update campaign set biller_id = $1 where campaign_id = $2")
        .bind(biller_id)
        .bind(id.get())
        .execute(c)
        .await?;
    Ok(())
}

/// How many receipts the campaign has issued (voided ones included: they keep their numbers).
pub async fn receipt_count(c: &mut AnyConnection, id: CampaignId) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from receipt x join donation d on d.donation_id = x.donation_id
         where d.campaign_id = $1",
    )
    .bind(id.get())
    .fetch_one(c)
    .await?;
    Ok(n)
}

/// A campaign as its edit page shows it, or `None`.
pub async fn get(
    c: &mut AnyConnection,
    id: CampaignId,
) -> Result<Option<CampaignAdmin>, sqlx::Error> {
    let row: Option<CampaignRow> = sqlx::query_as(CAMPAIGN_SELECT)
        .bind(id.get())
        .fetch_optional(&mut *c)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let status = CampaignStatus::from_code(&r.status).unwrap_or(CampaignStatus::Draft);
    let input = CampaignInput {
        title_th: r.title_th,
        title_en: r.title_en.unwrap_or_default(),
        story_th: r.story_th,
        story_en: r.story_en.unwrap_or_default(),
        goal: Money::from_satang(r.goal_satang).to_decimal().to_string(),
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        ceremony_on: r.ceremony_on.unwrap_or_default(),
        ceremony_place_th: r.ceremony_place_th.unwrap_or_default(),
        ceremony_place_en: r.ceremony_place_en.unwrap_or_default(),
        bank_name: r.bank_name.unwrap_or_default(),
        bank_account_no: r.bank_account_no.unwrap_or_default(),
        bank_account_name: r.bank_account_name.unwrap_or_default(),
        promptpay_id: r.promptpay_id.unwrap_or_default(),
        biller_id: r.biller_id.unwrap_or_default(),
        recipient_tax_id: r.recipient_tax_id.unwrap_or_default(),
        recipient_name_th: r.recipient_name_th.unwrap_or_default(),
        recipient_name_en: r.recipient_name_en.unwrap_or_default(),
        recipient_address: r.recipient_address.unwrap_or_default(),
        idempotency_key: String::new(),
    };
    let wishlist: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "select e.equipment_item_id, e.name_th, e.name_en, w.quantity from campaign_wishlist_item w
         join equipment_item e on e.equipment_item_id = w.equipment_item_id where w.campaign_id = $1 order by w.position",
    )
    .bind(id.get())
    .fetch_all(&mut *c)
    .await?;
    let partners: Vec<partner::PartnerRow> = sqlx::query_as(
        "select p.partner_id, p.name_th, p.name_en, p.kind from campaign_partner cp join partner p on p.partner_id = cp.partner_id
         where cp.campaign_id = $1 order by cp.position",
    )
    .bind(id.get())
    .fetch_all(&mut *c)
    .await?;
    let hospitals: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "select h.facility_code, h.name_th, h.name_en from campaign_hospital ch join hospital h on h.hospital_id = ch.hospital_id
         where ch.campaign_id = $1 order by h.name_th",
    )
    .bind(id.get())
    .fetch_all(&mut *c)
    .await?;
    Ok(Some(CampaignAdmin {
        id,
        status,
        input,
        wishlist: wishlist
            .into_iter()
            .map(|(item, th, en, quantity)| WishlistEntry {
                item_id: EquipmentItemId(item),
                item: Localized::new(th, en),
                quantity,
            })
            .collect(),
        partners: partners.into_iter().map(partner::from_row).collect(),
        hospitals: hospitals
            .into_iter()
            .map(|(code, th, en)| (code, Localized::new(th, en.unwrap_or_default())))
            .collect(),
        payee_changes: payee_change::of_campaign(c, id).await?,
    }))
}

/// Rewrites a campaign's editable fields and its legal recipient (not its status).
pub async fn update(
    c: &mut AnyConnection,
    id: CampaignId,
    campaign: &NewCampaign,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update campaign set title_th = $1, title_en = $2, story_th = $3, story_en = $4, goal_satang = $5, starts_on = $6,
           ends_on = $7, ceremony_on = $8, ceremony_place_th = $9, ceremony_place_en = $10, promptpay_id = $11,
           bank_name = $12, bank_account_no = $13, bank_account_name = $14
         where campaign_id = $15",
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
    .bind(id.get())
    .execute(&mut *c)
    .await?;
    set_recipient(c, id, campaign.recipient.as_ref()).await
}

/// Moves the campaign from `from` to `to`; `false` when it was no longer `from`.
pub async fn move_status(
    c: &mut AnyConnection,
    id: CampaignId,
    from: CampaignStatus,
    to: CampaignStatus,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("update campaign set status = $1 where campaign_id = $2 and status = $3")
            .bind(to.code())
            .bind(id.get())
            .bind(from.code())
            .execute(c)
            .await?;
    Ok(changed.rows_affected() == 1)
}

/// The quantity of an item on the campaign's wishlist, if it is there.
pub async fn wishlist_quantity(
    c: &mut AnyConnection,
    id: CampaignId,
    item: EquipmentItemId,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select quantity from campaign_wishlist_item where campaign_id = $1 and equipment_item_id = $2",
    )
    .bind(id.get())
    .bind(item.get())
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(q,)| q))
}

/// Sets the quantity of a wishlist line, adding it at the end when new; 0 removes the line.
pub async fn set_wishlist(
    c: &mut AnyConnection,
    id: CampaignId,
    item: EquipmentItemId,
    quantity: i64,
) -> Result<(), sqlx::Error> {
    let query = if quantity == 0 {
        sqlx::query(
            "delete from campaign_wishlist_item where campaign_id = $1 and equipment_item_id = $2",
        )
        .bind(id.get())
        .bind(item.get())
    } else {
        sqlx::query(
            "insert into campaign_wishlist_item (campaign_id, equipment_item_id, quantity, position, created_at)
             values ($1, $2, $3, (select coalesce(max(position), -1) + 1 from campaign_wishlist_item where campaign_id = $1), $4)
             on conflict (campaign_id, equipment_item_id) do update set quantity = excluded.quantity",
        )
        .bind(id.get())
        .bind(item.get())
        .bind(quantity)
        .bind(time::now())
    };
    query.execute(c).await?;
    Ok(())
}

/// Adds (`served`) or removes a hospital the campaign serves.
pub async fn set_hospital(
    c: &mut AnyConnection,
    id: CampaignId,
    hospital: HospitalId,
    served: bool,
) -> Result<(), sqlx::Error> {
    let query = if served {
        sqlx::query(
            "insert into campaign_hospital (campaign_id, hospital_id, created_at) values ($1, $2, $3)
             on conflict do nothing",
        )
        .bind(id.get())
        .bind(hospital.get())
        .bind(time::now())
    } else {
        sqlx::query("delete from campaign_hospital where campaign_id = $1 and hospital_id = $2")
            .bind(id.get())
            .bind(hospital.get())
    };
    query.execute(c).await?;
    Ok(())
}

/// Adds (at the end) or removes an organising partner.
pub async fn set_partner(
    c: &mut AnyConnection,
    id: CampaignId,
    partner: PartnerId,
    organiser: bool,
) -> Result<(), sqlx::Error> {
    let query = if organiser {
        sqlx::query(
            "insert into campaign_partner (campaign_id, partner_id, position, created_at)
             values ($1, $2, (select coalesce(max(position), -1) + 1 from campaign_partner where campaign_id = $1), $3)
             on conflict do nothing",
        )
        .bind(id.get())
        .bind(partner.get())
        .bind(time::now())
    } else {
        sqlx::query("delete from campaign_partner where campaign_id = $1 and partner_id = $2")
            .bind(id.get())
            .bind(partner.get())
    };
    query.execute(c).await?;
    Ok(())
}

/// Whether the campaign exists (read in the transaction that is about to point at it).
/// Notes that a settled campaign's words were corrected (its page says so).
pub async fn mark_edited_after_settlement(
    c: &mut sqlx::AnyConnection,
    id: CampaignId,
) -> Result<(), sqlx::Error> {
    sqlx::query("update campaign set edited_after_settlement_at = $1 where campaign_id = $2")
        .bind(super::super::time::now())
        .bind(id.get())
        .execute(c)
        .await?;
    Ok(())
}

pub async fn exists(c: &mut sqlx::AnyConnection, id: CampaignId) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select campaign_id from campaign where campaign_id = $1")
            .bind(id.get())
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}
