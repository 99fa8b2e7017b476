//! Who is signed in, and account administration (administrators only).

use crate::error::AppError;
use crate::model::account::{AccountId, AccountView, CurrentUser, NewAccountInput};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{accounts, call};

/// The signed-in user, or `None`. Public: it only ever reveals the caller to themselves.
#[server(prefix = "/api", endpoint = "session/current")]
pub async fn current_account() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::server::current_user())
}

/// Every account.
#[server(prefix = "/api", endpoint = "accounts/list")]
pub async fn list_accounts() -> Result<Vec<AccountView>, AppError> {
    call(|db, user| async move { accounts::list(&db, user.as_ref()).await }).await
}

/// Creates an account; field errors come back as a 422.
#[server(prefix = "/api", endpoint = "accounts/create")]
pub async fn create_account(input: NewAccountInput) -> Result<AccountId, AppError> {
    call(|db, user| async move { accounts::create(&db, user.as_ref(), &input).await }).await
}

/// Disables (ending its sessions) or re-enables an account.
#[server(prefix = "/api", endpoint = "accounts/set-disabled")]
pub async fn set_account_disabled(id: AccountId, disabled: bool) -> Result<(), AppError> {
    call(|db, user| async move { accounts::set_disabled(&db, user.as_ref(), id, disabled).await })
        .await
}

/// Gives an account another role and hospital; its sessions end.
#[server(prefix = "/api", endpoint = "accounts/set-role")]
pub async fn set_account_role(
    id: AccountId,
    role: String,
    #[server(default)] hospital_code: String,
) -> Result<(), AppError> {
    call(|db, user| async move {
        accounts::set_role(&db, user.as_ref(), id, &role, &hospital_code).await
    })
    .await
}

/// Gives an account a new password and ends its sessions.
#[server(prefix = "/api", endpoint = "accounts/reset-password")]
pub async fn reset_account_password(id: AccountId, password: String) -> Result<(), AppError> {
    call(
        |db, user| async move { accounts::reset_password(&db, user.as_ref(), id, &password).await },
    )
    .await
}
