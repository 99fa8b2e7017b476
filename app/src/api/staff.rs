//! A hospital's internal page: for its own staff, finance officers and administrators.

use crate::error::AppError;
use crate::model::hospital::HospitalInternals;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call, db::hospital as hospitals, service::require};

/// What a hospital's staff see of their hospital. Anonymous callers get 401, unknown codes 404
/// and other hospitals' staff 403 (hospitals are public, so their existence is no secret).
#[server(prefix = "/api", endpoint = "hospitals/internals")]
pub async fn get_hospital_internals(facility_code: String) -> Result<HospitalInternals, AppError> {
    use crate::model::account::Action;
    call(|db, user| async move {
        if user.is_none() {
            return Err(AppError::Unauthorized);
        }
        let code = facility_code.trim();
        let mut c = db.reader().acquire().await?;
        let id = hospitals::id_of(&mut c, code)
            .await?
            .ok_or(AppError::NotFound)?;
        require(user.as_ref(), Action::ViewHospitalInternals(id))?;
        let may_request = |h| require(user.as_ref(), Action::RequestEquipment(h)).is_ok();
        let mut internals = hospitals::internals(&mut c, code, may_request)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(c);
        let caller = user.as_ref().map_or_else(
            crate::server::Caller::anonymous,
            crate::server::Caller::signed_in,
        );
        internals.lending = Some(crate::server::service::loans::counts(&db, &caller, id).await?);
        Ok(internals)
    })
    .await
}

/// The signed-in staff member's own hospital; 401 anonymous, 403 for roles without a hospital.
#[server(prefix = "/api", endpoint = "staff/home")]
pub async fn staff_home() -> Result<HospitalInternals, AppError> {
    call(|db, user| async move {
        let user = user.ok_or(AppError::Unauthorized)?;
        let hospital = user.role.hospital().ok_or(AppError::Forbidden)?;
        let mut c = db.reader().acquire().await?;
        let code = hospitals::code_of(&mut c, hospital)
            .await?
            .ok_or(AppError::NotFound)?;
        let may_request = |h| {
            require(
                Some(&user),
                crate::model::account::Action::RequestEquipment(h),
            )
            .is_ok()
        };
        let mut internals = hospitals::internals(&mut c, &code, may_request)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(c);
        internals.lending = Some(
            crate::server::service::loans::counts(
                &db,
                &crate::server::Caller::signed_in(&user),
                hospital,
            )
            .await?,
        );
        Ok(internals)
    })
    .await
}
