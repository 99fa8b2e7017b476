//! Hospitals: the public and internal reads, and the writes of the administration and the CSV
//! import. The facility code is unique in the table itself, so a second insert of the same code
//! fails there (and is answered as a field error), never by a check made beforehand.

use super::{flag, time};
use crate::model::hospital::{CampaignLink, DistrictHospitals, HospitalDetail, HospitalRef};
use crate::model::status::HospitalKind;
use crate::model::{CampaignId, HospitalId, Localized};
use sqlx::AnyConnection;

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
pub async fn by_district(c: &mut AnyConnection) -> Result<Vec<DistrictHospitals>, sqlx::Error> {
    let sql = format!("{HOSPITAL_SELECT} order by p.name_th, d.name_th, h.name_th");
    let rows: Vec<HospitalRow> = sqlx::query_as(&sql).fetch_all(c).await?;
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
pub async fn detail(
    c: &mut AnyConnection,
    facility_code: &str,
) -> Result<Option<HospitalDetail>, sqlx::Error> {
    let sql = format!("{HOSPITAL_SELECT} where h.facility_code = $1");
    let Some(row) = sqlx::query_as::<_, HospitalRow>(&sql)
        .bind(facility_code)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(HospitalDetail {
        hospital: row.to_ref(),
        campaigns: campaigns_serving(c, row.hospital_id).await?,
        open_requests: Vec::new(),
        received: Vec::new(),
        lending: None,
    }))
}

/// The campaigns (not drafts) that serve a hospital, newest first.
async fn campaigns_serving(
    c: &mut AnyConnection,
    hospital_id: i64,
) -> Result<Vec<CampaignLink>, sqlx::Error> {
    let campaigns: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select c.campaign_id, c.title_th, c.title_en from campaign_hospital ch
         join campaign c on c.campaign_id = ch.campaign_id
         where ch.hospital_id = $1 and c.status <> 'draft' order by c.starts_on desc",
    )
    .bind(hospital_id)
    .fetch_all(c)
    .await?;
    Ok(campaigns
        .into_iter()
        .map(|(id, th, en)| CampaignLink {
            id: CampaignId(id),
            title: Localized::new(th, en.unwrap_or_default()),
        })
        .collect())
}

/// The hospitals a campaign serves, by name.
pub async fn serving_campaign(
    c: &mut AnyConnection,
    campaign: CampaignId,
) -> Result<Vec<HospitalRef>, sqlx::Error> {
    let sql = format!(
        "{HOSPITAL_SELECT} join campaign_hospital ch on ch.hospital_id = h.hospital_id
         where ch.campaign_id = $1 order by h.name_th"
    );
    let rows: Vec<HospitalRow> = sqlx::query_as(&sql)
        .bind(campaign.get())
        .fetch_all(c)
        .await?;
    Ok(rows.iter().map(HospitalRow::to_ref).collect())
}

/// A hospital's id from its facility code.
pub async fn id_of(
    c: &mut AnyConnection,
    facility_code: &str,
) -> Result<Option<HospitalId>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select hospital_id from hospital where facility_code = $1")
            .bind(facility_code)
            .fetch_optional(c)
            .await?;
    Ok(row.map(|(id,)| HospitalId(id)))
}

/// A hospital's internal view, or `None` for an unknown facility code. `may_request`: whether
/// the caller is one of its staff (decided by the caller's permissions).
pub async fn internals(
    c: &mut AnyConnection,
    facility_code: &str,
    may_request: impl FnOnce(HospitalId) -> bool,
) -> Result<Option<crate::model::hospital::HospitalInternals>, sqlx::Error> {
    let sql = format!("{HOSPITAL_SELECT} where h.facility_code = $1");
    let Some(row) = sqlx::query_as::<_, HospitalRow>(&sql)
        .bind(facility_code)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let staff: Vec<(String,)> = sqlx::query_as(
        "select display_name from account where hospital_id = $1 and disabled_at is null order by display_name",
    )
    .bind(row.hospital_id)
    .fetch_all(&mut *c)
    .await?;
    let id = HospitalId(row.hospital_id);
    Ok(Some(crate::model::hospital::HospitalInternals {
        id,
        hospital: row.to_ref(),
        campaigns: campaigns_serving(c, row.hospital_id).await?,
        may_request: may_request(id),
        staff: staff.into_iter().map(|(n,)| n).collect(),
        lending: None,
    }))
}

