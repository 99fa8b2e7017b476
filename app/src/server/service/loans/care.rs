//! A unit's care between loans: cleaned and checked after a return, sent to repair and back
//! (working, or beyond repair for finance to write off), maintained on its interval, and passed
//! to another hospital the campaign serves, which accepts or refuses it.

use super::{audit_loan, held_unit, moved};
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::form::FieldErrors;
use crate::model::loan::{loan_days, Care, CareInput, CareState, PassAnswerInput, PassInput};
use crate::model::status::UnitCondition;
use crate::model::HospitalId;
use crate::server::db::hospital as hospitals;
use crate::server::db::loan::{self, CareEvent};
use crate::server::db::{time, unit, Db, Tx};
use crate::server::service::Caller;
use crate::server::today;

fn refused(e: FieldErrors) -> AppError {
    e.finish()
        .err()
        .unwrap_or(AppError::BadRequest("form".into()))
}

/// Appends a care step (with its place, cost and note) and its audit row, and commits.
#[allow(clippy::too_many_arguments)]
async fn record(
    mut tx: Tx,
    caller: &Caller,
    unit: &crate::server::db::unit::UnitRow,
    hospital: HospitalId,
    kind: &str,
    on: &str,
    c: &Care,
    action: &str,
) -> Result<(), AppError> {
    let by = caller.user().ok_or(AppError::Unauthorized)?.account_id;
    let mut ev = CareEvent::new(unit.id(), hospital, kind, on, by);
    ev.place = c.place.as_deref();
    ev.cost_satang = c.cost.map(|m| m.satang());
    ev.note = c.note.as_deref();
    loan::event(&mut tx, &ev).await?;
    let detail = format!("{kind} at hospital {hospital}");
    audit_loan(&mut tx, caller, action, &unit.asset_tag, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A care date may not come before the unit's last recorded step.
async fn in_order(tx: &mut Tx, unit: crate::model::UnitId, on: &str) -> Result<(), AppError> {
    if loan::last_event_on(tx, unit)
        .await?
        .is_some_and(|last| on < last.as_str())
    {
        return Err(AppError::field(
            "on",
            "วันที่ต้องไม่ก่อนขั้นตอนล่าสุดของครุภัณฑ์ชิ้นนี้",
            "The date cannot be before this unit's last recorded step.",
        ));
    }
    Ok(())
}

/// Records a returned unit cleaned and checked: it is ready to lend again.
pub async fn cleaned(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &CareInput,
) -> Result<(), AppError> {
    caller.require(Action::LendEquipment(hospital))?;
    let c = input.read(today(), false).map_err(refused)?;
    let mut tx = db.begin().await?;
    let u = held_unit(&mut tx, hospital, &input.tag).await?;
    let on = time::date(c.on);
    in_order(&mut tx, u.id(), &on).await?;
    if u.care()? != CareState::Cleaning {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ไม่ได้รอทำความสะอาด",
            "This unit is not waiting to be cleaned.",
        ));
    }
    if !loan::set_care(
        &mut tx,
        u.id(),
        hospital,
        CareState::Cleaning,
        CareState::Ready,
    )
    .await?
    {
        return Err(moved());
    }
    record(tx, caller, &u, hospital, "cleaned", &on, &c, "unit_cleaned").await
}

/// Sends a unit (ready, being cleaned, or back broken) to repair: where, the expected cost.
pub async fn send_to_repair(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &CareInput,
) -> Result<(), AppError> {
    caller.require(Action::LendEquipment(hospital))?;
    let c = input.read(today(), true).map_err(refused)?;
    let mut tx = db.begin().await?;
    let u = held_unit(&mut tx, hospital, &input.tag).await?;
    let on = time::date(c.on);
    in_order(&mut tx, u.id(), &on).await?;
    let from = u.care()?;
    let already_out = loan::last_kind(&mut tx, u.id()).await?.as_deref() == Some("repair_sent");
    if matches!(from, CareState::OnLoan | CareState::Passing)
        || (from == CareState::Repair && already_out)
    {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ส่งซ่อมไม่ได้ตอนนี้ (ให้ยืมอยู่ กำลังส่งต่อ หรืออยู่ที่ร้านซ่อมแล้ว)",
            "This unit cannot go to repair now (on loan, being passed on, or already at the repairer).",
        ));
    }
    if from != CareState::Repair
        && !loan::set_care(&mut tx, u.id(), hospital, from, CareState::Repair).await?
    {
        return Err(moved());
    }
    if u.condition()? == UnitCondition::Working {
        unit::set_condition(
            &mut tx,
            u.id(),
            UnitCondition::AwaitingRepair,
            Some("ส่งซ่อม / sent to repair"),
        )
        .await?;
    }
    record(
        tx,
        caller,
        &u,
        hospital,
        "repair_sent",
        &on,
        &c,
        "unit_repair_sent",
    )
    .await
}

