//! Hospitals, kept by administrators: added one by one (idempotently), edited by facility code,
//! or imported from a CSV list. The facility code's uniqueness is the table's: a code taken by
//! someone else, even a moment ago, is a field error, never a 500.

use super::Caller;
use crate::error::{AppError, FieldError};
use crate::model::account::Action;
use crate::model::admin::HospitalInput;
use crate::model::form::FieldErrors;
use crate::model::hospital::is_facility_code;
use crate::server::audit::{record, Event};
use crate::server::db::hospital::{self, NewHospital};
use crate::server::db::{is_unique_violation, Db};
use crate::server::idempotency::{self, Claim};

/// A hospital as an administrator typed it, checked. Built only by [`ValidHospital::parse`].
#[derive(Debug)]
pub struct ValidHospital(NewHospital);

impl ValidHospital {
    /// Checks every field; `subdistrict_known` says whether the typed sub-district code names one.
    pub fn parse(input: &HospitalInput, subdistrict_known: bool) -> Result<Self, AppError> {
        let mut e = FieldErrors::default();
        let facility_code = input.facility_code.trim().to_owned();
        if !is_facility_code(&facility_code) {
            e.add(
                "facility_code",
                "รหัสหน่วยบริการต้องเป็นตัวเลข 5 หลัก",
                "The facility code must be 5 digits.",
            );
        }
        let name_th = e.required("name_th", &input.name_th, 200);
        let name_en = e.optional("name_en", &input.name_en, 200);
        let subdistrict_code = input.subdistrict_code.trim().parse::<i64>().ok();
        if !subdistrict_known {
            e.add(
                "subdistrict_code",
                "ไม่พบรหัสตำบลนี้ (6 หลัก)",
                "No sub-district has this 6-digit code.",
            );
        }
        let kind = crate::server::import::parse_kind(&input.kind);
        if kind.is_none() {
            e.add(
                "kind",
                "กรุณาเลือกประเภทหน่วยบริการ",
                "Choose the kind of facility.",
            );
        }
        e.finish()?;
        match (subdistrict_code, kind) {
            (Some(subdistrict_code), Some(kind)) => Ok(ValidHospital(NewHospital {
                facility_code,
                name_th,
                name_en,
                subdistrict_code,
                kind,
            })),
            _ => Err(AppError::BadRequest("unchecked hospital".into())),
        }
    }
}

/// The idempotency key of an administrator's create, scoped by what is created and by whom;
/// a 422 when the form sent none.
pub(super) fn create_key(kind: &str, caller: &Caller, typed: &str) -> Result<String, AppError> {
    let mut e = FieldErrors::default();
    let key = e.idempotency_key(typed);
    e.finish()?;
    let who = caller
        .user()
        .map_or_else(|| "anonymous".to_owned(), |u| u.account_id.0.to_string());
    Ok(idempotency::scoped(kind, &who, &key))
}

fn code_taken() -> AppError {
    AppError::field(
        "facility_code",
        "มีหน่วยบริการรหัสนี้แล้ว (เลือก \"แก้ไขหน่วยบริการที่มีรหัสนี้อยู่แล้ว\" เพื่อแก้ไข)",
        "A hospital with this code exists (tick \"Edit the hospital that already has this code\" to change it).",
    )
}

/// Adds a hospital (`update = false`, once per idempotency key) or edits the one with this
/// facility code (`update = true`).
pub async fn save_hospital(
    db: &Db,
    caller: &Caller,
    input: &HospitalInput,
    update: bool,
) -> Result<(), AppError> {
    caller.require(Action::ManageHospitals)?;
    let key = if update {
        None
    } else {
        Some(create_key("hospital", caller, &input.idempotency_key)?)
    };
    let known = match input.subdistrict_code.trim().parse::<i64>() {
        Ok(code) => hospital::subdistrict_exists(&mut *db.reader().acquire().await?, code).await?,
        Err(_) => false,
    };
    let ValidHospital(h) = ValidHospital::parse(input, known)?;
    let hash = idempotency::fingerprint(&h)?;
    let mut tx = db.begin().await?;
    if let Some(key) = &key {
        if let Claim::Replay(answer) = idempotency::claim(&mut tx, key, &hash).await? {
            return Ok(answer);
        }
    }
    let id = if update {
        hospital::update(&mut tx, &h)
            .await?
            .ok_or(AppError::NotFound)?
    } else {
        match hospital::insert(&mut tx, &h).await {
            Err(e) if is_unique_violation(&e, "hospital", "facility_code") => {
                return Err(code_taken())
            }
            other => other?,
        }
    };
    let action = if update {
        "hospital_updated"
    } else {
        "hospital_created"
    };
    let detail = format!(
        "{}: {}, sub-district {}, {}",
        h.facility_code,
        h.name_th,
        h.subdistrict_code,
        h.kind.code()
    );
    record(
        &mut tx,
        &Event::by(caller, action, "hospital", id.get(), detail),
    )
    .await?;
    if let Some(key) = &key {
        idempotency::store(&mut tx, key, &()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Imports a hospital CSV for an administrator, in one transaction; bad rows come back as field
/// errors by line and nothing is stored.
pub async fn import_hospitals(
    db: &Db,
    caller: &Caller,
    csv: &str,
) -> Result<(usize, usize), AppError> {
    use crate::server::import::{import_hospitals_in, ImportError};
    caller.require(Action::ManageHospitals)?;
    let mut tx = db.begin().await?;
    match import_hospitals_in(db, &mut tx, csv).await {
        Ok(report) => {
            let detail = format!("{} added, {} updated", report.inserted, report.updated);
            let event = Event::by(caller, "hospitals_imported", "hospital", 0, detail);
            record(&mut tx, &event).await?;
            tx.commit().await?;
            Ok((report.inserted, report.updated))
        }
        Err(ImportError::Rows(rows)) => Err(AppError::Validation(
            rows.into_iter()
                .map(|r| {
                    FieldError::new(
                        "csv",
                        format!("บรรทัด {}: {}", r.line, r.message),
                        format!("Line {}: {}", r.line, r.message),
                    )
                })
                .collect(),
        )),
        Err(ImportError::Csv(message)) => Err(AppError::field(
            "csv",
            &format!("อ่านไฟล์ CSV ไม่ได้: {message}"),
            &format!("Unreadable CSV: {message}"),
        )),
        Err(ImportError::Db(e)) => Err(e.into()),
    }
}
