//! Who is signed in, and account administration (administrators only).

use crate::error::AppError;
use crate::model::account::{AccountId, AccountView, CurrentUser, NewAccountInput};
use leptos::prelude::*;

/// The signed-in user, or `None`. Public: it only ever reveals the caller to themselves.
#[server(prefix = "/api", endpoint = "session/current")]
pub async fn current_account() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::server::current_user())
}

/// Every account.
#[server(prefix = "/api", endpoint = "accounts/list")]
pub async fn list_accounts() -> Result<Vec<AccountView>, AppError> {
    use crate::server;
    server::finish(
        async {
            server::accounts::list(&server::db_from_context()?, server::current_user().as_ref())
                .await
        }
        .await,
    )
}

/// Creates an account; field errors come back as a 422.
#[server(prefix = "/api", endpoint = "accounts/create")]
pub async fn create_account(input: NewAccountInput) -> Result<AccountId, AppError> {
    use crate::server;
    server::finish(
        async {
            server::accounts::create(
                &server::db_from_context()?,
                server::current_user().as_ref(),
                &input,
            )
            .await
        }
        .await,
    )
}

/// Disables (ending its sessions) or re-enables an account.
#[server(prefix = "/api", endpoint = "accounts/set-disabled")]
pub async fn set_account_disabled(id: AccountId, disabled: bool) -> Result<(), AppError> {
    use crate::server;
    server::finish(
        async {
            server::accounts::set_disabled(
                &server::db_from_context()?,
                server::current_user().as_ref(),
                id,
                disabled,
            )
            .await
        }
        .await,
    )
}

/// Gives an account a new password and ends its sessions.
#[server(prefix = "/api", endpoint = "accounts/reset-password")]
pub async fn reset_account_password(id: AccountId, password: String) -> Result<(), AppError> {
    use crate::server;
    server::finish(
        async {
            server::accounts::reset_password(
                &server::db_from_context()?,
                server::current_user().as_ref(),
                id,
                &password,
            )
            .await
        }
        .await,
    )
}
