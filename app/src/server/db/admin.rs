//! Reads for the administration pages (drafts included) and campaign updates.

use super::campaigns::NewCampaign;
use super::{time, Db, Tx};
use crate::model::admin::{
    CampaignAdmin, CampaignInput, CampaignListing, CatalogItem, Partner, WishlistEntry,
};
use crate::model::status::{CampaignStatus, PartnerKind};
use crate::model::{CampaignId, EquipmentItemId, Localized, Money, PartnerId};

/// The equipment catalog, by Thai name.
pub async fn catalog(db: &Db) -> Result<Vec<CatalogItem>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, String, i64)> = sqlx::query_as(
        "select equipment_item_id, code, name_th, name_en, unit_th, unit_en, reference_price_satang
         from equipment_item order by name_th",
    )
    .fetch_all(db.reader())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, code, name_th, name_en, unit_th, unit_en, price)| CatalogItem {
                id: EquipmentItemId(id),
                code,
                name: Localized::new(name_th, name_en),
                unit: Localized::new(unit_th, unit_en),
                reference_price: Money::from_satang(price),
            },
        )
        .collect())
}

/// Every partner, by Thai name.
pub async fn partners(db: &Db) -> Result<Vec<Partner>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>, String)> =
        sqlx::query_as("select partner_id, name_th, name_en, kind from partner order by name_th")
            .fetch_all(db.reader())
            .await?;
    Ok(rows.into_iter().map(partner).collect())
}

fn partner((id, th, en, kind): (i64, String, Option<String>, String)) -> Partner {
    Partner {
        id: PartnerId(id),
        name: Localized::new(th, en.unwrap_or_default()),
        kind: PartnerKind::from_code(&kind).unwrap_or(PartnerKind::CivilSociety),
    }
}

/// Every campaign, drafts included, newest first.
pub async fn campaigns(db: &Db) -> Result<Vec<CampaignListing>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>, String, i64, i64)> = sqlx::query_as(
        "select c.campaign_id, c.title_th, c.title_en, c.status, c.goal_satang, f.raised_satang
         from campaign c join campaign_fund f on f.campaign_id = c.campaign_id order by c.campaign_id desc",
    )
    .fetch_all(db.reader())
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
    recipient_tax_id: Option<String>,
    recipient_name_th: Option<String>,
    recipient_name_en: Option<String>,
    recipient_address: Option<String>,
}

/// A campaign as its edit page shows it, or `None`.
pub async fn campaign(db: &Db, id: CampaignId) -> Result<Option<CampaignAdmin>, sqlx::Error> {
    let row: Option<CampaignRow> = sqlx::query_as(
        "select status, title_th, title_en, story_th, story_en, goal_satang, starts_on, ends_on, ceremony_on,
           ceremony_place_th, ceremony_place_en, bank_name, bank_account_no, bank_account_name, promptpay_id,
           r.tax_id as recipient_tax_id, r.name_th as recipient_name_th, r.name_en as recipient_name_en,
           r.address_th as recipient_address
         from campaign c left join legal_recipient r on r.legal_recipient_id = c.legal_recipient_id
         where campaign_id = $1",
    )
    .bind(id.get())
    .fetch_optional(db.reader())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let goal = Money::from_satang(r.goal_satang).to_decimal().to_string();
    let input = CampaignInput {
        title_th: r.title_th,
        title_en: r.title_en.unwrap_or_default(),
        story_th: r.story_th,
        story_en: r.story_en.unwrap_or_default(),
        goal,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        ceremony_on: r.ceremony_on.unwrap_or_default(),
        ceremony_place_th: r.ceremony_place_th.unwrap_or_default(),
        ceremony_place_en: r.ceremony_place_en.unwrap_or_default(),
        bank_name: r.bank_name.unwrap_or_default(),
        bank_account_no: r.bank_account_no.unwrap_or_default(),
        bank_account_name: r.bank_account_name.unwrap_or_default(),
        promptpay_id: r.promptpay_id.unwrap_or_default(),
        recipient_tax_id: r.recipient_tax_id.unwrap_or_default(),
        recipient_name_th: r.recipient_name_th.unwrap_or_default(),
        recipient_name_en: r.recipient_name_en.unwrap_or_default(),
        recipient_address: r.recipient_address.unwrap_or_default(),
    };
    let wishlist: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "select e.equipment_item_id, e.name_th, e.name_en, w.quantity from campaign_wishlist_item w
         join equipment_item e on e.equipment_item_id = w.equipment_item_id where w.campaign_id = $1 order by w.position",
    )
    .bind(id.get())
    .fetch_all(db.reader())
    .await?;
    let partners: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
        "select p.partner_id, p.name_th, p.name_en, p.kind from campaign_partner cp join partner p on p.partner_id = cp.partner_id
         where cp.campaign_id = $1 order by cp.position",
    )
    .bind(id.get())
    .fetch_all(db.reader())
    .await?;
    let hospitals: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "select h.facility_code, h.name_th, h.name_en from campaign_hospital ch join hospital h on h.hospital_id = ch.hospital_id
         where ch.campaign_id = $1 order by h.name_th",
    )
    .bind(id.get())
    .fetch_all(db.reader())
    .await?;
    Ok(Some(CampaignAdmin {
        id,
        status: CampaignStatus::from_code(&r.status).unwrap_or(CampaignStatus::Draft),
        input,
        wishlist: wishlist
            .into_iter()
            .map(|(item, th, en, quantity)| WishlistEntry {
                item_id: EquipmentItemId(item),
                item: Localized::new(th, en),
                quantity,
            })
            .collect(),
        partners: partners.into_iter().map(partner).collect(),
        hospitals: hospitals
            .into_iter()
            .map(|(code, th, en)| (code, Localized::new(th, en.unwrap_or_default())))
            .collect(),
    }))
}

/// Rewrites a campaign's editable fields (not its status).
pub async fn update_campaign(
    tx: &mut Tx,
    id: CampaignId,
    c: &NewCampaign,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update campaign set title_th = $1, title_en = $2, story_th = $3, story_en = $4, goal_satang = $5, starts_on = $6,
           ends_on = $7, ceremony_on = $8, ceremony_place_th = $9, ceremony_place_en = $10, promptpay_id = $11,
           bank_name = $12, bank_account_no = $13, bank_account_name = $14
         where campaign_id = $15",
    )
    .bind(c.title.th.as_str())
    .bind(c.title.en.as_deref())
    .bind(c.story.th.as_str())
    .bind(c.story.en.as_deref())
    .bind(c.goal.satang())
    .bind(time::date(c.starts_on))
    .bind(time::date(c.ends_on))
    .bind(c.ceremony_on.map(time::date))
    .bind(c.ceremony_place.as_ref().map(|p| p.th.clone()))
    .bind(c.ceremony_place.as_ref().and_then(|p| p.en.clone()))
    .bind(c.promptpay_id.as_deref())
    .bind(c.bank_name.as_deref())
    .bind(c.bank_account_no.as_deref())
    .bind(c.bank_account_name.as_deref())
    .bind(id.get())
    .execute(&mut **tx)
    .await?;
    super::campaigns::set_recipient(tx, id, c.recipient.as_ref()).await?;
    Ok(())
}