/// A unit back from repair: working (ready to lend), or beyond repair (unusable, for finance to
/// write off). `outcome` is `working` or `unrepairable`.
pub async fn repaired(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &CareInput,
) -> Result<(), AppError> {
    caller.require(Action::LendEquipment(hospital))?;
    let c = input.read(today(), false).map_err(refused)?;
    let working = match input.outcome.trim() {
        "working" => true,
        "unrepairable" => false,
        _ => {
            return Err(AppError::field(
                "outcome",
                "กรุณาเลือก ซ่อมเสร็จใช้งานได้ หรือ ซ่อมไม่ได้",
                "Choose repaired and working, or beyond repair.",
            ))
        }
    };
    let mut tx = db.begin().await?;
    let u = held_unit(&mut tx, hospital, &input.tag).await?;
    let on = time::date(c.on);
    in_order(&mut tx, u.id(), &on).await?;
    if u.care()? != CareState::Repair {
        return Err(AppError::state(
            "ครุภัณฑ์ชิ้นนี้ไม่ได้อยู่ระหว่างซ่อม",
            "This unit is not in repair.",
        ));
    }
    if working
        && !loan::set_care(
            &mut tx,
            u.id(),
            hospital,
            CareState::Repair,
            CareState::Ready,
        )
        .await?
    {
        return Err(moved());
    }
    let condition = if working {
        UnitCondition::Working
    } else {
        UnitCondition::Unusable
    };
    let why = if working {
        "ซ่อมแล้ว / repaired"
    } else {
        "ซ่อมไม่ได้ / beyond repair"
    };
    unit::set_condition(&mut tx, u.id(), condition, Some(why)).await?;
    let kind = if working { "repaired" } else { "unrepairable" };
    if working {
        // A repair includes the check that maintenance would do.
        loan::maintained(&mut tx, u.id(), &on).await?;
    }
    record(tx, caller, &u, hospital, kind, &on, &c, "unit_repaired").await
}

/// Records maintenance done on a unit that is at the hospital (not on loan).
pub async fn maintain(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &CareInput,
) -> Result<(), AppError> {
    caller.require(Action::LendEquipment(hospital))?;
    let c = input.read(today(), true).map_err(refused)?;
    let mut tx = db.begin().await?;
    let u = held_unit(&mut tx, hospital, &input.tag).await?;
    let on = time::date(c.on);
    in_order(&mut tx, u.id(), &on).await?;
    if !matches!(u.care()?, CareState::Ready | CareState::Cleaning) {
        return Err(AppError::state(
            "บำรุงรักษาได้เมื่อครุภัณฑ์อยู่ที่ รพ.สต. (ไม่ได้ให้ยืม ซ่อม หรือส่งต่ออยู่)",
            "Maintenance is recorded for a unit at the hospital (not on loan, in repair or being passed on).",
        ));
    }
    loan::maintained(&mut tx, u.id(), &on).await?;
    record(
        tx,
        caller,
        &u,
        hospital,
        "maintained",
        &on,
        &c,
        "unit_maintained",
    )
    .await
}

