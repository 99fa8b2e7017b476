//! A hospital lends its units to patients' homes: the waiting list, lending, renewing, home
//! visits and taking units back. Only the hospital's own staff act (`LendEquipment`), on units
//! their hospital holds; a tag, loan or waiting entry of another hospital answers 403. The audit
//! log names loans by id, never by borrower code or note (finance reads it).
//!
//! Care outside a loan (cleaning, repair, maintenance, passing to another hospital) is in `care`,
//! and what the pages read in `reads`.

mod care;
mod reads;

pub use care::*;
pub use reads::*;

use super::Caller;
use crate::error::AppError;
use crate::model::account::Action;
use crate::model::donation::fiscal_year_days;
use crate::model::form::FieldErrors;
use crate::model::loan::{
    day_number, fiscal_year, rank, read_accessories, CareState, LendInput, RenewInput, ReturnInput,
    VisitInput, VisitOutcome, WaitingInput, WaitingStatus,
};
use crate::model::status::UnitCondition;
use crate::model::{HospitalId, LoanId, UnitId, WaitingId};
use crate::server::audit::{self, Event};
use crate::server::db::loan::{self, CareEvent, LoanRecord, NewLoan};
use crate::server::db::{time, unit, Db, Tx};
use crate::server::idempotency::{self, Claim};
use crate::server::today;

async fn audit_loan(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    record: impl ToString,
    detail: String,
) -> Result<(), AppError> {
    audit::record(tx, &Event::by(caller, action, "loan", record, detail)).await?;
    Ok(())
}

fn moved() -> AppError {
    AppError::state(
        "ครุภัณฑ์หรือการยืมนี้เพิ่งเปลี่ยนสถานะ กรุณาโหลดหน้าใหม่",
        "This unit or loan changed meanwhile; reload the page.",
    )
}

/// A unit the caller's hospital holds, by tag; 404 for any other (no hint that it exists).
async fn held_unit(
    tx: &mut Tx,
    hospital: HospitalId,
    tag: &str,
) -> Result<unit::UnitRow, AppError> {
    let tag = tag.trim().to_ascii_uppercase();
    let u = unit::by_tag(tx, &tag).await?.ok_or(AppError::NotFound)?;
    if u.hospital() != Some(hospital) || u.status != "received" {
        // Tags are public; what another hospital does with its unit is not.
        return Err(AppError::Forbidden);
    }
    Ok(u)
}

/// A loan of the caller's hospital; 404 for any other.
async fn own_loan(tx: &mut Tx, hospital: HospitalId, id: LoanId) -> Result<LoanRecord, AppError> {
    let l = loan::loan(tx, id).await?.ok_or(AppError::NotFound)?;
    if l.hospital() != hospital {
        return Err(AppError::Forbidden);
    }
    Ok(l)
}

