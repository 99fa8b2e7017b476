//! The one error type of the application, shared by the server and the browser.
//!
//! Each kind has its HTTP status, which the server sets on the response (a bad amount is a 422,
//! never a 500). Internal failures are logged once on the server with their whole cause chain and
//! reach people only as "something went wrong" plus a request id they can quote.

use crate::model::Lang;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message about one input field, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub th: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, th: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            th: th.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.th, &self.en)
    }
}

/// Everything that can go wrong, as the caller should learn of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid input: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record is not in a state that allows this (already confirmed, batch closed…), said
    /// in both languages.
    #[error("conflict: {en}")]
    StateConflict { th: String, en: String },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("too many requests; retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("something went wrong (request {request_id})")]
    Internal { request_id: String },
    /// The database cannot be reached or is locked right now: try again after a few seconds.
    #[error("the database is unavailable; retry after {retry_after_secs} s")]
    Unavailable { retry_after_secs: u64 },
    /// The server's storage is full: nothing of this request was stored; try again later.
    #[error("the storage is full; retry after {retry_after_secs} s")]
    StorageFull { retry_after_secs: u64 },
    /// The server is already preparing as many downloads as it lets run at once.
    #[error("the server is busy with other downloads; retry after {retry_after_secs} s")]
    DownloadsBusy { retry_after_secs: u64 },
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
}

impl AppError {
    /// The HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) | AppError::StateConflict { .. } => 409,
            AppError::BadRequest(_) => 400,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal { .. } | AppError::Unreachable(_) => 500,
            AppError::Unavailable { .. }
            | AppError::StorageFull { .. }
            | AppError::DownloadsBusy { .. } => 503,
        }
    }

    /// One field's validation error.
    pub fn field(field: &str, th: &str, en: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, th, en)])
    }

    /// The seconds to wait before retrying, for a `Retry-After` header (429 and 503).
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after_secs }
            | AppError::Unavailable { retry_after_secs }
            | AppError::StorageFull { retry_after_secs }
            | AppError::DownloadsBusy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// A 409 that says, in both languages, why the record cannot change this way now.
    pub fn state(th: &str, en: &str) -> Self {
        AppError::StateConflict {
            th: th.into(),
            en: en.into(),
        }
    }

    /// A sentence for people, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::NotFound => lang.pick("ไม่พบสิ่งที่ค้นหา", "Not found.").into(),
            AppError::Unauthorized => lang.pick("กรุณาเข้าสู่ระบบ", "Please sign in.").into(),
            AppError::Forbidden => lang
                .pick("คุณไม่มีสิทธิ์ทำรายการนี้", "You may not do this.")
                .into(),
            AppError::Validation(fields) => fields
                .iter()
                .map(|f| f.message(lang).to_owned())
                .collect::<Vec<_>>()
                .join(" "),
            AppError::Conflict(_) => lang
                .pick(
                    "ข้อมูลขัดแย้งกับรายการที่มีอยู่",
                    "This conflicts with an existing record.",
                )
                .into(),
            AppError::StateConflict { th, en } => lang.pick(th, en).to_owned(),
            AppError::BadRequest(_) => lang.pick("คำขอไม่ถูกต้อง", "The request is not valid.").into(),
            AppError::TooManyRequests { .. } => lang
                .pick(
                    "มีคำขอมากเกินไป กรุณารอสักครู่",
                    "Too many requests; please wait a moment.",
                )
                .into(),
            AppError::Internal { request_id } => match lang {
                Lang::Th => format!("เกิดข้อผิดพลาด กรุณาลองใหม่ (รหัสคำขอ {request_id})"),
                Lang::En => {
                    format!("Something went wrong; please try again (request {request_id}).")
                }
            },
            AppError::Unavailable { retry_after_secs } => match lang {
                Lang::Th => format!(
                    "ระบบฐานข้อมูลขัดข้องชั่วคราว ข้อมูลของท่านไม่สูญหาย กรุณาลองใหม่ใน {retry_after_secs} วินาที"
                ),
                Lang::En => format!(
                    "The database is briefly unavailable; nothing you saved is lost. Please try again in {retry_after_secs} seconds."
                ),
            },
            AppError::StorageFull { .. } => lang
                .pick(
                    "พื้นที่จัดเก็บข้อมูลของระบบเต็ม จึงยังบันทึกรายการนี้ไม่ได้ ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย กรุณาลองใหม่ภายหลัง",
                    "The server's storage is full, so this could not be saved; nothing saved before is lost. Please try again later.",
                )
                .into(),
            AppError::DownloadsBusy { retry_after_secs } => match lang {
                Lang::Th => format!(
                    "ระบบกำลังเตรียมไฟล์ดาวน์โหลดอื่นอยู่เต็มจำนวน กรุณาลองใหม่ใน {retry_after_secs} วินาที"
                ),
                Lang::En => format!(
                    "The server is preparing as many downloads as it can at once. Please try again in {retry_after_secs} seconds."
                ),
            },
            AppError::Unreachable(_) => lang
                .pick(
                    "ติดต่อเซิร์ฟเวอร์ไม่ได้ กรุณาลองใหม่",
                    "The server could not be reached; please try again.",
                )
                .into(),
        }
    }
}

