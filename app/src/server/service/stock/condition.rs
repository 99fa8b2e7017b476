//! A unit's life after delivery: its functional condition, set by finance or the hospital that
//! holds it, and its write-off with a reason when it is lost or beyond repair.

use super::{audit_unit, not_settled};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::equipment::{reason, ConditionInput, WriteOffInput, MAX_NOTE};
use crate::model::form::FieldErrors;
use crate::model::status::{UnitCondition, UnitStatus};
use crate::server::db::{unit, Db};
use crate::server::service::Caller;

/// Sets a unit's functional status: finance officers for any unit, a hospital's staff for the
/// units it holds. Not working needs a reason.
pub async fn set_condition(
    db: &Db,
    caller: &Caller,
    input: &ConditionInput,
) -> Result<(), AppError> {
    let user = caller.user().ok_or(AppError::Unauthorized)?;
    let mut e = FieldErrors::default();
    let condition = UnitCondition::from_code(input.condition.trim());
    if condition.is_none() {
        e.add(
            "condition",
            "สถานะต้องเป็น ใช้งานได้ รอซ่อม หรือ ใช้งานไม่ได้",
            "The condition must be working, awaiting repair or unusable.",
        );
    }
    // The event keeps the condition's code before the note, within the same 2,000 characters.
    let note = if condition == Some(UnitCondition::Working) {
        e.optional("note", &input.note, MAX_NOTE - 20)
    } else {
        let r = reason(&mut e, "note", &input.note);
        if r.chars().count() > MAX_NOTE - 20 {
            e.add(
                "note",
                format!("ยาวได้ไม่เกิน {} ตัวอักษร", MAX_NOTE - 20),
                format!("At most {} characters.", MAX_NOTE - 20),
            );
        }
        Some(r)
    };
    e.finish()?;
    let condition = condition.unwrap_or(UnitCondition::Working);
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag(&mut tx, &tag)
        .await?
        .ok_or(AppError::NotFound)?;
    let holder = u
        .hospital()
        .filter(|_| u.status == "received")
        .map(Action::ConfirmDelivery);
    let allowed = caller.require(Action::ManageStock).is_ok()
        || holder.is_some_and(|a| caller.require(a).is_ok());
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if matches!(u.status()?, UnitStatus::Voided | UnitStatus::WrittenOff) {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้เลิกใช้แล้ว",
            "This unit is out of service for good.",
        ));
    }
    unit::set_condition(&mut tx, u.id(), condition, note.as_deref()).await?;
    let status = u.status()?;
    unit::event(
        &mut tx,
        u.id(),
        "condition",
        status,
        u.hospital(),
        None,
        Some(&format!(
            "{}{}",
            condition.code(),
            note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
        )),
        user.account_id,
    )
    .await?;
    audit_unit(
        &mut tx,
        caller,
        "unit_condition",
        &tag,
        condition.code().to_owned(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a unit off (finance officers): broken beyond repair, lost or stolen, with a reason.
/// Only a unit in stock or received by a hospital; one allocated or on its way is first sent
/// back. Its money stays spent: the purchase happened, and the unit's history says where it
/// ended.
pub async fn write_off(db: &Db, caller: &Caller, input: &WriteOffInput) -> Result<(), AppError> {
    let user = caller.require(Action::ManageStock)?;
    let mut e = FieldErrors::default();
    let why = reason(&mut e, "reason", &input.reason);
    e.finish()?;
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag(&mut tx, &tag)
        .await?
        .ok_or(AppError::NotFound)?;
    not_settled(&mut tx, u.campaign()).await?;
    if matches!(
        u.care()?,
        crate::model::loan::CareState::OnLoan | crate::model::loan::CareState::Passing
    ) {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ให้ผู้ป่วยยืมหรือกำลังส่งต่ออยู่ ต้องรับคืนก่อนจึงตัดจำหน่ายได้",
            "This unit is on loan or being passed on; it must come back before it is written off.",
        ));
    }
    let from = u.status()?;
    match from {
        UnitStatus::InStock | UnitStatus::Received => {}
        UnitStatus::Allocated | UnitStatus::Dispatched => {
            return Err(AppError::state(
                "ครุภัณฑ์ชิ้นนี้จัดสรรหรือกำลังส่งอยู่ ต้องให้กลับเข้าคลังก่อนจึงตัดจำหน่ายได้",
                "This unit is allocated or on its way; it must come back to stock before it is written off.",
            ))
        }
        UnitStatus::WrittenOff | UnitStatus::Voided => {
            return Err(AppError::state(
                "ครุภัณฑ์ชิ้นนี้เลิกใช้แล้ว",
                "This unit is out of service for good.",
            ))
        }
    }
    if !unit::write_off(&mut tx, u.id(), from).await? {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้เพิ่งถูกเปลี่ยนสถานะ กรุณาโหลดหน้าใหม่",
            "This unit changed meanwhile; reload the page.",
        ));
    }
    unit::event(
        &mut tx,
        u.id(),
        "written_off",
        UnitStatus::WrittenOff,
        u.hospital(),
        u.request(),
        Some(&why),
        user.account_id,
    )
    .await?;
    let at = u
        .hospital()
        .map(|h| format!(" at hospital {h}"))
        .unwrap_or_default();
    audit_unit(
        &mut tx,
        caller,
        "unit_written_off",
        &tag,
        format!("{}{at}: {why}", from.code()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
