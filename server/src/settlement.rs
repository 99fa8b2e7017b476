//! The report page's exports, `GET /finance/campaigns/{id}/export/{donations|receipts|purchases|units}.csv`
//! (an optional `?fiscal_year=2569`), and its two forms, as plain posts that work without
//! JavaScript:
//! `POST /finance/campaigns/{id}/report/acknowledge` (`key`, `reason`) and
//! `POST /finance/campaigns/{id}/settle` (`carry_to`, `confirm`). Done, they send the officer
//! back to the report (303). Refused, they answer with the error's own status: JSON for a
//! client that asks for it, otherwise a short page naming the field and the reason in Thai and
//! English, with a link back.

use crate::error_page::ErrorPage;
use crate::AppState;
use app::error::AppError;
use app::model::report::{AcknowledgeInput, SettleInput};
use app::model::CampaignId;
use app::server::service::exports::{self, Export};
use app::server::service::settlement;
use app::server::Caller;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

#[derive(serde::Deserialize)]
pub struct AckForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    reason: String,
    /// `yes` when the reason may appear on the public report.
    #[serde(default)]
    publish: String,
}

#[derive(serde::Deserialize)]
pub struct SettleForm {
    #[serde(default)]
    carry_to: String,
    #[serde(default)]
    confirm: String,
}

fn report_url(id: i64, done: &str) -> String {
    format!("/finance/campaigns/{id}/report?done={done}")
}

/// `POST /finance/campaigns/{id}/report/acknowledge`.
pub async fn acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<AckForm>,
) -> Response {
    let input = AcknowledgeInput {
        campaign_id: id,
        key: form.key,
        reason: form.reason,
        publish: form.publish == "yes",
    };
    let anchor = app::model::report::anchor_of(&input.key);
    match settlement::acknowledge(&state.db, &caller, &input).await {
        // Back to the discrepancy itself, with the answer beside it, not at the top of the page.
        Ok(()) => Redirect::to(&format!(
            "/finance/campaigns/{id}/report?ack={anchor}#{anchor}"
        ))
        .into_response(),
        Err(e) => to_report(e, id, &headers),
    }
}

/// `POST /finance/campaigns/{id}/settle`.
pub async fn settle(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<SettleForm>,
) -> Response {
    // Who may settle is checked before anything about the form, so the answer to a stranger
    // says nothing about the campaign.
    if let Err(e) = caller.require(app::model::account::Action::Reconcile) {
        return to_report(e, id, &headers);
    }
    if form.confirm != "yes" {
        let e = AppError::field(
            "confirm",
            "กรุณายืนยันว่าได้ตรวจรายงานแล้ว",
            "Confirm that you have checked the report.",
        );
        return to_report(e, id, &headers);
    }
    let input = SettleInput {
        campaign_id: id,
        carry_to: form.carry_to,
    };
    match settlement::settle(&state.db, &caller, &input).await {
        Ok(_) => Redirect::to(&report_url(id, "settled")).into_response(),
        Err(e) => to_report(e, id, &headers),
    }
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    fiscal_year: String,
}

/// `GET /finance/campaigns/{id}/export/{file}`: a CSV download for finance officers.
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file)): Path<(i64, String)>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = caller.require(app::model::account::Action::Reconcile) {
        return to_report(e, id, &headers);
    }
    // `donations.xlsx` is the same export as `donations.csv`, as an Excel workbook.
    let excel = file.ends_with(".xlsx");
    let csv_name = match file.strip_suffix(".xlsx") {
        Some(stem) => format!("{stem}.csv"),
        None => file.clone(),
    };
    let Some(export) = Export::from_file(&csv_name) else {
        return to_report(AppError::NotFound, id, &headers);
    };
    match exports::campaign_csv(
        &state.db,
        &caller,
        CampaignId(id),
        export,
        &query.fiscal_year,
    )
    .await
    {
        Ok(f) if excel => {
            let name = f.name.replace(".csv", ".xlsx");
            let sheet = export.file().trim_end_matches(".csv");
            match crate::xlsx::from_csv(f.into_stream(), sheet).await {
                Ok(book) => crate::files::workbook(book, &name),
                Err(e) => to_report(e, id, &headers),
            }
        }
        Ok(f) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", f.name),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            // Rows are sent as they are read: the file is never held whole in memory.
            axum::body::Body::from_stream(f.into_stream()),
        )
            .into_response(),
        Err(e) => to_report(e, id, &headers),
    }
}

/// The refusal of a form or download of the report page: a page that links back to the report
/// (or JSON for a client that asks for it).
fn to_report(error: AppError, id: i64, headers: &HeaderMap) -> Response {
    ErrorPage::new(error, format!("/finance/campaigns/{id}/report"), headers).into_response()
}