/// On the server the error *is* the HTTP answer: its own status, `Retry-After` for 429 and 503,
/// and the error encoded as JSON (what the app's own clients read back, as from a server
/// function). Pages and public endpoints that answer in another shape wrap it (the server's
/// `ErrorPage` and `PublicError`).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use http::{header, HeaderValue, StatusCode};
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_else(|_| "\"Internal\"".to_owned());
        let mut response =
            (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
        if let Some(secs) = self.retry_after_secs() {
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
            ServerFnErrorErr::Request(m) | ServerFnErrorErr::Response(m) => {
                AppError::Unreachable(m)
            }
            other => AppError::Unreachable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_status() {
        assert_eq!(AppError::field("amount", "ก", "a").status(), 422);
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Conflict("x".into()).status(), 409);
        let closed = AppError::state("ปิดแล้ว", "Closed.");
        assert_eq!(closed.status(), 409);
        assert_eq!(closed.message(Lang::Th), "ปิดแล้ว");
        assert_eq!(closed.message(Lang::En), "Closed.");
        assert_eq!(
            AppError::TooManyRequests {
                retry_after_secs: 5
            }
            .status(),
            429
        );
        let internal = AppError::Internal {
            request_id: "r1".into(),
        };
        assert_eq!(internal.status(), 500);
        assert!(internal.message(Lang::En).contains("r1"));
    }

    #[test]
    fn an_unavailable_database_is_a_503_to_retry_in_both_languages() {
        let down = AppError::Unavailable {
            retry_after_secs: 3,
        };
        assert_eq!(down.status(), 503);
        assert_eq!(down.retry_after_secs(), Some(3));
        assert!(down.message(Lang::Th).contains("ลองใหม่ใน 3 วินาที"));
        assert!(down.message(Lang::En).contains("try again in 3 seconds"));
        assert_eq!(AppError::NotFound.retry_after_secs(), None);
        let busy = AppError::DownloadsBusy {
            retry_after_secs: 10,
        };
        assert_eq!(busy.status(), 503);
        assert!(busy.message(Lang::Th).contains("ดาวน์โหลด"));
        assert!(busy.message(Lang::En).contains("downloads"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_error_is_its_own_http_answer() {
        use axum::response::IntoResponse;
        let r = AppError::Unavailable {
            retry_after_secs: 2,
        }
        .into_response();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "2");
        assert_eq!(r.headers()["content-type"], "application/json");
        assert_eq!(AppError::field("a", "ก", "a").into_response().status(), 422);
    }

    #[test]
    fn bad_arguments_are_a_client_error() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert_eq!(e.status(), 400);
    }
}
