//! Files that are not pages: a pledge's PromptPay QR code as a PNG (to save and open in a banking
//! app) and the e-Donation export (CSV) of a recipient's receipts.

use crate::error_page::ErrorPage;
use crate::AppState;
use app::model::LegalRecipientId;
use app::server::Caller;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// `GET /donations/{reference}/qr.png`: the PromptPay QR code of a pledge still waiting for its
/// money. Misses count against the client's look-up limit like the page does.
pub async fn pledge_qr_png(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
    headers: HeaderMap,
) -> Response {
    let client = caller.address().map(str::to_owned);
    let reference = app::server::donations::normalise_reference(&reference).unwrap_or_default();
    let payload = state
        .lookups
        .guarded(
            &state.db,
            client,
            app::server::service::donation_view::pledge_payload(&state.db, &reference),
        )
        .await;
    let png = payload.and_then(|p| {
        app::server::qr::png(&p, 8).ok_or_else(|| app::server::internal("QR code too large"))
    });
    match png {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/png".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"phapa-{reference}.png\""),
                ),
                (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => ErrorPage::new(e, format!("/donations/{reference}"), &headers).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    recipient: i64,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /finance/e-donation.csv?recipient=ID&from=YYYY-MM-DD&to=YYYY-MM-DD` (or `.xlsx`, the same
/// rows as an Excel workbook), for finance officers:
/// one fiscal year at most (the receipts service checks the period and answers 422 otherwise).
pub async fn e_donation_csv(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ExportQuery>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let recipient = LegalRecipientId(q.recipient);
    let excel = uri.path().ends_with(".xlsx");
    match app::server::service::receipts::export_csv(&state.db, &caller, recipient, &q.from, &q.to)
        .await
    {
        Ok(csv) if excel => {
            let name = format!(
                "e-donation-{}-{}-{}.xlsx",
                q.recipient,
                q.from.trim(),
                q.to.trim()
            );
            let chunks = futures_util::stream::once(async move { Ok(csv.into_bytes()) });
            match crate::xlsx::from_csv(chunks, "e-donation").await {
                Ok(book) => workbook(book, &name),
                Err(e) => ErrorPage::new(e, "/finance", &headers).into_response(),
            }
        }
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"e-donation-{}-{}-{}.csv\"",
                        q.recipient,
                        q.from.trim(),
                        q.to.trim()
                    ),
                ),
            ],
            // A byte-order mark so spreadsheet programs read the Thai text as UTF-8.
            format!("\u{feff}{csv}"),
        )
            .into_response(),
        Err(e) => ErrorPage::new(e, "/finance", &headers).into_response(),
    }
}

/// An Excel workbook as a download named `name`, kept by nobody on the way.
pub fn workbook(book: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        book,
    )
        .into_response()
}
