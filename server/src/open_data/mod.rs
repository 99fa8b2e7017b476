//! Open data: what the public pages show, as JSON under `/api/v1/`, so that anyone (a journalist,
//! a district office, another site) can check where the money went without scraping HTML.
//!
//! - Lists, a page at a time with a cursor, in a stable order: `GET /api/v1/campaigns`,
//!   `/api/v1/hospitals` (by `province` and `district`) and `/api/v1/units` (by `campaign`).
//! - One thing each: `GET /api/v1/campaigns/{id}`, `/api/v1/hospitals/{facility_code}`,
//!   `/api/v1/units/{tag}` and `/api/v1/donations/{reference}/trace` (a received gift's share of
//!   each purchase; the reference is the donor's secret, so unknown references count against the
//!   client's look-up limit, as on the donation page, and the answer is not shared with other
//!   sites).
//! - The same lists whole, as CSV for open-data portals ([`download`]).
//! - `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, derived from the answers' own types
//!   ([`schema`]) and the handlers' annotations, so it cannot drift from what is served; the page
//!   `/api` ([`guide`]) is written from it.
//!
//! Public answers are kept by the page cache like the public pages (same generation counter,
//! compressed once, `ETag` and 304), carry `Access-Control-Allow-Origin: *`, and each answer
//! this server has to build counts against the client's API limit (shared between servers on
//! PostgreSQL), answered 429 with `Retry-After`. Errors are JSON in one shape, [`ApiError`].

pub mod download;
pub mod guide;
mod lists;
mod one;
pub mod schema;

use crate::AppState;
use app::error::AppError;
use app::model::Lang;
use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
pub use one::TraceCache;
use schema::{ApiError, FieldProblem, Text};
use serde::Serialize;
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use schema::baht;

/// The document's frame: what the API is, its licence of use and its groups.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Phapa open data",
        version = "1",
        description = "Where every baht of a ผ้าป่าประชารัฐ equipment drive went: campaigns, the \
hospitals they serve, each unit of equipment bought and the homes it served, and a donor's own \
gift traced to what it bought. No personal data: no donor names and nothing about patients; \
counts about patients from 1 to 4 are not published. Amounts come as exact baht text beside \
whole satang. Public answers may be read from any site (CORS), carry an ETag (send \
If-None-Match for a 304) and count against a per-client limit (429 with Retry-After)."
    ),
    components(schemas(ApiError, FieldProblem)),
    tags(
        (name = "campaigns", description = "Campaigns (กองผ้าป่า) and their money"),
        (name = "hospitals", description = "Hospitals and what they received and lend"),
        (name = "units", description = "Each unit of equipment and where it is"),
        (name = "donations", description = "A donor's own gift, traced by its reference"),
        (name = "downloads", description = "Whole lists as CSV (UTF-8 with BOM)")
    )
)]
struct Frame;

/// The routes and their document, built together so that every route is documented.
fn assembled() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(Frame::openapi())
        .routes(routes!(lists::campaigns))
        .routes(routes!(one::campaign))
        .routes(routes!(lists::hospitals))
        .routes(routes!(one::hospital))
        .routes(routes!(lists::units))
        .routes(routes!(one::unit))
        .routes(routes!(one::donation_trace))
        .routes(routes!(download::campaigns_csv))
        .routes(routes!(download::hospitals_csv))
        .routes(routes!(download::units_csv))
        .split_for_parts()
}

/// The OpenAPI document, as built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| assembled().1)
}

/// The open-data routes, the document's own route and the guide page.
pub fn routes() -> Router<AppState> {
    let json = Bytes::from(serde_json::to_vec(document()).unwrap_or_default());
    assembled()
        .0
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let json = json.clone();
                async move { public_bytes(json, "application/json") }
            }),
        )
        .route("/api", get(guide::page))
        // Any other address under `/api/v1/` is a JSON 404 in the one error shape, not a page.
        .route(
            "/api/v1/{*rest}",
            get(|| async { PublicError(AppError::NotFound).into_response() }),
        )
}

/// The errors every operation may answer, each with its status and the one error shape.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Refusals {
    /// A parameter is malformed or out of range; `fields` names each.
    #[response(status = 400)]
    BadRequest(ApiError),
    /// There is no such public thing.
    #[response(status = 404)]
    NotFound(ApiError),
    /// This client asked too often; try again after `Retry-After` seconds.
    #[response(status = 429, headers(("Retry-After" = u64, description = "Seconds to wait")))]
    TooMany(ApiError),
    /// Something went wrong on the server; the request can be tried again.
    #[response(status = 500)]
    Internal(ApiError),
    /// The database is briefly unavailable, or as many downloads as the server allows at once
    /// are under way; try again after `Retry-After` seconds.
    #[response(status = 503, headers(("Retry-After" = u64, description = "Seconds to wait")))]
    Unavailable(ApiError),
}

