//! What a server function needs from the request: the database, the request id, and a way to
//! put the error's HTTP status on the response.

use super::failure::internal;
use super::Db;
use crate::error::AppError;
use leptos::prelude::*;

/// The database handle provided to every request.
pub fn db_from_context() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| internal("no database in the request context"))
}

/// Ends a server function: on error, sets the response's HTTP status to the error's status.
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let status = http::StatusCode::from_u16(error.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            response.set_status(status);
            if let Some(retry_after_secs) = error.retry_after_secs() {
                if let Ok(value) = http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.insert_header(http::header::RETRY_AFTER, value);
                }
            }
        }
    }
    result
}

/// The signed-in user of the current request, put there by the server's session layer.
pub fn current_user() -> Option<crate::model::account::CurrentUser> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<crate::model::account::CurrentUser>()
            .cloned()
    })
}

/// Runs a server function's body with the request's database and caller, then puts the error's
/// HTTP status on the response. Every server function that needs storage goes through here.
pub async fn call<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(Db, Option<crate::model::account::CurrentUser>) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let result = match db_from_context() {
        Ok(db) => body(db, current_user()).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// Like [`call`], with the caller (user and client address) as one [`super::Caller`].
pub async fn call_as<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(Db, super::Caller) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let caller = use_context::<http::request::Parts>()
        .map(|parts| super::Caller::of_request(&parts))
        .unwrap_or_default();
    let result = match db_from_context() {
        Ok(db) => body(db, caller).await,
        Err(e) => Err(e),
    };
    finish(result)
}

impl super::Caller {
    /// The caller of a request: the user the session layer found, and the client's address it
    /// worked out (both put into the request's extensions).
    pub fn of_request(parts: &http::request::Parts) -> super::Caller {
        super::Caller::new(
            parts
                .extensions
                .get::<crate::model::account::CurrentUser>()
                .cloned(),
            parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()),
        )
    }
}

/// Handlers take the caller as an argument: `async fn handler(caller: Caller, …)`. It is always
/// there (anonymous when nobody signed in); what the caller may do is the service's question.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for super::Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(super::Caller::of_request(parts))
    }
}

/// The client's address as the session layer worked it out (the peer, or behind a trusted proxy
/// the address it reports), put into every request's extensions.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// The current request's client address, if known.
pub fn client_address() -> Option<String> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()))
}
