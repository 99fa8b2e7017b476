//! The open-data lists, a page at a time: public campaigns, hospitals (by province and district)
//! and units (of one campaign or of all public ones). Each page starts after the key of the last
//! row of the page before (keyset paging), so a page costs the same however far into the list it
//! is and whatever is added meanwhile, and the order (by id or by facility code) never changes.

use super::{flag, time};
use crate::model::campaign::CampaignSummary;
use crate::model::status::{CampaignStatus, HospitalKind};
use crate::model::{CampaignId, Localized, Money};
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct CampaignRow {
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
    is_demo: i64,
}

/// Public campaigns (not drafts) with an id above `after`, in id order, at most `limit`, each
/// with whether it is demonstration data.
pub async fn campaigns(
    c: &mut AnyConnection,
    after: i64,
    limit: i64,
    today: NaiveDate,
) -> Result<Vec<(CampaignSummary, bool)>, sqlx::Error> {
    let rows: Vec<CampaignRow> = sqlx::query_as(
        "select c.campaign_id, c.title_th, c.title_en, c.status, c.goal_satang, c.starts_on,
           c.ends_on, f.raised_satang, f.donation_count, f.donor_count, c.is_demo
         from campaign c join campaign_fund f on f.campaign_id = c.campaign_id
         where c.status <> 'draft' and c.campaign_id > $1 order by c.campaign_id limit $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    let last = rows.last().map_or(after, |r| r.campaign_id);
    let partners: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select cp.campaign_id, p.name_th, p.name_en from campaign_partner cp
         join partner p on p.partner_id = cp.partner_id
         where cp.campaign_id > $1 and cp.campaign_id <= $2 order by cp.campaign_id, cp.position",
    )
    .bind(after)
    .bind(last)
    .fetch_all(&mut *c)
    .await?;
    let mut organisers: HashMap<i64, Vec<Localized>> = HashMap::new();
    for (id, th, en) in partners {
        organisers
            .entry(id)
            .or_default()
            .push(Localized::new(th, en.unwrap_or_default()));
    }
    rows.into_iter()
        .map(|r| {
            let status = CampaignStatus::from_code(&r.status).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown campaign status {:?}", r.status).into())
            })?;
            let ends_on = time::parse_date(&r.ends_on)?;
            let summary = CampaignSummary {
                id: CampaignId(r.campaign_id),
                title: Localized::new(r.title_th, r.title_en.unwrap_or_default()),
                organisers: organisers.remove(&r.campaign_id).unwrap_or_default(),
                status,
                goal: Money::from_satang(r.goal_satang),
                raised: Money::from_satang(r.raised_satang),
                donor_count: r.donor_count,
                donation_count: r.donation_count,
                starts_on: time::parse_date(&r.starts_on)?,
                ends_on,
                days_left: if status.takes_donations() {
                    crate::model::campaign::days_left(today, ends_on)
                } else {
                    None
                },
            };
            Ok((summary, flag(r.is_demo)))
        })
        .collect()
}

/// A hospital as the list gives it, with the codes of its district and province.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedHospital {
    pub facility_code: String,
    pub name_th: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub is_demo: i64,
    pub subdistrict_code: i64,
    pub subdistrict_th: String,
    pub subdistrict_en: String,
    pub district_code: i64,
    pub district_th: String,
    pub district_en: String,
    pub province_code: i64,
    pub province_th: String,
    pub province_en: String,
}

impl ListedHospital {
    pub fn kind(&self) -> HospitalKind {
        HospitalKind::from_code(&self.kind).unwrap_or(HospitalKind::Other)
    }
    pub fn demo(&self) -> bool {
        flag(self.is_demo)
    }
}

/// Hospitals with a facility code above `after`, in code order, at most `limit`; only those of
/// `province` and `district` when given.
pub async fn hospitals(
    c: &mut AnyConnection,
    after: &str,
    province: Option<i64>,
    district: Option<i64>,
    limit: i64,
) -> Result<Vec<ListedHospital>, sqlx::Error> {
    // An absent filter is bound as -1, which no code is, and then matches every row.
    sqlx::query_as(
        "select h.facility_code, h.name_th, h.name_en, h.kind, h.is_demo,
           s.subdistrict_code, s.name_th as subdistrict_th, s.name_en as subdistrict_en,
           d.district_code, d.name_th as district_th, d.name_en as district_en,
           p.province_code, p.name_th as province_th, p.name_en as province_en
         from hospital h
         join subdistrict s on s.subdistrict_code = h.subdistrict_code
         join district d on d.district_code = s.district_code
         join province p on p.province_code = d.province_code
         where h.facility_code > $1 and ($2 = -1 or p.province_code = $2)
           and ($3 = -1 or d.district_code = $3)
         order by h.facility_code limit $4",
    )
    .bind(after)
    .bind(province.unwrap_or(-1))
    .bind(district.unwrap_or(-1))
    .bind(limit)
    .fetch_all(c)
    .await
}

/// A unit as the list gives it. The hospital is named only while it holds the unit (received),
/// as on the unit's own page. Voided units (of a voided purchase or gift) are not listed: they
/// were never bought.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedUnit {
    pub equipment_unit_id: i64,
    pub asset_tag: String,
    pub campaign_id: i64,
    pub equipment_item_id: i64,
    pub item_th: String,
    pub item_en: String,
    pub purchase_id: Option<i64>,
    pub donation_id: Option<i64>,
    pub cost_satang: i64,
    pub status: String,
    pub condition: String,
    pub facility_code: Option<String>,
    pub hospital_th: Option<String>,
    pub hospital_en: Option<String>,
    pub homes_served: i64,
    pub home_days: i64,
    pub is_demo: i64,
}

/// Units (not voided) of public campaigns with an id above `after`, in id order, at most `limit`; only
/// `campaign`'s when given.
pub async fn units(
    c: &mut AnyConnection,
    campaign: Option<i64>,
    after: i64,
    limit: i64,
) -> Result<Vec<ListedUnit>, sqlx::Error> {
    let filter = if campaign.is_some() {
        "u.campaign_id = $1 and"
    } else {
        "$1 = -1 and"
    };
    sqlx::query_as(&format!(
        "select u.equipment_unit_id, u.asset_tag, u.campaign_id, u.equipment_item_id,
           i.name_th as item_th, i.name_en as item_en, u.purchase_id, u.donation_id,
           u.cost_satang, u.status, u.condition,
           case when u.status = 'received' then h.facility_code end as facility_code,
           case when u.status = 'received' then h.name_th end as hospital_th,
           case when u.status = 'received' then h.name_en end as hospital_en,
           u.homes_served, u.home_days, c.is_demo
         from equipment_unit u
         join campaign c on c.campaign_id = u.campaign_id
         join equipment_item i on i.equipment_item_id = u.equipment_item_id
         left join hospital h on h.hospital_id = u.hospital_id
         where {filter} u.equipment_unit_id > $2 and c.status <> 'draft' and u.status <> 'voided'
         order by u.equipment_unit_id limit $3"
    ))
    .bind(campaign.unwrap_or(-1))
    .bind(after)
    .bind(limit)
    .fetch_all(c)
    .await
}

/// Whether `campaign` is a public (not draft) campaign.
pub async fn is_public_campaign(c: &mut AnyConnection, campaign: i64) -> Result<bool, sqlx::Error> {
    let found: Option<(i64,)> = sqlx::query_as(
        "select campaign_id from campaign where campaign_id = $1 and status <> 'draft'",
    )
    .bind(campaign)
    .fetch_optional(c)
    .await?;
    Ok(found.is_some())
}
