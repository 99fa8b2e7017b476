//! What the stock pages read: a campaign's, a hospital's or a purchase's units, one unit with its
//! history, label sheets, the hospitals a campaign serves. Reads only, on a reader connection.

use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::{EventView, Label, ServedHospital, UnitView};
use crate::model::{CampaignId, HospitalId, Localized, PurchaseId};
use crate::server::db::unit::{self, UnitRow};
use crate::server::db::Db;
use crate::server::service::Caller;

fn views(rows: Vec<UnitRow>) -> Result<Vec<UnitView>, AppError> {
    rows.into_iter()
        .map(|r| r.view().map_err(AppError::from))
        .collect()
}

/// A campaign's units (finance officers).
pub async fn of_campaign(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<UnitView>, AppError> {
    caller.require(Action::ManageStock)?;
    views(unit::of_campaign(&mut *db.reader().acquire().await?, campaign).await?)
}

/// A hospital's units: allocated, on the way, received (its staff, finance, administrators).
pub async fn of_hospital(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
) -> Result<Vec<UnitView>, AppError> {
    caller.require(Action::ViewHospitalInternals(hospital))?;
    views(unit::of_hospital(&mut *db.reader().acquire().await?, hospital).await?)
}

/// A purchase's units, for its label sheet (finance officers).
pub async fn of_purchase(
    db: &Db,
    caller: &Caller,
    purchase: PurchaseId,
) -> Result<Vec<UnitView>, AppError> {
    caller.require(Action::ManageStock)?;
    views(unit::of_purchase(&mut *db.reader().acquire().await?, purchase).await?)
}

/// One unit with its whole history: finance officers, or staff of the hospital it is at.
pub async fn detail(
    db: &Db,
    caller: &Caller,
    tag: &str,
) -> Result<(UnitView, Vec<EventView>), AppError> {
    caller.user().ok_or(AppError::Unauthorized)?;
    let tag = tag.trim().to_ascii_uppercase();
    let mut c = db.reader().acquire().await?;
    let u = unit::by_tag(&mut c, &tag)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = caller.require(Action::ManageStock).is_ok()
        || u.hospital()
            .is_some_and(|h| caller.require(Action::ViewHospitalInternals(h)).is_ok());
    if !allowed {
        return Err(AppError::NotFound);
    }
    let id = u.id();
    let own = u.hospital();
    let view = u.view()?;
    let mut events = unit::history(&mut c, id).await?;
    if caller.require(Action::ManageStock).is_err() {
        // Hospital staff read their own hospital's part of a unit's history, without names:
        // where it went before (another hospital's rejection and its reason) is not theirs.
        events.retain(|e| e.hospital_id.is_none() || e.hospital_id == own);
        for e in &mut events {
            e.by = None;
            if e.hospital_id.is_none() {
                e.note = None;
            }
        }
    }
    Ok((view, events))
}

/// A purchase's labels: each unit's tag, and a QR code of its public page under `base` (the
/// site's address, e.g. `https://phapa.example`).
pub async fn labels(
    db: &Db,
    caller: &Caller,
    purchase: PurchaseId,
    base: &str,
) -> Result<Vec<Label>, AppError> {
    caller.require(Action::ManageStock)?;
    let base = base.trim_end_matches('/');
    let mut out = Vec::new();
    for u in unit::of_purchase(&mut *db.reader().acquire().await?, purchase).await? {
        if u.status == "voided" {
            continue;
        }
        let url = format!("{base}/units/{}", u.asset_tag);
        let qr = crate::server::qr::svg(&url).ok_or_else(|| AppError::BadRequest("qr".into()))?;
        out.push(Label {
            item: Localized::new(u.item_th, u.item_en),
            serial_no: u.serial_no,
            tag: u.asset_tag,
            url,
            qr,
        });
    }
    Ok(out)
}

/// The hospitals a campaign serves, for the allocation form (finance officers).
pub async fn served_hospitals(
    db: &Db,
    caller: &Caller,
    campaign: CampaignId,
) -> Result<Vec<ServedHospital>, AppError> {
    caller.require(Action::ManageStock)?;
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "select h.hospital_id, h.facility_code, h.name_th, h.name_en from campaign_hospital ch
         join hospital h on h.hospital_id = ch.hospital_id where ch.campaign_id = $1
         order by h.facility_code",
    )
    .bind(campaign.get())
    .fetch_all(db.reader())
    .await
    .map_err(AppError::from)?;
    Ok(rows
        .into_iter()
        .map(|(id, facility_code, th, en)| ServedHospital {
            id: HospitalId(id),
            facility_code,
            name: Localized { th, en },
        })
        .collect())
}