/// Passes a ready unit to another hospital its campaign serves; it stays the sender's until the
/// receiving staff accept it.
pub async fn pass_on(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &PassInput,
) -> Result<(), AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let mut e = FieldErrors::default();
    let on = crate::model::loan::past_date(&mut e, "on", &input.on, today());
    let note = crate::model::loan::privacy::note(&mut e, "note", &input.note);
    let code = e.required("to", &input.to, 5);
    e.finish()?;
    let mut tx = db.begin().await?;
    let u = held_unit(&mut tx, hospital, &input.tag).await?;
    let to = hospitals::id_of(&mut tx, &code)
        .await?
        .filter(|to| *to != hospital)
        .ok_or_else(|| {
            AppError::field("to", "ไม่พบหน่วยบริการปลายทาง", "No such receiving hospital.")
        })?;
    if !loan::serves(&mut tx, u.campaign_id, to).await? {
        return Err(AppError::field(
            "to",
            "กองผ้าป่าของครุภัณฑ์ชิ้นนี้ไม่ได้ดูแลหน่วยบริการนั้น",
            "This unit's campaign does not serve that hospital.",
        ));
    }
    let on = time::date(on);
    in_order(&mut tx, u.id(), &on).await?;
    if u.care()? != CareState::Ready || u.condition()? != UnitCondition::Working {
        return Err(AppError::state(
            "ส่งต่อได้เฉพาะครุภัณฑ์ที่ใช้งานได้ อยู่ที่ รพ.สต. และไม่ได้ให้ยืม ซ่อม หรือรอทำความสะอาด",
            "Only a working unit at the hospital, not on loan, in repair or awaiting cleaning, can be passed on.",
        ));
    }
    if !loan::pass(&mut tx, u.id(), hospital, to).await? {
        return Err(moved());
    }
    let mut ev = CareEvent::new(u.id(), hospital, "pass_sent", &on, user.account_id);
    ev.place = Some(&code);
    ev.note = note.as_deref();
    loan::event(&mut tx, &ev).await?;
    audit_loan(
        &mut tx,
        caller,
        "unit_passed",
        &u.asset_tag,
        format!("hospital {hospital} to {to}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The receiving hospital's staff accept a unit passed to them, or refuse it (it stays with
/// the sender).
pub async fn answer_pass(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &PassAnswerInput,
) -> Result<bool, AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let accept = match input.answer.as_str() {
        "accept" => true,
        "refuse" => false,
        _ => {
            return Err(AppError::field(
                "answer",
                "กรุณาเลือก รับ หรือ ไม่รับ",
                "Choose accept or refuse.",
            ))
        }
    };
    let mut e = FieldErrors::default();
    let note = crate::model::loan::privacy::note(&mut e, "note", &input.note);
    e.finish()?;
    let tag = input.tag.trim().to_ascii_uppercase();
    let mut tx = db.begin().await?;
    let u = unit::by_tag(&mut tx, &tag)
        .await?
        .filter(|u| u.passing_to == Some(hospital.get()))
        .ok_or(AppError::NotFound)?;
    let from = u.hospital().ok_or(AppError::NotFound)?;
    if !loan::answer_pass(&mut tx, u.id(), hospital, accept).await? {
        return Err(moved());
    }
    let on = time::date(today());
    let kind = if accept {
        "pass_accepted"
    } else {
        "pass_refused"
    };
    let mut ev = CareEvent::new(
        u.id(),
        if accept { hospital } else { from },
        kind,
        &on,
        user.account_id,
    );
    ev.note = note.as_deref();
    loan::event(&mut tx, &ev).await?;
    audit_loan(
        &mut tx,
        caller,
        "unit_pass_answered",
        &tag,
        format!("{kind} by hospital {hospital} from {from}"),
    )
    .await?;
    tx.commit().await?;
    Ok(accept)
}

/// Sets the hospital's default loan length.
pub async fn set_loan_days(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    days: &str,
) -> Result<(), AppError> {
    caller.require(Action::LendEquipment(hospital))?;
    let mut e = FieldErrors::default();
    let days = loan_days(&mut e, days);
    e.finish()?;
    let mut tx = db.begin().await?;
    loan::set_loan_days(&mut tx, hospital, days).await?;
    audit_loan(
        &mut tx,
        caller,
        "loan_days_set",
        format!("hospital {hospital}"),
        format!("{days} days"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
