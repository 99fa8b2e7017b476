//! Delivery: allocated units dispatched to their hospital, and the hospital's own staff accepting
//! or rejecting each one that reached them (a rejected unit goes back to stock).

use super::{audit_unit, not_settled};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::{reason, split_tags, ConfirmInput, DispatchInput, MAX_NOTE};
use crate::model::form::FieldErrors;
use crate::model::status::{UnitCondition, UnitStatus};
use crate::server::db::{unit, Db};
use crate::server::service::Caller;

/// Marks allocated units dispatched to their hospital: those tagged, or all the campaign has
/// allocated to it. Answers how many.
pub async fn dispatch(db: &Db, caller: &Caller, input: &DispatchInput) -> Result<i64, AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut e = FieldErrors::default();
    let on = e.date("dispatched_on", &input.dispatched_on, true);
    let carrier = e.required("carrier", &input.carrier, 300);
    e.finish()?;
    let on = crate::server::db::time::date(on.unwrap_or_default());
    let tags = split_tags(&input.tags);
    let mut tx = db.begin().await?;
    not_settled(&mut tx, input.campaign_id).await?;
    let units = if tags.is_empty() {
        unit::allocated_to(&mut tx, input.campaign_id, input.hospital_id).await?
    } else {
        let mut found = Vec::new();
        for tag in &tags {
            match unit::by_tag(&mut tx, tag).await? {
                Some(u)
                    if u.campaign_id == input.campaign_id.get()
                        && u.hospital_id == Some(input.hospital_id.get())
                        && u.status == "allocated" =>
                {
                    found.push(u)
                }
                _ => {
                    return Err(AppError::field(
                        "tags",
                        &format!("{tag} ไม่ได้ถูกจัดสรรให้โรงพยาบาลนี้และรอส่ง"),
                        &format!("{tag} is not allocated to this hospital and waiting to go."),
                    ))
                }
            }
        }
        found
    };
    if units.is_empty() {
        return Err(AppError::field(
            "tags",
            "ไม่มีครุภัณฑ์ที่จัดสรรแล้วรอส่งให้โรงพยาบาลนี้",
            "No allocated units are waiting to go to this hospital.",
        ));
    }
    for u in &units {
        if !unit::dispatch(&mut tx, u.id(), input.hospital_id, &on, &carrier).await? {
            return Err(AppError::state(
                "ครุภัณฑ์บางชิ้นเปลี่ยนสถานะไปแล้ว กรุณาโหลดหน้าใหม่",
                "Some units changed meanwhile; reload the page.",
            ));
        }
        let note = format!("{on} · {carrier}");
        unit::event(
            &mut tx,
            u.id(),
            "dispatched",
            UnitStatus::Dispatched,
            Some(input.hospital_id),
            u.request(),
            Some(&note),
            user.account_id,
        )
        .await?;
    }
    let detail = format!(
        "{} units to hospital {} on {on} by {carrier}",
        units.len(),
        input.hospital_id
    );
    audit_unit(
        &mut tx,
        caller,
        "units_dispatched",
        &units[0].asset_tag,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(units.len() as i64)
}

/// A hospital's staff accept a unit that reached them, or reject it with a reason (it goes back
/// to stock). Nobody else can answer for a hospital.
/// A rejected unit goes back to stock in the condition the hospital found it in, with the
/// hospital's reason as its note, so it is not sent to the next hospital as working. Answers
/// whether the unit was accepted.
pub async fn confirm(db: &Db, caller: &Caller, input: &ConfirmInput) -> Result<bool, AppError> {
    let user = caller.require(Action::ConfirmDelivery(input.hospital_id))?;
    let accept = match input.answer.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return Err(AppError::field(
                "answer",
                "กรุณาเลือก รับ หรือ ปฏิเสธ",
                "Choose accept or reject.",
            ))
        }
    };
    let mut e = FieldErrors::default();
    let why = if accept {
        e.optional("reason", &input.reason, MAX_NOTE)
    } else {
        Some(reason(&mut e, "reason", &input.reason))
    };
    let found = if accept {
        None
    } else {
        let found = UnitCondition::from_code(input.condition.trim());
        if found.is_none() {
            e.add(
                "condition",
                "กรุณาเลือกสภาพของครุภัณฑ์ที่ได้รับ: ใช้งานได้ รอซ่อม หรือใช้งานไม่ได้",
                "Choose the condition the unit arrived in: working, awaiting repair or unusable.",
            );
        }
        found
    };
    e.finish()?;
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag(&mut tx, &tag)
        .await?
        .filter(|u| u.hospital_id == Some(input.hospital_id.get()))
        .ok_or(AppError::NotFound)?;
    not_settled(&mut tx, u.campaign()).await?;
    if u.status()? != UnitStatus::Dispatched {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ไม่ได้อยู่ระหว่างจัดส่งมาที่โรงพยาบาลนี้แล้ว",
            "This unit is no longer on its way to this hospital.",
        ));
    }
    let h = input.hospital_id;
    let changed = if accept {
        unit::accept(&mut tx, u.id(), h).await?
    } else {
        unit::send_back(&mut tx, u.id(), h).await?
    };
    if !changed {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ถูกยืนยันไปแล้ว",
            "This unit was confirmed meanwhile.",
        ));
    }
    let (kind, status) = if accept {
        ("accepted", UnitStatus::Received)
    } else {
        ("rejected", UnitStatus::InStock)
    };
    unit::event(
        &mut tx,
        u.id(),
        kind,
        status,
        Some(h),
        u.request(),
        why.as_deref(),
        user.account_id,
    )
    .await?;
    if accept {
        if let Some(r) = u.request() {
            unit::fulfil(&mut tx, r).await?;
        }
    } else if let Some(found) = found {
        // Back in stock in the condition the hospital found it, with its reason beside it.
        unit::set_condition(&mut tx, u.id(), found, why.as_deref()).await?;
        let note = format!("{}: {}", found.code(), why.as_deref().unwrap_or_default());
        unit::event(
            &mut tx,
            u.id(),
            "condition",
            UnitStatus::InStock,
            None,
            None,
            Some(&note),
            user.account_id,
        )
        .await?;
    }
    let detail = format!(
        "{kind} at hospital {h}{}",
        why.map(|w| format!(": {w}")).unwrap_or_default()
    );
    audit_unit(&mut tx, caller, "unit_confirmed", &tag, detail).await?;
    tx.commit().await?;
    Ok(accept)
}