/// A public JSON answer: any site may read it.
fn public<T: Serialize>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => match serde_json::to_vec(&value) {
            Ok(bytes) => public_bytes(Bytes::from(bytes), "application/json"),
            Err(e) => {
                tracing::error!(error = %e, "an open-data answer could not be written");
                PublicError(AppError::Internal {
                    request_id: String::new(),
                })
                .into_response()
            }
        },
        Err(e) => PublicError(e).into_response(),
    }
}

/// Bytes of a public answer, with `Access-Control-Allow-Origin: *` and revalidation on every
/// use (the page cache adds the `ETag`).
fn public_bytes(body: Bytes, content_type: &'static str) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("etag, retry-after"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// An open-data refusal: a stable code, the sentence in both languages and the refused fields,
/// with the error's own status (and `Retry-After` for 429 and 503, which [`AppError`]'s answer
/// carries). Public, so other sites may read refusals too.
pub struct PublicError(pub AppError);

impl From<AppError> for PublicError {
    fn from(e: AppError) -> PublicError {
        PublicError(e)
    }
}

impl PublicError {
    /// The error as the documented body.
    pub fn body(&self) -> ApiError {
        let error = &self.0;
        let code = match error {
            AppError::NotFound => "not_found",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable { .. }
            | AppError::StorageFull { .. }
            | AppError::DownloadsBusy { .. } => "unavailable",
            AppError::BadRequest(_) | AppError::Validation(_) => "bad_request",
            _ => "internal",
        };
        let fields = match error {
            AppError::Validation(fields) => fields
                .iter()
                .map(|f| FieldProblem {
                    field: f.field.clone(),
                    message: Text {
                        th: f.message(Lang::Th).to_owned(),
                        en: Some(f.message(Lang::En).to_owned()),
                    },
                })
                .collect(),
            _ => Vec::new(),
        };
        ApiError {
            error: code.to_owned(),
            message: Text {
                th: error.message(Lang::Th),
                en: Some(error.message(Lang::En)),
            },
            fields,
        }
    }
}

impl IntoResponse for PublicError {
    fn into_response(self) -> Response {
        let body = self.body();
        // A refused parameter is a bad request (a form's refused field is 422 elsewhere).
        let refused = matches!(self.0, AppError::Validation(_));
        // The status and headers of the error's own answer, with the public body.
        let (parts, _) = self.0.into_response().into_parts();
        let mut response = Json(body).into_response();
        *response.status_mut() = if refused {
            StatusCode::BAD_REQUEST
        } else if parts.status.is_client_error() || parts.status.is_server_error() {
            parts.status
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        let headers = response.headers_mut();
        if let Some(retry) = parts.headers.get(header::RETRY_AFTER) {
            headers.insert(header::RETRY_AFTER, retry.clone());
        }
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// Counts an answer this server has to build against the client's API limit.
async fn count_against_limit(
    state: &AppState,
    caller: &app::server::Caller,
) -> Result<(), AppError> {
    let client = caller.address().unwrap_or("unknown");
    state.api_limit.take(&state.db, client).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::Money;

    #[test]
    fn baht_text_has_exactly_two_decimals_and_no_grouping() {
        assert_eq!(baht(Money::from_satang(150_000)), "1500.00");
        assert_eq!(baht(Money::from_satang(5)), "0.05");
        assert_eq!(baht(Money::from_satang(-5)), "-0.05");
        assert_eq!(baht(Money::from_satang(123_456_789)), "1234567.89");
        assert_eq!(baht(Money::ZERO), "0.00");
    }

    #[test]
    fn errors_are_json_with_their_status() {
        let r = PublicError(AppError::Unavailable {
            retry_after_secs: 2,
        })
        .into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "2");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            PublicError(AppError::NotFound).into_response().status(),
            StatusCode::NOT_FOUND
        );
        let refused = PublicError(AppError::field("limit", "ต้องเป็น 1 ถึง 200", "1 to 200"));
        assert_eq!(refused.body().fields[0].field, "limit");
        assert_eq!(refused.into_response().status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn every_route_is_in_the_document_and_the_document_is_openapi_3_1() {
        let doc = serde_json::to_value(document()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/campaigns",
            "/api/v1/campaigns/{id}",
            "/api/v1/hospitals",
            "/api/v1/hospitals/{facility_code}",
            "/api/v1/units",
            "/api/v1/units/{tag}",
            "/api/v1/donations/{reference}/trace",
            "/api/v1/campaigns.csv",
            "/api/v1/hospitals.csv",
            "/api/v1/units.csv",
        ] {
            let get = &paths[path]["get"];
            assert!(get.is_object(), "{path} is documented");
            for status in ["200", "404", "429", "503"] {
                assert!(get["responses"][status].is_object(), "{path} {status}");
            }
        }
        assert_eq!(paths.len(), 10);
        // Every reference resolves.
        let text = doc.to_string();
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = &reference[..reference.find('"').unwrap()];
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{name} is referenced and defined"
            );
        }
    }
}
