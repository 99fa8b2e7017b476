//! A refusal answered to a browser that sent a plain form or followed a link (no JavaScript):
//! the page says what went wrong in Thai and English, names each field at fault, and links back
//! to where the user came from, with the error's own status. A client that asks for JSON gets
//! the encoded [`AppError`] instead, as from any other handler.

use app::error::AppError;
use app::model::Lang;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};

/// An error, where to go back to, and whether the client asked for JSON.
pub struct ErrorPage {
    error: AppError,
    back: String,
    json: bool,
}

impl ErrorPage {
    /// The answer to a request with `headers`, linking back to `back` (a local path).
    pub fn new(error: AppError, back: impl Into<String>, headers: &HeaderMap) -> ErrorPage {
        let json = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json") && !a.contains("text/html"));
        ErrorPage {
            error,
            back: back.into(),
            json,
        }
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let ErrorPage { error, back, json } = self;
        if json {
            return error.into_response();
        }
        let th = escape(&error.message(Lang::Th));
        let en = escape(&error.message(Lang::En));
        let fields: String = match &error {
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
                .collect(),
            _ => String::new(),
        };
        let fields = if fields.is_empty() {
            String::new()
        } else {
            format!("<ul class=\"field-errors\">{fields}</ul>")
        };
        let back = if error.status() == 401 {
            format!("/login?next={}", escape(&back))
        } else {
            escape(&back)
        };
        let body = format!(
            "<!DOCTYPE html><html lang=\"th\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>ทำรายการไม่สำเร็จ · Not done</title>\
             <link rel=\"stylesheet\" href=\"/pkg/phapa.css\"></head>\
             <body><main id=\"main\" class=\"wrap\"><h1>ทำรายการไม่สำเร็จ · <span lang=\"en\">Not done</span></h1>\
             <p class=\"notice error\" role=\"alert\">{th}<br><span lang=\"en\">{en}</span></p>{fields}\
             <p><a href=\"{back}\">กลับ · <span lang=\"en\">Back</span></a></p>\
             </main></body></html>"
        );
        let status = axum::http::StatusCode::from_u16(error.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Html(body)).into_response();
        if let Some(secs) = error.retry_after_secs() {
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_form_is_a_page_with_its_fields_and_status() {
        let e = AppError::field("reason", "สั้นไป", "Too short.");
        let r = ErrorPage::new(e.clone(), "/finance", &HeaderMap::new()).into_response();
        assert_eq!(r.status(), 422);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let mut json = HeaderMap::new();
        json.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let r = ErrorPage::new(e, "/finance", &json).into_response();
        assert_eq!(r.headers()["content-type"], "application/json");
    }
}