/// Adds a household to the waiting list. Answers the entry's id.
pub async fn add_waiting(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &WaitingInput,
) -> Result<WaitingId, AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let w = input.read(today()).map_err(|e| match e.finish() {
        Err(e) => e,
        Ok(()) => AppError::BadRequest("form".into()),
    })?;
    let mut e = FieldErrors::default();
    let key = e.idempotency_key(&input.idempotency_key);
    e.finish()?;
    let mut tx = db.begin().await?;
    let key = idempotency::scoped("waiting", &user.account_id.0.to_string(), &key);
    let hash = idempotency::fingerprint(&(hospital, &w))?;
    if let Claim::Replay(id) = idempotency::claim::<i64>(&mut tx, &key, &hash).await? {
        return Ok(WaitingId(id));
    }
    if !loan::items(&mut tx)
        .await?
        .iter()
        .any(|(id, _)| *id == w.item)
    {
        return Err(AppError::field("item", "ไม่พบครุภัณฑ์นี้", "No such item."));
    }
    let id = loan::add_waiting(
        &mut tx,
        hospital,
        w.item,
        w.group,
        w.urgency,
        rank(w.urgency, w.group),
        &w.borrower_code,
        w.note.as_deref(),
        &time::date(w.listed_on),
        user.account_id,
    )
    .await?;
    idempotency::store(&mut tx, &key, &id.get()).await?;
    audit_loan(
        &mut tx,
        caller,
        "waiting_added",
        format!("waiting {id}"),
        format!("hospital {hospital}, item {}", w.item),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes an entry off the waiting list with a reason.
pub async fn cancel_waiting(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    id: WaitingId,
    reason: &str,
) -> Result<(), AppError> {
    caller.require(Action::LendEquipment(hospital))?;
    let mut e = FieldErrors::default();
    let why = crate::model::loan::privacy::note(&mut e, "reason", reason).unwrap_or_default();
    if why.chars().count() < crate::model::equipment::MIN_REASON {
        e.add(
            "reason",
            "กรุณาเขียนเหตุผล (อย่างน้อย 5 ตัวอักษร)",
            "Write a reason (at least 5 characters).",
        );
    }
    e.finish()?;
    let mut tx = db.begin().await?;
    let w = loan::waiting(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if w.hospital_id != hospital.get() {
        return Err(AppError::Forbidden);
    }
    let today = today();
    let waited = wait_days(&w.listed_on, today)?;
    if !loan::close_waiting(
        &mut tx,
        id,
        WaitingStatus::Cancelled,
        &time::date(today),
        waited,
        None,
        Some(&why),
    )
    .await?
    {
        return Err(AppError::state(
            "รายการนี้ไม่ได้รออยู่แล้ว",
            "This entry is no longer waiting.",
        ));
    }
    audit_loan(
        &mut tx,
        caller,
        "waiting_cancelled",
        format!("waiting {id}"),
        format!("hospital {hospital}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn wait_days(listed_on: &str, on: chrono::NaiveDate) -> Result<i64, AppError> {
    let listed = time::parse_date(listed_on)?;
    Ok((on - listed).num_days().max(0))
}

/// Lends a ready, working unit of the hospital, to a waiting-list entry or to a borrower code.
/// Of two racing lends of one unit exactly one wins; the other is a 409.
pub async fn lend(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &LendInput,
) -> Result<LoanId, AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let mut c = db.reader().acquire().await?;
    let days = loan::loan_days(&mut c, hospital).await?;
    drop(c);
    let today = today();
    let l = input
        .read(today, days)
        .map_err(|e| e.finish().err().unwrap_or(AppError::NotFound))?;
    let mut tx = db.begin().await?;
    // Lends of one hospital take turns (on PostgreSQL; SQLite has one writer): two lends to one
    // borrower code must not both count a new home for the year.
    loan::lock_hospital(&mut tx, hospital).await?;
    let u = held_unit(&mut tx, hospital, &input.tag).await?;
    let item_code = unit_item_code(&mut tx, u.id()).await?;
    let mut e = FieldErrors::default();
    let accessories = read_accessories(&mut e, "accessories", &item_code, &input.accessories);
    e.finish()?;
    if u.care()? != CareState::Ready || u.condition()? != UnitCondition::Working {
        return Err(AppError::field(
            "tag",
            &format!(
                "{} ให้ยืมไม่ได้ตอนนี้: ต้องใช้งานได้ ทำความสะอาดและตรวจแล้ว และไม่ได้ให้ยืมอยู่",
                u.asset_tag
            ),
            &format!(
                "{} cannot be lent now: it must be working, cleaned and checked, and not on loan.",
                u.asset_tag
            ),
        ));
    }
    let (code, waiting) = match l.waiting {
        Some(id) => {
            let w = loan::waiting(&mut tx, id).await?.ok_or_else(|| {
                AppError::field("waiting", "ไม่พบรายการรอนี้", "No such waiting-list entry.")
            })?;
            if w.hospital_id != hospital.get() {
                return Err(AppError::Forbidden);
            }
            if w.status != "waiting" {
                return Err(AppError::field(
                    "waiting",
                    "รายการนี้ไม่ได้รออยู่แล้ว",
                    "This entry is no longer waiting.",
                ));
            }
            if w.equipment_item_id != u.equipment_item_id {
                return Err(AppError::field(
                    "waiting",
                    "รายการรอนี้ขอครุภัณฑ์ชนิดอื่น",
                    "This entry waits for another kind of item.",
                ));
            }
            if !l.borrower_code.is_empty() && l.borrower_code != w.borrower_code {
                return Err(AppError::field(
                    "borrower_code",
                    "รหัสผู้ยืมไม่ตรงกับรายการรอ",
                    "The borrower code differs from the waiting-list entry's.",
                ));
            }
            (w.borrower_code.clone(), Some(w))
        }
        None => (l.borrower_code.clone(), None),
    };
    let out_on = time::date(l.out_on);
    if loan::last_event_on(&mut tx, u.id())
        .await?
        .is_some_and(|last| out_on < last)
    {
        return Err(AppError::field(
            "out_on",
            "วันที่ยืมต้องไม่ก่อนขั้นตอนล่าสุดของครุภัณฑ์ชิ้นนี้ (เช่น วันรับคืนหรือทำความสะอาด)",
            "The loan cannot start before this unit's last recorded step (its return or cleaning).",
        ));
    }
    let out_day = day_number(l.out_on);
    let year = fiscal_year(l.out_on);
    let (from, to) = fiscal_year_days(year).ok_or(AppError::NotFound)?;
    let new_to_unit = !loan::unit_served(&mut tx, u.id(), hospital, &code).await?;
    let new_to_year =
        !loan::hospital_served(&mut tx, hospital, &code, &time::date(from), &time::date(to))
            .await?;
    if !loan::set_care(
        &mut tx,
        u.id(),
        hospital,
        CareState::Ready,
        CareState::OnLoan,
    )
    .await?
    {
        return Err(moved());
    }
    let due_on = time::date(l.due_on);
    let id = match loan::open(
        &mut tx,
        &NewLoan {
            hospital,
            unit: u.id(),
            campaign: u.campaign(),
            waiting: waiting.as_ref().map(|w| WaitingId(w.loan_waiting_id)),
            code: &code,
            note: l.note.as_deref(),
            out_on: &out_on,
            out_day,
            due_on: &due_on,
            handover: l.handover.code(),
            accessories: &accessories,
            by: user.account_id,
        },
    )
    .await
    {
        Ok(id) => id,
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => return Err(moved()),
        Err(e) => return Err(e.into()),
    };
    if let Some(w) = &waiting {
        let waited = wait_days(&w.listed_on, l.out_on)?;
        if !loan::close_waiting(
            &mut tx,
            WaitingId(w.loan_waiting_id),
            WaitingStatus::Served,
            &out_on,
            waited,
            Some(id),
            None,
        )
        .await?
        {
            return Err(moved());
        }
    }
    loan::count_lent(
        &mut tx,
        u.id(),
        u.campaign(),
        hospital,
        year,
        out_day,
        new_to_unit,
        new_to_year,
    )
    .await?;
    let mut ev = CareEvent::new(u.id(), hospital, "lent", &out_on, user.account_id);
    ev.loan = Some(id);
    ev.due_on = Some(&due_on);
    loan::event(&mut tx, &ev).await?;
    audit_loan(
        &mut tx,
        caller,
        "unit_lent",
        format!("loan {id}"),
        format!("{} from hospital {hospital}, due {due_on}", u.asset_tag),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn unit_item_code(tx: &mut Tx, unit: UnitId) -> Result<String, AppError> {
    let (code,): (String,) = sqlx::query_as(
        "select i.code from equipment_unit u join equipment_item i on i.equipment_item_id = u.equipment_item_id
         where u.equipment_unit_id = $1",
    )
    .bind(unit.get())
    .fetch_one(&mut **tx)
    .await?;
    Ok(code)
}

/// Renews a loan out: a later due date and the reason.
pub async fn renew(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &RenewInput,
) -> Result<(), AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let mut tx = db.begin().await?;
    let l = own_loan(&mut tx, hospital, input.loan).await?;
    let mut e = FieldErrors::default();
    // A renewal runs at most a year past the current due date, which it must follow.
    let current = time::parse_date(&l.due_on)?;
    let due = crate::model::loan::due_date(&mut e, "due_on", &input.due_on, current);
    let why =
        crate::model::loan::privacy::note(&mut e, "reason", &input.reason).unwrap_or_default();
    if why.chars().count() < crate::model::equipment::MIN_REASON {
        e.add(
            "reason",
            "กรุณาเขียนเหตุผล (อย่างน้อย 5 ตัวอักษร)",
            "Write a reason (at least 5 characters).",
        );
    }
    e.finish()?;
    if l.status != "out" {
        return Err(AppError::state("การยืมนี้สิ้นสุดแล้ว", "This loan has ended."));
    }
    let due = time::date(due);
    if !loan::renew(&mut tx, l.id(), &due).await? {
        return Err(moved());
    }
    let on = time::date(today());
    let mut ev = CareEvent::new(l.unit(), hospital, "renewed", &on, user.account_id);
    ev.loan = Some(l.id());
    ev.due_on = Some(&due);
    ev.note = Some(&why);
    loan::event(&mut tx, &ev).await?;
    audit_loan(
        &mut tx,
        caller,
        "loan_renewed",
        format!("loan {}", l.loan_id),
        format!("due {due}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a home visit's check of a unit on loan.
pub async fn visit(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &VisitInput,
) -> Result<(), AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let mut tx = db.begin().await?;
    let l = own_loan(&mut tx, hospital, input.loan).await?;
    let mut e = FieldErrors::default();
    let on = crate::model::loan::past_date(&mut e, "on", &input.on, today());
    if e.is_empty() && time::date(on) < l.out_on {
        e.add(
            "on",
            "วันเยี่ยมต้องไม่ก่อนวันที่ยืม",
            "The visit cannot be before the loan started.",
        );
    }
    let outcome = VisitOutcome::from_code(input.outcome.trim());
    if outcome.is_none() {
        e.add(
            "outcome",
            "กรุณาเลือกผลการเยี่ยม",
            "Choose what the visit found.",
        );
    }
    let note = crate::model::loan::privacy::note(&mut e, "note", &input.note);
    e.finish()?;
    if l.status != "out" {
        return Err(AppError::state("การยืมนี้สิ้นสุดแล้ว", "This loan has ended."));
    }
    let on = time::date(on);
    let outcome = outcome.unwrap_or(VisitOutcome::InUse);
    let mut ev = CareEvent::new(l.unit(), hospital, "visited", &on, user.account_id);
    ev.loan = Some(l.id());
    ev.outcome = Some(outcome.code());
    ev.note = note.as_deref();
    loan::event(&mut tx, &ev).await?;
    if outcome == VisitOutcome::NeedsRepair {
        unit::set_condition(
            &mut tx,
            l.unit(),
            UnitCondition::AwaitingRepair,
            // Finance reads a unit's condition note: a fixed sentence, never the visit's note.
            Some("พบว่าต้องซ่อมเมื่อเยี่ยมบ้าน / found needing repair on a home visit"),
        )
        .await?;
    }
    audit_loan(
        &mut tx,
        caller,
        "loan_visited",
        format!("loan {}", l.loan_id),
        outcome.code().into(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a unit back. It goes to cleaning when it works, to repair when it does not; a lost
/// unit stays out of use (unusable) until finance writes it off.
pub async fn take_back(
    db: &Db,
    caller: &Caller,
    hospital: HospitalId,
    input: &ReturnInput,
) -> Result<(), AppError> {
    let user = caller.require(Action::LendEquipment(hospital))?;
    let r = input
        .read(today())
        .map_err(|e| e.finish().err().unwrap_or(AppError::NotFound))?;
    let mut tx = db.begin().await?;
    let l = own_loan(&mut tx, hospital, input.loan).await?;
    let mut e = FieldErrors::default();
    let back = read_accessories(&mut e, "accessories", &l.item_code, &input.accessories);
    if time::date(r.on) < l.out_on {
        e.add(
            "on",
            "วันรับคืนต้องไม่ก่อนวันที่ยืม",
            "The return cannot be before the loan started.",
        );
    }
    e.finish()?;
    if l.status != "out" {
        return Err(AppError::state("การยืมนี้สิ้นสุดแล้ว", "This loan has ended."));
    }
    let on = time::date(r.on);
    let days = (day_number(r.on) - l.out_day).max(0);
    if !loan::close(
        &mut tx,
        l.id(),
        &on,
        days,
        r.condition.code(),
        &back,
        r.end_reason.code(),
    )
    .await?
    {
        return Err(moved());
    }
    let lost = r.end_reason == crate::model::loan::EndReason::Lost;
    let next = match r.condition {
        UnitCondition::Working => CareState::Cleaning,
        _ if lost => CareState::Ready,
        _ => CareState::Repair,
    };
    if !loan::set_care(&mut tx, l.unit(), hospital, CareState::OnLoan, next).await? {
        return Err(moved());
    }
    // Finance reads a unit's condition note: a fixed sentence, never the staff's note.
    let condition_note = if lost {
        Some("สูญหายระหว่างการยืม / lost while on loan")
    } else {
        Some("รับคืนจากการยืม / back from a loan")
    };
    unit::set_condition(&mut tx, l.unit(), r.condition, condition_note).await?;
    loan::count_returned(
        &mut tx,
        l.unit(),
        crate::model::CampaignId(l.campaign_id),
        hospital,
        l.out_day,
        days,
    )
    .await?;
    let mut ev = CareEvent::new(l.unit(), hospital, "returned", &on, user.account_id);
    ev.loan = Some(l.id());
    ev.outcome = Some(r.condition.code());
    ev.note = r.note.as_deref();
    loan::event(&mut tx, &ev).await?;
    audit_loan(
        &mut tx,
        caller,
        "unit_returned",
        format!("loan {}", l.loan_id),
        format!("{} back at hospital {hospital}", l.asset_tag),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
