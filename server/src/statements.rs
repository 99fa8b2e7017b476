//! Statement files in: `POST /finance/campaigns/{id}/statements/preview` reads a file and says
//! what importing it would store; `…/import` stores and matches it. The body is the file itself
//! (not a form), so the browser can show the upload's progress, and its size is checked before
//! it is read: `Content-Length` first, then while reading. The column mapping comes in the
//! query (`?name=…&mapping={json}`); without one, the account's saved mapping is used.
//! Answers are JSON: the preview or outcome, or the encoded [`AppError`] with its status.

use crate::AppState;
use app::error::AppError;
use app::model::statement::Mapping;
use app::model::CampaignId;
use app::server::service::statements;
use app::server::statement::MAX_FILE_BYTES;
use app::server::Caller;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(serde::Deserialize)]
pub struct FileQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mapping: Option<String>,
    /// `keep` stores rows that repeat their neighbour too (the officer says they are real).
    #[serde(default)]
    repeats: Option<String>,
}

fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A file over the limit: 413, with the 422's words on the file field.
fn too_big() -> Response {
    let mut answer = statements::too_big().into_response();
    *answer.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    answer
}

/// The caller, the mapping and the file's bytes, or the answer that refuses them. The caller is
/// checked before the body is read, so nobody without the right uploads anything.
async fn accept(
    state: &AppState,
    caller: Caller,
    campaign: CampaignId,
    query: &FileQuery,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Caller, Mapping, Vec<u8>), Response> {
    caller
        .require(app::model::account::Action::Reconcile)
        .map_err(IntoResponse::into_response)?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_FILE_BYTES as u64) {
        return Err(too_big());
    }
    let mapping = match query.mapping.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(text) => serde_json::from_str::<Mapping>(text).map_err(|_| {
            AppError::field(
                "mapping",
                "การจับคู่คอลัมน์อ่านไม่ได้ กรุณาเลือกใหม่",
                "The column mapping could not be read; choose it again.",
            )
            .into_response()
        })?,
        None => statements::mapping_for(&state.db, &caller, campaign)
            .await
            .map_err(IntoResponse::into_response)?,
    };
    let bytes = axum::body::to_bytes(body, MAX_FILE_BYTES)
        .await
        .map_err(|_| too_big())?;
    Ok((caller, mapping, bytes.to_vec()))
}

fn file_name(query: &FileQuery) -> String {
    let name: String = query
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    if name.trim().is_empty() {
        "statement.csv".to_owned()
    } else {
        name.trim().to_owned()
    }
}

/// `POST /finance/campaigns/{id}/statements/preview` reads the file and says what importing it
/// would store; `…/import` stores its new lines and matches what it can, or refuses the whole
/// file naming its bad rows.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, step)): Path<(i64, String)>,
    Query(query): Query<FileQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if step != "preview" && step != "import" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let campaign = CampaignId(id);
    let (caller, mapping, bytes) =
        match accept(&state, caller, campaign, &query, &headers, body).await {
            Ok(accepted) => accepted,
            Err(response) => return response,
        };
    let (db, name) = (&state.db, file_name(&query));
    let answer = if step == "preview" {
        statements::preview(db, &caller, campaign, &name, &bytes, &mapping)
            .await
            .map(|p| json(StatusCode::OK, &p))
    } else {
        let keep = query.repeats.as_deref() == Some("keep");
        statements::import_with(db, &caller, campaign, &name, &bytes, &mapping, keep)
            .await
            .map(|o| json(StatusCode::OK, &o))
    };
    answer.unwrap_or_else(IntoResponse::into_response)
}
