//! Hospital queries.

use super::{flag, Db};
use crate::model::hospital::{CampaignLink, DistrictHospitals, HospitalDetail, HospitalRef};
use crate::model::status::HospitalKind;
use crate::model::{CampaignId, HospitalId, Localized};

#[derive(sqlx::FromRow)]
struct HospitalRow {
    hospital_id: i64,
    facility_code: String,
    name_th: String,
    name_en: Option<String>,
    kind: String,
    is_demo: i64,
    subdistrict_th: String,
    subdistrict_en: String,
    district_code: i64,
    district_th: String,
    district_en: String,
    province_th: String,
    province_en: String,
}

const HOSPITAL_SELECT: &str =
    "select h.hospital_id, h.facility_code, h.name_th, h.name_en, h.kind, h.is_demo,
    s.name_th as subdistrict_th, s.name_en as subdistrict_en,
    d.district_code, d.name_th as district_th, d.name_en as district_en,
    p.name_th as province_th, p.name_en as province_en
    from hospital h
    join subdistrict s on s.subdistrict_code = h.subdistrict_code
    join district d on d.district_code = s.district_code
    join province p on p.province_code = d.province_code";

impl HospitalRow {
    fn to_ref(&self) -> HospitalRef {
        HospitalRef {
            facility_code: self.facility_code.clone(),
            name: Localized::new(
                self.name_th.clone(),
                self.name_en.clone().unwrap_or_default(),
            ),
            kind: HospitalKind::from_code(&self.kind).unwrap_or(HospitalKind::Other),
            subdistrict: Localized::new(self.subdistrict_th.clone(), self.subdistrict_en.clone()),
            district: Localized::new(self.district_th.clone(), self.district_en.clone()),
            province: Localized::new(self.province_th.clone(), self.province_en.clone()),
            is_demo: flag(self.is_demo),
        }
    }
}

/// Every hospital, grouped by district (ordered by province, district and hospital name).
pub async fn by_district(db: &Db) -> Result<Vec<DistrictHospitals>, sqlx::Error> {
    let sql = format!("{HOSPITAL_SELECT} order by p.name_th, d.name_th, h.name_th");
    let rows: Vec<HospitalRow> = sqlx::query_as(&sql).fetch_all(db.reader()).await?;
    let mut groups: Vec<DistrictHospitals> = Vec::new();
    for row in rows {
        let hospital = row.to_ref();
        match groups.last_mut() {
            Some(group) if group.district_code == row.district_code => {
                group.hospitals.push(hospital)
            }
            _ => groups.push(DistrictHospitals {
                district_code: row.district_code,
                district: hospital.district.clone(),
                hospitals: vec![hospital],
            }),
        }
    }
    Ok(groups)
}

/// One hospital's public page, or `None` for an unknown facility code.
pub async fn detail(db: &Db, facility_code: &str) -> Result<Option<HospitalDetail>, sqlx::Error> {
    let sql = format!("{HOSPITAL_SELECT} where h.facility_code = $1");
    let Some(row) = sqlx::query_as::<_, HospitalRow>(&sql)
        .bind(facility_code)
        .fetch_optional(db.reader())
        .await?
    else {
        return Ok(None);
    };
    let campaigns: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select c.campaign_id, c.title_th, c.title_en from campaign_hospital ch
         join campaign c on c.campaign_id = ch.campaign_id
         where ch.hospital_id = $1 and c.status <> 'draft' order by c.starts_on desc",
    )
    .bind(row.hospital_id)
    .fetch_all(db.reader())
    .await?;
    Ok(Some(HospitalDetail {
        hospital: row.to_ref(),
        campaigns: campaigns
            .into_iter()
            .map(|(id, th, en)| CampaignLink {
                id: CampaignId(id),
                title: Localized::new(th, en.unwrap_or_default()),
            })
            .collect(),
    }))
}

/// The hospitals a campaign serves, by name.
pub async fn serving_campaign(
    db: &Db,
    campaign: CampaignId,
) -> Result<Vec<HospitalRef>, sqlx::Error> {
    let sql = format!(
        "{HOSPITAL_SELECT} join campaign_hospital ch on ch.hospital_id = h.hospital_id
         where ch.campaign_id = $1 order by h.name_th"
    );
    let rows: Vec<HospitalRow> = sqlx::query_as(&sql)
        .bind(campaign.get())
        .fetch_all(db.reader())
        .await?;
    Ok(rows.iter().map(HospitalRow::to_ref).collect())
}

/// A hospital's id from its facility code.
pub async fn id_of(db: &Db, facility_code: &str) -> Result<Option<HospitalId>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select hospital_id from hospital where facility_code = $1")
            .bind(facility_code)
            .fetch_optional(db.reader())
            .await?;
    Ok(row.map(|(id,)| HospitalId(id)))
}

/// A hospital's internal view, or `None` for an unknown facility code.
pub async fn internals(
    db: &Db,
    facility_code: &str,
) -> Result<Option<crate::model::hospital::HospitalInternals>, sqlx::Error> {
    let sql = format!("{HOSPITAL_SELECT} where h.facility_code = $1");
    let Some(row) = sqlx::query_as::<_, HospitalRow>(&sql)
        .bind(facility_code)
        .fetch_optional(db.reader())
        .await?
    else {
        return Ok(None);
    };
    let staff: Vec<(String,)> = sqlx::query_as(
        "select display_name from account where hospital_id = $1 and disabled_at is null order by display_name",
    )
    .bind(row.hospital_id)
    .fetch_all(db.reader())
    .await?;
    Ok(Some(crate::model::hospital::HospitalInternals {
        hospital: row.to_ref(),
        staff: staff.into_iter().map(|(n,)| n).collect(),
    }))
}

/// A hospital's facility code from its id.
pub async fn code_of(db: &Db, id: HospitalId) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("select facility_code from hospital where hospital_id = $1")
            .bind(id.get())
            .fetch_optional(db.reader())
            .await?;
    Ok(row.map(|(c,)| c))
}
