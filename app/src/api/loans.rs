//! Loans to patients' homes: what the hospital's staff read on their desk and register, and the
//! counts finance officers and administrators see. The desk's forms post to plain routes (they
//! work without JavaScript; see the server's `loans` module), which call the same services.

use crate::error::AppError;
use crate::model::loan::{LoanCounts, LoanDesk, MonthSummary, RegisterRow};
use crate::model::{HospitalId, Localized};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call_as, service::loans};

/// The signed-in staff member's hospital code (empty names their own hospital).
#[cfg(feature = "ssr")]
async fn own_code(
    db: &crate::server::db::Db,
    caller: &crate::server::Caller,
    code: &str,
) -> Result<String, AppError> {
    if !code.trim().is_empty() {
        return Ok(code.trim().to_owned());
    }
    let user = caller.user().ok_or(AppError::Unauthorized)?;
    let hospital = user.role.hospital().ok_or(AppError::Forbidden)?;
    crate::server::db::hospital::code_of(&mut *db.reader().acquire().await?, hospital)
        .await?
        .ok_or(AppError::NotFound)
}

/// A hospital's lending desk: its waiting list, loans out, units and their care. Its own staff
/// only (403 for anyone else, 401 anonymous).
#[server(prefix = "/api", endpoint = "loans/desk")]
pub async fn get_loan_desk(facility_code: String) -> Result<LoanDesk, AppError> {
    call_as(|db, caller| async move {
        let code = own_code(&db, &caller, &facility_code).await?;
        loans::desk(&db, &caller, &code).await
    })
    .await
}

/// A hospital's register of every loan, with borrower codes: its own staff only.
#[server(prefix = "/api", endpoint = "loans/register")]
pub async fn get_loan_register(
    facility_code: String,
) -> Result<(Localized, Vec<RegisterRow>), AppError> {
    call_as(|db, caller| async move {
        let code = own_code(&db, &caller, &facility_code).await?;
        loans::register(&db, &caller, &code).await
    })
    .await
}

/// A month's lending in counts, for the district: its own staff only.
#[server(prefix = "/api", endpoint = "loans/summary")]
pub async fn get_loan_summary(
    facility_code: String,
    month: String,
) -> Result<(Localized, MonthSummary), AppError> {
    call_as(|db, caller| async move {
        let code = own_code(&db, &caller, &facility_code).await?;
        loans::month_summary(&db, &caller, &code, &month).await
    })
    .await
}

/// A hospital's lending in counts: for its staff, finance officers and administrators.
#[server(prefix = "/api", endpoint = "loans/counts")]
pub async fn get_loan_counts(hospital: HospitalId) -> Result<LoanCounts, AppError> {
    call_as(|db, caller| async move { loans::counts(&db, &caller, hospital).await }).await
}
