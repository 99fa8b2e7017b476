//! Allocation, the longest step: units leave stock for a hospital against an approved request
//! (up to what it still lacks) or with a written reason, named by tag or taken oldest first.

use super::super::donations::caller_key;
use super::{audit_unit, not_settled};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::{reason, split_tags, AllocateInput, MAX_ALLOCATION, MAX_NOTE};
use crate::model::form::FieldErrors;
use crate::model::status::{RequestStatus, UnitCondition, UnitStatus};
use crate::model::{EquipmentItemId, HospitalId, RequestId};
use crate::server::db::unit::{self, UnitRow};
use crate::server::db::{request, Db};
use crate::server::idempotency::{self, Claim};
use crate::server::service::Caller;

fn id_field(
    e: &mut FieldErrors,
    field: &str,
    text: &str,
    required: bool,
    what: (&str, &str),
) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            e.add(
                field,
                format!("กรุณาเลือก{}", what.0),
                format!("Choose {}.", what.1),
            );
        }
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            e.add(
                field,
                format!("ไม่พบ{}นี้", what.0),
                format!("There is no such {}.", what.1),
            );
            None
        }
    }
}

/// Allocates units from a campaign's stock to a hospital, against an approved request (up to
/// what it still lacks) or with a written reason. Units are named by tag or taken oldest first.
/// Idempotent by the form's key. Answers the tags allocated.
pub async fn allocate(
    db: &Db,
    caller: &Caller,
    input: &AllocateInput,
) -> Result<Vec<String>, AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut e = FieldErrors::default();
    let request_id = id_field(
        &mut e,
        "request_id",
        &input.request_id,
        false,
        ("คำขอ", "request"),
    )
    .map(RequestId);
    let mut hospital = id_field(
        &mut e,
        "hospital_id",
        &input.hospital_id,
        input.request_id.trim().is_empty(),
        ("โรงพยาบาล", "a hospital"),
    )
    .map(HospitalId);
    let tags = split_tags(&input.tags);
    let mut item: Option<EquipmentItemId> = None;
    let mut quantity = tags.len() as i64;
    if tags.is_empty() {
        if request_id.is_none() {
            item = id_field(&mut e, "item", &input.item, true, ("ครุภัณฑ์", "an item"))
                .map(EquipmentItemId);
        }
        quantity = e
            .whole_number(
                "quantity",
                &input.quantity,
                MAX_ALLOCATION,
                ("จำนวน", "The quantity"),
            )
            .unwrap_or(0);
    } else if tags.len() as i64 > MAX_ALLOCATION {
        e.add(
            "tags",
            format!("จัดสรรได้ครั้งละไม่เกิน {MAX_ALLOCATION} ชิ้น"),
            format!("At most {MAX_ALLOCATION} units at a time."),
        );
    }
    let why = if request_id.is_none() {
        Some(reason(&mut e, "reason", &input.reason))
    } else {
        e.optional("reason", &input.reason, MAX_NOTE)
    };
    e.idempotency_key(&input.idempotency_key);
    e.finish()?;
    let key = idempotency::scoped("allocate", &caller_key(caller), &input.idempotency_key);
    let hash = idempotency::fingerprint(input)?;
    let mut tx = db.begin().await?;
    if let Claim::Replay(answer) = idempotency::claim(&mut tx, &key, &hash).await? {
        return Ok(answer);
    }
    let campaign = input.campaign_id;
    not_settled(&mut tx, campaign).await.map_err(|e| match e {
        AppError::NotFound => {
            AppError::field("campaign_id", "ไม่พบกองผ้าป่านี้", "There is no such campaign.")
        }
        e => e,
    })?;
    if let Some(id) = request_id {
        // Two allocations to one request wait for each other here, so together they never
        // exceed what it lacks.
        request::lock(&mut tx, id).await?;
        let r = request::by_id(&mut tx, id).await?;
        let Some(r) = r.filter(|r| r.campaign_id == campaign.get()) else {
            return Err(AppError::field(
                "request_id",
                "ไม่พบคำขอนี้ในกองผ้าป่านี้",
                "There is no such request in this campaign.",
            ));
        };
        if !matches!(
            r.status()?,
            RequestStatus::Approved | RequestStatus::PartlyFulfilled
        ) {
            return Err(AppError::field(
                "request_id",
                "จัดสรรได้เฉพาะคำขอที่อนุมัติแล้วและยังได้รับไม่ครบ",
                "Only an approved request still waiting for units can be allocated to.",
            ));
        }
        if hospital.is_some_and(|h| h != r.hospital()) {
            return Err(AppError::field(
                "hospital_id",
                "โรงพยาบาลไม่ตรงกับคำขอ",
                "The hospital is not the request's.",
            ));
        }
        let outstanding = r.approved_quantity.unwrap_or(0)
            - r.fulfilled_quantity
            - unit::on_the_way_for(&mut tx, id).await?;
        if quantity > outstanding {
            return Err(AppError::field(
                if tags.is_empty() { "quantity" } else { "tags" },
                &format!("คำขอนี้ยังขาดอีก {} ชิ้นเท่านั้น", outstanding.max(0)),
                &format!(
                    "This request still lacks only {} units.",
                    outstanding.max(0)
                ),
            ));
        }
        hospital = Some(r.hospital());
        item = Some(EquipmentItemId(r.equipment_item_id));
    }
    let hospital = hospital.ok_or(AppError::BadRequest("hospital".into()))?;
    if !request::campaign_serves(&mut tx, campaign, hospital).await? {
        return Err(AppError::field(
            "hospital_id",
            "กองผ้าป่านี้ไม่ได้ดูแลโรงพยาบาลนี้",
            "This campaign does not serve this hospital.",
        ));
    }
    let units: Vec<UnitRow> = if tags.is_empty() {
        let item = item.ok_or(AppError::BadRequest("item".into()))?;
        let found = unit::in_stock(&mut tx, campaign, item, quantity).await?;
        if (found.len() as i64) < quantity {
            return Err(AppError::field(
                "quantity",
                &format!("มีในคลังที่ใช้งานได้เพียง {} ชิ้น", found.len()),
                &format!("Only {} working units are in stock.", found.len()),
            ));
        }
        found
    } else {
        let mut found = Vec::new();
        for tag in &tags {
            let u = unit::by_tag(&mut tx, tag)
                .await?
                .filter(|u| u.campaign_id == campaign.get());
            let Some(u) = u else {
                return Err(AppError::field(
                    "tags",
                    &format!("ไม่พบครุภัณฑ์รหัส {tag} ในกองผ้าป่านี้"),
                    &format!("No unit tagged {tag} in this campaign."),
                ));
            };
            if u.status()? != UnitStatus::InStock
                || u.condition()? != UnitCondition::Working
                || found.iter().any(|f: &UnitRow| f.asset_tag == u.asset_tag)
            {
                return Err(AppError::field(
                    "tags",
                    &format!("{tag} ไม่ได้อยู่ในคลัง (จัดสรรไปแล้วหรือไม่พร้อมใช้)"),
                    &format!("{tag} is not in stock: it is already allocated or out of use."),
                ));
            }
            if item.is_some_and(|i| i.get() != u.equipment_item_id) {
                return Err(AppError::field(
                    "tags",
                    &format!("{tag} ไม่ใช่ครุภัณฑ์ตามคำขอ"),
                    &format!("{tag} is not the item the request asks for."),
                ));
            }
            found.push(u);
        }
        found
    };
    let mut moved = Vec::with_capacity(units.len());
    for u in &units {
        if !unit::allocate(&mut tx, u.id(), hospital, request_id, why.as_deref()).await? {
            return Err(AppError::field(
                "tags",
                &format!("{} ถูกจัดสรรไปแล้ว", u.asset_tag),
                &format!("{} was allocated meanwhile.", u.asset_tag),
            ));
        }
        unit::event(
            &mut tx,
            u.id(),
            "allocated",
            UnitStatus::Allocated,
            Some(hospital),
            request_id,
            why.as_deref(),
            user.account_id,
        )
        .await?;
        moved.push(u.asset_tag.clone());
    }
    idempotency::store(&mut tx, &key, &moved).await?;
    let detail = format!(
        "{} units to hospital {hospital}{}",
        moved.len(),
        request_id
            .map(|r| format!(" for request {r}"))
            .unwrap_or_default()
    );
    audit_unit(
        &mut tx,
        caller,
        "units_allocated",
        moved.first().map_or("", String::as_str),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(moved)
}