/// A hospital's facility code from its id.
pub async fn code_of(c: &mut AnyConnection, id: HospitalId) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("select facility_code from hospital where hospital_id = $1")
            .bind(id.get())
            .fetch_optional(&mut *c)
            .await?;
    Ok(row.map(|(c,)| c))
}

/// A hospital to store, as validated by the hospital service (or the CSV import).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewHospital {
    /// 5 digits.
    pub facility_code: String,
    pub name_th: String,
    pub name_en: Option<String>,
    /// A sub-district that exists.
    pub subdistrict_code: i64,
    pub kind: HospitalKind,
}

/// Whether a sub-district has this official code.
pub async fn subdistrict_exists(c: &mut AnyConnection, code: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("select subdistrict_code from subdistrict where subdistrict_code = $1")
            .bind(code)
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}

/// Every official sub-district code (for checking a whole CSV at once).
pub async fn subdistrict_codes(c: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as("select subdistrict_code from subdistrict")
        .fetch_all(&mut *c)
        .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Adds a hospital; a taken facility code fails as a unique violation of
/// `hospital (facility_code)`.
pub async fn insert(c: &mut AnyConnection, h: &NewHospital) -> Result<HospitalId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into hospital (facility_code, name_th, name_en, subdistrict_code, kind, is_demo, created_at, updated_at)
         values ($1, $2, $3, $4, $5, 0, $6, $6) returning hospital_id",
    )
    .bind(h.facility_code.as_str())
    .bind(h.name_th.as_str())
    .bind(h.name_en.as_deref())
    .bind(h.subdistrict_code)
    .bind(h.kind.code())
    .bind(time::now())
    .fetch_one(c)
    .await?;
    Ok(HospitalId(id))
}

/// Rewrites the hospital with this facility code; `None` when there is none.
pub async fn update(
    c: &mut AnyConnection,
    h: &NewHospital,
) -> Result<Option<HospitalId>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "update hospital set name_th = $1, name_en = $2, subdistrict_code = $3, kind = $4, updated_at = $5
         where facility_code = $6 returning hospital_id",
    )
    .bind(h.name_th.as_str())
    .bind(h.name_en.as_deref())
    .bind(h.subdistrict_code)
    .bind(h.kind.code())
    .bind(time::now())
    .bind(h.facility_code.as_str())
    .fetch_optional(c)
    .await?;
    Ok(row.map(|(id,)| HospitalId(id)))
}

/// Adds the hospital or rewrites the one with its facility code, in one statement (so a
/// concurrent add of the same code cannot fail the import). `true` when it was added.
pub async fn upsert(c: &mut AnyConnection, h: &NewHospital) -> Result<bool, sqlx::Error> {
    let now = time::now();
    // A fresh row carries this statement's instant as its `created_at`; an updated one keeps
    // the `created_at` of the earlier transaction that added it.
    let (created, updated): (String, String) = sqlx::query_as(
        "insert into hospital (facility_code, name_th, name_en, subdistrict_code, kind, is_demo, created_at, updated_at)
         values ($1, $2, $3, $4, $5, 0, $6, $6)
         on conflict (facility_code) do update set name_th = excluded.name_th, name_en = excluded.name_en,
           subdistrict_code = excluded.subdistrict_code, kind = excluded.kind, updated_at = excluded.updated_at
         returning created_at, updated_at",
    )
    .bind(h.facility_code.as_str())
    .bind(h.name_th.as_str())
    .bind(h.name_en.as_deref())
    .bind(h.subdistrict_code)
    .bind(h.kind.code())
    .bind(now.as_str())
    .fetch_one(c)
    .await?;
    Ok(created == now && updated == now)
}
