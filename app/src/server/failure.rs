//! Failures as people and logs see them: the request id a person can quote, internal errors
//! logged once with their whole cause chain, and storage failures mapped to 503 (the database is
//! down or locked: try again) or 500. Every room uses this; it uses only `db`'s classification.

use crate::error::AppError;
use leptos::prelude::*;
use std::fmt::Display;

/// The header that carries the request id (set by the server's request-id layer).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request id of the request being served, or a fresh one outside a request (tests, CLI).
pub fn request_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(REQUEST_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| format!("local-{:08x}", rand::random::<u32>()))
}

/// Logs an unexpected failure once, with its whole cause chain and the request id, and returns
/// the generic error that people see.
pub fn internal(error: impl Display) -> AppError {
    let request_id = request_id();
    tracing::error!(%request_id, error = %error, "internal error");
    AppError::Internal { request_id }
}

impl From<sqlx::Error> for AppError {
    /// A database that is down, unreachable or locked by someone else is a 503 with
    /// `Retry-After` (logged as a warning, once); anything else is an internal error.
    fn from(error: sqlx::Error) -> Self {
        if super::db::is_storage_full(&error) {
            let request_id = request_id();
            tracing::error!(%request_id, error = %format_chain(&error), "storage full: free space");
            return AppError::StorageFull {
                retry_after_secs: super::db::STORAGE_FULL_RETRY_AFTER_SECS,
            };
        }
        if super::db::is_unavailable(&error) {
            let request_id = request_id();
            tracing::warn!(%request_id, error = %format_chain(&error), "database unavailable");
            return AppError::Unavailable {
                retry_after_secs: super::db::RETRY_AFTER_SECS,
            };
        }
        internal(format_chain(&error))
    }
}

/// An error and every `source()` below it, on one line.
pub fn format_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
