//! Equipment requests: hospital staff submit, edit and withdraw their hospital's requests;
//! finance officers review a campaign's queue and decide. Who may do what is checked in the
//! service, on the server, for every call.

use crate::error::AppError;
use crate::model::request::{DecisionInput, QueueFilter, RequestInput, RequestView};
use crate::model::{HospitalId, RequestId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::call_as;
#[cfg(feature = "ssr")]
use crate::server::service::requests;

/// A hospital's request for equipment (its staff only). Idempotent by the form's key.
#[server(prefix = "/api", endpoint = "requests/submit")]
pub async fn submit_request(input: RequestInput) -> Result<RequestId, AppError> {
    call_as(|db, caller| async move { requests::submit(&db, &caller, &input).await }).await
}

/// Changes a request while it is submitted (its hospital's staff only).
#[server(prefix = "/api", endpoint = "requests/edit")]
pub async fn edit_request(id: RequestId, input: RequestInput) -> Result<(), AppError> {
    call_as(|db, caller| async move { requests::edit(&db, &caller, id, &input).await }).await
}

/// Withdraws a request while it is submitted (its hospital's staff only).
#[server(prefix = "/api", endpoint = "requests/withdraw")]
pub async fn withdraw_request(id: RequestId) -> Result<(), AppError> {
    call_as(|db, caller| async move { requests::withdraw(&db, &caller, id).await }).await
}

/// Approves or rejects a submitted request, with a reason (finance officers; never their own).
#[server(prefix = "/api", endpoint = "requests/decide")]
pub async fn decide_request(input: DecisionInput) -> Result<(), AppError> {
    call_as(|db, caller| async move { requests::decide(&db, &caller, &input).await }).await
}

/// A hospital's requests (its staff, finance officers, administrators).
#[server(prefix = "/api", endpoint = "requests/of-hospital")]
pub async fn hospital_requests(hospital: HospitalId) -> Result<Vec<RequestView>, AppError> {
    call_as(|db, caller| async move { requests::of_hospital(&db, &caller, hospital).await }).await
}

/// One request with its history.
#[server(prefix = "/api", endpoint = "requests/detail")]
pub async fn request_detail(id: RequestId) -> Result<RequestView, AppError> {
    call_as(|db, caller| async move { requests::detail(&db, &caller, id).await }).await
}

/// A campaign's open requests, for finance officers.
#[server(prefix = "/api", endpoint = "requests/queue")]
pub async fn request_queue(filter: QueueFilter) -> Result<Vec<RequestView>, AppError> {
    call_as(|db, caller| async move { requests::queue(&db, &caller, &filter).await }).await
}
