//! Public hospital reads.

use crate::error::AppError;
use crate::model::hospital::{DistrictHospitals, HospitalDetail};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call, db::hospital as hospitals};

/// Every hospital, grouped by district.
#[server(prefix = "/api", endpoint = "hospitals/list")]
pub async fn list_hospitals() -> Result<Vec<DistrictHospitals>, AppError> {
    call(|db, _| async move { Ok(hospitals::by_district(&mut *db.reader().acquire().await?).await?) }).await
}

/// One hospital's public page by its 5-digit facility code; 404 when unknown.
#[server(prefix = "/api", endpoint = "hospitals/get")]
pub async fn get_hospital(facility_code: String) -> Result<HospitalDetail, AppError> {
    use crate::model::hospital::is_facility_code;
    call(|db, _| async move {
        if !is_facility_code(&facility_code) {
            return Err(AppError::NotFound);
        }
        let (mut detail, id) = {
            let mut c = db.reader().acquire().await?;
            let detail = hospitals::detail(&mut c, &facility_code)
                .await?
                .ok_or(AppError::NotFound)?;
            let id = hospitals::id_of(&mut c, &facility_code)
                .await?
                .ok_or(AppError::NotFound)?;
            (detail, id)
        };
        detail.open_requests = crate::server::service::requests::public_open(&db, id).await?;
        detail.received = crate::server::service::trace::received_by(&db, id).await?;
        let mut c = db.reader().acquire().await?;
        detail.lending = Some(crate::server::service::loans::public_lending(&mut c, id).await?);
        Ok(detail)
    })
    .await
}
