//! A hospital's internal page: for its own staff, finance officers and administrators.

use crate::error::AppError;

use leptos::prelude::*;

/// What a hospital's staff see of their hospital. Unknown codes are 404; other hospitals' staff 403.
#[server(prefix = "/api", endpoint = "hospitals/internals")]
pub async fn get_hospital_internals(
    facility_code: String,
) -> Result<crate::model::hospital::HospitalInternals, AppError> {
    use crate::model::account::Action;
    use crate::server;
    server::finish(
        async {
            let db = server::db_from_context()?;
            let user = server::current_user();
            if user.is_none() {
                return Err(AppError::Unauthorized);
            }
            let id = server::db::hospitals::id_of(&db, facility_code.trim())
                .await?
                .ok_or(AppError::NotFound)?;
            server::accounts::require(user.as_ref(), Action::ViewHospitalInternals(id))?;
            server::db::hospitals::internals(&db, &facility_code)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// The signed-in staff member's own hospital; 401 anonymous, 403 for roles without a hospital.
#[server(prefix = "/api", endpoint = "staff/home")]
pub async fn staff_home() -> Result<crate::model::hospital::HospitalInternals, AppError> {
    use crate::server;
    server::finish(
        async {
            let user = server::current_user().ok_or(AppError::Unauthorized)?;
            let hospital = user.role.hospital().ok_or(AppError::Forbidden)?;
            let db = server::db_from_context()?;
            let code = server::db::hospitals::code_of(&db, hospital)
                .await?
                .ok_or(AppError::NotFound)?;
            server::db::hospitals::internals(&db, &code)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
