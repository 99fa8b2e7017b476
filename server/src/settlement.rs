//! The report page's exports, `GET /finance/campaigns/{id}/export/{donations|receipts|purchases|units}.csv`
//! (an optional `?fiscal_year=2569`), and its two forms, as plain posts that work without
//! JavaScript:
//! `POST /finance/campaigns/{id}/report/acknowledge` (`key`, `reason`) and
//! `POST /finance/campaigns/{id}/settle` (`carry_to`, `confirm`). Done, they send the officer
//! back to the report (303). Refused, they answer with the error's own status: JSON for a
//! client that asks for it, otherwise a short page naming the field and the reason in Thai and
//! English, with a link back.

use crate::AppState;
use app::error::AppError;
use app::model::account::CurrentUser;
use app::model::report::{AcknowledgeInput, SettleInput};
use app::model::CampaignId;
use app::server::service::exports::{self, Export};
use app::server::service::settlement;
use app::server::{Caller, ClientAddress};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};

#[derive(serde::Deserialize)]
pub struct AckForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    reason: String,
}

#[derive(serde::Deserialize)]
pub struct SettleForm {
    #[serde(default)]
    carry_to: String,
    #[serde(default)]
    confirm: String,
}

fn caller(
    user: Option<Extension<CurrentUser>>,
    client: Option<Extension<ClientAddress>>,
) -> Caller {
    Caller::new(user.map(|Extension(u)| u), client.map(|Extension(c)| c.0))
}

fn report_url(id: i64, done: &str) -> String {
    format!("/finance/campaigns/{id}/report?done={done}")
}

/// `POST /finance/campaigns/{id}/report/acknowledge`.
pub async fn acknowledge(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    client: Option<Extension<ClientAddress>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<AckForm>,
) -> Response {
    let input = AcknowledgeInput {
        campaign_id: id,
        key: form.key,
        reason: form.reason,
    };
    match settlement::acknowledge(&state.db, &caller(user, client), &input).await {
        Ok(()) => Redirect::to(&report_url(id, "acknowledged")).into_response(),
        Err(e) => refused(&e, id, &headers),
    }
}

/// `POST /finance/campaigns/{id}/settle`.
pub async fn settle(
    State(state): State<AppState>,
    user: Option<Extension<CurrentUser>>,
    client: Option<Extension<ClientAddress>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<SettleForm>,
) -> Response {
    let caller = caller(user, client);
    // Who may settle is checked before anything about the form, so the answer to a stranger
    // says nothing about the campaign.
    if let Err(e) = caller.require(app::model::account::Action::Reconcile) {
        return refused(&e, id, &headers);
    }
    if form.confirm != "yes" {
        let e = AppError::field(
            "confirm",
            "กรุณายืนยันว่าได้ตรวจรายงานแล้ว",
            "Confirm that you have checked the report.",
        );
        return refused(&e, id, &headers);
    }
    let input = SettleInput {
        campaign_id: id,
        carry_to: form.carry_to,
    };
    match settlement::settle(&state.db, &caller, &input).await {
        Ok(_) => Redirect::to(&report_url(id, "settled")).into_response(),
        Err(e) => refused(&e, id, &headers),
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
    user: Option<Extension<CurrentUser>>,
    client: Option<Extension<ClientAddress>>,
    Path((id, file)): Path<(i64, String)>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> Response {
    let caller = caller(user, client);
    if let Err(e) = caller.require(app::model::account::Action::Reconcile) {
        return refused(&e, id, &headers);
    }
    let Some(export) = Export::from_file(&file) else {
        return refused(&AppError::NotFound, id, &headers);
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
        Ok(f) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", f.name),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            f.text,
        )
            .into_response(),
        Err(e) => refused(&e, id, &headers),
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The error with its own status: JSON, or a small page in both languages.
fn refused(error: &AppError, id: i64, headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if wants_json(headers) {
        return match serde_json::to_string(error) {
            Ok(body) => {
                (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
            }
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    let th = escape(&error.message(app::model::Lang::Th));
    let en = escape(&error.message(app::model::Lang::En));
    let fields = match error {
        AppError::Validation(list) => list
            .iter()
            .map(|f| {
                format!(
                    "<li data-field=\"{}\">{} · <span lang=\"en\">{}</span></li>",
                    escape(&f.field),
                    escape(&f.th),
                    escape(&f.en)
                )
            })
            .collect::<String>(),
        _ => String::new(),
    };
    let fields = if fields.is_empty() {
        String::new()
    } else {
        format!("<ul class=\"field-errors\">{fields}</ul>")
    };
    let back = if error.status() == 401 {
        format!("/login?next=/finance/campaigns/{id}/report")
    } else {
        format!("/finance/campaigns/{id}/report")
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"th\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>ทำรายการไม่สำเร็จ · Not done</title>\
         <link rel=\"stylesheet\" href=\"/pkg/phapa.css\"></head>\
         <body><main id=\"main\" class=\"wrap\"><h1>ทำรายการไม่สำเร็จ · <span lang=\"en\">Not done</span></h1>\
         <p class=\"notice error\" role=\"alert\">{th}<br><span lang=\"en\">{en}</span></p>{fields}\
         <p><a href=\"{back}\">กลับไปที่รายงาน · <span lang=\"en\">Back to the report</span></a></p>\
         </main></body></html>"
    );
    (status, Html(body)).into_response()
}
